/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-import-undo-rest-dialog.h"

struct _PdImportUndoRestDialog
{
  AdwMessageDialog parent_instance;

  gint64           import_id;
};

G_DEFINE_FINAL_TYPE (PdImportUndoRestDialog, pd_import_undo_rest_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  OPEN_PERSONA,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_open_clicked (GtkButton              *button,
                 PdImportUndoRestDialog *self)
{
  gint64 *id = g_object_get_data (G_OBJECT (button), "persona-id");

  g_signal_emit (self, signals[OPEN_PERSONA], 0, *id);
}

/* A row: the persona's name, its email (or phone), and Open. */
static GtkWidget *
persona_row (PdImportUndoRestDialog *self,
             PdStore                *store,
             gint64                  persona_id)
{
  g_autoptr(PdPersona) persona = pd_store_get_persona (store, persona_id, NULL);
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button;
  const char *contact = NULL;

  if (persona != NULL)
    {
      name = pd_persona_dup_display_name (persona);
      contact = pd_persona_get_primary_email (persona);
      if (contact == NULL)
        contact = pd_persona_get_primary_phone (persona);
    }
  else
    name = g_strdup (_("A persona since removed"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  if (contact != NULL && g_strcmp0 (contact, name) != 0)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), contact);
  if (persona == NULL)
    return row;

  button = gtk_button_new_with_mnemonic (_("_Open"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  /* TRANSLATORS: %s is a persona's name */
  label = g_strdup_printf (_("Open %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (button), "persona-id", g_memdup2 (&persona_id, sizeof persona_id), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_open_clicked), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
pd_import_undo_rest_dialog_class_init (PdImportUndoRestDialogClass *klass)
{
  /* a persona named in the dialog: show it */
  signals[OPEN_PERSONA] = g_signal_new ("open-persona", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
pd_import_undo_rest_dialog_init (PdImportUndoRestDialog *self)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);

  adw_message_dialog_set_heading (dialog, _("Changed Since the Import"));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Keep the Import"), "rest", _("Undo the _Rest"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "rest", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
}

PdImportUndoRestDialog *
pd_import_undo_rest_dialog_new (GtkWindow *parent,
                                PdStore   *store,
                                gint64     import_id,
                                GArray    *blockers)
{
  PdImportUndoRestDialog *self = g_object_new (PD_TYPE_IMPORT_UNDO_REST_DIALOG,
                                               "transient-for", parent,
                                               "modal", TRUE,
                                               NULL);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  g_autofree char *body = NULL;

  self->import_id = import_id;
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u persona of this import was changed after it. Undoing the "
                                       "whole import would throw that change away, so it is not done. "
                                       "Undo the rest: every other row of the import is taken back, "
                                       "and this persona stays exactly as it is now.",
                                       "%u personas of this import were changed after it. Undoing the "
                                       "whole import would throw those changes away, so it is not done. "
                                       "Undo the rest: every other row of the import is taken back, "
                                       "and these personas stay exactly as they are now.",
                                       blockers->len), blockers->len);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Personas changed since the import"), -1);
  for (guint i = 0; i < blockers->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (list), persona_row (self, store, g_array_index (blockers, gint64, i)));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 240);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), scrolled);
  return self;
}

gint64
pd_import_undo_rest_dialog_get_import_id (PdImportUndoRestDialog *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_UNDO_REST_DIALOG (self), 0);
  return self->import_id;
}
