/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-cli.h"

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
