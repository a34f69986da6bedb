/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The HTTP API's bulk, orders and predicted-products routes (issue 18)
 * over loopback (pd-test-api.h): a 10,000-customer bulk call whose counts
 * add up and whose import undoes, who may bulk-import (only a token made
 * with --import), malformed bulk JSON, orders and their points, and
 * predictions.  Every answer is checked against docs/api/openapi.yaml. */
#include "config.h"

#include "pd-test-api.h"

#define N_BULK 10000

static guint
count_active (PdStore *store)
{
  g_autoptr(GError) error = NULL;
  PdPersonaQuery query = { .view = PD_PERSONA_VIEW_ACTIVE };
  guint n = pd_store_count_personas (store, &query, &error);

  g_assert_no_error (error);
  return n;
}

static char *
import_token (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  char *token = NULL;

  g_assert_true (pd_store_create_api_token (f->store, "importer", PD_API_TOKEN_IMPORT, NULL, &token, &error));
  g_assert_no_error (error);
  return token;
}

static void
test_bulk (Fixture       *f,
           gconstpointer  data)
{
  NEED_STORE (f);
  g_autofree char *token = import_token (f);
  g_autoptr(GString) body = g_string_new ("{\"action\": \"merge\", \"deduplicationKeys\": [\"email\"], \"customers\": [");
  g_auto(Reply) r = { 0 }, again = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdImportInfo) info = NULL;
  JsonObject *o;
  gint64 inserted, updated, ignored, rejected, import_id;
  gint64 existing = create (f, "{\"emails\": [\"c0@example.com\"], \"first_name\": \"Zero\"}");
  guint before;

  g_assert_cmpint (existing, >, 0);
  /* 10,000 customers: the first matches the persona above, every 1000th
   * has no email, phone or ID (refused, the rest goes on) */
  for (guint i = 0; i < N_BULK; i++)
    {
      if (i > 0)
        g_string_append_c (body, ',');
      if (i % 1000 == 999)
        g_string_append_printf (body, "{\"firstName\": \"Nobody %u\"}", i);
      else
        g_string_append_printf (body, "{\"firstName\": \"C%u\", \"lastName\": \"Bulk\", \"email\": [\"c%u@example.com\"]}",
                                i, i);
    }
  g_string_append (body, "]}");
  before = count_active (f->store);
  g_assert_cmpuint (before, ==, 1);

  call_full (f, "POST", "/customers/bulk", "/customers/bulk", token, body->str, body->len, &r);
  g_assert_cmpuint (r.status, ==, 200);
  o = json_node_get_object (r.body);
  inserted = json_object_get_int_member (o, "insertedCount");
  updated = json_object_get_int_member (o, "updatedCount");
  ignored = json_object_get_int_member (o, "ignoredCount");
  rejected = json_object_get_int_member (o, "rejectedCount");
  import_id = json_object_get_int_member (o, "importId");
  g_test_message ("bulk: %" G_GINT64_FORMAT " inserted, %" G_GINT64_FORMAT " updated, %" G_GINT64_FORMAT
                  " ignored, %" G_GINT64_FORMAT " rejected", inserted, updated, ignored, rejected);
  g_assert_cmpint (inserted + updated + ignored + rejected, ==, N_BULK);
  g_assert_cmpint (updated + ignored, ==, 1);           /* c0 */
  g_assert_cmpint (rejected, ==, N_BULK / 1000);         /* no identifier */
  g_assert_cmpint (rejected, ==, json_array_get_length (json_object_get_array_member (o, "rejectedCustomers")));
  g_assert_cmpint (import_id, >, 0);
  g_assert_cmpuint (count_active (f->store), ==, before + inserted);

  /* kept in the history under the token's name, like a file */
  info = pd_store_get_import (f->store, import_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_nonnull (strstr (info->name, "importer"));
  g_assert_cmpuint (info->imported, ==, inserted);

  /* the same body again is the same file again: refused */
  call_full (f, "POST", "/customers/bulk", "/customers/bulk", token, body->str, body->len, &again);
  g_assert_cmpuint (again.status, ==, 409);

  /* and it undoes as any import: the persona made before it stays */
  g_assert_true (pd_store_undo_import (f->store, import_id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_active (f->store), ==, before);
  {
    g_autoptr(PdPersona) p = pd_store_get_persona (f->store, existing, &error);

    g_assert_no_error (error);
    g_assert_nonnull (p);
  }
}

/* Only an import token may: a read-only token is refused as for any write,
 * a plain (Operator) one by the role table; nothing is imported. */
static void
test_bulk_forbidden (Fixture       *f,
                     gconstpointer  data)
{
  NEED_STORE (f);
  static const char body[] = "{\"customers\": [{\"email\": [\"x@example.com\"]}]}";
  g_auto(Reply) ro = { 0 }, plain = { 0 }, malformed = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) imports = NULL;

  call_full (f, "POST", "/customers/bulk", "/customers/bulk", f->ro_token, body, 0, &ro);
  g_assert_cmpuint (ro.status, ==, 403);
  call_full (f, "POST", "/customers/bulk", "/customers/bulk", f->token, body, 0, &plain);
  g_assert_cmpuint (plain.status, ==, 403);
  g_assert_cmpstr (error_code (&plain), ==, "forbidden");
  /* refused before the body is read: a malformed one is 403 too */
  call_full (f, "POST", "/customers/bulk", "/customers/bulk", f->token, "{", 0, &malformed);
  g_assert_cmpuint (malformed.status, ==, 403);
  imports = pd_store_list_imports (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (imports->len, ==, 0);
  g_assert_cmpuint (count_active (f->store), ==, 0);
}

static void
test_bulk_malformed (Fixture       *f,
                     gconstpointer  data)
{
  NEED_STORE (f);
  g_autofree char *token = import_token (f);
  g_auto(Reply) r = { 0 }, unknown = { 0 }, no_list = { 0 };
  JsonObject *e;

  call_full (f, "POST", "/customers/bulk", "/customers/bulk", token,
             "{\"customers\": [\n  {\"email\": [\"a@example.com\"]},\n  {\"email\": }\n]}", 0, &r);
  g_assert_cmpuint (r.status, ==, 400);
  g_assert_cmpstr (error_code (&r), ==, "invalid");
  e = json_object_get_object_member (json_node_get_object (r.body), "error");
  g_assert_cmpint (json_object_get_int_member (e, "line"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (e, "column"), >, 0);
  /* an unknown customer key names itself */
  call_full (f, "POST", "/customers/bulk", "/customers/bulk", token,
             "{\"customers\": [{\"email\": [\"a@example.com\"], \"shoeSize\": 44}]}", 0, &unknown);
  g_assert_cmpuint (unknown.status, ==, 400);
  g_assert_nonnull (strstr (json_object_get_string_member (
    json_object_get_object_member (json_node_get_object (unknown.body), "error"), "message"), "shoeSize"));
  call_full (f, "POST", "/customers/bulk", "/customers/bulk", token, "{\"people\": []}", 0, &no_list);
  g_assert_cmpuint (no_list.status, ==, 400);
  g_assert_cmpuint (count_active (f->store), ==, 0);
}

static void
post_order (Fixture    *f,
            gint64      id,
            const char *json,
            Reply      *r)
{
  g_autofree char *path = g_strdup_printf ("/personas/%" G_GINT64_FORMAT "/orders", id);

  call (f, "POST", path, "/personas/{id}/orders", json, r);
}

static void
test_orders (Fixture       *f,
             gconstpointer  data)
{
  NEED_STORE (f);
  g_auto(Reply) first = { 0 }, second = { 0 }, list = { 0 }, persona = { 0 }, dup = { 0 }, ro = { 0 };
  g_auto(Reply) missing = { 0 }, bad = { 0 };
  g_autoptr(GError) error = NULL;
  PdLoyaltySettings settings;
  gint64 id = create (f, "{\"emails\": [\"buyer@example.com\"]}");
  g_autofree char *orders = g_strdup_printf ("/personas/%" G_GINT64_FORMAT "/orders", id);
  g_autofree char *get = g_strdup_printf ("/personas/%" G_GINT64_FORMAT, id);
  JsonArray *array;

  /* no rule: no points */
  post_order (f, id, "{\"number\": \"R-1\", \"store\": \"Downtown\", \"time\": \"2026-12-01T10:00:00Z\", "
                     "\"items\": [{\"product\": \"Espresso\", \"quantity\": 5, \"price\": 250}]}", &first);
  g_assert_cmpuint (first.status, ==, 201);
  g_assert_cmpint (member_int (&first, "points"), ==, 0);
  g_assert_cmpint (member_int (&first, "total"), ==, 1250);
  g_assert_cmpint (member_int (&first, "personaId"), ==, id);

  /* 2 points per currency unit: 12.50 earns 25 */
  g_assert_true (pd_store_get_loyalty_settings (f->store, &settings, &error));
  settings.order_points_per_unit = 2;
  g_assert_true (pd_store_set_loyalty_settings (f->store, &settings, &error));
  g_assert_no_error (error);
  post_order (f, id, "{\"number\": \"R-2\", \"store\": \"Downtown\", \"time\": \"2026-12-02T10:00:00Z\", "
                     "\"items\": [{\"product\": \"Espresso\", \"quantity\": 3, \"price\": 250},"
                     " {\"product\": \"Muffin\", \"quantity\": 1, \"price\": 500}]}", &second);
  g_assert_cmpuint (second.status, ==, 201);
  g_assert_cmpint (member_int (&second, "points"), ==, 25);
  call (f, "GET", get, "/personas/{id}", NULL, &persona);
  g_assert_cmpint (member_int (&persona, "points"), ==, 25);

  /* listed newest first, with items */
  call (f, "GET", orders, "/personas/{id}/orders", NULL, &list);
  g_assert_cmpuint (list.status, ==, 200);
  array = json_node_get_array (list.body);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "number"), ==, "R-2");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_array_get_object_element (array, 0),
                                                                         "items")), ==, 2);

  /* the same number at the same store: 409; a read-only token: 403;
   * no such persona: 404; no items: 400 */
  post_order (f, id, "{\"number\": \"R-2\", \"store\": \"Downtown\", "
                     "\"items\": [{\"product\": \"Tea\", \"quantity\": 1, \"price\": 100}]}", &dup);
  g_assert_cmpuint (dup.status, ==, 409);
  call_full (f, "POST", orders, "/personas/{id}/orders", f->ro_token,
             "{\"number\": \"R-3\", \"items\": [{\"product\": \"Tea\", \"quantity\": 1, \"price\": 100}]}", 0, &ro);
  g_assert_cmpuint (ro.status, ==, 403);
  post_order (f, id + 1000, "{\"number\": \"R-4\", \"items\": [{\"product\": \"Tea\", \"quantity\": 1, \"price\": 1}]}",
              &missing);
  g_assert_cmpuint (missing.status, ==, 404);
  post_order (f, id, "{\"number\": \"R-5\", \"items\": []}", &bad);
  g_assert_cmpuint (bad.status, ==, 400);
}

