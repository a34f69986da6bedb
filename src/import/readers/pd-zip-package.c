/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gsf/gsf.h>
#include <string.h>

#include "pd-error.h"
#include "pd-reader.h"
#include "pd-zip-package.h"

/* libgsf inflates the members but does not tell their compressed sizes,
 * which the ratio cap needs; they come from our own walk of the zip's
 * central directory (zip64 included). */
typedef struct {
  guint64 compressed;
  guint64 uncompressed;
} EntryInfo;

struct _PdZipPackage
{
  char       *display_name;
  char       *format_name;
  GsfInput   *input;
  GsfInfile  *infile;
  guint64     file_size;
  GHashTable *entries;  /* exact name -> EntryInfo */
  GHashTable *folded;   /* lower-cased name -> exact name */
};

struct _PdZipMember
{
  PdZipPackage *package;
  char         *name;
  GsfInput     *input;
  guint64       size;
  guint64       compressed;
  guint64       position;
};

#define EOCD_SIGNATURE        0x06054b50
#define ZIP64_EOCD_LOCATOR    0x07064b50
#define ZIP64_EOCD_SIGNATURE  0x06064b50
#define CENTRAL_SIGNATURE     0x02014b50
#define MAX_CENTRAL_SIZE      (64 * 1024 * 1024)

static gboolean
read_at (GsfInput *input,
         guint64   offset,
         gsize     count,
         guint8   *buffer)
{
  if (gsf_input_seek (input, (gsf_off_t) offset, G_SEEK_SET))
    return FALSE;
  return gsf_input_read (input, count, buffer) != NULL;
}

/* Fills self->entries from the central directory; FALSE if the file has
 * none, i.e. is no zip. */
static gboolean
read_central_directory (PdZipPackage *self)
{
  g_autofree guint8 *tail = NULL;
  g_autofree guint8 *central = NULL;
  gsize tail_len = (gsize) MIN (self->file_size, 65535 + 22);
  guint64 tail_start = self->file_size - tail_len;
  guint64 n_entries, central_size, central_offset;
  gssize eocd = -1;
  gsize pos;

  if (tail_len < 22)
    return FALSE;
  tail = g_malloc (tail_len);
  if (!read_at (self->input, tail_start, tail_len, tail))
    return FALSE;
  for (gssize i = (gssize) tail_len - 22; i >= 0; i--)
    if (GSF_LE_GET_GUINT32 (tail + i) == EOCD_SIGNATURE)
      {
        eocd = i;
        break;
      }
  if (eocd < 0)
    return FALSE;

  n_entries = GSF_LE_GET_GUINT16 (tail + eocd + 10);
  central_size = GSF_LE_GET_GUINT32 (tail + eocd + 12);
  central_offset = GSF_LE_GET_GUINT32 (tail + eocd + 16);

  if ((n_entries == 0xffff || central_size == 0xffffffff || central_offset == 0xffffffff) &&
      eocd >= 20 && GSF_LE_GET_GUINT32 (tail + eocd - 20) == ZIP64_EOCD_LOCATOR)
    {
      guint8 z64[56];
      guint64 z64_offset = GSF_LE_GET_GUINT64 (tail + eocd - 20 + 8);

      if (z64_offset + sizeof z64 > self->file_size ||
          !read_at (self->input, z64_offset, sizeof z64, z64) ||
          GSF_LE_GET_GUINT32 (z64) != ZIP64_EOCD_SIGNATURE)
        return FALSE;
      n_entries = GSF_LE_GET_GUINT64 (z64 + 32);
      central_size = GSF_LE_GET_GUINT64 (z64 + 40);
      central_offset = GSF_LE_GET_GUINT64 (z64 + 48);
    }

  if (central_size > MAX_CENTRAL_SIZE || central_offset > self->file_size ||
      central_size > self->file_size - central_offset)
    return FALSE;
  central = g_malloc (central_size + 1);
  if (central_size > 0 && !read_at (self->input, central_offset, central_size, central))
    return FALSE;

  pos = 0;
  for (guint64 i = 0; i < n_entries && pos + 46 <= central_size; i++)
    {
      const guint8 *e = central + pos;
      guint16 name_len, extra_len, comment_len;
      EntryInfo *info;
      char *name;

      if (GSF_LE_GET_GUINT32 (e) != CENTRAL_SIGNATURE)
        return FALSE;
      name_len = GSF_LE_GET_GUINT16 (e + 28);
      extra_len = GSF_LE_GET_GUINT16 (e + 30);
      comment_len = GSF_LE_GET_GUINT16 (e + 32);
      if (pos + 46 + name_len + extra_len + comment_len > central_size)
        return FALSE;

      info = g_new0 (EntryInfo, 1);
      info->compressed = GSF_LE_GET_GUINT32 (e + 20);
      info->uncompressed = GSF_LE_GET_GUINT32 (e + 24);

      /* zip64: the real sizes are in extra field 1, uncompressed first,
       * each present only if its 32-bit field is saturated. */
      for (gsize x = 0; x + 4 <= extra_len;)
        {
          const guint8 *f = e + 46 + name_len + x;
          guint16 id = GSF_LE_GET_GUINT16 (f);
          guint16 len = GSF_LE_GET_GUINT16 (f + 2);
          gsize at = 4;

          if (x + 4 + len > extra_len)
            break;
          if (id == 0x0001)
            {
              if (info->uncompressed == 0xffffffff && at + 8 <= 4u + len)
                {
                  info->uncompressed = GSF_LE_GET_GUINT64 (f + at);
                  at += 8;
                }
              if (info->compressed == 0xffffffff && at + 8 <= 4u + len)
                info->compressed = GSF_LE_GET_GUINT64 (f + at);
            }
          x += 4 + len;
        }

      /* A member can't be packed into more bytes than the file holds; a
       * directory that says so lies, and would let a bomb pass the ratio
       * cap (which divides by this size). */
      if (info->compressed > self->file_size)
        {
          g_free (info);
          return FALSE;
        }

      name = g_strndup ((const char *) e + 46, name_len);
      if (!g_hash_table_contains (self->entries, name))
        {
          g_hash_table_insert (self->folded, g_ascii_strdown (name, -1), g_strdup (name));
          g_hash_table_insert (self->entries, name, info);
        }
      else
        {
          g_free (name);
          g_free (info);
        }
      pos += 46 + name_len + extra_len + comment_len;
    }

  return TRUE;
}

