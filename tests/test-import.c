/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The import engine end to end: files made here, imported into a fresh
 * database, checked through the store.  The cases run on SQLite and, but
 * for undo and the SMS opt-in (not done yet there), on PostgreSQL
 * (/import/pg/…, skipped without a test server: see pd-test-pg.h). */
#include "config.h"

#include <sqlite3.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "pd-error.h"
#include "pd-import-job.h"
#include "pd-mapping.h"
#include "pd-report-writer.h"
#include "pd-sqlite-store.h"
#include "pd-sqlite-vfs.h"
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
  char    *db;      /* SQLite: the file; PostgreSQL: the URI */
  PdStore *store;
  guint    n_files;
} Fixture;

#define NEED_STORE(f) G_STMT_START { if ((f)->store == NULL) return; } G_STMT_END

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->backend = data != NULL ? *(const Backend *) data : BACKEND_SQLITE;
  f->dir = g_dir_make_tmp ("pd-import-XXXXXX", &error);
  g_assert_no_error (error);
  if (f->backend == BACKEND_PG)
    {
      f->db = pd_test_pg_new_database ();
      if (f->db == NULL)
        {
          g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
          return;
        }
    }
  else
    f->db = g_build_filename (f->dir, "personas.db", NULL);
  f->store = pd_store_open (f->db, &error);
  g_assert_no_error (error);
}

/* Rows of @sql on the fixture's database, every column as text. */
static void
dump_query (Fixture    *f,
            const char *sql,
            GString    *out)
{
  if (f->backend == BACKEND_PG)
    {
      PGconn *conn = pd_test_pg_connect (f->db);
      PGresult *result = PQexec (conn, sql);

      g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
      for (int r = 0; r < PQntuples (result); r++)
        {
          for (int c = 0; c < PQnfields (result); c++)
            /* personas.updated (PostgreSQL schema 9): undo writes it, as below */
            if (!g_str_equal (PQfname (result, c), "updated") || !g_str_has_prefix (sql, "SELECT * FROM personas "))
              g_string_append_printf (out, "%s|", PQgetisnull (result, r, c) ? "(null)" : PQgetvalue (result, r, c));
          g_string_append_c (out, '\n');
        }
      PQclear (result);
      PQfinish (conn);
    }
  else
    {
      sqlite3 *db;
      sqlite3_stmt *stmt;

      g_assert_cmpint (sqlite3_open_v2 (f->db, &db, SQLITE_OPEN_READONLY,
                                        pd_sqlite_vfs_register ()), ==, SQLITE_OK);
      if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK)
        {
          /* when a persona was last written (schema 15, the API's
           * updated_since) is not what undo restores: undo writes it */
          gboolean personas = g_str_has_prefix (sql, "SELECT * FROM personas ");

          while (sqlite3_step (stmt) == SQLITE_ROW)
            {
              for (int c = 0; c < sqlite3_column_count (stmt); c++)
                if (!personas || !g_str_equal (sqlite3_column_name (stmt, c), "updated"))
                  g_string_append_printf (out, "%s|", sqlite3_column_text (stmt, c));
              g_string_append_c (out, '\n');
            }
          sqlite3_finalize (stmt);
        }
      sqlite3_close (db);
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  g_clear_object (&f->store);
  if (f->backend == BACKEND_PG && f->db != NULL)
    pd_test_pg_drop_database (f->db);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

static char *
write_file (Fixture    *f,
            const char *contents)
{
  g_autofree char *name = g_strdup_printf ("file%u.csv", ++f->n_files);
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static PdImportJob *
run_full (Fixture               *f,
          const char            *contents,
          const PdImportOptions *options_in,
          GCancellable          *cancellable,
          GError               **error)
{
  g_autofree char *path = write_file (f, contents);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  PdImportOptions options;
  PdSourceOptions source = { .n_threads = 1 };
  PdImportJob *job;

  if (options_in != NULL)
    options = *options_in;
  else
    pd_import_options_init (&options);
  options.accept_terms = TRUE;
  job = pd_import_job_new (f->store, file, &source, &options);
  pd_import_job_run (job, cancellable, error);
  return job;
}

static PdImportJob *
run (Fixture               *f,
     const char            *contents,
     const PdImportOptions *options)
{
  g_autoptr(GError) error = NULL;
  PdImportJob *job = run_full (f, contents, options, NULL, &error);
  const PdImportInfo *info = pd_import_job_get_info (job);

  g_assert_no_error (error);
  g_assert_cmpuint (info->imported + info->updated + info->ignored + info->failed, ==, info->total);
  return job;
}

static PdImportOptions
with_action (const char    *match,
             PdMatchAction  action)
{
  PdImportOptions options;

  pd_import_options_init (&options);
  options.match = match;
  options.action = action;
  return options;
}

static PdImportOptions
with_action_merging (const char    *match,
                     PdMatchAction  action)
{
  PdImportOptions options = with_action (match, action);

  options.merge_shared_phones = TRUE;
  return options;
}

static PdPersona *
find (Fixture    *f,
      PdFieldId   key,
      const char *value)
{
  g_autoptr(GError) error = NULL;
  gint64 id = pd_store_find_persona (f->store, key, value, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return pd_store_get_persona (f->store, id, NULL);
}

/* Every visible persona, as export sees it (and the store-only state too). */
static char *
dump_personas (Fixture *f)
{
  PdPersonaQuery q = { .view = PD_PERSONA_VIEW_ACTIVE, .sort = PD_PERSONA_SORT_ID };
  g_autoptr(GPtrArray) all = pd_store_list_personas (f->store, &q, 0, 100000, NULL);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < all->len; i++)
    {
      PdPersona *p = g_ptr_array_index (all, i);
      g_autoptr(JsonNode) node = pd_persona_to_json (p);
      g_autofree char *text = json_to_string (node, FALSE);

      g_string_append_printf (out, "%s|%s\n", text, pd_persona_get_signup_source (p));
    }
  return g_string_free (out, FALSE);
}

static char *dump_some_tables (Fixture *f, const char * const *tables);

static const char * const all_tables[] = { "personas", "emails", "phones", "tags", "attributes",
                                           "ledger", "import_changes", "mapping_presets", NULL };

/* Every table but the history's own, row by row. */
static char *
dump_tables (Fixture *f)
{
  return dump_some_tables (f, all_tables);
}

/* @tables (NULL-terminated), row by row, every column. */
static char *
dump_some_tables (Fixture            *f,
                  const char * const *tables)
{
  GString *out = g_string_new (NULL);

  for (guint t = 0; tables[t] != NULL; t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY 1, 2", tables[t]);

      dump_query (f, sql, out);
    }
  return g_string_free (out, FALSE);
}

/* The history's tables, for checks that nothing at all was recorded. */
static char *
dump_history (Fixture *f)
{
  /* sqlite_sequence: SQLite only (and only with AUTOINCREMENT) */
  const char *queries[] = { "SELECT * FROM imports ORDER BY 1",
                            "SELECT import_id, length(data) FROM import_files ORDER BY 1",
                            f->backend == BACKEND_SQLITE ? "SELECT * FROM sqlite_sequence ORDER BY 1" : NULL };
  GString *out = g_string_new (NULL);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    if (queries[q] != NULL)
      dump_query (f, queries[q], out);
  return g_string_free (out, FALSE);
}

static const char seed_csv[] =
  "First Name,Last Name,Email,Phone,External ID,Facebook,City,Points\r\n"
  "Ann,Lee,ann@example.com,(202) 555-0143,C-001,ann.fb,Austin,10\r\n";

typedef struct {
  const char *match;
  const char *row;   /* the matching row: only this key in common */
  PdFieldId   key;
  const char *value;
} KeyCase;

static const KeyCase key_cases[] = {
  { "email", "Annie,,ANN@example.com,,,,Boston,5\r\n", PD_FIELD_EMAIL, "ann@example.com" },
  { "phone", "Annie,,new1@example.com,+1 202.555.0143,,,Boston,5\r\n", PD_FIELD_PHONE, "+12025550143" },
  { "external_id", "Annie,,new2@example.com,,C-001,,Boston,5\r\n", PD_FIELD_EXTERNAL_ID, "C-001" },
  { "facebook", "Annie,,new3@example.com,,,ann.fb,Boston,5\r\n", PD_FIELD_FACEBOOK, "ann.fb" },
};

static void
test_actions_by_key (Fixture       *f,
                     gconstpointer  data)
{
  NEED_STORE (f);
  for (guint k = 0; k < G_N_ELEMENTS (key_cases); k++)
    for (PdMatchAction action = PD_MATCH_ACTION_IGNORE; action <= PD_MATCH_ACTION_MERGE; action++)
      {
        PdImportOptions options = with_action (key_cases[k].match, action);
        g_autofree char *file = g_strconcat ("First Name,Last Name,Email,Phone,External ID,Facebook,City,Points\r\n",
                                             key_cases[k].row, NULL);
        g_autoptr(PdImportJob) seed = NULL;
        g_autoptr(PdImportJob) job = NULL;
        g_autoptr(PdPersona) p = NULL;
        const PdImportInfo *info;
        GPtrArray *rows;

        g_test_message ("key %s, action %s", key_cases[k].match, pd_match_action_to_string (action));
        /* a fresh database for each case */
        g_clear_object (&f->store);
        fixture_tear_down (f, NULL);
        fixture_set_up (f, NULL);
        seed = run (f, seed_csv, NULL);
        g_assert_cmpuint (pd_import_job_get_info (seed)->imported, ==, 1);

        job = run (f, file, &options);
        info = pd_import_job_get_info (job);
        g_assert_cmpuint (info->total, ==, 1);
        p = find (f, key_cases[k].key, key_cases[k].value);
        rows = pd_import_job_get_row_results (job);

        switch (action)
          {
          case PD_MATCH_ACTION_IGNORE:
            g_assert_cmpuint (info->ignored, ==, 1);
            g_assert_cmpuint (rows->len, ==, 1);
            g_assert_cmpint (((PdImportRowResult *) rows->pdata[0])->persona_id, ==, pd_persona_get_id (p));
            g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_CITY), ==, "Austin");
            g_assert_cmpint (pd_persona_get_points (p), ==, 10);
            break;
          case PD_MATCH_ACTION_UPDATE:
          case PD_MATCH_ACTION_MERGE:
            g_assert_cmpuint (info->updated, ==, 1);
            g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_CITY), ==, "Austin");
            g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_FIRST_NAME), ==, "Ann");
            g_assert_cmpint (pd_persona_get_points (p), ==, 15);
            /* merge: multi-value fields gain; update: the persona had an email */
            g_assert_cmpuint (pd_persona_get_emails (p)->len, ==,
                              action == PD_MATCH_ACTION_MERGE && k > 0 ? 2 : 1);
            break;
          case PD_MATCH_ACTION_APPEND:
            g_assert_cmpuint (info->updated, ==, 1);
            g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_CITY), ==, "Boston");
            g_assert_cmpuint (pd_persona_get_emails (p)->len, ==, k > 0 ? 2 : 1);
            g_assert_cmpint (pd_persona_get_points (p), ==, 15);
            break;
          case PD_MATCH_ACTION_REPLACE:
            g_assert_cmpuint (info->updated, ==, 1);
            g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_FIRST_NAME), ==, "Annie");
            g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_CITY), ==, "Boston");
            g_assert_cmpuint (pd_persona_get_emails (p)->len, ==, 1);
            g_assert_cmpint (pd_persona_get_points (p), ==, 15);
            break;
          }
        {
          PdPersonaQuery q = { .view = PD_PERSONA_VIEW_ACTIVE };
          g_assert_cmpuint (pd_store_count_personas (f->store, &q, NULL), ==, 1);
        }
      }
}

