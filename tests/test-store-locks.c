/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's SQLite locks survive whatever else the process does with
 * the database file (issue 14): GIO's content-type query, GTK's file
 * chooser, any open() and close() of it.  With POSIX locks they went, and
 * the next persona-desk-cli removed the write-ahead log holding the app's
 * last commits. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "pd-error.h"
#include "pd-sqlite-store.h"
#include "pd-sqlite-store-private.h"
#include "pd-sqlite-vfs.h"
#include "pd-test-cli.h"
#include "pd-pg-store.h"
#include "pd-test-pg.h"

/* SQLite's lock bytes of the database file */
#define PENDING_BYTE 0x40000000
#define SHARED_FIRST (PENDING_BYTE + 2)
#define SHARED_SIZE 510

static char *dir;
static char *db_path;

static gboolean
try_save_new (PdStore     *store,
              const char  *first,
              const char  *email,
              GError     **error)
{
  g_autoptr(PdPersona) p = pd_persona_new ();

  pd_persona_set_value (p, PD_FIELD_FIRST_NAME, first);
  pd_persona_set_value (p, PD_FIELD_LAST_NAME, "Locks");
  pd_persona_add_email (p, email);
  return pd_store_save_persona (store, p, PD_SOURCE_MANUAL, error);
}

static void
save_new (PdStore    *store,
          const char *first,
          const char *email)
{
  g_autoptr(GError) error = NULL;

  try_save_new (store, first, email, &error);
  g_assert_no_error (error);
}

/* What a program that is not SQLite does: open the file and close it. */
static void
touch_one (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  int fd;

  /* GIO sniffs the first bytes of the file for its content type */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE,
                            G_FILE_QUERY_INFO_NONE, NULL, &error);
  g_assert_no_error (error);
  /* and a plain descriptor, in case GIO one day no longer opens it */
  fd = open (path, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
}

/* A file chooser showing the database's folder sniffs each of its files. */
static void
touch_like_gio (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);

      touch_one (name);
    }
}

/* Whether another process could take SQLite's EXCLUSIVE lock of @path now:
 * a child asks the kernel with a POSIX F_GETLK, as the unix VFS of any
 * other SQLite would lock. */
static gboolean
other_process_could_lock_exclusive (const char *path)
{
  pid_t pid;
  int status = 0;

  /* the child opens the file: a descriptor closed here would release
   * this process's POSIX locks, the very thing under test */
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      struct flock fl = { 0 };
      int fd = open (path, O_RDWR | O_CLOEXEC);

      fl.l_type = F_WRLCK;
      fl.l_whence = SEEK_SET;
      fl.l_start = SHARED_FIRST;
      fl.l_len = SHARED_SIZE;
      if (fd < 0 || fcntl (fd, F_GETLK, &fl) != 0)
        _exit (2);
      _exit (fl.l_type == F_UNLCK ? 0 : 1);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), !=, 2);
  return WEXITSTATUS (status) == 0;
}

static int
run_cli (const char *db,
         const char *first,
         ...)
{
  va_list ap;
  int status;

  va_start (ap, first);
  status = pd_test_cli_run_valist (db, NULL, NULL, first, ap);
  va_end (ap);
  return status;
}

