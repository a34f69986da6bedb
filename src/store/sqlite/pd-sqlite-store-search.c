/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdSqliteStore: listing, searching and counting personas (pages; in id order the walk, the
 * lowest ids or the IN list).  What a search matches: pd-sqlite-store-filter.c. */
#include "config.h"

#include <string.h>

#include "pd-sqlite-store-filter.h"
#include "pd-sqlite-store-private.h"

static gint64
data_version (PdSqliteStore *self)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, "PRAGMA data_version", NULL);
  gint64 version = -1;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return version;
}

guint
_pd_sqlite_store_count_personas (PdStore               *store,
                                 const PdPersonaQuery  *query,
                                 GError               **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  PdFilter filter = { 0 };
  g_autofree char *sql = NULL;
  g_autofree char *cache_key = NULL;
  sqlite3_stmt *stmt;
  guint count = 0;
  gint64 version;
  gint64 changes;
  gpointer cached;

  /* Counting a million index entries takes tens of milliseconds: the
   * unfiltered counts are kept until this or another connection writes. */
  version = data_version (self);
  changes = sqlite3_total_changes64 (self->db);
  if (version != self->counts_data_version || changes != self->counts_total_changes)
    {
      g_hash_table_remove_all (self->counts);
      self->counts_data_version = version;
      self->counts_total_changes = changes;
    }
  if (query->search == NULL || *query->search == '\0')
    {
      cache_key = g_strdup_printf ("%d:%" G_GINT64_FORMAT, query->view, query->import_id);
      if (g_hash_table_lookup_extended (self->counts, cache_key, NULL, &cached))
        return GPOINTER_TO_UINT (cached);
    }

  _pd_filter_build (self, query, &filter);
  {
    g_autofree char *from = _pd_filter_from_clause (&filter);
    sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE %s", from, filter.where->str);
  }
  stmt = _pd_sqlite_store_prepare (self, sql, error);
  if (stmt != NULL)
    {
      _pd_filter_bind (stmt, query, &filter);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        count = sqlite3_column_int (stmt, 0);
      else
        _pd_sqlite_store_fail (self, error);
      sqlite3_reset (stmt);
    }
  _pd_filter_clear (&filter);

  if (cache_key != NULL)
    g_hash_table_insert (self->counts, g_steal_pointer (&cache_key), GUINT_TO_POINTER (count));
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

static gboolean
column_is_contact (const char *column)
{
  return g_strcmp0 (column, "primary_email") == 0 || g_strcmp0 (column, "primary_phone") == 0;
}

static gboolean
column_is_nullable (const char *column)
{
  return column_is_contact (column) || g_strcmp0 (column, "signup_source") == 0;
}

/* The active list in email or phone order, from the emails or phones
 * table's own unique index: scope 0 is an active persona's value, unique,
 * and position 0 its first one, the one shown.  An index of the same values
 * on personas cost every new persona two more inserts at random places,
 * a sixth of a large import's time.  Personas without one (NULL: first in
 * ascending order) come from a small partial index, in id order: their
 * merge key is the id, an integer, which SQLite sorts before any text.
 * Only ids and keys are merged and skipped; the page's personas are read
 * after, and the key shown is theirs (NULL for those). */
static char *
contact_order_sql (const char           *column,
                   const PdPersonaQuery *query,
                   const PdFilter       *filter,
                   gboolean              seek)
{
  gboolean email = g_str_equal (column, "primary_email");
  const char *value = email ? "email" : "phone";
  const char *dir = query->descending ? "DESC" : "ASC";
  /* the seek comes after a non-NULL key only (ascending): no NULL is left */
  g_autofree char *range = seek ? g_strdup_printf (" AND %s >= :ckey AND (%s, persona_id) > (:ckey, :cid)",
                                                   value, value)
                                : g_strdup ("");
  return g_strdup_printf ("SELECT %s, personas.%s FROM ("
                          "SELECT id AS pd_id, id AS pd_key FROM personas WHERE %s IS NULL AND %s%s"
                          " UNION ALL "
                          "SELECT persona_id, %s FROM %ss INDEXED BY %ss_%s WHERE position = 0 AND scope = 0%s%s"
                          " ORDER BY 2 %s LIMIT :limit OFFSET :offset"
                          ") AS pg CROSS JOIN personas ON personas.id = pg.pd_id "
                          "ORDER BY pg.pd_key %s, pg.pd_id %s",
                          _pd_sqlite_store_persona_columns (), column, column, filter->where->str,
                          seek ? " AND 0" : "",
                          value, value, value, value,
                          query->import_id != 0
                            ? " AND persona_id IN (SELECT persona_id FROM import_changes WHERE import_id = :import)"
                            : "",
                          range, dir, dir, dir);
}

/* How long the first attempt at a broad search (a walk in id order) may
 * take before the IN list is used instead. */
#define DENSE_SCAN_BUDGET_US 4000
/* From this many matches on, a search is walked in id order first: below,
 * reading every match (lowest_ids(), ~40 ns each) costs less than
 * walking to the 50th (~1 µs a persona, 1M / matches × 50 of them). */
#define DENSE_SEARCH_MATCHES 20000

void
_pd_sqlite_store_set_walk_budget (PdSqliteStore *self,
                                  gint64         usec)
{
  self->walk_budget_us = usec;
}

void
_pd_sqlite_store_set_walk_min_matches (PdSqliteStore *self,
                                       guint          matches)
{
  self->walk_min_matches = matches;
}

guint
_pd_sqlite_store_get_walk_fallbacks (PdSqliteStore *self)
{
  return self->walk_fallbacks;
}

static int
past_deadline (void *data)
{
  return g_get_monotonic_time () > *(gint64 *) data;
}

/* Whether at least DENSE_SEARCH_MATCHES ids match: the arms are streamed
 * (UNION ALL) and stop there, so this costs a millisecond at most.  The
 * lowest and highest of those ids come with it, for worth_walking(). */
static gboolean
search_is_dense (PdSqliteStore        *self,
                 const PdPersonaQuery *query,
                 PdFilter             *filter,
                 gint64               *sample_min,
                 gint64               *sample_max)
{
  guint threshold = self->walk_min_matches > 0 ? self->walk_min_matches : DENSE_SEARCH_MATCHES;
  g_autofree char *sql = g_strdup_printf ("SELECT count(*), min(mid), max(mid) FROM "
                                          "(SELECT mid FROM (%s) LIMIT %u)",
                                          filter->match_all->str, threshold);
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, sql, NULL);
  gboolean dense = FALSE;

  if (stmt == NULL)
    return FALSE;
  _pd_filter_bind (stmt, query, filter);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      dense = (guint) sqlite3_column_int (stmt, 0) >= threshold;
      *sample_min = sqlite3_column_int64 (stmt, 1);
      *sample_max = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);
  return dense;
}

