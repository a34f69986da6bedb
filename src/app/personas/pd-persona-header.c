/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "pd-persona-header.h"

/* How near an edge between two titles, px, a press starts a drag */
#define EDGE_SLOP 5

struct _PdPersonaHeader
{
  GtkWidget         parent_instance;

  GtkWidget        *button[PD_PERSONA_N_COLUMNS];
  GtkImage         *arrow[PD_PERSONA_N_COLUMNS];

  PdPersonaColumns *columns;
  /* the drag of an edge: which, and the widths when it began */
  PdPersonaColumn   drag_edge;
  int               drag_start[PD_PERSONA_N_COLUMNS];
  gboolean          dragging;
};

G_DEFINE_FINAL_TYPE (PdPersonaHeader, pd_persona_header, GTK_TYPE_WIDGET)

static void
pd_persona_header_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  PdPersonaHeader *self = PD_PERSONA_HEADER (widget);

  *minimum = *natural = 0;
  for (int i = 0; i < PD_PERSONA_N_COLUMNS; i++)
    {
      int min, nat;

      gtk_widget_measure (self->button[i], orientation, -1, &min, &nat, NULL, NULL);
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          /* The list's rows set the width; titles only need to fit. */
          *minimum += min;
          *natural += min;
        }
      else
        {
          *minimum = MAX (*minimum, min);
          *natural = MAX (*natural, nat);
        }
    }
}

static void
pd_persona_header_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  PdPersonaHeader *self = PD_PERSONA_HEADER (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int x[PD_PERSONA_N_COLUMNS], w[PD_PERSONA_N_COLUMNS];

  /* The same places as the rows' columns (the list has no horizontal
   * scrolling, so its rows are as wide as this). */
  pd_persona_columns_place (self->columns, width, x, w);
  for (int i = 0; i < PD_PERSONA_N_COLUMNS; i++)
    {
      int min;

      /* left out of a narrow window (see pd_persona_columns_place()) */
      gtk_widget_set_child_visible (self->button[i], w[i] > 0);
      if (w[i] == 0)
        continue;
      gtk_widget_measure (self->button[i], GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
      w[i] = MAX (w[i], min);
      gtk_widget_size_allocate (self->button[i],
                                &(GtkAllocation) { rtl ? width - x[i] - w[i] : x[i], 0, w[i], height },
                                -1);
    }
}

/**
 * pd_persona_header_edge_at:
 * @x: a point's distance from the header's left, px
 * @edge: (out): the column the edge ends
 *
 * Returns: whether @x is on the edge between two titles, where a drag
 *   resizes a column
 */
gboolean
pd_persona_header_edge_at (PdPersonaHeader *self,
                           double           x,
                           PdPersonaColumn *edge)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;
  int xs[PD_PERSONA_N_COLUMNS], ws[PD_PERSONA_N_COLUMNS];

  g_return_val_if_fail (PD_IS_PERSONA_HEADER (self), FALSE);

  pd_persona_columns_place (self->columns, width, xs, ws);
  for (int i = 0; i < PD_PERSONA_COLUMN_SOURCE; i++)
    {
      int end = xs[i] + ws[i];

      if (ws[i] == 0 || ws[i + 1] == 0)
        continue;

      if (fabs ((rtl ? width - end : end) - x) <= EDGE_SLOP)
        {
          *edge = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
begin_drag (PdPersonaHeader *self,
            PdPersonaColumn  edge)
{
  int xs[PD_PERSONA_N_COLUMNS];

  pd_persona_columns_place (self->columns, gtk_widget_get_width (GTK_WIDGET (self)), xs, self->drag_start);
  self->drag_edge = edge;
  self->dragging = TRUE;
}

/**
 * pd_persona_header_drag_edge:
 * @edge: the column whose end is dragged (not the last)
 * @dx: px, towards the end of the row (right, or left in a right-to-left
 *   locale)
 *
 * What a whole drag of an edge by @dx does.
 */
void
pd_persona_header_drag_edge (PdPersonaHeader *self,
                             PdPersonaColumn  edge,
                             int              dx)
{
  g_return_if_fail (PD_IS_PERSONA_HEADER (self));
  g_return_if_fail (edge < PD_PERSONA_COLUMN_SOURCE);

  begin_drag (self, edge);
  pd_persona_columns_move_edge (self->columns, edge, self->drag_start, dx);
  self->dragging = FALSE;
}

static void
on_drag_begin (GtkGestureDrag  *gesture,
               double           x,
               double           y,
               PdPersonaHeader *self)
{
  PdPersonaColumn edge;

  /* Elsewhere the press is the title button's (sorting). */
  if (!pd_persona_header_edge_at (self, x, &edge))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  begin_drag (self, edge);
}

static void
on_drag_update (GtkGestureDrag  *gesture,
                double           offset_x,
                double           offset_y,
                PdPersonaHeader *self)
{
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;

  if (self->dragging)
    pd_persona_columns_move_edge (self->columns, self->drag_edge, self->drag_start,
                                  (int) round (rtl ? -offset_x : offset_x));
}

static void
on_drag_end (GtkGestureDrag  *gesture,
             double           offset_x,
             double           offset_y,
             PdPersonaHeader *self)
{
  self->dragging = FALSE;
}

static void
on_pressed (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            PdPersonaHeader *self)
{
  PdPersonaColumn edge;

  if (n_press == 2 && pd_persona_header_edge_at (self, x, &edge))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      pd_persona_columns_reset_edge (self->columns, edge);
    }
}

static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           PdPersonaHeader          *self)
{
  PdPersonaColumn edge;

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                   self->dragging || pd_persona_header_edge_at (self, x, &edge)
                                   ? "col-resize" : NULL);
}

