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

char    **_pd_xlsx_list_sheets (GFile *file, GCancellable *cancellable, GError **error);
char    **_pd_ods_list_sheets  (GFile *file, GCancellable *cancellable, GError **error);
char    **_pd_xls_list_sheets  (GFile *file, GCancellable *cancellable, GError **error);

G_END_DECLS
