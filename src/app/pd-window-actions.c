/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-window-private.h"
#include "pd-session.h"

/* The window's actions (win.*) and their keyboard shortcuts. */

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  PdWindow *self = PD_WINDOW (widget);

  if (adw_leaflet_get_visible_child (self->leaflet) != self->main_page)
    adw_leaflet_set_visible_child (self->leaflet, self->main_page);
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
new_persona (PdWindow *self,
             gpointer  data)
{
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  pd_persona_detail_new_persona (_pd_window_ensure_detail (self));
  adw_flap_set_reveal_flap (self->flap, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->detail));
}

static void
new_persona_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  _pd_window_leave_edit (PD_WINDOW (widget), new_persona, NULL);
}

static void
show_archived_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  PdWindow *self = PD_WINDOW (widget);

  pd_archived_view_reload (self->archived_view);
  adw_leaflet_set_visible_child_name (self->leaflet, "archived");
}

static void
show_personas_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  PdWindow *self = PD_WINDOW (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "personas");
}

static void
close_detail (PdWindow *self,
              gpointer  data)
{
  _pd_window_close_detail (self);
}

/* Escape: what was typed is kept unless the user says otherwise. */
static void
close_detail_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  _pd_window_leave_edit (PD_WINDOW (widget), close_detail, NULL);
}

typedef struct {
  PdWindow           *window;
  PdWindowLeaveFunc   then;
  gpointer            data;
} LeaveData;

static void
on_detail_confirm_leave (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  LeaveData *leave = user_data;

  if (pd_persona_detail_confirm_leave_finish (PD_PERSONA_DETAIL (source), result, NULL))
    leave->then (leave->window, leave->data);
  else
    /* Kept editing: the list must not show another persona selected. */
    _pd_window_unselect_all (leave->window);
  g_object_unref (leave->window);
  g_free (leave);
}

/**
 * _pd_window_leave_edit:
 * @then: what to do once the detail pane may show something else
 *
 * Runs @then at once unless the pane holds typed changes; then asks
 * Save / Discard / Keep editing first (pd_persona_detail_confirm_leave_async())
 * and runs @then only after a save or a discard.
 */
void
_pd_window_leave_edit (PdWindow          *self,
                       PdWindowLeaveFunc  then,
                       gpointer           data)
{
  LeaveData *leave;

  if (self->detail == NULL || !pd_persona_detail_has_changes (self->detail))
    {
      then (self, data);
      return;
    }
  leave = g_new0 (LeaveData, 1);
  leave->window = g_object_ref (self);
  leave->then = then;
  leave->data = data;
  pd_persona_detail_confirm_leave_async (self->detail, NULL, on_detail_confirm_leave, leave);
}

/* The archive toast's Undo. */
static void
unarchive_persona_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  PdWindow *self = PD_WINDOW (widget);
  gint64 id = g_variant_get_int64 (param);
  g_autoptr(GError) error = NULL;

  if (!pd_store_set_archived_as (self->store, id, FALSE, pd_app_actor (), &error))
    {
      pd_window_show_toast (self, error->message);
      return;
    }
  pd_window_reload (self);
  if (self->detail != NULL && pd_persona_detail_get_persona_id (self->detail) == id)
    pd_persona_detail_reload (self->detail);
  pd_window_show_toast (self, _("Persona unarchived"));
}

static void
sort_by_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  PdPersonaColumn column;

  if (pd_persona_column_from_name (g_variant_get_string (param, NULL), &column))
    _pd_window_sort_by (PD_WINDOW (widget), column);
}

/* Ctrl+E from anywhere in the window, the list too: the persona shown,
 * or else the one selected. */
static void
edit_persona_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  PdWindow *self = PD_WINDOW (widget);
  g_autoptr(PdPersona) selected = _pd_window_get_selected_persona (self);
  PdPersonaDetail *detail = _pd_window_ensure_detail (self);

  if (pd_persona_detail_get_mode (detail) != PD_PERSONA_DETAIL_VIEW)
    return;
  if ((!adw_flap_get_reveal_flap (self->flap) || pd_persona_detail_get_persona_id (detail) == 0)
      && selected != NULL && pd_persona_get_id (selected) > 0)
    pd_window_show_persona (self, pd_persona_get_id (selected));
  if (!adw_flap_get_reveal_flap (self->flap) || pd_persona_detail_get_persona_id (detail) == 0)
    return;
  if (gtk_widget_activate_action (GTK_WIDGET (detail), "detail.edit", NULL))
    gtk_widget_grab_focus (GTK_WIDGET (detail));
}

