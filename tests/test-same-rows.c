/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The same rows imported again in another file (issue 17): the same POS
 * export re-saved with its columns in another order, or a later export
 * holding the earlier one's rows.  Found before anything stays, named with
 * the earlier import, its date and the number of rows; skip-points leaves
 * those rows' points out, import-anyway adds them again; dry runs,
 * analyze and the CLI say so. */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "pd-error.h"
#include "pd-same-rows.h"
#include "pd-sqlite-vfs.h"
#include "pd-test-cli.h"
#include "pd-test-store-fixture.h"

static const char first_csv[] =
  "First Name,Email,Phone,Points\r\n"
  "Ann,ann@example.com,202-555-0143,10\r\n"
  "Bob,bob@example.com,,5\r\n"
  "Cat,,202-555-0150,3\r\n"
  "Dee,dee@example.com,,\r\n";

/* The same customers, columns reversed, spelled otherwise, one more row;
 * Cat's points differ (a new purchase), Dee has none. */
static const char again_csv[] =
  "Points,Phone Number,E-mail,Name\r\n"
  "10,(202) 555-0143,ANN@example.com,Ann\r\n"
  "5,,bob@example.com,Bob\r\n"
  "4,202 555 0150,,Cat\r\n"
  ",,dee@example.com,Dee\r\n"
  "8,,eve@example.com,Eve\r\n";

static PdImportJob *
run_file (Fixture     *f,
          const char  *contents,
          PdSameFile   choice,
          gboolean     dry_run,
          GError     **error)
{
  g_autofree char *name = g_strdup_printf ("rows%u.csv", ++f->n_files);
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  PdSourceOptions source = { .n_threads = 1 };
  PdImportOptions options;
  PdImportJob *job;

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  pd_import_options_init (&options);
  options.accept_terms = TRUE;
  options.same_file = choice;
  job = pd_import_job_new (f->store, file, &source, &options);
  pd_import_job_set_dry_run (job, dry_run);
  pd_import_job_run (job, NULL, error);
  return job;
}

static gint64
points_of (Fixture    *f,
           PdFieldId   key,
           const char *value)
{
  gint64 id = pd_store_find_persona (f->store, key, value, NULL);
  g_autoptr(PdPersona) p = NULL;

  g_assert_cmpint (id, >, 0);
  p = pd_store_get_persona (f->store, id, NULL);
  return pd_persona_get_points (p);
}

