/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fast phone path must give exactly libphonenumber's answers.
 *
 * Generates PD_PHONE_EXACT_N (default 1,000,000) numbers of many shapes —
 * the eight formats of ../shared/bench/gen-personas.py with random digits,
 * and broken or foreign ones: 7, 9, 11, 12 digits, leading 0 or 1, letters,
 * extensions, odd spaces, Unicode digits, international prefixes, other
 * countries' national formats — in many regions (NANP ones included), and
 * asserts that pd_phone_normalize() and pd_phone_normalize_reference()
 * return the same E.164, or both fail with the same reason.  The generator
 * is seeded (PD_PHONE_EXACT_SEED, default 1), so runs are reproducible and
 * other seeds can be tried by hand.
 * It takes about a minute: the reference path is the slow one. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include "pd-error.h"
#include "pd-phone.h"
#include "pd-phone-table.h"

static const char *regions[] = {
  /* The issue's list, weighted towards US as customer files are. */
  "US", "US", "US", "US", "US", "US", "CA", "CA", "GB", "DE", "FR", "IN",
  "BR", "AU", "MX", "JP", "JM", "PR",
  /* Every other NANP region: their parsing rules differ (7-digit local
   * numbers get the area code, leading digits pick the region). */
  "AG", "AI", "AS", "BB", "BM", "BS", "DM", "DO", "GD", "GU", "KN", "KY",
  "LC", "MP", "MS", "SX", "TC", "TT", "VC", "VG", "VI",
  /* Unknown and lower-case ones. */
  "ZZ", "us",
};

static const char *nanp_formats[] = {
  /* gen-personas.py PHONE_FORMATS */
  "(%s) %s-%s", "%s-%s-%s", "%s.%s.%s", "%s%s%s", "+1 %s %s %s", "+1%s%s%s",
  "1-%s-%s-%s", "+1 (%s) %s-%s",
  /* more plausible ones */
  "1 (%s) %s-%s", "1%s%s%s", "%s/%s-%s", " %s %s %s ", "(%s)%s-%s",
  "+1-%s-%s-%s", "+1.%s.%s.%s", "(+1) %s %s %s", "+ 1 %s %s %s", "+(1) %s-%s-%s",
  "%s  %s  %s", "%s - %s - %s", "((%s)) %s--%s", "-%s-%s-%s-", ".%s.%s.%s.",
  /* broken or unusual: left to libphonenumber, or caught by the lexer */
  "%s-%s-%s ext 12", "%s-%s-%s x123", "%s-%s-%s #45", "%s-%s-%s;ext=7",
  "tel:+1-%s-%s-%s", "%s\t%s\t%s", "%s\u00a0%s\u00a0%s", "+1 1 %s %s %s",
  "11%s%s%s", "+11%s%s%s", "011 1 %s %s %s", "001 %s %s %s", "%s-%s-%s9",
  "%s-%s-%s, %s", "%s-%s-%s / %s", "%s+%s+%s", "+%s%s%s", "++1 %s %s %s",
  "1+%s%s%s", "+1 %s %s %s 5", "%s,%s,%s", "%s_%s_%s", "%s:%s:%s",
  "Phone: %s-%s-%s", "%s-%s-%s (cell)", "(%s) %s-%s x", "*%s*%s*%s",
};

/* Shapes that are not built from NANP parts. */
static const char *fixed_texts[] = {
  "", " ", "N/A", "n/a", "-", "none", "000-000-0000", "12345", "1", "12",
  "+", "+1", "+1 ", "1-800-FLOWERS", "1-800-356-9377", "+1 800 FLOWERS",
  "020 7946 0018", "+44 20 7946 0018", "+44 (0)20 7946 0018", "07700 900123",
  "030 123456", "+49 30 1234567", "01 23 45 67 89", "+33 1 23 45 67 89",
  "98765 43210", "+91 98765 43210", "(11) 91234-5678", "+55 11 91234-5678",
  "(02) 9876 5432", "+61 2 9876 5432", "55 1234 5678", "+52 55 1234 5678",
  "03-1234-5678", "+81 3-1234-5678", "0011 44 20 7946 0018", "00 44 20 7946 0018",
  "011 44 20 7946 0018", "+999 123 456", "+0 202 555 0143", "+800 1234 5678",
  "\uff08\uff12\uff10\uff12\uff09\uff15\uff15\uff15\uff0d\uff10\uff11\uff14\uff13",
  "\u0662\u0660\u0662\u0665\u0665\u0665\u0660\u0661\u0664\u0663",
  "\u0968\u0966\u0968\u096b\u096b\u096b\u0966\u0967\u096a\u0969",
  "+\uff11 202 555 0143", "２０２-５５５-０１４３", "202‐555‐0143", "202–555–0143",
  "\xef\xbb\xbf" "202-555-0143",
};

static char *
random_digits (GRand *rand, guint n, gboolean plausible_first)
{
  char *s = g_malloc (n + 1);
  for (guint i = 0; i < n; i++)
    s[i] = '0' + g_rand_int_range (rand, 0, 10);
  if (plausible_first && n > 0)
    s[0] = '2' + g_rand_int_range (rand, 0, 8);
  s[n] = '\0';
  return s;
}

