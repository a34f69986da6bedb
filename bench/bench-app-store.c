/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-app's measures of the store alone (bench-app.c has the app's). */
#include "config.h"

#include "pd-store.h"
#include "pd-persona-list.h"
#include "bench-app-store.h"

static int store_runs = 5;

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (GArray *a)
{
  g_array_sort (a, compare_doubles);
  return a->len ? g_array_index (a, double, a->len / 2) : 0;
}

typedef GPtrArray *(*StoreCall) (PdStore *store, const PdPersonaQuery *q, guint offset);

static GPtrArray *
call_page (PdStore              *store,
           const PdPersonaQuery *q,
           guint                 offset)
{
  return pd_store_list_personas (store, q, offset, PD_PERSONA_LIST_DEFAULT_PAGE_SIZE, NULL);
}

static GPtrArray *
call_count (PdStore              *store,
            const PdPersonaQuery *q,
            guint                 offset)
{
  g_autoptr(GError) error = NULL;
  guint n = pd_store_count_personas (store, q, &error);

  if (error != NULL)
    g_error ("count: %s", error->message);
  (void) n;
  return g_ptr_array_new ();   /* not NULL: the count did not fail */
}

/* The median of store_runs calls, in ms. */
static double
time_store (PdStore              *store,
            StoreCall             call,
            const PdPersonaQuery *q,
            guint                 offset)
{
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));

  for (int r = 0; r < store_runs; r++)
    {
      gint64 t = g_get_monotonic_time ();
      g_autoptr(GPtrArray) page = call (store, q, offset);
      double v = (g_get_monotonic_time () - t) / 1000.0;

      if (page == NULL)
        g_error ("the store failed at offset %u", offset);
      g_array_append_val (ms, v);
    }
  return median (ms);
}

/* The store's part of what the window does, for where the time goes, on a
 * connection of its own: the first page of each search (what the window
 * reads before it paints) and its count (read in a thread), the count of
 * the whole list, pages far down the list as a jump reads them (a block
 * of pages from an offset no page was read near), and pages read one
 * after another as scrolling does. */
void
bench_app_store_alone (const char *db,
                       int         runs)
{
  static const char * const texts[] = { "p654321@example.com", "(206) 265-4321", "206 26",
                                        "Grace", "Grace Hop", "C0654321", "nobody-like-this" };
  static const PdPersonaSort sorts[] = { PD_PERSONA_SORT_ID, PD_PERSONA_SORT_NAME, PD_PERSONA_SORT_EMAIL,
                                         PD_PERSONA_SORT_POINTS };
  static const char * const sort_names[] = { "id", "name", "email", "points" };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = pd_store_open (db, &error);
  PdPersonaQuery all = { PD_PERSONA_VIEW_ACTIVE };
  guint n;

  store_runs = runs;
  if (store == NULL)
    g_error ("%s: %s", db, error->message);
  n = pd_store_count_personas (store, &all, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      PdPersonaQuery q = { PD_PERSONA_VIEW_ACTIVE, texts[i] };

      g_print ("store alone, search %-22s first page %7.2f ms, count %7.2f ms  (medians of %d)\n",
               texts[i], time_store (store, call_page, &q, 0), time_store (store, call_count, &q, 0),
               store_runs);
    }
  g_print ("store alone, count of the active list (%u) %7.2f ms (median of %d)\n",
           n, time_store (store, call_count, &all, 0), store_runs);
  for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
    {
      PdPersonaQuery q = { .view = PD_PERSONA_VIEW_ACTIVE, .sort = sorts[i] };
      g_autoptr(GArray) next = g_array_new (FALSE, FALSE, sizeof (double));

      g_print ("store alone, sorted by %-6s first page %7.2f ms; a page at 10%% %7.2f, 50%% %7.2f, 90%% %7.2f ms",
               sort_names[i], time_store (store, call_page, &q, 0),
               time_store (store, call_page, &q, n / 10), time_store (store, call_page, &q, n / 2),
               time_store (store, call_page, &q, n / 10 * 9));
      /* scrolling on from the middle: each page where the last ended */
      for (guint p = 0; p < 20; p++)
        {
          gint64 t = g_get_monotonic_time ();
          g_autoptr(GPtrArray) page = call_page (store, &q, n / 2 + p * PD_PERSONA_LIST_DEFAULT_PAGE_SIZE);
          double v = (g_get_monotonic_time () - t) / 1000.0;

          g_array_append_val (next, v);
        }
      g_print ("; the next page from 50%% %7.2f ms  (medians)\n", median (next));
    }
}

