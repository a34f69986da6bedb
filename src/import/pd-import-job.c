/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdImportJob: records → matcher → merge rules → store, atomically. */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pd-error.h"
#include "pd-field.h"
#include "pd-import-diff.h"
#include "pd-import-job.h"
#include "pd-reader.h"
#include "pd-mapping.h"
#include "pd-worker.h"

/* Progress reaches the caller's main context at most this often. */
#define PROGRESS_INTERVAL_USEC (100 * 1000)

struct _PdImportJob
{
  GObject          parent_instance;

  PdStore         *store;
  GFile           *file;
  PdSourceOptions *source_options;

  /* options, owned copies */
  char            *match;
  PdMatchAction    action;
  gboolean         opt_in_all_email;
  gboolean         opt_in_all_sms;
  char            *person_type;
  GStrv            tags;
  gboolean         auto_tag;
  char            *name;
  gboolean         accept_terms;
  gboolean         dry_run;

  /* results; written by the worker, read after the run */
  PdImportInfo    *info;
  GPtrArray       *rows;        /* PdImportRowResult: the current batch's while
                                 * running, all of them once loaded after */
  gboolean         rows_loaded;
  /* Row results go to a temporary file batch by batch: a million failed
   * rows with their cells would otherwise stay in memory. */
  GFile           *spill;
  GOutputStream   *spill_out;
  guint            n_spilled;
  PdRow           *header;
  guint            rows_done;   /* atomic */
  double           fraction;
  gboolean         running;
  gboolean         running_now;
  gboolean         preset_applied;
  guint            n_warning_rows;
  GPtrArray       *changes;     /* PdImportFieldChange, dry runs only */
  guint            n_changes;   /* including those past the cap */

  GMainContext    *context;     /* where progress is delivered */
  gint64           last_progress;
};

G_DEFINE_FINAL_TYPE (PdImportJob, pd_import_job, G_TYPE_OBJECT)

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

const char *
pd_import_outcome_to_string (PdImportOutcome outcome)
{
  switch (outcome)
    {
    case PD_IMPORT_OUTCOME_IMPORTED:
      return "imported";
    case PD_IMPORT_OUTCOME_UPDATED:
      return "updated";
    case PD_IMPORT_OUTCOME_IGNORED:
      return "ignored";
    case PD_IMPORT_OUTCOME_FAILED:
    default:
      return "failed";
    }
}

void
pd_import_row_result_free (PdImportRowResult *result)
{
  if (result == NULL)
    return;
  g_ptr_array_unref (result->reasons);
  g_clear_pointer (&result->source, pd_row_free);
  g_free (result);
}

void
pd_import_field_change_free (PdImportFieldChange *change)
{
  if (change == NULL)
    return;
  g_free (change->field);
  g_free (change->old_value);
  g_free (change->new_value);
  g_free (change);
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
  g_clear_pointer (&self->info, pd_import_info_free);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->changes, g_ptr_array_unref);
  g_clear_object (&self->spill_out);
  if (self->spill != NULL)
    g_file_delete (self->spill, NULL, NULL);
  g_clear_object (&self->spill);
  g_clear_pointer (&self->header, pd_row_free);
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
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_import_row_result_free);
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

