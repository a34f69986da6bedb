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
  GString   *base;     /* the view and the import */
  GString   *test;     /* nullable: the search as a test of one personas row */
  GString   *arms;     /* nullable: the search as a UNION ALL of index ranges of ids */
  GString   *far_arms; /* nullable: those but the national numbers' (pd-pg-store-search-walk.c) */
  GArray    *national; /* guint: the $ number of each national-number prefix */
  GPtrArray *values;   /* $1, $2, …: owned text, every one declared text */
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

/* One way a search matches: @arm selects the ids of an index range, @test
 * says the same of one personas row.  @national: the $ number of the
 * national-number prefix @arm reads, or 0. */
static void
add_arm_of (Filter     *filter,
            const char *arm,
            const char *test,
            guint       national)
{
  if (filter->test == NULL)
    {
      filter->test = g_string_new (NULL);
      filter->arms = g_string_new (NULL);
    }
  else
    {
      g_string_append (filter->test, " OR ");
      g_string_append (filter->arms, " UNION ALL ");
    }
  g_string_append (filter->test, test);
  g_string_append (filter->arms, arm);
  if (national != 0)
    g_array_append_val (filter->national, national);
  else if (filter->far_arms == NULL)
    filter->far_arms = g_string_new (arm);
  else
    g_string_append_printf (filter->far_arms, " UNION ALL %s", arm);
}

static void
add_arm (Filter     *filter,
         const char *arm,
         const char *test)
{
  add_arm_of (filter, arm, test, 0);
}

/* The phones whose national number starts with @digits. */
static void
add_national_arm (Filter     *filter,
                  const char *digits)
{
  guint n = add_prefix (filter, digits);
  g_autofree char *arm = g_strdup_printf ("SELECT persona_id FROM phones WHERE national LIKE $%u", n);
  g_autofree char *test = g_strdup_printf ("id IN (%s)", arm);

  add_arm_of (filter, arm, test, n);
}

/* An arm on a child table: its test is "id IN (arm)". */
static void
add_child_arm (Filter     *filter,
               const char *arm)
{
  g_autofree char *test = g_strdup_printf ("id IN (%s)", arm);

  add_arm (filter, arm, test);
}

/* An order or receipt number (schema 10), as printed on the receipt:
 * orders_number (number, store) serves the prefix ("C" collation). */
