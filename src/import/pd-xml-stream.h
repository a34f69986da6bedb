/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdXmlStream, pd_xml_stream_free)

G_END_DECLS