static void
report_progress (PdImportJob    *self,
                 PdRecordSource *source,
                 gboolean        force)
{
  gint64 now = g_get_monotonic_time ();
  guint64 size = pd_record_source_get_size (source);
  Progress *progress;

  self->fraction = size > 0 ? MIN (1.0, (double) pd_record_source_get_position (source) / size) : 0.0;
  if (!force && now - self->last_progress < PROGRESS_INTERVAL_USEC)
    return;
  self->last_progress = now;

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

static PdImportRowResult *
add_result (PdImportJob     *self,
            PdRecord        *record,
            PdImportOutcome  outcome,
            gint64           persona_id)
{
  PdImportRowResult *result = g_new0 (PdImportRowResult, 1);

  result->row = record->row;
  result->outcome = outcome;
  result->reasons = g_ptr_array_new_with_free_func (g_free);
  result->persona_id = persona_id;
  result->source = g_steal_pointer (&record->source);
  g_ptr_array_add (self->rows, result);
  return result;
}

static void
fail_row (PdImportJob *self,
          PdRecord    *record,
          gint64       persona_id,
          const char  *reason)
{
  PdImportRowResult *result = add_result (self, record, PD_IMPORT_OUTCOME_FAILED, persona_id);

  g_ptr_array_add (result->reasons, g_strdup (reason));
  self->info->failed++;
}

typedef struct {
  GArray         *keys;
  PdMergeOptions  merge;
  char           *points_reason;
  /* matching on email and phone looks every contact up already */
  gboolean        contacts_checked;
} RunState;

/* Rows that were imported with a warning are listed up to this many (the
 * rest counted): a file where every row warns about one column must not
 * hold a million results in memory. */
#define MAX_WARNING_ROWS 10000

/* The distinct personas the record's key values point at, at most two. */
static gboolean
match_record (PdStore         *store,
              const RunState  *state,
              const PdRecord  *record,
              gint64           found[2],
              guint           *n_found,
              GError         **error)
{
  *n_found = 0;
  for (guint k = 0; k < state->keys->len; k++)
    {
      PdFieldId key = g_array_index (state->keys, PdFieldId, k);
      GPtrArray *values = NULL;
      const char *single[1];
      guint n;

      if (key == PD_FIELD_EMAIL)
        values = record->emails;
      else if (key == PD_FIELD_PHONE)
        values = record->phones;
      else if (record->values[key] == NULL)
        continue;
      single[0] = values == NULL ? record->values[key] : NULL;
      n = values != NULL ? values->len : 1;

      for (guint i = 0; i < n; i++)
        {
          const char *value = values != NULL ? g_ptr_array_index (values, i) : single[0];
          GError *local = NULL;
          gint64 id = pd_store_find_persona (store, key, value, &local);

          if (local != NULL)
            {
              g_propagate_error (error, local);
              return FALSE;
            }
          if (id == 0 || (*n_found > 0 && found[0] == id))
            continue;
          found[(*n_found)++] = id;
          if (*n_found == 2)
            return TRUE;
        }
    }
  return TRUE;
}

/* A spilled result: its size (guint32), then row (guint32), outcome
 * (guint8), persona_id (gint64), the numbers of reasons and cells (guint32
 * each), then the reasons and the cells as NUL-terminated strings, all in
 * host byte order (the file lives as long as the job).  Hand-packed rather
 * than a GVariant: building and parsing one per row cost more than the
 * rest of writing the import's results. */
#define SPILL_HEADER (4 + 1 + 8 + 4 + 4)

static void
pack_string (GByteArray *buf,
             const char *text)
{
  g_byte_array_append (buf, (const guint8 *) text, strlen (text) + 1);
}

static gboolean
spill_results (PdImportJob  *self,
               GError      **error)
{
  g_autoptr(GByteArray) buf = NULL;

  if (self->rows->len == 0)
    return TRUE;
  if (self->spill_out == NULL)
    {
      g_autoptr(GFileIOStream) io = NULL;

      self->spill = g_file_new_tmp ("persona-desk-results-XXXXXX", &io, error);
      if (self->spill == NULL)
        return FALSE;
      self->spill_out = g_buffered_output_stream_new_sized (
        g_io_stream_get_output_stream (G_IO_STREAM (io)), 1 << 16);
      g_object_set_data_full (G_OBJECT (self->spill_out), "io", g_steal_pointer (&io), g_object_unref);
    }
  buf = g_byte_array_sized_new (1 << 16);
  for (guint i = 0; i < self->rows->len; i++)
    {
      PdImportRowResult *r = g_ptr_array_index (self->rows, i);
      guint32 n_cells = r->source != NULL ? r->source->n_cells : 0;
      guint32 n_reasons = r->reasons->len;
      guint32 row = r->row;
      guint8 outcome = r->outcome;
      gint64 persona_id = r->persona_id;
      guint start = buf->len;
      guint32 size;

      g_byte_array_set_size (buf, start + 4 + SPILL_HEADER);
      memcpy (buf->data + start + 4, &row, 4);
      memcpy (buf->data + start + 8, &outcome, 1);
      memcpy (buf->data + start + 9, &persona_id, 8);
      memcpy (buf->data + start + 17, &n_reasons, 4);
      memcpy (buf->data + start + 21, &n_cells, 4);
      for (guint k = 0; k < n_reasons; k++)
        pack_string (buf, g_ptr_array_index (r->reasons, k));
      /* the report is UTF-8: a cell that could not be decoded is left empty */
      for (guint c = 0; c < n_cells; c++)
        pack_string (buf, g_utf8_validate (r->source->cells[c], -1, NULL) ? r->source->cells[c] : "");
      size = buf->len - start - 4;
      memcpy (buf->data + start, &size, 4);
      self->n_spilled++;
      if (buf->len >= (1 << 16))
        {
          if (!g_output_stream_write_all (self->spill_out, buf->data, buf->len, NULL, NULL, error))
            return FALSE;
          g_byte_array_set_size (buf, 0);
        }
    }
  if (buf->len > 0 && !g_output_stream_write_all (self->spill_out, buf->data, buf->len, NULL, NULL, error))
    return FALSE;
  g_ptr_array_set_size (self->rows, 0);
  return TRUE;
}

/* The next NUL-terminated string of a spilled record, or NULL when it
 * would run past @end (a damaged file). */
static const char *
unpack_string (const char **p,
               const char  *end)
{
  const char *s = *p;
  const char *nul = memchr (s, '\0', end - s);

  if (nul == NULL)
    return NULL;
  *p = nul + 1;
  return s;
}

/**
 * pd_import_job_foreach_row_result:
 * @func: (scope call): called for each row not imported or updated (and
 *   the first rows with warnings), in file order; the result is freed after
 *
 * Streams the results from where the run kept them: memory stays flat.
 */
gboolean
pd_import_job_foreach_row_result (PdImportJob          *self,
                                  PdImportRowResultFunc func,
                                  gpointer              user_data,
                                  GError              **error)
{
  g_autoptr(GFileInputStream) file_in = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autofree char *buffer = NULL;
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (guint));
  gsize capacity = 0;

  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), FALSE);

  if (self->rows_loaded)
    {
      for (guint i = 0; i < self->rows->len; i++)
        func (g_ptr_array_index (self->rows, i), user_data);
      return TRUE;
    }
  if (self->spill == NULL)
    return TRUE;
  if (self->spill_out != NULL && !g_output_stream_flush (self->spill_out, NULL, error))
    return FALSE;
  file_in = g_file_read (self->spill, NULL, error);
  if (file_in == NULL)
    return FALSE;
  in = g_buffered_input_stream_new_sized (G_INPUT_STREAM (file_in), 1 << 16);
  for (guint n = 0; n < self->n_spilled; n++)
    {
      PdImportRowResult result = { 0 };
      g_autoptr(GPtrArray) reasons = NULL;
      guint32 size, row, n_reasons, n_cells;
      guint8 outcome;
      gint64 persona_id;
      const char *p, *end, *cells;
      gsize got;
      gboolean damaged = FALSE;

      if (!g_input_stream_read_all (in, &size, sizeof size, &got, NULL, error))
        return FALSE;
      if (got != sizeof size || size < SPILL_HEADER)
        break;
      if (size > capacity)
        {
          capacity = size;
          buffer = g_realloc (buffer, capacity);
        }
      if (!g_input_stream_read_all (in, buffer, size, &got, NULL, error))
        return FALSE;
      if (got != size)
        break;
      memcpy (&row, buffer, 4);
      memcpy (&outcome, buffer + 4, 1);
      memcpy (&persona_id, buffer + 5, 8);
      memcpy (&n_reasons, buffer + 13, 4);
      memcpy (&n_cells, buffer + 17, 4);
      p = buffer + SPILL_HEADER;
      end = buffer + size;

      /* a callback may keep a reference to the reasons */
      reasons = g_ptr_array_new_full (n_reasons, g_free);
      for (guint k = 0; k < n_reasons && !damaged; k++)
        {
          const char *text = unpack_string (&p, end);

          if (text == NULL)
            damaged = TRUE;
          else
            g_ptr_array_add (reasons, g_strdup (text));
        }
      cells = p;
      g_array_set_size (offsets, 0);
      for (guint c = 0; c < n_cells && !damaged; c++)
        {
          guint offset = p - cells;

          if (unpack_string (&p, end) == NULL)
            damaged = TRUE;
          else
            g_array_append_val (offsets, offset);
        }
      if (damaged)
        break;

      result.row = row;
      result.outcome = outcome;
      result.persona_id = persona_id;
      result.reasons = reasons;
      if (n_cells > 0)
        result.source = pd_row_new_packed (row, cells, (const guint *) offsets->data, n_cells);
      func (&result, user_data);
      g_clear_pointer (&result.source, pd_row_free);
    }
  return TRUE;
}

