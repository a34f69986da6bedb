/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-api's fixture: a real server on a free loopback port (on a thread
 * of its own, with its own main context), libsoup's client, and the OpenAPI
 * document's schemas, against which every answer is checked.  On either
 * store: a case's data is FIXTURE_PG for the PostgreSQL one (a database of
 * its own on tests/pg-run.sh's server; skipped without it). */
#pragma once

#include <string.h>
#include <libsoup/soup.h>

#include "pd-api-routes.h"
#include "pd-api-server.h"
#include <sqlite3.h>

#include "pd-error.h"
#include "pd-pg-store.h"
#include "pd-sqlite-store.h"
#include "pd-temp.h"
#include "pd-test-pg.h"

#define FIXTURE_SQLITE NULL
#define FIXTURE_PG     GINT_TO_POINTER (1)

typedef struct {
  char         *dir;
  char         *db;          /* the SQLite file, or the PostgreSQL URI */
  gboolean      pg;
  PdStore      *store;
  char         *token;       /* read-write */
  char         *ro_token;    /* read-only */
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  PdApiServer  *server;
  char         *url;
  GMutex        lock;
  GCond         ready;
  gboolean      started;
  SoupSession  *session;
} Fixture;

static JsonNode *spec;   /* docs/api/openapi.yaml as JSON (built by meson) */

static inline gpointer
serve (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GError) error = NULL;
  PdApiServerOptions options = { .n_workers = 4, .lock_wait_ms = 300, .max_bulk_body = 0 };

  g_main_context_push_thread_default (f->context);
  f->server = pd_api_server_new (f->store, &options, &error);
  g_assert_no_error (error);
  g_assert_true (pd_api_server_listen (f->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  g_mutex_lock (&f->lock);
  f->url = pd_api_server_dup_url (f->server);
  f->started = TRUE;
  g_cond_signal (&f->ready);
  g_mutex_unlock (&f->lock);
  g_main_loop_run (f->loop);
  pd_api_server_stop (f->server);
  g_clear_object (&f->server);
  g_main_context_pop_thread_default (f->context);
  return NULL;
}

static inline void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("pd-api-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->pg = data == FIXTURE_PG;
  if (f->pg)
    {
      f->db = pd_test_pg_new_database ();
      if (f->db == NULL)
        {
          g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
          return;
        }
      f->store = (PdStore *) pd_pg_store_new (f->db, &error);
    }
  else
    {
      f->db = g_build_filename (f->dir, "personas.db", NULL);
      f->store = (PdStore *) pd_sqlite_store_new (f->db, &error);
    }
  g_assert_no_error (error);
  g_assert_true (pd_store_create_api_token (f->store, "pos", FALSE, NULL, &f->token, &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_create_api_token (f->store, "reports", TRUE, NULL, &f->ro_token, &error));
  g_assert_no_error (error);
  f->context = g_main_context_new ();
  f->loop = g_main_loop_new (f->context, FALSE);
  g_mutex_init (&f->lock);
  g_cond_init (&f->ready);
  f->thread = g_thread_new ("api-server", serve, f);
  g_mutex_lock (&f->lock);
  while (!f->started)
    g_cond_wait (&f->ready, &f->lock);
  g_mutex_unlock (&f->lock);
  f->session = soup_session_new_with_options ("max-conns-per-host", 8, NULL);
}

static inline gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static inline void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->store != NULL)
    {
      g_clear_object (&f->session);
      g_main_context_invoke (f->context, quit_loop, f->loop);
      g_thread_join (f->thread);
      g_main_loop_unref (f->loop);
      g_main_context_unref (f->context);
      g_clear_object (&f->store);
      g_mutex_clear (&f->lock);
      g_cond_clear (&f->ready);
    }
  if (f->pg && f->db != NULL)
    pd_test_pg_drop_database (f->db);
  pd_temp_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->token);
  g_free (f->ro_token);
  g_free (f->url);
}

