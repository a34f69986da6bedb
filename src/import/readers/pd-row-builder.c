/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pd-row-builder.h"

typedef struct {
  guint column;
  gsize offset;  /* into text */
  gsize len;
} Slot;

struct _PdRowBuilder
{
  GString *text;     /* the non-empty cells' text, back to back */
  GArray  *slots;    /* Slot, one per non-empty cell */
  GString *packed;   /* the row as pd_row_new_packed() wants it */
  GArray  *offsets;  /* guint */
  char    *error;
  gboolean sorted;
};

PdRowBuilder *
pd_row_builder_new (void)
{
  PdRowBuilder *self = g_new0 (PdRowBuilder, 1);

  self->text = g_string_sized_new (256);
  self->slots = g_array_new (FALSE, FALSE, sizeof (Slot));
  self->packed = g_string_sized_new (256);
  self->offsets = g_array_new (FALSE, FALSE, sizeof (guint));
  self->sorted = TRUE;
  return self;
}

void
pd_row_builder_free (PdRowBuilder *self)
{
  if (self == NULL)
    return;
  g_string_free (self->text, TRUE);
  g_array_unref (self->slots);
  g_string_free (self->packed, TRUE);
  g_array_unref (self->offsets);
  g_free (self->error);
  g_free (self);
}

void
pd_row_builder_reset (PdRowBuilder *self)
{
  g_string_truncate (self->text, 0);
  g_array_set_size (self->slots, 0);
  g_clear_pointer (&self->error, g_free);
  self->sorted = TRUE;
}

/* Empty text is not stored: it is what a gap is filled with anyway. */
void
pd_row_builder_add (PdRowBuilder *self,
                    guint         column,
                    const char   *text,
                    gssize        len)
{
  Slot slot;

  if (len < 0)
    len = (gssize) strlen (text);
  if (len == 0)
    return;

  if (self->slots->len > 0 &&
      g_array_index (self->slots, Slot, self->slots->len - 1).column >= column)
    self->sorted = FALSE;

  slot.column = column;
  slot.offset = self->text->len;
  slot.len = (gsize) len;
  g_string_append_len (self->text, text, len);
  g_array_append_val (self->slots, slot);
}

gboolean
pd_row_builder_is_empty (PdRowBuilder *self)
{
  return self->slots->len == 0;
}

void
pd_row_builder_set_error (PdRowBuilder *self,
                          const char   *error)
{
  if (self->error == NULL)
    self->error = g_strdup (error);
}

static int
compare_slots (gconstpointer a,
               gconstpointer b)
{
  const Slot *sa = a, *sb = b;

  if (sa->column != sb->column)
    return sa->column < sb->column ? -1 : 1;
  /* Same column twice: keep file order so that the last one wins. */
  return sa->offset < sb->offset ? -1 : (sa->offset > sb->offset);
}

/* Returns: (transfer full): the row, and resets the builder */
PdRow *
pd_row_builder_finish (PdRowBuilder *self,
                       guint         number)
{
  guint next_column = 0;
  PdRow *row;

  if (!self->sorted)
    g_array_sort (self->slots, compare_slots);

  g_string_truncate (self->packed, 0);
  g_array_set_size (self->offsets, 0);
  for (guint i = 0; i < self->slots->len; i++)
    {
      const Slot *slot = &g_array_index (self->slots, Slot, i);
      guint offset;

      if (i + 1 < self->slots->len &&
          g_array_index (self->slots, Slot, i + 1).column == slot->column)
        continue;
      for (; next_column < slot->column; next_column++)
        {
          offset = (guint) self->packed->len;
          g_array_append_val (self->offsets, offset);
          g_string_append_c (self->packed, '\0');
        }
      offset = (guint) self->packed->len;
      g_array_append_val (self->offsets, offset);
      g_string_append_len (self->packed, self->text->str + slot->offset, (gssize) slot->len);
      g_string_append_c (self->packed, '\0');
      next_column = slot->column + 1;
    }

  row = pd_row_new_packed (number, self->packed->str, (const guint *) self->offsets->data,
                           self->offsets->len);
  if (self->error != NULL)
    pd_row_set_error (row, self->error);
  pd_row_builder_reset (self);
  return row;
}
