/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PLACEHOLDER: the 'template' command is being written. */
#include "pd-cli.h"

int
pd_cli_template (PdCliContext *ctx, int argc, char **argv)
{
  g_printerr ("persona-desk-cli: 'template' is not written yet\n");
  return 1;
}
