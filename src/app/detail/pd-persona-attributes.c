/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-persona-attributes.h"
#include "pd-persona-fields.h"

struct _PdPersonaAttributes
{
  GtkBox               parent_instance;

  gboolean             editing;
  GPtrArray           *attribute_rows;  /* AdwEntryRow, title = attribute name */

  /* template children */
  GtkWidget           *tags_group;
  AdwEntryRow         *tags_row;
  AdwPreferencesGroup *attributes_group;
  GtkWidget           *no_attributes_row;
  AdwEntryRow         *new_attribute_name_row;
  AdwEntryRow         *new_attribute_value_row;
  GtkLabel            *attribute_error_label;
};

G_DEFINE_FINAL_TYPE (PdPersonaAttributes, pd_persona_attributes, GTK_TYPE_BOX)

static void
set_attribute_row_editing (GtkWidget *row,
                           gboolean   editing)
{
  gtk_editable_set_editable (GTK_EDITABLE (row), editing);
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (row), "pd-remove-button"), editing);
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (row), "pd-rename-button"), editing);
}

/* The row's buttons name the attribute they act on (a rename changes it). */
static void
label_row_buttons (GtkWidget  *row,
                   const char *name)
{
  GtkWidget *remove = g_object_get_data (G_OBJECT (row), "pd-remove-button");
  GtkWidget *rename = g_object_get_data (G_OBJECT (row), "pd-rename-button");
  g_autofree char *remove_label = g_strdup_printf (_("Remove attribute %s"), name);
  g_autofree char *rename_label = g_strdup_printf (_("Rename attribute %s"), name);

  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", name);
  gtk_widget_set_tooltip_text (rename, rename_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (rename), GTK_ACCESSIBLE_PROPERTY_LABEL, rename_label, -1);
}

static void
on_rename_response (AdwMessageDialog *dialog,
                    const char       *response,
                    GtkWidget        *row)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));

  if (g_strcmp0 (response, "rename") == 0)
    gtk_widget_activate_action (row, "detail.rename-attribute", "(ss)",
                                adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                gtk_editable_get_text (entry));
}

/* A small dialog asks for the new name; detail.rename-attribute does the
 * rest, so that tests and the dialog take the same path. */
static void
on_rename_clicked (GtkButton *button,
                   GtkWidget *row)
{
  const char *name = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  GtkRoot *root = gtk_widget_get_root (row);
  g_autofree char *heading = g_strdup_printf (_("Rename attribute %s"), name);
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                                           : NULL,
                                                                         heading, NULL));
  GtkWidget *entry = gtk_entry_new ();

  gtk_editable_set_text (GTK_EDITABLE (entry), name);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("New name"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "rename", _("_Rename"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "rename", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "rename");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_response), row, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static AdwEntryRow *
add_attribute_row (PdPersonaAttributes *self,
                   const char          *name,
                   const char          *value)
{
  GtkWidget *row = adw_entry_row_new ();
  GtkWidget *remove, *rename;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  gtk_editable_set_text (GTK_EDITABLE (row), value);

  remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "detail.remove-attribute");
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), remove);
  g_object_set_data (G_OBJECT (row), "pd-remove-button", remove);

  rename = gtk_button_new_from_icon_name ("document-edit-symbolic");
  gtk_widget_set_valign (rename, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (rename, "flat");
  g_signal_connect_object (rename, "clicked", G_CALLBACK (on_rename_clicked), row, 0);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), rename);
  g_object_set_data (G_OBJECT (row), "pd-rename-button", rename);
  label_row_buttons (row, name);
  set_attribute_row_editing (row, self->editing);

  /* Before the "new attribute" rows, which stay last. */
  adw_preferences_group_remove (self->attributes_group, GTK_WIDGET (self->new_attribute_name_row));
  adw_preferences_group_remove (self->attributes_group, GTK_WIDGET (self->new_attribute_value_row));
  adw_preferences_group_remove (self->attributes_group, GTK_WIDGET (self->attribute_error_label));
  adw_preferences_group_add (self->attributes_group, row);
  adw_preferences_group_add (self->attributes_group, GTK_WIDGET (self->new_attribute_name_row));
  adw_preferences_group_add (self->attributes_group, GTK_WIDGET (self->new_attribute_value_row));
  adw_preferences_group_add (self->attributes_group, GTK_WIDGET (self->attribute_error_label));

  g_ptr_array_add (self->attribute_rows, row);
  gtk_widget_set_visible (self->no_attributes_row, FALSE);
  return ADW_ENTRY_ROW (row);
}

