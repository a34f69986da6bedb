/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPgStore: what the HTTP API needs (issue 19) — its bearer tokens
 * (hashes only) and the change feeds: personas written since a time, the
 * ledger a page at a time.  The SQLite store's pd-sqlite-store-api.c is
 * the reference. */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-permission.h"
#include "pd-pg-store-private.h"
#include "pd-sqlite-store-private.h"

/* Version 9: the SQLite store's schema 15 — the API's tokens, and when
 * each persona was last written (0: not since this version, so its time
 * is unknown and every feed has it).
 * `updated` is kept by a row trigger, not by each statement that writes a
 * persona: every path (a save, an import, consent changes for an audience,
 * points, an undo, and writes added later) moves it, and the time is the
 * server's clock, one clock for every desk, whose own clocks may differ.
 * A row that names its time (the migration from SQLite copies it) keeps
 * it.  No index, as on SQLite: a time every write moves would cost each
 * import row an index update at a random place; the feed walks
 * personas_state (state, id) instead. */
const char _pd_pg_schema_v9[] =
  "CREATE TABLE api_tokens ("
  "  name text COLLATE \"C\" PRIMARY KEY,"
  "  hash text COLLATE \"C\" NOT NULL UNIQUE,"   /* hex SHA-256 of the token */
  "  read_only smallint NOT NULL,"               /* PdApiTokenAccess */
  "  created bigint NOT NULL"                    /* Unix time, microseconds */
  ");"
  "ALTER TABLE personas ADD COLUMN updated bigint NOT NULL DEFAULT 0;"
  /* no default from now on: an INSERT that does not name it gets NULL,
   * which the trigger replaces */
  "ALTER TABLE personas ALTER COLUMN updated DROP DEFAULT;"
  "CREATE FUNCTION pd_persona_updated() RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  IF TG_OP = 'INSERT' AND NEW.updated IS NOT NULL THEN RETURN NEW; END IF;"
  "  IF TG_OP = 'UPDATE' AND NEW.updated IS DISTINCT FROM OLD.updated THEN RETURN NEW; END IF;"
  "  NEW.updated := (extract(epoch FROM clock_timestamp()) * 1000000)::bigint;"
  "  RETURN NEW;"
  "END $$;"
  "CREATE TRIGGER personas_updated BEFORE INSERT OR UPDATE ON personas "
  "  FOR EACH ROW EXECUTE FUNCTION pd_persona_updated();";

static char *
int_text (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

static gboolean
pg_create_api_token (PdStore          *store,
                     const char       *name,
                     const char       *hash,
                     PdApiTokenAccess  access,
                     const PdActor    *actor,
                     GError          **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autofree char *access_text = int_text (access);
  g_autofree char *now = int_text (g_get_real_time ());
  const char *values[] = { name, hash, access_text, now };
  g_autoptr(PGresult) inserted = NULL;

  g_return_val_if_fail (!self->in_import, FALSE);

  if (!pd_actor_check (actor, PD_PERMISSION_MANAGE_TOKENS, error))
    return FALSE;
  if (!_pd_pg_exec (self, "BEGIN", error))
    return FALSE;
  /* the primary key decides between two desks naming a token at once;
   * DO NOTHING keeps the transaction usable for the answer */
  inserted = _pd_pg_query (self, "INSERT INTO api_tokens (name, hash, read_only, created) "
                                 "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1",
                           G_N_ELEMENTS (values), values, error);
  if (inserted == NULL)
    goto fail;
  if (PQntuples (inserted) == 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT, _("A token named “%s” exists already"), name);
      goto fail;
    }
  json_object_set_string_member (detail, "token", name);
  json_object_set_boolean_member (detail, "read_only", access == PD_API_TOKEN_READ_ONLY);
  if (access == PD_API_TOKEN_IMPORT)
    json_object_set_boolean_member (detail, "import", TRUE);
  if (!_pd_pg_audit (self, actor, "token.create", 0, detail, error) ||
      !_pd_pg_exec (self, "COMMIT", error))
    goto fail;
  return TRUE;

fail:
  _pd_pg_rollback (self);
  return FALSE;
}

static PdApiToken *
token_from_row (const PGresult *result,
                int             row)
{
  PdApiToken *token = g_new0 (PdApiToken, 1);

  token->name = g_strdup (_pd_pg_text (result, row, 0));
  /* anything but 0 and 2 is read-only, as on SQLite */
  switch (_pd_pg_int64 (result, row, 1))
    {
    case PD_API_TOKEN_READ_WRITE: break;
    case PD_API_TOKEN_IMPORT:     token->may_import = TRUE; break;
    default:                      token->read_only = TRUE; break;
    }
  token->created = g_date_time_new_from_unix_utc (_pd_pg_int64 (result, row, 2) / G_USEC_PER_SEC);
  return token;
}

