/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPgStore: pages far down the list.  The list model asks pages by
 * offset, and OFFSET reads every row it skips: the page at 90% of a
 * million personas took 1 s by id, 2.8 s by name (the index alone, 1 s).
 * So a page asked past LANDMARK_STEP reads, over the listing's index up to
 * its offset (from the last one read on), the sort key and id of every
 * LANDMARK_STEP-th persona (a "landmark"); that page and every later one
 * seek to the landmark just before their offset ((key, id) > (landmark),
 * an index range) and skip fewer than LANDMARK_STEP entries.  The
 * landmarks are kept as the counts are (pd-pg-store-counts.c): until a
 * commit, this connection's or another desk's, is notified; then the next
 * far page reads them again.  Only the unsearched list has them: a
 * search's pages are read as before. */
#include "config.h"

#include "pd-pg-store-private.h"

/* 1,000 of a million personas: 8 KB of keys; a page skips < 1,000 index
 * entries (about a millisecond), the landmarks cost one pass. */
#define LANDMARK_STEP 1000

struct _PdPgLandmarks {
  char      *signature;    /* the query they are of: SQL and values */
  guint      generation;   /* self->counts_generation when read */
  guint      step;
  gboolean   complete;     /* the last one read is the last there is */
  GPtrArray *keys;         /* text or NULL: landmark j is the row at (j + 1) * step - 1 */
  GArray    *ids;          /* gint64 */
};

static guint landmark_step = LANDMARK_STEP;

/* Tests: landmarks on a few thousand personas. */
void
_pd_pg_store_set_landmark_step (guint step)
{
  landmark_step = step > 0 ? step : LANDMARK_STEP;
}

void
_pd_pg_landmarks_free (PdPgLandmarks *landmarks)
{
  if (landmarks == NULL)
    return;
  g_free (landmarks->signature);
  g_ptr_array_unref (landmarks->keys);
  g_array_unref (landmarks->ids);
  g_free (landmarks);
}

static PGresult *
query_values (PdPgStore  *self,
              const char *sql,
              GPtrArray  *values,
              GError    **error)
{
  g_autofree Oid *types = g_new (Oid, values->len + 1);

  for (guint i = 0; i < values->len; i++)
    types[i] = 25;   /* text, cast where used */
  return _pd_pg_query_typed (self, sql, values->len, types, (const char * const *) values->pdata, error);
}

static const char *
key_type (const char *column)
{
  if (g_strcmp0 (column, "points") == 0)
    return "bigint";
  if (g_strcmp0 (column, "loyalty") == 0)
    return "smallint";
  return "text";
}

/* " AND …": the rows after (@key, @id) in the order, its values appended
 * to @values; NULL when that is no index range. */
static char *
seek_after (const char *column,
            gboolean    nullable,
            gboolean    descending,
            const char *key,
            gint64      id,
            GPtrArray  *values)
{
  guint id_param, k_param;

  /* NULLs: first ascending, last descending, then by id */
  if (column != NULL && nullable && descending && key != NULL)
    return NULL;   /* "(col, id) < … OR col IS NULL" is no index range */
  g_ptr_array_add (values, g_strdup_printf ("%" G_GINT64_FORMAT, id));
  id_param = values->len;
  if (column == NULL)
    return g_strdup_printf (" AND id %s $%u::bigint", descending ? "<" : ">", id_param);
  if (key == NULL)
    return descending ? g_strdup_printf (" AND %s IS NULL AND id < $%u::bigint", column, id_param)
                      : g_strdup_printf (" AND (%s IS NOT NULL OR id > $%u::bigint)", column, id_param);
  g_ptr_array_add (values, g_strdup (key));
  k_param = values->len;
  return g_strdup_printf (" AND (%s, id) %s ($%u::%s, $%u::bigint)", column, descending ? "<" : ">",
                          k_param, key_type (column), id_param);
}

/* Reads the landmarks up to the @want-th, from the last one read on: a
 * jump pays for the stretch of the index it passes once, the way OFFSET
 * would (row_number() over the listing's index order, an index-only
 * scan that stops at the LIMIT). */