static void
test_in_file_duplicates (Fixture       *f,
                         gconstpointer  data)
{
  NEED_STORE (f);
  g_autoptr(PdImportJob) job = run (f,
    "First Name,Email,Phone,Points,City\r\n"
    "Ann,ann@example.com,,10,Austin\r\n"
    "Annie,ANN@example.com,202-555-0143,5,Boston\r\n"
    "Bob,bob@example.com,(202) 555-0143,1,\r\n"    /* phone of row 3 is Ann's by now */
    "Cy,cy@example.com,,,\r\n", NULL);
  const PdImportInfo *info = pd_import_job_get_info (job);
  g_autoptr(PdPersona) ann = find (f, PD_FIELD_EMAIL, "ann@example.com");
  g_autoptr(PdPersona) bob = find (f, PD_FIELD_EMAIL, "bob@example.com");
  g_autoptr(GPtrArray) ledger = NULL;

  /* Bob shares Ann's phone but has his own email: another customer, kept
   * apart without the phone (issue 20) */
  g_assert_cmpuint (info->total, ==, 4);
  g_assert_cmpuint (info->imported, ==, 3);
  g_assert_cmpuint (info->updated, ==, 1);
  g_assert_cmpuint (pd_import_job_get_n_shared_phones (job), ==, 1);
  g_assert_cmpstr (pd_persona_get_value (ann, PD_FIELD_FIRST_NAME), ==, "Ann");
  g_assert_cmpstr (pd_persona_get_primary_phone (ann), ==, "+12025550143");
  g_assert_cmpuint (pd_persona_get_emails (ann)->len, ==, 1);
  g_assert_cmpint (pd_persona_get_points (ann), ==, 15);
  g_assert_cmpuint (pd_persona_get_phones (bob)->len, ==, 0);
  g_assert_cmpint (pd_persona_get_points (bob), ==, 1);
  ledger = pd_store_list_ledger (f->store, pd_persona_get_id (ann), NULL);
  g_assert_cmpuint (ledger->len, ==, 2);
  g_assert_cmpint (((PdLedgerEntry *) ledger->pdata[0])->import_id, ==, info->id);

  /* in-file duplicates with ignore: the second row is ignored */
  {
    PdImportOptions ignore = with_action ("email", PD_MATCH_ACTION_IGNORE);
    g_autoptr(PdImportJob) j2 = run (f, "Email\r\nnew@example.com\r\nNEW@example.com\r\n", &ignore);

    g_assert_cmpuint (pd_import_job_get_info (j2)->imported, ==, 1);
    g_assert_cmpuint (pd_import_job_get_info (j2)->ignored, ==, 1);
  }
}

/* The look-ups run ahead of the writes on the database as it was before
 * the import (pd-match-prefetch.c): a row whose answer an earlier row of
 * the same file changed must see the change. */
static void
test_lookups_see_earlier_rows (Fixture       *f,
                               gconstpointer  data)
{
  NEED_STORE (f);
  g_autoptr(PdImportJob) seed = run (f, "Email,Phone\r\np@example.com,202-555-0101\r\nq@example.com,\r\n", NULL);
  g_autoptr(PdPersona) p = find (f, PD_FIELD_EMAIL, "p@example.com");
  g_autoptr(PdPersona) q = find (f, PD_FIELD_EMAIL, "q@example.com");
  /* rows that share a phone merge, as --on-conflict merge has it: this is
   * about what the look-ups see */
  PdImportOptions replace = with_action_merging ("email,phone", PD_MATCH_ACTION_REPLACE);
  g_autoptr(PdImportJob) job = run (f,
    "Email,Phone,City\r\n"
    "p@example.com,202-555-0102,A\r\n"   /* P's phone 0101 is replaced */
    "q@example.com,202-555-0101,B\r\n"   /* so 0101 is free: Q alone, not Q and P */
    "r@example.com,202-555-0102,C\r\n",  /* 0102 is P's by now */
    &replace);
  const PdImportInfo *info = pd_import_job_get_info (job);
  g_autoptr(PdPersona) q_after = find (f, PD_FIELD_PHONE, "+12025550101");
  g_autoptr(PdPersona) p_after = find (f, PD_FIELD_EMAIL, "r@example.com");

  g_assert_cmpuint (info->failed, ==, 0);
  g_assert_cmpuint (info->imported, ==, 0);
  g_assert_cmpuint (info->updated, ==, 3);
  g_assert_cmpint (pd_persona_get_id (q_after), ==, pd_persona_get_id (q));
  g_assert_cmpstr (pd_persona_get_value (q_after, PD_FIELD_CITY), ==, "B");
  g_assert_cmpint (pd_persona_get_id (p_after), ==, pd_persona_get_id (p));
  g_assert_cmpstr (pd_persona_get_value (p_after, PD_FIELD_CITY), ==, "C");
  g_assert_cmpstr (pd_persona_get_primary_phone (p_after), ==, "+12025550102");
}

