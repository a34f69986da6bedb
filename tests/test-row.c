/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "pd-row.h"

static void
test_row_packed (void)
{
  const char *cells[] = { "a", "", "ção" };
  g_autoptr(PdRow) row = pd_row_new (7, cells, 3);
  g_autoptr(PdRow) copy = NULL;

  g_assert_cmpuint (row->number, ==, 7);
  g_assert_cmpuint (row->n_cells, ==, 3);
  g_assert_cmpstr (pd_row_get_cell (row, 0), ==, "a");
  g_assert_cmpstr (pd_row_get_cell (row, 1), ==, "");
  g_assert_cmpstr (pd_row_get_cell (row, 2), ==, "ção");
  g_assert_cmpstr (pd_row_get_cell (row, 9), ==, "");
  g_assert_false (pd_row_is_blank (row));

  pd_row_set_error (row, "bad");
  copy = pd_row_copy (row);
  g_assert_cmpstr (copy->error, ==, "bad");
  g_assert_cmpstr (copy->cells[2], ==, "ção");
}

static void
test_row_blank (void)
{
  const char *cells[] = { " ", "\t", "" };
  g_autoptr(PdRow) row = pd_row_new (1, cells, 3);
  g_autoptr(PdRow) empty = pd_row_new (2, NULL, 0);

  g_assert_true (pd_row_is_blank (row));
  g_assert_true (pd_row_is_blank (empty));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/row/packed", test_row_packed);
  g_test_add_func ("/row/blank", test_row_blank);
  return g_test_run ();
}
