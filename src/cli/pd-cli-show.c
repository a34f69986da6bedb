/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli show (--email E | --phone P | --id N | --external-id X |
 * --source S --source-id ID) [--json]: one persona, found as the import's
 * matcher finds it. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pd-cli.h"
#include "pd-email.h"
#include "pd-error.h"
#include "pd-phone.h"
#include "pd-store-merge.h"

/* The merges @id took part in, for the JSON: id, survivor, merged, undone. */
static JsonNode *
merges_to_json (PdStore *store,
                gint64   id)
{
  g_autoptr(GPtrArray) merges = pd_store_list_merges (store, id, NULL);
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; merges != NULL && i < merges->len; i++)
    {
      PdMergeInfo *info = g_ptr_array_index (merges, i);
      JsonObject *object = json_object_new ();
      JsonArray *merged = json_array_new ();

      json_object_set_int_member (object, "merge", info->id);
      json_object_set_int_member (object, "survivor", info->survivor_id);
      for (guint k = 0; k < info->merged_ids->len; k++)
        json_array_add_int_element (merged, g_array_index (info->merged_ids, gint64, k));
      json_object_set_array_member (object, "merged", merged);
      json_object_set_boolean_member (object, "undone", info->undone);
      json_array_add_object_element (array, object);
    }
  json_node_take_array (node, array);
  return node;
}

int
pd_cli_show (PdCliContext *ctx,
             int           argc,
             char        **argv)
{
  g_autofree char *email = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *external_id = NULL;
  g_autofree char *region = NULL;
  g_autofree char *source = NULL;
  g_autofree char *source_id = NULL;
  gint64 id = 0, merged_from = 0;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("Find the persona with this email"), N_("EMAIL") },
    { "phone", 0, 0, G_OPTION_ARG_STRING, &phone, N_("Find the persona with this phone, in any format"),
      N_("PHONE") },
    { "id", 0, 0, G_OPTION_ARG_INT64, &id, N_("Show the persona with this ID"), N_("N") },
    { "external-id", 0, 0, G_OPTION_ARG_STRING, &external_id, N_("Find the persona with this external ID"),
      N_("ID") },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, N_("With --source-id: find the persona by its ID in "
      "another system"), N_("SOURCE") },
    { "source-id", 0, 0, G_OPTION_ARG_STRING, &source_id, N_("The persona's ID in --source"), N_("ID") },
    { "region", 0, 0, G_OPTION_ARG_STRING, &region,
      N_("Country of a phone written without +, e.g. US, GB (default US)"), N_("CC") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdPersona) persona = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  guint n_keys;

  g_option_context_set_summary (context, _("Show one persona."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("show", error->message);
  n_keys = (email != NULL) + (phone != NULL) + (id != 0) + (external_id != NULL) + (source != NULL);
  if (argc != 1 || n_keys != 1 || (source != NULL) != (source_id != NULL))
    return pd_cli_usage_error ("show", _("give one of --email, --phone, --id, --external-id or "
                                         "--source with --source-id"));
  if (source != NULL)
    {
      g_strstrip (source_id);
      if (!pd_source_id_check (source, source_id, &error))
        return pd_cli_fail_input (error);
    }

  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);

  if (email != NULL)
    {
      g_autofree char *normalized = pd_email_normalize (email, &error);

      if (normalized == NULL)
        return pd_cli_fail (error);
      id = pd_store_find_persona (store, PD_FIELD_EMAIL, normalized, &error);
    }
  else if (phone != NULL)
    {
      g_autofree char *normalized = pd_phone_normalize (phone, region, &error);

      if (normalized == NULL)
        return pd_cli_fail (error);
      id = pd_store_find_persona (store, PD_FIELD_PHONE, normalized, &error);
    }
  else if (external_id != NULL)
    id = pd_store_find_persona (store, PD_FIELD_EXTERNAL_ID, g_strstrip (external_id), &error);
  else if (source != NULL)
    id = pd_store_find_by_source_id (store, source, source_id, &error);
  if (error != NULL)
    return pd_cli_fail (error);
  if (id == 0)
    {
      g_set_error_literal (&error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No persona found"));
      return pd_cli_fail (error);
    }

  /* A persona merged away leads to its survivor, and says so. */
  {
    gint64 survivor = pd_store_get_survivor (store, id, NULL);

    if (survivor != 0 && survivor != id)
      {
        fprintf (stderr, _("Persona %" PRId64 " was merged into persona %" PRId64 "; showing persona %" PRId64
                           " ('unmerge %" PRId64 "' undoes it)\n"), id, survivor, survivor, id);
        merged_from = id;
        id = survivor;
      }
  }
  persona = pd_store_get_persona (store, id, &error);
  if (persona == NULL)
    return pd_cli_fail (error);

  /* The JSON is the human output too (--json is accepted for scripts):
   * every field, nothing hidden. */
  (void) json;
  node = pd_persona_to_json (persona);
  if (merged_from != 0)
    json_object_set_int_member (json_node_get_object (node), "merged_from", merged_from);
  {
    JsonNode *merges = merges_to_json (store, id);

    if (json_array_get_length (json_node_get_array (merges)) > 0)
      json_object_set_member (json_node_get_object (node), "merges", merges);
    else
      json_node_unref (merges);
  }
  json_generator_set_root (gen, node);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  printf ("%s\n", text);
  return 0;
}
