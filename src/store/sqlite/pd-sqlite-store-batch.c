/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdSqliteStore: the batched import engine's calls (issue 19).  An import
 * spends nearly all of its statements' time on B-tree pages at random
 * places of indexes of a million entries; a batch's keys, personas and
 * writes are taken in key order instead, so that neighbouring look-ups and
 * inserts share the pages they touch.  The rules stay those of the
 * one-at-a-time calls (sqlite_find_persona(), _pd_sqlite_store_import_write()). */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-sqlite-store-private.h"

/* Values handed to one statement as a JSON array: large enough that a
 * statement per batch is noise, small enough that the text stays small. */
#define MAX_VALUES_PER_STATEMENT 8192

typedef struct {
  const char *value;
  guint       index;
} Keyed;

static int
compare_keyed (gconstpointer a,
               gconstpointer b)
{
  return strcmp (((const Keyed *) a)->value, ((const Keyed *) b)->value);
}

/* A JSON array of strings. */
static void
append_json_string (GString    *json,
                    const char *value)
{
  g_string_append_c (json, '"');
  for (const unsigned char *p = (const unsigned char *) value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (json, '\\');
          g_string_append_c (json, *p);
        }
      else if (*p < 0x20)
        g_string_append_printf (json, "\\u%04x", *p);
      else
        g_string_append_c (json, *p);
    }
  g_string_append_c (json, '"');
}

/* The statement that answers, for each element of the JSON array ?1 (in
 * its order), what find_active() answers for it, or NULL. */
static const char *
find_sql (PdFieldId key)
{
  static char *other[PD_FIELD_N_BUILTIN];
  const char *column;

  if (key == PD_FIELD_EMAIL)
    return "SELECT j.key, (SELECT persona_id FROM emails WHERE email = j.value AND scope = 0) "
           "FROM json_each (?1) j";
  /* the number alone, with or without an extension: find_active()'s range */
  if (key == PD_FIELD_PHONE)
    return "SELECT j.key, (SELECT persona_id FROM phones WHERE phone >= j.value AND phone < j.value || '<' "
           "AND scope = 0 AND (phone = j.value OR substr (phone, length (j.value) + 1, 1) = ';') "
           "ORDER BY phone LIMIT 1) FROM json_each (?1) j";
  column = _pd_sqlite_column_for_field (key);
  if (column == NULL || key < 0 || key >= PD_FIELD_N_BUILTIN)
    return NULL;
  if (g_once_init_enter (&other[key]))
    g_once_init_leave (&other[key],
                       g_strdup_printf ("SELECT j.key, (SELECT id FROM personas WHERE %s = j.value AND state = 0 "
                                        "ORDER BY id LIMIT 1) FROM json_each (?1) j", column));
  return other[key];
}

/* 1: some persona was merged away, 0: none, -1: the store failed */
static int
anyone_merged (PdSqliteStore  *self,
               GError        **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "SELECT 1 FROM personas WHERE merged_into IS NOT NULL LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error), -1;
  return rc == SQLITE_ROW;
}

static gboolean
sqlite_find_personas (PdStore            *store,
                      PdFieldId           key,
                      const char *const  *values,
                      guint               n_values,
                      gint64             *ids,
                      GError            **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  const char *sql = find_sql (key);
  g_autofree Keyed *sorted = NULL;
  int merged;

  if (sql == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("Personas cannot be looked up by field %d"), key);
      return FALSE;
    }
  sorted = g_new (Keyed, n_values);
  for (guint i = 0; i < n_values; i++)
    sorted[i] = (Keyed) { values[i], i };
  qsort (sorted, n_values, sizeof (Keyed), compare_keyed);

  for (guint from = 0; from < n_values; from += MAX_VALUES_PER_STATEMENT)
    {
      guint n = MIN (n_values - from, MAX_VALUES_PER_STATEMENT);
      g_autoptr(GString) json = g_string_sized_new (n * 32);
      sqlite3_stmt *stmt;
      int rc;

      g_string_append_c (json, '[');
      for (guint i = 0; i < n; i++)
        {
          if (i > 0)
            g_string_append_c (json, ',');
          append_json_string (json, sorted[from + i].value);
        }
      g_string_append_c (json, ']');

      stmt = _pd_sqlite_store_prepare (self, sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, json->str, json->len, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 at = sqlite3_column_int64 (stmt, 0);

          if (at >= 0 && at < n)
            ids[sorted[from + at].index] = sqlite3_column_int64 (stmt, 1);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return _pd_sqlite_store_fail (self, error);
    }

  /* a persona merged away leads to its survivor, as in find_persona (one
   * probe of the small partial index for the batch while nobody was
   * merged: a probe per new customer cost a second of a million rows) */
  merged = anyone_merged (self, error);
  if (merged <= 0)
    return merged == 0;
  for (guint i = 0; i < n_values; i++)
    if (ids[sorted[i].index] == 0)
      {
        GError *local = NULL;

        ids[sorted[i].index] = _pd_sqlite_store_find_merged (self, key, sorted[i].value, &local);
        if (local != NULL)
          {
            g_propagate_error (error, local);
            return FALSE;
          }
      }
  return TRUE;
}

