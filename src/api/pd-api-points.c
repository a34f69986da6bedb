/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PUT /personas/{id}/points, GET /personas/{id}/points-timeline,
 * GET /points-adjustments: the CLI's points command over HTTP; the rule
 * (a reason, not below zero unless allowed) is pd_store_adjust_points_as()'s. */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "pd-api-routes.h"
#include "pd-error.h"

#define DEFAULT_PAGE 1000
#define MAX_PAGE 10000

static JsonNode *
entry_json (const PdLedgerEntry *e)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *time = pd_api_format_time (e->time);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, e->id);
  json_builder_set_member_name (b, "persona_id");
  json_builder_add_int_value (b, e->persona_id);
  json_builder_set_member_name (b, "time");
  json_builder_add_string_value (b, time);
  json_builder_set_member_name (b, "delta");
  json_builder_add_int_value (b, e->delta);
  json_builder_set_member_name (b, "balance");
  json_builder_add_int_value (b, e->balance);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, pd_source_to_string (e->source));
  json_builder_set_member_name (b, "who");
  if (e->actor != NULL)
    json_builder_add_string_value (b, e->actor);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "reason");
  if (e->reason != NULL)
    json_builder_add_string_value (b, e->reason);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "import_id");
  if (e->import_id != 0)
    json_builder_add_int_value (b, e->import_id);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static JsonNode *
entries_json (GPtrArray *entries,
              gboolean   reverse)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < entries->len; i++)
    json_array_add_element (array, entry_json (entries->pdata[reverse ? entries->len - 1 - i : i]));
  json_node_take_array (node, array);
  return node;
}

/* {"delta": 50, "reason": "…"} */
JsonNode *
pd_api_points_adjust (PdApiRequest  *request,
                      GError       **error)
{
  static const char * const allowed[] = { "delta", "reason", NULL };
  gint64 id = pd_api_request_param_id (request, 0, error);
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(PdPersona) persona = NULL;
  JsonObject *object;
  JsonNode *delta_node;
  const char *reason;
  gint64 delta, balance = 0;

  if (id == 0 || !pd_api_request_check_query (request, NULL, error))
    return NULL;
  object = pd_api_request_body_object (request, allowed, error);
  if (object == NULL || !pd_api_get_string_member (object, "reason", &reason, error))
    return NULL;
  delta_node = json_object_get_member (object, "delta");
  if (delta_node == NULL || !JSON_NODE_HOLDS_VALUE (delta_node) ||
      json_node_get_value_type (delta_node) != G_TYPE_INT64)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("Field “delta” must be a whole number"));
      return NULL;
    }
  delta = json_node_get_int (delta_node);
  /* a blocklisted persona is not found (the store would say "blocklisted");
   * a merged-away ID is not followed for a write */
  persona = pd_api_load_persona (request, id, NULL, error);
  if (persona == NULL)
    return NULL;
  if (!pd_store_adjust_points_as (request->store, id, delta, reason, request->actor, &balance, error))
    return NULL;
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "persona_id");
  json_builder_add_int_value (b, id);
  json_builder_set_member_name (b, "delta");
  json_builder_add_int_value (b, delta);
  json_builder_set_member_name (b, "balance");
  json_builder_add_int_value (b, balance);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
pd_api_points_timeline (PdApiRequest  *request,
                        GError       **error)
{
  gint64 id = pd_api_request_param_id (request, 0, error);
  g_autoptr(PdPersona) persona = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  if (id == 0 || !pd_api_request_check_query (request, NULL, error))
    return NULL;
  persona = pd_api_load_persona (request, id, NULL, error);
  if (persona == NULL)
    return NULL;
  entries = pd_store_list_ledger (request->store, pd_persona_get_id (persona), error);
  if (entries == NULL)
    return NULL;
  /* the store lists newest first (for the detail pane); a timeline reads
   * down to the balance now */
  return entries_json (entries, TRUE);
}

JsonNode *
pd_api_points_adjustments (PdApiRequest  *request,
                           GError       **error)
{
  static const char * const allowed[] = { "since", "after", "limit", NULL };
  const char *since = pd_api_request_get_query (request, "since");
  const char *after_text = pd_api_request_get_query (request, "after");
  const char *limit_text = pd_api_request_get_query (request, "limit");
  g_autoptr(GPtrArray) entries = NULL;
  gint64 since_us = 0, after = 0, limit = DEFAULT_PAGE;
  char *end = NULL;

  if (!pd_api_request_check_query (request, allowed, error))
    return NULL;
  if (since != NULL && (since_us = pd_api_parse_time (since, "since", error)) < 0)
    return NULL;
  /* a page at a time: a ledger of millions of entries is not one answer */
  if (after_text != NULL && ((after = g_ascii_strtoll (after_text, &end, 10)) < 0 || *end != '\0' ||
                             end == after_text))
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("after “%s” is not an entry ID"), after_text);
      return NULL;
    }
  if (limit_text != NULL && ((limit = g_ascii_strtoll (limit_text, &end, 10)) < 1 || limit > MAX_PAGE ||
                             *end != '\0'))
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("limit “%s” is not a whole number from 1 to %d"),
                   limit_text, MAX_PAGE);
      return NULL;
    }
  entries = pd_store_list_ledger_page (request->store, since_us, after, (guint) limit, error);
  if (entries == NULL)
    return NULL;
  /* no answer shows a blocklisted customer, not even by ID */
  {
    g_autoptr(GHashTable) visible = g_hash_table_new (g_int64_hash, g_int64_equal);
    g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
    JsonArray *array = json_array_new ();
    JsonNode *node = json_node_new (JSON_NODE_ARRAY);

    g_array_set_size (ids, entries->len);
    for (guint i = 0; i < entries->len; i++)
      {
        const PdLedgerEntry *e = entries->pdata[i];
        gint64 *id = &g_array_index (ids, gint64, i);

        *id = e->persona_id;
        if (pd_api_persona_visible (request, visible, id))
          json_array_add_element (array, entry_json (e));
      }
    json_node_take_array (node, array);
    return node;
  }
}
