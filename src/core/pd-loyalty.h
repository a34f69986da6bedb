/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pd-persona.h"

G_BEGIN_DECLS

/* The loyalty program's rules that do not depend on how personas are kept:
 * who may change what (PdActor), points adjustments, SMS consent
 * transitions and favorite-store precedence.  Every store calls these, so
 * the app, the CLI, imports and the HTTP API get the same answers. */

/* Staff roles (pd-permission.h says what each may do).  The Owner is 0 so
 * that an actor built without a role, as before staff accounts, is the
 * Owner: a single user on their own machine. */
typedef enum {
  PD_ROLE_OWNER = 0,
  PD_ROLE_MANAGER,
  PD_ROLE_STAFF,
  PD_ROLE_ANALYST,
  PD_ROLE_MARKETING,
  PD_ROLE_MARKETING_ANALYST,
  PD_ROLE_OPERATOR,
} PdRole;

#define PD_N_ROLES (PD_ROLE_OPERATOR + 1)

/* Who makes a change: the kind of caller and, when known, the person or
 * integration (the OS user of the app or CLI, a staff account, an API
 * token's name), and the role it acts in. */
typedef struct {
  PdSource    source;
  const char *who;     /* nullable */
  PdRole      role;
} PdActor;

/* Settings of the loyalty program, kept in the database so that the app,
 * the CLI and the API share them. */
typedef struct {
  gboolean allow_negative_balance;
  guint    double_opt_in_expiry_days;   /* 0: pending requests never expire */
  guint    order_points_per_unit;       /* an order earns this many points per currency
                                         * unit (100 minor units) of its total; 0: off */
} PdLoyaltySettings;

#define PD_LOYALTY_DEFAULT_EXPIRY_DAYS 30

void         pd_loyalty_settings_init      (PdLoyaltySettings       *settings);

/**
 * pd_points_check_adjustment:
 * @balance: the balance now
 * @delta: the adjustment
 *
 * The rule of a points adjustment: a non-zero delta with a reason, and a
 * negative one may not take the balance below zero unless the settings
 * allow a negative balance (nor overflow it).  FALSE with PD_ERROR_INVALID
 * (bad input) or PD_ERROR_CONFLICT (the balance would go below zero)
 * saying why.
 */
gboolean     pd_points_check_adjustment    (gint64                   balance,
                                            gint64                   delta,
                                            const char              *reason,
                                            const PdLoyaltySettings *settings,
                                            GError                 **error);

/* Parses a points delta as typed ("+50", "-20", "15"): a non-zero integer.
 * FALSE with PD_ERROR_INVALID naming @text otherwise. */
gboolean     pd_points_parse_delta         (const char              *text,
                                            gint64                  *delta,
                                            GError                 **error);

/* SMS consent of one phone, as a customer or staff sees it. */
typedef enum {
  PD_CONSENT_STATE_NONE,       /* not opted in */
  PD_CONSENT_STATE_OPTED_IN,
  PD_CONSENT_STATE_PENDING,    /* double opt-in requested, no YES yet */
  PD_CONSENT_STATE_OPTED_OUT,  /* explicitly, by the customer: for good */
} PdConsentState;

const char  *pd_consent_state_to_string    (PdConsentState           state);
PdConsentState pd_persona_get_sms_state    (PdPersona               *persona);

typedef enum {
  PD_SMS_OPT_IN_FORCE,          /* opted in now, enrolled in loyalty */
  PD_SMS_OPT_IN_DOUBLE,         /* pending until the customer's YES */
  PD_SMS_OPT_IN_NO_LOYALTY,     /* opted in now, not enrolled */
} PdSmsOptInMode;

/* What a request does to a phone's consent.  @loyalty is set when the
 * change enrols in loyalty.  Fails with PD_ERROR_CONFLICT when the number
 * opted out explicitly (never opted in again by staff, import or API). */
gboolean     pd_sms_consent_request        (PdConsentState           state,
                                            PdSmsOptInMode           mode,
                                            PdConsentState          *new_state,
                                            gboolean                *loyalty,
                                            GError                 **error);
/* The customer's YES: pending becomes opted in and enrols.  Opted in stays
 * (TRUE, no change); anything else fails with PD_ERROR_CONFLICT. */
gboolean     pd_sms_consent_confirm        (PdConsentState           state,
                                            PdConsentState          *new_state,
                                            GError                 **error);

/* Staff withdraw a request before the customer answered: pending goes
 * back to not opted in (not an opt-out).  Anything else fails with
 * PD_ERROR_CONFLICT. */
gboolean     pd_sms_consent_cancel         (PdConsentState           state,
                                            PdConsentState          *new_state,
                                            GError                 **error);

/* Email consent has no double opt-in: not opted in, opted in, or opted
 * out explicitly (the customer's unsubscribe), which is final like an SMS
 * opt-out.  An opt-in request fails with PD_ERROR_CONFLICT on an opted-out
 * address; otherwise @new_state is opted in. */
gboolean     pd_email_consent_request      (PdConsentState           state,
                                            PdConsentState          *new_state,
                                            GError                 **error);
/* Whether a persona write may keep its email opt-in: not when any of its
 * addresses opted out explicitly. */
gboolean     pd_email_opt_in_allowed       (gboolean                 any_opted_out);

/* Favorite store precedence: the wallet/loyalty app (the customer) > a
 * signup form (and staff acting on the customer's word) > a file upload >
 * purchase history.  A value from @incoming replaces one from @current
 * when its rank is equal or higher. */
guint        pd_favorite_store_rank        (PdSource                 source);
gboolean     pd_favorite_store_may_replace (PdSource                 current,
                                            PdSource                 incoming);
const char  *pd_source_to_string           (PdSource                 source);
gboolean     pd_source_from_string         (const char              *text,
                                            PdSource                *source);

/* Permanent overrides.  Fields that can be pinned: the single-value ones
 * that are not identifiers, counters, consent or override columns.
 * pd_override_parse() looks @key up and checks @text for the field's type
 * (an ISO date for dates, one of the choices, not empty): the field and
 * the value to store, or FALSE with PD_ERROR_INVALID naming what was
 * wrong. */
gboolean     pd_field_can_override         (PdFieldId                field);
gboolean     pd_override_parse             (const char              *key,
                                            const char              *text,
                                            PdFieldId               *field,
                                            char                   **value,
                                            GError                 **error);

/* Source IDs: @source is an integration's name (letters, digits, - and
 * _, at most 40), @source_id its ID for the customer (no control
 * characters, at most 200; leading and trailing spaces are not kept).
 * FALSE with PD_ERROR_INVALID naming what was wrong.  "pos:1234" splits
 * into both with pd_source_id_parse(). */
gboolean     pd_source_id_check            (const char              *source,
                                            const char              *source_id,
                                            GError                 **error);
gboolean     pd_source_id_parse            (const char              *text,
                                            char                   **source,
                                            char                   **source_id,
                                            GError                 **error);

G_END_DECLS
