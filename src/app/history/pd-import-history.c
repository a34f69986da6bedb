/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-import-actions.h"
#include "pd-import-history.h"
#include "pd-import-session.h"
#include "pd-import-undo-rest-dialog.h"
#include "pd-report-writer.h"
#include "pd-session.h"

/* Imports run by another process (the CLI) show up within this. */
#define POLL_SECONDS 3

struct _PdImportHistory
{
  AdwWindow        parent_instance;

  PdStore         *store;
  GCancellable    *cancellable;
  char            *signature;   /* of the list shown, to rebuild only on change */
  char            *message;
  guint            poll_id;
  guint            busy;
  GtkFileChooserNative *chooser;
  gint64           chooser_id;
  gint64           undoing_id;
  AdwToast        *last_toast;        /* a newer message replaces it */
  AdwMessageDialog *undo_rest_dialog;   /* while shown */

  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkListBox      *list;
};

G_DEFINE_FINAL_TYPE (PdImportHistory, pd_import_history, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

enum {
  VIEW_AUDIENCE,
  CHANGED,
  OPEN_PERSONA,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
toast (PdImportHistory *self,
       const char      *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
  /* "Undoing the import…" is over once the result is said: toasts queue
   * one after the other, and would say it after the result */
  if (self->last_toast != NULL)
    adw_toast_dismiss (self->last_toast);
  g_clear_object (&self->last_toast);
  self->last_toast = adw_toast_new (message);
  adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (self->last_toast));
}

static char *
list_signature (GPtrArray *imports)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < imports->len; i++)
    {
      PdImportInfo *info = g_ptr_array_index (imports, i);

      g_string_append_printf (s, "%" G_GINT64_FORMAT ":%d:%u:%u:%s;", info->id, info->status,
                              info->total, info->failed, info->name);
    }
  return g_string_free (s, FALSE);
}

void
pd_import_history_reload (PdImportHistory *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GPtrArray) running = g_ptr_array_new ();
  g_autoptr(GString) signature = g_string_new (NULL);
  g_autofree char *stored_signature = NULL;
  GListModel *jobs = pd_import_session_get_jobs ();
  GtkWidget *child;

  g_return_if_fail (PD_IS_IMPORT_HISTORY (self));

  stored = pd_store_list_imports (self->store, &error);
  if (stored == NULL)
    {
      toast (self, error->message);
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
    {
      g_autoptr(PdImportJob) job = g_list_model_get_item (jobs, i);

      if (pd_import_session_is_running (job))
        {
          g_ptr_array_add (running, job);
          g_string_append_printf (signature, "run:%p;", (void *) job);
        }
    }
  stored_signature = list_signature (stored);
  g_string_append (signature, stored_signature);
  if (g_strcmp0 (signature->str, self->signature) == 0)
    return;
  g_free (self->signature);
  self->signature = g_strdup (signature->str);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  /* The running imports first: their record is not committed yet. */
  for (guint i = 0; i < running->len; i++)
    {
      PdImportJob *job = g_ptr_array_index (running, i);

      gtk_list_box_append (self->list,
                           GTK_WIDGET (pd_import_history_row_new (pd_import_job_get_info (job), job, FALSE)));
    }
  for (guint i = 0; i < stored->len; i++)
    {
      PdImportInfo *info = g_ptr_array_index (stored, i);

      /* A completed import kept its rows' results: its report can be
       * written again, also after an undo or a restart. */
      gboolean has_report = pd_import_session_find (info->id) != NULL ||
                            info->status == PD_IMPORT_STATUS_COMPLETED ||
                            info->status == PD_IMPORT_STATUS_UNDONE ||
                            info->status == PD_IMPORT_STATUS_PARTLY_UNDONE;

      gtk_list_box_append (self->list, GTK_WIDGET (pd_import_history_row_new (info, NULL, has_report)));
    }
  gtk_stack_set_visible_child_name (self->stack, running->len + stored->len > 0 ? "list" : "empty");
}

static void
on_jobs_changed (PdImportHistory *self)
{
  pd_import_history_reload (self);
}

static gboolean
poll_cb (gpointer data)
{
  pd_import_history_reload (data);
  return G_SOURCE_CONTINUE;
}

guint
pd_import_history_get_n_rows (PdImportHistory *self)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

PdImportHistoryRow *
pd_import_history_get_row (PdImportHistory *self,
                           guint            index)
{
  return PD_IMPORT_HISTORY_ROW (gtk_list_box_get_row_at_index (self->list, index));
}

const char *
pd_import_history_get_message (PdImportHistory *self)
{
  return self->message;
}

