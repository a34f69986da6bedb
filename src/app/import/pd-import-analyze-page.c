/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-analyzer.h"
#include "pd-import-analyze-page-private.h"
#include "pd-import-date-question.h"
#include "pd-import-failed-row.h"
#include "pd-import-format.h"
#include "pd-import-job.h"
#include "pd-import-row-queue.h"
#include "pd-import-same-file-group.h"
#include "pd-normalizer.h"

G_DEFINE_FINAL_TYPE (PdImportAnalyzePage, pd_import_analyze_page, ADW_TYPE_BIN)

enum {
  FINISHED,
  STARTED,
  SAME_FILE_CHANGED,
  DATE_FORMAT_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_count (GtkLabel *label,
           guint     count)
{
  g_autofree char *text = g_strdup_printf ("%'u", count);

  gtk_label_set_label (label, text);
}

/* One count: a row corrected here counts as valid at once, as the dry
 * run that "Check Rows Again" starts counts it (the two disagreed by the
 * corrected rows). */
void
_pd_import_analyze_page_update_counts (PdImportAnalyzePage *self)
{
  guint n_fixed = g_hash_table_size (self->fixed);
  guint64 failed = pd_analysis_get_failed (self->analysis);

  set_count (self->valid_label, pd_analysis_get_valid (self->analysis) + n_fixed);
  set_count (self->duplicates_label, pd_analysis_get_duplicates (self->analysis));
  set_count (self->failed_label, failed > n_fixed ? failed - n_fixed : 0);
  set_count (self->warned_label, pd_analysis_get_warned (self->analysis));
  set_count (self->shared_label, pd_analysis_get_shared_phones (self->analysis));
  gtk_widget_set_visible (self->recheck_button, self->store != NULL && g_hash_table_size (self->corrections) > 0);
  if (n_fixed > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%'u (%u corrected)",
                                                            "%'u (%u corrected)", n_fixed),
                                               (guint) (pd_analysis_get_valid (self->analysis) + n_fixed),
                                               n_fixed);

      gtk_label_set_label (self->valid_label, text);
    }
}

/* Progress may still be queued on the main context after the page is
 * gone: it holds the page weakly. */
static GWeakRef *
weak_ref_new (gpointer object)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, object);
  return ref;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
on_progress (guint    rows,
             guint64  position,
             guint64  size,
             gpointer user_data)
{
  g_autoptr(PdImportAnalyzePage) self = g_weak_ref_get (user_data);
  g_autofree char *text = NULL;

  if (self == NULL || !self->running)
    return;
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Checking every row… %'u row so far",
                                                        "Checking every row… %'u rows so far", rows), rows);

  if (size > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, MIN (1.0, (double) position / size));
  else
    gtk_progress_bar_pulse (self->progress_bar);
  gtk_label_set_label (self->running_label, text);
}

static void
on_dry_progress (PdImportJob         *job,
                 guint                rows,
                 double               fraction,
                 PdImportAnalyzePage *self)
{
  g_autofree char *text = NULL;

  if (!self->running || job != self->dry_job)
    return;
  /* a dry run writes too: it waits for another desk's import */
  text = pd_import_job_dup_waiting_message (job);
  if (text == NULL)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Comparing with your saved personas… %'u row so far",
                                       "Comparing with your saved personas… %'u rows so far", rows), rows);
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  gtk_label_set_label (self->running_label, text);
}

static void
add_change_rows (PdImportAnalyzePage *self)
{
  guint n = pd_import_row_queue_show_changes (self->rows, self->dry_job);
  guint total = pd_import_job_get_n_changes (self->dry_job);

  if (total > n)
    {
      g_autofree char *text = g_strdup_printf (_("%'u more changes are not shown here."), total - n);

      gtk_label_set_label (self->changes_more_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->changes_more_label), total > n);
  gtk_widget_set_visible (self->changes_group, total > 0);
}

/* Rows failing only against the saved personas come back from the dry
 * run's results file after it is done. */
static void
on_store_failed_read (PdImportRowQueue    *rows,
                      guint                n_rows,
                      PdImportAnalyzePage *self)
{
  if (n_rows > 0)
    gtk_widget_set_visible (self->failed_group, TRUE);
}

