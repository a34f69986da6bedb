/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-store.h"

G_BEGIN_DECLS

/* The history's answer to an undo refused because personas changed after
 * the import: names them (name, email or phone), each with an Open button
 * ("open-persona"), and offers "Undo the Rest" (response "rest") or to
 * keep the import (response "cancel"). */

#define PD_TYPE_IMPORT_UNDO_REST_DIALOG (pd_import_undo_rest_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PdImportUndoRestDialog, pd_import_undo_rest_dialog, PD, IMPORT_UNDO_REST_DIALOG,
                      AdwMessageDialog)

/* @blockers: pd_store_list_undo_blockers()'s */
PdImportUndoRestDialog *pd_import_undo_rest_dialog_new           (GtkWindow              *parent,
                                                                  PdStore                *store,
                                                                  gint64                  import_id,
                                                                  GArray                 *blockers);
gint64                  pd_import_undo_rest_dialog_get_import_id (PdImportUndoRestDialog *self);

G_END_DECLS
