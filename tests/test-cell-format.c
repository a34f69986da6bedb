/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "pd-cell-format.h"

static char *
number (double value)
{
  GString *out = g_string_new (NULL);

  pd_cell_format_number (out, value);
  return g_string_free (out, FALSE);
}

static void
test_numbers (void)
{
  struct { double value; const char *text; } cases[] = {
    { 2065550199, "2065550199" },
    { 3.14, "3.14" },
    { -42, "-42" },
    { -0.0, "0" },
    { 0.1 + 0.2, "0.30000000000000004" },
    { 1e15, "1000000000000000" },
    { 4111111111111111.0, "4111111111111111" },
    { 1e20, "100000000000000000000" },
    { 12345.6789, "12345.6789" },
    { 1.0 / 3.0, "0.3333333333333333" },
    { 2.5e-7, "2.5e-07" },
    { NAN, "#NUM!" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = number (cases[i].value);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_number_text (void)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_true (pd_cell_format_number_text (out, "2.065550199E9"));
  g_assert_cmpstr (out->str, ==, "2065550199");
  g_string_truncate (out, 0);
  g_assert_true (pd_cell_format_number_text (out, " 3.1400000000000001 "));
  g_assert_cmpstr (out->str, ==, "3.14");
  g_string_truncate (out, 0);
  g_assert_false (pd_cell_format_number_text (out, "12abc"));
  g_assert_false (pd_cell_format_number_text (out, ""));
  g_assert_cmpstr (out->str, ==, "");
}

static void
test_classify (void)
{
  g_assert_cmpint (pd_cell_format_classify_builtin (0), ==, PD_NUMBER_KIND_PLAIN);
  g_assert_cmpint (pd_cell_format_classify_builtin (14), ==, PD_NUMBER_KIND_DATE);
  g_assert_cmpint (pd_cell_format_classify_builtin (22), ==, PD_NUMBER_KIND_DATE);
  g_assert_cmpint (pd_cell_format_classify_builtin (20), ==, PD_NUMBER_KIND_TIME);
  g_assert_cmpint (pd_cell_format_classify_builtin (46), ==, PD_NUMBER_KIND_DURATION);
  g_assert_cmpint (pd_cell_format_classify_builtin (49), ==, PD_NUMBER_KIND_PLAIN);

  g_assert_cmpint (pd_cell_format_classify_code ("d/m/yyyy"), ==, PD_NUMBER_KIND_DATE);
  g_assert_cmpint (pd_cell_format_classify_code ("[$-409]mmm\\ yy;@"), ==, PD_NUMBER_KIND_DATE);
  g_assert_cmpint (pd_cell_format_classify_code ("mmm"), ==, PD_NUMBER_KIND_DATE);
  g_assert_cmpint (pd_cell_format_classify_code ("hh:mm AM/PM"), ==, PD_NUMBER_KIND_TIME);
  g_assert_cmpint (pd_cell_format_classify_code ("mm:ss"), ==, PD_NUMBER_KIND_TIME);
  g_assert_cmpint (pd_cell_format_classify_code ("[h]:mm:ss"), ==, PD_NUMBER_KIND_DURATION);
  g_assert_cmpint (pd_cell_format_classify_code ("General"), ==, PD_NUMBER_KIND_PLAIN);
  g_assert_cmpint (pd_cell_format_classify_code ("0.00\" days\""), ==, PD_NUMBER_KIND_PLAIN);
  g_assert_cmpint (pd_cell_format_classify_code ("[Red]#,##0;[Blue]-#,##0"), ==, PD_NUMBER_KIND_PLAIN);
  g_assert_cmpint (pd_cell_format_classify_code ("0.00E+00"), ==, PD_NUMBER_KIND_PLAIN);
  g_assert_cmpint (pd_cell_format_classify_code ("#\\d_)"), ==, PD_NUMBER_KIND_PLAIN);
  g_assert_cmpint (pd_cell_format_classify_code (NULL), ==, PD_NUMBER_KIND_PLAIN);
}

static char *
serial (double value, gboolean date1904, PdNumberKind kind)
{
  GString *out = g_string_new (NULL);

  if (!pd_cell_format_serial_date (out, value, date1904, kind))
    g_string_append (out, "(none)");
  return g_string_free (out, FALSE);
}

static void
test_serial_dates (void)
{
  struct { double value; gboolean date1904; PdNumberKind kind; const char *text; } cases[] = {
    { 1, FALSE, PD_NUMBER_KIND_DATE, "1900-01-01" },
    { 59, FALSE, PD_NUMBER_KIND_DATE, "1900-02-28" },
    { 60, FALSE, PD_NUMBER_KIND_DATE, "1900-02-29" },  /* Excel's phantom day */
    { 61, FALSE, PD_NUMBER_KIND_DATE, "1900-03-01" },
    { 45356, FALSE, PD_NUMBER_KIND_DATE, "2024-03-05" },
    { 45356.5729166667, FALSE, PD_NUMBER_KIND_DATE, "2024-03-05T13:45:00" },
    { 45356.99999999, FALSE, PD_NUMBER_KIND_DATE, "2024-03-06" },   /* rounds to midnight */
    { 0, TRUE, PD_NUMBER_KIND_DATE, "1904-01-01" },
    { 43894, TRUE, PD_NUMBER_KIND_DATE, "2024-03-05" },
    { 2958465, FALSE, PD_NUMBER_KIND_DATE, "9999-12-31" },
    { 2958466, FALSE, PD_NUMBER_KIND_DATE, "(none)" },
    { -1, FALSE, PD_NUMBER_KIND_DATE, "(none)" },
    { 0.5, FALSE, PD_NUMBER_KIND_TIME, "12:00:00" },
    { 1.5, FALSE, PD_NUMBER_KIND_TIME, "12:00:00" },
    { 1.5, FALSE, PD_NUMBER_KIND_DURATION, "36:00:00" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = serial (cases[i].value, cases[i].date1904, cases[i].kind);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_iso (void)
{
  struct { const char *in; const char *out; } datetimes[] = {
    { "2024-03-05", "2024-03-05" },
    { "2024-03-05T00:00:00", "2024-03-05" },
    { "2023-11-02T00:00:00Z", "2023-11-02" },
    { "2024-03-05T13:45:30.25", "2024-03-05T13:45:30" },
    { "2024-03-05T13:45", "2024-03-05T13:45:00" },
  };
  struct { const char *in; const char *out; } durations[] = {
    { "PT13H45M00S", "13:45:00" },
    { "PT36H", "36:00:00" },
    { "P1DT2H", "26:00:00" },
    { "PT12H30M15.6S", "12:30:16" },
    { "-PT1H", "-01:00:00" },
    { "13:45", NULL },
    { "PT5X", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (datetimes); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      pd_cell_format_iso_datetime (out, datetimes[i].in);
      g_assert_cmpstr (out->str, ==, datetimes[i].out);
    }
  for (guint i = 0; i < G_N_ELEMENTS (durations); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      gboolean ok = pd_cell_format_iso_duration (out, durations[i].in);

      g_assert_cmpint (ok, ==, durations[i].out != NULL);
      if (ok)
        g_assert_cmpstr (out->str, ==, durations[i].out);
    }
}

static void
test_ooxml_text (void)
{
  g_autoptr(GString) out = g_string_new (NULL);

  pd_cell_format_append_ooxml_text (out, "a_x000D__x000A_b _x005F_x0041_ _xZZ_ _x0000_ end_x");
  g_assert_cmpstr (out->str, ==, "a\r\nb _x0041_ _xZZ_  end_x");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cell-format/numbers", test_numbers);
  g_test_add_func ("/cell-format/number-text", test_number_text);
  g_test_add_func ("/cell-format/classify", test_classify);
  g_test_add_func ("/cell-format/serial-dates", test_serial_dates);
  g_test_add_func ("/cell-format/iso", test_iso);
  g_test_add_func ("/cell-format/ooxml-text", test_ooxml_text);
  return g_test_run ();
}
