/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli points adjust|timeline|adjustments: staff adjustments
 * and the ledger, one persona's or everyone's. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pd-cli.h"
#include "pd-error.h"

static const char usage[] =
  N_("adjust (--id N | --email E | --phone P) DELTA --reason TEXT\n"
     "  timeline ID [--json]\n"
     "  adjustments [--since DATE] [--json]");

static JsonNode *
entry_to_json (const PdLedgerEntry *e)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *time = e->time != NULL ? g_date_time_format_iso8601 (e->time) : NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, e->id);
  json_builder_set_member_name (b, "persona_id");
  json_builder_add_int_value (b, e->persona_id);
  json_builder_set_member_name (b, "time");
  json_builder_add_string_value (b, time);
  json_builder_set_member_name (b, "delta");
  json_builder_add_int_value (b, e->delta);
  json_builder_set_member_name (b, "balance");
  json_builder_add_int_value (b, e->balance);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, pd_source_to_string (e->source));
  json_builder_set_member_name (b, "who");
  json_builder_add_string_value (b, e->actor);
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, e->reason);
  json_builder_set_member_name (b, "import_id");
  if (e->import_id != 0)
    json_builder_add_int_value (b, e->import_id);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Oldest first: a timeline reads down to the balance now. */
static void
print_entries (GPtrArray *entries,
               gboolean   json,
               gboolean   with_persona)
{
  if (json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < entries->len; i++)
        json_array_add_element (array, entry_to_json (entries->pdata[i]));
      json_node_take_array (root, array);
      pd_cli_print_json (root);
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      const PdLedgerEntry *e = entries->pdata[i];
      g_autofree char *time = g_date_time_format (e->time, "%Y-%m-%d %H:%M");
      g_autofree char *import = e->import_id != 0 ? g_strdup_printf (_(" import %" PRId64), e->import_id)
                                                  : g_strdup ("");

      if (with_persona)
        pd_cli_printf ("%-16s %8" PRId64 " %+8" PRId64 " %8" PRId64 "  %s%s%s%s  %s\n", time, e->persona_id,
                e->delta, e->balance, pd_source_to_string (e->source), e->actor ? " " : "",
                e->actor ? e->actor : "", import, e->reason ? e->reason : "");
      else
        pd_cli_printf ("%-16s %+8" PRId64 " %8" PRId64 "  %s%s%s%s  %s\n", time, e->delta, e->balance,
                pd_source_to_string (e->source), e->actor ? " " : "", e->actor ? e->actor : "", import,
                e->reason ? e->reason : "");
    }
}

/* GOption takes "-20" for options: a negative DELTA is taken out first. */
static char *
take_negative_number (int    *argc,
                      char  **argv)
{
  for (int i = 1; i < *argc; i++)
    {
      const char *a = argv[i];

      if (g_str_equal (a, "--"))
        break;
      if (a[0] == '-' && g_ascii_isdigit (a[1]) && strspn (a + 1, "0123456789") == strlen (a + 1))
        {
          char *taken = g_strdup (a);

          memmove (argv + i, argv + i + 1, (*argc - i - 1) * sizeof (char *));
          (*argc)--;
          return taken;
        }
    }
  return NULL;
}

