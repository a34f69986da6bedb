/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <uchardet/uchardet.h>

#include "pd-csv-reader.h"
#include "pd-error.h"
#include "pd-reader-private.h"

/* Bytes asked of the stream at a time; the whole file is never held. */
#define CHUNK_SIZE      (256 * 1024)
/* Bytes looked at to decide the encoding and the delimiter. */
#define SAMPLE_SIZE     (64 * 1024)
/* A longer record is almost surely a quote left open: refuse it rather than
 * grow without bound. */
#define MAX_RECORD_SIZE (16 * 1024 * 1024)
#define SNIFF_LINES     20

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
} RowProblem;

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

G_DEFINE_FINAL_TYPE (PdCsvReader, pd_csv_reader, PD_TYPE_READER)

static const char replacement_char[] = "\xef\xbf\xbd";

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

static gboolean
is_utf8_name (const char *name)
{
  return g_ascii_strcasecmp (name, "UTF-8") == 0 || g_ascii_strcasecmp (name, "UTF8") == 0;
}

/* Decides whether a sample is UTF-8.  A few invalid bytes among many valid
 * multibyte characters still make a UTF-8 file: those bytes become row
 * errors rather than turning every accented name into mojibake.  A
 * sequence cut by the end of the sample is not held against it. */
static gboolean
sample_is_utf8 (const guchar *s,
                gsize         len,
                gboolean      eof)
{
  const guchar *end = s + len;
  guint multibyte = 0, invalid = 0;

  for (const guchar *p = s; p < end;)
    {
      int n;

      if (*p < 0x80)
        {
          p++;
          continue;
        }
      n = utf8_sequence (p, end);
      if (n == 0 && !eof)
        break;
      if (n > 0)
        {
          multibyte++;
          p += n;
        }
      else
        {
          invalid++;
          p++;
        }
    }

  return invalid == 0 || multibyte > invalid;
}

/* UTF-16 without a byte order mark: ASCII text shows as every other byte
 * being zero. */
static const char *
guess_bomless_utf16 (const guchar *s,
                     gsize         len)
{
  gsize pairs = MIN (len, 4096) / 2;
  gsize even_zeros = 0, odd_zeros = 0;

  if (pairs < 2)
    return NULL;
  for (gsize i = 0; i < pairs; i++)
    {
      even_zeros += s[2 * i] == 0;
      odd_zeros += s[2 * i + 1] == 0;
    }
  if (odd_zeros * 10 > pairs * 4 && even_zeros * 20 < pairs)
    return "UTF-16LE";
  if (even_zeros * 10 > pairs * 4 && odd_zeros * 20 < pairs)
    return "UTF-16BE";
  return NULL;
}

/* Files that are surely not text, so that a workbook or a PDF renamed to
 * .csv is refused instead of read as garbage rows. */
static gboolean
looks_binary (const guchar *s,
              gsize         len)
{
  gsize nuls = 0;

  if (len >= 4 && memcmp (s, "PK\x03\x04", 4) == 0)
    return TRUE;
  if (len >= 4 && memcmp (s, "\xd0\xcf\x11\xe0", 4) == 0)
    return TRUE;
  if (len >= 5 && memcmp (s, "%PDF-", 5) == 0)
    return TRUE;
  for (gsize i = 0; i < len; i++)
    nuls += s[i] == 0;
  return len > 0 && nuls * 10 > len;
}

static char *detect_text_encoding (const guchar *s, gsize len, gboolean eof,
                                   const char *name, GError **error);

static char *
detect_encoding (const guchar  *s,
                 gsize          len,
                 gboolean       eof,
                 const char    *name,
                 GError       **error)
{
  const char *utf16;

  if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
    return g_strdup ("UTF-8");
  if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE)
    return g_strdup ("UTF-16LE");
  if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF)
    return g_strdup ("UTF-16BE");
  if ((utf16 = guess_bomless_utf16 (s, len)) != NULL)
    return g_strdup (utf16);

  if (looks_binary (s, len))
    {
      g_set_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT,
                   _("%s is not a text file. "
                     "Use a .csv, .txt, .xlsx, .xls, .ods file, or a .zip holding one of them."),
                   name);
      return NULL;
    }

  return detect_text_encoding (s, len, eof, name, error);
}

