/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-import-actions.h"
#include "pd-import-format.h"
#include "pd-import-progress-page.h"
#include "pd-import-session.h"
#include "pd-renderer.h"
#include "pd-session.h"

struct _PdImportProgressPage
{
  AdwBin          parent_instance;

  PdStore        *store;
  PdImportJob    *job;
  GCancellable   *cancellable;
  GCancellable   *undo_cancellable;
  gint64          started;       /* monotonic µs */
  char           *title;
  char           *error;
  gboolean        running;
  gboolean        succeeded;
  gboolean        undone;
  gboolean        cancelling;

  GtkStack       *stack;
  GtkLabel       *title_label;
  GtkProgressBar *progress_bar;
  GtkLabel       *rows_label;
  GtkLabel       *rate_label;
  GtkLabel       *time_label;
  GtkWidget      *cancel_button;
  AdwStatusPage  *status_page;
  GtkWidget      *counts_list;
  GtkLabel       *imported_label;
  GtkLabel       *updated_label;
  GtkLabel       *ignored_label;
  GtkLabel       *failed_label;
  GtkLabel       *warned_label;
  GtkLabel       *shared_label;
  GtkWidget      *summary_buttons;
  GtkWidget      *report_button;
  char           *report_path;         /* while the report is written */
  char           *report_description;  /* the summary, shown again after */
  GtkWidget      *audience_button;
  GtkWidget      *undo_button;
  GtkProgressBar *undo_progress;
  gint            undo_permille;   /* atomic: written by the undo's thread */
  guint           undo_tick;       /* shows it, ten times a second */
};

G_DEFINE_FINAL_TYPE (PdImportProgressPage, pd_import_progress_page, ADW_TYPE_BIN)

enum {
  FINISHED,
  VIEW_AUDIENCE,
  UNDONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
pd_import_progress_page_show_progress (PdImportProgressPage *self,
                                       const char           *title,
                                       guint                 rows_done,
                                       double                fraction,
                                       double                elapsed)
{
  g_autofree char *rows = NULL;
  g_autofree char *rate = NULL;
  g_autofree char *left = NULL;
  guint total = 0;

  /* The job knows the fraction of the file read, not the row count:
   * the total is extrapolated from it. */
  if (fraction > 0.01)
    total = (guint) MIN ((double) G_MAXUINT, rows_done / fraction + 0.5);

  if (title != NULL)
    gtk_label_set_label (self->title_label, title);
  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));
  rows = pd_import_format_progress (rows_done, 0);
  rate = pd_import_format_rate (rows_done, elapsed);
  left = self->cancelling ? g_strdup (_("Cancelling: taking back what was written…"))
                          : pd_import_format_time_left (rows_done, total, elapsed);
  gtk_label_set_label (self->rows_label, rows);
  gtk_label_set_label (self->rate_label, rate);
  gtk_label_set_label (self->time_label, left);
}

static void
on_progress_changed (PdImportJob          *job,
                     guint                 rows_done,
                     double                fraction,
                     PdImportProgressPage *self)
{
  g_autofree char *waiting = NULL;

  if (job != self->job)
    return;
  pd_import_progress_page_show_progress (self, NULL, rows_done, fraction,
                                         (g_get_monotonic_time () - self->started) / (double) G_USEC_PER_SEC);
  /* another desk's import runs: this one starts once it has finished */
  waiting = pd_import_job_dup_waiting_message (job);
  if (waiting != NULL && !self->cancelling)
    gtk_label_set_label (self->time_label, waiting);
}

static void
set_count (GtkLabel *label,
           guint     count)
{
  g_autofree char *text = g_strdup_printf ("%'u", count);

  gtk_label_set_label (label, text);
}

static void
notify_if_unfocused (PdImportProgressPage *self,
                     const char           *title,
                     const char           *body)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GApplication *app = g_application_get_default ();
  g_autoptr(GNotification) notification = NULL;

  if (app == NULL || (GTK_IS_WINDOW (root) && gtk_window_is_active (GTK_WINDOW (root))))
    return;
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_application_send_notification (app, "import-finished", notification);
}

