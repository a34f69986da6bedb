/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A lost connection to the PostgreSQL server (issue 19): a read after the
 * server dropped the connection works on the same PdStore; inside a
 * transaction nothing is sent on a new connection until the caller rolls
 * back; a listening store signals the loss and its return; and an import
 * of the real persona-desk-cli whose connection is cut leaves nothing of
 * it and says so, with a nonzero exit.
 *
 * The server's "restart" is one database's: connections to it refused
 * (ALLOW_CONNECTIONS false) and its backends ended (pg_terminate_backend),
 * which is what the client sees of a restart or a network cut, while the
 * other tests go on using the same throwaway server.  Skips without it
 * (pd-test-pg.h). */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "pd-error.h"
#include "pd-pg-store-private.h"
#include "pd-test-cli.h"
#include "pd-test-gui.h"
#include "pd-test-pg.h"
#include "pd-test-pg-proxy.h"

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

/* Ends every connection to @uri's database; with @refuse, new ones are
 * refused until back_up(). */
static void
cut (const char *uri,
     gboolean    refuse)
{
  const char *base = g_getenv ("PD_TEST_PG_URI");
  g_autofree char *name = dbname_of (uri);
  g_autofree char *sql = NULL;

  if (refuse)
    {
      sql = g_strdup_printf ("ALTER DATABASE %s ALLOW_CONNECTIONS false", name);
      pd_test_pg_exec (base, sql);
      g_free (sql);
    }
  sql = g_strdup_printf ("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%s'", name);
  pd_test_pg_exec (base, sql);
}

static void
back_up (const char *uri)
{
  g_autofree char *name = dbname_of (uri);
  g_autofree char *sql = g_strdup_printf ("ALTER DATABASE %s ALLOW_CONNECTIONS true", name);

  pd_test_pg_exec (g_getenv ("PD_TEST_PG_URI"), sql);
}

