/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "pd-error.h"
#include "pd-reader.h"

/* The SheetJS test workbooks (../shared/corpora/sheetjs-xlsx, written by
 * Excel, LibreOffice, WPS, Google Sheets...): every one must be read to
 * the end, sheet by sheet, or refused with a message; none may crash or
 * leak (this runs under AddressSanitizer in `make test-asan`).
 *
 * Where the corpus has Excel's own CSV of a sheet, the cells are compared
 * too.  Excel's CSV holds the *formatted* text, so only sheets whose cells
 * are text, integers, booleans and error codes can be compared cell for
 * cell; these are:
 *   - ErrorTypes.xlsx (ErrorTypes.csv): error cells, integers, booleans,
 *     formulas' cached values;
 *   - crlf/crlf.xlsx (crlf.csv): text with LF and CRLF inside cells;
 *   - sushi.xlsx (sushi.xlsx.0.csv): an emoji outside the BMP;
 *   - AutoFilter.xlsx, sheets 0-10 (AutoFilter.xlsx.xls.N.csv): text and
 *     integers on eleven sheets, each chosen by name;
 *   - Attendance.xlsx (Attendance.csv): booleans, multi-line headers and
 *     dates.
 * Dates are the one presentation difference allowed: Excel's CSV shows
 * them as formatted ("10/1", "10/11/14"), a reader gives ISO 8601
 * ("2013-10-01"); same_date() checks they are the same day.
 * Not compared: number_format_entities.csv, whose cells are numbers shown
 * through custom formats ("12345.679 >" for 12345.6789), which a reader
 * deliberately does not apply: it hands on values, not their display. */

typedef struct {
  guint read;
  guint refused;
  guint sheets;
  guint rows;
  GString *report;
} Tally;

static char *
corpus_dir (void)
{
  const char *shared = g_getenv ("PD_SHARED_DIR");
  g_autofree char *dir = NULL;

  if (shared == NULL)
    return NULL;
  dir = g_build_filename (shared, "corpora", "sheetjs-xlsx", NULL);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    return NULL;
  return g_steal_pointer (&dir);
}

static void
find_workbooks (const char *dir,
                GPtrArray  *out)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        find_workbooks (path, out);
      else if (g_str_has_suffix (name, ".xlsx") || g_str_has_suffix (name, ".xls") ||
               g_str_has_suffix (name, ".ods"))
        g_ptr_array_add (out, g_steal_pointer (&path));
    }
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Reads a sheet to the end; returns the rows (NULL with @error set). */
static GPtrArray *
read_sheet (GFile       *file,
            const char  *sheet,
            GError     **error)
{
  PdReaderOptions options = { .sheet = sheet };
  g_autoptr(PdReader) reader = pd_reader_open (file, sheet ? &options : NULL, NULL, error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_row_free);
  guint last = 0;
  PdRow *row;

  if (reader == NULL)
    return NULL;
  while ((row = pd_reader_next_row (reader, NULL, error)) != NULL)
    {
      /* Rows come in the order and with the numbers the sheet shows. */
      g_assert_cmpuint (row->number, >, last);
      last = row->number;
      g_assert_false (pd_row_is_blank (row) && row->n_cells == 0);
      for (guint i = 0; i < row->n_cells; i++)
        g_assert_true (g_utf8_validate (row->cells[i], -1, NULL));
      g_assert_cmpuint (pd_reader_get_position (reader), <=, pd_reader_get_size (reader));
      g_ptr_array_add (rows, row);
    }
  if (*error != NULL)
    return NULL;
  return g_steal_pointer (&rows);
}

static void
check_refusal (const char *path,
               GError     *error,
               Tally      *tally)
{
  g_autofree char *base = g_path_get_basename (path);

  g_assert_nonnull (error);
  g_assert_true (error->domain == PD_ERROR);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 0);
  g_assert_nonnull (strstr (error->message, base));
  tally->refused++;
  g_string_append_printf (tally->report, "refused %s: %s\n", path, error->message);
}