typedef struct {
  gint64 id;
  guint  index;
} KeyedId;

static int
compare_keyed_id (gconstpointer a,
                  gconstpointer b)
{
  gint64 x = ((const KeyedId *) a)->id, y = ((const KeyedId *) b)->id;

  return x < y ? -1 : x > y;
}

/* A NULL (no such persona) is no object to unref. */
static void
unref_persona (gpointer persona)
{
  if (persona != NULL)
    g_object_unref (persona);
}

/* In id order: neighbouring personas share the pages of the table and of
 * the child tables, whose primary keys start with the persona's id. */
static GPtrArray *
sqlite_get_personas (PdStore       *store,
                     const gint64  *ids,
                     guint          n_ids,
                     GError       **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autoptr(GPtrArray) personas = g_ptr_array_new_full (n_ids, unref_persona);
  g_autofree KeyedId *sorted = g_new (KeyedId, MAX (n_ids, 1));

  for (guint i = 0; i < n_ids; i++)
    sorted[i] = (KeyedId) { ids[i], i };
  qsort (sorted, n_ids, sizeof (KeyedId), compare_keyed_id);
  g_ptr_array_set_size (personas, n_ids);
  for (guint i = 0; i < n_ids; i++)
    {
      GError *local = NULL;
      PdPersona *persona;

      /* the same id twice: the one loaded */
      if (i > 0 && sorted[i].id == sorted[i - 1].id)
        {
          PdPersona *same = personas->pdata[sorted[i - 1].index];

          personas->pdata[sorted[i].index] = same != NULL ? g_object_ref (same) : NULL;
          continue;
        }
      persona = _pd_sqlite_store_load_persona (self, sorted[i].id, NULL, &local);
      if (local != NULL && !g_error_matches (local, PD_ERROR, PD_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, local);
          return NULL;
        }
      g_clear_error (&local);
      personas->pdata[sorted[i].index] = persona;
    }
  return g_steal_pointer (&personas);
}

static int
compare_writes (gconstpointer a,
                gconstpointer b)
{
  const PdImportWrite *x = *(PdImportWrite * const *) a, *y = *(PdImportWrite * const *) b;
  gint64 i = x->before != NULL ? pd_persona_get_id (x->before) : G_MAXINT64;
  gint64 j = y->before != NULL ? pd_persona_get_id (y->before) : G_MAXINT64;

  /* updates by id; new personas last, in the caller's order (their ids
   * are given in row order, as one at a time) */
  if (i != j)
    return i < j ? -1 : 1;
  return x < y ? -1 : x > y;
}

/* The writes share no contact or source ID (the caller's side of the
 * contract), so the order they go in changes nothing but the pages each
 * finds in the cache.  SQLite is never shared between desks at once (the
 * import holds the write lock from its start): it never answers
 * PD_ERROR_RACE. */
static gboolean
sqlite_import_write_batch (PdStore        *store,
                           gint64          import_id,
                           PdImportWrite  *writes,
                           guint           n_writes,
                           const char     *points_reason,
                           gboolean        contacts_checked,
                           GError        **error)
{
  g_autoptr(GPtrArray) order = g_ptr_array_sized_new (n_writes);

  for (guint i = 0; i < n_writes; i++)
    {
      g_clear_error (&writes[i].error);
      g_ptr_array_add (order, &writes[i]);
    }
  g_ptr_array_sort (order, compare_writes);
  for (guint i = 0; i < n_writes; i++)
    {
      PdImportWrite *write = g_ptr_array_index (order, i);
      GError *local = NULL;

      if (_pd_sqlite_store_import_write (PD_SQLITE_STORE (store), import_id, write->persona, write->before,
                                         points_reason, contacts_checked, &local))
        continue;
      /* the database's failure stops the import; the row's fails the row */
      if (g_error_matches (local, PD_ERROR, PD_ERROR_STORE) || g_error_matches (local, PD_ERROR, PD_ERROR_BUSY))
        {
          g_propagate_error (error, local);
          return FALSE;
        }
      write->error = local;
    }
  return TRUE;
}

void
_pd_sqlite_store_init_batch (PdStoreInterface *iface)
{
  iface->find_personas = sqlite_find_personas;
  iface->get_personas = sqlite_get_personas;
  iface->import_write_batch = sqlite_import_write_batch;
}
