/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The yardstick issue 3 gives for the import benchmark, on this machine:
 * a bare C loop of prepared upserts into one table with an email and a
 * phone index (no normalization, no history, no undo, no ledger), on the
 * files bench-import.sh made, timed against a bare
 *   sqlite3 -cmd '.mode csv' DB '.import FILE t'
 * of the same file.
 *
 *   bench-upsert SEED_FILE BENCH_FILE [--seed-rows N] [--cache-mib N] [--dir DIR]
 *
 * The table is seeded (untimed) with the first N rows of SEED_FILE
 * (default 1,000,000: about as many people as bench-import.sh's database
 * holds), then BENCH_FILE is upserted in one transaction, rows whose email
 * is already there updating it.  Reading the file is timed with the loop. */
#include "config.h"

#include <locale.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "pd-reader.h"
#include "pd-sqlite-vfs.h"

#define N_COLUMNS 11

static void
check (sqlite3 *db,
       int      rc)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      g_printerr ("sqlite: %s\n", sqlite3_errmsg (db));
      exit (EXIT_FAILURE);
    }
}

/* Upserts every row of @path after the header (at most @limit); returns
 * how many. */
static guint64
upsert_file (sqlite3    *db,
             const char *path,
             guint64     limit)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdReader) reader = NULL;
  PdReaderOptions options = { 0 };
  sqlite3_stmt *stmt = NULL;
  guint64 rows = 0;
  gboolean header = TRUE;
  PdRow *row;

  reader = pd_reader_open (file, &options, NULL, &error);
  if (reader == NULL)
    {
      g_printerr ("%s\n", error->message);
      exit (EXIT_FAILURE);
    }
  check (db, sqlite3_prepare_v2 (db,
    "INSERT INTO t (first, last, email, phone, city, points, sms, sms_out, type, birth, extra) "
    "VALUES (?1, ?2, NULLIF(?3, ''), NULLIF(?4, ''), ?5, CAST(?6 AS INTEGER), ?7, ?8, ?9, ?10, ?11) "
    "ON CONFLICT (email) DO UPDATE SET first = excluded.first, last = excluded.last, "
    "phone = coalesce(excluded.phone, phone), city = excluded.city, points = points + excluded.points, "
    "sms = excluded.sms, sms_out = excluded.sms_out, type = excluded.type, birth = excluded.birth, "
    "extra = excluded.extra", -1, &stmt, NULL));
  check (db, sqlite3_exec (db, "BEGIN", NULL, NULL, NULL));
  while (rows < limit && (row = pd_reader_next_row (reader, NULL, &error)) != NULL)
    {
      if (header)
        header = FALSE;
      else
        {
          for (guint i = 0; i < N_COLUMNS; i++)
            sqlite3_bind_text (stmt, i + 1, i < row->n_cells ? row->cells[i] : "", -1, SQLITE_TRANSIENT);
          check (db, sqlite3_step (stmt));
          sqlite3_reset (stmt);
          rows++;
        }
      pd_row_free (row);
    }
  if (error != NULL)
    {
      g_printerr ("%s\n", error->message);
      exit (EXIT_FAILURE);
    }
  check (db, sqlite3_exec (db, "COMMIT", NULL, NULL, NULL));
  sqlite3_finalize (stmt);
  return rows;
}

static sqlite3 *
open_db (const char *path,
         int         cache_mib)
{
  g_autofree char *pragma = g_strdup_printf ("PRAGMA cache_size = -%d", cache_mib * 1024);
  sqlite3 *db = NULL;

  /* the VFS every connection of the project uses */
  check (db, sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                              pd_sqlite_vfs_register ()));
  check (db, sqlite3_exec (db, pragma, NULL, NULL, NULL));
  return db;
}

