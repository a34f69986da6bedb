/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-store DB: times the store calls the app makes on a big database:
 * count, first page, a deep page (cold and after the previous page),
 * and searches.  Run by hand on a database made with bench-import.sh, or
 * on a postgresql:// URI (bench/pg-seed.sql makes one). */
#include "config.h"

#include <stdio.h>

#include "pd-store.h"

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static void
time_list (PdStore       *store,
           const char    *label,
           const char    *search,
           PdPersonaSort  sort,
           guint          offset)
{
  PdPersonaQuery q = { .view = PD_PERSONA_VIEW_ACTIVE, .search = search, .sort = sort };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  double t0 = now_ms (), t1, t2;
  guint count;

  count = pd_store_count_personas (store, &q, &error);
  t1 = now_ms ();
  if (error != NULL)
    {
      printf ("%-40s error: %s\n", label, error->message);
      return;
    }
  page = pd_store_list_personas (store, &q, offset, 50, &error);
  t2 = now_ms ();
  if (error != NULL)
    {
      printf ("%-40s error: %s\n", label, error->message);
      return;
    }
  printf ("%-40s count %8u in %7.1f ms, page of %2u at %7u in %7.1f ms\n", label, count, t1 - t0,
          page->len, offset, t2 - t1);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  double t0;

  if (argc != 2)
    {
      fprintf (stderr, "usage: bench-store DB|postgresql://…\n");
      return 2;
    }
  t0 = now_ms ();
  store = pd_store_open (argv[1], &error);
  if (store == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  printf ("%-40s %7.1f ms\n", "open", now_ms () - t0);
  time_list (PD_STORE (store), "by name, first page", NULL, PD_PERSONA_SORT_NAME, 0);
  time_list (PD_STORE (store), "by name, again (cached count)", NULL, PD_PERSONA_SORT_NAME, 0);
  time_list (PD_STORE (store), "by name, page at 500000 (cold)", NULL, PD_PERSONA_SORT_NAME, 500000);
  time_list (PD_STORE (store), "by name, next page (keyset)", NULL, PD_PERSONA_SORT_NAME, 500050);
  time_list (PD_STORE (store), "by points, first page", NULL, PD_PERSONA_SORT_POINTS, 0);
  time_list (PD_STORE (store), "by email, first page", NULL, PD_PERSONA_SORT_EMAIL, 0);
  time_list (PD_STORE (store), "by phone, page at 900000", NULL, PD_PERSONA_SORT_PHONE, 900000);
  time_list (PD_STORE (store), "search \"jo\"", "jo", PD_PERSONA_SORT_NAME, 0);
  time_list (PD_STORE (store), "search \"james smi\"", "james smi", PD_PERSONA_SORT_NAME, 0);
  time_list (PD_STORE (store), "search \"garc\" (last name, accent)", "garc", PD_PERSONA_SORT_NAME, 0);
  time_list (PD_STORE (store), "search \"(202) 5\"", "(202) 5", PD_PERSONA_SORT_NAME, 0);
  time_list (PD_STORE (store), "search \"mary.\" (email)", "mary.", PD_PERSONA_SORT_NAME, 0);
  time_list (PD_STORE (store), "search \"zzzz\" (none)", "zzzz", PD_PERSONA_SORT_NAME, 0);
  return 0;
}
