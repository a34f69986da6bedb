/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A SQLite store in a folder of its own, and imports of CSV text into it:
 * the fixture of the tests of rules that imports, the app and the CLI share
 * (loyalty, email consent). */
#pragma once

#include "pd-import-job.h"
#include "pd-sqlite-store.h"
#include "pd-temp.h"

typedef struct {
  char    *dir;
  char    *db;
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

static inline void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  pd_temp_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

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
