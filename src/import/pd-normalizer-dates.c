/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdNormalizer: the day/month order of date columns without a chosen
 * format, settled by the whole column (issue 20). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-normalizer-private.h"

/* Where the day goes when nothing in a column decides: the regions that
 * write month first. */
static PdDateOrder
region_date_order (const char *region)
{
  static const char * const month_first[] = {
    "US", "AS", "GU", "MP", "PR", "VI", "UM", "CA", "PH", "FM", "MH", "PW", "BZ", NULL
  };

  return g_strv_contains (month_first, region) ? PD_DATE_ORDER_MDY : PD_DATE_ORDER_DMY;
}

/* Looks for values to show when the order is asked about: after the
 * first, a few thousand cells at most, or a column of one repeated date
 * would be parsed twice through. */
#define MAX_SAMPLE_LOOKS 4096

static void
add_sample (Plan       *plan,
            const char *cell)
{
  gboolean ambiguous = FALSE;
  char iso[PD_VALUE_ISO_DATE_SIZE];

  /* the first one is looked for as long as it takes: it decides whether
   * the column is warned about at all */
  if (plan->ambiguous_example != NULL &&
      (plan->samples_looked_at++ >= MAX_SAMPLE_LOOKS ||
       plan->ambiguous_samples->len >= PD_DATE_QUESTION_MAX_SAMPLES))
    return;
  if (!pd_value_parse_date_to (cell, PD_DATE_ORDER_UNKNOWN, &ambiguous, iso, NULL) || !ambiguous)
    return;
  if (plan->ambiguous_example == NULL)
    plan->ambiguous_example = _pd_normalizer_quote_value (cell, -1);
  if (plan->ambiguous_samples == NULL)
    plan->ambiguous_samples = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < plan->ambiguous_samples->len; i++)
    if (strcmp (g_ptr_array_index (plan->ambiguous_samples, i), cell) == 0)
      return;
  /* bounded like a quoted value: a sample is shown, not parsed again */
  if (g_utf8_strlen (cell, -1) <= MAX_QUOTED_CHARS)
    g_ptr_array_add (plan->ambiguous_samples, g_strdup (cell));
}

/**
 * pd_normalizer_add_date_evidence:
 * @rows: (array length=n_rows): data rows
 *
 * Collects what @rows say about the day/month order of each date column
 * without a chosen format.  Call with the first rows and, while
 * pd_normalizer_needs_date_evidence(), with the rest of the column; then
 * pd_normalizer_finish_dates().
 */
void
pd_normalizer_add_date_evidence (PdNormalizer  *self,
                                 PdRow * const *rows,
                                 guint          n_rows)
{
  g_return_if_fail (PD_IS_NORMALIZER (self));

  for (guint a = 0; a < self->active->len; a++)
    {
      guint column = g_array_index (self->active, guint, a);
      Plan *plan = &g_array_index (self->plans, Plan, column);

      if (plan->type != PD_FIELD_TYPE_DATE || plan->order_chosen)
        continue;
      if (plan->detector == NULL)
        plan->detector = pd_date_detector_new ();
      for (guint r = 0; r < n_rows; r++)
        {
          const char *cell = pd_row_get_cell (rows[r], column);

          if (*cell == '\0' || rows[r]->error != NULL)
            continue;
          pd_date_detector_add (plan->detector, cell);
          add_sample (plan, cell);
        }
    }
}

/* Whether a date column still has values that read two ways and nothing
 * that decides: then the rest of the column is worth reading first. */
gboolean
pd_normalizer_needs_date_evidence (PdNormalizer *self)
{
  g_return_val_if_fail (PD_IS_NORMALIZER (self), FALSE);

  for (guint a = 0; a < self->active->len; a++)
    {
      Plan *plan = &g_array_index (self->plans, Plan, g_array_index (self->active, guint, a));

      if (plan->detector != NULL && pd_date_detector_get_order (plan->detector) == PD_DATE_ORDER_UNKNOWN &&
          pd_date_detector_is_ambiguous (plan->detector))
        return TRUE;
    }
  return FALSE;
}

/* The orders the evidence decided; a column it leaves open is read in the
 * default region's order and gets a warning (pd_normalizer_get_warnings()),
 * and so does each of its values that the order decides. */
