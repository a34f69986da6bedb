/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-error.h"
#include "pd-reader.h"
#include "pd-reader-private.h"

typedef struct
{
  GFile     *file;
  char      *display_name;
  char      *format;
  guint64    size;
  guint64    position;
  GPtrArray *warnings;
} PdReaderPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (PdReader, pd_reader, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILE,
  PROP_FORMAT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const accepted_extensions[] = {
  "csv", "txt", "xlsx", "xls", "ods", "zip", "json", NULL
};

/* Parsed in persona-desk-reader, confined (pd-sandboxed-reader.c): the
 * formats whose parsing is third-party code over a file's binary or XML
 * structure — .xls (libfreexl 1.0.6 crashes on crafted files, issue 14),
 * .xlsx and .ods (libxml2, zlib, libgsf).  .csv/.txt stay here (our own
 * line reader; uchardet only sees a sample), and so does a .zip's
 * unpacking (libarchive, with the size and ratio caps), whose inner file
 * is opened through pd_reader_open() again. */
static const char * const sandboxed_extensions[] = { "xls", "xlsx", "ods", NULL };

static void
pd_reader_finalize (GObject *object)
{
  PdReader *self = PD_READER (object);
  PdReaderPrivate *priv = pd_reader_get_instance_private (self);

  g_clear_object (&priv->file);
  g_clear_pointer (&priv->display_name, g_free);
  g_clear_pointer (&priv->format, g_free);
  g_clear_pointer (&priv->warnings, g_ptr_array_unref);

  G_OBJECT_CLASS (pd_reader_parent_class)->finalize (object);
}

static void
pd_reader_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PdReader *self = PD_READER (object);
  PdReaderPrivate *priv = pd_reader_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, priv->file);
      break;
    case PROP_FORMAT:
      g_value_set_string (value, priv->format);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_reader_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  PdReader *self = PD_READER (object);
  PdReaderPrivate *priv = pd_reader_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_FILE:
      priv->file = g_value_dup_object (value);
      if (priv->file != NULL)
        priv->display_name = g_file_get_basename (priv->file);
      break;
    case PROP_FORMAT:
      priv->format = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_reader_class_init (PdReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pd_reader_finalize;
  object_class->get_property = pd_reader_get_property;
  object_class->set_property = pd_reader_set_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FORMAT] =
    g_param_spec_string ("format", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_reader_init (PdReader *self)
{
  PdReaderPrivate *priv = pd_reader_get_instance_private (self);

  priv->warnings = g_ptr_array_new_with_free_func (g_free);
}

const char * const *
pd_reader_get_accepted_extensions (void)
{
  return accepted_extensions;
}

static char *
get_extension (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  const char *dot = name ? strrchr (name, '.') : NULL;

  return dot ? g_ascii_strdown (dot + 1, -1) : g_strdup ("");
}

static GError *
unsupported_error (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);

  return g_error_new (PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT,
                      _("%s: this kind of file can't be imported. "
                        "Use a .csv, .txt, .xlsx, .xls, .ods or .json file, or a .zip holding one of them."),
                      name);
}

/* Refuses, before any reader opens it, what would block or be read in
 * vain: a FIFO or a device blocks open() forever (a FIFO until a writer
 * comes), and a file over PD_READER_MAX_FILE_SIZE could not be kept in
 * the history.  A file that can't be queried is left to the reader,
 * whose message names what went wrong.  Whatever reads a customer file
 * before a reader does (the same-file check hashes it) asks this first. */
gboolean
pd_reader_check_source (GFile         *file,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GFileInfo) info = g_file_query_info (file,
                                                 G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                                 G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                 G_FILE_QUERY_INFO_NONE, cancellable, NULL);
  g_autofree char *name = g_file_get_basename (file);
  guint64 size;

  if (info == NULL)
    return TRUE;
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT,
                   _("%s is a folder, not a file. Choose a file inside it."), name);
      return FALSE;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT,
                   _("%s is not a regular file (it is a pipe, a device or a socket) "
                     "and can't be imported. Save the data to a file and import that."),
                   name);
      return FALSE;
    }
  size = (guint64) g_file_info_get_size (info);
  if (size > PD_READER_MAX_FILE_SIZE)
    {
      g_autofree char *size_text = g_format_size (size);
      g_autofree char *cap_text = g_format_size (PD_READER_MAX_FILE_SIZE);

      g_set_error (error, PD_ERROR, PD_ERROR_TOO_LARGE,
                   _("%s is too large to import (%s; the limit is %s). "
                     "Split it into several smaller files and import each."),
                   name, size_text, cap_text);
      return FALSE;
    }
  return TRUE;
}

/**
 * pd_reader_open:
 * @file: the customer file
 * @options: (nullable): sheet, encoding and delimiter choices
 *
 * Opens @file with the reader for its format.  The extension picks the
 * reader; the reader then checks the content and refuses what is not
 * what the name says.  Formats whose parser is not to be trusted with
 * a crafted file are read in a confined helper process: a crash there is
 * an error naming the file.
 *
 * Returns: (transfer full): a reader, or %NULL with @error set
 */
