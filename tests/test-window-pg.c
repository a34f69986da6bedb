/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window on a shared PostgreSQL database (issue 19) whose server drops
 * its connections and refuses new ones for a while: the window says the
 * connection was lost (a toast that stays), then that it is back, and its
 * list shows what another desk saved meanwhile; and while it tries to
 * connect to a server that does not answer at all, the window keeps
 * painting and answering, and its list keeps the rows it had rather than
 * say that nothing matches.  With PD_SHOTS_DIR set, screenshots of the
 * window in the lost state go there (connection-lost.png,
 * connection-reconnecting.png, connection-unavailable.png).  The outage is one database's (ALLOW_CONNECTIONS
 * false and pg_terminate_backend), so the other tests go on using the
 * throwaway server of tests/pg-run.sh; skips without it or a display. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "pd-pg-store-private.h"
#include "pd-test-shots.h"
#include "pd-test-pg.h"
#include "pd-test-pg-proxy.h"
#include "pd-window.h"
#include "pd-window-private.h"

#define WAIT_UNTIL(cond) PD_TEST_WAIT_UNTIL (cond, 15)

static char *
dbname_of (const char *uri)
{
  PQconninfoOption *options = PQconninfoParse (uri, NULL);
  char *name = NULL;

  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, "dbname"))
      name = g_strdup (o->val);
  PQconninfoFree (options);
  return name;
}

static void
set_allowed (const char *uri,
             gboolean    allowed)
{
  g_autofree char *name = dbname_of (uri);
  g_autofree char *sql = g_strdup_printf ("ALTER DATABASE %s ALLOW_CONNECTIONS %s", name,
                                          allowed ? "true" : "false");

  pd_test_pg_exec (g_getenv ("PD_TEST_PG_URI"), sql);
}

/* Ends every connection to the database but @keep's. */
static void
terminate_all_but (const char *uri,
                   int         keep)
{
  g_autofree char *name = dbname_of (uri);
  g_autofree char *sql = g_strdup_printf ("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                          "WHERE datname = '%s' AND pid <> %d", name, keep);

  pd_test_pg_exec (g_getenv ("PD_TEST_PG_URI"), sql);
}

static void
save_email (PdStore    *store,
            const char *email)
{
  g_autoptr(PdPersona) p = pd_persona_new ();
  g_autoptr(GError) error = NULL;

  pd_persona_set_value (p, PD_FIELD_FIRST_NAME, "Desk");
  pd_persona_set_value (p, PD_FIELD_LAST_NAME, email);
  pd_persona_add_email (p, email);
  g_assert_true (pd_store_save_persona (store, p, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
}

/* @n personas saved (@prefix0@example.com…), then the window on @store,
 * shown with its list loaded. */
static PdWindow *
open_window_with (PdPgStore  *store,
                  const char *prefix,
                  guint       n)
{
  PdWindow *window;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *email = g_strdup_printf ("%s%u@example.com", prefix, i);

      save_email (PD_STORE (store), email);
    }
  window = g_object_ref_sink (pd_window_new (NULL, PD_STORE (store)));
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)) &&
              g_list_model_get_n_items (G_LIST_MODEL (pd_window_get_persona_list (window))) == n);
  return window;
}

static PdWindow *
open_window (PdPgStore  *store,
             const char *prefix)
{
  return open_window_with (store, prefix, 3);
}

/* The toast's title, if one with @text in it is on show. */
static gboolean
toast_says (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (toast_says (child, text))
      return TRUE;
  return FALSE;
}

static void
test_connection_lost_and_back (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPgStore) store = NULL;
  g_autoptr(PdPgStore) other = NULL;
  PdWindow *window;
  PdPersonaList *list;
  const char *shots = g_getenv ("PD_SHOTS_DIR");

  if (uri == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return;
    }
  store = pd_pg_store_new (uri, &error);
  g_assert_no_error (error);
  other = pd_pg_store_new (uri, &error);
  g_assert_no_error (error);
  window = open_window (store, "desk");
  list = pd_window_get_persona_list (window);

  /* the server goes away for this window; another desk keeps its
   * connection and saves a persona meanwhile */
  set_allowed (uri, FALSE);
  terminate_all_but (uri, PQbackendPID (other->conn));
  WAIT_UNTIL (_pd_window_shows_connection_lost (window));
  WAIT_UNTIL (toast_says (GTK_WIDGET (window), "Lost the connection to the shared database"));
  g_assert_false (pd_pg_store_is_connected (store));
  save_email (PD_STORE (other), "meanwhile@example.com");
  if (shots != NULL)
    {
      g_autofree char *path = g_build_filename (shots, "connection-lost.png", NULL);

      g_mkdir_with_parents (shots, 0755);
      pd_test_shoot_path (GTK_WIDGET (window), path, 600);  /* the toast slides in */
      g_test_message ("screenshot: %s", path);
    }
  /* still lost while refused */
  pd_test_spin (1500);
  g_assert_true (_pd_window_shows_connection_lost (window));

  set_allowed (uri, TRUE);
  WAIT_UNTIL (!_pd_window_shows_connection_lost (window));
  WAIT_UNTIL (toast_says (GTK_WIDGET (window), "Connected to the shared database again"));
  g_assert_true (pd_pg_store_is_connected (store));
  /* the list caught up with what it did not hear of */
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (list)) == 4);
  if (shots != NULL)
    {
      g_autofree char *path = g_build_filename (shots, "connection-back.png", NULL);

      pd_test_shoot_path (GTK_WIDGET (window), path, 600);  /* the toast slides in */
      g_test_message ("screenshot: %s", path);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  g_clear_object (&store);
  g_clear_object (&other);
  pd_test_pg_drop_database (uri);
}

