/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Email consent (issue 15): opt-in and the customer's unsubscribe, with
 * no double opt-in; an explicit opt-out is final against the CLI's and
 * API's opt-in, imports that opt everyone in, app edits and new personas
 * with the address. */
#include "config.h"

#include <glib/gstdio.h>

#include "pd-error.h"
#include "pd-loyalty.h"
#include "pd-test-store-fixture.h"

static const PdActor staff = { PD_SOURCE_MANUAL, "clerk" };

static gint64
add (Fixture    *f,
     const char *email,
     gboolean    opt_in)
{
  g_autoptr(PdPersona) p = pd_persona_new ();
  g_autoptr(GError) error = NULL;

  pd_persona_add_email (p, email);
  pd_persona_set_email_opt_in (p, opt_in);
  g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  return pd_persona_get_id (p);
}

static gboolean
opted_in (Fixture *f,
          gint64   id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPersona) p = pd_store_get_persona (f->store, id, &error);

  g_assert_no_error (error);
  return pd_persona_get_email_opt_in (p);
}

static void
test_rules (void)
{
  g_autoptr(GError) error = NULL;
  PdConsentState state = PD_CONSENT_STATE_NONE;

  g_assert_true (pd_email_consent_request (PD_CONSENT_STATE_NONE, &state, &error));
  g_assert_cmpint (state, ==, PD_CONSENT_STATE_OPTED_IN);
  g_assert_true (pd_email_consent_request (PD_CONSENT_STATE_OPTED_IN, &state, &error));
  g_assert_cmpint (state, ==, PD_CONSENT_STATE_OPTED_IN);
  g_assert_false (pd_email_consent_request (PD_CONSENT_STATE_OPTED_OUT, &state, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_assert_true (pd_email_opt_in_allowed (FALSE));
  g_assert_false (pd_email_opt_in_allowed (TRUE));
}

static void
test_opt_out_is_final (Fixture       *f,
                       gconstpointer  data)
{
  gint64 ann = add (f, "ann@example.com", FALSE);
  gint64 bob = add (f, "bob@example.com", FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPersona) p = NULL;
  PdImportOptions options;
  PdConsentChange change;
  PdLoyaltyStatus status;

  /* opt-in, straight away: no double opt-in for email */
  g_assert_true (pd_store_email_opt_in (f->store, "ann@example.com", &staff, &change, &error));
  g_assert_no_error (error);
  g_assert_cmpint (change.persona_id, ==, ann);
  g_assert_cmpint (change.before, ==, PD_CONSENT_STATE_NONE);
  g_assert_cmpint (change.after, ==, PD_CONSENT_STATE_OPTED_IN);
  g_assert_cmpint (change.outbox_id, ==, 0);
  g_assert_true (opted_in (f, ann));

  /* the customer's unsubscribe */
  g_assert_true (pd_store_email_decline (f->store, "ann@example.com", &staff, &change, &error));
  g_assert_no_error (error);
  g_assert_cmpint (change.before, ==, PD_CONSENT_STATE_OPTED_IN);
  g_assert_cmpint (change.after, ==, PD_CONSENT_STATE_OPTED_OUT);
  g_assert_false (opted_in (f, ann));
  g_assert_true (pd_store_get_loyalty_status (f->store, PD_FIELD_EMAIL, "ann@example.com", &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status.email, ==, PD_CONSENT_STATE_OPTED_OUT);
  g_assert_true (pd_store_get_loyalty_status (f->store, PD_FIELD_EMAIL, "bob@example.com", &status, &error));
  g_assert_cmpint (status.email, ==, PD_CONSENT_STATE_NONE);

  /* the CLI's or API's opt-in */
  g_assert_false (pd_store_email_opt_in (f->store, "ann@example.com", &staff, &change, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (opted_in (f, ann));

  /* imports that opt everyone in, or say so in a column, whatever their action */
  for (PdMatchAction action = PD_MATCH_ACTION_UPDATE; action <= PD_MATCH_ACTION_MERGE; action++)
    {
      g_autoptr(PdImportJob) j = NULL;

      pd_import_options_init (&options);
      options.action = action;
      options.opt_in_all_email = TRUE;
      j = import (f, "Email,Email Opt In\r\nann@example.com,yes\r\nbob@example.com,yes\r\n", &options);
      g_assert_false (opted_in (f, ann));
    }
  /* … which opt in those who did not opt out */
  g_assert_true (opted_in (f, bob));

  /* an edit in the app, or through the API */
  p = pd_store_get_persona (f->store, ann, &error);
  g_assert_no_error (error);
  pd_persona_set_email_opt_in (p, TRUE);
  g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  g_assert_false (opted_in (f, ann));
  pd_persona_set_email_opt_in (p, TRUE);
  g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_API, &error));
  g_assert_no_error (error);
  g_assert_false (opted_in (f, ann));

  /* a second address does not carry the persona's opt-in past the first's opt-out */
  pd_persona_add_email (p, "ann.other@example.com");
  pd_persona_set_email_opt_in (p, TRUE);
  g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  g_assert_false (opted_in (f, ann));
}

static void
test_unknown_address (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdImportJob) job = NULL;
  PdImportOptions options;
  PdConsentChange change;
  gint64 id;

  /* an opt-in needs a persona; an unsubscribe is kept without one */
  g_assert_false (pd_store_email_opt_in (f->store, "cat@example.com", &staff, &change, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (pd_store_email_decline (f->store, "cat@example.com", &staff, &change, &error));
  g_assert_no_error (error);
  g_assert_cmpint (change.persona_id, ==, 0);
  g_assert_cmpint (change.after, ==, PD_CONSENT_STATE_OPTED_OUT);
  g_assert_cmpuint (pd_store_count_personas (f->store, &(PdPersonaQuery) { 0 }, NULL), ==, 0);
  /* declining twice is no error and no change */
  g_assert_true (pd_store_email_decline (f->store, "cat@example.com", &staff, &change, &error));
  g_assert_cmpint (change.before, ==, PD_CONSENT_STATE_OPTED_OUT);

  /* an import that creates the persona, opting everyone in */
  pd_import_options_init (&options);
  options.opt_in_all_email = TRUE;
  job = import (f, "Email\r\ncat@example.com\r\ndan@example.com\r\n", &options);
  id = pd_store_find_persona (f->store, PD_FIELD_EMAIL, "cat@example.com", NULL);
  g_assert_cmpint (id, >, 0);
  g_assert_false (opted_in (f, id));
  id = pd_store_find_persona (f->store, PD_FIELD_EMAIL, "dan@example.com", NULL);
  g_assert_true (opted_in (f, id));

  /* undone and created again in the app, opted in by staff */
  g_assert_true (pd_store_undo_import (f->store, pd_import_job_get_info (job)->id, &error));
  g_assert_no_error (error);
  id = add (f, "cat@example.com", TRUE);
  g_assert_false (opted_in (f, id));
  g_assert_false (pd_store_email_opt_in (f->store, "cat@example.com", &staff, &change, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_CONFLICT);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  g_test_add_func ("/email-consent/rules", test_rules);
  ADD ("/email-consent/opt-out-is-final", test_opt_out_is_final);
  ADD ("/email-consent/unknown-address", test_unknown_address);
#undef ADD
  /* the same rules on PostgreSQL (skipped without a server: pd-test-pg.h) */
  FIXTURE_ADD_PG ("/email-consent/pg/opt-out-is-final", test_opt_out_is_final);
  FIXTURE_ADD_PG ("/email-consent/pg/unknown-address", test_unknown_address);

  return g_test_run ();
}
