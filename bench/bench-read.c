/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reads a customer file through pd_reader_open() and nothing else, to
 * measure the readers alone: prints rows, seconds and rows per second.
 *
 *   bench-read FILE [--encoding ENC] [--delimiter C] [--in-process] [--opens N]
 *
 * --in-process reads a format that is normally parsed in the confined
 * helper (.xls) in this process instead, to measure what the sandbox
 * costs; --opens N first opens the file N times and reads its first row,
 * to measure the helper's start-up.  Peak RSS counts the helper too.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "pd-reader.h"
#include "pd-reader-private.h"

static PdReader *
open_reader (GFile                 *file,
             const PdReaderOptions *options,
             gboolean               in_process,
             GError               **error)
{
  return in_process ? _pd_reader_open_in_process (file, options, NULL, error)
                    : pd_reader_open (file, options, NULL, error);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *encoding = NULL;
  g_autofree char *delimiter = NULL;
  gboolean in_process = FALSE;
  int opens = 0;
  GOptionEntry entries[] = {
    { "in-process", 0, 0, G_OPTION_ARG_NONE, &in_process, "Parse in this process, never in the helper", NULL },
    { "opens", 0, 0, G_OPTION_ARG_INT, &opens, "Time N opens and first rows first", "N" },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding, "Force the text encoding", "ENC" },
    { "delimiter", 0, 0, G_OPTION_ARG_STRING, &delimiter, "Force the delimiter", "C" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE");
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(PdReader) reader = NULL;
  PdReaderOptions options = { 0 };
  guint64 rows = 0, row_errors = 0, cells = 0;
  gint64 start, end;
  double seconds;
  struct rusage usage, children;
  PdRow *row;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("usage: %s FILE [--encoding ENC] [--delimiter C]\n", argv[0]);
      return EXIT_FAILURE;
    }

  options.encoding = encoding;
  if (delimiter != NULL)
    options.delimiter = g_str_equal (delimiter, "\\t") ? '\t' : g_utf8_get_char (delimiter);

  file = g_file_new_for_commandline_arg (argv[1]);
  if (opens > 0)
    {
      start = g_get_monotonic_time ();
      for (int i = 0; i < opens; i++)
        {
          g_autoptr(PdReader) r = open_reader (file, &options, in_process, &error);
          g_autoptr(PdRow) first = r != NULL ? pd_reader_next_row (r, NULL, &error) : NULL;

          if (first == NULL)
            {
              g_printerr ("%s\n", error != NULL ? error->message : "no first row");
              return EXIT_FAILURE;
            }
        }
      g_print ("open + first row: %.2f ms (mean of %d)\n",
               (g_get_monotonic_time () - start) / 1e3 / opens, opens);
    }
  start = g_get_monotonic_time ();
  reader = open_reader (file, &options, in_process, &error);
  if (reader == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  while ((row = pd_reader_next_row (reader, NULL, &error)) != NULL)
    {
      rows++;
      cells += row->n_cells;
      row_errors += row->error != NULL;
      pd_row_free (row);
    }
  end = g_get_monotonic_time ();
  if (error != NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  seconds = (end - start) / 1e6;
  getrusage (RUSAGE_SELF, &usage);
  getrusage (RUSAGE_CHILDREN, &children);
  g_print ("format: %s\n", pd_reader_get_format (reader));
  g_print ("rows: %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " cells, %" G_GUINT64_FORMAT
           " with a row error)\n", rows, cells, row_errors);
  g_print ("seconds: %.3f\n", seconds);
  g_print ("rows/s: %.0f\n", seconds > 0 ? rows / seconds : 0.0);
  g_print ("MB/s: %.1f\n", seconds > 0 ? pd_reader_get_size (reader) / 1e6 / seconds : 0.0);
  g_print ("peak RSS: %ld MB (largest helper: %ld MB)\n", usage.ru_maxrss / 1024,
           children.ru_maxrss / 1024);
  g_print ("CPU: %.2f s here, %.2f s in helpers\n",
           usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6,
           children.ru_utime.tv_sec + children.ru_stime.tv_sec + (children.ru_utime.tv_usec + children.ru_stime.tv_usec) / 1e6);

  return EXIT_SUCCESS;
}
