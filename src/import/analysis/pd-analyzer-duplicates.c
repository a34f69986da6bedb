/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdAnalyzer: rows that repeat an email or phone of an earlier row, and
 * phones shared between customers, found through a set of 64-bit hashes
 * of the values seen (pd-analyzer.c says why hashes). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-analyzer-private.h"

/* ---- the seen set: 64-bit hash → first row, open addressing ---- */

/* Filled to at most 7/10. */
#define FITS(n, size) ((n) * 10 <= (size) * 7)

static inline guint64
slot_key (const PdSeenSlot *slot)
{
  return (guint64) slot->hi << 32 | slot->lo;
}

void
_pd_seen_set_init (PdSeenSet *set)
{
  set->mask = 4096 - 1;
  set->slots = g_new0 (PdSeenSlot, set->mask + 1);
  set->n = 0;
}

void
_pd_seen_set_clear (PdSeenSet *set)
{
  g_clear_pointer (&set->slots, g_free);
}

static void
seen_set_resize (PdSeenSet *set,
                 gsize      size)
{
  PdSeenSlot *old = set->slots;
  gsize old_size = set->mask + 1;

  set->mask = size - 1;
  set->slots = g_new0 (PdSeenSlot, size);
  for (gsize i = 0; i < old_size; i++)
    if (slot_key (&old[i]) != 0)
      {
        gsize slot = slot_key (&old[i]) & set->mask;

        while (slot_key (&set->slots[slot]) != 0)
          slot = (slot + 1) & set->mask;
        set->slots[slot] = old[i];
      }
  g_free (old);
}

/* Makes room for @n values at once, rather than doubling its way there
 * and rehashing everything each time. */
static void
seen_set_reserve (PdSeenSet *set,
                  gsize      n)
{
  gsize size = set->mask + 1;

  while (!FITS (n, size))
    size *= 2;
  if (size > set->mask + 1)
    seen_set_resize (set, size);
}

static inline void
seen_set_prefetch (const PdSeenSet *set,
                   guint64          key)
{
  __builtin_prefetch (&set->slots[key & set->mask]);
}

/* Returns: the row that holds @key already, or 0 after adding it for @row */
static guint
seen_set_check (PdSeenSet *set,
                guint64    key,
                guint      row)
{
  gsize slot;

  if (!FITS (set->n + 1, set->mask + 1))
    seen_set_resize (set, (set->mask + 1) * 2);

  for (slot = key & set->mask; slot_key (&set->slots[slot]) != 0; slot = (slot + 1) & set->mask)
    if (slot_key (&set->slots[slot]) == key)
      return set->slots[slot].row;

  set->slots[slot].lo = (guint32) key;
  set->slots[slot].hi = (guint32) (key >> 32);
  set->slots[slot].row = row;
  set->n++;
  return 0;
}

static inline guint64
mix64 (guint64 x)
{
  x ^= x >> 30;
  x *= G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x ^= x >> 27;
  x *= G_GUINT64_CONSTANT (0x94d049bb133111eb);
  x ^= x >> 31;
  return x;
}

/* Eight bytes a step through splitmix64's finalizer, which is a
 * bijection: well spread, and fast enough to be noise next to parsing. */
static guint64
hash_value (const char *s,
            guint64     seed)
{
  gsize len = strlen (s);
  guint64 h = mix64 (seed ^ (len * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)));
  guint64 w;

  while (len >= 8)
    {
      memcpy (&w, s, 8);
      h = mix64 (h ^ w) + G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
      s += 8;
      len -= 8;
    }
  w = 0;
  memcpy (&w, s, len);
  h = mix64 (h ^ w ^ ((guint64) len << 56));

  return h != 0 ? h : 1;
}

static gboolean
email_rows_has (const PdEmailRows *rows,
                guint              row)
{
  return row / 8 < rows->bits->len && (rows->bits->data[row / 8] & (1u << (row % 8))) != 0;
}

static void
email_rows_add (PdEmailRows *rows,
                guint        row)
{
  if (row / 8 >= rows->bits->len)
    {
      guint old = rows->bits->len;

      g_byte_array_set_size (rows->bits, MAX (row / 8 + 1, old * 2));
      memset (rows->bits->data + old, 0, rows->bits->len - old);
    }
  rows->bits->data[row / 8] |= 1u << (row % 8);
}

/* @hashes: the record's email hashes then phone hashes, see
 * _pd_analyzer_hash_values() */
