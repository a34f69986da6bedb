/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile files (issue 14): each case writes a file built to exhaust
 * memory, time or disk, imports it with the real CLI and checks that it
 * is refused with a message a person can act on, within a time and a
 * memory bound (the CLI's own rusage, from wait4), and that no persona
 * changed.  The bounds are loose enough for AddressSanitizer; the
 * failures they catch were hours and gigabytes. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "pd-test-cli.h"

/* Wall-clock time after which a run counts as hung and is killed. */
#define HANG_SECONDS 120

static char *test_dir;
static char *test_db;
/* run_cli()'s database and user, when a case needs others */
static const char *run_db;
static uid_t run_uid = (uid_t) -1;

typedef struct {
  int     status;     /* exit status; 128 + signal when killed */
  double  wall;       /* seconds */
  double  cpu;        /* user + system seconds */
  glong   max_rss_kb;
  char   *out;
  char   *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static char *
slurp_and_remove (const char *path)
{
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    text = g_strdup ("");
  g_unlink (path);
  return text;
}

/* Runs @argv with stdout and stderr to files, an optional file-size
 * limit (RLIMIT_FSIZE, SIGXFSZ ignored so that a write past it fails with
 * EFBIG) and user, and measures it with wait4(); killed after
 * HANG_SECONDS.  No assertions: the launcher process runs it. */
typedef struct {
  int           status;
  gint64        wall_us;
  struct rusage usage;
} Measured;

static void
spawn_measured (char       **argv,
                const char  *out_path,
                const char  *err_path,
                gint64       fsize_limit,
                gint32       uid,
                Measured    *m)
{
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + HANG_SECONDS * G_USEC_PER_SEC;
  pid_t pid;

  memset (m, 0, sizeof *m);
  pid = fork ();
  if (pid < 0)
    {
      m->status = -1;
      return;
    }
  if (pid == 0)
    {
      int out = open (out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
      int err = open (err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

      if (out < 0 || err < 0)
        _exit (127);
      dup2 (out, 1);
      dup2 (err, 2);
      if (fsize_limit >= 0)
        {
          struct rlimit limit = { fsize_limit, fsize_limit };

          signal (SIGXFSZ, SIG_IGN);
          setrlimit (RLIMIT_FSIZE, &limit);
        }
      if (uid >= 0 && (setgroups (0, NULL) != 0 || setgid (uid) != 0 || setuid (uid) != 0))
        _exit (126);
      execv (argv[0], argv);
      _exit (127);
    }

  for (;;)
    {
      pid_t r = wait4 (pid, &m->status, WNOHANG, &m->usage);

      if (r == pid)
        break;
      if (r < 0 && errno != EINTR)
        {
          m->status = -1;
          break;
        }
      if (g_get_monotonic_time () > deadline)
        {
          kill (pid, SIGKILL);
          wait4 (pid, &m->status, 0, &m->usage);
          break;
        }
      g_usleep (10 * 1000);
    }
  m->wall_us = g_get_monotonic_time () - start;
}

/* The CLI is started by a launcher forked when this test was still small:
 * a child's peak RSS counts the pages it shared with its parent before
 * exec (Linux records the old mm's high-water mark at exec), so a CLI
 * forked from here, after a case built 80 MB of fixture, would be charged
 * for them.  Requests: a header, then NUL-separated out, err and argv. */
typedef struct {
  gint64  fsize_limit;  /* -1: none */
  gint32  uid;          /* -1: this one */
  guint32 len;
} Request;

static int launcher_in = -1;   /* requests, to the launcher */
static int launcher_out = -1;  /* Measured, from it */

static gboolean
read_all (int    fd,
          void  *buffer,
          gsize  len)
{
  for (gsize done = 0; done < len;)
    {
      gssize n = read (fd, (char *) buffer + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      done += n;
    }
  return TRUE;
}

static gboolean
write_all (int         fd,
           const void *buffer,
           gsize       len)
{
  for (gsize done = 0; done < len;)
    {
      gssize n = write (fd, (const char *) buffer + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      done += n;
    }
  return TRUE;
}

G_GNUC_NORETURN static void
launcher_main (int requests,
               int replies)
{
  Request req;

  while (read_all (requests, &req, sizeof req))
    {
      g_autofree char *block = g_malloc (req.len + 1);
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      Measured m;
      char *out_path, *err_path;

      if (!read_all (requests, block, req.len))
        break;
      block[req.len] = '\0';
      out_path = block;
      err_path = out_path + strlen (out_path) + 1;
      for (char *a = err_path + strlen (err_path) + 1; a < block + req.len; a += strlen (a) + 1)
        g_ptr_array_add (argv, a);
      g_ptr_array_add (argv, NULL);
      spawn_measured ((char **) argv->pdata, out_path, err_path, req.fsize_limit, req.uid, &m);
      if (!write_all (replies, &m, sizeof m))
        break;
    }
  _exit (0);
}

static void
start_launcher (void)
{
  int requests[2], replies[2];
  pid_t pid;

  g_assert_cmpint (pipe (requests), ==, 0);
  g_assert_cmpint (pipe (replies), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      close (requests[1]);
      close (replies[0]);
      launcher_main (requests[0], replies[1]);
    }
  close (requests[0]);
  close (replies[1]);
  launcher_in = requests[1];
  launcher_out = replies[0];
}

/* Runs the CLI on the test's database (or run_db, as run_uid), with
 * NULL-terminated arguments and an optional file-size limit. */
static void
run_cli (Run        *run,
         rlim_t      fsize_limit,
         const char *first,
         ...)
{
  g_autoptr(GByteArray) block = g_byte_array_new ();
  g_autofree char *out_path = g_build_filename (test_dir, "cli.out", NULL);
  g_autofree char *err_path = g_build_filename (test_dir, "cli.err", NULL);
  const char *fixed[] = { out_path, err_path, g_getenv ("PD_CLI"), "--db",
                          run_db != NULL ? run_db : test_db };
  Request req = { fsize_limit == RLIM_INFINITY ? -1 : (gint64) fsize_limit,
                  run_uid == (uid_t) -1 ? -1 : (gint32) run_uid, 0 };
  Measured m;
  va_list ap;

  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    g_byte_array_append (block, (const guint8 *) fixed[i], strlen (fixed[i]) + 1);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_byte_array_append (block, (const guint8 *) a, strlen (a) + 1);
  va_end (ap);
  req.len = block->len;

  g_assert_true (write_all (launcher_in, &req, sizeof req));
  g_assert_true (write_all (launcher_in, block->data, block->len));
  g_assert_true (read_all (launcher_out, &m, sizeof m));
  g_assert_cmpint (m.status, !=, -1);

  run->wall = m.wall_us / (double) G_USEC_PER_SEC;
  run->cpu = m.usage.ru_utime.tv_sec + m.usage.ru_utime.tv_usec / 1e6 +
             m.usage.ru_stime.tv_sec + m.usage.ru_stime.tv_usec / 1e6;
  run->max_rss_kb = m.usage.ru_maxrss;
  run->status = WIFEXITED (m.status) ? WEXITSTATUS (m.status) : 128 + WTERMSIG (m.status);
  run->out = slurp_and_remove (out_path);
  run->err = slurp_and_remove (err_path);
}

/* What "unchanged" means: every persona as the CLI exports them. */
static char *
export_all (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, RLIM_INFINITY, "export", NULL);
  g_assert_cmpint (run.status, ==, 0);
  return g_steal_pointer (&run.out);
}

static const char *seed_csv =
  "email,first_name,last_name\n"
  "ann@example.com,Ann,Lee\n"
  "bob@example.com,Bob,Ray\n";

static void
seed_database (void)
{
  g_autofree char *path = pd_test_cli_write_file (test_dir, "seed.csv", seed_csv);
  g_auto(Run) run = { 0 };

  run_cli (&run, RLIM_INFINITY, "import", "--accept-terms", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
}

/* Imports @path and checks the refusal: a failing exit, @message in what
 * the CLI printed, the bounds, and the personas as before. */
static void
check_refused (const char *label,
               const char *path,
               const char *message,
               double      max_cpu,
               glong       max_rss_mb)
{
  g_autofree char *before = export_all ();
  g_autofree char *after = NULL;
  g_autofree char *all = NULL;
  g_autofree char *said = NULL;
  g_auto(Run) run = { 0 };

  run_cli (&run, RLIM_INFINITY, "import", "--accept-terms", path, NULL);
  said = g_strstrip (g_strdup (run.err));
  g_test_message ("%s: exit %d, %.2f s wall, %.2f s CPU, %ld MB peak: %s",
                  label, run.status, run.wall, run.cpu, run.max_rss_kb / 1024, said);
  if (g_getenv ("PD_HOSTILE_TABLE") != NULL)
    g_printerr ("| %s | exit %d | %.2f s | %.2f s | %ld MB |\n",
                label, run.status, run.wall, run.cpu, run.max_rss_kb / 1024);
  all = g_strconcat (run.out, run.err, NULL);
  g_assert_cmpint (run.status, !=, 0);
  g_assert_cmpint (run.status, <, 128);  /* refused, not killed */
  g_assert_nonnull (strstr (all, message));
  g_assert_cmpfloat (run.cpu, <, max_cpu);
  g_assert_cmpint (run.max_rss_kb / 1024, <, max_rss_mb);
  after = export_all ();
  g_assert_cmpstr (after, ==, before);
}

/* Generous for ASan (its shadow memory alone is tens of MB), far below
 * the gigabytes of the failures. */
#define MAX_RSS_MB 600
#define MAX_CPU    40.0

/* --- writing files ----------------------------------------------------- */

static char *
write_bytes (const char *name,
             const void *data,
             gsize       len)
{
  char *path = g_build_filename (test_dir, name, NULL);

  g_assert_true (g_file_set_contents (path, data, (gssize) len, NULL));
  return path;
}

typedef struct {
  const char *name;
  GBytes     *data;          /* the member's bytes */
  gboolean    deflate;
  guint64     lie_compressed; /* nonzero: the central directory says this */
} ZipMember;

static void
put16 (GByteArray *a,
       guint16     v)
{
  guint8 b[2] = { v & 0xff, v >> 8 };

  g_byte_array_append (a, b, 2);
}

static void
put32 (GByteArray *a,
       guint32     v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };

  g_byte_array_append (a, b, 4);
}

static GBytes *
raw_deflate (GBytes *data)
{
  gsize len;
  const guint8 *in = g_bytes_get_data (data, &len);
  z_stream z = { 0 };
  gsize cap = deflateBound (&z, len) + 64;
  guint8 *out = g_malloc (cap);

  g_assert_cmpint (deflateInit2 (&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY), ==, Z_OK);
  z.next_in = (Bytef *) in;
  z.avail_in = len;
  z.next_out = out;
  z.avail_out = cap;
  g_assert_cmpint (deflate (&z, Z_FINISH), ==, Z_STREAM_END);
  deflateEnd (&z);
  return g_bytes_new_take (out, z.total_out);
}

/* A zip written by hand, so that a test can make its directory lie. */
static char *
write_zip (const char      *name,
           const ZipMember *members,
           guint            n_members)
{
  g_autoptr(GByteArray) file = g_byte_array_new ();
  g_autoptr(GByteArray) central = g_byte_array_new ();
  char *path;

  for (guint i = 0; i < n_members; i++)
    {
      const ZipMember *m = &members[i];
      g_autoptr(GBytes) packed = m->deflate ? raw_deflate (m->data) : g_bytes_ref (m->data);
      gsize size, packed_size;
      const guint8 *raw = g_bytes_get_data (m->data, &size);
      const guint8 *bytes = g_bytes_get_data (packed, &packed_size);
      guint32 crc = crc32 (0, raw, size);
      guint32 offset = file->len;
      guint16 method = m->deflate ? 8 : 0;
      guint16 name_len = strlen (m->name);

      put32 (file, 0x04034b50);
      put16 (file, 20);
      put16 (file, 0);
      put16 (file, method);
      put32 (file, 0);
      put32 (file, crc);
      put32 (file, packed_size);
      put32 (file, size);
      put16 (file, name_len);
      put16 (file, 0);
      g_byte_array_append (file, (const guint8 *) m->name, name_len);
      g_byte_array_append (file, bytes, packed_size);

      put32 (central, 0x02014b50);
      put16 (central, 20);
      put16 (central, 20);
      put16 (central, 0);
      put16 (central, method);
      put32 (central, 0);
      put32 (central, crc);
      put32 (central, m->lie_compressed ? (guint32) m->lie_compressed : packed_size);
      put32 (central, size);
      put16 (central, name_len);
      put16 (central, 0);
      put16 (central, 0);
      put16 (central, 0);
      put16 (central, 0);
      put32 (central, 0);
      put32 (central, offset);
      g_byte_array_append (central, (const guint8 *) m->name, name_len);
    }
  {
    guint32 central_offset = file->len;

    g_byte_array_append (file, central->data, central->len);
    put32 (file, 0x06054b50);
    put16 (file, 0);
    put16 (file, 0);
    put16 (file, n_members);
    put16 (file, n_members);
    put32 (file, central->len);
    put32 (file, central_offset);
    put16 (file, 0);
  }
  path = write_bytes (name, file->data, file->len);
  return path;
}

static GBytes *
repeated (const char *head,
          const char *unit,
          gsize       times,
          const char *tail)
{
  GString *s = g_string_new (head);

  for (gsize i = 0; i < times; i++)
    g_string_append (s, unit);
  g_string_append (s, tail);
  return g_string_free_to_bytes (s);
}

static GBytes *
text (const char *s)
{
  return g_bytes_new (s, strlen (s));
}

/* The parts of an .xlsx around one sheet and a shared strings part. */
static char *
write_xlsx (const char *name,
            GBytes     *sheet,
            guint64     lie_sheet_compressed,
            GBytes     *strings)
{
  g_autoptr(GBytes) types = text (
    "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>");
  g_autoptr(GBytes) rels = text (
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>");
  g_autoptr(GBytes) workbook = text (
    "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
  g_autoptr(GBytes) workbook_rels = text (
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "</Relationships>");
  ZipMember members[] = {
    { "[Content_Types].xml", types, TRUE, 0 },
    { "_rels/.rels", rels, TRUE, 0 },
    { "xl/workbook.xml", workbook, TRUE, 0 },
    { "xl/_rels/workbook.xml.rels", workbook_rels, TRUE, 0 },
    { "xl/sharedStrings.xml", strings, FALSE, 0 },
    { "xl/worksheets/sheet1.xml", sheet, TRUE, lie_sheet_compressed },
  };

  return write_zip (name, members, G_N_ELEMENTS (members));
}

static const char sheet_head[] =
  "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
  "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>email</t></is></c></row>";

/* --- the cases --------------------------------------------------------- */

/* A header of 5,000,000 columns in a 5 MB file: 63 s, 9.1 GB and 1.74 GB
 * more database before. */
static void
test_csv_columns (void)
{
  g_autoptr(GBytes) csv = repeated ("email", ",", 5000000, "\nx@example.com\n");
  g_autofree char *path = write_bytes ("columns.csv", g_bytes_get_data (csv, NULL),
                                       g_bytes_get_size (csv));

  check_refused ("CSV, header of 5,000,000 columns", path, "has more than 16384 columns",
                 MAX_CPU, MAX_RSS_MB);
}

/* The same columns, all empty: the blank header is no header. */
static void
test_csv_empty_columns (void)
{
  g_autoptr(GBytes) csv = repeated ("", ",", 5000000, "\n");
  g_autofree char *path = write_bytes ("empty-columns.csv", g_bytes_get_data (csv, NULL),
                                       g_bytes_get_size (csv));

  check_refused ("CSV, 5,000,000 empty columns", path, "No header row", MAX_CPU, MAX_RSS_MB);
}

/* A row of 20,000 cells under a short header: the row is refused (its
 * cells past 16,384 are dropped), and the message says its row once. */
static void
test_csv_wide_row (void)
{
  g_autoptr(GString) csv = g_string_new ("email");
  g_autofree char *path = NULL;
  g_autofree char *before = export_all ();
  g_autofree char *after = NULL;
  g_autofree char *all = NULL;
  g_auto(Run) run = { 0 };

  g_string_append (csv, ",first_name,last_name\nwide@example.com");
  for (guint i = 1; i < 20000; i++)
    g_string_append (csv, ",x");
  g_string_append_c (csv, '\n');
  path = write_bytes ("wide.csv", csv->str, csv->len);

  run_cli (&run, RLIM_INFINITY, "import", "--accept-terms", path, NULL);
  if (g_getenv ("PD_HOSTILE_TABLE") != NULL)
    g_printerr ("| CSV, a row of 20,000 cells | exit %d | %.2f s | %.2f s | %ld MB |\n",
                run.status, run.wall, run.cpu, run.max_rss_kb / 1024);
  all = g_strconcat (run.out, run.err, NULL);
  g_assert_nonnull (strstr (all, "Row 2: cells past column 16384 are ignored."));
  g_assert_null (strstr (all, "Row 2: Row 2"));
  g_assert_cmpfloat (run.cpu, <, MAX_CPU);
  g_assert_cmpint (run.max_rss_kb / 1024, <, MAX_RSS_MB);
  after = export_all ();
  g_assert_cmpstr (after, ==, before);
}

/* A filled row repeated a billion times, in an 833-byte-like file. */
static void
test_ods_repeated_rows (void)
{
  g_autoptr(GBytes) mimetype = text ("application/vnd.oasis.opendocument.spreadsheet");
  g_autoptr(GBytes) content = text (
    "<?xml version=\"1.0\"?><office:document-content "
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">"
    "<office:body><office:spreadsheet><table:table table:name=\"Sheet1\">"
    "<table:table-row><table:table-cell><text:p>email</text:p></table:table-cell></table:table-row>"
    "<table:table-row table:number-rows-repeated=\"1000000000\">"
    "<table:table-cell><text:p>x@example.com</text:p></table:table-cell></table:table-row>"
    "</table:table></office:spreadsheet></office:body></office:document-content>");
  ZipMember members[] = {
    { "mimetype", mimetype, FALSE, 0 },
    { "content.xml", content, TRUE, 0 },
  };
  g_autofree char *path = write_zip ("repeat.ods", members, G_N_ELEMENTS (members));

  check_refused ("ODS, a filled row repeated 1e9 times", path, "is repeated 1000000000 times",
                 MAX_CPU, MAX_RSS_MB);
}

/* A filled cell repeated to column 16,384, on row after row: each row is
 * 16,384 cells from a hundred bytes of XML. */
static void
test_ods_repeated_cells (void)
{
  g_autoptr(GBytes) mimetype = text ("application/vnd.oasis.opendocument.spreadsheet");
  g_autoptr(GBytes) content = repeated (
    "<?xml version=\"1.0\"?><office:document-content "
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">"
    "<office:body><office:spreadsheet><table:table table:name=\"Sheet1\">"
    "<table:table-row><table:table-cell><text:p>email</text:p></table:table-cell></table:table-row>",
    "<table:table-row><table:table-cell table:number-columns-repeated=\"16384\">"
    "<text:p>x@example.com</text:p></table:table-cell></table:table-row>",
    1100,
    "</table:table></office:spreadsheet></office:body></office:document-content>");
  ZipMember members[] = {
    { "mimetype", mimetype, FALSE, 0 },
    { "content.xml", content, FALSE, 0 },
  };
  g_autofree char *path = write_zip ("cells.ods", members, G_N_ELEMENTS (members));

  check_refused ("ODS, a filled cell repeated to column 16,384 on 1,100 rows", path,
                 "make more than 128 MB of copies", MAX_CPU, MAX_RSS_MB);
}

/* A bomb entry whose ratio is hidden by junk padding the zip: the ratio
 * over the whole archive passes, the entry's own does not. */
static void
test_zip_padded_bomb (void)
{
  g_autoptr(GBytes) bomb = repeated ("email\n", "a@example.com\n", 4 * 1024 * 1024, "");
  g_autoptr(GByteArray) junk = g_byte_array_sized_new (2 * 1024 * 1024);
  g_autoptr(GBytes) junk_bytes = NULL;
  g_autofree char *path = NULL;
  guint32 x = 12345;

  for (guint i = 0; i < 2 * 1024 * 1024; i++)
    {
      guint8 b;

      x = x * 1103515245 + 12345;
      b = x >> 24;
      g_byte_array_append (junk, &b, 1);
    }
  junk_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&junk));
  {
    ZipMember members[] = {
      { "customers.csv", bomb, TRUE, 0 },
      { "padding.bin", junk_bytes, FALSE, 0 },
    };

    path = write_zip ("padded.zip", members, G_N_ELEMENTS (members));
  }
  check_refused ("ZIP, per-entry bomb padded with 2 MB of junk", path,
                 "times its packed size", MAX_CPU, MAX_RSS_MB);
}

/* The central directory says the sheet is packed into far more bytes
 * than the file has, which hid its ratio. */
static void
test_xlsx_lying_directory (void)
{
  g_autoptr(GBytes) sheet = repeated (sheet_head, "<row/>", 8 * 1024 * 1024,
                                      "</sheetData></worksheet>");
  g_autoptr(GBytes) strings = text ("<?xml version=\"1.0\"?><sst/>");
  g_autofree char *path = write_xlsx ("lying.xlsx", sheet, 0xfffffff0, strings);

  /* Refused from the directory, before the sheet's 48 MB are inflated
   * (which took 2 s of CPU before) */
  check_refused ("XLSX, central directory claims a 4 GB packed sheet", path, "damaged",
                 1.5, MAX_RSS_MB);
}

/* Shared strings declared by the hundred million. */
static void
test_xlsx_declared_strings (void)
{
  g_autoptr(GBytes) sheet = text ("<?xml version=\"1.0\"?><worksheet/>");
  g_autoptr(GBytes) strings = repeated ("<?xml version=\"1.0\"?><sst uniqueCount=\"117000000\">",
                                        "<si/>", 1000, "</sst>");
  g_autofree char *path = write_xlsx ("declared.xlsx", sheet, 0, strings);

  check_refused ("XLSX, uniqueCount of 117,000,000 shared strings", path,
                 "different texts", MAX_CPU, MAX_RSS_MB);
}

/* More shared strings than the cap, with no count declared: stored (not
 * deflated), so that the ratio cap does not refuse it first. */
static void
test_xlsx_many_strings (void)
{
#if defined(__SANITIZE_ADDRESS__)
  /* 16.8 million elements take 10 s of CPU (a minute on a busy machine)
   * under AddressSanitizer; the plain build runs this case, and the
   * declared-count case checks the same refusal here. */
  g_test_skip ("too slow under AddressSanitizer; run in the plain build");
#else
  g_autoptr(GBytes) sheet = text ("<?xml version=\"1.0\"?><worksheet/>");
  g_autoptr(GBytes) strings = repeated ("<?xml version=\"1.0\"?><sst>",
                                        "<si/>", (1u << 24) + 1, "</sst>");
  g_autofree char *path = write_xlsx ("strings.xlsx", sheet, 0, strings);

  check_refused ("XLSX, 16,777,217 shared strings, none declared", path,
                 "different texts", MAX_CPU, MAX_RSS_MB);
#endif
}

/* Nesting past libxml2's limit: refused as too large, not "damaged". */
static void
test_xlsx_deep (void)
{
  g_autoptr(GString) xml = g_string_new (sheet_head);
  g_autoptr(GBytes) sheet = NULL;
  g_autoptr(GBytes) strings = text ("<?xml version=\"1.0\"?><sst/>");
  g_autofree char *path = NULL;

  g_string_append (xml, "<row r=\"2\">");
  for (guint i = 0; i < 300; i++)
    g_string_append (xml, "<x>");
  for (guint i = 0; i < 300; i++)
    g_string_append (xml, "</x>");
  g_string_append (xml, "</row></sheetData></worksheet>");
  sheet = g_string_free_to_bytes (g_steal_pointer (&xml));
  path = write_xlsx ("deep.xlsx", sheet, 0, strings);

  check_refused ("XLSX, elements nested 300 deep", path, "passes a size limit of the XML reader",
                 MAX_CPU, MAX_RSS_MB);
}

static void
test_fifo (void)
{
  g_autofree char *path = g_build_filename (test_dir, "pipe.csv", NULL);

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  check_refused ("FIFO", path, "not a regular file", 5.0, MAX_RSS_MB);
  g_unlink (path);
}

/* Past the size one stored original may have: refused before reading
 * (a sparse file, so the test costs no disk). */
static void
test_too_large (void)
{
  g_autofree char *path = g_build_filename (test_dir, "huge.csv", NULL);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) 1100 * 1000 * 1000), ==, 0);
  close (fd);
  check_refused ("CSV of 1.1 GB (sparse)", path, "too large to import", 5.0, MAX_RSS_MB);
  g_unlink (path);
}

/* The disk fills while the import writes (a file-size limit stands in
 * for a full disk: no root, no tmpfs needed). */
static void
test_disk_full (void)
{
  g_autoptr(GString) csv = g_string_new ("email,first_name,last_name\n");
  g_autofree char *path = NULL;
  g_autofree char *before = export_all ();
  g_autofree char *after = NULL;
  g_autofree char *wal = g_strconcat (test_db, "-wal", NULL);
  g_auto(Run) run = { 0 };
  GStatBuf st_db, st_wal;
  rlim_t limit;

  for (guint i = 0; i < 40000; i++)
    g_string_append_printf (csv, "full%u@example.com,First%u,Last%u\n", i, i, i);
  path = write_bytes ("full.csv", csv->str, csv->len);
  g_assert_cmpint (g_stat (test_db, &st_db), ==, 0);
  /* Room for what is there and a few pages more: the import needs megabytes. */
  limit = MAX (st_db.st_size, g_stat (wal, &st_wal) == 0 ? st_wal.st_size : 0) + 64 * 1024;

  run_cli (&run, limit, "import", "--accept-terms", path, NULL);
  if (g_getenv ("PD_HOSTILE_TABLE") != NULL)
    g_printerr ("| Disk full during an import (RLIMIT_FSIZE) | exit %d | %.2f s | %.2f s | %ld MB |\n",
                run.status, run.wall, run.cpu, run.max_rss_kb / 1024);
  g_test_message ("disk full: %s", run.err);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "no space left to write it"));
  g_assert_null (strstr (run.err, "code 778"));
  after = export_all ();
  g_assert_cmpstr (after, ==, before);
}

