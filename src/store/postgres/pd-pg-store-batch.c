/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPgStore: the batched import engine (issue 19).  A row at a time an
 * import cost 5–8 round trips per row against the server; here a batch of
 * thousands costs about a dozen: one look-up per key (= ANY), the personas
 * in two statements, and the writes COPYed into temporary staging tables
 * and applied set-based (INSERT … SELECT, UPDATE … FROM, DELETE … USING),
 * the rules applied in C as pd_store_import_write() applies them.
 *
 * The race between desks: the batch runs under a savepoint.  A unique
 * violation on a live email or phone or on a source ID (another desk
 * committed it since the caller looked it up), a deadlock with another
 * desk's import, or a persona another desk changed since the caller read
 * it (its row version, xmin, is not the one read) rolls back to the
 * savepoint and answers PD_ERROR_RACE: nothing of the batch stays, and the
 * caller applies its rows again against the winner. */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-pg-store-private.h"
/* the column list, the search keys and the undo snapshot, shared with the
 * SQLite store */
#include "pd-sqlite-store-private.h"

/* ---- reading ---------------------------------------------------------- */

/* A text[] literal where a NULL value stays SQL NULL (it matches nothing,
 * as a NULL parameter of the one-at-a-time look-up does). */
static char *
text_array (const char * const *values,
            guint               n)
{
  GString *s = g_string_new ("{");

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      if (values[i] == NULL)
        {
          g_string_append (s, "NULL");
          continue;
        }
      g_string_append_c (s, '"');
      for (const char *p = values[i]; *p; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (s, '\\');
          g_string_append_c (s, *p);
        }
      g_string_append_c (s, '"');
    }
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

static char *
int_array (const gint64 *values,
           guint         n)
{
  GString *s = g_string_new ("{");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? "," : "", values[i]);
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

/* What pg_find_persona() answers for each value, in one statement: the
 * same comparisons, the same choice among several (the number without an
 * extension first; the lowest id). */
static gboolean
pg_find_personas (PdStore            *store,
                  PdFieldId           key,
                  const char *const  *values,
                  guint               n_values,
                  gint64             *ids,
                  GError            **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autofree char *array = text_array (values, n_values);
  g_autofree char *sql = NULL;
  const char *params[] = { array };
  g_autoptr(PGresult) result = NULL;

  memset (ids, 0, n_values * sizeof (gint64));
  if (key == PD_FIELD_EMAIL)
    sql = g_strdup ("SELECT u.i, e.persona_id FROM unnest($1::text[]) WITH ORDINALITY AS u(v, i) "
                    "JOIN emails e ON e.live AND e.email = u.v");
  else if (key == PD_FIELD_PHONE)
    sql = g_strdup ("SELECT DISTINCT ON (u.i) u.i, p.persona_id FROM unnest($1::text[]) WITH ORDINALITY AS u(v, i) "
                    "JOIN phones p ON p.live AND split_part(p.phone, ';', 1) = split_part(u.v, ';', 1) "
                    "ORDER BY u.i, p.phone");
  else
    {
      const char *column = _pd_sqlite_column_for_field (key);

      if (column == NULL)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("Personas cannot be looked up by field %d"), key);
          return FALSE;
        }
      sql = g_strdup_printf ("SELECT DISTINCT ON (u.i) u.i, p.id FROM unnest($1::text[]) WITH ORDINALITY AS u(v, i) "
                             "JOIN personas p ON p.%s = u.v AND p.state = 0 ORDER BY u.i, p.id", column);
    }
  result = _pd_pg_query (self, sql, 1, params, error);
  if (result == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (result); r++)
    {
      gint64 i = _pd_pg_int64 (result, r, 0);

      if (i >= 1 && i <= n_values)
        ids[i - 1] = _pd_pg_int64 (result, r, 1);
    }
  return TRUE;
}

/* A NULL (no such persona) is no object to unref. */
static void
unref_persona (gpointer persona)
{
  if (persona != NULL)
    g_object_unref (persona);
}

/* The personas (two statements: the rows, then every list).  During an
 * import each row's version (xmin) is kept until the next batch write, so
 * that it writes over the version the caller merged into and no other:
 * see pg_import_write_batch(). */
static GPtrArray *
pg_get_personas (PdStore       *store,
                 const gint64  *ids,
                 guint          n_ids,
                 GError       **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autofree char *array = int_array (ids, n_ids);
  g_autofree char *sql = g_strdup_printf ("SELECT %s, xmin FROM personas WHERE id = ANY($1::bigint[])",
                                          _pd_sqlite_store_persona_columns ());
  const char *params[] = { array };
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  GPtrArray *personas;

  if (n_ids == 0)
    return g_ptr_array_new_with_free_func (unref_persona);
  result = _pd_pg_query (self, sql, 1, params, error);
  if (result == NULL)
    return NULL;
  found = _pd_pg_personas_from_result (self, result, error);
  if (found == NULL)
    return NULL;
  for (guint r = 0; r < found->len; r++)
    {
      PdPersona *persona = g_ptr_array_index (found, r);
      gint64 id = pd_persona_get_id (persona);

      g_hash_table_insert (by_id, g_memdup2 (&id, sizeof id), persona);
      if (self->in_import)
        {
          if (self->batch_versions == NULL)
            self->batch_versions = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
          g_hash_table_insert (self->batch_versions, g_memdup2 (&id, sizeof id),
                               g_strdup (PQgetvalue (result, (int) r, PQnfields (result) - 1)));
        }
    }
  personas = g_ptr_array_new_full (n_ids, unref_persona);
  for (guint i = 0; i < n_ids; i++)
    {
      PdPersona *persona = g_hash_table_lookup (by_id, &ids[i]);

      /* an id asked for twice gets a persona of its own each time */
      if (persona != NULL && g_ptr_array_find (personas, persona, NULL))
        persona = pd_persona_copy (persona);
      else if (persona != NULL)
        g_object_ref (persona);
      g_ptr_array_add (personas, persona);
    }
  return personas;
}

