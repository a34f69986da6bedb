/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The persona store, SQLite and PostgreSQL: schema, validation, look-ups,
 * search, listing.  Each case runs on both (/store/sqlite/… and
 * /store/pg/…); the PostgreSQL ones skip without a test server (see
 * pd-test-pg.h). */
#include "config.h"

#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "pd-error.h"
#include "pd-sqlite-store.h"
#include "pd-sqlite-store-private.h"
#include "pd-sqlite-vfs.h"
#include "pd-pg-store-private.h"
#include "pd-test-pg.h"

typedef enum {
  BACKEND_SQLITE,
  BACKEND_PG,
} Backend;

static const Backend sqlite_backend = BACKEND_SQLITE;
static const Backend pg_backend = BACKEND_PG;

typedef struct {
  Backend  backend;
  char    *dir;
  char    *path;   /* SQLite: the file; PostgreSQL: the URI */
  PdStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->backend = *(const Backend *) data;
  f->dir = g_dir_make_tmp ("pd-store-XXXXXX", &error);
  g_assert_no_error (error);
  if (f->backend == BACKEND_PG)
    {
      f->path = pd_test_pg_new_database ();
      if (f->path == NULL)
        {
          g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
          return;
        }
    }
  else
    /* a parent folder that does not exist yet */
    f->path = g_build_filename (f->dir, "sub", "personas.db", NULL);
  f->store = pd_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

/* The first line of every case: nothing to test without its store. */
#define NEED_STORE(f) G_STMT_START { if ((f)->store == NULL) return; } G_STMT_END

/* Runs SQL on the fixture's database behind the store's back. */
static void
exec_raw (Fixture    *f,
          const char *sql)
{
  if (f->backend == BACKEND_PG)
    pd_test_pg_exec (f->path, sql);
  else
    {
      sqlite3 *db;

      g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                        pd_sqlite_vfs_register ()), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);
    }
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_remove (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      remove_tree (child);
    }
  g_dir_close (dir);
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  if (f->backend == BACKEND_PG && f->path != NULL)
    pd_test_pg_drop_database (f->path);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static PdPersona *
make_persona (const char *first,
              const char *last,
              const char *email,
              const char *phone)
{
  PdPersona *p = pd_persona_new ();

  pd_persona_set_value (p, PD_FIELD_FIRST_NAME, first);
  pd_persona_set_value (p, PD_FIELD_LAST_NAME, last);
  if (email != NULL)
    pd_persona_add_email (p, email);
  if (phone != NULL)
    pd_persona_add_phone (p, phone);
  return p;
}

static gint64
save_new (Fixture    *f,
          const char *first,
          const char *last,
          const char *email,
          const char *phone)
{
  g_autoptr(PdPersona) p = make_persona (first, last, email, phone);
  g_autoptr(GError) error = NULL;

  pd_store_save_persona (f->store, p, PD_SOURCE_MANUAL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_persona_get_id (p), >, 0);
  return pd_persona_get_id (p);
}

static void
check_sqlite_file (Fixture *f)
{
  struct stat st;
  sqlite3 *db;
  sqlite3_stmt *stmt;

  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                    pd_sqlite_vfs_register ()), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), >=, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* Each migration ran once, recorded in pd_schema. */
static void
check_pg_schema (Fixture *f)
{
  PGconn *conn = pd_test_pg_connect (f->path);
  PGresult *result = PQexec (conn, "SELECT count(*), count(DISTINCT version), min(version) FROM pd_schema");

  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, PQgetvalue (result, 0, 1));
  g_assert_cmpstr (PQgetvalue (result, 0, 2), ==, "1");
  PQclear (result);
  PQfinish (conn);
}

static void
test_open_creates_private_file (Fixture       *f,
                                gconstpointer  data)
{
  NEED_STORE (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) again = NULL;
  g_autoptr(PdStore) other = NULL;

  /* Reopening runs no migration twice; a second connection sees the data. */
  save_new (f, "Ann", "Lee", "ann@example.com", NULL);
  again = pd_store_open (f->path, &error);
  g_assert_no_error (error);
  other = pd_store_open_another (again, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_store_find_persona (other, PD_FIELD_EMAIL, "ann@example.com", &error), >, 0);

  if (f->backend == BACKEND_SQLITE)
    check_sqlite_file (f);
  else
    check_pg_schema (f);
}

static gpointer
open_thread (gpointer data)
{
  g_autoptr(GError) error = NULL;
  PdStore *store = pd_store_open (data, &error);

  g_assert_no_error (error);
  return store;
}

/* Desks opening a new database at the same moment: the advisory lock
 * makes one of them create the schema and the others find it made. */
static void
test_pg_concurrent_migrations (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  GThread *threads[6];

  if (uri == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("open", open_thread, uri);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      PdStore *store = g_thread_join (threads[i]);

      g_assert_nonnull (store);
      g_object_unref (store);
    }
  {
    Fixture f = { .backend = BACKEND_PG, .path = uri };
    check_pg_schema (&f);
  }
  pd_test_pg_drop_database (uri);
}

/* A server that cannot be reached: an error naming the problem, no crash. */
static void
test_pg_unreachable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = pd_store_open ("postgresql:///nowhere?host=/nonexistent-pd-folder", &error);

  g_assert_null (store);
  g_assert_error (error, PD_ERROR, PD_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, "PostgreSQL"));
}

/* A connection opened while an import holds the write lock (a second
 * window, the CLI) opens at once and reads the data as it was. */
static void
test_open_during_import (Fixture       *f,
                         gconstpointer  data)
{
  NEED_STORE (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdImportInfo) info = pd_import_info_new ();
  g_autoptr(PdStore) other = NULL;

  save_new (f, "Ann", "Lee", "ann@example.com", NULL);
  info->name = g_strdup ("held");
  g_assert_cmpint (pd_store_begin_import (f->store, info, NULL, &error), >, 0);
  g_assert_no_error (error);

  other = pd_store_open_another (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_store_find_persona (other, PD_FIELD_EMAIL, "ann@example.com", &error), >, 0);
  g_assert_no_error (error);
  pd_store_abort_import (f->store, info);
}

/* The window's connection, its lock timeout short, saves while an import
 * holds the database.  SQLite: it fails soon, saying the database is in
 * use, and saves once the import has ended.  PostgreSQL: another persona
 * saves at once; one with an email the running import has written waits
 * for the import as long as the lock timeout, then says the database is
 * in use. */
