/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-cell-format.h"
#include "pd-error.h"
#include "pd-ods-cursor.h"
#include "pd-ods-reader.h"
#include "pd-reader-private.h"
#include "pd-row-builder.h"
#include "pd-sheet-choice.h"
#include "pd-xml-stream.h"
#include "pd-zip-package.h"

/* Knowing which tables of content.xml hold data needs a first pass (each
 * table is skipped after its first row); the chosen table is then
 * streamed by a second.  The XML itself is read by OdsCursor
 * (pd-ods-cursor.c). */

#define ODS_MIMETYPE "application/vnd.oasis.opendocument.spreadsheet"

struct _PdOdsReader
{
  PdReader      parent_instance;

  PdZipPackage *package;
  OdsCursor    *cursor;
  int           table_index;  /* of the chosen table; -1: none */
  gboolean      in_table;
  gboolean      done;
};

G_DEFINE_FINAL_TYPE (PdOdsReader, pd_ods_reader, PD_TYPE_READER)

/* First pass: every table's name, and which hold data. */
static gboolean
survey_tables (PdZipPackage   *package,
               GCancellable   *cancellable,
               char         ***all_names,
               char         ***non_empty_names,
               GError        **error)
{
  g_autoptr(OdsCursor) cursor = _pd_ods_cursor_open (package, error);
  g_autoptr(GStrvBuilder) all = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) non_empty = g_strv_builder_new ();
  guint n_tables = 0;

  if (cursor == NULL)
    return FALSE;

  for (;;)
    {
      g_autoptr(PdRow) row = NULL;
      g_autofree char *fallback = NULL;
      const char *name;

      switch (_pd_ods_cursor_next_event (cursor, &row, error))
        {
        case ODS_EVENT_ERROR:
          return FALSE;
        case ODS_EVENT_END:
          *all_names = g_strv_builder_end (all);
          *non_empty_names = g_strv_builder_end (non_empty);
          return TRUE;
        case ODS_EVENT_TABLE_START:
          n_tables++;
          fallback = g_strdup_printf ("%u", n_tables);
          g_strv_builder_add (all, cursor->table_name ? cursor->table_name : fallback);
          break;
        case ODS_EVENT_ROW:
          name = cursor->table_name;
          fallback = g_strdup_printf ("%u", n_tables);
          g_strv_builder_add (non_empty, name ? name : fallback);
          if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
              !_pd_ods_cursor_skip_table (cursor, error))
            return FALSE;
          break;
        case ODS_EVENT_TABLE_END:
        default:
          break;
        }
    }
}

static gboolean
check_package (PdZipPackage  *package,
               GError       **error)
{
  const char *name = pd_zip_package_get_display_name (package);

  if (pd_zip_package_has_member (package, "mimetype"))
    {
      g_autoptr(PdZipMember) member = pd_zip_package_open_member (package, "mimetype", error);
      char mimetype[128] = "";
      gssize n;

      if (member == NULL)
        return FALSE;
      n = pd_zip_member_read (member, mimetype, sizeof mimetype - 1, error);
      if (n < 0)
        return FALSE;
      mimetype[n] = '\0';
      g_strstrip (mimetype);
      if (!g_str_equal (mimetype, ODS_MIMETYPE))
        {
          g_set_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT,
                       _("%s is not a spreadsheet but a document of type “%s”. "
                         "Save the customer list from LibreOffice Calc."),
                       name, mimetype);
          return FALSE;
        }
    }

  if (pd_zip_package_has_member (package, "META-INF/manifest.xml"))
    {
      g_autoptr(PdZipMember) member =
        pd_zip_package_open_member (package, "META-INF/manifest.xml", error);
      g_autofree char *manifest = NULL;
      gsize size;
      gssize n;

      if (member == NULL)
        return FALSE;
      size = (gsize) MIN (pd_zip_member_get_size (member), 4 * 1024 * 1024);
      manifest = g_malloc (size + 1);
      n = pd_zip_member_read (member, manifest, size, error);
      if (n < 0)
        return FALSE;
      manifest[n] = '\0';
      if (strstr (manifest, "encryption-data") != NULL)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
                       _("%s is protected with a password. Open it in LibreOffice Calc, "
                         "remove the password and save it again."), name);
          return FALSE;
        }
    }

  if (!pd_zip_package_has_member (package, "content.xml"))
    {
      if (pd_zip_package_has_member (package, "xl/workbook.xml"))
        g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
                     _("%s is an Excel workbook, not an OpenDocument spreadsheet: "
                       "rename it to .xlsx."), name);
      else
        g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
                     _("%s is not a valid .ods file: it is a zip archive without "
                       "spreadsheet content in it."), name);
      return FALSE;
    }
  return TRUE;
}