gboolean
pd_import_history_is_busy (PdImportHistory *self)
{
  return self->busy > 0;
}

/* ---- undo ---- */

static void offer_undo_rest (PdImportHistory *self, gint64 id, GArray *blockers);

static void
on_undone (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PdImportHistory) self = user_data;
  g_autoptr(GError) error = NULL;

  self->busy--;
  if (!pd_import_undo_finish (result, &error))
    {
      g_autoptr(GArray) blockers = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* changed since: name them, let them be opened, offer the rest */
      if (g_error_matches (error, PD_ERROR, PD_ERROR_CONFLICT) &&
          (blockers = pd_store_list_undo_blockers (self->store, self->undoing_id, NULL)) != NULL &&
          blockers->len > 0)
        offer_undo_rest (self, self->undoing_id, blockers);
      else
        toast (self, error->message);
      return;
    }
  toast (self, _("Import undone: its changes were taken back"));
  pd_import_history_reload (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
pd_import_history_undo (PdImportHistory *self,
                        gint64           id)
{
  /* seconds for a big import: say what is going on */
  toast (self, _("Undoing the import…"));
  self->busy++;
  self->undoing_id = id;
  pd_import_undo_async (self->store, id, NULL, self->cancellable, on_undone, g_object_ref (self));
}

/* ---- undo the rest ---- */

static void
on_undone_rest (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PdImportHistory) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n_kept = 0;

  self->busy--;
  if (!pd_import_undo_rest_finish (result, &n_kept, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Import partly undone: %u persona changed since kept as it is",
                                       "Import partly undone: %u personas changed since kept as they are",
                                       n_kept), n_kept);
  toast (self, n_kept > 0 ? text : _("Import undone: its changes were taken back"));
  pd_import_history_reload (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
pd_import_history_undo_rest (PdImportHistory *self,
                             gint64           id)
{
  toast (self, _("Undoing the rest of the import…"));
  self->busy++;
  pd_import_undo_rest_async (self->store, id, self->cancellable, on_undone_rest, g_object_ref (self));
}

static void
on_dialog_open_persona (PdImportUndoRestDialog *dialog,
                        gint64                  persona_id,
                        PdImportHistory        *self)
{
  g_signal_emit (self, signals[OPEN_PERSONA], 0, persona_id);
}

static void
on_undo_rest_response (PdImportUndoRestDialog *dialog,
                       const char             *response,
                       PdImportHistory        *self)
{
  self->undo_rest_dialog = NULL;
  if (g_strcmp0 (response, "rest") == 0)
    pd_import_history_undo_rest (self, pd_import_undo_rest_dialog_get_import_id (dialog));
}

/* The undo was refused: the personas changed since, and the choice to
 * undo the rest. */
static void
offer_undo_rest (PdImportHistory *self,
                 gint64           id,
                 GArray          *blockers)
{
  PdImportUndoRestDialog *dialog = pd_import_undo_rest_dialog_new (GTK_WINDOW (self), self->store, id, blockers);

  g_signal_connect_object (dialog, "open-persona", G_CALLBACK (on_dialog_open_persona), self, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_undo_rest_response), self, 0);
  self->undo_rest_dialog = ADW_MESSAGE_DIALOG (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* (nullable) (transfer none): the "Changed Since the Import" dialog while
 * it is shown, for tests and screenshots */
AdwMessageDialog *
pd_import_history_get_undo_rest_dialog (PdImportHistory *self)
{
  return self->undo_rest_dialog;
}

/* ---- double opt-in ---- */

static void
on_opt_in_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PdImportHistory) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  PdOptInCounts counts;

  self->busy--;
  if (!pd_import_request_sms_opt_in_finish (result, &counts, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Double opt-in request queued for %u persona; skipped %u opted out, %u already opted in or pending, %u without a phone",
                                       "Double opt-in requests queued for %u personas; skipped %u opted out, %u already opted in or pending, %u without a phone",
                                       counts.marked),
                          counts.marked, counts.opted_out, counts.already, counts.no_phone);
  toast (self, text);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
pd_import_history_send_opt_in (PdImportHistory *self,
                               gint64           id)
{
  self->busy++;
  pd_import_request_sms_opt_in_async (self->store, id, self->cancellable, on_opt_in_done,
                                      g_object_ref (self));
}

/* ---- delete ---- */

static void
on_deleted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PdImportHistory) self = user_data;
  g_autoptr(GError) error = NULL;

  self->busy--;
  if (!pd_import_delete_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  toast (self, _("Import deleted from the history; its personas stay"));
  pd_import_history_reload (self);
}

void
pd_import_history_delete (PdImportHistory *self,
                          gint64           id)
{
  toast (self, _("Deleting the import from the history…"));
  self->busy++;
  pd_import_delete_async (self->store, id, self->cancellable, on_deleted, g_object_ref (self));
}

/* ---- the menu's actions ---- */

typedef void (*ConfirmedFunc) (PdImportHistory *self, gint64 id);

static void
on_confirm_response (AdwMessageDialog *dialog,
                     const char       *response,
                     PdImportHistory  *self)
{
  ConfirmedFunc func = g_object_get_data (G_OBJECT (dialog), "func");
  gint64 *id = g_object_get_data (G_OBJECT (dialog), "id");

  if (g_strcmp0 (response, "confirm") == 0)
    func (self, *id);
}

static void
confirm (PdImportHistory *self,
         gint64           id,
         const char      *heading,
         const char      *body,
         const char      *button,
         gboolean         destructive,
         ConfirmedFunc    func)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "confirm", button, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "confirm",
                                              destructive ? ADW_RESPONSE_DESTRUCTIVE
                                                          : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "func", func);
  g_object_set_data_full (G_OBJECT (dialog), "id", g_memdup2 (&id, sizeof id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  confirm (PD_IMPORT_HISTORY (widget), g_variant_get_int64 (param),
           _("Delete This Import from the History?"),
           _("The record and the stored copy of the file are removed. The personas it "
             "imported stay, but the import can no longer be undone."),
           _("_Delete"), TRUE, pd_import_history_delete);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  confirm (PD_IMPORT_HISTORY (widget), g_variant_get_int64 (param),
           _("Undo This Import?"),
           _("New personas from this file are removed, and fields and points of updated personas "
             "are restored. Personas changed since are named, and you may undo the rest."),
           _("_Undo Import"), TRUE, pd_import_history_undo);
}

static void
opt_in_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  confirm (PD_IMPORT_HISTORY (widget), g_variant_get_int64 (param),
           _("Queue Double Opt-in Requests?"),
           _("Each persona of this import with a phone is marked “SMS opt-in pending” until their "
             "YES is recorded. Persona Desk sends no texts itself: the requests wait for the text "
             "service you use. Personas who opted out of texts are skipped, and so are those already "
             "opted in. The import can still be undone; undoing it takes these marks back."),
           _("_Queue Requests"), FALSE, pd_import_history_send_opt_in);
}