static gboolean
extend (PdPgStore     *self,
        PdPgLandmarks *lm,
        const char    *column,
        gboolean       nullable,
        gboolean       descending,
        const char    *where,
        const char    *order,
        GPtrArray     *values,
        guint          want,
        GError       **error)
{
  guint n_values = values->len;
  guint need = want - lm->ids->len;
  g_autofree char *after = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(PGresult) result = NULL;

  if (lm->ids->len > 0)
    {
      after = seek_after (column, nullable, descending, g_ptr_array_index (lm->keys, lm->keys->len - 1),
                          g_array_index (lm->ids, gint64, lm->ids->len - 1), values);
      if (after == NULL)
        return TRUE;   /* no further: pages past them by OFFSET */
    }
  /* No ORDER BY rn: a sort would read every row before the LIMIT.  The
   * window's rows come out in its order, so the LIMIT keeps the first;
   * their numbers are checked all the same. */
  sql = g_strdup_printf ("SELECT k, id, rn FROM (SELECT %s::text AS k, id, row_number() OVER (ORDER BY %s) AS rn "
                         "FROM personas WHERE %s%s) AS t WHERE rn %% %u = 0 LIMIT %u",
                         column != NULL ? column : "NULL", order, where, after != NULL ? after : "",
                         lm->step, need);
  result = query_values (self, sql, values, error);
  g_ptr_array_set_size (values, n_values);
  if (result == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (result); r++)
    if (_pd_pg_int64 (result, r, 2) != (gint64) (r + 1) * lm->step)
      {
        g_debug ("Landmarks out of order: paging by OFFSET");
        lm->complete = TRUE;
        return TRUE;
      }
  for (int r = 0; r < PQntuples (result); r++)
    {
      gint64 id = _pd_pg_int64 (result, r, 1);

      g_ptr_array_add (lm->keys, PQgetisnull (result, r, 0) ? NULL : g_strdup (_pd_pg_text (result, r, 0)));
      g_array_append_val (lm->ids, id);
    }
  if ((guint) PQntuples (result) < need)
    lm->complete = TRUE;
  return TRUE;
}

/**
 * _pd_pg_landmark_seek:
 * @column: (nullable): the sort column; NULL: id order
 * @nullable: whether @column holds NULLs (first ascending, last descending)
 * @where: the list's condition on personas, with @values as $1, $2, …
 * @order: its ORDER BY
 * @skip: (out): the rows to skip after the seek
 *
 * Returns: (nullable): " AND …", a seek past the landmark before @offset
 *   (its values appended to @values), or NULL: page by OFFSET (a near
 *   page, a transaction open, no LISTEN, or an order whose seek is no
 *   index range).  NULL with @error when reading the landmarks failed.
 */
char *
_pd_pg_landmark_seek (PdPgStore  *self,
                      const char *column,
                      gboolean    nullable,
                      gboolean    descending,
                      const char *where,
                      const char *order,
                      GPtrArray  *values,
                      guint       offset,
                      guint      *skip,
                      GError    **error)
{
  GString *sig;
  g_autofree char *signature = NULL;
  PdPgLandmarks *lm;
  char *seek;
  guint j;

  *skip = offset;
  if (offset < landmark_step || !_pd_pg_cache_usable (self))
    return NULL;
  sig = g_string_new (where);
  g_string_append_printf (sig, "|%s|%u", order, landmark_step);
  for (guint i = 0; i < values->len; i++)
    g_string_append_printf (sig, "|%s", (char *) g_ptr_array_index (values, i));
  signature = g_string_free (sig, FALSE);

  lm = self->landmarks;
  if (lm == NULL || lm->generation != self->counts_generation || !g_str_equal (lm->signature, signature))
    {
      g_clear_pointer (&self->landmarks, _pd_pg_landmarks_free);
      lm = self->landmarks = g_new0 (PdPgLandmarks, 1);
      lm->signature = g_steal_pointer (&signature);
      lm->generation = self->counts_generation;
      lm->step = landmark_step;
      lm->keys = g_ptr_array_new_with_free_func (g_free);
      lm->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
    }
  j = offset / lm->step;
  /* A commit notified with the answer may be after its snapshot: the
   * generation moves on, and these are used this once. */
  if (j > lm->ids->len && !lm->complete &&
      !extend (self, lm, column, nullable, descending, where, order, values, j, error))
    {
      g_clear_pointer (&self->landmarks, _pd_pg_landmarks_free);
      return NULL;
    }
  j = MIN (j, lm->ids->len);
  if (j == 0)
    return NULL;
  seek = seek_after (column, nullable, descending, g_ptr_array_index (lm->keys, j - 1),
                     g_array_index (lm->ids, gint64, j - 1), values);
  if (seek != NULL)
    *skip = offset - j * lm->step;
  return seek;
}
