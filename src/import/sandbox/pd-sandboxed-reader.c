/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <glib/gi18n-lib.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pd-error.h"
#include "pd-reader-private.h"
#include "pd-reader-wire.h"
#include "pd-sandboxed-reader.h"

#define HELPER_NAME "persona-desk-reader"
#define DEFAULT_TIMEOUT_MS 60000
/* libfreexl parses the whole workbook before the first row: 8.6 s for an
 * 11 MB sheet of 65535 rows on this project's busy 2-core machine.  Big
 * files get 1 s more of silence per 256 KiB (as the helper gets CPU time). */
#define BYTES_PER_EXTRA_SECOND (256 * 1024)
#define READ_CHUNK (64 * 1024)

/* One run of the helper and the unread bytes of its pipe. */
typedef struct {
  GSubprocess *process;
  gboolean     bwrap;
  int          fd;
  guint64      file_size;
  GByteArray  *buf;
  gsize        start;
  char        *display_name;
  char        *format;
  gboolean     done;       /* reaped, or to be killed and reaped */
} Helper;

struct _PdSandboxedReader
{
  PdReader  parent_instance;

  Helper   *helper;
  gboolean  finished;
};

G_DEFINE_FINAL_TYPE (PdSandboxedReader, pd_sandboxed_reader, PD_TYPE_READER)

static guint timeout_ms = DEFAULT_TIMEOUT_MS;

static void
helper_free (Helper *h)
{
  if (h == NULL)
    return;
  if (h->process != NULL)
    {
      /* Done with it, whatever it is doing: a reader dropped after its
       * header row leaves a helper blocked on a full pipe. */
      if (!h->done)
        g_subprocess_force_exit (h->process);
      g_subprocess_wait (h->process, NULL, NULL);
      g_object_unref (h->process);
    }
  g_byte_array_unref (h->buf);
  g_free (h->display_name);
  g_free (h->format);
  g_free (h);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Helper, helper_free)

/* The installed helper, or the one of the build tree when this program
 * runs from it; PD_READER_HELPER overrides both (tests, benches). */
static char *
find_helper (void)
{
  const char *env = g_getenv ("PD_READER_HELPER");
  g_autofree char *exe = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *sibling = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL && g_str_has_prefix (exe, PD_BUILD_ROOT "/"))
    return g_strdup (PD_BUILD_HELPER);
  if (exe != NULL)
    {
      dir = g_path_get_dirname (exe);
      sibling = g_build_filename (dir, HELPER_NAME, NULL);
      if (g_file_test (sibling, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&sibling);
    }
  return g_build_filename (PD_LIBEXECDIR, HELPER_NAME, NULL);
}

/* The file system inside bwrap: /usr read-only (the helper's libraries and
 * translations), the merged-/usr links, the loader cache, and the helper
 * itself when it lives elsewhere (a build tree).  No /home, /tmp, /proc or
 * /dev: the file comes in as descriptor 3. */
static void
add_bwrap_args (GPtrArray  *argv,
                const char *helper)
{
  static const char * const top_dirs[] = { "/lib", "/lib64", "/bin", "/sbin", NULL };
  const char * const fixed[] = {
    "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
    "--ro-bind", "/usr", "/usr", "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
    "--chdir", "/", NULL
  };
  g_autofree char *bwrap = g_find_program_in_path ("bwrap");

  g_ptr_array_add (argv, g_steal_pointer (&bwrap));
  for (guint i = 0; fixed[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (fixed[i]));
  for (guint i = 0; top_dirs[i] != NULL; i++)
    {
      g_autofree char *target = g_file_read_link (top_dirs[i], NULL);

      g_ptr_array_add (argv, g_strdup (target != NULL ? "--symlink" : "--ro-bind-try"));
      g_ptr_array_add (argv, target != NULL ? g_steal_pointer (&target) : g_strdup (top_dirs[i]));
      g_ptr_array_add (argv, g_strdup (top_dirs[i]));
    }
  if (!g_str_has_prefix (helper, "/usr/"))
    {
      g_ptr_array_add (argv, g_strdup ("--ro-bind"));
      g_ptr_array_add (argv, g_strdup (helper));
      g_ptr_array_add (argv, g_strdup (helper));
    }
  g_ptr_array_add (argv, g_strdup ("--"));
}

/* Outside bwrap the helper is a plain child: it confines itself all the
 * same (limits, no_new_privs, seccomp), dies with this thread and cannot
 * take its terminal. */
static void
plain_child_setup (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  setsid ();
}

static GSubprocess *
spawn (GPtrArray   *argv,
       gboolean     bwrap,
       int          file_fd,
       GError     **error)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

  if (file_fd >= 0)
    g_subprocess_launcher_take_fd (launcher, file_fd, 3);
  if (!bwrap)
    g_subprocess_launcher_set_child_setup (launcher, plain_child_setup, NULL, NULL);
  g_ptr_array_add (argv, NULL);
  return g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
}

