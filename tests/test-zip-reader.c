/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The zip reader, on zips written here with libarchive's writer: which
 * entry is read, the warnings, and every refusal (empty, nothing usable,
 * nested zip, password, zip bomb, damaged archive). */
#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pd-error.h"
#include "pd-reader.h"
#include "pd-temp.h"
#include "pd-test-books.h"
#include "pd-zip-reader.h"

typedef struct {
  char *dir;
} Fixture;

typedef struct {
  const char *name;
  const char *data;   /* NULL: a folder */
  guint64     zeros;  /* > 0: this many zero bytes instead of data */
} Entry;

static const char customers_csv[] =
  "First Name,Email\r\n"
  "Zoë,zoe@example.com\r\n"
  "Ann,ann@example.com\r\n";

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = pd_test_books_make_dir ("pd-test-zip-XXXXXX");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  pd_test_books_remove_dir (fixture->dir);
  g_free (fixture->dir);
}

static GFile *
write_zip (Fixture     *fixture,
           const char  *zip_name,
           const Entry *entries,
           guint        n_entries,
           const char  *passphrase)
{
  g_autofree char *path = g_build_filename (fixture->dir, zip_name, NULL);
  struct archive *archive = archive_write_new ();

  g_assert_cmpint (archive_write_set_format_zip (archive), ==, ARCHIVE_OK);
  if (passphrase != NULL)
    {
      g_assert_cmpint (archive_write_set_options (archive, "zip:encryption=zipcrypt"), ==, ARCHIVE_OK);
      g_assert_cmpint (archive_write_set_passphrase (archive, passphrase), ==, ARCHIVE_OK);
    }
  g_assert_cmpint (archive_write_open_filename (archive, path), ==, ARCHIVE_OK);

  for (guint i = 0; i < n_entries; i++)
    {
      struct archive_entry *entry = archive_entry_new ();
      const Entry *e = &entries[i];

      archive_entry_set_pathname (entry, e->name);
      archive_entry_set_mtime (entry, 1700000000, 0);
      if (e->data == NULL && e->zeros == 0)
        {
          archive_entry_set_filetype (entry, AE_IFDIR);
          archive_entry_set_perm (entry, 0755);
          archive_entry_set_size (entry, 0);
        }
      else
        {
          archive_entry_set_filetype (entry, AE_IFREG);
          archive_entry_set_perm (entry, 0644);
          archive_entry_set_size (entry, e->zeros > 0 ? e->zeros : strlen (e->data));
        }
      g_assert_cmpint (archive_write_header (archive, entry), ==, ARCHIVE_OK);

      if (e->zeros > 0)
        {
          gsize block = 1024 * 1024;
          g_autofree char *zeros = g_malloc0 (block);

          for (guint64 done = 0; done < e->zeros; done += block)
            {
              gsize n = MIN (block, e->zeros - done);

              g_assert_cmpint (archive_write_data (archive, zeros, n), ==, n);
            }
        }
      else if (e->data != NULL)
        {
          gsize len = strlen (e->data);

          g_assert_cmpint (archive_write_data (archive, e->data, len), ==, len);
        }
      archive_entry_free (entry);
    }

  g_assert_cmpint (archive_write_close (archive), ==, ARCHIVE_OK);
  archive_write_free (archive);

  return g_file_new_for_path (path);
}

/* Temporary copies the zip reader has left in the temporary directory. */
static guint
count_temporaries (void)
{
  g_autoptr(GDir) dir = g_dir_open (g_get_tmp_dir (), 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    n += g_str_has_prefix (name, "persona-desk-zip-");
  return n;
}

static GError *
open_error (GFile *file)
{
  GError *error = NULL;
  g_autoptr(PdReader) reader = pd_reader_open (file, NULL, NULL, &error);

  g_assert_null (reader);
  g_assert_nonnull (error);
  return error;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

static GPtrArray *
read_all (PdReader *reader)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_row_free);
  PdRow *row;

  while ((row = pd_reader_next_row (reader, NULL, &error)) != NULL)
    g_ptr_array_add (rows, row);
  g_assert_no_error (error);
  return rows;
}

