/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPgStore: undoing an import, by the SQLite store's rules
 * (pd-sqlite-store-import.c): only a completed import, only while every
 * persona it touched still carries its mark; the personas it created go,
 * the ones it changed get their undo record back, the ledger keeps what
 * the import did and one entry per persona taking it back.  One
 * transaction; the personas are locked first, so that a desk editing one
 * meanwhile either waits or blocks the undo, never half of it.
 * "Undo the rest" (issue 17, pd_store_undo_import_keep_edited()) keeps the
 * personas changed after the import as they are and undoes the rest in
 * the same one transaction: every statement below skips the kept ones
 * ($2, a bigint[]; empty for a whole undo). */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-permission.h"
#include "pd-pg-store-private.h"
#include "pd-sqlite-store-private.h"

#define NEW_PERSONAS "(SELECT persona_id FROM import_changes WHERE import_id = $1 AND before IS NULL " \
                     "AND persona_id <> ALL ($2::bigint[]))"
#define CREATED "(SELECT persona_id FROM import_changes WHERE import_id = $1 AND before IS NULL)"

/* Every persona the import touched must still carry its mark: any later
 * change (an edit, another import, points, an order) replaced it.  No
 * persona may have been merged into one it created, and none it created
 * may have an order (a receipt is not undone). */
#define BLOCKERS_SQL \
  "SELECT c.persona_id FROM import_changes c LEFT JOIN personas p ON p.id = c.persona_id " \
  "WHERE c.import_id = $1 AND (p.id IS NULL OR p.changed_by_import <> $1) " \
  "UNION SELECT id FROM personas WHERE merged_into IN " CREATED " " \
  "UNION SELECT persona_id FROM orders WHERE persona_id IN " CREATED " ORDER BY 1"

/* What an undo that keeps the later changes keeps: the blockers, but for a
 * persona merged into one the import created, the one it points at. */
#define KEEP_SQL \
  "SELECT c.persona_id FROM import_changes c LEFT JOIN personas p ON p.id = c.persona_id " \
  "WHERE c.import_id = $1 AND (p.id IS NULL OR p.changed_by_import <> $1) " \
  "UNION SELECT merged_into FROM personas WHERE merged_into IN " CREATED " " \
  "UNION SELECT persona_id FROM orders WHERE persona_id IN " CREATED

static GArray *
list_ids (PdPgStore   *self,
          const char  *sql,
          const char  *id_text,
          GError     **error)
{
  const char *values[] = { id_text };
  g_autoptr(PGresult) result = _pd_pg_query (self, sql, 1, values, error);
  GArray *ids;

  if (result == NULL)
    return NULL;
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), PQntuples (result));
  for (int r = 0; r < PQntuples (result); r++)
    {
      gint64 id = _pd_pg_int64 (result, r, 0);

      g_array_append_val (ids, id);
    }
  return ids;
}

/* Locks the import's row and its personas, and checks that it can be
 * undone.  Refused when a persona blocks it, unless @keep (then filled
 * with the personas to leave as they are, as a bigint[] literal, and
 * @n_kept with the number of blockers). */
static gboolean
check_undoable (PdPgStore  *self,
                gint64      id,
                const char *id_text,
                gboolean    keep_edited,
                char      **keep,
                guint      *n_kept,
                GError    **error)
{
  const char *values[] = { id_text };
  g_autoptr(PdImportInfo) info = pd_store_get_import (PD_STORE (self), id, error);
  g_autoptr(PGresult) locked = NULL;
  g_autoptr(GArray) blockers = NULL;
  g_autoptr(GArray) kept = NULL;
  GString *text;

  *keep = g_strdup ("{}");
  *n_kept = 0;
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

  blockers = list_ids (self, BLOCKERS_SQL, id_text, error);
  if (blockers == NULL)
    return FALSE;
  if (blockers->len == 0)
    return TRUE;
  if (!keep_edited)
    {
      /* named as on SQLite: name and email, not a number */
      g_autofree char *who = pd_store_describe_personas (PD_STORE (self), (const gint64 *) blockers->data,
                                                         blockers->len);

      g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Import %" PRId64 " cannot be undone: %s changed after it",
                                "Import %" PRId64 " cannot be undone: %s changed after it", blockers->len),
                   id, who);
      return FALSE;
    }
  kept = list_ids (self, KEEP_SQL, id_text, error);
  if (kept == NULL)
    return FALSE;
  *n_kept = blockers->len;
  text = g_string_new ("{");
  for (guint i = 0; i < kept->len; i++)
    g_string_append_printf (text, "%s%" G_GINT64_FORMAT, i ? "," : "", g_array_index (kept, gint64, i));
  g_string_append_c (text, '}');
  g_free (*keep);
  *keep = g_string_free (text, FALSE);
  return TRUE;
}