static void
test_save_during_import (Fixture       *f,
                         gconstpointer  data)
{
  NEED_STORE (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdImportInfo) info = pd_import_info_new ();
  g_autoptr(PdStore) window = NULL;
  g_autoptr(PdPersona) p = make_persona ("Bo", "Ek", "bo@example.com", NULL);
  gint64 start;
  gint64 import_id;

  info->name = g_strdup ("held");
  import_id = pd_store_begin_import (f->store, info, NULL, &error);
  g_assert_cmpint (import_id, >, 0);
  g_assert_no_error (error);
  window = pd_store_open_another (f->store, &error);
  g_assert_no_error (error);
  pd_store_set_lock_timeout (window, 100);

  if (f->backend == BACKEND_PG)
    {
      g_autoptr(PdPersona) other = make_persona ("Cy", "Ek", "cy@example.com", NULL);
      g_autoptr(PdPersona) imported = make_persona ("Bo", "Import", "bo@example.com", NULL);

      g_assert_true (pd_store_save_persona (window, other, PD_SOURCE_MANUAL, &error));
      g_assert_no_error (error);
      g_assert_true (pd_store_import_write_full (f->store, import_id, imported, NULL, NULL, FALSE, &error));
      g_assert_no_error (error);
    }

  start = g_get_monotonic_time ();
  g_assert_false (pd_store_save_persona (window, p, PD_SOURCE_MANUAL, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "is in use"));
  /* far below the default 10 s (not a timing test: any freeze is seconds) */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (pd_store_find_persona (window, PD_FIELD_EMAIL, "bo@example.com", NULL), ==, 0);
  g_assert_cmpint (pd_persona_get_id (p), ==, 0);
  g_clear_error (&error);

  pd_store_abort_import (f->store, info);
  g_assert_true (pd_store_save_persona (window, p, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
}

typedef struct {
  PdStore   *store;
  PdPersona *persona;
  GError    *error;
} SaveJob;

static gpointer
save_thread (gpointer data)
{
  SaveJob *job = data;

  pd_store_save_persona (job->store, job->persona, PD_SOURCE_MANUAL, &job->error);
  return NULL;
}

/* Two desks, one email: the second desk's check passes (the first desk's
 * import has not committed), its write waits on the partial unique index,
 * and when the import commits the database refuses it: a conflict, not
 * two live personas with one email. */
static void
test_pg_unique_race (Fixture       *f,
                     gconstpointer  data)
{
  NEED_STORE (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdImportInfo) info = pd_import_info_new ();
  g_autoptr(PdStore) desk = pd_store_open_another (f->store, &error);
  g_autoptr(PdPersona) imported = make_persona ("Al", "One", "al@example.com", NULL);
  g_autoptr(PdPersona) typed = make_persona ("Al", "Two", "al@example.com", NULL);
  SaveJob job = { desk, typed, NULL };
  GThread *thread;
  gint64 import_id;

  info->name = g_strdup ("first");
  import_id = pd_store_begin_import (f->store, info, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_import_write_full (f->store, import_id, imported, NULL, NULL, FALSE, &error));
  g_assert_no_error (error);

  thread = g_thread_new ("desk", save_thread, &job);
  g_usleep (300 * 1000);  /* the save is waiting on the index by now (or soon) */
  g_assert_true (pd_store_finish_import (f->store, info, &error));
  g_assert_no_error (error);
  g_thread_join (thread);

  g_assert_error (job.error, PD_ERROR, PD_ERROR_CONFLICT);
  g_clear_error (&job.error);
  g_assert_cmpint (pd_persona_get_id (typed), ==, 0);
  g_assert_cmpint (pd_store_find_persona (desk, PD_FIELD_EMAIL, "al@example.com", &error), ==,
                   pd_persona_get_id (imported));
  {
    PdPersonaQuery q = { .view = PD_PERSONA_VIEW_ACTIVE };
    g_assert_cmpuint (pd_store_count_personas (desk, &q, &error), ==, 1);
  }
}

/* Statements per action, each a round trip to the server: what a desk
 * on a remote database waits for.  The bounds are today's counts; a
 * change that adds round trips to these paths must say why. */
static void
test_pg_round_trips (Fixture       *f,
                     gconstpointer  data)
{
  NEED_STORE (f);
  PdPgStore *pg = PD_PG_STORE (f->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPersona) p = make_persona ("Rita", "Trip", "rita@example.com", "+12025550111");
  g_autoptr(GPtrArray) page = NULL;
  PdPersonaQuery q = { .view = PD_PERSONA_VIEW_ACTIVE, .sort = PD_PERSONA_SORT_NAME };
  guint before;

  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *email = g_strdup_printf ("many%u@example.com", i);
      save_new (f, "Many", "Trip", email, NULL);
    }

  before = pg->round_trips;
  g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_MANUAL, &error));
  g_test_message ("new persona (email, phone): %u round trips", pg->round_trips - before);
  /* BEGIN, check, row, emails, phones, COMMIT */
  g_assert_cmpuint (pg->round_trips - before, <=, 6);

  pd_persona_set_value (p, PD_FIELD_CITY, "Austin");
  before = pg->round_trips;
  g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_MANUAL, &error));
  g_test_message ("changed city: %u round trips", pg->round_trips - before);
  /* BEGIN, row and lists FOR UPDATE, check, row, COMMIT */
  g_assert_cmpuint (pg->round_trips - before, <=, 6);

  before = pg->round_trips;
  g_assert_true (pd_store_adjust_points (f->store, pd_persona_get_id (p), 5, "r", PD_SOURCE_MANUAL, &error));
  /* BEGIN, the row and settings FOR UPDATE, row + ledger + audit, COMMIT */
  g_assert_cmpuint (pg->round_trips - before, <=, 4);

  before = pg->round_trips;
  page = pd_store_list_personas (f->store, &q, 0, 50, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 50);
  g_test_message ("a page of 50: %u round trips", pg->round_trips - before);
  /* the rows, then every list of the page in one statement */
  g_assert_cmpuint (pg->round_trips - before, ==, 2);

  /* the count of the list: LISTEN and the count the first time, then an
   * empty statement (for the notifications) until a commit is notified
   * (pd-pg-store-counts.c) */
  g_assert_cmpuint (pd_store_count_personas (f->store, &q, &error), ==, 61);
  before = pg->round_trips;
  g_assert_cmpuint (pd_store_count_personas (f->store, &q, &error), ==, 61);
  g_assert_no_error (error);
  g_assert_cmpuint (pg->round_trips - before, ==, 1);
  g_assert_true (pd_store_adjust_points (f->store, pd_persona_get_id (p), 5, "r", PD_SOURCE_MANUAL, &error));
  before = pg->round_trips;
  g_assert_cmpuint (pd_store_count_personas (f->store, &q, &error), ==, 61);
  g_assert_cmpuint (pg->round_trips - before, ==, 2);
}

