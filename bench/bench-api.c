/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-api: look-ups per second and latency of the HTTP API.
 *
 *   bench-api --db FILE [--clients 4] [--requests 5000] [--runs 3] [--bulk N]
 *
 * Starts `persona-desk-cli --db FILE serve --port 0` (a process of its
 * own, as a point of sale sees it), makes a token, and has CLIENTS threads,
 * each with its own keep-alive connection (libsoup's client), send
 * REQUESTS requests each, first GET /loyalty-status?phone=… then
 * GET /personas/{id}, for phones and IDs drawn at random from the
 * database's active personas.  Prints requests/s and p50/p99 latency per
 * run and the medians of the runs.  The machine is shared: compare runs
 * made at the same time, and look at the load average printed with them.
 *
 * --bulk N (then --db is not needed) compares, in the same run, one
 * POST /customers/bulk of N made-up customers against `persona-desk-cli
 * import` of the same customers as CSV, each into a new empty database
 * of its own (a server on the first, with an --import token): rows/s of
 * each, the bulk's from request to answer, the import's the whole
 * process's. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "pd-store.h"

typedef struct {
  const char  *base;      /* "http://127.0.0.1:PORT/" */
  const char  *auth;
  GPtrArray   *paths;     /* the requests to draw from */
  guint        n;         /* requests */
  guint        seed;
  gint64      *latencies; /* µs, n of them */
  guint        failures;
} Client;

static gpointer
run_client (gpointer data)
{
  Client *c = data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns-per-host", 1, NULL);
  GRand *rand = g_rand_new_with_seed (c->seed);

  for (guint i = 0; i < c->n; i++)
    {
      const char *path = c->paths->pdata[g_rand_int_range (rand, 0, c->paths->len)];
      g_autofree char *url = g_strconcat (c->base, path, NULL);
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr(GBytes) body = NULL;
      gint64 start = g_get_monotonic_time ();

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", c->auth);
      body = soup_session_send_and_read (session, msg, NULL, NULL);
      c->latencies[i] = g_get_monotonic_time () - start;
      if (body == NULL || soup_message_get_status (msg) != 200)
        c->failures++;
    }
  g_rand_free (rand);
  return NULL;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* The server's CPU time so far (user + system), in µs: what a request
 * costs whatever else the machine is doing. */
static gint64
cpu_us (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (after = strrchr (text, ')')) == NULL)
    return 0;
  fields = g_strsplit (after + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return 0;
  /* utime and stime are fields 14 and 15 of stat, 12 and 13 after ")" */
  return (g_ascii_strtoll (fields[11], NULL, 10) + g_ascii_strtoll (fields[12], NULL, 10)) *
         (G_USEC_PER_SEC / sysconf (_SC_CLK_TCK));
}

typedef struct {
  double rps;
  double p50_ms;
  double p99_ms;
  double cpu_us;     /* the server's CPU per request */
  guint  failures;
} Result;

static Result
measure (const char *pid,
         const char *base,
         const char *auth,
         GPtrArray  *paths,
         guint       n_clients,
         guint       n_requests,
         guint       seed)
{
  g_autofree Client *clients = g_new0 (Client, n_clients);
  g_autofree GThread **threads = g_new0 (GThread *, n_clients);
  g_autofree gint64 *all = g_new (gint64, (gsize) n_clients * n_requests);
  Result result = { 0 };
  gint64 start, wall;
  gsize total = (gsize) n_clients * n_requests;
  gint64 cpu_start = cpu_us (pid);

  for (guint i = 0; i < n_clients; i++)
    {
      clients[i] = (Client) { base, auth, paths, n_requests, seed * 100 + i, all + (gsize) i * n_requests, 0 };
    }
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n_clients; i++)
    threads[i] = g_thread_new ("client", run_client, &clients[i]);
  for (guint i = 0; i < n_clients; i++)
    {
      g_thread_join (threads[i]);
      result.failures += clients[i].failures;
    }
  wall = g_get_monotonic_time () - start;
  result.cpu_us = (double) (cpu_us (pid) - cpu_start) / total;
  qsort (all, total, sizeof (gint64), compare_gint64);
  result.rps = total / (wall / 1e6);
  result.p50_ms = all[total / 2] / 1000.0;
  result.p99_ms = all[MIN (total - 1, total * 99 / 100)] / 1000.0;
  return result;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_double);
  return values[n / 2];
}

