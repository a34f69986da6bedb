/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The row results of an import: the rows not imported or updated (and
 * the first rows with warnings), as PdImportJob records them while it
 * runs, streams them back after and keeps them with the import. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "pd-import-results.h"
#include "pd-store-batch.h"

struct _PdImportResults
{
  GPtrArray     *rows;        /* PdImportRowResult: the current batch's while
                               * running, all of them once loaded after */
  gboolean       rows_loaded;
  /* Row results go to a temporary file batch by batch: a million failed
   * rows with their cells would otherwise stay in memory.  The file has
   * no name (removed once opened): the customers' data in it goes with
   * the process, however that ends. */
  GOutputStream *spill_out;
  int            spill_fd;    /* read with pread(), -1 without a file */
  gboolean       spill_dirty; /* written since the last flush: readers after
                               * the run (several threads) leave it alone */
  guint          n_spilled;
  /* where each batch's results go as well, during a real import: in its
   * transaction, so that its report can be written again later */
  PdStore       *store;
  gint64         import_id;
};

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

PdImportResults *
_pd_import_results_new (void)
{
  PdImportResults *self = g_new0 (PdImportResults, 1);

  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_import_row_result_free);
  self->spill_fd = -1;
  return self;
}

void
_pd_import_results_free (PdImportResults *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->spill_out);
  if (self->spill_fd >= 0)
    close (self->spill_fd);
  g_clear_object (&self->store);
  g_free (self);
}

/* A result for @record, whose row as read it takes. */
PdImportRowResult *
_pd_import_results_add (PdImportResults *self,
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

/* Keeps the batch's results with the import in the store, in one call
 * (on PostgreSQL one statement rather than a round trip a row). */
static gboolean
write_to_store (PdImportResults  *self,
                GError          **error)
{
  g_autofree PdImportResultRecord *records = g_new0 (PdImportResultRecord, self->rows->len);
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);

  for (guint r = 0; r < self->rows->len; r++)
    {
      const PdImportRowResult *result = g_ptr_array_index (self->rows, r);
      const char **these = g_new (const char *, result->reasons->len + 1);
      PdImportResultRecord *record = &records[r];

      for (guint i = 0; i < result->reasons->len; i++)
        these[i] = g_ptr_array_index (result->reasons, i);
      these[result->reasons->len] = NULL;
      g_ptr_array_add (reasons, these);
      record->row = result->row;
      record->outcome = pd_import_outcome_to_string (result->outcome);
      record->reasons = these;
      record->persona_id = result->persona_id;
      if (result->source != NULL)
        {
          record->cells = (const char * const *) result->source->cells;
          record->n_cells = result->source->n_cells;
        }
    }
  return pd_store_import_write_results (self->store, self->import_id, records, self->rows->len, error);
}

/**
 * _pd_import_results_write_to:
 * @store: (nullable): the store the import runs in, or NULL to stop
 *
 * From now on, each batch's results also go into @store as the results
 * of import @import_id, as they are spilled: written straight from memory
 * rather than read back from the file after the run.
 */
void
_pd_import_results_write_to (PdImportResults *self,
                             PdStore         *store,
                             gint64           import_id)
{
  g_set_object (&self->store, store);
  self->import_id = import_id;
}

/* A full disk says "No space left on device" without a file: say which
 * folder the results were kept in. */
static gboolean
spill_failed (GError **error)
{
  g_prefix_error (error, _("Cannot keep the import's results in a temporary file in %s: "),
                  g_get_tmp_dir ());
  return FALSE;
}

/* Writes the current batch's results to the file (and the store, see
 * _pd_import_results_write_to()) and forgets them. */
gboolean
_pd_import_results_spill (PdImportResults  *self,
                          GError          **error)
{
  g_autoptr(GByteArray) buf = NULL;

  if (self->rows->len == 0)
    return TRUE;
  if (self->store != NULL && !write_to_store (self, error))
    return FALSE;
  if (self->spill_out == NULL)
    {
      g_autoptr(GFileIOStream) io = NULL;
      g_autoptr(GFile) spill = g_file_new_tmp ("persona-desk-results-XXXXXX", &io, error);

      if (spill == NULL)
        return FALSE;
      /* A descriptor of its own to read with, then no name. */
      self->spill_fd = g_open (g_file_peek_path (spill), O_RDONLY | O_CLOEXEC, 0);
      g_unlink (g_file_peek_path (spill));
      if (self->spill_fd < 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Cannot keep the import's results in a temporary file: %s"),
                       g_strerror (saved_errno));
          return FALSE;
        }
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
            return spill_failed (error);
          g_byte_array_set_size (buf, 0);
        }
    }
  self->spill_dirty = TRUE;
  if (buf->len > 0 && !g_output_stream_write_all (self->spill_out, buf->data, buf->len, NULL, NULL, error))
    return spill_failed (error);
  g_ptr_array_set_size (self->rows, 0);
  return TRUE;
}

