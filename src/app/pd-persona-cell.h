/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* One cell of the persona list: a line of text, ellipsized at the end.
 * GTK 4.8 keeps up to 200 rows of six cells realized, so the cell is made
 * cheap: no PangoContext of its own (it lays out with its column view's),
 * measured from the font's metrics without laying out its text, and the
 * text laid out only when it is drawn. */

#define PD_TYPE_PERSONA_CELL (pd_persona_cell_get_type ())
G_DECLARE_FINAL_TYPE (PdPersonaCell, pd_persona_cell, PD, PERSONA_CELL, GtkWidget)

/* @numeric: right-aligned, with tabular figures. */
GtkWidget  *pd_persona_cell_new      (gboolean       numeric);
void        pd_persona_cell_set_text (PdPersonaCell *self,
                                      const char    *text);
const char *pd_persona_cell_get_text (PdPersonaCell *self);

G_END_DECLS