PdReader *
pd_reader_open (GFile                  *file,
                const PdReaderOptions  *options,
                GCancellable           *cancellable,
                GError                **error)
{
  g_autofree char *ext = get_extension (file);

  /* Here, not in the helper: a FIFO would block this process's open(). */
  if (!pd_reader_check_source (file, cancellable, error))
    return NULL;
  if (g_strv_contains (sandboxed_extensions, ext))
    return _pd_sandboxed_reader_new (file, ext, options, cancellable, error);
  return _pd_reader_open_in_process (file, options, cancellable, error);
}

PdReader *
_pd_reader_open_in_process (GFile                  *file,
                            const PdReaderOptions  *options,
                            GCancellable           *cancellable,
                            GError                **error)
{
  static const PdReaderOptions no_options = { 0 };
  g_autofree char *ext = get_extension (file);

  if (options == NULL)
    options = &no_options;

  if (g_str_equal (ext, "csv") || g_str_equal (ext, "txt"))
    return _pd_csv_reader_new (file, options, cancellable, error);
  if (g_str_equal (ext, "xlsx"))
    return _pd_xlsx_reader_new (file, options, cancellable, error);
  if (g_str_equal (ext, "ods"))
    return _pd_ods_reader_new (file, options, cancellable, error);
  if (g_str_equal (ext, "xls"))
    return _pd_xls_reader_new (file, options, cancellable, error);
  if (g_str_equal (ext, "zip"))
    return _pd_zip_reader_new (file, options, cancellable, error);
  if (g_str_equal (ext, "json"))
    return _pd_json_reader_new (file, options, cancellable, error);

  g_propagate_error (error, unsupported_error (file));
  return NULL;
}

/**
 * pd_reader_list_sheets:
 *
 * Returns: (transfer full): the names of the non-empty sheets of a
 *   workbook, in order; a one-element list naming the file for formats
 *   without sheets; %NULL with @error set when the file can't be read.
 */
char **
pd_reader_list_sheets (GFile         *file,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autofree char *ext = get_extension (file);

  if (!pd_reader_check_source (file, cancellable, error))
    return NULL;
  if (g_strv_contains (sandboxed_extensions, ext))
    return _pd_sandboxed_list_sheets (file, ext, cancellable, error);
  return _pd_reader_list_sheets_in_process (file, cancellable, error);
}

char **
_pd_reader_list_sheets_in_process (GFile         *file,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  g_autofree char *ext = get_extension (file);

  if (g_str_equal (ext, "xlsx"))
    return _pd_xlsx_list_sheets (file, cancellable, error);
  if (g_str_equal (ext, "ods"))
    return _pd_ods_list_sheets (file, cancellable, error);
  if (g_str_equal (ext, "xls"))
    return _pd_xls_list_sheets (file, cancellable, error);
  if (g_str_equal (ext, "csv") || g_str_equal (ext, "txt") || g_str_equal (ext, "zip") ||
      g_str_equal (ext, "json"))
    {
      char **names = g_new0 (char *, 2);

      names[0] = g_file_get_basename (file);
      return names;
    }

  g_propagate_error (error, unsupported_error (file));
  return NULL;
}

PdRow *
pd_reader_next_row (PdReader      *self,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_return_val_if_fail (PD_IS_READER (self), NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  return PD_READER_GET_CLASS (self)->next_row (self, cancellable, error);
}

GFile *
pd_reader_get_file (PdReader *self)
{
  PdReaderPrivate *priv = pd_reader_get_instance_private (self);

  return priv->file;
}

const char *
pd_reader_get_display_name (PdReader *self)
{
  PdReaderPrivate *priv = pd_reader_get_instance_private (self);

  return priv->display_name;
}

const char *
pd_reader_get_format (PdReader *self)
{
  PdReaderPrivate *priv = pd_reader_get_instance_private (self);

  return priv->format;
}

/* Size and position are in whatever unit the reader advances in (bytes of
 * the file for text, of the sheet's XML for workbooks): only the ratio is
 * meaningful, for progress bars. */
guint64
pd_reader_get_size (PdReader *self)
{
  PdReaderPrivate *priv = pd_reader_get_instance_private (self);

  return priv->size;
}

guint64
pd_reader_get_position (PdReader *self)
{
  PdReaderPrivate *priv = pd_reader_get_instance_private (self);

  return priv->position;
}

void
pd_reader_set_size (PdReader *self,
                    guint64   size)
{
  PdReaderPrivate *priv = pd_reader_get_instance_private (self);

  priv->size = size;
}

void
pd_reader_set_position (PdReader *self,
                        guint64   position)
{
  PdReaderPrivate *priv = pd_reader_get_instance_private (self);

  priv->position = position;
}

/**
 * pd_reader_get_warnings:
 *
 * Returns: (transfer none) (element-type utf8): translated warnings about
 *   the file as a whole (e.g. a zip holding several files)
 */
GPtrArray *
pd_reader_get_warnings (PdReader *self)
{
  PdReaderPrivate *priv = pd_reader_get_instance_private (self);

  return priv->warnings;
}

void
pd_reader_add_warning (PdReader   *self,
                       const char *warning)
{
  PdReaderPrivate *priv = pd_reader_get_instance_private (self);

  g_ptr_array_add (priv->warnings, g_strdup (warning));
}
