/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdSqliteStore: each import's per-row results (failed, ignored, warned
 * rows with their cells, and the file's header row), kept so that the
 * results report of any past import can be written again. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-sqlite-store-private.h"

/* reasons, cells */
#define RESULT_TYPE "(asas)"

static gboolean
sqlite_import_write_result (PdStore                    *store,
                            gint64                      import_id,
                            const PdImportResultRecord *record,
                            GError                    **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autoptr(GVariant) data = NULL;
  GVariantBuilder reasons, cells;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self->in_import, FALSE);

  g_variant_builder_init (&reasons, G_VARIANT_TYPE_STRING_ARRAY);
  for (guint i = 0; record->reasons != NULL && record->reasons[i] != NULL; i++)
    g_variant_builder_add (&reasons, "s", record->reasons[i]);
  g_variant_builder_init (&cells, G_VARIANT_TYPE_STRING_ARRAY);
  for (guint c = 0; c < record->n_cells; c++)
    /* the report is UTF-8: a cell that could not be decoded stays empty */
    g_variant_builder_add (&cells, "s", record->cells[c] != NULL && g_utf8_validate (record->cells[c], -1, NULL)
                                        ? record->cells[c] : "");
  data = g_variant_ref_sink (g_variant_new (RESULT_TYPE, &reasons, &cells));

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
  sqlite3_bind_blob (stmt, 5, g_variant_get_data (data), g_variant_get_size (data), SQLITE_STATIC);
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
                          "ORDER BY row", -1, &stmt, NULL) != SQLITE_OK)
    return _pd_sqlite_store_fail (self, error);
  sqlite3_bind_int64 (stmt, 1, import_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (sqlite3_column_blob (stmt, 3), sqlite3_column_bytes (stmt, 3));
      g_autoptr(GVariant) data = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (RESULT_TYPE),
                                                                               bytes, FALSE));
      g_autofree const char **reasons = NULL;
      g_autofree const char **cells = NULL;
      gsize n_cells = 0;
      PdImportResultRecord record = { 0 };
      gboolean go_on;

      g_variant_get (data, "(^a&s^a&s)", &reasons, &cells);
      n_cells = cells != NULL ? g_strv_length ((char **) cells) : 0;
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

void
_pd_sqlite_store_init_results (PdStoreInterface *iface)
{
  iface->import_write_result = sqlite_import_write_result;
  iface->foreach_import_result = sqlite_foreach_import_result;
}
