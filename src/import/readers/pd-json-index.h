/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* PdJsonIndex: one pass over a customer list in JSON (an array of
 * customers, or an object whose "customers" member is one), without a
 * tree: it checks the syntax (errors name the line and column), bounds
 * the nesting, and keeps where each customer starts and ends, the keys of
 * all customers in first-seen order, and where the other members of the
 * root object are.  A customer's cells are then read from its bytes
 * (pd_json_index_read_customer()).  About 20 bytes of memory per customer
 * besides the text, which the index holds (a GBytes: a mapped file or a
 * request body).  json-glib built a tree of about 16 bytes per byte of
 * text, and took 4 s for 26 MB where this takes a fraction of a second. */

typedef struct _PdJsonIndex PdJsonIndex;

/* Deeper nesting is refused. */
#define PD_JSON_MAX_DEPTH    64
/* The most different keys the customers may have (the readers' column cap). */
#define PD_JSON_MAX_KEYS     16384

/* (transfer full): NULL with PD_ERROR_CORRUPT (syntax, naming
 * @display_name, the line and the column), PD_ERROR_TOO_LARGE (nesting, keys)
 * or PD_ERROR_UNSUPPORTED_FORMAT (no customers list) */
PdJsonIndex  *pd_json_index_new            (GBytes       *text,
                                            const char   *display_name,
                                            GError      **error);
PdJsonIndex  *pd_json_index_ref            (PdJsonIndex  *self);
void          pd_json_index_unref          (PdJsonIndex  *self);

guint         pd_json_index_get_n_customers (PdJsonIndex *self);
/* The keys of every customer, in first-seen order (transfer none). */
GPtrArray    *pd_json_index_get_keys       (PdJsonIndex  *self);
/* A customer's text as sent (transfer none: inside the index's text). */
const char   *pd_json_index_get_customer   (PdJsonIndex  *self,
                                            guint         index,
                                            gsize        *length);
/* The root object's member @name as text, or NULL (not there, or the root
 * is an array).  (transfer none) */
const char   *pd_json_index_get_member     (PdJsonIndex  *self,
                                            const char   *name,
                                            gsize        *length);
/* Whether the root is an object (the bulk body) rather than an array. */
gboolean      pd_json_index_root_is_object (PdJsonIndex *self);
/* The root object's member names, in order (transfer none; empty for an array). */
GPtrArray    *pd_json_index_get_member_names (PdJsonIndex *self);

/* Customer @index as one cell per key (pd_json_index_get_keys()): text,
 * numbers as written, true/false, "" for null and absent keys; a list of
 * those joined with ";" (with "," for @tag_columns, a string of one byte
 * per key, ',' or ';').  @cells (out): n_keys strings to g_strfreev.
 * @row_error (out) (nullable): why the customer could not be read whole
 * (not an object, a nested object or list, no value at all). */
void          pd_json_index_read_customer  (PdJsonIndex  *self,
                                            guint         index,
                                            const char   *separators,
                                            char       ***cells,
                                            char        **row_error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdJsonIndex, pd_json_index_unref)

G_END_DECLS
