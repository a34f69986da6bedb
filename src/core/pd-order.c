/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-error.h"
#include "pd-order.h"

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
