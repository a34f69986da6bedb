/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-reader.h"

G_BEGIN_DECLS

/* The reader of .zip files holding one customer file: extracts the first
 * importable entry to a private temporary file, under the zip-bomb caps,
 * and reads it with the reader for its format.  Created by
 * pd_reader_open(). */

#define PD_TYPE_ZIP_READER (pd_zip_reader_get_type ())
G_DECLARE_FINAL_TYPE (PdZipReader, pd_zip_reader, PD, ZIP_READER, PdReader)

const char *pd_zip_reader_get_entry_name (PdZipReader *self);
PdReader   *pd_zip_reader_get_inner      (PdZipReader *self);

G_END_DECLS
