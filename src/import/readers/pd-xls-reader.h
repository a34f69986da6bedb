/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-reader.h"

G_BEGIN_DECLS

/* Reads one worksheet of an Excel 97-2003 workbook (.xls) through
 * freexl.  freexl loads the whole workbook when it opens it (an .xls is
 * at most 65,536 rows); rows are still handed on one at a time. Created
 * by pd_reader_open(). */

#define PD_TYPE_XLS_READER (pd_xls_reader_get_type ())
G_DECLARE_FINAL_TYPE (PdXlsReader, pd_xls_reader, PD, XLS_READER, PdReader)

G_END_DECLS
