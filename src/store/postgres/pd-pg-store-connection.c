/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPgStore: a lost connection (a server restart, a network cut, an
 * administrator's pg_terminate_backend) and getting it back.
 *
 * Every statement goes through _pd_pg_run().  Outside a transaction a
 * broken connection is replaced by a new one (PQreset: the same
 * parameters; the session's lock timeout and LISTEN set again) and a
 * statement that changes nothing (a read, BEGIN, SET, LISTEN) is sent once
 * more.  Inside a transaction the server has rolled the transaction back
 * with the connection, so the statement fails with "Lost the connection …
 * Nothing of the unfinished change was kept", and so does every statement
 * after it until the caller's ROLLBACK: never is a transaction's second
 * half written on its own on a new connection.
 *
 * A store that listens (the app's, pd_pg_store_listen()) also notices the
 * loss while idle (its socket's watch), and signals "connection-lost" and
 * "reconnected" on its main context.  It never connects on that context's
 * thread: a server that does not answer (a host gone from the network)
 * would freeze the window for the whole connect timeout, and a host name
 * is looked up by a blocking getaddrinfo().  A worker thread connects
 * instead (a GTask, RETRY_MS after the last attempt), sets the session up
 * on its own connection, and only a connection that is whole replaces the
 * lost one on the main context.  Meanwhile a statement on the listening
 * store fails at once ("… trying to connect again"): nothing runs on a
 * half-open connection, and the lists reload on "reconnected". */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-pg-store-private.h"

#define RETRY_MS 1000

enum {
  CONNECTION_LOST,
  RECONNECTED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

void
_pd_pg_store_class_init_connection (PdPgStoreClass *klass)
{
  /**
   * PdPgStore::connection-lost:
   *
   * The connection to the server was lost (emitted on the listening
   * context, pd_pg_store_listen()).  Whatever transaction was running on
   * it was rolled back by the server; the store tries to connect again.
   */
  signals[CONNECTION_LOST] = g_signal_new ("connection-lost", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * PdPgStore::reconnected:
   *
   * The store is connected again after "connection-lost".  Other desks'
   * commits in between were not signalled: a list reloads.
   */
  signals[RECONNECTED] = g_signal_new ("reconnected", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

gboolean
pd_pg_store_is_connected (PdPgStore *self)
{
  g_return_val_if_fail (PD_IS_PG_STORE (self), FALSE);
  return PQstatus (self->conn) == CONNECTION_OK;
}

static gboolean
emit_connection (gpointer data)
{
  PdPgStore *self = data;
  gboolean lost = self->lost_unsignalled;
  gboolean back = self->back_unsignalled;

  self->connection_idle = 0;
  self->lost_unsignalled = FALSE;
  self->back_unsignalled = FALSE;
  g_object_ref (self);
  if (lost)
    g_signal_emit (self, signals[CONNECTION_LOST], 0);
  if (back)
    g_signal_emit (self, signals[RECONNECTED], 0);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* Signalled from an idle callback, never from inside a store call. */
static void
queue_signal (PdPgStore *self)
{
  GSource *idle;

  if (self->listen_context == NULL || self->connection_idle != 0)
    return;
  idle = g_idle_source_new ();
  g_source_set_callback (idle, emit_connection, self, NULL);
  g_source_set_name (idle, "[persona-desk] PostgreSQL connection");
  self->connection_idle = g_source_attach (idle, self->listen_context);
  g_source_unref (idle);
}

static void
note_lost (PdPgStore *self)
{
  if (self->lost_noticed)
    return;
  self->lost_noticed = TRUE;
  self->lost_unsignalled = TRUE;
  self->back_unsignalled = FALSE;
  queue_signal (self);
}

static void
note_back (PdPgStore *self)
{
  if (!self->lost_noticed)
    return;
  self->lost_noticed = FALSE;
  self->back_unsignalled = TRUE;
  queue_signal (self);
}

static void
stop_retrying (PdPgStore *self)
{
  if (self->retry_source != NULL)
    {
      g_source_destroy (self->retry_source);
      g_clear_pointer (&self->retry_source, g_source_unref);
    }
  /* the worker finishes its attempt and drops what it got */
  g_cancellable_cancel (self->reconnecting_cancellable);
  g_clear_object (&self->reconnecting_cancellable);
}

PGconn *
_pd_pg_connect (const char *uri)
{
  /* A server that does not answer (a host gone from the network) is
   * given up on after 10 s unless the URI or PGCONNECT_TIMEOUT says
   * otherwise: a command-line reconnect (PQreset, the same parameters)
   * and the app's worker must not wait for the minutes of a TCP timeout.
   * The URI comes after, so its own connect_timeout wins. */
  const char *timeout = g_getenv ("PGCONNECT_TIMEOUT");
  const char *keywords[] = { "connect_timeout", "dbname", NULL };
  const char *values[] = { timeout != NULL && *timeout != '\0' ? timeout : "10", uri, NULL };

  return PQconnectdbParams (keywords, values, 1);
}

/* The session as pd_pg_store_new() set it up, on a new connection. */
static gboolean
restore_session (PdPgStore  *self,
                 GError    **error)
{
  g_autofree char *timeout = g_strdup_printf ("SET lock_timeout = %u", self->lock_timeout_ms);

  return _pd_pg_exec (self, timeout, error) &&
         _pd_pg_exec (self, PD_PG_SESSION_SETTINGS, error) &&
         _pd_pg_relisten (self, error);
}

static void retry_later (PdPgStore *self);

/* What the worker needs: copies, since the store may go meanwhile. */
typedef struct {
  char  *uri;
  char  *name;
  guint  lock_timeout_ms;
} Attempt;

static void
attempt_free (Attempt *attempt)
{
  g_free (attempt->uri);
  g_free (attempt->name);
  g_free (attempt);
}

/* In the worker thread: a new connection, its session set up. */
static void
connect_in_thread (GTask        *task,
                   gpointer      source,
                   gpointer      data,
                   GCancellable *cancellable)
{
  Attempt *attempt = data;
  PGconn *conn = _pd_pg_connect (attempt->uri);
  g_autofree char *timeout = g_strdup_printf ("SET lock_timeout = %u", attempt->lock_timeout_ms);
  const char *session[] = { timeout, PD_PG_SESSION_SETTINGS };
  g_autofree char *message = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (session) && PQstatus (conn) == CONNECTION_OK && message == NULL; i++)
    {
      PGresult *result = PQexec (conn, session[i]);

      if (PQresultStatus (result) != PGRES_COMMAND_OK)
        message = g_strdup (PQresultErrorMessage (result));
      PQclear (result);
    }
  if (message == NULL && PQstatus (conn) != CONNECTION_OK)
    message = g_strdup (PQerrorMessage (conn));
  if (message != NULL)
    {
      g_strstrip (message);
      g_task_return_new_error (task, PD_ERROR, PD_ERROR_STORE,
                               _("Cannot connect to database %s again: %s"), attempt->name, message);
      PQfinish (conn);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      PQfinish (conn);
      return;
    }
  g_task_return_pointer (task, conn, (GDestroyNotify) PQfinish);
}

/* Back on the listening context. */
static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  PdPgStore *self = data;
  Attempt *attempt = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  PGconn *conn = g_task_propagate_pointer (G_TASK (result), &error);
  gboolean ok;

  /* stopped (the store may be gone): before touching self */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->reconnecting_cancellable);
  if (conn == NULL)
    {
      g_debug ("%s", error->message);
      retry_later (self);
      return;
    }
  _pd_pg_unlisten_socket (self);
  PQfinish (self->conn);
  self->conn = conn;
  self->in_transaction = FALSE;
  /* LISTEN (and a lock timeout changed meanwhile) on a connection that
   * has just answered */
  self->reconnecting = TRUE;
  if (attempt->lock_timeout_ms == self->lock_timeout_ms)
    ok = _pd_pg_relisten (self, &error);
  else
    ok = restore_session (self, &error);
  self->reconnecting = FALSE;
  if (ok)
    note_back (self);
  else
    {
      g_debug ("Reconnected but could not set the session up: %s", error->message);
      if (PQstatus (self->conn) != CONNECTION_OK)
        retry_later (self);
    }
}

static gboolean
start_attempt (gpointer data)
{
  PdPgStore *self = data;
  g_autoptr(GTask) task = NULL;
  Attempt *attempt = g_new0 (Attempt, 1);

  g_clear_pointer (&self->retry_source, g_source_unref);
  attempt->uri = g_strdup (self->uri);
  attempt->name = g_strdup (self->name);
  attempt->lock_timeout_ms = self->lock_timeout_ms;
  self->reconnecting_cancellable = g_cancellable_new ();
  /* no source object: the task must not keep the store alive; its
   * callback runs on the listening context */
  g_main_context_push_thread_default (self->listen_context);
  task = g_task_new (NULL, self->reconnecting_cancellable, on_connected, self);
  g_main_context_pop_thread_default (self->listen_context);
  g_task_set_source_tag (task, start_attempt);
  g_task_set_task_data (task, attempt, (GDestroyNotify) attempt_free);
  g_task_run_in_thread (task, connect_in_thread);
  return G_SOURCE_REMOVE;
}

static void
retry_later (PdPgStore *self)
{
  stop_retrying (self);
  if (self->listen_context == NULL)
    return;
  self->retry_source = g_timeout_source_new (RETRY_MS);
  g_source_set_callback (self->retry_source, start_attempt, self, NULL);
  g_source_set_name (self->retry_source, "[persona-desk] PostgreSQL reconnect");
  g_source_attach (self->retry_source, self->listen_context);
}

/* An attempt waiting or under way stays: starting over would give a
 * server that is slow to answer no chance. */
static void
keep_trying (PdPgStore *self)
{
  if (self->retry_source == NULL && self->reconnecting_cancellable == NULL)
    retry_later (self);
}

void
_pd_pg_connection_lost_while_idle (PdPgStore *self)
{
  note_lost (self);
  self->in_transaction = FALSE;
  keep_trying (self);
}

void
_pd_pg_stop_reconnecting (PdPgStore *self)
{
  stop_retrying (self);
  if (self->connection_idle != 0 && self->listen_context != NULL)
    {
      GSource *idle = g_main_context_find_source_by_id (self->listen_context, self->connection_idle);

      if (idle != NULL)
        g_source_destroy (idle);
    }
  self->connection_idle = 0;
}

gboolean
_pd_pg_reconnect (PdPgStore  *self,
                  GError    **error)
{
  gboolean ok;

  if (PQstatus (self->conn) == CONNECTION_OK)
    return TRUE;
  stop_retrying (self);
  note_lost (self);
  self->in_transaction = FALSE;
  _pd_pg_unlisten_socket (self);
  PQreset (self->conn);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *message = g_strdup (PQerrorMessage (self->conn));

      g_strstrip (message);
      g_set_error (error, PD_ERROR, PD_ERROR_STORE,
                   _("Lost the connection to database %s and cannot connect again: %s"),
                   self->name, message);
      retry_later (self);
      return FALSE;
    }
  /* the server forgot the session's settings and LISTEN with the old one */
  self->reconnecting = TRUE;
  ok = restore_session (self, error);
  self->reconnecting = FALSE;
  if (ok)
    note_back (self);
  else if (PQstatus (self->conn) != CONNECTION_OK)
    retry_later (self);
  return ok;
}

/* A listening store's statement while its connection is lost: no wait
 * on this thread; the worker's attempt goes on. */
static void
not_connected (PdPgStore  *self,
               GError    **error)
{
  note_lost (self);
  keep_trying (self);
  g_set_error (error, PD_ERROR, PD_ERROR_STORE,
               _("Lost the connection to database %s. Trying to connect again; nothing was changed."),
               self->name);
}

/* Statements that change nothing when sent again on a new connection
 * outside a transaction. */
static gboolean
may_send_again (const char *sql)
{
  return g_str_has_prefix (sql, "SELECT ") || g_str_equal (sql, "BEGIN") ||
         g_str_has_prefix (sql, "SET ") || g_str_has_prefix (sql, "LISTEN ");
}

PGresult *
_pd_pg_run (PdPgStore          *self,
            const char         *sql,
            int                 n_params,
            const Oid          *types,
            const char * const *values,
            const int          *lengths,
            const int          *formats,
            gboolean            simple,
            GError            **error)
{
  for (guint attempt = 0; ; attempt++)
    {
      PGresult *result;
      ExecStatusType status;
      gboolean in_transaction;

      if (PQstatus (self->conn) != CONNECTION_OK && !self->reconnecting)
        {
          if (self->in_transaction)
            {
              /* the caller's ROLLBACK after the loss: the server did it */
              if (g_str_equal (sql, "ROLLBACK"))
                {
                  self->in_transaction = FALSE;
                  keep_trying (self);
                  return PQmakeEmptyPGresult (NULL, PGRES_COMMAND_OK);
                }
              g_set_error (error, PD_ERROR, PD_ERROR_STORE,
                           _("Lost the connection to database %s. Nothing of the unfinished change was kept."),
                           self->name);
              return NULL;
            }
          if (self->listen_context != NULL)
            {
              not_connected (self, error);
              return NULL;
            }
          if (!_pd_pg_reconnect (self, error))
            return NULL;
        }

      in_transaction = self->in_transaction;
      self->round_trips++;
      if (simple)
        result = PQexec (self->conn, sql);
      else
        result = PQexecParams (self->conn, sql, n_params, types, values, lengths, formats, 0);
      _pd_pg_collect_notifications (self);
      status = PQresultStatus (result);
      if (PQstatus (self->conn) == CONNECTION_OK)
        {
          PGTransactionStatusType t = PQtransactionStatus (self->conn);

          self->in_transaction = t == PQTRANS_INTRANS || t == PQTRANS_INERROR;
        }
      if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        return result;
      if (PQstatus (self->conn) != CONNECTION_OK && !self->reconnecting)
        {
          note_lost (self);
          /* libpq closed the socket: its number may be reused by anything */
          _pd_pg_unlisten_socket (self);
          /* a listening store tries again by itself, once no transaction
           * of the caller's is left to roll back */
          if (!in_transaction)
            keep_trying (self);
          if (!in_transaction && may_send_again (sql) && self->listen_context != NULL)
            {
              PQclear (result);
              not_connected (self, error);
              return NULL;
            }
          if (!in_transaction && attempt == 0 && may_send_again (sql))
            {
              g_debug ("Lost the connection to %s; connecting again for: %.40s", self->name, sql);
              PQclear (result);
              continue;
            }
          if (in_transaction ? g_str_equal (sql, "COMMIT") : !may_send_again (sql))
            {
              /* the commit, or a write that commits itself (outside a
               * transaction: one statement), may have reached the
               * server: all or nothing */
              g_set_error (error, PD_ERROR, PD_ERROR_STORE,
                           _("Lost the connection to database %s while it was committing: the change was "
                             "either kept whole or not at all. Look before trying again."), self->name);
              PQclear (result);
              return NULL;
            }
        }
      _pd_pg_fail (self, result, error);
      PQclear (result);
      return NULL;
    }
}
