/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-store.h"

G_BEGIN_DECLS

/* The HTTP API server (issue 18): libsoup 3 on the thread that runs the
 * main context it was made on, the requests on a pool of worker threads,
 * each with its own store connection, so that clients are served in
 * parallel and a slow statement never stops the others' I/O. */

#define PD_TYPE_API_SERVER (pd_api_server_get_type ())
G_DECLARE_FINAL_TYPE (PdApiServer, pd_api_server, PD, API_SERVER, GObject)

typedef struct {
  guint        n_workers;      /* 0: 4 */
  guint        lock_wait_ms;   /* a write waits this long for an import's lock, then 503; 0: 2000 */
  gsize        max_bulk_body;  /* body cap of bulk routes; 0: 50 MB (others: 1 MB) */
  GTlsCertificate *tls;        /* nullable: plain HTTP */
} PdApiServerOptions;

#define PD_API_DEFAULT_MAX_BULK_BODY (50 * 1024 * 1024)

/* @store: the database; the server opens its workers' connections from it
 * (pd_store_open_another()) and does not use it otherwise. */
PdApiServer *pd_api_server_new       (PdStore                  *store,
                                      const PdApiServerOptions *options,
                                      GError                  **error);
/* @address: an IP address (NULL: 127.0.0.1); @port 0: any free one */
gboolean     pd_api_server_listen    (PdApiServer              *self,
                                      const char               *address,
                                      guint                     port,
                                      GError                  **error);
guint        pd_api_server_get_port  (PdApiServer              *self);
/* "http://127.0.0.1:8080/" */
char        *pd_api_server_dup_url   (PdApiServer              *self);
void         pd_api_server_stop      (PdApiServer              *self);

G_END_DECLS