static gboolean
starts_with_ole_magic (GsfInput *input)
{
  static const guint8 ole[8] = { 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1 };
  guint8 head[8];

  return gsf_input_size (input) >= 8 &&
         read_at (input, 0, sizeof head, head) &&
         memcmp (head, ole, sizeof ole) == 0;
}

/**
 * pd_zip_package_open:
 * @format_name: what the file should be, for messages (".xlsx", ".ods")
 *
 * Returns: (transfer full): the package, or %NULL with @error set
 *   (%PD_ERROR_CORRUPT when the file is no zip archive)
 */
PdZipPackage *
pd_zip_package_open (GFile       *file,
                     const char  *format_name,
                     GError     **error)
{
  g_autoptr(PdZipPackage) self = g_new0 (PdZipPackage, 1);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = g_file_get_path (file);

  self->display_name = g_file_get_basename (file);
  self->format_name = g_strdup (format_name);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->folded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (path != NULL)
    self->input = gsf_input_stdio_new (path, &local_error);
  else
    self->input = gsf_input_gio_new (file, &local_error);
  if (self->input == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT, _("%s cannot be opened: %s"),
                   self->display_name, local_error ? local_error->message : "");
      return NULL;
    }
  self->file_size = (guint64) gsf_input_size (self->input);

  if (starts_with_ole_magic (self->input))
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
                   _("%s cannot be read as a %s file: it is protected with a password, "
                     "or it is an old Excel 97-2003 workbook under a new name. "
                     "Remove the password or save it again as %s."),
                   self->display_name, format_name, format_name);
      return NULL;
    }

  if (!read_central_directory (self) ||
      (self->infile = gsf_infile_zip_new (self->input, NULL)) == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
                   _("%s is not a valid %s file: it is not a zip archive, or it is damaged. "
                     "Save it again from the spreadsheet program."),
                   self->display_name, format_name);
      return NULL;
    }

  return g_steal_pointer (&self);
}

void
pd_zip_package_free (PdZipPackage *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->infile);
  g_clear_object (&self->input);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->folded, g_hash_table_unref);
  g_free (self->display_name);
  g_free (self->format_name);
  g_free (self);
}

const char *
pd_zip_package_get_display_name (PdZipPackage *self)
{
  return self->display_name;
}

/* Part names are case-insensitive in OOXML (OPC), and some writers
 * disagree with their own relationships on case. */
