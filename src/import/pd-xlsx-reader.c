/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "pd-cell-format.h"
#include "pd-error.h"
#include "pd-reader-private.h"
#include "pd-row-builder.h"
#include "pd-sheet-choice.h"
#include "pd-xlsx-reader.h"
#include "pd-xml-stream.h"
#include "pd-zip-package.h"

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
  GArray       *string_offsets;   /* gsize */
  GArray       *xf_kinds;         /* guint8 PdNumberKind per cellXfs index */
} XlsxBook;

typedef struct {
  PdXmlStream  *xml;
  PdRowBuilder *row;
  GString      *value;
  GString      *text;
  guint         row_number;
  guint         last_column;   /* + 1; 0 before the first cell of a row */
  gboolean      in_row;
  gboolean      done;
} SheetCursor;

struct _PdXlsxReader
{
  PdReader     parent_instance;

  XlsxBook    *book;
  SheetCursor *cursor;
};

G_DEFINE_FINAL_TYPE (PdXlsxReader, pd_xlsx_reader, PD_TYPE_READER)

static gboolean
is_element (xmlTextReaderPtr reader)
{
  return xmlTextReaderNodeType (reader) == XML_READER_TYPE_ELEMENT;
}

static gboolean
is_end_element (xmlTextReaderPtr reader)
{
  return xmlTextReaderNodeType (reader) == XML_READER_TYPE_END_ELEMENT;
}

static void
xlsx_sheet_free (XlsxSheet *sheet)
{
  g_free (sheet->name);
  g_free (sheet->part);
  g_free (sheet);
}

static void
xlsx_book_free (XlsxBook *book)
{
  if (book == NULL)
    return;
  g_clear_pointer (&book->package, pd_zip_package_free);
  g_clear_pointer (&book->sheets, g_ptr_array_unref);
  if (book->strings)
    g_string_free (book->strings, TRUE);
  g_clear_pointer (&book->string_offsets, g_array_unref);
  g_clear_pointer (&book->xf_kinds, g_array_unref);
  g_free (book->display_name);
  g_free (book);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XlsxBook, xlsx_book_free)

/* Resolves a relationship target against the directory of the part that
 * holds the relationship, as OPC says: "/x" is from the root, ".." goes
 * up. */
static char *
resolve_target (const char *base_dir,
                const char *target)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_auto(GStrv) base = NULL;
  g_auto(GStrv) rel = NULL;

  if (target[0] != '/')
    {
      base = g_strsplit (base_dir, "/", -1);
      for (guint i = 0; base[i]; i++)
        if (*base[i] != '\0')
          g_ptr_array_add (parts, base[i]);
    }
  rel = g_strsplit (target, "/", -1);
  for (guint i = 0; rel[i]; i++)
    {
      if (*rel[i] == '\0' || g_str_equal (rel[i], "."))
        continue;
      if (g_str_equal (rel[i], ".."))
        {
          if (parts->len > 0)
            g_ptr_array_remove_index (parts, parts->len - 1);
          continue;
        }
      g_ptr_array_add (parts, rel[i]);
    }
  g_ptr_array_add (parts, NULL);
  return g_strjoinv ("/", (char **) parts->pdata);
}

typedef struct {
  char *id;
  char *type;
  char *target;  /* resolved part name */
} Relationship;

static void
relationship_free (Relationship *rel)
{
  g_free (rel->id);
  g_free (rel->type);
  g_free (rel->target);
  g_free (rel);
}

/* Reads a .rels part; a missing one is an empty list. */
static GPtrArray *
read_relationships (XlsxBook    *book,
                    const char  *rels_part,
                    const char  *base_dir,
                    GError     **error)
{
  g_autoptr(GPtrArray) rels = g_ptr_array_new_with_free_func ((GDestroyNotify) relationship_free);
  g_autoptr(PdXmlStream) xml = NULL;
  xmlTextReaderPtr reader;
  int r;

  if (!pd_zip_package_has_member (book->package, rels_part))
    return g_steal_pointer (&rels);
  xml = pd_xml_stream_open (book->package, rels_part, error);
  if (xml == NULL)
    return NULL;
  reader = pd_xml_stream_get_reader (xml);

  while ((r = pd_xml_stream_read (xml, error)) == 1)
    {
      if (is_element (reader) && pd_xml_stream_name_is (reader, "Relationship"))
        {
          g_autofree char *mode = pd_xml_stream_dup_attribute (reader, "TargetMode");
          g_autofree char *target = pd_xml_stream_dup_attribute (reader, "Target");
          Relationship *rel;

          if (target == NULL || (mode && g_ascii_strcasecmp (mode, "External") == 0))
            continue;
          rel = g_new0 (Relationship, 1);
          rel->id = pd_xml_stream_dup_attribute (reader, "Id");
          rel->type = pd_xml_stream_dup_attribute (reader, "Type");
          rel->target = resolve_target (base_dir, target);
          g_ptr_array_add (rels, rel);
        }
    }
  if (r < 0)
    return NULL;
  return g_steal_pointer (&rels);
}

