/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A server that stops answering, for tests of a lost connection: a Unix
 * socket in a folder of its own that forwards to the throwaway server of
 * tests/pg-run.sh until pd_test_pg_proxy_go_silent() ends the forwarded
 * connections and leaves the socket listening without accepting — a
 * connect succeeds into the backlog and the server's answer never comes,
 * which is what a client sees of a host gone from the network — until
 * pd_test_pg_proxy_answer_again().  Threads of its own: the test's main
 * thread may block on it. */
#pragma once

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

enum { PD_TEST_PROXY_FORWARD, PD_TEST_PROXY_SILENT, PD_TEST_PROXY_STOP };

typedef struct {
  char    *dir;
  char    *path;        /* the proxy's socket */
  char    *target;      /* the server's */
  int      listen_fd;
  GThread *acceptor;
  gint     state;       /* atomic: PD_TEST_PROXY_* */
  gint     generation;  /* atomic: forwarded connections older than it end */
  gint     forwarders;  /* atomic: threads still forwarding */
} PdTestPgProxy;

typedef struct {
  PdTestPgProxy *proxy;
  int            client;
  int            generation;
} PdTestPgForward;

static inline int
pd_test_pg_proxy_connect_unix (const char *path)
{
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_strlcpy (address.sun_path, path, sizeof address.sun_path);
  if (fd >= 0 && connect (fd, (struct sockaddr *) &address, sizeof address) != 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

static inline gpointer
pd_test_pg_proxy_forward (gpointer data)
{
  PdTestPgForward *forward = data;
  PdTestPgProxy *proxy = forward->proxy;
  int server = pd_test_pg_proxy_connect_unix (proxy->target);
  struct pollfd fds[2] = { { forward->client, POLLIN, 0 }, { server, POLLIN, 0 } };
  char buf[16384];

  while (server >= 0 && g_atomic_int_get (&proxy->generation) == forward->generation &&
         g_atomic_int_get (&proxy->state) == PD_TEST_PROXY_FORWARD)
    {
      gboolean done = FALSE;

      if (poll (fds, 2, 20) < 0 && errno != EINTR)
        break;
      for (guint i = 0; i < 2 && !done; i++)
        if (fds[i].revents != 0)
          {
            gssize n = read (fds[i].fd, buf, sizeof buf);

            /* a short write on a local socket: the test ends anyway */
            done = n <= 0 || write (fds[1 - i].fd, buf, n) != n;
          }
      if (done)
        break;
    }
  if (server >= 0)
    close (server);
  close (forward->client);
  g_free (forward);
  g_atomic_int_add (&proxy->forwarders, -1);
  return NULL;
}

static inline gpointer
pd_test_pg_proxy_accept (gpointer data)
{
  PdTestPgProxy *proxy = data;
  int state;

  while ((state = g_atomic_int_get (&proxy->state)) != PD_TEST_PROXY_STOP)
    {
      struct pollfd fd = { proxy->listen_fd, POLLIN, 0 };
      PdTestPgForward *forward;
      int client;

      /* silent: connections wait in the backlog, unanswered */
      if (state == PD_TEST_PROXY_SILENT || poll (&fd, 1, 20) <= 0)
        {
          g_usleep (20 * 1000);
          continue;
        }
      client = accept4 (proxy->listen_fd, NULL, NULL, SOCK_CLOEXEC);
      if (client < 0)
        continue;
      forward = g_new0 (PdTestPgForward, 1);
      forward->proxy = proxy;
      forward->client = client;
      forward->generation = g_atomic_int_get (&proxy->generation);
      g_atomic_int_inc (&proxy->forwarders);
      g_thread_unref (g_thread_new ("pd-test-pg-forward", pd_test_pg_proxy_forward, forward));
    }
  return NULL;
}

/* @uri (of the throwaway server) through a new proxy: @proxied_uri says
 * so, with @connect_timeout seconds. */
static inline PdTestPgProxy *
pd_test_pg_proxy_new (const char  *uri,
                      guint        connect_timeout,
                      char       **proxied_uri)
{
  PdTestPgProxy *proxy = g_new0 (PdTestPgProxy, 1);
  PQconninfoOption *options = PQconninfoParse (uri, NULL);
  const char *host = NULL, *port = "5432", *dbname = NULL, *user = NULL;
  struct sockaddr_un address = { .sun_family = AF_UNIX };

  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (o->val != NULL && *o->val != '\0')
      {
        if (g_str_equal (o->keyword, "host"))
          host = o->val;
        else if (g_str_equal (o->keyword, "port"))
          port = o->val;
        else if (g_str_equal (o->keyword, "dbname"))
          dbname = o->val;
        else if (g_str_equal (o->keyword, "user"))
          user = o->val;
      }
  g_assert_nonnull (host);
  g_assert_true (host[0] == '/');
  /* /tmp: a Unix socket's path must stay under 108 bytes */
  proxy->dir = g_mkdtemp (g_strdup ("/tmp/pd-pg-proxy.XXXXXX"));
  g_assert_nonnull (proxy->dir);
  proxy->path = g_strdup_printf ("%s/.s.PGSQL.%s", proxy->dir, port);
  proxy->target = g_strdup_printf ("%s/.s.PGSQL.%s", host, port);
  *proxied_uri = g_strdup_printf ("postgresql:///%s?host=%s&port=%s%s%s&connect_timeout=%u", dbname,
                                  proxy->dir, port, user != NULL ? "&user=" : "", user != NULL ? user : "",
                                  connect_timeout);
  PQconninfoFree (options);

  proxy->listen_fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_strlcpy (address.sun_path, proxy->path, sizeof address.sun_path);
  g_assert_cmpint (bind (proxy->listen_fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (listen (proxy->listen_fd, 64), ==, 0);
  proxy->acceptor = g_thread_new ("pd-test-pg-proxy", pd_test_pg_proxy_accept, proxy);
  return proxy;
}

/* Ends the connections forwarded so far and answers nothing more. */
static inline void
pd_test_pg_proxy_go_silent (PdTestPgProxy *proxy)
{
  g_atomic_int_inc (&proxy->generation);
  g_atomic_int_set (&proxy->state, PD_TEST_PROXY_SILENT);
}

static inline void
pd_test_pg_proxy_answer_again (PdTestPgProxy *proxy)
{
  g_atomic_int_set (&proxy->state, PD_TEST_PROXY_FORWARD);
}

static inline void
pd_test_pg_proxy_free (PdTestPgProxy *proxy)
{
  g_atomic_int_set (&proxy->state, PD_TEST_PROXY_STOP);
  g_thread_join (proxy->acceptor);
  while (g_atomic_int_get (&proxy->forwarders) > 0)
    g_usleep (10 * 1000);
  close (proxy->listen_fd);
  g_unlink (proxy->path);
  g_rmdir (proxy->dir);
  g_free (proxy->path);
  g_free (proxy->target);
  g_free (proxy->dir);
  g_free (proxy);
}

G_END_DECLS
