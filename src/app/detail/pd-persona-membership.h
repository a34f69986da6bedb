/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-persona-detail.h"

G_BEGIN_DECLS

/* The "Membership" group of the persona detail pane: loyalty, person and
 * customer type (the schema's choices), when and where the persona signed
 * up, and the favorite store with where that value came from. */

#define PD_TYPE_PERSONA_MEMBERSHIP (pd_persona_membership_get_type ())
G_DECLARE_FINAL_TYPE (PdPersonaMembership, pd_persona_membership, PD, PERSONA_MEMBERSHIP, AdwPreferencesGroup)

/* Shows @persona (nullable: empty) in @mode. */
void         pd_persona_membership_set_persona        (PdPersonaMembership *self,
                                                       PdPersona           *persona,
                                                       PdPersonaDetailMode  mode);
void         pd_persona_membership_collect            (PdPersonaMembership *self,
                                                       PdPersona           *persona);
void         pd_persona_membership_set_loyalty        (PdPersonaMembership *self,
                                                       gboolean             loyalty);
/* (transfer none) (nullable): the row of @field, NULL if not in this group */
GtkEditable *pd_persona_membership_get_field_editable (PdPersonaMembership *self,
                                                       PdFieldId            field);

G_END_DECLS
