/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-permission.h"
#include "pd-persona-attributes.h"
#include "pd-persona-consent.h"
#include "pd-persona-contact.h"
#include "pd-persona-detail-private.h"
#include "pd-persona-imports.h"
#include "pd-persona-membership.h"
#include "pd-persona-points.h"
#include "pd-phone.h"
#include "pd-session.h"

/* The pane hosts one group per concern (pd-persona-contact.c,
 * pd-persona-points.c, pd-persona-consent.c, pd-persona-membership.c,
 * pd-persona-attributes.c, pd-persona-imports.c): each shows the persona
 * in the current mode and writes back what it edits.  The pane owns the
 * mode, the actions, the header and everything that talks to the store. */

G_DEFINE_FINAL_TYPE (PdPersonaDetail, pd_persona_detail, ADW_TYPE_BIN)

enum {
  PERSONA_CHANGED,
  PERSONA_ARCHIVED,
  SHOW_TOAST,
  CLOSE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- helpers -------------------------------------------------------- */

void
_pd_persona_detail_toast (PdPersonaDetail *self,
                          const char      *message)
{
  g_signal_emit (self, signals[SHOW_TOAST], 0, message);
}

#define toast _pd_persona_detail_toast

static char *
dup_region (PdPersonaDetail *self)
{
  g_autofree char *region = NULL;

  if (self->settings != NULL)
    region = g_settings_get_string (self->settings, "default-country");
  if (region == NULL || !pd_phone_is_known_region (region))
    return g_strdup ("US");
  return g_steal_pointer (&region);
}

/* ---- filling the pane ---------------------------------------------- */

static void
fill_header (PdPersonaDetail *self)
{
  PdPersona *p = self->persona;
  g_autofree char *name = NULL;
  g_autofree char *subtitle = NULL;

  if (p != NULL)
    {
      char id[32];

      name = pd_persona_dup_display_name (p);
      g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, pd_persona_get_id (p));
      subtitle = g_strdup_printf (_("Persona #%s"), id);
    }
  adw_window_title_set_title (self->title,
                              self->mode == PD_PERSONA_DETAIL_CREATE ? _("New Persona")
                              : name != NULL ? name : _("Persona"));
  adw_window_title_set_subtitle (self->title, subtitle ? subtitle : "");
  adw_avatar_set_text (self->avatar, self->mode == PD_PERSONA_DETAIL_CREATE ? NULL : name);
}

static void
update_actions (PdPersonaDetail *self)
{
  gboolean viewing = self->mode == PD_PERSONA_DETAIL_VIEW;
  gboolean editing = !viewing;
  gboolean creating = self->mode == PD_PERSONA_DETAIL_CREATE;
  gboolean has = self->persona != NULL;
  gboolean archived = has && pd_persona_get_archived (self->persona);
  /* hidden when the role may not (the store refuses it anyway) */
  gboolean may_edit = pd_app_may (PD_PERMISSION_EDIT);

  gboolean acting = viewing && may_edit;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.edit", acting && has);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.save", editing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.cancel", editing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.archive", acting && has && !archived);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.unarchive", acting && archived);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.confirm-sms",
                                 acting && has && !pd_persona_get_sms_opt_out (self->persona)
                                 && pd_persona_get_sms_consent (self->persona) == PD_SMS_CONSENT_PENDING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.cancel-sms-request",
                                 acting && has && !pd_persona_get_sms_opt_out (self->persona)
                                 && pd_persona_get_sms_consent (self->persona) == PD_SMS_CONSENT_PENDING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.adjust-points",
                                 acting && has && !pd_persona_get_blocklisted (self->persona));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.add-attribute", editing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.remove-attribute", editing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.rename-attribute", editing);

  gtk_widget_set_visible (self->edit_button, acting && has);
  gtk_widget_set_visible (self->save_button, editing);
  gtk_widget_set_visible (self->cancel_button, editing);
  gtk_widget_set_visible (self->close_button, viewing);
  gtk_widget_set_visible (self->archive_button, acting && has && !archived);
  gtk_widget_set_visible (self->forget_button,
                          viewing && has && pd_role_may (pd_app_actor ()->role, PD_PERMISSION_FORGET));
  gtk_widget_set_visible (self->archived_group, viewing && archived);
  gtk_widget_set_visible (self->signup_group, creating);
  gtk_widget_set_visible (GTK_WIDGET (self->points_group), !creating);

  /* Before "Edit traits" the pane reads as a card: no edit icons, and
   * the fields with nothing in them are left out (by the groups). */
  if (viewing)
    gtk_widget_add_css_class (GTK_WIDGET (self), "pd-read-only");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "pd-read-only");
}

