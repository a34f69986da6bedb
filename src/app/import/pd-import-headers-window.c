/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-field.h"
#include "pd-import-headers-window.h"

struct _PdImportHeadersWindow
{
  AdwWindow   parent_instance;

  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (PdImportHeadersWindow, pd_import_headers_window, ADW_TYPE_WINDOW)

static const char *
type_label (PdFieldType type)
{
  switch (type)
    {
    case PD_FIELD_TYPE_TEXT: return _("text");
    case PD_FIELD_TYPE_IDENTIFIER: return _("identifier, kept as written");
    case PD_FIELD_TYPE_EMAIL: return _("email address");
    case PD_FIELD_TYPE_PHONE: return _("phone number");
    case PD_FIELD_TYPE_DATE: return _("date");
    case PD_FIELD_TYPE_INTEGER: return _("whole number");
    case PD_FIELD_TYPE_BOOLEAN: return _("yes or no");
    case PD_FIELD_TYPE_CHOICE: return _("one of a list");
    case PD_FIELD_TYPE_TAGS: return _("tags");
    case PD_FIELD_TYPE_FULL_NAME: return _("a whole name, split into first and last name");
    default: return "";
    }
}

static void
add_row (PdImportHeadersWindow *self,
         const char            *title,
         const char            *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_list_box_append (self->list, row);
}

static void
pd_import_headers_window_class_init (PdImportHeadersWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/import/pd-import-headers-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdImportHeadersWindow, list);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pd_import_headers_window_init (PdImportHeadersWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (PdFieldId id = 0; id < (PdFieldId) pd_field_get_count (); id++)
    {
      const PdFieldInfo *info = pd_field_get_info (id);
      g_autoptr(GString) subtitle = g_string_new (NULL);

      g_string_append_printf (subtitle, "%s · %s", info->key, type_label (info->type));
      if (info->multi)
        g_string_append_printf (subtitle, " · %s", _("several per persona"));
      if (info->identifier)
        g_string_append_printf (subtitle, " · %s", _("identifies a persona"));
      if (info->choices != NULL)
        {
          g_autofree char *choices = g_strjoinv (", ", (char **) info->choices);
          g_string_append_printf (subtitle, "\n%s %s", _("One of:"), choices);
        }
      if (info->synonyms != NULL && info->synonyms[0] != NULL)
        {
          g_autofree char *synonyms = g_strjoinv (", ", (char **) info->synonyms);
          g_string_append_printf (subtitle, "\n%s %s", _("Also:"), synonyms);
        }
      add_row (self, _(info->label), subtitle->str);
    }

  add_row (self, _("Custom attribute"),
           _("attribute:NAME, or “Custom: NAME” — any number of them, kept as text"));
}

PdImportHeadersWindow *
pd_import_headers_window_new (GtkWindow *parent)
{
  return g_object_new (PD_TYPE_IMPORT_HEADERS_WINDOW,
                       "transient-for", parent,
                       NULL);
}
