/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli config [KEY [VALUE]]: the loyalty program's settings,
 * kept in the database (the app's Preferences and the API share them). */
#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>

#include "pd-cli.h"
#include "pd-store-staff.h"
#include "pd-error.h"
#include "pd-order.h"

int
pd_cli_config (PdCliContext *ctx,
               int           argc,
               char        **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("[KEY [VALUE]]"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  PdLoyaltySettings settings;

  g_option_context_set_summary (context, _("Show or change a setting: allow-negative-balance (true/false), "
                                           "double-opt-in-expiry-days (0: never), "
                                           "order-points-per-unit (points an order earns per currency unit "
                                           "of its total; 0: off, the default)."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("config", error->message);
  if (argc > 3)
    return pd_cli_usage_error ("config", _("expected KEY and VALUE"));
  if (argc >= 2 && !g_str_equal (argv[1], "allow-negative-balance") &&
      !g_str_equal (argv[1], "double-opt-in-expiry-days") &&
      !g_str_equal (argv[1], "order-points-per-unit"))
    {
      g_set_error (&error, PD_ERROR, PD_ERROR_INVALID, _("Unknown setting “%s”"), argv[1]);
      return pd_cli_fail_input (error);
    }
  store = pd_cli_open_store (ctx, &error);
  if (store == NULL || !pd_store_get_loyalty_settings (store, &settings, &error))
    return pd_cli_fail (error);
  if (argc == 3)
    {
      if (g_str_equal (argv[1], "allow-negative-balance"))
        {
          if (!g_str_equal (argv[2], "true") && !g_str_equal (argv[2], "false"))
            {
              g_set_error (&error, PD_ERROR, PD_ERROR_INVALID, _("“%s” is not true or false"), argv[2]);
              return pd_cli_fail_input (error);
            }
          settings.allow_negative_balance = g_str_equal (argv[2], "true");
        }
      else if (g_str_equal (argv[1], "order-points-per-unit"))
        {
          guint64 per_unit;

          if (!g_ascii_string_to_unsigned (argv[2], 10, 0, PD_ORDER_MAX_POINTS_PER_UNIT, &per_unit, NULL))
            {
              g_set_error (&error, PD_ERROR, PD_ERROR_INVALID, _("“%s” is not a number of points (0 to %u)"),
                           argv[2], (guint) PD_ORDER_MAX_POINTS_PER_UNIT);
              return pd_cli_fail_input (error);
            }
          settings.order_points_per_unit = per_unit;
        }
      else
        {
          guint64 days;

          if (!g_ascii_string_to_unsigned (argv[2], 10, 0, 3650, &days, NULL))
            {
              g_set_error (&error, PD_ERROR, PD_ERROR_INVALID, _("“%s” is not a number of days (0 to 3650)"),
                           argv[2]);
              return pd_cli_fail_input (error);
            }
          settings.double_opt_in_expiry_days = days;
        }
      if (!pd_store_set_loyalty_settings_as (store, &settings, pd_cli_who (), &error))
        return pd_cli_fail (error);
    }
  if (argc < 2 || g_str_equal (argv[1], "allow-negative-balance"))
    printf ("allow-negative-balance = %s\n", settings.allow_negative_balance ? "true" : "false");
  if (argc < 2 || g_str_equal (argv[1], "double-opt-in-expiry-days"))
    printf ("double-opt-in-expiry-days = %u\n", settings.double_opt_in_expiry_days);
  if (argc < 2 || g_str_equal (argv[1], "order-points-per-unit"))
    printf ("order-points-per-unit = %u\n", settings.order_points_per_unit);
  return 0;
}
