/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdSqliteStore: SMS consent — of one number (opt-in, the customer's YES
 * or STOP, expiry), over an import's audience, the rules every persona
 * write follows, and the outbox of texts to send. */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-loyalty.h"
#include "pd-permission.h"
#include "pd-sqlite-store-private.h"

/* The import's personas that still exist: its audience. */
/* a blocklisted persona is in no audience (issue 16) */
#define AUDIENCE "blocklisted = 0 AND id IN (SELECT persona_id FROM import_changes WHERE import_id = ?1)"
#define HAS_PHONE "EXISTS (SELECT 1 FROM phones WHERE phones.persona_id = personas.id)"

static gboolean
count_where (PdSqliteStore  *self,
             const char     *sql,
             gint64          import_id,
             guint          *count,
             GError        **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, import_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _pd_sqlite_store_fail (self, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  *count = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
request_in_transaction (PdSqliteStore     *self,
                        gint64             import_id,
                        PdSmsOptInCounts  *counts,
                        GError           **error)
{
  sqlite3_stmt *stmt;

  if (!count_where (self, "SELECT count(*) FROM imports WHERE id = ?1", import_id, &counts->marked, error))
    return FALSE;
  if (counts->marked == 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No import with ID %" PRId64), import_id);
      return FALSE;
    }
  if (!count_where (self, "SELECT count(*) FROM personas WHERE " AUDIENCE " AND sms_opt_out <> 0",
                    import_id, &counts->opted_out, error) ||
      !count_where (self, "SELECT count(*) FROM personas WHERE " AUDIENCE " AND sms_opt_out = 0 AND NOT "
                          HAS_PHONE, import_id, &counts->no_phone, error) ||
      !count_where (self, "SELECT count(*) FROM personas WHERE " AUDIENCE " AND sms_opt_out = 0 AND "
                          "sms_consent <> 0 AND " HAS_PHONE, import_id, &counts->already, error))
    return FALSE;

  /* Each persona marked gets its confirmation text in the outbox (the
   * same WHERE as the UPDATE below, which it must run before). */
  stmt = _pd_sqlite_store_prepare (self,
    "INSERT OR FAIL INTO outbox (kind, phone, persona_id, created) "
    "SELECT 'double-opt-in', primary_phone, id, ?2 FROM personas WHERE " AUDIENCE
    " AND sms_opt_out = 0 AND sms_consent = 0 AND primary_phone IS NOT NULL AND " HAS_PHONE, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, import_id);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  if (!_pd_sqlite_store_step_done (self, stmt, error))
    return FALSE;

  /* Only the consent column changes: changed_by_import keeps the import's
   * mark, so that this request does not block undoing the import (whose
   * undo puts the consent back as it was before the import). */
  stmt = _pd_sqlite_store_prepare (self,
    /* updated: a write like any other for the API's updated_since */
    "UPDATE personas SET sms_consent = ?2, updated = ?3 WHERE " AUDIENCE " AND sms_opt_out = 0 AND "
    "sms_consent = 0 AND " HAS_PHONE, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, import_id);
  sqlite3_bind_int (stmt, 2, PD_SMS_CONSENT_PENDING);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  if (!_pd_sqlite_store_step_done (self, stmt, error))
    return FALSE;
  counts->marked = sqlite3_changes (self->db);
  return TRUE;
}

static gboolean
audit_audience (PdSqliteStore           *self,
                const PdActor           *actor,
                gint64                   import_id,
                const PdSmsOptInCounts  *counts,
                GError                 **error)
{
  g_autoptr(JsonObject) detail = json_object_new ();

  json_object_set_int_member (detail, "import_id", import_id);
  json_object_set_int_member (detail, "marked", counts->marked);
  json_object_set_int_member (detail, "opted_out", counts->opted_out);
  json_object_set_int_member (detail, "already", counts->already);
  json_object_set_int_member (detail, "no_phone", counts->no_phone);
  return _pd_sqlite_store_audit (self, actor, "consent.sms-audience", 0, detail, error);
}

static gboolean
sqlite_request_import_sms_opt_in_as (PdStore           *store,
                                     gint64             import_id,
                                     const PdActor     *actor,
                                     PdSmsOptInCounts  *counts,
                                     GError           **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);

  g_return_val_if_fail (!self->in_import, FALSE);

  *counts = (PdSmsOptInCounts) { 0 };
  if (!pd_actor_check (actor, PD_PERMISSION_EDIT, error) ||
      !_pd_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!request_in_transaction (self, import_id, counts, error) ||
      !audit_audience (self, actor, import_id, counts, error) ||
      !_pd_sqlite_store_exec (self, "COMMIT", error))
    {
      _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
      *counts = (PdSmsOptInCounts) { 0 };
      return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_request_import_sms_opt_in (PdStore           *store,
                                  gint64             import_id,
                                  PdSmsOptInCounts  *counts,
                                  GError           **error)
{
  return sqlite_request_import_sms_opt_in_as (store, import_id, NULL, counts, error);
}

/* ---- the rules of every persona write ------------------------------- */

gboolean
_pd_sqlite_store_has_consent_contacts (PdSqliteStore *self)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, "SELECT EXISTS (SELECT 1 FROM consent_contacts)", NULL);
  gboolean any = FALSE;

  if (stmt == NULL)
    return TRUE;   /* look each number up rather than miss one */
  if (sqlite3_step (stmt) == SQLITE_ROW)
    any = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  return any;
}

static gboolean
is_new_phone (PdPersona  *before,
              const char *phone)
{
  return before == NULL ||
         !g_ptr_array_find_with_equal_func (pd_persona_get_phones (before), phone, g_str_equal, NULL);
}

static gboolean
may_have_contacts (PdSqliteStore *self)
{
  return self->in_import ? self->import_has_contacts : _pd_sqlite_store_has_consent_contacts (self);
}

/* Returns the contact's state (NONE when there is none), or -1 on error. */
static int
contact_state (PdSqliteStore  *self,
               const char     *phone,
               gboolean       *loyalty,
               GError        **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "SELECT state, loyalty FROM consent_contacts WHERE phone = ?", error);
  int state = PD_CONSENT_STATE_NONE;
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, phone, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      state = sqlite3_column_int (stmt, 0);
      if (loyalty != NULL)
        *loyalty = sqlite3_column_int (stmt, 1) != 0;
    }
  else if (rc != SQLITE_DONE)
    state = -1, _pd_sqlite_store_fail (self, error);
  sqlite3_reset (stmt);
  return state;
}

