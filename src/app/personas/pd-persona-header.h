/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pd-persona-row.h"

G_BEGIN_DECLS

/* The column titles above the persona list, placed over the columns of
 * its PdPersonaRows.  Each is a button for the action win.sort-by with
 * the column's name (see pd_persona_column_from_name()); an arrow shows
 * the order the list is in.  Dragging the edge between two titles makes
 * the column wider or narrower, header and rows alike (they share the
 * header's PdPersonaColumns); a double click on it undoes that. */

#define PD_TYPE_PERSONA_HEADER (pd_persona_header_get_type ())
G_DECLARE_FINAL_TYPE (PdPersonaHeader, pd_persona_header, PD, PERSONA_HEADER, GtkWidget)

void       pd_persona_header_set_sort   (PdPersonaHeader *self,
                                         PdPersonaSort    sort,
                                         gboolean         descending);
GtkWidget *pd_persona_header_get_button (PdPersonaHeader *self,
                                         PdPersonaColumn  column);
PdPersonaColumns *pd_persona_header_get_columns (PdPersonaHeader *self);
gboolean   pd_persona_header_edge_at    (PdPersonaHeader *self,
                                         double           x,
                                         PdPersonaColumn *edge);
void       pd_persona_header_drag_edge  (PdPersonaHeader *self,
                                         PdPersonaColumn  edge,
                                         int              dx);

G_END_DECLS
