/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdRecord and the memory its strings live in.
 *
 * A record's strings are bump-allocated from blocks the record owns
 * (pd-record.h says why).  pd_record_reset() keeps one block, sized for
 * what the record held, so that a record reused row after row settles on
 * one block and allocates nothing more. */
#include "pd-record.h"

#include <stdarg.h>
#include <string.h>

/* The first block's size: a typical row's strings fit. */
#define FIRST_BLOCK   512
/* A block bigger than this (a row with a huge cell) is not kept by
 * pd_record_reset(): one odd row must not pin memory for the rest. */
#define MAX_KEPT      16384

typedef struct _Block Block;
struct _Block
{
  Block *next;   /* older, full blocks */
  gsize  size;   /* bytes of data after the header */
  gsize  used;
};

#define BLOCK_DATA(b) ((char *) ((b) + 1))

G_DEFINE_BOXED_TYPE (PdRecord, pd_record, pd_record_copy, pd_record_free)

static Block *
block_new (gsize size,
           Block *next)
{
  Block *block = g_malloc (sizeof (Block) + size);

  block->next = next;
  block->size = size;
  block->used = 0;
  return block;
}

static void
blocks_free (Block *block)
{
  while (block != NULL)
    {
      Block *next = block->next;

      g_free (block);
      block = next;
    }
}

/**
 * pd_record_alloc:
 * @size: bytes
 *
 * Returns: (transfer none): @size bytes of the record's memory, valid
 *   until the record is reset or freed; not aligned (for text)
 */
char *
pd_record_alloc (PdRecord *record,
                 gsize     size)
{
  Block *block = record->strings;
  char *p;

  if (block == NULL || block->size - block->used < size)
    {
      gsize want = block != NULL ? block->size * 2 : FIRST_BLOCK;

      block = block_new (MAX (want, size), block);
      record->strings = block;
    }
  p = BLOCK_DATA (block) + block->used;
  block->used += size;
  return p;
}

/**
 * pd_record_strndup:
 * @text: (nullable): text
 * @len: its length in bytes, or -1 when NUL-terminated
 *
 * Returns: (transfer none) (nullable): a copy of @text in the record's
 *   memory (NULL for NULL)
 */
char *
pd_record_strndup (PdRecord   *record,
                   const char *text,
                   gssize      len)
{
  char *copy;

  if (text == NULL)
    return NULL;
  if (len < 0)
    len = strlen (text);
  copy = pd_record_alloc (record, len + 1);
  memcpy (copy, text, len);
  copy[len] = '\0';
  return copy;
}

PdRecord *
pd_record_new (guint row)
{
  PdRecord *record = g_new0 (PdRecord, 1);

  record->row = row;
  record->emails = g_ptr_array_new ();
  record->phones = g_ptr_array_new ();
  record->tags = g_ptr_array_new ();
  record->attribute_names = g_ptr_array_new ();
  record->attribute_values = g_ptr_array_new ();
  record->errors = g_ptr_array_new ();
  record->warnings = g_ptr_array_new ();

  return record;
}

static void
copy_strings (PdRecord  *record,
              GPtrArray *to,
              GPtrArray *from)
{
  for (guint i = 0; i < from->len; i++)
    g_ptr_array_add (to, pd_record_strndup (record, g_ptr_array_index (from, i), -1));
}

PdRecord *
pd_record_copy (const PdRecord *record)
{
  PdRecord *copy = pd_record_new (record->row);

  for (guint i = 0; i < PD_FIELD_N_BUILTIN; i++)
    copy->values[i] = pd_record_strndup (copy, record->values[i], -1);
  copy_strings (copy, copy->emails, record->emails);
  copy_strings (copy, copy->phones, record->phones);
  copy_strings (copy, copy->tags, record->tags);
  copy_strings (copy, copy->attribute_names, record->attribute_names);
  copy_strings (copy, copy->attribute_values, record->attribute_values);
  copy_strings (copy, copy->errors, record->errors);
  copy_strings (copy, copy->warnings, record->warnings);
  if (record->source != NULL)
    copy->source = pd_row_copy (record->source);

  return copy;
}

void
pd_record_free (PdRecord *record)
{
  if (record == NULL)
    return;

  g_ptr_array_unref (record->emails);
  g_ptr_array_unref (record->phones);
  g_ptr_array_unref (record->tags);
  g_ptr_array_unref (record->attribute_names);
  g_ptr_array_unref (record->attribute_values);
  g_ptr_array_unref (record->errors);
  g_ptr_array_unref (record->warnings);
  g_clear_pointer (&record->source, pd_row_free);
  blocks_free (record->strings);
  g_free (record);
}

/**
 * pd_record_reset:
 * @row: the new row number
 *
 * Empties @record as pd_record_new() makes it, keeping its arrays and
 * memory, so that a pipeline can reuse records instead of allocating for
 * every row: see pd_record_source_recycle_batch().
 */
void
pd_record_reset (PdRecord *record,
                 guint     row)
{
  Block *block = record->strings;

  record->row = row;
  memset (record->values, 0, sizeof record->values);
  g_ptr_array_set_size (record->emails, 0);
  g_ptr_array_set_size (record->phones, 0);
  g_ptr_array_set_size (record->tags, 0);
  g_ptr_array_set_size (record->attribute_names, 0);
  g_ptr_array_set_size (record->attribute_values, 0);
  g_ptr_array_set_size (record->errors, 0);
  g_ptr_array_set_size (record->warnings, 0);
  g_clear_pointer (&record->source, pd_row_free);

  if (block == NULL)
    return;
  if (block->next != NULL)
    {
      /* Several blocks: next time one block holds it all. */
      gsize total = 0;

      for (Block *b = block; b != NULL; b = b->next)
        total += b->used;
      blocks_free (block);
      record->strings = total <= MAX_KEPT ? block_new (MAX (total, FIRST_BLOCK), NULL) : NULL;
    }
  else if (block->size > MAX_KEPT)
    g_clear_pointer (&record->strings, blocks_free);
  else
    block->used = 0;
}

