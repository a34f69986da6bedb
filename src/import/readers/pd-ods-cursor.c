/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-cell-format.h"
#include "pd-error.h"
#include "pd-ods-cursor.h"
#include "pd-row-builder.h"
#include "pd-xml-stream.h"
#include "pd-zip-package.h"

/* An .ods keeps every sheet (table:table) in one content.xml.  Rows and
 * cells carry repeat counts: LibreOffice ends a sheet with an empty row
 * repeated a million times and a row with an empty cell repeated up to
 * the last column, so repeats are counted, never expanded, unless they
 * hold content.  Knowing which tables hold data needs a first pass over
 * content.xml (each table is skipped after its first row); the chosen
 * table is then streamed by a second pass. */

#define CALCEXT_NS   "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"

/* Rows past this are refused rather than numbered wrongly. */
#define MAX_ROW_NUMBER ((guint64) G_MAXINT32)

/* A text:s may ask for any number of spaces; a cell has no use for more. */
#define MAX_SPACES 1024

/* A row with content repeated is expanded, one row per copy: an 833-byte
 * file can ask for a billion.  No sheet of LibreOffice or Excel has more
 * rows than MAX_REPEATED_ROWS.  What the copies of rows and cells cost in
 * a document (their text, and a cell's pointer and terminator) is capped
 * too: a filled cell repeated to column 16,384 on each of many rows is
 * gigabytes of rows from a zip small enough to pass the ratio cap, and the
 * pipeline holds a thousand rows at a time.  Real files repeat a value
 * over a few adjacent cells. */
#define MAX_REPEATED_ROWS  (G_GUINT64_CONSTANT (1) << 20)
#define MAX_REPEATED_BYTES (G_GUINT64_CONSTANT (128) << 20)
#define CELL_OVERHEAD      16

static gboolean
too_many_copies (OdsCursor  *cursor,
                 guint64     cost,
                 GError    **error)
{
  cursor->copies += cost;
  if (cursor->copies <= MAX_REPEATED_BYTES)
    return FALSE;
  g_set_error (error, PD_ERROR, PD_ERROR_TOO_LARGE,
               _("%s is refused: its repeated cells (up to row %" PRIu64 " of the sheet “%s”) "
                 "make more than %u MB of copies, more than any real sheet. "
                 "Save the sheet as .csv and import that."),
               cursor->display_name, cursor->row_number,
               cursor->table_name ? cursor->table_name : "",
               (guint) (MAX_REPEATED_BYTES >> 20));
  return TRUE;
}
static void
set_str (char       **slot,
         const char  *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

static guint64
parse_repeat (const char *text)
{
  guint64 n = text ? g_ascii_strtoull (text, NULL, 10) : 1;

  return n == 0 ? 1 : n;
}

OdsCursor *
_pd_ods_cursor_open (PdZipPackage  *package,
                 GError       **error)
{
  PdXmlStream *xml = pd_xml_stream_open (package, "content.xml", error);
  OdsCursor *cursor;

  if (xml == NULL)
    return NULL;
  cursor = g_new0 (OdsCursor, 1);
  cursor->xml = xml;
  cursor->display_name = pd_zip_package_get_display_name (package);
  cursor->row = pd_row_builder_new ();
  cursor->text = g_string_new (NULL);
  cursor->value = g_string_new (NULL);
  cursor->table_depth = -1;
  return cursor;
}

void
_pd_ods_cursor_free (OdsCursor *cursor)
{
  if (cursor == NULL)
    return;
  g_clear_pointer (&cursor->xml, pd_xml_stream_free);
  g_clear_pointer (&cursor->row, pd_row_builder_free);
  g_clear_pointer (&cursor->repeat, pd_row_free);
  g_string_free (cursor->text, TRUE);
  g_string_free (cursor->value, TRUE);
  g_free (cursor->table_name);
  g_free (cursor);
}

/* Appends text-node content the ODF way: runs of white space are one
 * space, and white space opening a paragraph is dropped (real spaces are
 * written as text:s). */
static void
append_collapsed (GString    *out,
                  gsize       paragraph_start,
                  const char *text)
{
  for (const char *p = text; *p; p++)
    {
      if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        {
          if (out->len == paragraph_start || out->str[out->len - 1] == ' ')
            continue;
          g_string_append_c (out, ' ');
        }
      else
        {
          g_string_append_c (out, *p);
        }
    }
}

/* On a text:p (or text:h) start: appends its text, leaving the stream on
 * its end. */
static gboolean
read_paragraph (OdsCursor  *cursor,
                GString    *out,
                GError    **error)
{
  xmlTextReaderPtr reader = pd_xml_stream_get_reader (cursor->xml);
  int depth = xmlTextReaderDepth (reader);
  gsize start = out->len;
  int r;

  if (xmlTextReaderIsEmptyElement (reader))
    return TRUE;

  while ((r = pd_xml_stream_read_inside (cursor->xml, depth, error,
                                         _("%s is damaged: its content ends inside a cell."),
                                         cursor->display_name)) == 1)
    {
      int type = xmlTextReaderNodeType (reader);

      if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
          type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE)
        {
          append_collapsed (out, start, (const char *) xmlTextReaderConstValue (reader));
        }
      else if (type == XML_READER_TYPE_ELEMENT)
        {
          if (pd_xml_stream_name_is (reader, "s"))
            {
              g_autofree char *count = pd_xml_stream_dup_attribute (reader, "c");
              guint64 n = MIN (parse_repeat (count), MAX_SPACES);

              for (guint64 i = 0; i < n; i++)
                g_string_append_c (out, ' ');
            }
          else if (pd_xml_stream_name_is (reader, "tab"))
            g_string_append_c (out, '\t');
          else if (pd_xml_stream_name_is (reader, "line-break"))
            g_string_append_c (out, '\n');
          else if (pd_xml_stream_name_is (reader, "note") ||
                   pd_xml_stream_name_is (reader, "annotation") ||
                   pd_xml_stream_name_is (reader, "ruby-text") ||
                   pd_xml_stream_name_is (reader, "tracked-changes"))
            {
              /* Comments and footnotes are not the cell's value. */
              if (!pd_xml_stream_skip (cursor->xml, error))
                return FALSE;
            }
          /* text:span, text:a and the like: their text is read as it comes. */
        }
    }
  return r == 0;
}