/* UTF-8 or, failing that, what uchardet makes of the bytes. */
static char *
detect_text_encoding (const guchar  *s,
                      gsize          len,
                      gboolean       eof,
                      const char    *name,
                      GError       **error)
{
  g_autofree char *charset = NULL;
  uchardet_t ud;

  if (sample_is_utf8 (s, len, eof))
    return g_strdup ("UTF-8");

  ud = uchardet_new ();
  if (uchardet_handle_data (ud, (const char *) s, len) == 0)
    {
      uchardet_data_end (ud);
      charset = g_strdup (uchardet_get_charset (ud));
    }
  uchardet_delete (ud);

  if (charset == NULL || charset[0] == '\0')
    {
      g_set_error (error, PD_ERROR, PD_ERROR_ENCODING,
                   _("%s: the text encoding could not be recognised. "
                     "Save the file as UTF-8, or choose its encoding."),
                   name);
      return NULL;
    }

  return g_steal_pointer (&charset);
}

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

/* Picks the delimiter that splits the most of the first lines into the same
 * number of fields (more than one); among several, the one giving the most
 * fields; ties go to the earlier candidate, comma first. */
static char
sniff_delimiter (const char *text,
                 gsize       len,
                 gboolean    complete)
{
  static const char candidates[] = { ',', ';', '\t', '|' };
  guint counts[SNIFF_LINES][G_N_ELEMENTS (candidates)];
  guint current[G_N_ELEMENTS (candidates)] = { 0 };
  guint n_lines = 0;
  gboolean in_quotes = FALSE, has_content = FALSE;
  int best = -1;
  guint best_score = 0, best_mode = 0;

  for (gsize i = 0; i < len && n_lines < SNIFF_LINES; i++)
    {
      char c = text[i];

      if (c == '"')
        {
          in_quotes = !in_quotes;
          has_content = TRUE;
          continue;
        }
      if (in_quotes)
        continue;
      if (c == '\n' || c == '\r')
        {
          if (has_content)
            memcpy (counts[n_lines++], current, sizeof current);
          memset (current, 0, sizeof current);
          has_content = FALSE;
          continue;
        }
      has_content = TRUE;
      for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
        current[k] += c == candidates[k];
    }
  /* The last line counts only if it is whole, or if it is all there is. */
  if (has_content && n_lines < SNIFF_LINES && (complete || n_lines == 0))
    memcpy (counts[n_lines++], current, sizeof current);

  if (n_lines == 0)
    return ',';

  /* A title block above the header ("Customers, March" then a blank line)
   * must not decide: for each candidate take the field count most lines
   * agree on, and pick the candidate most lines agree with. */
  for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
    {
      guint mode = 0, mode_freq = 0;

      for (guint l = 0; l < n_lines; l++)
        {
          guint freq = 0;

          if (counts[l][k] == 0)
            continue;
          for (guint m = 0; m < n_lines; m++)
            freq += counts[m][k] == counts[l][k];
          if (freq > mode_freq || (freq == mode_freq && counts[l][k] > mode))
            {
              mode = counts[l][k];
              mode_freq = freq;
            }
        }
      if (mode_freq == 0)
        continue;
      if (mode_freq > best_score ||
          (mode_freq == best_score && mode > best_mode))
        {
          best = k;
          best_score = mode_freq;
          best_mode = mode;
        }
    }

  return best >= 0 ? candidates[best] : ',';
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
   * opens a quoted field. */
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
  gboolean started = FALSE;
  gboolean need_more = FALSE;
  guint n_fields = 1;
  gsize out_len = 0;
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
                  if (n_fields == self->offsets_cap)
                    {
                      self->offsets_cap *= 2;
                      self->offsets = g_renew (guint, self->offsets, self->offsets_cap);
                    }
                  self->offsets[n_fields++] = o - self->cells;
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
                   * kept as written. */
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
      /* More telling than a bad byte met on the way. */
      problem = PROBLEM_OPEN_QUOTE;
      problem_column = n_fields;
    }
  ensure_cells (self, out_len + 1);
  self->cells[out_len] = '\0';

make_row:
  self->row_number++;
  row = pd_row_new_packed (self->row_number, self->cells, self->offsets, n_fields);
  if (problem != PROBLEM_NONE)
    row->error = row_problem_message (self, problem, self->row_number, problem_column);
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

static gboolean
is_ascii (const char *s,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if ((guchar) s[i] >= 0x80)
      return FALSE;
  return TRUE;
}

/* An all-ASCII sample says nothing about the encoding: exports often hold
 * their first "José" thousands of rows down.  Look further, up to
 * READ_AHEAD_LIMIT, for the first non-ASCII bytes and decide on them, then
 * seek back.  Returns NULL with no error when nothing was found (UTF-8
 * then, which ASCII is). */
