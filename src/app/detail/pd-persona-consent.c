/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-persona-consent.h"

struct _PdPersonaConsent
{
  AdwPreferencesGroup  parent_instance;

  PdPersonaDetailMode  mode;
  /* of the persona as read from the store */
  gboolean             opt_out;
  PdSmsConsent         consent;
  gint64               pending_since_us;   /* 0: not known */

  /* template children */
  GtkSwitch           *email_opt_in_switch;
  AdwActionRow        *sms_row;
  GtkSwitch           *sms_switch;
  GtkWidget           *sms_confirm_row;
  GtkWidget           *double_opt_in_row;
  GtkSwitch           *double_opt_in_switch;
};

G_DEFINE_FINAL_TYPE (PdPersonaConsent, pd_persona_consent, ADW_TYPE_PREFERENCES_GROUP)

static gboolean
double_opt_in (PdPersonaConsent *self)
{
  return self->mode == PD_PERSONA_DETAIL_CREATE && gtk_switch_get_active (self->double_opt_in_switch);
}

static void
update_sms_row (PdPersonaConsent *self)
{
  const char *subtitle;
  g_autofree char *pending = NULL;

  if (self->opt_out)
    subtitle = _("Opted out by the customer — staff cannot opt them back in");
  else if (double_opt_in (self))
    subtitle = _("Pending until the customer replies YES to the opt-in text");
  else if (self->consent == PD_SMS_CONSENT_PENDING && self->pending_since_us > 0)
    {
      g_autoptr(GDateTime) since = g_date_time_new_from_unix_local (self->pending_since_us / G_USEC_PER_SEC);
      /* %x: the locale's date */
      g_autofree char *date = g_date_time_format (since, "%x");

      /* The app sends no text: the request waits in the outbox for
       * whatever sends them (persona-desk-cli outbox). */
      subtitle = pending = g_strdup_printf (_("Opt-in text requested on %s — waiting for the customer's YES"), date);
    }
  else if (self->consent == PD_SMS_CONSENT_PENDING)
    subtitle = _("Opt-in text requested — waiting for the customer's YES");
  else if (self->consent == PD_SMS_CONSENT_OPTED_IN)
    subtitle = _("Opted in");
  else
    subtitle = _("Not opted in");
  adw_action_row_set_subtitle (self->sms_row, subtitle);

  gtk_widget_set_visible (self->sms_confirm_row,
                          self->mode == PD_PERSONA_DETAIL_VIEW && !self->opt_out
                          && self->consent == PD_SMS_CONSENT_PENDING);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sms_switch),
                            self->mode != PD_PERSONA_DETAIL_VIEW && !self->opt_out
                            && !double_opt_in (self));
}

/* A pending double opt-in and an opted-in switch would contradict. */
static void
on_double_opt_in_switch_notify_active (GtkSwitch        *sw,
                                       GParamSpec       *pspec,
                                       PdPersonaConsent *self)
{
  if (gtk_switch_get_active (sw))
    gtk_switch_set_active (self->sms_switch, FALSE);
  update_sms_row (self);
}

static void
pd_persona_consent_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_PERSONA_CONSENT);

  G_OBJECT_CLASS (pd_persona_consent_parent_class)->dispose (object);
}

static void
pd_persona_consent_class_init (PdPersonaConsentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_persona_consent_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/detail/pd-persona-consent.ui");
  gtk_widget_class_bind_template_child (widget_class, PdPersonaConsent, email_opt_in_switch);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaConsent, sms_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaConsent, sms_switch);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaConsent, sms_confirm_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaConsent, double_opt_in_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaConsent, double_opt_in_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_double_opt_in_switch_notify_active);
}

static void
pd_persona_consent_init (PdPersonaConsent *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
pd_persona_consent_set_persona (PdPersonaConsent    *self,
                                PdPersona           *p,
                                PdPersonaDetailMode  mode)
{
  g_return_if_fail (PD_IS_PERSONA_CONSENT (self));

  self->mode = mode;
  self->opt_out = p != NULL && pd_persona_get_sms_opt_out (p);
  self->consent = p != NULL ? pd_persona_get_sms_consent (p) : PD_SMS_CONSENT_NONE;
  self->pending_since_us = 0;

  gtk_switch_set_active (self->email_opt_in_switch, p && pd_persona_get_email_opt_in (p));
  gtk_switch_set_active (self->sms_switch, !self->opt_out && self->consent == PD_SMS_CONSENT_OPTED_IN);
  gtk_switch_set_active (self->double_opt_in_switch, FALSE);

  gtk_widget_set_sensitive (GTK_WIDGET (self->email_opt_in_switch), mode != PD_PERSONA_DETAIL_VIEW);
  gtk_widget_set_visible (self->double_opt_in_row, mode == PD_PERSONA_DETAIL_CREATE);
  update_sms_row (self);
}

void
pd_persona_consent_collect (PdPersonaConsent *self,
                            PdPersona        *p)
{
  g_return_if_fail (PD_IS_PERSONA_CONSENT (self));

  pd_persona_set_email_opt_in (p, gtk_switch_get_active (self->email_opt_in_switch));

  /* An explicit opt-out is the customer's word: nothing here undoes it. */
  if (pd_persona_get_sms_opt_out (p))
    return;
  if (double_opt_in (self))
    pd_persona_set_sms_consent (p, PD_SMS_CONSENT_PENDING);
  else if (gtk_switch_get_active (self->sms_switch))
    pd_persona_set_sms_consent (p, PD_SMS_CONSENT_OPTED_IN);
  else if (pd_persona_get_sms_consent (p) == PD_SMS_CONSENT_OPTED_IN)
    pd_persona_set_sms_consent (p, PD_SMS_CONSENT_NONE);
}

/* When the pending double opt-in was requested (the store knows it by the
 * phone: pd_store_get_loyalty_status()); 0 when not known. */
void
pd_persona_consent_set_pending_since (PdPersonaConsent *self,
                                      gint64            since_us)
{
  g_return_if_fail (PD_IS_PERSONA_CONSENT (self));

  self->pending_since_us = since_us;
  update_sms_row (self);
}
