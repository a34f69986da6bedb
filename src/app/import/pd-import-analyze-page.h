/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-analysis.h"
#include "pd-import-date-question.h"
#include "pd-import-failed-row.h"
#include "pd-import-job.h"
#include "pd-record-source.h"

G_BEGIN_DECLS

/* The "Analyze" step: the analyzer on a worker thread with a progress bar,
 * then the engine's dry run against the saved personas (the import run and
 * rolled back); the counts, the failed rows with their reasons (exportable
 * as CSV), the field changes on matched personas, and in-place correction
 * of a failed row's cells, re-validated through the normalizer and, on
 * request, by the dry run again.  Writes nothing. */

#define PD_TYPE_IMPORT_ANALYZE_PAGE (pd_import_analyze_page_get_type ())
G_DECLARE_FINAL_TYPE (PdImportAnalyzePage, pd_import_analyze_page, PD, IMPORT_ANALYZE_PAGE, AdwBin)

void        pd_import_analyze_page_run            (PdImportAnalyzePage   *self,
                                                   GFile                 *file,
                                                   const PdSourceOptions *options);
/* The analysis, then the engine's dry run against @store (see
 * pd_import_job_set_dry_run()): new, updated, ignored and failed counts,
 * rows failing only against saved personas, field changes. */
void        pd_import_analyze_page_run_full       (PdImportAnalyzePage   *self,
                                                   GFile                 *file,
                                                   const PdSourceOptions *options,
                                                   PdStore               *store,
                                                   const PdImportOptions *import_options);
/* The dry run again, with the corrected rows in place of the file's. */
void        pd_import_analyze_page_recheck        (PdImportAnalyzePage   *self);
/* (transfer full): row number → corrected PdRow, a snapshot */
GHashTable *pd_import_analyze_page_dup_overrides  (PdImportAnalyzePage   *self);
/* (transfer none) (nullable): the finished dry run */
PdImportJob *pd_import_analyze_page_get_dry_run   (PdImportAnalyzePage   *self);
/* Corrections are kept across runs on the same rows; a new file forgets
 * them. */
void        pd_import_analyze_page_forget_corrections (PdImportAnalyzePage *self);
void        pd_import_analyze_page_cancel         (PdImportAnalyzePage   *self);
gboolean    pd_import_analyze_page_is_running     (PdImportAnalyzePage   *self);
/* (transfer none) (nullable) */
PdAnalysis *pd_import_analyze_page_get_analysis   (PdImportAnalyzePage   *self);
const char *pd_import_analyze_page_get_error      (PdImportAnalyzePage   *self);
/* Corrects a cell of failed row @row (its spreadsheet number) and checks
 * the row again; returns whether it is valid now.  @reasons: (out)
 * (optional) (transfer full): what is still wrong. */
gboolean    pd_import_analyze_page_correct_cell   (PdImportAnalyzePage   *self,
                                                   guint                  row,
                                                   guint                  column,
                                                   const char            *text,
                                                   char                ***reasons);
/* (transfer none): row number → corrected PdRow */
GHashTable *pd_import_analyze_page_get_corrections (PdImportAnalyzePage  *self);
/* (transfer none) (nullable): failed row @row, if on the page shown */
PdImportFailedRow *pd_import_analyze_page_get_failed_row (PdImportAnalyzePage *self,
                                                          guint                row);
/* Opens failed row @row for correction, as a click on it does, on the
 * page of failed rows that holds it. */
gboolean    pd_import_analyze_page_open_row       (PdImportAnalyzePage   *self,
                                                   guint                  row);
guint       pd_import_analyze_page_get_n_fixed    (PdImportAnalyzePage   *self);
/* The file's content was imported before (the dry run found it): what the
 * user chose to do with its points; Import waits for the choice. */
PdSameFile  pd_import_analyze_page_get_same_file  (PdImportAnalyzePage   *self);
gboolean    pd_import_analyze_page_needs_same_file_choice (PdImportAnalyzePage *self);
/* Answers the question about date column @column, as its choice does. */
void        pd_import_analyze_page_choose_date_order (PdImportAnalyzePage *self,
                                                      guint                column,
                                                      PdDateOrder          order);
/* (transfer none) (nullable): the question shown about date column @column */
PdImportDateQuestion *pd_import_analyze_page_get_date_question (PdImportAnalyzePage *self,
                                                                guint                column);

G_END_DECLS
