/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-persona-detail.h"

G_BEGIN_DECLS

/* The free-form part of the persona detail pane: the "Tags" group and the
 * "Custom Attributes" group (named values, added and removed by staff;
 * what the rows hold when saved is the whole truth). */

#define PD_TYPE_PERSONA_ATTRIBUTES (pd_persona_attributes_get_type ())
G_DECLARE_FINAL_TYPE (PdPersonaAttributes, pd_persona_attributes, PD, PERSONA_ATTRIBUTES, GtkBox)

/* Shows @persona's tags and attributes (nullable: none) in @mode. */
void         pd_persona_attributes_set_persona        (PdPersonaAttributes *self,
                                                       PdPersona           *persona,
                                                       PdPersonaDetailMode  mode);
/* Replaces @persona's tags and attributes with the rows'. */
void         pd_persona_attributes_collect            (PdPersonaAttributes *self,
                                                       PdPersona           *persona);
/* Adds the attribute typed in the "new attribute" rows, or says under
 * them what is missing. */
void         pd_persona_attributes_add_new            (PdPersonaAttributes *self);
/* Removes the row of @name; the attribute goes when the persona is saved. */
void         pd_persona_attributes_remove             (PdPersonaAttributes *self,
                                                       const char          *name);
/* Renames attribute @name's row (kept at save, like an added one); FALSE
 * with the reason shown under the rows when @new_name is empty or taken. */
gboolean     pd_persona_attributes_rename             (PdPersonaAttributes *self,
                                                       const char          *name,
                                                       const char          *new_name);
/* (transfer none) (nullable): the row of @field, NULL if not in this part */
GtkEditable *pd_persona_attributes_get_field_editable (PdPersonaAttributes *self,
                                                       PdFieldId            field);

G_END_DECLS
