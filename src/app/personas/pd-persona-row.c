/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-persona-row.h"
#include "pd-phone-display.h"

struct _PdPersonaRow
{
  GtkWidget     parent_instance;

  PdPersonaColumns *columns;
  char         *text[PD_PERSONA_N_COLUMNS];

  /* Made when first drawn (most of the 200 rows GTK keeps never are);
   * redone when a text, a width or the shared context change. */
  PangoLayout  *layout[PD_PERSONA_N_COLUMNS];
  int           layout_width[PD_PERSONA_N_COLUMNS];
  PangoContext *layout_context;
  guint         layout_serial;
};

G_DEFINE_FINAL_TYPE (PdPersonaRow, pd_persona_row, GTK_TYPE_WIDGET)

static gboolean
is_numeric (int column)
{
  return column == PD_PERSONA_COLUMN_POINTS;
}

/* What a row needs of the font, computed once per context and font (the
 * context's serial changes with either). */
typedef struct {
  guint serial;
  int   line_height;   /* px */
} Metrics;

static GQuark metrics_quark;

/* GtkWidget gives each widget a PangoContext of its own, made with the
 * widget.  The rows draw with their list view's, which GTK keeps up to
 * date with the CSS font and the display's font settings like any
 * widget's. */
static PangoContext *
get_context (PdPersonaRow *self)
{
  GtkWidget *view = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_LIST_VIEW);

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
      m->serial = serial;
      pango_font_metrics_unref (fm);
    }
  return m;
}

static void
pd_persona_row_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  /* One line whatever the text: a row's size never depends on it, so
   * GTK never measures a persona's text, nor resizes a row for one. */
  if (orientation == GTK_ORIENTATION_VERTICAL)
    *minimum = *natural = get_metrics (get_context (PD_PERSONA_ROW (widget)))->line_height;
  else
    *minimum = *natural = 0;
}

static void
drop_layouts (PdPersonaRow *self)
{
  for (int i = 0; i < PD_PERSONA_N_COLUMNS; i++)
    g_clear_object (&self->layout[i]);
  self->layout_context = NULL;
}

static PangoLayout *
ensure_layout (PdPersonaRow *self,
               int           column,
               int           width)
{
  PangoContext *context = get_context (self);
  guint serial = pango_context_get_serial (context);
  PangoLayout *layout;

  if (self->layout_context != context || self->layout_serial != serial)
    {
      drop_layouts (self);
      self->layout_context = context;
      self->layout_serial = serial;
    }

  layout = self->layout[column];
  if (layout == NULL)
    {
      layout = self->layout[column] = pango_layout_new (context);
      self->layout_width[column] = -1;
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_single_paragraph_mode (layout, TRUE);
      if (is_numeric (column))
        {
          PangoAttrList *attrs = pango_attr_list_new ();

          pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
          pango_layout_set_attributes (layout, attrs);
          pango_attr_list_unref (attrs);
        }
      pango_layout_set_text (layout, self->text[column] ? self->text[column] : "", -1);
    }

  if (self->layout_width[column] != width)
    {
      gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;

      pango_layout_set_width (layout, width * PANGO_SCALE);
      pango_layout_set_alignment (layout, (is_numeric (column) != rtl) ? PANGO_ALIGN_RIGHT
                                                                       : PANGO_ALIGN_LEFT);
      self->layout_width[column] = width;
    }
  return layout;
}

static void
pd_persona_row_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  PdPersonaRow *self = PD_PERSONA_ROW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int x[PD_PERSONA_N_COLUMNS], w[PD_PERSONA_N_COLUMNS];
  GdkRGBA color;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS

  pd_persona_columns_place (self->columns, width, x, w);
  for (int i = 0; i < PD_PERSONA_N_COLUMNS; i++)
    {
      int inner = w[i] - 2 * PD_PERSONA_COLUMN_PADDING;
      int left = rtl ? width - x[i] - w[i] : x[i];
      PangoLayout *layout;
      PangoRectangle logical;

      if (self->text[i] == NULL || inner <= 0)
        continue;
      layout = ensure_layout (self, i, inner);
      pango_layout_get_pixel_extents (layout, NULL, &logical);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (left + PD_PERSONA_COLUMN_PADDING,
                                                    floorf ((height - logical.height) / 2.f)));
      gtk_snapshot_append_layout (snapshot, layout, &color);
      gtk_snapshot_restore (snapshot);
    }
}

static void
pd_persona_row_direction_changed (GtkWidget        *widget,
                                  GtkTextDirection  previous)
{
  PdPersonaRow *self = PD_PERSONA_ROW (widget);

  for (int i = 0; i < PD_PERSONA_N_COLUMNS; i++)
    self->layout_width[i] = -1;
  gtk_widget_queue_draw (widget);
}

