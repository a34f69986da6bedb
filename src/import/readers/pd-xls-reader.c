/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <freexl.h>
#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "pd-cell-format.h"
#include "pd-error.h"
#include "pd-reader-private.h"
#include "pd-row-builder.h"
#include "pd-sheet-choice.h"
#include "pd-xls-reader.h"

/* freexl decides what is a date itself (from the cell's format and the
 * workbook's date system) and hands dates over as text. */

struct _PdXlsReader
{
  PdReader      parent_instance;

  const void   *handle;
  guint         n_rows;
  guint         n_columns;
  guint         next_row;
  PdRowBuilder *row;
  GString      *text;
};

G_DEFINE_FINAL_TYPE (PdXlsReader, pd_xls_reader, PD_TYPE_READER)

typedef struct {
  const void *handle;
  char       *display_name;
  char      **names;   /* every worksheet, in order */
} XlsBook;

static void
xls_book_free (XlsBook *book)
{
  if (book == NULL)
    return;
  if (book->handle != NULL)
    freexl_close (book->handle);
  g_strfreev (book->names);
  g_free (book->display_name);
  g_free (book);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XlsBook, xls_book_free)

/* What the first bytes say the file is, for a message better than
 * "damaged" when a file only wears the .xls name. */
static gboolean
check_content (const char  *path,
               const char  *display_name,
               GError     **error)
{
  static const guint8 ole[8] = { 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1 };
  guint8 head[8] = { 0 };
  FILE *f = fopen (path, "rb");
  size_t n;

  if (f == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT, _("%s cannot be opened: %s"),
                   display_name, g_strerror (saved_errno));
      return FALSE;
    }
  n = fread (head, 1, sizeof head, f);
  fclose (f);

  if (n == sizeof head && memcmp (head, ole, sizeof ole) == 0)
    return TRUE;
  if (n >= 4 && memcmp (head, "PK\003\004", 4) == 0)
    g_set_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT,
                 _("%s is a newer Excel workbook (.xlsx) under an .xls name: "
                   "rename it to .xlsx and import it again."), display_name);
  else if (n > 0 && (head[0] == '<' || (n >= 3 && head[0] == 0xef && head[1] == 0xbb)))
    g_set_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT,
                 _("%s is a web page or XML file under an .xls name, not an Excel workbook. "
                   "Open it in a spreadsheet program and save it as .xlsx or .csv."),
                 display_name);
  else
    g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
                 _("%s is not an Excel 97-2003 workbook (.xls), or it is damaged."),
                 display_name);
  return FALSE;
}

static XlsBook *
xls_book_open (GFile   *file,
               GError **error)
{
  g_autoptr(XlsBook) book = g_new0 (XlsBook, 1);
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  unsigned int info = 0, n_sheets = 0;
  int ret;

  book->display_name = g_file_get_basename (file);
  if (path == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
                   _("%s cannot be read: .xls workbooks must be on this computer. "
                     "Copy it to a local folder first."), book->display_name);
      return NULL;
    }
  if (!check_content (path, book->display_name, error))
    return NULL;

  ret = freexl_open (path, &book->handle);
  if (ret != FREEXL_OK)
    {
      /* freexl wants a close even after a failed open. */
      g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
                   _("%s is damaged or is not an Excel 97-2003 workbook (error %d)."),
                   book->display_name, ret);
      return NULL;
    }

  if (freexl_get_info (book->handle, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
      info == FREEXL_BIFF_OBFUSCATED)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
                   _("%s is protected with a password. Open it in Excel, remove the "
                     "password and save it again."), book->display_name);
      return NULL;
    }

  if (freexl_get_info (book->handle, FREEXL_BIFF_SHEET_COUNT, &n_sheets) != FREEXL_OK)
    n_sheets = 0;
  for (unsigned int i = 0; i < n_sheets && i <= G_MAXUINT16; i++)
    {
      const char *name = NULL;

      if (freexl_get_worksheet_name (book->handle, (unsigned short) i, &name) == FREEXL_OK &&
          name != NULL)
        g_strv_builder_add (names, name);
      else
        {
          g_autofree char *number = g_strdup_printf ("%u", i + 1);

          g_strv_builder_add (names, number);
        }
    }
  book->names = g_strv_builder_end (names);

  return g_steal_pointer (&book);
}

/* Appends the cell's text; FALSE if freexl cannot read it. */
static gboolean
format_cell (const void *handle,
             guint       row,
             guint       column,
             GString    *out)
{
  FreeXL_CellValue value;
  const char *space;

  if (freexl_get_cell_value (handle, row, (unsigned short) column, &value) != FREEXL_OK)
    return FALSE;

  switch (value.type)
    {
    case FREEXL_CELL_INT:
      pd_cell_format_number (out, (double) value.value.int_value);
      break;
    case FREEXL_CELL_DOUBLE:
      pd_cell_format_number (out, value.value.double_value);
      break;
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_TIME:
      if (value.value.text_value != NULL)
        g_string_append (out, value.value.text_value);
      break;
    case FREEXL_CELL_DATETIME:
      /* "YYYY-MM-DD HH:MM:SS" -> ISO, without a midnight time. */
      if (value.value.text_value == NULL)
        break;
      space = strchr (value.value.text_value, ' ');
      if (space == NULL)
        g_string_append (out, value.value.text_value);
      else
        {
          g_string_append_len (out, value.value.text_value, space - value.value.text_value);
          if (strcmp (space + 1, "00:00:00") != 0)
            {
              g_string_append_c (out, 'T');
              g_string_append (out, space + 1);
            }
        }
      break;
    case FREEXL_CELL_NULL:
    default:
      break;
    }
  return TRUE;
}