/* ---- the batch's look-up ---------------------------------------------- */

/* What one write of the batch needs beyond its persona. */
typedef struct {
  PdPgWriteLookup lookup;
  gboolean        refused;      /* its error is set: nothing of it is written */
  gboolean        is_new;
  gboolean        check_emails; /* against email opt-outs */
  GPtrArray      *new_phones;   /* numbers whose consent or texts are looked up */
  int             conflict_rank;
  char           *conflict;     /* the message of the first conflict found */
} Plan;

static void
plan_clear (Plan *plan)
{
  _pd_pg_write_lookup_clear (&plan->lookup);
  g_clear_pointer (&plan->new_phones, g_ptr_array_unref);
  g_clear_pointer (&plan->conflict, g_free);
}

static gboolean
in_list (GPtrArray  *list,
         const char *value)
{
  return list != NULL && g_ptr_array_find_with_equal_func (list, value, g_str_equal, NULL);
}

/* One statement for the whole batch, as look_up() in pd-pg-store-rules.c
 * for one persona: the emails and phones other personas hold (unless the
 * job matched on both), source IDs, the consent and texts of numbers no
 * persona held, email opt-outs.  Each row names the write it is for. */
static const char batch_lookup_sql[] =
  "SELECT 0::int AS k, u.i::int AS i, e.email::text AS v, e.persona_id::bigint AS n, 0::bigint AS m "
  "  FROM unnest($1::int[], $2::text[], $3::bigint[]) AS u(i, v, own) "
  "  JOIN emails e ON e.live AND e.email = u.v AND e.persona_id <> u.own "
  "UNION ALL SELECT 1, u.i, p.phone, p.persona_id, 0 "
  "  FROM unnest($4::int[], $5::text[], $6::bigint[]) AS u(i, v, own) "
  "  JOIN phones p ON p.live AND split_part(p.phone, ';', 1) = split_part(u.v, ';', 1) AND p.persona_id <> u.own "
  "UNION ALL SELECT 2, u.i, substr(a.name, 8) || ':' || a.value, a.persona_id, 0 "
  "  FROM unnest($7::int[], $8::text[], $9::text[], $10::bigint[]) AS u(i, n, v, own) "
  "  JOIN attributes a ON a.name = u.n AND a.value = u.v AND a.name LIKE 'source:%' AND a.persona_id <> u.own "
  "UNION ALL SELECT 3, 0, phone, state, loyalty FROM consent_contacts WHERE phone = ANY($11::text[]) "
  "UNION ALL SELECT DISTINCT 4, 0, phone, 0::bigint, 0::bigint FROM outbox "
  "  WHERE persona_id IS NULL AND phone = ANY($11::text[]) "
  "UNION ALL SELECT DISTINCT 5, 0, email, 0::bigint, 0::bigint FROM email_opt_outs WHERE email = ANY($12::text[])";

typedef struct {
  GArray    *index;
  GPtrArray *values;
  GPtrArray *names;
  GArray    *own;
} KeyList;

static void
key_list_init (KeyList *l)
{
  l->index = g_array_new (FALSE, FALSE, sizeof (gint64));
  l->values = g_ptr_array_new ();
  l->names = g_ptr_array_new ();
  l->own = g_array_new (FALSE, FALSE, sizeof (gint64));
}

static void
key_list_clear (KeyList *l)
{
  g_array_unref (l->index);
  g_ptr_array_unref (l->values);
  g_ptr_array_unref (l->names);
  g_array_unref (l->own);
}

static void
key_list_add (KeyList    *l,
              guint       index,
              const char *name,
              const char *value,
              gint64      own)
{
  gint64 i = index;

  g_array_append_val (l->index, i);
  g_ptr_array_add (l->names, (gpointer) name);
  g_ptr_array_add (l->values, (gpointer) value);
  g_array_append_val (l->own, own);
}

static void
add_conflict (Plan       *plan,
              int         kind,
              const char *text,
              gint64      owner)
{
  /* one reported: a source ID before an email before a phone */
  int rank = kind == 2 ? 0 : kind == 0 ? 1 : 2;

  if (plan->conflict != NULL && plan->conflict_rank <= rank)
    return;
  g_free (plan->conflict);
  plan->conflict_rank = rank;
  if (kind == 2)
    plan->conflict = g_strdup_printf (_("%s already belongs to persona %" PRId64), text, owner);
  else if (kind == 0)
    plan->conflict = g_strdup_printf (_("The email %s is already used by persona %" PRId64), text, owner);
  else
    plan->conflict = g_strdup_printf (_("The phone %s is already used by persona %" PRId64), text, owner);
}

