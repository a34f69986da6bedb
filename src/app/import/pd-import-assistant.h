/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-import-analyze-page.h"
#include "pd-import-file-page.h"
#include "pd-import-map-page.h"
#include "pd-import-options-page.h"
#include "pd-import-progress-page.h"
#include "pd-store.h"

G_BEGIN_DECLS

/* The import assistant: a window beside the main one, five steps (file,
 * map columns, options, analyze, import + summary) with Cancel / Back /
 * Next in the header bar; Escape cancels at every step (during the import
 * it cancels the import, which leaves the database as it was).
 * Emits "imported" (the id) when an import completed or was undone, so the
 * main window reloads, and "view-audience" (the id). */

#define PD_TYPE_IMPORT_ASSISTANT (pd_import_assistant_get_type ())
G_DECLARE_FINAL_TYPE (PdImportAssistant, pd_import_assistant, PD, IMPORT_ASSISTANT, AdwWindow)

typedef enum {
  PD_IMPORT_STEP_FILE,
  PD_IMPORT_STEP_MAP,
  PD_IMPORT_STEP_OPTIONS,
  PD_IMPORT_STEP_ANALYZE,
  PD_IMPORT_STEP_IMPORT,
} PdImportStep;

PdImportAssistant   *pd_import_assistant_new              (GtkWindow         *parent,
                                                           PdStore           *store);
void                 pd_import_assistant_open_file        (PdImportAssistant *self,
                                                           GFile             *file);
PdImportStep         pd_import_assistant_get_step         (PdImportAssistant *self);
gboolean             pd_import_assistant_can_go_next      (PdImportAssistant *self);
/* What Next does / Back does, as the buttons (for tests and the keyboard). */
void                 pd_import_assistant_next             (PdImportAssistant *self);
void                 pd_import_assistant_back             (PdImportAssistant *self);
void                 pd_import_assistant_cancel           (PdImportAssistant *self);
const char          *pd_import_assistant_get_hint         (PdImportAssistant *self);

PdImportFilePage     *pd_import_assistant_get_file_page     (PdImportAssistant *self);
PdImportMapPage      *pd_import_assistant_get_map_page      (PdImportAssistant *self);
PdImportOptionsPage  *pd_import_assistant_get_options_page  (PdImportAssistant *self);
PdImportAnalyzePage  *pd_import_assistant_get_analyze_page  (PdImportAssistant *self);
PdImportProgressPage *pd_import_assistant_get_progress_page (PdImportAssistant *self);

G_END_DECLS
