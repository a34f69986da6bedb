/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-api-request.h"

G_BEGIN_DECLS

/* The API's routes: one table (pd-api-routes.c); a new endpoint is one
 * entry there and a handler in a pd-api-<group>.c of its own. */

#define PD_API_DEFAULT_MAX_BODY (1024 * 1024)

typedef struct {
  const char   *method;    /* "GET", "POST", "PUT" */
  const char   *pattern;   /* "/personas/{id}/points": {…} matches one segment */
  PdApiHandler  handler;
  gboolean      writes;    /* refused (403) to read-only tokens */
  gboolean      bulk;      /* body capped by the server's --max-body, not 1 MB */
} PdApiRoute;

const PdApiRoute *pd_api_routes            (guint         *n_routes);
/* The route for @method and @path, with the path's parameters (borrowed
 * from @segments) in @request; NULL when none: *@path_known says whether
 * another method serves the path (405 rather than 404). */
const PdApiRoute *pd_api_route_match       (const char    *method,
                                            const char    *path,
                                            char         **segments_out[],
                                            PdApiRequest  *request,
                                            gboolean      *path_known);

/* Handlers, one file per group */
JsonNode *pd_api_personas_list        (PdApiRequest *request, GError **error);
JsonNode *pd_api_personas_get         (PdApiRequest *request, GError **error);
JsonNode *pd_api_personas_by_source   (PdApiRequest *request, GError **error);
JsonNode *pd_api_personas_create      (PdApiRequest *request, GError **error);
JsonNode *pd_api_overrides_get        (PdApiRequest *request, GError **error);
JsonNode *pd_api_overrides_set        (PdApiRequest *request, GError **error);
JsonNode *pd_api_attributes_get       (PdApiRequest *request, GError **error);
JsonNode *pd_api_attributes_add       (PdApiRequest *request, GError **error);
JsonNode *pd_api_attributes_replace   (PdApiRequest *request, GError **error);
JsonNode *pd_api_loyalty_status       (PdApiRequest *request, GError **error);
JsonNode *pd_api_opt_in               (PdApiRequest *request, GError **error);
JsonNode *pd_api_opt_in_confirm       (PdApiRequest *request, GError **error);
JsonNode *pd_api_opt_in_decline       (PdApiRequest *request, GError **error);
JsonNode *pd_api_outbox_list          (PdApiRequest *request, GError **error);
JsonNode *pd_api_outbox_sent          (PdApiRequest *request, GError **error);
JsonNode *pd_api_points_adjust        (PdApiRequest *request, GError **error);
JsonNode *pd_api_points_adjustments   (PdApiRequest *request, GError **error);
JsonNode *pd_api_points_timeline      (PdApiRequest *request, GError **error);
JsonNode *pd_api_customers_bulk       (PdApiRequest *request, GError **error);
JsonNode *pd_api_orders_add            (PdApiRequest *request, GError **error);
JsonNode *pd_api_orders_list           (PdApiRequest *request, GError **error);
JsonNode *pd_api_orders_predicted      (PdApiRequest *request, GError **error);

G_END_DECLS
