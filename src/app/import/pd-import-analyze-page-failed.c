/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Analyze step's failed rows: paged, opened, corrected in place and
 * exported.  Split from pd-import-analyze-page.c, whose struct it shares
 * through pd-import-analyze-page-private.h. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-import-analyze-page-private.h"
#include "pd-import-failed-row.h"
#include "pd-import-format.h"
#include "pd-import-row-queue.h"
#include "pd-normalizer.h"

static const PdAnalysisRow *
find_failed_row (PdImportAnalyzePage *self,
                 guint                number)
{
  return pd_import_failed_row_find (self->analysis, number);
}

gboolean
pd_import_analyze_page_correct_cell (PdImportAnalyzePage   *self,
                                     guint                  number,
                                     guint                  column,
                                     const char            *text,
                                     char                ***reasons)
{
  const PdAnalysisRow *failed = find_failed_row (self, number);
  PdRow *row;
  g_autoptr(PdRecord) record = NULL;
  gboolean valid;

  g_return_val_if_fail (PD_IS_IMPORT_ANALYZE_PAGE (self), FALSE);
  if (failed == NULL || failed->source == NULL || self->normalizer == NULL)
    return FALSE;

  row = g_hash_table_lookup (self->corrections, GUINT_TO_POINTER (number));
  if (row == NULL)
    {
      /* Corrections may widen a short row to the header's width. */
      guint n = MAX (failed->source->n_cells,
                     pd_mapping_get_n_columns (pd_analysis_get_mapping (self->analysis)));
      g_autofree const char **cells = g_new0 (const char *, n + 1);

      for (guint c = 0; c < n; c++)
        cells[c] = pd_row_get_cell (failed->source, c);
      row = pd_row_new (number, cells, n);
      g_hash_table_insert (self->corrections, GUINT_TO_POINTER (number), row);
    }
  if (column < row->n_cells)
    {
      g_autofree const char **cells = g_new0 (const char *, row->n_cells + 1);
      PdRow *copy;

      for (guint c = 0; c < row->n_cells; c++)
        cells[c] = c == column ? text : row->cells[c];
      copy = pd_row_new (number, cells, row->n_cells);
      g_hash_table_insert (self->corrections, GUINT_TO_POINTER (number), copy);
      row = copy;
    }

  record = pd_normalizer_normalize (self->normalizer, row);
  valid = pd_record_is_valid (record);
  if (valid)
    g_hash_table_add (self->fixed, GUINT_TO_POINTER (number));
  else
    g_hash_table_remove (self->fixed, GUINT_TO_POINTER (number));
  if (reasons != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      for (guint i = 0; i < record->errors->len; i++)
        g_strv_builder_add (builder, g_ptr_array_index (record->errors, i));
      *reasons = g_strv_builder_end (builder);
    }
  _pd_import_analyze_page_update_counts (self);
  return valid;
}

/* Failed rows are shown a page at a time (a widget per row costs), and
 * every page can be reached: each row can be corrected in place. */
static void
update_pager (PdImportAnalyzePage *self)
{
  guint n = pd_analysis_get_failed_rows (self->analysis)->len;
  guint last = MIN (n, self->failed_first + PD_IMPORT_MAX_SHOWN_ROWS);
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->pager_box, n > PD_IMPORT_MAX_SHOWN_ROWS);
  /* Translators: the failed rows shown, e.g. "Rows 101–200 of 723" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Failed rows %'u–%'u of %'u",
                                       "Failed rows %'u–%'u of %'u", n),
                          self->failed_first + 1, last, n);
  gtk_label_set_label (self->pager_label, text);
  gtk_widget_set_sensitive (self->previous_page_button, self->failed_first > 0);
  gtk_widget_set_sensitive (self->next_page_button, last < n);
}

static void
show_failed_page (PdImportAnalyzePage *self,
                  guint                first)
{
  self->failed_first = first;
  pd_import_row_queue_show_failed_page (self->rows, first);
  update_pager (self);
}

static void
on_previous_page_clicked (PdImportAnalyzePage *self)
{
  if (self->analysis != NULL && self->failed_first > 0)
    show_failed_page (self, self->failed_first - MIN (self->failed_first, PD_IMPORT_MAX_SHOWN_ROWS));
}

static void
on_next_page_clicked (PdImportAnalyzePage *self)
{
  if (self->analysis != NULL
      && self->failed_first + PD_IMPORT_MAX_SHOWN_ROWS < pd_analysis_get_failed_rows (self->analysis)->len)
    show_failed_page (self, self->failed_first + PD_IMPORT_MAX_SHOWN_ROWS);
}

void
_pd_import_analyze_page_show_failed_rows (PdImportAnalyzePage *self)
{
  GPtrArray *rows = pd_analysis_get_failed_rows (self->analysis);

  self->failed_first = 0;
  pd_import_row_queue_show_failed (self->rows, self->analysis);
  gtk_widget_set_visible (self->failed_group, rows->len > 0);
  update_pager (self);
}

static void
on_export_response (PdImportAnalyzePage  *self,
                    int                   response,
                    GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT && self->analysis != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *text = pd_import_failed_rows_to_csv (self->analysis, self->corrections);
      g_autoptr(GError) error = NULL;

      if (file != NULL &&
          !g_file_replace_contents (file, text, strlen (text), NULL, FALSE,
                                    G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, &error))
        {
          gtk_label_set_label (self->error_label, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
        }
    }
  g_clear_object (&self->chooser);
}

static void
on_export_clicked (PdImportAnalyzePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *name = NULL;

  if (self->analysis == NULL)
    return;
  name = g_strdup_printf (_("%s — failed rows.csv"), pd_analysis_get_display_name (self->analysis));
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Export Failed Rows"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

gboolean
pd_import_analyze_page_open_row (PdImportAnalyzePage *self,
                                 guint                row)
{
  GtkWidget *expander = pd_import_row_queue_build_until (self->rows, row);

  /* On another page: that page, then the row. */
  if (expander == NULL && self->analysis != NULL)
    {
      GPtrArray *rows = pd_analysis_get_failed_rows (self->analysis);
      guint lo = 0, hi = rows->len;

      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;

          if (((const PdAnalysisRow *) g_ptr_array_index (rows, mid))->row < row)
            lo = mid + 1;
          else
            hi = mid;
        }
      if (lo < rows->len && ((const PdAnalysisRow *) g_ptr_array_index (rows, lo))->row == row)
        {
          show_failed_page (self, lo - lo % PD_IMPORT_MAX_SHOWN_ROWS);
          expander = pd_import_row_queue_build_until (self->rows, row);
        }
    }
  if (expander == NULL)
    return FALSE;
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
  return TRUE;
}

/* (transfer none) (nullable): failed row @row if on the page shown */
PdImportFailedRow *
pd_import_analyze_page_get_failed_row (PdImportAnalyzePage *self,
                                       guint                row)
{
  GtkWidget *widget;

  g_return_val_if_fail (PD_IS_IMPORT_ANALYZE_PAGE (self), NULL);

  widget = pd_import_row_queue_build_until (self->rows, row);
  return widget != NULL ? PD_IMPORT_FAILED_ROW (widget) : NULL;
}

void
_pd_import_analyze_page_class_add_failed_callbacks (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_previous_page_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_next_page_clicked);
}
