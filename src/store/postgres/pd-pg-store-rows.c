/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPgStore: the rows each import applied points for, by fingerprint
 * (import_rows), and the look-up that finds them again in another file
 * (issue 17 on PostgreSQL).  The rule: src/import/pd-same-rows.c; the
 * SQLite store's pd-sqlite-store-rows.c is the reference. */
#include "config.h"

#include "pd-pg-store-private.h"

/* Version 11: the SQLite store's schema 17.  Keyed by hash: a look-up of
 * a chunk of sorted fingerprints is a walk of one index. */
const char _pd_pg_schema_v11[] =
  "CREATE TABLE import_rows ("
  "  hash bigint NOT NULL,"
  "  import_id bigint NOT NULL REFERENCES imports(id) ON DELETE CASCADE,"
  "  PRIMARY KEY (hash, import_id)"
  ");";

/* Fingerprints go as a bigint[] literal, a chunk at a time: one statement
 * writes or looks up a chunk (unnest), instead of one per row.  65,536
 * fingerprints are about 1.3 MB of text. */
#define CHUNK 65536

static char *
array_chunk (const gint64 *hashes,
             guint         n)
{
  GString *text = g_string_sized_new (n * 21 + 2);

  g_string_append_c (text, '{');
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s%" G_GINT64_FORMAT, i ? "," : "", hashes[i]);
  g_string_append_c (text, '}');
  return g_string_free (text, FALSE);
}

static gboolean
pg_import_write_row_hashes (PdStore       *store,
                            gint64         import_id,
                            const gint64  *hashes,
                            guint          n_hashes,
                            GError       **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autofree char *import_text = g_strdup_printf ("%" G_GINT64_FORMAT, import_id);

  for (guint start = 0; start < n_hashes; start += CHUNK)
    {
      g_autofree char *chunk = array_chunk (hashes + start, MIN (CHUNK, n_hashes - start));
      const char *values[] = { chunk, import_text };
      g_autoptr(PGresult) result = _pd_pg_query (self,
        "INSERT INTO import_rows (hash, import_id) SELECT DISTINCT h, $2::bigint FROM unnest($1::bigint[]) AS h "
        "ON CONFLICT DO NOTHING", 2, values, error);

      if (result == NULL)
        return FALSE;
    }
  return TRUE;
}

static GArray *
pg_count_rows_imported_before (PdStore       *store,
                               const gint64  *hashes,
                               guint          n_hashes,
                               guint         *n_rows,
                               GError       **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (PdRowsImportedBefore));

  *n_rows = 0;
  for (guint start = 0; start < n_hashes; start += CHUNK)
    {
      g_autofree char *chunk = array_chunk (hashes + start, MIN (CHUNK, n_hashes - start));
      const char *values[] = { chunk };
      /* per import, and (the last row, import 0) each row counted once
       * however many imports applied it; the running import's own rows
       * are "in progress", undone ones not applied any more: completed
       * imports only */
      g_autoptr(PGresult) result = _pd_pg_query (self,
        "WITH found AS (SELECT r.hash, r.import_id FROM unnest($1::bigint[]) AS j(h) "
        "  JOIN import_rows r ON r.hash = j.h JOIN imports i ON i.id = r.import_id "
        "  WHERE i.status = 'completed') "
        "SELECT import_id, count(*) FROM found GROUP BY import_id "
        "UNION ALL SELECT 0, count(DISTINCT hash) FROM found", 1, values, error);

      if (result == NULL)
        return NULL;
      for (int r = 0; r < PQntuples (result); r++)
        {
          PdRowsImportedBefore row = { _pd_pg_int64 (result, r, 0), (guint) _pd_pg_int64 (result, r, 1) };
          guint i;

          if (row.import_id == 0)
            {
              *n_rows += row.n_rows;
              continue;
            }
          for (i = 0; i < counts->len; i++)
            if (g_array_index (counts, PdRowsImportedBefore, i).import_id == row.import_id)
              break;
          if (i < counts->len)
            g_array_index (counts, PdRowsImportedBefore, i).n_rows += row.n_rows;
          else
            g_array_append_val (counts, row);
        }
    }
  return g_steal_pointer (&counts);
}

static gint64
pg_find_imported_row (PdStore  *store,
                      gint64    hash,
                      GError  **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autofree char *hash_text = g_strdup_printf ("%" G_GINT64_FORMAT, hash);
  const char *values[] = { hash_text };
  /* a range of the primary key, newest import first */
  g_autoptr(PGresult) result = _pd_pg_query (self,
    "SELECT r.import_id FROM import_rows r JOIN imports i ON i.id = r.import_id "
    "WHERE r.hash = $1 AND i.status = 'completed' ORDER BY r.import_id DESC LIMIT 1", 1, values, error);

  if (result == NULL)
    return -1;
  return PQntuples (result) > 0 ? _pd_pg_int64 (result, 0, 0) : 0;
}

void
_pd_pg_store_init_rows (PdStoreInterface *iface)
{
  iface->import_write_row_hashes = pg_import_write_row_hashes;
  iface->count_rows_imported_before = pg_count_rows_imported_before;
  iface->find_imported_row = pg_find_imported_row;
}
