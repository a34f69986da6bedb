/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pd-persona.h"
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
 * place them with pd_persona_columns_place(). */

typedef enum {
  PD_PERSONA_COLUMN_NAME,
  PD_PERSONA_COLUMN_EMAIL,
  PD_PERSONA_COLUMN_PHONE,
  PD_PERSONA_COLUMN_POINTS,
  PD_PERSONA_COLUMN_LOYALTY,
  PD_PERSONA_COLUMN_SOURCE,
  PD_PERSONA_N_COLUMNS
} PdPersonaColumn;

/* Horizontal padding inside each column, px. */
#define PD_PERSONA_COLUMN_PADDING 6

/* Places the columns in a row @width px wide, left to right: x[i] and
 * w[i] of column i.  Name and email share what the others leave; all
 * shrink together when the row is narrower than their minimum. */
void          pd_persona_columns_place   (int            width,
                                          int            x[PD_PERSONA_N_COLUMNS],
                                          int            w[PD_PERSONA_N_COLUMNS]);
/* The store's sort order for a column. */
PdPersonaSort pd_persona_column_get_sort (PdPersonaColumn column);
/* A column's name, as in the target of the action win.sort-by: "name",
 * "email", "phone", "points", "loyalty", "source". */
const char   *pd_persona_column_get_name  (PdPersonaColumn  column);
gboolean      pd_persona_column_from_name (const char      *name,
                                           PdPersonaColumn *column);

#define PD_TYPE_PERSONA_ROW (pd_persona_row_get_type ())
G_DECLARE_FINAL_TYPE (PdPersonaRow, pd_persona_row, PD, PERSONA_ROW, GtkWidget)

GtkWidget  *pd_persona_row_new         (void);
void        pd_persona_row_set_persona (PdPersonaRow    *self,
                                        PdPersona       *persona);
const char *pd_persona_row_get_text    (PdPersonaRow    *self,
                                        PdPersonaColumn  column);

G_END_DECLS
