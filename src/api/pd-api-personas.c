/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GET /personas, GET /personas/{id}, GET /personas/by-source/…,
 * POST /personas: the store's listing, look-ups and a save as the token. */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "pd-api-routes.h"
#include "pd-email.h"
#include "pd-error.h"
#include "pd-phone.h"

#define DEFAULT_LIMIT 50
#define MAX_LIMIT 500

static gboolean
parse_count (const char  *text,
             const char  *what,
             guint        max,
             guint       *value,
             GError     **error)
{
  char *end = NULL;
  guint64 n;

  if (text == NULL)
    return TRUE;
  n = g_ascii_strtoull (text, &end, 10);
  if (end == text || *end != '\0' || !g_ascii_isdigit (text[0]) || n > max)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("%s “%s” is not a whole number from 0 to %u"),
                   what, text, max);
      return FALSE;
    }
  *value = (guint) n;
  return TRUE;
}

static JsonNode *
page_json (GPtrArray  *page,
           guint       limit,
           const char *next_cursor)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "personas");
  json_builder_begin_array (b);
  for (guint i = 0; i < page->len && i < limit; i++)
    json_builder_add_value (b, pd_api_persona_json (page->pdata[i], 0));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "next_cursor");
  if (next_cursor != NULL)
    json_builder_add_string_value (b, next_cursor);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* updated_since: personas written since then, in ID order; the cursor is
 * "after:ID", the last ID of the page before. */
static JsonNode *
list_updated (PdApiRequest  *request,
              const char    *search,
              guint          limit,
              GError       **error)
{
  const char *cursor = pd_api_request_get_query (request, "cursor");
  g_autoptr(GPtrArray) page = NULL;
  g_autofree char *next = NULL;
  gint64 since, after = 0;

  if (search != NULL)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("updated_since cannot be combined with q"));
      return NULL;
    }
  since = pd_api_parse_time (pd_api_request_get_query (request, "updated_since"), "updated_since", error);
  if (since < 0)
    return NULL;
  if (cursor != NULL)
    {
      char *end = NULL;

      if (!g_str_has_prefix (cursor, "after:") || (after = g_ascii_strtoll (cursor + 6, &end, 10)) <= 0 ||
          *end != '\0')
        {
          g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("cursor “%s” is not a cursor of an updated_since page"),
                       cursor);
          return NULL;
        }
    }
  page = pd_store_list_updated_personas (request->store, since, after, limit + 1, error);
  if (page == NULL)
    return NULL;
  if (page->len > limit)
    next = g_strdup_printf ("after:%" PRId64, pd_persona_get_id (page->pdata[limit - 1]));
  return page_json (page, limit, next);
}

/* The cursor is the offset of the next page in the ID order: new
 * personas come last, so paging on while customers are added sees each
 * one once. */
JsonNode *
pd_api_personas_list (PdApiRequest  *request,
                      GError       **error)
{
  static const char * const allowed[] = { "limit", "cursor", "q", "updated_since", NULL };
  PdPersonaQuery query = { PD_PERSONA_VIEW_ACTIVE, NULL, 0, PD_PERSONA_SORT_ID, FALSE };
  g_autoptr(GPtrArray) page = NULL;
  g_autofree char *next = NULL;
  guint limit = DEFAULT_LIMIT, offset = 0;

  if (!pd_api_request_check_query (request, allowed, error) ||
      !parse_count (pd_api_request_get_query (request, "limit"), "limit", MAX_LIMIT, &limit, error))
    return NULL;
  if (limit == 0)
    limit = DEFAULT_LIMIT;
  query.search = pd_api_request_get_query (request, "q");
  if (query.search != NULL && *query.search == '\0')
    query.search = NULL;
  if (pd_api_request_get_query (request, "updated_since") != NULL)
    return list_updated (request, query.search, limit, error);
  if (!parse_count (pd_api_request_get_query (request, "cursor"), "cursor", G_MAXINT, &offset, error))
    return NULL;
  /* one more than asked says whether there is a next page */
  page = pd_store_list_personas (request->store, &query, offset, limit + 1, error);
  if (page == NULL)
    return NULL;
  if (page->len > limit)
    next = g_strdup_printf ("%u", offset + limit);
  return page_json (page, limit, next);
}

JsonNode *
pd_api_personas_get (PdApiRequest  *request,
                     GError       **error)
{
  g_autoptr(PdPersona) persona = NULL;
  gint64 id = pd_api_request_param_id (request, 0, error);
  gint64 merged_from = 0;

  if (id == 0 || !pd_api_request_check_query (request, NULL, error))
    return NULL;
  persona = pd_api_load_persona (request, id, &merged_from, error);
  if (persona == NULL)
    return NULL;
  return pd_api_persona_json (persona, merged_from);
}

JsonNode *
pd_api_personas_by_source (PdApiRequest  *request,
                           GError       **error)
{
  g_autoptr(PdPersona) persona = NULL;
  g_autofree char *source_id = NULL;
  gint64 id, merged_from = 0;

  if (!pd_api_request_check_query (request, NULL, error))
    return NULL;
  source_id = g_uri_unescape_string (request->params[1], NULL);
  if (source_id == NULL)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("The source ID is not valid UTF-8 text"));
      return NULL;
    }
  g_strstrip (source_id);
  if (!pd_source_id_check (request->params[0], source_id, error))
    return NULL;
  id = pd_store_find_by_source_id (request->store, request->params[0], source_id, error);
  if (id == 0)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No persona with %s ID “%s”"),
                     request->params[0], source_id);
      return NULL;
    }
  persona = pd_api_load_persona (request, id, &merged_from, error);
  if (persona == NULL)
    return NULL;
  return pd_api_persona_json (persona, merged_from);
}