/* Whether bwrap can make its namespaces here (not in every container):
 * tried once with the helper's --probe, which confines itself and exits. */
static gboolean
can_use_bwrap (const char *helper)
{
  static gsize once = 0;
  static gboolean usable = FALSE;

  if (g_once_init_enter (&once))
    {
      const char *mode = g_getenv ("PD_READER_SANDBOX");
      g_autofree char *bwrap = g_find_program_in_path ("bwrap");
      g_autoptr(GError) error = NULL;

      if (g_strcmp0 (mode, "plain") == 0)
        g_debug ("PD_READER_SANDBOX=plain: readers run in a plain child process");
      else if (bwrap == NULL)
        g_debug ("bwrap is not installed: readers run in a plain child process "
                 "(with seccomp and limits)");
      else
        {
          g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
          g_autoptr(GSubprocess) probe = NULL;

          add_bwrap_args (argv, helper);
          g_ptr_array_add (argv, g_strdup (helper));
          g_ptr_array_add (argv, g_strdup ("--probe"));
          probe = spawn (argv, TRUE, -1, &error);
          if (probe != NULL && g_subprocess_wait_check (probe, NULL, &error))
            usable = TRUE;
          else
            g_debug ("bwrap cannot create its namespaces here (%s): readers run in a "
                     "plain child process (with seccomp and limits)", error->message);
        }
      g_once_init_leave (&once, 1);
    }
  return usable;
}

static GError *
cannot_start_error (const char *display_name,
                    const char *helper,
                    const char *why)
{
  return g_error_new (PD_ERROR, PD_ERROR_FAILED,
                      _("%s cannot be read: the file reader “%s” could not be started (%s)."),
                      display_name, helper, why);
}

static Helper *
helper_start (GFile                  *file,
              const char             *format,
              const PdReaderOptions  *options,
              gboolean                list_sheets,
              GError                **error)
{
  g_autoptr(Helper) h = g_new0 (Helper, 1);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *helper = find_helper ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  struct stat st;
  int fd;

  h->display_name = g_file_get_basename (file);
  h->format = g_strdup (format);
  h->buf = g_byte_array_sized_new (READ_CHUNK);
  h->fd = -1;

  if (path == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
                   _("%s cannot be read: it must be on this computer. "
                     "Copy it to a local folder first."), h->display_name);
      return NULL;
    }
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0 || fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT, _("%s cannot be opened: %s"),
                   h->display_name, g_strerror (saved_errno));
      return NULL;
    }
  h->file_size = (guint64) st.st_size;
  /* Kept clear of the helper's 3: a mapping of a descriptor onto its own
   * number is where spawn implementations have had bugs. */
  if (fd <= 3)
    {
      int high = fcntl (fd, F_DUPFD_CLOEXEC, 10);
      int saved_errno = errno;

      close (fd);
      if (high < 0)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT, _("%s cannot be opened: %s"),
                       h->display_name, g_strerror (saved_errno));
          return NULL;
        }
      fd = high;
    }
  if (!g_file_test (helper, G_FILE_TEST_IS_EXECUTABLE))
    {
      close (fd);
      g_propagate_error (error, cannot_start_error (h->display_name, helper,
                                                    g_strerror (ENOENT)));
      return NULL;
    }

  h->bwrap = can_use_bwrap (helper);
  if (h->bwrap)
    add_bwrap_args (argv, helper);
  g_ptr_array_add (argv, g_strdup (helper));
  g_ptr_array_add (argv, g_strdup ("--name"));
  g_ptr_array_add (argv, g_strdup (h->display_name));
  if (options != NULL && options->sheet != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("--sheet"));
      g_ptr_array_add (argv, g_strdup (options->sheet));
    }
  if (options != NULL && options->encoding != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("--encoding"));
      g_ptr_array_add (argv, g_strdup (options->encoding));
    }
  if (options != NULL && options->delimiter != 0)
    {
      g_ptr_array_add (argv, g_strdup ("--delimiter"));
      g_ptr_array_add (argv, g_strdup_printf ("%u", options->delimiter));
    }
  if (list_sheets)
    g_ptr_array_add (argv, g_strdup ("--list-sheets"));

  h->process = spawn (argv, h->bwrap, fd, &local_error);
  if (h->process == NULL)
    {
      g_propagate_error (error, cannot_start_error (h->display_name, helper,
                                                    local_error->message));
      return NULL;
    }
  h->fd = g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (g_subprocess_get_stdout_pipe (h->process)));
  return g_steal_pointer (&h);
}