static char *
make_text (GRand *rand)
{
  guint kind = g_rand_int_range (rand, 0, 100);

  if (kind < 70)
    {
      /* NANP parts: area code mostly 2-9 first, sometimes 0/1; exchange
       * likewise; the line number sometimes short or long. */
      gboolean odd = g_rand_int_range (rand, 0, 10) == 0;
      g_autofree char *a = random_digits (rand, 3, !odd);
      g_autofree char *e = random_digits (rand, 3, g_rand_boolean (rand));
      guint line_len = g_rand_int_range (rand, 0, 12) == 0 ? g_rand_int_range (rand, 2, 7) : 4;
      g_autofree char *l = random_digits (rand, line_len, FALSE);
      g_autofree char *extra = random_digits (rand, 4, FALSE);
      guint f = g_rand_int_range (rand, 0, 8 * 3) < 8 * 2
        ? g_rand_int_range (rand, 0, 8)        /* the benchmark's shapes */
        : g_rand_int_range (rand, 0, G_N_ELEMENTS (nanp_formats));
      const char *format = nanp_formats[f];

      /* Well-known prefixes now and then: toll-free, premium, 555, N11. */
      switch (g_rand_int_range (rand, 0, 20))
        {
        case 0: memcpy (a, "800", 3); break;
        case 1: memcpy (a, "900", 3); break;
        case 2: memcpy (e, "555", 3); break;
        case 3: memcpy (e + 1, "11", 2); break;
        case 4: memcpy (a, "876", 3); break;
        case 5: memcpy (a, "787", 3); break;
        case 6: memcpy (a, "416", 3); break;
        default: break;
        }
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
      return g_strdup_printf (format, a, e, l, extra);
#pragma GCC diagnostic pop
    }
  if (kind < 80)
    {
      /* Random digit strings of 1-17 digits with random separators. */
      static const char seps[] = " -.()/+";
      guint n = g_rand_int_range (rand, 1, 18);
      GString *s = g_string_new (NULL);
      if (g_rand_int_range (rand, 0, 4) == 0)
        g_string_append_c (s, '+');
      for (guint i = 0; i < n; i++)
        {
          g_string_append_c (s, '0' + g_rand_int_range (rand, 0, 10));
          if (g_rand_int_range (rand, 0, 4) == 0)
            g_string_append_c (s, seps[g_rand_int_range (rand, 0, sizeof seps - 1)]);
        }
      return g_string_free (s, FALSE);
    }
  if (kind < 85)
    return g_strdup (fixed_texts[g_rand_int_range (rand, 0, G_N_ELEMENTS (fixed_texts))]);
  if (kind < 95)
    {
      /* Exactly 7, 9, 10, 11 or 12 digits, leading digit anything. */
      static const guint lengths[] = { 7, 9, 10, 11, 12 };
      guint n = lengths[g_rand_int_range (rand, 0, G_N_ELEMENTS (lengths))];
      g_autofree char *d = random_digits (rand, n, FALSE);
      return g_rand_boolean (rand) ? g_strconcat ("+", d, NULL) : g_steal_pointer (&d);
    }
  {
    /* A valid-looking number with one character replaced by a letter or a
     * Unicode digit. */
    static const char *subs[] = { "O", "l", "A", "x", "#", "\uff15", "\u0665", "\u00a0", "\t" };
    g_autofree char *d = random_digits (rand, 10, TRUE);
    guint at = g_rand_int_range (rand, 0, 10);
    return g_strdup_printf ("%.*s%s%s", at, d,
                            subs[g_rand_int_range (rand, 0, G_N_ELEMENTS (subs))], d + at + 1);
  }
}

static void
test_exact (void)
{
  const char *n_env = g_getenv ("PD_PHONE_EXACT_N");
  guint n = n_env ? (guint) g_ascii_strtoull (n_env, NULL, 10) : 1000000;
  const char *seed_env = g_getenv ("PD_PHONE_EXACT_SEED");
  guint32 seed = seed_env ? (guint32) g_ascii_strtoull (seed_env, NULL, 10) : 1;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint lexed = 0, valid = 0, mismatches = 0;
  gint64 fast_usec = 0, ref_usec = 0;

  g_test_message ("seed %u, %u numbers", seed, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = make_text (rand);
      const char *region = regions[g_rand_int_range (rand, 0, G_N_ELEMENTS (regions))];
      g_autoptr(GError) fast_error = NULL;
      g_autoptr(GError) ref_error = NULL;
      g_autofree char *fast = NULL;
      g_autofree char *ref = NULL;
      char digits[10];
      gint64 t0, t1, t2;

      t0 = g_get_monotonic_time ();
      fast = pd_phone_normalize (text, region, &fast_error);
      t1 = g_get_monotonic_time ();
      ref = pd_phone_normalize_reference (text, region, &ref_error);
      t2 = g_get_monotonic_time ();
      fast_usec += t1 - t0;
      ref_usec += t2 - t1;

      if (pd_phone_lex_nanp (text, TRUE, digits))
        lexed++;
      if (ref)
        valid++;
      if (g_strcmp0 (fast, ref) != 0 ||
          g_strcmp0 (fast_error ? fast_error->message : NULL,
                     ref_error ? ref_error->message : NULL) != 0)
        {
          if (mismatches++ < 20)
            g_test_message ("MISMATCH “%s” (%s): fast %s %s, reference %s %s", text, region,
                            fast ? fast : "-", fast_error ? fast_error->message : "",
                            ref ? ref : "-", ref_error ? ref_error->message : "");
        }
    }
  g_test_message ("%u numbers: %u valid, %u in simple NANP shapes; "
                  "fast path %.2f µs/number, reference %.2f µs/number (mixed shapes)",
                  n, valid, lexed, (double) fast_usec / n, (double) ref_usec / n);
  g_assert_cmpuint (mismatches, ==, 0);
  /* The mix must exercise both outcomes of both paths. */
  g_assert_cmpuint (valid, >, n / 5);
  g_assert_cmpuint (valid, <, n - n / 5);
  g_assert_cmpuint (lexed, >, n / 3);
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/phone/exact", test_exact);
  return g_test_run ();
}
