/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli outbox list|export [--json] [--all], outbox mark-sent
 * ID…: the texts the desk cannot send itself, for whatever sends them. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pd-cli.h"
#include "pd-store-staff.h"
#include "pd-error.h"

static JsonNode *
message_to_json (const PdOutboxMessage *m)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *created = g_date_time_format_iso8601 (m->created);
  g_autofree char *sent = m->sent != NULL ? g_date_time_format_iso8601 (m->sent) : NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, m->id);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, m->kind);
  json_builder_set_member_name (b, "phone");
  json_builder_add_string_value (b, m->phone);
  json_builder_set_member_name (b, "persona_id");
  if (m->persona_id != 0)
    json_builder_add_int_value (b, m->persona_id);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "created");
  json_builder_add_string_value (b, created);
  json_builder_set_member_name (b, "sent");
  json_builder_add_string_value (b, sent);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static int
list (PdCliContext *ctx,
      const char   *command,
      int           argc,
      char        **argv,
      gboolean      always_json)
{
  gboolean json = always_json, all = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Also the texts already marked sent"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  g_option_context_set_summary (context, always_json
    ? _("The texts waiting to be sent, as JSON for a sender (then: outbox mark-sent ID…).")
    : _("The texts waiting to be sent."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error (command, error->message);
  if (argc != 1)
    return pd_cli_usage_error (command, _("unexpected argument"));
  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  /* an expired request's text is no longer worth sending */
  if (!pd_store_expire_sms_requests (store, 0, NULL, &error))
    return pd_cli_fail (error);
  messages = pd_store_list_outbox (store, !all, &error);
  if (messages == NULL)
    return pd_cli_fail (error);
  if (json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < messages->len; i++)
        json_array_add_element (array, message_to_json (messages->pdata[i]));
      json_node_take_array (root, array);
      pd_cli_print_json (root);
      return 0;
    }
  for (guint i = 0; i < messages->len; i++)
    {
      const PdOutboxMessage *m = messages->pdata[i];
      g_autofree char *created = g_date_time_format (m->created, "%Y-%m-%d %H:%M");

      printf ("%6" PRId64 "  %-14s %-16s %s  %s\n", m->id, m->kind, m->phone, created,
              m->sent != NULL ? _("sent") : _("waiting"));
    }
  return 0;
}

static int
mark_sent (PdCliContext *ctx,
           int           argc,
           char        **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID…"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_option_context_set_summary (context, _("Record that these texts went out (all or none)."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("outbox mark-sent", error->message);
  if (argc < 2)
    return pd_cli_usage_error ("outbox mark-sent", _("expected one or more outbox IDs"));
  for (int i = 1; i < argc; i++)
    {
      gint64 id = pd_cli_parse_id (argv[i], _("Outbox ID"), &error);

      if (id == 0)
        return pd_cli_fail_input (error);
      g_array_append_val (ids, id);
    }
  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  if (!pd_store_mark_outbox_sent_as (store, (const gint64 *) ids->data, ids->len, pd_cli_who (), &error))
    return pd_cli_fail_input (error);
  printf (g_dngettext (GETTEXT_PACKAGE, "%u text marked sent\n", "%u texts marked sent\n", ids->len), ids->len);
  return 0;
}

int
pd_cli_outbox (PdCliContext *ctx,
               int           argc,
               char        **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return list (ctx, "outbox list", argc - 1, argv + 1, FALSE);
  if (argc >= 2 && g_str_equal (argv[1], "export"))
    return list (ctx, "outbox export", argc - 1, argv + 1, TRUE);
  if (argc >= 2 && g_str_equal (argv[1], "mark-sent"))
    return mark_sent (ctx, argc - 1, argv + 1);
  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      printf ("%s\n", _("Usage: persona-desk-cli outbox list|export [--json] [--all] | mark-sent ID…"));
      return 0;
    }
  return pd_cli_usage_error ("outbox", _("expected list, export or mark-sent"));
}
