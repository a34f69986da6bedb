/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPgStore: writing one persona — the row (all of it), its lists,
 * attributes and ledger — inside the caller's transaction, for manual
 * saves and imports alike. */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-pg-store-private.h"
/* the column list and the search keys, shared with the SQLite store */
#include "pd-sqlite-store-private.h"

/* Text parameters of one statement; numbers are printed into @owned. */
typedef struct {
  const char *values[64];
  int         n;
  GPtrArray  *owned;
} Params;

static void
params_init (Params *p)
{
  p->n = 0;
  p->owned = g_ptr_array_new_with_free_func (g_free);
}

static void
params_clear (Params *p)
{
  g_ptr_array_unref (p->owned);
}

static int
param_text (Params     *p,
            const char *text)
{
  g_assert (p->n < (int) G_N_ELEMENTS (p->values));
  p->values[p->n++] = text;
  return p->n;
}

/* takes @text */
static int
param_take (Params *p,
            char   *text)
{
  g_ptr_array_add (p->owned, text);
  return param_text (p, text);
}

static int
param_int (Params *p,
           gint64  value)
{
  return param_take (p, g_strdup_printf ("%" G_GINT64_FORMAT, value));
}

static gboolean
same_list (GPtrArray *a,
           GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (!g_str_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
      return FALSE;
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
run_for_id (PdPgStore   *self,
            const char  *sql,
            const char  *id,
            GError     **error)
{
  const char *values[] = { id };
  g_autoptr(PGresult) result = _pd_pg_query (self, sql, 1, values, error);

  return result != NULL;
}

/* One list of a persona, written again whole when it changed (or its
 * persona became live or not): a DELETE and one INSERT of every value. */
static gboolean
write_list (PdPgStore   *self,
            const char  *table,
            const char  *id,
            GPtrArray   *old,
            GPtrArray   *now,
            gboolean     relive,
            gboolean     live,
            GError     **error)
{
  g_autofree char *delete_sql = NULL;
  g_autofree char *array = NULL;
  g_autofree char *nationals = NULL;
  const char *values[5];
  g_autoptr(PGresult) result = NULL;

  if (old != NULL && !relive && same_list (old, now))
    return TRUE;
  if (old != NULL)
    {
      delete_sql = g_strdup_printf ("DELETE FROM %s WHERE persona_id = $1", table);
      if (!run_for_id (self, delete_sql, id, error))
        return FALSE;
    }
  if (now->len == 0)
    return TRUE;
  array = _pd_pg_ptr_array (now);
  values[0] = id;
  values[1] = array;
  values[2] = live ? "t" : "f";
  if (g_str_equal (table, "emails"))
    result = _pd_pg_query (self,
      "INSERT INTO emails (persona_id, position, email, live) "
      "SELECT $1, n - 1, v, $3 FROM unnest($2::text[]) WITH ORDINALITY AS t(v, n)", 3, values, error);
  else if (g_str_equal (table, "phones"))
    {
      g_autoptr(GPtrArray) national = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) reversed = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *reversed_text = NULL;

      for (guint i = 0; i < now->len; i++)
        {
          char *digits = _pd_sqlite_national_digits (g_ptr_array_index (now, i));

          g_ptr_array_add (national, digits);
          g_ptr_array_add (reversed, _pd_sqlite_reverse_digits (digits));
        }
      nationals = _pd_pg_ptr_array (national);
      reversed_text = _pd_pg_ptr_array (reversed);
      values[3] = nationals;
      values[4] = reversed_text;
      result = _pd_pg_query (self,
        "INSERT INTO phones (persona_id, position, phone, national, national_rev, live) "
        "SELECT $1, n - 1, v, w, r, $3 FROM unnest($2::text[], $4::text[], $5::text[]) "
        "WITH ORDINALITY AS t(v, w, r, n)", 5, values, error);
    }
  else
    result = _pd_pg_query (self,
      "INSERT INTO tags (persona_id, position, tag) "
      "SELECT $1, n - 1, v FROM unnest($2::text[]) WITH ORDINALITY AS t(v, n)", 2, values, error);
  return result != NULL;
}

static gboolean
write_attributes (PdPgStore   *self,
                  const char  *id,
                  GHashTable  *attributes,
                  gboolean     clear,
                  GError     **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  g_autofree char *names_array = NULL;
  g_autofree char *texts_array = NULL;
  GHashTableIter iter;
  gpointer key, value;
  const char *values[3];
  g_autoptr(PGresult) result = NULL;

  if (clear && !run_for_id (self, "DELETE FROM attributes WHERE persona_id = $1", id, error))
    return FALSE;
  if (g_hash_table_size (attributes) == 0)
    return TRUE;
  g_hash_table_iter_init (&iter, attributes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_ptr_array_add (names, key);
      g_ptr_array_add (texts, value);
    }
  names_array = _pd_pg_ptr_array (names);
  texts_array = _pd_pg_ptr_array (texts);
  values[0] = id;
  values[1] = names_array;
  values[2] = texts_array;
  result = _pd_pg_query (self, "INSERT INTO attributes (persona_id, name, value) "
                               "SELECT $1, n, v FROM unnest($2::text[], $3::text[]) AS t(n, v)",
                         3, values, error);
  return result != NULL;
}

gboolean
_pd_pg_add_ledger (PdPgStore      *self,
                   gint64          persona_id,
                   gint64          delta,
                   gint64          balance,
                   const char     *reason,
                   const PdActor  *actor,
                   gint64          import_id,
                   GError        **error)
{
  Params p;
  g_autoptr(PGresult) result = NULL;

  params_init (&p);
  param_int (&p, persona_id);
  param_int (&p, delta);
  param_int (&p, balance);
  param_int (&p, actor->source);
  if (import_id != 0)
    param_int (&p, import_id);
  else
    param_text (&p, NULL);
  param_text (&p, reason);
  param_int (&p, g_get_real_time ());
  param_text (&p, actor->who);
  result = _pd_pg_query (self, "INSERT INTO ledger (persona_id, delta, balance, source, import_id, reason, time, actor) "
                               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", p.n, p.values, error);
  params_clear (&p);
  return result != NULL;
}

/* The personas row's columns after the text fields, in bind order. */
static const char * const row_columns[] = {
  "points", "loyalty", "email_opt_in", "sms_consent", "sms_opt_out", "sources",
  "signup_source", "archived", "blocklisted", "name_key", "last_key", "primary_email",
  "primary_phone", "changed_by_import",
};

static const char *
write_sql (gboolean insert)
{
  static char *sql[2];

  if (g_once_init_enter (&sql[insert]))
    {
      GString *s = g_string_new (insert ? "INSERT INTO personas (" : "UPDATE personas SET ");
      guint n = 0;
      guint archived, blocklisted;

      for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
        if (_pd_sqlite_column_for_field (f) != NULL)
          g_string_append_printf (s, insert ? "%s%s" : "%s%s = $%u", n ? ", " : "",
                                  _pd_sqlite_column_for_field (f), n + 1), n++;
      for (guint i = 0; i < G_N_ELEMENTS (row_columns); i++)
        g_string_append_printf (s, insert ? ", %s" : ", %s = $%u", row_columns[i], n + 1 + i);
      archived = n + 8;
      blocklisted = n + 9;
      if (insert)
        {
          g_string_append (s, ", state) VALUES (");
          for (guint i = 0; i < n + G_N_ELEMENTS (row_columns); i++)
            g_string_append_printf (s, i ? ", $%u" : "$%u", i + 1);
          g_string_append_printf (s, ", CASE WHEN $%u::smallint <> 0 THEN 2 WHEN $%u::smallint <> 0 THEN 1 ELSE 0 END) "
                                     "RETURNING id, state", blocklisted, archived);
        }
      else
        g_string_append_printf (s, ", state = CASE WHEN merged_into IS NOT NULL OR $%u::smallint <> 0 THEN 2 "
                                   "WHEN $%u::smallint <> 0 THEN 1 ELSE 0 END WHERE id = $%u RETURNING id, state",
                                blocklisted, archived, n + (guint) G_N_ELEMENTS (row_columns) + 1);
      g_once_init_leave (&sql[insert], g_string_free (s, FALSE));
    }
  return sql[insert];
}

/* The row: all of it (one statement either way; PostgreSQL writes a new
 * row version on any UPDATE, so naming only the changed columns would
 * save little).  Returns the state, or -1 with @error. */
static int
write_row (PdPgStore  *self,
           PdPersona  *persona,
           gint64      import_id,
           GError    **error)
{
  gboolean insert = pd_persona_get_id (persona) == 0;
  char sources[PD_FIELD_N_BUILTIN + 1];
  g_autofree char *display = pd_persona_dup_display_name (persona);
  g_autofree char *name_key = _pd_sqlite_search_key (display);
  g_autofree char *last_key = _pd_sqlite_search_key (pd_persona_get_value (persona, PD_FIELD_LAST_NAME));
  g_autoptr(PGresult) result = NULL;
  Params p;
  int state;

  params_init (&p);
  for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
    {
      sources[f] = '0' + pd_persona_get_value_source (persona, f);
      if (_pd_sqlite_column_for_field (f) != NULL)
        param_text (&p, pd_persona_get_value (persona, f));
    }
  sources[PD_FIELD_N_BUILTIN] = '\0';
  param_int (&p, pd_persona_get_points (persona));
  param_int (&p, pd_persona_get_loyalty (persona));
  param_int (&p, pd_persona_get_email_opt_in (persona));
  param_int (&p, pd_persona_get_sms_consent (persona));
  param_int (&p, pd_persona_get_sms_opt_out (persona));
  param_text (&p, sources);
  param_text (&p, pd_persona_get_signup_source (persona));
  param_int (&p, pd_persona_get_archived (persona));
  param_int (&p, pd_persona_get_blocklisted (persona));
  param_text (&p, name_key != NULL ? name_key : "");
  param_text (&p, last_key);
  param_text (&p, pd_persona_get_primary_email (persona));
  param_text (&p, pd_persona_get_primary_phone (persona));
  param_int (&p, import_id);
  if (!insert)
    param_int (&p, pd_persona_get_id (persona));
  result = _pd_pg_query (self, write_sql (insert), p.n, p.values, error);
  params_clear (&p);
  if (result == NULL)
    return -1;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No persona with ID %" PRId64),
                   pd_persona_get_id (persona));
      return -1;
    }
  if (insert)
    pd_persona_set_id (persona, _pd_pg_int64 (result, 0, 0));
  state = (int) _pd_pg_int64 (result, 0, 1);
  return state;
}

