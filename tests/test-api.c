/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The HTTP API (issue 18): a real server on a free loopback port (on a
 * thread of its own, with its own main context) and libsoup's client.
 * Every endpoint, the consent rules, 401/403/400/404/409/411/413/503, the
 * OpenAPI document against the route table both ways, its examples and
 * the server's real answers against its schemas. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "pd-api-routes.h"
#include "pd-api-server.h"
#include "pd-error.h"
#include "pd-sqlite-store.h"
#include "pd-temp.h"

typedef struct {
  char         *dir;
  char         *db;
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

static gpointer
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

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("pd-api-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "personas.db", NULL);
  f->store = (PdStore *) pd_sqlite_store_new (f->db, &error);
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

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  g_main_context_invoke (f->context, quit_loop, f->loop);
  g_thread_join (f->thread);
  g_main_loop_unref (f->loop);
  g_main_context_unref (f->context);
  g_clear_object (&f->store);
  pd_temp_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->token);
  g_free (f->ro_token);
  g_free (f->url);
  g_mutex_clear (&f->lock);
  g_cond_clear (&f->ready);
}

/* ---- the OpenAPI document's schemas ---- */

static JsonObject *
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
static void
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
static JsonObject *
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

static void
reply_clear (Reply *r)
{
  g_clear_pointer (&r->body, json_node_unref);
  g_clear_pointer (&r->retry_after, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reply, reply_clear)

/* @pattern: the route (for the schema check of the answer), or NULL */
static void
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

static void
call (Fixture    *f,
      const char *method,
      const char *path,
      const char *pattern,
      const char *body,
      Reply      *reply)
{
  call_full (f, method, path, pattern, f->token, body, 0, reply);
}

static const char *
error_code (Reply *r)
{
  return json_object_get_string_member (json_object_get_object_member (json_node_get_object (r->body), "error"),
                                        "code");
}

static gint64
member_int (Reply      *r,
            const char *name)
{
  return json_object_get_int_member (json_node_get_object (r->body), name);
}

static const char *
member_string (Reply      *r,
               const char *name)
{
  return json_object_get_string_member (json_node_get_object (r->body), name);
}

static gint64
create (Fixture    *f,
        const char *json)
{
  g_auto(Reply) r = { 0 };

  call (f, "POST", "/personas", "/personas", json, &r);
  g_assert_cmpuint (r.status, ==, 201);
  return member_int (&r, "id");
}

/* ---- tests ---- */

/* Every route in the table is documented, every documented one served. */
static void
test_spec (void)
{
  JsonObject *paths = json_object_get_object_member (json_node_get_object (spec), "paths");
  g_autoptr(GList) names = json_object_get_members (paths);
  guint n_routes, n_documented = 0;
  const PdApiRoute *routes = pd_api_routes (&n_routes);

  for (guint i = 0; i < n_routes; i++)
    {
      g_autofree char *method = g_ascii_strdown (routes[i].method, -1);
      JsonObject *item = json_object_has_member (paths, routes[i].pattern)
                       ? json_object_get_object_member (paths, routes[i].pattern) : NULL;

      if (item == NULL || !json_object_has_member (item, method))
        g_error ("%s %s is served but not in openapi.yaml", routes[i].method, routes[i].pattern);
    }
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *item = json_object_get_object_member (paths, l->data);
      g_autoptr(GList) methods = json_object_get_members (item);

      for (GList *m = methods; m != NULL; m = m->next)
        {
          g_autofree char *upper = g_ascii_strup (m->data, -1);
          gboolean served = FALSE;
          JsonObject *responses = json_object_get_object_member (json_object_get_object_member (item, m->data),
                                                                 "responses");
          g_autoptr(GList) codes = json_object_get_members (responses);

          if (g_str_equal (m->data, "parameters"))
            continue;
          for (guint i = 0; i < n_routes; i++)
            served |= g_str_equal (routes[i].method, upper) && g_str_equal (routes[i].pattern, l->data);
          if (!served)
            g_error ("%s %s is in openapi.yaml but not served", upper, (const char *) l->data);
          n_documented++;
          /* each example against its schema */
          for (GList *c = codes; c != NULL; c = c->next)
            {
              JsonNode *example = NULL;
              JsonObject *schema = response_schema (l->data, upper, atoi (c->data), &example);
              g_autofree char *where = g_strdup_printf ("example of %s %s %s", upper, (const char *) l->data,
                                                        (const char *) c->data);

              if (schema != NULL && example != NULL)
                validate (example, schema, where);
            }
        }
    }
  g_assert_cmpuint (n_documented, ==, n_routes);
}

/* The server's log, to check that it never holds a token. */
static GMutex log_lock;
static GString *log_text;

static void
capture_log (const char     *domain,
             GLogLevelFlags  level,
             const char     *message,
             gpointer        user_data)
{
  g_mutex_lock (&log_lock);
  if (log_text != NULL)
    g_string_append_printf (log_text, "%s\n", message);
  g_mutex_unlock (&log_lock);
}

