/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli attributes set ID NAME VALUE | get ID [NAME] [--json] |
 * delete ID NAME: a persona's custom attributes (as many as needed). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pd-cli.h"
#include "pd-store-staff.h"
#include "pd-error.h"

static const char usage[] = N_("set ID NAME VALUE | get ID [NAME] [--json] | delete ID NAME");

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char **) a, *(const char **) b);
}

int
pd_cli_attributes (PdCliContext *ctx,
                   int           argc,
                   char        **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON (get)"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("set ID NAME VALUE | get ID [NAME] | delete ID NAME"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdPersona) persona = NULL;
  g_autofree char *name = NULL;
  GHashTable *attributes;
  const char *action;
  gint64 id;

  g_option_context_set_summary (context, _("A persona's custom attributes: any name, any text."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("attributes", error->message);
  if (argc < 3)
    return pd_cli_usage_error ("attributes", _(usage));
  action = argv[1];
  if (!(g_str_equal (action, "set") && argc == 5) && !(g_str_equal (action, "get") && (argc == 3 || argc == 4)) &&
      !(g_str_equal (action, "delete") && argc == 4))
    return pd_cli_usage_error ("attributes", _(usage));
  id = pd_cli_parse_id (argv[2], _("Persona ID"), &error);
  if (id == 0)
    return pd_cli_fail_input (error);
  if (argc >= 4)
    {
      name = g_strstrip (g_strdup (argv[3]));
      if (*name == '\0' || !g_utf8_validate (name, -1, NULL) || g_utf8_strlen (name, -1) > 100)
        {
          g_set_error (&error, PD_ERROR, PD_ERROR_INVALID,
                       _("“%s” is not an attribute name (1 to 100 characters)"), argv[3]);
          return pd_cli_fail_input (error);
        }
    }
  if (g_str_equal (action, "set") && *g_strstrip (argv[4]) == '\0')
    return pd_cli_usage_error ("attributes", _("the VALUE is empty: use delete to remove an attribute"));

  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  persona = pd_store_get_persona (store, id, &error);
  if (persona == NULL)
    return pd_cli_fail_input (error);
  attributes = pd_persona_get_attributes (persona);

  if (g_str_equal (action, "get"))
    {
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      GHashTableIter iter;
      gpointer key;
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      if (name != NULL && !g_hash_table_contains (attributes, name))
        {
          g_set_error (&error, PD_ERROR, PD_ERROR_NOT_FOUND, _("Persona %" PRId64 " has no attribute “%s”"),
                       id, name);
          return pd_cli_fail_input (error);
        }
      g_hash_table_iter_init (&iter, attributes);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_ptr_array_add (names, key);
      g_ptr_array_sort (names, compare_names);
      json_builder_begin_object (b);
      for (guint i = 0; i < names->len; i++)
        {
          const char *n = names->pdata[i];

          if (name != NULL && !g_str_equal (n, name))
            continue;
          if (json)
            {
              json_builder_set_member_name (b, n);
              json_builder_add_string_value (b, g_hash_table_lookup (attributes, n));
            }
          else if (name != NULL)
            pd_cli_printf ("%s\n", (const char *) g_hash_table_lookup (attributes, n));
          else
            pd_cli_printf ("%s = %s\n", n, (const char *) g_hash_table_lookup (attributes, n));
        }
      json_builder_end_object (b);
      if (json)
        {
          root = json_builder_get_root (b);
          pd_cli_print_json (root);
        }
      return 0;
    }

  if (g_str_equal (action, "delete") && !g_hash_table_contains (attributes, name))
    {
      g_set_error (&error, PD_ERROR, PD_ERROR_NOT_FOUND, _("Persona %" PRId64 " has no attribute “%s”"), id, name);
      return pd_cli_fail_input (error);
    }
  pd_persona_set_attribute (persona, name, g_str_equal (action, "set") ? argv[4] : NULL);
  if (!pd_store_save_persona_as (store, persona, pd_cli_who (), &error))
    return pd_cli_fail_input (error);
  return 0;
}
