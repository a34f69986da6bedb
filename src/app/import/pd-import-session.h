/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-import-job.h"

G_BEGIN_DECLS

/* The imports run by this process, running or finished: the history shows
 * a running one live (its record is inside the import's transaction, which
 * other connections do not see until it commits), and writes the results
 * report of a finished one (the database keeps counts, not each row's
 * outcome).  A GListModel of PdImportJob; items-changed on start and end.
 * GTK-free. */

GListModel  *pd_import_session_get_jobs      (void);
void         pd_import_session_add           (PdImportJob *job);
/* Call when @job finished, so that lists showing it refresh. */
void         pd_import_session_job_finished  (PdImportJob *job);
/* (transfer none) (nullable): the finished job of import @id */
PdImportJob *pd_import_session_find          (gint64       import_id);
gboolean     pd_import_session_is_running    (PdImportJob *job);
gboolean     pd_import_session_any_running   (void);
/* Drops the finished imports' jobs and the rows they keep in memory for
 * their reports: after a data-deletion request, reports are written from
 * the store's scrubbed results (issue 16). */
void         pd_import_session_drop_finished (void);

G_END_DECLS
