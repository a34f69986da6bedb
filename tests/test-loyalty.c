/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The loyalty program's rules (issue 15), on the SQLite store (and the
 * PostgreSQL one: /loyalty/pg/…) and through imports: points adjustments and the ledger, SMS consent and the outbox,
 * loyalty status, favorite-store precedence. */
#include "config.h"

#include <glib/gstdio.h>

#include "pd-error.h"
#include "pd-loyalty.h"
#include "pd-test-store-fixture.h"

#define DAY_US ((gint64) 24 * 3600 * G_USEC_PER_SEC)

static const PdActor staff = { PD_SOURCE_MANUAL, "clerk" };

static gint64
add (Fixture    *f,
     const char *email,
     const char *phone)
{
  g_autoptr(PdPersona) p = pd_persona_new ();
  g_autoptr(GError) error = NULL;

  if (email != NULL)
    pd_persona_add_email (p, email);
  if (phone != NULL)
    pd_persona_add_phone (p, phone);
  g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  return pd_persona_get_id (p);
}

static PdPersona *
get (Fixture *f,
     gint64   id)
{
  g_autoptr(GError) error = NULL;
  PdPersona *p = pd_store_get_persona (f->store, id, &error);

  g_assert_no_error (error);
  return p;
}

static PdConsentState
sms_state (Fixture *f,
           gint64   id)
{
  g_autoptr(PdPersona) p = get (f, id);

  return pd_persona_get_sms_state (p);
}

static gint64
ledger_sum (GPtrArray *ledger)
{
  gint64 sum = 0;

  for (guint i = 0; i < ledger->len; i++)
    sum += ((PdLedgerEntry *) ledger->pdata[i])->delta;
  return sum;
}

/* ---- the rules alone ------------------------------------------------- */