static Relationship *
find_relationship (GPtrArray  *rels,
                   const char *id,
                   const char *type_suffix)
{
  for (guint i = 0; i < rels->len; i++)
    {
      Relationship *rel = g_ptr_array_index (rels, i);

      if (id != NULL && g_strcmp0 (rel->id, id) == 0)
        return rel;
      if (type_suffix != NULL && rel->type && g_str_has_suffix (rel->type, type_suffix))
        return rel;
    }
  return NULL;
}

static gboolean
is_true (const char *value)
{
  return value && (g_str_equal (value, "1") || g_ascii_strcasecmp (value, "true") == 0 ||
                   g_ascii_strcasecmp (value, "on") == 0);
}

static gboolean
read_workbook (XlsxBook    *book,
               const char  *part,
               GPtrArray   *rels,
               GError     **error)
{
  g_autoptr(PdXmlStream) xml = pd_xml_stream_open (book->package, part, error);
  xmlTextReaderPtr reader;
  int r;

  if (xml == NULL)
    return FALSE;
  reader = pd_xml_stream_get_reader (xml);

  while ((r = pd_xml_stream_read (xml, error)) == 1)
    {
      if (!is_element (reader))
        continue;
      if (pd_xml_stream_name_is (reader, "workbookPr"))
        {
          g_autofree char *date1904 = pd_xml_stream_dup_attribute (reader, "date1904");

          book->date1904 = is_true (date1904);
        }
      else if (pd_xml_stream_name_is (reader, "sheet"))
        {
          g_autofree char *id = pd_xml_stream_dup_attribute (reader, "id");
          XlsxSheet *sheet = g_new0 (XlsxSheet, 1);
          Relationship *rel = id ? find_relationship (rels, id, NULL) : NULL;

          sheet->name = pd_xml_stream_dup_attribute (reader, "name");
          if (sheet->name == NULL)
            sheet->name = g_strdup_printf ("%u", book->sheets->len + 1);
          if (rel && rel->type && g_str_has_suffix (rel->type, "/worksheet") &&
              pd_zip_package_has_member (book->package, rel->target))
            sheet->part = g_strdup (rel->target);
          g_ptr_array_add (book->sheets, sheet);
        }
      else if (pd_xml_stream_name_is (reader, "sheetData") ||
               pd_xml_stream_name_is (reader, "definedNames") ||
               pd_xml_stream_name_is (reader, "extLst"))
        {
          if (!pd_xml_stream_skip (xml, error))
            return FALSE;
        }
    }
  return r == 0;
}

/* The text of a rich string (<si> or <is>): its <t> runs concatenated,
 * without the <rPh> phonetic guides of Japanese text. */
static gboolean
read_rich_text (PdXmlStream  *xml,
                GString      *out,
                GString      *scratch,
                GError      **error)
{
  xmlTextReaderPtr reader = pd_xml_stream_get_reader (xml);
  int depth = xmlTextReaderDepth (reader);
  int r;

  if (xmlTextReaderIsEmptyElement (reader))
    return TRUE;

  while ((r = pd_xml_stream_read_inside (xml, depth, error, _("unexpected end of a string"))) == 1)
    {
      if (!is_element (reader))
        continue;
      if (pd_xml_stream_name_is (reader, "rPh"))
        {
          if (!pd_xml_stream_skip (xml, error))
            return FALSE;
        }
      else if (pd_xml_stream_name_is (reader, "t"))
        {
          g_string_truncate (scratch, 0);
          if (!pd_xml_stream_read_text (xml, scratch, error))
            return FALSE;
          pd_cell_format_append_ooxml_text (out, scratch->str);
        }
    }
  return r == 0;
}

