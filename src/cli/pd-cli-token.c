/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli token create NAME [--read-only|--import] | list [--json] |
 * revoke NAME: the HTTP API's bearer tokens (the Owner's).  A token is
 * shown once, when made; the database keeps its SHA-256 only. */
#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pd-api-token.h"
#include "pd-cli.h"
#include "pd-error.h"

static const char usage[] = N_("create NAME [--read-only|--import] | list [--json] | revoke NAME");

int
pd_cli_token (PdCliContext *ctx,
              int           argc,
              char        **argv)
{
  gboolean read_only = FALSE, import = FALSE, json = FALSE;
  const GOptionEntry entries[] = {
    { "read-only", 0, 0, G_OPTION_ARG_NONE, &read_only,
      N_("create: the token may read but not write (403 on writes)"), NULL },
    { "import", 0, 0, G_OPTION_ARG_NONE, &import,
      N_("create: the token may also bulk-import (POST /customers/bulk), as the Owner would"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("list: print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("create NAME | list | revoke NAME"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  PdActor actor = pd_cli_actor ();
  const char *action;

  g_option_context_set_summary (context, _("Bearer tokens for the HTTP API (persona-desk-cli serve). "
                                           "A new token is printed once; only its hash is kept."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("token", error->message);
  if (argc < 2)
    return pd_cli_usage_error ("token", _(usage));
  action = argv[1];
  if (!(g_str_equal (action, "create") && argc == 3) && !(g_str_equal (action, "list") && argc == 2) &&
      !(g_str_equal (action, "revoke") && argc == 3))
    return pd_cli_usage_error ("token", _(usage));
  if (read_only && import)
    return pd_cli_usage_error ("token", _("--read-only and --import exclude each other"));
  if (g_str_equal (action, "create") && !pd_api_token_check_name (argv[2], &error))
    return pd_cli_fail_input (error);
  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);

  if (g_str_equal (action, "create"))
    {
      g_autofree char *token = NULL;

      PdApiTokenAccess access = read_only ? PD_API_TOKEN_READ_ONLY
                              : import ? PD_API_TOKEN_IMPORT : PD_API_TOKEN_READ_WRITE;

      if (!pd_store_create_api_token (store, argv[2], access, &actor, &token, &error))
        return pd_cli_fail_input (error);
      /* the token alone on stdout, for scripts; the advice on stderr */
      printf ("%s\n", token);
      g_printerr (_("Token “%s” created%s. It is shown only now: keep it where the client can read it.\n"),
                  argv[2], read_only ? _(" (read-only)") : import ? _(" (may import)") : "");
      return 0;
    }
  if (g_str_equal (action, "revoke"))
    {
      if (!pd_store_revoke_api_token (store, argv[2], &actor, &error))
        return pd_cli_fail_input (error);
      printf (_("Token “%s” revoked\n"), argv[2]);
      return 0;
    }

  {
    g_autoptr(GPtrArray) tokens = pd_store_list_api_tokens (store, &error);
    g_autoptr(JsonBuilder) b = json_builder_new ();
    g_autoptr(JsonNode) root = NULL;

    if (tokens == NULL)
      return pd_cli_fail (error);
    json_builder_begin_array (b);
    for (guint i = 0; i < tokens->len; i++)
      {
        const PdApiToken *t = tokens->pdata[i];
        g_autofree char *created = g_date_time_format_iso8601 (t->created);

        if (json)
          {
            json_builder_begin_object (b);
            json_builder_set_member_name (b, "name");
            json_builder_add_string_value (b, t->name);
            json_builder_set_member_name (b, "read_only");
            json_builder_add_boolean_value (b, t->read_only);
            json_builder_set_member_name (b, "import");
            json_builder_add_boolean_value (b, t->may_import);
            json_builder_set_member_name (b, "created");
            json_builder_add_string_value (b, created);
            json_builder_end_object (b);
          }
        else
          pd_cli_printf ("%-24s %-10s %s\n", t->name, t->read_only ? _("read-only") : t->may_import ? _("import") : _("read-write"), created);
      }
    json_builder_end_array (b);
    if (json)
      {
        root = json_builder_get_root (b);
        pd_cli_print_json (root);
      }
  }
  return 0;
}
