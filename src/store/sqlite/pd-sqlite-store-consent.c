/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdSqliteStore: consent requests over an import's audience. */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-sqlite-store-private.h"

/* The import's personas that still exist: its audience. */
#define AUDIENCE "id IN (SELECT persona_id FROM import_changes WHERE import_id = ?1)"
#define HAS_PHONE "EXISTS (SELECT 1 FROM phones WHERE phones.persona_id = personas.id)"

static gboolean
count_where (PdSqliteStore  *self,
             const char     *sql,
             gint64          import_id,
             guint          *count,
             GError        **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, import_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _pd_sqlite_store_fail (self, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  *count = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
request_in_transaction (PdSqliteStore     *self,
                        gint64             import_id,
                        PdSmsOptInCounts  *counts,
                        GError           **error)
{
  sqlite3_stmt *stmt;

  if (!count_where (self, "SELECT count(*) FROM imports WHERE id = ?1", import_id, &counts->marked, error))
    return FALSE;
  if (counts->marked == 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No import with ID %" PRId64), import_id);
      return FALSE;
    }
  if (!count_where (self, "SELECT count(*) FROM personas WHERE " AUDIENCE " AND sms_opt_out <> 0",
                    import_id, &counts->opted_out, error) ||
      !count_where (self, "SELECT count(*) FROM personas WHERE " AUDIENCE " AND sms_opt_out = 0 AND NOT "
                          HAS_PHONE, import_id, &counts->no_phone, error) ||
      !count_where (self, "SELECT count(*) FROM personas WHERE " AUDIENCE " AND sms_opt_out = 0 AND "
                          "sms_consent <> 0 AND " HAS_PHONE, import_id, &counts->already, error))
    return FALSE;

  /* Only the consent column changes: changed_by_import keeps the import's
   * mark, so that this request does not block undoing the import (whose
   * undo puts the consent back as it was before the import). */
  stmt = _pd_sqlite_store_prepare (self,
    "UPDATE personas SET sms_consent = ?2 WHERE " AUDIENCE " AND sms_opt_out = 0 AND sms_consent = 0 AND "
    HAS_PHONE, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, import_id);
  sqlite3_bind_int (stmt, 2, PD_SMS_CONSENT_PENDING);
  if (!_pd_sqlite_store_step_done (self, stmt, error))
    return FALSE;
  counts->marked = sqlite3_changes (self->db);
  return TRUE;
}

static gboolean
sqlite_request_import_sms_opt_in (PdStore           *store,
                                  gint64             import_id,
                                  PdSmsOptInCounts  *counts,
                                  GError           **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);

  g_return_val_if_fail (!self->in_import, FALSE);

  *counts = (PdSmsOptInCounts) { 0 };
  if (!_pd_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!request_in_transaction (self, import_id, counts, error) ||
      !_pd_sqlite_store_exec (self, "COMMIT", error))
    {
      _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
      *counts = (PdSmsOptInCounts) { 0 };
      return FALSE;
    }
  return TRUE;
}

void
_pd_sqlite_store_init_consent (PdStoreInterface *iface)
{
  iface->request_import_sms_opt_in = sqlite_request_import_sms_opt_in;
}
