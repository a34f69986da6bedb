/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-analysis.h"
#include "pd-record.h"

G_BEGIN_DECLS

/* Rows with warnings kept for display; the count goes on past it. */
#define PD_ANALYSIS_MAX_WARNED_ROWS 1000

/* For PdAnalyzer, which fills the analysis as records come. */
PdAnalysis *_pd_analysis_new          (const char     *display_name,
                                       PdMapping      *mapping);
void        _pd_analysis_add_record   (PdAnalysis     *self,
                                       PdRecord       *record,
                                       gboolean        keep_source);
void        _pd_analysis_add_warning  (PdAnalysis     *self,
                                       const char     *warning);
void        _pd_analysis_set_date_questions (PdAnalysis *self,
                                             GPtrArray  *questions);
void        _pd_analysis_count_duplicate (PdAnalysis  *self);
void        _pd_analysis_count_shared_phone (PdAnalysis *self);
gboolean    _pd_analysis_spool_failed_rows (PdAnalysis *self,
                                            GError    **error);
gboolean    _pd_analysis_check_spool  (PdAnalysis     *self,
                                       GError        **error);

G_END_DECLS
