/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdSqliteStore: writing one persona — validation, the personas row (all
 * of it when new, only what changed otherwise), its lists, attributes and
 * ledger — for manual saves, imports and undo alike. */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-loyalty.h"
#include "pd-phone.h"
#include "pd-sqlite-store-private.h"

/* Returns the id of another persona of @state 0 holding @value, or 0. */
static gint64
live_owner (PdSqliteStore  *self,
            const char     *sql,
            const char     *value,
            gint64          except,
            GError        **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, sql, error);
  gint64 owner = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, except);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    owner = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    owner = -1, _pd_sqlite_store_fail (self, error);
  sqlite3_reset (stmt);
  return owner;
}

static gboolean
check_unique (PdSqliteStore  *self,
              PdPersona      *persona,
              GError        **error)
{
  GPtrArray *emails = pd_persona_get_emails (persona);
  GPtrArray *phones = pd_persona_get_phones (persona);
  gint64 id = pd_persona_get_id (persona);

  for (guint i = 0; i < emails->len; i++)
    {
      const char *email = g_ptr_array_index (emails, i);
      gint64 owner = live_owner (self, "SELECT persona_id FROM emails WHERE email = ? AND scope = 0 "
                                       "AND persona_id <> ?", email, id, error);
      if (owner < 0)
        return FALSE;
      if (owner > 0)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                       _("The email %s is already used by persona %" PRId64), email, owner);
          return FALSE;
        }
    }
  for (guint i = 0; i < phones->len; i++)
    {
      const char *phone = g_ptr_array_index (phones, i);
      /* the same number is the same phone, with or without an extension
       * (pd_phone_same_number(); one range of the index, as the look-up) */
      g_autofree char *number = g_strndup (phone, pd_phone_number_length (phone));
      gint64 owner = live_owner (self, "SELECT persona_id FROM phones WHERE phone >= ?1 "
                                       "AND phone < ?1 || '<' AND scope = 0 AND persona_id <> ?2 "
                                       "AND (phone = ?1 OR substr (phone, length (?1) + 1, 1) = ';')",
                                 number, id, error);
      if (owner < 0)
        return FALSE;
      if (owner > 0)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                       _("The phone %s is already used by persona %" PRId64), phone, owner);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
same_attributes (GHashTable *a,
                 GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (value, g_hash_table_lookup (b, key)) != 0)
      return FALSE;
  return TRUE;
}

static gboolean
run_for_id (PdSqliteStore  *self,
            const char     *sql,
            gint64          id,
            GError        **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return _pd_sqlite_store_step_done (self, stmt, error);
}

static gboolean
write_list_from (PdSqliteStore  *self,
                 const char     *delete_sql,
                 const char     *insert_sql,
                 gint64          id,
                 GPtrArray      *values,
                 guint           from,
                 gint64          scope,
                 gboolean        phone,
                 GError        **error)
{
  sqlite3_stmt *stmt;

  if (delete_sql != NULL && !run_for_id (self, delete_sql, id, error))
    return FALSE;
  stmt = _pd_sqlite_store_prepare (self, insert_sql, error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = from; i < values->len; i++)
    {
      const char *value = g_ptr_array_index (values, i);
      g_autofree char *national = phone ? _pd_sqlite_national_digits (value) : NULL;
      g_autofree char *national_rev = phone ? _pd_sqlite_reverse_digits (national) : NULL;

      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int (stmt, 2, i);
      sqlite3_bind_text (stmt, 3, value, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, scope);
      if (phone)
        {
          sqlite3_bind_text (stmt, 5, national, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 6, national_rev, -1, SQLITE_STATIC);
        }
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _pd_sqlite_store_fail (self, error);
          sqlite3_reset (stmt);
          return FALSE;
        }
      sqlite3_reset (stmt);
    }
  return TRUE;
}

/* How many leading values @old and @now share, when @old is all of them
 * (a merge appends): the rows already stored stay. */
static gboolean
is_prefix (GPtrArray *old,
           GPtrArray *now)
{
  if (old->len > now->len)
    return FALSE;
  for (guint i = 0; i < old->len; i++)
    if (!g_str_equal (g_ptr_array_index (old, i), g_ptr_array_index (now, i)))
      return FALSE;
  return TRUE;
}

