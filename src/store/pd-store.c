/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdStore: the persona store interface and its thin dispatchers. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-error.h"
#include "pd-api-token.h"
#include "pd-store.h"
#include "pd-store-private.h"

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

gboolean
_pd_store_not_supported (PdStore  *self,
                         GError  **error)
{
  g_set_error (error, PD_ERROR, PD_ERROR_STORE,
               _("This store (%s) cannot do that"), G_OBJECT_TYPE_NAME (self));
  return FALSE;
}


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
    return _pd_store_not_supported (self, error), NULL;
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
    return _pd_store_not_supported (self, error);
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
    return _pd_store_not_supported (self, error);
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
    return _pd_store_not_supported (self, error);
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

/**
 * pd_store_set_wait_handler:
 * @cancellable: (nullable): cancels a wait
 * @func: (nullable): told when a wait for another desk begins and ends;
 *   NULL: waits are bounded by the lock timeout again
 *
 * See pd-store.h.  Kept by the connection until set again.
 */
void
pd_store_set_wait_handler (PdStore         *self,
                           GCancellable    *cancellable,
                           PdStoreWaitFunc  func,
                           gpointer         data)
{
  g_return_if_fail (PD_IS_STORE (self));

  if (IFACE (self)->set_wait_handler != NULL)
    IFACE (self)->set_wait_handler (self, cancellable, func, data);
}
