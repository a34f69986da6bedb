/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Phone numbers as the app shows them: stored in E.164, read by staff in
 * their own country's way ("(202) 555-0143"), foreign ones with their
 * country code. */
#include "config.h"

#include <glib/gi18n-lib.h>

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

char *
pd_phone_display_marked (const char *e164)
{
  g_autofree char *shown = pd_phone_display (e164);

  if (shown == NULL || pd_phone_is_in_data (e164))
    return g_steal_pointer (&shown);
  /* TRANSLATORS: a phone number, then the year of the phone data: "(645)
   * 284-3358 (not in phone data 2022)"; the number is kept as imported */
  return g_strdup_printf (_("%s (not in phone data %s)"), shown, pd_phone_data_year ());
}

char *
pd_phone_describe_not_in_data (GPtrArray *phones)
{
  g_autoptr(GPtrArray) unknown = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *list = NULL;

  for (guint i = 0; phones != NULL && i < phones->len; i++)
    if (!pd_phone_is_in_data (g_ptr_array_index (phones, i)))
      g_ptr_array_add (unknown, pd_phone_display (g_ptr_array_index (phones, i)));
  if (unknown->len == 0)
    return NULL;
  g_ptr_array_add (unknown, NULL);
  list = g_strjoinv (", ", (char **) unknown->pdata);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s is not in the phone data this system has (%s): a number "
                                       "from a range opened since, or a mistake. Kept as it was "
                                       "imported; check it with the customer.",
                                       "%s are not in the phone data this system has (%s): numbers "
                                       "from ranges opened since, or mistakes. Kept as they were "
                                       "imported; check them with the customer.",
                                       unknown->len - 1),
                          list, pd_phone_data_year ());
}