static gboolean
batch_look_up (PdPgStore      *self,
               PdImportWrite  *writes,
               Plan           *plans,
               guint           n,
               gboolean        contacts_checked,
               GError        **error)
{
  KeyList emails, phones, sources;
  g_autoptr(GPtrArray) contact_phones = g_ptr_array_new ();
  g_autoptr(GPtrArray) opt_out_emails = g_ptr_array_new ();
  g_autoptr(PGresult) result = NULL;
  gboolean ok = FALSE;

  key_list_init (&emails);
  key_list_init (&phones);
  key_list_init (&sources);
  for (guint i = 0; i < n; i++)
    {
      PdPersona *persona = writes[i].persona;
      PdPersona *before = writes[i].before;
      gint64 own = pd_persona_get_id (persona);
      GPtrArray *list;
      gboolean live = !pd_persona_get_archived (persona) && !pd_persona_get_blocklisted (persona);
      GHashTableIter iter;
      gpointer key, value;

      if (plans[i].refused)
        continue;
      if (!contacts_checked && live)
        {
          list = pd_persona_get_emails (persona);
          for (guint j = 0; j < list->len; j++)
            key_list_add (&emails, i, NULL, g_ptr_array_index (list, j), own);
          list = pd_persona_get_phones (persona);
          for (guint j = 0; j < list->len; j++)
            key_list_add (&phones, i, NULL, g_ptr_array_index (list, j), own);
        }
      g_hash_table_iter_init (&iter, pd_persona_get_attributes (persona));
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (g_str_has_prefix (key, PD_SOURCE_ID_PREFIX))
          key_list_add (&sources, i, key, value, own);
      list = pd_persona_get_phones (persona);
      for (guint j = 0; j < list->len && self->import_contact_phones != NULL; j++)
        {
          const char *phone = g_ptr_array_index (list, j);

          if ((before == NULL || !in_list (pd_persona_get_phones (before), phone)) &&
              g_hash_table_contains (self->import_contact_phones, phone))
            {
              if (plans[i].new_phones == NULL)
                plans[i].new_phones = g_ptr_array_new ();
              g_ptr_array_add (plans[i].new_phones, (gpointer) phone);
              g_ptr_array_add (contact_phones, (gpointer) phone);
            }
        }
      plans[i].check_emails = pd_persona_get_email_opt_in (persona) && pd_persona_get_emails (persona)->len > 0 &&
                              self->import_has_email_opt_outs;
      list = pd_persona_get_emails (persona);
      for (guint j = 0; plans[i].check_emails && j < list->len; j++)
        g_ptr_array_add (opt_out_emails, g_ptr_array_index (list, j));
    }
  if (emails.index->len == 0 && phones.index->len == 0 && sources.index->len == 0 &&
      contact_phones->len == 0 && opt_out_emails->len == 0)
    {
      ok = TRUE;
      goto out;
    }
  {
    g_autofree char *e_i = int_array ((gint64 *) emails.index->data, emails.index->len);
    g_autofree char *e_v = _pd_pg_ptr_array (emails.values);
    g_autofree char *e_o = int_array ((gint64 *) emails.own->data, emails.own->len);
    g_autofree char *p_i = int_array ((gint64 *) phones.index->data, phones.index->len);
    g_autofree char *p_v = _pd_pg_ptr_array (phones.values);
    g_autofree char *p_o = int_array ((gint64 *) phones.own->data, phones.own->len);
    g_autofree char *s_i = int_array ((gint64 *) sources.index->data, sources.index->len);
    g_autofree char *s_n = _pd_pg_ptr_array (sources.names);
    g_autofree char *s_v = _pd_pg_ptr_array (sources.values);
    g_autofree char *s_o = int_array ((gint64 *) sources.own->data, sources.own->len);
    g_autofree char *c = _pd_pg_ptr_array (contact_phones);
    g_autofree char *o = _pd_pg_ptr_array (opt_out_emails);
    const char *params[] = { e_i, e_v, e_o, p_i, p_v, p_o, s_i, s_n, s_v, s_o, c, o };

    result = _pd_pg_query (self, batch_lookup_sql, G_N_ELEMENTS (params), params, error);
    if (result == NULL)
      goto out;
  }
  {
    /* a persona of the batch that holds a value another write brings is
     * giving it up (the caller hands personas sharing none): no conflict */
    g_autoptr(GHashTable) batch_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
    g_autoptr(GHashTable) contacts = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(GHashTable) orphans = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(GHashTable) opted_out = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < n; i++)
      if (!plans[i].refused && pd_persona_get_id (writes[i].persona) != 0)
        g_hash_table_add (batch_ids, g_memdup2 (&(gint64) { pd_persona_get_id (writes[i].persona) }, sizeof (gint64)));
    for (int r = 0; r < PQntuples (result); r++)
      {
        int kind = (int) _pd_pg_int64 (result, r, 0);
        guint i = (guint) _pd_pg_int64 (result, r, 1);
        const char *text = _pd_pg_text (result, r, 2);
        gint64 owner = _pd_pg_int64 (result, r, 3);

        if (kind <= 2)
          {
            if (i < n && !g_hash_table_contains (batch_ids, &owner))
              add_conflict (&plans[i], kind, text, owner);
          }
        else if (kind == 3)
          g_hash_table_insert (contacts, (gpointer) text,
                               GINT_TO_POINTER ((int) owner + 1 + (_pd_pg_int64 (result, r, 4) != 0 ? 16 : 0)));
        else if (kind == 4)
          g_hash_table_add (orphans, (gpointer) text);
        else
          g_hash_table_add (opted_out, (gpointer) text);
      }
    for (guint i = 0; i < n; i++)
      {
        Plan *plan = &plans[i];
        GPtrArray *list = pd_persona_get_emails (writes[i].persona);

        for (guint j = 0; plan->new_phones != NULL && j < plan->new_phones->len; j++)
          {
            const char *phone = g_ptr_array_index (plan->new_phones, j);
            gpointer packed = g_hash_table_lookup (contacts, phone);

            if (packed != NULL)
              {
                if (plan->lookup.contacts == NULL)
                  plan->lookup.contacts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
                g_hash_table_insert (plan->lookup.contacts, g_strdup (phone), packed);
              }
            if (g_hash_table_contains (orphans, phone))
              {
                if (plan->lookup.orphan_texts == NULL)
                  plan->lookup.orphan_texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
                g_hash_table_add (plan->lookup.orphan_texts, g_strdup (phone));
              }
          }
        for (guint j = 0; plan->check_emails && j < list->len; j++)
          if (g_hash_table_contains (opted_out, g_ptr_array_index (list, j)))
            plan->lookup.email_opted_out = TRUE;
      }
  }
  ok = TRUE;

