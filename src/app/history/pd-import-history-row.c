/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-import-format.h"
#include "pd-import-history-row.h"

struct _PdImportHistoryRow
{
  GtkListBoxRow   parent_instance;

  gint64          id;
  PdImportJob    *job;      /* while it runs */
  gint64          started;  /* monotonic µs, for the running job's rate */

  GtkLabel       *name_label;
  GtkLabel       *details_label;
  GtkLabel       *counts_label;
  GtkProgressBar *progress_bar;
  GtkLabel       *status_label;
  GtkMenuButton  *menu_button;
};

G_DEFINE_FINAL_TYPE (PdImportHistoryRow, pd_import_history_row, GTK_TYPE_LIST_BOX_ROW)

static void
on_progress_changed (PdImportJob        *job,
                     guint               rows_done,
                     double              fraction,
                     PdImportHistoryRow *self)
{
  g_autofree char *rows = pd_import_format_progress (rows_done, 0);
  g_autofree char *rate = pd_import_format_rate (rows_done,
                                                 (g_get_monotonic_time () - self->started) / (double) G_USEC_PER_SEC);
  g_autofree char *text = g_strdup_printf ("%s · %s", rows, rate);

  gtk_label_set_label (self->counts_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0, 1));
}

static void
add_item (GMenu      *menu,
          gint64      id,
          const char *label,
          const char *action)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action, g_variant_new_int64 (id));
  g_menu_append_item (menu, item);
}

static GMenuModel *
build_menu (PdImportHistoryRow *self,
            PdImportStatus      status,
            gboolean            has_report)
{
  GMenu *menu = g_menu_new ();
  GMenu *section = g_menu_new ();

  add_item (section, self->id, _("Download _Original File…"), "history.download-file");
  if (has_report)
    add_item (section, self->id, _("Download _Results Report…"), "history.download-report");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  g_object_unref (section);

  if (status == PD_IMPORT_STATUS_COMPLETED)
    {
      section = g_menu_new ();
      add_item (section, self->id, _("View _Audience"), "history.view-audience");
      add_item (section, self->id, _("Queue Double _Opt-in Requests…"), "history.send-opt-in");
      g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
      g_object_unref (section);
    }

  section = g_menu_new ();
  if (status == PD_IMPORT_STATUS_COMPLETED)
    add_item (section, self->id, _("_Undo Import…"), "history.undo");
  add_item (section, self->id, _("_Delete from History…"), "history.delete");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  g_object_unref (section);

  return G_MENU_MODEL (menu);
}

static void
pd_import_history_row_dispose (GObject *object)
{
  PdImportHistoryRow *self = PD_IMPORT_HISTORY_ROW (object);

  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_clear_object (&self->job);
  G_OBJECT_CLASS (pd_import_history_row_parent_class)->dispose (object);
}

static void
pd_import_history_row_class_init (PdImportHistoryRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pd_import_history_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/history/pd-import-history-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PdImportHistoryRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, PdImportHistoryRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, PdImportHistoryRow, counts_label);
  gtk_widget_class_bind_template_child (widget_class, PdImportHistoryRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PdImportHistoryRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, PdImportHistoryRow, menu_button);
}

static void
pd_import_history_row_init (PdImportHistoryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

PdImportHistoryRow *
pd_import_history_row_new (const PdImportInfo *info,
                           PdImportJob        *running_job,
                           gboolean            has_report)
{
  PdImportHistoryRow *self = g_object_new (PD_TYPE_IMPORT_HISTORY_ROW, NULL);
  g_autoptr(GString) details = g_string_new (NULL);
  const char *style = NULL;
  g_autofree char *status = pd_import_format_status (running_job ? PD_IMPORT_STATUS_IN_PROGRESS : info->status,
                                                     info->failed, &style);
  g_autofree char *menu_label = NULL;
  g_autoptr(GMenuModel) menu = NULL;

  self->id = info->id;
  gtk_label_set_label (self->name_label, info->name ? info->name : info->file_name);
  gtk_label_set_label (self->status_label, status);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), style);

  g_string_append (details, info->file_name ? info->file_name : "");
  if (info->started != NULL)
    {
      g_autofree char *when = pd_import_format_when (info->started);

      g_string_append_printf (details, " · %s", when);
    }
  if (info->user != NULL)
    g_string_append_printf (details, " · %s", info->user);
  if (running_job == NULL && info->status != PD_IMPORT_STATUS_PENDING)
    {
      g_autofree char *duration = pd_import_format_duration (info->duration_ms);
      /* TRANSLATORS: how long an import took */
      g_string_append_printf (details, " · %s", duration);
    }
  gtk_label_set_label (self->details_label, details->str);

  if (running_job != NULL)
    {
      self->job = g_object_ref (running_job);
      self->started = g_get_monotonic_time ();
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
      g_signal_connect (self->job, "progress-changed", G_CALLBACK (on_progress_changed), self);
      on_progress_changed (self->job, pd_import_job_get_rows_done (self->job),
                           pd_import_job_get_fraction (self->job), self);
      gtk_widget_set_sensitive (GTK_WIDGET (self->menu_button), FALSE);
    }
  else
    {
      guint valid = info->total - MIN (info->failed, info->total);
      g_autofree char *text = NULL;

      if (info->status == PD_IMPORT_STATUS_COMPLETED || info->status == PD_IMPORT_STATUS_UNDONE ||
          info->status == PD_IMPORT_STATUS_PARTLY_UNDONE)
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%'u valid record (%'u new, %'u updated, %'u ignored) · %'u with errors",
                                             "%'u valid records (%'u new, %'u updated, %'u ignored) · %'u with errors",
                                             valid),
                                valid, info->imported, info->updated, info->ignored, info->failed);
      else if (info->error != NULL)
        text = g_strdup (info->error);
      else
        text = g_strdup (_("Nothing was saved."));
      /* a data-deletion request took rows out of the kept file (issue 16) */
      {
        g_autofree char *privacy = pd_import_info_dup_privacy_note (info);

        if (privacy != NULL)
          {
            g_autofree char *with = g_strdup_printf ("%s · %s", text, privacy);

            g_free (text);
            text = g_steal_pointer (&with);
          }
      }
      gtk_label_set_label (self->counts_label, text);
      menu = build_menu (self, info->status, has_report);
      gtk_menu_button_set_menu_model (self->menu_button, menu);
    }

  menu_label = g_strdup_printf (_("Actions for import “%s”"), info->name ? info->name : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, menu_label, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), _("Download, undo, delete…"));
  return self;
}

gint64
pd_import_history_row_get_id (PdImportHistoryRow *self)
{
  return self->id;
}

const char *
pd_import_history_row_get_status_text (PdImportHistoryRow *self)
{
  return gtk_label_get_label (self->status_label);
}

const char *
pd_import_history_row_get_counts_text (PdImportHistoryRow *self)
{
  return gtk_label_get_label (self->counts_label);
}
