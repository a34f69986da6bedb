/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The bulk customers call: a JSON body through PdImportJob, see
 * pd-bulk-customers.h for what maps to what.  The body is checked here
 * (members, action, keys, customer fields) so that a wrong call fails
 * before anything is recorded; the rows themselves are the engine's. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pd-bulk-customers.h"
#include "pd-error.h"
#include "pd-field.h"
#include "pd-import-job.h"
#include "pd-json-index.h"
#include "pd-json-reader.h"
#include "pd-mapping.h"
#include "pd-merge-rules.h"
#include "pd-permission.h"
#include "pd-reader-private.h"
#include "pd-temp.h"

/* The name the body has in the history (its "file"). */
#define BODY_FILE_NAME "bulk-customers.json"

void
pd_bulk_options_init (PdBulkOptions *options)
{
  memset (options, 0, sizeof *options);
  options->same_file = PD_SAME_FILE_REFUSE;
}

void
pd_bulk_result_free (PdBulkResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->rejected_customers, json_node_unref);
  g_clear_pointer (&result->warnings, json_node_unref);
  g_free (result);
}

static gboolean
check_members (PdJsonIndex  *index,
               GError      **error)
{
  static const char * const known[] = { "action", "deduplicationKeys", "customers", NULL };
  GPtrArray *names = pd_json_index_get_member_names (index);
  g_autoptr(GString) unknown = g_string_new (NULL);
  gsize length;
  const char *customers;

  if (!pd_json_index_root_is_object (index))
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID,
                           _("The request body must be an object with “action”, "
                             "“deduplicationKeys” and “customers”"));
      return FALSE;
    }
  for (guint i = 0; i < names->len; i++)
    if (!g_strv_contains (known, g_ptr_array_index (names, i)))
      g_string_append_printf (unknown, "%s“%s”", unknown->len ? ", " : "",
                              (const char *) g_ptr_array_index (names, i));
  if (unknown->len > 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("Unknown members in the request body: %s (it may have "
                     "“action”, “deduplicationKeys” and “customers”)"), unknown->str);
      return FALSE;
    }
  customers = pd_json_index_get_member (index, "customers", &length);
  if (customers == NULL || *customers != '[')
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID,
                           _("The request body has no “customers” list"));
      return FALSE;
    }
  return TRUE;
}

/* A member of the body (a small value), parsed on its own. */
static JsonNode *
get_member (PdJsonIndex *index,
            const char  *name)
{
  gsize length;
  const char *text = pd_json_index_get_member (index, name, &length);
  g_autofree char *copy = NULL;

  if (text == NULL)
    return NULL;
  copy = g_strndup (text, length);
  return json_from_string (copy, NULL);
}

static gboolean
read_action (PdJsonIndex    *index,
             PdMatchAction  *action,
             GError        **error)
{
  g_autoptr(JsonNode) node = get_member (index, "action");

  *action = PD_MATCH_ACTION_MERGE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      !pd_match_action_from_string (json_node_get_string (node), action))
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID,
                           _("“action” must be one of ignore, update, append, replace, merge"));
      return FALSE;
    }
  return TRUE;
}

/* "deduplicationKeys" as PdImportOptions.match ("email,phone"), or NULL
 * for the engine's default. */
static gboolean
read_match (PdJsonIndex  *index,
            char        **match,
            GError      **error)
{
  g_autoptr(JsonNode) node = get_member (index, "deduplicationKeys");
  g_autoptr(GString) out = g_string_new (NULL);
  JsonArray *keys;

  *match = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID,
                           _("“deduplicationKeys” must be a list of field names"));
      return FALSE;
    }
  keys = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (keys); i++)
    {
      JsonNode *key = json_array_get_element (keys, i);
      const PdFieldInfo *info = NULL;
      const char *text = NULL;

      if (JSON_NODE_HOLDS_VALUE (key) && json_node_get_value_type (key) == G_TYPE_STRING)
        {
          text = json_node_get_string (key);
          info = pd_field_get_info (pd_mapping_guess_field (text, NULL));
        }
      if (info == NULL || !info->identifier)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                       _("“deduplicationKeys”: “%s” is not a field that identifies a customer "
                         "(email, phoneNumber, externalId or a channel ID)"),
                       text ? text : "?");
          return FALSE;
        }
      if (out->len > 0)
        g_string_append_c (out, ',');
      g_string_append (out, info->key);
    }
  if (out->len > 0)
    *match = g_string_free (g_steal_pointer (&out), FALSE);
  return TRUE;
}

/* Every customer key must name a field; two keys may not feed one field
 * that holds one value. */
