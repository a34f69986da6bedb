/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A SQLite store in a folder of its own, or a PostgreSQL store in a
 * database of its own (FIXTURE_ADD_PG), and imports of CSV text into it:
 * the fixture of the tests of rules that imports, the app and the CLI share
 * (loyalty, email consent), so that both stores are held to them. */
#pragma once

#include "pd-import-job.h"
#include "pd-pg-store.h"
#include "pd-sqlite-store.h"
#include "pd-temp.h"
#include "pd-test-pg.h"

typedef struct {
  char    *dir;
  char    *db;       /* the SQLite file, or the PostgreSQL URI */
  gboolean pg;
  PdStore *store;
  guint    n_files;
} Fixture;

static inline void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("pd-store-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "personas.db", NULL);
  f->store = (PdStore *) pd_sqlite_store_new (f->db, &error);
  g_assert_no_error (error);
}

/* The same tests on PostgreSQL: a database of its own on the server of
 * tests/pg-run.sh; without one, f->store stays NULL and the test skips. */
static inline void
fixture_set_up_pg (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("pd-store-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->pg = TRUE;
  f->db = pd_test_pg_new_database ();
  if (f->db == NULL)
    return;
  f->store = (PdStore *) pd_pg_store_new (f->db, &error);
  g_assert_no_error (error);
}

static inline void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  if (f->pg && f->db != NULL)
    pd_test_pg_drop_database (f->db);
  pd_temp_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

typedef void (*FixtureFunc) (Fixture *f, gconstpointer data);

/* Runs the test passed as @data unless there is no PostgreSQL server. */
static inline void
fixture_run_pg (Fixture       *f,
                gconstpointer  data)
{
  if (f->store == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return;
    }
  ((FixtureFunc) data) (f, NULL);
}

#define FIXTURE_ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
#define FIXTURE_ADD_PG(name, func) \
  g_test_add (name, Fixture, (gconstpointer) (func), fixture_set_up_pg, fixture_run_pg, fixture_tear_down)

/* Imports @contents as a new file of the fixture's folder.  These tests
 * import the same rows again on purpose (an opt-in-all file after an
 * opt-out): the same-file question is not theirs. */
static inline PdImportJob *
import (Fixture               *f,
        const char            *contents,
        const PdImportOptions *options_in)
{
  g_autofree char *name = g_strdup_printf ("file%u.csv", ++f->n_files);
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  PdSourceOptions source = { .n_threads = 1 };
  PdImportOptions options;
  PdImportJob *job;

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  if (options_in != NULL)
    options = *options_in;
  else
    pd_import_options_init (&options);
  options.accept_terms = TRUE;
  options.same_file = PD_SAME_FILE_IMPORT_ANYWAY;
  job = pd_import_job_new (f->store, file, &source, &options);
  pd_import_job_run (job, NULL, &error);
  g_assert_no_error (error);
  return job;
}