static void
test_predicted (Fixture       *f,
                gconstpointer  data)
{
  NEED_STORE (f);
  g_auto(Reply) none = { 0 }, ranked = { 0 }, one = { 0 }, zero = { 0 };
  g_auto(Reply) o1 = { 0 }, o2 = { 0 }, o3 = { 0 };
  gint64 a = create (f, "{\"emails\": [\"a@example.com\"]}");
  gint64 b = create (f, "{\"emails\": [\"b@example.com\"]}");
  g_autofree char *path = g_strdup_printf ("/personas/%" G_GINT64_FORMAT "/predicted-products", a);
  g_autofree char *path1 = g_strdup_printf ("%s?limit=1", path);
  g_autofree char *path0 = g_strdup_printf ("%s?limit=0", path);
  JsonArray *array;

  call (f, "GET", path, "/personas/{id}/predicted-products", NULL, &none);
  g_assert_cmpuint (none.status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (none.body)), ==, 0);

  /* a buys espresso twice and a muffin once; b, espresso and a croissant */
  post_order (f, a, "{\"number\": \"A-1\", \"time\": \"2026-11-01T10:00:00Z\", "
                    "\"items\": [{\"product\": \"Espresso\", \"quantity\": 1, \"price\": 250}]}", &o1);
  post_order (f, a, "{\"number\": \"A-2\", \"time\": \"2026-11-20T10:00:00Z\", "
                    "\"items\": [{\"product\": \"Espresso\", \"quantity\": 1, \"price\": 250},"
                    " {\"product\": \"Muffin\", \"quantity\": 1, \"price\": 300}]}", &o2);
  post_order (f, b, "{\"number\": \"B-1\", \"time\": \"2026-11-21T10:00:00Z\", "
                    "\"items\": [{\"product\": \"Espresso\", \"quantity\": 1, \"price\": 250},"
                    " {\"product\": \"Croissant\", \"quantity\": 1, \"price\": 200}]}", &o3);
  g_assert_cmpuint (o1.status, ==, 201);
  g_assert_cmpuint (o2.status, ==, 201);
  g_assert_cmpuint (o3.status, ==, 201);

  call (f, "GET", path, "/personas/{id}/predicted-products", NULL, &ranked);
  g_assert_cmpuint (ranked.status, ==, 200);
  array = json_node_get_array (ranked.body);
  g_assert_cmpuint (json_array_get_length (array), >=, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "product"), ==,
                   "Espresso");
  for (guint i = 1; i < json_array_get_length (array); i++)
    g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (array, i - 1), "score"), >=,
                       json_object_get_double_member (json_array_get_object_element (array, i), "score"));

  call (f, "GET", path1, "/personas/{id}/predicted-products", NULL, &one);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (one.body)), ==, 1);
  call (f, "GET", path0, "/personas/{id}/predicted-products", NULL, &zero);
  g_assert_cmpuint (zero.status, ==, 400);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *spec_path = g_getenv ("PD_API_SPEC_JSON");

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (spec_path);
  g_assert_true (json_parser_load_from_file (parser, spec_path, &error));
  g_assert_no_error (error);
  spec = json_node_ref (json_parser_get_root (parser));

  g_test_add ("/api-bulk/bulk", Fixture, NULL, fixture_set_up, test_bulk, fixture_tear_down);
  g_test_add ("/api-bulk/forbidden", Fixture, NULL, fixture_set_up, test_bulk_forbidden, fixture_tear_down);
  g_test_add ("/api-bulk/malformed", Fixture, NULL, fixture_set_up, test_bulk_malformed, fixture_tear_down);
  g_test_add ("/api-bulk/orders", Fixture, NULL, fixture_set_up, test_orders, fixture_tear_down);
  g_test_add ("/api-bulk/predicted", Fixture, NULL, fixture_set_up, test_predicted, fixture_tear_down);
  /* the same on PostgreSQL (issue 19); not the 10,000-customer call yet:
   * row by row it takes longer than the client waits (over 60 s here),
   * until the PostgreSQL batch engine writes it */
  g_test_add ("/api-bulk/pg/forbidden", Fixture, FIXTURE_PG, fixture_set_up, test_bulk_forbidden, fixture_tear_down);
  g_test_add ("/api-bulk/pg/malformed", Fixture, FIXTURE_PG, fixture_set_up, test_bulk_malformed, fixture_tear_down);
  g_test_add ("/api-bulk/pg/orders", Fixture, FIXTURE_PG, fixture_set_up, test_orders, fixture_tear_down);
  g_test_add ("/api-bulk/pg/predicted", Fixture, FIXTURE_PG, fixture_set_up, test_predicted, fixture_tear_down);
  return g_test_run ();
}
