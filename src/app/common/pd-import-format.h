/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-analysis.h"
#include "pd-store.h"

G_BEGIN_DECLS

/* The import assistant's and history's pure logic, kept out of the
 * widgets so that it is tested without a display: default names,
 * estimates, rates and times left, the file-size refusal, the failed
 * rows as CSV.  GTK-free. */

/* Files above this are refused by the assistant (issue 5). */
#define PD_IMPORT_MAX_FILE_SIZE (G_GUINT64_CONSTANT (50) * 1000 * 1000)

char     *pd_import_default_name        (const char   *file_name,
                                         GDateTime    *when);
guint64   pd_import_estimate_rows       (guint         rows_read,
                                         guint64       position,
                                         guint64       size,
                                         gboolean      at_end);
char     *pd_import_format_estimate     (guint64       rows,
                                         gboolean      exact,
                                         guint         mapped_fields);
char     *pd_import_format_rate         (guint         rows_done,
                                         double        elapsed_seconds);
char     *pd_import_format_time_left    (guint         rows_done,
                                         guint         rows_total,
                                         double        elapsed_seconds);
char     *pd_import_format_progress     (guint         rows_done,
                                         guint         rows_total);
char     *pd_import_format_duration     (gint64        milliseconds);
/* An import's state in words, honest about failed rows: "Completed with
 * 3 failed rows"; @style (out) (optional): the style class to show it
 * in: "success" only for an import that completed with no failed row,
 * "warning" with failed rows, "error" failed, "dim-label" otherwise. */
char     *pd_import_format_status       (PdImportStatus       status,
                                         guint                failed,
                                         const char         **style);
/* The summary after an import: "“Spring”: 1 row in 2 s." and, with
 * failed rows, what to do about them. */
char     *pd_import_format_summary      (const PdImportInfo  *info);
/* A date and time in the history: the locale's date and time formats. */
char     *pd_import_format_when         (GDateTime           *when);
gboolean  pd_import_check_file_size     (const char   *display_name,
                                         guint64       size,
                                         guint64       max_size,
                                         GError      **error);
gboolean  pd_import_is_accepted_name    (const char   *file_name);
char     *pd_import_describe_refusal    (const GError *error);

/* The failed rows as CSV, the first columns "Row" and "Reasons" and then
 * the file's columns, so the rows can be fixed and imported again.
 * @corrections (nullable): row number → PdRow, replacing the row as read. */
char     *pd_import_failed_rows_to_csv  (PdAnalysis   *analysis,
                                         GHashTable   *corrections);

/* The match keys as the options page and Preferences offer them, and
 * their "email,phone,external_id,facebook,…" text (the import-match
 * setting, PdImportOptions.match).  Channel IDs go together: ticked when
 * the text names any of them, all written when ticked. */
typedef enum {
  PD_IMPORT_KEY_EMAIL       = 1 << 0,
  PD_IMPORT_KEY_PHONE       = 1 << 1,
  PD_IMPORT_KEY_EXTERNAL_ID = 1 << 2,
  PD_IMPORT_KEY_CHANNELS    = 1 << 3,
} PdImportKeys;

/* How a date the file leaves ambiguous reads in @order (PD_DATE_ORDER_DMY
 * or _MDY), the way people of that order write it: "5 March 1990",
 * "March 5, 1990"; NULL if it is no date in that order. */
char     *pd_import_format_date_reading  (const char         *sample,
                                          PdDateOrder         order);
/* "05/03/1990 = 5 March 1990, 11/04/1985 = 11 April 1985" */
char     *pd_import_format_date_readings (const char * const *samples,
                                          PdDateOrder         order);

PdImportKeys pd_import_keys_parse       (const char   *match);
char        *pd_import_keys_to_string   (PdImportKeys  keys);

G_END_DECLS
