/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-json-index.h"
#include "pd-reader.h"

G_BEGIN_DECLS

/* The reader of customer lists in JSON (.json): either an array of
 * customer objects, or the bulk customers request body, an object whose
 * "customers" member is that array (its other members are the bulk
 * call's, see pd-bulk-customers.h, and a file import leaves them alone).
 *
 * The header row is every key of every customer, in the order each first
 * appears; each customer is a row, numbered as in a spreadsheet whose row
 * 1 is that header: customer i (0-based) is row i + 2.  A value that is a
 * string, number, true/false or null is its cell; an array of those is
 * one cell, joined with ";" (the normalizer's list separator for emails
 * and phones; tags, split on ",", are joined with ","); a nested object
 * or list fails its row, naming the field, and so does a customer that is
 * not an object or has no value.
 *
 * The file is mapped and indexed once (PdJsonIndex: syntax, nesting,
 * where each customer is), then each row is read from its customer's
 * bytes.  Parsed in this process, like .csv: see pd-json-reader.c. */

#define PD_TYPE_JSON_READER (pd_json_reader_get_type ())
G_DECLARE_FINAL_TYPE (PdJsonReader, pd_json_reader, PD, JSON_READER, PdReader)

/* The largest .json a reader opens (the history keeps the file whole). */
#define PD_JSON_READER_MAX_SIZE   (G_GUINT64_CONSTANT (256) * 1024 * 1024)

/* What joins the values of a list sent for each key: ',' for tags, ';'
 * for everything else.  (transfer full) */
char *pd_json_reader_list_separators (GPtrArray *keys);

G_END_DECLS
