/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdSqliteStore: staff accounts (schema 14), whether they are on (the
 * "staff-accounts" setting), and reading the audit log (schema 11).
 * Passwords and PINs are kept as libsodium's Argon2id hash strings, which
 * carry their own salt and costs; verification is libsodium's, in
 * constant time. */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "pd-error.h"
#include "pd-sqlite-store-private.h"
#include "pd-store-staff.h"
#include "pd-store-accounts.h"

/* Microseconds kept: the audit view orders and shows seconds, but two
 * entries of one second stay apart. */
static GDateTime *
from_usec (gint64 us)
{
  g_autoptr(GDateTime) epoch = g_date_time_new_from_unix_utc (0);

  return g_date_time_add (epoch, us);
}

static PdAccount *
account_from_row (sqlite3_stmt *stmt)
{
  PdAccount *account = g_new0 (PdAccount, 1);
  PdRole role = PD_ROLE_OWNER;

  account->id = sqlite3_column_int64 (stmt, 0);
  account->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  /* an unknown key (a newer version's role) may do nothing */
  if (!pd_role_from_key ((const char *) sqlite3_column_text (stmt, 2), &role))
    role = PD_ROLE_ANALYST;
  account->role = role;
  account->disabled = sqlite3_column_int (stmt, 3) != 0;
  account->created = from_usec (sqlite3_column_int64 (stmt, 4));
  return account;
}

#define ACCOUNT_COLUMNS "id, name, role, disabled, created"

static GPtrArray *
sqlite_list_accounts (PdStore  *store,
                      GError  **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_account_free);
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "SELECT " ACCOUNT_COLUMNS " FROM accounts ORDER BY name", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (accounts, account_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error), NULL;
  return g_steal_pointer (&accounts);
}

/* The account and its hash, or NULL (with no error when there is none). */
static PdAccount *
load_account (PdSqliteStore  *self,
              const char     *name,
              char          **hash,
              GError        **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "SELECT " ACCOUNT_COLUMNS ", hash FROM accounts WHERE name = ?", error);
  PdAccount *account = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      account = account_from_row (stmt);
      if (hash != NULL)
        *hash = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
    }
  else if (rc != SQLITE_DONE)
    _pd_sqlite_store_fail (self, error);
  sqlite3_reset (stmt);
  return account;
}

static gint64
count_owners (PdSqliteStore  *self,
              GError        **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "SELECT count(*) FROM accounts WHERE role = 'owner' AND NOT disabled", error);
  gint64 n = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  else
    _pd_sqlite_store_fail (self, error);
  sqlite3_reset (stmt);
  return n;
}

static gboolean
read_staff_settings (PdSqliteStore    *self,
                     PdStaffSettings  *settings,
                     GError          **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "SELECT key, value FROM settings WHERE key IN ('staff-accounts', 'staff-lock-minutes')", error);
  int rc;

  *settings = (PdStaffSettings) { FALSE, PD_STAFF_DEFAULT_LOCK_MINUTES };
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);
      const char *value = (const char *) sqlite3_column_text (stmt, 1);

      if (g_strcmp0 (key, "staff-accounts") == 0)
        settings->enabled = g_strcmp0 (value, "on") == 0;
      else
        settings->lock_minutes = (guint) CLAMP (g_ascii_strtoll (value != NULL ? value : "", NULL, 10), 0, 24 * 60);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error);
  return TRUE;
}

static gboolean
sqlite_get_staff_settings (PdStore          *store,
                           PdStaffSettings  *settings,
                           GError          **error)
{
  return read_staff_settings (PD_SQLITE_STORE (store), settings, error);
}

static gboolean
begin (PdSqliteStore  *self,
       const PdActor  *actor,
       GError        **error)
{
  return pd_actor_check (actor, PD_PERMISSION_MANAGE_ACCOUNTS, error) &&
         _pd_sqlite_store_exec (self, "BEGIN IMMEDIATE", error);
}

static gboolean
commit (PdSqliteStore  *self,
        gboolean        ok,
        GError        **error)
{
  if (ok && _pd_sqlite_store_exec (self, "COMMIT", error))
    return TRUE;
  _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
  return FALSE;
}

