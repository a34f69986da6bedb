/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The import results report, CSV or XLSX. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <xlsxwriter.h>

#include "pd-error.h"
#include "pd-report-writer.h"

/* Whether @text is a plain number: a sign, digits and at most one decimal
 * point ("-5", "+12025550143", "-1.5").  Anything more after a + or a -
 * is a formula to a spreadsheet: it computes "+1+2" and "-10+20", and
 * "+1 (202) 555-0143" becomes an error. */
static gboolean
is_plain_number (const char *text)
{
  const char *p = text;
  gboolean digits = FALSE, point = FALSE;

  if (*p == '+' || *p == '-')
    p++;
  for (; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        digits = TRUE;
      else if (*p == '.' && !point)
        point = TRUE;
      else
        return FALSE;
    }
  return digits;
}

char *
pd_spreadsheet_neutralize (const char *text)
{
  if (text == NULL || text[0] == '\0' || strchr ("=+-@\t\r", text[0]) == NULL)
    return NULL;
  if ((text[0] == '+' || text[0] == '-') && is_plain_number (text))
    return NULL;
  return g_strconcat ("'", text, NULL);
}

static void
append_cell (GString    *out,
             const char *cell)
{
  g_autofree char *safe = pd_spreadsheet_neutralize (cell);
  const char *text = safe != NULL ? safe : (cell != NULL ? cell : "");
  gboolean quote = strpbrk (text, ",\"\r\n;\t") != NULL ||
                   (text[0] != '\0' && (g_ascii_isspace (text[0]) || g_ascii_isspace (text[strlen (text) - 1])));

  if (!quote)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

void
pd_csv_append_record (GString            *out,
                      const char * const *cells,
                      guint               n_cells)
{
  for (guint i = 0; i < n_cells; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_cell (out, cells[i]);
    }
  g_string_append (out, "\r\n");
}

static const char *
report_columns[] = {
  N_("Import row"),
  N_("Import outcome"),
  N_("Import reason"),
  N_("Matched persona ID"),
};

/* Where the rows come from: an array, a job's spilled results, or the
 * results a past import kept in the store. */
typedef struct {
  GPtrArray   *rows;
  PdImportJob *job;
  PdStore     *store;
  gint64       import_id;
} Rows;

typedef struct {
  PdImportRowResultFunc func;
  gpointer              data;
} StoredPass;

static PdImportOutcome
outcome_from_string (const char *text)
{
  for (PdImportOutcome o = PD_IMPORT_OUTCOME_IMPORTED; o <= PD_IMPORT_OUTCOME_FAILED; o++)
    if (g_strcmp0 (text, pd_import_outcome_to_string (o)) == 0)
      return o;
  return PD_IMPORT_OUTCOME_FAILED;
}

static gboolean
stored_row (const PdImportResultRecord *record,
            gpointer                    data)
{
  StoredPass *pass = data;
  PdImportRowResult result = { 0 };

  if (record->row == 0)
    return TRUE;  /* the header */
  result.row = record->row;
  result.outcome = outcome_from_string (record->outcome);
  result.persona_id = record->persona_id;
  result.reasons = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; record->reasons != NULL && record->reasons[i] != NULL; i++)
    g_ptr_array_add (result.reasons, g_strdup (record->reasons[i]));
  if (record->n_cells > 0)
    result.source = pd_row_new (record->row, record->cells, record->n_cells);
  pass->func (&result, pass->data);
  g_ptr_array_unref (result.reasons);
  g_clear_pointer (&result.source, pd_row_free);
  return TRUE;
}

static gboolean
rows_foreach (Rows                  *rows,
              PdImportRowResultFunc  func,
              gpointer               data,
              GError               **error)
{
  if (rows->job != NULL)
    return pd_import_job_foreach_row_result (rows->job, func, data, error);
  if (rows->store != NULL)
    {
      StoredPass pass = { func, data };

      return pd_store_foreach_import_result (rows->store, rows->import_id, stored_row, &pass, error);
    }
  for (guint i = 0; i < rows->rows->len; i++)
    func (g_ptr_array_index (rows->rows, i), data);
  return TRUE;
}

static void
widen (PdImportRowResult *r,
       gpointer           data)
{
  guint *width = data;

  if (r->source != NULL && r->source->n_cells > *width)
    *width = r->source->n_cells;
}

/* The widest of the header and the reported rows. */
static gboolean
header_width (const PdRow  *header,
              Rows         *rows,
              guint        *width,
              GError      **error)
{
  *width = header != NULL ? header->n_cells : 0;
  return rows_foreach (rows, widen, width, error);
}

