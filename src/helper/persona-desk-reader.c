/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-reader: parses one untrusted customer file, confined, and
 * streams its rows to the parent (PdSandboxedReader) on standard output
 * in the frames of pd-reader-wire.h.  The file is descriptor 3; --name is
 * its name, for messages and to pick the reader.  Exit status 0 whenever
 * it could say what happened (an error is a frame too). */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pd-confine.h"
#include "pd-reader-private.h"
#include "pd-reader-wire.h"

#define INPUT_FD  3
#define INPUT_DIR "/.persona-desk-input/"

/* libfreexl opens the workbook by path, and no path is opened in here:
 * the reader is given INPUT_DIR/<name>, and stdio's fopen of that name
 * (from libfreexl or the reader itself) is the descriptor the parent
 * passed, from its start.  This executable's fopen interposes the C
 * library's for every library it loads. */
static FILE *
open_input (const char *path,
            const char *mode,
            const char *real_name)
{
  FILE *(*real_fopen) (const char *, const char *);
  int fd;

  if (!g_str_has_prefix (path, INPUT_DIR))
    {
      real_fopen = (FILE *(*) (const char *, const char *)) dlsym (RTLD_NEXT, real_name);
      return real_fopen != NULL ? real_fopen (path, mode) : NULL;
    }
  if (mode[0] != 'r' || strchr (mode, '+') != NULL)
    {
      errno = EACCES;
      return NULL;
    }
  if (lseek (INPUT_FD, 0, SEEK_SET) < 0 || (fd = dup (INPUT_FD)) < 0)
    return NULL;
  return fdopen (fd, mode);
}

/* Named by their symbols: with _FILE_OFFSET_BITS=64 the headers rename
 * fopen to fopen64, and libfreexl calls "fopen". */
FILE *interposed_fopen (const char *path, const char *mode) __asm__ ("fopen");
FILE *interposed_fopen64 (const char *path, const char *mode) __asm__ ("fopen64");

FILE *
interposed_fopen (const char *path,
                  const char *mode)
{
  return open_input (path, mode, "fopen");
}

FILE *
interposed_fopen64 (const char *path,
                    const char *mode)
{
  return open_input (path, mode, "fopen64");
}

/* PD_READER_HELPER_TEST makes the helper misbehave on purpose, after it
 * is confined, so that tests can check what the parent makes of it:
 * crash (a wild write), crash-after-rows=N, garbage (a frame of no
 * known type), hang (a busy loop), alloc (memory without bound), socket
 * and open (forbidden system calls). */
static guint crash_after_rows = G_MAXUINT;

/* A wild write, as a parser's bug makes one. */
static void
crash (void)
{
  static int *volatile nowhere = NULL;

  *nowhere = 1;
}

static void
misbehave (PdWireWriter *out)
{
  const char *test = g_getenv ("PD_READER_HELPER_TEST");
  g_autoptr(GError) error = NULL;

  if (test == NULL)
    return;
  if (g_str_equal (test, "crash"))
    crash ();
  else if (g_str_has_prefix (test, "crash-after-rows="))
    crash_after_rows = (guint) g_ascii_strtoull (test + strlen ("crash-after-rows="), NULL, 10);
  else if (g_str_equal (test, "garbage"))
    {
      pd_wire_write_text (out, (PdWireFrame) 'g', "arbage");
      pd_wire_writer_flush (out);
      _exit (0);
    }
  else if (g_str_equal (test, "hang"))
    for (volatile guint64 i = 0;; i++)
      ;
  else if (g_str_equal (test, "alloc"))
    {
      /* Stops at 8 GiB, so that a missing limit fails the test instead
       * of eating the machine. */
      for (guint i = 0; i < 128; i++)
        {
          char *block = malloc (64 << 20);

          if (block == NULL)
            abort ();
          memset (block, 1, 64 << 20);
        }
      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "8 GiB allocated: no memory limit");
    }
  else if (g_str_equal (test, "socket"))
    {
      int fd = socket (AF_INET, SOCK_STREAM, 0);

      error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "socket() returned %d", fd);
    }
  else if (g_str_equal (test, "open"))
    {
      FILE *f = fopen ("/etc/passwd", "r");
      int saved_errno = errno;

      error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "open: %s",
                           f != NULL ? "allowed" : g_strerror (saved_errno));
    }
  if (error != NULL)
    {
      pd_wire_write_error (out, error);
      pd_wire_writer_flush (out);
      _exit (0);
    }
}

