/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the workbook reader tests share (test-xlsx-reader.c,
 * test-ods-reader.c, test-xls-reader.c, test-zip-reader.c): a temporary
 * folder for the files they write, reading a file's rows to the end, and
 * checking one row.  Header-only, as pd-test-zip.h: each test program
 * includes what it needs. */

#include <glib/gstdio.h>

#include "pd-reader.h"

/* A new temporary folder, @name_template as for g_dir_make_tmp(). */
static inline char *
pd_test_books_make_dir (const char *name_template)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (name_template, &error);

  g_assert_no_error (error);
  g_assert_nonnull (dir);
  return dir;
}

/* Removes the files in @dir, then @dir (the tests write no subfolders). */
static inline void
pd_test_books_remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

/* Reads @path to the end with pd_reader_open(), checking that it is read
 * as @format and that the position never passes the size (and, if
 * @to_size, that it reaches the size at the end).  Returns the rows, or
 * NULL with @error set. */
static inline GPtrArray *
pd_test_books_read_all (const char             *path,
                        const PdReaderOptions  *options,
                        const char             *format,
                        gboolean                to_size,
                        GError                **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PdReader) reader = pd_reader_open (file, options, NULL, error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_row_free);
  PdRow *row;

  if (reader == NULL)
    return NULL;
  g_assert_cmpstr (pd_reader_get_format (reader), ==, format);
  while ((row = pd_reader_next_row (reader, NULL, error)) != NULL)
    {
      g_assert_cmpuint (pd_reader_get_position (reader), <=, pd_reader_get_size (reader));
      g_ptr_array_add (rows, row);
    }
  if (error && *error)
    return NULL;
  if (to_size)
    g_assert_cmpuint (pd_reader_get_position (reader), ==, pd_reader_get_size (reader));
  return g_steal_pointer (&rows);
}

/* Row @index of @rows is sheet row @number with exactly @cells
 * (NULL-terminated). */
static inline void
pd_test_books_assert_cells (GPtrArray         *rows,
                            guint              index,
                            guint              number,
                            const char *const *cells)
{
  PdRow *row;
  guint n = g_strv_length ((char **) cells);

  g_assert_cmpuint (index, <, rows->len);
  row = g_ptr_array_index (rows, index);
  g_assert_cmpuint (row->number, ==, number);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (pd_row_get_cell (row, i), ==, cells[i]);
  g_assert_cmpuint (row->n_cells, ==, n);
}

/* The same, and the row carries no error. */
static inline void
pd_test_books_assert_row (GPtrArray         *rows,
                          guint              index,
                          guint              number,
                          const char *const *cells)
{
  pd_test_books_assert_cells (rows, index, number, cells);
  g_assert_null (((PdRow *) g_ptr_array_index (rows, index))->error);
}
