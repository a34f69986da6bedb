/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli import FILE: the import engine from the command line.
 * Exit 0 when the import completed (with or without failed rows), 1 when
 * it was refused, failed or cancelled (the database is then unchanged),
 * 2 for usage errors, 3 when the file's content was imported before and
 * --same-file does not say what to do (nothing is written). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "pd-cli.h"
#include "pd-error.h"
#include "pd-import-job.h"
#include "pd-report-writer.h"

typedef struct {
  GMainLoop    *loop;
  GCancellable *cancellable;
  gboolean      ok;
  GError       *error;
  gboolean      interrupted;
} RunData;

static gboolean
on_sigint (gpointer data)
{
  RunData *run = data;

  /* The worker stops at the next batch and rolls everything back. */
  run->interrupted = TRUE;
  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
on_progress_changed (PdImportJob *job,
                     guint        rows,
                     double       fraction,
                     gpointer     user_data)
{
  gboolean tty = GPOINTER_TO_INT (user_data);
  g_autofree char *waiting = pd_import_job_dup_waiting_message (job);

  /* the wait for another desk's import is said on a line of its own, to
   * a log too */
  if (waiting != NULL)
    {
      g_printerr ("%s%s\n", tty ? "\r" : "", waiting);
      return;
    }
  if (!tty)
    return;
  g_printerr ("\r");
  g_printerr (g_dngettext (GETTEXT_PACKAGE, "Importing… %u row (%u%%)", "Importing… %u rows (%u%%)", rows),
              rows, (guint) (fraction * 100));
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      data)
{
  RunData *run = data;

  run->ok = pd_import_job_run_finish (PD_IMPORT_JOB (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
print_string (GString    *out,
              const char *text)
{
  /* json-glib's escaping, without building a tree of a million rows */
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *escaped = NULL;
  const char *p;

  /* Most reasons need no escaping at all (json-glib keeps UTF-8 as is):
   * printed directly, as json-glib would, without a node per string. */
  for (p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\')
      break;
  if (*p == '\0' && g_utf8_validate (text, p - text, NULL))
    {
      g_string_append_c (out, '"');
      g_string_append_len (out, text, p - text);
      g_string_append_c (out, '"');
      return;
    }

  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (node, text);
  escaped = json_to_string (node, FALSE);
  g_string_append (out, escaped);
}

typedef struct {
  GString  *out;
  gboolean  failed_rows;  /* this pass: the failed and ignored rows, or the warnings */
  gboolean  first;
} JsonPass;

static void
json_row (PdImportRowResult *r,
          gpointer           data)
{
  JsonPass *pass = data;
  gboolean reported = r->outcome == PD_IMPORT_OUTCOME_FAILED || r->outcome == PD_IMPORT_OUTCOME_IGNORED;

  if (reported != pass->failed_rows)
    return;
  g_string_append_printf (pass->out, "%s\n    { \"row\" : %u, \"outcome\" : \"%s\", \"reasons\" : [",
                          pass->first ? "" : ",", r->row, pd_import_outcome_to_string (r->outcome));
  pass->first = FALSE;
  for (guint k = 0; k < r->reasons->len; k++)
    {
      if (k > 0)
        g_string_append (pass->out, ", ");
      print_string (pass->out, g_ptr_array_index (r->reasons, k));
    }
  g_string_append_c (pass->out, ']');
  if (r->persona_id != 0)
    g_string_append_printf (pass->out, ", \"persona_id\" : %" PRId64, r->persona_id);
  g_string_append (pass->out, " }");
  if (pass->out->len > 65536)
    {
      fwrite (pass->out->str, 1, pass->out->len, stdout);
      g_string_truncate (pass->out, 0);
    }
}

/* Printed row by row from the job's results: a file with a million
 * failed rows must not become a million-node tree first. */
static gboolean
print_json (PdImportJob  *job,
            GError      **error)
{
  const PdImportInfo *info = pd_import_job_get_info (job);
  g_autoptr(GString) out = g_string_new (NULL);

  g_string_append_printf (out, "{\n  \"import_id\" : %" PRId64 ",\n  \"total\" : %u,\n"
                               "  \"imported\" : %u,\n  \"updated\" : %u,\n  \"ignored\" : %u,\n"
                               "  \"failed\" : %u,\n  \"duration_ms\" : %" PRId64 ",\n",
                          info->id, info->total, info->imported, info->updated, info->ignored,
                          info->failed, info->duration_ms);

  /* "rows": every row not imported or updated; "warnings": rows that were
   * imported or updated with a warning (e.g. an explicit opt-out kept). */
  for (int p = 0; p < 2; p++)
    {
      JsonPass pass = { out, p == 0, TRUE };

      g_string_append (out, p == 0 ? "  \"rows\" : [" : ",\n  \"warnings\" : [");
      if (!pd_import_job_foreach_row_result (job, json_row, &pass, error))
        return FALSE;
      g_string_append (out, pass.first ? "]" : "\n  ]");
    }
  g_string_append_printf (out, ",\n  \"warning_rows\" : %u", pd_import_job_get_n_warning_rows (job));
  /* phones left out of a row because another customer has them */
  g_string_append_printf (out, ",\n  \"shared_phones\" : %u", pd_import_job_get_n_shared_phones (job));
  /* the same content imported before: that import's id, and the rows
   * whose points were left out (--same-file skip-points) */
  if (pd_import_job_get_earlier_import (job) != NULL)
    g_string_append_printf (out, ",\n  \"earlier_import\" : %" PRId64, pd_import_job_get_earlier_import (job)->id);
  else
    g_string_append (out, ",\n  \"earlier_import\" : null");
  g_string_append_printf (out, ",\n  \"points_skipped\" : %u", pd_import_job_get_n_points_skipped (job));
  /* rows of this file whose points earlier imports of other files applied */
  g_string_append_printf (out, ",\n  \"same_rows\" : %u",
                          pd_same_rows_get_n_rows (pd_import_job_get_same_rows (job)));
  if (pd_import_job_get_same_rows_import (job) != NULL)
    g_string_append_printf (out, ",\n  \"same_rows_import\" : %" PRId64,
                            pd_import_job_get_same_rows_import (job)->id);
  else
    g_string_append (out, ",\n  \"same_rows_import\" : null");
  if (pd_import_job_get_dry_run (job))
    {
      GPtrArray *changes = pd_import_job_get_changes (job);

      /* "changes": the fields the import would change on matched
       * personas (the first PD_IMPORT_MAX_CHANGES of "changes_total") */
      g_string_append (out, ",\n  \"dry_run\" : true,\n  \"changes\" : [");
      for (guint i = 0; i < changes->len; i++)
        {
          const PdImportFieldChange *c = g_ptr_array_index (changes, i);

          g_string_append_printf (out, "%s\n    { \"row\" : %u, \"persona_id\" : %" PRId64
                                       ", \"field\" : ", i > 0 ? "," : "", c->row, c->persona_id);
          print_string (out, c->field);
          g_string_append (out, ", \"old\" : ");
          if (c->old_value != NULL)
            print_string (out, c->old_value);
          else
            g_string_append (out, "null");
          g_string_append (out, ", \"new\" : ");
          if (c->new_value != NULL)
            print_string (out, c->new_value);
          else
            g_string_append (out, "null");
          g_string_append (out, " }");
        }
      g_string_append_printf (out, "%s],\n  \"changes_total\" : %u", changes->len > 0 ? "\n  " : "",
                              pd_import_job_get_n_changes (job));
    }
  g_string_append (out, "\n}\n");
  fwrite (out->str, 1, out->len, stdout);
  return TRUE;
}

static void
human_row (PdImportRowResult *r,
           gpointer           data)
{
  /* Most reasons already start with "Row N, column …": don't say it twice. */
  g_autofree char *row_prefix = g_strdup_printf (_("Row %u"), r->row);

  for (guint k = 0; k < r->reasons->len; k++)
    {
      const char *reason = g_ptr_array_index (r->reasons, k);

      if (g_str_has_prefix (reason, row_prefix) &&
          !g_ascii_isdigit (reason[strlen (row_prefix)]))
        pd_cli_printf (_("  [%s] %s\n"), pd_import_outcome_to_string (r->outcome), reason);
      else
        pd_cli_printf (_("  [%s] Row %u: %s\n"), pd_import_outcome_to_string (r->outcome), r->row, reason);
    }
}

static gboolean
print_human (PdImportJob  *job,
             GError      **error)
{
  const PdImportInfo *info = pd_import_job_get_info (job);

  if (pd_import_job_get_earlier_import (job) != NULL)
    {
      g_autofree char *what = pd_import_earlier_describe (pd_import_job_get_earlier_import (job));

      pd_cli_printf ("%s\n", what);
    }
  if (pd_import_job_get_same_rows_import (job) != NULL)
    {
      g_autofree char *what = pd_same_rows_describe (pd_import_job_get_same_rows (job),
                                                     pd_import_job_get_same_rows_import (job));

      pd_cli_printf ("%s\n", what);
    }
  if (pd_import_job_get_n_points_skipped (job) > 0)
    pd_cli_printf (g_dngettext (GETTEXT_PACKAGE,
                                "Points of %u row already imported were left out\n",
                                "Points of %u rows already imported were left out\n",
                                pd_import_job_get_n_points_skipped (job)),
                   pd_import_job_get_n_points_skipped (job));

  if (pd_import_job_get_dry_run (job))
    {
      GPtrArray *changes = pd_import_job_get_changes (job);

      pd_cli_printf (g_dngettext (GETTEXT_PACKAGE,
                                  "Dry run (nothing written): %u row, %u would be imported, %u updated, %u ignored, "
                                  "%u failed\n",
                                  "Dry run (nothing written): %u rows, %u would be imported, %u updated, %u ignored, "
                                  "%u failed\n", info->total),
              info->total, info->imported, info->updated, info->ignored, info->failed);
      for (guint i = 0; i < changes->len; i++)
        {
          const PdImportFieldChange *c = g_ptr_array_index (changes, i);

          pd_cli_printf (_("  Row %u, persona %" PRId64 ": %s: %s → %s\n"), c->row, c->persona_id,
                  c->field, c->old_value != NULL ? c->old_value : "", c->new_value != NULL ? c->new_value : "");
        }
      if (pd_import_job_get_n_changes (job) > changes->len)
        pd_cli_printf (g_dngettext (GETTEXT_PACKAGE, "  … and %u more change\n", "  … and %u more changes\n",
                                    pd_import_job_get_n_changes (job) - changes->len),
                       pd_import_job_get_n_changes (job) - changes->len);
      return pd_import_job_foreach_row_result (job, human_row, NULL, error);
    }

  pd_cli_printf (_("Import %" PRId64 " “%s”: %u rows, %u imported, %u updated, %u ignored, %u failed "
            "(%" PRId64 " ms)\n"),
          info->id, info->name, info->total, info->imported, info->updated, info->ignored, info->failed,
          info->duration_ms);
  if (pd_import_job_get_n_warning_rows (job) > 0)
    pd_cli_printf (_("%u rows imported or updated with warnings (values left out, listed below)\n"),
            pd_import_job_get_n_warning_rows (job));
  if (pd_import_job_get_n_shared_phones (job) > 0)
    pd_cli_printf (_("%u phones shared with another customer were kept apart (--on-conflict merge to "
              "combine)\n"), pd_import_job_get_n_shared_phones (job));
  return pd_import_job_foreach_row_result (job, human_row, NULL, error);
}

int
pd_cli_import (PdCliContext *ctx,
               int           argc,
               char        **argv)
{
  g_auto(PdCliSourceArgs) source_args = { 0 };
  g_autofree char *match = NULL;
  g_autofree char *on_match = NULL;
  g_autofree char *on_conflict = NULL;
  g_autofree char *person_type = NULL;
  g_autofree char *tags = NULL;
  g_autofree char *name = NULL;
  g_autofree char *report = NULL;
  g_autofree char *same_file = NULL;
  gboolean opt_in_all_email = FALSE, opt_in_all_sms = FALSE, auto_tag = FALSE;
  gboolean accept_terms = FALSE, json = FALSE, dry_run = FALSE;
  const GOptionEntry entries[] = {
    { "match", 0, 0, G_OPTION_ARG_STRING, &match,
      N_("Keys that find an existing persona: email, phone, external_id, channel IDs (default email,phone)"),
      N_("KEYS") },
    { "on-match", 0, 0, G_OPTION_ARG_STRING, &on_match,
      N_("What a matching row does: ignore (discard), update, append, replace, merge (default). "
         "Points in the file are always added to the balance"),
      N_("ACTION") },
    { "on-conflict", 0, 0, G_OPTION_ARG_STRING, &on_conflict,
      N_("A row whose phone is another customer's (with another email): separate (default: kept "
         "apart, without that phone) or merge (combined into that customer)"),
      N_("ACTION") },
    { "opt-in-all-email", 0, 0, G_OPTION_ARG_NONE, &opt_in_all_email,
      N_("Opt every imported persona in to email"), NULL },
    { "opt-in-all-sms", 0, 0, G_OPTION_ARG_NONE, &opt_in_all_sms,
      N_("Opt every imported persona in to SMS (never an explicit opt-out)"), NULL },
    { "person-type", 0, 0, G_OPTION_ARG_STRING, &person_type,
      N_("Person type of new personas: lead or customer (customer also promotes leads)"), N_("TYPE") },
    { "tags", 0, 0, G_OPTION_ARG_STRING, &tags, N_("Tag every imported persona"), N_("A,B") },
    { "auto-tag", 0, 0, G_OPTION_ARG_NONE, &auto_tag, N_("Tag every imported persona with the import's name"),
      NULL },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Name of the import (default: file name and time)"),
      N_("NAME") },
    { "accept-terms", 0, 0, G_OPTION_ARG_NONE, &accept_terms,
      N_("Confirm that these customers agreed to be contacted (required)"), NULL },
    { "report", 0, 0, G_OPTION_ARG_FILENAME, &report,
      N_("Write the results report (failed, ignored and warned rows) to FILE.csv or FILE.xlsx"), N_("FILE") },
    { "same-file", 0, 0, G_OPTION_ARG_STRING, &same_file,
      N_("A file whose content was imported before (its points would add up again) is refused; "
         "skip-points leaves out the points of rows already imported, import-anyway adds them again"),
      N_("CHOICE") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Run the import and roll it back: the exact counts, rows and field changes, nothing written"),
      NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdImportJob) job = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(GStrv) tag_list = NULL;
  PdSourceOptions source = { 0 };
  PdImportOptions options;
  RunData run = { 0 };
  guint sigint;

  g_option_context_set_summary (context, _("Import a customer file into the database, in one "
                                           "transaction: all of it or, if it fails or is "
                                           "cancelled (Ctrl-C), none of it."));
  pd_cli_source_args_add_entries (&source_args, context);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("import", error->message);
  if (argc != 2)
    return pd_cli_usage_error ("import", _("expected one FILE"));
  if (!pd_cli_source_args_to_options (&source_args, &source))
    return pd_cli_usage_error ("import", _("--skip-rows and --threads must not be negative"));

  pd_import_options_init (&options);
  if (on_match != NULL && !pd_match_action_from_string (on_match, &options.action))
    return pd_cli_usage_error ("import", _("--on-match must be ignore, discard, update, append, replace or merge"));
  if (on_conflict != NULL && !g_str_equal (on_conflict, "merge") && !g_str_equal (on_conflict, "separate"))
    return pd_cli_usage_error ("import", _("--on-conflict must be merge or separate"));
  if (person_type != NULL && !g_str_equal (person_type, "lead") && !g_str_equal (person_type, "customer"))
    return pd_cli_usage_error ("import", _("--person-type must be lead or customer"));
  if (same_file != NULL &&
      (!pd_same_file_from_string (same_file, &options.same_file) || options.same_file == PD_SAME_FILE_REFUSE))
    return pd_cli_usage_error ("import", _("--same-file must be skip-points or import-anyway"));
  if (tags != NULL && auto_tag)
    return pd_cli_usage_error ("import", _("--tags and --auto-tag cannot be used together"));
  if (report != NULL && !g_str_has_suffix (report, ".csv") && !g_str_has_suffix (report, ".xlsx"))
    return pd_cli_usage_error ("import", _("--report must name a .csv or .xlsx file"));
  if (report != NULL && dry_run)
    return pd_cli_usage_error ("import", _("--report and --dry-run cannot be used together"));
  /* a dry run writes nothing: no terms to accept */
  if (!accept_terms && !dry_run)
    {
      g_set_error_literal (&error, PD_ERROR, PD_ERROR_TERMS_NOT_ACCEPTED,
                           _("The import terms must be accepted (--accept-terms): the customers in "
                             "this file agreed to be contacted"));
      return pd_cli_fail (error);
    }

  if (tags != NULL)
    {
      tag_list = g_strsplit (tags, ",", -1);
      for (guint i = 0; tag_list[i] != NULL; i++)
        g_strstrip (tag_list[i]);
    }
  options.match = match;
  options.opt_in_all_email = opt_in_all_email;
  options.opt_in_all_sms = opt_in_all_sms;
  options.person_type = person_type;
  options.tags = (const char * const *) tag_list;
  options.auto_tag = auto_tag;
  options.name = name;
  options.accept_terms = accept_terms;
  options.merge_shared_phones = g_strcmp0 (on_conflict, "merge") == 0;

  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);

  file = g_file_new_for_commandline_arg (argv[1]);
  job = pd_import_job_new (store, file, &source, &options);
  pd_import_job_set_dry_run (job, dry_run);
  pd_import_job_set_actor (job, pd_cli_who ());
  g_signal_connect (job, "progress-changed", G_CALLBACK (on_progress_changed),
                    GINT_TO_POINTER (isatty (STDERR_FILENO)));

  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  run.cancellable = cancellable;
  sigint = g_unix_signal_add (SIGINT, on_sigint, &run);
  pd_import_job_run_async (job, cancellable, run_done_cb, &run);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  if (isatty (STDERR_FILENO))
    g_printerr ("\n");

  if (!run.ok)
    {
      g_autoptr(GError) failure = run.error;

      if (g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&failure);
          g_set_error (&failure, PD_ERROR, PD_ERROR_FAILED,
                       _("%s: import cancelled; the database is unchanged"), argv[1]);
        }
      if (g_error_matches (failure, PD_ERROR, PD_ERROR_SAME_FILE))
        {
          g_autofree char *message = g_strdup_printf (_("%s (--same-file skip-points or --same-file "
                                                        "import-anyway)"), failure->message);

          g_free (failure->message);
          failure->message = g_steal_pointer (&message);
          g_strdelimit (failure->message, "\r\n", ' ');
          pd_cli_fail (failure);
          return 3;
        }
      g_strdelimit (failure->message, "\r\n", ' ');
      return pd_cli_fail (failure);
    }

  if (report != NULL && !pd_report_write_job (report, job, &error))
    return pd_cli_fail (error);

  if (!(json ? print_json (job, &error) : print_human (job, &error)))
    return pd_cli_fail (error);
  return 0;
}