/* One string or an array of strings. */
static gboolean
add_list (PdPersona    *persona,
          JsonObject   *object,
          const char   *name,
          PdFieldId     field,
          GError      **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autoptr(JsonArray) array = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_ARRAY (node))
    array = json_array_ref (json_node_get_array (node));
  else
    {
      array = json_array_new ();
      json_array_add_element (array, json_node_copy (node));
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *value = NULL;
      const char *text;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("Field “%s” must be a string or an array of strings"),
                       name);
          return FALSE;
        }
      text = json_node_get_string (element);
      if (field == PD_FIELD_EMAIL)
        value = pd_email_normalize (text, error);
      else if (field == PD_FIELD_PHONE)
        value = pd_api_normalize_phone (text, NULL, FALSE, error);
      else
        value = g_strstrip (g_strdup (text));
      if (value == NULL)
        return FALSE;
      if (*value == '\0')
        continue;
      if (field == PD_FIELD_EMAIL)
        pd_persona_add_email (persona, value);
      else if (field == PD_FIELD_PHONE)
        pd_persona_add_phone (persona, value);
      else
        pd_persona_add_tag (persona, value);
    }
  return TRUE;
}

/* The persona holding any of @persona's emails or phones (a 409 names it). */
static gint64
find_existing (PdStore   *store,
               PdPersona *persona)
{
  GPtrArray *emails = pd_persona_get_emails (persona);
  GPtrArray *phones = pd_persona_get_phones (persona);
  gint64 id = 0;

  for (guint i = 0; i < emails->len && id == 0; i++)
    id = pd_store_find_persona (store, PD_FIELD_EMAIL, emails->pdata[i], NULL);
  for (guint i = 0; i < phones->len && id == 0; i++)
    id = pd_store_find_persona (store, PD_FIELD_PHONE, phones->pdata[i], NULL);
  return id;
}

JsonNode *
pd_api_personas_create (PdApiRequest  *request,
                        GError       **error)
{
  static const char * const allowed[] = {
    "first_name", "last_name", "emails", "phones", "external_id", "city", "birth_date",
    "customer_type", "person_type", "signup_date", "favorite_store", "tags", "attributes", NULL
  };
  static const char * const single[] = {
    "first_name", "last_name", "city", "birth_date", "customer_type", "person_type", "signup_date",
    "favorite_store", NULL
  };
  g_autoptr(PdPersona) persona = pd_persona_new ();
  g_autoptr(GError) local = NULL;
  JsonObject *object = pd_api_request_body_object (request, allowed, error);
  JsonNode *attributes;
  const char *text;

  if (object == NULL)
    return NULL;
  /* each value checked for its field's type by the override rule's parser */
  for (guint i = 0; single[i] != NULL; i++)
    {
      g_autofree char *value = NULL;
      PdFieldId field;

      if (!pd_api_get_string_member (object, single[i], &text, error))
        return NULL;
      if (text == NULL)
        continue;
      if (!pd_override_parse (single[i], text, &field, &value, error))
        return NULL;
      pd_persona_set_value (persona, field, value);
    }
  if (!pd_api_get_string_member (object, "external_id", &text, error))
    return NULL;
  if (text != NULL)
    {
      g_autofree char *value = g_strstrip (g_strdup (text));

      if (*value != '\0')
        pd_persona_set_value (persona, PD_FIELD_EXTERNAL_ID, value);
    }
  if (!add_list (persona, object, "emails", PD_FIELD_EMAIL, error) ||
      !add_list (persona, object, "phones", PD_FIELD_PHONE, error) ||
      !add_list (persona, object, "tags", PD_FIELD_TAGS, error))
    return NULL;
  attributes = json_object_get_member (object, "attributes");
  if (attributes != NULL && !JSON_NODE_HOLDS_NULL (attributes))
    {
      JsonObject *map;
      g_autoptr(GList) names = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (attributes))
        {
          g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID,
                               _("Field “attributes” must be an object of names and values"));
          return NULL;
        }
      map = json_node_get_object (attributes);
      names = json_object_get_members (map);
      for (GList *l = names; l != NULL; l = l->next)
        {
          if (!pd_api_get_string_member (map, l->data, &text, error))
            return NULL;
          if (text != NULL && *text != '\0')
            pd_persona_set_attribute (persona, l->data, text);
        }
    }
  if (pd_persona_get_emails (persona)->len == 0 && pd_persona_get_phones (persona)->len == 0 &&
      pd_persona_get_value (persona, PD_FIELD_EXTERNAL_ID) == NULL)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID,
                           _("A new persona needs an email, a phone or an external ID"));
      return NULL;
    }
  if (!pd_store_save_persona_as (request->store, persona, request->actor, &local))
    {
      if (g_error_matches (local, PD_ERROR, PD_ERROR_CONFLICT))
        {
          gint64 existing = find_existing (request->store, persona);

          if (existing != 0)
            {
              request->error_extra = json_object_new ();
              json_object_set_int_member (request->error_extra, "persona_id", existing);
            }
        }
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  request->status = 201;
  return pd_api_persona_json (persona, 0);
}
