/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-persona-list.h"

G_BEGIN_DECLS

/* The archived personas, paged like the main list, each with Unarchive. */

#define PD_TYPE_ARCHIVED_VIEW (pd_archived_view_get_type ())
G_DECLARE_FINAL_TYPE (PdArchivedView, pd_archived_view, PD, ARCHIVED_VIEW, AdwBin)

void           pd_archived_view_set_store     (PdArchivedView *self,
                                               PdStore        *store);
void           pd_archived_view_reload        (PdArchivedView *self);
/* (transfer none) (nullable) */
PdPersonaList *pd_archived_view_get_list      (PdArchivedView *self);
gboolean       pd_archived_view_unarchive     (PdArchivedView *self,
                                               gint64          id,
                                               GError        **error);

void            pd_archived_view_set_show_window_buttons (PdArchivedView *self,
                                                          gboolean        show);
/* (transfer none): the view's search entry */
GtkEditable    *pd_archived_view_get_search_entry        (PdArchivedView *self);

G_END_DECLS