/**
 * _pd_pg_write_persona:
 * @before: (nullable): the persona as stored, NULL for a new one
 * @lookup: what _pd_pg_prepare_write() found for it
 *
 * Writes a validated, prepared persona, its lists, attributes, pinned
 * values and a ledger entry for any change of the points balance, inside
 * the caller's transaction.
 */
gboolean
_pd_pg_write_persona (PdPgStore        *self,
                      PdPersona        *persona,
                      PdPersona        *before,
                      const PdActor    *actor,
                      gint64            import_id,
                      const char       *points_reason,
                      PdPgWriteLookup  *lookup,
                      GError          **error)
{
  PdSource source = actor->source;
  gboolean is_new = pd_persona_get_id (persona) == 0;
  gint64 old_points = before != NULL ? pd_persona_get_points (before) : 0;
  g_autofree char *id = NULL;
  gboolean relive;
  int state;

  /* A field's source is the first one that set it. */
  if (source != PD_SOURCE_NONE)
    for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
      if (_pd_sqlite_column_for_field (f) != NULL &&
          pd_persona_get_value (persona, f) != NULL &&
          pd_persona_get_value_source (persona, f) == PD_SOURCE_NONE)
        pd_persona_set_value_source (persona, f, source);

  state = write_row (self, persona, import_id, error);
  if (state < 0)
    goto fail;
  id = g_strdup_printf ("%" G_GINT64_FORMAT, pd_persona_get_id (persona));
  relive = before != NULL &&
           (pd_persona_get_archived (before) != pd_persona_get_archived (persona) ||
            pd_persona_get_blocklisted (before) != pd_persona_get_blocklisted (persona));
  if (!write_list (self, "emails", id, before != NULL ? pd_persona_get_emails (before) : NULL,
                   pd_persona_get_emails (persona), relive, state == 0, error) ||
      !write_list (self, "phones", id, before != NULL ? pd_persona_get_phones (before) : NULL,
                   pd_persona_get_phones (persona), relive, state == 0, error) ||
      !write_list (self, "tags", id, before != NULL ? pd_persona_get_tags (before) : NULL,
                   pd_persona_get_tags (persona), FALSE, FALSE, error))
    goto fail;
  if (!_pd_pg_finish_write (self, persona, before, lookup, error))
    goto fail;
  if ((before == NULL && g_hash_table_size (pd_persona_get_attributes (persona)) > 0) ||
      (before != NULL && !same_attributes (pd_persona_get_attributes (before), pd_persona_get_attributes (persona))))
    if (!write_attributes (self, id, pd_persona_get_attributes (persona), !is_new, error))
      goto fail;
  /* The balance always equals the sum of the ledger. */
  if (pd_persona_get_points (persona) != old_points &&
      !_pd_pg_add_ledger (self, pd_persona_get_id (persona), pd_persona_get_points (persona) - old_points,
                          pd_persona_get_points (persona), points_reason, actor, import_id, error))
    goto fail;
  return TRUE;

fail:
  if (is_new)
    pd_persona_set_id (persona, 0);
  return FALSE;
}

