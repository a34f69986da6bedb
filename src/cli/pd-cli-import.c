/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PLACEHOLDER: the 'import' command is being written. */
#include "pd-cli.h"

int
pd_cli_import (PdCliContext *ctx, int argc, char **argv)
{
  g_printerr ("persona-desk-cli: 'import' is not written yet\n");
  return 1;
}
