/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdStore: the persona store interface and its thin dispatchers. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-error.h"
#include "pd-api-token.h"
#include "pd-store.h"

G_DEFINE_INTERFACE (PdStore, pd_store, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (PdLedgerEntry, pd_ledger_entry, pd_ledger_entry_copy, pd_ledger_entry_free)

static void
pd_store_default_init (PdStoreInterface *iface)
{
}

PdLedgerEntry *
pd_ledger_entry_copy (const PdLedgerEntry *entry)
{
  PdLedgerEntry *copy = g_new (PdLedgerEntry, 1);

  *copy = *entry;
  copy->reason = g_strdup (entry->reason);
  copy->time = entry->time != NULL ? g_date_time_ref (entry->time) : NULL;
  copy->actor = g_strdup (entry->actor);
  return copy;
}

void
pd_ledger_entry_free (PdLedgerEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->reason);
  g_free (entry->actor);
  g_clear_pointer (&entry->time, g_date_time_unref);
  g_free (entry);
}

G_DEFINE_BOXED_TYPE (PdOutboxMessage, pd_outbox_message, pd_outbox_message_copy, pd_outbox_message_free)

PdOutboxMessage *
pd_outbox_message_copy (const PdOutboxMessage *message)
{
  PdOutboxMessage *copy = g_new (PdOutboxMessage, 1);

  *copy = *message;
  copy->kind = g_strdup (message->kind);
  copy->phone = g_strdup (message->phone);
  copy->created = message->created != NULL ? g_date_time_ref (message->created) : NULL;
  copy->sent = message->sent != NULL ? g_date_time_ref (message->sent) : NULL;
  return copy;
}

void
pd_outbox_message_free (PdOutboxMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->kind);
  g_free (message->phone);
  g_clear_pointer (&message->created, g_date_time_unref);
  g_clear_pointer (&message->sent, g_date_time_unref);
  g_free (message);
}

/**
 * pd_store_dup_default_path:
 *
 * Returns: (transfer full): $XDG_DATA_HOME/persona-desk/personas.db
 */
char *
pd_store_dup_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "persona-desk", "personas.db", NULL);
}

static gboolean
not_supported (PdStore *self, GError **error)
{
  g_set_error (error, PD_ERROR, PD_ERROR_STORE,
               _("This store (%s) cannot do that"), G_OBJECT_TYPE_NAME (self));
  return FALSE;
}

#define IFACE(self) PD_STORE_GET_IFACE (self)

/**
 * pd_store_open_another:
 *
 * Opens a second connection to the same database, for a worker thread.
 *
 * Returns: (transfer full): a new store object
 */
PdStore *
pd_store_open_another (PdStore  *self,
                       GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);

  if (IFACE (self)->open_another == NULL)
    return not_supported (self, error), NULL;
  return IFACE (self)->open_another (self, error);
}

/**
 * pd_store_set_lock_timeout:
 * @ms: how long a write waits for another connection's write to end
 *
 * A write that finds the database written by another connection (an
 * import, another program) waits this long, then fails with "in use".
 * The window's own connection waits briefly: an import holds the database
 * for as long as it runs, and a window must not freeze meanwhile.
 */
void
pd_store_set_lock_timeout (PdStore *self,
                           guint    ms)
{
  g_return_if_fail (PD_IS_STORE (self));

  if (IFACE (self)->set_lock_timeout != NULL)
    IFACE (self)->set_lock_timeout (self, ms);
}

/* Returns the number of personas the query lists (0 with @error set on failure). */
guint
pd_store_count_personas (PdStore              *self,
                         const PdPersonaQuery *query,
                         GError              **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), 0);
  g_return_val_if_fail (query != NULL, 0);

  return IFACE (self)->count_personas (self, query, error);
}

/**
 * pd_store_list_personas:
 *
 * Returns: (transfer full) (element-type PdPersona) (nullable): a page of
 *   the query's personas, sorted as asked; NULL with @error on failure
 */
GPtrArray *
pd_store_list_personas (PdStore              *self,
                        const PdPersonaQuery *query,
                        guint                 offset,
                        guint                 limit,
                        GError              **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  return IFACE (self)->list_personas (self, query, offset, limit, error);
}

/**
 * pd_store_get_persona:
 *
 * Returns: (transfer full) (nullable): the persona, or NULL with
 *   PD_ERROR_NOT_FOUND
 */