/* What became of the helper, for the log; TRUE if it ran out of time. */
static gboolean
describe_end (Helper  *h,
              char   **description)
{
  int sig = 0;

  g_subprocess_wait (h->process, NULL, NULL);
  h->done = TRUE;
  if (g_subprocess_get_if_signaled (h->process))
    sig = g_subprocess_get_term_sig (h->process);
  else if (h->bwrap && g_subprocess_get_exit_status (h->process) > 128)
    sig = g_subprocess_get_exit_status (h->process) - 128;  /* bwrap's way */

  if (sig != 0)
    *description = g_strdup_printf ("killed by signal %d (%s)%s", sig, g_strsignal (sig),
                                    sig == SIGSYS ? ": a system call outside its seccomp filter" :
                                    sig == SIGXCPU ? ": its CPU time limit" : "");
  else
    *description = g_strdup_printf ("exit status %d", g_subprocess_get_exit_status (h->process));
  return sig == SIGXCPU;
}

/* The helper crashed, hung, reached a limit or talked nonsense: the user
 * learns which file, the log learns how. */
static GError *
helper_failed (Helper     *h,
               const char *what,
               gboolean    timed_out)
{
  g_autofree char *description = NULL;

  if (!h->done)
    g_subprocess_force_exit (h->process);
  timed_out |= describe_end (h, &description);
  g_debug ("%s for %s: %s; %s", HELPER_NAME, h->display_name, what, description);
  if (timed_out)
    return g_error_new (PD_ERROR, PD_ERROR_CORRUPT,
                        _("“%s” took too long to read: it is damaged or not a supported .%s file."),
                        h->display_name, h->format);
  return g_error_new (PD_ERROR, PD_ERROR_CORRUPT,
                      _("“%s” is damaged or not a supported .%s file."),
                      h->display_name, h->format);
}

/* Waits until @need bytes are buffered, the helper's silence outlasts the
 * timeout, or @cancellable fires (both kill it). */
static gboolean
fill (Helper        *h,
      gsize          need,
      gint64         deadline,
      GCancellable  *cancellable,
      GError       **error)
{
  while (h->buf->len - h->start < need)
    {
      struct pollfd fds[2] = { { .fd = h->fd, .events = POLLIN } };
      GPollFD cancel_fd = { .fd = -1 };
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      guint old_len;
      ssize_t n;
      int ready;

      if (h->start > 0)
        {
          g_byte_array_remove_range (h->buf, 0, (guint) h->start);
          h->start = 0;
        }
      if (left <= 0)
        {
          g_propagate_error (error, helper_failed (h, "silent for too long", TRUE));
          return FALSE;
        }
      if (g_cancellable_make_pollfd (cancellable, &cancel_fd))
        fds[1] = (struct pollfd) { .fd = cancel_fd.fd, .events = POLLIN };
      ready = poll (fds, cancel_fd.fd >= 0 ? 2 : 1, (int) MIN (left, G_MAXINT));
      if (cancel_fd.fd >= 0)
        g_cancellable_release_fd (cancellable);
      if (ready < 0 && errno == EINTR)
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          g_subprocess_force_exit (h->process);
          g_subprocess_wait (h->process, NULL, NULL);
          h->done = TRUE;
          return FALSE;
        }
      if (ready == 0)
        continue;  /* the deadline is checked above */

      old_len = h->buf->len;
      g_byte_array_set_size (h->buf, old_len + READ_CHUNK);
      n = read (h->fd, h->buf->data + old_len, READ_CHUNK);
      g_byte_array_set_size (h->buf, old_len + (n > 0 ? (guint) n : 0));
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          g_propagate_error (error, helper_failed (h, "its output ended early", FALSE));
          return FALSE;
        }
    }
  return TRUE;
}

