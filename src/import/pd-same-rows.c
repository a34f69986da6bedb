/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The same rows imported again: fingerprints, counts, the warning and the
 * scan of analyze.  What an import does with them: pd-import-apply.c. */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-same-rows.h"

struct _PdSameRows {
  GHashTable *counts;   /* import id (gint64*) → GUINT_TO_POINTER (rows) */
  guint       n_rows;
};

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* A list in a canonical order: another column order, or "b, a" for
 * "a, b", is the same row. */
static void
add_sorted (GChecksum *checksum,
            char       kind,
            GPtrArray *values)
{
  g_autofree const char **sorted = NULL;

  /* an empty GPtrArray's pdata is NULL, which memcpy may not take */
  if (values->len == 0)
    return;
  sorted = g_new (const char *, values->len + 1);
  memcpy (sorted, values->pdata, values->len * sizeof (char *));
  qsort (sorted, values->len, sizeof (char *), compare_strings);
  for (guint i = 0; i < values->len; i++)
    {
      g_checksum_update (checksum, (const guchar *) &kind, 1);
      g_checksum_update (checksum, (const guchar *) sorted[i], -1);
      g_checksum_update (checksum, (const guchar *) "\x1f", 1);
    }
}

gint64
pd_record_compute_fingerprint (const PdRecord *record)
{
  const char *points = record->values[PD_FIELD_POINTS];
  const char *external = record->values[PD_FIELD_EXTERNAL_ID];
  g_autoptr(GChecksum) checksum = NULL;
  guint8 digest[32];
  gsize len = sizeof digest;
  gint64 hash;

  if (points == NULL || g_strcmp0 (points, "0") == 0)
    return 0;
  if (record->emails->len == 0 && record->phones->len == 0 && external == NULL)
    return 0;

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  add_sorted (checksum, 'e', record->emails);
  add_sorted (checksum, 'p', record->phones);
  if (external != NULL)
    {
      g_checksum_update (checksum, (const guchar *) "x", 1);
      g_checksum_update (checksum, (const guchar *) external, -1);
    }
  g_checksum_update (checksum, (const guchar *) "\x1e", 1);
  g_checksum_update (checksum, (const guchar *) points, -1);
  g_checksum_get_digest (checksum, digest, &len);
  memcpy (&hash, digest, sizeof hash);
  /* 0 means "no fingerprint" */
  return hash != 0 ? hash : 1;
}

PdSameRows *
pd_same_rows_new (void)
{
  PdSameRows *self = g_new0 (PdSameRows, 1);

  self->counts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  return self;
}

void
pd_same_rows_free (PdSameRows *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->counts);
  g_free (self);
}

void
pd_same_rows_add (PdSameRows *self,
                  gint64      import_id)
{
  gpointer key, value;

  if (g_hash_table_lookup_extended (self->counts, &import_id, &key, &value))
    g_hash_table_insert (self->counts, g_memdup2 (&import_id, sizeof import_id),
                         GUINT_TO_POINTER (GPOINTER_TO_UINT (value) + 1));
  else
    g_hash_table_insert (self->counts, g_memdup2 (&import_id, sizeof import_id), GUINT_TO_POINTER (1));
  self->n_rows++;
}

void
pd_same_rows_set_counts (PdSameRows *self,
                         GArray     *counts,
                         guint       n_rows)
{
  g_hash_table_remove_all (self->counts);
  for (guint i = 0; i < counts->len; i++)
    {
      const PdRowsImportedBefore *row = &g_array_index (counts, PdRowsImportedBefore, i);

      g_hash_table_insert (self->counts, g_memdup2 (&row->import_id, sizeof row->import_id),
                           GUINT_TO_POINTER (row->n_rows));
    }
  self->n_rows = n_rows;
}

static int
compare_hashes (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

void
pd_same_rows_sort_hashes (GArray *hashes)
{
  guint kept = 0;

  g_array_sort (hashes, compare_hashes);
  for (guint i = 0; i < hashes->len; i++)
    if (kept == 0 || g_array_index (hashes, gint64, i) != g_array_index (hashes, gint64, kept - 1))
      g_array_index (hashes, gint64, kept++) = g_array_index (hashes, gint64, i);
  g_array_set_size (hashes, kept);
}

guint
pd_same_rows_get_n_rows (const PdSameRows *self)
{
  return self != NULL ? self->n_rows : 0;
}

guint
pd_same_rows_get_n_imports (const PdSameRows *self)
{
  return self != NULL ? g_hash_table_size (self->counts) : 0;
}

gint64
pd_same_rows_get_import_id (const PdSameRows *self)
{
  GHashTableIter iter;
  gpointer key, value;
  gint64 best = 0;
  guint best_rows = 0;

  if (self == NULL)
    return 0;
  g_hash_table_iter_init (&iter, self->counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint64 id = *(gint64 *) key;
      guint rows = GPOINTER_TO_UINT (value);

      if (rows > best_rows || (rows == best_rows && id > best))
        {
          best = id;
          best_rows = rows;
        }
    }
  return best;
}

char *
pd_same_rows_describe (const PdSameRows   *self,
                       const PdImportInfo *earlier)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (earlier->started);
  /* TRANSLATORS: a date and time in the locale's format */
  g_autofree char *when = g_date_time_format (local, "%x %X");
  g_autofree char *what = NULL;
  guint others = pd_same_rows_get_n_imports (self) - 1;

  what = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u row of this file was already imported with its points on %s "
                                       "as “%s” (import %" PRId64 ")",
                                       "%u rows of this file were already imported with their points on %s "
                                       "as “%s” (import %" PRId64 ")",
                                       self->n_rows),
                          self->n_rows, when, earlier->name, earlier->id);
  if (others > 0)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            " and %u other import",
                                                            " and %u other imports", others),
                                               others);
      g_autofree char *joined = g_strconcat (what, more, NULL);

      g_free (what);
      what = g_steal_pointer (&joined);
    }
  /* TRANSLATORS: %s says which rows were imported when */
  return g_strdup_printf (_("%s: importing them again adds their points again"), what);
}

