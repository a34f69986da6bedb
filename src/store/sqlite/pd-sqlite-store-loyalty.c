/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdSqliteStore: the loyalty program — points adjustments and the ledger,
 * the program's settings, and a number's or email's loyalty status. */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-loyalty.h"
#include "pd-order.h"
#include "pd-permission.h"
#include "pd-sqlite-store-private.h"

#define LEDGER_COLUMNS "id, persona_id, delta, balance, source, import_id, reason, time, actor"

static PdLedgerEntry *
ledger_entry_from_row (sqlite3_stmt *stmt)
{
  PdLedgerEntry *entry = g_new0 (PdLedgerEntry, 1);

  entry->id = sqlite3_column_int64 (stmt, 0);
  entry->persona_id = sqlite3_column_int64 (stmt, 1);
  entry->delta = sqlite3_column_int64 (stmt, 2);
  entry->balance = sqlite3_column_int64 (stmt, 3);
  entry->source = sqlite3_column_int (stmt, 4);
  entry->import_id = sqlite3_column_int64 (stmt, 5);
  entry->reason = g_strdup (_pd_sqlite_store_column_text (stmt, 6));
  entry->time = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 7) / G_USEC_PER_SEC);
  entry->actor = g_strdup (_pd_sqlite_store_column_text (stmt, 8));
  return entry;
}

static GPtrArray *
list_entries (PdSqliteStore  *self,
              const char     *sql,
              gint64          arg,
              GError        **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_ledger_entry_free);
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, arg);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, ledger_entry_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error), NULL;
  return g_steal_pointer (&entries);
}

static GPtrArray *
sqlite_list_ledger (PdStore  *store,
                    gint64    id,
                    GError  **error)
{
  return list_entries (PD_SQLITE_STORE (store),
                       "SELECT " LEDGER_COLUMNS " FROM ledger WHERE persona_id = ? ORDER BY id DESC", id, error);
}

static GPtrArray *
sqlite_list_ledger_since (PdStore  *store,
                          gint64    since_us,
                          GError  **error)
{
  /* Entries are appended in time order: ids and times rise together. */
  return list_entries (PD_SQLITE_STORE (store),
                       "SELECT " LEDGER_COLUMNS " FROM ledger WHERE time >= ? AND persona_id NOT IN "
                       "(SELECT id FROM personas WHERE blocklisted <> 0) ORDER BY id", since_us, error);
}

/* The ledger keeps what an undone import did to the personas that stay,
 * and one entry per persona that takes it back: the balance after it is
 * the one the undo restored, so the balance still equals the ledger's
 * sum.  (The personas the import created are gone with their entries.) */
gboolean
_pd_sqlite_store_add_undo_reversals (PdSqliteStore  *self,
                                     gint64          id,
                                     GError        **error)
{
  g_autofree char *reason = g_strdup_printf (_("Undo of import %" PRId64), id);
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "INSERT OR FAIL INTO ledger (persona_id, delta, balance, source, import_id, reason, time, actor) "
    "SELECT l.persona_id, -sum(l.delta), p.points, ?2, ?1, ?3, ?4, ?5 "
    "FROM ledger l JOIN personas p ON p.id = l.persona_id "
    "WHERE l.import_id = ?1 AND l.source <> ?2 AND l.persona_id NOT IN temp.undo_keep "
    "GROUP BY l.persona_id HAVING sum(l.delta) <> 0", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, PD_SOURCE_UNDO);
  sqlite3_bind_text (stmt, 3, reason, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  sqlite3_bind_text (stmt, 5, g_get_user_name (), -1, SQLITE_STATIC);
  return _pd_sqlite_store_step_done (self, stmt, error);
}

gboolean
_pd_sqlite_store_get_settings (PdSqliteStore      *self,
                               PdLoyaltySettings  *settings,
                               GError            **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, "SELECT key, value FROM settings", error);
  int rc;

  pd_loyalty_settings_init (settings);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = _pd_sqlite_store_column_text (stmt, 0);
      const char *value = _pd_sqlite_store_column_text (stmt, 1);

      if (g_strcmp0 (key, "allow-negative-balance") == 0)
        settings->allow_negative_balance = g_strcmp0 (value, "true") == 0;
      else if (g_strcmp0 (key, "double-opt-in-expiry-days") == 0)
        settings->double_opt_in_expiry_days = (guint) CLAMP (g_ascii_strtoll (value, NULL, 10), 0, 3650);
      else if (g_strcmp0 (key, "order-points-per-unit") == 0)
        settings->order_points_per_unit = (guint) CLAMP (g_ascii_strtoll (value, NULL, 10), 0, PD_ORDER_MAX_POINTS_PER_UNIT);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error);
  return TRUE;
}

