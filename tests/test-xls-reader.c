/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "pd-error.h"
#include "pd-reader.h"
#include "pd-test-books.h"

/* .xls files are made here by Perl's Spreadsheet::WriteExcel (Debian
 * package libspreadsheet-writeexcel-perl, listed in the Makefile's
 * DEBIAN_PACKAGES), which writes real BIFF8 as Excel 97-2003 did. */

static char *tmpdir;

static const char generator[] =
  "use strict; use utf8; use Spreadsheet::WriteExcel;\n"
  "my ($path, $kind) = @ARGV;\n"
  "my $wb = Spreadsheet::WriteExcel->new($path) or die \"cannot write $path\";\n"
  "$wb->set_1904() if $kind eq '1904';\n"
  "my $ws = $wb->add_worksheet('Customers');\n"
  "my $iso = $wb->add_format(num_format => 'yyyy-mm-dd');\n"
  "my $dmy = $wb->add_format(num_format => 'd/m/yyyy');\n"
  "my $stamp = $wb->add_format(num_format => 'yyyy-mm-dd hh:mm:ss');\n"
  "my $days = $wb->add_format(num_format => '0.00\" days\"');\n"
  "$ws->write_string(0, $_, (qw(Name Phone Pi Neg Visit Birthday Zip Stamp Big))[$_]) for 0..8;\n"
  "$ws->write_string(1, 0, 'Zoë Ann');\n"
  "$ws->write_number(1, 1, 2065550199);\n"
  "$ws->write_number(1, 2, 3.14);\n"
  "$ws->write_number(1, 3, -42);\n"
  "$ws->write_date_time(1, 4, '2024-03-05T', $iso);\n"
  "$ws->write_date_time(1, 5, '1990-02-13T', $dmy);\n"
  "$ws->write_string(1, 6, '00123');\n"
  "$ws->write_date_time(1, 7, '2024-03-05T13:45:30', $stamp);\n"
  "$ws->write_number(1, 8, 4111111111111111);\n"
  /* Row 3 empty; row 4 with a gap and a plain format with "d" in quotes. */
  "$ws->write_number(3, 2, 2.5, $days);\n"
  "$ws->write_string(3, 4, 'tail');\n"
  "if ($kind eq 'two') { my $s = $wb->add_worksheet('Staff list'); $s->write_string(2, 1, 'Carol'); }\n"
  "if ($kind eq 'empty') { my $s = $wb->add_worksheet('Empty'); $s->write_blank(4, 4, $iso); }\n"
  "$wb->close() or die 'close';\n";