/* The next frame; @payload points into the buffer until the next call. */
static gboolean
read_frame (Helper        *h,
            PdWireFrame   *type,
            const guint8 **payload,
            gsize         *len,
            GCancellable  *cancellable,
            GError       **error)
{
  gint64 allowed_ms = g_atomic_int_get (&timeout_ms) + h->file_size * 1000 / BYTES_PER_EXTRA_SECOND;
  gint64 deadline = g_get_monotonic_time () + allowed_ms * 1000;
  guint32 frame_len;

  if (!fill (h, PD_WIRE_HEADER_SIZE, deadline, cancellable, error))
    return FALSE;
  *type = h->buf->data[h->start];
  memcpy (&frame_len, h->buf->data + h->start + 1, sizeof frame_len);
  if (frame_len > PD_WIRE_MAX_FRAME)
    {
      g_propagate_error (error, helper_failed (h, "a frame too long", FALSE));
      return FALSE;
    }
  if (!fill (h, PD_WIRE_HEADER_SIZE + frame_len, deadline, cancellable, error))
    return FALSE;
  *payload = h->buf->data + h->start + PD_WIRE_HEADER_SIZE;
  *len = frame_len;
  h->start += PD_WIRE_HEADER_SIZE + frame_len;
  return TRUE;
}

/* After the helper said "end": it must exit cleanly too. */
static gboolean
helper_finish (Helper  *h,
               GError **error)
{
  g_autofree char *description = NULL;

  g_subprocess_wait (h->process, NULL, NULL);
  h->done = TRUE;
  if (g_subprocess_get_if_exited (h->process) && g_subprocess_get_exit_status (h->process) == 0)
    return TRUE;
  g_propagate_error (error, helper_failed (h, "a bad exit after the end", FALSE));
  return FALSE;
}

static GError *
garbage (Helper      *h,
         PdWireFrame  type)
{
  g_autofree char *what = g_strdup_printf ("an unexpected or malformed frame '%c'",
                                           g_ascii_isprint (type) ? type : '?');

  return helper_failed (h, what, FALSE);
}

/* An error the reader in the helper reported (a sheet to choose, a
 * password): the file's fault, told as the in-process reader tells it. */
static GError *
reported_error (Helper       *h,
                const guint8 *payload,
                gsize         len)
{
  GError *error = pd_wire_decode_error (payload, len);

  if (error == NULL)
    return garbage (h, PD_WIRE_ERROR);
  g_subprocess_wait (h->process, NULL, NULL);
  h->done = TRUE;
  return error;
}

