/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the files of PdImportJob share: the run (pd-import-job.c) and its
 * getters and setters (pd-import-job-props.c). */

#include "pd-import-job.h"
#include "pd-import-results.h"
#include "pd-same-rows.h"

G_BEGIN_DECLS

/* Records applied at a time (pd-import-batch.c): see HACKING.md, "The
 * batched import engine", for how it was chosen. */
#define APPLY_BATCH_ROWS 4096

struct _PdImportJob
{
  GObject          parent_instance;

  PdStore         *store;
  GFile           *file;
  PdSourceOptions *source_options;

  /* options, owned copies */
  char            *match;
  PdMatchAction    action;
  gboolean         opt_in_all_email;
  gboolean         opt_in_all_sms;
  char            *person_type;
  GStrv            tags;
  gboolean         auto_tag;
  char            *name;
  gboolean         accept_terms;
  gboolean         merge_shared_phones;
  PdSameFile       same_file;
  gboolean         dry_run;
  /* who imports (pd_import_job_set_actor()); no role set: the Owner */
  PdActor          actor;
  char            *actor_who;

  /* results; written by the worker, read after the run */
  PdImportInfo    *info;
  PdImportResults *results;     /* the row results, spilled to a file */
  PdRow           *header;
  guint            rows_done;   /* atomic */
  double           fraction;
  gboolean         running;
  gboolean         running_now;
  gboolean         preset_applied;
  guint            n_warning_rows;
  guint            n_shared_phones;
  GPtrArray       *changes;     /* PdImportFieldChange, dry runs only */
  guint            n_changes;   /* including those past the cap */
  PdImportInfo    *earlier;     /* the same content imported before, or NULL */
  guint            n_points_skipped;
  PdSameRows      *same_rows;   /* rows earlier imports applied (other files) */
  PdImportInfo    *same_rows_import; /* the one that applied most of them */

  guint            batch_rows;  /* records applied at a time */
  GMainContext    *context;     /* where progress is delivered */
  gint64           last_progress;
  gint             waiting;     /* atomic: for another desk's import */
};

G_END_DECLS
