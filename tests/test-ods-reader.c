/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "pd-error.h"
#include "pd-reader.h"
#include "pd-test-books.h"
#include "pd-test-zip.h"

/* .ods files are written here as LibreOffice writes them: a zip with an
 * uncompressed "mimetype" first, then content.xml with repeated rows and
 * cells, typed values, rich paragraphs, and the giant empty repeats that
 * close every LibreOffice sheet. */

static char *tmpdir;

#define CONTENT_HEAD \
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" \
  "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" " \
  "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" " \
  "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" " \
  "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" " \
  "xmlns:calcext=\"urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0\" " \
  "office:version=\"1.3\"><office:automatic-styles><style foo=\"1\"/></office:automatic-styles>" \
  "<office:body><office:spreadsheet>"
#define CONTENT_TAIL "</office:spreadsheet></office:body></office:document-content>"

/* What LibreOffice appends to every sheet. */
#define GIANT_TAIL \
  "<table:table-row table:number-rows-repeated=\"1048559\">" \
  "<table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>"

static const char customers_table[] =
  "<table:table table:name=\"Customers\" table:style-name=\"ta1\">"
  "<table:table-column table:number-columns-repeated=\"9\"/>"
  "<table:table-header-rows><table:table-row>"
  "<table:table-cell office:value-type=\"string\" calcext:value-type=\"string\"><text:p>Name</text:p></table:table-cell>"
  "<table:table-cell office:value-type=\"string\"><text:p>Phone</text:p></table:table-cell>"
  "<table:table-cell office:value-type=\"string\"><text:p>Score</text:p></table:table-cell>"
  "<table:table-cell office:value-type=\"string\"><text:p>Joined</text:p></table:table-cell>"
  "<table:table-cell office:value-type=\"string\"><text:p>Member</text:p></table:table-cell>"
  "<table:table-cell office:value-type=\"string\"><text:p>Opens</text:p></table:table-cell>"
  "<table:table-cell office:value-type=\"string\"><text:p>Notes</text:p></table:table-cell>"
  "<table:table-cell office:value-type=\"string\"><text:p>Rate</text:p></table:table-cell>"
  "<table:table-cell office:value-type=\"string\"><text:p>Cost</text:p></table:table-cell>"
  "<table:table-cell table:number-columns-repeated=\"16375\"/>"
  "</table:table-row></table:table-header-rows>"
  /* Row 2: every value type. */
  "<table:table-row table:style-name=\"ro1\">"
  "<table:table-cell office:value-type=\"string\"><text:p>Ann<text:s/>Lee</text:p>"
  "<office:annotation><dc:creator>boss</dc:creator><text:p>a comment</text:p></office:annotation></table:table-cell>"
  "<table:table-cell office:value-type=\"float\" office:value=\"2065550199\" calcext:value-type=\"float\"><text:p>2065550199</text:p></table:table-cell>"
  "<table:table-cell office:value-type=\"float\" office:value=\"3.14\"><text:p>3,14</text:p></table:table-cell>"
  "<table:table-cell office:value-type=\"date\" office:date-value=\"2024-03-05\"><text:p>05/03/24</text:p></table:table-cell>"
  "<table:table-cell office:value-type=\"boolean\" office:boolean-value=\"true\"><text:p>VRAI</text:p></table:table-cell>"
  "<table:table-cell office:value-type=\"time\" office:time-value=\"PT13H45M00S\"><text:p>01:45 PM</text:p></table:table-cell>"
  "<table:table-cell office:value-type=\"string\"><text:p>line <text:span text:style-name=\"T1\">one</text:span></text:p>"
  "<text:p><text:s text:c=\"2\"/>two<text:tab/>tab<text:line-break/>three   spaced</text:p></table:table-cell>"
  "<table:table-cell office:value-type=\"percentage\" office:value=\"0.25\"><text:p>25%</text:p></table:table-cell>"
  "<table:table-cell office:value-type=\"currency\" office:currency=\"USD\" office:value=\"-12.5\"><text:p>-$12.50</text:p></table:table-cell>"
  "<table:table-cell table:number-columns-repeated=\"16375\"/>"
  "</table:table-row>"
  /* Rows 3-5: empty, repeated. */
  "<table:table-row table:number-rows-repeated=\"3\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>"
  "<table:table-row-group>"
  /* Row 6: a repeated value, a gap of repeated empty cells, a value. */
  "<table:table-row><table:table-cell table:number-columns-repeated=\"2\" office:value-type=\"string\"><text:p>x</text:p></table:table-cell>"
  "<table:table-cell table:number-columns-repeated=\"3\"/>"
  "<table:table-cell office:value-type=\"string\"><text:p>end</text:p></table:table-cell></table:table-row>"
  /* Rows 7-8: one row with content, repeated. */
  "<table:table-row table:number-rows-repeated=\"2\"><table:table-cell office:value-type=\"string\"><text:p>dup</text:p></table:table-cell>"
  "<table:table-cell table:number-columns-repeated=\"1023\"/></table:table-row>"
  "</table:table-row-group>"
  /* Row 9: merged cells, an error, a date-time, leading zeros. */
  "<table:table-row><table:table-cell table:number-columns-spanned=\"2\" office:value-type=\"string\"><text:p>merged</text:p></table:table-cell>"
  "<table:covered-table-cell office:value-type=\"string\"><text:p>hidden</text:p></table:covered-table-cell>"
  "<table:table-cell table:formula=\"of:=NA()\" office:value-type=\"float\" office:value=\"0\" calcext:value-type=\"error\"><text:p>#N/A</text:p></table:table-cell>"
  "<table:table-cell office:value-type=\"date\" office:date-value=\"2024-03-05T13:45:30.25\"><text:p>x</text:p></table:table-cell>"
  "<table:table-cell office:value-type=\"string\"><text:p>00123</text:p></table:table-cell>"
  "<table:table-cell><text:p>untyped</text:p></table:table-cell>"
  "<table:table-cell office:value-type=\"float\" office:value=\"1E+15\"><text:p>1E+15</text:p></table:table-cell>"
  "</table:table-row>"
  /* A million empty rows, then one more value: counted, not looped. */
  "<table:table-row table:number-rows-repeated=\"1000000\"><table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>"
  "<table:table-row><table:table-cell table:number-columns-repeated=\"16383\"/>"
  "<table:table-cell office:value-type=\"float\" office:value=\"7\"><text:p>7</text:p></table:table-cell></table:table-row>"
  GIANT_TAIL
  "</table:table>";