/* A walk in id order from the first (or last) persona pays for every
 * persona it passes before the first match.  When even the lowest of
 * the sampled matches is that far in (a file's rows imported together
 * match together: "206 26" when a million personas were imported in
 * phone order), the walk would run out of time there; the IN list is
 * taken at once.  Only a guess (a match below the sample may exist),
 * so it is made for a first page only, and costs time, never rows. */
#define DENSE_WALK_MAX_GAP 4000

static gboolean
worth_walking (PdSqliteStore *self,
               gboolean       descending,
               gint64         sample_min,
               gint64         sample_max)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, descending ? "SELECT max(id) FROM personas"
                                                                  : "SELECT min(id) FROM personas", NULL);
  gint64 end;

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    {
      if (stmt != NULL)
        sqlite3_reset (stmt);
      return TRUE;
    }
  end = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return descending ? end - sample_max < DENSE_WALK_MAX_GAP
                    : sample_min - end < DENSE_WALK_MAX_GAP;
}

/* Binds the filter, the page and, with @cursor, where the last page ended. */
static void
bind_page (sqlite3_stmt         *stmt,
           const PdPersonaQuery *query,
           PdFilter             *filter,
           guint                 limit,
           guint                 skip,
           PdSqliteStore        *cursor)
{
  _pd_filter_bind (stmt, query, filter);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":limit"), limit);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":offset"), skip);
  if (cursor != NULL)
    {
      int i = sqlite3_bind_parameter_index (stmt, ":ckey");

      if (i > 0)
        sqlite3_bind_value (stmt, i, cursor->cursor_key);
      sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":cid"), cursor->cursor_id);
    }
}

