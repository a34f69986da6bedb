/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdJsonReader: customer lists in JSON (see pd-json-reader.h).
 *
 * Why in this process and not in persona-desk-reader: the sandbox is for
 * third-party parsers of binary and zipped XML formats (libfreexl crashed
 * on crafted files).  JSON is scanned by our own code (pd-json-index.c),
 * bounded like the CSV reader: nesting (64 levels), keys (16,384), size
 * (256 MB; the bulk call's body 50 MB by default); the fuzzer's harness
 * is fuzz-json.  json-glib, used before, built a tree of 16 bytes per
 * byte of text and overflowed its stack on "[[[[…" (a regression input
 * now).  The bulk call's body is never a file the helper could take
 * either: it is indexed once and lent to the readers of its import. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-error.h"
#include "pd-json-reader.h"
#include "pd-mapping.h"
#include "pd-reader-private.h"

struct _PdJsonReader
{
  PdReader     parent_instance;

  PdJsonIndex *index;
  char        *separators;  /* per column: what joins a list's values */
  guint        next;
  gboolean     header_done;
};

G_DEFINE_FINAL_TYPE (PdJsonReader, pd_json_reader, PD_TYPE_READER)

static void
pd_json_reader_finalize (GObject *object)
{
  PdJsonReader *self = PD_JSON_READER (object);

  g_clear_pointer (&self->index, pd_json_index_unref);
  g_clear_pointer (&self->separators, g_free);

  G_OBJECT_CLASS (pd_json_reader_parent_class)->finalize (object);
}

char *
pd_json_reader_list_separators (GPtrArray *keys)
{
  char *separators = g_malloc (keys->len + 1);

  for (guint i = 0; i < keys->len; i++)
    separators[i] = pd_mapping_guess_field (g_ptr_array_index (keys, i), NULL) == PD_FIELD_TAGS ? ',' : ';';
  separators[keys->len] = '\0';
  return separators;
}

static PdRow *
pd_json_reader_next_row (PdReader      *reader,
                         GCancellable  *cancellable,
                         GError       **error)
{
  PdJsonReader *self = PD_JSON_READER (reader);
  GPtrArray *keys = pd_json_index_get_keys (self->index);
  guint n = pd_json_index_get_n_customers (self->index);
  g_auto(GStrv) cells = NULL;
  g_autofree char *row_error = NULL;
  PdRow *row;

  if (!self->header_done)
    {
      self->header_done = TRUE;
      return pd_row_new (1, (const char * const *) keys->pdata, keys->len);
    }
  if (self->next >= n)
    {
      pd_reader_set_position (reader, pd_reader_get_size (reader));
      return NULL;
    }
  {
    gsize length;
    const char *text = pd_json_index_get_customer (self->index, self->next, &length);
    const char *base = pd_json_index_get_customer (self->index, 0, &length);

    pd_reader_set_position (reader, text - base);
  }
  pd_json_index_read_customer (self->index, self->next, self->separators, &cells, &row_error);
  row = pd_row_new (self->next + 2, (const char * const *) cells, keys->len);
  if (row_error != NULL)
    pd_row_set_error (row, row_error);
  self->next++;
  return row;
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
}

/* Indexes lent by path: the bulk call indexes its body to check it, and
 * the readers its import opens on the body's file (two when a date
 * column's order is settled by a second pass) take that index. */
static GMutex lent_lock;
static GHashTable *lent;   /* path → PdJsonIndex */

void
_pd_json_reader_lend_index (const char  *path,
                            PdJsonIndex *index)
{
  g_mutex_lock (&lent_lock);
  if (lent == NULL)
    lent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) pd_json_index_unref);
  if (index != NULL)
    g_hash_table_insert (lent, g_strdup (path), pd_json_index_ref (index));
  else
    g_hash_table_remove (lent, path);
  g_mutex_unlock (&lent_lock);
}

static PdJsonIndex *
borrow_index (GFile *file)
{
  const char *path = g_file_peek_path (file);
  PdJsonIndex *index = NULL;

  g_mutex_lock (&lent_lock);
  if (lent != NULL && path != NULL)
    index = g_hash_table_lookup (lent, path);
  if (index != NULL)
    pd_json_index_ref (index);
  g_mutex_unlock (&lent_lock);
  return index;
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
  guint64 size;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, error);
  if (info == NULL)
    return NULL;
  size = (guint64) g_file_info_get_size (info);
  if (size > PD_JSON_READER_MAX_SIZE)
    {
      g_autofree char *cap = g_format_size (PD_JSON_READER_MAX_SIZE);

      g_set_error (error, PD_ERROR, PD_ERROR_TOO_LARGE,
                   _("%s is too large for a JSON customer list (the limit is %s). "
                     "Split it into several smaller files, or save it as .csv."), name, cap);
      return NULL;
    }
  self->index = borrow_index (file);
  if (self->index == NULL)
    {
      g_autoptr(GMappedFile) mapped = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) local = NULL;

      if (size == 0)
        bytes = g_bytes_new_static ("", 0);
      else
        {
          mapped = g_mapped_file_new (g_file_peek_path (file), FALSE, &local);
          if (mapped == NULL)
            {
              g_set_error (error, PD_ERROR, PD_ERROR_FAILED, _("%s can't be read: %s"), name, local->message);
              return NULL;
            }
          bytes = g_mapped_file_get_bytes (mapped);
        }
      self->index = pd_json_index_new (bytes, name, error);
      if (self->index == NULL)
        return NULL;
    }
  if (pd_json_index_get_keys (self->index)->len == 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_EMPTY, _("%s holds no customer fields"), name);
      return NULL;
    }
  self->separators = pd_json_reader_list_separators (pd_json_index_get_keys (self->index));
  pd_reader_set_size (PD_READER (self), size);
  return PD_READER (g_steal_pointer (&self));
}
