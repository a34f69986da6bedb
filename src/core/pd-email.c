/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Email addresses: trimmed, lower-cased, checked.
 *
 * Policy: accept what a store's mailing system (an ESP sending over SMTP)
 * can actually deliver to, and give one clear reason for anything else.
 *
 * Accepted:
 *  - local@domain where the local part is a "dot-atom" (RFC 5322 atext:
 *    letters, digits and ! # $ % & ' * + - / = ? ^ _ ` { | } ~, dots between
 *    them) of at most 64 bytes, and the domain is a host name: labels of
 *    letters, digits and hyphens (not first or last), 1-63 bytes each,
 *    separated by single dots, 253 bytes at most, the whole address at most
 *    254 bytes (RFC 5321 limits).
 *  - Internationalized addresses (RFC 6531/6532, EAI): non-ASCII letters in
 *    the domain (IDN U-labels; their A-label form xn--... is ASCII anyway)
 *    and any printable non-ASCII character in the local part.
 *  - Surrounding horizontal white space (spaces, tabs, no-break and other
 *    Unicode spaces, zero-width spaces, a BOM) is trimmed first, as
 *    spreadsheets leave it there.  Line breaks are not: a CR or LF in an
 *    email cell means a broken cell or two values, and RFC 5322 folding
 *    white space is no part of an address (isemail lists "\r\ntest@x" as
 *    an error).
 *  - The last label must not be all digits (that is no top-level domain,
 *    and "1.2.3.4" without brackets is no address).  A domain needs at least
 *    one dot, except a bare two-letter country-code top-level domain (mail
 *    to "user@io" has been delivered; "bob@gmail" is a typo, refused).
 *
 * Refused, each with its reason: no @, nothing before or after it, several
 * @, spaces or line breaks inside, two dots in a row, a dot at the start or end of either
 * part, characters outside the sets above (commas, semicolons, < >,
 * backslashes, control characters, ...), and the RFC features no mass
 * mailer delivers to or that only appear in mistakes: quoted local parts
 * ("john doe"@example.com), comments ((comment)bob@example.com), address
 * literals (bob@[192.0.2.1]), and over-long parts.
 *
 * The whole address is lower-cased, domain AND local part.  RFC 5321 lets
 * a server treat local parts case-sensitively, but none of the large
 * providers does, and lower-casing is what lets Bob@Example.com and
 * bob@example.com be recognised as one customer (the issue asks for it).
 * Non-ASCII text is also put in Unicode NFC form, for the same reason.
 * Lower-casing is done per character, independently of the locale (a
 * Turkish locale must not turn "I" into a dotless "ı"). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-email.h"
#include "pd-error.h"
#include "pd-value.h"

#define MAX_LOCAL 64
#define MAX_DOMAIN 253
#define MAX_LABEL 63
#define MAX_TOTAL 254

/* Surrounding white space goes, but not line breaks: an address folded
 * over lines (RFC 5322 folding white space) is refused, not mended. */
static const char *
trim (const char  *text,
      char       **owned)
{
  return pd_value_trim (text, FALSE, owned);
}

static gboolean
is_atext (char c)
{
  switch (c)
    {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '/': case '=': case '?': case '^': case '_': case '`': case '{':
    case '|': case '}': case '~':
      return TRUE;
    default:
      return g_ascii_isalnum (c);
    }
}

/* The character at @p, decoding only what is not ASCII. */
static inline gunichar
char_at (const char *p)
{
  return (guchar) *p < 0x80 ? (gunichar) (guchar) *p : g_utf8_get_char (p);
}

static inline const char *
next_char (const char *p)
{
  return (guchar) *p < 0x80 ? p + 1 : g_utf8_next_char (p);
}

/* Lower-cases ASCII bytewise and anything else per character, then NFC. */
static char *
fold (const char *text)
{
  gboolean ascii = TRUE;
  GString *out;
  const char *p;

  for (p = text; *p; p++)
    if ((guchar) *p >= 0x80)
      ascii = FALSE;
  if (ascii)
    return g_ascii_strdown (text, -1);

  out = g_string_sized_new (strlen (text));
  for (p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c < 0x80)
        g_string_append_c (out, g_ascii_tolower ((char) c));
      else
        g_string_append_unichar (out, g_unichar_tolower (c));
    }
  {
    char *nfc = g_utf8_normalize (out->str, -1, G_NORMALIZE_NFC);
    g_string_free (out, TRUE);
    return nfc;
  }
}

static gboolean
invalid (GError **error, const char *format, const char *shown)
{
  g_set_error (error, PD_ERROR, PD_ERROR_INVALID, format, shown);
  return FALSE;
}

/* The first character of @s that is not allowed, as text, or NULL. */
static char *
bad_character (const char *s, const char *end, gboolean domain)
{
  for (const char *p = s; p < end; p = next_char (p))
    {
      gunichar c = char_at (p);
      gboolean ok;

      if (c < 0x80)
        ok = domain ? (g_ascii_isalnum ((char) c) || c == '-' || c == '.')
                    : (is_atext ((char) c) || c == '.');
      else if (domain)
        ok = g_unichar_isalnum (c) || g_unichar_ismark (c);
      else
        ok = g_unichar_isgraph (c);
      if (!ok)
        {
          if (c < 0x20 || c == 0x7f || (c >= 0x80 && !g_unichar_isgraph (c)))
            return g_strdup_printf ("U+%04X", c);
          return g_ucs4_to_utf8 (&c, 1, NULL, NULL, NULL);
        }
    }
  return NULL;
}

