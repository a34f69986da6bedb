/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "pd-same-file.h"
#include "pd-store.h"

G_BEGIN_DECLS

/* The bulk customers call (issue 18, POST /customers/bulk; the CLI's
 * `bulk FILE.json`): a JSON body
 *
 *   {"action": "ignore|update|append|replace|merge",
 *    "deduplicationKeys": ["email", "phoneNumber", …],
 *    "customers": [ {"firstName": …, "email": [..], "phoneNumber": [..], …} ]}
 *
 * imported by the same engine as a file (PdImportJob: one transaction,
 * undo, warnings, the consent, override and blocklist rules), kept in the
 * import history like a file whose file is the body ("bulk-customers.json",
 * read by PdJsonReader).
 *
 * What maps to what:
 * - "action" is PdImportOptions.action, by the same names as the CLI's
 *   --on-conflict and the assistant's choice, with the engine's meaning
 *   (pd_merge_apply()) for a customer that matches a persona:
 *   "ignore" → PD_MATCH_ACTION_IGNORE: the persona is left alone
 *     (ignoredCount);
 *   "update" → UPDATE: fills the persona's empty fields, keeps the others;
 *   "append" → APPEND: writes the values sent over the persona's, adds
 *     emails, phones and tags to its lists;
 *   "replace" → REPLACE: as append, and the lists (and custom attributes)
 *     sent replace the persona's;
 *   "merge" → MERGE (the default when absent): the first value wins,
 *     lists are joined.
 *   The explicit opt-outs, pinned overrides and blocklist hold whatever
 *   the action, as in a file import.
 * - "deduplicationKeys" is PdImportOptions.match: each key is a field name
 *   or one of its synonyms ("phoneNumber" → phone, "customerId" →
 *   external_id, "email" → email), and must be a field that identifies a
 *   persona (email, phone, external ID, a channel ID).  Absent: the
 *   engine's default (email, then phone).
 * - a customer's keys are the persona fields' keys or any of their
 *   synonyms (`persona-desk-cli headers`: "firstName", "lastName",
 *   "phoneNumber", "birthday", …), or "attribute:NAME" for a custom
 *   attribute, or "source:NAME" for a source ID.  A key that names no field
 *   fails the whole call (PD_ERROR_MAPPING) naming every such key, and so
 *   do two keys on one single-valued field ("firstName" and "first_name").
 *   Lists ("email": [..]) are the field's several values.
 * - insertedCount, updatedCount, ignoredCount, rejectedCount are the
 *   import's imported, updated, ignored and failed rows; they add up to the
 *   number of customers.  rejectedCustomers is every failed customer as it
 *   was sent, with the reasons, which name the customer as "row N" with
 *   N = its index + 2 (row 1 is the header the reader makes of the keys).
 *
 * Other members of the body are refused (PD_ERROR_INVALID) naming them. */

/* The body cap of the issue: 50 MB. */
#define PD_BULK_DEFAULT_MAX_BODY  (50 * 1000 * 1000)

typedef struct {
  gsize          max_body;        /* 0: PD_BULK_DEFAULT_MAX_BODY */
  const char    *name;            /* nullable: the history's name; "Bulk customers" and the time */
  const char    *default_region;  /* nullable: phones without "+" */
  PdSameFile     same_file;       /* the same body imported before: refused by default
                                   * (PD_ERROR_SAME_FILE), as a file is */
  gboolean       dry_run;         /* everything as the import would, nothing kept */
  guint          n_threads;       /* normalizer threads; 0: from the CPU count */
  const PdActor *actor;           /* nullable: who calls (an API token); checked for
                                   * PD_PERMISSION_IMPORT, named in the history and the
                                   * ledger; NULL: the OS user, as the CLI */
} PdBulkOptions;

void pd_bulk_options_init (PdBulkOptions *options);

typedef struct {
  gint64     import_id;           /* the history's entry (undo with it); 0 for a dry run */
  guint      inserted;
  guint      updated;
  guint      ignored;
  guint      rejected;
  JsonNode  *rejected_customers;  /* array of {"customer", "reason", "index"} */
  JsonNode  *warnings;            /* array of {"index", "warnings": [..]} (the first rows with some) */
} PdBulkResult;

void pd_bulk_result_free (PdBulkResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdBulkResult, pd_bulk_result_free)

/**
 * pd_bulk_customers_run:
 * @store: the store (the import opens a connection of its own)
 * @body: the request body, UTF-8 JSON
 * @options: (nullable): see PdBulkOptions
 *
 * Runs the body through the import engine, synchronously, on the calling
 * thread (call it from a worker thread).  Fails, writing nothing, when
 * the body is too large (PD_ERROR_TOO_LARGE), not JSON (PD_ERROR_CORRUPT,
 * naming the line and column), has unknown members or customer fields
 * (PD_ERROR_INVALID, PD_ERROR_MAPPING, naming them), was imported before
 * (PD_ERROR_SAME_FILE), or when the import fails as a whole.
 *
 * Returns: (transfer full): the counts and rejected customers
 */
PdBulkResult *pd_bulk_customers_run      (PdStore              *store,
                                          GBytes               *body,
                                          const PdBulkOptions  *options,
                                          GCancellable         *cancellable,
                                          GError              **error);

/* The response object: {"insertedCount", "updatedCount", "ignoredCount",
 * "rejectedCount", "rejectedCustomers": [{"customer", "reason"}],
 * "importId", "warnings"}.  (transfer full) */
JsonNode     *pd_bulk_result_to_json     (const PdBulkResult   *result);

G_END_DECLS