PdPersona *
pd_store_get_persona (PdStore  *self,
                      gint64    id,
                      GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);

  return IFACE (self)->get_persona (self, id, error);
}

/**
 * pd_store_find_persona:
 * @key: PD_FIELD_EMAIL, PD_FIELD_PHONE, PD_FIELD_EXTERNAL_ID or a channel field
 * @value: the normalized value (lower-case email, E.164 phone)
 *
 * Looks up a persona that is not archived, blocklisted or merged away.
 *
 * Returns: the persona id, or 0 when none (with @error unset)
 */
gint64
pd_store_find_persona (PdStore     *self,
                       PdFieldId    key,
                       const char  *value,
                       GError     **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), 0);
  g_return_val_if_fail (value != NULL, 0);

  return IFACE (self)->find_persona (self, key, value, error);
}

/**
 * pd_store_save_persona:
 * @source: who is saving: sets the source of fields that had none
 *
 * Inserts (id 0; the new id is set on @persona) or updates a persona.
 * Refuses a persona without email or phone (PD_ERROR_INVALID) and an email
 * or phone that another live persona uses (PD_ERROR_CONFLICT).
 */
gboolean
pd_store_save_persona (PdStore    *self,
                       PdPersona  *persona,
                       PdSource    source,
                       GError    **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (PD_IS_PERSONA (persona), FALSE);

  return IFACE (self)->save_persona (self, persona, source, error);
}

gboolean
pd_store_set_archived (PdStore   *self,
                       gint64     id,
                       gboolean   archived,
                       GError   **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);

  return IFACE (self)->set_archived (self, id, archived, error);
}

/* Adds @delta to the balance and writes a ledger entry, in one transaction. */
gboolean
pd_store_adjust_points (PdStore     *self,
                        gint64       id,
                        gint64       delta,
                        const char  *reason,
                        PdSource     source,
                        GError     **error)
{
  PdActor actor = { source, NULL };

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);

  return IFACE (self)->adjust_points (self, id, delta, reason, &actor, NULL, error);
}

gboolean
pd_store_adjust_points_as (PdStore        *self,
                           gint64          id,
                           gint64          delta,
                           const char     *reason,
                           const PdActor  *actor,
                           gint64         *balance,
                           GError        **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  return IFACE (self)->adjust_points (self, id, delta, reason, actor, balance, error);
}

#define DISPATCH(vfunc, fail_value, ...) \
  G_STMT_START { \
    g_return_val_if_fail (PD_IS_STORE (self), fail_value); \
    if (IFACE (self)->vfunc == NULL) \
      return not_supported (self, error), fail_value; \
    return IFACE (self)->vfunc (self, __VA_ARGS__); \
  } G_STMT_END

GPtrArray *
pd_store_list_ledger_since (PdStore *self, gint64 since_us, GError **error)
{
  DISPATCH (list_ledger_since, NULL, since_us, error);
}

guint
pd_store_count_pending_sms (PdStore *self, GError **error)
{
  DISPATCH (count_pending_sms, 0, error);
}

gboolean
pd_store_get_loyalty_settings (PdStore *self, PdLoyaltySettings *settings, GError **error)
{
  DISPATCH (get_loyalty_settings, FALSE, settings, error);
}

gboolean
pd_store_set_loyalty_settings (PdStore *self, const PdLoyaltySettings *settings, GError **error)
{
  DISPATCH (set_loyalty_settings, FALSE, settings, error);
}

gboolean
pd_store_sms_opt_in (PdStore *self, const char *phone, PdSmsOptInMode mode, const PdActor *actor,
                     PdConsentChange *change, GError **error)
{
  DISPATCH (sms_opt_in, FALSE, phone, mode, actor, change, error);
}

gboolean
pd_store_sms_confirm (PdStore *self, const char *phone, const PdActor *actor,
                      PdConsentChange *change, GError **error)
{
  DISPATCH (sms_confirm, FALSE, phone, actor, change, error);
}

gboolean
pd_store_sms_decline (PdStore *self, const char *phone, const PdActor *actor,
                      PdConsentChange *change, GError **error)
{
  DISPATCH (sms_decline, FALSE, phone, actor, change, error);
}

gboolean
pd_store_expire_sms_requests (PdStore *self, gint64 now_us, guint *expired, GError **error)
{
  DISPATCH (expire_sms_requests, FALSE, now_us, expired, error);
}

