/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PostgreSQL store's import writes, row at a time against batched
 * (issue 19), without the rest of the import: one import of N new
 * personas (an email and a phone each, points, a tag), then one that looks
 * them all up by email, reads them and updates every one (points, a tag,
 * a city).  Prints each import's time and round trips.  Run by hand
 * against an empty database, e.g. under tests/pg-run.sh:
 *   sh tests/pg-run.sh sh -c '_build/bench/bench-pg-batch "$PD_TEST_PG_URI" 20000 5000'
 * BATCH 0 writes a row at a time (pd_store_import_write_full). */
#include "config.h"

#include <stdlib.h>

#include "pd-error.h"
#include "pd-pg-store-private.h"
#include "pd-store-batch.h"

static PdPersona *
make (guint i)
{
  PdPersona *p = pd_persona_new ();
  g_autofree char *email = g_strdup_printf ("bench%u@example.com", i);
  g_autofree char *phone = g_strdup_printf ("+1202%07u", i);

  pd_persona_set_value (p, PD_FIELD_FIRST_NAME, "Bench");
  pd_persona_set_value (p, PD_FIELD_LAST_NAME, "Person");
  pd_persona_add_email (p, email);
  pd_persona_add_phone (p, phone);
  pd_persona_set_points (p, i % 100);
  pd_persona_add_tag (p, "bench");
  return p;
}

static void
write_all (PdStore       *store,
           gint64         import_id,
           PdImportWrite *writes,
           guint          n,
           guint          batch)
{
  g_autoptr(GError) error = NULL;

  if (batch == 0)
    {
      for (guint i = 0; i < n; i++)
        if (!pd_store_import_write_full (store, import_id, writes[i].persona, writes[i].before, "bench", TRUE,
                                         &error))
          g_error ("%s", error->message);
      return;
    }
  for (guint i = 0; i < n; i += batch)
    if (!pd_store_import_write_batch (store, import_id, writes + i, MIN (batch, n - i), "bench", TRUE, &error))
      g_error ("%s", error->message);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPgStore) pg = NULL;
  PdStore *store;
  guint n, batch;
  PdImportWrite *writes;

  if (argc != 4)
    {
      g_printerr ("usage: %s URI N BATCH\n", argv[0]);
      return 2;
    }
  n = atoi (argv[2]);
  batch = atoi (argv[3]);
  pg = pd_pg_store_new (argv[1], &error);
  if (pg == NULL)
    g_error ("%s", error->message);
  store = PD_STORE (pg);
  writes = g_new0 (PdImportWrite, n);

  for (int pass = 0; pass < 2; pass++)
    {
      g_autoptr(PdImportInfo) info = pd_import_info_new ();
      gint64 start = g_get_monotonic_time ();
      guint trips = pg->round_trips;
      gint64 import_id = pd_store_begin_import (store, info, NULL, &error);

      if (import_id == 0)
        g_error ("%s", error->message);
      for (guint i = 0; i < n; i += MAX (batch, 1))
        {
          guint m = MIN (MAX (batch, 1), n - i);
          g_autofree gint64 *ids = g_new0 (gint64, m);
          g_autoptr(GPtrArray) emails = g_ptr_array_new_with_free_func (g_free);
          g_autoptr(GPtrArray) loaded = NULL;

          for (guint j = 0; j < m; j++)
            {
              pd_import_write_clear (&writes[i + j]);
              g_ptr_array_add (emails, g_strdup_printf ("bench%u@example.com", i + j));
            }
          if (!pd_store_find_personas (store, PD_FIELD_EMAIL, (const char * const *) emails->pdata, m, ids, &error))
            g_error ("%s", error->message);
          loaded = pd_store_get_personas (store, ids, m, &error);
          if (loaded == NULL)
            g_error ("%s", error->message);
          for (guint j = 0; j < m; j++)
            {
              PdPersona *before = g_ptr_array_index (loaded, j);

              if (before == NULL)
                writes[i + j].persona = make (i + j);
              else
                {
                  writes[i + j].before = g_object_ref (before);
                  writes[i + j].persona = pd_persona_copy (before);
                  pd_persona_set_points (writes[i + j].persona, pd_persona_get_points (before) + 10);
                  pd_persona_add_tag (writes[i + j].persona, "again");
                  pd_persona_set_value (writes[i + j].persona, PD_FIELD_CITY, "Lyon");
                }
            }
          write_all (store, import_id, writes + i, m, batch);
        }
      info->total = n;
      if (!pd_store_finish_import (store, info, &error))
        g_error ("%s", error->message);
      g_print ("%s %u personas, %s: %.2f s, %u round trips\n", pass == 0 ? "new" : "updated", n,
               batch == 0 ? "row at a time" : "batched", (g_get_monotonic_time () - start) / 1e6,
               pg->round_trips - trips);
    }
  for (guint i = 0; i < n; i++)
    pd_import_write_clear (&writes[i]);
  g_free (writes);
  return 0;
}
