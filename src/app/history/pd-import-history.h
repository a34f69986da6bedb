/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-import-history-row.h"
#include "pd-store.h"

G_BEGIN_DECLS

/* "View Import History": every import, newest first, live while one runs
 * in this app (and re-read every few seconds for imports run elsewhere),
 * with download of the original file and of the results report, the
 * audience, a double opt-in text for the audience, undo and delete.
 * Emits "view-audience" (the id) and "changed" (personas changed: undo,
 * opt-in). */

#define PD_TYPE_IMPORT_HISTORY (pd_import_history_get_type ())
G_DECLARE_FINAL_TYPE (PdImportHistory, pd_import_history, PD, IMPORT_HISTORY, AdwWindow)

PdImportHistory    *pd_import_history_new          (GtkWindow       *parent,
                                                    PdStore         *store);
void                pd_import_history_reload       (PdImportHistory *self);
guint               pd_import_history_get_n_rows   (PdImportHistory *self);
PdImportHistoryRow *pd_import_history_get_row      (PdImportHistory *self,
                                                    guint            index);
/* What the menu items do after their confirmation, for tests. */
void                pd_import_history_undo         (PdImportHistory *self,
                                                    gint64           id);
/* An undo refused because personas changed since shows them (name,
 * email, an Open button: "open-persona") and offers to undo the rest. */
void                pd_import_history_undo_rest    (PdImportHistory *self,
                                                    gint64           id);
AdwMessageDialog   *pd_import_history_get_undo_rest_dialog (PdImportHistory *self);
void                pd_import_history_delete       (PdImportHistory *self,
                                                    gint64           id);
void                pd_import_history_send_opt_in  (PdImportHistory *self,
                                                    gint64           id);
/* Writes the results report (.csv or .xlsx by @file's name) of import
 * @id, from what the store kept or the session's job, in a thread; a
 * toast says when it is saved or why not.  Busy until then. */
void                pd_import_history_save_report  (PdImportHistory *self,
                                                    gint64           id,
                                                    GFile           *file);
/* Writes import @id's original file to @file, in a thread; a toast says
 * when.  Busy until then. */
void                pd_import_history_save_original (PdImportHistory *self,
                                                    gint64           id,
                                                    GFile           *file);
/* (nullable): the last toast shown */
const char         *pd_import_history_get_message  (PdImportHistory *self);
gboolean            pd_import_history_is_busy      (PdImportHistory *self);

G_END_DECLS