static void
test_one_csv (Fixture *fixture, gconstpointer data)
{
  const Entry entries[] = { { "customers.csv", customers_csv } };
  g_autoptr(GFile) zip = write_zip (fixture, "export.zip", entries, G_N_ELEMENTS (entries), NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdReader) reader = pd_reader_open (zip, NULL, NULL, &error);
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *inner_path = NULL;
  PdReader *inner;
  PdRow *row;

  g_assert_no_error (error);
  g_assert_true (PD_IS_ZIP_READER (reader));
  g_assert_cmpstr (pd_reader_get_format (reader), ==, "zip");
  g_assert_cmpstr (pd_reader_get_display_name (reader), ==, "export.zip");
  g_assert_cmpstr (pd_zip_reader_get_entry_name (PD_ZIP_READER (reader)), ==, "customers.csv");
  inner = pd_zip_reader_get_inner (PD_ZIP_READER (reader));
  g_assert_cmpstr (pd_reader_get_format (inner), ==, "csv");
  g_assert_cmpuint (pd_reader_get_warnings (reader)->len, ==, 0);
  inner_path = g_file_get_path (pd_reader_get_file (inner));
  g_assert_true (g_file_test (inner_path, G_FILE_TEST_EXISTS));

  rows = read_all (reader);
  g_assert_cmpuint (rows->len, ==, 3);
  row = g_ptr_array_index (rows, 1);
  g_assert_cmpuint (row->number, ==, 2);
  g_assert_cmpstr (row->cells[0], ==, "Zoë");
  g_assert_cmpstr (row->cells[1], ==, "zoe@example.com");
  g_assert_cmpuint (pd_reader_get_size (reader), ==, strlen (customers_csv));
  g_assert_cmpuint (pd_reader_get_position (reader), ==, pd_reader_get_size (reader));

  /* The temporary copy goes with the reader. */
  g_clear_object (&reader);
  g_assert_false (g_file_test (inner_path, G_FILE_TEST_EXISTS));
}

static void
test_several_files (Fixture *fixture, gconstpointer data)
{
  const Entry entries[] = {
    { "notes.pdf", "%PDF-1.4" },
    { "march.csv", customers_csv },
    { "april.txt", "email\nx@example.com\n" },
    { "may.xlsx", "not really a workbook" },
  };
  g_autoptr(GFile) zip = write_zip (fixture, "months.zip", entries, G_N_ELEMENTS (entries), NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdReader) reader = pd_reader_open (zip, NULL, NULL, &error);
  g_autoptr(GPtrArray) rows = NULL;
  GPtrArray *warnings;
  const char *warning;

  g_assert_no_error (error);
  g_assert_cmpstr (pd_zip_reader_get_entry_name (PD_ZIP_READER (reader)), ==, "march.csv");
  warnings = pd_reader_get_warnings (reader);
  g_assert_cmpuint (warnings->len, ==, 1);
  warning = g_ptr_array_index (warnings, 0);
  assert_contains (warning, "months.zip");
  assert_contains (warning, "3 files");
  assert_contains (warning, "march.csv");

  rows = read_all (reader);
  g_assert_cmpuint (rows->len, ==, 3);
}

static void
test_junk_skipped (Fixture *fixture, gconstpointer data)
{
  const Entry entries[] = {
    { "__MACOSX/", NULL },
    { "__MACOSX/export/._customers.csv", "\0\x05\x16\x07 junk" },
    { "export/", NULL },
    { "export/.hidden.csv", "junk" },
    { "export/~$customers.xlsx", "lock file" },
    { "export/customers.csv", customers_csv },
  };
  g_autoptr(GFile) zip = write_zip (fixture, "mac.zip", entries, G_N_ELEMENTS (entries), NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdReader) reader = pd_reader_open (zip, NULL, NULL, &error);
  g_autoptr(GPtrArray) rows = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (pd_zip_reader_get_entry_name (PD_ZIP_READER (reader)), ==,
                   "export/customers.csv");
  g_assert_cmpuint (pd_reader_get_warnings (reader)->len, ==, 0);
  rows = read_all (reader);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstr (((PdRow *) g_ptr_array_index (rows, 2))->cells[0], ==, "Ann");
}