static void
show_summary (PdImportProgressPage *self,
              const GError         *error)
{
  static const char * const styles[] = {
    "pd-status-success", "pd-status-warning", "pd-status-error", "pd-status-cancelled",
  };
  const PdImportInfo *info = pd_import_job_get_info (self->job);
  g_autofree char *description = NULL;
  g_autofree char *title_owned = NULL;
  const char *title;
  const char *style;

  set_count (self->imported_label, info->imported);
  set_count (self->updated_label, info->updated);
  set_count (self->ignored_label, info->ignored);
  set_count (self->failed_label, info->failed);
  set_count (self->warned_label, pd_import_job_get_n_warning_rows (self->job));
  set_count (self->shared_label, pd_import_job_get_n_shared_phones (self->job));

  if (error == NULL)
    {
      /* Never a plain "Complete" for an import some rows of which failed. */
      title_owned = pd_import_format_status (PD_IMPORT_STATUS_COMPLETED, info->failed, NULL);
      title = info->failed > 0 ? title_owned : _("Import Complete");
      description = pd_import_format_summary (info);
      adw_status_page_set_icon_name (self->status_page,
                                     info->failed > 0 ? "dialog-warning-symbolic" : "emblem-ok-symbolic");
      style = info->failed > 0 ? "pd-status-warning" : "pd-status-success";
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      title = _("Import Cancelled");
      description = g_strdup (_("Nothing from this file was saved: your personas are as they were."));
      adw_status_page_set_icon_name (self->status_page, "process-stop-symbolic");
      style = "pd-status-cancelled";
    }
  else
    {
      title = _("Import Failed");
      description = g_strdup_printf (_("%s\nNothing from this file was saved."), error->message);
      adw_status_page_set_icon_name (self->status_page, "dialog-error-symbolic");
      style = "pd-status-error";
    }
  /* The icon in the state's colour (style.css); green only for an import
   * with no failed row. */
  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_page), styles[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_page), style);
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, description);
  gtk_widget_set_visible (self->counts_list, error == NULL);
  gtk_widget_set_visible (self->summary_buttons, error == NULL);
  gtk_widget_set_sensitive (self->undo_button, error == NULL);
  gtk_stack_set_visible_child_name (self->stack, "summary");

  notify_if_unfocused (self, title, description);
}

static void
on_job_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PdImportProgressPage) self = user_data;
  g_autoptr(GError) error = NULL;
  PdImportJob *job = PD_IMPORT_JOB (source);

  pd_import_job_run_finish (job, result, &error);
  pd_import_session_job_finished (job);
  /* The page may already run another job, or be gone from the window. */
  if (job != self->job || gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    {
      self->running = self->job != job && self->running;
      return;
    }

  self->running = FALSE;
  self->cancelling = FALSE;
  self->succeeded = error == NULL;
  g_clear_pointer (&self->error, g_free);
  if (error != NULL)
    self->error = g_strdup (error->message);
  show_summary (self, error);
  g_signal_emit (self, signals[FINISHED], 0);
}

void
pd_import_progress_page_start (PdImportProgressPage  *self,
                               PdStore               *store,
                               GFile                 *file,
                               const PdSourceOptions *source_options,
                               const PdImportOptions *options)
{
  g_autofree char *title = NULL;

  g_return_if_fail (PD_IS_IMPORT_PROGRESS_PAGE (self));
  g_return_if_fail (!self->running);

  g_set_object (&self->store, store);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_clear_object (&self->job);
  self->job = pd_import_job_new (store, file, source_options, options);
  pd_import_job_set_actor (self->job, pd_app_actor ());
  g_signal_connect (self->job, "progress-changed", G_CALLBACK (on_progress_changed), self);

  self->running = TRUE;
  self->succeeded = FALSE;
  self->undone = FALSE;
  self->cancelling = FALSE;
  self->started = g_get_monotonic_time ();
  title = g_strdup_printf (_("Importing “%s”…"), options->name ? options->name : "");
  pd_import_progress_page_show_progress (self, title, 0, 0, 0);
  gtk_widget_set_sensitive (self->cancel_button, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "running");
  pd_import_session_add (self->job);
  pd_import_job_run_async (self->job, self->cancellable, on_job_done, g_object_ref (self));
}