static gint64
count_rows (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static char *
integrity (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *result;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return result;
}

/* The sequence: the app has committed, one of its connections
 * still reads (a page of the list), the file chooser looks at the
 * database, then persona-desk-cli runs and closes. */
static void
test_other_descriptor_closed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdStore) reader = NULL;
  g_autoptr(PdStore) again = NULL;
  g_autoptr(GError) save_error = NULL;
  g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
  g_autofree char *check = NULL;
  gboolean locked_before, locked_after, wal_kept;
  int status;

  store = (PdStore *) pd_sqlite_store_new (db_path, &error);
  g_assert_no_error (error);
  save_new (store, "Ada", "ada@example.com");
  reader = pd_store_open_another (store, &error);
  g_assert_no_error (error);
  g_assert_true (_pd_sqlite_store_exec (PD_SQLITE_STORE (reader),
                                        "BEGIN; SELECT count(*) FROM personas;", &error));
  g_assert_no_error (error);
  /* committed after the reader's snapshot: only in the log for now */
  save_new (store, "Grace", "grace@example.com");
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  locked_before = !other_process_could_lock_exclusive (db_path);
  touch_like_gio (db_path);
  locked_after = !other_process_could_lock_exclusive (db_path);

  /* another program opens the database and closes it */
  status = run_cli (db_path, "history", NULL);
  g_assert_cmpint (status, ==, 0);
  wal_kept = g_file_test (wal, G_FILE_TEST_EXISTS);

  /* the app goes on (a worker opens a connection of its own), then quits */
  again = pd_store_open_another (store, &error);
  g_assert_no_error (error);
  /* kept for the end: what became of the data matters most */
  try_save_new (again, "Linus", "linus@example.com", &save_error);
  if (save_error == NULL)
    try_save_new (store, "Margaret", "margaret@example.com", &save_error);
  g_assert_true (_pd_sqlite_store_exec (PD_SQLITE_STORE (reader), "COMMIT;", &error));
  g_assert_no_error (error);
  g_clear_object (&reader);
  g_clear_object (&store);
  g_clear_object (&again);

  /* every write the app was told was saved is there, in a whole database */
  check = integrity (db_path);
  g_assert_cmpstr (check, ==, "ok");
  g_assert_cmpint (count_rows (db_path, "SELECT count(*) FROM personas "
                                        "WHERE first_name IN ('Ada', 'Grace')"), ==, 2);
  g_assert_no_error (save_error);
  g_assert_cmpint (count_rows (db_path, "SELECT count(*) FROM personas "
                                        "WHERE first_name IN ('Linus', 'Margaret')"), ==, 2);
  g_assert_true (locked_before);
  g_assert_true (locked_after);
  g_assert_true (wal_kept);
}

/* Two connections of one process lock against each other through the
 * kernel: a writer's EXCLUSIVE (what a closing connection needs before it
 * removes the log) waits for the other's SHARED. */
static void
test_connections_of_one_process (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdStore) other = NULL;
  g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);

  store = (PdStore *) pd_sqlite_store_new (db_path, &error);
  g_assert_no_error (error);
  other = pd_store_open_another (store, &error);
  g_assert_no_error (error);
  save_new (other, "Barbara", "barbara@example.com");
  touch_like_gio (db_path);
  /* a read-only connection (as the tests and tools open) reads the log */
  {
    sqlite3 *ro = NULL;

    g_assert_cmpint (sqlite3_open_v2 (db_path, &ro, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (ro, "SELECT count(*) FROM personas", NULL, NULL, NULL), ==,
                     SQLITE_OK);
    sqlite3_close (ro);
  }

  /* the first to close finds the other still there: the log stays */
  g_clear_object (&other);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (other_process_could_lock_exclusive (db_path));
  save_new (store, "Edsger", "edsger@example.com");
  g_clear_object (&store);

  /* the last one checkpoints and removes it */
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_true (other_process_could_lock_exclusive (db_path));
  g_assert_cmpint (count_rows (db_path, "SELECT count(*) FROM personas "
                                        "WHERE first_name IN ('Barbara', 'Edsger')"), ==, 2);
  /* and a connection that names no VFS (another library's) uses it too */
  g_assert_cmpstr (sqlite3_vfs_find (NULL)->zName, ==, PD_SQLITE_VFS_NAME);
}

/* A process on SQLite's plain unix VFS (the sqlite3 shell) and the store
 * lock against each other: OFD and POSIX locks conflict. */
static void
test_plain_sqlite_process (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autofree char *shell = g_find_program_in_path ("sqlite3");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
  const char *argv[] = { shell, "-bail", db_path,
                         "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;", NULL };
  int status = 0;

  if (shell == NULL)
    {
      g_test_skip ("no sqlite3 shell (Debian package sqlite3)");
      return;
    }
  store = (PdStore *) pd_sqlite_store_new (db_path, &error);
  g_assert_no_error (error);
  save_new (store, "Frances", "frances@example.com");
  touch_like_gio (db_path);

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (err, "locked"));
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_clear_object (&store);
  g_assert_cmpint (count_rows (db_path, "SELECT count(*) FROM personas "
                                        "WHERE first_name = 'Frances'"), ==, 1);
}

