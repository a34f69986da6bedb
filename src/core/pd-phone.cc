/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one C++ file: libphonenumber behind a C API (pd-phone.h).
 *
 * pd_phone_normalize_reference() is plain libphonenumber: Parse, then
 * IsValidNumber, then Format E164 (about 35 µs a number on this machine).
 * pd_phone_normalize() gives the same answers much faster for the common
 * case, North American numbers in simple shapes: pd_phone_lex_nanp() takes
 * the 10 national digits out of text such as "(202) 555-0143" and a table
 * built from libphonenumber's own metadata and answers (pd-phone-table.c)
 * says whether they are valid.  Everything else goes to libphonenumber.
 * tests/test-phone-exact.c compares the two on over a million numbers. */
#include "config.h"

#include <dlfcn.h>
#include <glib/gi18n-lib.h>

#include <cstring>
#include <list>
#include <set>
#include <string>

#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include "pd-error.h"
#include "pd-phone.h"
#include "pd-phone-private.h"
#include "pd-phone-table.h"

using i18n::phonenumbers::PhoneMetadata;
using i18n::phonenumbers::PhoneMetadataCollection;
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberDesc;
using i18n::phonenumbers::PhoneNumberUtil;

#define DEFAULT_REGION "US"

static PhoneNumberUtil *
util (void)
{
  return PhoneNumberUtil::GetInstance ();
}

/* Region codes are upper-case ASCII, two letters; "us" is accepted too.
 * Returns FALSE for anything that cannot be one. */
static gboolean
canonical_region (const char *region,
                  char        out[4])
{
  if (region == NULL)
    region = DEFAULT_REGION;
  if (strlen (region) != 2 || !g_ascii_isalpha (region[0]) || !g_ascii_isalpha (region[1]))
    return FALSE;
  out[0] = g_ascii_toupper (region[0]);
  out[1] = g_ascii_toupper (region[1]);
  out[2] = '\0';
  return TRUE;
}

gboolean
pd_phone_is_known_region (const char *region)
{
  char code[4];

  return canonical_region (region, code) &&
         util ()->GetCountryCodeForRegion (code) != 0;
}

GStrv
pd_phone_dup_regions (void)
{
  std::set<std::string> regions;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  /* A std::set: already in code order. */
  util ()->GetSupportedRegions (&regions);
  for (const std::string &region : regions)
    g_strv_builder_add (builder, region.c_str ());
  return g_strv_builder_end (builder);
}

/* Checks done the same way by both paths before any parsing. */
static gboolean
check_input (const char  *text,
             const char  *region,
             char         code[4],
             GError     **error)
{
  if (!canonical_region (region, code) || util ()->GetCountryCodeForRegion (code) == 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("Unknown region “%s” for phone numbers"), region);
      return FALSE;
    }
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID,
                           _("The phone number is not valid text"));
      return FALSE;
    }
  for (const char *p = text; *p; p++)
    if (!g_ascii_isspace (*p))
      return TRUE;
  g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID,
                       _("The phone number is empty"));
  return FALSE;
}

/* The region named in "not valid for": the caller's region when the number
 * is in its country code, else the main region of that code. */
static std::string
region_for_message (int         country_code,
                    const char *default_region)
{
  std::string region;

  if (util ()->GetCountryCodeForRegion (default_region) == country_code)
    return default_region;
  util ()->GetRegionCodeForCountryCode (country_code, &region);
  return region;
}

static void
set_not_valid_error (GError     **error,
                     const char  *text,
                     const char  *region)
{
  if (g_strcmp0 (region, "001") == 0 || g_strcmp0 (region, "ZZ") == 0)
    g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                 _("“%s” is not a valid phone number"), text);
  else
    g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                 /* Translators: the second %s is a region code such as US */
                 _("“%s” is not a valid phone number for %s"), text, region);
}

