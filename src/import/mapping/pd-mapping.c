/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdMapping: which field each column of a file feeds, set by hand and
 * validated.  How headers are folded and guessed (the auto-mapper):
 * pd-mapping-guess.c; the mapping as JSON: pd-mapping-json.c. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-error.h"
#include "pd-loyalty.h"
#include "pd-mapping-private.h"

G_DEFINE_FINAL_TYPE (PdMapping, pd_mapping, G_TYPE_OBJECT)

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

PdMapping *
_pd_mapping_new_unmapped (const char * const *headers,
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
  PdMapping *self = _pd_mapping_new_unmapped (headers, n_headers);

  _pd_mapping_auto_map (self);
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

  /* A column without a header (a file without column names) answers to
   * its spreadsheet letter: --map C=email. */
  for (guint i = 0; i < self->columns->len; i++)
    {
      g_autofree char *letters = NULL;

      if (get_column (self, i)->header[0] != '\0')
        continue;
      letters = column_letters (i);
      if (g_ascii_strcasecmp (letters, header) == 0)
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
 * @key: (nullable): a field key, "attribute:NAME", "source:NAME" (a source
 *   ID), or %NULL to unmap
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

  /* "source:pos" is the source ID of that name, kept as the attribute of
   * that name (pd-loyalty.h) */
  if (key != NULL && g_str_has_prefix (key, PD_SOURCE_ID_PREFIX) &&
      pd_source_id_check (key + strlen (PD_SOURCE_ID_PREFIX), NULL, NULL))
    {
      g_clear_pointer (&c->attribute, g_free);
      c->attribute = g_strdup (key);
      c->field = PD_FIELD_ATTRIBUTE;
    }
  else if (key != NULL && pd_field_is_attribute_key (key))
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
 * Refuses two columns on one field that holds one value, or on one custom
 * attribute (PD_ERROR_MAPPING, naming both columns); a field that holds
 * several (email, phone, tags) takes several columns, "Phone 1" and
 * "Phone 2" both.  Also refuses a mapping without any
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

      /* The normalizer adds each column's values to the field's list. */
      for (guint j = 0; j < i && (field == PD_FIELD_ATTRIBUTE || !pd_field_get_info (field)->multi); j++)
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

/* A hash of the folded header row: equal for files with the same columns
 * in the same order, whatever their case and punctuation. */
const char *
pd_mapping_get_signature (PdMapping *self)
{
  g_return_val_if_fail (PD_IS_MAPPING (self), NULL);
  return self->signature;
}