static GPtrArray *
pg_list_api_tokens (PdStore  *store,
                    GError  **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_api_token_free);
  g_autoptr(PGresult) result = _pd_pg_query (self, "SELECT name, read_only, created FROM api_tokens ORDER BY name",
                                             0, NULL, error);

  if (result == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (result); r++)
    g_ptr_array_add (tokens, token_from_row (result, r));
  return g_steal_pointer (&tokens);
}

static gboolean
pg_revoke_api_token (PdStore        *store,
                     const char     *name,
                     const PdActor  *actor,
                     GError        **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autoptr(JsonObject) detail = json_object_new ();
  const char *values[] = { name };
  g_autoptr(PGresult) deleted = NULL;

  g_return_val_if_fail (!self->in_import, FALSE);

  if (!pd_actor_check (actor, PD_PERMISSION_MANAGE_TOKENS, error))
    return FALSE;
  if (!_pd_pg_exec (self, "BEGIN", error))
    return FALSE;
  deleted = _pd_pg_query (self, "DELETE FROM api_tokens WHERE name = $1", 1, values, error);
  if (deleted == NULL)
    goto fail;
  if (g_ascii_strtoll (PQcmdTuples (deleted), NULL, 10) == 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No token named “%s”"), name);
      goto fail;
    }
  json_object_set_string_member (detail, "token", name);
  if (!_pd_pg_audit (self, actor, "token.revoke", 0, detail, error) ||
      !_pd_pg_exec (self, "COMMIT", error))
    goto fail;
  return TRUE;

fail:
  _pd_pg_rollback (self);
  return FALSE;
}

static PdApiToken *
pg_find_api_token (PdStore     *store,
                   const char  *hash,
                   GError     **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  const char *values[] = { hash };
  g_autoptr(PGresult) result = _pd_pg_query (self, "SELECT name, read_only, created FROM api_tokens WHERE hash = $1",
                                             1, values, error);

  if (result == NULL || PQntuples (result) == 0)
    return NULL;
  return token_from_row (result, 0);
}

/* One statement for the page: a range of personas_state (state, id)
 * testing each row's time, and the personas' lists read in one more
 * (_pd_pg_personas_from_result()). */
static GPtrArray *
pg_list_updated_personas (PdStore  *store,
                          gint64    since_us,
                          gint64    after_id,
                          guint     limit,
                          GError  **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autofree char *after_text = int_text (after_id);
  g_autofree char *since_text = int_text (since_us);
  g_autofree char *limit_text = int_text (limit);
  const char *values[] = { after_text, since_text, limit_text };
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM personas WHERE state = 0 AND id > $1 "
                                          "AND (updated >= $2 OR updated = 0) ORDER BY id LIMIT $3",
                                          _pd_sqlite_store_persona_columns ());
  g_autoptr(PGresult) result = _pd_pg_query (self, sql, G_N_ELEMENTS (values), values, error);

  if (result == NULL)
    return NULL;
  return _pd_pg_personas_from_result (self, result, error);
}

/* Where a merged-away persona's id leads (the SQLite store's
 * sqlite_get_survivor(): a chain of merges ends at the survivor, 64 hops
 * at most).  Every persona route of the API asks it first; it reads only
 * personas.merged_into, which schema 1 has, so it is here rather than
 * with the merges themselves.  One statement. */
static gint64
pg_get_survivor (PdStore  *store,
                 gint64    id,
                 GError  **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autofree char *id_text = int_text (id);
  const char *values[] = { id_text };
  g_autoptr(PGresult) result = _pd_pg_query (self,
    "WITH RECURSIVE chain (id, next, hops) AS ("
    "  SELECT id, merged_into, 0 FROM personas WHERE id = $1 "
    "  UNION ALL SELECT p.id, p.merged_into, c.hops + 1 FROM chain c JOIN personas p ON p.id = c.next "
    "  WHERE c.hops < 64) "
    "SELECT id FROM chain ORDER BY hops DESC LIMIT 1", 1, values, error);

  if (result == NULL)
    return 0;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No persona with id %" PRId64), id);
      return 0;
    }
  return _pd_pg_int64 (result, 0, 0);
}

void
_pd_pg_store_init_api (PdStoreInterface *iface)
{
  if (iface->get_survivor == NULL)
    iface->get_survivor = pg_get_survivor;
  iface->create_api_token = pg_create_api_token;
  iface->list_api_tokens = pg_list_api_tokens;
  iface->revoke_api_token = pg_revoke_api_token;
  iface->find_api_token = pg_find_api_token;
  iface->list_updated_personas = pg_list_updated_personas;
  iface->list_ledger_page = _pd_pg_list_ledger_page;
}
