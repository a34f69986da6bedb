/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Temporary folders named after their process: what a process that ended
 * left behind goes, and nothing else. */
#include "config.h"

#include <stdlib.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "pd-temp.h"

/* A process id no process has: above the kernel's largest. */
static long
dead_pid (void)
{
  g_autofree char *text = NULL;
  long max = 4194304;

  if (g_file_get_contents ("/proc/sys/kernel/pid_max", &text, NULL, NULL))
    max = strtol (text, NULL, 10);
  return max + 1;
}

static char *
make_folder (const char *name,
             gboolean    with_file)
{
  char *path = g_build_filename (g_get_tmp_dir (), name, NULL);

  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  if (with_file)
    {
      g_autofree char *file = g_build_filename (path, "customers.csv", NULL);

      g_assert_true (g_file_set_contents (file, "Email\nann@example.com\n", -1, NULL));
    }
  return path;
}

static void
remove_folder (const char *path)
{
  g_autofree char *file = g_build_filename (path, "customers.csv", NULL);

  g_unlink (file);
  g_rmdir (path);
}

static void
test_remove_stale (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *mine = pd_temp_make_dir ("zip", &error);
  g_autofree char *mine_file = NULL;
  g_autofree char *dead_name = g_strdup_printf ("persona-desk-zip-%ld-aB3dE9", dead_pid ());
  g_autofree char *odd_name = g_strdup_printf ("persona-desk-zip-%ld-ab", dead_pid ());
  g_autofree char *dead = make_folder (dead_name, TRUE);
  g_autofree char *odd = make_folder (odd_name, TRUE);
  g_autofree char *old_style = make_folder ("persona-desk-Q1w2E3", TRUE);
  g_autofree char *target = make_folder ("elsewhere", TRUE);
  g_autofree char *link_name = g_strdup_printf ("persona-desk-report-%ld-zZ9yY8", dead_pid ());
  g_autofree char *link = g_build_filename (g_get_tmp_dir (), link_name, NULL);
  g_autofree char *target_file = g_build_filename (target, "customers.csv", NULL);
  g_autofree char *expected = g_strdup_printf ("persona-desk-zip-%d-", (int) getpid ());
  g_autofree char *base = NULL;

  g_assert_no_error (error);
  base = g_path_get_basename (mine);
  g_assert_true (g_str_has_prefix (base, expected));
  mine_file = g_build_filename (mine, "customers.csv", NULL);
  g_assert_true (g_file_set_contents (mine_file, "x", -1, NULL));
  g_assert_cmpint (symlink (target, link), ==, 0);

  g_assert_cmpuint (pd_temp_remove_stale (), ==, 1);
  g_assert_false (g_file_test (dead, G_FILE_TEST_EXISTS));
  /* this process runs; the others are not named as ours are; a link is
   * not followed */
  g_assert_true (g_file_test (mine_file, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (odd, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (old_style, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (target_file, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (pd_temp_remove_stale (), ==, 0);

  g_unlink (link);
  g_unlink (mine_file);
  g_rmdir (mine);
  remove_folder (odd);
  remove_folder (old_style);
  remove_folder (target);
}

int
main (int    argc,
      char **argv)
{
  /* a temporary directory of our own, to see all that is in it */
  g_autofree char *tmp = g_strdup ("/tmp/pd-test-temp-XXXXXX");
  int ret;

  g_assert_nonnull (g_mkdtemp (tmp));
  g_setenv ("TMPDIR", tmp, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/temp/remove-stale", test_remove_stale);
  ret = g_test_run ();
  g_rmdir (tmp);
  return ret;
}
