/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pd-store.h"

G_BEGIN_DECLS

/* The sorter of one persona list column.  The list is sorted by the store
 * (a million personas are never sorted in memory): a column's sorter only
 * names its PdPersonaSort key, and pd_persona_sorter_probe() asks the
 * column view's sorter which key is primary and in which order. */

#define PD_TYPE_PERSONA_SORTER (pd_persona_sorter_get_type ())
G_DECLARE_FINAL_TYPE (PdPersonaSorter, pd_persona_sorter, PD, PERSONA_SORTER, GtkSorter)

PdPersonaSorter *pd_persona_sorter_new      (PdPersonaSort  key);
PdPersonaSort    pd_persona_sorter_get_key  (PdPersonaSorter *self);
void             pd_persona_sorter_set_key  (PdPersonaSorter *self,
                                             PdPersonaSort    key);

/* Returns TRUE and the primary column's key and order when the column
 * view sorter @sorter sorts by a PdPersonaSorter; FALSE when no column
 * is sorted. */
gboolean         pd_persona_sorter_probe    (GtkSorter     *sorter,
                                             PdPersonaSort *key,
                                             gboolean      *descending);

G_END_DECLS
