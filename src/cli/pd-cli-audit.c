/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli audit [--since DATE] [--limit N] [--json]: the audit
 * log, newest first; the Owner's only (the store refuses anyone else). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pd-cli.h"
#include "pd-error.h"
#include "pd-store-staff.h"

/* YYYY-MM-DD (local midnight) or an ISO 8601 date and time (local time
 * unless it says its zone). */
static gint64
parse_since (const char  *text,
             GError     **error)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) when = NULL;
  int y, m, d;
  char end;

  if (sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &end) == 3)
    when = g_date_time_new (local, y, m, d, 0, 0, 0);
  else
    when = g_date_time_new_from_iso8601 (text, local);
  if (when == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("“%s” is not a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM:SS)"), text);
      return -1;
    }
  return g_date_time_to_unix (when) * G_USEC_PER_SEC + g_date_time_get_microsecond (when);
}

static JsonNode *
entry_to_json (const PdAuditEntry *e)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *at = g_date_time_format_iso8601 (e->at);
  g_autoptr(JsonNode) detail = e->detail != NULL ? json_from_string (e->detail, NULL) : NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, e->id);
  json_builder_set_member_name (b, "at");
  json_builder_add_string_value (b, at);
  json_builder_set_member_name (b, "who");
  json_builder_add_string_value (b, e->who);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, pd_role_to_key (e->role));
  json_builder_set_member_name (b, "action");
  json_builder_add_string_value (b, e->action);
  json_builder_set_member_name (b, "persona_id");
  if (e->persona_id != 0)
    json_builder_add_int_value (b, e->persona_id);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "detail");
  if (detail != NULL)
    json_builder_add_value (b, g_steal_pointer (&detail));
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

int
pd_cli_audit (PdCliContext *ctx,
              int           argc,
              char        **argv)
{
  g_autofree char *since = NULL;
  gboolean json = FALSE;
  gint limit = 0;
  const GOptionEntry entries[] = {
    { "since", 0, 0, G_OPTION_ARG_STRING, &since, N_("Only entries from this date on"), N_("DATE") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most N entries, the newest"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(GPtrArray) entries_found = NULL;
  gint64 since_us = 0;

  g_option_context_set_summary (context, _("Every change made outside an import: who, when, what changed "
                                           "(newest first; the Owner only)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("audit", error->message);
  if (argc != 1 || limit < 0)
    return pd_cli_usage_error ("audit", _("unexpected argument"));
  if (since != NULL && (since_us = parse_since (since, &error)) < 0)
    return pd_cli_fail_input (error);
  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  entries_found = pd_store_list_audit (store, since_us, 0, limit, pd_cli_who (), &error);
  if (entries_found == NULL)
    return pd_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonArray) array = json_array_new ();

      for (guint i = 0; i < entries_found->len; i++)
        json_array_add_element (array, entry_to_json (g_ptr_array_index (entries_found, i)));
      json_node_set_array (root, array);
      pd_cli_print_json (root);
      return 0;
    }
  for (guint i = 0; i < entries_found->len; i++)
    {
      PdAuditEntry *e = g_ptr_array_index (entries_found, i);
      g_autoptr(GDateTime) local = g_date_time_to_local (e->at);
      g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
      g_autofree char *persona = e->persona_id != 0 ? g_strdup_printf ("#%" PRId64, e->persona_id) : g_strdup ("-");

      pd_cli_printf ("%s  %s (%s)  %s  %s  %s\n", when, e->who != NULL ? e->who : "-",
                     pd_role_to_label (e->role), e->action, persona, e->detail != NULL ? e->detail : "");
    }
  return 0;
}
