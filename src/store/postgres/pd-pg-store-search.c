/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPgStore: listing, searching and counting personas.  A search means
 * what it means on SQLite (pd-sqlite-store-filter.c): an email prefix, a
 * phone in any format, a name or last-name prefix (accents folded), an
 * external ID prefix, "merge:EMAIL|PHONE". */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-pg-store-private.h"
#include "pd-sqlite-store-private.h"

typedef struct {
  GString   *where;
  GPtrArray *values;   /* $1, $2, …: owned text */
} Filter;

static guint
add_value (Filter *filter,
           char   *text)
{
  g_ptr_array_add (filter->values, text);
  return filter->values->len;
}

/* 'prefix%' with LIKE's own characters escaped: on a COLLATE "C" column
 * PostgreSQL turns it into an index range, as SQLite's >= / < pair. */
static guint
add_prefix (Filter     *filter,
            const char *prefix)
{
  GString *s = g_string_new (NULL);

  for (const char *p = prefix; *p; p++)
    {
      if (*p == '\\' || *p == '%' || *p == '_')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '%');
  return add_value (filter, g_string_free (s, FALSE));
}

static gboolean
looks_like_phone (const char *s)
{
  guint n = 0;

  for (const char *p = s; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        n++;
      else if (!strchr (" ()+-./", *p))
        return FALSE;
    }
  return n >= 3;
}

static void
filter_build (PdPgStore            *self,
              const PdPersonaQuery *query,
              Filter               *filter)
{
  g_autofree char *search = NULL;
  /* emails and phones of listed personas: live ones for the active view */
  const char *live = query->view == PD_PERSONA_VIEW_ARCHIVED ? "NOT live" : "live";

  filter->values = g_ptr_array_new_with_free_func (g_free);
  filter->where = g_string_new (NULL);
  g_string_append_printf (filter->where, "state = $%u",
                          add_value (filter, g_strdup (query->view == PD_PERSONA_VIEW_ARCHIVED ? "1" : "0")));
  if (query->import_id != 0)
    g_string_append_printf (filter->where,
                            " AND id IN (SELECT persona_id FROM import_changes WHERE import_id = $%u)",
                            add_value (filter, g_strdup_printf ("%" G_GINT64_FORMAT, query->import_id)));
  if (query->search == NULL)
    return;
  search = g_strstrip (g_strdup (query->search));
  if (*search == '\0')
    return;

  if (g_ascii_strncasecmp (search, "merge:", 6) == 0)
    g_string_append_printf (filter->where, " AND id = $%u",
                            add_value (filter, g_strdup_printf ("%" G_GINT64_FORMAT,
                                                                _pd_pg_resolve_merge (self, search + 6))));
  else if (strchr (search, '@') != NULL)
    {
      g_autofree char *email = g_utf8_strdown (search, -1);

      g_string_append_printf (filter->where,
                              " AND id IN (SELECT persona_id FROM emails WHERE %s AND email LIKE $%u)",
                              live, add_prefix (filter, email));
    }
  else if (looks_like_phone (search))
    {
      GString *digits = g_string_new (NULL);
      g_autofree char *d = NULL;
      g_autofree char *plus = NULL;

      for (const char *p = search; *p; p++)
        if (g_ascii_isdigit (*p))
          g_string_append_c (digits, *p);
      d = g_string_free (digits, FALSE);
      plus = g_strconcat ("+", d, NULL);
      g_string_append_printf (filter->where,
                              " AND (id IN (SELECT persona_id FROM phones WHERE %s AND phone LIKE $%u)"
                              " OR id IN (SELECT persona_id FROM phones WHERE national LIKE $%u)",
                              live, add_prefix (filter, plus), add_prefix (filter, d));
      /* "020 7183…" as written in the UK: the trunk 0 is not part of the number */
      if (d[0] == '0' && d[1] != '\0')
        g_string_append_printf (filter->where,
                                " OR id IN (SELECT persona_id FROM phones WHERE national LIKE $%u)",
                                add_prefix (filter, d + 1));
      g_string_append_printf (filter->where, " OR external_id LIKE $%u)", add_prefix (filter, search));
    }
  else
    {
      g_autofree char *key = _pd_sqlite_search_key (search);
      g_autofree char *email = g_utf8_strdown (search, -1);
      guint k = add_prefix (filter, key);

      g_string_append_printf (filter->where,
                              " AND (name_key LIKE $%u OR last_key LIKE $%u"
                              " OR id IN (SELECT persona_id FROM emails WHERE %s AND email LIKE $%u)"
                              " OR external_id LIKE $%u)",
                              k, k, live, add_prefix (filter, email), add_prefix (filter, search));
    }
}

