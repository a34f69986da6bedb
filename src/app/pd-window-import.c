/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-import-assistant.h"
#include "pd-import-history.h"
#include "pd-window-private.h"
#include "pd-session.h"

/* The main window's side of importing (issue 5): the import assistant and
 * the history it opens, a file dropped on the window or opened with the
 * app, and the list filtered to an import's audience.  Part of PdWindow,
 * split out by concern like pd-window-actions.c. */

#define ASSISTANT_KEY "pd-import-assistant"
#define HISTORY_KEY   "pd-import-history"
#define AUDIENCE_TOAST_KEY "pd-audience-toast"

static void
on_audience_toast_dismissed (AdwToast *toast,
                             PdWindow *self)
{
  /* The toast is the filter's only sign: without it, show everyone. */
  if (g_object_get_data (G_OBJECT (self), AUDIENCE_TOAST_KEY) != toast)
    return;
  g_object_set_data (G_OBJECT (self), AUDIENCE_TOAST_KEY, NULL);
  pd_persona_list_set_import_id (self->personas, 0);
  pd_window_reload (self);
}

/**
 * _pd_window_set_audience:
 * @import_id: 0 shows every persona again
 *
 * Filters the persona list to the personas an import touched.
 */
void
_pd_window_set_audience (PdWindow *self,
                         gint64    import_id)
{
  AdwToast *previous = g_object_get_data (G_OBJECT (self), AUDIENCE_TOAST_KEY);
  g_autoptr(PdImportInfo) info = NULL;
  g_autofree char *title = NULL;
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  g_object_set_data (G_OBJECT (self), AUDIENCE_TOAST_KEY, NULL);
  if (previous != NULL)
    adw_toast_dismiss (previous);

  pd_persona_list_set_import_id (self->personas, import_id);
  if (adw_leaflet_get_visible_child (self->leaflet) != self->main_page)
    adw_leaflet_set_visible_child (self->leaflet, self->main_page);
  /* The first page now, the count from a thread (shown in the header):
   * counting a million-persona audience here froze the window. */
  pd_persona_list_reload (self->personas);
  if (import_id <= 0)
    return;

  info = pd_store_get_import (self->store, import_id, NULL);
  title = g_strdup_printf (_("Showing the personas of import “%s”"), info && info->name ? info->name : "");
  escaped = g_markup_escape_text (title, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_button_label (toast, _("Show _All"));
  adw_toast_set_action_name (toast, "win.show-all-personas");
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_audience_toast_dismissed), self, 0);
  g_object_set_data (G_OBJECT (self), AUDIENCE_TOAST_KEY, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
on_view_audience (GObject  *source,
                  gint64    import_id,
                  PdWindow *self)
{
  _pd_window_set_audience (self, import_id);
  gtk_window_present (GTK_WINDOW (self));
}

static void
on_open_persona (PdImportHistory *history,
                 gint64           persona_id,
                 PdWindow        *self)
{
  pd_window_show_persona (self, persona_id);
  gtk_window_present (GTK_WINDOW (self));
}

static void
on_imported (PdImportAssistant *assistant,
             gint64             import_id,
             PdWindow          *self)
{
  /* The first page and the count from threads: counting a million new
   * personas (every match of the search typed meanwhile) on this thread
   * stalled the window for seconds, and the first page of a broad search,
   * read from a cache the import emptied, for tens of milliseconds. */
  _pd_window_reload_list (self, TRUE);
  pd_archived_view_reload (self->archived_view);
}

static void
on_history_changed (PdImportHistory *history,
                    PdWindow        *self)
{
  pd_window_reload (self);
}

static void
on_assistant_destroy (GtkWidget *assistant,
                      PdWindow  *self)
{
  if (g_object_get_data (G_OBJECT (self), ASSISTANT_KEY) == assistant)
    g_object_set_data (G_OBJECT (self), ASSISTANT_KEY, NULL);
}

static void
on_history_destroy (GtkWidget *history,
                    PdWindow  *self)
{
  if (g_object_get_data (G_OBJECT (self), HISTORY_KEY) == history)
    g_object_set_data (G_OBJECT (self), HISTORY_KEY, NULL);
}

/**
 * show_import:
 * @file: (nullable): a file to start with
 *
 * Presents the window's import assistant (one at a time), on @file.
 *
 * Returns: (transfer none): the assistant
 */
static PdImportAssistant *
show_import (PdWindow *self,
                        GFile    *file)
{
  PdImportAssistant *assistant = g_object_get_data (G_OBJECT (self), ASSISTANT_KEY);
  g_autoptr(GError) error = NULL;

  /* a file dropped or opened with the app by a role that may not import
   * (or while no one is signed in): said at once, not after the steps */
  if (assistant == NULL && !pd_actor_check (pd_app_actor (), PD_PERMISSION_IMPORT, &error))
    {
      pd_window_show_toast (self, error->message);
      return NULL;
    }
  if (assistant == NULL)
    {
      assistant = pd_import_assistant_new (GTK_WINDOW (self), self->store);
      g_signal_connect_object (assistant, "imported", G_CALLBACK (on_imported), self, 0);
      g_signal_connect_object (assistant, "view-audience", G_CALLBACK (on_view_audience), self, 0);
      /* Forgotten when closed: the next Import starts afresh.  GTK owns
       * the window; it goes with the main one (destroy-with-parent). */
      g_object_set_data (G_OBJECT (self), ASSISTANT_KEY, assistant);
      g_signal_connect_object (assistant, "destroy", G_CALLBACK (on_assistant_destroy), self, 0);
    }
  if (file != NULL)
    pd_import_assistant_open_file (assistant, file);
  gtk_window_present (GTK_WINDOW (assistant));
  return assistant;
}

static PdImportHistory *
show_import_history (PdWindow *self)
{
  PdImportHistory *history = g_object_get_data (G_OBJECT (self), HISTORY_KEY);

  if (history == NULL)
    {
      history = pd_import_history_new (GTK_WINDOW (self), self->store);
      gtk_window_set_hide_on_close (GTK_WINDOW (history), TRUE);
      g_signal_connect_object (history, "view-audience", G_CALLBACK (on_view_audience), self, 0);
      g_signal_connect_object (history, "changed", G_CALLBACK (on_history_changed), self, 0);
      g_signal_connect_object (history, "open-persona", G_CALLBACK (on_open_persona), self, 0);
      gtk_window_set_destroy_with_parent (GTK_WINDOW (history), TRUE);
      g_object_set_data (G_OBJECT (self), HISTORY_KEY, history);
      g_signal_connect_object (history, "destroy", G_CALLBACK (on_history_destroy), self, 0);
    }
  gtk_window_present (GTK_WINDOW (history));
  return history;
}

/**
 * pd_window_import_file:
 *
 * Opens the import assistant on @file, as dropping it on the window or
 * opening it with the app does.
 */
void
pd_window_import_file (PdWindow *self,
                       GFile    *file)
{
  g_return_if_fail (PD_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  show_import (self, file);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         PdWindow      *self)
{
  GFile *file = NULL;

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = gdk_file_list_get_files (g_value_get_boxed (value));

      /* Several files: the assistant takes the first and the file step
       * says one at a time only when it is dropped on it. */
      file = files ? files->data : NULL;
      g_slist_free (files);
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    file = g_value_get_object (value);

  if (file == NULL)
    return FALSE;
  show_import (self, file);
  return TRUE;
}

void
_pd_window_setup_import (PdWindow *self)
{
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };

  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  show_import (PD_WINDOW (widget), NULL);
}

static void
import_history_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  show_import_history (PD_WINDOW (widget));
}

static void
show_all_personas_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  _pd_window_set_audience (PD_WINDOW (widget), 0);
}

void
_pd_window_class_add_import_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.import-history", NULL, import_history_action);
  gtk_widget_class_install_action (widget_class, "win.show-all-personas", NULL, show_all_personas_action);
}