/* One transaction: the stored persona locked (FOR UPDATE) so that two
 * desks saving it take turns (@before: the caller read it so, inside its
 * transaction), the rules' look-up, the write. */
gboolean
_pd_pg_save_persona (PdPgStore      *self,
                     PdPersona      *persona,
                     PdPersona      *before,
                     const PdActor  *actor,
                     const char     *points_reason,
                     GError        **error)
{
  g_autoptr(PdPersona) loaded = NULL;
  PdPgWriteLookup lookup = { 0 };
  gboolean is_new = pd_persona_get_id (persona) == 0;
  gboolean ok;

  if (pd_persona_get_emails (persona)->len == 0 && pd_persona_get_phones (persona)->len == 0)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID,
                           _("A persona needs at least an email or a phone"));
      return FALSE;
    }
  if (!is_new && before == NULL)
    {
      loaded = _pd_pg_load_persona (self, pd_persona_get_id (persona), TRUE, error);
      if (loaded == NULL)
        return FALSE;
      before = loaded;
    }
  /* the numbers and addresses it brings: see _pd_pg_contact_lock_key()
   * (a new persona's were locked with the BEGIN, save_in_transaction()) */
  if (before != NULL)
    {
      g_autoptr(GPtrArray) contacts = _pd_pg_new_contacts (persona, before);
      g_autofree char *locks = _pd_pg_contact_locks_sql ((const char * const *) contacts->pdata, contacts->len);

      if (locks != NULL && !_pd_pg_exec (self, locks, error))
        return FALSE;
    }
  ok = _pd_pg_prepare_write (self, persona, before, actor->source, TRUE, &lookup, error) &&
       _pd_pg_write_persona (self, persona, before, actor, 0, points_reason, &lookup, error);
  _pd_pg_write_lookup_clear (&lookup);
  if (!ok && is_new)
    pd_persona_set_id (persona, 0);
  return ok;
}

