/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdio.h>
#include <json-glib/json-glib.h>

#include "pd-mapping.h"
#include "pd-normalizer.h"
#include "pd-row.h"
#include "pd-store.h"

G_BEGIN_DECLS

/* What analyzing a file found, without writing anything: counts, the
 * warnings about the file, every failed row with its reasons, and the
 * mapping used.  Memory is proportional to the failed rows, not the file,
 * or flat when they are spooled (pd_analyzer_set_spool_failed_rows()). */

typedef struct {
  guint   row;      /* the spreadsheet row number */
  char  **reasons;  /* translated, naming row and column */
  PdRow  *source;   /* nullable: the row as read, e.g. to correct it */
} PdAnalysisRow;

/* Returns FALSE to stop. */
typedef gboolean (*PdAnalysisRowFunc) (const PdAnalysisRow *row,
                                       gpointer             user_data);

#define PD_TYPE_ANALYSIS (pd_analysis_get_type ())
G_DECLARE_FINAL_TYPE (PdAnalysis, pd_analysis, PD, ANALYSIS, GObject)

const char *pd_analysis_get_display_name (PdAnalysis *self);
guint       pd_analysis_get_total        (PdAnalysis *self);
guint       pd_analysis_get_valid        (PdAnalysis *self);
guint       pd_analysis_get_failed       (PdAnalysis *self);
guint       pd_analysis_get_duplicates   (PdAnalysis *self);
guint       pd_analysis_get_warned       (PdAnalysis *self);
guint       pd_analysis_get_shared_phones (PdAnalysis *self);
PdMapping  *pd_analysis_get_mapping      (PdAnalysis *self);
GPtrArray  *pd_analysis_get_warnings     (PdAnalysis *self);
void        pd_analysis_set_earlier_import (PdAnalysis         *self,
                                            const PdImportInfo *earlier);
const PdImportInfo *pd_analysis_get_earlier_import (PdAnalysis *self);
/* Rows of the file that earlier imports of other files applied
 * (pd-same-rows.h): the warning, which joins the others; NULL: none. */
void        pd_analysis_set_same_rows     (PdAnalysis         *self,
                                           const char         *warning);
const char *pd_analysis_get_same_rows     (PdAnalysis         *self);
GPtrArray  *pd_analysis_get_failed_rows  (PdAnalysis *self);
GPtrArray  *pd_analysis_get_warned_rows  (PdAnalysis *self);
GPtrArray  *pd_analysis_get_date_questions (PdAnalysis *self);
gboolean    pd_analysis_foreach_failed_row (PdAnalysis        *self,
                                            PdAnalysisRowFunc  func,
                                            gpointer           user_data,
                                            GError           **error);
JsonNode   *pd_analysis_to_json          (PdAnalysis *self);
gboolean    pd_analysis_write_json       (PdAnalysis *self,
                                          FILE       *out);

G_END_DECLS
