/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdSqliteStore: the rows each import applied points for, by fingerprint
 * (import_rows, schema 17), and the look-up that finds them again in
 * another file.  The rule: src/import/pd-same-rows.c. */
#include "config.h"

#include "pd-sqlite-store-private.h"

/* Fingerprints go to SQLite as a JSON array, a chunk at a time: one
 * statement writes or looks up a chunk (json_each), in key order, instead
 * of a statement per row. */
#define CHUNK 65536

static char *
json_chunk (const gint64 *hashes,
            guint         n)
{
  GString *json = g_string_sized_new (n * 21 + 2);

  g_string_append_c (json, '[');
  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i ? "," : "", hashes[i]);
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

static gboolean
sqlite_import_write_row_hashes (PdStore       *store,
                                gint64         import_id,
                                const gint64  *hashes,
                                guint          n_hashes,
                                GError       **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);

  for (guint start = 0; start < n_hashes; start += CHUNK)
    {
      g_autofree char *json = json_chunk (hashes + start, MIN (CHUNK, n_hashes - start));
      sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
        "INSERT OR IGNORE INTO import_rows (hash, import_id) SELECT value, ?2 FROM json_each(?1)", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, import_id);
      if (!_pd_sqlite_store_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static GArray *
sqlite_count_rows_imported_before (PdStore       *store,
                                   const gint64  *hashes,
                                   guint          n_hashes,
                                   guint         *n_rows,
                                   GError       **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (PdRowsImportedBefore));
  int rc;

  *n_rows = 0;
  for (guint start = 0; start < n_hashes; start += CHUNK)
    {
      g_autofree char *json = json_chunk (hashes + start, MIN (CHUNK, n_hashes - start));
      /* the running import's own rows are "in progress", undone ones not
       * applied any more: completed imports only */
      sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
        "SELECT r.import_id, count(*) FROM json_each(?1) j "
        "JOIN import_rows r ON r.hash = j.value JOIN imports i ON i.id = r.import_id "
        "WHERE i.status = 'completed' GROUP BY r.import_id", error);
      sqlite3_stmt *total;

      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          PdRowsImportedBefore row = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int (stmt, 1) };
          guint i;

          for (i = 0; i < counts->len; i++)
            if (g_array_index (counts, PdRowsImportedBefore, i).import_id == row.import_id)
              break;
          if (i < counts->len)
            g_array_index (counts, PdRowsImportedBefore, i).n_rows += row.n_rows;
          else
            g_array_append_val (counts, row);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return _pd_sqlite_store_fail (self, error), NULL;
      if (counts->len == 0)
        continue;

      /* a row several imports applied counts once */
      total = _pd_sqlite_store_prepare (self,
        "SELECT count(*) FROM json_each(?1) j WHERE EXISTS (SELECT 1 FROM import_rows r "
        "JOIN imports i ON i.id = r.import_id WHERE r.hash = j.value AND i.status = 'completed')", error);
      if (total == NULL)
        return NULL;
      sqlite3_bind_text (total, 1, json, -1, SQLITE_STATIC);
      rc = sqlite3_step (total);
      if (rc == SQLITE_ROW)
        *n_rows += sqlite3_column_int (total, 0);
      sqlite3_reset (total);
      if (rc != SQLITE_ROW)
        return _pd_sqlite_store_fail (self, error), NULL;
    }
  return g_steal_pointer (&counts);
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
  iface->import_write_row_hashes = sqlite_import_write_row_hashes;
  iface->count_rows_imported_before = sqlite_count_rows_imported_before;
  iface->find_imported_row = sqlite_find_imported_row;
}
