/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPersona as the JSON object of `persona-desk-cli show --json`, built
 * from its public accessors.  The object: pd-persona.c. */
#include "config.h"

#include "pd-json.h"
#include "pd-persona.h"

static void
add_array_member (JsonBuilder *builder,
                  const char  *name,
                  GPtrArray   *values)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < values->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (values, i));
  json_builder_end_array (builder);
}

static void
add_boolean_member (JsonBuilder *builder,
                    const char  *name,
                    gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

/**
 * pd_persona_to_json:
 *
 * Returns: (transfer full): the object printed by `show --json`; attribute
 *   names sorted so that the output is stable
 */
JsonNode *
pd_persona_to_json (PdPersona *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GList) names = NULL;

  g_return_val_if_fail (PD_IS_PERSONA (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, pd_persona_get_id (self));
  pd_json_add_nullable_string (builder, "first_name", pd_persona_get_value (self, PD_FIELD_FIRST_NAME));
  pd_json_add_nullable_string (builder, "last_name", pd_persona_get_value (self, PD_FIELD_LAST_NAME));
  add_array_member (builder, "emails", pd_persona_get_emails (self));
  add_array_member (builder, "phones", pd_persona_get_phones (self));
  pd_json_add_nullable_string (builder, "external_id", pd_persona_get_value (self, PD_FIELD_EXTERNAL_ID));
  pd_json_add_nullable_string (builder, "city", pd_persona_get_value (self, PD_FIELD_CITY));
  pd_json_add_nullable_string (builder, "birth_date", pd_persona_get_value (self, PD_FIELD_BIRTH_DATE));
  json_builder_set_member_name (builder, "points");
  json_builder_add_int_value (builder, pd_persona_get_points (self));
  add_boolean_member (builder, "loyalty", pd_persona_get_loyalty (self));
  add_boolean_member (builder, "email_opt_in", pd_persona_get_email_opt_in (self));
  add_boolean_member (builder, "sms_opt_in", pd_persona_get_sms_consent (self) == PD_SMS_CONSENT_OPTED_IN);
  add_boolean_member (builder, "sms_opt_out", pd_persona_get_sms_opt_out (self));
  pd_json_add_nullable_string (builder, "customer_type", pd_persona_get_value (self, PD_FIELD_CUSTOMER_TYPE));
  pd_json_add_nullable_string (builder, "person_type", pd_persona_get_value (self, PD_FIELD_PERSON_TYPE));
  pd_json_add_nullable_string (builder, "signup_date", pd_persona_get_value (self, PD_FIELD_SIGNUP_DATE));
  pd_json_add_nullable_string (builder, "favorite_store", pd_persona_get_value (self, PD_FIELD_FAVORITE_STORE));
  add_array_member (builder, "tags", pd_persona_get_tags (self));
  json_builder_set_member_name (builder, "attributes");
  json_builder_begin_object (builder);
  names = g_list_sort (g_hash_table_get_keys (pd_persona_get_attributes (self)), (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    pd_json_add_nullable_string (builder, l->data, g_hash_table_lookup (pd_persona_get_attributes (self), l->data));
  json_builder_end_object (builder);
  add_boolean_member (builder, "archived", pd_persona_get_archived (self));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
