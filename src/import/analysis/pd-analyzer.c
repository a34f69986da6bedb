/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdAnalyzer: the dry run of an import.
 *
 * The record source reads and normalizes on its own threads; this thread
 * consumes the records in file order, finds rows repeating an email or
 * phone of an earlier row, and keeps only what the report needs: counts,
 * failed rows, and a set of 64-bit hashes of the emails and phones seen.
 *
 * Hashes instead of strings keep memory at 12 bytes a slot whatever the
 * addresses' length.  Two different values share a 64-bit hash with
 * probability about n²/2⁶⁵: for 2 million values, 1 in 10 million per
 * file.  The analysis only warns (the import compares real values), so a
 * collision would at worst add one wrong "duplicate of row N" warning; we
 * accept that rather than keep every address. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-analyzer.h"
#include "pd-analyzer-private.h"
#include "pd-error.h"
#include "pd-worker.h"

/* Progress callbacks at most this often (µs). */
#define PROGRESS_INTERVAL (100 * G_TIME_SPAN_MILLISECOND)

struct _PdAnalyzer
{
  GObject          parent_instance;

  GFile           *file;
  PdSourceOptions *options;
  PdProgressFunc   progress_func;
  gpointer         progress_data;
  GDestroyNotify   progress_destroy;
  gboolean         keep_sources;
  gboolean         spool;
};

G_DEFINE_FINAL_TYPE (PdAnalyzer, pd_analyzer, G_TYPE_OBJECT)

/* ---- one run ---- */

typedef struct {
  PdProgressFunc  func;
  gpointer        data;
  GMainContext   *context;   /* NULL: call directly */
  GObject        *owner;     /* kept alive while callbacks are queued */
} Progress;

typedef struct {
  Progress  *progress;
  guint      rows;
  guint64    position;
  guint64    size;
} ProgressCall;

static gboolean
progress_call_cb (gpointer data)
{
  ProgressCall *call = data;

  call->progress->func (call->rows, call->position, call->size, call->progress->data);
  return G_SOURCE_REMOVE;
}

static void
progress_call_free (gpointer data)
{
  ProgressCall *call = data;

  g_object_unref (call->progress->owner);
  g_free (call);
}

static void
report_progress (Progress *progress,
                 guint     rows,
                 guint64   position,
                 guint64   size)
{
  ProgressCall *call;

  if (progress == NULL || progress->func == NULL)
    return;
  if (progress->context == NULL)
    {
      progress->func (rows, position, size, progress->data);
      return;
    }

  call = g_new0 (ProgressCall, 1);
  call->progress = progress;
  call->rows = rows;
  call->position = position;
  call->size = size;
  g_object_ref (progress->owner);
  g_main_context_invoke_full (progress->context, G_PRIORITY_DEFAULT, progress_call_cb,
                              call, progress_call_free);
}

