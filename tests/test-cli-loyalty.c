/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The loyalty commands' contract on the real program: points, optin,
 * outbox, loyalty-status, config — their output, exit codes (2 for bad
 * input, with nothing written) and --help; on SQLite and (/cli-loyalty/pg/)
 * on PostgreSQL. */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "pd-temp.h"
#include "pd-test-cli.h"
#include "pd-test-pg.h"

static char *dir;
static char *db;
static char *sqlite_db;
static char *pg_uri;   /* /cli-loyalty/pg/…: the same commands on PostgreSQL */

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

/* Runs and returns the status, dropping the output. */
static int
status_of (const char *first,
           ...)
{
  g_autofree char *out = NULL, *err = NULL;
  va_list ap;
  int status;

  va_start (ap, first);
  status = pd_test_cli_run_valist (db, &out, &err, first, ap);
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
test_setup_import (void)
{
  g_autofree char *path = pd_test_cli_write_file (dir, "people.csv",
                                                  "Email,Phone,Points\r\n"
                                                  "ann@example.com,202-555-0143,10\r\n"
                                                  "bob@example.com,202-555-0150,\r\n");

  g_assert_cmpint (status_of ("import", path, "--accept-terms", NULL), ==, 0);
}

static void
test_points (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *entries;
  JsonObject *e;

  g_assert_cmpint (run_cli (&out, &err, "points", "adjust", "--email", "ann@example.com", "-4", "--reason",
                            "free coffee", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "balance 6"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* below zero: refused (1), not bad input */
  g_assert_cmpint (run_cli (&out, &err, "points", "adjust", "--id", "1", "-7", "--reason", "x", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "negative"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* bad input: 2, a message naming what was wrong */
  g_assert_cmpint (run_cli (&out, &err, "points", "adjust", "--id", "1", "ten", "--reason", "x", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "ten"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "points", "adjust", "--id", "99", "5", "--reason", "x", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "99"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "points", "adjust", "--phone", "not a phone", "5", "--reason", "x", NULL),
                   ==, 2);
  g_assert_nonnull (strstr (err, "not a phone"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (status_of ("points", "adjust", "--id", "1", "5", NULL), ==, 2);
  g_assert_cmpint (status_of ("points", "adjust", "--id", "1", "0", "--reason", "x", NULL), ==, 2);
  g_assert_cmpint (status_of ("points", "adjust", "--id", "1", "--email", "ann@example.com", "5", "--reason", "x",
                              NULL), ==, 2);
  g_assert_cmpint (status_of ("points", "timeline", "abc", NULL), ==, 2);
  g_assert_cmpint (status_of ("points", "timeline", "99", NULL), ==, 2);
  g_assert_cmpint (status_of ("points", "adjustments", "--since", "yesterday-ish", NULL), ==, 2);

  /* the timeline: oldest first, the balance after each, who and why */
  g_assert_cmpint (run_cli (&out, &err, "points", "timeline", "1", "--json", NULL), ==, 0);
  node = parse (out);
  entries = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (entries), ==, 2);   /* nothing from the refused ones */
  e = json_array_get_object_element (entries, 0);
  g_assert_cmpstr (json_object_get_string_member (e, "source"), ==, "import");
  g_assert_cmpint (json_object_get_int_member (e, "balance"), ==, 10);
  g_assert_false (json_object_get_null_member (e, "import_id"));
  e = json_array_get_object_element (entries, 1);
  g_assert_cmpint (json_object_get_int_member (e, "delta"), ==, -4);
  g_assert_cmpint (json_object_get_int_member (e, "balance"), ==, 6);
  g_assert_cmpstr (json_object_get_string_member (e, "source"), ==, "manual");
  g_assert_cmpstr (json_object_get_string_member (e, "who"), ==, g_get_user_name ());
  g_assert_cmpstr (json_object_get_string_member (e, "reason"), ==, "free coffee");
  g_assert_true (json_object_get_null_member (e, "import_id"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&node, json_node_unref);

  g_assert_cmpint (run_cli (&out, &err, "points", "adjustments", "--since", "2000-01-01", "--json", NULL), ==, 0);
  node = parse (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpint (run_cli (&out, &err, "points", "adjustments", "--since", "2999-01-01", "--json", NULL), ==, 0);
  node = parse (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 0);

  /* allowed by the setting */
  g_assert_cmpint (status_of ("config", "allow-negative-balance", "true", NULL), ==, 0);
  g_assert_cmpint (status_of ("points", "adjust", "--id", "1", "-7", "--reason", "x", NULL), ==, 0);
  g_assert_cmpint (status_of ("config", "allow-negative-balance", "maybe", NULL), ==, 2);
  g_assert_cmpint (status_of ("config", "no-such-setting", NULL), ==, 2);
}

static void
test_optin_outbox (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *messages;
  JsonObject *o;
  char id[32];

  /* --double-opt: pending, a text queued */
  g_assert_cmpint (run_cli (&out, &err, "optin", "202-555-0150", "--double-opt", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "pending"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "loyalty-status", "--phone", "2025550150", "--json", NULL), ==, 0);
  node = parse (out);
  o = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (o, "sms"), ==, "pending");
  g_assert_false (json_object_get_boolean_member (o, "member"));
  g_assert_false (json_object_get_null_member (o, "sms_pending_since"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&node, json_node_unref);

  g_assert_cmpint (run_cli (&out, &err, "outbox", "export", NULL), ==, 0);
  node = parse (out);
  messages = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (messages), ==, 1);
  o = json_array_get_object_element (messages, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "phone"), ==, "+12025550150");
  g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "double-opt-in");
  g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, json_object_get_int_member (o, "id"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&node, json_node_unref);

  /* YES: opted in and a member */
  g_assert_cmpint (status_of ("optin", "confirm", "+1 202 555 0150", NULL), ==, 0);
  g_assert_cmpint (run_cli (&out, &err, "loyalty-status", "--email", "bob@example.com", "--json", NULL), ==, 0);
  node = parse (out);
  o = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "member");
  g_assert_cmpstr (json_object_get_string_member (o, "sms"), ==, "opted-in");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&node, json_node_unref);

  /* mark-sent: an unknown ID marks nothing (2); then the real one */
  g_assert_cmpint (status_of ("outbox", "mark-sent", id, "999", NULL), ==, 2);
  g_assert_cmpint (status_of ("outbox", "mark-sent", "x", NULL), ==, 2);
  g_assert_cmpint (run_cli (&out, &err, "outbox", "list", "--json", NULL), ==, 0);
  node = parse (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpint (status_of ("outbox", "mark-sent", id, NULL), ==, 0);
  g_assert_cmpint (run_cli (&out, &err, "outbox", "list", "--json", NULL), ==, 0);
  node = parse (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&node, json_node_unref);

  /* STOP, then every way of opting in again is refused (1) */
  g_assert_cmpint (status_of ("optin", "decline", "202-555-0143", NULL), ==, 0);
  g_assert_cmpint (run_cli (&out, &err, "optin", "202-555-0143", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "opted out"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (status_of ("optin", "202-555-0143", "--double-opt", NULL), ==, 1);
  g_assert_cmpint (status_of ("optin", "202-555-0143", "--no-loyalty", NULL), ==, 1);
  g_assert_cmpint (status_of ("optin", "confirm", "202-555-0143", NULL), ==, 1);
  g_assert_cmpint (run_cli (&out, &err, "loyalty-status", "--phone", "202-555-0143", "--json", NULL), ==, 0);
  node = parse (out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "sms"), ==, "opted-out");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&node, json_node_unref);

  /* an unknown number: no persona created */
  g_assert_cmpint (run_cli (&out, &err, "optin", "202-555-0177", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "consent-only"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "loyalty-status", "--phone", "202-555-0177", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "unknown"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (status_of ("show", "--phone", "202-555-0177", NULL), ==, 1);

  /* bad input */
  g_assert_cmpint (status_of ("optin", "call me", NULL), ==, 2);
  g_assert_cmpint (status_of ("optin", "202-555-0177", "--double-opt", "--no-loyalty", NULL), ==, 2);
  g_assert_cmpint (status_of ("loyalty-status", "--email", "nope", NULL), ==, 2);
  g_assert_cmpint (status_of ("loyalty-status", NULL), ==, 2);
  g_assert_cmpint (status_of ("outbox", "resend", NULL), ==, 2);
  g_assert_cmpint (status_of ("config", "double-opt-in-expiry-days", "-1", NULL), ==, 2);
}

/* Email consent: opt-in at once, the customer's unsubscribe is final
 * against the command, an opt-in-all import and a column saying yes. */
static gboolean
email_opted_in (const char *email)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpint (run_cli (&out, &err, "loyalty-status", "--email", email, "--json", NULL), ==, 0);
  node = parse (out);
  return json_object_get_boolean_member (json_node_get_object (node), "email_opt_in");
}

static void
test_optin_email (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *path = pd_test_cli_write_file (dir, "email.csv",
                                                  "Email,Email Opt In\r\nann@example.com,yes\r\n");

  g_assert_cmpint (run_cli (&out, &err, "optin", "--email", "Ann@Example.com", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "ann@example.com (persona 1)"));
  g_assert_true (email_opted_in ("ann@example.com"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&out, &err, "optin", "decline", "--email", "ann@example.com", NULL), ==, 0);
  g_assert_false (email_opted_in ("ann@example.com"));
  {
    g_autoptr(JsonNode) node = NULL;

    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_cli (&out, &err, "loyalty-status", "--email", "ann@example.com", "--json", NULL), ==, 0);
    node = parse (out);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "email"), ==, "opted-out");
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* refused (1) and saying why; imports do not opt the address in again */
  g_assert_cmpint (run_cli (&out, &err, "optin", "--email", "ann@example.com", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "opted out"));
  g_assert_cmpint (status_of ("import", path, "--accept-terms", "--opt-in-all-email", NULL), ==, 0);
  g_assert_false (email_opted_in ("ann@example.com"));

  /* bad input: 2, nothing written */
  g_assert_cmpint (status_of ("optin", "--email", "not an email", NULL), ==, 2);
  g_assert_cmpint (status_of ("optin", "--email", "nobody@example.com", NULL), ==, 2);
  g_assert_cmpint (status_of ("optin", "confirm", "--email", "bob@example.com", NULL), ==, 2);
  g_assert_cmpint (status_of ("optin", "--email", "bob@example.com", "--double-opt", NULL), ==, 2);
  g_assert_cmpint (status_of ("optin", "--email", "bob@example.com", "202-555-0150", NULL), ==, 2);
  /* an unsubscribe from an address no persona has yet is kept */
  g_assert_cmpint (status_of ("optin", "decline", "--email", "eve@example.com", NULL), ==, 0);
}

static void
test_override_attributes_source_ids (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *path = pd_test_cli_write_file (dir, "cities.csv", "Email,City\r\nann@example.com,Berlin\r\n");
  g_autofree char *push = pd_test_cli_write_file (dir, "push.csv",
                                                  "Email,Push\r\nann@example.com,yes\r\n");
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpint (status_of ("override", "set", "1", "city", "Rome", NULL), ==, 0);
  g_assert_cmpint (status_of ("import", path, "--accept-terms", "--on-match", "replace", NULL), ==, 0);
  g_assert_cmpint (run_cli (&out, &err, "override", "get", "1", "--json", NULL), ==, 0);
  node = parse (out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "city"), ==, "Rome");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpint (run_cli (&out, &err, "show", "--id", "1", "--json", NULL), ==, 0);
  node = parse (out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "city"), ==, "Rome");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&node, json_node_unref);

  /* bad input: 2, nothing written */
  g_assert_cmpint (run_cli (&out, &err, "override", "set", "1", "shoe_size", "42", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "shoe_size"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (status_of ("override", "set", "99", "city", "Rome", NULL), ==, 2);
  g_assert_cmpint (status_of ("override", "set", "1", "birth_date", "yesterday", NULL), ==, 2);
  g_assert_cmpint (status_of ("override", "clear", "x", "city", NULL), ==, 2);

  /* push opt-in: no path sets it — not a field to pin, map or show */
  g_assert_cmpint (status_of ("override", "set", "1", "push_opt_in", "true", NULL), ==, 2);
  g_assert_cmpint (status_of ("import", push, "--accept-terms", "--map", "Push=push_opt_in", NULL), !=, 0);
  g_assert_cmpint (run_cli (&out, &err, "show", "--id", "1", NULL), ==, 0);
  g_assert_null (strstr (out, "push"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (status_of ("override", "clear", "1", "city", NULL), ==, 0);
  g_assert_cmpint (run_cli (&out, &err, "override", "get", "1", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* custom attributes */
  g_assert_cmpint (status_of ("attributes", "set", "1", "Shoe size", "42", NULL), ==, 0);
  g_assert_cmpint (status_of ("attributes", "set", "1", "hat", "M", NULL), ==, 0);
  g_assert_cmpint (run_cli (&out, &err, "attributes", "get", "1", "--json", NULL), ==, 0);
  node = parse (out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "Shoe size"), ==, "42");
  g_assert_cmpuint (json_object_get_size (json_node_get_object (node)), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpint (status_of ("attributes", "delete", "1", "hat", NULL), ==, 0);
  g_assert_cmpint (status_of ("attributes", "delete", "1", "hat", NULL), ==, 2);
  g_assert_cmpint (status_of ("attributes", "get", "1", "hat", NULL), ==, 2);
  g_assert_cmpint (status_of ("attributes", "set", "1", "  ", "x", NULL), ==, 2);
  /* stored text reaches the terminal escaped (pd_cli_printf) */
  g_assert_cmpint (status_of ("attributes", "set", "1", "note", "\033]0;pwned\007", NULL), ==, 0);
  g_assert_cmpint (run_cli (&out, &err, "attributes", "get", "1", NULL), ==, 0);
  g_assert_null (strchr (out, '\033'));
  g_assert_nonnull (strstr (out, "pwned"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (status_of ("attributes", "delete", "1", "note", NULL), ==, 0);
  g_assert_cmpint (run_cli (&out, &err, "attributes", "get", "1", "Shoe size", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "42\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* source IDs */
  g_assert_cmpint (status_of ("source-id", "set", "1", "pos:0042", NULL), ==, 0);
  g_assert_cmpint (status_of ("source-id", "set", "2", "pos:0042", NULL), ==, 1);   /* taken */
  g_assert_cmpint (status_of ("source-id", "set", "2", "0042", NULL), ==, 2);
  g_assert_cmpint (run_cli (&out, &err, "show", "--source", "pos", "--source-id", "0042", NULL), ==, 0);
  node = parse (out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "id"), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpint (status_of ("show", "--source", "pos", "--source-id", "9", NULL), ==, 1);
  g_assert_cmpint (status_of ("show", "--source", "pos", NULL), ==, 2);
  g_assert_cmpint (run_cli (&out, &err, "source-id", "get", "1", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "pos:0042\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* an import column mapped to a source ID */
  {
    g_autofree char *pos = pd_test_cli_write_file (dir, "pos.csv", "Email,POS\r\nbob@example.com,B-7\r\n");

    g_assert_cmpint (status_of ("import", pos, "--accept-terms", "--map", "POS=source:pos", NULL), ==, 0);
    g_assert_cmpint (run_cli (&out, &err, "show", "--source", "pos", "--source-id", "B-7", NULL), ==, 0);
    node = parse (out);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "id"), ==, 2);
  }
}

static void
test_help (void)
{
  const char * const commands[][2] = {
    { "points", NULL }, { "points", "adjust" }, { "points", "timeline" }, { "points", "adjustments" },
    { "optin", NULL }, { "optin", "confirm" }, { "optin", "decline" }, { "optin", "expire" },
    { "outbox", NULL }, { "outbox", "list" }, { "outbox", "export" }, { "outbox", "mark-sent" },
    { "loyalty-status", NULL }, { "config", NULL }, { "override", NULL }, { "attributes", NULL },
    { "source-id", NULL },
  };

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

/* The same test on a PostgreSQL database of its own (the server of
 * tests/pg-run.sh), which the PostgreSQL tests build on in the same order. */
static void
run_pg (gconstpointer data)
{
  if (pg_uri == NULL)
    pg_uri = pd_test_pg_new_database ();
  if (pg_uri == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return;
    }
  db = pg_uri;
  ((GTestFunc) data) ();
  db = sqlite_db;
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  if (!pd_test_cli_set_up ("cli-loyalty", &dir, &db))
    return g_test_run ();

  /* in order: each builds on the database the previous one left */
  g_test_add_func ("/cli-loyalty/setup-import", test_setup_import);
  g_test_add_func ("/cli-loyalty/points", test_points);
  g_test_add_func ("/cli-loyalty/optin-outbox", test_optin_outbox);
  g_test_add_func ("/cli-loyalty/optin-email", test_optin_email);
  g_test_add_func ("/cli-loyalty/override-attributes-source-ids", test_override_attributes_source_ids);
  g_test_add_func ("/cli-loyalty/help", test_help);
  sqlite_db = db;
  g_test_add_data_func ("/cli-loyalty/pg/setup-import", (gconstpointer) test_setup_import, run_pg);
  g_test_add_data_func ("/cli-loyalty/pg/points", (gconstpointer) test_points, run_pg);
  g_test_add_data_func ("/cli-loyalty/pg/optin-outbox", (gconstpointer) test_optin_outbox, run_pg);
  g_test_add_data_func ("/cli-loyalty/pg/optin-email", (gconstpointer) test_optin_email, run_pg);
  g_test_add_data_func ("/cli-loyalty/pg/override-attributes-source-ids",
                        (gconstpointer) test_override_attributes_source_ids, run_pg);
  ret = g_test_run ();
  if (pg_uri != NULL)
    pd_test_pg_drop_database (pg_uri);
  g_free (pg_uri);
  pd_temp_remove_dir (dir);
  return ret;
}
