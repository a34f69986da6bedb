/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Listing and searching personas on a database big enough that some
 * searches are "broad" (2,000 matches or more, walked in id order within a
 * time budget) and others narrow (read through an IN list or the UNION):
 * every page of every sort, in both directions, must hold exactly the
 * personas that the documented matching rules select, in the sort's
 * order, and the count must agree.  The expected lists are computed here
 * from the generated personas, not by the store.  Every case runs on
 * SQLite and on PostgreSQL (/store-search/pg/…, skipped without a test
 * server: see pd-test-pg.h); the walk budgets are SQLite's own. */
#include "config.h"

#include <string.h>

#include "pd-pg-store-private.h"
#include "pd-store-batch.h"
#include "pd-sqlite-store-private.h"
#include "pd-test-personas.h"
#include "pd-test-pg.h"

#define N_PERSONAS 4000
#define PAGE 50

typedef enum {
  BACKEND_SQLITE,
  BACKEND_PG,
} Backend;

static const Backend sqlite_backend = BACKEND_SQLITE;
static const Backend pg_backend = BACKEND_PG;

typedef struct {
  char      *dir;
  char      *uri;        /* PostgreSQL: the test's own database */
  PdStore   *store;
  GPtrArray *personas;   /* PdPersona, as saved (ids set) */
} Fixture;

/* The generated population, with most first names changed to "Grace" so
 * that a name prefix is broad, and a few personas archived. */
static PdPersona *
make_persona (guint i)
{
  PdPersona *p = pd_test_make_persona (i);

  if (i % 3 != 0)
    pd_persona_set_value (p, PD_FIELD_FIRST_NAME, "Grace");
  return p;
}

static gboolean
is_archived (guint i)
{
  return i % 50 == 7;
}

static guint
count_search (PdStore    *store,
              const char *search)
{
  g_autoptr(GError) error = NULL;
  PdPersonaQuery query = { .search = search };
  guint n = pd_store_count_personas (store, &query, &error);

  g_assert_no_error (error);
  return n;
}

/* A database made before schema 7 gets the reversed digits of the phones
 * it holds, so the last digits find them too. */
