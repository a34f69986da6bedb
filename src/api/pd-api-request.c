/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What every handler shares: errors as JSON and statuses, the query, the
 * path's IDs, the body's members, the persona object (pd-api-request.h). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-api-request.h"
#include "pd-error.h"
#include "pd-phone.h"
#include "pd-store-merge.h"

guint
pd_api_status_for_error (const GError *error)
{
  if (error == NULL || error->domain != PD_ERROR)
    return 500;
  switch (error->code)
    {
    case PD_ERROR_INVALID:
    case PD_ERROR_MAPPING:
    case PD_ERROR_CORRUPT:       /* a bulk body that is not JSON */
      return 400;
    case PD_ERROR_PERMISSION:
      return 403;
    case PD_ERROR_NOT_FOUND:
      return 404;
    case PD_ERROR_CONFLICT:
    case PD_ERROR_SAME_FILE:
      return 409;
    case PD_ERROR_TOO_LARGE:
      return 413;
    case PD_ERROR_BUSY:
      return 503;
    default:
      return 500;
    }
}

const char *
pd_api_code_for_status (guint status)
{
  switch (status)
    {
    case 400: return "invalid";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 409: return "conflict";
    case 411: return "length_required";
    case 413: return "too_large";
    case 415: return "unsupported_media_type";
    case 501: return "not_implemented";
    case 503: return "busy";
    default:  return status >= 500 ? "internal" : "error";
    }
}

JsonNode *
pd_api_error_json (guint        status,
                   const char  *message,
                   JsonObject  *extra)
{
  JsonObject *root = json_object_new ();
  JsonObject *error = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (error, "code", pd_api_code_for_status (status));
  json_object_set_string_member (error, "message", message);
  if (extra != NULL)
    {
      GList *members = json_object_get_members (extra);

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (error, l->data, json_object_dup_member (extra, l->data));
      g_list_free (members);
    }
  json_object_set_object_member (root, "error", error);
  json_node_take_object (node, root);
  return node;
}

const char *
pd_api_request_get_query (PdApiRequest *request,
                          const char   *name)
{
  return request->query != NULL ? g_hash_table_lookup (request->query, name) : NULL;
}

static char *
join_unknown (GList              *names,
              const char * const *allowed)
{
  GString *unknown = NULL;

  static const char * const none[] = { NULL };

  if (allowed == NULL)
    allowed = none;
  for (GList *l = names; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        if (unknown == NULL)
          unknown = g_string_new (NULL);
        else
          g_string_append (unknown, ", ");
        g_string_append (unknown, l->data);
      }
  return unknown != NULL ? g_string_free (unknown, FALSE) : NULL;
}

gboolean
pd_api_request_check_query (PdApiRequest        *request,
                            const char * const  *allowed,
                            GError             **error)
{
  g_autoptr(GList) names = NULL;
  g_autofree char *unknown = NULL;

  if (request->query == NULL)
    return TRUE;
  names = g_list_sort (g_hash_table_get_keys (request->query), (GCompareFunc) g_strcmp0);
  unknown = join_unknown (names, allowed);
  if (unknown != NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("Unknown query parameters: %s"), unknown);
      return FALSE;
    }
  return TRUE;
}

gint64
pd_api_request_param_id (PdApiRequest  *request,
                         guint          index,
                         GError       **error)
{
  const char *text = index < request->n_params ? request->params[index] : "";
  char *end = NULL;
  gint64 id = g_ascii_strtoll (text, &end, 10);

  if (end == text || *end != '\0' || id <= 0 || !g_ascii_isdigit (text[0]))
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("Persona ID “%s” is not a positive whole number"), text);
      return 0;
    }
  return id;
}

JsonObject *
pd_api_request_body_object (PdApiRequest        *request,
                            const char * const  *allowed,
                            GError             **error)
{
  JsonObject *object;
  g_autoptr(GList) names = NULL;
  g_autofree char *unknown = NULL;

  if (request->body == NULL || !JSON_NODE_HOLDS_OBJECT (request->body))
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("The request body must be a JSON object"));
      return NULL;
    }
  object = json_node_get_object (request->body);
  if (allowed == NULL)
    return object;
  names = g_list_sort (json_object_get_members (object), (GCompareFunc) g_strcmp0);
  unknown = join_unknown (names, allowed);
  if (unknown != NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("Unknown fields: %s"), unknown);
      return NULL;
    }
  return object;
}

