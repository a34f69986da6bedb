/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libintl.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pd-phone.h"
#include "pd-regions.h"

#define ISO_CODES_DOMAIN "iso_3166-1"

/* iso-codes is looked up at run time among the data directories rather
 * than found at build time: the Flatpak runtime and the host have it in
 * different places, and without it the chooser still works with codes. */
static GHashTable *
read_names (void)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char * const *dirs = g_get_system_data_dirs ();

  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dirs[i], "iso-codes", "json", "iso_3166-1.json", NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonNode *root;
      JsonArray *entries;

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      if (!json_parser_load_from_file (parser, path, &error))
        {
          g_debug ("Region names from %s: %s", path, error->message);
          continue;
        }
      root = json_parser_get_root (parser);
      if (!JSON_NODE_HOLDS_OBJECT (root) ||
          !json_object_has_member (json_node_get_object (root), "3166-1"))
        continue;
      entries = json_object_get_array_member (json_node_get_object (root), "3166-1");
      for (guint n = 0; entries != NULL && n < json_array_get_length (entries); n++)
        {
          JsonObject *entry = json_array_get_object_element (entries, n);
          const char *code, *name;

          if (entry == NULL)
            continue;
          code = json_object_get_string_member_with_default (entry, "alpha_2", NULL);
          /* "Bolivia" rather than "Bolivia, Plurinational State of": the
           * name people look for in a list. */
          name = json_object_get_string_member_with_default (entry, "common_name", NULL);
          if (name == NULL)
            name = json_object_get_string_member_with_default (entry, "name", NULL);
          if (code != NULL && name != NULL)
            g_hash_table_insert (names, g_strdup (code), g_strdup (name));
        }
      bind_textdomain_codeset (ISO_CODES_DOMAIN, "UTF-8");
      break;
    }
  return names;
}

static char *
dup_name (GHashTable *names,
                     const char *code)
{
  const char *name = g_hash_table_lookup (names, code);

  if (name == NULL)
    return NULL;
  return g_strdup (g_dgettext (ISO_CODES_DOMAIN, name));
}

typedef struct {
  char     *code;
  char     *label;
  char     *key;
  gboolean  named;
} Region;

/* By name; the few codes without one (Ascension Island's AC, which ISO
 * 3166 files under Saint Helena) after them rather than scattered among
 * the names. */
static int
compare_regions (gconstpointer a,
                 gconstpointer b)
{
  const Region *ra = a, *rb = b;

  if (ra->named != rb->named)
    return ra->named ? -1 : 1;
  return strcmp (ra->key, rb->key);
}

void
pd_regions_load (GStrv *codes,
                 GStrv *labels)
{
  g_auto(GStrv) known = pd_phone_dup_regions ();
  g_autoptr(GHashTable) names = read_names ();
  guint n = g_strv_length (known);
  g_autofree Region *regions = g_new0 (Region, n);

  g_return_if_fail (codes != NULL && labels != NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = dup_name (names, known[i]);

      regions[i].code = known[i];
      /* Translators: a country and its ISO 3166 code, "United States (US)" */
      regions[i].label = name != NULL ? g_strdup_printf (_("%s (%s)"), name, known[i]) : g_strdup (known[i]);
      regions[i].key = g_utf8_collate_key (regions[i].label, -1);
      regions[i].named = name != NULL;
    }
  qsort (regions, n, sizeof (Region), compare_regions);

  *codes = g_new0 (char *, n + 1);
  *labels = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      (*codes)[i] = regions[i].code;   /* moved from known */
      (*labels)[i] = regions[i].label;
      g_free (regions[i].key);
      known[i] = NULL;
    }
}
