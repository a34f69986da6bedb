/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdRecordSource's threads: read → map → normalize on worker threads,
 * records out in file order.  The set-up: pd-record-source.c.
 *
 * Threads: one reader thread fills batches of rows; each batch goes on two
 * queues, the work queue (any normalizer thread takes it) and the order
 * queue (the consumer takes batches in the order they were read, then
 * waits until that batch is normalized).  So order is kept without
 * sorting, and at most MAX_IN_FLIGHT batches exist at a time: memory does
 * not grow with the file. */
#include "config.h"

#include <string.h>

#include "pd-record-source-private.h"

/* Rows per hand-off: large enough that queue traffic is noise, small
 * enough that the first records come quickly and memory stays small. */
#define BATCH_ROWS     1024
#define MAX_IN_FLIGHT  8

typedef struct {
  GPtrArray *items;     /* PdRow* as read; PdRecord* once normalized */
  guint64    position;  /* reader position after the batch */
  GError    *error;     /* a read error: the last batch */
  gboolean   last;
  gboolean   done;      /* normalized; under the source's mutex */
} Batch;

static int stop_marker;

/* A row the user corrected (the app's Analyze step) is read as corrected:
 * the file's row is replaced before it is normalized, so the dry run and
 * the import both see the correction. */
PdRow *
_pd_record_source_override_row (PdRecordSource *self,
                                PdRow          *row)
{
  const PdRow *corrected;

  if (self->overrides == NULL ||
      (corrected = g_hash_table_lookup (self->overrides, GUINT_TO_POINTER (row->number))) == NULL)
    return row;
  pd_row_free (row);
  row = pd_row_new (corrected->number, (const char * const *) corrected->cells, corrected->n_cells);
  return row;
}

static void
batch_free (Batch *batch)
{
  g_ptr_array_unref (batch->items);
  g_clear_error (&batch->error);
  g_free (batch);
}