static void
test_last_digits_after_upgrade (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  PdStore *store = pd_test_store_new (&dir);
  g_autoptr(PdPersona) p = pd_persona_new ();
  sqlite3 *db;

  pd_persona_add_phone (p, "+12125551015");
  g_assert_true (pd_store_save_persona (store, p, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_search (store, "1015"), ==, 1);
  g_assert_cmpuint (count_search (store, "555-1015"), ==, 1);
  g_assert_cmpuint (count_search (store, "2015"), ==, 0);
  g_object_unref (store);

  /* back to schema 6 (schema 16's orders, schema 15's API tokens and change times, schema 12's blocklist, schema 11's audit log and index, schema 10's file
   * hashes, schema 9's email opt-outs and schema 8's loyalty tables out first) */
  path = g_build_filename (dir, "personas.db", NULL);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE api_tokens; ALTER TABLE personas DROP COLUMN updated;"
                                     "DROP TABLE IF EXISTS order_items; DROP TABLE IF EXISTS orders;"
                                     "DROP TABLE IF EXISTS import_rows;"
                                     "DROP TABLE IF EXISTS merge_orders;"
                                     "DROP TABLE IF EXISTS blocklist;"
                                     "ALTER TABLE imports DROP COLUMN privacy_removed;"
                                     "DROP TABLE IF EXISTS audit_log;"
                                     "DROP INDEX IF EXISTS personas_sms_pending;"
                                     "DROP INDEX import_files_sha256;"
                                     "ALTER TABLE import_files DROP COLUMN sha256;"
                                     "DROP TABLE email_opt_outs;"
                                     "DROP TABLE settings; DROP TABLE outbox; DROP TABLE consent_contacts;"
                                     "DROP TABLE overrides; DROP INDEX attributes_source_id;"
                                     "ALTER TABLE ledger DROP COLUMN actor;"
                                     "DROP INDEX phones_national_rev;"
                                     "ALTER TABLE phones DROP COLUMN national_rev;"
                                     "PRAGMA user_version = 6;"
                                     /* as a build from before pd_schema left it */
                                     "DROP TABLE pd_schema;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = PD_STORE (pd_sqlite_store_new (path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_search (store, "1015"), ==, 1);
  g_object_unref (store);
  pd_test_remove_dir (dir);
}

/* An empty store on @data's backend, or NULL (the test skips). */
static PdStore *
store_new (gconstpointer   data,
           char          **dir,
           char          **uri)
{
  g_autoptr(GError) error = NULL;
  PdStore *store;

  *uri = NULL;
  if (*(const Backend *) data == BACKEND_SQLITE)
    return pd_test_store_new (dir);
  *dir = g_dir_make_tmp ("pd-store-search-XXXXXX", &error);
  g_assert_no_error (error);
  *uri = pd_test_pg_new_database ();
  if (*uri == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return NULL;
    }
  store = pd_store_open (*uri, &error);
  g_assert_no_error (error);
  return store;
}

static void
store_free (PdStore *store,
            char    *dir,
            char    *uri)
{
  g_clear_object (&store);
  if (uri != NULL)
    pd_test_pg_drop_database (uri);
  if (dir != NULL)
    pd_test_remove_dir (dir);
  g_free (dir);
  g_free (uri);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(PdImportInfo) info = pd_import_info_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;
  gint64 import_id;

  f->store = store_new (data, &f->dir, &f->uri);
  if (f->store == NULL)
    return;
  f->personas = g_ptr_array_new_with_free_func (g_object_unref);
  file = g_build_filename (f->dir, "seed.csv", NULL);
  g_file_set_contents (file, "Email\n", -1, NULL);

  /* one import transaction: thousands of single saves would each sync */
  info->name = g_strdup ("Seed");
  import_id = pd_store_begin_import (f->store, info, file, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_PERSONAS; i++)
    {
      PdPersona *p = make_persona (i);

      g_assert_true (pd_store_import_write (f->store, import_id, p, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (pd_persona_get_id (p), >, 0);
      g_ptr_array_add (f->personas, p);
    }
  info->total = info->imported = N_PERSONAS;
  g_assert_true (pd_store_finish_import (f->store, info, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < N_PERSONAS; i++)
    if (is_archived (i))
      {
        PdPersona *p = g_ptr_array_index (f->personas, i);

        g_assert_true (pd_store_set_archived (f->store, pd_persona_get_id (p), TRUE, &error));
        g_assert_no_error (error);
      }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->personas, g_ptr_array_unref);
  store_free (g_steal_pointer (&f->store), g_steal_pointer (&f->dir), g_steal_pointer (&f->uri));
}

/* The reference rules (pd-store.h, issue 4): a search with '@' is an email
 * prefix; one made of digits and phone punctuation (3 digits or more) is a
 * prefix of the E.164 number, of the national number (also without a
 * trunk 0) or of the external ID; anything else is a prefix of the folded
 * "First Last", of the folded last name, of an email or of the external
 * ID.  "merge:X" is the persona holding email or phone X. */

static const char *
national (const char *e164)
{
  /* the generated phones are all +1 */
  g_assert_true (g_str_has_prefix (e164, "+1"));
  return e164 + 2;
}

static gboolean
any_has_prefix (GPtrArray  *values,
                const char *prefix)
{
  for (guint i = 0; values != NULL && i < values->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (values, i), prefix))
      return TRUE;
  return FALSE;
}

static gboolean
phone_like (const char *s,
            GString    *digits)
{
  for (const char *p = s; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (strchr (" ()+-./", *p) == NULL)
        return FALSE;
    }
  return digits->len >= 3;
}

static gboolean
matches (PdPersona  *p,
         const char *raw)
{
  g_autofree char *s = g_strstrip (g_strdup (raw));
  g_autofree char *lower = g_utf8_strdown (s, -1);
  g_autoptr(GString) digits = g_string_new (NULL);
  GPtrArray *emails = pd_persona_get_emails (p);
  GPtrArray *phones = pd_persona_get_phones (p);
  const char *ext = pd_persona_get_value (p, PD_FIELD_EXTERNAL_ID);

  if (*s == '\0')
    return TRUE;
  if (strchr (s, '@') != NULL)
    return any_has_prefix (emails, lower);
  if (phone_like (s, digits))
    {
      g_autofree char *plus = g_strconcat ("+", digits->str, NULL);

      if (ext != NULL && g_str_has_prefix (ext, s))
        return TRUE;
      for (guint i = 0; phones != NULL && i < phones->len; i++)
        {
          const char *phone = g_ptr_array_index (phones, i);

          if (g_str_has_prefix (phone, plus) || g_str_has_prefix (national (phone), digits->str) ||
              (digits->str[0] == '0' && digits->len > 1 && g_str_has_prefix (national (phone), digits->str + 1)) ||
              /* the last digits, up to 7 (issue 17) */
              (digits->len <= 7 && g_str_has_suffix (national (phone), digits->str)))
            return TRUE;
        }
      return FALSE;
    }
  {
    g_autofree char *key = _pd_sqlite_search_key (s);
    g_autofree char *display = pd_persona_dup_display_name (p);
    g_autofree char *name_key = _pd_sqlite_search_key (display);
    g_autofree char *last_key = _pd_sqlite_search_key (pd_persona_get_value (p, PD_FIELD_LAST_NAME));

    return g_str_has_prefix (name_key, key) || (last_key != NULL && g_str_has_prefix (last_key, key)) ||
           any_has_prefix (emails, lower) || (ext != NULL && g_str_has_prefix (ext, s));
  }
}

static gint64
merge_target (Fixture    *f,
              const char *value)
{
  for (guint i = 0; i < f->personas->len; i++)
    {
      PdPersona *p = g_ptr_array_index (f->personas, i);
      GPtrArray *emails = pd_persona_get_emails (p);
      GPtrArray *phones = pd_persona_get_phones (p);

      for (guint j = 0; emails != NULL && j < emails->len; j++)
        if (g_str_equal (g_ptr_array_index (emails, j), value))
          return pd_persona_get_id (p);
      for (guint j = 0; phones != NULL && j < phones->len; j++)
        if (g_str_equal (g_ptr_array_index (phones, j), value))
          return pd_persona_get_id (p);
    }
  return 0;
}

typedef struct {
  PdPersonaSort sort;
  gboolean      descending;
} Order;

/* SQLite's order: NULL below everything, text by bytes, then id. */
static int
compare_text (const char *a,
              const char *b)
{
  if (a == NULL || b == NULL)
    return (a != NULL) - (b != NULL);
  return strcmp (a, b);
}

static int
compare_personas (gconstpointer a,
                  gconstpointer b,
                  gpointer      data)
{
  PdPersona *pa = *(PdPersona **) a;
  PdPersona *pb = *(PdPersona **) b;
  const Order *order = data;
  int c = 0;

  switch (order->sort)
    {
    case PD_PERSONA_SORT_NAME:
      {
        g_autofree char *da = pd_persona_dup_display_name (pa);
        g_autofree char *db = pd_persona_dup_display_name (pb);
        g_autofree char *ka = _pd_sqlite_search_key (da);
        g_autofree char *kb = _pd_sqlite_search_key (db);

        c = compare_text (ka, kb);
      }
      break;
    case PD_PERSONA_SORT_EMAIL:
      c = compare_text (pd_persona_get_primary_email (pa), pd_persona_get_primary_email (pb));
      break;
    case PD_PERSONA_SORT_PHONE:
      c = compare_text (pd_persona_get_primary_phone (pa), pd_persona_get_primary_phone (pb));
      break;
    case PD_PERSONA_SORT_POINTS:
      c = (pd_persona_get_points (pa) > pd_persona_get_points (pb)) -
          (pd_persona_get_points (pa) < pd_persona_get_points (pb));
      break;
    case PD_PERSONA_SORT_LOYALTY:
      c = (int) pd_persona_get_loyalty (pa) - (int) pd_persona_get_loyalty (pb);
      break;
    case PD_PERSONA_SORT_SOURCE:
      c = compare_text (pd_persona_get_signup_source (pa), pd_persona_get_signup_source (pb));
      break;
    case PD_PERSONA_SORT_ID:
    default:
      break;
    }
  if (c == 0)
    c = (pd_persona_get_id (pa) > pd_persona_get_id (pb)) - (pd_persona_get_id (pa) < pd_persona_get_id (pb));
  return order->descending ? -c : c;
}

/* The ids a query must list, in order. */
static GArray *
expected_ids (Fixture              *f,
              const PdPersonaQuery *query)
{
  g_autoptr(GPtrArray) selected = g_ptr_array_new ();
  Order order = { query->sort, query->descending };
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 merged = -1;

  if (query->search != NULL && g_str_has_prefix (query->search, "merge:"))
    merged = merge_target (f, query->search + 6);
  for (guint i = 0; i < f->personas->len; i++)
    {
      PdPersona *p = g_ptr_array_index (f->personas, i);

      if (is_archived (i) != (query->view == PD_PERSONA_VIEW_ARCHIVED))
        continue;
      if (merged >= 0 ? pd_persona_get_id (p) == merged : matches (p, query->search ? query->search : ""))
        g_ptr_array_add (selected, p);
    }
  g_ptr_array_sort_with_data (selected, compare_personas, &order);
  for (guint i = 0; i < selected->len; i++)
    {
      gint64 id = pd_persona_get_id (g_ptr_array_index (selected, i));

      g_array_append_val (ids, id);
    }
  return ids;
}

static const char *
describe (const PdPersonaQuery *query)
{
  static char text[200];

  g_snprintf (text, sizeof text, "search '%s' view %d sort %d%s", query->search ? query->search : "",
              query->view, query->sort, query->descending ? " desc" : "");
  return text;
}

/* Lists @query page by page (offsets 0, PAGE, ... to the end, as the
 * list model asks) and compares with the reference. */
static void
check_pages (Fixture              *f,
             const PdPersonaQuery *query,
             GArray               *expected)
{
  g_autoptr(GError) error = NULL;
  guint offset = 0;
  guint count;

  for (;;)
    {
      g_autoptr(GPtrArray) page = pd_store_list_personas (f->store, query, offset, PAGE, &error);

      g_assert_no_error (error);
      g_assert_nonnull (page);
      for (guint i = 0; i < page->len; i++)
        {
          gint64 id = pd_persona_get_id (g_ptr_array_index (page, i));

          if (offset + i >= expected->len || g_array_index (expected, gint64, offset + i) != id)
            g_error ("%s: at %u listed %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT " (of %u)",
                     describe (query), offset + i, id,
                     offset + i < expected->len ? g_array_index (expected, gint64, offset + i) : -1,
                     expected->len);
        }
      offset += page->len;
      if (page->len < PAGE)
        break;
    }
  if (offset != expected->len)
    g_error ("%s: listed %u, expected %u", describe (query), offset, expected->len);

  count = pd_store_count_personas (f->store, query, &error);
  g_assert_no_error (error);
  if (count != expected->len)
    g_error ("%s: counted %u, expected %u", describe (query), count, expected->len);
}

/* Pages asked out of order (the view scrolled back, or jumped): the
 * remembered cursor of the last page must not be reused wrongly. */
static void
check_jumps (Fixture              *f,
             const PdPersonaQuery *query,
             GArray               *expected)
{
  static const guint offsets[] = { 0, 2 * PAGE, PAGE, 3 * PAGE + 7, 3 * PAGE + 7, 20 * PAGE, 5, 41 * PAGE };
  g_autoptr(GError) error = NULL;

  for (guint k = 0; k < G_N_ELEMENTS (offsets); k++)
    {
      g_autoptr(GPtrArray) page = pd_store_list_personas (f->store, query, offsets[k], PAGE, &error);
      guint want = offsets[k] < expected->len ? MIN (PAGE, expected->len - offsets[k]) : 0;

      g_assert_no_error (error);
      if (page->len != want)
        g_error ("%s: page at %u has %u, expected %u", describe (query), offsets[k], page->len, want);
      for (guint i = 0; i < page->len; i++)
        if (g_array_index (expected, gint64, offsets[k] + i) != pd_persona_get_id (g_ptr_array_index (page, i)))
          g_error ("%s: jump to %u: wrong id at %u", describe (query), offsets[k], offsets[k] + i);
    }
}

/* broad: 2,000 matches or more of 4,000; narrow; none */
static const char * const searches[] = {
  NULL,
  "gra",               /* broad name prefix ("Grace ...") */
  "Grace Hop",         /* first and last name together */
  "hop",               /* last name prefix */
  "202",               /* broad phone digits prefix */
  "(202) 555-01",      /* narrow, formatted */
  "+1 202 555 0142",   /* one number */
  "0142",              /* the last digits of a phone */
  "142",               /* last three digits (and a prefix of none) */
  "p12@",              /* narrow email */
  "P1",                /* email prefix without '@', other case */
  "p",                 /* broad email prefix (every p<i>@) */
  "c0001",             /* external ID prefix, other case: no match */
  "C0001",             /* external ID prefix: 100 */
  "C000",              /* external ID prefix: 1,000 */
  "C00",               /* external ID prefix: broad */
  "C000042",           /* one external ID */
  "zzzz",              /* no match */
  "merge:p42@example.com",
  "merge:+12025550100",
  "merge:nobody@example.com",
};

static void
check_all_orders (Fixture    *f,
                  const char *search,
                  gboolean    jumps)
{
  for (PdPersonaSort sort = PD_PERSONA_SORT_ID; sort <= PD_PERSONA_SORT_SOURCE; sort++)
    for (int desc = 0; desc < 2; desc++)
      {
        PdPersonaQuery query = { PD_PERSONA_VIEW_ACTIVE, search, 0, sort, desc };
        g_autoptr(GArray) expected = expected_ids (f, &query);

        check_pages (f, &query, expected);
        if (jumps)
          check_jumps (f, &query, expected);
      }
}

static void
test_every_order (Fixture       *f,
                  gconstpointer  data)
{
  if (f->store == NULL)
    return;
  guint broad = 0;

  for (guint s = 0; s < G_N_ELEMENTS (searches); s++)
    {
      PdPersonaQuery query = { PD_PERSONA_VIEW_ACTIVE, searches[s], 0, PD_PERSONA_SORT_ID, FALSE };
      g_autoptr(GArray) expected = expected_ids (f, &query);

      g_test_message ("'%s': %u matches", searches[s] ? searches[s] : "", expected->len);
      if (expected->len >= 2000)
        broad++;
      check_all_orders (f, searches[s], s < 5);
    }
  /* the fixture does exercise both kinds */
  g_assert_cmpuint (broad, >=, 5);
}

/* The archived view, searched the same ways. */
static void
test_archived (Fixture       *f,
               gconstpointer  data)
{
  if (f->store == NULL)
    return;
  for (guint s = 0; s < G_N_ELEMENTS (searches); s++)
    for (PdPersonaSort sort = PD_PERSONA_SORT_ID; sort <= PD_PERSONA_SORT_NAME; sort++)
      for (int desc = 0; desc < 2; desc++)
        {
          PdPersonaQuery query = { PD_PERSONA_VIEW_ARCHIVED, searches[s], 0, sort, desc };
          g_autoptr(GArray) expected = expected_ids (f, &query);

          check_pages (f, &query, expected);
        }
}

/* The expected ids of @query without @gone (archived since). */
static GArray *
expected_without (Fixture              *f,
                  const PdPersonaQuery *query,
                  GArray               *gone)
{
  GArray *ids = expected_ids (f, query);

  for (guint g = 0; g < gone->len; g++)
    for (guint i = 0; i < ids->len; i++)
      if (g_array_index (ids, gint64, i) == g_array_index (gone, gint64, g))
        {
          g_array_remove_index (ids, i);
          break;
        }
  return ids;
}

/* The far pages and the count of the whole list, right after a write of
 * this connection or of another (PostgreSQL: both kept until a commit is
 * notified, pd-pg-store-counts.c; @wait: allow the other's a moment). */
static void
check_after_write (Fixture *f,
                   GArray  *gone,
                   gboolean wait)
{
  static const PdPersonaSort sorts[] = { PD_PERSONA_SORT_NAME, PD_PERSONA_SORT_ID, PD_PERSONA_SORT_EMAIL };
  PdPersonaQuery all = { PD_PERSONA_VIEW_ACTIVE };
  g_autoptr(GArray) expected = expected_without (f, &all, gone);
  g_autoptr(GError) error = NULL;
  gint64 until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  /* another desk's commit reaches this connection a moment later */
  while (wait && pd_store_count_personas (f->store, &all, NULL) != expected->len &&
         g_get_monotonic_time () < until)
    g_usleep (20000);
  g_assert_cmpuint (pd_store_count_personas (f->store, &all, &error), ==, expected->len);
  g_assert_no_error (error);
  for (guint s = 0; s < G_N_ELEMENTS (sorts); s++)
    for (int desc = 0; desc < 2; desc++)
      {
        PdPersonaQuery query = { PD_PERSONA_VIEW_ACTIVE, NULL, 0, sorts[s], desc };
        g_autoptr(GArray) ids = expected_without (f, &query, gone);

        check_jumps (f, &query, ids);
      }
}

static void
test_after_writes (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) other = NULL;
  g_autoptr(GArray) gone = g_array_new (FALSE, FALSE, sizeof (gint64));
  PdPersonaQuery by_name = { PD_PERSONA_VIEW_ACTIVE, NULL, 0, PD_PERSONA_SORT_NAME, FALSE };
  g_autoptr(GArray) names = NULL;
  gint64 id;

  if (f->store == NULL)
    return;
  /* the counts and far pages read (and kept) before the writes */
  check_after_write (f, gone, FALSE);

  /* this connection: a new persona first by name shifts every page */
  {
    PdPersona *p = pd_persona_new ();

    pd_persona_set_value (p, PD_FIELD_FIRST_NAME, "Aaron");
    pd_persona_set_value (p, PD_FIELD_LAST_NAME, "Aardvark");
    pd_persona_add_email (p, "aaron@aardvark.example");
    pd_store_save_persona (f->store, p, PD_SOURCE_MANUAL, &error);
    g_assert_no_error (error);
    g_ptr_array_add (f->personas, p);
  }
  check_after_write (f, gone, FALSE);

  /* another connection (desk): the second persona by name archived, and
   * one in the middle of the id order */
  other = pd_store_open_another (f->store, &error);
  g_assert_no_error (error);
  names = expected_ids (f, &by_name);
  id = g_array_index (names, gint64, 1);
  g_assert_true (pd_store_set_archived (other, id, TRUE, &error));
  g_assert_no_error (error);
  g_array_append_val (gone, id);
  check_after_write (f, gone, FALSE);
  id = pd_persona_get_id (g_ptr_array_index (f->personas, N_PERSONAS / 2 + 1));
  g_assert_true (pd_store_set_archived (other, id, TRUE, &error));
  g_assert_no_error (error);
  g_array_append_val (gone, id);
  check_after_write (f, gone, FALSE);
}

/* A broad search in id order with budgets from none at all (the IN list at
 * once) to unlimited (the walk always finishes), and in between, where the
 * walk is cut short at any point of a page. */
static void
test_walk_budgets (Fixture       *f,
                   gconstpointer  data)
{
  if (f->store == NULL)
    return;
  static const gint64 budgets[] = { 1, 100, 400, G_MAXINT32 };
  PdSqliteStore *store = PD_SQLITE_STORE (f->store);

  /* the default (20,000 matches) is more than this database holds */
  _pd_sqlite_store_set_walk_min_matches (store, 1000);
  for (guint b = 0; b < G_N_ELEMENTS (budgets); b++)
    {
      guint fallbacks = _pd_sqlite_store_get_walk_fallbacks (store);

      _pd_sqlite_store_set_walk_budget (store, budgets[b]);
      for (guint s = 0; s < G_N_ELEMENTS (searches); s++)
        for (int desc = 0; desc < 2; desc++)
          {
            PdPersonaQuery query = { PD_PERSONA_VIEW_ACTIVE, searches[s], 0, PD_PERSONA_SORT_ID, desc };
            g_autoptr(GArray) expected = expected_ids (f, &query);

            /* narrow searches never walk (every-order lists them) */
            if (expected->len < 1000)
              continue;
            check_pages (f, &query, expected);
            check_jumps (f, &query, expected);
          }
      g_test_message ("budget %" G_GINT64_FORMAT " µs: %u fallbacks", budgets[b],
                      _pd_sqlite_store_get_walk_fallbacks (store) - fallbacks);
      if (budgets[b] == 1)
        g_assert_cmpuint (_pd_sqlite_store_get_walk_fallbacks (store), >, fallbacks);
      else if (budgets[b] == G_MAXINT32)
        g_assert_cmpuint (_pd_sqlite_store_get_walk_fallbacks (store), ==, fallbacks);
    }
  _pd_sqlite_store_set_walk_budget (store, 0);
  _pd_sqlite_store_set_walk_min_matches (store, 0);
}

/* Matches far into the table (a file's rows imported together match
 * together): the first page goes to the IN list at once, without a walk
 * through thousands of personas that do not match.  With a walk budget
 * of 1 µs, a walk would have fallen back; none did, and the page is
 * right. */
static void
test_clustered_matches (gconstpointer data)
{
  g_autoptr(PdImportInfo) info = pd_import_info_new ();
  g_autoptr(GPtrArray) personas = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  char *dir = NULL;
  char *uri = NULL;
  g_autofree char *file = NULL;
  PdStore *store = store_new (data, &dir, &uri);
  PdPersonaQuery query = { PD_PERSONA_VIEW_ACTIVE, "Zeddicus", 0, PD_PERSONA_SORT_ID, FALSE };
  const guint n = 7000, first_match = 4500;
  gint64 import_id;
  guint fallbacks = 0;
  gboolean sqlite = *(const Backend *) data == BACKEND_SQLITE;

  if (store == NULL)
    {
      store_free (store, dir, uri);
      return;
    }
  file = g_build_filename (dir, "seed.csv", NULL);
  g_file_set_contents (file, "Email\n", -1, NULL);
  info->name = g_strdup ("Seed");
  import_id = pd_store_begin_import (store, info, file, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      PdPersona *p = pd_test_make_persona (i);

      if (i >= first_match)
        pd_persona_set_value (p, PD_FIELD_LAST_NAME, "Zeddicus");
      g_assert_true (pd_store_import_write (store, import_id, p, NULL, NULL, &error));
      g_assert_no_error (error);
      g_ptr_array_add (personas, p);
    }
  info->total = info->imported = n;
  g_assert_true (pd_store_finish_import (store, info, &error));
  g_assert_no_error (error);

  if (sqlite)
    {
      _pd_sqlite_store_set_walk_budget (PD_SQLITE_STORE (store), 1);
      /* 2,500 matches: enough to walk, were they not so far in */
      _pd_sqlite_store_set_walk_min_matches (PD_SQLITE_STORE (store), 2000);
      fallbacks = _pd_sqlite_store_get_walk_fallbacks (PD_SQLITE_STORE (store));
    }
  page = pd_store_list_personas (store, &query, 0, PAGE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, PAGE);
  for (guint i = 0; i < PAGE; i++)
    g_assert_cmpint (pd_persona_get_id (g_ptr_array_index (page, i)), ==,
                     pd_persona_get_id (g_ptr_array_index (personas, first_match + i)));
  if (sqlite)
    g_assert_cmpuint (_pd_sqlite_store_get_walk_fallbacks (PD_SQLITE_STORE (store)), ==, fallbacks);

  store_free (store, dir, uri);
}

/* Personas whose phones all match a search come once each, in id order,
 * however many of their phones match: with three, the rows of the sorted
 * look-up (twice the page) run out before the page is full. */
static void
test_matched_several_times (gconstpointer data)
{
  char *dir = NULL;
  char *uri = NULL;
  PdStore *store = store_new (data, &dir, &uri);
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  const guint n = 240;

  if (store == NULL)
    {
      store_free (store, dir, uri);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PdPersona) p = pd_persona_new ();
      g_autofree char *email = g_strdup_printf ("twice%u@example.com", i);
      gint64 id;

      pd_persona_add_email (p, email);
      /* three phones for the first half, two for the rest */
      for (guint k = 0; k < (i < n / 2 ? 3u : 2u); k++)
        {
          g_autofree char *phone = g_strdup_printf ("+1303%u55%04u", 5 + k, i);

          pd_persona_add_phone (p, phone);
        }
      g_assert_true (pd_store_save_persona (store, p, PD_SOURCE_MANUAL, &error));
      g_assert_no_error (error);
      id = pd_persona_get_id (p);
      g_array_append_val (all, id);
    }

  for (int descending = 0; descending <= 1; descending++)
    for (guint offset = 0; offset < n; offset += PAGE)
      {
        PdPersonaQuery query = { PD_PERSONA_VIEW_ACTIVE, "(303)", 0, PD_PERSONA_SORT_ID, descending };
        g_autoptr(GPtrArray) page = pd_store_list_personas (store, &query, offset, PAGE, &error);

        g_assert_no_error (error);
        g_assert_cmpuint (page->len, ==, MIN (PAGE, n - offset));
        for (guint i = 0; i < page->len; i++)
          {
            guint rank = offset + i;

            g_assert_cmpint (pd_persona_get_id (g_ptr_array_index (page, i)), ==,
                             g_array_index (all, gint64, descending ? n - 1 - rank : rank));
          }
      }
  store_free (store, dir, uri);
}