static const char *
lookup_name (PdZipPackage *self,
             const char   *name)
{
  g_autofree char *folded = NULL;

  if (g_hash_table_contains (self->entries, name))
    return name;
  folded = g_ascii_strdown (name, -1);
  return g_hash_table_lookup (self->folded, folded);
}

gboolean
pd_zip_package_has_member (PdZipPackage *self,
                           const char   *name)
{
  return lookup_name (self, name) != NULL;
}

/* Returns: (transfer full): the members' names, unsorted */
char **
pd_zip_package_list_members (PdZipPackage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_strv_builder_add (builder, key);
  return g_strv_builder_end (builder);
}

static void
set_bomb_error (PdZipPackage *self,
                const char   *name,
                guint64       size,
                GError      **error)
{
  if (size > PD_READER_MAX_INFLATED_SIZE)
    {
      g_autofree char *cap = g_format_size (PD_READER_MAX_INFLATED_SIZE);

      g_set_error (error, PD_ERROR, PD_ERROR_TOO_LARGE,
                   _("%s is refused: its part “%s” unpacks to more than %s, "
                     "which is more than any customer file needs (a possible zip bomb)."),
                   self->display_name, name, cap);
    }
  else
    {
      g_set_error (error, PD_ERROR, PD_ERROR_TOO_LARGE,
                   _("%s is refused: its part “%s” unpacks to more than %u times its "
                     "packed size, which only happens in zip bombs."),
                   self->display_name, name, (guint) PD_READER_MAX_RATIO);
    }
}

static gboolean
over_caps (guint64 inflated,
           guint64 compressed)
{
  return inflated > PD_READER_MAX_INFLATED_SIZE ||
         (inflated > PD_ZIP_RATIO_FLOOR &&
          inflated > MAX (compressed, 1) * PD_READER_MAX_RATIO);
}

/**
 * pd_zip_package_open_member:
 *
 * Returns: (transfer full): the member, or %NULL with @error set:
 *   %PD_ERROR_NOT_FOUND if there is no such member, %PD_ERROR_TOO_LARGE
 *   if its headers already pass the caps
 */
PdZipMember *
pd_zip_package_open_member (PdZipPackage  *self,
                            const char    *name,
                            GError       **error)
{
  const char *exact = lookup_name (self, name);
  g_auto(GStrv) parts = NULL;
  g_autoptr(PdZipMember) member = NULL;
  EntryInfo *info;

  if (exact == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND,
                   _("%s is not a valid %s file: the part “%s” is missing."),
                   self->display_name, self->format_name, name);
      return NULL;
    }
  info = g_hash_table_lookup (self->entries, exact);

  member = g_new0 (PdZipMember, 1);
  member->package = self;
  member->name = g_strdup (exact);
  member->compressed = info->compressed;

  parts = g_strsplit (exact, "/", -1);
  member->input = gsf_infile_child_by_aname (self->infile, (const char **) parts);
  if (member->input == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
                   _("%s is damaged: its part “%s” cannot be unpacked."),
                   self->display_name, exact);
      return NULL;
    }
  member->size = MAX ((guint64) gsf_input_size (member->input), info->uncompressed);
  if (over_caps (member->size, member->compressed))
    {
      set_bomb_error (self, exact, member->size, error);
      return NULL;
    }

  return g_steal_pointer (&member);
}

/* Returns the number of bytes read, 0 at the end, -1 with @error set. */
gssize
pd_zip_member_read (PdZipMember  *self,
                    void         *buffer,
                    gsize         count,
                    GError      **error)
{
  guint64 left = (guint64) gsf_input_remaining (self->input);
  gsize n = (gsize) MIN ((guint64) count, left);

  if (n == 0)
    return 0;
  if (gsf_input_read (self->input, n, buffer) == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
                   _("%s is damaged: its part “%s” cannot be unpacked."),
                   self->package->display_name, self->name);
      return -1;
    }
  self->position += n;
  if (over_caps (self->position, self->compressed))
    {
      set_bomb_error (self->package, self->name, self->position, error);
      return -1;
    }
  return (gssize) n;
}

const char *
pd_zip_member_get_name (PdZipMember *self)
{
  return self->name;
}

guint64
pd_zip_member_get_size (PdZipMember *self)
{
  return self->size;
}

guint64
pd_zip_member_get_position (PdZipMember *self)
{
  return self->position;
}

void
pd_zip_member_free (PdZipMember *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->input);
  g_free (self->name);
  g_free (self);
}
