/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-same-file.h"

G_BEGIN_DECLS

/* In the Analyze step: the file's content was imported before (the dry
 * run found it, pd_import_job_get_earlier_import()).  Says which import
 * and when, and asks what to do — skip the points of rows already
 * imported, or import anyway — before Import may be pressed.  Hidden when
 * there is no earlier import. */

#define PD_TYPE_IMPORT_SAME_FILE_GROUP (pd_import_same_file_group_get_type ())
G_DECLARE_FINAL_TYPE (PdImportSameFileGroup, pd_import_same_file_group, PD, IMPORT_SAME_FILE_GROUP,
                      AdwPreferencesGroup)

/* @earlier: (nullable): shows the group with nothing chosen, or hides it */
void        pd_import_same_file_group_set_earlier (PdImportSameFileGroup *self,
                                                   const PdImportInfo    *earlier);
/* Rows of the file that earlier imports of other files applied (the dry
 * run found them, pd_import_job_get_same_rows()): @warning
 * (pd_same_rows_describe()'s) shows the group, with another title and
 * nothing chosen; NULL hides it.  The same choice applies to them. */
void        pd_import_same_file_group_set_same_rows (PdImportSameFileGroup *self,
                                                     const char            *warning);
/* PD_SAME_FILE_REFUSE while shown with nothing chosen (and when hidden) */
PdSameFile  pd_import_same_file_group_get_choice  (PdImportSameFileGroup *self);
/* TRUE when shown and nothing is chosen yet: Import waits */
gboolean    pd_import_same_file_group_needs_choice (PdImportSameFileGroup *self);

G_END_DECLS
