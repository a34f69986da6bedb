/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-persona-header.h"

struct _PdPersonaHeader
{
  GtkWidget  parent_instance;

  GtkWidget *button[PD_PERSONA_N_COLUMNS];
  GtkImage  *arrow[PD_PERSONA_N_COLUMNS];
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
  pd_persona_columns_place (width, x, w);
  for (int i = 0; i < PD_PERSONA_N_COLUMNS; i++)
    {
      int min;

      gtk_widget_measure (self->button[i], GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
      w[i] = MAX (w[i], min);
      gtk_widget_size_allocate (self->button[i],
                                &(GtkAllocation) { rtl ? width - x[i] - w[i] : x[i], 0, w[i], height },
                                -1);
    }
}

static void
pd_persona_header_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_PERSONA_HEADER);

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
                                               "/org/personadesk/PersonaDesk/ui/pd-persona-header.ui");
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
  gtk_widget_init_template (GTK_WIDGET (self));
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