static const char staff_table[] =
  "<table:table table:name=\"Staff\"><table:table-column/>"
  "<table:table-row><table:table-cell/><table:table-cell office:value-type=\"string\"><text:p>Carol</text:p></table:table-cell></table:table-row>"
  GIANT_TAIL
  "</table:table>";

static const char empty_table[] =
  "<table:table table:name=\"Empty\"><table:table-column table:number-columns-repeated=\"1024\"/>"
  "<table:table-row table:number-rows-repeated=\"3\"><table:table-cell table:number-columns-repeated=\"5\" table:style-name=\"ce1\"/></table:table-row>"
  "<table:table-row><table:table-cell office:value-type=\"string\"><text:p/></table:table-cell></table:table-row>"
  GIANT_TAIL
  "</table:table><table:table table:name=\"Bare\"/>";

static char *
write_ods (const char *name,
           const char *mimetype,
           const char *tables)
{
  char *path = g_build_filename (tmpdir, name, NULL);
  g_autofree char *content = g_strconcat (CONTENT_HEAD, tables, CONTENT_TAIL, NULL);
  const PdTestZipEntry entries[] = {
    { "mimetype", mimetype, 0, TRUE },
    { "content.xml", content },
    { "META-INF/manifest.xml",
      "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">"
      "<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>"
      "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>"
      "</manifest:manifest>" },
  };

  pd_test_write_zip (path, entries, G_N_ELEMENTS (entries));
  return path;
}

static void
test_ods_values (void)
{
  g_autofree char *path = write_ods ("customers.ods", "application/vnd.oasis.opendocument.spreadsheet",
                                     customers_table);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  PdRow *last;

  rows = pd_test_books_read_all (path, NULL, "ods", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 7);
  pd_test_books_assert_cells (rows, 0, 1,
                              (const char *[]) { "Name", "Phone", "Score", "Joined", "Member",
                                                 "Opens", "Notes", "Rate", "Cost", NULL });
  pd_test_books_assert_cells (rows, 1, 2,
                              (const char *[]) { "Ann Lee", "2065550199", "3.14", "2024-03-05", "TRUE",
                                                 "13:45:00", "line one\n  two\ttab\nthree spaced",
                                                 "0.25", "-12.5", NULL });
  pd_test_books_assert_cells (rows, 2, 6, (const char *[]) { "x", "x", "", "", "", "end", NULL });
  pd_test_books_assert_cells (rows, 3, 7, (const char *[]) { "dup", NULL });
  pd_test_books_assert_cells (rows, 4, 8, (const char *[]) { "dup", NULL });
  pd_test_books_assert_cells (rows, 5, 9,
                              (const char *[]) { "merged", "hidden", "#N/A", "2024-03-05T13:45:30",
                                                 "00123", "untyped", "1000000000000000", NULL });
  last = g_ptr_array_index (rows, 6);
  g_assert_cmpuint (last->number, ==, 1000010);
  g_assert_cmpuint (last->n_cells, ==, 16384);
  g_assert_cmpstr (pd_row_get_cell (last, 16383), ==, "7");
  g_assert_cmpstr (pd_row_get_cell (last, 0), ==, "");
}

