/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdSqliteStore: each import's per-row results (failed, ignored, warned
 * rows with their cells, and the file's header row), kept so that the
 * results report of any past import can be written again. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-sqlite-store-private.h"

/* The data blob, since a million failed rows made packing it as a
 * GVariant the larger part of keeping them: 0xFF (never the first byte of
 * the older "(asas)" GVariant, whose strings are UTF-8), a format byte,
 * the numbers of reasons and cells (guint32, little-endian), then the
 * reasons and the cells as NUL-terminated strings.  Blobs written before
 * are GVariants of RESULT_TYPE, read as such. */
#define PACKED_MAGIC   0xFF
#define PACKED_FORMAT  1
#define PACKED_HEADER  (1 + 1 + 4 + 4)
#define RESULT_TYPE    "(asas)"

static void
pack_string (GByteArray *buf,
             const char *text)
{
  g_byte_array_append (buf, (const guint8 *) text, strlen (text) + 1);
}

static void
pack_record (GByteArray                 *buf,
             const PdImportResultRecord *record)
{
  guint32 n_reasons = 0;
  guint32 n_le;
  guint8 head[2] = { PACKED_MAGIC, PACKED_FORMAT };

  while (record->reasons != NULL && record->reasons[n_reasons] != NULL)
    n_reasons++;
  g_byte_array_append (buf, head, 2);
  n_le = GUINT32_TO_LE (n_reasons);
  g_byte_array_append (buf, (const guint8 *) &n_le, 4);
  n_le = GUINT32_TO_LE (record->n_cells);
  g_byte_array_append (buf, (const guint8 *) &n_le, 4);
  for (guint i = 0; i < n_reasons; i++)
    pack_string (buf, record->reasons[i]);
  for (guint c = 0; c < record->n_cells; c++)
    /* the report is UTF-8: a cell that could not be decoded stays empty */
    pack_string (buf, record->cells[c] != NULL && g_utf8_validate (record->cells[c], -1, NULL)
                      ? record->cells[c] : "");
}

/* Points @strings (n + 1, NULL-terminated) at the next @n strings of a
 * packed blob; FALSE when the blob is damaged. */
static gboolean
unpack_strings (const char **p,
                const char  *end,
                guint32      n,
                const char **strings)
{
  for (guint32 i = 0; i < n; i++)
    {
      const char *nul = *p < end ? memchr (*p, '\0', end - *p) : NULL;

      if (nul == NULL)
        return FALSE;
      strings[i] = *p;
      *p = nul + 1;
    }
  strings[n] = NULL;
  return TRUE;
}

static gboolean
sqlite_import_write_result (PdStore                    *store,
                            gint64                      import_id,
                            const PdImportResultRecord *record,
                            GError                    **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self->in_import, FALSE);

  if (self->result_buffer == NULL)
    self->result_buffer = g_byte_array_sized_new (1024);
  g_byte_array_set_size (self->result_buffer, 0);
  pack_record (self->result_buffer, record);

  stmt = _pd_sqlite_store_prepare (self,
    "INSERT OR REPLACE INTO import_results (import_id, row, outcome, persona_id, data) VALUES (?, ?, ?, ?, ?)",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, import_id);
  sqlite3_bind_int64 (stmt, 2, record->row);
  if (record->outcome != NULL)
    sqlite3_bind_text (stmt, 3, record->outcome, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 3);
  sqlite3_bind_int64 (stmt, 4, record->persona_id);
  sqlite3_bind_blob (stmt, 5, self->result_buffer->data, self->result_buffer->len, SQLITE_STATIC);
  return _pd_sqlite_store_step_done (self, stmt, error);
}

static gboolean
sqlite_foreach_import_result (PdStore             *store,
                              gint64               import_id,
                              PdImportResultFunc   func,
                              gpointer             user_data,
                              GError             **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  int rc;

  /* A statement of its own, not the cached one: @func may use the store. */
  if (sqlite3_prepare_v2 (self->db,
                          "SELECT row, outcome, persona_id, data FROM import_results WHERE import_id = ? "
                          /* a blocklisted persona's rows are in no report (issue 16) */
                          "AND persona_id NOT IN (SELECT id FROM personas WHERE blocklisted <> 0) "
                          "ORDER BY row", -1, &stmt, NULL) != SQLITE_OK)
    return _pd_sqlite_store_fail (self, error);
  sqlite3_bind_int64 (stmt, 1, import_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *blob = sqlite3_column_blob (stmt, 3);
      gsize size = sqlite3_column_bytes (stmt, 3);
      g_autoptr(GVariant) data = NULL;
      g_autofree const char **reasons = NULL;
      g_autofree const char **cells = NULL;
      gsize n_cells = 0;
      PdImportResultRecord record = { 0 };
      gboolean go_on;

      if (size >= PACKED_HEADER && (guint8) blob[0] == PACKED_MAGIC && blob[1] == PACKED_FORMAT)
        {
          const char *p = blob + PACKED_HEADER;
          guint32 n_reasons;
          guint32 n;

          memcpy (&n_reasons, blob + 2, 4);
          memcpy (&n, blob + 6, 4);
          n_reasons = GUINT32_FROM_LE (n_reasons);
          n = GUINT32_FROM_LE (n);
          /* each string takes a byte at least: bounds the allocations */
          if (n_reasons > size || n > size)
            continue;
          reasons = g_new (const char *, n_reasons + 1);
          cells = g_new (const char *, n + 1);
          if (!unpack_strings (&p, blob + size, n_reasons, reasons) ||
              !unpack_strings (&p, blob + size, n, cells))
            continue;
          n_cells = n;
        }
      else
        {
          g_autoptr(GBytes) bytes = g_bytes_new (blob, size);

          data = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (RESULT_TYPE), bytes, FALSE));
          g_variant_get (data, "(^a&s^a&s)", &reasons, &cells);
          n_cells = cells != NULL ? g_strv_length ((char **) cells) : 0;
        }
      record.row = sqlite3_column_int64 (stmt, 0);
      record.outcome = (const char *) sqlite3_column_text (stmt, 1);
      record.persona_id = sqlite3_column_int64 (stmt, 2);
      record.reasons = reasons;
      record.cells = cells;
      record.n_cells = n_cells;
      go_on = func (&record, user_data);
      if (!go_on)
        break;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _pd_sqlite_store_fail (self, error);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

/* The newest completed import whose kept file has this SHA-256 (schema
 * 10).  Undone, failed and cancelled imports applied nothing. */
static PdImportInfo *
sqlite_find_import_by_sha256 (PdStore     *store,
                              const char  *sha256,
                              GError     **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "SELECT i.id FROM import_files f JOIN imports i ON i.id = f.import_id "
    "WHERE f.sha256 = ? AND i.status = ? ORDER BY i.id DESC LIMIT 1", error);
  gint64 id = 0;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, pd_import_status_to_string (PD_IMPORT_STATUS_COMPLETED), -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error), NULL;
  if (id == 0)
    return NULL;
  return pd_store_get_import (store, id, error);
}

void
_pd_sqlite_store_init_results (PdStoreInterface *iface)
{
  iface->find_import_by_sha256 = sqlite_find_import_by_sha256;
  iface->import_write_result = sqlite_import_write_result;
  iface->foreach_import_result = sqlite_foreach_import_result;
}