static void
test_zip_bomb (Fixture *fixture, gconstpointer data)
{
  const Entry entries[] = { { "customers.csv", NULL, G_GUINT64_CONSTANT (300) * 1024 * 1024 } };
  g_autoptr(GFile) zip = write_zip (fixture, "bomb.zip", entries, G_N_ELEMENTS (entries), NULL);
  g_autoptr(GFileInfo) info = g_file_query_info (zip, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, NULL);
  g_autoptr(GError) error = NULL;
  guint before = count_temporaries ();

  /* Really a bomb: 300 MB from a few hundred kilobytes. */
  g_assert_cmpint (g_file_info_get_size (info), <, 1024 * 1024);

  error = open_error (zip);
  g_assert_error (error, PD_ERROR, PD_ERROR_TOO_LARGE);
  assert_contains (error->message, "bomb.zip");
  assert_contains (error->message, "customers.csv");
  assert_contains (error->message, "zip bomb");

  /* Nothing left behind. */
  g_assert_cmpuint (count_temporaries (), ==, before);
}

/* Sets the 32-bit little-endian field at @offset after each @signature. */
static void
patch_field (GBytes     *bytes,
             const char *signature,
             gsize       offset,
             guint32     value)
{
  gsize len;
  guint8 *data = (guint8 *) g_bytes_get_data (bytes, &len);
  guint8 *p = memmem (data, len, signature, 4);

  g_assert_nonnull (p);
  for (; p != NULL; p = memmem (p + 4, len - (p + 4 - data), signature, 4))
    {
      g_assert_cmpuint (p + offset + 4 - data, <=, len);
      p[offset] = value & 0xff;
      p[offset + 1] = (value >> 8) & 0xff;
      p[offset + 2] = (value >> 16) & 0xff;
      p[offset + 3] = (value >> 24) & 0xff;
    }
}

/* A bomb whose headers claim 1000 bytes: the declared size passes, so the
 * copy must count what really comes out and stop. */
static void
test_zip_bomb_lying_header (Fixture *fixture, gconstpointer data)
{
  const Entry entries[] = { { "customers.csv", NULL, G_GUINT64_CONSTANT (300) * 1024 * 1024 } };
  g_autoptr(GFile) zip = write_zip (fixture, "liar.zip", entries, G_N_ELEMENTS (entries), NULL);
  g_autofree char *path = g_file_get_path (zip);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *contents = NULL;
  gsize len = 0;
  guint before = count_temporaries ();

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  bytes = g_bytes_new_take (contents, len);
  patch_field (bytes, "PK\x03\x04", 22, 1000);   /* local header */
  patch_field (bytes, "PK\x07\x08", 12, 1000);   /* data descriptor */
  patch_field (bytes, "PK\x01\x02", 24, 1000);   /* central directory */
  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), len, &error);
  g_assert_no_error (error);

  error = open_error (zip);
  g_assert_error (error, PD_ERROR, PD_ERROR_TOO_LARGE);
  assert_contains (error->message, "liar.zip");
  assert_contains (error->message, "zip bomb");
  g_assert_cmpuint (count_temporaries (), ==, before);
}

static void
test_empty_zip (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GFile) zip = write_zip (fixture, "empty.zip", NULL, 0, NULL);
  g_autoptr(GError) error = open_error (zip);

  g_assert_error (error, PD_ERROR, PD_ERROR_EMPTY);
  assert_contains (error->message, "empty.zip");
}

static void
test_only_pdf (Fixture *fixture, gconstpointer data)
{
  const Entry entries[] = { { "docs/", NULL }, { "docs/terms.pdf", "%PDF-1.4 ..." } };
  g_autoptr(GFile) zip = write_zip (fixture, "terms.zip", entries, G_N_ELEMENTS (entries), NULL);
  g_autoptr(GError) error = open_error (zip);

  g_assert_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT);
  assert_contains (error->message, "terms.zip");
  assert_contains (error->message, ".csv");
  assert_contains (error->message, ".txt");
  assert_contains (error->message, ".xlsx");
  assert_contains (error->message, ".xls ");
  assert_contains (error->message, ".ods");
}

static void
test_nested_zip (Fixture *fixture, gconstpointer data)
{
  const Entry entries[] = { { "inner.zip", "PK\x05\x06" } };
  g_autoptr(GFile) zip = write_zip (fixture, "outer.zip", entries, G_N_ELEMENTS (entries), NULL);
  g_autoptr(GError) error = open_error (zip);

  g_assert_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT);
  assert_contains (error->message, "outer.zip");
  assert_contains (error->message, "inner.zip");
  assert_contains (error->message, "inside");
}

