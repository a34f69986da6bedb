/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Staff accounts and roles (issue 16): each write refused by the core for
 * a role that may not make it (the store call itself returns
 * PD_ERROR_PERMISSION, whatever a face hides), the audit log's entry of
 * each allowed write with who made it, accounts and their passwords, and
 * the CLI's --user, accounts and audit commands on the real program. */
#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <json-glib/json-glib.h>

#include "pd-error.h"
#include "pd-permission.h"
#include "pd-store-staff.h"
#include "pd-test-cli.h"
#include "pd-test-store-fixture.h"

static const PdActor owner = { PD_SOURCE_MANUAL, "Olga", PD_ROLE_OWNER };
static const PdActor manager = { PD_SOURCE_MANUAL, "Max", PD_ROLE_MANAGER };
static const PdActor staff = { PD_SOURCE_MANUAL, "Sam", PD_ROLE_STAFF };
static const PdActor analyst = { PD_SOURCE_MANUAL, "Ana", PD_ROLE_ANALYST };

static gint64
add_persona (Fixture    *f,
             const char *email,
             const char *phone)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPersona) p = pd_persona_new ();

  pd_persona_set_value (p, PD_FIELD_FIRST_NAME, "Ann");
  pd_persona_add_email (p, email);
  if (phone != NULL)
    pd_persona_add_phone (p, phone);
  g_assert_true (pd_store_save_persona_as (f->store, p, &owner, &error));
  g_assert_no_error (error);
  return pd_persona_get_id (p);
}

/* The entries of @action by @who, newest first, as the Owner reads them. */
static GPtrArray *
entries_of (Fixture    *f,
            const char *action,
            const char *who)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = pd_store_list_audit (f->store, 0, 0, 0, &owner, &error);
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_audit_entry_free);

  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    {
      PdAuditEntry *e = g_ptr_array_index (all, i);

      if (g_strcmp0 (e->action, action) == 0 && g_strcmp0 (e->who, who) == 0)
        g_ptr_array_add (found, pd_audit_entry_copy (e));
    }
  return found;
}

static guint
n_entries (Fixture    *f,
           const char *action,
           const char *who)
{
  g_autoptr(GPtrArray) found = entries_of (f, action, who);

  return found->len;
}

