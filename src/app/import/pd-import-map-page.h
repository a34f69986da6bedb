/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-import-column-row.h"
#include "pd-import-preview.h"
#include "pd-store.h"

G_BEGIN_DECLS

/* The "Map columns" step: a PdImportColumnRow per column, Skip rows (which
 * re-reads the header), the remembered preset for the same header row, and
 * what blocks Next (two columns on one field, no identifier). */

#define PD_TYPE_IMPORT_MAP_PAGE (pd_import_map_page_get_type ())
G_DECLARE_FINAL_TYPE (PdImportMapPage, pd_import_map_page, PD, IMPORT_MAP_PAGE, AdwBin)

void               pd_import_map_page_set_store      (PdImportMapPage *self,
                                                      PdStore         *store);
void               pd_import_map_page_set_preview    (PdImportMapPage *self,
                                                      PdImportPreview *preview);
/* (transfer none) */
PdMapping         *pd_import_map_page_get_mapping    (PdImportMapPage *self);
void               pd_import_map_page_set_date_format (PdImportMapPage *self,
                                                       guint            column,
                                                       const char      *format);
guint              pd_import_map_page_get_skip_rows  (PdImportMapPage *self);
void               pd_import_map_page_set_skip_rows  (PdImportMapPage *self,
                                                      guint            skip_rows);
guint64            pd_import_map_page_get_estimated_rows (PdImportMapPage *self,
                                                      gboolean        *exact);
guint              pd_import_map_page_get_n_mapped   (PdImportMapPage *self);
gboolean           pd_import_map_page_is_valid       (PdImportMapPage *self);
gboolean           pd_import_map_page_is_loading     (PdImportMapPage *self);
/* (nullable): why Next is blocked */
const char        *pd_import_map_page_get_problem    (PdImportMapPage *self);
/* (nullable): the notice of a preset applied */
const char        *pd_import_map_page_get_notice     (PdImportMapPage *self);
PdImportColumnRow *pd_import_map_page_get_row        (PdImportMapPage *self,
                                                      guint            column);

G_END_DECLS
