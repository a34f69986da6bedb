/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdSqliteStore: undoing an import, whole or all but the personas changed
 * after it (issue 17: "Undo the rest"), and naming those personas.  The
 * import itself and its undo records: pd-sqlite-store-import.c. */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-permission.h"
#include "pd-sqlite-store-private.h"

/* The personas an undo leaves as they are: filled by the undo, empty for a
 * full one.  A temporary table of the connection, so that the statements
 * below are the same for both (and stay prepared). */
#define KEEP_TABLE "temp.undo_keep"

/* Every table that refers to a persona, the personas last. */
static const char * const new_persona_deletes[] = {
#define NEW_PERSONAS "(SELECT persona_id FROM import_changes WHERE import_id = ?1 AND before IS NULL " \
                     "AND persona_id NOT IN " KEEP_TABLE ") AND ?2 = ?2"
  "DELETE FROM emails WHERE persona_id IN " NEW_PERSONAS,
  "DELETE FROM phones WHERE persona_id IN " NEW_PERSONAS,
  "DELETE FROM tags WHERE persona_id IN " NEW_PERSONAS,
  "DELETE FROM attributes WHERE persona_id IN " NEW_PERSONAS,
  "DELETE FROM ledger WHERE persona_id IN " NEW_PERSONAS,
  "DELETE FROM overrides WHERE persona_id IN " NEW_PERSONAS,
  "DELETE FROM personas WHERE id IN " NEW_PERSONAS,
#undef NEW_PERSONAS
};

/* Every persona the import touched must still carry its mark: any later
 * change (an edit, another import, points) replaced it.  And no persona
 * may have been merged into one it created: that one is to go, and the
 * foreign keys that would refuse it are off. */
#define BLOCKERS_SQL \
  "SELECT c.persona_id FROM import_changes c LEFT JOIN personas p ON p.id = c.persona_id " \
  "WHERE c.import_id = ?1 AND (p.id IS NULL OR p.changed_by_import IS NOT ?1) " \
  "UNION SELECT id FROM personas WHERE merged_into IN " \
  "(SELECT persona_id FROM import_changes WHERE import_id = ?1 AND before IS NULL) " \
  /* an order of a persona it created (schema 16): a receipt is not undone */ \
  "UNION SELECT persona_id FROM orders WHERE persona_id IN " \
  "(SELECT persona_id FROM import_changes WHERE import_id = ?1 AND before IS NULL) " \
  "ORDER BY 1"

/* What an undo that keeps the later changes keeps: the personas changed
 * after the import, and the ones it created that another was merged into
 * (the merged one points at it). */
#define KEEP_SQL \
  "INSERT OR IGNORE INTO " KEEP_TABLE " (persona_id) " \
  "SELECT c.persona_id FROM import_changes c LEFT JOIN personas p ON p.id = c.persona_id " \
  "WHERE c.import_id = ?1 AND (p.id IS NULL OR p.changed_by_import IS NOT ?1) " \
  "UNION SELECT merged_into FROM personas WHERE merged_into IN " \
  "(SELECT persona_id FROM import_changes WHERE import_id = ?1 AND before IS NULL) " \
  "UNION SELECT persona_id FROM orders WHERE persona_id IN " \
  "(SELECT persona_id FROM import_changes WHERE import_id = ?1 AND before IS NULL) AND ?2 = ?2"

static gboolean
prepare_keep_table (PdSqliteStore  *self,
                    GError        **error)
{
  return _pd_sqlite_store_exec (self, "CREATE TEMP TABLE IF NOT EXISTS undo_keep "
                                      "(persona_id INTEGER PRIMARY KEY)", error) &&
         _pd_sqlite_store_exec (self, "DELETE FROM " KEEP_TABLE, error);
}

/* How many personas import @id created and changed, and will get back
 * (the kept ones aside): the undo's work. */
