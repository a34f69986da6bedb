/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `persona-desk-cli migrate` with the loyalty program's tables (issue 19):
 * a desk's SQLite database holding every kind of their rows — settings,
 * the ledger's actor, the outbox, consent-only numbers, pinned values,
 * email opt-outs, source IDs, the audit log — is copied into PostgreSQL
 * by the real program, and each table compares row for row; the rules
 * then hold on the copy.  And a database of schema 3 upgraded in place.
 * Skips without a PostgreSQL server (pd-test-pg.h) or without PD_CLI. */
#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "pd-error.h"
#include "pd-loyalty.h"
#include "pd-order.h"
#include "pd-pg-store.h"
#include "pd-sqlite-store.h"
#include "pd-store-merge.h"
#include "pd-store-staff.h"
#include "pd-temp.h"
#include "pd-test-pg.h"

/* Each table as both stores keep it, in one column order and one row
 * order. */
static const char * const tables[] = {
  "SELECT key, value FROM settings ORDER BY key",
  "SELECT id, persona_id, delta, balance, source, import_id, reason, time, actor FROM ledger ORDER BY id",
  "SELECT id, kind, phone, persona_id, created, sent FROM outbox ORDER BY id",
  "SELECT phone, state, loyalty, since FROM consent_contacts ORDER BY phone",
  "SELECT persona_id, field, value FROM overrides ORDER BY persona_id, field",
  "SELECT email, since, actor FROM email_opt_outs ORDER BY email",
  "SELECT persona_id, name, value FROM attributes ORDER BY persona_id, name",
  "SELECT id, at, who, role, source, action, persona_id, detail FROM audit_log ORDER BY id",
  "SELECT id, points, loyalty, email_opt_in, sms_consent, sms_opt_out, city FROM personas ORDER BY id",
  /* the API's tokens and change times, orders, the rows imports applied
   * (PostgreSQL schemas 9-11) */
  "SELECT name, hash, read_only, created FROM api_tokens ORDER BY name",
  "SELECT id, updated FROM personas ORDER BY id",
  "SELECT id, persona_id, number, store, time, total, points, created FROM orders ORDER BY id",
  "SELECT order_id, line, product, quantity, price FROM order_items ORDER BY order_id, line",
  "SELECT hash, import_id FROM import_rows ORDER BY hash, import_id",
};

