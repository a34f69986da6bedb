/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An order (a receipt) of a persona: its number, the store, the time and
 * its items, with prices in minor units (cents).  The rules that go with
 * it: what makes an order valid, and the points it earns under the
 * loyalty settings' earning rule (pd_order_points()). */

typedef struct {
  char   *product;
  gint64  quantity;   /* > 0 */
  gint64  price;      /* per unit, minor units, >= 0 */
} PdOrderItem;

typedef struct {
  gint64      id;          /* 0 until stored */
  gint64      persona_id;
  char       *number;      /* the order or receipt number */
  char       *store;       /* nullable */
  gint64      time_us;     /* Unix µs */
  GPtrArray  *items;       /* (element-type PdOrderItem) */
  gint64      points;      /* what it earned, as stored; 0 when the rule is off */
} PdOrder;

/* The longest number, store and product accepted, and the most items. */
#define PD_ORDER_MAX_TEXT   200
#define PD_ORDER_MAX_ITEMS  1000
/* The largest earning rule the settings take. */
#define PD_ORDER_MAX_POINTS_PER_UNIT 10000

PdOrder  *pd_order_new          (void);
void      pd_order_free         (PdOrder      *order);
void      pd_order_add_item     (PdOrder      *order,
                                 const char   *product,
                                 gint64        quantity,
                                 gint64        price);
/* The sum of quantity × price, or -1 when it would overflow. */
gint64    pd_order_get_total    (const PdOrder *order);
/* A number, a time, one item at least, each with a product, a positive
 * quantity and a price not below 0; FALSE with PD_ERROR_INVALID naming
 * what is wrong. */
gboolean  pd_order_check        (const PdOrder *order,
                                 GError       **error);
/* "PRODUCT:QTY:PRICE" (price in minor units; the product may hold ":",
 * the last two are split off). */
gboolean  pd_order_parse_item   (const char   *text,
                                 char        **product,
                                 gint64       *quantity,
                                 gint64       *price,
                                 GError      **error);
/* The earning rule: @points_per_unit points per currency unit (100 minor
 * units) of @total, rounded down; 0 when the rule is off (0). */
gint64    pd_order_points       (gint64        total,
                                 guint         points_per_unit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdOrder, pd_order_free)

/* JSON, as the CLI prints it and the API takes and answers it:
 * {"id", "personaId", "number", "store", "time" (ISO 8601), "total",
 *  "points", "items": [{"product", "quantity", "price"}]}.
 * pd_order_new_from_json() reads "number", "store", "time" (ISO 8601;
 * absent: now) and "items"; any other member is PD_ERROR_INVALID naming it. */
struct _JsonNode;
struct _JsonNode *pd_order_to_json      (const PdOrder    *order);
PdOrder          *pd_order_new_from_json (struct _JsonNode *node,
                                          GError          **error);

G_END_DECLS
