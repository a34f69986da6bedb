/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-store.h"

G_BEGIN_DECLS

/* The "Points" group of the persona detail pane: the balance, and the
 * points timeline (the ledger) newest first, each entry with its origin. */

#define PD_TYPE_PERSONA_POINTS (pd_persona_points_get_type ())
G_DECLARE_FINAL_TYPE (PdPersonaPoints, pd_persona_points, PD, PERSONA_POINTS, AdwPreferencesGroup)

/* Shows @persona's balance and reads its ledger from @store; @persona
 * NULL empties the group. */
void pd_persona_points_set_persona (PdPersonaPoints *self,
                                    PdStore         *store,
                                    PdPersona       *persona);

GtkWidget *pd_persona_points_new_adjust_dialog (GtkWindow *parent);
gboolean   pd_persona_points_dialog_get        (GtkWidget  *dialog,
                                                gint64     *delta,
                                                char      **reason,
                                                GError    **error);

G_END_DECLS
