/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pd-cell-format.h"

/* The largest serial Excel shows as a date: 9999-12-31. */
#define MAX_SERIAL_DAYS 2958465.0

/**
 * pd_cell_format_number:
 * @out: where to append
 * @value: a cell's number
 *
 * Integral numbers come out as plain digits whatever their size (a phone
 * stored as 2065550199, an ID of 16 digits), never "2.065550199E9" nor
 * "2065550199.0"; other numbers with the fewest digits that read back as
 * the same double (3.14, not 3.1400000000000001).
 */
void
pd_cell_format_number (GString *out,
                       double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE + 320];

  if (isnan (value) || isinf (value))
    {
      g_string_append (out, "#NUM!");
      return;
    }

  if (value == 0)
    {
      /* Also turns -0 into 0. */
      g_string_append_c (out, '0');
      return;
    }

  if (value == floor (value))
    {
      /* %.0f prints every digit of an integral double, with no grouping
       * or decimal point, so the locale does not matter here. */
      snprintf (buf, sizeof buf, "%.0f", value);
      g_string_append (out, buf);
      return;
    }

  for (int precision = 15; precision <= 17; precision++)
    {
      char format[8];

      snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (precision == 17 || g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
}

/* Reformats a number written as text in a file ("3.1400000000000001",
 * "2.065550199E9").  Returns FALSE, appending nothing, if @text is not a
 * number. */
gboolean
pd_cell_format_number_text (GString    *out,
                            const char *text)
{
  char *end = NULL;
  double value;

  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    return FALSE;
  value = g_ascii_strtod (text, &end);
  while (end && g_ascii_isspace (*end))
    end++;
  if (end == text || end == NULL || *end != '\0')
    return FALSE;
  pd_cell_format_number (out, value);
  return TRUE;
}

/* Built-in number formats of ECMA-376 (part 1, 18.8.30) that show dates or
 * times: 14-17 and 22 are dates, 18-21 and 45-47 times; 27-36 and 50-58
 * are the East Asian date formats that Excel maps by locale. */
PdNumberKind
pd_cell_format_classify_builtin (guint format_id)
{
  if ((format_id >= 14 && format_id <= 17) || format_id == 22 ||
      (format_id >= 27 && format_id <= 36) || (format_id >= 50 && format_id <= 58))
    return PD_NUMBER_KIND_DATE;
  if (format_id == 46)
    return PD_NUMBER_KIND_DURATION;
  if ((format_id >= 18 && format_id <= 21) || format_id == 45 || format_id == 47)
    return PD_NUMBER_KIND_TIME;
  return PD_NUMBER_KIND_PLAIN;
}

/* A custom format code shows a date if it has day or year parts outside
 * quoted text, [brackets] (colours, locales, elapsed [h]) and escaped
 * characters; a time if it only has hours, minutes or seconds. A lone "m"
 * is months unless hours or seconds are there too. */
PdNumberKind
pd_cell_format_classify_code (const char *code)
{
  gboolean has_date = FALSE, has_time = FALSE, has_m = FALSE, elapsed = FALSE;

  if (code == NULL)
    return PD_NUMBER_KIND_PLAIN;

  for (const char *p = code; *p; p++)
    {
      switch (*p)
        {
        case '"':
          p = strchr (p + 1, '"');
          if (p == NULL)
            goto done;
          break;
        case '[':
          /* [h], [mm], [ss] are elapsed time. */
          if (p[1] == 'h' || p[1] == 'H' || p[1] == 's' || p[1] == 'S' ||
              p[1] == 'm' || p[1] == 'M')
            elapsed = TRUE;
          p = strchr (p + 1, ']');
          if (p == NULL)
            goto done;
          break;
        case '\\':
        case '_':
        case '*':
          /* The next character is literal, a width, or a fill. */
          if (p[1] == '\0')
            goto done;
          p++;
          break;
        case 'd': case 'D':
        case 'y': case 'Y':
          has_date = TRUE;
          break;
        case 'h': case 'H':
        case 's': case 'S':
          has_time = TRUE;
          break;
        case 'm': case 'M':
          has_m = TRUE;
          break;
        case 'G': case 'g':
          /* "General" holds no date letters, but skip it as a word so
           * that a Japanese era ("gge") is still seen. */
          if (g_ascii_strncasecmp (p, "General", 7) == 0)
            p += 6;
          else if (g_ascii_strncasecmp (p, "gg", 2) == 0 || g_ascii_strncasecmp (p, "ge", 2) == 0)
            has_date = TRUE; /* Japanese era */
          break;
        default:
          break;
        }
    }
done:
  if (has_date)
    return PD_NUMBER_KIND_DATE;
  if (elapsed)
    return PD_NUMBER_KIND_DURATION;
  if (has_time)
    return PD_NUMBER_KIND_TIME;
  if (has_m)
    return PD_NUMBER_KIND_DATE;
  return PD_NUMBER_KIND_PLAIN;
}

static void
append_time (GString *out,
             gint64   seconds)
{
  g_string_append_printf (out, "%02" G_GINT64_FORMAT ":%02d:%02d",
                          seconds / 3600, (int) (seconds / 60 % 60), (int) (seconds % 60));
}

/**
 * pd_cell_format_serial_date:
 * @serial: days since the workbook's epoch, the fraction being the time
 * @date1904: whether the workbook counts from 1904-01-01
 * @kind: what the cell's format shows
 *
 * Appends "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS" when the time is not
 * midnight, "HH:MM:SS" for a time-only format (the time of day, as the
 * spreadsheet shows it), or the total hours for elapsed time ("36:00:00"
 * for 1.5 with [h]:mm:ss).
 * Returns FALSE, appending nothing, when @serial is not a date Excel would
 * show (negative, after 9999).
 */
gboolean
pd_cell_format_serial_date (GString     *out,
                            double       serial,
                            gboolean     date1904,
                            PdNumberKind kind)
{
  GDate date;
  gint64 days, seconds;

  if (isnan (serial) || serial < 0 || serial >= MAX_SERIAL_DAYS + 1)
    return FALSE;

  days = (gint64) floor (serial);
  seconds = (gint64) llround ((serial - (double) days) * 86400.0);
  if (seconds >= 86400)
    {
      days++;
      seconds -= 86400;
    }

  if (kind == PD_NUMBER_KIND_TIME)
    {
      append_time (out, seconds);
      return TRUE;
    }
  if (kind == PD_NUMBER_KIND_DURATION)
    {
      append_time (out, days * 86400 + seconds);
      return TRUE;
    }

  g_date_clear (&date, 1);
  if (date1904)
    {
      g_date_set_dmy (&date, 1, G_DATE_JANUARY, 1904);
    }
  else if (days == 60)
    {
      /* Lotus 1-2-3 thought 1900 was a leap year and Excel kept the day
       * it invented; show what the spreadsheet shows. */
      g_string_append (out, "1900-02-29");
      goto time;
    }
  else
    {
      /* Serial 1 is 1900-01-01; after the phantom 1900-02-29 (serial 60)
       * counting from 1899-12-30 is right, before it one day off. */
      g_date_set_dmy (&date, 30, G_DATE_DECEMBER, 1899);
      if (days < 60)
        days++;
    }

  g_date_add_days (&date, (guint) days);
  g_string_append_printf (out, "%04d-%02d-%02d",
                          g_date_get_year (&date), g_date_get_month (&date),
                          g_date_get_day (&date));
time:
  if (seconds != 0)
    {
      g_string_append_c (out, 'T');
      append_time (out, seconds);
    }
  return TRUE;
}

/* Normalizes an ISO 8601 date-time written in a file (ODF date-value,
 * OOXML t="d"): "2024-03-05T00:00:00" becomes "2024-03-05"; fractions of
 * a second and a UTC "Z" are dropped.  Anything else is kept as it is. */
void
pd_cell_format_iso_datetime (GString    *out,
                             const char *iso)
{
  const char *t = strchr (iso, 'T');
  gsize date_len = t ? (gsize) (t - iso) : strlen (iso);

  g_string_append_len (out, iso, date_len);
  if (t == NULL)
    return;

  t++;
  if (strlen (t) >= 8 && t[2] == ':' && t[5] == ':')
    {
      if (strncmp (t, "00:00:00", 8) != 0)
        {
          g_string_append_c (out, 'T');
          g_string_append_len (out, t, 8);
        }
    }
  else if (strlen (t) >= 5 && t[2] == ':')
    {
      if (strncmp (t, "00:00", 5) != 0)
        {
          g_string_append_c (out, 'T');
          g_string_append_len (out, t, 5);
          g_string_append (out, ":00");
        }
    }
  else
    {
      g_string_append_c (out, 'T');
      g_string_append (out, t);
    }
}

/* ODF time-value cells hold an xsd:duration such as "PT13H45M00S";
 * appends "13:45:00" (hours may pass 24 for durations).  FALSE if the
 * text is not such a duration. */
gboolean
pd_cell_format_iso_duration (GString    *out,
                             const char *duration)
{
  const char *p = duration;
  double days = 0, hours = 0, minutes = 0, secs = 0, seconds_total;
  gboolean negative = FALSE, in_time = FALSE;
  gint64 total;

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (*p++ != 'P')
    return FALSE;

  while (*p)
    {
      char *end = NULL;
      double v;

      if (*p == 'T')
        {
          in_time = TRUE;
          p++;
          continue;
        }
      v = g_ascii_strtod (p, &end);
      if (end == p || end == NULL)
        return FALSE;
      switch (*end)
        {
        case 'D': days = v; break;
        case 'H': if (!in_time) return FALSE; hours = v; break;
        case 'M': if (!in_time) return FALSE; minutes = v; break;
        case 'S': if (!in_time) return FALSE; secs = v; break;
        default: return FALSE;
        }
      p = end + 1;
    }

  seconds_total = ((days * 24 + hours) * 60 + minutes) * 60 + secs;
  /* A million years is no time of day: keep such text as it is. */
  if (!isfinite (seconds_total) || seconds_total < 0 || seconds_total > 3.2e13)
    return FALSE;
  total = (gint64) llround (seconds_total);
  if (negative && total != 0)
    g_string_append_c (out, '-');
  append_time (out, total);
  return TRUE;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* OOXML strings escape characters XML cannot hold as "_xHHHH_" (a CR is
 * "_x000D_", a literal "_x" is "_x005F_x"); appends @text decoded. */
void
pd_cell_format_append_ooxml_text (GString    *out,
                                  const char *text)
{
  const char *p = text;

  while (*p)
    {
      const char *esc = strstr (p, "_x");
      int d[4];
      gunichar c;

      if (esc == NULL)
        {
          g_string_append (out, p);
          return;
        }
      g_string_append_len (out, p, esc - p);
      /* Stop at the first non-hex character: it may be the end. */
      d[0] = d[1] = d[2] = d[3] = -1;
      for (int i = 0; i < 4 && (d[i] = hex_value (esc[2 + i])) >= 0; i++)
        ;
      if (d[0] < 0 || d[1] < 0 || d[2] < 0 || d[3] < 0 || esc[6] != '_')
        {
          g_string_append (out, "_x");
          p = esc + 2;
          continue;
        }
      c = (gunichar) ((d[0] << 12) | (d[1] << 8) | (d[2] << 4) | d[3]);
      if (g_unichar_validate (c) && c != 0)
        g_string_append_unichar (out, c);
      p = esc + 7;
    }
}
