/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdSqliteStore: reading one persona, finding one, and the actions on one
 * (save, archive, points); the write itself is in pd-sqlite-store-write.c. */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-permission.h"
#include "pd-sqlite-store-private.h"

/* Fixed leading columns of every persona SELECT, then one per text field
 * in PdFieldId order, then the trailing ones. */
enum {
  COL_ID,
  COL_ARCHIVED,
  COL_BLOCKLISTED,
  COL_MERGED_INTO,
  COL_FIRST_TEXT,
};

static const char *trailing_columns[] = {
  "points", "loyalty", "email_opt_in", "sms_consent", "sms_opt_out",
  "sources", "signup_source", "changed_by_import",
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

static guint n_text_columns;

/* "id, archived, ..., changed_by_import" for SELECTs. */
const char *
_pd_sqlite_store_persona_columns (void)
{
  static char *columns;

  if (g_once_init_enter (&columns))
    {
      GString *s = g_string_new ("id, archived, blocklisted, merged_into");
      guint n = 0;

      for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
        if (_pd_sqlite_column_for_field (f) != NULL)
          {
            g_string_append_printf (s, ", %s", _pd_sqlite_column_for_field (f));
            n++;
          }
      for (guint i = 0; i < G_N_ELEMENTS (trailing_columns); i++)
        g_string_append_printf (s, ", %s", trailing_columns[i]);
      n_text_columns = n;
      g_once_init_leave (&columns, g_string_free (s, FALSE));
    }
  return columns;
}

/* How many text-field columns a persona row has (the bind order of a
 * write starts with them). */
guint
_pd_sqlite_store_n_text_columns (void)
{
  (void) _pd_sqlite_store_persona_columns ();
  return n_text_columns;
}

static int
trailing (int which)
{
  return COL_FIRST_TEXT + n_text_columns + which;
}

/* The column just past a persona SELECT's: where a listing puts its sort key. */
int
_pd_sqlite_store_persona_n_columns (void)
{
  return trailing (G_N_ELEMENTS (trailing_columns));
}

/* The folded form used for name search and sort: compatibility-decomposed,
 * without accents, case-folded, so "jose" finds "José". */
char *
_pd_sqlite_search_key (const char *text)
{
  g_autofree char *decomposed = NULL;
  GString *out;
  const char *p;

  if (text == NULL)
    return NULL;
  /* ASCII is its own decomposition and has no marks, and its case folding
   * is ASCII lower case: the same key without Unicode tables (two keys per
   * persona an import writes). */
  for (p = text; *p != '\0' && (guchar) *p < 0x80; p++)
    ;
  if (*p == '\0')
    return g_ascii_strdown (text, p - text);
  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  if (decomposed == NULL)
    return g_utf8_casefold (text, -1);
  out = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_ismark (c))
        continue;
      g_string_append_unichar (out, c);
    }
  {
    g_autofree char *plain = g_string_free (out, FALSE);
    return g_utf8_casefold (plain, -1);
  }
}

/* ITU country calling codes are prefix-free: 1 and 7 have one digit, the
 * two-digit codes are listed, every other code has three. */
static guint
country_code_length (const char *digits)
{
  static const char two[] =
    "20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 "
    "60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98 ";
  char pair[4];

  if (digits[0] == '1' || digits[0] == '7')
    return 1;
  if (digits[0] == '\0' || digits[1] == '\0')
    return 1;
  pair[0] = digits[0];
  pair[1] = digits[1];
  pair[2] = ' ';
  pair[3] = '\0';
  return strstr (two, pair) != NULL ? 2 : 3;
}

/* "+12025550143" → "2025550143": what people type without the country code. */
char *
_pd_sqlite_national_digits (const char *e164)
{
  const char *digits = e164[0] == '+' ? e164 + 1 : e164;
  guint cc = country_code_length (digits);

  if (strlen (digits) <= cc)
    return g_strdup (digits);
  return g_strdup (digits + cc);
}

char *
_pd_sqlite_reverse_digits (const char *digits)
{
  /* ASCII digits only, so a byte reversal is a character reversal. */
  return digits != NULL ? g_strreverse (g_strdup (digits)) : g_strdup ("");
}