/* Before the row is written: an explicit opt-out stays whatever the writer
 * sent (an app edit, an import, an API call), and a number new to this
 * persona brings the consent recorded for it while no persona held it. */
gboolean
_pd_sqlite_store_consent_before_write (PdSqliteStore  *self,
                                       PdPersona      *persona,
                                       PdPersona      *before,
                                       GError        **error)
{
  GPtrArray *phones = pd_persona_get_phones (persona);

  if (before != NULL && pd_persona_get_sms_opt_out (before))
    pd_persona_set_sms_opt_out (persona, TRUE);

  if (phones->len > 0 && may_have_contacts (self))
    for (guint i = 0; i < phones->len; i++)
      {
        const char *phone = g_ptr_array_index (phones, i);
        gboolean loyalty = FALSE;
        int state;

        if (!is_new_phone (before, phone))
          continue;
        state = contact_state (self, phone, &loyalty, error);
        if (state < 0)
          return FALSE;
        if (state == PD_CONSENT_STATE_OPTED_OUT)
          pd_persona_set_sms_opt_out (persona, TRUE);
        else if (state == PD_CONSENT_STATE_OPTED_IN)
          {
            pd_persona_set_sms_consent (persona, PD_SMS_CONSENT_OPTED_IN);
            if (loyalty)
              pd_persona_set_loyalty (persona, TRUE);
          }
        else if (state == PD_CONSENT_STATE_PENDING &&
                 pd_persona_get_sms_consent (persona) == PD_SMS_CONSENT_NONE)
          pd_persona_set_sms_consent (persona, PD_SMS_CONSENT_PENDING);
      }

  if (pd_persona_get_sms_opt_out (persona))
    pd_persona_set_sms_consent (persona, PD_SMS_CONSENT_NONE);
  return TRUE;
}

