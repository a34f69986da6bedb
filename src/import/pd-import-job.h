/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-merge-rules.h"
#include "pd-record-source.h"
#include "pd-same-file.h"
#include "pd-same-rows.h"
#include "pd-store.h"

G_BEGIN_DECLS

/* PdImportJob: one import of one file into a store — the back half of the
 * pipeline: records (from PdRecordSource) → matcher → merge rules → store,
 * in one transaction, on a worker thread with its own connection, with
 * progress and cancellation.  The app and the CLI drive this same object. */

typedef struct {
  const char         *match;             /* nullable: "email,phone" */
  PdMatchAction       action;            /* PD_MATCH_ACTION_MERGE by default */
  gboolean            opt_in_all_email;
  gboolean            opt_in_all_sms;
  const char         *person_type;       /* nullable: "lead" or "customer" */
  const char * const *tags;              /* nullable, NULL-terminated */
  gboolean            auto_tag;          /* tag every persona with the import's name */
  const char         *name;              /* nullable: file name and time */
  gboolean            accept_terms;      /* without it the import refuses to run */
  gboolean            merge_shared_phones; /* a row whose phone is another persona's
                                          * (with another email) merges into it, as
                                          * before; by default it is kept apart */
  PdSameFile          same_file;         /* a file imported before: refused by default
                                          * (PD_ERROR_SAME_FILE), see pd-same-file.h */
} PdImportOptions;

void pd_import_options_init (PdImportOptions *options);

typedef enum {
  PD_IMPORT_OUTCOME_IMPORTED,
  PD_IMPORT_OUTCOME_UPDATED,
  PD_IMPORT_OUTCOME_IGNORED,
  PD_IMPORT_OUTCOME_FAILED,
} PdImportOutcome;

const char *pd_import_outcome_to_string (PdImportOutcome outcome);

/* A row that was not imported or updated (or had warnings). */
typedef struct {
  guint            row;
  PdImportOutcome  outcome;
  GPtrArray       *reasons;     /* utf8, translated */
  gint64           persona_id;  /* the matched persona, or 0 */
  PdRow           *source;      /* nullable: the row as read */
} PdImportRowResult;

void pd_import_row_result_free (PdImportRowResult *result);

typedef void (*PdImportRowResultFunc) (PdImportRowResult *result,
                                       gpointer           user_data);

/* A field that an import changes on a matched persona, as a dry run
 * previews it: values as the store keeps them (multi-value fields joined
 * with ", "), NULL when empty. */
typedef struct {
  guint   row;
  gint64  persona_id;
  char   *field;       /* field key, or "attribute:NAME" */
  char   *old_value;   /* nullable */
  char   *new_value;   /* nullable */
} PdImportFieldChange;

void pd_import_field_change_free (PdImportFieldChange *change);

/* A dry run keeps at most this many field changes (the rest counted). */
#define PD_IMPORT_MAX_CHANGES 1000

#define PD_TYPE_IMPORT_JOB (pd_import_job_get_type ())
G_DECLARE_FINAL_TYPE (PdImportJob, pd_import_job, PD, IMPORT_JOB, GObject)

PdImportJob        *pd_import_job_new             (PdStore                *store,
                                                   GFile                  *file,
                                                   const PdSourceOptions  *source_options,
                                                   const PdImportOptions  *options);

gboolean            pd_import_job_run             (PdImportJob            *self,
                                                   GCancellable           *cancellable,
                                                   GError                **error);
void                pd_import_job_run_async       (PdImportJob            *self,
                                                   GCancellable           *cancellable,
                                                   GAsyncReadyCallback     callback,
                                                   gpointer                user_data);
gboolean            pd_import_job_run_finish      (PdImportJob            *self,
                                                   GAsyncResult           *result,
                                                   GError                **error);

/* Before the run: run the whole import in its transaction, then roll it
 * back — exact counts and row results, field changes, nothing written and
 * no history entry. */
void                pd_import_job_set_dry_run     (PdImportJob            *self,
                                                   gboolean                dry_run);
gboolean            pd_import_job_get_dry_run     (PdImportJob            *self);
/* Who imports (nullable: the Owner); checked as the run starts. */
void                pd_import_job_set_actor       (PdImportJob            *self,
                                                   const PdActor          *actor);

/* After the run (or while it runs, from the progress handler). */
const PdImportInfo *pd_import_job_get_info        (PdImportJob            *self);
GPtrArray          *pd_import_job_get_row_results (PdImportJob            *self);
gboolean            pd_import_job_foreach_row_result (PdImportJob         *self,
                                                   PdImportRowResultFunc  func,
                                                   gpointer               user_data,
                                                   GError               **error);
const PdRow        *pd_import_job_get_header_row  (PdImportJob            *self);
guint               pd_import_job_get_rows_done   (PdImportJob            *self);
double              pd_import_job_get_fraction    (PdImportJob            *self);
/* While the run waits for another desk's import to finish (a shared
 * database): what to show (translated); NULL otherwise.  Progress is
 * emitted as the wait begins and ends. */
char               *pd_import_job_dup_waiting_message (PdImportJob        *self);
guint               pd_import_job_get_n_warning_rows (PdImportJob         *self);
guint               pd_import_job_get_n_shared_phones (PdImportJob        *self);
gboolean            pd_import_job_get_preset_applied (PdImportJob         *self);
/* After the run (a dry run too): the earlier completed import of the same
 * file's content, or NULL; how many rows' points were left out. */
const PdImportInfo *pd_import_job_get_earlier_import (PdImportJob        *self);
guint               pd_import_job_get_n_points_skipped (PdImportJob      *self);
/* After the run: rows of this file that earlier imports of other files
 * applied (pd-same-rows.h), and the import that applied most of them. */
const PdSameRows   *pd_import_job_get_same_rows   (PdImportJob            *self);
const PdImportInfo *pd_import_job_get_same_rows_import (PdImportJob       *self);
/* A dry run's field changes on matched personas, in file order. */
GPtrArray          *pd_import_job_get_changes     (PdImportJob            *self);
guint               pd_import_job_get_n_changes   (PdImportJob            *self);

G_END_DECLS