static void
on_dry_run_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PdImportAnalyzePage) self = user_data;
  g_autoptr(GError) error = NULL;
  const PdImportInfo *info;
  gboolean ok;

  ok = pd_import_job_run_finish (PD_IMPORT_JOB (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || source != (GObject *) self->dry_job)
    return;

  self->running = FALSE;
  gtk_widget_set_visible (self->running_box, FALSE);
  if (!ok)
    {
      g_free (self->error);
      self->error = g_strdup (error->message);
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      g_signal_emit (self, signals[FINISHED], 0);
      return;
    }

  self->dry_done = TRUE;
  /* Imported before: the warning joins the analysis's, and the user says
   * what to do with the points.  A dry run again (Check Row Again) finds
   * the same import: the choice made stays. */
  if (pd_analysis_get_earlier_import (self->analysis) == NULL ||
      pd_import_job_get_earlier_import (self->dry_job) == NULL ||
      pd_analysis_get_earlier_import (self->analysis)->id != pd_import_job_get_earlier_import (self->dry_job)->id)
    {
      pd_analysis_set_earlier_import (self->analysis, pd_import_job_get_earlier_import (self->dry_job));
      pd_import_same_file_group_set_earlier (self->same_file_group, pd_import_job_get_earlier_import (self->dry_job));
    }
  /* The same rows in another file, asked the same way (the same file's
   * question covers them when there is one). */
  if (pd_import_job_get_earlier_import (self->dry_job) == NULL)
    {
      g_autofree char *same_rows = NULL;

      if (pd_import_job_get_same_rows_import (self->dry_job) != NULL)
        same_rows = pd_same_rows_describe (pd_import_job_get_same_rows (self->dry_job),
                                           pd_import_job_get_same_rows_import (self->dry_job));
      if (g_strcmp0 (same_rows, pd_analysis_get_same_rows (self->analysis)) != 0)
        {
          pd_analysis_set_same_rows (self->analysis, same_rows);
          pd_import_same_file_group_set_same_rows (self->same_file_group, same_rows);
        }
    }
  info = pd_import_job_get_info (self->dry_job);
  set_count (self->new_label, info->imported);
  set_count (self->updated_label, info->updated);
  set_count (self->ignored_label, info->ignored);
  set_count (self->dry_failed_label, info->failed);
  set_count (self->dry_warned_label, pd_import_job_get_n_warning_rows (self->dry_job));
  set_count (self->dry_shared_label, pd_import_job_get_n_shared_phones (self->dry_job));
  gtk_widget_set_visible (self->dry_group, TRUE);
  pd_import_row_queue_show_store_failed (self->rows, self->dry_job, self->analysis);
  add_change_rows (self);
  g_signal_emit (self, signals[FINISHED], 0);
}

static void
clear_changes (PdImportAnalyzePage *self)
{
  pd_import_row_queue_clear_changes (self->rows);
  gtk_widget_set_visible (self->changes_group, FALSE);
}

/**
 * pd_import_analyze_page_recheck:
 *
 * Runs the engine's dry run again with the rows corrected so far in place
 * of the file's (the same overrides the import gets), so the counts, the
 * failed rows and the changes are those of what Import will do.
 */
void
pd_import_analyze_page_recheck (PdImportAnalyzePage *self)
{
  g_autoptr(PdSourceOptions) options = NULL;

  g_return_if_fail (PD_IS_IMPORT_ANALYZE_PAGE (self));
  if (self->store == NULL || self->analysis == NULL || self->running)
    return;

  options = pd_source_options_copy (self->source_options);
  g_clear_pointer (&options->row_overrides, g_hash_table_unref);
  options->row_overrides = pd_import_analyze_page_dup_overrides (self);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_object (&self->dry_job);
  self->dry_done = FALSE;
  self->dry_job = pd_import_job_new (self->store, self->file, options, &self->import_options);
  pd_import_job_set_dry_run (self->dry_job, TRUE);
  clear_changes (self);
  gtk_widget_set_visible (self->dry_group, FALSE);
  gtk_widget_set_visible (self->running_box, TRUE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_label_set_label (self->running_label, _("Comparing with your saved personas…"));
  self->running = TRUE;
  g_signal_connect_object (self->dry_job, "progress-changed", G_CALLBACK (on_dry_progress), self, 0);
  pd_import_job_run_async (self->dry_job, self->cancellable, on_dry_run_done, g_object_ref (self));
  g_signal_emit (self, signals[STARTED], 0);
}

/**
 * pd_import_analyze_page_dup_overrides:
 *
 * Returns: (transfer full): a snapshot of the corrected rows, row number →
 *   PdRow, for PdSourceOptions.row_overrides
 */
GHashTable *
pd_import_analyze_page_dup_overrides (PdImportAnalyzePage *self)
{
  GHashTable *overrides = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) pd_row_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->corrections);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (overrides, key, pd_row_copy (value));
  return overrides;
}

