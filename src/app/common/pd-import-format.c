/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-import-format.h"
#include "pd-reader.h"
#include "pd-report-writer.h"

/**
 * pd_import_default_name:
 * @file_name: the file's display name
 * @when: the time to put in the name
 *
 * The name an import gets unless the user types another: the file name and
 * the time, so that two imports of the same file a day apart stay apart in
 * the history.
 *
 * Returns: (transfer full)
 */
char *
pd_import_default_name (const char *file_name,
                        GDateTime  *when)
{
  g_autofree char *time = g_date_time_format (when, "%Y-%m-%d %H:%M");

  /* TRANSLATORS: an import's default name: file name, then date and time */
  return g_strdup_printf (_("%s, %s"), file_name, time);
}

/**
 * pd_import_estimate_rows:
 * @rows_read: data rows read so far
 * @position: bytes of the file read for them
 * @size: the file's size, 0 when unknown
 * @at_end: whether the reader reached the end (then @rows_read is exact)
 *
 * Extrapolates the number of data rows from the first ones, for the
 * estimate shown before the whole file is read.
 */
guint64
pd_import_estimate_rows (guint    rows_read,
                         guint64  position,
                         guint64  size,
                         gboolean at_end)
{
  if (at_end || rows_read == 0 || position == 0 || size <= position)
    return rows_read;

  return (guint64) ((double) rows_read * (double) size / (double) position + 0.5);
}

char *
pd_import_format_estimate (guint64  rows,
                           gboolean exact,
                           guint    mapped_fields)
{
  g_autofree char *personas = NULL;
  g_autofree char *fields = NULL;

  if (exact)
    personas = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'" PRIu64 " persona",
                                             "%'" PRIu64 " personas",
                                             (gulong) MIN (rows, G_MAXULONG)), rows);
  else
    personas = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "About %'" PRIu64 " persona",
                                             "About %'" PRIu64 " personas",
                                             (gulong) MIN (rows, G_MAXULONG)), rows);
  fields = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u mapped field", "%u mapped fields",
                                         mapped_fields), mapped_fields);
  /* TRANSLATORS: "About 1,200 personas with 6 mapped fields" */
  return g_strdup_printf (_("%s with %s"), personas, fields);
}

char *
pd_import_format_rate (guint  rows_done,
                       double elapsed_seconds)
{
  if (elapsed_seconds < 0.25 || rows_done == 0)
    return g_strdup (_("Measuring speed…"));

  return g_strdup_printf (_("%'.0f rows per second"), rows_done / elapsed_seconds);
}

char *
pd_import_format_time_left (guint  rows_done,
                            guint  rows_total,
                            double elapsed_seconds)
{
  double left;

  if (rows_total > 0 && rows_done >= rows_total)
    return g_strdup (_("Finishing…"));
  if (elapsed_seconds < 1.0 || rows_done == 0 || rows_total == 0)
    return g_strdup (_("Estimating time left…"));

  left = (rows_total - rows_done) * elapsed_seconds / rows_done;
  if (left < 10)
    return g_strdup (_("A few seconds left"));
  if (left < 60)
    {
      guint s = ((guint) (left + 5) / 10) * 10;
      return g_strdup_printf (_("About %u seconds left"), MIN (s, 50));
    }
  if (left < 3600)
    {
      guint m = (guint) (left / 60 + 0.5);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "About %u minute left",
                                           "About %u minutes left", m), m);
    }
  else
    {
      guint h = (guint) (left / 3600);
      guint m = (guint) ((left - h * 3600.0) / 60);
      return g_strdup_printf (_("About %u h %02u min left"), h, m);
    }
}

char *
pd_import_format_progress (guint rows_done,
                           guint rows_total)
{
  if (rows_total == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u row done", "%'u rows done",
                                         rows_done), rows_done);
  /* TRANSLATORS: "12,000 of 50,000 rows" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u of %'u row", "%'u of %'u rows", rows_total),
                          rows_done, rows_total);
}

char *
pd_import_format_status (PdImportStatus   status,
                         guint            failed,
                         const char     **style)
{
  const char *unused;

  if (style == NULL)
    style = &unused;
  switch (status)
    {
    case PD_IMPORT_STATUS_COMPLETED:
      if (failed > 0)
        {
          *style = "warning";
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Completed with %'u failed row",
                                               "Completed with %'u failed rows", failed), failed);
        }
      *style = "success";
      return g_strdup (_("Completed"));
    case PD_IMPORT_STATUS_FAILED:
      *style = "error";
      return g_strdup (_("Failed"));
    case PD_IMPORT_STATUS_PENDING:
      *style = "dim-label";
      return g_strdup (_("Pending"));
    case PD_IMPORT_STATUS_IN_PROGRESS:
      *style = "accent";
      return g_strdup (_("Running"));
    case PD_IMPORT_STATUS_CANCELLED:
      *style = "dim-label";
      return g_strdup (_("Cancelled"));
    case PD_IMPORT_STATUS_UNDONE:
      *style = "dim-label";
      return g_strdup (_("Undone"));
    case PD_IMPORT_STATUS_PARTLY_UNDONE:
      /* some of its personas stay as later edits left them */
      *style = "warning";
      return g_strdup (_("Partly undone"));
    default:
      *style = "dim-label";
      return g_strdup ("");
    }
}

