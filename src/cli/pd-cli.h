/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pd-record-source.h"
#include "pd-store.h"

G_BEGIN_DECLS

/* What every command gets: the arguments after the command name
 * (argv[0] is the command) and the database path (--db or the default).
 * A command returns the process exit status; a refusal prints one line on
 * stderr naming the file and the reason (pd_cli_fail). */
typedef struct {
  const char *db_path;
  const char *user;      /* --user: a staff account (nullable) */
} PdCliContext;

typedef int (*PdCliCommandFunc) (PdCliContext *ctx, int argc, char **argv);

/* Prints "persona-desk-cli: MESSAGE" on stderr and returns 1 (or 2 for usage). */
int      pd_cli_fail          (const GError *error);
int      pd_cli_usage_error   (const char *command, const char *message);
/* Text from files (headers, cells, zip entry and file names) reaches the
 * terminal through these: control characters, C1 controls, bidi
 * overrides and invalid UTF-8 are written as \xNN or \uNNNN, so that an
 * escape sequence in a header can't retitle or clear the terminal.  Line
 * feeds and tabs of the formats are kept. */
char    *pd_cli_escape        (const char *text);
void     pd_cli_printf        (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* Like pd_cli_fail, but bad input (PD_ERROR_INVALID, PD_ERROR_NOT_FOUND:
 * an unknown persona, a value that is not one) returns 2. */
int      pd_cli_fail_input    (const GError *error);
/* The persona named by exactly one of --id, --email, --phone (@region for
 * a phone without +): its id, or 0 with PD_ERROR_INVALID/NOT_FOUND. */
gint64   pd_cli_find_persona  (PdStore *store, gint64 id, const char *email,
                               const char *phone, const char *region, GError **error);
/* A positive ID as typed, or 0 with PD_ERROR_INVALID naming @what. */
gint64   pd_cli_parse_id      (const char *text, const char *what, GError **error);
/* The CLI's "who": the --user account once pd_cli_open_store() signed
 * it in; else the Owner by OS user, or, when staff accounts are on,
 * nobody (PD_ROLE_NOBODY: every write is refused, and pd_cli_fail() says
 * to give --user). */
PdActor  pd_cli_actor         (void);
const PdActor *pd_cli_who     (void);
/* A password: the variable @env_name, else asked on the terminal with
 * echo off (@prompt); PD_ERROR_PERMISSION when neither can be had. */
char    *pd_cli_read_secret   (const char *env_name, const char *prompt, GError **error);
/* Prints a JSON node, pretty, with a newline. */
struct _JsonNode;
void     pd_cli_print_json    (struct _JsonNode *node);
/* Opens the context's store, creating the database when needed. */
PdStore *pd_cli_open_store    (PdCliContext *ctx, GError **error);

/* The options that say how to read and map a file, shared by analyze and
 * import so that both accept the same ones with the same help:
 * --map, --ignore-column, --skip-rows, --sheet, --region, --date-format,
 * --tag-delimiter, --strict and the hidden --threads. */
typedef struct {
  char **map;
  char **ignore;
  char  *sheet;
  char  *region;
  char  *date_format;
  char  *tag_delimiter;
  gint   skip_rows;
  gint   threads;
  gboolean strict;
  gboolean no_header;
} PdCliSourceArgs;

/* Adds the options to CONTEXT's main group, ahead of the command's own
 * (call it before g_option_context_add_main_entries). ARGS receives the
 * values and must outlive the parse. */
void     pd_cli_source_args_add_entries (PdCliSourceArgs *args,
                                         GOptionContext  *context);
/* Fills OPTIONS from ARGS (borrowed strings: ARGS must outlive OPTIONS).
 * Returns FALSE, leaving OPTIONS untouched, when --skip-rows or --threads
 * is negative; the command says so in its own words. */
gboolean pd_cli_source_args_to_options  (const PdCliSourceArgs *args,
                                         PdSourceOptions       *options);
void     pd_cli_source_args_clear       (PdCliSourceArgs *args);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PdCliSourceArgs, pd_cli_source_args_clear)

/* One function per command, each in its own pd-cli-<command>.c */
int pd_cli_headers  (PdCliContext *ctx, int argc, char **argv);
int pd_cli_template (PdCliContext *ctx, int argc, char **argv);
int pd_cli_analyze  (PdCliContext *ctx, int argc, char **argv);
int pd_cli_import   (PdCliContext *ctx, int argc, char **argv);
int pd_cli_show     (PdCliContext *ctx, int argc, char **argv);
int pd_cli_export   (PdCliContext *ctx, int argc, char **argv);
int pd_cli_history  (PdCliContext *ctx, int argc, char **argv);
int pd_cli_undo     (PdCliContext *ctx, int argc, char **argv);
int pd_cli_points   (PdCliContext *ctx, int argc, char **argv);
int pd_cli_optin    (PdCliContext *ctx, int argc, char **argv);
int pd_cli_outbox   (PdCliContext *ctx, int argc, char **argv);
int pd_cli_loyalty_status (PdCliContext *ctx, int argc, char **argv);
int pd_cli_merge    (PdCliContext *ctx, int argc, char **argv);
int pd_cli_unmerge  (PdCliContext *ctx, int argc, char **argv);
int pd_cli_config   (PdCliContext *ctx, int argc, char **argv);
int pd_cli_override (PdCliContext *ctx, int argc, char **argv);
int pd_cli_attributes (PdCliContext *ctx, int argc, char **argv);
int pd_cli_source_id (PdCliContext *ctx, int argc, char **argv);
int pd_cli_migrate  (PdCliContext *ctx, int argc, char **argv);
int pd_cli_accounts (PdCliContext *ctx, int argc, char **argv);
int pd_cli_audit    (PdCliContext *ctx, int argc, char **argv);
int pd_cli_blocklist (PdCliContext *ctx, int argc, char **argv);
int pd_cli_forget   (PdCliContext *ctx, int argc, char **argv);
int pd_cli_bulk     (PdCliContext *ctx, int argc, char **argv);
int pd_cli_orders   (PdCliContext *ctx, int argc, char **argv);
int pd_cli_predict  (PdCliContext *ctx, int argc, char **argv);
int pd_cli_token    (PdCliContext *ctx, int argc, char **argv);
int pd_cli_serve    (PdCliContext *ctx, int argc, char **argv);

G_END_DECLS
