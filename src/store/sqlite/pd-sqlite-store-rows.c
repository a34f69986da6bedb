/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdSqliteStore: the rows each import applied points for, by fingerprint
 * (import_rows, schema 17), and the look-up that finds them again in
 * another file.  The rule: src/import/pd-same-rows.c. */
#include "config.h"

#include "pd-sqlite-store-private.h"

static gboolean
sqlite_import_write_row_hash (PdStore  *store,
                              gint64    import_id,
                              gint64    hash,
                              GError  **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);

  /* a file may hold the same row twice: one entry */
  return _pd_sqlite_store_run_id2 (self, "INSERT OR IGNORE INTO import_rows (hash, import_id) VALUES (?2, ?1)",
                                   import_id, hash, error);
}

static gint64
sqlite_find_imported_row (PdStore  *store,
                          gint64    hash,
                          GError  **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  /* A range of the primary key, newest import first: the running import's
   * own rows (in progress) and undone ones do not count. */
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "SELECT r.import_id FROM import_rows r JOIN imports i ON i.id = r.import_id "
    "WHERE r.hash = ? AND i.status = 'completed' ORDER BY r.import_id DESC LIMIT 1", error);
  gint64 id = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, hash);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    id = -1, _pd_sqlite_store_fail (self, error);
  sqlite3_reset (stmt);
  return id;
}

void
_pd_sqlite_store_init_rows (PdStoreInterface *iface)
{
  iface->import_write_row_hash = sqlite_import_write_row_hash;
  iface->find_imported_row = sqlite_find_imported_row;
}