char *
pd_import_format_summary (const PdImportInfo *info)
{
  g_autofree char *duration = pd_import_format_duration (info->duration_ms);
  g_autofree char *rows = NULL;
  g_autofree char *failed = NULL;

  /* Each number its own plural: "1 row" and "3 rows failed" in one
   * sentence took the plural of the failed count for both. */
  /* TRANSLATORS: an import's name, its rows and how long it took */
  rows = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "“%s”: %'u row in %s.", "“%s”: %'u rows in %s.",
                                       info->total),
                          info->name ? info->name : "", info->total, duration);
  if (info->failed == 0)
    return g_steal_pointer (&rows);
  failed = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%'u row failed: Open Report lists it with the reason, ready to fix and import again.",
                                         "%'u rows failed: Open Report lists them with the reasons, ready to fix and import again.",
                                         info->failed),
                            info->failed);
  return g_strdup_printf ("%s %s", rows, failed);
}

char *
pd_import_format_when (GDateTime *when)
{
  /* One format for every date of the history: the locale's own, in the
   * local time zone (the store keeps UTC). */
  g_autoptr(GDateTime) local = g_date_time_to_local (when);

  return g_date_time_format (local, "%x %X");
}

char *
pd_import_format_duration (gint64 milliseconds)
{
  gint64 s;

  if (milliseconds < 0)
    return g_strdup ("—");
  if (milliseconds < 1000)
    return g_strdup_printf (_("%u ms"), (guint) milliseconds);
  s = (milliseconds + 500) / 1000;
  if (s < 60)
    return g_strdup_printf (_("%u s"), (guint) s);
  if (s < 3600)
    return g_strdup_printf (_("%u min %02u s"), (guint) (s / 60), (guint) (s % 60));
  return g_strdup_printf (_("%u h %02u min"), (guint) (s / 3600), (guint) (s % 3600 / 60));
}

/**
 * pd_import_check_file_size:
 *
 * Refuses a file above @max_size with PD_ERROR_TOO_LARGE, saying what to
 * do about it.
 */
gboolean
pd_import_check_file_size (const char  *display_name,
                           guint64      size,
                           guint64      max_size,
                           GError     **error)
{
  g_autofree char *have = NULL;
  g_autofree char *limit = NULL;

  if (size <= max_size)
    return TRUE;

  have = g_format_size (size);
  limit = g_format_size (max_size);
  g_set_error (error, PD_ERROR, PD_ERROR_TOO_LARGE,
               _("“%s” is %s, more than the %s the app imports at once. "
                 "Split it into smaller files, or import it with persona-desk-cli."),
               display_name, have, limit);
  return FALSE;
}

gboolean
pd_import_is_accepted_name (const char *file_name)
{
  const char *dot = file_name ? strrchr (file_name, '.') : NULL;
  g_autofree char *ext = NULL;

  if (dot == NULL)
    return FALSE;
  ext = g_ascii_strdown (dot + 1, -1);
  return g_strv_contains (pd_reader_get_accepted_extensions (), ext);
}

/**
 * pd_import_describe_refusal:
 * @error: why a file was refused
 *
 * What the user can do about a refusal, in plain words, to show under the
 * reason itself.
 *
 * Returns: (transfer full) (nullable): NULL when there is nothing to add
 */
char *
pd_import_describe_refusal (const GError *error)
{
  if (error == NULL || error->domain != PD_ERROR)
    return NULL;

  switch ((PdError) error->code)
    {
    case PD_ERROR_UNSUPPORTED_FORMAT:
      return g_strdup (_("Save the spreadsheet as CSV (comma-separated values), Excel (.xlsx or .xls) "
                         "or OpenDocument (.ods) and choose it again."));
    case PD_ERROR_TOO_LARGE:
      return g_strdup (_("Split the file into smaller ones and import them one after another."));
    case PD_ERROR_SHEET_CHOICE:
      return g_strdup (_("Pick the sheet that holds your customers."));
    case PD_ERROR_NO_IDENTIFIER:
      return g_strdup (_("Every persona needs an email, a phone, an external ID or a channel ID. "
                         "Choose the column that holds one on the next step, or rename its header "
                         "(see All Headers)."));
    case PD_ERROR_NO_HEADER:
      return g_strdup (_("Tick “The first row is a customer” below to import every row, the columns "
                         "mapped by what they hold. Or, in your spreadsheet program, insert a row above "
                         "the first customer and name each column (Email, Phone, First Name…), then "
                         "choose the file again."));
    case PD_ERROR_EMPTY:
      return g_strdup (_("The first row should hold the column names. If there is a title above "
                         "them, set Skip rows on the next step."));
    case PD_ERROR_CORRUPT:
    case PD_ERROR_ENCODING:
      return g_strdup (_("Open the file in your spreadsheet program and save it again, "
                         "preferably as CSV."));
    default:
      return NULL;
    }
}

