/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Phone normalization: the examples of the issue, on both paths. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "pd-error.h"
#include "pd-phone.h"
#include "pd-phone-private.h"

typedef char *(*NormalizeFunc) (const char *, const char *, GError **);

static const struct {
  const char *name;
  NormalizeFunc func;
} paths[] = {
  { "fast", pd_phone_normalize },
  { "reference", pd_phone_normalize_reference },
};

static void
assert_e164 (const char *text, const char *region, const char *expected)
{
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *e164 = paths[i].func (text, region, &error);
      if (error)
        g_test_message ("%s path, “%s”: %s", paths[i].name, text, error->message);
      g_assert_no_error (error);
      g_assert_cmpstr (e164, ==, expected);
    }
}

/* Returns the reason, the same on both paths. */
static char *
assert_invalid (const char *text, const char *region)
{
  char *reasons[G_N_ELEMENTS (paths)];

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *e164 = paths[i].func (text, region, &error);
      g_assert_null (e164);
      g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
      reasons[i] = g_strdup (error->message);
    }
  g_assert_cmpstr (reasons[0], ==, reasons[1]);
  g_free (reasons[1]);
  return reasons[0];
}

static void
test_issue_examples (void)
{
  g_autofree char *reason = NULL;

  assert_e164 ("(202) 555-0143", NULL, "+12025550143");
  assert_e164 ("+1 202.555.0143", NULL, "+12025550143");
  assert_e164 ("202-555-0143 ", NULL, "+12025550143");
  assert_e164 ("202-555-0143 ", "US", "+12025550143");
  assert_e164 ("202-555-0143", "us", "+12025550143");

  reason = assert_invalid ("12345", NULL);
  g_assert_nonnull (strstr (reason, "12345"));
}

static void
test_generator_formats (void)
{
  /* The eight shapes of ../shared/bench/gen-personas.py. */
  static const char *shapes[] = {
    "(206) 555-0199", "206-555-0199", "206.555.0199", "2065550199",
    "+1 206 555 0199", "+12065550199", "1-206-555-0199", "+1 (206) 555-0199",
  };
  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    assert_e164 (shapes[i], "US", "+12065550199");
}

static void
test_other_regions (void)
{
  g_autofree char *reason = NULL;

  /* A London number written nationally, with region GB... */
  assert_e164 ("020 7946 0018", "GB", "+442079460018");
  /* ... and written with +44 while the default is US. */
  assert_e164 ("+44 20 7946 0018", NULL, "+442079460018");
  assert_e164 ("+44 (0)20 7946 0018", "US", "+442079460018");
  /* Without +44, under US, it is not a valid number. */
  g_free (assert_invalid ("020 7946 0018", "US"));
  /* Caribbean NANP regions share +1. */
  assert_e164 ("876-555-1234", "JM", "+18765551234");
  assert_e164 ("(787) 555-1234", "PR", "+17875551234");
  assert_e164 ("+1 416 555 0123", "DE", "+14165550123");
  /* The region is named when the number is not valid there. */
  reason = assert_invalid ("(212) 155-0143", "CA");
  g_assert_nonnull (strstr (reason, "CA"));
}

static void
test_invalid (void)
{
  static const char *texts[] = {
    "N/A", "000-000-0000", "555-0143", "(202) 555-014", "202-555-01439",
    "202-555-01OO", "+999 1234", "+1 (055) 555-0143", "abc",
  };
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *reason = assert_invalid (texts[i], "US");
      g_test_message ("“%s”: %s", texts[i], reason);
      g_assert_cmpstr (reason, !=, "");
    }
}

static void
test_empty (void)
{
  g_autofree char *a = assert_invalid ("", NULL);
  g_autofree char *b = assert_invalid ("   ", NULL);
  g_assert_cmpstr (a, ==, b);
}

