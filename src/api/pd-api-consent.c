/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GET /loyalty-status, PUT /opt-in[/confirm|/decline], GET /outbox,
 * POST /outbox/sent: the CLI's loyalty-status, optin and outbox commands
 * over HTTP, through the same store calls (whose rules keep an explicit
 * opt-out for good). */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "pd-api-routes.h"
#include "pd-email.h"
#include "pd-error.h"
#include "pd-phone.h"

JsonNode *
pd_api_loyalty_status (PdApiRequest  *request,
                       GError       **error)
{
  static const char * const allowed[] = { "phone", "email", "region", NULL };
  const char *phone = pd_api_request_get_query (request, "phone");
  const char *email = pd_api_request_get_query (request, "email");
  g_autofree char *value = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  PdLoyaltyStatus status;

  if (!pd_api_request_check_query (request, allowed, error))
    return NULL;
  if ((phone != NULL) + (email != NULL) != 1)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("Give one of phone= or email="));
      return NULL;
    }
  value = phone != NULL ? pd_api_normalize_phone (phone, pd_api_request_get_query (request, "region"), TRUE, error)
                        : pd_email_normalize (email, error);
  if (value == NULL ||
      !pd_store_get_loyalty_status (request->store, phone != NULL ? PD_FIELD_PHONE : PD_FIELD_EMAIL, value,
                                    &status, error))
    return NULL;
  b = json_builder_new ();
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
  return json_builder_get_root (b);
}

static JsonNode *
change_json (const char            *key,
             const char            *value,
             const PdConsentChange *change)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, key);
  json_builder_add_string_value (b, value);
  json_builder_set_member_name (b, "persona_id");
  if (change->persona_id != 0)
    json_builder_add_int_value (b, change->persona_id);
  else
    json_builder_add_null_value (b);   /* a consent-only contact */
  json_builder_set_member_name (b, "before");
  json_builder_add_string_value (b, pd_consent_state_to_string (change->before));
  json_builder_set_member_name (b, "after");
  json_builder_add_string_value (b, pd_consent_state_to_string (change->after));
  json_builder_set_member_name (b, "enrolled");
  json_builder_add_boolean_value (b, change->enrolled);
  json_builder_set_member_name (b, "outbox_id");
  if (change->outbox_id != 0)
    json_builder_add_int_value (b, change->outbox_id);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* "true"/"false" (and 1/0, yes/no) as pd_value_parse_boolean() reads them */
static gboolean
parse_flag (PdApiRequest  *request,
            const char    *name,
            gboolean       fallback,
            gboolean      *value,
            GError       **error)
{
  const char *text = pd_api_request_get_query (request, name);

  *value = fallback;
  if (text == NULL)
    return TRUE;
  if (g_ascii_strcasecmp (text, "true") == 0 || g_str_equal (text, "1"))
    *value = TRUE;
  else if (g_ascii_strcasecmp (text, "false") == 0 || g_str_equal (text, "0"))
    *value = FALSE;
  else
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("%s=%s: expected true or false"), name, text);
      return FALSE;
    }
  return TRUE;
}

typedef enum { OPT_IN, CONFIRM, DECLINE } Which;

/* {"phone"} or, for opt-in and decline, {"email"}; "region" for a phone
 * written without +.  As `optin`: a request that expired is not
 * confirmed, and no persona is created. */