static gboolean
read_shared_strings (XlsxBook      *book,
                     const char    *part,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(PdXmlStream) xml = pd_xml_stream_open (book->package, part, error);
  g_autoptr(GString) scratch = g_string_new (NULL);
  xmlTextReaderPtr reader;
  int r;

  if (xml == NULL)
    return FALSE;
  reader = pd_xml_stream_get_reader (xml);

  while ((r = pd_xml_stream_read (xml, error)) == 1)
    {
      gsize offset = book->strings->len;

      if (!is_element (reader) || !pd_xml_stream_name_is (reader, "si"))
        continue;
      if ((book->string_offsets->len & 0xfff) == 0 &&
          g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_array_append_val (book->string_offsets, offset);
      if (!read_rich_text (xml, book->strings, scratch, error))
        return FALSE;
      g_string_append_c (book->strings, '\0');
    }
  return r == 0;
}

static gboolean
read_styles (XlsxBook    *book,
             const char  *part,
             GError     **error)
{
  g_autoptr(PdXmlStream) xml = pd_xml_stream_open (book->package, part, error);
  g_autoptr(GHashTable) custom = g_hash_table_new (g_direct_hash, g_direct_equal);
  gboolean in_cell_xfs = FALSE;
  xmlTextReaderPtr reader;
  int r;

  if (xml == NULL)
    return FALSE;
  reader = pd_xml_stream_get_reader (xml);

  while ((r = pd_xml_stream_read (xml, error)) == 1)
    {
      if (is_end_element (reader) && pd_xml_stream_name_is (reader, "cellXfs"))
        in_cell_xfs = FALSE;
      if (!is_element (reader))
        continue;
      if (pd_xml_stream_name_is (reader, "numFmt"))
        {
          g_autofree char *id = pd_xml_stream_dup_attribute (reader, "numFmtId");
          g_autofree char *code = pd_xml_stream_dup_attribute (reader, "formatCode");

          if (id != NULL)
            g_hash_table_insert (custom, GUINT_TO_POINTER ((guint) strtoul (id, NULL, 10)),
                                 GUINT_TO_POINTER (pd_cell_format_classify_code (code) + 1));
        }
      else if (pd_xml_stream_name_is (reader, "cellXfs"))
        {
          in_cell_xfs = !xmlTextReaderIsEmptyElement (reader);
        }
      else if (in_cell_xfs && pd_xml_stream_name_is (reader, "xf"))
        {
          g_autofree char *id_text = pd_xml_stream_dup_attribute (reader, "numFmtId");
          guint id = id_text ? (guint) strtoul (id_text, NULL, 10) : 0;
          gpointer kind = g_hash_table_lookup (custom, GUINT_TO_POINTER (id));
          guint8 k = kind ? (guint8) (GPOINTER_TO_UINT (kind) - 1)
                          : (guint8) pd_cell_format_classify_builtin (id);

          g_array_append_val (book->xf_kinds, k);
        }
      else if (pd_xml_stream_name_is (reader, "fonts") ||
               pd_xml_stream_name_is (reader, "fills") ||
               pd_xml_stream_name_is (reader, "borders") ||
               pd_xml_stream_name_is (reader, "dxfs") ||
               pd_xml_stream_name_is (reader, "cellStyleXfs") ||
               pd_xml_stream_name_is (reader, "extLst"))
        {
          if (!pd_xml_stream_skip (xml, error))
            return FALSE;
        }
    }
  return r == 0;
}

static char *
dir_of (const char *part)
{
  const char *slash = strrchr (part, '/');

  return slash ? g_strndup (part, slash - part) : g_strdup ("");
}

static char *
rels_of (const char *part)
{
  const char *slash = strrchr (part, '/');

  if (slash == NULL)
    return g_strdup_printf ("_rels/%s.rels", part);
  return g_strdup_printf ("%.*s/_rels/%s.rels", (int) (slash - part), part, slash + 1);
}

static XlsxBook *
xlsx_book_load (GFile         *file,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(XlsxBook) book = g_new0 (XlsxBook, 1);
  g_autoptr(GPtrArray) root_rels = NULL;
  g_autoptr(GPtrArray) rels = NULL;
  g_autofree char *workbook = NULL;
  g_autofree char *workbook_dir = NULL;
  g_autofree char *workbook_rels = NULL;
  g_autofree char *styles = NULL;
  g_autofree char *strings = NULL;
  Relationship *rel;

  book->display_name = g_file_get_basename (file);
  book->sheets = g_ptr_array_new_with_free_func ((GDestroyNotify) xlsx_sheet_free);
  book->strings = g_string_new (NULL);
  book->string_offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  book->xf_kinds = g_array_new (FALSE, FALSE, sizeof (guint8));

  book->package = pd_zip_package_open (file, ".xlsx", error);
  if (book->package == NULL)
    return NULL;

  root_rels = read_relationships (book, "_rels/.rels", "", error);
  if (root_rels == NULL)
    return NULL;
  rel = find_relationship (root_rels, NULL, "/officeDocument");
  workbook = g_strdup (rel ? rel->target : "xl/workbook.xml");
  if (!pd_zip_package_has_member (book->package, workbook))
    {
      if (pd_zip_package_has_member (book->package, "content.xml"))
        g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
                     _("%s is an OpenDocument spreadsheet, not an Excel workbook: "
                       "rename it to .ods."), book->display_name);
      else
        g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
                     _("%s is not a valid .xlsx file: it is a zip archive without a workbook in it."),
                     book->display_name);
      return NULL;
    }

  workbook_dir = dir_of (workbook);
  workbook_rels = rels_of (workbook);
  rels = read_relationships (book, workbook_rels, workbook_dir, error);
  if (rels == NULL || !read_workbook (book, workbook, rels, error))
    return NULL;

  rel = find_relationship (rels, NULL, "/styles");
  styles = rel ? g_strdup (rel->target) : g_build_path ("/", workbook_dir, "styles.xml", NULL);
  if (pd_zip_package_has_member (book->package, styles) &&
      !read_styles (book, styles, error))
    return NULL;

  /* libxlsxwriter's constant_memory mode writes inline strings and no
   * shared strings part at all. */
  rel = find_relationship (rels, NULL, "/sharedStrings");
  strings = rel ? g_strdup (rel->target) : g_build_path ("/", workbook_dir, "sharedStrings.xml", NULL);
  if (pd_zip_package_has_member (book->package, strings) &&
      !read_shared_strings (book, strings, cancellable, error))
    return NULL;

  return g_steal_pointer (&book);
}

