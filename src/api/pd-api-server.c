/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdApiServer: bearer tokens, body caps, JSON parsing and the route table
 * on top of libsoup's server.  libsoup is not thread-safe: a request is
 * read on the server's thread, paused, handled on a worker (which borrows
 * one of the store connections), and its response is set back on the
 * server's thread. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "pd-api-routes.h"
#include "pd-api-server.h"
#include "pd-error.h"

struct _PdApiServer
{
  GObject       parent_instance;

  SoupServer   *soup;
  GMainContext *context;       /* the server's thread's */
  GThreadPool  *pool;
  GAsyncQueue  *connections;   /* PdStore *, one per worker */
  GPtrArray    *all_connections;
  gsize         max_bulk_body;
  guint         lock_wait_ms;
  guint         port;
  gboolean      tls;
  char         *address;
};

G_DEFINE_FINAL_TYPE (PdApiServer, pd_api_server, G_TYPE_OBJECT)

/* One request on its way through a worker. */
typedef struct {
  PdApiServer       *server;     /* a reference */
  SoupServerMessage *msg;        /* a reference; touched on the server's thread only */
  char              *method;
  char              *path;
  char              *remote;
  GHashTable        *query;
  char              *authorization;
  GBytes            *body;
  /* the answer */
  guint              status;
  char              *response;
  gboolean           retry_after;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->server);
  g_clear_object (&job->msg);
  g_free (job->method);
  g_free (job->path);
  g_free (job->remote);
  g_clear_pointer (&job->query, g_hash_table_unref);
  g_free (job->authorization);
  g_clear_pointer (&job->body, g_bytes_unref);
  g_free (job->response);
  g_free (job);
}

static char *
to_text (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

static void
answer (Job         *job,
        JsonNode    *node,
        guint        status)
{
  job->status = status;
  g_free (job->response);
  job->response = to_text (node);
}

static void
answer_error (Job         *job,
              guint        status,
              const char  *message,
              JsonObject  *extra)
{
  g_autoptr(JsonNode) node = pd_api_error_json (status, message, extra);

  answer (job, node, status);
  job->retry_after = status == 503;
}

/* "Bearer TOKEN" → TOKEN */
static const char *
bearer_token (const char *authorization)
{
  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return NULL;
  authorization += 7;
  while (*authorization == ' ')
    authorization++;
  return *authorization != '\0' ? authorization : NULL;
}

static void
handle (Job     *job,
        PdStore *store)
{
  g_autoptr(PdApiToken) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_auto(GStrv) segments = NULL;
  const char *secret = bearer_token (job->authorization);
  const PdApiRoute *route;
  PdApiRequest request = { 0 };
  PdActor actor;
  gboolean path_known = FALSE;

  if (secret == NULL)
    {
      g_message ("API: %s %s from %s: 401, no bearer token", job->method, job->path, job->remote);
      answer_error (job, 401, _("A bearer token is required (Authorization: Bearer …)"), NULL);
      return;
    }
  token = pd_store_find_api_token (store, secret, &error);
  if (token == NULL && error != NULL)
    {
      answer_error (job, pd_api_status_for_error (error), error->message, NULL);
      return;
    }
  if (token == NULL)
    {
      /* never the token itself: the log may be read by others */
      g_message ("API: %s %s from %s: 401, unknown token", job->method, job->path, job->remote);
      answer_error (job, 401, _("The bearer token is not valid (revoked, or never made)"), NULL);
      return;
    }

  route = pd_api_route_match (job->method, job->path, &segments, &request, &path_known);
  if (route == NULL)
    {
      g_autofree char *message = g_strdup_printf (path_known ? _("%s is not allowed on %s")
                                                             : _("No route %s %s"), job->method, job->path);

      answer_error (job, path_known ? 405 : 404, message, NULL);
      return;
    }
  if (route->writes && token->read_only)
    {
      g_autofree char *message = g_strdup_printf (_("Token “%s” is read-only: %s %s writes"),
                                                  token->name, job->method, job->path);

      answer_error (job, 403, message, NULL);
      return;
    }

  request.raw_body = job->body;
  /* a bulk handler reads its (large) body its own way */
  if (!route->bulk && job->body != NULL && g_bytes_get_size (job->body) > 0)
    {
      parser = pd_api_request_parse_body (&request, &error);
      if (parser == NULL)
        {
          answer_error (job, 400, error->message, request.error_extra);
          g_clear_pointer (&request.error_extra, json_object_unref);
          return;
        }
      request.body = json_parser_get_root (parser);
    }

  /* Tokens act as Operators (Analysts when read-only).  An import token
   * acts as the Owner on bulk routes only, whose handlers do nothing but
   * import: the role table stays as it is, pd_actor_check() still decides,
   * and the audit log names the token. */
  actor = (PdActor) { PD_SOURCE_API, token->name,
                      token->read_only ? PD_ROLE_ANALYST
                      : route->bulk && token->may_import ? PD_ROLE_OWNER : PD_ROLE_OPERATOR };
  request.store = store;
  request.actor = &actor;
  request.method = job->method;
  request.query = job->query;
  result = route->handler (&request, &error);
  if (result == NULL)
    {
      /* a handler may name a status the error codes have none for (501) */
      guint status = request.status >= 400 ? request.status : pd_api_status_for_error (error);

      if (status == 500)
        g_warning ("API: %s %s: %s", job->method, job->path, error != NULL ? error->message : "?");
      answer_error (job, status, error != NULL ? error->message : _("Internal error"), request.error_extra);
    }
  else
    answer (job, result, request.status != 0 ? request.status : 200);
  g_clear_pointer (&request.error_extra, json_object_unref);
}

static gboolean
respond (gpointer data)
{
  Job *job = data;
  SoupMessageHeaders *headers;
  gsize len;

  /* stopped meanwhile: the connection is gone with the server */
  if (job->server->soup == NULL)
    {
      job_free (job);
      return G_SOURCE_REMOVE;
    }
  headers = soup_server_message_get_response_headers (job->msg);
  len = strlen (job->response);
  soup_server_message_set_status (job->msg, job->status, NULL);
  if (job->retry_after)
    soup_message_headers_replace (headers, "Retry-After", "2");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_server_message_set_response (job->msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&job->response), len);
  soup_server_message_unpause (job->msg);
  job_free (job);
  return G_SOURCE_REMOVE;
}

