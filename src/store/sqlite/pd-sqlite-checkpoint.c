/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checkpoints of the write-ahead log, never on the thread that committed.
 *
 * SQLite's own auto-checkpoint runs inside the commit that takes the log
 * past 1000 pages, on the committing connection: after an import of a
 * million rows that is seconds of copying hundreds of megabytes into the
 * database file before the import could be shown as done (and its disk
 * traffic stalled the window for 75 ms), and an edit saved on the main
 * thread right after it would freeze the window for as long.  Instead,
 * such a commit asks for a checkpoint on a thread of its own, a moment
 * later, when the window has shown what the commit changed. */
#include "config.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "pd-sqlite-store-private.h"
#include "pd-sqlite-vfs.h"

/* SQLite's own threshold */
#define CHECKPOINT_PAGES 1000
#define CHECKPOINT_DELAY_MS 2000
#define CHECKPOINT_NICE 10
#define CHECKPOINT_ATTEMPTS 5

static GMutex lock;
static GHashTable *pending;     /* database paths with a checkpoint to come */
static guint delay_ms = CHECKPOINT_DELAY_MS;
static guint n_done;

static gpointer
checkpoint_thread (gpointer data)
{
  g_autofree char *path = data;
  sqlite3 *db = NULL;

#ifdef __linux__
  setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), CHECKPOINT_NICE);
#endif
  g_usleep ((gulong) g_atomic_int_get (&delay_ms) * 1000);

  /* a commit from now on asks for another */
  g_mutex_lock (&lock);
  g_hash_table_remove (pending, path);
  g_mutex_unlock (&lock);

  /* Without SQLITE_OPEN_CREATE: a database removed meanwhile is not made
   * again.  PASSIVE copies what readers allow and never waits for them:
   * a reader still on an older snapshot (a page of the list being read)
   * holds back the frames after it, copied on a later attempt. */
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                       pd_sqlite_vfs_register ()) == SQLITE_OK)
    for (guint attempt = 0; attempt < CHECKPOINT_ATTEMPTS; attempt++)
      {
        int n_log = 0, n_copied = 0;
        int rc;

        if (attempt > 0)
          g_usleep ((gulong) g_atomic_int_get (&delay_ms) * 1000);
        /* a connection knows the log once it has read the database */
        sqlite3_exec (db, "PRAGMA schema_version", NULL, NULL, NULL);
        rc = sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_PASSIVE, &n_log, &n_copied);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY)
          {
            g_warning ("Could not checkpoint %s: %s", path, sqlite3_errmsg (db));
            break;
          }
        if (rc == SQLITE_OK && n_copied >= n_log)
          break;
      }
  sqlite3_close_v2 (db);
  g_atomic_int_inc (&n_done);
  return NULL;
}

static int
wal_hook (gpointer    data,
          sqlite3    *db,
          const char *schema,
          int         n_pages)
{
  PdSqliteStore *self = data;
  const char *path = pd_sqlite_store_get_path (self);
  gboolean start = FALSE;

  if (n_pages < CHECKPOINT_PAGES)
    return SQLITE_OK;
  g_mutex_lock (&lock);
  if (pending == NULL)
    pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!g_hash_table_contains (pending, path))
    {
      g_hash_table_add (pending, g_strdup (path));
      start = TRUE;
    }
  g_mutex_unlock (&lock);
  if (start)
    g_thread_unref (g_thread_new ("pd-checkpoint", checkpoint_thread, g_strdup (path)));
  return SQLITE_OK;
}

/* Replaces SQLite's auto-checkpoint on @self's connection. */
void
_pd_sqlite_checkpoint_install (PdSqliteStore *self)
{
  sqlite3_wal_hook (self->db, wal_hook, self);
}

/* Tests: the wait before a checkpoint, and how many have run. */
void
_pd_sqlite_checkpoint_set_delay (guint ms)
{
  g_atomic_int_set (&delay_ms, ms);
}

guint
_pd_sqlite_checkpoint_get_n_done (void)
{
  return g_atomic_int_get (&n_done);
}