static void
filter_clear (Filter *filter)
{
  g_string_free (filter->where, TRUE);
  g_ptr_array_unref (filter->values);
}

static guint
pg_count_personas (PdStore               *store,
                   const PdPersonaQuery  *query,
                   GError               **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  Filter filter;
  g_autofree char *sql = NULL;
  g_autoptr(PGresult) result = NULL;

  filter_build (self, query, &filter);
  sql = g_strdup_printf ("SELECT count(*) FROM personas WHERE %s", filter.where->str);
  result = _pd_pg_query (self, sql, filter.values->len, (const char * const *) filter.values->pdata, error);
  filter_clear (&filter);
  if (result == NULL)
    return 0;
  return (guint) _pd_pg_int64 (result, 0, 0);
}

static const char *
sort_column (PdPersonaSort sort)
{
  switch (sort)
    {
    case PD_PERSONA_SORT_NAME:
      return "name_key";
    case PD_PERSONA_SORT_EMAIL:
      return "primary_email";
    case PD_PERSONA_SORT_PHONE:
      return "primary_phone";
    case PD_PERSONA_SORT_POINTS:
      return "points";
    case PD_PERSONA_SORT_LOYALTY:
      return "loyalty";
    case PD_PERSONA_SORT_SOURCE:
      return "signup_source";
    case PD_PERSONA_SORT_ID:
    default:
      return NULL;
    }
}

/* NULLs first ascending and last descending, as SQLite sorts them; the
 * sort indexes say NULLS FIRST, so either direction is an index scan.
 * Pages by OFFSET for now (see HACKING.md, PostgreSQL store). */
static GPtrArray *
pg_list_personas (PdStore               *store,
                  const PdPersonaQuery  *query,
                  guint                  offset,
                  guint                  limit,
                  GError               **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  const char *column = sort_column (query->sort);
  const char *dir = query->descending ? "DESC" : "ASC";
  const char *nulls = query->descending ? "NULLS LAST" : "NULLS FIRST";
  Filter filter;
  g_autofree char *sql = NULL;
  g_autofree char *order = NULL;
  g_autoptr(PGresult) result = NULL;
  guint n_limit, n_offset;

  filter_build (self, query, &filter);
  if (column != NULL)
    order = g_strdup_printf ("%s %s %s, id %s", column, dir, nulls, dir);
  else
    order = g_strdup_printf ("id %s", dir);
  n_limit = add_value (&filter, g_strdup_printf ("%u", limit));
  n_offset = add_value (&filter, g_strdup_printf ("%u", offset));
  sql = g_strdup_printf ("SELECT %s FROM personas WHERE %s ORDER BY %s LIMIT $%u OFFSET $%u",
                         _pd_sqlite_store_persona_columns (), filter.where->str, order, n_limit, n_offset);
  result = _pd_pg_query (self, sql, filter.values->len, (const char * const *) filter.values->pdata, error);
  filter_clear (&filter);
  if (result == NULL)
    return NULL;
  return _pd_pg_personas_from_result (self, result, error);
}

static GPtrArray *
pg_list_signup_sources (PdStore  *store,
                        GError  **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_free);
  /* A loose index scan over personas_source: one seek per distinct source. */
  g_autoptr(PGresult) result = _pd_pg_query (self,
    "WITH RECURSIVE s(v) AS ("
    "  SELECT min(signup_source) FROM personas WHERE state = 0 AND signup_source IS NOT NULL"
    "  UNION ALL"
    "  SELECT (SELECT min(signup_source) FROM personas WHERE state = 0 AND signup_source > v)"
    "  FROM s WHERE v IS NOT NULL) "
    "SELECT v FROM s WHERE v IS NOT NULL", 0, NULL, error);

  if (result == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (result); r++)
    g_ptr_array_add (sources, g_strdup (_pd_pg_text (result, r, 0)));
  return g_steal_pointer (&sources);
}

void
_pd_pg_store_init_search (PdStoreInterface *iface)
{
  iface->count_personas = pg_count_personas;
  iface->list_personas = pg_list_personas;
  iface->list_signup_sources = pg_list_signup_sources;
}
