/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

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
 * fails its row, naming the field.
 *
 * Parsed in this process, like .csv: see pd-json-reader.c for why. */

#define PD_TYPE_JSON_READER (pd_json_reader_get_type ())
G_DECLARE_FINAL_TYPE (PdJsonReader, pd_json_reader, PD, JSON_READER, PdReader)

/* The largest .json a reader opens: the whole document is parsed into a
 * tree (json-glib builds one), about 8 bytes of tree per byte of text. */
#define PD_JSON_READER_MAX_SIZE   (G_GUINT64_CONSTANT (256) * 1024 * 1024)
/* Deeper nesting is refused before json-glib sees it: its parser
 * recurses once per level, and a body of "[[[[…" would exhaust the stack. */
#define PD_JSON_READER_MAX_DEPTH  64

/* Parses @data (@length bytes) as JSON after checking its nesting depth;
 * errors (PD_ERROR_CORRUPT, PD_ERROR_TOO_LARGE) name @display_name and,
 * for a syntax error, its line and column.  (transfer full) */
JsonNode   *pd_json_parse_document        (const char  *data,
                                           gsize        length,
                                           const char  *display_name,
                                           GError     **error);
/* The customers array of a parsed document: the root array, or the root
 * object's "customers".  (transfer none) */
JsonArray  *pd_json_get_customers         (JsonNode    *root,
                                           const char  *display_name,
                                           GError     **error);
/* One customer value as a cell (see above); NULL with PD_ERROR_INVALID
 * naming @key when it can't be one.  (transfer full) */
char       *pd_json_value_to_cell         (JsonNode    *value,
                                           const char  *key,
                                           GError     **error);

G_END_DECLS