static gboolean
put (PdSqliteStore  *self,
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

static gboolean
set_staff_settings (PdSqliteStore          *self,
                    const PdStaffSettings  *settings,
                    const PdActor          *actor,
                    GError                **error)
{
  g_autofree char *minutes = g_strdup_printf ("%u", MIN (settings->lock_minutes, 24 * 60));
  g_autoptr(JsonObject) detail = json_object_new ();
  PdStaffSettings old;

  if (!read_staff_settings (self, &old, error))
    return FALSE;
  if (settings->enabled && !old.enabled)
    {
      gint64 owners = count_owners (self, error);

      if (owners < 0)
        return FALSE;
      if (owners == 0)
        {
          g_set_error_literal (error, PD_ERROR, PD_ERROR_CONFLICT,
                               _("Add an Owner account before turning staff accounts on"));
          return FALSE;
        }
    }
  json_object_set_boolean_member (detail, "enabled", settings->enabled);
  json_object_set_int_member (detail, "lock_minutes", MIN (settings->lock_minutes, 24 * 60));
  return put (self, "staff-accounts", settings->enabled ? "on" : "off", error) &&
         put (self, "staff-lock-minutes", minutes, error) &&
         _pd_sqlite_store_audit (self, actor, "settings.staff-accounts", 0, detail, error);
}

static gboolean
sqlite_set_staff_settings (PdStore                *store,
                           const PdStaffSettings  *settings,
                           const PdActor          *actor,
                           GError                **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);

  if (!begin (self, actor, error))
    return FALSE;
  return commit (self, set_staff_settings (self, settings, actor, error), error);
}

static gint64
add_account (PdSqliteStore  *self,
             const char     *name,
             PdRole          role,
             const char     *password,
             const PdActor  *actor,
             GError        **error)
{
  g_autoptr(PdAccount) existing = NULL;
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  if (!_pd_account_check_name (name, error))
    return 0;
  if (pd_role_to_key (role) == NULL)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("Unknown role"));
      return 0;
    }
  existing = load_account (self, name, NULL, error);
  if (existing != NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT, _("An account named “%s” exists already"), existing->name);
      return 0;
    }
  if (error != NULL && *error != NULL)
    return 0;
  hash = _pd_account_hash_password (password, error);
  if (hash == NULL)
    return 0;
  stmt = _pd_sqlite_store_prepare (self,
    "INSERT INTO accounts (name, role, hash, created) VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, pd_role_to_key (role), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  if (!_pd_sqlite_store_step_done (self, stmt, error))
    return 0;
  id = sqlite3_last_insert_rowid (self->db);
  json_object_set_string_member (detail, "name", name);
  json_object_set_string_member (detail, "role", pd_role_to_key (role));
  if (!_pd_sqlite_store_audit (self, actor, "account.add", 0, detail, error))
    return 0;
  return id;
}

static gint64
sqlite_add_account (PdStore        *store,
                    const char     *name,
                    PdRole          role,
                    const char     *password,
                    const PdActor  *actor,
                    GError        **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  gint64 id;

  if (!begin (self, actor, error))
    return 0;
  id = add_account (self, name, role, password, actor, error);
  return commit (self, id > 0, error) ? id : 0;
}