/* Many writers at once, in threads of this process, in other processes
 * on this VFS, and in the sqlite3 shell on the plain unix VFS, each
 * adding 1 to a counter in its own transactions, while something keeps
 * opening and closing descriptors of the file: not one increment lost. */
#define N_INCREMENTS 150

static const char *counter_setup =
  "PRAGMA journal_mode = WAL;"
  "CREATE TABLE IF NOT EXISTS counter (n INTEGER NOT NULL);"
  "INSERT INTO counter SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM counter);";

/* One writer: @n increments, reopening its connection now and then (the
 * last to close checkpoints and removes the log, the next one opens the
 * -shm file anew) and closing a stray descriptor of the file each time. */
static void
increment (const char *path,
           guint       n)
{
  sqlite3 *db = NULL;

  for (guint i = 0; i < n; i++)
    {
      int fd;
      int rc;

      if (db == NULL)
        {
          g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE,
                                            pd_sqlite_vfs_register ()), ==, SQLITE_OK);
          sqlite3_busy_timeout (db, 30000);
        }
      rc = sqlite3_exec (db, "BEGIN IMMEDIATE;"
                             "UPDATE counter SET n = n + 1;"
                             "COMMIT;", NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        g_error ("increment %u of %s: %s", i, path, sqlite3_errmsg (db));
      fd = open (path, O_RDONLY | O_CLOEXEC);
      g_assert_cmpint (fd, >=, 0);
      close (fd);
      if (i % 3 == 0)
        g_assert_cmpint (sqlite3_exec (db, "SELECT n FROM counter", NULL, NULL, NULL), ==,
                         SQLITE_OK);
      if (i % 25 == 24)
        g_clear_pointer (&db, sqlite3_close);
    }
  sqlite3_close (db);
}

static gpointer
increment_thread (gpointer data)
{
  increment (data, N_INCREMENTS);
  return NULL;
}

static void
test_many_writers (void)
{
  g_autoptr(GPtrArray) children = g_ptr_array_new ();
  g_autofree char *shell = g_find_program_in_path ("sqlite3");
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(GString) shell_script = g_string_new (".timeout 30000\n");
  GThread *threads[2];
  guint n_expected = 0;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                    pd_sqlite_vfs_register ()), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, counter_setup, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  for (guint i = 0; i < N_INCREMENTS; i++)
    g_string_append (shell_script, "UPDATE counter SET n = n + 1;\n");

  for (guint i = 0; i < 2; i++)
    {
      const char *argv[] = { self_exe, "--increment", db_path, NULL };
      GPid pid;
      g_autoptr(GError) error = NULL;

      g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                    NULL, NULL, &pid, &error));
      g_assert_no_error (error);
      g_ptr_array_add (children, GINT_TO_POINTER (pid));
      n_expected += N_INCREMENTS;
    }
  if (shell != NULL)
    {
      const char *argv[] = { shell, "-bail", db_path, NULL };
      g_autoptr(GError) error = NULL;
      GPid pid;
      int in = -1;

      g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                               G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                               &in, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (write (in, shell_script->str, shell_script->len), ==,
                       (gssize) shell_script->len);
      close (in);
      g_ptr_array_add (children, GINT_TO_POINTER (pid));
      n_expected += N_INCREMENTS;
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      threads[i] = g_thread_new ("increment", increment_thread, db_path);
      n_expected += N_INCREMENTS;
    }

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  for (guint i = 0; i < children->len; i++)
    {
      int status = 0;
      pid_t pid = GPOINTER_TO_INT (g_ptr_array_index (children, i));

      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    }

  g_assert_cmpint (count_rows (db_path, "SELECT n FROM counter"), ==, n_expected);
  {
    g_autofree char *check = integrity (db_path);
    g_assert_cmpstr (check, ==, "ok");
  }
  if (shell == NULL)
    g_test_message ("no sqlite3 shell (Debian package sqlite3): only this VFS's writers ran");
}