/* --- what leaves the app --------------------------------------------- */

/* An escape sequence in a header or a zip entry name reaches the
 * terminal escaped. */
static void
test_control_characters (void)
{
  g_autofree char *csv = pd_test_cli_write_file (test_dir, "ansi.csv",
                                                 "email,\033]0;pwned\007\033[2Jname\n"
                                                 "not-an-email\033[31m,x\n");
  g_autoptr(GBytes) inner = text ("x");
  ZipMember members[] = { { "inner\033[2J.zip", inner, FALSE, 0 } };
  g_autofree char *zip = write_zip ("nested.zip", members, G_N_ELEMENTS (members));
  g_auto(Run) analyze = { 0 };
  g_auto(Run) refused = { 0 };

  run_cli (&analyze, RLIM_INFINITY, "analyze", csv, NULL);
  g_assert_cmpint (analyze.status, ==, 0);
  g_assert_null (strchr (analyze.out, '\033'));
  g_assert_null (strchr (analyze.out, '\007'));
  g_assert_nonnull (strstr (analyze.out, "\\x1b]0;pwned\\x07\\x1b[2Jname"));
  g_assert_nonnull (strstr (analyze.out, "not-an-email\\x1b[31m"));

  run_cli (&refused, RLIM_INFINITY, "import", "--accept-terms", zip, NULL);
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_null (strchr (refused.err, '\033'));
  g_assert_nonnull (strstr (refused.err, "inner\\x1b[2J.zip"));
}