static void
send_new_warnings (PdWireWriter *out,
                   PdReader     *reader,
                   guint        *sent)
{
  GPtrArray *warnings = pd_reader_get_warnings (reader);

  for (; *sent < warnings->len; (*sent)++)
    pd_wire_write_text (out, PD_WIRE_WARNING, g_ptr_array_index (warnings, *sent));
}

static void
read_rows (PdWireWriter          *out,
           GFile                 *file,
           const PdReaderOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdReader) reader = _pd_reader_open_in_process (file, options, NULL, &error);
  guint warnings_sent = 0;
  guint n_rows = 0;
  PdRow *row;

  if (reader == NULL)
    {
      pd_wire_write_error (out, error);
      return;
    }
  send_new_warnings (out, reader, &warnings_sent);
  pd_wire_write_opened (out, pd_reader_get_size (reader));
  while ((row = pd_reader_next_row (reader, NULL, &error)) != NULL)
    {
      if (n_rows++ == crash_after_rows)
        {
          pd_wire_writer_flush (out);
          crash ();
        }
      send_new_warnings (out, reader, &warnings_sent);
      pd_wire_write_row (out, row, pd_reader_get_position (reader));
      pd_row_free (row);
    }
  send_new_warnings (out, reader, &warnings_sent);
  if (error != NULL)
    pd_wire_write_error (out, error);
  else
    pd_wire_write_end (out, pd_reader_get_position (reader));
}

static void
list_sheets (PdWireWriter *out,
             GFile        *file)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = _pd_reader_list_sheets_in_process (file, NULL, &error);

  if (names == NULL)
    {
      pd_wire_write_error (out, error);
      return;
    }
  for (guint i = 0; names[i] != NULL; i++)
    pd_wire_write_text (out, PD_WIRE_SHEET, names[i]);
  pd_wire_write_end (out, 0);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *sheet = NULL;
  g_autofree char *encoding = NULL;
  int delimiter = 0;
  gboolean list = FALSE, probe = FALSE;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "The file's name", "NAME" },
    { "sheet", 0, 0, G_OPTION_ARG_STRING, &sheet, "The sheet to read", "SHEET" },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding, "The text encoding", "ENC" },
    { "delimiter", 0, 0, G_OPTION_ARG_INT, &delimiter, "The delimiter (a code point)", "C" },
    { "list-sheets", 0, 0, G_OPTION_ARG_NONE, &list, "List the non-empty sheets", NULL },
    { "probe", 0, 0, G_OPTION_ARG_NONE, &probe, "Confine, then exit", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdWireWriter) out = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  PdReaderOptions options = { 0 };
  struct stat st;
  int pipe_fd;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      (!probe && (name == NULL || strchr (name, '/') != NULL)))
    {
      g_printerr ("persona-desk-reader: %s\n",
                  error != NULL ? error->message : "--name NAME is required");
      return 2;
    }

  /* GLib logs debug messages on standard output: the frames get a
   * descriptor of their own, and standard output goes to the log. */
  pipe_fd = dup (STDOUT_FILENO);
  if (pipe_fd < 0 || dup2 (STDERR_FILENO, STDOUT_FILENO) < 0)
    return 3;

  if (fstat (INPUT_FD, &st) != 0)
    st.st_size = 0;   /* --probe: no file */
  pd_confine_warm_up ();
  if (!pd_confine_apply (pipe_fd, (guint64) MAX (st.st_size, 0), &error))
    {
      g_printerr ("persona-desk-reader: cannot confine itself: %s\n", error->message);
      return 3;
    }
  if (probe)
    _exit (0);   /* as at the end of main() */

  out = pd_wire_writer_new (pipe_fd);
  misbehave (out);

  path = g_strconcat (INPUT_DIR, name, NULL);
  file = g_file_new_for_path (path);
  options.sheet = sheet;
  options.encoding = encoding;
  options.delimiter = (gunichar) delimiter;
  if (list)
    list_sheets (out, file);
  else
    read_rows (out, file, &options);
  /* _exit: nothing to clean up in a process about to vanish, and
   * LeakSanitizer's exit-time check (ASAN_OPTIONS=detect_leaks=1 in
   * make test-asan) would stop the world with calls the filter forbids. */
  _exit (pd_wire_writer_flush (out) ? 0 : 1);
}
