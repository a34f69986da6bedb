/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-import-job.h"

G_BEGIN_DECLS

/* The "Options" step: import name, match keys, action on match, person
 * type and tags for new personas, opt-in-all switches, the terms checkbox,
 * and the estimate of personas and mapped fields. */

#define PD_TYPE_IMPORT_OPTIONS_PAGE (pd_import_options_page_get_type ())
G_DECLARE_FINAL_TYPE (PdImportOptionsPage, pd_import_options_page, PD, IMPORT_OPTIONS_PAGE, AdwBin)

/* For a new file: a fresh default name unless the user typed one. */
void      pd_import_options_page_set_file          (PdImportOptionsPage *self,
                                                    const char          *display_name);
void      pd_import_options_page_set_estimate      (PdImportOptionsPage *self,
                                                    guint64              rows,
                                                    gboolean             exact,
                                                    guint                mapped_fields);
/* Fills @options; its strings belong to the page and live until the next
 * call or the page's end. */
void      pd_import_options_page_get_options       (PdImportOptionsPage *self,
                                                    PdImportOptions     *options);
gboolean  pd_import_options_page_is_valid          (PdImportOptionsPage *self);
gboolean  pd_import_options_page_get_terms_accepted (PdImportOptionsPage *self);
gboolean  pd_import_options_page_get_strict         (PdImportOptionsPage *self);
void      pd_import_options_page_set_terms_accepted (PdImportOptionsPage *self,
                                                    gboolean             accepted);
void      pd_import_options_page_set_action        (PdImportOptionsPage *self,
                                                    PdMatchAction        action);
void      pd_import_options_page_set_name          (PdImportOptionsPage *self,
                                                    const char          *name);
const char *pd_import_options_page_get_estimate_text (PdImportOptionsPage *self);

G_END_DECLS