static gboolean
sqlite_get_loyalty_settings (PdStore            *store,
                             PdLoyaltySettings  *settings,
                             GError            **error)
{
  return _pd_sqlite_store_get_settings (PD_SQLITE_STORE (store), settings, error);
}

static gboolean
put_setting (PdSqliteStore  *self,
             const char     *key,
             const char     *value,
             GError        **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  return _pd_sqlite_store_step_done (self, stmt, error);
}

static JsonObject *
setting_change (gint64 old,
                gint64 new)
{
  JsonObject *change = json_object_new ();

  json_object_set_int_member (change, "old", old);
  json_object_set_int_member (change, "new", new);
  return change;
}

static gboolean
sqlite_set_loyalty_settings_as (PdStore                  *store,
                                const PdLoyaltySettings  *settings,
                                const PdActor            *actor,
                                GError                  **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autofree char *days = g_strdup_printf ("%u", settings->double_opt_in_expiry_days);
  g_autofree char *per_unit = g_strdup_printf ("%u", settings->order_points_per_unit);
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(JsonObject) detail = json_object_new ();
  PdLoyaltySettings old;

  if (!pd_actor_check (actor, PD_PERMISSION_MANAGE_ACCOUNTS, error) ||
      !_pd_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!_pd_sqlite_store_get_settings (self, &old, error))
    goto fail;
  if (old.allow_negative_balance != settings->allow_negative_balance)
    json_object_set_object_member (changes, "allow-negative-balance",
                                   setting_change (old.allow_negative_balance, settings->allow_negative_balance));
  if (old.double_opt_in_expiry_days != settings->double_opt_in_expiry_days)
    json_object_set_object_member (changes, "double-opt-in-expiry-days",
                                   setting_change (old.double_opt_in_expiry_days,
                                                   settings->double_opt_in_expiry_days));
  if (old.order_points_per_unit != settings->order_points_per_unit)
    json_object_set_object_member (changes, "order-points-per-unit",
                                   setting_change (old.order_points_per_unit, settings->order_points_per_unit));
  json_object_set_object_member (detail, "changes", json_object_ref (changes));
  if (!put_setting (self, "allow-negative-balance", settings->allow_negative_balance ? "true" : "false", error) ||
      !put_setting (self, "double-opt-in-expiry-days", days, error) ||
      !put_setting (self, "order-points-per-unit", per_unit, error) ||
      (json_object_get_size (changes) > 0 &&
       !_pd_sqlite_store_audit (self, actor, "settings.loyalty", 0, detail, error)) ||
      !_pd_sqlite_store_exec (self, "COMMIT", error))
    goto fail;
  return TRUE;

fail:
  _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
  return FALSE;
}

static gboolean
sqlite_set_loyalty_settings (PdStore                  *store,
                             const PdLoyaltySettings  *settings,
                             GError                  **error)
{
  return sqlite_set_loyalty_settings_as (store, settings, NULL, error);
}

/* The rule (pd_points_check_adjustment()) is checked on the balance read
 * inside the write transaction, so two adjustments at once cannot both
 * pass on the same balance. */
static gboolean
sqlite_adjust_points (PdStore        *store,
                      gint64          id,
                      gint64          delta,
                      const char     *reason,
                      const PdActor  *actor,
                      gint64         *balance,
                      GError        **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autoptr(PdPersona) persona = NULL;
  g_autoptr(PdPersona) before = NULL;
  PdLoyaltySettings settings;

  g_autoptr(JsonObject) detail = json_object_new ();

  g_return_val_if_fail (!self->in_import, FALSE);

  if (!pd_actor_check (actor, PD_PERMISSION_ADJUST_POINTS, error))
    return FALSE;
  if (!_pd_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  persona = _pd_sqlite_store_load_persona (self, id, NULL, error);
  if (persona == NULL || !_pd_sqlite_store_get_settings (self, &settings, error))
    goto fail;
  if (pd_persona_get_blocklisted (persona))
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT, _("Persona %" PRId64 " is blocklisted"), id);
      goto fail;
    }
  if (!pd_points_check_adjustment (pd_persona_get_points (persona), delta, reason, &settings, error))
    goto fail;
  before = pd_persona_copy (persona);
  pd_persona_set_points (persona, pd_persona_get_points (persona) + delta);
  /* An adjustment enrols; nothing here takes anyone out. */
  pd_persona_set_loyalty (persona, TRUE);
  json_object_set_int_member (detail, "delta", delta);
  json_object_set_int_member (detail, "balance", pd_persona_get_points (persona));
  json_object_set_string_member (detail, "reason", reason);
  if (!_pd_sqlite_store_write_persona_full (self, persona, before, actor, 0, reason, error) ||
      !_pd_sqlite_store_audit (self, actor, "points.adjust", id, detail, error) ||
      !_pd_sqlite_store_exec (self, "COMMIT", error))
    goto fail;
  if (balance != NULL)
    *balance = pd_persona_get_points (persona);
  return TRUE;

