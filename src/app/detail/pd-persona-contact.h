/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-persona-detail.h"

G_BEGIN_DECLS

/* The "Contact" group of the persona detail pane: names, emails, phones,
 * customer ID, city and birth date.  Typed values are normalized the way
 * imports normalize them, and a refused one is flagged on its row (style
 * and accessible description) with the reasons listed under the group. */

#define PD_TYPE_PERSONA_CONTACT (pd_persona_contact_get_type ())
G_DECLARE_FINAL_TYPE (PdPersonaContact, pd_persona_contact, PD, PERSONA_CONTACT, AdwPreferencesGroup)

/* Shows @persona (nullable: empty) in @mode; clears the shown errors. */
void         pd_persona_contact_set_persona       (PdPersonaContact    *self,
                                                   PdPersona           *persona,
                                                   PdPersonaDetailMode  mode);
/* Writes the typed values into @persona, phones read in @region; on a
 * refused value flags it, focuses the first one and returns FALSE. */
gboolean     pd_persona_contact_collect           (PdPersonaContact    *self,
                                                   PdPersona           *persona,
                                                   const char          *region);
/* Shows @message under the group, as a refusal not tied to one row. */
void         pd_persona_contact_show_error        (PdPersonaContact    *self,
                                                   const char          *message);
/* (nullable): the shown errors, one per line */
const char  *pd_persona_contact_get_error_text    (PdPersonaContact    *self);
/* (transfer none) (nullable): the row of @field, NULL if not in this group */
GtkEditable *pd_persona_contact_get_field_editable (PdPersonaContact   *self,
                                                   PdFieldId            field);

G_END_DECLS