static void
on_date_chosen (PdImportAnalyzePage  *self,
                guint                 order,
                PdImportDateQuestion *question)
{
  pd_import_analyze_page_choose_date_order (self, pd_import_date_question_get_column (question), order);
}

/* Answered questions stay shown (and changeable) once no longer asked. */
static void
show_date_questions (PdImportAnalyzePage *self)
{
  pd_import_date_questions_show (self->dates_box, self->asked,
                                 self->analysis ? pd_analysis_get_date_questions (self->analysis) : NULL,
                                 self->chosen, G_CALLBACK (on_date_chosen), self);
}

PdImportDateQuestion *
pd_import_analyze_page_get_date_question (PdImportAnalyzePage *self,
                                          guint                column)
{
  g_return_val_if_fail (PD_IS_IMPORT_ANALYZE_PAGE (self), NULL);
  return pd_import_date_questions_find (self->dates_box, column);
}

static void
on_analyzed (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PdImportAnalyzePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdAnalysis) analysis = NULL;
  GPtrArray *warnings;

  analysis = pd_analyzer_run_finish (PD_ANALYZER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || source != (GObject *) self->analyzer)
    return;

  if (analysis == NULL || self->dry_job == NULL)
    {
      self->running = FALSE;
      gtk_widget_set_visible (self->running_box, FALSE);
    }
  if (analysis == NULL)
    {
      g_free (self->error);
      self->error = g_strdup (error->message);
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      g_signal_emit (self, signals[FINISHED], 0);
      return;
    }

  g_set_object (&self->analysis, analysis);
  g_clear_object (&self->normalizer);
  self->normalizer = pd_normalizer_new (pd_analysis_get_mapping (analysis), NULL, NULL);
  /* a corrected row is judged as the file's rows were */
  if (self->normalizer != NULL && self->source_options != NULL)
    pd_normalizer_set_strict (self->normalizer, self->source_options->strict);
  _pd_import_analyze_page_update_counts (self);
  gtk_widget_set_visible (self->counts_group, TRUE);
  show_date_questions (self);

  warnings = pd_analysis_get_warnings (analysis);
  if (warnings != NULL && warnings->len > 0)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < warnings->len; i++)
        g_string_append_printf (text, "%s%s", i ? "\n" : "", (char *) g_ptr_array_index (warnings, i));
      gtk_label_set_label (self->warnings_label, text->str);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->warnings_label), warnings != NULL && warnings->len > 0);
  _pd_import_analyze_page_show_failed_rows (self);

  /* Then the engine's dry run: the real import against the saved
   * personas, rolled back, on its worker thread. */
  if (self->dry_job != NULL)
    {
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
      gtk_label_set_label (self->running_label, _("Comparing with your saved personas…"));
      g_signal_connect_object (self->dry_job, "progress-changed", G_CALLBACK (on_dry_progress), self, 0);
      pd_import_job_run_async (self->dry_job, self->cancellable, on_dry_run_done, g_object_ref (self));
      return;
    }
  g_signal_emit (self, signals[FINISHED], 0);
}

static void
clear_import_options (PdImportAnalyzePage *self)
{
  g_free ((char *) self->import_options.match);
  g_free ((char *) self->import_options.person_type);
  g_free ((char *) self->import_options.name);
  g_clear_pointer (&self->import_tags, g_strfreev);
  pd_import_options_init (&self->import_options);
}

