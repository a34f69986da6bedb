/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli accounts add NAME --role ROLE | list [--json] |
 * set-role NAME ROLE | set-password NAME | disable NAME | enable NAME |
 * on [--lock-minutes N] | off: staff accounts, which only the Owner
 * manages (the store refuses anyone else).  A new password comes from
 * PERSONA_DESK_NEW_PASSWORD or is asked twice on the terminal. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <sodium.h>

#include "pd-cli.h"
#include "pd-error.h"
#include "pd-store-staff.h"

#define NEW_PASSWORD_ENV "PERSONA_DESK_NEW_PASSWORD"

static char *
new_password (const char  *name,
              GError     **error)
{
  g_autofree char *prompt = g_strdup_printf (_("New password or PIN for %s: "), name);
  g_autofree char *again = NULL;
  char *password = pd_cli_read_secret (NEW_PASSWORD_ENV, prompt, error);

  if (password == NULL || g_getenv (NEW_PASSWORD_ENV) != NULL)
    return password;
  again = pd_cli_read_secret (NEW_PASSWORD_ENV, _("The same again: "), error);
  if (again == NULL || strcmp (again, password) != 0)
    {
      g_clear_error (error);
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("The two passwords differ"));
      sodium_memzero (password, strlen (password));
      g_free (password);
      password = NULL;
    }
  if (again != NULL)
    sodium_memzero (again, strlen (again));
  return password;
}

static gboolean
parse_role (const char  *key,
            PdRole      *role,
            GError     **error)
{
  if (key != NULL && pd_role_from_key (key, role))
    return TRUE;
  g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
               _("Unknown role “%s”: owner, manager, staff, analyst, marketing, marketing-analyst or operator"),
               key != NULL ? key : "");
  return FALSE;
}

