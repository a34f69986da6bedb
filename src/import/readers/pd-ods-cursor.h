/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cursor over an .ods file's content.xml that PdOdsReader drives: one
 * event a table, a row at a time, repeats counted and capped.  Only the
 * .ods reader uses it. */
#pragma once

#include <glib.h>

#include "pd-row-builder.h"
#include "pd-row.h"
#include "pd-xml-stream.h"
#include "pd-zip-package.h"

G_BEGIN_DECLS

typedef enum {
  ODS_EVENT_ERROR,
  ODS_EVENT_END,
  ODS_EVENT_TABLE_START,
  ODS_EVENT_TABLE_END,
  ODS_EVENT_ROW,
} OdsEvent;

typedef struct {
  PdXmlStream  *xml;
  const char   *display_name;
  PdRowBuilder *row;
  GString      *text;        /* a cell's paragraphs */
  GString      *value;       /* a cell's value as text */
  char         *table_name;
  int           table_depth; /* of the current table element; -1 outside */
  guint64       row_number;  /* the number of the next row */
  PdRow        *repeat;      /* a row with content repeated... */
  guint64       repeat_left; /* ...this many more times */
  guint64       copies;      /* bytes of rows made by repeats so far */
} OdsCursor;

OdsCursor *_pd_ods_cursor_open       (PdZipPackage  *package,
                                       GError       **error);
void       _pd_ods_cursor_free       (OdsCursor     *cursor);
/* The next table start or end, row, end of content, or error. */
OdsEvent   _pd_ods_cursor_next_event (OdsCursor     *cursor,
                                       PdRow        **row,
                                       GError       **error);
/* Leaves the current table without reading its cells. */
gboolean   _pd_ods_cursor_skip_table (OdsCursor     *cursor,
                                       GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdsCursor, _pd_ods_cursor_free)

G_END_DECLS