static gboolean
add_row (PdSqliteStore  *self,
         sqlite3_stmt   *stmt,
         const char     *column,
         GPtrArray      *personas,
         GError        **error)
{
  PdPersona *persona = _pd_sqlite_store_persona_from_row (self, stmt, NULL, error);

  if (persona == NULL)
    return FALSE;
  g_ptr_array_add (personas, persona);
  /* remember where the last row is, for the next page */
  g_clear_pointer (&self->cursor_key, sqlite3_value_free);
  if (column != NULL)
    self->cursor_key = sqlite3_value_dup (sqlite3_column_value (stmt, _pd_sqlite_store_persona_n_columns ()));
  self->cursor_id = pd_persona_get_id (persona);
  return TRUE;
}

/* The statement of a lowest_ids() way, prepared and bound, @ids emptied. */
static sqlite3_stmt *
start_ids (PdSqliteStore         *self,
           const char            *sql,
           const PdPersonaQuery  *query,
           PdFilter              *filter,
           GArray                *ids,
           gboolean              *more,
           GError               **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, sql, error);

  if (stmt == NULL)
    return NULL;
  g_array_set_size (ids, 0);
  *more = FALSE;
  _pd_filter_bind (stmt, query, filter);
  return stmt;
}

/* lowest_ids() by SQLite's sorter, which keeps the lowest rows only: a
 * broad search ("206 26", 100,000 matches) streams its matches inside
 * SQLite rather than through a sqlite3_step() each, about a third of its
 * first page's time.  Twice as many rows as ids are asked for, a persona
 * matched twice (two phones) coming twice; *done stays FALSE when the
 * repeats used them all up, and lowest_ids_streamed() reads every match
 * instead. */
static gboolean
lowest_ids_sorted (PdSqliteStore         *self,
                   const PdPersonaQuery  *query,
                   PdFilter              *filter,
                   gboolean               bounded,
                   gint64                 bound,
                   guint                  k,
                   GArray                *ids,
                   gboolean              *more,
                   gboolean              *done,
                   GError               **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT mid FROM (%s) WHERE %s ORDER BY mid%s LIMIT :n",
                                          filter->match_all->str,
                                          !bounded ? "1" : query->descending ? "mid < :bound" : "mid > :bound",
                                          query->descending ? " DESC" : "");
  sqlite3_stmt *stmt = start_ids (self, sql, query, filter, ids, more, error);
  gint64 n = 2 * (gint64) k + 2;
  gint64 rows = 0;
  int rc;

  *done = FALSE;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":n"), n);
  if (bounded)
    sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":bound"), bound);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      rows++;
      if (ids->len > 0 && g_array_index (ids, gint64, ids->len - 1) == id)
        continue;
      if (ids->len == k)
        {
          *more = TRUE;
          break;
        }
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error), FALSE;
  *done = *more || rows < n;
  return TRUE;
}

/* Ids of a search in id order without the IN list.  The IN list (every
 * match put in a temporary index, then read in order) costs 15 ms for
 * 100,000 matches, most of it the index; a page needs only the lowest few.
 * The arms are streamed (index ranges, in no useful order), and the @k
 * lowest distinct ids past @bound kept in a sorted array (the highest,
 * descending: ids are negated so one order serves both).  *more says
 * whether matches were left out.  The cost is reading the matches, about
 * 40 ns each. */
#define TOP_IDS_MAX 2048

static gboolean
lowest_ids_streamed (PdSqliteStore         *self,
                     const PdPersonaQuery  *query,
                     PdFilter              *filter,
                     gboolean               bounded,
                     gint64                 bound,
                     guint                  k,
                     GArray                *ids,
                     gboolean              *more,
                     GError               **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT mid FROM (%s)", filter->match_all->str);
  sqlite3_stmt *stmt = start_ids (self, sql, query, filter, ids, more, error);
  gint64 sign = query->descending ? -1 : 1;
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sign * sqlite3_column_int64 (stmt, 0);
      guint lo = 0, hi = ids->len;

      if (bounded && id <= sign * bound)
        continue;
      if (ids->len == k && id > g_array_index (ids, gint64, k - 1))
        {
          *more = TRUE;
          continue;
        }
      /* where it goes, and whether it is there already (two phones) */
      while (lo < hi)
        {
          guint mid = (lo + hi) / 2;

          if (g_array_index (ids, gint64, mid) < id)
            lo = mid + 1;
          else
            hi = mid;
        }
      if (lo < ids->len && g_array_index (ids, gint64, lo) == id)
        continue;
      if (ids->len == k)
        {
          g_array_set_size (ids, k - 1);
          *more = TRUE;
        }
      g_array_insert_val (ids, lo, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error), FALSE;
  for (guint i = 0; i < ids->len; i++)
    g_array_index (ids, gint64, i) *= sign;
  return TRUE;
}

