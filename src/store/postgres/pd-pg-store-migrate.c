/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPgStore: copying a desk's whole SQLite database into an empty
 * PostgreSQL one (persona-desk-cli migrate), table by table with COPY, in
 * one transaction, the row counts checked before the commit. */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-pg-store-private.h"
#include "pd-sqlite-store-private.h"

/* What each table is read as from SQLite (the PostgreSQL column order) and
 * written as.  Emails' and phones' scope becomes live; the rest is the same. */
typedef struct {
  const char *table;
  const char *select;   /* NULL: built from the persona columns */
  const char *columns;
} TableCopy;

static const TableCopy tables[] = {
  { "personas", NULL, NULL },
  { "emails", "SELECT persona_id, position, email, CASE WHEN scope = 0 THEN 't' ELSE 'f' END FROM emails",
    "persona_id, position, email, live" },
  { "phones", "SELECT persona_id, position, phone, national, national_rev, "
              "CASE WHEN scope = 0 THEN 't' ELSE 'f' END FROM phones",
    "persona_id, position, phone, national, national_rev, live" },
  { "tags", "SELECT persona_id, position, tag FROM tags", "persona_id, position, tag" },
  { "attributes", "SELECT persona_id, name, value FROM attributes", "persona_id, name, value" },
  { "ledger", "SELECT id, persona_id, delta, balance, source, import_id, reason, time, actor FROM ledger",
    "id, persona_id, delta, balance, source, import_id, reason, time, actor" },
  { "imports", "SELECT id, name, user, file_name, started, duration_ms, status, total, imported, updated, "
               "ignored, failed, mapping, options, error FROM imports",
    "id, name, user_name, file_name, started, duration_ms, status, total, imported, updated, ignored, "
    "failed, mapping, options, error" },
  { "import_files", "SELECT import_id, data FROM import_files", "import_id, data" },
  { "import_changes", "SELECT import_id, persona_id, before, before_change FROM import_changes",
    "import_id, persona_id, before, before_change" },
  { "mapping_presets", "SELECT signature, mapping, updated FROM mapping_presets", "signature, mapping, updated" },
  /* the loyalty program, email opt-outs and the audit log (PostgreSQL
   * schema 4, SQLite 8, 9 and 11) */
  { "settings", "SELECT key, value FROM settings", "key, value" },
  { "outbox", "SELECT id, kind, phone, persona_id, created, sent FROM outbox",
    "id, kind, phone, persona_id, created, sent" },
  { "consent_contacts", "SELECT phone, state, loyalty, since FROM consent_contacts", "phone, state, loyalty, since" },
  { "overrides", "SELECT persona_id, field, value FROM overrides", "persona_id, field, value" },
  { "email_opt_outs", "SELECT email, since, actor FROM email_opt_outs", "email, since, actor" },
  { "audit_log", "SELECT id, at, who, role, source, action, persona_id, detail FROM audit_log",
    "id, at, who, role, source, action, persona_id, detail" },
  /* the API's tokens, orders, the rows imports applied (PostgreSQL
   * schemas 9-11, SQLite 15-17); personas.updated is in persona_columns() */
  { "api_tokens", "SELECT name, hash, read_only, created FROM api_tokens", "name, hash, read_only, created" },
  { "orders", "SELECT id, persona_id, number, store, time, total, points, created FROM orders",
    "id, persona_id, number, store, time, total, points, created" },
  { "order_items", "SELECT order_id, line, product, quantity, price FROM order_items",
    "order_id, line, product, quantity, price" },
  { "import_rows", "SELECT hash, import_id FROM import_rows", "hash, import_id" },
};

/* The personas columns both stores have, in one order. */
static const char *
persona_columns (void)
{
  static char *columns;

  if (g_once_init_enter (&columns))
    /* updated: when each was last written, as the SQLite store knew it
     * (0: before it kept times), so the API's feeds answer the same */
    g_once_init_leave (&columns, g_strdup_printf ("%s, state, name_key, last_key, primary_email, primary_phone, updated",
                                                  _pd_sqlite_store_persona_columns ()));
  return columns;
}

/* COPY's text format: backslash escapes, \N for NULL. */
static void
append_text (GString    *line,
             const char *text)
{
  for (const char *p = text; *p; p++)
    switch (*p)
      {
      case '\\':
        g_string_append (line, "\\\\");
        break;
      case '\n':
        g_string_append (line, "\\n");
        break;
      case '\r':
        g_string_append (line, "\\r");
        break;
      case '\t':
        g_string_append (line, "\\t");
        break;
      default:
        g_string_append_c (line, *p);
      }
}

static void
append_bytes (GString      *line,
              const guint8 *data,
              int           size)
{
  /* bytea's hex form, its backslash escaped for COPY */
  g_string_append (line, "\\\\x");
  for (int i = 0; i < size; i++)
    g_string_append_printf (line, "%02x", data[i]);
}

