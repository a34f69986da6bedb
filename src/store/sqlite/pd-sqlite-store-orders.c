/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Orders and their items (schema 16), the points an order earns, and the
 * purchase counts that predicted products are scored from. */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-order.h"
#include "pd-permission.h"
#include "pd-predict.h"
#include "pd-sqlite-store-private.h"

static gboolean
number_taken (PdSqliteStore  *self,
              const PdOrder  *order,
              gboolean       *taken,
              GError        **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "SELECT 1 FROM orders WHERE number = ? AND store = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, order->number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, order->store ? order->store : "", -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error);
  *taken = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
insert_order (PdSqliteStore  *self,
              PdOrder        *order,
              gint64          total,
              GError        **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "INSERT INTO orders (persona_id, number, store, time, total, points, created) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order->persona_id);
  sqlite3_bind_text (stmt, 2, order->number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, order->store ? order->store : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, order->time_us);
  sqlite3_bind_int64 (stmt, 5, total);
  sqlite3_bind_int64 (stmt, 6, order->points);
  sqlite3_bind_int64 (stmt, 7, g_get_real_time ());
  if (!_pd_sqlite_store_step_done (self, stmt, error))
    return FALSE;
  order->id = sqlite3_last_insert_rowid (self->db);

  stmt = _pd_sqlite_store_prepare (self,
    "INSERT INTO order_items (order_id, line, product, quantity, price) VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < order->items->len; i++)
    {
      const PdOrderItem *item = g_ptr_array_index (order->items, i);

      sqlite3_bind_int64 (stmt, 1, order->id);
      sqlite3_bind_int (stmt, 2, (int) i + 1);
      sqlite3_bind_text (stmt, 3, item->product, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, item->quantity);
      sqlite3_bind_int64 (stmt, 5, item->price);
      if (!_pd_sqlite_store_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gint64
sqlite_add_order (PdStore        *store,
                  PdOrder        *order,
                  const PdActor  *actor,
                  GError        **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autoptr(PdPersona) persona = NULL;
  g_autoptr(PdPersona) before = NULL;
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autofree char *reason = NULL;
  PdLoyaltySettings settings;
  gboolean taken = FALSE;
  gint64 total;

  g_return_val_if_fail (!self->in_import, 0);

  /* An order earns points: who may not adjust points may not add one. */
  if (!pd_actor_check (actor, PD_PERMISSION_ADJUST_POINTS, error) ||
      !pd_order_check (order, error))
    return 0;
  total = pd_order_get_total (order);
  if (!_pd_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
    return 0;
  persona = _pd_sqlite_store_load_persona (self, order->persona_id, NULL, error);
  if (persona == NULL || !_pd_sqlite_store_get_settings (self, &settings, error))
    goto fail;
  if (pd_persona_get_blocklisted (persona) || pd_persona_get_archived (persona))
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                   _("Persona %" PRId64 " is archived or blocklisted: no order can be added"),
                   order->persona_id);
      goto fail;
    }
  if (!number_taken (self, order, &taken, error))
    goto fail;
  if (taken)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                   _("Order %s of store “%s” was added before"),
                   order->number, order->store ? order->store : "");
      goto fail;
    }
  order->points = pd_order_points (total, settings.order_points_per_unit);
  if (!insert_order (self, order, total, error))
    goto fail;
  if (order->points != 0)
    {
      /* the persona's write adds the ledger entry, with this reason */
      reason = g_strdup_printf (_("Order %s"), order->number);
      before = pd_persona_copy (persona);
      pd_persona_set_points (persona, pd_persona_get_points (persona) + order->points);
      /* points make a member, as an adjustment does */
      pd_persona_set_loyalty (persona, TRUE);
      if (!_pd_sqlite_store_write_persona_full (self, persona, before, actor, 0, reason, error))
        goto fail;
    }
  json_object_set_int_member (detail, "order_id", order->id);
  json_object_set_string_member (detail, "number", order->number);
  json_object_set_string_member (detail, "store", order->store ? order->store : "");
  json_object_set_int_member (detail, "items", order->items->len);
  json_object_set_int_member (detail, "total", total);
  json_object_set_int_member (detail, "points", order->points);
  if (!_pd_sqlite_store_audit (self, actor, "order.add", order->persona_id, detail, error) ||
      !_pd_sqlite_store_exec (self, "COMMIT", error))
    goto fail;
  return order->id;

fail:
  _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
  order->id = 0;
  order->points = 0;
  return 0;
}

static GPtrArray *
sqlite_list_orders (PdStore  *store,
                    gint64    persona_id,
                    GError  **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_order_free);
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "SELECT o.id, o.number, o.store, o.time, o.points, i.product, i.quantity, i.price "
    "FROM orders o JOIN order_items i ON i.order_id = o.id "
    "WHERE o.persona_id = ? ORDER BY o.time DESC, o.id DESC, i.line", error);
  PdOrder *order = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, persona_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (order == NULL || order->id != id)
        {
          const char *shop = _pd_sqlite_store_column_text (stmt, 2);

          order = pd_order_new ();
          order->id = id;
          order->persona_id = persona_id;
          order->number = g_strdup (_pd_sqlite_store_column_text (stmt, 1));
          order->store = shop && *shop ? g_strdup (shop) : NULL;
          order->time_us = sqlite3_column_int64 (stmt, 3);
          order->points = sqlite3_column_int64 (stmt, 4);
          g_ptr_array_add (orders, order);
        }
      pd_order_add_item (order, _pd_sqlite_store_column_text (stmt, 5),
                         sqlite3_column_int64 (stmt, 6), sqlite3_column_int64 (stmt, 7));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _pd_sqlite_store_fail (self, error);
      return NULL;
    }
  return g_steal_pointer (&orders);
}