static void
test_sheetjs_corpus (void)
{
  g_autofree char *dir = corpus_dir ();
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  Tally tally = { 0, 0, 0, 0, g_string_new (NULL) };

  if (dir == NULL)
    {
      g_test_skip ("PD_SHARED_DIR/corpora/sheetjs-xlsx is missing");
      g_string_free (tally.report, TRUE);
      return;
    }
  find_workbooks (dir, paths);
  g_ptr_array_sort (paths, compare_paths);
  g_assert_cmpuint (paths->len, >, 0);

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) sheets = pd_reader_list_sheets (file, NULL, &error);
      g_autoptr(GPtrArray) rows = NULL;

      if (sheets == NULL)
        {
          check_refusal (path, error, &tally);
          continue;
        }

      /* Without a choice: read, or refused because of several sheets. */
      rows = read_sheet (file, NULL, &error);
      if (g_strv_length (sheets) > 1)
        {
          g_assert_error (error, PD_ERROR, PD_ERROR_SHEET_CHOICE);
          for (guint s = 0; sheets[s]; s++)
            g_assert_nonnull (strstr (error->message, sheets[s]));
          g_clear_error (&error);
        }
      else if (rows == NULL)
        {
          check_refusal (path, error, &tally);
          continue;
        }
      g_clear_pointer (&rows, g_ptr_array_unref);

      /* Every sheet with data, chosen by name. */
      for (guint s = 0; sheets[s]; s++)
        {
          rows = read_sheet (file, sheets[s], &error);
          g_assert_no_error (error);
          g_assert_cmpuint (rows->len, >, 0);
          tally.sheets++;
          tally.rows += rows->len;
          g_clear_pointer (&rows, g_ptr_array_unref);
        }
      tally.read++;
      g_string_append_printf (tally.report, "read %s: %u sheet(s)\n", path, g_strv_length (sheets));
    }

  g_test_message ("sheetjs corpus: %u workbooks read (%u sheets, %u rows), %u refused\n%s",
                  tally.read, tally.sheets, tally.rows, tally.refused, tally.report->str);
  g_assert_cmpuint (tally.read + tally.refused, ==, paths->len);
  g_string_free (tally.report, TRUE);
}

/* A small RFC 4180 parser for Excel's CSVs: quotes, "" escapes, and CR,
 * LF or CRLF record ends; a UTF-8 BOM is dropped. */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) field = g_string_new (NULL);
  gboolean quoted = FALSE, at_start = TRUE;
  const char *p = text;

  if (g_str_has_prefix (p, "\xef\xbb\xbf"))
    p += 3;

  for (; *p; p++)
    {
      if (quoted)
        {
          if (*p == '"' && p[1] == '"')
            {
              g_string_append_c (field, '"');
              p++;
            }
          else if (*p == '"')
            quoted = FALSE;
          else
            g_string_append_c (field, *p);
          continue;
        }
      if (*p == '"' && field->len == 0)
        {
          quoted = TRUE;
          at_start = FALSE;
        }
      else if (*p == ',')
        {
          g_ptr_array_add (fields, g_strdup (field->str));
          g_string_truncate (field, 0);
          at_start = FALSE;
        }
      else if (*p == '\r' || *p == '\n')
        {
          if (*p == '\r' && p[1] == '\n')
            p++;
          g_ptr_array_add (fields, g_strdup (field->str));
          g_string_truncate (field, 0);
          g_ptr_array_add (fields, NULL);
          g_ptr_array_add (records, g_ptr_array_steal (fields, NULL));
          at_start = TRUE;
        }
      else
        {
          g_string_append_c (field, *p);
          at_start = FALSE;
        }
    }
  if (!at_start || field->len > 0)
    {
      g_ptr_array_add (fields, g_strdup (field->str));
      g_ptr_array_add (fields, NULL);
      g_ptr_array_add (records, g_ptr_array_steal (fields, NULL));
    }
  return records;
}

/* Excel's CSV shows dates as the cell's format says ("10/11/14", "10/1"),
 * a reader gives ISO 8601 ("2014-10-11"): the same date if month, day
 * and (when shown) the year's last two digits agree. */