out:
  key_list_clear (&emails);
  key_list_clear (&phones);
  key_list_clear (&sources);
  return ok;
}

/* ---- COPY into the staging tables -------------------------------------- */

/* One field of a line of COPY's text format. */
static void
copy_text (GString    *s,
           const char *value)
{
  if (s->len > 0 && s->str[s->len - 1] != '\n')
    g_string_append_c (s, '\t');
  if (value == NULL)
    {
      g_string_append (s, "\\N");
      return;
    }
  for (const char *p = value; *p; p++)
    switch (*p)
      {
      case '\\': g_string_append (s, "\\\\"); break;
      case '\t': g_string_append (s, "\\t"); break;
      case '\n': g_string_append (s, "\\n"); break;
      case '\r': g_string_append (s, "\\r"); break;
      default: g_string_append_c (s, *p); break;
      }
}

static void
copy_int (GString *s,
          gint64   value)
{
  if (s->len > 0 && s->str[s->len - 1] != '\n')
    g_string_append_c (s, '\t');
  g_string_append_printf (s, "%" G_GINT64_FORMAT, value);
}

static void
copy_bool (GString  *s,
           gboolean  value)
{
  copy_text (s, value ? "t" : "f");
}

/* bytea in hex, its backslash escaped for COPY */
static void
copy_bytea (GString          *s,
            const GByteArray *data)
{
  static const char hex[] = "0123456789abcdef";

  if (s->len > 0 && s->str[s->len - 1] != '\n')
    g_string_append_c (s, '\t');
  g_string_append (s, "\\\\x");
  for (guint i = 0; i < data->len; i++)
    {
      g_string_append_c (s, hex[data->data[i] >> 4]);
      g_string_append_c (s, hex[data->data[i] & 15]);
    }
}

static void
copy_end_line (GString *s)
{
  g_string_append_c (s, '\n');
}

/* COPY @table FROM STDIN with @data (text format), sent in pieces. */
static gboolean
copy_in (PdPgStore   *self,
         const char  *table,
         GString     *data,
         GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("COPY %s FROM STDIN", table);
  g_autoptr(PGresult) started = NULL;
  PGresult *result;
  gboolean ok = TRUE;

  if (data->len == 0)
    return TRUE;
  self->round_trips++;
  started = PQexec (self->conn, sql);
  if (PQresultStatus (started) != PGRES_COPY_IN)
    {
      _pd_pg_fail (self, started, error);
      return FALSE;
    }
  for (gsize done = 0; done < data->len;)
    {
      int piece = (int) MIN (data->len - done, 1 << 20);

      if (PQputCopyData (self->conn, data->str + done, piece) != 1)
        {
          ok = FALSE;
          break;
        }
      done += piece;
    }
  if (PQputCopyEnd (self->conn, NULL) != 1)
    ok = FALSE;
  while ((result = PQgetResult (self->conn)) != NULL)
    {
      if (ok && PQresultStatus (result) != PGRES_COMMAND_OK)
        {
          _pd_pg_fail (self, result, error);
          ok = FALSE;
          PQclear (result);
          continue;
        }
      PQclear (result);
    }
  if (!ok && error != NULL && *error == NULL)
    _pd_pg_fail (self, NULL, error);
  _pd_pg_collect_notifications (self);
  return ok;
}

/* The personas row's columns after the text fields, as write_sql() in
 * pd-pg-store-write.c binds them. */
static const struct {
  const char *name;
  const char *type;
} row_columns[] = {
  { "points", "bigint" }, { "loyalty", "smallint" }, { "email_opt_in", "smallint" },
  { "sms_consent", "smallint" }, { "sms_opt_out", "smallint" }, { "sources", "text" },
  { "signup_source", "text" }, { "archived", "smallint" }, { "blocklisted", "smallint" },
  { "name_key", "text" }, { "last_key", "text" }, { "primary_email", "text" },
  { "primary_phone", "text" }, { "changed_by_import", "bigint" },
};

/* The persona columns written (text fields, then row_columns), comma
 * separated, each with @prefix; and "c = s.c" for an UPDATE. */
static char *
persona_columns (const char *prefix,
                 gboolean    assign)
{
  GString *s = g_string_new (NULL);

  for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
    if (_pd_sqlite_column_for_field (f) != NULL)
      {
        const char *c = _pd_sqlite_column_for_field (f);

        if (assign)
          g_string_append_printf (s, "%s%s = %s%s", s->len ? ", " : "", c, prefix, c);
        else
          g_string_append_printf (s, "%s%s%s", s->len ? ", " : "", prefix, c);
      }
  for (guint i = 0; i < G_N_ELEMENTS (row_columns); i++)
    if (assign)
      g_string_append_printf (s, ", %s = %s%s", row_columns[i].name, prefix, row_columns[i].name);
    else
      g_string_append_printf (s, ", %s%s", prefix, row_columns[i].name);
  return g_string_free (s, FALSE);
}