static guint
mode_of (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

/* Customer data leaves the app readable by its owner only, whatever the
 * umask lets through. */
static void
test_private_files (void)
{
  g_autofree char *export_path = g_build_filename (test_dir, "export.csv", NULL);
  g_autofree char *report_path = g_build_filename (test_dir, "report.xlsx", NULL);
  g_autofree char *history_path = g_build_filename (test_dir, "history.xlsx", NULL);
  g_autofree char *csv = pd_test_cli_write_file (test_dir, "report-me.csv",
                                                 "email,first_name\nnot-an-email,Zed\n");
  g_auto(Run) export = { 0 };
  g_auto(Run) import = { 0 };
  g_auto(Run) history = { 0 };
  mode_t old_mask = umask (022);

  /* an existing file with a wider mode is made private too */
  g_assert_true (g_file_set_contents (export_path, "old", -1, NULL));
  g_assert_cmpint (g_chmod (export_path, 0644), ==, 0);
  run_cli (&export, RLIM_INFINITY, "export", "--out", export_path, NULL);
  g_assert_cmpint (export.status, ==, 0);
  g_assert_cmpuint (mode_of (export_path), ==, 0600);

  run_cli (&import, RLIM_INFINITY, "import", "--accept-terms", "--report", report_path, csv, NULL);
  g_assert_cmpint (import.status, ==, 0);
  g_assert_cmpuint (mode_of (report_path), ==, 0600);

  run_cli (&history, RLIM_INFINITY, "history", "report", "1", "--out", history_path, NULL);
  g_assert_cmpint (history.status, ==, 0);
  g_assert_cmpuint (mode_of (history_path), ==, 0600);
  umask (old_mask);
}

/* A database in a folder that can't be written: reading still works
 * (export, history), a write says the database is read-only.  Root writes
 * anywhere, so as root the CLI runs as nobody (65534). */
static void
test_read_only_folder (void)
{
  g_autofree char *dir = g_build_filename (test_dir, "read-only", NULL);
  g_autofree char *db = g_build_filename (dir, "personas.db", NULL);
  g_autofree char *csv = pd_test_cli_write_file (test_dir, "ro-seed.csv",
                                                 "email,first_name\nro@example.com,Ro\n");
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_auto(Run) seed = { 0 };
  g_auto(Run) settle = { 0 };
  gboolean wal_left;
  g_auto(Run) export = { 0 };
  g_auto(Run) history = { 0 };
  g_auto(Run) import = { 0 };

  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  if (getuid () == 0)
    {
      g_assert_cmpint (chown (dir, 65534, 65534), ==, 0);
      g_assert_cmpint (g_chmod (test_dir, 0711), ==, 0);
      g_assert_cmpint (g_chmod (csv, 0644), ==, 0);
      run_uid = 65534;
    }
  run_db = db;
  run_cli (&seed, RLIM_INFINITY, "import", "--accept-terms", csv, NULL);
  g_assert_cmpint (seed.status, ==, 0);
  /* The seed's last connection may leave its -wal behind (a checkpoint
   * thread still holding it); a read's close checkpoints it away. */
  run_cli (&settle, RLIM_INFINITY, "history", NULL);
  g_assert_cmpint (settle.status, ==, 0);
  wal_left = g_file_test (wal, G_FILE_TEST_EXISTS);
  g_assert_cmpint (g_chmod (dir, 0555), ==, 0);

  run_cli (&export, RLIM_INFINITY, "export", NULL);
  run_cli (&history, RLIM_INFINITY, "history", NULL);
  /* the seed's own file again: past the same-file question, to the write */
  run_cli (&import, RLIM_INFINITY, "import", "--accept-terms", "--same-file", "import-anyway", csv, NULL);
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  run_db = NULL;
  run_uid = (uid_t) -1;

  g_test_message ("read-only folder: export: %s; history: %s; import: %s",
                  export.err, history.err, import.err);
  g_assert_cmpint (export.status, ==, 0);
  g_assert_nonnull (strstr (export.out, "ro@example.com"));
  g_assert_cmpint (history.status, ==, 0);
  g_assert_nonnull (strstr (history.out, "ro-seed.csv"));
  /* With a -wal and -shm already there SQLite can write; only without
   * them is the database read-only. */
  if (wal_left)
    g_test_message ("a -wal file was left: the read-only open was not needed");
  else
    {
      g_assert_cmpint (import.status, ==, 1);
      g_assert_nonnull (strstr (import.err, "is read-only"));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (!pd_test_cli_set_up ("hostile", &test_dir, &test_db))
    return g_test_run ();
  /* .xlsx and .ods are parsed in persona-desk-reader; under bwrap its PID
   * namespace hides its CPU time and memory from wait4(), as a plain child
   * (still confined by seccomp and limits) it is counted with the CLI. */
  g_setenv ("PD_READER_SANDBOX", "plain", TRUE);
  start_launcher ();
  seed_database ();

  g_test_add_func ("/hostile/csv-columns", test_csv_columns);
  g_test_add_func ("/hostile/csv-empty-columns", test_csv_empty_columns);
  g_test_add_func ("/hostile/csv-wide-row", test_csv_wide_row);
  g_test_add_func ("/hostile/ods-repeated-rows", test_ods_repeated_rows);
  g_test_add_func ("/hostile/ods-repeated-cells", test_ods_repeated_cells);
  g_test_add_func ("/hostile/zip-padded-bomb", test_zip_padded_bomb);
  g_test_add_func ("/hostile/xlsx-lying-directory", test_xlsx_lying_directory);
  g_test_add_func ("/hostile/xlsx-declared-strings", test_xlsx_declared_strings);
  g_test_add_func ("/hostile/xlsx-many-strings", test_xlsx_many_strings);
  g_test_add_func ("/hostile/xlsx-deep", test_xlsx_deep);
  g_test_add_func ("/hostile/fifo", test_fifo);
  g_test_add_func ("/hostile/too-large", test_too_large);
  g_test_add_func ("/hostile/disk-full", test_disk_full);
  g_test_add_func ("/output/control-characters", test_control_characters);
  g_test_add_func ("/output/private-files", test_private_files);
  g_test_add_func ("/output/read-only-folder", test_read_only_folder);

  return g_test_run ();
}