static PdRow *
pd_ods_reader_next_row (PdReader      *reader,
                        GCancellable  *cancellable,
                        GError       **error)
{
  PdOdsReader *self = PD_ODS_READER (reader);

  while (!self->done)
    {
      PdRow *row = NULL;

      switch (_pd_ods_cursor_next_event (self->cursor, &row, error))
        {
        case ODS_EVENT_ROW:
          if (self->in_table)
            {
              pd_reader_set_position (reader, pd_xml_stream_get_position (self->cursor->xml));
              return row;
            }
          pd_row_free (row);
          break;
        case ODS_EVENT_TABLE_START:
          if (self->table_index-- == 0)
            self->in_table = TRUE;
          else if (!_pd_ods_cursor_skip_table (self->cursor, error))
            {
              self->done = TRUE;
              return NULL;
            }
          break;
        case ODS_EVENT_TABLE_END:
          if (self->in_table)
            {
              /* The rest of content.xml is other tables. */
              self->done = TRUE;
            }
          break;
        case ODS_EVENT_END:
        case ODS_EVENT_ERROR:
        default:
          self->done = TRUE;
          break;
        }
    }
  pd_reader_set_position (reader, pd_reader_get_size (reader));
  return NULL;
}

static void
pd_ods_reader_finalize (GObject *object)
{
  PdOdsReader *self = PD_ODS_READER (object);

  g_clear_pointer (&self->cursor, _pd_ods_cursor_free);
  g_clear_pointer (&self->package, pd_zip_package_free);

  G_OBJECT_CLASS (pd_ods_reader_parent_class)->finalize (object);
}

static void
pd_ods_reader_class_init (PdOdsReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PdReaderClass *reader_class = PD_READER_CLASS (klass);

  object_class->finalize = pd_ods_reader_finalize;
  reader_class->next_row = pd_ods_reader_next_row;
}

static void
pd_ods_reader_init (PdOdsReader *self)
{
  self->table_index = -1;
}

PdReader *
_pd_ods_reader_new (GFile                  *file,
                    const PdReaderOptions  *options,
                    GCancellable           *cancellable,
                    GError                **error)
{
  g_autoptr(PdZipPackage) package = pd_zip_package_open (file, ".ods", error);
  g_autoptr(PdOdsReader) self = NULL;
  g_auto(GStrv) all = NULL;
  g_auto(GStrv) non_empty = NULL;
  int index = -1;

  if (package == NULL || !check_package (package, error) ||
      !survey_tables (package, cancellable, &all, &non_empty, error))
    return NULL;

  if (options != NULL && options->sheet != NULL)
    {
      index = pd_sheet_choice_find ((const char * const *) all, options->sheet);
      if (index < 0)
        {
          g_propagate_error (error, pd_no_such_sheet_error (pd_zip_package_get_display_name (package),
                                                            options->sheet,
                                                            (const char * const *) all));
          return NULL;
        }
    }
  else if (g_strv_length (non_empty) > 1)
    {
      g_propagate_error (error, pd_sheet_choice_error (pd_zip_package_get_display_name (package),
                                                       (const char * const *) non_empty));
      return NULL;
    }
  else if (non_empty[0] != NULL)
    {
      index = pd_sheet_choice_find ((const char * const *) all, non_empty[0]);
    }

  self = g_object_new (PD_TYPE_ODS_READER, "file", file, "format", "ods", NULL);
  self->cursor = _pd_ods_cursor_open (package, error);
  if (self->cursor == NULL)
    return NULL;
  self->table_index = index;
  self->done = (index < 0);
  pd_reader_set_size (PD_READER (self), pd_xml_stream_get_size (self->cursor->xml));
  self->package = g_steal_pointer (&package);

  return PD_READER (g_steal_pointer (&self));
}

char **
_pd_ods_list_sheets (GFile         *file,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(PdZipPackage) package = pd_zip_package_open (file, ".ods", error);
  g_auto(GStrv) all = NULL;
  char **non_empty = NULL;

  if (package == NULL || !check_package (package, error) ||
      !survey_tables (package, cancellable, &all, &non_empty, error))
    return NULL;
  return non_empty;
}