static void
add_order_arm (Filter     *filter,
               const char *search)
{
  g_autofree char *arm = g_strdup_printf ("SELECT persona_id FROM orders WHERE number LIKE $%u",
                                          add_prefix (filter, search));

  add_child_arm (filter, arm);
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
  filter->base = g_string_new (NULL);
  filter->test = NULL;
  filter->arms = NULL;
  filter->far_arms = NULL;
  filter->national = g_array_new (FALSE, FALSE, sizeof (guint));
  /* $1: the state */
  add_value (filter, g_strdup (query->view == PD_PERSONA_VIEW_ARCHIVED ? "1" : "0"));
  g_string_append (filter->base, "state = $1::smallint");
  if (query->import_id != 0)
    g_string_append_printf (filter->base,
                            " AND id IN (SELECT persona_id FROM import_changes WHERE import_id = $%u::bigint)",
                            add_value (filter, g_strdup_printf ("%" G_GINT64_FORMAT, query->import_id)));
  if (query->search == NULL)
    return;
  search = g_strstrip (g_strdup (query->search));
  if (*search == '\0')
    return;

  if (g_ascii_strncasecmp (search, "merge:", 6) == 0)
    g_string_append_printf (filter->base, " AND id = $%u::bigint",
                            add_value (filter, g_strdup_printf ("%" G_GINT64_FORMAT,
                                                                _pd_pg_resolve_merge (self, search + 6))));
  else if (strchr (search, '@') != NULL)
    {
      g_autofree char *email = g_utf8_strdown (search, -1);
      g_autofree char *arm = g_strdup_printf ("SELECT persona_id FROM emails WHERE %s AND email LIKE $%u",
                                              live, add_prefix (filter, email));

      add_child_arm (filter, arm);
    }
  else if (looks_like_phone (search))
    {
      GString *digits = g_string_new (NULL);
      g_autofree char *d = NULL;
      g_autofree char *plus = NULL;
      g_autofree char *e164 = NULL;
      g_autofree char *ext = NULL;
      g_autofree char *ext_test = NULL;

      for (const char *p = search; *p; p++)
        if (g_ascii_isdigit (*p))
          g_string_append_c (digits, *p);
      d = g_string_free (digits, FALSE);
      plus = g_strconcat ("+", d, NULL);
      /* The live phones' index is on the number without its extension
       * (schema 3's phones_live): "phone LIKE" read every phone (a
       * million: 180-300 ms).  The prefix holds no ';', so it matches
       * the number before one as it matches the whole. */
      e164 = g_strdup_printf ("SELECT persona_id FROM phones WHERE %s AND %s LIKE $%u", live,
                              query->view == PD_PERSONA_VIEW_ARCHIVED ? "phone" : "split_part(phone, ';', 1)",
                              add_prefix (filter, plus));
      add_child_arm (filter, e164);
      add_national_arm (filter, d);
      /* "020 7183…" as written in the UK: the trunk 0 is not part of the number */
      if (d[0] == '0' && d[1] != '\0')
        add_national_arm (filter, d + 1);
      /* "1015": the last digits of a phone, as a receipt or a caller ID
       * shows them (SQLite's schema 7); up to 7 digits */
      if (strlen (d) <= 7)
        {
          g_autofree char *rev = _pd_sqlite_reverse_digits (d);
          g_autofree char *last = g_strdup_printf ("SELECT persona_id FROM phones WHERE national_rev LIKE $%u",
                                                   add_prefix (filter, rev));
          add_child_arm (filter, last);
        }
      ext_test = g_strdup_printf ("external_id LIKE $%u", add_prefix (filter, search));
      ext = g_strdup_printf ("SELECT id FROM personas WHERE %s", ext_test);
      add_arm (filter, ext, ext_test);
      add_order_arm (filter, search);
    }
  else
    {
      g_autofree char *key = _pd_sqlite_search_key (search);
      g_autofree char *email = g_utf8_strdown (search, -1);
      guint k = add_prefix (filter, key);
      g_autofree char *name_test = g_strdup_printf ("name_key LIKE $%u", k);
      g_autofree char *last_test = g_strdup_printf ("last_key LIKE $%u", k);
      g_autofree char *name_arm = g_strdup_printf ("SELECT id FROM personas WHERE state = $1::smallint AND %s",
                                                   name_test);
      g_autofree char *last_arm = g_strdup_printf ("SELECT id FROM personas WHERE state = $1::smallint AND %s",
                                                   last_test);
      g_autofree char *email_arm = g_strdup_printf ("SELECT persona_id FROM emails WHERE %s AND email LIKE $%u",
                                                    live, add_prefix (filter, email));
      g_autofree char *ext_test = g_strdup_printf ("external_id LIKE $%u", add_prefix (filter, search));
      g_autofree char *ext_arm = g_strdup_printf ("SELECT id FROM personas WHERE %s", ext_test);

      add_arm (filter, name_arm, name_test);
      add_arm (filter, last_arm, last_test);
      add_child_arm (filter, email_arm);
      add_arm (filter, ext_arm, ext_test);
      add_order_arm (filter, search);
    }
}

/* From this many matches on, a search reads the listing's index in order
 * and tests each row (the first page of "jo" among 100,000 personas: 25 ms;
 * collecting the 36,000 matches and sorting them: 850 ms).  Below, it
 * collects the matches (a search matching nothing: 12 ms; walking the
 * whole index to find that out: 370 ms). */
#define DENSE_MATCHES 1000
/* ids between the walk's start and the first match the probe met, from
 * which the walk costs more than collecting every match (tens of ms) */
#define FAR_WALK 50000

static gint64 far_walk = FAR_WALK;

/* Tests: the collected form on a few thousand personas. */
void
_pd_pg_store_set_far_walk (guint ids)
{
  far_walk = ids > 0 ? ids : FAR_WALK;
}

