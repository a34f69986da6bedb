/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-analysis.h"
#include "pd-import-job.h"

G_BEGIN_DECLS

/* The rows of the Analyze step's two lists, the failed rows and the field
 * changes of the dry run, built one per frame of the page that owns the
 * queue; and the rows that fail only against the saved personas, read
 * from the dry run's results file in a thread.  The page keeps the
 * headings, counts and "more" labels. */

/* Building a widget per failed row costs: they are shown a page of this
 * many at a time. */
#define PD_IMPORT_MAX_SHOWN_ROWS 100

#define PD_TYPE_IMPORT_ROW_QUEUE (pd_import_row_queue_get_type ())
G_DECLARE_FINAL_TYPE (PdImportRowQueue, pd_import_row_queue, PD, IMPORT_ROW_QUEUE, GObject)

/* @owner: its frames build the rows; it must outlive the queue's use and
 * call pd_import_row_queue_stop() when disposed.  The lists are its own. */
PdImportRowQueue *pd_import_row_queue_new            (GtkWidget        *owner,
                                                      GtkListBox       *failed_list,
                                                      GtkListBox       *changes_list);
/* The failed rows of @analysis in place of every failed row shown. */
void              pd_import_row_queue_show_failed    (PdImportRowQueue *self,
                                                      PdAnalysis       *analysis);
/* Failed rows [@first, @first + PD_IMPORT_MAX_SHOWN_ROWS) of the analysis
 * last shown, in place of those shown. */
void              pd_import_row_queue_show_failed_page (PdImportRowQueue *self,
                                                      guint             first);
/* The rows @job failed that @analysis passed, in place of those of an
 * earlier dry run; "store-failed-read" says how many were found. */
void              pd_import_row_queue_show_store_failed (PdImportRowQueue *self,
                                                      PdImportJob      *job,
                                                      PdAnalysis       *analysis);
/* The field changes of @job; returns how many are shown. */
guint             pd_import_row_queue_show_changes   (PdImportRowQueue *self,
                                                      PdImportJob      *job);
void              pd_import_row_queue_clear_changes  (PdImportRowQueue *self);
/* Builds the rows queued before failed row @row, and it; (transfer none)
 * (nullable): that row, a PdImportFailedRow. */
GtkWidget        *pd_import_row_queue_build_until    (PdImportRowQueue *self,
                                                      guint             row);
/* Stops reading the dry run's results. */
void              pd_import_row_queue_cancel         (PdImportRowQueue *self);
/* Stops building rows and forgets those not built yet. */
void              pd_import_row_queue_stop           (PdImportRowQueue *self);

G_END_DECLS