static char *
dump_sqlite (const char *path,
             const char *sql)
{
  GString *out = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        g_string_append_printf (out, "%s%s", c ? "|" : "",
                                sqlite3_column_type (stmt, c) == SQLITE_NULL
                                  ? "NULL" : (const char *) sqlite3_column_text (stmt, c));
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

static char *
dump_pg (const char *uri,
         const char *sql)
{
  GString *out = g_string_new (NULL);
  PGconn *conn = pd_test_pg_connect (uri);
  PGresult *result = PQexec (conn, sql);

  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  for (int r = 0; r < PQntuples (result); r++)
    {
      for (int c = 0; c < PQnfields (result); c++)
        g_string_append_printf (out, "%s%s", c ? "|" : "",
                                PQgetisnull (result, r, c) ? "NULL" : PQgetvalue (result, r, c));
      g_string_append_c (out, '\n');
    }
  PQclear (result);
  PQfinish (conn);
  return g_string_free (out, FALSE);
}

static gint64
add (PdStore    *store,
     const char *email,
     const char *phone)
{
  g_autoptr(PdPersona) p = pd_persona_new ();
  g_autoptr(GError) error = NULL;

  if (email != NULL)
    pd_persona_add_email (p, email);
  if (phone != NULL)
    pd_persona_add_phone (p, phone);
  g_assert_true (pd_store_save_persona (store, p, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  return pd_persona_get_id (p);
}

/* Every kind of row of the loyalty tables, made through the store. */
static void
fill_desk (PdStore *store)
{
  const PdActor clerk = { PD_SOURCE_MANUAL, "clerk" };
  const PdLoyaltySettings settings = { .allow_negative_balance = FALSE, .double_opt_in_expiry_days = 7 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPersona) pinned = NULL;
  PdConsentChange change;
  gint64 ann = add (store, "ann@example.com", "+12025550101");
  gint64 bob = add (store, "bob@example.com", "+12025550102");

  g_assert_true (pd_store_set_loyalty_settings (store, &settings, &error));
  /* the ledger with its actor, and the audit log */
  g_assert_true (pd_store_adjust_points_as (store, ann, 50, "welcome", &clerk, NULL, &error));
  g_assert_true (pd_store_adjust_points_as (store, ann, -20, "coffee", &clerk, NULL, &error));
  g_assert_no_error (error);
  /* the outbox: a persona's request and a number nobody holds */
  g_assert_true (pd_store_sms_opt_in (store, "+12025550102", PD_SMS_OPT_IN_DOUBLE, &clerk, &change, &error));
  g_assert_true (pd_store_sms_opt_in (store, "+12025550199", PD_SMS_OPT_IN_DOUBLE, &clerk, &change, &error));
  g_assert_cmpint (change.outbox_id, >, 0);
  g_assert_true (pd_store_mark_outbox_sent (store, &change.outbox_id, 1, &error));
  /* consent-only numbers: an opt-out (final) and a pending one above */
  g_assert_true (pd_store_sms_decline (store, "+12025550198", &clerk, &change, &error));
  g_assert_true (pd_store_sms_decline (store, "+12025550101", &clerk, &change, &error));
  /* an email opt-out of a persona and of an address nobody holds */
  g_assert_true (pd_store_email_decline (store, "bob@example.com", &clerk, &change, &error));
  g_assert_true (pd_store_email_decline (store, "gone@example.com", &clerk, &change, &error));
  /* a source ID and a pinned value */
  g_assert_true (pd_store_set_source_id (store, bob, "pos", "B-7", &error));
  g_assert_no_error (error);
  pinned = pd_store_get_persona (store, ann, &error);
  pd_persona_set_value (pinned, PD_FIELD_CITY, "Rome");
  pd_persona_set_override (pinned, PD_FIELD_CITY, "Rome");
  g_assert_true (pd_store_save_persona (store, pinned, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  /* an API token, two orders (one earning points: a ledger entry), the
   * fingerprints of the rows an import applied */
  {
    g_autofree char *token = NULL;
    PdLoyaltySettings earning = settings;
    g_autoptr(PdImportInfo) info = pd_import_info_new ();
    const gint64 hashes[] = { G_MININT64 + 1, -5, 42, G_GINT64_CONSTANT (1234567890123) };

    g_assert_true (pd_store_create_api_token (store, "pos", PD_API_TOKEN_IMPORT, NULL, &token, &error));
    g_assert_no_error (error);
    for (guint i = 0; i < 2; i++)
      {
        g_autoptr(PdOrder) order = pd_order_new ();

        order->persona_id = i ? bob : ann;
        order->number = g_strdup_printf ("R-%u", i);
        order->store = i ? g_strdup ("Downtown") : NULL;
        order->time_us = G_GINT64_CONSTANT (1767348000000000) + i;
        pd_order_add_item (order, "Coffee", 2, 350);
        if (i)
          pd_order_add_item (order, "Bagel\ttab", 1, 275);
        g_assert_cmpint (pd_store_add_order (store, order, &clerk, &error), >, 0);
        g_assert_no_error (error);
        earning.order_points_per_unit = 2;
        g_assert_true (pd_store_set_loyalty_settings (store, &earning, &error));
      }
    info->name = g_strdup ("rows");
    info->user = g_strdup ("clerk");
    info->file_name = g_strdup ("rows.csv");
    g_assert_cmpint (pd_store_begin_import (store, info, NULL, &error), >, 0);
    g_assert_true (pd_store_import_write_row_hashes (store, info->id, hashes, G_N_ELEMENTS (hashes), &error));
    g_assert_true (pd_store_finish_import (store, info, &error));
    g_assert_no_error (error);
  }
}

static void
test_migrate_loyalty (void)
{
  const char *cli = g_getenv ("PD_CLI");
  g_autofree char *uri = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pd-pg-migrate-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "desk.db", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPgStore) chain = NULL;
  const PdActor clerk = { PD_SOURCE_MANUAL, "clerk" };
  PdConsentChange change;
  PdLoyaltySettings settings;
  int status;

  if (cli == NULL)
    {
      g_test_skip ("PD_CLI is not set: run through meson test");
      pd_temp_remove_dir (dir);
      return;
    }
  uri = pd_test_pg_new_database ();
  if (uri == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      pd_temp_remove_dir (dir);
      return;
    }
  {
    g_autoptr(PdSqliteStore) desk = pd_sqlite_store_new (path, &error);

    g_assert_no_error (error);
    fill_desk (PD_STORE (desk));
  }

  {
    const char *argv[] = { cli, "migrate", "--from", path, "--to", uri, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                 &out, &err, &status, &error));
    g_assert_no_error (error);
    g_test_message ("%s%s", out, err);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  /* every table the loyalty program added is named and counted (the
   * settings' and the audit log's counts depend on what else the SQLite
   * store keeps there: compared row for row below) */
  for (const char * const *t = (const char * const[]) { "settings: ", "outbox: 2", "consent_contacts: 2",
                                                         "overrides: 1", "email_opt_outs: 2", "audit_log: ",
                                                         "api_tokens: 1", "orders: 2", "order_items: 3",
                                                         "import_rows: 4", NULL }; *t != NULL; t++)
    g_assert_nonnull (strstr (out, *t));

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *in_sqlite = dump_sqlite (path, tables[i]);
      g_autofree char *in_pg = dump_pg (uri, tables[i]);

      g_assert_cmpstr (in_sqlite, !=, "");
      g_assert_cmpstr (in_pg, ==, in_sqlite);
    }

  /* and the rules hold on the copy */
  chain = pd_pg_store_new (uri, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_get_loyalty_settings (PD_STORE (chain), &settings, &error));
  g_assert_cmpuint (settings.double_opt_in_expiry_days, ==, 7);
  g_assert_false (pd_store_sms_opt_in (PD_STORE (chain), "+12025550198", PD_SMS_OPT_IN_FORCE, &clerk,
                                       &change, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (pd_store_email_opt_in (PD_STORE (chain), "bob@example.com", &clerk, &change, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (pd_store_find_by_source_id (PD_STORE (chain), "pos", "B-7", NULL), ==,
                   pd_store_find_persona (PD_STORE (chain), PD_FIELD_EMAIL, "bob@example.com", NULL));
  /* a persona taking the pending number takes its text over; new ids
   * follow the copied ones */
  {
    g_autoptr(GPtrArray) outbox = NULL;
    gint64 cy = add (PD_STORE (chain), "cy@example.com", "+12025550199");

    outbox = pd_store_list_outbox (PD_STORE (chain), FALSE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (outbox->len, ==, 2);
    g_assert_cmpint (((PdOutboxMessage *) outbox->pdata[1])->persona_id, ==, cy);
    g_assert_true (pd_store_adjust_points_as (PD_STORE (chain), cy, 5, "hello", &clerk, NULL, &error));
    g_assert_no_error (error);
    /* the copied orders' numbers are taken, new orders follow their ids
     * and earn by the copied rule; the copied token opens the API; the
     * copied fingerprints are found */
    {
      g_autoptr(PdOrder) again = pd_order_new ();
      g_autoptr(PdOrder) next = pd_order_new ();
      g_autoptr(PdApiToken) none = NULL;
      g_autoptr(GPtrArray) tokens = pd_store_list_api_tokens (PD_STORE (chain), &error);

      again->persona_id = cy;
      again->number = g_strdup ("R-1");
      again->store = g_strdup ("Downtown");
      again->time_us = 1;
      pd_order_add_item (again, "Tea", 1, 100);
      g_assert_cmpint (pd_store_add_order (PD_STORE (chain), again, &clerk, &error), ==, 0);
      g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
      g_clear_error (&error);
      next->persona_id = cy;
      next->number = g_strdup ("R-2");
      next->time_us = 1;
      pd_order_add_item (next, "Tea", 1, 100);
      /* after the copied ones (a number refused may have used one up) */
      g_assert_cmpint (pd_store_add_order (PD_STORE (chain), next, &clerk, &error), >, 2);
      g_assert_no_error (error);
      g_assert_cmpint (next->points, ==, 2);
      g_assert_cmpuint (tokens->len, ==, 1);
      g_assert_true (((PdApiToken *) tokens->pdata[0])->may_import);
      g_assert_cmpint (pd_store_find_imported_row (PD_STORE (chain), 42, &error), >, 0);
      g_assert_no_error (error);
    }
  }
  g_clear_object (&chain);
  pd_test_pg_drop_database (uri);
  pd_temp_remove_dir (dir);
}

/* A chain's database of schema 3 (before the loyalty tables) is brought
 * up to date when a desk opens it: its personas, ledger and attributes
 * kept, a source ID that several personas held (possible before schema 4)
 * kept by the lowest and set aside for the others, nothing dropped. */
static void
test_upgrade_from_schema_3 (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPgStore) store = NULL;
  g_autofree char *latest = NULL;
  gint64 ann, bob;

  if (uri == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return;
    }
  store = pd_pg_store_new (uri, &error);
  g_assert_no_error (error);
  ann = add (PD_STORE (store), "ann@example.com", NULL);
  bob = add (PD_STORE (store), "bob@example.com", NULL);
  g_assert_true (pd_store_adjust_points (PD_STORE (store), ann, 5, "welcome", PD_SOURCE_MANUAL, &error));
  g_clear_object (&store);
  latest = dump_pg (uri, "SELECT max(version) FROM pd_schema");
  /* back to schema 3, as an older Persona Desk left it */
  pd_test_pg_exec (uri,
    /* issue 16's (schemas 6 to 8) */
    "DROP TABLE merge_orders, blocklist, merge_members, merges, accounts; "
    "ALTER TABLE imports DROP COLUMN privacy_removed; "
    "DROP TRIGGER personas_notify ON personas; DROP TRIGGER imports_notify ON imports; "
    "DROP TRIGGER outbox_notify ON outbox; DROP FUNCTION pd_notify_change(); "
    "DROP TABLE settings, outbox, consent_contacts, overrides, email_opt_outs, audit_log; "
    "DROP INDEX attributes_source_id, personas_sms_pending; ALTER TABLE ledger DROP COLUMN actor; "
    "DROP TABLE api_tokens, order_items, orders, import_rows; DROP TRIGGER personas_updated ON personas; "
    "DROP FUNCTION pd_persona_updated(); ALTER TABLE personas DROP COLUMN updated; "
    /* schema 17's */
    "DROP INDEX phones_national_bucket; "
    /* schema 18's */
    "DROP TRIGGER ledger_written ON ledger; DROP FUNCTION pd_ledger_written(); DROP TABLE ledger_commits; "
    "DROP FUNCTION pd_ledger_commit(); DROP SEQUENCE ledger_commit_seq; ALTER TABLE ledger DROP COLUMN xact; "
    "DELETE FROM pd_schema WHERE version > 3");
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO attributes (persona_id, name, value) VALUES "
                                            "(%" G_GINT64_FORMAT ", 'source:pos', '7'), "
                                            "(%" G_GINT64_FORMAT ", 'source:pos', '7')", bob, ann);

    pd_test_pg_exec (uri, sql);
  }

  store = pd_pg_store_new (uri, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_store_find_by_source_id (PD_STORE (store), "pos", "7", NULL), ==, MIN (ann, bob));
  {
    g_autoptr(PdPersona) other = pd_store_get_persona (PD_STORE (store), MAX (ann, bob), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (g_hash_table_lookup (pd_persona_get_attributes (other), "duplicate source:pos"), ==, "7");
  }
  {
    g_autoptr(GPtrArray) ledger = pd_store_list_ledger (PD_STORE (store), ann, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (ledger->len, ==, 1);
  }
  {
    g_autofree char *version = dump_pg (uri, "SELECT max(version) FROM pd_schema");

    g_assert_cmpstr (version, ==, latest);
  }
  g_clear_object (&store);
  pd_test_pg_drop_database (uri);
}

/* Schema versions are given to parts made at the same time and merged in
 * any order: a database that has a later version but lacks an earlier one
 * (here 10, orders) gets it when a desk opens it. */
static void
test_missing_version (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPgStore) store = NULL;
  g_autofree char *versions = NULL;
  g_autofree char *again = NULL;
  g_autoptr(PdOrder) order = pd_order_new ();
  const PdActor clerk = { PD_SOURCE_MANUAL, "clerk" };

  if (uri == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return;
    }
  store = pd_pg_store_new (uri, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  versions = dump_pg (uri, "SELECT string_agg(version::text, ',' ORDER BY version) FROM pd_schema");
  pd_test_pg_exec (uri, "DROP TABLE merge_orders, order_items, orders; DELETE FROM pd_schema WHERE version IN (10, 15)");

  store = pd_pg_store_new (uri, &error);
  g_assert_no_error (error);
  again = dump_pg (uri, "SELECT string_agg(version::text, ',' ORDER BY version) FROM pd_schema");
  g_assert_cmpstr (again, ==, versions);
  order->persona_id = add (PD_STORE (store), "ann@example.com", NULL);
  order->number = g_strdup ("R-1");
  order->time_us = 1;
  pd_order_add_item (order, "Tea", 1, 100);
  g_assert_cmpint (pd_store_add_order (PD_STORE (store), order, &clerk, &error), >, 0);
  g_assert_no_error (error);
  g_clear_object (&store);
  pd_test_pg_drop_database (uri);
}

/* Issue 16's tables, each as SQLite and PostgreSQL show it (blobs as
 * upper-case hex on both sides). */
static const char * const issue16_tables[][2] = {
  { "SELECT hex(hash), kind, since FROM blocklist ORDER BY 1",
    "SELECT upper(encode(hash, 'hex')), kind, since FROM blocklist ORDER BY 1" },
  { "SELECT id, survivor_id, at, actor, hex(survivor_before), hex(survivor_after), survivor_change, undone "
    "FROM merges ORDER BY id",
    "SELECT id, survivor_id, at, actor, upper(encode(survivor_before, 'hex')), upper(encode(survivor_after, 'hex')), "
    "survivor_change, undone FROM merges ORDER BY id" },
  { "SELECT merge_id, persona_id, hex(before), before_change, points FROM merge_members ORDER BY 1, 2",
    "SELECT merge_id, persona_id, upper(encode(before, 'hex')), before_change, points FROM merge_members ORDER BY 1, 2" },
  { "SELECT id, name, role, hash, disabled, created FROM accounts ORDER BY id",
    "SELECT id, name, role, hash, disabled, created FROM accounts ORDER BY id" },
  { "SELECT id, merged_into, state, blocklisted FROM personas ORDER BY id",
    "SELECT id, merged_into, state, blocklisted FROM personas ORDER BY id" },
};

/* The blocklist, merges and staff accounts (issue 16) copied by the real
 * program and compared row for row; on the copy, the blocklisted number
 * is still refused (the key came along), the account signs in and the
 * merge can be undone. */
static void
test_migrate_issue16 (void)
{
  const char *cli = g_getenv ("PD_CLI");
  g_autofree char *uri = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pd-pg-migrate-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "desk.db", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPgStore) chain = NULL;
  g_autoptr(PdAccount) account = NULL;
  const PdActor owner = { PD_SOURCE_MANUAL, "Olga", PD_ROLE_OWNER };
  gint64 merge_id = 0, ann, annie;
  gboolean blocked = FALSE;
  int status;

  if (cli == NULL)
    {
      g_test_skip ("PD_CLI is not set: run through meson test");
      pd_temp_remove_dir (dir);
      return;
    }
  uri = pd_test_pg_new_database ();
  if (uri == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      pd_temp_remove_dir (dir);
      return;
    }
  {
    g_autoptr(PdSqliteStore) desk = pd_sqlite_store_new (path, &error);
    g_autoptr(PdMergePlan) plan = NULL;
    gint64 ids[2];
    guint n = 0;

    g_assert_no_error (error);
    ann = ids[0] = add (PD_STORE (desk), "ann@example.com", "+12025550101");
    annie = ids[1] = add (PD_STORE (desk), "annie@example.com", "+12025550102");
    add (PD_STORE (desk), "cat@example.com", "+12025550103");
    plan = pd_store_plan_merge (PD_STORE (desk), ids, 2, &error);
    g_assert_no_error (error);
    g_assert_true (pd_store_merge_personas (PD_STORE (desk), plan, &owner, &merge_id, &error));
    g_assert_no_error (error);
    g_assert_true (pd_store_blocklist_add (PD_STORE (desk), &owner, 0, PD_FIELD_PHONE, "+12025550103", &n, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (n, ==, 1);
    g_assert_cmpint (pd_store_add_account (PD_STORE (desk), "Sam", PD_ROLE_STAFF, "2468", &owner, &error), >, 0);
    g_assert_no_error (error);
  }
  {
    const char *argv[] = { cli, "migrate", "--from", path, "--to", uri, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                 &out, &err, &status, &error));
    g_assert_no_error (error);
    g_test_message ("%s%s", out, err);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  for (const char * const *t = (const char * const[]) { "blocklist: 1", "merges: 1", "merge_members: 1",
                                                         "accounts: 1", NULL }; *t != NULL; t++)
    g_assert_nonnull (strstr (out, *t));
  for (guint i = 0; i < G_N_ELEMENTS (issue16_tables); i++)
    {
      g_autofree char *in_sqlite = dump_sqlite (path, issue16_tables[i][0]);
      g_autofree char *in_pg = dump_pg (uri, issue16_tables[i][1]);

      g_assert_cmpstr (in_sqlite, !=, "");
      g_assert_cmpstr (in_pg, ==, in_sqlite);
    }

  chain = pd_pg_store_new (uri, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_blocklist_contains (PD_STORE (chain), PD_FIELD_PHONE, "+12025550103", &blocked, &error));
  g_assert_no_error (error);
  g_assert_true (blocked);
  account = pd_store_verify_account (PD_STORE (chain), "sam", "2468", &error);
  g_assert_no_error (error);
  g_assert_cmpint (account->role, ==, PD_ROLE_STAFF);
  g_assert_cmpint (pd_store_get_survivor (PD_STORE (chain), annie, &error), ==, ann);
  g_assert_true (pd_store_unmerge (PD_STORE (chain), merge_id, &owner, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pd_store_get_survivor (PD_STORE (chain), annie, &error), ==, annie);
  /* new ids follow the copied ones */
  g_assert_cmpint (pd_store_add_account (PD_STORE (chain), "Kim", PD_ROLE_STAFF, "1357", &owner, &error), ==, 2);
  g_assert_no_error (error);
  g_clear_object (&chain);
  pd_test_pg_drop_database (uri);
  pd_temp_remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pg-migrate/loyalty", test_migrate_loyalty);
  g_test_add_func ("/pg-migrate/upgrade-from-schema-3", test_upgrade_from_schema_3);
  g_test_add_func ("/pg-migrate/missing-version", test_missing_version);
  g_test_add_func ("/pg-migrate/issue16", test_migrate_issue16);
  return g_test_run ();
}