static gboolean
have_generator (void)
{
  g_autofree char *perl = g_find_program_in_path ("perl");
  int status = -1;

  if (perl == NULL)
    return FALSE;
  if (!g_spawn_sync (NULL, (char *[]) { perl, "-MSpreadsheet::WriteExcel", "-e", "1", NULL },
                     NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

static char *
make_xls (const char *name,
          const char *kind)
{
  g_autofree char *perl = g_find_program_in_path ("perl");
  char *path = g_build_filename (tmpdir, name, NULL);
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char *[]) { perl, "-e", (char *) generator, path, (char *) kind, NULL },
                               NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("the .xls generator failed: %s", err);
  return path;
}

static void
check_customers (GPtrArray *rows)
{
  g_assert_cmpuint (rows->len, ==, 3);
  pd_test_books_assert_row (rows, 0, 1,
                            (const char *[]) { "Name", "Phone", "Pi", "Neg", "Visit", "Birthday",
                                               "Zip", "Stamp", "Big", NULL });
  pd_test_books_assert_row (rows, 1, 2,
                            (const char *[]) { "Zoë Ann", "2065550199", "3.14", "-42", "2024-03-05",
                                               "1990-02-13", "00123", "2024-03-05T13:45:30",
                                               "4111111111111111", NULL });
  pd_test_books_assert_row (rows, 2, 4, (const char *[]) { "", "", "2.5", "", "tail", NULL });
}

static void
test_xls_values (void)
{
  g_autofree char *path = NULL;
  g_autofree char *path1904 = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_generator ())
    {
      g_test_skip ("perl with Spreadsheet::WriteExcel (libspreadsheet-writeexcel-perl) "
                   "is not installed: no .xls files to read");
      return;
    }

  path = make_xls ("customers.xls", "one");
  rows = pd_test_books_read_all (path, NULL, "xls", FALSE, &error);
  g_assert_no_error (error);
  check_customers (rows);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* The same dates in the 1904 date system. */
  path1904 = make_xls ("customers-1904.xls", "1904");
  rows = pd_test_books_read_all (path1904, NULL, "xls", FALSE, &error);
  g_assert_no_error (error);
  check_customers (rows);
}

static void
test_xls_sheets (void)
{
  g_autofree char *path = NULL;
  g_autofree char *empty_path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) empty_file = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  PdReaderOptions options = { 0 };

  if (!have_generator ())
    {
      g_test_skip ("perl with Spreadsheet::WriteExcel is not installed");
      return;
    }

  path = make_xls ("two.xls", "two");
  file = g_file_new_for_path (path);
  rows = pd_test_books_read_all (path, NULL, "xls", FALSE, &error);
  g_assert_null (rows);
  g_assert_error (error, PD_ERROR, PD_ERROR_SHEET_CHOICE);
  g_assert_nonnull (strstr (error->message, "two.xls"));
  g_assert_nonnull (strstr (error->message, "Customers"));
  g_assert_nonnull (strstr (error->message, "Staff list"));
  g_clear_error (&error);

  names = pd_reader_list_sheets (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpstr (names[1], ==, "Staff list");

  options.sheet = "Staff list";
  rows = pd_test_books_read_all (path, &options, "xls", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  pd_test_books_assert_row (rows, 0, 3, (const char *[]) { "", "Carol", NULL });
  g_clear_pointer (&rows, g_ptr_array_unref);

  options.sheet = "Customers";
  rows = pd_test_books_read_all (path, &options, "xls", FALSE, &error);
  g_assert_no_error (error);
  check_customers (rows);
  g_clear_pointer (&rows, g_ptr_array_unref);

  options.sheet = "Nope";
  rows = pd_test_books_read_all (path, &options, "xls", FALSE, &error);
  g_assert_error (error, PD_ERROR, PD_ERROR_NO_SUCH_SHEET);
  g_assert_nonnull (strstr (error->message, "Staff list"));
  g_clear_error (&error);

  empty_path = make_xls ("empty-second.xls", "empty");
  empty_file = g_file_new_for_path (empty_path);
  rows = pd_test_books_read_all (empty_path, NULL, "xls", FALSE, &error);
  g_assert_no_error (error);
  check_customers (rows);
  g_clear_pointer (&names, g_strfreev);
  names = pd_reader_list_sheets (empty_file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "Customers");
}

static void
test_xls_refused (void)
{
  g_autofree char *html = g_build_filename (tmpdir, "report.xls", NULL);
  g_autofree char *zip = g_build_filename (tmpdir, "renamed.xls", NULL);
  g_autofree char *junk = g_build_filename (tmpdir, "junk.xls", NULL);
  g_autofree char *cut = g_build_filename (tmpdir, "cut.xls", NULL);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (html, "<html><table><tr><td>a</td></tr></table></html>", -1, NULL));
  rows = pd_test_books_read_all (html, NULL, "xls", FALSE, &error);
  g_assert_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT);
  g_assert_nonnull (strstr (error->message, "report.xls"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (zip, "PK\003\004rest of a zip", 18, NULL));
  rows = pd_test_books_read_all (zip, NULL, "xls", FALSE, &error);
  g_assert_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT);
  g_assert_nonnull (strstr (error->message, ".xlsx"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (junk, "\x01\x02\x03 not a workbook", -1, NULL));
  rows = pd_test_books_read_all (junk, NULL, "xls", FALSE, &error);
  g_assert_error (error, PD_ERROR, PD_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "junk.xls"));
  g_clear_error (&error);

  if (have_generator ())
    {
      g_autofree char *path = make_xls ("whole.xls", "one");
      g_autofree char *contents = NULL;
      gsize len;

      /* An OLE header with the rest cut off. */
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      g_assert_true (g_file_set_contents (cut, contents, 600, NULL));
      rows = pd_test_books_read_all (cut, NULL, "xls", FALSE, &error);
      g_assert_error (error, PD_ERROR, PD_ERROR_CORRUPT);
      g_assert_nonnull (strstr (error->message, "cut.xls"));
      g_clear_error (&error);
    }
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  tmpdir = pd_test_books_make_dir ("pd-xls-XXXXXX");

  g_test_add_func ("/xls/values", test_xls_values);
  g_test_add_func ("/xls/sheets", test_xls_sheets);
  g_test_add_func ("/xls/refused", test_xls_refused);
  result = g_test_run ();

  pd_test_books_remove_dir (tmpdir);
  g_free (tmpdir);
  return result;
}
