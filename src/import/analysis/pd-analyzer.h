/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-analysis.h"
#include "pd-record-source.h"

G_BEGIN_DECLS

/* The dry run: read → map → normalize (a PdRecordSource) → duplicates
 * within the file → a PdAnalysis.  Writes nothing. */

/* @rows: records done; @position / @size: the reader's progress (only the
 * ratio means something; @size may be 0 when unknown). */
typedef void (*PdProgressFunc) (guint    rows,
                                guint64  position,
                                guint64  size,
                                gpointer user_data);

#define PD_TYPE_ANALYZER (pd_analyzer_get_type ())
G_DECLARE_FINAL_TYPE (PdAnalyzer, pd_analyzer, PD, ANALYZER, GObject)

PdAnalyzer *pd_analyzer_new                (GFile                  *file,
                                            const PdSourceOptions  *options);
void        pd_analyzer_set_options        (PdAnalyzer             *self,
                                            const PdSourceOptions  *options);
void        pd_analyzer_set_keep_sources   (PdAnalyzer             *self,
                                            gboolean                keep);
void        pd_analyzer_set_spool_failed_rows (PdAnalyzer          *self,
                                            gboolean                spool);
void        pd_analyzer_set_progress_func  (PdAnalyzer             *self,
                                            PdProgressFunc          func,
                                            gpointer                user_data,
                                            GDestroyNotify          destroy);

PdAnalysis *pd_analyzer_run                (PdAnalyzer             *self,
                                            GCancellable           *cancellable,
                                            GError                **error);
void        pd_analyzer_run_async          (PdAnalyzer             *self,
                                            GCancellable           *cancellable,
                                            GAsyncReadyCallback     callback,
                                            gpointer                user_data);
PdAnalysis *pd_analyzer_run_finish         (PdAnalyzer             *self,
                                            GAsyncResult           *result,
                                            GError                **error);

G_END_DECLS
