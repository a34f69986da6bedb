/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pd-error.h"
#include "pd-reader-private.h"
#include "pd-temp.h"
#include "pd-zip-reader.h"

/* Below this, a high ratio is a small repetitive file, not an attack. */
#define RATIO_CHECK_MIN (1024 * 1024)
#define COPY_BLOCK      (64 * 1024)

struct _PdZipReader
{
  PdReader  parent_instance;

  PdReader *inner;
  char     *entry_name;   /* path inside the zip, for messages */
  char     *tmp_dir;
  char     *tmp_path;
  guint     n_forwarded;  /* inner warnings already copied */
};

G_DEFINE_FINAL_TYPE (PdZipReader, pd_zip_reader, PD_TYPE_READER)

typedef struct archive PdArchive;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdArchive, archive_read_free)

static const char * const inner_extensions[] = { "csv", "txt", "xlsx", "xls", "ods", NULL };

typedef struct {
  guint    n_entries;     /* regular files, junk included */
  guint    n_usable;
  int      index;         /* header index of the first usable entry, -1 if none */
  char    *name;
  char    *extension;
  gboolean encrypted;
  gboolean size_known;
  gint64   size;
  char    *nested_zip;    /* first .zip entry, for the refusal */
} Survey;

static void
survey_clear (Survey *survey)
{
  g_clear_pointer (&survey->name, g_free);
  g_clear_pointer (&survey->extension, g_free);
  g_clear_pointer (&survey->nested_zip, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Survey, survey_clear)

static const char *
entry_path (struct archive_entry *entry)
{
  const char *path = archive_entry_pathname_utf8 (entry);

  return path != NULL ? path : archive_entry_pathname (entry);
}

static char *
extension_of (const char *path)
{
  const char *slash = strrchr (path, '/');
  const char *base = slash != NULL ? slash + 1 : path;
  const char *dot = strrchr (base, '.');

  return dot != NULL ? g_ascii_strdown (dot + 1, -1) : g_strdup ("");
}

/* Folders, macOS resource forks, hidden files and Office lock files are
 * what zip tools add around the file a person meant to send. */
static gboolean
is_junk (struct archive_entry *entry,
         const char           *path)
{
  g_auto(GStrv) parts = NULL;
  const char *base;

  if (archive_entry_filetype (entry) != AE_IFREG || g_str_has_suffix (path, "/"))
    return TRUE;
  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (g_str_equal (parts[i], "__MACOSX"))
      return TRUE;
  base = strrchr (path, '/');
  base = base != NULL ? base + 1 : path;
  return base[0] == '.' || g_str_has_prefix (base, "~$") || base[0] == '\0';
}

static struct archive *
open_archive (const char  *path,
              const char  *zip_name,
              GError     **error)
{
  struct archive *archive = archive_read_new ();

  archive_read_support_format_zip (archive);
  if (archive_read_open_filename (archive, path, COPY_BLOCK) != ARCHIVE_OK)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
                   _("%s could not be opened as a zip archive: %s"),
                   zip_name, archive_error_string (archive));
      archive_read_free (archive);
      return NULL;
    }
  return archive;
}

static GError *
corrupt_error (struct archive *archive,
               const char     *zip_name)
{
  const char *reason = archive_error_string (archive);

  return g_error_new (PD_ERROR, PD_ERROR_CORRUPT,
                      _("%s is not a zip archive that can be read (%s)"),
                      zip_name, reason != NULL ? reason : _("unknown error"));
}

/* First pass over the headers: which entry to read, and how many could
 * have been. */