static gboolean
process_record (PdImportJob     *self,
                PdStore         *store,
                const RunState  *state,
                PdRecord        *record,
                GError         **error)
{
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(PdPersona) persona = NULL;
  g_autoptr(PdPersona) before = NULL;
  g_autoptr(GError) local = NULL;
  PdImportRowResult *result;
  gint64 found[2] = { 0, 0 };
  guint n_found = 0;
  gint64 delta = 0;
  gboolean is_new;

  if (!pd_record_is_valid (record))
    {
      result = add_result (self, record, PD_IMPORT_OUTCOME_FAILED, 0);
      for (guint i = 0; i < record->errors->len; i++)
        g_ptr_array_add (result->reasons, g_strdup (g_ptr_array_index (record->errors, i)));
      self->info->failed++;
      return TRUE;
    }

  /* A store failure here is the database's, not the row's: it stops the
   * import. */
  if (!match_record (store, state, record, found, &n_found, error))
    return FALSE;

  if (n_found == 2)
    {
      g_autofree char *reason =
        g_strdup_printf (_("Row %u matches two different personas: %" PRId64 " and %" PRId64),
                         record->row, found[0], found[1]);
      fail_row (self, record, found[0], reason);
      return TRUE;
    }

  is_new = n_found == 0;
  if (!is_new && state->merge.action == PD_MATCH_ACTION_IGNORE)
    {
      result = add_result (self, record, PD_IMPORT_OUTCOME_IGNORED, found[0]);
      g_ptr_array_add (result->reasons, g_strdup (_("Ignored — duplicate found")));
      self->info->ignored++;
      return TRUE;
    }

  if (is_new)
    persona = pd_persona_new ();
  else
    {
      persona = pd_store_get_persona (store, found[0], error);
      if (persona == NULL)
        return FALSE;
      before = pd_persona_copy (persona);
    }

  warnings = g_ptr_array_new_with_free_func (g_free);
  if (!pd_merge_apply (persona, record, is_new, &state->merge, &delta, warnings, &local) ||
      !pd_store_import_write_full (store, self->info->id, persona, before, state->points_reason,
                                   state->contacts_checked, &local))
    {
      /* A database error that is not about this row stops everything. */
      if (g_error_matches (local, PD_ERROR, PD_ERROR_STORE))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      fail_row (self, record, found[0], local->message);
      return TRUE;
    }

  if (is_new)
    self->info->imported++;
  else
    self->info->updated++;
  if (self->dry_run && before != NULL)
    pd_import_diff_personas (self->changes, &self->n_changes, record->row, before, persona);
  for (guint i = 0; i < record->warnings->len; i++)
    g_ptr_array_add (warnings, g_strdup (g_ptr_array_index (record->warnings, i)));
  if (warnings->len > 0 && self->n_warning_rows++ < MAX_WARNING_ROWS)
    {
      result = add_result (self, record, is_new ? PD_IMPORT_OUTCOME_IMPORTED : PD_IMPORT_OUTCOME_UPDATED,
                           pd_persona_get_id (persona));
      /* the report lists failed and ignored rows only: no need for cells */
      g_clear_pointer (&result->source, pd_row_free);
      for (guint i = 0; i < warnings->len; i++)
        g_ptr_array_add (result->reasons, g_strdup (g_ptr_array_index (warnings, i)));
    }
  return TRUE;
}

