/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-analysis.h"

G_BEGIN_DECLS

/* A row the analysis failed, in the Analyze step's list of failed rows:
 * its number and reasons, and when opened an editor per column holding the
 * cell as read, with "Check Row Again", which hands the cells to the page
 * (pd_import_analyze_page_correct_cell()) and shows what is still wrong. */

#define PD_TYPE_IMPORT_FAILED_ROW (pd_import_failed_row_get_type ())
G_DECLARE_FINAL_TYPE (PdImportFailedRow, pd_import_failed_row, PD, IMPORT_FAILED_ROW, AdwExpanderRow)

/* @failed: (nullable): spreadsheet row @row of @analysis (held by the
 * row), with its cells; NULL when that analysis is gone. */
GtkWidget *pd_import_failed_row_new     (guint                row,
                                         PdAnalysis          *analysis,
                                         const PdAnalysisRow *failed,
                                         const char          *title,
                                         const char          *subtitle);
/* Failed row @row of @analysis, or NULL; thread-safe, as the analysis
 * does not change once done. */
const PdAnalysisRow *pd_import_failed_row_find (PdAnalysis *analysis,
                                                guint       row);
/* its spreadsheet row number */
guint      pd_import_failed_row_get_row (PdImportFailedRow   *self);

/* (transfer none) (nullable): the editor of @column, once the row is open;
 * the cells the row's reasons name have the "error" style. */
GtkWidget  *pd_import_failed_row_get_cell (PdImportFailedRow *self,
                                           guint              column);

G_END_DECLS
