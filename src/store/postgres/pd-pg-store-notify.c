/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPgStore: other desks' writes, as they commit (LISTEN/NOTIFY; the
 * triggers of schema 5 send them).  A notification reaches libpq either
 * while the connection is idle (the socket becomes readable: a watch on
 * the caller's main context reads it) or along with a statement's result
 * (read after each statement, _pd_pg_collect_notifications()).  Either way
 * the "changed" signal is emitted from an idle callback, never from
 * inside a store call, once per table however many arrived meanwhile. */
#include "config.h"

#include <glib-unix.h>

#include "pd-pg-store-private.h"

enum {
  CHANGED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

void
_pd_pg_store_class_init_notify (PdPgStoreClass *klass)
{
  /**
   * PdPgStore::changed:
   * @table: "personas", "imports" or "outbox"
   *
   * Another connection committed a change to @table (the signal's
   * detail too).
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static gboolean
emit_changed (gpointer data)
{
  PdPgStore *self = data;
  g_autoptr(GHashTable) tables = g_steal_pointer (&self->changed_tables);
  GHashTableIter iter;
  gpointer table;

  self->changed_idle = 0;
  if (tables == NULL)
    return G_SOURCE_REMOVE;
  g_object_ref (self);
  g_hash_table_iter_init (&iter, tables);
  while (g_hash_table_iter_next (&iter, &table, NULL))
    g_signal_emit (self, signals[CHANGED], g_quark_from_string (table), (const char *) table);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

void
_pd_pg_collect_notifications (PdPgStore *self)
{
  PGnotify *notify;

  if (self->listen_source == NULL && !self->counts_listening)
    return;
  while ((notify = PQnotifies (self->conn)) != NULL)
    {
      /* any commit, this connection's too, may change a count */
      _pd_pg_counts_forget (self);
      /* this connection's own writes: the caller knows about them */
      if (self->listen_source != NULL && notify->be_pid != PQbackendPID (self->conn))
        {
          if (self->changed_tables == NULL)
            self->changed_tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_hash_table_add (self->changed_tables, g_strdup (notify->extra));
        }
      PQfreemem (notify);
    }
  if (self->changed_tables != NULL && self->changed_idle == 0)
    {
      GSource *idle = g_idle_source_new ();

      g_source_set_callback (idle, emit_changed, self, NULL);
      g_source_set_name (idle, "[persona-desk] PostgreSQL changes");
      self->changed_idle = g_source_attach (idle, g_source_get_context (self->listen_source));
      g_source_unref (idle);
    }
}

/* The socket's watch and a pending emission, not the wish to listen
 * (a reconnect listens again, _pd_pg_relisten()). */
static void
drop_source (PdPgStore *self)
{
  if (self->changed_idle != 0 && self->listen_source != NULL)
    {
      GSource *idle = g_main_context_find_source_by_id (g_source_get_context (self->listen_source),
                                                        self->changed_idle);

      if (idle != NULL)
        g_source_destroy (idle);
    }
  self->changed_idle = 0;
  if (self->listen_source != NULL)
    {
      g_source_destroy (self->listen_source);
      g_clear_pointer (&self->listen_source, g_source_unref);
    }
  g_clear_pointer (&self->changed_tables, g_hash_table_unref);
}

static gboolean
on_readable (int           fd,
             GIOCondition  condition,
             gpointer      data)
{
  PdPgStore *self = data;

  /* a lost connection: nothing more comes until a reconnect, which
   * pd-pg-store-connection.c tries now and then */
  if (!PQconsumeInput (self->conn))
    {
      drop_source (self);
      _pd_pg_connection_lost_while_idle (self);
      return G_SOURCE_REMOVE;
    }
  _pd_pg_collect_notifications (self);
  return G_SOURCE_CONTINUE;
}

void
_pd_pg_stop_listening (PdPgStore *self)
{
  drop_source (self);
  g_clear_pointer (&self->listen_context, g_main_context_unref);
}

static gboolean
start_listening (PdPgStore  *self,
                 GError    **error)
{
  if (!_pd_pg_exec (self, "LISTEN pd_changes", error))
    return FALSE;
  self->listen_source = g_unix_fd_source_new (PQsocket (self->conn), G_IO_IN);
  g_source_set_callback (self->listen_source, G_SOURCE_FUNC (on_readable), self, NULL);
  g_source_set_name (self->listen_source, "[persona-desk] PostgreSQL notifications");
  g_source_attach (self->listen_source, self->listen_context);
  return TRUE;
}

void
_pd_pg_unlisten_socket (PdPgStore *self)
{
  drop_source (self);
  /* the connection is lost: its LISTEN with it */
  _pd_pg_counts_reset (self);
}

gboolean
_pd_pg_relisten (PdPgStore  *self,
                 GError    **error)
{
  drop_source (self);
  return self->listen_context == NULL || start_listening (self, error);
}

gboolean
pd_pg_store_listen (PdPgStore  *self,
                    GError    **error)
{
  g_return_val_if_fail (PD_IS_PG_STORE (self), FALSE);

  if (self->listen_context != NULL)
    return TRUE;
  self->listen_context = g_main_context_ref_thread_default ();
  if (!start_listening (self, error))
    {
      g_clear_pointer (&self->listen_context, g_main_context_unref);
      return FALSE;
    }
  return TRUE;
}