static SheetCursor *
sheet_cursor_open (XlsxBook    *book,
                   XlsxSheet   *sheet,
                   GError     **error)
{
  SheetCursor *cursor;
  PdXmlStream *xml = NULL;

  if (sheet->part != NULL)
    {
      xml = pd_xml_stream_open (book->package, sheet->part, error);
      if (xml == NULL)
        return NULL;
    }

  cursor = g_new0 (SheetCursor, 1);
  cursor->xml = xml;
  cursor->done = (xml == NULL);
  cursor->row = pd_row_builder_new ();
  cursor->value = g_string_new (NULL);
  cursor->text = g_string_new (NULL);
  return cursor;
}

static void
sheet_cursor_free (SheetCursor *cursor)
{
  if (cursor == NULL)
    return;
  g_clear_pointer (&cursor->xml, pd_xml_stream_free);
  g_clear_pointer (&cursor->row, pd_row_builder_free);
  g_string_free (cursor->value, TRUE);
  g_string_free (cursor->text, TRUE);
  g_free (cursor);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SheetCursor, sheet_cursor_free)

/* "BC12" -> column 54 (0-based) and row 12; FALSE if malformed. */
static gboolean
parse_reference (const char *ref,
                 guint      *column,
                 guint      *row)
{
  guint64 c = 0, r = 0;
  const char *p = ref;

  if (*p == '$')
    p++;
  for (; g_ascii_isalpha (*p); p++)
    {
      c = c * 26 + (guint64) (g_ascii_toupper (*p) - 'A' + 1);
      if (c > PD_ROW_BUILDER_MAX_COLUMNS)
        return FALSE;
    }
  if (c == 0)
    return FALSE;
  if (*p == '$')
    p++;
  for (; g_ascii_isdigit (*p); p++)
    {
      r = r * 10 + (guint64) (*p - '0');
      if (r > G_MAXINT32)
        return FALSE;
    }
  if (*p != '\0')
    return FALSE;
  *column = (guint) (c - 1);
  *row = (guint) r;
  return TRUE;
}

