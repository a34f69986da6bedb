/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Roles: what each may do, refused by the core (not only hidden by the
 * faces), and the audit log entry of an allowed write. */
#include <sqlite3.h>

#include "pd-error.h"
#include "pd-permission.h"
#include "pd-test-store-fixture.h"

static void
test_role_table (void)
{
  PdRole role;

  for (guint r = 0; r < PD_N_ROLES; r++)
    {
      gboolean reader = r == PD_ROLE_ANALYST || r == PD_ROLE_MARKETING_ANALYST;

      g_assert_true (pd_role_may (r, PD_PERMISSION_READ));
      g_assert_cmpint (pd_role_may (r, PD_PERMISSION_EDIT), ==, !reader);
      g_assert_cmpint (pd_role_may (r, PD_PERMISSION_ADJUST_POINTS), ==, !reader);
      g_assert_cmpint (pd_role_may (r, PD_PERMISSION_IMPORT), ==, r == PD_ROLE_OWNER);
      g_assert_cmpint (pd_role_may (r, PD_PERMISSION_FORGET), ==, r == PD_ROLE_OWNER);
      g_assert_cmpint (pd_role_may (r, PD_PERMISSION_MANAGE_TOKENS), ==, r == PD_ROLE_OWNER);
      g_assert_true (pd_role_from_key (pd_role_to_key (r), &role));
      g_assert_cmpint (role, ==, r);
    }
  g_assert_false (pd_role_from_key ("janitor", &role));
  g_assert_false (pd_role_may (PD_N_ROLES, PD_PERMISSION_READ));
}

static void
test_actor_check (void)
{
  g_autoptr(GError) error = NULL;
  PdActor sam = { PD_SOURCE_MANUAL, "Sam", PD_ROLE_STAFF };

  /* no actor, or one built without a role: the Owner */
  g_assert_true (pd_actor_check (NULL, PD_PERMISSION_FORGET, &error));
  g_assert_true (pd_actor_check (&(PdActor) { PD_SOURCE_MANUAL, "me" }, PD_PERMISSION_IMPORT, &error));
  g_assert_no_error (error);
  g_assert_false (pd_actor_check (&sam, PD_PERMISSION_IMPORT, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "Sam"));
}

static gint64
audit_rows (Fixture    *f,
            const char *action,
            const char *who)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  if (f->pg)
    {
      PGconn *conn = pd_test_pg_connect (f->db);
      const char *values[] = { action, who };
      PGresult *result = PQexecParams (conn, "SELECT count(*) FROM audit_log WHERE action = $1 AND who = $2 "
                                             "AND role = 'staff' AND detail LIKE '%\"delta\":10%'",
                                       2, NULL, values, NULL, NULL, 0);

      g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
      n = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
      PQclear (result);
      PQfinish (conn);
      return n;
    }
  g_assert_cmpint (sqlite3_open_v2 (f->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM audit_log WHERE action = ? AND who = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, who, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
test_points_refused_and_audited (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPersona) p = pd_persona_new ();
  PdActor analyst = { PD_SOURCE_MANUAL, "Ana", PD_ROLE_ANALYST };
  PdActor staff = { PD_SOURCE_MANUAL, "Sam", PD_ROLE_STAFF };
  gint64 balance = -1;

  pd_persona_add_email (p, "a@example.com");
  g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);

  g_assert_false (pd_store_adjust_points_as (f->store, pd_persona_get_id (p), 10, "gift",
                                             &analyst, &balance, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_cmpint (audit_rows (f, "points.adjust", "Ana"), ==, 0);

  g_assert_true (pd_store_adjust_points_as (f->store, pd_persona_get_id (p), 10, "gift",
                                            &staff, &balance, &error));
  g_assert_no_error (error);
  g_assert_cmpint (balance, ==, 10);
  g_assert_cmpint (audit_rows (f, "points.adjust", "Sam"), ==, 1);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/permission/role-table", test_role_table);
  g_test_add_func ("/permission/actor-check", test_actor_check);
  g_test_add ("/permission/points-refused-and-audited", Fixture, NULL,
              fixture_set_up, test_points_refused_and_audited, fixture_tear_down);
  /* the PostgreSQL store checks and records alike (skipped without a server) */
  FIXTURE_ADD_PG ("/permission/pg/points-refused-and-audited", test_points_refused_and_audited);
  return g_test_run ();
}