static gboolean
update_account (PdSqliteStore          *self,
                const char             *name,
                const PdAccountUpdate  *update,
                const PdActor          *actor,
                GError                **error)
{
  g_autoptr(PdAccount) account = load_account (self, name, NULL, error);
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autofree char *hash = NULL;
  PdStaffSettings settings;
  gboolean was_owner, stays_owner;
  sqlite3_stmt *stmt;

  if (account == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No account named “%s”"), name);
      return FALSE;
    }
  if (update->set_role && pd_role_to_key (update->role) == NULL)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("Unknown role"));
      return FALSE;
    }
  was_owner = account->role == PD_ROLE_OWNER && !account->disabled;
  stays_owner = (update->set_role ? update->role : account->role) == PD_ROLE_OWNER &&
                !(update->disabled >= 0 ? update->disabled : account->disabled);
  if (was_owner && !stays_owner)
    {
      if (!read_staff_settings (self, &settings, error))
        return FALSE;
      if (settings.enabled && count_owners (self, error) <= 1)
        {
          if (error == NULL || *error == NULL)
            g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                         _("“%s” is the last Owner account: staff accounts are on, so it must stay an enabled Owner"),
                         account->name);
          return FALSE;
        }
    }
  if (update->password != NULL && (hash = _pd_account_hash_password (update->password, error)) == NULL)
    return FALSE;

  stmt = _pd_sqlite_store_prepare (self,
    "UPDATE accounts SET role = coalesce(?2, role), hash = coalesce(?3, hash), "
    "disabled = coalesce(?4, disabled) WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account->id);
  if (update->set_role)
    sqlite3_bind_text (stmt, 2, pd_role_to_key (update->role), -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 2);
  if (hash != NULL)
    sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 3);
  if (update->disabled >= 0)
    sqlite3_bind_int (stmt, 4, update->disabled != 0);
  else
    sqlite3_bind_null (stmt, 4);
  if (!_pd_sqlite_store_step_done (self, stmt, error))
    return FALSE;

  /* what changed, never the password */
  json_object_set_string_member (detail, "name", account->name);
  if (update->set_role && update->role != account->role)
    {
      JsonObject *change = json_object_new ();

      json_object_set_string_member (change, "old", pd_role_to_key (account->role));
      json_object_set_string_member (change, "new", pd_role_to_key (update->role));
      json_object_set_object_member (detail, "role", change);
    }
  if (hash != NULL)
    json_object_set_boolean_member (detail, "password_changed", TRUE);
  if (update->disabled >= 0 && (update->disabled != 0) != account->disabled)
    json_object_set_boolean_member (detail, "disabled", update->disabled != 0);
  return _pd_sqlite_store_audit (self, actor, "account.update", 0, detail, error);
}

static gboolean
sqlite_update_account (PdStore                *store,
                       const char             *name,
                       const PdAccountUpdate  *update,
                       const PdActor          *actor,
                       GError                **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);

  if (!begin (self, actor, error))
    return FALSE;
  return commit (self, update_account (self, name, update, actor, error), error);
}

static PdAccount *
sqlite_verify_account (PdStore     *store,
                       const char  *name,
                       const char  *password,
                       GError     **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autofree char *hash = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(PdAccount) account = load_account (self, name, &hash, &local);
  gboolean right;

  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  right = _pd_account_check_password (account != NULL ? hash : NULL, password);
  if (!right || account->disabled)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_PERMISSION,
                   _("Wrong account name or password, or the account “%s” is disabled"), name);
      return NULL;
    }
  return g_steal_pointer (&account);
}

static PdAuditEntry *
audit_from_row (sqlite3_stmt *stmt)
{
  PdAuditEntry *entry = g_new0 (PdAuditEntry, 1);
  PdRole role = PD_ROLE_OWNER;

  entry->id = sqlite3_column_int64 (stmt, 0);
  entry->at = from_usec (sqlite3_column_int64 (stmt, 1));
  entry->who = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  if (pd_role_from_key ((const char *) sqlite3_column_text (stmt, 3), &role))
    entry->role = role;
  entry->source = sqlite3_column_int (stmt, 4);
  entry->action = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  entry->persona_id = sqlite3_column_int64 (stmt, 6);
  entry->detail = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  return entry;
}

static GPtrArray *
sqlite_list_audit (PdStore        *store,
                   gint64          since_us,
                   guint           offset,
                   guint           limit,
                   const PdActor  *actor,
                   GError        **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_audit_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  if (!pd_actor_check (actor, PD_PERMISSION_READ_AUDIT, error))
    return NULL;
  stmt = _pd_sqlite_store_prepare (self,
    "SELECT id, at, who, role, source, action, coalesce(persona_id, 0), detail FROM audit_log "
    "WHERE at >= ? ORDER BY at DESC, id DESC LIMIT ? OFFSET ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since_us);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, 3, offset);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, audit_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error), NULL;
  return g_steal_pointer (&entries);
}

void
_pd_sqlite_store_init_staff (PdStoreInterface *iface)
{
  /* libsodium's own set-up, once; it is safe to call again */
  if (sodium_init () < 0)
    g_warning ("libsodium could not be initialized: staff accounts will not work");
  iface->list_accounts = sqlite_list_accounts;
  iface->add_account = sqlite_add_account;
  iface->update_account = sqlite_update_account;
  iface->verify_account = sqlite_verify_account;
  iface->get_staff_settings = sqlite_get_staff_settings;
  iface->set_staff_settings = sqlite_set_staff_settings;
  iface->list_audit = sqlite_list_audit;
}
