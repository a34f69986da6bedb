/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli token and serve (issue 18) as a user runs them: the
 * real program, a real HTTP client; on a SQLite file and on PostgreSQL
 * (issue 19: a database of its own on tests/pg-run.sh's server, skipped
 * without it). */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pd-temp.h"
#include "pd-test-pg.h"

static int
run_cli (const char  *db,
         char       **out,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *ignored = NULL;
  int status = 0;
  va_list ap;

  /* stdout is the test's TAP stream: never the program's */
  if (out == NULL)
    out = &ignored;

  g_ptr_array_add (argv, (char *) g_getenv ("PD_CLI"));
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, (char *) db);
  va_start (ap, out);
  for (const char *a = va_arg (ap, const char *); a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               out, NULL, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128;
}

/* One request with a bearer token; returns the status, and the body in
 * @body (nullable). */
static guint
request (SoupSession  *session,
         const char   *method,
         const char   *url,
         const char   *token,
         const char   *json,
         char        **body)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (json != NULL)
    {
      g_autoptr(GBytes) data = g_bytes_new (json, strlen (json));

      soup_message_set_request_body_from_bytes (msg, "application/json", data);
    }
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (body != NULL)
    *body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return soup_message_get_status (msg);
}

/* persona-desk-cli token create/list/revoke and serve, as a user runs
 * them; @data: TRUE for PostgreSQL. */
static void
test_cli (gconstpointer data)
{
  gboolean pg = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL, *db = NULL, *token = NULL, *list = NULL, *line = NULL, *url = NULL;
  g_autofree char *again = NULL, *auth = NULL, *base = NULL, *writer = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  guint status[3];

  if (g_getenv ("PD_CLI") == NULL)
    {
      g_test_skip ("PD_CLI is not set: run through meson test");
      return;
    }
  dir = g_dir_make_tmp ("pd-api-cli-XXXXXX", &error);
  g_assert_no_error (error);
  if (pg)
    {
      db = pd_test_pg_new_database ();
      if (db == NULL)
        {
          g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
          pd_temp_remove_dir (dir);
          return;
        }
    }
  else
    db = g_build_filename (dir, "personas.db", NULL);
  g_assert_cmpint (run_cli (db, &token, "token", "create", "till-1", "--read-only", NULL), ==, 0);
  g_strstrip (token);
  g_assert_true (g_str_has_prefix (token, "pd_"));
  g_assert_cmpuint (strlen (token), ==, 3 + 64);
  g_assert_cmpint (run_cli (db, &again, "token", "create", "till-1", NULL), ==, 1);   /* the name is taken */
  g_assert_cmpint (run_cli (db, NULL, "token", "create", "no spaces", NULL), ==, 2);
  g_assert_cmpint (run_cli (db, &list, "token", "list", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (list, "\"till-1\""));
  g_assert_nonnull (strstr (list, "\"read_only\" : true"));
  g_assert_null (strstr (list, token));
  /* a token that may bulk-import, shown as such; not also read-only */
  {
    g_autofree char *importer = NULL, *json = NULL, *text = NULL;

    g_assert_cmpint (run_cli (db, &importer, "token", "create", "erp", "--import", NULL), ==, 0);
    g_assert_cmpint (run_cli (db, NULL, "token", "create", "both", "--import", "--read-only", NULL), ==, 2);
    g_assert_cmpint (run_cli (db, &json, "token", "list", "--json", NULL), ==, 0);
    g_assert_nonnull (strstr (json, "\"import\" : true"));
    g_assert_null (strstr (json, "\"both\""));
    g_assert_cmpint (run_cli (db, &text, "token", "list", NULL), ==, 0);
    g_assert_true (g_regex_match_simple ("^erp +import ", text, G_REGEX_MULTILINE, 0));
  }

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                             g_getenv ("PD_CLI"), "--db", db, "serve", "--port", "0", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, "http://127.0.0.1:"));   /* loopback unless --listen says */
  base = g_strdup (strstr (line, "http://"));
  url = g_strconcat (base, "personas", NULL);
  auth = g_strconcat ("Bearer ", token, NULL);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new (i == 1 ? "POST" : "GET", url);
      g_autoptr(GBytes) bytes = NULL;

      if (i == 2)
        g_assert_cmpint (run_cli (db, NULL, "token", "revoke", "till-1", NULL), ==, 0);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      if (i == 1)
        {
          static const char text[] = "{\"emails\": [\"a@example.com\"]}";
          g_autoptr(GBytes) body = g_bytes_new_static (text, strlen (text));

          soup_message_set_request_body_from_bytes (msg, "application/json", body);
        }
      bytes = soup_session_send_and_read (session, msg, NULL, &error);
      g_assert_no_error (error);
      status[i] = soup_message_get_status (msg);
    }
  g_assert_cmpuint (status[0], ==, 200);   /* a read-only token reads */
  g_assert_cmpuint (status[1], ==, 403);   /* and may not write */
  g_assert_cmpuint (status[2], ==, 401);   /* revoked: refused at once */
  /* a token made while the server runs works at once; it writes, and the
   * change feed and an order go through the store the server opened */
  g_assert_cmpint (run_cli (db, &writer, "token", "create", "pos", NULL), ==, 0);
  g_strstrip (writer);
  {
    g_autofree char *created = NULL, *feed = NULL, *orders = NULL, *order_url = NULL, *ordered = NULL;
    g_autofree char *feed_url = g_strconcat (base, "personas?updated_since=2000-01-01T00:00:00Z", NULL);
    g_autoptr(JsonParser) parser = json_parser_new ();
    gint64 id;

    g_assert_cmpuint (request (session, "POST", url, writer, "{\"emails\": [\"b@example.com\"]}", &created),
                      ==, 201);
    g_assert_true (json_parser_load_from_data (parser, created, -1, &error));
    id = json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "id");
    g_assert_cmpint (id, >, 0);
    g_assert_cmpuint (request (session, "GET", feed_url, writer, NULL, &feed), ==, 200);
    g_assert_nonnull (strstr (feed, "b@example.com"));
    order_url = g_strdup_printf ("%spersonas/%" G_GINT64_FORMAT "/orders", base, id);
    g_assert_cmpuint (request (session, "POST", order_url, writer,
                               "{\"number\": \"R-1\", \"items\": [{\"product\": \"Tea\", "
                               "\"quantity\": 2, \"price\": 150}]}", &ordered), ==, 201);
    g_assert_cmpuint (request (session, "GET", order_url, writer, NULL, &orders), ==, 200);
    g_assert_nonnull (strstr (orders, "\"R-1\""));
  }
  g_subprocess_send_signal (server, SIGTERM);
  g_assert_true (g_subprocess_wait (server, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (server));
  g_assert_cmpint (g_subprocess_get_exit_status (server), ==, 0);
  g_assert_cmpint (run_cli (db, NULL, "token", "revoke", "till-1", NULL), ==, 2);   /* no such token */
  if (pg)
    pd_test_pg_drop_database (db);
  pd_temp_remove_dir (dir);
}