gboolean
pd_record_is_valid (const PdRecord *record)
{
  return record->errors->len == 0;
}

/* @value: (nullable): copied */
void
pd_record_set_value (PdRecord   *record,
                     PdFieldId   field,
                     const char *value)
{
  g_return_if_fail (field >= 0 && field < PD_FIELD_N_BUILTIN);

  record->values[field] = pd_record_strndup (record, value, -1);
}

/* @value: (nullable): not copied: a string that outlives the record, such
 * as a literal or a choice key of the field catalogue */
void
pd_record_set_static_value (PdRecord   *record,
                            PdFieldId   field,
                            const char *value)
{
  g_return_if_fail (field >= 0 && field < PD_FIELD_N_BUILTIN);

  record->values[field] = (char *) value;
}

void
pd_record_add_error (PdRecord   *record,
                     const char *reason)
{
  g_ptr_array_add (record->errors, pd_record_strndup (record, reason, -1));
}

void
pd_record_add_warning (PdRecord   *record,
                       const char *warning)
{
  g_ptr_array_add (record->warnings, pd_record_strndup (record, warning, -1));
}

void
pd_record_add_email (PdRecord   *record,
                     const char *email)
{
  g_ptr_array_add (record->emails, pd_record_strndup (record, email, -1));
}

void
pd_record_add_phone (PdRecord   *record,
                     const char *phone)
{
  g_ptr_array_add (record->phones, pd_record_strndup (record, phone, -1));
}

void
pd_record_add_tag (PdRecord   *record,
                   const char *tag)
{
  g_ptr_array_add (record->tags, pd_record_strndup (record, tag, -1));
}

void
pd_record_set_attribute (PdRecord   *record,
                         const char *name,
                         const char *value)
{
  for (guint i = 0; i < record->attribute_names->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (record->attribute_names, i), name) == 0)
      {
        record->attribute_values->pdata[i] = pd_record_strndup (record, value, -1);
        return;
      }
  g_ptr_array_add (record->attribute_names, pd_record_strndup (record, name, -1));
  g_ptr_array_add (record->attribute_values, pd_record_strndup (record, value, -1));
}

/* ---- Messages --------------------------------------------------------- */

/* Messages are formatted straight into the record's memory.  Their
 * (translated) formats only use %s, %u, %d and %%; printf proper, with a
 * heap buffer grown by realloc, was a tenth of the time of a big analysis
 * where most rows had a message.  Anything else (positional arguments in a
 * translation, widths) goes to g_strdup_vprintf(), so the text is always
 * what printf would give. */

static gboolean
is_simple_format (const char *format)
{
  for (const char *p = strchr (format, '%'); p != NULL; p = strchr (p + 2, '%'))
    if (p[1] != 's' && p[1] != 'u' && p[1] != 'd' && p[1] != '%')
      return FALSE;
  return TRUE;
}

static gsize
format_number (char          buf[24],
               gboolean      negative,
               unsigned long magnitude)
{
  char digits[24];
  gsize n = 0, len = 0;

  do
    {
      digits[n++] = '0' + magnitude % 10;
      magnitude /= 10;
    }
  while (magnitude > 0);
  if (negative)
    buf[len++] = '-';
  while (n > 0)
    buf[len++] = digits[--n];
  return len;
}

/* One pass measures (@out NULL), the second writes. */
static gsize
format_simple (char       *out,
               const char *format,
               va_list     args)
{
  gsize len = 0;

  for (const char *p = format; *p; p++)
    {
      const char *piece;
      gsize n;
      char num[24];

      if (*p != '%')
        {
          const char *next = strchr (p, '%');

          n = next != NULL ? (gsize) (next - p) : strlen (p);
          if (out != NULL)
            memcpy (out + len, p, n);
          len += n;
          p += n - 1;
          continue;
        }

      p++;
      switch (*p)
        {
        case 's':
          piece = va_arg (args, const char *);
          if (piece == NULL)
            piece = "(null)";
          n = strlen (piece);
          break;
        case 'u':
          n = format_number (num, FALSE, va_arg (args, unsigned int));
          piece = num;
          break;
        case 'd':
          {
            int v = va_arg (args, int);

            n = format_number (num, v < 0, v < 0 ? 0UL - (unsigned long) (long) v : (unsigned long) v);
            piece = num;
          }
          break;
        default: /* '%' */
          piece = "%";
          n = 1;
          break;
        }
      if (out != NULL)
        memcpy (out + len, piece, n);
      len += n;
    }
  return len;
}

static char *
record_vprintf (PdRecord   *record,
                const char *format,
                va_list     args)
{
  va_list measure;
  gsize len;
  char *text;

  if (!is_simple_format (format))
    {
      g_autofree char *heap = g_strdup_vprintf (format, args);

      return pd_record_strndup (record, heap, -1);
    }

  va_copy (measure, args);
  len = format_simple (NULL, format, measure);
  va_end (measure);
  text = pd_record_alloc (record, len + 1);
  format_simple (text, format, args);
  text[len] = '\0';
  return text;
}

void
pd_record_add_errorf (PdRecord   *record,
                      const char *format,
                      ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (record->errors, record_vprintf (record, format, args));
  va_end (args);
}

void
pd_record_add_warningf (PdRecord   *record,
                        const char *format,
                        ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (record->warnings, record_vprintf (record, format, args));
  va_end (args);
}
