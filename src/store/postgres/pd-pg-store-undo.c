/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPgStore: undoing an import, by the SQLite store's rules
 * (pd-sqlite-store-import.c): only a completed import, only while every
 * persona it touched still carries its mark; the personas it created go,
 * the ones it changed get their undo record back, the ledger keeps what
 * the import did and one entry per persona taking it back.  One
 * transaction; the personas are locked first, so that a desk editing one
 * meanwhile either waits or blocks the undo, never half of it. */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-pg-store-private.h"
#include "pd-sqlite-store-private.h"

#define NEW_PERSONAS "(SELECT persona_id FROM import_changes WHERE import_id = $1 AND before IS NULL)"

static gboolean
check_undoable (PdPgStore  *self,
                gint64      id,
                const char *id_text,
                GError    **error)
{
  const char *values[] = { id_text };
  g_autoptr(PdImportInfo) info = pd_store_get_import (PD_STORE (self), id, error);
  g_autoptr(PGresult) locked = NULL;
  g_autoptr(PGresult) blocking = NULL;
  int n;

  if (info == NULL)
    return FALSE;
  if (info->status != PD_IMPORT_STATUS_COMPLETED)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                   _("Import %" PRId64 " is %s: only a completed import can be undone"),
                   id, pd_import_status_to_string (info->status));
      return FALSE;
    }
  /* the import's row (a second undo waits, then finds it undone) and its
   * personas */
  locked = _pd_pg_query (self,
    "SELECT (SELECT status FROM imports WHERE id = $1 FOR UPDATE), "
    "(SELECT count(*) FROM (SELECT 1 FROM personas WHERE id IN "
    "(SELECT persona_id FROM import_changes WHERE import_id = $1) FOR UPDATE) AS l)", 1, values, error);
  if (locked == NULL)
    return FALSE;
  if (g_strcmp0 (_pd_pg_text (locked, 0, 0), pd_import_status_to_string (PD_IMPORT_STATUS_COMPLETED)) != 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                   _("Import %" PRId64 " is %s: only a completed import can be undone"),
                   id, _pd_pg_text (locked, 0, 0));
      return FALSE;
    }

  /* Every persona the import touched must still carry its mark, and none
   * may have been merged into one it created. */
  blocking = _pd_pg_query (self,
    "SELECT c.persona_id FROM import_changes c LEFT JOIN personas p ON p.id = c.persona_id "
    "WHERE c.import_id = $1 AND (p.id IS NULL OR p.changed_by_import <> $1) "
    "UNION SELECT id FROM personas WHERE merged_into IN " NEW_PERSONAS " ORDER BY 1", 1, values, error);
  if (blocking == NULL)
    return FALSE;
  n = PQntuples (blocking);
  if (n == 0)
    return TRUE;
  {
    g_autoptr(GArray) blockers = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
    g_autofree char *who = NULL;

    for (int i = 0; i < n; i++)
      {
        gint64 blocker = g_ascii_strtoll (PQgetvalue (blocking, i, 0), NULL, 10);

        g_array_append_val (blockers, blocker);
      }
    /* named as on SQLite: name and email, not a number */
    who = pd_store_describe_personas (PD_STORE (self), (const gint64 *) blockers->data, blockers->len);
    g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                 g_dngettext (GETTEXT_PACKAGE,
                              "Import %" PRId64 " cannot be undone: %s changed after it",
                              "Import %" PRId64 " cannot be undone: %s changed after it", n),
                 id, who);
  }
  return FALSE;
}

