/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli source-id set ID SOURCE:ID | get ID [--json] | delete
 * ID SOURCE: a persona's IDs in integrations (a POS's customer number).
 * `show --source SOURCE --source-id ID` finds a persona by one. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pd-cli.h"
#include "pd-store-staff.h"
#include "pd-error.h"

static const char usage[] = N_("set ID SOURCE:ID | get ID [--json] | delete ID SOURCE");

int
pd_cli_source_id (PdCliContext *ctx,
                  int           argc,
                  char        **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON (get)"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("set ID SOURCE:ID | get ID | delete ID SOURCE"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdPersona) persona = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autofree char *source = NULL, *source_id = NULL;
  const char *action;
  gint64 id;

  g_option_context_set_summary (context, _("A persona's IDs in other systems, as SOURCE:ID (e.g. pos:1234), one "
                                           "per source."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("source-id", error->message);
  if (argc < 3)
    return pd_cli_usage_error ("source-id", _(usage));
  action = argv[1];
  if (!(g_str_equal (action, "set") && argc == 4) && !(g_str_equal (action, "get") && argc == 3) &&
      !(g_str_equal (action, "delete") && argc == 4))
    return pd_cli_usage_error ("source-id", _(usage));
  id = pd_cli_parse_id (argv[2], _("Persona ID"), &error);
  if (id == 0)
    return pd_cli_fail_input (error);
  if (g_str_equal (action, "set") && !pd_source_id_parse (argv[3], &source, &source_id, &error))
    return pd_cli_fail_input (error);
  if (g_str_equal (action, "delete"))
    {
      source = g_strdup (argv[3]);
      if (!pd_source_id_check (source, NULL, &error))
        return pd_cli_fail_input (error);
    }

  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  persona = pd_store_get_persona (store, id, &error);
  if (persona == NULL)
    return pd_cli_fail_input (error);
  if (!g_str_equal (action, "get"))
    {
      if (!pd_store_set_source_id_as (store, id, source, source_id, pd_cli_who (), &error))
        return pd_cli_fail_input (error);
      return 0;
    }
  ids = pd_store_list_source_ids (store, id, &error);
  if (ids == NULL)
    return pd_cli_fail (error);
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      for (guint i = 0; i < ids->len; i++)
        {
          g_auto(GStrv) parts = g_strsplit (ids->pdata[i], ":", 2);

          json_builder_set_member_name (b, parts[0]);
          json_builder_add_string_value (b, parts[1]);
        }
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      pd_cli_print_json (root);
      return 0;
    }
  for (guint i = 0; i < ids->len; i++)
    pd_cli_printf ("%s\n", (const char *) ids->pdata[i]);
  return 0;
}
