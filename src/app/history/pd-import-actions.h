/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-import-job.h"
#include "pd-store.h"

G_BEGIN_DECLS

/* What the summary page and the history do to a finished import, off the
 * main thread on a connection of their own (an undo of a big import takes
 * a while).  GTK-free. */

void      pd_import_undo_async          (PdStore             *store,
                                         gint64               import_id,
                                         gint                *progress,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean  pd_import_undo_finish         (GAsyncResult        *result,
                                         GError             **error);
/* Undoes the rest of import @import_id: every row but those of personas
 * changed after it, which stay as they are (pd_store_undo_import_keep_edited()).
 * @n_kept (out): how many were kept. */
void      pd_import_undo_rest_async     (PdStore             *store,
                                         gint64               import_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean  pd_import_undo_rest_finish    (GAsyncResult        *result,
                                         guint               *n_kept,
                                         GError             **error);

/* Marks the SMS consent of every persona import @import_id touched as
 * pending (a double opt-in text is to be sent), skipping explicit
 * opt-outs and personas already opted in: pd_store_request_import_sms_opt_in(),
 * atomically, on a worker connection.  It does not block undoing the
 * import (the undo puts the consent back as it was before the import). */
typedef struct {
  guint marked;
  guint opted_out;   /* skipped: explicit SMS opt-out */
  guint already;     /* skipped: already opted in or pending */
  guint no_phone;    /* skipped: no phone to text */
} PdOptInCounts;

void      pd_import_request_sms_opt_in_async  (PdStore             *store,
                                               gint64               import_id,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean  pd_import_request_sms_opt_in_finish (GAsyncResult        *result,
                                               PdOptInCounts       *counts,
                                               GError             **error);

void      pd_import_delete_async        (PdStore             *store,
                                         gint64               import_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean  pd_import_delete_finish       (GAsyncResult        *result,
                                         GError             **error);

void      pd_import_write_report_async  (PdStore             *store,
                                         gint64               import_id,
                                         PdImportJob         *job,
                                         const char          *path,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean  pd_import_write_report_finish (GAsyncResult        *result,
                                         GError             **error);

/* Writes the original file of import @import_id to @file. */
gboolean  pd_import_save_original       (PdStore             *store,
                                         gint64               import_id,
                                         GFile               *file,
                                         GCancellable        *cancellable,
                                         GError             **error);
void      pd_import_save_original_async (PdStore             *store,
                                         gint64               import_id,
                                         GFile               *file,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean  pd_import_save_original_finish (GAsyncResult       *result,
                                          GError            **error);

/* A temporary path for a report to open, e.g. /tmp/persona-desk-report-PID-XXXXXX/NAME.xlsx */
char     *pd_import_dup_temp_report_path (const char         *import_name,
                                          const char         *extension,
                                          GError            **error);
void      pd_import_remove_temp_reports  (void);

G_END_DECLS
