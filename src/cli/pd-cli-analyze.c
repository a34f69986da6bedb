/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PLACEHOLDER: the 'analyze' command is being written. */
#include "pd-cli.h"

int
pd_cli_analyze (PdCliContext *ctx, int argc, char **argv)
{
  g_printerr ("persona-desk-cli: 'analyze' is not written yet\n");
  return 1;
}
