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

#include "pd-analysis-private.h"
#include "pd-analyzer.h"
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

/* ---- the seen set: 64-bit hash → first row, open addressing ---- */

/* Key and row side by side, 12 bytes: a probe costs one cache miss, not
 * one in a key array and another in a row array. */
typedef struct {
  guint32 lo, hi;   /* the key; 0 = empty slot */
  guint32 row;
} Slot;

typedef struct {
  Slot  *slots;
  gsize  mask;
  gsize  n;
} SeenSet;

/* Filled to at most 7/10. */
#define FITS(n, size) ((n) * 10 <= (size) * 7)

static inline guint64
slot_key (const Slot *slot)
{
  return (guint64) slot->hi << 32 | slot->lo;
}

static void
seen_set_init (SeenSet *set)
{
  set->mask = 4096 - 1;
  set->slots = g_new0 (Slot, set->mask + 1);
  set->n = 0;
}

static void
seen_set_clear (SeenSet *set)
{
  g_clear_pointer (&set->slots, g_free);
}

static void
seen_set_resize (SeenSet *set,
                 gsize    size)
{
  Slot *old = set->slots;
  gsize old_size = set->mask + 1;

  set->mask = size - 1;
  set->slots = g_new0 (Slot, size);
  for (gsize i = 0; i < old_size; i++)
    if (slot_key (&old[i]) != 0)
      {
        gsize slot = slot_key (&old[i]) & set->mask;

        while (slot_key (&set->slots[slot]) != 0)
          slot = (slot + 1) & set->mask;
        set->slots[slot] = old[i];
      }
  g_free (old);
}

/* Makes room for @n values at once, rather than doubling its way there
 * and rehashing everything each time. */
static void
seen_set_reserve (SeenSet *set,
                  gsize    n)
{
  gsize size = set->mask + 1;

  while (!FITS (n, size))
    size *= 2;
  if (size > set->mask + 1)
    seen_set_resize (set, size);
}

static inline void
seen_set_prefetch (const SeenSet *set,
                   guint64        key)
{
  __builtin_prefetch (&set->slots[key & set->mask]);
}

/* Returns: the row that holds @key already, or 0 after adding it for @row */
static guint
seen_set_check (SeenSet *set,
                guint64  key,
                guint    row)
{
  gsize slot;

  if (!FITS (set->n + 1, set->mask + 1))
    seen_set_resize (set, (set->mask + 1) * 2);

  for (slot = key & set->mask; slot_key (&set->slots[slot]) != 0; slot = (slot + 1) & set->mask)
    if (slot_key (&set->slots[slot]) == key)
      return set->slots[slot].row;

  set->slots[slot].lo = (guint32) key;
  set->slots[slot].hi = (guint32) (key >> 32);
  set->slots[slot].row = row;
  set->n++;
  return 0;
}

static inline guint64
mix64 (guint64 x)
{
  x ^= x >> 30;
  x *= G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x ^= x >> 27;
  x *= G_GUINT64_CONSTANT (0x94d049bb133111eb);
  x ^= x >> 31;
  return x;
}

/* Eight bytes a step through splitmix64's finalizer, which is a
 * bijection: well spread, and fast enough to be noise next to parsing. */
static guint64
hash_value (const char *s,
            guint64     seed)
{
  gsize len = strlen (s);
  guint64 h = mix64 (seed ^ (len * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)));
  guint64 w;

  while (len >= 8)
    {
      memcpy (&w, s, 8);
      h = mix64 (h ^ w) + G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
      s += 8;
      len -= 8;
    }
  w = 0;
  memcpy (&w, s, len);
  h = mix64 (h ^ w ^ ((guint64) len << 56));

  return h != 0 ? h : 1;
}

/* ---- one run ---- */

typedef struct {
  guint  count;
  guint  first_row;
  char  *first_value;
} ChoiceProblem;

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

/* Rows that had an email, a bit each: a phone first seen on such a row
 * and met again beside other emails is another customer's too. */
typedef struct {
  GByteArray *bits;
} EmailRows;

static gboolean
email_rows_has (const EmailRows *rows,
                guint            row)
{
  return row / 8 < rows->bits->len && (rows->bits->data[row / 8] & (1u << (row % 8))) != 0;
}

static void
email_rows_add (EmailRows *rows,
                guint      row)
{
  if (row / 8 >= rows->bits->len)
    {
      guint old = rows->bits->len;

      g_byte_array_set_size (rows->bits, MAX (row / 8 + 1, old * 2));
      memset (rows->bits->data + old, 0, rows->bits->len - old);
    }
  rows->bits->data[row / 8] |= 1u << (row % 8);
}

#define MAX_EMAIL_ROWS 16

typedef struct {
  guint first_dup_row, first_dup_of;
  guint first_shared_row, first_shared_of;
} FirstSeen;

