/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dates as people write them beyond digits and separators (issue 20),
 * for pd_value_parse_date_to() (pd-value.c), which tries these only when
 * the plain numeric forms fail: the common case costs nothing more.
 *
 *  - Month names and abbreviations in English, German, French and Spanish
 *    ("March 5, 1990", "5 Mar 1990", "05-Mar-90", "1990-Mar-05",
 *    "5. März 1990", "5 de marzo de 1990"), with or without a weekday
 *    ("Monday, March 5, 1990") and ordinals ("5th", "1er").
 *  - YYYYMMDD (eight digits that make a date).
 *  - Excel serial numbers (days since 1899-12-30) in a date column, as a
 *    CSV export or a General xlsx cell gives them; a lone year ("1990")
 *    is not read as one.
 *  - Unicode dashes as separators; a time and zone after the date.
 *  - Placeholders ("N/A", "00/00/0000", "unknown", ...) mean no date. */
#include "config.h"

#include <string.h>

#include "pd-value.h"
#include "pd-value-private.h"

static const struct {
  const char *name;
  guint       month;
} month_names[] = {
  /* English */
  { "january", 1 }, { "february", 2 }, { "march", 3 }, { "april", 4 }, { "may", 5 }, { "june", 6 },
  { "july", 7 }, { "august", 8 }, { "september", 9 }, { "october", 10 }, { "november", 11 },
  { "december", 12 },
  { "jan", 1 }, { "feb", 2 }, { "mar", 3 }, { "apr", 4 }, { "jun", 6 }, { "jul", 7 }, { "aug", 8 },
  { "sep", 9 }, { "sept", 9 }, { "oct", 10 }, { "nov", 11 }, { "dec", 12 },
  /* German */
  { "januar", 1 }, { "jänner", 1 }, { "jän", 1 }, { "februar", 2 }, { "märz", 3 }, { "maerz", 3 },
  { "mär", 3 }, { "mrz", 3 }, { "mai", 5 }, { "juni", 6 }, { "juli", 7 }, { "oktober", 10 },
  { "okt", 10 }, { "dezember", 12 }, { "dez", 12 },
  /* French */
  { "janvier", 1 }, { "janv", 1 }, { "février", 2 }, { "fevrier", 2 }, { "févr", 2 }, { "fevr", 2 },
  { "fév", 2 }, { "mars", 3 }, { "avril", 4 }, { "avr", 4 }, { "juin", 6 }, { "juillet", 7 },
  { "juil", 7 }, { "août", 8 }, { "aout", 8 }, { "septembre", 9 }, { "octobre", 10 },
  { "novembre", 11 }, { "décembre", 12 }, { "decembre", 12 }, { "déc", 12 },
  /* Spanish */
  { "enero", 1 }, { "ene", 1 }, { "febrero", 2 }, { "marzo", 3 }, { "abril", 4 }, { "abr", 4 },
  { "mayo", 5 }, { "junio", 6 }, { "julio", 7 }, { "agosto", 8 }, { "ago", 8 },
  { "septiembre", 9 }, { "setiembre", 9 }, { "set", 9 }, { "octubre", 10 }, { "noviembre", 11 },
  { "diciembre", 12 }, { "dic", 12 },
};

/* Words that say nothing about the date: weekdays (full and short, four
 * languages), fillers ("5 de marzo de 1990", "the 5th of March") and
 * ordinal endings. */
static const char * const ignored_words[] = {
  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
  "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
  "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend", "sonntag",
  "mo", "di", "mi", "do", "fr", "sa", "so",
  "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
  "lun", "mer", "jeu", "ven", "sam", "dim",
  "lunes", "martes", "miércoles", "miercoles", "jueves", "viernes", "sábado", "sabado", "domingo",
  "mié", "mie", "jue", "vie", "sáb", "dom",
  "de", "del", "of", "the", "le", "den", "am",
  "st", "nd", "rd", "th", "er", "o", "º", "ª",
};

static const char * const placeholders[] = {
  "n/a", "na", "-", "--", "?", "unknown", "tbd", "null", "none", "nil", "n.a.", "#n/a",
};

gboolean
pd_value_is_placeholder (const char *text)
{
  gboolean zero = FALSE;
  const char *p;

  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (placeholders); i++)
    if (g_ascii_strcasecmp (text, placeholders[i]) == 0)
      return TRUE;
  /* "00/00/0000", "0/0/0000", "0000-00-00", "00.00.0000" */
  for (p = text; *p; p++)
    {
      if (*p == '0')
        zero = TRUE;
      else if (*p != '/' && *p != '-' && *p != '.')
        return FALSE;
    }
  return zero && strpbrk (text, "/-.") != NULL;
}

/* Unicode dashes and the minus sign to "-", and the text cut before a
 * time ("10:30", "T10:30:00Z"): what follows a date's time is its zone
 * or AM/PM, nothing about the day. */
