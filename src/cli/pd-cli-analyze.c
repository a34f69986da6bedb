/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli analyze FILE: the import's dry run.  Exit 0 when the
 * file could be analyzed, even with failed rows; 1 with one line on stderr
 * when the file is refused as a whole; 2 for usage errors. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pd-analyzer.h"
#include "pd-cli.h"
#include "pd-error.h"
#include "pd-same-file.h"
#include "pd-pg-store.h"
#include "pd-same-rows.h"

static void
print_progress (guint    rows,
                guint64  position,
                guint64  size,
                gpointer user_data)
{
  /* the carriage return stays out of the translated text */
  g_printerr ("\r");
  if (size > 0)
    g_printerr (g_dngettext (GETTEXT_PACKAGE, "Analyzing… %u row (%u%%)", "Analyzing… %u rows (%u%%)", rows),
                rows, (guint) (position * 100 / MAX (size, 1)));
  else
    g_printerr (g_dngettext (GETTEXT_PACKAGE, "Analyzing… %u row", "Analyzing… %u rows", rows), rows);
}

static gboolean
print_failed_row (const PdAnalysisRow *row,
                  gpointer             user_data)
{
  for (guint r = 0; row->reasons[r] != NULL; r++)
    pd_cli_printf ("  %s\n", row->reasons[r]);
  return TRUE;
}

static gboolean
print_human (PdAnalysis  *analysis,
             GError     **error)
{
  PdMapping *mapping = pd_analysis_get_mapping (analysis);
  GPtrArray *warnings = pd_analysis_get_warnings (analysis);

  GPtrArray *warned = pd_analysis_get_warned_rows (analysis);

  pd_cli_printf (g_dngettext (GETTEXT_PACKAGE,
                              "%s: %u row, %u valid (%u of them with warnings), %u failed\n",
                              "%s: %u rows, %u valid (%u of them with warnings), %u failed\n",
                              pd_analysis_get_total (analysis)),
          pd_analysis_get_display_name (analysis), pd_analysis_get_total (analysis),
          pd_analysis_get_valid (analysis), pd_analysis_get_warned (analysis),
          pd_analysis_get_failed (analysis));

  pd_cli_printf ("\n%s\n", _("Columns:"));
  for (guint i = 0; i < pd_mapping_get_n_columns (mapping); i++)
    {
      g_autofree char *name = pd_mapping_dup_column_name (mapping, i);
      g_autofree char *key = pd_mapping_dup_field_key (mapping, i);

      if (key != NULL)
        pd_cli_printf ("  %-28s → %s\n", name, key);
      else if (pd_mapping_is_ignored (mapping, i))
        pd_cli_printf ("  %-28s   %s\n", name, _("(ignored)"));
      else
        pd_cli_printf ("  %-28s   %s\n", name, _("(not mapped: not imported)"));
    }

  if (warnings->len > 0)
    {
      pd_cli_printf ("\n%s\n", _("Warnings:"));
      for (guint i = 0; i < warnings->len; i++)
        pd_cli_printf ("  %s\n", (char *) g_ptr_array_index (warnings, i));
    }
  if (pd_analysis_get_earlier_import (analysis) != NULL || pd_analysis_get_same_rows (analysis) != NULL)
    pd_cli_printf ("  %s\n", _("To import it: import --same-file skip-points (rows already imported "
                                "keep their balance) or --same-file import-anyway"));

  if (pd_analysis_get_shared_phones (analysis) > 0)
    pd_cli_printf (_("%u rows share a phone with another customer (another email): kept apart "
                     "(--on-conflict merge to combine)\n"),
            pd_analysis_get_shared_phones (analysis));

  if (warned->len > 0)
    {
      pd_cli_printf ("\n%s\n", _("Rows imported with warnings (values left out):"));
      for (guint i = 0; i < warned->len; i++)
        print_failed_row (g_ptr_array_index (warned, i), NULL);
      if (pd_analysis_get_warned (analysis) > warned->len)
        pd_cli_printf (_("  … and %u more rows with warnings\n"), pd_analysis_get_warned (analysis) - warned->len);
    }

  if (pd_analysis_get_failed (analysis) > 0)
    {
      pd_cli_printf ("\n%s\n", _("Failed rows:"));
      return pd_analysis_foreach_failed_row (analysis, print_failed_row, NULL, error);
    }
  return TRUE;
}

