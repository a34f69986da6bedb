/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdSqliteStore: email consent of one address (opt-in, the customer's
 * unsubscribe) and the rule every persona write follows: an address that
 * opted out explicitly never carries an email opt-in again.  Opt-outs are
 * kept by address (`email_opt_outs`, schema 9), so that an import, an
 * edit, a new persona with the address or an undo cannot lose one. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-loyalty.h"
#include "pd-permission.h"
#include "pd-sqlite-store-private.h"

/* TRUE in *opted_out when @email opted out; FALSE on a database error. */
static gboolean
address_opted_out (PdSqliteStore  *self,
                   const char     *email,
                   gboolean       *opted_out,
                   GError        **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "SELECT EXISTS (SELECT 1 FROM email_opt_outs WHERE email = ?)", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, email, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *opted_out = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return _pd_sqlite_store_fail (self, error), FALSE;
  return TRUE;
}

/* Before the row is written, whoever writes it (the app, the CLI, an
 * import with "opt in all to email", the API): only a persona that would
 * be opted in is looked up, one indexed look-up per address. */
gboolean
_pd_sqlite_store_email_consent_before_write (PdSqliteStore  *self,
                                             PdPersona      *persona,
                                             GError        **error)
{
  GPtrArray *emails = pd_persona_get_emails (persona);
  gboolean any = FALSE;

  if (!pd_persona_get_email_opt_in (persona))
    return TRUE;
  for (guint i = 0; i < emails->len && !any; i++)
    if (!address_opted_out (self, g_ptr_array_index (emails, i), &any, error))
      return FALSE;
  if (!pd_email_opt_in_allowed (any))
    pd_persona_set_email_opt_in (persona, FALSE);
  return TRUE;
}

static gint64
active_owner (PdSqliteStore  *self,
              const char     *email,
              GError        **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "SELECT persona_id FROM emails WHERE email = ? AND scope = 0", error);
  gint64 id = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, email, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    id = -1, _pd_sqlite_store_fail (self, error);
  sqlite3_reset (stmt);
  return id;
}

static gboolean
change_in_transaction (PdSqliteStore    *self,
                       const char       *email,
                       gboolean          decline,
                       const PdActor    *actor,
                       PdConsentChange  *change,
                       GError          **error)
{
  g_autoptr(PdPersona) persona = NULL;
  g_autoptr(PdPersona) before = NULL;
  gboolean opted_out = FALSE;
  PdConsentState state;
  gint64 id = active_owner (self, email, error);

  if (id < 0 || !address_opted_out (self, email, &opted_out, error))
    return FALSE;
  if (id > 0)
    {
      persona = _pd_sqlite_store_load_persona (self, id, NULL, error);
      if (persona == NULL)
        return FALSE;
    }
  change->persona_id = id;
  change->before = opted_out ? PD_CONSENT_STATE_OPTED_OUT
                   : persona != NULL && pd_persona_get_email_opt_in (persona) ? PD_CONSENT_STATE_OPTED_IN
                   : PD_CONSENT_STATE_NONE;
  if (decline)
    {
      sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
        "INSERT INTO email_opt_outs (email, since, actor) VALUES (?, ?, ?) ON CONFLICT (email) DO NOTHING", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, email, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
      sqlite3_bind_text (stmt, 3, actor != NULL ? actor->who : NULL, -1, SQLITE_STATIC);
      if (!_pd_sqlite_store_step_done (self, stmt, error))
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
  return _pd_sqlite_store_write_persona_full (self, persona, before, actor, 0, NULL, error);
}

static gboolean
change_address (PdStore          *store,
                const char       *email,
                gboolean          decline,
                const PdActor    *actor,
                PdConsentChange  *change,
                GError          **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);

  g_return_val_if_fail (!self->in_import, FALSE);
  g_return_val_if_fail (email != NULL && email[0] != '\0', FALSE);

  *change = (PdConsentChange) { 0 };
  if (!pd_actor_check (actor, PD_PERMISSION_EDIT, error))
    return FALSE;
  /* as for a blocklisted phone (pd-sqlite-store-consent.c) */
  if (decline)
    {
      gboolean blocked;

      if (!pd_store_blocklist_contains (store, PD_FIELD_EMAIL, email, &blocked, error))
        return FALSE;
      if (blocked)
        {
          change->before = change->after = PD_CONSENT_STATE_OPTED_OUT;
          return TRUE;
        }
    }
  else if (!_pd_sqlite_store_refuse_blocklisted (self, PD_FIELD_EMAIL, email, error))
    return FALSE;
  if (!_pd_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!change_in_transaction (self, email, decline, actor, change, error) ||
      !_pd_sqlite_store_audit_consent (self, actor, decline ? "consent.email-decline" : "consent.email-opt-in",
                                       "email", email, change, error) ||
      !_pd_sqlite_store_exec (self, "COMMIT", error))
    {
      _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
      *change = (PdConsentChange) { 0 };
      return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_email_opt_in (PdStore *store, const char *email, const PdActor *actor,
                     PdConsentChange *change, GError **error)
{
  return change_address (store, email, FALSE, actor, change, error);
}

static gboolean
sqlite_email_decline (PdStore *store, const char *email, const PdActor *actor,
                      PdConsentChange *change, GError **error)
{
  return change_address (store, email, TRUE, actor, change, error);
}

void
_pd_sqlite_store_init_email_consent (PdStoreInterface *iface)
{
  iface->email_opt_in = sqlite_email_opt_in;
  iface->email_decline = sqlite_email_decline;
}
