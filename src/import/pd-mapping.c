/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdMapping: which field each column of a file feeds. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-error.h"
#include "pd-mapping.h"

#define MAPPING_JSON_VERSION 1

typedef struct {
  char      *header;
  PdFieldId  field;         /* PD_FIELD_NONE, a built-in, or PD_FIELD_ATTRIBUTE */
  char      *attribute;     /* PD_FIELD_ATTRIBUTE only: the name as written */
  gboolean   ignored;
  gboolean   automatic;     /* set by the auto-mapper, not by the user */
  char      *region;
  char      *date_format;
  char      *tag_delimiter;
} Column;

struct _PdMapping
{
  GObject    parent_instance;

  GArray    *columns;       /* of Column */
  char      *signature;
};

G_DEFINE_FINAL_TYPE (PdMapping, pd_mapping, G_TYPE_OBJECT)

/* How good a header match is: an exact key or label beats a synonym, which
 * beats a synonym found only after dropping a trailing number ("Phone 2"). */
enum {
  MATCH_NAME,
  MATCH_SYNONYM,
  MATCH_NUMBERED,
  MATCH_NONE,
};

static void
column_clear (gpointer data)
{
  Column *column = data;

  g_free (column->header);
  g_free (column->attribute);
  g_free (column->region);
  g_free (column->date_format);
  g_free (column->tag_delimiter);
}

static Column *
get_column (PdMapping *self,
            guint      column)
{
  g_return_val_if_fail (column < self->columns->len, NULL);
  return &g_array_index (self->columns, Column, column);
}

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

char *
pd_mapping_compute_signature (const char * const *headers,
                              guint               n_headers)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  /* Folded, so that a re-exported file with "E-mail" for "Email" still
   * finds its preset; the unit separator keeps ["ab", "c"] ≠ ["a", "bc"]. */
  for (guint i = 0; i < n_headers; i++)
    {
      g_autofree char *folded = pd_mapping_fold_header (headers[i] ? headers[i] : "");

      g_checksum_update (checksum, (const guchar *) folded, -1);
      g_checksum_update (checksum, (const guchar *) "\x1f", 1);
    }

  return g_strdup (g_checksum_get_string (checksum));
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

/* One column per field: when several headers could feed a field, the best
 * match wins, then the leftmost; the others stay unmapped (shown as such),
 * so that auto-mapping alone never makes a mapping invalid.  A file with
 * "Phone 1" and "Phone 2" gets "Phone 1" as its phone column. */
static void
auto_map (PdMapping *self)
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
          taken[guess->field] = TRUE;
          column->field = guess->field;
          column->automatic = TRUE;
        }
      g_free (guess->attribute);
    }
}

static void
pd_mapping_finalize (GObject *object)
{
  PdMapping *self = PD_MAPPING (object);

  g_clear_pointer (&self->columns, g_array_unref);
  g_clear_pointer (&self->signature, g_free);

  G_OBJECT_CLASS (pd_mapping_parent_class)->finalize (object);
}

static void
pd_mapping_class_init (PdMappingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_mapping_finalize;
}

static void
pd_mapping_init (PdMapping *self)
{
  self->columns = g_array_new (FALSE, TRUE, sizeof (Column));
  g_array_set_clear_func (self->columns, column_clear);
}

static PdMapping *
new_unmapped (const char * const *headers,
              guint               n_headers)
{
  PdMapping *self = g_object_new (PD_TYPE_MAPPING, NULL);

  for (guint i = 0; i < n_headers; i++)
    {
      Column column = { 0, };
      const char *header = headers[i] ? headers[i] : "";

      column.header = g_strstrip (g_strdup (header));
      column.field = PD_FIELD_NONE;
      g_array_append_val (self->columns, column);
    }
  self->signature = pd_mapping_compute_signature (headers, n_headers);

  return self;
}

/**
 * pd_mapping_new:
 * @headers: (array length=n_headers): the header row
 *
 * Returns: (transfer full): a mapping with every column auto-mapped where a
 *   header is recognised
 */
PdMapping *
pd_mapping_new (const char * const *headers,
                guint               n_headers)
{
  PdMapping *self = new_unmapped (headers, n_headers);

  auto_map (self);
  return self;
}

