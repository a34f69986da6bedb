/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli export [--out FILE] [--format csv|json]: every visible
 * persona (not archived, blocklisted or merged away), by ID, page by page
 * so that memory stays flat on a million personas. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "pd-cli.h"
#include "pd-report-writer.h"

#define PAGE 2000

/* Single-value columns of the CSV, in order, after id/first/last/emails/phones. */
static const PdFieldId csv_fields[] = {
  PD_FIELD_EXTERNAL_ID, PD_FIELD_CITY, PD_FIELD_BIRTH_DATE, PD_FIELD_POINTS, PD_FIELD_LOYALTY,
  PD_FIELD_EMAIL_OPT_IN, PD_FIELD_SMS_OPT_IN, PD_FIELD_SMS_OPT_OUT, PD_FIELD_CUSTOMER_TYPE,
  PD_FIELD_PERSON_TYPE, PD_FIELD_SIGNUP_DATE, PD_FIELD_FAVORITE_STORE,
  PD_FIELD_FACEBOOK, PD_FIELD_WHATSAPP, PD_FIELD_INSTAGRAM, PD_FIELD_TELEGRAM, PD_FIELD_VIBER,
  PD_FIELD_LINKEDIN, PD_FIELD_TWITTER, PD_FIELD_YOUTUBE, PD_FIELD_WEB,
};

static const char * const csv_names[] = {
  "external_id", "city", "birth_date", "points", "loyalty", "email_opt_in", "sms_opt_in",
  "sms_opt_out", "customer_type", "person_type", "signup_date", "favorite_store",
  "facebook", "whatsapp", "instagram", "telegram", "viber", "linkedin", "twitter", "youtube", "web",
};

static char *
join (GPtrArray *values)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < values->len; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      g_string_append (s, g_ptr_array_index (values, i));
    }
  return g_string_free (s, FALSE);
}

static char *
attributes_json (PdPersona *persona)
{
  g_autoptr(JsonNode) node = pd_persona_to_json (persona);
  JsonNode *attributes = json_object_get_member (json_node_get_object (node), "attributes");

  if (json_object_get_size (json_node_get_object (attributes)) == 0)
    return g_strdup ("");
  return json_to_string (attributes, FALSE);
}

static void
append_csv (GString   *out,
            PdPersona *persona)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  const char *pointers[64];

  g_ptr_array_add (cells, g_strdup_printf ("%" G_GINT64_FORMAT, pd_persona_get_id (persona)));
  g_ptr_array_add (cells, g_strdup (pd_persona_get_value (persona, PD_FIELD_FIRST_NAME)));
  g_ptr_array_add (cells, g_strdup (pd_persona_get_value (persona, PD_FIELD_LAST_NAME)));
  g_ptr_array_add (cells, join (pd_persona_get_emails (persona)));
  g_ptr_array_add (cells, join (pd_persona_get_phones (persona)));
  for (guint i = 0; i < G_N_ELEMENTS (csv_fields); i++)
    g_ptr_array_add (cells, g_strdup (pd_persona_get_value (persona, csv_fields[i])));
  g_ptr_array_add (cells, join (pd_persona_get_tags (persona)));
  g_ptr_array_add (cells, attributes_json (persona));
  for (guint i = 0; i < cells->len; i++)
    pointers[i] = g_ptr_array_index (cells, i);
  pd_csv_append_record (out, pointers, cells->len);
}

int
pd_cli_export (PdCliContext *ctx,
               int           argc,
               char        **argv)
{
  g_autofree char *out_path = NULL;
  g_autofree char *format = NULL;
  g_autofree char *search = NULL;
  const GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_path, N_("Write to FILE instead of the standard output"),
      N_("FILE") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("csv (default) or json"), N_("FORMAT") },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search,
      N_("Only the personas the list's search finds: name, email, phone, external ID, order number"), N_("Q") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  PdPersonaQuery query = { .view = PD_PERSONA_VIEW_ACTIVE, .sort = PD_PERSONA_SORT_ID };
  gboolean json;
  guint offset = 0;
  guint n = 0;
  FILE *f = stdout;

  g_option_context_set_summary (context, _("Export every visible persona."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("export", error->message);
  if (argc != 1)
    return pd_cli_usage_error ("export", _("unexpected argument"));
  /* the same search as the app's persona list (and the API's q) */
  query.search = search;
  if (format != NULL && !g_str_equal (format, "csv") && !g_str_equal (format, "json"))
    return pd_cli_usage_error ("export", _("--format must be csv or json"));
  json = format != NULL && g_str_equal (format, "json");

  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  if (out_path != NULL)
    {
      /* Customer data leaves the app readable by its owner only, like the
       * database; a pipe or a terminal named by --out keeps its mode. */
      int fd = g_open (out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
      struct stat st;

      if (fd >= 0 && fstat (fd, &st) == 0 && S_ISREG (st.st_mode))
        fchmod (fd, 0600);
      f = fd >= 0 ? fdopen (fd, "wb") : NULL;
      if (f == NULL)
        {
          int saved = errno;

          if (fd >= 0)
            close (fd);
          errno = saved;
          g_printerr (_("persona-desk-cli: cannot write %s: %s\n"), out_path, g_strerror (errno));
          return 1;
        }
    }

  if (json)
    g_string_append (out, "[");
  else
    {
      const char *head[64];
      guint h = 0;

      head[h++] = "id";
      head[h++] = "first_name";
      head[h++] = "last_name";
      head[h++] = "emails";
      head[h++] = "phones";
      for (guint i = 0; i < G_N_ELEMENTS (csv_names); i++)
        head[h++] = csv_names[i];
      head[h++] = "tags";
      head[h++] = "attributes";
      pd_csv_append_record (out, head, h);
    }

  for (;;)
    {
      g_autoptr(GPtrArray) page = pd_store_list_personas (store, &query, offset, PAGE, &error);

      if (page == NULL)
        {
          if (f != stdout)
            fclose (f);
          return pd_cli_fail (error);
        }
      for (guint i = 0; i < page->len; i++)
        {
          PdPersona *persona = g_ptr_array_index (page, i);

          if (json)
            {
              g_autoptr(JsonNode) node = pd_persona_to_json (persona);
              g_autofree char *text = json_to_string (node, FALSE);

              g_string_append_printf (out, "%s\n  %s", n > 0 ? "," : "", text);
            }
          else
            append_csv (out, persona);
          n++;
        }
      fwrite (out->str, 1, out->len, f);
      g_string_truncate (out, 0);
      if (page->len < PAGE)
        break;
      offset += page->len;
    }
  if (json)
    fputs (n > 0 ? "\n]\n" : "]\n", f);
  if (f != stdout && fclose (f) != 0)
    {
      g_printerr (_("persona-desk-cli: cannot write %s: %s\n"), out_path, g_strerror (errno));
      return 1;
    }
  return 0;
}