fail:
  _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
  return FALSE;
}

static gint64
pending_since (PdSqliteStore *self,
               gint64         persona_id)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "SELECT max(created) FROM outbox WHERE persona_id = ? AND kind = 'double-opt-in'", NULL);
  gint64 since = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, persona_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    since = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return since;
}

/* Whether any of the persona's addresses opted out of email (its emails
 * by their key's persona_id prefix, each looked up in email_opt_outs). */
#define EMAIL_OPTED_OUT \
  "EXISTS (SELECT 1 FROM emails e JOIN email_opt_outs o ON o.email = e.email WHERE e.persona_id = p.id)"

/* One look-up in the emails or phones unique index (value, scope 0: only
 * active personas are found), joined to the persona's row by its id. */
static gboolean
sqlite_get_loyalty_status (PdStore          *store,
                           PdFieldId         key,
                           const char       *value,
                           PdLoyaltyStatus  *status,
                           GError          **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  const char *sql;
  sqlite3_stmt *stmt;
  int rc;

  *status = (PdLoyaltyStatus) { 0 };
  /* a blocklisted contact is "unknown", even as a consent-only contact */
  {
    gboolean blocked;

    if (!pd_store_blocklist_contains (store, key, value, &blocked, error))
      return FALSE;
    if (blocked)
      return TRUE;
  }
  if (key == PD_FIELD_PHONE)
    sql = "SELECT p.id, p.loyalty, p.points, p.email_opt_in, p.sms_consent, p.sms_opt_out, " EMAIL_OPTED_OUT " "
          "FROM phones c JOIN personas p ON p.id = c.persona_id "
          "WHERE c.phone = ? AND c.scope = 0 AND p.state = 0";
  else if (key == PD_FIELD_EMAIL)
    sql = "SELECT p.id, p.loyalty, p.points, p.email_opt_in, p.sms_consent, p.sms_opt_out, " EMAIL_OPTED_OUT " "
          "FROM emails c JOIN personas p ON p.id = c.persona_id "
          "WHERE c.email = ? AND c.scope = 0 AND p.state = 0";
  else
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("Loyalty status is looked up by phone or email"));
      return FALSE;
    }
  stmt = _pd_sqlite_store_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      status->known = TRUE;
      status->persona_id = sqlite3_column_int64 (stmt, 0);
      status->member = sqlite3_column_int (stmt, 1) != 0;
      status->points = sqlite3_column_int64 (stmt, 2);
      status->email_opt_in = sqlite3_column_int (stmt, 3) != 0;
      status->email = sqlite3_column_int (stmt, 6) != 0 ? PD_CONSENT_STATE_OPTED_OUT
                      : status->email_opt_in ? PD_CONSENT_STATE_OPTED_IN : PD_CONSENT_STATE_NONE;
      if (sqlite3_column_int (stmt, 5) != 0)
        status->sms = PD_CONSENT_STATE_OPTED_OUT;
      else if (sqlite3_column_int (stmt, 4) == PD_SMS_CONSENT_OPTED_IN)
        status->sms = PD_CONSENT_STATE_OPTED_IN;
      else if (sqlite3_column_int (stmt, 4) == PD_SMS_CONSENT_PENDING)
        status->sms = PD_CONSENT_STATE_PENDING;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error);
  if (status->sms == PD_CONSENT_STATE_PENDING)
    status->pending_since_us = pending_since (self, status->persona_id);
  return TRUE;
}

gboolean
_pd_sqlite_store_check_source_ids (PdSqliteStore  *self,
                                   PdPersona      *persona,
                                   GError        **error)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, pd_persona_get_attributes (persona));
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      sqlite3_stmt *stmt;
      gint64 owner = 0;
      int rc;

      if (!g_str_has_prefix (key, PD_SOURCE_ID_PREFIX))
        continue;
      stmt = _pd_sqlite_store_prepare (self,
        "SELECT persona_id FROM attributes WHERE name = ?1 AND value = ?2 AND name GLOB 'source:*' "
        "AND persona_id <> ?3", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, pd_persona_get_id (persona));
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        owner = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return _pd_sqlite_store_fail (self, error);
      if (owner != 0)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT, _("%s:%s already belongs to persona %" PRId64),
                       (const char *) key + strlen (PD_SOURCE_ID_PREFIX), (const char *) value, owner);
          return FALSE;
        }
    }
  return TRUE;
}

