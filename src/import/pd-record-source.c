/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdRecordSource: opens the file, finds the header row, builds the
 * mapping and the normalizer and reads the first rows, then starts the
 * threads; its getters.  The threads and the batches they hand out:
 * pd-record-source-threads.c. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-error.h"
#include "pd-record-source-private.h"
#include "pd-row-builder.h"

/* Rows read before normalizing starts, to decide date orders. */
#define PREFETCH_ROWS  4096
#define MAX_THREADS    4

G_DEFINE_FINAL_TYPE (PdRecordSource, pd_record_source, G_TYPE_OBJECT)

static void
pd_record_source_dispose (GObject *object)
{
  PdRecordSource *self = PD_RECORD_SOURCE (object);

  _pd_record_source_stop_threads (self);

  G_OBJECT_CLASS (pd_record_source_parent_class)->dispose (object);
}

static void
pd_record_source_finalize (GObject *object)
{
  PdRecordSource *self = PD_RECORD_SOURCE (object);

  g_clear_object (&self->reader);
  g_clear_object (&self->mapping);
  g_clear_object (&self->normalizer);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->overrides, g_hash_table_unref);
  g_clear_pointer (&self->header, pd_row_free);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  g_clear_pointer (&self->prefetched, g_ptr_array_unref);
  g_clear_error (&self->prefetch_error);
  g_clear_pointer (&self->workers, g_ptr_array_unref);
  g_clear_pointer (&self->work_queue, g_async_queue_unref);
  g_clear_pointer (&self->order_queue, g_async_queue_unref);
  if (self->spare_queue != NULL)
    _pd_record_source_drain_spares (self);
  g_clear_pointer (&self->spare_queue, g_async_queue_unref);
  g_clear_pointer (&self->dead_queue, g_async_queue_unref);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (pd_record_source_parent_class)->finalize (object);
}

static void
pd_record_source_class_init (PdRecordSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_record_source_dispose;
  object_class->finalize = pd_record_source_finalize;
}

static void
pd_record_source_init (PdRecordSource *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  self->prefetched = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_row_free);
  self->workers = g_ptr_array_new ();
  self->work_queue = g_async_queue_new ();
  self->order_queue = g_async_queue_new ();
  self->spare_queue = g_async_queue_new ();
  self->dead_queue = g_async_queue_new ();
}

static char *
list_headers (PdMapping *mapping)
{
  GString *list = g_string_new (NULL);

  for (guint i = 0; i < pd_mapping_get_n_columns (mapping); i++)
    {
      g_autofree char *name = pd_mapping_dup_column_name (mapping, i);

      g_string_append_printf (list, "%s“%s”", i > 0 ? ", " : "", name);
    }
  return g_string_free (list, FALSE);
}

static int
find_column_or_error (PdMapping   *mapping,
                      const char  *header,
                      GError     **error)
{
  int column = pd_mapping_find_column (mapping, header);

  if (column < 0)
    {
      g_autofree char *headers = list_headers (mapping);

      g_set_error (error, PD_ERROR, PD_ERROR_MAPPING,
                   _("There is no column “%s”; the columns are %s"), header, headers);
    }
  return column;
}

static gboolean
same_headers (PdMapping   *mapping,
              const PdRow *header)
{
  if (pd_mapping_get_n_columns (mapping) != header->n_cells)
    return FALSE;
  for (guint i = 0; i < header->n_cells; i++)
    {
      g_autofree char *a = pd_mapping_fold_header (pd_mapping_get_header (mapping, i));
      g_autofree char *b = pd_mapping_fold_header (header->cells[i]);

      if (!g_str_equal (a, b))
        return FALSE;
    }
  return TRUE;
}

