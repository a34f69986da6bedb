/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <unistd.h>
#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* The PostgreSQL side of the store tests.  tests/pg-run.sh (which `make
 * test` runs the tests under) starts a throwaway server and exports
 * PD_TEST_PG_URI, a URI of its maintenance database; each test gets a
 * database of its own there (tests run in parallel), dropped after.
 * Without PD_TEST_PG_URI the PostgreSQL tests skip. */

#define PD_TEST_PG_SKIP_MESSAGE \
  "PD_TEST_PG_URI is not set: run through `make test` or `sh tests/pg-run.sh meson test …`"

static inline PGconn *
pd_test_pg_connect (const char *uri)
{
  PGconn *conn = PQconnectdb (uri);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("Cannot connect to %s: %s", uri, PQerrorMessage (conn));
  return conn;
}

/* Runs @sql on @uri's database; fails the test if it fails. */
static inline void
pd_test_pg_exec (const char *uri,
                 const char *sql)
{
  PGconn *conn = pd_test_pg_connect (uri);
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  PQclear (result);
  PQfinish (conn);
}

/* The number @sql (one row, one column) answers on @uri's database; fails
 * the test if it fails. */
static inline gint64
pd_test_pg_count (const char *uri,
                  const char *sql)
{
  PGconn *conn = pd_test_pg_connect (uri);
  PGresult *result = PQexec (conn, sql);
  gint64 n;

  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  n = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);
  PQfinish (conn);
  return n;
}

/* The base URI with another database name (host, port, user kept). */
static inline char *
pd_test_pg_uri_for (const char *base,
                    const char *dbname)
{
  PQconninfoOption *options = PQconninfoParse (base, NULL);
  GString *uri = g_string_new ("postgresql:///");
  char sep = '?';

  g_assert_nonnull (options);
  g_string_append_uri_escaped (uri, dbname, NULL, FALSE);
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (o->val != NULL && o->val[0] != '\0' && !g_str_equal (o->keyword, "dbname"))
      {
        g_string_append_printf (uri, "%c%s=", sep, o->keyword);
        g_string_append_uri_escaped (uri, o->val, "/", FALSE);
        sep = '&';
      }
  PQconninfoFree (options);
  return g_string_free (uri, FALSE);
}

/* Creates an empty database; returns its URI, or NULL when there is no
 * test server (the caller skips). */
static inline char *
pd_test_pg_new_database (void)
{
  static guint counter;
  const char *base = g_getenv ("PD_TEST_PG_URI");
  g_autofree char *name = NULL;
  g_autofree char *sql = NULL;

  if (base == NULL || *base == '\0')
    return NULL;
  name = g_strdup_printf ("pd_test_%d_%u", (int) getpid (), ++counter);
  sql = g_strdup_printf ("CREATE DATABASE %s", name);
  pd_test_pg_exec (base, sql);
  return pd_test_pg_uri_for (base, name);
}

static inline void
pd_test_pg_drop_database (const char *uri)
{
  const char *base = g_getenv ("PD_TEST_PG_URI");
  PQconninfoOption *options = PQconninfoParse (uri, NULL);
  g_autofree char *sql = NULL;

  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, "dbname"))
      sql = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", o->val);
  PQconninfoFree (options);
  if (base != NULL && sql != NULL)
    pd_test_pg_exec (base, sql);
}

G_END_DECLS
