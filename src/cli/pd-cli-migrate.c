/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli migrate --from FILE.db --to postgresql://…: a desk's
 * whole SQLite database into an empty PostgreSQL database, the row counts
 * checked before it commits (pd_pg_store_copy_from_sqlite()). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <glib/gi18n-lib.h>

#include "pd-cli.h"
#include "pd-error.h"
#include "pd-pg-store.h"

static void
print_table (const char *table,
             gint64      rows,
             gpointer    data)
{
  printf (_("%s: %" PRId64 " rows\n"), table, rows);
}

int
pd_cli_migrate (PdCliContext *ctx,
                int           argc,
                char        **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSqliteStore) source = NULL;
  g_autoptr(PdPgStore) target = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_FILENAME, &from, N_("The desk's SQLite database"), N_("FILE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("An empty PostgreSQL database"), N_("URI") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Copy a desk's whole database into an empty PostgreSQL database."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("migrate", error->message);
  if (argc != 1 || from == NULL || to == NULL)
    return pd_cli_usage_error ("migrate", _("expected --from FILE.db --to postgresql://…"));
  if (!pd_pg_store_uri_is_postgres (to))
    return pd_cli_usage_error ("migrate", _("--to is a postgresql:// or postgres:// URI"));
  if (!g_file_test (from, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (&error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No database file %s"), from);
      return pd_cli_fail (error);
    }

  source = pd_sqlite_store_new (from, &error);
  if (source == NULL)
    return pd_cli_fail (error);
  target = pd_pg_store_new (to, &error);
  if (target == NULL)
    return pd_cli_fail (error);
  if (!pd_pg_store_copy_from_sqlite (target, source, print_table, NULL, &error))
    return pd_cli_fail (error);
  printf (_("Copied %s into %s; the counts match\n"), from, pd_pg_store_get_name (target));
  return 0;
}
