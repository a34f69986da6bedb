/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Importing the same file twice (issue 17): points add up, so a file
 * whose content was imported before is found before anything is written —
 * by the store (the SHA-256 kept with each file), the import job (refuses
 * unless told: skip the points of rows already imported, or import
 * anyway), the analysis (a warning naming the earlier import) and the
 * CLI (exit status 3, --same-file, analyze's warning and JSON). */
#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "pd-analyzer.h"
#include "pd-error.h"
#include "pd-import-job.h"
#include "pd-same-file.h"
#include "pd-sqlite-store.h"
#include "pd-test-cli.h"
#include "pd-test-pg.h"

/* a@x.com's row and b@x.com's carry points; c@x.com's email is invalid */
static const char file_text[] =
  "email,first name,points\n"
  "a@x.com,Ann,10\n"
  "b@x.com,Bob,5\n"
  "not-an-email,Cy,7\n";

typedef struct {
  char    *dir;
  char    *db;
  char    *path;
  PdStore *store;
  gboolean pg;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("pd-same-file-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "personas.db", NULL);
  f->path = g_build_filename (f->dir, "pos.csv", NULL);
  g_assert_true (g_file_set_contents (f->path, file_text, -1, NULL));
  /* data "pg": the same rule on the PostgreSQL store */
  if (data != NULL)
    {
      g_free (f->db);
      f->db = pd_test_pg_new_database ();
      if (f->db == NULL)
        {
          g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
          return;
        }
      f->pg = TRUE;
    }
  f->store = pd_store_open (f->db, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  g_clear_object (&f->store);
  if (f->pg)
    pd_test_pg_drop_database (f->db);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->path);
}

static PdImportJob *
import_with (Fixture        *f,
             const char     *path,
             PdMatchAction   action,
             PdSameFile      same_file,
             gboolean        dry_run,
             GError        **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  PdSourceOptions source = { .n_threads = 1 };
  PdImportOptions options;
  PdImportJob *job;

  pd_import_options_init (&options);
  options.accept_terms = TRUE;
  options.action = action;
  options.same_file = same_file;
  job = pd_import_job_new (f->store, file, &source, &options);
  pd_import_job_set_dry_run (job, dry_run);
  pd_import_job_run (job, NULL, error);
  return job;
}

static gint64
points_of (Fixture    *f,
           const char *email)
{
  g_autoptr(GError) error = NULL;
  gint64 id = pd_store_find_persona (f->store, PD_FIELD_EMAIL, email, &error);
  g_autoptr(PdPersona) persona = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  persona = pd_store_get_persona (f->store, id, &error);
  g_assert_no_error (error);
  return pd_persona_get_points (persona);
}

static guint
n_imports (Fixture *f)
{
  g_autoptr(GPtrArray) imports = pd_store_list_imports (f->store, NULL);

  g_assert_nonnull (imports);
  return imports->len;
}

/* The store hashes the file it keeps; an undone import no longer counts. */
static void
test_store_finds_by_hash (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (f->path);
  g_autofree char *sha256 = pd_file_compute_sha256 (file, NULL, &error);
  g_autofree char *expected = g_compute_checksum_for_string (G_CHECKSUM_SHA256, file_text, -1);
  g_autoptr(PdImportJob) job = NULL;
  g_autoptr(PdImportInfo) found = NULL;
  g_autoptr(PdImportInfo) after_undo = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (sha256, ==, expected);
  g_assert_null (pd_store_find_import_by_sha256 (f->store, sha256, &error));
  g_assert_no_error (error);

  job = import_with (f, f->path, PD_MATCH_ACTION_MERGE, PD_SAME_FILE_REFUSE, FALSE, &error);
  g_assert_no_error (error);
  found = pd_store_find_import_by_sha256 (f->store, sha256, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpint (found->id, ==, pd_import_job_get_info (job)->id);

  g_assert_true (pd_store_undo_import (f->store, found->id, &error));
  g_assert_no_error (error);
  after_undo = pd_store_find_import_by_sha256 (f->store, sha256, &error);
  g_assert_no_error (error);
  g_assert_null (after_undo);
}

/* A file kept before schema 10 is hashed by the migration: its import is
 * found like any other. */
static void
test_upgrade_hashes_kept_files (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdImportJob) job = import_with (f, f->path, PD_MATCH_ACTION_MERGE, PD_SAME_FILE_REFUSE,
                                            FALSE, &error);
  g_autoptr(GFile) file = g_file_new_for_path (f->path);
  g_autoptr(PdImportInfo) found = NULL;
  sqlite3 *db;

  g_assert_no_error (error);
  g_clear_object (&f->store);
  g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
  /* back to schema 9: what the later migrations made goes too */
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE api_tokens; ALTER TABLE personas DROP COLUMN updated;"
                                     "DROP INDEX import_files_sha256;"
                                     "ALTER TABLE import_files DROP COLUMN sha256;"
                                     /* what later schemas added, made again */
                                     "DROP TABLE audit_log;"
                                     "DROP INDEX personas_sms_pending;"
                                     "DROP TABLE blocklist;"
                                     "ALTER TABLE imports DROP COLUMN privacy_removed;"
                                     "DROP TABLE IF EXISTS merge_orders;"
                                     "DROP TABLE IF EXISTS order_items;"
                                     "DROP TABLE IF EXISTS orders;"
                                     "DROP TABLE import_rows;"
                                     "PRAGMA user_version = 9;"
                                     /* as a build from before pd_schema left it */
                                     "DROP TABLE pd_schema;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  f->store = (PdStore *) pd_sqlite_store_new (f->db, &error);
  g_assert_no_error (error);
  found = pd_import_find_earlier (f->store, file, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpint (found->id, ==, pd_import_job_get_info (job)->id);
}

/* The same bytes under another name: refused before anything is written,
 * naming the earlier import; a dry run only notes it. */
static void
test_job_refuses (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = g_build_filename (f->dir, "export-again.csv", NULL);
  g_autoptr(PdImportJob) first = NULL;
  g_autoptr(PdImportJob) second = NULL;
  g_autoptr(PdImportJob) dry = NULL;
  g_autofree char *id_text = NULL;

  if (f->store == NULL)
    return;  /* skipped */
  first = import_with (f, f->path, PD_MATCH_ACTION_MERGE, PD_SAME_FILE_REFUSE, FALSE, &error);

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (copy, file_text, -1, NULL));
  second = import_with (f, copy, PD_MATCH_ACTION_MERGE, PD_SAME_FILE_REFUSE, FALSE, &error);
  g_assert_error (error, PD_ERROR, PD_ERROR_SAME_FILE);
  id_text = g_strdup_printf ("(import %" G_GINT64_FORMAT ")", pd_import_job_get_info (first)->id);
  g_assert_nonnull (strstr (error->message, id_text));
  g_assert_nonnull (strstr (error->message, pd_import_job_get_info (first)->name));
  g_assert_nonnull (strstr (error->message, "export-again.csv"));
  g_clear_error (&error);
  g_assert_cmpuint (n_imports (f), ==, 1);
  g_assert_cmpint (points_of (f, "a@x.com"), ==, 10);

  dry = import_with (f, copy, PD_MATCH_ACTION_MERGE, PD_SAME_FILE_REFUSE, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pd_import_job_get_earlier_import (dry));
  g_assert_cmpint (pd_import_job_get_earlier_import (dry)->id, ==, pd_import_job_get_info (first)->id);

  /* another file is not the same file */
  {
    g_autofree char *other = g_build_filename (f->dir, "other.csv", NULL);
    g_autoptr(PdImportJob) job = NULL;

    g_assert_true (g_file_set_contents (other, "email,points\na@x.com,1\n", -1, NULL));
    job = import_with (f, other, PD_MATCH_ACTION_MERGE, PD_SAME_FILE_REFUSE, FALSE, &error);
    g_assert_no_error (error);
    g_assert_null (pd_import_job_get_earlier_import (job));
    g_assert_cmpint (points_of (f, "a@x.com"), ==, 11);
  }
}

/* Skip points: rows the earlier import applied keep their balance; a row
 * it ignored adds its points now.  Import anyway adds them again. */
static void
test_skip_points_and_anyway (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *seed = g_build_filename (f->dir, "seed.csv", NULL);
  g_autoptr(PdImportJob) seed_job = NULL;
  g_autoptr(PdImportJob) first = NULL;
  g_autoptr(PdImportJob) skip = NULL;
  g_autoptr(PdImportJob) anyway = NULL;

  if (f->store == NULL)
    return;  /* skipped */

  /* a@x.com exists with 1 point; the first import ignores matches */
  g_assert_true (g_file_set_contents (seed, "email,points\na@x.com,1\n", -1, NULL));
  seed_job = import_with (f, seed, PD_MATCH_ACTION_MERGE, PD_SAME_FILE_REFUSE, FALSE, &error);
  g_assert_no_error (error);
  first = import_with (f, f->path, PD_MATCH_ACTION_IGNORE, PD_SAME_FILE_REFUSE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (points_of (f, "a@x.com"), ==, 1);
  g_assert_cmpint (points_of (f, "b@x.com"), ==, 5);

  skip = import_with (f, f->path, PD_MATCH_ACTION_MERGE, PD_SAME_FILE_SKIP_POINTS, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_import_job_get_earlier_import (skip)->id, ==, pd_import_job_get_info (first)->id);
  g_assert_cmpuint (pd_import_job_get_n_points_skipped (skip), ==, 1);
  g_assert_cmpint (points_of (f, "a@x.com"), ==, 11);   /* ignored the first time: added now */
  g_assert_cmpint (points_of (f, "b@x.com"), ==, 5);    /* applied the first time: kept */

  anyway = import_with (f, f->path, PD_MATCH_ACTION_MERGE, PD_SAME_FILE_IMPORT_ANYWAY, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pd_import_job_get_n_points_skipped (anyway), ==, 0);
  g_assert_cmpint (points_of (f, "a@x.com"), ==, 21);
  g_assert_cmpint (points_of (f, "b@x.com"), ==, 10);
}

/* The analysis carries the warning, in its list and its JSON. */
static void
test_analysis_warns (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (f->path);
  g_autoptr(PdImportJob) first = import_with (f, f->path, PD_MATCH_ACTION_MERGE, PD_SAME_FILE_REFUSE,
                                              FALSE, &error);
  g_autoptr(PdAnalyzer) analyzer = pd_analyzer_new (file, NULL);
  g_autoptr(PdAnalysis) analysis = pd_analyzer_run (analyzer, NULL, &error);
  g_autoptr(PdImportInfo) earlier = NULL;
  g_autoptr(JsonNode) json = NULL;
  GPtrArray *warnings;
  JsonObject *object;

  g_assert_no_error (error);
  g_assert_nonnull (analysis);
  earlier = pd_import_find_earlier (f->store, file, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (earlier);
  pd_analysis_set_earlier_import (analysis, earlier);
  warnings = pd_analysis_get_warnings (analysis);
  g_assert_cmpuint (warnings->len, >=, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), earlier->name));

  json = pd_analysis_to_json (analysis);
  object = json_object_get_object_member (json_node_get_object (json), "earlier_import");
  g_assert_nonnull (object);
  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, pd_import_job_get_info (first)->id);

  /* set again (or cleared): one warning, not two */
  pd_analysis_set_earlier_import (analysis, earlier);
  pd_analysis_set_earlier_import (analysis, NULL);
  for (guint i = 0; i < warnings->len; i++)
    g_assert_null (strstr (g_ptr_array_index (warnings, i), earlier->name));
}

static int
cli (const char  *db,
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

/* The CLI: refused with status 3 naming the earlier import; --same-file;
 * analyze warns; --help says merge adds points. */
static void
test_cli (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  if (!pd_test_cli_set_up ("same-file-cli", &dir, &db))
    return;
  path = pd_test_cli_write_file (dir, "pos.csv", file_text);

  /* no database yet: analyze creates none and warns of nothing */
  g_assert_cmpint (cli (db, &out, NULL, "analyze", path, NULL), ==, 0);
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (cli (db, &out, NULL, "import", "--accept-terms", "--name", "Monday POS",
                        path, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli (db, &out, &err, "import", "--accept-terms", path, NULL), ==, 3);
  g_assert_nonnull (strstr (err, "Monday POS"));
  g_assert_nonnull (strstr (err, "--same-file"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cli (db, &out, NULL, "analyze", path, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Monday POS"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli (db, &out, NULL, "analyze", "--json", path, NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "earlier_import"),
                                                  "name"), ==, "Monday POS");
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (cli (db, NULL, &err, "import", "--accept-terms", "--same-file", "refuse",
                                    path, NULL), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (db, &out, NULL, "import", "--accept-terms", "--json",
                                    "--same-file", "skip-points", path, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"points_skipped\" : 2"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli (db, &out, NULL, "import", "--accept-terms", "--json",
                                    "--same-file", "import-anyway", path, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"points_skipped\" : 0"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (cli (db, &out, NULL, "import", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "--same-file"));
  g_assert_nonnull (strstr (out, "Points in the file are always added"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/same-file/store-finds-by-hash", Fixture, NULL, fixture_set_up, test_store_finds_by_hash,
              fixture_tear_down);
  g_test_add ("/same-file/upgrade-hashes-kept-files", Fixture, NULL, fixture_set_up,
              test_upgrade_hashes_kept_files, fixture_tear_down);
  g_test_add ("/same-file/job-refuses", Fixture, NULL, fixture_set_up, test_job_refuses, fixture_tear_down);
  g_test_add ("/same-file/skip-points-and-anyway", Fixture, NULL, fixture_set_up,
              test_skip_points_and_anyway, fixture_tear_down);
  g_test_add ("/same-file/pg/job-refuses", Fixture, "pg", fixture_set_up, test_job_refuses,
              fixture_tear_down);
  g_test_add ("/same-file/pg/skip-points-and-anyway", Fixture, "pg", fixture_set_up,
              test_skip_points_and_anyway, fixture_tear_down);
  g_test_add ("/same-file/analysis-warns", Fixture, NULL, fixture_set_up, test_analysis_warns,
              fixture_tear_down);
  g_test_add_func ("/same-file/cli", test_cli);
  return g_test_run ();
}
