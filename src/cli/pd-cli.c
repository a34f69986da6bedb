/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sodium.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pd-cli.h"
#include "pd-email.h"
#include "pd-error.h"
#include "pd-phone.h"
#include "pd-sqlite-store.h"
#include "pd-store-staff.h"

static void hint_user (const GError *error);

static gboolean
is_unsafe (gunichar c)
{
  return (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f) ||
         (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
         c == 0x2028 || c == 0x2029;
}

char *
pd_cli_escape (const char *text)
{
  GString *out = g_string_new (NULL);
  const char *p = text != NULL ? text : "";

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", (guchar) *p);
          p++;
          continue;
        }
      if (is_unsafe (c))
        {
          if (c < 0x80)
            g_string_append_printf (out, "\\x%02x", c);
          else
            g_string_append_printf (out, "\\u%04x", c);
        }
      else
        {
          g_string_append_unichar (out, c);
        }
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

void
pd_cli_printf (const char *format,
               ...)
{
  g_autofree char *text = NULL;
  g_autofree char *safe = NULL;
  va_list ap;

  va_start (ap, format);
  text = g_strdup_vprintf (format, ap);
  va_end (ap);
  safe = pd_cli_escape (text);
  fputs (safe, stdout);
}

int
pd_cli_fail (const GError *error)
{
  g_autofree char *safe = pd_cli_escape (error->message);

  g_printerr ("persona-desk-cli: %s\n", safe);
  hint_user (error);
  if (g_error_matches (error, PD_ERROR, PD_ERROR_NO_HEADER))
    g_printerr ("  %s\n", _("To read the first row as a customer and map the columns by what "
                            "they hold: --no-header"));
  return 1;
}

int
pd_cli_fail_input (const GError *error)
{
  g_autofree char *safe = pd_cli_escape (error->message);

  g_printerr ("persona-desk-cli: %s\n", safe);
  hint_user (error);
  if (error->domain == PD_ERROR && (error->code == PD_ERROR_INVALID || error->code == PD_ERROR_NOT_FOUND))
    return 2;
  return 1;
}

gint64
pd_cli_parse_id (const char  *text,
                 const char  *what,
                 GError     **error)
{
  char *end = NULL;
  gint64 id = g_ascii_strtoll (text, &end, 10);

  if (end == text || *end != '\0' || id <= 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("%s “%s” is not a positive whole number"), what, text);
      return 0;
    }
  return id;
}

gint64
pd_cli_find_persona (PdStore     *store,
                     gint64       id,
                     const char  *email,
                     const char  *phone,
                     const char  *region,
                     GError     **error)
{
  g_autofree char *normalized = NULL;
  g_autofree char *what = NULL;
  g_autoptr(PdPersona) persona = NULL;
  gint64 found;

  if ((id != 0) + (email != NULL) + (phone != NULL) != 1)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("give one of --id, --email or --phone"));
      return 0;
    }
  if (id != 0)
    {
      if (id < 0)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_INVALID, _("No persona with ID %" PRId64), id);
          return 0;
        }
      persona = pd_store_get_persona (store, id, error);
      return persona != NULL ? id : 0;
    }
  if (email != NULL)
    {
      normalized = pd_email_normalize (email, error);
      if (normalized == NULL)
        return 0;
      found = pd_store_find_persona (store, PD_FIELD_EMAIL, normalized, error);
    }
  else
    {
      normalized = pd_phone_normalize (phone, region, error);
      if (normalized == NULL)
        return 0;
      found = pd_store_find_persona (store, PD_FIELD_PHONE, normalized, error);
    }
  if (found == 0 && (error == NULL || *error == NULL))
    g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No persona with %s %s"),
                 email != NULL ? _("email") : _("phone"), normalized);
  return found;
}

/* Who runs this process's command, set by pd_cli_open_store(). */
static struct {
  gboolean  set;
  gboolean  need_user;   /* staff accounts are on, no --user */
  char     *name;
  PdActor   actor;
} cli_who;

