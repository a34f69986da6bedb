/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-import-map-page.h"

struct _PdImportMapPage
{
  AdwBin            parent_instance;

  PdStore          *store;
  PdImportPreview  *preview;     /* owned: the last one read */
  PdImportPreview  *borrowed;    /* the file page's, until re-read */
  PdMapping        *mapping;     /* the user's, a copy of the preview's */
  GCancellable     *cancellable;
  GPtrArray        *rows;        /* PdImportColumnRow, by column */
  char             *problem;
  char             *notice;
  gboolean          loading;
  gboolean          syncing;

  GtkLabel         *summary_label;
  GtkSpinButton    *skip_spin;
  GtkLabel         *notice_label;
  GtkLabel         *problem_label;
  GtkListBox       *columns_list;
};

G_DEFINE_FINAL_TYPE (PdImportMapPage, pd_import_map_page, ADW_TYPE_BIN)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static PdImportPreview *
current_preview (PdImportMapPage *self)
{
  return self->preview ? self->preview : self->borrowed;
}

static void
set_label (GtkLabel   *label,
           char      **store,
           const char *text)
{
  g_free (*store);
  *store = g_strdup (text);
  gtk_label_set_label (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}

guint
pd_import_map_page_get_n_mapped (PdImportMapPage *self)
{
  guint n = 0;

  if (self->mapping == NULL)
    return 0;
  for (guint i = 0; i < pd_mapping_get_n_columns (self->mapping); i++)
    if (pd_mapping_get_field (self->mapping, i) != PD_FIELD_NONE)
      n++;
  return n;
}

/* Marks every column that shares its field with another, on both rows,
 * and says what blocks Next.  Fields that hold several values (email,
 * phone, tags) take several columns: not a conflict. */
static void
check_mapping (PdImportMapPage *self)
{
  g_autoptr(GError) error = NULL;
  guint n_columns = self->mapping ? pd_mapping_get_n_columns (self->mapping) : 0;
  g_autofree char *summary = NULL;

  for (guint i = 0; i < n_columns && i < self->rows->len; i++)
    {
      g_autofree char *key = pd_mapping_dup_field_key (self->mapping, i);
      g_autoptr(GString) others = NULL;
      PdFieldId field = pd_mapping_get_field (self->mapping, i);

      if (field != PD_FIELD_NONE && field != PD_FIELD_ATTRIBUTE && pd_field_get_info (field)->multi)
        g_clear_pointer (&key, g_free);

      for (guint j = 0; key != NULL && j < n_columns; j++)
        {
          g_autofree char *other = NULL;

          if (j == i)
            continue;
          other = pd_mapping_dup_field_key (self->mapping, j);
          if (other == NULL || g_ascii_strcasecmp (key, other) != 0)
            continue;
          if (others == NULL)
            others = g_string_new (NULL);
          else
            g_string_append (others, ", ");
          g_string_append_printf (others, "“%s”", pd_mapping_get_header (self->mapping, j));
        }
      pd_import_column_row_set_conflict (g_ptr_array_index (self->rows, i),
                                         others ? others->str : NULL);
    }

  if (self->mapping != NULL && !pd_mapping_validate (self->mapping, &error))
    set_label (self->problem_label, &self->problem, error->message);
  else
    set_label (self->problem_label, &self->problem, NULL);

  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u of %u column will be imported.",
                                          "%u of %u columns will be imported.", n_columns),
                             pd_import_map_page_get_n_mapped (self), n_columns);
  gtk_label_set_label (self->summary_label, summary);
}

static void
on_row_changed (PdImportMapPage *self)
{
  check_mapping (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static char *
samples_text (PdImportPreview *preview,
              guint            column)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < preview->samples->len; i++)
    {
      const char *cell = pd_row_get_cell (g_ptr_array_index (preview->samples, i), column);

      if (*cell == '\0')
        continue;
      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append (text, cell);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* A mapping remembered for the same header row wins over auto-mapping. */
static PdMapping *
lookup_preset (PdImportMapPage *self,
               PdMapping       *automatic)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;
  PdMapping *preset;

  if (self->store == NULL)
    return NULL;
  json = pd_store_lookup_preset (self->store, pd_mapping_get_signature (automatic), &error);
  if (json == NULL)
    return NULL;
  node = json_from_string (json, NULL);
  if (node == NULL)
    return NULL;
  preset = pd_mapping_new_from_json (node, NULL);
  if (preset != NULL && pd_mapping_get_n_columns (preset) != pd_mapping_get_n_columns (automatic))
    g_clear_object (&preset);
  return preset;
}

static void
rebuild (PdImportMapPage *self)
{
  PdImportPreview *preview = current_preview (self);
  GtkWidget *child;
  PdMapping *preset;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->columns_list))) != NULL)
    gtk_list_box_remove (self->columns_list, child);
  g_ptr_array_set_size (self->rows, 0);
  g_clear_object (&self->mapping);
  set_label (self->notice_label, &self->notice, NULL);

  if (preview == NULL)
    return;

  preset = lookup_preset (self, preview->mapping);
  if (preset != NULL)
    {
      self->mapping = preset;
      set_label (self->notice_label, &self->notice,
                 _("These columns are mapped as in your last import of a file with the same "
                   "headers. Change any of them below."));
    }
  else
    self->mapping = pd_mapping_copy (preview->mapping);

  for (guint i = 0; i < pd_mapping_get_n_columns (self->mapping); i++)
    {
      g_autofree char *samples = samples_text (preview, i);
      PdImportColumnRow *row = pd_import_column_row_new (self->mapping, i, samples);

      g_signal_connect_swapped (row, "changed", G_CALLBACK (on_row_changed), self);
      g_ptr_array_add (self->rows, row);
      gtk_list_box_append (self->columns_list, GTK_WIDGET (row));
    }
  check_mapping (self);
}