static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  g_auto(Reply) none = { 0 }, wrong = { 0 }, ro_read = { 0 }, ro_write = { 0 }, revoked = { 0 };
  g_auto(Reply) unknown = { 0 }, method = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *temp = NULL;
  gint64 id = create (f, "{\"emails\": [\"a@example.com\"]}");
  g_autofree char *points = g_strdup_printf ("/personas/%" G_GINT64_FORMAT "/points", id);

  guint handler = g_log_set_handler (NULL, G_LOG_LEVEL_MESSAGE, capture_log, NULL);

  log_text = g_string_new (NULL);
  call_full (f, "GET", "/personas", "/personas", NULL, NULL, 0, &none);
  g_assert_cmpuint (none.status, ==, 401);
  g_assert_cmpstr (error_code (&none), ==, "unauthorized");
  call_full (f, "GET", "/personas", "/personas", "pd_0000secret", NULL, 0, &wrong);
  g_assert_cmpuint (wrong.status, ==, 401);
  /* each 401 is logged, without the token */
  g_mutex_lock (&log_lock);
  g_assert_nonnull (strstr (log_text->str, "401, no bearer token"));
  g_assert_nonnull (strstr (log_text->str, "401, unknown token"));
  g_assert_null (strstr (log_text->str, "pd_0000secret"));
  g_string_free (g_steal_pointer (&log_text), TRUE);
  g_mutex_unlock (&log_lock);
  g_log_remove_handler (NULL, handler);
  /* a read-only token reads, and gets 403 on a write, which changes nothing */
  call_full (f, "GET", "/personas", "/personas", f->ro_token, NULL, 0, &ro_read);
  g_assert_cmpuint (ro_read.status, ==, 200);
  call_full (f, "PUT", points, "/personas/{id}/points", f->ro_token, "{\"delta\": 5, \"reason\": \"x\"}", 0,
             &ro_write);
  g_assert_cmpuint (ro_write.status, ==, 403);
  g_assert_cmpint (pd_store_get_persona (f->store, id, NULL) != NULL, ==, TRUE);
  {
    g_autoptr(PdPersona) p = pd_store_get_persona (f->store, id, &error);

    g_assert_cmpint (pd_persona_get_points (p), ==, 0);
  }
  /* a revoked token is refused at once */
  g_assert_true (pd_store_create_api_token (f->store, "temp", FALSE, NULL, &temp, &error));
  g_assert_true (pd_store_revoke_api_token (f->store, "temp", NULL, &error));
  g_assert_no_error (error);
  call_full (f, "GET", "/personas", "/personas", temp, NULL, 0, &revoked);
  g_assert_cmpuint (revoked.status, ==, 401);
  /* the tokens are stored as hashes only */
  {
    sqlite3 *db;
    sqlite3_stmt *stmt;
    g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, f->token, -1);

    g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM api_tokens WHERE hash = ? OR hash = ?",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, f->token, -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }
  /* only the Owner makes tokens */
  {
    PdActor staff = { PD_SOURCE_MANUAL, "sam", PD_ROLE_STAFF };
    g_autofree char *t = NULL;

    g_assert_false (pd_store_create_api_token (f->store, "x", FALSE, &staff, &t, &error));
    g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
    g_clear_error (&error);
  }
  call (f, "GET", "/nothing", NULL, NULL, &unknown);
  g_assert_cmpuint (unknown.status, ==, 404);
  call (f, "DELETE", "/personas", NULL, NULL, &method);
  g_assert_cmpuint (method.status, ==, 405);
}