static PGresult *
query_text (PdPgStore  *self,
            const char *sql,
            Filter     *filter,
            GError    **error)
{
  g_autofree Oid *types = g_new (Oid, filter->values->len + 1);

  for (guint i = 0; i < filter->values->len; i++)
    types[i] = 25;   /* text: every parameter is cast where it is used */
  return _pd_pg_query_typed (self, sql, filter->values->len, types,
                             (const char * const *) filter->values->pdata, error);
}

/* The WHERE clause: the test form for a dense search, the arms for a
 * sparse one (one probe statement decides).  NULL with @error. */
static char *
filter_where (PdPgStore  *self,
              Filter     *filter,
              int         id_order,
              gboolean   *far,
              GError    **error)
{
  g_autofree char *probe = NULL;
  g_autoptr(PGresult) result = NULL;

  if (far != NULL)
    *far = FALSE;
  if (filter->arms == NULL)
    return g_strdup (filter->base->str);
  /* The probe hands a narrow search's matches over as they are: with
   * "id IN (arms)" the planner, which guesses a hundred rows an arm, read
   * the whole listing's index in order testing each row (a search for one
   * phone number among a million personas: 0.3 s). */
  probe = g_strdup_printf ("SELECT count(*), coalesce(array_agg(pd_id), '{}'), min(pd_id), max(pd_id), "
                           "(SELECT min(id) FROM personas), (SELECT max(id) FROM personas) "
                           "FROM (SELECT pd_id FROM (%s) AS a(pd_id) LIMIT %d) AS b",
                           filter->arms->str, DENSE_MATCHES);
  result = query_text (self, probe, filter, error);
  if (result == NULL)
    return NULL;
  if (_pd_pg_int64 (result, 0, 0) >= DENSE_MATCHES)
    {
      /* A broad search in id order whose matches the probe met all far
       * from the end the walk starts at ("206 26": personas 600,000 to
       * 700,000 of a million, and a walk of 600,000 rows, 1-2 s):
       * collecting the matches in order is faster (SQLite gives its walk
       * a time budget instead), and a phone's national numbers are read
       * by id bucket (pd-pg-store-search-walk.c). */
      if (far != NULL && id_order != 0)
        *far = id_order > 0 ? _pd_pg_int64 (result, 0, 2) - _pd_pg_int64 (result, 0, 4) > far_walk
                            : _pd_pg_int64 (result, 0, 5) - _pd_pg_int64 (result, 0, 3) > far_walk;
      return g_strdup_printf ("%s AND (%s)", filter->base->str, filter->test->str);
    }
  return g_strdup_printf ("%s AND id = ANY ($%u::bigint[])", filter->base->str,
                          add_value (filter, g_strdup (_pd_pg_text (result, 0, 1))));
}