static void
pd_persona_header_dispose (GObject *object)
{
  PdPersonaHeader *self = PD_PERSONA_HEADER (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_PERSONA_HEADER);
  g_clear_object (&self->columns);

  G_OBJECT_CLASS (pd_persona_header_parent_class)->dispose (object);
}

static void
pd_persona_header_class_init (PdPersonaHeaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_persona_header_dispose;
  widget_class->measure = pd_persona_header_measure;
  widget_class->size_allocate = pd_persona_header_size_allocate;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/personas/pd-persona-header.ui");
  for (int i = 0; i < PD_PERSONA_N_COLUMNS; i++)
    {
      g_autofree char *button = g_strdup_printf ("%s_button", pd_persona_column_get_name (i));
      g_autofree char *arrow = g_strdup_printf ("%s_arrow", pd_persona_column_get_name (i));

      gtk_widget_class_bind_template_child_full (widget_class, g_intern_string (button), FALSE,
                                                 G_STRUCT_OFFSET (PdPersonaHeader, button[i]));
      gtk_widget_class_bind_template_child_full (widget_class, g_intern_string (arrow), FALSE,
                                                 G_STRUCT_OFFSET (PdPersonaHeader, arrow[i]));
    }
  gtk_widget_class_set_css_name (widget_class, "personaheader");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
pd_persona_header_init (PdPersonaHeader *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->columns = pd_persona_columns_new ();
  g_signal_connect_object (self->columns, "changed", G_CALLBACK (gtk_widget_queue_allocate), self,
                           G_CONNECT_SWAPPED);

  /* In the capture phase, before the title buttons: a press on an edge
   * is a resize, not a click on the title beside it. */
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drag), GTK_PHASE_CAPTURE);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_event_controller_set_propagation_phase (motion, GTK_PHASE_CAPTURE);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
}

/* Returns: (transfer none): where the columns are, for the list's rows */
PdPersonaColumns *
pd_persona_header_get_columns (PdPersonaHeader *self)
{
  g_return_val_if_fail (PD_IS_PERSONA_HEADER (self), NULL);
  return self->columns;
}

/**
 * pd_persona_header_set_sort:
 * @sort: the list's order; %PD_PERSONA_SORT_ID (no column) shows no arrow
 */
void
pd_persona_header_set_sort (PdPersonaHeader *self,
                            PdPersonaSort    sort,
                            gboolean         descending)
{
  g_return_if_fail (PD_IS_PERSONA_HEADER (self));

  for (int i = 0; i < PD_PERSONA_N_COLUMNS; i++)
    {
      gboolean sorted = pd_persona_column_get_sort (i) == sort;

      /* Shown by opacity: a title does not move when its arrow appears. */
      gtk_widget_set_opacity (GTK_WIDGET (self->arrow[i]), sorted ? 1.0 : 0.0);
      gtk_image_set_from_icon_name (self->arrow[i], descending ? "pan-down-symbolic" : "pan-up-symbolic");
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->button[i]),
                                   GTK_ACCESSIBLE_STATE_PRESSED,
                                   sorted ? GTK_ACCESSIBLE_TRISTATE_TRUE : GTK_ACCESSIBLE_TRISTATE_FALSE,
                                   -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->button[i]),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      !sorted ? ""
                                      : descending ? _("Sorted in descending order")
                                      : _("Sorted in ascending order"),
                                      -1);
    }
}

GtkWidget *
pd_persona_header_get_button (PdPersonaHeader *self,
                              PdPersonaColumn  column)
{
  g_return_val_if_fail (PD_IS_PERSONA_HEADER (self), NULL);
  g_return_val_if_fail (column < PD_PERSONA_N_COLUMNS, NULL);
  return self->button[column];
}
