/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-import-same-file-group.h"

struct _PdImportSameFileGroup
{
  AdwPreferencesGroup parent_instance;

  gboolean        shown;
  GtkCheckButton *skip_points_check;
  GtkCheckButton *import_anyway_check;
};

G_DEFINE_FINAL_TYPE (PdImportSameFileGroup, pd_import_same_file_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_toggled (PdImportSameFileGroup *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
show_warning (PdImportSameFileGroup *self,
              const char            *title,
              const char            *warning)
{
  /* a new earlier import (or none) asks again: nothing stays ticked */
  g_signal_handlers_block_by_func (self->skip_points_check, on_toggled, self);
  g_signal_handlers_block_by_func (self->import_anyway_check, on_toggled, self);
  gtk_check_button_set_active (self->skip_points_check, FALSE);
  gtk_check_button_set_active (self->import_anyway_check, FALSE);
  g_signal_handlers_unblock_by_func (self->skip_points_check, on_toggled, self);
  g_signal_handlers_unblock_by_func (self->import_anyway_check, on_toggled, self);

  self->shown = warning != NULL;
  if (warning != NULL)
    {
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), title);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), warning);
    }
  gtk_widget_set_visible (GTK_WIDGET (self), self->shown);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
pd_import_same_file_group_set_same_rows (PdImportSameFileGroup *self,
                                         const char            *warning)
{
  g_return_if_fail (PD_IS_IMPORT_SAME_FILE_GROUP (self));
  show_warning (self, _("These Rows Were Imported Before"), warning);
}

void
pd_import_same_file_group_set_earlier (PdImportSameFileGroup *self,
                                       const PdImportInfo    *earlier)
{
  g_autofree char *what = NULL;

  g_return_if_fail (PD_IS_IMPORT_SAME_FILE_GROUP (self));

  if (earlier != NULL)
    what = pd_import_earlier_describe (earlier);
  show_warning (self, _("This File Was Imported Before"), what);
}

PdSameFile
pd_import_same_file_group_get_choice (PdImportSameFileGroup *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_SAME_FILE_GROUP (self), PD_SAME_FILE_REFUSE);

  if (self->shown && gtk_check_button_get_active (self->skip_points_check))
    return PD_SAME_FILE_SKIP_POINTS;
  if (self->shown && gtk_check_button_get_active (self->import_anyway_check))
    return PD_SAME_FILE_IMPORT_ANYWAY;
  return PD_SAME_FILE_REFUSE;
}

gboolean
pd_import_same_file_group_needs_choice (PdImportSameFileGroup *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_SAME_FILE_GROUP (self), FALSE);
  return self->shown && pd_import_same_file_group_get_choice (self) == PD_SAME_FILE_REFUSE;
}

static void
pd_import_same_file_group_class_init (PdImportSameFileGroupClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/import/pd-import-same-file-group.ui");
  gtk_widget_class_bind_template_child (widget_class, PdImportSameFileGroup, skip_points_check);
  gtk_widget_class_bind_template_child (widget_class, PdImportSameFileGroup, import_anyway_check);
  gtk_widget_class_bind_template_callback (widget_class, on_toggled);
}

static void
pd_import_same_file_group_init (PdImportSameFileGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