void
_pd_import_results_flush (PdImportResults *self)
{
  if (self->spill_out != NULL && self->spill_dirty)
    g_output_stream_flush (self->spill_out, NULL, NULL);
  self->spill_dirty = FALSE;
}

/* Reads the spill file in order with pread(): each reader has its own
 * position on the one descriptor, so two can read at once. */
typedef struct {
  int     fd;
  goffset offset;
  gsize   pos;
  gsize   len;
  guint8  buffer[1 << 16];
} SpillReader;

static gboolean
spill_read (SpillReader  *reader,
            void         *data,
            gsize         size,
            gsize        *got,
            GError      **error)
{
  *got = 0;
  while (*got < size)
    {
      gsize n;

      if (reader->pos == reader->len)
        {
          gssize k;

          do
            k = pread (reader->fd, reader->buffer, sizeof reader->buffer, reader->offset);
          while (k < 0 && errno == EINTR);
          if (k < 0)
            {
              int saved_errno = errno;

              g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           _("Cannot read the import's results back: %s"), g_strerror (saved_errno));
              return FALSE;
            }
          if (k == 0)
            return TRUE;
          reader->offset += k;
          reader->pos = 0;
          reader->len = k;
        }
      n = MIN (size - *got, reader->len - reader->pos);
      memcpy ((guint8 *) data + *got, reader->buffer + reader->pos, n);
      reader->pos += n;
      *got += n;
    }
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

/* See pd_import_job_foreach_row_result(). */
gboolean
_pd_import_results_foreach (PdImportResults       *self,
                            PdImportRowResultFunc  func,
                            gpointer               user_data,
                            GError               **error)
{
  g_autofree SpillReader *in = NULL;
  g_autofree char *buffer = NULL;
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (guint));
  gsize capacity = 0;

  if (self->rows_loaded)
    {
      for (guint i = 0; i < self->rows->len; i++)
        func (g_ptr_array_index (self->rows, i), user_data);
      return TRUE;
    }
  if (self->spill_fd < 0)
    return TRUE;
  if (self->spill_dirty)
    {
      if (!g_output_stream_flush (self->spill_out, NULL, error))
        return FALSE;
      self->spill_dirty = FALSE;
    }
  in = g_new0 (SpillReader, 1);
  in->fd = self->spill_fd;
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

      if (!spill_read (in, &size, sizeof size, &got, error))
        return FALSE;
      if (got != sizeof size || size < SPILL_HEADER)
        break;
      if (size > capacity)
        {
          capacity = size;
          buffer = g_realloc (buffer, capacity);
        }
      if (!spill_read (in, buffer, size, &got, error))
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

/* The results in memory; with @load, first those spilled, read back once
 * (not while the run still writes them). */
GPtrArray *
_pd_import_results_get_rows (PdImportResults *self,
                             gboolean         load)
{
  if (!self->rows_loaded && load)
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_import_row_result_free);
      g_autoptr(GError) error = NULL;

      if (!_pd_import_results_foreach (self, collect_result, rows, &error))
        g_warning ("Could not read the import's row results back: %s", error->message);
      g_ptr_array_extend_and_steal (self->rows, g_steal_pointer (&rows));
      self->rows_loaded = TRUE;
    }
  return self->rows;
}

/* The end of a real import's results: the last batch's and the file's
 * header row go into the store; nothing more is written there. */
gboolean
_pd_import_results_keep (PdImportResults  *self,
                         const PdRow      *header,
                         GError          **error)
{
  PdImportResultRecord header_record = { 0 };
  g_autoptr(PdStore) store = NULL;

  g_return_val_if_fail (self->store != NULL, FALSE);

  if (!_pd_import_results_spill (self, error))
    return FALSE;
  store = g_steal_pointer (&self->store);
  if (header != NULL)
    {
      header_record.cells = (const char * const *) header->cells;
      header_record.n_cells = header->n_cells;
    }
  return pd_store_import_write_result (store, self->import_id, &header_record, error);
}
