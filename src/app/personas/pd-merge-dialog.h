/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-store.h"

G_BEGIN_DECLS

/* The merge dialog: the survivor (changeable; the oldest by default) and
 * every field where the personas differ with the value the rules keep and
 * a choice; with one persona it first asks for the other ("Merge with…").
 * The rules and the write are the store's (pd-store-merge.h).  Emits
 * ::merged (survivor id, merge id) and closes after a merge. */

#define PD_TYPE_MERGE_DIALOG (pd_merge_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PdMergeDialog, pd_merge_dialog, PD, MERGE_DIALOG, AdwWindow)

/* Most personas merged at once: the dialog lists a row per value. */
#define PD_MERGE_DIALOG_MAX 10

PdMergeDialog *pd_merge_dialog_new (GtkWindow    *parent,
                                    PdStore      *store,
                                    const gint64 *ids,
                                    guint         n_ids);
/* For tests: the plan shown (NULL while picking the other persona). */
struct _PdMergePlan *pd_merge_dialog_get_plan (PdMergeDialog *self);
/* For tests and the window: makes @id the survivor. */
void           pd_merge_dialog_set_survivor (PdMergeDialog *self,
                                             gint64         id);

G_END_DECLS