char *
_pd_value_date_clean (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0xFE63 || c == 0xFF0D)
        c = '-';
      /* a time: one or two digits, ":", two digits */
      if (g_ascii_isdigit (*p) &&
          (p == text || !g_ascii_isdigit (p[-1])) &&
          ((p[1] == ':' && g_ascii_isdigit (p[2]) && g_ascii_isdigit (p[3])) ||
           (g_ascii_isdigit (p[1]) && p[2] == ':' && g_ascii_isdigit (p[3]) && g_ascii_isdigit (p[4]))))
        {
          if (out->len > 0 && (out->str[out->len - 1] == 'T' || out->str[out->len - 1] == 't'))
            g_string_truncate (out, out->len - 1);
          break;
        }
      g_string_append_unichar (out, c);
    }
  while (out->len > 0 && strchr (" ,-/.", out->str[out->len - 1]) != NULL)
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

static gboolean
in_list (const char         *word,
         const char * const *list,
         guint               n)
{
  for (guint i = 0; i < n; i++)
    if (strcmp (word, list[i]) == 0)
      return TRUE;
  return FALSE;
}

static guint
month_of (const char *word)
{
  for (guint i = 0; i < G_N_ELEMENTS (month_names); i++)
    if (strcmp (word, month_names[i].name) == 0)
      return month_names[i].month;
  return 0;
}

/* A date with its month in words: the month, and two numbers, the day
 * and the year (the one of three or four digits; otherwise the day comes
 * first, "05-Mar-90", "Mar 5, 90").  Unknown words refuse the value. */
gboolean
_pd_value_date_from_words (const char *text,
                           guint      *year,
                           guint      *month,
                           guint      *day,
                           gboolean   *short_year)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);
  guint numbers[2], digits[2], n_numbers = 0;
  guint found_month = 0;
  const char *p = lower;

  while (*p)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_ascii_isdigit (*p))
        {
          const char *start = p;
          guint value = 0;

          while (g_ascii_isdigit (*p) && p - start < 5)
            value = value * 10 + (*p++ - '0');
          if (g_ascii_isdigit (*p) || n_numbers == 2)
            return FALSE;
          digits[n_numbers] = p - start;
          numbers[n_numbers++] = value;
        }
      else if (g_unichar_isalpha (c) || c == 0xBA || c == 0xAA)
        {
          const char *start = p;
          g_autofree char *word = NULL;
          guint m;

          while (*p && (g_unichar_isalpha (g_utf8_get_char (p)) || g_utf8_get_char (p) == 0xBA ||
                        g_utf8_get_char (p) == 0xAA))
            p = g_utf8_next_char (p);
          word = g_strndup (start, p - start);
          /* the first month word is the month: a second (the Spanish and
           * French "mar", Tuesday) can only be a weekday */
          if ((m = month_of (word)) != 0 && found_month == 0)
            found_month = m;
          else if (!in_list (word, ignored_words, G_N_ELEMENTS (ignored_words)) && month_of (word) == 0)
            return FALSE;
        }
      else if (strchr (" ,.-/'", *p) != NULL)
        p++;
      else
        return FALSE;
    }

  if (found_month == 0 || n_numbers != 2)
    return FALSE;
  if (digits[0] >= 3 && digits[1] <= 2)
    {
      *year = numbers[0];
      *day = numbers[1];
      *short_year = FALSE;
    }
  else if (digits[0] <= 2)
    {
      *day = numbers[0];
      *year = numbers[1];
      *short_year = digits[1] == 2;
      if (digits[1] != 2 && digits[1] != 4)
        return FALSE;
    }
  else
    return FALSE;
  *month = found_month;
  return TRUE;
}

/* "19900305" */
gboolean
_pd_value_date_from_compact (const char *text,
                             guint      *year,
                             guint      *month,
                             guint      *day)
{
  guint v[8];

  if (strlen (text) != 8 || strspn (text, "0123456789") != 8)
    return FALSE;
  for (guint i = 0; i < 8; i++)
    v[i] = text[i] - '0';
  *year = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
  *month = v[4] * 10 + v[5];
  *day = v[6] * 10 + v[7];
  return *year >= 1800 && *year <= 2199 && *month >= 1 && *month <= 12 &&
         g_date_valid_dmy (*day, *month, *year);
}

/* Excel's day numbers: 1 is 1900-01-01 and, for Lotus's sake, the
 * numbers count a 29 February 1900 that never was; from 61 on, days since
 * 1899-12-30.  A fraction is the time of day.  Four digits from 1800 to
 * 2199 are a year someone wrote alone, not a day of 1905. */
gboolean
_pd_value_date_from_serial (const char *text,
                            guint      *year,
                            guint      *month,
                            guint      *day)
{
  gsize n = strspn (text, "0123456789");
  guint64 serial = 0;
  g_autoptr(GDate) date = NULL;

  if (n == 0 || n > 7 || (text[n] != '\0' && (text[n] != '.' || strspn (text + n + 1, "0123456789") !=
                                                                  strlen (text + n + 1))))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    serial = serial * 10 + (text[i] - '0');
  if (serial < 61 || serial > 2958465)
    return FALSE;
  if (n == 4 && serial >= 1800 && serial <= 2199)
    return FALSE;
  date = g_date_new_dmy (30, G_DATE_DECEMBER, 1899);
  g_date_add_days (date, serial);
  *year = g_date_get_year (date);
  *month = g_date_get_month (date);
  *day = g_date_get_day (date);
  return TRUE;
}