/* On a table:table-cell or table:covered-table-cell start: reads it and
 * places its value, repeated as it says, from column *column on. */
static gboolean
read_cell (OdsCursor  *cursor,
           guint64    *column,
           GError    **error)
{
  xmlTextReaderPtr reader = pd_xml_stream_get_reader (cursor->xml);
  g_autofree char *type = NULL, *value = NULL, *date_value = NULL;
  g_autofree char *time_value = NULL, *boolean_value = NULL, *string_value = NULL;
  gboolean is_error = FALSE, has_paragraph = FALSE;
  guint64 repeat = 1;
  GString *out = cursor->value;

  if (xmlTextReaderMoveToFirstAttribute (reader) == 1)
    {
      do
        {
          const char *name = (const char *) xmlTextReaderConstLocalName (reader);
          const char *v = (const char *) xmlTextReaderConstValue (reader);
          const char *ns = (const char *) xmlTextReaderConstNamespaceUri (reader);

          if (g_str_equal (name, "number-columns-repeated"))
            repeat = parse_repeat (v);
          else if (g_str_equal (name, "value-type"))
            {
              /* LibreOffice marks error cells (#N/A) in its own namespace
               * and calls them float in ODF's. */
              if (ns && g_str_equal (ns, CALCEXT_NS))
                is_error = g_str_equal (v, "error");
              else
                set_str (&type, v);
            }
          else if (g_str_equal (name, "value"))
            set_str (&value, v);
          else if (g_str_equal (name, "date-value"))
            set_str (&date_value, v);
          else if (g_str_equal (name, "time-value"))
            set_str (&time_value, v);
          else if (g_str_equal (name, "boolean-value"))
            set_str (&boolean_value, v);
          else if (g_str_equal (name, "string-value"))
            set_str (&string_value, v);
        }
      while (xmlTextReaderMoveToNextAttribute (reader) == 1);
      xmlTextReaderMoveToElement (reader);
    }

  g_string_truncate (cursor->text, 0);
  if (!xmlTextReaderIsEmptyElement (reader))
    {
      int depth = xmlTextReaderDepth (reader);
      int r;

      while ((r = pd_xml_stream_read_inside (cursor->xml, depth, error,
                                             _("%s is damaged: its content ends inside a cell."),
                                             cursor->display_name)) == 1)
        {
          if (xmlTextReaderNodeType (reader) != XML_READER_TYPE_ELEMENT)
            continue;
          if (pd_xml_stream_name_is (reader, "p") || pd_xml_stream_name_is (reader, "h"))
            {
              /* Several paragraphs in one cell are lines of its text. */
              if (has_paragraph)
                g_string_append_c (cursor->text, '\n');
              has_paragraph = TRUE;
              if (!read_paragraph (cursor, cursor->text, error))
                return FALSE;
            }
          else if (!pd_xml_stream_skip (cursor->xml, error))
            {
              /* office:annotation, draw:frame, nested tables... */
              return FALSE;
            }
        }
      if (r < 0)
        return FALSE;
    }

  g_string_truncate (out, 0);
  if (is_error || type == NULL)
    g_string_append_len (out, cursor->text->str, (gssize) cursor->text->len);
  else if ((g_str_equal (type, "float") || g_str_equal (type, "percentage") ||
            g_str_equal (type, "currency")) && value != NULL)
    {
      if (!pd_cell_format_number_text (out, value))
        g_string_append (out, value);
    }
  else if (g_str_equal (type, "date") && date_value != NULL)
    pd_cell_format_iso_datetime (out, date_value);
  else if (g_str_equal (type, "time") && time_value != NULL)
    {
      if (!pd_cell_format_iso_duration (out, time_value))
        g_string_append (out, time_value);
    }
  else if (g_str_equal (type, "boolean") && boolean_value != NULL)
    g_string_append (out, g_ascii_strcasecmp (boolean_value, "true") == 0 ||
                          g_str_equal (boolean_value, "1") ? "TRUE" : "FALSE");
  else if (g_str_equal (type, "string") && string_value != NULL)
    g_string_append (out, string_value);
  else
    g_string_append_len (out, cursor->text->str, (gssize) cursor->text->len);

  if (out->len > 0)
    {
      guint64 end = *column + repeat;

      if (end > PD_ROW_BUILDER_MAX_COLUMNS)
        {
          g_autofree char *message =
            g_strdup_printf (_("Row %" PRIu64 ": cells past column %u are ignored."),
                             cursor->row_number, (guint) PD_ROW_BUILDER_MAX_COLUMNS);

          pd_row_builder_set_error (cursor->row, message);
          end = PD_ROW_BUILDER_MAX_COLUMNS;
        }
      if (end > *column + 1 &&
          too_many_copies (cursor, (end - *column - 1) * (out->len + CELL_OVERHEAD), error))
        return FALSE;
      for (guint64 c = *column; c < end; c++)
        pd_row_builder_add (cursor->row, (guint) c, out->str, (gssize) out->len);
    }
  *column += repeat;
  return TRUE;
}