static gint64
queue_text (PdSqliteStore  *self,
            const char     *phone,
            gint64          persona_id,
            GError        **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "INSERT OR FAIL INTO outbox (kind, phone, persona_id, created) VALUES ('double-opt-in', ?, ?, ?)", error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, phone, -1, SQLITE_STATIC);
  if (persona_id != 0)
    sqlite3_bind_int64 (stmt, 2, persona_id);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  if (!_pd_sqlite_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (self->db);
}

static gboolean
run_text_id (PdSqliteStore  *self,
             const char     *sql,
             const char     *text,
             gint64          id,
             GError        **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  return _pd_sqlite_store_step_done (self, stmt, error);
}

/* After the row is written (the persona has its id): a number taken over
 * leaves the consent-only contacts (an opt-out stays there too, so that
 * undoing the import or creation that took it over cannot lose it), its
 * queued texts now belong to the persona, and consent that became pending
 * queues the confirmation text. */
gboolean
_pd_sqlite_store_consent_after_write (PdSqliteStore  *self,
                                      PdPersona      *persona,
                                      PdPersona      *before,
                                      GError        **error)
{
  GPtrArray *phones = pd_persona_get_phones (persona);
  gint64 id = pd_persona_get_id (persona);
  gboolean took_request = FALSE;

  if (phones->len > 0 && may_have_contacts (self))
    for (guint i = 0; i < phones->len; i++)
      {
        const char *phone = g_ptr_array_index (phones, i);

        if (!is_new_phone (before, phone))
          continue;
        if (!run_text_id (self, "DELETE FROM consent_contacts WHERE phone = ?1 AND state <> ?2",
                          phone, PD_CONSENT_STATE_OPTED_OUT, error) ||
            !run_text_id (self, "UPDATE outbox SET persona_id = ?2 WHERE phone = ?1 AND persona_id IS NULL",
                          phone, id, error))
          return FALSE;
        took_request |= sqlite3_changes (self->db) > 0;
      }

  self->last_outbox_id = 0;
  if (pd_persona_get_sms_consent (persona) == PD_SMS_CONSENT_PENDING && !took_request &&
      (before == NULL || pd_persona_get_sms_consent (before) != PD_SMS_CONSENT_PENDING) &&
      pd_persona_get_primary_phone (persona) != NULL)
    {
      self->last_outbox_id = queue_text (self, pd_persona_get_primary_phone (persona), id, error);
      if (self->last_outbox_id == 0)
        return FALSE;
    }
  return TRUE;
}

/* ---- one number ------------------------------------------------------ */

typedef enum {
  REQUEST_OPT_IN,
  REQUEST_CONFIRM,
  REQUEST_DECLINE,
  REQUEST_CANCEL,
} Request;

static gint64
active_owner (PdSqliteStore  *self,
              const char     *phone,
              GError        **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "SELECT persona_id FROM phones WHERE phone = ? AND scope = 0", error);
  gint64 id = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, phone, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    id = -1, _pd_sqlite_store_fail (self, error);
  sqlite3_reset (stmt);
  return id;
}

/* The state a request leads to, by the rules of pd-loyalty.c. */
static gboolean
next_state (Request           request,
            PdSmsOptInMode    mode,
            PdConsentState    state,
            PdConsentState   *new_state,
            gboolean         *loyalty,
            GError          **error)
{
  *loyalty = FALSE;
  switch (request)
    {
    case REQUEST_CONFIRM:
      *loyalty = TRUE;
      return pd_sms_consent_confirm (state, new_state, error);
    case REQUEST_DECLINE:
      *new_state = PD_CONSENT_STATE_OPTED_OUT;
      return TRUE;
    case REQUEST_CANCEL:
      return pd_sms_consent_cancel (state, new_state, error);
    case REQUEST_OPT_IN:
    default:
      return pd_sms_consent_request (state, mode, new_state, loyalty, error);
    }
}