/* Writes one list of a persona: nothing when unchanged, the new tail when
 * values were only appended, else all of it again. */
static gboolean
update_list (PdSqliteStore  *self,
             const char     *delete_sql,
             const char     *insert_sql,
             gint64          id,
             GPtrArray      *old,
             GPtrArray      *now,
             gboolean        rescope,
             gint64          scope,
             gboolean        phone,
             GError        **error)
{
  if (old == NULL)
    return write_list_from (self, NULL, insert_sql, id, now, 0, scope, phone, error);
  if (!rescope && is_prefix (old, now))
    return old->len == now->len ||
           write_list_from (self, NULL, insert_sql, id, now, old->len, scope, phone, error);
  return write_list_from (self, delete_sql, insert_sql, id, now, 0, scope, phone, error);
}

/* A persona's emails, phones and tags, from @old (nullable: a new
 * persona) to @persona's.  Archiving or blocklisting moves every email and
 * phone to the persona's own scope, so those are written again whole. */
static gboolean
update_lists (PdSqliteStore  *self,
              gint64          id,
              PdPersona      *old,
              PdPersona      *persona,
              gint64          scope,
              GError        **error)
{
  gboolean rescope = old != NULL &&
                     (pd_persona_get_archived (old) != pd_persona_get_archived (persona) ||
                      pd_persona_get_blocklisted (old) != pd_persona_get_blocklisted (persona));

  return update_list (self, "DELETE FROM emails WHERE persona_id = ?",
                      "INSERT OR FAIL INTO emails (persona_id, position, email, scope) VALUES (?, ?, ?, ?)",
                      id, old != NULL ? pd_persona_get_emails (old) : NULL, pd_persona_get_emails (persona),
                      rescope, scope, FALSE, error) &&
         update_list (self, "DELETE FROM phones WHERE persona_id = ?",
                      "INSERT OR FAIL INTO phones (persona_id, position, phone, scope, national, national_rev) "
                      "VALUES (?, ?, ?, ?, ?, ?)",
                      id, old != NULL ? pd_persona_get_phones (old) : NULL, pd_persona_get_phones (persona),
                      rescope, scope, TRUE, error) &&
         update_list (self, "DELETE FROM tags WHERE persona_id = ?",
                      "INSERT OR FAIL INTO tags (persona_id, position, tag) VALUES (?, ?, ?)",
                      id, old != NULL ? pd_persona_get_tags (old) : NULL, pd_persona_get_tags (persona),
                      FALSE, 0, FALSE, error);
}

