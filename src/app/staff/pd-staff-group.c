/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-account-dialog.h"
#include "pd-session.h"
#include "pd-staff-group.h"

struct _PdStaffGroup
{
  AdwPreferencesGroup  parent_instance;

  PdStore             *store;
  GPtrArray           *accounts;   /* PdAccount, as listed */
  GPtrArray           *rows;       /* the account rows added to the group */
  gboolean             syncing;

  /* template children */
  GtkSwitch           *enabled_switch;
  GtkSpinButton       *lock_spin;
};

G_DEFINE_FINAL_TYPE (PdStaffGroup, pd_staff_group, ADW_TYPE_PREFERENCES_GROUP)

static void reload (PdStaffGroup *self);

static void
show_refusal (PdStaffGroup *self,
              const char   *message)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              _("Staff Accounts Were Not Changed"), message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_setting_changed (PdStaffGroup *self)
{
  g_autoptr(GError) error = NULL;
  PdStaffSettings settings;

  if (self->syncing || self->store == NULL)
    return;
  settings.enabled = gtk_switch_get_active (self->enabled_switch);
  settings.lock_minutes = (guint) gtk_spin_button_get_value_as_int (self->lock_spin);
  if (!pd_store_set_staff_settings (self->store, &settings, pd_app_actor (), &error))
    show_refusal (self, error->message);
  /* turning them on signs no one out: the Owner who did it stays */
  reload (self);
  pd_session_sync (pd_session_get_default (), self->store);
}

static void
on_dialog_saved (PdStaffGroup *self)
{
  reload (self);
}

static void
open_dialog (PdStaffGroup    *self,
             const PdAccount *account)
{
  PdAccountDialog *dialog = pd_account_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                   self->store, account);

  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_dialog_saved), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  open_dialog (PD_STAFF_GROUP (widget), NULL);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  PdStaffGroup *self = PD_STAFF_GROUP (widget);
  const char *name = g_variant_get_string (param, NULL);

  for (guint i = 0; self->accounts != NULL && i < self->accounts->len; i++)
    {
      PdAccount *account = g_ptr_array_index (self->accounts, i);

      if (g_strcmp0 (account->name, name) == 0)
        open_dialog (self, account);
    }
}

static GtkWidget *
make_row (const PdAccount *account)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("document-edit-symbolic");
  g_autofree char *subtitle = NULL;
  g_autofree char *label = g_strdup_printf (_("Change %s"), account->name);

  subtitle = account->disabled
    /* TRANSLATORS: "Staff · disabled" */
    ? g_strdup_printf (_("%s · disabled"), pd_role_to_label (account->role))
    : g_strdup (pd_role_to_label (account->role));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), account->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "staff.edit");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", account->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
  return row;
}

static void
reload (PdStaffGroup *self)
{
  g_autoptr(GError) error = NULL;
  PdStaffSettings settings;

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  if (self->store == NULL)
    return;
  if (!pd_store_get_staff_settings (self->store, &settings, &error) ||
      (self->accounts = pd_store_list_accounts (self->store, &error)) == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }
  self->syncing = TRUE;
  gtk_switch_set_active (self->enabled_switch, settings.enabled);
  gtk_spin_button_set_value (self->lock_spin, settings.lock_minutes);
  self->syncing = FALSE;
  for (guint i = 0; i < self->accounts->len; i++)
    {
      GtkWidget *row = make_row (g_ptr_array_index (self->accounts, i));

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_add (self->rows, row);
    }
}

static void
pd_staff_group_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_STAFF_GROUP);
  G_OBJECT_CLASS (pd_staff_group_parent_class)->dispose (object);
}

static void
pd_staff_group_finalize (GObject *object)
{
  PdStaffGroup *self = PD_STAFF_GROUP (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  G_OBJECT_CLASS (pd_staff_group_parent_class)->finalize (object);
}

static void
pd_staff_group_class_init (PdStaffGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_staff_group_dispose;
  object_class->finalize = pd_staff_group_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/staff/pd-staff-group.ui");
  gtk_widget_class_bind_template_child (widget_class, PdStaffGroup, enabled_switch);
  gtk_widget_class_bind_template_child (widget_class, PdStaffGroup, lock_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_setting_changed);
  gtk_widget_class_install_action (widget_class, "staff.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "staff.edit", "s", edit_action);
}

static void
pd_staff_group_init (PdStaffGroup *self)
{
  self->rows = g_ptr_array_new ();
  self->syncing = TRUE;   /* until a store is set */
  gtk_widget_init_template (GTK_WIDGET (self));
  self->syncing = FALSE;
}

/* Shown to the Owner only (the store refuses anyone else anyway). */
void
pd_staff_group_set_store (PdStaffGroup *self,
                          PdStore      *store)
{
  g_return_if_fail (PD_IS_STAFF_GROUP (self));

  g_set_object (&self->store, store);
  gtk_widget_set_visible (GTK_WIDGET (self), store != NULL && pd_app_may (PD_PERMISSION_MANAGE_ACCOUNTS));
  reload (self);
}