static PdMapping *
build_mapping (const PdRow            *header,
               const PdSourceOptions  *options,
               GPtrArray              *first_rows,
               GError                **error)
{
  g_autoptr(PdMapping) mapping = NULL;
  GError *local = NULL;

  if (options->mapping != NULL)
    {
      if (!same_headers (options->mapping, header))
        {
          g_set_error_literal (error, PD_ERROR, PD_ERROR_MAPPING,
                               _("The column mapping was made for a file with other columns"));
          return NULL;
        }
      mapping = pd_mapping_copy (options->mapping);
    }
  else if (options->no_header)
    mapping = pd_mapping_new_from_content ((PdRow * const *) first_rows->pdata,
                                           MIN (first_rows->len, PD_MAPPING_CONTENT_ROWS));
  else
    mapping = pd_mapping_new_from_row (header);

  for (guint i = 0; options->map != NULL && options->map[i] != NULL; i++)
    {
      const char *eq = strrchr (options->map[i], '=');
      g_autofree char *name = NULL;
      int column;

      if (eq == NULL)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_MAPPING,
                       _("“%s” is not of the form Header=field"), options->map[i]);
          return NULL;
        }
      name = g_strndup (options->map[i], eq - options->map[i]);
      if ((column = find_column_or_error (mapping, name, error)) < 0 ||
          !pd_mapping_set_field (mapping, column, *(eq + 1) ? eq + 1 : NULL, error))
        return NULL;
    }

  for (guint i = 0; options->ignore != NULL && options->ignore[i] != NULL; i++)
    {
      int column = find_column_or_error (mapping, options->ignore[i], error);

      if (column < 0)
        return NULL;
      pd_mapping_set_ignored (mapping, column, TRUE);
    }

  for (guint i = 0; i < pd_mapping_get_n_columns (mapping); i++)
    {
      const PdFieldInfo *info = pd_field_get_info (pd_mapping_get_field (mapping, i));

      if (info == NULL)
        continue;
      if (info->type == PD_FIELD_TYPE_DATE && options->date_format != NULL &&
          pd_mapping_get_date_format (mapping, i) == NULL)
        pd_mapping_set_date_format (mapping, i, options->date_format);
      if (info->type == PD_FIELD_TYPE_TAGS && options->tag_delimiter != NULL &&
          pd_mapping_get_tag_delimiter (mapping, i) == NULL)
        pd_mapping_set_tag_delimiter (mapping, i, options->tag_delimiter);
    }

  if (!pd_mapping_validate (mapping, &local))
    {
      /* a mapping given whole or in part is the user's, not a guess from
       * a first row that may be data */
      if (options->mapping == NULL && options->map == NULL && !options->no_header)
        pd_mapping_explain_refusal (header, &local);
      g_propagate_error (error, local);
      return NULL;
    }

  return g_steal_pointer (&mapping);
}

/* The first non-blank row below the skipped ones.  Skipped rows are
 * counted by the row numbers the reader gives, so that "skip 2" means
 * spreadsheet rows 1 and 2 whatever they hold. */
static PdRow *
read_header (PdRecordSource  *self,
             guint            skip_rows,
             GError         **error)
{
  for (;;)
    {
      g_autoptr(PdRow) row = pd_reader_next_row (self->reader, self->cancellable, error);

      if (row == NULL)
        {
          if (error == NULL || *error == NULL)
            g_set_error_literal (error, PD_ERROR, PD_ERROR_EMPTY,
                                 skip_rows > 0
                                 ? _("No header row below the skipped rows: the file has no data")
                                 : _("No header row: the file is empty"));
          return NULL;
        }
      if (row->number > skip_rows && !pd_row_is_blank (row))
        {
          /* The readers keep the first 16,384 cells of a row and flag it:
           * a header cut there would drop its columns past the cap
           * unseen, and no customer file has that many. */
          if (row->n_cells >= PD_ROW_BUILDER_MAX_COLUMNS && row->error != NULL)
            {
              g_set_error (error, PD_ERROR, PD_ERROR_TOO_LARGE,
                           _("%s: the header row (row %u) has more than %u columns, "
                             "more than a spreadsheet holds. Remove the empty or unneeded "
                             "columns and import it again."),
                           pd_reader_get_display_name (self->reader), row->number,
                           (guint) PD_ROW_BUILDER_MAX_COLUMNS);
              return NULL;
            }
          return g_steal_pointer (&row);
        }
    }
}

/* A file without a row of column names (PdSourceOptions.no_header): the
 * row read as the header is the first customer.  It goes first among the
 * prefetched rows, the rows that the content mapping looks at are read
 * ahead, and the header becomes a row of empty names as wide as the widest
 * of them, numbered just above the first customer, so that everything
 * that names columns by letter and counts rows below the header works
 * unchanged. */
static gboolean
prefetch (PdRecordSource  *self,
          GError         **error);

static gboolean
take_first_row (PdRecordSource  *self,
                GError         **error)
{
  g_autoptr(GPtrArray) empty = g_ptr_array_new ();
  PdRow *first = _pd_record_source_override_row (self, g_steal_pointer (&self->header));
  guint number = first->number;
  guint width = 0;

  g_ptr_array_add (self->prefetched, first);
  if (!prefetch (self, error))
    return FALSE;
  for (guint i = 0; i < MIN (self->prefetched->len, PD_MAPPING_CONTENT_ROWS); i++)
    width = MAX (width, ((PdRow *) g_ptr_array_index (self->prefetched, i))->n_cells);
  for (guint i = 0; i < width; i++)
    g_ptr_array_add (empty, "");
  self->header = pd_row_new (number - 1, (const char * const *) empty->pdata, width);
  return TRUE;
}

