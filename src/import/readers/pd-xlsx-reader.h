/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-reader.h"

G_BEGIN_DECLS

/* Reads one worksheet of an Office Open XML workbook (.xlsx), streaming
 * the sheet's XML row by row.  Created by pd_reader_open(). */

#define PD_TYPE_XLSX_READER (pd_xlsx_reader_get_type ())
G_DECLARE_FINAL_TYPE (PdXlsxReader, pd_xlsx_reader, PD, XLSX_READER, PdReader)

G_END_DECLS
