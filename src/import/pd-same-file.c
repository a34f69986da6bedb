/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-reader.h"
#include "pd-same-file.h"

static const char * const choice_names[] = { "refuse", "skip-points", "import-anyway" };

gboolean
pd_same_file_from_string (const char *text,
                          PdSameFile *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (choice_names); i++)
    if (g_strcmp0 (text, choice_names[i]) == 0)
      {
        *out = (PdSameFile) i;
        return TRUE;
      }
  return FALSE;
}

const char *
pd_same_file_to_string (PdSameFile choice)
{
  if ((guint) choice >= G_N_ELEMENTS (choice_names))
    return choice_names[0];
  return choice_names[choice];
}

char *
pd_file_compute_sha256 (GFile         *file,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = NULL;
  gssize n;

  /* A FIFO would block this open() forever: refuse what no reader reads */
  if (!pd_reader_check_source (file, cancellable, error))
    return NULL;
  in = g_file_read (file, cancellable, error);
  if (in == NULL)
    return NULL;
  buffer = g_malloc (1 << 20);
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, 1 << 20, cancellable, error)) > 0)
    g_checksum_update (checksum, buffer, n);
  if (n < 0)
    return NULL;
  return g_strdup (g_checksum_get_string (checksum));
}

PdImportInfo *
pd_import_find_earlier (PdStore       *store,
                        GFile         *file,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autofree char *sha256 = pd_file_compute_sha256 (file, cancellable, error);

  if (sha256 == NULL)
    return NULL;
  return pd_store_find_import_by_sha256 (store, sha256, error);
}

char *
pd_import_earlier_describe (const PdImportInfo *earlier)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (earlier->started);
  /* TRANSLATORS: a date and time in the locale's format */
  g_autofree char *when = g_date_time_format (local, "%x %X");

  return g_strdup_printf (_("This file was already imported on %s as “%s” (import %" PRId64 "): "
                            "importing it again adds its points again"),
                          when, earlier->name, earlier->id);
}

static gboolean
note_not_applied (const PdImportResultRecord *record,
                  gpointer                    user_data)
{
  if (g_strcmp0 (record->outcome, "failed") == 0 || g_strcmp0 (record->outcome, "ignored") == 0)
    g_hash_table_add (user_data, GUINT_TO_POINTER (record->row));
  return TRUE;
}

gboolean
pd_same_file_check (PdStore       *store,
                    GFile         *file,
                    PdSameFile     choice,
                    gboolean       dry_run,
                    PdImportInfo **earlier,
                    GHashTable   **rows_not_applied,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GHashTable) rows = NULL;

  *earlier = pd_import_find_earlier (store, file, cancellable, &local);
  *rows_not_applied = NULL;
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (*earlier == NULL)
    return TRUE;

  if (choice == PD_SAME_FILE_REFUSE && !dry_run)
    {
      g_autofree char *base = g_file_get_basename (file);
      g_autofree char *what = pd_import_earlier_describe (*earlier);

      g_set_error (error, PD_ERROR, PD_ERROR_SAME_FILE,
                   _("%s: %s. Choose whether to skip the points of rows already imported or to "
                     "import anyway"),
                   base, what);
      return FALSE;
    }
  if (choice == PD_SAME_FILE_SKIP_POINTS)
    {
      rows = g_hash_table_new (NULL, NULL);
      if (!pd_store_foreach_import_result (store, (*earlier)->id, note_not_applied, rows, error))
        return FALSE;
      *rows_not_applied = g_steal_pointer (&rows);
    }
  return TRUE;
}