static int
add (PdCliContext *ctx,
     int           argc,
     char        **argv)
{
  g_autofree char *role_key = NULL;
  const GOptionEntry entries[] = {
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_key,
      N_("owner, manager, staff, analyst, marketing, marketing-analyst or operator"), N_("ROLE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autofree char *password = NULL;
  PdRole role;

  g_option_context_set_summary (context, _("Add a staff account (the password from PERSONA_DESK_NEW_PASSWORD or asked)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("accounts add", error->message);
  if (argc != 2)
    return pd_cli_usage_error ("accounts add", _("expected one account name"));
  if (role_key == NULL)
    return pd_cli_usage_error ("accounts add", _("--role is required"));
  if (!parse_role (role_key, &role, &error))
    return pd_cli_fail_input (error);
  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  /* refused before a password is asked for */
  if (!pd_actor_check (pd_cli_who (), PD_PERMISSION_MANAGE_ACCOUNTS, &error))
    return pd_cli_fail (error);
  password = new_password (argv[1], &error);
  if (password == NULL)
    return pd_cli_fail_input (error);
  if (pd_store_add_account (store, argv[1], role, password, pd_cli_who (), &error) == 0)
    {
      sodium_memzero (password, strlen (password));
      return pd_cli_fail_input (error);
    }
  sodium_memzero (password, strlen (password));
  pd_cli_printf (_("Account %s added (%s)\n"), argv[1], pd_role_to_label (role));
  return 0;
}

static int
list (PdCliContext *ctx,
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
  g_autoptr(PdStore) store = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  PdStaffSettings settings;

  g_option_context_set_summary (context, _("The staff accounts, and whether they are on."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("accounts list", error->message);
  if (argc != 1)
    return pd_cli_usage_error ("accounts list", _("unexpected argument"));
  store = pd_cli_open_store (ctx, &error);
  if (store == NULL || !pd_store_get_staff_settings (store, &settings, &error))
    return pd_cli_fail (error);
  accounts = pd_store_list_accounts (store, &error);
  if (accounts == NULL)
    return pd_cli_fail (error);
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "enabled");
      json_builder_add_boolean_value (b, settings.enabled);
      json_builder_set_member_name (b, "lock_minutes");
      json_builder_add_int_value (b, settings.lock_minutes);
      json_builder_set_member_name (b, "accounts");
      json_builder_begin_array (b);
      for (guint i = 0; i < accounts->len; i++)
        {
          PdAccount *a = g_ptr_array_index (accounts, i);
          g_autofree char *created = g_date_time_format_iso8601 (a->created);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, a->name);
          json_builder_set_member_name (b, "role");
          json_builder_add_string_value (b, pd_role_to_key (a->role));
          json_builder_set_member_name (b, "disabled");
          json_builder_add_boolean_value (b, a->disabled);
          json_builder_set_member_name (b, "created");
          json_builder_add_string_value (b, created);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      pd_cli_print_json (root);
      return 0;
    }
  if (settings.enabled)
    printf (_("Staff accounts are on (lock after %u minutes idle)\n"), settings.lock_minutes);
  else
    printf ("%s\n", _("Staff accounts are off: whoever runs Persona Desk is the Owner"));
  for (guint i = 0; i < accounts->len; i++)
    {
      PdAccount *a = g_ptr_array_index (accounts, i);

      pd_cli_printf ("%-24s %-18s%s\n", a->name, pd_role_to_label (a->role),
                     a->disabled ? _("disabled") : "");
    }
  return 0;
}

static int
update (PdCliContext           *ctx,
        const char             *name,
        PdAccountUpdate        *change,
        gboolean                ask_password,
        const char             *done)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autofree char *password = NULL;
  gboolean ok;

  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  if (!pd_actor_check (pd_cli_who (), PD_PERMISSION_MANAGE_ACCOUNTS, &error))
    return pd_cli_fail (error);
  if (ask_password)
    {
      password = new_password (name, &error);
      if (password == NULL)
        return pd_cli_fail_input (error);
      change->password = password;
    }
  ok = pd_store_update_account (store, name, change, pd_cli_who (), &error);
  if (password != NULL)
    sodium_memzero (password, strlen (password));
  if (!ok)
    return pd_cli_fail_input (error);
  pd_cli_printf (done, name);
  return 0;
}

static int
set_on (PdCliContext *ctx,
        int           argc,
        char        **argv,
        gboolean      on)
{
  gint minutes = -1;
  const GOptionEntry entries[] = {
    { "lock-minutes", 0, 0, G_OPTION_ARG_INT, &minutes,
      N_("Lock the app after N minutes without use (0: never)"), N_("N") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  PdStaffSettings settings;

  g_option_context_set_summary (context, on ? _("Turn staff accounts on (an Owner account must exist).")
                                            : _("Turn staff accounts off: whoever runs Persona Desk is the Owner."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error (on ? "accounts on" : "accounts off", error->message);
  if (argc != 1 || minutes < -1 || minutes > 24 * 60)
    return pd_cli_usage_error (on ? "accounts on" : "accounts off", _("unexpected argument"));
  store = pd_cli_open_store (ctx, &error);
  if (store == NULL || !pd_store_get_staff_settings (store, &settings, &error))
    return pd_cli_fail (error);
  settings.enabled = on;
  if (minutes >= 0)
    settings.lock_minutes = minutes;
  if (!pd_store_set_staff_settings (store, &settings, pd_cli_who (), &error))
    return pd_cli_fail (error);
  printf ("%s\n", on ? _("Staff accounts are on") : _("Staff accounts are off"));
  return 0;
}

int
pd_cli_accounts (PdCliContext *ctx,
                 int           argc,
                 char        **argv)
{
  const char *sub = argc >= 2 ? argv[1] : "";
  PdAccountUpdate change = PD_ACCOUNT_UPDATE_INIT;
  g_autoptr(GError) error = NULL;

  if (g_str_equal (sub, "add"))
    return add (ctx, argc - 1, argv + 1);
  if (g_str_equal (sub, "list"))
    return list (ctx, argc - 1, argv + 1);
  if (g_str_equal (sub, "on") || g_str_equal (sub, "off"))
    return set_on (ctx, argc - 1, argv + 1, g_str_equal (sub, "on"));
  if (g_str_equal (sub, "set-role"))
    {
      if (argc != 4)
        return pd_cli_usage_error ("accounts set-role", _("expected an account name and a role"));
      if (!parse_role (argv[3], &change.role, &error))
        return pd_cli_fail_input (error);
      change.set_role = TRUE;
      return update (ctx, argv[2], &change, FALSE, _("Account %s: role changed\n"));
    }
  if (g_str_equal (sub, "set-password") || g_str_equal (sub, "disable") || g_str_equal (sub, "enable"))
    {
      if (argc != 3)
        return pd_cli_usage_error ("accounts", _("expected one account name"));
      if (g_str_equal (sub, "set-password"))
        return update (ctx, argv[2], &change, TRUE, _("Account %s: password changed\n"));
      change.disabled = g_str_equal (sub, "disable");
      return update (ctx, argv[2], &change, FALSE,
                     change.disabled ? _("Account %s disabled\n") : _("Account %s enabled\n"));
    }
  if (g_str_equal (sub, "--help") || g_str_equal (sub, "-h"))
    {
      printf ("%s\n", _("Usage: persona-desk-cli accounts add NAME --role ROLE | list [--json] | "
                        "set-role NAME ROLE | set-password NAME | disable NAME | enable NAME | "
                        "on [--lock-minutes N] | off"));
      return 0;
    }
  return pd_cli_usage_error ("accounts", _("expected add, list, set-role, set-password, disable, enable, on or off"));
}