/* A source ID is the attribute source:NAME, written like any change. */
static gboolean
sqlite_set_source_id_as (PdStore        *store,
                         gint64          id,
                         const char     *source,
                         const char     *source_id,
                         const PdActor  *actor,
                         GError        **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  const PdActor owner = { PD_SOURCE_MANUAL, NULL, PD_ROLE_OWNER };
  g_autoptr(PdPersona) persona = NULL;
  g_autoptr(PdPersona) before = NULL;
  g_autofree char *name = NULL;

  if (actor == NULL)
    actor = &owner;
  if (!pd_actor_check (actor, PD_PERMISSION_EDIT, error) ||
      !pd_source_id_check (source, source_id, error) ||
      !_pd_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  persona = _pd_sqlite_store_load_persona (self, id, NULL, error);
  if (persona == NULL)
    goto fail;
  name = g_strconcat (PD_SOURCE_ID_PREFIX, source, NULL);
  if (source_id == NULL && !g_hash_table_contains (pd_persona_get_attributes (persona), name))
    {
      g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("Persona %" PRId64 " has no %s ID"), id, source);
      goto fail;
    }
  before = pd_persona_copy (persona);
  pd_persona_set_attribute (persona, name, source_id);
  if (!_pd_sqlite_store_write_persona_full (self, persona, before, actor, 0, NULL, error) ||
      !_pd_sqlite_store_audit_persona (self, actor, "persona.edit", before, persona, error) ||
      !_pd_sqlite_store_exec (self, "COMMIT", error))
    goto fail;
  return TRUE;

fail:
  _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
  return FALSE;
}

static gboolean
sqlite_set_source_id (PdStore     *store,
                      gint64       id,
                      const char  *source,
                      const char  *source_id,
                      GError     **error)
{
  return sqlite_set_source_id_as (store, id, source, source_id, NULL, error);
}

static GPtrArray *
sqlite_list_source_ids (PdStore  *store,
                        gint64    id,
                        GError  **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "SELECT substr(name, 8), value FROM attributes WHERE persona_id = ? AND name GLOB 'source:*' ORDER BY name",
    error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strconcat (_pd_sqlite_store_column_text (stmt, 0), ":",
                                       _pd_sqlite_store_column_text (stmt, 1), NULL));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error), NULL;
  return g_steal_pointer (&ids);
}

/* One look-up in the attributes_source_id index. */
static gint64
sqlite_find_by_source_id (PdStore     *store,
                          const char  *source,
                          const char  *source_id,
                          GError     **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autofree char *name = g_strconcat (PD_SOURCE_ID_PREFIX, source, NULL);
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "SELECT persona_id FROM attributes WHERE name = ? AND value = ? AND name GLOB 'source:*'", error);
  gint64 id = 0;
  int rc;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, source_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    _pd_sqlite_store_fail (self, error);
  sqlite3_reset (stmt);
  return id;
}

void
_pd_sqlite_store_init_loyalty (PdStoreInterface *iface)
{
  iface->set_source_id = sqlite_set_source_id;
  iface->set_source_id_as = sqlite_set_source_id_as;
  iface->set_loyalty_settings_as = sqlite_set_loyalty_settings_as;
  iface->list_source_ids = sqlite_list_source_ids;
  iface->find_by_source_id = sqlite_find_by_source_id;
  iface->adjust_points = sqlite_adjust_points;
  iface->list_ledger = sqlite_list_ledger;
  iface->list_ledger_since = sqlite_list_ledger_since;
  iface->get_loyalty_settings = sqlite_get_loyalty_settings;
  iface->set_loyalty_settings = sqlite_set_loyalty_settings;
  iface->get_loyalty_status = sqlite_get_loyalty_status;
}

/* The HTTP API's pages of every persona's ledger (pd-sqlite-store-api.c
 * hooks it up): ids and times rise together, so a page is a walk of the
 * rowid from @after_id. */
GPtrArray *
_pd_sqlite_store_list_ledger_page (PdStore  *store,
                                   gint64    since_us,
                                   gint64    after_id,
                                   guint     limit,
                                   GError  **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_ledger_entry_free);
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, "SELECT " LEDGER_COLUMNS " FROM ledger "
                                                       "WHERE id > ? AND time >= ? ORDER BY id LIMIT ?", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after_id);
  sqlite3_bind_int64 (stmt, 2, since_us);
  sqlite3_bind_int64 (stmt, 3, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, ledger_entry_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error), NULL;
  return g_steal_pointer (&entries);
}
