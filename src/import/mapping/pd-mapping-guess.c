/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How PdMapping reads headers: folded, looked up among the fields' keys,
 * labels and synonyms (or read as a custom attribute), and the
 * auto-mapper that gives each field its best column.  The object:
 * pd-mapping.c. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-email.h"
#include "pd-error.h"
#include "pd-mapping-private.h"

/* How good a header match is: an exact key or label beats a synonym, which
 * beats a synonym found only after dropping a trailing number ("Phone 2"). */
enum {
  MATCH_NAME,
  MATCH_SYNONYM,
  MATCH_NUMBERED,
  MATCH_NONE,
};

/* Separators and case carry no meaning in headers: "E-mail Address",
 * "email_address" and "emailAddress" all fold to "emailaddress" (a camelCase
 * boundary vanishes with the separators).  Accents are transliterated, so
 * "Prénom" is "prenom"; scripts without a transliteration fold to nothing
 * and are never auto-mapped. */
char *
pd_mapping_fold_header (const char *header)
{
  g_autofree char *ascii = NULL;
  const char *p;
  GString *out;

  g_return_val_if_fail (header != NULL, NULL);

  for (p = header; *p; p++)
    if ((guchar) *p >= 0x80)
      break;
  if (*p != '\0')
    header = ascii = g_str_to_ascii (header, "C");

  out = g_string_sized_new (strlen (header));
  for (p = header; *p; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, g_ascii_tolower (*p));

  return g_string_free (out, FALSE);
}

typedef struct {
  GHashTable *names;   /* folded name → GINT_TO_POINTER (field + 1 | match << 8) */
} NameTable;

static void
add_name (GHashTable *names,
          const char *name,
          PdFieldId   field,
          int         match)
{
  char *folded = pd_mapping_fold_header (name);
  gpointer old;

  /* The first (best) claim on a folded name stays. */
  if (*folded == '\0' || g_hash_table_lookup_extended (names, folded, NULL, &old))
    {
      g_free (folded);
      return;
    }
  g_hash_table_insert (names, folded, GINT_TO_POINTER ((field + 1) | (match << 8)));
}

static gpointer
build_name_table (gpointer data)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint pass = MATCH_NAME; pass <= MATCH_SYNONYM; pass++)
    for (PdFieldId id = 0; id < PD_FIELD_N_BUILTIN; id++)
      {
        const PdFieldInfo *info = pd_field_get_info (id);

        if (pass == MATCH_NAME)
          {
            add_name (names, info->key, id, MATCH_NAME);
            add_name (names, info->label, id, MATCH_NAME);
            /* The template writes translated labels: read them back. */
            add_name (names, _(info->label), id, MATCH_NAME);
          }
        else
          for (guint i = 0; info->synonyms != NULL && info->synonyms[i] != NULL; i++)
            add_name (names, info->synonyms[i], id, MATCH_SYNONYM);
      }

  return names;
}

static GHashTable *
get_name_table (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, build_name_table, NULL);
}

static gboolean
is_attribute_separator (char c)
{
  return c == ':' || c == ' ' || c == '_' || c == '-' || c == '.' || c == '\t';
}

/* "attribute:veteran", "Attribute: Veteran", "Custom: Veteran" and
 * "custom attribute veteran" name a custom attribute; the name keeps the
 * case it is written in.  The prefix must be followed by a separator, so
 * "Customer Type" is not "Custom" + "er Type". */
static char *
match_attribute_header (const char *header)
{
  static const char * const prefixes[] = {
    "custom attribute", "custom field", "custom", "attribute", "attr", NULL
  };

  while (g_ascii_isspace (*header))
    header++;

  for (guint i = 0; prefixes[i] != NULL; i++)
    {
      gsize len = strlen (prefixes[i]);
      const char *name = header + len;
      const char *end;

      if (g_ascii_strncasecmp (header, prefixes[i], len) != 0 ||
          !is_attribute_separator (*name))
        continue;
      while (is_attribute_separator (*name))
        name++;
      end = name + strlen (name);
      while (end > name && g_ascii_isspace (end[-1]))
        end--;
      if (end > name)
        return g_strndup (name, end - name);
    }

  return NULL;
}

static PdFieldId
guess_field_full (const char  *header,
                  char       **attribute_name,
                  int         *match)
{
  GHashTable *names = get_name_table ();
  g_autofree char *folded = NULL;
  char *attribute;
  gpointer value;
  gsize len;

  *match = MATCH_NONE;
  if (attribute_name != NULL)
    *attribute_name = NULL;

  attribute = match_attribute_header (header);
  if (attribute != NULL)
    {
      *match = MATCH_NAME;
      if (attribute_name != NULL)
        *attribute_name = attribute;
      else
        g_free (attribute);
      return PD_FIELD_ATTRIBUTE;
    }

  folded = pd_mapping_fold_header (header);
  value = g_hash_table_lookup (names, folded);
  if (value == NULL)
    {
      /* "Phone 1", "Email2": numbered copies of a known header. */
      len = strlen (folded);
      while (len > 0 && g_ascii_isdigit (folded[len - 1]))
        len--;
      if (len == strlen (folded) || len == 0)
        return PD_FIELD_NONE;
      folded[len] = '\0';
      value = g_hash_table_lookup (names, folded);
      if (value == NULL)
        return PD_FIELD_NONE;
      *match = MATCH_NUMBERED;
      return (GPOINTER_TO_INT (value) & 0xff) - 1;
    }

  *match = GPOINTER_TO_INT (value) >> 8;
  return (GPOINTER_TO_INT (value) & 0xff) - 1;
}