/* Temporary tables (the session's own; created once per import, as the
 * import's transaction created them) emptied for each batch. */
static const char *
staging_sql (void)
{
  static char *sql;

  if (g_once_init_enter (&sql))
    {
      GString *s = g_string_new ("CREATE TEMP TABLE IF NOT EXISTS pd_stage_personas (id bigint, is_new boolean, "
                                 "version xid");

      for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
        if (_pd_sqlite_column_for_field (f) != NULL)
          g_string_append_printf (s, ", %s text", _pd_sqlite_column_for_field (f));
      for (guint i = 0; i < G_N_ELEMENTS (row_columns); i++)
        g_string_append_printf (s, ", %s %s", row_columns[i].name, row_columns[i].type);
      g_string_append (s, ", put_emails boolean, put_phones boolean, put_tags boolean, put_attributes boolean, "
                          "delta bigint, queue_text boolean);"
        "CREATE TEMP TABLE IF NOT EXISTS pd_stage_emails (persona_id bigint, position integer, email text);"
        "CREATE TEMP TABLE IF NOT EXISTS pd_stage_phones (persona_id bigint, position integer, phone text, "
        "  national text, national_rev text);"
        "CREATE TEMP TABLE IF NOT EXISTS pd_stage_tags (persona_id bigint, position integer, tag text);"
        "CREATE TEMP TABLE IF NOT EXISTS pd_stage_attributes (persona_id bigint, name text, value text);"
        "CREATE TEMP TABLE IF NOT EXISTS pd_stage_undo (persona_id bigint, before bytea);"
        "TRUNCATE pd_stage_personas, pd_stage_emails, pd_stage_phones, pd_stage_tags, pd_stage_attributes, "
        "  pd_stage_undo");
      g_once_init_leave (&sql, g_string_free (s, FALSE));
    }
  return sql;
}

static const char *
persona_copy_target (void)
{
  static char *sql;

  if (g_once_init_enter (&sql))
    {
      g_autofree char *columns = persona_columns ("", FALSE);
      char *s = g_strdup_printf ("pd_stage_personas (id, is_new, version, %s, put_emails, put_phones, "
                                 "put_tags, put_attributes, delta, queue_text)", columns);

      g_once_init_leave (&sql, s);
    }
  return sql;
}

/* ---- the batch write --------------------------------------------------- */

/* Where @now's values to insert start: 0 with *@rewrite (the stored list
 * is deleted first) unless @old is a prefix of @now — an import mostly
 * appends a tag, an email or a phone — then only the new tail is written
 * (@now->len: nothing).  Either way the list ends as
 * _pd_pg_write_persona() leaves it. */
