/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-import-actions.h"
#include "pd-report-writer.h"
#include "pd-temp.h"
#include "pd-session.h"

/* Runs @func in a thread with a connection of its own to @store (NULL:
 * none) as the task's source object; @data (owned) is its task data. */
static void
run_on_worker (PdStore             *store,
               gpointer             source_tag,
               gpointer             data,
               GDestroyNotify       data_free,
               GTaskThreadFunc      func,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) worker = store != NULL ? pd_store_open_another (store, &error) : NULL;
  g_autoptr(GTask) task = g_task_new (worker, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, data_free);
  /* who asked, as it was when they asked */
  g_object_set_data_full (G_OBJECT (task), "pd-actor", pd_app_actor_dup (), g_free);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_run_in_thread (task, func);
}

typedef struct {
  gint64  import_id;
  gint   *permille;   /* nullable: the caller's, alive until the callback */
} UndoData;

static void
set_permille (double   fraction,
              gpointer data)
{
  g_atomic_int_set ((gint *) data, (gint) (fraction * 1000));
}

static void
undo_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  UndoData *data = task_data;
  GError *error = NULL;

  if (pd_store_undo_import_as (source_object, data->import_id,
                               data->permille != NULL ? set_permille : NULL, data->permille,
                               g_object_get_data (G_OBJECT (task), "pd-actor"), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * pd_import_undo_async:
 * @store: the caller's store; the undo runs on another connection
 * @progress: (nullable): set (atomically, in thousandths) as the undo goes,
 *   for the caller to show; it must stay alive until @callback runs
 */
void
pd_import_undo_async (PdStore             *store,
                      gint64               import_id,
                      gint                *progress,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  UndoData *data = g_new (UndoData, 1);

  data->import_id = import_id;
  data->permille = progress;
  if (progress != NULL)
    g_atomic_int_set (progress, 0);
  run_on_worker (store, pd_import_undo_async, data, g_free, undo_thread, cancellable, callback, user_data);
}

gboolean
pd_import_undo_finish (GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
undo_rest_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  UndoData *data = task_data;
  GError *error = NULL;
  guint n_kept = 0;

  /* the signed-in staff member, as every undo */
  if (pd_store_undo_import_keep_edited (source_object, g_object_get_data (G_OBJECT (task), "pd-actor"),
                                        data->import_id, NULL, NULL, &n_kept, &error))
    g_task_return_int (task, n_kept);
  else
    g_task_return_error (task, error);
}

void
pd_import_undo_rest_async (PdStore             *store,
                           gint64               import_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  UndoData *data = g_new0 (UndoData, 1);

  data->import_id = import_id;
  run_on_worker (store, pd_import_undo_rest_async, data, g_free, undo_rest_thread, cancellable, callback,
                 user_data);
}

gboolean
pd_import_undo_rest_finish (GAsyncResult  *result,
                            guint         *n_kept,
                            GError       **error)
{
  gssize kept = g_task_propagate_int (G_TASK (result), error);

  if (kept < 0)
    return FALSE;
  if (n_kept != NULL)
    *n_kept = kept;
  return TRUE;
}

static void
opt_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  PdStore *store = source_object;
  gint64 import_id = *(gint64 *) task_data;
  PdSmsOptInCounts got = { 0 };
  PdOptInCounts *counts;
  GError *error = NULL;

  /* One statement in one transaction: all of the audience or none. */
  if (pd_store_request_import_sms_opt_in_as (store, import_id, g_object_get_data (G_OBJECT (task), "pd-actor"), &got, &error) < 0)
    {
      g_task_return_error (task, error);
      return;
    }
  counts = g_new0 (PdOptInCounts, 1);
  counts->marked = got.marked;
  counts->opted_out = got.opted_out;
  counts->already = got.already;
  counts->no_phone = got.no_phone;
  g_task_return_pointer (task, counts, g_free);
}

void
pd_import_request_sms_opt_in_async (PdStore             *store,
                                    gint64               import_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  run_on_worker (store, pd_import_request_sms_opt_in_async, g_memdup2 (&import_id, sizeof import_id),
                 g_free, opt_in_thread, cancellable, callback, user_data);
}

gboolean
pd_import_request_sms_opt_in_finish (GAsyncResult   *result,
                                     PdOptInCounts  *counts,
                                     GError        **error)
{
  g_autofree PdOptInCounts *got = g_task_propagate_pointer (G_TASK (result), error);

  if (got == NULL)
    return FALSE;
  if (counts != NULL)
    *counts = *got;
  return TRUE;
}

static void
delete_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;

  if (pd_store_delete_import_as (source_object, *(gint64 *) task_data, g_object_get_data (G_OBJECT (task), "pd-actor"), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * pd_import_delete_async:
 *
 * Deletes import @import_id from the history (its stored file, results
 * and record; not its personas) on another connection: seconds for a big
 * import, whose stored file is overwritten as it is freed.
 */
void
pd_import_delete_async (PdStore             *store,
                        gint64               import_id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  run_on_worker (store, pd_import_delete_async, g_memdup2 (&import_id, sizeof import_id), g_free,
                 delete_thread, cancellable, callback, user_data);
}

gboolean
pd_import_delete_finish (GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct {
  gint64       import_id;
  PdImportJob *job;   /* nullable */
  char        *path;
} ReportData;

static void
report_data_free (ReportData *data)
{
  g_clear_object (&data->job);
  g_free (data->path);
  g_free (data);
}

/* What the store kept is the report of record; a job of this session
 * covers an import that kept nothing (run by an older version). */
static void
report_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ReportData *data = task_data;
  GError *error = NULL;

  if (source_object != NULL &&
      pd_report_write_stored (data->path, source_object, data->import_id, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (data->job != NULL && (source_object == NULL || g_error_matches (error, PD_ERROR, PD_ERROR_NOT_FOUND)))
    {
      g_clear_error (&error);
      if (pd_report_write_job (data->path, data->job, &error))
        {
          g_task_return_boolean (task, TRUE);
          return;
        }
    }
  g_task_return_error (task, error);
}

/**
 * pd_import_write_report_async:
 * @store: (nullable): where import @import_id's results were kept; %NULL
 *   writes @job's
 * @job: (nullable): the job of this session that ran the import
 * @path: .csv or .xlsx
 *
 * Writes the results report in a thread: the XLSX of a million-row import
 * takes many seconds.  A job's report is written by one thread at a time:
 * callers wait for the one they started before starting another.
 */
void
pd_import_write_report_async (PdStore             *store,
                              gint64               import_id,
                              PdImportJob         *job,
                              const char          *path,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  ReportData *data;

  g_return_if_fail (store != NULL || job != NULL);
  data = g_new0 (ReportData, 1);
  data->import_id = import_id;
  data->job = job != NULL ? g_object_ref (job) : NULL;
  data->path = g_strdup (path);
  run_on_worker (store, pd_import_write_report_async, data, (GDestroyNotify) report_data_free,
                 report_thread, cancellable, callback, user_data);
}

gboolean
pd_import_write_report_finish (GAsyncResult  *result,
                               GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
pd_import_save_original (PdStore       *store,
                         gint64         import_id,
                         GFile         *file,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(GFileOutputStream) out = NULL;

  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable, error);
  if (out == NULL)
    return FALSE;
  if (!pd_store_write_import_file (store, import_id, G_OUTPUT_STREAM (out), cancellable, error))
    {
      g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
      g_file_delete (file, NULL, NULL);
      return FALSE;
    }
  return g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error);
}

typedef struct {
  gint64  import_id;
  GFile  *file;
} OriginalData;

static void
original_data_free (OriginalData *data)
{
  g_object_unref (data->file);
  g_free (data);
}

static void
original_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  OriginalData *data = task_data;
  GError *error = NULL;

  if (pd_import_save_original (source_object, data->import_id, data->file, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* pd_import_save_original() in a thread: the file can be as large as any
 * import's. */
void
pd_import_save_original_async (PdStore             *store,
                               gint64               import_id,
                               GFile               *file,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  OriginalData *data = g_new (OriginalData, 1);

  data->import_id = import_id;
  data->file = g_object_ref (file);
  run_on_worker (store, pd_import_save_original_async, data, (GDestroyNotify) original_data_free,
                 original_thread, cancellable, callback, user_data);
}

gboolean
pd_import_save_original_finish (GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The folders of the reports written to be opened: main thread only. */
static GPtrArray *temp_report_dirs;

char *
pd_import_dup_temp_report_path (const char  *import_name,
                                const char  *extension,
                                GError     **error)
{
  g_autofree char *dir = pd_temp_make_dir ("report", error);
  g_autofree char *safe = NULL;
  g_autofree char *base = NULL;

  if (dir == NULL)
    return NULL;
  if (temp_report_dirs == NULL)
    temp_report_dirs = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (temp_report_dirs, g_strdup (dir));
  /* A name typed by the user may hold a slash. */
  safe = g_strdelimit (g_strdup (import_name), "/\\:", '-');
  base = g_strdup_printf (_("%s — report.%s"), safe, extension);
  return g_build_filename (dir, base, NULL);
}

/**
 * pd_import_remove_temp_reports:
 *
 * Removes the reports pd_import_dup_temp_report_path() gave paths for,
 * with their folders and what a spreadsheet program put there (its lock
 * file): they hold customers' rows.  For the application's shutdown; a
 * program that still has one open keeps reading it.
 */
void
pd_import_remove_temp_reports (void)
{
  for (guint i = 0; temp_report_dirs != NULL && i < temp_report_dirs->len; i++)
    pd_temp_remove_dir (g_ptr_array_index (temp_report_dirs, i));
  g_clear_pointer (&temp_report_dirs, g_ptr_array_unref);
}
