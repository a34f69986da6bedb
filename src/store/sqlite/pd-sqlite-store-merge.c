/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdSqliteStore: merging personas and undoing a merge (schema 13).  A
 * merge keeps each persona as it was (the undo records' format) and the
 * survivor as the merge left it, so that an unmerge can tell what the merge
 * changed from what changed since. */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-permission.h"
#include "pd-sqlite-store-private.h"
#include "pd-store-merge.h"

static gboolean
bind_blob (sqlite3_stmt *stmt,
           int           index,
           PdPersona    *persona)
{
  GByteArray *blob = _pd_sqlite_snapshot_pack (persona);

  sqlite3_bind_blob64 (stmt, index, blob->data, blob->len, g_free);
  g_byte_array_free (blob, FALSE);
  return TRUE;
}

/* run_ids() and select_id() bind two ids, ?1 and ?2; a statement that
 * needs one says "?2 = ?2" so that both helpers serve every statement. */
static gboolean
run_ids (PdSqliteStore  *self,
         const char     *sql,
         gint64          a,
         gint64          b,
         GError        **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, a);
  sqlite3_bind_int64 (stmt, 2, b);
  return _pd_sqlite_store_step_done (self, stmt, error);
}

static gint64
select_id (PdSqliteStore *self,
           const char    *sql,
           gint64         a,
           gint64         b)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, sql, NULL);
  gint64 id = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, a);
  sqlite3_bind_int64 (stmt, 2, b);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return id;
}

static gint64
sqlite_get_survivor (PdStore  *store,
                     gint64    id,
                     GError  **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  gint64 current = id;

  if (select_id (self, "SELECT id FROM personas WHERE id = ?1 AND ?2 = ?2", id, 0) == 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No persona with id %" PRId64), id);
      return 0;
    }
  /* a chain of merges ends at the survivor; the bound stops a cycle */
  for (int hops = 0; hops < 64; hops++)
    {
      gint64 next = select_id (self, "SELECT merged_into FROM personas WHERE id = ?1 AND ?2 = ?2", current, 0);

      if (next == 0)
        break;
      current = next;
    }
  return current;
}

gint64
_pd_sqlite_store_find_merged (PdSqliteStore  *self,
                              PdFieldId       key,
                              const char     *value,
                              GError        **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0, survivor;

  /* Most look-ups that miss are an import's new personas: while nobody
   * was merged away, one probe of the small partial index personas_merged_into
   * answers for all of them. */
  if (select_id (self, "SELECT 1 FROM personas WHERE merged_into IS NOT NULL AND ?1 = ?2 LIMIT 1", 0, 0) == 0)
    return 0;
  if (key == PD_FIELD_EMAIL)
    sql = g_strdup ("SELECT p.id FROM emails e JOIN personas p ON p.id = e.persona_id "
                    "WHERE e.email = ? AND e.scope <> 0 AND p.merged_into IS NOT NULL ORDER BY p.id DESC LIMIT 1");
  else if (key == PD_FIELD_PHONE)
    sql = g_strdup ("SELECT p.id FROM phones e JOIN personas p ON p.id = e.persona_id "
                    "WHERE e.phone = ? AND e.scope <> 0 AND p.merged_into IS NOT NULL ORDER BY p.id DESC LIMIT 1");
  else if (_pd_sqlite_column_for_field (key) != NULL)
    sql = g_strdup_printf ("SELECT id FROM personas WHERE %s = ? AND merged_into IS NOT NULL "
                           "ORDER BY id DESC LIMIT 1", _pd_sqlite_column_for_field (key));
  else
    return 0;
  stmt = _pd_sqlite_store_prepare (self, sql, error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (id == 0)
    return 0;
  survivor = sqlite_get_survivor (PD_STORE (self), id, error);
  /* only an active survivor, as the active look-up finds */
  return select_id (self, "SELECT id FROM personas WHERE id = ?1 AND state = 0 AND ?2 = ?2", survivor, 0);
}

static char *
describe_choices (PdMergePlan *plan)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < plan->fields->len; i++)
    {
      PdMergeField *field = g_ptr_array_index (plan->fields, i);

      if (field->chosen != field->kept)
        g_string_append_printf (out, "%s%s", out->len ? "," : "", field->key);
    }
  return g_string_free (out, FALSE);
}