/* A pending double opt-in says since when: one indexed look-up by its
 * phone.  Left unsaid when the store cannot tell (no phone, PostgreSQL). */
static void
show_pending_since (PdPersonaDetail *self,
                    PdPersona       *p)
{
  PdLoyaltyStatus status;
  GPtrArray *phones;

  if (p == NULL || pd_persona_get_sms_consent (p) != PD_SMS_CONSENT_PENDING)
    return;
  phones = pd_persona_get_phones (p);
  if (phones->len == 0 ||
      !pd_store_get_loyalty_status (self->store, PD_FIELD_PHONE, g_ptr_array_index (phones, 0), &status, NULL))
    return;
  if (status.known && status.persona_id == pd_persona_get_id (p))
    pd_persona_consent_set_pending_since (self->consent_group, status.pending_since_us);
}

/* Fills the groups from @shown (the stored persona, or while editing the
 * stored one with values typed elsewhere added: see
 * _pd_persona_detail_offer_existing()). */
void
_pd_persona_detail_show_form (PdPersonaDetail     *self,
                              PdPersonaDetailMode  mode,
                              PdPersona           *shown)
{
  PdPersona *p = shown;

  self->mode = mode;
  if (mode == PD_PERSONA_DETAIL_VIEW)
    g_clear_pointer (&self->baseline, g_free);
  fill_header (self);
  pd_persona_contact_set_persona (self->contact_group, p, mode);
  pd_persona_points_set_persona (self->points_group, self->store, self->persona);
  pd_persona_consent_set_persona (self->consent_group, p, mode);
  show_pending_since (self, p);
  pd_persona_membership_set_persona (self->membership_group, p, mode);
  pd_persona_channels_set_persona (self->channels_group, p, mode);
  pd_persona_attributes_set_persona (self->attributes, p, mode);
  pd_persona_imports_set_persona (self->imports_group, self->store, self->persona);
  pd_persona_merges_set_persona (self->merges_group, self->store, self->persona, mode != PD_PERSONA_DETAIL_VIEW);
  update_actions (self);
}

static void
set_mode (PdPersonaDetail     *self,
          PdPersonaDetailMode  mode)
{
  _pd_persona_detail_show_form (self, mode, self->persona);
}

/* ---- collecting what was typed ------------------------------------- */

static void
collect_signup (PdPersonaDetail *self,
                PdPersona       *p)
{
  guint selected = adw_combo_row_get_selected (self->signup_form_row);
  const char *form = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  if (selected != GTK_INVALID_LIST_POSITION && selected > 0)
    form = gtk_string_list_get_string (self->signup_forms, selected);
  pd_persona_set_signup_source (p, form ? form : "Manual");
  pd_persona_set_value (p, PD_FIELD_SIGNUP_DATE, today);
  pd_persona_set_value_source (p, PD_FIELD_SIGNUP_DATE,
                               form ? PD_SOURCE_SIGNUP_FORM : PD_SOURCE_MANUAL);
}

/* Builds the persona to save from the groups, normalized the way imports
 * normalize; on a bad value the contact group flags its row with the
 * reason and this returns NULL. */