static gboolean
change_persona (PdSqliteStore    *self,
                gint64            id,
                Request           request,
                PdSmsOptInMode    mode,
                const PdActor    *actor,
                PdConsentChange  *change,
                GError          **error)
{
  g_autoptr(PdPersona) persona = _pd_sqlite_store_load_persona (self, id, NULL, error);
  g_autoptr(PdPersona) before = NULL;
  PdConsentState state;
  gboolean loyalty;

  if (persona == NULL)
    return FALSE;
  change->persona_id = id;
  change->before = pd_persona_get_sms_state (persona);
  if (!next_state (request, mode, change->before, &state, &loyalty, error))
    return FALSE;
  change->after = state;
  before = pd_persona_copy (persona);
  if (state == PD_CONSENT_STATE_OPTED_OUT)
    pd_persona_set_sms_opt_out (persona, TRUE);
  else
    pd_persona_set_sms_consent (persona, state == PD_CONSENT_STATE_OPTED_IN ? PD_SMS_CONSENT_OPTED_IN
                                         : state == PD_CONSENT_STATE_PENDING ? PD_SMS_CONSENT_PENDING
                                         : PD_SMS_CONSENT_NONE);
  if (loyalty && !pd_persona_get_loyalty (persona))
    {
      pd_persona_set_loyalty (persona, TRUE);
      change->enrolled = TRUE;
    }
  if (!_pd_sqlite_store_write_persona_full (self, persona, before, actor, 0, NULL, error))
    return FALSE;
  change->outbox_id = self->last_outbox_id;
  return TRUE;
}

/* A number no active persona holds: its consent is kept on its own until
 * a persona takes the number (see _pd_sqlite_store_consent_before_write). */
static gboolean
change_contact (PdSqliteStore    *self,
                const char       *phone,
                Request           request,
                PdSmsOptInMode    mode,
                PdConsentChange  *change,
                GError          **error)
{
  sqlite3_stmt *stmt;
  PdConsentState state;
  gboolean had_loyalty = FALSE, loyalty;
  int current = contact_state (self, phone, &had_loyalty, error);

  if (current < 0)
    return FALSE;
  change->before = current;
  if (!next_state (request, mode, current, &state, &loyalty, error))
    return FALSE;
  change->after = state;
  stmt = _pd_sqlite_store_prepare (self,
    "INSERT INTO consent_contacts (phone, state, loyalty, since) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (phone) DO UPDATE SET state = ?2, loyalty = ?3, "
    "since = CASE WHEN state = ?2 THEN since ELSE ?4 END", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, phone, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, state);
  sqlite3_bind_int (stmt, 3, loyalty || had_loyalty);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  if (!_pd_sqlite_store_step_done (self, stmt, error))
    return FALSE;
  if (state == PD_CONSENT_STATE_PENDING && current != PD_CONSENT_STATE_PENDING)
    {
      change->outbox_id = queue_text (self, phone, 0, error);
      if (change->outbox_id == 0)
        return FALSE;
    }
  return TRUE;
}

/* The audit log's action of each request */
static const char * const request_actions[] = {
  [REQUEST_OPT_IN] = "consent.sms-opt-in",
  [REQUEST_CONFIRM] = "consent.sms-confirm",
  [REQUEST_DECLINE] = "consent.sms-decline",
  [REQUEST_CANCEL] = "consent.sms-cancel",
};

