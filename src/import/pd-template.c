/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-field.h"
#include "pd-template.h"

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

/**
 * pd_template_build_csv:
 *
 * Returns: (transfer full): the template, CRLF line ends, UTF-8 without BOM
 */
char *
pd_template_build_csv (void)
{
  GString *out = g_string_new (NULL);
  guint n = pd_field_get_count ();

  for (guint pass = 0; pass < 2; pass++)
    {
      gboolean first = TRUE;

      for (PdFieldId id = 0; id < (PdFieldId) n; id++)
        {
          const PdFieldInfo *info = pd_field_get_info (id);

          /* a way to read a file's name column, not a field to fill in
           * beside first and last name */
          if (info->type == PD_FIELD_TYPE_FULL_NAME)
            continue;
          if (!first)
            g_string_append_c (out, ',');
          first = FALSE;
          append_csv_field (out, pass == 0 ? _(info->label) : info->example);
        }
      g_string_append (out, "\r\n");
    }

  return g_string_free (out, FALSE);
}
