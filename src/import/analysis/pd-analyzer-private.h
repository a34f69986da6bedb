/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* PdAnalyzer's insides, for its files: pd-analyzer.c (the run and the
 * object), pd-analyzer-duplicates.c (rows repeating an email or phone of
 * an earlier row, phones shared between customers) and
 * pd-analyzer-warnings.c (the file's warnings that sum the rows' up). */

#include "pd-analysis-private.h"
#include "pd-record-source.h"

G_BEGIN_DECLS

/* ---- the seen set: 64-bit hash → first row, open addressing ---- */

/* Key and row side by side, 12 bytes: a probe costs one cache miss, not
 * one in a key array and another in a row array. */
typedef struct {
  guint32 lo, hi;   /* the key; 0 = empty slot */
  guint32 row;
} PdSeenSlot;

typedef struct {
  PdSeenSlot  *slots;
  gsize  mask;
  gsize  n;
} PdSeenSet;

void     _pd_seen_set_init              (PdSeenSet      *set);
void     _pd_seen_set_clear             (PdSeenSet      *set);

/* ---- duplicates ---- */

/* Rows that had an email, a bit each: a phone first seen on such a row
 * and met again beside other emails is another customer's too. */
typedef struct {
  GByteArray *bits;
} PdEmailRows;

#define MAX_EMAIL_ROWS 16

typedef struct {
  guint first_dup_row, first_dup_of;
  guint first_shared_row, first_shared_of;
} PdFirstSeen;

void     _pd_analyzer_hash_values       (GPtrArray      *batch,
                                         GArray         *hashes);
void     _pd_analyzer_reserve_for_file  (PdSeenSet      *seen,
                                         PdRecordSource *source,
                                         guint           n_values);
void     _pd_analyzer_check_duplicates  (PdAnalysis     *analysis,
                                         PdSeenSet      *seen,
                                         PdEmailRows    *email_rows,
                                         PdRecord       *record,
                                         const guint64  *hashes,
                                         guint           n_hashes,
                                         PdFirstSeen    *first);

/* ---- warnings ---- */

typedef struct {
  guint  count;
  guint  first_row;
  char  *first_value;
} PdChoiceProblem;

void     _pd_analyzer_check_choices     (PdMapping       *mapping,
                                         PdRecord        *record,
                                         PdChoiceProblem *problems);
/* The lines that sum the rows' warnings up: duplicates, shared phones,
 * values not among a column's choices (@problems: one per column). */
void     _pd_analyzer_add_summary_warnings (PdAnalysis        *analysis,
                                            PdMapping         *mapping,
                                            PdChoiceProblem   *problems,
                                            const PdFirstSeen *first);

G_END_DECLS
