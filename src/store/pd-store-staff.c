/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The dispatchers of pd-store-staff.h: the role check for every write
 * with an actor, and the older vfunc for a store that does not audit. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-store-staff.h"

#define IFACE(self) PD_STORE_GET_IFACE (self)

G_DEFINE_BOXED_TYPE (PdAccount, pd_account, pd_account_copy, pd_account_free)
G_DEFINE_BOXED_TYPE (PdAuditEntry, pd_audit_entry, pd_audit_entry_copy, pd_audit_entry_free)

PdAccount *
pd_account_copy (const PdAccount *account)
{
  PdAccount *copy = g_new (PdAccount, 1);

  *copy = *account;
  copy->name = g_strdup (account->name);
  copy->created = account->created != NULL ? g_date_time_ref (account->created) : NULL;
  return copy;
}

void
pd_account_free (PdAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->name);
  g_clear_pointer (&account->created, g_date_time_unref);
  g_free (account);
}

PdAuditEntry *
pd_audit_entry_copy (const PdAuditEntry *entry)
{
  PdAuditEntry *copy = g_new (PdAuditEntry, 1);

  *copy = *entry;
  copy->at = entry->at != NULL ? g_date_time_ref (entry->at) : NULL;
  copy->who = g_strdup (entry->who);
  copy->action = g_strdup (entry->action);
  copy->detail = g_strdup (entry->detail);
  return copy;
}

void
pd_audit_entry_free (PdAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_clear_pointer (&entry->at, g_date_time_unref);
  g_free (entry->who);
  g_free (entry->action);
  g_free (entry->detail);
  g_free (entry);
}

PdActor
pd_account_to_actor (const PdAccount *account,
                     PdSource         source)
{
  return (PdActor) { source, account->name, account->role };
}

static gboolean
not_supported (PdStore  *self,
               GError  **error)
{
  g_set_error (error, PD_ERROR, PD_ERROR_STORE,
               _("This store (%s) cannot do that"), G_OBJECT_TYPE_NAME (self));
  return FALSE;
}

/* A store with the _as vfunc checks and audits itself (inside its
 * transaction); for one without, the role is checked here and the older
 * vfunc runs: refused alike, only not audited. */
#define DISPATCH_AS(vfunc, permission, fallback, ...) \
  G_STMT_START { \
    g_return_val_if_fail (PD_IS_STORE (self), FALSE); \
    if (IFACE (self)->vfunc != NULL) \
      return IFACE (self)->vfunc (self, __VA_ARGS__); \
    if (!pd_actor_check (actor, permission, error)) \
      return FALSE; \
    return fallback; \
  } G_STMT_END

gboolean
pd_store_save_persona_as (PdStore        *self,
                          PdPersona      *persona,
                          const PdActor  *actor,
                          GError        **error)
{
  g_return_val_if_fail (PD_IS_PERSONA (persona), FALSE);
  DISPATCH_AS (save_persona_as, PD_PERMISSION_EDIT,
               pd_store_save_persona (self, persona, actor != NULL ? actor->source : PD_SOURCE_MANUAL, error),
               persona, actor, error);
}

gboolean
pd_store_set_archived_as (PdStore        *self,
                          gint64          id,
                          gboolean        archived,
                          const PdActor  *actor,
                          GError        **error)
{
  DISPATCH_AS (set_archived_as, PD_PERMISSION_EDIT,
               pd_store_set_archived (self, id, archived, error),
               id, archived, actor, error);
}

gboolean
pd_store_set_loyalty_settings_as (PdStore                  *self,
                                  const PdLoyaltySettings  *settings,
                                  const PdActor            *actor,
                                  GError                  **error)
{
  DISPATCH_AS (set_loyalty_settings_as, PD_PERMISSION_MANAGE_ACCOUNTS,
               pd_store_set_loyalty_settings (self, settings, error),
               settings, actor, error);
}

gboolean
pd_store_mark_outbox_sent_as (PdStore        *self,
                              const gint64   *ids,
                              guint           n_ids,
                              const PdActor  *actor,
                              GError        **error)
{
  DISPATCH_AS (mark_outbox_sent_as, PD_PERMISSION_EDIT,
               pd_store_mark_outbox_sent (self, ids, n_ids, error),
               ids, n_ids, actor, error);
}

gboolean
pd_store_set_source_id_as (PdStore        *self,
                           gint64          id,
                           const char     *source,
                           const char     *source_id,
                           const PdActor  *actor,
                           GError        **error)
{
  DISPATCH_AS (set_source_id_as, PD_PERMISSION_EDIT,
               pd_store_set_source_id (self, id, source, source_id, error),
               id, source, source_id, actor, error);
}