static gboolean
lowest_ids (PdSqliteStore         *self,
            const PdPersonaQuery  *query,
            PdFilter              *filter,
            gboolean               bounded,
            gint64                 bound,
            guint                  k,
            GArray                *ids,
            gboolean              *more,
            GError               **error)
{
  gboolean done;

  if (!lowest_ids_sorted (self, query, filter, bounded, bound, k, ids, more, &done, error))
    return FALSE;
  return done || lowest_ids_streamed (self, query, filter, bounded, bound, k, ids, more, error);
}

/* How a way of listing a search in id order went: the page is listed,
 * or it failed, or it gave up (the next way then). */
typedef enum {
  ID_ORDER_DONE,
  ID_ORDER_FAILED,
  ID_ORDER_NOT_DONE,
} IdOrderResult;

/* Rows [skip, skip + limit) of a search in id order, from lowest_ids():
 * each id is read with the listing's filter (state, import), and when
 * the filter turned too many away while more matches were left out,
 * again with more ids. */
static IdOrderResult
list_by_lowest_ids (PdSqliteStore         *self,
                    const PdPersonaQuery  *query,
                    PdFilter              *filter,
                    gboolean               bounded,
                    gint64                 bound,
                    guint                  skip,
                    guint                  limit,
                    GPtrArray             *personas,
                    GError               **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM personas WHERE id = :id AND %s",
                                          _pd_sqlite_store_persona_columns (), filter->where->str);

  for (guint k = skip + limit; k <= TOP_IDS_MAX; k *= 4)
    {
      sqlite3_stmt *stmt;
      gboolean more;
      guint passed = 0;

      if (!lowest_ids (self, query, filter, bounded, bound, k, ids, &more, error))
        return ID_ORDER_FAILED;
      stmt = _pd_sqlite_store_prepare (self, sql, error);
      if (stmt == NULL)
        return ID_ORDER_FAILED;
      g_ptr_array_set_size (personas, 0);
      for (guint i = 0; i < ids->len && personas->len < limit; i++)
        {
          int rc;

          _pd_filter_bind (stmt, query, filter);
          sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":id"),
                              g_array_index (ids, gint64, i));
          rc = sqlite3_step (stmt);
          if (rc == SQLITE_ROW && passed++ >= skip && !add_row (self, stmt, NULL, personas, error))
            {
              sqlite3_reset (stmt);
              return ID_ORDER_FAILED;
            }
          sqlite3_reset (stmt);
          if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return _pd_sqlite_store_fail (self, error), ID_ORDER_FAILED;
        }
      if (personas->len == limit || !more)
        return ID_ORDER_DONE;
    }
  g_ptr_array_set_size (personas, 0);
  return ID_ORDER_NOT_DONE;
}

/* The first way of listing a search in id order: walking the personas in
 * id order, testing each, within a time budget. */