gboolean
_pd_pg_restore_persona (PdPgStore  *self,
                        PdPersona  *persona,
                        gint64      changed_by_import,
                        GError    **error)
{
  g_autoptr(PdPersona) now = _pd_pg_load_persona (self, pd_persona_get_id (persona), TRUE, error);
  g_autofree char *id = NULL;
  gboolean relive;
  int state;

  if (now == NULL)
    return FALSE;
  state = write_row (self, persona, changed_by_import, error);
  if (state < 0)
    return FALSE;
  id = g_strdup_printf ("%" G_GINT64_FORMAT, pd_persona_get_id (persona));
  relive = pd_persona_get_archived (now) != pd_persona_get_archived (persona) ||
           pd_persona_get_blocklisted (now) != pd_persona_get_blocklisted (persona);
  return write_list (self, "emails", id, pd_persona_get_emails (now), pd_persona_get_emails (persona),
                     relive, state == 0, error) &&
         write_list (self, "phones", id, pd_persona_get_phones (now), pd_persona_get_phones (persona),
                     relive, state == 0, error) &&
         write_list (self, "tags", id, pd_persona_get_tags (now), pd_persona_get_tags (persona),
                     FALSE, FALSE, error) &&
         _pd_pg_write_overrides (self, now, persona, error) &&
         (same_attributes (pd_persona_get_attributes (now), pd_persona_get_attributes (persona)) ||
          write_attributes (self, id, pd_persona_get_attributes (persona), TRUE, error));
}