static gboolean
write_attributes (PdSqliteStore  *self,
                  gint64          id,
                  GHashTable     *attributes,
                  gboolean        clear,
                  GError        **error)
{
  GHashTableIter iter;
  gpointer key, value;
  sqlite3_stmt *stmt;

  if (clear && !run_for_id (self, "DELETE FROM attributes WHERE persona_id = ?", id, error))
    return FALSE;
  stmt = _pd_sqlite_store_prepare (self, "INSERT OR FAIL INTO attributes (persona_id, name, value) VALUES (?, ?, ?)",
                                   error);
  if (stmt == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, attributes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, value, -1, SQLITE_STATIC);
      if (!_pd_sqlite_store_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* A persona's pinned fields, from @old's (nullable: a new persona). */
static gboolean
update_overrides (PdSqliteStore  *self,
                  gint64          id,
                  PdPersona      *old,
                  PdPersona      *persona,
                  GError        **error)
{
  for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
    {
      const char *pin = pd_persona_get_override (persona, f);
      const char *had = old != NULL ? pd_persona_get_override (old, f) : NULL;
      sqlite3_stmt *stmt;

      if (g_strcmp0 (pin, had) == 0)
        continue;
      stmt = _pd_sqlite_store_prepare (self, pin != NULL
        ? "INSERT OR REPLACE INTO overrides (persona_id, field, value) VALUES (?1, ?2, ?3)"
        : "DELETE FROM overrides WHERE persona_id = ?1 AND field = ?2", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, pd_field_get_info (f)->key, -1, SQLITE_STATIC);
      if (pin != NULL)
        sqlite3_bind_text (stmt, 3, pin, -1, SQLITE_STATIC);
      if (!_pd_sqlite_store_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* A pinned field keeps its value whoever writes (pd-loyalty.h). */
void
_pd_sqlite_store_apply_overrides (PdPersona *persona)
{
  for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
    {
      const char *pin = pd_persona_get_override (persona, f);

      if (pin != NULL && g_strcmp0 (pd_persona_get_value (persona, f), pin) != 0)
        pd_persona_set_value (persona, f, pin);
    }
}

gboolean
_pd_sqlite_store_add_ledger (PdSqliteStore  *self,
                             gint64          persona_id,
                             gint64          delta,
                             gint64          balance,
                             const char     *reason,
                             const PdActor  *actor,
                             gint64          import_id,
                             GError        **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "INSERT OR FAIL INTO ledger (persona_id, delta, balance, source, import_id, reason, time, actor) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, persona_id);
  sqlite3_bind_int64 (stmt, 2, delta);
  sqlite3_bind_int64 (stmt, 3, balance);
  sqlite3_bind_int (stmt, 4, actor->source);
  if (import_id != 0)
    sqlite3_bind_int64 (stmt, 5, import_id);
  if (reason != NULL)
    sqlite3_bind_text (stmt, 6, reason, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, g_get_real_time ());
  if (actor->who != NULL)
    sqlite3_bind_text (stmt, 8, actor->who, -1, SQLITE_STATIC);
  return _pd_sqlite_store_step_done (self, stmt, error);
}

/* Writes say OR FAIL: with the default OR ABORT, SQLite gives every
 * statement inside a transaction a statement journal, copying each page it
 * touches (nine b-trees for a persona row) — the largest cost of an import.
 * Atomicity comes from the savepoint around a manual save and from the one
 * transaction of an import, so a statement's own rollback is not needed.
 *
 * The INSERT and UPDATE of the personas row share one bind order: the
 * text fields, then the trailing columns, then the derived ones. */
static const char *
write_sql (gboolean insert)
{
  static char *sql[2];

  if (g_once_init_enter (&sql[insert]))
    {
      GString *s = g_string_new (NULL);
      guint n = 0;

      if (insert)
        g_string_append (s, "INSERT OR FAIL INTO personas (");
      else
        g_string_append (s, "UPDATE OR FAIL personas SET ");
      for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
        if (_pd_sqlite_column_for_field (f) != NULL)
          {
            g_string_append_printf (s, insert ? "%s%s" : "%s%s = ?", n ? ", " : "",
                                    _pd_sqlite_column_for_field (f));
            n++;
          }
      if (insert)
        {
          g_string_append (s, ", points, loyalty, email_opt_in, sms_consent, sms_opt_out, sources, "
                              "signup_source, archived, blocklisted, name_key, last_key, primary_email, "
                              "primary_phone, changed_by_import, state) VALUES (");
          for (guint i = 0; i < n + 14; i++)
            g_string_append (s, i ? ", ?" : "?");
          g_string_append_printf (s, ", CASE WHEN ?%u THEN 2 WHEN ?%u THEN 1 ELSE 0 END)", n + 9, n + 8);
        }
      else
        g_string_append_printf (s, ", points = ?, loyalty = ?, email_opt_in = ?, sms_consent = ?, "
                                   "sms_opt_out = ?, sources = ?, signup_source = ?, archived = ?, "
                                   "blocklisted = ?, name_key = ?, last_key = ?, primary_email = ?, "
                                   "primary_phone = ?, changed_by_import = ?, state = CASE "
                                   "WHEN merged_into IS NOT NULL OR ?%u THEN 2 WHEN ?%u THEN 1 ELSE 0 END "
                                   "WHERE id = ?%u", n + 9, n + 8, n + 15);
      g_once_init_leave (&sql[insert], g_string_free (s, FALSE));
    }
  return sql[insert];
}

/* Numbered parameters after the text fields, relative to their count. */
static int
param (int which)
{
  return _pd_sqlite_store_n_text_columns () + 1 + which;
}

static gboolean
write_row (PdSqliteStore  *self,
           PdPersona      *persona,
           gint64          import_id,
           GError        **error)
{
  gboolean insert = pd_persona_get_id (persona) == 0;
  char sources[PD_FIELD_N_BUILTIN + 1];
  g_autofree char *display = pd_persona_dup_display_name (persona);
  g_autofree char *name_key = _pd_sqlite_search_key (display);
  g_autofree char *last_key = _pd_sqlite_search_key (pd_persona_get_value (persona, PD_FIELD_LAST_NAME));
  gboolean archived = pd_persona_get_archived (persona);
  gboolean blocklisted = pd_persona_get_blocklisted (persona);
  sqlite3_stmt *stmt;
  int p = 1;

  stmt = _pd_sqlite_store_prepare (self, write_sql (insert), error);
  if (stmt == NULL)
    return FALSE;
  for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
    {
      sources[f] = '0' + pd_persona_get_value_source (persona, f);
      if (_pd_sqlite_column_for_field (f) != NULL)
        sqlite3_bind_text (stmt, p++, pd_persona_get_value (persona, f), -1, SQLITE_STATIC);
    }
  sources[PD_FIELD_N_BUILTIN] = '\0';
  g_assert (p == param (0));
  sqlite3_bind_int64 (stmt, param (0), pd_persona_get_points (persona));
  sqlite3_bind_int (stmt, param (1), pd_persona_get_loyalty (persona));
  sqlite3_bind_int (stmt, param (2), pd_persona_get_email_opt_in (persona));
  sqlite3_bind_int (stmt, param (3), pd_persona_get_sms_consent (persona));
  sqlite3_bind_int (stmt, param (4), pd_persona_get_sms_opt_out (persona));
  sqlite3_bind_text (stmt, param (5), sources, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, param (6), pd_persona_get_signup_source (persona), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, param (7), archived);
  sqlite3_bind_int (stmt, param (8), blocklisted);
  sqlite3_bind_text (stmt, param (9), name_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, param (10), last_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, param (11), pd_persona_get_primary_email (persona), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, param (12), pd_persona_get_primary_phone (persona), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, param (13), import_id);
  if (!insert)
    sqlite3_bind_int64 (stmt, param (14), pd_persona_get_id (persona));
  if (!_pd_sqlite_store_step_done (self, stmt, error))
    return FALSE;
  if (insert)
    pd_persona_set_id (persona, sqlite3_last_insert_rowid (self->db));
  return TRUE;
}

typedef struct {
  const char *column;
  const char *text;     /* bound as text when is_text */
  gint64      number;
  gboolean    is_text;
} Assignment;

static void
fill_sources (PdPersona *persona,
              char       sources[PD_FIELD_N_BUILTIN + 1])
{
  for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
    sources[f] = '0' + pd_persona_get_value_source (persona, f);
  sources[PD_FIELD_N_BUILTIN] = '\0';
}

/* An UPDATE of the columns that changed only: SQLite rewrites the entries
 * of every index whose columns an UPDATE sets, changed or not, and a
 * persona row has eight of them. */
static gboolean
update_changed (PdSqliteStore  *self,
                PdPersona      *persona,
                PdPersona      *before,
                gint64          import_id,
                GError        **error)
{
  Assignment set[PD_FIELD_N_BUILTIN + 16];
  guint n = 0;
  char sources[PD_FIELD_N_BUILTIN + 1], old_sources[PD_FIELD_N_BUILTIN + 1];
  g_autofree char *display = pd_persona_dup_display_name (persona);
  g_autofree char *old_display = pd_persona_dup_display_name (before);
  g_autofree char *name_key = NULL;
  g_autofree char *last_key = NULL;
  gboolean state_changed;
  g_autoptr(GString) sql = g_string_new ("UPDATE OR FAIL personas SET ");
  sqlite3_stmt *stmt;

#define SET_TEXT(col, value) (set[n++] = (Assignment) { col, value, 0, TRUE })
#define SET_NUM(col, value) (set[n++] = (Assignment) { col, NULL, value, FALSE })
  for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
    if (_pd_sqlite_column_for_field (f) != NULL &&
        g_strcmp0 (pd_persona_get_value (persona, f), pd_persona_get_value (before, f)) != 0)
      SET_TEXT (_pd_sqlite_column_for_field (f), pd_persona_get_value (persona, f));
  if (pd_persona_get_points (persona) != pd_persona_get_points (before))
    SET_NUM ("points", pd_persona_get_points (persona));
  if (pd_persona_get_loyalty (persona) != pd_persona_get_loyalty (before))
    SET_NUM ("loyalty", pd_persona_get_loyalty (persona));
  if (pd_persona_get_email_opt_in (persona) != pd_persona_get_email_opt_in (before))
    SET_NUM ("email_opt_in", pd_persona_get_email_opt_in (persona));
  if (pd_persona_get_sms_consent (persona) != pd_persona_get_sms_consent (before))
    SET_NUM ("sms_consent", pd_persona_get_sms_consent (persona));
  if (pd_persona_get_sms_opt_out (persona) != pd_persona_get_sms_opt_out (before))
    SET_NUM ("sms_opt_out", pd_persona_get_sms_opt_out (persona));
  fill_sources (persona, sources);
  fill_sources (before, old_sources);
  if (strcmp (sources, old_sources) != 0)
    SET_TEXT ("sources", sources);
  if (g_strcmp0 (pd_persona_get_signup_source (persona), pd_persona_get_signup_source (before)) != 0)
    SET_TEXT ("signup_source", pd_persona_get_signup_source (persona));
  state_changed = pd_persona_get_archived (persona) != pd_persona_get_archived (before) ||
                  pd_persona_get_blocklisted (persona) != pd_persona_get_blocklisted (before);
  if (state_changed)
    {
      SET_NUM ("archived", pd_persona_get_archived (persona));
      SET_NUM ("blocklisted", pd_persona_get_blocklisted (persona));
    }
  if (g_strcmp0 (display, old_display) != 0)
    {
      name_key = _pd_sqlite_search_key (display);
      SET_TEXT ("name_key", name_key);
    }
  if (g_strcmp0 (pd_persona_get_value (persona, PD_FIELD_LAST_NAME),
                 pd_persona_get_value (before, PD_FIELD_LAST_NAME)) != 0)
    {
      last_key = _pd_sqlite_search_key (pd_persona_get_value (persona, PD_FIELD_LAST_NAME));
      SET_TEXT ("last_key", last_key);
    }
  if (g_strcmp0 (pd_persona_get_primary_email (persona), pd_persona_get_primary_email (before)) != 0)
    SET_TEXT ("primary_email", pd_persona_get_primary_email (persona));
  if (g_strcmp0 (pd_persona_get_primary_phone (persona), pd_persona_get_primary_phone (before)) != 0)
    SET_TEXT ("primary_phone", pd_persona_get_primary_phone (persona));
  /* always: the mark undo checks */
  SET_NUM ("changed_by_import", import_id);
#undef SET_TEXT
#undef SET_NUM

  for (guint i = 0; i < n; i++)
    g_string_append_printf (sql, "%s%s = ?%u", i ? ", " : "", set[i].column, i + 1);
  if (state_changed)
    g_string_append_printf (sql, ", state = CASE WHEN merged_into IS NOT NULL OR ?%u THEN 2 "
                                 "WHEN ?%u THEN 1 ELSE 0 END", n + 2, n + 3);
  g_string_append_printf (sql, " WHERE id = ?%u", n + 1);

  stmt = _pd_sqlite_store_prepare (self, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      if (set[i].is_text)
        sqlite3_bind_text (stmt, i + 1, set[i].text, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_int64 (stmt, i + 1, set[i].number);
    }
  sqlite3_bind_int64 (stmt, n + 1, pd_persona_get_id (persona));
  if (state_changed)
    {
      sqlite3_bind_int (stmt, n + 2, pd_persona_get_blocklisted (persona));
      sqlite3_bind_int (stmt, n + 3, pd_persona_get_archived (persona));
    }
  return _pd_sqlite_store_step_done (self, stmt, error);
}

static gint64
persona_state_scope (PdSqliteStore *self,
                     gint64         id)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, "SELECT state FROM personas WHERE id = ?", NULL);
  gint64 scope = id;

  if (stmt == NULL)
    return id;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) == 0)
    scope = 0;
  sqlite3_reset (stmt);
  return scope;
}

/* Favorite store precedence (pd_favorite_store_may_replace()): a changed
 * value that does not say where it came from comes from the writer; one
 * from a lower source than the stored one's is put back. */
void
_pd_sqlite_store_apply_favorite_store_precedence (PdPersona *persona,
                                                  PdPersona *before,
                                                  PdSource   source)
{
  const char *old_value, *new_value;
  PdSource old_source, new_source;

  if (before == NULL || source == PD_SOURCE_NONE)
    return;
  old_value = pd_persona_get_value (before, PD_FIELD_FAVORITE_STORE);
  new_value = pd_persona_get_value (persona, PD_FIELD_FAVORITE_STORE);
  if (g_strcmp0 (old_value, new_value) == 0)
    return;
  old_source = pd_persona_get_value_source (before, PD_FIELD_FAVORITE_STORE);
  new_source = pd_persona_get_value_source (persona, PD_FIELD_FAVORITE_STORE);
  if (new_source == old_source)
    new_source = source;
  if (old_value != NULL && !pd_favorite_store_may_replace (old_source, new_source))
    {
      pd_persona_set_value (persona, PD_FIELD_FAVORITE_STORE, old_value);
      pd_persona_set_value_source (persona, PD_FIELD_FAVORITE_STORE, old_source);
      return;
    }
  pd_persona_set_value_source (persona, PD_FIELD_FAVORITE_STORE, new_value != NULL ? new_source : PD_SOURCE_NONE);
}

/* At least an email or a phone, and none that another active persona
 * holds. */
gboolean
_pd_sqlite_store_validate_persona (PdSqliteStore  *self,
                                   PdPersona      *persona,
                                   GError        **error)
{
  if (pd_persona_get_emails (persona)->len == 0 && pd_persona_get_phones (persona)->len == 0)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID,
                           _("A persona needs at least an email or a phone"));
      return FALSE;
    }
  if (!_pd_sqlite_store_check_source_ids (self, persona, error))
    return FALSE;
  /* an import asks before it matches a row (the row is then ignored) */
  if (!self->in_import && !_pd_sqlite_store_refuse_blocklisted_persona (self, persona, error))
    return FALSE;
  if (pd_persona_get_archived (persona) || pd_persona_get_blocklisted (persona))
    return TRUE;
  return check_unique (self, persona, error);
}

