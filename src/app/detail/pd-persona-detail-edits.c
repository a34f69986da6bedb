/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-field.h"
#include "pd-persona-detail-private.h"

/* Nothing typed is thrown away without asking (issue 17): leaving the
 * form with changes (Escape, another persona, closing the window) asks
 * Save / Discard / Keep editing, and a new persona whose email or phone
 * is someone's already can be added to that persona, typed values and
 * all, or taken back to the form as it was.
 *
 * "Changes" are told by the state of the form's controls, not by a
 * persona collected from them: collecting validates and flags rows, and
 * the form is what the user sees and would lose. */

/* ---- what the form holds ------------------------------------------- */

static void
append_form_state (GtkWidget *widget,
                   GString   *state)
{
  /* GtkText is where every entry, entry row and spin button keeps its
   * text; a row's title names an attribute (added or removed ones). */
  if (GTK_IS_TEXT (widget))
    g_string_append_printf (state, "t%s\n", gtk_editable_get_text (GTK_EDITABLE (widget)));
  else if (GTK_IS_SWITCH (widget))
    g_string_append_printf (state, "s%d\n", gtk_switch_get_active (GTK_SWITCH (widget)));
  else if (GTK_IS_CHECK_BUTTON (widget))
    g_string_append_printf (state, "k%d\n", gtk_check_button_get_active (GTK_CHECK_BUTTON (widget)));
  else if (ADW_IS_COMBO_ROW (widget))
    g_string_append_printf (state, "c%u\n", adw_combo_row_get_selected (ADW_COMBO_ROW (widget)));
  if (ADW_IS_PREFERENCES_ROW (widget))
    g_string_append_printf (state, "r%s\n", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    append_form_state (child, state);
}

static char *
dup_form_state (PdPersonaDetail *self)
{
  GString *state = g_string_new (NULL);

  append_form_state (GTK_WIDGET (self), state);
  return g_string_free (state, FALSE);
}

void
_pd_persona_detail_mark_unchanged (PdPersonaDetail *self)
{
  g_free (self->baseline);
  self->baseline = dup_form_state (self);
}

gboolean
pd_persona_detail_has_changes (PdPersonaDetail *self)
{
  g_autofree char *now = NULL;

  g_return_val_if_fail (PD_IS_PERSONA_DETAIL (self), FALSE);

  if (self->mode == PD_PERSONA_DETAIL_VIEW || self->baseline == NULL)
    return FALSE;
  now = dup_form_state (self);
  return g_strcmp0 (now, self->baseline) != 0;
}

/* ---- the question -------------------------------------------------- */

static void
set_dialog (PdPersonaDetail *self,
            GtkWidget       *dialog)
{
  if (self->dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
  self->dialog = dialog;
  if (dialog != NULL)
    g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->dialog);
}

static AdwMessageDialog *
new_dialog (PdPersonaDetail *self,
            const char      *heading,
            const char      *body)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  set_dialog (self, dialog);
  return ADW_MESSAGE_DIALOG (dialog);
}

static void
on_leave_response (AdwMessageDialog *dialog,
                   const char       *response,
                   gpointer          data)
{
  g_autoptr(GTask) task = data;
  PdPersonaDetail *self = g_task_get_source_object (task);
  gboolean leave = FALSE;

  /* Answered once: closing the dialog afterwards emits its close response. */
  g_signal_handlers_disconnect_by_func (dialog, on_leave_response, data);
  /* The save may ask a question of its own (an email already used). */
  set_dialog (self, NULL);
  if (g_str_equal (response, "save"))
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "detail.save", NULL);
      /* A refused value keeps the form open with the reason shown. */
      leave = self->mode == PD_PERSONA_DETAIL_VIEW;
    }
  else if (g_str_equal (response, "discard"))
    {
      pd_persona_detail_cancel_editing (self);
      leave = TRUE;
    }
  else
    gtk_widget_grab_focus (GTK_WIDGET (self));
  g_task_return_boolean (task, leave);
}