static int
points_adjust (PdCliContext *ctx,
               int           argc,
               char        **argv)
{
  g_autofree char *email = NULL, *phone = NULL, *region = NULL, *reason = NULL;
  g_autofree char *negative = take_negative_number (&argc, argv);
  gint64 id = 0, delta = 0, balance = 0, persona_id;
  const GOptionEntry entries[] = {
    { "id", 0, 0, G_OPTION_ARG_INT64, &id, N_("The persona with this ID"), N_("N") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("The persona with this email"), N_("EMAIL") },
    { "phone", 0, 0, G_OPTION_ARG_STRING, &phone, N_("The persona with this phone, in any format"), N_("PHONE") },
    { "region", 0, 0, G_OPTION_ARG_STRING, &region,
      N_("Country of a phone written without +, e.g. US, GB (default US)"), N_("CC") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why (kept in the ledger; required)"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("DELTA"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  PdActor actor = pd_cli_actor ();
  const char *delta_text;

  g_option_context_set_summary (context, _("Add points to a persona's balance (a negative DELTA takes them "
                                           "away; not below zero unless allow-negative-balance is on)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("points adjust", error->message);
  if (argc + (negative != NULL) != 2)
    return pd_cli_usage_error ("points adjust", _("expected one DELTA, e.g. 50 or -20"));
  delta_text = negative != NULL ? negative : argv[1];
  if (!pd_points_parse_delta (delta_text, &delta, &error))
    return pd_cli_fail_input (error);
  if (reason == NULL || *g_strstrip (reason) == '\0')
    return pd_cli_usage_error ("points adjust", _("--reason is required"));

  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  persona_id = pd_cli_find_persona (store, id, email, phone, region, &error);
  if (persona_id == 0)
    return pd_cli_fail_input (error);
  if (!pd_store_adjust_points_as (store, persona_id, delta, reason, &actor, &balance, &error))
    return pd_cli_fail_input (error);
  printf (_("Persona %" PRId64 ": %+" PRId64 " points, balance %" PRId64 "\n"), persona_id, delta, balance);
  return 0;
}

static int
points_timeline (PdCliContext *ctx,
                 int           argc,
                 char        **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdPersona) persona = NULL;
  g_autoptr(GPtrArray) entries_list = NULL;
  gint64 id;

  g_option_context_set_summary (context, _("A persona's points ledger, oldest first, with the balance after "
                                           "each entry."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("points timeline", error->message);
  if (argc != 2)
    return pd_cli_usage_error ("points timeline", _("expected one persona ID"));
  id = pd_cli_parse_id (argv[1], _("Persona ID"), &error);
  if (id == 0)
    return pd_cli_fail_input (error);

  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  persona = pd_store_get_persona (store, id, &error);
  if (persona == NULL)
    return pd_cli_fail_input (error);
  entries_list = pd_store_list_ledger (store, id, &error);
  if (entries_list == NULL)
    return pd_cli_fail (error);
  /* the store lists newest first, for the detail pane */
  for (guint i = 0; i < entries_list->len / 2; i++)
    {
      gpointer t = entries_list->pdata[i];

      entries_list->pdata[i] = entries_list->pdata[entries_list->len - 1 - i];
      entries_list->pdata[entries_list->len - 1 - i] = t;
    }
  print_entries (entries_list, json, FALSE);
  return 0;
}

/* "2026-12-01", "2026-12-01T10:00:00Z" or with an offset; a date alone is
 * midnight local time. */
static gint64
parse_since (const char  *text,
             GError     **error)
{
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  int y, m, d;
  char end;

  if (sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &end) == 3)
    time = g_date_time_new (local, y, m, d, 0, 0, 0);
  else
    time = g_date_time_new_from_iso8601 (text, local);
  if (time == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("“%s” is not a date (use YYYY-MM-DD or an ISO 8601 time)"), text);
      return -1;
    }
  return g_date_time_to_unix (time) * G_USEC_PER_SEC;
}

static int
points_adjustments (PdCliContext *ctx,
                    int           argc,
                    char        **argv)
{
  g_autofree char *since = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "since", 0, 0, G_OPTION_ARG_STRING, &since, N_("Only entries from this date or time on"), N_("DATE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 since_us = 0;

  g_option_context_set_summary (context, _("Every persona's ledger entries (imports, staff, API, undo), "
                                           "oldest first."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("points adjustments", error->message);
  if (argc != 1)
    return pd_cli_usage_error ("points adjustments", _("unexpected argument"));
  if (since != NULL && (since_us = parse_since (since, &error)) < 0)
    return pd_cli_fail_input (error);

  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  list = pd_store_list_ledger_since (store, since_us, &error);
  if (list == NULL)
    return pd_cli_fail (error);
  print_entries (list, json, TRUE);
  return 0;
}

int
pd_cli_points (PdCliContext *ctx,
               int           argc,
               char        **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "adjust"))
    return points_adjust (ctx, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "timeline"))
    return points_timeline (ctx, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "adjustments"))
    return points_adjustments (ctx, argc - 1, argv + 1);
  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      printf ("%s\n  %s\n", _("Usage: persona-desk-cli points"), _(usage));
      return 0;
    }
  return pd_cli_usage_error ("points", _(usage));
}
