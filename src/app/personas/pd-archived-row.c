/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-archived-row.h"
#include "pd-phone-display.h"

struct _PdArchivedRow
{
  GtkWidget  parent_instance;

  GtkWidget *box;
  GtkLabel  *title_label;
  GtkLabel  *subtitle_label;
  GtkWidget *unarchive_button;
};

G_DEFINE_FINAL_TYPE (PdArchivedRow, pd_archived_row, GTK_TYPE_WIDGET)

static void
pd_archived_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_ARCHIVED_ROW);

  G_OBJECT_CLASS (pd_archived_row_parent_class)->dispose (object);
}

static void
pd_archived_row_class_init (PdArchivedRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_archived_row_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/personas/pd-archived-row.ui");
  /* Bound so that dispose_template unparents it. */
  gtk_widget_class_bind_template_child (widget_class, PdArchivedRow, box);
  gtk_widget_class_bind_template_child (widget_class, PdArchivedRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, PdArchivedRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, PdArchivedRow, unarchive_button);
}

static void
pd_archived_row_init (PdArchivedRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
pd_archived_row_new (void)
{
  return g_object_new (PD_TYPE_ARCHIVED_ROW, NULL);
}

void
pd_archived_row_set_persona (PdArchivedRow *self,
                             PdPersona     *persona)
{
  const char *phone, *email, *title;
  g_autofree char *phone_shown = NULL;
  g_autofree char *name = NULL;
  g_autofree char *button_label = NULL;

  g_return_if_fail (PD_IS_ARCHIVED_ROW (self));

  if (persona == NULL)
    {
      gtk_label_set_text (self->title_label, "");
      gtk_label_set_text (self->subtitle_label, "");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->unarchive_button), NULL);
      return;
    }

  /* The name, as everywhere else; the phone (as given at the counter)
   * and the email under it, and in the title when there is no name. */
  phone = phone_shown = pd_phone_display (pd_persona_get_primary_phone (persona));
  email = pd_persona_get_primary_email (persona);
  name = pd_persona_dup_display_name (persona);
  title = name != NULL && name[0] != '\0' ? name
          : phone != NULL ? phone : email != NULL ? email : _("No name, phone or email");
  {
    g_autoptr(GString) subtitle = g_string_new (NULL);

    if (phone != NULL && g_strcmp0 (phone, title) != 0)
      g_string_append (subtitle, phone);
    if (email != NULL && g_strcmp0 (email, title) != 0)
      g_string_append_printf (subtitle, "%s%s", subtitle->len > 0 ? " · " : "", email);
    gtk_label_set_text (self->subtitle_label, subtitle->str);
  }
  gtk_label_set_text (self->title_label, title);
  /* Target first, then the name: a name without its "x" target would be
   * refused by the action helper. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->unarchive_button), "x",
                                    (gint64) pd_persona_get_id (persona));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->unarchive_button), "archived.unarchive");

  button_label = g_strdup_printf (_("Unarchive %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->unarchive_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, button_label, -1);
}
