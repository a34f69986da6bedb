/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Several desks on one PostgreSQL database (issue 19): a desk that listens
 * (pd_pg_store_listen()) hears of another desk's committed writes — a
 * save, an import (once, however many rows), a points adjustment — on its
 * main loop, not of its own, nor of a write rolled back.  Skips without a
 * PostgreSQL server (pd-test-pg.h). */
#include "config.h"

#include "pd-error.h"
#include "pd-pg-store.h"
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

  g_clear_object (&listening);
  g_clear_object (&other);
  g_hash_table_unref (heard.counts);
  pd_test_pg_drop_database (uri);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pg-notify/other-desks-writes", test_other_desks_writes);
  return g_test_run ();
}
