/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Privacy (issue 16): the blocklist hides a persona everywhere and refuses
 * its contacts; forget erases every copy, down to the bytes of every file
 * under the data folder.  The same cases on PostgreSQL (/privacy/pg/…):
 * there, every row of every table is searched, and what the server's
 * files still hold after the VACUUM is measured. */
#include "config.h"

#include <string.h>

#include "pd-error.h"
#include "pd-import-job.h"
#include "pd-pg-store.h"
#include "pd-permission.h"
#include "pd-privacy-forget.h"
#include "pd-sqlite-store.h"
#include "pd-store-batch.h"
#include "pd-store-merge.h"
#include "pd-temp.h"
#include "pd-test-cli.h"
#include "pd-test-pg.h"

/* The app's data folder holds the database only; the files imported
 * come from the user's folder beside it.  On PostgreSQL, db is the URI. */
typedef struct {
  char    *dir;
  char    *data;
  char    *db;
  gboolean pg;
  PdStore *store;
  guint    n_files;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("pd-privacy-XXXXXX", &error);
  g_assert_no_error (error);
  f->data = g_build_filename (f->dir, "data", NULL);
  f->db = g_build_filename (f->data, "personas.db", NULL);
  f->store = (PdStore *) pd_sqlite_store_new (f->db, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up_pg (Fixture       *f,
                   gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("pd-privacy-XXXXXX", &error);
  g_assert_no_error (error);
  f->data = g_build_filename (f->dir, "data", NULL);
  f->pg = TRUE;
  f->db = pd_test_pg_new_database ();
  if (f->db == NULL)
    return;
  f->store = (PdStore *) pd_pg_store_new (f->db, &error);
  g_assert_no_error (error);
}

typedef void (*FixtureFunc) (Fixture *f, gconstpointer data);

static void
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

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  unused)
{
  g_clear_object (&f->store);
  if (f->pg && f->db != NULL)
    pd_test_pg_drop_database (f->db);
  pd_temp_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->data);
  g_free (f->db);
}

static const PdImportInfo *
import (Fixture     *f,
        const char  *contents,
        PdImportJob **job_out)
{
  g_autofree char *name = g_strdup_printf ("customers%u.csv", ++f->n_files);
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  PdSourceOptions source = { .n_threads = 1 };
  PdImportOptions options;
  PdImportJob *job;

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  pd_import_options_init (&options);
  options.accept_terms = TRUE;
  options.same_file = PD_SAME_FILE_IMPORT_ANYWAY;
  job = pd_import_job_new (f->store, file, &source, &options);
  pd_import_job_run (job, NULL, &error);
  g_assert_no_error (error);
  *job_out = job;
  return pd_import_job_get_info (job);
}

static const char alice_and_bob[] =
  "First Name,Last Name,Email,Phone,Points\n"
  "Alice,Zephyrine,alice.zeph@example.org,(202) 555-0143,10\n"
  "Bob,Quillfeather,bob.quill@example.org,202-555-0199,5\n";

static guint
count (PdStore       *store,
       PdPersonaView  view,
       const char    *search)
{
  PdPersonaQuery query = { .view = view, .search = search };
  g_autoptr(GError) error = NULL;
  guint n = pd_store_count_personas (store, &query, &error);
  g_autoptr(GPtrArray) page = pd_store_list_personas (store, &query, 0, 100, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, n);
  return n;
}