static void
view_audience_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  g_signal_emit (widget, signals[VIEW_AUDIENCE], 0, g_variant_get_int64 (param));
}

static void
on_save_response (PdImportHistory      *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  gboolean report = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "report"));
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;

  if (report)
    pd_import_history_save_report (self, self->chooser_id, file);
  else
    pd_import_history_save_original (self, self->chooser_id, file);
}

static void
on_original_saved (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PdImportHistory) self = user_data;
  g_autoptr(GError) error = NULL;

  self->busy--;
  if (pd_import_save_original_finish (result, &error))
    toast (self, _("Original file saved"));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, error->message);
}

void
pd_import_history_save_original (PdImportHistory *self,
                                 gint64           id,
                                 GFile           *file)
{
  g_return_if_fail (PD_IS_IMPORT_HISTORY (self));

  self->busy++;
  pd_import_save_original_async (self->store, id, file, self->cancellable, on_original_saved,
                                 g_object_ref (self));
}

static void
on_report_saved (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PdImportHistory) self = user_data;
  g_autoptr(GError) error = NULL;

  self->busy--;
  if (pd_import_write_report_finish (result, &error))
    toast (self, _("Results report saved"));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, error->message);
}

void
pd_import_history_save_report (PdImportHistory *self,
                               gint64           id,
                               GFile           *file)
{
  g_autofree char *path = g_file_get_path (file);

  g_return_if_fail (PD_IS_IMPORT_HISTORY (self));
  if (path == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("%s is not a local file"), g_file_peek_path (file));

      toast (self, text);
      return;
    }
  toast (self, _("Writing the results report…"));
  self->busy++;
  pd_import_write_report_async (self->store, id, pd_import_session_find (id), path, self->cancellable,
                                on_report_saved, g_object_ref (self));
}