/* Failed and ignored rows, and rows imported or updated with warnings (a
 * value left out): each with its cells, to be corrected and imported
 * again. */
static gboolean
is_reported (PdImportRowResult *r)
{
  return r->outcome == PD_IMPORT_OUTCOME_FAILED || r->outcome == PD_IMPORT_OUTCOME_IGNORED ||
         r->reasons->len > 0;
}

static void
count_warned (PdImportRowResult *r,
              gpointer           data)
{
  guint *n = data;

  if ((r->outcome == PD_IMPORT_OUTCOME_IMPORTED || r->outcome == PD_IMPORT_OUTCOME_UPDATED) &&
      r->reasons->len > 0)
    (*n)++;
}

/* Rows imported or updated with warnings: the job counts those it did not
 * list too; a stored import has only the listed ones. */
static guint
n_warned (Rows *rows)
{
  guint n = 0;

  if (rows->job != NULL)
    return pd_import_job_get_n_warning_rows (rows->job);
  rows_foreach (rows, count_warned, &n, NULL);
  return n;
}

static char *
join_reasons (GPtrArray *reasons)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < reasons->len; i++)
    {
      if (i > 0)
        g_string_append (s, "; ");
      g_string_append (s, g_ptr_array_index (reasons, i));
    }
  return g_string_free (s, FALSE);
}

static GPtrArray *
row_cells (PdImportRowResult *r,
           guint              width)
{
  GPtrArray *cells = g_ptr_array_new_with_free_func (g_free);

  for (guint c = 0; c < width; c++)
    g_ptr_array_add (cells, g_strdup (r->source != NULL && c < r->source->n_cells ? r->source->cells[c] : ""));
  g_ptr_array_add (cells, g_strdup_printf ("%u", r->row));
  g_ptr_array_add (cells, g_strdup (pd_import_outcome_to_string (r->outcome)));
  g_ptr_array_add (cells, join_reasons (r->reasons));
  g_ptr_array_add (cells, r->persona_id != 0 ? g_strdup_printf ("%" PRId64, r->persona_id)
                                             : g_strdup (""));
  return cells;
}

static GPtrArray *
header_cells (const PdRow *header,
              guint        width)
{
  GPtrArray *cells = g_ptr_array_new_with_free_func (g_free);

  for (guint c = 0; c < width; c++)
    {
      const char *h = header != NULL && c < header->n_cells ? header->cells[c] : "";

      g_ptr_array_add (cells, *h != '\0' ? g_strdup (h) : g_strdup_printf (_("Column %u"), c + 1));
    }
  for (guint i = 0; i < G_N_ELEMENTS (report_columns); i++)
    g_ptr_array_add (cells, g_strdup (_(report_columns[i])));
  return cells;
}

static void
summary_lines (const PdImportInfo *info,
               guint               warned,
               const char        **labels,
               char              **values)
{
  labels[0] = _("Import");
  values[0] = g_strdup (info->name != NULL ? info->name : "");
  labels[1] = _("Import ID");
  values[1] = g_strdup_printf ("%" PRId64, info->id);
  labels[2] = _("Total rows");
  values[2] = g_strdup_printf ("%u", info->total);
  labels[3] = _("Imported");
  values[3] = g_strdup_printf ("%u", info->imported);
  labels[4] = _("Updated");
  values[4] = g_strdup_printf ("%u", info->updated);
  labels[5] = _("Ignored");
  values[5] = g_strdup_printf ("%u", info->ignored);
  labels[6] = _("Failed");
  values[6] = g_strdup_printf ("%u", info->failed);
  labels[7] = _("Imported or updated with warnings");
  values[7] = g_strdup_printf ("%u", warned);
}

#define N_SUMMARY 8

char *
pd_report_dup_summary_path (const char *path)
{
  const char *dot = strrchr (path, '.');
  const char *slash = strrchr (path, '/');
  g_autofree char *stem = NULL;

  if (dot == NULL || (slash != NULL && dot < slash))
    dot = path + strlen (path);
  stem = g_strndup (path, dot - path);
  return g_strconcat (stem, "-summary.csv", NULL);
}

typedef struct {
  GOutputStream *out;
  GString       *buffer;
  guint          width;
  GError        *error;
} CsvWrite;

