/* SPDX-License-Identifier: GPL-3.0-or-later */
/* merge and unmerge on the real program: the plan (--dry-run, --json,
 * --keep), exit 2 with the reason for bad input and nothing written,
 * `show` of a merged-away ID leading to the survivor, unmerge. */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "pd-temp.h"
#include "pd-test-cli.h"
#include "pd-test-pg.h"

static char *dir;
static char *db;
static char *pg_db;   /* the same commands on PostgreSQL (issue 19), or NULL */

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

static JsonObject *
parse_object (const char *text,
              JsonNode  **node)
{
  g_autoptr(GError) error = NULL;

  *node = json_from_string (text, &error);
  g_assert_no_error (error);
  return json_node_get_object (*node);
}

static void
test_setup_import (void)
{
  g_autofree char *path = pd_test_cli_write_file (dir, "people.csv",
                                                  "First Name,Last Name,Email,Phone,Points,City\r\n"
                                                  "Ann,Lee,ann@example.com,202-555-0143,10,\r\n"
                                                  "Annie,Li,annie@example.com,202-555-0199,5,Boston\r\n"
                                                  "Cat,Sun,cat@example.com,,3,Paris\r\n");
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run_cli (&out, &err, "import", path, "--accept-terms", NULL), ==, 0);
}

static void
test_bad_input (void)
{
  static const char * const cases[][4] = {
    { "1", NULL },                 /* one persona only */
    { "1", "1", NULL },            /* the same twice */
    { "1", "99", NULL },           /* unknown */
    { "1", "x", NULL },            /* not an ID */
    { "1", "2", "--keep", "web=2" },   /* a field where they agree */
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree char *out = NULL, *err = NULL, *show = NULL;
      int status = run_cli (&out, &err, "merge", cases[c][0], cases[c][1], cases[c][2], cases[c][3], NULL);

      g_assert_cmpint (status, ==, 2);
      g_assert_nonnull (strstr (err, "persona-desk-cli merge: "));
      g_assert_cmpint (run_cli (&show, NULL, "show", "--id", "2", NULL), ==, 0);
      g_assert_nonnull (strstr (show, "annie@example.com"));
      g_assert_null (strstr (show, "\"merges\""));
    }
}

static void
test_dry_run_json (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *plan;
  JsonArray *fields;
  gboolean saw_city = FALSE;

  g_assert_cmpint (run_cli (&out, &err, "merge", "1", "2", "--dry-run", "--json", "--keep", "last_name=2", NULL),
                   ==, 0);
  plan = parse_object (out, &node);
  g_assert_cmpint (json_object_get_int_member (plan, "survivor"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (plan, "points"), ==, 15);
  fields = json_object_get_array_member (plan, "fields");
  for (guint i = 0; i < json_array_get_length (fields); i++)
    {
      JsonObject *field = json_array_get_object_element (fields, i);
      const char *key = json_object_get_string_member (field, "field");

      if (g_str_equal (key, "city"))
        {
          saw_city = TRUE;
          g_assert_cmpint (json_object_get_int_member (field, "kept"), ==, 2);
        }
      if (g_str_equal (key, "last_name"))
        {
          g_assert_cmpint (json_object_get_int_member (field, "rule_keeps"), ==, 1);
          g_assert_cmpint (json_object_get_int_member (field, "kept"), ==, 2);
        }
    }
  g_assert_true (saw_city);
  g_clear_pointer (&out, g_free);
  /* a dry run wrote nothing */
  g_assert_cmpint (run_cli (&out, NULL, "show", "--id", "2", NULL), ==, 0);
  g_assert_null (strstr (out, "merged_from"));
}

static void
test_merge_show_unmerge (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *shown;

  g_assert_cmpint (run_cli (&out, &err, "merge", "1", "2", "--keep", "last_name=2", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Merge 1 done"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* the old ID leads to the survivor, and says so */
  g_assert_cmpint (run_cli (&out, &err, "show", "--id", "2", NULL), ==, 0);
  g_assert_nonnull (strstr (err, "was merged into persona 1"));
  shown = parse_object (out, &node);
  g_assert_cmpint (json_object_get_int_member (shown, "id"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (shown, "merged_from"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (shown, "last_name"), ==, "Li");
  g_assert_true (json_object_has_member (shown, "merges"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* merging it again, or unmerging the survivor, is bad input */
  g_assert_cmpint (run_cli (&out, &err, "merge", "3", "2", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "merged into persona 1"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "unmerge", "1", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* a later merge into the survivor goes first: refused with the reason */
  g_assert_cmpint (run_cli (&out, &err, "merge", "1", "3", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "unmerge", "2", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "undo that one first"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "unmerge", "3", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&out, &err, "unmerge", "2", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpint (run_cli (&out, &err, "show", "--id", "2", NULL), ==, 0);
  shown = parse_object (out, &node);
  g_assert_cmpint (json_object_get_int_member (shown, "id"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (shown, "first_name"), ==, "Annie");
}

static void
test_help (void)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run_cli (&out, &err, "merge", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "--dry-run"));
  g_assert_nonnull (strstr (out, "--keep"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "unmerge", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "ID"));
}

/* Runs the test passed as @data on the PostgreSQL database. */
static void
run_on_pg (gconstpointer data)
{
  char *sqlite_db = db;

  if (pg_db == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return;
    }
  db = pg_db;
  ((GTestFunc) data) ();
  db = sqlite_db;
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  if (!pd_test_cli_set_up ("cli-merge", &dir, &db))
    return g_test_run ();

  /* in order: each builds on the database the previous one left */
  g_test_add_func ("/cli-merge/setup-import", test_setup_import);
  g_test_add_func ("/cli-merge/bad-input", test_bad_input);
  g_test_add_func ("/cli-merge/dry-run-json", test_dry_run_json);
  g_test_add_func ("/cli-merge/merge-show-unmerge", test_merge_show_unmerge);
  g_test_add_func ("/cli-merge/help", test_help);
  pg_db = pd_test_pg_new_database ();
  g_test_add_data_func ("/cli-merge/pg/setup-import", test_setup_import, run_on_pg);
  g_test_add_data_func ("/cli-merge/pg/bad-input", test_bad_input, run_on_pg);
  g_test_add_data_func ("/cli-merge/pg/dry-run-json", test_dry_run_json, run_on_pg);
  g_test_add_data_func ("/cli-merge/pg/merge-show-unmerge", test_merge_show_unmerge, run_on_pg);
  ret = g_test_run ();
  if (pg_db != NULL)
    pd_test_pg_drop_database (pg_db);
  g_free (pg_db);
  pd_temp_remove_dir (dir);
  return ret;
}
