/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "pd-application.h"
#include "pd-import-actions.h"
#include "pd-database.h"
#include "pd-preferences-window.h"
#include "pd-renderer.h"
#include "pd-pg-store.h"
#include "pd-temp.h"
#include "pd-window.h"
#include "pd-session.h"

struct _PdApplication
{
  AdwApplication  parent_instance;

  char           *db_path;
  gboolean        db_from_setting;   /* the `database` key chose db_path */
  PdStore        *store;
  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (PdApplication, pd_application, ADW_TYPE_APPLICATION)

static PdWindow *
get_window (PdApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  return PD_IS_WINDOW (window) ? PD_WINDOW (window) : NULL;
}

/* Opens (and for the default database, first creates) the store.  A
 * failure is shown in a dialog: an app that silently quits on a locked or
 * damaged database leaves the user with nothing to act on. */
static gboolean
open_store (PdApplication  *self,
            GError        **error)
{
  g_autofree char *password = NULL;

  if (self->store != NULL)
    return TRUE;

  /* No --db: the database Preferences chose, else this computer's. */
  if (self->db_path == NULL && self->settings != NULL)
    {
      g_autofree char *chosen = g_settings_get_string (self->settings, "database");

      if (pd_pg_store_uri_is_postgres (chosen))
        {
          self->db_path = g_steal_pointer (&chosen);
          self->db_from_setting = TRUE;
        }
    }
  if (self->db_path == NULL)
    self->db_path = pd_store_dup_default_path ();

  /* A shared database's password from the keyring; without a keyring,
   * libpq's own ways (PGPASSWORD, ~/.pgpass) still apply. */
  if (pd_pg_store_uri_is_postgres (self->db_path))
    password = pd_database_lookup_password (self->db_path, NULL, NULL);
  self->store = pd_database_open (self->db_path, password, error);
  return self->store != NULL;
}

static void
on_error_dialog_response (AdwMessageDialog *dialog,
                          const char       *response,
                          PdApplication    *self)
{
  /* The shared database is unreachable: work on this computer's. */
  if (g_strcmp0 (response, "local") == 0)
    {
      g_settings_set_string (self->settings, "database", "");
      g_clear_pointer (&self->db_path, g_free);
      self->db_from_setting = FALSE;
      g_application_activate (G_APPLICATION (self));
    }
  g_application_release (G_APPLICATION (self));
}

static void
show_fatal_error (PdApplication *self,
                  GError        *error)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (NULL, _("Cannot Open the Database"), NULL));
  /* a URI may carry a password: the error names the database instead */
  if (pd_pg_store_uri_is_postgres (self->db_path))
    adw_message_dialog_set_body (dialog, error->message);
  else
    adw_message_dialog_format_body (dialog, "%s\n\n%s", self->db_path, error->message);
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  if (self->db_from_setting && self->settings != NULL)
    adw_message_dialog_add_response (dialog, "local", _("_Use This Computer's Database"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_application_hold (G_APPLICATION (self));
  g_signal_connect (dialog, "response", G_CALLBACK (on_error_dialog_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
pd_application_activate (GApplication *app)
{
  PdApplication *self = PD_APPLICATION (app);
  g_autoptr(GError) error = NULL;
  PdWindow *window;

  window = get_window (self);
  if (window == NULL)
    {
      if (!open_store (self, &error))
        {
          show_fatal_error (self, error);
          return;
        }
      window = pd_window_new (self, self->store);
    }

  gtk_window_present (GTK_WINDOW (window));
}

static void
pd_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  PdApplication *self = PD_APPLICATION (app);
  PdWindow *window;

  g_application_activate (app);
  window = get_window (self);
  if (window == NULL)
    return;

  /* One import at a time: the first file; the others are said to wait. */
  pd_window_import_file (window, files[0]);
  if (n_files > 1)
    pd_window_show_toast (window, _("Import one file at a time: the others were not opened"));
}

static int
pd_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  PdApplication *self = PD_APPLICATION (app);
  const char *db = NULL;

  if (g_variant_dict_lookup (options, "db", "^&ay", &db))
    {
      g_free (self->db_path);
      if (pd_pg_store_uri_is_postgres (db))
        self->db_path = g_strdup (db);
      else
        {
          g_autoptr(GFile) file = g_file_new_for_commandline_arg (db);

          self->db_path = g_file_get_path (file);
        }
      /* Another database is another instance: an app already running on
       * the default database must not swallow this one. */
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }

  return -1;
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  PdApplication *self = user_data;
  const char *developers[] = { "The Persona Desk developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Persona Desk"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Persona Desk developers"),
                        "developers", developers,
                        "comments", _("Keep your customers in one place and import them from spreadsheets"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  PdApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Close the windows (which saves their size) rather than quitting hard. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_application_quit (G_APPLICATION (self));
}

/* Every keyboard shortcut of the app, in one list: the application's
 * accelerators, which the Shortcuts window shows (it names actions, not
 * keys: it listed Ctrl+. for Preferences and a shortcut "coming soon"). */
static const struct {
  const char *action;
  const char *accels[2];
} shortcuts[] = {
  { "win.search", { "<Control>f", NULL } },
  { "win.new-persona", { "<Control>n", NULL } },
  { "win.import", { "<Control>i", NULL } },
  { "win.show-personas", { "<Alt>Left", NULL } },
  { "win.edit-persona", { "<Control>e", NULL } },
  { "win.save-persona", { "<Control>s", NULL } },
  { "win.close-detail", { "Escape", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "app.shortcuts", { "<Control>question", NULL } },
  { "app.quit", { "<Control>q", NULL } },
};

/* Every shortcut the window shows, its search results' copies too (made
 * as the builder added the sections, before the keys could be set). */
static void
set_shown_accels (PdApplication *self,
                  GtkWidget     *widget)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *action = NULL;
      g_auto(GStrv) accels = NULL;
      g_autofree char *accelerator = NULL;

      g_object_get (widget, "action-name", &action, NULL);
      if (action == NULL)
        return;
      accels = gtk_application_get_accels_for_action (GTK_APPLICATION (self), action);
      accelerator = g_strjoinv (" ", accels);
      g_object_set (widget, "accelerator", accelerator, NULL);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    set_shown_accels (self, child);
}

GtkWindow *
pd_application_new_shortcuts_window (PdApplication *self)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *window;

  g_return_val_if_fail (PD_IS_APPLICATION (self), NULL);

  builder = gtk_builder_new_from_resource ("/org/personadesk/PersonaDesk/ui/pd-shortcuts-window.ui");
  window = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));
  set_shown_accels (self, GTK_WIDGET (window));
  gtk_window_set_transient_for (window, gtk_application_get_active_window (GTK_APPLICATION (self)));
  return window;
}

static void
shortcuts_activated (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  gtk_window_present (pd_application_new_shortcuts_window (PD_APPLICATION (user_data)));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  PdApplication *self = user_data;
  PdPreferencesWindow *preferences;

  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* not from the sign-in page (its shortcut still reaches the app) */
  if (!pd_app_may (PD_PERMISSION_READ))
    return;
  preferences = pd_preferences_window_new (active, self->settings);
  if (PD_IS_WINDOW (active))
    pd_preferences_window_set_store (preferences, pd_window_get_store (PD_WINDOW (active)));
  gtk_window_present (GTK_WINDOW (preferences));
}

static const GActionEntry app_actions[] = {
  { "about", about_activated },
  { "quit", quit_activated },
  { "shortcuts", shortcuts_activated },
  { "preferences", preferences_activated },
};

static void
pd_application_startup (GApplication *app)
{
  PdApplication *self = PD_APPLICATION (app);
  GAction *preferences;

  /* what a crashed run left in /tmp (an unpacked .zip, a report) */
  pd_temp_remove_stale ();
  G_APPLICATION_CLASS (pd_application_parent_class)->startup (app);
  pd_renderer_forget ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), shortcuts[i].action, shortcuts[i].accels);

  self->settings = pd_application_dup_settings ();
  /* Without the schema (an uninstalled build run from elsewhere) there is
   * nothing to edit or keep: the menu item stays greyed out. */
  preferences = g_action_map_lookup_action (G_ACTION_MAP (self), "preferences");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (preferences), self->settings != NULL);
}