static PdPersona *
collect_persona (PdPersonaDetail *self)
{
  g_autoptr(PdPersona) p = NULL;
  g_autofree char *region = dup_region (self);
  gboolean valid;

  if (self->mode == PD_PERSONA_DETAIL_EDIT && self->persona != NULL)
    p = pd_persona_copy (self->persona);
  else
    p = pd_persona_new ();

  valid = pd_persona_contact_collect (self->contact_group, p, region);
  pd_persona_membership_collect (self->membership_group, p);
  pd_persona_channels_collect (self->channels_group, p);
  pd_persona_attributes_collect (self->attributes, p);
  pd_persona_consent_collect (self->consent_group, p);
  if (self->mode == PD_PERSONA_DETAIL_CREATE)
    collect_signup (self, p);

  if (!valid)
    return NULL;
  return g_steal_pointer (&p);
}

/* The persona already using one of @p's emails or phones, or 0. */
static gint64
find_existing (PdPersonaDetail  *self,
               PdPersona        *p,
               const char      **which)
{
  struct { PdFieldId field; GPtrArray *values; } keys[] = {
    { PD_FIELD_EMAIL, pd_persona_get_emails (p) },
    { PD_FIELD_PHONE, pd_persona_get_phones (p) },
  };

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    for (guint i = 0; i < keys[k].values->len; i++)
      {
        g_autoptr(GError) error = NULL;
        const char *value = g_ptr_array_index (keys[k].values, i);
        gint64 id = pd_store_find_persona (self->store, keys[k].field, value, &error);

        if (id > 0 && id != pd_persona_get_id (p))
          {
            *which = value;
            return id;
          }
      }
  return 0;
}

/* ---- actions -------------------------------------------------------- */

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  PdPersonaDetail *self = PD_PERSONA_DETAIL (widget);

  set_mode (self, PD_PERSONA_DETAIL_EDIT);
  _pd_persona_detail_mark_unchanged (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->contact_group));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  PdPersonaDetail *self = PD_PERSONA_DETAIL (widget);

  if (self->mode == PD_PERSONA_DETAIL_CREATE)
    g_signal_emit (self, signals[CLOSE_REQUESTED], 0);
  else
    pd_persona_detail_cancel_editing (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  PdPersonaDetail *self = PD_PERSONA_DETAIL (widget);
  g_autoptr(PdPersona) p = NULL;
  g_autoptr(GError) error = NULL;
  gboolean creating = self->mode == PD_PERSONA_DETAIL_CREATE;
  const char *which = NULL;
  gint64 existing;

  p = collect_persona (self);
  if (p == NULL)
    return;

  /* Someone already has this email or phone: ask what to do with what
   * was typed rather than drop it (see pd-persona-detail-edits.c). */
  if (creating && (existing = find_existing (self, p, &which)) > 0)
    {
      _pd_persona_detail_offer_existing (self, p, existing, which);
      return;
    }

  if (!pd_store_save_persona_as (self->store, p, pd_app_actor (), &error))
    {
      if (creating && g_error_matches (error, PD_ERROR, PD_ERROR_CONFLICT)
          && (existing = find_existing (self, p, &which)) > 0)
        {
          _pd_persona_detail_offer_existing (self, p, existing, which);
          return;
        }
      pd_persona_contact_show_error (self->contact_group, error->message);
      return;
    }

  pd_persona_detail_show_persona (self, pd_persona_get_id (p));
  toast (self, creating ? _("Persona created") : _("Changes saved"));
  g_signal_emit (self, signals[PERSONA_CHANGED], 0, pd_persona_get_id (p));
}

static void
set_archived (PdPersonaDetail *self,
              gboolean         archived)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (self->persona == NULL)
    return;

  id = pd_persona_get_id (self->persona);
  if (!pd_store_set_archived_as (self->store, id, archived, pd_app_actor (), &error))
    {
      toast (self, error->message);
      return;
    }

  pd_persona_detail_reload (self);
  g_signal_emit (self, signals[PERSONA_CHANGED], 0, id);
  /* Archiving asks nothing: the window offers to undo it instead. */
  if (archived)
    g_signal_emit (self, signals[PERSONA_ARCHIVED], 0, id);
  else
    toast (self, _("Persona unarchived"));
}

static void
archive_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  set_archived (PD_PERSONA_DETAIL (widget), TRUE);
}

static void
unarchive_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  set_archived (PD_PERSONA_DETAIL (widget), FALSE);
}

