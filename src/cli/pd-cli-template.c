/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli template [--out FILE]: the sample CSV, one column per
 * field headed by its label, with one example row (pd_template_build_csv(),
 * shared with the app). */
#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>

#include "pd-cli.h"
#include "pd-template.h"

int
pd_cli_template (PdCliContext *ctx,
                 int           argc,
                 char        **argv)
{
  g_autofree char *out_path = NULL;
  const GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_path,
      N_("Write the template to FILE instead of standard output"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_option_context_set_summary (context, _("Write the sample CSV template: one column per "
                                           "persona field and one example row."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("template", error->message);
  if (argc > 1)
    return pd_cli_usage_error ("template", _("no arguments expected"));

  /* the same function as the app's "Download template" */
  text = pd_template_build_csv ();
  if (out_path == NULL)
    {
      fputs (text, stdout);
      return fflush (stdout) == 0 ? 0 : 1;
    }

  if (!g_file_set_contents (out_path, text, -1, &error))
    return pd_cli_fail (error);
  return 0;
}
