/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pd-renderer.h"

/* The renderer choice: OpenGL off only where there is no GPU device and
 * the user chose nothing; what it set is gone once GTK has read it. */

static gboolean
gpu_device_present (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/dev/dri", 0, NULL);
  const char *name;

  if (g_file_test ("/dev/nvidiactl", G_FILE_TEST_EXISTS))
    return TRUE;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD") || g_str_has_prefix (name, "card"))
      return TRUE;
  return FALSE;
}

static void
test_user_choice_kept (void)
{
  g_setenv ("GSK_RENDERER", "gl", TRUE);
  g_unsetenv ("GDK_DEBUG");
  g_assert_false (pd_renderer_choose ());
  g_assert_null (g_getenv ("GDK_DEBUG"));
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "gl");

  g_unsetenv ("GSK_RENDERER");
  g_setenv ("GDK_DEBUG", "interactive", TRUE);
  g_assert_false (pd_renderer_choose ());
  g_assert_cmpstr (g_getenv ("GDK_DEBUG"), ==, "interactive");
  pd_renderer_forget ();
  /* not ours: left as the user set it */
  g_assert_cmpstr (g_getenv ("GDK_DEBUG"), ==, "interactive");
  g_unsetenv ("GDK_DEBUG");
}

static void
test_by_device (void)
{
  gboolean off;

  g_unsetenv ("GSK_RENDERER");
  g_unsetenv ("GDK_DEBUG");
  off = pd_renderer_choose ();
  g_test_message ("GPU device: %s", gpu_device_present () ? "yes" : "no");
  g_assert_cmpint (off, ==, !gpu_device_present ());
  g_assert_cmpstr (g_getenv ("GDK_DEBUG"), ==, off ? "gl-disable" : NULL);
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, off ? "cairo" : NULL);
  pd_renderer_forget ();
  g_assert_null (g_getenv ("GDK_DEBUG"));
  /* read again for each new window */
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, off ? "cairo" : NULL);

  /* a program the app opens a file with gets neither */
  {
    g_autoptr(GAppLaunchContext) context = g_app_launch_context_new ();
    g_auto(GStrv) env = NULL;

    pd_renderer_clean_launch (context);
    env = g_app_launch_context_get_environment (context);
    g_assert_null (g_environ_getenv (env, "GSK_RENDERER"));
    g_assert_null (g_environ_getenv (env, "GDK_DEBUG"));
  }
  g_unsetenv ("GSK_RENDERER");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/renderer/user-choice-kept", test_user_choice_kept);
  g_test_add_func ("/renderer/by-device", test_by_device);
  return g_test_run ();
}
