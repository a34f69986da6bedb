/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-store.h"

G_BEGIN_DECLS

/* The app's HTTP API for point-of-sale systems: started and stopped as the
 * `pos-server-enabled` key says (Preferences → Allow point-of-sale
 * connections), on 127.0.0.1 and the `pos-server-port` key's port, on the
 * app's main context; "running", "url" and "error" say how it is. */

#define PD_TYPE_POS_SERVICE (pd_pos_service_get_type ())
G_DECLARE_FINAL_TYPE (PdPosService, pd_pos_service, PD, POS_SERVICE, GObject)

PdPosService *pd_pos_service_new         (GSettings    *settings,
                                          PdStore      *store);
gboolean      pd_pos_service_get_running (PdPosService *self);
/* nullable: the server's address while it runs */
const char   *pd_pos_service_get_url     (PdPosService *self);
/* nullable: why it could not start */
const char   *pd_pos_service_get_error   (PdPosService *self);

G_END_DECLS
