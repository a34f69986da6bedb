/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-row.h"

G_BEGIN_DECLS

/* Collects the cells of one workbook row as they are parsed, each placed
 * by its column (cells may skip columns, and a broken file may even list
 * them out of order), and packs them into a PdRow: gaps filled with "",
 * trailing empty cells trimmed.  Reused from row to row, so a sheet of a
 * million rows costs a handful of allocations besides the rows. */

typedef struct _PdRowBuilder PdRowBuilder;

/* Excel's and LibreOffice's last column (XFD). */
#define PD_ROW_BUILDER_MAX_COLUMNS 16384

PdRowBuilder *pd_row_builder_new      (void);
void          pd_row_builder_free     (PdRowBuilder *self);
void          pd_row_builder_reset    (PdRowBuilder *self);
void          pd_row_builder_add      (PdRowBuilder *self,
                                       guint         column,
                                       const char   *text,
                                       gssize        len);
gboolean      pd_row_builder_is_empty (PdRowBuilder *self);
void          pd_row_builder_set_error (PdRowBuilder *self,
                                        const char   *error);
PdRow        *pd_row_builder_finish   (PdRowBuilder *self,
                                       guint         number);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdRowBuilder, pd_row_builder_free)

G_END_DECLS
