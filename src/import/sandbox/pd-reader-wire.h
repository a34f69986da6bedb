/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pd-row.h"

G_BEGIN_DECLS

/* The framing between persona-desk-reader (the sandboxed helper that
 * parses an untrusted file) and PdSandboxedReader (its parent): one byte
 * of frame type, a 32-bit length in host order (both ends are the same
 * machine), then the payload.  The helper only writes, the parent only
 * reads; the pipe's own back-pressure is the flow control. */

typedef enum {
  PD_WIRE_OPENED  = 'H', /* u64 size: the reader is open */
  PD_WIRE_ROW     = 'R', /* u32 number, u64 position, u32 n_cells,
                          * u32 error length + 1 (0: none), error,
                          * u32 text length, the cells NUL-terminated */
  PD_WIRE_WARNING = 'W', /* UTF-8 text */
  PD_WIRE_SHEET   = 'S', /* UTF-8 sheet name (list mode) */
  PD_WIRE_ERROR   = 'E', /* u32 domain (PdWireDomain), i32 code, message */
  PD_WIRE_END     = 'Z', /* u64 position: end of rows or of sheet names */
} PdWireFrame;

typedef enum {
  PD_WIRE_DOMAIN_PD,
  PD_WIRE_DOMAIN_IO,
  PD_WIRE_DOMAIN_OTHER,
} PdWireDomain;

#define PD_WIRE_HEADER_SIZE 5
/* A row of 16384 cells of a full BIFF/XLSX string each stays far below. */
#define PD_WIRE_MAX_FRAME   (64u * 1024 * 1024)

typedef struct _PdWireWriter PdWireWriter;

PdWireWriter *pd_wire_writer_new      (int                 fd);
void          pd_wire_writer_free     (PdWireWriter       *self);
gboolean      pd_wire_write_opened    (PdWireWriter       *self,
                                       guint64             size);
gboolean      pd_wire_write_row       (PdWireWriter       *self,
                                       const PdRow        *row,
                                       guint64             position);
gboolean      pd_wire_write_text      (PdWireWriter       *self,
                                       PdWireFrame         type,
                                       const char         *text);
gboolean      pd_wire_write_error     (PdWireWriter       *self,
                                       const GError       *error);
gboolean      pd_wire_write_end       (PdWireWriter       *self,
                                       guint64             position);
gboolean      pd_wire_writer_flush    (PdWireWriter       *self);

/* Decoding, on the parent's side: each returns FALSE on a malformed
 * payload (the helper is not trusted either). */
gboolean      pd_wire_decode_u64      (const guint8       *payload,
                                       gsize               len,
                                       guint64            *value);
PdRow        *pd_wire_decode_row      (const guint8       *payload,
                                       gsize               len,
                                       guint64            *position);
char         *pd_wire_decode_text     (const guint8       *payload,
                                       gsize               len);
GError       *pd_wire_decode_error    (const guint8       *payload,
                                       gsize               len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdWireWriter, pd_wire_writer_free)

G_END_DECLS
