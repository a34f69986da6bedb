/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdCsvReader: reads the file a chunk at a time, decodes it to UTF-8 and
 * parses its records.  How the encoding and the delimiter are decided:
 * pd-csv-reader-sniff.c. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-csv-reader-private.h"
#include "pd-error.h"
#include "pd-reader-private.h"
#include "pd-row-builder.h"

/* Bytes looked at to decide the encoding and the delimiter. */
#define SAMPLE_SIZE     (64 * 1024)
/* A longer record is almost surely a quote left open: refuse it rather than
 * grow without bound. */
#define MAX_RECORD_SIZE (16 * 1024 * 1024)

/* Byte classes of the parser's two states.  Anything not C_PLAIN stops the
 * fast scan; the input buffer ends with a NUL sentinel so that the scan
 * needs no bounds check. */
enum {
  C_PLAIN,
  C_DELIM,
  C_QUOTE,
  C_CR,
  C_LF,
  C_NUL,
  C_HIGH,
};

typedef enum {
  ST_FIELD_START,
  ST_UNQUOTED,
  ST_QUOTED,
  ST_QUOTED_QUOTE, /* a quote seen inside a quoted field: doubled or closing? */
} ParseState;

typedef enum {
  PROBLEM_NONE,
  PROBLEM_BAD_TEXT,
  PROBLEM_NUL,
  PROBLEM_OPEN_QUOTE,
  PROBLEM_TOO_MANY_COLUMNS,
} RowProblem;

G_DEFINE_FINAL_TYPE (PdCsvReader, pd_csv_reader, PD_TYPE_READER)

static const char replacement_char[] = "\xef\xbf\xbd";

static void
compact_input (PdCsvReader *self)
{
  gsize left = self->in_len - self->in_pos;

  if (self->in_pos > 0)
    {
      memmove (self->in, self->in + self->in_pos, left);
      self->in_pos = 0;
      self->in_len = left;
    }
  self->in[self->in_len] = '\0';
}

static gboolean
read_stream (PdCsvReader   *self,
             char          *buffer,
             gsize          size,
             gsize         *n_read,
             GCancellable  *cancellable,
             GError       **error)
{
  gssize n = g_input_stream_read (self->stream, buffer, size, cancellable, error);

  if (n < 0)
    return FALSE;
  if (n == 0)
    self->stream_eof = TRUE;
  self->bytes_read += n;
  *n_read = n;
  return TRUE;
}

/* Converts what raw holds into the free part of the input buffer.  A
 * sequence the source encoding can't decode becomes a 0xFF byte, which the
 * parser reports as bad text in its row and column. */
static gsize
convert_raw (PdCsvReader *self)
{
  char *inbuf = self->raw + self->raw_pos;
  gsize inleft = self->raw_len - self->raw_pos;
  char *outbuf = self->in + self->in_len;
  gsize outleft = self->in_cap - self->in_len;

  while (inleft > 0 && outleft > 0)
    {
      gsize r = g_iconv (self->cd, &inbuf, &inleft, &outbuf, &outleft);

      if (r != (gsize) -1)
        break;
      if (errno == EILSEQ)
        {
          gsize skip = MIN (self->unit, inleft);

          *outbuf++ = (char) 0xFF;
          outleft--;
          inbuf += skip;
          inleft -= skip;
          continue;
        }
      /* E2BIG: no room until the parser consumes; EINVAL: a character is
       * cut by the chunk's end and needs the next chunk. */
      break;
    }

  self->raw_pos = inbuf - self->raw;
  {
    gsize added = outbuf - (self->in + self->in_len);

    self->in_len += added;
    return added;
  }
}

/* Appends decoded text to the input buffer.  Returns the number of bytes
 * added, 0 at the end of the file, -1 on error. */
static gssize
fill_input (PdCsvReader   *self,
            GCancellable  *cancellable,
            GError       **error)
{
  gsize n;

  compact_input (self);

  if (self->cd == (GIConv) -1)
    {
      while (!self->stream_eof)
        {
          if (!read_stream (self, self->in + self->in_len, self->in_cap - self->in_len,
                            &n, cancellable, error))
            return -1;
          if (n > 0)
            {
              self->in_len += n;
              self->in[self->in_len] = '\0';
              return n;
            }
        }
      return 0;
    }

  for (;;)
    {
      gsize added = convert_raw (self);

      if (added > 0)
        {
          self->in[self->in_len] = '\0';
          return added;
        }
      if (self->stream_eof)
        {
          if (self->raw_pos < self->raw_len)
            {
              /* A character cut by the end of the file. */
              self->raw_pos = self->raw_len;
              self->in[self->in_len++] = (char) 0xFF;
              self->in[self->in_len] = '\0';
              return 1;
            }
          return 0;
        }
      if (self->raw_pos > 0)
        {
          memmove (self->raw, self->raw + self->raw_pos, self->raw_len - self->raw_pos);
          self->raw_len -= self->raw_pos;
          self->raw_pos = 0;
        }
      if (!read_stream (self, self->raw + self->raw_len, CHUNK_SIZE - self->raw_len,
                        &n, cancellable, error))
        return -1;
      self->raw_len += n;
    }
}