static gboolean
change_number (PdStore          *store,
               const char       *phone,
               Request           request,
               PdSmsOptInMode    mode,
               const PdActor    *actor,
               PdConsentChange  *change,
               GError          **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  gint64 id;

  g_return_val_if_fail (!self->in_import, FALSE);
  g_return_val_if_fail (phone != NULL && phone[0] == '+', FALSE);

  *change = (PdConsentChange) { 0 };
  if (!pd_actor_check (actor, PD_PERMISSION_EDIT, error))
    return FALSE;
  /* A blocklisted number is never contacted: its STOP is already true and
   * is not kept (that would store the number again); anything else is
   * refused without saying whose it was. */
  if (request == REQUEST_DECLINE)
    {
      gboolean blocked;

      if (!pd_store_blocklist_contains (store, PD_FIELD_PHONE, phone, &blocked, error))
        return FALSE;
      if (blocked)
        {
          change->before = change->after = PD_CONSENT_STATE_OPTED_OUT;
          return TRUE;
        }
    }
  else if (!_pd_sqlite_store_refuse_blocklisted (self, PD_FIELD_PHONE, phone, error))
    return FALSE;
  if (!_pd_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  id = active_owner (self, phone, error);
  if (id < 0 ||
      !(id > 0 ? change_persona (self, id, request, mode, actor, change, error)
               : change_contact (self, phone, request, mode, change, error)) ||
      !_pd_sqlite_store_audit_consent (self, actor, request_actions[request], "phone", phone, change, error) ||
      !_pd_sqlite_store_exec (self, "COMMIT", error))
    {
      _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
      *change = (PdConsentChange) { 0 };
      return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_sms_opt_in (PdStore *store, const char *phone, PdSmsOptInMode mode, const PdActor *actor,
                   PdConsentChange *change, GError **error)
{
  return change_number (store, phone, REQUEST_OPT_IN, mode, actor, change, error);
}

static gboolean
sqlite_sms_confirm (PdStore *store, const char *phone, const PdActor *actor,
                    PdConsentChange *change, GError **error)
{
  return change_number (store, phone, REQUEST_CONFIRM, PD_SMS_OPT_IN_FORCE, actor, change, error);
}

static gboolean
sqlite_sms_decline (PdStore *store, const char *phone, const PdActor *actor,
                    PdConsentChange *change, GError **error)
{
  return change_number (store, phone, REQUEST_DECLINE, PD_SMS_OPT_IN_FORCE, actor, change, error);
}

static gboolean
sqlite_sms_cancel (PdStore *store, const char *phone, const PdActor *actor,
                   PdConsentChange *change, GError **error)
{
  return change_number (store, phone, REQUEST_CANCEL, PD_SMS_OPT_IN_FORCE, actor, change, error);
}

/* Like the import's request, expiry changes only the consent column. */
static gboolean
sqlite_expire_sms_requests (PdStore   *store,
                            gint64     now_us,
                            guint     *expired,
                            GError   **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  PdLoyaltySettings settings;
  sqlite3_stmt *stmt;
  gint64 cutoff;
  guint n = 0;

  g_return_val_if_fail (!self->in_import, FALSE);

  if (expired != NULL)
    *expired = 0;
  if (!_pd_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!_pd_sqlite_store_get_settings (self, &settings, error))
    goto fail;
  if (settings.double_opt_in_expiry_days == 0)
    return _pd_sqlite_store_exec (self, "COMMIT", error);
  cutoff = (now_us != 0 ? now_us : g_get_real_time ()) -
           (gint64) settings.double_opt_in_expiry_days * 24 * 3600 * G_USEC_PER_SEC;

  stmt = _pd_sqlite_store_prepare (self,
    "UPDATE personas SET sms_consent = 0, updated = ?3 WHERE sms_consent = ?2 AND id IN "
    "(SELECT persona_id FROM outbox WHERE kind = 'double-opt-in' AND persona_id IS NOT NULL "
    "GROUP BY persona_id HAVING max(created) < ?1)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, cutoff);
  sqlite3_bind_int (stmt, 2, PD_SMS_CONSENT_PENDING);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  if (!_pd_sqlite_store_step_done (self, stmt, error))
    goto fail;
  n = sqlite3_changes (self->db);
  stmt = _pd_sqlite_store_prepare (self, "DELETE FROM consent_contacts WHERE state = ?2 AND since < ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, cutoff);
  sqlite3_bind_int (stmt, 2, PD_CONSENT_STATE_PENDING);
  if (!_pd_sqlite_store_step_done (self, stmt, error))
    goto fail;
  n += sqlite3_changes (self->db);
  if (!_pd_sqlite_store_exec (self, "COMMIT", error))
    goto fail;
  if (expired != NULL)
    *expired = n;
  return TRUE;

fail:
  _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
  return FALSE;
}

/* ---- the outbox ------------------------------------------------------ */

static GPtrArray *
sqlite_list_outbox (PdStore   *store,
                    gboolean   unsent_only,
                    GError   **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_outbox_message_free);
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "SELECT id, kind, phone, persona_id, created, sent FROM outbox WHERE NOT ?1 OR sent IS NULL ORDER BY id",
    error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, unsent_only);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdOutboxMessage *m = g_new0 (PdOutboxMessage, 1);

      m->id = sqlite3_column_int64 (stmt, 0);
      m->kind = g_strdup (_pd_sqlite_store_column_text (stmt, 1));
      m->phone = g_strdup (_pd_sqlite_store_column_text (stmt, 2));
      m->persona_id = sqlite3_column_int64 (stmt, 3);
      m->created = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 4) / G_USEC_PER_SEC);
      if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
        m->sent = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 5) / G_USEC_PER_SEC);
      g_ptr_array_add (messages, m);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error), NULL;
  return g_steal_pointer (&messages);
}

