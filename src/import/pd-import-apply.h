/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-import-job.h"
#include "pd-import-results.h"
#include "pd-privacy.h"
#include "pd-record.h"
#include "pd-same-rows.h"

G_BEGIN_DECLS

/* What a PdImportJob run applies each record with (set up once per run)
 * and where each row's outcome goes.  For the job only. */
typedef struct {
  PdStore         *store;           /* the run's own connection */
  GArray          *keys;            /* PdFieldId: what to match on */
  PdMergeOptions   merge;
  char            *points_reason;
  /* matching on email and phone looks every contact up already */
  gboolean         contacts_checked;
  gboolean         dry_run;
  /* a row whose email is not the persona its phone belongs to is another
   * person sharing the phone: kept apart, without that phone */
  gboolean         separate_shared_phones;

  PdImportInfo    *info;            /* the counts */
  PdImportResults *results;
  GPtrArray       *changes;         /* PdImportFieldChange, dry runs only */
  guint           *n_changes;       /* including those past the cap */
  guint           *n_warning_rows;
  guint           *n_shared_phones;  /* phones left out: another customer's */
  /* the same file imported again, --same-file skip-points: points of rows
   * the earlier import applied are left out; rows it failed or ignored
   * (in this set) add theirs */
  gboolean         skip_points;
  GHashTable      *rows_not_applied_before;   /* GUINT_TO_POINTER (row) */
  guint           *n_points_skipped;
  /* the contacts of rows refused as blocklisted: taken out of the kept
   * file once the import is committed (issue 16) */
  PdPrivacyTargets *privacy_refused;
  /* the same rows imported before in another file (pd-same-rows.h): the
   * fingerprints of the rows that applied points are collected in
   * @row_hashes (the job looks them up and keeps them at the end, in one
   * go); with @skip_points_of_rows each row is looked up first, and those
   * found are counted in @same_rows and left without their points */
  GArray          *row_hashes;      /* gint64 */
  PdSameRows      *same_rows;
  gboolean         skip_points_of_rows;
  /* the first rows were imported before and the run will refuse: the rest
   * is only fingerprinted (for the count), nothing more is written */
  gboolean         only_fingerprint;
} PdImportRunState;

gboolean _pd_import_apply_record (const PdImportRunState  *state,
                                  PdRecord                *record,
                                  GError                 **error);

G_END_DECLS