static PdRow *
pd_sandboxed_reader_next_row (PdReader      *reader,
                              GCancellable  *cancellable,
                              GError       **error)
{
  PdSandboxedReader *self = PD_SANDBOXED_READER (reader);

  while (!self->finished)
    {
      PdWireFrame type;
      const guint8 *payload;
      gsize len;
      guint64 position = 0;
      PdRow *row;
      g_autofree char *text = NULL;

      if (!read_frame (self->helper, &type, &payload, &len, cancellable, error))
        {
          self->finished = TRUE;
          return NULL;
        }
      switch (type)
        {
        case PD_WIRE_ROW:
          row = pd_wire_decode_row (payload, len, &position);
          if (row == NULL)
            break;
          pd_reader_set_position (reader, MIN (position, pd_reader_get_size (reader)));
          return row;
        case PD_WIRE_WARNING:
          text = pd_wire_decode_text (payload, len);
          if (text == NULL)
            break;
          pd_reader_add_warning (reader, text);
          continue;
        case PD_WIRE_END:
          self->finished = TRUE;
          if (!pd_wire_decode_u64 (payload, len, &position))
            break;
          pd_reader_set_position (reader, MIN (position, pd_reader_get_size (reader)));
          helper_finish (self->helper, error);
          return NULL;
        case PD_WIRE_ERROR:
          self->finished = TRUE;
          g_propagate_error (error, reported_error (self->helper, payload, len));
          return NULL;
        default:
          break;
        }
      self->finished = TRUE;
      g_propagate_error (error, garbage (self->helper, type));
      return NULL;
    }
  return NULL;
}

static void
pd_sandboxed_reader_finalize (GObject *object)
{
  PdSandboxedReader *self = PD_SANDBOXED_READER (object);

  g_clear_pointer (&self->helper, helper_free);

  G_OBJECT_CLASS (pd_sandboxed_reader_parent_class)->finalize (object);
}

static void
pd_sandboxed_reader_class_init (PdSandboxedReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PdReaderClass *reader_class = PD_READER_CLASS (klass);

  object_class->finalize = pd_sandboxed_reader_finalize;
  reader_class->next_row = pd_sandboxed_reader_next_row;
}

static void
pd_sandboxed_reader_init (PdSandboxedReader *self)
{
}

void
_pd_sandboxed_reader_set_timeout (guint milliseconds)
{
  g_atomic_int_set (&timeout_ms, milliseconds > 0 ? milliseconds : DEFAULT_TIMEOUT_MS);
}

PdReader *
_pd_sandboxed_reader_new (GFile                  *file,
                          const char             *format,
                          const PdReaderOptions  *options,
                          GCancellable           *cancellable,
                          GError                **error)
{
  g_autoptr(Helper) h = helper_start (file, format, options, FALSE, error);
  g_autoptr(PdSandboxedReader) self = NULL;

  if (h == NULL)
    return NULL;
  self = g_object_new (PD_TYPE_SANDBOXED_READER, "file", file, "format", format, NULL);

  /* Warnings, then "opened" with the size, or the error of the open. */
  for (;;)
    {
      PdWireFrame type;
      const guint8 *payload;
      gsize len;
      guint64 size;
      g_autofree char *text = NULL;

      if (!read_frame (h, &type, &payload, &len, cancellable, error))
        return NULL;
      if (type == PD_WIRE_OPENED && pd_wire_decode_u64 (payload, len, &size))
        {
          pd_reader_set_size (PD_READER (self), size);
          break;
        }
      if (type == PD_WIRE_WARNING && (text = pd_wire_decode_text (payload, len)) != NULL)
        {
          pd_reader_add_warning (PD_READER (self), text);
          continue;
        }
      g_propagate_error (error, type == PD_WIRE_ERROR ? reported_error (h, payload, len)
                                                      : garbage (h, type));
      return NULL;
    }
  self->helper = g_steal_pointer (&h);
  return PD_READER (g_steal_pointer (&self));
}

char **
_pd_sandboxed_list_sheets (GFile         *file,
                           const char    *format,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(Helper) h = helper_start (file, format, NULL, TRUE, error);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  if (h == NULL)
    return NULL;
  for (;;)
    {
      PdWireFrame type;
      const guint8 *payload;
      gsize len;
      guint64 position;
      g_autofree char *text = NULL;

      if (!read_frame (h, &type, &payload, &len, cancellable, error))
        return NULL;
      if (type == PD_WIRE_SHEET && (text = pd_wire_decode_text (payload, len)) != NULL)
        {
          g_strv_builder_add (names, text);
          continue;
        }
      if (type == PD_WIRE_END && pd_wire_decode_u64 (payload, len, &position))
        return helper_finish (h, error) ? g_strv_builder_end (names) : NULL;
      g_propagate_error (error, type == PD_WIRE_ERROR ? reported_error (h, payload, len)
                                                      : garbage (h, type));
      return NULL;
    }
}