/**
 * _pd_sqlite_store_write_persona:
 * @before: (nullable): the persona as stored, when the caller has it (saves
 *   reading it again); NULL to read it
 *
 * Validates and writes a persona, its lists, attributes and a ledger entry
 * for any change of the points balance, inside a savepoint.
 */
gboolean
_pd_sqlite_store_write_persona_full (PdSqliteStore  *self,
                                     PdPersona      *persona,
                                     PdPersona      *before,
                                     const PdActor  *actor,
                                     gint64          import_id,
                                     const char     *points_reason,
                                     GError        **error)
{
  PdSource source = actor->source;
  g_autoptr(PdPersona) loaded = NULL;
  gint64 id = pd_persona_get_id (persona);
  gint64 old_points = 0;
  gint64 scope;
  gboolean live;
  gboolean is_new = id == 0;
  gboolean atomic;

  /* An import validates before it writes its undo record. */
  if (!self->in_import && !_pd_sqlite_store_validate_persona (self, persona, error))
    return FALSE;

  if (id != 0 && before == NULL)
    {
      loaded = _pd_sqlite_store_load_persona (self, id, NULL, error);
      if (loaded == NULL)
        return FALSE;
      before = loaded;
    }
  if (before != NULL)
    old_points = pd_persona_get_points (before);

  live = !pd_persona_get_archived (persona) && !pd_persona_get_blocklisted (persona);

  /* The loyalty program's rules, for every writer: a lower source does not
   * replace the favorite store, an explicit opt-out stays, a number's
   * consent recorded before any persona held it is taken over. */
  _pd_sqlite_store_apply_favorite_store_precedence (persona, before, source);
  _pd_sqlite_store_apply_overrides (persona);
  /* Enrolment in loyalty is undone only by the customer's own request
   * (the privacy issue's path), never by a save. */
  if (before != NULL && pd_persona_get_loyalty (before))
    pd_persona_set_loyalty (persona, TRUE);
  if (!_pd_sqlite_store_consent_before_write (self, persona, before, error) ||
      !_pd_sqlite_store_email_consent_before_write (self, persona, error))
    return FALSE;

  /* A field's source is the first one that set it. */
  if (source != PD_SOURCE_NONE)
    for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
      if (_pd_sqlite_column_for_field (f) != NULL &&
          pd_persona_get_value (persona, f) != NULL &&
          pd_persona_get_value_source (persona, f) == PD_SOURCE_NONE)
        pd_persona_set_value_source (persona, f, source);

  /* Within an import every check that can fail for a row has run by now,
   * so no savepoint is needed (each one costs copies of every page it
   * touches): a failure from here on is the database's and ends the whole
   * import, which its transaction rolls back. */
  atomic = !self->in_import;
  if (atomic && !_pd_sqlite_store_savepoint (self, error))
    return FALSE;
  if (!(is_new ? write_row (self, persona, import_id, error)
               : update_changed (self, persona, before, import_id, error)))
    goto fail;
  id = pd_persona_get_id (persona);
  /* a new persona or one an import found is not merged away */
  if (is_new || self->in_import)
    scope = live ? 0 : id;
  else
    scope = persona_state_scope (self, id);

  if (!update_lists (self, id, before, persona, scope, error))
    goto fail;
  if (!_pd_sqlite_store_consent_after_write (self, persona, before, error) ||
      !update_overrides (self, id, before, persona, error))
    goto fail;
  if (before == NULL ||
      !same_attributes (pd_persona_get_attributes (before), pd_persona_get_attributes (persona)))
    if (!write_attributes (self, id, pd_persona_get_attributes (persona), !is_new, error))
      goto fail;

  /* The balance always equals the sum of the ledger. */
  if (pd_persona_get_points (persona) != old_points &&
      !_pd_sqlite_store_add_ledger (self, id, pd_persona_get_points (persona) - old_points,
                                    pd_persona_get_points (persona), points_reason, actor,
                                    import_id, error))
    goto fail;

  return !atomic || _pd_sqlite_store_release (self, error);

fail:
  if (atomic)
    _pd_sqlite_store_rollback_to (self);
  if (is_new)
    pd_persona_set_id (persona, 0);
  return FALSE;
}

