/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Writing small zip containers in tests (hand-made .xlsx and .ods parts),
 * with libgsf (whose types have no g_autoptr support).  Header-only: each test program includes what it needs. */

#include <gsf/gsf.h>
#include <string.h>

typedef struct {
  const char *name;
  const char *data;
  gsize       repeat;  /* data is written this many times; 0 means once */
  gboolean    stored;  /* no compression (an ODF mimetype must be) */
} PdTestZipEntry;

static GsfOutfile *
pd_test_zip_dir (GsfOutfile *zip,
                 GHashTable *dirs,
                 GPtrArray  *order,
                 const char *dir)
{
  GsfOutfile *parent, *out;
  const char *slash;
  g_autofree char *parent_dir = NULL;

  if (dir == NULL || *dir == '\0')
    return zip;
  out = g_hash_table_lookup (dirs, dir);
  if (out != NULL)
    return out;
  slash = strrchr (dir, '/');
  parent_dir = slash ? g_strndup (dir, slash - dir) : NULL;
  parent = pd_test_zip_dir (zip, dirs, order, parent_dir);
  out = GSF_OUTFILE (gsf_outfile_new_child (parent, slash ? slash + 1 : dir, TRUE));
  g_hash_table_insert (dirs, g_strdup (dir), out);
  g_ptr_array_add (order, out);
  return out;
}

G_GNUC_UNUSED static void
pd_test_write_zip (const char           *path,
                   const PdTestZipEntry *entries,
                   gsize                 n_entries)
{
  g_autoptr(GError) error = NULL;
  GsfOutput *sink = gsf_output_stdio_new (path, &error);
  GsfOutfile *zip = NULL;
  g_autoptr(GHashTable) dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();

  g_assert_no_error (error);
  zip = gsf_outfile_zip_new (sink, &error);
  g_assert_no_error (error);

  for (gsize i = 0; i < n_entries; i++)
    {
      const char *slash = strrchr (entries[i].name, '/');
      g_autofree char *dir = slash ? g_strndup (entries[i].name, slash - entries[i].name) : NULL;
      GsfOutfile *parent = pd_test_zip_dir (zip, dirs, order, dir);
      GsfOutput *child =
        gsf_outfile_new_child_full (parent, slash ? slash + 1 : entries[i].name, FALSE,
                                    "compression-level",
                                    entries[i].stored ? GSF_ZIP_STORED : GSF_ZIP_DEFLATED,
                                    NULL);
      gsize len = strlen (entries[i].data);

      g_assert_nonnull (child);
      for (gsize r = 0; r < MAX (entries[i].repeat, 1); r++)
        g_assert_true (gsf_output_write (child, len, (const guint8 *) entries[i].data));
      g_assert_true (gsf_output_close (child));
      g_object_unref (child);
    }

  for (guint i = order->len; i > 0; i--)
    {
      GsfOutput *dir = g_ptr_array_index (order, i - 1);

      gsf_output_close (dir);
      g_object_unref (dir);
    }
  g_assert_true (gsf_output_close (GSF_OUTPUT (zip)));
  gsf_output_close (sink);
  g_object_unref (zip);
  g_object_unref (sink);
}
