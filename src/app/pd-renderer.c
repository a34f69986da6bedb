/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pd-renderer.h"

static gboolean chose;

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
  /* GSK then falls back to cairo by itself. */
  g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
  chose = TRUE;
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
