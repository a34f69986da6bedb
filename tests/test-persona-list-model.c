/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pd-persona-list.h"
#include "pd-pg-store.h"
#include "pd-test-personas.h"
#include "pd-test-pg.h"

/* The paging persona model over a real temporary database: counts,
 * pages loaded on demand and evicted least-recently-used first, search,
 * sort and the archived view, items-changed on refresh, and reload (first
 * page at once, the count from a thread, only the newest count lands). */

#define N_PERSONAS 2500

typedef struct {
  char    *dir;
  PdStore *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->store = pd_test_store_new (&f->dir);
  pd_test_seed (f->store, 0, N_PERSONAS, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  pd_test_remove_dir (f->dir);
  g_free (f->dir);
}

typedef struct {
  guint calls;
  guint position, removed, added;
} Changes;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->calls++;
  changes->position = position;
  changes->removed = removed;
  changes->added = added;
}

/* The item at @position as the list's user ends up seeing it: pages past
 * the first are read in a thread, and their positions hold empty personas
 * (id 0) until they land. */
static PdPersona *
item (PdPersonaList *list,
      guint          position)
{
  PdPersona *p = g_list_model_get_item (G_LIST_MODEL (list), position);
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  if (p == NULL || pd_persona_get_id (p) > 0 || pd_persona_list_get_n_loading_pages (list) == 0)
    return p;
  g_object_unref (p);
  while (pd_persona_list_get_n_loading_pages (list) > 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (pd_persona_list_get_n_loading_pages (list), ==, 0);
  return g_list_model_get_item (G_LIST_MODEL (list), position);
}

static void
touch (PdPersonaList *list,
       guint          position)
{
  g_autoptr(PdPersona) p = item (list, position);

  g_assert_nonnull (p);
}

static void
test_count_and_items (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(PdPersonaList) list = pd_persona_list_new (f->store, PD_PERSONA_VIEW_ACTIVE);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPersona) first = NULL;
  g_autoptr(PdPersona) again = NULL;
  g_autoptr(PdPersona) last = NULL;
  Changes changes = { 0 };

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &changes);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == PD_TYPE_PERSONA);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  g_assert_true (pd_persona_list_refresh (list, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_PERSONAS);
  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, N_PERSONAS);

  /* Nothing is read before an item is asked for. */
  g_assert_cmpuint (pd_persona_list_get_n_page_loads (list), ==, 0);

  first = item (list, 0);
  g_assert_nonnull (first);
  g_assert_cmpstr (pd_persona_get_primary_email (first), ==, "p0@example.com");
  g_assert_cmpuint (pd_persona_list_get_n_page_loads (list), ==, 1);

  /* Same page: same object, no new read. */
  again = item (list, 0);
  g_assert_true (again == first);
  g_assert_cmpuint (pd_persona_list_get_n_page_loads (list), ==, 1);

  last = item (list, N_PERSONAS - 1);
  g_assert_nonnull (last);
  g_assert_cmpstr (pd_persona_get_primary_email (last), ==, "p2499@example.com");
  g_assert_cmpuint (pd_persona_list_get_n_page_loads (list), ==, 2);

  g_assert_null (item (list, N_PERSONAS));

  /* Every position holds the persona in id order. */
  for (guint i = 0; i < N_PERSONAS; i += 97)
    {
      g_autoptr(PdPersona) p = item (list, i);
      g_autofree char *email = g_strdup_printf ("p%u@example.com", i);

      g_assert_cmpstr (pd_persona_get_primary_email (p), ==, email);
    }

  /* A refresh replaces the whole list: all out, then all in. */
  changes.calls = 0;
  g_assert_true (pd_persona_list_refresh (list, NULL));
  g_assert_cmpuint (changes.calls, ==, 2);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, N_PERSONAS);
  /* ... and it read nothing while doing so. */
  g_assert_cmpuint (pd_persona_list_get_n_cached_pages (list), ==, 0);
  g_assert_cmpuint (pd_persona_list_get_n_cached_pages (list), ==, 0);
}

