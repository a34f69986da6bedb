/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The bulk, orders and predict commands on the real program: bulk's
 * result object and exit codes (2 for a body that is not a bulk call, 3
 * for the same body again), a .json file through import, orders with the
 * earning rule set by config, the search by order number, predict, and
 * --help. */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "pd-temp.h"
#include "pd-test-cli.h"
#include "pd-test-pg.h"

static char *dir;
static char *db;          /* the database of the case running */
static char *dbs[2];      /* SQLite's file; PostgreSQL's URI (NULL: no server) */

/* Each case runs on the store its data says (0: SQLite, 1: PostgreSQL);
 * FALSE when it must skip. */
static gboolean
use_store (gconstpointer data)
{
  db = dbs[GPOINTER_TO_INT (data)];
  if (db == NULL)
    g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
  return db != NULL;
}

static int
run_cli (char      **out,
         char      **err,
         const char *first,
         ...)
{
  va_list ap;
  int status;

  va_start (ap, first);
  status = pd_test_cli_run_valist (db, out, err, first, ap);
  va_end (ap);
  return status;
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

static void
test_bulk (gconstpointer data)
{
  g_autofree char *body = pd_test_cli_write_file (dir, "body.json",
    "{\"action\": \"merge\", \"deduplicationKeys\": [\"email\", \"phoneNumber\"], \"customers\": ["
    "{\"firstName\": \"Ann\", \"email\": [\"ann@example.com\"], \"phoneNumber\": [\"202-555-0143\"]},"
    "{\"firstName\": \"Bob\", \"email\": \"bob@example.com\"},"
    "{\"firstName\": \"Nobody\", \"email\": \"nobody\"}]}");
  g_autofree char *unknown = pd_test_cli_write_file (dir, "unknown.json",
    "{\"customers\": [{\"email\": \"c@example.com\", \"shoeSize\": 9}]}");
  g_autofree char *broken = pd_test_cli_write_file (dir, "broken.json", "{\"customers\": [\n{]}");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *result;

  if (!use_store (data))
    return;

  g_assert_cmpint (run_cli (&out, &err, "bulk", body, "--json", NULL), ==, 0);
  node = parse (out);
  result = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (result, "insertedCount"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (result, "updatedCount"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (result, "ignoredCount"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (result, "rejectedCount"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (result, "rejectedCustomers")), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* the same body again is the same file again */
  g_assert_cmpint (run_cli (&out, &err, "bulk", body, NULL), ==, 3);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&out, &err, "bulk", unknown, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "shoeSize"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "bulk", broken, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "line 2, column 2"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "bulk", body, "--max-body", "10", NULL), ==, 2);
}

static void
test_import_json (gconstpointer data)
{
  g_autofree char *path = pd_test_cli_write_file (dir, "list.json",
    "[{\"firstName\": \"Cy\", \"email\": \"cy@example.com\"}]");
  g_autofree char *out = NULL, *err = NULL;

  if (!use_store (data))
    return;

  g_assert_cmpint (run_cli (&out, &err, "import", path, "--accept-terms", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "show", "--email", "cy@example.com", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Cy"));
}

static void
test_orders (gconstpointer data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (!use_store (data))
    return;

  g_assert_cmpint (run_cli (&out, &err, "config", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "order-points-per-unit = 0"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "config", "order-points-per-unit", "3", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "config", "order-points-per-unit", "lots", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* 2 × 3.50 + 2.75 = 9.75 at 3 points per unit: 29 */
  g_assert_cmpint (run_cli (&out, &err, "orders", "add", "1", "--number", "RCPT-42", "--store", "Downtown",
                            "--time", "2026-03-01T10:00:00Z", "--item", "Coffee:2:350", "--item", "Bagel:1:275",
                            "--json", NULL), ==, 0);
  node = parse (out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "points"), ==, 29);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "total"), ==, 975);
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "orders", "add", "1", "--number", "RCPT-42", "--store", "Downtown",
                            "--item", "Coffee:1:350", NULL), ==, 1);   /* a conflict, not bad input */
  g_assert_nonnull (strstr (err, "added before"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "orders", "add", "1", "--number", "X", "--item", "Coffee", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&out, &err, "orders", "list", "1", "--json", NULL), ==, 0);
  node = parse (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 1);
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&out, &err, "points", "timeline", "1", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "RCPT-42"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* the search by order number is SQLite's only so far */
  if (db == dbs[1])
    return;
  g_assert_cmpint (run_cli (&out, &err, "export", "--search", "RCPT-42", "--format", "json", NULL), ==, 0);
  node = parse (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (json_node_get_array (node), 0),
                                               "id"), ==, 1);
}

static void
test_predict (gconstpointer data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *products;

  if (!use_store (data))
    return;

  g_assert_cmpint (run_cli (&out, &err, "orders", "add", "2", "--number", "RCPT-43",
                            "--item", "Coffee:1:350", "--item", "Milk:1:120", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "predict", "1", "--json", NULL), ==, 0);
  node = parse (out);
  products = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (products), ==, 3);
  /* bought on its one order, tied (by name); then what the other buyer of coffee bought */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (products, 0), "product"), ==,
                   "Bagel");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (products, 1), "product"), ==,
                   "Coffee");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (products, 2), "product"), ==,
                   "Milk");
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (products, 2), "bought"));
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* no orders: an empty list */
  g_assert_cmpint (run_cli (&out, &err, "predict", "3", "--json", "--limit", "5", NULL), ==, 0);
  node = parse (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 0);
}

static void
test_help (void)
{
  const char * const commands[][2] = {
    { "bulk", NULL }, { "orders", NULL }, { "orders", "add" }, { "orders", "list" }, { "predict", NULL },
  };

  db = dbs[0];

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *out = NULL, *err = NULL;

      if (commands[i][1] != NULL)
        g_assert_cmpint (run_cli (&out, &err, commands[i][0], commands[i][1], "--help", NULL), ==, 0);
      else
        g_assert_cmpint (run_cli (&out, &err, commands[i][0], "--help", NULL), ==, 0);
      g_assert_nonnull (strstr (out, "Usage"));
    }
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  if (!pd_test_cli_set_up ("cli-orders", &dir, &db))
    return g_test_run ();

  dbs[0] = db;
  dbs[1] = pd_test_pg_new_database ();
  /* in order: each builds on the database the previous one left */
  for (guint b = 0; b < 2; b++)
    {
      const char *store = b ? "pg" : "sqlite";
      g_autofree char *bulk = g_strdup_printf ("/cli-orders/%s/bulk", store);
      g_autofree char *import_json = g_strdup_printf ("/cli-orders/%s/import-json", store);
      g_autofree char *orders = g_strdup_printf ("/cli-orders/%s/orders", store);
      g_autofree char *predict = g_strdup_printf ("/cli-orders/%s/predict", store);

      g_test_add_data_func (bulk, GINT_TO_POINTER (b), test_bulk);
      g_test_add_data_func (import_json, GINT_TO_POINTER (b), test_import_json);
      g_test_add_data_func (orders, GINT_TO_POINTER (b), test_orders);
      g_test_add_data_func (predict, GINT_TO_POINTER (b), test_predict);
    }
  g_test_add_func ("/cli-orders/help", test_help);
  ret = g_test_run ();
  if (dbs[1] != NULL)
    pd_test_pg_drop_database (dbs[1]);
  g_free (dbs[1]);
  db = dbs[0];
  pd_temp_remove_dir (dir);
  return ret;
}
