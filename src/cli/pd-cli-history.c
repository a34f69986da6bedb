/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PLACEHOLDER: the 'history' command is being written. */
#include "pd-cli.h"

int
pd_cli_history (PdCliContext *ctx, int argc, char **argv)
{
  g_printerr ("persona-desk-cli: 'history' is not written yet\n");
  return 1;
}