static void
clear_attributes (PdPersonaAttributes *self)
{
  for (guint i = 0; i < self->attribute_rows->len; i++)
    adw_preferences_group_remove (self->attributes_group, g_ptr_array_index (self->attribute_rows, i));
  g_ptr_array_set_size (self->attribute_rows, 0);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char **) a, *(const char **) b);
}

static void
fill_attributes (PdPersonaAttributes *self,
                 PdPersona           *persona)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GHashTable *attributes;
  GHashTableIter iter;
  gpointer key;

  clear_attributes (self);
  if (persona == NULL)
    return;

  attributes = pd_persona_get_attributes (persona);
  g_hash_table_iter_init (&iter, attributes);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, key);
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    add_attribute_row (self, g_ptr_array_index (names, i),
                       g_hash_table_lookup (attributes, g_ptr_array_index (names, i)));
}

static void
clear_new_attribute (PdPersonaAttributes *self)
{
  pd_persona_fields_set_text (self->new_attribute_name_row, NULL);
  pd_persona_fields_set_text (self->new_attribute_value_row, NULL);
}

static void
on_new_attribute_value_row_entry_activated (AdwEntryRow         *row,
                                            PdPersonaAttributes *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "detail.add-attribute", NULL);
}

static void
pd_persona_attributes_dispose (GObject *object)
{
  PdPersonaAttributes *self = PD_PERSONA_ATTRIBUTES (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_PERSONA_ATTRIBUTES);
  g_clear_pointer (&self->attribute_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (pd_persona_attributes_parent_class)->dispose (object);
}

static void
pd_persona_attributes_class_init (PdPersonaAttributesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_persona_attributes_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/detail/pd-persona-attributes.ui");
  gtk_widget_class_bind_template_child (widget_class, PdPersonaAttributes, tags_group);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaAttributes, tags_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaAttributes, attributes_group);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaAttributes, no_attributes_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaAttributes, new_attribute_name_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaAttributes, new_attribute_value_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaAttributes, attribute_error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_new_attribute_value_row_entry_activated);
}

static void
pd_persona_attributes_init (PdPersonaAttributes *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->attribute_rows = g_ptr_array_new ();
}

void
pd_persona_attributes_set_persona (PdPersonaAttributes *self,
                                   PdPersona           *p,
                                   PdPersonaDetailMode  mode)
{
  g_autofree char *tags = NULL;

  g_return_if_fail (PD_IS_PERSONA_ATTRIBUTES (self));

  self->editing = mode != PD_PERSONA_DETAIL_VIEW;

  tags = p ? pd_persona_fields_join_quoted (pd_persona_get_tags (p)) : NULL;
  pd_persona_fields_set_text (self->tags_row, tags);
  pd_persona_fields_set_editing (self->tags_row, self->editing);
  /* no empty "Tags" box while viewing a persona without tags */
  gtk_widget_set_visible (self->tags_group, self->editing || (tags != NULL && tags[0] != '\0'));

  fill_attributes (self, p);
  clear_new_attribute (self);
  gtk_widget_set_visible (GTK_WIDGET (self->attribute_error_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->new_attribute_name_row), self->editing);
  gtk_widget_set_visible (GTK_WIDGET (self->new_attribute_value_row), self->editing);
  gtk_widget_set_visible (self->no_attributes_row, !self->editing && self->attribute_rows->len == 0);
}

void
pd_persona_attributes_collect (PdPersonaAttributes *self,
                               PdPersona           *p)
{
  g_autoptr(GPtrArray) old = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) tags = NULL;
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (PD_IS_PERSONA_ATTRIBUTES (self));

  gtk_widget_set_visible (GTK_WIDGET (self->attribute_error_label), FALSE);

  pd_persona_fields_remove_all (p, pd_persona_get_tags (p), pd_persona_remove_tag);
  tags = pd_persona_fields_split_quoted (gtk_editable_get_text (GTK_EDITABLE (self->tags_row)));
  for (guint i = 0; tags[i] != NULL; i++)
    pd_persona_add_tag (p, tags[i]);

  /* The rows are the whole truth: a removed row or a cleared value
   * removes the attribute. */
  g_hash_table_iter_init (&iter, pd_persona_get_attributes (p));
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (old, g_strdup (key));
  for (guint i = 0; i < old->len; i++)
    pd_persona_set_attribute (p, g_ptr_array_index (old, i), NULL);
  for (guint i = 0; i < self->attribute_rows->len; i++)
    {
      AdwEntryRow *row = g_ptr_array_index (self->attribute_rows, i);
      g_autofree char *value = pd_persona_fields_dup_text (row);

      pd_persona_set_attribute (p, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), value);
    }
}

