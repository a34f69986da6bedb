/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The blocklist's keyed hash and the matching of a forgotten person's
 * contacts in cells (pd-privacy.h). */
#include "config.h"

#include <sodium.h>
#include <string.h>

#include "pd-phone.h"
#include "pd-privacy.h"

struct _PdPrivacyTargets
{
  GPtrArray *emails;   /* lower-case */
  GPtrArray *phones;   /* E.164 without extension */
  GPtrArray *digits;   /* per phone: its digits without "+" */
  GPtrArray *national; /* per phone: the digits after the country code */
};

static void
ensure_sodium (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      if (sodium_init () < 0)
        g_error ("libsodium could not be initialised");
      g_once_init_leave (&done, 1);
    }
}

void
pd_privacy_make_key (guint8 key[PD_PRIVACY_KEY_BYTES])
{
  ensure_sodium ();
  randombytes_buf (key, PD_PRIVACY_KEY_BYTES);
}

void
pd_privacy_contact_hash (const guint8  key[PD_PRIVACY_KEY_BYTES],
                         PdFieldId     kind,
                         const char   *value,
                         guint8        hash[PD_PRIVACY_HASH_BYTES])
{
  crypto_generichash_state state;
  gsize length = kind == PD_FIELD_PHONE ? pd_phone_number_length (value) : strlen (value);
  /* the kind is hashed too: an address can never collide with a number */
  const char *prefix = kind == PD_FIELD_PHONE ? "phone:" : "email:";

  ensure_sodium ();
  crypto_generichash_init (&state, key, PD_PRIVACY_KEY_BYTES, PD_PRIVACY_HASH_BYTES);
  crypto_generichash_update (&state, (const guint8 *) prefix, strlen (prefix));
  crypto_generichash_update (&state, (const guint8 *) value, length);
  crypto_generichash_final (&state, hash, PD_PRIVACY_HASH_BYTES);
}

PdPrivacyTargets *
pd_privacy_targets_new (void)
{
  PdPrivacyTargets *targets = g_new0 (PdPrivacyTargets, 1);

  targets->emails = g_ptr_array_new_with_free_func (g_free);
  targets->phones = g_ptr_array_new_with_free_func (g_free);
  targets->digits = g_ptr_array_new_with_free_func (g_free);
  targets->national = g_ptr_array_new_with_free_func (g_free);
  return targets;
}

void
pd_privacy_targets_free (PdPrivacyTargets *targets)
{
  if (targets == NULL)
    return;
  g_ptr_array_unref (targets->emails);
  g_ptr_array_unref (targets->phones);
  g_ptr_array_unref (targets->digits);
  g_ptr_array_unref (targets->national);
  g_free (targets);
}

