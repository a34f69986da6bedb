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
 * loss while idle (its socket's watch), tries to connect again every
 * RETRY_MS without blocking its main context (PQresetStart/PQresetPoll),
 * and signals "connection-lost" and "reconnected" there. */
#include "config.h"

#include <glib-unix.h>
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
}

/* The session as pd_pg_store_new() set it up, on a new connection. */
static gboolean
restore_session (PdPgStore  *self,
                 GError    **error)
{
  g_autofree char *timeout = g_strdup_printf ("SET lock_timeout = %u", self->lock_timeout_ms);

  return _pd_pg_exec (self, timeout, error) &&
         _pd_pg_exec (self, "SET client_min_messages = warning", error) &&
         _pd_pg_relisten (self, error);
}

static void retry_later (PdPgStore *self);

static gboolean
poll_reset (int           fd,
            GIOCondition  condition,
            gpointer      data)
{
  PdPgStore *self = data;
  PostgresPollingStatusType polling = PQresetPoll (self->conn);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->retry_source, g_source_unref);
  switch (polling)
    {
    case PGRES_POLLING_READING:
    case PGRES_POLLING_WRITING:
      self->retry_source = g_unix_fd_source_new (PQsocket (self->conn),
                                                 polling == PGRES_POLLING_READING ? G_IO_IN : G_IO_OUT);
      g_source_set_callback (self->retry_source, G_SOURCE_FUNC (poll_reset), self, NULL);
      g_source_attach (self->retry_source, self->listen_context);
      break;
    case PGRES_POLLING_OK:
      self->reconnecting = TRUE;
      if (restore_session (self, &error))
        note_back (self);
      else
        g_debug ("Reconnected but could not set the session up: %s", error->message);
      self->reconnecting = FALSE;
      if (PQstatus (self->conn) != CONNECTION_OK)
        retry_later (self);
      break;
    default:
      retry_later (self);
      break;
    }
  return G_SOURCE_REMOVE;
}

static gboolean
start_reset (gpointer data)
{
  PdPgStore *self = data;

  g_clear_pointer (&self->retry_source, g_source_unref);
  if (!PQresetStart (self->conn) || PQsocket (self->conn) < 0)
    {
      retry_later (self);
      return G_SOURCE_REMOVE;
    }
  /* as after PQconnectStart: wait until the socket can be written */
  self->retry_source = g_unix_fd_source_new (PQsocket (self->conn), G_IO_OUT);
  g_source_set_callback (self->retry_source, G_SOURCE_FUNC (poll_reset), self, NULL);
  g_source_attach (self->retry_source, self->listen_context);
  return G_SOURCE_REMOVE;
}

static void
retry_later (PdPgStore *self)
{
  stop_retrying (self);
  if (self->listen_context == NULL)
    return;
  self->retry_source = g_timeout_source_new (RETRY_MS);
  g_source_set_callback (self->retry_source, start_reset, self, NULL);
  g_source_set_name (self->retry_source, "[persona-desk] PostgreSQL reconnect");
  g_source_attach (self->retry_source, self->listen_context);
}

void
_pd_pg_connection_lost_while_idle (PdPgStore *self)
{
  note_lost (self);
  self->in_transaction = FALSE;
  if (self->retry_source == NULL)
    retry_later (self);
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
                  if (self->retry_source == NULL)
                    retry_later (self);
                  return PQmakeEmptyPGresult (NULL, PGRES_COMMAND_OK);
                }
              g_set_error (error, PD_ERROR, PD_ERROR_STORE,
                           _("Lost the connection to database %s. Nothing of the unfinished change was kept."),
                           self->name);
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
          if (!in_transaction && self->retry_source == NULL)
            retry_later (self);
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
