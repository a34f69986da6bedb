/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-import-file-page.h"
#include "pd-import-format.h"
#include "pd-import-headers-window.h"
#include "pd-reader.h"
#include "pd-template.h"

struct _PdImportFilePage
{
  AdwBin            parent_instance;

  GCancellable     *cancellable;
  PdImportPreview  *preview;
  GFile            *pending_file;   /* the workbook whose sheet is being picked */
  guint64           max_size;
  char             *error_text;
  GtkFileChooserNative *chooser;

  /* template children */
  GtkWidget        *drop_area;
  GtkWidget        *choose_button;
  GtkWidget        *loading_box;
  GtkSpinner       *spinner;
  GtkLabel         *loading_label;
  GtkWidget        *error_box;
  GtkLabel         *error_label;
  GtkLabel         *hint_label;
  GtkWidget        *sheet_group;
  GtkListBox       *sheet_list;
  GtkWidget        *no_header_box;
  GtkCheckButton   *no_header_check;
};

G_DEFINE_FINAL_TYPE (PdImportFilePage, pd_import_file_page, ADW_TYPE_BIN)

enum {
  PREVIEW_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_loading (PdImportFilePage *self,
             const char       *display_name)
{
  gtk_widget_set_visible (self->loading_box, display_name != NULL);
  gtk_spinner_set_spinning (self->spinner, display_name != NULL);
  if (display_name != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Reading “%s”…"), display_name);

      gtk_label_set_label (self->loading_label, text);
    }
}

static void
show_refusal (PdImportFilePage *self,
              const char       *text,
              const char       *hint)
{
  g_free (self->error_text);
  self->error_text = g_strdup (text);
  gtk_label_set_label (self->error_label, text ? text : "");
  gtk_label_set_label (self->hint_label, hint ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), hint != NULL);
  gtk_widget_set_visible (self->error_box, text != NULL);
}

static void
clear_sheets (PdImportFilePage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sheet_list))) != NULL)
    gtk_list_box_remove (self->sheet_list, child);
  gtk_widget_set_visible (self->sheet_group, FALSE);
}

static void
show_sheets (PdImportFilePage *self,
             char            **sheets)
{
  clear_sheets (self);
  for (guint i = 0; sheets != NULL && sheets[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sheets[i]);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_object_set_data_full (G_OBJECT (row), "sheet", g_strdup (sheets[i]), g_free);
      gtk_list_box_append (self->sheet_list, row);
    }
  gtk_widget_set_visible (self->sheet_group, sheets != NULL && sheets[0] != NULL);
}