static guint
list_start (GPtrArray *old,
            GPtrArray *now,
            gboolean   relive,
            gboolean  *rewrite)
{
  *rewrite = FALSE;
  if (old == NULL)
    return 0;
  if (!relive && old->len <= now->len)
    {
      guint i = 0;

      while (i < old->len && g_str_equal (g_ptr_array_index (old, i), g_ptr_array_index (now, i)))
        i++;
      if (i == old->len)
        return i;
    }
  *rewrite = TRUE;
  return 0;
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
same_overrides (PdPersona *before,
                PdPersona *persona)
{
  for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
    if (g_strcmp0 (pd_persona_get_override (persona, f),
                   before != NULL ? pd_persona_get_override (before, f) : NULL) != 0)
      return FALSE;
  return TRUE;
}

/* The staging lines of one persona: its row, the lists and attributes
 * written again (as _pd_pg_write_persona() decides), its undo record.
 * Returns whether it needs _pd_pg_finish_write() of its own (numbers
 * taken over from the consent-only contacts, texts waiting for them,
 * pinned values changed: rare). */
static gboolean
stage_persona (PdPgStore      *self,
               PdImportWrite  *write,
               Plan           *plan,
               gint64          import_id,
               GString        *rows,
               GString        *emails,
               GString        *phones,
               GString        *tags,
               GString        *attributes,
               GString        *undo)
{
  PdPersona *persona = write->persona;
  PdPersona *before = write->before;
  gint64 id = pd_persona_get_id (persona);
  const char *version = NULL;
  char sources[PD_FIELD_N_BUILTIN + 1];
  g_autofree char *display = pd_persona_dup_display_name (persona);
  g_autofree char *name_key = _pd_sqlite_search_key (display);
  g_autofree char *last_key = _pd_sqlite_search_key (pd_persona_get_value (persona, PD_FIELD_LAST_NAME));
  gboolean relive = before != NULL &&
                    (pd_persona_get_archived (before) != pd_persona_get_archived (persona) ||
                     pd_persona_get_blocklisted (before) != pd_persona_get_blocklisted (persona));
  GPtrArray *list;
  gboolean put_emails, put_phones, put_tags, put_attributes, finish, queue_text;
  guint from_email, from_phone, from_tag;
  gint64 old_points = before != NULL ? pd_persona_get_points (before) : 0;

  /* A field's source is the first one that set it. */
  for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
    if (_pd_sqlite_column_for_field (f) != NULL && pd_persona_get_value (persona, f) != NULL &&
        pd_persona_get_value_source (persona, f) == PD_SOURCE_NONE)
      pd_persona_set_value_source (persona, f, PD_SOURCE_IMPORT);

  from_email = list_start (before != NULL ? pd_persona_get_emails (before) : NULL, pd_persona_get_emails (persona),
                           relive, &put_emails);
  from_phone = list_start (before != NULL ? pd_persona_get_phones (before) : NULL, pd_persona_get_phones (persona),
                           relive, &put_phones);
  from_tag = list_start (before != NULL ? pd_persona_get_tags (before) : NULL, pd_persona_get_tags (persona),
                         FALSE, &put_tags);
  put_attributes = before == NULL ? g_hash_table_size (pd_persona_get_attributes (persona)) > 0
                                  : !same_attributes (pd_persona_get_attributes (before),
                                                      pd_persona_get_attributes (persona));
  finish = plan->lookup.contacts != NULL || plan->lookup.orphan_texts != NULL || !same_overrides (before, persona);
  queue_text = !finish && pd_persona_get_sms_consent (persona) == PD_SMS_CONSENT_PENDING &&
               (before == NULL || pd_persona_get_sms_consent (before) != PD_SMS_CONSENT_PENDING) &&
               pd_persona_get_primary_phone (persona) != NULL;

  if (!plan->is_new && self->batch_versions != NULL)
    version = g_hash_table_lookup (self->batch_versions, &id);
  copy_int (rows, id);
  copy_bool (rows, plan->is_new);
  copy_text (rows, version);
  for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
    {
      sources[f] = '0' + pd_persona_get_value_source (persona, f);
      if (_pd_sqlite_column_for_field (f) != NULL)
        copy_text (rows, pd_persona_get_value (persona, f));
    }
  sources[PD_FIELD_N_BUILTIN] = '\0';
  copy_int (rows, pd_persona_get_points (persona));
  copy_int (rows, pd_persona_get_loyalty (persona));
  copy_int (rows, pd_persona_get_email_opt_in (persona));
  copy_int (rows, pd_persona_get_sms_consent (persona));
  copy_int (rows, pd_persona_get_sms_opt_out (persona));
  copy_text (rows, sources);
  copy_text (rows, pd_persona_get_signup_source (persona));
  copy_int (rows, pd_persona_get_archived (persona));
  copy_int (rows, pd_persona_get_blocklisted (persona));
  copy_text (rows, name_key != NULL ? name_key : "");
  copy_text (rows, last_key);
  copy_text (rows, pd_persona_get_primary_email (persona));
  copy_text (rows, pd_persona_get_primary_phone (persona));
  copy_int (rows, import_id);
  copy_bool (rows, put_emails);
  copy_bool (rows, put_phones);
  copy_bool (rows, put_tags);
  copy_bool (rows, put_attributes && !plan->is_new);
  copy_int (rows, pd_persona_get_points (persona) - old_points);
  copy_bool (rows, queue_text);
  copy_end_line (rows);

  list = pd_persona_get_emails (persona);
  for (guint i = from_email; i < list->len; i++)
    {
      copy_int (emails, id);
      copy_int (emails, i);
      copy_text (emails, g_ptr_array_index (list, i));
      copy_end_line (emails);
    }
  list = pd_persona_get_phones (persona);
  for (guint i = from_phone; i < list->len; i++)
    {
      g_autofree char *digits = _pd_sqlite_national_digits (g_ptr_array_index (list, i));
      g_autofree char *reversed = _pd_sqlite_reverse_digits (digits);

      copy_int (phones, id);
      copy_int (phones, i);
      copy_text (phones, g_ptr_array_index (list, i));
      copy_text (phones, digits);
      copy_text (phones, reversed);
      copy_end_line (phones);
    }
  list = pd_persona_get_tags (persona);
  for (guint i = from_tag; i < list->len; i++)
    {
      copy_int (tags, id);
      copy_int (tags, i);
      copy_text (tags, g_ptr_array_index (list, i));
      copy_end_line (tags);
    }
  if (put_attributes)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, pd_persona_get_attributes (persona));
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          copy_int (attributes, id);
          copy_text (attributes, key);
          copy_text (attributes, value);
          copy_end_line (attributes);
        }
    }
  if (before != NULL)
    {
      g_autoptr(GByteArray) snapshot = _pd_sqlite_snapshot_pack (before);

      copy_int (undo, pd_persona_get_id (before));
      copy_bytea (undo, snapshot);
      copy_end_line (undo);
    }
  return finish;
}

/* The set-based writes, in one round trip (the simple query protocol runs
 * them in order; the first that fails ends it).  Returns the SQL; the
 * UPDATE is statement UPDATE_STATEMENT, whose row count says whether every
 * persona was still the version the caller read. */
#define UPDATE_STATEMENT 1

