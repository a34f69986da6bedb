/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-application.h"
#include "pd-persona-detail.h"
#include "pd-persona-list.h"
#include "pd-archived-view.h"
#include "pd-persona-header.h"

G_BEGIN_DECLS

/* The main window: the persona list with search, the detail slide-out,
 * the archived view.  Its actions (win.*) are in pd-window-actions.c. */

#define PD_TYPE_WINDOW (pd_window_get_type ())
G_DECLARE_FINAL_TYPE (PdWindow, pd_window, PD, WINDOW, AdwApplicationWindow)

PdWindow        *pd_window_new                (PdApplication *app,
                                               PdStore       *store);
PdStore         *pd_window_get_store          (PdWindow      *self);
PdPersonaList   *pd_window_get_persona_list   (PdWindow      *self);
PdPersonaDetail *pd_window_get_detail         (PdWindow      *self);
PdArchivedView  *pd_window_get_archived_view  (PdWindow      *self);
GtkEditable     *pd_window_get_search_entry   (PdWindow      *self);
GtkListView     *pd_window_get_list_view      (PdWindow      *self);
PdPersonaHeader *pd_window_get_list_header    (PdWindow      *self);
gboolean         pd_window_get_detail_revealed (PdWindow     *self);

/* Opens the slide-out on persona @id. */
void             pd_window_show_persona       (PdWindow      *self,
                                               gint64         id);
/* Re-reads the list (and the archived list) from the store. */
void             pd_window_reload             (PdWindow      *self);
void             pd_window_show_toast         (PdWindow      *self,
                                               const char    *message);
/* Opens the import assistant on @file (pd-window-import.c). */
void             pd_window_import_file        (PdWindow      *self,
                                               GFile         *file);

G_END_DECLS
