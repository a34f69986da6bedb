/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-error.h"
#include "pd-xml-stream.h"

struct _PdXmlStream
{
  PdZipPackage     *package;   /* borrowed */
  PdZipMember      *member;
  xmlTextReaderPtr  reader;
  GError           *io_error;  /* a cap or inflate failure, from read_cb */
  char             *xml_error; /* libxml2's first error message */
  gboolean          over_limit; /* ...is one of libxml2's size limits */
};

static int
read_cb (void *context,
         char *buffer,
         int   len)
{
  PdXmlStream *self = context;
  gssize n;

  if (self->io_error != NULL)
    return -1;
  n = pd_zip_member_read (self->member, buffer, (gsize) len, &self->io_error);
  return (int) n;
}

static int
close_cb (void *context)
{
  return 0;
}

static void
error_cb (void        *user_data,
          xmlErrorPtr  error)
{
  PdXmlStream *self = user_data;

  /* Warnings (odd namespace URIs and such) do not stop the parse. */
  if (error == NULL || error->level < XML_ERR_ERROR || self->xml_error != NULL)
    return;
  self->xml_error = g_strdup_printf ("line %d: %s", error->line,
                                     error->message ? g_strstrip (error->message) : "?");
  /* libxml2 2.9 has no code of its own for its limits (a text node over
   * 10 MB, nesting past 256, a name or attribute too long); only its
   * words tell them from broken XML. */
  if (error->message != NULL &&
      (strstr (error->message, "huge") != NULL || strstr (error->message, "Huge") != NULL ||
       strstr (error->message, "too long") != NULL || strstr (error->message, "Excessive depth") != NULL ||
       strstr (error->message, "XML_PARSE_HUGE") != NULL))
    self->over_limit = TRUE;
}

/**
 * pd_xml_stream_open:
 *
 * Returns: (transfer full): the stream, or %NULL with @error set (see
 *   pd_zip_package_open_member())
 */
PdXmlStream *
pd_xml_stream_open (PdZipPackage  *package,
                    const char    *member,
                    GError       **error)
{
  g_autoptr(PdXmlStream) self = g_new0 (PdXmlStream, 1);

  self->package = package;
  self->member = pd_zip_package_open_member (package, member, error);
  if (self->member == NULL)
    return NULL;

  /* No XML_PARSE_NOENT (entities stay unexpanded), no XML_PARSE_DTDLOAD,
   * XML_PARSE_NONET: nothing is fetched from anywhere. */
  self->reader = xmlReaderForIO (read_cb, close_cb, self, member, NULL,
                                 XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
  if (self->reader == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
                   _("%s is damaged: its part “%s” cannot be read."),
                   pd_zip_package_get_display_name (package), member);
      return NULL;
    }
  xmlTextReaderSetStructuredErrorHandler (self->reader, error_cb, self);

  return g_steal_pointer (&self);
}

void
pd_xml_stream_free (PdXmlStream *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->reader, xmlFreeTextReader);
  g_clear_pointer (&self->member, pd_zip_member_free);
  g_clear_error (&self->io_error);
  g_free (self->xml_error);
  g_free (self);
}

static void
set_error (PdXmlStream  *self,
           GError      **error)
{
  if (self->io_error != NULL)
    g_propagate_error (error, g_error_copy (self->io_error));
  else if (self->over_limit)
    g_set_error (error, PD_ERROR, PD_ERROR_TOO_LARGE,
                 _("%s is refused: its part “%s” passes a size limit of the XML reader (%s). "
                   "Spreadsheet programs never write such text; save the sheet as .csv and import that."),
                 pd_zip_package_get_display_name (self->package),
                 pd_zip_member_get_name (self->member), self->xml_error);
  else
    g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
                 _("%s is damaged: its part “%s” is not well-formed XML (%s)."),
                 pd_zip_package_get_display_name (self->package),
                 pd_zip_member_get_name (self->member),
                 self->xml_error ? self->xml_error : _("unexpected end"));
}