static gboolean
restore_changed (PdPgStore            *self,
                 gint64                id,
                 const char * const   *values,
                 gint64                created,
                 double                total,
                 PdStoreProgressFunc   progress,
                 gpointer              progress_data,
                 GError              **error)
{
  g_autoptr(PGresult) records = _pd_pg_query (self,
    "SELECT persona_id, before, before_change FROM import_changes WHERE import_id = $1 AND before IS NOT NULL "
    "AND persona_id <> ALL ($2::bigint[]) ORDER BY persona_id", 2, values, error);

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

/* The import's name and file, for its audit entry (as SQLite's
 * _pd_sqlite_store_audit_import()). */
static gboolean
audit_undo (PdPgStore      *self,
            const PdActor  *actor,
            const char     *action,
            gint64          id,
            const char     *id_text,
            GError        **error)
{
  g_autoptr(JsonObject) detail = json_object_new ();
  const char *values[] = { id_text };
  g_autoptr(PGresult) names = _pd_pg_query (self, "SELECT name, file_name FROM imports WHERE id = $1",
                                            1, values, error);

  if (names == NULL)
    return FALSE;
  json_object_set_int_member (detail, "import_id", id);
  if (PQntuples (names) > 0)
    {
      json_object_set_string_member (detail, "name", _pd_pg_text (names, 0, 0));
      json_object_set_string_member (detail, "file_name", _pd_pg_text (names, 0, 1));
    }
  return _pd_pg_audit (self, actor, action, 0, detail, error);
}

static gboolean
undo_in_transaction (PdPgStore            *self,
                     const PdActor        *actor,
                     gint64                id,
                     gboolean              keep_edited,
                     PdStoreProgressFunc   progress,
                     gpointer              progress_data,
                     guint                *n_kept,
                     GError              **error)
{
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autofree char *undo_source = g_strdup_printf ("%d", PD_SOURCE_UNDO);
  g_autofree char *reason = g_strdup_printf (_("Undo of import %" PRId64), id);
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time ());
  g_autofree char *keep = NULL;
  g_autoptr(PGresult) counts = NULL;
  g_autoptr(PGresult) deleted = NULL;
  g_autoptr(PGresult) reversals = NULL;
  g_autoptr(PGresult) status = NULL;
  gint64 created;
  double total;

  if (!check_undoable (self, id, id_text, keep_edited, &keep, n_kept, error))
    return FALSE;
  {
    const char *values[] = { id_text, keep, undo_source, reason, now, g_get_user_name () };

    /* a persona deleted or restored counts the same in the progress */
    counts = _pd_pg_query (self, "SELECT count(*) FROM import_changes WHERE import_id = $1 "
                                 "AND persona_id <> ALL ($2::bigint[])", 2, values, error);
    if (counts == NULL)
      return FALSE;
    total = MAX (_pd_pg_int64 (counts, 0, 0), 1);
    /* New personas go first, so that the old ones get their emails back;
     * their lists, attributes, pins and ledger go with them (cascades). */
    deleted = _pd_pg_query (self, "DELETE FROM personas WHERE id IN " NEW_PERSONAS, 2, values, error);
    if (deleted == NULL)
      return FALSE;
    created = g_ascii_strtoll (PQcmdTuples (deleted), NULL, 10);
    if (progress != NULL)
      progress (created / total, progress_data);
    if (!restore_changed (self, id, values, created, total, progress, progress_data, error))
      return FALSE;
    if (progress != NULL)
      progress (1.0, progress_data);

    /* The balance still equals the ledger's sum; the kept personas keep
     * the import's points too (no reversal). */
    reversals = _pd_pg_query (self,
      "INSERT INTO ledger (persona_id, delta, balance, source, import_id, reason, time, actor) "
      "SELECT l.persona_id, -sum(l.delta), p.points, $3::smallint, $1::bigint, $4, $5::bigint, $6 "
      "FROM ledger l JOIN personas p ON p.id = l.persona_id "
      "WHERE l.import_id = $1 AND l.source <> $3::smallint AND l.persona_id <> ALL ($2::bigint[]) "
      "GROUP BY l.persona_id, p.points HAVING sum(l.delta) <> 0 ORDER BY l.persona_id", 6, values, error);
    if (reversals == NULL)
      return FALSE;
    status = _pd_pg_query (self, *n_kept > 0 ? "UPDATE imports SET status = 'partly undone' WHERE id = $1"
                                             : "UPDATE imports SET status = 'undone' WHERE id = $1",
                           1, values, error);
    if (status == NULL)
      return FALSE;
  }
  return audit_undo (self, actor, *n_kept > 0 ? "import.undo-rest" : "import.undo", id, id_text, error);
}

