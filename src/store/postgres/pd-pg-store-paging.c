/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPgStore: pages far down the list.  The list model asks pages by
 * offset, and OFFSET reads every row it skips: the page at 90% of a
 * million personas by name took a second (the index entries alone 0.8 s).
 * So the first page asked past LANDMARK_STEP reads, in one pass over the
 * listing's index, the sort key and id of every LANDMARK_STEP-th persona
 * (a "landmark"); that page and every later one seek to the landmark just
 * before their offset ((key, id) > (landmark), an index range) and skip
 * fewer than LANDMARK_STEP entries.  The landmarks are kept as the counts
 * are (pd-pg-store-counts.c): until a commit, this connection's or another
 * desk's, is notified; then the next far page reads them again.  Only the
 * unsearched list has them: a search's pages are read as before. */
#include "config.h"

#include "pd-pg-store-private.h"

/* 1,000 of a million personas: 8 KB of keys; a page skips < 1,000 index
 * entries (about a millisecond), the landmarks cost one pass. */
#define LANDMARK_STEP 1000

struct _PdPgLandmarks {
  char      *signature;    /* the query they are of: SQL and values */
  guint      generation;   /* self->counts_generation when read */
  guint      step;
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

static PdPgLandmarks *
read_landmarks (PdPgStore  *self,
                const char *column,
                const char *where,
                const char *order,
                GPtrArray  *values,
                char       *signature,   /* (transfer full) */
                GError    **error)
{
  g_autofree char *sql = NULL;
  g_autoptr(PGresult) result = NULL;
  PdPgLandmarks *landmarks;
  guint generation = self->counts_generation;

  /* row_number() over the listing's index order: an index-only scan */
  sql = g_strdup_printf ("SELECT k, id FROM (SELECT %s::text AS k, id, row_number() OVER (ORDER BY %s) AS rn "
                         "FROM personas WHERE %s) AS t WHERE rn %% %u = 0 ORDER BY rn",
                         column != NULL ? column : "NULL", order, where, landmark_step);
  result = query_values (self, sql, values, error);
  if (result == NULL)
    {
      g_free (signature);
      return NULL;
    }
  landmarks = g_new0 (PdPgLandmarks, 1);
  landmarks->signature = signature;
  /* a commit notified with the answer may be after its snapshot: then
   * the generation has moved on, and the next far page reads them again */
  landmarks->generation = generation;
  landmarks->step = landmark_step;
  landmarks->keys = g_ptr_array_new_with_free_func (g_free);
  landmarks->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (int r = 0; r < PQntuples (result); r++)
    {
      gint64 id = _pd_pg_int64 (result, r, 1);

      g_ptr_array_add (landmarks->keys, PQgetisnull (result, r, 0) ? NULL : g_strdup (_pd_pg_text (result, r, 0)));
      g_array_append_val (landmarks->ids, id);
    }
  return landmarks;
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
  const char *key;
  gint64 id;
  guint j;
  guint k_param, id_param;

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
      self->landmarks = read_landmarks (self, column, where, order, values, g_steal_pointer (&signature), error);
      if (self->landmarks == NULL)
        return NULL;
      lm = self->landmarks;
    }
  j = MIN (offset / lm->step, lm->ids->len);
  if (j == 0)
    return NULL;
  key = g_ptr_array_index (lm->keys, j - 1);
  id = g_array_index (lm->ids, gint64, j - 1);

  /* NULLs: first ascending, last descending, then by id */
  if (column != NULL && nullable && descending && key != NULL)
    return NULL;   /* "(col, id) < … OR col IS NULL" is no index range */
  *skip = offset - j * lm->step;
  id_param = (g_ptr_array_add (values, g_strdup_printf ("%" G_GINT64_FORMAT, id)), values->len);
  if (column == NULL)
    return g_strdup_printf (" AND id %s $%u::bigint", descending ? "<" : ">", id_param);
  if (key == NULL)
    return descending ? g_strdup_printf (" AND %s IS NULL AND id < $%u::bigint", column, id_param)
                      : g_strdup_printf (" AND (%s IS NOT NULL OR id > $%u::bigint)", column, id_param);
  k_param = (g_ptr_array_add (values, g_strdup (key)), values->len);
  return g_strdup_printf (" AND (%s, id) %s ($%u::%s, $%u::bigint)", column, descending ? "<" : ">",
                          k_param, key_type (column), id_param);
}