PdMapping *
pd_mapping_new_from_row (const PdRow *header_row)
{
  return pd_mapping_new ((const char * const *) header_row->cells, header_row->n_cells);
}

/**
 * pd_mapping_copy:
 *
 * Returns: (transfer full): an independent copy, e.g. to freeze the mapping
 *   a pipeline runs with while the user keeps editing
 */
PdMapping *
pd_mapping_copy (PdMapping *self)
{
  PdMapping *copy = g_object_new (PD_TYPE_MAPPING, NULL);

  g_return_val_if_fail (PD_IS_MAPPING (self), NULL);

  for (guint i = 0; i < self->columns->len; i++)
    {
      const Column *from = get_column (self, i);
      Column column = *from;

      column.header = g_strdup (from->header);
      column.attribute = g_strdup (from->attribute);
      column.region = g_strdup (from->region);
      column.date_format = g_strdup (from->date_format);
      column.tag_delimiter = g_strdup (from->tag_delimiter);
      g_array_append_val (copy->columns, column);
    }
  copy->signature = g_strdup (self->signature);

  return copy;
}

guint
pd_mapping_get_n_columns (PdMapping *self)
{
  g_return_val_if_fail (PD_IS_MAPPING (self), 0);
  return self->columns->len;
}

const char *
pd_mapping_get_header (PdMapping *self,
                       guint      column)
{
  g_return_val_if_fail (PD_IS_MAPPING (self), NULL);
  return get_column (self, column)->header;
}

/* Spreadsheet letters: 0 → A, 25 → Z, 26 → AA. */
static char *
column_letters (guint column)
{
  char buf[16];
  int pos = sizeof buf - 1;

  buf[pos] = '\0';
  column++;
  while (column > 0 && pos > 0)
    {
      column--;
      buf[--pos] = 'A' + column % 26;
      column /= 26;
    }
  return g_strdup (buf + pos);
}

/**
 * pd_mapping_dup_column_name:
 *
 * Returns: (transfer full): how messages name the column: its header, or
 *   for a column without a header its spreadsheet letter ("column C")
 */
char *
pd_mapping_dup_column_name (PdMapping *self,
                            guint      column)
{
  const Column *c;
  g_autofree char *letters = NULL;

  g_return_val_if_fail (PD_IS_MAPPING (self), NULL);

  c = get_column (self, column);
  if (c->header[0] != '\0')
    return g_strdup (c->header);

  letters = column_letters (column);
  /* TRANSLATORS: a column without a header, named by its spreadsheet letter */
  return g_strdup_printf (_("unnamed column %s"), letters);
}

/* The header as written first, then folded, so that --map 'email=phone'
 * finds a column headed "E-mail". */
int
pd_mapping_find_column (PdMapping  *self,
                        const char *header)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (PD_IS_MAPPING (self), -1);

  for (guint i = 0; i < self->columns->len; i++)
    if (g_str_equal (get_column (self, i)->header, header))
      return i;

  folded = pd_mapping_fold_header (header);
  if (*folded == '\0')
    return -1;
  for (guint i = 0; i < self->columns->len; i++)
    {
      g_autofree char *other = pd_mapping_fold_header (get_column (self, i)->header);

      if (g_str_equal (folded, other))
        return i;
    }
  return -1;
}

PdFieldId
pd_mapping_get_field (PdMapping *self,
                      guint      column)
{
  const Column *c;

  g_return_val_if_fail (PD_IS_MAPPING (self), PD_FIELD_NONE);

  c = get_column (self, column);
  return c->ignored ? PD_FIELD_NONE : c->field;
}

const char *
pd_mapping_get_attribute_name (PdMapping *self,
                               guint      column)
{
  const Column *c;

  g_return_val_if_fail (PD_IS_MAPPING (self), NULL);

  c = get_column (self, column);
  return c->ignored || c->field != PD_FIELD_ATTRIBUTE ? NULL : c->attribute;
}

/**
 * pd_mapping_dup_field_key:
 *
 * Returns: (transfer full) (nullable): "email", "attribute:Veteran", or
 *   %NULL for an unmapped or ignored column
 */
