/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Undoing the rest of an import (issue 17): an undo refused because
 * personas changed after the import names them, and the undo that keeps
 * them leaves them exactly as they are and puts every other row back as
 * it was before the import, in one transaction, the import then "partly
 * undone".  Tables compared row for row, as /import/undo-every-row does;
 * the CLI's undo --keep-edited on the real program. */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "pd-error.h"
#include "pd-permission.h"
#include "pd-sqlite-vfs.h"
#include "pd-test-cli.h"
#include "pd-test-store-fixture.h"

static const char * const persona_tables[] = { "personas", "emails", "phones", "tags", "attributes",
                                               "overrides", NULL };

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* Rows of @table whose persona is (@kept) or is not (!@kept) in @ids, every
 * column as text, sorted. */
static char *
dump_table (Fixture    *f,
            const char *table,
            const char *ids,
            gboolean    kept)
{
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s WHERE %s %s IN (%s)", table,
                                          g_str_equal (table, "personas") ? "id" : "persona_id",
                                          kept ? "" : "NOT", ids);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);
  sqlite3_stmt *stmt;
  sqlite3 *db;

  if (f->pg)
    {
      PGconn *conn = pd_test_pg_connect (f->db);
      PGresult *result = PQexec (conn, sql);

      g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
      for (int r = 0; r < PQntuples (result); r++)
        {
          GString *row = g_string_new (table);

          for (int c = 0; c < PQnfields (result); c++)
            if (!g_str_equal (PQfname (result, c), "updated"))
              g_string_append_printf (row, "|%s", PQgetisnull (result, r, c) ? "(null)" : PQgetvalue (result, r, c));
          g_ptr_array_add (rows, g_string_free (row, FALSE));
        }
      PQclear (result);
      PQfinish (conn);
      goto sort;
    }
  g_assert_cmpint (sqlite3_open_v2 (f->db, &db, SQLITE_OPEN_READONLY, pd_sqlite_vfs_register ()), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      GString *row = g_string_new (table);

      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        /* personas.updated (the API's updated_since) is when a row was
         * last written: undo writes it, like any write */
        if (!g_str_equal (sqlite3_column_name (stmt, c), "updated"))
          g_string_append_printf (row, "|%s", sqlite3_column_text (stmt, c));
      g_ptr_array_add (rows, g_string_free (row, FALSE));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
sort:
  g_ptr_array_sort (rows, compare_rows);
  for (guint i = 0; i < rows->len; i++)
    g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (rows, i));
  return g_string_free (out, FALSE);
}

static char *
dump_tables (Fixture    *f,
             const char *ids,
             gboolean    kept)
{
  GString *out = g_string_new (NULL);

  for (guint t = 0; persona_tables[t] != NULL; t++)
    {
      g_autofree char *rows = dump_table (f, persona_tables[t], ids, kept);

      g_string_append (out, rows);
    }
  return g_string_free (out, FALSE);
}

