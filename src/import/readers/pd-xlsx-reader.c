/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdXlsxReader: the row cursor of one sheet, and the choice of that
 * sheet.  The workbook's parts, read when the file is opened:
 * pd-xlsx-reader-workbook.c. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-cell-format.h"
#include "pd-error.h"
#include "pd-reader-private.h"
#include "pd-row-builder.h"
#include "pd-sheet-choice.h"
#include "pd-xlsx-reader-private.h"

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
                                g_array_index (book->string_offsets, guint32, index));
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
          if (!_pd_xlsx_read_rich_text (cursor->xml, cursor->value, cursor->text, error))
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
  g_clear_pointer (&self->book, _pd_xlsx_book_free);

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
  g_autoptr(XlsxBook) book = _pd_xlsx_book_load (file, cancellable, error);
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
  g_autoptr(XlsxBook) book = _pd_xlsx_book_load (file, cancellable, error);

  if (book == NULL)
    return NULL;
  return non_empty_sheets (book, cancellable, error);
}
