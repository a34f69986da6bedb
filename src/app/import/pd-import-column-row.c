/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-field.h"
#include "pd-import-column-row.h"

/* The dropdown's last item asks for a custom attribute's name. */
#define ASK_ATTRIBUTE "\001ask"

struct _PdImportColumnRow
{
  GtkListBoxRow  parent_instance;

  PdMapping     *mapping;
  guint          column;
  GPtrArray     *keys;        /* the dropdown's items: NULL, keys, ASK_ATTRIBUTE */
  gboolean       syncing;     /* widgets are being set from the mapping */
  gboolean       conflict;

  GtkImage      *status_icon;
  GtkLabel      *header_label;
  GtkLabel      *samples_label;
  GtkDropDown   *field_dropdown;
  GtkCheckButton *ignore_check;
  GtkWidget     *options_box;
  GtkWidget     *region_box;
  GtkEntry      *region_entry;
  GtkWidget     *date_box;
  GtkDropDown   *date_dropdown;
  GtkWidget     *tags_box;
  GtkEntry      *delimiter_entry;
  GtkLabel      *conflict_label;
};

G_DEFINE_FINAL_TYPE (PdImportColumnRow, pd_import_column_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const date_formats[] = { NULL, "MM/DD/YYYY", "DD/MM/YYYY", "YYYY-MM-DD" };

/* The raw choice: what the dropdown shows even while the column is ignored. */
static char *
dup_choice (PdImportColumnRow *self)
{
  gboolean ignored = pd_mapping_is_ignored (self->mapping, self->column);
  char *key;

  if (ignored)
    pd_mapping_set_ignored (self->mapping, self->column, FALSE);
  key = pd_mapping_dup_field_key (self->mapping, self->column);
  if (ignored)
    pd_mapping_set_ignored (self->mapping, self->column, TRUE);
  return key;
}

static int
find_key (PdImportColumnRow *self,
          const char        *key)
{
  for (guint i = 0; i < self->keys->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->keys, i), key) == 0)
      return i;
  return -1;
}

/* The model is rebuilt only when a custom attribute must be added to it:
 * replacing a dropdown's model re-selects, which would loop back here. */
static void
select_key (PdImportColumnRow *self,
            const char        *selected_key)
{
  int selected = find_key (self, selected_key);

  if (selected < 0)
    {
      g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

      g_ptr_array_set_size (self->keys, 0);
      gtk_string_list_append (model, _("Choose a field…"));
      g_ptr_array_add (self->keys, NULL);
      for (PdFieldId id = 0; id < (PdFieldId) pd_field_get_count (); id++)
        {
          const PdFieldInfo *info = pd_field_get_info (id);

          gtk_string_list_append (model, _(info->label));
          g_ptr_array_add (self->keys, g_strdup (info->key));
        }
      if (selected_key != NULL && pd_field_is_attribute_key (selected_key))
        {
          g_autofree char *label = g_strdup_printf (_("Custom: %s"),
                                                    selected_key + strlen (PD_ATTRIBUTE_PREFIX));

          gtk_string_list_append (model, label);
          g_ptr_array_add (self->keys, g_strdup (selected_key));
        }
      gtk_string_list_append (model, _("Custom attribute…"));
      g_ptr_array_add (self->keys, g_strdup (ASK_ATTRIBUTE));

      self->syncing = TRUE;
      gtk_drop_down_set_model (self->field_dropdown, G_LIST_MODEL (model));
      self->syncing = FALSE;
      selected = MAX (find_key (self, selected_key), 0);
    }

  if (gtk_drop_down_get_selected (self->field_dropdown) != (guint) selected)
    {
      self->syncing = TRUE;
      gtk_drop_down_set_selected (self->field_dropdown, selected);
      self->syncing = FALSE;
    }
}

static void
update_status (PdImportColumnRow *self)
{
  gboolean ignored = pd_mapping_is_ignored (self->mapping, self->column);
  PdFieldId field = pd_mapping_get_field (self->mapping, self->column);
  const PdFieldInfo *info = field >= 0 && field < PD_FIELD_N_BUILTIN ? pd_field_get_info (field) : NULL;
  const char *icon;
  const char *text;

  gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "dim-label");
  if (self->conflict)
    {
      icon = "dialog-error-symbolic";
      text = _("Needs a choice: another column has the same field");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "error");
    }
  else if (ignored)
    {
      icon = "action-unavailable-symbolic";
      text = _("Ignored: not imported");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "dim-label");
    }
  else if (field != PD_FIELD_NONE)
    {
      icon = "object-select-symbolic";
      text = pd_mapping_is_automatic (self->mapping, self->column)
             ? _("Mapped automatically") : _("Mapped");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "success");
    }
  else
    {
      icon = "window-close-symbolic";
      text = _("Needs a choice: not mapped, so not imported");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "error");
    }
  gtk_image_set_from_icon_name (self->status_icon, icon);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_icon), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);

  gtk_widget_set_sensitive (GTK_WIDGET (self->field_dropdown), !ignored);
  gtk_widget_set_visible (self->region_box, !ignored && info && info->type == PD_FIELD_TYPE_PHONE);
  gtk_widget_set_visible (self->date_box, !ignored && info && info->type == PD_FIELD_TYPE_DATE);
  gtk_widget_set_visible (self->tags_box, !ignored && info && info->type == PD_FIELD_TYPE_TAGS);
  gtk_widget_set_visible (self->options_box,
                          gtk_widget_get_visible (self->region_box)
                          || gtk_widget_get_visible (self->date_box)
                          || gtk_widget_get_visible (self->tags_box));
}