void
_pd_analyzer_check_duplicates (PdAnalysis    *analysis,
                               PdSeenSet     *seen,
                               PdEmailRows   *email_rows,
                               PdRecord      *record,
                               const guint64 *hashes,
                               guint          n_hashes,
                               PdFirstSeen   *first)
{
  guint earliest = 0;
  const char *what = NULL;
  const char *value = NULL;
  guint h = 0;
  guint own_rows[MAX_EMAIL_ROWS], n_own = 0;
  gboolean shared = FALSE;

  for (guint kind = 0; kind < 2; kind++)
    {
      GPtrArray *values = kind == 0 ? record->emails : record->phones;

      for (guint i = 0; i < values->len; i++, h++)
        {
          guint row;

          /* Ask the memory for slots a few values ahead: the set is
           * megabytes big, and each probe would otherwise wait for it. */
          if (h + 8 < n_hashes)
            seen_set_prefetch (seen, hashes[h + 8]);
          row = seen_set_check (seen, hashes[h], record->row);
          if (kind == 0 && n_own < MAX_EMAIL_ROWS)
            own_rows[n_own++] = row;
          if (row == 0 || row == record->row)
            continue;
          /* a phone of an earlier row with another email, none of this
           * row's: another customer sharing it (the import keeps them
           * apart, see PdImportOptions.merge_shared_phones) */
          if (kind == 1 && record->emails->len > 0 && record->emails->len <= MAX_EMAIL_ROWS &&
              email_rows_has (email_rows, row))
            {
              gboolean same = FALSE;

              for (guint e = 0; e < n_own && !same; e++)
                same = own_rows[e] == row;
              if (!same)
                {
                  pd_record_add_warningf (record, _("Row %u: phone %s is also row %u's, another "
                                                    "customer with another email; the import keeps "
                                                    "them apart, this row without the phone"),
                                          record->row, (const char *) g_ptr_array_index (values, i), row);
                  if (!shared)
                    _pd_analysis_count_shared_phone (analysis);
                  shared = TRUE;
                  if (first->first_shared_row == 0)
                    {
                      first->first_shared_row = record->row;
                      first->first_shared_of = row;
                    }
                  continue;
                }
            }
          if (earliest == 0 || row < earliest)
            {
              earliest = row;
              value = g_ptr_array_index (values, i);
              what = kind == 0 ? _("email") : _("phone");
            }
        }
    }
  if (record->emails->len > 0)
    email_rows_add (email_rows, record->row);

  if (earliest == 0)
    return;

  /* TRANSLATORS: "Row 12: duplicate of row 3 (same email “a@b.c”); ..." */
  pd_record_add_warningf (record, _("Row %u: duplicate of row %u (same %s “%s”); "
                                    "the import combines them"),
                          record->row, earliest, what, value);
  _pd_analysis_count_duplicate (analysis);
  if (first->first_dup_row == 0)
    {
      first->first_dup_row = record->row;
      first->first_dup_of = earliest;
    }
}

/* The hashes of the valid records' emails and phones, in the order
 * _pd_analyzer_check_duplicates() looks them up. */
void
_pd_analyzer_hash_values (GPtrArray *batch,
                          GArray    *hashes)
{
  g_array_set_size (hashes, 0);
  for (guint i = 0; i < batch->len; i++)
    {
      PdRecord *record = g_ptr_array_index (batch, i);

      /* The records were just written on other cores: ask for them a few
       * ahead, the arrays once the record itself is likely here. */
      if (i + 8 < batch->len)
        __builtin_prefetch (g_ptr_array_index (batch, i + 8));
      if (i + 4 < batch->len)
        {
          PdRecord *ahead = g_ptr_array_index (batch, i + 4);

          __builtin_prefetch (ahead->errors);
          __builtin_prefetch (ahead->emails);
          __builtin_prefetch (ahead->phones);
        }

      if (!pd_record_is_valid (record))
        continue;
      for (guint kind = 0; kind < 2; kind++)
        {
          GPtrArray *values = kind == 0 ? record->emails : record->phones;

          for (guint v = 0; v < values->len; v++)
            {
              guint64 hash = hash_value (g_ptr_array_index (values, v), kind + 1);

              g_array_append_val (hashes, hash);
            }
        }
    }
}

/* Room for the values the whole file will bring, judged from the first
 * batch and how far into the file it reached (position and size are in
 * the reader's unit: only their ratio counts).  Bounded: a first batch
 * that misleads costs at most this much memory up front. */
#define MAX_RESERVED_VALUES (1u << 22)

void
_pd_analyzer_reserve_for_file (PdSeenSet      *seen,
                               PdRecordSource *source,
                               guint           n_values)
{
  guint64 position = pd_record_source_get_position (source);
  guint64 size = pd_record_source_get_size (source);
  double expected;

  if (position == 0 || size <= position || n_values == 0)
    return;
  expected = (double) n_values * size / position * 1.05;
  seen_set_reserve (seen, (gsize) MIN (expected, (double) MAX_RESERVED_VALUES));
}