static void
csv_row (PdImportRowResult *r,
         gpointer           data)
{
  CsvWrite *w = data;
  g_autoptr(GPtrArray) cells = NULL;

  if (!is_reported (r) || w->error != NULL)
    return;
  cells = row_cells (r, w->width);
  pd_csv_append_record (w->buffer, (const char * const *) cells->pdata, cells->len);
  if (w->buffer->len > (1 << 16))
    {
      g_output_stream_write_all (w->out, w->buffer->str, w->buffer->len, NULL, NULL, &w->error);
      g_string_truncate (w->buffer, 0);
    }
}

static gboolean
write_csv (const char          *path,
           const PdRow         *header,
           const PdImportInfo  *info,
           Rows                *rows,
           GError             **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GPtrArray) head = NULL;
  g_autoptr(GString) summary = g_string_new (NULL);
  g_autofree char *summary_path = pd_report_dup_summary_path (path);
  CsvWrite w = { 0 };
  const char *labels[N_SUMMARY];
  char *values[N_SUMMARY];

  if (!header_width (header, rows, &w.width, error))
    return FALSE;
  head = header_cells (header, w.width);
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                        NULL, error);
  if (out == NULL)
    return FALSE;
  w.out = G_OUTPUT_STREAM (out);
  w.buffer = g_string_new (NULL);
  pd_csv_append_record (w.buffer, (const char * const *) head->pdata, head->len);
  if (!rows_foreach (rows, csv_row, &w, error))
    {
      g_string_free (w.buffer, TRUE);
      return FALSE;
    }
  if (w.error == NULL)
    g_output_stream_write_all (w.out, w.buffer->str, w.buffer->len, NULL, NULL, &w.error);
  g_string_free (w.buffer, TRUE);
  if (w.error == NULL)
    g_output_stream_close (w.out, NULL, &w.error);
  if (w.error != NULL)
    {
      /* GIO's "No space left on device" does not say which file. */
      g_set_error (error, PD_ERROR, PD_ERROR_FAILED, _("Cannot write the report %s: %s"),
                   path, w.error->message);
      g_clear_error (&w.error);
      return FALSE;
    }

  summary_lines (info, n_warned (rows), labels, values);
  {
    const char *head2[] = { _("Summary"), _("Value") };
    pd_csv_append_record (summary, head2, 2);
  }
  for (guint i = 0; i < N_SUMMARY; i++)
    {
      const char *line[] = { labels[i], values[i] };

      pd_csv_append_record (summary, line, 2);
      g_free (values[i]);
    }
  return g_file_set_contents_full (summary_path, summary->str, summary->len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static void
write_string (lxw_worksheet *sheet,
              guint          row,
              guint          col,
              const char    *text)
{
  g_autofree char *safe = pd_spreadsheet_neutralize (text);

  /* Always a string cell, never a formula or a number: a phone or an ID
   * with leading zeros comes back as written. */
  worksheet_write_string (sheet, row, col, safe != NULL ? safe : (text != NULL ? text : ""), NULL);
}

typedef struct {
  lxw_worksheet *sheet;
  guint          width;
  guint          row;
} XlsxWrite;

static void
xlsx_row (PdImportRowResult *r,
          gpointer           data)
{
  XlsxWrite *w = data;
  g_autoptr(GPtrArray) cells = NULL;

  if (!is_reported (r))
    return;
  cells = row_cells (r, w->width);
  for (guint c = 0; c < cells->len; c++)
    write_string (w->sheet, w->row, c, g_ptr_array_index (cells, c));
  w->row++;
}

static gboolean
write_xlsx (const char          *path,
            const PdRow         *header,
            const PdImportInfo  *info,
            Rows                *rows,
            GError             **error)
{
  lxw_workbook_options options = { .constant_memory = LXW_TRUE };
  g_autofree char *tmp_dir = g_dir_make_tmp ("pd-report-XXXXXX", NULL);
  g_autofree char *part_path = NULL;
  lxw_workbook *workbook;
  int fd;
  lxw_worksheet *summary;
  g_autoptr(GPtrArray) head = NULL;
  const char *labels[N_SUMMARY];
  char *values[N_SUMMARY];
  XlsxWrite w = { .row = 1 };
  lxw_error rc;
  gboolean ok;

  if (!header_width (header, rows, &w.width, error))
    return FALSE;
  head = header_cells (header, w.width);
  options.tmpdir = tmp_dir;
  /* libxlsxwriter creates its file with the umask's mode (0644): it
   * writes into one made 0600 beside the report, renamed over it when
   * whole, so that customer data leaves the app private, as the CSV
   * report and the database do, and no half report is left behind. */
  part_path = g_strconcat (path, ".XXXXXX", NULL);
  fd = g_mkstemp_full (part_path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, PD_ERROR, PD_ERROR_FAILED, _("Cannot write the report %s: %s"),
                   path, g_strerror (saved));
      g_rmdir (tmp_dir);
      return FALSE;
    }
  close (fd);
  workbook = workbook_new_opt (part_path, &options);
  if (workbook == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_FAILED, _("Cannot write the report %s"), path);
      g_unlink (part_path);
      g_rmdir (tmp_dir);
      return FALSE;
    }
  w.sheet = workbook_add_worksheet (workbook, _("Rows"));
  for (guint c = 0; c < head->len; c++)
    write_string (w.sheet, 0, c, g_ptr_array_index (head, c));
  ok = rows_foreach (rows, xlsx_row, &w, error);

  summary = workbook_add_worksheet (workbook, _("Summary"));
  summary_lines (info, n_warned (rows), labels, values);
  for (guint i = 0; i < N_SUMMARY; i++)
    {
      write_string (summary, i, 0, labels[i]);
      if (i >= 2)
        worksheet_write_number (summary, i, 1, g_ascii_strtod (values[i], NULL), NULL);
      else
        write_string (summary, i, 1, values[i]);
      g_free (values[i]);
    }

  rc = workbook_close (workbook);
  g_rmdir (tmp_dir);
  if (!ok)
    {
      g_unlink (part_path);
      return FALSE;
    }
  if (rc != LXW_NO_ERROR)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_FAILED, _("Cannot write the report %s: %s"),
                   path, lxw_strerror (rc));
      g_unlink (part_path);
      return FALSE;
    }
  if (g_rename (part_path, path) != 0)
    {
      int saved = errno;

      g_set_error (error, PD_ERROR, PD_ERROR_FAILED, _("Cannot write the report %s: %s"),
                   path, g_strerror (saved));
      g_unlink (part_path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_rows (const char          *path,
            const PdRow         *header,
            const PdImportInfo  *info,
            Rows                *rows,
            GError             **error)
{
  if (g_str_has_suffix (path, ".xlsx") || g_str_has_suffix (path, ".XLSX"))
    return write_xlsx (path, header, info, rows, error);
  if (g_str_has_suffix (path, ".csv") || g_str_has_suffix (path, ".CSV"))
    return write_csv (path, header, info, rows, error);
  g_set_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT,
               _("%s: a report is written as .csv or .xlsx"), path);
  return FALSE;
}

/**
 * pd_report_write:
 * @path: ends in .csv or .xlsx
 * @header: (nullable): the file's header row
 * @rows: (element-type PdImportRowResult): pd_import_job_get_row_results()
 */
gboolean
pd_report_write (const char          *path,
                 const PdRow         *header,
                 const PdImportInfo  *info,
                 GPtrArray           *rows,
                 GError             **error)
{
  Rows source = { .rows = rows };

  return write_rows (path, header, info, &source, error);
}

/* The same, streaming a finished job's results (memory stays flat). */
gboolean
pd_report_write_job (const char   *path,
                     PdImportJob  *job,
                     GError      **error)
{
  Rows source = { .job = job };

  return write_rows (path, pd_import_job_get_header_row (job), pd_import_job_get_info (job), &source, error);
}

static gboolean
stored_header (const PdImportResultRecord *record,
               gpointer                    data)
{
  PdRow **header = data;

  if (record->row == 0)
    *header = pd_row_new (0, record->cells, record->n_cells);
  return FALSE;  /* the header comes first: that is all */
}

/**
 * pd_report_write_stored:
 * @import_id: a past import, whose results the store kept
 *
 * The results report of any past import, from what the store kept of it:
 * the same report pd_report_write_job() wrote when it ran.
 */
gboolean
pd_report_write_stored (const char  *path,
                        PdStore     *store,
                        gint64       import_id,
                        GError     **error)
{
  g_autoptr(PdImportInfo) info = pd_store_get_import (store, import_id, error);
  g_autoptr(PdRow) header = NULL;
  Rows source = { .store = store, .import_id = import_id };

  if (info == NULL)
    return FALSE;
  if (!pd_store_foreach_import_result (store, import_id, stored_header, &header, error))
    return FALSE;
  if (header == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND,
                   _("Import %" PRId64 " kept no results (it did not complete, or it was run "
                     "by an older version)"), import_id);
      return FALSE;
    }
  return write_rows (path, header, info, &source, error);
}
