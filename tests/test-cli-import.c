/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The import commands' contract on the real program: import, show, export,
 * history, undo, and Ctrl-C. */
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

static char *dir;
static char *db;
static char *sqlite_db;
static char *pg_uri;   /* /cli-import/pg/…: the same commands on PostgreSQL */

static int
run_cli (char      **out,
         char      **err,
         const char *first,
         ...)
{
  va_list ap;
  int status;

  va_start (ap, first);
  status = pd_test_cli_run_valist (db, out, err, first, ap);
  va_end (ap);
  return status;
}

static char *
write_file (const char *name,
            const char *contents)
{
  return pd_test_cli_write_file (dir, name, contents);
}

static JsonObject *
parse_object (const char *text,
              JsonNode  **keep)
{
  g_autoptr(GError) error = NULL;

  *keep = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*keep));
  return json_node_get_object (*keep);
}

static const char first_file[] =
  "First Name,Email,Phone,Points,City\r\n"
  "Ann,ann@example.com,(202) 555-0143,10,=cmd()\r\n"
  "Bob,bob@example.com,,,Austin\r\n"
  "Bad,nope,,,\r\n";

static void
test_import_show_export (void)
{
  g_autofree char *path = write_file ("first.csv", first_file);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;
  JsonArray *rows;
  const char *keys[] = { "id", "first_name", "last_name", "emails", "phones", "external_id", "city",
                         "birth_date", "points", "loyalty", "email_opt_in", "sms_opt_in", "sms_opt_out",
                         "customer_type", "person_type", "signup_date", "favorite_store", "tags",
                         "attributes", "archived" };

  /* no --accept-terms: refused, one line on stderr, nothing written */
  g_assert_cmpint (run_cli (&out, &err, "import", path, "--json", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "--accept-terms"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&out, &err, "import", path, "--accept-terms", "--json", NULL), ==, 0);
  o = parse_object (out, &node);
  g_assert_cmpint (json_object_get_int_member (o, "total"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "imported"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (o, "failed"), ==, 1);
  g_assert_true (json_object_has_member (o, "import_id"));
  g_assert_true (json_object_has_member (o, "updated"));
  g_assert_true (json_object_has_member (o, "ignored"));
  g_assert_true (json_object_has_member (o, "duration_ms"));
  rows = json_object_get_array_member (o, "rows");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rows, 0), "row"), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0), "outcome"), ==,
                   "failed");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&node, json_node_unref);

  g_assert_cmpint (run_cli (&out, &err, "show", "--phone", "202-555-0143", "--json", NULL), ==, 0);
  o = parse_object (out, &node);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (json_object_has_member (o, keys[i]));
  g_assert_cmpuint (json_object_get_size (o), ==, G_N_ELEMENTS (keys));
  g_assert_cmpstr (json_object_get_string_member (o, "first_name"), ==, "Ann");
  g_assert_cmpint (json_object_get_int_member (o, "points"), ==, 10);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&out, &err, "show", "--email", "nobody@example.com", NULL), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* export: the formula is neutralized */
  g_assert_cmpint (run_cli (&out, &err, "export", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "id,first_name,last_name,emails,phones,"));
  g_assert_nonnull (strstr (out, ",'=cmd(),"));
  g_assert_null (strstr (out, ",=cmd(),"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "export", "--format", "json", NULL), ==, 0);
  {
    g_autoptr(JsonNode) array = json_from_string (out, NULL);

    g_assert_nonnull (array);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (array)), ==, 2);
  }
}

/* import --dry-run: the import's counts and the field changes, and the
 * database and the history exactly as before. */
static void
test_dry_run (void)
{
  g_autofree char *path = write_file ("dry.csv",
                                      "Email,Points,Last Name\r\nann@example.com,5,Lee\r\n"
                                      "dee@example.com,1,\r\nnope,,\r\n");
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *before = NULL, *after = NULL, *history_before = NULL, *history_after = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;
  JsonArray *changes;
  gboolean points = FALSE, last_name = FALSE;

  g_assert_cmpint (run_cli (&before, &err, "export", NULL), ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&history_before, &err, "history", "--json", NULL), ==, 0);
  g_clear_pointer (&err, g_free);

  /* no --accept-terms needed: nothing is written */
  g_assert_cmpint (run_cli (&out, &err, "import", path, "--dry-run", "--json", NULL), ==, 0);
  o = parse_object (out, &node);
  g_assert_cmpint (json_object_get_int_member (o, "total"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "imported"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "updated"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "failed"), ==, 1);
  g_assert_true (json_object_get_boolean_member (o, "dry_run"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "rows")), ==, 1);
  changes = json_object_get_array_member (o, "changes");
  g_assert_cmpint (json_object_get_int_member (o, "changes_total"), ==, json_array_get_length (changes));
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *c = json_array_get_object_element (changes, i);
      const char *field = json_object_get_string_member (c, "field");

      g_assert_cmpint (json_object_get_int_member (c, "row"), ==, 2);
      if (g_str_equal (field, "points"))
        {
          g_assert_cmpstr (json_object_get_string_member (c, "old"), ==, "10");
          g_assert_cmpstr (json_object_get_string_member (c, "new"), ==, "15");
          points = TRUE;
        }
      else if (g_str_equal (field, "last_name"))
        {
          g_assert_true (json_object_get_null_member (c, "old"));
          g_assert_cmpstr (json_object_get_string_member (c, "new"), ==, "Lee");
          last_name = TRUE;
        }
    }
  g_assert_true (points && last_name);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&after, &err, "export", NULL), ==, 0);
  g_assert_cmpstr (before, ==, after);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&history_after, &err, "history", "--json", NULL), ==, 0);
  g_assert_cmpstr (history_before, ==, history_after);
}

