/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Turning workbook cell values into the text a spreadsheet user expects
 * to see, shared by the xlsx, ods and xls readers: numbers without a
 * spurious ".0" or exponent (a phone stored as a number must come out as
 * its digits), serial dates as ISO 8601. */

typedef enum {
  PD_NUMBER_KIND_PLAIN,   /* shown as a number */
  PD_NUMBER_KIND_DATE,    /* a serial date, maybe with a time of day */
  PD_NUMBER_KIND_TIME,    /* a time of day, no date part */
  PD_NUMBER_KIND_DURATION,/* elapsed time ([h]:mm:ss): hours may pass 24 */
} PdNumberKind;

void         pd_cell_format_number            (GString    *out,
                                               double      value);
gboolean     pd_cell_format_number_text       (GString    *out,
                                               const char *text);
PdNumberKind pd_cell_format_classify_builtin  (guint       format_id);
PdNumberKind pd_cell_format_classify_code     (const char *code);
gboolean     pd_cell_format_serial_date       (GString    *out,
                                               double      serial,
                                               gboolean    date1904,
                                               PdNumberKind kind);
void         pd_cell_format_iso_datetime      (GString    *out,
                                               const char *iso);
gboolean     pd_cell_format_iso_duration      (GString    *out,
                                               const char *duration);
void         pd_cell_format_append_ooxml_text (GString    *out,
                                               const char *text);

G_END_DECLS