static void
test_two_personas (Fixture       *f,
                   gconstpointer  data)
{
  NEED_STORE (f);
  g_autoptr(PdImportJob) seed = run (f, "Email,Phone\r\na@example.com,\r\nb@example.com,202-555-0100\r\n", NULL);
  /* --on-conflict merge: an email of one persona and a phone of another
   * fail the row (by default the phone is left out, see
   * tests/test-messy-cells.c) */
  PdImportOptions merge = with_action_merging ("email,phone", PD_MATCH_ACTION_MERGE);
  g_autoptr(PdImportJob) job = run (f, "Email,Phone,City\r\na@example.com,202-555-0100,X\r\n", &merge);
  PdImportRowResult *r;
  g_autoptr(PdPersona) a = find (f, PD_FIELD_EMAIL, "a@example.com");
  g_autoptr(PdPersona) b = find (f, PD_FIELD_EMAIL, "b@example.com");
  g_autofree char *ida = g_strdup_printf ("%" G_GINT64_FORMAT, pd_persona_get_id (a));
  g_autofree char *idb = g_strdup_printf ("%" G_GINT64_FORMAT, pd_persona_get_id (b));

  g_assert_cmpuint (pd_import_job_get_info (job)->failed, ==, 1);
  r = g_ptr_array_index (pd_import_job_get_row_results (job), 0);
  g_assert_cmpint (r->outcome, ==, PD_IMPORT_OUTCOME_FAILED);
  g_assert_nonnull (strstr (r->reasons->pdata[0], ida));
  g_assert_nonnull (strstr (r->reasons->pdata[0], idb));
  g_assert_null (pd_persona_get_value (a, PD_FIELD_CITY));
}

static const PdImportFieldChange *
find_change (PdImportJob *job,
             gint64       persona_id,
             const char  *field)
{
  GPtrArray *changes = pd_import_job_get_changes (job);

  for (guint i = 0; i < changes->len; i++)
    {
      const PdImportFieldChange *c = g_ptr_array_index (changes, i);

      if (c->persona_id == persona_id && g_strcmp0 (c->field, field) == 0)
        return c;
    }
  return NULL;
}

static void
test_dry_run (Fixture       *f,
              gconstpointer  data)
{
  NEED_STORE (f);
  const char contents[] = "First Name,Last Name,Email,Phone,City,Points,attribute:veteran\r\n"
                          "Ann,Lee,ann@example.com,202-555-0199,Boston,5,yes\r\n"
                          "Cy,,cy@example.com,,,,\r\n"
                          "Two,,ann@example.com,202-555-0100,,,\r\n"
                          "Bad,,bob@,,,,\r\n";
  g_autoptr(PdImportJob) seed = run (f, "First Name,Email,Phone,City,Points\r\n"
                                        "Ann,ann@example.com,202-555-0143,Austin,10\r\n"
                                        "Bob,b@example.com,202-555-0100,,\r\n", NULL);
  g_autoptr(PdPersona) ann = find (f, PD_FIELD_EMAIL, "ann@example.com");
  gint64 ann_id = pd_persona_get_id (ann);
  g_autofree char *tables_before = dump_tables (f);
  g_autofree char *history_before = dump_history (f);
  g_autofree char *tables_after = NULL;
  g_autofree char *history_after = NULL;
  g_autofree char *path = write_file (f, contents);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PdImportJob) dry = NULL;
  g_autoptr(PdImportJob) real = NULL;
  g_autoptr(GError) error = NULL;
  PdSourceOptions source = { .n_threads = 1 };
  PdImportOptions options;
  const PdImportInfo *info, *real_info;
  const PdImportFieldChange *c;
  GPtrArray *rows, *real_rows;

  pd_import_options_init (&options);
  options.accept_terms = TRUE;
  /* row 4 fails as --on-conflict merge has it (matches two personas) */
  options.merge_shared_phones = TRUE;
  dry = pd_import_job_new (f->store, file, &source, &options);
  pd_import_job_set_dry_run (dry, TRUE);
  g_assert_true (pd_import_job_run (dry, NULL, &error));
  g_assert_no_error (error);
  info = pd_import_job_get_info (dry);
  g_assert_cmpuint (info->total, ==, 4);
  g_assert_cmpuint (info->imported, ==, 1);
  g_assert_cmpuint (info->updated, ==, 1);
  g_assert_cmpuint (info->ignored, ==, 0);
  g_assert_cmpuint (info->failed, ==, 2);
  g_assert_cmpint (info->id, ==, 0);

  /* nothing written, nothing recorded */
  tables_after = dump_tables (f);
  history_after = dump_history (f);
  g_assert_cmpstr (tables_before, ==, tables_after);
  g_assert_cmpstr (history_before, ==, history_after);

  /* per-row outcomes, including the row that fails only against the
   * saved personas (it matches two of them) */
  rows = pd_import_job_get_row_results (dry);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpuint (((PdImportRowResult *) rows->pdata[0])->row, ==, 4);
  g_assert_nonnull (strstr (((PdImportRowResult *) rows->pdata[0])->reasons->pdata[0], "two different"));
  g_assert_cmpuint (((PdImportRowResult *) rows->pdata[1])->row, ==, 5);

  /* the field changes of the matched persona: merge fills the empty last
   * name, adds the phone and the points, keeps the first city */
  c = find_change (dry, ann_id, "last_name");
  g_assert_nonnull (c);
  g_assert_cmpuint (c->row, ==, 2);
  g_assert_null (c->old_value);
  g_assert_cmpstr (c->new_value, ==, "Lee");
  c = find_change (dry, ann_id, "points");
  g_assert_nonnull (c);
  g_assert_cmpstr (c->old_value, ==, "10");
  g_assert_cmpstr (c->new_value, ==, "15");
  c = find_change (dry, ann_id, "phone");
  g_assert_nonnull (c);
  g_assert_cmpstr (c->old_value, ==, "+12025550143");
  g_assert_cmpstr (c->new_value, ==, "+12025550143, +12025550199");
  c = find_change (dry, ann_id, "attribute:veteran");
  g_assert_nonnull (c);
  g_assert_null (c->old_value);
  g_assert_cmpstr (c->new_value, ==, "yes");
  g_assert_null (find_change (dry, ann_id, "city"));
  g_assert_null (find_change (dry, ann_id, "first_name"));
  g_assert_cmpuint (pd_import_job_get_n_changes (dry), ==, pd_import_job_get_changes (dry)->len);

  /* the real import of the same file gives the same counts and rows */
  real = pd_import_job_new (f->store, file, &source, &options);
  g_assert_true (pd_import_job_run (real, NULL, &error));
  g_assert_no_error (error);
  real_info = pd_import_job_get_info (real);
  g_assert_cmpuint (real_info->imported, ==, info->imported);
  g_assert_cmpuint (real_info->updated, ==, info->updated);
  g_assert_cmpuint (real_info->failed, ==, info->failed);
  g_assert_cmpuint (real_info->ignored, ==, info->ignored);
  real_rows = pd_import_job_get_row_results (real);
  g_assert_cmpuint (real_rows->len, ==, rows->len);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpuint (((PdImportRowResult *) real_rows->pdata[i])->row, ==,
                      ((PdImportRowResult *) rows->pdata[i])->row);
  g_assert_cmpuint (pd_import_job_get_changes (real)->len, ==, 0);
  g_clear_object (&ann);
  ann = find (f, PD_FIELD_EMAIL, "ann@example.com");
  g_assert_cmpstr (pd_persona_get_value (ann, PD_FIELD_LAST_NAME), ==, "Lee");
  g_assert_cmpint (pd_persona_get_points (ann), ==, 15);
}