static void
test_staff_cannot_import (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "people.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PdImportJob) job = NULL;
  g_autoptr(PdImportInfo) info = pd_import_info_new ();
  g_autoptr(GPtrArray) imports = NULL;
  g_autoptr(GError) error = NULL;
  PdSourceOptions source = { .n_threads = 1 };
  PdImportOptions options;

  g_assert_true (g_file_set_contents (path, "Email\nann@example.com\n", -1, NULL));

  /* the store itself refuses to begin the import */
  g_assert_cmpint (pd_store_begin_import_as (f->store, info, path, &staff, &error), ==, 0);
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
  g_clear_error (&error);

  /* and so does the job, before it reads the file */
  pd_import_options_init (&options);
  options.accept_terms = TRUE;
  job = pd_import_job_new (f->store, file, &source, &options);
  pd_import_job_set_actor (job, &staff);
  g_assert_false (pd_import_job_run (job, NULL, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "Sam"));
  g_clear_error (&error);

  imports = pd_store_list_imports (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (imports->len, ==, 0);
  g_assert_cmpint (pd_store_find_persona (f->store, PD_FIELD_EMAIL, "ann@example.com", &error), ==, 0);

  /* the Owner may; the history names the staff member who imported */
  g_clear_object (&job);
  job = pd_import_job_new (f->store, file, &source, &options);
  pd_import_job_set_actor (job, &owner);
  g_assert_true (pd_import_job_run (job, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&imports, g_ptr_array_unref);
  imports = pd_store_list_imports (f->store, &error);
  g_assert_cmpuint (imports->len, ==, 1);
  g_assert_cmpstr (((PdImportInfo *) g_ptr_array_index (imports, 0))->user, ==, "Olga");

  /* undoing or deleting it is the Owner's too */
  g_assert_false (pd_store_undo_import_as (f->store, pd_import_job_get_info (job)->id, NULL, NULL,
                                           &manager, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (pd_store_delete_import_as (f->store, pd_import_job_get_info (job)->id, &staff, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_true (pd_store_undo_import_as (f->store, pd_import_job_get_info (job)->id, NULL, NULL,
                                          &owner, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_entries (f, "import.undo", "Olga"), ==, 1);
}

static void
test_manager_cannot_forget (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPersona) still = NULL;
  const char *emails[] = { "ann@example.com", NULL };
  PdForgetRequest request = { .emails = emails };
  PdForgetResult result = { 0 };
  gint64 id = add_persona (f, "ann@example.com", "+12025550143");

  /* the store's forget refuses a Manager before anything is erased */
  g_assert_false (pd_store_forget (f->store, &manager, &request, &result, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "Max"));
  g_clear_error (&error);
  still = pd_store_get_persona (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (still);
  g_assert_cmpuint (n_entries (f, "privacy.forget", "Max"), ==, 0);
  /* and the blocklist is the Owner's too */
  g_assert_false (pd_actor_check (&manager, PD_PERMISSION_BLOCKLIST, &error));
  g_clear_error (&error);

  /* the Owner may, and the audit log says who */
  g_assert_true (pd_store_forget (f->store, &owner, &request, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.personas, ==, 1);
  g_assert_cmpuint (n_entries (f, "privacy.forget", "Olga"), ==, 1);
}

static void
test_analyst_cannot_edit (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPersona) p = NULL;
  g_autoptr(PdPersona) again = NULL;
  PdConsentChange change;
  PdLoyaltySettings settings;
  gint64 id = add_persona (f, "ann@example.com", "+12025550143");
  const gint64 one = 1;

  p = pd_store_get_persona (f->store, id, &error);
  pd_persona_set_value (p, PD_FIELD_FIRST_NAME, "Anna");
  g_assert_false (pd_store_save_persona_as (f->store, p, &analyst, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "Ana"));
  g_clear_error (&error);
  g_assert_false (pd_store_set_archived_as (f->store, id, TRUE, &analyst, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (pd_store_sms_opt_in (f->store, "+12025550143", PD_SMS_OPT_IN_FORCE, &analyst, &change, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (pd_store_email_decline (f->store, "ann@example.com", &analyst, &change, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (pd_store_set_source_id_as (f->store, id, "pos", "77", &analyst, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (pd_store_mark_outbox_sent_as (f->store, &one, 1, &analyst, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
  g_clear_error (&error);
  /* settings are the Owner's: a Manager may not either */
  g_assert_true (pd_store_get_loyalty_settings (f->store, &settings, &error));
  settings.allow_negative_balance = TRUE;
  g_assert_false (pd_store_set_loyalty_settings_as (f->store, &settings, &manager, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
  g_clear_error (&error);

  /* nothing changed, nothing audited */
  again = pd_store_get_persona (f->store, id, &error);
  g_assert_cmpstr (pd_persona_get_value (again, PD_FIELD_FIRST_NAME), ==, "Ann");
  g_assert_false (pd_persona_get_archived (again));
  g_assert_true (pd_store_get_loyalty_settings (f->store, &settings, &error));
  g_assert_false (settings.allow_negative_balance);
  g_assert_cmpuint (n_entries (f, "persona.edit", "Ana"), ==, 0);
  g_assert_cmpuint (n_entries (f, "persona.archive", "Ana"), ==, 0);

  /* the audit log is the Owner's to read */
  g_assert_null (pd_store_list_audit (f->store, 0, 0, 0, &manager, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
}

static JsonObject *
detail_of (PdAuditEntry *e)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (e->detail, &error);
  JsonObject *object;

  g_assert_no_error (error);
  object = json_object_ref (json_node_get_object (node));
  json_node_unref (node);
  return object;
}

static void
test_audit_lists_each (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPersona) p = pd_persona_new ();
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(JsonObject) detail = NULL;
  JsonObject *changes, *name;
  PdConsentChange change;
  gint64 id, before_us = g_get_real_time ();

  pd_persona_set_value (p, PD_FIELD_FIRST_NAME, "Ann");
  pd_persona_add_email (p, "ann@example.com");
  pd_persona_add_phone (p, "+12025550143");
  g_assert_true (pd_store_save_persona_as (f->store, p, &staff, &error));
  g_assert_no_error (error);
  id = pd_persona_get_id (p);
  g_assert_cmpuint (n_entries (f, "persona.create", "Sam"), ==, 1);

  /* an edit: the field, its old and new value */
  pd_persona_set_value (p, PD_FIELD_FIRST_NAME, "Anna");
  pd_persona_set_attribute (p, "shoe size", "38");
  g_assert_true (pd_store_save_persona_as (f->store, p, &staff, &error));
  g_assert_no_error (error);
  found = entries_of (f, "persona.edit", "Sam");
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (((PdAuditEntry *) found->pdata[0])->persona_id, ==, id);
  g_assert_cmpint (((PdAuditEntry *) found->pdata[0])->role, ==, PD_ROLE_STAFF);
  detail = detail_of (found->pdata[0]);
  changes = json_object_get_object_member (detail, "changes");
  g_assert_cmpuint (json_object_get_size (changes), ==, 2);
  name = json_object_get_object_member (changes, "first_name");
  g_assert_cmpstr (json_object_get_string_member (name, "old"), ==, "Ann");
  g_assert_cmpstr (json_object_get_string_member (name, "new"), ==, "Anna");
  g_assert_true (json_object_has_member (changes, "attribute:shoe size"));
  /* a save that changes nothing is no entry */
  g_assert_true (pd_store_save_persona_as (f->store, p, &staff, &error));
  g_assert_cmpuint (n_entries (f, "persona.edit", "Sam"), ==, 1);

  g_assert_true (pd_store_adjust_points_as (f->store, id, 5, "welcome", &manager, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_entries (f, "points.adjust", "Max"), ==, 1);

  g_assert_true (pd_store_sms_opt_in (f->store, "+12025550143", PD_SMS_OPT_IN_FORCE, &staff, &change, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_entries (f, "consent.sms-opt-in", "Sam"), ==, 1);
  g_assert_true (pd_store_email_decline (f->store, "ann@example.com", &manager, &change, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_entries (f, "consent.email-decline", "Max"), ==, 1);

  g_assert_true (pd_store_set_archived_as (f->store, id, TRUE, &staff, &error));
  g_assert_true (pd_store_set_archived_as (f->store, id, FALSE, &manager, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_entries (f, "persona.archive", "Sam"), ==, 1);
  g_assert_cmpuint (n_entries (f, "persona.restore", "Max"), ==, 1);

  g_assert_true (pd_store_set_source_id_as (f->store, id, "pos", "77", &staff, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_entries (f, "persona.edit", "Sam"), ==, 2);

  /* account changes: never the password */
  g_assert_cmpint (pd_store_add_account (f->store, "Kim", PD_ROLE_STAFF, "1234", &owner, &error), >, 0);
  g_assert_no_error (error);
  {
    PdAccountUpdate update = PD_ACCOUNT_UPDATE_INIT;

    update.set_role = TRUE;
    update.role = PD_ROLE_MANAGER;
    update.password = "5678";
    g_assert_true (pd_store_update_account (f->store, "Kim", &update, &owner, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (n_entries (f, "account.add", "Olga"), ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = entries_of (f, "account.update", "Olga");
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_null (strstr (((PdAuditEntry *) found->pdata[0])->detail, "5678"));
  g_assert_nonnull (strstr (((PdAuditEntry *) found->pdata[0])->detail, "manager"));

  /* newest first, paged, from a time on */
  g_clear_pointer (&found, g_ptr_array_unref);
  found = pd_store_list_audit (f->store, before_us, 0, 2, &owner, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpstr (((PdAuditEntry *) found->pdata[0])->action, ==, "account.update");
  g_assert_cmpstr (((PdAuditEntry *) found->pdata[1])->action, ==, "account.add");
  g_clear_pointer (&found, g_ptr_array_unref);
  found = pd_store_list_audit (f->store, g_get_real_time () + G_USEC_PER_SEC, 0, 0, &owner, &error);
  g_assert_cmpuint (found->len, ==, 0);
}

static void
test_accounts (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdAccount) account = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  PdAccountUpdate update = PD_ACCOUNT_UPDATE_INIT;
  PdStaffSettings settings;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  /* off by default */
  g_assert_true (pd_store_get_staff_settings (f->store, &settings, &error));
  g_assert_false (settings.enabled);
  /* on needs an Owner account */
  settings.enabled = TRUE;
  g_assert_false (pd_store_set_staff_settings (f->store, &settings, &owner, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_clear_error (&error);
  /* only the Owner manages accounts */
  g_assert_cmpint (pd_store_add_account (f->store, "Sam", PD_ROLE_STAFF, "1234", &manager, &error), ==, 0);
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_cmpint (pd_store_add_account (f->store, "Sam", PD_ROLE_STAFF, "12", &owner, &error), ==, 0);
  g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (pd_store_add_account (f->store, "Olga", PD_ROLE_OWNER, "correct horse", &owner, &error), >, 0);
  g_assert_cmpint (pd_store_add_account (f->store, "Sam", PD_ROLE_STAFF, "2468", &owner, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (pd_store_add_account (f->store, "sam", PD_ROLE_STAFF, "2468", &owner, &error), ==, 0);
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (pd_store_set_staff_settings (f->store, &settings, &owner, &error));
  g_assert_no_error (error);

  accounts = pd_store_list_accounts (f->store, &error);
  g_assert_cmpuint (accounts->len, ==, 2);
  g_assert_cmpstr (((PdAccount *) accounts->pdata[0])->name, ==, "Olga");
  g_assert_cmpint (((PdAccount *) accounts->pdata[1])->role, ==, PD_ROLE_STAFF);

  /* verify: right, wrong, unknown; one message for the last two */
  account = pd_store_verify_account (f->store, "Sam", "2468", &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);
  g_assert_cmpint (account->role, ==, PD_ROLE_STAFF);
  g_clear_pointer (&account, pd_account_free);
  g_assert_null (pd_store_verify_account (f->store, "Sam", "2469", &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_null (pd_store_verify_account (f->store, "Nobody", "2468", &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
  g_clear_error (&error);

  /* the stored hash is Argon2id, not the password */
  if (f->pg)
    {
      PGconn *conn = pd_test_pg_connect (f->db);
      PGresult *result = PQexec (conn, "SELECT hash FROM accounts WHERE name = 'Sam'");

      g_assert_cmpint (PQntuples (result), ==, 1);
      g_assert_true (g_str_has_prefix (PQgetvalue (result, 0, 0), "$argon2id$"));
      g_assert_null (strstr (PQgetvalue (result, 0, 0), "2468"));
      PQclear (result);
      PQfinish (conn);
    }
  else
    {
  g_assert_cmpint (sqlite3_open_v2 (f->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT hash FROM accounts WHERE name = 'Sam'", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_true (g_str_has_prefix ((const char *) sqlite3_column_text (stmt, 0), "$argon2id$"));
  g_assert_null (strstr ((const char *) sqlite3_column_text (stmt, 0), "2468"));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
    }

  /* a new password replaces the old; a disabled account cannot sign in */
  update.password = "1357";
  g_assert_true (pd_store_update_account (f->store, "Sam", &update, &owner, &error));
  g_assert_null (pd_store_verify_account (f->store, "Sam", "2468", NULL));
  account = pd_store_verify_account (f->store, "Sam", "1357", &error);
  g_assert_nonnull (account);
  g_clear_pointer (&account, pd_account_free);
  update = (PdAccountUpdate) PD_ACCOUNT_UPDATE_INIT;
  update.disabled = TRUE;
  g_assert_true (pd_store_update_account (f->store, "Sam", &update, &owner, &error));
  g_assert_null (pd_store_verify_account (f->store, "Sam", "1357", &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
  g_clear_error (&error);

  /* the last Owner stays one while accounts are on */
  g_assert_true (pd_store_update_account (f->store, "Olga", &update, &owner, &error) == FALSE);
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_clear_error (&error);
  update = (PdAccountUpdate) PD_ACCOUNT_UPDATE_INIT;
  update.set_role = TRUE;
  update.role = PD_ROLE_MANAGER;
  g_assert_false (pd_store_update_account (f->store, "Olga", &update, &owner, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (pd_store_update_account (f->store, "Nobody", &update, &owner, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_NOT_FOUND);
}

/* ---- the CLI ------------------------------------------------------------ */

static char *cli_dir;
static char *cli_db;

static int
cli (char      **out,
     char      **err,
     const char *password,
     const char *first,
     ...)
{
  g_autofree char *dropped_out = NULL, *dropped_err = NULL;
  va_list ap;
  int status;

  /* the program's output is not the test's (TAP) */
  if (out == NULL)
    out = &dropped_out;
  if (err == NULL)
    err = &dropped_err;
  if (password != NULL)
    g_setenv ("PERSONA_DESK_PASSWORD", password, TRUE);
  else
    g_unsetenv ("PERSONA_DESK_PASSWORD");
  va_start (ap, first);
  status = pd_test_cli_run_valist (cli_db, out, err, first, ap);
  va_end (ap);
  g_unsetenv ("PERSONA_DESK_PASSWORD");
  return status;
}

static void
test_cli (void)
{
  g_autofree char *csv = pd_test_cli_write_file (cli_dir, "people.csv", "Email\r\nann@example.com\r\n");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *entries;
  gboolean saw_add = FALSE;

  /* accounts off: whoever runs it is the Owner and adds accounts */
  g_setenv ("PERSONA_DESK_NEW_PASSWORD", "boss-pass", TRUE);
  g_assert_cmpint (cli (NULL, NULL, NULL, "accounts", "add", "Boss", "--role", "owner", NULL), ==, 0);
  g_setenv ("PERSONA_DESK_NEW_PASSWORD", "1234", TRUE);
  g_assert_cmpint (cli (NULL, NULL, NULL, "accounts", "add", "Sam", "--role", "staff", NULL), ==, 0);
  g_unsetenv ("PERSONA_DESK_NEW_PASSWORD");
  g_assert_cmpint (cli (NULL, NULL, NULL, "accounts", "on", NULL), ==, 0);

  /* on: a write needs --user, and says so */
  g_assert_cmpint (cli (&out, &err, NULL, "import", csv, "--accept-terms", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "--user"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* a Staff account may not import */
  g_assert_cmpint (cli (&out, &err, "1234", "--user", "Sam", "import", csv, "--accept-terms", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "Sam"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* a wrong password signs no one in */
  g_assert_cmpint (cli (&out, &err, "wrong", "--user", "Boss", "import", csv, "--accept-terms", NULL), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* the Owner imports; the history names her account */
  g_assert_cmpint (cli (NULL, NULL, "boss-pass", "--user", "Boss", "import", csv, "--accept-terms", NULL), ==, 0);
  g_assert_cmpint (cli (&out, NULL, NULL, "history", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"Boss\""));
  g_clear_pointer (&out, g_free);

  /* the audit log: the Owner's, as JSON */
  g_assert_cmpint (cli (&out, &err, "1234", "--user", "Sam", "audit", NULL), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (&out, &err, "boss-pass", "--user", "Boss", "audit", "--json", NULL), ==, 0);
  node = json_from_string (out, &error);
  g_assert_no_error (error);
  entries = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (entries), >=, 3);
  /* newest first: turning accounts on came last */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entries, 0), "action"), ==,
                   "settings.staff-accounts");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *e = json_array_get_object_element (entries, i);

      if (g_str_equal (json_object_get_string_member (e, "action"), "account.add"))
        {
          saw_add = TRUE;
          g_assert_cmpstr (json_object_get_string_member (e, "role"), ==, "owner");
          g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (e, "detail")));
        }
    }
  g_assert_true (saw_add);
  g_assert_null (strstr (out, "boss-pass"));
  g_assert_null (strstr (out, "1234"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* --since: nothing from the future; a date that is none is bad input */
  g_assert_cmpint (cli (&out, NULL, "boss-pass", "--user", "Boss", "audit", "--since", "2999-01-01", "--json",
                        NULL), ==, 0);
  g_clear_pointer (&node, json_node_unref);
  node = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli (NULL, NULL, "boss-pass", "--user", "Boss", "audit", "--since", "yesterday", NULL), ==, 2);
}

/* The same commands on a PostgreSQL database (--db postgresql://…). */
static void
test_cli_pg (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  char *sqlite_db = cli_db;

  if (uri == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return;
    }
  cli_db = uri;
  test_cli ();
  cli_db = sqlite_db;
  pd_test_pg_drop_database (uri);
}

int
main (int argc, char *argv[])
{
  int status;
  gboolean with_cli;

  g_test_init (&argc, &argv, NULL);
  g_test_add ("/staff/staff-cannot-import", Fixture, NULL, fixture_set_up, test_staff_cannot_import,
              fixture_tear_down);
  g_test_add ("/staff/manager-cannot-forget", Fixture, NULL, fixture_set_up, test_manager_cannot_forget,
              fixture_tear_down);
  g_test_add ("/staff/analyst-cannot-edit", Fixture, NULL, fixture_set_up, test_analyst_cannot_edit,
              fixture_tear_down);
  g_test_add ("/staff/audit-lists-each", Fixture, NULL, fixture_set_up, test_audit_lists_each,
              fixture_tear_down);
  g_test_add ("/staff/accounts", Fixture, NULL, fixture_set_up, test_accounts, fixture_tear_down);
  with_cli = pd_test_cli_set_up ("staff-cli", &cli_dir, &cli_db);
  if (with_cli)
    g_test_add_func ("/staff/cli", test_cli);
  /* the same on PostgreSQL (issue 19) */
  FIXTURE_ADD_PG ("/staff/pg/staff-cannot-import", test_staff_cannot_import);
  FIXTURE_ADD_PG ("/staff/pg/manager-cannot-forget", test_manager_cannot_forget);
  FIXTURE_ADD_PG ("/staff/pg/analyst-cannot-edit", test_analyst_cannot_edit);
  FIXTURE_ADD_PG ("/staff/pg/audit-lists-each", test_audit_lists_each);
  FIXTURE_ADD_PG ("/staff/pg/accounts", test_accounts);
  if (with_cli)
    g_test_add_func ("/staff/pg/cli", test_cli_pg);
  status = g_test_run ();
  if (with_cli)
    pd_temp_remove_dir (cli_dir);
  return status;
}
