/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli optin PHONE [--double-opt] [--no-loyalty], optin
 * confirm|decline PHONE, optin expire: a number's SMS consent; optin
 * --email E, optin decline --email E: an address's email consent (no
 * double opt-in for email).  No
 * persona is created: an unknown number is kept as a consent-only contact
 * until a persona takes it. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <glib/gi18n-lib.h>

#include "pd-cli.h"
#include "pd-error.h"
#include "pd-email.h"
#include "pd-phone.h"

static void
print_change (const char            *phone,
              const PdConsentChange *change);

/* An address's email consent: opt-in (which=0) or the customer's
 * unsubscribe (which=2), by the store's rules. */
static int
run_email (PdCliContext *ctx,
           const char   *command,
           const char   *text,
           int           which)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autofree char *email = NULL;
  PdActor actor = pd_cli_actor ();
  PdConsentChange change;
  gboolean ok;

  if (which != 0 && which != 2)
    return pd_cli_usage_error (command, _("email has no double opt-in: only optin --email and "
                                          "optin decline --email"));
  email = pd_email_normalize (text, &error);
  if (email == NULL)
    return pd_cli_fail_input (error);
  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  ok = which == 0 ? pd_store_email_opt_in (store, email, &actor, &change, &error)
                  : pd_store_email_decline (store, email, &actor, &change, &error);
  if (!ok)
    {
      g_autofree char *message = g_strdup_printf ("%s: %s", email, error->message);
      g_autofree char *safe = pd_cli_escape (message);

      g_printerr ("persona-desk-cli %s: %s\n", command, safe);
      return error->code == PD_ERROR_INVALID || error->code == PD_ERROR_NOT_FOUND ? 2 : 1;
    }
  print_change (email, &change);
  return 0;
}

static void
print_change (const char            *phone,
              const PdConsentChange *change)
{
  if (change->persona_id != 0)
    printf (_("%s (persona %" PRId64 "): %s → %s"), phone, change->persona_id,
            pd_consent_state_to_string (change->before), pd_consent_state_to_string (change->after));
  else
    printf (_("%s (consent-only contact): %s → %s"), phone,
            pd_consent_state_to_string (change->before), pd_consent_state_to_string (change->after));
  if (change->enrolled)
    printf ("%s", _(", enrolled in loyalty"));
  if (change->outbox_id != 0)
    printf (_(", confirmation text %" PRId64 " queued in the outbox"), change->outbox_id);
  printf ("\n");
}

static int
run (PdCliContext *ctx,
     const char   *command,
     const char   *summary,
     int           argc,
     char        **argv,
     int           which)
{
  g_autofree char *region = NULL, *email = NULL;
  gboolean double_opt = FALSE, no_loyalty = FALSE;
  const GOptionEntry opt_in_entries[] = {
    { "double-opt", 0, 0, G_OPTION_ARG_NONE, &double_opt,
      N_("Pending until the customer replies YES: queue a confirmation text in the outbox"), NULL },
    { "no-loyalty", 0, 0, G_OPTION_ARG_NONE, &no_loyalty,
      N_("Opt in at once (no double opt-in) without enrolling in loyalty"), NULL },
    { NULL }
  };
  const GOptionEntry entries[] = {
    { "region", 0, 0, G_OPTION_ARG_STRING, &region,
      N_("Country of a phone written without +, e.g. US, GB (default US)"), N_("CC") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email,
      N_("An email address instead of a phone (email has no double opt-in)"), N_("EMAIL") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PHONE"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autofree char *phone = NULL;
  PdActor actor = pd_cli_actor ();
  PdConsentChange change;
  gboolean ok;

  g_option_context_set_summary (context, summary);
  if (which == 0)
    g_option_context_add_main_entries (context, opt_in_entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error (command, error->message);
  if (email != NULL)
    {
      if (argc != 1 || double_opt || no_loyalty || region != NULL)
        return pd_cli_usage_error (command, _("--email takes no PHONE, --region, --double-opt or --no-loyalty"));
      return run_email (ctx, command, email, which);
    }
  if (argc != 2)
    return pd_cli_usage_error (command, _("expected one PHONE"));
  if (double_opt && no_loyalty)
    return pd_cli_usage_error (command, _("--no-loyalty opts in at once: it cannot go with --double-opt"));
  phone = pd_phone_normalize (argv[1], region, &error);
  if (phone == NULL)
    return pd_cli_fail_input (error);

  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  /* a request that expired is not confirmed */
  if (!pd_store_expire_sms_requests (store, 0, NULL, &error))
    return pd_cli_fail (error);
  if (which == 0)
    ok = pd_store_sms_opt_in (store, phone,
                              double_opt ? PD_SMS_OPT_IN_DOUBLE : no_loyalty ? PD_SMS_OPT_IN_NO_LOYALTY
                                                                             : PD_SMS_OPT_IN_FORCE,
                              &actor, &change, &error);
  else if (which == 1)
    ok = pd_store_sms_confirm (store, phone, &actor, &change, &error);
  else if (which == 2)
    ok = pd_store_sms_decline (store, phone, &actor, &change, &error);
  else
    ok = pd_store_sms_cancel (store, phone, &actor, &change, &error);
  if (!ok)
    {
      g_autofree char *message = g_strdup_printf ("%s: %s", phone, error->message);

      g_autofree char *safe = pd_cli_escape (message);

      g_printerr ("persona-desk-cli %s: %s\n", command, safe);
      return error->code == PD_ERROR_INVALID || error->code == PD_ERROR_NOT_FOUND ? 2 : 1;
    }
  print_change (phone, &change);
  return 0;
}

static int
expire (PdCliContext *ctx,
        int           argc,
        char        **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  guint n = 0;

  g_option_context_set_summary (context, _("Turn double opt-in requests older than the configured days "
                                           "(config double-opt-in-expiry-days) back to not opted in."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("optin expire", error->message);
  if (argc != 1)
    return pd_cli_usage_error ("optin expire", _("unexpected argument"));
  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  if (!pd_store_expire_sms_requests (store, 0, &n, &error))
    return pd_cli_fail (error);
  printf (g_dngettext (GETTEXT_PACKAGE, "%u pending request expired\n", "%u pending requests expired\n", n), n);
  return 0;
}

int
pd_cli_optin (PdCliContext *ctx,
              int           argc,
              char        **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "confirm"))
    return run (ctx, "optin confirm", _("The customer's YES: a pending double opt-in becomes opted in and "
                                        "enrols in loyalty."), argc - 1, argv + 1, 1);
  if (argc >= 2 && g_str_equal (argv[1], "decline"))
    return run (ctx, "optin decline", _("The customer's STOP: an explicit opt-out, for good."),
                argc - 1, argv + 1, 2);
  if (argc >= 2 && g_str_equal (argv[1], "cancel"))
    return run (ctx, "optin cancel", _("Withdraw a pending double opt-in request: back to not opted in."),
                argc - 1, argv + 1, 3);
  if (argc >= 2 && g_str_equal (argv[1], "expire"))
    return expire (ctx, argc - 1, argv + 1);
  return run (ctx, "optin", _("Opt a phone number in to texts (and enrol it in loyalty), or with --email an "
                              "address in to email. A number or address that opted out is never opted in again. "
                              "Also: optin confirm|decline|cancel PHONE, optin decline --email EMAIL, optin expire."),
              argc, argv, 0);
}