static void
test_personas (Fixture       *f,
               gconstpointer  data)
{
  g_auto(Reply) dup = { 0 }, unknown = { 0 }, malformed = { 0 }, get = { 0 }, missing = { 0 }, bad_id = { 0 };
  g_auto(Reply) page1 = { 0 }, page2 = { 0 }, search = { 0 }, blocked = { 0 }, by_source = { 0 };
  g_auto(Reply) merged = { 0 }, no_id = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 ann, bob, cy, ids[5];
  g_autofree char *path = NULL;

  ann = create (f, "{\"first_name\": \"Ann\", \"emails\": \"Ann@Example.com\", \"phones\": [\"(202) 555-0143\"], "
                   "\"city\": \"Paris\", \"birth_date\": \"1990-04-01\", \"tags\": [\"vip\"], "
                   "\"attributes\": {\"size\": \"M\"}}");
  /* an existing email or phone: 409 with the existing persona */
  call (f, "POST", "/personas", "/personas", "{\"first_name\": \"Impostor\", \"phones\": [\"+1 202 555 0143\"]}",
        &dup);
  g_assert_cmpuint (dup.status, ==, 409);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_node_get_object (dup.body),
                                                                               "error"), "persona_id"), ==, ann);
  call (f, "POST", "/personas", "/personas", "{\"first_name\": \"X\", \"nickname\": \"x\", \"age\": 3}", &unknown);
  g_assert_cmpuint (unknown.status, ==, 400);
  g_assert_nonnull (strstr (json_object_get_string_member (json_object_get_object_member (
                              json_node_get_object (unknown.body), "error"), "message"), "age, nickname"));
  call (f, "POST", "/personas", "/personas", "{\"first_name\": \"X\",\n  \"emails\": [\"x@example.com\" }", &malformed);
  g_assert_cmpuint (malformed.status, ==, 400);
  {
    JsonObject *e = json_object_get_object_member (json_node_get_object (malformed.body), "error");

    g_assert_cmpint (json_object_get_int_member (e, "line"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (e, "column"), >, 1);
  }
  call (f, "POST", "/personas", "/personas", "{\"first_name\": \"No way to find\"}", &no_id);
  g_assert_cmpuint (no_id.status, ==, 400);

  path = g_strdup_printf ("/personas/%" G_GINT64_FORMAT, ann);
  call (f, "GET", path, "/personas/{id}", NULL, &get);
  g_assert_cmpuint (get.status, ==, 200);
  g_assert_cmpstr (member_string (&get, "first_name"), ==, "Ann");
  g_assert_cmpstr (member_string (&get, "city"), ==, "Paris");
  g_assert_false (json_object_has_member (json_node_get_object (get.body), "merged_from"));
  call (f, "GET", "/personas/999999", "/personas/{id}", NULL, &missing);
  g_assert_cmpuint (missing.status, ==, 404);
  call (f, "GET", "/personas/12abc", "/personas/{id}", NULL, &bad_id);
  g_assert_cmpuint (bad_id.status, ==, 400);

  /* pages: 6 personas, pages of 4 */
  bob = create (f, "{\"first_name\": \"Bob\", \"emails\": [\"bob@example.com\"]}");
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"last_name\": \"Page%u\", \"emails\": [\"p%u@example.com\"]}", i, i);

      ids[i] = create (f, json);
    }
  call (f, "GET", "/personas?limit=4", "/personas", NULL, &page1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (page1.body),
                                                                          "personas")), ==, 4);
  g_assert_cmpstr (member_string (&page1, "next_cursor"), !=, NULL);
  {
    g_autofree char *next = g_strdup_printf ("/personas?limit=4&cursor=%s", member_string (&page1, "next_cursor"));

    call (f, "GET", next, "/personas", NULL, &page2);
  }
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (page2.body),
                                                                          "personas")), ==, 2);
  g_assert_true (json_node_is_null (json_object_get_member (json_node_get_object (page2.body), "next_cursor")));
  /* the app's search: the last digits of a phone */
  call (f, "GET", "/personas?q=0143", "/personas", NULL, &search);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (search.body),
                                                                          "personas")), ==, 1);
  /* updated_since: only what was written since, paged by ID */
  {
    g_auto(Reply) all = { 0 }, later = { 0 }, first = { 0 }, rest = { 0 }, bad = { 0 }, with_q = { 0 };
    g_autofree char *mark = NULL, *query = NULL, *next = NULL;
    g_autoptr(GDateTime) now = NULL;
    g_autofree char *points = g_strdup_printf ("/personas/%" G_GINT64_FORMAT "/points", ids[1]);
    g_auto(Reply) adjust = { 0 };
    JsonArray *array;

    call (f, "GET", "/personas?updated_since=2000-01-01", "/personas", NULL, &all);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (all.body),
                                                                            "personas")), ==, 6);
    g_usleep (2000);
    now = g_date_time_new_now_utc ();
    mark = g_date_time_format_iso8601 (now);
    g_usleep (2000);
    call (f, "PUT", points, "/personas/{id}/points", "{\"delta\": 1, \"reason\": \"x\"}", &adjust);
    g_assert_cmpuint (adjust.status, ==, 200);
    {
      g_autofree char *escaped = g_uri_escape_string (mark, NULL, TRUE);

      query = g_strdup_printf ("/personas?updated_since=%s", escaped);
    }
    call (f, "GET", query, "/personas", NULL, &later);
    array = json_object_get_array_member (json_node_get_object (later.body), "personas");
    g_assert_cmpuint (json_array_get_length (array), ==, 1);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, 0), "id"), ==, ids[1]);
    call (f, "GET", "/personas?updated_since=2000-01-01&limit=4", "/personas", NULL, &first);
    g_assert_cmpstr (member_string (&first, "next_cursor"), ==, "after:4");
    next = g_strdup_printf ("/personas?updated_since=2000-01-01&limit=4&cursor=%s", member_string (&first, "next_cursor"));
    call (f, "GET", next, "/personas", NULL, &rest);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (rest.body),
                                                                            "personas")), ==, 2);
    call (f, "GET", "/personas?updated_since=soon", "/personas", NULL, &bad);
    g_assert_cmpuint (bad.status, ==, 400);
    call (f, "GET", "/personas?updated_since=2000-01-01&q=ann", "/personas", NULL, &with_q);
    g_assert_cmpuint (with_q.status, ==, 400);
  }

  /* a blocklisted persona is in no answer */
  {
    g_autoptr(PdPersona) p = pd_store_get_persona (f->store, bob, &error);
    g_auto(Reply) list = { 0 }, status = { 0 };
    g_autofree char *bob_path = g_strdup_printf ("/personas/%" G_GINT64_FORMAT, bob);

    pd_persona_set_blocklisted (p, TRUE);
    g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_MANUAL, &error));
    g_assert_no_error (error);
    call (f, "GET", bob_path, "/personas/{id}", NULL, &blocked);
    g_assert_cmpuint (blocked.status, ==, 404);
    call (f, "GET", "/personas?q=bob@example.com", "/personas", NULL, &list);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (list.body),
                                                                            "personas")), ==, 0);
    call (f, "GET", "/loyalty-status?email=bob@example.com", "/loyalty-status", NULL, &status);
    g_assert_cmpstr (member_string (&status, "status"), ==, "unknown");
  }

  /* by source ID */
  g_assert_true (pd_store_set_source_id (f->store, ann, "pos", "C-42", &error));
  g_assert_no_error (error);
  call (f, "GET", "/personas/by-source/pos/C-42", "/personas/by-source/{source}/{source_id}", NULL, &by_source);
  g_assert_cmpuint (by_source.status, ==, 200);
  g_assert_cmpint (member_int (&by_source, "id"), ==, ann);
  {
    g_auto(Reply) none = { 0 };

    call (f, "GET", "/personas/by-source/pos/C-43", "/personas/by-source/{source}/{source_id}", NULL, &none);
    g_assert_cmpuint (none.status, ==, 404);
  }

  /* a merged-away ID answers with the survivor and says so (the merge
   * itself is another part's: written here as the store keeps it) */
  cy = ids[0];
  {
    sqlite3 *db;
    g_autofree char *sql = g_strdup_printf ("UPDATE personas SET merged_into = %" G_GINT64_FORMAT ", state = 2 "
                                            "WHERE id = %" G_GINT64_FORMAT, ann, cy);
    g_autofree char *cy_path = g_strdup_printf ("/personas/%" G_GINT64_FORMAT, cy);

    g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
    sqlite3_busy_timeout (db, 5000);
    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
    call (f, "GET", cy_path, "/personas/{id}", NULL, &merged);
  }
  g_assert_cmpuint (merged.status, ==, 200);
  g_assert_cmpint (member_int (&merged, "id"), ==, ann);
  g_assert_cmpint (member_int (&merged, "merged_from"), ==, cy);
}