char *
pd_phone_normalize_reference (const char  *text,
                              const char  *default_region,
                              GError     **error)
{
  char code[4];
  PhoneNumber number;
  g_autofree char *shown = NULL;
  std::string e164;

  if (!check_input (text, default_region, code, error))
    return NULL;
  shown = g_strstrip (g_strdup (text));

  switch (util ()->Parse (text, code, &number))
    {
    case PhoneNumberUtil::NO_PARSING_ERROR:
      break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("“%s” has an unknown country code"), shown);
      return NULL;
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN:
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("“%s” is too short to be a phone number"), shown);
      return NULL;
    case PhoneNumberUtil::TOO_LONG_NSN:
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("“%s” is too long to be a phone number"), shown);
      return NULL;
    case PhoneNumberUtil::NOT_A_NUMBER:
    default:
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("“%s” is not a phone number"), shown);
      return NULL;
    }

  if (!util ()->IsValidNumber (number))
    {
      switch (util ()->IsPossibleNumberWithReason (number))
        {
        case PhoneNumberUtil::TOO_SHORT:
          g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                       _("“%s” is too short to be a phone number"), shown);
          break;
        case PhoneNumberUtil::TOO_LONG:
          g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                       _("“%s” is too long to be a phone number"), shown);
          break;
        case PhoneNumberUtil::INVALID_LENGTH:
          g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                       _("“%s” does not have the right number of digits for a phone number"), shown);
          break;
        case PhoneNumberUtil::INVALID_COUNTRY_CODE:
          g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                       _("“%s” has an unknown country code"), shown);
          break;
        case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
          g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                       _("“%s” lacks an area code"), shown);
          break;
        case PhoneNumberUtil::IS_POSSIBLE:
        default:
          set_not_valid_error (error, shown,
                               region_for_message (number.country_code (), code).c_str ());
          break;
        }
      return NULL;
    }

  util ()->Format (number, PhoneNumberUtil::E164, &e164);
  return g_strdup (e164.c_str ());
}

/* ---- The fast path ------------------------------------------------------ */

typedef struct {
  PdPhoneTable *table;        /* NULL: the fast path is off */
  GStrv         nanp_regions; /* the regions of country code 1 */
  gint64        build_usec;
  char         *failure;      /* why the table could not be built */
} FastPath;

static gboolean
oracle (guint64  national_number,
        gpointer G_GNUC_UNUSED user_data)
{
  PhoneNumber number;

  number.set_country_code (1);
  number.set_national_number (national_number);
  return util ()->IsValidNumber (number);
}

static void
add_desc (GPtrArray             *patterns,
          const PhoneNumberDesc &desc)
{
  if (desc.has_national_number_pattern ())
    g_ptr_array_add (patterns, g_strdup (desc.national_number_pattern ().c_str ()));
}

static PdPhoneTable *
build_table (GError **error)
{
  /* libphonenumber's compiled-in metadata: the very bytes PhoneNumberUtil
   * loads.  These two functions are exported by libphonenumber.so but
   * declared in a header Debian does not ship; look them up so that a
   * library without them only turns the fast path off. */
  typedef int (*SizeFunc) (void);
  typedef const void *(*GetFunc) (void);
  SizeFunc size_func = (SizeFunc) dlsym (RTLD_DEFAULT, "_ZN4i18n12phonenumbers13metadata_sizeEv");
  GetFunc get_func = (GetFunc) dlsym (RTLD_DEFAULT, "_ZN4i18n12phonenumbers12metadata_getEv");
  g_autoptr(GPtrArray) full = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) prefix = g_ptr_array_new_with_free_func (g_free);
  PhoneMetadataCollection collection;

  if (size_func == NULL || get_func == NULL ||
      !collection.ParseFromArray (get_func (), size_func ()))
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_FAILED,
                           "libphonenumber's metadata is not reachable");
      return NULL;
    }
  for (const PhoneMetadata &m : collection.metadata ())
    {
      if (m.country_code () != 1)
        continue;
      if (m.has_leading_digits ())
        g_ptr_array_add (prefix, g_strdup (m.leading_digits ().c_str ()));
      /* Every description GetNumberTypeHelper() may look at. */
      add_desc (full, m.general_desc ());
      add_desc (full, m.fixed_line ());
      add_desc (full, m.mobile ());
      add_desc (full, m.toll_free ());
      add_desc (full, m.premium_rate ());
      add_desc (full, m.shared_cost ());
      add_desc (full, m.personal_number ());
      add_desc (full, m.voip ());
      add_desc (full, m.pager ());
      add_desc (full, m.uan ());
      add_desc (full, m.voicemail ());
    }
  g_ptr_array_add (full, NULL);
  g_ptr_array_add (prefix, NULL);
  return pd_phone_table_new ((const char * const *) full->pdata,
                             (const char * const *) prefix->pdata,
                             oracle, NULL, error);
}

