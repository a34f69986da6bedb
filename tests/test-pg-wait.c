/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Several desks at once on one PostgreSQL database (issue 19).
 *
 * /pg-wait/two-desks-long: two real persona-desk-cli processes import
 * overlapping customers, in opposite orders and small batches, the second
 * started while the first is writing and the first outlasting the lock
 * timeout (lowered for the test through PD_PG_LOCK_TIMEOUT_MS, not slept
 * through): both succeed, the second says it waits for the first, one
 * persona per email and phone.  Before the import turn the second failed
 * with BUSY once the lock timeout passed.
 * /pg-wait/same-rows: two desks importing the same rows at once; the
 * second sees the first's fingerprints and is refused (issue 17; it
 * passed before the turn too: the same rows' locks ordered the desks).
 * /pg-wait/ledger-feed: the API's ledger feed passes no entry committed
 * after a larger id was read (schema 18).
 * /pg-wait/cancel: a wait for the turn is told to the handler and ends
 * at once when cancelled; without a handler it ends after the lock
 * timeout (BUSY); an edit of a persona the running import wrote fails
 * fast with "in use". */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "pd-error.h"
#include "pd-pg-store.h"
#include "pd-store.h"
#include "pd-temp.h"
#include "pd-test-pg.h"

#define LOCK_TIMEOUT_MS "300"

/* c<i>@example.com with a phone of their own, @from to @to (either way) */
static void
append_customers (GString *csv,
                  int      from,
                  int      to,
                  int      points)
{
  for (int i = from; i != to; i += from < to ? 1 : -1)
    g_string_append_printf (csv, "Cust%d,c%d@example.com,(202) 4%02d-%04d,%d\r\n", i, i, 50 + i / 10000,
                            i % 10000, points);
}

static char *
write_file (const char *dir,
            const char *name,
            GString    *csv)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, csv->str, -1, NULL));
  return path;
}

static GSubprocess *
start_import (const char *uri,
              const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  GSubprocess *process;

  g_subprocess_launcher_setenv (launcher, "PD_PG_LOCK_TIMEOUT_MS", LOCK_TIMEOUT_MS, TRUE);
  /* many batches: each desk holds earlier batches' rows while it writes
   * the next */
  g_subprocess_launcher_setenv (launcher, "PD_IMPORT_BATCH_ROWS", "200", TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("PD_CLI"), "--db", uri, "import", path,
                                         "--accept-terms", "--match", "email,phone", "--on-match", "merge",
                                         "--json", NULL);
  g_assert_no_error (error);
  return process;
}

typedef struct {
  int    status;
  char  *err;
  gint64 imported, updated, failed;
} Outcome;

static void
outcome_clear (Outcome *o)
{
  g_free (o->err);
}

static void
wait_import (GSubprocess *process,
             Outcome     *o)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  memset (o, 0, sizeof *o);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &o->err, &error));
  g_assert_no_error (error);
  o->status = g_subprocess_get_exit_status (process);
  if (o->status == 0)
    {
      g_autoptr(JsonNode) node = json_from_string (out, &error);
      JsonObject *object;

      g_assert_no_error (error);
      object = json_node_get_object (node);
      o->imported = json_object_get_int_member (object, "imported");
      o->updated = json_object_get_int_member (object, "updated");
      o->failed = json_object_get_int_member (object, "failed");
    }
}

/* Until another connection of @uri's database has written (its import
 * has begun and holds a transaction id). */
static void
wait_until_writing (const char  *uri,
                    GSubprocess *process)
{
  for (int i = 0; i < 1000; i++)
    {
      if (pd_test_pg_count (uri, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                      "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()") > 0)
        return;
      g_usleep (10000);
    }
  g_error ("the first import never began");
}

static gboolean
skip (const char *uri)
{
  if (uri == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return TRUE;
    }
  if (g_getenv ("PD_CLI") == NULL)
    {
      g_test_skip ("PD_CLI is not set: run through meson test");
      pd_test_pg_drop_database (uri);
      return TRUE;
    }
  /* the schema made first: the desks' first connections migrate
   * (writing) before their imports begin */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PdPgStore) store = pd_pg_store_new (uri, &error);

    g_assert_no_error (error);
  }
  return FALSE;
}

