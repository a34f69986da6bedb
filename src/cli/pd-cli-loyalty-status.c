/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli loyalty-status (--phone P | --email E) [--json]: is
 * this customer a member, opted in, pending?  One indexed look-up; an
 * archived or blocklisted persona is "unknown" like a stranger. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pd-cli.h"
#include "pd-email.h"
#include "pd-error.h"
#include "pd-phone.h"

int
pd_cli_loyalty_status (PdCliContext *ctx,
                       int           argc,
                       char        **argv)
{
  g_autofree char *email = NULL, *phone = NULL, *region = NULL, *value = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "phone", 0, 0, G_OPTION_ARG_STRING, &phone, N_("The customer's phone, in any format"), N_("PHONE") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("The customer's email"), N_("EMAIL") },
    { "region", 0, 0, G_OPTION_ARG_STRING, &region,
      N_("Country of a phone written without +, e.g. US, GB (default US)"), N_("CC") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  PdLoyaltyStatus status;

  g_option_context_set_summary (context, _("Whether a phone or email is a loyalty member, opted in to email "
                                           "and texts, or pending a double opt-in."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("loyalty-status", error->message);
  if (argc != 1 || (phone != NULL) + (email != NULL) != 1)
    return pd_cli_usage_error ("loyalty-status", _("give one of --phone or --email"));
  value = phone != NULL ? pd_phone_normalize (phone, region, &error) : pd_email_normalize (email, &error);
  if (value == NULL)
    return pd_cli_fail_input (error);

  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  if (!pd_store_get_loyalty_status (store, phone != NULL ? PD_FIELD_PHONE : PD_FIELD_EMAIL, value, &status,
                                    &error))
    return pd_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, !status.known ? "unknown" : status.member ? "member" : "not-member");
      if (status.known)
        {
          json_builder_set_member_name (b, "persona_id");
          json_builder_add_int_value (b, status.persona_id);
          json_builder_set_member_name (b, "member");
          json_builder_add_boolean_value (b, status.member);
          json_builder_set_member_name (b, "points");
          json_builder_add_int_value (b, status.points);
          json_builder_set_member_name (b, "email_opt_in");
          json_builder_add_boolean_value (b, status.email_opt_in);
          json_builder_set_member_name (b, "email");
          json_builder_add_string_value (b, pd_consent_state_to_string (status.email));
          json_builder_set_member_name (b, "sms");
          json_builder_add_string_value (b, pd_consent_state_to_string (status.sms));
          json_builder_set_member_name (b, "sms_pending_since");
          if (status.pending_since_us != 0)
            {
              g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (status.pending_since_us / G_USEC_PER_SEC);
              g_autofree char *text = g_date_time_format_iso8601 (t);

              json_builder_add_string_value (b, text);
            }
          else
            json_builder_add_null_value (b);
        }
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      pd_cli_print_json (root);
      return 0;
    }
  if (!status.known)
    {
      printf ("%s: %s\n", value, _("unknown"));
      return 0;
    }
  printf (_("%s: persona %" PRId64 ", %s, %" PRId64 " points, email %s, SMS %s\n"), value, status.persona_id,
          status.member ? _("loyalty member") : _("not a loyalty member"), status.points,
          status.email == PD_CONSENT_STATE_OPTED_OUT ? _("opted out") : status.email_opt_in ? _("opted in")
                                                                          : _("not opted in"),
          pd_consent_state_to_string (status.sms));
  return 0;
}
