/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-import-job.h"

G_BEGIN_DECLS

/* The "Import" step: runs a PdImportJob on its worker thread with a
 * progress bar (rows done, rate, time left) and Cancel; then the summary
 * with the counts, Open Report, View Audience and Undo Import. */

#define PD_TYPE_IMPORT_PROGRESS_PAGE (pd_import_progress_page_get_type ())
G_DECLARE_FINAL_TYPE (PdImportProgressPage, pd_import_progress_page, PD, IMPORT_PROGRESS_PAGE, AdwBin)

void         pd_import_progress_page_start       (PdImportProgressPage  *self,
                                                  PdStore               *store,
                                                  GFile                 *file,
                                                  const PdSourceOptions *source_options,
                                                  const PdImportOptions *options);
void         pd_import_progress_page_cancel      (PdImportProgressPage  *self);
gboolean     pd_import_progress_page_is_running  (PdImportProgressPage  *self);
/* (transfer none) (nullable) */
PdImportJob *pd_import_progress_page_get_job     (PdImportProgressPage  *self);
gint64       pd_import_progress_page_get_import_id (PdImportProgressPage *self);
/* (nullable): why the import did not complete */
const char  *pd_import_progress_page_get_error   (PdImportProgressPage  *self);
gboolean     pd_import_progress_page_get_succeeded (PdImportProgressPage *self);
/* The summary's Undo Import without the confirmation. */
void         pd_import_progress_page_undo        (PdImportProgressPage  *self);
gboolean     pd_import_progress_page_get_undone  (PdImportProgressPage  *self);
/* The frame of the progress texts, for the screenshot tool. */
void         pd_import_progress_page_show_progress (PdImportProgressPage *self,
                                                  const char            *title,
                                                  guint                  rows_done,
                                                  double                 fraction,
                                                  double                 elapsed_seconds);

G_END_DECLS