GPtrArray *
pd_store_list_outbox (PdStore *self, gboolean unsent_only, GError **error)
{
  DISPATCH (list_outbox, NULL, unsent_only, error);
}

gboolean
pd_store_mark_outbox_sent (PdStore *self, const gint64 *ids, guint n_ids, GError **error)
{
  DISPATCH (mark_outbox_sent, FALSE, ids, n_ids, error);
}

gboolean
pd_store_get_loyalty_status (PdStore *self, PdFieldId key, const char *value,
                             PdLoyaltyStatus *status, GError **error)
{
  DISPATCH (get_loyalty_status, FALSE, key, value, status, error);
}

/**
 * pd_store_list_ledger:
 *
 * Returns: (transfer full) (element-type PdLedgerEntry): newest first
 */
GPtrArray *
pd_store_list_ledger (PdStore  *self,
                      gint64    id,
                      GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);

  return IFACE (self)->list_ledger (self, id, error);
}

/**
 * pd_store_list_signup_sources:
 *
 * Returns: (transfer full) (element-type utf8): the signup sources in use
 */
GPtrArray *
pd_store_list_signup_sources (PdStore  *self,
                              GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);

  return IFACE (self)->list_signup_sources (self, error);
}

G_DEFINE_BOXED_TYPE (PdImportInfo, pd_import_info, pd_import_info_copy, pd_import_info_free)

PdImportInfo *
pd_import_info_new (void)
{
  return g_new0 (PdImportInfo, 1);
}

PdImportInfo *
pd_import_info_copy (const PdImportInfo *info)
{
  PdImportInfo *copy = g_new (PdImportInfo, 1);

  *copy = *info;
  copy->name = g_strdup (info->name);
  copy->user = g_strdup (info->user);
  copy->file_name = g_strdup (info->file_name);
  copy->started = info->started != NULL ? g_date_time_ref (info->started) : NULL;
  copy->mapping_json = g_strdup (info->mapping_json);
  copy->options_json = g_strdup (info->options_json);
  copy->error = g_strdup (info->error);
  return copy;
}

void
pd_import_info_free (PdImportInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->user);
  g_free (info->file_name);
  g_clear_pointer (&info->started, g_date_time_unref);
  g_free (info->mapping_json);
  g_free (info->options_json);
  g_free (info->error);
  g_free (info);
}

/* The stored (and JSON) names of the statuses: not translated. */
const char *
pd_import_status_to_string (PdImportStatus status)
{
  static const char * const names[] = {
    "pending", "in progress", "completed", "failed", "cancelled", "undone", "partly undone",
  };

  if ((guint) status >= G_N_ELEMENTS (names))
    return "failed";
  return names[status];
}

#define CHECK_VFUNC(self, vfunc, error, ret)                    \
  G_STMT_START {                                                \
    if (IFACE (self)->vfunc == NULL)                            \
      {                                                         \
        not_supported (self, error);                            \
        return ret;                                             \
      }                                                         \
  } G_STMT_END

/**
 * pd_store_begin_import:
 * @info: name, user, file name, mapping and options; id, started and status
 *   are set
 * @file_path: (nullable): the file, stored for a byte-identical download;
 *   NULL for a dry run (see pd_store_discard_import())
 *
 * Returns: the import id, or 0 with @error
 */
gint64
pd_store_begin_import (PdStore       *self,
                       PdImportInfo  *info,
                       const char    *file_path,
                       GError       **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), 0);
  CHECK_VFUNC (self, begin_import, error, 0);
  return IFACE (self)->begin_import (self, info, file_path, error);
}

/* pd_store_import_write_full() with the contacts looked up again. */
gboolean
pd_store_import_write (PdStore     *self,
                       gint64       import_id,
                       PdPersona   *persona,
                       PdPersona   *before,
                       const char  *points_reason,
                       GError     **error)
{
  return pd_store_import_write_full (self, import_id, persona, before, points_reason, FALSE, error);
}

/**
 * pd_store_import_write_full:
 * @before: (nullable): the persona as loaded before the row changed it; NULL
 *   for a persona the import creates
 * @contacts_checked: the caller looked every email and phone of @persona up
 *   (as the matcher does with --match email,phone) and found no other
 *   persona: the store need not look them up again
 *
 * Writes one persona within the import.  On failure nothing of this
 * persona is written and the import goes on.
 */