static gboolean
check_local (const char *shown, const char *local, gsize len, GError **error)
{
  g_autofree char *bad = NULL;

  if (len == 0)
    return invalid (error, _("“%s” has nothing before the @ sign"), shown);
  if (local[0] == '.' || local[len - 1] == '.')
    return invalid (error, _("“%s” has a dot at the start or end of the part before the @ sign"), shown);
  if (g_strstr_len (local, len, "..") != NULL)
    return invalid (error, _("“%s” has two dots in a row"), shown);
  bad = bad_character (local, local + len, FALSE);
  if (bad != NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("“%s” contains “%s”, which is not allowed in an email address"),
                   shown, bad);
      return FALSE;
    }
  if (len > MAX_LOCAL)
    return invalid (error, _("The part before the @ sign of “%s” is longer than 64 characters"), shown);
  return TRUE;
}

static gboolean
check_domain (const char *shown, const char *domain, GError **error)
{
  gsize len = strlen (domain);
  g_autofree char *bad = NULL;
  const char *label, *tld = domain;
  gsize tld_len = 0;
  gboolean numeric = TRUE;
  guint n = 0;

  if (len == 0)
    return invalid (error, _("“%s” has no domain after the @ sign"), shown);
  if (domain[0] == '.' || domain[len - 1] == '.')
    return invalid (error, _("The domain of “%s” starts or ends with a dot"), shown);
  if (strstr (domain, "..") != NULL)
    return invalid (error, _("“%s” has two dots in a row"), shown);
  bad = bad_character (domain, domain + len, TRUE);
  if (bad != NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("“%s” contains “%s”, which is not allowed in the domain of an email address"),
                   shown, bad);
      return FALSE;
    }
  if (len > MAX_DOMAIN)
    return invalid (error, _("The domain of “%s” is longer than 253 characters"), shown);

  /* The labels between the dots, in place (no empty one: no leading,
   * trailing or double dot got here). */
  for (label = domain; ; )
    {
      const char *dot = strchr (label, '.');
      gsize l = dot != NULL ? (gsize) (dot - label) : strlen (label);

      if (l > MAX_LABEL)
        return invalid (error, _("The domain of “%s” has a part longer than 63 characters"), shown);
      if (label[0] == '-' || label[l - 1] == '-')
        return invalid (error, _("The domain of “%s” has a part starting or ending with a hyphen"), shown);
      n++;
      tld = label;
      tld_len = l;
      if (dot == NULL)
        break;
      label = dot + 1;
    }
  for (gsize i = 0; i < tld_len; i++)
    if (!g_ascii_isdigit (tld[i]))
      numeric = FALSE;
  if (numeric)
    return invalid (error, _("The domain of “%s” ends in a number, not a top-level domain such as .com"), shown);
  if (n == 1 && !(tld_len == 2 && g_ascii_isalpha (tld[0]) && g_ascii_isalpha (tld[1])))
    return invalid (error, _("The domain of “%s” has no dot and no top-level domain such as .com"), shown);
  return TRUE;
}

char *
pd_email_normalize (const char  *text,
                    GError     **error)
{
  g_autofree char *owned = NULL;
  g_autofree char *folded = NULL;
  const char *shown;
  const char *at;
  gsize local_len;
  gboolean line_break = FALSE, space = FALSE;
  gboolean quote = FALSE, parenthesis = FALSE, bracket = FALSE;
  guint n_at = 0;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID,
                           _("The email address is not valid text"));
      return NULL;
    }
  shown = trim (text, &owned);
  if (shown[0] == '\0')
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID,
                           _("The email address is empty"));
      return NULL;
    }

  /* The RFC features refused by policy, named as such; a line break
   * anywhere before a space anywhere. */
  for (const char *p = shown; *p; p = next_char (p))
    {
      gunichar c = char_at (p);

      if (c >= 0x80)
        {
          line_break |= c == 0x2028 || c == 0x2029;
          space |= g_unichar_isspace (c) || c == 0x200B || c == 0xFEFF;
        }
      else if (c <= ' ')
        {
          /* g_unichar_isspace() of ASCII: space, \t, \n, \r and \f. */
          line_break |= c == '\r' || c == '\n';
          space |= c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
        }
      else
        {
          /* What the checks below look for, found in the same pass. */
          quote |= c == '"';
          parenthesis |= c == '(' || c == ')';
          bracket |= c == '[' || c == ']';
          n_at += c == '@';
        }
    }
  if (line_break)
    {
      invalid (error, _("“%s” contains a line break"), shown);
      return NULL;
    }
  if (space)
    {
      invalid (error, _("“%s” contains a space"), shown);
      return NULL;
    }
  if (quote)
    {
      invalid (error, _("“%s” contains quotes; quoted email addresses are not accepted"), shown);
      return NULL;
    }
  if (parenthesis)
    {
      invalid (error, _("“%s” contains parentheses; comments in email addresses are not accepted"), shown);
      return NULL;
    }
  if (n_at > 0 && bracket)
    {
      invalid (error, _("“%s” has an IP address or brackets instead of a domain name"), shown);
      return NULL;
    }

  if (n_at == 0)
    {
      invalid (error, _("“%s” has no @ sign"), shown);
      return NULL;
    }
  if (n_at > 1)
    {
      invalid (error, _("“%s” has more than one @ sign"), shown);
      return NULL;
    }

  folded = fold (shown);
  at = strchr (folded, '@');
  local_len = at - folded;
  if (!check_local (shown, folded, local_len, error) ||
      !check_domain (shown, at + 1, error))
    return NULL;
  if (strlen (folded) > MAX_TOTAL)
    {
      invalid (error, _("“%s” is longer than 254 characters"), shown);
      return NULL;
    }
  return g_steal_pointer (&folded);
}