static void
update_position (PdCsvReader *self)
{
  guint64 buffered = self->raw_len - self->raw_pos;

  if (self->cd == (GIConv) -1)
    buffered += self->in_len - self->in_pos;
  pd_reader_set_position (PD_READER (self), self->bytes_read - MIN (buffered, self->bytes_read));
}

static void
build_classes (PdCsvReader *self)
{
  memset (self->cls_plain, C_PLAIN, sizeof self->cls_plain);
  memset (self->cls_quoted, C_PLAIN, sizeof self->cls_quoted);
  for (guint c = 0x80; c < 256; c++)
    self->cls_plain[c] = self->cls_quoted[c] = C_HIGH;
  self->cls_plain[0] = self->cls_quoted[0] = C_NUL;
  self->cls_plain['\r'] = C_CR;
  self->cls_plain['\n'] = C_LF;
  /* In an unquoted field a quote is literal: only one at a field's start
   * opens a quoted field.  It stops the scan only to be noted (issue 20:
   * the row is warned about it). */
  self->cls_plain['"'] = C_QUOTE;
  self->cls_plain[(guchar) self->delimiter] = C_DELIM;
  self->cls_quoted['"'] = C_QUOTE;
}

static void
ensure_cells (PdCsvReader *self,
              gsize        size)
{
  if (size <= self->cells_cap)
    return;
  self->cells_cap = MAX (size, self->cells_cap * 2);
  self->cells = g_realloc (self->cells, self->cells_cap);
}

static char *
row_problem_message (PdCsvReader *self,
                     RowProblem   problem,
                     guint        row,
                     guint        column)
{
  switch (problem)
    {
    case PROBLEM_BAD_TEXT:
      if (self->is_utf8)
        return g_strdup_printf (_("Row %u: invalid UTF-8 text in column %u"), row, column);
      return g_strdup_printf (_("Row %u: text in column %u is not valid %s"),
                              row, column, self->encoding);
    case PROBLEM_NUL:
      return g_strdup_printf (_("Row %u: column %u contains a NUL byte"), row, column);
    case PROBLEM_OPEN_QUOTE:
      return g_strdup_printf (_("Row %u: the quoted text in column %u is never closed"),
                              row, column);
    case PROBLEM_TOO_MANY_COLUMNS:
      return g_strdup_printf (_("Row %u: cells past column %u are ignored."),
                              row, (guint) PD_ROW_BUILDER_MAX_COLUMNS);
    case PROBLEM_NONE:
    default:
      return NULL;
    }
}