static void
test_two_desks_long (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  g_autofree char *dir = NULL;
  g_autofree char *a_path = NULL, *b_path = NULL;
  g_autoptr(GString) a = g_string_new ("First Name,Email,Phone,Points\r\n");
  g_autoptr(GString) b = g_string_new ("First Name,Email,Phone,Points\r\n");
  g_autoptr(GError) error = NULL;
  Outcome desk_a, desk_b;
  gint64 b_started, a_ended;

  if (skip (uri))
    return;
  dir = g_dir_make_tmp ("pd-pg-wait-XXXXXX", &error);
  g_assert_no_error (error);
  /* desk A brings 0-2999 in order, desk B 1500-4499 backwards: each
   * meets the other's customers after writing some of its own */
  append_customers (a, 0, 3000, 3);
  append_customers (b, 4499, 1499, 4);
  a_path = write_file (dir, "a.csv", a);
  b_path = write_file (dir, "b.csv", b);
  {
    g_autoptr(GSubprocess) first = start_import (uri, a_path);
    g_autoptr(GSubprocess) second = NULL;

    wait_until_writing (uri, first);
    b_started = g_get_monotonic_time ();
    second = start_import (uri, b_path);
    wait_import (first, &desk_a);
    a_ended = g_get_monotonic_time ();
    wait_import (second, &desk_b);
  }
  g_test_message ("desk A: %" G_GINT64_FORMAT " imported, %" G_GINT64_FORMAT " updated, ran %" G_GINT64_FORMAT
                  " ms after desk B started; desk B: %" G_GINT64_FORMAT " imported, %" G_GINT64_FORMAT " updated",
                  desk_a.imported, desk_a.updated, (a_ended - b_started) / 1000, desk_b.imported, desk_b.updated);
  if (desk_a.status != 0 || desk_b.status != 0)
    g_error ("desk A exited %d (%s), desk B %d (%s)", desk_a.status, desk_a.err, desk_b.status, desk_b.err);
  /* what the test is about: desk B waited longer than the lock timeout */
  g_assert_cmpint ((a_ended - b_started) / 1000, >, g_ascii_strtoll (LOCK_TIMEOUT_MS, NULL, 10));
  /* (its quote may be a "?" in a locale that is not UTF-8) */
  if (strstr (desk_b.err, "Waiting for another desk") == NULL)
    g_error ("desk B did not say it waited: %s", desk_b.err);
  g_assert_cmpint (desk_a.failed + desk_b.failed, ==, 0);
  g_assert_cmpint (desk_a.imported, ==, 3000);
  g_assert_cmpint (desk_b.imported, ==, 1500);
  g_assert_cmpint (desk_b.updated, ==, 1500);
  g_assert_cmpint (pd_test_pg_count (uri, "SELECT count(*) FROM personas"), ==, 4500);
  g_assert_cmpint (pd_test_pg_count (uri, "SELECT count(*) FROM emails e JOIN phones p USING (persona_id) "
                               "WHERE e.live AND p.live"), ==, 4500);
  g_assert_cmpint (pd_test_pg_count (uri, "SELECT count(*) FROM personas WHERE points <> 7"), ==, 3000);
  g_assert_cmpint (pd_test_pg_count (uri, "SELECT count(*) FROM personas p WHERE points <> "
                               "(SELECT coalesce(sum(delta), 0) FROM ledger l WHERE l.persona_id = p.id)"), ==, 0);
  outcome_clear (&desk_a);
  outcome_clear (&desk_b);
  pd_test_pg_drop_database (uri);
  pd_temp_remove_dir (dir);
}

/* Two desks import the same rows (two files: the second reordered) at
 * the same moment: the second is refused as the same rows again, the
 * points counted once. */