typedef struct {
  PdStore *store;
  gint64   import_id;
  GError  *error;
} KeepResults;

static void
keep_result (PdImportRowResult *result,
             gpointer           data)
{
  KeepResults *keep = data;
  g_autoptr(GPtrArray) reasons = NULL;
  PdImportResultRecord record = { 0 };

  if (keep->error != NULL)
    return;
  reasons = g_ptr_array_new ();
  for (guint i = 0; i < result->reasons->len; i++)
    g_ptr_array_add (reasons, g_ptr_array_index (result->reasons, i));
  g_ptr_array_add (reasons, NULL);
  record.row = result->row;
  record.outcome = pd_import_outcome_to_string (result->outcome);
  record.reasons = (const char * const *) reasons->pdata;
  record.persona_id = result->persona_id;
  if (result->source != NULL)
    {
      record.cells = (const char * const *) result->source->cells;
      record.n_cells = result->source->n_cells;
    }
  pd_store_import_write_result (keep->store, keep->import_id, &record, &keep->error);
}

/* The header and every row result go into the store with the import (in
 * its transaction), so that its report can be written again any time. */
static gboolean
keep_results (PdImportJob  *self,
              PdStore      *store,
              GError      **error)
{
  KeepResults keep = { store, self->info->id, NULL };
  PdImportResultRecord header = { 0 };

  if (!spill_results (self, error))
    return FALSE;
  if (self->header != NULL)
    {
      header.cells = (const char * const *) self->header->cells;
      header.n_cells = self->header->n_cells;
    }
  if (!pd_store_import_write_result (store, self->info->id, &header, error))
    return FALSE;
  if (!pd_import_job_foreach_row_result (self, keep_result, &keep, error))
    return FALSE;
  if (keep.error != NULL)
    {
      g_propagate_error (error, keep.error);
      return FALSE;
    }
  return TRUE;
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
  json_builder_set_member_name (builder, "person_type");
  if (self->person_type != NULL)
    json_builder_add_string_value (builder, self->person_type);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  for (guint i = 0; self->tags != NULL && self->tags[i] != NULL; i++)
    json_builder_add_string_value (builder, self->tags[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "auto_tag");
  json_builder_add_boolean_value (builder, self->auto_tag);
  json_builder_set_member_name (builder, "skip_rows");
  json_builder_add_int_value (builder, self->source_options->skip_rows);
  json_builder_set_member_name (builder, "sheet");
  if (self->source_options->sheet != NULL)
    json_builder_add_string_value (builder, self->source_options->sheet);
  else
    json_builder_add_null_value (builder);
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
  if (!spill_results (self, ok ? error : NULL))
    ok = FALSE;
  if (self->spill_out != NULL)
    g_output_stream_flush (self->spill_out, NULL, NULL);
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
  RunState state = { 0 };
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
  if (path == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT, _("%s is not a local file"),
                   g_file_peek_path (self->file));
      return FALSE;
    }
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

  /* A dry run keeps no copy of the file: its transaction is rolled back. */
  if (self->dry_run)
    self->info->file_name = g_file_get_basename (self->file);
  if (pd_store_begin_import (store, self->info, self->dry_run ? NULL : path, error) == 0)
    goto out;

  for (;;)
    {
      GPtrArray *batch = pd_record_source_next_batch (source, cancellable, &local);

      if (batch == NULL)
        break;
      for (guint i = 0; i < batch->len; i++)
        {
          if (!process_record (self, store, &state, g_ptr_array_index (batch, i), &local))
            break;
          self->info->total++;
          g_atomic_int_inc (&self->rows_done);
        }
      /* Reused by the normalizers rather than freed here. */
      pd_record_source_recycle_batch (source, batch);
      if (local != NULL)
        break;
      if (!spill_results (self, &local))
        break;
      report_progress (self, source, FALSE);
      /* Cancelling is checked per batch: the rollback is what makes it
       * clean, not where it stops. */
      if (g_cancellable_set_error_if_cancelled (cancellable, &local))
        break;
    }

  self->info->duration_ms = (g_get_monotonic_time () - start) / 1000;
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
  if (!keep_results (self, store, &local) ||
      (pd_mapping_get_signature (mapping) != NULL &&
       !pd_store_save_preset (store, pd_mapping_get_signature (mapping), self->info->mapping_json, &local)))
    {
      self->info->status = PD_IMPORT_STATUS_FAILED;
      pd_store_abort_import (store, self->info);
      g_propagate_error (error, g_steal_pointer (&local));
      goto out;
    }

  if (!pd_store_finish_import (store, self->info, error))
    goto out;
  self->fraction = 1.0;
  report_progress (self, source, TRUE);
  ok = TRUE;

out:
  g_array_unref (state.keys);
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

/**
 * pd_import_job_get_info:
 *
 * Returns: (transfer none): the import's record: id, counts, duration, status
 */
const PdImportInfo *
pd_import_job_get_info (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), NULL);
  return self->info;
}