static PdRow *
pd_csv_reader_next_row (PdReader      *reader,
                        GCancellable  *cancellable,
                        GError       **error)
{
  PdCsvReader *self = PD_CSV_READER (reader);
  ParseState state = ST_FIELD_START;
  RowProblem problem = PROBLEM_NONE;
  guint problem_column = 0;
  guint stray_quote = 0;
  gboolean started = FALSE;
  gboolean need_more = FALSE;
  guint n_fields = 1;
  gsize out_len = 0;
  gsize drop_from = 0;  /* past the column cap: where dropped fields go */
  PdRow *row;

  if (self->done)
    return NULL;

  self->offsets[0] = 0;

  for (;;)
    {
      const guchar *p, *end;
      char *o;

      if (self->in_pos >= self->in_len || need_more)
        {
          gssize added;

          if (self->at_eof)
            goto end_of_file;
          added = fill_input (self, cancellable, error);
          if (added < 0)
            {
              self->done = TRUE;
              return NULL;
            }
          if (added == 0)
            {
              self->at_eof = TRUE;
              if (self->in_pos >= self->in_len)
                goto end_of_file;
            }
          need_more = FALSE;
        }

      /* Every input byte makes at most three output bytes (U+FFFD). */
      ensure_cells (self, out_len + 3 * (self->in_len - self->in_pos) + 16);
      p = (const guchar *) self->in + self->in_pos;
      end = (const guchar *) self->in + self->in_len;
      o = self->cells + out_len;

      if (self->skip_lf)
        {
          if (*p == '\n')
            p++;
          self->skip_lf = FALSE;
          if (p == end)
            goto pass_end;
        }
      started = TRUE;

      while (p < end)
        {
          const guchar *s;
          int n;

          switch (state)
            {
            case ST_FIELD_START:
              if (*p == '"')
                {
                  p++;
                  state = ST_QUOTED;
                  break;
                }
              state = ST_UNQUOTED;
              G_GNUC_FALLTHROUGH;

            case ST_UNQUOTED:
              s = p;
              while (self->cls_plain[*p] == C_PLAIN)
                p++;
              memcpy (o, s, p - s);
              o += p - s;
              switch (self->cls_plain[*p])
                {
                case C_DELIM:
                  p++;
                  *o++ = '\0';
                  /* Columns past the cap, as the workbook readers do: each
                   * is parsed into the same scratch space and dropped, so
                   * a header of millions of empty columns costs nothing. */
                  if (drop_from != 0)
                    {
                      o = self->cells + drop_from;
                    }
                  else if (n_fields == PD_ROW_BUILDER_MAX_COLUMNS)
                    {
                      drop_from = o - self->cells;
                      if (problem == PROBLEM_NONE)
                        {
                          problem = PROBLEM_TOO_MANY_COLUMNS;
                          problem_column = n_fields;
                        }
                    }
                  else
                    {
                      if (n_fields == self->offsets_cap)
                        {
                          self->offsets_cap *= 2;
                          self->offsets = g_renew (guint, self->offsets, self->offsets_cap);
                        }
                      self->offsets[n_fields++] = o - self->cells;
                    }
                  state = ST_FIELD_START;
                  break;
                case C_LF:
                  p++;
                  goto record_end;
                case C_CR:
                  p++;
                  self->skip_lf = TRUE;
                  goto record_end;
                case C_NUL:
                  if (p == end)
                    goto pass_end;
                  p++;
                  memcpy (o, replacement_char, 3);
                  o += 3;
                  if (problem == PROBLEM_NONE)
                    {
                      problem = PROBLEM_NUL;
                      problem_column = n_fields;
                    }
                  break;
                case C_QUOTE:
                  /* "O"Brien": kept as written, noted */
                  *o++ = '"';
                  p++;
                  if (stray_quote == 0)
                    stray_quote = n_fields;
                  break;
                case C_HIGH:
                  goto high_byte;
                default:
                  g_assert_not_reached ();
                }
              break;

            case ST_QUOTED:
              s = p;
              while (self->cls_quoted[*p] == C_PLAIN)
                p++;
              memcpy (o, s, p - s);
              o += p - s;
              switch (self->cls_quoted[*p])
                {
                case C_QUOTE:
                  p++;
                  state = ST_QUOTED_QUOTE;
                  break;
                case C_NUL:
                  if (p == end)
                    goto pass_end;
                  p++;
                  memcpy (o, replacement_char, 3);
                  o += 3;
                  if (problem == PROBLEM_NONE)
                    {
                      problem = PROBLEM_NUL;
                      problem_column = n_fields;
                    }
                  break;
                case C_HIGH:
                  goto high_byte;
                default:
                  g_assert_not_reached ();
                }
              break;

            case ST_QUOTED_QUOTE:
              if (*p == '"')
                {
                  *o++ = '"';
                  p++;
                  state = ST_QUOTED;
                }
              else
                {
                  /* The closing quote; anything up to the delimiter is
                   * kept as written, and noted. */
                  if (stray_quote == 0 && self->cls_plain[*p] != C_DELIM && self->cls_plain[*p] != C_CR &&
                      self->cls_plain[*p] != C_LF && self->cls_plain[*p] != C_NUL)
                    stray_quote = n_fields;
                  state = ST_UNQUOTED;
                }
              break;

            default:
              g_assert_not_reached ();
            }
          continue;

        high_byte:
          n = utf8_sequence (p, end);
          if (n == 0 && !self->at_eof)
            {
              need_more = TRUE;
              goto pass_end;
            }
          if (n > 0)
            {
              memcpy (o, p, n);
              o += n;
              p += n;
            }
          else
            {
              memcpy (o, replacement_char, 3);
              o += 3;
              p++;
              if (problem == PROBLEM_NONE)
                {
                  problem = PROBLEM_BAD_TEXT;
                  problem_column = n_fields;
                }
            }
        }

    pass_end:
      self->in_pos = (const char *) p - self->in;
      out_len = o - self->cells;
      if (out_len > MAX_RECORD_SIZE)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_TOO_LARGE,
                       _("%s: row %u is longer than 16 MB; a quote may be missing its closing quote"),
                       pd_reader_get_display_name (reader), self->row_number + 1);
          self->done = TRUE;
          return NULL;
        }
      continue;

    record_end:
      self->in_pos = (const char *) p - self->in;
      *o++ = '\0';
      break;
    }

  goto make_row;