/* Another program holds the write lock (an import in another window, a
 * script): the import waits for it, then says so, and writes nothing. */
static void
test_busy (void)
{
  g_autofree char *path = write_file ("busy.csv", "Email\r\nbusy@example.com\r\n");
  g_autofree char *out = NULL, *err = NULL, *before = NULL, *after = NULL;
  sqlite3 *other;

  g_assert_cmpint (run_cli (&before, &err, "export", NULL), ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (sqlite3_open_v2 (db, &other, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                    pd_sqlite_vfs_register ()), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  g_assert_cmpint (run_cli (&out, &err, "import", path, "--accept-terms", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "is in use"));
  g_assert_nonnull (strstr (err, db));

  g_assert_cmpint (sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&after, &err, "export", NULL), ==, 0);
  g_assert_cmpstr (before, ==, after);
}

static void
test_history_undo (void)
{
  g_autofree char *path = write_file ("second.csv",
                                      "Email,Points,City,Tags\r\nann@example.com,5,Boston,new\r\n"
                                      "cy@example.com,1,,\r\n");
  g_autofree char *download = g_build_filename (dir, "download.csv", NULL);
  g_autofree char *report = g_build_filename (dir, "report.csv", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *before = NULL, *during = NULL, *after = NULL;
  g_autofree char *original = NULL, *copy = NULL;
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;

  g_assert_cmpint (run_cli (&before, &err, "export", NULL), ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "import", path, "--accept-terms", "--json", "--on-match", "append",
                            "--name", "Second", "--report", report, NULL), ==, 0);
  o = parse_object (out, &node);
  id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (o, "import_id"));
  g_assert_cmpint (json_object_get_int_member (o, "updated"), ==, 1);
  g_assert_true (g_file_test (report, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&during, &err, "export", NULL), ==, 0);
  g_assert_cmpstr (before, !=, during);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&out, &err, "history", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"Second\""));
  g_assert_nonnull (strstr (out, "\"completed\""));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&out, &err, "history", "download", id, "--out", download, NULL), ==, 0);
  g_assert_true (g_file_get_contents (path, &original, NULL, NULL));
  g_assert_true (g_file_get_contents (download, &copy, NULL, NULL));
  g_assert_cmpstr (original, ==, copy);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* the results report of this past import, written again from the store */
  {
    g_autofree char *again = g_build_filename (dir, "again.csv", NULL);
    g_autofree char *again_xlsx = g_build_filename (dir, "again.xlsx", NULL);
    g_autofree char *first = NULL, *second = NULL;

    g_assert_cmpint (run_cli (&out, &err, "history", "report", id, "--out", again, NULL), ==, 0);
    g_assert_true (g_file_get_contents (report, &first, NULL, NULL));
    g_assert_true (g_file_get_contents (again, &second, NULL, NULL));
    g_assert_cmpstr (first, ==, second);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_cli (&out, &err, "history", "report", id, "--out", again_xlsx, NULL), ==, 0);
    g_assert_true (g_file_test (again_xlsx, G_FILE_TEST_IS_REGULAR));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_cli (&out, &err, "history", "report", id, "--out", "x.txt", NULL), ==, 2);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  g_assert_cmpint (run_cli (&out, &err, "history", "audience", id, NULL), ==, 0);
  g_assert_cmpuint (g_strv_length (g_strsplit (g_strstrip (out), "\n", -1)), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&out, &err, "undo", id, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&after, &err, "export", NULL), ==, 0);
  g_assert_cmpstr (before, ==, after);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&out, &err, "undo", id, NULL), ==, 1);   /* not twice */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "history", "delete", id, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "history", "download", id, "--out", download, NULL), ==, 1);
}

