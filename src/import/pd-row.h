/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One record as read from a file: UTF-8 cells and the row number a
 * spreadsheet shows for it.  Cells live in one allocation so that a
 * million rows cost a million mallocs, not eleven million. */
typedef struct {
  guint   number;    /* 1-based; a CSV record spanning lines counts once */
  guint   n_cells;
  char  **cells;     /* never NULL entries; "" for an empty cell */
  char   *error;     /* nullable: why the row could not be read cleanly
                      * (bad encoding, NUL byte); cells are best effort */
  guint   stray_quote; /* 1-based column of the first stray CSV quote (inside
                        * an unquoted value, text after a closing quote, a
                        * quote never closed), read as written; 0: none */
} PdRow;

#define PD_TYPE_ROW (pd_row_get_type ())

GType       pd_row_get_type      (void) G_GNUC_CONST;
PdRow      *pd_row_new           (guint               number,
                                  const char * const *cells,
                                  guint               n_cells);
PdRow      *pd_row_new_packed    (guint               number,
                                  const char         *buffer,
                                  const guint        *offsets,
                                  guint               n_cells);
PdRow      *pd_row_copy          (const PdRow        *row);
void        pd_row_free          (PdRow              *row);
const char *pd_row_get_cell      (const PdRow        *row,
                                  guint               column);
gboolean    pd_row_is_blank      (const PdRow        *row);
void        pd_row_set_error     (PdRow              *row,
                                  const char         *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdRow, pd_row_free)

G_END_DECLS
