/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-record.h"
#include "pd-record-source.h"
#include "pd-same-file.h"
#include "pd-store.h"

G_BEGIN_DECLS

/* The same rows imported again (issue 17).  pd-same-file.h finds a file
 * whose bytes were imported; this finds rows whose points an earlier
 * import applied, in any file: the same POS export re-saved with its
 * columns in another order, or a later export that holds the earlier
 * one's rows.  A row is its fingerprint: its normalized identity (emails,
 * phones, external ID) and its points.  An import collects the
 * fingerprints of the rows it applied points for; before it commits it
 * looks them up all at once and keeps them (the store's import_rows); a
 * run that will refuse looks its first ones up early, to stop writing.
 * Rows found make it refuse (PD_ERROR_SAME_FILE: everything rolled back)
 * unless PdImportOptions.same_file says skip-points (then each row is
 * looked up before it is written, and those found keep their balance) or
 * import-anyway.  A dry run and analyze count them. */

/* The row's fingerprint, or 0 for a row that adds no points (none, or 0)
 * or has no identity: only points add up. */
gint64          pd_record_compute_fingerprint (const PdRecord *record);

/* How many rows of a file earlier imports applied, by import. */
typedef struct _PdSameRows PdSameRows;

PdSameRows     *pd_same_rows_new          (void);
void            pd_same_rows_free         (PdSameRows       *self);
void            pd_same_rows_add          (PdSameRows       *self,
                                           gint64            import_id);
/* The store's counts (pd_store_count_rows_imported_before()) */
void            pd_same_rows_set_counts   (PdSameRows       *self,
                                           GArray           *counts,
                                           guint             n_rows);
/* Sorts @hashes (gint64) and drops repeats, as the store wants them. */
void            pd_same_rows_sort_hashes  (GArray           *hashes);
guint           pd_same_rows_get_n_rows   (const PdSameRows *self);
/* The import that applied most of them (the newest of equals), or 0. */
gint64          pd_same_rows_get_import_id (const PdSameRows *self);
guint           pd_same_rows_get_n_imports (const PdSameRows *self);

/* The warning, translated: how many rows, the earlier import's name, date
 * and ID (@earlier: pd_same_rows_get_import_id()'s), what importing them
 * again does. */
char           *pd_same_rows_describe     (const PdSameRows   *self,
                                           const PdImportInfo *earlier);

/* For analyze, which writes nothing: reads @file as an import would and
 * looks every row up.  Returns (transfer full) the counts, NULL with
 * @error on failure. */
PdSameRows     *pd_same_rows_scan         (PdStore                *store,
                                           GFile                  *file,
                                           const PdSourceOptions  *options,
                                           GCancellable           *cancellable,
                                           GError                **error);

/* Whether any of the first rows an import applied (@row_hashes, not
 * changed) were applied by a completed import: a run that will refuse
 * need not write the rest.  FALSE with @error on failure. */
gboolean        pd_same_rows_probe         (PdStore         *store,
                                           GArray          *row_hashes,
                                           gboolean        *found,
                                           GError         **error);

/* An import's end, before its commit: @row_hashes (gint64, the rows that
 * applied points; sorted here) are looked up (unless the same file was
 * found or @choice already says what to do) and, in a real run that does
 * not refuse, kept for import @import_id.  @main_import (out, nullable)
 * gets the earlier import that applied most of them.  FALSE with @error
 * on failure, and with *@refused and PD_ERROR_SAME_FILE when a real run
 * without a choice found some (the caller rolls back). */
gboolean        pd_same_rows_finish_import (PdSameRows     *self,
                                           PdStore         *store,
                                           GFile           *file,
                                           GArray          *row_hashes,
                                           gint64           import_id,
                                           PdSameFile       choice,
                                           gboolean         same_file_found,
                                           gboolean         dry_run,
                                           PdImportInfo   **main_import,
                                           gboolean        *refused,
                                           GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdSameRows, pd_same_rows_free)

G_END_DECLS
