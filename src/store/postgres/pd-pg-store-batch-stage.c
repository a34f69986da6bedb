/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPgStore: a batch's writes staged and applied (issue 19; the batch
 * itself is pd-pg-store-batch.c).  Each persona's row, the lists it
 * changed, its attributes and undo record become lines of COPY's text
 * format for temporary staging tables, sent with PQputCopyData, and one
 * round trip of set-based statements (INSERT … SELECT, UPDATE … FROM,
 * DELETE … USING) writes them where _pd_pg_write_persona() and
 * pg_import_write() would have, row by row. */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-pg-store-private.h"
/* the column list, the search keys and the undo snapshot, shared with the
 * SQLite store */
#include "pd-sqlite-store-private.h"

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

/* Starts a COPY … FROM STDIN (@sql); FALSE with @error if the server
 * does not take it. */
gboolean
_pd_pg_copy_begin (PdPgStore   *self,
                   const char  *sql,
                   GError     **error)
{
  g_autoptr(PGresult) started = NULL;

  self->round_trips++;
  started = PQexec (self->conn, sql);
  if (PQresultStatus (started) != PGRES_COPY_IN)
    {
      _pd_pg_fail (self, started, error);
      return FALSE;
    }
  return TRUE;
}

/* Ends a COPY: @sent, whether every PQputCopyData() took; @abort_message,
 * the caller's reason to make the server fail it (its own @error is set
 * already: FALSE, nothing more is said).  Every result is read and judged:
 * a server that ended the session (57P01) is seen as a lost connection
 * once libpq has read to its end. */
gboolean
_pd_pg_copy_end (PdPgStore   *self,
                 gboolean     sent,
                 const char  *abort_message,
                 GError     **error)
{
  g_autoptr(PGresult) failed = NULL;
  PGresult *result;

  if (PQputCopyEnd (self->conn, abort_message) != 1)
    sent = FALSE;
  while ((result = PQgetResult (self->conn)) != NULL)
    {
      if (failed == NULL && PQresultStatus (result) != PGRES_COMMAND_OK)
        failed = result;
      else
        PQclear (result);
    }
  _pd_pg_collect_notifications (self);
  if (abort_message != NULL)
    return FALSE;
  if (failed != NULL || !sent)
    {
      _pd_pg_fail (self, failed, error);
      return FALSE;
    }
  return TRUE;
}

