/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The fuzzers' inputs through the real code.  Shared by the libFuzzer
 * harnesses (tests/fuzz/fuzz-*.c) and the regression test
 * (tests/test-fuzz-regressions.c), so a saved input is replayed exactly as
 * it was found.
 *
 * Readers: one input through the real reader path, as the app reads a dropped file:
 * pd_reader_list_sheets(), pd_reader_open() and pd_reader_next_row() to
 * the end.  The harnesses (pd_fuzz_read_bytes()) call the readers in this
 * process even for the formats the app parses in persona-desk-reader; the
 * replay (pd_fuzz_read_file()) goes through the helper as the app does. */

/* Reads @path; returns TRUE with the number of rows read, or FALSE with
 * @error set (a GError is a fine outcome for a damaged file). */
gboolean pd_fuzz_read_file  (const char    *path,
                             guint         *n_rows,
                             GError       **error);

/* Writes @data to a file named "input.@extension" in a folder of this
 * process and reads it with pd_fuzz_read_file(). */
void     pd_fuzz_read_bytes (const guint8  *data,
                             gsize          size,
                             const char    *extension);

/* Normalizers: @data is rows of cells (lines of tab-separated text) under
 * a fixed header that maps a column to each kind of field; each row goes
 * through PdNormalizer as an import would, and each cell through the core
 * parsers directly (emails, phones in a few regions, yes/no, integers,
 * dates in every order, names). */
void     pd_fuzz_normalize  (const guint8  *data,
                             gsize          size);

G_END_DECLS