static FastPath *
fast_path (void)
{
  static FastPath *fast;
  static gsize once;

  if (g_once_init_enter (&once))
    {
      FastPath *f = g_new0 (FastPath, 1);
      g_autoptr(GError) error = NULL;
      g_autoptr(GStrvBuilder) regions = g_strv_builder_new ();
      std::list<std::string> codes;
      gint64 start = g_get_monotonic_time ();

      util ()->GetRegionCodesForCountryCallingCode (1, &codes);
      for (const std::string &code : codes)
        g_strv_builder_add (regions, code.c_str ());
      f->nanp_regions = g_strv_builder_end (regions);
      f->table = build_table (&error);
      if (f->table == NULL)
        {
          /* Still correct, only slower: say so once for whoever looks. */
          f->failure = g_strdup (error->message);
          g_debug ("Phone fast path off: %s", error->message);
        }
      f->build_usec = g_get_monotonic_time () - start;
      fast = f;
      g_once_init_leave (&once, 1);
    }
  return fast;
}

static gboolean
in_regions (const char * const *regions,
            const char         *code)
{
  for (guint i = 0; regions[i]; i++)
    if (regions[i][0] == code[0] && regions[i][1] == code[1] && regions[i][2] == '\0')
      return TRUE;
  return FALSE;
}

static gboolean
is_nanp_region (const FastPath *f,
                const char     *code)
{
  return in_regions (f->nanp_regions, code);
}

/* The regions of the North American plan (calling code 1), for showing
 * numbers only: the list the window's first rows need, without building
 * PhoneNumberUtil (its metadata, ~15 ms) and the fast path's table
 * (~25 ms more) before the first frame.  A region missing here only takes
 * libphonenumber's path; one listed wrongly would be shown nationally, so
 * _pd_phone_check_display_regions() compares this with libphonenumber's
 * list (tests/test-phone.c). */
static const char * const display_nanp_regions[] = {
  "US", "AG", "AI", "AS", "BB", "BM", "BS", "CA", "DM", "DO", "GD", "GU", "JM",
  "KN", "KY", "LC", "MP", "MS", "PR", "SX", "TC", "TT", "VC", "VG", "VI", NULL
};

typedef enum {
  FAST_ASK,      /* not the fast path's: ask libphonenumber */
  FAST_VALID,
  FAST_INVALID,  /* ten NANP digits, a possible length, not valid */
} FastAnswer;

/* The fast path's answer for @text, with its ten national digits when it
 * has one. */
static FastAnswer
fast_answer (const char *text,
             const char *default_region,
             char        code[4],
             gboolean   *nanp,
             char        digits[10])
{
  FastPath *f = fast_path ();

  if (f->table != NULL && text != NULL && canonical_region (default_region, code))
    {
      *nanp = is_nanp_region (f, code);

      /* A NANP region is known; others are checked as the reference does. */
      if ((*nanp || util ()->GetCountryCodeForRegion (code) != 0) &&
          pd_phone_lex_nanp (text, *nanp, digits))
        {
          switch (pd_phone_table_lookup (f->table, digits))
            {
            case PD_PHONE_VERDICT_VALID:
              return FAST_VALID;
            case PD_PHONE_VERDICT_INVALID:
              return FAST_INVALID;
            case PD_PHONE_VERDICT_ASK:
            default:
              break;
            }
        }
    }
  return FAST_ASK;
}

static char *
nanp_e164 (const char digits[10])
{
  char *e164 = (char *) g_malloc (13);

  e164[0] = '+';
  e164[1] = '1';
  memcpy (e164 + 2, digits, 10);
  e164[12] = '\0';
  return e164;
}

