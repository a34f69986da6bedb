/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <xlsxwriter.h>

#include "pd-error.h"
#include "pd-reader.h"
#include "pd-test-books.h"
#include "pd-test-zip.h"

/* Workbooks are written here with libxlsxwriter (as a POS export would
 * be), or by hand as zips of XML for what libxlsxwriter never writes
 * (cells without references, error cells, phonetic runs, 1904 dates). */

static char *tmpdir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static void
write_customers (lxw_workbook *workbook,
                 const char   *sheet_name)
{
  lxw_worksheet *ws = workbook_add_worksheet (workbook, sheet_name);
  lxw_format *iso = workbook_add_format (workbook);
  lxw_format *dmy = workbook_add_format (workbook);
  lxw_format *stamp = workbook_add_format (workbook);
  lxw_format *builtin = workbook_add_format (workbook);
  lxw_format *clock = workbook_add_format (workbook);
  lxw_format *money = workbook_add_format (workbook);
  lxw_format *bold = workbook_add_format (workbook);
  lxw_datetime d1 = { 2024, 3, 5, 0, 0, 0 };
  lxw_datetime d2 = { 1990, 2, 13, 0, 0, 0 };
  lxw_datetime d3 = { 2024, 3, 5, 13, 45, 30 };
  lxw_datetime d4 = { 2000, 1, 1, 0, 0, 0 };
  lxw_rich_string_tuple part1 = { bold, "Zo" };
  lxw_rich_string_tuple part2 = { NULL, "ë 日本" };
  lxw_rich_string_tuple *rich[] = { &part1, &part2, NULL };
  const char *headers[] = { "Name", "Phone", "Pi", "Neg", "Opt in", "Visit",
                            "Birthday", "Zip", "Stamp", NULL };

  format_set_num_format (iso, "yyyy-mm-dd");
  format_set_num_format (dmy, "d/m/yyyy");
  format_set_num_format (stamp, "yyyy-mm-dd hh:mm:ss");
  format_set_num_format_index (builtin, 14);
  format_set_num_format (clock, "hh:mm");
  format_set_num_format (money, "\"$\"#,##0.00\" days\"");
  format_set_bold (bold);

  for (int c = 0; headers[c]; c++)
    worksheet_write_string (ws, 0, c, headers[c], NULL);

  worksheet_write_string (ws, 1, 0, "Ann", NULL);
  worksheet_write_number (ws, 1, 1, 2065550199, NULL);
  worksheet_write_number (ws, 1, 2, 3.14, NULL);
  worksheet_write_number (ws, 1, 3, -42, NULL);
  worksheet_write_boolean (ws, 1, 4, 1, NULL);
  worksheet_write_datetime (ws, 1, 5, &d1, iso);
  worksheet_write_datetime (ws, 1, 6, &d2, dmy);
  worksheet_write_string (ws, 1, 7, "00123", NULL);
  worksheet_write_datetime (ws, 1, 8, &d3, stamp);

  /* Row 3 (index 2) left empty on purpose. */

  worksheet_write_rich_string (ws, 3, 0, rich, NULL);
  worksheet_write_number (ws, 3, 1, 1e15, NULL);
  worksheet_write_number (ws, 3, 2, 4111111111111111.0, NULL);
  worksheet_write_number (ws, 3, 3, -0.5, money);
  worksheet_write_boolean (ws, 3, 4, 0, NULL);
  worksheet_write_datetime (ws, 3, 5, &d4, builtin);
  worksheet_write_number (ws, 3, 6, 0.5, clock);
  worksheet_write_blank (ws, 3, 7, bold);   /* formatted but empty: trimmed */

  /* A formula's cached result, and a gap before the only cell. */
  worksheet_write_formula_num (ws, 4, 1, "=1+1", NULL, 2);
  worksheet_write_formula_str (ws, 5, 3, "=\"a\"&\"b\"", NULL, "ab");
}