void
pd_import_analyze_page_run (PdImportAnalyzePage   *self,
                            GFile                 *file,
                            const PdSourceOptions *options)
{
  pd_import_analyze_page_run_full (self, file, options, NULL, NULL);
}

/**
 * pd_import_analyze_page_run_full:
 * @store: (nullable): with it, the analysis is followed by the engine's dry
 *   run against this store with @import_options
 */
void
pd_import_analyze_page_run_full (PdImportAnalyzePage   *self,
                                 GFile                 *file,
                                 const PdSourceOptions *options,
                                 PdStore               *store,
                                 const PdImportOptions *import_options)
{
  g_autoptr(PdSourceOptions) with_corrections = NULL;
  gboolean same_rows;

  g_return_if_fail (PD_IS_IMPORT_ANALYZE_PAGE (self));

  /* Corrections are the user's work: kept while the rows are the same
   * (the same file read from the same sheet and header row; the mapping
   * may change, a correction is of the file's cells) and read in place of
   * the file's rows, by the analysis as by the dry run and the import.
   * A new file forgets them (pd_import_analyze_page_forget_corrections()). */
  same_rows = self->file != NULL && file != NULL && g_file_equal (self->file, file)
              && self->source_options != NULL
              && self->source_options->skip_rows == options->skip_rows
              && self->source_options->no_header == options->no_header
              && g_strcmp0 (self->source_options->sheet, options->sheet) == 0;
  if (!same_rows)
    g_hash_table_remove_all (self->corrections);
  with_corrections = pd_source_options_copy (options);
  if (g_hash_table_size (self->corrections) > 0)
    {
      g_clear_pointer (&with_corrections->row_overrides, g_hash_table_unref);
      with_corrections->row_overrides = pd_import_analyze_page_dup_overrides (self);
    }
  options = with_corrections;

  pd_import_analyze_page_cancel (self);
  self->cancellable = g_cancellable_new ();
  g_clear_object (&self->analysis);
  g_clear_object (&self->normalizer);
  g_hash_table_remove_all (self->fixed);
  if (!self->answering)
    {
      g_ptr_array_set_size (self->asked, 0);
      g_hash_table_remove_all (self->chosen);
      show_date_questions (self);
    }
  g_clear_pointer (&self->error, g_free);

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_widget_set_visible (self->counts_group, FALSE);
  gtk_widget_set_visible (self->failed_group, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->more_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->warnings_label), FALSE);
  gtk_widget_set_visible (self->dry_group, FALSE);
  pd_import_same_file_group_set_earlier (self->same_file_group, NULL);
  clear_changes (self);
  g_clear_object (&self->dry_job);
  self->dry_done = FALSE;
  g_set_object (&self->file, file);
  g_clear_pointer (&self->source_options, pd_source_options_free);
  self->source_options = pd_source_options_copy (options);
  g_set_object (&self->store, store);
  clear_import_options (self);
  if (import_options != NULL)
    {
      self->import_options = *import_options;
      self->import_options.match = g_strdup (import_options->match);
      self->import_options.person_type = g_strdup (import_options->person_type);
      self->import_options.name = g_strdup (import_options->name);
      self->import_tags = g_strdupv ((char **) import_options->tags);
      self->import_options.tags = (const char * const *) self->import_tags;
    }
  if (store != NULL)
    {
      self->dry_job = pd_import_job_new (store, file, options, import_options);
      pd_import_job_set_dry_run (self->dry_job, TRUE);
    }
  gtk_widget_set_visible (self->running_box, TRUE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_label_set_label (self->running_label, _("Checking every row…"));

  g_clear_object (&self->analyzer);
  self->analyzer = pd_analyzer_new (file, options);
  /* Failed rows keep their cells, to be corrected in place. */
  pd_analyzer_set_keep_sources (self->analyzer, TRUE);
  pd_analyzer_set_progress_func (self->analyzer, on_progress, weak_ref_new (self), weak_ref_free);
  self->running = TRUE;
  pd_analyzer_run_async (self->analyzer, self->cancellable, on_analyzed, g_object_ref (self));
}

