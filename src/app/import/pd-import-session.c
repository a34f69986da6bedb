/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pd-import-session.h"

static GListStore *jobs;
static GHashTable *running;   /* PdImportJob* set */

GListModel *
pd_import_session_get_jobs (void)
{
  if (jobs == NULL)
    {
      jobs = g_list_store_new (PD_TYPE_IMPORT_JOB);
      running = g_hash_table_new (NULL, NULL);
    }
  return G_LIST_MODEL (jobs);
}

void
pd_import_session_add (PdImportJob *job)
{
  g_return_if_fail (PD_IS_IMPORT_JOB (job));

  pd_import_session_get_jobs ();
  g_hash_table_add (running, job);
  g_list_store_insert (jobs, 0, job);
}

void
pd_import_session_job_finished (PdImportJob *job)
{
  guint position;

  g_return_if_fail (PD_IS_IMPORT_JOB (job));

  pd_import_session_get_jobs ();
  g_hash_table_remove (running, job);
  if (g_list_store_find (jobs, job, &position))
    g_list_model_items_changed (G_LIST_MODEL (jobs), position, 1, 1);
}

gboolean
pd_import_session_is_running (PdImportJob *job)
{
  return running != NULL && g_hash_table_contains (running, job);
}

gboolean
pd_import_session_any_running (void)
{
  return running != NULL && g_hash_table_size (running) > 0;
}

PdImportJob *
pd_import_session_find (gint64 import_id)
{
  GListModel *model = pd_import_session_get_jobs ();

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PdImportJob) job = g_list_model_get_item (model, i);

      if (!pd_import_session_is_running (job) && pd_import_job_get_info (job)->id == import_id)
        return job;
    }
  return NULL;
}

void
pd_import_session_drop_finished (void)
{
  GListModel *model = pd_import_session_get_jobs ();

  for (guint i = g_list_model_get_n_items (model); i-- > 0;)
    {
      g_autoptr(PdImportJob) job = g_list_model_get_item (model, i);

      if (!pd_import_session_is_running (job))
        g_list_store_remove (jobs, i);
    }
}
