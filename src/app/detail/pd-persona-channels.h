/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-persona-detail.h"

G_BEGIN_DECLS

/* The "Social and Web" group of the persona detail pane: the channel IDs
 * (Facebook, WhatsApp, Instagram, Telegram, Viber, LinkedIn, X/Twitter,
 * YouTube) and the website an import or the API stored, so that every
 * stored field is visible and editable (issue 17). */

#define PD_TYPE_PERSONA_CHANNELS (pd_persona_channels_get_type ())
G_DECLARE_FINAL_TYPE (PdPersonaChannels, pd_persona_channels, PD, PERSONA_CHANNELS, AdwPreferencesGroup)

/* Shows @persona (nullable: empty) in @mode; in view mode only the rows
 * holding a value, and the group only when one does. */
void         pd_persona_channels_set_persona        (PdPersonaChannels   *self,
                                                     PdPersona           *persona,
                                                     PdPersonaDetailMode  mode);
void         pd_persona_channels_collect            (PdPersonaChannels   *self,
                                                     PdPersona           *persona);
/* (transfer none) (nullable): the row of @field, NULL if not in this group */
GtkEditable *pd_persona_channels_get_field_editable (PdPersonaChannels   *self,
                                                     PdFieldId            field);

G_END_DECLS
