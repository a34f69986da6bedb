/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Parsers for the scalar field types.  Each takes the cell as read and
 * returns the normalized text, or FALSE / NULL with PD_ERROR_INVALID and a
 * translated reason that does not name the column (the caller adds it). */

/* TRUE/true/yes/y/1/on/x → TRUE; FALSE/false/no/n/0/off → FALSE. */
gboolean pd_value_parse_boolean (const char  *text,
                                 gboolean    *out,
                                 GError     **error);

/* Signed decimal integer; "+12", "-5", " 1,200 " (grouping comma) accepted. */
gboolean pd_value_parse_integer (const char  *text,
                                 gint64      *out,
                                 GError     **error);

typedef enum {
  PD_DATE_ORDER_UNKNOWN,   /* not chosen and not detected */
  PD_DATE_ORDER_ISO,       /* YYYY-MM-DD */
  PD_DATE_ORDER_MDY,       /* 02/13/1990 */
  PD_DATE_ORDER_DMY,       /* 13/02/1990 */
  PD_DATE_ORDER_YMD,       /* 1990/02/13 */
} PdDateOrder;

/* A date format as the user chooses it ("YYYY-MM-DD", "MM/DD/YYYY",
 * "DD/MM/YYYY", "DD.MM.YYYY", ...) to an order; UNKNOWN if not understood. */
PdDateOrder pd_value_date_order_from_format (const char *format);

/* Collects evidence from a column's values to choose day-first or
 * month-first when the user chose no format. */
typedef struct _PdDateDetector PdDateDetector;

PdDateDetector *pd_date_detector_new      (void);
void            pd_date_detector_free     (PdDateDetector *self);
void            pd_date_detector_add      (PdDateDetector *self,
                                           const char     *text);
/* MDY or DMY when the evidence decides; UNKNOWN when every value seen is
 * ambiguous (both parts ≤ 12) or the evidence conflicts. */
PdDateOrder     pd_date_detector_get_order (PdDateDetector *self);
gboolean        pd_date_detector_is_ambiguous (PdDateDetector *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdDateDetector, pd_date_detector_free)

/* Parses @text in @order (ISO and YYYY/MM/DD are always understood; an
 * xlsx date already comes as ISO).  With PD_DATE_ORDER_UNKNOWN an
 * ambiguous slash date is read month-first and *ambiguous is set.
 * Returns the ISO 8601 date (YYYY-MM-DD), validated (no 31 February). */
char           *pd_value_parse_date       (const char  *text,
                                           PdDateOrder  order,
                                           gboolean    *ambiguous,
                                           GError     **error);

/* "N/A", "-", "?", "unknown", "TBD", "NULL", "none", "00/00/0000",
 * "0000-00-00" (any case): a cell that says there is no value.  A date
 * column reads them as empty. */
gboolean        pd_value_is_placeholder   (const char  *text);

/* "YYYY-MM-DD" and its NUL. */
#define PD_VALUE_ISO_DATE_SIZE 11

/* pd_value_parse_date() into @iso, for callers that parse a million. */
gboolean        pd_value_parse_date_to    (const char  *text,
                                           PdDateOrder  order,
                                           gboolean    *ambiguous,
                                           char         iso[PD_VALUE_ISO_DATE_SIZE],
                                           GError     **error);

const char     *pd_value_trim             (const char  *text,
                                           gboolean     line_breaks,
                                           char       **owned);

/* A name as one cell holds it ("Grace Hopper", "Hopper, Grace", "Ludwig
 * van Beethoven") into first and last name; either may come back NULL. */
void            pd_value_split_full_name  (const char  *text,
                                           char       **first,
                                           char       **last);

G_END_DECLS
