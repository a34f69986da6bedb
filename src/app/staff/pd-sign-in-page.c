/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-sign-in-page.h"

struct _PdSignInPage
{
  AdwBin            parent_instance;

  PdStore          *store;
  GCancellable     *cancellable;   /* the password check running */

  /* template children */
  AdwComboRow      *account_row;
  GtkStringList    *account_names;
  AdwEntryRow      *password_row;
  GtkLabel         *error_label;
};

G_DEFINE_FINAL_TYPE (PdSignInPage, pd_sign_in_page, ADW_TYPE_BIN)

enum {
  SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  char *name;
  char *password;
} Check;

static void
check_free (Check *check)
{
  g_free (check->name);
  if (check->password != NULL)
    memset (check->password, 0, strlen (check->password));
  g_free (check->password);
  g_free (check);
}

/* Argon2id costs a fraction of a second and 64 MiB: off the main thread,
 * on a connection of its own. */
static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Check *check = task_data;
  GError *error = NULL;
  PdAccount *account = pd_store_verify_account (source_object, check->name, check->password, &error);

  if (account != NULL)
    g_task_return_pointer (task, account, (GDestroyNotify) pd_account_free);
  else
    g_task_return_error (task, error);
}

static void
show_error (PdSignInPage *self,
            const char   *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
check_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdAccount) account = g_task_propagate_pointer (G_TASK (result), &error);
  PdSignInPage *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = PD_SIGN_IN_PAGE (user_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.sign-in", TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  if (account == NULL)
    {
      show_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }
  show_error (self, NULL);
  g_signal_emit (self, signals[SIGNED_IN], 0, account);
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  PdSignInPage *self = PD_SIGN_IN_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) worker = NULL;
  g_autoptr(GTask) task = NULL;
  GtkStringObject *item = adw_combo_row_get_selected_item (self->account_row);
  Check *check;

  if (item == NULL)
    return;
  worker = pd_store_open_another (self->store, &error);
  if (worker == NULL)
    {
      show_error (self, error->message);
      return;
    }
  check = g_new0 (Check, 1);
  check->name = g_strdup (gtk_string_object_get_string (item));
  check->password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (worker, self->cancellable, check_done_cb, self);
  g_task_set_source_tag (task, sign_in_action);
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);
  gtk_widget_action_set_enabled (widget, "sign-in.sign-in", FALSE);
  g_task_run_in_thread (task, check_thread);
}

static void
on_password_row_entry_activated (PdSignInPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "sign-in.sign-in", NULL);
}

static void
pd_sign_in_page_dispose (GObject *object)
{
  PdSignInPage *self = PD_SIGN_IN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_SIGN_IN_PAGE);
  G_OBJECT_CLASS (pd_sign_in_page_parent_class)->dispose (object);
}

static void
pd_sign_in_page_finalize (GObject *object)
{
  g_clear_object (&PD_SIGN_IN_PAGE (object)->store);
  G_OBJECT_CLASS (pd_sign_in_page_parent_class)->finalize (object);
}

static void
pd_sign_in_page_class_init (PdSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_sign_in_page_dispose;
  object_class->finalize = pd_sign_in_page_finalize;

  signals[SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, PD_TYPE_ACCOUNT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/staff/pd-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdSignInPage, account_row);
  gtk_widget_class_bind_template_child (widget_class, PdSignInPage, account_names);
  gtk_widget_class_bind_template_child (widget_class, PdSignInPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, PdSignInPage, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_password_row_entry_activated);
  gtk_widget_class_install_action (widget_class, "sign-in.sign-in", NULL, sign_in_action);
}

static void
pd_sign_in_page_init (PdSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
pd_sign_in_page_new (PdStore *store)
{
  PdSignInPage *self = g_object_new (PD_TYPE_SIGN_IN_PAGE, NULL);

  self->store = g_object_ref (store);
  return GTK_WIDGET (self);
}

void
pd_sign_in_page_reset (PdSignInPage *self,
                       const char   *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->account_names));
  guint selected = 0, shown = 0;

  g_return_if_fail (PD_IS_SIGN_IN_PAGE (self));

  accounts = pd_store_list_accounts (self->store, &error);
  show_error (self, error != NULL ? error->message : NULL);
  gtk_string_list_splice (self->account_names, 0, n, NULL);
  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      PdAccount *account = g_ptr_array_index (accounts, i);

      if (account->disabled)
        continue;
      if (g_strcmp0 (account->name, name) == 0)
        selected = shown;
      gtk_string_list_append (self->account_names, account->name);
      shown++;
    }
  adw_combo_row_set_selected (self->account_row, selected);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.sign-in", shown > 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}