static IdOrderResult
walk_in_id_order (PdSqliteStore         *self,
                  const PdPersonaQuery  *query,
                  PdFilter              *filter,
                  const char            *order,
                  const char            *seek,
                  guint                  skip,
                  guint                  limit,
                  GPtrArray             *personas,
                  GError               **error)
{
  g_autofree char *scan = g_strdup_printf ("SELECT %s FROM personas WHERE %s AND (%s)%s ORDER BY %s "
                                           "LIMIT :limit OFFSET :offset",
                                           _pd_sqlite_store_persona_columns (), filter->where->str, filter->test->str,
                                           seek != NULL ? seek : "", order);
  gint64 deadline = g_get_monotonic_time () +
                    (self->walk_budget_us > 0 ? self->walk_budget_us : DENSE_SCAN_BUDGET_US);
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, scan, error);
  int rc;

  if (stmt == NULL)
    return ID_ORDER_FAILED;
  bind_page (stmt, query, filter, limit, skip, seek != NULL ? self : NULL);
  sqlite3_progress_handler (self->db, 1000, past_deadline, &deadline);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gboolean added;

      /* The handler is the connection's: past the deadline it would
       * interrupt add_row's own statements (a persona's emails,
       * phones...) and fail the whole listing.  Only the walk is cut
       * short. */
      sqlite3_progress_handler (self->db, 0, NULL, NULL);
      added = add_row (self, stmt, NULL, personas, error);
      sqlite3_progress_handler (self->db, 1000, past_deadline, &deadline);
      if (!added)
        {
          sqlite3_progress_handler (self->db, 0, NULL, NULL);
          sqlite3_reset (stmt);
          return ID_ORDER_FAILED;
        }
    }
  sqlite3_progress_handler (self->db, 0, NULL, NULL);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return ID_ORDER_DONE;
  if (rc != SQLITE_INTERRUPT)
    return _pd_sqlite_store_fail (self, error), ID_ORDER_FAILED;
  g_ptr_array_set_size (personas, 0);
  return ID_ORDER_NOT_DONE;
}

/* Pages are listed by OFFSET, which SQLite walks row by row: page 10,000 of
 * a million personas would cost tens of milliseconds.  So the last page's
 * end is remembered (sort key and id), and the next page of the same query
 * seeks there through the index and skips only the difference. */