static void
on_reloaded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PdImportMapPage) self = user_data;
  g_autoptr(GError) error = NULL;
  PdImportPreview *preview;

  preview = pd_import_preview_load_finish (result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading = FALSE;
  if (preview == NULL)
    {
      /* Keep the columns of the previous header, but block Next: the
       * user is likely halfway through typing a number. */
      set_label (self->problem_label, &self->problem, error->message);
      g_signal_emit (self, signals[CHANGED], 0);
      return;
    }

  g_clear_pointer (&self->preview, pd_import_preview_free);
  self->preview = preview;
  self->borrowed = NULL;
  rebuild (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
reload (PdImportMapPage *self)
{
  PdImportPreview *preview = current_preview (self);

  if (preview == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  g_signal_emit (self, signals[CHANGED], 0);
  /* The size was checked on the file step. */
  pd_import_preview_load_async (preview->file, preview->sheet,
                                (guint) gtk_spin_button_get_value_as_int (self->skip_spin),
                                preview->no_header, G_MAXUINT64, self->cancellable, on_reloaded, g_object_ref (self));
}

static void
on_skip_changed (PdImportMapPage *self)
{
  if (!self->syncing)
    reload (self);
}

void
pd_import_map_page_set_store (PdImportMapPage *self,
                              PdStore         *store)
{
  g_return_if_fail (PD_IS_IMPORT_MAP_PAGE (self));
  g_set_object (&self->store, store);
}

/**
 * pd_import_map_page_set_preview:
 * @preview: (transfer none): must live as long as the page shows it (the
 *   file page keeps it until another file is read)
 */
void
pd_import_map_page_set_preview (PdImportMapPage *self,
                                PdImportPreview *preview)
{
  g_return_if_fail (PD_IS_IMPORT_MAP_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  self->loading = FALSE;
  g_clear_pointer (&self->preview, pd_import_preview_free);
  self->borrowed = preview;
  self->syncing = TRUE;
  gtk_spin_button_set_value (self->skip_spin, preview ? preview->skip_rows : 0);
  self->syncing = FALSE;
  rebuild (self);
}

PdMapping *
pd_import_map_page_get_mapping (PdImportMapPage *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_MAP_PAGE (self), NULL);
  return self->mapping;
}

/* The Analyze step's answer about a date column, shown in its row. */
void
pd_import_map_page_set_date_format (PdImportMapPage *self,
                                    guint            column,
                                    const char      *format)
{
  g_return_if_fail (PD_IS_IMPORT_MAP_PAGE (self));

  if (column < self->rows->len)
    pd_import_column_row_set_date_format (g_ptr_array_index (self->rows, column), format);
  else if (self->mapping != NULL && column < pd_mapping_get_n_columns (self->mapping))
    pd_mapping_set_date_format (self->mapping, column, format);
}

guint
pd_import_map_page_get_skip_rows (PdImportMapPage *self)
{
  PdImportPreview *preview = current_preview (self);

  return preview ? preview->skip_rows : 0;
}

void
pd_import_map_page_set_skip_rows (PdImportMapPage *self,
                                  guint            skip_rows)
{
  gtk_spin_button_set_value (self->skip_spin, skip_rows);
}

guint64
pd_import_map_page_get_estimated_rows (PdImportMapPage *self,
                                       gboolean        *exact)
{
  PdImportPreview *preview = current_preview (self);

  if (exact != NULL)
    *exact = preview ? preview->exact : FALSE;
  return preview ? preview->estimated_rows : 0;
}

gboolean
pd_import_map_page_is_valid (PdImportMapPage *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_MAP_PAGE (self), FALSE);
  return self->mapping != NULL && !self->loading && self->problem == NULL;
}

gboolean
pd_import_map_page_is_loading (PdImportMapPage *self)
{
  return self->loading;
}

const char *
pd_import_map_page_get_problem (PdImportMapPage *self)
{
  return self->problem;
}

const char *
pd_import_map_page_get_notice (PdImportMapPage *self)
{
  return self->notice;
}

PdImportColumnRow *
pd_import_map_page_get_row (PdImportMapPage *self,
                            guint            column)
{
  g_return_val_if_fail (PD_IS_IMPORT_MAP_PAGE (self), NULL);
  return column < self->rows->len ? g_ptr_array_index (self->rows, column) : NULL;
}

static void
pd_import_map_page_dispose (GObject *object)
{
  PdImportMapPage *self = PD_IMPORT_MAP_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->rows != NULL)
    g_ptr_array_set_size (self->rows, 0);
  G_OBJECT_CLASS (pd_import_map_page_parent_class)->dispose (object);
}

static void
pd_import_map_page_finalize (GObject *object)
{
  PdImportMapPage *self = PD_IMPORT_MAP_PAGE (object);

  g_clear_object (&self->store);
  g_clear_object (&self->mapping);
  g_clear_pointer (&self->preview, pd_import_preview_free);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_free (self->problem);
  g_free (self->notice);
  G_OBJECT_CLASS (pd_import_map_page_parent_class)->finalize (object);
}

static void
pd_import_map_page_class_init (PdImportMapPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_import_map_page_dispose;
  object_class->finalize = pd_import_map_page_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/import/pd-import-map-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdImportMapPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, PdImportMapPage, skip_spin);
  gtk_widget_class_bind_template_child (widget_class, PdImportMapPage, notice_label);
  gtk_widget_class_bind_template_child (widget_class, PdImportMapPage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, PdImportMapPage, columns_list);
  gtk_widget_class_bind_template_callback (widget_class, on_skip_changed);
}

static void
pd_import_map_page_init (PdImportMapPage *self)
{
  /* Rows are owned by the list box; this only indexes them. */
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