static gboolean
check_row_number (OdsCursor  *cursor,
                  guint64     number,
                  GError    **error)
{
  if (number <= MAX_ROW_NUMBER)
    return TRUE;
  g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
               _("%s is damaged: the sheet “%s” has data past row %" PRIu64 "."),
               cursor->display_name, cursor->table_name ? cursor->table_name : "",
               MAX_ROW_NUMBER);
  return FALSE;
}

static guint64
row_cost (const PdRow *row)
{
  guint64 cost = 0;

  for (guint i = 0; i < row->n_cells; i++)
    cost += strlen (row->cells[i]) + CELL_OVERHEAD;
  return cost;
}

/* On a table:table-row start: reads its cells. */
static gboolean
read_row (OdsCursor  *cursor,
          PdRow     **row_out,
          GError    **error)
{
  xmlTextReaderPtr reader = pd_xml_stream_get_reader (cursor->xml);
  g_autofree char *repeat_text = pd_xml_stream_dup_attribute (reader, "number-rows-repeated");
  guint64 repeat = parse_repeat (repeat_text);
  guint64 column = 0;
  int depth = xmlTextReaderDepth (reader);

  *row_out = NULL;
  pd_row_builder_reset (cursor->row);

  if (!xmlTextReaderIsEmptyElement (reader))
    {
      int r;

      while ((r = pd_xml_stream_read_inside (cursor->xml, depth, error,
                                             _("%s is damaged: its content ends inside a row."),
                                             cursor->display_name)) == 1)
        {
          if (xmlTextReaderNodeType (reader) != XML_READER_TYPE_ELEMENT)
            continue;
          if (pd_xml_stream_name_is (reader, "table-cell") ||
              pd_xml_stream_name_is (reader, "covered-table-cell"))
            {
              if (!read_cell (cursor, &column, error))
                return FALSE;
            }
          else if (!pd_xml_stream_skip (cursor->xml, error))
            {
              return FALSE;
            }
        }
      if (r < 0)
        return FALSE;
    }

  if (!pd_row_builder_is_empty (cursor->row))
    {
      if (!check_row_number (cursor, cursor->row_number + repeat - 1, error))
        return FALSE;
      *row_out = pd_row_builder_finish (cursor->row, (guint) cursor->row_number);
      if (repeat > MAX_REPEATED_ROWS ||
          (repeat > 1 && too_many_copies (cursor, (repeat - 1) * row_cost (*row_out), NULL)))
        {
          g_set_error (error, PD_ERROR, PD_ERROR_TOO_LARGE,
                       _("%s is refused: row %" PRIu64 " of the sheet “%s” is repeated %" PRIu64
                         " times with its content, more rows than a spreadsheet holds. "
                         "Save the sheet as .csv and import that."),
                       cursor->display_name, cursor->row_number,
                       cursor->table_name ? cursor->table_name : "", repeat);
          g_clear_pointer (row_out, pd_row_free);
          return FALSE;
        }
      if (repeat > 1)
        {
          cursor->repeat = pd_row_copy (*row_out);
          cursor->repeat_left = repeat - 1;
        }
      cursor->row_number++;
    }
  else
    {
      /* Empty rows, however many, only move the count on. */
      cursor->row_number += repeat;
    }
  return TRUE;
}