static gint64
find_id (Fixture    *f,
         const char *email)
{
  g_autoptr(GError) error = NULL;
  gint64 id = pd_store_find_persona (f->store, PD_FIELD_EMAIL, email, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
assert_ledgers_add_up (Fixture *f)
{
  PdPersonaQuery q = { .view = PD_PERSONA_VIEW_ACTIVE, .sort = PD_PERSONA_SORT_ID };
  g_autoptr(GPtrArray) all = pd_store_list_personas (f->store, &q, 0, 1000, NULL);

  for (guint i = 0; i < all->len; i++)
    {
      PdPersona *p = g_ptr_array_index (all, i);
      g_autoptr(GPtrArray) ledger = pd_store_list_ledger (f->store, pd_persona_get_id (p), NULL);
      gint64 sum = 0;

      for (guint l = 0; l < ledger->len; l++)
        sum += ((PdLedgerEntry *) ledger->pdata[l])->delta;
      g_assert_cmpint (sum, ==, pd_persona_get_points (p));
    }
}

static void
test_keep_edited (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(PdImportJob) seed = import (f, "First Name,Last Name,Email,Phone,Points,City,Tags\r\n"
                                           "Ann,Lee,ann@example.com,202-555-0143,10,Austin,a\r\n"
                                           "Bob,Ray,bob@example.com,202-555-0150,,Paris,\r\n"
                                           "Cat,Sun,cat@example.com,,3,Rome,c\r\n", NULL);
  g_autoptr(PdImportJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *ids = NULL, *edited = NULL, *after_rest = NULL, *after_kept = NULL;
  gint64 id, bob, dee, eve;
  guint n_kept = 99;
  PdActor actor = { PD_SOURCE_MANUAL, "tester" };

  /* PostgreSQL: the other personas as they are before the import (no
   * file to copy; Dee does not exist yet) */
  if (f->pg)
    {
      g_autofree char *bob_id = g_strdup_printf ("%" G_GINT64_FORMAT, find_id (f, "bob@example.com"));

      before = dump_tables (f, bob_id, FALSE);
    }
  /* updates Ann, Bob and Cat, creates Dee and Eve */
  job = import (f, "First Name,Email,Phone,Points,City,Tags,attribute:shoe\r\n"
                   "Annie,ann@example.com,202-555-0199,5,Boston,b,42\r\n"
                   "Bobby,bob@example.com,,7,,y,41\r\n"
                   "Cathy,cat@example.com,202-555-0111,2,,,\r\n"
                   "Dee,dee@example.com,202-555-0177,7,Rome,d,38\r\n"
                   "Eve,eve@example.com,,4,Oslo,,\r\n", NULL);
  id = pd_import_job_get_info (job)->id;
  bob = find_id (f, "bob@example.com");
  dee = find_id (f, "dee@example.com");
  eve = find_id (f, "eve@example.com");
  ids = g_strdup_printf ("%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT, bob, dee);
  /* the other personas as the import found them (Dee and Eve: nowhere) */
  if (!f->pg)
  {
    g_autoptr(GError) undo_error = NULL;

    /* the state before the import: the full undo of a copy of the
     * database (/import/undo-every-row shows it is the state before) */
    g_autofree char *copy = g_build_filename (f->dir, "before.db", NULL);
    g_autofree char *sql = g_strdup_printf ("VACUUM INTO '%s'", copy);
    sqlite3 *db;
    g_autoptr(PdStore) store = NULL;
    Fixture other = { .dir = f->dir, .db = copy };

    g_assert_cmpint (sqlite3_open_v2 (f->db, &db, SQLITE_OPEN_READONLY, pd_sqlite_vfs_register ()), ==,
                     SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
    store = (PdStore *) pd_sqlite_store_new (copy, &undo_error);
    g_assert_no_error (undo_error);
    g_assert_true (pd_store_undo_import (store, id, &undo_error));
    g_assert_no_error (undo_error);
    g_clear_object (&store);
    before = dump_tables (&other, ids, FALSE);
  }

  /* later edits: Bob (updated by the import) and Dee (created by it) */
  {
    g_autoptr(PdPersona) p = pd_store_get_persona (f->store, bob, NULL);

    pd_persona_set_value (p, PD_FIELD_CITY, "Lyon");
    g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_MANUAL, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(PdPersona) p = pd_store_get_persona (f->store, dee, NULL);

    pd_persona_set_value (p, PD_FIELD_LAST_NAME, "Dunn");
    g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_MANUAL, &error));
    g_assert_no_error (error);
  }
  edited = dump_tables (f, ids, TRUE);

  /* the full undo is refused, naming them by name and email */
  g_assert_false (pd_store_undo_import (f->store, id, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "Bob Ray (bob@example.com)"));
  g_assert_nonnull (strstr (error->message, "Dee Dunn (dee@example.com)"));
  g_clear_error (&error);
  {
    g_autoptr(GArray) blockers = pd_store_list_undo_blockers (f->store, id, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (blockers->len, ==, 2);
    g_assert_cmpint (g_array_index (blockers, gint64, 0), ==, MIN (bob, dee));
    g_assert_cmpint (g_array_index (blockers, gint64, 1), ==, MAX (bob, dee));
  }

  /* undo the rest */
  g_assert_true (pd_store_undo_import_keep_edited (f->store, &actor, id, NULL, NULL, &n_kept, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_kept, ==, 2);

  /* the kept personas exactly as edited, the rest as before the import */
  after_kept = dump_tables (f, ids, TRUE);
  g_assert_cmpstr (after_kept, ==, edited);
  after_rest = dump_tables (f, ids, FALSE);
  g_assert_cmpstr (after_rest, ==, before);
  g_assert_cmpint (pd_store_find_persona (f->store, PD_FIELD_EMAIL, "eve@example.com", NULL), ==, 0);
  (void) eve;
  assert_ledgers_add_up (f);
  {
    g_autoptr(PdPersona) b = pd_store_get_persona (f->store, bob, NULL);
    g_autoptr(PdPersona) d = pd_store_get_persona (f->store, dee, NULL);
    g_autoptr(PdImportInfo) info = pd_store_get_import (f->store, id, NULL);

    /* the import's points stay with the kept ones */
    g_assert_cmpint (pd_persona_get_points (b), ==, 7);
    g_assert_cmpint (pd_persona_get_points (d), ==, 7);
    g_assert_cmpint (info->status, ==, PD_IMPORT_STATUS_PARTLY_UNDONE);
    g_assert_cmpstr (pd_import_status_to_string (info->status), ==, "partly undone");
  }

  /* no second undo */
  g_assert_false (pd_store_undo_import_keep_edited (f->store, &actor, id, NULL, NULL, &n_kept, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_clear_error (&error);

  /* without later edits, it is the full undo */
  g_assert_true (pd_store_undo_import_keep_edited (f->store, &actor, pd_import_job_get_info (seed)->id,
                                                   NULL, NULL, &n_kept, &error) ||
                 error != NULL);
  g_clear_error (&error);
}

/* Without the permission, nothing happens. */
static void
test_permission (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(PdImportJob) job = import (f, "Email,Points\r\nann@example.com,10\r\n", NULL);
  g_autoptr(GError) error = NULL;
  PdActor clerk = { PD_SOURCE_MANUAL, "analyst", .role = PD_ROLE_ANALYST };
  guint n_kept = 0;

  if (pd_actor_check (&clerk, PD_PERMISSION_UNDO_IMPORT, NULL))
    {
      g_test_skip ("analysts may undo imports");
      return;
    }
  g_assert_false (pd_store_undo_import_keep_edited (f->store, &clerk, pd_import_job_get_info (job)->id,
                                                    NULL, NULL, &n_kept, &error));
  g_assert_nonnull (error);
  g_assert_cmpint (pd_store_find_persona (f->store, PD_FIELD_EMAIL, "ann@example.com", NULL), >, 0);
}

static int G_GNUC_NULL_TERMINATED
cli_run (const char  *db,
         char       **out,
         char       **err,
         const char  *first,
         ...)
{
  va_list ap;
  int status;

  va_start (ap, first);
  status = pd_test_cli_run_valist (db, out, err, first, ap);
  va_end (ap);
  return status;
}

/* @data: TRUE for PostgreSQL */
static void
test_cli (gconstpointer data)
{
  g_autofree char *dir = NULL, *db = NULL, *first = NULL, *later = NULL;
  g_autofree char *out = NULL, *err = NULL;

  if (g_getenv ("PD_CLI") == NULL)
    {
      g_test_skip ("PD_CLI is not set: run through meson test");
      return;
    }
  dir = g_dir_make_tmp ("pd-undo-rest-XXXXXX", NULL);
  if (GPOINTER_TO_INT (data))
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
  first = pd_test_cli_write_file (dir, "first.csv", "First Name,Email,Points\r\n"
                                                    "Ann,ann@example.com,10\r\nBob,bob@example.com,5\r\n");
  later = pd_test_cli_write_file (dir, "later.csv", "Email,City\r\nann@example.com,Austin\r\n");
  g_assert_cmpint (cli_run (db, &out, NULL, "import", "--accept-terms", first, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli_run (db, &out, NULL, "import", "--accept-terms", later, NULL), ==, 0);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (cli_run (db, &out, &err, "undo", "1", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "Ann (ann@example.com)"));
  g_assert_nonnull (strstr (err, "--keep-edited"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cli_run (db, &out, &err, "undo", "1", "--keep-edited", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "partly undone"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli_run (db, &out, &err, "show", "--email", "ann@example.com", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Austin"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli_run (db, &out, &err, "show", "--email", "bob@example.com", NULL), !=, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli_run (db, &out, &err, "history", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "partly undone"));

  if (GPOINTER_TO_INT (data))
    pd_test_pg_drop_database (db);
  pd_temp_remove_dir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/undo-rest/sqlite/keep-edited", Fixture, NULL, fixture_set_up, test_keep_edited, fixture_tear_down);
  g_test_add ("/undo-rest/sqlite/permission", Fixture, NULL, fixture_set_up, test_permission, fixture_tear_down);
  g_test_add_data_func ("/undo-rest/sqlite/cli", GINT_TO_POINTER (FALSE), test_cli);
  FIXTURE_ADD_PG ("/undo-rest/pg/keep-edited", test_keep_edited);
  FIXTURE_ADD_PG ("/undo-rest/pg/permission", test_permission);
  g_test_add_data_func ("/undo-rest/pg/cli", GINT_TO_POINTER (TRUE), test_cli);
  return g_test_run ();
}