static void
test_same_rows (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  g_autofree char *dir = NULL;
  g_autofree char *a_path = NULL, *b_path = NULL;
  g_autoptr(GString) a = g_string_new ("First Name,Email,Phone,Points\r\n");
  g_autoptr(GString) b = g_string_new ("Email,First Name,Phone,Points\r\n");
  g_autoptr(GError) error = NULL;
  Outcome desk_a, desk_b;

  if (skip (uri))
    return;
  dir = g_dir_make_tmp ("pd-pg-wait-XXXXXX", &error);
  g_assert_no_error (error);
  append_customers (a, 0, 2000, 5);
  for (int i = 1999; i >= 0; i--)
    g_string_append_printf (b, "c%d@example.com,Cust%d,(202) 450-%04d,5\r\n", i, i, i);
  a_path = write_file (dir, "a.csv", a);
  b_path = write_file (dir, "b.csv", b);
  {
    g_autoptr(GSubprocess) first = start_import (uri, a_path);
    g_autoptr(GSubprocess) second = NULL;

    wait_until_writing (uri, first);
    second = start_import (uri, b_path);
    wait_import (first, &desk_a);
    wait_import (second, &desk_b);
  }
  if (desk_a.status != 0)
    g_error ("desk A exited %d: %s", desk_a.status, desk_a.err);
  /* 3: the same rows again (the CLI's exit status for it) */
  if (desk_b.status != 3)
    g_error ("desk B exited %d, not refused: %s", desk_b.status, desk_b.err);
  g_assert_cmpint (pd_test_pg_count (uri, "SELECT count(*) FROM personas"), ==, 2000);
  g_assert_cmpint (pd_test_pg_count (uri, "SELECT count(*) FROM personas WHERE points <> 5"), ==, 0);
  g_assert_cmpint (pd_test_pg_count (uri, "SELECT count(*) FROM imports WHERE status = 'completed'"), ==, 1);
  outcome_clear (&desk_a);
  outcome_clear (&desk_b);
  pd_test_pg_drop_database (uri);
  pd_temp_remove_dir (dir);
}

typedef struct {
  PdStore      *store;
  GCancellable *cancellable;
  gint          waiting;
  gint64        id;
  GError       *error;
} Waiter;

static void
on_wait (gboolean waiting,
         gpointer data)
{
  Waiter *w = data;

  g_atomic_int_set (&w->waiting, waiting ? 1 : 2);
}

static gpointer
begin_in_thread (gpointer data)
{
  Waiter *w = data;
  g_autoptr(PdImportInfo) info = pd_import_info_new ();

  pd_store_set_wait_handler (w->store, w->cancellable, on_wait, w);
  w->id = pd_store_begin_import (w->store, info, NULL, &w->error);
  if (w->id != 0)
    pd_store_discard_import (w->store, info);
  pd_store_set_wait_handler (w->store, NULL, NULL, NULL);
  return NULL;
}

static PdPersona *
customer (const char *email)
{
  PdPersona *p = pd_persona_new ();

  pd_persona_set_value (p, PD_FIELD_FIRST_NAME, "Ann");
  pd_persona_add_email (p, email);
  return p;
}

