/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Predicted products: what a persona is likely to buy next, from the
 * orders (docs/predicted-products.md explains the method and weights).
 * The store gathers the counts (pd_store_get_purchase_stats()); the
 * scoring is here, a pure function, so that it is tested on its own and
 * the same for every store. */

/* A product the persona bought. */
typedef struct {
  char   *product;
  guint   n_orders;     /* the persona's orders holding it */
  gint64  quantity;     /* units bought, all orders */
  gint64  last_us;      /* the latest of those orders */
} PdOwnPurchase;

/* Other customers (not the persona) who bought @product and @other. */
typedef struct {
  char  *product;       /* one the persona bought */
  char  *other;         /* another product (bought or not by the persona) */
  guint  n_both;        /* customers who bought both */
} PdCoPurchase;

typedef struct {
  guint       n_orders;   /* the persona's orders */
  gint64      latest_us;  /* the persona's latest order */
  GPtrArray  *own;        /* (element-type PdOwnPurchase) */
  GPtrArray  *pairs;      /* (element-type PdCoPurchase) */
  GHashTable *n_buyers;   /* product → GUINT_TO_POINTER (other customers who bought it) */
} PdPurchaseStats;

PdPurchaseStats *pd_purchase_stats_new  (void);
void             pd_purchase_stats_free (PdPurchaseStats *stats);
void             pd_purchase_stats_add_own  (PdPurchaseStats *stats, const char *product,
                                             guint n_orders, gint64 quantity, gint64 last_us);
void             pd_purchase_stats_add_pair (PdPurchaseStats *stats, const char *product,
                                             const char *other, guint n_both);
void             pd_purchase_stats_set_buyers (PdPurchaseStats *stats, const char *product,
                                               guint n_buyers);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdPurchaseStats, pd_purchase_stats_free)

typedef struct {
  char   *product;
  double  score;        /* 0 to 1: PD_PREDICT_OWN_WEIGHT × own + the rest × also */
  double  own;          /* the persona's own recency and frequency, 0 to 1 */
  double  also;         /* item-to-item co-occurrence, 0 to 1 */
  gboolean bought;      /* the persona bought it before */
} PdPrediction;

void pd_prediction_free (PdPrediction *prediction);

/* The weights (see docs/predicted-products.md). */
#define PD_PREDICT_OWN_WEIGHT        0.6   /* own history against co-occurrence */
#define PD_PREDICT_FREQUENCY_WEIGHT  0.5   /* within own: frequency against recency */
#define PD_PREDICT_HALF_LIFE_DAYS    30.0  /* recency halves every 30 days before the latest order */

/* (element-type PdPrediction) (transfer full): best first (ties by
 * product name), at most @limit (0: all); empty when there are no orders. */
GPtrArray *pd_predict_products (const PdPurchaseStats *stats,
                                guint                  limit);

/* [{"product", "score", "own", "also", "bought"}], as the CLI prints it
 * and GET /personas/{id}/predicted-products answers.  (transfer full) */
struct _JsonNode;
struct _JsonNode *pd_predictions_to_json (GPtrArray *predictions);

G_END_DECLS
