/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-cli.h"
#include "pd-sqlite-store.h"

int
pd_cli_fail (const GError *error)
{
  g_printerr ("persona-desk-cli: %s\n", error->message);
  return 1;
}

int
pd_cli_usage_error (const char *command,
                    const char *message)
{
  g_printerr ("persona-desk-cli %s: %s\n", command, message);
  return 2;
}

/**
 * pd_cli_open_store:
 *
 * Returns: (transfer full) (nullable): the store at --db, or the app's
 *   default database (created when missing)
 */
PdStore *
pd_cli_open_store (PdCliContext  *ctx,
                   GError       **error)
{
  g_autofree char *path = NULL;

  path = ctx->db_path != NULL ? g_strdup (ctx->db_path) : pd_store_dup_default_path ();
  return (PdStore *) pd_sqlite_store_new (path, error);
}
