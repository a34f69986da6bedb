/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-store.h"
#include "pd-sqlite-store.h"

G_BEGIN_DECLS

/* PdPgStore: the PdStore kept in a PostgreSQL database, shared by the
 * desks of a chain.  One object is one libpq connection and belongs to
 * one thread, as a PdSqliteStore does. */

#define PD_TYPE_PG_STORE (pd_pg_store_get_type ())
G_DECLARE_FINAL_TYPE (PdPgStore, pd_pg_store, PD, PG_STORE, GObject)

PdPgStore  *pd_pg_store_new          (const char  *uri,
                                      GError     **error);
/* The database's name and host, for messages and the UI: never the password. */
const char *pd_pg_store_get_name     (PdPgStore   *self);
gboolean    pd_pg_store_uri_is_postgres (const char *db);
/* persona-desk-cli migrate: the whole desk database into an empty one. */
gboolean    pd_pg_store_copy_from_sqlite (PdPgStore      *self,
                                          PdSqliteStore  *source,
                                          void          (*progress) (const char *table,
                                                                     gint64      rows,
                                                                     gpointer    data),
                                          gpointer        progress_data,
                                          GError        **error);

/* Other desks' writes: after this, the store emits "changed" (detailed by
 * the table: "changed::personas", "changed::imports", "changed::outbox")
 * on the thread-default main context of the caller, within a moment of
 * another connection's commit (LISTEN/NOTIFY; its own writes are not
 * signalled), so that a list can refresh without polling. */
gboolean    pd_pg_store_listen       (PdPgStore   *self,
                                      GError     **error);
/* FALSE after the connection was lost, until a new one is made (the next
 * statement outside a transaction tries; a listening store also tries
 * every second and signals "connection-lost" and "reconnected" on the
 * listening context). */
gboolean    pd_pg_store_is_connected (PdPgStore   *self);

G_END_DECLS
