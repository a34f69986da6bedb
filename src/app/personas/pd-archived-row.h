/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pd-persona.h"

G_BEGIN_DECLS

/* One row of the archived view: the phone (or the email when there is no
 * phone), the name, and an Unarchive button. */

#define PD_TYPE_ARCHIVED_ROW (pd_archived_row_get_type ())
G_DECLARE_FINAL_TYPE (PdArchivedRow, pd_archived_row, PD, ARCHIVED_ROW, GtkWidget)

GtkWidget *pd_archived_row_new         (void);
void       pd_archived_row_set_persona (PdArchivedRow *self,
                                        PdPersona     *persona);

G_END_DECLS