/* PostgreSQL (issue 19): the server's locks, not the file's.  A desk's
 * edit while another desk's import runs: a persona the import has not
 * touched saves at once (MVCC); one it has written waits for the
 * import's transaction, as long as the connection's lock timeout (the
 * window's 250 ms, the CLI's 10 s) and no longer, then says the database
 * is in use — never for the whole import. */
static gint64
pg_save_ms (PdStore    *store,
            gint64      id,
            const char *city,
            GError    **error)
{
  g_autoptr(PdPersona) p = pd_store_get_persona (store, id, NULL);
  gint64 start = g_get_monotonic_time ();

  g_assert_nonnull (p);
  pd_persona_set_value (p, PD_FIELD_CITY, city);
  pd_store_save_persona (store, p, PD_SOURCE_MANUAL, error);
  return (g_get_monotonic_time () - start) / 1000;
}

static void
test_pg_edit_during_import (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) importer = NULL;
  g_autoptr(PdStore) window = NULL;
  g_autoptr(PdStore) cli = NULL;
  g_autoptr(PdImportInfo) info = pd_import_info_new ();
  g_autoptr(PdPersona) before = NULL;
  g_autoptr(PdPersona) after = NULL;
  gint64 touched, untouched, import_id, ms;

  if (uri == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return;
    }
  importer = pd_store_open (uri, &error);
  g_assert_no_error (error);
  save_new (importer, "Touched", "touched@example.com");
  save_new (importer, "Untouched", "untouched@example.com");
  touched = pd_store_find_persona (importer, PD_FIELD_EMAIL, "touched@example.com", NULL);
  untouched = pd_store_find_persona (importer, PD_FIELD_EMAIL, "untouched@example.com", NULL);
  window = pd_store_open (uri, &error);
  g_assert_no_error (error);
  pd_store_set_lock_timeout (window, 250);   /* as PdWindow sets it */
  cli = pd_store_open (uri, &error);          /* the default, as the CLI's */
  g_assert_no_error (error);

  /* desk A's import updates one of them and adds others, and is still
   * running (its transaction open) while desk B saves */
  info->name = g_strdup ("desk A");
  import_id = pd_store_begin_import (importer, info, NULL, &error);
  g_assert_no_error (error);
  before = pd_store_get_persona (importer, touched, NULL);
  after = pd_store_get_persona (importer, touched, NULL);
  pd_persona_set_value (after, PD_FIELD_CITY, "Imported");
  g_assert_true (pd_store_import_write_full (importer, import_id, after, before, NULL, FALSE, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(PdPersona) p = pd_persona_new ();
      g_autofree char *email = g_strdup_printf ("new%u@example.com", i);

      pd_persona_add_email (p, email);
      g_assert_true (pd_store_import_write_full (importer, import_id, p, NULL, NULL, FALSE, &error));
      g_assert_no_error (error);
    }

  ms = pg_save_ms (window, untouched, "Desk B", &error);
  g_assert_no_error (error);
  g_test_message ("window: a persona the import did not touch saved in %" G_GINT64_FORMAT " ms", ms);
  g_assert_cmpint (ms, <, 2000);

  ms = pg_save_ms (window, touched, "Desk B", &error);
  g_assert_error (error, PD_ERROR, PD_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "is in use"));
  g_clear_error (&error);
  g_test_message ("window: a persona the import touched: busy after %" G_GINT64_FORMAT " ms", ms);
  g_assert_cmpint (ms, >=, 200);
  g_assert_cmpint (ms, <, 3000);

  ms = pg_save_ms (cli, touched, "Desk C", &error);
  g_assert_error (error, PD_ERROR, PD_ERROR_BUSY);
  g_clear_error (&error);
  g_test_message ("default lock timeout: busy after %" G_GINT64_FORMAT " ms", ms);
  g_assert_cmpint (ms, >=, 9000);
  g_assert_cmpint (ms, <, 15000);

  /* the refused saves changed nothing; once the import has ended the
   * save goes through */
  g_assert_true (pd_store_finish_import (importer, info, &error));
  g_assert_no_error (error);
  {
    g_autoptr(PdPersona) p = pd_store_get_persona (window, touched, NULL);

    g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_CITY), ==, "Imported");
  }
  ms = pg_save_ms (window, touched, "Desk B", &error);
  g_assert_no_error (error);
  g_test_message ("after the import: saved in %" G_GINT64_FORMAT " ms", ms);

  g_clear_object (&importer);
  g_clear_object (&window);
  g_clear_object (&cli);
  pd_test_pg_drop_database (uri);
}

