/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Parsers for booleans, integers and dates (pd-value.h).
 *
 * Decisions, so that nobody has to guess them from the code:
 *  - Booleans: case-insensitive TRUE/yes/y/1/on/x and the check marks ✓ ✔
 *    (a ticked column) are TRUE; FALSE/no/n/0/off are FALSE.  An empty
 *    cell is an error here: whether empty means "no" or "leave alone" is
 *    the caller's rule.
 *  - Integers: optional + or - (also the Unicode minus), digits, and comma
 *    grouping only in groups of three ("1,200", not "1,20": in much of
 *    Europe that is a decimal comma, and reading it as 120 would be a
 *    silent error).  A fractional part of zeros only ("15.00", as currency
 *    formats export) is accepted; any other fraction is refused.  Values
 *    outside gint64 are refused.
 *  - Dates: year first (YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD) is always
 *    understood.  Otherwise day and month come in the order chosen (MDY or
 *    DMY) or, without one, in the order the value itself proves (13/02/1990
 *    can only be day-first); an undecidable one is read month-first and
 *    flagged ambiguous so that the caller warns.  Separators / - . (the
 *    same one twice).  Two-digit years are read as the latest year not
 *    after the current one ("05" is 2005, "85" is 1985, in 2026): these are
 *    birth and signup dates, which are never in the future.  A time part
 *    after the date ("1990-02-13T00:00:00", "2/13/1990 0:00", as xlsx and
 *    Excel CSV exports write) is accepted and dropped.  31 February and
 *    month 13 are refused. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "pd-error.h"
#include "pd-value.h"
#include "pd-value-private.h"

static gboolean
is_blank (gunichar c,
          gboolean line_breaks)
{
  if (c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0x85 || c == 0x2028 || c == 0x2029)
    return line_breaks;
  return c == ' ' || c == '\t' || g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR ||
         c == 0x200B /* zero-width space */ || c == 0xFEFF /* BOM */;
}

/**
 * pd_value_trim:
 * @line_breaks: whether line breaks count as surrounding white space
 * @owned: (out): set when a copy is returned
 *
 * Returns: the text without surrounding white space (no-break and
 *   zero-width spaces too): @text itself when there is none, the common
 *   case, else a copy that *@owned takes
 */
const char *
pd_value_trim (const char  *text,
               gboolean     line_breaks,
               char       **owned)
{
  const char *start = text;
  const char *end = text + strlen (text);

  /* An ASCII first and last byte that is no blank decides: every other
   * blank is a multi-byte character. */
  if (end > start && (guchar) start[0] < 0x80 && (guchar) end[-1] < 0x80 &&
      !is_blank ((guchar) start[0], line_breaks) && !is_blank ((guchar) end[-1], line_breaks))
    return text;

  while (*start && is_blank (g_utf8_get_char (start), line_breaks))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);
      if (!is_blank (g_utf8_get_char (prev), line_breaks))
        break;
      end = prev;
    }
  return *owned = g_strndup (start, end - start);
}

static const char *
trim (const char  *text,
      char       **owned)
{
  return pd_value_trim (text, TRUE, owned);
}

static gboolean
check_text (const char *text, GError **error)
{
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID,
                           _("The value is not valid text"));
      return FALSE;
    }
  return TRUE;
}

/* ---- Booleans ----------------------------------------------------------- */

gboolean
pd_value_parse_boolean (const char  *text,
                        gboolean    *out,
                        GError     **error)
{
  static const char *yes[] = { "true", "yes", "y", "1", "on", "x", "✓", "✔" };
  static const char *no[] = { "false", "no", "n", "0", "off" };
  g_autofree char *owned = NULL;
  const char *trimmed;

  if (!check_text (text, error))
    return FALSE;
  trimmed = trim (text, &owned);
  if (trimmed[0] == '\0')
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID,
                           _("The value is empty; expected yes or no"));
      return FALSE;
    }
  /* ASCII letters compare without case; the rest bytewise (what
   * lower-casing with g_ascii_strdown() and strcmp() did, without a copy). */
  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    if (g_ascii_strcasecmp (trimmed, yes[i]) == 0)
      {
        *out = TRUE;
        return TRUE;
      }
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    if (g_ascii_strcasecmp (trimmed, no[i]) == 0)
      {
        *out = FALSE;
        return TRUE;
      }
  g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
               _("“%s” is not a yes/no value (use TRUE or FALSE, yes or no, Y or N, 1 or 0)"),
               trimmed);
  return FALSE;
}

/* ---- Integers ----------------------------------------------------------- */