static void
test_cancel (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) desk_a = NULL;
  g_autoptr(PdStore) desk_b = NULL;
  g_autoptr(PdImportInfo) info = pd_import_info_new ();
  g_autoptr(PdPersona) ann = customer ("ann@example.com");
  g_autoptr(PdPersona) edited = NULL;
  Waiter w = { 0 };
  GThread *thread;
  gint64 import_id, start, waited;

  if (uri == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return;
    }
  desk_a = (PdStore *) pd_pg_store_new (uri, &error);
  g_assert_no_error (error);
  desk_b = (PdStore *) pd_pg_store_new (uri, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_save_persona (desk_a, ann, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);

  /* desk A's import runs and writes Ann */
  import_id = pd_store_begin_import (desk_a, info, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(PdPersona) before = pd_store_get_persona (desk_a, pd_persona_get_id (ann), &error);
    g_autoptr(PdPersona) after = pd_persona_copy (before);

    pd_persona_set_value (after, PD_FIELD_LAST_NAME, "Lee");
    g_assert_true (pd_store_import_write (desk_a, import_id, after, before, NULL, &error));
    g_assert_no_error (error);
  }

  /* desk B's import waits, says so, and stops at once when cancelled */
  w.store = desk_b;
  w.cancellable = g_cancellable_new ();
  thread = g_thread_new ("desk-b", begin_in_thread, &w);
  for (int i = 0; i < 500 && g_atomic_int_get (&w.waiting) != 1; i++)
    g_usleep (10000);
  g_assert_cmpint (g_atomic_int_get (&w.waiting), ==, 1);
  /* longer than the lock timeout (desk B's: 300 ms in this test) */
  g_usleep (600000);
  g_assert_cmpint (g_atomic_int_get (&w.waiting), ==, 1);
  start = g_get_monotonic_time ();
  g_cancellable_cancel (w.cancellable);
  g_thread_join (thread);
  waited = (g_get_monotonic_time () - start) / 1000;
  g_test_message ("cancelled after %" G_GINT64_FORMAT " ms", waited);
  g_assert_cmpint (waited, <, 2000);
  g_assert_cmpint (w.id, ==, 0);
  g_assert_error (w.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_atomic_int_get (&w.waiting), ==, 2);
  g_clear_error (&w.error);
  g_clear_object (&w.cancellable);

  /* without a handler: BUSY after the lock timeout */
  {
    g_autoptr(PdImportInfo) other = pd_import_info_new ();

    start = g_get_monotonic_time ();
    g_assert_cmpint (pd_store_begin_import (desk_b, other, NULL, &error), ==, 0);
    g_assert_error (error, PD_ERROR, PD_ERROR_BUSY);
    g_clear_error (&error);
    g_test_message ("no handler: BUSY after %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - start) / 1000);
  }

  /* an edit of the persona the import wrote: "in use" after the
   * window's short wait, never the import's */
  pd_store_set_lock_timeout (desk_b, 250);
  edited = pd_store_get_persona (desk_b, pd_persona_get_id (ann), &error);
  g_assert_no_error (error);
  pd_persona_set_value (edited, PD_FIELD_CITY, "Paris");
  start = g_get_monotonic_time ();
  g_assert_false (pd_store_save_persona (desk_b, edited, PD_SOURCE_MANUAL, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "in use"));
  g_clear_error (&error);
  waited = (g_get_monotonic_time () - start) / 1000;
  g_test_message ("an edit during the import: BUSY after %" G_GINT64_FORMAT " ms", waited);
  g_assert_cmpint (waited, <, 2000);

  /* once desk A's import is in, desk B's begins at once on the same
   * connection */
  g_assert_true (pd_store_finish_import (desk_a, info, &error));
  g_assert_no_error (error);
  w = (Waiter) { desk_b, NULL, 0, 0, NULL };
  begin_in_thread (&w);
  g_assert_no_error (w.error);
  g_assert_cmpint (w.id, >, 0);
  g_assert_cmpint (g_atomic_int_get (&w.waiting), ==, 0);

  g_clear_object (&desk_a);
  g_clear_object (&desk_b);
  pd_test_pg_drop_database (uri);
}

static PGresult *
run (PGconn     *conn,
     const char *sql)
{
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  return result;
}

static gint64
run_id (PGconn     *conn,
        const char *sql)
{
  PGresult *result = run (conn, sql);
  gint64 id = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);

  PQclear (result);
  return id;
}

/* The ids of the feed's page after @after. */
static GArray *
feed_page (PdStore *store,
           gint64   after,
           guint    limit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = pd_store_list_ledger_page (store, 0, after, limit, &error);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_assert_no_error (error);
  for (guint i = 0; i < page->len; i++)
    g_array_append_val (ids, ((PdLedgerEntry *) page->pdata[i])->id);
  return ids;
}

static GArray *
feed (PdStore *store,
      gint64   after)
{
  return feed_page (store, after, 100);
}

/* A client of the ledger feed (GET /points/adjustments?after=) reads
 * every entry once, however the desks' commits interleave: desk A's entry
 * takes the smaller id but commits after desk B's, which the client has
 * read (and moved its cursor past) meanwhile. */
