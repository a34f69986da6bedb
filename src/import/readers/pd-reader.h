/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-row.h"

G_BEGIN_DECLS

/* A reader streams the rows of one customer file, whatever its format.
 * One subclass per format (CSV/TXT, XLSX, ODS, XLS, ZIP); pd_reader_open()
 * picks the subclass from the extension and checks the content.  Readers
 * never hold the whole file in memory. */

#define PD_TYPE_READER (pd_reader_get_type ())
G_DECLARE_DERIVABLE_TYPE (PdReader, pd_reader, PD, READER, GObject)

/* The largest file a reader opens.  The history keeps each imported file
 * as one SQLite blob, and SQLite refuses a blob over 1,000,000,000 bytes
 * (SQLITE_MAX_LENGTH): a larger file would be read to its end only to fail
 * when the import is saved, so it is refused before anything is read. */
#define PD_READER_MAX_FILE_SIZE      G_GUINT64_CONSTANT (900000000)

/* Caps for compressed containers (.zip, .xlsx, .ods) against zip bombs,
 * per member: the inflated size, and the ratio of inflated to compressed
 * bytes.  A member is streamed, never held, so its cap may pass the file
 * cap (a big sheet's XML is several times its cells' text). */
#define PD_READER_MAX_INFLATED_SIZE  (G_GUINT64_CONSTANT (2) * 1024 * 1024 * 1024)
#define PD_READER_MAX_RATIO          200

typedef struct {
  const char *sheet;     /* nullable: the sheet to read in a workbook */
  const char *encoding;  /* nullable: force a text encoding instead of detecting it */
  gunichar    delimiter; /* 0: sniff among , ; TAB | */
} PdReaderOptions;

struct _PdReaderClass
{
  GObjectClass parent_class;

  /* Returns the next row, or NULL with no error at the end. */
  PdRow *(*next_row) (PdReader      *self,
                      GCancellable  *cancellable,
                      GError       **error);
};

PdReader         *pd_reader_open               (GFile                  *file,
                                                const PdReaderOptions  *options,
                                                GCancellable           *cancellable,
                                                GError                **error);
gboolean          pd_reader_check_source       (GFile                  *file,
                                                GCancellable           *cancellable,
                                                GError                **error);
char            **pd_reader_list_sheets        (GFile                  *file,
                                                GCancellable           *cancellable,
                                                GError                **error);
PdRow            *pd_reader_next_row           (PdReader               *self,
                                                GCancellable           *cancellable,
                                                GError                **error);
GFile            *pd_reader_get_file           (PdReader               *self);
const char       *pd_reader_get_display_name   (PdReader               *self);
const char       *pd_reader_get_format         (PdReader               *self);
guint64           pd_reader_get_size           (PdReader               *self);
guint64           pd_reader_get_position       (PdReader               *self);
GPtrArray        *pd_reader_get_warnings       (PdReader               *self);
const char * const *pd_reader_get_accepted_extensions (void);

/* For subclasses */
void              pd_reader_add_warning        (PdReader               *self,
                                                const char             *warning);
void              pd_reader_set_position       (PdReader               *self,
                                                guint64                 position);
void              pd_reader_set_size           (PdReader               *self,
                                                guint64                 size);

G_END_DECLS
