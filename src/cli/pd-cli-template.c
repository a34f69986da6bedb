/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli template [--out FILE]: the sample CSV, one column per
 * field headed by its label, with one example row.  The labels map back
 * to their fields, so the template imports as is. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-cli.h"
#include "pd-field.h"

/* RFC 4180: quote a field holding a delimiter, a quote or a line break,
 * doubling the quotes. */
static void
append_csv_field (GString    *out,
                  const char *value)
{
  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (out, value);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static char *
build_template (void)
{
  GString *out = g_string_new (NULL);
  guint n = pd_field_get_count ();

  for (guint pass = 0; pass < 2; pass++)
    {
      for (PdFieldId id = 0; id < (PdFieldId) n; id++)
        {
          const PdFieldInfo *info = pd_field_get_info (id);

          if (id > 0)
            g_string_append_c (out, ',');
          append_csv_field (out, pass == 0 ? _(info->label) : info->example);
        }
      g_string_append (out, "\r\n");
    }

  return g_string_free (out, FALSE);
}

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

  text = build_template ();
  if (out_path == NULL)
    {
      fputs (text, stdout);
      return fflush (stdout) == 0 ? 0 : 1;
    }

  if (!g_file_set_contents (out_path, text, -1, &error))
    return pd_cli_fail (error);
  return 0;
}
