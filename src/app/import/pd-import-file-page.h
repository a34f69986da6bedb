/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-import-preview.h"

G_BEGIN_DECLS

/* The assistant's first step: a drop area and a file chooser; reads the
 * chosen file's header off the main thread and either emits
 * "preview-changed" or says in plain words why the file cannot be imported
 * and what to do (offering the sheets of a multi-sheet workbook).  Also
 * "All Headers" and "Download Template". */

#define PD_TYPE_IMPORT_FILE_PAGE (pd_import_file_page_get_type ())
G_DECLARE_FINAL_TYPE (PdImportFilePage, pd_import_file_page, PD, IMPORT_FILE_PAGE, AdwBin)

void             pd_import_file_page_open_file     (PdImportFilePage *self,
                                                    GFile            *file,
                                                    const char       *sheet);
/* (transfer none) (nullable): the last file read successfully */
PdImportPreview *pd_import_file_page_get_preview   (PdImportFilePage *self);
void             pd_import_file_page_set_max_size  (PdImportFilePage *self,
                                                    guint64           max_size);
/* (nullable): the refusal shown, for tests */
const char      *pd_import_file_page_get_error_text (PdImportFilePage *self);
/* The sheets offered for a multi-sheet workbook, and picking one. */
guint            pd_import_file_page_get_n_sheets  (PdImportFilePage *self);
void             pd_import_file_page_choose_sheet  (PdImportFilePage *self,
                                                    const char       *sheet);
gboolean         pd_import_file_page_is_loading    (PdImportFilePage *self);
/* A file whose first row is a customer (PD_ERROR_NO_HEADER): whether "The
 * first row is a customer" is offered, and answering it (reads the file
 * again, every row a customer, mapped by content). */
gboolean         pd_import_file_page_get_no_header_offered (PdImportFilePage *self);
void             pd_import_file_page_set_no_header (PdImportFilePage *self,
                                                    gboolean          no_header);
/* Saves the sample CSV to @file (what "Download Template" does). */
gboolean         pd_import_file_page_save_template (GFile            *file,
                                                    GError          **error);

G_END_DECLS
