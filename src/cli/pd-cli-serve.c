/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli serve [--port N] [--listen ADDR] [--tls-cert F --tls-key F]
 * [--max-body BYTES]: the HTTP API (src/api/) until SIGINT or SIGTERM. */
#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include "pd-api-server.h"
#include "pd-cli.h"
#include "pd-error.h"

static gboolean
on_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

int
pd_cli_serve (PdCliContext *ctx,
              int           argc,
              char        **argv)
{
  g_autofree char *listen = NULL, *cert = NULL, *key = NULL;
  gint port = 8080, workers = 4;
  gint64 max_body = PD_API_DEFAULT_MAX_BULK_BODY;
  const GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("TCP port (default 8080; 0: any free port)"), N_("N") },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      N_("Address to listen on (default 127.0.0.1: this machine only; 0.0.0.0: every network)"), N_("ADDR") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &cert, N_("PEM certificate: serve HTTPS"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &key, N_("PEM private key of --tls-cert"), N_("FILE") },
    { "max-body", 0, 0, G_OPTION_ARG_INT64, &max_body,
      N_("Largest body of a bulk request in bytes (default 50 MB; other requests: 1 MB)"), N_("BYTES") },
    { "workers", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &workers, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdApiServer) server = NULL;
  g_autoptr(GTlsCertificate) tls = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *url = NULL;
  PdApiServerOptions options = { 0 };

  g_option_context_set_summary (context, _("Serve the HTTP API for point-of-sale and other integrations. "
                                           "Every request needs a bearer token (persona-desk-cli token create)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("serve", error->message);
  if (argc != 1)
    return pd_cli_usage_error ("serve", _("unexpected argument"));
  if (port < 0 || port > 65535)
    return pd_cli_usage_error ("serve", _("--port must be from 0 to 65535"));
  if (workers < 1 || workers > 64)
    return pd_cli_usage_error ("serve", _("--workers must be from 1 to 64"));
  if (max_body < 1024)
    return pd_cli_usage_error ("serve", _("--max-body must be at least 1024 bytes"));
  if ((cert != NULL) != (key != NULL))
    return pd_cli_usage_error ("serve", _("--tls-cert and --tls-key go together"));
  if (cert != NULL)
    {
      tls = g_tls_certificate_new_from_files (cert, key, &error);
      if (tls == NULL)
        return pd_cli_fail (error);
    }
  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  options.n_workers = workers;
  options.max_bulk_body = max_body;
  options.tls = tls;
  server = pd_api_server_new (store, &options, &error);
  if (server == NULL || !pd_api_server_listen (server, listen, port, &error))
    return pd_cli_fail (error);
  url = pd_api_server_dup_url (server);
  /* the address on stdout (a script or test started with --port 0 reads it) */
  printf (_("Listening on %s\n"), url);
  fflush (stdout);
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);
  pd_api_server_stop (server);
  return 0;
}