static void
test_xlsx_values (void)
{
  g_autofree char *path = tmp_path ("customers.xlsx");
  lxw_workbook *workbook = workbook_new (path);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  write_customers (workbook, "Customers");
  g_assert_cmpint (workbook_close (workbook), ==, LXW_NO_ERROR);

  rows = pd_test_books_read_all (path, NULL, "xlsx", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 5);
  pd_test_books_assert_row (rows, 0, 1,
                            (const char *[]) { "Name", "Phone", "Pi", "Neg", "Opt in", "Visit",
                                               "Birthday", "Zip", "Stamp", NULL });
  pd_test_books_assert_row (rows, 1, 2,
                            (const char *[]) { "Ann", "2065550199", "3.14", "-42", "TRUE",
                                               "2024-03-05", "1990-02-13", "00123",
                                               "2024-03-05T13:45:30", NULL });
  /* Row 3 is absent: the numbers are the ones the spreadsheet shows. */
  pd_test_books_assert_row (rows, 2, 4, (const char *[]) { "Zoë 日本", "1000000000000000",
                                                           "4111111111111111", "-0.5", "FALSE",
                                                           "2000-01-01", "12:00:00", NULL });
  pd_test_books_assert_row (rows, 3, 5, (const char *[]) { "", "2", NULL });
  pd_test_books_assert_row (rows, 4, 6, (const char *[]) { "", "", "", "ab", NULL });
}

static void
test_xlsx_constant_memory (void)
{
  g_autofree char *path = tmp_path ("constant.xlsx");
  lxw_workbook_options options = { .constant_memory = LXW_TRUE, .tmpdir = tmpdir };
  lxw_workbook *workbook = workbook_new_opt (path, &options);
  lxw_worksheet *ws = workbook_add_worksheet (workbook, "Export");
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *command = NULL;

  worksheet_write_string (ws, 0, 0, "email", NULL);
  worksheet_write_string (ws, 0, 1, "phone", NULL);
  for (int r = 1; r <= 1000; r++)
    {
      g_autofree char *email = g_strdup_printf ("user%d@example.com", r);

      worksheet_write_string (ws, r, 0, email, NULL);
      worksheet_write_number (ws, r, 1, 2025550000.0 + r, NULL);
    }
  g_assert_cmpint (workbook_close (workbook), ==, LXW_NO_ERROR);

  rows = pd_test_books_read_all (path, NULL, "xlsx", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1001);
  pd_test_books_assert_row (rows, 0, 1, (const char *[]) { "email", "phone", NULL });
  pd_test_books_assert_row (rows, 1, 2,
                            (const char *[]) { "user1@example.com", "2025550001", NULL });
  pd_test_books_assert_row (rows, 1000, 1001,
                            (const char *[]) { "user1000@example.com", "2025551000", NULL });
}

