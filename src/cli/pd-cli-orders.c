/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli orders add ID --number N [--store S] [--time T]
 *                              --item PRODUCT:QTY:PRICE…
 * persona-desk-cli orders list ID [--json]
 * A persona's orders (receipts); adding one earns the points of the
 * settings' order-points-per-unit rule (`config`). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pd-cli.h"
#include "pd-error.h"
#include "pd-order.h"

static int
orders_add (PdCliContext *ctx,
            int           argc,
            char        **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID --number N --item PRODUCT:QTY:PRICE…"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdOrder) order = pd_order_new ();
  g_autofree char *number = NULL;
  g_autofree char *shop = NULL;
  g_autofree char *when = NULL;
  g_auto(GStrv) items = NULL;
  gboolean json = FALSE;
  gint64 id;
  const GOptionEntry entries[] = {
    { "number", 0, 0, G_OPTION_ARG_STRING, &number, N_("The order or receipt number"), N_("N") },
    { "store", 0, 0, G_OPTION_ARG_STRING, &shop, N_("The store it was bought in"), N_("S") },
    { "time", 0, 0, G_OPTION_ARG_STRING, &when, N_("When (ISO 8601, local time unless it says; default now)"), N_("T") },
    { "item", 0, 0, G_OPTION_ARG_STRING_ARRAY, &items,
      N_("An item: product, quantity, price per unit in cents (repeat for each)"), N_("PRODUCT:QTY:PRICE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the stored order as JSON"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Add an order to a persona. With the order-points-per-unit "
                                           "setting above 0 it earns that many points per currency unit "
                                           "of its total, as a ledger entry “Order N”."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("orders add", error->message);
  if (argc != 2)
    return pd_cli_usage_error ("orders add", _("expected one persona ID"));
  if (number == NULL || items == NULL)
    return pd_cli_usage_error ("orders add", _("--number and at least one --item are needed"));
  id = pd_cli_parse_id (argv[1], _("Persona ID"), &error);
  if (id == 0)
    return pd_cli_fail_input (error);
  order->persona_id = id;
  order->number = g_strdup (number);
  order->store = g_strdup (shop);
  order->time_us = g_get_real_time ();
  if (when != NULL)
    {
      g_autoptr(GTimeZone) local = g_time_zone_new_local ();
      g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (when, local);

      if (time == NULL)
        {
          g_set_error (&error, PD_ERROR, PD_ERROR_INVALID, _("“%s” is not an ISO 8601 time"), when);
          return pd_cli_fail_input (error);
        }
      order->time_us = g_date_time_to_unix (time) * G_USEC_PER_SEC;
    }
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_autofree char *product = NULL;
      gint64 quantity, price;

      if (!pd_order_parse_item (items[i], &product, &quantity, &price, &error))
        return pd_cli_fail_input (error);
      pd_order_add_item (order, product, quantity, price);
    }
  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  /* after the store is open: --user is signed in there */
  if (pd_store_add_order (store, order, pd_cli_who (), &error) == 0)
    return pd_cli_fail_input (error);
  if (json)
    {
      g_autoptr(JsonNode) node = pd_order_to_json (order);

      pd_cli_print_json (node);
    }
  else
    printf (_("Order %" PRId64 " added; %" PRId64 " points earned\n"), (int64_t) order->id,
            (int64_t) order->points);
  return 0;
}

static int
orders_list (PdCliContext *ctx,
             int           argc,
             char        **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  gboolean json = FALSE;
  gint64 id;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("A persona's orders with their items, newest first."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("orders list", error->message);
  if (argc != 2)
    return pd_cli_usage_error ("orders list", _("expected one persona ID"));
  id = pd_cli_parse_id (argv[1], _("Persona ID"), &error);
  if (id == 0)
    return pd_cli_fail_input (error);
  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  orders = pd_store_list_orders (store, id, &error);
  if (orders == NULL)
    return pd_cli_fail (error);
  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonArray) array = json_array_new ();

      for (guint i = 0; i < orders->len; i++)
        json_array_add_element (array, pd_order_to_json (g_ptr_array_index (orders, i)));
      json_node_set_array (node, array);
      pd_cli_print_json (node);
      return 0;
    }
  for (guint i = 0; i < orders->len; i++)
    {
      const PdOrder *order = g_ptr_array_index (orders, i);
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (order->time_us / G_USEC_PER_SEC);
      g_autofree char *when = g_date_time_format (time, "%Y-%m-%d %H:%M");
      g_autofree char *number = pd_cli_escape (order->number);
      g_autofree char *shop = pd_cli_escape (order->store ? order->store : "");

      printf ("%" PRId64 "\t%s\t%s\t%s\t%" PRId64 "\t%" PRId64 "\n", (int64_t) order->id, number, shop, when,
              (int64_t) pd_order_get_total (order), (int64_t) order->points);
      for (guint j = 0; j < order->items->len; j++)
        {
          const PdOrderItem *item = g_ptr_array_index (order->items, j);
          g_autofree char *product = pd_cli_escape (item->product);

          printf ("\t%s\t%" PRId64 "\t%" PRId64 "\n", product, (int64_t) item->quantity, (int64_t) item->price);
        }
    }
  return 0;
}

int
pd_cli_orders (PdCliContext *ctx,
               int           argc,
               char        **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "add"))
    return orders_add (ctx, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return orders_list (ctx, argc - 1, argv + 1);
  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      printf ("%s\n", _("Usage:\n  orders add ID --number N [--store S] [--time T] --item PRODUCT:QTY:PRICE…\n"
                        "  orders list ID [--json]\n\nA persona's orders (receipts). "
                        "Prices are per unit, in cents. Run 'orders add --help' for the options."));
      return 0;
    }
  return pd_cli_usage_error ("orders", _("expected add or list"));
}