/* COPY @table FROM STDIN with @data (text format), sent in pieces. */
static gboolean
copy_in (PdPgStore   *self,
         const char  *table,
         GString     *data,
         GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("COPY %s FROM STDIN", table);
  gboolean ok = TRUE;

  if (data->len == 0)
    return TRUE;
  if (!_pd_pg_copy_begin (self, sql, error))
    return FALSE;
  for (gsize done = 0; ok && done < data->len;)
    {
      int piece = (int) MIN (data->len - done, 1 << 20);

      ok = PQputCopyData (self->conn, data->str + done, piece) == 1;
      done += piece;
    }
  return _pd_pg_copy_end (self, ok, NULL, error);
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

/* Temporary tables (the session's own; created by the first import's
 * transaction), emptied for each batch by pg_import_write_batch(). */
const char *
_pd_pg_staging_sql (void)
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
        "CREATE TEMP TABLE IF NOT EXISTS pd_stage_undo (persona_id bigint, before bytea)");
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
gboolean
_pd_pg_stage_persona (PdPgStore        *self,
                      PdImportWrite    *write,
                      gboolean          is_new,
                      PdPgWriteLookup  *lookup,
                      gint64            import_id,
                      PdPgStaging      *staging)
{
  GString *rows = staging->rows, *emails = staging->emails, *phones = staging->phones;
  GString *tags = staging->tags, *attributes = staging->attributes, *undo = staging->undo;
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
  finish = lookup->contacts != NULL || lookup->orphan_texts != NULL || !same_overrides (before, persona);
  queue_text = !finish && pd_persona_get_sms_consent (persona) == PD_SMS_CONSENT_PENDING &&
               (before == NULL || pd_persona_get_sms_consent (before) != PD_SMS_CONSENT_PENDING) &&
               pd_persona_get_primary_phone (persona) != NULL;

  if (!is_new && self->batch_versions != NULL)
    version = g_hash_table_lookup (self->batch_versions, &id);
  if (!is_new)
    g_string_append_printf (staging->updates, "%s%" G_GINT64_FORMAT, staging->updates->len ? "," : "", id);
  copy_int (rows, id);
  copy_bool (rows, is_new);
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
  copy_bool (rows, put_attributes && !is_new);
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
           const char  *points_reason,
           const char  *updates)
{
  g_autofree char *columns = persona_columns ("", FALSE);
  g_autofree char *selected = persona_columns ("s.", FALSE);
  g_autofree char *assigned = persona_columns ("s.", TRUE);
  char *reason = points_reason != NULL ? PQescapeLiteral (self->conn, points_reason, strlen (points_reason)) : NULL;
  const char *user = self->import_user != NULL ? self->import_user : "";
  char *actor = PQescapeLiteral (self->conn, user, strlen (user));
  char *sql;

  sql = g_strdup_printf (
    /* The planner knows nothing of the staging tables (a temporary table
     * is never analyzed by autovacuum): it hashed all of personas for
     * each batch's joins.  The UPDATE and the DELETEs name the personas
     * they write (= ANY, an index range); the others read a persona's
     * state by its key (a subquery per row, never flattened into a join).
     * Analyzing the staging table instead cost 13 ms a batch. */
    /* the undo records first: changed_by_import as it was (a persona that
     * is gone fails the UPDATE's count below: a race) */
    "INSERT INTO import_changes (import_id, persona_id, before, before_change) "
    "  SELECT %" G_GINT64_FORMAT ", u.persona_id, u.before, "
    "  coalesce((SELECT p.changed_by_import FROM personas p WHERE p.id = u.persona_id), 0) "
    "  FROM pd_stage_undo u "
    /* and the new personas' (no snapshot: undo deletes them), in the
     * same statement: one a batch */
    "  UNION ALL SELECT %" G_GINT64_FORMAT ", s.id, NULL, 0 FROM pd_stage_personas s WHERE s.is_new "
    "  ON CONFLICT DO NOTHING;"
    /* UPDATE_STATEMENT: only over the version the caller read */
    "UPDATE personas p SET %s, state = CASE WHEN p.merged_into IS NOT NULL OR s.blocklisted <> 0 THEN 2 "
    "  WHEN s.archived <> 0 THEN 1 ELSE 0 END FROM pd_stage_personas s "
    "  WHERE p.id = ANY(%s::bigint[]) AND p.id = s.id AND NOT s.is_new "
    "  AND (s.version IS NULL OR p.xmin = s.version);"
    "INSERT INTO personas (id, %s, state) SELECT s.id, %s, CASE WHEN s.blocklisted <> 0 THEN 2 "
    "  WHEN s.archived <> 0 THEN 1 ELSE 0 END FROM pd_stage_personas s WHERE s.is_new;"
    "DELETE FROM emails e USING pd_stage_personas s WHERE e.persona_id = ANY(%s::bigint[]) "
    "  AND e.persona_id = s.id AND s.put_emails;"
    "DELETE FROM phones e USING pd_stage_personas s WHERE e.persona_id = ANY(%s::bigint[]) "
    "  AND e.persona_id = s.id AND s.put_phones;"
    "DELETE FROM tags e USING pd_stage_personas s WHERE e.persona_id = ANY(%s::bigint[]) "
    "  AND e.persona_id = s.id AND s.put_tags;"
    "DELETE FROM attributes e USING pd_stage_personas s WHERE e.persona_id = ANY(%s::bigint[]) "
    "  AND e.persona_id = s.id AND s.put_attributes;"
    /* live: the persona is active (state 0), as it is now written */
    "INSERT INTO emails (persona_id, position, email, live) "
    "  SELECT s.persona_id, s.position, s.email, (SELECT p.state FROM personas p WHERE p.id = s.persona_id) = 0 "
    "  FROM pd_stage_emails s ORDER BY s.email;"
    "INSERT INTO phones (persona_id, position, phone, national, national_rev, live) "
    "  SELECT s.persona_id, s.position, s.phone, s.national, s.national_rev, "
    "  (SELECT p.state FROM personas p WHERE p.id = s.persona_id) = 0 FROM pd_stage_phones s ORDER BY s.phone;"
    "INSERT INTO tags (persona_id, position, tag) SELECT persona_id, position, tag FROM pd_stage_tags;"
    "INSERT INTO attributes (persona_id, name, value) SELECT persona_id, name, value FROM pd_stage_attributes;"
    /* the balance always equals the sum of the ledger */
    "INSERT INTO ledger (persona_id, delta, balance, source, import_id, reason, time, actor) "
    "  SELECT id, delta, points, %d, %" G_GINT64_FORMAT ", %s, %" G_GINT64_FORMAT ", %s "
    "  FROM pd_stage_personas WHERE delta <> 0 ORDER BY id;"
    "INSERT INTO outbox (kind, phone, persona_id, created) "
    "  SELECT 'double-opt-in', primary_phone, id, %" G_GINT64_FORMAT " FROM pd_stage_personas "
    "  WHERE queue_text ORDER BY id",
    import_id, import_id, assigned, updates, columns, selected, updates, updates, updates, updates, PD_SOURCE_IMPORT,
    import_id, reason != NULL ? reason : "NULL", g_get_real_time (), actor, g_get_real_time ());
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
gboolean
_pd_pg_staging_apply (PdPgStore   *self,
                      PdPgStaging *staging,
                      gint64       import_id,
                      const char  *points_reason,
                      guint        n_updates,
                      GError     **error)
{
  g_autofree char *updates = g_strdup_printf ("'{%s}'", staging->updates->str);
  g_autofree char *sql = apply_sql (self, import_id, points_reason, updates);
  g_autoptr(PGresult) failed = NULL;
  PGresult *result;
  int statement = 0;
  gboolean changed = FALSE;

  self->round_trips++;
  if (!PQsendQuery (self->conn, sql))
    {
      _pd_pg_fail (self, NULL, error);
      return FALSE;
    }
  /* read to the end before judging: a server that ended the session is
   * a lost connection only once libpq has seen it close */
  while ((result = PQgetResult (self->conn)) != NULL)
    {
      ExecStatusType status = PQresultStatus (result);

      if (failed == NULL && status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        {
          failed = result;
          continue;
        }
      if (failed == NULL && statement == UPDATE_STATEMENT &&
          g_ascii_strtoull (PQcmdTuples (result), NULL, 10) != n_updates)
        changed = TRUE;
      statement++;
      PQclear (result);
    }
  _pd_pg_collect_notifications (self);
  if (PQstatus (self->conn) != CONNECTION_OK)
    _pd_pg_fail (self, failed, error);
  else if (failed != NULL && is_race (failed))
    {
      g_autofree char *message = g_strdup (PQresultErrorMessage (failed));

      set_race (self, error, g_strstrip (message));
    }
  else if (failed != NULL)
    _pd_pg_fail (self, failed, error);
  else if (changed)
    set_race (self, error, _("a persona was changed or merged since it was read"));
  else
    return TRUE;
  return FALSE;
}

void
_pd_pg_staging_init (PdPgStaging *staging)
{
  staging->rows = g_string_new (NULL);
  staging->emails = g_string_new (NULL);
  staging->phones = g_string_new (NULL);
  staging->tags = g_string_new (NULL);
  staging->attributes = g_string_new (NULL);
  staging->undo = g_string_new (NULL);
  staging->updates = g_string_new (NULL);
}

void
_pd_pg_staging_clear (PdPgStaging *staging)
{
  g_string_free (staging->rows, TRUE);
  g_string_free (staging->emails, TRUE);
  g_string_free (staging->phones, TRUE);
  g_string_free (staging->tags, TRUE);
  g_string_free (staging->attributes, TRUE);
  g_string_free (staging->undo, TRUE);
  g_string_free (staging->updates, TRUE);
}

gboolean
_pd_pg_staging_copy (PdPgStore    *self,
                     PdPgStaging  *staging,
                     GError      **error)
{
  return copy_in (self, persona_copy_target (), staging->rows, error) &&
         copy_in (self, "pd_stage_emails", staging->emails, error) &&
         copy_in (self, "pd_stage_phones", staging->phones, error) &&
         copy_in (self, "pd_stage_tags", staging->tags, error) &&
         copy_in (self, "pd_stage_attributes", staging->attributes, error) &&
         copy_in (self, "pd_stage_undo", staging->undo, error);
}
