/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-import-analyze-page.h"
#include "pd-import-failed-row.h"

struct _PdImportFailedRow
{
  AdwExpanderRow       parent_instance;

  guint                row;
  PdAnalysis          *analysis;  /* keeps failed alive */
  const PdAnalysisRow *failed;    /* nullable: then nothing to correct */
  GPtrArray           *entries;   /* AdwEntryRow, one per column, once opened */

  GtkWidget           *check_box;
};

G_DEFINE_FINAL_TYPE (PdImportFailedRow, pd_import_failed_row, ADW_TYPE_EXPANDER_ROW)

/* Also called from the thread that reads the dry run's results. */
const PdAnalysisRow *
pd_import_failed_row_find (PdAnalysis *analysis,
                           guint       number)
{
  GPtrArray *rows = analysis ? pd_analysis_get_failed_rows (analysis) : NULL;
  guint lo = 0, hi = rows != NULL ? rows->len : 0;

  /* The analysis lists failed rows in file order, so by increasing row
   * number: a binary search, as this runs once per dry-run result (a
   * linear scan made a million-row Analyze step take minutes). */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const PdAnalysisRow *row = g_ptr_array_index (rows, mid);

      if (row->row == number)
        return row;
      if (row->row < number)
        lo = mid + 1;
      else
        hi = mid;
    }
  return NULL;
}

/* The cells the reasons are about get the error style, and the first of
 * them the focus.  A reason names its column as “Header” (the
 * normalizer's messages, pd-normalizer.c): matched on the quoted header,
 * as the reasons reach the app as text. */
static GtkWidget *
mark_failing_cells (PdImportFailedRow *self,
                    char             **reasons)
{
  GtkWidget *first = NULL;

  for (guint c = 0; self->entries != NULL && c < self->entries->len; c++)
    {
      GtkWidget *entry = g_ptr_array_index (self->entries, c);
      g_autofree char *quoted = g_strdup_printf ("“%s”",
                                                 adw_preferences_row_get_title (ADW_PREFERENCES_ROW (entry)));
      gboolean failing = FALSE;

      for (guint i = 0; reasons != NULL && reasons[i] != NULL && !failing; i++)
        failing = strstr (reasons[i], quoted) != NULL;
      if (failing)
        {
          gtk_widget_add_css_class (entry, "error");
          if (first == NULL)
            first = entry;
        }
      else
        gtk_widget_remove_css_class (entry, "error");
    }
  return first;
}

/* The page keeps the corrections and re-validates them: every cell goes
 * through it, and the last answer is the row's. */
static void
on_check_clicked (PdImportFailedRow *self,
                  GtkButton         *button)
{
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (self), PD_TYPE_IMPORT_ANALYZE_PAGE);
  g_auto(GStrv) reasons = NULL;
  gboolean valid = FALSE;

  if (page == NULL || self->entries == NULL)
    return;
  for (guint c = 0; c < self->entries->len; c++)
    {
      g_auto(GStrv) r = NULL;

      g_strfreev (reasons);
      valid = pd_import_analyze_page_correct_cell (PD_IMPORT_ANALYZE_PAGE (page), self->row, c,
                                                   gtk_editable_get_text (g_ptr_array_index (self->entries, c)),
                                                   &r);
      reasons = g_steal_pointer (&r);
    }

  if (valid)
    {
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), _("Corrected: this row is valid now"));
      gtk_widget_add_css_class (GTK_WIDGET (self), "pd-fixed");
    }
  else
    {
      g_autofree char *text = reasons ? g_strjoinv ("\n", reasons) : g_strdup ("");

      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), text);
      gtk_widget_remove_css_class (GTK_WIDGET (self), "pd-fixed");
    }
  mark_failing_cells (self, valid ? NULL : reasons);
}

/* The editors are built when the row is first opened: a hundred failed
 * rows of a wide file would otherwise cost thousands of entries. */
static void
on_expanded (PdImportFailedRow *self,
             GParamSpec        *pspec,
             gpointer           user_data)
{
  PdMapping *mapping;
  GtkWidget *first;

  if (!adw_expander_row_get_expanded (ADW_EXPANDER_ROW (self)) || self->entries != NULL)
    return;
  self->entries = g_ptr_array_new ();
  if (self->failed == NULL || self->failed->source == NULL)
    return;

  mapping = pd_analysis_get_mapping (self->analysis);

  for (guint c = 0; c < pd_mapping_get_n_columns (mapping); c++)
    {
      GtkWidget *entry = adw_entry_row_new ();
      g_autofree char *title = pd_mapping_dup_column_name (mapping, c);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (entry), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), title);
      gtk_editable_set_text (GTK_EDITABLE (entry), pd_row_get_cell (self->failed->source, c));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self), entry);
      g_ptr_array_add (self->entries, entry);
    }
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), self->check_box);

  /* Straight to what needs correcting. */
  first = mark_failing_cells (self, self->failed->reasons);
  if (first != NULL)
    gtk_widget_grab_focus (first);
}

/* (transfer none) (nullable): the editor of @column, once opened */
GtkWidget *
pd_import_failed_row_get_cell (PdImportFailedRow *self,
                               guint              column)
{
  g_return_val_if_fail (PD_IS_IMPORT_FAILED_ROW (self), NULL);

  if (self->entries == NULL || column >= self->entries->len)
    return NULL;
  return g_ptr_array_index (self->entries, column);
}

GtkWidget *
pd_import_failed_row_new (guint                row,
                          PdAnalysis          *analysis,
                          const PdAnalysisRow *failed,
                          const char          *title,
                          const char          *subtitle)
{
  PdImportFailedRow *self;

  g_return_val_if_fail (failed == NULL || PD_IS_ANALYSIS (analysis), NULL);

  self = g_object_new (PD_TYPE_IMPORT_FAILED_ROW,
                       "title", title,
                       "subtitle", subtitle,
                       NULL);
  self->row = row;
  if (failed != NULL)
    self->analysis = g_object_ref (analysis);
  self->failed = failed;
  return GTK_WIDGET (self);
}

guint
pd_import_failed_row_get_row (PdImportFailedRow *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_FAILED_ROW (self), 0);
  return self->row;
}

static void
pd_import_failed_row_finalize (GObject *object)
{
  PdImportFailedRow *self = PD_IMPORT_FAILED_ROW (object);

  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_object (&self->analysis);
  G_OBJECT_CLASS (pd_import_failed_row_parent_class)->finalize (object);
}

static void
pd_import_failed_row_class_init (PdImportFailedRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = pd_import_failed_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/import/pd-import-failed-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PdImportFailedRow, check_box);
  gtk_widget_class_bind_template_callback (widget_class, on_check_clicked);
}

static void
pd_import_failed_row_init (PdImportFailedRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "notify::expanded", G_CALLBACK (on_expanded), NULL);
}
