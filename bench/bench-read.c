/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reads a customer file through pd_reader_open() and nothing else, to
 * measure the readers alone: prints rows, seconds and rows per second.
 *
 *   bench-read FILE [--encoding ENC] [--delimiter C]
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "pd-reader.h"

int
main (int    argc,
      char **argv)
{
  g_autofree char *encoding = NULL;
  g_autofree char *delimiter = NULL;
  GOptionEntry entries[] = {
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
  struct rusage usage;
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
  start = g_get_monotonic_time ();
  reader = pd_reader_open (file, &options, NULL, &error);
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
  g_print ("format: %s\n", pd_reader_get_format (reader));
  g_print ("rows: %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " cells, %" G_GUINT64_FORMAT
           " with a row error)\n", rows, cells, row_errors);
  g_print ("seconds: %.3f\n", seconds);
  g_print ("rows/s: %.0f\n", seconds > 0 ? rows / seconds : 0.0);
  g_print ("MB/s: %.1f\n", seconds > 0 ? pd_reader_get_size (reader) / 1e6 / seconds : 0.0);
  g_print ("peak RSS: %ld MB\n", usage.ru_maxrss / 1024);

  return EXIT_SUCCESS;
}