gboolean
pd_store_import_write_full (PdStore     *self,
                            gint64       import_id,
                            PdPersona   *persona,
                            PdPersona   *before,
                            const char  *points_reason,
                            gboolean     contacts_checked,
                            GError     **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  CHECK_VFUNC (self, import_write, error, FALSE);
  return IFACE (self)->import_write (self, import_id, persona, before, points_reason, contacts_checked, error);
}

gboolean
pd_store_finish_import (PdStore       *self,
                        PdImportInfo  *info,
                        GError       **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  CHECK_VFUNC (self, finish_import, error, FALSE);
  return IFACE (self)->finish_import (self, info, error);
}

void
pd_store_abort_import (PdStore      *self,
                       PdImportInfo *info)
{
  g_return_if_fail (PD_IS_STORE (self));
  if (IFACE (self)->abort_import != NULL)
    IFACE (self)->abort_import (self, info);
}

void
pd_store_discard_import (PdStore      *self,
                         PdImportInfo *info)
{
  g_return_if_fail (PD_IS_STORE (self));
  if (IFACE (self)->discard_import != NULL)
    IFACE (self)->discard_import (self, info);
}

gboolean
pd_store_import_write_result (PdStore                    *self,
                              gint64                      import_id,
                              const PdImportResultRecord *record,
                              GError                    **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  CHECK_VFUNC (self, import_write_result, error, FALSE);
  return IFACE (self)->import_write_result (self, import_id, record, error);
}

/**
 * pd_store_foreach_import_result:
 * @func: (scope call): called for each kept row, the header (row 0) first
 */
gboolean
pd_store_foreach_import_result (PdStore             *self,
                                gint64               import_id,
                                PdImportResultFunc   func,
                                gpointer             user_data,
                                GError             **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  CHECK_VFUNC (self, foreach_import_result, error, FALSE);
  return IFACE (self)->foreach_import_result (self, import_id, func, user_data, error);
}

/**
 * pd_store_request_import_sms_opt_in:
 * @counts: (out) (optional): what was marked and skipped
 */
gint
pd_store_request_import_sms_opt_in (PdStore           *self,
                                    gint64             import_id,
                                    PdSmsOptInCounts  *counts,
                                    GError           **error)
{
  PdSmsOptInCounts local = { 0 };

  g_return_val_if_fail (PD_IS_STORE (self), -1);
  CHECK_VFUNC (self, request_import_sms_opt_in, error, -1);
  if (!IFACE (self)->request_import_sms_opt_in (self, import_id, &local, error))
    return -1;
  if (counts != NULL)
    *counts = local;
  return local.marked;
}

/**
 * pd_store_list_imports:
 *
 * Returns: (transfer full) (element-type PdImportInfo): newest first
 */
GPtrArray *
pd_store_list_imports (PdStore  *self,
                       GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  CHECK_VFUNC (self, list_imports, error, NULL);
  return IFACE (self)->list_imports (self, error);
}

/**
 * pd_store_get_import:
 *
 * Returns: (transfer full) (nullable): the import, or NULL with PD_ERROR_NOT_FOUND
 */
PdImportInfo *
pd_store_get_import (PdStore  *self,
                     gint64    id,
                     GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  CHECK_VFUNC (self, get_import, error, NULL);
  return IFACE (self)->get_import (self, id, error);
}

/* Writes the original file, byte for byte, to @out. */
gboolean
pd_store_write_import_file (PdStore        *self,
                            gint64          id,
                            GOutputStream  *out,
                            GCancellable   *cancellable,
                            GError        **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  CHECK_VFUNC (self, write_import_file, error, FALSE);
  return IFACE (self)->write_import_file (self, id, out, cancellable, error);
}

/**
 * pd_store_list_audience:
 *
 * Returns: (transfer full) (element-type gint64): the ids of the personas
 *   the import touched, ascending
 */
GArray *
pd_store_list_audience (PdStore  *self,
                        gint64    import_id,
                        GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  CHECK_VFUNC (self, list_audience, error, NULL);
  return IFACE (self)->list_audience (self, import_id, error);
}

/* Removes the record and the stored file; the personas stay. */
gboolean
pd_store_delete_import (PdStore  *self,
                        gint64    id,
                        GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  CHECK_VFUNC (self, delete_import, error, FALSE);
  return IFACE (self)->delete_import (self, id, error);
}

/* Reverts a completed import; PD_ERROR_CONFLICT naming the personas that
 * later changes touched. */
gboolean
pd_store_undo_import (PdStore  *self,
                      gint64    id,
                      GError  **error)
{
  return pd_store_undo_import_with_progress (self, id, NULL, NULL, error);
}