static void
work (gpointer data,
      gpointer user_data)
{
  Job *job = data;
  PdApiServer *self = job->server;
  PdStore *store = g_async_queue_pop (self->connections);

  handle (job, store);
  g_async_queue_push (self->connections, store);
  g_main_context_invoke (self->context, respond, job);
}

static void
reply_now (SoupServerMessage *msg,
           guint              status,
           const char        *message)
{
  g_autoptr(JsonNode) node = pd_api_error_json (status, message, NULL);
  char *text = to_text (node);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, strlen (text));
}

/* Before the body is read: a body too large, or of no stated length, is
 * refused without reading it. */
static void
on_early (SoupServer        *soup,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  PdApiServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const PdApiRoute *route = pd_api_route_match (soup_server_message_get_method (msg), path, NULL, NULL, NULL);
  gsize cap = route != NULL && route->bulk ? self->max_bulk_body : PD_API_DEFAULT_MAX_BODY;
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);

  if (encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF)
    {
      reply_now (msg, 411, _("A request body needs a Content-Length"));
      return;
    }
  if (encoding == SOUP_ENCODING_CONTENT_LENGTH && (gsize) soup_message_headers_get_content_length (headers) > cap)
    {
      g_autofree char *message = g_strdup_printf (_("The request body is larger than %" PRIu64 " bytes"), (guint64) cap);

      reply_now (msg, 413, message);
    }
}

/* The query as RFC 3986 has it: libsoup decodes it as a form, where "+"
 * is a space, and "?phone=+4420…" would lose its country.  NULL when there
 * is none or it is not valid (a handler then sees no parameters, and
 * says which it needs). */
static GHashTable *
parse_query (SoupServerMessage *msg)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));

  if (query == NULL || *query == '\0')
    return NULL;
  return g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
}

static void
on_request (SoupServer        *soup,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  PdApiServer *self = user_data;
  SoupMessageBody *body;
  Job *job;

  if (soup_server_message_get_status (msg) != 0)
    return;   /* answered early */
  job = g_new0 (Job, 1);
  job->server = g_object_ref (self);
  job->msg = g_object_ref (msg);
  job->method = g_strdup (soup_server_message_get_method (msg));
  job->path = g_strdup (path);
  job->remote = g_strdup (soup_server_message_get_remote_host (msg));
  job->query = parse_query (msg);
  job->authorization = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                               "Authorization"));
  body = soup_server_message_get_request_body (msg);
  if (body != NULL && body->length > 0)
    job->body = soup_message_body_flatten (body);
  soup_server_message_pause (msg);
  g_thread_pool_push (self->pool, job, NULL);
}

