/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "pd-row.h"

#include <string.h>

G_DEFINE_BOXED_TYPE (PdRow, pd_row, pd_row_copy, pd_row_free)

/* buffer holds n_cells NUL-terminated strings; offsets[i] is where cell i
 * starts.  The row is one block: struct, pointer array, then the text. */
PdRow *
pd_row_new_packed (guint        number,
                   const char  *buffer,
                   const guint *offsets,
                   guint        n_cells)
{
  gsize text_len = 0;
  PdRow *row;
  char *text;

  if (n_cells > 0)
    text_len = offsets[n_cells - 1] + strlen (buffer + offsets[n_cells - 1]) + 1;

  row = g_malloc (sizeof (PdRow) + (n_cells + 1) * sizeof (char *) + text_len);
  row->number = number;
  row->n_cells = n_cells;
  row->cells = (char **) (row + 1);
  row->error = NULL;
  row->stray_quote = 0;
  text = (char *) (row->cells + n_cells + 1);
  if (text_len > 0)
    memcpy (text, buffer, text_len);
  for (guint i = 0; i < n_cells; i++)
    row->cells[i] = text + offsets[i];
  row->cells[n_cells] = NULL;

  return row;
}

PdRow *
pd_row_new (guint               number,
            const char * const *cells,
            guint               n_cells)
{
  g_autoptr(GString) buf = g_string_new (NULL);
  g_autofree guint *offsets = g_new (guint, MAX (n_cells, 1));

  for (guint i = 0; i < n_cells; i++)
    {
      offsets[i] = buf->len;
      g_string_append (buf, cells[i] ? cells[i] : "");
      g_string_append_c (buf, '\0');
    }

  return pd_row_new_packed (number, buf->str, offsets, n_cells);
}

PdRow *
pd_row_copy (const PdRow *row)
{
  PdRow *copy = pd_row_new (row->number, (const char * const *) row->cells, row->n_cells);

  copy->error = g_strdup (row->error);
  copy->stray_quote = row->stray_quote;
  return copy;
}

void
pd_row_free (PdRow *row)
{
  if (row == NULL)
    return;
  g_free (row->error);
  g_free (row);
}

const char *
pd_row_get_cell (const PdRow *row,
                 guint        column)
{
  return column < row->n_cells ? row->cells[column] : "";
}

gboolean
pd_row_is_blank (const PdRow *row)
{
  for (guint i = 0; i < row->n_cells; i++)
    for (const char *p = row->cells[i]; *p; p++)
      if (!g_ascii_isspace (*p))
        return FALSE;
  return TRUE;
}

void
pd_row_set_error (PdRow      *row,
                  const char *error)
{
  g_free (row->error);
  row->error = g_strdup (error);
}