/**
 * pd_store_undo_import_with_progress:
 * @progress: (nullable): told how far the undo is, now and then, on the
 *   calling thread (an undo of a million rows takes seconds)
 */
gboolean
pd_store_undo_import_with_progress (PdStore              *self,
                                    gint64                id,
                                    PdStoreProgressFunc   progress,
                                    gpointer              progress_data,
                                    GError              **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  CHECK_VFUNC (self, undo_import, error, FALSE);
  return IFACE (self)->undo_import (self, id, progress, progress_data, error);
}

/* Remembers a mapping (JSON) for files whose header row has @signature. */
gboolean
pd_store_save_preset (PdStore     *self,
                      const char  *signature,
                      const char  *mapping_json,
                      GError     **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  CHECK_VFUNC (self, save_preset, error, FALSE);
  return IFACE (self)->save_preset (self, signature, mapping_json, error);
}

/**
 * pd_store_lookup_preset:
 *
 * Returns: (transfer full) (nullable): the mapping JSON, or NULL (with
 *   @error unset) when none is remembered
 */
char *
pd_store_lookup_preset (PdStore     *self,
                        const char  *signature,
                        GError     **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  CHECK_VFUNC (self, lookup_preset, error, NULL);
  return IFACE (self)->lookup_preset (self, signature, error);
}

/**
 * pd_store_list_persona_imports:
 *
 * Returns: (transfer full) (element-type gint64): the imports that touched
 *   the persona, newest first
 */
GArray *
pd_store_list_persona_imports (PdStore  *self,
                               gint64    persona_id,
                               GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  CHECK_VFUNC (self, list_persona_imports, error, NULL);
  return IFACE (self)->list_persona_imports (self, persona_id, error);
}

gboolean
pd_store_set_source_id (PdStore *self, gint64 id, const char *source, const char *source_id, GError **error)
{
  DISPATCH (set_source_id, FALSE, id, source, source_id, error);
}

GPtrArray *
pd_store_list_source_ids (PdStore *self, gint64 id, GError **error)
{
  DISPATCH (list_source_ids, NULL, id, error);
}

gint64
pd_store_find_by_source_id (PdStore *self, const char *source, const char *source_id, GError **error)
{
  DISPATCH (find_by_source_id, 0, source, source_id, error);
}

gboolean
pd_store_sms_cancel (PdStore *self, const char *phone, const PdActor *actor,
                     PdConsentChange *change, GError **error)
{
  DISPATCH (sms_cancel, FALSE, phone, actor, change, error);
}

gboolean
pd_store_email_opt_in (PdStore *self, const char *email, const PdActor *actor,
                       PdConsentChange *change, GError **error)
{
  DISPATCH (email_opt_in, FALSE, email, actor, change, error);
}

gboolean
pd_store_email_decline (PdStore *self, const char *email, const PdActor *actor,
                        PdConsentChange *change, GError **error)
{
  DISPATCH (email_decline, FALSE, email, actor, change, error);
}

/**
 * pd_store_find_import_by_sha256:
 *
 * Returns: (transfer full) (nullable): the newest completed import of a
 *   file with this content, or NULL (with @error set only on failure)
 */
PdImportInfo *
pd_store_find_import_by_sha256 (PdStore     *self,
                                const char  *sha256,
                                GError     **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  g_return_val_if_fail (sha256 != NULL, NULL);
  CHECK_VFUNC (self, find_import_by_sha256, error, NULL);
  return IFACE (self)->find_import_by_sha256 (self, sha256, error);
}

gboolean
pd_store_blocklist_contains (PdStore     *self,
                             PdFieldId    key,
                             const char  *value,
                             gboolean    *blocked,
                             GError     **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (blocked != NULL, FALSE);

  *blocked = FALSE;
  /* a store without a blocklist blocks nothing: imports still run */
  if (IFACE (self)->blocklist_contains == NULL || value == NULL)
    return TRUE;
  return IFACE (self)->blocklist_contains (self, key, value, blocked, error);
}

gboolean
pd_store_blocklist_add (PdStore        *self,
                        const PdActor  *actor,
                        gint64          persona_id,
                        PdFieldId       key,
                        const char     *value,
                        guint          *n_personas,
                        GError        **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);

  if (IFACE (self)->blocklist_edit == NULL)
    return not_supported (self, error);
  return IFACE (self)->blocklist_edit (self, actor, TRUE, persona_id, key, value, n_personas, error);
}