static void
test_ledger_feed (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) desk_b = NULL;
  g_autoptr(PdPersona) ann = customer ("ann@example.com");
  g_autoptr(PdPersona) bob = customer ("bob@example.com");
  g_autoptr(GArray) first = NULL;
  g_autoptr(GArray) second = NULL;
  g_autoptr(GArray) third = NULL;
  g_autofree char *insert = NULL;
  gint64 old_id, a_id, b_id;
  PGconn *desk_a;

  if (uri == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return;
    }
  desk_b = (PdStore *) pd_pg_store_new (uri, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_save_persona (desk_b, ann, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_save_persona (desk_b, bob, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  insert = g_strdup_printf ("INSERT INTO ledger (persona_id, delta, balance, source, time) "
                            "VALUES (%" G_GINT64_FORMAT ", 1, 1, 1, 0) RETURNING id", pd_persona_get_id (ann));
  /* an entry from before schema 18 (no transaction recorded) */
  desk_a = pd_test_pg_connect (uri);
  {
    g_autofree char *old = g_strdup_printf ("INSERT INTO ledger (persona_id, delta, balance, source, time, xact) "
                                            "VALUES (%" G_GINT64_FORMAT ", 1, 1, 1, 0, NULL) RETURNING id",
                                            pd_persona_get_id (ann));

    old_id = run_id (desk_a, old);
  }

  /* desk A: an entry in a savepoint rolled back, then its entry, not
   * committed yet */
  PQclear (run (desk_a, "BEGIN"));
  PQclear (run (desk_a, "SAVEPOINT s"));
  run_id (desk_a, insert);
  PQclear (run (desk_a, "ROLLBACK TO SAVEPOINT s"));
  a_id = run_id (desk_a, insert);
  /* desk B adds points: a larger id, committed first */
  g_assert_true (pd_store_adjust_points (desk_b, pd_persona_get_id (bob), 5, "welcome", PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  b_id = pd_test_pg_count (uri, "SELECT max(id) FROM ledger");
  g_assert_cmpint (a_id, <, b_id);

  /* the client reads the feed: the old entry and desk B's */
  first = feed (desk_b, 0);
  g_assert_cmpint (first->len, ==, 2);
  g_assert_cmpint (g_array_index (first, gint64, 0), ==, old_id);
  g_assert_cmpint (g_array_index (first, gint64, 1), ==, b_id);
  /* desk A commits; the client goes on from the last entry it read */
  PQclear (run (desk_a, "COMMIT"));
  second = feed (desk_b, b_id);
  g_assert_cmpint (second->len, ==, 1);
  g_assert_cmpint (g_array_index (second, gint64, 0), ==, a_id);
  third = feed (desk_b, a_id);
  g_assert_cmpint (third->len, ==, 0);
  /* from the start: every entry once, in commit order */
  g_clear_pointer (&first, g_array_unref);
  first = feed (desk_b, 0);
  g_assert_cmpint (first->len, ==, 3);
  g_assert_cmpint (g_array_index (first, gint64, 1), ==, b_id);
  g_assert_cmpint (g_array_index (first, gint64, 2), ==, a_id);

  /* a page that ends inside a commit goes on inside it */
  PQclear (run (desk_a, "BEGIN"));
  for (int i = 0; i < 3; i++)
    run_id (desk_a, insert);
  PQclear (run (desk_a, "COMMIT"));
  {
    g_autoptr(GArray) two = feed_page (desk_b, a_id, 2);
    g_autoptr(GArray) rest = NULL;

    g_assert_cmpint (two->len, ==, 2);
    g_assert_cmpint (g_array_index (two, gint64, 0), <, g_array_index (two, gint64, 1));
    rest = feed_page (desk_b, g_array_index (two, gint64, 1), 2);
    g_assert_cmpint (rest->len, ==, 1);
    g_assert_cmpint (g_array_index (rest, gint64, 0), >, g_array_index (two, gint64, 1));
  }

  PQfinish (desk_a);
  g_clear_object (&desk_b);
  pd_test_pg_drop_database (uri);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* this process's stores too */
  g_setenv ("PD_PG_LOCK_TIMEOUT_MS", LOCK_TIMEOUT_MS, TRUE);
  g_test_add_func ("/pg-wait/two-desks-long", test_two_desks_long);
  g_test_add_func ("/pg-wait/same-rows", test_same_rows);
  g_test_add_func ("/pg-wait/cancel", test_cancel);
  g_test_add_func ("/pg-wait/ledger-feed", test_ledger_feed);
  return g_test_run ();
}