static void
test_interrupt (void)
{
  g_autoptr(GString) big = g_string_new ("Email,Points\r\n");
  g_autofree char *path = NULL;
  g_autofree char *before = NULL, *after = NULL, *err = NULL, *errout = NULL;
  const char *cli = g_getenv ("PD_CLI");
  const char *argv[] = { cli, "--db", db, "import", NULL, "--accept-terms", NULL };
  g_autoptr(GError) error = NULL;
  GPid pid;
  int status, err_fd;
  char buf[4096];
  gssize n;
  GString *stderr_text = g_string_new (NULL);

  for (guint i = 0; i < 400000; i++)
    g_string_append_printf (big, "bulk%u@example.com,%u\r\n", i, i % 5);
  path = write_file ("big.csv", big->str);
  argv[4] = path;
  g_assert_cmpint (run_cli (&before, &err, "export", NULL), ==, 0);

  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                           &pid, NULL, NULL, &err_fd, &error));
  g_assert_no_error (error);
  /* let it get going, then Ctrl-C */
  g_usleep (1500 * 1000);
  kill (pid, SIGINT);
  while ((n = read (err_fd, buf, sizeof buf)) > 0)
    g_string_append_len (stderr_text, buf, n);
  close (err_fd);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  errout = g_string_free (stderr_text, FALSE);
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    {
      g_test_skip ("the import finished before Ctrl-C");
      return;
    }
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  g_assert_nonnull (strstr (errout, "cancelled"));

  g_assert_cmpint (run_cli (&after, &err, "export", NULL), ==, 0);
  g_assert_cmpstr (before, ==, after);
}

/* Issue 20: an extension is kept with its number, matched on the number
 * alone and exported; a number from a range the phone data does not know
 * yet is kept with a warning. */
static void
test_extension_exported (void)
{
  g_autofree char *path = write_file ("extensions.csv",
                                      "First Name,Email,Phone\r\n"
                                      "Eve,eve@example.com,786-284-3358x62152\r\n"
                                      "Fay,fay@example.com,645-284-3358\r\n");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;
  JsonArray *warnings;

  g_assert_cmpint (run_cli (&out, &err, "import", path, "--accept-terms", "--json", NULL), ==, 0);
  o = parse_object (out, &node);
  g_assert_cmpint (json_object_get_int_member (o, "imported"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (o, "failed"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (o, "warning_rows"), ==, 1);
  warnings = json_object_get_array_member (o, "warnings");
  g_assert_cmpuint (json_array_get_length (warnings), ==, 1);
  {
    JsonObject *r = json_array_get_object_element (warnings, 0);
    const char *reason = json_array_get_string_element (json_object_get_array_member (r, "reasons"), 0);

    g_assert_cmpint (json_object_get_int_member (r, "row"), ==, 3);
    g_assert_cmpstr (json_object_get_string_member (r, "outcome"), ==, "imported");
    g_assert_nonnull (strstr (reason, "Row 3, column “Phone”"));
    g_assert_nonnull (strstr (reason, "2022"));
    g_assert_nonnull (strstr (reason, "+16452843358"));
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* found by the number alone */
  g_assert_cmpint (run_cli (&out, &err, "show", "--phone", "786-284-3358", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"Eve\""));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&out, &err, "export", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "+17862843358;ext=62152"));
  g_assert_nonnull (strstr (out, "+16452843358"));
}

/* The same test on a PostgreSQL database of its own (the server of
 * tests/pg-run.sh), which the PostgreSQL tests build on in the same order. */
static void
run_pg (gconstpointer data)
{
  if (pg_uri == NULL)
    pg_uri = pd_test_pg_new_database ();
  if (pg_uri == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return;
    }
  db = pg_uri;
  ((GTestFunc) data) ();
  db = sqlite_db;
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  if (!pd_test_cli_set_up ("cli-import", &dir, &db))
    return g_test_run ();

  /* in order: each builds on the database the previous one left */
  g_test_add_func ("/cli-import/import-show-export", test_import_show_export);
  g_test_add_func ("/cli-import/dry-run", test_dry_run);
  g_test_add_func ("/cli-import/history-undo", test_history_undo);
  g_test_add_func ("/cli-import/busy", test_busy);
  g_test_add_func ("/cli-import/interrupt", test_interrupt);
  g_test_add_func ("/cli-import/extension-exported", test_extension_exported);
  sqlite_db = db;
  /* on PostgreSQL too, but for the SQLite lock of /cli-import/busy */
  g_test_add_data_func ("/cli-import/pg/import-show-export", (gconstpointer) test_import_show_export, run_pg);
  g_test_add_data_func ("/cli-import/pg/dry-run", (gconstpointer) test_dry_run, run_pg);
  g_test_add_data_func ("/cli-import/pg/history-undo", (gconstpointer) test_history_undo, run_pg);
  g_test_add_data_func ("/cli-import/pg/interrupt", (gconstpointer) test_interrupt, run_pg);
  g_test_add_data_func ("/cli-import/pg/extension-exported", (gconstpointer) test_extension_exported, run_pg);
  ret = g_test_run ();
  if (pg_uri != NULL)
    pd_test_pg_drop_database (pg_uri);
  g_free (pg_uri);
  pd_temp_remove_dir (dir);
  return ret;
}
