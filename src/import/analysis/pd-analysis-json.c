/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdAnalysis as JSON (`persona-desk-cli analyze --json`): the tree, and
 * the same written to a file a row at a time for a file of a million
 * failed rows.  Built from its public accessors; the object:
 * pd-analysis.c. */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "pd-analysis-private.h"
#include "pd-json.h"

static gboolean
add_json_row (const PdAnalysisRow *row,
              gpointer             user_data)
{
  JsonBuilder *builder = user_data;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "row");
  json_builder_add_int_value (builder, row->row);
  json_builder_set_member_name (builder, "reasons");
  json_builder_begin_array (builder);
  for (guint r = 0; row->reasons[r] != NULL; r++)
    json_builder_add_string_value (builder, row->reasons[r]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return TRUE;
}

/**
 * pd_analysis_to_json:
 *
 * The CLI's contract: {"total", "valid", "failed", "warned", "shared_phones",
 * "earlier_import": null or {"id", "name", "file_name", "started"}, "mapping":
 * {header: field key or null}, "warnings": [...], "date_questions": [{"column",
 * "read_as" (the --date-format it is read in), "samples"}], "warned_rows": [{"row",
 * "reasons"}], "rows": [{"row", "reasons"}]}.
 * A header that occurs twice gets " (2)" appended, an empty one its
 * column name, so that every column has a key.
 *
 * Returns: (transfer full): the analysis as JSON
 */
