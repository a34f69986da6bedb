/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How persona-desk-reader shuts itself in before it parses an untrusted
 * file: resource limits, no new privileges, and a seccomp filter that
 * allows reading, writing its pipe and managing memory, and kills the
 * process for anything else (a socket, an exec, a fork, a ptrace).
 * Opening files is refused with EACCES instead of killing: gettext and
 * iconv try lazily, and the file itself is already open. */

#define PD_CONFINE_MEMORY_LIMIT (G_GUINT64_CONSTANT (1) << 30)   /* 1 GiB of address space */
/* CPU seconds: a base, and 1 s more per 256 KiB of the file (libfreexl
 * spends about 4 s on an 11 MB sheet of 65535 rows), as the parent's
 * wall-clock watchdog allows. */
#define PD_CONFINE_CPU_SECONDS         60
#define PD_CONFINE_BYTES_PER_CPU_SECOND (256 * 1024)

/* What must be loaded while files can still be opened: the translations
 * and every character set converter libfreexl may ask for. */
void     pd_confine_warm_up (void);
gboolean pd_confine_apply   (int       pipe_fd,
                             guint64   file_size,
                             GError  **error);

G_END_DECLS