/* A PostgreSQL database's (issue 19): the first 5,000 active personas
 * with a phone, through the store, in random order. */
static void
sample_store (const char *uri,
              GPtrArray  *phones,
              GPtrArray  *ids)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = pd_store_open (uri, &error);
  PdPersonaQuery query = { .view = PD_PERSONA_VIEW_ACTIVE, .sort = PD_PERSONA_SORT_ID };
  g_autoptr(GPtrArray) page = NULL;

  if (store == NULL)
    g_error ("%s", error->message);
  page = pd_store_list_personas (store, &query, 0, 20000, &error);
  if (page == NULL)
    g_error ("%s", error->message);
  for (guint i = 0; i < page->len && phones->len < 5000; i++)
    {
      guint j = (guint) g_random_int_range ((gint32) i, (gint32) page->len);
      gpointer drawn = page->pdata[j];
      PdPersona *persona = drawn;
      const char *phone = pd_persona_get_primary_phone (persona);

      /* Fisher-Yates: the drawn one moves to i, never drawn again */
      page->pdata[j] = page->pdata[i];
      page->pdata[i] = drawn;
      if (phone == NULL)
        continue;
      {
        g_autofree char *escaped = g_uri_escape_string (phone, NULL, TRUE);

        g_ptr_array_add (ids, g_strdup_printf ("personas/%" G_GINT64_FORMAT, pd_persona_get_id (persona)));
        g_ptr_array_add (phones, g_strdup_printf ("loyalty-status?phone=%s", escaped));
      }
    }
}

