/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-store.h"

G_BEGIN_DECLS

/* Which database the app opens, and a shared database's password.
 *
 * The `database` key says which: empty for this computer's file, else a
 * postgresql:// URI (never with its password).  The password lives in the
 * GNOME keyring (libsecret), looked up by the URI; without one, libpq's own
 * ways apply (PGPASSWORD, ~/.pgpass, a trusted local socket). */

/* @uri with @password (nullable: @uri as is) as its `password` parameter,
 * which libpq takes from a URI's query like any connection keyword. */
char     *pd_database_uri_with_password  (const char           *uri,
                                          const char           *password);

/* Opens @target (a file, or a postgresql:// URI with @password, nullable),
 * creating a file's folder first. */
PdStore  *pd_database_open               (const char           *target,
                                          const char           *password,
                                          GError              **error);

/* The keyring: FALSE with @error when no keyring answers (no Secret
 * Service on the session bus); lookup gives NULL when none is kept. */
gboolean  pd_database_store_password     (const char           *uri,
                                          const char           *password,
                                          GCancellable         *cancellable,
                                          GError              **error);
char     *pd_database_lookup_password    (const char           *uri,
                                          GCancellable         *cancellable,
                                          GError              **error);
gboolean  pd_database_clear_password     (const char           *uri,
                                          GCancellable         *cancellable,
                                          GError              **error);

G_END_DECLS
