/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-mapping.h"
#include "pd-row.h"

G_BEGIN_DECLS

/* The first look at a file the assistant takes, off the main thread: its
 * size, the header row below the skipped rows, a few sample rows, the
 * auto-mapping and an estimate of the number of rows.  With @no_header the
 * first row is a customer, the header a row of unnamed columns and the
 * mapping made from the first rows' content, as PdRecordSource makes it.  A workbook with
 * several sheets fails with PD_ERROR_SHEET_CHOICE and the sheet names in
 * @sheets, for the user to pick one.  GTK-free. */

#define PD_IMPORT_PREVIEW_SAMPLES 3

typedef struct {
  GFile      *file;
  char       *display_name;
  char       *sheet;          /* nullable */
  guint       skip_rows;
  gboolean    no_header;      /* the first row is a customer: mapped by content */
  guint64     size;
  PdRow      *header;
  GPtrArray  *samples;        /* PdRow */
  PdMapping  *mapping;        /* auto-mapped from the header */
  GError     *mapping_error;  /* nullable: pd_mapping_validate()'s complaint */
  guint64     estimated_rows;
  gboolean    exact;          /* the whole file was counted */
} PdImportPreview;

void             pd_import_preview_free        (PdImportPreview *preview);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdImportPreview, pd_import_preview_free)

PdImportPreview *pd_import_preview_load        (GFile            *file,
                                                const char       *sheet,
                                                guint             skip_rows,
                                                gboolean          no_header,
                                                guint64           max_size,
                                                char           ***sheets,
                                                GCancellable     *cancellable,
                                                GError          **error);
void             pd_import_preview_load_async  (GFile            *file,
                                                const char       *sheet,
                                                guint             skip_rows,
                                                gboolean          no_header,
                                                guint64           max_size,
                                                GCancellable     *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer          user_data);
/* @sheets: (out) (optional) (transfer full): on PD_ERROR_SHEET_CHOICE */
PdImportPreview *pd_import_preview_load_finish (GAsyncResult     *result,
                                                char           ***sheets,
                                                GError          **error);

G_END_DECLS
