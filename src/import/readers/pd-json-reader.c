/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdJsonReader: customer lists in JSON (see pd-json-reader.h).
 *
 * Why in this process and not in persona-desk-reader: the sandbox is for
 * third-party parsers of binary and zipped XML formats (libfreexl crashed
 * on crafted files).  JSON is text parsed by json-glib, GLib's own
 * parser, whose one way to crash on hostile input, unbounded recursion,
 * is closed here by a depth check (check_depth()) before it parses; the
 * size is capped (PD_JSON_READER_MAX_SIZE; the bulk call's body at 50 MB
 * by default).  json-glib has no streaming parser: the tree of a 256 MB
 * document takes a few GB, past the helper's 1 GiB address-space limit,
 * which would make every large .json "damaged".  The same parse runs for
 * the bulk call's body, which never is a file the helper could take. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-error.h"
#include "pd-json-reader.h"
#include "pd-mapping.h"
#include "pd-reader-private.h"
#include "pd-row-builder.h"

struct _PdJsonReader
{
  PdReader    parent_instance;

  JsonNode   *root;
  JsonArray  *customers;   /* borrowed from root */
  GPtrArray  *keys;        /* the header, in first-seen order */
  GHashTable *columns;     /* key → column + 1 */
  GString    *separators;  /* per column: what joins a list's values */
  guint       next;        /* -1: the header; then the customer index */
  gboolean    header_done;
};

G_DEFINE_FINAL_TYPE (PdJsonReader, pd_json_reader, PD_TYPE_READER)

static void
pd_json_reader_finalize (GObject *object)
{
  PdJsonReader *self = PD_JSON_READER (object);

  g_clear_pointer (&self->root, json_node_unref);
  g_clear_pointer (&self->keys, g_ptr_array_unref);
  g_clear_pointer (&self->columns, g_hash_table_unref);
  if (self->separators != NULL)
    g_string_free (self->separators, TRUE);

  G_OBJECT_CLASS (pd_json_reader_parent_class)->finalize (object);
}

/* Refuses nesting deeper than PD_JSON_READER_MAX_DEPTH, skipping strings;
 * the rest of the syntax is json-glib's to check. */
static gboolean
check_depth (const char  *data,
             gsize        length,
             const char  *display_name,
             GError     **error)
{
  guint depth = 0, line = 1;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '\n')
        line++;
      else if (c == '[' || c == '{')
        {
          if (++depth > PD_JSON_READER_MAX_DEPTH)
            {
              g_set_error (error, PD_ERROR, PD_ERROR_TOO_LARGE,
                           _("%s: line %u: the JSON is nested more than %u levels deep, "
                             "which no customer list needs"),
                           display_name, line, (guint) PD_JSON_READER_MAX_DEPTH);
              return FALSE;
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

/**
 * pd_json_parse_document:
 *
 * Returns: (transfer full): the document's root, or %NULL with @error set
 */
JsonNode *
pd_json_parse_document (const char  *data,
                        gsize        length,
                        const char  *display_name,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local = NULL;
  JsonNode *root;

  if (!check_depth (data, length, display_name, error))
    return NULL;
  if (length > G_MAXSSIZE ||
      !json_parser_load_from_data (parser, data, (gssize) length, &local))
    {
      /* json-glib's message says "<data>:LINE:COLUMN: Parse error: …" */
      g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT, _("%s is not valid JSON: %s"),
                   display_name, local ? local->message : "?");
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_EMPTY, _("%s is empty"), display_name);
      return NULL;
    }
  return json_node_ref (root);
}

/**
 * pd_json_get_customers:
 *
 * Returns: (transfer none): the customers array, or %NULL with @error set
 */
JsonArray *
pd_json_get_customers (JsonNode    *root,
                       const char  *display_name,
                       GError     **error)
{
  if (JSON_NODE_HOLDS_ARRAY (root))
    return json_node_get_array (root);
  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonNode *member = json_object_get_member (json_node_get_object (root), "customers");

      if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
        return json_node_get_array (member);
    }
  g_set_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT,
               _("%s holds no customers: a customer list in JSON is an array of objects, "
                 "or an object whose “customers” member is one"),
               display_name);
  return NULL;
}