static void
save_as (PdImportHistory *self,
         gint64           id,
         gboolean         report)
{
  g_autoptr(PdImportInfo) info = pd_store_get_import (self->store, id, NULL);
  g_autofree char *name = NULL;

  if (info == NULL)
    return;
  if (report)
    name = g_strdup_printf (_("%s — report.xlsx"), info->name);
  else
    name = g_strdup (info->file_name);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (report ? _("Save Results Report") : _("Save Original File"),
                                               GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  self->chooser_id = id;
  g_object_set_data (G_OBJECT (self->chooser), "report", GINT_TO_POINTER (report));
  if (report)
    {
      GtkFileFilter *filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, _("Excel workbook (.xlsx) or CSV (.csv)"));
      gtk_file_filter_add_pattern (filter, "*.xlsx");
      gtk_file_filter_add_pattern (filter, "*.csv");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
      g_object_unref (filter);
    }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (on_save_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
download_file_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  save_as (PD_IMPORT_HISTORY (widget), g_variant_get_int64 (param), FALSE);
}

static void
download_report_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  save_as (PD_IMPORT_HISTORY (widget), g_variant_get_int64 (param), TRUE);
}

static void
pd_import_history_map (GtkWidget *widget)
{
  PdImportHistory *self = PD_IMPORT_HISTORY (widget);

  GTK_WIDGET_CLASS (pd_import_history_parent_class)->map (widget);
  pd_import_history_reload (self);
  if (self->poll_id == 0)
    self->poll_id = g_timeout_add_seconds (POLL_SECONDS, poll_cb, self);
}

static void
pd_import_history_unmap (GtkWidget *widget)
{
  PdImportHistory *self = PD_IMPORT_HISTORY (widget);

  g_clear_handle_id (&self->poll_id, g_source_remove);
  GTK_WIDGET_CLASS (pd_import_history_parent_class)->unmap (widget);
}

static void
pd_import_history_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PdImportHistory *self = PD_IMPORT_HISTORY (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_import_history_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PdImportHistory *self = PD_IMPORT_HISTORY (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_import_history_dispose (GObject *object)
{
  PdImportHistory *self = PD_IMPORT_HISTORY (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (pd_import_session_get_jobs (), self);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  G_OBJECT_CLASS (pd_import_history_parent_class)->dispose (object);
}

static void
pd_import_history_finalize (GObject *object)
{
  PdImportHistory *self = PD_IMPORT_HISTORY (object);

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->last_toast);
  g_free (self->signature);
  g_free (self->message);
  G_OBJECT_CLASS (pd_import_history_parent_class)->finalize (object);
}

static void
pd_import_history_class_init (PdImportHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = pd_import_history_set_property;
  object_class->get_property = pd_import_history_get_property;
  object_class->dispose = pd_import_history_dispose;
  object_class->finalize = pd_import_history_finalize;
  widget_class->map = pd_import_history_map;
  widget_class->unmap = pd_import_history_unmap;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[VIEW_AUDIENCE] = g_signal_new ("view-audience", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* a persona named in the history (changed since an import): show it */
  signals[OPEN_PERSONA] = g_signal_new ("open-persona", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/history/pd-import-history.ui");
  gtk_widget_class_bind_template_child (widget_class, PdImportHistory, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdImportHistory, stack);
  gtk_widget_class_bind_template_child (widget_class, PdImportHistory, list);

  gtk_widget_class_install_action (widget_class, "history.download-file", "x", download_file_action);
  gtk_widget_class_install_action (widget_class, "history.download-report", "x", download_report_action);
  gtk_widget_class_install_action (widget_class, "history.view-audience", "x", view_audience_action);
  gtk_widget_class_install_action (widget_class, "history.send-opt-in", "x", opt_in_action);
  gtk_widget_class_install_action (widget_class, "history.undo", "x", undo_action);
  gtk_widget_class_install_action (widget_class, "history.delete", "x", delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
update_role_actions (PdImportHistory *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.undo", pd_app_may (PD_PERMISSION_UNDO_IMPORT));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.delete", pd_app_may (PD_PERMISSION_UNDO_IMPORT));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.send-opt-in", pd_app_may (PD_PERMISSION_EDIT));
}

static void
pd_import_history_init (PdImportHistory *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  /* what the signed-in role may not do is greyed out (the store refuses it
   * anyway), again whenever someone else signs in */
  update_role_actions (self);
  g_signal_connect_object (pd_session_get_default (), "changed", G_CALLBACK (update_role_actions),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_swapped (pd_import_session_get_jobs (), "items-changed",
                            G_CALLBACK (on_jobs_changed), self);
}

PdImportHistory *
pd_import_history_new (GtkWindow *parent,
                       PdStore   *store)
{
  return g_object_new (PD_TYPE_IMPORT_HISTORY,
                       "transient-for", parent,
                       "store", store,
                       NULL);
}