static gboolean
merge_in_transaction (PdSqliteStore  *self,
                      PdMergePlan    *wanted,
                      const PdActor  *actor,
                      gint64         *merge_id,
                      GError        **error)
{
  g_autoptr(GPtrArray) personas = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(PdMergePlan) plan = NULL;
  g_autoptr(PdPersona) merged = NULL;
  g_autoptr(PdPersona) after = NULL;
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autoptr(JsonArray) merged_ids = json_array_new ();
  g_autofree char *chosen = NULL;
  PdPersona *survivor;
  gint64 survivor_id, id, balance;
  sqlite3_stmt *stmt;

  /* The personas as they are now, in this transaction: the plan the
   * caller saw may be stale; its choices are applied to the new one. */
  for (guint i = 0; i < wanted->personas->len; i++)
    {
      gint64 want = pd_persona_get_id (g_ptr_array_index (wanted->personas, i));
      gint64 mark = 0;
      gint64 into = sqlite_get_survivor (PD_STORE (self), want, error);
      PdPersona *persona;

      if (into == 0)
        return FALSE;
      if (into != want)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                       _("Persona %" PRId64 " was merged into persona %" PRId64 " already"), want, into);
          return FALSE;
        }
      persona = _pd_sqlite_store_load_persona (self, want, &mark, error);
      if (persona == NULL)
        return FALSE;
      g_ptr_array_add (personas, persona);
      g_array_append_val (marks, mark);
    }
  plan = pd_merge_plan_new (personas, error);
  if (plan == NULL)
    return FALSE;
  for (guint i = 0; i < wanted->fields->len; i++)
    {
      PdMergeField *field = g_ptr_array_index (wanted->fields, i);

      if (field->chosen != field->kept &&
          !pd_merge_plan_choose (plan, field->key,
                                 pd_persona_get_id (g_ptr_array_index (wanted->personas, field->chosen)), error))
        return FALSE;
    }
  merged = pd_merge_plan_build (plan, error);
  if (merged == NULL)
    return FALSE;
  survivor = g_ptr_array_index (personas, 0);
  survivor_id = pd_persona_get_id (survivor);

  stmt = _pd_sqlite_store_prepare (self,
    "INSERT INTO merges (survivor_id, at, actor, survivor_before, survivor_change) VALUES (?, ?, ?, ?, ?)",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, survivor_id);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  if (actor != NULL && actor->who != NULL)
    sqlite3_bind_text (stmt, 3, actor->who, -1, SQLITE_TRANSIENT);
  bind_blob (stmt, 4, survivor);
  sqlite3_bind_int64 (stmt, 5, g_array_index (marks, gint64, 0));
  if (!_pd_sqlite_store_step_done (self, stmt, error))
    return FALSE;
  id = sqlite3_last_insert_rowid (self->db);

  /* The others leave the active personas first, so that the survivor may
   * take their emails and phones; their source IDs the survivor takes
   * move to it (unique per source among all personas). */
  for (guint i = 1; i < personas->len; i++)
    {
      PdPersona *other = g_ptr_array_index (personas, i);
      gint64 other_id = pd_persona_get_id (other);
      GHashTableIter iter;
      gpointer name, value;

      stmt = _pd_sqlite_store_prepare (self,
        "INSERT INTO merge_members (merge_id, persona_id, before, before_change, points) VALUES (?, ?, ?, ?, ?)",
        error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int64 (stmt, 2, other_id);
      bind_blob (stmt, 3, other);
      sqlite3_bind_int64 (stmt, 4, g_array_index (marks, gint64, i));
      sqlite3_bind_int64 (stmt, 5, pd_persona_get_points (other));
      if (!_pd_sqlite_store_step_done (self, stmt, error))
        return FALSE;

      /* changed_by_import 0: an import that touched it can no longer be
       * undone over the merge (its undo checks the mark) */
      /* its orders are the survivor's purchase history now; unmerge
       * gives them back (merge_orders) */
      if (!run_ids (self, "INSERT INTO merge_orders (merge_id, order_id, persona_id) "
                          "SELECT ?1, id, persona_id FROM orders WHERE persona_id = ?2", id, other_id, error) ||
          !run_ids (self, "UPDATE orders SET persona_id = ?2 WHERE persona_id = ?1", other_id, survivor_id, error))
        return FALSE;
      if (!run_ids (self, "UPDATE personas SET merged_into = ?2, state = 2, points = 0, changed_by_import = 0 "
                          "WHERE id = ?1", other_id, survivor_id, error) ||
          !run_ids (self, "UPDATE emails SET scope = ?1 WHERE persona_id = ?1 AND ?2 = ?2", other_id, 0, error) ||
          !run_ids (self, "UPDATE phones SET scope = ?1 WHERE persona_id = ?1 AND ?2 = ?2", other_id, 0, error))
        return FALSE;
      g_hash_table_iter_init (&iter, pd_persona_get_attributes (other));
      while (g_hash_table_iter_next (&iter, &name, &value))
        if (g_str_has_prefix (name, PD_SOURCE_ID_PREFIX) &&
            g_strcmp0 (g_hash_table_lookup (pd_persona_get_attributes (merged), name), value) == 0)
          {
            stmt = _pd_sqlite_store_prepare (self, "DELETE FROM attributes WHERE persona_id = ? AND name = ?", error);
            if (stmt == NULL)
              return FALSE;
            sqlite3_bind_int64 (stmt, 1, other_id);
            sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
            if (!_pd_sqlite_store_step_done (self, stmt, error))
              return FALSE;
          }
      if (pd_persona_get_points (other) != 0 &&
          !_pd_sqlite_store_add_ledger (self, other_id, -pd_persona_get_points (other), 0,
                                        _("Merged into another persona"), actor, 0, error))
        return FALSE;
      json_array_add_int_element (merged_ids, other_id);
    }

  /* The survivor, its own balance first: each other's points are one
   * ledger entry of their own below. */
  pd_persona_set_points (merged, pd_persona_get_points (survivor));
  if (!_pd_sqlite_store_write_persona_full (self, merged, survivor, actor, 0, NULL, error))
    return FALSE;
  /* A merge asks the customer nothing: the pending request of a merged
   * persona is in the outbox already. */
  if (self->last_outbox_id != 0 &&
      !run_ids (self, "DELETE FROM outbox WHERE id = ?1 AND ?2 = ?2", self->last_outbox_id, 0, error))
    return FALSE;
  balance = pd_persona_get_points (survivor);
  for (guint i = 1; i < personas->len; i++)
    {
      PdPersona *other = g_ptr_array_index (personas, i);
      gint64 points = pd_persona_get_points (other);
      g_autofree char *reason = NULL;

      if (points == 0)
        continue;
      balance += points;
      reason = g_strdup_printf (_("Merged from persona %" PRId64), pd_persona_get_id (other));
      if (!run_ids (self, "UPDATE personas SET points = ?2 WHERE id = ?1", survivor_id, balance, error) ||
          !_pd_sqlite_store_add_ledger (self, survivor_id, points, balance, reason, actor, 0, error))
        return FALSE;
    }

  after = _pd_sqlite_store_load_persona (self, survivor_id, NULL, error);
  if (after == NULL)
    return FALSE;
  stmt = _pd_sqlite_store_prepare (self, "UPDATE merges SET survivor_after = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_blob (stmt, 1, after);
  sqlite3_bind_int64 (stmt, 2, id);
  if (!_pd_sqlite_store_step_done (self, stmt, error))
    return FALSE;

  /* IDs and field names only: the audit log keeps no personal values. */
  chosen = describe_choices (plan);
  json_object_set_int_member (detail, "merge", id);
  json_object_set_array_member (detail, "merged", g_steal_pointer (&merged_ids));
  json_object_set_string_member (detail, "chosen", chosen);
  if (!_pd_sqlite_store_audit (self, actor, "persona.merge", survivor_id, detail, error))
    return FALSE;
  if (merge_id != NULL)
    *merge_id = id;
  return TRUE;
}

static gboolean
sqlite_merge_personas (PdStore        *store,
                       PdMergePlan    *plan,
                       const PdActor  *actor,
                       gint64         *merge_id,
                       GError        **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);

  g_return_val_if_fail (!self->in_import, FALSE);

  if (!pd_actor_check (actor, PD_PERMISSION_EDIT, error))
    return FALSE;
  if (!_pd_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!merge_in_transaction (self, plan, actor, merge_id, error) ||
      !_pd_sqlite_store_exec (self, "COMMIT", error))
    {
      _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

/* ---- unmerge ------------------------------------------------------- */

static PdPersona *
column_snapshot (sqlite3_stmt *stmt,
                 int           col,
                 gint64        id)
{
  return _pd_sqlite_snapshot_unpack (id, sqlite3_column_blob (stmt, col), sqlite3_column_bytes (stmt, col));
}

typedef struct {
  gint64     id;
  PdPersona *before;
  gint64     before_change;
  gint64     points;
} Member;

static void
member_clear (gpointer data)
{
  Member *member = data;

  g_clear_object (&member->before);
}

/* Refuses, saying why, when a contact or source ID of @member now belongs
 * to a persona other than @survivor_id. */
static gboolean
check_member_free (PdSqliteStore  *self,
                   gint64          merge_id,
                   gint64          survivor_id,
                   Member         *member,
                   GError        **error)
{
  static const char * const sql[] = {
    "SELECT persona_id FROM emails WHERE email = ?1 AND scope = 0 AND persona_id <> ?2",
    "SELECT persona_id FROM phones WHERE phone = ?1 AND scope = 0 AND persona_id <> ?2",
  };
  GPtrArray *lists[] = { pd_persona_get_emails (member->before), pd_persona_get_phones (member->before) };
  GHashTableIter iter;
  gpointer name, value;

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, sql[l], error);
        gint64 holder = 0;

        if (stmt == NULL)
          return FALSE;
        sqlite3_bind_text (stmt, 1, g_ptr_array_index (lists[l], i), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64 (stmt, 2, survivor_id);
        if (sqlite3_step (stmt) == SQLITE_ROW)
          holder = sqlite3_column_int64 (stmt, 0);
        sqlite3_reset (stmt);
        if (holder != 0)
          {
            g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                         _("Merge %" PRId64 " cannot be undone: “%s” of persona %" PRId64
                           " now belongs to persona %" PRId64),
                         merge_id, (const char *) g_ptr_array_index (lists[l], i), member->id, holder);
            return FALSE;
          }
      }
  g_hash_table_iter_init (&iter, pd_persona_get_attributes (member->before));
  while (g_hash_table_iter_next (&iter, &name, &value))
    {
      sqlite3_stmt *stmt;
      gint64 holder = 0;

      if (!g_str_has_prefix (name, PD_SOURCE_ID_PREFIX))
        continue;
      stmt = _pd_sqlite_store_prepare (self,
        "SELECT persona_id FROM attributes WHERE name = ?1 AND value = ?2 AND persona_id NOT IN (?3, ?4)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, survivor_id);
      sqlite3_bind_int64 (stmt, 4, member->id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        holder = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (holder != 0)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                       _("Merge %" PRId64 " cannot be undone: the %s ID of persona %" PRId64
                         " now belongs to persona %" PRId64),
                       merge_id, (const char *) name + strlen (PD_SOURCE_ID_PREFIX), member->id, holder);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
unmerge_in_transaction (PdSqliteStore  *self,
                        gint64          merge_id,
                        const PdActor  *actor,
                        GError        **error)
{
  g_autoptr(GArray) members = g_array_new (FALSE, TRUE, sizeof (Member));
  g_autoptr(PdPersona) before = NULL, after = NULL, now = NULL, restored = NULL;
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autoptr(JsonArray) restored_ids = json_array_new ();
  gint64 survivor_id, survivor_change, now_mark = 0, later, moved = 0, balance;
  sqlite3_stmt *stmt;
  gboolean undone;
  int rc;

  g_array_set_clear_func (members, member_clear);
  stmt = _pd_sqlite_store_prepare (self, "SELECT survivor_id, survivor_before, survivor_after, survivor_change, "
                                         "undone IS NOT NULL FROM merges WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, merge_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No merge with id %" PRId64), merge_id);
      return FALSE;
    }
  survivor_id = sqlite3_column_int64 (stmt, 0);
  before = column_snapshot (stmt, 1, survivor_id);
  after = column_snapshot (stmt, 2, survivor_id);
  survivor_change = sqlite3_column_int64 (stmt, 3);
  undone = sqlite3_column_int (stmt, 4);
  sqlite3_reset (stmt);
  if (undone)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT, _("Merge %" PRId64 " was undone already"), merge_id);
      return FALSE;
    }
  if (before == NULL || after == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_STORE, _("The record of merge %" PRId64 " is damaged"), merge_id);
      return FALSE;
    }

  /* A later merge the survivor took part in (as survivor or merged away)
   * changed what this one left: it goes first. */
  later = select_id (self, "SELECT id FROM merges WHERE id > ?1 AND undone IS NULL AND "
                           "(survivor_id = ?2 OR id IN (SELECT merge_id FROM merge_members WHERE persona_id = ?2)) "
                           "ORDER BY id DESC LIMIT 1", merge_id, survivor_id);
  if (later != 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                   _("Merge %" PRId64 " cannot be undone: persona %" PRId64 " took part in merge %" PRId64
                     " since; undo that one first"), merge_id, survivor_id, later);
      return FALSE;
    }
  now = _pd_sqlite_store_load_persona (self, survivor_id, &now_mark, error);
  if (now == NULL)
    return FALSE;
  if (pd_persona_get_blocklisted (now))
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                   _("Merge %" PRId64 " cannot be undone: persona %" PRId64 " is blocklisted"), merge_id, survivor_id);
      return FALSE;
    }

  stmt = _pd_sqlite_store_prepare (self, "SELECT m.persona_id, m.before, m.before_change, m.points, p.merged_into, p.blocklisted "
                                         "FROM merge_members m LEFT JOIN personas p ON p.id = m.persona_id "
                                         "WHERE m.merge_id = ? ORDER BY m.persona_id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, merge_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Member member = { sqlite3_column_int64 (stmt, 0), NULL, sqlite3_column_int64 (stmt, 2),
                        sqlite3_column_int64 (stmt, 3) };

      if (sqlite3_column_int64 (stmt, 4) != survivor_id)
        {
          sqlite3_reset (stmt);
          g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                       _("Merge %" PRId64 " cannot be undone: persona %" PRId64 " is no longer merged into persona %"
                         PRId64), merge_id, member.id, survivor_id);
          return FALSE;
        }
      /* a blocklisted (or erased) customer stays out of every list */
      if (sqlite3_column_int (stmt, 5) != 0)
        {
          sqlite3_reset (stmt);
          g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                       _("Merge %" PRId64 " cannot be undone: persona %" PRId64 " is blocklisted"),
                       merge_id, member.id);
          return FALSE;
        }
      member.before = column_snapshot (stmt, 1, member.id);
      moved += member.points;
      g_array_append_val (members, member);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error);
  for (guint i = 0; i < members->len; i++)
    if (!check_member_free (self, merge_id, survivor_id, &g_array_index (members, Member, i), error))
      return FALSE;

  /* The survivor first: it gives the others' contacts back. */
  restored = pd_merge_restore_survivor (before, after, now, moved);
  if (pd_persona_get_emails (restored)->len == 0 && pd_persona_get_phones (restored)->len == 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                   _("Merge %" PRId64 " cannot be undone: persona %" PRId64
                     " would keep no email or phone of its own"), merge_id, survivor_id);
      return FALSE;
    }
  /* its old change mark only if nothing changed it since: an import's
   * undo must still see a later edit */
  if (!_pd_sqlite_store_restore_persona (self, restored,
                                         now_mark == 0 && pd_merge_unchanged_since (after, now) ? survivor_change
                                                                                                : now_mark,
                                         error))
    return FALSE;

  balance = pd_persona_get_points (now);
  for (guint i = 0; i < members->len; i++)
    {
      Member *member = &g_array_index (members, Member, i);
      g_autofree char *reason = NULL;

      if (!run_ids (self, "UPDATE personas SET merged_into = NULL, state = 0, points = ?2 WHERE id = ?1",
                    member->id, pd_persona_get_points (member->before), error) ||
          !run_ids (self, "UPDATE emails SET scope = 0 WHERE persona_id = ?1 AND ?2 = ?2", member->id, 0, error) ||
          !run_ids (self, "UPDATE phones SET scope = 0 WHERE persona_id = ?1 AND ?2 = ?2", member->id, 0, error) ||
          !_pd_sqlite_store_restore_persona (self, member->before, member->before_change, error))
        return FALSE;
      json_array_add_int_element (restored_ids, member->id);
      if (member->points == 0)
        continue;
      /* the reversal of the merge's entries: the ledger keeps both */
      balance -= member->points;
      reason = g_strdup_printf (_("Unmerged: back to persona %" PRId64), member->id);
      if (!_pd_sqlite_store_add_ledger (self, survivor_id, -member->points, balance, reason, actor, 0, error) ||
          !_pd_sqlite_store_add_ledger (self, member->id, member->points, pd_persona_get_points (member->before),
                                        _("Unmerged"), actor, 0, error))
        return FALSE;
    }

  /* each merged persona's orders go back with it */
  if (!run_ids (self, "UPDATE orders SET persona_id = (SELECT persona_id FROM merge_orders "
                      "WHERE merge_id = ?1 AND order_id = orders.id) "
                      "WHERE id IN (SELECT order_id FROM merge_orders WHERE merge_id = ?1) AND ?2 = ?2",
                merge_id, 0, error) ||
      !run_ids (self, "DELETE FROM merge_orders WHERE merge_id = ?1 AND ?2 = ?2", merge_id, 0, error))
    return FALSE;
  if (!run_ids (self, "UPDATE merges SET undone = ?2 WHERE id = ?1", merge_id, g_get_real_time (), error))
    return FALSE;
  json_object_set_int_member (detail, "merge", merge_id);
  json_object_set_array_member (detail, "restored", g_steal_pointer (&restored_ids));
  return _pd_sqlite_store_audit (self, actor, "persona.unmerge", survivor_id, detail, error);
}