void
pd_persona_detail_confirm_leave_async (PdPersonaDetail     *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *name = NULL;
  AdwMessageDialog *dialog;

  g_return_if_fail (PD_IS_PERSONA_DETAIL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_persona_detail_confirm_leave_async);

  if (!pd_persona_detail_has_changes (self))
    {
      pd_persona_detail_cancel_editing (self);
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* Asked already (a second Escape, a click while the question shows). */
  if (self->dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->dialog));
      g_task_return_boolean (task, FALSE);
      return;
    }

  if (self->mode == PD_PERSONA_DETAIL_CREATE || self->persona == NULL)
    heading = g_strdup (_("Save the New Persona?"));
  else
    {
      name = pd_persona_dup_display_name (self->persona);
      heading = g_strdup_printf (_("Save Changes to %s?"), name);
    }
  dialog = new_dialog (self, heading, _("What you typed has not been saved yet."));
  adw_message_dialog_add_responses (dialog,
                                    "keep", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_signal_connect (dialog, "response", G_CALLBACK (on_leave_response), g_steal_pointer (&task));
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
pd_persona_detail_confirm_leave_finish (PdPersonaDetail  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- a new persona that exists already ----------------------------- */

typedef struct {
  PdPersona *typed;
  gint64     existing;
} OfferData;

static void
offer_data_free (gpointer data)
{
  OfferData *offer = data;

  g_clear_object (&offer->typed);
  g_free (offer);
}

static void
note_conflict (GString    *conflicts,
               const char *label,
               const char *value)
{
  if (conflicts->len > 0)
    g_string_append (conflicts, ", ");
  /* Translators: a field and the value typed for it, in a list of values
   * not taken, e.g. First name “Bob” */
  g_string_append_printf (conflicts, _("%s “%s”"), label, value);
}

/* @into (a copy of the stored persona) with what was typed added: the
 * emails, phones, tags and attributes it lacks, the fields it has no
 * value for, an opt-in given.  A typed value that differs from a stored
 * one is not taken, and listed in @conflicts: staff see the form before
 * anything is saved. */
static void
add_typed_values (PdPersona *into,
                  PdPersona *typed,
                  GString   *conflicts)
{
  GHashTable *attributes = pd_persona_get_attributes (typed);
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < pd_persona_get_emails (typed)->len; i++)
    pd_persona_add_email (into, g_ptr_array_index (pd_persona_get_emails (typed), i));
  for (guint i = 0; i < pd_persona_get_phones (typed)->len; i++)
    pd_persona_add_phone (into, g_ptr_array_index (pd_persona_get_phones (typed), i));
  for (guint i = 0; i < pd_persona_get_tags (typed)->len; i++)
    pd_persona_add_tag (into, g_ptr_array_index (pd_persona_get_tags (typed), i));

  for (int id = 0; id < PD_FIELD_N_BUILTIN; id++)
    {
      const PdFieldInfo *info = pd_field_get_info (id);
      const char *typed_value, *stored_value;

      /* Lists above; flags and points are the consent and points groups';
       * the sign-up belongs to the persona that signed up first. */
      if (info->multi || info->type == PD_FIELD_TYPE_BOOLEAN || info->type == PD_FIELD_TYPE_INTEGER
          || info->type == PD_FIELD_TYPE_FULL_NAME
          || id == PD_FIELD_SIGNUP_DATE || id == PD_FIELD_SIGNUP_OVERRIDE_DATE)
        continue;
      typed_value = pd_persona_get_value (typed, id);
      if (typed_value == NULL || typed_value[0] == '\0')
        continue;
      stored_value = pd_persona_get_value (into, id);
      if (stored_value == NULL || stored_value[0] == '\0')
        pd_persona_set_value (into, id, typed_value);
      else if (g_strcmp0 (stored_value, typed_value) != 0)
        note_conflict (conflicts, _(info->label), typed_value);
    }

  g_hash_table_iter_init (&iter, attributes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *stored_value = g_hash_table_lookup (pd_persona_get_attributes (into), key);

      if (stored_value == NULL)
        pd_persona_set_attribute (into, key, value);
      else if (g_strcmp0 (stored_value, value) != 0)
        note_conflict (conflicts, key, value);
    }

  if (pd_persona_get_email_opt_in (typed) && !pd_persona_get_email_opt_in (into))
    pd_persona_set_email_opt_in (into, TRUE);
  if (pd_persona_get_sms_consent (typed) != PD_SMS_CONSENT_NONE
      && pd_persona_get_sms_consent (into) == PD_SMS_CONSENT_NONE
      && !pd_persona_get_sms_opt_out (into))
    pd_persona_set_sms_consent (into, pd_persona_get_sms_consent (typed));
}

static void
open_with_typed_values (PdPersonaDetail *self,
                        OfferData       *offer)
{
  g_autoptr(PdPersona) form = NULL;
  g_autoptr(GString) conflicts = g_string_new (NULL);

  pd_persona_detail_show_persona (self, offer->existing);
  if (self->persona == NULL || pd_persona_get_id (self->persona) != offer->existing)
    return;   /* the store said why, in a toast */

  /* Unchanged is the persona as stored: what was typed counts as a
   * change, so leaving asks before it is lost. */
  _pd_persona_detail_show_form (self, PD_PERSONA_DETAIL_EDIT, self->persona);
  _pd_persona_detail_mark_unchanged (self);
  form = pd_persona_copy (self->persona);
  add_typed_values (form, offer->typed, conflicts);
  _pd_persona_detail_show_form (self, PD_PERSONA_DETAIL_EDIT, form);
  gtk_widget_grab_focus (GTK_WIDGET (self));

  if (conflicts->len > 0)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Kept the stored values instead of %s: change them before saving if they are out of date"),
                                 conflicts->str);
      _pd_persona_detail_toast (self, message);
    }
  else
    _pd_persona_detail_toast (self, _("What you typed is ready to add: check it and save"));
}