static void
test_rules (void)
{
  PdLoyaltySettings settings;
  g_autoptr(GError) error = NULL;
  PdConsentState state;
  gboolean loyalty;
  gint64 delta;

  pd_loyalty_settings_init (&settings);
  g_assert_true (pd_points_check_adjustment (10, -10, "redeemed", &settings, NULL));
  g_assert_false (pd_points_check_adjustment (10, -11, "redeemed", &settings, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_clear_error (&error);
  settings.allow_negative_balance = TRUE;
  g_assert_true (pd_points_check_adjustment (10, -11, "redeemed", &settings, NULL));
  g_assert_false (pd_points_check_adjustment (10, 5, "", &settings, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (pd_points_check_adjustment (G_MAXINT64 - 1, 5, "x", &settings, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (pd_points_parse_delta ("+50", &delta, NULL));
  g_assert_cmpint (delta, ==, 50);
  g_assert_true (pd_points_parse_delta (" -20 ", &delta, NULL));
  g_assert_cmpint (delta, ==, -20);
  for (const char * const *bad = (const char * const[]) { "", "0", "1.5", "ten", "+-3", "5x",
                                                          "99999999999999999999", NULL };
       *bad != NULL; bad++)
    {
      g_assert_false (pd_points_parse_delta (*bad, &delta, &error));
      g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
      g_clear_error (&error);
    }

  /* an explicit opt-out is final for every kind of request */
  for (PdSmsOptInMode mode = PD_SMS_OPT_IN_FORCE; mode <= PD_SMS_OPT_IN_NO_LOYALTY; mode++)
    {
      g_assert_false (pd_sms_consent_request (PD_CONSENT_STATE_OPTED_OUT, mode, &state, &loyalty, &error));
      g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
      g_clear_error (&error);
    }
  g_assert_true (pd_sms_consent_request (PD_CONSENT_STATE_NONE, PD_SMS_OPT_IN_DOUBLE, &state, &loyalty, NULL));
  g_assert_cmpint (state, ==, PD_CONSENT_STATE_PENDING);
  g_assert_false (loyalty);
  g_assert_true (pd_sms_consent_request (PD_CONSENT_STATE_NONE, PD_SMS_OPT_IN_NO_LOYALTY, &state, &loyalty, NULL));
  g_assert_cmpint (state, ==, PD_CONSENT_STATE_OPTED_IN);
  g_assert_false (loyalty);
  g_assert_true (pd_sms_consent_request (PD_CONSENT_STATE_PENDING, PD_SMS_OPT_IN_FORCE, &state, &loyalty, NULL));
  g_assert_cmpint (state, ==, PD_CONSENT_STATE_OPTED_IN);
  g_assert_true (loyalty);
  g_assert_false (pd_sms_consent_confirm (PD_CONSENT_STATE_NONE, &state, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_clear_error (&error);

  /* wallet > signup form > file upload > purchase history */
  g_assert_false (pd_favorite_store_may_replace (PD_SOURCE_WALLET, PD_SOURCE_IMPORT));
  g_assert_false (pd_favorite_store_may_replace (PD_SOURCE_SIGNUP_FORM, PD_SOURCE_IMPORT));
  g_assert_false (pd_favorite_store_may_replace (PD_SOURCE_IMPORT, PD_SOURCE_PURCHASE));
  g_assert_true (pd_favorite_store_may_replace (PD_SOURCE_PURCHASE, PD_SOURCE_IMPORT));
  g_assert_true (pd_favorite_store_may_replace (PD_SOURCE_IMPORT, PD_SOURCE_IMPORT));
  g_assert_true (pd_favorite_store_may_replace (PD_SOURCE_SIGNUP_FORM, PD_SOURCE_WALLET));
}

/* ---- points ---------------------------------------------------------- */

static void
test_adjust (Fixture       *f,
             gconstpointer  data)
{
  gint64 id = add (f, "ann@example.com", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ledger = NULL;
  g_autoptr(PdPersona) p = NULL;
  PdLoyaltySettings settings;
  const PdLedgerEntry *e;
  gint64 balance = 0;

  g_assert_true (pd_store_adjust_points_as (f->store, id, 30, "welcome", &staff, &balance, &error));
  g_assert_no_error (error);
  g_assert_cmpint (balance, ==, 30);
  p = get (f, id);
  /* a non-zero adjustment enrols */
  g_assert_true (pd_persona_get_loyalty (p));

  /* below zero: refused, nothing written */
  g_assert_false (pd_store_adjust_points_as (f->store, id, -31, "redeemed", &staff, &balance, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_clear_error (&error);
  g_clear_object (&p);
  p = get (f, id);
  g_assert_cmpint (pd_persona_get_points (p), ==, 30);
  ledger = pd_store_list_ledger (f->store, id, NULL);
  g_assert_cmpuint (ledger->len, ==, 1);
  g_clear_pointer (&ledger, g_ptr_array_unref);

  /* unknown persona, zero, no reason */
  g_assert_false (pd_store_adjust_points_as (f->store, id + 100, 5, "x", &staff, NULL, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (pd_store_adjust_points_as (f->store, id, 0, "x", &staff, NULL, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (pd_store_adjust_points_as (f->store, id, 5, NULL, &staff, NULL, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
  g_clear_error (&error);

  /* the setting allows it */
  g_assert_true (pd_store_get_loyalty_settings (f->store, &settings, NULL));
  g_assert_false (settings.allow_negative_balance);
  settings.allow_negative_balance = TRUE;
  g_assert_true (pd_store_set_loyalty_settings (f->store, &settings, NULL));
  g_assert_true (pd_store_adjust_points_as (f->store, id, -31, "redeemed", &(PdActor) { PD_SOURCE_API, "pos-1" },
                                            &balance, &error));
  g_assert_no_error (error);
  g_assert_cmpint (balance, ==, -1);

  ledger = pd_store_list_ledger (f->store, id, NULL);
  g_assert_cmpuint (ledger->len, ==, 2);
  e = ledger->pdata[0];   /* newest first */
  g_assert_cmpint (e->delta, ==, -31);
  g_assert_cmpint (e->balance, ==, -1);
  g_assert_cmpint (e->source, ==, PD_SOURCE_API);
  g_assert_cmpstr (e->actor, ==, "pos-1");
  g_assert_cmpstr (e->reason, ==, "redeemed");
  g_assert_cmpint (e->import_id, ==, 0);
  g_assert_nonnull (e->time);
  e = ledger->pdata[1];
  g_assert_cmpstr (e->actor, ==, "clerk");
  g_assert_cmpint (e->source, ==, PD_SOURCE_MANUAL);
  g_clear_pointer (&ledger, g_ptr_array_unref);

  /* across personas, oldest first, from a time on */
  ledger = pd_store_list_ledger_since (f->store, 0, NULL);
  g_assert_cmpuint (ledger->len, ==, 2);
  g_assert_cmpint (((PdLedgerEntry *) ledger->pdata[0])->delta, ==, 30);
  g_clear_pointer (&ledger, g_ptr_array_unref);
  ledger = pd_store_list_ledger_since (f->store, g_get_real_time () + DAY_US, NULL);
  g_assert_cmpuint (ledger->len, ==, 0);
}

/* Undoing an import keeps what it did in the ledger and adds the
 * reversal: the balance is still the ledger's sum. */
static void
test_undo_reversal (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(PdImportJob) seed = import (f, "Email,Points\r\nann@example.com,10\r\n", NULL);
  g_autoptr(PdImportJob) more = import (f, "Email,Points\r\nann@example.com,25\r\nnew@example.com,5\r\n", NULL);
  gint64 id = pd_store_find_persona (f->store, PD_FIELD_EMAIL, "ann@example.com", NULL);
  gint64 more_id = pd_import_job_get_info (more)->id;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ledger = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(PdPersona) p = NULL;
  const PdLedgerEntry *e;

  g_assert_true (pd_store_undo_import (f->store, more_id, &error));
  g_assert_no_error (error);
  p = get (f, id);
  g_assert_cmpint (pd_persona_get_points (p), ==, 10);
  ledger = pd_store_list_ledger (f->store, id, NULL);
  g_assert_cmpuint (ledger->len, ==, 3);
  e = ledger->pdata[0];
  g_assert_cmpint (e->source, ==, PD_SOURCE_UNDO);
  g_assert_cmpint (e->delta, ==, -25);
  g_assert_cmpint (e->balance, ==, 10);
  g_assert_cmpint (e->import_id, ==, more_id);
  g_assert_nonnull (e->reason);
  e = ledger->pdata[1];
  g_assert_cmpint (e->delta, ==, 25);
  g_assert_cmpint (e->import_id, ==, more_id);
  g_assert_cmpint (ledger_sum (ledger), ==, pd_persona_get_points (p));
  /* the persona the import created is gone with its entries */
  g_assert_cmpint (pd_store_find_persona (f->store, PD_FIELD_EMAIL, "new@example.com", NULL), ==, 0);
  all = pd_store_list_ledger_since (f->store, 0, NULL);
  g_assert_cmpuint (all->len, ==, 3);
}

/* ---- SMS consent ----------------------------------------------------- */

static void
test_opt_out_is_final (Fixture       *f,
                       gconstpointer  data)
{
  gint64 id = add (f, "ann@example.com", "+12025550143");
  g_autoptr(GError) error = NULL;
  g_autoptr(PdImportJob) job = NULL;
  g_autoptr(PdPersona) p = NULL;
  PdImportOptions options;
  PdConsentChange change;

  g_assert_true (pd_store_sms_decline (f->store, "+12025550143", &staff, &change, &error));
  g_assert_no_error (error);
  g_assert_cmpint (change.persona_id, ==, id);
  g_assert_cmpint (change.after, ==, PD_CONSENT_STATE_OPTED_OUT);

  /* optin, optin --double-opt, optin --no-loyalty, the customer's YES */
  for (PdSmsOptInMode mode = PD_SMS_OPT_IN_FORCE; mode <= PD_SMS_OPT_IN_NO_LOYALTY; mode++)
    {
      g_assert_false (pd_store_sms_opt_in (f->store, "+12025550143", mode, &staff, &change, &error));
      g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
      g_clear_error (&error);
    }
  g_assert_false (pd_store_sms_confirm (f->store, "+12025550143", &staff, &change, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (sms_state (f, id), ==, PD_CONSENT_STATE_OPTED_OUT);

  /* an opt-in-all import, whatever its action */
  for (PdMatchAction action = PD_MATCH_ACTION_UPDATE; action <= PD_MATCH_ACTION_MERGE; action++)
    {
      g_autoptr(PdImportJob) j = NULL;

      pd_import_options_init (&options);
      options.action = action;
      options.opt_in_all_sms = TRUE;
      j = import (f, "Email,Phone,SMS Opt-in\r\nann@example.com,202-555-0143,yes\r\n", &options);
      g_assert_cmpint (sms_state (f, id), ==, PD_CONSENT_STATE_OPTED_OUT);
    }

  /* an edit in the app (or through the API) that turns it off */
  p = get (f, id);
  pd_persona_set_sms_opt_out (p, FALSE);
  pd_persona_set_sms_consent (p, PD_SMS_CONSENT_OPTED_IN);
  g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sms_state (f, id), ==, PD_CONSENT_STATE_OPTED_OUT);
  pd_persona_set_sms_opt_out (p, FALSE);
  pd_persona_set_sms_consent (p, PD_SMS_CONSENT_PENDING);
  g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_API, &error));
  g_assert_cmpint (sms_state (f, id), ==, PD_CONSENT_STATE_OPTED_OUT);
  (void) job;
}

static void
test_double_opt_in (Fixture       *f,
                    gconstpointer  data)
{
  gint64 id = add (f, "ann@example.com", "+12025550143");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(PdPersona) p = NULL;
  PdOutboxMessage *m;
  PdLoyaltyStatus status;
  PdConsentChange change;

  g_assert_true (pd_store_sms_opt_in (f->store, "+12025550143", PD_SMS_OPT_IN_DOUBLE, &staff, &change, &error));
  g_assert_no_error (error);
  g_assert_cmpint (change.before, ==, PD_CONSENT_STATE_NONE);
  g_assert_cmpint (change.after, ==, PD_CONSENT_STATE_PENDING);
  g_assert_cmpint (change.outbox_id, >, 0);
  g_assert_false (change.enrolled);
  p = get (f, id);
  g_assert_false (pd_persona_get_loyalty (p));
  g_clear_object (&p);

  outbox = pd_store_list_outbox (f->store, TRUE, NULL);
  g_assert_cmpuint (outbox->len, ==, 1);
  m = outbox->pdata[0];
  g_assert_cmpint (m->id, ==, change.outbox_id);
  g_assert_cmpstr (m->phone, ==, "+12025550143");
  g_assert_cmpint (m->persona_id, ==, id);
  g_assert_cmpstr (m->kind, ==, "double-opt-in");
  g_assert_null (m->sent);

  /* asking again while pending queues no second text */
  g_assert_true (pd_store_sms_opt_in (f->store, "+12025550143", PD_SMS_OPT_IN_DOUBLE, &staff, &change, NULL));
  g_assert_cmpint (change.outbox_id, ==, 0);
  g_assert_cmpuint (pd_store_count_pending_sms (f->store, &error), ==, 1);
  g_assert_no_error (error);
  /* a number without a persona waits too */
  g_assert_true (pd_store_sms_opt_in (f->store, "+12025550188", PD_SMS_OPT_IN_DOUBLE, &staff, &change, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pd_store_count_pending_sms (f->store, NULL), ==, 2);
  g_assert_true (pd_store_sms_decline (f->store, "+12025550188", &staff, &change, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pd_store_count_pending_sms (f->store, NULL), ==, 1);

  g_assert_true (pd_store_get_loyalty_status (f->store, PD_FIELD_PHONE, "+12025550143", &status, NULL));
  g_assert_true (status.known);
  g_assert_cmpint (status.sms, ==, PD_CONSENT_STATE_PENDING);
  g_assert_cmpint (status.pending_since_us, >, 0);
  /* an archived persona's request is not counted */
  g_assert_true (pd_store_set_archived (f->store, id, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pd_store_count_pending_sms (f->store, NULL), ==, 0);
  g_assert_true (pd_store_set_archived (f->store, id, FALSE, &error));
  g_assert_no_error (error);

  /* staff withdraw it: not opted in (not an opt-out), then ask again */
  g_assert_true (pd_store_sms_cancel (f->store, "+12025550143", &staff, &change, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sms_state (f, id), ==, PD_CONSENT_STATE_NONE);
  g_assert_false (pd_store_sms_cancel (f->store, "+12025550143", &staff, &change, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (pd_store_sms_opt_in (f->store, "+12025550143", PD_SMS_OPT_IN_DOUBLE, &staff, &change, NULL));
  g_assert_cmpint (change.outbox_id, >, 0);

  /* YES */
  g_assert_true (pd_store_sms_confirm (f->store, "+12025550143", &staff, &change, &error));
  g_assert_no_error (error);
  g_assert_cmpint (change.after, ==, PD_CONSENT_STATE_OPTED_IN);
  g_assert_true (change.enrolled);
  p = get (f, id);
  g_assert_cmpint (pd_persona_get_sms_state (p), ==, PD_CONSENT_STATE_OPTED_IN);
  g_assert_true (pd_persona_get_loyalty (p));
  g_clear_object (&p);

  /* STOP: for good */
  g_assert_true (pd_store_sms_decline (f->store, "+12025550143", &staff, &change, NULL));
  g_assert_cmpint (sms_state (f, id), ==, PD_CONSENT_STATE_OPTED_OUT);
  g_assert_false (pd_store_sms_opt_in (f->store, "+12025550143", PD_SMS_OPT_IN_DOUBLE, &staff, &change, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  /* the persona stays a member: only the customer's own request removes that */
  p = get (f, id);
  g_assert_true (pd_persona_get_loyalty (p));
  /* nor does a save (an app edit, an import, the API) take them out */
  pd_persona_set_loyalty (p, FALSE);
  g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_MANUAL, NULL));
  g_clear_object (&p);
  p = get (f, id);
  g_assert_true (pd_persona_get_loyalty (p));
}

static void
test_expiry (Fixture       *f,
             gconstpointer  data)
{
  gint64 id = add (f, "ann@example.com", "+12025550143");
  PdLoyaltySettings settings;
  PdConsentChange change;
  guint n = 99;

  pd_loyalty_settings_init (&settings);
  settings.double_opt_in_expiry_days = 3;
  g_assert_true (pd_store_set_loyalty_settings (f->store, &settings, NULL));
  g_assert_true (pd_store_sms_opt_in (f->store, "+12025550143", PD_SMS_OPT_IN_DOUBLE, &staff, &change, NULL));
  g_assert_true (pd_store_sms_opt_in (f->store, "+12025550199", PD_SMS_OPT_IN_DOUBLE, &staff, &change, NULL));

  g_assert_true (pd_store_expire_sms_requests (f->store, g_get_real_time () + 2 * DAY_US, &n, NULL));
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpint (sms_state (f, id), ==, PD_CONSENT_STATE_PENDING);

  g_assert_true (pd_store_expire_sms_requests (f->store, g_get_real_time () + 4 * DAY_US, &n, NULL));
  g_assert_cmpuint (n, ==, 2);   /* the persona and the consent-only contact */
  g_assert_cmpint (sms_state (f, id), ==, PD_CONSENT_STATE_NONE);

  /* 0 days: never */
  g_assert_true (pd_store_sms_opt_in (f->store, "+12025550143", PD_SMS_OPT_IN_DOUBLE, &staff, &change, NULL));
  settings.double_opt_in_expiry_days = 0;
  g_assert_true (pd_store_set_loyalty_settings (f->store, &settings, NULL));
  g_assert_true (pd_store_expire_sms_requests (f->store, g_get_real_time () + 400 * DAY_US, &n, NULL));
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpint (sms_state (f, id), ==, PD_CONSENT_STATE_PENDING);
}

/* A number no persona holds: consent recorded, no persona created; the
 * persona that later takes the number (created or imported) takes it. */
static void
test_consent_only_contact (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(PdImportJob) job = NULL;
  PdImportOptions options;
  PdConsentChange change;
  PdLoyaltyStatus status;
  gint64 id;

  g_assert_true (pd_store_sms_opt_in (f->store, "+12025550143", PD_SMS_OPT_IN_DOUBLE, &staff, &change, &error));
  g_assert_no_error (error);
  g_assert_cmpint (change.persona_id, ==, 0);
  g_assert_true (pd_store_sms_decline (f->store, "+12025550150", &staff, &change, NULL));
  g_assert_true (pd_store_sms_opt_in (f->store, "+12025550160", PD_SMS_OPT_IN_FORCE, &staff, &change, NULL));
  g_assert_cmpuint (pd_store_count_personas (f->store, &(PdPersonaQuery) { 0 }, NULL), ==, 0);
  g_assert_true (pd_store_get_loyalty_status (f->store, PD_FIELD_PHONE, "+12025550143", &status, NULL));
  g_assert_false (status.known);
  /* an opted-out contact refuses like a persona */
  g_assert_false (pd_store_sms_opt_in (f->store, "+12025550150", PD_SMS_OPT_IN_FORCE, &staff, &change, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_clear_error (&error);

  /* created in the app: pending, with the text already queued */
  id = add (f, "ann@example.com", "+12025550143");
  g_assert_cmpint (sms_state (f, id), ==, PD_CONSENT_STATE_PENDING);
  outbox = pd_store_list_outbox (f->store, FALSE, NULL);
  g_assert_cmpuint (outbox->len, ==, 1);
  g_assert_cmpint (((PdOutboxMessage *) outbox->pdata[0])->persona_id, ==, id);

  /* imported, opting everyone in: the opt-out holds, the opt-in enrols */
  pd_import_options_init (&options);
  options.opt_in_all_sms = TRUE;
  job = import (f, "Email,Phone\r\nbob@example.com,202-555-0150\r\ncat@example.com,202-555-0160\r\n", &options);
  id = pd_store_find_persona (f->store, PD_FIELD_PHONE, "+12025550150", NULL);
  g_assert_cmpint (sms_state (f, id), ==, PD_CONSENT_STATE_OPTED_OUT);
  id = pd_store_find_persona (f->store, PD_FIELD_PHONE, "+12025550160", NULL);
  g_assert_cmpint (sms_state (f, id), ==, PD_CONSENT_STATE_OPTED_IN);
  {
    g_autoptr(PdPersona) cat = get (f, id);
    g_assert_true (pd_persona_get_loyalty (cat));
  }

  /* the opt-out outlives the undo of the import that took it over */
  g_assert_true (pd_store_undo_import (f->store, pd_import_job_get_info (job)->id, &error));
  g_assert_no_error (error);
  g_assert_false (pd_store_sms_opt_in (f->store, "+12025550150", PD_SMS_OPT_IN_FORCE, &staff, &change, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
}

static void
test_outbox (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  PdConsentChange change;
  gint64 ids[2];

  g_assert_true (pd_store_sms_opt_in (f->store, "+12025550143", PD_SMS_OPT_IN_DOUBLE, &staff, &change, NULL));
  ids[0] = change.outbox_id;
  g_assert_true (pd_store_sms_opt_in (f->store, "+12025550150", PD_SMS_OPT_IN_DOUBLE, &staff, &change, NULL));
  ids[1] = change.outbox_id + 100;

  /* one unknown ID: nothing marked */
  g_assert_false (pd_store_mark_outbox_sent (f->store, ids, 2, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  outbox = pd_store_list_outbox (f->store, TRUE, NULL);
  g_assert_cmpuint (outbox->len, ==, 2);
  g_clear_pointer (&outbox, g_ptr_array_unref);

  g_assert_true (pd_store_mark_outbox_sent (f->store, ids, 1, &error));
  g_assert_no_error (error);
  outbox = pd_store_list_outbox (f->store, TRUE, NULL);
  g_assert_cmpuint (outbox->len, ==, 1);
  g_assert_cmpstr (((PdOutboxMessage *) outbox->pdata[0])->phone, ==, "+12025550150");
  g_clear_pointer (&outbox, g_ptr_array_unref);
  outbox = pd_store_list_outbox (f->store, FALSE, NULL);
  g_assert_cmpuint (outbox->len, ==, 2);
  g_assert_nonnull (((PdOutboxMessage *) outbox->pdata[0])->sent);
}

/* The history's "Send double opt-in to this import" queues a text each. */
static void
test_import_request (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(PdImportJob) job = import (f, "Email,Phone,SMS Opt-out\r\n"
                                          "ann@example.com,202-555-0143,\r\n"
                                          "bob@example.com,202-555-0150,yes\r\n"
                                          "cat@example.com,,\r\n", NULL);
  g_autoptr(GPtrArray) outbox = NULL;
  PdSmsOptInCounts counts;

  g_assert_cmpint (pd_store_request_import_sms_opt_in (f->store, pd_import_job_get_info (job)->id, &counts, NULL),
                   ==, 1);
  outbox = pd_store_list_outbox (f->store, TRUE, NULL);
  g_assert_cmpuint (outbox->len, ==, 1);
  g_assert_cmpstr (((PdOutboxMessage *) outbox->pdata[0])->phone, ==, "+12025550143");
}

/* ---- loyalty status and favorite store ------------------------------- */

static void
test_status_hides (Fixture       *f,
                   gconstpointer  data)
{
  gint64 ann = add (f, "ann@example.com", "+12025550143");
  gint64 bob = add (f, "bob@example.com", "+12025550150");
  g_autoptr(PdPersona) p = NULL;
  PdLoyaltyStatus status;

  g_assert_true (pd_store_adjust_points_as (f->store, ann, 5, "welcome", &staff, NULL, NULL));
  g_assert_true (pd_store_get_loyalty_status (f->store, PD_FIELD_EMAIL, "ann@example.com", &status, NULL));
  g_assert_true (status.known);
  g_assert_true (status.member);
  g_assert_cmpint (status.points, ==, 5);
  g_assert_cmpint (status.persona_id, ==, ann);

  g_assert_true (pd_store_set_archived (f->store, ann, TRUE, NULL));
  g_assert_true (pd_store_get_loyalty_status (f->store, PD_FIELD_EMAIL, "ann@example.com", &status, NULL));
  g_assert_false (status.known);
  g_assert_cmpint (status.persona_id, ==, 0);
  g_assert_true (pd_store_get_loyalty_status (f->store, PD_FIELD_PHONE, "+12025550143", &status, NULL));
  g_assert_false (status.known);

  p = get (f, bob);
  pd_persona_set_blocklisted (p, TRUE);
  g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_MANUAL, NULL));
  g_assert_true (pd_store_get_loyalty_status (f->store, PD_FIELD_PHONE, "+12025550150", &status, NULL));
  g_assert_false (status.known);
  g_assert_cmpint (status.points, ==, 0);
}

static gint64
add_with_store (Fixture    *f,
                const char *email,
                const char *store,
                PdSource    source)
{
  g_autoptr(PdPersona) p = pd_persona_new ();

  pd_persona_add_email (p, email);
  pd_persona_set_value (p, PD_FIELD_FAVORITE_STORE, store);
  pd_persona_set_value_source (p, PD_FIELD_FAVORITE_STORE, source);
  g_assert_true (pd_store_save_persona (f->store, p, source, NULL));
  return pd_persona_get_id (p);
}

static void
test_favorite_store (Fixture       *f,
                     gconstpointer  data)
{
  gint64 wallet = add_with_store (f, "ann@example.com", "Downtown", PD_SOURCE_WALLET);
  gint64 purchase = add_with_store (f, "bob@example.com", "Airport", PD_SOURCE_PURCHASE);
  PdImportOptions options;

  for (PdMatchAction action = PD_MATCH_ACTION_UPDATE; action <= PD_MATCH_ACTION_MERGE; action++)
    {
      g_autoptr(PdImportJob) job = NULL;
      g_autoptr(PdPersona) a = NULL;
      g_autoptr(PdPersona) b = NULL;

      pd_import_options_init (&options);
      options.action = action;
      job = import (f, "Email,Favorite Store\r\nann@example.com,Mall\r\nbob@example.com,Mall\r\n", &options);
      a = get (f, wallet);
      g_assert_cmpstr (pd_persona_get_value (a, PD_FIELD_FAVORITE_STORE), ==, "Downtown");
      g_assert_cmpint (pd_persona_get_value_source (a, PD_FIELD_FAVORITE_STORE), ==, PD_SOURCE_WALLET);
      b = get (f, purchase);
      if (action == PD_MATCH_ACTION_REPLACE || action == PD_MATCH_ACTION_APPEND)
        {
          g_assert_cmpstr (pd_persona_get_value (b, PD_FIELD_FAVORITE_STORE), ==, "Mall");
          g_assert_cmpint (pd_persona_get_value_source (b, PD_FIELD_FAVORITE_STORE), ==, PD_SOURCE_IMPORT);
        }
    }

  /* an edit without a source of its own is the writer's: a purchase
   * does not replace the wallet's choice, the wallet replaces anything */
  {
    g_autoptr(PdPersona) a = get (f, wallet);

    pd_persona_set_value (a, PD_FIELD_FAVORITE_STORE, "Harbor");
    g_assert_true (pd_store_save_persona (f->store, a, PD_SOURCE_PURCHASE, NULL));
    g_clear_object (&a);
    a = get (f, wallet);
    g_assert_cmpstr (pd_persona_get_value (a, PD_FIELD_FAVORITE_STORE), ==, "Downtown");
    pd_persona_set_value (a, PD_FIELD_FAVORITE_STORE, "Harbor");
    g_assert_true (pd_store_save_persona (f->store, a, PD_SOURCE_WALLET, NULL));
    g_clear_object (&a);
    a = get (f, wallet);
    g_assert_cmpstr (pd_persona_get_value (a, PD_FIELD_FAVORITE_STORE), ==, "Harbor");
  }
}

/* ---- permanent overrides and source IDs ------------------------------ */

static void
test_overrides (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(PdImportJob) seed = import (f, "Email,City,Signup Date\r\nann@example.com,Paris,2020-01-02\r\n", NULL);
  gint64 id = pd_store_find_persona (f->store, PD_FIELD_EMAIL, "ann@example.com", NULL);
  g_autoptr(PdPersona) p = get (f, id);
  g_autoptr(PdImportJob) pin_job = NULL;
  g_autoptr(GError) error = NULL;
  PdImportOptions options;
  PdFieldId field;
  char *value = NULL;

  /* the rule: which fields, which values */
  g_assert_true (pd_override_parse ("city", " Rome ", &field, &value, NULL));
  g_assert_cmpint (field, ==, PD_FIELD_CITY);
  g_assert_cmpstr (value, ==, "Rome");
  g_clear_pointer (&value, g_free);
  for (const char * const *bad = (const char * const[]) { "email", "phone", "points", "sms_opt_in",
                                                          "signup_override_date", "no_such_field",
                                                          "push_opt_in", NULL }; *bad != NULL; bad++)
    {
      g_assert_false (pd_override_parse (*bad, "x", &field, &value, &error));
      g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_assert_false (pd_override_parse ("birth_date", "1990-02-31", &field, &value, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
  g_clear_error (&error);

  pd_persona_set_override (p, PD_FIELD_CITY, "Rome");
  g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);

  /* every action, replace included, keeps the pinned value */
  for (PdMatchAction action = PD_MATCH_ACTION_UPDATE; action <= PD_MATCH_ACTION_MERGE; action++)
    {
      g_autoptr(PdImportJob) job = NULL;
      g_autoptr(PdPersona) q = NULL;

      pd_import_options_init (&options);
      options.action = action;
      job = import (f, "Email,City\r\nann@example.com,Berlin\r\n", &options);
      q = get (f, id);
      g_assert_cmpstr (pd_persona_get_value (q, PD_FIELD_CITY), ==, "Rome");
      g_assert_cmpstr (pd_persona_get_override (q, PD_FIELD_CITY), ==, "Rome");
    }
  /* an edit that does not change the pin keeps the value too */
  g_clear_object (&p);
  p = get (f, id);
  pd_persona_set_value (p, PD_FIELD_CITY, "Oslo");
  g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_API, NULL));
  g_clear_object (&p);
  p = get (f, id);
  g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_CITY), ==, "Rome");

  /* the import's override column sets the same override */
  pd_import_options_init (&options);
  options.action = PD_MATCH_ACTION_REPLACE;
  pin_job = import (f, "Email,Signup Override Date\r\nann@example.com,2021-05-06\r\n", &options);
  g_clear_object (&p);
  p = get (f, id);
  g_assert_cmpstr (pd_persona_get_override (p, PD_FIELD_SIGNUP_DATE), ==, "2021-05-06");
  {
    g_autoptr(PdImportJob) job = import (f, "Email,Signup Date\r\nann@example.com,2022-01-01\r\n", &options);
    g_autoptr(PdPersona) q = get (f, id);

    g_assert_cmpstr (pd_persona_get_value (q, PD_FIELD_SIGNUP_DATE), ==, "2021-05-06");
    /* undone in order, the override column's pin goes with its import */
    g_assert_true (pd_store_undo_import (f->store, pd_import_job_get_info (job)->id, &error));
    g_assert_no_error (error);
  }
  g_assert_true (pd_store_undo_import (f->store, pd_import_job_get_info (pin_job)->id, &error));
  g_assert_no_error (error);
  g_clear_object (&p);
  p = get (f, id);
  g_assert_null (pd_persona_get_override (p, PD_FIELD_SIGNUP_DATE));
  g_assert_cmpstr (pd_persona_get_value (p, PD_FIELD_SIGNUP_DATE), ==, "2020-01-02");
  g_assert_cmpstr (pd_persona_get_override (p, PD_FIELD_CITY), ==, "Rome");

  /* cleared: imports change it again */
  pd_persona_set_override (p, PD_FIELD_CITY, NULL);
  g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_MANUAL, NULL));
  {
    g_autoptr(PdImportJob) job = import (f, "Email,City\r\nann@example.com,Berlin\r\n", &options);
    g_autoptr(PdPersona) q = get (f, id);

    g_assert_cmpstr (pd_persona_get_value (q, PD_FIELD_CITY), ==, "Berlin");
  }
}

static void
test_source_ids (Fixture       *f,
                 gconstpointer  data)
{
  gint64 ann = add (f, "ann@example.com", NULL);
  gint64 bob = add (f, "bob@example.com", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autofree char *source = NULL, *source_id = NULL;

  g_assert_true (pd_source_id_parse ("pos: 0042 ", &source, &source_id, NULL));
  g_assert_cmpstr (source, ==, "pos");
  g_assert_cmpstr (source_id, ==, "0042");
  g_assert_false (pd_source_id_parse ("0042", &source, &source_id, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (pd_store_set_source_id (f->store, ann, "pos", "0042", &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_set_source_id (f->store, ann, "shopify", "A-9", NULL));
  g_assert_cmpint (pd_store_find_by_source_id (f->store, "pos", "0042", NULL), ==, ann);
  g_assert_cmpint (pd_store_find_by_source_id (f->store, "pos", "42", NULL), ==, 0);
  /* unique per source */
  g_assert_false (pd_store_set_source_id (f->store, bob, "pos", "0042", &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (pd_store_set_source_id (f->store, bob + 10, "pos", "1", &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  ids = pd_store_list_source_ids (f->store, ann, NULL);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpstr (ids->pdata[0], ==, "pos:0042");
  g_assert_cmpstr (ids->pdata[1], ==, "shopify:A-9");
  /* one per source: set again replaces */
  g_assert_true (pd_store_set_source_id (f->store, ann, "pos", "0043", NULL));
  g_assert_cmpint (pd_store_find_by_source_id (f->store, "pos", "0042", NULL), ==, 0);
  g_assert_true (pd_store_set_source_id (f->store, ann, "pos", NULL, NULL));
  g_assert_cmpint (pd_store_find_by_source_id (f->store, "pos", "0043", NULL), ==, 0);
  g_assert_false (pd_store_set_source_id (f->store, ann, "pos", NULL, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* an import column mapped to source:pos; a row whose ID another persona
   * holds fails alone; undo takes the IDs back */
  g_assert_true (pd_store_set_source_id (f->store, bob, "pos", "7", NULL));
  {
    const char * const map[] = { "Customer No=source:pos", NULL };
    g_autofree char *path = g_build_filename (f->dir, "pos.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    PdSourceOptions source = { .n_threads = 1, .map = map };
    PdImportOptions options;
    g_autoptr(PdImportJob) job = NULL;

    g_assert_true (g_file_set_contents (path, "Email,Customer No\r\nann@example.com,0042\r\n"
                                              "cat@example.com,7\r\ndee@example.com,9\r\n", -1, NULL));
    pd_import_options_init (&options);
    options.accept_terms = TRUE;
    job = pd_import_job_new (f->store, file, &source, &options);
    g_assert_true (pd_import_job_run (job, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (pd_import_job_get_info (job)->failed, ==, 1);
    g_assert_cmpint (pd_store_find_by_source_id (f->store, "pos", "0042", NULL), ==, ann);
    g_assert_cmpint (pd_store_find_by_source_id (f->store, "pos", "7", NULL), ==, bob);
    g_assert_cmpint (pd_store_find_by_source_id (f->store, "pos", "9", NULL), >, bob);
    g_assert_true (pd_store_undo_import (f->store, pd_import_job_get_info (job)->id, &error));
    g_assert_no_error (error);
    g_assert_cmpint (pd_store_find_by_source_id (f->store, "pos", "0042", NULL), ==, 0);
    g_assert_cmpint (pd_store_find_by_source_id (f->store, "pos", "9", NULL), ==, 0);
    g_assert_cmpint (pd_store_find_by_source_id (f->store, "pos", "7", NULL), ==, bob);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  g_test_add_func ("/loyalty/rules", test_rules);
  ADD ("/loyalty/adjust", test_adjust);
  ADD ("/loyalty/undo-reversal", test_undo_reversal);
  ADD ("/loyalty/opt-out-is-final", test_opt_out_is_final);
  ADD ("/loyalty/double-opt-in", test_double_opt_in);
  ADD ("/loyalty/expiry", test_expiry);
  ADD ("/loyalty/consent-only-contact", test_consent_only_contact);
  ADD ("/loyalty/outbox", test_outbox);
  ADD ("/loyalty/import-request", test_import_request);
  ADD ("/loyalty/status-hides", test_status_hides);
  ADD ("/loyalty/favorite-store", test_favorite_store);
  ADD ("/loyalty/overrides", test_overrides);
  ADD ("/loyalty/source-ids", test_source_ids);
#undef ADD
  /* the same rules on PostgreSQL (skipped without a server: pd-test-pg.h) */
  FIXTURE_ADD_PG ("/loyalty/pg/adjust", test_adjust);
  FIXTURE_ADD_PG ("/loyalty/pg/opt-out-is-final", test_opt_out_is_final);
  FIXTURE_ADD_PG ("/loyalty/pg/double-opt-in", test_double_opt_in);
  FIXTURE_ADD_PG ("/loyalty/pg/expiry", test_expiry);
  FIXTURE_ADD_PG ("/loyalty/pg/outbox", test_outbox);
  FIXTURE_ADD_PG ("/loyalty/pg/import-request", test_import_request);
  FIXTURE_ADD_PG ("/loyalty/pg/status-hides", test_status_hides);
  FIXTURE_ADD_PG ("/loyalty/pg/favorite-store", test_favorite_store);
  FIXTURE_ADD_PG ("/loyalty/pg/undo-reversal", test_undo_reversal);
  FIXTURE_ADD_PG ("/loyalty/pg/consent-only-contact", test_consent_only_contact);
  FIXTURE_ADD_PG ("/loyalty/pg/overrides", test_overrides);
  FIXTURE_ADD_PG ("/loyalty/pg/source-ids", test_source_ids);

  return g_test_run ();
}