/* A broad phone search whose matches lie far into the table (a file
 * imported in phone order: "720 26" matches personas 1,000 to 2,399 of
 * 3,400, past the 300 ids a walk may pass here), in both id orders:
 * PostgreSQL reads its national numbers' pages by id bucket (schema 17,
 * 1,024 ids a bucket, so the matches cross two bucket boundaries).  Some
 * match twice (two phones), some are archived (they must not use up the
 * page), one earlier persona matches by its external ID only; every page
 * and the count are the reference rules' (expected_ids()). */
static void
test_far_phone_matches (gconstpointer data)
{
  Fixture fx = { 0 };
  Fixture *f = &fx;
  g_autoptr(PdImportInfo) info = pd_import_info_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;
  const guint n = 3400, first = 1000, last = 2399;
  g_autofree PdImportWrite *writes = NULL;
  guint walks = _pd_pg_store_get_bucket_walks ();
  gint64 import_id;

  f->store = store_new (data, &f->dir, &f->uri);
  if (f->store == NULL)
    {
      fixture_teardown (f, NULL);
      return;
    }
  f->personas = g_ptr_array_new_with_free_func (g_object_unref);
  file = g_build_filename (f->dir, "seed.csv", NULL);
  g_file_set_contents (file, "Email\n", -1, NULL);
  info->name = g_strdup ("Seed");
  import_id = pd_store_begin_import (f->store, info, file, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      PdPersona *p = pd_persona_new ();
      g_autofree char *phone = g_strdup_printf (i >= first && i <= last ? "+172026%05u" : "+1303555%04u", i);

      pd_persona_set_value (p, PD_FIELD_FIRST_NAME, "Far");
      pd_persona_add_phone (p, phone);
      if (i >= first && i <= last && i % 7 == 0)
        {
          g_autofree char *second = g_strdup_printf ("+1720269%04u", i);

          pd_persona_add_phone (p, second);
        }
      if (i == 40)
        pd_persona_set_value (p, PD_FIELD_EXTERNAL_ID, "720 26-A");
      g_ptr_array_add (f->personas, p);
    }
  /* in one call (one at a time took a minute on PostgreSQL under load) */
  writes = g_new0 (PdImportWrite, n);
  for (guint i = 0; i < n; i++)
    writes[i].persona = g_ptr_array_index (f->personas, i);
  g_assert_true (pd_store_import_write_batch (f->store, import_id, writes, n, NULL, FALSE, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    g_assert_no_error (writes[i].error);
  info->total = info->imported = n;
  g_assert_true (pd_store_finish_import (f->store, info, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    if (is_archived (i))
      {
        g_assert_true (pd_store_set_archived (f->store, pd_persona_get_id (g_ptr_array_index (f->personas, i)),
                                              TRUE, &error));
        g_assert_no_error (error);
      }

  for (int descending = 0; descending <= 1; descending++)
    for (guint k = 0; k < 2; k++)
      {
        PdPersonaQuery query = { k == 0 ? PD_PERSONA_VIEW_ACTIVE : PD_PERSONA_VIEW_ARCHIVED, "720 26", 0,
                                 PD_PERSONA_SORT_ID, descending };
        g_autoptr(GArray) expected = expected_ids (f, &query);

        g_assert_cmpuint (expected->len, >, k == 0 ? 1000u : 20u);
        check_pages (f, &query, expected);
      }
  if (*(const Backend *) data == BACKEND_PG)
    g_assert_cmpuint (_pd_pg_store_get_bucket_walks (), >, walks);
  fixture_teardown (f, NULL);
}

/* Imports @n personas from @first in one import: some with a phone only
 * (i % 5 == 1), some with an email only (i % 5 == 2, and a few more from
 * pd_test_make_persona()). */
static gint64
import_contacts (Fixture *f,
                 guint    first,
                 guint    n)
{
  g_autoptr(PdImportInfo) info = pd_import_info_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (f->dir, "contacts.csv", NULL);
  gint64 id;

  g_file_set_contents (file, "Email\n", -1, NULL);
  info->name = g_strdup ("Contacts");
  id = pd_store_begin_import (f->store, info, file, &error);
  g_assert_no_error (error);
  for (guint i = first; i < first + n; i++)
    {
      PdPersona *p;

      if (i % 5 == 1)
        {
          g_autofree char *phone = g_strdup_printf ("+1917555%04u", i);

          p = pd_persona_new ();
          pd_persona_set_value (p, PD_FIELD_FIRST_NAME, "Phoneonly");
          pd_persona_add_phone (p, phone);
        }
      else if (i % 5 == 2)
        {
          g_autofree char *email = g_strdup_printf ("emailonly%u@example.org", i);

          p = pd_persona_new ();
          pd_persona_set_value (p, PD_FIELD_LAST_NAME, "Emailonly");
          pd_persona_add_email (p, email);
        }
      else
        p = pd_test_make_persona (i);
      g_assert_true (pd_store_import_write (f->store, id, p, NULL, NULL, &error));
      g_assert_no_error (error);
      g_ptr_array_add (f->personas, p);
    }
  info->total = info->imported = n;
  g_assert_true (pd_store_finish_import (f->store, info, &error));
  g_assert_no_error (error);
  return id;
}

/* The active list's email and phone orders come from the emails and
 * phones tables' indexes (contact_order_sql()): personas without an email
 * or a phone are listed first (ascending) or last, in id order, and an
 * import's audience in those orders holds its personas only. */
static void
test_contact_orders (gconstpointer data)
{
  Fixture fx = { 0 };
  Fixture *f = &fx;
  gint64 second;
  guint n_no_email = 0, n_no_phone = 0;

  f->store = store_new (data, &f->dir, &f->uri);
  if (f->store == NULL)
    {
      fixture_teardown (f, NULL);
      return;
    }
  f->personas = g_ptr_array_new_with_free_func (g_object_unref);
  import_contacts (f, 0, 250);
  second = import_contacts (f, 250, 160);

  for (guint i = 0; i < f->personas->len; i++)
    {
      PdPersona *p = g_ptr_array_index (f->personas, i);

      n_no_email += pd_persona_get_primary_email (p) == NULL;
      n_no_phone += pd_persona_get_primary_phone (p) == NULL;
    }
  /* more than a page of each, so that pages start inside them */
  g_assert_cmpuint (n_no_email, >, PAGE);
  g_assert_cmpuint (n_no_phone, >, PAGE);

  for (guint k = 0; k < 8; k++)
    {
      PdPersonaQuery query = { PD_PERSONA_VIEW_ACTIVE, NULL, (k & 4) ? second : 0,
                               (k & 1) ? PD_PERSONA_SORT_PHONE : PD_PERSONA_SORT_EMAIL, (k & 2) != 0 };
      Order order = { query.sort, query.descending };
      g_autoptr(GPtrArray) selected = g_ptr_array_new ();
      g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (gint64));

      for (guint i = 0; i < f->personas->len; i++)
        if (query.import_id == 0 || i >= 250)
          g_ptr_array_add (selected, g_ptr_array_index (f->personas, i));
      g_ptr_array_sort_with_data (selected, compare_personas, &order);
      for (guint i = 0; i < selected->len; i++)
        {
          gint64 id = pd_persona_get_id (g_ptr_array_index (selected, i));

          g_array_append_val (expected, id);
        }
      check_pages (f, &query, expected);
    }
  fixture_teardown (f, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* PostgreSQL's far pages seek from a landmark every 1,000 personas:
   * here every 120 (not a multiple of a page), so that the pages of every
   * order start from them */
  _pd_pg_store_set_landmark_step (120);
  /* and a broad search in id order whose matches the probe meets past
   * the first 300 ids (of 4,000; 50,000 of a million) collects them */
  _pd_pg_store_set_far_walk (300);

  for (guint b = 0; b < 2; b++)
    {
      const Backend *backend = b == 0 ? &sqlite_backend : &pg_backend;
      const char *name = b == 0 ? "sqlite" : "pg";
      g_autofree char *every_order = g_strdup_printf ("/store-search/%s/every-order", name);
      g_autofree char *archived = g_strdup_printf ("/store-search/%s/archived", name);
      g_autofree char *clustered = g_strdup_printf ("/store-search/%s/clustered-matches", name);
      g_autofree char *several = g_strdup_printf ("/store-search/%s/matched-several-times", name);
      g_autofree char *contact = g_strdup_printf ("/store-search/%s/contact-orders", name);
      g_autofree char *after_writes = g_strdup_printf ("/store-search/%s/after-writes", name);
      g_autofree char *far_phones = g_strdup_printf ("/store-search/%s/far-phone-matches", name);

      g_test_add (every_order, Fixture, backend, fixture_setup, test_every_order, fixture_teardown);
      g_test_add (archived, Fixture, backend, fixture_setup, test_archived, fixture_teardown);
      if (b == 0)
        g_test_add ("/store-search/sqlite/walk-budgets", Fixture, backend, fixture_setup,
                    test_walk_budgets, fixture_teardown);
      g_test_add_data_func (clustered, backend, test_clustered_matches);
      g_test_add_data_func (several, backend, test_matched_several_times);
      g_test_add_data_func (contact, backend, test_contact_orders);
      g_test_add (after_writes, Fixture, backend, fixture_setup, test_after_writes, fixture_teardown);
      g_test_add_data_func (far_phones, backend, test_far_phone_matches);
    }
  /* an upgrade of an older SQLite database */
  g_test_add_func ("/store-search/sqlite/last-digits-after-upgrade", test_last_digits_after_upgrade);
  return g_test_run ();
}