/* The persona's products; for each, the other customers who bought it and
 * what else they bought.  Counts are of customers (distinct personas), so
 * that one big buyer does not weigh like many. */
static PdPurchaseStats *
sqlite_get_purchase_stats (PdStore  *store,
                           gint64    persona_id,
                           GError  **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autoptr(PdPurchaseStats) stats = pd_purchase_stats_new ();
  sqlite3_stmt *stmt;
  int rc;

  stmt = _pd_sqlite_store_prepare (self,
    "SELECT count(*), max(time) FROM orders WHERE persona_id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, persona_id);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      stats->n_orders = (guint) sqlite3_column_int64 (stmt, 0);
      stats->latest_us = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    goto fail;
  if (stats->n_orders == 0)
    return g_steal_pointer (&stats);

  stmt = _pd_sqlite_store_prepare (self,
    "SELECT i.product, count(DISTINCT o.id), sum(i.quantity), max(o.time) "
    "FROM orders o JOIN order_items i ON i.order_id = o.id "
    "WHERE o.persona_id = ? GROUP BY i.product", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, persona_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    pd_purchase_stats_add_own (stats, _pd_sqlite_store_column_text (stmt, 0),
                               (guint) sqlite3_column_int64 (stmt, 1),
                               sqlite3_column_int64 (stmt, 2), sqlite3_column_int64 (stmt, 3));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    goto fail;

  /* Other customers' products: who bought which (distinct), limited to
   * those who share a product with the persona. */
  stmt = _pd_sqlite_store_prepare (self,
    "WITH mine AS (SELECT DISTINCT i.product FROM orders o JOIN order_items i ON i.order_id = o.id "
    "              WHERE o.persona_id = ?1),"
    " bought AS (SELECT DISTINCT o.persona_id AS who, i.product AS product "
    "            FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.persona_id <> ?1),"
    " peers AS (SELECT DISTINCT who FROM bought WHERE product IN mine) "
    "SELECT a.product, b.product, count(*) FROM bought a JOIN bought b ON b.who = a.who "
    "WHERE a.who IN peers AND a.product IN mine AND b.product <> a.product "
    "GROUP BY a.product, b.product", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, persona_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    pd_purchase_stats_add_pair (stats, _pd_sqlite_store_column_text (stmt, 0),
                                _pd_sqlite_store_column_text (stmt, 1),
                                (guint) sqlite3_column_int64 (stmt, 2));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    goto fail;

  /* Buyers of every product that appears above (other customers). */
  stmt = _pd_sqlite_store_prepare (self,
    "SELECT i.product, count(DISTINCT o.persona_id) FROM orders o JOIN order_items i ON i.order_id = o.id "
    "WHERE o.persona_id <> ?1 AND i.product IN ("
    "  SELECT DISTINCT i2.product FROM orders o2 JOIN order_items i2 ON i2.order_id = o2.id "
    "  WHERE o2.persona_id IN (SELECT o3.persona_id FROM orders o3 JOIN order_items i3 ON i3.order_id = o3.id "
    "                          WHERE i3.product IN (SELECT i4.product FROM orders o4 "
    "                                               JOIN order_items i4 ON i4.order_id = o4.id "
    "                                               WHERE o4.persona_id = ?1)))"
    "GROUP BY i.product", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, persona_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    pd_purchase_stats_set_buyers (stats, _pd_sqlite_store_column_text (stmt, 0),
                                  (guint) sqlite3_column_int64 (stmt, 1));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    goto fail;
  return g_steal_pointer (&stats);

fail:
  _pd_sqlite_store_fail (self, error);
  return NULL;
}

void
_pd_sqlite_store_init_orders (PdStoreInterface *iface)
{
  iface->add_order = sqlite_add_order;
  iface->list_orders = sqlite_list_orders;
  iface->get_purchase_stats = sqlite_get_purchase_stats;
}
