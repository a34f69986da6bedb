/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-reader.h"

G_BEGIN_DECLS

/* Reads one table of an OpenDocument spreadsheet (.ods, LibreOffice
 * Calc's format), streaming content.xml row by row.  Created by
 * pd_reader_open(). */

#define PD_TYPE_ODS_READER (pd_ods_reader_get_type ())
G_DECLARE_FINAL_TYPE (PdOdsReader, pd_ods_reader, PD, ODS_READER, PdReader)

G_END_DECLS