char *
pd_mapping_dup_field_key (PdMapping *self,
                          guint      column)
{
  PdFieldId field = pd_mapping_get_field (self, column);

  if (field == PD_FIELD_NONE)
    return NULL;
  if (field == PD_FIELD_ATTRIBUTE)
    return g_strconcat (PD_ATTRIBUTE_PREFIX, get_column (self, column)->attribute, NULL);
  return g_strdup (pd_field_get_info (field)->key);
}

gboolean
pd_mapping_is_automatic (PdMapping *self,
                         guint      column)
{
  g_return_val_if_fail (PD_IS_MAPPING (self), FALSE);
  return get_column (self, column)->automatic;
}

/**
 * pd_mapping_set_field:
 * @key: (nullable): a field key, "attribute:NAME", or %NULL to unmap
 *
 * A manual choice: it also un-ignores the column.  Mapping a second column
 * to a field is allowed here (the user may be halfway through swapping two
 * columns) and refused by pd_mapping_validate().
 *
 * Returns: %FALSE with PD_ERROR_MAPPING for an unknown key
 */
gboolean
pd_mapping_set_field (PdMapping   *self,
                      guint        column,
                      const char  *key,
                      GError     **error)
{
  const PdFieldInfo *info = NULL;
  Column *c;

  g_return_val_if_fail (PD_IS_MAPPING (self), FALSE);
  g_return_val_if_fail (column < self->columns->len, FALSE);

  c = get_column (self, column);

  if (key != NULL && pd_field_is_attribute_key (key))
    {
      g_autofree char *name = g_strdup (key + strlen (PD_ATTRIBUTE_PREFIX));

      g_clear_pointer (&c->attribute, g_free);
      c->attribute = g_strdup (g_strstrip (name));
      c->field = PD_FIELD_ATTRIBUTE;
    }
  else if (key != NULL && (info = pd_field_lookup (key)) != NULL)
    {
      g_clear_pointer (&c->attribute, g_free);
      c->field = info->id;
    }
  else if (key == NULL || *key == '\0')
    {
      g_clear_pointer (&c->attribute, g_free);
      c->field = PD_FIELD_NONE;
    }
  else
    {
      g_set_error (error, PD_ERROR, PD_ERROR_MAPPING,
                   _("“%s” is not a persona field; use one of the keys listed by "
                     "“persona-desk-cli headers” or attribute:NAME"), key);
      return FALSE;
    }

  c->automatic = FALSE;
  c->ignored = FALSE;
  return TRUE;
}

gboolean
pd_mapping_is_ignored (PdMapping *self,
                       guint      column)
{
  g_return_val_if_fail (PD_IS_MAPPING (self), FALSE);
  return get_column (self, column)->ignored;
}

/* The field choice is kept, so that un-ignoring restores it. */
void
pd_mapping_set_ignored (PdMapping *self,
                        guint      column,
                        gboolean   ignored)
{
  g_return_if_fail (PD_IS_MAPPING (self));
  g_return_if_fail (column < self->columns->len);
  get_column (self, column)->ignored = !!ignored;
}

/* Returns: the first column feeding @field, or -1 */
int
pd_mapping_get_column_for_field (PdMapping *self,
                                 PdFieldId  field)
{
  g_return_val_if_fail (PD_IS_MAPPING (self), -1);

  for (guint i = 0; i < self->columns->len; i++)
    if (pd_mapping_get_field (self, i) == field && field != PD_FIELD_ATTRIBUTE)
      return i;
  return -1;
}

/* Attribute names compare without case: "Veteran" and "veteran" are one. */
int
pd_mapping_get_column_for_attribute (PdMapping  *self,
                                     const char *name)
{
  g_return_val_if_fail (PD_IS_MAPPING (self), -1);

  for (guint i = 0; i < self->columns->len; i++)
    {
      const char *attribute = pd_mapping_get_attribute_name (self, i);

      if (attribute != NULL && g_ascii_strcasecmp (attribute, name) == 0)
        return i;
    }
  return -1;
}

static void
replace_string (char       **where,
                const char  *value)
{
  char *old = *where;

  *where = value != NULL && *value != '\0' ? g_strdup (value) : NULL;
  g_free (old);
}

const char *
pd_mapping_get_region (PdMapping *self,
                       guint      column)
{
  g_return_val_if_fail (PD_IS_MAPPING (self), NULL);
  return get_column (self, column)->region;
}