static gboolean
put (PdPgStore  *self,
     GString    *buffer,
     gboolean    force,
     GError    **error)
{
  if (buffer->len == 0 || (!force && buffer->len < 256 * 1024))
    return TRUE;
  if (PQputCopyData (self->conn, buffer->str, (int) buffer->len) != 1)
    {
      _pd_pg_fail (self, NULL, error);
      return FALSE;
    }
  g_string_truncate (buffer, 0);
  return TRUE;
}

static gboolean
end_copy (PdPgStore   *self,
          const char  *error_message,
          GError     **error)
{
  PGresult *result;
  gboolean ok;

  if (PQputCopyEnd (self->conn, error_message) != 1)
    {
      _pd_pg_fail (self, NULL, error);
      return FALSE;
    }
  result = PQgetResult (self->conn);
  ok = PQresultStatus (result) == PGRES_COMMAND_OK;
  if (!ok && error_message == NULL)
    _pd_pg_fail (self, result, error);
  /* libpq hands out results until NULL */
  while (result != NULL)
    {
      PQclear (result);
      result = PQgetResult (self->conn);
    }
  return ok;
}

/* Copies one table; returns the rows copied, or -1 with @error. */
static gint64
copy_table (PdPgStore       *self,
            sqlite3         *db,
            const TableCopy *copy,
            GError         **error)
{
  g_autofree char *select = copy->select != NULL ? g_strdup (copy->select)
                                                 : g_strdup_printf ("SELECT %s FROM personas", persona_columns ());
  g_autofree char *sql = g_strdup_printf ("COPY %s (%s) FROM STDIN", copy->table,
                                          copy->columns != NULL ? copy->columns : persona_columns ());
  g_autoptr(GString) buffer = g_string_new (NULL);
  g_autoptr(PGresult) started = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 rows = 0;
  int rc;

  if (sqlite3_prepare_v2 (db, select, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_STORE, _("Cannot read table %s of the SQLite database: %s"),
                   copy->table, sqlite3_errmsg (db));
      return -1;
    }
  self->round_trips++;
  started = PQexec (self->conn, sql);
  if (PQresultStatus (started) != PGRES_COPY_IN)
    {
      _pd_pg_fail (self, started, error);
      sqlite3_finalize (stmt);
      return -1;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        {
          if (c > 0)
            g_string_append_c (buffer, '\t');
          switch (sqlite3_column_type (stmt, c))
            {
            case SQLITE_NULL:
              g_string_append (buffer, "\\N");
              break;
            case SQLITE_BLOB:
              append_bytes (buffer, sqlite3_column_blob (stmt, c), sqlite3_column_bytes (stmt, c));
              break;
            default:
              append_text (buffer, (const char *) sqlite3_column_text (stmt, c));
              break;
            }
        }
      g_string_append_c (buffer, '\n');
      rows++;
      if (!put (self, buffer, FALSE, error))
        {
          sqlite3_finalize (stmt);
          end_copy (self, "failed", NULL);
          return -1;
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_STORE, _("Cannot read table %s of the SQLite database: %s"),
                   copy->table, sqlite3_errmsg (db));
      end_copy (self, "failed", NULL);
      return -1;
    }
  if (!put (self, buffer, TRUE, error) || !end_copy (self, NULL, error))
    return -1;
  return rows;
}

typedef struct {
  PdPgStore *self;
  gint64     import_id;
  gint64     rows;
  GString   *buffer;
  GError    *error;
} ResultCopy;

/* One row of COPY import_results: the arrays as text[] literals. */
static gboolean
copy_result (const PdImportResultRecord *record,
             gpointer                    data)
{
  ResultCopy *copy = data;
  g_autofree char *reasons = record->reasons != NULL ? _pd_pg_array (record->reasons, -1) : g_strdup ("{}");
  g_autofree char *cells = _pd_pg_array (record->cells, record->n_cells);

  g_string_append_printf (copy->buffer, "%" G_GINT64_FORMAT "\t%u\t", copy->import_id, record->row);
  if (record->outcome != NULL)
    append_text (copy->buffer, record->outcome);
  else
    g_string_append (copy->buffer, "\\N");
  g_string_append_printf (copy->buffer, "\t%" G_GINT64_FORMAT "\t", record->persona_id);
  append_text (copy->buffer, reasons);
  g_string_append_c (copy->buffer, '\t');
  append_text (copy->buffer, cells);
  g_string_append_c (copy->buffer, '\n');
  copy->rows++;
  return put (copy->self, copy->buffer, FALSE, &copy->error);
}

static gint64
pg_count (PdPgStore   *self,
          const char  *table,
          GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  g_autoptr(PGresult) result = _pd_pg_query (self, sql, 0, NULL, error);

  return result != NULL ? _pd_pg_int64 (result, 0, 0) : -1;
}