static PdNumberKind
style_kind (XlsxBook   *book,
            const char *style)
{
  guint64 index;

  if (style == NULL || *style == '\0')
    return PD_NUMBER_KIND_PLAIN;
  index = g_ascii_strtoull (style, NULL, 10);
  if (index >= book->xf_kinds->len)
    return PD_NUMBER_KIND_PLAIN;
  return (PdNumberKind) g_array_index (book->xf_kinds, guint8, index);
}

/* Turns the value of one <c> into the text a user sees. */
static void
format_cell (XlsxBook     *book,
             SheetCursor  *cursor,
             const char   *type,
             const char   *style,
             guint         column)
{
  GString *out = cursor->text;
  const char *value = cursor->value->str;

  g_string_truncate (out, 0);

  if (type == NULL || *type == '\0' || g_str_equal (type, "n"))
    {
      PdNumberKind kind = style_kind (book, style);
      char *end = NULL;
      double number = g_ascii_strtod (value, &end);

      if (kind != PD_NUMBER_KIND_PLAIN && end != value && end && *end == '\0' &&
          pd_cell_format_serial_date (out, number, book->date1904, kind))
        return;
      if (!pd_cell_format_number_text (out, value))
        g_string_append (out, value);
    }
  else if (g_str_equal (type, "s"))
    {
      char *end = NULL;
      guint64 index = g_ascii_strtoull (value, &end, 10);

      if (end != value && index < book->string_offsets->len)
        {
          g_string_append (out, book->strings->str +
                                g_array_index (book->string_offsets, gsize, index));
        }
      else
        {
          g_autofree char *message =
            g_strdup_printf (_("Row %u, column %u: the cell refers to a shared string "
                               "that the workbook does not have."),
                             cursor->row_number, column + 1);
          pd_row_builder_set_error (cursor->row, message);
        }
    }
  else if (g_str_equal (type, "b"))
    {
      g_string_append (out, g_str_equal (g_strstrip (cursor->value->str), "0") ||
                            cursor->value->len == 0 ? "FALSE" : "TRUE");
    }
  else if (g_str_equal (type, "d"))
    {
      pd_cell_format_iso_datetime (out, value);
    }
  else
    {
      /* "str" (a formula's text), "inlineStr", "e" (#N/A and friends) */
      pd_cell_format_append_ooxml_text (out, value);
    }
}

static gboolean
read_cell (XlsxBook      *book,
           SheetCursor   *cursor,
           GError       **error)
{
  xmlTextReaderPtr reader = pd_xml_stream_get_reader (cursor->xml);
  char ref[32] = "", type[16] = "", style[16] = "";
  gboolean has_value = FALSE, inline_text = FALSE;
  guint column = cursor->last_column, row;
  int depth, r;

  if (xmlTextReaderMoveToFirstAttribute (reader) == 1)
    {
      do
        {
          const char *name = (const char *) xmlTextReaderConstLocalName (reader);
          const char *value = (const char *) xmlTextReaderConstValue (reader);

          if (name[0] == 'r' && name[1] == '\0')
            g_strlcpy (ref, value, sizeof ref);
          else if (name[0] == 't' && name[1] == '\0')
            g_strlcpy (type, value, sizeof type);
          else if (name[0] == 's' && name[1] == '\0')
            g_strlcpy (style, value, sizeof style);
        }
      while (xmlTextReaderMoveToNextAttribute (reader) == 1);
      xmlTextReaderMoveToElement (reader);
    }

  /* Cells without a reference follow the one before. */
  if (ref[0] != '\0' && !parse_reference (ref, &column, &row))
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
                   _("%s is damaged: row %u has a cell with the impossible reference “%s”."),
                   book->display_name, cursor->row_number, ref);
      return FALSE;
    }
  if (column >= PD_ROW_BUILDER_MAX_COLUMNS)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
                   _("%s is damaged: row %u has cells beyond the last column."),
                   book->display_name, cursor->row_number);
      return FALSE;
    }
  cursor->last_column = column + 1;

  if (xmlTextReaderIsEmptyElement (reader))
    return TRUE;

  g_string_truncate (cursor->value, 0);
  depth = xmlTextReaderDepth (reader);
  while ((r = pd_xml_stream_read_inside (cursor->xml, depth, error,
                                         _("%s is damaged: its sheet ends in the middle of row %u."),
                                         book->display_name, cursor->row_number)) == 1)
    {
      if (!is_element (reader))
        continue;
      if (pd_xml_stream_name_is (reader, "v"))
        {
          g_string_truncate (cursor->value, 0);
          if (!pd_xml_stream_read_text (cursor->xml, cursor->value, error))
            return FALSE;
          has_value = TRUE;
        }
      else if (pd_xml_stream_name_is (reader, "is"))
        {
          /* Decoded here already: format_cell must not decode twice. */
          g_string_truncate (cursor->value, 0);
          if (!read_rich_text (cursor->xml, cursor->value, cursor->text, error))
            return FALSE;
          has_value = inline_text = TRUE;
        }
      else if (!pd_xml_stream_skip (cursor->xml, error))
        {
          return FALSE;
        }
    }
  if (r < 0)
    return FALSE;

  if (!has_value)
    return TRUE;
  if (inline_text)
    {
      pd_row_builder_add (cursor->row, column, cursor->value->str, (gssize) cursor->value->len);
      return TRUE;
    }
  format_cell (book, cursor, type, style, column);
  pd_row_builder_add (cursor->row, column, cursor->text->str, (gssize) cursor->text->len);
  return TRUE;
}