const char *
_pd_sqlite_store_column_text (sqlite3_stmt *stmt,
                              int           col)
{
  return (const char *) sqlite3_column_text (stmt, col);
}

/* Builds a persona from the current row of a persona SELECT and its
 * child tables. */
PdPersona *
_pd_sqlite_store_persona_from_row (PdSqliteStore  *self,
                                   sqlite3_stmt   *stmt,
                                   gint64         *changed_by_import,
                                   GError        **error)
{
  g_autoptr(PdPersona) persona = pd_persona_new ();
  const char *sources;
  gint64 id = sqlite3_column_int64 (stmt, COL_ID);
  guint col = COL_FIRST_TEXT;
  sqlite3_stmt *lists;
  int rc;

  pd_persona_set_id (persona, id);
  pd_persona_set_archived (persona, sqlite3_column_int (stmt, COL_ARCHIVED));
  pd_persona_set_blocklisted (persona, sqlite3_column_int (stmt, COL_BLOCKLISTED));
  for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
    if (_pd_sqlite_column_for_field (f) != NULL)
      pd_persona_set_value (persona, f, _pd_sqlite_store_column_text (stmt, col++));
  pd_persona_set_points (persona, sqlite3_column_int64 (stmt, trailing (TRAIL_POINTS)));
  pd_persona_set_loyalty (persona, sqlite3_column_int (stmt, trailing (TRAIL_LOYALTY)));
  pd_persona_set_email_opt_in (persona, sqlite3_column_int (stmt, trailing (TRAIL_EMAIL_OPT_IN)));
  pd_persona_set_sms_consent (persona, sqlite3_column_int (stmt, trailing (TRAIL_SMS_CONSENT)));
  pd_persona_set_sms_opt_out (persona, sqlite3_column_int (stmt, trailing (TRAIL_SMS_OPT_OUT)));
  sources = _pd_sqlite_store_column_text (stmt, trailing (TRAIL_SOURCES));
  for (int f = 0; sources != NULL && sources[f] != '\0' && f < PD_FIELD_N_BUILTIN; f++)
    pd_persona_set_value_source (persona, f, sources[f] - '0');
  pd_persona_set_signup_source (persona, _pd_sqlite_store_column_text (stmt, trailing (TRAIL_SIGNUP_SOURCE)));
  if (changed_by_import != NULL)
    *changed_by_import = sqlite3_column_int64 (stmt, trailing (TRAIL_CHANGED_BY_IMPORT));

  /* One statement for the four child tables: a persona read per matched
   * row of an import, and per listed row of the app, ran four before.  The
   * arms of a UNION ALL come one after the other, each in its own order
   * (a primary-key range: no sorting); an ORDER BY over the whole would
   * sort every arm in a temporary b-tree. */
  lists = _pd_sqlite_store_prepare (self,
    "SELECT * FROM (SELECT 0, email, NULL FROM emails WHERE persona_id = ?1 ORDER BY position) "
    "UNION ALL SELECT * FROM (SELECT 1, phone, NULL FROM phones WHERE persona_id = ?1 ORDER BY position) "
    "UNION ALL SELECT * FROM (SELECT 2, tag, NULL FROM tags WHERE persona_id = ?1 ORDER BY position) "
    "UNION ALL SELECT 3, name, value FROM attributes WHERE persona_id = ?1 "
    "UNION ALL SELECT 4, field, value FROM overrides WHERE persona_id = ?1", error);
  if (lists == NULL)
    return NULL;
  sqlite3_bind_int64 (lists, 1, id);
  while ((rc = sqlite3_step (lists)) == SQLITE_ROW)
    {
      const char *text = _pd_sqlite_store_column_text (lists, 1);

      switch (sqlite3_column_int (lists, 0))
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
          pd_persona_set_attribute (persona, text, _pd_sqlite_store_column_text (lists, 2));
          break;
        default:
          {
            const PdFieldInfo *info = pd_field_lookup (text);

            if (info != NULL && info->id < PD_FIELD_N_BUILTIN)
              pd_persona_set_override (persona, info->id, _pd_sqlite_store_column_text (lists, 2));
          }
          break;
        }
    }
  sqlite3_reset (lists);
  if (rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error), NULL;

  return g_steal_pointer (&persona);
}

