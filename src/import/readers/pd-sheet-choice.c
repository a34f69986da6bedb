/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-sheet-choice.h"

static char *
quote_names (const char * const *names)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      /* TRANSLATORS: a sheet name in a list of sheets */
      g_string_append_printf (out, _("“%s”"), names[i]);
    }
  return g_string_free (out, FALSE);
}

/* Returns: (transfer full): a %PD_ERROR_SHEET_CHOICE error listing the
 * sheets that hold data */
GError *
pd_sheet_choice_error (const char         *display_name,
                       const char * const *non_empty_sheets)
{
  g_autofree char *list = quote_names (non_empty_sheets);

  return g_error_new (PD_ERROR, PD_ERROR_SHEET_CHOICE,
                      _("%s has data on several sheets: %s. "
                        "Choose the sheet to import."),
                      display_name, list);
}

/* Returns: (transfer full): a %PD_ERROR_NO_SUCH_SHEET error listing the
 * workbook's sheets */
GError *
pd_no_such_sheet_error (const char         *display_name,
                        const char         *wanted,
                        const char * const *sheets)
{
  g_autofree char *list = quote_names (sheets);

  if (sheets == NULL || sheets[0] == NULL)
    return g_error_new (PD_ERROR, PD_ERROR_NO_SUCH_SHEET,
                        _("%s has no sheet named “%s”: it has no sheets at all."),
                        display_name, wanted);
  return g_error_new (PD_ERROR, PD_ERROR_NO_SUCH_SHEET,
                      _("%s has no sheet named “%s”. Its sheets are: %s."),
                      display_name, wanted, list);
}

/* The index of @wanted in @sheets: the exact name, else the only name
 * equal to it ignoring case; -1 if none. */
int
pd_sheet_choice_find (const char * const *sheets,
                      const char         *wanted)
{
  g_autofree char *folded = g_utf8_casefold (wanted, -1);
  int found = -1;

  for (int i = 0; sheets[i] != NULL; i++)
    if (g_str_equal (sheets[i], wanted))
      return i;

  for (int i = 0; sheets[i] != NULL; i++)
    {
      g_autofree char *other = g_utf8_casefold (sheets[i], -1);

      if (g_str_equal (other, folded))
        {
          if (found >= 0)
            return -1;
          found = i;
        }
    }
  return found;
}
