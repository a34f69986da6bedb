/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPgStore: reading personas, finding one, and the actions on one (save,
 * archive), each one transaction; the write itself is in
 * pd-pg-store-write.c, points in pd-pg-store-loyalty.c. */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-pg-store-private.h"
/* the column list and the search keys, shared with the SQLite store so
 * that both fold names and phones alike */
#include "pd-sqlite-store-private.h"

/* Fixed leading columns of a persona SELECT, then one per text field, then
 * the trailing ones (the order of _pd_sqlite_store_persona_columns()). */
enum {
  COL_ID,
  COL_ARCHIVED,
  COL_BLOCKLISTED,
  COL_MERGED_INTO,
  COL_FIRST_TEXT,
};

enum {
  TRAIL_POINTS,
  TRAIL_LOYALTY,
  TRAIL_EMAIL_OPT_IN,
  TRAIL_SMS_CONSENT,
  TRAIL_SMS_OPT_OUT,
  TRAIL_SOURCES,
  TRAIL_SIGNUP_SOURCE,
  TRAIL_CHANGED_BY_IMPORT,
};

static int
trailing (int which)
{
  return COL_FIRST_TEXT + (int) _pd_sqlite_store_n_text_columns () + which;
}

static PdPersona *
persona_from_row (const PGresult *result,
                  int             row)
{
  PdPersona *persona = pd_persona_new ();
  const char *sources;
  int col = COL_FIRST_TEXT;

  pd_persona_set_id (persona, _pd_pg_int64 (result, row, COL_ID));
  pd_persona_set_archived (persona, _pd_pg_int64 (result, row, COL_ARCHIVED) != 0);
  pd_persona_set_blocklisted (persona, _pd_pg_int64 (result, row, COL_BLOCKLISTED) != 0);
  for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
    if (_pd_sqlite_column_for_field (f) != NULL)
      pd_persona_set_value (persona, f, _pd_pg_text (result, row, col++));
  pd_persona_set_points (persona, _pd_pg_int64 (result, row, trailing (TRAIL_POINTS)));
  pd_persona_set_loyalty (persona, _pd_pg_int64 (result, row, trailing (TRAIL_LOYALTY)) != 0);
  pd_persona_set_email_opt_in (persona, _pd_pg_int64 (result, row, trailing (TRAIL_EMAIL_OPT_IN)) != 0);
  pd_persona_set_sms_consent (persona, _pd_pg_int64 (result, row, trailing (TRAIL_SMS_CONSENT)));
  pd_persona_set_sms_opt_out (persona, _pd_pg_int64 (result, row, trailing (TRAIL_SMS_OPT_OUT)) != 0);
  sources = _pd_pg_text (result, row, trailing (TRAIL_SOURCES));
  for (int f = 0; sources != NULL && sources[f] != '\0' && f < PD_FIELD_N_BUILTIN; f++)
    pd_persona_set_value_source (persona, f, sources[f] - '0');
  pd_persona_set_signup_source (persona, _pd_pg_text (result, row, trailing (TRAIL_SIGNUP_SOURCE)));
  return persona;
}

/* One statement for the lists of every persona of a page: a page costs
 * two round trips, whatever its length. */
