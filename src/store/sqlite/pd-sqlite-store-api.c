/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the HTTP API needs of the SQLite store: its bearer tokens (schema
 * 15, hashes only) and pages of personas changed since a time. */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-permission.h"
#include "pd-sqlite-store-private.h"

static gboolean
sqlite_create_api_token (PdStore        *store,
                         const char     *name,
                         const char     *hash,
                         PdApiTokenAccess access,
                         const PdActor  *actor,
                         GError        **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autoptr(JsonObject) detail = json_object_new ();
  sqlite3_stmt *stmt;
  int rc;

  if (!pd_actor_check (actor, PD_PERMISSION_MANAGE_TOKENS, error))
    return FALSE;
  if (!_pd_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  stmt = _pd_sqlite_store_prepare (self, "INSERT INTO api_tokens (name, hash, read_only, created) "
                                         "VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, (int) access);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT, _("A token named “%s” exists already"), name);
      goto fail;
    }
  if (rc != SQLITE_DONE)
    {
      _pd_sqlite_store_fail (self, error);
      goto fail;
    }
  json_object_set_string_member (detail, "token", name);
  json_object_set_boolean_member (detail, "read_only", access == PD_API_TOKEN_READ_ONLY);
  if (access == PD_API_TOKEN_IMPORT)
    json_object_set_boolean_member (detail, "import", TRUE);
  if (!_pd_sqlite_store_audit (self, actor, "token.create", 0, detail, error) ||
      !_pd_sqlite_store_exec (self, "COMMIT", error))
    goto fail;
  return TRUE;

fail:
  _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
  return FALSE;
}

static PdApiToken *
token_from_row (sqlite3_stmt *stmt)
{
  PdApiToken *token = g_new0 (PdApiToken, 1);

  token->name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  /* anything but 0 and 2 is read-only: a value a newer build wrote means
   * no more than that here */
  switch (sqlite3_column_int (stmt, 1))
    {
    case PD_API_TOKEN_READ_WRITE: break;
    case PD_API_TOKEN_IMPORT:     token->may_import = TRUE; break;
    default:                      token->read_only = TRUE; break;
    }
  token->created = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 2) / G_USEC_PER_SEC);
  return token;
}

static GPtrArray *
sqlite_list_api_tokens (PdStore  *store,
                        GError  **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_api_token_free);
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, "SELECT name, read_only, created FROM api_tokens "
                                                       "ORDER BY name", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (tokens, token_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error), NULL;
  return g_steal_pointer (&tokens);
}

static gboolean
sqlite_revoke_api_token (PdStore        *store,
                         const char     *name,
                         const PdActor  *actor,
                         GError        **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autoptr(JsonObject) detail = json_object_new ();
  sqlite3_stmt *stmt;

  if (!pd_actor_check (actor, PD_PERMISSION_MANAGE_TOKENS, error))
    return FALSE;
  if (!_pd_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  stmt = _pd_sqlite_store_prepare (self, "DELETE FROM api_tokens WHERE name = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (!_pd_sqlite_store_step_done (self, stmt, error))
    goto fail;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No token named “%s”"), name);
      goto fail;
    }
  json_object_set_string_member (detail, "token", name);
  if (!_pd_sqlite_store_audit (self, actor, "token.revoke", 0, detail, error) ||
      !_pd_sqlite_store_exec (self, "COMMIT", error))
    goto fail;
  return TRUE;

fail:
  _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
  return FALSE;
}

static PdApiToken *
sqlite_find_api_token (PdStore     *store,
                       const char  *hash,
                       GError     **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, "SELECT name, read_only, created FROM api_tokens "
                                                       "WHERE hash = ?", error);
  PdApiToken *token = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    token = token_from_row (stmt);
  else if (rc != SQLITE_DONE)
    _pd_sqlite_store_fail (self, error);
  sqlite3_reset (stmt);
  return token;
}

/* A walk of personas_state (the active view in ID order) testing each
 * row's time: no index of its own (schema 15 says why), so a page costs
 * up to a scan of the rows after @after_id when few changed. */
static GPtrArray *
sqlite_list_updated_personas (PdStore  *store,
                              gint64    since_us,
                              gint64    after_id,
                              guint     limit,
                              GError  **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autoptr(GPtrArray) personas = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, "SELECT id FROM personas WHERE state = 0 AND id > ? "
                                                       "AND (updated >= ? OR updated = 0) ORDER BY id LIMIT ?",
                                                 error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after_id);
  sqlite3_bind_int64 (stmt, 2, since_us);
  sqlite3_bind_int64 (stmt, 3, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error), NULL;
  for (guint i = 0; i < ids->len; i++)
    {
      PdPersona *persona = _pd_sqlite_store_load_persona (self, g_array_index (ids, gint64, i), NULL, error);

      if (persona == NULL)
        return NULL;
      g_ptr_array_add (personas, persona);
    }
  return g_steal_pointer (&personas);
}

void
_pd_sqlite_store_init_api (PdStoreInterface *iface)
{
  iface->create_api_token = sqlite_create_api_token;
  iface->list_api_tokens = sqlite_list_api_tokens;
  iface->revoke_api_token = sqlite_revoke_api_token;
  iface->find_api_token = sqlite_find_api_token;
  iface->list_updated_personas = sqlite_list_updated_personas;
  iface->list_ledger_page = _pd_sqlite_store_list_ledger_page;
}