static gboolean
sqlite_mark_outbox_sent_as (PdStore        *store,
                            const gint64   *ids,
                            guint           n_ids,
                            const PdActor  *actor,
                            GError        **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autoptr(JsonArray) marked = json_array_new ();
  sqlite3_stmt *stmt;

  if (!pd_actor_check (actor, PD_PERMISSION_EDIT, error) ||
      !_pd_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  for (guint i = 0; i < n_ids; i++)
    {
      stmt = _pd_sqlite_store_prepare (self, "UPDATE outbox SET sent = coalesce(sent, ?2) WHERE id = ?1", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, ids[i]);
      sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
      if (!_pd_sqlite_store_step_done (self, stmt, error))
        goto fail;
      if (sqlite3_changes (self->db) == 0)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No outbox message with ID %" PRId64), ids[i]);
          goto fail;
        }
      json_array_add_int_element (marked, ids[i]);
    }
  json_object_set_array_member (detail, "ids", json_array_ref (marked));
  if (!_pd_sqlite_store_audit (self, actor, "outbox.sent", 0, detail, error))
    goto fail;
  return _pd_sqlite_store_exec (self, "COMMIT", error) || (_pd_sqlite_store_exec (self, "ROLLBACK", NULL), FALSE);

fail:
  _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
  return FALSE;
}

static gboolean
sqlite_mark_outbox_sent (PdStore       *store,
                         const gint64  *ids,
                         guint          n_ids,
                         GError       **error)
{
  return sqlite_mark_outbox_sent_as (store, ids, n_ids, NULL, error);
}

/* Personas waiting for their YES (a partial index of schema 11 keeps it
 * one short index scan) and numbers opted in without a persona yet. */
static guint
sqlite_count_pending_sms (PdStore  *store,
                          GError  **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "SELECT (SELECT count(*) FROM personas WHERE sms_consent = 1 AND state = 0)"
    " + (SELECT count(*) FROM consent_contacts WHERE state = ?)", error);
  guint n = 0;

  if (stmt == NULL)
    return 0;
  G_STATIC_ASSERT (PD_SMS_CONSENT_PENDING == 1);
  sqlite3_bind_int (stmt, 1, PD_CONSENT_STATE_PENDING);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = (guint) sqlite3_column_int64 (stmt, 0);
  else
    _pd_sqlite_store_fail (self, error);
  sqlite3_reset (stmt);
  return n;
}

void
_pd_sqlite_store_init_consent (PdStoreInterface *iface)
{
  iface->count_pending_sms = sqlite_count_pending_sms;
  iface->request_import_sms_opt_in = sqlite_request_import_sms_opt_in;
  iface->sms_opt_in = sqlite_sms_opt_in;
  iface->sms_confirm = sqlite_sms_confirm;
  iface->sms_decline = sqlite_sms_decline;
  iface->sms_cancel = sqlite_sms_cancel;
  iface->expire_sms_requests = sqlite_expire_sms_requests;
  iface->list_outbox = sqlite_list_outbox;
  iface->mark_outbox_sent = sqlite_mark_outbox_sent;
  iface->mark_outbox_sent_as = sqlite_mark_outbox_sent_as;
  iface->request_import_sms_opt_in_as = sqlite_request_import_sms_opt_in_as;
}
