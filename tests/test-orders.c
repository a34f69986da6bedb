/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Orders: the earning rule (off by default, points per currency unit as
 * ledger entries), one number per store, the permission, the persona
 * search by order number, the JSON an API takes. */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "pd-error.h"
#include "pd-order.h"
#include "pd-test-store-fixture.h"

static gint64
new_persona (Fixture    *f,
             const char *email)
{
  g_autoptr(PdPersona) persona = pd_persona_new ();
  g_autoptr(GError) error = NULL;

  pd_persona_add_email (persona, email);
  g_assert_true (pd_store_save_persona (f->store, persona, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  return pd_persona_get_id (persona);
}

static gint64
add_order (Fixture     *f,
           gint64       persona_id,
           const char  *number,
           const char  *shop,
           gint64      *points,
           GError     **error)
{
  g_autoptr(PdOrder) order = pd_order_new ();
  PdActor actor = { PD_SOURCE_MANUAL, "test", PD_ROLE_OWNER };
  gint64 id;

  order->persona_id = persona_id;
  order->number = g_strdup (number);
  order->store = g_strdup (shop);
  order->time_us = g_get_real_time ();
  pd_order_add_item (order, "Coffee", 2, 350);
  pd_order_add_item (order, "Bagel", 1, 275);
  id = pd_store_add_order (f->store, order, &actor, error);
  if (points != NULL)
    *points = order->points;
  return id;
}

static void
set_rule (Fixture *f,
          guint    per_unit)
{
  PdLoyaltySettings settings;
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_store_get_loyalty_settings (f->store, &settings, &error));
  settings.order_points_per_unit = per_unit;
  g_assert_true (pd_store_set_loyalty_settings (f->store, &settings, &error));
  g_assert_no_error (error);
}

static void
test_off_by_default (Fixture       *f,
                     gconstpointer  data)
{
  gint64 id = new_persona (f, "a@example.com");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ledger = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(PdPersona) persona = NULL;
  PdLoyaltySettings settings;
  gint64 points = -1;

  g_assert_true (pd_store_get_loyalty_settings (f->store, &settings, &error));
  g_assert_cmpuint (settings.order_points_per_unit, ==, 0);
  g_assert_cmpint (add_order (f, id, "R-1", "Downtown", &points, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (points, ==, 0);
  ledger = pd_store_list_ledger (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ledger->len, ==, 0);
  persona = pd_store_get_persona (f->store, id, &error);
  g_assert_cmpint (pd_persona_get_points (persona), ==, 0);

  orders = pd_store_list_orders (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (orders->len, ==, 1);
  g_assert_cmpstr (((PdOrder *) orders->pdata[0])->number, ==, "R-1");
  g_assert_cmpuint (((PdOrder *) orders->pdata[0])->items->len, ==, 2);
  g_assert_cmpint (pd_order_get_total (orders->pdata[0]), ==, 975);
}

static void
test_points_per_rule (Fixture       *f,
                      gconstpointer  data)
{
  gint64 id = new_persona (f, "b@example.com");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ledger = NULL;
  g_autoptr(PdPersona) persona = NULL;
  const PdLedgerEntry *entry;
  gint64 points = 0;

  set_rule (f, 2);
  /* 9.75 at 2 points per unit: 19 (rounded down) */
  g_assert_cmpint (add_order (f, id, "R-2", "Downtown", &points, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (points, ==, 19);
  persona = pd_store_get_persona (f->store, id, &error);
  g_assert_cmpint (pd_persona_get_points (persona), ==, 19);
  ledger = pd_store_list_ledger (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ledger->len, ==, 1);
  entry = g_ptr_array_index (ledger, 0);
  g_assert_cmpint (entry->delta, ==, 19);
  g_assert_cmpint (entry->balance, ==, 19);
  g_assert_nonnull (strstr (entry->reason, "R-2"));

  g_assert_cmpint (pd_order_points (975, 2), ==, 19);
  g_assert_cmpint (pd_order_points (99, 1), ==, 0);
  g_assert_cmpint (pd_order_points (100, 1), ==, 1);
  g_assert_cmpint (pd_order_points (123456, 0), ==, 0);
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  gint64 id = new_persona (f, "c@example.com");
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrder) empty = pd_order_new ();
  PdActor analyst = { PD_SOURCE_API, "reports", PD_ROLE_ANALYST };
  g_autoptr(PdOrder) order = pd_order_new ();
  g_autofree char *product = NULL;
  gint64 quantity, price;

  g_assert_cmpint (add_order (f, id, "R-3", "Downtown", NULL, &error), >, 0);
  /* the same number in the same store: once */
  g_assert_cmpint (add_order (f, id, "R-3", "Downtown", NULL, &error), ==, 0);
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (add_order (f, id, "R-3", "Airport", NULL, &error), >, 0);
  g_assert_no_error (error);

  empty->persona_id = id;
  empty->number = g_strdup ("R-4");
  empty->time_us = g_get_real_time ();
  g_assert_cmpint (pd_store_add_order (f->store, empty, &analyst, &error), ==, 0);
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
  g_clear_error (&error);
  {
    PdActor owner = { PD_SOURCE_MANUAL, NULL, PD_ROLE_OWNER };

    g_assert_cmpint (pd_store_add_order (f->store, empty, &owner, &error), ==, 0);
    g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
    g_clear_error (&error);
  }

  g_assert_true (pd_order_parse_item ("Beans: dark:roast:3:1299", &product, &quantity, &price, &error));
  g_assert_cmpstr (product, ==, "Beans: dark:roast");
  g_assert_cmpint (quantity, ==, 3);
  g_assert_cmpint (price, ==, 1299);
  g_assert_false (pd_order_parse_item ("Beans:0:100", &product, &quantity, &price, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (pd_order_parse_item ("Beans:2", &product, &quantity, &price, &error));
  g_clear_error (&error);
  order->number = g_strdup ("X");
  order->time_us = 1;
  pd_order_add_item (order, "P", G_MAXINT32, G_MAXINT64 / 2);
  pd_order_add_item (order, "Q", G_MAXINT32, G_MAXINT64 / 2);
  g_assert_false (pd_order_check (order, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
}

static gint64
search_one (Fixture    *f,
            const char *text,
            guint      *n)
{
  PdPersonaQuery query = { .view = PD_PERSONA_VIEW_ACTIVE, .search = text };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = pd_store_list_personas (f->store, &query, 0, 10, &error);

  g_assert_no_error (error);
  *n = page->len;
  return page->len > 0 ? pd_persona_get_id (g_ptr_array_index (page, 0)) : 0;
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  gint64 a = new_persona (f, "d@example.com");
  gint64 b = new_persona (f, "e@example.com");
  g_autoptr(GError) error = NULL;
  guint n;

  g_assert_cmpint (add_order (f, a, "RCPT-77123", "Downtown", NULL, &error), >, 0);
  g_assert_cmpint (add_order (f, b, "4409172", "Downtown", NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (search_one (f, "RCPT-77123", &n), ==, a);
  g_assert_cmpuint (n, ==, 1);
  /* digits only: the phone branch of the search looks at orders too */
  g_assert_cmpint (search_one (f, "4409172", &n), ==, b);
  g_assert_cmpuint (n, ==, 1);
  search_one (f, "RCPT-99", &n);
  g_assert_cmpuint (n, ==, 0);
  /* two receipts of one persona under one prefix: the persona once */
  g_assert_cmpint (add_order (f, a, "RCPT-77124", "Downtown", NULL, &error), >, 0);
  g_assert_cmpint (search_one (f, "RCPT-771", &n), ==, a);
  g_assert_cmpuint (n, ==, 1);
  {
    PdPersonaQuery query = { .view = PD_PERSONA_VIEW_ACTIVE, .search = "RCPT-77123" };
    PdPersonaQuery prefix = { .view = PD_PERSONA_VIEW_ACTIVE, .search = "RCPT-771" };

    g_assert_cmpuint (pd_store_count_personas (f->store, &query, &error), ==, 1);
    g_assert_cmpuint (pd_store_count_personas (f->store, &prefix, &error), ==, 1);
  }
}

/* An order of a persona an import created is a later change: the import
 * can no longer be undone (its persona would go, the receipt stay). */
static void
test_undo_blocked (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(PdImportJob) job = import (f, "email,first_name\nnew@example.com,New\n", NULL);
  gint64 import_id = pd_import_job_get_info (job)->id;
  g_autoptr(GError) error = NULL;
  gint64 id = pd_store_find_persona (f->store, PD_FIELD_EMAIL, "new@example.com", &error);

  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (add_order (f, id, "R-50", NULL, NULL, &error), >, 0);
  g_assert_false (pd_store_undo_import (f->store, import_id, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
}

/* Forgetting a customer erases its orders and their items too. */
static void
test_forget (Fixture       *f,
             gconstpointer  data)
{
  gint64 id = new_persona (f, "gone@example.com");
  gint64 other = new_persona (f, "stays@example.com");
  const char * const emails[] = { "gone@example.com", NULL };
  PdForgetRequest request = { .emails = emails };
  PdActor owner = { PD_SOURCE_MANUAL, "test", PD_ROLE_OWNER };
  PdForgetResult result;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(PdPurchaseStats) stats = NULL;
  guint n;

  g_assert_cmpint (add_order (f, id, "RCPT-GONE", NULL, NULL, &error), >, 0);
  g_assert_cmpint (add_order (f, other, "RCPT-STAYS", NULL, NULL, &error), >, 0);
  g_assert_true (pd_store_forget (f->store, &owner, &request, &result, &error));
  g_assert_no_error (error);
  orders = pd_store_list_orders (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (orders->len, ==, 0);
  search_one (f, "RCPT-GONE", &n);
  g_assert_cmpuint (n, ==, 0);
  /* nobody else's predictions count the erased customer's basket */
  stats = pd_store_get_purchase_stats (f->store, other, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (stats->n_buyers), ==, 0);
  g_clear_pointer (&orders, g_ptr_array_unref);
  orders = pd_store_list_orders (f->store, other, &error);
  g_assert_cmpuint (orders->len, ==, 1);
}

typedef struct {
  PdStore *store;
  gint64   persona_id;
  gint64   id;
  GError  *error;
} Desk;

static gpointer
add_same_number (gpointer data)
{
  Desk *desk = data;
  g_autoptr(PdOrder) order = pd_order_new ();
  PdActor actor = { PD_SOURCE_MANUAL, "desk", PD_ROLE_OWNER };

  order->persona_id = desk->persona_id;
  order->number = g_strdup ("RCPT-RACE");
  order->store = g_strdup ("Downtown");
  order->time_us = g_get_real_time ();
  pd_order_add_item (order, "Coffee", 1, 350);
  desk->id = pd_store_add_order (desk->store, order, &actor, &desk->error);
  return NULL;
}

/* Desks adding one receipt at the same moment, each on its own
 * connection: one of them adds it, the others are told it was added
 * before, and the points are counted once. */
static void
test_two_desks (Fixture       *f,
                gconstpointer  data)
{
  gint64 id = new_persona (f, "race@example.com");
  Desk desks[6];
  GThread *threads[G_N_ELEMENTS (desks)];
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(PdPersona) persona = NULL;
  guint added = 0;

  set_rule (f, 1);
  for (guint i = 0; i < G_N_ELEMENTS (desks); i++)
    {
      desks[i] = (Desk) { pd_store_open_another (f->store, &error), id, 0, NULL };
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (desks); i++)
    threads[i] = g_thread_new ("desk", add_same_number, &desks[i]);
  for (guint i = 0; i < G_N_ELEMENTS (desks); i++)
    {
      g_thread_join (threads[i]);
      if (desks[i].id > 0)
        {
          g_assert_no_error (desks[i].error);
          added++;
        }
      else
        g_assert_error (desks[i].error, PD_ERROR, PD_ERROR_CONFLICT);
      g_clear_error (&desks[i].error);
      g_object_unref (desks[i].store);
    }
  g_assert_cmpuint (added, ==, 1);
  orders = pd_store_list_orders (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (orders->len, ==, 1);
  persona = pd_store_get_persona (f->store, id, &error);
  g_assert_cmpint (pd_persona_get_points (persona), ==, 3);
}

static void
test_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string ("{\"number\": \"R-9\", \"store\": \"Mall\", "
                                               "\"time\": \"2026-01-02T10:00:00Z\", \"items\": "
                                               "[{\"product\": \"Tea\", \"quantity\": 2, \"price\": 250}]}",
                                               &error);
  g_autoptr(PdOrder) order = pd_order_new_from_json (node, &error);
  g_autoptr(JsonNode) back = NULL;
  g_autoptr(JsonNode) bad = json_from_string ("{\"number\": \"R-9\", \"items\": [], \"coupon\": 1}", NULL);
  g_autoptr(PdOrder) refused = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (order);
  g_assert_true (pd_order_check (order, &error));
  g_assert_cmpint (pd_order_get_total (order), ==, 500);
  g_assert_cmpint (order->time_us, ==, G_GINT64_CONSTANT (1767348000) * G_USEC_PER_SEC);
  back = pd_order_to_json (order);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (back), "time"), ==,
                   "2026-01-02T10:00:00Z");
  refused = pd_order_new_from_json (bad, &error);
  g_assert_null (refused);
  g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "coupon"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/orders/off-by-default", test_off_by_default);
  ADD ("/orders/points-per-rule", test_points_per_rule);
  ADD ("/orders/refusals", test_refusals);
  ADD ("/orders/search", test_search);
  ADD ("/orders/undo-blocked", test_undo_blocked);
  ADD ("/orders/forget", test_forget);
  ADD ("/orders/two-desks", test_two_desks);
#undef ADD
  /* PostgreSQL (issue 19); the search by order number and forget are the
   * PostgreSQL search's and privacy's */
  FIXTURE_ADD_PG ("/orders/pg/off-by-default", test_off_by_default);
  FIXTURE_ADD_PG ("/orders/pg/points-per-rule", test_points_per_rule);
  FIXTURE_ADD_PG ("/orders/pg/refusals", test_refusals);
  FIXTURE_ADD_PG ("/orders/pg/undo-blocked", test_undo_blocked);
  FIXTURE_ADD_PG ("/orders/pg/two-desks", test_two_desks);
  g_test_add_func ("/orders/json", test_json);

  return g_test_run ();
}
