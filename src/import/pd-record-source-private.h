/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-record-source.h"

G_BEGIN_DECLS

/* Shared by pd-record-source.c (the set-up: reader, header, mapping, the
 * first rows) and pd-record-source-threads.c (the threads, their queues
 * and the batches they hand out) only. */

struct _PdRecordSource
{
  GObject        parent_instance;

  PdReader      *reader;
  PdMapping     *mapping;
  PdNormalizer  *normalizer;
  PdRow         *header;
  GCancellable  *cancellable;
  GPtrArray     *warnings;
  GPtrArray     *prefetched;     /* PdRow*, handed to the reader thread */
  GError        *prefetch_error; /* a read error among the prefetched rows */
  gboolean       prefetch_ended; /* the stream ended while prefetching */
  guint64        size;
  guint64        position;

  GThread       *reader_thread;
  GPtrArray     *workers;        /* GThread* */
  GAsyncQueue   *work_queue;     /* Batch* (borrowed), or the stop marker */
  GAsyncQueue   *order_queue;    /* Batch* (owned) */
  GAsyncQueue   *spare_queue;    /* GPtrArray* of PdRecord*, handed back by the consumer */
  GAsyncQueue   *dead_queue;     /* GPtrArray* of PdRow*, done with, for the reader to free */
  GMutex         mutex;
  GCond          cond;
  guint          in_flight;
  gint           stopping;       /* atomic */
  gboolean       started;
  gboolean       finished;
  GHashTable    *overrides;      /* nullable: row number → corrected PdRow */
};

/* pd-record-source-threads.c */
PdRow   *_pd_record_source_override_row     (PdRecordSource *self,
                                             PdRow          *row);
gpointer _pd_record_source_read_thread      (gpointer        data);
gpointer _pd_record_source_normalize_thread (gpointer        data);
void     _pd_record_source_stop_threads     (PdRecordSource *self);
void     _pd_record_source_drain_spares     (PdRecordSource *self);

G_END_DECLS
