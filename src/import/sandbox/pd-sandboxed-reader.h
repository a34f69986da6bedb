/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-reader.h"

G_BEGIN_DECLS

/* A reader whose parsing runs in another process, persona-desk-reader,
 * confined with bubblewrap (when it can make namespaces here), a seccomp
 * filter and resource limits: a file that crashes or hangs a parser
 * library (libfreexl, issue 14) becomes an error naming the file instead
 * of taking the app down.  The helper gets the file as an open descriptor
 * and streams its rows back over a pipe (pd-reader-wire.h).
 *
 * bwrap's --die-with-parent follows the *thread* that spawned it: the
 * thread that opens a sandboxed reader must outlive it (every caller
 * opens and reads within one job). */

#define PD_TYPE_SANDBOXED_READER (pd_sandboxed_reader_get_type ())
G_DECLARE_FINAL_TYPE (PdSandboxedReader, pd_sandboxed_reader, PD, SANDBOXED_READER, PdReader)

G_END_DECLS
