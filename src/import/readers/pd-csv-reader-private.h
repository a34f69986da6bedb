/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-csv-reader.h"

G_BEGIN_DECLS

/* Shared by pd-csv-reader.c (the stream, its decoding and the record
 * parser) and pd-csv-reader-sniff.c (the encoding and the delimiter) only. */

/* Bytes asked of the stream at a time; the whole file is never held. */
#define CHUNK_SIZE      (256 * 1024)

struct _PdCsvReader
{
  PdReader      parent_instance;

  GInputStream *stream;
  guint64       bytes_read;
  gboolean      stream_eof;  /* the stream has nothing more */
  gboolean      at_eof;      /* no more decoded text will come */
  gboolean      done;

  char         *encoding;
  gboolean      is_utf8;
  GIConv        cd;          /* (GIConv) -1 when no conversion is needed */
  guint         unit;        /* code unit of the source encoding, to skip bad input */
  char         *raw;         /* undecoded bytes, only when converting */
  gsize         raw_pos;
  gsize         raw_len;

  char         *in;          /* UTF-8 text, in_cap + 1 bytes for the sentinel */
  gsize         in_pos;
  gsize         in_len;
  gsize         in_cap;

  char          delimiter;
  guint8        cls_plain[256];
  guint8        cls_quoted[256];

  /* One reusable buffer for the cells of the current record. */
  char         *cells;
  gsize         cells_cap;
  guint        *offsets;
  guint         offsets_cap;

  guint         row_number;
  gboolean      skip_lf;     /* the last record ended on CR: a LF may follow */
};

/* Length of the valid UTF-8 sequence starting with the non-ASCII byte at
 * @p, 0 when @end cuts a sequence that is valid so far, -1 when invalid
 * (overlong forms, surrogates and code points above U+10FFFF included). */
static inline int
utf8_sequence (const guchar *p,
               const guchar *end)
{
  guchar c = p[0];
  int n;

  if (c >= 0xC2 && c <= 0xDF)
    n = 2;
  else if (c >= 0xE0 && c <= 0xEF)
    n = 3;
  else if (c >= 0xF0 && c <= 0xF4)
    n = 4;
  else
    return -1;

  for (int i = 1; i < n; i++)
    {
      guchar lo = 0x80, hi = 0xBF;

      if (p + i >= end)
        return 0;
      if (i == 1)
        {
          if (c == 0xE0)
            lo = 0xA0;
          else if (c == 0xED)
            hi = 0x9F;
          else if (c == 0xF0)
            lo = 0x90;
          else if (c == 0xF4)
            hi = 0x8F;
        }
      if (p[i] < lo || p[i] > hi)
        return -1;
    }

  return n;
}

/* pd-csv-reader-sniff.c */
/* Sets the encoding, asked for or found in the sample that self->in
 * holds, and readies its conversion to UTF-8. */
gboolean _pd_csv_reader_setup_encoding (PdCsvReader            *self,
                                        const PdReaderOptions  *options,
                                        const char             *name,
                                        GCancellable           *cancellable,
                                        GError                **error);
char     _pd_csv_sniff_delimiter       (const char             *text,
                                        gsize                   len,
                                        gboolean                complete);

G_END_DECLS
