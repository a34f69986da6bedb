/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue 3's "a crash at any moment leaves the database exactly as before
 * the import": the real program, killed with SIGKILL at moments spread
 * over an import (reading rows, keeping results, committing), must leave
 * a database that is whole and either exactly as before or with the whole
 * import in it, which undo then takes back out.  On SQLite
 * (/import-kill/…) and on PostgreSQL (/import-kill/pg/…, issue 19: the
 * server rolls back the transaction of a client that vanished; a smaller
 * file, the row-at-a-time path costing some milliseconds a row there). */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <string.h>
#include <sqlite3.h>
#include <json-glib/json-glib.h>

#include "pd-temp.h"
#include "pd-test-cli.h"
#include "pd-sqlite-vfs.h"
#include "pd-test-pg.h"

#define BIG_ROWS 200000
#define PG_BIG_ROWS 4000
#define PG_OLD_ROWS 300

static char *dir;
static char *db;
static gboolean on_pg;
static guint big_rows = BIG_ROWS;
static guint old_rows = 2000;

static int
run_cli (char      **out,
         const char *first,
         ...)
{
  g_autofree char *err = NULL;
  va_list ap;
  int status;

  va_start (ap, first);
  status = pd_test_cli_run_valist (db, out, &err, first, ap);
  va_end (ap);
  if (status != 0)
    g_test_message ("%s failed: %s", first, err);
  return status;
}

/* PostgreSQL's tables, each row as its text form, in order. */
static char *
dump_pg_database (void)
{
  GString *out = g_string_new (NULL);
  PGconn *conn = pd_test_pg_connect (db);
  PGresult *tables = PQexec (conn, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");

  g_assert_cmpint (PQresultStatus (tables), ==, PGRES_TUPLES_OK);
  for (int t = 0; t < PQntuples (tables); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT r::text FROM \"%s\" r ORDER BY 1", PQgetvalue (tables, t, 0));
      PGresult *rows = PQexec (conn, sql);

      g_assert_cmpint (PQresultStatus (rows), ==, PGRES_TUPLES_OK);
      g_string_append_printf (out, "[%s]\n", PQgetvalue (tables, t, 0));
      for (int r = 0; r < PQntuples (rows); r++)
        g_string_append_printf (out, "%.200s\n", PQgetvalue (rows, r, 0));
      PQclear (rows);
    }
  PQclear (tables);
  PQfinish (conn);
  return g_string_free (out, FALSE);
}

