/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdImportJob's getters and setters: what a run found and did, and the
 * options set before it (the run itself: pd-import-job.c). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-import-apply.h"
#include "pd-import-job-private.h"

/**
 * pd_import_job_get_info:
 *
 * Returns: (transfer none): the import's record: id, counts, duration, status
 */
const PdImportInfo *
pd_import_job_get_info (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), NULL);
  return self->info;
}

/**
 * pd_import_job_get_row_results:
 *
 * Returns: (transfer none) (element-type PdImportRowResult): the rows not
 *   imported or updated, and those with warnings, in file order
 */
GPtrArray *
pd_import_job_get_row_results (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), NULL);

  /* Loaded into memory on first use, after the run; large imports are
   * better read with pd_import_job_foreach_row_result(). */
  return _pd_import_results_get_rows (self->results, !self->running_now);
}

/**
 * pd_import_job_foreach_row_result:
 * @func: (scope call): called for each row not imported or updated (and
 *   the first rows with warnings), in file order; the result is freed after
 *
 * Streams the results from where the run kept them: memory stays flat.
 */
gboolean
pd_import_job_foreach_row_result (PdImportJob          *self,
                                  PdImportRowResultFunc func,
                                  gpointer              user_data,
                                  GError              **error)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), FALSE);
  return _pd_import_results_foreach (self->results, func, user_data, error);
}

/**
 * pd_import_job_get_header_row:
 *
 * Returns: (transfer none) (nullable): the file's header row
 */
const PdRow *
pd_import_job_get_header_row (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), NULL);
  return self->header;
}

guint
pd_import_job_get_rows_done (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), 0);
  return g_atomic_int_get (&self->rows_done);
}

double
pd_import_job_get_fraction (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), 0.0);
  return self->fraction;
}

/**
 * pd_import_job_dup_waiting_message:
 *
 * Returns: (transfer full) (nullable): what the CLI and the app show while
 *   the run waits for another desk's import (pd_store_set_wait_handler())
 */
char *
pd_import_job_dup_waiting_message (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), NULL);
  if (!g_atomic_int_get (&self->waiting))
    return NULL;
  return g_strdup (_("Waiting for another desk’s import to finish…"));
}

/* Phones left out of a row because another customer (another email)
 * has them; see PdImportOptions.merge_shared_phones. */
guint
pd_import_job_get_n_shared_phones (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), 0);
  return self->n_shared_phones;
}

/* Rows imported or updated with a warning, including those not listed in
 * pd_import_job_get_row_results() beyond the first 10,000. */
guint
pd_import_job_get_n_warning_rows (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), 0);
  return self->n_warning_rows;
}

/**
 * pd_import_job_set_dry_run:
 *
 * Before the run: the import runs completely inside its transaction and
 * is rolled back at the end instead of committed, so the counts, the row
 * results (including rows that fail only against saved personas) and the
 * field changes are exactly the real import's, and nothing is written —
 * no history entry, no stored file, no preset.
 */
void
pd_import_job_set_dry_run (PdImportJob *self,
                           gboolean     dry_run)
{
  g_return_if_fail (PD_IS_IMPORT_JOB (self));
  g_return_if_fail (!self->running);
  self->dry_run = dry_run;
}

gboolean
pd_import_job_get_dry_run (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), FALSE);
  return self->dry_run;
}

/**
 * pd_import_job_get_changes:
 *
 * Returns: (transfer none) (element-type PdImportFieldChange): after a dry
 *   run, the fields it changed on matched personas, in file order, at most
 *   %PD_IMPORT_MAX_CHANGES (see pd_import_job_get_n_changes())
 */
GPtrArray *
pd_import_job_get_changes (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), NULL);
  return self->changes;
}

/* All the field changes of a dry run, including those past the cap. */
guint
pd_import_job_get_n_changes (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), 0);
  return self->n_changes;
}

/* Whether the run used the mapping remembered for the file's header row. */
gboolean
pd_import_job_get_preset_applied (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), FALSE);
  return self->preset_applied;
}

/* The earlier completed import of this file's content, found as the run
 * began, or NULL. */
const PdImportInfo *
pd_import_job_get_earlier_import (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), NULL);
  return self->earlier;
}

/* Rows whose points were left out (--same-file skip-points). */
guint
pd_import_job_get_n_points_skipped (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), 0);
  return self->n_points_skipped;
}

/* Rows of this file whose points earlier imports of other files applied
 * (found as the run went; all of them in a dry run or a refused run), or
 * NULL before a run. */
const PdSameRows *
pd_import_job_get_same_rows (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), NULL);
  return self->same_rows;
}

/* The earlier import that applied most of those rows, or NULL. */
const PdImportInfo *
pd_import_job_get_same_rows_import (PdImportJob *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_JOB (self), NULL);
  return self->same_rows_import;
}

/**
 * pd_import_job_set_actor:
 * @actor: (nullable): who imports; NULL: the Owner, by OS user
 *
 * Before the run.  Only a role that may import (PD_PERMISSION_IMPORT) gets
 * past the start of a real run (a dry run writes nothing); the history
 * names @actor's who.
 */
void
pd_import_job_set_actor (PdImportJob   *self,
                         const PdActor *actor)
{
  g_return_if_fail (PD_IS_IMPORT_JOB (self));
  g_return_if_fail (!self->running);

  g_free (self->actor_who);
  self->actor_who = actor != NULL ? g_strdup (actor->who) : NULL;
  self->actor = (PdActor) { PD_SOURCE_IMPORT, self->actor_who, actor != NULL ? actor->role : PD_ROLE_OWNER };
}

/* Tests only: 1 applies one record at a time (as the engine before
 * batches did), to compare with any other size. */
void
_pd_import_job_set_batch_rows (PdImportJob *self,
                               guint        rows)
{
  g_return_if_fail (PD_IS_IMPORT_JOB (self));
  self->batch_rows = rows > 0 ? rows : APPLY_BATCH_ROWS;
}
