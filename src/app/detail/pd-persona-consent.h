/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-persona-detail.h"

G_BEGIN_DECLS

/* The "Consent" group of the persona detail pane: email marketing, text
 * messages with their double opt-in, and the confirmation of a pending
 * text opt-in.  A customer's own opt-out is shown and never undone here. */

#define PD_TYPE_PERSONA_CONSENT (pd_persona_consent_get_type ())
G_DECLARE_FINAL_TYPE (PdPersonaConsent, pd_persona_consent, PD, PERSONA_CONSENT, AdwPreferencesGroup)

/* Shows @persona's consent (nullable: none) in @mode. */
void pd_persona_consent_set_persona (PdPersonaConsent    *self,
                                     PdPersona           *persona,
                                     PdPersonaDetailMode  mode);
/* Writes the switches into @persona, keeping an opt-out. */
void pd_persona_consent_collect     (PdPersonaConsent    *self,
                                     PdPersona           *persona);

void     pd_persona_consent_set_pending_since (PdPersonaConsent *self,
                                              gint64            since_us);

G_END_DECLS
