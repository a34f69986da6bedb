/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PLACEHOLDER: the 'show' command is being written. */
#include "pd-cli.h"

int
pd_cli_show (PdCliContext *ctx, int argc, char **argv)
{
  g_printerr ("persona-desk-cli: 'show' is not written yet\n");
  return 1;
}