/**
 * pd_mapping_guess_field:
 * @header: a column header as written in a file
 * @attribute_name: (out) (optional) (transfer full): the custom attribute's
 *   name when the result is PD_FIELD_ATTRIBUTE
 *
 * Returns: the field the auto-mapper would choose, or PD_FIELD_NONE
 */
PdFieldId
pd_mapping_guess_field (const char  *header,
                        char       **attribute_name)
{
  int match;

  return guess_field_full (header, attribute_name, &match);
}

typedef struct {
  guint     column;
  PdFieldId field;
  int       match;
  char     *attribute;
} Guess;

static int
compare_guesses (gconstpointer a,
                 gconstpointer b)
{
  const Guess *ga = a, *gb = b;

  if (ga->match != gb->match)
    return ga->match - gb->match;
  return (int) ga->column - (int) gb->column;
}

/* One column per field that holds one value: when several headers could
 * feed it, the best match wins, then the leftmost; the others stay
 * unmapped (shown as such), so that auto-mapping alone never makes a
 * mapping invalid.  A field that holds several (email, phone, tags) takes
 * every column that looks like it: "Phone 1" and "Phone 2" both. */
void
_pd_mapping_auto_map (PdMapping *self)
{
  g_autoptr(GArray) guesses = g_array_new (FALSE, TRUE, sizeof (Guess));
  gboolean taken[PD_FIELD_N_BUILTIN] = { FALSE, };
  g_autoptr(GPtrArray) attributes = g_ptr_array_new ();

  for (guint i = 0; i < self->columns->len; i++)
    {
      Guess guess = { i, PD_FIELD_NONE, MATCH_NONE, NULL };

      guess.field = guess_field_full (get_column (self, i)->header, &guess.attribute, &guess.match);
      if (guess.field != PD_FIELD_NONE)
        g_array_append_val (guesses, guess);
    }

  g_array_sort (guesses, compare_guesses);

  for (guint i = 0; i < guesses->len; i++)
    {
      Guess *guess = &g_array_index (guesses, Guess, i);
      Column *column = get_column (self, guess->column);

      if (guess->field == PD_FIELD_ATTRIBUTE)
        {
          gboolean seen = FALSE;

          for (guint a = 0; a < attributes->len && !seen; a++)
            seen = g_ascii_strcasecmp (g_ptr_array_index (attributes, a), guess->attribute) == 0;
          if (!seen)
            {
              column->field = PD_FIELD_ATTRIBUTE;
              column->attribute = g_steal_pointer (&guess->attribute);
              column->automatic = TRUE;
              g_ptr_array_add (attributes, column->attribute);
            }
        }
      else if (!taken[guess->field])
        {
          taken[guess->field] = !pd_field_get_info (guess->field)->multi;
          column->field = guess->field;
          column->automatic = TRUE;
        }
      g_free (guess->attribute);
    }
}

/* Whether @text looks like a phone number as people write it: digits,
 * seven at least, and nothing but + - ( ) . and spaces between them.
 * Loose on purpose: it only explains a refusal. */
gboolean
_pd_mapping_looks_like_phone (const char *text)
{
  guint digits = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (strchr ("+-(). ", *p) == NULL)
        return FALSE;
    }
  return digits >= 7;
}

/**
 * pd_mapping_explain_refusal:
 * @header: the row taken for the column names
 * @error: (inout): pd_mapping_validate()'s refusal
 *
 * A file whose first row is a customer rather than column names maps no
 * identifier.  When @error is that refusal (PD_ERROR_NO_IDENTIFIER) and
 * @header holds an email address or a phone number, replaces it with
 * PD_ERROR_NO_HEADER saying so: mapping its columns by hand would take the
 * first customer for column names.
 */
void
pd_mapping_explain_refusal (const PdRow  *header,
                            GError      **error)
{
  if (header == NULL || error == NULL || !g_error_matches (*error, PD_ERROR, PD_ERROR_NO_IDENTIFIER))
    return;
  for (guint i = 0; i < header->n_cells; i++)
    {
      const char *cell = header->cells[i];
      g_autofree char *email = NULL;
      const char *format;

      if (cell == NULL || *cell == '\0')
        continue;
      if (strchr (cell, '@') != NULL && (email = pd_email_normalize (cell, NULL)) != NULL)
        /* TRANSLATORS: %s is a cell of the file's first row */
        format = _("The first row holds “%s”, an email address, not a column name: the file has no "
                   "row of column names above its first customer.");
      else if (_pd_mapping_looks_like_phone (cell))
        /* TRANSLATORS: %s is a cell of the file's first row */
        format = _("The first row holds “%s”, a phone number, not a column name: the file has no "
                   "row of column names above its first customer.");
      else
        continue;
      g_clear_error (error);
      g_set_error (error, PD_ERROR, PD_ERROR_NO_HEADER, format, cell);
      return;
    }
}
