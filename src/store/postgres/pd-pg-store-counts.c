/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPgStore: the list's counts kept between calls.  Counting the active
 * list reads every one of its index entries (a million personas: a few
 * hundred milliseconds), and the list counts again after every search
 * cleared and every other desk's change.  SQLite keeps its unfiltered
 * counts until PRAGMA data_version says a connection wrote; PostgreSQL has
 * no such number, but schema 5's triggers send a notification at the
 * commit of every change to personas or imports, to every connection that
 * LISTENs, this one included.  So a connection that keeps counts LISTENs
 * (before the first count it keeps: a commit after that count's snapshot
 * is always notified after it), and forgets every count when any
 * notification arrives:
 * - its own writes: PostgreSQL 15 sends a session its own notifications
 *   before the COMMIT's answer, so the next count is right;
 * - other desks': their commit signals this connection's server process
 *   before it returns to them, and a statement (an empty one, before any
 *   kept count is answered) brings the notification with its answer: a
 *   count asked after another desk's write returned is right.
 * Nothing is kept or answered from inside a transaction (an import's own
 * uncommitted personas, a rollback that notifies nobody), nor across a
 * reconnect (the LISTEN goes with the old session). */
#include "config.h"

#include "pd-pg-store-private.h"

/* A search's count is not kept: its rows depend on emails and phones
 * too, and it is asked once per search typed. */
static char *
count_key (const PdPersonaQuery *query)
{
  if (query->search != NULL && query->search[0] != '\0')
    return NULL;
  return g_strdup_printf ("%d:%" G_GINT64_FORMAT, query->view, query->import_id);
}

void
_pd_pg_counts_forget (PdPgStore *self)
{
  self->counts_generation++;
  if (self->counts != NULL)
    g_hash_table_remove_all (self->counts);
}

/* After a reconnect: the new session does not listen yet. */
void
_pd_pg_counts_reset (PdPgStore *self)
{
  _pd_pg_counts_forget (self);
  self->counts_listening = FALSE;
}

/* Whether what is kept (counts, landmarks) can be used or kept: the
 * connection idle and listening.  Reads what notifications arrived. */
gboolean
_pd_pg_cache_usable (PdPgStore *self)
{
  if (PQtransactionStatus (self->conn) != PQTRANS_IDLE)
    return FALSE;
  if (!self->counts_listening)
    {
      g_autoptr(GError) error = NULL;

      /* No LISTEN, no cache: the count is still right, only not kept. */
      if (!_pd_pg_exec (self, "LISTEN pd_changes", &error))
        {
          g_debug ("Counts not kept: %s", error->message);
          return FALSE;
        }
      self->counts_listening = TRUE;
      _pd_pg_counts_forget (self);
      return TRUE;
    }
  /* One empty statement: a commit that returned to another desk before
   * this call has signalled this connection's server process, which sends
   * the notification before this statement's answer (reading the socket
   * alone missed it now and then: /store/pg/listing).  A round trip
   * instead of a scan of the list. */
  {
    g_autoptr(GError) error = NULL;

    if (!_pd_pg_exec (self, "SELECT", &error))
      {
        _pd_pg_counts_forget (self);
        return FALSE;
      }
  }
  return TRUE;
}

/* TRUE with *@count when a count of @query is kept and still right;
 * else *@generation is for _pd_pg_counts_keep(). */
gboolean
_pd_pg_counts_lookup (PdPgStore            *self,
                      const PdPersonaQuery *query,
                      guint                *count,
                      guint                *generation)
{
  g_autofree char *key = count_key (query);
  gpointer value;

  *generation = self->counts_generation;
  if (key == NULL || !_pd_pg_cache_usable (self))
    return FALSE;
  *generation = self->counts_generation;
  if (self->counts == NULL)
    return FALSE;
  if (!g_hash_table_lookup_extended (self->counts, key, NULL, &value))
    return FALSE;
  *count = GPOINTER_TO_UINT (value);
  return TRUE;
}

/* @count was counted by a statement sent after the lookup that missed
 * and gave @generation.  A notification read meanwhile (with the count's
 * own answer) may be of a commit after the count's snapshot: then the
 * count is not kept. */
void
_pd_pg_counts_keep (PdPgStore            *self,
                    const PdPersonaQuery *query,
                    guint                 count,
                    guint                 generation)
{
  g_autofree char *key = count_key (query);

  if (key == NULL || !self->counts_listening || generation != self->counts_generation ||
      PQtransactionStatus (self->conn) != PQTRANS_IDLE)
    return;
  if (self->counts == NULL)
    self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_insert (self->counts, g_steal_pointer (&key), GUINT_TO_POINTER (count));
}