static void
pd_persona_row_unroot (GtkWidget *widget)
{
  /* The context belongs to a list view this row may no longer be in. */
  drop_layouts (PD_PERSONA_ROW (widget));

  GTK_WIDGET_CLASS (pd_persona_row_parent_class)->unroot (widget);
}

static void
pd_persona_row_finalize (GObject *object)
{
  PdPersonaRow *self = PD_PERSONA_ROW (object);

  drop_layouts (self);
  for (int i = 0; i < PD_PERSONA_N_COLUMNS; i++)
    g_free (self->text[i]);
  g_clear_object (&self->columns);

  G_OBJECT_CLASS (pd_persona_row_parent_class)->finalize (object);
}

static void
pd_persona_row_class_init (PdPersonaRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = pd_persona_row_finalize;
  widget_class->measure = pd_persona_row_measure;
  widget_class->snapshot = pd_persona_row_snapshot;
  widget_class->direction_changed = pd_persona_row_direction_changed;
  widget_class->unroot = pd_persona_row_unroot;

  /* Its padding is in style.css. */
  gtk_widget_class_set_css_name (widget_class, "personarow");
  /* Read as one line of text: the columns' values, in order. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);

  metrics_quark = g_quark_from_static_string ("pd-persona-row-metrics");
}

static void
pd_persona_row_init (PdPersonaRow *self)
{
}

/* @columns: where the list's columns are, shared with its header */
GtkWidget *
pd_persona_row_new (PdPersonaColumns *columns)
{
  PdPersonaRow *self = g_object_new (PD_TYPE_PERSONA_ROW, NULL);

  self->columns = g_object_ref (columns);
  g_signal_connect_object (columns, "changed", G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}

static char *
format_name (PdPersona *persona)
{
  const char *first = pd_persona_get_value (persona, PD_FIELD_FIRST_NAME);
  const char *last = pd_persona_get_value (persona, PD_FIELD_LAST_NAME);

  /* Only the name, not display_name's fallback to the email: that is in
   * the next column already. */
  if (first != NULL && last != NULL)
    return g_strdup_printf ("%s %s", first, last);
  return g_strdup (first ? first : last);
}

static void
set_text (PdPersonaRow *self,
          int           column,
          char         *text)   /* (transfer full) */
{
  if (text != NULL && text[0] == '\0')
    g_clear_pointer (&text, g_free);
  if (g_strcmp0 (self->text[column], text) == 0)
    {
      g_free (text);
      return;
    }
  g_free (self->text[column]);
  self->text[column] = text;
  if (self->layout[column] != NULL)
    pango_layout_set_text (self->layout[column], text ? text : "", -1);
}

/**
 * pd_persona_row_set_persona:
 * @self: a row
 * @persona: (nullable): the persona shown
 *
 * Only redraws: a row's size does not depend on its texts.
 */
void
pd_persona_row_set_persona (PdPersonaRow *self,
                            PdPersona    *persona)
{
  g_autoptr(GString) label = g_string_new (NULL);

  g_return_if_fail (PD_IS_PERSONA_ROW (self));

  if (persona == NULL)
    {
      for (int i = 0; i < PD_PERSONA_N_COLUMNS; i++)
        set_text (self, i, NULL);
    }
  else
    {
      set_text (self, PD_PERSONA_COLUMN_NAME, format_name (persona));
      set_text (self, PD_PERSONA_COLUMN_EMAIL, g_strdup (pd_persona_get_primary_email (persona)));
      set_text (self, PD_PERSONA_COLUMN_PHONE, pd_phone_display_marked (pd_persona_get_primary_phone (persona)));
      set_text (self, PD_PERSONA_COLUMN_POINTS,
                g_strdup_printf ("%'" G_GINT64_FORMAT, pd_persona_get_points (persona)));
      set_text (self, PD_PERSONA_COLUMN_LOYALTY,
                g_strdup (pd_persona_get_loyalty (persona) ? C_("loyalty column", "Member") : NULL));
      set_text (self, PD_PERSONA_COLUMN_SOURCE, g_strdup (pd_persona_get_signup_source (persona)));
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));

  /* What a screen reader reads for the row. */
  for (int i = 0; i < PD_PERSONA_N_COLUMNS; i++)
    {
      if (self->text[i] == NULL)
        continue;
      if (label->len > 0)
        g_string_append (label, ", ");
      if (i == PD_PERSONA_COLUMN_POINTS)
        /* TRANSLATORS: a persona's points balance, read by screen readers in the list */
        g_string_append_printf (label, _("%s points"), self->text[i]);
      else
        g_string_append (label, self->text[i]);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label->str, -1);
}

const char *
pd_persona_row_get_text (PdPersonaRow    *self,
                         PdPersonaColumn  column)
{
  g_return_val_if_fail (PD_IS_PERSONA_ROW (self), NULL);
  g_return_val_if_fail (column < PD_PERSONA_N_COLUMNS, NULL);
  return self->text[column];
}
