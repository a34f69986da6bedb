/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdarg.h>
#include <sys/wait.h>
#include <glib.h>

G_BEGIN_DECLS

/* The helpers of the tests that run the real program: meson sets PD_CLI
 * to it; without it they skip. */

static inline void
pd_test_cli_skip (void)
{
  g_test_skip ("PD_CLI is not set: run through meson test");
}

/* Makes the test program's temporary folder and the path of its database
 * in it.  Without PD_CLI, adds a test that skips and returns FALSE. */
static inline gboolean
pd_test_cli_set_up (const char  *suite,
                    char       **dir,
                    char       **db)
{
  g_autofree char *name_template = g_strdup_printf ("pd-%s-XXXXXX", suite);

  if (g_getenv ("PD_CLI") == NULL)
    {
      g_autofree char *path = g_strdup_printf ("/%s/skip", suite);

      g_test_add_func (path, pd_test_cli_skip);
      return FALSE;
    }
  *dir = g_dir_make_tmp (name_template, NULL);
  g_assert_nonnull (*dir);
  *db = g_build_filename (*dir, "personas.db", NULL);
  return TRUE;
}

/* Runs `persona-desk-cli --db DB ARGS…`, NULL-terminated; @out and @err
 * may be NULL.  Returns the exit status (128 when killed). */
static inline int
pd_test_cli_run_valist (const char  *db,
                        char       **out,
                        char       **err,
                        const char  *first,
                        va_list      ap)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (char *) g_getenv ("PD_CLI"));
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, (char *) db);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128;
}

static inline char *
pd_test_cli_write_file (const char *dir,
                        const char *name,
                        const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

G_END_DECLS