/* The customer's YES, or staff withdrawing the request: the store applies
 * the consent rules (pd-loyalty.h) to the persona's number. */
static void
change_sms (PdPersonaDetail *self,
            gboolean         confirm)
{
  g_autoptr(GError) error = NULL;
  const PdActor *actor = pd_app_actor ();
  PdConsentChange change;
  const char *phone;
  gint64 id;
  gboolean ok;

  if (self->persona == NULL || (phone = pd_persona_get_primary_phone (self->persona)) == NULL)
    return;
  id = pd_persona_get_id (self->persona);
  ok = confirm ? pd_store_sms_confirm (self->store, phone, actor, &change, &error)
               : pd_store_sms_cancel (self->store, phone, actor, &change, &error);
  if (!ok)
    {
      toast (self, error->message);
      return;
    }
  pd_persona_detail_reload (self);
  toast (self, confirm ? _("Text opt-in confirmed") : _("Opt-in request cancelled"));
  g_signal_emit (self, signals[PERSONA_CHANGED], 0, id);
}

static void
confirm_sms_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  change_sms (PD_PERSONA_DETAIL (widget), TRUE);
}

static void
cancel_sms_request_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  change_sms (PD_PERSONA_DETAIL (widget), FALSE);
}

static void
on_adjust_dialog_response (AdwMessageDialog *dialog,
                           const char       *response,
                           PdPersonaDetail  *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  const PdActor *actor = pd_app_actor ();
  gint64 delta, id;

  if (!g_str_equal (response, "adjust") || self->persona == NULL)
    return;
  id = pd_persona_get_id (self->persona);
  if (!pd_persona_points_dialog_get (GTK_WIDGET (dialog), &delta, &reason, &error) ||
      !pd_store_adjust_points_as (self->store, id, delta, reason, actor, NULL, &error))
    {
      toast (self, error->message);
      return;
    }
  pd_persona_detail_reload (self);
  toast (self, _("Points adjusted"));
  g_signal_emit (self, signals[PERSONA_CHANGED], 0, id);
}

static void
adjust_points_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  PdPersonaDetail *self = PD_PERSONA_DETAIL (widget);
  GtkWidget *dialog;

  if (self->persona == NULL)
    return;
  dialog = pd_persona_points_new_adjust_dialog (GTK_WINDOW (gtk_widget_get_root (widget)));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_adjust_dialog_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_attribute_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  pd_persona_attributes_add_new (PD_PERSONA_DETAIL (widget)->attributes);
}

static void
remove_attribute_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  pd_persona_attributes_remove (PD_PERSONA_DETAIL (widget)->attributes,
                                g_variant_get_string (param, NULL));
}

static void
rename_attribute_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  const char *name, *new_name;

  g_variant_get (param, "(&s&s)", &name, &new_name);
  pd_persona_attributes_rename (PD_PERSONA_DETAIL (widget)->attributes, name, new_name);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  g_signal_emit (widget, signals[CLOSE_REQUESTED], 0);
}

/* ---- GObject -------------------------------------------------------- */

static gboolean
pd_persona_detail_grab_focus (GtkWidget *widget)
{
  PdPersonaDetail *self = PD_PERSONA_DETAIL (widget);

  if (self->mode != PD_PERSONA_DETAIL_VIEW)
    return gtk_widget_grab_focus (GTK_WIDGET (self->contact_group));
  if (self->persona != NULL)
    return gtk_widget_grab_focus (self->edit_button);
  return gtk_widget_grab_focus (self->close_button);
}

static void
pd_persona_detail_dispose (GObject *object)
{
  PdPersonaDetail *self = PD_PERSONA_DETAIL (object);

  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_PERSONA_DETAIL);

  G_OBJECT_CLASS (pd_persona_detail_parent_class)->dispose (object);
}

static void
pd_persona_detail_finalize (GObject *object)
{
  PdPersonaDetail *self = PD_PERSONA_DETAIL (object);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->persona);
  g_clear_object (&self->signup_forms);
  g_free (self->baseline);

  G_OBJECT_CLASS (pd_persona_detail_parent_class)->finalize (object);
}

