/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pd-record.h"

/* Messages formatted into the record read exactly as printf writes them. */
static void
test_record_printf (void)
{
  g_autoptr(PdRecord) record = pd_record_new (7);
  g_autofree char *long_text = g_strnfill (5000, 'x');
  struct {
    const char *format;
    const char *s;
    guint       u;
    int         d;
  } cases[] = {
    { "Row %u, column “%s”: %d%%", "Phone", 7, -12 },
    { "%s%u%d", "", 0, 0 },
    { "%u %d %s", "é “quoted” ✓", G_MAXUINT, G_MININT },
    { "%d: %s (%u)", NULL, 4294967295u, G_MAXINT },
    { "100%% sure, %s at %u, %d", "tail", 1, -1 },
    { "%s", NULL, 0, 0 },
    { "no conversions at all", NULL, 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *f = cases[i].format;
      g_autofree char *expected = NULL;
      guint n;

      /* The same argument types for every case: %s, %u, %d in the order
       * the format names them. */
      if (g_str_equal (f, "%s%u%d"))
        expected = g_strdup_printf (f, cases[i].s, cases[i].u, cases[i].d);
      else if (g_str_has_prefix (f, "Row"))
        expected = g_strdup_printf (f, cases[i].u, cases[i].s, cases[i].d);
      else if (g_str_has_prefix (f, "%u %d"))
        expected = g_strdup_printf (f, cases[i].u, cases[i].d, cases[i].s);
      else if (g_str_has_prefix (f, "%d: "))
        expected = g_strdup_printf (f, cases[i].d, cases[i].s, cases[i].u);
      else if (g_str_has_prefix (f, "100"))
        expected = g_strdup_printf (f, cases[i].s, cases[i].u, cases[i].d);
      else if (g_str_equal (f, "%s"))
        expected = g_strdup_printf (f, cases[i].s);
      else
        expected = g_strdup (f);

      n = record->errors->len;
      if (g_str_equal (f, "%s%u%d"))
        pd_record_add_errorf (record, f, cases[i].s, cases[i].u, cases[i].d);
      else if (g_str_has_prefix (f, "Row"))
        pd_record_add_errorf (record, f, cases[i].u, cases[i].s, cases[i].d);
      else if (g_str_has_prefix (f, "%u %d"))
        pd_record_add_errorf (record, f, cases[i].u, cases[i].d, cases[i].s);
      else if (g_str_has_prefix (f, "%d: "))
        pd_record_add_errorf (record, f, cases[i].d, cases[i].s, cases[i].u);
      else if (g_str_has_prefix (f, "100"))
        pd_record_add_errorf (record, f, cases[i].s, cases[i].u, cases[i].d);
      else if (g_str_equal (f, "%s"))
        pd_record_add_errorf (record, f, cases[i].s);
      else
        pd_record_add_errorf (record, "%s", f);

      g_assert_cmpuint (record->errors->len, ==, n + 1);
      g_assert_cmpstr (g_ptr_array_index (record->errors, n), ==, expected);
    }

  /* Long arguments, and formats the fast path leaves to printf. */
  pd_record_add_warningf (record, "%s|%u", long_text, 3u);
  g_assert_cmpuint (strlen (g_ptr_array_index (record->warnings, 0)), ==, 5002);
  pd_record_add_warningf (record, "%5s|%-3u|%03d", "ab", 7u, 4);
  g_assert_cmpstr (g_ptr_array_index (record->warnings, 1), ==, "   ab|7  |004");
  pd_record_add_warningf (record, "%2$s %1$s", "world", "hello");
  g_assert_cmpstr (g_ptr_array_index (record->warnings, 2), ==, "hello world");
  pd_record_add_warningf (record, "%" G_GINT64_FORMAT, (gint64) -5000000000);
  g_assert_cmpstr (g_ptr_array_index (record->warnings, 3), ==, "-5000000000");
}

/* Strings stay valid while the record grows; reset empties it for reuse,
 * copy is deep. */
static void
test_record_reuse (void)
{
  g_autoptr(PdRecord) record = pd_record_new (2);
  g_autoptr(PdRecord) copy = NULL;
  g_autofree char *huge = g_strnfill (100000, 'h');
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);

  for (guint round = 0; round < 3; round++)
    {
      g_ptr_array_set_size (expected, 0);
      for (guint i = 0; i < 500; i++)
        {
          char *text = g_strdup_printf ("round %u, email %u@example.com", round, i);

          pd_record_add_email (record, text);
          g_ptr_array_add (expected, text);
        }
      pd_record_set_value (record, PD_FIELD_CITY, "Boston");
      pd_record_set_value (record, PD_FIELD_CITY, "Salem");  /* replaces */
      pd_record_set_static_value (record, PD_FIELD_LOYALTY, "true");
      pd_record_set_attribute (record, "veteran", "yes");
      pd_record_set_attribute (record, "Veteran", "no");      /* same attribute */
      pd_record_add_tag (record, round == 1 ? huge : "vip");
      pd_record_add_phone (record, "+12025550143");

      g_assert_cmpuint (record->emails->len, ==, 500);
      for (guint i = 0; i < 500; i++)
        g_assert_cmpstr (g_ptr_array_index (record->emails, i), ==, g_ptr_array_index (expected, i));
      g_assert_cmpstr (record->values[PD_FIELD_CITY], ==, "Salem");
      g_assert_cmpstr (record->values[PD_FIELD_LOYALTY], ==, "true");
      g_assert_cmpuint (record->attribute_names->len, ==, 1);
      g_assert_cmpstr (g_ptr_array_index (record->attribute_values, 0), ==, "no");
      g_assert_cmpstr (g_ptr_array_index (record->tags, 0), ==, round == 1 ? huge : "vip");
      g_assert_true (pd_record_is_valid (record));

      if (round == 0)
        {
          record->source = pd_row_new (2, (const char *[]) { "a", "b" }, 2);
          pd_record_add_error (record, "bad");
          g_assert_false (pd_record_is_valid (record));
          copy = pd_record_copy (record);
        }

      pd_record_reset (record, 10 + round);
      g_assert_cmpuint (record->row, ==, 10 + round);
      g_assert_null (record->source);
      for (guint f = 0; f < PD_FIELD_N_BUILTIN; f++)
        g_assert_null (record->values[f]);
      g_assert_cmpuint (record->emails->len + record->phones->len + record->tags->len +
                        record->attribute_names->len + record->attribute_values->len +
                        record->errors->len + record->warnings->len, ==, 0);
      g_assert_true (pd_record_is_valid (record));
    }

  /* The copy owns its strings: the original was reset and refilled. */
  g_assert_cmpuint (copy->row, ==, 2);
  g_assert_cmpuint (copy->emails->len, ==, 500);
  g_assert_cmpstr (g_ptr_array_index (copy->emails, 499), ==, "round 0, email 499@example.com");
  g_assert_cmpstr (copy->values[PD_FIELD_CITY], ==, "Salem");
  g_assert_cmpstr (g_ptr_array_index (copy->errors, 0), ==, "bad");
  g_assert_cmpstr (pd_row_get_cell (copy->source, 1), ==, "b");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/record/printf", test_record_printf);
  g_test_add_func ("/record/reuse", test_record_reuse);

  return g_test_run ();
}