static gboolean
scalar_to_text (JsonNode  *value,
                GString   *out)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (JSON_NODE_HOLDS_NULL (value))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (value))
    return FALSE;
  switch (json_node_get_value_type (value))
    {
    case G_TYPE_STRING:
      g_string_append (out, json_node_get_string (value));
      return TRUE;
    case G_TYPE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (value));
      return TRUE;
    case G_TYPE_DOUBLE:
      g_string_append (out, g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (value)));
      return TRUE;
    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (value) ? "true" : "false");
      return TRUE;
    default:
      return FALSE;
    }
}

static char
list_separator (const char *key)
{
  return pd_mapping_guess_field (key, NULL) == PD_FIELD_TAGS ? ',' : ';';
}

static char *
value_to_cell (JsonNode    *value,
               const char  *key,
               char         separator,
               GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *array = json_node_get_array (value);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_NULL (element))
            continue;
          if (out->len > 0)
            g_string_append_c (out, separator);
          if (!scalar_to_text (element, out))
            {
              g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                           _("“%s” holds a list of lists or objects; it can hold text, "
                             "numbers, true/false, or a list of them"), key);
              return NULL;
            }
        }
      return g_string_free (g_steal_pointer (&out), FALSE);
    }
  if (!scalar_to_text (value, out))
    {
      g_set_error (error, PD_ERROR, PD_ERROR_INVALID,
                   _("“%s” holds an object; it can hold text, numbers, true/false, "
                     "or a list of them"), key);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * pd_json_value_to_cell:
 *
 * Returns: (transfer full): the cell's text, or %NULL with @error set
 */
char *
pd_json_value_to_cell (JsonNode    *value,
                       const char  *key,
                       GError     **error)
{
  return value_to_cell (value, key, list_separator (key), error);
}

static PdRow *
header_row (PdJsonReader *self)
{
  return pd_row_new (1, (const char * const *) self->keys->pdata, self->keys->len);
}

static PdRow *
customer_row (PdJsonReader *self,
              guint         index)
{
  JsonNode *node = json_array_get_element (self->customers, index);
  g_autofree char **cells = g_new0 (char *, self->keys->len + 1);
  g_autoptr(GString) errors = g_string_new (NULL);
  PdRow *row;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      json_object_iter_init (&iter, object);
      while (json_object_iter_next (&iter, &key, &value))
        {
          guint column = GPOINTER_TO_UINT (g_hash_table_lookup (self->columns, key));
          g_autoptr(GError) local = NULL;
          char *cell;

          if (column == 0)
            continue;  /* past the column cap: the header said so */
          cell = value_to_cell (value, key, self->separators->str[column - 1], &local);
          if (cell == NULL)
            {
              if (errors->len > 0)
                g_string_append (errors, "; ");
              g_string_append (errors, local->message);
              continue;
            }
          g_free (cells[column - 1]);
          cells[column - 1] = cell;
        }
    }
  else
    g_string_append_printf (errors, _("Customer %u is not an object with the customer’s fields"),
                            index + 1);

  {
    gboolean blank = TRUE;

    for (guint i = 0; i < self->keys->len; i++)
      if (cells[i] == NULL)
        cells[i] = g_strdup ("");
      else if (cells[i][0] != '\0')
        blank = FALSE;
    /* An entry of a list is a customer someone sent, not a spreadsheet's
     * spacer row: it is reported, not skipped, so that the counts add up. */
    if (blank && errors->len == 0)
      g_string_append_printf (errors, _("Customer %u has no values"), index + 1);
  }
  row = pd_row_new (index + 2, (const char * const *) cells, self->keys->len);
  for (guint i = 0; i < self->keys->len; i++)
    g_free (cells[i]);
  if (errors->len > 0)
    pd_row_set_error (row, errors->str);
  return row;
}

static PdRow *
pd_json_reader_next_row (PdReader      *reader,
                         GCancellable  *cancellable,
                         GError       **error)
{
  PdJsonReader *self = PD_JSON_READER (reader);
  guint n = json_array_get_length (self->customers);

  if (!self->header_done)
    {
      self->header_done = TRUE;
      return header_row (self);
    }
  if (self->next >= n)
    {
      pd_reader_set_position (reader, pd_reader_get_size (reader));
      return NULL;
    }
  /* Progress in bytes, as the other readers report it: by share of customers. */
  pd_reader_set_position (reader, (guint64) ((double) pd_reader_get_size (reader) * self->next / n));
  return customer_row (self, self->next++);
}

