/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <libsoup/soup.h>

#include "pd-application.h"
#include "pd-database.h"
#include "pd-database-group.h"
#include "pd-pg-store.h"
#include "pd-sqlite-store.h"
#include "pd-test-pg.h"
#include "pd-import-assistant.h"
#include "pd-import-format.h"
#include "pd-preferences-window.h"
#include "pd-test-gui.h"
#include "pd-test-personas.h"
#include "pd-window.h"

/* Preferences opened through the app's real action (the menu item and
 * Ctrl+comma), its controls changed as a user would, the settings checked
 * after each change, and a newly opened import assistant starting from the
 * import defaults chosen there.  The settings live in the memory backend
 * (tests/meson.build). */

#define WAIT_UNTIL(cond) PD_TEST_WAIT_UNTIL (cond, 30)

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WINDOW (window);
    }
  return NULL;
}

static gpointer
child (gpointer    preferences,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (preferences),
                                                   PD_TYPE_PREFERENCES_WINDOW, name);

  g_assert_nonnull (object);
  return object;
}

static guint
find_label (AdwComboRow *row,
            const char  *suffix)
{
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_str_has_suffix (gtk_string_list_get_string (GTK_STRING_LIST (model), i), suffix))
      return i;
  return GTK_INVALID_LIST_POSITION;
}

static const char *
selected_label (AdwComboRow *row)
{
  return gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (row)),
                                     adw_combo_row_get_selected (row));
}

/* One application for the whole program: a second one could not export
 * itself at the first one's D-Bus path.  No application id: registering
 * needs no session bus, and startup (the actions, their accelerators, the
 * settings) runs all the same. */
static PdApplication *
registered_app (void)
{
  static PdApplication *app;

  if (app == NULL)
    {
      g_autoptr(GError) error = NULL;

      app = g_object_new (PD_TYPE_APPLICATION, "flags", G_APPLICATION_NON_UNIQUE, NULL);
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
      g_assert_no_error (error);
    }
  return app;
}

static PdWindow *
open_preferences (PdApplication        *app,
                  PdStore              *store,
                  PdPreferencesWindow **preferences)
{
  PdWindow *window = pd_window_new (app, store);

  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));

  /* What the menu item and Ctrl+comma do. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.preferences", NULL));
  WAIT_UNTIL ((*preferences = (PdPreferencesWindow *) find_toplevel (PD_TYPE_PREFERENCES_WINDOW)) != NULL
              && gtk_widget_get_mapped (GTK_WIDGET (*preferences)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (*preferences)) == GTK_WINDOW (window));
  return window;
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GBytes **bytes = user_data;
  g_autoptr(GError) error = NULL;

  *bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (*bytes == NULL)
    *bytes = g_bytes_new (NULL, 0);   /* refused: done all the same */
}

/* Preferences → Allow point-of-sale connections: the switch is the
 * setting, the row says where the server listens and whether it runs, and
 * the server answers (401 without a token) until it is switched off. */
static void
check_pos (GSettings           *settings,
           PdPreferencesWindow *preferences)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = NULL;
  const char *subtitle;

  g_assert_true (gtk_widget_get_visible (child (preferences, "pos_group")));
  g_assert_false (gtk_switch_get_active (child (preferences, "pos_switch")));
  g_assert_cmpstr (gtk_label_get_label (child (preferences, "pos_status")), ==, "Stopped");

  g_settings_set_int (settings, "pos-server-port", 0);   /* any free port */
  gtk_switch_set_active (child (preferences, "pos_switch"), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "pos-server-enabled"));
  g_assert_cmpstr (gtk_label_get_label (child (preferences, "pos_status")), ==, "Running");
  subtitle = adw_action_row_get_subtitle (child (preferences, "pos_row"));
  g_assert_true (g_str_has_prefix (subtitle, "Listening on http://127.0.0.1:"));
  url = g_strconcat (subtitle + strlen ("Listening on "), "personas", NULL);
  {
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(GBytes) bytes = NULL;

    soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_read, &bytes);
    WAIT_UNTIL (bytes != NULL);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
  }

  gtk_switch_set_active (child (preferences, "pos_switch"), FALSE);
  g_assert_cmpstr (gtk_label_get_label (child (preferences, "pos_status")), ==, "Stopped");
  {
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(GBytes) bytes = NULL;

    soup_session_abort (session);
    soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_read, &bytes);
    WAIT_UNTIL (bytes != NULL);
    g_assert_cmpuint (soup_message_get_status (msg), !=, 401);
  }
  g_settings_reset (settings, "pos-server-port");
}

