/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pd-test-gui.h"

G_BEGIN_DECLS

/* The screenshots of the tools in tests/ (pd-screenshot, pd-*-shots) and
 * of the GUI tests that take them (PD_SHOTS_DIR): the window rendered as
 * its renderer draws it, once it has painted what the test did. */

static inline void
pd_test_on_after_paint (GdkFrameClock *clock,
                        guint         *frames)
{
  (*frames)++;
}

/* Runs the main loop @settle_ms for transitions (AdwFlap and AdwLeaflet
 * animate for 250 ms, stacks and revealers), then until the window has
 * painted two frames, then writes it to @path as PNG. */
static inline void
pd_test_shoot_path (GtkWidget  *window,
                    const char *path,
                    guint       settle_ms)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GdkFrameClock *clock;
  guint frames = 0;
  gulong handler;
  double width, height;

  pd_test_spin (settle_ms);
  clock = gtk_widget_get_frame_clock (window);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (pd_test_on_after_paint), &frames);
  while (frames < 2)
    {
      gtk_widget_queue_draw (window);
      g_main_context_iteration (NULL, TRUE);
    }
  g_signal_handler_disconnect (clock, handler);

  paintable = gtk_widget_paintable_new (window);
  width = gdk_paintable_get_intrinsic_width (paintable);
  height = gdk_paintable_get_intrinsic_height (paintable);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("could not write %s", path);
}

/* pd_test_shoot_path() to @dir/@name, the path printed on stdout. */
static inline void
pd_test_shoot (GtkWidget  *window,
               const char *dir,
               const char *name,
               guint       settle_ms)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  pd_test_shoot_path (window, path, settle_ms);
  g_print ("%s\n", path);
}

G_END_DECLS