/* Random active personas' phones and IDs, read straight from the file. */
static void
sample (const char *db_path,
        GPtrArray  *phones,
        GPtrArray  *ids)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;

  if (g_str_has_prefix (db_path, "postgresql://") || g_str_has_prefix (db_path, "postgres://"))
    {
      sample_store (db_path, phones, ids);
      return;
    }
  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    g_error ("cannot open %s", db_path);
  if (sqlite3_prepare_v2 (db, "SELECT id, primary_phone FROM personas WHERE state = 0 "
                              "AND primary_phone IS NOT NULL ORDER BY random() LIMIT 5000", -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (db));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *escaped = g_uri_escape_string ((const char *) sqlite3_column_text (stmt, 1), NULL, TRUE);

      g_ptr_array_add (ids, g_strdup_printf ("personas/%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 0)));
      g_ptr_array_add (phones, g_strdup_printf ("loyalty-status?phone=%s", escaped));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* N customers as the bulk body and as CSV, the same names and emails */
static void
make_customers (guint     n,
                GString  *json,
                GString  *csv)
{
  g_string_append (json, "{\"action\": \"merge\", \"deduplicationKeys\": [\"email\"], \"customers\": [");
  g_string_append (csv, "first_name,last_name,email,city\n");
  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (json, "%s{\"firstName\": \"First%u\", \"lastName\": \"Last%u\", "
                              "\"email\": [\"customer%u@example.com\"], \"city\": \"City%u\"}",
                              i > 0 ? "," : "", i, i, i, i % 100);
      g_string_append_printf (csv, "First%u,Last%u,customer%u@example.com,City%u\n", i, i, i, i % 100);
    }
  g_string_append (json, "]}");
}

static int
bench_bulk (const char *cli,
            guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-bulk-XXXXXX", &error);
  g_autofree char *api_db = NULL, *cli_db = NULL, *csv_path = NULL, *token = NULL, *auth = NULL;
  g_autofree char *line = NULL, *url = NULL, *max_body = NULL, *load = NULL, *out_text = NULL;
  g_autoptr(GString) json = g_string_new (NULL);
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autoptr(PdStore) store = NULL;
  g_autoptr(GSubprocess) server = NULL, import = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 0, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL, answer = NULL;
  gint64 start, api_us, cli_us;

  g_assert_no_error (error);
  api_db = g_build_filename (dir, "api.db", NULL);
  cli_db = g_build_filename (dir, "cli.db", NULL);
  csv_path = g_build_filename (dir, "customers.csv", NULL);
  make_customers (n, json, csv);
  if (!g_file_set_contents (csv_path, csv->str, csv->len, &error))
    g_error ("%s", error->message);
  store = pd_store_open (api_db, &error);
  g_assert_no_error (error);
  if (!pd_store_create_api_token (store, "bench-bulk", PD_API_TOKEN_IMPORT, NULL, &token, &error))
    g_error ("%s", error->message);
  g_clear_object (&store);
  auth = g_strconcat ("Bearer ", token, NULL);
  max_body = g_strdup_printf ("%" G_GSIZE_FORMAT, MAX (json->len + 1, (gsize) 1024));
  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                             cli, "--db", api_db, "serve", "--port", "0", "--max-body", max_body, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  if (line == NULL || strstr (line, "http://") == NULL)
    g_error ("the server did not start: %s", line != NULL ? line : "(nothing)");
  url = g_strconcat (strstr (line, "http://"), "customers/bulk", NULL);
  g_file_get_contents ("/proc/loadavg", &load, NULL, NULL);
  printf ("bulk: %u customers (%.1f MB of JSON, %.1f MB of CSV), each into an empty database; load average %s",
          n, json->len / 1e6, csv->len / 1e6, load != NULL ? load : "?\n");

  msg = soup_message_new ("POST", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  body = g_bytes_new_static (json->str, json->len);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  start = g_get_monotonic_time ();
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  api_us = g_get_monotonic_time () - start;
  if (answer == NULL || soup_message_get_status (msg) != 200)
    g_error ("POST /customers/bulk: %u %.*s", soup_message_get_status (msg),
             answer != NULL ? (int) MIN (g_bytes_get_size (answer), 400) : 0,
             answer != NULL ? (const char *) g_bytes_get_data (answer, NULL) : "");
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);

  start = g_get_monotonic_time ();
  import = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                             cli, "--db", cli_db, "import", csv_path, "--accept-terms", "--json", NULL);
  g_assert_no_error (error);
  if (!g_subprocess_communicate_utf8 (import, NULL, NULL, &out_text, NULL, &error) ||
      g_subprocess_get_exit_status (import) != 0)
    g_error ("persona-desk-cli import failed: %s", error != NULL ? error->message : out_text);
  cli_us = g_get_monotonic_time () - start;

  printf ("bulk  POST /customers/bulk        %8.0f rows/s  (%.2f s, request to answer): %.*s\n",
          n / (api_us / 1e6), api_us / 1e6, (int) MIN (g_bytes_get_size (answer), 120),
          (const char *) g_bytes_get_data (answer, NULL));
  printf ("bulk  persona-desk-cli import CSV %8.0f rows/s  (%.2f s, the whole process)\n",
          n / (cli_us / 1e6), cli_us / 1e6);
  g_free (load);
  load = NULL;
  g_file_get_contents ("/proc/loadavg", &load, NULL, NULL);
  printf ("load average after: %s", load != NULL ? load : "?\n");
  unlink (api_db);
  unlink (cli_db);
  unlink (csv_path);
  {
    /* the databases' -wal/-shm and whatever else the store left */
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *entry;

    while (d != NULL && (entry = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, entry, NULL);

        unlink (path);
      }
  }
  rmdir (dir);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *db = NULL, *cli = NULL;
  gint clients = 4, requests = 5000, runs = 3, bulk = 0;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The database (made with persona-desk-cli import)", "FILE" },
    { "clients", 0, 0, G_OPTION_ARG_INT, &clients, "Concurrent keep-alive clients (4)", "N" },
    { "requests", 0, 0, G_OPTION_ARG_INT, &requests, "Requests per client per endpoint and run (5000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs (3); the medians are printed last", "N" },
    { "bulk", 0, 0, G_OPTION_ARG_INT, &bulk, "Instead: POST /customers/bulk of N customers against import", "N" },
    { "cli", 0, 0, G_OPTION_ARG_FILENAME, &cli, "persona-desk-cli (default: this build's)", "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GPtrArray) phones = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *token = NULL, *auth = NULL, *line = NULL, *name = NULL, *load = NULL;
  double *rps[2] = { NULL, NULL }, *p50[2] = { NULL, NULL }, *p99[2] = { NULL, NULL }, *cpu[2] = { NULL, NULL };
  const char *base, *pid;
  const char *labels[2] = { "GET /loyalty-status", "GET /personas/{id}" };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || (db == NULL && bulk <= 0) || clients < 1 ||
      requests < 1 || runs < 1)
    {
      g_printerr ("bench-api: %s\n", error != NULL ? error->message : "--db FILE (or --bulk N) is required");
      return 2;
    }
  if (cli == NULL)
    cli = g_build_filename (PD_BUILD_ROOT, "src", "cli", "persona-desk-cli", NULL);
  if (bulk > 0)
    return bench_bulk (cli, (guint) bulk);

  sample (db, phones, ids);
  if (phones->len == 0)
    g_error ("no active persona with a phone in %s", db);
  store = pd_store_open (db, &error);
  g_assert_no_error (error);
  name = g_strdup_printf ("bench-%d", (int) getpid ());
  if (!pd_store_create_api_token (store, name, TRUE, NULL, &token, &error))
    g_error ("%s", error->message);
  auth = g_strconcat ("Bearer ", token, NULL);

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                             cli, "--db", db, "serve", "--port", "0", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  if (line == NULL || strstr (line, "http://") == NULL)
    g_error ("the server did not start: %s", line != NULL ? line : "(nothing)");
  base = strstr (line, "http://");
  pid = g_subprocess_get_identifier (server);
  g_file_get_contents ("/proc/loadavg", &load, NULL, NULL);
  printf ("database %s, %u sampled personas, %d clients x %d requests, %d runs; load average %s",
          db, phones->len, clients, requests, runs, load != NULL ? load : "?\n");

  /* warm the server's caches and connections */
  measure (pid, base, auth, phones, clients, 200, 999);
  measure (pid, base, auth, ids, clients, 200, 998);
  for (int e = 0; e < 2; e++)
    {
      rps[e] = g_new (double, runs);
      p50[e] = g_new (double, runs);
      p99[e] = g_new (double, runs);
      cpu[e] = g_new (double, runs);
    }
  for (int r = 0; r < runs; r++)
    for (int e = 0; e < 2; e++)
      {
        Result res = measure (pid, base, auth, e == 0 ? phones : ids, clients, requests, r + 1);

        printf ("run %d  %-22s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  server CPU %5.0f µs/req%s\n", r + 1,
                labels[e], res.rps, res.p50_ms, res.p99_ms, res.cpu_us, res.failures != 0 ? "  (FAILURES)" : "");
        if (res.failures != 0)
          printf ("        %u requests failed\n", res.failures);
        rps[e][r] = res.rps;
        p50[e][r] = res.p50_ms;
        p99[e][r] = res.p99_ms;
        cpu[e][r] = res.cpu_us;
      }
  for (int e = 0; e < 2; e++)
    printf ("median %-22s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  server CPU %5.0f µs/req\n", labels[e],
            median (rps[e], runs), median (p50[e], runs), median (p99[e], runs), median (cpu[e], runs));
  g_free (load);
  load = NULL;
  g_file_get_contents ("/proc/loadavg", &load, NULL, NULL);
  printf ("load average after: %s", load != NULL ? load : "?\n");

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  pd_store_revoke_api_token (store, name, NULL, NULL);
  for (int e = 0; e < 2; e++)
    {
      g_free (rps[e]);
      g_free (p50[e]);
      g_free (p99[e]);
      g_free (cpu[e]);
    }
  return 0;
}
