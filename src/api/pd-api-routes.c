/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The API's route table and its matcher.  docs/api/openapi.yaml documents
 * exactly these routes (test-api checks both ways). */
#include "config.h"

#include <string.h>

#include "pd-api-routes.h"

static const PdApiRoute routes[] = {
  { "GET",  "/personas",                              pd_api_personas_list,       FALSE, FALSE },
  { "POST", "/personas",                              pd_api_personas_create,     TRUE,  FALSE },
  { "GET",  "/personas/{id}",                         pd_api_personas_get,        FALSE, FALSE },
  { "GET",  "/personas/by-source/{source}/{source_id}", pd_api_personas_by_source, FALSE, FALSE },
  { "GET",  "/personas/{id}/overrides",               pd_api_overrides_get,       FALSE, FALSE },
  { "POST", "/personas/{id}/overrides",               pd_api_overrides_set,       TRUE,  FALSE },
  { "GET",  "/personas/{id}/attributes",              pd_api_attributes_get,      FALSE, FALSE },
  { "POST", "/personas/{id}/attributes",              pd_api_attributes_add,      TRUE,  FALSE },
  { "PUT",  "/personas/{id}/attributes",              pd_api_attributes_replace,  TRUE,  FALSE },
  { "PUT",  "/personas/{id}/points",                  pd_api_points_adjust,       TRUE,  FALSE },
  { "GET",  "/personas/{id}/points-timeline",         pd_api_points_timeline,     FALSE, FALSE },
  { "GET",  "/points-adjustments",                    pd_api_points_adjustments,  FALSE, FALSE },
  { "GET",  "/loyalty-status",                        pd_api_loyalty_status,      FALSE, FALSE },
  { "PUT",  "/opt-in",                                pd_api_opt_in,              TRUE,  FALSE },
  { "PUT",  "/opt-in/confirm",                        pd_api_opt_in_confirm,      TRUE,  FALSE },
  { "PUT",  "/opt-in/decline",                        pd_api_opt_in_decline,      TRUE,  FALSE },
  { "GET",  "/outbox",                                pd_api_outbox_list,         FALSE, FALSE },
  { "POST", "/outbox/sent",                           pd_api_outbox_sent,         TRUE,  FALSE },
  { "POST", "/customers/bulk",                        pd_api_customers_bulk,      TRUE,  TRUE  },
  { "POST", "/personas/{id}/orders",                  pd_api_orders_add,          TRUE,  FALSE },
  { "GET",  "/personas/{id}/orders",                  pd_api_orders_list,         FALSE, FALSE },
  { "GET",  "/personas/{id}/predicted-products",      pd_api_orders_predicted,    FALSE, FALSE },
};

const PdApiRoute *
pd_api_routes (guint *n_routes)
{
  *n_routes = G_N_ELEMENTS (routes);
  return routes;
}

/* @segments: the path split at '/', without the leading empty one.
 * A literal segment beats a parameter ("/personas/by-source/…" is not
 * persona "by-source"): literal routes are tried first. */
static gboolean
matches (const char    *pattern,
         char         **segments,
         PdApiRequest  *request)
{
  g_auto(GStrv) parts = g_strsplit (pattern + 1, "/", -1);
  guint n = 0;

  if (g_strv_length (parts) != g_strv_length (segments))
    return FALSE;
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '{')
        {
          if (segments[i][0] == '\0' || n >= PD_API_MAX_PARAMS)
            return FALSE;
          if (request != NULL)
            request->params[n] = segments[i];
          n++;
        }
      else if (!g_str_equal (parts[i], segments[i]))
        return FALSE;
    }
  if (request != NULL)
    request->n_params = n;
  return TRUE;
}

static gboolean
has_params (const char *pattern)
{
  return strchr (pattern, '{') != NULL;
}

const PdApiRoute *
pd_api_route_match (const char    *method,
                    const char    *path,
                    char         **segments_out[],
                    PdApiRequest  *request,
                    gboolean      *path_known)
{
  g_auto(GStrv) segments = NULL;
  const PdApiRoute *found = NULL;
  gboolean known = FALSE;

  if (path[0] != '/')
    return NULL;
  segments = g_strsplit (path + 1, "/", -1);
  /* the literal routes first, then those with parameters */
  for (int pass = 0; pass < 2 && found == NULL; pass++)
    for (guint i = 0; i < G_N_ELEMENTS (routes) && found == NULL; i++)
      {
        if (has_params (routes[i].pattern) != (pass == 1))
          continue;
        if (!matches (routes[i].pattern, segments, NULL))
          continue;
        /* a literal route that matches owns the path for every method */
        known = TRUE;
        if (g_str_equal (routes[i].method, method))
          {
            found = &routes[i];
            if (request != NULL)
              matches (routes[i].pattern, segments, request);
          }
      }
  if (path_known != NULL)
    *path_known = known;
  if (segments_out != NULL)
    *segments_out = g_steal_pointer (&segments);
  return found;
}