static int
run_cli_err (const char  *db,
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

#define run_cli(db, out, ...) run_cli_err (db, out, NULL, __VA_ARGS__)

static gboolean
check_result_row (const PdImportResultRecord *record,
                  gpointer                    user_data)
{
  GPtrArray *rows = user_data;
  g_autofree char *cells = record->n_cells > 0 ? g_strjoinv (",", (char **) record->cells) : g_strdup ("");

  g_ptr_array_add (rows, g_strdup_printf ("%u|%s|%" G_GINT64_FORMAT "|%s|%s", record->row,
                                          record->outcome != NULL ? record->outcome : "",
                                          record->persona_id,
                                          record->reasons != NULL && record->reasons[0] != NULL ? record->reasons[0] : "",
                                          cells));
  return TRUE;
}

/* A blocklisted phone hides the persona found by its email in the list,
 * search (merge: too), count, export, audience, reports and status. */
static void
test_blocklist_hides (Fixture       *f,
                      gconstpointer  unused)
{
  g_autoptr(PdImportJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) audience = NULL;
  g_autoptr(GPtrArray) ledger = NULL;
  g_autofree char *out = NULL;
  PdActor staff = { PD_SOURCE_MANUAL, "sam", PD_ROLE_STAFF };
  PdLoyaltyStatus status;
  gint64 import_id = import (f, alice_and_bob, &job)->id;
  gint64 alice = pd_store_find_persona (f->store, PD_FIELD_EMAIL, "alice.zeph@example.org", &error);
  guint n = 0;

  g_assert_cmpint (alice, >, 0);
  g_assert_cmpuint (count (f->store, PD_PERSONA_VIEW_ACTIVE, NULL), ==, 2);

  /* the owner only */
  g_assert_false (pd_store_blocklist_add (f->store, &staff, 0, PD_FIELD_PHONE, "+12025550143", &n, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
  g_clear_error (&error);

  g_assert_true (pd_store_blocklist_add (f->store, NULL, 0, PD_FIELD_PHONE, "+12025550143", &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);

  g_assert_cmpuint (count (f->store, PD_PERSONA_VIEW_ACTIVE, NULL), ==, 1);
  g_assert_cmpuint (count (f->store, PD_PERSONA_VIEW_ARCHIVED, NULL), ==, 0);
  g_assert_cmpuint (count (f->store, PD_PERSONA_VIEW_ACTIVE, "alice.zeph@example.org"), ==, 0);
  g_assert_cmpuint (count (f->store, PD_PERSONA_VIEW_ACTIVE, "Zephyrine"), ==, 0);
  g_assert_cmpuint (count (f->store, PD_PERSONA_VIEW_ACTIVE, "merge:alice.zeph@example.org"), ==, 0);
  g_assert_cmpuint (count (f->store, PD_PERSONA_VIEW_ACTIVE, "bob.quill@example.org"), ==, 1);
  g_assert_cmpint (pd_store_find_persona (f->store, PD_FIELD_EMAIL, "alice.zeph@example.org", &error), ==, 0);
  g_assert_no_error (error);

  /* the import's audience and the points report */
  audience = pd_store_list_audience (f->store, import_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (audience->len, ==, 1);
  g_assert_cmpint (g_array_index (audience, gint64, 0), !=, alice);
  ledger = pd_store_list_ledger_since (f->store, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < ledger->len; i++)
    g_assert_cmpint (((PdLedgerEntry *) g_ptr_array_index (ledger, i))->persona_id, !=, alice);

  /* loyalty-status by either contact */
  g_assert_true (pd_store_get_loyalty_status (f->store, PD_FIELD_EMAIL, "alice.zeph@example.org", &status, &error));
  g_assert_false (status.known);
  g_assert_true (pd_store_get_loyalty_status (f->store, PD_FIELD_PHONE, "+12025550143", &status, &error));
  g_assert_false (status.known);

  /* export, through the CLI */
  if (g_getenv ("PD_CLI") != NULL)
    {
      g_clear_object (&f->store);
      g_assert_cmpint (run_cli (f->db, &out, "export", NULL), ==, 0);
      g_assert_null (strstr (out, "alice"));
      g_assert_nonnull (strstr (out, "bob.quill@example.org"));
      f->store = pd_store_open (f->db, &error);
      g_assert_no_error (error);
    }

  /* what an import pays per email and phone (HACKING.md) */
  {
    gint64 start = g_get_monotonic_time ();
    gboolean blocked;

    for (guint i = 0; i < 20000; i++)
      g_assert_true (pd_store_blocklist_contains (f->store, PD_FIELD_EMAIL, "someone@example.org", &blocked, NULL));
    g_test_message ("blocklist look-up: %.2f us", (g_get_monotonic_time () - start) / 20000.0);
  }

  /* remove: shown again */
  g_assert_true (pd_store_blocklist_remove (f->store, NULL, 0, PD_FIELD_PHONE, "+12025550143", &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (count (f->store, PD_PERSONA_VIEW_ACTIVE, "alice.zeph@example.org"), ==, 1);
}

/* An import row with a blocklisted email is not imported and says nothing
 * of the persona; creating one and opting it in are refused alike. */
static void
test_import_refused (Fixture       *f,
                     gconstpointer  unused)
{
  g_autoptr(PdImportJob) first = NULL;
  g_autoptr(PdImportJob) second = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPersona) persona = pd_persona_new ();
  PdConsentChange change;
  PdActor owner = { PD_SOURCE_MANUAL, "olga", PD_ROLE_OWNER };
  const PdImportInfo *info;
  guint n;

  import (f, alice_and_bob, &first);
  g_assert_true (pd_store_blocklist_add (f->store, NULL, 0, PD_FIELD_EMAIL, "alice.zeph@example.org", &n, &error));
  g_assert_no_error (error);

  /* the Analyze step's dry run says the same */
  {
    g_autofree char *path = g_build_filename (f->dir, "dry.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(PdImportJob) dry = NULL;
    PdSourceOptions source = { .n_threads = 1 };
    PdImportOptions options;

    g_assert_true (g_file_set_contents (path, "Email,First Name\nalice.zeph@example.org,Alicia\n", -1, NULL));
    pd_import_options_init (&options);
    options.accept_terms = TRUE;
    dry = pd_import_job_new (f->store, file, &source, &options);
    pd_import_job_set_dry_run (dry, TRUE);
    pd_import_job_run (dry, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (pd_import_job_get_info (dry)->ignored, ==, 1);
    g_assert_cmpuint (pd_import_job_get_info (dry)->updated, ==, 0);
  }

  info = import (f, "Email,First Name,Points\nALICE.ZEPH@example.org,Alicia,99\ncarol@example.org,Carol,1\n",
                 &second);
  g_assert_cmpuint (info->imported, ==, 1);
  g_assert_cmpuint (info->updated, ==, 0);
  g_assert_cmpuint (info->ignored, ==, 1);
  g_assert_true (pd_store_foreach_import_result (f->store, info->id, check_result_row, rows, &error));
  g_assert_no_error (error);
  /* the header, then row 2: no persona, no cells, the privacy reason */
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (rows, 1), ==, "2|ignored|0|Ignored — cannot be imported (privacy)|");
  g_assert_cmpuint (count (f->store, PD_PERSONA_VIEW_ACTIVE, "Alicia"), ==, 0);

  pd_persona_add_email (persona, "alice.zeph@example.org");
  g_assert_false (pd_store_save_persona (f->store, persona, PD_SOURCE_MANUAL, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PRIVACY);
  g_clear_error (&error);
  g_assert_false (pd_store_email_opt_in (f->store, "alice.zeph@example.org", &owner, &change, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PRIVACY);
  g_assert_null (strstr (error->message, "Zephyrine"));
}

/* Every regular file under @dir, its bytes searched for each needle. */
static void
assert_absent (const char          *dir,
               const char * const  *needles)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *data = NULL;
      gsize size;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          assert_absent (path, needles);
          continue;
        }
      g_assert_true (g_file_get_contents (path, &data, &size, NULL));
      for (guint i = 0; needles[i] != NULL; i++)
        if (memmem (data, size, needles[i], strlen (needles[i])) != NULL)
          g_error ("%s: still holds \"%s\"", path, needles[i]);
    }
}

/* PostgreSQL: every row of every table of the database, as text (kept
 * files' bytes escaped: an ASCII needle stays whole). */
static void
assert_absent_pg (const char          *uri,
                  const char * const  *needles)
{
  PGconn *conn = pd_test_pg_connect (uri);
  PGresult *tables = PQexec (conn, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'");

  g_assert_cmpint (PQresultStatus (tables), ==, PGRES_TUPLES_OK);
  for (int t = 0; t < PQntuples (tables); t++)
    {
      const char *table = PQgetvalue (tables, t, 0);
      g_autofree char *sql = g_str_equal (table, "import_files")
        ? g_strdup ("SELECT encode(data, 'escape') FROM import_files")
        : g_strdup_printf ("SELECT x::text FROM %s x", table);
      PGresult *rows = PQexec (conn, sql);

      g_assert_cmpint (PQresultStatus (rows), ==, PGRES_TUPLES_OK);
      for (int r = 0; r < PQntuples (rows); r++)
        for (guint i = 0; needles[i] != NULL; i++)
          if (strstr (PQgetvalue (rows, r, 0), needles[i]) != NULL)
            g_error ("table %s: still holds \"%s\": %s", table, needles[i], PQgetvalue (rows, r, 0));
      PQclear (rows);
    }
  PQclear (tables);
  PQfinish (conn);
}

/* PostgreSQL: no file of the database's tables, their TOAST and indexes
 * holds a needle after the erasure's VACUUM (FULL) and a checkpoint (a
 * plain VACUUM left the bytes of removed rows in 3 to 11 of them).  The
 * write-ahead log's segments are only counted: the server keeps them and
 * reuses them, which the app cannot change (HACKING.md).  Needs to read
 * the server's files (the tests run as root or as the server's user). */
static void
measure_disk_pg (const char          *uri,
                 const char * const  *needles)
{
  PGconn *conn = pd_test_pg_connect (uri);
  PGresult *result = PQexec (conn, "CHECKPOINT");
  g_autofree char *data_dir = NULL;
  guint n_files = 0, n_holding = 0;
  GString *holding = g_string_new (NULL);

  PQclear (result);
  result = PQexec (conn, "SELECT current_setting('data_directory'), pg_relation_filepath(c.oid), c.relname "
                         "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                         "WHERE (n.nspname = 'public' OR n.nspname = 'pg_toast') AND c.relkind IN ('r', 'i', 't') "
                         "AND pg_relation_filepath(c.oid) IS NOT NULL");
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    {
      g_test_message ("cannot list the database's files: %s", PQresultErrorMessage (result));
      PQclear (result);
      PQfinish (conn);
      return;
    }
  for (int r = 0; r < PQntuples (result); r++)
    {
      g_autofree char *path = g_build_filename (PQgetvalue (result, r, 0), PQgetvalue (result, r, 1), NULL);
      g_autofree char *bytes = NULL;
      gsize size;

      if (!g_file_get_contents (path, &bytes, &size, NULL))
        continue;
      n_files++;
      for (guint i = 0; needles[i] != NULL; i++)
        if (memmem (bytes, size, needles[i], strlen (needles[i])) != NULL)
          {
            n_holding++;
            g_string_append_printf (holding, " %s(\"%s\")", PQgetvalue (result, r, 2), needles[i]);
            break;
          }
    }
  if (PQntuples (result) > 0)
    data_dir = g_build_filename (PQgetvalue (result, 0, 0), "pg_wal", NULL);
  g_test_message ("after VACUUM: %u of %u table, TOAST and index files still hold erased values:%s",
                  n_holding, n_files, holding->str);
  if (n_files > 0 && n_holding > 0)
    {
      /* who could still see the rows when they were rewritten */
      PGresult *sessions = PQexec (conn, "SELECT string_agg(coalesce(backend_type, '') || ':' || "
                                         "coalesce(state, '') || ':' || coalesce(backend_xmin::text, '-') || ':' || "
                                         "left(coalesce(query, ''), 60), ' | ') FROM pg_stat_activity "
                                         "WHERE datname = current_database()");

      g_error ("files still hold erased values:%s (sessions now: %s)", holding->str,
               PQresultStatus (sessions) == PGRES_TUPLES_OK ? PQgetvalue (sessions, 0, 0) : "?");
    }
  if (data_dir != NULL)
    {
      g_autoptr(GDir) wal = g_dir_open (data_dir, 0, NULL);
      const char *name;
      guint n_wal = 0;

      while (wal != NULL && (name = g_dir_read_name (wal)) != NULL)
        {
          g_autofree char *path = g_build_filename (data_dir, name, NULL);
          g_autofree char *bytes = NULL;
          gsize size;

          if (g_file_get_contents (path, &bytes, &size, NULL))
            for (guint i = 0; needles[i] != NULL; i++)
              if (memmem (bytes, size, needles[i], strlen (needles[i])) != NULL)
                {
                  n_wal++;
                  break;
                }
        }
      g_test_message ("write-ahead log segments holding erased values: %u", n_wal);
    }
  g_string_free (holding, TRUE);
  PQclear (result);
  PQfinish (conn);
}

static void
assert_gone (Fixture             *f,
             const char * const  *needles)
{
  if (!f->pg)
    {
      assert_absent (f->data, needles);
      return;
    }
  assert_absent_pg (f->db, needles);
  measure_disk_pg (f->db, needles);
}

/* In the database or its write-ahead log: the grep would see it. */
static void
assert_present (const char *db,
                const char *needle)
{
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  const char *paths[] = { db, wal };
  gboolean found = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *data = NULL;
      gsize size;

      if (g_file_get_contents (paths[i], &data, &size, NULL))
        found |= memmem (data, size, needle, strlen (needle)) != NULL;
    }
  g_assert_true (found);
}

static void
test_forget (Fixture       *f,
             gconstpointer  unused)
{
  g_autoptr(PdImportJob) first = NULL;
  g_autoptr(PdImportJob) second = NULL;
  g_autoptr(PdImportJob) third = NULL;
  g_autoptr(PdStore) app = NULL;
  g_autoptr(PdImportInfo) kept = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autofree char *wal = f->pg ? NULL : g_strconcat (f->db, "-wal", NULL);
  const char * const emails[] = { "alice.zeph@example.org", NULL };
  const char * const needles[] = { "alice.zeph", "Zephyrine", "2025550143", "555-0143", "555 0143",
                                   "zeph.two", "2025550177", NULL };
  const char * const contact_only[] = { "+12025550177", NULL };
  PdActor staff = { PD_SOURCE_MANUAL, "sam", PD_ROLE_STAFF };
  PdActor manager = { PD_SOURCE_MANUAL, "max", PD_ROLE_MANAGER };
  PdActor owner = { PD_SOURCE_MANUAL, "olga", PD_ROLE_OWNER };
  PdConsentChange change;
  PdForgetResult result;
  PdPersonaQuery query = { .view = PD_PERSONA_VIEW_ACTIVE };
  gint64 first_id, second_id, alice;
  gint64 balance;

  first_id = import (f, alice_and_bob, &first)->id;
  alice = pd_store_find_persona (f->store, PD_FIELD_EMAIL, "alice.zeph@example.org", &error);
  /* copies in the ledger, the audit log, the email opt-outs, the outbox,
   * another import's file and its report (a failed row) */
  g_assert_true (pd_store_adjust_points_as (f->store, alice, 3, "birthday of Alice Zephyrine", &owner, &balance, &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_sms_opt_in (f->store, "+12025550143", PD_SMS_OPT_IN_DOUBLE, &owner, &change, &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_email_decline (f->store, "alice.zeph@example.org", &owner, &change, &error));
  g_assert_no_error (error);
  second_id = import (f, "Email,Phone,Points,Birth Date\n"
                         "alice.zeph@example.org,+1 202 555 0143,4,\n"
                         "bob.quill@example.org,,1,\n"
                         "Alice.Zeph@Example.org,,lots,\n", &second)->id;

  /* a second profile of hers, merged into the first: the merge keeps
   * both as they were, to unmerge them */
  {
    g_autoptr(PdPersona) two = pd_persona_new ();
    g_autoptr(PdMergePlan) plan = NULL;
    gint64 ids[2] = { alice, 0 };

    pd_persona_set_value (two, PD_FIELD_FIRST_NAME, "Zephyrine");
    pd_persona_add_email (two, "zeph.two@example.org");
    g_assert_true (pd_store_save_persona (f->store, two, PD_SOURCE_MANUAL, &error));
    g_assert_no_error (error);
    ids[1] = pd_persona_get_id (two);
    plan = pd_store_plan_merge (f->store, ids, 2, &error);
    g_assert_no_error (error);
    g_assert_true (pd_store_merge_personas (f->store, plan, &owner, NULL, &error));
    g_assert_no_error (error);
  }
  /* a number opted in without a persona: the audit log names it */
  g_assert_true (pd_store_sms_opt_in (f->store, contact_only[0], PD_SMS_OPT_IN_FORCE, &owner, &change, &error));
  g_assert_no_error (error);

  /* the app's connection stays open: the write-ahead log stays too */
  app = pd_store_open_another (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pd_store_count_personas (app, &query, &error), ==, 2);
  if (!f->pg)
    assert_present (f->db, "alice.zeph");

  /* a Staff or Manager actor may not */
  g_assert_false (pd_privacy_forget (f->store, &staff, emails, NULL, FALSE, &result, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (pd_privacy_forget (f->store, &manager, emails, NULL, FALSE, &result, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
  g_clear_error (&error);

  /* her and the profile merged into hers */
  g_assert_true (pd_privacy_forget (f->store, NULL, emails, NULL, TRUE, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.personas, ==, 2);
  g_assert_cmpuint (pd_store_count_personas (app, &query, &error), ==, 2);

  g_assert_true (pd_privacy_forget (f->store, NULL, emails, NULL, FALSE, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.personas, ==, 2);
  g_assert_cmpuint (result.contacts, ==, 3);   /* with the merged profile's address */
  g_assert_cmpuint (result.files_rewritten, ==, 2);
  g_assert_cmpuint (result.rows_removed, ==, 3);
  g_test_message ("erase %" G_GINT64_FORMAT " us, checkpoint %" G_GINT64_FORMAT " us",
                  result.erase_us, result.checkpoint_us);
  g_assert_true (pd_privacy_forget (f->store, NULL, NULL, contact_only, FALSE, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.personas, ==, 0);

  /* not a byte left anywhere under the data folder, the log included */
  g_assert_true (f->pg || g_file_test (wal, G_FILE_TEST_EXISTS));
  assert_gone (f, needles);

  /* the history says so; the kept file keeps the others */
  kept = pd_store_get_import (f->store, first_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kept->privacy_removed, ==, 1);
  g_assert_true (pd_store_write_import_file (f->store, first_id, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  g_assert_nonnull (g_strstr_len (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                                  g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)),
                                  "bob.quill@example.org"));
  g_assert_cmpuint (pd_store_count_personas (app, &query, &error), ==, 1);

  /* nothing brings her back */
  import (f, alice_and_bob, &third);
  g_assert_cmpuint (pd_import_job_get_info (third)->ignored, ==, 1);
  /* and the refused row does not come back in the kept copy of that file */
  assert_gone (f, needles);
  {
    g_autoptr(PdImportInfo) refused = pd_store_get_import (f->store, pd_import_job_get_info (third)->id, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (refused->privacy_removed, ==, 1);
  }
  g_assert_cmpuint (count (f->store, PD_PERSONA_VIEW_ACTIVE, "alice.zeph@example.org"), ==, 0);
  g_assert_false (pd_store_sms_opt_in (f->store, "+12025550143", PD_SMS_OPT_IN_FORCE, &owner, &change, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PRIVACY);
  g_clear_error (&error);

  /* undo still works for the rest, newest first */
  g_assert_true (pd_store_undo_import (f->store, pd_import_job_get_info (third)->id, &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_undo_import (f->store, second_id, &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_undo_import (f->store, first_id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count (f->store, PD_PERSONA_VIEW_ACTIVE, NULL), ==, 0);
}

/* A kept .xlsx (two sheets) is rewritten as a CSV of its other rows; the
 * history says so. */
static void
test_forget_xlsx (Fixture       *f,
                  gconstpointer  unused)
{
  g_autofree char *book = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "xlsx", "book.xlsx", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (book);
  g_autoptr(PdImportJob) job = NULL;
  g_autoptr(PdImportInfo) kept = NULL;
  g_autoptr(GError) error = NULL;
  const char * const phones[] = { "+12065550199", NULL };
  const char * const needles[] = { "2065550199", "555-0199", NULL };
  PdSourceOptions source = { .n_threads = 1, .sheet = "Customers" };
  PdImportOptions options;
  PdForgetResult result;
  gint64 id;

  pd_import_options_init (&options);
  options.accept_terms = TRUE;
  job = pd_import_job_new (f->store, file, &source, &options);
  pd_import_job_run (job, NULL, &error);
  g_assert_no_error (error);
  id = pd_import_job_get_info (job)->id;
  g_assert_cmpuint (pd_import_job_get_info (job)->imported, ==, 1);

  g_assert_true (pd_privacy_forget (f->store, NULL, NULL, phones, FALSE, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.personas, ==, 1);
  g_assert_cmpuint (result.rows_removed, ==, 1);
  kept = pd_store_get_import (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kept->file_name, ==, "book.xlsx.csv");
  g_assert_cmpuint (kept->privacy_removed, ==, 1);
  assert_gone (f, needles);
}

/* Two desks (PostgreSQL): an import running at one desk writes the person
 * another desk is forgetting.  The erasure waits for the import (the
 * privacy lock) and, when it ends, erases what it wrote; without the lock
 * the erasure would not see the import's uncommitted persona, and the
 * import would commit it after the erasure. */
static void
test_forget_waits_for_import (Fixture       *f,
                              gconstpointer  unused)
{
  g_autoptr(PdStore) desk = NULL;
  g_autoptr(PdImportInfo) info = pd_import_info_new ();
  g_autoptr(PdPersona) persona = pd_persona_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "one.csv", NULL);
  const char * const emails[] = { "alice.zeph@example.org", NULL };
  PdForgetResult result = { 0 };
  PdPersonaQuery query = { .view = PD_PERSONA_VIEW_ACTIVE };
  gint64 import_id;

  g_assert_true (g_file_set_contents (path, "Email\nalice.zeph@example.org\n", -1, NULL));
  desk = pd_store_open_another (f->store, &error);
  g_assert_no_error (error);
  info->name = g_strdup ("one");
  import_id = pd_store_begin_import (desk, info, path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (import_id, >, 0);
  pd_persona_add_email (persona, "alice.zeph@example.org");
  g_assert_true (pd_store_import_write (desk, import_id, persona, NULL, NULL, &error));
  g_assert_no_error (error);

  /* the other desk's erasure waits for the import, then says "in use" */
  pd_store_set_lock_timeout (f->store, 300);
  g_assert_false (pd_privacy_forget (f->store, NULL, emails, NULL, FALSE, &result, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_BUSY);
  g_clear_error (&error);
  /* before anything: no erasure committed that missed the import's persona */
  {
    gboolean blocked = TRUE;

    g_assert_true (pd_store_blocklist_contains (f->store, PD_FIELD_EMAIL, emails[0], &blocked, &error));
    g_assert_no_error (error);
    g_assert_false (blocked);
  }
  g_assert_true (pd_store_finish_import (desk, info, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pd_store_count_personas (f->store, &query, &error), ==, 1);

  /* once it committed, the erasure finds what it wrote */
  g_assert_true (pd_privacy_forget (f->store, NULL, emails, NULL, FALSE, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.personas, ==, 1);
  g_assert_cmpuint (pd_store_count_personas (desk, &query, &error), ==, 0);
}

/* The batch question (the batched import engine's): any of many values
 * blocklisted, by email and by phone, as the one-at-a-time question says. */
static void
test_contains_any (Fixture       *f,
                   gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  const char * const emails[] = { "a@example.org", "b@example.org", "c@example.org" };
  const char * const phones[] = { "+12025550101", "+12025550102" };
  gboolean blocked = TRUE;
  guint n = 0;

  /* nothing blocklisted yet (no key either) */
  g_assert_true (pd_store_blocklist_contains_any (f->store, PD_FIELD_EMAIL, emails, 3, &blocked, &error));
  g_assert_no_error (error);
  g_assert_false (blocked);
  g_assert_true (pd_store_blocklist_add (f->store, NULL, 0, PD_FIELD_EMAIL, "c@example.org", &n, &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_blocklist_contains_any (f->store, PD_FIELD_EMAIL, emails, 3, &blocked, &error));
  g_assert_true (blocked);
  g_assert_true (pd_store_blocklist_contains_any (f->store, PD_FIELD_EMAIL, emails, 2, &blocked, &error));
  g_assert_false (blocked);
  /* an email's hash is not a phone's */
  g_assert_true (pd_store_blocklist_contains_any (f->store, PD_FIELD_PHONE, phones, 2, &blocked, &error));
  g_assert_false (blocked);
  g_assert_true (pd_store_blocklist_add (f->store, NULL, 0, PD_FIELD_PHONE, "+12025550102", &n, &error));
  g_assert_true (pd_store_blocklist_contains_any (f->store, PD_FIELD_PHONE, phones, 2, &blocked, &error));
  g_assert_true (blocked);
  /* the number whatever its extension */
  g_assert_true (pd_store_blocklist_contains (f->store, PD_FIELD_PHONE, "+12025550102;ext=7", &blocked, &error));
  g_assert_true (blocked);
  g_assert_no_error (error);
}

/* Two desks (PostgreSQL): a desk that has saved personas before anyone
 * blocklisted anything (its connection knows no key) refuses a contact
 * another desk blocklisted since, and blocklisting there hides a persona
 * this desk then no longer lists. */
static void
test_other_desk_blocklists (Fixture       *f,
                            gconstpointer  unused)
{
  g_autoptr(PdStore) other = NULL;
  g_autoptr(PdPersona) first = pd_persona_new ();
  g_autoptr(PdPersona) again = pd_persona_new ();
  g_autoptr(GError) error = NULL;
  PdPersonaQuery query = { .view = PD_PERSONA_VIEW_ACTIVE };
  guint n = 0;

  pd_persona_add_email (first, "first@example.org");
  g_assert_true (pd_store_save_persona (f->store, first, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  other = pd_store_open_another (f->store, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_blocklist_add (other, NULL, 0, PD_FIELD_EMAIL, "gone@example.org", &n, &error));
  g_assert_no_error (error);
  pd_persona_add_email (again, "gone@example.org");
  g_assert_false (pd_store_save_persona (f->store, again, PD_SOURCE_MANUAL, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PRIVACY);
  g_clear_error (&error);
  /* and a second time, with the key known */
  g_assert_false (pd_store_save_persona (f->store, again, PD_SOURCE_MANUAL, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PRIVACY);
  g_clear_error (&error);

  g_assert_true (pd_store_blocklist_add (other, NULL, pd_persona_get_id (first), 0, NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (pd_store_count_personas (f->store, &query, &error), ==, 0);
}

/* The matching of a forgotten person's contacts in cells. */
static void
test_targets (void)
{
  g_autoptr(PdPrivacyTargets) targets = pd_privacy_targets_new ();

  pd_privacy_targets_add_email (targets, "bo@x.com");
  pd_privacy_targets_add_phone (targets, "+12025550143");
  g_assert_true (pd_privacy_targets_match_text (targets, "BO@X.COM"));
  g_assert_true (pd_privacy_targets_match_text (targets, "a@b.c; bo@x.com."));
  g_assert_false (pd_privacy_targets_match_text (targets, "jimbo@x.com"));
  g_assert_false (pd_privacy_targets_match_text (targets, "bo@x.com.au"));
  g_assert_true (pd_privacy_targets_match_text (targets, "(202) 555-0143"));
  g_assert_true (pd_privacy_targets_match_text (targets, "+1 202 555 0143 ext. 12"));
  g_assert_true (pd_privacy_targets_match_text (targets, "Tel 001 202 555 0143"));
  g_assert_true (pd_privacy_targets_match_text (targets, "+12025550199, +12025550143"));
  g_assert_false (pd_privacy_targets_match_text (targets, "+12025550144"));
  g_assert_false (pd_privacy_targets_match_text (targets, "202 555 0199 x143"));
}

/* The commands, on the real program: blocklist, forget --dry-run,
 * forget, the refused re-import, history's note and --help. */
static void
test_cli (Fixture       *f,
          gconstpointer  unused)
{
  g_autofree char *path = g_build_filename (f->dir, "customers.csv", NULL);
  g_autofree char *out = NULL, *err = NULL;
  const char * const needles[] = { "alice.zeph", "Zephyrine", "2025550143", "555-0143", NULL };

  if (g_getenv ("PD_CLI") == NULL)
    {
      g_test_skip ("PD_CLI is not set: run through meson test");
      return;
    }
  g_clear_object (&f->store);
  g_assert_true (g_file_set_contents (path, alice_and_bob, -1, NULL));
#define AGAIN() G_STMT_START { g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free); } G_STMT_END
  g_assert_cmpint (run_cli (f->db, &out, "import", "--accept-terms", path, NULL), ==, 0);
  AGAIN ();
  g_assert_cmpint (run_cli (f->db, &out, "blocklist", "add", "--phone", "(202) 555-0143", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "1 persona"));
  AGAIN ();
  g_assert_cmpint (run_cli (f->db, &out, "export", NULL), ==, 0);
  g_assert_null (strstr (out, "alice"));
  AGAIN ();
  g_assert_cmpint (run_cli (f->db, &out, "loyalty-status", "--email", "alice.zeph@example.org", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "unknown"));
  AGAIN ();
  g_assert_cmpint (run_cli (f->db, &out, "blocklist", "remove", "--phone", "+12025550143", NULL), ==, 0);
  AGAIN ();
  g_assert_cmpint (run_cli_err (f->db, &out, &err, "blocklist", "add", NULL), ==, 2);
  AGAIN ();

  g_assert_cmpint (run_cli (f->db, &out, "forget", "--email", "Alice.Zeph@example.org", "--dry-run", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "This concerns 1 persona.\n");
  AGAIN ();
  g_assert_cmpint (run_cli (f->db, &out, "forget", "--email", "Alice.Zeph@example.org", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "1 persona erased"));
  AGAIN ();
  assert_gone (f, needles);

  g_assert_cmpint (run_cli (f->db, &out, "history", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "1 row removed for privacy requests"));
  AGAIN ();
  g_assert_cmpint (run_cli (f->db, &out, "import", "--accept-terms", "--same-file", "import-anyway", path, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "cannot be imported (privacy)"));
  g_assert_null (strstr (out, "Zephyrine"));
  AGAIN ();
  g_assert_cmpint (run_cli_err (f->db, &out, &err, "optin", "+12025550143", NULL), !=, 0);
  g_assert_nonnull (strstr (err, "privacy"));
  AGAIN ();

  g_assert_cmpint (run_cli (f->db, &out, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "blocklist"));
  g_assert_nonnull (strstr (out, "forget"));
  AGAIN ();
  g_assert_cmpint (run_cli (f->db, &out, "forget", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "--dry-run"));
#undef AGAIN
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/privacy/targets", test_targets);
  g_test_add ("/privacy/blocklist-hides", Fixture, NULL, fixture_set_up, test_blocklist_hides, fixture_tear_down);
  g_test_add ("/privacy/import-refused", Fixture, NULL, fixture_set_up, test_import_refused, fixture_tear_down);
  g_test_add ("/privacy/forget", Fixture, NULL, fixture_set_up, test_forget, fixture_tear_down);
  g_test_add ("/privacy/cli", Fixture, NULL, fixture_set_up, test_cli, fixture_tear_down);
  g_test_add ("/privacy/forget-xlsx", Fixture, NULL, fixture_set_up, test_forget_xlsx, fixture_tear_down);
  g_test_add ("/privacy/contains-any", Fixture, NULL, fixture_set_up, test_contains_any, fixture_tear_down);
#define ADD_PG(name, func) \
  g_test_add ("/privacy/pg/" name, Fixture, (gconstpointer) (func), fixture_set_up_pg, fixture_run_pg, \
              fixture_tear_down)
  ADD_PG ("blocklist-hides", test_blocklist_hides);
  ADD_PG ("import-refused", test_import_refused);
  ADD_PG ("forget", test_forget);
  ADD_PG ("cli", test_cli);
  ADD_PG ("forget-xlsx", test_forget_xlsx);
  ADD_PG ("forget-waits-for-import", test_forget_waits_for_import);
  ADD_PG ("contains-any", test_contains_any);
  ADD_PG ("other-desk-blocklists", test_other_desk_blocklists);
  return g_test_run ();
}