/* The first line of every case: nothing to test without its store. */
#define NEED_STORE(f) G_STMT_START { if ((f)->store == NULL) return; } G_STMT_END

/* Runs @sql on the fixture's database behind the store's back; returns
 * the first column of the first row (0 when none). */
static inline gint64
fixture_sql (Fixture    *f,
             const char *sql)
{
  gint64 value = 0;

  if (f->pg)
    {
      PGconn *conn = pd_test_pg_connect (f->db);
      PGresult *result = PQexec (conn, sql);

      if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
        g_error ("%s: %s", sql, PQresultErrorMessage (result));
      if (PQntuples (result) > 0)
        value = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
      PQclear (result);
      PQfinish (conn);
    }
  else
    {
      sqlite3 *db;
      sqlite3_stmt *stmt;
      int rc;

      g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
      sqlite3_busy_timeout (db, 5000);
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      rc = sqlite3_step (stmt);
      g_assert_true (rc == SQLITE_ROW || rc == SQLITE_DONE);
      if (rc == SQLITE_ROW)
        value = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      sqlite3_close (db);
    }
  return value;
}

/* ---- the OpenAPI document's schemas ---- */

static inline JsonObject *
resolve (JsonObject *schema)
{
  while (schema != NULL && json_object_has_member (schema, "$ref"))
    {
      const char *ref = json_object_get_string_member (schema, "$ref");
      g_auto(GStrv) parts = g_strsplit (ref + 2, "/", -1);   /* "#/components/…" */
      JsonObject *o = json_node_get_object (spec);

      for (guint i = 0; parts[i] != NULL && o != NULL; i++)
        o = json_object_has_member (o, parts[i]) ? json_object_get_object_member (o, parts[i]) : NULL;
      g_assert_nonnull (o);
      schema = o;
    }
  return schema;
}

/* Required members, types (and nullable), arrays' items and objects'
 * properties: what a client relies on.  @where names the place for the
 * failure message. */
static inline void
validate (JsonNode   *node,
          JsonObject *schema,
          const char *where)
{
  const char *type;

  schema = resolve (schema);
  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (!json_object_get_boolean_member_with_default (schema, "nullable", FALSE))
        g_error ("%s: null where the schema says not nullable", where);
      return;
    }
  type = json_object_get_string_member_with_default (schema, "type", NULL);
  if (g_strcmp0 (type, "object") == 0)
    {
      JsonObject *object;
      JsonArray *required;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        g_error ("%s: not an object", where);
      object = json_node_get_object (node);
      required = json_object_has_member (schema, "required") ? json_object_get_array_member (schema, "required")
                                                             : NULL;
      for (guint i = 0; required != NULL && i < json_array_get_length (required); i++)
        if (!json_object_has_member (object, json_array_get_string_element (required, i)))
          g_error ("%s: required member %s missing", where, json_array_get_string_element (required, i));
      if (json_object_has_member (schema, "properties"))
        {
          JsonObject *properties = json_object_get_object_member (schema, "properties");
          g_autoptr(GList) names = json_object_get_members (object);

          for (GList *l = names; l != NULL; l = l->next)
            {
              g_autofree char *inner = g_strdup_printf ("%s.%s", where, (const char *) l->data);

              if (json_object_has_member (properties, l->data))
                validate (json_object_get_member (object, l->data),
                          json_object_get_object_member (properties, l->data), inner);
            }
        }
    }
  else if (g_strcmp0 (type, "array") == 0)
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        g_error ("%s: not an array", where);
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *inner = g_strdup_printf ("%s[%u]", where, i);

          validate (json_array_get_element (array, i), json_object_get_object_member (schema, "items"), inner);
        }
    }
  else if (type != NULL)
    {
      GType value_type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
      gboolean ok = g_str_equal (type, "string") ? value_type == G_TYPE_STRING
                  : g_str_equal (type, "integer") ? value_type == G_TYPE_INT64
                  : g_str_equal (type, "number") ? value_type == G_TYPE_INT64 || value_type == G_TYPE_DOUBLE
                  : g_str_equal (type, "boolean") ? value_type == G_TYPE_BOOLEAN : FALSE;

      if (!ok)
        g_error ("%s: not a %s", where, type);
    }
}

