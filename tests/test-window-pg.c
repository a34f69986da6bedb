/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window on a shared PostgreSQL database (issue 19) whose server drops
 * its connections and refuses new ones for a while: the window says the
 * connection was lost (a toast that stays), then that it is back, and its
 * list shows what another desk saved meanwhile; and while it tries to
 * connect to a server that does not answer at all, the window keeps
 * painting and answering.  With PD_SHOTS_DIR set, screenshots of the
 * window in the lost state go there (connection-lost.png,
 * connection-reconnecting.png).  The outage is one database's (ALLOW_CONNECTIONS
 * false and pg_terminate_backend), so the other tests go on using the
 * throwaway server of tests/pg-run.sh; skips without it or a display. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "pd-pg-store-private.h"
#include "pd-test-gui.h"
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

static void
on_after_paint (GdkFrameClock *clock,
                guint         *frames)
{
  (*frames)++;
}

static void
shoot (GtkWidget  *window,
       const char *path)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  guint frames = 0;
  gulong handler;
  double width, height;

  pd_test_spin (600);   /* the toast slides in */
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &frames);
  while (frames < 2)
    {
      gtk_widget_queue_draw (window);
      g_main_context_iteration (NULL, TRUE);
    }
  g_signal_handler_disconnect (clock, handler);
  paintable = gtk_widget_paintable_new (window);
  width = gdk_paintable_get_intrinsic_width (paintable);
  height = gdk_paintable_get_intrinsic_height (paintable);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
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
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *email = g_strdup_printf ("desk%u@example.com", i);

      save_email (PD_STORE (store), email);
    }
  window = g_object_ref_sink (pd_window_new (NULL, PD_STORE (store)));
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_window_present (GTK_WINDOW (window));
  list = pd_window_get_persona_list (window);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)) &&
              g_list_model_get_n_items (G_LIST_MODEL (list)) == 3);

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
      shoot (GTK_WIDGET (window), path);
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

      shoot (GTK_WIDGET (window), path);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  g_clear_object (&store);
  g_clear_object (&other);
  pd_test_pg_drop_database (uri);
}

static gboolean
on_tick (gpointer data)
{
  gint64 *beat = data;   /* [0] last tick, [1] the longest gap */
  gint64 now = g_get_monotonic_time ();

  if (beat[0] != 0)
    beat[1] = MAX (beat[1], now - beat[0]);
  beat[0] = now;
  return G_SOURCE_CONTINUE;
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
  gint64 beat[2] = { 0, 0 };
  guint tick;

  if (uri == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return;
    }
  proxy = pd_test_pg_proxy_new (uri, 3, &proxied);
  store = pd_pg_store_new (proxied, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *email = g_strdup_printf ("silent%u@example.com", i);

      save_email (PD_STORE (store), email);
    }
  window = g_object_ref_sink (pd_window_new (NULL, PD_STORE (store)));
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_window_present (GTK_WINDOW (window));
  list = pd_window_get_persona_list (window);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)) &&
              g_list_model_get_n_items (G_LIST_MODEL (list)) == 3);

  pd_test_pg_proxy_go_silent (proxy);
  WAIT_UNTIL (_pd_window_shows_connection_lost (window));
  /* the first attempt starts 1 s after the loss: search in the middle
   * of it */
  pd_test_spin (1500);
  tick = g_timeout_add (20, on_tick, beat);
  gtk_editable_set_text (pd_window_get_search_entry (window), "silent1");
  pd_test_spin (1500);
  g_source_remove (tick);
  g_test_message ("longest gap between ticks while reconnecting: %" G_GINT64_FORMAT " ms", beat[1] / 1000);
  g_assert_cmpint (beat[1], <, G_USEC_PER_SEC);
  g_assert_false (pd_pg_store_is_connected (store));
  g_assert_true (_pd_window_shows_connection_lost (window));
  if (shots != NULL)
    {
      g_autofree char *path = g_build_filename (shots, "connection-reconnecting.png", NULL);

      g_mkdir_with_parents (shots, 0755);
      shoot (GTK_WIDGET (window), path);
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
  return g_test_run ();
}
