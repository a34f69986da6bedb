/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The loyalty program's rules: points adjustments, SMS consent, favorite
 * store precedence.  Pure functions; the stores call them. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-loyalty.h"
#include "pd-value.h"

void
pd_loyalty_settings_init (PdLoyaltySettings *settings)
{
  settings->allow_negative_balance = FALSE;
  settings->double_opt_in_expiry_days = PD_LOYALTY_DEFAULT_EXPIRY_DAYS;
  settings->order_points_per_unit = 0;
}

gboolean
pd_points_check_adjustment (gint64                   balance,
                            gint64                   delta,
                            const char              *reason,
                            const PdLoyaltySettings *settings,
                            GError                 **error)
{
  if (delta == 0)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("A points adjustment cannot be 0"));
      return FALSE;
    }
  if (reason == NULL || *reason == '\0' || g_utf8_strlen (reason, -1) > 500)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID,
                           _("A points adjustment needs a reason (at most 500 characters)"));
      return FALSE;
    }
  if ((delta > 0 && balance > G_MAXINT64 - delta) || (delta < 0 && balance < G_MININT64 - delta))
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("Adjusting %" PRId64 " points by %" PRId64 " is out of range"), balance, delta);
      return FALSE;
    }
  if (delta < 0 && balance + delta < 0 && !settings->allow_negative_balance)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                   _("The balance is %" PRId64 " points: taking %" PRId64 " would make it negative, "
                     "which the settings do not allow"), balance, -delta);
      return FALSE;
    }
  return TRUE;
}

gboolean
pd_points_parse_delta (const char  *text,
                       gint64      *delta,
                       GError     **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text != NULL ? text : ""));
  const char *digits = copy;
  char *end = NULL;
  gint64 value;

  if (*digits == '+')
    digits++;
  errno = 0;
  value = g_ascii_strtoll (digits, &end, 10);
  if (*digits == '\0' || *end != '\0' || errno != 0 || g_ascii_isspace (*digits) ||
      (copy[0] == '+' && *digits == '-'))
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("“%s” is not a whole number of points"), text != NULL ? text : "");
      return FALSE;
    }
  if (value == 0)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("A points adjustment cannot be 0"));
      return FALSE;
    }
  *delta = value;
  return TRUE;
}

const char *
pd_consent_state_to_string (PdConsentState state)
{
  switch (state)
    {
    case PD_CONSENT_STATE_OPTED_IN:
      return "opted-in";
    case PD_CONSENT_STATE_PENDING:
      return "pending";
    case PD_CONSENT_STATE_OPTED_OUT:
      return "opted-out";
    case PD_CONSENT_STATE_NONE:
    default:
      return "not-opted-in";
    }
}

PdConsentState
pd_persona_get_sms_state (PdPersona *persona)
{
  if (pd_persona_get_sms_opt_out (persona))
    return PD_CONSENT_STATE_OPTED_OUT;
  switch (pd_persona_get_sms_consent (persona))
    {
    case PD_SMS_CONSENT_OPTED_IN:
      return PD_CONSENT_STATE_OPTED_IN;
    case PD_SMS_CONSENT_PENDING:
      return PD_CONSENT_STATE_PENDING;
    case PD_SMS_CONSENT_NONE:
    default:
      return PD_CONSENT_STATE_NONE;
    }
}

gboolean
pd_sms_consent_request (PdConsentState   state,
                        PdSmsOptInMode   mode,
                        PdConsentState  *new_state,
                        gboolean        *loyalty,
                        GError         **error)
{
  *loyalty = FALSE;
  /* The customer's STOP is final: no staff action, import or API call
   * opts the number in again (only the customer's own YES to a text they
   * start would, which is not a request). */
  if (state == PD_CONSENT_STATE_OPTED_OUT)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_CONFLICT,
                           _("This number opted out of texts: it cannot be opted in again"));
      return FALSE;
    }
  switch (mode)
    {
    case PD_SMS_OPT_IN_DOUBLE:
      /* Already opted in: asking again would only annoy the customer. */
      *new_state = state == PD_CONSENT_STATE_OPTED_IN ? state : PD_CONSENT_STATE_PENDING;
      break;
    case PD_SMS_OPT_IN_NO_LOYALTY:
      *new_state = PD_CONSENT_STATE_OPTED_IN;
      break;
    case PD_SMS_OPT_IN_FORCE:
    default:
      *new_state = PD_CONSENT_STATE_OPTED_IN;
      *loyalty = TRUE;
      break;
    }
  return TRUE;
}

gboolean
pd_email_consent_request (PdConsentState   state,
                          PdConsentState  *new_state,
                          GError         **error)
{
  /* An unsubscribe is final, as a STOP is for texts. */
  if (state == PD_CONSENT_STATE_OPTED_OUT)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_CONFLICT,
                           _("This address opted out of email: it cannot be opted in again"));
      return FALSE;
    }
  *new_state = PD_CONSENT_STATE_OPTED_IN;
  return TRUE;
}

gboolean
pd_email_opt_in_allowed (gboolean any_opted_out)
{
  return !any_opted_out;
}

gboolean
pd_sms_consent_confirm (PdConsentState   state,
                        PdConsentState  *new_state,
                        GError         **error)
{
  switch (state)
    {
    case PD_CONSENT_STATE_PENDING:
    case PD_CONSENT_STATE_OPTED_IN:
      *new_state = PD_CONSENT_STATE_OPTED_IN;
      return TRUE;
    case PD_CONSENT_STATE_OPTED_OUT:
      g_set_error_literal (error, PD_ERROR, PD_ERROR_CONFLICT,
                           _("This number opted out of texts: it cannot be opted in again"));
      return FALSE;
    case PD_CONSENT_STATE_NONE:
    default:
      g_set_error_literal (error, PD_ERROR, PD_ERROR_CONFLICT,
                           _("No opt-in request is pending for this number (it may have expired)"));
      return FALSE;
    }
}

