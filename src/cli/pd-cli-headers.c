/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli headers [--json]: the field catalogue, for people
 * writing files and for scripts. */
#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pd-cli.h"
#include "pd-field.h"
#include "pd-json.h"

static void
add_strv (JsonBuilder        *builder,
          const char         *name,
          const char * const *strv)
{
  json_builder_set_member_name (builder, name);
  if (strv == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_array (builder);
  for (guint i = 0; strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

static JsonNode *
fields_to_json (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (PdFieldId id = 0; id < (PdFieldId) pd_field_get_count (); id++)
    {
      const PdFieldInfo *info = pd_field_get_info (id);
      const PdFieldInfo *overrides = pd_field_get_info (info->overrides);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "key");
      json_builder_add_string_value (builder, info->key);
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, _(info->label));
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, pd_field_type_to_string (info->type));
      json_builder_set_member_name (builder, "multi");
      json_builder_add_boolean_value (builder, info->multi);
      json_builder_set_member_name (builder, "identifier");
      json_builder_add_boolean_value (builder, info->identifier);
      pd_json_add_nullable_string (builder, "overrides", overrides != NULL ? overrides->key : NULL);
      add_strv (builder, "choices", info->choices);
      add_strv (builder, "synonyms", info->synonyms);
      json_builder_set_member_name (builder, "example");
      json_builder_add_string_value (builder, info->example);
      json_builder_end_object (builder);
    }

  /* Custom attributes are not fields of the table but a header form. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, PD_ATTRIBUTE_PREFIX "NAME");
  json_builder_set_member_name (builder, "label");
  json_builder_add_string_value (builder, _("Custom attribute"));
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, pd_field_type_to_string (PD_FIELD_TYPE_TEXT));
  json_builder_set_member_name (builder, "multi");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "identifier");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "overrides");
  json_builder_add_null_value (builder);
  add_strv (builder, "choices", NULL);
  add_strv (builder, "synonyms", (const char * const []) {
              "attribute:NAME", "Attribute: NAME", "Custom: NAME", "Custom attribute NAME", NULL });
  json_builder_set_member_name (builder, "example");
  json_builder_add_string_value (builder, "");
  json_builder_end_object (builder);

  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

int
pd_cli_headers (PdCliContext *ctx,
                int           argc,
                char        **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, _("List every persona field with its label, type, "
                                           "whether it holds several values, and the header "
                                           "spellings that map to it."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("headers", error->message);
  if (argc > 1)
    return pd_cli_usage_error ("headers", _("no arguments expected"));

  if (json)
    {
      g_autoptr(JsonNode) node = fields_to_json ();
      g_autofree char *text = json_to_string (node, TRUE);

      printf ("%s\n", text);
      return 0;
    }

  for (PdFieldId id = 0; id < (PdFieldId) pd_field_get_count (); id++)
    {
      const PdFieldInfo *info = pd_field_get_info (id);
      g_autofree char *synonyms = g_strjoinv (", ", (char **) info->synonyms);
      const PdFieldInfo *overrides = pd_field_get_info (info->overrides);

      printf ("%-24s %s (%s%s%s)\n", info->key, _(info->label),
              pd_field_type_to_string (info->type),
              info->multi ? _(", several values") : "",
              info->identifier ? _(", identifies a persona") : "");
      if (info->choices != NULL)
        {
          g_autofree char *choices = g_strjoinv (", ", (char **) info->choices);

          printf ("%-24s   %s %s\n", "", _("One of:"), choices);
        }
      if (overrides != NULL)
        printf ("%-24s   %s %s\n", "", _("Overrides:"), overrides->key);
      printf ("%-24s   %s %s\n", "", _("Also read from:"), synonyms);
    }
  printf ("%-24s %s\n", PD_ATTRIBUTE_PREFIX "NAME",
          _("Custom attribute NAME; headers “attribute:NAME”, “Custom: NAME” or "
            "“Custom attribute NAME” map to it"));

  return 0;
}