static gboolean
accept_any (SoupMessage          *msg,
            GTlsCertificate      *certificate,
            GTlsCertificateFlags  errors,
            gpointer              user_data)
{
  return TRUE;   /* the test's own self-signed certificate */
}

/* serve --tls-cert/--tls-key speaks HTTPS (a certificate made by openssl
 * here; skipped without it). */
static void
test_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL, *db = NULL, *cert = NULL, *key = NULL, *token = NULL, *openssl = NULL;
  g_autofree char *line = NULL, *url = NULL, *auth = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  int status = 0;

  openssl = g_find_program_in_path ("openssl");
  if (g_getenv ("PD_CLI") == NULL || openssl == NULL)
    {
      g_test_skip ("needs PD_CLI (meson test) and openssl to make a certificate");
      return;
    }
  dir = g_dir_make_tmp ("pd-api-tls-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (dir, "personas.db", NULL);
  cert = g_build_filename (dir, "cert.pem", NULL);
  key = g_build_filename (dir, "key.pem", NULL);
  {
    const char *argv[] = { openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                           "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_cmpint (status, ==, 0);
  }
  g_assert_cmpint (run_cli (db, &token, "token", "create", "till", NULL), ==, 0);
  g_strstrip (token);
  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                             g_getenv ("PD_CLI"), "--db", db, "serve", "--port", "0", "--tls-cert", cert,
                             "--tls-key", key, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, "https://127.0.0.1:"));
  url = g_strconcat (strstr (line, "https://"), "loyalty-status?phone=%2B12025550143", NULL);
  auth = g_strconcat ("Bearer ", token, NULL);
  msg = soup_message_new ("GET", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any), NULL);
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_subprocess_send_signal (server, SIGTERM);
  g_assert_true (g_subprocess_wait (server, NULL, &error));
  pd_temp_remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/api-cli/sqlite/tokens-and-serve", GINT_TO_POINTER (FALSE), test_cli);
  g_test_add_data_func ("/api-cli/pg/tokens-and-serve", GINT_TO_POINTER (TRUE), test_cli);
  g_test_add_func ("/api-cli/tls", test_tls);
  return g_test_run ();
}