/* The server ends the import's connection (a restart, a network cut, an
 * administrator): the next write says the connection was lost and nothing
 * was kept, the abort records the failed attempt on a new connection, and
 * the database holds nothing of the import. */
static void
test_pg_lost_connection (Fixture       *f,
                         gconstpointer  data)
{
  NEED_STORE (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdImportInfo) info = pd_import_info_new ();
  g_autoptr(PdStore) importer = pd_store_open_another (f->store, &error);
  g_autoptr(PdPersona) first = make_persona ("Lo", "St", "lost1@example.com", NULL);
  g_autoptr(PdPersona) second = make_persona ("Lo", "St", "lost2@example.com", NULL);
  g_autofree char *kill = NULL;
  PdPersonaQuery q = { .view = PD_PERSONA_VIEW_ACTIVE };
  gint64 id;

  info->name = g_strdup ("cut");
  id = pd_store_begin_import (importer, info, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_import_write_full (importer, id, first, NULL, NULL, FALSE, &error));
  g_assert_no_error (error);

  kill = g_strdup_printf ("SELECT pg_terminate_backend(%d)", PQbackendPID (PD_PG_STORE (importer)->conn));
  pd_test_pg_exec (f->path, kill);

  g_assert_false (pd_store_import_write_full (importer, id, second, NULL, NULL, FALSE, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, "Lost the connection"));
  g_clear_error (&error);
  pd_store_abort_import (importer, info);

  g_assert_cmpuint (pd_store_count_personas (f->store, &q, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (pd_store_find_persona (f->store, PD_FIELD_EMAIL, "lost1@example.com", &error), ==, 0);
  /* the attempt is in the history, recorded on a new connection */
  {
    g_autoptr(GPtrArray) imports = pd_store_list_imports (f->store, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (imports->len, ==, 1);
    g_assert_cmpint (((PdImportInfo *) imports->pdata[0])->status, ==, PD_IMPORT_STATUS_FAILED);
  }
  /* and the importer's connection works again */
  g_assert_true (pd_store_save_persona (importer, second, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
}

static gboolean collect_record (const PdImportResultRecord *record, gpointer data);

/* Everything a store shows, as text: both views (JSON of each persona),
 * ledgers, imports, their files, audiences and results. */
static char *
describe_store (PdStore *store)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) imports = NULL;

  for (PdPersonaView view = PD_PERSONA_VIEW_ACTIVE; view <= PD_PERSONA_VIEW_ARCHIVED; view++)
    {
      PdPersonaQuery q = { .view = view, .sort = PD_PERSONA_SORT_ID };
      g_autoptr(GPtrArray) all = pd_store_list_personas (store, &q, 0, 1000, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < all->len; i++)
        {
          PdPersona *p = g_ptr_array_index (all, i);
          g_autoptr(JsonNode) node = pd_persona_to_json (p);
          g_autofree char *json = json_to_string (node, FALSE);
          g_autoptr(GPtrArray) ledger = pd_store_list_ledger (store, pd_persona_get_id (p), &error);

          g_string_append_printf (out, "%d %s %s\n", view, json, pd_persona_get_signup_source (p));
          for (guint l = 0; l < ledger->len; l++)
            {
              PdLedgerEntry *e = ledger->pdata[l];
              g_string_append_printf (out, "  ledger %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                                      " %d %" G_GINT64_FORMAT " %s\n", e->id, e->delta, e->balance, e->source,
                                      e->import_id, e->reason);
            }
        }
    }
  imports = pd_store_list_imports (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < imports->len; i++)
    {
      PdImportInfo *info = imports->pdata[i];
      g_autoptr(GOutputStream) file = g_memory_output_stream_new_resizable ();
      g_autoptr(GArray) audience = pd_store_list_audience (store, info->id, &error);
      g_autoptr(GString) results = g_string_new (NULL);

      g_string_append_printf (out, "import %" G_GINT64_FORMAT " %s %s %s %u %u\n", info->id, info->name,
                              info->file_name, pd_import_status_to_string (info->status), info->total,
                              info->imported);
      if (pd_store_write_import_file (store, info->id, file, NULL, NULL))
        {
          g_output_stream_close (file, NULL, NULL);
          g_string_append_printf (out, "  file %.*s\n",
                                  (int) g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (file)),
                                  (char *) g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (file)));
        }
      for (guint a = 0; a < audience->len; a++)
        g_string_append_printf (out, "  audience %" G_GINT64_FORMAT "\n", g_array_index (audience, gint64, a));
      g_assert_true (pd_store_foreach_import_result (store, info->id, collect_record, results, &error));
      g_string_append (out, results->str);
    }
  return g_string_free (out, FALSE);
}

/* persona-desk-cli migrate's copy: everything a desk's SQLite database
 * shows, the PostgreSQL store shows the same, and it goes on from there
 * (new ids after the copied ones, emails of archived personas free). */
static void
test_pg_migrate (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  g_autofree char *dir = g_dir_make_tmp ("pd-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "desk.db", NULL);
  g_autofree char *csv = g_build_filename (dir, "file.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSqliteStore) desk = NULL;
  g_autoptr(PdPgStore) chain = NULL;
  g_autoptr(PdImportInfo) info = pd_import_info_new ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *cells[] = { "x@", "tab\there", "back\\slash\nline" };
  const char *reasons[] = { "Row 3: \"quoted\", {braced}", NULL };
  PdImportResultRecord record = { .row = 3, .outcome = "failed", .reasons = reasons, .cells = cells, .n_cells = 3 };
  gint64 import_id, archived;

  if (uri == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return;
    }
  desk = pd_sqlite_store_new (path, &error);
  g_assert_no_error (error);
  {
    Fixture f = { .backend = BACKEND_SQLITE, .store = PD_STORE (desk) };
    g_autoptr(PdPersona) p = make_persona ("José", "García", "jose@example.com", "+12025550143");

    pd_persona_add_tag (p, "VIP");
    pd_persona_set_attribute (p, "Veteran", "yes\twith a tab");
    pd_persona_set_points (p, 40);
    g_assert_true (pd_store_save_persona (f.store, p, PD_SOURCE_MANUAL, &error));
    g_assert_no_error (error);
    archived = save_new (&f, "Old", "One", "old@example.com", NULL);
    g_assert_true (pd_store_set_archived (f.store, archived, TRUE, &error));
    g_assert_true (pd_store_adjust_points (f.store, pd_persona_get_id (p), -5, "spent", PD_SOURCE_MANUAL, &error));

    g_assert_true (g_file_set_contents (csv, "Email\nnew@example.com\n", -1, NULL));
    info->name = g_strdup ("First import");
    import_id = pd_store_begin_import (f.store, info, csv, &error);
    g_assert_no_error (error);
    {
      g_autoptr(PdPersona) fresh = make_persona ("New", "Comer", "new@example.com", NULL);
      g_autoptr(PdPersona) before_p = pd_store_get_persona (f.store, pd_persona_get_id (p), &error);
      g_autoptr(PdPersona) updated = pd_persona_copy (before_p);

      pd_persona_set_points (updated, 50);
      g_assert_true (pd_store_import_write_full (f.store, import_id, fresh, NULL, "welcome", FALSE, &error));
      g_assert_true (pd_store_import_write_full (f.store, import_id, updated, before_p, "bonus", TRUE, &error));
      g_assert_no_error (error);
    }
    g_assert_true (pd_store_import_write_result (f.store, import_id, &record, &error));
    info->total = info->imported = 2;
    g_assert_true (pd_store_finish_import (f.store, info, &error));
    g_assert_no_error (error);
    g_assert_true (pd_store_save_preset (f.store, "sig", "{\"a\": 1}", &error));
  }

  chain = pd_pg_store_new (uri, &error);
  g_assert_no_error (error);
  g_assert_true (pd_pg_store_copy_from_sqlite (chain, desk, NULL, NULL, &error));
  g_assert_no_error (error);

  before = describe_store (PD_STORE (desk));
  after = describe_store (PD_STORE (chain));
  g_test_message ("%s", before);
  g_assert_cmpstr (after, ==, before);
  {
    g_autofree char *preset = pd_store_lookup_preset (PD_STORE (chain), "sig", &error);
    g_assert_cmpstr (preset, ==, "{\"a\": 1}");
  }

  /* a second copy is refused: the target is no longer empty */
  g_assert_false (pd_pg_store_copy_from_sqlite (chain, desk, NULL, NULL, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_clear_error (&error);

  /* and the chain goes on: the archived persona's email is free, new ids follow */
  {
    g_autoptr(PdPersona) again = make_persona ("Old", "Again", "old@example.com", NULL);

    g_assert_cmpint (pd_store_find_persona (PD_STORE (chain), PD_FIELD_EMAIL, "jose@example.com", &error), >, 0);
    g_assert_true (pd_store_save_persona (PD_STORE (chain), again, PD_SOURCE_MANUAL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (pd_persona_get_id (again), >, archived + 1);
  }
  g_clear_object (&chain);
  pd_test_pg_drop_database (uri);
  remove_tree (dir);
}

/* One SQL query's one value (or "" for NULL) on @path's database. */
static char *
sqlite_value (const char *path,
              const char *sql)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  char *value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, pd_sqlite_vfs_register ()), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup (sqlite3_column_text (stmt, 0) != NULL ? (const char *) sqlite3_column_text (stmt, 0) : "");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
sqlite_exec (const char *path,
             const char *sql)
{
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, pd_sqlite_vfs_register ()), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

#define VERSIONS_SQL "SELECT group_concat(version, ',') FROM (SELECT version FROM pd_schema ORDER BY version)"

/* Schema versions are given to parts made at the same time and merged in
 * any order: a database that has a later version but lacks an earlier one
 * (here 16, orders, below 19) gets it when a desk opens it, as
 * /pg-migrate/missing-version checks for PostgreSQL. */
static void
test_sqlite_missing_version (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pd-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "personas.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSqliteStore) store = NULL;
  g_autofree char *versions = NULL, *again = NULL, *user_version = NULL;
  g_autoptr(PdOrder) order = pd_order_new ();
  g_autoptr(PdPersona) p = make_persona ("Ann", "Lee", "ann@example.com", NULL);
  const PdActor clerk = { PD_SOURCE_MANUAL, "clerk" };

  store = pd_sqlite_store_new (path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  user_version = sqlite_value (path, "PRAGMA user_version");
  sqlite_exec (path, "DROP TABLE order_items; DROP TABLE orders;");
  {
    sqlite3 *db;

    /* (a runner without pd_schema fails below, at the order) */
    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    if (sqlite3_exec (db, "DELETE FROM pd_schema WHERE version = 16", NULL, NULL, NULL) == SQLITE_OK)
      g_assert_cmpint (sqlite3_changes (db), ==, 1);
    sqlite3_close (db);
  }

  store = pd_sqlite_store_new (path, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_save_persona (PD_STORE (store), p, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  order->persona_id = pd_persona_get_id (p);
  order->number = g_strdup ("R-1");
  order->time_us = 1;
  pd_order_add_item (order, "Tea", 1, 100);
  g_assert_cmpint (pd_store_add_order (PD_STORE (store), order, &clerk, &error), >, 0);
  g_assert_no_error (error);
  versions = sqlite_value (path, VERSIONS_SQL);
  g_assert_true (g_str_has_prefix (versions, "1,2,3,"));
  g_assert_nonnull (strstr (versions, ",15,16,17,"));
  again = sqlite_value (path, "PRAGMA user_version");
  g_assert_cmpstr (again, ==, user_version);
  g_clear_object (&store);
  remove_tree (dir);
}

/* A database of a build from before pd_schema has only user_version:
 * every version up to it counts as applied (none runs twice) and is
 * recorded; versions such a build applied later (user_version above
 * pd_schema's highest) too; user_version stays for those builds. */
static void
test_sqlite_versions_from_user_version (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pd-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "personas.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSqliteStore) store = NULL;
  g_autofree char *versions = NULL, *user_version = NULL;

  store = pd_sqlite_store_new (path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  versions = sqlite_value (path, VERSIONS_SQL);
  user_version = sqlite_value (path, "PRAGMA user_version");
  g_assert_true (g_str_has_prefix (versions, "1,2,3,"));
  g_assert_true (g_str_has_suffix (versions, user_version));

  for (guint round = 0; round < 2; round++)
    {
      g_autofree char *again = NULL;

      /* before pd_schema; then an older build applied the last version */
      if (round == 0)
        sqlite_exec (path, "DROP TABLE pd_schema");
      else
        {
          g_autofree char *sql = g_strdup_printf ("DELETE FROM pd_schema WHERE version = %s", user_version);

          sqlite_exec (path, sql);
        }
      store = pd_sqlite_store_new (path, &error);
      g_assert_no_error (error);
      g_clear_object (&store);
      again = sqlite_value (path, VERSIONS_SQL);
      g_assert_cmpstr (again, ==, versions);
      g_free (again);
      again = sqlite_value (path, "PRAGMA user_version");
      g_assert_cmpstr (again, ==, user_version);
    }

  /* a version this build does not know: a newer build's database */
  sqlite_exec (path, "INSERT INTO pd_schema (version) VALUES (63)");
  store = pd_sqlite_store_new (path, &error);
  g_assert_null (store);
  g_assert_error (error, PD_ERROR, PD_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, "newer"));
  remove_tree (dir);
}

static void
test_not_a_database (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pd-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "junk.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSqliteStore) store = NULL;

  g_assert_true (g_file_set_contents (path, "this is not sqlite, just text that is long enough to matter..........", -1, NULL));
  store = pd_sqlite_store_new (path, &error);
  g_assert_null (store);
  g_assert_error (error, PD_ERROR, PD_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, path));
  remove_tree (dir);
}

static void
test_save_and_get (Fixture       *f,
                   gconstpointer  data)
{
  NEED_STORE (f);
  g_autoptr(PdPersona) p = make_persona ("José", "García", "jose@example.com", "+12025550143");
  g_autoptr(PdPersona) got = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;

  pd_persona_add_email (p, "jg@example.org");
  pd_persona_add_phone (p, "+442071838750");
  pd_persona_add_tag (p, "VIP");
  pd_persona_add_tag (p, "vip");  /* same tag */
  pd_persona_set_attribute (p, "Veteran", "yes");
  pd_persona_set_value (p, PD_FIELD_EXTERNAL_ID, "00123");
  pd_persona_set_value (p, PD_FIELD_CITY, "Austin");
  pd_persona_set_value (p, PD_FIELD_FAVORITE_STORE, "Main St");
  pd_persona_set_value_source (p, PD_FIELD_FAVORITE_STORE, PD_SOURCE_API);
  pd_persona_set_points (p, 40);
  pd_persona_set_loyalty (p, TRUE);
  pd_persona_set_sms_consent (p, PD_SMS_CONSENT_PENDING);
  g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);

  got = pd_store_get_persona (f->store, pd_persona_get_id (p), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_persona_get_value (got, PD_FIELD_FIRST_NAME), ==, "José");
  g_assert_cmpstr (pd_persona_get_value (got, PD_FIELD_EXTERNAL_ID), ==, "00123");
  g_assert_cmpuint (pd_persona_get_emails (got)->len, ==, 2);
  g_assert_cmpstr (pd_persona_get_primary_email (got), ==, "jose@example.com");
  g_assert_cmpstr (g_ptr_array_index (pd_persona_get_phones (got), 1), ==, "+442071838750");
  g_assert_cmpuint (pd_persona_get_tags (got)->len, ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (pd_persona_get_attributes (got), "Veteran"), ==, "yes");
  g_assert_cmpint (pd_persona_get_points (got), ==, 40);
  g_assert_true (pd_persona_get_loyalty (got));
  g_assert_cmpint (pd_persona_get_sms_consent (got), ==, PD_SMS_CONSENT_PENDING);
  g_assert_cmpint (pd_persona_get_value_source (got, PD_FIELD_CITY), ==, PD_SOURCE_MANUAL);
  g_assert_cmpint (pd_persona_get_value_source (got, PD_FIELD_FAVORITE_STORE), ==, PD_SOURCE_API);
  g_assert_cmpstr (pd_persona_get_signup_source (got), ==, "Manual");

  node = pd_persona_to_json (got);
  json = json_to_string (node, FALSE);
  g_assert_nonnull (strstr (json, "\"external_id\":\"00123\""));
  g_assert_nonnull (strstr (json, "\"sms_opt_in\":false"));
  g_assert_nonnull (strstr (json, "\"points\":40"));

  /* the balance is the sum of the ledger */
  {
    g_autoptr(GPtrArray) ledger = pd_store_list_ledger (f->store, pd_persona_get_id (p), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (ledger->len, ==, 1);
    g_assert_cmpint (((PdLedgerEntry *) ledger->pdata[0])->delta, ==, 40);
  }

  /* update: change a list and a value */
  pd_persona_remove_email (got, "jg@example.org");
  pd_persona_set_value (got, PD_FIELD_CITY, NULL);
  g_assert_true (pd_store_save_persona (f->store, got, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(PdPersona) again = pd_store_get_persona (f->store, pd_persona_get_id (p), &error);
    g_assert_cmpuint (pd_persona_get_emails (again)->len, ==, 1);
    g_assert_null (pd_persona_get_value (again, PD_FIELD_CITY));
    g_assert_cmpint (pd_store_find_persona (f->store, PD_FIELD_EMAIL, "jg@example.org", &error), ==, 0);
  }

  g_assert_null (pd_store_get_persona (f->store, 999999, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_NOT_FOUND);
}

static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  NEED_STORE (f);
  g_autoptr(PdPersona) empty = make_persona ("No", "Contact", NULL, NULL);
  g_autoptr(PdPersona) dup = make_persona ("B", "B", "a@example.com", NULL);
  g_autoptr(PdPersona) dup_phone = make_persona ("C", "C", NULL, "+12025550100");
  g_autoptr(GError) error = NULL;
  gint64 a;
  g_autofree char *expected = NULL;

  g_assert_false (pd_store_save_persona (f->store, empty, PD_SOURCE_MANUAL, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
  g_clear_error (&error);

  a = save_new (f, "A", "A", "a@example.com", "+12025550100");
  g_assert_false (pd_store_save_persona (f->store, dup, PD_SOURCE_MANUAL, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT, a);
  g_assert_nonnull (strstr (error->message, expected));
  g_assert_cmpint (pd_persona_get_id (dup), ==, 0);
  g_clear_error (&error);
  g_assert_false (pd_store_save_persona (f->store, dup_phone, PD_SOURCE_MANUAL, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_clear_error (&error);
  /* the same number with an extension is the same phone (issue 20) */
  {
    g_autoptr(PdPersona) extension = make_persona ("D", "D", NULL, "+12025550100;ext=7");
    g_autoptr(PdPersona) longer = make_persona ("E", "E", NULL, "+120255501001");

    g_assert_false (pd_store_save_persona (f->store, extension, PD_SOURCE_MANUAL, &error));
    g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
    g_clear_error (&error);
    g_assert_true (pd_store_save_persona (f->store, longer, PD_SOURCE_MANUAL, &error));
    g_assert_no_error (error);
  }

  /* Archived personas do not hold their email: a new one may use it, and
   * unarchiving the old one then conflicts. */
  g_assert_true (pd_store_set_archived (f->store, a, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pd_store_find_persona (f->store, PD_FIELD_EMAIL, "a@example.com", &error), ==, 0);
  g_assert_true (pd_store_save_persona (f->store, dup, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  g_assert_false (pd_store_set_archived (f->store, a, FALSE, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
}

static GPtrArray *
list (Fixture       *f,
      PdPersonaView  view,
      const char    *search,
      PdPersonaSort  sort,
      gboolean       descending)
{
  PdPersonaQuery q = { .view = view, .search = search, .sort = sort, .descending = descending };
  g_autoptr(GError) error = NULL;
  GPtrArray *result = pd_store_list_personas (f->store, &q, 0, 100, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (pd_store_count_personas (f->store, &q, &error), ==, result->len);
  return result;
}

static gint64
only_id (GPtrArray *personas)
{
  g_assert_cmpuint (personas->len, ==, 1);
  return pd_persona_get_id (g_ptr_array_index (personas, 0));
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  NEED_STORE (f);
  gint64 jose = save_new (f, "José", "García", "jose@example.com", "+12025550143");
  gint64 mary = save_new (f, "Mary Ann", "Smith", "mary@shop.org", "+442071838750");
  gint64 bob = save_new (f, "Bob", "Marley", NULL, "+13125550000");
  gint64 ext;
  g_autoptr(GPtrArray) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPersona) p = make_persona (NULL, NULL, "x@y.com", NULL);

  pd_persona_set_value (p, PD_FIELD_EXTERNAL_ID, "CUST-0042");
  g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_MANUAL, &error));
  ext = pd_persona_get_id (p);

#define EXPECT_ONE(search, id) G_STMT_START {                                      \
    g_autoptr(GPtrArray) res = (g_test_message ("search %s", search), list (f, PD_PERSONA_VIEW_ACTIVE, search, PD_PERSONA_SORT_NAME, FALSE)); \
    g_assert_cmpint (only_id (res), ==, id);                                       \
  } G_STMT_END

  EXPECT_ONE ("(202) 555", jose);
  EXPECT_ONE ("202-555-0143", jose);
  EXPECT_ONE ("+1 202", jose);
  EXPECT_ONE ("1202555", jose);
  EXPECT_ONE ("020 7183", mary);   /* trunk 0 dropped */
  EXPECT_ONE ("jose", jose);       /* accents folded */
  EXPECT_ONE ("GARC", jose);       /* last name prefix */
  EXPECT_ONE ("mary ann sm", mary);
  EXPECT_ONE ("mary@", mary);
  EXPECT_ONE ("MARY@SHOP", mary);
  EXPECT_ONE ("bob", bob);
  EXPECT_ONE ("CUST-00", ext);
  EXPECT_ONE ("312 555", bob);

  r = list (f, PD_PERSONA_VIEW_ACTIVE, "zzz", PD_PERSONA_SORT_NAME, FALSE);
  g_assert_cmpuint (r->len, ==, 0);
}

static void
test_merge_search (Fixture       *f,
                   gconstpointer  data)
{
  NEED_STORE (f);
  gint64 survivor = save_new (f, "Keep", "Me", "keep@example.com", NULL);
  gint64 merged = save_new (f, "Old", "Me", "old@example.com", "+12025550199");
  g_autoptr(PdPersona) p = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  /* Merging is done by the merge tooling; here the row is set directly
   * (SQLite's emails and phones have a scope, PostgreSQL's say live). */
  if (f->backend == BACKEND_SQLITE)
    sql = g_strdup_printf ("UPDATE personas SET merged_into = %" G_GINT64_FORMAT ", state = 2 WHERE id = %"
                           G_GINT64_FORMAT "; UPDATE emails SET scope = persona_id WHERE persona_id = %"
                           G_GINT64_FORMAT "; UPDATE phones SET scope = persona_id WHERE persona_id = %"
                           G_GINT64_FORMAT, survivor, merged, merged, merged);
  else
    sql = g_strdup_printf ("UPDATE personas SET merged_into = %" G_GINT64_FORMAT ", state = 2 WHERE id = %"
                           G_GINT64_FORMAT "; UPDATE emails SET live = false WHERE persona_id = %"
                           G_GINT64_FORMAT "; UPDATE phones SET live = false WHERE persona_id = %"
                           G_GINT64_FORMAT, survivor, merged, merged, merged);
  exec_raw (f, sql);

  {
    g_autoptr(GPtrArray) r = list (f, PD_PERSONA_VIEW_ACTIVE, "merge:old@example.com", 0, FALSE);
    g_assert_cmpint (only_id (r), ==, survivor);
  }
  {
    g_autoptr(GPtrArray) r = list (f, PD_PERSONA_VIEW_ACTIVE, "merge:(202) 555-0199", 0, FALSE);
    g_assert_cmpint (only_id (r), ==, survivor);
  }
  {
    g_autoptr(GPtrArray) r = list (f, PD_PERSONA_VIEW_ACTIVE, "old", 0, FALSE);
    g_assert_cmpuint (r->len, ==, 0);
  }
  /* the merged-away persona's email is free again */
  p = make_persona ("New", "One", "old@example.com", NULL);
  g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
}

static void
test_listing (Fixture       *f,
              gconstpointer  data)
{
  NEED_STORE (f);
  const char *names[] = { "Carl", "anna", "Bea", "Dora", "Émile" };
  PdPersonaQuery q = { .view = PD_PERSONA_VIEW_ACTIVE, .sort = PD_PERSONA_SORT_NAME };
  g_autoptr(GError) error = NULL;
  gint64 ids[5];

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *email = g_strdup_printf ("%c%u@example.com", 'z' - i, i);
      g_autofree char *phone = g_strdup_printf ("+1202555010%u", i);

      ids[i] = save_new (f, names[i], "X", email, phone);
      g_assert_true (pd_store_adjust_points (f->store, ids[i], 10 * (i + 1), "test", PD_SOURCE_MANUAL, &error));
    }
  g_assert_true (pd_store_set_archived (f->store, ids[3], TRUE, &error));
  g_assert_cmpuint (pd_store_count_personas (f->store, &q, &error), ==, 4);

  {
    g_autoptr(GPtrArray) r = list (f, PD_PERSONA_VIEW_ACTIVE, NULL, PD_PERSONA_SORT_NAME, FALSE);
    const char *expected[] = { "anna", "Bea", "Carl", "Émile" };

    g_assert_cmpuint (r->len, ==, 4);
    for (guint i = 0; i < 4; i++)
      g_assert_cmpstr (pd_persona_get_value (g_ptr_array_index (r, i), PD_FIELD_FIRST_NAME), ==, expected[i]);
  }
  {
    g_autoptr(GPtrArray) r = list (f, PD_PERSONA_VIEW_ACTIVE, NULL, PD_PERSONA_SORT_POINTS, TRUE);
    g_assert_cmpint (pd_persona_get_points (g_ptr_array_index (r, 0)), ==, 50);
  }
  {
    g_autoptr(GPtrArray) r = list (f, PD_PERSONA_VIEW_ACTIVE, NULL, PD_PERSONA_SORT_EMAIL, FALSE);
    g_assert_cmpstr (pd_persona_get_primary_email (g_ptr_array_index (r, 0)), ==, "v4@example.com");
  }
  {
    g_autoptr(GPtrArray) r = list (f, PD_PERSONA_VIEW_ARCHIVED, NULL, PD_PERSONA_SORT_PHONE, FALSE);
    g_assert_cmpint (only_id (r), ==, ids[3]);
  }
  /* paging */
  {
    g_autoptr(GPtrArray) page = pd_store_list_personas (f->store, &q, 2, 10, &error);
    g_assert_cmpuint (page->len, ==, 2);
    g_assert_cmpstr (pd_persona_get_value (g_ptr_array_index (page, 0), PD_FIELD_FIRST_NAME), ==, "Carl");
  }
  {
    g_autoptr(GPtrArray) sources = pd_store_list_signup_sources (f->store, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (sources->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (sources, 0), ==, "Manual");
  }
  {
    g_autoptr(GPtrArray) ledger = pd_store_list_ledger (f->store, ids[4], &error);
    g_assert_cmpuint (ledger->len, ==, 1);
    g_assert_cmpint (((PdLedgerEntry *) ledger->pdata[0])->balance, ==, 50);
    g_assert_cmpstr (((PdLedgerEntry *) ledger->pdata[0])->reason, ==, "test");
  }
  /* a count after a write by another connection is fresh */
  {
    g_autoptr(PdStore) other = pd_store_open_another (f->store, &error);
    g_autoptr(PdPersona) p = make_persona ("Fay", "X", "fay@example.com", NULL);

    g_assert_true (pd_store_save_persona (other, p, PD_SOURCE_MANUAL, &error));
    g_assert_cmpuint (pd_store_count_personas (f->store, &q, &error), ==, 5);
  }
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static void
test_persona_notify (void)
{
  g_autoptr(PdPersona) p = pd_persona_new ();
  guint points = 0, name = 0;

  g_signal_connect (p, "notify::points", G_CALLBACK (count_cb), &points);
  g_signal_connect (p, "notify::display-name", G_CALLBACK (count_cb), &name);
  pd_persona_set_points (p, 5);
  pd_persona_set_points (p, 5);
  g_assert_cmpuint (points, ==, 1);
  pd_persona_set_value (p, PD_FIELD_POINTS, "7");
  g_assert_cmpuint (points, ==, 2);
  g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_POINTS), ==, "7");
  pd_persona_set_value (p, PD_FIELD_FIRST_NAME, "Ann");
  g_assert_cmpuint (name, ==, 1);
  g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_LOYALTY), ==, "false");
  pd_persona_set_loyalty (p, TRUE);
  g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_LOYALTY), ==, "true");
}

static gboolean
collect_record (const PdImportResultRecord *record,
                gpointer                    data)
{
  GString *out = data;

  g_string_append_printf (out, "%u|%s|%" G_GINT64_FORMAT "|", record->row,
                          record->outcome != NULL ? record->outcome : "-", record->persona_id);
  for (guint i = 0; record->reasons != NULL && record->reasons[i] != NULL; i++)
    g_string_append_printf (out, "r:%s;", record->reasons[i]);
  for (guint c = 0; c < record->n_cells; c++)
    g_string_append_printf (out, "c:%s;", record->cells[c]);
  g_string_append_c (out, '\n');
  return TRUE;
}

/* An import's row results come back as written (cells that are not UTF-8
 * empty), and those kept by older versions, as GVariants, still read. */
static void
test_import_results (Fixture       *f,
                     gconstpointer  data)
{
  NEED_STORE (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdImportInfo) info = pd_import_info_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  const char *header[] = { "Email", "Phone", "" };
  const char *cells[] = { "bob@", "\xff\xfe", "" };
  const char *reasons[] = { "Row 2: no", "and \xe2\x80\x94 more", NULL };
  PdImportResultRecord record = { 0 };
  sqlite3 *db;
  sqlite3_stmt *stmt;
  g_autoptr(GVariant) old = NULL;
  const char *old_reasons[] = { "old reason", NULL };
  const char *old_cells[] = { "x@", "12", NULL };
  gint64 id;

  info->name = g_strdup ("results");
  id = pd_store_begin_import (f->store, info, NULL, &error);
  g_assert_no_error (error);
  record.cells = header;
  record.n_cells = 3;
  g_assert_true (pd_store_import_write_result (f->store, id, &record, &error));
  record = (PdImportResultRecord) { .row = 2, .outcome = "failed", .reasons = reasons, .persona_id = 0,
                                    .cells = cells, .n_cells = 3 };
  g_assert_true (pd_store_import_write_result (f->store, id, &record, &error));
  record = (PdImportResultRecord) { .row = 5, .outcome = "ignored", .persona_id = 42 };
  g_assert_true (pd_store_import_write_result (f->store, id, &record, &error));
  g_assert_true (pd_store_finish_import (f->store, info, &error));
  g_assert_no_error (error);

  if (f->backend == BACKEND_PG)
    {
      g_assert_true (pd_store_foreach_import_result (f->store, id, collect_record, out, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (out->str, ==,
                       "0|-|0|c:Email;c:Phone;c:;\n"
                       "2|failed|0|r:Row 2: no;r:and \xe2\x80\x94 more;c:bob@;c:;c:;\n"
                       "5|ignored|42|\n");
      return;
    }

  /* as an older version kept a row */
  old = g_variant_ref_sink (g_variant_new ("(^as^as)", old_reasons, old_cells));
  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                    pd_sqlite_vfs_register ()), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO import_results (import_id, row, outcome, persona_id, data) "
                                           "VALUES (?, 9, 'failed', 7, ?)", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_blob (stmt, 2, g_variant_get_data (old), g_variant_get_size (old), SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_assert_true (pd_store_foreach_import_result (f->store, id, collect_record, out, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (out->str, ==,
                   "0|-|0|c:Email;c:Phone;c:;\n"
                   "2|failed|0|r:Row 2: no;r:and \xe2\x80\x94 more;c:bob@;c:;c:;\n"
                   "5|ignored|42|\n"
                   "9|failed|7|r:old reason;c:x@;c:12;\n");
}

static goffset
file_size (const char *path)
{
  struct stat st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_size;
}

/* A large import's commit leaves its pages in the write-ahead log, where
 * readers see them, and a thread moves them into the database file a
 * moment later: the commit does not copy megabytes while the app waits. */
static void
test_checkpoint_after_import (Fixture       *f,
                    gconstpointer  data)
{
  NEED_STORE (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdImportInfo) info = pd_import_info_new ();
  g_autoptr(PdStore) reader = NULL;
  PdPersonaQuery q = { .view = PD_PERSONA_VIEW_ACTIVE, .sort = PD_PERSONA_SORT_NAME };
  const PdPersonaQuery *query = &q;
  goffset before, committed;
  gint64 id;
  guint done = _pd_sqlite_checkpoint_get_n_done ();
  gint64 deadline;

  _pd_sqlite_checkpoint_set_delay (200);
  save_new (f, "Ann", "Lee", "ann@example.com", NULL);
  before = file_size (f->path);
  info->name = g_strdup ("large");
  id = pd_store_begin_import (f->store, info, NULL, &error);
  g_assert_no_error (error);
  /* well over SQLite's 1000 pages of log, after which a commit copies */
  for (guint i = 0; i < 16000; i++)
    {
      g_autofree char *email = g_strdup_printf ("person%u.with.a.long.address@example.com", i);
      g_autofree char *first = g_strdup_printf ("First%u", i);
      g_autoptr(PdPersona) p = make_persona (first, "Importedperson", email, NULL);

      g_assert_true (pd_store_import_write_full (f->store, id, p, NULL, "settle", FALSE, &error));
      g_assert_no_error (error);
    }
  g_assert_true (pd_store_finish_import (f->store, info, &error));
  g_assert_no_error (error);
  committed = file_size (f->path);
  g_assert_cmpint (committed, <, before + 1024 * 1024);

  reader = pd_store_open_another (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pd_store_count_personas (reader, query, &error), ==, 16001);

  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (_pd_sqlite_checkpoint_get_n_done () == done && g_get_monotonic_time () < deadline)
    g_usleep (10000);
  g_assert_cmpuint (_pd_sqlite_checkpoint_get_n_done (), >, done);
  g_assert_cmpint (file_size (f->path), >, committed + 1024 * 1024);
  g_assert_cmpuint (pd_store_count_personas (reader, query, &error), ==, 16001);
}

/* The peak resident memory since the last reset_peak_rss(), in KiB
 * (Linux: /proc/self/clear_refs resets the high-water mark to now). */
static gint64
status_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *at;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  at = strstr (status, field);
  g_assert_nonnull (at);
  return g_ascii_strtoll (at + strlen (field), NULL, 10);
}

static void
reset_peak_rss (void)
{
  FILE *clear = fopen ("/proc/self/clear_refs", "w");

  g_assert_nonnull (clear);
  g_assert_cmpint (fputs ("5", clear), >=, 0);
  g_assert_cmpint (fclose (clear), ==, 0);
}

/* A kept file goes in a chunk at a time: SQLite never builds the file's
 * record in memory (it did twice, 190 MB for a 95 MB file, when the hash
 * was written after the bytes), PostgreSQL's client never holds the file
 * (it sent it as one parameter), and the bytes and the hash kept are the
 * file's. */
static void
test_kept_file_memory (Fixture       *f,
                       gconstpointer  data)
{
  NEED_STORE (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdImportInfo) info = pd_import_info_new ();
  g_autoptr(PdImportInfo) found = NULL;
  g_autofree char *file = g_build_filename (f->dir, "big.csv", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *sha256 = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  gsize size = 24 << 20;
  guint8 *content = g_malloc (size);
  sqlite3_int64 current = 0, largest = 0;
  gint64 rss;
  guint32 x = 1;
  gint64 id;

  for (gsize i = 0; i < size; i++)
    content[i] = (x = x * 1103515245 + 12345) >> 24;
  g_assert_true (g_file_set_contents (file, (const char *) content, size, &error));
  bytes = g_bytes_new_take (content, size);
  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);

  sqlite3_status64 (SQLITE_STATUS_MALLOC_SIZE, &current, &largest, 1);
  reset_peak_rss ();
  rss = status_kib ("VmRSS:");
  info->name = g_strdup ("big");
  id = pd_store_begin_import (f->store, info, file, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_finish_import (f->store, info, &error));
  g_assert_no_error (error);
  if (f->backend == BACKEND_SQLITE)
    {
      sqlite3_status64 (SQLITE_STATUS_MALLOC_SIZE, &current, &largest, 0);
      /* SQLite's allocations are tracked here (the store's page cache at
       * least), and none was near the file's size (the page cache itself
       * takes the file's pages in, a page at a time) */
      g_assert_cmpint (largest, >, 0);
      g_assert_cmpint (largest, <, 4 << 20);
    }
  else
    /* the client's peak: a buffer, not the file (24 MB) */
    g_assert_cmpint (status_kib ("VmHWM:") - rss, <, 8 << 10);

  g_assert_true (pd_store_write_import_file (f->store, id, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, &error));
  g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                   g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)),
                   g_bytes_get_data (bytes, NULL), size);
  found = pd_store_find_import_by_sha256 (f->store, sha256, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpint (found->id, ==, id);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) G_STMT_START {                                          \
    g_autofree char *path = g_strdup_printf ("/store/%s/%s", backend, name);     \
    g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down); \
  } G_STMT_END
  for (guint b = 0; b < 2; b++)
    {
      const char *backend = b == 0 ? "sqlite" : "pg";
      const Backend *data = b == 0 ? &sqlite_backend : &pg_backend;

      ADD ("open", test_open_creates_private_file);
      ADD ("open-during-import", test_open_during_import);
      ADD ("save-during-import", test_save_during_import);
      ADD ("save-and-get", test_save_and_get);
      ADD ("validation", test_validation);
      ADD ("search", test_search);
      ADD ("merge-search", test_merge_search);
      ADD ("listing", test_listing);
      ADD ("import-results", test_import_results);
      if (b == 0)
        ADD ("checkpoint-after-import", test_checkpoint_after_import);
      else
        {
          ADD ("unique-race", test_pg_unique_race);
          ADD ("round-trips", test_pg_round_trips);
          ADD ("lost-connection", test_pg_lost_connection);
        }
      /* after checkpoint-after-import, which counts checkpoints: this
       * one's would be counted */
      ADD ("kept-file-memory", test_kept_file_memory);
    }
#undef ADD
  g_test_add_func ("/store/sqlite/not-a-database", test_not_a_database);
  g_test_add_func ("/store/sqlite/missing-version", test_sqlite_missing_version);
  g_test_add_func ("/store/sqlite/versions-from-user-version", test_sqlite_versions_from_user_version);
  g_test_add_func ("/store/pg/concurrent-migrations", test_pg_concurrent_migrations);
  g_test_add_func ("/store/pg/unreachable", test_pg_unreachable);
  g_test_add_func ("/store/pg/migrate", test_pg_migrate);
  g_test_add_func ("/persona/notify", test_persona_notify);

  return g_test_run ();
}