PdSameRows *
pd_same_rows_scan (PdStore                *store,
                   GFile                  *file,
                   const PdSourceOptions  *options,
                   GCancellable           *cancellable,
                   GError                **error)
{
  g_autoptr(PdSameRows) self = pd_same_rows_new ();
  g_autoptr(PdRecordSource) source = pd_record_source_new (file, options, cancellable, error);
  g_autoptr(GArray) hashes = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) counts = NULL;
  g_autoptr(GError) local = NULL;
  GPtrArray *batch;
  guint n_rows = 0;

  if (source == NULL)
    return NULL;
  while ((batch = pd_record_source_next_batch (source, cancellable, &local)) != NULL)
    {
      for (guint i = 0; i < batch->len && local == NULL; i++)
        {
          PdRecord *record = g_ptr_array_index (batch, i);
          gint64 hash;

          if (pd_record_is_valid (record) && (hash = pd_record_compute_fingerprint (record)) != 0)
            g_array_append_val (hashes, hash);
        }
      pd_record_source_recycle_batch (source, batch);
      if (local != NULL)
        break;
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  pd_same_rows_sort_hashes (hashes);
  counts = pd_store_count_rows_imported_before (store, (const gint64 *) hashes->data, hashes->len,
                                                &n_rows, error);
  if (counts == NULL)
    return NULL;
  pd_same_rows_set_counts (self, counts, n_rows);
  return g_steal_pointer (&self);
}

gboolean
pd_same_rows_finish_import (PdSameRows     *self,
                            PdStore        *store,
                            GFile          *file,
                            GArray         *row_hashes,
                            gint64          import_id,
                            PdSameFile      choice,
                            gboolean        same_file_found,
                            gboolean        dry_run,
                            PdImportInfo  **main_import,
                            gboolean       *refused,
                            GError        **error)
{
  g_autofree char *what = NULL;
  g_autofree char *base = NULL;
  gboolean refusing;

  *refused = FALSE;
  *main_import = NULL;
  pd_same_rows_sort_hashes (row_hashes);
  /* Looked up all at once, now: per row it cost every import as much as
   * keeping them.  Not for the same file (its question covers every row)
   * nor when the user already said what to do. */
  if (!same_file_found && choice == PD_SAME_FILE_REFUSE)
    {
      guint n_rows = 0;
      g_autoptr(GArray) counts = pd_store_count_rows_imported_before (store, (const gint64 *) row_hashes->data,
                                                                      row_hashes->len, &n_rows, error);

      if (counts == NULL)
        return FALSE;
      pd_same_rows_set_counts (self, counts, n_rows);
    }
  refusing = !dry_run && choice == PD_SAME_FILE_REFUSE && self->n_rows > 0;
  if (!dry_run && !refusing &&
      !pd_store_import_write_row_hashes (store, import_id, (const gint64 *) row_hashes->data, row_hashes->len,
                                         error))
    return FALSE;

  if (self->n_rows == 0)
    return TRUE;
  *main_import = pd_store_get_import (store, pd_same_rows_get_import_id (self), error);
  if (*main_import == NULL)
    return FALSE;
  if (!refusing)
    return TRUE;
  *refused = TRUE;
  base = g_file_get_basename (file);
  what = pd_same_rows_describe (self, *main_import);
  g_set_error (error, PD_ERROR, PD_ERROR_SAME_FILE,
               _("%s: %s. Choose whether to skip the points of rows already imported or to "
                 "import anyway"), base, what);
  return FALSE;
}

gboolean
pd_same_rows_probe (PdStore   *store,
                    GArray    *row_hashes,
                    gboolean  *found,
                    GError   **error)
{
  g_autoptr(GArray) sorted = g_array_sized_new (FALSE, FALSE, sizeof (gint64), row_hashes->len);
  g_autoptr(GArray) counts = NULL;
  guint n_rows = 0;

  g_array_append_vals (sorted, row_hashes->data, row_hashes->len);
  pd_same_rows_sort_hashes (sorted);
  counts = pd_store_count_rows_imported_before (store, (const gint64 *) sorted->data, sorted->len, &n_rows, error);
  *found = n_rows > 0;
  return counts != NULL;
}
