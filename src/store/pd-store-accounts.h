/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Shared by the stores' staff accounts (pd-store-accounts.c): an
 * account name's rules (1 to 64 characters, no control characters), the
 * hash string of a PIN or password (at least 4 characters), and the check
 * of one against a hash (NULL: an unknown name, at the same cost). */
gboolean  _pd_account_check_name     (const char  *name,
                                      GError     **error);
char     *_pd_account_hash_password  (const char  *password,
                                      GError     **error);
gboolean  _pd_account_check_password (const char  *hash,
                                      const char  *password);

G_END_DECLS