static gboolean
sqlite_unmerge (PdStore        *store,
                gint64          merge_id,
                const PdActor  *actor,
                GError        **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);

  g_return_val_if_fail (!self->in_import, FALSE);

  if (!pd_actor_check (actor, PD_PERMISSION_EDIT, error))
    return FALSE;
  if (!_pd_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!unmerge_in_transaction (self, merge_id, actor, error) ||
      !_pd_sqlite_store_exec (self, "COMMIT", error))
    {
      _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
sqlite_list_merges (PdStore  *store,
                    gint64    persona_id,
                    GError  **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autoptr(GPtrArray) merges = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_merge_info_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _pd_sqlite_store_prepare (self,
    "SELECT id, survivor_id, at, actor, undone IS NOT NULL FROM merges "
    "WHERE survivor_id = ?1 OR id IN (SELECT merge_id FROM merge_members WHERE persona_id = ?1) "
    "ORDER BY id DESC", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, persona_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdMergeInfo *info = g_new0 (PdMergeInfo, 1);
      const char *who = (const char *) sqlite3_column_text (stmt, 3);

      info->id = sqlite3_column_int64 (stmt, 0);
      info->survivor_id = sqlite3_column_int64 (stmt, 1);
      info->time = g_date_time_new_from_unix_local (sqlite3_column_int64 (stmt, 2) / G_USEC_PER_SEC);
      info->actor = g_strdup (who);
      info->undone = sqlite3_column_int (stmt, 4);
      info->merged_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_ptr_array_add (merges, info);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error), NULL;

  stmt = _pd_sqlite_store_prepare (self, "SELECT persona_id FROM merge_members WHERE merge_id = ? ORDER BY persona_id",
                                   error);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < merges->len; i++)
    {
      PdMergeInfo *info = g_ptr_array_index (merges, i);

      sqlite3_bind_int64 (stmt, 1, info->id);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);

          g_array_append_val (info->merged_ids, id);
        }
      sqlite3_reset (stmt);
    }
  return g_steal_pointer (&merges);
}

void
_pd_sqlite_store_init_merges (PdStoreInterface *iface)
{
  iface->merge_personas = sqlite_merge_personas;
  iface->unmerge = sqlite_unmerge;
  iface->list_merges = sqlite_list_merges;
  iface->get_survivor = sqlite_get_survivor;
}
