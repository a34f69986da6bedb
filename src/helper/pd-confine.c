/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <iconv.h>
#include <libintl.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "pd-confine.h"

/* The code pages libfreexl 1.0.6 converts from (its CODEPAGE record).
 * Their converters are opened here and never closed: glibc loads a
 * converter module on first use, and that open would be refused later. */
static const char * const charsets[] = {
  "UTF-16LE", "CP1252", "CP437", "CP720", "CP737", "CP775", "CP850", "CP852",
  "CP855", "CP857", "CP858", "CP860", "CP861", "CP862", "CP863", "CP864", "CP865",
  "CP866", "CP869", "CP874", "CP932", "CP936", "CP949", "CP950", "CP1250",
  "CP1251", "CP1253", "CP1254", "CP1255", "CP1256", "CP1257", "CP1258", "CP1361",
  "MacRoman", NULL
};

void
pd_confine_warm_up (void)
{
  static const char any_message[] = "";

  for (guint i = 0; charsets[i] != NULL; i++)
    {
      iconv_t cd = iconv_open ("UTF-8", charsets[i]);

      if (cd == (iconv_t) -1)
        g_debug ("no converter from %s here", charsets[i]);
      /* else: kept open on purpose, see above. */
    }
  /* Loads this program's message catalog for the current language. */
  (void) dgettext (GETTEXT_PACKAGE, any_message);
  /* GIO looks for its modules (and a Flatpak) when the first GFile is made. */
  g_object_unref (g_file_new_for_path ("/"));
}

static gboolean
set_limit (int       resource,
           rlim_t    soft,
           rlim_t    hard,
           GError  **error)
{
  struct rlimit limit = { soft, hard };

  if (setrlimit (resource, &limit) == 0)
    return TRUE;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
               "setrlimit %d: %s", resource, g_strerror (errno));
  return FALSE;
}

static gboolean
set_limits (guint64   file_size,
            GError  **error)
{
  rlim_t cpu = PD_CONFINE_CPU_SECONDS + file_size / PD_CONFINE_BYTES_PER_CPU_SECOND;

#ifndef __SANITIZE_ADDRESS__
  /* AddressSanitizer reserves terabytes of shadow memory: no address
   * space limit in that build. */
  if (!set_limit (RLIMIT_AS, PD_CONFINE_MEMORY_LIMIT, PD_CONFINE_MEMORY_LIMIT, error))
    return FALSE;
#endif
  /* SIGXCPU at the soft limit, SIGKILL at the hard one. */
  return set_limit (RLIMIT_CPU, cpu, cpu + 5, error) &&
         set_limit (RLIMIT_FSIZE, 0, 0, error) &&
         set_limit (RLIMIT_CORE, 0, 0, error) &&   /* no core file full of customers */
         set_limit (RLIMIT_NOFILE, 16, 16, error);
}

#define ALLOW(call) rules_ok &= seccomp_rule_add (ctx, SCMP_ACT_ALLOW, SCMP_SYS (call), 0) == 0

static gboolean
load_filter (int      pipe_fd,
             GError **error)
{
  scmp_filter_ctx ctx = seccomp_init (SCMP_ACT_KILL_PROCESS);
  const int write_fds[] = { STDOUT_FILENO, STDERR_FILENO, pipe_fd };
  gboolean rules_ok = TRUE;
  int ret;

  if (ctx == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "seccomp_init failed");
      return FALSE;
    }

  /* Reading the file (through stdio) and the memory allocator. */
  ALLOW (read);
  ALLOW (pread64);
  ALLOW (lseek);
  ALLOW (fstat);
  ALLOW (newfstatat);
  ALLOW (fcntl);
  ALLOW (dup);
  ALLOW (close);
  ALLOW (brk);
  ALLOW (munmap);
  ALLOW (mremap);
  ALLOW (madvise);
  ALLOW (futex);
  ALLOW (getrandom);
  ALLOW (clock_gettime);
  ALLOW (gettimeofday);
  ALLOW (getpid);
  ALLOW (getcwd);   /* libxml2 makes a base URI of a relative name */
  ALLOW (gettid);
  ALLOW (rt_sigreturn);
  ALLOW (rt_sigprocmask);
  ALLOW (sigaltstack);   /* AddressSanitizer, at exit */
  ALLOW (exit);
  ALLOW (exit_group);
  /* Memory, but never executable memory. */
  rules_ok &= seccomp_rule_add (ctx, SCMP_ACT_ALLOW, SCMP_SYS (mmap), 1,
                                SCMP_A2 (SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) == 0;
  rules_ok &= seccomp_rule_add (ctx, SCMP_ACT_ALLOW, SCMP_SYS (mprotect), 1,
                                SCMP_A2 (SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) == 0;
  /* Writing: the pipe to the parent and the log (1 and 2). */
  for (guint i = 0; i < G_N_ELEMENTS (write_fds); i++)
    {
      int fd = write_fds[i];

      rules_ok &= seccomp_rule_add (ctx, SCMP_ACT_ALLOW, SCMP_SYS (write), 1,
                                    SCMP_A0 (SCMP_CMP_EQ, fd)) == 0;
      rules_ok &= seccomp_rule_add (ctx, SCMP_ACT_ALLOW, SCMP_SYS (writev), 1,
                                    SCMP_A0 (SCMP_CMP_EQ, fd)) == 0;
    }
  /* abort() signals this process only. */
  rules_ok &= seccomp_rule_add (ctx, SCMP_ACT_ALLOW, SCMP_SYS (tgkill), 1,
                                SCMP_A0 (SCMP_CMP_EQ, (scmp_datum_t) getpid ())) == 0;
  /* Refused without a kill: lazy opens (see the header) and the log's
   * terminal check. */
  rules_ok &= seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EACCES), SCMP_SYS (openat), 0) == 0;
  rules_ok &= seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EACCES), SCMP_SYS (open), 0) == 0;
  rules_ok &= seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EACCES), SCMP_SYS (access), 0) == 0;
  rules_ok &= seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EACCES), SCMP_SYS (faccessat), 0) == 0;
  rules_ok &= seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EACCES), SCMP_SYS (faccessat2), 0) == 0;
  rules_ok &= seccomp_rule_add (ctx, SCMP_ACT_ERRNO (ENOTTY), SCMP_SYS (ioctl), 0) == 0;

  if (!rules_ok)
    {
      seccomp_release (ctx);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "seccomp_rule_add failed");
      return FALSE;
    }
  ret = seccomp_load (ctx);
  seccomp_release (ctx);
  if (ret != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "seccomp_load: %s", g_strerror (-ret));
      return FALSE;
    }
  return TRUE;
}

gboolean
pd_confine_apply (int      pipe_fd,
                  guint64  file_size,
                  GError **error)
{
  g_autoptr(GError) filter_error = NULL;

  if (!set_limits (file_size, error))
    return FALSE;
  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "PR_SET_NO_NEW_PRIVS: %s", g_strerror (errno));
      return FALSE;
    }
  /* A kernel without seccomp still gets the limits and, usually, bwrap. */
  if (!load_filter (pipe_fd, &filter_error))
    {
      if (g_error_matches (filter_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
        {
          g_debug ("no seccomp filter: %s", filter_error->message);
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&filter_error));
      return FALSE;
    }
  return TRUE;
}