static void
test_consent (Fixture       *f,
              gconstpointer  data)
{
  g_auto(Reply) force = { 0 }, status = { 0 }, decline = { 0 }, again = { 0 }, twice = { 0 };
  g_auto(Reply) pending = { 0 }, outbox = { 0 }, confirm = { 0 }, sent = { 0 }, after = { 0 };
  g_auto(Reply) no_loyalty = { 0 }, both = { 0 }, email_in = { 0 }, email_out = { 0 }, email_again = { 0 };
  g_auto(Reply) bad_phone = { 0 }, unknown_status = { 0 }, stranger = { 0 }, email_confirm = { 0 };
  g_autofree char *sent_body = NULL;
  gint64 ann = create (f, "{\"first_name\": \"Ann\", \"emails\": [\"ann@example.com\"], \"phones\": [\"+12025550143\"]}");

  /* force-set by default: opted in and enrolled */
  call (f, "PUT", "/opt-in", "/opt-in", "{\"phone\": \"(202) 555-0143\"}", &force);
  g_assert_cmpuint (force.status, ==, 200);
  g_assert_cmpstr (member_string (&force, "after"), ==, "opted-in");
  g_assert_true (json_object_get_boolean_member (json_node_get_object (force.body), "enrolled"));
  /* "+" in a query is a plus, not a form's space */
  call (f, "GET", "/loyalty-status?phone=+12025550143", "/loyalty-status", NULL, &status);
  g_assert_cmpstr (member_string (&status, "status"), ==, "member");
  g_assert_cmpint (member_int (&status, "persona_id"), ==, ann);
  g_assert_cmpstr (member_string (&status, "sms"), ==, "opted-in");
  /* the customer's STOP is final: no opt-in of any kind re-opts it */
  call (f, "PUT", "/opt-in/decline", "/opt-in/decline", "{\"phone\": \"+12025550143\"}", &decline);
  g_assert_cmpstr (member_string (&decline, "after"), ==, "opted-out");
  call (f, "PUT", "/opt-in", "/opt-in", "{\"phone\": \"+12025550143\"}", &again);
  g_assert_cmpuint (again.status, ==, 409);
  g_assert_nonnull (strstr (json_object_get_string_member (json_object_get_object_member (
                              json_node_get_object (again.body), "error"), "message"), "opted out"));
  call (f, "PUT", "/opt-in?doubleOpt=true", "/opt-in", "{\"phone\": \"+12025550143\"}", &twice);
  g_assert_cmpuint (twice.status, ==, 409);

  /* double opt-in of a number no persona holds: pending, a text queued,
   * no persona created */
  call (f, "PUT", "/opt-in?doubleOpt=true", "/opt-in", "{\"phone\": \"+12025550199\"}", &pending);
  g_assert_cmpuint (pending.status, ==, 200);
  g_assert_cmpstr (member_string (&pending, "after"), ==, "pending");
  g_assert_true (json_node_is_null (json_object_get_member (json_node_get_object (pending.body), "persona_id")));
  g_assert_cmpint (pd_store_count_personas (f->store, &(PdPersonaQuery) { 0 }, NULL), ==, 1);
  call (f, "GET", "/outbox", "/outbox", NULL, &outbox);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (outbox.body)), ==, 1);
  call (f, "PUT", "/opt-in/confirm", "/opt-in/confirm", "{\"phone\": \"+12025550199\"}", &confirm);
  g_assert_cmpstr (member_string (&confirm, "after"), ==, "opted-in");
  sent_body = g_strdup_printf ("{\"ids\": [%" G_GINT64_FORMAT "]}", member_int (&pending, "outbox_id"));
  call (f, "POST", "/outbox/sent", "/outbox/sent", sent_body, &sent);
  g_assert_cmpuint (sent.status, ==, 200);
  call (f, "GET", "/outbox", "/outbox", NULL, &after);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (after.body)), ==, 0);

  /* loyalty=false: opted in at once, not enrolled; with doubleOpt: 400 */
  call (f, "PUT", "/opt-in?loyalty=false", "/opt-in", "{\"phone\": \"+12025550177\"}", &no_loyalty);
  g_assert_cmpstr (member_string (&no_loyalty, "after"), ==, "opted-in");
  g_assert_false (json_object_get_boolean_member (json_node_get_object (no_loyalty.body), "enrolled"));
  call (f, "PUT", "/opt-in?loyalty=false&doubleOpt=true", "/opt-in", "{\"phone\": \"+12025550178\"}", &both);
  g_assert_cmpuint (both.status, ==, 400);

  /* email: opt-in, the customer's unsubscribe, never again; no confirm */
  call (f, "PUT", "/opt-in", "/opt-in", "{\"email\": \"ANN@example.com\"}", &email_in);
  g_assert_cmpstr (member_string (&email_in, "after"), ==, "opted-in");
  call (f, "PUT", "/opt-in/decline", "/opt-in/decline", "{\"email\": \"ann@example.com\"}", &email_out);
  g_assert_cmpstr (member_string (&email_out, "after"), ==, "opted-out");
  call (f, "PUT", "/opt-in", "/opt-in", "{\"email\": \"ann@example.com\"}", &email_again);
  g_assert_cmpuint (email_again.status, ==, 409);
  call (f, "PUT", "/opt-in/confirm", "/opt-in/confirm", "{\"email\": \"ann@example.com\"}", &email_confirm);
  g_assert_cmpuint (email_confirm.status, ==, 400);

  call (f, "PUT", "/opt-in", "/opt-in", "{\"phone\": \"not a phone\"}", &bad_phone);
  g_assert_cmpuint (bad_phone.status, ==, 400);
  call (f, "GET", "/loyalty-status?phone=2025550100", "/loyalty-status", NULL, &stranger);
  g_assert_cmpstr (member_string (&stranger, "status"), ==, "unknown");
  call (f, "GET", "/loyalty-status?phone=1&email=a@b.c", "/loyalty-status", NULL, &unknown_status);
  g_assert_cmpuint (unknown_status.status, ==, 400);
}

