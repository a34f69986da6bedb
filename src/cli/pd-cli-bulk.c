/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli bulk FILE.json: the bulk customers call (what the API's
 * POST /customers/bulk runs) on a body kept in a file.  Prints the result
 * object.  Exit 0 when the import completed (rejected customers or not),
 * 1 when it was refused or failed (nothing written), 2 for usage errors
 * and a body that is not a bulk call, 3 when the same body was imported
 * before and --same-file does not say what to do. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "pd-bulk-customers.h"
#include "pd-cli.h"
#include "pd-error.h"

int
pd_cli_bulk (PdCliContext *ctx,
             int           argc,
             char        **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE.json"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdBulkResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *same_file = NULL;
  g_autofree char *region = NULL;
  g_autofree char *contents = NULL;
  gboolean json = FALSE, dry_run = FALSE;
  gint64 max_body = PD_BULK_DEFAULT_MAX_BODY;
  gsize length = 0;
  PdBulkOptions options;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result object as JSON"), NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Run it all, then roll back: counts only"), NULL },
    { "region", 0, 0, G_OPTION_ARG_STRING, &region, N_("Country of phones written without +"), N_("CC") },
    { "max-body", 0, 0, G_OPTION_ARG_INT64, &max_body, N_("Largest body accepted, in bytes (50000000)"), N_("BYTES") },
    { "same-file", 0, 0, G_OPTION_ARG_STRING, &same_file,
      N_("The same body imported before: skip-points or import-anyway (refused by default)"), N_("WHAT") },
    { NULL }
  };

  pd_bulk_options_init (&options);
  g_option_context_set_summary (context,
                                _("Import a bulk customers body {\"action\", \"deduplicationKeys\", \"customers\"} "
                                  "as the API's POST /customers/bulk does, through the import engine, and "
                                  "print insertedCount, updatedCount, ignoredCount, rejectedCount and "
                                  "rejectedCustomers.  Customer fields may be written as the persona "
                                  "fields or their synonyms (firstName, phoneNumber, birthday…); an "
                                  "unknown one refuses the body."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("bulk", error->message);
  if (argc != 2)
    return pd_cli_usage_error ("bulk", _("expected one FILE.json"));
  if (max_body <= 0)
    return pd_cli_usage_error ("bulk", _("--max-body must be positive"));
  if (same_file != NULL &&
      (!pd_same_file_from_string (same_file, &options.same_file) || options.same_file == PD_SAME_FILE_REFUSE))
    return pd_cli_usage_error ("bulk", _("--same-file must be skip-points or import-anyway"));

  {
    GStatBuf st;

    /* refused before it is read, as the server refuses a body past its cap */
    if (g_stat (argv[1], &st) == 0 && S_ISREG (st.st_mode) && (guint64) st.st_size > (guint64) max_body)
      {
        g_autofree char *size_text = g_format_size (st.st_size);
        g_autofree char *cap_text = g_format_size (max_body);

        g_set_error (&error, PD_ERROR, PD_ERROR_TOO_LARGE,
                     _("%s is too large (%s; the limit is %s, see --max-body)"), argv[1], size_text, cap_text);
        pd_cli_fail (error);
        return 2;
      }
  }
  if (!g_file_get_contents (argv[1], &contents, &length, &error))
    return pd_cli_fail (error);
  body = g_bytes_new_take (g_steal_pointer (&contents), length);
  options.max_body = (gsize) max_body;
  options.default_region = region;
  options.dry_run = dry_run;

  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  /* after the store is open: --user is signed in there */
  options.actor = pd_cli_who ();
  result = pd_bulk_customers_run (store, body, &options, NULL, &error);
  if (result == NULL)
    {
      if (g_error_matches (error, PD_ERROR, PD_ERROR_SAME_FILE))
        {
          pd_cli_fail (error);
          return 3;
        }
      /* a body that is not a bulk call is bad input, like a bad value */
      if (g_error_matches (error, PD_ERROR, PD_ERROR_MAPPING) ||
          g_error_matches (error, PD_ERROR, PD_ERROR_CORRUPT) ||
          g_error_matches (error, PD_ERROR, PD_ERROR_TOO_LARGE))
        {
          pd_cli_fail (error);
          return 2;
        }
      return pd_cli_fail_input (error);
    }

  if (json)
    {
      g_autoptr(JsonNode) node = pd_bulk_result_to_json (result);

      pd_cli_print_json (node);
      return 0;
    }
  printf ("%s %" G_GINT64_FORMAT "\n", _("Import:"), result->import_id);
  printf ("%s %u\n", _("Inserted:"), result->inserted);
  printf ("%s %u\n", _("Updated:"), result->updated);
  printf ("%s %u\n", _("Ignored:"), result->ignored);
  printf ("%s %u\n", _("Rejected:"), result->rejected);
  {
    JsonArray *rejected = json_node_get_array (result->rejected_customers);

    for (guint i = 0; i < json_array_get_length (rejected); i++)
      {
        JsonObject *entry = json_array_get_object_element (rejected, i);
        g_autofree char *reason = pd_cli_escape (json_object_get_string_member (entry, "reason"));

        printf (_("  customer %" PRId64 ": %s\n"),
                (int64_t) json_object_get_int_member (entry, "index") + 1, reason);
      }
  }
  return 0;
}
