/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-reader.h"

G_BEGIN_DECLS

/* The reader of delimited text files (.csv, .txt): detects the encoding and
 * the delimiter, converts to UTF-8 while streaming, and parses RFC 4180
 * records.  Created by pd_reader_open(). */

#define PD_TYPE_CSV_READER (pd_csv_reader_get_type ())
G_DECLARE_FINAL_TYPE (PdCsvReader, pd_csv_reader, PD, CSV_READER, PdReader)

const char *pd_csv_reader_get_encoding  (PdCsvReader *self);
char        pd_csv_reader_get_delimiter (PdCsvReader *self);

G_END_DECLS