/* The preview keeps the first PD_IMPORT_MAX_CHANGES changes and counts
 * the rest. */
static void
test_dry_run_cap (Fixture       *f,
                  gconstpointer  data)
{
  NEED_STORE (f);
  g_autoptr(GString) seed_file = g_string_new ("Email\r\n");
  g_autoptr(GString) update = g_string_new ("Email,City\r\n");
  g_autoptr(PdImportJob) seed = NULL;
  g_autoptr(PdImportJob) dry = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  PdSourceOptions source = { .n_threads = 1 };
  PdImportOptions options;

  for (guint i = 0; i < PD_IMPORT_MAX_CHANGES + 200; i++)
    {
      g_string_append_printf (seed_file, "p%u@example.com\r\n", i);
      g_string_append_printf (update, "p%u@example.com,Town %u\r\n", i, i);
    }
  seed = run (f, seed_file->str, NULL);
  path = write_file (f, update->str);
  file = g_file_new_for_path (path);
  pd_import_options_init (&options);
  options.accept_terms = TRUE;
  /* row 4 fails as --on-conflict merge has it (matches two personas) */
  options.merge_shared_phones = TRUE;
  dry = pd_import_job_new (f->store, file, &source, &options);
  pd_import_job_set_dry_run (dry, TRUE);
  g_assert_true (pd_import_job_run (dry, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pd_import_job_get_info (dry)->updated, ==, PD_IMPORT_MAX_CHANGES + 200);
  g_assert_cmpuint (pd_import_job_get_changes (dry)->len, ==, PD_IMPORT_MAX_CHANGES);
  g_assert_cmpuint (pd_import_job_get_n_changes (dry), ==, PD_IMPORT_MAX_CHANGES + 200);
}

/* Cells corrected by the user go into the import itself: row 3's email
 * and phone are replaced before normalizing, in the dry run and the real
 * import alike; other rows are read as they are. */
static void
test_row_overrides (Fixture       *f,
                    gconstpointer  data)
{
  NEED_STORE (f);
  const char contents[] = "First Name,Email,Phone\r\n"
                          "Ann,ann@example.com,202-555-0143\r\n"
                          "Bob,bob@,12345\r\n"
                          "Cy,cy@,\r\n";
  const char *fixed[] = { "Bob", "bob@example.com", "202 555 0146", NULL };
  g_autofree char *path = write_file (f, contents);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GHashTable) overrides = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) pd_row_free);
  g_autoptr(PdImportJob) dry = NULL;
  g_autoptr(PdImportJob) job = NULL;
  g_autoptr(PdPersona) bob = NULL;
  g_autoptr(GError) error = NULL;
  PdSourceOptions source = { .n_threads = 1 };
  PdImportOptions options;
  GPtrArray *rows;

  g_hash_table_insert (overrides, GUINT_TO_POINTER (3), pd_row_new (3, fixed, 3));
  source.row_overrides = overrides;
  pd_import_options_init (&options);
  options.accept_terms = TRUE;

  dry = pd_import_job_new (f->store, file, &source, &options);
  pd_import_job_set_dry_run (dry, TRUE);
  g_assert_true (pd_import_job_run (dry, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pd_import_job_get_info (dry)->imported, ==, 2);
  g_assert_cmpuint (pd_import_job_get_info (dry)->failed, ==, 1);

  job = pd_import_job_new (f->store, file, &source, &options);
  g_hash_table_remove_all (overrides);   /* the job keeps what it was given */
  g_hash_table_insert (overrides, GUINT_TO_POINTER (3), pd_row_new (3, fixed, 3));
  g_assert_true (pd_import_job_run (job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pd_import_job_get_info (job)->imported, ==, 2);
  g_assert_cmpuint (pd_import_job_get_info (job)->failed, ==, 1);
  rows = pd_import_job_get_row_results (job);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpuint (((PdImportRowResult *) rows->pdata[0])->row, ==, 4);
  bob = find (f, PD_FIELD_EMAIL, "bob@example.com");
  g_assert_cmpstr (pd_persona_get_value (bob, PD_FIELD_FIRST_NAME), ==, "Bob");
  g_assert_cmpstr (g_ptr_array_index (pd_persona_get_phones (bob), 0), ==, "+12025550146");
}

/* Double opt-in over an import's audience: one transaction, explicit
 * opt-outs, opted-in and phoneless personas skipped, and the import can
 * still be undone afterwards. */
static void
test_sms_opt_in_request (Fixture       *f,
                         gconstpointer  data)
{
  NEED_STORE (f);
  g_autoptr(PdImportJob) other = run (f, "Email,Phone\r\nz@example.com,202-555-0109\r\n", NULL);
  g_autofree char *before = dump_personas (f);
  g_autoptr(PdImportJob) job = run (f, "Email,Phone,Opt-in SMS,Explicit SMS Opt-out\r\n"
                                       "a@example.com,202-555-0101,,\r\n"
                                       "b@example.com,202-555-0102,,TRUE\r\n"
                                       "c@example.com,,,\r\n"
                                       "d@example.com,202-555-0104,TRUE,\r\n", NULL);
  gint64 id = pd_import_job_get_info (job)->id;
  g_autoptr(PdPersona) a = NULL;
  g_autoptr(PdPersona) z = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  PdSmsOptInCounts counts;

  g_assert_cmpint (pd_store_request_import_sms_opt_in (f->store, id, &counts, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (counts.marked, ==, 1);
  g_assert_cmpuint (counts.opted_out, ==, 1);
  g_assert_cmpuint (counts.no_phone, ==, 1);
  g_assert_cmpuint (counts.already, ==, 1);
  a = find (f, PD_FIELD_EMAIL, "a@example.com");
  g_assert_cmpint (pd_persona_get_sms_consent (a), ==, PD_SMS_CONSENT_PENDING);
  /* only this import's personas */
  z = find (f, PD_FIELD_EMAIL, "z@example.com");
  g_assert_cmpint (pd_persona_get_sms_consent (z), ==, PD_SMS_CONSENT_NONE);

  /* a second request finds them pending already */
  g_assert_cmpint (pd_store_request_import_sms_opt_in (f->store, id, &counts, &error), ==, 0);
  g_assert_cmpuint (counts.already, ==, 2);

  g_assert_cmpint (pd_store_request_import_sms_opt_in (f->store, 9999, NULL, &error), ==, -1);
  g_assert_error (error, PD_ERROR, PD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* not a later change: the import can be undone, and the personas are
   * as before it */
  g_assert_true (pd_store_undo_import (f->store, id, &error));
  g_assert_no_error (error);
  after = dump_personas (f);
  g_assert_cmpstr (before, ==, after);
}

static void
test_rules (Fixture       *f,
            gconstpointer  data)
{
  NEED_STORE (f);
  PdImportOptions all_sms;
  g_autoptr(PdImportJob) j1 = NULL, j2 = NULL, j3 = NULL, j4 = NULL;
  g_autoptr(PdPersona) p = NULL;
  GPtrArray *rows;

  j1 = run (f, "Email,Opt-in SMS,Explicit SMS Opt-out,Loyalty,Signup Date,Signup Override Date\r\n"
               "a@example.com,yes,,,2024-01-01,\r\n"
               "b@example.com,,TRUE,,,\r\n", NULL);
  /* later files: opt-in never beats the opt-out; override replaces */
  j2 = run (f, "Email,Opt-in SMS,Loyalty,Signup Date,Signup Override Date,Points\r\n"
               "b@example.com,yes,false,2023-01-01,2020-02-02,0\r\n"
               "a@example.com,no,false,2023-01-01,,\r\n", NULL);
  rows = pd_import_job_get_row_results (j2);
  g_assert_cmpuint (rows->len, ==, 1);  /* b: the opt-out warning */
  g_assert_cmpuint (((PdImportRowResult *) rows->pdata[0])->row, ==, 2);
  g_assert_cmpint (((PdImportRowResult *) rows->pdata[0])->outcome, ==, PD_IMPORT_OUTCOME_UPDATED);

  p = find (f, PD_FIELD_EMAIL, "b@example.com");
  g_assert_true (pd_persona_get_sms_opt_out (p));
  g_assert_cmpint (pd_persona_get_sms_consent (p), ==, PD_SMS_CONSENT_NONE);
  g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_SIGNUP_DATE), ==, "2020-02-02");
  g_clear_object (&p);
  p = find (f, PD_FIELD_EMAIL, "a@example.com");
  g_assert_cmpint (pd_persona_get_sms_consent (p), ==, PD_SMS_CONSENT_OPTED_IN);  /* "no" changes nothing */
  g_assert_true (pd_persona_get_loyalty (p));                                      /* false never removes */
  g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_SIGNUP_DATE), ==, "2024-01-01"); /* first wins */
  g_clear_object (&p);

  pd_import_options_init (&all_sms);
  all_sms.opt_in_all_sms = TRUE;
  all_sms.opt_in_all_email = TRUE;
  all_sms.person_type = "lead";
  j3 = run (f, "Email\r\nb@example.com\r\nc@example.com\r\n", &all_sms);
  g_assert_cmpuint (pd_import_job_get_row_results (j3)->len, ==, 1);
  p = find (f, PD_FIELD_EMAIL, "b@example.com");
  g_assert_cmpint (pd_persona_get_sms_consent (p), ==, PD_SMS_CONSENT_NONE);
  g_assert_true (pd_persona_get_email_opt_in (p));
  g_assert_null (pd_persona_get_value (p, PD_FIELD_PERSON_TYPE));   /* existing: not set */
  g_clear_object (&p);
  p = find (f, PD_FIELD_EMAIL, "c@example.com");
  g_assert_cmpint (pd_persona_get_sms_consent (p), ==, PD_SMS_CONSENT_OPTED_IN);
  g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_PERSON_TYPE), ==, "lead");
  g_clear_object (&p);

  /* importing as customer promotes the lead; tags */
  {
    PdImportOptions customer;
    const char *tags[] = { "spring", NULL };

    pd_import_options_init (&customer);
    customer.person_type = "customer";
    customer.tags = tags;
    j4 = run (f, "Email\r\nc@example.com\r\n", &customer);
    p = find (f, PD_FIELD_EMAIL, "c@example.com");
    g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_PERSON_TYPE), ==, "customer");
    g_assert_cmpstr (pd_persona_get_tags (p)->pdata[0], ==, "spring");
  }
}

