/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdImportJob: records → matcher → merge rules → store, atomically.
 * What happens to each record is in pd-import-apply.c, how batches of
 * them reach the store in pd-import-batch.c, how the row results are kept
 * in pd-import-results.c; the job's getters and setters are in
 * pd-import-job-props.c. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pd-error.h"
#include "pd-field.h"
#include "pd-import-apply.h"
#include "pd-import-job.h"
#include "pd-import-job-private.h"
#include "pd-store-staff.h"
#include "pd-privacy-forget.h"
#include "pd-import-results.h"
#include "pd-json.h"
#include "pd-reader.h"
#include "pd-mapping.h"
#include "pd-worker.h"

/* Progress reaches the caller's main context at most this often. */
#define PROGRESS_INTERVAL_USEC (100 * 1000)


G_DEFINE_FINAL_TYPE (PdImportJob, pd_import_job, G_TYPE_OBJECT)

/* Rows whose fingerprints are looked up early (see run_import_inner()). */
#define SAME_ROWS_PROBE 4096

enum {
  PROGRESS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
pd_import_options_init (PdImportOptions *options)
{
  *options = (PdImportOptions) { .action = PD_MATCH_ACTION_MERGE };
}

static void
pd_import_job_finalize (GObject *object)
{
  PdImportJob *self = PD_IMPORT_JOB (object);

  g_clear_object (&self->store);
  g_clear_object (&self->file);
  g_clear_pointer (&self->source_options, pd_source_options_free);
  g_free (self->match);
  g_free (self->person_type);
  g_strfreev (self->tags);
  g_free (self->name);
  g_free (self->actor_who);
  g_clear_pointer (&self->info, pd_import_info_free);
  g_clear_pointer (&self->results, _pd_import_results_free);
  g_clear_pointer (&self->changes, g_ptr_array_unref);
  g_clear_pointer (&self->header, pd_row_free);
  g_clear_pointer (&self->earlier, pd_import_info_free);
  g_clear_pointer (&self->same_rows, pd_same_rows_free);
  g_clear_pointer (&self->same_rows_import, pd_import_info_free);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (pd_import_job_parent_class)->finalize (object);
}

static void
pd_import_job_class_init (PdImportJobClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_import_job_finalize;

  /**
   * PdImportJob::progress-changed:
   * @rows_done: records processed so far
   * @fraction: 0..1, from the reader's position in the file
   *
   * Emitted per batch, at most ten times a second, on the main context
   * that started the run.
   */
  signals[PROGRESS_CHANGED] =
    g_signal_new ("progress-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_DOUBLE);
}

static void
pd_import_job_init (PdImportJob *self)
{
  self->info = pd_import_info_new ();
  self->actor = (PdActor) { PD_SOURCE_IMPORT, NULL, PD_ROLE_OWNER };
  self->results = _pd_import_results_new ();
  self->batch_rows = APPLY_BATCH_ROWS;
  /* benchmarks only: another size, to compare */
  if (g_getenv ("PD_IMPORT_BATCH_ROWS") != NULL)
    self->batch_rows = MAX (1, (guint) g_ascii_strtoull (g_getenv ("PD_IMPORT_BATCH_ROWS"), NULL, 10));
  self->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_import_field_change_free);
}

/**
 * pd_import_job_new:
 * @store: the store to import into (the run opens its own connection)
 * @source_options: (nullable): reading and mapping options (analyze's)
 * @options: (nullable): matching and merge options; NULL: the defaults,
 *   without the accepted terms
 *
 * Returns: (transfer full): a job, ready to run once
 */
PdImportJob *
pd_import_job_new (PdStore               *store,
                   GFile                 *file,
                   const PdSourceOptions *source_options,
                   const PdImportOptions *options)
{
  PdImportJob *self = g_object_new (PD_TYPE_IMPORT_JOB, NULL);
  PdImportOptions defaults;

  self->store = g_object_ref (store);
  self->file = g_object_ref (file);
  if (source_options != NULL)
    self->source_options = pd_source_options_copy (source_options);
  else
    {
      PdSourceOptions empty = { 0 };
      self->source_options = pd_source_options_copy (&empty);
    }
  if (options == NULL)
    {
      pd_import_options_init (&defaults);
      options = &defaults;
    }
  self->match = g_strdup (options->match != NULL ? options->match : "email,phone");
  self->action = options->action;
  self->opt_in_all_email = options->opt_in_all_email;
  self->opt_in_all_sms = options->opt_in_all_sms;
  self->person_type = g_strdup (options->person_type);
  self->tags = g_strdupv ((char **) options->tags);
  self->auto_tag = options->auto_tag;
  self->name = g_strdup (options->name);
  self->accept_terms = options->accept_terms;
  self->merge_shared_phones = options->merge_shared_phones;
  self->same_file = options->same_file;
  return self;
}

typedef struct {
  PdImportJob *job;
  guint        rows_done;
  double       fraction;
} Progress;

static gboolean
emit_progress (gpointer data)
{
  Progress *progress = data;

  g_signal_emit (progress->job, signals[PROGRESS_CHANGED], 0, progress->rows_done, progress->fraction);
  return G_SOURCE_REMOVE;
}

static void
progress_free (gpointer data)
{
  Progress *progress = data;

  g_object_unref (progress->job);
  g_free (progress);
}

static void queue_progress (PdImportJob *self);

static void
report_progress (PdImportJob    *self,
                 PdRecordSource *source,
                 gboolean        force)
{
  gint64 now = g_get_monotonic_time ();
  guint64 size = pd_record_source_get_size (source);

  self->fraction = size > 0 ? MIN (1.0, (double) pd_record_source_get_position (source) / size) : 0.0;
  if (!force && now - self->last_progress < PROGRESS_INTERVAL_USEC)
    return;
  self->last_progress = now;
  queue_progress (self);
}

/* On the caller's main context, or right here without one. */
static void
queue_progress (PdImportJob *self)
{
  Progress *progress;

  progress = g_new (Progress, 1);
  progress->job = g_object_ref (self);
  progress->rows_done = g_atomic_int_get (&self->rows_done);
  progress->fraction = self->fraction;
  if (self->context != NULL)
    g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emit_progress, progress, progress_free);
  else
    {
      emit_progress (progress);
      progress_free (progress);
    }
}