/* The next row with at least one non-empty cell; NULL at the end of the
 * sheet or on error. */
static PdRow *
sheet_cursor_next_row (XlsxBook      *book,
                       SheetCursor   *cursor,
                       GError       **error)
{
  xmlTextReaderPtr reader;

  if (cursor->done)
    return NULL;
  reader = pd_xml_stream_get_reader (cursor->xml);

  for (;;)
    {
      int r = pd_xml_stream_read (cursor->xml, error);
      int type;

      if (r <= 0)
        {
          cursor->done = TRUE;
          return NULL;
        }
      type = xmlTextReaderNodeType (reader);
      if (type == XML_READER_TYPE_ELEMENT)
        {
          if (cursor->in_row && pd_xml_stream_name_is (reader, "c"))
            {
              if (!read_cell (book, cursor, error))
                {
                  cursor->done = TRUE;
                  return NULL;
                }
            }
          else if (pd_xml_stream_name_is (reader, "row"))
            {
              g_autofree char *number = pd_xml_stream_dup_attribute (reader, "r");
              guint64 n = number ? g_ascii_strtoull (number, NULL, 10) : 0;

              /* Rows without a number follow the one before. */
              cursor->row_number = (n > 0 && n < G_MAXINT32) ? (guint) n : cursor->row_number + 1;
              cursor->last_column = 0;
              pd_row_builder_reset (cursor->row);
              cursor->in_row = !xmlTextReaderIsEmptyElement (reader);
            }
          else if (!cursor->in_row && !pd_xml_stream_name_is (reader, "worksheet") &&
                   !pd_xml_stream_name_is (reader, "sheetData"))
            {
              /* Column widths, merged cells, conditional formats...:
               * nothing a customer list needs. */
              if (!pd_xml_stream_skip (cursor->xml, error))
                {
                  cursor->done = TRUE;
                  return NULL;
                }
            }
        }
      else if (type == XML_READER_TYPE_END_ELEMENT)
        {
          if (pd_xml_stream_name_is (reader, "row"))
            {
              cursor->in_row = FALSE;
              if (!pd_row_builder_is_empty (cursor->row))
                return pd_row_builder_finish (cursor->row, cursor->row_number);
            }
          else if (pd_xml_stream_name_is (reader, "sheetData"))
            {
              /* The rest of the part is layout; don't inflate it. */
              cursor->done = TRUE;
              return NULL;
            }
        }
    }
}

/* Whether a sheet has any non-empty cell: reads up to its first row. */
static gboolean
sheet_has_data (XlsxBook      *book,
                XlsxSheet     *sheet,
                gboolean      *has_data,
                GError       **error)
{
  g_autoptr(SheetCursor) cursor = NULL;
  g_autoptr(PdRow) row = NULL;
  GError *local_error = NULL;

  *has_data = FALSE;
  if (sheet->part == NULL)
    return TRUE;
  cursor = sheet_cursor_open (book, sheet, error);
  if (cursor == NULL)
    return FALSE;
  row = sheet_cursor_next_row (book, cursor, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  *has_data = (row != NULL);
  return TRUE;
}

static char **
non_empty_sheets (XlsxBook      *book,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  for (guint i = 0; i < book->sheets->len; i++)
    {
      XlsxSheet *sheet = g_ptr_array_index (book->sheets, i);
      gboolean has_data;

      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !sheet_has_data (book, sheet, &has_data, error))
        return NULL;
      if (has_data)
        g_strv_builder_add (names, sheet->name);
    }
  return g_strv_builder_end (names);
}