end_of_file:
  self->done = TRUE;
  update_position (self);
  if (!started)
    return NULL;
  if (state == ST_QUOTED)
    {
      /* read as written, like any stray quote: the row is warned, not
       * failed (a closing quote missing inside the file makes a row of
       * more than 16 MB, refused above) */
      stray_quote = n_fields;
    }
  ensure_cells (self, out_len + 1);
  self->cells[out_len] = '\0';

make_row:
  self->row_number++;
  row = pd_row_new_packed (self->row_number, self->cells, self->offsets, n_fields);
  if (problem != PROBLEM_NONE)
    row->error = row_problem_message (self, problem, self->row_number, problem_column);
  row->stray_quote = stray_quote;
  update_position (self);

  return row;
}

static void
pd_csv_reader_finalize (GObject *object)
{
  PdCsvReader *self = PD_CSV_READER (object);

  if (self->stream != NULL)
    g_input_stream_close (self->stream, NULL, NULL);
  g_clear_object (&self->stream);
  if (self->cd != (GIConv) -1)
    g_iconv_close (self->cd);
  g_clear_pointer (&self->encoding, g_free);
  g_clear_pointer (&self->raw, g_free);
  g_clear_pointer (&self->in, g_free);
  g_clear_pointer (&self->cells, g_free);
  g_clear_pointer (&self->offsets, g_free);

  G_OBJECT_CLASS (pd_csv_reader_parent_class)->finalize (object);
}

static void
pd_csv_reader_class_init (PdCsvReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PdReaderClass *reader_class = PD_READER_CLASS (klass);

  object_class->finalize = pd_csv_reader_finalize;
  reader_class->next_row = pd_csv_reader_next_row;
}

static void
pd_csv_reader_init (PdCsvReader *self)
{
  self->cd = (GIConv) -1;
  self->unit = 1;
  self->in_cap = CHUNK_SIZE;
  self->in = g_malloc (self->in_cap + 1);
  self->in[0] = '\0';
  self->cells_cap = 4096;
  self->cells = g_malloc (self->cells_cap);
  self->offsets_cap = 64;
  self->offsets = g_new (guint, self->offsets_cap);
}

PdReader *
_pd_csv_reader_new (GFile                  *file,
                    const PdReaderOptions  *options,
                    GCancellable           *cancellable,
                    GError                **error)
{
  g_autoptr(PdCsvReader) self = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *name = g_file_get_basename (file);
  const char *dot = strrchr (name, '.');
  const char *format = dot != NULL && g_ascii_strcasecmp (dot, ".txt") == 0 ? "txt" : "csv";
  gsize n = 0;

  if (options->delimiter >= 0x80 || options->delimiter == '"' ||
      options->delimiter == '\r' || options->delimiter == '\n')
    {
      g_set_error (error, PD_ERROR, PD_ERROR_FAILED,
                   _("%s: the delimiter must be a single character such as , ; | or a tab"),
                   name);
      return NULL;
    }

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;

  self = g_object_new (PD_TYPE_CSV_READER, "file", file, "format", format, NULL);
  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);
  if (info != NULL)
    pd_reader_set_size (PD_READER (self), g_file_info_get_size (info));
  self->stream = G_INPUT_STREAM (g_steal_pointer (&stream));

  if (!g_input_stream_read_all (self->stream, self->in, SAMPLE_SIZE, &n, cancellable, error))
    return NULL;
  self->bytes_read = n;
  self->in_len = n;
  self->in[n] = '\0';
  if (n < SAMPLE_SIZE)
    self->stream_eof = TRUE;

  if (!_pd_csv_reader_setup_encoding (self, options, name, cancellable, error))
    return NULL;

  if (self->cd != (GIConv) -1 && fill_input (self, cancellable, error) < 0)
    return NULL;

  /* A byte order mark is not part of the first header. */
  if (self->in_len >= 3 && memcmp (self->in, "\xef\xbb\xbf", 3) == 0)
    self->in_pos = 3;

  if (options->delimiter != 0)
    self->delimiter = (char) options->delimiter;
  else
    self->delimiter = _pd_csv_sniff_delimiter (self->in + self->in_pos,
                                               self->in_len - self->in_pos,
                                               self->stream_eof && self->raw_pos == self->raw_len);
  build_classes (self);
  update_position (self);

  return PD_READER (g_steal_pointer (&self));
}

const char *
pd_csv_reader_get_encoding (PdCsvReader *self)
{
  g_return_val_if_fail (PD_IS_CSV_READER (self), NULL);

  return self->encoding;
}

char
pd_csv_reader_get_delimiter (PdCsvReader *self)
{
  g_return_val_if_fail (PD_IS_CSV_READER (self), 0);

  return self->delimiter;
}
