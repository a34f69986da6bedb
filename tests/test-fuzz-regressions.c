/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every input the fuzzers found (tests/fuzz/regressions/<reader>/), and
 * every seed they start from (tests/fuzz/corpus/<reader>/), read through
 * the real reader path (pd_reader_list_sheets(), pd_reader_open(), every
 * row) or, under normalizers/, through the normalizers, each in a child
 * process: the child must end normally, with rows
 * or with a GError naming the file.  In the asan suite this runs under
 * AddressSanitizer, which turns a bad read into a failed child. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "pd-fuzz.h"
#include "pd-reader.h"

/* Inputs that crash libfreexl itself, or make it leak, are saved as
 * "freexl-*" (see
 * tests/fuzz/README.md).  While .xls is parsed in this process they would
 * take the test down with the library, so they are skipped then; once
 * pd_reader_open() reads .xls elsewhere they must give a GError like any
 * other damaged file. */
#define LIBRARY_CRASH_PREFIX "freexl-"

static int xls_in_process = -1;
static GPtrArray *paths;

/* Whether pd_reader_open() parses .xls in this process: it does when it
 * hands back the in-process .xls reader type for a good .xls file. */
static gboolean
xls_reader_is_in_process (void)
{
  g_autofree char *dir_path = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (xls_in_process >= 0)
    return xls_in_process;

  dir_path = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "xls", NULL);
  dir = g_dir_open (dir_path, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_auto(GStrv) sheets = pd_reader_list_sheets (file, NULL, NULL);
      PdReaderOptions options = { .sheet = sheets != NULL ? sheets[0] : NULL };
      g_autoptr(PdReader) reader = NULL;
      GType xls_type;

      if (sheets == NULL || sheets[0] == NULL ||
          (reader = pd_reader_open (file, &options, NULL, NULL)) == NULL)
        continue;
      xls_type = g_type_from_name ("PdXlsReader");
      xls_in_process = xls_type != 0 && G_TYPE_CHECK_INSTANCE_TYPE (reader, xls_type);
      g_test_message ("a .xls is read by %s", G_OBJECT_TYPE_NAME (reader));
      return xls_in_process;
    }
  g_error ("no seed in %s opens as .xls", dir_path);
}

static void
test_read (gconstpointer data)
{
  const char *path = data;
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *kind = g_path_get_basename (folder);

  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      guint n_rows = 0;

      /* A damaged file may make a library warn; only criticals (a broken
       * precondition in our code) and worse end the child. */
      g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
      if (g_str_equal (kind, "normalizers"))
        {
          g_autofree char *contents = NULL;
          gsize length;

          g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
          pd_fuzz_normalize ((const guint8 *) contents, length);
          return;
        }
      if (pd_fuzz_read_file (path, &n_rows, &error))
        g_printerr ("%s: %u rows\n", name, n_rows);
      else
        {
          g_assert_nonnull (error);
          g_assert_nonnull (error->message);
          g_printerr ("%s: %s\n", name, error->message);
        }
      return;
    }

  if (g_str_has_prefix (name, LIBRARY_CRASH_PREFIX) && xls_reader_is_in_process ())
    {
      g_autofree char *why = g_strdup_printf ("%s breaks libfreexl (a crash or a leak inside "
                                              "the library), which still runs in this process; "
                                              "it is replayed once .xls is read in the sandbox",
                                              path);
      g_test_skip (why);
      return;
    }

  /* The child's stderr is the log's: an AddressSanitizer report lands there. */
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (!g_test_trap_has_passed ())
    g_test_message ("%s: reading it crashed, hung or failed (see above)", path);
  g_test_trap_assert_passed ();
}

static int
compare_names (const char **a,
               const char **b)
{
  return strcmp (*a, *b);
}

static guint
add_folder (const char *kind)
{
  g_autofree char *top = g_test_build_filename (G_TEST_DIST, "fuzz", kind, NULL);
  g_autoptr(GDir) readers = g_dir_open (top, 0, NULL);
  g_autoptr(GPtrArray) kinds = g_ptr_array_new_with_free_func (g_free);
  const char *entry;
  guint n = 0;

  if (readers == NULL)
    return 0;
  while ((entry = g_dir_read_name (readers)) != NULL)
    g_ptr_array_add (kinds, g_strdup (entry));
  g_ptr_array_sort (kinds, (GCompareFunc) compare_names);
  for (guint k = 0; k < kinds->len; k++)
    {
      const char *reader = g_ptr_array_index (kinds, k);
      g_autofree char *dir_path = g_build_filename (top, reader, NULL);
      g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      if (dir == NULL)
        continue;
      while ((name = g_dir_read_name (dir)) != NULL)
        if (name[0] != '.')
          g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, (GCompareFunc) compare_names);
      for (guint i = 0; i < names->len; i++)
        {
          const char *file_name = g_ptr_array_index (names, i);
          g_autofree char *test_path = g_strdup_printf ("/fuzz-%s/%s/%s", kind, reader, file_name);

          char *path = g_build_filename (dir_path, file_name, NULL);

          /* Owned by a static array, not by GTest: a child exits without
           * freeing the suite, and LeakSanitizer would call that a leak. */
          g_ptr_array_add (paths, path);
          g_test_add_data_func (test_path, path, test_read);
          n++;
        }
    }
  return n;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  paths = g_ptr_array_new_with_free_func (g_free);

  /* The seeds are committed: without them this test would pass empty. */
  g_assert_cmpuint (add_folder ("corpus"), >, 0);
  add_folder ("regressions");

  return g_test_run ();
}