void
pd_import_progress_page_cancel (PdImportProgressPage *self)
{
  g_return_if_fail (PD_IS_IMPORT_PROGRESS_PAGE (self));

  if (!self->running)
    return;
  self->cancelling = TRUE;
  gtk_widget_set_sensitive (self->cancel_button, FALSE);
  gtk_label_set_label (self->time_label, _("Cancelling: taking back what was written…"));
  g_cancellable_cancel (self->cancellable);
}

static void
on_cancel_clicked (PdImportProgressPage *self)
{
  pd_import_progress_page_cancel (self);
}

static void
on_report_written (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PdImportProgressPage) self = user_data;
  g_autofree char *path = g_steal_pointer (&self->report_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAppLaunchContext) context = NULL;
  g_autofree char *uri = NULL;

  gtk_widget_set_sensitive (self->report_button, TRUE);
  if (!pd_import_write_report_finish (result, &error))
    {
      adw_status_page_set_description (self->status_page, error->message);
      return;
    }
  adw_status_page_set_description (self->status_page, self->report_description);
  uri = g_filename_to_uri (path, NULL, NULL);
  context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self))));
  pd_renderer_clean_launch (context);
  if (!g_app_info_launch_default_for_uri (uri, context, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The report is saved as %s (%s)"), path, error->message);

      adw_status_page_set_description (self->status_page, text);
    }
}

/* The XLSX of a big import takes seconds to write: in a thread, the
 * button off meanwhile (one writer of the job's results at a time). */
static void
on_report_clicked (PdImportProgressPage *self)
{
  g_autoptr(GError) error = NULL;

  if (self->report_path != NULL)
    return;
  self->report_path = pd_import_dup_temp_report_path (pd_import_job_get_info (self->job)->name, "xlsx",
                                                      &error);
  if (self->report_path == NULL)
    {
      adw_status_page_set_description (self->status_page, error->message);
      return;
    }
  g_free (self->report_description);
  self->report_description = g_strdup (adw_status_page_get_description (self->status_page));
  adw_status_page_set_description (self->status_page, _("Writing the results report…"));
  gtk_widget_set_sensitive (self->report_button, FALSE);
  pd_import_write_report_async (NULL, 0, self->job, self->report_path, NULL, on_report_written,
                                g_object_ref (self));
}

static void
on_audience_clicked (PdImportProgressPage *self)
{
  g_signal_emit (self, signals[VIEW_AUDIENCE], 0, pd_import_progress_page_get_import_id (self));
}

static gboolean
undo_tick (gpointer data)
{
  PdImportProgressPage *self = data;

  gtk_progress_bar_set_fraction (self->undo_progress, g_atomic_int_get (&self->undo_permille) / 1000.0);
  return G_SOURCE_CONTINUE;
}

static void
stop_undo_progress (PdImportProgressPage *self)
{
  g_clear_handle_id (&self->undo_tick, g_source_remove);
  gtk_widget_set_visible (GTK_WIDGET (self->undo_progress), FALSE);
}

static void
on_undone (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PdImportProgressPage) self = user_data;
  g_autoptr(GError) error = NULL;

  stop_undo_progress (self);
  if (!pd_import_undo_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_status_page_set_title (self->status_page, _("Cannot Undo"));
      adw_status_page_set_description (self->status_page, error->message);
      gtk_widget_set_sensitive (self->undo_button, TRUE);
      g_signal_emit (self, signals[UNDONE], 0, (gint64) 0);
      return;
    }
  self->undone = TRUE;
  adw_status_page_set_icon_name (self->status_page, "edit-undo-symbolic");
  adw_status_page_set_title (self->status_page, _("Import Undone"));
  adw_status_page_set_description (self->status_page,
                                   _("Every change this import made was taken back: new personas "
                                     "removed, fields and points restored."));
  gtk_widget_set_sensitive (self->audience_button, FALSE);
  g_signal_emit (self, signals[UNDONE], 0, pd_import_progress_page_get_import_id (self));
}