static void
set_nanp_not_valid_error (GError     **error,
                          const char  *text,
                          const char  *code,
                          gboolean     nanp)
{
  /* Ten digits with country code 1 are always a possible length, so the
   * reference would say "not valid for". */
  g_autofree char *shown = g_strstrip (g_strdup (text));

  /* A NANP region is its own answer to region_for_message() for country
   * code 1; spare the look-ups. */
  if (nanp)
    set_not_valid_error (error, shown, code);
  else
    set_not_valid_error (error, shown, region_for_message (1, code).c_str ());
}

char *
pd_phone_normalize (const char  *text,
                    const char  *default_region,
                    GError     **error)
{
  char code[4];
  char digits[10];
  gboolean nanp = FALSE;

  switch (fast_answer (text, default_region, code, &nanp, digits))
    {
    case FAST_VALID:
      return nanp_e164 (digits);
    case FAST_INVALID:
      set_nanp_not_valid_error (error, text, code, nanp);
      return NULL;
    case FAST_ASK:
    default:
      return pd_phone_normalize_reference (text, default_region, error);
    }
}

/* ---- Extensions and numbers the data does not know yet ------------------- */

/* libphonenumber 8.12.57, Debian 12's, carries the numbering plans of
 * October 2022: a range opened since (North American area codes such as
 * 645 or 942) is "not valid" to it. */
#define PHONE_DATA_YEAR "2022"

#define EXT_SEPARATOR ";ext="
#define MAX_EXTENSION_DIGITS 10

const char *
pd_phone_data_year (void)
{
  return PHONE_DATA_YEAR;
}

gsize
pd_phone_number_length (const char *stored)
{
  const char *ext = strchr (stored, ';');

  return ext != NULL ? (gsize) (ext - stored) : strlen (stored);
}

gboolean
pd_phone_same_number (const char *a,
                      const char *b)
{
  gsize length = pd_phone_number_length (a);

  return length == pd_phone_number_length (b) && strncmp (a, b, length) == 0;
}

gboolean
pd_phone_is_in_data (const char *stored)
{
  g_autofree char *number = NULL;
  g_autofree char *e164 = NULL;

  if (stored == NULL || *stored == '\0')
    return TRUE;
  /* E.164 names its country: the region does not count; the fast path
   * answers North American numbers without libphonenumber */
  number = g_strndup (stored, pd_phone_number_length (stored));
  e164 = pd_phone_normalize (number, "US", NULL);
  return e164 != NULL;
}

static gboolean
ends_with_word (const char *start,
                const char *end,
                const char *word)
{
  gsize n = strlen (word);

  return (gsize) (end - start) >= n && g_ascii_strncasecmp (end - n, word, n) == 0;
}

/* Splits "786-284-3358x62152" into the number and "62152".  The marker
 * is one of "x", "ext", "ext.", "extension", "#", ";ext=" followed by
 * digits to the end; anything else has no extension. */
static gboolean
split_extension (const char *text,
                 char      **number,
                 char      **extension)
{
  const char *end = text + strlen (text);
  const char *digits_end, *p, *marker_end;
  static const char * const markers[] = { ";ext", "extension", "ext", "x", "#", NULL };

  while (end > text && g_ascii_isspace (end[-1]))
    end--;
  digits_end = end;
  p = end;
  while (p > text && g_ascii_isdigit (p[-1]))
    p--;
  if (p == digits_end || digits_end - p > MAX_EXTENSION_DIGITS)
    return FALSE;
  *extension = g_strndup (p, digits_end - p);
  while (p > text && (g_ascii_isspace (p[-1]) || p[-1] == '.' || p[-1] == ':' || p[-1] == '='))
    p--;
  marker_end = p;
  for (guint i = 0; markers[i] != NULL; i++)
    if (ends_with_word (text, marker_end, markers[i]))
      {
        const char *q = marker_end - strlen (markers[i]);
        gboolean has_digit = FALSE;

        /* "x" must not be the end of a word ("box 12") */
        if (markers[i][0] != ';' && markers[i][0] != '#' && q > text && g_ascii_isalpha (q[-1]))
          break;
        while (q > text && (g_ascii_isspace (q[-1]) || q[-1] == ',' || q[-1] == ';'))
          q--;
        for (const char *d = text; d < q; d++)
          has_digit = has_digit || g_ascii_isdigit (*d);
        if (!has_digit)
          break;
        *number = g_strndup (text, q - text);
        return TRUE;
      }
  g_clear_pointer (extension, g_free);
  return FALSE;
}

