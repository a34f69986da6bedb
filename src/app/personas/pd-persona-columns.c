/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pd-persona-columns.h"

/* Widths in px of the columns that are not name or email: the column
 * view they replace had these, with room for "Loyalty" and its arrow. */
static const int fixed_width[PD_PERSONA_N_COLUMNS] = { 0, 0, 140, 96, 96, 150 };
#define FLEXIBLE_MIN_WIDTH 120

struct _PdPersonaColumns
{
  GObject parent_instance;

  int     user_width[PD_PERSONA_N_COLUMNS];   /* dragged to by hand; 0: not */
};

G_DEFINE_FINAL_TYPE (PdPersonaColumns, pd_persona_columns, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
pd_persona_columns_class_init (PdPersonaColumnsClass *klass)
{
  /**
   * PdPersonaColumns::changed:
   *
   * A column was made wider or narrower by hand: the header and the rows
   * place their columns again.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pd_persona_columns_init (PdPersonaColumns *self)
{
}

PdPersonaColumns *
pd_persona_columns_new (void)
{
  return g_object_new (PD_TYPE_PERSONA_COLUMNS, NULL);
}

/**
 * pd_persona_columns_place:
 *
 * Places the columns in a row @width px wide, left to right: x[i] and
 * w[i] of column i.  The name takes its width by hand or shares with the
 * email what the others leave; all shrink together when the row is
 * narrower than their minimum, rather than the list scrolling sideways
 * under a header that does not.  Below nine tenths of that minimum the
 * least needed columns are left out (w[i] = 0: Source, then Loyalty), so
 * that a phone-width window shows names, emails and phones readably.
 */
void
pd_persona_columns_place (PdPersonaColumns *self,
                          int               width,
                          int               x[PD_PERSONA_N_COLUMNS],
                          int               w[PD_PERSONA_N_COLUMNS])
{
  gboolean name_set = self->user_width[PD_PERSONA_COLUMN_NAME] > 0;
  int want[PD_PERSONA_N_COLUMNS] = { 0 };
  int fixed = 0, flexible_min, left;
  double scale = 1.0;

  g_return_if_fail (PD_IS_PERSONA_COLUMNS (self));

  for (int i = PD_PERSONA_COLUMN_PHONE; i < PD_PERSONA_N_COLUMNS; i++)
    {
      want[i] = self->user_width[i] > 0 ? self->user_width[i] : fixed_width[i];
      fixed += want[i];
    }
  if (name_set)
    {
      want[PD_PERSONA_COLUMN_NAME] = self->user_width[PD_PERSONA_COLUMN_NAME];
      fixed += want[PD_PERSONA_COLUMN_NAME];
    }
  flexible_min = name_set ? FLEXIBLE_MIN_WIDTH : 2 * FLEXIBLE_MIN_WIDTH;
  width = MAX (width, 0);
  for (int i = PD_PERSONA_COLUMN_SOURCE; i > PD_PERSONA_COLUMN_POINTS && 10 * width < 9 * (fixed + flexible_min); i--)
    {
      fixed -= want[i];
      want[i] = 0;
    }
  if (width < fixed + flexible_min)
    scale = (double) width / (fixed + flexible_min);

  left = width;
  for (int i = 0; i < PD_PERSONA_N_COLUMNS; i++)
    if (i != PD_PERSONA_COLUMN_EMAIL && (i != PD_PERSONA_COLUMN_NAME || name_set))
      {
        w[i] = (int) (want[i] * scale);
        left -= w[i];
      }
  left = MAX (left, 0);
  if (name_set)
    w[PD_PERSONA_COLUMN_EMAIL] = left;
  else
    {
      w[PD_PERSONA_COLUMN_NAME] = left / 2;
      w[PD_PERSONA_COLUMN_EMAIL] = left - left / 2;
    }

  x[0] = 0;
  for (int i = 1; i < PD_PERSONA_N_COLUMNS; i++)
    x[i] = x[i - 1] + w[i - 1];
}

/**
 * pd_persona_columns_move_edge:
 * @edge: the column whose end is dragged (not the last)
 * @start: the columns' widths when the drag began (from _place())
 * @dx: how far the edge was dragged, px, towards the end of the row
 *
 * Moves the edge between @edge and the next column by @dx, as far as the
 * columns on either side allow: the name's edge takes from the email, the
 * email's from the phone, the others' from the column after them.
 */
void
pd_persona_columns_move_edge (PdPersonaColumns *self,
                              PdPersonaColumn   edge,
                              const int         start[PD_PERSONA_N_COLUMNS],
                              int               dx)
{
  PdPersonaColumn next = edge + 1;
  int room_before, room_after;

  g_return_if_fail (PD_IS_PERSONA_COLUMNS (self));
  g_return_if_fail (edge < PD_PERSONA_COLUMN_SOURCE);

  /* how far the edge may go back, and forward */
  room_before = start[edge] - PD_PERSONA_COLUMN_MIN_WIDTH;
  room_after = start[next] - (next == PD_PERSONA_COLUMN_EMAIL ? FLEXIBLE_MIN_WIDTH : PD_PERSONA_COLUMN_MIN_WIDTH);
  if (edge == PD_PERSONA_COLUMN_EMAIL)
    room_before = start[edge] - FLEXIBLE_MIN_WIDTH;
  dx = CLAMP (dx, -MAX (room_before, 0), MAX (room_after, 0));

  if (edge == PD_PERSONA_COLUMN_NAME)
    self->user_width[PD_PERSONA_COLUMN_NAME] = start[PD_PERSONA_COLUMN_NAME] + dx;
  else if (edge == PD_PERSONA_COLUMN_EMAIL)
    {
      /* the name stays where it is: the email alone gives or takes */
      self->user_width[PD_PERSONA_COLUMN_NAME] = start[PD_PERSONA_COLUMN_NAME];
      self->user_width[PD_PERSONA_COLUMN_PHONE] = start[PD_PERSONA_COLUMN_PHONE] - dx;
    }
  else
    {
      self->user_width[edge] = start[edge] + dx;
      self->user_width[next] = start[next] - dx;
    }
  g_signal_emit (self, signals[CHANGED], 0);
}

/* The columns on either side of @edge go back to their own widths. */
void
pd_persona_columns_reset_edge (PdPersonaColumns *self,
                               PdPersonaColumn   edge)
{
  g_return_if_fail (PD_IS_PERSONA_COLUMNS (self));
  g_return_if_fail (edge < PD_PERSONA_COLUMN_SOURCE);

  self->user_width[edge] = 0;
  self->user_width[edge + 1] = 0;
  if (edge == PD_PERSONA_COLUMN_EMAIL)
    self->user_width[PD_PERSONA_COLUMN_NAME] = 0;
  g_signal_emit (self, signals[CHANGED], 0);
}

/* The widths set by hand, in column order; 0 for a column that takes its
 * own width.  For remembering them. */
void
pd_persona_columns_get_widths (PdPersonaColumns *self,
                               int               widths[PD_PERSONA_N_COLUMNS])
{
  g_return_if_fail (PD_IS_PERSONA_COLUMNS (self));
  memcpy (widths, self->user_width, sizeof self->user_width);
}

/* Widths from pd_persona_columns_get_widths(), possibly of an older
 * version (fewer or more columns, any values): what does not fit is left
 * out.  The email column always takes what the others leave. */
void
pd_persona_columns_set_widths (PdPersonaColumns *self,
                               const int        *widths,
                               gsize             n_widths)
{
  g_return_if_fail (PD_IS_PERSONA_COLUMNS (self));

  for (int i = 0; i < PD_PERSONA_N_COLUMNS; i++)
    {
      int width = i < (int) n_widths ? widths[i] : 0;

      self->user_width[i] = i != PD_PERSONA_COLUMN_EMAIL && width >= PD_PERSONA_COLUMN_MIN_WIDTH
                            ? MIN (width, 4000) : 0;
    }
  g_signal_emit (self, signals[CHANGED], 0);
}

PdPersonaSort
pd_persona_column_get_sort (PdPersonaColumn column)
{
  switch (column)
    {
    case PD_PERSONA_COLUMN_NAME: return PD_PERSONA_SORT_NAME;
    case PD_PERSONA_COLUMN_EMAIL: return PD_PERSONA_SORT_EMAIL;
    case PD_PERSONA_COLUMN_PHONE: return PD_PERSONA_SORT_PHONE;
    case PD_PERSONA_COLUMN_POINTS: return PD_PERSONA_SORT_POINTS;
    case PD_PERSONA_COLUMN_LOYALTY: return PD_PERSONA_SORT_LOYALTY;
    case PD_PERSONA_COLUMN_SOURCE: return PD_PERSONA_SORT_SOURCE;
    case PD_PERSONA_N_COLUMNS:
    default: return PD_PERSONA_SORT_ID;
    }
}

static const char *const column_names[PD_PERSONA_N_COLUMNS] = {
  "name", "email", "phone", "points", "loyalty", "source"
};

const char *
pd_persona_column_get_name (PdPersonaColumn column)
{
  g_return_val_if_fail (column < PD_PERSONA_N_COLUMNS, NULL);
  return column_names[column];
}

gboolean
pd_persona_column_from_name (const char      *name,
                             PdPersonaColumn *column)
{
  for (int i = 0; i < PD_PERSONA_N_COLUMNS; i++)
    if (g_strcmp0 (name, column_names[i]) == 0)
      {
        *column = i;
        return TRUE;
      }
  return FALSE;
}