static void
count_changes (PdSqliteStore *self,
               gint64         id,
               gint64        *created,
               gint64        *changed)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "SELECT total(before IS NULL), total(before IS NOT NULL) FROM import_changes "
    "WHERE import_id = ? AND persona_id NOT IN " KEEP_TABLE, NULL);

  *created = *changed = 0;
  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *created = sqlite3_column_int64 (stmt, 0);
      *changed = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
}

static gboolean
undo_in_transaction (PdSqliteStore        *self,
                     gint64                id,
                     gboolean              keep_edited,
                     PdStoreProgressFunc   progress,
                     gpointer              progress_data,
                     guint                *n_kept,
                     GError              **error)
{
  g_autoptr(PdImportInfo) info = pd_store_get_import (PD_STORE (self), id, error);
  g_autoptr(GArray) blocking = NULL;
  sqlite3_stmt *stmt;
  gint64 created, changed, restored = 0;
  double total;
  int rc;

  if (info == NULL)
    return FALSE;
  if (info->status != PD_IMPORT_STATUS_COMPLETED)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                   _("Import %" PRId64 " is %s: only a completed import can be undone"),
                   id, pd_import_status_to_string (info->status));
      return FALSE;
    }

  if (!prepare_keep_table (self, error))
    return FALSE;
  blocking = _pd_sqlite_store_list_ids (self, BLOCKERS_SQL, id, error);
  if (blocking == NULL)
    return FALSE;
  if (blocking->len > 0 && !keep_edited)
    {
      g_autofree char *who = pd_store_describe_personas (PD_STORE (self), (const gint64 *) blocking->data, blocking->len);

      g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Import %" PRId64 " cannot be undone: %s changed after it",
                                "Import %" PRId64 " cannot be undone: %s changed after it",
                                blocking->len),
                   id, who);
      return FALSE;
    }
  if (blocking->len > 0 && !_pd_sqlite_store_run_id2 (self, KEEP_SQL, id, id, error))
    return FALSE;
  *n_kept = blocking->len;

  /* New personas go first, so that the old ones get their emails back.
   * Their rows in other tables are deleted here rather than by the foreign
   * keys' cascades, which are off (see sqlite_undo_import()). */
  count_changes (self, id, &created, &changed);
  /* a persona deleted or restored counts the same */
  total = MAX (created + changed, 1);
  for (guint i = 0; i < G_N_ELEMENTS (new_persona_deletes); i++)
    if (!_pd_sqlite_store_run_id2 (self, new_persona_deletes[i], id, id, error))
      return FALSE;
  if (progress != NULL)
    progress (created / total, progress_data);

  stmt = _pd_sqlite_store_prepare (self,
    "SELECT persona_id, before, before_change FROM import_changes WHERE import_id = ? "
    "AND before IS NOT NULL AND persona_id NOT IN " KEEP_TABLE, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const guint8 *blob = sqlite3_column_blob (stmt, 1);
      gsize size = sqlite3_column_bytes (stmt, 1);
      g_autoptr(PdPersona) persona = NULL;

      persona = _pd_sqlite_snapshot_unpack (sqlite3_column_int64 (stmt, 0), blob, size);
      if (persona == NULL)
        {
          sqlite3_reset (stmt);
          g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT, _("The undo record of import %" PRId64
                                                            " is damaged"), id);
          return FALSE;
        }
      if (!_pd_sqlite_store_restore_persona (self, persona, sqlite3_column_int64 (stmt, 2), error))
        {
          sqlite3_reset (stmt);
          if (g_error_matches (*error, PD_ERROR, PD_ERROR_STORE))
            {
              g_autofree char *message = g_strdup ((*error)->message);
              gint64 persona_id = pd_persona_get_id (persona);
              g_autofree char *who = pd_store_describe_personas (PD_STORE (self), &persona_id, 1);

              g_clear_error (error);
              g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                           _("Import %" PRId64 " cannot be undone: %s"
                             " cannot get its old emails or phones back (%s)"),
                           id, who, message);
            }
          return FALSE;
        }
      if (progress != NULL && ++restored % 4096 == 0)
        progress ((created + restored) / total, progress_data);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error);
  if (progress != NULL)
    progress (1.0, progress_data);

  /* the kept personas keep the import's points too (the reversal skips them) */
  if (!_pd_sqlite_store_add_undo_reversals (self, id, error))
    return FALSE;
  return _pd_sqlite_store_run_id2 (self, *n_kept > 0
                                         ? "UPDATE imports SET status = 'partly undone' WHERE id = ?1 AND ?2 = ?2"
                                         : "UPDATE imports SET status = 'undone' WHERE id = ?1 AND ?2 = ?2",
                                   id, id, error);
}