/* Puts back a persona exactly as an undo record kept it: no validation, no
 * ledger entry (the import's entries are deleted), the old change mark.
 * Only what differs from the persona as it is now is written (an import
 * mostly changed the points): each column or list written costs index
 * entries at random places.  No savepoint: it runs within an undo, which
 * a failure rolls back whole. */
gboolean
_pd_sqlite_store_restore_persona (PdSqliteStore  *self,
                                  PdPersona      *persona,
                                  gint64          changed_by_import,
                                  GError        **error)
{
  gint64 id = pd_persona_get_id (persona);
  g_autoptr(PdPersona) now = _pd_sqlite_store_load_persona (self, id, NULL, error);
  gint64 scope;

  if (now == NULL)
    return FALSE;
  if (!update_changed (self, persona, now, changed_by_import, error))
    return FALSE;
  scope = persona_state_scope (self, id);
  return update_lists (self, id, now, persona, scope, error) &&
         update_overrides (self, id, now, persona, error) &&
         (same_attributes (pd_persona_get_attributes (now), pd_persona_get_attributes (persona)) ||
          write_attributes (self, id, pd_persona_get_attributes (persona), TRUE, error));
}

gboolean
_pd_sqlite_store_write_persona (PdSqliteStore  *self,
                                PdPersona      *persona,
                                PdSource        source,
                                gint64          import_id,
                                GError        **error)
{
  PdActor actor = { source, NULL };

  return _pd_sqlite_store_write_persona_full (self, persona, NULL, &actor, import_id, NULL, error);
}