static void
on_preview_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PdImportFilePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) sheets = NULL;
  PdImportPreview *preview;

  preview = pd_import_preview_load_finish (result, &sheets, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_loading (self, NULL);
  if (preview == NULL)
    {
      g_autofree char *hint = pd_import_describe_refusal (error);

      show_refusal (self, error->message, hint);
      if (g_error_matches (error, PD_ERROR, PD_ERROR_SHEET_CHOICE) && sheets != NULL)
        show_sheets (self, sheets);
      else
        g_clear_object (&self->pending_file);
      return;
    }

  g_clear_object (&self->pending_file);
  clear_sheets (self);
  g_clear_pointer (&self->preview, pd_import_preview_free);
  self->preview = preview;

  /* A first row that is a customer is said, and the user may say so:
   * the file is read again with every row a customer. */
  g_signal_handlers_block_matched (self->no_header_check, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_check_button_set_active (self->no_header_check, preview->no_header);
  g_signal_handlers_unblock_matched (self->no_header_check, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_widget_set_visible (self->no_header_box,
                          preview->no_header ||
                          g_error_matches (preview->mapping_error, PD_ERROR, PD_ERROR_NO_HEADER));

  /* No identifier column is said here, but does not stop the user: the
   * next step lets them pick the column by hand. */
  if (preview->mapping_error != NULL)
    {
      g_autofree char *hint = pd_import_describe_refusal (preview->mapping_error);

      show_refusal (self, preview->mapping_error->message, hint);
    }
  else
    show_refusal (self, NULL, NULL);

  g_signal_emit (self, signals[PREVIEW_CHANGED], 0);
}

static void open_file (PdImportFilePage *self, GFile *file, const char *sheet, gboolean no_header);

void
pd_import_file_page_open_file (PdImportFilePage *self,
                               GFile            *file,
                               const char       *sheet)
{
  g_return_if_fail (PD_IS_IMPORT_FILE_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  gtk_widget_set_visible (self->no_header_box, FALSE);
  open_file (self, file, sheet, FALSE);
}

static void
on_no_header_toggled (PdImportFilePage *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *sheet = NULL;

  if (self->preview == NULL)
    return;
  file = g_object_ref (self->preview->file);
  sheet = g_strdup (self->preview->sheet);
  open_file (self, file, sheet, gtk_check_button_get_active (self->no_header_check));
}

static void
open_file (PdImportFilePage *self,
           GFile            *file,
           const char       *sheet,
           gboolean          no_header)
{
  g_autofree char *name = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->pending_file != file)
    g_set_object (&self->pending_file, file);
  /* The previous file is no longer the one to import, even if this one
   * is refused. */
  if (self->preview != NULL)
    {
      g_clear_pointer (&self->preview, pd_import_preview_free);
      g_signal_emit (self, signals[PREVIEW_CHANGED], 0);
    }
  show_refusal (self, NULL, NULL);
  if (sheet == NULL)
    clear_sheets (self);

  name = g_file_get_basename (file);
  if (!pd_import_is_accepted_name (name))
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *hint = NULL;
      g_autofree char *accepted = g_strjoinv (", .", (char **) pd_reader_get_accepted_extensions ());

      error = g_error_new (PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT,
                           _("“%s” is not a spreadsheet the app can read. It reads .%s files."),
                           name, accepted);
      hint = pd_import_describe_refusal (error);
      show_refusal (self, error->message, hint);
      return;
    }

  set_loading (self, name);
  pd_import_preview_load_async (file, sheet, 0, no_header, self->max_size, self->cancellable,
                                on_preview_loaded, g_object_ref (self));
}

static void
on_sheet_row_activated (PdImportFilePage *self,
                        GtkListBoxRow    *row,
                        GtkListBox       *list)
{
  const char *sheet = g_object_get_data (G_OBJECT (row), "sheet");

  if (self->pending_file != NULL && sheet != NULL)
    {
      g_autoptr(GFile) file = g_object_ref (self->pending_file);

      pd_import_file_page_open_file (self, file, sheet);
    }
}

static void
on_chooser_response (PdImportFilePage     *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        pd_import_file_page_open_file (self, file, NULL);
    }
  g_clear_object (&self->chooser);
}

static GtkWindow *
get_window (PdImportFilePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
on_choose_clicked (PdImportFilePage *self)
{
  GtkFileFilter *filter;
  const char * const *extensions = pd_reader_get_accepted_extensions ();

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Choose a Spreadsheet"), get_window (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Spreadsheets"));
  for (guint i = 0; extensions[i] != NULL; i++)
    {
      g_autofree char *pattern = g_strdup_printf ("*.%s", extensions[i]);
      g_autofree char *upper = g_ascii_strup (pattern, -1);

      gtk_file_filter_add_pattern (filter, pattern);
      gtk_file_filter_add_pattern (filter, upper);
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_object_unref (filter);

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("All Files"));
  gtk_file_filter_add_pattern (filter, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_object_unref (filter);

  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_headers_clicked (PdImportFilePage *self)
{
  PdImportHeadersWindow *window = pd_import_headers_window_new (get_window (self));

  gtk_window_present (GTK_WINDOW (window));
}

gboolean
pd_import_file_page_save_template (GFile   *file,
                                   GError **error)
{
  g_autofree char *text = pd_template_build_csv ();

  return g_file_replace_contents (file, text, strlen (text), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
}

static void
on_template_response (PdImportFilePage     *self,
                      int                   response,
                      GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      if (file != NULL && !pd_import_file_page_save_template (file, &error))
        show_refusal (self, error->message, NULL);
    }
  g_clear_object (&self->chooser);
}

static void
on_template_clicked (PdImportFilePage *self)
{
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Save Template"), get_window (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser),
                                     _("persona-desk-template.csv"));
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (on_template_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static gboolean
on_drop (GtkDropTarget    *target,
         const GValue     *value,
         double            x,
         double            y,
         PdImportFilePage *self)
{
  GFile *file = NULL;

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = gdk_file_list_get_files (g_value_get_boxed (value));

      if (files != NULL && files->next != NULL)
        {
          show_refusal (self, _("Several files were dropped."),
                        _("Drop one file at a time: each file is one import."));
          g_slist_free (files);
          return FALSE;
        }
      file = files ? files->data : NULL;
      g_slist_free (files);
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    file = g_value_get_object (value);

  if (file == NULL)
    return FALSE;
  pd_import_file_page_open_file (self, file, NULL);
  return TRUE;
}

PdImportPreview *
pd_import_file_page_get_preview (PdImportFilePage *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_FILE_PAGE (self), NULL);
  return self->preview;
}

void
pd_import_file_page_set_max_size (PdImportFilePage *self,
                                  guint64           max_size)
{
  g_return_if_fail (PD_IS_IMPORT_FILE_PAGE (self));
  self->max_size = max_size;
}

const char *
pd_import_file_page_get_error_text (PdImportFilePage *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_FILE_PAGE (self), NULL);
  return self->error_text;
}

