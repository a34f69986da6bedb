/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli forget (--phone P | --email E)... [--dry-run]: a
 * data-deletion request (issue 16).  Erases the personas holding the
 * contacts and every copy of their data, and blocklists the contacts so
 * that nothing brings them back; --dry-run says how many personas it
 * concerns, never who. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <glib/gi18n-lib.h>

#include "pd-cli.h"
#include "pd-email.h"
#include "pd-error.h"
#include "pd-phone.h"
#include "pd-privacy-forget.h"

int
pd_cli_forget (PdCliContext  *ctx,
               int            argc,
               char         **argv)
{
  g_auto(GStrv) emails_in = NULL, phones_in = NULL;
  g_autofree char *region = NULL;
  gboolean dry_run = FALSE;
  const GOptionEntry entries[] = {
    { "email", 0, 0, G_OPTION_ARG_STRING_ARRAY, &emails_in, N_("An email address of the person (repeatable)"), N_("EMAIL") },
    { "phone", 0, 0, G_OPTION_ARG_STRING_ARRAY, &phones_in, N_("A phone number of the person (repeatable)"), N_("PHONE") },
    { "region", 0, 0, G_OPTION_ARG_STRING, &region,
      N_("Country of a phone written without +, e.g. US, GB (default US)"), N_("CC") },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Only say how many personas it concerns"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(GPtrArray) emails = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) phones = g_ptr_array_new_with_free_func (g_free);
  PdActor actor = pd_cli_actor ();
  PdForgetResult result;

  g_option_context_set_summary (context,
    _("Erase a customer on request (owner only): opt them out of everything, delete their "
      "personas, points, ledger and every copy (import reports, the rows of kept import files, "
      "undo records, audit details), and blocklist their contacts so no import, creation or "
      "opt-in brings them back. Cannot be undone."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("forget", error->message);
  if (argc != 1 || (emails_in == NULL && phones_in == NULL))
    return pd_cli_usage_error ("forget", _("give at least one --phone or --email"));

  for (guint i = 0; emails_in != NULL && emails_in[i] != NULL; i++)
    {
      char *email = pd_email_normalize (emails_in[i], &error);

      if (email == NULL)
        return pd_cli_fail_input (error);
      g_ptr_array_add (emails, email);
    }
  for (guint i = 0; phones_in != NULL && phones_in[i] != NULL; i++)
    {
      char *phone = pd_phone_normalize (phones_in[i], region, &error);

      if (phone == NULL)
        return pd_cli_fail_input (error);
      g_ptr_array_add (phones, phone);
    }
  g_ptr_array_add (emails, NULL);
  g_ptr_array_add (phones, NULL);

  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  if (!pd_privacy_forget (store, &actor, (const char * const *) emails->pdata,
                          (const char * const *) phones->pdata, dry_run, &result, &error))
    return pd_cli_fail_input (error);
  if (dry_run)
    {
      printf (g_dngettext (GETTEXT_PACKAGE, "This concerns %u persona.\n",
                           "This concerns %u personas.\n", result.personas), result.personas);
      return 0;
    }
  printf (g_dngettext (GETTEXT_PACKAGE, "Forgotten: %u persona erased",
                       "Forgotten: %u personas erased", result.personas), result.personas);
  printf (g_dngettext (GETTEXT_PACKAGE, ", %u contact blocklisted",
                       ", %u contacts blocklisted", result.contacts), result.contacts);
  printf (g_dngettext (GETTEXT_PACKAGE, ", %u row removed from kept import files.\n",
                       ", %u rows removed from kept import files.\n", result.rows_removed), result.rows_removed);
  return 0;
}