static gboolean
restore_changed (PdPgStore            *self,
                 gint64                id,
                 const char           *id_text,
                 gint64                created,
                 double                total,
                 PdStoreProgressFunc   progress,
                 gpointer              progress_data,
                 GError              **error)
{
  const char *values[] = { id_text };
  g_autoptr(PGresult) records = _pd_pg_query (self,
    "SELECT persona_id, before, before_change FROM import_changes WHERE import_id = $1 AND before IS NOT NULL "
    "ORDER BY persona_id", 1, values, error);

  if (records == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (records); r++)
    {
      size_t size = 0;
      unsigned char *blob = PQunescapeBytea ((const unsigned char *) PQgetvalue (records, r, 1), &size);
      g_autoptr(PdPersona) persona = NULL;

      if (blob != NULL)
        persona = _pd_sqlite_snapshot_unpack (_pd_pg_int64 (records, r, 0), blob, size);
      PQfreemem (blob);
      if (persona == NULL)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT, _("The undo record of import %" PRId64 " is damaged"), id);
          return FALSE;
        }
      if (!_pd_pg_restore_persona (self, persona, _pd_pg_int64 (records, r, 2), error))
        {
          if (g_error_matches (*error, PD_ERROR, PD_ERROR_CONFLICT))
            {
              g_autofree char *message = g_strdup ((*error)->message);

              g_clear_error (error);
              g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                           _("Import %" PRId64 " cannot be undone: persona %" PRId64
                             " cannot get its old emails or phones back (%s)"),
                           id, pd_persona_get_id (persona), message);
            }
          return FALSE;
        }
      if (progress != NULL && (r + 1) % 4096 == 0)
        progress ((created + r + 1) / total, progress_data);
    }
  return TRUE;
}

static gboolean
undo_in_transaction (PdPgStore            *self,
                     gint64                id,
                     PdStoreProgressFunc   progress,
                     gpointer              progress_data,
                     GError              **error)
{
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autofree char *undo_source = g_strdup_printf ("%d", PD_SOURCE_UNDO);
  g_autofree char *reason = g_strdup_printf (_("Undo of import %" PRId64), id);
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time ());
  const char *values[] = { id_text, undo_source, reason, now, g_get_user_name () };
  g_autoptr(PGresult) counts = NULL;
  g_autoptr(PGresult) deleted = NULL;
  g_autoptr(PGresult) reversals = NULL;
  g_autoptr(PGresult) status = NULL;
  gint64 created;
  double total;

  if (!check_undoable (self, id, id_text, error))
    return FALSE;
  /* a persona deleted or restored counts the same in the progress */
  counts = _pd_pg_query (self, "SELECT count(*) FROM import_changes WHERE import_id = $1", 1, values, error);
  if (counts == NULL)
    return FALSE;
  total = MAX (_pd_pg_int64 (counts, 0, 0), 1);
  /* New personas go first, so that the old ones get their emails back;
   * their lists, attributes, pins and ledger go with them (cascades). */
  deleted = _pd_pg_query (self, "DELETE FROM personas WHERE id IN " NEW_PERSONAS, 1, values, error);
  if (deleted == NULL)
    return FALSE;
  created = g_ascii_strtoll (PQcmdTuples (deleted), NULL, 10);
  if (progress != NULL)
    progress (created / total, progress_data);
  if (!restore_changed (self, id, id_text, created, total, progress, progress_data, error))
    return FALSE;
  if (progress != NULL)
    progress (1.0, progress_data);

  /* The balance still equals the ledger's sum. */
  reversals = _pd_pg_query (self,
    "INSERT INTO ledger (persona_id, delta, balance, source, import_id, reason, time, actor) "
    "SELECT l.persona_id, -sum(l.delta), p.points, $2::smallint, $1::bigint, $3, $4::bigint, $5 "
    "FROM ledger l JOIN personas p ON p.id = l.persona_id "
    "WHERE l.import_id = $1 AND l.source <> $2::smallint GROUP BY l.persona_id, p.points "
    "HAVING sum(l.delta) <> 0 ORDER BY l.persona_id", 5, values, error);
  if (reversals == NULL)
    return FALSE;
  status = _pd_pg_query (self, "UPDATE imports SET status = 'undone' WHERE id = $1", 1, values, error);
  return status != NULL;
}

static gboolean
pg_undo_import (PdStore              *store,
                gint64                id,
                PdStoreProgressFunc   progress,
                gpointer              progress_data,
                GError              **error)
{
  PdPgStore *self = PD_PG_STORE (store);

  g_return_val_if_fail (!self->in_import, FALSE);

  if (!_pd_pg_exec (self, "BEGIN", error))
    return FALSE;
  if (!undo_in_transaction (self, id, progress, progress_data, error) ||
      !_pd_pg_exec (self, "COMMIT", error))
    {
      _pd_pg_rollback (self);
      return FALSE;
    }
  return TRUE;
}

void
_pd_pg_store_init_undo (PdStoreInterface *iface)
{
  iface->undo_import = pg_undo_import;
}
