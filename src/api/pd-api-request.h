/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "pd-store.h"
#include "pd-store-staff.h"

G_BEGIN_DECLS

/* One HTTP request as a route's handler sees it, on a worker thread with
 * that worker's own store connection.  Handlers never see libsoup: they
 * take this and return a JSON body or a GError (PD_ERROR), which the
 * server turns into a status (pd_api_status_for_error()). */

#define PD_API_MAX_PARAMS 4

typedef struct {
  PdStore        *store;      /* the worker's connection */
  const PdActor  *actor;      /* PD_SOURCE_API, the token's name, its role */
  const char     *method;
  const char     *params[PD_API_MAX_PARAMS];  /* the {…} parts of the path, in order */
  guint           n_params;
  GHashTable     *query;      /* name → value (nullable: no query) */
  JsonNode       *body;       /* parsed JSON (nullable: no body; not parsed for bulk routes) */
  GBytes         *raw_body;   /* the body as sent (nullable) */
  /* set by a handler: the response status (0: 200), and members added to
   * an error object (the existing persona of a 409) */
  guint           status;
  JsonObject     *error_extra;
} PdApiRequest;

typedef JsonNode *(*PdApiHandler) (PdApiRequest  *request,
                                   GError       **error);

/* Which status answers a GError: INVALID, MAPPING, CORRUPT 400, PERMISSION 403, NOT_FOUND
 * 404, CONFLICT 409, TOO_LARGE 413, BUSY 503, anything else 500. */
guint        pd_api_status_for_error    (const GError  *error);
/* "invalid", "forbidden", … : the error object's "code" for @status */
const char  *pd_api_code_for_status     (guint          status);
/* {"error": {"code", "message", …extra}} */
JsonNode    *pd_api_error_json          (guint          status,
                                         const char    *message,
                                         JsonObject    *extra);

/* @request's raw_body parsed (what the server does for every route but
 * the bulk ones, whose handlers may parse in their own way): the parser
 * (its root is the body), or NULL with PD_ERROR_INVALID saying where it
 * is malformed, and "line"/"column" in @request's error_extra. */
JsonParser  *pd_api_request_parse_body  (PdApiRequest  *request,
                                         GError       **error);
/* Query parameter @name, or NULL. */
const char  *pd_api_request_get_query   (PdApiRequest  *request,
                                         const char    *name);
/* Only these query parameters (NULL-terminated; NULL: none); else
 * PD_ERROR_INVALID naming the others. */
gboolean     pd_api_request_check_query (PdApiRequest  *request,
                                         const char * const *allowed,
                                         GError       **error);
/* Path parameter @index as a positive persona ID, or 0 with
 * PD_ERROR_INVALID (a malformed ID is a bad request). */
gint64       pd_api_request_param_id    (PdApiRequest  *request,
                                         guint          index,
                                         GError       **error);
/* The body as an object whose members are all in @allowed (NULL-terminated;
 * NULL: any, the caller checks them); else NULL with PD_ERROR_INVALID
 * naming the unknown ones. */
JsonObject  *pd_api_request_body_object (PdApiRequest  *request,
                                         const char * const *allowed,
                                         GError       **error);
/* Member @name of @object as a string (NULL when absent); PD_ERROR_INVALID
 * when present but not a string. */
gboolean     pd_api_get_string_member   (JsonObject    *object,
                                         const char    *name,
                                         const char   **value,
                                         GError       **error);
/* The persona (never a blocklisted one: PD_ERROR_NOT_FOUND), following a
 * merge to its survivor when @id was merged away (@survivor_of: the ID
 * asked for, 0 otherwise). */
PdPersona   *pd_api_load_persona        (PdApiRequest  *request,
                                         gint64         id,
                                         gint64        *merged_from,
                                         GError       **error);
/* Whether lists may show persona @id (not a blocklisted one), asked once
 * per ID: @cache (g_int64_hash) keeps the answers, keyed by @id, which
 * must live as long as it. */
gboolean     pd_api_persona_visible     (PdApiRequest  *request,
                                         GHashTable    *cache,
                                         gint64        *id);
/* The persona object of the API (pd_persona_to_json()), plus
 * "merged_from" when it answers for a merged-away ID. */
JsonNode    *pd_api_persona_json        (PdPersona     *persona,
                                         gint64         merged_from);
/* A phone as the store keeps it (what an import and the app's detail pane
 * keep: pd_phone_normalize_lenient(), so a number from a range newer than
 * the phone data is found too); @number_only drops an extension, for a
 * look-up or consent, which are the number's. */
char        *pd_api_normalize_phone     (const char    *text,
                                         const char    *region,
                                         gboolean       number_only,
                                         GError       **error);
/* ISO 8601 in UTC, or NULL */
char        *pd_api_format_time         (GDateTime     *time);
/* "2026-12-01" (midnight UTC) or an ISO 8601 time: Unix µs, or -1 with
 * PD_ERROR_INVALID naming @what. */
gint64       pd_api_parse_time          (const char    *text,
                                         const char    *what,
                                         GError       **error);

G_END_DECLS