static void
save_persona_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  PdWindow *self = PD_WINDOW (widget);

  if (self->detail != NULL && pd_persona_detail_get_mode (self->detail) != PD_PERSONA_DETAIL_VIEW)
    gtk_widget_activate_action (GTK_WIDGET (self->detail), "detail.save", NULL);
}

void
_pd_window_close_detail (PdWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  gboolean had_focus;

  had_focus = focus != NULL && self->detail != NULL
           && (focus == GTK_WIDGET (self->detail)
               || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->detail)));
  if (self->detail != NULL)
    pd_persona_detail_cancel_editing (self->detail);
  adw_flap_set_reveal_flap (self->flap, FALSE);
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  /* Focus would otherwise stay on a hidden widget. */
  if (had_focus)
    gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

/* Tab leaves the list: GtkListView walks its rows with Tab (thousands of
 * them).  Forward goes to "Merge…" when several are selected, to the
 * detail pane when it shows, else round to the header bar; backward to
 * the column titles. */
static gboolean
on_list_key_pressed (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     PdWindow              *self)
{
  gboolean backward;

  if (keyval != GDK_KEY_Tab && keyval != GDK_KEY_KP_Tab && keyval != GDK_KEY_ISO_Left_Tab)
    return FALSE;
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;
  backward = keyval == GDK_KEY_ISO_Left_Tab || (state & GDK_SHIFT_MASK) != 0;
  if (backward)
    return gtk_widget_child_focus (GTK_WIDGET (self->list_header), GTK_DIR_TAB_BACKWARD)
           || gtk_widget_child_focus (GTK_WIDGET (self->header_bar), GTK_DIR_TAB_BACKWARD);
  /* several selected: "Merge…" below the list comes first */
  if (gtk_revealer_get_reveal_child (self->selection_revealer)
      && gtk_widget_child_focus (GTK_WIDGET (self->selection_revealer), GTK_DIR_TAB_FORWARD))
    return TRUE;
  if (self->detail != NULL && adw_flap_get_reveal_flap (self->flap)
      && gtk_widget_child_focus (GTK_WIDGET (self->detail), GTK_DIR_TAB_FORWARD))
    return TRUE;
  return gtk_widget_child_focus (GTK_WIDGET (self->header_bar), GTK_DIR_TAB_FORWARD);
}

void
_pd_window_setup_list_keys (PdWindow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (keys, "pd-list-tab");
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_list_key_pressed), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), keys);
}

/* Folded, the flap closes itself on a click beside it or a swipe: with
 * typed changes it opens again and asks, as Escape does. */
gboolean
_pd_window_ask_before_hiding_cb (gpointer data)
{
  PdWindow *self = data;

  self->ask_hide_id = 0;
  if (self->detail == NULL || adw_flap_get_reveal_flap (self->flap)
      || !pd_persona_detail_has_changes (self->detail))
    return G_SOURCE_REMOVE;
  adw_flap_set_reveal_flap (self->flap, TRUE);
  _pd_window_leave_edit (self, close_detail, NULL);
  return G_SOURCE_REMOVE;
}

void
_pd_window_update_actions (PdWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-detail",
                                 adw_flap_get_reveal_flap (self->flap));
}

void
_pd_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.new-persona", NULL, new_persona_action);
  /* win.import, win.import-history, win.show-all-personas: pd-window-import.c */
  _pd_window_class_add_import_actions (widget_class);
  _pd_window_class_add_privacy_actions (widget_class);
  gtk_widget_class_install_action (widget_class, "win.show-archived", NULL, show_archived_action);
  gtk_widget_class_install_action (widget_class, "win.show-personas", NULL, show_personas_action);
  gtk_widget_class_install_action (widget_class, "win.close-detail", NULL, close_detail_action);
  gtk_widget_class_install_action (widget_class, "win.sort-by", "s", sort_by_action);
  gtk_widget_class_install_action (widget_class, "win.unarchive-persona", "x", unarchive_persona_action);

  gtk_widget_class_install_action (widget_class, "win.edit-persona", NULL, edit_persona_action);
  gtk_widget_class_install_action (widget_class, "win.save-persona", NULL, save_persona_action);
  /* The keys are the application's accelerators (pd-application.c), the
   * one list the Shortcuts window shows. */
}