static void
test_encrypted (Fixture *fixture, gconstpointer data)
{
  const Entry entries[] = { { "customers.csv", customers_csv } };
  g_autoptr(GFile) zip = write_zip (fixture, "locked.zip", entries, G_N_ELEMENTS (entries), "secret");
  g_autoptr(GError) error = open_error (zip);

  g_assert_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT);
  assert_contains (error->message, "locked.zip");
  assert_contains (error->message, "customers.csv");
  assert_contains (error->message, "password");
}

static void
test_damaged (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "damaged.zip", NULL);
  g_autoptr(GFile) zip = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "this is not a zip archive at all", -1, &error);
  g_assert_no_error (error);
  g_clear_error (&error);
  error = open_error (zip);
  g_assert_error (error, PD_ERROR, PD_ERROR_CORRUPT);
  assert_contains (error->message, "damaged.zip");
}

/* The inner reader's refusal names both the zip and the file inside. */
static void
test_inner_error (Fixture *fixture, gconstpointer data)
{
  const Entry entries[] = { { "data/report.csv", "%PDF-1.4 not text" } };
  g_autoptr(GFile) zip = write_zip (fixture, "wrapped.zip", entries, G_N_ELEMENTS (entries), NULL);
  guint before = count_temporaries ();
  g_autoptr(GError) error = open_error (zip);

  g_assert_cmpuint (count_temporaries (), ==, before);

  g_assert_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT);
  assert_contains (error->message, "wrapped.zip");
  assert_contains (error->message, "report.csv");
}

static void
test_options_passed (Fixture *fixture, gconstpointer data)
{
  const Entry entries[] = { { "prices.txt", "a;b,c\n1;2,3\n" } };
  g_autoptr(GFile) zip = write_zip (fixture, "prices.zip", entries, G_N_ELEMENTS (entries), NULL);
  PdReaderOptions options = { .delimiter = ';' };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdReader) reader = pd_reader_open (zip, &options, NULL, &error);
  g_autoptr(GPtrArray) rows = NULL;
  PdRow *row;

  g_assert_no_error (error);
  g_assert_cmpstr (pd_reader_get_format (pd_zip_reader_get_inner (PD_ZIP_READER (reader))), ==, "txt");
  rows = read_all (reader);
  g_assert_cmpuint (rows->len, ==, 2);
  row = g_ptr_array_index (rows, 1);
  g_assert_cmpstr (row->cells[0], ==, "1");
  g_assert_cmpstr (row->cells[1], ==, "2,3");
}

int
main (int argc, char **argv)
{
  g_autofree char *tmp = NULL;
  int status;

  /* A temporary folder of our own: the tests count the zip reader's
   * temporaries, and other programs (a second test run, the app) make and
   * remove theirs in the shared one meanwhile. */
  tmp = g_build_filename (g_getenv ("TMPDIR") != NULL ? g_getenv ("TMPDIR") : "/tmp",
                          "test-zip-reader-XXXXXX", NULL);
  /* Not g_dir_make_tmp(): it would fix g_get_tmp_dir() to the shared one. */
  g_assert_nonnull (g_mkdtemp (tmp));
  g_setenv ("TMPDIR", tmp, TRUE);
  g_assert_cmpstr (g_get_tmp_dir (), ==, tmp);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/zip-reader/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("one-csv", test_one_csv);
  ADD ("several-files", test_several_files);
  ADD ("junk-skipped", test_junk_skipped);
  ADD ("zip-bomb", test_zip_bomb);
  ADD ("zip-bomb-lying-header", test_zip_bomb_lying_header);
  ADD ("empty", test_empty_zip);
  ADD ("only-pdf", test_only_pdf);
  ADD ("nested-zip", test_nested_zip);
  ADD ("encrypted", test_encrypted);
  ADD ("damaged", test_damaged);
  ADD ("inner-error", test_inner_error);
  ADD ("options-passed", test_options_passed);

#undef ADD

  status = g_test_run ();
  pd_temp_remove_dir (tmp);
  return status;
}
