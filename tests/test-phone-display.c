/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "pd-phone-display.h"

/* Phones the phone data does not know are marked where the app shows
 * them (issue 20), as the core's pd_phone_is_in_data() decides: pure
 * logic, no display needed. */

static void
test_marked (void)
{
  g_autofree char *known = pd_phone_display_marked ("+12025550143");
  g_autofree char *unknown = pd_phone_display_marked ("+16452843358");
  g_autofree char *extension = pd_phone_display_marked ("+16452843358;ext=770");

  g_assert_cmpstr (known, ==, "(202) 555-0143");
  g_assert_cmpstr (unknown, ==, "(645) 284-3358 (not in phone data 2022)");
  g_assert_cmpstr (extension, ==, "(645) 284-3358 ext. 770 (not in phone data 2022)");
  g_assert_null (pd_phone_display_marked (NULL));
}

static void
test_describe (void)
{
  g_autoptr(GPtrArray) phones = g_ptr_array_new ();
  g_autofree char *one = NULL, *two = NULL;

  g_assert_null (pd_phone_describe_not_in_data (NULL));
  g_ptr_array_add (phones, "+12025550143");
  g_assert_null (pd_phone_describe_not_in_data (phones));
  g_ptr_array_add (phones, "+19425550100");
  one = pd_phone_describe_not_in_data (phones);
  g_assert_nonnull (strstr (one, "(942) 555-0100 is not in the phone data this system has (2022)"));
  g_assert_null (strstr (one, "(202)"));
  g_ptr_array_add (phones, "+16865550100;ext=5");
  two = pd_phone_describe_not_in_data (phones);
  g_assert_nonnull (strstr (two, "(942) 555-0100, (686) 555-0100 ext. 5 are not in the phone data"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/phone-display/marked", test_marked);
  g_test_add_func ("/phone-display/describe", test_describe);
  return g_test_run ();
}