const PdActor *
pd_cli_who (void)
{
  if (!cli_who.set)
    {
      cli_who.actor = (PdActor) { PD_SOURCE_MANUAL, g_get_user_name (), PD_ROLE_OWNER };
      cli_who.set = TRUE;
    }
  return &cli_who.actor;
}

PdActor
pd_cli_actor (void)
{
  return *pd_cli_who ();
}

/* Never from a pipe: a script says it in the variable, not by accident
 * in its input. */
char *
pd_cli_read_secret (const char  *env_name,
                    const char  *prompt,
                    GError     **error)
{
  const char *env = g_getenv (env_name);
  struct termios old, quiet;
  gboolean echo_off;
  char *line = NULL;
  size_t size = 0;
  ssize_t n;
  FILE *tty;
  int fd;

  if (env != NULL)
    return g_strdup (env);
  if (!isatty (STDIN_FILENO) || (fd = open ("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)) < 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_PERMISSION,
                   _("No terminal to ask on: set %s"), env_name);
      return NULL;
    }
  tty = fdopen (fd, "r+");
  if (tty == NULL)
    {
      close (fd);
      g_set_error_literal (error, PD_ERROR, PD_ERROR_FAILED, g_strerror (errno));
      return NULL;
    }
  fputs (prompt, tty);
  fflush (tty);
  echo_off = tcgetattr (fd, &old) == 0;
  if (echo_off)
    {
      quiet = old;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (fd, TCSAFLUSH, &quiet);
    }
  n = getline (&line, &size, tty);
  if (echo_off)
    tcsetattr (fd, TCSAFLUSH, &old);
  fputc ('\n', tty);
  fclose (tty);
  if (n < 0)
    {
      free (line);
      g_set_error_literal (error, PD_ERROR, PD_ERROR_PERMISSION, _("No password given"));
      return NULL;
    }
  line[strcspn (line, "\r\n")] = '\0';
  {
    char *password = g_strdup (line);

    sodium_memzero (line, size);
    free (line);
    return password;
  }
}

/* Signs --user in, or notes that staff accounts want one. */
static gboolean
sign_in (PdCliContext  *ctx,
         PdStore       *store,
         GError       **error)
{
  g_autoptr(PdAccount) account = NULL;
  PdStaffSettings settings;
  char *password;

  if (ctx->user == NULL)
    {
      if (!pd_store_get_staff_settings (store, &settings, error))
        return FALSE;
      cli_who.need_user = settings.enabled;
      cli_who.actor = (PdActor) { PD_SOURCE_MANUAL, g_get_user_name (),
                                  settings.enabled ? PD_ROLE_NOBODY : PD_ROLE_OWNER };
      cli_who.set = TRUE;
      return TRUE;
    }
  {
    g_autofree char *prompt = g_strdup_printf (_("Password for %s: "), ctx->user);

    password = pd_cli_read_secret ("PERSONA_DESK_PASSWORD", prompt, error);
  }
  if (password == NULL)
    return FALSE;
  account = pd_store_verify_account (store, ctx->user, password, error);
  sodium_memzero (password, strlen (password));
  g_free (password);
  if (account == NULL)
    return FALSE;
  g_free (cli_who.name);
  cli_who.name = g_strdup (account->name);
  cli_who.actor = pd_account_to_actor (account, PD_SOURCE_MANUAL);
  cli_who.actor.who = cli_who.name;
  cli_who.need_user = FALSE;
  cli_who.set = TRUE;
  return TRUE;
}

static void
hint_user (const GError *error)
{
  if (cli_who.need_user && g_error_matches (error, PD_ERROR, PD_ERROR_PERMISSION))
    g_printerr ("%s\n", _("persona-desk-cli: staff accounts are on: run it as persona-desk-cli --user NAME …"));
}

void
pd_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (gen, node);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  printf ("%s\n", text);
}