/* The store waits for another desk's import (pd_store_set_wait_handler()):
 * progress is emitted at once, so that the CLI and the app say so. */
static void
on_store_wait (gboolean waiting,
               gpointer data)
{
  PdImportJob *self = data;

  g_atomic_int_set (&self->waiting, waiting);
  queue_progress (self);
}

static char *
options_to_json (PdImportJob *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "match");
  json_builder_add_string_value (builder, self->match);
  json_builder_set_member_name (builder, "on_match");
  json_builder_add_string_value (builder, pd_match_action_to_string (self->action));
  json_builder_set_member_name (builder, "opt_in_all_email");
  json_builder_add_boolean_value (builder, self->opt_in_all_email);
  json_builder_set_member_name (builder, "opt_in_all_sms");
  json_builder_add_boolean_value (builder, self->opt_in_all_sms);
  pd_json_add_nullable_string (builder, "person_type", self->person_type);
  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  for (guint i = 0; self->tags != NULL && self->tags[i] != NULL; i++)
    json_builder_add_string_value (builder, self->tags[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "auto_tag");
  json_builder_add_boolean_value (builder, self->auto_tag);
  json_builder_set_member_name (builder, "same_file");
  json_builder_add_string_value (builder, pd_same_file_to_string (self->same_file));
  json_builder_set_member_name (builder, "skip_rows");
  json_builder_add_int_value (builder, self->source_options->skip_rows);
  pd_json_add_nullable_string (builder, "sheet", self->source_options->sheet);
  json_builder_set_member_name (builder, "region");
  json_builder_add_string_value (builder, self->source_options->default_region != NULL
                                          ? self->source_options->default_region : "US");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* The mapping remembered for the file's header row, if any.  The header is
 * read here, before the record source validates a mapping: a file whose
 * headers the auto-mapper cannot map may have a preset that can. */
static PdMapping *
remembered_mapping (PdImportJob  *self,
                    PdStore      *store,
                    GCancellable *cancellable)
{
  PdReaderOptions options = { .sheet = self->source_options->sheet,
                              .encoding = self->source_options->encoding };
  g_autoptr(PdReader) reader = pd_reader_open (self->file, &options, cancellable, NULL);
  g_autoptr(PdRow) header = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *preset = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (reader == NULL)
    return NULL;
  while ((header = pd_reader_next_row (reader, cancellable, NULL)) != NULL &&
         (header->number <= self->source_options->skip_rows || pd_row_is_blank (header)))
    g_clear_pointer (&header, pd_row_free);
  if (header == NULL)
    return NULL;
  signature = pd_mapping_compute_signature ((const char * const *) header->cells, header->n_cells);
  preset = pd_store_lookup_preset (store, signature, NULL);
  if (preset == NULL || (node = json_from_string (preset, NULL)) == NULL)
    return NULL;
  return pd_mapping_new_from_json (node, NULL);
}

/* Before anything is read or written: the file imported before? (the
 * rule is pd_same_file_check()'s) */
static gboolean
check_same_file (PdImportJob       *self,
                 PdStore           *store,
                 PdImportRunState  *state,
                 GCancellable      *cancellable,
                 GError           **error)
{
  g_clear_pointer (&self->earlier, pd_import_info_free);
  if (!pd_same_file_check (store, self->file, self->same_file, self->dry_run, &self->earlier,
                           &state->rows_not_applied_before, cancellable, error))
    return FALSE;
  state->skip_points = state->rows_not_applied_before != NULL;

  /* The same rows in another file (pd-same-rows.h): fingerprints
   * collected as the run goes and looked up at its end (row by row only
   * for skip-points), unless the same file was found (its rule covers
   * every row) or the user said to import anyway. */
  g_clear_pointer (&self->same_rows, pd_same_rows_free);
  g_clear_pointer (&self->same_rows_import, pd_import_info_free);
  self->same_rows = pd_same_rows_new ();
  state->same_rows = self->same_rows;
  state->row_hashes = g_array_new (FALSE, FALSE, sizeof (gint64));
  state->skip_points_of_rows = self->earlier == NULL && self->same_file == PD_SAME_FILE_SKIP_POINTS;
  return TRUE;
}

static gboolean run_import_inner (PdImportJob *self, PdStore *store, GCancellable *cancellable,
                                  GError **error);

static gboolean
run_import (PdImportJob   *self,
            PdStore       *store,
            GCancellable  *cancellable,
            GError       **error)
{
  gboolean ok;

  self->running_now = TRUE;
  ok = run_import_inner (self, store, cancellable, error);
  /* the last batch's results, also after a failure */
  if (!_pd_import_results_spill (self->results, ok ? error : NULL))
    ok = FALSE;
  _pd_import_results_flush (self->results);
  self->running_now = FALSE;
  return ok;
}

static gboolean
run_import_inner (PdImportJob   *self,
                  PdStore       *store,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(PdRecordSource) source = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *path = g_file_get_path (self->file);
  g_autoptr(GPtrArray) tags = g_ptr_array_new ();
  PdImportRunState state = { 0 };
  gboolean refused = FALSE;
  gboolean probed = FALSE;
  gint64 start = g_get_monotonic_time ();
  PdMapping *mapping;
  gboolean ok = FALSE;

  /* a dry run writes nothing: no terms to accept for it */
  if (!self->accept_terms && !self->dry_run)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_TERMS_NOT_ACCEPTED,
                           _("The import terms must be accepted before importing (--accept-terms)"));
      return FALSE;
    }
  /* Refused before the file is read (the store checks again as the
   * import begins). */
  if (!self->dry_run && !pd_actor_check (&self->actor, PD_PERMISSION_IMPORT, error))
    return FALSE;
  if (path == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT, _("%s is not a local file"),
                   g_file_peek_path (self->file));
      return FALSE;
    }
  self->n_points_skipped = 0;
  state.n_points_skipped = &self->n_points_skipped;
  if (!check_same_file (self, store, &state, cancellable, error))
    goto out;
  state.keys = g_array_new (FALSE, FALSE, sizeof (PdFieldId));
  if (!pd_match_keys_parse (self->match, state.keys, error))
    goto out;
  {
    gboolean email = FALSE, phone = FALSE;

    for (guint k = 0; k < state.keys->len; k++)
      {
        email |= g_array_index (state.keys, PdFieldId, k) == PD_FIELD_EMAIL;
        phone |= g_array_index (state.keys, PdFieldId, k) == PD_FIELD_PHONE;
      }
    state.contacts_checked = email && phone;
    state.separate_shared_phones = email && phone && !self->merge_shared_phones;
  }

  /* A file whose header row was imported before gets the mapping used
   * then, unless this run says how to map. */
  if (self->source_options->map == NULL && self->source_options->ignore == NULL &&
      self->source_options->mapping == NULL)
    {
      g_autoptr(PdMapping) remembered = remembered_mapping (self, store, cancellable);

      if (remembered != NULL)
        {
          self->source_options->mapping = g_steal_pointer (&remembered);
          self->preset_applied = TRUE;
        }
    }

  /* The file is refused as a whole here (unreadable, no header, a mapping
   * that does not validate): nothing is recorded. */
  source = pd_record_source_new (self->file, self->source_options, cancellable, error);
  if (source == NULL)
    goto out;
  mapping = pd_record_source_get_mapping (source);
  self->header = pd_row_copy (pd_record_source_get_header_row (source));

  if (self->name == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *when = g_date_time_format (now, "%Y-%m-%d %H:%M");
      g_autofree char *base = g_file_get_basename (self->file);

      self->name = g_strdup_printf ("%s %s", base, when);
    }
  self->info->name = g_strdup (self->name);
  {
    g_autoptr(JsonNode) node = pd_mapping_to_json (mapping);
    self->info->mapping_json = json_to_string (node, FALSE);
  }
  self->info->options_json = options_to_json (self);

  for (guint i = 0; self->tags != NULL && self->tags[i] != NULL; i++)
    g_ptr_array_add (tags, self->tags[i]);
  if (self->auto_tag)
    g_ptr_array_add (tags, self->name);
  g_ptr_array_add (tags, NULL);
  state.merge.action = self->action;
  state.merge.opt_in_all_email = self->opt_in_all_email;
  state.merge.opt_in_all_sms = self->opt_in_all_sms;
  state.merge.person_type = self->person_type;
  state.merge.signup_source = self->name;
  state.merge.tags = (const char **) tags->pdata;
  state.points_reason = g_strdup_printf (_("Import “%s”"), self->name);
  state.store = store;
  state.dry_run = self->dry_run;
  state.privacy_refused = self->dry_run ? NULL : pd_privacy_targets_new ();
  state.info = self->info;
  state.results = self->results;
  state.changes = self->changes;
  state.n_changes = &self->n_changes;
  state.n_warning_rows = &self->n_warning_rows;
  state.n_shared_phones = &self->n_shared_phones;

  /* A dry run keeps no copy of the file: its transaction is rolled back. */
  if (self->dry_run)
    self->info->file_name = g_file_get_basename (self->file);
  /* On a shared database another desk's import may run: a run that
   * tells its progress to a main loop (the CLI's, the app's) waits for it,
   * cancellable, and says so; one on the caller's thread (the API's bulk
   * route) keeps the lock timeout's bound, BUSY (503 and Retry-After)
   * rather than a request held for another desk's whole import. */
  if (self->context != NULL)
    pd_store_set_wait_handler (store, cancellable, on_store_wait, self);
  if (pd_store_begin_import_as (store, self->info, self->dry_run ? NULL : path, &self->actor, error) == 0)
    goto out;
  if (!self->dry_run)
    _pd_import_results_write_to (self->results, store, self->info->id);
  g_debug ("import: began (file stored) after %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - start) / 1000);

  for (gboolean end = FALSE; !end;)
    {
      g_autoptr(GPtrArray) held = g_ptr_array_new ();
      g_autoptr(GPtrArray) records = g_ptr_array_new ();

      /* The source's batches, gathered into one of the engine's
       * (pd-import-batch.c) */
      while (records->len < self->batch_rows)
        {
          GPtrArray *batch = pd_record_source_next_batch (source, cancellable, &local);

          if (batch == NULL)
            {
              end = TRUE;
              break;
            }
          g_ptr_array_add (held, batch);
          g_ptr_array_extend (records, batch, NULL, NULL);
        }
      /* in batches of batch_rows exactly, when the source's are larger (a
       * test's batch of 1 is the engine one row at a time) */
      for (guint done = 0; local == NULL && done < records->len; done += self->batch_rows)
        {
          guint n = MIN (self->batch_rows, records->len - done);

          if (_pd_import_apply_batch (&state, (PdRecord * const *) records->pdata + done, n, &local))
            {
              self->info->total += n;
              g_atomic_int_add (&self->rows_done, n);
            }
        }
      /* Reused by the normalizers rather than freed here. */
      for (guint i = 0; i < held->len; i++)
        pd_record_source_recycle_batch (source, g_ptr_array_index (held, i));
      if (local != NULL)
        break;
      /* The same rows again are most often the first ones (a file saved
       * again, a later export holding the earlier one): a run that will
       * refuse them stops writing once its first rows say so. */
      if (!probed && state.row_hashes->len >= SAME_ROWS_PROBE)
        {
          gboolean found = FALSE;

          probed = TRUE;
          if (!self->dry_run && self->earlier == NULL && self->same_file == PD_SAME_FILE_REFUSE &&
              !pd_same_rows_probe (store, state.row_hashes, &found, &local))
            break;
          state.only_fingerprint = found;
        }
      if (!_pd_import_results_spill (self->results, &local))
        break;
      report_progress (self, source, FALSE);
      /* Cancelling is checked per batch: the rollback is what makes it
       * clean, not where it stops. */
      if (g_cancellable_set_error_if_cancelled (cancellable, &local))
        break;
    }

  self->info->duration_ms = (g_get_monotonic_time () - start) / 1000;
  g_debug ("import: rows applied after %" G_GINT64_FORMAT " ms", self->info->duration_ms);
  if (local == NULL &&
      !pd_same_rows_finish_import (self->same_rows, store, self->file, state.row_hashes, self->info->id,
                                   self->same_file, self->earlier != NULL, self->dry_run,
                                   &self->same_rows_import, &refused, &local) &&
      refused)
    {
      /* refused before anything stays: no history entry either */
      pd_store_discard_import (store, self->info);
      g_propagate_error (error, g_steal_pointer (&local));
      goto out;
    }
  if (local != NULL)
    {
      self->info->status = g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                           ? PD_IMPORT_STATUS_CANCELLED : PD_IMPORT_STATUS_FAILED;
      self->info->error = g_strdup (local->message);
      if (self->dry_run)
        pd_store_discard_import (store, self->info);
      else
        pd_store_abort_import (store, self->info);
      g_propagate_error (error, g_steal_pointer (&local));
      goto out;
    }

  if (self->dry_run)
    {
      /* Everything was written as the import would; none of it stays. */
      pd_store_discard_import (store, self->info);
      self->info->status = PD_IMPORT_STATUS_COMPLETED;
      self->fraction = 1.0;
      report_progress (self, source, TRUE);
      ok = TRUE;
      goto out;
    }

  /* The rows' results stay with the import (for its report), and the
   * mapping is remembered for the next file with the same headers. */
  if (!_pd_import_results_keep (self->results, self->header, &local) ||
      (pd_mapping_get_signature (mapping) != NULL &&
       !pd_store_save_preset (store, pd_mapping_get_signature (mapping), self->info->mapping_json, &local)))
    {
      self->info->status = PD_IMPORT_STATUS_FAILED;
      pd_store_abort_import (store, self->info);
      g_propagate_error (error, g_steal_pointer (&local));
      goto out;
    }

  g_debug ("import: results kept after %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - start) / 1000);
  if (!pd_store_finish_import (store, self->info, error))
    goto out;
  g_debug ("import: committed after %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - start) / 1000);
  /* rows refused for privacy do not stay in the kept file either */
  if (state.privacy_refused != NULL &&
      (pd_privacy_targets_get_emails (state.privacy_refused)->len > 0 ||
       pd_privacy_targets_get_phones (state.privacy_refused)->len > 0))
    {
      g_autoptr(GError) privacy_error = NULL;

      if (!pd_privacy_remove_refused_rows (store, self->info->id, state.privacy_refused, &privacy_error))
        g_warning ("Import %" G_GINT64_FORMAT ": %s", self->info->id, privacy_error->message);
    }
  self->fraction = 1.0;
  report_progress (self, source, TRUE);
  ok = TRUE;

out:
  /* rolled back or committed: nothing more goes there */
  _pd_import_results_write_to (self->results, NULL, 0);
  pd_store_set_wait_handler (store, NULL, NULL, NULL);
  g_clear_pointer (&state.keys, g_array_unref);
  g_clear_pointer (&state.rows_not_applied_before, g_hash_table_unref);
  g_clear_pointer (&state.row_hashes, g_array_unref);
  g_clear_pointer (&state.privacy_refused, pd_privacy_targets_free);
  g_free (state.points_reason);
  return ok;
}

/**
 * pd_import_job_run:
 *
 * Runs the import on the calling thread (with its own store connection);
 * progress is emitted on this thread.  Cancelling rolls everything back.
 */
gboolean
pd_import_job_run (PdImportJob   *self,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(PdStore) store = NULL;

  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), FALSE);
  g_return_val_if_fail (!self->running, FALSE);

  self->running = TRUE;
  store = pd_store_open_another (self->store, error);
  if (store == NULL)
    return FALSE;
  return run_import (self, store, cancellable, error);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  PdImportJob *self = source_object;
  PdStore *store = task_data;
  GError *error = NULL;

  if (run_import (self, store, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * pd_import_job_run_async:
 *
 * Runs the import on a worker thread (of lower priority than the
 * caller's) with its own store connection; ::progress-changed and
 * @callback come on the thread-default main context of the caller.
 */
void
pd_import_job_run_async (PdImportJob         *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  PdStore *store;

  g_return_if_fail (PD_IS_IMPORT_JOB (self));
  g_return_if_fail (!self->running);

  self->running = TRUE;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_import_job_run_async);
  g_task_set_name (task, "[persona-desk] import");

  /* The worker's connection is opened here and then used only there. */
  store = pd_store_open_another (self->store, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, store, g_object_unref);
  self->context = g_main_context_ref_thread_default ();
  pd_worker_run_in_thread (task, run_thread, "pd-import");
}

gboolean
pd_import_job_run_finish (PdImportJob   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