static int
check_result (PdXmlStream  *self,
              int           result,
              GError      **error)
{
  if (result < 0 || self->io_error != NULL)
    {
      set_error (self, error);
      return -1;
    }
  if (result == 1 && xmlTextReaderNodeType (self->reader) == XML_READER_TYPE_DOCUMENT_TYPE)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
                   _("%s is refused: its part “%s” declares a document type, "
                     "which spreadsheets never do (it could hide an entity bomb)."),
                   pd_zip_package_get_display_name (self->package),
                   pd_zip_member_get_name (self->member));
      return -1;
    }
  return result;
}

/* Returns 1 on a node, 0 at the end, -1 with @error set. */
int
pd_xml_stream_read (PdXmlStream  *self,
                    GError      **error)
{
  return check_result (self, xmlTextReaderRead (self->reader), error);
}

xmlTextReaderPtr
pd_xml_stream_get_reader (PdXmlStream *self)
{
  return self->reader;
}

/* Inflated bytes of the part: the unit of the readers' progress. */
guint64
pd_xml_stream_get_size (PdXmlStream *self)
{
  return pd_zip_member_get_size (self->member);
}

guint64
pd_xml_stream_get_position (PdXmlStream *self)
{
  return pd_zip_member_get_position (self->member);
}

/* What read_inside() returns when the part ends before the element. */
#define PART_ENDED 2

/* The next node: 1 inside the element at @depth, 0 its end tag, -1 an
 * error (set), PART_ENDED (nothing set): each caller words that itself. */
static int
read_inside (PdXmlStream  *self,
             int           depth,
             GError      **error)
{
  int r = pd_xml_stream_read (self, error);

  if (r <= 0)
    return r < 0 ? -1 : PART_ENDED;
  if (xmlTextReaderNodeType (self->reader) == XML_READER_TYPE_END_ELEMENT &&
      xmlTextReaderDepth (self->reader) == depth)
    return 0;
  return 1;
}

static gboolean
is_text_node (int type)
{
  return type == XML_READER_TYPE_TEXT ||
         type == XML_READER_TYPE_CDATA ||
         type == XML_READER_TYPE_WHITESPACE ||
         type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* On an element's start: reads to its end, appending the text inside it
 * to @out unless NULL. */
static gboolean
read_to_end (PdXmlStream  *self,
             GString      *out,
             GError      **error)
{
  int depth = xmlTextReaderDepth (self->reader);
  int r;

  if (xmlTextReaderIsEmptyElement (self->reader))
    return TRUE;

  while ((r = read_inside (self, depth, error)) == 1)
    if (out != NULL && is_text_node (xmlTextReaderNodeType (self->reader)))
      g_string_append (out, (const char *) xmlTextReaderConstValue (self->reader));
  if (r == PART_ENDED)
    set_error (self, error);
  return r == 0;
}

/* On an element's start: appends the text of everything inside it and
 * leaves the stream on its end. */
gboolean
pd_xml_stream_read_text (PdXmlStream  *self,
                         GString      *out,
                         GError      **error)
{
  return read_to_end (self, out, error);
}

/* On an element's start: skips it and everything inside; the next read
 * gives the node after it. */
gboolean
pd_xml_stream_skip (PdXmlStream  *self,
                    GError      **error)
{
  return read_to_end (self, NULL, error);
}

/**
 * pd_xml_stream_read_inside:
 * @depth: the depth of the element being read, as on its start tag
 * @eof_format: the message, a printf() format followed by its arguments,
 *   when the part ends before the element does
 *
 * The loop of every reader of an element's children: reads the next node
 * and says whether it is still inside the element.
 *
 *     while ((r = pd_xml_stream_read_inside (xml, depth, error, ...)) == 1)
 *       handle the node (an element: read or skip it whole);
 *     if (r < 0)
 *       return FALSE;
 *
 * Returns: 1 on a node inside the element, 0 on its end tag, -1 with
 *   @error set (PD_ERROR_CORRUPT with @eof_format when the part ends first)
 */
int
pd_xml_stream_read_inside (PdXmlStream  *self,
                           int           depth,
                           GError      **error,
                           const char   *eof_format,
                           ...)
{
  int r = read_inside (self, depth, error);

  if (r == PART_ENDED)
    {
      va_list args;

      va_start (args, eof_format);
      g_propagate_error (error, g_error_new_valist (PD_ERROR, PD_ERROR_CORRUPT, eof_format, args));
      va_end (args);
      return -1;
    }
  return r;
}