static void
pd_application_shutdown (GApplication *app)
{
  pd_import_remove_temp_reports ();
  G_APPLICATION_CLASS (pd_application_parent_class)->shutdown (app);
}

static void
pd_application_finalize (GObject *object)
{
  PdApplication *self = PD_APPLICATION (object);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_free (self->db_path);

  G_OBJECT_CLASS (pd_application_parent_class)->finalize (object);
}

static void
pd_application_class_init (PdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = pd_application_finalize;
  app_class->activate = pd_application_activate;
  app_class->open = pd_application_open;
  app_class->startup = pd_application_startup;
  app_class->shutdown = pd_application_shutdown;
  app_class->handle_local_options = pd_application_handle_local_options;
}

static void
pd_application_init (PdApplication *self)
{
  static const GOptionEntry options[] = {
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
      N_("The database to open instead of the default one"), N_("FILE") },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

PdApplication *
pd_application_new (void)
{
  return g_object_new (PD_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/org/personadesk/PersonaDesk",
                       NULL);
}

PdStore *
pd_application_get_store (PdApplication *self)
{
  g_return_val_if_fail (PD_IS_APPLICATION (self), NULL);
  return self->store;
}

const char *
pd_application_get_db_path (PdApplication *self)
{
  g_return_val_if_fail (PD_IS_APPLICATION (self), NULL);
  return self->db_path;
}

void
pd_application_set_db_path (PdApplication *self,
                            const char    *path)
{
  g_return_if_fail (PD_IS_APPLICATION (self));
  g_return_if_fail (self->store == NULL);

  g_free (self->db_path);
  self->db_path = g_strdup (path);
}

GSettings *
pd_application_get_settings (PdApplication *self)
{
  g_return_val_if_fail (PD_IS_APPLICATION (self), NULL);
  return self->settings;
}

GSettings *
pd_application_dup_settings (void)
{
  GApplication *app = g_application_get_default ();
  GSettingsSchemaSource *source;
  g_autoptr(GSettingsSchema) schema = NULL;

  /* A window is constructed before GTK sets its application property, so
   * it cannot ask its own application: without this it read the schemas
   * and made a second GSettings during start-up. */
  if (PD_IS_APPLICATION (app) && PD_APPLICATION (app)->settings != NULL)
    return g_object_ref (PD_APPLICATION (app)->settings);

  source = g_settings_schema_source_get_default ();

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);

#ifdef PD_BUILD_SCHEMA_DIR
  /* `make run` starts the app from the build tree, where the schema is
   * compiled but not installed; without this the window would forget its
   * size there, and g_settings_new() would abort. */
  if (schema == NULL)
    {
      g_autoptr(GSettingsSchemaSource) build_source = NULL;

      build_source = g_settings_schema_source_new_from_directory (PD_BUILD_SCHEMA_DIR, source,
                                                                  FALSE, NULL);
      if (build_source != NULL)
        schema = g_settings_schema_source_lookup (build_source, APP_ID, FALSE);
    }
#endif

  if (schema == NULL)
    return NULL;

  return g_settings_new_full (schema, NULL, NULL);
}

/**
 * pd_application_use_store:
 * @store: a store opened on @target (pd_database_open())
 * @target: (nullable): a postgresql:// URI without its password, or NULL
 *   for this computer's database
 *
 * Switches to another database (Preferences): remembers the choice for
 * the next start, opens a window on @store and closes the old one (which
 * asks first about unsaved edits, as closing always does).
 */
void
pd_application_use_store (PdApplication *self,
                          PdStore       *store,
                          const char    *target)
{
  PdWindow *old;
  PdWindow *window;

  g_return_if_fail (PD_IS_APPLICATION (self));
  g_return_if_fail (PD_IS_STORE (store));

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "database",
                           target != NULL && pd_pg_store_uri_is_postgres (target) ? target : "");
  g_free (self->db_path);
  self->db_path = target != NULL ? g_strdup (target) : pd_store_dup_default_path ();
  self->db_from_setting = target != NULL;
  g_set_object (&self->store, store);

  old = get_window (self);
  window = pd_window_new (self, self->store);
  gtk_window_present (GTK_WINDOW (window));
  if (old != NULL)
    gtk_window_close (GTK_WINDOW (old));
}
