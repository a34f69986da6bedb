/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdWindow's list view made a slice at a time: the rows that fit before
 * the first frame, a page more after each painted one, the list's count
 * held until then, and the detail pane made once the list is whole (see
 * _pd_window_ensure_detail()).  Split from pd-window.c. */
#include "config.h"

#include "pd-window-private.h"

static gboolean
make_detail_cb (gpointer data)
{
  PdWindow *self = data;

  self->make_detail_id = 0;
  _pd_window_ensure_detail (self);
  return G_SOURCE_REMOVE;
}

/* GTK 4.8 makes up to 200 rows (GTK_LIST_VIEW_MAX_LIST_ITEMS in its list
 * item manager) whatever the height of the list, each bound, styled and
 * measured.  Made before the first frame, 150 of them were rows nobody
 * sees yet (a third of the time to the first painted list when rows were
 * column view rows).  So the list view sees the personas through a
 * slice: the rows the window's height can show (see _pd_window_view_first_size())
 * until the window has painted, then one page more after each painted
 * frame up to GTK's 200; then the whole list.  The scrollbar covers only
 * those rows for these few frames; the title says the list is still
 * being counted then anyway. */
#define VIEW_GROW_STEP  PD_PERSONA_LIST_DEFAULT_PAGE_SIZE
#define VIEW_GTK_ROWS   200
/* Less than a row of the list is high with any font (37 px with Adwaita's
 * default: 16 px of padding and a line), so height / this is never fewer
 * rows than fit. */
#define VIEW_MIN_ROW_HEIGHT 26

/* At least the rows that fit in @height px, at most a page. */
static guint
rows_that_fit (int height)
{
  return CLAMP ((guint) height / VIEW_MIN_ROW_HEIGHT + 1, 1, VIEW_GROW_STEP);
}

guint
_pd_window_view_first_size (PdWindow *self,
                            gboolean  maximized)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  /* Maximized, the height is the screen's, not known yet: a page. */
  if (maximized || height <= 0)
    return VIEW_GROW_STEP;
  return rows_that_fit (height);
}

static gboolean
grow_view_cb (gpointer data)
{
  PdWindow *self = data;
  guint size = gtk_slice_list_model_get_size (self->view_slice);

  self->grow_view_id = 0;
  /* Rows made now for what the list shows would be made again when the
   * reload's first page lands. */
  if (pd_persona_list_is_loading (self->personas))
    return G_SOURCE_REMOVE;
  if (size >= VIEW_GTK_ROWS)
    size = G_MAXUINT;
  else
    size += VIEW_GROW_STEP;
  gtk_slice_list_model_set_size (self->view_slice, size);
  if (size == G_MAXUINT)
    {
      g_clear_signal_handler (&self->after_paint_id, gtk_widget_get_frame_clock (GTK_WIDGET (self)));
      if (self->detail == NULL && self->make_detail_id == 0)
        self->make_detail_id = g_idle_add_full (G_PRIORITY_LOW, make_detail_cb, self, NULL);
    }
  return G_SOURCE_REMOVE;
}

/* The count of the list waits for the first painted frame (see
 * pd_persona_list_hold_count()); a window nobody shows counts when the
 * main loop is idle. */
static gboolean
release_count_if_hidden_cb (gpointer data)
{
  PdWindow *self = data;

  self->release_count_id = 0;
  if (!gtk_widget_get_visible (GTK_WIDGET (self)))
    pd_persona_list_hold_count (self->personas, FALSE);
  return G_SOURCE_REMOVE;
}

static void
on_frame_clock_after_paint (GdkFrameClock *clock,
                            PdWindow      *self)
{
  pd_persona_list_hold_count (self->personas, FALSE);
  /* After the frame, not in it: the rows made then are the next frame's. */
  if (self->grow_view_id == 0)
    self->grow_view_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, grow_view_cb, self, NULL);
}

/* The slice grows after each painted frame (see grow_view_cb()). */
static void
grow_view_after_paints (PdWindow *self)
{
  if (self->after_paint_id == 0)
    self->after_paint_id = g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                                                    G_CALLBACK (on_frame_clock_after_paint), self, 0);
}

/* Before a reload: the rows GTK made (up to 200) are replaced by new ones
 * made as at start-up, those that fit first and a page more after each
 * painted frame (see _pd_window_reload_list()). */
void
_pd_window_view_restart (PdWindow *self)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self->list_view));

  if (gtk_widget_get_realized (GTK_WIDGET (self)) && height > 0)
    {
      gtk_slice_list_model_set_size (self->view_slice, rows_that_fit (height));
      grow_view_after_paints (self);
    }
}

void
_pd_window_view_hold_count (PdWindow *self)
{
  pd_persona_list_hold_count (self->personas, TRUE);
  self->release_count_id = g_idle_add_full (G_PRIORITY_LOW, release_count_if_hidden_cb, self, NULL);
}

void
_pd_window_view_realize (PdWindow *self)
{
  if (gtk_slice_list_model_get_size (self->view_slice) != G_MAXUINT)
    grow_view_after_paints (self);
  else
    pd_persona_list_hold_count (self->personas, FALSE);
}

void
_pd_window_view_unrealize (PdWindow *self)
{
  g_clear_signal_handler (&self->after_paint_id, gtk_widget_get_frame_clock (GTK_WIDGET (self)));
  pd_persona_list_hold_count (self->personas, FALSE);
  g_clear_handle_id (&self->grow_view_id, g_source_remove);
}