/* The schema of @pattern's @method answering @status, or NULL. */
static inline JsonObject *
response_schema (const char *pattern,
                 const char *method,
                 guint       status,
                 JsonNode  **example)
{
  JsonObject *paths = json_object_get_object_member (json_node_get_object (spec), "paths");
  g_autofree char *lower = g_ascii_strdown (method, -1);
  g_autofree char *code = g_strdup_printf ("%u", status);
  JsonObject *operation, *responses, *response, *media;

  if (!json_object_has_member (paths, pattern))
    return NULL;
  operation = json_object_get_object_member (json_object_get_object_member (paths, pattern), lower);
  if (operation == NULL)
    return NULL;
  responses = json_object_get_object_member (operation, "responses");
  if (!json_object_has_member (responses, code))
    return NULL;
  response = resolve (json_object_get_object_member (responses, code));
  if (!json_object_has_member (response, "content"))
    return NULL;
  media = json_object_get_object_member (json_object_get_object_member (response, "content"), "application/json");
  if (example != NULL)
    *example = json_object_get_member (media, "example");
  return json_object_get_object_member (media, "schema");
}

/* ---- requests ---- */

typedef struct {
  guint     status;
  JsonNode *body;
  char     *retry_after;
} Reply;

static inline void
reply_clear (Reply *r)
{
  g_clear_pointer (&r->body, json_node_unref);
  g_clear_pointer (&r->retry_after, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reply, reply_clear)

/* @pattern: the route (for the schema check of the answer), or NULL */
static inline void
call_full (Fixture    *f,
           const char *method,
           const char *path,
           const char *pattern,
           const char *token,
           const char *body,
           gsize       body_len,
           Reply      *reply)
{
  g_autofree char *url = g_strconcat (f->url, path + 1, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *data;
  gsize len;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, body_len != 0 ? body_len : strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", request);
    }
  bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  reply->status = soup_message_get_status (msg);
  reply->retry_after = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                               "Retry-After"));
  data = g_bytes_get_data (bytes, &len);
  g_assert_true (json_parser_load_from_data (parser, data, len, &error));
  g_assert_no_error (error);
  reply->body = json_node_ref (json_parser_get_root (parser));
  /* every error is {"error": {"code", "message"}} */
  if (reply->status >= 400)
    validate (reply->body, json_object_get_object_member (
                json_object_get_object_member (json_object_get_object_member (json_node_get_object (spec),
                                                                              "components"), "schemas"), "Error"),
              path);
  if (pattern != NULL)
    {
      JsonObject *schema = response_schema (pattern, method, reply->status, NULL);

      if (schema == NULL)
        g_error ("%s %s answered %u, which openapi.yaml does not document", method, pattern, reply->status);
      validate (reply->body, schema, path);
    }
}

static inline void
call (Fixture    *f,
      const char *method,
      const char *path,
      const char *pattern,
      const char *body,
      Reply      *reply)
{
  call_full (f, method, path, pattern, f->token, body, 0, reply);
}

static inline const char *
error_code (Reply *r)
{
  return json_object_get_string_member (json_object_get_object_member (json_node_get_object (r->body), "error"),
                                        "code");
}

static inline gint64
member_int (Reply      *r,
            const char *name)
{
  return json_object_get_int_member (json_node_get_object (r->body), name);
}

static inline const char *
member_string (Reply      *r,
               const char *name)
{
  return json_object_get_string_member (json_node_get_object (r->body), name);
}

static inline gint64
create (Fixture    *f,
        const char *json)
{
  g_auto(Reply) r = { 0 };

  call (f, "POST", "/personas", "/personas", json, &r);
  g_assert_cmpuint (r.status, ==, 201);
  return member_int (&r, "id");
}