/* Sets the column's date format, emits "date-format-chosen" (for the
 * mapping the import reads) and analyzes again, corrections kept. */
void
pd_import_analyze_page_choose_date_order (PdImportAnalyzePage *self,
                                          guint                column,
                                          PdDateOrder          order)
{
  const char *format = order == PD_DATE_ORDER_DMY ? "DD/MM/YYYY" : "MM/DD/YYYY";
  g_autoptr(PdSourceOptions) options = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(PdStore) store = NULL;
  PdImportOptions import_options;
  g_autofree char *match = NULL, *person_type = NULL, *name = NULL;
  g_auto(GStrv) tags = NULL;

  g_return_if_fail (PD_IS_IMPORT_ANALYZE_PAGE (self));
  g_return_if_fail (order == PD_DATE_ORDER_DMY || order == PD_DATE_ORDER_MDY);
  if (self->file == NULL || self->source_options == NULL)
    return;

  options = pd_source_options_copy (self->source_options);
  /* options that named no mapping: the one the analysis built from them */
  if (options->mapping == NULL && self->analysis != NULL)
    options->mapping = pd_mapping_copy (pd_analysis_get_mapping (self->analysis));
  if (options->mapping == NULL || column >= pd_mapping_get_n_columns (options->mapping))
    return;
  pd_mapping_set_date_format (options->mapping, column, format);
  g_hash_table_insert (self->chosen, GUINT_TO_POINTER (column), GUINT_TO_POINTER (order));
  g_signal_emit (self, signals[DATE_FORMAT_CHOSEN], 0, column, format);

  /* run_full() replaces the page's copies of these */
  file = g_object_ref (self->file);
  store = self->store ? g_object_ref (self->store) : NULL;
  import_options = self->import_options;
  import_options.match = match = g_strdup (self->import_options.match);
  import_options.person_type = person_type = g_strdup (self->import_options.person_type);
  import_options.name = name = g_strdup (self->import_options.name);
  import_options.tags = (const char * const *) (tags = g_strdupv (self->import_tags));
  self->answering = TRUE;
  pd_import_analyze_page_run_full (self, file, options, store, &import_options);
  self->answering = FALSE;
  g_signal_emit (self, signals[STARTED], 0);
}

void
pd_import_analyze_page_forget_corrections (PdImportAnalyzePage *self)
{
  g_return_if_fail (PD_IS_IMPORT_ANALYZE_PAGE (self));

  g_hash_table_remove_all (self->corrections);
  g_hash_table_remove_all (self->fixed);
  g_clear_object (&self->file);
}

void
pd_import_analyze_page_cancel (PdImportAnalyzePage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->rows != NULL)
    pd_import_row_queue_cancel (self->rows);
  self->running = FALSE;
}

/* (transfer none) (nullable): the finished dry run, if there was one */
PdImportJob *
pd_import_analyze_page_get_dry_run (PdImportAnalyzePage *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_ANALYZE_PAGE (self), NULL);
  return self->dry_done ? self->dry_job : NULL;
}

gboolean
pd_import_analyze_page_is_running (PdImportAnalyzePage *self)
{
  return self->running;
}

PdAnalysis *
pd_import_analyze_page_get_analysis (PdImportAnalyzePage *self)
{
  return self->analysis;
}

const char *
pd_import_analyze_page_get_error (PdImportAnalyzePage *self)
{
  return self->error;
}

GHashTable *
pd_import_analyze_page_get_corrections (PdImportAnalyzePage *self)
{
  return self->corrections;
}

guint
pd_import_analyze_page_get_n_fixed (PdImportAnalyzePage *self)
{
  return g_hash_table_size (self->fixed);
}

static void
pd_import_analyze_page_dispose (GObject *object)
{
  PdImportAnalyzePage *self = PD_IMPORT_ANALYZE_PAGE (object);

  pd_import_analyze_page_cancel (self);
  /* A reading of the dry run's results may hold the queue a little longer:
   * it must not build rows into this page any more. */
  if (self->rows != NULL)
    pd_import_row_queue_stop (self->rows);
  g_clear_object (&self->rows);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  G_OBJECT_CLASS (pd_import_analyze_page_parent_class)->dispose (object);
}