static void
test_preferences (void)
{
  g_autoptr(PdApplication) app = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_auto(GStrv) accels = NULL;
  PdPreferencesWindow *preferences;
  PdImportAssistant *assistant;
  PdImportOptions options;
  GSettings *settings;
  GListModel *countries;
  AdwComboRow *country_row, *on_match_row;
  PdWindow *window;
  guint us, gb;

  if (!pd_test_has_display ())
    {
      g_test_skip ("no display: run under xvfb-run (make test does)");
      return;
    }

  app = g_object_ref (registered_app ());
  settings = pd_application_get_settings (app);
  g_assert_nonnull (settings);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "preferences"));
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.preferences");
  g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>comma"));

  store = pd_test_store_new (&dir);
  window = open_preferences (app, store, &preferences);

  /* The countries by name with their code, sorted; the setting selected. */
  country_row = child (preferences, "country_row");
  countries = adw_combo_row_get_model (country_row);
  g_assert_cmpuint (g_list_model_get_n_items (countries), >, 200);
  us = find_label (country_row, "(US)");
  gb = find_label (country_row, "(GB)");
  g_assert_cmpuint (us, !=, GTK_INVALID_LIST_POSITION);
  g_assert_cmpuint (gb, !=, GTK_INVALID_LIST_POSITION);
  g_assert_cmpuint (adw_combo_row_get_selected (country_row), ==, us);
  /* Names from iso-codes where it is installed (English: see main()). */
  if (g_file_test ("/usr/share/iso-codes/json/iso_3166-1.json", G_FILE_TEST_EXISTS))
    {
      g_assert_cmpstr (selected_label (country_row), ==, "United States (US)");
      g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (countries), gb), ==,
                       "United Kingdom (GB)");
    }
  /* Names in order, then the codes without a name. */
  for (guint i = 1; i < g_list_model_get_n_items (countries); i++)
    {
      const char *before = gtk_string_list_get_string (GTK_STRING_LIST (countries), i - 1);
      const char *label = gtk_string_list_get_string (GTK_STRING_LIST (countries), i);
      gboolean named_before = strchr (before, '(') != NULL;
      gboolean named = strchr (label, '(') != NULL;

      g_assert_true (named_before || !named);
      if (named_before == named)
        g_assert_cmpint (g_utf8_collate (before, label), <=, 0);
    }

  /* Choosing a country saves it. */
  adw_combo_row_set_selected (country_row, gb);
  g_assert_cmpstr (g_settings_get_string (settings, "default-country"), ==, "GB");

  /* The import defaults, starting from the schema's. */
  on_match_row = child (preferences, "on_match_row");
  g_assert_cmpstr (selected_label (on_match_row), ==, "Merge (recommended)");
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (on_match_row)),
                                   "Keep what the persona has"));
  g_assert_true (gtk_switch_get_active (child (preferences, "key_email")));
  g_assert_true (gtk_switch_get_active (child (preferences, "key_phone")));
  g_assert_false (gtk_switch_get_active (child (preferences, "key_external")));
  g_assert_false (gtk_switch_get_active (child (preferences, "key_channels")));
  g_assert_cmpstr (adw_expander_row_get_subtitle (child (preferences, "keys_row")), ==, "Email, Phone");

  adw_combo_row_set_selected (on_match_row, find_label (on_match_row, "Ignore"));
  g_assert_cmpstr (g_settings_get_string (settings, "import-on-match"), ==, "ignore");
  adw_combo_row_set_selected (on_match_row, find_label (on_match_row, "Update empty fields"));
  g_assert_cmpstr (g_settings_get_string (settings, "import-on-match"), ==, "update");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (on_match_row)), ==,
                   "Fill in only what the persona does not have yet.");

  gtk_switch_set_active (child (preferences, "key_external"), TRUE);
  g_assert_cmpstr (g_settings_get_string (settings, "import-match"), ==, "email,phone,external_id");
  gtk_switch_set_active (child (preferences, "key_email"), FALSE);
  gtk_switch_set_active (child (preferences, "key_phone"), FALSE);
  g_assert_cmpstr (g_settings_get_string (settings, "import-match"), ==, "external_id");
  /* The last key cannot be switched off: an import needs one. */
  g_assert_false (gtk_widget_get_sensitive (
    gtk_widget_get_ancestor (child (preferences, "key_external"), ADW_TYPE_ACTION_ROW)));
  gtk_switch_set_active (child (preferences, "key_channels"), TRUE);
  g_assert_true (gtk_widget_get_sensitive (
    gtk_widget_get_ancestor (child (preferences, "key_external"), ADW_TYPE_ACTION_ROW)));
  g_assert_cmpstr (g_settings_get_string (settings, "import-match"), ==,
                   "external_id,facebook,whatsapp,instagram,telegram,viber,linkedin,twitter,youtube,web");
  g_assert_cmpstr (adw_expander_row_get_subtitle (child (preferences, "keys_row")), ==,
                   "External ID, Channel IDs");

  /* A change made elsewhere shows at once. */
  g_settings_set_string (settings, "import-on-match", "replace");
  g_assert_cmpstr (selected_label (on_match_row), ==, "Replace");

  /* The loyalty settings, from and to the database the window shows. */
  {
    PdLoyaltySettings loyalty;

    g_assert_true (gtk_widget_get_visible (child (preferences, "loyalty_group")));
    g_assert_false (gtk_switch_get_active (child (preferences, "allow_negative_switch")));
    g_assert_cmpint (gtk_spin_button_get_value_as_int (child (preferences, "expiry_spin")), ==,
                     PD_LOYALTY_DEFAULT_EXPIRY_DAYS);
    gtk_switch_set_active (child (preferences, "allow_negative_switch"), TRUE);
    gtk_spin_button_set_value (child (preferences, "expiry_spin"), 7);
    g_assert_true (pd_store_get_loyalty_settings (store, &loyalty, NULL));
    g_assert_true (loyalty.allow_negative_balance);
    g_assert_cmpuint (loyalty.double_opt_in_expiry_days, ==, 7);
  }

  check_pos (settings, preferences);

  gtk_window_close (GTK_WINDOW (preferences));
  WAIT_UNTIL (find_toplevel (PD_TYPE_PREFERENCES_WINDOW) == NULL);

  /* A new import starts from those defaults... */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.import", NULL));
  WAIT_UNTIL ((assistant = (PdImportAssistant *) find_toplevel (PD_TYPE_IMPORT_ASSISTANT)) != NULL);
  pd_import_options_page_get_options (pd_import_assistant_get_options_page (assistant), &options);
  g_assert_cmpint (options.action, ==, PD_MATCH_ACTION_REPLACE);
  g_assert_cmpuint (pd_import_keys_parse (options.match), ==,
                    PD_IMPORT_KEY_EXTERNAL_ID | PD_IMPORT_KEY_CHANNELS);

  /* ...and what one import changes stays with it. */
  pd_import_options_page_set_action (pd_import_assistant_get_options_page (assistant),
                                     PD_MATCH_ACTION_APPEND);
  pd_import_options_page_get_options (pd_import_assistant_get_options_page (assistant), &options);
  g_assert_cmpint (options.action, ==, PD_MATCH_ACTION_APPEND);
  g_assert_cmpstr (g_settings_get_string (settings, "import-on-match"), ==, "replace");
  gtk_window_destroy (GTK_WINDOW (assistant));

  /* A region libphonenumber does not know is shown as it is, not
   * replaced by the first one in the list. */
  g_settings_set_string (settings, "default-country", "QQ");
  gtk_widget_activate_action (GTK_WIDGET (window), "app.preferences", NULL);
  WAIT_UNTIL ((preferences = (PdPreferencesWindow *) find_toplevel (PD_TYPE_PREFERENCES_WINDOW)) != NULL);
  g_assert_cmpstr (selected_label (child (preferences, "country_row")), ==, "QQ");
  g_assert_cmpstr (g_settings_get_string (settings, "default-country"), ==, "QQ");
  gtk_window_destroy (GTK_WINDOW (preferences));

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&store);
  pd_test_remove_dir (dir);
}