static void
filter_clear (Filter *filter)
{
  g_string_free (filter->base, TRUE);
  if (filter->test != NULL)
    g_string_free (filter->test, TRUE);
  if (filter->arms != NULL)
    g_string_free (filter->arms, TRUE);
  if (filter->far_arms != NULL)
    g_string_free (filter->far_arms, TRUE);
  g_array_unref (filter->national);
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

  g_autofree char *where = NULL;
  guint count, generation;

  /* kept until a commit is notified: pd-pg-store-counts.c */
  if (_pd_pg_counts_lookup (self, query, &count, &generation))
    return count;
  filter_build (self, query, &filter);
  where = filter_where (self, &filter, 0, NULL, error);
  if (where != NULL)
    {
      sql = g_strdup_printf ("SELECT count(*) FROM personas WHERE %s", where);
      result = query_text (self, sql, &filter, error);
    }
  filter_clear (&filter);
  if (result == NULL)
    return 0;
  count = (guint) _pd_pg_int64 (result, 0, 0);
  _pd_pg_counts_keep (self, query, count, generation);
  return count;
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
 * indexes of nullable sort columns say NULLS FIRST, so either direction is
 * an index scan.
 * A search's pages by OFFSET; the unsearched list's far ones seek first. */
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
  gboolean nullable = g_strcmp0 (column, "primary_email") == 0 || g_strcmp0 (column, "primary_phone") == 0 ||
                      g_strcmp0 (column, "signup_source") == 0;
  /* only where a NULL can be: PostgreSQL does not know that NULLS FIRST
   * means nothing on a NOT NULL column, and would sort instead of reading
   * the index (first page by name on 100,000 personas: 155 ms → 2 ms) */
  const char *nulls = !nullable ? "" : query->descending ? " NULLS LAST" : " NULLS FIRST";
  Filter filter;
  g_autofree char *sql = NULL;
  g_autofree char *order = NULL;
  g_autoptr(PGresult) result = NULL;
  guint n_limit, n_offset;
  gboolean far = FALSE;

  g_autofree char *where = NULL;

  filter_build (self, query, &filter);
  where = filter_where (self, &filter, column == NULL ? (query->descending ? -1 : 1) : 0, &far, error);
  if (where == NULL)
    {
      filter_clear (&filter);
      return NULL;
    }
  if (column != NULL)
    order = g_strdup_printf ("%s %s%s, id %s", column, dir, nulls, dir);
  else
    order = g_strdup_printf ("id %s", dir);
  if (far)
    {
      /* The matches' ids in order, each persona read by its id while
       * they last (a nested loop kept in that order by LATERAL): the page
       * never waits for a walk past the rows before the first match.
       * OFFSET 0 keeps it a look-up by id: pulled up into a join, a table
       * without statistics yet (a first import) was merge-joined through
       * the whole listing's index of the state instead. */
      g_autofree char *base = g_strdup (filter.base->str);
      g_autofree char *ids = NULL;

      n_limit = add_value (&filter, g_strdup_printf ("%u", limit));
      n_offset = add_value (&filter, g_strdup_printf ("%u", offset));
      /* the national numbers' first pages by id bucket, the rest whole */
      ids = _pd_pg_far_ids_sql (base, filter.far_arms != NULL ? filter.far_arms->str : NULL, filter.national,
                                query->descending, add_value (&filter, g_strdup_printf ("%u", offset + limit)));
      sql = g_strdup_printf ("SELECT p.* FROM (SELECT DISTINCT pd_id FROM (%s) AS a(pd_id) ORDER BY pd_id %s) AS m "
                             "CROSS JOIN LATERAL (SELECT %s FROM personas WHERE id = m.pd_id AND %s OFFSET 0) AS p "
                             "ORDER BY m.pd_id %s LIMIT $%u::bigint OFFSET $%u::bigint",
                             ids, dir, _pd_sqlite_store_persona_columns (), base, dir,
                             n_limit, n_offset);
    }
  else if (filter.test == NULL && offset > 0)
    {
      /* The unsearched list far down: seek to a landmark
       * (pd-pg-store-paging.c), and skip the rest of the way in the
       * listing's index alone (an index-only scan of ids), reading only
       * the page's rows: skipping whole rows read each from the table
       * (the page at 90% of a million by name, under load: 1 s for the
       * index alone, 8.5 s with the rows). */
      g_autoptr(GError) seek_error = NULL;
      g_autofree char *seek = NULL;
      guint skip;

      seek = _pd_pg_landmark_seek (self, column, nullable, query->descending, where, order, filter.values,
                                   offset, &skip, &seek_error);
      if (seek_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&seek_error));
          filter_clear (&filter);
          return NULL;
        }
      n_limit = add_value (&filter, g_strdup_printf ("%u", limit));
      n_offset = add_value (&filter, g_strdup_printf ("%u", skip));
      sql = g_strdup_printf ("SELECT %s FROM personas JOIN (SELECT id AS pd_id FROM personas WHERE %s%s ORDER BY %s "
                             "LIMIT $%u::bigint OFFSET $%u::bigint) AS pd_page ON personas.id = pd_page.pd_id "
                             "ORDER BY %s",
                             _pd_sqlite_store_persona_columns (), where, seek != NULL ? seek : "", order,
                             n_limit, n_offset, order);
    }
  else
    {
      n_limit = add_value (&filter, g_strdup_printf ("%u", limit));
      n_offset = add_value (&filter, g_strdup_printf ("%u", offset));
      sql = g_strdup_printf ("SELECT %s FROM personas WHERE %s ORDER BY %s LIMIT $%u::bigint OFFSET $%u::bigint",
                             _pd_sqlite_store_persona_columns (), where, order, n_limit, n_offset);
    }
  result = query_text (self, sql, &filter, error);
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
