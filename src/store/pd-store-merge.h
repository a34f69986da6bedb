/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-persona-merge.h"
#include "pd-store.h"

G_BEGIN_DECLS

/* Merging personas in a store and undoing a merge (issue 16).  The rules
 * are pd-persona-merge.h's; the store loads, checks and writes in one
 * transaction, and keeps what the merge changed so that it can be undone. */

typedef struct {
  gint64     id;
  gint64     survivor_id;
  GArray    *merged_ids;   /* (element-type gint64): the personas merged into the survivor */
  GDateTime *time;
  char      *actor;        /* nullable */
  gboolean   undone;
} PdMergeInfo;

#define PD_TYPE_MERGE_INFO (pd_merge_info_get_type ())
GType        pd_merge_info_get_type  (void) G_GNUC_CONST;
PdMergeInfo *pd_merge_info_copy      (const PdMergeInfo *info);
void         pd_merge_info_free      (PdMergeInfo       *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdMergeInfo, pd_merge_info_free)

/**
 * pd_store_plan_merge:
 * @ids: the survivor first, then the personas to merge into it
 *
 * Loads the personas and computes the plan (pd_merge_plan_new()).  Fails
 * with PD_ERROR_NOT_FOUND for an unknown id, PD_ERROR_CONFLICT for a
 * persona merged away already (naming its survivor).
 */
PdMergePlan *pd_store_plan_merge     (PdStore          *self,
                                      const gint64     *ids,
                                      guint             n_ids,
                                      GError          **error);
/* The lowest id of @ids: the oldest persona, the default survivor. */
gint64       pd_merge_default_survivor (const gint64   *ids,
                                      guint             n_ids);
/**
 * pd_store_merge_personas:
 * @plan: from pd_store_plan_merge(), with the choices made
 * @merge_id: (out) (optional): the merge, for pd_store_unmerge()
 *
 * Merges, in one transaction: the plan is computed again on the personas
 * as they are in it, with @plan's choices.  Needs PD_PERMISSION_EDIT.
 */
gboolean     pd_store_merge_personas (PdStore          *self,
                                      PdMergePlan      *plan,
                                      const PdActor    *actor,
                                      gint64           *merge_id,
                                      GError          **error);
/* Puts back every persona of merge @merge_id as it was before it, keeping
 * what changed since on the survivor; PD_ERROR_CONFLICT saying why when a
 * later event makes that impossible. */
gboolean     pd_store_unmerge        (PdStore          *self,
                                      gint64            merge_id,
                                      const PdActor    *actor,
                                      GError          **error);
/* (element-type PdMergeInfo): the merges @persona_id took part in (as
 * survivor or merged away), newest first. */
GPtrArray   *pd_store_list_merges    (PdStore          *self,
                                      gint64            persona_id,
                                      GError          **error);
/* The persona @id was merged into, following later merges; @id itself
 * when it was not merged away; 0 with PD_ERROR_NOT_FOUND when unknown. */
gint64       pd_store_get_survivor   (PdStore          *self,
                                      gint64            id,
                                      GError          **error);
/* The merge (not undone) that merged @persona_id away, or 0. */
gint64       pd_store_find_merge_of  (PdStore          *self,
                                      gint64            persona_id,
                                      GError          **error);

G_END_DECLS