GPtrArray *
_pd_pg_personas_from_result (PdPgStore       *self,
                             const PGresult  *result,
                             GError         **error)
{
  g_autoptr(GPtrArray) personas = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GString) ids = g_string_new ("{");
  g_autoptr(PGresult) lists = NULL;
  int rows = PQntuples (result);
  const char *values[1];

  for (int r = 0; r < rows; r++)
    {
      PdPersona *persona = persona_from_row (result, r);

      g_ptr_array_add (personas, persona);
      g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, r ? "," : "", pd_persona_get_id (persona));
    }
  if (rows == 0)
    return g_steal_pointer (&personas);
  for (guint i = 0; i < personas->len; i++)
    {
      PdPersona *persona = g_ptr_array_index (personas, i);
      g_hash_table_insert (by_id, g_memdup2 (&(gint64) { pd_persona_get_id (persona) }, sizeof (gint64)), persona);
    }
  g_string_append_c (ids, '}');
  values[0] = ids->str;
  /* Each persona's lists read through the primary keys, one range per
   * persona and table (a LATERAL subquery with OFFSET 0 is never
   * flattened into a join).  With "persona_id = ANY" the planner chose a
   * parallel scan of all of emails and phones for an import batch's 4,000
   * personas once the tables were large: 375 ms a batch at a million
   * personas against 110 ms (issue 19). */
  lists = _pd_pg_query (self,
    "WITH u AS (SELECT DISTINCT unnest($1::bigint[]) AS id) "
    "SELECT u.id, 0, l.email, NULL, l.position FROM u CROSS JOIN LATERAL "
    "  (SELECT email, position FROM emails WHERE persona_id = u.id OFFSET 0) l "
    "UNION ALL SELECT u.id, 1, l.phone, NULL, l.position FROM u CROSS JOIN LATERAL "
    "  (SELECT phone, position FROM phones WHERE persona_id = u.id OFFSET 0) l "
    "UNION ALL SELECT u.id, 2, l.tag, NULL, l.position FROM u CROSS JOIN LATERAL "
    "  (SELECT tag, position FROM tags WHERE persona_id = u.id OFFSET 0) l "
    "UNION ALL SELECT u.id, 3, l.name, l.value, 0 FROM u CROSS JOIN LATERAL "
    "  (SELECT name, value FROM attributes WHERE persona_id = u.id OFFSET 0) l "
    "UNION ALL SELECT u.id, 4, l.field, l.value, 0 FROM u CROSS JOIN LATERAL "
    "  (SELECT field, value FROM overrides WHERE persona_id = u.id OFFSET 0) l "
    "ORDER BY 1, 2, 5", 1, values, error);
  if (lists == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (lists); r++)
    {
      gint64 id = _pd_pg_int64 (lists, r, 0);
      PdPersona *persona = g_hash_table_lookup (by_id, &id);
      const char *text = _pd_pg_text (lists, r, 2);

      if (persona == NULL)
        continue;
      switch (_pd_pg_int64 (lists, r, 1))
        {
        case 0:
          pd_persona_add_email (persona, text);
          break;
        case 1:
          pd_persona_add_phone (persona, text);
          break;
        case 2:
          pd_persona_add_tag (persona, text);
          break;
        case 3:
          pd_persona_set_attribute (persona, text, _pd_pg_text (lists, r, 3));
          break;
        default:
          {
            const PdFieldInfo *info = pd_field_lookup (text);

            if (info != NULL && info->id < PD_FIELD_N_BUILTIN)
              pd_persona_set_override (persona, info->id, _pd_pg_text (lists, r, 3));
          }
          break;
        }
    }
  return g_steal_pointer (&personas);
}

PdPersona *
_pd_pg_load_persona (PdPgStore  *self,
                     gint64      id,
                     gboolean    for_update,
                     GError    **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM personas WHERE id = $1%s",
                                          _pd_sqlite_store_persona_columns (),
                                          for_update ? " FOR UPDATE" : "");
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  const char *values[] = { id_text };
  g_autoptr(PGresult) result = _pd_pg_query (self, sql, 1, values, error);
  g_autoptr(GPtrArray) personas = NULL;

  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No persona with ID %" PRId64), id);
      return NULL;
    }
  personas = _pd_pg_personas_from_result (self, result, error);
  if (personas == NULL)
    return NULL;
  return g_object_ref (g_ptr_array_index (personas, 0));
}

/* One transaction: see _pd_pg_save_persona().  @audit: the audit log's
 * action ("persona.edit"; NULL: not audited), written in the transaction
 * with each changed field. */
gboolean
_pd_pg_save_in_transaction (PdPgStore      *self,
                            PdPersona      *persona,
                            const PdActor  *actor,
                            const char     *audit,
                            GError        **error)
{
  gboolean is_new = pd_persona_get_id (persona) == 0;
  g_autofree char *begin = NULL;
  g_autoptr(PdPersona) before = NULL;

  /* a new persona's numbers and addresses locked with the BEGIN (one
   * round trip); a saved one's new ones once it is read */
  if (is_new)
    {
      g_autoptr(GPtrArray) contacts = _pd_pg_new_contacts (persona, NULL);
      g_autofree char *locks = _pd_pg_contact_locks_sql ((const char * const *) contacts->pdata, contacts->len);

      if (locks != NULL)
        begin = g_strconcat ("BEGIN; ", locks, NULL);
    }
  if (!_pd_pg_exec (self, begin != NULL ? begin : "BEGIN", error))
    {
      _pd_pg_rollback (self);
      return FALSE;
    }
  if (audit != NULL && !is_new)
    {
      before = _pd_pg_load_persona (self, pd_persona_get_id (persona), TRUE, error);
      if (before == NULL)
        goto fail;
    }
  if (!_pd_pg_save_persona (self, persona, before, actor, NULL, error) ||
      (audit != NULL && !_pd_pg_audit_persona (self, actor, audit, before, persona, error)) ||
      !_pd_pg_exec (self, "COMMIT", error))
    goto fail;
  return TRUE;

fail:
  _pd_pg_rollback (self);
  if (is_new)
    pd_persona_set_id (persona, 0);
  return FALSE;
}

static gboolean
save_in_transaction (PdPgStore   *self,
                     PdPersona   *persona,
                     PdSource     source,
                     GError     **error)
{
  PdActor actor = { source, NULL, PD_ROLE_OWNER };

  return _pd_pg_save_in_transaction (self, persona, &actor, NULL, error);
}