static gboolean
survey_archive (const char  *path,
                const char  *zip_name,
                Survey      *survey,
                GError     **error)
{
  g_autoptr(PdArchive) archive = open_archive (path, zip_name, error);
  struct archive_entry *entry;
  int index = -1;
  int r;

  if (archive == NULL)
    return FALSE;

  survey->index = -1;
  while ((r = archive_read_next_header (archive, &entry)) == ARCHIVE_OK || r == ARCHIVE_WARN)
    {
      const char *name = entry_path (entry);
      g_autofree char *ext = NULL;

      index++;
      if (name == NULL || is_junk (entry, name))
        continue;
      survey->n_entries++;
      ext = extension_of (name);
      if (g_strv_contains (inner_extensions, ext))
        {
          if (survey->n_usable++ == 0)
            {
              survey->index = index;
              survey->name = g_strdup (name);
              survey->extension = g_steal_pointer (&ext);
              survey->encrypted = archive_entry_is_encrypted (entry);
              survey->size_known = archive_entry_size_is_set (entry);
              survey->size = archive_entry_size (entry);
            }
        }
      else if (g_str_equal (ext, "zip") && survey->nested_zip == NULL)
        {
          survey->nested_zip = g_strdup (name);
        }
    }

  if (r != ARCHIVE_EOF)
    {
      g_propagate_error (error, corrupt_error (archive, zip_name));
      return FALSE;
    }
  return TRUE;
}

static GError *
bomb_error (const char *zip_name,
            const char *entry_name,
            gboolean    too_big)
{
  if (too_big)
    {
      g_autofree char *cap = g_format_size (PD_READER_MAX_FILE_SIZE);

      return g_error_new (PD_ERROR, PD_ERROR_TOO_LARGE,
                          _("%s: %s would unpack to more than %s, the largest file "
                            "that can be imported. Extract it and split it into smaller files."),
                          zip_name, entry_name, cap);
    }
  return g_error_new (PD_ERROR, PD_ERROR_TOO_LARGE,
                      _("%s: %s unpacks to more than %u times its packed size. "
                        "Such a compression ratio is the mark of a zip bomb; the file is refused."),
                      zip_name, entry_name, (guint) PD_READER_MAX_RATIO);
}

/* The entry is unpacked to a file that pd_reader_open() then refuses past
 * PD_READER_MAX_FILE_SIZE: no use writing more than that.  The ratio is
 * the entry's own (inflated over the compressed bytes read so far), not
 * the archive's: junk padding the zip must not buy a bomb room. */
static gboolean
over_caps (guint64  inflated,
           guint64  compressed,
           gboolean *too_big)
{
  *too_big = inflated > PD_READER_MAX_FILE_SIZE;
  if (*too_big)
    return TRUE;
  return inflated > RATIO_CHECK_MIN && inflated > (guint64) PD_READER_MAX_RATIO * MAX (compressed, 1);
}

/* The entry's base name, kept for the temporary copy so that the inner
 * reader picks its format from the extension and its messages name the
 * file the person knows. */
static char *
safe_base_name (const char *entry_name,
                const char *extension)
{
  const char *slash = strrchr (entry_name, '/');
  const char *base = slash != NULL ? slash + 1 : entry_name;

  if (!g_utf8_validate (base, -1, NULL) || strchr (base, '\\') != NULL ||
      strlen (base) > 200)
    return g_strdup_printf ("file.%s", extension);
  return g_strdup (base);
}

