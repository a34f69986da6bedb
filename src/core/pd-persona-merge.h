/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pd-persona.h"

G_BEGIN_DECLS

/* Merging personas that are one customer: which value of each field the
 * survivor keeps (the import's merge rule: first value wins, the
 * survivor's first; a pinned value wins over one that is not; the favorite
 * store goes to the value from the highest source), and what is combined
 * (emails, phones, tags, attributes, points, loyalty, consent: an explicit
 * opt-out always wins).  Pure functions over PdPersona: the stores load
 * the personas and write the result in one transaction. */

typedef struct {
  char      *key;      /* "first_name", or "attribute:NAME" */
  char      *label;    /* for people, translated */
  PdFieldId  field;    /* PD_FIELD_ATTRIBUTE for an attribute */
  GPtrArray *values;   /* (element-type utf8): one per persona of the plan, NULL where it has none */
  guint      kept;     /* the persona (index) whose value the rules keep */
  guint      chosen;   /* the persona whose value the survivor gets: kept unless chosen */
} PdMergeField;

typedef struct _PdMergePlan {
  GPtrArray *personas;    /* (element-type PdPersona): the survivor first */
  GPtrArray *fields;      /* (element-type PdMergeField): every field where they differ */
  gint64     points;      /* the balances summed */
  guint      n_contacts;  /* emails and phones of the survivor after the merge */
} PdMergePlan;

/**
 * pd_merge_plan_new:
 * @personas: (element-type PdPersona) (transfer none): the survivor first,
 *   then the personas merged into it
 *
 * Computes the plan.  Fails with PD_ERROR_INVALID when fewer than two
 * personas are given or one is given twice, and PD_ERROR_CONFLICT when one
 * is archived or blocklisted (naming it).  The contacts cap is checked by
 * pd_merge_plan_build(), so a dry run still shows the plan.
 */
PdMergePlan  *pd_merge_plan_new          (GPtrArray     *personas,
                                          GError       **error);
void          pd_merge_plan_free         (PdMergePlan   *plan);
/* Keeps @persona_id's value of @key ("city", "attribute:shoe") instead of
 * the rules' choice.  FALSE with PD_ERROR_INVALID when the field does not
 * differ, the persona is not in the plan or has no value there. */
gboolean      pd_merge_plan_choose       (PdMergePlan   *plan,
                                          const char    *key,
                                          gint64         persona_id,
                                          GError       **error);
/* Parses "city=12" and chooses it. */
gboolean      pd_merge_plan_choose_text  (PdMergePlan   *plan,
                                          const char    *text,
                                          GError       **error);
/* The survivor as the merge makes it (a new object, the survivor's id):
 * chosen values, contacts, tags and attributes combined, points summed,
 * consent and loyalty combined.  Fails with PD_ERROR_INVALID when it would
 * hold more than PD_MAX_CONTACTS emails and phones. */
PdPersona    *pd_merge_plan_build        (PdMergePlan   *plan,
                                          GError       **error);
gint64        pd_merge_plan_get_survivor_id (PdMergePlan *plan);

/* The survivor as an unmerge puts it back: each field, list entry,
 * attribute and flag the merge changed (@after against @before) goes back
 * to @before, unless it changed since (@now differs from @after), which
 * stays; the balance loses @points_moved (what goes back to the others). */
PdPersona    *pd_merge_restore_survivor  (PdPersona     *before,
                                          PdPersona     *after,
                                          PdPersona     *now,
                                          gint64         points_moved);

/* Whether @now is @after in every field, list, attribute and flag. */
gboolean      pd_merge_unchanged_since   (PdPersona     *after,
                                          PdPersona     *now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdMergePlan, pd_merge_plan_free)

G_END_DECLS