static gint64
sqlite_count (sqlite3    *db,
              const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/**
 * pd_pg_store_copy_from_sqlite:
 * @source: the desk's database (brought up to the current SQLite schema)
 * @progress: (nullable): told the name of each table as it starts
 *
 * Copies every table of @source into this store, which must be empty: in
 * one transaction, the rows counted on both sides before it commits.
 */
gboolean
pd_pg_store_copy_from_sqlite (PdPgStore      *self,
                              PdSqliteStore  *source,
                              void          (*progress) (const char *table, gint64 rows, gpointer data),
                              gpointer        progress_data,
                              GError        **error)
{
  g_autoptr(GPtrArray) imports = NULL;
  gint64 n_results = 0;

  g_return_val_if_fail (PD_IS_PG_STORE (self), FALSE);
  g_return_val_if_fail (!self->in_import, FALSE);

  if (pg_count (self, "personas", error) != 0 || pg_count (self, "imports", error) != 0)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                     _("Database %s already holds personas or imports: migrate only into an empty database"),
                     self->name);
      return FALSE;
    }
  imports = pd_store_list_imports (PD_STORE (source), error);
  if (imports == NULL || !_pd_pg_exec (self, "BEGIN", error))
    return FALSE;
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      gint64 rows = copy_table (self, source->db, &tables[t], error);
      gint64 in_pg;

      if (rows < 0)
        goto fail;
      in_pg = pg_count (self, tables[t].table, error);
      if (in_pg < 0)
        goto fail;
      if (in_pg != rows || rows != sqlite_count (source->db, tables[t].table))
        {
          g_set_error (error, PD_ERROR, PD_ERROR_STORE,
                       _("Table %s: %" PRId64 " rows in the SQLite database, %" PRId64 " copied"),
                       tables[t].table, sqlite_count (source->db, tables[t].table), in_pg);
          goto fail;
        }
      if (progress != NULL)
        progress (tables[t].table, rows, progress_data);
    }
  /* results through the store: SQLite keeps them packed */
  {
    g_autoptr(GString) buffer = g_string_new (NULL);
    g_autoptr(PGresult) started = NULL;

    self->round_trips++;
    started = PQexec (self->conn, "COPY import_results (import_id, row, outcome, persona_id, reasons, cells) "
                                  "FROM STDIN");
    if (PQresultStatus (started) != PGRES_COPY_IN)
      {
        _pd_pg_fail (self, started, error);
        goto fail;
      }
    for (guint i = 0; i < imports->len; i++)
      {
        ResultCopy copy = { self, ((PdImportInfo *) imports->pdata[i])->id, 0, buffer, NULL };

        if (!pd_store_foreach_import_result (PD_STORE (source), copy.import_id, copy_result, &copy, error) ||
            copy.error != NULL)
          {
            if (copy.error != NULL)
              g_propagate_error (error, copy.error);
            end_copy (self, "failed", NULL);
            goto fail;
          }
        n_results += copy.rows;
      }
    if (!put (self, buffer, TRUE, error) || !end_copy (self, NULL, error))
      goto fail;
  }
  if (pg_count (self, "import_results", error) != n_results ||
      n_results != sqlite_count (source->db, "import_results"))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, PD_ERROR, PD_ERROR_STORE,
                     _("Table %s: %" PRId64 " rows in the SQLite database, %" PRId64 " copied"),
                     "import_results", sqlite_count (source->db, "import_results"), n_results);
      goto fail;
    }
  if (progress != NULL)
    progress ("import_results", n_results, progress_data);
  /* the next ids follow the copied ones */
  if (!_pd_pg_exec (self,
                    "SELECT setval(pg_get_serial_sequence('personas', 'id'), coalesce(max(id), 0) + 1, false) FROM personas;"
                    "SELECT setval(pg_get_serial_sequence('ledger', 'id'), coalesce(max(id), 0) + 1, false) FROM ledger;"
                    "SELECT setval(pg_get_serial_sequence('imports', 'id'), coalesce(max(id), 0) + 1, false) FROM imports;"
                    "SELECT setval(pg_get_serial_sequence('outbox', 'id'), coalesce(max(id), 0) + 1, false) FROM outbox;"
                    "SELECT setval(pg_get_serial_sequence('audit_log', 'id'), coalesce(max(id), 0) + 1, false) FROM audit_log;"
                    "SELECT setval(pg_get_serial_sequence('orders', 'id'), coalesce(max(id), 0) + 1, false) FROM orders;",
                    error) ||
      !_pd_pg_exec (self, "COMMIT", error))
    goto fail;
  /* Statistics now, not when autovacuum gets to it: until then the
   * planner guesses at the copied tables' sizes and the searches' probes.
   * The copy is committed; a failed ANALYZE only leaves that to
   * autovacuum. */
  {
    g_autoptr(GError) analyze_error = NULL;

    if (!_pd_pg_exec (self, "ANALYZE", &analyze_error))
      g_debug ("migrate: ANALYZE failed: %s", analyze_error->message);
  }
  return TRUE;

fail:
  _pd_pg_rollback (self);
  return FALSE;
}