static void
sync_from_mapping (PdImportColumnRow *self)
{
  g_autofree char *key = dup_choice (self);
  const char *region = pd_mapping_get_region (self->mapping, self->column);
  const char *format = pd_mapping_get_date_format (self->mapping, self->column);
  const char *delimiter = pd_mapping_get_tag_delimiter (self->mapping, self->column);
  guint date_index = 0;

  select_key (self, key);
  self->syncing = TRUE;
  gtk_check_button_set_active (self->ignore_check, pd_mapping_is_ignored (self->mapping, self->column));
  gtk_editable_set_text (GTK_EDITABLE (self->region_entry), region ? region : "");
  gtk_editable_set_text (GTK_EDITABLE (self->delimiter_entry), delimiter ? delimiter : "");
  for (guint i = 1; i < G_N_ELEMENTS (date_formats); i++)
    if (format != NULL && g_ascii_strcasecmp (format, date_formats[i]) == 0)
      date_index = i;
  gtk_drop_down_set_selected (self->date_dropdown, date_index);
  self->syncing = FALSE;
  update_status (self);
}

static void
emit_changed (PdImportColumnRow *self)
{
  update_status (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
set_field (PdImportColumnRow *self,
           const char        *key)
{
  g_autoptr(GError) error = NULL;

  if (!pd_mapping_set_field (self->mapping, self->column, key, &error))
    g_warning ("%s", error->message);  /* keys come from the catalogue: cannot happen */
  sync_from_mapping (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_attribute_response (AdwMessageDialog  *dialog,
                       const char        *response,
                       PdImportColumnRow *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (g_strcmp0 (response, "add") == 0 && *name != '\0')
    {
      g_autofree char *key = g_strconcat (PD_ATTRIBUTE_PREFIX, name, NULL);

      set_field (self, key);
    }
  else
    sync_from_mapping (self);  /* back to the previous choice */
  g_object_unref (self);
}

static void
on_attribute_entry_changed (GtkEditable      *entry,
                            AdwMessageDialog *dialog)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "add", *name != '\0');
}

static void
ask_attribute_name (PdImportColumnRow *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  const char *header = pd_mapping_get_header (self->mapping, self->column);
  g_autofree char *body = g_strdup_printf (_("Column “%s” will be kept on each persona under this "
                                             "name, as text."), header);
  GtkWidget *dialog;
  GtkWidget *entry;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Custom Attribute"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "add", _("_Use Name"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "add",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "add");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  entry = gtk_entry_new ();
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (entry), header);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Attribute name"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  g_signal_connect (entry, "changed", G_CALLBACK (on_attribute_entry_changed), dialog);
  on_attribute_entry_changed (GTK_EDITABLE (entry), ADW_MESSAGE_DIALOG (dialog));

  g_signal_connect (dialog, "response", G_CALLBACK (on_attribute_response), g_object_ref (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_field_selected (PdImportColumnRow *self)
{
  guint selected = gtk_drop_down_get_selected (self->field_dropdown);
  const char *key;

  if (self->syncing || selected >= self->keys->len)
    return;

  key = g_ptr_array_index (self->keys, selected);
  if (g_strcmp0 (key, ASK_ATTRIBUTE) == 0)
    ask_attribute_name (self);
  else
    {
      g_autofree char *current = dup_choice (self);

      if (g_strcmp0 (current, key) != 0)
        set_field (self, key);
    }
}

static void
on_ignore_toggled (PdImportColumnRow *self)
{
  if (self->syncing)
    return;
  pd_mapping_set_ignored (self->mapping, self->column,
                          gtk_check_button_get_active (self->ignore_check));
  emit_changed (self);
}

static void
on_region_changed (PdImportColumnRow *self)
{
  g_autofree char *region = NULL;

  if (self->syncing)
    return;
  region = g_ascii_strup (gtk_editable_get_text (GTK_EDITABLE (self->region_entry)), -1);
  /* Half a country code is not one: keep the default until both letters. */
  if (strlen (region) == 2 || *region == '\0')
    {
      pd_mapping_set_region (self->mapping, self->column, *region ? region : NULL);
      emit_changed (self);
    }
}

static void
on_date_selected (PdImportColumnRow *self)
{
  guint selected = gtk_drop_down_get_selected (self->date_dropdown);

  if (self->syncing || selected >= G_N_ELEMENTS (date_formats))
    return;
  pd_mapping_set_date_format (self->mapping, self->column, date_formats[selected]);
  emit_changed (self);
}

static void
on_delimiter_changed (PdImportColumnRow *self)
{
  const char *text;

  if (self->syncing)
    return;
  text = gtk_editable_get_text (GTK_EDITABLE (self->delimiter_entry));
  pd_mapping_set_tag_delimiter (self->mapping, self->column, *text ? text : NULL);
  emit_changed (self);
}

void
pd_import_column_row_set_conflict (PdImportColumnRow *self,
                                   const char        *other_columns)
{
  g_return_if_fail (PD_IS_IMPORT_COLUMN_ROW (self));

  self->conflict = other_columns != NULL;
  if (other_columns != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Also chosen for %s. Choose another field for one "
                                                 "of them, or ignore one."), other_columns);

      gtk_label_set_label (self->conflict_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->conflict_label), self->conflict);
  update_status (self);
}

gboolean
pd_import_column_row_get_conflict (PdImportColumnRow *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_COLUMN_ROW (self), FALSE);
  return self->conflict;
}

void
pd_import_column_row_choose_field (PdImportColumnRow *self,
                                   const char        *key)
{
  g_return_if_fail (PD_IS_IMPORT_COLUMN_ROW (self));

  for (guint i = 0; i < self->keys->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->keys, i), key) == 0)
      {
        gtk_drop_down_set_selected (self->field_dropdown, i);
        return;
      }
  /* A custom attribute not in the list yet. */
  set_field (self, key);
}

