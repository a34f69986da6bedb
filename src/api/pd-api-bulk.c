/* SPDX-License-Identifier: GPL-3.0-or-later */
/* POST /customers/bulk: the body, unparsed (a bulk route), through
 * pd_bulk_customers_run(), the import engine a file goes through.  The
 * caller's actor must pass PD_PERMISSION_IMPORT: only a token made with
 * `token create --import` does (pd-api-server.c gives it the Owner's role
 * on bulk routes only); any other gets 403 from the import itself. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-api-routes.h"
#include "pd-bulk-customers.h"
#include "pd-error.h"
#include "pd-permission.h"

JsonNode *
pd_api_customers_bulk (PdApiRequest  *request,
                       GError       **error)
{
  PdBulkOptions options;
  g_autoptr(PdBulkResult) result = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) local = NULL;

  if (!pd_api_request_check_query (request, NULL, error))
    return NULL;
  /* refused before the body is looked at: a plain token learns nothing
   * about what it sent */
  if (!pd_actor_check (request->actor, PD_PERMISSION_IMPORT, error))
    return NULL;
  if (request->raw_body == NULL || g_bytes_get_size (request->raw_body) == 0)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("The bulk call needs a JSON body"));
      return NULL;
    }
  pd_bulk_options_init (&options);
  /* the server capped the body already (--max-body), which may be above
   * the import's own default */
  options.max_body = MAX (g_bytes_get_size (request->raw_body), PD_BULK_DEFAULT_MAX_BODY);
  options.actor = request->actor;
  /* TRANSLATORS: the import history's name of a bulk call; %s is the token's name */
  name = g_strdup_printf (_("API bulk (token %s)"), request->actor->who);
  options.name = name;
  result = pd_bulk_customers_run (request->store, request->raw_body, &options, NULL, &local);
  if (result == NULL)
    {
      if (g_error_matches (local, PD_ERROR, PD_ERROR_CORRUPT))
        {
          /* only on this (failed) path: json-glib says where, as the other
           * routes' errors do, with "line" and "column" members */
          g_autoptr(JsonParser) parser = pd_api_request_parse_body (request, error);

          if (parser == NULL)
            return NULL;
        }
      if (g_error_matches (local, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT))
        request->status = 400;   /* JSON, but no "customers" list */
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return pd_bulk_result_to_json (result);
}
