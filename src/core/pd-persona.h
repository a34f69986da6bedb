/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pd-field.h"

G_BEGIN_DECLS

/* A persona: one customer as the store keeps it.  Single-value fields
 * are addressed by PdFieldId (the schema is the one list of fields);
 * emails, phones and tags are ordered lists; custom attributes a map.
 * Values are normalized text (E.164 phones, lower-case emails, ISO dates,
 * "true"/"false" booleans, decimal integers).  A PdPersona is a value
 * object: the store fills it and saves it, it never talks to the store. */

#define PD_TYPE_PERSONA (pd_persona_get_type ())
G_DECLARE_FINAL_TYPE (PdPersona, pd_persona, PD, PERSONA, GObject)

/* Where a value came from, for precedence rules and the detail pane. */
typedef enum {
  PD_SOURCE_NONE,
  PD_SOURCE_IMPORT,
  PD_SOURCE_MANUAL,
  PD_SOURCE_API,        /* POS / API */
  PD_SOURCE_SIGNUP_FORM,
  PD_SOURCE_WALLET,
  PD_SOURCE_PURCHASE,
  PD_SOURCE_UNDO,       /* the ledger's reversal of an undone import */
} PdSource;

typedef enum {
  PD_SMS_CONSENT_NONE,
  PD_SMS_CONSENT_PENDING,   /* double opt-in text sent, no YES yet */
  PD_SMS_CONSENT_OPTED_IN,
} PdSmsConsent;

PdPersona   *pd_persona_new                (void);
PdPersona   *pd_persona_copy               (PdPersona   *self);

gint64       pd_persona_get_id             (PdPersona   *self);
void         pd_persona_set_id             (PdPersona   *self,
                                            gint64       id);

/* Single-value builtin fields (not PD_FIELD_EMAIL/PHONE/TAGS). */
const char  *pd_persona_get_value          (PdPersona   *self,
                                            PdFieldId    field);
void         pd_persona_set_value          (PdPersona   *self,
                                            PdFieldId    field,
                                            const char  *value);
PdSource     pd_persona_get_value_source   (PdPersona   *self,
                                            PdFieldId    field);
void         pd_persona_set_value_source   (PdPersona   *self,
                                            PdFieldId    field,
                                            PdSource     source);

/* Permanent overrides: a pinned field keeps its value against every
 * import (whatever its action) and every lower source. */
const char  *pd_persona_get_override       (PdPersona   *self,
                                            PdFieldId    field);
void         pd_persona_set_override       (PdPersona   *self,
                                            PdFieldId    field,
                                            const char  *value);

/* emails, phones, tags: element-type utf8, never NULL */
GPtrArray   *pd_persona_get_emails         (PdPersona   *self);
GPtrArray   *pd_persona_get_phones         (PdPersona   *self);
GPtrArray   *pd_persona_get_tags           (PdPersona   *self);
gboolean     pd_persona_add_email          (PdPersona   *self,
                                            const char  *email);
gboolean     pd_persona_add_phone          (PdPersona   *self,
                                            const char  *phone);
gboolean     pd_persona_add_tag            (PdPersona   *self,
                                            const char  *tag);

/* Added by the store helper: remove one value; FALSE when absent. */
gboolean     pd_persona_remove_email       (PdPersona   *self,
                                            const char  *email);
gboolean     pd_persona_remove_phone       (PdPersona   *self,
                                            const char  *phone);
gboolean     pd_persona_remove_tag         (PdPersona   *self,
                                            const char  *tag);

/* custom attributes: name → value, names as typed (case kept) */
GHashTable  *pd_persona_get_attributes     (PdPersona   *self);
void         pd_persona_set_attribute      (PdPersona   *self,
                                            const char  *name,
                                            const char  *value);

gint64       pd_persona_get_points         (PdPersona   *self);
void         pd_persona_set_points         (PdPersona   *self,
                                            gint64       points);
gboolean     pd_persona_get_loyalty        (PdPersona   *self);
void         pd_persona_set_loyalty        (PdPersona   *self,
                                            gboolean     loyalty);
gboolean     pd_persona_get_email_opt_in   (PdPersona   *self);
void         pd_persona_set_email_opt_in   (PdPersona   *self,
                                            gboolean     opt_in);
PdSmsConsent pd_persona_get_sms_consent    (PdPersona   *self);
void         pd_persona_set_sms_consent    (PdPersona   *self,
                                            PdSmsConsent consent);
gboolean     pd_persona_get_sms_opt_out    (PdPersona   *self);
void         pd_persona_set_sms_opt_out    (PdPersona   *self,
                                            gboolean     opt_out);
gboolean     pd_persona_get_archived       (PdPersona   *self);
void         pd_persona_set_archived       (PdPersona   *self,
                                            gboolean     archived);
gboolean     pd_persona_get_blocklisted    (PdPersona   *self);
void         pd_persona_set_blocklisted    (PdPersona   *self,
                                            gboolean     blocklisted);
/* "signup form" name, import name, "Manual" or "API": shown in the list */
const char  *pd_persona_get_signup_source  (PdPersona   *self);
void         pd_persona_set_signup_source  (PdPersona   *self,
                                            const char  *source);

/* For lists: "First Last", else the first email, else the first phone. */
char        *pd_persona_dup_display_name   (PdPersona   *self);
const char  *pd_persona_get_primary_email  (PdPersona   *self);
const char  *pd_persona_get_primary_phone  (PdPersona   *self);

/* The JSON object of `persona-desk-cli show --json`. */
struct _JsonNode;
struct _JsonNode *pd_persona_to_json       (PdPersona   *self);

G_END_DECLS