static void
test_contacts_cap (Fixture       *f,
                   gconstpointer  data)
{
  NEED_STORE (f);
  g_autoptr(PdPersona) p = pd_persona_new ();
  g_autoptr(PdImportJob) job = NULL;
  g_autoptr(GError) error = NULL;
  PdImportRowResult *r;

  for (guint i = 0; i < 100; i++)
    {
      char email[32];

      g_snprintf (email, sizeof email, "e%u@example.com", i);
      pd_persona_add_email (p, email);
    }
  g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_MANUAL, &error));
  job = run (f, "Email,Phone\r\ne5@example.com,202-555-0100\r\ne6@example.com,\r\n", NULL);
  g_assert_cmpuint (pd_import_job_get_info (job)->failed, ==, 1);
  g_assert_cmpuint (pd_import_job_get_info (job)->updated, ==, 1);
  r = g_ptr_array_index (pd_import_job_get_row_results (job), 0);
  g_assert_nonnull (strstr (r->reasons->pdata[0], "100"));
}

static void
cancel_on_progress (PdImportJob *job,
                    guint        rows,
                    double       fraction,
                    gpointer     cancellable)
{
  g_cancellable_cancel (cancellable);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  NEED_STORE (f);
  g_autoptr(GString) big = g_string_new ("Email,Phone,Points\r\n");
  g_autoptr(PdImportJob) seed = run (f, "Email,Points\r\nrow7@example.com,3\r\nkeep@example.com,1\r\n", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PdImportJob) job = NULL;
  g_autofree char *before = dump_tables (f);
  g_autofree char *after = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GPtrArray) history = NULL;
  PdImportOptions options;
  PdSourceOptions source = { .n_threads = 1 };

  for (guint i = 0; i < 30000; i++)
    g_string_append_printf (big, "row%u@example.com,,%u\r\n", i, i % 7);
  path = write_file (f, big->str);
  file = g_file_new_for_path (path);
  pd_import_options_init (&options);
  options.accept_terms = TRUE;
  job = pd_import_job_new (f->store, file, &source, &options);
  g_signal_connect (job, "progress-changed", G_CALLBACK (cancel_on_progress), cancellable);
  g_assert_false (pd_import_job_run (job, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (pd_import_job_get_rows_done (job), >, 0);
  g_assert_cmpuint (pd_import_job_get_rows_done (job), <, 30000);

  after = dump_tables (f);
  g_assert_cmpstr (before, ==, after);
  history = pd_store_list_imports (f->store, NULL);
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_cmpint (((PdImportInfo *) history->pdata[0])->status, ==, PD_IMPORT_STATUS_CANCELLED);
}

/* A cancelled dry run leaves no trace either: no "cancelled" entry. */
static void
test_dry_run_cancel (Fixture       *f,
                     gconstpointer  data)
{
  NEED_STORE (f);
  g_autoptr(GString) big = g_string_new ("Email,Points\r\n");
  g_autoptr(PdImportJob) seed = run (f, "Email,Points\r\nrow7@example.com,3\r\n", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PdImportJob) job = NULL;
  g_autofree char *tables = dump_tables (f);
  g_autofree char *history = dump_history (f);
  g_autofree char *tables_after = NULL;
  g_autofree char *history_after = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  PdSourceOptions source = { .n_threads = 1 };

  for (guint i = 0; i < 30000; i++)
    g_string_append_printf (big, "row%u@example.com,%u\r\n", i, i % 7);
  path = write_file (f, big->str);
  file = g_file_new_for_path (path);
  job = pd_import_job_new (f->store, file, &source, NULL);   /* no terms needed */
  pd_import_job_set_dry_run (job, TRUE);
  g_signal_connect (job, "progress-changed", G_CALLBACK (cancel_on_progress), cancellable);
  g_assert_false (pd_import_job_run (job, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  tables_after = dump_tables (f);
  history_after = dump_history (f);
  g_assert_cmpstr (tables, ==, tables_after);
  g_assert_cmpstr (history, ==, history_after);
}

static void
on_async_done (GObject      *object,
               GAsyncResult *result,
               gpointer      data)
{
  gboolean *done = data;
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_import_job_run_finish (PD_IMPORT_JOB (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
count_progress (PdImportJob *job,
                guint        rows,
                double       fraction,
                gpointer     data)
{
  guint *n = data;

  /* delivered on the thread that started the run */
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  (*n)++;
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  NEED_STORE (f);
  g_autofree char *path = write_file (f, "Email\r\na@example.com\r\nb@example.com\r\n");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PdImportJob) job = NULL;
  PdImportOptions options;
  gboolean done = FALSE;
  guint progress = 0;

  pd_import_options_init (&options);
  options.accept_terms = TRUE;
  job = pd_import_job_new (f->store, file, NULL, &options);
  g_signal_connect (job, "progress-changed", G_CALLBACK (count_progress), &progress);
  pd_import_job_run_async (job, NULL, on_async_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (progress, >=, 1);
  g_assert_cmpuint (pd_import_job_get_info (job)->imported, ==, 2);
}

static void
test_terms (Fixture       *f,
            gconstpointer  data)
{
  NEED_STORE (f);
  g_autofree char *path = write_file (f, "Email\r\na@example.com\r\n");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PdImportJob) job = pd_import_job_new (f->store, file, NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (pd_import_job_run (job, NULL, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_TERMS_NOT_ACCEPTED);
}

static void
test_undo (Fixture       *f,
           gconstpointer  data)
{
  NEED_STORE (f);
  g_autoptr(PdImportJob) seed = run (f, "First Name,Email,Phone,Points,City,Tags,attribute:shoe\r\n"
                                        "Ann,ann@example.com,202-555-0143,10,Austin,a,41\r\n"
                                        "Bob,bob@example.com,,,,,\r\n", NULL);
  g_autofree char *before = dump_personas (f);
  g_autofree char *during = NULL;
  g_autofree char *after = NULL;
  g_autoptr(PdImportJob) job = NULL;
  g_autoptr(PdImportJob) later = NULL;
  g_autoptr(GError) error = NULL;
  PdImportOptions replace = with_action ("email", PD_MATCH_ACTION_REPLACE);
  gint64 id;

  job = run (f, "First Name,Email,Phone,Points,City,Tags,attribute:shoe,Opt-in SMS\r\n"
                "Annie,ann@example.com,202-555-0199,5,Boston,b,42,yes\r\n"
                "Cy,cy@example.com,,7,,,,\r\n", &replace);
  id = pd_import_job_get_info (job)->id;
  during = dump_personas (f);
  g_assert_cmpstr (before, !=, during);
  {
    g_autoptr(GArray) audience = pd_store_list_audience (f->store, id, NULL);
    g_assert_cmpuint (audience->len, ==, 2);
  }

  /* a later import touching Ann blocks the undo, and names her (name and
   * email, not a number) */
  later = run (f, "Email,Points\r\nann@example.com,1\r\n", NULL);
  g_assert_false (pd_store_undo_import (f->store, id, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "Annie (ann@example.com)"));
  g_clear_error (&error);
  {
    g_autofree char *blocked = dump_personas (f);
    g_assert_cmpstr (blocked, !=, before);
  }

  /* undoing the later one first makes the first undoable */
  g_assert_true (pd_store_undo_import (f->store, pd_import_job_get_info (later)->id, &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_undo_import (f->store, id, &error));
  g_assert_no_error (error);
  after = dump_personas (f);
  g_assert_cmpstr (before, ==, after);
  {
    g_autoptr(PdImportInfo) info = pd_store_get_import (f->store, id, NULL);
    g_autoptr(PdPersona) ann = find (f, PD_FIELD_EMAIL, "ann@example.com");
    g_autoptr(GPtrArray) ledger = pd_store_list_ledger (f->store, pd_persona_get_id (ann), NULL);

    gint64 sum = 0;

    g_assert_cmpint (info->status, ==, PD_IMPORT_STATUS_UNDONE);
    /* the undone imports' entries stay, each taken back by a reversal */
    g_assert_cmpuint (ledger->len, >, 1);
    g_assert_cmpint (((PdLedgerEntry *) ledger->pdata[0])->source, ==, PD_SOURCE_UNDO);
    g_assert_cmpint (((PdLedgerEntry *) ledger->pdata[0])->import_id, ==, id);
    for (guint i = 0; i < ledger->len; i++)
      sum += ((PdLedgerEntry *) ledger->pdata[i])->delta;
    g_assert_cmpint (sum, ==, pd_persona_get_points (ann));
  }
  /* twice: refused */
  g_assert_false (pd_store_undo_import (f->store, id, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_clear_error (&error);

  /* a manual edit blocks the undo of the seed import */
  {
    g_autoptr(PdPersona) bob = find (f, PD_FIELD_EMAIL, "bob@example.com");

    pd_persona_set_value (bob, PD_FIELD_CITY, "Paris");
    g_assert_true (pd_store_save_persona (f->store, bob, PD_SOURCE_MANUAL, NULL));
    g_assert_false (pd_store_undo_import (f->store, pd_import_job_get_info (seed)->id, &error));
    g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  }
}

/* The first persona whose balance is not its ledger's sum, or NULL. */
static char *
ledger_mismatch (Fixture *f)
{
  static const char * const tables[] = { "(SELECT p.id, p.points, (SELECT coalesce(sum(delta), 0) FROM ledger l "
                                         "WHERE l.persona_id = p.id) AS s FROM personas p) AS m WHERE points <> s",
                                         NULL };
  g_autofree char *rows = dump_some_tables (f, tables);

  return *rows != '\0' ? g_steal_pointer (&rows) : NULL;
}

/* Undo puts every row of a persona back as it was, column for column
 * (sources, search keys, change marks, list positions and scopes), after
 * each action changed single values, lists, tags and attributes, and
 * takes the new personas out of every table. */
static void
test_undo_every_row (Fixture       *f,
                     gconstpointer  data)
{
  NEED_STORE (f);
  /* The ledger is not put back: it keeps the undone import's entries and
   * their reversal (checked below and in test-loyalty). */
  static const char * const persona_tables[] = { "personas", "emails", "phones", "tags", "attributes",
                                                 NULL };
  static const PdMatchAction actions[] = { PD_MATCH_ACTION_MERGE, PD_MATCH_ACTION_APPEND,
                                           PD_MATCH_ACTION_REPLACE, PD_MATCH_ACTION_UPDATE };
  g_autoptr(PdImportJob) seed = run (f, "First Name,Last Name,Email,Phone,Points,City,Tags,attribute:shoe\r\n"
                                        "Ann,Lee,\"ann@example.com, ann2@example.com\",202-555-0143,10,,\"a, b\",41\r\n"
                                        "Bob,,bob@example.com,\"202-555-0150, 202-555-0151\",,Austin,,\r\n"
                                        "Cat,Sun,cat@example.com,,3,Paris,c,\r\n", NULL);

  for (guint a = 0; a < G_N_ELEMENTS (actions); a++)
    {
      PdImportOptions options = with_action ("email,phone", actions[a]);
      g_autofree char *before = dump_some_tables (f, persona_tables);
      g_autofree char *during = NULL, *after = NULL;
      g_autoptr(PdImportJob) job = NULL;
      g_autoptr(GError) error = NULL;

      job = run (f, "First Name,Last Name,Email,Phone,Points,City,Tags,attribute:shoe,attribute:hat\r\n"
                    "Annie,Li,\"ann@example.com, ann3@example.com\",202-555-0199,5,Boston,\"b, z\",42,M\r\n"
                    "Bobby,Ray,,202-555-0151,-2,,y,,L\r\n"
                    "Dee,,dee@example.com,202-555-0177,7,Rome,d,38,\r\n", &options);
      g_assert_cmpuint (pd_import_job_get_info (job)->imported, ==, 1);
      g_assert_cmpuint (pd_import_job_get_info (job)->updated, ==, 2);
      during = dump_some_tables (f, persona_tables);
      g_assert_cmpstr (during, !=, before);

      g_assert_true (pd_store_undo_import (f->store, pd_import_job_get_info (job)->id, &error));
      g_assert_no_error (error);
      after = dump_some_tables (f, persona_tables);
      g_assert_cmpstr (after, ==, before);
      g_assert_cmpstr (ledger_mismatch (f), ==, NULL);
    }

  /* A persona merged into one the import created blocks the undo (the
   * foreign keys, off during an undo, would have refused the delete). */
  {
    g_autoptr(PdImportJob) job = run (f, "Email\r\nnew@example.com\r\n", NULL);
    g_autoptr(PdPersona) created = find (f, PD_FIELD_EMAIL, "new@example.com");
    g_autoptr(PdPersona) cat = find (f, PD_FIELD_EMAIL, "cat@example.com");
    g_autofree char *sql = g_strdup_printf ("UPDATE personas SET merged_into = %" G_GINT64_FORMAT
                                            " WHERE id = %" G_GINT64_FORMAT,
                                            pd_persona_get_id (created), pd_persona_get_id (cat));
    g_autoptr(GError) error = NULL;

    if (f->backend == BACKEND_PG)
      pd_test_pg_exec (f->db, sql);
    else
      {
        sqlite3 *db;

        g_assert_cmpint (sqlite3_open_v2 (f->db, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                          pd_sqlite_vfs_register ()), ==, SQLITE_OK);
        g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
        sqlite3_close (db);
      }
    g_assert_false (pd_store_undo_import (f->store, pd_import_job_get_info (job)->id, &error));
    g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
    g_assert_nonnull (strstr (error->message, "Cat Sun (cat@example.com)"));
    g_clear_object (&created);
    created = find (f, PD_FIELD_EMAIL, "new@example.com");
    g_assert_nonnull (created);
  }
}

static void
record_fraction (double   fraction,
                 gpointer data)
{
  g_array_append_val ((GArray *) data, fraction);
}

/* An undo says how far it is: from the start to 1, never back, with
 * steps in between for a big import. */
static void
test_undo_progress (Fixture       *f,
                    gconstpointer  data)
{
  NEED_STORE (f);
  g_autoptr(GString) seed = g_string_new ("Email,Points\r\n");
  g_autoptr(GString) text = g_string_new ("Email,Points\r\n");
  g_autoptr(PdImportJob) first = NULL;
  g_autoptr(PdImportJob) job = NULL;
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 6000; i++)
    g_string_append_printf (seed, "old%u@example.com,1\r\n", i);
  first = run (f, seed->str, NULL);
  /* 6,000 personas updated, 2,000 new */
  for (guint i = 0; i < 8000; i++)
    g_string_append_printf (text, "%s%u@example.com,2\r\n", i < 6000 ? "old" : "new", i);
  job = run (f, text->str, NULL);

  g_assert_true (pd_store_undo_import_with_progress (f->store, pd_import_job_get_info (job)->id,
                                                     record_fraction, fractions, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fractions->len, >=, 3);
  g_assert_cmpfloat_with_epsilon (g_array_index (fractions, double, 0), 2000.0 / 8000, 1e-9);
  for (guint i = 1; i < fractions->len; i++)
    g_assert_cmpfloat (g_array_index (fractions, double, i), >=, g_array_index (fractions, double, i - 1));
  g_assert_cmpfloat (g_array_index (fractions, double, fractions->len - 1), ==, 1.0);
}

static void
test_history_and_report (Fixture       *f,
                         gconstpointer  data)
{
  NEED_STORE (f);
  const char contents[] = "First Name,Email,Phone,City\r\n"
                          /* quoted as CSV wants it: a bare quote inside a
                           * value would warn the row (issue 20) */
                          "Ann,ann@example.com,202-555-0143,\"=HYPERLINK(\"\"x\"\")\"\r\n"
                          "Bad,bob@,123,\r\n"
                          "Ann again,ann@example.com,,\r\n";
  PdImportOptions ignore = with_action ("email", PD_MATCH_ACTION_IGNORE);
  g_autoptr(PdImportJob) job = run (f, contents, &ignore);
  const PdImportInfo *info = pd_import_job_get_info (job);
  g_autofree char *download = g_build_filename (f->dir, "download.csv", NULL);
  g_autofree char *report = g_build_filename (f->dir, "report.csv", NULL);
  g_autofree char *summary_path = pd_report_dup_summary_path (report);
  g_autofree char *xlsx = g_build_filename (f->dir, "report.xlsx", NULL);
  g_autofree char *text = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(GFile) out_file = g_file_new_for_path (download);
  g_autoptr(GFileOutputStream) out = g_file_replace (out_file, NULL, FALSE, 0, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = NULL;
  gsize len;

  g_assert_cmpuint (info->imported, ==, 1);
  g_assert_cmpuint (info->failed, ==, 1);
  g_assert_cmpuint (info->ignored, ==, 1);

  /* byte-identical download */
  g_assert_true (pd_store_write_import_file (f->store, info->id, G_OUTPUT_STREAM (out), NULL, &error));
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL));
  g_assert_true (g_file_get_contents (download, &text, &len, NULL));
  g_assert_cmpuint (len, ==, strlen (contents));
  g_assert_cmpmem (text, len, contents, strlen (contents));
  g_clear_pointer (&text, g_free);

  history = pd_store_list_imports (f->store, NULL);
  g_assert_cmpuint (history->len, ==, 1);
  g_assert_cmpstr (((PdImportInfo *) history->pdata[0])->user, ==, g_get_user_name ());
  g_assert_nonnull (((PdImportInfo *) history->pdata[0])->mapping_json);

  /* the report: the failed and the ignored rows with their cells */
  g_assert_true (pd_report_write (report, pd_import_job_get_header_row (job), info,
                                  pd_import_job_get_row_results (job), &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (report, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "First Name,Email,Phone,City,Import row,Import outcome,Import reason,"
                                         "Matched persona ID\r\n"));
  g_assert_nonnull (strstr (text, "\r\nBad,bob@,123,,3,failed,"));
  g_assert_nonnull (strstr (text, "\r\nAnn again,ann@example.com,,,4,ignored,Ignored — duplicate found,1\r\n"));
  g_assert_null (strstr (text, "HYPERLINK"));   /* the imported row is not in the report */
  /* the streaming writer writes the same */
  {
    g_autofree char *report2 = g_build_filename (f->dir, "report2.csv", NULL);
    g_autofree char *text2 = NULL;

    g_assert_true (pd_report_write_job (report2, job, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (report2, &text2, NULL, NULL));
    g_assert_cmpstr (text, ==, text2);
  }
  /* and the store kept what it takes to write it again for this past
   * import, from another connection (as after a restart): same report,
   * same summary, and the XLSX too */
  {
    g_autofree char *report3 = g_build_filename (f->dir, "report3.csv", NULL);
    g_autofree char *summary3_path = pd_report_dup_summary_path (report3);
    g_autofree char *xlsx3 = g_build_filename (f->dir, "report3.xlsx", NULL);
    g_autofree char *text3 = NULL, *summary1 = NULL, *summary3 = NULL, *xlsx_text = NULL;
    g_autoptr(PdStore) reopened = pd_store_open (f->db, &error);
    gsize xlsx_len = 0;

    g_assert_no_error (error);
    g_assert_true (pd_report_write_stored (report3, reopened, info->id, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (report3, &text3, NULL, NULL));
    g_assert_cmpstr (text, ==, text3);
    g_assert_true (g_file_get_contents (summary_path, &summary1, NULL, NULL));
    g_assert_true (g_file_get_contents (summary3_path, &summary3, NULL, NULL));
    g_assert_cmpstr (summary1, ==, summary3);
    g_assert_true (pd_report_write_stored (xlsx3, reopened, info->id, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (xlsx3, &xlsx_text, &xlsx_len, NULL));
    g_assert_cmpuint (xlsx_len, >, 100);
    g_assert_cmpmem (xlsx_text, 2, "PK", 2);
  }
  g_assert_true (g_file_get_contents (summary_path, &summary, NULL, NULL));
  g_assert_nonnull (strstr (summary, "Total rows,3\r\n"));
  g_assert_nonnull (strstr (summary, "Failed,1\r\n"));

  /* the report imports again as is: the fixed row goes in */
  {
    g_autofree char *fixed = NULL;
    g_autoptr(PdImportJob) again = NULL;
    char *bad = strstr (text, "bob@,123");

    g_assert_nonnull (bad);
    fixed = g_strdup (text);
    memcpy (fixed + (bad - text), "bob@x.co,456", strlen ("bob@x.co,456"));
    again = run (f, fixed, NULL);
    g_assert_cmpuint (pd_import_job_get_info (again)->total, ==, 2);
    /* 456 is still too short: left out, warned, the customer kept by the
     * email */
    g_assert_cmpuint (pd_import_job_get_info (again)->failed, ==, 0);
    g_assert_cmpuint (pd_import_job_get_info (again)->imported, ==, 1);
    g_assert_cmpuint (pd_import_job_get_n_warning_rows (again), ==, 1);
  }

  g_assert_true (pd_report_write (xlsx, pd_import_job_get_header_row (job), info,
                                  pd_import_job_get_row_results (job), &error));
  g_assert_no_error (error);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (xlsx, &text, &len, NULL));
  g_assert_cmpuint (len, >, 100);
  g_assert_cmpmem (text, 2, "PK", 2);

  /* the mapping is remembered for the header row */
  {
    const char *headers[] = { "First Name", "Email", "Phone", "City" };
    g_autofree char *signature = pd_mapping_compute_signature (headers, 4);
    g_autofree char *preset = pd_store_lookup_preset (f->store, signature, &error);
    g_autofree char *other = pd_store_lookup_preset (f->store, "no such headers", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (preset, ==, info->mapping_json);
    g_assert_null (other);
  }

  /* delete: record and file gone, personas stay */
  g_assert_true (pd_store_delete_import (f->store, info->id, &error));
  g_assert_null (pd_store_get_import (f->store, info->id, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (pd_report_write_stored (report, f->store, info->id, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_NOT_FOUND);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM import_results WHERE import_id = %"
                                            G_GINT64_FORMAT, info->id);
    g_autoptr(GString) count = g_string_new (NULL);

    /* its kept results went with it */
    dump_query (f, sql, count);
    g_assert_cmpstr (count->str, ==, "0|\n");
  }
  g_clear_object (&out);
  {
    g_autoptr(PdPersona) ann = find (f, PD_FIELD_EMAIL, "ann@example.com");
    g_assert_nonnull (ann);
  }
}

static void
test_preset (Fixture       *f,
             gconstpointer  data)
{
  NEED_STORE (f);
  const char *map[] = { "Courriel=email", NULL };
  PdSourceOptions mapped = { .n_threads = 1, .map = map };
  PdImportOptions options;
  g_autofree char *p1 = write_file (f, "Courriel,Nom\r\na@example.com,A\r\n");
  g_autofree char *p2 = write_file (f, "Courriel,Nom\r\nb@example.com,B\r\n");
  g_autoptr(GFile) f1 = g_file_new_for_path (p1);
  g_autoptr(GFile) f2 = g_file_new_for_path (p2);
  g_autoptr(PdImportJob) j1 = NULL;
  g_autoptr(PdImportJob) j2 = NULL;
  g_autoptr(GError) error = NULL;

  pd_import_options_init (&options);
  options.accept_terms = TRUE;
  j1 = pd_import_job_new (f->store, f1, &mapped, &options);
  g_assert_true (pd_import_job_run (j1, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (pd_import_job_get_preset_applied (j1));

  /* same headers, no --map: the remembered mapping is used */
  j2 = pd_import_job_new (f->store, f2, NULL, &options);
  g_assert_true (pd_import_job_run (j2, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pd_import_job_get_preset_applied (j2));
  g_assert_cmpuint (pd_import_job_get_info (j2)->imported, ==, 1);
  g_assert_cmpint (pd_store_find_persona (f->store, PD_FIELD_EMAIL, "b@example.com", NULL), >, 0);
}

static void
test_neutralize (void)
{
  const struct { const char *in, *out; } cases[] = {
    { "=1+2", "'=1+2" }, { "+cmd", "'+cmd" }, { "-x", "'-x" }, { "@SUM(A1)", "'@SUM(A1)" },
    { "\tx", "'\tx" }, { "\rx", "'\rx" }, { "-5", NULL }, { "+12025550143", NULL },
    { "-1.5", NULL }, { "+1 (202) 555-0143", "'+1 (202) 555-0143" },
    { "+1+2", "'+1+2" }, { "-10+20", "'-10+20" }, { "-1.2.3", "'-1.2.3" }, { "+.", "'+." },
    { "Ann", NULL }, { "", NULL }, { "=", "'=" }, { "-", "'-" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = pd_spreadsheet_neutralize (cases[i].in);
      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

static void
check_spilled_row (PdImportRowResult *result,
                   gpointer           data)
{
  guint *n = data;
  g_autofree char *name = g_strdup_printf ("Name%u", *n);

  g_assert_cmpuint (result->row, ==, *n + 2);
  g_assert_cmpstr (result->source->cells[1], ==, name);
  (*n)++;
}

/* The rows kept for the report (a temporary file once there are many)
 * leave no file behind with customers' data in it, whatever becomes of
 * the process, and are still read back, twice over. */
static void
test_results_leave_no_file (Fixture       *f,
                            gconstpointer  data)
{
  NEED_STORE (f);
  g_autoptr(GString) text = g_string_new ("Email,First Name\r\n");
  g_autoptr(PdImportJob) job = NULL;
  g_autoptr(GDir) tmp = NULL;
  const char *name;

  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (text, "broken%u@@example.com,Name%u\r\n", i, i);
  job = run (f, text->str, NULL);
  g_assert_cmpuint (pd_import_job_get_info (job)->failed, ==, 3000);

  tmp = g_dir_open (g_get_tmp_dir (), 0, NULL);
  g_assert_nonnull (tmp);
  while ((name = g_dir_read_name (tmp)) != NULL)
    g_assert_false (g_str_has_prefix (name, "persona-desk-results-"));

  for (guint round = 0; round < 2; round++)
    {
      guint n = 0;
      g_autoptr(GError) error = NULL;

      g_assert_true (pd_import_job_foreach_row_result (job, check_spilled_row, &n, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (n, ==, 3000);
    }
}

int
main (int    argc,
      char **argv)
{
  /* A folder of our own for temporary files, to see what is left there. */
  g_autofree char *tmp = g_strdup ("/tmp/pd-test-import-XXXXXX");
  int ret;

  g_assert_nonnull (g_mkdtemp (tmp));
  g_setenv ("TMPDIR", tmp, TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) G_STMT_START {                                              \
    g_autofree char *path = g_strdup_printf ("/import/%s%s", b == 0 ? "" : "pg/", name); \
    g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down);     \
  } G_STMT_END
  /* SQLite's cases keep their names (/import/…); PostgreSQL's are /import/pg/… */
  for (guint b = 0; b < 2; b++)
    {
      const Backend *data = b == 0 ? &sqlite_backend : &pg_backend;

      ADD ("actions-by-key", test_actions_by_key);
      ADD ("in-file-duplicates", test_in_file_duplicates);
      ADD ("lookups-see-earlier-rows", test_lookups_see_earlier_rows);
      ADD ("two-personas", test_two_personas);
      ADD ("dry-run", test_dry_run);
      ADD ("dry-run-cap", test_dry_run_cap);
      ADD ("dry-run-cancel", test_dry_run_cancel);
      ADD ("row-overrides", test_row_overrides);
      ADD ("sms-opt-in-request", test_sms_opt_in_request);
      ADD ("rules", test_rules);
      ADD ("contacts-cap", test_contacts_cap);
      ADD ("cancel", test_cancel);
      ADD ("async", test_async);
      ADD ("terms", test_terms);
      ADD ("undo", test_undo);
      ADD ("undo-every-row", test_undo_every_row);
      ADD ("undo-progress", test_undo_progress);
      ADD ("history-and-report", test_history_and_report);
      ADD ("preset", test_preset);
      ADD ("results-leave-no-file", test_results_leave_no_file);
    }
#undef ADD
  g_test_add_func ("/import/neutralize", test_neutralize);

  ret = g_test_run ();
  g_rmdir (tmp);
  return ret;
}
