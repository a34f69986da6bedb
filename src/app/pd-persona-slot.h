/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-persona.h"

G_BEGIN_DECLS

/* One position of the persona list as the column view sees it: a stable
 * object whose "persona" changes when a search or sort puts another
 * persona there, so that rows are rebound instead of rebuilt. */

#define PD_TYPE_PERSONA_SLOT (pd_persona_slot_get_type ())
G_DECLARE_FINAL_TYPE (PdPersonaSlot, pd_persona_slot, PD, PERSONA_SLOT, GObject)

PdPersonaSlot *pd_persona_slot_new         (PdPersona     *persona);
/* Returns: (transfer none) (nullable) */
PdPersona     *pd_persona_slot_get_persona (PdPersonaSlot *self);
void           pd_persona_slot_set_persona (PdPersonaSlot *self,
                                            PdPersona     *persona);

G_END_DECLS