/* A number libphonenumber finds possible for its region although not
 * valid.  In the North American plan, "possible" is only a length, so
 * the plan's own shape is asked too (NXX-NXX-XXXX: neither the area code
 * nor the exchange starts with 0 or 1), or any ten random digits would
 * pass. */
static char *
possible_number (const char *text,
                 const char *region)
{
  char code[4];
  PhoneNumber number;
  std::string e164;

  if (!canonical_region (region, code) ||
      util ()->Parse (text, code, &number) != PhoneNumberUtil::NO_PARSING_ERROR ||
      util ()->IsPossibleNumberWithReason (number) != PhoneNumberUtil::IS_POSSIBLE)
    return NULL;
  if (number.country_code () == 1)
    {
      char national[24];

      g_snprintf (national, sizeof national, "%" G_GUINT64_FORMAT, (guint64) number.national_number ());
      if (strlen (national) != 10 || national[0] < '2' || national[3] < '2')
        return NULL;
    }
  util ()->Format (number, PhoneNumberUtil::E164, &e164);
  return g_strdup (e164.c_str ());
}

char *
pd_phone_normalize_lenient (const char  *text,
                            const char  *default_region,
                            gboolean    *not_in_data,
                            GError     **error)
{
  g_autofree char *number = NULL;
  g_autofree char *extension = NULL;
  g_autoptr(GError) local = NULL;
  char *e164;

  if (not_in_data != NULL)
    *not_in_data = FALSE;
  /* Most numbers have no extension: look for one only where a marker
   * can be. */
  if (text != NULL && strpbrk (text, "xX#;eE") != NULL)
    split_extension (text, &number, &extension);

  {
    const char *t = number != NULL ? number : text;
    char code[4];
    char digits[10];
    gboolean nanp = FALSE;

    switch (fast_answer (t, default_region, code, &nanp, digits))
      {
      case FAST_VALID:
        e164 = nanp_e164 (digits);
        break;
      case FAST_INVALID:
        /* possible in the plan's own shape (NXX-NXX-XXXX), answered
         * without libphonenumber: a file of such numbers stays fast */
        if (digits[0] >= '2' && digits[3] >= '2')
          {
            e164 = nanp_e164 (digits);
            if (not_in_data != NULL)
              *not_in_data = TRUE;
          }
        else
          {
            set_nanp_not_valid_error (error, t, code, nanp);
            return NULL;
          }
        break;
      case FAST_ASK:
      default:
        e164 = pd_phone_normalize_reference (t, default_region, &local);
        break;
      }
  }
  if (e164 == NULL)
    {
      /* Invalid input (no text, unknown region) keeps its own reason. */
      if (text != NULL && g_utf8_validate (text, -1, NULL))
        e164 = possible_number (number != NULL ? number : text, default_region);
      if (e164 == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      if (not_in_data != NULL)
        *not_in_data = TRUE;
    }
  if (extension != NULL)
    {
      char *with = g_strconcat (e164, EXT_SEPARATOR, extension, NULL);

      g_free (e164);
      e164 = with;
    }
  return e164;
}

/* ---- pd-phone-private.h ------------------------------------------------- */

gboolean
_pd_phone_get_fast_path_info (gint64   *build_usec,
                              guint    *n_nodes,
                              guint    *n_ask_leaves,
                              guint    *n_oracle_calls,
                              char    **failure)
{
  FastPath *f = fast_path ();

  if (build_usec)
    *build_usec = f->build_usec;
  if (failure)
    *failure = g_strdup (f->failure);
  if (f->table == NULL)
    return FALSE;
  pd_phone_table_get_stats (f->table, n_nodes, n_ask_leaves, n_oracle_calls);
  return TRUE;
}

gboolean
_pd_phone_check_display_regions (char **difference)
{
  std::list<std::string> codes;
  GString *diff = g_string_new (NULL);
  guint n = 0;

  util ()->GetRegionCodesForCountryCallingCode (1, &codes);
  for (const std::string &code : codes)
    if (!in_regions (display_nanp_regions, code.c_str ()))
      g_string_append_printf (diff, " %s is missing;", code.c_str ());
  for (; display_nanp_regions[n]; n++)
    {
      gboolean found = FALSE;

      for (const std::string &code : codes)
        found = found || code == display_nanp_regions[n];
      if (!found)
        g_string_append_printf (diff, " %s is not in calling code 1;", display_nanp_regions[n]);
    }
  if (diff->len == 0 && n != codes.size ())
    g_string_append (diff, " a region is listed twice;");

  if (diff->len == 0)
    {
      g_string_free (diff, TRUE);
      if (difference != NULL)
        *difference = NULL;
      return TRUE;
    }
  if (difference != NULL)
    *difference = g_string_free (diff, FALSE);
  else
    g_string_free (diff, TRUE);
  return FALSE;
}

/* libphonenumber's way of showing @number to someone in @home: national
 * for a number of that country, international otherwise. */
static char *
format_reference (const char *e164,
                  const char *home)
{
  PhoneNumber number;
  std::string out;

  if (util ()->Parse (e164, "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR)
    return g_strdup (e164);
  /* within one calling code (the North American plan, +44 with Jersey
   * and Guernsey) numbers are dialled, and written, nationally */
  util ()->Format (number,
                   number.country_code () == util ()->GetCountryCodeForRegion (home)
                   ? PhoneNumberUtil::NATIONAL : PhoneNumberUtil::INTERNATIONAL,
                   &out);
  return g_strdup (out.c_str ());
}

static char *format_for_display (const char *e164,
                                 const char *home_region,
                                 gboolean    fast);

/* "+17862843358;ext=62152" → "(786) 284-3358 ext. 62152" */
static char *
format_with_extension (const char *stored,
                       const char *ext,
                       const char *home_region,
                       gboolean    fast)
{
  g_autofree char *number = g_strndup (stored, ext - stored);
  g_autofree char *shown = format_for_display (number, home_region, fast);
  const char *digits = g_str_has_prefix (ext, EXT_SEPARATOR) ? ext + strlen (EXT_SEPARATOR) : ext + 1;

  /* TRANSLATORS: a phone number and its extension, "(786) 284-3358 ext. 62152" */
  return g_strdup_printf (_("%s ext. %s"), shown, digits);
}

static char *
format_for_display (const char *e164,
                    const char *home_region,
                    gboolean    fast)
{
  char code[4];
  const char *ext;

  if (e164 == NULL)
    return NULL;
  if ((ext = strchr (e164, ';')) != NULL)
    return format_with_extension (e164, ext, home_region, fast);
  if (!canonical_region (home_region, code))
    return g_strdup (e164);

  /* A list of a thousand North American numbers formats without
   * libphonenumber (its Parse and Format cost tens of µs a number): the
   * NANP national format is the same for every region of the plan. */
  if (fast && e164[0] == '+' && e164[1] == '1' && strlen (e164) == 12 &&
      strspn (e164 + 2, "0123456789") == 10 && in_regions (display_nanp_regions, code))
    return g_strdup_printf ("(%.3s) %.3s-%.4s", e164 + 2, e164 + 5, e164 + 8);
  return format_reference (e164, code);
}

/**
 * pd_phone_format_for_display:
 * @e164: a stored number ("+12025550143")
 * @home_region: (nullable): where the reader is; "US" when NULL
 *
 * Returns: (transfer full) (nullable): the number as people of
 *   @home_region write it: "(202) 555-0143" within its calling code,
 *   "+44 20 7946 0958" from abroad; NULL for NULL
 */
char *
pd_phone_format_for_display (const char *e164,
                             const char *home_region)
{
  return format_for_display (e164, home_region, TRUE);
}

/* Only through libphonenumber: what the fast path is tested against. */
char *
pd_phone_format_for_display_reference (const char *e164,
                                       const char *home_region)
{
  return format_for_display (e164, home_region, FALSE);
}
