/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Merging personas and undoing a merge: the plan's rules, every table put
 * back by unmerge, the merged-away persona leading to its survivor, points,
 * consent, roles and the events that block an unmerge. */
#include <inttypes.h>
#include <sqlite3.h>

#include "pd-error.h"
#include "pd-order.h"
#include "pd-permission.h"
#include "pd-predict.h"
#include "pd-sqlite-vfs.h"
#include "pd-store-merge.h"
#include "pd-test-store-fixture.h"

static const PdActor owner = { PD_SOURCE_MANUAL, "Olga", PD_ROLE_OWNER };

/* @sql's rows on the fixture's database, every column as text. */
static char *
dump_sql (Fixture    *f,
          const char *sql)
{
  GString *out = g_string_new (NULL);
  sqlite3 *db;
  sqlite3_stmt *stmt;

  g_assert_cmpint (sqlite3_open_v2 (f->db, &db, SQLITE_OPEN_READONLY, pd_sqlite_vfs_register ()), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  /* when a persona was last written (schema 15, the API's updated_since)
   * is not what unmerge restores: unmerge writes it */
  gboolean personas = g_str_has_prefix (sql, "SELECT * FROM personas ");

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        if (!personas || !g_str_equal (sqlite3_column_name (stmt, c), "updated"))
          g_string_append_printf (out, "%s|", sqlite3_column_type (stmt, c) == SQLITE_NULL
                                                ? "(null)" : (const char *) sqlite3_column_text (stmt, c));
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

/* Every table that holds a persona, row by row, every column (the ledger
 * keeps the merge's entries and their reversal: checked apart). */
static char *
dump_persona_tables (Fixture *f)
{
  static const char * const tables[] = { "personas", "emails", "phones", "tags", "attributes", "overrides",
                                         "consent_contacts", "email_opt_outs", "import_changes", NULL };
  GString *out = g_string_new (NULL);

  for (guint t = 0; tables[t] != NULL; t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY 1, 2", tables[t]);
      g_autofree char *rows = dump_sql (f, sql);

      g_string_append_printf (out, "== %s\n%s", tables[t], rows);
    }
  return g_string_free (out, FALSE);
}

/* Personas whose balance is not the sum of their ledger entries. */
static char *
ledger_mismatch (Fixture *f)
{
  char *rows = dump_sql (f, "SELECT p.id, p.points, (SELECT total(delta) FROM ledger l WHERE l.persona_id = p.id) "
                            "AS s FROM personas p WHERE p.points <> s");

  if (*rows == '\0')
    g_clear_pointer (&rows, g_free);
  return rows;
}

static gint64
find (Fixture    *f,
      PdFieldId   key,
      const char *value)
{
  g_autoptr(GError) error = NULL;
  gint64 id = pd_store_find_persona (f->store, key, value, &error);

  g_assert_no_error (error);
  return id;
}

static PdPersona *
get (Fixture *f,
     gint64   id)
{
  g_autoptr(GError) error = NULL;
  PdPersona *persona = pd_store_get_persona (f->store, id, &error);

  g_assert_no_error (error);
  return persona;
}

static gint64
merge (Fixture       *f,
       const gint64  *ids,
       guint          n_ids,
       const char   **keep)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdMergePlan) plan = pd_store_plan_merge (f->store, ids, n_ids, &error);
  gint64 merge_id = 0;

  g_assert_no_error (error);
  for (guint i = 0; keep != NULL && keep[i] != NULL; i++)
    {
      g_assert_true (pd_merge_plan_choose_text (plan, keep[i], &error));
      g_assert_no_error (error);
    }
  g_assert_true (pd_store_merge_personas (f->store, plan, &owner, &merge_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (merge_id, >, 0);
  return merge_id;
}

static gint64
count_active (Fixture    *f,
              const char *search)
{
  PdPersonaQuery query = { PD_PERSONA_VIEW_ACTIVE, search };
  g_autoptr(GError) error = NULL;
  guint n = pd_store_count_personas (f->store, &query, &error);

  g_assert_no_error (error);
  return n;
}

static void
seed (Fixture *f)
{
  g_autoptr(PdImportJob) job =
    import (f, "First Name,Last Name,Email,Phone,Points,City,Tags,attribute:shoe,Favorite Store\r\n"
               "Ann,Lee,\"ann@example.com, ann2@example.com\",202-555-0143,10,,\"a, b\",41,Main St\r\n"
               "Annie,Li,annie@example.com,202-555-0199,5,Boston,\"b, z\",42,\r\n"
               "Cat,Sun,cat@example.com,,3,Paris,c,,Harbor\r\n", NULL);

  g_assert_cmpuint (pd_import_job_get_info (job)->imported, ==, 3);
}

/* Merge then unmerge: every row of every persona table as before,
 * column for column, for a merge of two and one of three. */
static void
test_restore_every_row (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *before = NULL, *during = NULL, *after = NULL;
  g_autoptr(GError) error = NULL;
  gint64 ann, annie, cat, merge_id;

  seed (f);
  ann = find (f, PD_FIELD_EMAIL, "ann@example.com");
  annie = find (f, PD_FIELD_EMAIL, "annie@example.com");
  cat = find (f, PD_FIELD_EMAIL, "cat@example.com");

  for (guint round = 0; round < 2; round++)
    {
      gint64 ids[] = { ann, annie, cat };
      const char *keep[] = { NULL, NULL };

      before = dump_persona_tables (f);
      if (round == 0)
        merge_id = merge (f, ids, 2, NULL);
      else
        {
          g_autofree char *choice = g_strdup_printf ("last_name=%" PRId64, cat);

          keep[0] = choice;
          merge_id = merge (f, ids, 3, keep);
        }
      during = dump_persona_tables (f);
      g_assert_cmpstr (during, !=, before);
      g_assert_cmpint (count_active (f, NULL), ==, round == 0 ? 2 : 1);

      g_assert_true (pd_store_unmerge (f->store, merge_id, &owner, &error));
      g_assert_no_error (error);
      after = dump_persona_tables (f);
      g_assert_cmpstr (after, ==, before);
      g_assert_cmpstr (ledger_mismatch (f), ==, NULL);
      g_assert_cmpint (count_active (f, NULL), ==, 3);

      /* and once undone, not again */
      g_assert_false (pd_store_unmerge (f->store, merge_id, &owner, &error));
      g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
      g_clear_error (&error);
      g_clear_pointer (&before, g_free);
      g_clear_pointer (&during, g_free);
      g_clear_pointer (&after, g_free);
    }
}

/* The plan: every differing field, the value the rules keep (first value
 * wins, the survivor's first; the favorite store from the higher source),
 * and a choice that overrides it. */
static void
test_plan (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdMergePlan) plan = NULL;
  g_autoptr(PdPersona) merged = NULL;
  g_autoptr(PdPersona) cat_persona = NULL;
  gint64 ids[2];
  PdMergeField *city = NULL, *store_field = NULL;

  seed (f);
  ids[0] = find (f, PD_FIELD_EMAIL, "ann@example.com");
  ids[1] = find (f, PD_FIELD_EMAIL, "cat@example.com");
  /* Cat told the wallet app her favorite store: it beats the file's */
  cat_persona = get (f, ids[1]);
  pd_persona_set_value (cat_persona, PD_FIELD_FAVORITE_STORE, "Harbor");
  pd_persona_set_value_source (cat_persona, PD_FIELD_FAVORITE_STORE, PD_SOURCE_WALLET);
  g_assert_true (pd_store_save_persona (f->store, cat_persona, PD_SOURCE_WALLET, &error));
  g_assert_no_error (error);

  plan = pd_store_plan_merge (f->store, ids, 2, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < plan->fields->len; i++)
    {
      PdMergeField *field = g_ptr_array_index (plan->fields, i);

      if (g_str_equal (field->key, "city"))
        city = field;
      else if (g_str_equal (field->key, "favorite_store"))
        store_field = field;
      /* only fields that differ */
      g_assert_cmpstr (g_ptr_array_index (field->values, 0), !=, g_ptr_array_index (field->values, 1));
    }
  g_assert_nonnull (city);
  /* Ann has no city: Cat's is the first value */
  g_assert_cmpuint (city->kept, ==, 1);
  g_assert_nonnull (store_field);
  g_assert_cmpuint (store_field->kept, ==, 1);
  g_assert_cmpuint (plan->points, ==, 13);

  merged = pd_merge_plan_build (plan, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_persona_get_value (merged, PD_FIELD_FIRST_NAME), ==, "Ann");
  g_assert_cmpstr (pd_persona_get_value (merged, PD_FIELD_CITY), ==, "Paris");
  g_assert_cmpstr (pd_persona_get_value (merged, PD_FIELD_FAVORITE_STORE), ==, "Harbor");
  g_assert_cmpuint (pd_persona_get_emails (merged)->len, ==, 3);
  g_assert_cmpuint (pd_persona_get_tags (merged)->len, ==, 3);

  {
    g_autofree char *keep = g_strdup_printf ("first_name=%" PRId64, ids[1]);
    g_autoptr(PdPersona) chosen = NULL;

    g_assert_true (pd_merge_plan_choose_text (plan, keep, &error));
    g_assert_no_error (error);
    chosen = pd_merge_plan_build (plan, &error);
    g_assert_cmpstr (pd_persona_get_value (chosen, PD_FIELD_FIRST_NAME), ==, "Cat");
  }
  /* the favorite store's precedence holds for a choice too: the file's
   * value cannot replace a survivor's from the wallet app */
  {
    gint64 reversed[2] = { ids[1], ids[0] };
    g_autoptr(PdMergePlan) other_plan = pd_store_plan_merge (f->store, reversed, 2, &error);
    g_autofree char *keep = g_strdup_printf ("favorite_store=%" PRId64, ids[0]);

    g_assert_no_error (error);
    g_assert_false (pd_merge_plan_choose_text (other_plan, keep, &error));
    g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "wallet"));
    g_clear_error (&error);
  }
  /* a field where they agree, and a persona not in the merge */
  g_assert_false (pd_merge_plan_choose_text (plan, "web=1", &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (pd_merge_plan_choose_text (plan, "city=999", &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
}

/* After a merge the merged-away persona leads to the survivor: by id,
 * by a "merge:" search on its email or phone, and for an import that
 * matches its email (which updates the survivor, creating nobody). */
static void
test_leads_to_survivor (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPersona) survivor = NULL;
  g_autoptr(PdImportJob) job = NULL;
  PdPersonaQuery query = { PD_PERSONA_VIEW_ACTIVE, "merge:ANNIE@example.com" };
  g_autoptr(GPtrArray) found = NULL;
  gint64 ann, annie, ids[2];

  seed (f);
  ids[0] = ann = find (f, PD_FIELD_EMAIL, "ann@example.com");
  ids[1] = annie = find (f, PD_FIELD_EMAIL, "annie@example.com");
  {
    g_autoptr(PdPersona) persona = get (f, annie);

    pd_persona_set_value (persona, PD_FIELD_EXTERNAL_ID, "C-77");
    g_assert_true (pd_store_save_persona (f->store, persona, PD_SOURCE_MANUAL, &error));
    g_clear_object (&persona);
    persona = get (f, ann);
    pd_persona_set_value (persona, PD_FIELD_EXTERNAL_ID, "C-11");
    g_assert_true (pd_store_save_persona (f->store, persona, PD_SOURCE_MANUAL, &error));
    g_assert_no_error (error);
  }
  merge (f, ids, 2, NULL);

  g_assert_cmpint (pd_store_get_survivor (f->store, annie, &error), ==, ann);
  g_assert_cmpint (pd_store_get_survivor (f->store, ann, &error), ==, ann);
  g_assert_cmpint (pd_store_get_survivor (f->store, 9999, &error), ==, 0);
  g_assert_error (error, PD_ERROR, PD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (pd_store_find_merge_of (f->store, annie, &error), >, 0);

  found = pd_store_list_personas (f->store, &query, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (pd_persona_get_id (g_ptr_array_index (found, 0)), ==, ann);
  g_clear_pointer (&found, g_ptr_array_unref);
  query.search = "merge:202-555-0199";
  found = pd_store_list_personas (f->store, &query, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (pd_persona_get_id (g_ptr_array_index (found, 0)), ==, ann);

  job = import (f, "Email,Birth Date,Points\r\nannie@example.com,1990-04-01,7\r\n", NULL);
  g_assert_cmpuint (pd_import_job_get_info (job)->imported, ==, 0);
  g_assert_cmpuint (pd_import_job_get_info (job)->updated, ==, 1);
  survivor = get (f, ann);
  g_assert_cmpstr (pd_persona_get_value (survivor, PD_FIELD_BIRTH_DATE), ==, "1990-04-01");
  g_assert_cmpint (pd_persona_get_points (survivor), ==, 10 + 5 + 7);
  g_assert_cmpint (count_active (f, NULL), ==, 2);

  /* the survivor kept its own external ID; the merged-away one still
   * leads to it */
  g_assert_cmpstr (pd_persona_get_value (survivor, PD_FIELD_EXTERNAL_ID), ==, "C-11");
  {
    g_autoptr(PdImportJob) by_id = NULL;
    g_autoptr(PdPersona) updated = NULL;
    PdImportOptions options;

    pd_import_options_init (&options);
    options.match = "external_id";
    by_id = import (f, "External ID,Customer Type\r\nC-77,medical\r\n", &options);
    g_assert_cmpuint (pd_import_job_get_info (by_id)->imported, ==, 0);
    g_assert_cmpuint (pd_import_job_get_info (by_id)->updated, ==, 1);
    updated = get (f, ann);
    g_assert_cmpstr (pd_persona_get_value (updated, PD_FIELD_CUSTOMER_TYPE), ==, "medical");
  }
  g_assert_cmpint (count_active (f, NULL), ==, 2);
}

/* Points are summed, with one ledger entry for each persona merged in
 * (and one taking them off it); unmerge reverses each. */
static void
test_points (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ledger = NULL, other_ledger = NULL;
  g_autoptr(PdPersona) survivor = NULL, cat_after = NULL;
  gint64 ids[3], merge_id;
  guint n_before;

  seed (f);
  ids[0] = find (f, PD_FIELD_EMAIL, "ann@example.com");
  ids[1] = find (f, PD_FIELD_EMAIL, "annie@example.com");
  ids[2] = find (f, PD_FIELD_EMAIL, "cat@example.com");
  ledger = pd_store_list_ledger (f->store, ids[0], &error);
  n_before = ledger->len;
  g_clear_pointer (&ledger, g_ptr_array_unref);

  merge_id = merge (f, ids, 3, NULL);
  survivor = get (f, ids[0]);
  g_assert_cmpint (pd_persona_get_points (survivor), ==, 10 + 5 + 3);
  ledger = pd_store_list_ledger (f->store, ids[0], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ledger->len, ==, n_before + 2);
  {
    gint64 deltas = 0;

    for (guint i = 0; i < ledger->len; i++)
      {
        PdLedgerEntry *entry = g_ptr_array_index (ledger, i);

        if (entry->delta == 5 || entry->delta == 3)
          {
            deltas += entry->delta;
            g_assert_nonnull (entry->reason);
            g_assert_cmpstr (entry->actor, ==, "Olga");
          }
      }
    g_assert_cmpint (deltas, ==, 8);
  }
  other_ledger = pd_store_list_ledger (f->store, ids[2], &error);
  g_assert_no_error (error);
  {
    gboolean found = FALSE;

    for (guint i = 0; i < other_ledger->len; i++)
      {
        PdLedgerEntry *entry = g_ptr_array_index (other_ledger, i);

        if (entry->delta == -3 && entry->balance == 0)
          found = TRUE;
      }
    g_assert_true (found);
  }
  g_assert_cmpstr (ledger_mismatch (f), ==, NULL);

  g_assert_true (pd_store_unmerge (f->store, merge_id, &owner, &error));
  g_assert_no_error (error);
  cat_after = get (f, ids[2]);
  g_assert_cmpint (pd_persona_get_points (cat_after), ==, 3);
  g_assert_cmpstr (ledger_mismatch (f), ==, NULL);
}

/* An explicit SMS opt-out of either persona wins over the other's
 * opt-in. */
static void
test_opt_out_wins (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPersona) a = pd_persona_new (), b = pd_persona_new ();
  g_autoptr(PdPersona) merged = NULL;
  gint64 ids[2];

  pd_persona_add_email (a, "in@example.com");
  pd_persona_add_phone (a, "+12025550101");
  pd_persona_set_sms_consent (a, PD_SMS_CONSENT_OPTED_IN);
  pd_persona_set_email_opt_in (a, TRUE);
  pd_persona_add_email (b, "out@example.com");
  pd_persona_add_phone (b, "+12025550102");
  pd_persona_set_sms_opt_out (b, TRUE);
  g_assert_true (pd_store_save_persona (f->store, a, PD_SOURCE_MANUAL, &error));
  g_assert_true (pd_store_save_persona (f->store, b, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  ids[0] = pd_persona_get_id (a);
  ids[1] = pd_persona_get_id (b);
  merge (f, ids, 2, NULL);
  merged = get (f, ids[0]);
  g_assert_true (pd_persona_get_sms_opt_out (merged));
  g_assert_cmpint (pd_persona_get_sms_consent (merged), ==, PD_SMS_CONSENT_NONE);
  g_assert_true (pd_persona_get_email_opt_in (merged));

  /* and an address that unsubscribed keeps the merged persona out of email */
  {
    g_autoptr(PdPersona) c = pd_persona_new ();
    g_autoptr(PdPersona) twice = NULL;
    PdConsentChange change;
    gint64 more[2];

    pd_persona_add_email (c, "unsubscribed@example.com");
    g_assert_true (pd_store_save_persona (f->store, c, PD_SOURCE_MANUAL, &error));
    g_assert_true (pd_store_email_decline (f->store, "unsubscribed@example.com", &owner, &change, &error));
    g_assert_no_error (error);
    more[0] = ids[0];
    more[1] = pd_persona_get_id (c);
    merge (f, more, 2, NULL);
    twice = get (f, ids[0]);
    g_assert_false (pd_persona_get_email_opt_in (twice));
    g_assert_true (pd_persona_get_sms_opt_out (twice));
  }
}

/* The core refuses a merge and an unmerge by a role that may not edit,
 * and writes nothing; the owner's are in the audit log, IDs only. */
static void
test_roles_and_audit (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdMergePlan) plan = NULL;
  g_autofree char *before = NULL, *after = NULL, *audit = NULL;
  PdActor analyst = { PD_SOURCE_MANUAL, "Ana", PD_ROLE_ANALYST };
  gint64 ids[2], merge_id = 0;

  seed (f);
  ids[0] = find (f, PD_FIELD_EMAIL, "ann@example.com");
  ids[1] = find (f, PD_FIELD_EMAIL, "annie@example.com");
  before = dump_persona_tables (f);
  plan = pd_store_plan_merge (f->store, ids, 2, &error);
  g_assert_no_error (error);
  g_assert_false (pd_store_merge_personas (f->store, plan, &analyst, &merge_id, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
  g_clear_error (&error);
  after = dump_persona_tables (f);
  g_assert_cmpstr (after, ==, before);

  merge_id = merge (f, ids, 2, NULL);
  g_assert_false (pd_store_unmerge (f->store, merge_id, &analyst, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_true (pd_store_unmerge (f->store, merge_id, &owner, &error));
  g_assert_no_error (error);

  audit = dump_sql (f, "SELECT who, action, persona_id, detail FROM audit_log ORDER BY id");
  g_assert_nonnull (strstr (audit, "Olga|persona.merge|"));
  g_assert_nonnull (strstr (audit, "Olga|persona.unmerge|"));
  g_assert_null (strstr (audit, "Ana|"));
  g_assert_null (strstr (audit, "@example.com"));
  g_assert_null (strstr (audit, "Annie"));
}

/* Bad input is refused with the reason: one persona twice, an unknown
 * one, an archived one, one merged away already, the contacts cap. */
static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPersona) big1 = pd_persona_new (), big2 = pd_persona_new ();
  gint64 ids[2], big[2];
  PdMergePlan *plan;

  seed (f);
  ids[0] = find (f, PD_FIELD_EMAIL, "ann@example.com");
  ids[1] = ids[0];
  g_assert_null (pd_store_plan_merge (f->store, ids, 2, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
  g_clear_error (&error);
  ids[1] = 4242;
  g_assert_null (pd_store_plan_merge (f->store, ids, 2, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  ids[1] = find (f, PD_FIELD_EMAIL, "cat@example.com");
  g_assert_true (pd_store_set_archived (f->store, ids[1], TRUE, &error));
  g_assert_null (pd_store_plan_merge (f->store, ids, 2, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "archived"));
  g_clear_error (&error);
  g_assert_true (pd_store_set_archived (f->store, ids[1], FALSE, &error));
  merge (f, ids, 2, NULL);
  g_assert_null (pd_store_plan_merge (f->store, ids, 2, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "merged into"));
  g_clear_error (&error);

  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *a = g_strdup_printf ("big%u@example.com", i);
      g_autofree char *b = g_strdup_printf ("huge%u@example.com", i);

      pd_persona_add_email (big1, a);
      pd_persona_add_email (big2, b);
    }
  g_assert_true (pd_store_save_persona (f->store, big1, PD_SOURCE_MANUAL, &error));
  g_assert_true (pd_store_save_persona (f->store, big2, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  big[0] = pd_persona_get_id (big1);
  big[1] = pd_persona_get_id (big2);
  plan = pd_store_plan_merge (f->store, big, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plan->n_contacts, ==, 120);
  g_assert_false (pd_store_merge_personas (f->store, plan, &owner, NULL, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "100"));
  pd_merge_plan_free (plan);
  g_assert_cmpint (pd_store_get_survivor (f->store, big[1], NULL), ==, big[1]);
}

/* Unmerge keeps what changed on the survivor since, and refuses, saying
 * why, when a later event makes it impossible. */
static void
test_unmerge_later_events (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPersona) ann = NULL, annie = NULL, third = pd_persona_new ();
  gint64 ids[2], cat_ids[2], merge_id, later;
  g_autofree char *third_id = NULL;

  seed (f);
  ids[0] = find (f, PD_FIELD_EMAIL, "ann@example.com");
  ids[1] = find (f, PD_FIELD_EMAIL, "annie@example.com");
  merge_id = merge (f, ids, 2, NULL);

  /* a later merge into the survivor goes first */
  cat_ids[0] = ids[0];
  cat_ids[1] = find (f, PD_FIELD_EMAIL, "cat@example.com");
  later = merge (f, cat_ids, 2, NULL);
  g_assert_false (pd_store_unmerge (f->store, merge_id, &owner, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "undo that one first"));
  g_clear_error (&error);
  g_assert_true (pd_store_unmerge (f->store, later, &owner, &error));
  g_assert_no_error (error);

  /* Staff edit the survivor (a new city) and give Annie's address to a
   * third persona: the unmerge cannot give it back */
  ann = get (f, ids[0]);
  pd_persona_set_value (ann, PD_FIELD_CITY, "Lisbon");
  g_assert_true (pd_persona_remove_email (ann, "annie@example.com"));
  g_assert_true (pd_store_save_persona (f->store, ann, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  pd_persona_add_email (third, "annie@example.com");
  g_assert_true (pd_store_save_persona (f->store, third, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  third_id = g_strdup_printf ("persona %" PRId64, pd_persona_get_id (third));
  g_assert_false (pd_store_unmerge (f->store, merge_id, &owner, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, third_id));
  g_clear_error (&error);

  /* once the third persona lets it go, the unmerge works and keeps the
   * survivor's new city */
  g_clear_object (&third);
  third = get (f, find (f, PD_FIELD_EMAIL, "annie@example.com"));
  pd_persona_add_email (third, "other@example.com");
  pd_persona_remove_email (third, "annie@example.com");
  g_assert_true (pd_store_save_persona (f->store, third, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_unmerge (f->store, merge_id, &owner, &error));
  g_assert_no_error (error);
  g_clear_object (&ann);
  ann = get (f, ids[0]);
  annie = get (f, ids[1]);
  g_assert_cmpstr (pd_persona_get_value (ann, PD_FIELD_CITY), ==, "Lisbon");
  g_assert_cmpstr (pd_persona_get_value (ann, PD_FIELD_LAST_NAME), ==, "Lee");
  g_assert_cmpuint (pd_persona_get_emails (ann)->len, ==, 2);
  g_assert_cmpstr (pd_persona_get_value (annie, PD_FIELD_CITY), ==, "Boston");
  g_assert_cmpint (pd_persona_get_points (annie), ==, 5);
  g_assert_cmpint (pd_persona_get_points (ann), ==, 10);
  g_assert_cmpint (find (f, PD_FIELD_EMAIL, "annie@example.com"), ==, ids[1]);
  g_assert_cmpstr (ledger_mismatch (f), ==, NULL);
}

/* A merged-away persona blocklisted since (the privacy issue's blocklist
 * sets the flag) is not brought back into the lists by an unmerge. */
static void
test_unmerge_blocklisted (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 ids[2], merge_id;
  g_autofree char *sql = NULL;
  sqlite3 *db;

  seed (f);
  ids[0] = find (f, PD_FIELD_EMAIL, "ann@example.com");
  ids[1] = find (f, PD_FIELD_EMAIL, "annie@example.com");
  merge_id = merge (f, ids, 2, NULL);
  sql = g_strdup_printf ("UPDATE personas SET blocklisted = 1 WHERE id = %" PRId64, ids[1]);
  g_assert_cmpint (sqlite3_open_v2 (f->db, &db, SQLITE_OPEN_READWRITE, pd_sqlite_vfs_register ()), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_false (pd_store_unmerge (f->store, merge_id, &owner, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "blocklisted"));
  g_assert_cmpint (count_active (f, NULL), ==, 2);
}

static void
add_order (Fixture    *f,
           gint64      persona_id,
           const char *number)
{
  g_autoptr(PdOrder) order = pd_order_new ();
  g_autoptr(GError) error = NULL;

  order->persona_id = persona_id;
  order->number = g_strdup (number);
  order->time_us = g_get_real_time ();
  pd_order_add_item (order, "Coffee", 1, 350);
  g_assert_cmpint (pd_store_add_order (f->store, order, &owner, &error), >, 0);
  g_assert_no_error (error);
}

static guint
n_orders (Fixture *f,
          gint64   persona_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) orders = pd_store_list_orders (f->store, persona_id, &error);
  PdPurchaseStats *stats;
  guint n;

  g_assert_no_error (error);
  stats = pd_store_get_purchase_stats (f->store, persona_id, &error);
  g_assert_no_error (error);
  /* the list and the prediction's counts agree */
  g_assert_cmpuint (stats->n_orders, ==, orders->len);
  n = orders->len;
  pd_purchase_stats_free (stats);
  return n;
}

/* A merge takes the merged-away persona's orders to the survivor (its
 * purchase history, the prediction, the order search); unmerge gives
 * each persona its own back, and an order added to the survivor since
 * stays with it. */
static void
test_orders_follow (Fixture       *f,
                    gconstpointer  data)
{
  gint64 ids[2];
  gint64 merge_id;
  g_autoptr(GError) error = NULL;

  seed (f);
  ids[0] = find (f, PD_FIELD_EMAIL, "ann@example.com");
  ids[1] = find (f, PD_FIELD_EMAIL, "annie@example.com");
  add_order (f, ids[0], "A-1");
  add_order (f, ids[1], "B-1");
  add_order (f, ids[1], "B-2");

  merge_id = merge (f, ids, 2, NULL);
  g_assert_cmpuint (n_orders (f, ids[0]), ==, 3);
  g_assert_cmpuint (n_orders (f, ids[1]), ==, 0);
  /* found by the merged-away persona's order number */
  g_assert_cmpint (count_active (f, "B-2"), ==, 1);
  add_order (f, ids[0], "A-2");

  g_assert_true (pd_store_unmerge (f->store, merge_id, &owner, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_orders (f, ids[0]), ==, 2);
  g_assert_cmpuint (n_orders (f, ids[1]), ==, 2);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, func) g_test_add ("/merge/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("restore-every-row", test_restore_every_row);
  ADD ("plan", test_plan);
  ADD ("leads-to-survivor", test_leads_to_survivor);
  ADD ("points", test_points);
  ADD ("opt-out-wins", test_opt_out_wins);
  ADD ("roles-and-audit", test_roles_and_audit);
  ADD ("refusals", test_refusals);
  ADD ("unmerge-later-events", test_unmerge_later_events);
  ADD ("unmerge-blocklisted", test_unmerge_blocklisted);
  ADD ("orders-follow", test_orders_follow);
#undef ADD
  return g_test_run ();
}
