/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-store.h"

G_BEGIN_DECLS

/* The "Imports" group of the persona detail pane: the spreadsheet imports
 * that created or changed the persona; hidden when there are none. */

#define PD_TYPE_PERSONA_IMPORTS (pd_persona_imports_get_type ())
G_DECLARE_FINAL_TYPE (PdPersonaImports, pd_persona_imports, PD, PERSONA_IMPORTS, AdwPreferencesGroup)

/* Reads @persona's imports from @store; @persona NULL empties the group. */
void pd_persona_imports_set_persona (PdPersonaImports *self,
                                     PdStore          *store,
                                     PdPersona        *persona);

G_END_DECLS