/* Splitting and writing the match keys, as both pages do. */
static void
test_match_keys (void)
{
  g_autofree char *text = NULL;

  g_assert_cmpuint (pd_import_keys_parse ("email,phone"), ==, PD_IMPORT_KEY_EMAIL | PD_IMPORT_KEY_PHONE);
  g_assert_cmpuint (pd_import_keys_parse (" phone , viber,unknown"), ==,
                    PD_IMPORT_KEY_PHONE | PD_IMPORT_KEY_CHANNELS);
  g_assert_cmpuint (pd_import_keys_parse (""), ==, 0);
  g_assert_cmpuint (pd_import_keys_parse (NULL), ==, 0);
  text = pd_import_keys_to_string (PD_IMPORT_KEY_PHONE | PD_IMPORT_KEY_EXTERNAL_ID);
  g_assert_cmpstr (text, ==, "phone,external_id");
  g_free (text);
  text = pd_import_keys_to_string (0);
  g_assert_cmpstr (text, ==, "");
}

static void
test_uri_with_password (void)
{
  g_autofree char *plain = pd_database_uri_with_password ("postgresql://ann@db.example/shop", NULL);
  g_autofree char *first = pd_database_uri_with_password ("postgresql://ann@db.example/shop", "p&ss w%rd");
  g_autofree char *more = pd_database_uri_with_password ("postgresql:///shop?host=/run/pg", "x");
  PQconninfoOption *options = PQconninfoParse (first, NULL);
  gboolean found = FALSE;

  g_assert_cmpstr (plain, ==, "postgresql://ann@db.example/shop");
  g_assert_cmpstr (more, ==, "postgresql:///shop?host=/run/pg&password=x");
  /* libpq reads the password back as typed */
  g_assert_nonnull (options);
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, "password"))
      {
        g_assert_cmpstr (o->val, ==, "p&ss w%rd");
        found = TRUE;
      }
  PQconninfoFree (options);
  g_assert_true (found);
}