static void
test_points (Fixture       *f,
             gconstpointer  data)
{
  g_auto(Reply) plus = { 0 }, minus = { 0 }, no_reason = { 0 }, text_delta = { 0 }, timeline = { 0 };
  g_auto(Reply) all = { 0 }, future = { 0 }, bad_since = { 0 }, missing = { 0 };
  gint64 ann = create (f, "{\"emails\": [\"ann@example.com\"]}");
  g_autofree char *points = g_strdup_printf ("/personas/%" G_GINT64_FORMAT "/points", ann);
  g_autofree char *path = g_strdup_printf ("/personas/%" G_GINT64_FORMAT "/points-timeline", ann);
  JsonArray *entries;

  call (f, "PUT", points, "/personas/{id}/points", "{\"delta\": 50, \"reason\": \"welcome\"}", &plus);
  g_assert_cmpuint (plus.status, ==, 200);
  g_assert_cmpint (member_int (&plus, "balance"), ==, 50);
  /* not below zero (the store's rule) */
  call (f, "PUT", points, "/personas/{id}/points", "{\"delta\": -80, \"reason\": \"refund\"}", &minus);
  g_assert_cmpuint (minus.status, ==, 409);
  call (f, "PUT", points, "/personas/{id}/points", "{\"delta\": 5}", &no_reason);
  g_assert_cmpuint (no_reason.status, ==, 400);
  call (f, "PUT", points, "/personas/{id}/points", "{\"delta\": \"5\", \"reason\": \"x\"}", &text_delta);
  g_assert_cmpuint (text_delta.status, ==, 400);
  call (f, "PUT", "/personas/424242/points", "/personas/{id}/points", "{\"delta\": 5, \"reason\": \"x\"}", &missing);
  g_assert_cmpuint (missing.status, ==, 404);

  call (f, "GET", path, "/personas/{id}/points-timeline", NULL, &timeline);
  entries = json_node_get_array (timeline.body);
  g_assert_cmpuint (json_array_get_length (entries), ==, 1);
  /* the write is the token's: in the ledger and in the audit log */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entries, 0), "who"), ==, "pos");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entries, 0), "source"), ==, "api");
  {
    sqlite3 *db;
    sqlite3_stmt *stmt;

    g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM audit_log WHERE who = 'pos' AND role = 'operator' "
                                             "AND action IN ('persona.create', 'points.adjust')", -1, &stmt, NULL),
                     ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 2);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }
  call (f, "GET", "/points-adjustments?since=2000-01-01", "/points-adjustments", NULL, &all);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (all.body)), ==, 1);
  call (f, "GET", "/points-adjustments?since=2999-01-01T00:00:00Z", "/points-adjustments", NULL, &future);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (future.body)), ==, 0);
  call (f, "GET", "/points-adjustments?since=yesterday", "/points-adjustments", NULL, &bad_since);
  g_assert_cmpuint (bad_since.status, ==, 400);
}