static gboolean
same_date (const char *iso,
           const char *shown)
{
  int year, month, day, m = 0, d = 0, y = -1, n = 0;

  if (sscanf (iso, "%4d-%2d-%2d%n", &year, &month, &day, &n) != 3 || iso[n] != '\0')
    return FALSE;
  n = 0;
  if (sscanf (shown, "%d/%d%n", &m, &d, &n) != 2)
    return FALSE;
  if (shown[n] == '/' && sscanf (shown + n + 1, "%d", &y) != 1)
    return FALSE;
  return m == month && d == day && (y < 0 || y == year % 100 || y == year);
}

static void
compare_with_csv (const char *dir,
                  const char *workbook,
                  const char *sheet_name,
                  guint       sheet_index,
                  const char *csv,
                  guint       row_offset)
{
  g_autofree char *path = g_build_filename (dir, workbook, NULL);
  g_autofree char *csv_path = g_build_filename (dir, csv, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) sheets = NULL;
  const char *sheet = sheet_name;
  guint next = 0, compared = 0;

  if (!g_file_test (path, G_FILE_TEST_EXISTS) || !g_file_test (csv_path, G_FILE_TEST_EXISTS))
    {
      g_test_message ("%s or %s missing: not compared", workbook, csv);
      return;
    }
  if (sheet == NULL)
    {
      sheets = pd_reader_list_sheets (file, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (sheet_index, <, g_strv_length (sheets));
      sheet = sheets[sheet_index];
    }
  rows = read_sheet (file, sheet, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &text, NULL, NULL));
  records = parse_csv (text);

  for (guint r = 0; r < records->len; r++)
    {
      char **fields = g_ptr_array_index (records, r);
      gboolean blank = TRUE;
      PdRow *row = NULL;

      for (guint c = 0; fields[c]; c++)
        blank = blank && fields[c][0] == '\0';
      if (next < rows->len &&
          ((PdRow *) g_ptr_array_index (rows, next))->number == r + 1 + row_offset)
        row = g_ptr_array_index (rows, next++);

      /* A blank CSV line is a row the reader does not hand on. */
      if (row == NULL)
        {
          if (!blank)
            g_error ("%s: CSV line %u has data, the reader has no row %u",
                     workbook, r + 1, r + 1 + row_offset);
          continue;
        }
      for (guint c = 0; fields[c]; c++)
        {
          if (g_strcmp0 (pd_row_get_cell (row, c), fields[c]) != 0 &&
              !same_date (pd_row_get_cell (row, c), fields[c]))
            g_error ("%s, sheet %s, row %u, column %u: read “%s”, Excel's CSV has “%s”",
                     workbook, sheet, r + 1 + row_offset, c + 1, pd_row_get_cell (row, c), fields[c]);
          compared++;
        }
      /* Nothing beyond what the CSV has. */
      for (guint c = g_strv_length (fields); c < row->n_cells; c++)
        g_assert_cmpstr (pd_row_get_cell (row, c), ==, "");
    }
  g_assert_cmpuint (next, ==, rows->len);
  g_assert_cmpuint (compared, >, 0);
}

static void
test_sheetjs_csv (void)
{
  g_autofree char *dir = corpus_dir ();

  if (dir == NULL)
    {
      g_test_skip ("PD_SHARED_DIR/corpora/sheetjs-xlsx is missing");
      return;
    }

  compare_with_csv (dir, "ErrorTypes.xlsx", NULL, 0, "ErrorTypes.csv", 0);
  compare_with_csv (dir, "crlf/crlf.xlsx", NULL, 0, "crlf/crlf.csv", 0);
  compare_with_csv (dir, "sushi.xlsx", NULL, 0, "sushi.xlsx.0.csv", 0);
  /* Its sheet starts with an empty row 1 that the CSV leaves out. */
  compare_with_csv (dir, "Attendance.xlsx", NULL, 0, "Attendance.csv", 1);
  for (guint s = 0; s <= 10; s++)
    {
      g_autofree char *csv = g_strdup_printf ("AutoFilter.xlsx.xls.%u.csv", s);

      compare_with_csv (dir, "AutoFilter.xlsx", NULL, s, csv, 0);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sheetjs/corpus", test_sheetjs_corpus);
  g_test_add_func ("/sheetjs/csv", test_sheetjs_csv);
  return g_test_run ();
}