/* @region: an ISO 3166 code for phone numbers written without "+" */
void
pd_mapping_set_region (PdMapping  *self,
                       guint       column,
                       const char *region)
{
  g_autofree char *upper = region ? g_ascii_strup (region, -1) : NULL;

  g_return_if_fail (PD_IS_MAPPING (self));
  g_return_if_fail (column < self->columns->len);
  replace_string (&get_column (self, column)->region, upper);
}

const char *
pd_mapping_get_date_format (PdMapping *self,
                            guint      column)
{
  g_return_val_if_fail (PD_IS_MAPPING (self), NULL);
  return get_column (self, column)->date_format;
}

/* @format: as pd_value_date_order_from_format() reads it, e.g. "DD/MM/YYYY";
 * checked when the normalizer is built. */
void
pd_mapping_set_date_format (PdMapping  *self,
                            guint       column,
                            const char *format)
{
  g_return_if_fail (PD_IS_MAPPING (self));
  g_return_if_fail (column < self->columns->len);
  replace_string (&get_column (self, column)->date_format, format);
}

const char *
pd_mapping_get_tag_delimiter (PdMapping *self,
                              guint      column)
{
  g_return_val_if_fail (PD_IS_MAPPING (self), NULL);
  return get_column (self, column)->tag_delimiter;
}

void
pd_mapping_set_tag_delimiter (PdMapping  *self,
                              guint       column,
                              const char *delimiter)
{
  g_return_if_fail (PD_IS_MAPPING (self));
  g_return_if_fail (column < self->columns->len);
  replace_string (&get_column (self, column)->tag_delimiter, delimiter);
}

static char *
identifier_field_list (void)
{
  GString *names = g_string_new (NULL);

  for (PdFieldId id = 0; id < PD_FIELD_N_BUILTIN; id++)
    {
      const PdFieldInfo *info = pd_field_get_info (id);

      if (!info->identifier)
        continue;
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, _(info->label));
    }
  return g_string_free (names, FALSE);
}

/**
 * pd_mapping_validate:
 *
 * Refuses two columns on one field or one custom attribute
 * (PD_ERROR_MAPPING, naming both columns) and a mapping without any
 * identifier column (PD_ERROR_NO_IDENTIFIER, naming what is missing).
 */
