/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdWindow's part of staff accounts (issue 16): the sign-in page in place
 * of the content while no one is signed in, the lock after the idle time
 * set in Preferences, Switch User, the Audit Log, and hiding what the
 * signed-in role may not do (the store refuses it anyway). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-audit-window.h"
#include "pd-import-assistant.h"
#include "pd-session.h"
#include "pd-sign-in-page.h"
#include "pd-window-private.h"

#define IDLE_CHECK_SECONDS 10

/* What the role may not do is hidden (the menu hides disabled items). */
static void
update_staff_actions (PdWindow *self)
{
  PdSession *session = pd_session_get_default ();
  gboolean signed_in = !pd_session_get_accounts_enabled (session) ||
                       pd_session_get_account_name (session) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.switch-user",
                                 pd_session_get_accounts_enabled (session));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.audit-log",
                                 signed_in && pd_session_may (session, PD_PERMISSION_READ_AUDIT));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import",
                                 signed_in && pd_session_may (session, PD_PERMISSION_IMPORT));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-persona",
                                 signed_in && pd_session_may (session, PD_PERMISSION_EDIT));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.privacy",
                                 signed_in && pd_session_may (session, PD_PERMISSION_FORGET));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.forget-persona",
                                 signed_in && pd_session_may (session, PD_PERMISSION_FORGET));
}

/* The app's other windows (history, preferences, the audit log, an
 * import) show customers' data too: the lock hides them.  Closing them
 * would cancel an import that runs. */
static void
hide_other_windows (PdWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (window == GTK_WINDOW (self) || !gtk_widget_get_visible (GTK_WIDGET (window)) ||
          (gtk_window_get_transient_for (window) != GTK_WINDOW (self) &&
           (app == NULL || gtk_window_get_application (window) != app)))
        continue;
      gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
      g_ptr_array_add (self->hidden_windows, g_object_ref (window));
    }
}

/* The same person finds their windows again; someone else gets only an
 * import that still runs (its progress), the rest close. */
static void
show_hidden_windows (PdWindow *self)
{
  gboolean same = g_strcmp0 (self->locked_account,
                             pd_session_get_account_name (pd_session_get_default ())) == 0;

  for (guint i = 0; i < self->hidden_windows->len; i++)
    {
      GtkWindow *window = g_ptr_array_index (self->hidden_windows, i);

      if (same || PD_IS_IMPORT_ASSISTANT (window))
        gtk_window_present (window);
      else
        gtk_window_destroy (window);
    }
  g_ptr_array_set_size (self->hidden_windows, 0);
}

static void
lock (PdWindow *self)
{
  PdSession *session = pd_session_get_default ();
  g_autofree char *last = g_strdup (pd_session_get_account_name (session));

  hide_other_windows (self);
  if (pd_session_get_account_name (session) != NULL)
    {
      g_free (self->locked_account);
      self->locked_account = g_strdup (pd_session_get_account_name (session));
    }
  pd_session_sign_out (session);
  if (self->main_content == NULL)
    {
      self->main_content = g_object_ref (adw_application_window_get_content (ADW_APPLICATION_WINDOW (self)));
      adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), self->sign_in_page);
    }
  pd_sign_in_page_reset (PD_SIGN_IN_PAGE (self->sign_in_page), last);
  update_staff_actions (self);
}

/* What someone typed in the detail pane and left unsaved is theirs: saved
 * by whoever signs in next it would go into the audit log under the wrong
 * name.  The same person finds it again; anyone else gets the persona as
 * stored, and is told. */
static void
drop_other_users_edits (PdWindow *self)
{
  g_autofree char *message = NULL;

  if (self->detail == NULL || self->locked_account == NULL ||
      g_strcmp0 (self->locked_account, pd_session_get_account_name (pd_session_get_default ())) == 0 ||
      !pd_persona_detail_has_changes (self->detail))
    return;
  pd_persona_detail_cancel_editing (self->detail);
  /* TRANSLATORS: "Sam's unsaved changes were discarded"; Sam is the staff
   * account that typed them before the window locked */
  message = g_strdup_printf (_("Unsaved changes by %s were discarded"), self->locked_account);
  pd_window_show_toast (self, message);
}

