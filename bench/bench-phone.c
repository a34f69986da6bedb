/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Phone normalization speed: the fast path against plain libphonenumber.
 *
 *   bench-phone [N]      (default N = 200000 numbers per path)
 *
 * Numbers are made like ../shared/bench/gen-personas.py makes them: valid-
 * looking NANP parts in its eight formats, 1% broken ones, region US.
 * Prints the time to build the fast path's table (paid once per process,
 * at the first call) and numbers/s and µs/number of each path. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include "pd-phone.h"
#include "pd-phone-private.h"

static const char *formats[] = {
  "(%s) %s-%s", "%s-%s-%s", "%s.%s.%s", "%s%s%s", "+1 %s %s %s", "+1%s%s%s",
  "1-%s-%s-%s", "+1 (%s) %s-%s",
};

static GPtrArray *
make_numbers (guint n)
{
  GPtrArray *numbers = g_ptr_array_new_with_free_func (g_free);
  GRand *rand = g_rand_new_with_seed (1);

  for (guint i = 0; i < n; i++)
    {
      /* gen-personas.py: area codes not N11 or N9X, exchanges not N11. */
      guint a, e;
      char as[4], es[4], ls[5];
      do
        a = g_rand_int_range (rand, 200, 1000);
      while (a % 100 == 11 || a / 10 % 10 == 9);
      do
        e = g_rand_int_range (rand, 200, 1000);
      while (e % 100 == 11);
      g_snprintf (as, sizeof as, "%u", a);
      g_snprintf (es, sizeof es, "%u", e);
      g_snprintf (ls, sizeof ls, "%04u", g_rand_int_range (rand, 0, 10000));
      if (g_rand_int_range (rand, 0, 100) == 0)
        g_ptr_array_add (numbers, g_strdup_printf ("%s-%s", es, ls)); /* broken */
      else
        g_ptr_array_add (numbers, g_strdup_printf (formats[g_rand_int_range (rand, 0, G_N_ELEMENTS (formats))],
                                                   as, es, ls));
    }
  g_rand_free (rand);
  return numbers;
}

static double
run (GPtrArray *numbers,
     char *(*normalize) (const char *, const char *, GError **),
     guint *n_valid)
{
  gint64 start = g_get_monotonic_time ();

  *n_valid = 0;
  for (guint i = 0; i < numbers->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *e164 = normalize (g_ptr_array_index (numbers, i), "US", &error);
      if (e164)
        (*n_valid)++;
    }
  return (g_get_monotonic_time () - start) / 1e6;
}

int
main (int argc, char *argv[])
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 200000;
  g_autoptr(GPtrArray) numbers = NULL;
  gint64 build_usec, start;
  guint nodes = 0, ask = 0, calls = 0, valid_fast, valid_ref;
  g_autofree char *failure = NULL;
  double fast, ref;

  setlocale (LC_ALL, "");
  numbers = make_numbers (n);

  start = g_get_monotonic_time ();
  pd_phone_is_known_region ("US"); /* loads libphonenumber's metadata */
  g_print ("libphonenumber init: %.1f ms\n", (g_get_monotonic_time () - start) / 1000.0);
  start = g_get_monotonic_time ();
  if (!_pd_phone_get_fast_path_info (&build_usec, &nodes, &ask, &calls, &failure))
    g_printerr ("fast path OFF: %s\n", failure);
  g_print ("fast-path table build: %.1f ms; table: %u nodes, "
           "%u leaves left to libphonenumber, %u IsValidNumber calls\n",
           (g_get_monotonic_time () - start) / 1000.0, nodes, ask, calls);

  fast = run (numbers, pd_phone_normalize, &valid_fast);
  ref = run (numbers, pd_phone_normalize_reference, &valid_ref);
  g_print ("fast path:  %10.0f numbers/s  %6.3f µs/number  (%u valid of %u)\n",
           n / fast, fast * 1e6 / n, valid_fast, n);
  g_print ("reference:  %10.0f numbers/s  %6.3f µs/number  (%u valid of %u)\n",
           n / ref, ref * 1e6 / n, valid_ref, n);
  g_print ("speed-up:   %.0fx\n", ref / fast);
  return valid_fast == valid_ref ? EXIT_SUCCESS : EXIT_FAILURE;
}