gboolean
pd_store_blocklist_remove (PdStore        *self,
                           const PdActor  *actor,
                           gint64          persona_id,
                           PdFieldId       key,
                           const char     *value,
                           guint          *n_personas,
                           GError        **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);

  if (IFACE (self)->blocklist_edit == NULL)
    return not_supported (self, error);
  return IFACE (self)->blocklist_edit (self, actor, FALSE, persona_id, key, value, n_personas, error);
}

gboolean
pd_store_forget (PdStore                *self,
                 const PdActor          *actor,
                 const PdForgetRequest  *request,
                 PdForgetResult         *result,
                 GError                **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (request != NULL && result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  if (IFACE (self)->forget == NULL)
    return not_supported (self, error);
  return IFACE (self)->forget (self, actor, request, result, error);
}

char *
pd_import_info_dup_privacy_note (const PdImportInfo *info)
{
  if (info->privacy_removed == 0)
    return NULL;
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u row removed for privacy requests",
                                       "%u rows removed for privacy requests", info->privacy_removed),
                          info->privacy_removed);
}

/**
 * pd_store_list_undo_blockers:
 *
 * Returns: (transfer full) (element-type gint64): the personas that block
 *   a full undo of import @import_id, in id order
 */
GArray *
pd_store_list_undo_blockers (PdStore  *self,
                             gint64    import_id,
                             GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  CHECK_VFUNC (self, list_undo_blockers, error, NULL);
  return IFACE (self)->list_undo_blockers (self, import_id, error);
}

/**
 * pd_store_undo_import_keep_edited:
 * @progress: (nullable): as pd_store_undo_import_with_progress()
 * @n_kept: (out): how many personas were kept as they are
 *
 * Undoes every row of import @id but those of the personas changed after
 * it, which stay exactly as they are now (with the import's points).
 */
gboolean
pd_store_undo_import_keep_edited (PdStore              *self,
                                  const PdActor        *actor,
                                  gint64                id,
                                  PdStoreProgressFunc   progress,
                                  gpointer              progress_data,
                                  guint                *n_kept,
                                  GError              **error)
{
  guint kept = 0;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  CHECK_VFUNC (self, undo_import_keep_edited, error, FALSE);
  return IFACE (self)->undo_import_keep_edited (self, actor, id, progress, progress_data,
                                                n_kept != NULL ? n_kept : &kept, error);
}

gboolean
pd_store_import_write_row_hashes (PdStore       *self,
                                  gint64         import_id,
                                  const gint64  *hashes,
                                  guint          n_hashes,
                                  GError       **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  /* a store that keeps no fingerprints (PostgreSQL, for now) imports as before */
  if (IFACE (self)->import_write_row_hashes == NULL || n_hashes == 0)
    return TRUE;
  return IFACE (self)->import_write_row_hashes (self, import_id, hashes, n_hashes, error);
}

/**
 * pd_store_count_rows_imported_before:
 * @hashes: (array length=n_hashes): sorted, distinct
 * @n_rows: (out): how many of them completed imports applied
 *
 * Returns: (transfer full) (element-type PdRowsImportedBefore): by import,
 *   or NULL with @error
 */
GArray *
pd_store_count_rows_imported_before (PdStore       *self,
                                     const gint64  *hashes,
                                     guint          n_hashes,
                                     guint         *n_rows,
                                     GError       **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  *n_rows = 0;
  if (IFACE (self)->count_rows_imported_before == NULL || n_hashes == 0)
    return g_array_new (FALSE, FALSE, sizeof (PdRowsImportedBefore));
  return IFACE (self)->count_rows_imported_before (self, hashes, n_hashes, n_rows, error);
}

gint64
pd_store_find_imported_row (PdStore  *self,
                            gint64    hash,
                            GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), -1);
  if (IFACE (self)->find_imported_row == NULL)
    return 0;
  return IFACE (self)->find_imported_row (self, hash, error);
}

/* Orders and predicted products (issue 18) */
gint64
pd_store_add_order (PdStore *self, PdOrder *order, const PdActor *actor, GError **error)
{
  g_return_val_if_fail (order != NULL && actor != NULL, 0);
  DISPATCH (add_order, 0, order, actor, error);
}

GPtrArray *
pd_store_list_orders (PdStore *self, gint64 persona_id, GError **error)
{
  DISPATCH (list_orders, NULL, persona_id, error);
}

