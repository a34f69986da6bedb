/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Several desks on one PostgreSQL database (issue 19): a desk that listens
 * (pd_pg_store_listen()) hears of another desk's committed writes — a
 * save, an import (once, however many rows), a points adjustment — on its
 * main loop, not of its own, nor of a write rolled back; and a consent
 * change and a persona write bringing the same number or address take
 * turns (_pd_pg_contact_lock_key()).  Skips without a PostgreSQL server
 * (pd-test-pg.h). */
#include "config.h"

#include <string.h>

#include "pd-error.h"
#include "pd-pg-store-private.h"
#include "pd-test-pg.h"

typedef struct {
  GHashTable *counts;   /* table → times signalled */
} Heard;

static void
on_changed (PdPgStore  *store,
            const char *table,
            gpointer    data)
{
  Heard *heard = data;

  g_hash_table_insert (heard->counts, g_strdup (table),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (heard->counts, table)) + 1));
}

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @table was heard of, or for at most @ms. */
static guint
wait_for (Heard      *heard,
          const char *table,
          guint       ms)
{
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add (ms, on_timeout, &timed_out);

  while (!timed_out && !g_hash_table_contains (heard->counts, table))
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout);
  return GPOINTER_TO_UINT (g_hash_table_lookup (heard->counts, table));
}