int
main (int    argc,
      char **argv)
{
  gint64 seed_rows = 1000000;
  int cache_mib = 256;
  g_autofree char *dir = NULL;
  GOptionEntry entries[] = {
    { "seed-rows", 0, 0, G_OPTION_ARG_INT64, &seed_rows, "Rows of SEED_FILE in the table first", "N" },
    { "cache-mib", 0, 0, G_OPTION_ARG_INT, &cache_mib, "SQLite page cache of the timed loop", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Where the databases go (default: the temporary directory)", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("SEED_FILE BENCH_FILE");
  g_autoptr(GError) error = NULL;
  g_autofree char *seeded = NULL, *db_path = NULL, *bare_path = NULL, *import_cmd = NULL;
  sqlite3 *db;
  gint64 start, end, bare_start, bare_end;
  guint64 rows;
  struct rusage usage;
  int status;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 3)
    {
      g_printerr ("usage: %s SEED_FILE BENCH_FILE [--seed-rows N] [--cache-mib N] [--dir DIR]\n", argv[0]);
      return EXIT_FAILURE;
    }
  if (dir == NULL)
    dir = g_strdup (g_get_tmp_dir ());
  seeded = g_build_filename (dir, "bench-upsert-seed.db", NULL);
  db_path = g_build_filename (dir, "bench-upsert.db", NULL);
  bare_path = g_build_filename (dir, "bench-upsert-bare.db", NULL);

  /* the seeded table, made once per run (untimed) */
  g_unlink (seeded);
  db = open_db (seeded, cache_mib);
  check (db, sqlite3_exec (db,
    "CREATE TABLE t (id INTEGER PRIMARY KEY, first TEXT, last TEXT, email TEXT, phone TEXT, city TEXT, "
    "points INTEGER, sms TEXT, sms_out TEXT, type TEXT, birth TEXT, extra TEXT);"
    "CREATE UNIQUE INDEX t_email ON t(email);"
    "CREATE INDEX t_phone ON t(phone);", NULL, NULL, NULL));
  rows = upsert_file (db, argv[1], (guint64) seed_rows);
  sqlite3_close (db);
  g_print ("seeded with %" G_GUINT64_FORMAT " rows of %s\n", rows, argv[1]);

  {
    g_autoptr(GFile) from = g_file_new_for_path (seeded);
    g_autoptr(GFile) to = g_file_new_for_path (db_path);

    if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
      {
        g_printerr ("%s\n", error->message);
        return EXIT_FAILURE;
      }
  }
  sync ();

  start = g_get_monotonic_time ();
  db = open_db (db_path, cache_mib);
  rows = upsert_file (db, argv[2], G_MAXUINT64);
  sqlite3_close (db);
  end = g_get_monotonic_time ();
  getrusage (RUSAGE_SELF, &usage);

  g_unlink (bare_path);
  sync ();
  import_cmd = g_strdup_printf (".import %s t", argv[2]);
  {
    const char *bare_argv[] = { "sqlite3", "-cmd", ".mode csv", bare_path, import_cmd, NULL };

    bare_start = g_get_monotonic_time ();
    if (!g_spawn_sync (NULL, (char **) bare_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                       &status, &error) || !g_spawn_check_wait_status (status, &error))
      {
        g_printerr ("sqlite3 .import: %s\n", error->message);
        return EXIT_FAILURE;
      }
    bare_end = g_get_monotonic_time ();
  }

  g_print ("upsert loop: %" G_GUINT64_FORMAT " rows in %.2f s (%.0f rows/s), cache %d MiB, peak RSS %ld MB\n",
           rows, (end - start) / 1e6, rows / ((end - start) / 1e6), cache_mib, usage.ru_maxrss / 1024);
  g_print ("bare sqlite3 .import: %.2f s\n", (bare_end - bare_start) / 1e6);
  g_print ("ratio: %.2f\n", (double) (end - start) / (bare_end - bare_start));
  g_unlink (seeded);
  g_unlink (db_path);
  g_unlink (bare_path);
  return EXIT_SUCCESS;
}