PdPurchaseStats *
pd_store_get_purchase_stats (PdStore *self, gint64 persona_id, GError **error)
{
  DISPATCH (get_purchase_stats, NULL, persona_id, error);
}

void
pd_api_token_free (PdApiToken *token)
{
  if (token == NULL)
    return;
  g_free (token->name);
  g_clear_pointer (&token->created, g_date_time_unref);
  g_free (token);
}

gboolean
pd_store_create_api_token (PdStore        *self,
                           const char     *name,
                           PdApiTokenAccess access,
                           const PdActor  *actor,
                           char          **token,
                           GError        **error)
{
  g_autofree char *secret = NULL;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (token != NULL, FALSE);
  CHECK_VFUNC (self, create_api_token, error, FALSE);
  if (!pd_api_token_check_name (name, error))
    return FALSE;
  secret = pd_api_token_generate (error);
  if (secret == NULL)
    return FALSE;
  hash = pd_api_token_hash (secret);
  if (!IFACE (self)->create_api_token (self, name, hash, access, actor, error))
    return FALSE;
  *token = g_steal_pointer (&secret);
  return TRUE;
}

GPtrArray *
pd_store_list_api_tokens (PdStore *self, GError **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  CHECK_VFUNC (self, list_api_tokens, error, NULL);
  return IFACE (self)->list_api_tokens (self, error);
}

gboolean
pd_store_revoke_api_token (PdStore *self, const char *name, const PdActor *actor, GError **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  CHECK_VFUNC (self, revoke_api_token, error, FALSE);
  return IFACE (self)->revoke_api_token (self, name, actor, error);
}

/**
 * pd_store_find_api_token:
 *
 * Returns: (transfer full) (nullable): the token's name and rights
 */
PdApiToken *
pd_store_find_api_token (PdStore *self, const char *token, GError **error)
{
  g_autofree char *hash = NULL;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  g_return_val_if_fail (token != NULL, NULL);
  CHECK_VFUNC (self, find_api_token, error, NULL);
  hash = pd_api_token_hash (token);
  return IFACE (self)->find_api_token (self, hash, error);
}

GPtrArray *
pd_store_list_updated_personas (PdStore *self, gint64 since_us, gint64 after_id, guint limit, GError **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  CHECK_VFUNC (self, list_updated_personas, error, NULL);
  return IFACE (self)->list_updated_personas (self, since_us, after_id, limit, error);
}

GPtrArray *
pd_store_list_ledger_page (PdStore *self, gint64 since_us, gint64 after_id, guint limit, GError **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  CHECK_VFUNC (self, list_ledger_page, error, NULL);
  return IFACE (self)->list_ledger_page (self, since_us, after_id, limit, error);
}

/* "Ann Lee (ann@example.com)", or what is left to name a persona by. */
static char *
describe_persona (PdStore *self,
                  gint64   persona_id)
{
  g_autoptr(PdPersona) persona = pd_store_get_persona (self, persona_id, NULL);
  g_autofree char *name = NULL;
  const char *contact;

  if (persona == NULL)
    /* TRANSLATORS: a persona removed since (erased, merged away) */
    return g_strdup_printf (_("a persona since removed (ID %" PRId64 ")"), persona_id);
  name = pd_persona_dup_display_name (persona);
  contact = pd_persona_get_primary_email (persona);
  if (contact == NULL)
    contact = pd_persona_get_primary_phone (persona);
  if (contact == NULL || g_strcmp0 (contact, name) == 0)
    return g_steal_pointer (&name);
  /* TRANSLATORS: a persona's name and its email (or phone) */
  return g_strdup_printf (_("%s (%s)"), name, contact);
}

/**
 * pd_store_describe_personas:
 *
 * Returns: (transfer full): "Ann Lee (ann@example.com), Bob (+1…)" for
 *   messages that name personas (an undo refused by later edits), the
 *   first 20 and how many more
 */
char *
pd_store_describe_personas (PdStore      *self,
                            const gint64 *ids,
                            guint         n_ids)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < MIN (n_ids, 20); i++)
    {
      g_autofree char *one = describe_persona (self, ids[i]);

      g_string_append_printf (out, "%s%s", i ? ", " : "", one);
    }
  if (n_ids > 20)
    g_string_append_printf (out, _(" and %u more"), n_ids - 20);
  return g_string_free (out, FALSE);
}
