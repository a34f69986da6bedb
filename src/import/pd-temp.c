/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Temporary folders named persona-desk-KIND-PID-XXXXXX: see pd-temp.h. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "pd-temp.h"

#define PREFIX "persona-desk-"

/**
 * pd_temp_make_dir:
 * @kind: a word for what it holds ("zip", "report"), without dashes
 *
 * Returns: (transfer full) (nullable): a new private folder in the
 *   temporary directory, or %NULL with @error set
 */
char *
pd_temp_make_dir (const char  *kind,
                  GError     **error)
{
  g_autofree char *name_template = g_strdup_printf (PREFIX "%s-%d-XXXXXX", kind, (int) getpid ());

  return g_dir_make_tmp (name_template, error);
}

/**
 * pd_temp_remove_dir:
 *
 * Removes a folder that holds files only (one pd_temp_make_dir() made, a
 * test's), with its files.
 *
 * Returns: whether the folder is gone
 */
gboolean
pd_temp_remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      g_unlink (file);
    }
  return g_rmdir (path) == 0;
}

/* The process id in persona-desk-KIND-PID-XXXXXX, or 0. */
static long
owner_of (const char *name)
{
  const char *kind_end, *pid_end;
  char *end;
  long pid;

  if (!g_str_has_prefix (name, PREFIX))
    return 0;
  kind_end = strchr (name + strlen (PREFIX), '-');
  if (kind_end == NULL)
    return 0;
  pid = strtol (kind_end + 1, &end, 10);
  pid_end = end;
  if (pid <= 0 || pid_end == kind_end + 1 || *pid_end != '-' || strlen (pid_end + 1) != 6)
    return 0;
  return pid;
}

/**
 * pd_temp_remove_stale:
 *
 * Removes the folders pd_temp_make_dir() made for processes that no
 * longer run, with the files in them.  Called as the app and the CLI
 * start.
 *
 * Returns: how many folders were removed
 */
guint
pd_temp_remove_stale (void)
{
  const char *tmp = g_get_tmp_dir ();
  g_autoptr(GDir) dir = g_dir_open (tmp, 0, NULL);
  const char *name;
  guint removed = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      long pid = owner_of (name);
      g_autofree char *path = NULL;
      GStatBuf st;

      /* kill() with signal 0 only asks whether the process exists; EPERM
       * means it does, under another user */
      if (pid == 0 || kill ((pid_t) pid, 0) == 0 || errno != ESRCH)
        continue;
      path = g_build_filename (tmp, name, NULL);
      /* ours only: a folder (not a link to one) of this user */
      if (g_lstat (path, &st) != 0 || !S_ISDIR (st.st_mode) || st.st_uid != getuid ())
        continue;
      if (pd_temp_remove_dir (path))
        removed++;
    }
  return removed;
}
