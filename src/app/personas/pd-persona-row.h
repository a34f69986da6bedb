/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pd-persona.h"
#include "pd-persona-columns.h"
#include "pd-store.h"

G_BEGIN_DECLS

/* One row of the persona list: a persona's name, email, phone, points,
 * loyalty and source, drawn by the row itself in columns.
 *
 * GTK 4.8 keeps up to 200 rows of a list realized, and makes them all
 * again when a search replaces the list's contents.  A GtkColumnView row
 * is a dozen widgets (a row, and per column a cell and its child); this
 * is one, so that making and dropping 200 of them takes a few
 * milliseconds.  The columns line up with PdPersonaHeader's buttons: both
 * place them with the list's PdPersonaColumns. */

#define PD_TYPE_PERSONA_ROW (pd_persona_row_get_type ())
G_DECLARE_FINAL_TYPE (PdPersonaRow, pd_persona_row, PD, PERSONA_ROW, GtkWidget)

GtkWidget  *pd_persona_row_new         (PdPersonaColumns *columns);
void        pd_persona_row_set_persona (PdPersonaRow    *self,
                                        PdPersona       *persona);
const char *pd_persona_row_get_text    (PdPersonaRow    *self,
                                        PdPersonaColumn  column);

G_END_DECLS
