/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-error.h"
#include "pd-order.h"

#include <json-glib/json-glib.h>

static void
item_free (gpointer data)
{
  PdOrderItem *item = data;

  g_free (item->product);
  g_free (item);
}

PdOrder *
pd_order_new (void)
{
  PdOrder *order = g_new0 (PdOrder, 1);

  order->items = g_ptr_array_new_with_free_func (item_free);
  return order;
}

void
pd_order_free (PdOrder *order)
{
  if (order == NULL)
    return;
  g_free (order->number);
  g_free (order->store);
  g_ptr_array_unref (order->items);
  g_free (order);
}

void
pd_order_add_item (PdOrder    *order,
                   const char *product,
                   gint64      quantity,
                   gint64      price)
{
  PdOrderItem *item = g_new0 (PdOrderItem, 1);

  item->product = g_strdup (product);
  item->quantity = quantity;
  item->price = price;
  g_ptr_array_add (order->items, item);
}

gint64
pd_order_get_total (const PdOrder *order)
{
  gint64 total = 0;

  for (guint i = 0; i < order->items->len; i++)
    {
      const PdOrderItem *item = g_ptr_array_index (order->items, i);
      gint64 line;

      if (item->quantity < 0 || item->price < 0 ||
          (item->quantity > 0 && item->price > G_MAXINT64 / item->quantity))
        return -1;
      line = item->quantity * item->price;
      if (total > G_MAXINT64 - line)
        return -1;
      total += line;
    }
  return total;
}

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static gboolean
check_text (const char  *text,
            const char  *what,
            GError     **error)
{
  if (text == NULL || is_blank (text))
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("The order has no %s"), what);
      return FALSE;
    }
  if (!g_utf8_validate (text, -1, NULL) || strlen (text) > PD_ORDER_MAX_TEXT)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("The order’s %s is not text of at most %u bytes"), what, (guint) PD_ORDER_MAX_TEXT);
      return FALSE;
    }
  return TRUE;
}

gboolean
pd_order_check (const PdOrder  *order,
                GError        **error)
{
  if (!check_text (order->number, _("number"), error))
    return FALSE;
  if (order->store != NULL && *order->store != '\0' && !check_text (order->store, _("store"), error))
    return FALSE;
  if (order->time_us <= 0)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("The order has no time"));
      return FALSE;
    }
  if (order->items->len == 0 || order->items->len > PD_ORDER_MAX_ITEMS)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("An order has 1 to %u items"), (guint) PD_ORDER_MAX_ITEMS);
      return FALSE;
    }
  for (guint i = 0; i < order->items->len; i++)
    {
      const PdOrderItem *item = g_ptr_array_index (order->items, i);

      if (!check_text (item->product, _("product"), error))
        return FALSE;
      if (item->quantity <= 0 || item->price < 0)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                       _("Item %u (“%s”): the quantity must be above 0 and the price not below 0"),
                       i + 1, item->product);
          return FALSE;
        }
    }
  if (pd_order_get_total (order) < 0)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("The order’s total is too large"));
      return FALSE;
    }
  return TRUE;
}

gboolean
pd_order_parse_item (const char  *text,
                     char       **product,
                     gint64      *quantity,
                     gint64      *price,
                     GError     **error)
{
  const char *last = strrchr (text, ':');
  const char *middle = NULL;
  g_autofree char *qty_text = NULL;

  if (last != NULL && last > text)
    for (const char *p = last - 1; p >= text; p--)
      if (*p == ':')
        {
          middle = p;
          break;
        }
  if (middle == NULL || middle == text)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("“%s” is not PRODUCT:QUANTITY:PRICE (price in cents)"), text);
      return FALSE;
    }
  qty_text = g_strndup (middle + 1, last - middle - 1);
  if (!g_ascii_string_to_signed (qty_text, 10, 1, G_MAXINT32, quantity, NULL) ||
      !g_ascii_string_to_signed (last + 1, 10, 0, G_MAXINT64 / G_MAXINT32, price, NULL))
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("“%s”: the quantity must be a whole number above 0 and the price "
                     "a whole number of cents"), text);
      return FALSE;
    }
  *product = g_strndup (text, middle - text);
  return TRUE;
}

