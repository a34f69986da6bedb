/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PLACEHOLDER: the 'headers' command is being written. */
#include "pd-cli.h"

int
pd_cli_headers (PdCliContext *ctx, int argc, char **argv)
{
  g_printerr ("persona-desk-cli: 'headers' is not written yet\n");
  return 1;
}