/* Reads the first rows, which decide the date orders.  A read error among
 * them is kept for its place in the stream, after the rows before it,
 * like any later one; only cancelling fails the whole source. */
static gboolean
prefetch (PdRecordSource  *self,
          GError         **error)
{
  while (self->prefetched->len < PREFETCH_ROWS)
    {
      GError *local_error = NULL;
      PdRow *row = pd_reader_next_row (self->reader, self->cancellable, &local_error);

      if (row == NULL)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, local_error);
              return FALSE;
            }
          self->prefetch_error = local_error;
          self->prefetch_ended = TRUE;
          return TRUE;
        }
      row = _pd_record_source_override_row (self, row);
      if (pd_row_is_blank (row) && row->error == NULL)
        pd_row_free (row);
      else
        g_ptr_array_add (self->prefetched, row);
    }
  return TRUE;
}

/* The first rows left a date column's day/month order open: the rest of
 * the column settles it, read once more by a reader of its own before the
 * rows are normalized.  Only such files pay for it. */
static gboolean
scan_dates (PdRecordSource         *self,
            GFile                  *file,
            const PdReaderOptions  *reader_options,
            GError                **error)
{
  g_autoptr(PdReader) reader = pd_reader_open (file, reader_options, self->cancellable, error);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_row_free);
  guint last_seen = self->prefetched->len > 0
                    ? ((PdRow *) g_ptr_array_index (self->prefetched, self->prefetched->len - 1))->number
                    : self->header->number;

  if (reader == NULL)
    return FALSE;
  for (;;)
    {
      GError *local = NULL;
      PdRow *row = pd_reader_next_row (reader, self->cancellable, &local);

      if (row == NULL || batch->len == 1024)
        {
          pd_normalizer_add_date_evidence (self->normalizer, (PdRow * const *) batch->pdata, batch->len);
          g_ptr_array_set_size (batch, 0);
        }
      if (row == NULL)
        {
          /* a read error is the normal pass's to report, at its row */
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, local);
              return FALSE;
            }
          g_clear_error (&local);
          return TRUE;
        }
      /* the header and the rows above it, and the rows already seen */
      if (row->number <= last_seen)
        {
          pd_row_free (row);
          continue;
        }
      g_ptr_array_add (batch, _pd_record_source_override_row (self, row));
    }
}

static guint
default_threads (void)
{
  /* One normalizer a core: the reader thread costs a tenth of what a
   * normalizer does per row (CSV: about 0.3 µs), so leaving it a core of
   * its own would leave that core mostly idle. */
  return CLAMP (g_get_num_processors (), 1, MAX_THREADS);
}

/**
 * pd_source_options_copy:
 *
 * Returns: (transfer full): a deep copy, for a job that outlives the
 *   caller's strings
 */
PdSourceOptions *
pd_source_options_copy (const PdSourceOptions *options)
{
  PdSourceOptions *copy = g_new0 (PdSourceOptions, 1);

  if (options == NULL)
    return copy;

  *copy = *options;
  copy->sheet = g_strdup (options->sheet);
  copy->encoding = g_strdup (options->encoding);
  copy->default_region = g_strdup (options->default_region);
  copy->date_format = g_strdup (options->date_format);
  copy->tag_delimiter = g_strdup (options->tag_delimiter);
  copy->map = (const char * const *) g_strdupv ((char **) options->map);
  copy->ignore = (const char * const *) g_strdupv ((char **) options->ignore);
  copy->mapping = options->mapping ? pd_mapping_copy (options->mapping) : NULL;
  /* the corrected rows are not changed once a run has them */
  copy->row_overrides = options->row_overrides ? g_hash_table_ref (options->row_overrides) : NULL;

  return copy;
}

void
pd_source_options_free (PdSourceOptions *options)
{
  if (options == NULL)
    return;

  g_free ((char *) options->sheet);
  g_free ((char *) options->encoding);
  g_free ((char *) options->default_region);
  g_free ((char *) options->date_format);
  g_free ((char *) options->tag_delimiter);
  g_strfreev ((char **) options->map);
  g_strfreev ((char **) options->ignore);
  g_clear_object (&options->mapping);
  g_clear_pointer (&options->row_overrides, g_hash_table_unref);
  g_free (options);
}

/**
 * pd_record_source_new:
 * @file: the customer file
 * @options: (nullable): skip rows, sheet, mapping overrides, ...
 * @cancellable: (nullable): cancels the whole run, including the threads
 *
 * Opens @file, finds the header row, builds and validates the mapping and
 * reads the first rows to detect date orders, then starts the threads.
 * Errors are prefixed with the file's name.
 *
 * Returns: (transfer full) (nullable): the source, or %NULL with @error set
 */