static PdAnalysis *
run (GFile                  *file,
     const PdSourceOptions  *options,
     gboolean                keep_sources,
     gboolean                spool,
     Progress               *progress,
     GCancellable           *cancellable,
     GError                **error)
{
  g_autoptr(PdRecordSource) source = NULL;
  g_autoptr(PdAnalysis) analysis = NULL;
  g_autoptr(GError) local_error = NULL;
  PdMapping *mapping;
  GPtrArray *warnings;
  PdChoiceProblem *problems;
  PdSeenSet seen;
  g_autoptr(GArray) hashes = g_array_new (FALSE, FALSE, sizeof (guint64));
  gboolean first_batch = TRUE;
  PdFirstSeen first = { 0 };
  PdEmailRows email_rows = { g_byte_array_new () };
  gint64 last_progress = 0;
  GPtrArray *batch;
  guint n_columns;

  source = pd_record_source_new (file, options, cancellable, error);
  if (source == NULL)
    return NULL;

  mapping = pd_record_source_get_mapping (source);
  n_columns = pd_mapping_get_n_columns (mapping);
  analysis = _pd_analysis_new (pd_record_source_get_display_name (source), mapping);
  if (spool && !_pd_analysis_spool_failed_rows (analysis, error))
    return NULL;
  problems = g_new0 (PdChoiceProblem, n_columns);
  _pd_seen_set_init (&seen);

  while ((batch = pd_record_source_next_batch (source, cancellable, &local_error)) != NULL)
    {
      guint h = 0;
      gint64 now;

      _pd_analyzer_hash_values (batch, hashes);
      if (first_batch)
        _pd_analyzer_reserve_for_file (&seen, source, hashes->len);
      first_batch = FALSE;

      for (guint i = 0; i < batch->len; i++)
        {
          PdRecord *record = g_ptr_array_index (batch, i);

          if (pd_record_is_valid (record))
            {
              guint n = record->emails->len + record->phones->len;

              _pd_analyzer_check_duplicates (analysis, &seen, &email_rows, record, (guint64 *) hashes->data + h,
                                hashes->len - h, &first);
              h += n;
              _pd_analyzer_check_choices (mapping, record, problems);
            }
          _pd_analysis_add_record (analysis, record, keep_sources);
        }
      pd_record_source_recycle_batch (source, batch);

      now = g_get_monotonic_time ();
      if (now - last_progress >= PROGRESS_INTERVAL)
        {
          last_progress = now;
          report_progress (progress, pd_analysis_get_total (analysis),
                           pd_record_source_get_position (source),
                           pd_record_source_get_size (source));
        }
    }
  _pd_seen_set_clear (&seen);
  if (local_error == NULL)
    _pd_analysis_check_spool (analysis, &local_error);

  if (local_error == NULL)
    {
      _pd_analysis_set_date_questions (analysis,
                                       pd_normalizer_dup_date_questions (pd_record_source_get_normalizer (source)));
      warnings = pd_record_source_get_warnings (source);
      for (guint i = 0; i < warnings->len; i++)
        _pd_analysis_add_warning (analysis, g_ptr_array_index (warnings, i));

      _pd_analyzer_add_summary_warnings (analysis, mapping, problems, &first);
    }

  for (guint c = 0; c < n_columns; c++)
    g_free (problems[c].first_value);
  g_free (problems);
  g_byte_array_unref (email_rows.bits);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  report_progress (progress, pd_analysis_get_total (analysis),
                   pd_record_source_get_size (source), pd_record_source_get_size (source));

  return g_steal_pointer (&analysis);
}

/* ---- the object ---- */

static void
pd_analyzer_finalize (GObject *object)
{
  PdAnalyzer *self = PD_ANALYZER (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->options, pd_source_options_free);
  if (self->progress_destroy != NULL)
    self->progress_destroy (self->progress_data);

  G_OBJECT_CLASS (pd_analyzer_parent_class)->finalize (object);
}

static void
pd_analyzer_class_init (PdAnalyzerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_analyzer_finalize;
}

static void
pd_analyzer_init (PdAnalyzer *self)
{
}

/**
 * pd_analyzer_new:
 * @file: the customer file
 * @options: (nullable): skip rows, sheet, mapping overrides (copied)
 *
 * Returns: (transfer full): an analyzer
 */
PdAnalyzer *
pd_analyzer_new (GFile                 *file,
                 const PdSourceOptions *options)
{
  PdAnalyzer *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (PD_TYPE_ANALYZER, NULL);
  self->file = g_object_ref (file);
  self->options = pd_source_options_copy (options);
  return self;
}

/* Replaces the options (copied) for the next run. */
void
pd_analyzer_set_options (PdAnalyzer            *self,
                         const PdSourceOptions *options)
{
  g_return_if_fail (PD_IS_ANALYZER (self));

  g_clear_pointer (&self->options, pd_source_options_free);
  self->options = pd_source_options_copy (options);
}

/**
 * pd_analyzer_set_keep_sources:
 * @keep: whether each failed row keeps its cells as read
 *   (PdAnalysisRow.source), e.g. for correcting it in place; off by
 *   default, as a file with many failed rows would cost their full size
 */