/* The server's host goes away (a proxy that stops answering): the store
 * tries again in a worker thread, waiting 3 s for each answer, while the
 * window keeps turning, even when the user searches meanwhile (a read on
 * the lost connection, which fails at once). */
static void
test_reconnecting_to_silent_server (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  g_autofree char *proxied = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPgStore) store = NULL;
  PdTestPgProxy *proxy;
  PdWindow *window;
  PdPersonaList *list;
  const char *shots = g_getenv ("PD_SHOTS_DIR");
  PdTestHeartbeat beat;

  if (uri == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return;
    }
  proxy = pd_test_pg_proxy_new (uri, 3, &proxied);
  store = pd_pg_store_new (proxied, &error);
  g_assert_no_error (error);
  window = open_window (store, "silent");
  list = pd_window_get_persona_list (window);

  pd_test_pg_proxy_go_silent (proxy);
  WAIT_UNTIL (_pd_window_shows_connection_lost (window));
  /* the first attempt starts 1 s after the loss: search in the middle
   * of it */
  pd_test_spin (1500);
  pd_test_heartbeat_start (&beat, 20);
  gtk_editable_set_text (pd_window_get_search_entry (window), "silent1");
  pd_test_spin (1500);
  pd_test_heartbeat_stop (&beat);
  g_test_message ("longest gap between ticks while reconnecting: %" G_GINT64_FORMAT " ms", beat.longest / 1000);
  g_assert_cmpint (beat.longest, <, G_USEC_PER_SEC);
  g_assert_false (pd_pg_store_is_connected (store));
  g_assert_true (_pd_window_shows_connection_lost (window));
  /* the search could not be read: the rows it had stay */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  if (shots != NULL)
    {
      g_autofree char *path = g_build_filename (shots, "connection-reconnecting.png", NULL);

      g_mkdir_with_parents (shots, 0755);
      pd_test_shoot_path (GTK_WIDGET (window), path, 600);  /* the toast slides in */
      g_test_message ("screenshot: %s", path);
    }

  pd_test_pg_proxy_answer_again (proxy);
  WAIT_UNTIL (!_pd_window_shows_connection_lost (window));
  WAIT_UNTIL (toast_says (GTK_WIDGET (window), "Connected to the shared database again"));
  /* the search the user typed meanwhile, done once back */
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (list)) == 1);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  g_clear_object (&store);
  pd_test_pg_proxy_free (proxy);
  pd_test_pg_drop_database (uri);
}

static const char *
content_shown (PdWindow *window)
{
  return gtk_stack_get_visible_child_name (window->content_stack);
}

static const char *
subtitle_of (PdWindow *window)
{
  return adw_window_title_get_subtitle (window->window_title);
}

/* While the connection is lost, every read fails at once: a search typed
 * meanwhile keeps the rows the list had (and says they are not up to
 * date) instead of "No Matching Personas, 0 matches", which staff took
 * for customers gone; back, the list shows the search's rows as they are
 * now, another desk's save meanwhile among them. */
