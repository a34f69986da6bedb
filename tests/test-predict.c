/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Predicted products on a small hand-made basket data set whose ranking
 * is worked out by hand in docs/predicted-products.md, and the empty
 * answer without orders. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "pd-predict.h"
#include "pd-test-store-fixture.h"

#define DAY (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)
#define T0  (G_GINT64_CONSTANT (1767225600) * G_USEC_PER_SEC)   /* 2026-01-01 */

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

static void
order (Fixture    *f,
       gint64      persona_id,
       gint64      time_us,
       const char *products)
{
  g_auto(GStrv) names = g_strsplit (products, ",", -1);
  g_autoptr(PdOrder) o = pd_order_new ();
  g_autoptr(GError) error = NULL;
  PdActor actor = { PD_SOURCE_MANUAL, "test", PD_ROLE_OWNER };
  static guint n;

  o->persona_id = persona_id;
  o->number = g_strdup_printf ("N%u", ++n);
  o->time_us = time_us;
  for (guint i = 0; names[i] != NULL; i++)
    pd_order_add_item (o, names[i], 1, 100);
  g_assert_cmpint (pd_store_add_order (f->store, o, &actor, &error), >, 0);
  g_assert_no_error (error);
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  gint64 id = new_persona (f, "none@example.com");
  gint64 other = new_persona (f, "other@example.com");
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPurchaseStats) stats = NULL;
  g_autoptr(GPtrArray) predictions = NULL;

  order (f, other, T0, "coffee,milk");
  stats = pd_store_get_purchase_stats (f->store, id, &error);
  g_assert_no_error (error);
  predictions = pd_predict_products (stats, 0);
  g_assert_cmpuint (predictions->len, ==, 0);
}

/* The target bought coffee three times (the last on its latest order)
 * and a bagel once, 60 days before.  Of the others, two bought coffee and
 * milk, one coffee and a croissant, one a bagel and jam, one only tea. */
static void
test_basket (Fixture       *f,
             gconstpointer  data)
{
  static const char * const expected[] = { "coffee", "milk", "croissant", "bagel", "jam", NULL };
  gint64 target = new_persona (f, "t@example.com");
  gint64 p[5];
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPurchaseStats) stats = NULL;
  g_autoptr(GPtrArray) predictions = NULL;
  g_autoptr(GPtrArray) top = NULL;
  const PdPrediction *milk;

  for (guint i = 0; i < G_N_ELEMENTS (p); i++)
    {
      g_autofree char *email = g_strdup_printf ("p%u@example.com", i);

      p[i] = new_persona (f, email);
    }
  order (f, target, T0 + 60 * DAY, "coffee");
  order (f, target, T0 + 30 * DAY, "coffee");
  order (f, target, T0, "bagel,coffee");
  /* the bagel's last purchase is the oldest order: 60 days before the latest */
  order (f, p[0], T0, "coffee,milk");
  order (f, p[1], T0, "coffee");
  order (f, p[1], T0 + DAY, "milk");
  order (f, p[2], T0, "coffee,croissant");
  order (f, p[3], T0, "bagel,jam");
  order (f, p[4], T0, "tea");

  stats = pd_store_get_purchase_stats (f->store, target, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->n_orders, ==, 3);
  predictions = pd_predict_products (stats, 0);
  g_assert_cmpuint (predictions->len, ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_cmpstr (((PdPrediction *) g_ptr_array_index (predictions, i))->product, ==, expected[i]);

  /* coffee: bought on every order, last on the latest: own = 1 */
  g_assert_cmpfloat_with_epsilon (((PdPrediction *) predictions->pdata[0])->score, PD_PREDICT_OWN_WEIGHT, 1e-9);
  /* milk: 2 of coffee's 3 other buyers, 2 buyers of milk: sim = 2/√6 */
  milk = g_ptr_array_index (predictions, 1);
  g_assert_false (milk->bought);
  g_assert_cmpfloat_with_epsilon (milk->also, (2 / sqrt (6.0)) / (1 + (0.5 / 3 + 0.5 * 0.25)), 1e-9);

  top = pd_predict_products (stats, 2);
  g_assert_cmpuint (top->len, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/predict/empty", test_empty);
  ADD ("/predict/basket", test_basket);
#undef ADD
  FIXTURE_ADD_PG ("/predict/pg/empty", test_empty);
  FIXTURE_ADD_PG ("/predict/pg/basket", test_basket);

  return g_test_run ();
}