static char *
dump (Fixture *f)
{
  const char *queries[] = { "SELECT * FROM personas ORDER BY id", "SELECT * FROM ledger ORDER BY id",
                            "SELECT * FROM imports ORDER BY id", "SELECT * FROM import_rows ORDER BY 1, 2" };
  GString *out = g_string_new (NULL);
  sqlite3 *db;

  if (f->pg)
    {
      PGconn *conn = pd_test_pg_connect (f->db);

      for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
        {
          PGresult *result = PQexec (conn, queries[q]);

          g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
          for (int r = 0; r < PQntuples (result); r++)
            {
              for (int c = 0; c < PQnfields (result); c++)
                g_string_append_printf (out, "%s|", PQgetisnull (result, r, c) ? "(null)" : PQgetvalue (result, r, c));
              g_string_append_c (out, '\n');
            }
          PQclear (result);
        }
      PQfinish (conn);
      return g_string_free (out, FALSE);
    }
  g_assert_cmpint (sqlite3_open_v2 (f->db, &db, SQLITE_OPEN_READONLY, pd_sqlite_vfs_register ()), ==,
                   SQLITE_OK);
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt;

      g_assert_cmpint (sqlite3_prepare_v2 (db, queries[q], -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            g_string_append_printf (out, "%s|", sqlite3_column_text (stmt, c));
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdImportJob) first = run_file (f, first_csv, PD_SAME_FILE_REFUSE, FALSE, &error);
  g_autoptr(PdImportJob) dry = NULL;
  g_autoptr(PdImportJob) again = NULL;
  g_autofree char *before = NULL, *after = NULL, *name = NULL;

  g_assert_no_error (error);
  before = dump (f);

  /* a dry run counts them and goes to the end */
  dry = run_file (f, again_csv, PD_SAME_FILE_REFUSE, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pd_same_rows_get_n_rows (pd_import_job_get_same_rows (dry)), ==, 2);
  g_assert_nonnull (pd_import_job_get_same_rows_import (dry));
  g_assert_cmpint (pd_import_job_get_same_rows_import (dry)->id, ==, pd_import_job_get_info (first)->id);
  g_assert_cmpuint (pd_import_job_get_info (dry)->total, ==, 5);

  /* the import refuses, naming the earlier one, and nothing stays */
  again = run_file (f, again_csv, PD_SAME_FILE_REFUSE, FALSE, &error);
  g_assert_error (error, PD_ERROR, PD_ERROR_SAME_FILE);
  g_assert_nonnull (strstr (error->message, "2 rows"));
  name = g_strdup_printf ("“%s”", pd_import_job_get_info (first)->name);
  g_assert_nonnull (strstr (error->message, name));
  after = dump (f);
  g_assert_cmpstr (after, ==, before);

  /* analyze's scan finds them too */
  {
    g_autofree char *path = g_build_filename (f->dir, "rows3.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(PdSameRows) scan = pd_same_rows_scan (f->store, file, NULL, NULL, &error);
    g_autoptr(GError) no_error = NULL;
    g_autofree char *what = NULL;

    g_assert_no_error (no_error);
    g_assert_nonnull (scan);
    g_assert_cmpuint (pd_same_rows_get_n_rows (scan), ==, 2);
    g_assert_cmpint (pd_same_rows_get_import_id (scan), ==, pd_import_job_get_info (first)->id);
    what = pd_same_rows_describe (scan, pd_import_job_get_info (first));
    g_assert_nonnull (strstr (what, name));
  }
}

static void
test_choices (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdImportJob) first = run_file (f, first_csv, PD_SAME_FILE_REFUSE, FALSE, &error);
  g_autoptr(PdImportJob) skip = NULL;
  g_autoptr(PdImportJob) anyway = NULL;

  g_assert_no_error (error);

  /* skip-points: Ann's and Bob's points stay; Cat's new ones and Eve's count */
  skip = run_file (f, again_csv, PD_SAME_FILE_SKIP_POINTS, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pd_import_job_get_n_points_skipped (skip), ==, 2);
  g_assert_cmpint (points_of (f, PD_FIELD_EMAIL, "ann@example.com"), ==, 10);
  g_assert_cmpint (points_of (f, PD_FIELD_EMAIL, "bob@example.com"), ==, 5);
  g_assert_cmpint (points_of (f, PD_FIELD_PHONE, "+12025550150"), ==, 7);
  g_assert_cmpint (points_of (f, PD_FIELD_EMAIL, "eve@example.com"), ==, 8);

  /* the file again: the rows both imports applied are found (Cat's 4 and
   * Eve's 8 too now); import-anyway adds everything again */
  anyway = run_file (f, again_csv, PD_SAME_FILE_IMPORT_ANYWAY, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (points_of (f, PD_FIELD_EMAIL, "ann@example.com"), ==, 20);
  g_assert_cmpint (points_of (f, PD_FIELD_EMAIL, "eve@example.com"), ==, 16);

  /* an undone import's rows are not "already imported" */
  g_assert_true (pd_store_undo_import (f->store, pd_import_job_get_info (anyway)->id, &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_undo_import (f->store, pd_import_job_get_info (skip)->id, &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_undo_import (f->store, pd_import_job_get_info (first)->id, &error));
  g_assert_no_error (error);
  {
    g_autoptr(PdImportJob) fresh = run_file (f, again_csv, PD_SAME_FILE_REFUSE, FALSE, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (pd_same_rows_get_n_rows (pd_import_job_get_same_rows (fresh)), ==, 0);
  }
}

/* A big file's rows imported before: the run stops writing once its first
 * rows say so, and still counts every one of them. */
static void
test_refused_early (Fixture       *f,
                    gconstpointer  data)
{
  GString *first = g_string_new ("Email,Points\r\n");
  GString *again = g_string_new ("Points,Email\r\n");
  g_autoptr(PdImportJob) job = NULL;
  g_autoptr(PdImportJob) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;

  for (guint i = 0; i < 10000; i++)
    {
      g_string_append_printf (first, "c%u@example.com,%u\r\n", i, 1 + i % 50);
      g_string_append_printf (again, "%u,C%u@Example.com\r\n", 1 + i % 50, i);
    }
  job = run_file (f, first->str, PD_SAME_FILE_REFUSE, FALSE, &error);
  g_assert_no_error (error);
  before = dump (f);

  refused = run_file (f, again->str, PD_SAME_FILE_REFUSE, FALSE, &error);
  g_assert_error (error, PD_ERROR, PD_ERROR_SAME_FILE);
  g_assert_nonnull (strstr (error->message, "10000 rows"));
  g_assert_cmpuint (pd_same_rows_get_n_rows (pd_import_job_get_same_rows (refused)), ==, 10000);
  /* stopped writing early: most rows were only counted */
  g_assert_cmpuint (pd_import_job_get_info (refused)->updated, <, 10000);
  after = dump (f);
  g_assert_cmpstr (after, ==, before);
  g_string_free (first, TRUE);
  g_string_free (again, TRUE);
}

static void
test_fingerprint (void)
{
  g_autoptr(PdRecord) a = pd_record_new (2);
  g_autoptr(PdRecord) b = pd_record_new (3);
  gint64 fa, fb;

  pd_record_add_email (a, "ann@example.com");
  pd_record_add_email (a, "ann2@example.com");
  pd_record_set_value (a, PD_FIELD_POINTS, "10");
  pd_record_add_email (b, "ann2@example.com");
  pd_record_add_email (b, "ann@example.com");
  pd_record_set_value (b, PD_FIELD_POINTS, "10");
  pd_record_set_value (b, PD_FIELD_CITY, "Austin");
  /* the order of the values and the other fields do not matter */
  fa = pd_record_compute_fingerprint (a);
  fb = pd_record_compute_fingerprint (b);
  g_assert_cmpint (fa, !=, 0);
  g_assert_cmpint (fa, ==, fb);
  /* the points do */
  pd_record_set_value (b, PD_FIELD_POINTS, "11");
  g_assert_cmpint (pd_record_compute_fingerprint (b), !=, fa);
  /* no points, no fingerprint */
  pd_record_set_value (b, PD_FIELD_POINTS, NULL);
  g_assert_cmpint (pd_record_compute_fingerprint (b), ==, 0);
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
  g_autofree char *dir = NULL, *db = NULL, *first = NULL, *again = NULL;
  g_autofree char *out = NULL, *err = NULL;

  if (g_getenv ("PD_CLI") == NULL)
    {
      g_test_skip ("PD_CLI is not set: run through meson test");
      return;
    }
  dir = g_dir_make_tmp ("pd-same-rows-XXXXXX", NULL);
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
  first = pd_test_cli_write_file (dir, "first.csv", first_csv);
  again = pd_test_cli_write_file (dir, "again.csv", again_csv);
  g_assert_cmpint (cli_run (db, &out, NULL, "import", "--accept-terms", first, NULL), ==, 0);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (cli_run (db, &out, &err, "analyze", again, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "2 rows of this file were already imported"));
  g_assert_nonnull (strstr (out, "--same-file skip-points"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cli_run (db, &out, &err, "import", "--accept-terms", again, NULL), ==, 3);
  g_assert_nonnull (strstr (err, "2 rows of this file were already imported"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cli_run (db, &out, &err, "import", "--accept-terms", "--same-file", "skip-points",
                            "--json", again, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"points_skipped\" : 2"));
  g_assert_nonnull (strstr (out, "\"same_rows\" : 2"));

  if (GPOINTER_TO_INT (data))
    pd_test_pg_drop_database (db);
  pd_temp_remove_dir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/same-rows/fingerprint", test_fingerprint);
  g_test_add ("/same-rows/sqlite/refused", Fixture, NULL, fixture_set_up, test_refused, fixture_tear_down);
  g_test_add ("/same-rows/sqlite/refused-early", Fixture, NULL, fixture_set_up, test_refused_early,
              fixture_tear_down);
  g_test_add ("/same-rows/sqlite/choices", Fixture, NULL, fixture_set_up, test_choices, fixture_tear_down);
  g_test_add_data_func ("/same-rows/sqlite/cli", GINT_TO_POINTER (FALSE), test_cli);
  FIXTURE_ADD_PG ("/same-rows/pg/refused", test_refused);
  FIXTURE_ADD_PG ("/same-rows/pg/refused-early", test_refused_early);
  FIXTURE_ADD_PG ("/same-rows/pg/choices", test_choices);
  g_test_add_data_func ("/same-rows/pg/cli", GINT_TO_POINTER (TRUE), test_cli);
  return g_test_run ();
}
