/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdStore's dispatchers for the batched import engine (issue 19): each
 * falls back on the one-at-a-time call when a store has no batch of its
 * own, so the engine's rules never depend on which store runs them. */
#include "config.h"

#include "pd-error.h"
#include "pd-store-batch.h"
#include "pd-store-private.h"

gboolean
pd_store_find_personas (PdStore            *self,
                        PdFieldId           key,
                        const char *const  *values,
                        guint               n_values,
                        gint64             *ids,
                        GError            **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (n_values == 0 || (values != NULL && ids != NULL), FALSE);

  if (n_values == 0)
    return TRUE;
  if (IFACE (self)->find_personas != NULL)
    return IFACE (self)->find_personas (self, key, values, n_values, ids, error);
  for (guint i = 0; i < n_values; i++)
    {
      GError *local = NULL;

      ids[i] = pd_store_find_persona (self, key, values[i], &local);
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return FALSE;
        }
    }
  return TRUE;
}

/* A NULL (no such persona) is no object to unref. */
static void
unref_persona (gpointer persona)
{
  if (persona != NULL)
    g_object_unref (persona);
}

GPtrArray *
pd_store_get_personas (PdStore       *self,
                       const gint64  *ids,
                       guint          n_ids,
                       GError       **error)
{
  g_autoptr(GPtrArray) personas = NULL;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  g_return_val_if_fail (n_ids == 0 || ids != NULL, NULL);

  if (IFACE (self)->get_personas != NULL)
    return IFACE (self)->get_personas (self, ids, n_ids, error);
  personas = g_ptr_array_new_full (n_ids, unref_persona);
  for (guint i = 0; i < n_ids; i++)
    {
      GError *local = NULL;
      PdPersona *persona = pd_store_get_persona (self, ids[i], &local);

      if (local != NULL && !g_error_matches (local, PD_ERROR, PD_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, local);
          return NULL;
        }
      g_clear_error (&local);
      g_ptr_array_add (personas, persona);
    }
  return g_steal_pointer (&personas);
}

gboolean
pd_store_blocklist_contains_any (PdStore            *self,
                                 PdFieldId           key,
                                 const char *const  *values,
                                 guint               n_values,
                                 gboolean           *blocked,
                                 GError            **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (blocked != NULL, FALSE);

  *blocked = FALSE;
  if (n_values == 0)
    return TRUE;
  if (IFACE (self)->blocklist_contains_any != NULL)
    return IFACE (self)->blocklist_contains_any (self, key, values, n_values, blocked, error);
  for (guint i = 0; i < n_values && !*blocked; i++)
    if (!pd_store_blocklist_contains (self, key, values[i], blocked, error))
      return FALSE;
  return TRUE;
}

gboolean
pd_store_import_write_batch (PdStore        *self,
                             gint64          import_id,
                             PdImportWrite  *writes,
                             guint           n_writes,
                             const char     *points_reason,
                             gboolean        contacts_checked,
                             GError        **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (n_writes == 0 || writes != NULL, FALSE);

  if (n_writes == 0)
    return TRUE;
  if (IFACE (self)->import_write_batch != NULL)
    return IFACE (self)->import_write_batch (self, import_id, writes, n_writes, points_reason,
                                             contacts_checked, error);
  for (guint i = 0; i < n_writes; i++)
    {
      GError *local = NULL;

      g_clear_error (&writes[i].error);
      if (pd_store_import_write_full (self, import_id, writes[i].persona, writes[i].before,
                                      points_reason, contacts_checked, &local))
        continue;
      /* the database's failure stops the import; the row's fails the row (a
       * store that can answer PD_ERROR_RACE has a batch write of its own:
       * this loop could not take back the rows before) */
      if (g_error_matches (local, PD_ERROR, PD_ERROR_STORE) ||
          g_error_matches (local, PD_ERROR, PD_ERROR_BUSY) ||
          g_error_matches (local, PD_ERROR, PD_ERROR_RACE))
        {
          g_propagate_error (error, local);
          return FALSE;
        }
      writes[i].error = local;
    }
  return TRUE;
}

gboolean
pd_store_import_write_results (PdStore                     *self,
                               gint64                       import_id,
                               const PdImportResultRecord  *records,
                               guint                        n_records,
                               GError                     **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (n_records == 0 || records != NULL, FALSE);

  if (n_records == 0)
    return TRUE;
  if (IFACE (self)->import_write_results != NULL)
    return IFACE (self)->import_write_results (self, import_id, records, n_records, error);
  for (guint i = 0; i < n_records; i++)
    if (!pd_store_import_write_result (self, import_id, &records[i], error))
      return FALSE;
  return TRUE;
}

void
pd_import_write_clear (PdImportWrite *write)
{
  g_clear_object (&write->persona);
  g_clear_object (&write->before);
  g_clear_error (&write->error);
}