/* Lets a moment pass on the main loop: what was going to arrive has. */
static void
settle (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, on_timeout, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

static PdPersona *
persona (const char *email)
{
  PdPersona *p = pd_persona_new ();

  pd_persona_add_email (p, email);
  return p;
}

static void
test_other_desks_writes (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPgStore) listening = NULL;
  g_autoptr(PdPgStore) other = NULL;
  g_autoptr(PdPersona) a = persona ("a@example.com");
  g_autoptr(PdPersona) b = persona ("b@example.com");
  g_autoptr(PdPersona) own = persona ("own@example.com");
  g_autoptr(PdPersona) taken = persona ("a@example.com");
  Heard heard = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) };

  if (uri == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      g_hash_table_unref (heard.counts);
      return;
    }
  listening = pd_pg_store_new (uri, &error);
  g_assert_no_error (error);
  other = pd_pg_store_new (uri, &error);
  g_assert_no_error (error);
  g_assert_true (pd_pg_store_listen (listening, &error));
  g_assert_no_error (error);
  g_signal_connect (listening, "changed", G_CALLBACK (on_changed), &heard);

  /* another desk's save: heard within a moment */
  g_assert_true (pd_store_save_persona (PD_STORE (other), a, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wait_for (&heard, "personas", 5000), ==, 1);

  /* its own save is not signalled; a failed one (rolled back) neither */
  g_hash_table_remove_all (heard.counts);
  g_assert_true (pd_store_save_persona (PD_STORE (listening), own, PD_SOURCE_MANUAL, &error));
  g_assert_false (pd_store_save_persona (PD_STORE (other), taken, PD_SOURCE_MANUAL, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_clear_error (&error);
  settle (300);
  g_assert_cmpuint (g_hash_table_size (heard.counts), ==, 0);

  /* an import of several rows: one notification for its personas, one for
   * its history */
  {
    g_autoptr(PdImportInfo) info = pd_import_info_new ();
    gint64 import_id = pd_store_begin_import (PD_STORE (other), info, NULL, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < 5; i++)
      {
        g_autofree char *email = g_strdup_printf ("row%u@example.com", i);
        g_autoptr(PdPersona) row = persona (email);

        g_assert_true (pd_store_import_write_full (PD_STORE (other), import_id, row, NULL, NULL, FALSE, &error));
        g_assert_no_error (error);
      }
    info->total = info->imported = 5;
    /* nothing is heard before the commit */
    settle (200);
    g_assert_cmpuint (g_hash_table_size (heard.counts), ==, 0);
    g_assert_true (pd_store_finish_import (PD_STORE (other), info, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (wait_for (&heard, "personas", 5000), ==, 1);
  g_assert_cmpuint (wait_for (&heard, "imports", 5000), ==, 1);

  /* heard while the listening desk is busy with statements of its own */
  g_hash_table_remove_all (heard.counts);
  g_assert_true (pd_store_save_persona (PD_STORE (other), b, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  g_usleep (200 * 1000);
  g_assert_cmpint (pd_store_find_persona (PD_STORE (listening), PD_FIELD_EMAIL, "b@example.com", &error), ==,
                   pd_persona_get_id (b));
  g_assert_cmpuint (wait_for (&heard, "personas", 5000), ==, 1);

  /* points from another desk */
  g_hash_table_remove_all (heard.counts);
  g_assert_true (pd_store_adjust_points (PD_STORE (other), pd_persona_get_id (b), 10, "welcome",
                                         PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wait_for (&heard, "personas", 5000), ==, 1);

  /* the listening desk's connection is cut (a server restart, a network
   * cut): once it reconnects, it hears again */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT pg_terminate_backend(%d)", PQbackendPID (listening->conn));
    g_autoptr(PdPersona) c = persona ("c@example.com");

    pd_test_pg_exec (uri, sql);
    settle (300);
    g_assert_true (_pd_pg_reconnect (listening, &error));
    g_assert_no_error (error);
    g_hash_table_remove_all (heard.counts);
    g_assert_true (pd_store_save_persona (PD_STORE (other), c, PD_SOURCE_MANUAL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (wait_for (&heard, "personas", 5000), ==, 1);
  }

  g_clear_object (&listening);
  g_clear_object (&other);
  g_hash_table_unref (heard.counts);
  pd_test_pg_drop_database (uri);
}

/* Another desk (a plain connection here) holds the locks of a number and
 * an address in an open transaction: every write that decides about them
 * waits for it (and, with a short lock timeout, says the database is in
 * use), then goes through once it ends.  Without the locks, an opt-out
 * of a number no persona holds yet could be committed beside a new
 * persona with that number that never saw it. */
static void
test_contact_locks (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPgStore) desk = NULL;
  g_autoptr(PdPersona) fresh = persona ("fresh@example.com");
  g_autoptr(PdPersona) known = persona ("known@example.com");
  const char *held[] = { "+12025550123", "held@example.com", NULL };
  const PdActor clerk = { PD_SOURCE_MANUAL, "clerk" };
  g_autofree char *locks = _pd_pg_contact_locks_sql (held, -1);
  PdConsentChange change;
  PGconn *other;
  PGresult *result;

  if (uri == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return;
    }
  desk = pd_pg_store_new (uri, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_save_persona (PD_STORE (desk), known, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  pd_store_set_lock_timeout (PD_STORE (desk), 200);

  other = pd_test_pg_connect (uri);
  PQclear (PQexec (other, "BEGIN"));
  result = PQexec (other, locks);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  PQclear (result);

  pd_persona_add_phone (fresh, "+12025550123");
  g_assert_false (pd_store_save_persona (PD_STORE (desk), fresh, PD_SOURCE_MANUAL, &error));
  /* a lock held elsewhere: "try again", as on SQLite */
  g_assert_error (error, PD_ERROR, PD_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "in use"));
  g_clear_error (&error);
  g_assert_cmpint (pd_persona_get_id (fresh), ==, 0);
  /* the number with an extension is the same number */
  {
    g_autoptr(PdPersona) ext = persona ("ext@example.com");

    pd_persona_add_phone (ext, "+12025550123;ext=7");
    g_assert_false (pd_store_save_persona (PD_STORE (desk), ext, PD_SOURCE_MANUAL, &error));
    g_assert_error (error, PD_ERROR, PD_ERROR_BUSY);
    g_clear_error (&error);
  }
  pd_persona_add_email (known, "held@example.com");
  g_assert_false (pd_store_save_persona (PD_STORE (desk), known, PD_SOURCE_MANUAL, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_false (pd_store_sms_decline (PD_STORE (desk), "+12025550123", &clerk, &change, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_false (pd_store_email_decline (PD_STORE (desk), "held@example.com", &clerk, &change, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_BUSY);
  g_clear_error (&error);
  /* what does not bring them does not wait */
  g_assert_true (pd_store_sms_decline (PD_STORE (desk), "+12025550124", &clerk, &change, &error));
  g_assert_no_error (error);

  /* the other desk is done: each goes through, and the opt-out holds */
  PQclear (PQexec (other, "ROLLBACK"));
  PQfinish (other);
  g_assert_true (pd_store_sms_decline (PD_STORE (desk), "+12025550123", &clerk, &change, &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_save_persona (PD_STORE (desk), fresh, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(PdPersona) stored = pd_store_get_persona (PD_STORE (desk), pd_persona_get_id (fresh), &error);

    g_assert_no_error (error);
    g_assert_true (pd_persona_get_sms_opt_out (stored));
  }
  g_assert_true (pd_store_email_decline (PD_STORE (desk), "held@example.com", &clerk, &change, &error));
  g_assert_true (pd_store_save_persona (PD_STORE (desk), known, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);

  g_clear_object (&desk);
  pd_test_pg_drop_database (uri);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pg-desks/notify", test_other_desks_writes);
  g_test_add_func ("/pg-desks/contact-locks", test_contact_locks);
  return g_test_run ();
}
