/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Forgetting a person: the store's erasure, with the person's rows taken
 * out of the kept import files, which only the import layer can read. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-error.h"
#include "pd-privacy-forget.h"
#include "pd-reader.h"
#include "pd-report-writer.h"
#include "pd-temp.h"

/* Every row of one sheet (or the file), without the targets', to @out. */
static gboolean
filter_rows (GFile                   *file,
             const char              *sheet,
             const PdPrivacyTargets  *targets,
             GString                 *out,
             guint                   *removed,
             GError                 **error)
{
  PdReaderOptions options = { .sheet = sheet };
  g_autoptr(PdReader) reader = pd_reader_open (file, &options, NULL, error);
  PdRow *row;
  GError *local = NULL;

  if (reader == NULL)
    return FALSE;
  while ((row = pd_reader_next_row (reader, NULL, &local)) != NULL)
    {
      if (pd_privacy_targets_match_cells (targets, (const char * const *) row->cells, row->n_cells))
        (*removed)++;
      else
        pd_csv_append_record (out, (const char * const *) row->cells, row->n_cells);
      pd_row_free (row);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

/* A file no reader takes (damaged since): its lines, as text. */
static void
filter_lines (GBytes                  *data,
              const PdPrivacyTargets  *targets,
              GString                 *out,
              guint                   *removed)
{
  gsize size;
  const char *text = g_bytes_get_data (data, &size);
  const char *end = text + size;

  for (const char *line = text; line < end;)
    {
      const char *nl = memchr (line, '\n', end - line);
      gsize length = nl != NULL ? (gsize) (nl - line) + 1 : (gsize) (end - line);
      g_autofree char *copy = g_strndup (line, length);

      if (pd_privacy_targets_match_text (targets, copy))
        (*removed)++;
      else
        g_string_append_len (out, line, length);
      line += length;
    }
}

gboolean
pd_privacy_rewrite_file (const char              *file_name,
                         GBytes                  *data,
                         const PdPrivacyTargets  *targets,
                         GBytes                 **new_data,
                         char                   **new_name,
                         guint                   *removed,
                         gpointer                 user_data,
                         GError                 **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = g_path_get_basename (file_name != NULL && *file_name != '\0' ? file_name : "file.csv");
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean is_text;
  const char *dot;

  *new_data = NULL;
  *new_name = NULL;
  *removed = 0;
  /* the readers pick the format by the name: the kept bytes go to a
   * private folder under that name, removed before returning */
  dir = pd_temp_make_dir ("forget", error);
  if (dir == NULL)
    return FALSE;
  path = g_build_filename (dir, base, NULL);
  if (!g_file_set_contents_full (path, g_bytes_get_data (data, NULL), g_bytes_get_size (data),
                                 G_FILE_SET_CONTENTS_NONE, 0600, error))
    {
      pd_temp_remove_dir (dir);
      return FALSE;
    }
  file = g_file_new_for_path (path);
  if (!filter_rows (file, NULL, targets, out, removed, &local))
    {
      if (g_error_matches (local, PD_ERROR, PD_ERROR_SHEET_CHOICE))
        {
          /* several sheets: the CSV holds the rows of each, one after another */
          g_auto(GStrv) sheets = pd_reader_list_sheets (file, NULL, NULL);

          g_clear_error (&local);
          g_string_truncate (out, 0);
          *removed = 0;
          for (guint i = 0; sheets != NULL && sheets[i] != NULL && local == NULL; i++)
            filter_rows (file, sheets[i], targets, out, removed, &local);
        }
      if (local != NULL)
        {
          g_string_truncate (out, 0);
          *removed = 0;
          filter_lines (data, targets, out, removed);
        }
    }
  pd_temp_remove_dir (dir);

  if (*removed == 0)
    return TRUE;
  dot = strrchr (base, '.');
  is_text = dot != NULL && (g_ascii_strcasecmp (dot, ".csv") == 0 || g_ascii_strcasecmp (dot, ".txt") == 0);
  if (!is_text)
    *new_name = g_strconcat (base, ".csv", NULL);
  *new_data = g_bytes_new (out->str, out->len);
  return TRUE;
}

gboolean
pd_privacy_forget (PdStore             *store,
                   const PdActor       *actor,
                   const char * const  *emails,
                   const char * const  *phones,
                   gboolean             dry_run,
                   PdForgetResult      *result,
                   GError             **error)
{
  PdForgetRequest request = {
    .emails = emails,
    .phones = phones,
    .dry_run = dry_run,
    .rewrite_file = pd_privacy_rewrite_file,
  };

  return pd_store_forget (store, actor, &request, result, error);
}

gboolean
pd_privacy_remove_refused_rows (PdStore                 *store,
                                gint64                   import_id,
                                const PdPrivacyTargets  *refused,
                                GError                 **error)
{
  GPtrArray *emails = pd_privacy_targets_get_emails (refused);
  GPtrArray *phones = pd_privacy_targets_get_phones (refused);
  g_autoptr(GPtrArray) e = g_ptr_array_new ();
  g_autoptr(GPtrArray) p = g_ptr_array_new ();
  PdForgetRequest request = { .rewrite_file = pd_privacy_rewrite_file, .import_id = import_id };
  PdForgetResult result;

  for (guint i = 0; i < emails->len; i++)
    g_ptr_array_add (e, g_ptr_array_index (emails, i));
  for (guint i = 0; i < phones->len; i++)
    g_ptr_array_add (p, g_ptr_array_index (phones, i));
  g_ptr_array_add (e, NULL);
  g_ptr_array_add (p, NULL);
  request.emails = (const char * const *) e->pdata;
  request.phones = (const char * const *) p->pdata;
  return pd_store_forget (store, NULL, &request, &result, error);
}
