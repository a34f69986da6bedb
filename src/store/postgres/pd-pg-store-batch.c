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
 * caller applies its rows again against the winner.  The staging and the
 * set-based statements are in pd-pg-store-batch-stage.c. */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-pg-store-private.h"
/* the column list, the search keys and the undo snapshot, shared with the
 * SQLite store */
#include "pd-sqlite-store-private.h"
#include "pd-store-batch.h"

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
  /* One probe of the live index per value (a LATERAL subquery with LIMIT
   * is never flattened into a join): with a join the planner hashed the
   * whole of emails or phones for each batch's 4,096 values, 33 ms a
   * batch at 100,000 personas and ten times that at a million.  The live
   * indexes are unique: LIMIT 1 drops nothing. */
  if (key == PD_FIELD_EMAIL)
    sql = g_strdup ("SELECT u.i, e.persona_id FROM unnest($1::text[]) WITH ORDINALITY AS u(v, i) "
                    "CROSS JOIN LATERAL (SELECT e.persona_id FROM emails e WHERE e.live AND e.email = u.v "
                    "LIMIT 1) e");
  else if (key == PD_FIELD_PHONE)
    sql = g_strdup ("SELECT u.i, p.persona_id FROM unnest($1::text[]) WITH ORDINALITY AS u(v, i) "
                    "CROSS JOIN LATERAL (SELECT p.persona_id FROM phones p WHERE p.live "
                    "AND split_part(p.phone, ';', 1) = split_part(u.v, ';', 1) ORDER BY p.phone LIMIT 1) p");
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
  /* a merged-away persona's contact or ID leads to its survivor, as in
   * find_persona (issue 16); an import asks only while someone was merged
   * when it began, and only for the values not found */
  if (!self->in_import || self->import_has_merges)
    for (guint i = 0; i < n_values; i++)
      if (ids[i] == 0)
        {
          GError *local = NULL;

          ids[i] = _pd_pg_find_merged (self, key, values[i], &local);
          if (local != NULL)
            {
              g_propagate_error (error, local);
              return FALSE;
            }
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
/* Each value is one probe of its unique index (LATERAL … LIMIT 1, as in
 * pg_find_personas(): a join let the planner hash a whole table). */
static const char batch_lookup_sql[] =
  "SELECT 0::int AS k, u.i::int AS i, e.email::text AS v, e.persona_id::bigint AS n, 0::bigint AS m "
  "  FROM unnest($1::int[], $2::text[], $3::bigint[]) AS u(i, v, own) "
  "  CROSS JOIN LATERAL (SELECT e.email, e.persona_id FROM emails e "
  "    WHERE e.live AND e.email = u.v AND e.persona_id <> u.own LIMIT 1) e "
  "UNION ALL SELECT 1, u.i, p.phone, p.persona_id, 0 "
  "  FROM unnest($4::int[], $5::text[], $6::bigint[]) AS u(i, v, own) "
  "  CROSS JOIN LATERAL (SELECT p.phone, p.persona_id FROM phones p WHERE p.live "
  "    AND split_part(p.phone, ';', 1) = split_part(u.v, ';', 1) AND p.persona_id <> u.own LIMIT 1) p "
  "UNION ALL SELECT 2, u.i, substr(a.name, 8) || ':' || a.value, a.persona_id, 0 "
  "  FROM unnest($7::int[], $8::text[], $9::text[], $10::bigint[]) AS u(i, n, v, own) "
  "  CROSS JOIN LATERAL (SELECT a.name, a.value, a.persona_id FROM attributes a "
  "    WHERE a.name = u.n AND a.value = u.v AND a.name LIKE 'source:%' AND a.persona_id <> u.own LIMIT 1) a "
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

/* Ids for the batch's new personas from @result (nextval over
 * generate_series, sent with the savepoint: see pg_import_write_batch()). */
static void
assign_ids (PdImportWrite  *writes,
            Plan           *plans,
            guint           n,
            PGresult       *result)
{
  int r = 0;

  for (guint i = 0; i < n; i++)
    if (!plans[i].refused && plans[i].is_new)
      pd_persona_set_id (writes[i].persona, _pd_pg_int64 (result, r++, 0));
}

/* Staged rows between two TRUNCATEs of the staging tables.  At 32,768
 * the tables outgrew the session's temp_buffers (8 MB, 1,024 pages; a
 * staged persona is about a kilobyte): every statement of a batch then
 * read and wrote the dead rows through the kernel ("local read=591
 * written=545" in its plan), and the staging COPY alone took 0.8-8 s of
 * a 100,000-row import.  At 4,096 they stay in memory, and a TRUNCATE
 * (15 ms) comes every dozen batches or so. */
#define STAGED_BEFORE_TRUNCATE 4096

/* The personas read and not written yet whose versions are kept (an
 * import that ignores most of its rows reads many). */
#define MAX_VERSIONS 65536

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
  g_autoptr(GArray) finish = g_array_new (FALSE, FALSE, sizeof (guint));
  PdPgStaging staging;
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

  /* One round trip: the savepoint, the staging tables emptied, and the
   * ids of the new personas (the last statement's rows).  TRUNCATE
   * cost 14-17 ms a batch here (a new file for each table), a DELETE of
   * a batch's rows well under one; but the rows a DELETE leaves behind
   * stay (deleted by this very transaction, nothing can prune them) and
   * every statement of a batch reads them again, so every
   * STAGED_BEFORE_TRUNCATE rows the tables are truncated. */
  in_savepoint = TRUE;
  {
    gboolean truncate = self->batch_staged >= STAGED_BEFORE_TRUNCATE;
    g_autofree char *ids = n_new > 0 ? g_strdup_printf (";SELECT nextval(pg_get_serial_sequence('personas', 'id')) "
                                                        "FROM generate_series(1, %u)", n_new)
                                     : g_strdup ("");
    g_autofree char *sql = g_strconcat ("SAVEPOINT pd_batch;", _pd_pg_staging_sql (), ";",
                                        truncate ? "TRUNCATE pd_stage_personas, pd_stage_emails, pd_stage_phones, "
                                                   "pd_stage_tags, pd_stage_attributes, pd_stage_undo"
                                                 : "DELETE FROM pd_stage_personas; DELETE FROM pd_stage_emails; "
                                                   "DELETE FROM pd_stage_phones; DELETE FROM pd_stage_tags; "
                                                   "DELETE FROM pd_stage_attributes; DELETE FROM pd_stage_undo",
                                        ids, NULL);
    g_autoptr(PGresult) result = _pd_pg_run (self, sql, 0, NULL, NULL, NULL, NULL, TRUE, error);

    if (result == NULL)
      goto out;
    if (n_new > 0 && PQntuples (result) != (int) n_new)
      {
        g_set_error (error, PD_ERROR, PD_ERROR_STORE, _("Database %s: no ids for the new personas"), self->name);
        goto out;
      }
    if (n_new > 0)
      assign_ids (writes, plans, n, result);
    self->batch_staged = truncate ? 0 : self->batch_staged;
    self->batch_staged += n_new + n_updates;
  }
  _pd_pg_staging_init (&staging);
  for (guint i = 0; i < n; i++)
    if (!plans[i].refused &&
        _pd_pg_stage_persona (self, &writes[i], plans[i].is_new, &plans[i].lookup, import_id, &staging))
      g_array_append_val (finish, i);
  ok = _pd_pg_staging_copy (self, &staging, error) &&
       _pd_pg_staging_apply (self, &staging, import_id, points_reason, n_updates, error);
  _pd_pg_staging_clear (&staging);
  if (!ok)
    goto out;
  ok = FALSE;
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
  /* A written persona's version is this import's now: the caller reads it
   * again before writing it once more.  The others' stay for a later
   * batch (the job flushes part of its rows when one meets a pending
   * write), up to a bound: one it no longer has is written unchecked. */
  if (self->batch_versions != NULL)
    {
      for (guint i = 0; i < n; i++)
        if (!plans[i].is_new)
          g_hash_table_remove (self->batch_versions, &(gint64) { pd_persona_get_id (writes[i].persona) });
      if (!ok || g_hash_table_size (self->batch_versions) > MAX_VERSIONS)
        g_clear_pointer (&self->batch_versions, g_hash_table_unref);
    }
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
