/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-mapping.h"

G_BEGIN_DECLS

/* One column of the file on the "Map columns" step: its header, a few
 * sample values, whether it is mapped (✓) or needs a choice (✗), the field
 * dropdown (with "Custom attribute…"), Ignore, and the options of its
 * field's type.  Edits the shared PdMapping in place and emits "changed". */

#define PD_TYPE_IMPORT_COLUMN_ROW (pd_import_column_row_get_type ())
G_DECLARE_FINAL_TYPE (PdImportColumnRow, pd_import_column_row, PD, IMPORT_COLUMN_ROW, GtkListBoxRow)

PdImportColumnRow *pd_import_column_row_new          (PdMapping         *mapping,
                                                      guint              column,
                                                      const char        *samples);
guint              pd_import_column_row_get_column   (PdImportColumnRow *self);
/* @other_columns (nullable): the other columns on the same field */
void               pd_import_column_row_set_conflict (PdImportColumnRow *self,
                                                      const char        *other_columns);
gboolean           pd_import_column_row_get_conflict (PdImportColumnRow *self);
/* Chooses @key (a field key, "attribute:NAME" or NULL) as the user would. */
void               pd_import_column_row_choose_field (PdImportColumnRow *self,
                                                      const char        *key);
void               pd_import_column_row_set_ignored  (PdImportColumnRow *self,
                                                      gboolean           ignored);
void               pd_import_column_row_set_date_format (PdImportColumnRow *self,
                                                         const char        *format);
GtkDropDown       *pd_import_column_row_get_dropdown (PdImportColumnRow *self);

G_END_DECLS