void
pd_import_column_row_set_ignored (PdImportColumnRow *self,
                                  gboolean           ignored)
{
  g_return_if_fail (PD_IS_IMPORT_COLUMN_ROW (self));
  gtk_check_button_set_active (self->ignore_check, ignored);
}

/* As the user would choose it in the date format list: a format it does
 * not offer is set on the mapping all the same. */
void
pd_import_column_row_set_date_format (PdImportColumnRow *self,
                                      const char        *format)
{
  g_return_if_fail (PD_IS_IMPORT_COLUMN_ROW (self));

  pd_mapping_set_date_format (self->mapping, self->column, format);
  sync_from_mapping (self);
  emit_changed (self);
}

GtkDropDown *
pd_import_column_row_get_dropdown (PdImportColumnRow *self)
{
  return self->field_dropdown;
}

guint
pd_import_column_row_get_column (PdImportColumnRow *self)
{
  return self->column;
}

static void
pd_import_column_row_finalize (GObject *object)
{
  PdImportColumnRow *self = PD_IMPORT_COLUMN_ROW (object);

  g_clear_object (&self->mapping);
  g_clear_pointer (&self->keys, g_ptr_array_unref);
  G_OBJECT_CLASS (pd_import_column_row_parent_class)->finalize (object);
}

static void
pd_import_column_row_class_init (PdImportColumnRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = pd_import_column_row_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/import/pd-import-column-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PdImportColumnRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, PdImportColumnRow, header_label);
  gtk_widget_class_bind_template_child (widget_class, PdImportColumnRow, samples_label);
  gtk_widget_class_bind_template_child (widget_class, PdImportColumnRow, field_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PdImportColumnRow, ignore_check);
  gtk_widget_class_bind_template_child (widget_class, PdImportColumnRow, options_box);
  gtk_widget_class_bind_template_child (widget_class, PdImportColumnRow, region_box);
  gtk_widget_class_bind_template_child (widget_class, PdImportColumnRow, region_entry);
  gtk_widget_class_bind_template_child (widget_class, PdImportColumnRow, date_box);
  gtk_widget_class_bind_template_child (widget_class, PdImportColumnRow, date_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PdImportColumnRow, tags_box);
  gtk_widget_class_bind_template_child (widget_class, PdImportColumnRow, delimiter_entry);
  gtk_widget_class_bind_template_child (widget_class, PdImportColumnRow, conflict_label);
  gtk_widget_class_bind_template_callback (widget_class, on_field_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_ignore_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_region_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_date_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_delimiter_changed);
}

static void
pd_import_column_row_init (PdImportColumnRow *self)
{
  self->keys = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}

PdImportColumnRow *
pd_import_column_row_new (PdMapping  *mapping,
                          guint       column,
                          const char *samples)
{
  PdImportColumnRow *self = g_object_new (PD_TYPE_IMPORT_COLUMN_ROW, NULL);
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;

  self->mapping = g_object_ref (mapping);
  self->column = column;
  name = pd_mapping_dup_column_name (mapping, column);
  gtk_label_set_label (self->header_label, name);
  gtk_label_set_label (self->samples_label, samples && *samples ? samples : _("(empty in the first rows)"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->samples_label), samples);

  label = g_strdup_printf (_("Field for column “%s”"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->field_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_free (label);
  label = g_strdup_printf (_("Ignore column “%s”"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->ignore_check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_free (label);
  label = g_strdup_printf (_("Default country for phones in “%s”"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->region_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

  sync_from_mapping (self);
  return self;
}
