/* SPDX-License-Identifier: GPL-3.0-or-later */
/* .xls files are parsed in persona-desk-reader (issue 14): whatever the
 * helper does — crash, hang, eat memory, call what its seccomp filter
 * forbids, talk nonsense — this process stays up and gets an error that
 * names the file, and an import of the file writes nothing.  The helper
 * misbehaves on demand through PD_READER_HELPER_TEST.  meson runs this
 * program twice: under bubblewrap and as a plain child
 * (PD_READER_SANDBOX=plain). */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "pd-error.h"
#include "pd-import-apply.h"
#include "pd-import-job.h"
#include "pd-reader-private.h"
#include "pd-sandboxed-reader.h"
#include "pd-sqlite-store.h"
#include "pd-test-books.h"

static char *tmpdir;
static char *small_xls;   /* header + 3 customers */
static char *big_xls;     /* header + 3000 customers */

static const char generator[] =
  "use strict; use Spreadsheet::WriteExcel;\n"
  "my ($path, $n) = @ARGV;\n"
  "my $wb = Spreadsheet::WriteExcel->new($path) or die \"cannot write $path\";\n"
  "my $ws = $wb->add_worksheet('Customers');\n"
  "$ws->write_string(0, 0, 'Name'); $ws->write_string(0, 1, 'Email');\n"
  "for my $i (1..$n) { $ws->write_string($i, 0, \"Customer $i\");\n"
  "  $ws->write_string($i, 1, \"c$i\\@example.com\"); }\n"
  "$wb->close() or die 'close';\n";

static char *
make_xls (const char *name,
          guint       n_rows)
{
  g_autofree char *perl = g_find_program_in_path ("perl");
  g_autofree char *n = g_strdup_printf ("%u", n_rows);
  char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;
  int status = -1;

  if (perl == NULL ||
      !g_spawn_sync (NULL, (char *[]) { perl, "-e", (char *) generator, path, n, NULL },
                     NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    {
      g_free (path);
      return NULL;
    }
  return path;
}

static gboolean
skip_without_files (void)
{
  if (small_xls != NULL)
    return FALSE;
  g_test_skip ("perl with Spreadsheet::WriteExcel (libspreadsheet-writeexcel-perl) "
               "is not installed: no .xls files to read");
  return TRUE;
}

/* Opens @path and reads it to the end with the helper told to @misbehave;
 * returns the error. */
static GError *
read_misbehaving (const char   *path,
                  const char   *misbehave,
                  GCancellable *cancellable,
                  guint        *n_rows)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PdReader) reader = NULL;
  GError *error = NULL;
  PdRow *row;

  if (misbehave != NULL)
    g_setenv ("PD_READER_HELPER_TEST", misbehave, TRUE);
  reader = pd_reader_open (file, NULL, cancellable, &error);
  g_unsetenv ("PD_READER_HELPER_TEST");
  *n_rows = 0;
  if (reader == NULL)
    return error;
  g_assert_true (PD_IS_SANDBOXED_READER (reader));
  while ((row = pd_reader_next_row (reader, cancellable, &error)) != NULL)
    {
      (*n_rows)++;
      pd_row_free (row);
    }
  return error;
}

static void
assert_damaged (GError     *error,
                const char *name)
{
  g_autofree char *expected = g_strdup_printf ("“%s” is damaged or not a supported .xls file.", name);

  g_assert_error (error, PD_ERROR, PD_ERROR_CORRUPT);
  g_assert_cmpstr (error->message, ==, expected);
}

/* The production path: an .xls is read through the helper, rows, size and
 * position as the reader in this process gives them. */