void
pd_normalizer_finish_dates (PdNormalizer *self)
{
  g_return_if_fail (PD_IS_NORMALIZER (self));

  for (guint a = 0; a < self->active->len; a++)
    {
      Plan *plan = &g_array_index (self->plans, Plan, g_array_index (self->active, guint, a));

      if (plan->detector == NULL)
        continue;
      plan->order = pd_date_detector_get_order (plan->detector);
      plan->undecided = FALSE;
      if (plan->order == PD_DATE_ORDER_UNKNOWN && plan->ambiguous_example != NULL)
        {
          PdDateOrder order = region_date_order (self->default_region);

          plan->order = order;
          plan->undecided = TRUE;
          g_ptr_array_add (self->warnings,
                           g_strdup_printf (order == PD_DATE_ORDER_MDY
                                            ? _("Column “%s”: dates such as “%s” could be "
                                                "month-first or day-first, and nothing in the "
                                                "whole column decides; they are read month-first "
                                                "(MM/DD/YYYY), the default region's order. Choose "
                                                "the column's date format (--date-format) to be sure.")
                                            : _("Column “%s”: dates such as “%s” could be "
                                                "month-first or day-first, and nothing in the "
                                                "whole column decides; they are read day-first "
                                                "(DD/MM/YYYY), the default region's order. Choose "
                                                "the column's date format (--date-format) to be sure."),
                                            plan->name, plan->ambiguous_example));
        }
      g_clear_pointer (&plan->detector, pd_date_detector_free);
    }
}

/**
 * pd_normalizer_detect_dates:
 * @rows: (array length=n_rows): the rows that decide, e.g. the first ones
 *
 * pd_normalizer_add_date_evidence() and pd_normalizer_finish_dates() at
 * once.
 */
void
pd_normalizer_detect_dates (PdNormalizer  *self,
                            PdRow * const *rows,
                            guint          n_rows)
{
  pd_normalizer_add_date_evidence (self, rows, n_rows);
  pd_normalizer_finish_dates (self);
}

/* For a caller that detected the order itself or restores a saved one. */
void
pd_normalizer_set_date_order (PdNormalizer *self,
                              guint         column,
                              PdDateOrder   order)
{
  g_return_if_fail (PD_IS_NORMALIZER (self));
  g_return_if_fail (column < self->plans->len);

  g_array_index (self->plans, Plan, column).order = order;
  g_array_index (self->plans, Plan, column).undecided = FALSE;
}

PdDateOrder
pd_normalizer_get_date_order (PdNormalizer *self,
                              guint         column)
{
  g_return_val_if_fail (PD_IS_NORMALIZER (self), PD_DATE_ORDER_UNKNOWN);
  g_return_val_if_fail (column < self->plans->len, PD_DATE_ORDER_UNKNOWN);

  return g_array_index (self->plans, Plan, column).order;
}


PdDateQuestion *
pd_date_question_copy (const PdDateQuestion *question)
{
  PdDateQuestion *copy = g_new0 (PdDateQuestion, 1);

  *copy = *question;
  copy->name = g_strdup (question->name);
  copy->samples = g_strdupv (question->samples);
  return copy;
}

void
pd_date_question_free (PdDateQuestion *question)
{
  if (question == NULL)
    return;
  g_free (question->name);
  g_strfreev (question->samples);
  g_free (question);
}

/**
 * pd_normalizer_dup_date_questions:
 *
 * After pd_normalizer_finish_dates(): the date columns that nothing in
 * the evidence decided, read in the default region's order.  A caller
 * that can ask (the assistant) shows the samples read both ways and sets
 * the column's date format with the answer.
 *
 * Returns: (transfer full) (element-type PdDateQuestion): in column order
 */
GPtrArray *
pd_normalizer_dup_date_questions (PdNormalizer *self)
{
  GPtrArray *questions = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_date_question_free);

  g_return_val_if_fail (PD_IS_NORMALIZER (self), questions);

  for (guint a = 0; a < self->active->len; a++)
    {
      guint column = g_array_index (self->active, guint, a);
      Plan *plan = &g_array_index (self->plans, Plan, column);
      PdDateQuestion *question;

      if (!plan->undecided || plan->ambiguous_samples == NULL)
        continue;
      question = g_new0 (PdDateQuestion, 1);
      question->column = column;
      question->name = g_strdup (plan->name);
      question->order = plan->order;
      question->samples = g_new0 (char *, plan->ambiguous_samples->len + 1);
      for (guint i = 0; i < plan->ambiguous_samples->len; i++)
        question->samples[i] = g_strdup (g_ptr_array_index (plan->ambiguous_samples, i));
      g_ptr_array_add (questions, question);
    }
  return questions;
}