static gpointer
group_child (gpointer    group,
             const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (group), PD_TYPE_DATABASE_GROUP, name);

  g_assert_nonnull (object);
  return object;
}

static PdWindow *
window_on (GType store_type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (PD_IS_WINDOW (window) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
          G_TYPE_CHECK_INSTANCE_TYPE (pd_window_get_store (PD_WINDOW (window)), store_type))
        return PD_WINDOW (window);
    }
  return NULL;
}

/* Issue 19: Preferences names the open database, refuses an address that
 * is not PostgreSQL's or carries a password, switches to a shared database
 * (a new window on it, remembered for the next start) and back. */
static void
test_database (void)
{
  g_autoptr(PdApplication) app = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *path = NULL;
  PdPreferencesWindow *preferences;
  PdDatabaseGroup *group;
  GSettings *settings;
  PdWindow *window;

  if (!pd_test_has_display ())
    {
      g_test_skip ("no display: run under xvfb-run (make test does)");
      return;
    }
  app = g_object_ref (registered_app ());
  settings = pd_application_get_settings (app);
  g_settings_set_string (settings, "database", "");

  store = pd_test_store_new (&dir);
  window = open_preferences (app, store, &preferences);
  group = child (preferences, "database_group");
  g_assert_cmpstr (adw_action_row_get_subtitle (group_child (group, "current_row")), ==,
                   pd_sqlite_store_get_path (PD_SQLITE_STORE (store)));
  g_assert_false (gtk_widget_get_visible (group_child (group, "local_button")));

  gtk_editable_set_text (group_child (group, "uri_row"), "/home/ann/personas.db");
  pd_database_group_connect (group);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (group_child (group, "connect_row")), "postgresql://"));
  gtk_editable_set_text (group_child (group, "uri_row"), "postgresql://ann:secret@db.example/shop");
  pd_database_group_connect (group);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (group_child (group, "connect_row")), "Password field"));
  g_autofree char *kept = g_settings_get_string (settings, "database");
  g_assert_cmpstr (kept, ==, "");

  uri = pd_test_pg_new_database ();
  if (uri == NULL)
    {
      gtk_window_destroy (GTK_WINDOW (preferences));
      gtk_window_destroy (GTK_WINDOW (window));
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return;
    }
  gtk_editable_set_text (group_child (group, "uri_row"), uri);
  pd_database_group_connect (group);
  WAIT_UNTIL (window_on (PD_TYPE_PG_STORE) != NULL);
  g_free (kept);
  kept = g_settings_get_string (settings, "database");
  g_assert_cmpstr (kept, ==, uri);
  WAIT_UNTIL (find_toplevel (PD_TYPE_PREFERENCES_WINDOW) == NULL);

  /* and back: this computer's database, the default file */
  window = window_on (PD_TYPE_PG_STORE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.preferences", NULL));
  WAIT_UNTIL ((preferences = (PdPreferencesWindow *) find_toplevel (PD_TYPE_PREFERENCES_WINDOW)) != NULL);
  group = child (preferences, "database_group");
  g_assert_true (gtk_widget_get_visible (group_child (group, "local_button")));
  g_signal_emit_by_name (group_child (group, "local_button"), "clicked");
  WAIT_UNTIL (window_on (PD_TYPE_SQLITE_STORE) != NULL);
  path = pd_store_dup_default_path ();
  g_assert_cmpstr (pd_sqlite_store_get_path (PD_SQLITE_STORE (pd_window_get_store (window_on (PD_TYPE_SQLITE_STORE)))),
                   ==, path);
  g_free (kept);
  kept = g_settings_get_string (settings, "database");
  g_assert_cmpstr (kept, ==, "");
  WAIT_UNTIL (window_on (PD_TYPE_PG_STORE) == NULL);
  gtk_window_destroy (GTK_WINDOW (window_on (PD_TYPE_SQLITE_STORE)));
  pd_test_pg_drop_database (uri);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("pd-prefs-data-XXXXXX", NULL);
  int rc;

  /* "This computer's database" is the default file under the data home:
   * a folder of the test's own, not the user's. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  /* The C locale, so the country names are the English ones. */
  gtk_disable_setlocale ();
  g_test_init (&argc, &argv, NULL);
  if (pd_test_has_display ())
    adw_init ();

  g_test_add_func ("/preferences/match-keys", test_match_keys);
  g_test_add_func ("/preferences/window", test_preferences);
  g_test_add_func ("/preferences/uri-with-password", test_uri_with_password);
  g_test_add_func ("/preferences/database", test_database);
  rc = g_test_run ();
  pd_test_remove_dir (data_home);
  return rc;
}