static char *
apply_sql (PdPgStore   *self,
           gint64       import_id,
           const char  *points_reason)
{
  g_autofree char *columns = persona_columns ("", FALSE);
  g_autofree char *selected = persona_columns ("s.", FALSE);
  g_autofree char *assigned = persona_columns ("s.", TRUE);
  char *reason = points_reason != NULL ? PQescapeLiteral (self->conn, points_reason, strlen (points_reason)) : NULL;
  const char *user = self->import_user != NULL ? self->import_user : "";
  char *actor = PQescapeLiteral (self->conn, user, strlen (user));
  char *sql;

  sql = g_strdup_printf (
    /* the undo records first: changed_by_import as it was */
    "INSERT INTO import_changes (import_id, persona_id, before, before_change) "
    "  SELECT %" G_GINT64_FORMAT ", u.persona_id, u.before, p.changed_by_import FROM pd_stage_undo u "
    "  JOIN personas p ON p.id = u.persona_id ON CONFLICT DO NOTHING;"
    /* UPDATE_STATEMENT: only over the version the caller read */
    "UPDATE personas p SET %s, state = CASE WHEN p.merged_into IS NOT NULL OR s.blocklisted <> 0 THEN 2 "
    "  WHEN s.archived <> 0 THEN 1 ELSE 0 END FROM pd_stage_personas s "
    "  WHERE p.id = s.id AND NOT s.is_new AND (s.version IS NULL OR p.xmin = s.version);"
    "INSERT INTO personas (id, %s, state) SELECT s.id, %s, CASE WHEN s.blocklisted <> 0 THEN 2 "
    "  WHEN s.archived <> 0 THEN 1 ELSE 0 END FROM pd_stage_personas s WHERE s.is_new;"
    "DELETE FROM emails e USING pd_stage_personas s WHERE e.persona_id = s.id AND s.put_emails;"
    "DELETE FROM phones e USING pd_stage_personas s WHERE e.persona_id = s.id AND s.put_phones;"
    "DELETE FROM tags e USING pd_stage_personas s WHERE e.persona_id = s.id AND s.put_tags;"
    "DELETE FROM attributes e USING pd_stage_personas s WHERE e.persona_id = s.id AND s.put_attributes;"
    /* live: the persona is active (state 0), as it is now written */
    "INSERT INTO emails (persona_id, position, email, live) "
    "  SELECT s.persona_id, s.position, s.email, p.state = 0 FROM pd_stage_emails s "
    "  JOIN personas p ON p.id = s.persona_id ORDER BY s.email;"
    "INSERT INTO phones (persona_id, position, phone, national, national_rev, live) "
    "  SELECT s.persona_id, s.position, s.phone, s.national, s.national_rev, p.state = 0 FROM pd_stage_phones s "
    "  JOIN personas p ON p.id = s.persona_id ORDER BY s.phone;"
    "INSERT INTO tags (persona_id, position, tag) SELECT persona_id, position, tag FROM pd_stage_tags;"
    "INSERT INTO attributes (persona_id, name, value) SELECT persona_id, name, value FROM pd_stage_attributes;"
    /* the balance always equals the sum of the ledger */
    "INSERT INTO ledger (persona_id, delta, balance, source, import_id, reason, time, actor) "
    "  SELECT id, delta, points, %d, %" G_GINT64_FORMAT ", %s, %" G_GINT64_FORMAT ", %s "
    "  FROM pd_stage_personas WHERE delta <> 0 ORDER BY id;"
    "INSERT INTO import_changes (import_id, persona_id, before) "
    "  SELECT %" G_GINT64_FORMAT ", id, NULL FROM pd_stage_personas WHERE is_new ON CONFLICT DO NOTHING;"
    "INSERT INTO outbox (kind, phone, persona_id, created) "
    "  SELECT 'double-opt-in', primary_phone, id, %" G_GINT64_FORMAT " FROM pd_stage_personas "
    "  WHERE queue_text ORDER BY id",
    import_id, assigned, columns, selected, PD_SOURCE_IMPORT, import_id, reason != NULL ? reason : "NULL",
    g_get_real_time (), actor, import_id, g_get_real_time ());
  PQfreemem (reason);
  PQfreemem (actor);
  return sql;
}

/* What the apply statements' failure means for the batch: another desk's
 * email, phone or source ID (unique_violation on the indexes that decide
 * between desks) or a deadlock with another desk's import is a race the
 * batch lost. */
static gboolean
is_race (const PGresult *result)
{
  const char *state = PQresultErrorField (result, PG_DIAG_SQLSTATE);
  const char *constraint = PQresultErrorField (result, PG_DIAG_CONSTRAINT_NAME);

  if (g_strcmp0 (state, "40P01") == 0)
    return TRUE;
  return g_strcmp0 (state, "23505") == 0 &&
         (g_strcmp0 (constraint, "emails_live") == 0 || g_strcmp0 (constraint, "phones_live") == 0 ||
          g_strcmp0 (constraint, "attributes_source_id") == 0);
}

static void
set_race (PdPgStore  *self,
          GError    **error,
          const char *why)
{
  g_set_error (error, PD_ERROR, PD_ERROR_RACE,
               _("Database %s: another desk wrote some of these personas meanwhile (%s); "
                 "their rows are applied again"), self->name, why);
}