static void
test_ods_sheets (void)
{
  g_autofree char *tables = g_strconcat (customers_table, empty_table, staff_table, NULL);
  g_autofree char *path = write_ods ("two.ods", "application/vnd.oasis.opendocument.spreadsheet", tables);
  g_autofree char *one_tables = g_strconcat (empty_table, staff_table, NULL);
  g_autofree char *one_path = write_ods ("one.ods", "application/vnd.oasis.opendocument.spreadsheet",
                                         one_tables);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) one_file = g_file_new_for_path (one_path);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  PdReaderOptions options = { 0 };

  rows = pd_test_books_read_all (path, NULL, "ods", FALSE, &error);
  g_assert_null (rows);
  g_assert_error (error, PD_ERROR, PD_ERROR_SHEET_CHOICE);
  g_assert_nonnull (strstr (error->message, "two.ods"));
  g_assert_nonnull (strstr (error->message, "Customers"));
  g_assert_nonnull (strstr (error->message, "Staff"));
  g_assert_null (strstr (error->message, "Empty"));
  g_clear_error (&error);

  names = pd_reader_list_sheets (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpstr (names[0], ==, "Customers");
  g_assert_cmpstr (names[1], ==, "Staff");

  options.sheet = "Staff";
  rows = pd_test_books_read_all (path, &options, "ods", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  pd_test_books_assert_cells (rows, 0, 1, (const char *[]) { "", "Carol", NULL });
  g_clear_pointer (&rows, g_ptr_array_unref);

  options.sheet = "Empty";
  rows = pd_test_books_read_all (path, &options, "ods", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  options.sheet = "customers";  /* case does not matter when unambiguous */
  rows = pd_test_books_read_all (path, &options, "ods", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 7);
  g_clear_pointer (&rows, g_ptr_array_unref);

  options.sheet = "Nope";
  rows = pd_test_books_read_all (path, &options, "ods", FALSE, &error);
  g_assert_null (rows);
  g_assert_error (error, PD_ERROR, PD_ERROR_NO_SUCH_SHEET);
  g_assert_nonnull (strstr (error->message, "Nope"));
  g_assert_nonnull (strstr (error->message, "Staff"));
  g_clear_error (&error);

  /* Empty tables before the one with data are no choice to make. */
  rows = pd_test_books_read_all (one_path, NULL, "ods", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  pd_test_books_assert_cells (rows, 0, 1, (const char *[]) { "", "Carol", NULL });
  g_clear_pointer (&names, g_strfreev);
  names = pd_reader_list_sheets (one_file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "Staff");
}

static void
test_ods_refused (void)
{
  g_autofree char *text_path = g_build_filename (tmpdir, "text.ods", NULL);
  g_autofree char *odt_path = write_ods ("letter.ods", "application/vnd.oasis.opendocument.text",
                                         staff_table);
  g_autofree char *broken_path = write_ods ("broken.ods", "application/vnd.oasis.opendocument.spreadsheet",
                                            "<table:table table:name=\"A\"><table:table-row>");
  g_autofree char *xlsx_path = g_build_filename (tmpdir, "excel.ods", NULL);
  const PdTestZipEntry xlsx[] = { { "xl/workbook.xml", "<workbook/>" } };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (text_path, "name;phone\n", -1, NULL));
  rows = pd_test_books_read_all (text_path, NULL, "ods", FALSE, &error);
  g_assert_error (error, PD_ERROR, PD_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "text.ods"));
  g_clear_error (&error);

  rows = pd_test_books_read_all (odt_path, NULL, "ods", FALSE, &error);
  g_assert_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT);
  g_assert_nonnull (strstr (error->message, "letter.ods"));
  g_clear_error (&error);

  rows = pd_test_books_read_all (broken_path, NULL, "ods", FALSE, &error);
  g_assert_error (error, PD_ERROR, PD_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "broken.ods"));
  g_clear_error (&error);

  pd_test_write_zip (xlsx_path, xlsx, G_N_ELEMENTS (xlsx));
  rows = pd_test_books_read_all (xlsx_path, NULL, "ods", FALSE, &error);
  g_assert_error (error, PD_ERROR, PD_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, ".xlsx"));
  g_clear_error (&error);
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  tmpdir = pd_test_books_make_dir ("pd-ods-XXXXXX");

  g_test_add_func ("/ods/values", test_ods_values);
  g_test_add_func ("/ods/sheets", test_ods_sheets);
  g_test_add_func ("/ods/refused", test_ods_refused);
  result = g_test_run ();

  pd_test_books_remove_dir (tmpdir);
  g_free (tmpdir);
  return result;
}
