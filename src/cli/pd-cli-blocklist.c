/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli blocklist add|remove (--id N | --email E | --phone P):
 * the owner's blocklist (issue 16).  It keeps keyed hashes only and is
 * never listed: a persona holding a blocklisted contact is hidden
 * everywhere, and no import, creation or opt-in brings the contact back. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-cli.h"
#include "pd-email.h"
#include "pd-error.h"
#include "pd-phone.h"

int
pd_cli_blocklist (PdCliContext  *ctx,
                  int            argc,
                  char         **argv)
{
  g_autofree char *id_text = NULL, *email = NULL, *phone = NULL, *region = NULL;
  const GOptionEntry entries[] = {
    { "id", 0, 0, G_OPTION_ARG_STRING, &id_text, N_("A persona: every email and phone it has"), N_("ID") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("An email address"), N_("EMAIL") },
    { "phone", 0, 0, G_OPTION_ARG_STRING, &phone, N_("A phone number"), N_("PHONE") },
    { "region", 0, 0, G_OPTION_ARG_STRING, &region,
      N_("Country of a phone written without +, e.g. US, GB (default US)"), N_("CC") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("add|remove"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autofree char *value = NULL;
  PdActor actor = pd_cli_actor ();
  PdFieldId key = PD_FIELD_EMAIL;
  gint64 id = 0;
  guint n_personas = 0;
  gboolean add, ok;

  g_option_context_set_summary (context,
    _("Hide a persona, an email or a phone from every list, search, export and count, and "
      "refuse it in imports and opt-ins (owner only). The blocklist keeps keyed hashes, never "
      "the values, and cannot be listed; remove takes the same options."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("blocklist", error->message);
  if (argc != 2 || (strcmp (argv[1], "add") != 0 && strcmp (argv[1], "remove") != 0))
    return pd_cli_usage_error ("blocklist", _("say add or remove"));
  add = strcmp (argv[1], "add") == 0;
  if ((id_text != NULL) + (email != NULL) + (phone != NULL) != 1)
    return pd_cli_usage_error ("blocklist", _("give exactly one of --id, --email, --phone"));

  if (id_text != NULL && (id = pd_cli_parse_id (id_text, "--id", &error)) == 0)
    return pd_cli_fail_input (error);
  if (email != NULL && (value = pd_email_normalize (email, &error)) == NULL)
    return pd_cli_fail_input (error);
  if (phone != NULL)
    {
      key = PD_FIELD_PHONE;
      if ((value = pd_phone_normalize (phone, region, &error)) == NULL)
        return pd_cli_fail_input (error);
    }

  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  ok = add ? pd_store_blocklist_add (store, &actor, id, key, value, &n_personas, &error)
           : pd_store_blocklist_remove (store, &actor, id, key, value, &n_personas, &error);
  if (!ok)
    return pd_cli_fail_input (error);
  /* how many, never which: the blocklist is not a list of people */
  if (add)
    printf (g_dngettext (GETTEXT_PACKAGE, "Blocklisted; %u persona is now hidden.\n",
                         "Blocklisted; %u personas are now hidden.\n", n_personas), n_personas);
  else
    printf (g_dngettext (GETTEXT_PACKAGE, "Removed from the blocklist; %u persona is shown again.\n",
                         "Removed from the blocklist; %u personas are shown again.\n", n_personas), n_personas);
  return 0;
}