static char **
all_sheet_names (XlsxBook *book)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  for (guint i = 0; i < book->sheets->len; i++)
    g_strv_builder_add (names, ((XlsxSheet *) g_ptr_array_index (book->sheets, i))->name);
  return g_strv_builder_end (names);
}

static PdRow *
pd_xlsx_reader_next_row (PdReader      *reader,
                         GCancellable  *cancellable,
                         GError       **error)
{
  PdXlsxReader *self = PD_XLSX_READER (reader);
  PdRow *row;

  row = sheet_cursor_next_row (self->book, self->cursor, error);
  if (self->cursor->xml != NULL)
    pd_reader_set_position (reader, row ? pd_xml_stream_get_position (self->cursor->xml)
                                        : pd_reader_get_size (reader));
  return row;
}

static void
pd_xlsx_reader_finalize (GObject *object)
{
  PdXlsxReader *self = PD_XLSX_READER (object);

  g_clear_pointer (&self->cursor, sheet_cursor_free);
  g_clear_pointer (&self->book, xlsx_book_free);

  G_OBJECT_CLASS (pd_xlsx_reader_parent_class)->finalize (object);
}

static void
pd_xlsx_reader_class_init (PdXlsxReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PdReaderClass *reader_class = PD_READER_CLASS (klass);

  object_class->finalize = pd_xlsx_reader_finalize;
  reader_class->next_row = pd_xlsx_reader_next_row;
}

static void
pd_xlsx_reader_init (PdXlsxReader *self)
{
}

PdReader *
_pd_xlsx_reader_new (GFile                  *file,
                     const PdReaderOptions  *options,
                     GCancellable           *cancellable,
                     GError                **error)
{
  g_autoptr(XlsxBook) book = xlsx_book_load (file, cancellable, error);
  g_autoptr(PdXlsxReader) self = NULL;
  XlsxSheet *sheet = NULL;

  if (book == NULL)
    return NULL;

  if (options != NULL && options->sheet != NULL)
    {
      g_auto(GStrv) names = all_sheet_names (book);
      int index = pd_sheet_choice_find ((const char * const *) names, options->sheet);

      if (index < 0)
        {
          g_propagate_error (error, pd_no_such_sheet_error (book->display_name, options->sheet,
                                                            (const char * const *) names));
          return NULL;
        }
      sheet = g_ptr_array_index (book->sheets, index);
    }
  else
    {
      g_auto(GStrv) names = non_empty_sheets (book, cancellable, error);

      if (names == NULL)
        return NULL;
      if (g_strv_length (names) > 1)
        {
          g_propagate_error (error, pd_sheet_choice_error (book->display_name,
                                                           (const char * const *) names));
          return NULL;
        }
      for (guint i = 0; i < book->sheets->len; i++)
        {
          XlsxSheet *s = g_ptr_array_index (book->sheets, i);

          if ((names[0] != NULL && g_str_equal (s->name, names[0])) ||
              (names[0] == NULL && s->part != NULL))
            {
              sheet = s;
              break;
            }
        }
    }

  self = g_object_new (PD_TYPE_XLSX_READER, "file", file, "format", "xlsx", NULL);
  if (sheet == NULL)
    {
      /* No worksheet at all (only charts): a file without rows. */
      XlsxSheet none = { NULL, NULL };

      self->cursor = sheet_cursor_open (book, &none, error);
    }
  else
    {
      self->cursor = sheet_cursor_open (book, sheet, error);
    }
  if (self->cursor == NULL)
    return NULL;
  if (self->cursor->xml != NULL)
    pd_reader_set_size (PD_READER (self), pd_xml_stream_get_size (self->cursor->xml));
  self->book = g_steal_pointer (&book);

  return PD_READER (g_steal_pointer (&self));
}

char **
_pd_xlsx_list_sheets (GFile         *file,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(XlsxBook) book = xlsx_book_load (file, cancellable, error);

  if (book == NULL)
    return NULL;
  return non_empty_sheets (book, cancellable, error);
}