static void
test_attributes (Fixture       *f,
                 gconstpointer  data)
{
  g_auto(Reply) add = { 0 }, put = { 0 }, get = { 0 }, bad = { 0 }, pin = { 0 }, pins = { 0 }, bad_pin = { 0 };
  g_auto(Reply) unpin = { 0 }, ro = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 ann = create (f, "{\"emails\": [\"ann@example.com\"], \"attributes\": {\"size\": \"M\"}}");
  g_autofree char *attrs = g_strdup_printf ("/personas/%" G_GINT64_FORMAT "/attributes", ann);
  g_autofree char *overrides = g_strdup_printf ("/personas/%" G_GINT64_FORMAT "/overrides", ann);
  JsonArray *array;

  g_assert_true (pd_store_set_source_id (f->store, ann, "pos", "C-1", &error));
  call (f, "POST", attrs, "/personas/{id}/attributes", "[{\"name\": \"shoe\", \"value\": \"42\"}]", &add);
  g_assert_cmpuint (add.status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (add.body)), ==, 3);   /* shoe, size, source:pos */
  /* PUT makes them the whole set (source IDs stay) */
  call (f, "PUT", attrs, "/personas/{id}/attributes", "[{\"name\": \"color\", \"value\": \"red\"}]", &put);
  call (f, "GET", attrs, "/personas/{id}/attributes", NULL, &get);
  array = json_node_get_array (get.body);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "name"), ==, "color");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1), "name"), ==,
                   "source:pos");
  call (f, "POST", attrs, "/personas/{id}/attributes", "[{\"name\": \"x\", \"valeu\": \"1\"}]", &bad);
  g_assert_cmpuint (bad.status, ==, 400);
  call_full (f, "POST", attrs, "/personas/{id}/attributes", f->ro_token, "[{\"name\": \"x\", \"value\": \"1\"}]", 0,
             &ro);
  g_assert_cmpuint (ro.status, ==, 403);

  call (f, "POST", overrides, "/personas/{id}/overrides", "{\"city\": \"Lyon\"}", &pin);
  g_assert_cmpuint (pin.status, ==, 200);
  call (f, "GET", overrides, "/personas/{id}/overrides", NULL, &pins);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (pins.body),
                                                                                  "overrides"), "city"), ==, "Lyon");
  call (f, "POST", overrides, "/personas/{id}/overrides", "{\"points\": \"5\"}", &bad_pin);
  g_assert_cmpuint (bad_pin.status, ==, 400);
  call (f, "POST", overrides, "/personas/{id}/overrides", "{\"city\": null}", &unpin);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (json_node_get_object (unpin.body),
                                                                          "overrides")), ==, 0);
}

typedef struct {
  Fixture    *f;
  const char *path;
  guint       status;
  gint64      done_at;
  char       *retry_after;
} WriteJob;

/* A write on a session of its own, for a thread. */
static gpointer
write_while_locked (gpointer data)
{
  WriteJob *job = data;
  g_autofree char *url = g_strconcat (job->f->url, job->path + 1, NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", job->f->token, NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("PUT", url);
  static const char text[] = "{\"delta\": 5, \"reason\": \"x\"}";
  g_autoptr(GBytes) body = g_bytes_new_static (text, strlen (text));
  g_autoptr(GBytes) bytes = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  bytes = soup_session_send_and_read (session, msg, NULL, NULL);
  job->status = soup_message_get_status (msg);
  job->retry_after = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                             "Retry-After"));
  job->done_at = g_get_monotonic_time ();
  return NULL;
}