/* Every table, history included, row by row: "exactly as before". */
static char *
dump_database (void)
{
  GString *out;
  sqlite3 *handle;
  sqlite3_stmt *tables;

  if (on_pg)
    return dump_pg_database ();
  out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open_v2 (db, &handle, SQLITE_OPEN_READONLY,
                                    pd_sqlite_vfs_register ()), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY 1",
                                       -1, &tables, NULL), ==, SQLITE_OK);
  while (sqlite3_step (tables) == SQLITE_ROW)
    {
      const char *table = (const char *) sqlite3_column_text (tables, 0);
      g_autofree char *all = g_strdup_printf ("SELECT * FROM \"%s\"", table);
      g_autofree char *sql = NULL;
      sqlite3_stmt *stmt;
      int n_columns;

      /* by the first two columns, or the one (pd_schema) */
      g_assert_cmpint (sqlite3_prepare_v2 (handle, all, -1, &stmt, NULL), ==, SQLITE_OK);
      n_columns = sqlite3_column_count (stmt);
      sqlite3_finalize (stmt);
      sql = g_strdup_printf ("%s ORDER BY 1%s", all, n_columns > 1 ? ", 2" : "");

      g_string_append_printf (out, "[%s]\n", sqlite3_column_text (tables, 0));
      g_assert_cmpint (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            if (sqlite3_column_type (stmt, c) == SQLITE_BLOB)
              g_string_append_printf (out, "<%d bytes>|", sqlite3_column_bytes (stmt, c));
            else
              g_string_append_printf (out, "%s|", sqlite3_column_text (stmt, c));
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_finalize (tables);
  sqlite3_close (handle);
  return g_string_free (out, FALSE);
}

static char *
check_database (const char *pragma)
{
  GString *out = g_string_new (NULL);
  sqlite3 *handle;
  sqlite3_stmt *stmt;

  g_assert_cmpint (sqlite3_open_v2 (db, &handle, SQLITE_OPEN_READONLY,
                                    pd_sqlite_vfs_register ()), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, pragma, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (out, "%s;", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  return g_string_free (out, FALSE);
}

/* The import's phases, as its debug messages name them. */
typedef enum {
  KILL_AFTER_DELAY,     /* this long after the file was stored */
  KILL_AT_ROWS_APPLIED, /* as the results are kept and the commit begins */
  KILL_AT_RESULTS_KEPT, /* as the commit begins */
} KillAt;

typedef struct {
  const char *name;
  KillAt      at;
  guint       delay_ms;
} KillCase;

static const KillCase cases[] = {
  { "at-start",     KILL_AFTER_DELAY, 0 },
  { "early",        KILL_AFTER_DELAY, 150 },
  { "mid-rows",     KILL_AFTER_DELAY, 600 },
  { "late-rows",    KILL_AFTER_DELAY, 1500 },
  { "rows-applied", KILL_AT_ROWS_APPLIED, 0 },
  { "results-kept", KILL_AT_RESULTS_KEPT, 0 },
};

static char *big_path;
static char *dump_before;
static char *export_before;
static guint n_imports_before;
static guint n_whole_before;  /* kills that left the database as before */

static guint
count_imports (void)
{
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpint (run_cli (&out, "history", "--json", NULL), ==, 0);
  node = json_from_string (out, NULL);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_array_get_length (json_node_get_array (node));
}

static void
set_up_database (void)
{
  g_autoptr(GString) seed = g_string_new ("Email,Phone,Points,City\r\n");
  g_autoptr(GString) big = g_string_new ("Email,Phone,Points,City\r\n");
  g_autofree char *seed_path = NULL, *out = NULL;

  /* existing personas, which the big file's first rows update */
  for (guint i = 0; i < old_rows; i++)
    g_string_append_printf (seed, "old%u@example.com,+1202555%04u,%u,Austin\r\n", i, i, i % 7);
  seed_path = pd_test_cli_write_file (dir, "seed.csv", seed->str);
  g_assert_cmpint (run_cli (&out, "import", seed_path, "--accept-terms", NULL), ==, 0);

  for (guint i = 0; i < big_rows; i++)
    if (i < old_rows)
      g_string_append_printf (big, "old%u@example.com,,5,\r\n", i);
    else if (i % 50 == 0)
      g_string_append_printf (big, "broken%u@@example.com,,,\r\n", i);
    else
      g_string_append_printf (big, "new%u@example.com,+1303555%04u,%u,Denver\r\n", i, i % 10000, i % 3);
  big_path = pd_test_cli_write_file (dir, "big.csv", big->str);

  /* A finished import before the kills gives undo and history something
   * to keep. */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (&out, "export", NULL), ==, 0);
  export_before = g_steal_pointer (&out);
  dump_before = dump_database ();
  n_imports_before = count_imports ();
}

/* Spawns the import and kills it at @kc's moment.  Returns FALSE when the
 * program ended before that moment came. */
static gboolean
import_and_kill (const KillCase *kc)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "G_MESSAGES_DEBUG", "all", TRUE);
  const char *argv[] = { g_getenv ("PD_CLI"), "--db", db, "import", big_path, "--accept-terms",
                         "--match", "email,phone", "--on-match", "merge", NULL };
  const char *wanted = kc->at == KILL_AFTER_DELAY ? "import: began"
                     : kc->at == KILL_AT_ROWS_APPLIED ? "import: rows applied"
                     : "import: results kept";
  g_autoptr(GString) seen = g_string_new (NULL);
  gboolean killed = FALSE;
  char buf[4096];
  gssize n;
  GPid pid;
  int status, out_fd;

  /* GLib writes debug messages to standard output */
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, env, G_SPAWN_DO_NOT_REAP_CHILD |
                                           G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &pid, NULL, &out_fd,
                                           NULL, &error));
  g_assert_no_error (error);
  while ((n = read (out_fd, buf, sizeof buf)) > 0)
    {
      g_string_append_len (seen, buf, n);
      if (strstr (seen->str, wanted) != NULL)
        {
          if (kc->delay_ms > 0)
            g_usleep (kc->delay_ms * 1000);
          kill (pid, SIGKILL);
          killed = TRUE;
          break;
        }
      /* only the tail can hold a message split by the read */
      if (seen->len > 256)
        g_string_erase (seen, 0, seen->len - 256);
    }
  close (out_fd);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  if (!killed || !WIFSIGNALED (status))
    return FALSE;
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
  return TRUE;
}

