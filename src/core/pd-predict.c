/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The scoring of predicted products (see pd-predict.h and
 * docs/predicted-products.md). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "pd-predict.h"

#include <json-glib/json-glib.h>

static void
own_free (gpointer data)
{
  PdOwnPurchase *own = data;

  g_free (own->product);
  g_free (own);
}

static void
pair_free (gpointer data)
{
  PdCoPurchase *pair = data;

  g_free (pair->product);
  g_free (pair->other);
  g_free (pair);
}

PdPurchaseStats *
pd_purchase_stats_new (void)
{
  PdPurchaseStats *stats = g_new0 (PdPurchaseStats, 1);

  stats->own = g_ptr_array_new_with_free_func (own_free);
  stats->pairs = g_ptr_array_new_with_free_func (pair_free);
  stats->n_buyers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return stats;
}

void
pd_purchase_stats_free (PdPurchaseStats *stats)
{
  if (stats == NULL)
    return;
  g_ptr_array_unref (stats->own);
  g_ptr_array_unref (stats->pairs);
  g_hash_table_unref (stats->n_buyers);
  g_free (stats);
}

void
pd_purchase_stats_add_own (PdPurchaseStats *stats,
                           const char      *product,
                           guint            n_orders,
                           gint64           quantity,
                           gint64           last_us)
{
  PdOwnPurchase *own = g_new0 (PdOwnPurchase, 1);

  own->product = g_strdup (product);
  own->n_orders = n_orders;
  own->quantity = quantity;
  own->last_us = last_us;
  g_ptr_array_add (stats->own, own);
}

void
pd_purchase_stats_add_pair (PdPurchaseStats *stats,
                            const char      *product,
                            const char      *other,
                            guint            n_both)
{
  PdCoPurchase *pair = g_new0 (PdCoPurchase, 1);

  pair->product = g_strdup (product);
  pair->other = g_strdup (other);
  pair->n_both = n_both;
  g_ptr_array_add (stats->pairs, pair);
}

void
pd_purchase_stats_set_buyers (PdPurchaseStats *stats,
                              const char      *product,
                              guint            n_buyers)
{
  g_hash_table_insert (stats->n_buyers, g_strdup (product), GUINT_TO_POINTER (n_buyers));
}

void
pd_prediction_free (PdPrediction *prediction)
{
  if (prediction == NULL)
    return;
  g_free (prediction->product);
  g_free (prediction);
}

static PdPrediction *
get_prediction (GHashTable *by_product,
                const char *product)
{
  PdPrediction *prediction = g_hash_table_lookup (by_product, product);

  if (prediction == NULL)
    {
      prediction = g_new0 (PdPrediction, 1);
      prediction->product = g_strdup (product);
      g_hash_table_insert (by_product, prediction->product, prediction);
    }
  return prediction;
}

static int
compare_predictions (gconstpointer a,
                     gconstpointer b)
{
  const PdPrediction *pa = *(PdPrediction * const *) a;
  const PdPrediction *pb = *(PdPrediction * const *) b;

  if (pa->score != pb->score)
    return pa->score > pb->score ? -1 : 1;
  return strcmp (pa->product, pb->product);
}

/**
 * pd_predict_products:
 *
 * own(p)  = F × orders holding p / the persona's orders
 *         + (1 − F) × 2^(−days from p's last purchase to the latest order / H)
 * sim(p,q) = other customers who bought p and q / √(buyers of p × buyers of q)
 * also(q) = Σ_p own(p) × sim(p,q) / Σ_p own(p)
 * score(q) = W × own(q) + (1 − W) × also(q)
 *
 * with W = PD_PREDICT_OWN_WEIGHT, F = PD_PREDICT_FREQUENCY_WEIGHT and
 * H = PD_PREDICT_HALF_LIFE_DAYS.
 */
GPtrArray *
pd_predict_products (const PdPurchaseStats *stats,
                     guint                  limit)
{
  g_autoptr(GHashTable) by_product = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) own_by_product = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_prediction_free);
  double own_sum = 0;
  GHashTableIter iter;
  gpointer value;

  if (stats == NULL || stats->n_orders == 0 || stats->own->len == 0)
    return result;

  for (guint i = 0; i < stats->own->len; i++)
    {
      const PdOwnPurchase *own = g_ptr_array_index (stats->own, i);
      PdPrediction *prediction = get_prediction (by_product, own->product);
      double frequency = (double) own->n_orders / stats->n_orders;
      double days = MAX (0, stats->latest_us - own->last_us) / (86400.0 * G_USEC_PER_SEC);
      double recency = exp2 (-days / PD_PREDICT_HALF_LIFE_DAYS);

      prediction->own = PD_PREDICT_FREQUENCY_WEIGHT * MIN (frequency, 1.0) +
                        (1 - PD_PREDICT_FREQUENCY_WEIGHT) * recency;
      prediction->bought = TRUE;
      own_sum += prediction->own;
      g_hash_table_insert (own_by_product, own->product, prediction);
    }

  for (guint i = 0; i < stats->pairs->len; i++)
    {
      const PdCoPurchase *pair = g_ptr_array_index (stats->pairs, i);
      const PdPrediction *source = g_hash_table_lookup (own_by_product, pair->product);
      guint n_p = GPOINTER_TO_UINT (g_hash_table_lookup (stats->n_buyers, pair->product));
      guint n_q = GPOINTER_TO_UINT (g_hash_table_lookup (stats->n_buyers, pair->other));
      PdPrediction *target;

      if (source == NULL || n_p == 0 || n_q == 0 || pair->n_both == 0 ||
          g_str_equal (pair->product, pair->other))
        continue;
      target = get_prediction (by_product, pair->other);
      target->also += source->own * MIN (1.0, pair->n_both / sqrt ((double) n_p * n_q));
    }

  g_hash_table_iter_init (&iter, by_product);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PdPrediction *prediction = value;

      if (own_sum > 0)
        prediction->also /= own_sum;
      prediction->score = PD_PREDICT_OWN_WEIGHT * prediction->own +
                          (1 - PD_PREDICT_OWN_WEIGHT) * prediction->also;
      g_ptr_array_add (result, prediction);
    }
  g_ptr_array_sort (result, compare_predictions);
  if (limit > 0 && result->len > limit)
    g_ptr_array_set_size (result, limit);
  return result;
}

/**
 * pd_predictions_to_json:
 *
 * Returns: (transfer full): the predictions as a JSON array
 */
JsonNode *
pd_predictions_to_json (GPtrArray *predictions)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < predictions->len; i++)
    {
      const PdPrediction *prediction = g_ptr_array_index (predictions, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "product");
      json_builder_add_string_value (builder, prediction->product);
      json_builder_set_member_name (builder, "score");
      json_builder_add_double_value (builder, prediction->score);
      json_builder_set_member_name (builder, "own");
      json_builder_add_double_value (builder, prediction->own);
      json_builder_set_member_name (builder, "also");
      json_builder_add_double_value (builder, prediction->also);
      json_builder_set_member_name (builder, "bought");
      json_builder_add_boolean_value (builder, prediction->bought);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}