gboolean
pd_mapping_validate (PdMapping  *self,
                     GError    **error)
{
  gboolean has_identifier = FALSE;

  g_return_val_if_fail (PD_IS_MAPPING (self), FALSE);

  for (guint i = 0; i < self->columns->len; i++)
    {
      PdFieldId field = pd_mapping_get_field (self, i);

      if (field == PD_FIELD_NONE)
        continue;

      for (guint j = 0; j < i; j++)
        {
          g_autofree char *first = NULL;
          g_autofree char *second = NULL;

          if (pd_mapping_get_field (self, j) != field)
            continue;
          if (field == PD_FIELD_ATTRIBUTE &&
              g_ascii_strcasecmp (get_column (self, i)->attribute,
                                  get_column (self, j)->attribute) != 0)
            continue;

          first = pd_mapping_dup_column_name (self, j);
          second = pd_mapping_dup_column_name (self, i);
          if (field == PD_FIELD_ATTRIBUTE)
            g_set_error (error, PD_ERROR, PD_ERROR_MAPPING,
                         _("Columns “%s” and “%s” are both mapped to the custom attribute “%s”; "
                           "map one of them to something else or ignore it"),
                         first, second, get_column (self, j)->attribute);
          else
            g_set_error (error, PD_ERROR, PD_ERROR_MAPPING,
                         _("Columns “%s” and “%s” are both mapped to %s; "
                           "map one of them to another field or ignore it"),
                         first, second, _(pd_field_get_info (field)->label));
          return FALSE;
        }

      if (field != PD_FIELD_ATTRIBUTE && pd_field_get_info (field)->identifier)
        has_identifier = TRUE;
    }

  if (!has_identifier)
    {
      g_autofree char *names = identifier_field_list ();

      g_set_error (error, PD_ERROR, PD_ERROR_NO_IDENTIFIER,
                   _("No column is mapped to an email, a phone, an external ID or a channel ID "
                     "(one of: %s), so no row could be matched to a persona; "
                     "map a column to one of them"), names);
      return FALSE;
    }

  return TRUE;
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * pd_mapping_to_json:
 *
 * {"version": 1, "signature": "…", "columns": [{"header", "field" (key or
 * null), "ignored", "automatic", "region", "date_format",
 * "tag_delimiter"}]}
 *
 * Returns: (transfer full): the mapping as a JSON object
 */
JsonNode *
pd_mapping_to_json (PdMapping *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (PD_IS_MAPPING (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, MAPPING_JSON_VERSION);
  json_builder_set_member_name (builder, "signature");
  json_builder_add_string_value (builder, self->signature);
  json_builder_set_member_name (builder, "columns");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->columns->len; i++)
    {
      const Column *c = get_column (self, i);
      g_autofree char *key = NULL;

      /* The field is kept even when ignored, as the object keeps it. */
      if (c->field == PD_FIELD_ATTRIBUTE)
        key = g_strconcat (PD_ATTRIBUTE_PREFIX, c->attribute, NULL);
      else if (c->field != PD_FIELD_NONE)
        key = g_strdup (pd_field_get_info (c->field)->key);

      json_builder_begin_object (builder);
      add_nullable_string (builder, "header", c->header);
      add_nullable_string (builder, "field", key);
      json_builder_set_member_name (builder, "ignored");
      json_builder_add_boolean_value (builder, c->ignored);
      json_builder_set_member_name (builder, "automatic");
      json_builder_add_boolean_value (builder, c->automatic);
      add_nullable_string (builder, "region", c->region);
      add_nullable_string (builder, "date_format", c->date_format);
      add_nullable_string (builder, "tag_delimiter", c->tag_delimiter);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static const char *
get_nullable_string (JsonObject *object,
                     const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/**
 * pd_mapping_new_from_json:
 * @node: what pd_mapping_to_json() gave
 *
 * Returns: (transfer full) (nullable): the mapping, or %NULL with
 *   PD_ERROR_MAPPING when @node is not a mapping this version understands
 */
PdMapping *
pd_mapping_new_from_json (JsonNode  *node,
                          GError   **error)
{
  g_autoptr(PdMapping) self = NULL;
  g_autoptr(GPtrArray) headers = g_ptr_array_new ();
  JsonObject *object;
  JsonArray *columns;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      (object = json_node_get_object (node)) == NULL ||
      json_object_get_int_member_with_default (object, "version", 0) != MAPPING_JSON_VERSION ||
      !json_object_has_member (object, "columns") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "columns")))
    goto invalid;

  columns = json_object_get_array_member (object, "columns");
  for (guint i = 0; i < json_array_get_length (columns); i++)
    {
      JsonNode *element = json_array_get_element (columns, i);
      const char *header;

      if (!JSON_NODE_HOLDS_OBJECT (element) ||
          (header = get_nullable_string (json_node_get_object (element), "header")) == NULL)
        goto invalid;
      g_ptr_array_add (headers, (gpointer) header);
    }

  self = new_unmapped ((const char * const *) headers->pdata, headers->len);
  for (guint i = 0; i < json_array_get_length (columns); i++)
    {
      JsonObject *c = json_array_get_object_element (columns, i);
      Column *column = get_column (self, i);

      if (!pd_mapping_set_field (self, i, get_nullable_string (c, "field"), error))
        return NULL;
      column->ignored = json_object_get_boolean_member_with_default (c, "ignored", FALSE);
      column->automatic = json_object_get_boolean_member_with_default (c, "automatic", FALSE);
      pd_mapping_set_region (self, i, get_nullable_string (c, "region"));
      pd_mapping_set_date_format (self, i, get_nullable_string (c, "date_format"));
      pd_mapping_set_tag_delimiter (self, i, get_nullable_string (c, "tag_delimiter"));
    }

  return g_steal_pointer (&self);

invalid:
  g_set_error_literal (error, PD_ERROR, PD_ERROR_MAPPING,
                       _("The saved column mapping is damaged or from a newer version"));
  return NULL;
}

/* A hash of the folded header row: equal for files with the same columns
 * in the same order, whatever their case and punctuation. */
const char *
pd_mapping_get_signature (PdMapping *self)
{
  g_return_val_if_fail (PD_IS_MAPPING (self), NULL);
  return self->signature;
}
