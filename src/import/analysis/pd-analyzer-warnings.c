/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdAnalyzer: the warnings about the whole file that sum its rows' up. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-analyzer-private.h"

/* A choice cell that gave no value was not one of the choices (the
 * normalizer warned on the row); count them per column for one line in
 * the file's warnings. */
void
_pd_analyzer_check_choices (PdMapping       *mapping,
                            PdRecord        *record,
                            PdChoiceProblem *problems)
{
  if (record->warnings->len == 0 || record->source == NULL)
    return;

  for (guint c = 0; c < pd_mapping_get_n_columns (mapping); c++)
    {
      const PdFieldInfo *info = pd_field_get_info (pd_mapping_get_field (mapping, c));
      const char *value, *end;

      if (info == NULL || info->type != PD_FIELD_TYPE_CHOICE || record->values[info->id] != NULL)
        continue;
      /* What g_strstrip() keeps, without a copy for every row. */
      value = pd_row_get_cell (record->source, c);
      end = value + strlen (value);
      while (g_ascii_isspace (*value))
        value++;
      while (end > value && g_ascii_isspace (end[-1]))
        end--;
      if (value == end)
        continue;
      if (problems[c].count++ == 0)
        {
          problems[c].first_row = record->row;
          problems[c].first_value = g_strndup (value, end - value);
        }
    }
}

void
_pd_analyzer_add_summary_warnings (PdAnalysis        *analysis,
                                   PdMapping         *mapping,
                                   PdChoiceProblem   *problems,
                                   const PdFirstSeen *first)
{
  guint n_columns = pd_mapping_get_n_columns (mapping);

  if (pd_analysis_get_duplicates (analysis) > 0)
    {
      guint n = pd_analysis_get_duplicates (analysis);
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u row repeats the email or phone of an earlier row "
                                      "(row %u repeats row %u); the import combines such rows",
                                      "%u rows repeat the email or phone of an earlier row "
                                      "(the first: row %u repeats row %u); the import combines "
                                      "such rows", n),
                         n, first->first_dup_row, first->first_dup_of);
      _pd_analysis_add_warning (analysis, text);
    }
  if (pd_analysis_get_shared_phones (analysis) > 0)
    {
      guint n = pd_analysis_get_shared_phones (analysis);
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u row shares a phone with another customer, who has "
                                      "another email (row %u shares row %u's); the import "
                                      "keeps them apart",
                                      "%u rows share a phone with another customer, who has "
                                      "another email (the first: row %u shares row %u's); the "
                                      "import keeps them apart",
                                      n),
                         n, first->first_shared_row, first->first_shared_of);
      _pd_analysis_add_warning (analysis, text);
    }

  for (guint c = 0; c < n_columns; c++)
    if (problems[c].count > 0)
      {
        const PdFieldInfo *info = pd_field_get_info (pd_mapping_get_field (mapping, c));
        g_autofree char *name = pd_mapping_dup_column_name (mapping, c);
        g_autofree char *choices = g_strjoinv (", ", (char **) info->choices);
        g_autofree char *text =
          g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "Column “%s”: %u value is not one of %s "
                                        "(row %u: “%s”); it is left out",
                                        "Column “%s”: %u values are not one of %s "
                                        "(the first: row %u, “%s”); they are left out",
                                        problems[c].count),
                           name, problems[c].count, choices, problems[c].first_row,
                           problems[c].first_value);
        _pd_analysis_add_warning (analysis, text);
      }
}