static void
test_regions (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *e164 = NULL;

  g_assert_true (pd_phone_is_known_region ("US"));
  g_assert_true (pd_phone_is_known_region ("gb"));
  g_assert_true (pd_phone_is_known_region (NULL)); /* US */
  g_assert_false (pd_phone_is_known_region ("XX"));
  g_assert_false (pd_phone_is_known_region ("USA"));
  g_assert_false (pd_phone_is_known_region (""));

  e164 = pd_phone_normalize ("202-555-0143", "XX", &error);
  g_assert_null (e164);
  g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "XX"));
  g_clear_error (&error);
  e164 = pd_phone_normalize_reference ("+1 202-555-0143", "XX", &error);
  g_assert_null (e164);
  g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
}

static void
test_fast_path_on (void)
{
  gint64 usec = 0;
  guint nodes = 0, ask = 0, calls = 0;
  g_autofree char *failure = NULL;
  gboolean on = _pd_phone_get_fast_path_info (&usec, &nodes, &ask, &calls, &failure);

  g_test_message ("fast path: built in %.1f ms, %u nodes, %u leaves to ask, "
                  "%u libphonenumber calls%s%s", usec / 1000.0, nodes, ask, calls,
                  failure ? ", off: " : "", failure ? failure : "");
  /* Off would still be correct, only slow; on this platform it must be on. */
  g_assert_true (on);
  g_assert_cmpuint (nodes, >, 0);
}

static gpointer
thread_func (gpointer data)
{
  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *text = g_strdup_printf ("(202) 555-%04u", i);
      g_autofree char *expected = g_strdup_printf ("+1202555%04u", i);
      g_autofree char *e164 = pd_phone_normalize (text, NULL, NULL);
      if (g_strcmp0 (e164, expected) != 0)
        return GINT_TO_POINTER (1);
    }
  return NULL;
}

static void
test_threads (void)
{
  GThread *threads[4];

  /* The table is built lazily: let the threads race for it. */
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("phone", thread_func, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_null (g_thread_join (threads[i]));
}

/* Stored numbers as staff read them: national within the calling code,
 * international from abroad; the fast path for North American numbers
 * gives libphonenumber's own answer. */
static void
test_format_for_display (void)
{
  const struct { const char *e164, *home, *shown; } cases[] = {
    { "+12025550143", "US", "(202) 555-0143" },
    { "+14165550143", "us", "(416) 555-0143" },
    { "+12025550143", "GB", "+1 202-555-0143" },
    { "+442079460958", "GB", "020 7946 0958" },
    { "+442079460958", "US", "+44 20 7946 0958" },
    { "+4915112345678", "DE", "01511 2345678" },
  };
  const char *homes[] = { "US", "CA", "JM", "GB", "DE", "FR", "BR" };
  GRand *rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = pd_phone_format_for_display (cases[i].e164, cases[i].home);

      g_assert_cmpstr (shown, ==, cases[i].shown);
    }
  g_assert_null (pd_phone_format_for_display (NULL, "US"));

  for (guint i = 0; i < 5000; i++)
    {
      g_autofree char *e164 = g_strdup_printf ("+1%03d%03d%04d", g_rand_int_range (rand, 200, 1000),
                                               g_rand_int_range (rand, 200, 1000),
                                               g_rand_int_range (rand, 0, 10000));
      const char *home = homes[i % G_N_ELEMENTS (homes)];
      g_autofree char *fast = pd_phone_format_for_display (e164, home);
      g_autofree char *reference = pd_phone_format_for_display_reference (e164, home);

      g_assert_cmpstr (fast, ==, reference);
    }
  g_rand_free (rand);
}

/* Showing a number does not build libphonenumber's tables (they cost tens
 * of ms before the window's first frame): its list of North American
 * regions is its own, and must be libphonenumber's. */
static void
test_display_regions (void)
{
  g_autofree char *difference = NULL;

  if (!_pd_phone_check_display_regions (&difference))
    g_error ("the display's North American regions are not libphonenumber's:%s", difference);
}

/* Issue 20: what an import keeps.  Each spelling with the number kept
 * (NULL: left out), whether it is only possible (a range the 2022 data
 * does not have), and its extension. */
