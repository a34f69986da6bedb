/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PLACEHOLDER: the 'export' command is being written. */
#include "pd-cli.h"

int
pd_cli_export (PdCliContext *ctx, int argc, char **argv)
{
  g_printerr ("persona-desk-cli: 'export' is not written yet\n");
  return 1;
}
