/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli: the import engine for scripts and benchmarks. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-cli.h"
#include "pd-temp.h"

typedef struct {
  const char       *name;
  PdCliCommandFunc  func;
  const char       *summary;
} Command;

static const Command commands[] = {
  { "headers",  pd_cli_headers,  N_("List every persona field with label, type and synonyms") },
  { "template", pd_cli_template, N_("Write the sample CSV template") },
  { "analyze",  pd_cli_analyze,  N_("Read, map and validate a file without writing anything") },
  { "import",   pd_cli_import,   N_("Import a file into the database") },
  { "show",     pd_cli_show,     N_("Show one persona") },
  { "export",   pd_cli_export,   N_("Export every visible persona") },
  { "history",  pd_cli_history,  N_("List, download, or delete past imports") },
  { "undo",     pd_cli_undo,     N_("Revert an import") },
  { "points",   pd_cli_points,   N_("Adjust points; a persona's ledger; every adjustment") },
  { "optin",    pd_cli_optin,    N_("Opt a phone in to texts; confirm, decline, expire requests") },
  { "outbox",   pd_cli_outbox,   N_("Texts waiting to be sent: list, export, mark sent") },
  { "loyalty-status", pd_cli_loyalty_status, N_("Is a phone or email a member, opted in, pending?") },
  { "config",   pd_cli_config,   N_("Show or change the loyalty program's settings") },
  { "override", pd_cli_override, N_("Pin a field's value against imports and lower sources") },
  { "attributes", pd_cli_attributes, N_("Set, get or delete a persona's custom attributes") },
  { "source-id", pd_cli_source_id, N_("A persona's IDs in other systems (SOURCE:ID)") },
  { "migrate",  pd_cli_migrate,  N_("Copy a desk's database into an empty PostgreSQL database") },
  { "accounts", pd_cli_accounts, N_("Staff accounts: add, list, set a role or password, disable; on or off") },
  { "audit",    pd_cli_audit,    N_("The audit log: who changed what, and when") },
  { "blocklist", pd_cli_blocklist, N_("Hide a persona, email or phone everywhere (owner only)") },
  { "forget",   pd_cli_forget,   N_("Erase a customer on request and blocklist their contacts") },
  { "merge",    pd_cli_merge,    N_("Merge personas that are one customer (--dry-run shows the plan)") },
  { "unmerge",  pd_cli_unmerge,  N_("Undo the merge of a persona merged away") },
  { "bulk",     pd_cli_bulk,     N_("Import a bulk customers JSON body (the API's POST /customers/bulk)") },
  { "orders",   pd_cli_orders,   N_("Add an order to a persona (earning points per the rule); list them") },
  { "predict",  pd_cli_predict,  N_("Products a persona is likely to buy next") },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n\n%s\n", _("Usage: persona-desk-cli [--db FILE|postgresql://…] [--user NAME] COMMAND [OPTIONS]"),
           _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-15s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("--user NAME acts as that staff account (the password from PERSONA_DESK_PASSWORD or "
                             "asked on the terminal); needed to change anything when staff accounts are on."));
  fprintf (out, "\n%s\n", _("Run 'persona-desk-cli COMMAND --help' for a command's options."));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *user = NULL;
  PdCliContext ctx = { 0 };
  int i = 1;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* what a crashed run left in /tmp (an unpacked .zip) */
  pd_temp_remove_stale ();

  /* Global options come before the command; the command parses the rest. */
  while (i < argc && argv[i][0] == '-')
    {
      if (g_str_equal (argv[i], "--db") && i + 1 < argc)
        {
          g_free (db_path);
          db_path = g_strdup (argv[i + 1]);
          i += 2;
        }
      else if (g_str_has_prefix (argv[i], "--db="))
        {
          g_free (db_path);
          db_path = g_strdup (argv[i] + strlen ("--db="));
          i++;
        }
      else if (g_str_equal (argv[i], "--user") && i + 1 < argc)
        {
          g_free (user);
          user = g_strdup (argv[i + 1]);
          i += 2;
        }
      else if (g_str_has_prefix (argv[i], "--user="))
        {
          g_free (user);
          user = g_strdup (argv[i] + strlen ("--user="));
          i++;
        }
      else if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
        {
          print_usage (stdout);
          return 0;
        }
      else if (g_str_equal (argv[i], "--version"))
        {
          printf ("persona-desk-cli %s\n", PACKAGE_VERSION);
          return 0;
        }
      else
        {
          g_printerr (_("persona-desk-cli: unknown option %s\n"), argv[i]);
          print_usage (stderr);
          return 2;
        }
    }

  if (i >= argc)
    {
      print_usage (stderr);
      return 2;
    }

  ctx.db_path = db_path;
  ctx.user = user;
  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    if (g_str_equal (argv[i], commands[c].name))
      return commands[c].func (&ctx, argc - i, argv + i);

  g_printerr (_("persona-desk-cli: unknown command %s\n"), argv[i]);
  print_usage (stderr);
  return 2;
}