#define READ_AHEAD_LIMIT (G_GUINT64_CONSTANT (256) * 1024 * 1024)

static char *
detect_after_sample (PdCsvReader   *self,
                     const char    *name,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autofree char *probe = NULL;
  char *encoding = NULL;
  guint64 scanned = 0;

  if (!G_IS_SEEKABLE (self->stream) || !g_seekable_can_seek (G_SEEKABLE (self->stream)))
    return NULL;

  probe = g_malloc (CHUNK_SIZE);
  while (scanned < READ_AHEAD_LIMIT)
    {
      gsize n = 0;

      if (!g_input_stream_read_all (self->stream, probe, CHUNK_SIZE, &n, cancellable, error))
        return NULL;
      for (gsize i = 0; i < n; i++)
        if ((guchar) probe[i] >= 0x80)
          {
            /* The bytes before are ASCII, so a sequence starts here. */
            encoding = detect_text_encoding ((const guchar *) probe + i, n - i,
                                             n < CHUNK_SIZE, name, error);
            goto done;
          }
      scanned += n;
      if (n < CHUNK_SIZE)
        break;
    }

done:
  {
    g_autoptr(GError) seek_error = NULL;

    /* Reading must resume right after the sample, or fail. */
    if (!g_seekable_seek (G_SEEKABLE (self->stream), self->bytes_read, G_SEEK_SET,
                          cancellable, &seek_error))
      {
        g_clear_pointer (&encoding, g_free);
        if (error != NULL && *error == NULL)
          g_propagate_error (error, g_steal_pointer (&seek_error));
      }
  }
  return encoding;
}

static gboolean
setup_encoding (PdCsvReader            *self,
                const PdReaderOptions  *options,
                const char             *name,
                GCancellable           *cancellable,
                GError                **error)
{
  g_autofree char *encoding = NULL;

  if (options->encoding != NULL && options->encoding[0] != '\0')
    encoding = g_strdup (options->encoding);
  else if (!self->stream_eof && is_ascii (self->in, self->in_len))
    {
      GError *local_error = NULL;

      encoding = detect_after_sample (self, name, cancellable, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      if (encoding == NULL)
        encoding = g_strdup ("UTF-8");
    }
  else if ((encoding = detect_encoding ((const guchar *) self->in, self->in_len,
                                        self->stream_eof, name, error)) == NULL)
    return FALSE;

  /* ISO-8859-1 files from Windows are Windows-1252, its superset, which
   * puts € and curly quotes where Latin-1 has control codes. */
  if (g_ascii_strcasecmp (encoding, "ISO-8859-1") == 0 ||
      g_ascii_strcasecmp (encoding, "ISO8859-1") == 0 ||
      g_ascii_strcasecmp (encoding, "LATIN1") == 0)
    {
      g_free (encoding);
      encoding = g_strdup ("WINDOWS-1252");
    }

  if (is_utf8_name (encoding))
    {
      self->is_utf8 = TRUE;
      self->encoding = g_strdup ("UTF-8");
      return TRUE;
    }

  self->cd = g_iconv_open ("UTF-8", encoding);
  if (self->cd == (GIConv) -1)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_ENCODING,
                   _("%s: the text encoding “%s” is not known"), name, encoding);
      return FALSE;
    }
  if (strstr (encoding, "16") != NULL && g_ascii_strncasecmp (encoding, "UTF", 3) == 0)
    self->unit = 2;
  else if (strstr (encoding, "32") != NULL || g_ascii_strncasecmp (encoding, "UCS-4", 5) == 0)
    self->unit = 4;
  self->encoding = g_steal_pointer (&encoding);

  /* The sample moves to the raw buffer to be converted like the rest. */
  self->raw = g_malloc (CHUNK_SIZE);
  memcpy (self->raw, self->in, self->in_len);
  self->raw_len = self->in_len;
  self->in_len = 0;
  self->in[0] = '\0';

  return TRUE;
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

  if (!setup_encoding (self, options, name, cancellable, error))
    return NULL;

  if (self->cd != (GIConv) -1 && fill_input (self, cancellable, error) < 0)
    return NULL;

  /* A byte order mark is not part of the first header. */
  if (self->in_len >= 3 && memcmp (self->in, "\xef\xbb\xbf", 3) == 0)
    self->in_pos = 3;

  if (options->delimiter != 0)
    self->delimiter = (char) options->delimiter;
  else
    self->delimiter = sniff_delimiter (self->in + self->in_pos, self->in_len - self->in_pos,
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
