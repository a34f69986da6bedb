/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-xlsx-reader.h"
#include "pd-xml-stream.h"
#include "pd-zip-package.h"

G_BEGIN_DECLS

/* Shared by pd-xlsx-reader.c (the reader and its sheet's row cursor) and
 * pd-xlsx-reader-workbook.c (the parts of the workbook) only. */

/* An .xlsx is a zip of XML parts found through relationships:
 * _rels/.rels names the workbook part, whose own .rels names the sheets,
 * the styles (which tell dates from numbers) and the shared strings.
 * Everything but the shared strings table is streamed; that table is
 * inherently random access, so it is held, packed in one buffer. */

typedef struct {
  char *name;
  char *part;  /* NULL for chart and dialog sheets: no cells */
} XlsxSheet;

typedef struct {
  PdZipPackage *package;
  char         *display_name;
  gboolean      date1904;
  GPtrArray    *sheets;           /* XlsxSheet */
  GString      *strings;          /* shared strings, NUL-separated */
  GArray       *string_offsets;   /* guint32: the strings are capped below 4 GB */
  GArray       *xf_kinds;         /* guint8 PdNumberKind per cellXfs index */
} XlsxBook;

static inline gboolean
is_element (xmlTextReaderPtr reader)
{
  return xmlTextReaderNodeType (reader) == XML_READER_TYPE_ELEMENT;
}

/* pd-xlsx-reader-workbook.c */
XlsxBook *_pd_xlsx_book_load       (GFile         *file,
                                    GCancellable  *cancellable,
                                    GError       **error);
void      _pd_xlsx_book_free       (XlsxBook      *book);
/* The text of a rich string (<si> or <is>), read up to its end. */
gboolean  _pd_xlsx_read_rich_text  (PdXmlStream   *xml,
                                    GString       *out,
                                    GString       *scratch,
                                    GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XlsxBook, _pd_xlsx_book_free)

G_END_DECLS
