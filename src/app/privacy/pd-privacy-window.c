/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPrivacyWindow: the Data & Privacy page (issue 16).  A phone and/or an
 * email → how many personas they concern (never who) → confirm → erased
 * and blocklisted by pd_privacy_forget(), on a connection of its own in a
 * thread: an erasure rewrites kept files and checkpoints the log. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-application.h"
#include "pd-email.h"
#include "pd-error.h"
#include "pd-permission.h"
#include "pd-phone.h"
#include "pd-privacy-forget.h"
#include "pd-privacy-window.h"
#include "pd-session.h"

struct _PdPrivacyWindow
{
  AdwWindow        parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwEntryRow     *phone_row;
  AdwEntryRow     *email_row;
  GtkLabel        *status_label;

  PdStore         *store;
  GSettings       *settings;
  GCancellable    *cancellable;
  GStrv            emails;     /* the contacts checked, normalized */
  GStrv            phones;
  guint            personas;   /* how many they concern */
  gboolean         busy;
};

G_DEFINE_FINAL_TYPE (PdPrivacyWindow, pd_privacy_window, ADW_TYPE_WINDOW)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef struct {
  GStrv    emails;
  GStrv    phones;
  gboolean dry_run;
  PdActor *actor;   /* the signed-in staff member, copied for the thread */
} Job;

static void
job_free (Job *job)
{
  g_strfreev (job->emails);
  g_strfreev (job->phones);
  g_free (job->actor);
  g_free (job);
}

static void
forget_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  g_autofree PdForgetResult *result = g_new0 (PdForgetResult, 1);
  GError *error = NULL;

  if (pd_privacy_forget (source_object, job->actor, (const char * const *) job->emails,
                         (const char * const *) job->phones, job->dry_run, result, &error))
    g_task_return_pointer (task, g_steal_pointer (&result), g_free);
  else
    g_task_return_error (task, error);
}

static void
update_actions (PdPrivacyWindow *self)
{
  gboolean checked = self->emails != NULL || self->phones != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "privacy.check", !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "privacy.forget",
                                 !self->busy && checked && pd_role_may (PD_ROLE_OWNER, PD_PERMISSION_FORGET));
}

static void
set_status (PdPrivacyWindow *self,
            const char      *text)
{
  gtk_label_set_text (self->status_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL && *text != '\0');
}

static void
clear_checked (PdPrivacyWindow *self)
{
  g_clear_pointer (&self->emails, g_strfreev);
  g_clear_pointer (&self->phones, g_strfreev);
  self->personas = 0;
}

static void
on_entry_changed (PdPrivacyWindow *self)
{
  if (self->busy)
    return;
  /* a count is for the contacts it was made for */
  clear_checked (self);
  set_status (self, NULL);
  update_actions (self);
}

static void
on_done (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  g_autoptr(PdPrivacyWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree PdForgetResult *result = g_task_propagate_pointer (G_TASK (res), &error);
  gboolean dry_run = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (res), "dry-run"));
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  if (result == NULL)
    {
      clear_checked (self);
      set_status (self, error->message);
    }
  else if (dry_run)
    {
      self->personas = result->personas;
      if (result->personas == 0)
        text = g_strdup (_("No persona has this phone or email. Forgetting still removes them from "
                           "past imports and blocklists them."));
      else
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "This concerns %u persona.",
                                             "This concerns %u personas.", result->personas),
                                result->personas);
      set_status (self, text);
    }
  else
    {
      g_autofree char *erased = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                              "Done: %u persona erased",
                                                              "Done: %u personas erased", result->personas),
                                                 result->personas);
      g_autofree char *rows = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u row removed from past imports",
                                                            "%u rows removed from past imports",
                                                            result->rows_removed),
                                               result->rows_removed);

      /* Translators: "Done: 1 persona erased; 2 rows removed from past imports. …" */
      text = g_strdup_printf (_("%s; %s. The phone and email are blocklisted."), erased, rows);
      clear_checked (self);
      g_signal_handlers_block_by_func (self->phone_row, on_entry_changed, self);
      g_signal_handlers_block_by_func (self->email_row, on_entry_changed, self);
      gtk_editable_set_text (GTK_EDITABLE (self->phone_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->email_row), "");
      g_signal_handlers_unblock_by_func (self->phone_row, on_entry_changed, self);
      g_signal_handlers_unblock_by_func (self->email_row, on_entry_changed, self);
      set_status (self, text);
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Customer forgotten")));
      g_signal_emit (self, signals[CHANGED], 0);
    }
  update_actions (self);
}

static void
run (PdPrivacyWindow *self,
     gboolean         dry_run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) worker = pd_store_open_another (self->store, &error);
  g_autoptr(GTask) task = NULL;
  Job *job;

  if (worker == NULL)
    {
      set_status (self, error->message);
      return;
    }
  job = g_new0 (Job, 1);
  job->emails = g_strdupv (self->emails);
  job->phones = g_strdupv (self->phones);
  job->dry_run = dry_run;
  task = g_task_new (worker, self->cancellable, on_done, g_object_ref (self));
  g_task_set_source_tag (task, run);
  job->actor = pd_app_actor_dup ();
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_object_set_data (G_OBJECT (task), "dry-run", GINT_TO_POINTER (dry_run));
  self->busy = TRUE;
  update_actions (self);
  g_task_run_in_thread (task, forget_thread);
}