static void
unlock (PdWindow *self)
{
  drop_other_users_edits (self);
  if (self->main_content != NULL)
    {
      adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), self->main_content);
      g_clear_object (&self->main_content);
    }
  self->last_activity_us = g_get_monotonic_time ();
  show_hidden_windows (self);
  update_staff_actions (self);
  _pd_window_update_actions (self);
}

static void
on_signed_in (PdSignInPage *page,
              PdAccount    *account,
              PdWindow     *self)
{
  g_autofree char *message = NULL;

  pd_session_sign_in (pd_session_get_default (), account);
  unlock (self);
  /* TRANSLATORS: "Signed in as Sam (Staff)" */
  message = g_strdup_printf (_("Signed in as %s (%s)"), account->name, pd_role_to_label (account->role));
  pd_window_show_toast (self, message);
}

static void
note_activity (PdWindow *self)
{
  self->last_activity_us = g_get_monotonic_time ();
}

/* GTK also sends motion when what is under a still pointer changes (a
 * row appears, the content swaps): only a pointer that moved is someone. */
static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           PdWindow                 *self)
{
  if (x == self->last_pointer_x && y == self->last_pointer_y)
    return;
  self->last_pointer_x = x;
  self->last_pointer_y = y;
  note_activity (self);
}

static gboolean
idle_check_cb (gpointer data)
{
  PdWindow *self = data;
  PdSession *session = pd_session_get_default ();
  guint minutes = pd_session_get_lock_minutes (session);

  if (pd_session_get_accounts_enabled (session) && pd_session_get_account_name (session) != NULL &&
      minutes > 0 && g_get_monotonic_time () - self->last_activity_us > (gint64) minutes * 60 * G_USEC_PER_SEC)
    lock (self);
  return G_SOURCE_CONTINUE;
}

static void
on_session_changed (PdSession *session,
                    PdWindow  *self)
{
  update_staff_actions (self);
}

static void
switch_user_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  PdWindow *self = PD_WINDOW (widget);

  /* what is typed in the detail pane stays while the window is locked:
   * the same user finds it again, another does not (drop_other_users_edits) */
  pd_session_sync (pd_session_get_default (), self->store);
  if (pd_session_get_accounts_enabled (pd_session_get_default ()))
    lock (self);
}

static void
audit_log_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  PdWindow *self = PD_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (pd_audit_window_new (GTK_WINDOW (self), self->store)));
}

void
_pd_window_class_add_staff_actions (GtkWidgetClass *widget_class)
{
  g_type_ensure (PD_TYPE_SIGN_IN_PAGE);
  gtk_widget_class_install_action (widget_class, "win.switch-user", NULL, switch_user_action);
  gtk_widget_class_install_action (widget_class, "win.audit-log", NULL, audit_log_action);
}

void
_pd_window_setup_staff (PdWindow *self)
{
  PdSession *session = pd_session_get_default ();
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  /* any key, click or pointer move in the window is activity */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (note_activity), self);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (click, "pressed", G_CALLBACK (note_activity), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  self->hidden_windows = g_ptr_array_new_with_free_func (g_object_unref);
  self->sign_in_page = g_object_ref_sink (pd_sign_in_page_new (self->store));
  g_signal_connect_object (self->sign_in_page, "signed-in", G_CALLBACK (on_signed_in), self, 0);
  g_signal_connect_object (session, "changed", G_CALLBACK (on_session_changed), self, 0);
  self->last_activity_us = g_get_monotonic_time ();
  self->idle_check_id = g_timeout_add_seconds (IDLE_CHECK_SECONDS, idle_check_cb, self);

  pd_session_sync (session, self->store);
  if (pd_session_get_accounts_enabled (session) && pd_session_get_account_name (session) == NULL)
    lock (self);
  else
    update_staff_actions (self);
}

void
_pd_window_dispose_staff (PdWindow *self)
{
  g_clear_handle_id (&self->idle_check_id, g_source_remove);
  g_clear_object (&self->main_content);
  g_clear_object (&self->sign_in_page);
  /* hidden by the lock, they would outlive the window unseen */
  for (guint i = 0; self->hidden_windows != NULL && i < self->hidden_windows->len; i++)
    gtk_window_destroy (g_ptr_array_index (self->hidden_windows, i));
  g_clear_pointer (&self->hidden_windows, g_ptr_array_unref);
  g_clear_pointer (&self->locked_account, g_free);
}
