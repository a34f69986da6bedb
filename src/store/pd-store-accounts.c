/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What every store's staff accounts share (issue 16): the rules of a
 * name, and the PIN or password as libsodium's Argon2id hash string, which
 * carries its own salt and costs; verification in constant time. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "pd-error.h"
#include "pd-store-accounts.h"

#define MAX_NAME_CHARS 64
#define MIN_PASSWORD_BYTES 4

/* A PIN or a password: each sign-in costs a fraction of a second and
 * 64 MiB, what libsodium calls interactive. */
#define OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE

char *
_pd_account_hash_password (const char  *password,
                           GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  if (strlen (password) < MIN_PASSWORD_BYTES)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("A PIN or password needs at least %d characters"), MIN_PASSWORD_BYTES);
      return NULL;
    }
  if (crypto_pwhash_str (hash, password, strlen (password), OPSLIMIT, MEMLIMIT) != 0)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_FAILED,
                           _("Not enough memory to protect the password"));
      return NULL;
    }
  return g_strdup (hash);
}

gboolean
_pd_account_check_name (const char  *name,
                        GError     **error)
{
  glong n = g_utf8_validate (name, -1, NULL) ? g_utf8_strlen (name, -1) : -1;
  g_autofree char *stripped = g_strstrip (g_strdup (name));

  if (n < 1 || n > MAX_NAME_CHARS || stripped[0] == '\0')
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("An account name needs 1 to %d characters"), MAX_NAME_CHARS);
      return FALSE;
    }
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      {
        g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID,
                             _("An account name may not hold control characters"));
        return FALSE;
      }
  return TRUE;
}

gboolean
_pd_account_check_password (const char *hash,
                            const char *password)
{
  /* An unknown name costs what a wrong password costs, so that timing
   * does not tell which names exist. */
  if (hash == NULL)
    {
      char dummy[crypto_pwhash_STRBYTES];

      if (crypto_pwhash_str (dummy, password, strlen (password), OPSLIMIT, MEMLIMIT) != 0)
        dummy[0] = '\0';
      return FALSE;
    }
  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}