static gboolean
check_fields (GPtrArray  *keys,
              GError    **error)
{
  const char *by_field[PD_FIELD_N_BUILTIN] = { NULL, };
  g_autoptr(GString) unknown = g_string_new (NULL);

  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      PdFieldId field = pd_mapping_guess_field (key, NULL);

      if (field == PD_FIELD_NONE)
        {
          g_string_append_printf (unknown, "%s“%s”", unknown->len ? ", " : "", key);
          continue;
        }
      if (field == PD_FIELD_ATTRIBUTE || pd_field_get_info (field)->multi)
        continue;
      if (by_field[field] != NULL)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_MAPPING,
                       _("Customer fields “%s” and “%s” both name %s: send one of them"),
                       by_field[field], key, _(pd_field_get_info (field)->label));
          return FALSE;
        }
      by_field[field] = key;
    }
  if (unknown->len > 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_MAPPING,
                   _("Unknown customer fields: %s (`persona-desk-cli headers` lists "
                     "the fields and their synonyms; “attribute:NAME” makes a custom attribute)"),
                   unknown->str);
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  PdJsonIndex *index;
  JsonBuilder *rejected;
  JsonBuilder *warnings;
} CollectData;

static char *
join_reasons (GPtrArray *reasons)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; reasons != NULL && i < reasons->len; i++)
    g_string_append_printf (out, "%s%s", i ? "; " : "", (const char *) g_ptr_array_index (reasons, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
collect_result (PdImportRowResult *result,
                gpointer           user_data)
{
  CollectData *data = user_data;
  guint index = result->row >= 2 ? result->row - 2 : 0;

  if (result->row < 2 || index >= pd_json_index_get_n_customers (data->index))
    return;
  if (result->outcome == PD_IMPORT_OUTCOME_FAILED)
    {
      g_autofree char *reason = join_reasons (result->reasons);
      gsize length;
      const char *text = pd_json_index_get_customer (data->index, index, &length);
      g_autofree char *copy = g_strndup (text, length);
      JsonNode *customer = json_from_string (copy, NULL);

      json_builder_begin_object (data->rejected);
      json_builder_set_member_name (data->rejected, "customer");
      if (customer != NULL)
        json_builder_add_value (data->rejected, customer);
      else
        json_builder_add_null_value (data->rejected);
      json_builder_set_member_name (data->rejected, "reason");
      json_builder_add_string_value (data->rejected, reason);
      json_builder_set_member_name (data->rejected, "index");
      json_builder_add_int_value (data->rejected, index);
      json_builder_end_object (data->rejected);
    }
  else if (result->reasons != NULL && result->reasons->len > 0)
    {
      json_builder_begin_object (data->warnings);
      json_builder_set_member_name (data->warnings, "index");
      json_builder_add_int_value (data->warnings, index);
      json_builder_set_member_name (data->warnings, "warnings");
      json_builder_begin_array (data->warnings);
      for (guint i = 0; i < result->reasons->len; i++)
        json_builder_add_string_value (data->warnings, g_ptr_array_index (result->reasons, i));
      json_builder_end_array (data->warnings);
      json_builder_end_object (data->warnings);
    }
}

static gboolean
write_body (const char  *path,
            GBytes      *body,
            GError     **error)
{
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  return g_file_set_contents_full (path, data ? data : "", size, G_FILE_SET_CONTENTS_NONE, 0600, error);
}

PdBulkResult *
pd_bulk_customers_run (PdStore              *store,
                       GBytes               *body,
                       const PdBulkOptions  *options,
                       GCancellable         *cancellable,
                       GError              **error)
{
  static const char * const no_tags[] = { NULL };
  PdBulkOptions defaults;
  g_autoptr(PdJsonIndex) index = NULL;
  g_autoptr(PdMapping) mapping = NULL;
  g_autoptr(PdImportJob) job = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *match = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autoptr(PdBulkResult) result = NULL;
  g_autoptr(JsonBuilder) rejected = json_builder_new ();
  g_autoptr(JsonBuilder) warnings = json_builder_new ();
  PdSourceOptions source_options = { 0 };
  PdImportOptions import_options;
  const PdImportInfo *info;
  GPtrArray *header;
  CollectData collect;
  gsize size, cap;
  gboolean ok;
  gint64 start = g_get_monotonic_time ();

  g_return_val_if_fail (store != NULL && body != NULL, NULL);
  if (options == NULL)
    {
      pd_bulk_options_init (&defaults);
      options = &defaults;
    }
  if (options->actor != NULL && !pd_actor_check (options->actor, PD_PERMISSION_IMPORT, error))
    return NULL;
  cap = options->max_body > 0 ? options->max_body : PD_BULK_DEFAULT_MAX_BODY;
  size = g_bytes_get_size (body);
  if (size > cap)
    {
      g_autofree char *size_text = g_format_size (size);
      g_autofree char *cap_text = g_format_size (cap);

      g_set_error (error, PD_ERROR, PD_ERROR_TOO_LARGE,
                   _("The request body is too large (%s; the limit is %s): send the customers "
                     "in several calls"), size_text, cap_text);
      return NULL;
    }
  index = pd_json_index_new (body, _("The request body"), error);
  if (index == NULL)
    return NULL;
  pd_import_options_init (&import_options);
  if (!check_members (index, error) ||
      !read_action (index, &import_options.action, error) ||
      !read_match (index, &match, error))
    return NULL;
  header = pd_json_index_get_keys (index);
  if (!check_fields (header, error))
    return NULL;
  g_debug ("bulk: body parsed and checked after %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - start) / 1000);

  result = g_new0 (PdBulkResult, 1);
  json_builder_begin_array (rejected);
  json_builder_begin_array (warnings);
  if (pd_json_index_get_n_customers (index) == 0)
    {
      /* nothing to import: no history entry for an empty call */
      json_builder_end_array (rejected);
      json_builder_end_array (warnings);
      result->rejected_customers = json_builder_get_root (rejected);
      result->warnings = json_builder_get_root (warnings);
      return g_steal_pointer (&result);
    }

  /* The engine imports files, and the history keeps each one's bytes:
   * the body becomes one, in a private folder removed right after. */
  dir = pd_temp_make_dir ("bulk", error);
  if (dir == NULL)
    return NULL;
  path = g_build_filename (dir, BODY_FILE_NAME, NULL);
  if (!write_body (path, body, error))
    {
      pd_temp_remove_dir (dir);
      return NULL;
    }
  file = g_file_new_for_path (path);
  g_debug ("bulk: body written after %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - start) / 1000);

  /* Mapped from the keys as they were checked, so that a preset the app
   * remembered for the same headers can't map them otherwise. */
  mapping = pd_mapping_new ((const char * const *) header->pdata, header->len);
  source_options.mapping = mapping;
  source_options.default_region = options->default_region;
  source_options.n_threads = options->n_threads;

  if (options->name == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *when = g_date_time_format (now, "%Y-%m-%d %H:%M:%S");

      name = g_strdup_printf (_("Bulk customers %s"), when);
    }
  import_options.match = match;
  import_options.name = options->name ? options->name : name;
  import_options.tags = no_tags;
  /* The caller's token (or the CLI's user) stands for the terms: an
   * integration accepts them when it is set up, not per call. */
  import_options.accept_terms = TRUE;
  import_options.same_file = options->same_file;

  job = pd_import_job_new (store, file, &source_options, &import_options);
  pd_import_job_set_dry_run (job, options->dry_run);
  /* the engine checks it again as the run starts, and names it in the history */
  pd_import_job_set_actor (job, options->actor);
  _pd_json_reader_lend_index (path, index);
  ok = pd_import_job_run (job, cancellable, error);
  _pd_json_reader_lend_index (path, NULL);

  if (ok)
    {
      info = pd_import_job_get_info (job);
      result->import_id = options->dry_run ? 0 : info->id;
      result->inserted = info->imported;
      result->updated = info->updated;
      result->ignored = info->ignored;
      result->rejected = info->failed;
      collect.index = index;
      collect.rejected = rejected;
      collect.warnings = warnings;
      ok = pd_import_job_foreach_row_result (job, collect_result, &collect, error);
    }
  pd_temp_remove_dir (dir);
  if (!ok)
    return NULL;
  g_debug ("bulk: done after %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - start) / 1000);

  json_builder_end_array (rejected);
  json_builder_end_array (warnings);
  result->rejected_customers = json_builder_get_root (rejected);
  result->warnings = json_builder_get_root (warnings);
  return g_steal_pointer (&result);
}

/**
 * pd_bulk_result_to_json:
 *
 * Returns: (transfer full): the response object
 */
JsonNode *
pd_bulk_result_to_json (const PdBulkResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "insertedCount");
  json_builder_add_int_value (builder, result->inserted);
  json_builder_set_member_name (builder, "updatedCount");
  json_builder_add_int_value (builder, result->updated);
  json_builder_set_member_name (builder, "ignoredCount");
  json_builder_add_int_value (builder, result->ignored);
  json_builder_set_member_name (builder, "rejectedCount");
  json_builder_add_int_value (builder, result->rejected);
  json_builder_set_member_name (builder, "rejectedCustomers");
  json_builder_add_value (builder, json_node_copy (result->rejected_customers));
  json_builder_set_member_name (builder, "importId");
  json_builder_add_int_value (builder, result->import_id);
  json_builder_set_member_name (builder, "warnings");
  json_builder_add_value (builder, json_node_copy (result->warnings));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
