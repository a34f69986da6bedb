/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-account-dialog.h"
#include "pd-session.h"

struct _PdAccountDialog
{
  AdwMessageDialog  parent_instance;

  PdStore          *store;
  PdAccount        *account;     /* nullable: a new one */

  /* template children */
  AdwEntryRow      *name_row;
  AdwComboRow      *role_row;
  GtkStringList    *role_labels;
  AdwEntryRow      *password_row;
  GtkWidget        *disabled_row;
  GtkSwitch        *disabled_switch;
};

G_DEFINE_FINAL_TYPE (PdAccountDialog, pd_account_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_refusal (PdAccountDialog *self,
              const char      *message)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  GtkWidget *dialog = adw_message_dialog_new (parent, _("The Account Was Not Saved"), message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
save (PdAccountDialog  *self,
      GError          **error)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  PdRole role = (PdRole) adw_combo_row_get_selected (self->role_row);

  if (self->account == NULL)
    {
      const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));

      return pd_store_add_account (self->store, name, role, password, pd_app_actor (), error) > 0;
    }
  else
    {
      PdAccountUpdate update = PD_ACCOUNT_UPDATE_INIT;

      update.set_role = TRUE;
      update.role = role;
      update.password = password[0] != '\0' ? password : NULL;
      update.disabled = gtk_switch_get_active (self->disabled_switch);
      return pd_store_update_account (self->store, self->account->name, &update, pd_app_actor (), error);
    }
}

static void
pd_account_dialog_response (AdwMessageDialog *dialog,
                            const char       *response)
{
  PdAccountDialog *self = PD_ACCOUNT_DIALOG (dialog);
  g_autoptr(GError) error = NULL;

  if (g_str_equal (response, "save"))
    {
      if (save (self, &error))
        g_signal_emit (self, signals[SAVED], 0);
      else
        show_refusal (self, error->message);
    }
  /* the password is not kept in the widget any longer than needed */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
}

static void
pd_account_dialog_finalize (GObject *object)
{
  PdAccountDialog *self = PD_ACCOUNT_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->account, pd_account_free);
  G_OBJECT_CLASS (pd_account_dialog_parent_class)->finalize (object);
}

static void
pd_account_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_ACCOUNT_DIALOG);
  G_OBJECT_CLASS (pd_account_dialog_parent_class)->dispose (object);
}

static void
pd_account_dialog_class_init (PdAccountDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_account_dialog_dispose;
  object_class->finalize = pd_account_dialog_finalize;
  ADW_MESSAGE_DIALOG_CLASS (klass)->response = pd_account_dialog_response;

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/staff/pd-account-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PdAccountDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, PdAccountDialog, role_row);
  gtk_widget_class_bind_template_child (widget_class, PdAccountDialog, role_labels);
  gtk_widget_class_bind_template_child (widget_class, PdAccountDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, PdAccountDialog, disabled_row);
  gtk_widget_class_bind_template_child (widget_class, PdAccountDialog, disabled_switch);
}

static void
pd_account_dialog_init (PdAccountDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* in PdRole order: the selected index is the role */
  for (guint r = 0; r < PD_N_ROLES; r++)
    gtk_string_list_append (self->role_labels, pd_role_to_label (r));
}

PdAccountDialog *
pd_account_dialog_new (GtkWindow       *parent,
                       PdStore         *store,
                       const PdAccount *account)
{
  PdAccountDialog *self = g_object_new (PD_TYPE_ACCOUNT_DIALOG,
                                        "transient-for", parent,
                                        "modal", TRUE,
                                        NULL);

  self->store = g_object_ref (store);
  if (account != NULL)
    {
      self->account = pd_account_copy (account);
      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), account->name);
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self),
                                   _("Leave the PIN or password empty to keep it."));
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), account->name);
      gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), FALSE);
      adw_combo_row_set_selected (self->role_row, account->role);
      gtk_switch_set_active (self->disabled_switch, account->disabled);
    }
  else
    {
      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), _("New Staff Account"));
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self),
                                   _("A PIN or password of at least 4 characters. The Owner manages "
                                     "accounts; Managers, Staff, Marketing and Operators edit customers; "
                                     "the Analysts only read."));
      adw_combo_row_set_selected (self->role_row, PD_ROLE_STAFF);
      gtk_widget_set_visible (self->disabled_row, FALSE);
    }
  return self;
}
