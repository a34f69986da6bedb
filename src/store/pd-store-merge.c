/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's merge calls: dispatch to the implementation, and the plan
 * from the personas as stored. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-store-merge.h"

G_DEFINE_BOXED_TYPE (PdMergeInfo, pd_merge_info, pd_merge_info_copy, pd_merge_info_free)

PdMergeInfo *
pd_merge_info_copy (const PdMergeInfo *info)
{
  PdMergeInfo *copy = g_new0 (PdMergeInfo, 1);

  *copy = *info;
  copy->merged_ids = g_array_copy (info->merged_ids);
  copy->time = info->time != NULL ? g_date_time_ref (info->time) : NULL;
  copy->actor = g_strdup (info->actor);
  return copy;
}

void
pd_merge_info_free (PdMergeInfo *info)
{
  if (info == NULL)
    return;
  g_clear_pointer (&info->merged_ids, g_array_unref);
  g_clear_pointer (&info->time, g_date_time_unref);
  g_free (info->actor);
  g_free (info);
}

static gboolean
not_supported (PdStore  *self,
               GError  **error)
{
  g_set_error (error, PD_ERROR, PD_ERROR_STORE,
               _("This store (%s) cannot do that"), G_OBJECT_TYPE_NAME (self));
  return FALSE;
}

#define IFACE(self) PD_STORE_GET_IFACE (self)

gint64
pd_store_get_survivor (PdStore  *self,
                       gint64    id,
                       GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), 0);
  if (IFACE (self)->get_survivor == NULL)
    return not_supported (self, error), 0;
  return IFACE (self)->get_survivor (self, id, error);
}

gint64
pd_merge_default_survivor (const gint64 *ids,
                           guint         n_ids)
{
  gint64 oldest = 0;

  for (guint i = 0; i < n_ids; i++)
    if (oldest == 0 || ids[i] < oldest)
      oldest = ids[i];
  return oldest;
}

PdMergePlan *
pd_store_plan_merge (PdStore       *self,
                     const gint64  *ids,
                     guint          n_ids,
                     GError       **error)
{
  g_autoptr(GPtrArray) personas = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (PD_IS_STORE (self), NULL);

  for (guint i = 0; i < n_ids; i++)
    {
      PdPersona *persona;
      gint64 survivor;

      for (guint k = 0; k < i; k++)
        if (ids[k] == ids[i])
          {
            g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                         _("Persona %" PRId64 " is given twice: a persona cannot be merged with itself"), ids[i]);
            return NULL;
          }
      survivor = pd_store_get_survivor (self, ids[i], error);
      if (survivor == 0)
        return NULL;
      if (survivor != ids[i])
        {
          g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT,
                       _("Persona %" PRId64 " was merged into persona %" PRId64 " already"), ids[i], survivor);
          return NULL;
        }
      persona = pd_store_get_persona (self, ids[i], error);
      if (persona == NULL)
        return NULL;
      g_ptr_array_add (personas, persona);
    }
  return pd_merge_plan_new (personas, error);
}

gboolean
pd_store_merge_personas (PdStore        *self,
                         PdMergePlan    *plan,
                         const PdActor  *actor,
                         gint64         *merge_id,
                         GError        **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (plan != NULL, FALSE);
  if (IFACE (self)->merge_personas == NULL)
    return not_supported (self, error);
  return IFACE (self)->merge_personas (self, plan, actor, merge_id, error);
}

gboolean
pd_store_unmerge (PdStore        *self,
                  gint64          merge_id,
                  const PdActor  *actor,
                  GError        **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  if (IFACE (self)->unmerge == NULL)
    return not_supported (self, error);
  return IFACE (self)->unmerge (self, merge_id, actor, error);
}

GPtrArray *
pd_store_list_merges (PdStore  *self,
                      gint64    persona_id,
                      GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  if (IFACE (self)->list_merges == NULL)
    return not_supported (self, error), NULL;
  return IFACE (self)->list_merges (self, persona_id, error);
}

gint64
pd_store_find_merge_of (PdStore  *self,
                        gint64    persona_id,
                        GError  **error)
{
  g_autoptr(GPtrArray) merges = pd_store_list_merges (self, persona_id, error);

  if (merges == NULL)
    return 0;
  for (guint i = 0; i < merges->len; i++)
    {
      PdMergeInfo *info = g_ptr_array_index (merges, i);

      if (info->undone)
        continue;
      for (guint k = 0; k < info->merged_ids->len; k++)
        if (g_array_index (info->merged_ids, gint64, k) == persona_id)
          return info->id;
    }
  return 0;
}