gboolean
pd_value_parse_integer (const char  *text,
                        gint64      *out,
                        GError     **error)
{
  g_autofree char *owned = NULL;
  const char *trimmed;
  const char *p;
  gboolean negative = FALSE;
  guint64 value = 0;
  guint digits = 0, group = 0;
  gboolean grouped = FALSE;

  if (!check_text (text, error))
    return FALSE;
  trimmed = trim (text, &owned);
  p = trimmed;
  if (*p == '\0')
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID,
                           _("The value is empty; expected a whole number"));
      return FALSE;
    }
  if (*p == '+' || *p == '-')
    negative = *p++ == '-';
  else if (g_str_has_prefix (p, "\u2212")) /* − MINUS SIGN */
    {
      negative = TRUE;
      p += strlen ("\u2212");
    }

  for (; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          guint d = *p - '0';
          if (value > (G_MAXUINT64 - d) / 10)
            goto too_large;
          value = value * 10 + d;
          digits++;
          group++;
        }
      else if (*p == ',')
        {
          /* The first group 1-3 digits, then exactly 3 between commas. */
          if (group == 0 || group > 3 || (grouped && group != 3))
            goto not_integer;
          grouped = TRUE;
          group = 0;
        }
      else if (*p == '.')
        {
          const char *q = p + 1;
          if (*q == '\0')
            goto not_integer;
          for (; *q == '0'; q++)
            ;
          if (*q != '\0')
            goto not_integer;
          break;
        }
      else
        goto not_integer;
    }
  if (digits == 0 || (grouped && group != 3))
    goto not_integer;
  if (negative ? value > (guint64) G_MAXINT64 + 1 : value > (guint64) G_MAXINT64)
    goto too_large;
  *out = negative ? (gint64) (0 - value) : (gint64) value;
  return TRUE;

not_integer:
  g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
               _("“%s” is not a whole number"), trimmed);
  return FALSE;
too_large:
  g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
               _("“%s” is too large a number"), trimmed);
  return FALSE;
}

/* ---- Dates -------------------------------------------------------------- */

PdDateOrder
pd_value_date_order_from_format (const char *format)
{
  g_autofree char *upper = NULL;
  char order[4] = { 0 };
  guint n = 0;
  char separator = 0;

  if (format == NULL)
    return PD_DATE_ORDER_UNKNOWN;
  upper = g_ascii_strup (format, -1);
  g_strstrip (upper);
  if (g_str_equal (upper, "ISO") || g_str_equal (upper, "ISO8601") || g_str_equal (upper, "ISO 8601"))
    return PD_DATE_ORDER_ISO;
  if (g_str_equal (upper, "MDY") || g_str_equal (upper, "US"))
    return PD_DATE_ORDER_MDY;
  if (g_str_equal (upper, "DMY"))
    return PD_DATE_ORDER_DMY;
  if (g_str_equal (upper, "YMD"))
    return PD_DATE_ORDER_YMD;

  /* "MM/DD/YYYY", "d.m.yy", "YYYY-MM-DD", "DDMMYYYY": the order in which
   * runs of Y, M and D appear; anything else makes it unknown. */
  for (const char *p = upper; *p; p++)
    {
      if (*p == 'Y' || *p == 'M' || *p == 'D')
        {
          if (n > 0 && order[n - 1] == *p)
            continue;
          if (n == 3 || memchr (order, *p, n) != NULL)
            return PD_DATE_ORDER_UNKNOWN;
          order[n++] = *p;
        }
      else if (*p == '/' || *p == '-' || *p == '.' || *p == ' ')
        {
          if (separator == 0)
            separator = *p;
        }
      else
        return PD_DATE_ORDER_UNKNOWN;
    }
  if (n != 3)
    return PD_DATE_ORDER_UNKNOWN;
  if (strcmp (order, "YMD") == 0)
    return separator == '-' ? PD_DATE_ORDER_ISO : PD_DATE_ORDER_YMD;
  if (strcmp (order, "MDY") == 0)
    return PD_DATE_ORDER_MDY;
  if (strcmp (order, "DMY") == 0)
    return PD_DATE_ORDER_DMY;
  return PD_DATE_ORDER_UNKNOWN;
}

/* A date split into numbers, before the order is applied. */
typedef struct {
  gboolean year_first;  /* YYYY-MM-DD: a = year, b = month, c = day */
  guint    a, b, c;     /* otherwise a and b are day and month, c the year */
  gboolean short_year;  /* c had two digits */
  gboolean dotted;      /* 05.03.1990: day first, wherever people write it */
} DateParts;

static gboolean
read_number (const char **p, guint min_digits, guint max_digits, guint *out)
{
  guint n = 0, v = 0;

  while (g_ascii_isdigit (**p) && n < max_digits)
    {
      v = v * 10 + (**p - '0');
      (*p)++;
      n++;
    }
  if (n < min_digits || g_ascii_isdigit (**p))
    return FALSE;
  *out = v;
  return TRUE;
}