static void
test_xlsx_sheets (void)
{
  g_autofree char *path = tmp_path ("two-sheets.xlsx");
  g_autofree char *empty_path = tmp_path ("empty-second.xlsx");
  lxw_workbook *workbook = workbook_new (path);
  lxw_worksheet *staff;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) empty_file = g_file_new_for_path (empty_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_auto(GStrv) names = NULL;
  PdReaderOptions options = { 0 };
  PdReader *reader;

  write_customers (workbook, "Customers");
  staff = workbook_add_worksheet (workbook, "Staff list");
  worksheet_write_string (staff, 2, 1, "Carol", NULL);
  g_assert_cmpint (workbook_close (workbook), ==, LXW_NO_ERROR);

  reader = pd_reader_open (file, NULL, NULL, &error);
  g_assert_null (reader);
  g_assert_error (error, PD_ERROR, PD_ERROR_SHEET_CHOICE);
  g_assert_nonnull (strstr (error->message, "two-sheets.xlsx"));
  g_assert_nonnull (strstr (error->message, "Customers"));
  g_assert_nonnull (strstr (error->message, "Staff list"));
  g_clear_error (&error);

  names = pd_reader_list_sheets (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpstr (names[0], ==, "Customers");
  g_assert_cmpstr (names[1], ==, "Staff list");

  options.sheet = "Staff list";
  rows = pd_test_books_read_all (path, &options, "xlsx", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  pd_test_books_assert_row (rows, 0, 3, (const char *[]) { "", "Carol", NULL });
  g_clear_pointer (&rows, g_ptr_array_unref);

  options.sheet = "Customers";
  rows = pd_test_books_read_all (path, &options, "xlsx", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 5);
  g_clear_pointer (&rows, g_ptr_array_unref);

  options.sheet = "Nope";
  rows = pd_test_books_read_all (path, &options, "xlsx", TRUE, &error);
  g_assert_null (rows);
  g_assert_error (error, PD_ERROR, PD_ERROR_NO_SUCH_SHEET);
  g_assert_nonnull (strstr (error->message, "Nope"));
  g_assert_nonnull (strstr (error->message, "Customers"));
  g_assert_nonnull (strstr (error->message, "Staff list"));
  g_clear_error (&error);

  /* An empty second sheet (even with a formatted blank cell) is no
   * choice to make. */
  workbook = workbook_new (empty_path);
  write_customers (workbook, "Customers");
  staff = workbook_add_worksheet (workbook, "Empty");
  worksheet_write_blank (staff, 4, 4, workbook_add_format (workbook));
  g_assert_cmpint (workbook_close (workbook), ==, LXW_NO_ERROR);

  rows = pd_test_books_read_all (empty_path, NULL, "xlsx", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 5);
  g_clear_pointer (&names, g_strfreev);
  names = pd_reader_list_sheets (empty_file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "Customers");
}

static const char rels_xml[] =
  "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
  "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
  "</Relationships>";

static const char workbook_rels_xml[] =
  "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
  "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"/xl/worksheets/../worksheets/data.xml\"/>"
  "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"strings.xml\"/>"
  "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
  "</Relationships>";

static const char workbook_1904_xml[] =
  "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
  "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
  "<workbookPr date1904=\"true\"/><sheets><sheet name=\"Hand made\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";

static const char strings_xml[] =
  "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"3\" uniqueCount=\"3\">"
  "<si><t>plain</t></si>"
  "<si><r><t>東京</t></r><r><t xml:space=\"preserve\"> tower</t></r><rPh sb=\"0\" eb=\"2\"><t>トウキョウ</t></rPh><phoneticPr fontId=\"1\"/></si>"
  "<si><t>line_x000D__x000A_two &amp; _x005F_x0041_</t></si>"
  "</sst>";

static const char styles_xml[] =
  "<?xml version=\"1.0\"?><styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
  "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"[$-409]d\\-mmm\\-yy;@\"/>"
  "<numFmt numFmtId=\"165\" formatCode=\"0.00&quot; days&quot;\"/></numFmts>"
  "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
  "<cellXfs count=\"4\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\" applyNumberFormat=\"1\"/>"
  "<xf numFmtId=\"165\"/><xf numFmtId=\"22\"><alignment horizontal=\"left\"/></xf></cellXfs>"
  "</styleSheet>";

static const char sheet_xml[] =
  "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
  "<dimension ref=\"A1\"/><cols><col min=\"1\" max=\"1\" width=\"9\"/></cols><sheetData>"
  /* No references at all: rows and cells follow each other. */
  "<row><c t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c><c t=\"s\"><v>2</v></c></row>"
  "<row><c s=\"1\"><v>0</v></c><c s=\"2\"><v>1.5</v></c><c s=\"3\"><v>1.25</v></c><c t=\"e\"><v>#N/A</v></c></row>"
  "<row r=\"7\" spans=\"1:3\"><c r=\"C7\" t=\"inlineStr\"><is><t>inline</t></is></c>"
  "<c r=\"A7\" t=\"b\"><v>1</v></c><c r=\"D7\" t=\"d\"><v>2023-11-02T00:00:00Z</v></c>"
  "<c r=\"E7\" t=\"str\"><f>A1</f><v>f_x0021_</v></c><c r=\"F7\"><v>2.0649999999999999</v></c>"
  "<c r=\"G7\"><v>2.065550199E9</v></c></row>"
  "<row r=\"8\"><c r=\"A8\" s=\"2\"/><c r=\"B8\" t=\"s\"/></row>"
  "<row r=\"9\"><c r=\"A9\" t=\"s\"><v>99</v></c><c r=\"B9\"><v>1</v></c></row>"
  "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:B1\"/></mergeCells></worksheet>";

static void
test_xlsx_hand_made (void)
{
  g_autofree char *path = tmp_path ("hand-made.xlsx");
  const PdTestZipEntry entries[] = {
    { "_rels/.rels", rels_xml },
    { "xl/workbook.xml", workbook_1904_xml },
    { "xl/_rels/workbook.xml.rels", workbook_rels_xml },
    { "xl/strings.xml", strings_xml },
    { "xl/styles.xml", styles_xml },
    { "xl/worksheets/data.xml", sheet_xml },
  };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  PdRow *row;

  pd_test_write_zip (path, entries, G_N_ELEMENTS (entries));
  rows = pd_test_books_read_all (path, NULL, "xlsx", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 4);
  pd_test_books_assert_row (rows, 0, 1,
                            (const char *[]) { "plain", "東京 tower", "line\r\ntwo & _x0041_", NULL });
  /* 1904 system: serial 0 is 1904-01-01; 1.25 with format 22 has a time. */
  pd_test_books_assert_row (rows, 1, 2,
                            (const char *[]) { "1904-01-01", "1.5", "1904-01-02T06:00:00", "#N/A", NULL });
  pd_test_books_assert_row (rows, 2, 7,
                            (const char *[]) { "TRUE", "", "inline", "2023-11-02", "f!", "2.065",
                                               "2065550199", NULL });
  /* A missing shared string is that row's error, not the file's. */
  row = g_ptr_array_index (rows, 3);
  g_assert_cmpuint (row->number, ==, 9);
  g_assert_cmpstr (pd_row_get_cell (row, 1), ==, "1");
  g_assert_nonnull (row->error);
}

static void
test_xlsx_corpus_1904 (void)
{
  const char *shared = g_getenv ("PD_SHARED_DIR");
  const char *names[] = { "1900.xlsx", "1904.xlsx" };

  if (shared == NULL || !g_file_test (shared, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("PD_SHARED_DIR is not set or missing: no sheetjs 1904 files");
      return;
    }

  /* Column B holds serial dates, column C Excel's TEXT(B, "YYYY-MM-DD")
   * of them: the two must agree in both date systems. */
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (shared, "corpora", "sheetjs-xlsx", "1904",
                                                names[i], NULL);
      g_autoptr(GPtrArray) rows = NULL;
      g_autoptr(GError) error = NULL;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_test_skip ("sheetjs 1904 files missing");
          return;
        }
      rows = pd_test_books_read_all (path, NULL, "xlsx", TRUE, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (rows->len, >=, 5);
      for (guint r = 0; r < rows->len; r++)
        {
          PdRow *row = g_ptr_array_index (rows, r);

          g_assert_cmpstr (pd_row_get_cell (row, 1), ==, pd_row_get_cell (row, 2));
          g_assert_cmpuint (strlen (pd_row_get_cell (row, 1)), ==, 10);
        }
    }
}

static void
test_xlsx_refused (void)
{
  g_autofree char *text_path = tmp_path ("not-a-zip.xlsx");
  g_autofree char *good_path = tmp_path ("good.xlsx");
  g_autofree char *cut_path = tmp_path ("cut.xlsx");
  g_autofree char *bomb_path = tmp_path ("bomb.xlsx");
  g_autofree char *entity_path = tmp_path ("entities.xlsx");
  g_autofree char *empty_path = tmp_path ("empty.xlsx");
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  lxw_workbook *workbook;
  gsize len;
  const PdTestZipEntry bomb[] = {
    { "_rels/.rels", rels_xml },
    { "xl/workbook.xml", workbook_1904_xml },
    { "xl/_rels/workbook.xml.rels", workbook_rels_xml },
    { "xl/worksheets/data.xml", "<worksheet><sheetData/>                        ", 2000000 },
  };
  const PdTestZipEntry entities[] = {
    { "_rels/.rels", rels_xml },
    { "xl/workbook.xml", workbook_1904_xml },
    { "xl/_rels/workbook.xml.rels", workbook_rels_xml },
    { "xl/worksheets/data.xml",
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
      "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
      "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol2;</t></is></c>"
      "</row></sheetData></worksheet>" },
  };
  const PdTestZipEntry nothing[] = { { "readme.txt", "hello" } };

  g_assert_true (g_file_set_contents (text_path, "name,phone\nAnn,1\n", -1, NULL));
  rows = pd_test_books_read_all (text_path, NULL, "xlsx", TRUE, &error);
  g_assert_null (rows);
  g_assert_error (error, PD_ERROR, PD_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "not-a-zip.xlsx"));
  g_assert_nonnull (strstr (error->message, "zip"));
  g_clear_error (&error);

  /* Cut in half: the zip directory is gone. */
  workbook = workbook_new (good_path);
  write_customers (workbook, "Customers");
  g_assert_cmpint (workbook_close (workbook), ==, LXW_NO_ERROR);
  g_assert_true (g_file_get_contents (good_path, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (cut_path, contents, (gssize) len / 2, NULL));
  rows = pd_test_books_read_all (cut_path, NULL, "xlsx", TRUE, &error);
  g_assert_null (rows);
  g_assert_error (error, PD_ERROR, PD_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "cut.xlsx"));
  g_clear_error (&error);

  /* 94 MB of spaces pack to a few hundred kB: over the ratio cap. */
  pd_test_write_zip (bomb_path, bomb, G_N_ELEMENTS (bomb));
  rows = pd_test_books_read_all (bomb_path, NULL, "xlsx", TRUE, &error);
  g_assert_null (rows);
  g_assert_error (error, PD_ERROR, PD_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "bomb.xlsx"));
  g_assert_nonnull (strstr (error->message, "zip bomb"));
  g_clear_error (&error);

  pd_test_write_zip (entity_path, entities, G_N_ELEMENTS (entities));
  rows = pd_test_books_read_all (entity_path, NULL, "xlsx", TRUE, &error);
  g_assert_null (rows);
  g_assert_error (error, PD_ERROR, PD_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "entities.xlsx"));
  g_clear_error (&error);

  pd_test_write_zip (empty_path, nothing, G_N_ELEMENTS (nothing));
  rows = pd_test_books_read_all (empty_path, NULL, "xlsx", TRUE, &error);
  g_assert_null (rows);
  g_assert_error (error, PD_ERROR, PD_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "empty.xlsx"));
  g_clear_error (&error);
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  tmpdir = pd_test_books_make_dir ("pd-xlsx-XXXXXX");

  g_test_add_func ("/xlsx/values", test_xlsx_values);
  g_test_add_func ("/xlsx/constant-memory", test_xlsx_constant_memory);
  g_test_add_func ("/xlsx/sheets", test_xlsx_sheets);
  g_test_add_func ("/xlsx/hand-made", test_xlsx_hand_made);
  g_test_add_func ("/xlsx/corpus-1904", test_xlsx_corpus_1904);
  g_test_add_func ("/xlsx/refused", test_xlsx_refused);
  result = g_test_run ();

  pd_test_books_remove_dir (tmpdir);
  g_free (tmpdir);
  return result;
}