PdPersona *
_pd_sqlite_store_load_persona (PdSqliteStore  *self,
                               gint64          id,
                               gint64         *changed_by_import,
                               GError        **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM personas WHERE id = ?", _pd_sqlite_store_persona_columns ());
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, sql, error);
  PdPersona *persona;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No persona with ID %" PRId64), id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _pd_sqlite_store_fail (self, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  persona = _pd_sqlite_store_persona_from_row (self, stmt, changed_by_import, error);
  sqlite3_reset (stmt);
  return persona;
}

/* The write, its role check and its audit entry (each changed field's
 * old and new value) in one transaction. */
static gboolean
sqlite_save_persona_as (PdStore        *store,
                        PdPersona      *persona,
                        const PdActor  *actor,
                        GError        **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  const PdActor owner = { PD_SOURCE_MANUAL, NULL, PD_ROLE_OWNER };
  g_autoptr(PdPersona) before = NULL;
  gint64 id = pd_persona_get_id (persona);

  g_return_val_if_fail (!self->in_import, FALSE);

  if (actor == NULL)
    actor = &owner;
  if (!pd_actor_check (actor, PD_PERMISSION_EDIT, error))
    return FALSE;
  if (id == 0 && pd_persona_get_signup_source (persona) == NULL)
    pd_persona_set_signup_source (persona, actor->source == PD_SOURCE_API ? "API" : "Manual");
  if (!_pd_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (id != 0)
    {
      before = _pd_sqlite_store_load_persona (self, id, NULL, error);
      if (before == NULL)
        goto fail;
    }
  if (!_pd_sqlite_store_write_persona_full (self, persona, before, actor, 0, NULL, error) ||
      !_pd_sqlite_store_audit_persona (self, actor, id == 0 ? "persona.create" : "persona.edit",
                                       before, persona, error) ||
      !_pd_sqlite_store_exec (self, "COMMIT", error))
    goto fail;
  return TRUE;

fail:
  _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
  if (id == 0)
    pd_persona_set_id (persona, 0);
  return FALSE;
}

static gboolean
sqlite_save_persona (PdStore    *store,
                     PdPersona  *persona,
                     PdSource    source,
                     GError    **error)
{
  return sqlite_save_persona_as (store, persona, &(PdActor) { source, NULL, PD_ROLE_OWNER }, error);
}

static PdPersona *
sqlite_get_persona (PdStore  *store,
                    gint64    id,
                    GError  **error)
{
  return _pd_sqlite_store_load_persona (PD_SQLITE_STORE (store), id, NULL, error);
}

static gint64
find_one (PdSqliteStore  *self,
          const char     *sql,
          const char     *value,
          GError        **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, sql, error);
  gint64 id = 0;
  int rc;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    _pd_sqlite_store_fail (self, error);
  sqlite3_reset (stmt);
  return id;
}

static gint64
find_active (PdSqliteStore  *self,
             PdFieldId       key,
             const char     *value,
             GError        **error)
{
  const char *column;
  g_autofree char *sql = NULL;

  if (key == PD_FIELD_EMAIL)
    return find_one (self, "SELECT persona_id FROM emails WHERE email = ? AND scope = 0", value, error);
  /* The number alone, with or without an extension (";ext=123" sorts
   * right after it: one range of the index); the number without one
   * first. */
  if (key == PD_FIELD_PHONE)
    return find_one (self, "SELECT persona_id FROM phones WHERE phone >= ?1 AND phone < ?1 || '<' "
                           "AND scope = 0 AND (phone = ?1 OR substr (phone, length (?1) + 1, 1) = ';') "
                           "ORDER BY phone LIMIT 1", value, error);
  column = _pd_sqlite_column_for_field (key);
  if (column == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("Personas cannot be looked up by field %d"), key);
      return 0;
    }
  sql = g_strdup_printf ("SELECT id FROM personas WHERE %s = ? AND state = 0 ORDER BY id LIMIT 1", column);
  return find_one (self, sql, value, error);
}