static void
pd_persona_detail_class_init (PdPersonaDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_persona_detail_dispose;
  object_class->finalize = pd_persona_detail_finalize;
  widget_class->grab_focus = pd_persona_detail_grab_focus;

  /**
   * PdPersonaDetail::persona-changed:
   * @id: the persona saved, archived or unarchived
   */
  signals[PERSONA_CHANGED] =
    g_signal_new ("persona-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * PdPersonaDetail::persona-archived:
   * @id: the persona the user archived (its toast says so, with Undo)
   */
  signals[PERSONA_ARCHIVED] =
    g_signal_new ("persona-archived", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SHOW_TOAST] =
    g_signal_new ("show-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CLOSE_REQUESTED] =
    g_signal_new ("close-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* The template names the groups by type. */
  g_type_ensure (PD_TYPE_PERSONA_CONTACT);
  g_type_ensure (PD_TYPE_PERSONA_POINTS);
  g_type_ensure (PD_TYPE_PERSONA_CONSENT);
  g_type_ensure (PD_TYPE_PERSONA_MEMBERSHIP);
  g_type_ensure (PD_TYPE_PERSONA_CHANNELS);
  g_type_ensure (PD_TYPE_PERSONA_ATTRIBUTES);
  g_type_ensure (PD_TYPE_PERSONA_IMPORTS);
  g_type_ensure (PD_TYPE_PERSONA_MERGES);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/detail/pd-persona-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, header_bar);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, title);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, avatar);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, close_button);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, edit_button);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, save_button);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, archived_group);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, contact_group);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, signup_group);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, signup_form_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, points_group);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, consent_group);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, membership_group);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, channels_group);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, attributes);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, imports_group);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, merges_group);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, archive_button);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, forget_button);

  gtk_widget_class_install_action (widget_class, "detail.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "detail.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "detail.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "detail.archive", NULL, archive_action);
  gtk_widget_class_install_action (widget_class, "detail.unarchive", NULL, unarchive_action);
  gtk_widget_class_install_action (widget_class, "detail.confirm-sms", NULL, confirm_sms_action);
  gtk_widget_class_install_action (widget_class, "detail.cancel-sms-request", NULL, cancel_sms_request_action);
  gtk_widget_class_install_action (widget_class, "detail.adjust-points", NULL, adjust_points_action);
  gtk_widget_class_install_action (widget_class, "detail.add-attribute", NULL, add_attribute_action);
  gtk_widget_class_install_action (widget_class, "detail.remove-attribute", "s", remove_attribute_action);
  gtk_widget_class_install_action (widget_class, "detail.rename-attribute", "(ss)", rename_attribute_action);
  gtk_widget_class_install_action (widget_class, "detail.close", NULL, close_action);

  /* Ctrl+S and Ctrl+E: win.save-persona and win.edit-persona, the
   * application's accelerators (pd-application.c). */
}

static void
pd_persona_detail_init (PdPersonaDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->signup_forms = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->signup_form_row, G_LIST_MODEL (self->signup_forms));

  set_mode (self, PD_PERSONA_DETAIL_VIEW);
  g_signal_connect_object (pd_session_get_default (), "changed", G_CALLBACK (update_actions),
                           self, G_CONNECT_SWAPPED);
}

void
pd_persona_detail_set_store (PdPersonaDetail *self,
                             PdStore         *store)
{
  g_return_if_fail (PD_IS_PERSONA_DETAIL (self));
  g_return_if_fail (PD_IS_STORE (store));

  g_set_object (&self->store, store);
}

void
pd_persona_detail_set_settings (PdPersonaDetail *self,
                                GSettings       *settings)
{
  g_return_if_fail (PD_IS_PERSONA_DETAIL (self));

  g_set_object (&self->settings, settings);
}

void
pd_persona_detail_show_persona (PdPersonaDetail *self,
                                gint64           id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPersona) persona = NULL;

  g_return_if_fail (PD_IS_PERSONA_DETAIL (self));
  g_return_if_fail (self->store != NULL);

  persona = pd_store_get_persona (self->store, id, &error);
  if (persona == NULL)
    {
      toast (self, error->message);
      return;
    }

  g_set_object (&self->persona, persona);
  set_mode (self, PD_PERSONA_DETAIL_VIEW);
}

