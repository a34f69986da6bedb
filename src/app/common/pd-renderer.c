/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pd-renderer.h"

static gboolean chose;      /* GDK_DEBUG, until pd_renderer_forget() */
static gboolean chose_gsk;  /* GSK_RENDERER, read at each window's realize */

/* A DRM device (Mesa's drivers) or NVIDIA's own: a GPU OpenGL can use.  A
 * virtual GPU without 3D also has a DRM device; GTK keeps OpenGL there. */
static gboolean
has_gpu (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_file_test ("/dev/nvidiactl", G_FILE_TEST_EXISTS))
    return TRUE;
  dir = g_dir_open ("/dev/dri", 0, NULL);
  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD") || g_str_has_prefix (name, "card"))
      return TRUE;
  return FALSE;
}

gboolean
pd_renderer_choose (void)
{
  if (g_getenv ("GSK_RENDERER") != NULL || g_getenv ("GDK_DEBUG") != NULL || has_gpu ())
    return FALSE;
  g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  chose = chose_gsk = TRUE;
  return TRUE;
}

void
pd_renderer_forget (void)
{
  /* GDK read it when it opened the display. */
  if (chose)
    g_unsetenv ("GDK_DEBUG");
  chose = FALSE;
}

void
pd_renderer_clean_launch (GAppLaunchContext *context)
{
  g_return_if_fail (G_IS_APP_LAUNCH_CONTEXT (context));

  if (chose_gsk)
    g_app_launch_context_unsetenv (context, "GSK_RENDERER");
  if (chose)
    g_app_launch_context_unsetenv (context, "GDK_DEBUG");
}