static void
test_kill (gconstpointer data)
{
  const KillCase *kc = data;
  g_autofree char *history = NULL, *integrity = NULL, *foreign = NULL, *after = NULL;
  guint n_imports;

  if (dump_before == NULL)
    set_up_database ();
  if (!import_and_kill (kc))
    {
      g_test_skip ("the import ended before the moment to kill it");
      return;
    }

  /* The next program to open the database recovers it, as the app would
   * on its next start. */
  g_assert_cmpint (run_cli (&history, "history", NULL), ==, 0);
  if (!on_pg)
    {
      integrity = check_database ("PRAGMA integrity_check");
      g_assert_cmpstr (integrity, ==, "ok;");
      foreign = check_database ("PRAGMA foreign_key_check");
      g_assert_cmpstr (foreign, ==, "");
    }

  n_imports = count_imports ();
  if (n_imports == n_imports_before)
    {
      after = dump_database ();
      g_assert_cmpstr (after, ==, dump_before);
      g_test_message ("killed %s: the database is as before", kc->name);
      n_whole_before++;
    }
  else
    {
      /* The kill came after the commit: all of the import is there, and
       * undo takes all of it back out. */
      g_autofree char *out = NULL, *id = NULL, *export_after = NULL;
      g_autoptr(JsonNode) node = NULL;
      JsonObject *last;

      g_test_message ("killed %s: the import was committed", kc->name);
      g_assert_cmpuint (n_imports, ==, n_imports_before + 1);
      g_assert_cmpint (run_cli (&out, "history", "--json", NULL), ==, 0);
      node = json_from_string (out, NULL);
      last = json_array_get_object_element (json_node_get_array (node), 0);
      g_assert_cmpstr (json_object_get_string_member (last, "status"), ==, "completed");
      g_assert_cmpint (json_object_get_int_member (last, "total"), ==, big_rows);
      id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (last, "id"));
      g_assert_cmpint (run_cli (NULL, "undo", id, NULL), ==, 0);
      g_assert_cmpint (run_cli (NULL, "history", "delete", id, NULL), ==, 0);
      g_assert_cmpint (run_cli (&export_after, "export", NULL), ==, 0);
      g_assert_cmpstr (export_after, ==, export_before);
      /* the next case starts from this database */
      g_clear_pointer (&dump_before, g_free);
      dump_before = dump_database ();
    }
}

/* Not vacuous: the kills while rows were read must have found the import
 * unfinished. */
static void
test_some_before (void)
{
  if (dump_before == NULL)
    {
      g_test_skip ("no kill ran");
      return;
    }
  g_assert_cmpuint (n_whole_before, >=, 1);
}

/* The /import-kill/pg/ cases run after the SQLite ones (GTest runs a
 * suite's cases before its child suites): the first of them moves the
 * program onto a PostgreSQL database of its own. */
static gboolean
switch_to_pg (void)
{
  g_autofree char *uri = NULL;

  if (on_pg)
    return db != NULL;
  on_pg = TRUE;
  uri = pd_test_pg_new_database ();
  g_clear_pointer (&db, g_free);
  g_clear_pointer (&dump_before, g_free);
  g_clear_pointer (&export_before, g_free);
  g_clear_pointer (&big_path, g_free);
  n_whole_before = 0;
  big_rows = PG_BIG_ROWS;
  old_rows = PG_OLD_ROWS;
  db = g_steal_pointer (&uri);
  return db != NULL;
}

static void
test_kill_pg (gconstpointer data)
{
  if (!switch_to_pg ())
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return;
    }
  test_kill (data);
}

static void
test_some_before_pg (void)
{
  if (!switch_to_pg ())
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return;
    }
  test_some_before ();
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  if (!pd_test_cli_set_up ("import-kill", &dir, &db))
    return g_test_run ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/import-kill/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_kill);
    }
  g_test_add_func ("/import-kill/some-left-as-before", test_some_before);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/import-kill/pg/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_kill_pg);
    }
  g_test_add_func ("/import-kill/pg/some-left-as-before", test_some_before_pg);
  ret = g_test_run ();
  if (on_pg && db != NULL)
    pd_test_pg_drop_database (db);
  pd_temp_remove_dir (dir);
  g_free (big_path);
  g_free (dump_before);
  g_free (export_before);
  g_free (db);
  g_free (dir);
  return ret;
}