void
pd_persona_detail_new_persona (PdPersonaDetail *self)
{
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  g_return_if_fail (PD_IS_PERSONA_DETAIL (self));
  g_return_if_fail (self->store != NULL);

  /* The forms known to the database, after "Manual" (the default). */
  g_ptr_array_add (names, (gpointer) _("Manual"));
  sources = pd_store_list_signup_sources (self->store, &error);
  for (guint i = 0; sources != NULL && i < sources->len; i++)
    {
      const char *source = g_ptr_array_index (sources, i);

      if (source != NULL && source[0] != '\0' && g_strcmp0 (source, "Manual") != 0)
        g_ptr_array_add (names, (gpointer) source);
    }
  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (self->signup_forms, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->signup_forms)),
                          (const char * const *) names->pdata);
  adw_combo_row_set_selected (self->signup_form_row, 0);

  g_clear_object (&self->persona);
  set_mode (self, PD_PERSONA_DETAIL_CREATE);
  /* A new persona joins loyalty unless staff say otherwise: it is why
   * they sign up at the counter. */
  pd_persona_membership_set_loyalty (self->membership_group, TRUE);
  _pd_persona_detail_mark_unchanged (self);
}

void
pd_persona_detail_reload (PdPersonaDetail *self)
{
  g_return_if_fail (PD_IS_PERSONA_DETAIL (self));

  if (self->persona != NULL)
    pd_persona_detail_show_persona (self, pd_persona_get_id (self->persona));
}

void
pd_persona_detail_cancel_editing (PdPersonaDetail *self)
{
  g_return_if_fail (PD_IS_PERSONA_DETAIL (self));

  if (self->mode != PD_PERSONA_DETAIL_VIEW)
    set_mode (self, PD_PERSONA_DETAIL_VIEW);
}

gint64
pd_persona_detail_get_persona_id (PdPersonaDetail *self)
{
  g_return_val_if_fail (PD_IS_PERSONA_DETAIL (self), 0);

  if (self->persona == NULL || self->mode == PD_PERSONA_DETAIL_CREATE)
    return 0;
  return pd_persona_get_id (self->persona);
}

PdPersona *
pd_persona_detail_get_persona (PdPersonaDetail *self)
{
  g_return_val_if_fail (PD_IS_PERSONA_DETAIL (self), NULL);
  return self->persona;
}

PdPersonaDetailMode
pd_persona_detail_get_mode (PdPersonaDetail *self)
{
  g_return_val_if_fail (PD_IS_PERSONA_DETAIL (self), PD_PERSONA_DETAIL_VIEW);
  return self->mode;
}

const char *
pd_persona_detail_get_error_text (PdPersonaDetail *self)
{
  g_return_val_if_fail (PD_IS_PERSONA_DETAIL (self), NULL);
  return pd_persona_contact_get_error_text (self->contact_group);
}

GtkEditable *
pd_persona_detail_get_field_editable (PdPersonaDetail *self,
                                      PdFieldId        field)
{
  GtkEditable *editable;

  g_return_val_if_fail (PD_IS_PERSONA_DETAIL (self), NULL);

  editable = pd_persona_contact_get_field_editable (self->contact_group, field);
  if (editable == NULL)
    editable = pd_persona_membership_get_field_editable (self->membership_group, field);
  if (editable == NULL)
    editable = pd_persona_channels_get_field_editable (self->channels_group, field);
  if (editable == NULL)
    editable = pd_persona_attributes_get_field_editable (self->attributes, field);
  return editable;
}

/* The window's controls go to the pane's header bar while the pane sits
 * beside the list, so that they stay in the window's top-right corner. */
void
pd_persona_detail_set_show_window_buttons (PdPersonaDetail *self,
                                           gboolean         show)
{
  g_return_if_fail (PD_IS_PERSONA_DETAIL (self));

  adw_header_bar_set_show_end_title_buttons (self->header_bar, show);
}