gboolean
pd_api_get_string_member (JsonObject   *object,
                          const char   *name,
                          const char  **value,
                          GError      **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("Field “%s” must be a string"), name);
      return FALSE;
    }
  *value = json_node_get_string (node);
  return TRUE;
}

PdPersona *
pd_api_load_persona (PdApiRequest  *request,
                     gint64         id,
                     gint64        *merged_from,
                     GError       **error)
{
  g_autoptr(PdPersona) persona = NULL;
  g_autoptr(GError) local = NULL;
  gint64 survivor;

  if (merged_from != NULL)
    *merged_from = 0;
  /* the merge's own rule (pd-store-merge.h); 0 and NOT_FOUND when unknown */
  survivor = pd_store_get_survivor (request->store, id, &local);
  if (survivor == 0)
    {
      if (local == NULL)
        g_set_error (&local, PD_ERROR, PD_ERROR_NOT_FOUND, _("No persona with ID %" PRId64), id);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  persona = pd_store_get_persona (request->store, survivor, error);
  if (persona == NULL)
    return NULL;
  /* nothing the API answers shows a blocklisted customer */
  if (pd_persona_get_blocklisted (persona))
    {
      g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No persona with ID %" PRId64), id);
      return NULL;
    }
  if (merged_from != NULL && survivor != id)
    *merged_from = id;
  return g_steal_pointer (&persona);
}

gboolean
pd_api_persona_visible (PdApiRequest *request,
                        GHashTable   *cache,
                        gint64       *id)
{
  gpointer shown;

  if (!g_hash_table_lookup_extended (cache, id, NULL, &shown))
    {
      g_autoptr(PdPersona) persona = pd_store_get_persona (request->store, *id, NULL);

      shown = GINT_TO_POINTER (persona != NULL && !pd_persona_get_blocklisted (persona));
      g_hash_table_insert (cache, id, shown);
    }
  return GPOINTER_TO_INT (shown);
}

JsonNode *
pd_api_persona_json (PdPersona *persona,
                     gint64     merged_from)
{
  JsonNode *node = pd_persona_to_json (persona);

  if (merged_from != 0)
    json_object_set_int_member (json_node_get_object (node), "merged_from", merged_from);
  return node;
}

char *
pd_api_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;

  if (time == NULL)
    return NULL;
  utc = g_date_time_to_utc (time);
  return g_date_time_format_iso8601 (utc);
}

gint64
pd_api_parse_time (const char  *text,
                   const char  *what,
                   GError     **error)
{
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  int y, m, d;
  char end;

  if (sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &end) == 3)
    time = g_date_time_new (utc, y, m, d, 0, 0, 0);
  else
    time = g_date_time_new_from_iso8601 (text, utc);
  if (time == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("%s “%s” is not a date (use YYYY-MM-DD or an ISO 8601 time)"), what, text);
      return -1;
    }
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

char *
pd_api_normalize_phone (const char  *text,
                        const char  *region,
                        gboolean     number_only,
                        GError     **error)
{
  char *phone = pd_phone_normalize_lenient (text, region, NULL, error);

  if (phone != NULL && number_only)
    phone[pd_phone_number_length (phone)] = '\0';
  return phone;
}

/* json-glib says "<data>:LINE:COLUMN: Parse error: …" */
JsonParser *
pd_api_request_parse_body (PdApiRequest  *request,
                           GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local = NULL;
  const char *data = "";
  gsize size = 0;
  const char *p;
  int line = 0, column = 0;

  if (request->raw_body != NULL)
    data = g_bytes_get_data (request->raw_body, &size);
  if (json_parser_load_from_data (parser, data, size, &local))
    return g_steal_pointer (&parser);
  p = strstr (local->message, ">:");
  if (p != NULL && sscanf (p + 2, "%d:%d", &line, &column) == 2)
    {
      const char *reason = strstr (p + 2, ": ");

      if (request->error_extra == NULL)
        request->error_extra = json_object_new ();
      json_object_set_int_member (request->error_extra, "line", line);
      json_object_set_int_member (request->error_extra, "column", column);
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("Malformed JSON at line %d, column %d: %s"), line, column,
                   reason != NULL ? reason + 2 : local->message);
    }
  else
    g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("Malformed JSON: %s"), local->message);
  return NULL;
}