static gboolean
contains (GPtrArray  *array,
          const char *value)
{
  for (guint i = 0; i < array->len; i++)
    if (strcmp (g_ptr_array_index (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

gboolean
pd_privacy_targets_add_email (PdPrivacyTargets *targets,
                              const char       *email)
{
  g_autofree char *lower = g_ascii_strdown (email, -1);

  if (*lower == '\0' || contains (targets->emails, lower))
    return FALSE;
  g_ptr_array_add (targets->emails, g_steal_pointer (&lower));
  return TRUE;
}

/* The digits after the country code; the country code is 1 to 3 digits,
 * found by libphonenumber's formatting (the space after it). */
static char *
national_digits (const char *e164)
{
  g_autofree char *display = pd_phone_format_for_display (e164, "ZZ");
  const char *space = display != NULL ? strchr (display, ' ') : NULL;
  GString *digits = g_string_new (NULL);

  for (const char *p = space != NULL ? space : e164 + 2; *p != '\0' && *p != ';'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  return g_string_free (digits, FALSE);
}

gboolean
pd_privacy_targets_add_phone (PdPrivacyTargets *targets,
                              const char       *e164)
{
  g_autofree char *number = g_strndup (e164, pd_phone_number_length (e164));
  GString *digits;

  if (*number == '\0' || contains (targets->phones, number))
    return FALSE;
  digits = g_string_new (NULL);
  for (const char *p = number; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  g_ptr_array_add (targets->national, national_digits (number));
  g_ptr_array_add (targets->digits, g_string_free (digits, FALSE));
  g_ptr_array_add (targets->phones, g_steal_pointer (&number));
  return TRUE;
}

GPtrArray *
pd_privacy_targets_get_emails (const PdPrivacyTargets *targets)
{
  return targets->emails;
}

GPtrArray *
pd_privacy_targets_get_phones (const PdPrivacyTargets *targets)
{
  return targets->phones;
}

static gboolean
is_local_char (char c)
{
  return g_ascii_isalnum (c) || strchr (".!#$%&'*+/=?^_`{|}~-", c) != NULL;
}

static gboolean
match_email (const char *lower,
             const char *email)
{
  gsize length = strlen (email);

  for (const char *p = strstr (lower, email); p != NULL; p = strstr (p + 1, email))
    {
      char after = p[length];

      /* a whole address: "bo@x.com" is not in "jimbo@x.com" nor "bo@x.com.au" */
      gboolean bad_after = g_ascii_isalnum (after) || after == '-' ||
                           (after == '.' && g_ascii_isalnum (p[length + 1]));

      if ((p == lower || !is_local_char (p[-1])) && !bad_after)
        return TRUE;
    }
  return FALSE;
}

/* One phone as written: its digits up to an extension ("x12", "ext. 12",
 * "#12", ";ext=12"), then compared with the number's full digits, its
 * national digits, and those with a trunk or international prefix. */
static gboolean
match_phone_digits (const PdPrivacyTargets *targets,
                    const char             *digits)
{
  for (guint i = 0; i < targets->phones->len; i++)
    {
      const char *full = g_ptr_array_index (targets->digits, i);
      const char *national = g_ptr_array_index (targets->national, i);

      if (strcmp (digits, full) == 0 || strcmp (digits, national) == 0 ||
          (digits[0] == '0' && strcmp (digits + 1, national) == 0) ||
          (g_str_has_prefix (digits, "00") && strcmp (digits + 2, full) == 0) ||
          (g_str_has_prefix (digits, "011") && strcmp (digits + 3, full) == 0))
        return TRUE;
    }
  return FALSE;
}

static gboolean
match_phones (const PdPrivacyTargets *targets,
              const char             *text)
{
  GString *digits = g_string_new (NULL);
  gboolean in_extension = FALSE;
  gboolean found = FALSE;

  /* a cell may hold several numbers: each ends at a separator; letters
   * or "#" after digits start an extension, whose digits are skipped */
  for (const char *p = text; !found; p++)
    {
      gboolean separator = *p == '\0' || strchr (",;/|\n\"", *p) != NULL;

      if (separator || g_ascii_isalpha (*p) || *p == '#')
        {
          if (digits->len >= 6)
            found = match_phone_digits (targets, digits->str);
          in_extension = !separator && (digits->len > 0 || in_extension);
          g_string_truncate (digits, 0);
          if (*p == '\0')
            break;
        }
      else if (g_ascii_isdigit (*p) && !in_extension)
        g_string_append_c (digits, *p);
      else if (*p == '+' || *p == '(')
        in_extension = FALSE;
    }
  g_string_free (digits, TRUE);
  return found;
}

gboolean
pd_privacy_targets_match_text (const PdPrivacyTargets *targets,
                               const char             *text)
{
  if (text == NULL || *text == '\0')
    return FALSE;
  if (targets->emails->len > 0 && strchr (text, '@') != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (text, -1);

      for (guint i = 0; i < targets->emails->len; i++)
        if (match_email (lower, g_ptr_array_index (targets->emails, i)))
          return TRUE;
    }
  return targets->phones->len > 0 && match_phones (targets, text);
}

gboolean
pd_privacy_targets_match_cells (const PdPrivacyTargets *targets,
                                const char * const     *cells,
                                guint                   n_cells)
{
  for (guint i = 0; i < n_cells; i++)
    if (pd_privacy_targets_match_text (targets, cells[i]))
      return TRUE;
  return FALSE;
}
