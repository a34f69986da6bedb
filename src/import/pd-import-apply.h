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

/* The batched engine (pd-import-batch.c): @records, in row order, applied
 * exactly as one after the other would be; their results, counts and
 * writes in row order.  FALSE only for an error that stops the import. */
gboolean _pd_import_apply_batch  (const PdImportRunState  *state,
                                  PdRecord * const        *records,
                                  guint                    n_records,
                                  GError                 **error);

/* What the batch stage answers a row's look-ups from: the key values'
 * personas and the personas themselves, looked up for the whole batch. */
typedef struct _PdImportLookup PdImportLookup;

/* -1 with @error set when the store failed */
gint64     _pd_import_lookup_find (PdImportLookup  *lookup,
                                   PdFieldId        key,
                                   const char      *value,
                                   GError         **error);
/* (transfer none): the persona as stored now; NULL with @error */
PdPersona *_pd_import_lookup_get  (PdImportLookup  *lookup,
                                   gint64           id,
                                   GError         **error);

/* One row of a batch as pd-import-apply.c applies it.  The outcome is
 * decided first and recorded (results, counts) only once the batch's
 * writes are in: a batch that lost a race is applied again (its rows
 * restored first: warnings, phones and points as before the merge stage). */
typedef enum {
  PD_IMPORT_ROW_INVALID,      /* errors of its own: failed */
  PD_IMPORT_ROW_BLOCKED,      /* a blocklisted contact: ignored */
  PD_IMPORT_ROW_FINGERPRINT,  /* only fingerprinted (the run will refuse) */
  PD_IMPORT_ROW_LIVE,         /* to match, merge and write */
  PD_IMPORT_ROW_FAILED,       /* @reason */
  PD_IMPORT_ROW_DUPLICATE,    /* ignored: a duplicate was found */
  PD_IMPORT_ROW_WRITE,        /* written as @write */
} PdImportRowState;

typedef struct {
  PdRecord         *record;
  PdImportRowState  state;
  gint64            fingerprint;
  /* the merge stage's changes to the record and the counts, undone by
   * _pd_import_restore_row() */
  guint             n_warnings;
  GPtrArray        *phones;          /* before some were removed, or NULL */
  const char       *points;          /* PD_FIELD_POINTS before */
  gboolean          points_skipped;
  guint             n_shared_phones;
  /* what the merge stage decided */
  char             *reason;
  gint64            persona_id;      /* the first persona found */
  gboolean          is_new;
  GPtrArray        *warnings;        /* pd_merge_apply()'s */
  PdImportWrite     write;           /* PD_IMPORT_ROW_WRITE: persona, before, error */
  GArray           *hit_ids;         /* gint64: every persona its keys found */
} PdImportRow;

gboolean _pd_import_prepare_row  (const PdImportRunState  *state,
                                  PdImportRow             *row,
                                  gboolean                 maybe_blocked,
                                  GError                 **error);
gboolean _pd_import_merge_row    (const PdImportRunState  *state,
                                  PdImportLookup          *lookup,
                                  PdImportRow             *row,
                                  GError                 **error);
void     _pd_import_restore_row  (const PdImportRunState  *state,
                                  PdImportRow             *row);
void     _pd_import_emit_row     (const PdImportRunState  *state,
                                  PdImportRow             *row);

/* Tests only: how many records the job applies at a time (0: the
 * default). */
void     _pd_import_job_set_batch_rows (PdImportJob *self,
                                        guint        rows);

G_END_DECLS