static gboolean
pg_save_persona (PdStore    *store,
                 PdPersona  *persona,
                 PdSource    source,
                 GError    **error)
{
  PdPgStore *self = PD_PG_STORE (store);

  g_return_val_if_fail (!self->in_import, FALSE);
  if (pd_persona_get_id (persona) == 0 && pd_persona_get_signup_source (persona) == NULL)
    pd_persona_set_signup_source (persona, source == PD_SOURCE_API ? "API" : "Manual");
  return save_in_transaction (self, persona, source, error);
}

static PdPersona *
pg_get_persona (PdStore  *store,
                gint64    id,
                GError  **error)
{
  return _pd_pg_load_persona (PD_PG_STORE (store), id, FALSE, error);
}

static gint64
find_one (PdPgStore   *self,
          const char  *sql,
          const char  *value,
          GError     **error)
{
  const char *values[] = { value };
  g_autoptr(PGresult) result = _pd_pg_query (self, sql, 1, values, error);

  if (result == NULL || PQntuples (result) == 0)
    return 0;
  return _pd_pg_int64 (result, 0, 0);
}

static gint64
pg_find_persona (PdStore     *store,
                 PdFieldId    key,
                 const char  *value,
                 GError     **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  const char *column;
  g_autofree char *sql = NULL;

  GError *local = NULL;
  gint64 id;

  if (key == PD_FIELD_EMAIL)
    id = find_one (self, "SELECT persona_id FROM emails WHERE live AND email = $1", value, &local);
  else if (key == PD_FIELD_PHONE)
    /* the number alone, with or without an extension: the number without one first */
    id = find_one (self, "SELECT persona_id FROM phones WHERE live "
                         "AND split_part(phone, ';', 1) = split_part($1, ';', 1) "
                         "ORDER BY phone LIMIT 1", value, &local);
  else
    {
      column = _pd_sqlite_column_for_field (key);
      if (column == NULL)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("Personas cannot be looked up by field %d"), key);
          return 0;
        }
      sql = g_strdup_printf ("SELECT id FROM personas WHERE %s = $1 AND state = 0 ORDER BY id LIMIT 1", column);
      id = find_one (self, sql, value, &local);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return 0;
    }
  /* a merged-away persona's contact or ID leads to its survivor (issue
   * 16); an import asks only while someone was merged when it began */
  if (id == 0 && (!self->in_import || self->import_has_merges))
    id = _pd_pg_find_merged (self, key, value, error);
  return id;
}

/* Follows merged_into from the persona holding @value (active or not). */
gint64
_pd_pg_resolve_merge (PdPgStore  *self,
                      const char *value)
{
  g_autofree char *email = g_utf8_strdown (value, -1);
  GString *digits = g_string_new (NULL);
  g_autofree char *digit_str = NULL;
  gint64 id = 0;

  for (const char *p = value; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  digit_str = g_string_free (digits, FALSE);
  g_strstrip (email);

  if (strchr (email, '@') != NULL)
    id = find_one (self, "SELECT persona_id FROM emails WHERE email = $1 ORDER BY live DESC LIMIT 1", email, NULL);
  else if (*digit_str != '\0')
    {
      g_autofree char *e164 = g_strconcat ("+", digit_str, NULL);

      id = find_one (self, "SELECT persona_id FROM phones WHERE phone = $1 ORDER BY live DESC LIMIT 1", e164, NULL);
      if (id == 0)
        id = find_one (self, "SELECT persona_id FROM phones WHERE national = $1 ORDER BY live DESC LIMIT 1",
                       digit_str, NULL);
    }
  if (id == 0)
    return 0;
  /* A chain of merges ends at the survivor; the bound stops a cycle. */
  {
    g_autofree char *start = g_strdup_printf ("%" G_GINT64_FORMAT, id);
    gint64 end = find_one (self,
      "WITH RECURSIVE chain(id, next, hops) AS ("
      "  SELECT id, merged_into, 0 FROM personas WHERE id = $1::bigint"
      "  UNION ALL SELECT p.id, p.merged_into, c.hops + 1 FROM chain c JOIN personas p ON p.id = c.next"
      "  WHERE c.hops < 64) "
      "SELECT id FROM chain ORDER BY hops DESC LIMIT 1", start, NULL);

    return end != 0 ? end : id;
  }
}

static gboolean
pg_set_archived (PdStore   *store,
                 gint64     id,
                 gboolean   archived,
                 GError   **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autoptr(PdPersona) persona = _pd_pg_load_persona (self, id, FALSE, error);

  if (persona == NULL)
    return FALSE;
  if (pd_persona_get_archived (persona) == archived)
    return TRUE;
  pd_persona_set_archived (persona, archived);
  return save_in_transaction (self, persona, PD_SOURCE_MANUAL, error);
}

void
_pd_pg_store_init_personas (PdStoreInterface *iface)
{
  iface->get_persona = pg_get_persona;
  iface->find_persona = pg_find_persona;
  iface->save_persona = pg_save_persona;
  iface->set_archived = pg_set_archived;
}