static void
pd_import_analyze_page_finalize (GObject *object)
{
  PdImportAnalyzePage *self = PD_IMPORT_ANALYZE_PAGE (object);

  g_clear_object (&self->analyzer);
  g_clear_object (&self->analysis);
  g_clear_object (&self->normalizer);
  g_clear_object (&self->dry_job);
  g_clear_object (&self->file);
  g_clear_object (&self->store);
  g_clear_pointer (&self->source_options, pd_source_options_free);
  clear_import_options (self);
  g_clear_pointer (&self->corrections, g_hash_table_unref);
  g_clear_pointer (&self->fixed, g_hash_table_unref);
  g_clear_pointer (&self->asked, g_ptr_array_unref);
  g_clear_pointer (&self->chosen, g_hash_table_unref);
  g_free (self->error);
  G_OBJECT_CLASS (pd_import_analyze_page_parent_class)->finalize (object);
}

static void
on_same_file_changed (PdImportAnalyzePage *self)
{
  g_signal_emit (self, signals[SAME_FILE_CHANGED], 0);
}

/* What to do with a file imported before: PD_SAME_FILE_REFUSE until the
 * user chose (or when it was not imported before). */
PdSameFile
pd_import_analyze_page_get_same_file (PdImportAnalyzePage *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_ANALYZE_PAGE (self), PD_SAME_FILE_REFUSE);
  return pd_import_same_file_group_get_choice (self->same_file_group);
}

gboolean
pd_import_analyze_page_needs_same_file_choice (PdImportAnalyzePage *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_ANALYZE_PAGE (self), FALSE);
  return pd_import_same_file_group_needs_choice (self->same_file_group);
}

static void
pd_import_analyze_page_class_init (PdImportAnalyzePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_import_analyze_page_dispose;
  object_class->finalize = pd_import_analyze_page_finalize;

  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* a dry run starts again (with the corrections) */
  signals[STARTED] = g_signal_new ("started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* the answer to "imported before" changed (or the question did) */
  signals[SAME_FILE_CHANGED] = g_signal_new ("same-file-changed", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  g_type_ensure (PD_TYPE_IMPORT_SAME_FILE_GROUP);
  /* (guint column, const char *format): the user answered a date question */
  signals[DATE_FORMAT_CHOSEN] = g_signal_new ("date-format-chosen", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                              2, G_TYPE_UINT, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/import/pd-import-analyze-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PdImportAnalyzePage, name)
  BIND (running_box);
  BIND (running_label);
  BIND (progress_bar);
  BIND (error_label);
  BIND (dates_box);
  BIND (counts_group);
  BIND (valid_label);
  BIND (duplicates_label);
  BIND (failed_label);
  BIND (warned_label);
  BIND (shared_label);
  BIND (warnings_label);
  BIND (same_file_group);
  BIND (failed_group);
  BIND (failed_list);
  BIND (more_label);
  BIND (pager_box);
  BIND (pager_label);
  BIND (previous_page_button);
  BIND (next_page_button);
  BIND (dry_group);
  BIND (new_label);
  BIND (updated_label);
  BIND (ignored_label);
  BIND (dry_failed_label);
  BIND (dry_warned_label);
  BIND (dry_shared_label);
  BIND (changes_group);
  BIND (changes_list);
  BIND (changes_more_label);
  BIND (recheck_button);
#undef BIND
  _pd_import_analyze_page_class_add_failed_callbacks (widget_class);
  gtk_widget_class_bind_template_callback (widget_class, pd_import_analyze_page_recheck);
  gtk_widget_class_bind_template_callback (widget_class, on_same_file_changed);
}

static void
pd_import_analyze_page_init (PdImportAnalyzePage *self)
{
  self->corrections = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) pd_row_free);
  self->fixed = g_hash_table_new (NULL, NULL);
  self->asked = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_date_question_free);
  self->chosen = g_hash_table_new (NULL, NULL);
  pd_import_options_init (&self->import_options);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = pd_import_row_queue_new (GTK_WIDGET (self), self->failed_list, self->changes_list);
  g_signal_connect_object (self->rows, "store-failed-read", G_CALLBACK (on_store_failed_read), self, 0);
}
