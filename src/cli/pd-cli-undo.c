/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli undo ID: revert an import, unless later changes touched
 * its personas (then it names them and changes nothing). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <glib/gi18n-lib.h>

#include "pd-cli.h"
#include "pd-store-staff.h"

int
pd_cli_undo (PdCliContext *ctx,
             int           argc,
             char        **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  char *end = NULL;
  gint64 id;

  g_option_context_set_summary (context, _("Revert every change an import made."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("undo", error->message);
  if (argc != 2)
    return pd_cli_usage_error ("undo", _("expected one import ID"));
  id = g_ascii_strtoll (argv[1], &end, 10);
  if (end == argv[1] || *end != '\0' || id <= 0)
    return pd_cli_usage_error ("undo", _("the import ID is a positive number"));

  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  if (!pd_store_undo_import_as (store, id, NULL, NULL, pd_cli_who (), &error))
    return pd_cli_fail (error);
  printf (_("Import %" PRId64 " undone\n"), id);
  return 0;
}
