/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pd-persona-row.h"

G_BEGIN_DECLS

/* The column titles above the persona list, placed over the columns of
 * its PdPersonaRows.  Each is a button for the action win.sort-by with
 * the column's name (see pd_persona_column_from_name()); an arrow shows
 * the order the list is in. */

#define PD_TYPE_PERSONA_HEADER (pd_persona_header_get_type ())
G_DECLARE_FINAL_TYPE (PdPersonaHeader, pd_persona_header, PD, PERSONA_HEADER, GtkWidget)

void       pd_persona_header_set_sort   (PdPersonaHeader *self,
                                         PdPersonaSort    sort,
                                         gboolean         descending);
GtkWidget *pd_persona_header_get_button (PdPersonaHeader *self,
                                         PdPersonaColumn  column);

G_END_DECLS