int
pd_cli_usage_error (const char *command,
                    const char *message)
{
  g_autofree char *safe = pd_cli_escape (message);

  g_printerr ("persona-desk-cli %s: %s\n", command, safe);
  return 2;
}

/**
 * pd_cli_open_store:
 *
 * Returns: (transfer full) (nullable): the store at --db (a SQLite file,
 *   or a postgresql:// URI), or the app's default database (created when
 *   missing)
 */
PdStore *
pd_cli_open_store (PdCliContext  *ctx,
                   GError       **error)
{
  g_autofree char *path = NULL;

  g_autoptr(PdStore) store = NULL;

  path = ctx->db_path != NULL ? g_strdup (ctx->db_path) : pd_store_dup_default_path ();
  store = pd_store_open (path, error);
  if (store == NULL || !sign_in (ctx, store, error))
    return NULL;
  return g_steal_pointer (&store);
}

void
pd_cli_source_args_add_entries (PdCliSourceArgs *args,
                                GOptionContext  *context)
{
  /* GLib copies the entries: a local array is enough. */
  const GOptionEntry entries[] = {
    { "map", 0, 0, G_OPTION_ARG_STRING_ARRAY, &args->map,
      N_("Map a column to a field (field key, attribute:NAME, or empty to leave it out); repeatable"),
      N_("HEADER=FIELD") },
    { "ignore-column", 0, 0, G_OPTION_ARG_STRING_ARRAY, &args->ignore,
      N_("Leave a column out; repeatable"), N_("HEADER") },
    { "skip-rows", 0, 0, G_OPTION_ARG_INT, &args->skip_rows,
      N_("Skip the first N rows (a title block above the header)"), N_("N") },
    { "sheet", 0, 0, G_OPTION_ARG_STRING, &args->sheet,
      N_("The sheet to read in a workbook"), N_("NAME") },
    { "region", 0, 0, G_OPTION_ARG_STRING, &args->region,
      N_("Country of phone numbers written without +, e.g. US, GB (default US)"), N_("CC") },
    { "date-format", 0, 0, G_OPTION_ARG_STRING, &args->date_format,
      N_("Format of the date columns, e.g. DD/MM/YYYY (default: detected)"), N_("FMT") },
    { "tag-delimiter", 0, 0, G_OPTION_ARG_STRING, &args->tag_delimiter,
      N_("Separator between tags in a cell (default ,)"), N_("C") },
    { "strict", 0, 0, G_OPTION_ARG_NONE, &args->strict,
      N_("Fail a row on any value that can't be read (default: leave the value out with a "
         "warning and keep the customer)"), NULL },
    { "no-header", 0, 0, G_OPTION_ARG_NONE, &args->no_header,
      N_("The first row is a customer, not column names: map the columns by what they hold "
         "(name them by letter in --map, e.g. C=email)"), NULL },
    { "threads", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &args->threads,
      N_("Normalizer threads (default: from the CPU count)"), N_("N") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

gboolean
pd_cli_source_args_to_options (const PdCliSourceArgs *args,
                               PdSourceOptions       *options)
{
  if (args->skip_rows < 0 || args->threads < 0)
    return FALSE;

  options->skip_rows = args->skip_rows;
  options->sheet = args->sheet;
  options->default_region = args->region;
  options->date_format = args->date_format;
  options->tag_delimiter = args->tag_delimiter;
  options->map = (const char * const *) args->map;
  options->ignore = (const char * const *) args->ignore;
  options->n_threads = args->threads;
  options->strict = args->strict;
  options->no_header = args->no_header;
  return TRUE;
}

void
pd_cli_source_args_clear (PdCliSourceArgs *args)
{
  g_clear_pointer (&args->map, g_strfreev);
  g_clear_pointer (&args->ignore, g_strfreev);
  g_clear_pointer (&args->sheet, g_free);
  g_clear_pointer (&args->region, g_free);
  g_clear_pointer (&args->date_format, g_free);
  g_clear_pointer (&args->tag_delimiter, g_free);
}
