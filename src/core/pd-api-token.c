/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bearer tokens of the HTTP API: made, hashed, named (pd-api-token.h). */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <glib/gi18n-lib.h>

#include "pd-api-token.h"
#include "pd-error.h"

#define TOKEN_BYTES 32

char *
pd_api_token_generate (GError **error)
{
  guint8 bytes[TOKEN_BYTES];
  GString *token = g_string_new ("pd_");
  gsize got = 0;

  while (got < sizeof bytes)
    {
      ssize_t n = getrandom (bytes + got, sizeof bytes - got, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, PD_ERROR, PD_ERROR_FAILED, _("Cannot make a token: %s"), g_strerror (saved));
          g_string_free (token, TRUE);
          return NULL;
        }
      got += n;
    }
  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_printf (token, "%02x", bytes[i]);
  explicit_bzero (bytes, sizeof bytes);
  return g_string_free (token, FALSE);
}

char *
pd_api_token_hash (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

gboolean
pd_api_token_check_name (const char  *name,
                         GError     **error)
{
  gsize len = name != NULL ? strlen (name) : 0;

  if (len == 0 || len > 64 || strspn (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                            "0123456789._-") != len)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("“%s” is not a token name (1 to 64 letters, digits, “.”, “_” or “-”)"),
                   name != NULL ? name : "");
      return FALSE;
    }
  return TRUE;
}