static void
test_same_rows (void)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(PdReader) sandboxed = NULL;
  g_autoptr(PdReader) direct = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) sheets = NULL;
  guint n = 0;

  if (skip_without_files ())
    return;
  file = g_file_new_for_path (big_xls);
  sandboxed = pd_reader_open (file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (PD_IS_SANDBOXED_READER (sandboxed));
  direct = _pd_reader_open_in_process (file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (PD_IS_SANDBOXED_READER (direct));
  g_assert_cmpuint (pd_reader_get_size (sandboxed), ==, pd_reader_get_size (direct));
  for (;;)
    {
      g_autoptr(PdRow) a = pd_reader_next_row (sandboxed, NULL, &error);
      g_autoptr(PdRow) b = pd_reader_next_row (direct, NULL, &error);

      g_assert_no_error (error);
      if (a == NULL || b == NULL)
        {
          g_assert_true (a == b);
          break;
        }
      g_assert_cmpuint (a->number, ==, b->number);
      g_assert_cmpuint (a->n_cells, ==, b->n_cells);
      for (guint c = 0; c < a->n_cells; c++)
        g_assert_cmpstr (a->cells[c], ==, b->cells[c]);
      g_assert_cmpuint (pd_reader_get_position (sandboxed), ==, pd_reader_get_position (direct));
      n++;
    }
  g_assert_cmpuint (n, ==, 3001);
  g_assert_cmpuint (pd_reader_get_position (sandboxed), ==, pd_reader_get_size (sandboxed));

  sheets = pd_reader_list_sheets (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (sheets, ((const char *[]) { "Customers", NULL }));

  /* Dropped half-way: the helper, blocked on a full pipe, is killed. */
  g_clear_object (&sandboxed);
}

/* Which formats go to the helper: the workbooks, not plain text. */
static void
test_formats (void)
{
  g_autofree char *xlsx = g_build_filename (tmpdir, "small.xlsx", NULL);
  g_autofree char *csv = g_build_filename (tmpdir, "small.csv", NULL);
  lxw_workbook *workbook = workbook_new (xlsx);
  lxw_worksheet *sheet = workbook_add_worksheet (workbook, "Customers");
  g_autoptr(GFile) xlsx_file = g_file_new_for_path (xlsx);
  g_autoptr(GFile) csv_file = g_file_new_for_path (csv);
  g_autoptr(PdReader) reader = NULL;
  g_autoptr(PdRow) row = NULL;
  g_autoptr(GError) error = NULL;

  worksheet_write_string (sheet, 0, 0, "Name", NULL);
  worksheet_write_string (sheet, 1, 0, "Zoë", NULL);
  g_assert_cmpint (workbook_close (workbook), ==, LXW_NO_ERROR);
  reader = pd_reader_open (xlsx_file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (PD_IS_SANDBOXED_READER (reader));
  g_assert_cmpstr (pd_reader_get_format (reader), ==, "xlsx");
  row = pd_reader_next_row (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_row_get_cell (row, 0), ==, "Name");
  g_clear_object (&reader);

  g_assert_true (g_file_set_contents (csv, "Name\nZoë\n", -1, NULL));
  reader = pd_reader_open (csv_file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (PD_IS_SANDBOXED_READER (reader));
}

static void
test_crash_at_open (void)
{
  g_autoptr(GError) error = NULL;
  guint n;

  if (skip_without_files ())
    return;
  error = read_misbehaving (small_xls, "crash", NULL, &n);
  assert_damaged (error, "small.xls");
  g_clear_error (&error);

  /* Listing sheets too. */
  {
    g_autoptr(GFile) file = g_file_new_for_path (small_xls);
    g_auto(GStrv) sheets = NULL;

    g_setenv ("PD_READER_HELPER_TEST", "crash", TRUE);
    sheets = pd_reader_list_sheets (file, NULL, &error);
    g_unsetenv ("PD_READER_HELPER_TEST");
    g_assert_null (sheets);
    assert_damaged (error, "small.xls");
  }
}

static void
test_crash_mid_file (void)
{
  g_autoptr(GError) error = NULL;
  guint n;

  if (skip_without_files ())
    return;
  error = read_misbehaving (big_xls, "crash-after-rows=1000", NULL, &n);
  assert_damaged (error, "big.xls");
  g_assert_cmpuint (n, ==, 1000);
}

static void
test_garbage (void)
{
  g_autoptr(GError) error = NULL;
  guint n;

  if (skip_without_files ())
    return;
  error = read_misbehaving (small_xls, "garbage", NULL, &n);
  assert_damaged (error, "small.xls");
}

/* A helper that loops is killed once it has been silent for the timeout. */
static void
test_hang (void)
{
  g_autoptr(GError) error = NULL;
  gint64 start;
  guint n;

  if (skip_without_files ())
    return;
  _pd_sandboxed_reader_set_timeout (500);
  start = g_get_monotonic_time ();
  error = read_misbehaving (small_xls, "hang", NULL, &n);
  _pd_sandboxed_reader_set_timeout (0);
  g_assert_error (error, PD_ERROR, PD_ERROR_CORRUPT);
  g_assert_cmpstr (error->message, ==,
                   "“small.xls” took too long to read: it is damaged or not a supported .xls file.");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (200 * 1000);
  cancel_cb (data);
  return NULL;
}

static void
test_cancel (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GThread) thread = NULL;
  gint64 start;
  guint n;

  if (skip_without_files ())
    return;
  thread = g_thread_new ("cancel", cancel_later, cancellable);
  start = g_get_monotonic_time ();
  error = read_misbehaving (small_xls, "hang", cancellable, &n);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_thread_join (g_steal_pointer (&thread));
}

static void
test_memory_limit (void)
{
  g_autoptr(GError) error = NULL;
  guint n;

  if (skip_without_files ())
    return;
#ifdef __SANITIZE_ADDRESS__
  g_test_skip ("no address space limit under AddressSanitizer");
  return;
#endif
  error = read_misbehaving (small_xls, "alloc", NULL, &n);
  assert_damaged (error, "small.xls");
}

/* The filter is really loaded: socket() kills the helper (the helper's
 * own error, had it survived, would say what socket() returned) and an
 * open is refused. */
static void
test_seccomp (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *refused = NULL;
  guint n;

  if (skip_without_files ())
    return;
  error = read_misbehaving (small_xls, "socket", NULL, &n);
  assert_damaged (error, "small.xls");
  g_clear_error (&error);

  error = read_misbehaving (small_xls, "open", NULL, &n);
  refused = g_strdup_printf ("open: %s", g_strerror (EACCES));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, refused);
}

static void
test_no_helper (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *helper = g_strdup (g_getenv ("PD_READER_HELPER"));
  guint n;

  if (skip_without_files ())
    return;
  g_setenv ("PD_READER_HELPER", "/nonexistent/persona-desk-reader", TRUE);
  error = read_misbehaving (small_xls, NULL, NULL, &n);
  if (helper != NULL)
    g_setenv ("PD_READER_HELPER", helper, TRUE);
  else
    g_unsetenv ("PD_READER_HELPER");
  g_assert_error (error, PD_ERROR, PD_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "small.xls cannot be read"));
}

/* The helper dies 2000 rows into an import of 3000: the import fails
 * naming the file, and the database holds no persona, only the failed
 * import in the history. */
static void
test_import_writes_nothing (void)
{
  g_autofree char *db = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(PdImportJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) imports = NULL;
  PdSourceOptions source = { .n_threads = 1 };
  PdPersonaQuery query = { .view = PD_PERSONA_VIEW_ACTIVE };
  PdImportOptions options;
  PdImportInfo *info;

  if (skip_without_files ())
    return;
  db = g_build_filename (tmpdir, "personas.db", NULL);
  store = (PdStore *) pd_sqlite_store_new (db, &error);
  g_assert_no_error (error);

  file = g_file_new_for_path (big_xls);
  pd_import_options_init (&options);
  options.accept_terms = TRUE;
  job = pd_import_job_new (store, file, &source, &options);
  /* batches of 500 rows: four of them were written when the helper died
   * (in one batch of 4,096 nothing would have been) */
  _pd_import_job_set_batch_rows (job, 500);
  g_setenv ("PD_READER_HELPER_TEST", "crash-after-rows=2000", TRUE);
  g_assert_false (pd_import_job_run (job, NULL, &error));
  g_unsetenv ("PD_READER_HELPER_TEST");
  assert_damaged (error, "big.xls");
  g_clear_error (&error);

  g_assert_cmpuint (pd_store_count_personas (store, &query, NULL), ==, 0);
  imports = pd_store_list_imports (store, &error);
  g_assert_no_error (error);
  /* The history says it failed, and why. */
  g_assert_cmpuint (imports->len, ==, 1);
  info = g_ptr_array_index (imports, 0);
  g_assert_cmpint (info->status, ==, PD_IMPORT_STATUS_FAILED);
  /* Rows had been applied when the helper died: the rollback left nothing. */
  g_assert_cmpuint (info->imported, >, 0);
  g_assert_cmpstr (info->error, ==, "“big.xls” is damaged or not a supported .xls file.");

  /* And the same file, read whole, imports. */
  g_clear_object (&job);
  job = pd_import_job_new (store, file, &source, &options);
  g_assert_true (pd_import_job_run (job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pd_store_count_personas (store, &query, NULL), ==, 3000);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  /* meson's second run: before the first helper starts, which decides. */
  if (argc > 1 && g_str_equal (argv[1], "--plain"))
    {
      g_setenv ("PD_READER_SANDBOX", "plain", TRUE);
      argv[1] = argv[0];
      argc--;
      argv++;
    }
  g_test_init (&argc, &argv, NULL);
  tmpdir = pd_test_books_make_dir ("pd-sandboxed-XXXXXX");
  small_xls = make_xls ("small.xls", 3);
  big_xls = make_xls ("big.xls", 3000);

  g_test_add_func ("/sandboxed-reader/same-rows", test_same_rows);
  g_test_add_func ("/sandboxed-reader/formats", test_formats);
  g_test_add_func ("/sandboxed-reader/crash-at-open", test_crash_at_open);
  g_test_add_func ("/sandboxed-reader/crash-mid-file", test_crash_mid_file);
  g_test_add_func ("/sandboxed-reader/garbage", test_garbage);
  g_test_add_func ("/sandboxed-reader/hang", test_hang);
  g_test_add_func ("/sandboxed-reader/cancel", test_cancel);
  g_test_add_func ("/sandboxed-reader/memory-limit", test_memory_limit);
  g_test_add_func ("/sandboxed-reader/seccomp", test_seccomp);
  g_test_add_func ("/sandboxed-reader/no-helper", test_no_helper);
  g_test_add_func ("/sandboxed-reader/import-writes-nothing", test_import_writes_nothing);
  ret = g_test_run ();

  pd_test_books_remove_dir (tmpdir);
  g_free (tmpdir);
  g_free (small_xls);
  g_free (big_xls);
  return ret;
}