/* Elements of a table that hold no rows. */
static gboolean
is_table_furniture (xmlTextReaderPtr reader)
{
  static const char * const names[] = {
    "table-columns", "table-column", "table-column-group", "table-header-columns",
    "shapes", "forms", "named-expressions", "table-source", "scenario", "dde-source",
    "title", "desc", "table-protection", "table", NULL
  };

  for (guint i = 0; names[i]; i++)
    if (pd_xml_stream_name_is (reader, names[i]))
      return TRUE;
  return FALSE;
}

/* The next event of the document: a table starts (its name in
 * cursor->table_name), a row with content (in *row), a table ends, the
 * end, or an error. */
static OdsEvent
ods_cursor_next (OdsCursor  *cursor,
                 PdRow     **row,
                 GError    **error)
{
  xmlTextReaderPtr reader = pd_xml_stream_get_reader (cursor->xml);

  *row = NULL;
  if (cursor->repeat_left > 0)
    {
      *row = pd_row_copy (cursor->repeat);
      (*row)->number = (guint) cursor->row_number++;
      if (--cursor->repeat_left == 0)
        g_clear_pointer (&cursor->repeat, pd_row_free);
      return ODS_EVENT_ROW;
    }

  for (;;)
    {
      int r = pd_xml_stream_read (cursor->xml, error);
      int type, depth;

      if (r < 0)
        return ODS_EVENT_ERROR;
      if (r == 0)
        return ODS_EVENT_END;
      type = xmlTextReaderNodeType (reader);
      depth = xmlTextReaderDepth (reader);

      if (type == XML_READER_TYPE_END_ELEMENT)
        {
          if (cursor->table_depth == depth && pd_xml_stream_name_is (reader, "table"))
            {
              cursor->table_depth = -1;
              return ODS_EVENT_TABLE_END;
            }
          continue;
        }
      if (type != XML_READER_TYPE_ELEMENT)
        continue;

      if (cursor->table_depth < 0)
        {
          if (pd_xml_stream_name_is (reader, "table"))
            {
              g_free (cursor->table_name);
              cursor->table_name = pd_xml_stream_dup_attribute (reader, "name");
              cursor->row_number = 1;
              if (xmlTextReaderIsEmptyElement (reader))
                {
                  /* No END_ELEMENT comes: report start, then end. */
                  cursor->table_depth = -2;
                  return ODS_EVENT_TABLE_START;
                }
              cursor->table_depth = depth;
              return ODS_EVENT_TABLE_START;
            }
          if (pd_xml_stream_name_is (reader, "automatic-styles") ||
              pd_xml_stream_name_is (reader, "font-face-decls") ||
              pd_xml_stream_name_is (reader, "scripts") ||
              pd_xml_stream_name_is (reader, "settings"))
            {
              if (!pd_xml_stream_skip (cursor->xml, error))
                return ODS_EVENT_ERROR;
            }
          continue;
        }

      if (pd_xml_stream_name_is (reader, "table-row"))
        {
          if (!read_row (cursor, row, error))
            return ODS_EVENT_ERROR;
          if (*row != NULL)
            return ODS_EVENT_ROW;
        }
      else if (is_table_furniture (reader))
        {
          if (!pd_xml_stream_skip (cursor->xml, error))
            return ODS_EVENT_ERROR;
        }
      /* table-header-rows, table-row-group, table-rows: their rows are
       * read as they come. */
    }
}

/* Wraps ods_cursor_next() for the empty <table:table/> case. */
OdsEvent
_pd_ods_cursor_next_event (OdsCursor  *cursor,
            PdRow     **row,
            GError    **error)
{
  if (cursor->table_depth == -2)
    {
      *row = NULL;
      cursor->table_depth = -1;
      return ODS_EVENT_TABLE_END;
    }
  return ods_cursor_next (cursor, row, error);
}

/* Leaves the current table without reading its cells. */
gboolean
_pd_ods_cursor_skip_table (OdsCursor  *cursor,
            GError    **error)
{
  int r;

  g_clear_pointer (&cursor->repeat, pd_row_free);
  cursor->repeat_left = 0;
  if (cursor->table_depth < 0)
    {
      cursor->table_depth = -1;
      return TRUE;
    }
  while ((r = pd_xml_stream_read_inside (cursor->xml, cursor->table_depth, error,
                                         _("%s is damaged: its content ends inside the sheet “%s”."),
                                         cursor->display_name,
                                         cursor->table_name ? cursor->table_name : "")) == 1)
    ;
  if (r < 0)
    return FALSE;
  cursor->table_depth = -1;
  return TRUE;
}

