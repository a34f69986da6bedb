/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd_store_open(): the store that a --db value names.  The one place that
 * knows every implementation. */
#include "config.h"

#include "pd-pg-store.h"
#include "pd-sqlite-store.h"
#include "pd-store.h"

/**
 * pd_store_open:
 * @db: a postgresql:// or postgres:// URI (any libpq connection URI; the
 *   PG* environment variables and ~/.pgpass are libpq's), else the path of
 *   a SQLite database file
 *
 * Returns: (transfer full) (nullable): the store, or NULL with @error
 */
PdStore *
pd_store_open (const char  *db,
               GError     **error)
{
  g_return_val_if_fail (db != NULL, NULL);

  if (pd_pg_store_uri_is_postgres (db))
    return (PdStore *) pd_pg_store_new (db, error);
  return (PdStore *) pd_sqlite_store_new (db, error);
}

/**
 * pd_store_dup_display_name:
 *
 * Returns: (transfer full): what to call the open database in messages and
 *   the UI: the file's path, or the PostgreSQL database and host (never a
 *   password)
 */
char *
pd_store_dup_display_name (PdStore *self)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);

  if (PD_IS_PG_STORE (self))
    return g_strdup (pd_pg_store_get_name (PD_PG_STORE (self)));
  if (PD_IS_SQLITE_STORE (self))
    return g_strdup (pd_sqlite_store_get_path (PD_SQLITE_STORE (self)));
  return g_strdup (G_OBJECT_TYPE_NAME (self));
}
