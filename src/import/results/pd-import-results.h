/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-import-job.h"
#include "pd-record.h"

G_BEGIN_DECLS

/* The row results of one PdImportJob run, for the job only: kept batch by
 * batch, spilled to a temporary file in between, streamed back after. */
typedef struct _PdImportResults PdImportResults;

PdImportResults   *_pd_import_results_new      (void);
void               _pd_import_results_free     (PdImportResults        *self);
PdImportRowResult *_pd_import_results_add      (PdImportResults        *self,
                                                PdRecord               *record,
                                                PdImportOutcome         outcome,
                                                gint64                  persona_id);
gboolean           _pd_import_results_spill    (PdImportResults        *self,
                                                GError                **error);
void               _pd_import_results_flush    (PdImportResults        *self);
gboolean           _pd_import_results_foreach  (PdImportResults        *self,
                                                PdImportRowResultFunc   func,
                                                gpointer                user_data,
                                                GError                **error);
GPtrArray         *_pd_import_results_get_rows (PdImportResults        *self,
                                                gboolean                load);
void               _pd_import_results_write_to (PdImportResults        *self,
                                                PdStore                *store,
                                                gint64                  import_id);
gboolean           _pd_import_results_keep     (PdImportResults        *self,
                                                const PdRow            *header,
                                                GError                **error);

G_END_DECLS