static void
save_email (PdStore    *store,
            const char *email)
{
  g_autoptr(PdPersona) p = pd_persona_new ();
  g_autoptr(GError) error = NULL;

  pd_persona_set_value (p, PD_FIELD_FIRST_NAME, "Conn");
  pd_persona_add_email (p, email);
  g_assert_true (pd_store_save_persona (store, p, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
}

static char *
show (PdPgStore  *store,
      const char *setting)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("SHOW %s", setting);
  g_autoptr(PGresult) result = _pd_pg_query (store, sql, 0, NULL, &error);

  g_assert_no_error (error);
  return g_strdup (PQgetvalue (result, 0, 0));
}

#define NEED_PG(uri) \
  if ((uri) == NULL) { g_test_skip (PD_TEST_PG_SKIP_MESSAGE); return; }

/* The server ended the connection while the store was idle: the next read
 * connects again and answers; while the database refuses connections it
 * says so, and once it is back the same store reads again, with the lock
 * timeout it had. */
static void
test_read_after_restart (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPgStore) store = NULL;
  g_autofree char *timeout = NULL;
  g_autofree char *jit = NULL;
  PdPersonaQuery q = { .view = PD_PERSONA_VIEW_ACTIVE };

  NEED_PG (uri);
  store = pd_pg_store_new (uri, &error);
  g_assert_no_error (error);
  jit = show (store, "jit");
  g_assert_cmpstr (jit, ==, "off");
  g_clear_pointer (&jit, g_free);
  pd_store_set_lock_timeout (PD_STORE (store), 250);
  save_email (PD_STORE (store), "before@example.com");

  /* a restart the store did not see: the read is sent once more */
  cut (uri, FALSE);
  g_assert_cmpuint (pd_store_count_personas (PD_STORE (store), &q, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_true (pd_pg_store_is_connected (store));

  /* a server still down: the read fails and says why */
  cut (uri, TRUE);
  g_assert_cmpuint (pd_store_count_personas (PD_STORE (store), &q, &error), ==, 0);
  g_assert_error (error, PD_ERROR, PD_ERROR_STORE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Lost the connection"));
  g_assert_nonnull (strstr (error->message, "cannot connect again"));
  g_clear_error (&error);
  g_assert_false (pd_pg_store_is_connected (store));

  back_up (uri);
  g_assert_cmpuint (pd_store_count_personas (PD_STORE (store), &q, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_true (pd_pg_store_is_connected (store));
  timeout = show (store, "lock_timeout");
  g_assert_cmpstr (timeout, ==, "250ms");
  /* the session's other settings too (no JIT: issue 19) */
  jit = show (store, "jit");
  g_assert_cmpstr (jit, ==, "off");
  save_email (PD_STORE (store), "after@example.com");
  g_assert_cmpint (pd_test_pg_count (uri, "SELECT count(*) FROM personas"), ==, 2);

  g_clear_object (&store);
  pd_test_pg_drop_database (uri);
}

/* Inside a transaction the store never goes on on a new connection: the
 * statement after the loss fails, so does every other until the caller's
 * ROLLBACK, and nothing of the transaction is in the database. */
static void
test_lost_in_transaction (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPgStore) store = NULL;
  g_autoptr(PGresult) result = NULL;

  NEED_PG (uri);
  store = pd_pg_store_new (uri, &error);
  g_assert_no_error (error);
  g_assert_true (_pd_pg_exec (store, "CREATE TABLE halves (n integer)", &error));
  g_assert_true (_pd_pg_exec (store, "BEGIN", &error));
  g_assert_true (_pd_pg_exec (store, "INSERT INTO halves VALUES (1)", &error));
  g_assert_no_error (error);

  cut (uri, FALSE);
  g_assert_false (_pd_pg_exec (store, "INSERT INTO halves VALUES (2)", &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, "Lost the connection"));
  g_assert_nonnull (strstr (error->message, "Nothing of the unfinished change was kept"));
  g_clear_error (&error);
  /* the server is back at once, but this transaction is gone */
  g_assert_false (_pd_pg_exec (store, "INSERT INTO halves VALUES (3)", &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_STORE);
  g_clear_error (&error);
  g_assert_false (_pd_pg_exec (store, "COMMIT", &error));
  g_clear_error (&error);
  g_assert_cmpint (pd_test_pg_count (uri, "SELECT count(*) FROM halves"), ==, 0);

  _pd_pg_rollback (store);
  result = _pd_pg_query (store, "SELECT count(*) FROM halves", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, "0");

  g_clear_object (&store);
  pd_test_pg_drop_database (uri);
}

typedef struct {
  guint lost;
  guint back;
  guint changed;
} Heard;

static void on_lost (PdPgStore *s, Heard *h) { h->lost++; }
static void on_back (PdPgStore *s, Heard *h) { h->back++; }
static void on_changed (PdPgStore *s, const char *t, Heard *h) { h->changed++; }

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_until (guint *counter,
            guint  ms)
{
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add (ms, on_timeout, &timed_out);

  while (!timed_out && *counter == 0)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout);
  return *counter > 0;
}

/* A listening store (the app's) notices the loss while idle, says so,
 * tries again without being asked, says when it is back, and hears other
 * desks again. */
static void
test_listening_signals (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPgStore) store = NULL;
  g_autoptr(PdPgStore) other = NULL;
  Heard heard = { 0 };
  gint64 started;
  g_autofree char *jit = NULL;

  NEED_PG (uri);
  store = pd_pg_store_new (uri, &error);
  g_assert_no_error (error);
  g_assert_true (pd_pg_store_listen (store, &error));
  g_signal_connect (store, "connection-lost", G_CALLBACK (on_lost), &heard);
  g_signal_connect (store, "reconnected", G_CALLBACK (on_back), &heard);
  g_signal_connect (store, "changed::personas", G_CALLBACK (on_changed), &heard);

  cut (uri, TRUE);
  g_assert_true (wait_until (&heard.lost, 5000));
  g_assert_false (pd_pg_store_is_connected (store));
  /* refused for a while: still lost, not back */
  {
    gboolean timed_out = FALSE;

    g_timeout_add (2500, on_timeout, &timed_out);
    while (!timed_out)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpuint (heard.back, ==, 0);
  g_assert_cmpuint (heard.lost, ==, 1);

  back_up (uri);
  started = g_get_monotonic_time ();
  g_assert_true (wait_until (&heard.back, 5000));
  g_test_message ("back %" G_GINT64_FORMAT " ms after the database accepted connections again",
                  (g_get_monotonic_time () - started) / 1000);
  g_assert_true (pd_pg_store_is_connected (store));
  g_assert_cmpuint (heard.lost, ==, 1);
  /* the worker's new connection has the session's settings (no JIT) */
  jit = show (store, "jit");
  g_assert_cmpstr (jit, ==, "off");

  /* LISTEN again on the new connection */
  other = pd_pg_store_new (uri, &error);
  g_assert_no_error (error);
  save_email (PD_STORE (other), "elsewhere@example.com");
  g_assert_true (wait_until (&heard.changed, 5000));

  g_clear_object (&store);
  g_clear_object (&other);
  pd_test_pg_drop_database (uri);
}

/* The loss found by a statement of a transaction, not by the idle
 * socket's watch (the window was saving): once the caller has rolled
 * back, the listening store tries again by itself and says when it is
 * back, with nothing else asked of it. */
static void
test_listening_after_failed_save (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPgStore) store = NULL;
  Heard heard = { 0 };

  NEED_PG (uri);
  store = pd_pg_store_new (uri, &error);
  g_assert_no_error (error);
  g_assert_true (pd_pg_store_listen (store, &error));
  g_signal_connect (store, "connection-lost", G_CALLBACK (on_lost), &heard);
  g_signal_connect (store, "reconnected", G_CALLBACK (on_back), &heard);

  g_assert_true (_pd_pg_exec (store, "BEGIN", &error));
  cut (uri, TRUE);
  g_assert_false (_pd_pg_exec (store, "SELECT 1", &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_STORE);
  g_clear_error (&error);
  _pd_pg_rollback (store);
  g_assert_true (wait_until (&heard.lost, 5000));
  back_up (uri);
  g_assert_true (wait_until (&heard.back, 5000));
  g_assert_true (pd_pg_store_is_connected (store));

  g_clear_object (&store);
  pd_test_pg_drop_database (uri);
}

typedef struct {
  PdPgStore *store;
  gint64     took;
  GError    *error;
  gboolean   done;
} Read;

/* A read of the window's, while the reconnect is under way. */
static gboolean
read_now (gpointer data)
{
  Read *read = data;
  gint64 started = g_get_monotonic_time ();

  g_assert_false (_pd_pg_exec (read->store, "SELECT 1", &read->error));
  read->took = g_get_monotonic_time () - started;
  read->done = TRUE;
  return G_SOURCE_REMOVE;
}

/* A server that does not answer at all (its host gone from the network):
 * the listening store (the app's) connects again in a worker thread, so
 * the main loop keeps turning while the attempt waits for the connect
 * timeout (3 s here), and a read meanwhile fails at once instead of
 * waiting for it; once the server answers again the store is back. */
static void
test_reconnect_does_not_block (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  g_autofree char *proxied = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPgStore) store = NULL;
  PdTestPgProxy *proxy;
  Heard heard = { 0 };
  PdTestHeartbeat beat;
  Read read = { 0 };
  gboolean timed_out = FALSE;

  NEED_PG (uri);
  proxy = pd_test_pg_proxy_new (uri, 3, &proxied);
  store = pd_pg_store_new (proxied, &error);
  g_assert_no_error (error);
  g_assert_true (pd_pg_store_listen (store, &error));
  g_signal_connect (store, "connection-lost", G_CALLBACK (on_lost), &heard);
  g_signal_connect (store, "reconnected", G_CALLBACK (on_back), &heard);

  pd_test_pg_proxy_go_silent (proxy);
  g_assert_true (wait_until (&heard.lost, 5000));

  /* the first attempt starts 1 s after the loss and waits 3 s for an
   * answer: the read comes in the middle of it */
  read.store = store;
  pd_test_heartbeat_start (&beat, 20);
  g_timeout_add (2000, read_now, &read);
  g_timeout_add (4000, on_timeout, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
  pd_test_heartbeat_stop (&beat);
  g_test_message ("%u ticks, longest gap %" G_GINT64_FORMAT " ms, the read took %" G_GINT64_FORMAT " ms",
                  beat.ticks, beat.longest / 1000, read.took / 1000);
  g_assert_true (read.done);
  g_assert_cmpint (read.took, <, G_USEC_PER_SEC / 2);
  g_assert_cmpint (beat.longest, <, G_USEC_PER_SEC);
  g_assert_error (read.error, PD_ERROR, PD_ERROR_STORE);
  g_assert_nonnull (strstr (read.error->message, "Trying to connect again"));
  g_clear_error (&read.error);
  g_assert_false (pd_pg_store_is_connected (store));
  g_assert_cmpuint (heard.back, ==, 0);

  pd_test_pg_proxy_answer_again (proxy);
  g_assert_true (wait_until (&heard.back, 15000));
  g_assert_true (pd_pg_store_is_connected (store));
  g_assert_true (_pd_pg_exec (store, "SELECT 1", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (heard.lost, ==, 1);

  g_clear_object (&store);
  pd_test_pg_proxy_free (proxy);
  pd_test_pg_drop_database (uri);
}

/* persona-desk-cli import whose connection the server ends mid-import:
 * a nonzero exit, stderr saying the connection was lost and nothing was
 * kept, no persona of the file in the database, the attempt in the
 * history as failed. */
static void
test_cli_import_lost (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) csv = g_string_new ("Email,First name\r\n");
  g_autofree char *dir = NULL, *path = NULL, *history = NULL;
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "G_MESSAGES_DEBUG", "all", TRUE);
  /* batches of 200 rows: the batched engine writes 4,000 rows in one
   * batch within a second, which a loaded machine let finish before the
   * cut (the test saw exit status 0) */
  g_auto(GStrv) env_small = g_environ_setenv (g_strdupv (env), "PD_IMPORT_BATCH_ROWS", "200", TRUE);
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autofree char *err = NULL;
  gboolean cut_done = FALSE;
  char buf[4096];
  gssize n;
  GPid pid;
  int out_fd, err_fd, status;

  NEED_PG (uri);
  if (g_getenv ("PD_CLI") == NULL)
    {
      pd_test_cli_skip ();
      return;
    }
  dir = g_dir_make_tmp ("pd-pg-connection-XXXXXX", NULL);
  for (guint i = 0; i < 4000; i++)
    g_string_append_printf (csv, "cut%u@example.com,Cut\r\n", i);
  path = pd_test_cli_write_file (dir, "cut.csv", csv->str);
  {
    const char *argv[] = { g_getenv ("PD_CLI"), "--db", uri, "import", path, "--accept-terms", NULL };

    g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, env_small, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                             NULL, &pid, NULL, &out_fd, &err_fd, &error));
    g_assert_no_error (error);
  }
  while ((n = read (out_fd, buf, sizeof buf)) > 0)
    {
      g_string_append_len (seen, buf, n);
      if (!cut_done && strstr (seen->str, "import: began") != NULL)
        {
          g_usleep (100 * 1000);
          cut (uri, FALSE);
          cut_done = TRUE;
        }
      if (seen->len > 256)
        g_string_erase (seen, 0, seen->len - 256);
    }
  close (out_fd);
  {
    g_autoptr(GIOChannel) channel = g_io_channel_unix_new (err_fd);

    g_io_channel_set_close_on_unref (channel, TRUE);
    g_io_channel_read_to_end (channel, &err, NULL, NULL);
  }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (cut_done);
  g_test_message ("stderr: %s", err);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), !=, 0);
  g_assert_nonnull (strstr (err, "Lost the connection"));
  g_assert_nonnull (strstr (err, "Nothing of the unfinished change was kept"));

  g_assert_cmpint (pd_test_pg_count (uri, "SELECT count(*) FROM personas"), ==, 0);
  g_assert_cmpint (pd_test_pg_count (uri, "SELECT count(*) FROM emails"), ==, 0);
  g_assert_cmpint (pd_test_pg_count (uri, "SELECT count(*) FROM import_changes"), ==, 0);
  g_assert_cmpint (pd_test_pg_count (uri, "SELECT count(*) FROM imports WHERE status = 'completed'"), ==, 0);

  pd_test_pg_drop_database (uri);
  g_remove (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pg-connection/read-after-restart", test_read_after_restart);
  g_test_add_func ("/pg-connection/lost-in-transaction", test_lost_in_transaction);
  g_test_add_func ("/pg-connection/listening-signals", test_listening_signals);
  g_test_add_func ("/pg-connection/listening-after-failed-save", test_listening_after_failed_save);
  g_test_add_func ("/pg-connection/reconnect-does-not-block", test_reconnect_does_not_block);
  g_test_add_func ("/pg-connection/cli-import-lost", test_cli_import_lost);
  return g_test_run ();
}