/* Runs apply_sql(); @n_updates personas must have been updated. */
static gboolean
apply (PdPgStore   *self,
       const char  *sql,
       guint        n_updates,
       GError     **error)
{
  PGresult *result;
  int statement = 0;
  gboolean ok = TRUE;

  self->round_trips++;
  if (!PQsendQuery (self->conn, sql))
    {
      _pd_pg_fail (self, NULL, error);
      return FALSE;
    }
  while ((result = PQgetResult (self->conn)) != NULL)
    {
      ExecStatusType status = PQresultStatus (result);

      if (ok && status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        {
          if (is_race (result))
            {
              g_autofree char *message = g_strdup (PQresultErrorMessage (result));

              set_race (self, error, g_strstrip (message));
            }
          else
            _pd_pg_fail (self, result, error);
          ok = FALSE;
        }
      else if (ok && statement == UPDATE_STATEMENT &&
               g_ascii_strtoull (PQcmdTuples (result), NULL, 10) != n_updates)
        {
          set_race (self, error, _("a persona was changed or merged since it was read"));
          ok = FALSE;
        }
      statement++;
      PQclear (result);
    }
  _pd_pg_collect_notifications (self);
  if (ok && PQstatus (self->conn) != CONNECTION_OK)
    {
      _pd_pg_fail (self, NULL, error);
      ok = FALSE;
    }
  return ok;
}

/* Ids for the batch's new personas, in one round trip. */
static gboolean
assign_ids (PdPgStore      *self,
            PdImportWrite  *writes,
            Plan           *plans,
            guint           n,
            guint           n_new,
            GError        **error)
{
  g_autofree char *count = g_strdup_printf ("%u", n_new);
  const char *params[] = { count };
  g_autoptr(PGresult) result = NULL;
  int r = 0;

  if (n_new == 0)
    return TRUE;
  result = _pd_pg_query (self, "SELECT nextval(pg_get_serial_sequence('personas', 'id')) "
                               "FROM generate_series(1, $1::int)", 1, params, error);
  if (result == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!plans[i].refused && plans[i].is_new)
      pd_persona_set_id (writes[i].persona, _pd_pg_int64 (result, r++, 0));
  return TRUE;
}

/* See pd_store_import_write_batch(): what pg_import_write() does for each
 * persona, in about a dozen round trips for the batch. */
static gboolean
pg_import_write_batch (PdStore        *store,
                       gint64          import_id,
                       PdImportWrite  *writes,
                       guint           n,
                       const char     *points_reason,
                       gboolean        contacts_checked,
                       GError        **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autofree Plan *plans = g_new0 (Plan, n);
  g_autoptr(GString) rows = g_string_new (NULL);
  g_autoptr(GString) emails = g_string_new (NULL);
  g_autoptr(GString) phones = g_string_new (NULL);
  g_autoptr(GString) tags = g_string_new (NULL);
  g_autoptr(GString) attributes = g_string_new (NULL);
  g_autoptr(GString) undo = g_string_new (NULL);
  g_autoptr(GArray) finish = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *sql = NULL;
  guint n_new = 0, n_updates = 0;
  gboolean in_savepoint = FALSE;
  gboolean ok = FALSE;

  g_return_val_if_fail (self->in_import, FALSE);

  /* The rules that need no database; a persona they refuse gets its
   * error and nothing of it is written. */
  for (guint i = 0; i < n; i++)
    {
      PdPersona *persona = writes[i].persona;

      g_clear_error (&writes[i].error);
      plans[i].is_new = pd_persona_get_id (persona) == 0;
      if (pd_persona_get_emails (persona)->len == 0 && pd_persona_get_phones (persona)->len == 0)
        {
          g_set_error_literal (&writes[i].error, PD_ERROR, PD_ERROR_INVALID,
                               _("A persona needs at least an email or a phone"));
          plans[i].refused = TRUE;
          continue;
        }
      _pd_pg_prepare_rules (persona, writes[i].before, PD_SOURCE_IMPORT);
    }
  if (!batch_look_up (self, writes, plans, n, contacts_checked, error))
    goto out;
  for (guint i = 0; i < n; i++)
    {
      if (plans[i].refused)
        continue;
      if (plans[i].conflict != NULL)
        {
          g_set_error_literal (&writes[i].error, PD_ERROR, PD_ERROR_CONFLICT, plans[i].conflict);
          plans[i].refused = TRUE;
          continue;
        }
      _pd_pg_apply_lookup (writes[i].persona, writes[i].before, &plans[i].lookup);
      if (plans[i].is_new)
        n_new++;
      else
        n_updates++;
    }
  if (n_new + n_updates == 0)
    {
      ok = TRUE;
      goto out;
    }

  if (!_pd_pg_exec (self, "SAVEPOINT pd_batch", error))
    goto out;
  in_savepoint = TRUE;
  if (!_pd_pg_exec (self, staging_sql (), error) ||
      !assign_ids (self, writes, plans, n, n_new, error))
    goto out;
  for (guint i = 0; i < n; i++)
    if (!plans[i].refused &&
        stage_persona (self, &writes[i], &plans[i], import_id, rows, emails, phones, tags, attributes, undo))
      g_array_append_val (finish, i);
  if (!copy_in (self, persona_copy_target (), rows, error) ||
      !copy_in (self, "pd_stage_emails", emails, error) ||
      !copy_in (self, "pd_stage_phones", phones, error) ||
      !copy_in (self, "pd_stage_tags", tags, error) ||
      !copy_in (self, "pd_stage_attributes", attributes, error) ||
      !copy_in (self, "pd_stage_undo", undo, error))
    goto out;
  sql = apply_sql (self, import_id, points_reason);
  if (!apply (self, sql, n_updates, error))
    goto out;
  /* the rare personas that take a number over from the consent-only
   * contacts, or whose pins changed: one at a time */
  for (guint k = 0; k < finish->len; k++)
    {
      guint i = g_array_index (finish, guint, k);

      if (!_pd_pg_finish_write (self, writes[i].persona, writes[i].before, &plans[i].lookup, error))
        goto out;
    }
  if (!_pd_pg_exec (self, "RELEASE SAVEPOINT pd_batch", error))
    goto out;
  in_savepoint = FALSE;
  ok = TRUE;

out:
  if (!ok && in_savepoint && PQstatus (self->conn) == CONNECTION_OK)
    _pd_pg_exec (self, "ROLLBACK TO SAVEPOINT pd_batch; RELEASE SAVEPOINT pd_batch", NULL);
  if (!ok)
    for (guint i = 0; i < n; i++)
      if (plans[i].is_new)
        pd_persona_set_id (writes[i].persona, 0);
  /* the versions read were for this batch */
  g_clear_pointer (&self->batch_versions, g_hash_table_unref);
  for (guint i = 0; i < n; i++)
    plan_clear (&plans[i]);
  return ok;
}

void
_pd_pg_store_init_batch (PdStoreInterface *iface)
{
  iface->find_personas = pg_find_personas;
  iface->get_personas = pg_get_personas;
  iface->import_write_batch = pg_import_write_batch;
}
