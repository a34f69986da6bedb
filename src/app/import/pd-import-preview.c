/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-import-format.h"
#include "pd-import-preview.h"
#include "pd-reader.h"

/* Counting stops after this long: the rest is extrapolated from the bytes
 * read, so that a big file shows its page at once. */
#define COUNT_BUDGET_USEC (300 * G_TIME_SPAN_MILLISECOND)

void
pd_import_preview_free (PdImportPreview *preview)
{
  if (preview == NULL)
    return;
  g_clear_object (&preview->file);
  g_free (preview->display_name);
  g_free (preview->sheet);
  g_clear_pointer (&preview->header, pd_row_free);
  g_clear_pointer (&preview->samples, g_ptr_array_unref);
  g_clear_object (&preview->mapping);
  g_clear_error (&preview->mapping_error);
  g_free (preview);
}

/**
 * pd_import_preview_load:
 * @sheets: (out) (optional) (transfer full): the sheet names when the
 *   workbook has several and @sheet is NULL
 *
 * Returns: (transfer full) (nullable): the preview, or NULL with @error
 */
PdImportPreview *
pd_import_preview_load (GFile          *file,
                        const char     *sheet,
                        guint           skip_rows,
                        gboolean        no_header,
                        guint64         max_size,
                        char         ***sheets,
                        GCancellable   *cancellable,
                        GError        **error)
{
  g_autoptr(PdImportPreview) preview = g_new0 (PdImportPreview, 1);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(PdReader) reader = NULL;
  g_autoptr(GPtrArray) content = NULL;   /* no_header: the rows the mapping reads */
  PdReaderOptions options = { .sheet = sheet };
  GError *local_error = NULL;
  gint64 start;
  guint rows = 0;
  gboolean at_end = FALSE;

  preview->file = g_object_ref (file);
  preview->sheet = g_strdup (sheet);
  preview->skip_rows = skip_rows;
  preview->no_header = no_header;
  preview->samples = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_row_free);

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME ","
                            G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return NULL;
  preview->display_name = g_strdup (g_file_info_get_display_name (info));
  preview->size = g_file_info_get_size (info);
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT,
                   _("“%s” is a folder. Choose a spreadsheet file inside it."),
                   preview->display_name);
      return NULL;
    }
  if (!pd_import_check_file_size (preview->display_name, preview->size, max_size, error))
    return NULL;

  reader = pd_reader_open (file, &options, cancellable, &local_error);
  if (reader == NULL)
    {
      if (sheets != NULL && g_error_matches (local_error, PD_ERROR, PD_ERROR_SHEET_CHOICE))
        *sheets = pd_reader_list_sheets (file, cancellable, NULL);
      g_propagate_error (error, local_error);
      return NULL;
    }

  /* The header: the first non-blank row below the skipped ones, as the
   * record source finds it. */
  for (;;)
    {
      g_autoptr(PdRow) row = pd_reader_next_row (reader, cancellable, error);

      if (row == NULL)
        {
          if (error == NULL || *error == NULL)
            g_set_error_literal (error, PD_ERROR, PD_ERROR_EMPTY,
                                 skip_rows > 0
                                 ? _("There is no header row below the skipped rows: nothing to import.")
                                 : _("The file is empty: there is no header row."));
          return NULL;
        }
      if (row->number > skip_rows && !pd_row_is_blank (row))
        {
          preview->header = g_steal_pointer (&row);
          break;
        }
    }

  if (no_header)
    {
      /* the row read as the header is the first customer */
      content = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_row_free);
      g_ptr_array_add (content, pd_row_copy (preview->header));
      g_ptr_array_add (preview->samples, pd_row_copy (preview->header));
      rows++;
    }
  else
    {
      preview->mapping = pd_mapping_new_from_row (preview->header);
      if (!pd_mapping_validate (preview->mapping, &preview->mapping_error))
        pd_mapping_explain_refusal (preview->header, &preview->mapping_error);
    }

  start = g_get_monotonic_time ();
  for (;;)
    {
      g_autoptr(PdRow) row = NULL;

      row = pd_reader_next_row (reader, cancellable, &local_error);
      if (row == NULL)
        {
          if (local_error == NULL)
            {
              at_end = TRUE;
              break;
            }
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, local_error);
              return NULL;
            }
          /* A damaged row further down is the analysis's business. */
          g_clear_error (&local_error);
          continue;
        }
      if (pd_row_is_blank (row) && row->error == NULL)
        continue;
      rows++;
      if (content != NULL && content->len < PD_MAPPING_CONTENT_ROWS)
        g_ptr_array_add (content, pd_row_copy (row));
      if (preview->samples->len < PD_IMPORT_PREVIEW_SAMPLES)
        g_ptr_array_add (preview->samples, g_steal_pointer (&row));
      if ((rows & 255) == 0 && g_get_monotonic_time () - start > COUNT_BUDGET_USEC)
        break;
    }

  if (no_header)
    {
      g_autoptr(GPtrArray) empty = g_ptr_array_new ();
      guint number = preview->header->number;

      /* as wide as the widest of the rows the mapping reads, numbered just
       * above the first customer: PdRecordSource's header for the file */
      preview->mapping = pd_mapping_new_from_content ((PdRow * const *) content->pdata, content->len);
      for (guint i = 0; i < pd_mapping_get_n_columns (preview->mapping); i++)
        g_ptr_array_add (empty, "");
      g_clear_pointer (&preview->header, pd_row_free);
      preview->header = pd_row_new (number - 1, (const char * const *) empty->pdata, empty->len);
      pd_mapping_validate (preview->mapping, &preview->mapping_error);
    }

  preview->exact = at_end;
  preview->estimated_rows = pd_import_estimate_rows (rows, pd_reader_get_position (reader),
                                                     pd_reader_get_size (reader), at_end);
  return g_steal_pointer (&preview);
}

typedef struct {
  GFile   *file;
  char    *sheet;
  guint    skip_rows;
  gboolean no_header;
  guint64  max_size;
  char   **sheets;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->file);
  g_free (data->sheet);
  g_strfreev (data->sheets);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  GError *error = NULL;
  PdImportPreview *preview;

  preview = pd_import_preview_load (data->file, data->sheet, data->skip_rows, data->no_header,
                                    data->max_size,
                                    &data->sheets, cancellable, &error);
  if (preview == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, preview, (GDestroyNotify) pd_import_preview_free);
}

void
pd_import_preview_load_async (GFile               *file,
                              const char          *sheet,
                              guint                skip_rows,
                              gboolean             no_header,
                              guint64              max_size,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  LoadData *data = g_new0 (LoadData, 1);

  data->file = g_object_ref (file);
  data->sheet = g_strdup (sheet);
  data->skip_rows = skip_rows;
  data->no_header = no_header;
  data->max_size = max_size;
  g_task_set_source_tag (task, pd_import_preview_load_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

PdImportPreview *
pd_import_preview_load_finish (GAsyncResult  *result,
                               char        ***sheets,
                               GError       **error)
{
  LoadData *data = g_task_get_task_data (G_TASK (result));

  if (sheets != NULL)
    *sheets = g_steal_pointer (&data->sheets);
  return g_task_propagate_pointer (G_TASK (result), error);
}