/* @hashes: the record's email hashes then phone hashes, see hash_values() */
static void
check_duplicates (PdAnalysis    *analysis,
                  SeenSet       *seen,
                  EmailRows     *email_rows,
                  PdRecord      *record,
                  const guint64 *hashes,
                  guint          n_hashes,
                  FirstSeen     *first)
{
  guint earliest = 0;
  const char *what = NULL;
  const char *value = NULL;
  guint h = 0;
  guint own_rows[MAX_EMAIL_ROWS], n_own = 0;
  gboolean shared = FALSE;

  for (guint kind = 0; kind < 2; kind++)
    {
      GPtrArray *values = kind == 0 ? record->emails : record->phones;

      for (guint i = 0; i < values->len; i++, h++)
        {
          guint row;

          /* Ask the memory for slots a few values ahead: the set is
           * megabytes big, and each probe would otherwise wait for it. */
          if (h + 8 < n_hashes)
            seen_set_prefetch (seen, hashes[h + 8]);
          row = seen_set_check (seen, hashes[h], record->row);
          if (kind == 0 && n_own < MAX_EMAIL_ROWS)
            own_rows[n_own++] = row;
          if (row == 0 || row == record->row)
            continue;
          /* a phone of an earlier row with another email, none of this
           * row's: another customer sharing it (the import keeps them
           * apart, see PdImportOptions.merge_shared_phones) */
          if (kind == 1 && record->emails->len > 0 && record->emails->len <= MAX_EMAIL_ROWS &&
              email_rows_has (email_rows, row))
            {
              gboolean same = FALSE;

              for (guint e = 0; e < n_own && !same; e++)
                same = own_rows[e] == row;
              if (!same)
                {
                  pd_record_add_warningf (record, _("Row %u: phone %s is also row %u's, another "
                                                    "customer with another email; the import keeps "
                                                    "them apart, this row without the phone "
                                                    "(--on-conflict merge to combine them)"),
                                          record->row, (const char *) g_ptr_array_index (values, i), row);
                  if (!shared)
                    _pd_analysis_count_shared_phone (analysis);
                  shared = TRUE;
                  if (first->first_shared_row == 0)
                    {
                      first->first_shared_row = record->row;
                      first->first_shared_of = row;
                    }
                  continue;
                }
            }
          if (earliest == 0 || row < earliest)
            {
              earliest = row;
              value = g_ptr_array_index (values, i);
              what = kind == 0 ? _("email") : _("phone");
            }
        }
    }
  if (record->emails->len > 0)
    email_rows_add (email_rows, record->row);

  if (earliest == 0)
    return;

  /* TRANSLATORS: "Row 12: duplicate of row 3 (same email “a@b.c”); ..." */
  pd_record_add_warningf (record, _("Row %u: duplicate of row %u (same %s “%s”); "
                                    "the import combines them"),
                          record->row, earliest, what, value);
  _pd_analysis_count_duplicate (analysis);
  if (first->first_dup_row == 0)
    {
      first->first_dup_row = record->row;
      first->first_dup_of = earliest;
    }
}

/* The hashes of the valid records' emails and phones, in the order
 * check_duplicates() looks them up. */
static void
hash_values (GPtrArray *batch,
             GArray    *hashes)
{
  g_array_set_size (hashes, 0);
  for (guint i = 0; i < batch->len; i++)
    {
      PdRecord *record = g_ptr_array_index (batch, i);

      /* The records were just written on other cores: ask for them a few
       * ahead, the arrays once the record itself is likely here. */
      if (i + 8 < batch->len)
        __builtin_prefetch (g_ptr_array_index (batch, i + 8));
      if (i + 4 < batch->len)
        {
          PdRecord *ahead = g_ptr_array_index (batch, i + 4);

          __builtin_prefetch (ahead->errors);
          __builtin_prefetch (ahead->emails);
          __builtin_prefetch (ahead->phones);
        }

      if (!pd_record_is_valid (record))
        continue;
      for (guint kind = 0; kind < 2; kind++)
        {
          GPtrArray *values = kind == 0 ? record->emails : record->phones;

          for (guint v = 0; v < values->len; v++)
            {
              guint64 hash = hash_value (g_ptr_array_index (values, v), kind + 1);

              g_array_append_val (hashes, hash);
            }
        }
    }
}

/* Room for the values the whole file will bring, judged from the first
 * batch and how far into the file it reached (position and size are in
 * the reader's unit: only their ratio counts).  Bounded: a first batch
 * that misleads costs at most this much memory up front. */
#define MAX_RESERVED_VALUES (1u << 22)

static void
reserve_for_file (SeenSet        *seen,
                  PdRecordSource *source,
                  guint           n_values)
{
  guint64 position = pd_record_source_get_position (source);
  guint64 size = pd_record_source_get_size (source);
  double expected;

  if (position == 0 || size <= position || n_values == 0)
    return;
  expected = (double) n_values * size / position * 1.05;
  seen_set_reserve (seen, (gsize) MIN (expected, (double) MAX_RESERVED_VALUES));
}

