/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli override set ID FIELD VALUE | get ID [--json] | clear ID
 * FIELD: permanent overrides, which every later import (whatever its
 * action) and every lower source leave as they are. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pd-cli.h"
#include "pd-store-staff.h"
#include "pd-error.h"

static const char usage[] = N_("set ID FIELD VALUE | get ID [--json] | clear ID FIELD");

int
pd_cli_override (PdCliContext *ctx,
                 int           argc,
                 char        **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON (get)"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("set ID FIELD VALUE | get ID | clear ID FIELD"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdPersona) persona = NULL;
  g_autofree char *value = NULL;
  const char *action;
  PdFieldId field;
  gint64 id;

  g_option_context_set_summary (context, _("Pin a field's value for good: imports (even replace) and lower "
                                           "sources keep it. Fields: the single-value ones such as first_name, "
                                           "city, birth_date, signup_date, favorite_store."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("override", error->message);
  if (argc < 3)
    return pd_cli_usage_error ("override", _(usage));
  action = argv[1];
  if (!(g_str_equal (action, "set") && argc == 5) && !(g_str_equal (action, "get") && argc == 3) &&
      !(g_str_equal (action, "clear") && argc == 4))
    return pd_cli_usage_error ("override", _(usage));
  id = pd_cli_parse_id (argv[2], _("Persona ID"), &error);
  if (id == 0)
    return pd_cli_fail_input (error);
  if (argc >= 4 && !pd_override_parse (argv[3], argc == 5 ? argv[4] : NULL, &field,
                                       argc == 5 ? &value : NULL, &error))
    return pd_cli_fail_input (error);

  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  persona = pd_store_get_persona (store, id, &error);
  if (persona == NULL)
    return pd_cli_fail_input (error);

  if (g_str_equal (action, "get"))
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
        if (pd_persona_get_override (persona, f) != NULL)
          {
            if (json)
              {
                json_builder_set_member_name (b, pd_field_get_info (f)->key);
                json_builder_add_string_value (b, pd_persona_get_override (persona, f));
              }
            else
              pd_cli_printf ("%s = %s\n", pd_field_get_info (f)->key, pd_persona_get_override (persona, f));
          }
      json_builder_end_object (b);
      if (json)
        {
          root = json_builder_get_root (b);
          pd_cli_print_json (root);
        }
      return 0;
    }

  pd_persona_set_override (persona, field, value);
  if (!pd_store_save_persona_as (store, persona, pd_cli_who (), &error))
    return pd_cli_fail_input (error);
  if (value != NULL)
    pd_cli_printf (_("Persona %" PRId64 ": %s pinned to “%s”\n"), id, pd_field_get_info (field)->key, value);
  else
    printf (_("Persona %" PRId64 ": %s no longer pinned\n"), id, pd_field_get_info (field)->key);
  return 0;
}
