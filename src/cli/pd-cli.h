/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pd-store.h"

G_BEGIN_DECLS

/* What every command gets: the arguments after the command name
 * (argv[0] is the command) and the database path (--db or the default).
 * A command returns the process exit status; a refusal prints one line on
 * stderr naming the file and the reason (pd_cli_fail). */
typedef struct {
  const char *db_path;
} PdCliContext;

typedef int (*PdCliCommandFunc) (PdCliContext *ctx, int argc, char **argv);

/* Prints "persona-desk-cli: MESSAGE" on stderr and returns 1 (or 2 for usage). */
int      pd_cli_fail          (const GError *error);
int      pd_cli_usage_error   (const char *command, const char *message);
/* Opens the context's store, creating the database when needed. */
PdStore *pd_cli_open_store    (PdCliContext *ctx, GError **error);

/* One function per command, each in its own pd-cli-<command>.c */
int pd_cli_headers  (PdCliContext *ctx, int argc, char **argv);
int pd_cli_template (PdCliContext *ctx, int argc, char **argv);
int pd_cli_analyze  (PdCliContext *ctx, int argc, char **argv);
int pd_cli_import   (PdCliContext *ctx, int argc, char **argv);
int pd_cli_show     (PdCliContext *ctx, int argc, char **argv);
int pd_cli_export   (PdCliContext *ctx, int argc, char **argv);
int pd_cli_history  (PdCliContext *ctx, int argc, char **argv);
int pd_cli_undo     (PdCliContext *ctx, int argc, char **argv);

G_END_DECLS