static void
on_offer_response (AdwMessageDialog *dialog,
                   const char       *response,
                   PdPersonaDetail  *self)
{
  OfferData *offer = g_object_get_data (G_OBJECT (dialog), "pd-offer");

  g_signal_handlers_disconnect_by_func (dialog, on_offer_response, self);
  set_dialog (self, NULL);
  if (g_str_equal (response, "open"))
    open_with_typed_values (self, offer);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self));   /* the form, as it was */
}

void
_pd_persona_detail_offer_existing (PdPersonaDetail *self,
                                   PdPersona       *typed,
                                   gint64           existing,
                                   const char      *which)
{
  g_autoptr(PdPersona) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *body = NULL;
  g_autofree char *open_label = NULL;
  AdwMessageDialog *dialog;
  OfferData *offer;

  other = pd_store_get_persona (self->store, existing, &error);
  if (other == NULL)
    {
      _pd_persona_detail_toast (self, error->message);
      return;
    }
  name = pd_persona_dup_display_name (other);
  body = g_strdup_printf (_("%s already belongs to %s. Open that persona with what you typed ready to add to it, or go back to the form."),
                          which, name);
  open_label = g_strdup_printf (_("_Open %s"), name);

  dialog = new_dialog (self, _("Already a Persona"), body);
  adw_message_dialog_add_responses (dialog,
                                    "back", _("_Back to Form"),
                                    "open", open_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "open", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "open");
  adw_message_dialog_set_close_response (dialog, "back");

  offer = g_new0 (OfferData, 1);
  offer->typed = g_object_ref (typed);
  offer->existing = existing;
  g_object_set_data_full (G_OBJECT (dialog), "pd-offer", offer, offer_data_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_offer_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