guint
pd_import_file_page_get_n_sheets (PdImportFilePage *self)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->sheet_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

void
pd_import_file_page_choose_sheet (PdImportFilePage *self,
                                  const char       *sheet)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->sheet_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (child), "sheet"), sheet) == 0)
      {
        /* As a click or Enter on the row does. */
        g_signal_emit_by_name (self->sheet_list, "row-activated", child);
        return;
      }
}

gboolean
pd_import_file_page_is_loading (PdImportFilePage *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_FILE_PAGE (self), FALSE);
  return gtk_widget_get_visible (self->loading_box);
}

static void
pd_import_file_page_dispose (GObject *object)
{
  PdImportFilePage *self = PD_IMPORT_FILE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  G_OBJECT_CLASS (pd_import_file_page_parent_class)->dispose (object);
}

static void
pd_import_file_page_finalize (GObject *object)
{
  PdImportFilePage *self = PD_IMPORT_FILE_PAGE (object);

  g_clear_pointer (&self->preview, pd_import_preview_free);
  g_clear_object (&self->pending_file);
  g_free (self->error_text);
  G_OBJECT_CLASS (pd_import_file_page_parent_class)->finalize (object);
}

static void
pd_import_file_page_class_init (PdImportFilePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_import_file_page_dispose;
  object_class->finalize = pd_import_file_page_finalize;

  signals[PREVIEW_CHANGED] =
    g_signal_new ("preview-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/import/pd-import-file-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdImportFilePage, drop_area);
  gtk_widget_class_bind_template_child (widget_class, PdImportFilePage, choose_button);
  gtk_widget_class_bind_template_child (widget_class, PdImportFilePage, loading_box);
  gtk_widget_class_bind_template_child (widget_class, PdImportFilePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, PdImportFilePage, loading_label);
  gtk_widget_class_bind_template_child (widget_class, PdImportFilePage, error_box);
  gtk_widget_class_bind_template_child (widget_class, PdImportFilePage, error_label);
  gtk_widget_class_bind_template_child (widget_class, PdImportFilePage, hint_label);
  gtk_widget_class_bind_template_child (widget_class, PdImportFilePage, sheet_group);
  gtk_widget_class_bind_template_child (widget_class, PdImportFilePage, sheet_list);
  gtk_widget_class_bind_template_child (widget_class, PdImportFilePage, no_header_box);
  gtk_widget_class_bind_template_child (widget_class, PdImportFilePage, no_header_check);
  gtk_widget_class_bind_template_callback (widget_class, on_no_header_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_headers_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_template_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_sheet_row_activated);
}

static void
pd_import_file_page_init (PdImportFilePage *self)
{
  GtkDropTarget *target;
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };

  self->max_size = PD_IMPORT_MAX_FILE_SIZE;
  gtk_widget_init_template (GTK_WIDGET (self));

  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

/* The user's answer to "the first row is a customer", as a click gives it
 * (for tests and the assistant's keyboard path). */
void
pd_import_file_page_set_no_header (PdImportFilePage *self,
                                   gboolean          no_header)
{
  g_return_if_fail (PD_IS_IMPORT_FILE_PAGE (self));
  gtk_check_button_set_active (self->no_header_check, no_header);
}

gboolean
pd_import_file_page_get_no_header_offered (PdImportFilePage *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_FILE_PAGE (self), FALSE);
  return gtk_widget_get_visible (self->no_header_box);
}