static void
pd_api_server_dispose (GObject *object)
{
  PdApiServer *self = PD_API_SERVER (object);

  pd_api_server_stop (self);
  G_OBJECT_CLASS (pd_api_server_parent_class)->dispose (object);
}

static void
pd_api_server_finalize (GObject *object)
{
  PdApiServer *self = PD_API_SERVER (object);

  g_clear_pointer (&self->connections, g_async_queue_unref);
  g_clear_pointer (&self->all_connections, g_ptr_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->address);
  G_OBJECT_CLASS (pd_api_server_parent_class)->finalize (object);
}

static void
pd_api_server_class_init (PdApiServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pd_api_server_dispose;
  G_OBJECT_CLASS (klass)->finalize = pd_api_server_finalize;
}

static void
pd_api_server_init (PdApiServer *self)
{
}

/**
 * pd_api_server_new:
 *
 * Returns: (transfer full) (nullable): a server, not listening yet
 */
PdApiServer *
pd_api_server_new (PdStore                  *store,
                   const PdApiServerOptions *options,
                   GError                  **error)
{
  g_autoptr(PdApiServer) self = g_object_new (PD_TYPE_API_SERVER, NULL);
  PdApiServerOptions defaults = { 0 };
  guint n_workers;

  g_return_val_if_fail (PD_IS_STORE (store), NULL);

  if (options == NULL)
    options = &defaults;
  n_workers = options->n_workers != 0 ? options->n_workers : 4;
  self->lock_wait_ms = options->lock_wait_ms != 0 ? options->lock_wait_ms : 2000;
  self->max_bulk_body = options->max_bulk_body != 0 ? options->max_bulk_body : PD_API_DEFAULT_MAX_BULK_BODY;
  self->context = g_main_context_ref_thread_default ();
  self->connections = g_async_queue_new ();
  self->all_connections = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n_workers; i++)
    {
      PdStore *connection = pd_store_open_another (store, error);

      if (connection == NULL)
        return NULL;
      /* an import holds the write lock for as long as it runs: a write
       * waits a little, then the client hears 503 and when to retry */
      pd_store_set_lock_timeout (connection, self->lock_wait_ms);
      g_ptr_array_add (self->all_connections, connection);
      g_async_queue_push (self->connections, connection);
    }
  self->pool = g_thread_pool_new (work, self, n_workers, TRUE, error);
  if (self->pool == NULL)
    return NULL;
  self->soup = soup_server_new ("server-header", "persona-desk", NULL);
  if (options->tls != NULL)
    {
      soup_server_set_tls_certificate (self->soup, options->tls);
      self->tls = TRUE;
    }
  soup_server_add_early_handler (self->soup, NULL, on_early, self, NULL);
  soup_server_add_handler (self->soup, NULL, on_request, self, NULL);
  return g_steal_pointer (&self);
}

gboolean
pd_api_server_listen (PdApiServer  *self,
                      const char   *address,
                      guint         port,
                      GError      **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address != NULL ? address : "127.0.0.1");
  g_autoptr(GSocketAddress) socket_address = NULL;
  GSList *uris;

  g_return_val_if_fail (PD_IS_API_SERVER (self), FALSE);

  if (inet == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("“%s” is not an IP address"), address);
      return FALSE;
    }
  socket_address = g_inet_socket_address_new (inet, port);
  if (!soup_server_listen (self->soup, socket_address, self->tls ? SOUP_SERVER_LISTEN_HTTPS : 0, error))
    return FALSE;
  uris = soup_server_get_uris (self->soup);
  if (uris != NULL)
    self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_free (self->address);
  self->address = g_inet_address_to_string (inet);
  return TRUE;
}

guint
pd_api_server_get_port (PdApiServer *self)
{
  g_return_val_if_fail (PD_IS_API_SERVER (self), 0);
  return self->port;
}

char *
pd_api_server_dup_url (PdApiServer *self)
{
  gboolean v6 = self->address != NULL && strchr (self->address, ':') != NULL;

  g_return_val_if_fail (PD_IS_API_SERVER (self), NULL);
  return g_strdup_printf ("%s://%s%s%s:%u/", self->tls ? "https" : "http", v6 ? "[" : "",
                          self->address != NULL ? self->address : "127.0.0.1", v6 ? "]" : "", self->port);
}

/* Stops listening and waits for the requests being handled; their
 * answers are dropped with the server. */
void
pd_api_server_stop (PdApiServer *self)
{
  g_return_if_fail (PD_IS_API_SERVER (self));

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  if (self->pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);
  g_clear_object (&self->soup);
}