static void
test_lru (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(PdPersonaList) list = pd_persona_list_new (f->store, PD_PERSONA_VIEW_ACTIVE);
  guint loads;

  pd_persona_list_set_page_size (list, 100, 4);
  g_assert_true (pd_persona_list_refresh (list, NULL));

  for (guint page = 0; page < 4; page++)
    touch (list, page * 100 + 5);
  g_assert_cmpuint (pd_persona_list_get_n_page_loads (list), ==, 4);
  g_assert_cmpuint (pd_persona_list_get_n_cached_pages (list), ==, 4);

  /* Touch page 0, then load page 4: page 1 is the least recently used. */
  touch (list, 10);
  touch (list, 450);
  g_assert_cmpuint (pd_persona_list_get_n_page_loads (list), ==, 5);
  g_assert_cmpuint (pd_persona_list_get_n_cached_pages (list), ==, 4);

  loads = pd_persona_list_get_n_page_loads (list);
  touch (list, 99);   /* page 0: kept */
  g_assert_cmpuint (pd_persona_list_get_n_page_loads (list), ==, loads);
  touch (list, 150);  /* page 1: evicted */
  g_assert_cmpuint (pd_persona_list_get_n_page_loads (list), ==, loads + 1);
  g_assert_cmpuint (pd_persona_list_get_n_cached_pages (list), ==, 4);

  /* Scrolling the whole list keeps memory bounded. */
  for (guint i = 0; i < N_PERSONAS; i++)
    touch (list, i);
  g_assert_cmpuint (pd_persona_list_get_n_cached_pages (list), <=, 4);
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(PdPersonaList) list = pd_persona_list_new (f->store, PD_PERSONA_VIEW_ACTIVE);
  g_autoptr(PdPersona) p = NULL;
  g_autoptr(PdPersona) by_phone = NULL;

  pd_persona_list_set_search (list, "  P42@Example.com ");
  g_assert_cmpstr (pd_persona_list_get_search (list), ==, "P42@Example.com");
  g_assert_true (pd_persona_list_refresh (list, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  p = item (list, 0);
  g_assert_cmpstr (pd_persona_get_primary_email (p), ==, "p42@example.com");

  /* The phone of persona 42 (+12025550042) typed another way. */
  pd_persona_list_set_search (list, "(202) 555-0042");
  g_assert_true (pd_persona_list_refresh (list, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  by_phone = item (list, 0);
  g_assert_cmpint (pd_persona_get_id (by_phone), ==, pd_persona_get_id (p));

  /* An empty search is no search. */
  pd_persona_list_set_search (list, "   ");
  g_assert_null (pd_persona_list_get_search (list));
  g_assert_true (pd_persona_list_refresh (list, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_PERSONAS);

  pd_persona_list_set_search (list, "no such person at all");
  g_assert_true (pd_persona_list_refresh (list, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
}

static void
test_sort (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(PdPersonaList) list = pd_persona_list_new (f->store, PD_PERSONA_VIEW_ACTIVE);
  gint64 previous = G_MAXINT64;
  gboolean descending = FALSE;

  pd_persona_list_set_sort (list, PD_PERSONA_SORT_POINTS, TRUE);
  g_assert_cmpint (pd_persona_list_get_sort (list, &descending), ==, PD_PERSONA_SORT_POINTS);
  g_assert_true (descending);
  g_assert_true (pd_persona_list_refresh (list, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_PERSONAS);

  /* Across page boundaries too. */
  for (guint i = 0; i < N_PERSONAS; i += 13)
    {
      g_autoptr(PdPersona) p = item (list, i);

      g_assert_cmpint (pd_persona_get_points (p), <=, previous);
      previous = pd_persona_get_points (p);
    }
}

static void
test_archived (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(PdPersonaList) active = pd_persona_list_new (f->store, PD_PERSONA_VIEW_ACTIVE);
  g_autoptr(PdPersonaList) archived = pd_persona_list_new (f->store, PD_PERSONA_VIEW_ARCHIVED);
  g_autoptr(PdPersona) p = NULL;
  g_autoptr(PdPersona) a = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_persona_list_refresh (active, NULL));
  g_assert_true (pd_persona_list_refresh (archived, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (archived)), ==, 0);

  p = item (active, 7);
  g_assert_true (pd_store_set_archived (f->store, pd_persona_get_id (p), TRUE, &error));
  g_assert_no_error (error);

  g_assert_true (pd_persona_list_refresh (active, NULL));
  g_assert_true (pd_persona_list_refresh (archived, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (active)), ==, N_PERSONAS - 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (archived)), ==, 1);
  a = item (archived, 0);
  g_assert_cmpint (pd_persona_get_id (a), ==, pd_persona_get_id (p));
  g_assert_cmpuint (pd_persona_list_find_loaded (archived, pd_persona_get_id (p)), ==, 0);
}

/* Runs the default main context until the list's count is in (or a
 * generous time has passed: then the test fails). */
static void
wait_for_count (PdPersonaList *list)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (pd_persona_list_is_counting (list) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (pd_persona_list_is_counting (list));
}

/* Until the reloads' tasks have all come back (each holds a reference on
 * the list until its callback ran): a stale count would have landed. */
static void
wait_for_tasks (PdPersonaList *list)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (g_atomic_int_get (&G_OBJECT (list)->ref_count) > 1 && g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_assert_cmpuint (g_atomic_int_get (&G_OBJECT (list)->ref_count), ==, 1);
}

static void
on_notify_n_items (GObject    *object,
                   GParamSpec *pspec,
                   GArray     *seen)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (object));

  g_array_append_val (seen, n);
}

static guint
store_count (Fixture    *f,
             const char *search)
{
  PdPersonaQuery query = { PD_PERSONA_VIEW_ACTIVE, search, 0, PD_PERSONA_SORT_ID, FALSE };
  g_autoptr(GError) error = NULL;
  guint n = pd_store_count_personas (f->store, &query, &error);

  g_assert_no_error (error);
  return n;
}

/* pd_persona_list_reload: the first page at once, the count from a thread,
 * the list growing at its end when the count comes. */
static void
test_reload (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(PdPersonaList) list = pd_persona_list_new (f->store, PD_PERSONA_VIEW_ACTIVE);
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (guint));
  guint page_size = pd_persona_list_get_page_size (list);
  Changes changes = { 0 };

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &changes);
  g_signal_connect (list, "notify::n-items", G_CALLBACK (on_notify_n_items), seen);

  pd_persona_list_reload (list);
  /* the first page is there before any main loop ran */
  g_assert_true (pd_persona_list_is_counting (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, page_size);
  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, page_size);
  g_assert_cmpuint (pd_persona_list_get_n_page_loads (list), ==, 1);
  {
    g_autoptr(PdPersona) first = item (list, 0);
    g_autoptr(PdPersona) last = item (list, page_size - 1);

    g_assert_cmpstr (pd_persona_get_primary_email (first), ==, "p0@example.com");
    g_assert_nonnull (last);
    g_assert_null (item (list, page_size));
    /* no second read for the first page */
    g_assert_cmpuint (pd_persona_list_get_n_page_loads (list), ==, 1);
  }

  /* the count: the list grows at its end, the first page stays */
  changes.calls = 0;
  wait_for_count (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_PERSONAS);
  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_cmpuint (changes.position, ==, page_size);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, N_PERSONAS - page_size);
  g_assert_cmpuint (seen->len, >=, 1);
  g_assert_cmpuint (g_array_index (seen, guint, seen->len - 1), ==, N_PERSONAS);
  g_assert_cmpuint (pd_persona_list_get_n_page_loads (list), ==, 1);
  {
    g_autoptr(PdPersona) last = item (list, N_PERSONAS - 1);

    g_assert_cmpstr (pd_persona_get_primary_email (last), ==, "p2499@example.com");
  }

  /* A narrow search: its first page is all of it, no count runs. */
  pd_persona_list_set_search (list, "p42@");
  changes.calls = 0;
  pd_persona_list_reload (list);
  g_assert_false (pd_persona_list_is_counting (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  /* all out, then the page in (see replace_items) */
  g_assert_cmpuint (changes.calls, ==, 2);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, 1);

  /* No match at all. */
  pd_persona_list_set_search (list, "zzzz");
  pd_persona_list_reload (list);
  g_assert_false (pd_persona_list_is_counting (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_null (item (list, 0));
  wait_for_tasks (list);
}

/* Typing: each keystroke reloads; only the newest count may land. */
static void
test_reload_newer_wins (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(PdPersonaList) list = pd_persona_list_new (f->store, PD_PERSONA_VIEW_ACTIVE);
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (guint));
  guint page_size = pd_persona_list_get_page_size (list);
  guint grace = store_count (f, "Grace");
  Changes changes = { 0 };

  g_assert_cmpuint (grace, >, page_size);
  g_assert_cmpuint (grace, <, N_PERSONAS);
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &changes);
  g_signal_connect (list, "notify::n-items", G_CALLBACK (on_notify_n_items), seen);

  /* everyone (a count starts), then "Grace" (another count) */
  pd_persona_list_reload (list);
  g_assert_true (pd_persona_list_is_counting (list));
  pd_persona_list_set_search (list, "Grace");
  pd_persona_list_reload (list);
  g_assert_true (pd_persona_list_is_counting (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, page_size);
  g_array_set_size (seen, 0);
  wait_for_count (list);
  wait_for_tasks (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, grace);
  /* the first count never showed */
  for (guint i = 0; i < seen->len; i++)
    g_assert_cmpuint (g_array_index (seen, guint, i), ==, grace);
  for (guint i = 0; i < grace; i += 7)
    {
      g_autoptr(PdPersona) p = item (list, i);

      g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_FIRST_NAME), ==, "Grace");
    }

  /* A broad reload, then a narrow one that needs no count: the broad
   * count must not come back and grow the narrow list. */
  pd_persona_list_set_search (list, NULL);
  pd_persona_list_reload (list);
  g_assert_true (pd_persona_list_is_counting (list));
  pd_persona_list_set_search (list, "p7@");
  pd_persona_list_reload (list);
  g_assert_false (pd_persona_list_is_counting (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  changes.calls = 0;
  g_array_set_size (seen, 0);
  wait_for_tasks (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_cmpuint (changes.calls, ==, 0);
  g_assert_cmpuint (seen->len, ==, 0);

  /* A refresh (synchronous count) also wins over a running count. */
  pd_persona_list_set_search (list, NULL);
  pd_persona_list_reload (list);
  pd_persona_list_set_search (list, "Grace");
  g_assert_true (pd_persona_list_refresh (list, NULL));
  g_assert_false (pd_persona_list_is_counting (list));
  wait_for_tasks (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, grace);
}

/* pd_persona_list_reload_in_thread: the list keeps its items until the
 * first page, read in a thread, lands; then the count as for a reload.  A
 * newer reload wins over it. */
static void
test_reload_in_thread (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(PdPersonaList) list = pd_persona_list_new (f->store, PD_PERSONA_VIEW_ACTIVE);
  guint page_size = pd_persona_list_get_page_size (list);
  guint grace = store_count (f, "Grace");
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  Changes changes = { 0 };

  pd_persona_list_set_search (list, "p42@");
  pd_persona_list_reload (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &changes);

  pd_persona_list_set_search (list, "Grace");
  pd_persona_list_reload_in_thread (list);
  /* nothing changed yet: the old list stays, whole */
  g_assert_true (pd_persona_list_is_loading (list));
  g_assert_cmpuint (changes.calls, ==, 0);
  {
    g_autoptr(PdPersona) p = item (list, 0);

    g_assert_cmpstr (pd_persona_get_primary_email (p), ==, "p42@example.com");
  }
  while (pd_persona_list_is_loading (list) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (pd_persona_list_is_loading (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, page_size);
  /* the page came from the thread: no read on this one */
  g_assert_cmpuint (pd_persona_list_get_n_cached_pages (list), ==, 1);
  wait_for_count (list);
  wait_for_tasks (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, grace);
  for (guint i = 0; i < grace; i += 7)
    {
      g_autoptr(PdPersona) p = item (list, i);

      g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_FIRST_NAME), ==, "Grace");
    }

  /* A reload while the thread reads: the thread's page never lands. */
  pd_persona_list_set_search (list, NULL);
  pd_persona_list_reload_in_thread (list);
  pd_persona_list_set_search (list, "p7@");
  pd_persona_list_reload (list);
  g_assert_false (pd_persona_list_is_loading (list));
  changes.calls = 0;
  wait_for_tasks (list);
  g_assert_cmpuint (changes.calls, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
}

/* Pages past the first are read in a thread, a block of four at a time:
 * empty personas until the block lands, then items-changed over each of
 * its pages.  A refresh meanwhile drops the block. */
static void
test_pages_in_thread (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(PdPersonaList) list = pd_persona_list_new (f->store, PD_PERSONA_VIEW_ACTIVE);
  guint page_size = pd_persona_list_get_page_size (list);
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  g_autoptr(PdPersona) blank = NULL;
  g_autoptr(PdPersona) p = NULL;
  Changes changes = { 0 };
  guint loads;

  g_assert_true (pd_persona_list_refresh (list, NULL));
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &changes);
  loads = pd_persona_list_get_n_page_loads (list);

  /* page 20: its block is pages 17 to 20 */
  blank = g_list_model_get_item (G_LIST_MODEL (list), 20 * page_size + 3);
  g_assert_cmpint (pd_persona_get_id (blank), ==, 0);
  g_assert_cmpuint (pd_persona_list_get_n_loading_pages (list), ==, 4);
  g_assert_cmpuint (pd_persona_list_get_n_page_loads (list), ==, loads + 1);
  g_assert_cmpuint (changes.calls, ==, 0);
  /* asked again before it lands: no second read */
  g_clear_object (&blank);
  blank = g_list_model_get_item (G_LIST_MODEL (list), 17 * page_size);
  g_assert_cmpint (pd_persona_get_id (blank), ==, 0);
  g_assert_cmpuint (pd_persona_list_get_n_page_loads (list), ==, loads + 1);

  while (pd_persona_list_get_n_loading_pages (list) > 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (pd_persona_list_get_n_loading_pages (list), ==, 0);
  g_assert_cmpuint (changes.calls, ==, 4);
  g_assert_cmpuint (changes.removed, ==, page_size);
  g_assert_cmpuint (changes.added, ==, page_size);
  for (guint i = 17 * page_size; i < 21 * page_size; i += 13)
    {
      g_autoptr(PdPersona) q = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_autofree char *email = g_strdup_printf ("p%u@example.com", i);

      g_assert_cmpstr (pd_persona_get_primary_email (q), ==, email);
    }
  g_assert_cmpuint (pd_persona_list_get_n_page_loads (list), ==, loads + 1);

  /* A refresh while a block is read: it never lands. */
  p = g_list_model_get_item (G_LIST_MODEL (list), 40 * page_size);
  g_assert_cmpuint (pd_persona_list_get_n_loading_pages (list), >, 0);
  g_assert_true (pd_persona_list_refresh (list, NULL));
  g_assert_cmpuint (pd_persona_list_get_n_loading_pages (list), ==, 0);
  changes.calls = 0;
  wait_for_tasks (list);
  g_assert_cmpuint (changes.calls, ==, 0);
}

/* A held count (the window holds it until its first frame is painted)
 * starts only when released; the first page is there all the same. */
static void
test_hold_count (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(PdPersonaList) list = pd_persona_list_new (f->store, PD_PERSONA_VIEW_ACTIVE);
  guint page_size = pd_persona_list_get_page_size (list);

  pd_persona_list_hold_count (list, TRUE);
  pd_persona_list_reload (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, page_size);
  g_assert_true (pd_persona_list_is_counting (list));
  /* no count runs: nothing holds a reference on the list */
  g_assert_cmpuint (g_atomic_int_get (&G_OBJECT (list)->ref_count), ==, 1);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, page_size);

  pd_persona_list_hold_count (list, FALSE);
  wait_for_count (list);
  wait_for_tasks (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_PERSONAS);
}

static void
save_email (PdStore    *store,
            const char *email)
{
  g_autoptr(PdPersona) p = pd_persona_new ();
  g_autoptr(GError) error = NULL;

  pd_persona_add_email (p, email);
  g_assert_true (pd_store_save_persona (store, p, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
}

/* Runs the main loop until @list holds @n items, for at most 10 s. */
static gboolean
wait_for_items (PdPersonaList *list,
                guint          n)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while ((g_list_model_get_n_items (G_LIST_MODEL (list)) != n || pd_persona_list_is_loading (list) ||
          pd_persona_list_is_counting (list)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (10000), TRUE);
  return g_list_model_get_n_items (G_LIST_MODEL (list)) == n;
}

/* On a shared (PostgreSQL) database the list shows another desk's new
 * persona and import by itself, soon after they commit. */
static void
test_other_desks (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPgStore) desk = NULL;
  g_autoptr(PdPgStore) other = NULL;
  g_autoptr(PdPersonaList) list = NULL;

  if (uri == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return;
    }
  desk = pd_pg_store_new (uri, &error);
  g_assert_no_error (error);
  other = pd_pg_store_new (uri, &error);
  g_assert_no_error (error);
  save_email (PD_STORE (desk), "here@example.com");
  list = pd_persona_list_new (PD_STORE (desk), PD_PERSONA_VIEW_ACTIVE);
  g_assert_true (pd_persona_list_refresh (list, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);

  save_email (PD_STORE (other), "there@example.com");
  g_assert_true (wait_for_items (list, 2));
  /* a burst of edits elsewhere: the list catches up with all of them */
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *email = g_strdup_printf ("burst%u@example.com", i);

      save_email (PD_STORE (other), email);
    }
  g_assert_true (wait_for_items (list, 7));

  g_clear_object (&list);
  g_clear_object (&desk);
  g_clear_object (&other);
  pd_test_pg_drop_database (uri);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/persona-list/count-and-items", Fixture, NULL, fixture_setup, test_count_and_items, fixture_teardown);
  g_test_add ("/persona-list/lru", Fixture, NULL, fixture_setup, test_lru, fixture_teardown);
  g_test_add ("/persona-list/search", Fixture, NULL, fixture_setup, test_search, fixture_teardown);
  g_test_add ("/persona-list/sort", Fixture, NULL, fixture_setup, test_sort, fixture_teardown);
  g_test_add ("/persona-list/archived", Fixture, NULL, fixture_setup, test_archived, fixture_teardown);
  g_test_add ("/persona-list/reload", Fixture, NULL, fixture_setup, test_reload, fixture_teardown);
  g_test_add ("/persona-list/reload-newer-wins", Fixture, NULL, fixture_setup, test_reload_newer_wins, fixture_teardown);
  g_test_add ("/persona-list/pages-in-thread", Fixture, NULL, fixture_setup, test_pages_in_thread, fixture_teardown);
  g_test_add ("/persona-list/hold-count", Fixture, NULL, fixture_setup, test_hold_count, fixture_teardown);
  g_test_add ("/persona-list/reload-in-thread", Fixture, NULL, fixture_setup, test_reload_in_thread, fixture_teardown);
  g_test_add_func ("/persona-list/pg/other-desks", test_other_desks);

  return g_test_run ();
}
