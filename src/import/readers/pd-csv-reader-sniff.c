/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How PdCsvReader decides what it reads: the text encoding (a byte order
 * mark, UTF-8, or uchardet's guess, looking further down the file when the
 * sample is all ASCII) and the delimiter.  The stream and the record
 * parser: pd-csv-reader.c. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <uchardet/uchardet.h>

#include "pd-csv-reader-private.h"
#include "pd-error.h"

#define SNIFF_LINES     20

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
                                   const char *name, gboolean *weak, GError **error);

static char *
detect_encoding (const guchar  *s,
                 gsize          len,
                 gboolean       eof,
                 const char    *name,
                 gboolean      *weak,
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

  return detect_text_encoding (s, len, eof, name, weak, error);
}

/* Whether an 8-bit guess rests on little: a few non-ASCII bytes, or bytes
 * that are partly valid UTF-8 (a UTF-8 file with broken bytes, which
 * read as 8-bit turns every accent into two wrong characters). */
static gboolean
guess_is_weak (const guchar *s,
               gsize         len)
{
  const guchar *end = s + len;
  guint high = 0, multibyte = 0;

  for (const guchar *p = s; p < end;)
    {
      int n;

      if (*p < 0x80)
        {
          p++;
          continue;
        }
      high++;
      n = utf8_sequence (p, end);
      if (n > 1)
        {
          multibyte++;
          p += n;
        }
      else
        {
          p++;
        }
    }
  return high < 16 || multibyte > 0;
}

/* UTF-8 or, failing that, what uchardet makes of the bytes. */
static char *
detect_text_encoding (const guchar  *s,
                      gsize          len,
                      gboolean       eof,
                      const char    *name,
                      gboolean      *weak,
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

  *weak = guess_is_weak (s, len);
  return g_steal_pointer (&charset);
}

/* Picks the delimiter that splits the most of the first lines into the same
 * number of fields (more than one); among several, the one giving the most
 * fields; ties go to the earlier candidate, comma first. */
char
_pd_csv_sniff_delimiter (const char *text,
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
                     gboolean      *weak,
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
                                             n < CHUNK_SIZE, name, weak, error);
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

gboolean
_pd_csv_reader_setup_encoding (PdCsvReader            *self,
                               const PdReaderOptions  *options,
                               const char             *name,
                               GCancellable           *cancellable,
                               GError                **error)
{
  g_autofree char *encoding = NULL;
  gboolean weak = FALSE;

  if (options->encoding != NULL && options->encoding[0] != '\0')
    encoding = g_strdup (options->encoding);
  else if (!self->stream_eof && is_ascii (self->in, self->in_len))
    {
      GError *local_error = NULL;

      encoding = detect_after_sample (self, name, &weak, cancellable, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      if (encoding == NULL)
        encoding = g_strdup ("UTF-8");
    }
  else if ((encoding = detect_encoding ((const guchar *) self->in, self->in_len,
                                        self->stream_eof, name, &weak, error)) == NULL)
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
  if (weak)
    {
      g_autofree char *warning =
        g_strdup_printf (_("%s is not valid UTF-8 and its encoding could only be guessed (%s): "
                           "accented letters may come out wrong. If they do, save the file as "
                           "UTF-8 or choose its encoding."), name, encoding);

      pd_reader_add_warning (PD_READER (self), warning);
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