/**
 * pd_import_job_get_row_results:
 *
 * Returns: (transfer none) (element-type PdImportRowResult): the rows not
 *   imported or updated, and those with warnings, in file order
 */
static void
collect_result (PdImportRowResult *result,
                gpointer           data)
{
  GPtrArray *rows = data;
  PdImportRowResult *copy = g_new0 (PdImportRowResult, 1);

  *copy = *result;
  copy->reasons = g_ptr_array_ref (result->reasons);
  copy->source = result->source != NULL ? pd_row_copy (result->source) : NULL;
  g_ptr_array_add (rows, copy);
}

GPtrArray *
pd_import_job_get_row_results (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), NULL);

  /* Loaded into memory on first use, after the run; large imports are
   * better read with pd_import_job_foreach_row_result(). */
  if (!self->rows_loaded && !self->running_now)
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_import_row_result_free);
      g_autoptr(GError) error = NULL;

      if (!pd_import_job_foreach_row_result (self, collect_result, rows, &error))
        g_warning ("Could not read the import's row results back: %s", error->message);
      g_ptr_array_extend_and_steal (self->rows, g_steal_pointer (&rows));
      self->rows_loaded = TRUE;
    }
  return self->rows;
}

/**
 * pd_import_job_get_header_row:
 *
 * Returns: (transfer none) (nullable): the file's header row
 */
