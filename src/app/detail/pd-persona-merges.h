/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-store.h"

G_BEGIN_DECLS

/* The "Merges" group of the persona detail pane: "Merge With…", and the
 * personas merged into this one, each with "Unmerge" (win.unmerge). */

#define PD_TYPE_PERSONA_MERGES (pd_persona_merges_get_type ())
G_DECLARE_FINAL_TYPE (PdPersonaMerges, pd_persona_merges, PD, PERSONA_MERGES, AdwPreferencesGroup)

/* Reads @persona's merges from @store; @persona NULL (or one being
 * edited, @editing) hides the group. */
void pd_persona_merges_set_persona (PdPersonaMerges *self,
                                    PdStore         *store,
                                    PdPersona       *persona,
                                    gboolean         editing);

G_END_DECLS