/* Writers on one persona's points at once — threads of this process,
 * each with its own connection, and persona-desk-cli processes — take
 * turns on its row: not one adjustment lost. */
#define PG_THREAD_ADJUSTMENTS 40
#define PG_CLI_ADJUSTMENTS 8

static gpointer
pg_adjust_thread (gpointer data)
{
  const char *uri = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = pd_store_open (uri, &error);
  gint64 id;

  g_assert_no_error (error);
  id = pd_store_find_persona (store, PD_FIELD_EMAIL, "counter@example.com", NULL);
  for (guint i = 0; i < PG_THREAD_ADJUSTMENTS; i++)
    {
      g_assert_true (pd_store_adjust_points (store, id, 1, "turns", PD_SOURCE_MANUAL, &error));
      g_assert_no_error (error);
    }
  return NULL;
}

static gpointer
pg_cli_thread (gpointer data)
{
  const char *uri = data;

  for (guint i = 0; i < PG_CLI_ADJUSTMENTS; i++)
    {
      /* its output kept off this program's TAP stream */
      const char *argv[] = { g_getenv ("PD_CLI"), "--db", uri, "points", "adjust", "--email",
                             "counter@example.com", "1", "--reason", "turns", NULL };
      g_autofree char *out = NULL;
      g_autoptr(GError) error = NULL;
      int status = 0;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                                   &status, &error));
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
    }
  return NULL;
}

static void
test_pg_many_writers (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdPersona) p = NULL;
  GThread *threads[4];
  gint64 id;

  if (uri == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return;
    }
  store = pd_store_open (uri, &error);
  g_assert_no_error (error);
  save_new (store, "Counter", "counter@example.com");
  id = pd_store_find_persona (store, PD_FIELD_EMAIL, "counter@example.com", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("adjust", i < 3 ? pg_adjust_thread : pg_cli_thread, uri);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  p = pd_store_get_persona (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_persona_get_points (p), ==, 3 * PG_THREAD_ADJUSTMENTS + PG_CLI_ADJUSTMENTS);
  {
    g_autoptr(GPtrArray) ledger = pd_store_list_ledger (store, id, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (ledger->len, ==, 3 * PG_THREAD_ADJUSTMENTS + PG_CLI_ADJUSTMENTS);
  }
  g_clear_object (&store);
  pd_test_pg_drop_database (uri);
}

static void
remove_db (void)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (db_path, suffixes[i], NULL);

      g_remove (name);
    }
}

/* Each test starts and ends without a database. */
static void
run_alone (gconstpointer data)
{
  GTestFunc func = (GTestFunc) data;

  remove_db ();
  func ();
  remove_db ();
}

static void
add (const char *path,
     GTestFunc   func)
{
  g_test_add_data_func (path, (gconstpointer) func, run_alone);
}

int
main (int argc, char **argv)
{
  int rc;

  /* a writer of /store-locks/many-writers */
  if (argc == 3 && g_str_equal (argv[1], "--increment"))
    {
      increment (argv[2], N_INCREMENTS);
      return 0;
    }

  g_test_init (&argc, &argv, NULL);
  if (pd_test_cli_set_up ("store-locks", &dir, &db_path))
    {
      add ("/store-locks/other-descriptor-closed", test_other_descriptor_closed);
      add ("/store-locks/connections-of-one-process", test_connections_of_one_process);
      add ("/store-locks/plain-sqlite-process", test_plain_sqlite_process);
      add ("/store-locks/many-writers", test_many_writers);
      g_test_add_func ("/store-locks/pg/edit-during-import", test_pg_edit_during_import);
      g_test_add_func ("/store-locks/pg/many-writers", test_pg_many_writers);
    }
  rc = g_test_run ();
  if (dir != NULL)
    {
      remove_db ();
      g_rmdir (dir);
    }
  g_free (dir);
  g_free (db_path);
  return rc;
}