gboolean
pd_sms_consent_cancel (PdConsentState   state,
                       PdConsentState  *new_state,
                       GError         **error)
{
  if (state != PD_CONSENT_STATE_PENDING)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_CONFLICT, _("No opt-in request is pending for this number"));
      return FALSE;
    }
  *new_state = PD_CONSENT_STATE_NONE;
  return TRUE;
}

guint
pd_favorite_store_rank (PdSource source)
{
  switch (source)
    {
    case PD_SOURCE_WALLET:
      return 4;
    case PD_SOURCE_SIGNUP_FORM:
    case PD_SOURCE_MANUAL:
    case PD_SOURCE_API:
      return 3;
    case PD_SOURCE_IMPORT:
      return 2;
    case PD_SOURCE_PURCHASE:
      return 1;
    case PD_SOURCE_NONE:
    default:
      return 0;
    }
}

gboolean
pd_favorite_store_may_replace (PdSource current,
                               PdSource incoming)
{
  return pd_favorite_store_rank (incoming) >= pd_favorite_store_rank (current);
}

static const char * const source_names[] = {
  [PD_SOURCE_NONE] = "none",
  [PD_SOURCE_IMPORT] = "import",
  [PD_SOURCE_MANUAL] = "manual",
  [PD_SOURCE_API] = "api",
  [PD_SOURCE_SIGNUP_FORM] = "signup-form",
  [PD_SOURCE_WALLET] = "wallet",
  [PD_SOURCE_PURCHASE] = "purchase",
  [PD_SOURCE_UNDO] = "undo",
};

const char *
pd_source_to_string (PdSource source)
{
  if ((guint) source >= G_N_ELEMENTS (source_names))
    return "none";
  return source_names[source];
}

gboolean
pd_source_from_string (const char *text,
                       PdSource   *source)
{
  for (guint i = 0; i < G_N_ELEMENTS (source_names); i++)
    if (g_strcmp0 (text, source_names[i]) == 0)
      {
        *source = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
pd_field_can_override (PdFieldId field)
{
  const PdFieldInfo *info = pd_field_get_info (field);

  if (info == NULL || field < 0 || field >= PD_FIELD_N_BUILTIN || info->multi || info->identifier ||
      info->overrides != PD_FIELD_NONE)
    return FALSE;
  switch (info->type)
    {
    case PD_FIELD_TYPE_TEXT:
    case PD_FIELD_TYPE_DATE:
    case PD_FIELD_TYPE_CHOICE:
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
pd_override_parse (const char  *key,
                   const char  *text,
                   PdFieldId   *field,
                   char       **value,
                   GError     **error)
{
  const PdFieldInfo *info = key != NULL ? pd_field_lookup (key) : NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));

  if (info == NULL || !pd_field_can_override (info->id))
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("“%s” is not a field that can be pinned"),
                   key != NULL ? key : "");
      return FALSE;
    }
  *field = info->id;
  if (value == NULL)
    return TRUE;
  if (*trimmed == '\0')
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("The value of %s cannot be empty"), key);
      return FALSE;
    }
  if (info->type == PD_FIELD_TYPE_DATE)
    {
      g_autoptr(GError) local = NULL;
      gboolean ambiguous = FALSE;
      char *iso = pd_value_parse_date (trimmed, PD_DATE_ORDER_UNKNOWN, &ambiguous, &local);

      if (iso == NULL)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("“%s” is not a date for %s (use YYYY-MM-DD)"),
                       trimmed, key);
          return FALSE;
        }
      *value = iso;
      return TRUE;
    }
  if (info->type == PD_FIELD_TYPE_CHOICE &&
      !g_strv_contains ((const char * const *) info->choices, trimmed))
    {
      g_autofree char *choices = g_strjoinv (", ", (char **) info->choices);

      g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("“%s” is not one of %s for %s"), trimmed, choices, key);
      return FALSE;
    }
  *value = g_steal_pointer (&trimmed);
  return TRUE;
}

gboolean
pd_source_id_check (const char  *source,
                    const char  *source_id,
                    GError     **error)
{
  gsize n = source != NULL ? strlen (source) : 0;

  if (n == 0 || n > 40 || strspn (source, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != n)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("“%s” is not a source name (letters, digits, - and _, at most 40)"), source ? source : "");
      return FALSE;
    }
  if (source_id == NULL)
    return TRUE;
  n = strlen (source_id);
  if (n == 0 || n > 200 || !g_utf8_validate (source_id, -1, NULL) || g_ascii_isspace (source_id[0]) ||
      g_ascii_isspace (source_id[n - 1]))
    goto bad_id;
  for (const char *p = source_id; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      goto bad_id;
  return TRUE;

bad_id:
  g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("“%s” is not a source ID for %s"), source_id, source);
  return FALSE;
}

gboolean
pd_source_id_parse (const char  *text,
                    char       **source,
                    char       **source_id,
                    GError     **error)
{
  const char *colon = text != NULL ? strchr (text, ':') : NULL;
  g_autofree char *name = NULL;
  g_autofree char *id = NULL;

  if (colon == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("“%s” is not SOURCE:ID"), text ? text : "");
      return FALSE;
    }
  name = g_strndup (text, colon - text);
  id = g_strstrip (g_strdup (colon + 1));
  if (!pd_source_id_check (name, id, error))
    return FALSE;
  *source = g_steal_pointer (&name);
  *source_id = g_steal_pointer (&id);
  return TRUE;
}