static void
test_lenient_spellings (void)
{
  static const struct {
    const char *text;
    const char *expected;
    gboolean    not_in_data;
  } table[] = {
    { "(202) 555-0143",              "+12025550143", FALSE },
    { "+44 20 7946 0958",            "+442079460958", FALSE },
    /* area codes opened since 2022 */
    { "645-284-3358",                "+16452843358", TRUE },
    { "(942) 555-0100",              "+19425550100", TRUE },
    { "686.555.0100",                "+16865550100", TRUE },
    { "728 555 0100",                "+17285550100", TRUE },
    { "+1 835 555 0100",             "+18355550100", TRUE },
    /* extensions */
    { "786-284-3358x62152",          "+17862843358;ext=62152", FALSE },
    { "786-284-3358 x 62152",        "+17862843358;ext=62152", FALSE },
    { "786-284-3358 X62152",         "+17862843358;ext=62152", FALSE },
    { "786-284-3358 ext. 123",       "+17862843358;ext=123", FALSE },
    { "786-284-3358 ext 123",        "+17862843358;ext=123", FALSE },
    { "786-284-3358 Ext.123",        "+17862843358;ext=123", FALSE },
    { "786-284-3358 extension 123",  "+17862843358;ext=123", FALSE },
    { "786-284-3358 #123",           "+17862843358;ext=123", FALSE },
    { "+17862843358;ext=123",        "+17862843358;ext=123", FALSE },
    { "(645)284-3358x770",           "+16452843358;ext=770", TRUE },
    /* not even possible: left out */
    { "12345",                       NULL, FALSE },
    { "012-345-6789",                NULL, FALSE },   /* no area code starts with 0 */
    { "202-055-0143",                NULL, FALSE },   /* nor an exchange */
    { "202-555-01434",               NULL, FALSE },
    { "call me",                     NULL, FALSE },
    { "x123",                        NULL, FALSE },
    { "box 12",                      NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean not_in_data = !table[i].not_in_data;
      g_autofree char *kept = pd_phone_normalize_lenient (table[i].text, "US", &not_in_data, &error);

      g_test_message ("%s → %s", table[i].text, kept ? kept : error->message);
      g_assert_cmpstr (kept, ==, table[i].expected);
      if (kept != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpint (not_in_data, ==, table[i].not_in_data);
          /* and what the app marks, from the stored number alone */
          g_assert_cmpint (pd_phone_is_in_data (kept), ==, !table[i].not_in_data);
        }
      else
        g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
    }
  g_assert_cmpstr (pd_phone_data_year (), ==, "2022");
  g_assert_true (pd_phone_is_in_data (NULL));
  g_assert_true (pd_phone_is_in_data ("+442079460958"));
}

static void
test_extension_display (void)
{
  g_autofree char *us = pd_phone_format_for_display ("+17862843358;ext=62152", "US");
  g_autofree char *de = pd_phone_format_for_display ("+17862843358;ext=62152", "DE");
  g_autofree char *plain = pd_phone_format_for_display ("+17862843358", "US");

  g_assert_cmpstr (us, ==, "(786) 284-3358 ext. 62152");
  g_assert_cmpstr (de, ==, "+1 786-284-3358 ext. 62152");
  g_assert_cmpstr (plain, ==, "(786) 284-3358");
  g_assert_cmpuint (pd_phone_number_length ("+17862843358;ext=62152"), ==, 12);
  g_assert_cmpuint (pd_phone_number_length ("+17862843358"), ==, 12);
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/phone/threads", test_threads);
  g_test_add_func ("/phone/issue-examples", test_issue_examples);
  g_test_add_func ("/phone/generator-formats", test_generator_formats);
  g_test_add_func ("/phone/other-regions", test_other_regions);
  g_test_add_func ("/phone/invalid", test_invalid);
  g_test_add_func ("/phone/empty", test_empty);
  g_test_add_func ("/phone/regions", test_regions);
  g_test_add_func ("/phone/fast-path-on", test_fast_path_on);
  g_test_add_func ("/phone/format-for-display", test_format_for_display);
  g_test_add_func ("/phone/display-regions", test_display_regions);
  g_test_add_func ("/phone/lenient-spellings", test_lenient_spellings);
  g_test_add_func ("/phone/extension-display", test_extension_display);
  return g_test_run ();
}
