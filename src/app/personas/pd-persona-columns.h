/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pd-store.h"

G_BEGIN_DECLS

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
/* The narrowest a column can be made by hand, px. */
#define PD_PERSONA_COLUMN_MIN_WIDTH 40

/* PdPersonaColumns: where the persona list's six columns are, shared by
 * the list's header (PdPersonaHeader) and its rows (PdPersonaRow), which
 * both place them with pd_persona_columns_place().  The email column takes
 * what the others leave; a column dragged to a width by hand keeps it. */
#define PD_TYPE_PERSONA_COLUMNS (pd_persona_columns_get_type ())
G_DECLARE_FINAL_TYPE (PdPersonaColumns, pd_persona_columns, PD, PERSONA_COLUMNS, GObject)

PdPersonaColumns *pd_persona_columns_new        (void);
void              pd_persona_columns_place      (PdPersonaColumns *self,
                                                 int               width,
                                                 int               x[PD_PERSONA_N_COLUMNS],
                                                 int               w[PD_PERSONA_N_COLUMNS]);
void              pd_persona_columns_move_edge  (PdPersonaColumns *self,
                                                 PdPersonaColumn   edge,
                                                 const int         start[PD_PERSONA_N_COLUMNS],
                                                 int               dx);
void              pd_persona_columns_reset_edge (PdPersonaColumns *self,
                                                 PdPersonaColumn   edge);
void              pd_persona_columns_get_widths (PdPersonaColumns *self,
                                                 int               widths[PD_PERSONA_N_COLUMNS]);
void              pd_persona_columns_set_widths (PdPersonaColumns *self,
                                                 const int        *widths,
                                                 gsize             n_widths);

/* The store's sort order for a column. */
PdPersonaSort     pd_persona_column_get_sort    (PdPersonaColumn   column);
/* A column's name, as in the target of the action win.sort-by: "name",
 * "email", "phone", "points", "loyalty", "source". */
const char       *pd_persona_column_get_name    (PdPersonaColumn   column);
gboolean          pd_persona_column_from_name   (const char       *name,
                                                 PdPersonaColumn  *column);

G_END_DECLS
