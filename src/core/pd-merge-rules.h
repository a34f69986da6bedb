/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pd-persona.h"
#include "pd-record.h"

G_BEGIN_DECLS

/* The rules that decide what a file row does to a persona: which keys
 * match, what each on-match action changes, points and the ledger, loyalty
 * enrolment, consent, person types and the contacts cap.  Pure functions
 * over a PdPersona and a PdRecord: no store, testable on their own. */

typedef enum {
  PD_MATCH_ACTION_IGNORE,   /* alias "discard" */
  PD_MATCH_ACTION_UPDATE,
  PD_MATCH_ACTION_APPEND,
  PD_MATCH_ACTION_REPLACE,
  PD_MATCH_ACTION_MERGE,
} PdMatchAction;

#define PD_MAX_CONTACTS 100

typedef struct {
  PdMatchAction  action;
  gboolean       opt_in_all_email;
  gboolean       opt_in_all_sms;
  const char    *person_type;    /* nullable: "lead" or "customer" for new personas */
  const char    *signup_source;  /* nullable: the import's name, for new personas */
  const char   **tags;           /* nullable, NULL-terminated: added to every persona touched */
} PdMergeOptions;

gboolean       pd_match_action_from_string (const char    *text,
                                            PdMatchAction *action);
const char    *pd_match_action_to_string   (PdMatchAction  action);

/* Parses "email,phone,external_id,facebook" into field ids; FALSE with
 * PD_ERROR_INVALID naming an unknown or non-identifier key. */
gboolean       pd_match_keys_parse         (const char    *text,
                                            GArray        *keys,
                                            GError       **error);

/**
 * pd_merge_apply:
 * @persona: the matched persona, or a new empty one when @is_new
 * @record: a valid record
 * @points_delta: (out): what the row adds to the balance (for the ledger)
 * @warnings: (element-type utf8): translated warnings are appended (an
 *   explicit opt-out that blocked an opt-in)
 *
 * Applies the row to @persona following @options.  Must not be called for
 * PD_MATCH_ACTION_IGNORE on a match.  Fails with PD_ERROR_INVALID when the
 * persona would exceed PD_MAX_CONTACTS emails and phones.
 */
gboolean       pd_merge_apply              (PdPersona            *persona,
                                            const PdRecord       *record,
                                            gboolean              is_new,
                                            const PdMergeOptions *options,
                                            gint64               *points_delta,
                                            GPtrArray            *warnings,
                                            GError              **error);

G_END_DECLS