static gboolean
undo (PdPgStore            *self,
      const PdActor        *actor,
      gint64                id,
      gboolean              keep_edited,
      PdStoreProgressFunc   progress,
      gpointer              progress_data,
      guint                *n_kept,
      GError              **error)
{
  g_return_val_if_fail (!self->in_import, FALSE);

  if (!_pd_pg_exec (self, "BEGIN", error))
    return FALSE;
  if (!undo_in_transaction (self, actor, id, keep_edited, progress, progress_data, n_kept, error) ||
      !_pd_pg_exec (self, "COMMIT", error))
    {
      _pd_pg_rollback (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
pg_undo_import_as (PdStore              *store,
                   gint64                id,
                   PdStoreProgressFunc   progress,
                   gpointer              progress_data,
                   const PdActor        *actor,
                   GError              **error)
{
  guint n_kept = 0;

  if (!pd_actor_check (actor, PD_PERMISSION_UNDO_IMPORT, error))
    return FALSE;
  return undo (PD_PG_STORE (store), actor, id, FALSE, progress, progress_data, &n_kept, error);
}

static gboolean
pg_undo_import (PdStore              *store,
                gint64                id,
                PdStoreProgressFunc   progress,
                gpointer              progress_data,
                GError              **error)
{
  return pg_undo_import_as (store, id, progress, progress_data, NULL, error);
}

static gboolean
pg_undo_import_keep_edited (PdStore              *store,
                            const PdActor        *actor,
                            gint64                id,
                            PdStoreProgressFunc   progress,
                            gpointer              progress_data,
                            guint                *n_kept,
                            GError              **error)
{
  if (!pd_actor_check (actor, PD_PERMISSION_UNDO_IMPORT, error))
    return FALSE;
  return undo (PD_PG_STORE (store), actor, id, TRUE, progress, progress_data, n_kept, error);
}

static GArray *
pg_list_undo_blockers (PdStore  *store,
                       gint64    id,
                       GError  **error)
{
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  return list_ids (PD_PG_STORE (store), BLOCKERS_SQL, id_text, error);
}

void
_pd_pg_store_init_undo (PdStoreInterface *iface)
{
  iface->undo_import = pg_undo_import;
  iface->undo_import_as = pg_undo_import_as;
  iface->undo_import_keep_edited = pg_undo_import_keep_edited;
  iface->list_undo_blockers = pg_list_undo_blockers;
}
