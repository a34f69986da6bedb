/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPgStore: imports of several desks take turns (issue 19, "several desks
 * at once").
 *
 * Two imports of the same customers at once each hold, until they commit,
 * the rows and unique-index entries they wrote; the second one to reach a
 * customer the first wrote waited for the first's commit up to the lock
 * timeout (10 s) and then failed the whole import with BUSY.  Waiting
 * longer is not enough: an import holds its earlier batches' rows for its
 * whole transaction, so two imports of overlapping files in different
 * orders each wait for rows the other holds, and the deadlock detector's
 * victim meets the same rows again on every retry (only rolling the whole
 * import back would free them).  So an import (a dry run too: it writes
 * the same rows before rolling back) takes a transaction-scoped advisory
 * lock, the *import turn*, before anything else in begin_import: a desk
 * whose import finds another desk's running waits for its commit, is told
 * so through the wait handler (the CLI and the app say "Waiting for
 * another desk's import to finish…"), can be cancelled meanwhile, and then
 * reads, in READ COMMITTED, everything the other import committed: its
 * personas are matched, not created twice, and its row fingerprints are
 * seen (issue 17's same rows).  Interactive writes take no turn and keep
 * their own short lock timeout: a save of a persona the running import
 * wrote still fails at once with "is in use".
 *
 * Imports of disjoint customers no longer run at once.  They shared the
 * server's two cores and one disk anyway: the server's time is most of an
 * import's (see HACKING.md). */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-pg-store-private.h"

/* pg_advisory_xact_lock(bigint): "PDIMPORT" in ASCII */
#define IMPORT_LOCK "5783828417859244628"

/* How often a wait without a cancellable's descriptor looks at it. */
#define POLL_MS 250

guint
_pd_pg_default_lock_timeout (void)
{
  /* tests only: a shorter wait than the 10 s of a desk, so that a test of
   * "longer than the lock timeout" is not 10 s long */
  const char *env = g_getenv ("PD_PG_LOCK_TIMEOUT_MS");
  guint64 ms = env != NULL ? g_ascii_strtoull (env, NULL, 10) : 0;

  return ms > 0 && ms < G_MAXUINT ? (guint) ms : 10000;
}

static void
pg_set_wait_handler (PdStore         *store,
                     GCancellable    *cancellable,
                     PdStoreWaitFunc  func,
                     gpointer         data)
{
  PdPgStore *self = PD_PG_STORE (store);

  g_set_object (&self->wait_cancellable, cancellable);
  self->wait_func = func;
  self->wait_data = data;
}

/* Sends @sql and reads its results while watching the wait's cancellable:
 * cancelling sends the server a cancel request, which ends the statement
 * waiting for a lock (57014, query_canceled). */
static gboolean
run_cancellable (PdPgStore   *self,
                 const char  *sql,
                 GError     **error)
{
  GPollFD fds[2] = { { 0 } };
  gboolean watch_cancellable;
  gboolean cancelled = FALSE;
  g_autoptr(PGresult) failed = NULL;
  PGresult *result;

  self->round_trips++;
  if (!PQsendQuery (self->conn, sql))
    {
      _pd_pg_fail (self, NULL, error);
      return FALSE;
    }
  fds[0].fd = PQsocket (self->conn);
  fds[0].events = G_IO_IN;
  watch_cancellable = g_cancellable_make_pollfd (self->wait_cancellable, &fds[1]);
  while (PQisBusy (self->conn))
    {
      if (g_poll (fds, watch_cancellable ? 2 : 1, watch_cancellable ? -1 : POLL_MS) < 0 && errno != EINTR)
        break;
      if (!cancelled && g_cancellable_is_cancelled (self->wait_cancellable))
        {
          PGcancel *cancel = PQgetCancel (self->conn);
          char message[256];

          cancelled = TRUE;
          if (cancel == NULL || !PQcancel (cancel, message, sizeof message))
            g_debug ("Could not cancel the wait for the import turn: %s", cancel != NULL ? message : "");
          g_clear_pointer (&cancel, PQfreeCancel);
          /* its descriptor stays readable: the server's answer only now */
          if (watch_cancellable)
            g_cancellable_release_fd (self->wait_cancellable);
          watch_cancellable = FALSE;
        }
      if (!PQconsumeInput (self->conn))
        break;
    }
  if (watch_cancellable)
    g_cancellable_release_fd (self->wait_cancellable);
  while ((result = PQgetResult (self->conn)) != NULL)
    {
      ExecStatusType status = PQresultStatus (result);

      if (failed == NULL && status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        failed = result;
      else
        PQclear (result);
    }
  _pd_pg_collect_notifications (self);
  if (PQstatus (self->conn) == CONNECTION_OK)
    {
      PGTransactionStatusType t = PQtransactionStatus (self->conn);

      self->in_transaction = t == PQTRANS_INTRANS || t == PQTRANS_INERROR;
    }
  if (failed == NULL && PQstatus (self->conn) == CONNECTION_OK)
    return TRUE;
  if (cancelled && PQstatus (self->conn) == CONNECTION_OK &&
      g_strcmp0 (PQresultErrorField (failed, PG_DIAG_SQLSTATE), "57014") == 0)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                         _("Cancelled while waiting for another desk’s import to finish"));
  else
    _pd_pg_fail (self, failed, error);
  return FALSE;
}

/* Inside begin_import's transaction, before anything else of it: see the
 * top of this file. */
gboolean
_pd_pg_import_turn (PdPgStore  *self,
                    GError    **error)
{
  g_autoptr(PGresult) tried = _pd_pg_query (self, "SELECT pg_try_advisory_xact_lock(" IMPORT_LOCK ")",
                                            0, NULL, error);
  g_autofree char *sql = NULL;
  gint64 start;
  gboolean ok;

  if (tried == NULL)
    return FALSE;
  if (g_str_equal (PQgetvalue (tried, 0, 0), "t"))
    return TRUE;
  /* nobody to tell, nothing to cancel it with: as any other lock */
  if (self->wait_func == NULL)
    return _pd_pg_exec (self, "SELECT pg_advisory_xact_lock(" IMPORT_LOCK ")", error);

  start = g_get_monotonic_time ();
  g_debug ("import: waiting for another desk's import on %s", self->name);
  self->wait_func (TRUE, self->wait_data);
  sql = g_strdup_printf ("SET LOCAL lock_timeout = 0; SELECT pg_advisory_xact_lock(" IMPORT_LOCK "); "
                         "SET LOCAL lock_timeout = %u", self->lock_timeout_ms);
  ok = run_cancellable (self, sql, error);
  self->wait_func (FALSE, self->wait_data);
  g_debug ("import: waited %" G_GINT64_FORMAT " ms for another desk's import", (g_get_monotonic_time () - start) / 1000);
  return ok;
}

void
_pd_pg_store_init_wait (PdStoreInterface *iface)
{
  iface->set_wait_handler = pg_set_wait_handler;
}