static void
test_limits (Fixture       *f,
             gconstpointer  data)
{
  g_auto(Reply) big = { 0 }, read_while = { 0 }, after = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) importer = NULL;
  g_autoptr(PdImportInfo) info = pd_import_info_new ();
  gsize size = PD_API_DEFAULT_MAX_BODY + 10;
  g_autofree char *body = g_malloc (size);
  gint64 ann = create (f, "{\"emails\": [\"ann@example.com\"]}");
  g_autofree char *points = g_strdup_printf ("/personas/%" G_GINT64_FORMAT "/points", ann);
  gint64 start;

  memset (body, ' ', size);
  call_full (f, "POST", "/personas", NULL, f->token, body, size, &big);
  g_assert_cmpuint (big.status, ==, 413);
  /* a body of no stated length (chunked) is refused before it is read */
  {
    g_autofree char *url = g_strconcat (f->url, "personas", NULL);
    g_autofree char *auth = g_strconcat ("Bearer ", f->token, NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data ("{}", 2, NULL);
    g_autoptr(GBytes) bytes = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    soup_message_set_request_body (msg, "application/json", stream, -1);
    bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 411);
  }

  /* an import holds the write lock: a write waits the server's bound
   * (300 ms here), then 503 with Retry-After; reads go on */
  importer = pd_store_open_another (f->store, &error);
  g_assert_no_error (error);
  info->name = g_strdup ("test");
  info->user = g_strdup ("test");
  info->file_name = g_strdup ("none.csv");
  g_assert_cmpint (pd_store_begin_import (importer, info, NULL, &error), >, 0);
  g_assert_no_error (error);
  /* the write waits on one worker while a read is answered on another */
  {
    WriteJob job = { f, points, 0, 0, NULL };
    GThread *writer;
    gint64 read_at;

    start = g_get_monotonic_time ();
    writer = g_thread_new ("writer", write_while_locked, &job);
    g_usleep (50 * 1000);
    call (f, "GET", "/loyalty-status?email=ann@example.com", "/loyalty-status", NULL, &read_while);
    read_at = g_get_monotonic_time ();
    g_thread_join (writer);
    g_assert_cmpuint (read_while.status, ==, 200);
    g_assert_cmpuint (job.status, ==, 503);
    g_assert_nonnull (job.retry_after);
    g_assert_cmpint (job.done_at - start, >=, 250 * 1000);
    g_assert_cmpint (read_at, <, job.done_at);
    g_free (job.retry_after);
  }
  pd_store_discard_import (importer, info);
  call (f, "PUT", points, "/personas/{id}/points", "{\"delta\": 5, \"reason\": \"x\"}", &after);
  g_assert_cmpuint (after.status, ==, 200);
}

/* Four clients at once are served in parallel (one connection each). */
typedef struct {
  Fixture *f;
  guint    ok;
} Client;

static gpointer
client_thread (gpointer data)
{
  Client *c = data;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (c->f->url, "loyalty-status?email=ann@example.com", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", c->f->token, NULL);

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr(GBytes) bytes = NULL;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      bytes = soup_session_send_and_read (session, msg, NULL, NULL);
      if (bytes != NULL && soup_message_get_status (msg) == 200)
        c->ok++;
    }
  return NULL;
}

static void
test_parallel (Fixture       *f,
               gconstpointer  data)
{
  Client clients[4];
  GThread *threads[4];

  create (f, "{\"emails\": [\"ann@example.com\"]}");
  for (guint i = 0; i < 4; i++)
    {
      clients[i] = (Client) { f, 0 };
      threads[i] = g_thread_new ("client", client_thread, &clients[i]);
    }
  for (guint i = 0; i < 4; i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpuint (clients[i].ok, ==, 50);
    }
}

static int
run_cli (const char  *db,
         char       **out,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *ignored = NULL;
  int status = 0;
  va_list ap;

  /* stdout is the test's TAP stream: never the program's */
  if (out == NULL)
    out = &ignored;

  g_ptr_array_add (argv, (char *) g_getenv ("PD_CLI"));
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, (char *) db);
  va_start (ap, out);
  for (const char *a = va_arg (ap, const char *); a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               out, NULL, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128;
}