gint64
pd_order_points (gint64 total,
                 guint  points_per_unit)
{
  if (points_per_unit == 0 || total <= 0)
    return 0;
  /* total / 100 * rate, then the remainder's share: no overflow for any
   * total a valid order has */
  return (total / 100) * points_per_unit + (total % 100) * points_per_unit / 100;
}

/**
 * pd_order_to_json:
 *
 * Returns: (transfer full): the order as a JSON object
 */
JsonNode *
pd_order_to_json (const PdOrder *order)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (order->time_us / G_USEC_PER_SEC);
  g_autofree char *when = time ? g_date_time_format_iso8601 (time) : NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, order->id);
  json_builder_set_member_name (builder, "personaId");
  json_builder_add_int_value (builder, order->persona_id);
  json_builder_set_member_name (builder, "number");
  json_builder_add_string_value (builder, order->number);
  json_builder_set_member_name (builder, "store");
  if (order->store != NULL)
    json_builder_add_string_value (builder, order->store);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "time");
  json_builder_add_string_value (builder, when ? when : "");
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, pd_order_get_total (order));
  json_builder_set_member_name (builder, "points");
  json_builder_add_int_value (builder, order->points);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < order->items->len; i++)
    {
      const PdOrderItem *item = g_ptr_array_index (order->items, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "product");
      json_builder_add_string_value (builder, item->product);
      json_builder_set_member_name (builder, "quantity");
      json_builder_add_int_value (builder, item->quantity);
      json_builder_set_member_name (builder, "price");
      json_builder_add_int_value (builder, item->price);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
only_members (JsonObject          *object,
              const char * const  *known,
              const char          *what,
              GError             **error)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &value))
    if (!g_strv_contains (known, key))
      {
        g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("Unknown member “%s” in %s"), key, what);
        return FALSE;
      }
  return TRUE;
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_int (JsonObject *object,
         const char *name,
         gint64     *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

/**
 * pd_order_new_from_json:
 *
 * Returns: (transfer full): the order (persona_id 0, not checked with
 *   pd_order_check()), or %NULL with @error set
 */
PdOrder *
pd_order_new_from_json (JsonNode  *node,
                        GError   **error)
{
  static const char * const order_members[] = { "number", "store", "time", "items", NULL };
  static const char * const item_members[] = { "product", "quantity", "price", NULL };
  g_autoptr(PdOrder) order = pd_order_new ();
  JsonObject *object;
  JsonNode *items;
  const char *when;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("An order is a JSON object"));
      return NULL;
    }
  object = json_node_get_object (node);
  if (!only_members (object, order_members, _("the order"), error))
    return NULL;
  order->number = g_strdup (get_string (object, "number"));
  order->store = g_strdup (get_string (object, "store"));
  when = get_string (object, "time");
  if (when != NULL)
    {
      g_autoptr(GTimeZone) local = g_time_zone_new_local ();
      g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (when, local);

      if (time == NULL)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("“%s” is not an ISO 8601 time"), when);
          return NULL;
        }
      order->time_us = g_date_time_to_unix (time) * G_USEC_PER_SEC;
    }
  else
    order->time_us = g_get_real_time ();
  items = json_object_get_member (object, "items");
  if (items == NULL || !JSON_NODE_HOLDS_ARRAY (items))
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("The order has no “items” list"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (items)); i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (items), i);
      gint64 quantity, price;
      const char *product;

      if (!JSON_NODE_HOLDS_OBJECT (item) ||
          !only_members (json_node_get_object (item), item_members, _("an item"), error))
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("Item %u is not an object"), i + 1);
          return NULL;
        }
      product = get_string (json_node_get_object (item), "product");
      if (product == NULL || !get_int (json_node_get_object (item), "quantity", &quantity) ||
          !get_int (json_node_get_object (item), "price", &price))
        {
          g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                       _("Item %u needs “product” (text), “quantity” and “price” (whole numbers, "
                         "the price in minor units)"), i + 1);
          return NULL;
        }
      pd_order_add_item (order, product, quantity, price);
    }
  return g_steal_pointer (&order);
}