static void
mark_done (PdRecordSource *self,
           Batch          *batch)
{
  g_mutex_lock (&self->mutex);
  batch->done = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

/* Records come back from the consumer (pd_record_source_recycle_batch())
 * and are emptied and refilled here: the strings of a record are then
 * mostly freed by the thread that allocated them, and a row costs no
 * record, no arrays.  Malloc and free across threads were half of the
 * time of a big analysis. */
static GPtrArray *
take_records (PdRecordSource *self,
              guint           n)
{
  GPtrArray *records = g_async_queue_try_pop (self->spare_queue);

  if (records == NULL)
    return g_ptr_array_new_full (n, (GDestroyNotify) pd_record_free);
  if (records->len > n)
    g_ptr_array_set_size (records, n);
  return records;
}

gpointer
_pd_record_source_normalize_thread (gpointer data)
{
  PdRecordSource *self = data;
  Batch *batch;

  while ((batch = g_async_queue_pop (self->work_queue)) != (gpointer) &stop_marker)
    {
      GPtrArray *rows = batch->items;
      GPtrArray *records = take_records (self, rows->len);

      for (guint i = 0; i < rows->len; i++)
        {
          PdRow *row = g_ptr_array_index (rows, i);
          PdRecord *record;

          /* The reader wrote the next rows on another core: ask for their
           * cells (one block a row) before getting there. */
          if (i + 2 < rows->len)
            {
              const char *ahead = g_ptr_array_index (rows, i + 2);

              for (guint line = 0; line < 4; line++)
                __builtin_prefetch (ahead + line * 64);
            }

          if (i < records->len)
            {
              record = g_ptr_array_index (records, i);
              /* The row a reused record held goes back to the reader
               * thread, which allocated it, to be freed there. */
              rows->pdata[i] = g_steal_pointer (&record->source);
              pd_record_reset (record, row->number);
            }
          else
            {
              record = pd_record_new (row->number);
              g_ptr_array_add (records, record);
              rows->pdata[i] = NULL;
            }
          pd_normalizer_normalize_into (self->normalizer, row, record);

          /* The row moves into the record: reports want the original. */
          record->source = row;
        }
      batch->items = records;
      mark_done (self, batch);
      g_async_queue_push (self->dead_queue, rows);
    }

  return NULL;
}

static void
dispatch (PdRecordSource *self,
          Batch          *batch)
{
  g_mutex_lock (&self->mutex);
  self->in_flight++;
  g_mutex_unlock (&self->mutex);

  g_async_queue_push (self->order_queue, batch);
  if (batch->items->len > 0)
    g_async_queue_push (self->work_queue, batch);
  else
    mark_done (self, batch);
}

/* In the reader thread: the array of a batch normalized earlier, with the
 * rows the normalizers were done with, freed here where they were
 * allocated. */
static Batch *
batch_new (PdRecordSource *self)
{
  Batch *batch = g_new0 (Batch, 1);

  batch->items = g_async_queue_try_pop (self->dead_queue);
  if (batch->items != NULL)
    g_ptr_array_set_size (batch->items, 0);
  else
    batch->items = g_ptr_array_new_full (BATCH_ROWS, (GDestroyNotify) pd_row_free);
  return batch;
}

gpointer
_pd_record_source_read_thread (gpointer data)
{
  PdRecordSource *self = data;
  g_autoptr(GPtrArray) prefetched = g_steal_pointer (&self->prefetched);
  guint next_prefetched = 0;
  gboolean last = FALSE;

  while (!last)
    {
      Batch *batch;

      /* Back-pressure: wait until the consumer has taken enough batches. */
      g_mutex_lock (&self->mutex);
      while (self->in_flight >= MAX_IN_FLIGHT && !g_atomic_int_get (&self->stopping))
        g_cond_wait (&self->cond, &self->mutex);
      g_mutex_unlock (&self->mutex);

      batch = batch_new (self);
      while (batch->items->len < BATCH_ROWS)
        {
          GError *error = NULL;
          PdRow *row;

          if (next_prefetched < prefetched->len)
            {
              row = g_steal_pointer (&prefetched->pdata[next_prefetched++]);
              g_ptr_array_add (batch->items, row);
              continue;
            }

          if (self->prefetch_ended || g_atomic_int_get (&self->stopping))
            {
              batch->error = g_steal_pointer (&self->prefetch_error);
              last = TRUE;
              break;
            }

          row = pd_reader_next_row (self->reader, self->cancellable, &error);
          if (row == NULL)
            {
              batch->error = error;
              last = TRUE;
              break;
            }
          row = _pd_record_source_override_row (self, row);
          if (pd_row_is_blank (row) && row->error == NULL)
            pd_row_free (row);
          else
            g_ptr_array_add (batch->items, row);
        }
      batch->position = pd_reader_get_position (self->reader);
      batch->last = last;
      dispatch (self, batch);
    }

  for (guint i = 0; i < self->workers->len; i++)
    g_async_queue_push (self->work_queue, &stop_marker);

  return NULL;
}

void
_pd_record_source_drain_spares (PdRecordSource *self)
{
  GPtrArray *array;

  while ((array = g_async_queue_try_pop (self->spare_queue)) != NULL)
    g_ptr_array_unref (array);
  while ((array = g_async_queue_try_pop (self->dead_queue)) != NULL)
    g_ptr_array_unref (array);
}

void
_pd_record_source_stop_threads (PdRecordSource *self)
{
  Batch *batch;

  if (!self->started)
    return;

  g_atomic_int_set (&self->stopping, TRUE);
  g_mutex_lock (&self->mutex);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  g_clear_pointer (&self->reader_thread, g_thread_join);
  for (guint i = 0; i < self->workers->len; i++)
    g_thread_join (g_ptr_array_index (self->workers, i));
  g_ptr_array_set_size (self->workers, 0);

  while ((batch = g_async_queue_try_pop (self->order_queue)) != NULL)
    batch_free (batch);
  _pd_record_source_drain_spares (self);
  self->started = FALSE;
}

/**
 * pd_record_source_next_batch:
 *
 * Blocks until the next batch of records is ready.  Blank rows are left
 * out; every other row of the file gives one record, in file order, with
 * record->source set to the row as read.  A read error mid-file (or
 * cancelling) ends the stream with @error set, after the records before
 * it.
 *
 * Returns: (transfer full) (element-type PdRecord) (nullable): a non-empty
 *   batch, or %NULL at the end or with @error set
 */
GPtrArray *
pd_record_source_next_batch (PdRecordSource  *self,
                             GCancellable    *cancellable,
                             GError         **error)
{
  g_return_val_if_fail (PD_IS_RECORD_SOURCE (self), NULL);

  while (!self->finished)
    {
      Batch *batch;
      GPtrArray *records;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          self->finished = TRUE;
          _pd_record_source_stop_threads (self);
          return NULL;
        }

      batch = g_async_queue_pop (self->order_queue);
      g_mutex_lock (&self->mutex);
      while (!batch->done)
        g_cond_wait (&self->cond, &self->mutex);
      self->in_flight--;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->mutex);

      self->position = batch->position;
      if (batch->last)
        {
          GPtrArray *warnings;

          self->finished = TRUE;
          /* The reader thread is done with the reader: its late warnings
           * (e.g. found while reading) can be collected. */
          g_clear_pointer (&self->reader_thread, g_thread_join);
          warnings = pd_reader_get_warnings (self->reader);
          for (guint i = 0; i < warnings->len; i++)
            if (!g_ptr_array_find_with_equal_func (self->warnings, warnings->pdata[i],
                                                   g_str_equal, NULL))
              g_ptr_array_add (self->warnings, g_strdup (warnings->pdata[i]));
          if (batch->error != NULL)
            {
              const char *name = pd_reader_get_display_name (self->reader);

              if (name != NULL && strstr (batch->error->message, name) == NULL &&
                  !g_error_matches (batch->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                g_prefix_error (&batch->error, "%s: ", name);
              g_propagate_error (error, g_steal_pointer (&batch->error));
              batch_free (batch);
              _pd_record_source_stop_threads (self);
              return NULL;
            }
        }

      if (batch->items->len == 0)
        {
          batch_free (batch);
          continue;
        }

      records = g_steal_pointer (&batch->items);
      batch->items = g_ptr_array_new ();
      batch_free (batch);
      return records;
    }

  return NULL;
}

/**
 * pd_record_source_recycle_batch:
 * @records: (transfer full): a batch from pd_record_source_next_batch()
 *   that the caller is done with, records and all
 *
 * Hands the batch back for reuse instead of freeing it: cheaper, and the
 * memory goes back to the threads that allocated it.  The caller may have
 * stolen record->source or the strings of record->errors; it must not
 * keep pointers into the records.  Unreffing a batch instead is fine too.
 */
void
pd_record_source_recycle_batch (PdRecordSource *self,
                                GPtrArray      *records)
{
  g_return_if_fail (PD_IS_RECORD_SOURCE (self));

  if (records == NULL)
    return;
  /* Only while the threads run, and a few at most: they are what a
   * normalizer takes before allocating a new one. */
  if (self->started && !self->finished &&
      g_async_queue_length (self->spare_queue) < MAX_IN_FLIGHT)
    g_async_queue_push (self->spare_queue, records);
  else
    g_ptr_array_unref (records);
}