static char *
dup_region (PdPrivacyWindow *self)
{
  g_autofree char *region = NULL;

  if (self->settings != NULL)
    region = g_settings_get_string (self->settings, "default-country");
  if (region == NULL || !pd_phone_is_known_region (region))
    return g_strdup ("US");
  return g_steal_pointer (&region);
}

static void
check_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PdPrivacyWindow *self = PD_PRIVACY_WINDOW (widget);
  g_autofree char *phone_text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->phone_row))));
  g_autofree char *email_text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->email_row))));
  g_autofree char *region = dup_region (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *email = NULL;

  clear_checked (self);
  if (*phone_text == '\0' && *email_text == '\0')
    {
      set_status (self, _("Enter a phone number, an email, or both."));
      update_actions (self);
      return;
    }
  if (*phone_text != '\0' && (phone = pd_phone_normalize (phone_text, region, &error)) == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Phone: %s"), error->message);

      set_status (self, text);
      update_actions (self);
      return;
    }
  if (*email_text != '\0' && (email = pd_email_normalize (email_text, &error)) == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Email: %s"), error->message);

      set_status (self, text);
      update_actions (self);
      return;
    }
  self->phones = g_new0 (char *, 2);
  self->phones[0] = g_steal_pointer (&phone);
  self->emails = g_new0 (char *, 2);
  self->emails[0] = g_steal_pointer (&email);
  run (self, TRUE);
}

static void
on_entry_activated (PdPrivacyWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "privacy.check", NULL);
}

static void
on_confirm_response (AdwMessageDialog *dialog,
                     const char       *response,
                     PdPrivacyWindow  *self)
{
  if (g_strcmp0 (response, "forget") == 0 && (self->emails != NULL || self->phones != NULL))
    run (self, FALSE);
}

static void
forget_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PdPrivacyWindow *self = PD_PRIVACY_WINDOW (widget);
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u persona and every copy of their data will be erased for good, "
                                       "their rows removed from past imports, and the phone and email "
                                       "blocklisted. This cannot be undone.",
                                       "%u personas and every copy of their data will be erased for good, "
                                       "their rows removed from past imports, and the phone and email "
                                       "blocklisted. This cannot be undone.", self->personas),
                          self->personas);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Forget This Customer?"), body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "forget", _("_Forget"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "forget", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
pd_privacy_window_dispose (GObject *object)
{
  PdPrivacyWindow *self = PD_PRIVACY_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (pd_privacy_window_parent_class)->dispose (object);
}

static void
pd_privacy_window_finalize (GObject *object)
{
  PdPrivacyWindow *self = PD_PRIVACY_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  clear_checked (self);
  G_OBJECT_CLASS (pd_privacy_window_parent_class)->finalize (object);
}

static void
pd_privacy_window_class_init (PdPrivacyWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_privacy_window_dispose;
  object_class->finalize = pd_privacy_window_finalize;

  /**
   * PdPrivacyWindow::changed:
   *
   * Personas were erased: lists and counts must be read again.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/privacy/pd-privacy-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdPrivacyWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdPrivacyWindow, phone_row);
  gtk_widget_class_bind_template_child (widget_class, PdPrivacyWindow, email_row);
  gtk_widget_class_bind_template_child (widget_class, PdPrivacyWindow, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_install_action (widget_class, "privacy.check", NULL, check_action);
  gtk_widget_class_install_action (widget_class, "privacy.forget", NULL, forget_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pd_privacy_window_init (PdPrivacyWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->settings = pd_application_dup_settings ();   /* nullable */
  set_status (self, NULL);
  update_actions (self);
}

PdPrivacyWindow *
pd_privacy_window_new (GtkWindow *parent,
                       PdStore   *store,
                       PdPersona *persona)
{
  PdPrivacyWindow *self = g_object_new (PD_TYPE_PRIVACY_WINDOW, "transient-for", parent, NULL);

  self->store = g_object_ref (store);
  if (persona != NULL)
    {
      GPtrArray *phones = pd_persona_get_phones (persona);
      GPtrArray *emails = pd_persona_get_emails (persona);

      if (phones->len > 0)
        {
          const char *phone = g_ptr_array_index (phones, 0);
          g_autofree char *number = g_strndup (phone, pd_phone_number_length (phone));

          gtk_editable_set_text (GTK_EDITABLE (self->phone_row), number);
        }
      if (emails->len > 0)
        gtk_editable_set_text (GTK_EDITABLE (self->email_row), g_ptr_array_index (emails, 0));
      gtk_widget_activate_action (GTK_WIDGET (self), "privacy.check", NULL);
    }
  return self;
}

const char *
pd_privacy_window_get_status (PdPrivacyWindow *self)
{
  g_return_val_if_fail (PD_IS_PRIVACY_WINDOW (self), NULL);
  return gtk_label_get_text (self->status_label);
}