static gboolean
extract_entry (PdZipReader   *self,
               const char    *path,
               const char    *zip_name,
               const Survey  *survey,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(PdArchive) archive = NULL;
  g_autoptr(GFile) out_file = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autofree char *base = NULL;
  g_autofree char *buffer = NULL;
  struct archive_entry *entry = NULL;
  guint64 inflated = 0;
  gint64 data_start;
  gboolean too_big;

  archive = open_archive (path, zip_name, error);
  if (archive == NULL)
    return FALSE;
  for (int i = 0; i <= survey->index; i++)
    if (archive_read_next_header (archive, &entry) < ARCHIVE_WARN)
      {
        g_propagate_error (error, corrupt_error (archive, zip_name));
        return FALSE;
      }
  /* libarchive's position in the zip: the entry's data starts here, and
   * what it has consumed past here is the entry's compressed bytes. */
  data_start = archive_filter_bytes (archive, -1);

  /* named after this process: if it crashes, the next one removes it */
  self->tmp_dir = pd_temp_make_dir ("zip", error);
  if (self->tmp_dir == NULL)
    return FALSE;
  base = safe_base_name (survey->name, survey->extension);
  self->tmp_path = g_build_filename (self->tmp_dir, base, NULL);
  out_file = g_file_new_for_path (self->tmp_path);
  out = g_file_create (out_file, G_FILE_CREATE_PRIVATE, cancellable, error);
  if (out == NULL)
    return FALSE;

  buffer = g_malloc (COPY_BLOCK);
  for (;;)
    {
      la_ssize_t n = archive_read_data (archive, buffer, COPY_BLOCK);

      if (n == 0)
        break;
      if (n < 0)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
                       _("%s: %s could not be unpacked (%s)"),
                       zip_name, survey->name, archive_error_string (archive));
          return FALSE;
        }
      /* Counted before writing: the declared sizes may lie. */
      inflated += n;
      if (over_caps (inflated, (guint64) MAX (archive_filter_bytes (archive, -1) - data_start, 0),
                     &too_big))
        {
          g_propagate_error (error, bomb_error (zip_name, survey->name, too_big));
          return FALSE;
        }
      if (!g_output_stream_write_all (G_OUTPUT_STREAM (out), buffer, n, NULL,
                                      cancellable, error))
        break;
    }

  if ((error == NULL || *error == NULL) &&
      g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error))
    return TRUE;
  /* A full disk: say where the copy was going. */
  if (error != NULL && *error != NULL && !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_prefix_error (error, _("%s: %s could not be unpacked into %s: "),
                    zip_name, survey->name, self->tmp_dir);
  return FALSE;
}

static void
remove_temporary (PdZipReader *self)
{
  if (self->tmp_path != NULL)
    g_unlink (self->tmp_path);
  if (self->tmp_dir != NULL)
    g_rmdir (self->tmp_dir);
  g_clear_pointer (&self->tmp_path, g_free);
  g_clear_pointer (&self->tmp_dir, g_free);
}

/* Inner errors name the inner file; say which zip it came from too. */
static void
prefix_inner_error (PdZipReader  *self,
                    GError      **error)
{
  const char *zip_name = pd_reader_get_display_name (PD_READER (self));
  g_autofree char *base = NULL;

  if (error == NULL || *error == NULL)
    return;
  if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  base = g_path_get_basename (self->tmp_path);
  if (g_str_has_prefix ((*error)->message, base))
    g_prefix_error (error, "%s: ", zip_name);
  else
    g_prefix_error (error, "%s: %s: ", zip_name, self->entry_name);
}

static void
forward_warnings (PdZipReader *self)
{
  GPtrArray *warnings = pd_reader_get_warnings (self->inner);

  for (; self->n_forwarded < warnings->len; self->n_forwarded++)
    pd_reader_add_warning (PD_READER (self), g_ptr_array_index (warnings, self->n_forwarded));
}

static PdRow *
pd_zip_reader_next_row (PdReader      *reader,
                        GCancellable  *cancellable,
                        GError       **error)
{
  PdZipReader *self = PD_ZIP_READER (reader);
  PdRow *row = pd_reader_next_row (self->inner, cancellable, error);

  if (row == NULL)
    prefix_inner_error (self, error);
  pd_reader_set_position (reader, pd_reader_get_position (self->inner));
  forward_warnings (self);
  return row;
}

static void
pd_zip_reader_finalize (GObject *object)
{
  PdZipReader *self = PD_ZIP_READER (object);

  /* The inner reader holds the temporary file open: close it first. */
  g_clear_object (&self->inner);
  remove_temporary (self);
  g_clear_pointer (&self->entry_name, g_free);

  G_OBJECT_CLASS (pd_zip_reader_parent_class)->finalize (object);
}