static void
test_list_kept_while_disconnected (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  g_autofree char *proxied = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPgStore) store = NULL;
  g_autoptr(PdPgStore) other = NULL;
  PdTestPgProxy *proxy;
  PdWindow *window;
  PdPersonaList *list;

  if (uri == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return;
    }
  proxy = pd_test_pg_proxy_new (uri, 3, &proxied);
  store = pd_pg_store_new (proxied, &error);
  g_assert_no_error (error);
  other = pd_pg_store_new (uri, &error);
  g_assert_no_error (error);
  window = open_window (store, "kept");
  list = pd_window_get_persona_list (window);
  g_assert_cmpstr (content_shown (window), ==, "list");

  pd_test_pg_proxy_go_silent (proxy);
  WAIT_UNTIL (_pd_window_shows_connection_lost (window));
  save_email (PD_STORE (other), "kept-meanwhile@example.com");
  /* a search that matches all of them, then one that matches one */
  gtk_editable_set_text (pd_window_get_search_entry (window), "kept");
  pd_test_spin (100);
  g_assert_true (pd_persona_list_is_stale (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  g_assert_cmpstr (content_shown (window), ==, "list");
  g_assert_null (strstr (subtitle_of (window), "match"));
  gtk_editable_set_text (pd_window_get_search_entry (window), "kept1");
  pd_test_spin (100);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  g_assert_cmpstr (content_shown (window), ==, "list");
  g_assert_null (strstr (subtitle_of (window), "match"));
  /* the kept rows are the personas, not empty placeholders */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(PdPersona) p = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_assert_cmpint (pd_persona_get_id (p), >, 0);
    }
  g_assert_true (_pd_window_shows_connection_lost (window));

  /* back: the search typed meanwhile, on the rows as they are now */
  gtk_editable_set_text (pd_window_get_search_entry (window), "kept");
  pd_test_pg_proxy_answer_again (proxy);
  WAIT_UNTIL (!_pd_window_shows_connection_lost (window));
  WAIT_UNTIL (!pd_persona_list_is_stale (list) && g_list_model_get_n_items (G_LIST_MODEL (list)) == 4);
  g_assert_cmpstr (content_shown (window), ==, "list");
  g_assert_nonnull (strstr (subtitle_of (window), "4 matches"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  g_clear_object (&store);
  g_clear_object (&other);
  pd_test_pg_proxy_free (proxy);
  pd_test_pg_drop_database (uri);
}

/* Nothing loaded to keep (an empty database): a search while the
 * connection is lost shows "Database Unavailable" and that it reconnects,
 * not "No Matching Personas"; back, the search's match. */
static void
test_unavailable_without_rows (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  g_autofree char *proxied = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPgStore) store = NULL;
  g_autoptr(PdPgStore) other = NULL;
  PdTestPgProxy *proxy;
  PdWindow *window;
  PdPersonaList *list;
  const char *shots = g_getenv ("PD_SHOTS_DIR");

  if (uri == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return;
    }
  proxy = pd_test_pg_proxy_new (uri, 3, &proxied);
  store = pd_pg_store_new (proxied, &error);
  g_assert_no_error (error);
  other = pd_pg_store_new (uri, &error);
  g_assert_no_error (error);
  window = open_window_with (store, "none", 0);
  list = pd_window_get_persona_list (window);
  g_assert_cmpstr (content_shown (window), ==, "empty");

  pd_test_pg_proxy_go_silent (proxy);
  WAIT_UNTIL (_pd_window_shows_connection_lost (window));
  save_email (PD_STORE (other), "found@example.com");
  gtk_editable_set_text (pd_window_get_search_entry (window), "found");
  pd_test_spin (100);
  g_assert_true (pd_persona_list_is_stale (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_cmpstr (content_shown (window), ==, "unavailable");
  g_assert_nonnull (adw_status_page_get_description (window->unavailable_page));
  g_assert_null (strstr (subtitle_of (window), "match"));
  if (shots != NULL)
    {
      g_autofree char *path = g_build_filename (shots, "connection-unavailable.png", NULL);

      g_mkdir_with_parents (shots, 0755);
      pd_test_shoot_path (GTK_WIDGET (window), path, 600);  /* the toast slides in */
      g_test_message ("screenshot: %s", path);
    }

  pd_test_pg_proxy_answer_again (proxy);
  WAIT_UNTIL (!_pd_window_shows_connection_lost (window));
  WAIT_UNTIL (!pd_persona_list_is_stale (list) && g_list_model_get_n_items (G_LIST_MODEL (list)) == 1);
  g_assert_cmpstr (content_shown (window), ==, "list");

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  g_clear_object (&store);
  g_clear_object (&other);
  pd_test_pg_proxy_free (proxy);
  pd_test_pg_drop_database (uri);
}

static void
skip_without_display (void)
{
  g_test_skip ("no display: run under xvfb-run");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (!pd_test_has_display ())
    {
      g_test_add_func ("/window-pg/skipped", skip_without_display);
      return g_test_run ();
    }
  gtk_init ();
  adw_init ();
  g_test_add_func ("/window-pg/connection-lost-and-back", test_connection_lost_and_back);
  g_test_add_func ("/window-pg/reconnecting-to-silent-server", test_reconnecting_to_silent_server);
  g_test_add_func ("/window-pg/list-kept-while-disconnected", test_list_kept_while_disconnected);
  g_test_add_func ("/window-pg/unavailable-without-rows", test_unavailable_without_rows);
  return g_test_run ();
}