void
pd_persona_attributes_add_new (PdPersonaAttributes *self)
{
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;
  const char *problem = NULL;

  g_return_if_fail (PD_IS_PERSONA_ATTRIBUTES (self));

  name = pd_persona_fields_dup_text (self->new_attribute_name_row);
  value = pd_persona_fields_dup_text (self->new_attribute_value_row);
  gtk_widget_set_visible (GTK_WIDGET (self->attribute_error_label), FALSE);
  if (name != NULL && g_str_has_prefix (name, PD_ATTRIBUTE_PREFIX))
    {
      char *bare = g_strdup (name + strlen (PD_ATTRIBUTE_PREFIX));

      g_free (name);
      name = g_strstrip (bare);
    }

  if (name == NULL || name[0] == '\0')
    problem = _("Give the attribute a name");
  else if (value == NULL)
    problem = _("Give the attribute a value");
  else
    for (guint i = 0; i < self->attribute_rows->len; i++)
      {
        AdwEntryRow *row = g_ptr_array_index (self->attribute_rows, i);

        if (g_utf8_collate (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), name) == 0)
          {
            /* Same name: edit the value in place rather than refuse. */
            pd_persona_fields_set_text (row, value);
            clear_new_attribute (self);
            return;
          }
      }

  if (problem != NULL)
    {
      gtk_label_set_text (self->attribute_error_label, problem);
      gtk_widget_set_visible (GTK_WIDGET (self->attribute_error_label), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (name == NULL || name[0] == '\0'
                                         ? self->new_attribute_name_row
                                         : self->new_attribute_value_row));
      return;
    }

  add_attribute_row (self, name, value);
  clear_new_attribute (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->new_attribute_name_row));
}

void
pd_persona_attributes_remove (PdPersonaAttributes *self,
                              const char          *name)
{
  g_return_if_fail (PD_IS_PERSONA_ATTRIBUTES (self));

  for (guint i = 0; i < self->attribute_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->attribute_rows, i);

      if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), name) == 0)
        {
          adw_preferences_group_remove (self->attributes_group, row);
          g_ptr_array_remove_index (self->attribute_rows, i);
          break;
        }
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->new_attribute_name_row));
}

gboolean
pd_persona_attributes_rename (PdPersonaAttributes *self,
                              const char          *name,
                              const char          *new_name_in)
{
  g_autofree char *new_name = g_strstrip (g_strdup (new_name_in));
  GtkWidget *found = NULL;
  const char *problem = NULL;

  g_return_val_if_fail (PD_IS_PERSONA_ATTRIBUTES (self), FALSE);

  if (g_str_has_prefix (new_name, PD_ATTRIBUTE_PREFIX))
    {
      char *bare = g_strstrip (g_strdup (new_name + strlen (PD_ATTRIBUTE_PREFIX)));

      g_free (new_name);
      new_name = bare;
    }
  for (guint i = 0; i < self->attribute_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->attribute_rows, i);
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));

      if (g_strcmp0 (title, name) == 0)
        found = row;
      else if (g_utf8_collate (title, new_name) == 0)
        problem = _("Another attribute has that name");
    }
  if (new_name[0] == '\0')
    problem = _("Give the attribute a name");
  if (found == NULL)
    return FALSE;
  if (problem != NULL)
    {
      gtk_label_set_text (self->attribute_error_label, problem);
      gtk_widget_set_visible (GTK_WIDGET (self->attribute_error_label), TRUE);
      return FALSE;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->attribute_error_label), FALSE);
  /* the rows are the whole truth at save (pd_persona_attributes_collect()) */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (found), new_name);
  label_row_buttons (found, new_name);
  return TRUE;
}

GtkEditable *
pd_persona_attributes_get_field_editable (PdPersonaAttributes *self,
                                          PdFieldId            field)
{
  g_return_val_if_fail (PD_IS_PERSONA_ATTRIBUTES (self), NULL);

  if (field == PD_FIELD_TAGS)
    return GTK_EDITABLE (self->tags_row);
  return NULL;
}
