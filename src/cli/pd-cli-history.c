/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli history [--json]
 *                  history download ID --out FILE
 *                  history report ID --out FILE.csv|FILE.xlsx
 *                  history audience ID [--json]
 *                  history delete ID */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pd-cli.h"
#include "pd-store-staff.h"
#include "pd-report-writer.h"

static gboolean
parse_id (const char *text,
          gint64     *id)
{
  char *end = NULL;

  *id = g_ascii_strtoll (text, &end, 10);
  return end != text && *end == '\0' && *id > 0;
}

static void
add_import_json (JsonBuilder        *b,
                 const PdImportInfo *info)
{
  g_autofree char *started = g_date_time_format_iso8601 (info->started);

  json_builder_begin_object (b);
#define INT(name, value) json_builder_set_member_name (b, name); json_builder_add_int_value (b, value)
#define STR(name, value) json_builder_set_member_name (b, name); \
  if ((value) != NULL) json_builder_add_string_value (b, value); else json_builder_add_null_value (b)
  INT ("id", info->id);
  STR ("name", info->name);
  STR ("user", info->user);
  STR ("file_name", info->file_name);
  STR ("started", started);
  INT ("duration_ms", info->duration_ms);
  STR ("status", pd_import_status_to_string (info->status));
  INT ("total", info->total);
  INT ("privacy_removed", info->privacy_removed);
  INT ("imported", info->imported);
  INT ("updated", info->updated);
  INT ("ignored", info->ignored);
  INT ("failed", info->failed);
  json_builder_set_member_name (b, "mapping");
  if (info->mapping_json != NULL)
    json_builder_add_value (b, json_from_string (info->mapping_json, NULL));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "options");
  if (info->options_json != NULL)
    json_builder_add_value (b, json_from_string (info->options_json, NULL));
  else
    json_builder_add_null_value (b);
  STR ("error", info->error);
#undef INT
#undef STR
  json_builder_end_object (b);
}

static void
print_builder (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  printf ("%s\n", text);
}

static int
list_imports (PdStore  *store,
              gboolean  json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) imports = pd_store_list_imports (store, &error);

  if (imports == NULL)
    return pd_cli_fail (error);
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < imports->len; i++)
        add_import_json (b, g_ptr_array_index (imports, i));
      json_builder_end_array (b);
      print_builder (b);
      return 0;
    }
  for (guint i = 0; i < imports->len; i++)
    {
      PdImportInfo *info = g_ptr_array_index (imports, i);
      g_autoptr(GDateTime) local = g_date_time_to_local (info->started);
      g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");
      g_autofree char *privacy = pd_import_info_dup_privacy_note (info);

      pd_cli_printf (_("%" PRId64 "\t%s\t%s\t%s\t%s\t%u rows: %u imported, %u updated, %u ignored, "
                "%u failed\t%s"),
              info->id, when, info->user, pd_import_status_to_string (info->status), info->name,
              info->total, info->imported, info->updated, info->ignored, info->failed, info->file_name);
      /* a column of its own, only when a data-deletion request took rows out */
      if (privacy != NULL)
        printf ("\t%s", privacy);
      printf ("\n");
    }
  return 0;
}

int
pd_cli_history (PdCliContext *ctx,
                int           argc,
                char        **argv)
{
  g_autofree char *out_path = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_path, N_("download, report: the file to write (a report: .csv or .xlsx)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("[download ID --out FILE | report ID --out FILE | audience ID | delete ID]"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  const char *action;
  gint64 id;

  g_option_context_set_summary (context, _("List past imports, download an import's original file "
                                           "or its results report, list the personas it touched, "
                                           "or delete it (the personas stay)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("history", error->message);

  if (argc == 1)
    {
      store = pd_cli_open_store (ctx, &error);
      if (store == NULL)
        return pd_cli_fail (error);
      return list_imports (store, json);
    }
  action = argv[1];
  if (argc != 3 || !parse_id (argv[2], &id))
    return pd_cli_usage_error ("history", _("expected download, report, audience or delete and an import ID"));

  if (g_str_equal (action, "download"))
    {
      g_autoptr(GFile) file = NULL;
      g_autoptr(GFileOutputStream) out = NULL;
      g_autoptr(PdImportInfo) info = NULL;

      if (out_path == NULL)
        return pd_cli_usage_error ("history", _("download needs --out FILE"));
      store = pd_cli_open_store (ctx, &error);
      if (store == NULL)
        return pd_cli_fail (error);
      info = pd_store_get_import (store, id, &error);
      if (info == NULL)
        return pd_cli_fail (error);
      file = g_file_new_for_commandline_arg (out_path);
      out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, &error);
      if (out == NULL ||
          !pd_store_write_import_file (store, id, G_OUTPUT_STREAM (out), NULL, &error) ||
          !g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error))
        return pd_cli_fail (error);
      return 0;
    }
  if (g_str_equal (action, "report"))
    {
      if (out_path == NULL ||
          (!g_str_has_suffix (out_path, ".csv") && !g_str_has_suffix (out_path, ".xlsx")))
        return pd_cli_usage_error ("history", _("report needs --out FILE.csv or FILE.xlsx"));
      store = pd_cli_open_store (ctx, &error);
      if (store == NULL)
        return pd_cli_fail (error);
      if (!pd_report_write_stored (out_path, store, id, &error))
        return pd_cli_fail (error);
      return 0;
    }
  if (g_str_equal (action, "audience"))
    {
      g_autoptr(GArray) ids = NULL;
      g_autoptr(PdImportInfo) info = NULL;

      store = pd_cli_open_store (ctx, &error);
      if (store == NULL)
        return pd_cli_fail (error);
      info = pd_store_get_import (store, id, &error);
      if (info == NULL)
        return pd_cli_fail (error);
      ids = pd_store_list_audience (store, id, &error);
      if (ids == NULL)
        return pd_cli_fail (error);
      if (json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();

          json_builder_begin_array (b);
          for (guint i = 0; i < ids->len; i++)
            json_builder_add_int_value (b, g_array_index (ids, gint64, i));
          json_builder_end_array (b);
          print_builder (b);
        }
      else
        for (guint i = 0; i < ids->len; i++)
          printf ("%" PRId64 "\n", g_array_index (ids, gint64, i));
      return 0;
    }
  if (g_str_equal (action, "delete"))
    {
      store = pd_cli_open_store (ctx, &error);
      if (store == NULL)
        return pd_cli_fail (error);
      if (!pd_store_delete_import_as (store, id, pd_cli_who (), &error))
        return pd_cli_fail (error);
      printf (_("Import %" PRId64 " deleted from the history\n"), id);
      return 0;
    }
  return pd_cli_usage_error ("history", _("expected download, report, audience or delete"));
}