PdRecordSource *
pd_record_source_new (GFile                  *file,
                      const PdSourceOptions  *options,
                      GCancellable           *cancellable,
                      GError                **error)
{
  static const PdSourceOptions no_options = { 0 };
  g_autoptr(PdRecordSource) self = g_object_new (PD_TYPE_RECORD_SOURCE, NULL);
  PdReaderOptions reader_options = { 0 };
  g_autofree char *name = g_file_get_basename (file);
  GPtrArray *warnings;
  guint n_threads;

  if (options == NULL)
    options = &no_options;

  self->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  self->overrides = options->row_overrides ? g_hash_table_ref (options->row_overrides) : NULL;
  reader_options.sheet = options->sheet;
  reader_options.encoding = options->encoding;

  self->reader = pd_reader_open (file, &reader_options, cancellable, error);
  if (self->reader == NULL)
    return NULL;
  self->size = pd_reader_get_size (self->reader);

  if ((self->header = read_header (self, options->skip_rows, error)) == NULL ||
      (options->no_header && !take_first_row (self, error)) ||
      (self->mapping = build_mapping (self->header, options, self->prefetched, error)) == NULL ||
      (self->normalizer = pd_normalizer_new (self->mapping, options->default_region, error)) == NULL ||
      !prefetch (self, error))
    {
      if (error != NULL && *error != NULL &&
          !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          strstr ((*error)->message, name) == NULL)
        g_prefix_error (error, "%s: ", name);
      return NULL;
    }

  pd_normalizer_set_strict (self->normalizer, options->strict);
  pd_normalizer_add_date_evidence (self->normalizer, (PdRow * const *) self->prefetched->pdata,
                                   self->prefetched->len);
  if (!self->prefetch_ended && pd_normalizer_needs_date_evidence (self->normalizer) &&
      !scan_dates (self, file, &reader_options, error))
    return NULL;
  pd_normalizer_finish_dates (self->normalizer);

  warnings = pd_reader_get_warnings (self->reader);
  for (guint i = 0; i < warnings->len; i++)
    g_ptr_array_add (self->warnings, g_strdup (g_ptr_array_index (warnings, i)));
  warnings = pd_normalizer_get_warnings (self->normalizer);
  for (guint i = 0; i < warnings->len; i++)
    g_ptr_array_add (self->warnings, g_strdup (g_ptr_array_index (warnings, i)));

  n_threads = options->n_threads > 0 ? MIN (options->n_threads, 16) : default_threads ();
  self->started = TRUE;
  for (guint i = 0; i < n_threads; i++)
    g_ptr_array_add (self->workers, g_thread_new ("pd-normalize",
                                                  _pd_record_source_normalize_thread, self));
  self->reader_thread = g_thread_new ("pd-read", _pd_record_source_read_thread, self);

  return g_steal_pointer (&self);
}

/* Returns: (transfer none): the mapping in use (validated; do not change it) */
PdMapping *
pd_record_source_get_mapping (PdRecordSource *self)
{
  g_return_val_if_fail (PD_IS_RECORD_SOURCE (self), NULL);
  return self->mapping;
}

/* Returns: (transfer none): the normalizer, e.g. to re-validate a row the
 * user corrected */
PdNormalizer *
pd_record_source_get_normalizer (PdRecordSource *self)
{
  g_return_val_if_fail (PD_IS_RECORD_SOURCE (self), NULL);
  return self->normalizer;
}

/* Returns: (transfer none): the header row as read, with its row number */
const PdRow *
pd_record_source_get_header_row (PdRecordSource *self)
{
  g_return_val_if_fail (PD_IS_RECORD_SOURCE (self), NULL);
  return self->header;
}

const char *
pd_record_source_get_display_name (PdRecordSource *self)
{
  g_return_val_if_fail (PD_IS_RECORD_SOURCE (self), NULL);
  return pd_reader_get_display_name (self->reader);
}

/**
 * pd_record_source_get_warnings:
 *
 * Returns: (transfer none) (element-type utf8): warnings about the whole
 *   file: the reader's (complete once the stream ended) and ambiguous date
 *   columns.  Read it from the consumer's thread.
 */
GPtrArray *
pd_record_source_get_warnings (PdRecordSource *self)
{
  g_return_val_if_fail (PD_IS_RECORD_SOURCE (self), NULL);
  return self->warnings;
}

/* Position and size of the reader after the last batch returned, in the
 * reader's unit: only their ratio means something (progress). */
guint64
pd_record_source_get_position (PdRecordSource *self)
{
  g_return_val_if_fail (PD_IS_RECORD_SOURCE (self), 0);
  return self->position;
}

guint64
pd_record_source_get_size (PdRecordSource *self)
{
  g_return_val_if_fail (PD_IS_RECORD_SOURCE (self), 0);
  return self->size;
}
