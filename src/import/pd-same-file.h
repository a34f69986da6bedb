/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "pd-store.h"

G_BEGIN_DECLS

/* Importing the same file twice.  Points add up (the seed rule), so a
 * file whose content was imported before would add its points again.  The
 * rule lives here: the file's SHA-256 against the hashes the store keeps
 * with each completed import's copy, asked before anything is written,
 * by the analysis (a warning) and by the import job (which refuses unless
 * told what to do). */
typedef enum {
  PD_SAME_FILE_REFUSE,          /* the default: the import refuses, naming the earlier one */
  PD_SAME_FILE_SKIP_POINTS,     /* rows the earlier import applied keep their balance */
  PD_SAME_FILE_IMPORT_ANYWAY,   /* points are added again */
} PdSameFile;

gboolean      pd_same_file_from_string   (const char    *text,
                                          PdSameFile    *out);
const char   *pd_same_file_to_string     (PdSameFile     choice);

/* The file's SHA-256 in lower-case hex, as the store keeps it. */
char         *pd_file_compute_sha256     (GFile         *file,
                                          GCancellable  *cancellable,
                                          GError       **error);

/* The newest completed, not undone import of a file with @file's content,
 * or NULL (with @error set only on failure). */
PdImportInfo *pd_import_find_earlier     (PdStore       *store,
                                          GFile         *file,
                                          GCancellable  *cancellable,
                                          GError       **error);

/* What an import does about it, before it writes anything: @earlier
 * (out, nullable) gets the earlier import.  A real run (not @dry_run)
 * refuses with PD_ERROR_SAME_FILE, naming it, unless @choice says what to
 * do; with PD_SAME_FILE_SKIP_POINTS, @rows_not_applied (out) gets the rows
 * the earlier import failed or ignored (GUINT_TO_POINTER (row)): theirs
 * are the only points that count now.  NULL otherwise. */
gboolean      pd_same_file_check         (PdStore       *store,
                                          GFile         *file,
                                          PdSameFile     choice,
                                          gboolean       dry_run,
                                          PdImportInfo **earlier,
                                          GHashTable   **rows_not_applied,
                                          GCancellable  *cancellable,
                                          GError       **error);

/* The warning, translated: names the earlier import, its date and what
 * importing again does. */
char         *pd_import_earlier_describe (const PdImportInfo *earlier);

G_END_DECLS
