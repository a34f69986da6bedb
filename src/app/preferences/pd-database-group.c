/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libpq-fe.h>

#include "pd-application.h"
#include "pd-database.h"
#include "pd-database-group.h"
#include "pd-import-session.h"
#include "pd-pg-store.h"

struct _PdDatabaseGroup
{
  AdwPreferencesGroup  parent_instance;

  PdStore             *store;
  GCancellable        *cancellable;   /* the connection being tried */

  /* template children */
  AdwActionRow        *current_row;
  GtkWidget           *local_button;
  AdwExpanderRow      *shared_row;
  AdwEntryRow         *uri_row;
  AdwPasswordEntryRow *password_row;
  AdwActionRow        *connect_row;
  GtkWidget           *connect_button;
  GtkSpinner          *spinner;
};

G_DEFINE_FINAL_TYPE (PdDatabaseGroup, pd_database_group, ADW_TYPE_PREFERENCES_GROUP)

typedef struct {
  char *uri;
  char *password;
} Attempt;

static void
attempt_free (gpointer data)
{
  Attempt *attempt = data;

  g_free (attempt->uri);
  if (attempt->password != NULL)
    memset (attempt->password, 0, strlen (attempt->password));
  g_free (attempt->password);
  g_free (attempt);
}

static void
set_status (PdDatabaseGroup *self,
            const char      *text,
            gboolean         error)
{
  adw_action_row_set_subtitle (self->connect_row, text != NULL ? text : "");
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->connect_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->connect_row), "error");
}

static void
set_busy (PdDatabaseGroup *self,
          gboolean         busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_set_sensitive (self->connect_button, !busy);
  gtk_widget_set_sensitive (self->local_button, !busy);
}

static PdApplication *
get_application (PdDatabaseGroup *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;
  GtkWindow *parent;

  /* Preferences is transient for the main window, which has the app. */
  if (app == NULL && GTK_IS_WINDOW (root) && (parent = gtk_window_get_transient_for (GTK_WINDOW (root))) != NULL)
    app = gtk_window_get_application (parent);
  return PD_IS_APPLICATION (app) ? PD_APPLICATION (app) : NULL;
}

/* Switching closes the main window: an import there would be cancelled. */
static gboolean
may_switch (PdDatabaseGroup *self)
{
  if (!pd_import_session_any_running ())
    return TRUE;
  set_status (self, _("An import is running: switch databases when it has finished"), TRUE);
  return FALSE;
}