/* persona-desk-cli token create/list/revoke and serve, as a user runs them. */
static void
test_cli (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL, *db = NULL, *token = NULL, *list = NULL, *line = NULL, *url = NULL;
  g_autofree char *again = NULL, *auth = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  guint status[3];

  if (g_getenv ("PD_CLI") == NULL)
    {
      g_test_skip ("PD_CLI is not set: run through meson test");
      return;
    }
  dir = g_dir_make_tmp ("pd-api-cli-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (dir, "personas.db", NULL);
  g_assert_cmpint (run_cli (db, &token, "token", "create", "till-1", "--read-only", NULL), ==, 0);
  g_strstrip (token);
  g_assert_true (g_str_has_prefix (token, "pd_"));
  g_assert_cmpuint (strlen (token), ==, 3 + 64);
  g_assert_cmpint (run_cli (db, &again, "token", "create", "till-1", NULL), ==, 1);   /* the name is taken */
  g_assert_cmpint (run_cli (db, NULL, "token", "create", "no spaces", NULL), ==, 2);
  g_assert_cmpint (run_cli (db, &list, "token", "list", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (list, "\"till-1\""));
  g_assert_nonnull (strstr (list, "\"read_only\" : true"));
  g_assert_null (strstr (list, token));

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                             g_getenv ("PD_CLI"), "--db", db, "serve", "--port", "0", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, "http://127.0.0.1:"));   /* loopback unless --listen says */
  url = g_strconcat (strstr (line, "http://"), "personas", NULL);
  auth = g_strconcat ("Bearer ", token, NULL);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new (i == 1 ? "POST" : "GET", url);
      g_autoptr(GBytes) bytes = NULL;

      if (i == 2)
        g_assert_cmpint (run_cli (db, NULL, "token", "revoke", "till-1", NULL), ==, 0);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      if (i == 1)
        {
          static const char text[] = "{\"emails\": [\"a@example.com\"]}";
          g_autoptr(GBytes) body = g_bytes_new_static (text, strlen (text));

          soup_message_set_request_body_from_bytes (msg, "application/json", body);
        }
      bytes = soup_session_send_and_read (session, msg, NULL, &error);
      g_assert_no_error (error);
      status[i] = soup_message_get_status (msg);
    }
  g_assert_cmpuint (status[0], ==, 200);   /* a read-only token reads */
  g_assert_cmpuint (status[1], ==, 403);   /* and may not write */
  g_assert_cmpuint (status[2], ==, 401);   /* revoked: refused at once */
  g_subprocess_send_signal (server, SIGTERM);
  g_assert_true (g_subprocess_wait (server, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (server));
  g_assert_cmpint (g_subprocess_get_exit_status (server), ==, 0);
  g_assert_cmpint (run_cli (db, NULL, "token", "revoke", "till-1", NULL), ==, 2);   /* no such token */
  pd_temp_remove_dir (dir);
}

static gboolean
accept_any (SoupMessage          *msg,
            GTlsCertificate      *certificate,
            GTlsCertificateFlags  errors,
            gpointer              user_data)
{
  return TRUE;   /* the test's own self-signed certificate */
}

/* serve --tls-cert/--tls-key speaks HTTPS (a certificate made by openssl
 * here; skipped without it). */
static void
test_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL, *db = NULL, *cert = NULL, *key = NULL, *token = NULL, *openssl = NULL;
  g_autofree char *line = NULL, *url = NULL, *auth = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  int status = 0;

  openssl = g_find_program_in_path ("openssl");
  if (g_getenv ("PD_CLI") == NULL || openssl == NULL)
    {
      g_test_skip ("needs PD_CLI (meson test) and openssl to make a certificate");
      return;
    }
  dir = g_dir_make_tmp ("pd-api-tls-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (dir, "personas.db", NULL);
  cert = g_build_filename (dir, "cert.pem", NULL);
  key = g_build_filename (dir, "key.pem", NULL);
  {
    const char *argv[] = { openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                           "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_cmpint (status, ==, 0);
  }
  g_assert_cmpint (run_cli (db, &token, "token", "create", "till", NULL), ==, 0);
  g_strstrip (token);
  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                             g_getenv ("PD_CLI"), "--db", db, "serve", "--port", "0", "--tls-cert", cert,
                             "--tls-key", key, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, "https://127.0.0.1:"));
  url = g_strconcat (strstr (line, "https://"), "loyalty-status?phone=%2B12025550143", NULL);
  auth = g_strconcat ("Bearer ", token, NULL);
  msg = soup_message_new ("GET", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any), NULL);
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_subprocess_send_signal (server, SIGTERM);
  g_assert_true (g_subprocess_wait (server, NULL, &error));
  pd_temp_remove_dir (dir);
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

  g_test_add_func ("/api/spec", test_spec);
  g_test_add ("/api/auth", Fixture, NULL, fixture_set_up, test_auth, fixture_tear_down);
  g_test_add ("/api/personas", Fixture, NULL, fixture_set_up, test_personas, fixture_tear_down);
  g_test_add ("/api/consent", Fixture, NULL, fixture_set_up, test_consent, fixture_tear_down);
  g_test_add ("/api/points", Fixture, NULL, fixture_set_up, test_points, fixture_tear_down);
  g_test_add ("/api/attributes", Fixture, NULL, fixture_set_up, test_attributes, fixture_tear_down);
  g_test_add ("/api/limits", Fixture, NULL, fixture_set_up, test_limits, fixture_tear_down);
  g_test_add ("/api/parallel", Fixture, NULL, fixture_set_up, test_parallel, fixture_tear_down);
  g_test_add_func ("/api/cli", test_cli);
  g_test_add_func ("/api/tls", test_tls);
  return g_test_run ();
}