gint64
pd_store_begin_import_as (PdStore        *self,
                          PdImportInfo   *info,
                          const char     *file_path,
                          const PdActor  *actor,
                          GError        **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), 0);
  g_return_val_if_fail (info != NULL, 0);

  /* A dry run (no file kept) writes nothing: anyone may try a file. */
  if (file_path != NULL && !pd_actor_check (actor, PD_PERMISSION_IMPORT, error))
    return 0;
  if (actor != NULL && actor->who != NULL)
    {
      g_free (info->user);
      info->user = g_strdup (actor->who);
    }
  return pd_store_begin_import (self, info, file_path, error);
}

gboolean
pd_store_delete_import_as (PdStore        *self,
                           gint64          id,
                           const PdActor  *actor,
                           GError        **error)
{
  DISPATCH_AS (delete_import_as, PD_PERMISSION_UNDO_IMPORT,
               pd_store_delete_import (self, id, error),
               id, actor, error);
}

gboolean
pd_store_undo_import_as (PdStore              *self,
                         gint64                id,
                         PdStoreProgressFunc   progress,
                         gpointer              progress_data,
                         const PdActor        *actor,
                         GError              **error)
{
  DISPATCH_AS (undo_import_as, PD_PERMISSION_UNDO_IMPORT,
               pd_store_undo_import_with_progress (self, id, progress, progress_data, error),
               id, progress, progress_data, actor, error);
}

gint
pd_store_request_import_sms_opt_in_as (PdStore           *self,
                                       gint64             import_id,
                                       const PdActor     *actor,
                                       PdSmsOptInCounts  *counts,
                                       GError           **error)
{
  PdSmsOptInCounts local = { 0 };

  g_return_val_if_fail (PD_IS_STORE (self), -1);

  if (IFACE (self)->request_import_sms_opt_in_as == NULL)
    {
      if (!pd_actor_check (actor, PD_PERMISSION_EDIT, error))
        return -1;
      return pd_store_request_import_sms_opt_in (self, import_id, counts, error);
    }
  if (!IFACE (self)->request_import_sms_opt_in_as (self, import_id, actor, &local, error))
    return -1;
  if (counts != NULL)
    *counts = local;
  return local.marked;
}

#define DISPATCH(vfunc, fail_value, ...) \
  G_STMT_START { \
    g_return_val_if_fail (PD_IS_STORE (self), fail_value); \
    if (IFACE (self)->vfunc == NULL) \
      return not_supported (self, error), fail_value; \
    return IFACE (self)->vfunc (self, __VA_ARGS__); \
  } G_STMT_END

GPtrArray *
pd_store_list_accounts (PdStore  *self,
                        GError  **error)
{
  DISPATCH (list_accounts, NULL, error);
}

gint64
pd_store_add_account (PdStore        *self,
                      const char     *name,
                      PdRole          role,
                      const char     *password,
                      const PdActor  *actor,
                      GError        **error)
{
  g_return_val_if_fail (name != NULL && password != NULL, 0);
  DISPATCH (add_account, 0, name, role, password, actor, error);
}

gboolean
pd_store_update_account (PdStore                *self,
                         const char             *name,
                         const PdAccountUpdate  *update,
                         const PdActor          *actor,
                         GError                **error)
{
  g_return_val_if_fail (name != NULL && update != NULL, FALSE);
  DISPATCH (update_account, FALSE, name, update, actor, error);
}

PdAccount *
pd_store_verify_account (PdStore     *self,
                         const char  *name,
                         const char  *password,
                         GError     **error)
{
  g_return_val_if_fail (name != NULL && password != NULL, NULL);
  DISPATCH (verify_account, NULL, name, password, error);
}

gboolean
pd_store_get_staff_settings (PdStore          *self,
                             PdStaffSettings  *settings,
                             GError          **error)
{
  g_return_val_if_fail (settings != NULL, FALSE);
  *settings = (PdStaffSettings) { FALSE, PD_STAFF_DEFAULT_LOCK_MINUTES };
  /* a store without accounts: the single user is the Owner */
  if (PD_IS_STORE (self) && IFACE (self)->get_staff_settings == NULL)
    return TRUE;
  DISPATCH (get_staff_settings, FALSE, settings, error);
}

gboolean
pd_store_set_staff_settings (PdStore                *self,
                             const PdStaffSettings  *settings,
                             const PdActor          *actor,
                             GError                **error)
{
  g_return_val_if_fail (settings != NULL, FALSE);
  DISPATCH (set_staff_settings, FALSE, settings, actor, error);
}

GPtrArray *
pd_store_list_audit (PdStore        *self,
                     gint64          since_us,
                     guint           offset,
                     guint           limit,
                     const PdActor  *actor,
                     GError        **error)
{
  DISPATCH (list_audit, NULL, since_us, offset, limit, actor, error);
}
