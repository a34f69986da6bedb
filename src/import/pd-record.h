/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pd-field.h"
#include "pd-row.h"

G_BEGIN_DECLS

/* One row after mapping and normalization: what the matcher and the merge
 * rules work on.  Single values are indexed by PdFieldId; NULL means the
 * file gave nothing for that field (no column, or an empty cell).  A record
 * with errors is not imported; its reasons go to the report.
 *
 * Ownership: every string a record points at (values[], the elements of
 * its arrays) belongs to the record and lives in the record's own memory,
 * a block that grows as strings are added and is emptied at once by
 * pd_record_reset() or freed by pd_record_free(): a million rows cost no
 * million-times-ten mallocs.  So read them, copy what must outlive the
 * record, never free or steal them, and add or change them only through
 * the functions below (the arrays have no free function).  Only @source is
 * the caller's to steal. */
typedef struct {
  guint      row;                           /* the spreadsheet row number */
  char      *values[PD_FIELD_N_BUILTIN];    /* normalized; NULL = empty */
  GPtrArray *emails;                        /* utf8, normalized, never NULL */
  GPtrArray *phones;                        /* utf8, E.164, never NULL */
  GPtrArray *tags;                          /* utf8, never NULL */
  GPtrArray *attribute_names;               /* utf8, parallel to attribute_values */
  GPtrArray *attribute_values;
  GPtrArray *errors;                        /* translated reasons naming the column */
  GPtrArray *warnings;                      /* translated, row still imported */
  PdRow     *source;                        /* nullable, owned: the row as read, for
                                             * reports; may be stolen */
  /*< private >*/
  gpointer   strings;                       /* the block the strings live in */
} PdRecord;

#define PD_TYPE_RECORD (pd_record_get_type ())

GType     pd_record_get_type        (void) G_GNUC_CONST;
PdRecord *pd_record_new             (guint           row);
PdRecord *pd_record_copy            (const PdRecord *record);
void      pd_record_free            (PdRecord       *record);
void      pd_record_reset           (PdRecord       *record,
                                     guint           row);
gboolean  pd_record_is_valid        (const PdRecord *record);
void      pd_record_set_value       (PdRecord       *record,
                                     PdFieldId       field,
                                     const char     *value);
void      pd_record_set_static_value (PdRecord      *record,
                                     PdFieldId       field,
                                     const char     *value);
void      pd_record_add_error       (PdRecord       *record,
                                     const char     *reason);
void      pd_record_add_warning     (PdRecord       *record,
                                     const char     *warning);
void      pd_record_add_errorf      (PdRecord       *record,
                                     const char     *format,
                                     ...) G_GNUC_PRINTF (2, 3);
void      pd_record_add_warningf    (PdRecord       *record,
                                     const char     *format,
                                     ...) G_GNUC_PRINTF (2, 3);
void      pd_record_add_email       (PdRecord       *record,
                                     const char     *email);
void      pd_record_add_phone       (PdRecord       *record,
                                     const char     *phone);
void      pd_record_add_tag         (PdRecord       *record,
                                     const char     *tag);
void      pd_record_set_attribute   (PdRecord       *record,
                                     const char     *name,
                                     const char     *value);
char     *pd_record_strndup         (PdRecord       *record,
                                     const char     *text,
                                     gssize          len);
char     *pd_record_alloc           (PdRecord       *record,
                                     gsize           size);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdRecord, pd_record_free)

G_END_DECLS
