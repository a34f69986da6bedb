/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli predict ID [--json] [--limit N]: the products a persona
 * is likely to buy next (pd_predict_products(); docs/predicted-products.md). */
#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pd-cli.h"
#include "pd-error.h"
#include "pd-predict.h"

int
pd_cli_predict (PdCliContext *ctx,
                int           argc,
                char        **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdPurchaseStats) stats = NULL;
  g_autoptr(GPtrArray) predictions = NULL;
  gboolean json = FALSE;
  gint limit = 10;
  gint64 id;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most N products (10; 0: all)"), N_("N") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Products a persona is likely to buy: their own purchases "
                                           "by recency and frequency, blended with what customers who "
                                           "bought the same products bought. Empty without orders."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("predict", error->message);
  if (argc != 2)
    return pd_cli_usage_error ("predict", _("expected one persona ID"));
  if (limit < 0)
    return pd_cli_usage_error ("predict", _("--limit must not be negative"));
  id = pd_cli_parse_id (argv[1], _("Persona ID"), &error);
  if (id == 0)
    return pd_cli_fail_input (error);
  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  stats = pd_store_get_purchase_stats (store, id, &error);
  if (stats == NULL)
    return pd_cli_fail (error);
  predictions = pd_predict_products (stats, (guint) limit);
  if (json)
    {
      g_autoptr(JsonNode) node = pd_predictions_to_json (predictions);

      pd_cli_print_json (node);
      return 0;
    }
  for (guint i = 0; i < predictions->len; i++)
    {
      const PdPrediction *prediction = g_ptr_array_index (predictions, i);
      g_autofree char *product = pd_cli_escape (prediction->product);

      printf ("%.3f\t%s\t%s\n", prediction->score, product,
              prediction->bought ? _("bought before") : _("customers who bought the same also bought it"));
    }
  return 0;
}
