/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "pd-import-format.h"

/* Dates and numbers go through the locale: the history's times are the
 * local time in the locale's format, counts are grouped the locale's way,
 * and the build's German translation is used with its plural forms.
 * Run with TZ=Asia/Tokyo (set in main: no daylight saving time, 9 hours
 * from UTC, where the store keeps its times).  The German half needs the
 * de_DE.UTF-8 locale: the system's, or one localedef makes for the test;
 * without either it is skipped, saying why. */

static char *locale_dir;        /* made by localedef, or NULL */

static void
test_history_local_time (void)
{
  g_autoptr(GDateTime) utc = g_date_time_new_utc (2026, 12, 6, 5, 30, 0);
  g_autofree char *text = NULL;

  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));
  text = pd_import_format_when (utc);
  /* 05:30 UTC is 14:30 in Tokyo: the clerk's clock, not the store's UTC. */
  g_assert_nonnull (strstr (text, "14:30"));
  g_assert_null (strstr (text, "05:30"));
}

static gboolean
use_german (void)
{
  g_autofree char *mo = g_build_filename (PD_BUILD_ROOT, "po", "de", "LC_MESSAGES",
                                          GETTEXT_PACKAGE ".mo", NULL);

  g_assert_true (g_file_test (mo, G_FILE_TEST_IS_REGULAR));
  if (setlocale (LC_ALL, "de_DE.UTF-8") == NULL)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autoptr(GError) error = NULL;
      int status = 0;
      const char *argv[] = { "localedef", "-i", "de_DE", "-f", "UTF-8", NULL, NULL };
      g_autofree char *target = NULL;

      locale_dir = g_dir_make_tmp ("pd-locale-XXXXXX", &error);
      g_assert_no_error (error);
      target = g_build_filename (locale_dir, "de_DE.UTF-8", NULL);
      argv[5] = target;
      if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                         &out, &err, &status, NULL) || !g_spawn_check_wait_status (status, NULL))
        {
          g_test_skip ("no de_DE.UTF-8 locale and localedef cannot make one (install locales)");
          return FALSE;
        }
      g_setenv ("LOCPATH", locale_dir, TRUE);
      if (setlocale (LC_ALL, "de_DE.UTF-8") == NULL)
        {
          g_test_skip ("the de_DE.UTF-8 locale made by localedef does not load");
          return FALSE;
        }
    }
  g_setenv ("LANGUAGE", "de", TRUE);
  /* The translations of this build tree, not of an installed copy. */
  bindtextdomain (GETTEXT_PACKAGE, PD_BUILD_ROOT "/po");
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  return TRUE;
}

static void
test_german (void)
{
  g_autoptr(GDateTime) utc = g_date_time_new_utc (2026, 12, 6, 5, 30, 0);
  g_autofree char *when = NULL;
  g_autofree char *personas = NULL;
  g_autofree char *one = NULL;
  g_autofree char *progress = NULL;
  g_autofree char *status = NULL;
  const char *style = NULL;

  if (!use_german ())
    return;

  when = pd_import_format_when (utc);
  g_assert_true (g_str_has_prefix (when, "06.12.2026"));
  g_assert_nonnull (strstr (when, "14:30"));

  /* The window's title counts personas this way: grouped with the
   * German separator, in German, and the singular and plural differ.
   * (Only what any German translation must do is asserted, so that a
   * translator's rewording does not break the test.) */
  personas = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u persona", "%'u personas", 12345),
                              12345);
  g_assert_nonnull (strstr (personas, "12.345"));
  g_assert_cmpstr (personas, !=, "12.345 personas");
  one = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u persona", "%'u personas", 1), 1);
  g_assert_true (g_str_has_prefix (one, "1 "));
  g_assert_cmpstr (one + 2, !=, strstr (personas, " ") + 1);

  progress = pd_import_format_progress (1500, 20000);
  g_assert_nonnull (strstr (progress, "1.500"));
  g_assert_nonnull (strstr (progress, "20.000"));
  g_assert_null (strstr (progress, "rows"));
  status = pd_import_format_status (PD_IMPORT_STATUS_COMPLETED, 1, &style);
  g_assert_cmpstr (status, !=, "Completed with 1 failed row");
  g_assert_nonnull (strstr (status, "1"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_setenv ("TZ", "Asia/Tokyo", TRUE);
  g_unsetenv ("LANGUAGE");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/locale-format/history-local-time", test_history_local_time);
  g_test_add_func ("/locale-format/german", test_german);
  status = g_test_run ();
  if (locale_dir != NULL)
    {
      const char *rm[] = { "rm", "-rf", locale_dir, NULL };

      g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                    NULL, NULL, NULL, NULL);
      g_free (locale_dir);
    }
  return status;
}
