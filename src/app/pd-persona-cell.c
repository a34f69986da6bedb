/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pd-persona-cell.h"

struct _PdPersonaCell
{
  GtkWidget     parent_instance;

  char         *text;
  gboolean      numeric;

  /* Made when first drawn; redone when the text, the width or the shared
   * context (font, resolution) change. */
  PangoLayout  *layout;
  PangoContext *layout_context;
  guint         layout_serial;
  int           layout_width;
};

G_DEFINE_FINAL_TYPE (PdPersonaCell, pd_persona_cell, GTK_TYPE_WIDGET)

/* What a cell needs of the font, computed once per context and font (the
 * context's serial changes with either). */
typedef struct {
  guint serial;
  int   line_height;   /* px */
  int   char_width;    /* px, approximate */
} Metrics;

static GQuark metrics_quark;

/* GtkWidget gives each widget a PangoContext of its own, made with the
 * widget; 1,200 cells made as many.  The cells draw with their column
 * view's, which GTK keeps up to date with the CSS font and the display's
 * font settings like any widget's.  The persona list's style gives cells
 * no font of their own (tabular figures are an attribute, below). */
static PangoContext *
get_context (PdPersonaCell *self)
{
  GtkWidget *view = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_COLUMN_VIEW);

  return gtk_widget_get_pango_context (view != NULL ? view : GTK_WIDGET (self));
}

static const Metrics *
get_metrics (PangoContext *context)
{
  Metrics *m = g_object_get_qdata (G_OBJECT (context), metrics_quark);
  guint serial = pango_context_get_serial (context);

  if (m == NULL)
    {
      m = g_new0 (Metrics, 1);
      g_object_set_qdata_full (G_OBJECT (context), metrics_quark, m, g_free);
    }
  if (m->line_height == 0 || m->serial != serial)
    {
      PangoFontMetrics *fm = pango_context_get_metrics (context, NULL, NULL);
      int height = pango_font_metrics_get_height (fm);

      if (height <= 0)
        height = pango_font_metrics_get_ascent (fm) + pango_font_metrics_get_descent (fm);
      m->line_height = PANGO_PIXELS_CEIL (height);
      m->char_width = PANGO_PIXELS_CEIL (MAX (pango_font_metrics_get_approximate_char_width (fm),
                                              pango_font_metrics_get_approximate_digit_width (fm)));
      m->serial = serial;
      pango_font_metrics_unref (fm);
    }
  return m;
}

static void
pd_persona_cell_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  const Metrics *m = get_metrics (get_context (PD_PERSONA_CELL (widget)));

  /* One line whatever the text: a cell's size never depends on it, so a
   * new persona in a row does not resize the row (nor the column). */
  if (orientation == GTK_ORIENTATION_VERTICAL)
    {
      *minimum = *natural = m->line_height;
    }
  else
    {
      *minimum = 0;
      *natural = (PD_PERSONA_CELL (widget)->numeric ? 6 : 16) * m->char_width;
    }
}

static void
ensure_layout (PdPersonaCell *self,
               int            width)
{
  PangoContext *context = get_context (self);
  guint serial = pango_context_get_serial (context);

  if (self->layout != NULL && self->layout_context != context)
    g_clear_object (&self->layout);

  if (self->layout == NULL)
    {
      self->layout = pango_layout_new (context);
      self->layout_context = context;
      self->layout_serial = serial;
      self->layout_width = -1;
      pango_layout_set_ellipsize (self->layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_single_paragraph_mode (self->layout, TRUE);
      if (self->numeric)
        {
          PangoAttrList *attrs = pango_attr_list_new ();

          pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
          pango_layout_set_attributes (self->layout, attrs);
          pango_attr_list_unref (attrs);
        }
      pango_layout_set_text (self->layout, self->text ? self->text : "", -1);
    }
  else if (self->layout_serial != serial)
    {
      pango_layout_context_changed (self->layout);
      self->layout_serial = serial;
    }

  if (self->layout_width != width)
    {
      gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;

      pango_layout_set_width (self->layout, width * PANGO_SCALE);
      pango_layout_set_alignment (self->layout,
                                  (self->numeric != rtl) ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
      self->layout_width = width;
    }
}

static void
pd_persona_cell_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  PdPersonaCell *self = PD_PERSONA_CELL (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  PangoRectangle logical;
  GdkRGBA color;

  if (self->text == NULL || self->text[0] == '\0' || width <= 0)
    return;

  ensure_layout (self, width);
  pango_layout_get_pixel_extents (self->layout, NULL, &logical);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, floorf ((height - logical.height) / 2.f)));
  gtk_snapshot_append_layout (snapshot, self->layout, &color);
  gtk_snapshot_restore (snapshot);
}

static void
pd_persona_cell_direction_changed (GtkWidget        *widget,
                                   GtkTextDirection  previous)
{
  PD_PERSONA_CELL (widget)->layout_width = -1;
  gtk_widget_queue_draw (widget);
}

static void
pd_persona_cell_unroot (GtkWidget *widget)
{
  PdPersonaCell *self = PD_PERSONA_CELL (widget);

  /* The context belongs to a column view this cell may no longer be in. */
  g_clear_object (&self->layout);
  self->layout_context = NULL;

  GTK_WIDGET_CLASS (pd_persona_cell_parent_class)->unroot (widget);
}

static void
pd_persona_cell_finalize (GObject *object)
{
  PdPersonaCell *self = PD_PERSONA_CELL (object);

  g_clear_object (&self->layout);
  g_free (self->text);

  G_OBJECT_CLASS (pd_persona_cell_parent_class)->finalize (object);
}

static void
pd_persona_cell_class_init (PdPersonaCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = pd_persona_cell_finalize;
  widget_class->measure = pd_persona_cell_measure;
  widget_class->snapshot = pd_persona_cell_snapshot;
  widget_class->direction_changed = pd_persona_cell_direction_changed;
  widget_class->unroot = pd_persona_cell_unroot;

  /* Styled as the labels it replaces. */
  gtk_widget_class_set_css_name (widget_class, "label");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);

  metrics_quark = g_quark_from_static_string ("pd-persona-cell-metrics");
}

static void
pd_persona_cell_init (PdPersonaCell *self)
{
}

GtkWidget *
pd_persona_cell_new (gboolean numeric)
{
  PdPersonaCell *self = g_object_new (PD_TYPE_PERSONA_CELL, NULL);

  self->numeric = !!numeric;
  return GTK_WIDGET (self);
}

void
pd_persona_cell_set_text (PdPersonaCell *self,
                          const char    *text)
{
  g_return_if_fail (PD_IS_PERSONA_CELL (self));

  if (text != NULL && text[0] == '\0')
    text = NULL;
  if (g_strcmp0 (self->text, text) == 0)
    return;

  g_free (self->text);
  self->text = g_strdup (text);
  if (self->layout != NULL)
    pango_layout_set_text (self->layout, text ? text : "", -1);
  /* Only a redraw: the size does not depend on the text. */
  gtk_widget_queue_draw (GTK_WIDGET (self));
  /* What a screen reader reads for the cell. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text ? text : "",
                                  -1);
}

const char *
pd_persona_cell_get_text (PdPersonaCell *self)
{
  g_return_val_if_fail (PD_IS_PERSONA_CELL (self), NULL);
  return self->text;
}