static gboolean
select_sheet (XlsBook    *book,
              guint       index,
              guint      *n_rows,
              guint      *n_columns,
              GError    **error)
{
  unsigned int rows = 0;
  unsigned short columns = 0;

  if (freexl_select_active_worksheet (book->handle, (unsigned short) index) != FREEXL_OK ||
      freexl_worksheet_dimensions (book->handle, &rows, &columns) != FREEXL_OK)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
                   _("%s is damaged: the sheet “%s” cannot be read."),
                   book->display_name, book->names[index]);
      return FALSE;
    }
  *n_rows = rows;
  *n_columns = MIN (columns, PD_ROW_BUILDER_MAX_COLUMNS);
  return TRUE;
}

static gboolean
sheet_has_data (XlsBook   *book,
                guint      index,
                gboolean  *has_data,
                GError   **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint rows, columns;

  *has_data = FALSE;
  if (!select_sheet (book, index, &rows, &columns, error))
    return FALSE;
  for (guint r = 0; r < rows; r++)
    for (guint c = 0; c < columns; c++)
      {
        g_string_truncate (text, 0);
        if (format_cell (book->handle, r, c, text) && text->len > 0)
          {
            *has_data = TRUE;
            return TRUE;
          }
      }
  return TRUE;
}

static char **
non_empty_sheets (XlsBook       *book,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  for (guint i = 0; book->names[i] != NULL; i++)
    {
      gboolean has_data;

      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !sheet_has_data (book, i, &has_data, error))
        return NULL;
      if (has_data)
        g_strv_builder_add (names, book->names[i]);
    }
  return g_strv_builder_end (names);
}

static PdRow *
pd_xls_reader_next_row (PdReader      *reader,
                        GCancellable  *cancellable,
                        GError       **error)
{
  PdXlsReader *self = PD_XLS_READER (reader);

  while (self->next_row < self->n_rows)
    {
      guint r = self->next_row++;

      pd_row_builder_reset (self->row);
      for (guint c = 0; c < self->n_columns; c++)
        {
          g_string_truncate (self->text, 0);
          if (!format_cell (self->handle, r, c, self->text))
            {
              g_autofree char *message =
                g_strdup_printf (_("Row %u, column %u: the cell cannot be read."), r + 1, c + 1);

              pd_row_builder_set_error (self->row, message);
            }
          pd_row_builder_add (self->row, c, self->text->str, (gssize) self->text->len);
        }
      pd_reader_set_position (reader, self->next_row);
      if (!pd_row_builder_is_empty (self->row))
        return pd_row_builder_finish (self->row, r + 1);
    }
  return NULL;
}

static void
pd_xls_reader_finalize (GObject *object)
{
  PdXlsReader *self = PD_XLS_READER (object);

  if (self->handle != NULL)
    freexl_close (self->handle);
  g_clear_pointer (&self->row, pd_row_builder_free);
  g_string_free (self->text, TRUE);

  G_OBJECT_CLASS (pd_xls_reader_parent_class)->finalize (object);
}

static void
pd_xls_reader_class_init (PdXlsReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PdReaderClass *reader_class = PD_READER_CLASS (klass);

  object_class->finalize = pd_xls_reader_finalize;
  reader_class->next_row = pd_xls_reader_next_row;
}

static void
pd_xls_reader_init (PdXlsReader *self)
{
  self->row = pd_row_builder_new ();
  self->text = g_string_new (NULL);
}

PdReader *
_pd_xls_reader_new (GFile                  *file,
                    const PdReaderOptions  *options,
                    GCancellable           *cancellable,
                    GError                **error)
{
  g_autoptr(XlsBook) book = xls_book_open (file, error);
  g_autoptr(PdXlsReader) self = NULL;
  int index = -1;

  if (book == NULL)
    return NULL;

  if (options != NULL && options->sheet != NULL)
    {
      index = pd_sheet_choice_find ((const char * const *) book->names, options->sheet);
      if (index < 0)
        {
          g_propagate_error (error, pd_no_such_sheet_error (book->display_name, options->sheet,
                                                            (const char * const *) book->names));
          return NULL;
        }
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
      if (names[0] != NULL)
        index = pd_sheet_choice_find ((const char * const *) book->names, names[0]);
    }

  self = g_object_new (PD_TYPE_XLS_READER, "file", file, "format", "xls", NULL);
  if (index >= 0 && !select_sheet (book, (guint) index, &self->n_rows, &self->n_columns, error))
    return NULL;
  self->handle = g_steal_pointer (&book->handle);
  pd_reader_set_size (PD_READER (self), self->n_rows);

  return PD_READER (g_steal_pointer (&self));
}

char **
_pd_xls_list_sheets (GFile         *file,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(XlsBook) book = xls_book_open (file, error);

  if (book == NULL)
    return NULL;
  return non_empty_sheets (book, cancellable, error);
}
