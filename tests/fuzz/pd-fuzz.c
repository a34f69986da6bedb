/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "pd-email.h"
#include "pd-error.h"
#include "pd-fuzz.h"
#include "pd-mapping.h"
#include "pd-normalizer.h"
#include "pd-phone.h"
#include "pd-reader.h"
#include "pd-reader-private.h"
#include "pd-record.h"
#include "pd-row.h"
#include "pd-value.h"

/* A file whose rows never end would keep one input running until the
 * fuzzer calls it slow; a row cap keeps the rest of the input worth
 * running.  No seed comes near it. */
#define MAX_ROWS 100000

static char *input_dir;

static void
remove_input_dir (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (input_dir == NULL)
    return;
  dir = g_dir_open (input_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (input_dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (input_dir);
  g_clear_pointer (&input_dir, g_free);
}

/* The harnesses parse in this process, where libFuzzer sees the
 * coverage and the crash: through persona-desk-reader (the path of
 * .xls, .xlsx and .ods in the app) every input would cost a process and
 * its crash would be an error.  The replay takes the app's path. */
static gboolean
read_path (const char  *path,
           gboolean     in_process,
           guint       *n_rows,
           GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_auto(GStrv) sheets = NULL;
  g_autoptr(PdReader) reader = NULL;
  guint rows = 0;

  *n_rows = 0;

  /* The import assistant lists the sheets before it opens the file. */
  sheets = in_process ? _pd_reader_list_sheets_in_process (file, NULL, error)
                      : pd_reader_list_sheets (file, NULL, error);
  if (sheets == NULL)
    return FALSE;

  for (guint i = 0; sheets[i] != NULL; i++)
    {
      /* A workbook with data on several sheets is read one sheet at a
       * time, as the user chooses them. */
      PdReaderOptions options = { .sheet = sheets[1] != NULL ? sheets[i] : NULL };

      g_clear_object (&reader);
      reader = in_process ? _pd_reader_open_in_process (file, &options, NULL, error)
                          : pd_reader_open (file, &options, NULL, error);
      if (reader == NULL)
        return FALSE;

      for (;;)
        {
          g_autoptr(GError) local_error = NULL;
          g_autoptr(PdRow) row = pd_reader_next_row (reader, NULL, &local_error);

          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          if (row == NULL)
            break;
          if (++rows >= MAX_ROWS)
            break;
        }
      /* Position and warnings are shown to the user: read them too. */
      (void) pd_reader_get_position (reader);
      (void) pd_reader_get_size (reader);
      (void) pd_reader_get_warnings (reader);
    }

  *n_rows = rows;
  return TRUE;
}

gboolean
pd_fuzz_read_file (const char  *path,
                   guint       *n_rows,
                   GError     **error)
{
  return read_path (path, FALSE, n_rows, error);
}

void
pd_fuzz_read_bytes (const guint8 *data,
                    gsize         size,
                    const char   *extension)
{
  g_autofree char *name = g_strdup_printf ("input.%s", extension);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  guint n_rows;
  FILE *f;

  if (input_dir == NULL)
    {
      /* /dev/shm: a write per execution should not reach a disk. */
      const char *base = g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir ();
      g_autofree char *tmpl = g_build_filename (base, "pd-fuzz-XXXXXX", NULL);

      input_dir = g_mkdtemp (g_steal_pointer (&tmpl));
      if (input_dir == NULL)
        g_error ("cannot make a folder in %s", base);
      atexit (remove_input_dir);
    }

  path = g_build_filename (input_dir, name, NULL);
  f = fopen (path, "wb");
  if (f == NULL || (size > 0 && fwrite (data, 1, size, f) != size) || fclose (f) != 0)
    g_error ("cannot write %s", path);

  /* Rows or a GError: both are fine, only a crash, a leak, undefined
   * behaviour or a hang is a finding. */
  if (!read_path (path, TRUE, &n_rows, &error))
    g_assert (error != NULL && error->message != NULL);
}

static const char * const headers[] = {
  "full_name", "email", "phone", "external_id", "birth_date", "points",
  "loyalty", "email_opt_in", "customer_type", "signup_date", "tags", "city",
  "Some attribute",
};

static const char * const regions[] = { "US", "DE", "GB", "BR", "IN", "JP", NULL };

static void
parse_cell (const char *text,
            const char *region)
{
  static const PdDateOrder orders[] = {
    PD_DATE_ORDER_UNKNOWN, PD_DATE_ORDER_ISO, PD_DATE_ORDER_MDY,
    PD_DATE_ORDER_DMY, PD_DATE_ORDER_YMD,
  };
  g_autofree char *trimmed_owned = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  gboolean flag;
  gint64 number;

  g_free (pd_email_normalize (text, NULL));
  /* One region a cell, taking turns: every region for every cell made a
   * run six times slower without reaching more code. */
  {
    g_autofree char *e164 = pd_phone_normalize (text, region, NULL);

    if (e164 != NULL)
      g_free (pd_phone_format_for_display (e164, region));
  }
  pd_value_parse_boolean (text, &flag, NULL);
  pd_value_parse_integer (text, &number, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    {
      gboolean ambiguous = FALSE;

      g_free (pd_value_parse_date (text, orders[i], &ambiguous, NULL));
    }
  (void) pd_value_date_order_from_format (text);
  (void) pd_value_trim (text, TRUE, &trimmed_owned);
  pd_value_split_full_name (text, &first, &last);
}

void
pd_fuzz_normalize (const guint8 *data,
                   gsize         size)
{
  static PdMapping *mapping;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_row_free);
  g_autoptr(PdNormalizer) normalizer = NULL;
  g_autoptr(PdDateDetector) detector = pd_date_detector_new ();

  /* Cells arrive from the readers as valid UTF-8. */
  text = g_utf8_make_valid ((const char *) data, size);

  if (mapping == NULL)
    mapping = pd_mapping_new (headers, G_N_ELEMENTS (headers));

  lines = g_strsplit (text, "\n", 64);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], "\t", G_N_ELEMENTS (headers) + 2);
      guint n_cells = g_strv_length (cells);

      for (guint j = 0; j < n_cells; j++)
        {
          parse_cell (cells[j], regions[(i + j) % (G_N_ELEMENTS (regions) - 1)]);
          pd_date_detector_add (detector, cells[j]);
        }
      g_ptr_array_add (rows, pd_row_new (i + 2, (const char * const *) cells, n_cells));
    }
  (void) pd_date_detector_get_order (detector);
  (void) pd_date_detector_is_ambiguous (detector);

  /* The input's length picks the default region, so that more than the
   * US's rules are reached through the normalizer too. */
  normalizer = pd_normalizer_new (mapping, regions[size % (G_N_ELEMENTS (regions) - 1)], NULL);
  if (normalizer == NULL)
    return;
  pd_normalizer_detect_dates (normalizer, (PdRow * const *) rows->pdata, rows->len);
  for (guint i = 0; i < rows->len; i++)
    {
      pd_record_free (pd_normalizer_normalize (normalizer, g_ptr_array_index (rows, i)));
    }
}