/* One line, whatever the message holds. */
static int
fail_one_line (GError *error)
{
  g_strdelimit (error->message, "\r\n", ' ');
  return pd_cli_fail (error);
}

int
pd_cli_analyze (PdCliContext *ctx,
                int           argc,
                char        **argv)
{
  g_auto(PdCliSourceArgs) source = { 0 };
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(PdAnalyzer) analyzer = NULL;
  g_autoptr(PdAnalysis) analysis = NULL;
  PdSourceOptions options = { 0 };
  gboolean progress;

  g_option_context_set_summary (context, _("Read, map and validate a customer file without "
                                           "writing anything: counts, warnings and every "
                                           "failed row with its reasons."));
  pd_cli_source_args_add_entries (&source, context);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("analyze", error->message);
  if (argc != 2)
    return pd_cli_usage_error ("analyze", _("expected one FILE"));
  if (source.skip_rows < 0)
    return pd_cli_usage_error ("analyze", _("--skip-rows must not be negative"));
  if (!pd_cli_source_args_to_options (&source, &options))
    return pd_cli_usage_error ("analyze", _("--threads must not be negative"));

  file = g_file_new_for_commandline_arg (argv[1]);

  analyzer = pd_analyzer_new (file, &options);
  /* Failed rows are only printed: a temporary file holds them meanwhile,
   * so that memory does not grow with the file. */
  pd_analyzer_set_spool_failed_rows (analyzer, TRUE);
  progress = isatty (STDERR_FILENO);
  if (progress)
    pd_analyzer_set_progress_func (analyzer, print_progress, NULL, NULL);

  analysis = pd_analyzer_run (analyzer, NULL, &error);
  if (progress)
    g_printerr ("\r\033[K");
  if (analysis == NULL)
    return fail_one_line (error);

  /* Imported before?  Asked of the database only when there is one:
   * analyze creates nothing (a PostgreSQL database is always there). */
  {
    g_autofree char *path = ctx->db_path != NULL ? g_strdup (ctx->db_path) : pd_store_dup_default_path ();

    if (pd_pg_store_uri_is_postgres (path) || g_file_test (path, G_FILE_TEST_IS_REGULAR))
      {
        g_autoptr(PdStore) store = pd_cli_open_store (ctx, &error);
        g_autoptr(PdImportInfo) earlier = NULL;

        if (store == NULL)
          return fail_one_line (error);
        earlier = pd_import_find_earlier (store, file, NULL, &error);
        if (error != NULL)
          return fail_one_line (error);
        pd_analysis_set_earlier_import (analysis, earlier);
        /* the same rows in another file: read once more and looked up */
        if (earlier == NULL)
          {
            g_autoptr(PdSameRows) same_rows = pd_same_rows_scan (store, file, &options, NULL, &error);
            g_autoptr(PdImportInfo) main_import = NULL;

            if (same_rows == NULL)
              return fail_one_line (error);
            if (pd_same_rows_get_n_rows (same_rows) > 0)
              {
                g_autofree char *warning = NULL;

                main_import = pd_store_get_import (store, pd_same_rows_get_import_id (same_rows), &error);
                if (main_import == NULL)
                  return fail_one_line (error);
                /* set_same_rows copies it */
                warning = pd_same_rows_describe (same_rows, main_import);
                pd_analysis_set_same_rows (analysis, warning);
              }
          }
      }
  }

  if (json)
    {
      /* Streamed: the failed rows of a big file would make a huge tree. */
      if (!pd_analysis_write_json (analysis, stdout))
        return 1;
    }
  else if (!print_human (analysis, &error))
    return fail_one_line (error);

  return fflush (stdout) == 0 ? 0 : 1;
}