/* "T00:00:00", " 0:00", " 13:45:10.5", "T00:00:00Z", "T10:00+02:00". */
static gboolean
is_time_suffix (const char *p)
{
  guint h, m;

  if (*p == '\0')
    return TRUE;
  if (*p != 'T' && *p != 't' && *p != ' ')
    return FALSE;
  p++;
  if (!read_number (&p, 1, 2, &h) || *p++ != ':' || !read_number (&p, 2, 2, &m) || h > 24 || m > 59)
    return FALSE;
  /* Seconds, fractions, a zone or AM/PM may follow. */
  for (; *p; p++)
    if (strchr ("0123456789:.,+-Zz AaPpMm", *p) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
split_date (const char *text, DateParts *parts)
{
  const char *p = text;
  char sep;

  memset (parts, 0, sizeof *parts);
  if (g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2]) &&
      g_ascii_isdigit (p[3]) && !g_ascii_isdigit (p[4]))
    {
      parts->year_first = TRUE;
      if (!read_number (&p, 4, 4, &parts->a))
        return FALSE;
      sep = *p;
      if (sep != '-' && sep != '/' && sep != '.')
        return FALSE;
      p++;
      if (!read_number (&p, 1, 2, &parts->b) || *p++ != sep ||
          !read_number (&p, 1, 2, &parts->c))
        return FALSE;
      return is_time_suffix (p);
    }
  if (!read_number (&p, 1, 2, &parts->a))
    return FALSE;
  sep = *p;
  if (sep != '-' && sep != '/' && sep != '.')
    return FALSE;
  p++;
  if (!read_number (&p, 1, 2, &parts->b) || *p++ != sep)
    return FALSE;
  parts->dotted = sep == '.';
  {
    const char *year = p;
    if (!read_number (&p, 2, 4, &parts->c) || (p - year) == 3)
      return FALSE;
    parts->short_year = (p - year) == 2;
  }
  return is_time_suffix (p);
}

static guint
expand_year (guint year)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  guint current = g_date_time_get_year (now);

  if (2000 + year <= current)
    return 2000 + year;
  return 1900 + year;
}

/* A two-digit year as the latest year that puts the date not after
 * today: these are birth and signup dates, never in the future ("26"
 * in March 2026 is 2026 for January, 1926 for December). */
static guint
expand_year_before_today (guint year,
                          guint month,
                          guint day)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  guint y = expand_year (year);

  if (y == (guint) g_date_time_get_year (now) &&
      (month > (guint) g_date_time_get_month (now) ||
       (month == (guint) g_date_time_get_month (now) && day > (guint) g_date_time_get_day_of_month (now))))
    return y - 100;
  return y;
}

static gboolean
date_error (GError **error, const char *format, const char *text)
{
  g_set_error (error, PD_ERROR, PD_ERROR_INVALID, format, text);
  return FALSE;
}

char *
pd_value_parse_date (const char  *text,
                     PdDateOrder  order,
                     gboolean    *ambiguous,
                     GError     **error)
{
  char iso[PD_VALUE_ISO_DATE_SIZE];

  if (!pd_value_parse_date_to (text, order, ambiguous, iso, error))
    return NULL;
  return g_strdup (iso);
}

static void
put_digits (char  *out,
            guint  value,
            guint  n)
{
  while (n-- > 0)
    {
      out[n] = '0' + value % 10;
      value /= 10;
    }
}

gboolean
pd_value_parse_date_to (const char  *text,
                        PdDateOrder  order,
                        gboolean    *ambiguous,
                        char         iso[PD_VALUE_ISO_DATE_SIZE],
                        GError     **error)
{
  g_autofree char *owned = NULL;
  const char *trimmed;
  DateParts parts;
  guint year, month, day;
  gboolean is_ambiguous = FALSE;

  if (ambiguous)
    *ambiguous = FALSE;
  if (!check_text (text, error))
    return FALSE;
  trimmed = trim (text, &owned);
  if (trimmed[0] == '\0')
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID,
                           _("The value is empty; expected a date"));
      return FALSE;
    }
  if (!split_date (trimmed, &parts))
    {
      g_autofree char *clean = _pd_value_date_clean (trimmed);
      gboolean short_year = FALSE;

      /* The other ways people write dates, tried only now: the plain
       * forms above cost nothing more. */
      if (split_date (clean, &parts))
        ;
      else if (_pd_value_date_from_words (clean, &year, &month, &day, &short_year) ||
               _pd_value_date_from_compact (clean, &year, &month, &day) ||
               _pd_value_date_from_serial (clean, &year, &month, &day))
        {
          if (short_year)
            year = expand_year_before_today (year, month, day);
          goto check;
        }
      else
        {
          date_error (error, _("“%s” is not a date (write it like 1990-02-13 or 02/13/1990)"), trimmed);
          return FALSE;
        }
    }

  if (parts.year_first)
    {
      year = parts.a;
      month = parts.b;
      day = parts.c;
    }
  else
    {
      year = parts.c;
      if (parts.dotted)
        {
          /* Dots mean day first wherever people write them (05.03.1990
           * is 5 March), whatever a column's slashes say. */
          day = parts.a;
          month = parts.b;
        }
      else if (order == PD_DATE_ORDER_MDY)
        {
          month = parts.a;
          day = parts.b;
        }
      else if (order == PD_DATE_ORDER_DMY)
        {
          day = parts.a;
          month = parts.b;
        }
      else if (parts.a > 12 && parts.b <= 12)
        {
          /* No order chosen (or a year-first one): the value decides. */
          day = parts.a;
          month = parts.b;
        }
      else
        {
          month = parts.a;
          day = parts.b;
          /* 05/05 reads the same either way: not ambiguous. */
          is_ambiguous = parts.a <= 12 && parts.b <= 12 && parts.a != parts.b;
          if (parts.a > 12 && parts.b > 12)
            {
              g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                           _("“%s” is not a date: neither %u nor %u can be a month"),
                           trimmed, parts.a, parts.b);
              return FALSE;
            }
        }
    }

  if (parts.short_year && month >= 1 && month <= 12)
    year = expand_year_before_today (year, month, day);