static JsonNode *
to_json (PdAnalysis *self,
         gboolean    with_rows)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const PdImportInfo *earlier;
  PdMapping *mapping;
  GPtrArray *warnings, *date_questions, *warned_rows;

  g_return_val_if_fail (PD_IS_ANALYSIS (self), NULL);

  earlier = pd_analysis_get_earlier_import (self);
  mapping = pd_analysis_get_mapping (self);
  warnings = pd_analysis_get_warnings (self);
  date_questions = pd_analysis_get_date_questions (self);
  warned_rows = pd_analysis_get_warned_rows (self);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, pd_analysis_get_total (self));
  json_builder_set_member_name (builder, "valid");
  json_builder_add_int_value (builder, pd_analysis_get_valid (self));
  json_builder_set_member_name (builder, "failed");
  json_builder_add_int_value (builder, pd_analysis_get_failed (self));
  /* valid rows with warnings: imported, a value or two left out */
  json_builder_set_member_name (builder, "warned");
  json_builder_add_int_value (builder, pd_analysis_get_warned (self));
  json_builder_set_member_name (builder, "shared_phones");
  json_builder_add_int_value (builder, pd_analysis_get_shared_phones (self));

  /* the same file's content imported before: its points would add again */
  json_builder_set_member_name (builder, "earlier_import");
  if (earlier == NULL)
    json_builder_add_null_value (builder);
  else
    {
      g_autofree char *started = g_date_time_format_iso8601 (earlier->started);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, earlier->id);
      pd_json_add_nullable_string (builder, "name", earlier->name);
      pd_json_add_nullable_string (builder, "file_name", earlier->file_name);
      json_builder_set_member_name (builder, "started");
      json_builder_add_string_value (builder, started);
      json_builder_end_object (builder);
    }

  json_builder_set_member_name (builder, "mapping");
  json_builder_begin_object (builder);
  for (guint i = 0; i < pd_mapping_get_n_columns (mapping); i++)
    {
      g_autofree char *name = pd_mapping_dup_column_name (mapping, i);
      g_autofree char *key = pd_mapping_dup_field_key (mapping, i);
      char *unique = g_strdup (name);

      for (guint n = 2; g_hash_table_contains (seen, unique); n++)
        {
          g_free (unique);
          unique = g_strdup_printf ("%s (%u)", name, n);
        }
      g_hash_table_add (seen, unique);

      pd_json_add_nullable_string (builder, unique, key);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < warnings->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (warnings, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "date_questions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < date_questions->len; i++)
    {
      PdDateQuestion *question = g_ptr_array_index (date_questions, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "column");
      json_builder_add_string_value (builder, question->name);
      json_builder_set_member_name (builder, "read_as");
      json_builder_add_string_value (builder, question->order == PD_DATE_ORDER_DMY
                                              ? "DD/MM/YYYY" : "MM/DD/YYYY");
      json_builder_set_member_name (builder, "samples");
      json_builder_begin_array (builder);
      for (guint s = 0; question->samples[s] != NULL; s++)
        json_builder_add_string_value (builder, question->samples[s]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  /* the first PD_ANALYSIS_MAX_WARNED_ROWS of "warned" */
  json_builder_set_member_name (builder, "warned_rows");
  json_builder_begin_array (builder);
  for (guint i = 0; i < warned_rows->len; i++)
    add_json_row (g_ptr_array_index (warned_rows, i), builder);
  json_builder_end_array (builder);

  if (!with_rows)
    {
      json_builder_end_object (builder);
      return json_builder_get_root (builder);
    }

  json_builder_set_member_name (builder, "rows");
  json_builder_begin_array (builder);
  /* A spool that cannot be read back was reported when it was written;
   * the tree then lacks those rows. */
  pd_analysis_foreach_failed_row (self, add_json_row, builder, NULL);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
pd_analysis_to_json (PdAnalysis *self)
{
  return to_json (self, TRUE);
}

static JsonNode *
pd_analysis_to_json_head (PdAnalysis *self)
{
  return to_json (self, FALSE);
}

static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p; p++)
    {
      const guchar *run = p;

      /* Runs of characters that need no escape go in at once. */
      while (*p >= 0x20 && *p != '"' && *p != '\\')
        p++;
      if (p > run)
        g_string_append_len (out, (const char *) run, p - run);
      if (*p == '\0')
        break;

      switch (*p)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

static gboolean
flush_to (GString *buffer,
          FILE    *out,
          gsize    threshold)
{
  if (buffer->len < threshold)
    return TRUE;
  if (fwrite (buffer->str, 1, buffer->len, out) != buffer->len)
    return FALSE;
  g_string_truncate (buffer, 0);
  return TRUE;
}

typedef struct {
  GString *buffer;
  FILE    *out;
  guint    n;
} JsonWriter;

static gboolean
write_json_row (const PdAnalysisRow *row,
                gpointer             user_data)
{
  JsonWriter *writer = user_data;
  GString *buffer = writer->buffer;

  char number[16];

  /* What "%s\n    {\n      \"row\" : %u,..." gives, without printf. */
  g_string_append (buffer, writer->n++ > 0 ? ",\n    {\n      \"row\" : " : "\n    {\n      \"row\" : ");
  {
    gsize n = sizeof number;
    guint value = row->row;

    do
      {
        number[--n] = '0' + value % 10;
        value /= 10;
      }
    while (value > 0);
    g_string_append_len (buffer, number + n, sizeof number - n);
  }
  g_string_append (buffer, ",\n      \"reasons\" : [");
  for (guint r = 0; row->reasons[r] != NULL; r++)
    {
      g_string_append (buffer, r > 0 ? ",\n        " : "\n        ");
      append_json_string (buffer, row->reasons[r]);
    }
  g_string_append (buffer, "\n      ]\n    }");
  return flush_to (buffer, writer->out, 1 << 16);
}

/**
 * pd_analysis_write_json:
 * @out: where to write
 *
 * Writes what pd_analysis_to_json() gives, as text, without building the
 * tree: a file with a million failed rows must not need gigabytes.
 *
 * Returns: %FALSE when writing failed (errno is set)
 */
gboolean
pd_analysis_write_json (PdAnalysis *self,
                        FILE       *out)
{
  g_autoptr(GString) buffer = g_string_sized_new (1 << 16);
  g_autoptr(JsonNode) head = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *head_text = NULL;
  g_autoptr(GError) error = NULL;
  JsonWriter writer = { 0 };
  gsize head_len;

  g_return_val_if_fail (PD_IS_ANALYSIS (self), FALSE);

  /* Everything but the rows is small: let json-glib write it, then splice
   * the rows in before the closing brace. */
  head = pd_analysis_to_json_head (self);
  json_generator_set_root (generator, head);
  json_generator_set_pretty (generator, TRUE);
  head_text = json_generator_to_data (generator, &head_len);
  while (head_len > 0 && head_text[head_len - 1] != '}')
    head_len--;
  g_assert (head_len > 0);
  head_len--;
  while (head_len > 0 && g_ascii_isspace (head_text[head_len - 1]))
    head_len--;
  g_string_append_len (buffer, head_text, head_len);

  g_string_append (buffer, ",\n  \"rows\" : [");
  writer.buffer = buffer;
  writer.out = out;
  if (!pd_analysis_foreach_failed_row (self, write_json_row, &writer, &error))
    {
      if (error != NULL)
        {
          g_printerr ("%s\n", error->message);
          errno = EIO;
        }
      return FALSE;
    }
  g_string_append (buffer, writer.n > 0 ? "\n  ]\n}\n" : "]\n}\n");

  return flush_to (buffer, out, 0) && fflush (out) == 0;
}
