/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The mapping of a file without a row of column names: each column's
 * field guessed from what its first rows hold (email addresses, phone
 * numbers, dates, names).  The header guess: pd-mapping-guess.c. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pd-email.h"
#include "pd-mapping-private.h"
#include "pd-value.h"

/* A column is of a kind when this share of its non-empty sample cells is. */
#define KIND_SHARE 0.8
/* Customers are older than this: a date column whose dates are at least
 * this many years back is a birth date, a more recent one a signup date. */
#define BIRTH_YEARS_BACK 12

typedef enum {
  KIND_NONE,
  KIND_EMAIL,
  KIND_PHONE,
  KIND_DATE,
  KIND_NAME,
} Kind;

typedef struct {
  Kind     kind;
  guint    n_words_2;  /* KIND_NAME: cells of two words or more */
  guint    n_old;      /* KIND_DATE: dates at least BIRTH_YEARS_BACK years back */
  guint    n_filled;
} ColumnKind;

/* Letters, and the spaces, hyphens, apostrophes and dots names have; no
 * digit, no comma ("San Antonio, TX" is a place); a few words at most. */
static gboolean
looks_like_name (const char *text,
                 guint      *n_words)
{
  gboolean in_word = FALSE;
  guint letters = 0;

  *n_words = 0;
  if (g_utf8_strlen (text, -1) > 40)
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalpha (c))
        {
          letters++;
          if (!in_word)
            (*n_words)++;
          in_word = TRUE;
        }
      else if (c == ' ')
        in_word = FALSE;
      else if (c != '-' && c != '\'' && c != 0x2019 && c != '.')
        return FALSE;
    }
  return letters >= 2 && *n_words <= 4;
}

static Kind
classify_cell (const char *cell,
               int         this_year,
               gboolean   *old_date,
               guint      *n_words)
{
  g_autofree char *email = NULL;
  g_autofree char *date = NULL;
  gboolean ambiguous = FALSE;
  gboolean boolean;

  *old_date = FALSE;
  *n_words = 0;
  if (strchr (cell, '@') != NULL)
    return (email = pd_email_normalize (cell, NULL)) != NULL ? KIND_EMAIL : KIND_NONE;
  /* before phones: "2005-02-25" is eight digits and dashes */
  if ((date = pd_value_parse_date (cell, PD_DATE_ORDER_UNKNOWN, &ambiguous, NULL)) != NULL)
    {
      *old_date = atoi (date) <= this_year - BIRTH_YEARS_BACK;
      return KIND_DATE;
    }
  if (_pd_mapping_looks_like_phone (cell))
    return KIND_PHONE;
  /* "yes", "no", "true": a flag, not a name */
  if (pd_value_parse_boolean (cell, &boolean, NULL))
    return KIND_NONE;
  if (looks_like_name (cell, n_words))
    return KIND_NAME;
  return KIND_NONE;
}

static ColumnKind
classify_column (PdRow * const *rows,
                 guint          n_rows,
                 guint          column,
                 int            this_year)
{
  guint counts[KIND_NAME + 1] = { 0, };
  ColumnKind result = { KIND_NONE, 0, 0, 0 };

  for (guint r = 0; r < n_rows; r++)
    {
      const char *cell = pd_row_get_cell (rows[r], column);
      g_autofree char *stripped = NULL;
      gboolean old_date;
      guint n_words;
      Kind kind;

      if (cell == NULL || *cell == '\0' || pd_value_is_placeholder (cell))
        continue;
      stripped = g_strstrip (g_strdup (cell));
      if (*stripped == '\0')
        continue;
      result.n_filled++;
      kind = classify_cell (stripped, this_year, &old_date, &n_words);
      counts[kind]++;
      if (kind == KIND_DATE && old_date)
        result.n_old++;
      if (kind == KIND_NAME && n_words >= 2)
        result.n_words_2++;
    }

  for (Kind kind = KIND_EMAIL; kind <= KIND_NAME && result.n_filled > 0; kind++)
    if (counts[kind] >= KIND_SHARE * result.n_filled)
      {
        result.kind = kind;
        break;
      }
  return result;
}

static void
map_column (PdMapping *self,
            guint      column,
            PdFieldId  field)
{
  Column *c = get_column (self, column);

  c->field = field;
  c->automatic = TRUE;
}

/**
 * pd_mapping_new_from_content:
 * @rows: (array length=n_rows): the first rows of a file that has no row of
 *   column names (its first row is a customer)
 *
 * Every email column feeds Email and every phone column Phone; the first
 * name column First name and the one right after it Last name (a first
 * column of two-word names alone is a full name); the first date column
 * Birth date when its dates are old enough to be, Signup date when not.
 * Columns of anything else (numbers, flags, places) stay unmapped: the
 * user maps them.  The columns have no header and are named by their
 * letter ("unnamed column C").
 *
 * Returns: (transfer full): the mapping, as wide as the widest row
 */
PdMapping *
pd_mapping_new_from_content (PdRow * const *rows,
                             guint          n_rows)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GPtrArray) headers = g_ptr_array_new ();
  PdMapping *self;
  gboolean names_done = FALSE, date_done = FALSE;
  guint width = 0;

  for (guint r = 0; r < n_rows; r++)
    width = MAX (width, rows[r]->n_cells);
  for (guint i = 0; i < width; i++)
    g_ptr_array_add (headers, "");
  self = _pd_mapping_new_unmapped ((const char * const *) headers->pdata, width);

  for (guint i = 0; i < width; i++)
    {
      ColumnKind kind = classify_column (rows, n_rows, i, g_date_time_get_year (now));

      switch (kind.kind)
        {
        case KIND_EMAIL:
          map_column (self, i, PD_FIELD_EMAIL);
          break;
        case KIND_PHONE:
          map_column (self, i, PD_FIELD_PHONE);
          break;
        case KIND_DATE:
          if (date_done)
            break;
          map_column (self, i, kind.n_old >= KIND_SHARE * kind.n_filled
                               ? PD_FIELD_BIRTH_DATE : PD_FIELD_SIGNUP_DATE);
          date_done = TRUE;
          break;
        case KIND_NAME:
          if (names_done)
            break;
          names_done = TRUE;
          if (i + 1 < width && classify_column (rows, n_rows, i + 1,
                                                g_date_time_get_year (now)).kind == KIND_NAME)
            {
              map_column (self, i, PD_FIELD_FIRST_NAME);
              map_column (self, ++i, PD_FIELD_LAST_NAME);
            }
          else
            map_column (self, i, kind.n_words_2 * 2 >= kind.n_filled
                                 ? PD_FIELD_FULL_NAME : PD_FIELD_FIRST_NAME);
          break;
        case KIND_NONE:
        default:
          break;
        }
    }

  return self;
}