check:
  if (month < 1 || month > 12)
    {
      if (!parts.year_first && (order == PD_DATE_ORDER_MDY || order == PD_DATE_ORDER_DMY))
        g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                     order == PD_DATE_ORDER_MDY
                       ? _("“%s” is not a date in the chosen format month/day/year: there is no month %u")
                       : _("“%s” is not a date in the chosen format day/month/year: there is no month %u"),
                     trimmed, month);
      else
        g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                     _("“%s” is not a date: there is no month %u"), trimmed, month);
      return FALSE;
    }
  if (year < 1 || year > 9999)
    {
      date_error (error, _("“%s” is not a date: the year is out of range"), trimmed);
      return FALSE;
    }
  if (day < 1 || !g_date_valid_dmy (day, month, year))
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("“%s” is not a date: month %u of %u has no day %u"),
                   trimmed, month, year, day);
      return FALSE;
    }
  if (ambiguous)
    *ambiguous = is_ambiguous;
  /* "%04u-%02u-%02u": year ≤ 9999, month and day two digits. */
  put_digits (iso, year, 4);
  iso[4] = '-';
  put_digits (iso + 5, month, 2);
  iso[7] = '-';
  put_digits (iso + 8, day, 2);
  iso[10] = '\0';
  return TRUE;
}

/* ---- Detection ---------------------------------------------------------- */

struct _PdDateDetector {
  guint day_first;    /* values only day-first can read (13/02/1990) */
  guint month_first;  /* values only month-first can read (02/13/1990) */
  guint undecided;    /* values both can read, differently (02/03/1990) */
};

PdDateDetector *
pd_date_detector_new (void)
{
  return g_new0 (PdDateDetector, 1);
}

void
pd_date_detector_free (PdDateDetector *self)
{
  g_free (self);
}

void
pd_date_detector_add (PdDateDetector *self,
                      const char     *text)
{
  g_autofree char *owned = NULL;
  const char *trimmed;
  DateParts parts;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return;
  trimmed = trim (text, &owned);
  /* Year-first, unparsable and order-independent values prove nothing. */
  if (!split_date (trimmed, &parts) || parts.year_first)
    return;
  /* dots mean day first, whatever the numbers (05.03.1990) */
  if (parts.dotted)
    {
      self->day_first++;
      return;
    }
  if (parts.a == parts.b)
    return;
  if (parts.a > 12 && parts.b >= 1 && parts.b <= 12)
    self->day_first++;
  else if (parts.b > 12 && parts.a >= 1 && parts.a <= 12)
    self->month_first++;
  else if (parts.a >= 1 && parts.a <= 12 && parts.b >= 1 && parts.b <= 12)
    self->undecided++;
}

PdDateOrder
pd_date_detector_get_order (PdDateDetector *self)
{
  if (self->day_first > 0 && self->month_first == 0)
    return PD_DATE_ORDER_DMY;
  if (self->month_first > 0 && self->day_first == 0)
    return PD_DATE_ORDER_MDY;
  return PD_DATE_ORDER_UNKNOWN;
}

/* TRUE when no order was found but some values read differently in each:
 * only ambiguous values, or evidence for both orders. */
gboolean
pd_date_detector_is_ambiguous (PdDateDetector *self)
{
  if (self->day_first > 0 && self->month_first > 0)
    return TRUE;
  return pd_date_detector_get_order (self) == PD_DATE_ORDER_UNKNOWN && self->undecided > 0;
}
