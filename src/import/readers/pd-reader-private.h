/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-reader.h"

G_BEGIN_DECLS

/* Constructors of the format readers, called by pd_reader_open() only.
 * Each lives in its own pd-<format>-reader.c. */
PdReader *_pd_csv_reader_new   (GFile *file, const PdReaderOptions *options,
                                GCancellable *cancellable, GError **error);
PdReader *_pd_xlsx_reader_new  (GFile *file, const PdReaderOptions *options,
                                GCancellable *cancellable, GError **error);
PdReader *_pd_ods_reader_new   (GFile *file, const PdReaderOptions *options,
                                GCancellable *cancellable, GError **error);
PdReader *_pd_xls_reader_new   (GFile *file, const PdReaderOptions *options,
                                GCancellable *cancellable, GError **error);
PdReader *_pd_zip_reader_new   (GFile *file, const PdReaderOptions *options,
                                GCancellable *cancellable, GError **error);
PdReader *_pd_json_reader_new  (GFile *file, const PdReaderOptions *options,
                                GCancellable *cancellable, GError **error);
/* Lends the readers opened on @path an index made already (NULL takes
 * it back); see pd-json-reader.c. */
typedef struct _PdJsonIndex PdJsonIndex;
void      _pd_json_reader_lend_index (const char *path, PdJsonIndex *index);

char    **_pd_xlsx_list_sheets (GFile *file, GCancellable *cancellable, GError **error);
char    **_pd_ods_list_sheets  (GFile *file, GCancellable *cancellable, GError **error);
char    **_pd_xls_list_sheets  (GFile *file, GCancellable *cancellable, GError **error);

/* The formats whose parsing runs in persona-desk-reader (pd-sandboxed-reader.c). */
PdReader *_pd_sandboxed_reader_new   (GFile *file, const char *format,
                                      const PdReaderOptions *options,
                                      GCancellable *cancellable, GError **error);
char    **_pd_sandboxed_list_sheets  (GFile *file, const char *format,
                                      GCancellable *cancellable, GError **error);
/* How long the helper may stay silent before it is killed: 60 s by
 * default (0), plus 1 s per 256 KiB of the file. */
void      _pd_sandboxed_reader_set_timeout (guint milliseconds);

/* The readers themselves, in this process: what persona-desk-reader runs
 * (and bench-read --in-process measures).  Everything else goes through
 * pd_reader_open(). */
PdReader *_pd_reader_open_in_process        (GFile *file, const PdReaderOptions *options,
                                             GCancellable *cancellable, GError **error);
char    **_pd_reader_list_sheets_in_process (GFile *file, GCancellable *cancellable,
                                             GError **error);

G_END_DECLS