static JsonNode *
consent (PdApiRequest  *request,
         Which          which,
         GError       **error)
{
  static const char * const allowed[] = { "phone", "email", "region", NULL };
  static const char * const query_opt_in[] = { "doubleOpt", "loyalty", NULL };
  JsonObject *object = pd_api_request_body_object (request, allowed, error);
  const char *phone, *email, *region;
  g_autofree char *value = NULL;
  gboolean double_opt = FALSE, loyalty = TRUE, ok;
  PdConsentChange change;

  if (object == NULL ||
      !pd_api_request_check_query (request, which == OPT_IN ? query_opt_in : NULL, error) ||
      !pd_api_get_string_member (object, "phone", &phone, error) ||
      !pd_api_get_string_member (object, "email", &email, error) ||
      !pd_api_get_string_member (object, "region", &region, error) ||
      !parse_flag (request, "doubleOpt", FALSE, &double_opt, error) ||
      !parse_flag (request, "loyalty", TRUE, &loyalty, error))
    return NULL;
  if ((phone != NULL) + (email != NULL) != 1)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("Give one of \"phone\" or \"email\""));
      return NULL;
    }
  if (email != NULL)
    {
      if (which == CONFIRM || double_opt || !loyalty || region != NULL)
        {
          g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID,
                               _("Email has no double opt-in: only opt-in and decline, without doubleOpt, "
                                 "loyalty or region"));
          return NULL;
        }
      value = pd_email_normalize (email, error);
      if (value == NULL)
        return NULL;
      ok = which == OPT_IN ? pd_store_email_opt_in (request->store, value, request->actor, &change, error)
                           : pd_store_email_decline (request->store, value, request->actor, &change, error);
      return ok ? change_json ("email", value, &change) : NULL;
    }
  if (double_opt && !loyalty)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID,
                           _("loyalty=false opts in at once: it cannot go with doubleOpt=true"));
      return NULL;
    }
  value = pd_api_normalize_phone (phone, region, TRUE, error);
  if (value == NULL || !pd_store_expire_sms_requests (request->store, 0, NULL, error))
    return NULL;
  if (which == OPT_IN)
    ok = pd_store_sms_opt_in (request->store, value,
                              double_opt ? PD_SMS_OPT_IN_DOUBLE : !loyalty ? PD_SMS_OPT_IN_NO_LOYALTY
                                                                           : PD_SMS_OPT_IN_FORCE,
                              request->actor, &change, error);
  else if (which == CONFIRM)
    ok = pd_store_sms_confirm (request->store, value, request->actor, &change, error);
  else
    ok = pd_store_sms_decline (request->store, value, request->actor, &change, error);
  return ok ? change_json ("phone", value, &change) : NULL;
}

JsonNode *
pd_api_opt_in (PdApiRequest  *request,
               GError       **error)
{
  return consent (request, OPT_IN, error);
}

JsonNode *
pd_api_opt_in_confirm (PdApiRequest  *request,
                       GError       **error)
{
  return consent (request, CONFIRM, error);
}

JsonNode *
pd_api_opt_in_decline (PdApiRequest  *request,
                       GError       **error)
{
  return consent (request, DECLINE, error);
}

JsonNode *
pd_api_outbox_list (PdApiRequest  *request,
                    GError       **error)
{
  static const char * const allowed[] = { "all", NULL };
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GHashTable) visible = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean all;

  if (!pd_api_request_check_query (request, allowed, error) ||
      !parse_flag (request, "all", FALSE, &all, error))
    return NULL;
  messages = pd_store_list_outbox (request->store, !all, error);
  if (messages == NULL)
    return NULL;
  g_array_set_size (ids, messages->len);
  json_builder_begin_array (b);
  for (guint i = 0; i < messages->len; i++)
    {
      const PdOutboxMessage *m = messages->pdata[i];
      g_autofree char *created = NULL;
      g_autofree char *sent = NULL;
      gint64 *id = &g_array_index (ids, gint64, i);

      /* a text for a customer blocklisted since is not shown (so not sent by what reads this) */
      *id = m->persona_id;
      if (m->persona_id != 0 && !pd_api_persona_visible (request, visible, id))
        continue;
      created = pd_api_format_time (m->created);
      sent = pd_api_format_time (m->sent);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, m->id);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, m->kind);
      json_builder_set_member_name (b, "phone");
      json_builder_add_string_value (b, m->phone);
      json_builder_set_member_name (b, "persona_id");
      if (m->persona_id != 0)
        json_builder_add_int_value (b, m->persona_id);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "created");
      json_builder_add_string_value (b, created);
      json_builder_set_member_name (b, "sent");
      if (sent != NULL)
        json_builder_add_string_value (b, sent);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

/* {"ids": [1, 2]}: all or nothing, as `outbox mark-sent`. */
JsonNode *
pd_api_outbox_sent (PdApiRequest  *request,
                    GError       **error)
{
  static const char * const allowed[] = { "ids", NULL };
  JsonObject *object = pd_api_request_body_object (request, allowed, error);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(JsonBuilder) b = NULL;
  JsonNode *node;
  JsonArray *array;

  if (object == NULL || !pd_api_request_check_query (request, NULL, error))
    return NULL;
  node = json_object_get_member (object, "ids");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) == 0)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("Field “ids” must be a non-empty array of IDs"));
      return NULL;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      gint64 id;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_INT64 ||
          (id = json_node_get_int (element)) <= 0)
        {
          g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("Field “ids” must be a non-empty array of IDs"));
          return NULL;
        }
      g_array_append_val (ids, id);
    }
  if (!pd_store_mark_outbox_sent_as (request->store, (const gint64 *) ids->data, ids->len, request->actor, error))
    return NULL;
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "marked");
  json_builder_add_int_value (b, ids->len);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
