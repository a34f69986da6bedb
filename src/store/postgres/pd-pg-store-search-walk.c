/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPgStore: the first pages of a broad phone search in id order whose
 * matches lie far into the table (issue 19).
 *
 * "206 26" among a million personas imported in phone order matches the
 * 100,000 from the 600,000th on.  In id order, the walk of the listing's
 * index passes 600,000 personas before the first match, so
 * pd-pg-store-search.c collected every match and sorted them: 96 ms (the
 * phones_national range alone, 100,000 index entries, 20-30 ms under
 * load).  Any way of reading the national number's range pays for every
 * match, since its index is in number order, not id order.
 *
 * So the phones are also indexed by id "bucket" (the persona's id
 * divided by 1,024) first and national number second (schema 17,
 * phones_national_bucket): the walk goes through the buckets in id order
 * and, in each, reads the index range of the prefix there (one index
 * descent for an empty bucket, a few µs), until it has the page's ids:
 * the first page of "206 26" reads 587 buckets and about 1,100 index
 * entries (2-6 ms instead of 100-150 ms, same load).  The other arms of
 * the search (E.164, last digits, external ID, orders) are collected as
 * before: they are narrow unless the text says so ("+1 206 26" matches
 * 100,000 E.164 numbers; left as it was). */
#include "config.h"

#include "pd-pg-store-private.h"

/* The query's bucket must be the index's expression, or the planner will
 * not use the index. */
#define SHIFT "10"

/* Version 17: the national numbers by id bucket.  Costs every phone
 * written an index entry (HACKING.md, issue 19: the import's cost). */
const char _pd_pg_schema_v17[] =
  "CREATE INDEX phones_national_bucket ON phones ((persona_id >> " SHIFT "), national) INCLUDE (persona_id);";

static gint walks;   /* atomic: the list's count runs in a thread */

/* Tests: how many walks the far pages took. */
guint
_pd_pg_store_get_bucket_walks (void)
{
  return (guint) g_atomic_int_get (&walks);
}

/**
 * _pd_pg_far_ids_sql:
 * @base: the list's condition on personas (state, import)
 * @arms: (nullable): the search's other arms, a UNION ALL of ids
 * @national: the $ numbers of the national-number prefixes (LIKE patterns)
 * @k: the $ number of the page's end (offset + limit)
 *
 * Returns: a UNION ALL of ids holding the search's first @k listed
 *   matches in id order (and maybe more): for each national prefix, its
 *   first @k listed personas by the bucket walk, then @arms whole.  A
 *   persona with two matching phones comes once from a walk (its phones
 *   share its bucket), but may come from several arms: DISTINCT them.
 */
char *
_pd_pg_far_ids_sql (const char   *base,
                    const char   *arms,
                    const GArray *national,
                    gboolean      descending,
                    guint         k)
{
  GString *sql = g_string_new (NULL);
  const char *dir = descending ? "DESC" : "ASC";

  for (guint i = 0; i < national->len; i++)
    {
      if (sql->len > 0)
        g_string_append (sql, " UNION ALL ");
      /* The nested loop keeps generate_series()'s order, so the LIMIT
       * keeps the first buckets' ids: an ORDER BY over the buckets would
       * read them all.  Each bucket's matches are sorted (the phones
       * of 1,024 personas at most); the listed test comes before the LIMIT
       * so that archived personas' phones do not use it up.
       * The test is a look-up of each phone's persona by its id whatever
       * the planner guesses: OFFSET 0 keeps the EXISTS a subplan.  As a
       * semi-join, on a table not yet analyzed (a desk's first import,
       * before autovacuum comes by) the planner took "state = 0" for a
       * few rows and scanned all the listed personas once per phone:
       * 3,400 personas, 440-690 ms a page instead of 3-9 ms, growing
       * with the square of the table (HACKING.md, issue 19). */
      g_string_append_printf (sql,
                              "(SELECT w.pd_id FROM generate_series((SELECT %s(id) FROM personas) >> " SHIFT ", "
                              "(SELECT %s(id) FROM personas) >> " SHIFT ", %d) AS g(b) "
                              "CROSS JOIN LATERAL (SELECT DISTINCT ph.persona_id AS pd_id FROM phones AS ph "
                              "WHERE (ph.persona_id >> " SHIFT ") = g.b AND ph.national LIKE $%u "
                              "AND EXISTS (SELECT 1 FROM personas WHERE id = ph.persona_id AND %s OFFSET 0) "
                              "ORDER BY 1 %s) AS w LIMIT $%u::bigint)",
                              descending ? "max" : "min", descending ? "min" : "max", descending ? -1 : 1,
                              g_array_index (national, guint, i), base, dir, k);
    }
  if (arms != NULL)
    g_string_append_printf (sql, "%s%s", sql->len > 0 ? " UNION ALL " : "", arms);
  if (national->len > 0)
    g_atomic_int_inc (&walks);
  return g_string_free (sql, FALSE);
}