GPtrArray *
_pd_sqlite_store_list_personas (PdStore               *store,
                                const PdPersonaQuery  *query,
                                guint                  offset,
                                guint                  limit,
                                GError               **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autoptr(GPtrArray) personas = g_ptr_array_new_with_free_func (g_object_unref);
  PdFilter filter = { 0 };
  const char *column = sort_column (query->sort);
  const char *dir = query->descending ? "DESC" : "ASC";
  g_autofree char *order = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *seek = NULL;
  guint skip = offset;
  gint64 saved_cursor_id = self->cursor_id;
  gint64 version, changes;
  sqlite3_stmt *stmt;
  int rc;

  (void) _pd_sqlite_store_persona_columns ();
  _pd_filter_build (self, query, &filter);
  if (column != NULL)
    order = g_strdup_printf ("%s %s, id %s", column, dir, dir);
  else
    order = g_strdup_printf ("id %s", dir);

  /* The query's identity: its SQL and its bound values. */
  {
    GString *sig = g_string_new (filter.where->str);

    if (filter.match != NULL)
      g_string_append_printf (sig, "|%s", filter.match->str);

    g_string_append_printf (sig, "|%s|%d|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT, order, query->view,
                            query->import_id, filter.merged);
    for (guint i = 0; i < filter.texts->len; i++)
      g_string_append_printf (sig, "|%s", (char *) g_ptr_array_index (filter.texts, i));
    signature = g_string_free (sig, FALSE);
  }
  version = data_version (self);
  changes = sqlite3_total_changes64 (self->db);
  if (self->cursor_sql != NULL && g_str_equal (self->cursor_sql, signature) &&
      version == self->cursor_data_version && changes == self->cursor_total_changes &&
      offset >= self->cursor_offset)
    {
      gboolean null_key = self->cursor_key == NULL || sqlite3_value_type (self->cursor_key) == SQLITE_NULL;

      if (column == NULL)
        seek = g_strdup_printf (" AND id %s :cid", query->descending ? "<" : ">");
      else if (!column_is_nullable (column) || (!query->descending && !null_key))
        seek = g_strdup_printf (" AND (%s, id) %s (:ckey, :cid)", column, query->descending ? "<" : ">");
      if (seek != NULL)
        skip = offset - self->cursor_offset;
    }

  if (column == NULL && filter.match != NULL && filter.match->len > 0)
    {
      /* A search in id order.  The UNION would be built and sorted whole
       * for every page (120 ms for 100,000 matches).  When very many
       * personas match, walking the personas in id order and testing each
       * is fastest (the first page of "Grace" in 2 ms), unless the matches
       * are far into the table: that walk gets a time budget.  Then the
       * page's lowest ids are kept while every match streams by; past
       * 2,048 ids (a jump far down), the ids in an IN list. */
      gint64 sample_min = 0, sample_max = 0;

      if (search_is_dense (self, query, &filter, &sample_min, &sample_max)
          && (seek != NULL || worth_walking (self, query->descending, sample_min, sample_max)))
        {
          switch (walk_in_id_order (self, query, &filter, order, seek, skip, limit, personas, error))
            {
            case ID_ORDER_DONE:
              goto done;
            case ID_ORDER_FAILED:
              _pd_filter_clear (&filter);
              return NULL;
            case ID_ORDER_NOT_DONE:
            default:
              self->walk_fallbacks++;
              /* add_row moved the cursor; the seek values are read again
               * from it below, so put them back. */
              self->cursor_id = saved_cursor_id;
              break;
            }
        }
      switch (list_by_lowest_ids (self, query, &filter, seek != NULL, self->cursor_id,
                                  skip, limit, personas, error))
        {
        case ID_ORDER_DONE:
          goto done;
        case ID_ORDER_FAILED:
          _pd_filter_clear (&filter);
          return NULL;
        case ID_ORDER_NOT_DONE:
        default:
          /* add_row may have moved the cursor: see above */
          self->cursor_id = saved_cursor_id;
          break;
        }
      sql = g_strdup_printf ("SELECT %s FROM personas WHERE id IN (%s) AND %s%s ORDER BY %s "
                             "LIMIT :limit OFFSET :offset",
                             _pd_sqlite_store_persona_columns (), filter.match_all->str, filter.where->str,
                             seek != NULL ? seek : "", order);
    }
  else if (column_is_contact (column) && query->view == PD_PERSONA_VIEW_ACTIVE &&
           (filter.match == NULL || filter.match->len == 0))
    sql = contact_order_sql (column, query, &filter, seek != NULL);
  else
    {
      g_autofree char *from = _pd_filter_from_clause (&filter);
      /* the archived view's email and phone orders: "state <> 0" lets
       * SQLite use the partial indexes of inactive personas (schema 6) */
      gboolean inactive = column_is_contact (column) && query->view != PD_PERSONA_VIEW_ACTIVE;

      sql = g_strdup_printf ("SELECT %s%s%s FROM %s WHERE %s%s%s ORDER BY %s LIMIT :limit OFFSET :offset",
                             _pd_sqlite_store_persona_columns (), column != NULL ? ", " : "", column != NULL ? column : "",
                             from, filter.where->str, inactive ? " AND state <> 0" : "",
                             seek != NULL ? seek : "", order);
    }
  stmt = _pd_sqlite_store_prepare (self, sql, error);
  if (stmt == NULL)
    {
      _pd_filter_clear (&filter);
      return NULL;
    }
  bind_page (stmt, query, &filter, limit, skip, seek != NULL ? self : NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (!add_row (self, stmt, column, personas, error))
        {
          sqlite3_reset (stmt);
          _pd_filter_clear (&filter);
          return NULL;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _pd_filter_clear (&filter);
      return _pd_sqlite_store_fail (self, error), NULL;
    }

done:
  _pd_filter_clear (&filter);
  if (personas->len > 0)
    {
      g_free (self->cursor_sql);
      self->cursor_sql = g_steal_pointer (&signature);
      self->cursor_offset = offset + personas->len;
      self->cursor_data_version = version;
      self->cursor_total_changes = changes;
    }
  else
    g_clear_pointer (&self->cursor_sql, g_free);
  return g_steal_pointer (&personas);
}

GPtrArray *
_pd_sqlite_store_list_signup_sources (PdStore  *store,
                                      GError  **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_free);
  /* A loose index scan: one index seek per distinct source rather than a
   * scan of every persona. */
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "WITH RECURSIVE s(v) AS ("
    "  SELECT min(signup_source) FROM personas WHERE state = 0 AND signup_source IS NOT NULL"
    "  UNION ALL"
    "  SELECT (SELECT min(signup_source) FROM personas WHERE state = 0 AND signup_source > v)"
    "  FROM s WHERE v IS NOT NULL)"
    "SELECT v FROM s WHERE v IS NOT NULL", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (sources, g_strdup (_pd_sqlite_store_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error), NULL;
  return g_steal_pointer (&sources);
}
