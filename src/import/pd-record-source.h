/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-mapping.h"
#include "pd-normalizer.h"
#include "pd-reader.h"
#include "pd-record.h"

G_BEGIN_DECLS

/* The front half of the import pipeline as one object: read → skip rows →
 * header → mapping → normalize, yielding PdRecords in file order, batch by
 * batch.  Reading and normalizing run on their own threads (one reader, a
 * small pool of normalizers) so that the caller's thread is free for what
 * comes next: duplicate detection for analyze, matching and the store for
 * import.  Memory stays flat: a few batches are in flight at a time.
 *
 * Everything that refuses the file as a whole (unreadable file, no header
 * row, a mapping that does not validate) fails pd_record_source_new(). */

typedef struct {
  guint               skip_rows;       /* rows above the header, counted in row numbers */
  const char         *sheet;           /* nullable: workbook sheet */
  const char         *encoding;        /* nullable: force a text encoding */
  const char         *default_region;  /* nullable: phones without "+"; "US" */
  const char         *date_format;     /* nullable: for date columns without their own */
  const char         *tag_delimiter;   /* nullable: for tag columns without their own */
  const char * const *map;             /* nullable, NULL-terminated "Header=field" */
  const char * const *ignore;          /* nullable, NULL-terminated headers */
  PdMapping          *mapping;         /* nullable: use this mapping (built from the same
                                        * header row: the app's map page, a preset) */
  guint               n_threads;       /* normalizer threads; 0: from the CPU count */
  GHashTable         *row_overrides;   /* nullable: spreadsheet row number
                                        * (GUINT_TO_POINTER) → PdRow holding that
                                        * row's corrected cells, read instead of
                                        * the file's row, before normalizing */
  gboolean            strict;          /* a value that can't be read fails its row
                                        * instead of being left out with a warning */
  gboolean            no_header;       /* the first row is a customer, not column
                                        * names: columns are unnamed and, without
                                        * @mapping, mapped by what they hold */
} PdSourceOptions;

PdSourceOptions *pd_source_options_copy (const PdSourceOptions *options);
void             pd_source_options_free (PdSourceOptions       *options);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdSourceOptions, pd_source_options_free)

#define PD_TYPE_RECORD_SOURCE (pd_record_source_get_type ())
G_DECLARE_FINAL_TYPE (PdRecordSource, pd_record_source, PD, RECORD_SOURCE, GObject)

PdRecordSource *pd_record_source_new           (GFile                  *file,
                                                const PdSourceOptions  *options,
                                                GCancellable           *cancellable,
                                                GError                **error);
GPtrArray      *pd_record_source_next_batch    (PdRecordSource         *self,
                                                GCancellable           *cancellable,
                                                GError                **error);
void            pd_record_source_recycle_batch (PdRecordSource         *self,
                                                GPtrArray              *records);

PdMapping      *pd_record_source_get_mapping   (PdRecordSource         *self);
PdNormalizer   *pd_record_source_get_normalizer (PdRecordSource        *self);
const PdRow    *pd_record_source_get_header_row (PdRecordSource        *self);
const char     *pd_record_source_get_display_name (PdRecordSource      *self);
GPtrArray      *pd_record_source_get_warnings  (PdRecordSource         *self);
guint64         pd_record_source_get_position  (PdRecordSource         *self);
guint64         pd_record_source_get_size      (PdRecordSource         *self);

G_END_DECLS
