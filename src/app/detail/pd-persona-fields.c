/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-persona-fields.h"

void
pd_persona_fields_set_text (AdwEntryRow *row,
                            const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

char *
pd_persona_fields_dup_text (AdwEntryRow *row)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

  g_strstrip (text);
  if (text[0] == '\0')
    return NULL;
  return g_steal_pointer (&text);
}

void
pd_persona_fields_set_editing (AdwEntryRow *row,
                               gboolean     editing)
{
  gtk_editable_set_editable (GTK_EDITABLE (row), editing);
  gtk_widget_set_visible (GTK_WIDGET (row),
                          editing || gtk_editable_get_text (GTK_EDITABLE (row))[0] != '\0');
}

void
pd_persona_fields_set_value (PdPersona   *persona,
                             PdFieldId    field,
                             AdwEntryRow *row)
{
  g_autofree char *text = pd_persona_fields_dup_text (row);

  if (g_strcmp0 (text, pd_persona_get_value (persona, field)) != 0)
    pd_persona_set_value (persona, field, text);
}

char *
pd_persona_fields_join (GPtrArray *values)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; values != NULL && i < values->len; i++)
    {
      if (i > 0)
        g_string_append (s, ", ");
      g_string_append (s, g_ptr_array_index (values, i));
    }
  return g_string_free (s, FALSE);
}

GStrv
pd_persona_fields_split (const char *text,
                         const char *separators)
{
  g_auto(GStrv) parts = g_strsplit_set (text ? text : "", separators, -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

/* Tags hold any character, an import's name with its comma too ("Spring
 * customers.csv, 2026-12-06 01:37"): shown as typed lists are, a tag with
 * a comma or a double quote in double quotes, a quote in it doubled, as a
 * CSV cell is, so that saving the shown text gives the same tags back. */
char *
pd_persona_fields_join_quoted (GPtrArray *values)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; values != NULL && i < values->len; i++)
    {
      const char *value = g_ptr_array_index (values, i);

      if (i > 0)
        g_string_append (s, ", ");
      if (strpbrk (value, ",\"") == NULL && value[0] != ' ' && (value[0] == '\0' || value[strlen (value) - 1] != ' '))
        {
          g_string_append (s, value);
          continue;
        }
      g_string_append_c (s, '"');
      for (const char *c = value; *c != '\0'; c++)
        {
          if (*c == '"')
            g_string_append_c (s, '"');
          g_string_append_c (s, *c);
        }
      g_string_append_c (s, '"');
    }
  return g_string_free (s, FALSE);
}

GStrv
pd_persona_fields_split_quoted (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GString) item = g_string_new (NULL);
  gboolean quoted = FALSE;   /* inside "…" */
  gboolean was_quoted = FALSE;

  for (const char *c = text ? text : ""; ; c++)
    {
      if (quoted)
        {
          if (*c == '\0')
            quoted = FALSE;   /* an unclosed quote ends with the text */
          else if (*c == '"' && c[1] == '"')
            {
              g_string_append_c (item, '"');
              c++;
              continue;
            }
          else if (*c == '"')
            {
              quoted = FALSE;
              continue;
            }
          else
            {
              g_string_append_c (item, *c);
              continue;
            }
        }
      if (*c == '"' && strspn (item->str, " \t") == item->len)
        {
          /* an opening quote, spaces before it dropped */
          g_string_truncate (item, 0);
          quoted = was_quoted = TRUE;
          continue;
        }
      if (*c == ',' || *c == '\0')
        {
          /* A quoted tag keeps its spaces; a typed one is trimmed. */
          char *value = was_quoted ? item->str : g_strstrip (item->str);

          if (value[0] != '\0')
            g_strv_builder_add (builder, value);
          g_string_truncate (item, 0);
          was_quoted = FALSE;
          if (*c == '\0')
            break;
          continue;
        }
      if (was_quoted && *c == ' ')
        continue;   /* spaces after the closing quote */
      g_string_append_c (item, *c);
    }
  return g_strv_builder_end (builder);
}

void
pd_persona_fields_remove_all (PdPersona  *persona,
                              GPtrArray  *current,
                              gboolean  (*remove) (PdPersona  *persona,
                                                   const char *value))
{
  /* A copy: removing changes @current under the loop. */
  g_autoptr(GPtrArray) old = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < current->len; i++)
    g_ptr_array_add (old, g_strdup (g_ptr_array_index (current, i)));
  for (guint i = 0; i < old->len; i++)
    remove (persona, g_ptr_array_index (old, i));
}

const char *
pd_persona_fields_source_label (PdSource source)
{
  switch (source)
    {
    case PD_SOURCE_IMPORT:      return _("from an import");
    case PD_SOURCE_MANUAL:      return _("entered by staff");
    case PD_SOURCE_API:         return _("from the POS / API");
    case PD_SOURCE_SIGNUP_FORM: return _("from a signup form");
    case PD_SOURCE_WALLET:      return _("from the wallet pass");
    case PD_SOURCE_PURCHASE:    return _("from a purchase");
    case PD_SOURCE_UNDO:        return _("undo of an import");
    case PD_SOURCE_NONE:
    default:                    return "";
    }
}