static gboolean
undo (PdSqliteStore        *self,
      const PdActor        *actor,
      gint64                id,
      gboolean              keep_edited,
      PdStoreProgressFunc   progress,
      gpointer              progress_data,
      guint                *n_kept,
      GError              **error)
{
  gboolean ok;

  /* As an import: with foreign keys, deleting a million new personas kept
   * a 300 MB statement journal; the undo deletes their rows in other
   * tables itself (undo_in_transaction()). */
  _pd_sqlite_store_begin_bulk_writes (self);
  ok = _pd_sqlite_store_exec (self, "BEGIN IMMEDIATE", error);
  if (ok && !undo_in_transaction (self, id, keep_edited, progress, progress_data, n_kept, error))
    ok = FALSE;
  if (ok)
    ok = _pd_sqlite_store_audit_import (self, actor, keep_edited && *n_kept > 0 ? "import.undo-rest"
                                                                               : "import.undo",
                                        id, error);
  if (ok)
    ok = _pd_sqlite_store_exec (self, "COMMIT", error);
  else
    _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
  /* the kept list is the transaction's only */
  _pd_sqlite_store_exec (self, "DELETE FROM " KEEP_TABLE, NULL);
  _pd_sqlite_store_end_bulk_writes (self);
  return ok;
}

static gboolean
sqlite_undo_import_as (PdStore              *store,
                       gint64                id,
                       PdStoreProgressFunc   progress,
                       gpointer              progress_data,
                       const PdActor        *actor,
                       GError              **error)
{
  guint n_kept = 0;

  if (!pd_actor_check (actor, PD_PERMISSION_UNDO_IMPORT, error))
    return FALSE;
  return undo (PD_SQLITE_STORE (store), actor, id, FALSE, progress, progress_data, &n_kept, error);
}

static gboolean
sqlite_undo_import (PdStore              *store,
                    gint64                id,
                    PdStoreProgressFunc   progress,
                    gpointer              progress_data,
                    GError              **error)
{
  return sqlite_undo_import_as (store, id, progress, progress_data, NULL, error);
}

static gboolean
sqlite_undo_import_keep_edited (PdStore              *store,
                                const PdActor        *actor,
                                gint64                id,
                                PdStoreProgressFunc   progress,
                                gpointer              progress_data,
                                guint                *n_kept,
                                GError              **error)
{
  if (!pd_actor_check (actor, PD_PERMISSION_UNDO_IMPORT, error))
    return FALSE;
  return undo (PD_SQLITE_STORE (store), actor, id, TRUE, progress, progress_data, n_kept, error);
}

static GArray *
sqlite_list_undo_blockers (PdStore  *store,
                           gint64    id,
                           GError  **error)
{
  return _pd_sqlite_store_list_ids (PD_SQLITE_STORE (store), BLOCKERS_SQL, id, error);
}

void
_pd_sqlite_store_init_undo (PdStoreInterface *iface)
{
  iface->undo_import = sqlite_undo_import;
  iface->undo_import_as = sqlite_undo_import_as;
  iface->undo_import_keep_edited = sqlite_undo_import_keep_edited;
  iface->list_undo_blockers = sqlite_list_undo_blockers;
}