const PdRow *
pd_import_job_get_header_row (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), NULL);
  return self->header;
}

guint
pd_import_job_get_rows_done (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), 0);
  return g_atomic_int_get (&self->rows_done);
}

double
pd_import_job_get_fraction (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), 0.0);
  return self->fraction;
}

/* Rows imported or updated with a warning, including those not listed in
 * pd_import_job_get_row_results() beyond the first 10,000. */
guint
pd_import_job_get_n_warning_rows (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), 0);
  return self->n_warning_rows;
}

/**
 * pd_import_job_set_dry_run:
 *
 * Before the run: the import runs completely inside its transaction and
 * is rolled back at the end instead of committed, so the counts, the row
 * results (including rows that fail only against saved personas) and the
 * field changes are exactly the real import's, and nothing is written —
 * no history entry, no stored file, no preset.
 */
void
pd_import_job_set_dry_run (PdImportJob *self,
                           gboolean     dry_run)
{
  g_return_if_fail (PD_IS_IMPORT_JOB (self));
  g_return_if_fail (!self->running);
  self->dry_run = dry_run;
}

gboolean
pd_import_job_get_dry_run (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), FALSE);
  return self->dry_run;
}

/**
 * pd_import_job_get_changes:
 *
 * Returns: (transfer none) (element-type PdImportFieldChange): after a dry
 *   run, the fields it changed on matched personas, in file order, at most
 *   %PD_IMPORT_MAX_CHANGES (see pd_import_job_get_n_changes())
 */
GPtrArray *
pd_import_job_get_changes (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), NULL);
  return self->changes;
}

/* All the field changes of a dry run, including those past the cap. */
guint
pd_import_job_get_n_changes (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), 0);
  return self->n_changes;
}

/* Whether the run used the mapping remembered for the file's header row. */
gboolean
pd_import_job_get_preset_applied (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), FALSE);
  return self->preset_applied;
}