static gint64
sqlite_find_persona (PdStore     *store,
                     PdFieldId    key,
                     const char  *value,
                     GError     **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  GError *local = NULL;
  gint64 id = find_active (self, key, value, &local);

  if (local != NULL)
    {
      g_propagate_error (error, local);
      return 0;
    }
  /* a persona merged away leads to its survivor (an import of its old
   * email updates the survivor) */
  if (id == 0)
    id = _pd_sqlite_store_find_merged (self, key, value, error);
  return id;
}

/* Follows merged_into from the persona holding @value (active or not). */
gint64
_pd_sqlite_store_resolve_merge (PdSqliteStore *self,
                                const char    *value)
{
  g_autofree char *email = g_utf8_strdown (value, -1);
  GString *digits = g_string_new (NULL);
  g_autofree char *digit_str = NULL;
  g_autofree char *e164 = NULL;
  gint64 id = 0;

  while (g_ascii_isspace (*value))
    value++;
  for (const char *p = value; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  digit_str = g_string_free (digits, FALSE);
  g_strstrip (email);

  if (strchr (email, '@') != NULL)
    id = find_one (self, "SELECT persona_id FROM emails WHERE email = ? ORDER BY scope LIMIT 1", email, NULL);
  else if (*digit_str != '\0')
    {
      e164 = g_strconcat ("+", digit_str, NULL);
      id = find_one (self, "SELECT persona_id FROM phones WHERE phone = ? ORDER BY scope LIMIT 1", e164, NULL);
      if (id == 0)
        id = find_one (self, "SELECT persona_id FROM phones WHERE national = ? ORDER BY scope LIMIT 1",
                       digit_str, NULL);
    }

  /* A chain of merges ends at the survivor; the bound stops a cycle. */
  for (int hops = 0; id != 0 && hops < 64; hops++)
    {
      sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, "SELECT merged_into FROM personas WHERE id = ?", NULL);
      gint64 next = 0;

      if (stmt == NULL)
        break;
      sqlite3_bind_int64 (stmt, 1, id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        next = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (next == 0)
        break;
      id = next;
    }
  return id;
}

static gboolean
sqlite_set_archived_as (PdStore        *store,
                        gint64          id,
                        gboolean        archived,
                        const PdActor  *actor,
                        GError        **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  const PdActor owner = { PD_SOURCE_MANUAL, NULL, PD_ROLE_OWNER };
  g_autoptr(PdPersona) persona = NULL;
  g_autoptr(PdPersona) before = NULL;

  if (actor == NULL)
    actor = &owner;
  if (!pd_actor_check (actor, PD_PERMISSION_EDIT, error) ||
      !_pd_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  persona = _pd_sqlite_store_load_persona (self, id, NULL, error);
  if (persona == NULL)
    goto fail;
  if (pd_persona_get_archived (persona) == archived)
    return _pd_sqlite_store_exec (self, "COMMIT", error);
  before = pd_persona_copy (persona);
  pd_persona_set_archived (persona, archived);
  if (!_pd_sqlite_store_write_persona_full (self, persona, before, actor, 0, NULL, error) ||
      !_pd_sqlite_store_audit (self, actor, archived ? "persona.archive" : "persona.restore", id, NULL, error) ||
      !_pd_sqlite_store_exec (self, "COMMIT", error))
    goto fail;
  return TRUE;

fail:
  _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
  return FALSE;
}

static gboolean
sqlite_set_archived (PdStore   *store,
                     gint64     id,
                     gboolean   archived,
                     GError   **error)
{
  return sqlite_set_archived_as (store, id, archived, NULL, error);
}

void
_pd_sqlite_store_init_personas (PdStoreInterface *iface)
{
  iface->count_personas = _pd_sqlite_store_count_personas;
  iface->list_personas = _pd_sqlite_store_list_personas;
  iface->get_persona = sqlite_get_persona;
  iface->find_persona = sqlite_find_persona;
  iface->save_persona = sqlite_save_persona;
  iface->set_archived = sqlite_set_archived;
  iface->save_persona_as = sqlite_save_persona_as;
  iface->set_archived_as = sqlite_set_archived_as;
  iface->list_signup_sources = _pd_sqlite_store_list_signup_sources;
}