static void
switch_to (PdDatabaseGroup *self,
           PdStore         *store,
           const char      *target)
{
  PdApplication *app = get_application (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (app == NULL)
    {
      set_status (self, _("Cannot switch: no application window"), TRUE);
      return;
    }
  g_object_ref (self);
  if (GTK_IS_WINDOW (root))
    gtk_window_close (GTK_WINDOW (root));
  pd_application_use_store (app, store, target);
  g_object_unref (self);
}

static void
on_local_clicked (PdDatabaseGroup *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = pd_store_dup_default_path ();
  g_autoptr(PdStore) store = NULL;

  if (!may_switch (self))
    return;
  store = pd_database_open (path, NULL, &error);
  if (store == NULL)
    {
      set_status (self, error->message, TRUE);
      return;
    }
  switch_to (self, store, NULL);
}

static void
connect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Attempt *attempt = task_data;
  GError *error = NULL;
  PdStore *store = pd_database_open (attempt->uri, attempt->password, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

static void
connect_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PdDatabaseGroup *self = PD_DATABASE_GROUP (object);
  Attempt *attempt = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = g_task_propagate_pointer (G_TASK (result), &error);

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  if (store == NULL)
    {
      set_status (self, error->message, TRUE);
      return;
    }
  /* Kept for the next start; without a keyring the next start relies on
   * ~/.pgpass or PGPASSWORD, and says so if the server wants more. */
  if (attempt->password != NULL && attempt->password[0] != '\0' &&
      !pd_database_store_password (attempt->uri, attempt->password, NULL, &error))
    g_message ("The database password was not kept in the keyring: %s", error->message);
  switch_to (self, store, attempt->uri);
}

void
pd_database_group_connect (PdDatabaseGroup *self)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *uri = NULL;
  PQconninfoOption *options;
  gboolean has_password = FALSE;
  Attempt *attempt;

  g_return_if_fail (PD_IS_DATABASE_GROUP (self));

  uri = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->uri_row))));
  if (!pd_pg_store_uri_is_postgres (uri))
    {
      set_status (self, _("Enter a PostgreSQL address: postgresql://user@server/database"), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->uri_row));
      return;
    }
  /* The address is saved in the settings: a password in it would be too. */
  options = PQconninfoParse (uri, NULL);
  if (options == NULL)
    {
      set_status (self, _("This address cannot be read: postgresql://user@server/database"), TRUE);
      return;
    }
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, "password") && o->val != NULL && o->val[0] != '\0')
      has_password = TRUE;
  PQconninfoFree (options);
  if (has_password)
    {
      set_status (self, _("Type the password in the Password field, not in the address"), TRUE);
      return;
    }
  if (!may_switch (self))
    return;

  attempt = g_new0 (Attempt, 1);
  attempt->uri = g_steal_pointer (&uri);
  attempt->password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
  set_status (self, _("Connecting…"), FALSE);
  set_busy (self, TRUE);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, connect_done_cb, NULL);
  g_task_set_source_tag (task, pd_database_group_connect);
  g_task_set_task_data (task, attempt, attempt_free);
  g_task_run_in_thread (task, connect_thread);
}

static void
on_connect_clicked (PdDatabaseGroup *self)
{
  pd_database_group_connect (self);
}

static void
pd_database_group_dispose (GObject *object)
{
  PdDatabaseGroup *self = PD_DATABASE_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_DATABASE_GROUP);

  G_OBJECT_CLASS (pd_database_group_parent_class)->dispose (object);
}

static void
pd_database_group_class_init (PdDatabaseGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_database_group_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/preferences/pd-database-group.ui");
  gtk_widget_class_bind_template_child (widget_class, PdDatabaseGroup, current_row);
  gtk_widget_class_bind_template_child (widget_class, PdDatabaseGroup, local_button);
  gtk_widget_class_bind_template_child (widget_class, PdDatabaseGroup, shared_row);
  gtk_widget_class_bind_template_child (widget_class, PdDatabaseGroup, uri_row);
  gtk_widget_class_bind_template_child (widget_class, PdDatabaseGroup, password_row);
  gtk_widget_class_bind_template_child (widget_class, PdDatabaseGroup, connect_row);
  gtk_widget_class_bind_template_child (widget_class, PdDatabaseGroup, connect_button);
  gtk_widget_class_bind_template_child (widget_class, PdDatabaseGroup, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_connect_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_local_clicked);
}

/* libadwaita 1.2's password row shows its peek button with no accessible
 * name (a screen reader says "GtkImage"): give it one. */
static void
label_buttons (GtkWidget  *widget,
               const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      label_buttons (child, label);
    }
}

static void
pd_database_group_init (PdDatabaseGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  label_buttons (GTK_WIDGET (self->password_row), _("Show Password"));
}

void
pd_database_group_set_store (PdDatabaseGroup *self,
                             PdStore         *store)
{
  g_autofree char *name = NULL;
  gboolean shared;

  g_return_if_fail (PD_IS_DATABASE_GROUP (self));

  g_set_object (&self->store, store);
  name = store != NULL ? pd_store_dup_display_name (store) : NULL;
  shared = store != NULL && !PD_IS_SQLITE_STORE (store);
  adw_action_row_set_subtitle (self->current_row,
                               name != NULL ? name : "");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->current_row),
                                 shared ? _("Shared database") : _("This computer's database"));
  gtk_widget_set_visible (self->local_button, shared);
}