void
pd_import_progress_page_undo (PdImportProgressPage *self)
{
  gint64 id = pd_import_progress_page_get_import_id (self);

  g_return_if_fail (id > 0 && self->store != NULL);
  gtk_widget_set_sensitive (self->undo_button, FALSE);
  /* seconds for a big import: say what is going on */
  adw_status_page_set_description (self->status_page, _("Undoing the import: taking back what it wrote…"));
  gtk_progress_bar_set_fraction (self->undo_progress, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->undo_progress), TRUE);
  if (self->undo_tick == 0)
    self->undo_tick = g_timeout_add (100, undo_tick, self);
  g_clear_object (&self->undo_cancellable);
  self->undo_cancellable = g_cancellable_new ();
  pd_import_undo_async (self->store, id, &self->undo_permille, self->undo_cancellable, on_undone,
                        g_object_ref (self));
}

static void
on_undo_response (AdwMessageDialog     *dialog,
                  const char           *response,
                  PdImportProgressPage *self)
{
  if (g_strcmp0 (response, "undo") == 0)
    pd_import_progress_page_undo (self);
}

static void
on_undo_clicked (PdImportProgressPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Undo This Import?"),
                                   _("New personas from this file are removed, and fields and points "
                                     "of updated personas are restored. This is refused if someone "
                                     "changed those personas since."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep Import"), "undo", _("_Undo Import"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "undo",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_undo_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
pd_import_progress_page_is_running (PdImportProgressPage *self)
{
  return self->running;
}

PdImportJob *
pd_import_progress_page_get_job (PdImportProgressPage *self)
{
  return self->job;
}

gint64
pd_import_progress_page_get_import_id (PdImportProgressPage *self)
{
  return self->job ? pd_import_job_get_info (self->job)->id : 0;
}

const char *
pd_import_progress_page_get_error (PdImportProgressPage *self)
{
  return self->error;
}

gboolean
pd_import_progress_page_get_succeeded (PdImportProgressPage *self)
{
  return self->succeeded;
}

gboolean
pd_import_progress_page_get_undone (PdImportProgressPage *self)
{
  return self->undone;
}

static void
pd_import_progress_page_dispose (GObject *object)
{
  PdImportProgressPage *self = PD_IMPORT_PROGRESS_PAGE (object);

  /* Closing the assistant while importing cancels: nothing half-written. */
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->undo_cancellable);
  g_clear_handle_id (&self->undo_tick, g_source_remove);
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  G_OBJECT_CLASS (pd_import_progress_page_parent_class)->dispose (object);
}

static void
pd_import_progress_page_finalize (GObject *object)
{
  PdImportProgressPage *self = PD_IMPORT_PROGRESS_PAGE (object);

  g_clear_object (&self->store);
  g_clear_object (&self->job);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->undo_cancellable);
  g_free (self->title);
  g_free (self->error);
  g_free (self->report_path);
  g_free (self->report_description);
  G_OBJECT_CLASS (pd_import_progress_page_parent_class)->finalize (object);
}

static void
pd_import_progress_page_class_init (PdImportProgressPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_import_progress_page_dispose;
  object_class->finalize = pd_import_progress_page_finalize;

  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[VIEW_AUDIENCE] = g_signal_new ("view-audience", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /* 0 when the undo was refused */
  signals[UNDONE] = g_signal_new ("undone", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/import/pd-import-progress-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PdImportProgressPage, name)
  BIND (stack);
  BIND (title_label);
  BIND (progress_bar);
  BIND (rows_label);
  BIND (rate_label);
  BIND (time_label);
  BIND (cancel_button);
  BIND (status_page);
  BIND (counts_list);
  BIND (imported_label);
  BIND (updated_label);
  BIND (ignored_label);
  BIND (failed_label);
  BIND (warned_label);
  BIND (shared_label);
  BIND (summary_buttons);
  BIND (report_button);
  BIND (audience_button);
  BIND (undo_button);
  BIND (undo_progress);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_report_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_audience_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_undo_clicked);
}

static void
pd_import_progress_page_init (PdImportProgressPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