void
pd_analyzer_set_keep_sources (PdAnalyzer *self,
                              gboolean    keep)
{
  g_return_if_fail (PD_IS_ANALYZER (self));
  self->keep_sources = !!keep;
}

/**
 * pd_analyzer_set_spool_failed_rows:
 * @spool: whether failed rows go to an unlinked temporary file rather than
 *   memory, so that memory stays flat whatever the file; off by default
 *
 * For callers that only stream the failed rows out (the CLI): the
 * analysis then gives them through pd_analysis_foreach_failed_row() and
 * pd_analysis_write_json(), not pd_analysis_get_failed_rows(), and keeps
 * no sources for them.
 */
void
pd_analyzer_set_spool_failed_rows (PdAnalyzer *self,
                                   gboolean    spool)
{
  g_return_if_fail (PD_IS_ANALYZER (self));
  self->spool = !!spool;
}

/**
 * pd_analyzer_set_progress_func:
 * @func: (nullable): called at most every 100 ms and once at the end; in
 *   the calling thread for pd_analyzer_run(), in the thread-default main
 *   context of the caller of pd_analyzer_run_async() for that
 */
void
pd_analyzer_set_progress_func (PdAnalyzer     *self,
                               PdProgressFunc  func,
                               gpointer        user_data,
                               GDestroyNotify  destroy)
{
  g_return_if_fail (PD_IS_ANALYZER (self));

  if (self->progress_destroy != NULL)
    self->progress_destroy (self->progress_data);
  self->progress_func = func;
  self->progress_data = user_data;
  self->progress_destroy = destroy;
}

/**
 * pd_analyzer_run:
 *
 * A file refused as a whole (unreadable, unsupported, no header, invalid
 * mapping) is an error; rows that fail are not: they are in the analysis.
 *
 * Returns: (transfer full) (nullable): the analysis, or %NULL with @error
 */
PdAnalysis *
pd_analyzer_run (PdAnalyzer    *self,
                 GCancellable  *cancellable,
                 GError       **error)
{
  Progress progress = { self->progress_func, self->progress_data, NULL, G_OBJECT (self) };

  g_return_val_if_fail (PD_IS_ANALYZER (self), NULL);

  return run (self->file, self->options, self->keep_sources, self->spool, &progress,
              cancellable, error);
}

typedef struct {
  GFile           *file;
  PdSourceOptions *options;
  gboolean         keep_sources;
  gboolean         spool;
  Progress         progress;
} RunData;

static void
run_data_free (gpointer data)
{
  RunData *run_data = data;

  g_object_unref (run_data->file);
  pd_source_options_free (run_data->options);
  g_clear_pointer (&run_data->progress.context, g_main_context_unref);
  g_free (run_data);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *run_data = task_data;
  GError *error = NULL;
  PdAnalysis *analysis;

  analysis = run (run_data->file, run_data->options, run_data->keep_sources, run_data->spool,
                  &run_data->progress, cancellable, &error);
  if (analysis == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, analysis, g_object_unref);
}

/**
 * pd_analyzer_run_async:
 *
 * Runs pd_analyzer_run() in a worker thread with the options as they are
 * now; progress comes to the caller's thread-default main context.
 */
void
pd_analyzer_run_async (PdAnalyzer          *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *run_data;

  g_return_if_fail (PD_IS_ANALYZER (self));

  run_data = g_new0 (RunData, 1);
  run_data->file = g_object_ref (self->file);
  run_data->options = pd_source_options_copy (self->options);
  run_data->keep_sources = self->keep_sources;
  run_data->spool = self->spool;
  run_data->progress.func = self->progress_func;
  run_data->progress.data = self->progress_data;
  run_data->progress.context = g_main_context_ref_thread_default ();
  run_data->progress.owner = G_OBJECT (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_analyzer_run_async);
  g_task_set_task_data (task, run_data, run_data_free);
  g_task_set_return_on_cancel (task, FALSE);
  pd_worker_run_in_thread (task, run_thread, "pd-analyze");
}

PdAnalysis *
pd_analyzer_run_finish (PdAnalyzer    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pd_analyzer_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