/* A choice cell that gave no value was not one of the choices (the
 * normalizer warned on the row); count them per column for one line in
 * the file's warnings. */
static void
check_choices (PdMapping     *mapping,
               PdRecord      *record,
               ChoiceProblem *problems)
{
  if (record->warnings->len == 0 || record->source == NULL)
    return;

  for (guint c = 0; c < pd_mapping_get_n_columns (mapping); c++)
    {
      const PdFieldInfo *info = pd_field_get_info (pd_mapping_get_field (mapping, c));
      const char *value, *end;

      if (info == NULL || info->type != PD_FIELD_TYPE_CHOICE || record->values[info->id] != NULL)
        continue;
      /* What g_strstrip() keeps, without a copy for every row. */
      value = pd_row_get_cell (record->source, c);
      end = value + strlen (value);
      while (g_ascii_isspace (*value))
        value++;
      while (end > value && g_ascii_isspace (end[-1]))
        end--;
      if (value == end)
        continue;
      if (problems[c].count++ == 0)
        {
          problems[c].first_row = record->row;
          problems[c].first_value = g_strndup (value, end - value);
        }
    }
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
  ChoiceProblem *problems;
  SeenSet seen;
  g_autoptr(GArray) hashes = g_array_new (FALSE, FALSE, sizeof (guint64));
  gboolean first_batch = TRUE;
  FirstSeen first = { 0 };
  EmailRows email_rows = { g_byte_array_new () };
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
  problems = g_new0 (ChoiceProblem, n_columns);
  seen_set_init (&seen);

  while ((batch = pd_record_source_next_batch (source, cancellable, &local_error)) != NULL)
    {
      guint h = 0;
      gint64 now;

      hash_values (batch, hashes);
      if (first_batch)
        reserve_for_file (&seen, source, hashes->len);
      first_batch = FALSE;

      for (guint i = 0; i < batch->len; i++)
        {
          PdRecord *record = g_ptr_array_index (batch, i);

          if (pd_record_is_valid (record))
            {
              guint n = record->emails->len + record->phones->len;

              check_duplicates (analysis, &seen, &email_rows, record, (guint64 *) hashes->data + h,
                                hashes->len - h, &first);
              h += n;
              check_choices (mapping, record, problems);
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
  seen_set_clear (&seen);
  if (local_error == NULL)
    _pd_analysis_check_spool (analysis, &local_error);

  if (local_error == NULL)
    {
      _pd_analysis_set_date_questions (analysis,
                                       pd_normalizer_dup_date_questions (pd_record_source_get_normalizer (source)));
      warnings = pd_record_source_get_warnings (source);
      for (guint i = 0; i < warnings->len; i++)
        _pd_analysis_add_warning (analysis, g_ptr_array_index (warnings, i));

      if (pd_analysis_get_duplicates (analysis) > 0)
        {
          guint n = pd_analysis_get_duplicates (analysis);
          g_autofree char *text =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u row repeats the email or phone of an earlier row "
                                          "(row %u repeats row %u); the import combines such rows",
                                          "%u rows repeat the email or phone of an earlier row "
                                          "(the first: row %u repeats row %u); the import combines "
                                          "such rows", n),
                             n, first.first_dup_row, first.first_dup_of);
          _pd_analysis_add_warning (analysis, text);
        }
      if (pd_analysis_get_shared_phones (analysis) > 0)
        {
          guint n = pd_analysis_get_shared_phones (analysis);
          g_autofree char *text =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u row shares a phone with another customer, who has "
                                          "another email (row %u shares row %u's); the import "
                                          "keeps them apart (--on-conflict merge to combine)",
                                          "%u rows share a phone with another customer, who has "
                                          "another email (the first: row %u shares row %u's); the "
                                          "import keeps them apart (--on-conflict merge to combine)",
                                          n),
                             n, first.first_shared_row, first.first_shared_of);
          _pd_analysis_add_warning (analysis, text);
        }

      for (guint c = 0; c < n_columns; c++)
        if (problems[c].count > 0)
          {
            const PdFieldInfo *info = pd_field_get_info (pd_mapping_get_field (mapping, c));
            g_autofree char *name = pd_mapping_dup_column_name (mapping, c);
            g_autofree char *choices = g_strjoinv (", ", (char **) info->choices);
            g_autofree char *text =
              g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Column “%s”: %u value is not one of %s "
                                            "(row %u: “%s”); it is left out",
                                            "Column “%s”: %u values are not one of %s "
                                            "(the first: row %u, “%s”); they are left out",
                                            problems[c].count),
                               name, problems[c].count, choices, problems[c].first_row,
                               problems[c].first_value);
            _pd_analysis_add_warning (analysis, text);
          }
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
