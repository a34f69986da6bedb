/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-import-job.h"

G_BEGIN_DECLS

/* One import in the history: name, file, when, who, duration, valid and
 * error records, status (live from the job while it runs), and a menu of
 * what can be done with it (the history's actions, with the import id). */

#define PD_TYPE_IMPORT_HISTORY_ROW (pd_import_history_row_get_type ())
G_DECLARE_FINAL_TYPE (PdImportHistoryRow, pd_import_history_row, PD, IMPORT_HISTORY_ROW, GtkListBoxRow)

PdImportHistoryRow *pd_import_history_row_new         (const PdImportInfo *info,
                                                       PdImportJob        *running_job,
                                                       gboolean            has_report);
gint64              pd_import_history_row_get_id      (PdImportHistoryRow *self);
const char         *pd_import_history_row_get_status_text (PdImportHistoryRow *self);
const char         *pd_import_history_row_get_counts_text (PdImportHistoryRow *self);


G_END_DECLS
