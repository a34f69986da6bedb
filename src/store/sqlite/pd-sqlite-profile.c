/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where a connection's time goes, statement by statement: with
 * PD_SQL_PROFILE set in the environment, every statement's run time is
 * added up by its SQL text, and the totals are printed (longest first) to
 * stderr when the connection closes.  For benchmarks of the import, whose
 * time is almost all SQLite's; never on in normal use. */
#include "config.h"

#include <stdio.h>

#include "pd-sqlite-store-private.h"

typedef struct {
  char   *sql;
  gint64  ns;
  guint64 runs;
} Entry;

static void
entry_free (gpointer data)
{
  Entry *e = data;

  g_free (e->sql);
  g_free (e);
}

static int
on_trace (unsigned  type,
          void     *data,
          void     *p,
          void     *x)
{
  GHashTable *entries = data;   /* SQL text → Entry */
  const char *sql;
  Entry *e;

  if (type != SQLITE_TRACE_PROFILE)
    return 0;
  sql = sqlite3_sql (p);
  if (sql == NULL)
    return 0;
  e = g_hash_table_lookup (entries, sql);
  if (e == NULL)
    {
      e = g_new0 (Entry, 1);
      e->sql = g_strdup (sql);
      g_hash_table_insert (entries, e->sql, e);
    }
  e->ns += *(sqlite3_int64 *) x;
  e->runs++;
  return 0;
}

static int
by_time (gconstpointer a,
         gconstpointer b)
{
  const Entry *x = *(Entry * const *) a, *y = *(Entry * const *) b;

  return (x->ns < y->ns) - (x->ns > y->ns);
}

static void
profile_print (gpointer data)
{
  g_autoptr(GHashTable) entries = data;
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;
  gint64 total = 0;

  g_hash_table_iter_init (&iter, entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (sorted, value);

  g_ptr_array_sort (sorted, by_time);
  for (guint i = 0; i < sorted->len; i++)
    total += ((Entry *) g_ptr_array_index (sorted, i))->ns;
  fprintf (stderr, "SQL profile: %.2f s in statements\n", total / 1e9);
  for (guint i = 0; i < sorted->len && i < 40; i++)
    {
      Entry *e = g_ptr_array_index (sorted, i);

      fprintf (stderr, "%8.3f s %9" G_GUINT64_FORMAT " × %.110s\n", e->ns / 1e9, e->runs, e->sql);
    }
}

void
_pd_sqlite_profile_install (PdSqliteStore *self)
{
  GHashTable *entries;

  if (g_getenv ("PD_SQL_PROFILE") == NULL)
    return;
  entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, entry_free);
  sqlite3_trace_v2 (self->db, SQLITE_TRACE_PROFILE, on_trace, entries);
  g_object_set_data_full (G_OBJECT (self), "pd-sql-profile", entries, profile_print);
}