/* The rows go through the report writer's CSV record writer, so that they
 * are quoted and formula-neutralized exactly as the results report is. */
char *
pd_import_failed_rows_to_csv (PdAnalysis *analysis,
                              GHashTable *corrections)
{
  PdMapping *mapping = pd_analysis_get_mapping (analysis);
  GPtrArray *rows = pd_analysis_get_failed_rows (analysis);
  guint n_columns = mapping ? pd_mapping_get_n_columns (mapping) : 0;
  g_autofree const char **cells = g_new0 (const char *, n_columns + 3);
  GString *out = g_string_new (NULL);

  cells[0] = _("Row");
  cells[1] = _("Reasons");
  for (guint c = 0; c < n_columns; c++)
    cells[c + 2] = pd_mapping_get_header (mapping, c);
  pd_csv_append_record (out, cells, n_columns + 2);

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      const PdAnalysisRow *row = g_ptr_array_index (rows, i);
      const PdRow *source = row->source;
      g_autofree char *number = g_strdup_printf ("%u", row->row);
      g_autofree char *reasons = g_strjoinv ("; ", row->reasons);

      if (corrections != NULL && g_hash_table_contains (corrections, GUINT_TO_POINTER (row->row)))
        source = g_hash_table_lookup (corrections, GUINT_TO_POINTER (row->row));

      cells[0] = number;
      cells[1] = reasons;
      for (guint c = 0; c < n_columns; c++)
        cells[c + 2] = source ? pd_row_get_cell (source, c) : "";
      pd_csv_append_record (out, cells, n_columns + 2);
    }

  return g_string_free (out, FALSE);
}

static const char * const channel_keys[] = {
  "facebook", "whatsapp", "instagram", "telegram", "viber", "linkedin", "twitter", "youtube",
  "web", NULL
};

/* Unknown keys are dropped rather than refused: a setting written by a
 * later version must not stop the assistant from opening. */
PdImportKeys
pd_import_keys_parse (const char *match)
{
  g_auto(GStrv) parts = g_strsplit (match != NULL ? match : "", ",", -1);
  PdImportKeys keys = 0;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *key = g_strstrip (parts[i]);

      if (g_str_equal (key, "email"))
        keys |= PD_IMPORT_KEY_EMAIL;
      else if (g_str_equal (key, "phone"))
        keys |= PD_IMPORT_KEY_PHONE;
      else if (g_str_equal (key, "external_id"))
        keys |= PD_IMPORT_KEY_EXTERNAL_ID;
      else if (g_strv_contains (channel_keys, key))
        keys |= PD_IMPORT_KEY_CHANNELS;
    }
  return keys;
}

/* Returns: (transfer full): "" for no keys */
char *
pd_import_keys_to_string (PdImportKeys keys)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;

  if (keys & PD_IMPORT_KEY_EMAIL)
    g_strv_builder_add (builder, "email");
  if (keys & PD_IMPORT_KEY_PHONE)
    g_strv_builder_add (builder, "phone");
  if (keys & PD_IMPORT_KEY_EXTERNAL_ID)
    g_strv_builder_add (builder, "external_id");
  if (keys & PD_IMPORT_KEY_CHANNELS)
    g_strv_builder_addv (builder, (const char **) channel_keys);
  parts = g_strv_builder_end (builder);
  return g_strjoinv (",", parts);
}

char *
pd_import_format_date_reading (const char  *sample,
                               PdDateOrder  order)
{
  g_autofree char *iso = pd_value_parse_date (sample, order, NULL, NULL);
  g_autoptr(GDateTime) date = NULL;
  int year, month, day;

  if (iso == NULL || sscanf (iso, "%d-%d-%d", &year, &month, &day) != 3)
    return NULL;
  date = g_date_time_new_utc (year, month, day, 0, 0, 0);
  if (date == NULL)
    return NULL;
  /* TRANSLATORS: a date read day first, "5 March 1990" (strftime format) */
  return g_date_time_format (date, order == PD_DATE_ORDER_DMY ? _("%-d %B %Y")
                                   /* TRANSLATORS: a date read month first,
                                    * "March 5, 1990" (strftime format) */
                                   : _("%B %-d, %Y"));
}

char *
pd_import_format_date_readings (const char * const *samples,
                                PdDateOrder         order)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; samples != NULL && samples[i] != NULL; i++)
    {
      g_autofree char *reading = pd_import_format_date_reading (samples[i], order);

      if (reading == NULL)
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      /* TRANSLATORS: a date as written, then as read: "05/03/1990 = 5 March 1990" */
      g_string_append_printf (text, _("%s = %s"), samples[i], reading);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}
