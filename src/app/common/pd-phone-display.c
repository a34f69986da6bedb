/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Phone numbers as the app shows them: stored in E.164, read by staff in
 * their own country's way ("(202) 555-0143"), foreign ones with their
 * country code. */
#include "config.h"

#include "pd-application.h"
#include "pd-phone.h"
#include "pd-phone-display.h"

/**
 * pd_phone_display:
 * @e164: (nullable): a stored number
 *
 * Returns: (transfer full) (nullable): @e164 formatted for the app's
 *   default country (Preferences: default-country; "US" without settings)
 */
char *
pd_phone_display (const char *e164)
{
  GApplication *app = g_application_get_default ();
  GSettings *settings = PD_IS_APPLICATION (app) ? pd_application_get_settings (PD_APPLICATION (app)) : NULL;
  g_autofree char *home = settings != NULL ? g_settings_get_string (settings, "default-country") : NULL;

  if (e164 == NULL)
    return NULL;
  return pd_phone_format_for_display (e164, home != NULL && *home != '\0' ? home : "US");
}
