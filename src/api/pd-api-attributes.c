/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GET|POST /personas/{id}/overrides (pinned fields) and
 * GET|POST|PUT /personas/{id}/attributes (custom attributes as an array of
 * {name, value}): the persona changed as the CLI's override and
 * attributes commands change it, saved as the token. */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "pd-api-routes.h"
#include "pd-error.h"

static JsonNode *
overrides_json (PdPersona *persona)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "persona_id");
  json_builder_add_int_value (b, pd_persona_get_id (persona));
  json_builder_set_member_name (b, "overrides");
  json_builder_begin_object (b);
  for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
    if (pd_persona_get_override (persona, f) != NULL)
      {
        json_builder_set_member_name (b, pd_field_get_info (f)->key);
        json_builder_add_string_value (b, pd_persona_get_override (persona, f));
      }
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static PdPersona *
load (PdApiRequest  *request,
      GError       **error)
{
  gint64 id = pd_api_request_param_id (request, 0, error);

  if (id == 0 || !pd_api_request_check_query (request, NULL, error))
    return NULL;
  /* a write to a merged-away ID goes to no one: only reads follow merges */
  return pd_api_load_persona (request, id, NULL, error);
}

JsonNode *
pd_api_overrides_get (PdApiRequest  *request,
                      GError       **error)
{
  g_autoptr(PdPersona) persona = load (request, error);

  return persona != NULL ? overrides_json (persona) : NULL;
}

/* {"FIELD": "value" | null, …}: pins each field, or (null) unpins it. */
JsonNode *
pd_api_overrides_set (PdApiRequest  *request,
                      GError       **error)
{
  g_autoptr(PdPersona) persona = load (request, error);
  g_autoptr(GList) names = NULL;
  JsonObject *object;

  if (persona == NULL)
    return NULL;
  /* every member is checked as a field below */
  object = pd_api_request_body_object (request, NULL, error);
  if (object == NULL)
    return NULL;
  names = g_list_sort (json_object_get_members (object), (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    {
      g_autofree char *value = NULL;
      const char *text;
      PdFieldId field;

      if (!pd_api_get_string_member (object, l->data, &text, error) ||
          !pd_override_parse (l->data, text, &field, text != NULL ? &value : NULL, error))
        return NULL;
      pd_persona_set_override (persona, field, value);
    }
  if (!pd_store_save_persona_as (request->store, persona, request->actor, error))
    return NULL;
  g_clear_object (&persona);
  persona = load (request, error);
  return persona != NULL ? overrides_json (persona) : NULL;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char **) a, *(const char **) b);
}

static JsonNode *
attributes_json (PdPersona *persona)
{
  GHashTable *attributes = pd_persona_get_attributes (persona);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, attributes);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, key);
  g_ptr_array_sort (names, compare_names);
  json_builder_begin_array (b);
  for (guint i = 0; i < names->len; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, names->pdata[i]);
      json_builder_set_member_name (b, "value");
      json_builder_add_string_value (b, g_hash_table_lookup (attributes, names->pdata[i]));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

JsonNode *
pd_api_attributes_get (PdApiRequest  *request,
                       GError       **error)
{
  g_autoptr(PdPersona) persona = load (request, error);

  return persona != NULL ? attributes_json (persona) : NULL;
}

/* The body: [{"name", "value"}, …]; a null or empty value removes the
 * attribute.  Names as the CLI takes them: 1 to 100 characters, trimmed. */
static gboolean
apply (PdApiRequest  *request,
       PdPersona     *persona,
       gboolean       replace,
       GError       **error)
{
  static const char * const allowed[] = { "name", "value", NULL };
  g_autoptr(GHashTable) given = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonArray *array;
  GHashTableIter iter;
  gpointer key, value;

  if (request->body == NULL || !JSON_NODE_HOLDS_ARRAY (request->body))
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID,
                           _("The request body must be an array of {\"name\", \"value\"} objects"));
      return FALSE;
    }
  array = json_node_get_array (request->body);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      PdApiRequest item = { .body = element };
      JsonObject *object = pd_api_request_body_object (&item, allowed, error);
      const char *name, *text;
      g_autofree char *trimmed = NULL;

      if (object == NULL ||
          !pd_api_get_string_member (object, "name", &name, error) ||
          !pd_api_get_string_member (object, "value", &text, error))
        return FALSE;
      trimmed = g_strstrip (g_strdup (name != NULL ? name : ""));
      if (*trimmed == '\0' || g_utf8_strlen (trimmed, -1) > 100)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                       _("“%s” is not an attribute name (1 to 100 characters)"), name != NULL ? name : "");
          return FALSE;
        }
      g_hash_table_replace (given, g_steal_pointer (&trimmed),
                            text != NULL && *text != '\0' ? g_strdup (text) : NULL);
    }
  if (replace)
    {
      g_autoptr(GList) old = g_hash_table_get_keys (pd_persona_get_attributes (persona));

      for (GList *l = old; l != NULL; l = l->next)
        /* source IDs are attributes too, but have routes of their own */
        if (!g_hash_table_contains (given, l->data) && !g_str_has_prefix (l->data, "source:"))
          {
            g_autofree char *name = g_strdup (l->data);

            pd_persona_set_attribute (persona, name, NULL);
          }
    }
  g_hash_table_iter_init (&iter, given);
  while (g_hash_table_iter_next (&iter, &key, &value))
    pd_persona_set_attribute (persona, key, value);
  return pd_store_save_persona_as (request->store, persona, request->actor, error);
}

/* POST adds or changes the attributes given; PUT makes them the whole set. */
static JsonNode *
change (PdApiRequest  *request,
        gboolean       replace,
        GError       **error)
{
  g_autoptr(PdPersona) persona = load (request, error);

  if (persona == NULL || !apply (request, persona, replace, error))
    return NULL;
  g_clear_object (&persona);
  persona = load (request, error);
  return persona != NULL ? attributes_json (persona) : NULL;
}

JsonNode *
pd_api_attributes_add (PdApiRequest  *request,
                       GError       **error)
{
  return change (request, FALSE, error);
}

JsonNode *
pd_api_attributes_replace (PdApiRequest  *request,
                           GError       **error)
{
  return change (request, TRUE, error);
}
