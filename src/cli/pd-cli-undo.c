/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PLACEHOLDER: the 'undo' command is being written. */
#include "pd-cli.h"

int
pd_cli_undo (PdCliContext *ctx, int argc, char **argv)
{
  g_printerr ("persona-desk-cli: 'undo' is not written yet\n");
  return 1;
}
