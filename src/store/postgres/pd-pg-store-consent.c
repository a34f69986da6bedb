/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPgStore: SMS consent of one number (opt-in, the customer's YES or
 * STOP, a request withdrawn, expiry) and over an import's audience, email
 * consent of one address, and the outbox of texts to send.  The SQLite
 * store's pd-sqlite-store-consent.c and -email.c are the reference; the
 * transitions are core's (pd-loyalty.c).  Each change is one transaction,
 * the persona or the consent-only number locked while it is decided, so
 * that two desks answering the same number take turns. */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-loyalty.h"
#include "pd-pg-store-private.h"

static char *
int_text (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

typedef enum {
  REQUEST_OPT_IN,
  REQUEST_CONFIRM,
  REQUEST_DECLINE,
  REQUEST_CANCEL,
} Request;

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

/* The active persona holding @value in @table (emails or phones), or 0;
 * -1 on error. */
static gint64
active_owner (PdPgStore   *self,
              const char  *sql,
              const char  *value,
              GError     **error)
{
  const char *values[] = { value };
  g_autoptr(PGresult) result = _pd_pg_query (self, sql, 1, values, error);

  if (result == NULL)
    return -1;
  return PQntuples (result) > 0 ? _pd_pg_int64 (result, 0, 0) : 0;
}

static gboolean
change_persona (PdPgStore        *self,
                gint64            id,
                Request           request,
                PdSmsOptInMode    mode,
                const PdActor    *actor,
                PdConsentChange  *change,
                GError          **error)
{
  g_autoptr(PdPersona) persona = _pd_pg_load_persona (self, id, TRUE, error);
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
  if (!_pd_pg_save_persona (self, persona, before, actor, NULL, error))
    return FALSE;
  change->outbox_id = self->last_outbox_id;
  return TRUE;
}

/* A number no active persona holds: its consent is kept on its own until
 * a persona takes the number (_pd_pg_prepare_write()).  The row is locked
 * (or, when there is none yet, the insert decides). */
static gboolean
change_contact (PdPgStore        *self,
                const char       *phone,
                Request           request,
                PdSmsOptInMode    mode,
                PdConsentChange  *change,
                GError          **error)
{
  const char *lookup_values[] = { phone };
  g_autoptr(PGresult) current = _pd_pg_query (self,
    "SELECT state, loyalty FROM consent_contacts WHERE phone = $1 FOR UPDATE", 1, lookup_values, error);
  g_autoptr(PGresult) written = NULL;
  g_autofree char *state_text = NULL;
  g_autofree char *now = int_text (g_get_real_time ());
  PdConsentState state, before = PD_CONSENT_STATE_NONE;
  gboolean had_loyalty = FALSE, loyalty;
  const char *values[4];

  if (current == NULL)
    return FALSE;
  if (PQntuples (current) > 0)
    {
      before = (PdConsentState) _pd_pg_int64 (current, 0, 0);
      had_loyalty = _pd_pg_int64 (current, 0, 1) != 0;
    }
  change->before = before;
  if (!next_state (request, mode, before, &state, &loyalty, error))
    return FALSE;
  change->after = state;
  state_text = int_text (state);
  values[0] = phone;
  values[1] = state_text;
  values[2] = loyalty || had_loyalty ? "1" : "0";
  values[3] = now;
  written = _pd_pg_query (self,
    "INSERT INTO consent_contacts (phone, state, loyalty, since) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (phone) DO UPDATE SET state = excluded.state, loyalty = excluded.loyalty, "
    "since = CASE WHEN consent_contacts.state = excluded.state THEN consent_contacts.since ELSE excluded.since END",
    4, values, error);
  if (written == NULL)
    return FALSE;
  if (state == PD_CONSENT_STATE_PENDING && before != PD_CONSENT_STATE_PENDING)
    {
      change->outbox_id = _pd_pg_queue_text (self, phone, 0, error);
      if (change->outbox_id == 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
change_number (PdStore          *store,
               const char       *phone,
               Request           request,
               PdSmsOptInMode    mode,
               const PdActor    *actor,
               PdConsentChange  *change,
               GError          **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  const char *values[] = { phone, NULL };
  g_autofree char *locks = _pd_pg_contact_locks_sql (values, -1);
  g_autofree char *begin = NULL;
  gint64 id;

  g_return_val_if_fail (!self->in_import, FALSE);
  g_return_val_if_fail (phone != NULL && phone[0] == '+', FALSE);

  *change = (PdConsentChange) { 0 };
  /* the number locked first: a persona taking it, or another desk's
   * answer for it, waits (see _pd_pg_contact_lock_key()) */
  begin = g_strconcat ("BEGIN; ", locks, NULL);
  if (!_pd_pg_exec (self, begin, error))
    {
      _pd_pg_rollback (self);
      return FALSE;
    }
  /* split_part: phones_live's expression, an index probe */
  id = active_owner (self, "SELECT persona_id FROM phones WHERE split_part(phone, ';', 1) = split_part($1, ';', 1) "
                           "AND phone = $1 AND live", phone, error);
  if (id < 0 ||
      !(id > 0 ? change_persona (self, id, request, mode, actor, change, error)
               : change_contact (self, phone, request, mode, change, error)) ||
      !_pd_pg_exec (self, "COMMIT", error))
    {
      _pd_pg_rollback (self);
      *change = (PdConsentChange) { 0 };
      return FALSE;
    }
  return TRUE;
}

static gboolean
pg_sms_opt_in (PdStore *store, const char *phone, PdSmsOptInMode mode, const PdActor *actor,
               PdConsentChange *change, GError **error)
{
  return change_number (store, phone, REQUEST_OPT_IN, mode, actor, change, error);
}

static gboolean
pg_sms_confirm (PdStore *store, const char *phone, const PdActor *actor,
                PdConsentChange *change, GError **error)
{
  return change_number (store, phone, REQUEST_CONFIRM, PD_SMS_OPT_IN_FORCE, actor, change, error);
}

static gboolean
pg_sms_decline (PdStore *store, const char *phone, const PdActor *actor,
                PdConsentChange *change, GError **error)
{
  return change_number (store, phone, REQUEST_DECLINE, PD_SMS_OPT_IN_FORCE, actor, change, error);
}

static gboolean
pg_sms_cancel (PdStore *store, const char *phone, const PdActor *actor,
               PdConsentChange *change, GError **error)
{
  return change_number (store, phone, REQUEST_CANCEL, PD_SMS_OPT_IN_FORCE, actor, change, error);
}

/* Like the import's request, expiry changes only the consent column. */
static gboolean
pg_expire_sms_requests (PdStore   *store,
                        gint64     now_us,
                        guint     *expired,
                        GError   **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  PdLoyaltySettings settings;
  g_autofree char *cutoff = NULL;
  g_autofree char *pending = int_text (PD_SMS_CONSENT_PENDING);
  g_autofree char *contact_pending = int_text (PD_CONSENT_STATE_PENDING);
  g_autoptr(PGresult) personas = NULL;
  g_autoptr(PGresult) contacts = NULL;
  const char *values[2];

  g_return_val_if_fail (!self->in_import, FALSE);

  if (expired != NULL)
    *expired = 0;
  if (!_pd_pg_exec (self, "BEGIN", error))
    return FALSE;
  if (!_pd_pg_get_settings (self, &settings, error))
    goto fail;
  if (settings.double_opt_in_expiry_days == 0)
    return _pd_pg_exec (self, "COMMIT", error);
  cutoff = int_text ((now_us != 0 ? now_us : g_get_real_time ()) -
                     (gint64) settings.double_opt_in_expiry_days * 24 * 3600 * G_USEC_PER_SEC);
  values[0] = cutoff;
  values[1] = pending;
  personas = _pd_pg_query (self,
    "UPDATE personas SET sms_consent = 0 WHERE sms_consent = $2 AND id IN "
    "(SELECT persona_id FROM outbox WHERE kind = 'double-opt-in' AND persona_id IS NOT NULL "
    "GROUP BY persona_id HAVING max(created) < $1)", 2, values, error);
  if (personas == NULL)
    goto fail;
  values[1] = contact_pending;
  contacts = _pd_pg_query (self, "DELETE FROM consent_contacts WHERE state = $2 AND since < $1", 2, values, error);
  if (contacts == NULL || !_pd_pg_exec (self, "COMMIT", error))
    goto fail;
  if (expired != NULL)
    *expired = (guint) (g_ascii_strtoll (PQcmdTuples (personas), NULL, 10) +
                        g_ascii_strtoll (PQcmdTuples (contacts), NULL, 10));
  return TRUE;

fail:
  _pd_pg_rollback (self);
  return FALSE;
}

/* ---- an import's audience -------------------------------------------- */

#define AUDIENCE "id IN (SELECT persona_id FROM import_changes WHERE import_id = $1)"
#define HAS_PHONE "EXISTS (SELECT 1 FROM phones WHERE phones.persona_id = personas.id)"

/* The counts, the texts and the change in one statement each way: the
 * audience's rows are locked by the UPDATE, so a desk editing one of them
 * meanwhile waits (and then sees its consent pending). */
static gboolean
pg_request_import_sms_opt_in (PdStore           *store,
                              gint64             import_id,
                              PdSmsOptInCounts  *counts,
                              GError           **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autofree char *id = int_text (import_id);
  g_autofree char *now = int_text (g_get_real_time ());
  g_autofree char *pending = int_text (PD_SMS_CONSENT_PENDING);
  const char *values[] = { id, now, pending };
  g_autoptr(PGresult) found = NULL;
  g_autoptr(PGresult) marked = NULL;

  g_return_val_if_fail (!self->in_import, FALSE);

  *counts = (PdSmsOptInCounts) { 0 };
  if (!_pd_pg_exec (self, "BEGIN", error))
    return FALSE;
  found = _pd_pg_query (self,
    "SELECT (SELECT count(*) FROM imports WHERE id = $1), "
    "count(*) FILTER (WHERE sms_opt_out <> 0), "
    "count(*) FILTER (WHERE sms_opt_out = 0 AND NOT " HAS_PHONE "), "
    "count(*) FILTER (WHERE sms_opt_out = 0 AND sms_consent <> 0 AND " HAS_PHONE ") "
    "FROM personas WHERE " AUDIENCE, 1, values, error);
  if (found == NULL)
    goto fail;
  if (_pd_pg_int64 (found, 0, 0) == 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No import with ID %" PRId64), import_id);
      goto fail;
    }
  /* Only the consent column changes: changed_by_import keeps the import's
   * mark, so that this request does not block undoing the import.  Each
   * persona marked gets its confirmation text. */
  marked = _pd_pg_query (self,
    "WITH marked AS (UPDATE personas SET sms_consent = $3::smallint WHERE " AUDIENCE
    " AND sms_opt_out = 0 AND sms_consent = 0 AND " HAS_PHONE " RETURNING id, primary_phone), "
    "texts AS (INSERT INTO outbox (kind, phone, persona_id, created) "
    "SELECT 'double-opt-in', primary_phone, id, $2::bigint FROM marked WHERE primary_phone IS NOT NULL "
    "ORDER BY id RETURNING id) "
    "SELECT count(*) FROM marked", 3, values, error);
  if (marked == NULL || !_pd_pg_exec (self, "COMMIT", error))
    goto fail;
  counts->opted_out = (guint) _pd_pg_int64 (found, 0, 1);
  counts->no_phone = (guint) _pd_pg_int64 (found, 0, 2);
  counts->already = (guint) _pd_pg_int64 (found, 0, 3);
  counts->marked = PQntuples (marked) > 0 ? (guint) _pd_pg_int64 (marked, 0, 0) : 0;
  return TRUE;

fail:
  _pd_pg_rollback (self);
  *counts = (PdSmsOptInCounts) { 0 };
  return FALSE;
}

/* ---- email ----------------------------------------------------------- */

static gboolean
change_address_in_transaction (PdPgStore        *self,
                               const char       *email,
                               gboolean          decline,
                               const PdActor    *actor,
                               PdConsentChange  *change,
                               GError          **error)
{
  g_autoptr(PdPersona) persona = NULL;
  g_autoptr(PdPersona) before = NULL;
  const char *values[] = { email, NULL, NULL };
  g_autoptr(PGresult) opted_out = NULL;
  PdConsentState state;
  gint64 id = active_owner (self, "SELECT persona_id FROM emails WHERE email = $1 AND live", email, error);

  if (id < 0)
    return FALSE;
  if (id > 0)
    {
      persona = _pd_pg_load_persona (self, id, TRUE, error);
      if (persona == NULL)
        return FALSE;
    }
  opted_out = _pd_pg_query (self, "SELECT EXISTS (SELECT 1 FROM email_opt_outs WHERE email = $1)", 1, values, error);
  if (opted_out == NULL)
    return FALSE;
  change->persona_id = id;
  change->before = g_strcmp0 (_pd_pg_text (opted_out, 0, 0), "t") == 0 ? PD_CONSENT_STATE_OPTED_OUT
                   : persona != NULL && pd_persona_get_email_opt_in (persona) ? PD_CONSENT_STATE_OPTED_IN
                   : PD_CONSENT_STATE_NONE;
  if (decline)
    {
      g_autofree char *now = int_text (g_get_real_time ());
      g_autoptr(PGresult) result = NULL;

      values[1] = now;
      values[2] = actor != NULL ? actor->who : NULL;
      result = _pd_pg_query (self, "INSERT INTO email_opt_outs (email, since, actor) VALUES ($1, $2, $3) "
                                   "ON CONFLICT (email) DO NOTHING", 3, values, error);
      if (result == NULL)
        return FALSE;
      state = PD_CONSENT_STATE_OPTED_OUT;
    }
  else
    {
      if (!pd_email_consent_request (change->before, &state, error))
        return FALSE;
      if (persona == NULL)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No persona with email %s"), email);
          return FALSE;
        }
    }
  change->after = state;
  if (persona == NULL || pd_persona_get_email_opt_in (persona) == (state == PD_CONSENT_STATE_OPTED_IN))
    return TRUE;
  before = pd_persona_copy (persona);
  pd_persona_set_email_opt_in (persona, state == PD_CONSENT_STATE_OPTED_IN);
  return _pd_pg_save_persona (self, persona, before, actor, NULL, error);
}

static gboolean
change_address (PdStore          *store,
                const char       *email,
                gboolean          decline,
                const PdActor    *actor,
                PdConsentChange  *change,
                GError          **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  const char *values[] = { email, NULL };
  g_autofree char *locks = _pd_pg_contact_locks_sql (values, -1);
  g_autofree char *begin = g_strconcat ("BEGIN; ", locks, NULL);

  g_return_val_if_fail (!self->in_import, FALSE);
  g_return_val_if_fail (email != NULL && email[0] != '\0', FALSE);

  *change = (PdConsentChange) { 0 };
  /* the address locked first, as a number is (change_number()) */
  if (!_pd_pg_exec (self, begin, error))
    {
      _pd_pg_rollback (self);
      return FALSE;
    }
  if (!change_address_in_transaction (self, email, decline, actor, change, error) ||
      !_pd_pg_exec (self, "COMMIT", error))
    {
      _pd_pg_rollback (self);
      *change = (PdConsentChange) { 0 };
      return FALSE;
    }
  return TRUE;
}

static gboolean
pg_email_opt_in (PdStore *store, const char *email, const PdActor *actor,
                 PdConsentChange *change, GError **error)
{
  return change_address (store, email, FALSE, actor, change, error);
}

static gboolean
pg_email_decline (PdStore *store, const char *email, const PdActor *actor,
                  PdConsentChange *change, GError **error)
{
  return change_address (store, email, TRUE, actor, change, error);
}

/* ---- the outbox ------------------------------------------------------ */

static GPtrArray *
pg_list_outbox (PdStore   *store,
                gboolean   unsent_only,
                GError   **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_outbox_message_free);
  const char *values[] = { unsent_only ? "t" : "f" };
  g_autoptr(PGresult) result = _pd_pg_query (self,
    "SELECT id, kind, phone, persona_id, created, sent FROM outbox WHERE NOT $1::boolean OR sent IS NULL "
    "ORDER BY id", 1, values, error);

  if (result == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (result); r++)
    {
      PdOutboxMessage *m = g_new0 (PdOutboxMessage, 1);

      m->id = _pd_pg_int64 (result, r, 0);
      m->kind = g_strdup (_pd_pg_text (result, r, 1));
      m->phone = g_strdup (_pd_pg_text (result, r, 2));
      m->persona_id = _pd_pg_int64 (result, r, 3);
      m->created = g_date_time_new_from_unix_utc (_pd_pg_int64 (result, r, 4) / G_USEC_PER_SEC);
      if (!PQgetisnull (result, r, 5))
        m->sent = g_date_time_new_from_unix_utc (_pd_pg_int64 (result, r, 5) / G_USEC_PER_SEC);
      g_ptr_array_add (messages, m);
    }
  return g_steal_pointer (&messages);
}

/* One statement: every id or none (an unknown one names itself). */
static gboolean
pg_mark_outbox_sent (PdStore        *store,
                     const gint64   *ids,
                     guint           n_ids,
                     GError        **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autoptr(GString) array = g_string_new ("{");
  g_autofree char *now = int_text (g_get_real_time ());
  const char *values[2];
  g_autoptr(PGresult) unknown = NULL;
  g_autoptr(PGresult) result = NULL;

  for (guint i = 0; i < n_ids; i++)
    g_string_append_printf (array, "%s%" G_GINT64_FORMAT, i ? "," : "", ids[i]);
  g_string_append_c (array, '}');
  values[0] = array->str;
  values[1] = now;
  unknown = _pd_pg_query (self, "SELECT i FROM unnest($1::bigint[]) WITH ORDINALITY AS u(i, n) "
                                "WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE id = i) ORDER BY n LIMIT 1",
                          1, values, error);
  if (unknown == NULL)
    return FALSE;
  if (PQntuples (unknown) > 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No outbox message with ID %" PRId64),
                   _pd_pg_int64 (unknown, 0, 0));
      return FALSE;
    }
  result = _pd_pg_query (self, "UPDATE outbox SET sent = coalesce(sent, $2) WHERE id = ANY($1::bigint[])",
                         2, values, error);
  return result != NULL;
}

/* Personas waiting for their YES (the partial index personas_sms_pending
 * of schema 4 keeps it one short index scan) and numbers with a request
 * pending without a persona yet: one statement. */
static guint
pg_count_pending_sms (PdStore  *store,
                      GError  **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autofree char *contact_pending = int_text (PD_CONSENT_STATE_PENDING);
  const char *values[] = { contact_pending };
  g_autoptr(PGresult) result = NULL;

  /* the index's predicate, written as it is */
  G_STATIC_ASSERT (PD_SMS_CONSENT_PENDING == 1);
  result = _pd_pg_query (self,
    "SELECT (SELECT count(*) FROM personas WHERE sms_consent = 1 AND state = 0) "
    "+ (SELECT count(*) FROM consent_contacts WHERE state = $1::smallint)", 1, values, error);
  return result != NULL ? (guint) _pd_pg_int64 (result, 0, 0) : 0;
}

void
_pd_pg_store_init_consent (PdStoreInterface *iface)
{
  iface->count_pending_sms = pg_count_pending_sms;
  iface->request_import_sms_opt_in = pg_request_import_sms_opt_in;
  iface->sms_opt_in = pg_sms_opt_in;
  iface->sms_confirm = pg_sms_confirm;
  iface->sms_decline = pg_sms_decline;
  iface->sms_cancel = pg_sms_cancel;
  iface->expire_sms_requests = pg_expire_sms_requests;
  iface->list_outbox = pg_list_outbox;
  iface->mark_outbox_sent = pg_mark_outbox_sent;
  iface->email_opt_in = pg_email_opt_in;
  iface->email_decline = pg_email_decline;
}
