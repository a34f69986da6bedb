/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-import-job.h"

G_BEGIN_DECLS

/* The results report of an import, CSV or XLSX (by the file's extension).
 *
 * The rows part holds every failed or ignored row with its original cells
 * under the file's own headers, followed by the columns "Import row",
 * "Import outcome", "Import reason" and "Matched persona ID" — which the
 * auto-mapper leaves unmapped — so that the user can fix the failed rows and
 * import the report again.  The summary (total, imported, updated, ignored,
 * failed: the last four add up to the total) is the workbook's second sheet
 * "Summary"; for CSV, which has no sheets, it is written next to the report
 * as NAME-summary.csv. */

gboolean  pd_report_write            (const char          *path,
                                      const PdRow         *header,
                                      const PdImportInfo  *info,
                                      GPtrArray           *rows,
                                      GError             **error);

gboolean  pd_report_write_job        (const char          *path,
                                      PdImportJob         *job,
                                      GError             **error);

/* The same, for any past import, from the results the store kept. */
gboolean  pd_report_write_stored     (const char          *path,
                                      PdStore             *store,
                                      gint64               import_id,
                                      GError             **error);

/* The path of the CSV report's summary file. */
char     *pd_report_dup_summary_path (const char          *path);

/* A cell a spreadsheet would run as a formula (starting with = + - @, tab
 * or CR) gets a leading apostrophe; numbers and phone numbers written with
 * only digits, spaces and + - ( ) . are left as they are, as they cannot
 * run anything.  Returns NULL when @text is safe as it is. */
char     *pd_spreadsheet_neutralize  (const char          *text);

/* Appends one CSV record (RFC 4180 quoting, neutralized, CRLF). */
void      pd_csv_append_record       (GString             *out,
                                      const char * const  *cells,
                                      guint                n_cells);

G_END_DECLS
