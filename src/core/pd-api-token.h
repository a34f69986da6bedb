/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bearer tokens of the HTTP API.  A token is 32 random bytes from the
 * kernel, written "pd_" + 64 hex digits; the store keeps only its SHA-256:
 * a token is not a password (no one chooses it, it has 256 bits), so a
 * fast hash is enough and a stolen database gives no token away. */

/* Returns: (transfer full) (nullable): a new token, or NULL with @error
 * when the kernel gives no random bytes. */
char     *pd_api_token_generate    (GError     **error);
/* Returns: (transfer full): lower-case hex SHA-256 of @token */
char     *pd_api_token_hash        (const char  *token);
/* 1 to 64 of letters, digits, '.', '_' and '-': names appear in the
 * audit log and in the ledger's "who". */
gboolean  pd_api_token_check_name  (const char  *name,
                                    GError     **error);

G_END_DECLS
