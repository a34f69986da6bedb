/* SPDX-License-Identifier: GPL-3.0-or-later */
/* POST and GET /personas/{id}/orders, GET /personas/{id}/predicted-products:
 * the CLI's orders and predict over HTTP.  The rules (an order's checks,
 * the earning rule, the ranking) are pd_store_add_order()'s and
 * pd_predict_products()'s. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-api-routes.h"
#include "pd-error.h"
#include "pd-order.h"
#include "pd-predict.h"

#define DEFAULT_PREDICTIONS 10
#define MAX_PREDICTIONS 1000

/* {"number", "store", "time", "items": [{"product", "quantity", "price"}]} */
JsonNode *
pd_api_orders_add (PdApiRequest  *request,
                   GError       **error)
{
  gint64 id = pd_api_request_param_id (request, 0, error);
  g_autoptr(PdPersona) persona = NULL;
  g_autoptr(PdOrder) order = NULL;

  if (id == 0)
    return NULL;
  /* 404 for an unknown or blocklisted persona, as every persona route */
  persona = pd_api_load_persona (request, id, NULL, error);
  if (persona == NULL)
    return NULL;
  if (request->body == NULL)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("An order needs a JSON body"));
      return NULL;
    }
  order = pd_order_new_from_json (request->body, error);
  if (order == NULL)
    return NULL;
  order->persona_id = pd_persona_get_id (persona);
  if (pd_store_add_order (request->store, order, request->actor, error) == 0)
    return NULL;
  request->status = 201;
  return pd_order_to_json (order);
}

JsonNode *
pd_api_orders_list (PdApiRequest  *request,
                    GError       **error)
{
  gint64 id = pd_api_request_param_id (request, 0, error);
  g_autoptr(PdPersona) persona = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  JsonArray *array;
  JsonNode *node;

  if (id == 0 || !pd_api_request_check_query (request, NULL, error))
    return NULL;
  persona = pd_api_load_persona (request, id, NULL, error);
  if (persona == NULL)
    return NULL;
  orders = pd_store_list_orders (request->store, pd_persona_get_id (persona), error);
  if (orders == NULL)
    return NULL;
  array = json_array_sized_new (orders->len);
  for (guint i = 0; i < orders->len; i++)
    json_array_add_element (array, pd_order_to_json (orders->pdata[i]));
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  return node;
}

/* ?limit=N (1 to 1000, default 10) */
JsonNode *
pd_api_orders_predicted (PdApiRequest  *request,
                         GError       **error)
{
  static const char * const allowed[] = { "limit", NULL };
  gint64 id = pd_api_request_param_id (request, 0, error);
  g_autoptr(PdPersona) persona = NULL;
  g_autoptr(PdPurchaseStats) stats = NULL;
  g_autoptr(GPtrArray) predictions = NULL;
  const char *text;
  guint64 limit = DEFAULT_PREDICTIONS;

  if (id == 0 || !pd_api_request_check_query (request, allowed, error))
    return NULL;
  text = pd_api_request_get_query (request, "limit");
  if (text != NULL &&
      (!g_ascii_string_to_unsigned (text, 10, 1, MAX_PREDICTIONS, &limit, NULL)))
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("limit must be a whole number from 1 to %d, not “%s”"),
                   MAX_PREDICTIONS, text);
      return NULL;
    }
  persona = pd_api_load_persona (request, id, NULL, error);
  if (persona == NULL)
    return NULL;
  stats = pd_store_get_purchase_stats (request->store, pd_persona_get_id (persona), error);
  if (stats == NULL)
    return NULL;
  predictions = pd_predict_products (stats, (guint) limit);
  return pd_predictions_to_json (predictions);
}