static void
pd_zip_reader_class_init (PdZipReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PdReaderClass *reader_class = PD_READER_CLASS (klass);

  object_class->finalize = pd_zip_reader_finalize;
  reader_class->next_row = pd_zip_reader_next_row;
}

static void
pd_zip_reader_init (PdZipReader *self)
{
}

PdReader *
_pd_zip_reader_new (GFile                  *file,
                    const PdReaderOptions  *options,
                    GCancellable           *cancellable,
                    GError                **error)
{
  g_autoptr(PdZipReader) self = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFile) inner_file = NULL;
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *zip_name = g_file_get_basename (file);
  g_auto(Survey) survey = { 0 };
  guint64 zip_size;
  gboolean too_big;

  if (path == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT,
                   _("%s: only zip files on this computer can be opened"), zip_name);
      return NULL;
    }
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, error);
  if (info == NULL)
    return NULL;
  zip_size = g_file_info_get_size (info);

  if (!survey_archive (path, zip_name, &survey, error))
    return NULL;

  if (survey.n_usable == 0)
    {
      if (survey.nested_zip != NULL)
        g_set_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT,
                     _("%s holds another zip (%s). Zips inside zips are not opened: "
                       "extract it and import the file it holds."),
                     zip_name, survey.nested_zip);
      else if (survey.n_entries == 0)
        g_set_error (error, PD_ERROR, PD_ERROR_EMPTY,
                     _("%s is empty: it holds no file to import. "
                       "The zip must hold a .csv, .txt, .xlsx, .xls or .ods file."),
                     zip_name);
      else
        g_set_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT,
                     _("%s holds no file that can be imported. "
                       "The zip must hold a .csv, .txt, .xlsx, .xls or .ods file."),
                     zip_name);
      return NULL;
    }

  if (survey.encrypted)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT,
                   _("%s: %s is protected by a password. "
                     "Extract it yourself and import the file, or zip it again without a password."),
                   zip_name, survey.name);
      return NULL;
    }

  /* Refuse on the declared size before inflating anything (over the whole
   * zip's size: the entry's compressed size is not told); the copy below
   * checks the entry's own ratio as it goes, since a header can lie. */
  if (survey.size_known && survey.size > 0 && over_caps (survey.size, zip_size, &too_big))
    {
      g_propagate_error (error, bomb_error (zip_name, survey.name, too_big));
      return NULL;
    }

  self = g_object_new (PD_TYPE_ZIP_READER, "file", file, "format", "zip", NULL);
  self->entry_name = g_strdup (survey.name);

  if (!extract_entry (self, path, zip_name, &survey, cancellable, error))
    return NULL; /* finalize removes the partial copy */

  inner_file = g_file_new_for_path (self->tmp_path);
  self->inner = pd_reader_open (inner_file, options, cancellable, error);
  if (self->inner == NULL)
    {
      prefix_inner_error (self, error);
      return NULL;
    }

  if (survey.n_usable > 1)
    {
      g_autofree char *warning =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%s holds %u file that can be imported; only the first, %s, is read.",
                                      "%s holds %u files that can be imported; only the first, %s, is read.",
                                      survey.n_usable),
                         zip_name, survey.n_usable, survey.name);

      pd_reader_add_warning (PD_READER (self), warning);
    }
  forward_warnings (self);
  pd_reader_set_size (PD_READER (self), pd_reader_get_size (self->inner));
  pd_reader_set_position (PD_READER (self), pd_reader_get_position (self->inner));

  return PD_READER (g_steal_pointer (&self));
}

const char *
pd_zip_reader_get_entry_name (PdZipReader *self)
{
  g_return_val_if_fail (PD_IS_ZIP_READER (self), NULL);

  return self->entry_name;
}

/**
 * pd_zip_reader_get_inner:
 *
 * Returns: (transfer none): the reader of the file inside the zip
 */
PdReader *
pd_zip_reader_get_inner (PdZipReader *self)
{
  g_return_val_if_fail (PD_IS_ZIP_READER (self), NULL);

  return self->inner;
}
