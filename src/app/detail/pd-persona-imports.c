/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-import-format.h"
#include "pd-persona-imports.h"

struct _PdPersonaImports
{
  AdwPreferencesGroup  parent_instance;

  GPtrArray           *import_rows;     /* AdwActionRow, children of self */
};

G_DEFINE_FINAL_TYPE (PdPersonaImports, pd_persona_imports, ADW_TYPE_PREFERENCES_GROUP)

static void
pd_persona_imports_dispose (GObject *object)
{
  PdPersonaImports *self = PD_PERSONA_IMPORTS (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_PERSONA_IMPORTS);
  g_clear_pointer (&self->import_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (pd_persona_imports_parent_class)->dispose (object);
}

static void
pd_persona_imports_class_init (PdPersonaImportsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_persona_imports_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/detail/pd-persona-imports.ui");
}

static void
pd_persona_imports_init (PdPersonaImports *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->import_rows = g_ptr_array_new ();
}

void
pd_persona_imports_set_persona (PdPersonaImports *self,
                                PdStore          *store,
                                PdPersona        *persona)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PD_IS_PERSONA_IMPORTS (self));

  for (guint i = 0; i < self->import_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->import_rows, i));
  g_ptr_array_set_size (self->import_rows, 0);

  if (persona != NULL)
    ids = pd_store_list_persona_imports (store, pd_persona_get_id (persona), &error);

  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      g_autoptr(PdImportInfo) info = pd_store_get_import (store, g_array_index (ids, gint64, i), NULL);
      g_autofree char *when = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (info == NULL)
        continue;
      when = info->started ? pd_import_format_when (info->started) : g_strdup ("");
      subtitle = g_strdup_printf ("%s · %s", when, info->file_name ? info->file_name : "");
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     info->name && info->name[0] ? info->name : _("Unnamed import"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_add (self->import_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self), self->import_rows->len > 0);
}
