/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli undo ID: revert an import, unless later changes touched
 * its personas (then it names them and changes nothing); with
 * --keep-edited, revert the rest and keep those personas as they are. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <glib/gi18n-lib.h>

#include "pd-cli.h"
#include "pd-error.h"
#include "pd-store-staff.h"

int
pd_cli_undo (PdCliContext *ctx,
             int           argc,
             char        **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID"));
  gboolean keep_edited = FALSE;
  const GOptionEntry entries[] = {
    { "keep-edited", 0, 0, G_OPTION_ARG_NONE, &keep_edited,
      N_("Undo every row but those of personas changed after the import, which stay as they are"),
      NULL },
    { NULL }
  };
  guint n_kept = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  char *end = NULL;
  gint64 id;

  g_option_context_set_summary (context, _("Revert every change an import made."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
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
  if (keep_edited)
    {
      if (!pd_store_undo_import_keep_edited (store, pd_cli_who (), id, NULL, NULL, &n_kept, &error))
        return pd_cli_fail (error);
      if (n_kept > 0)
        {
          printf (g_dngettext (GETTEXT_PACKAGE,
                               "Import %" PRId64 " partly undone: %u persona changed after it kept as it is\n",
                               "Import %" PRId64 " partly undone: %u personas changed after it kept as they are\n",
                               n_kept), id, n_kept);
          return 0;
        }
    }
  else if (!pd_store_undo_import_as (store, id, NULL, NULL, pd_cli_who (), &error))
    {
      g_autoptr(GArray) blockers = NULL;

      pd_cli_fail (error);
      if (g_error_matches (error, PD_ERROR, PD_ERROR_CONFLICT) &&
          (blockers = pd_store_list_undo_blockers (store, id, NULL)) != NULL && blockers->len > 0)
        g_printerr ("  %s\n", _("To undo the rest and keep those personas as they are: undo --keep-edited"));
      return 1;
    }
  printf (_("Import %" PRId64 " undone\n"), id);
  return 0;
}
