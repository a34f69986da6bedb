/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <string.h>

#include <libxml/xmlreader.h>

#include "pd-zip-package.h"

G_BEGIN_DECLS

/* A libxml2 pull parser (xmlTextReader) over one member of a zip
 * package, set up safely for files from anywhere: no network, no DTD
 * loading, no entity substitution, and a document that declares a DTD
 * is refused (workbooks never have one; it is how entity bombs come in).
 * Errors name the file and the part. */

typedef struct _PdXmlStream PdXmlStream;

PdXmlStream      *pd_xml_stream_open         (PdZipPackage  *package,
                                              const char    *member,
                                              GError       **error);
void              pd_xml_stream_free         (PdXmlStream   *self);
int               pd_xml_stream_read         (PdXmlStream   *self,
                                              GError       **error);
xmlTextReaderPtr  pd_xml_stream_get_reader   (PdXmlStream   *self);
guint64           pd_xml_stream_get_size     (PdXmlStream   *self);
guint64           pd_xml_stream_get_position (PdXmlStream   *self);
gboolean          pd_xml_stream_read_text    (PdXmlStream   *self,
                                              GString       *out,
                                              GError       **error);
gboolean          pd_xml_stream_skip         (PdXmlStream   *self,
                                              GError       **error);
int               pd_xml_stream_read_inside  (PdXmlStream   *self,
                                              int            depth,
                                              GError       **error,
                                              const char    *eof_format,
                                              ...) G_GNUC_PRINTF (4, 5);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdXmlStream, pd_xml_stream_free)

/* Whether the reader's node (or attribute) has this local name, whatever
 * its namespace.  Inline: the readers ask it of every node. */
static inline gboolean
pd_xml_stream_name_is (xmlTextReaderPtr  reader,
                       const char       *local_name)
{
  return strcmp ((const char *) xmlTextReaderConstLocalName (reader), local_name) == 0;
}

/* The value of the element's attribute with this local name, whatever
 * its namespace (transitional and strict OOXML differ only in
 * namespaces), or NULL; the reader stays on the element. */
static inline char *
pd_xml_stream_dup_attribute (xmlTextReaderPtr  reader,
                             const char       *local_name)
{
  char *value = NULL;

  if (xmlTextReaderMoveToFirstAttribute (reader) == 1)
    {
      do
        {
          if (pd_xml_stream_name_is (reader, local_name))
            {
              value = g_strdup ((const char *) xmlTextReaderConstValue (reader));
              break;
            }
        }
      while (xmlTextReaderMoveToNextAttribute (reader) == 1);
      xmlTextReaderMoveToElement (reader);
    }
  return value;
}

G_END_DECLS