static void
pd_json_reader_class_init (PdJsonReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PdReaderClass *reader_class = PD_READER_CLASS (klass);

  object_class->finalize = pd_json_reader_finalize;
  reader_class->next_row = pd_json_reader_next_row;
}

static void
pd_json_reader_init (PdJsonReader *self)
{
  self->keys = g_ptr_array_new_with_free_func (g_free);
  self->columns = g_hash_table_new (g_str_hash, g_str_equal);
  self->separators = g_string_new (NULL);
}

/* Every key of every customer, in first-seen order, up to the readers'
 * column cap. */
static gboolean
collect_keys (PdJsonReader  *self,
              const char    *display_name,
              GError       **error)
{
  for (guint i = 0; i < json_array_get_length (self->customers); i++)
    {
      JsonNode *node = json_array_get_element (self->customers, i);
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &key, &value))
        {
          char *copy;

          if (g_hash_table_contains (self->columns, key))
            continue;
          if (self->keys->len >= PD_ROW_BUILDER_MAX_COLUMNS)
            {
              g_set_error (error, PD_ERROR, PD_ERROR_TOO_LARGE,
                           _("%s: the customers have more than %u different fields"),
                           display_name, (guint) PD_ROW_BUILDER_MAX_COLUMNS);
              return FALSE;
            }
          copy = g_strdup (key);
          g_ptr_array_add (self->keys, copy);
          g_string_append_c (self->separators, list_separator (key));
          g_hash_table_insert (self->columns, copy, GUINT_TO_POINTER (self->keys->len));
        }
    }
  if (self->keys->len == 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_EMPTY, _("%s holds no customer fields"), display_name);
      return FALSE;
    }
  return TRUE;
}

/* Documents parsed already, by path: the bulk call parses its body to
 * check it, and the readers the import opens on the body's file (two when
 * a date column's order is settled by a second pass) take that tree
 * instead of parsing 50 MB again each. */
static GMutex lent_lock;
static GHashTable *lent;   /* path → JsonNode */

void
_pd_json_reader_lend_document (const char *path,
                               JsonNode   *root)
{
  g_mutex_lock (&lent_lock);
  if (lent == NULL)
    lent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_node_unref);
  if (root != NULL)
    g_hash_table_insert (lent, g_strdup (path), json_node_ref (root));
  else
    g_hash_table_remove (lent, path);
  g_mutex_unlock (&lent_lock);
}

static JsonNode *
borrow_document (GFile *file)
{
  const char *path = g_file_peek_path (file);
  JsonNode *root = NULL;

  g_mutex_lock (&lent_lock);
  if (lent != NULL && path != NULL)
    root = g_hash_table_lookup (lent, path);
  if (root != NULL)
    json_node_ref (root);
  g_mutex_unlock (&lent_lock);
  return root;
}

PdReader *
_pd_json_reader_new (GFile                  *file,
                     const PdReaderOptions  *options,
                     GCancellable           *cancellable,
                     GError                **error)
{
  g_autoptr(PdJsonReader) self = g_object_new (PD_TYPE_JSON_READER, "file", file, "format", "json", NULL);
  const char *name = pd_reader_get_display_name (PD_READER (self));
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, error);
  if (info == NULL)
    return NULL;
  if ((guint64) g_file_info_get_size (info) > PD_JSON_READER_MAX_SIZE)
    {
      g_autofree char *cap = g_format_size (PD_JSON_READER_MAX_SIZE);

      g_set_error (error, PD_ERROR, PD_ERROR_TOO_LARGE,
                   _("%s is too large for a JSON customer list (the limit is %s). "
                     "Split it into several smaller files, or save it as .csv."), name, cap);
      return NULL;
    }
  self->root = borrow_document (file);
  length = (gsize) g_file_info_get_size (info);
  if (self->root == NULL)
    {
      if (!g_file_load_contents (file, cancellable, &data, &length, NULL, error))
        return NULL;
      self->root = pd_json_parse_document (data, length, name, error);
      if (self->root == NULL)
        return NULL;
      g_clear_pointer (&data, g_free);
    }
  self->customers = pd_json_get_customers (self->root, name, error);
  if (self->customers == NULL || !collect_keys (self, name, error))
    return NULL;
  pd_reader_set_size (PD_READER (self), length);
  return PD_READER (g_steal_pointer (&self));
}
