/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "pd-ofd": SQLite's unix VFS with locks that belong to the connection.
 *
 * SQLite's unix VFS locks the database file with POSIX advisory locks,
 * which belong to the process and are all released when *any* descriptor
 * of the file in the process is closed.  GTK's file chooser and GIO's
 * content-type query open and close the files they show: the app's locks
 * went, the next persona-desk-cli took itself for the only user and on
 * closing removed the write-ahead log that held the app's last commits.
 *
 * This VFS delegates the files themselves (open, read, write, sync, mmap)
 * to "unix" but locks on descriptors of its own, one per connection, with
 * Linux open-file-description locks (F_OFD_SETLK).  Those belong to that
 * descriptor only: nothing else in the process can release them.  The
 * bytes locked are the ones os_unix.c locks (PENDING, RESERVED and the
 * SHARED range of the database file; the WAL-index lock bytes 120..127 and
 * the DMS byte 128 of the -shm file), and OFD locks conflict with POSIX
 * ones, so a process on the plain unix VFS (the sqlite3 shell) still
 * locks against us.  Each connection also maps the -shm file itself, so
 * two connections of one process lock against each other through the
 * kernel too, which the unix VFS did with bookkeeping of its own. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <sqlite3.h>

#include "pd-sqlite-vfs.h"

#ifdef F_OFD_SETLK

/* The lock bytes of os_unix.c (and of every SQLite): the database file's
 * at 1 GiB, past any page a database of < 1 GiB uses. */
#define PENDING_BYTE 0x40000000
#define RESERVED_BYTE (PENDING_BYTE + 1)
#define SHARED_FIRST (PENDING_BYTE + 2)
#define SHARED_SIZE 510
/* the -shm file's: after the two copies of the WAL-index header (96
 * bytes), nBackfill and the read marks (24), one byte per lock, then the
 * DMS byte, held by everyone who has the -shm file open */
#define SHM_BASE ((22 + SQLITE_SHM_NLOCK) * 4)
#define SHM_DMS (SHM_BASE + SQLITE_SHM_NLOCK)

typedef struct
{
  sqlite3_file  base;
  sqlite3_file *real;       /* the unix VFS's file, right after this struct */
  char         *path;       /* the database's name, as SQLite gave it */
  int           lock_fd;    /* our descriptor of the database file */
  int           lock_level; /* SQLITE_LOCK_* held on it */
  /* the WAL index */
  int           shm_fd;     /* -1 until the first xShmMap */
  gboolean      shm_read_only;
  gboolean      shm_dms_held;
  void        **regions;
  int           n_regions;
  int           region_size;
} OfdFile;

static sqlite3_vfs *unix_vfs;

/* Takes (type F_RDLCK/F_WRLCK) or releases (F_UNLCK) a lock on @fd's open
 * file description.  0 on success, else errno. */
static int
ofd_lock (int   fd,
          short type,
          off_t start,
          off_t len)
{
  struct flock fl = { 0 };   /* l_pid must be 0 for OFD locks */

  fl.l_type = type;
  fl.l_whence = SEEK_SET;
  fl.l_start = start;
  fl.l_len = len;
  for (;;)
    {
      if (fcntl (fd, F_OFD_SETLK, &fl) == 0)
        return 0;
      if (errno != EINTR)
        return errno;
    }
}

static gboolean
is_busy (int err)
{
  return err == EAGAIN || err == EACCES;
}

/* Another descriptor (any process, any kind of lock) holds a lock that
 * a write lock on the range would conflict with. */
static int
ofd_test_write (int       fd,
                off_t     start,
                off_t     len,
                gboolean *held)
{
  struct flock fl = { 0 };

  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  fl.l_start = start;
  fl.l_len = len;
  if (fcntl (fd, F_OFD_GETLK, &fl) != 0)
    return errno;
  *held = fl.l_type != F_UNLCK;
  return 0;
}

/* The main database file's locks, with the semantics of os_unix.c's
 * unixLock(): SHARED goes through a read lock on PENDING so that a writer
 * waiting for EXCLUSIVE (holding PENDING) keeps new readers out. */
static int
ofd_xLock (sqlite3_file *file,
           int           level)
{
  OfdFile *self = (OfdFile *) file;
  int err = 0;

  if (self->lock_level >= level)
    return SQLITE_OK;
  g_return_val_if_fail (self->lock_level != SQLITE_LOCK_NONE || level == SQLITE_LOCK_SHARED,
                        SQLITE_MISUSE);
  g_return_val_if_fail (level != SQLITE_LOCK_PENDING, SQLITE_MISUSE);

  if (level == SQLITE_LOCK_SHARED
      || (level == SQLITE_LOCK_EXCLUSIVE && self->lock_level < SQLITE_LOCK_PENDING))
    {
      err = ofd_lock (self->lock_fd, level == SQLITE_LOCK_SHARED ? F_RDLCK : F_WRLCK,
                      PENDING_BYTE, 1);
      if (err != 0)
        return is_busy (err) ? SQLITE_BUSY : SQLITE_IOERR_LOCK;
    }

  if (level == SQLITE_LOCK_SHARED)
    {
      err = ofd_lock (self->lock_fd, F_RDLCK, SHARED_FIRST, SHARED_SIZE);
      /* PENDING was only the way in */
      if (ofd_lock (self->lock_fd, F_UNLCK, PENDING_BYTE, 1) != 0 && err == 0)
        {
          ofd_lock (self->lock_fd, F_UNLCK, SHARED_FIRST, SHARED_SIZE);
          return SQLITE_IOERR_UNLOCK;
        }
      if (err != 0)
        return is_busy (err) ? SQLITE_BUSY : SQLITE_IOERR_LOCK;
      self->lock_level = SQLITE_LOCK_SHARED;
      return SQLITE_OK;
    }

  if (level == SQLITE_LOCK_RESERVED)
    err = ofd_lock (self->lock_fd, F_WRLCK, RESERVED_BYTE, 1);
  else
    err = ofd_lock (self->lock_fd, F_WRLCK, SHARED_FIRST, SHARED_SIZE);
  if (err == 0)
    {
      self->lock_level = level;
      return SQLITE_OK;
    }
  /* EXCLUSIVE not granted yet: PENDING stays held, so that no new reader
   * comes in while SQLite retries */
  if (level == SQLITE_LOCK_EXCLUSIVE)
    self->lock_level = SQLITE_LOCK_PENDING;
  return is_busy (err) ? SQLITE_BUSY : SQLITE_IOERR_LOCK;
}

/* os_unix.c's posixUnlock(): down to SHARED or to none. */
static int
ofd_xUnlock (sqlite3_file *file,
             int           level)
{
  OfdFile *self = (OfdFile *) file;

  if (self->lock_level <= level)
    return SQLITE_OK;

  if (level == SQLITE_LOCK_SHARED)
    {
      if (self->lock_level >= SQLITE_LOCK_EXCLUSIVE
          && ofd_lock (self->lock_fd, F_RDLCK, SHARED_FIRST, SHARED_SIZE) != 0)
        return SQLITE_IOERR_RDLOCK;
      /* PENDING and RESERVED are next to each other */
      if (ofd_lock (self->lock_fd, F_UNLCK, PENDING_BYTE, 2) != 0)
        return SQLITE_IOERR_UNLOCK;
      self->lock_level = SQLITE_LOCK_SHARED;
      return SQLITE_OK;
    }

  /* the descriptor is this connection's alone: release everything on it */
  if (ofd_lock (self->lock_fd, F_UNLCK, 0, 0) != 0)
    return SQLITE_IOERR_UNLOCK;
  self->lock_level = SQLITE_LOCK_NONE;
  return SQLITE_OK;
}

static int
ofd_xCheckReservedLock (sqlite3_file *file,
                        int          *out)
{
  OfdFile *self = (OfdFile *) file;
  gboolean held = FALSE;

  if (self->lock_level > SQLITE_LOCK_SHARED)
    held = TRUE;
  else if (ofd_test_write (self->lock_fd, RESERVED_BYTE, 1, &held) != 0)
    {
      *out = 0;
      return SQLITE_IOERR_CHECKRESERVEDLOCK;
    }
  *out = held;
  return SQLITE_OK;
}

/* The WAL index. */

static void
shm_close (OfdFile  *self,
           gboolean  delete)
{
  for (int i = 0; i < self->n_regions; i++)
    if (self->regions[i] != NULL)
      munmap (self->regions[i], (size_t) self->region_size);
  g_clear_pointer (&self->regions, g_free);
  self->n_regions = 0;
  if (self->shm_fd >= 0)
    {
      /* closing our only descriptor of it releases our DMS and WAL locks */
      close (self->shm_fd);
      self->shm_fd = -1;
      self->shm_dms_held = FALSE;
      self->shm_read_only = FALSE;
      if (delete)
        {
          g_autofree char *name = g_strconcat (self->path, "-shm", NULL);

          unlink (name);
        }
    }
}

static int
shm_open_file (OfdFile *self)
{
  g_autofree char *name = g_strconcat (self->path, "-shm", NULL);
  struct stat st;

  /* the -shm file gets the database's permissions, as with os_unix.c */
  if (fstat (self->lock_fd, &st) != 0)
    return SQLITE_IOERR_FSTAT;
  self->shm_fd = open (name, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, st.st_mode & 0777);
  if (self->shm_fd < 0)
    {
      self->shm_fd = open (name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
      if (self->shm_fd < 0)
        return SQLITE_CANTOPEN;
      self->shm_read_only = TRUE;
    }
  return SQLITE_OK;
}

/* os_unix.c's unixLockSharedMemory(): the first to open the -shm file (no
 * one holds DMS) truncates it, since what a crashed process left in it
 * cannot be trusted; everyone then holds DMS shared while it is open. */
static int
shm_lock_dms (OfdFile *self)
{
  struct flock fl = { 0 };
  int err;

  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  fl.l_start = SHM_DMS;
  fl.l_len = 1;
  if (fcntl (self->shm_fd, F_OFD_GETLK, &fl) != 0)
    return SQLITE_IOERR_LOCK;
  if (fl.l_type == F_WRLCK)
    /* someone is between its exclusive DMS and its truncation */
    return SQLITE_BUSY;
  if (fl.l_type == F_UNLCK)
    {
      /* SQLite then reads the log itself, and asks again next time */
      if (self->shm_read_only)
        return SQLITE_READONLY_CANTINIT;
      err = ofd_lock (self->shm_fd, F_WRLCK, SHM_DMS, 1);
      if (err != 0)
        return is_busy (err) ? SQLITE_BUSY : SQLITE_IOERR_LOCK;
      /* 3 bytes rather than 0, as os_unix.c does: a debugging aid that
       * tells a legitimate truncation from a rogue one */
      if (ftruncate (self->shm_fd, 3) != 0)
        return SQLITE_IOERR_SHMOPEN;
    }
  err = ofd_lock (self->shm_fd, F_RDLCK, SHM_DMS, 1);
  if (err != 0)
    return is_busy (err) ? SQLITE_BUSY : SQLITE_IOERR_LOCK;
  self->shm_dms_held = TRUE;
  return SQLITE_OK;
}

static int
ofd_xShmMap (sqlite3_file  *file,
             int            region,
             int            size,
             int            extend,
             void volatile **out)
{
  OfdFile *self = (OfdFile *) file;
  struct stat st;
  off_t needed = (off_t) (region + 1) * size;
  int rc;

  *out = NULL;
  if (self->shm_fd < 0)
    {
      rc = shm_open_file (self);
      if (rc != SQLITE_OK)
        return rc;
      self->region_size = size;
    }
  if (!self->shm_dms_held)
    {
      rc = shm_lock_dms (self);
      if (rc == SQLITE_READONLY_CANTINIT)
        return rc;   /* the descriptor stays: SQLite still takes WAL locks */
      if (rc != SQLITE_OK)
        {
          shm_close (self, FALSE);
          return rc;
        }
    }
  g_return_val_if_fail (size == self->region_size, SQLITE_MISUSE);

  if (region >= self->n_regions)
    {
      if (fstat (self->shm_fd, &st) != 0)
        return SQLITE_IOERR_SHMSIZE;
      if (st.st_size < needed)
        {
          if (!extend)
            return SQLITE_OK;   /* not there yet: SQLite reads a NULL page */
          if (self->shm_read_only)
            return SQLITE_READONLY;
          /* Write a byte in each new page rather than ftruncate(): a full
           * disk is an error here, not a SIGBUS when the page is touched. */
          for (off_t page = st.st_size / 4096; page < needed / 4096; page++)
            if (pwrite (self->shm_fd, "", 1, page * 4096 + 4095) != 1)
              return SQLITE_IOERR_SHMSIZE;
        }
      self->regions = g_renew (void *, self->regions, region + 1);
      for (int i = self->n_regions; i <= region; i++)
        {
          void *p = mmap (NULL, (size_t) size,
                          self->shm_read_only ? PROT_READ : PROT_READ | PROT_WRITE,
                          MAP_SHARED, self->shm_fd, (off_t) i * size);

          if (p == MAP_FAILED)
            return SQLITE_IOERR_SHMMAP;
          self->regions[i] = p;
          self->n_regions = i + 1;
        }
    }
  *out = self->regions[region];
  return self->shm_read_only ? SQLITE_READONLY : SQLITE_OK;
}

static int
ofd_xShmLock (sqlite3_file *file,
              int           offset,
              int           n,
              int           flags)
{
  OfdFile *self = (OfdFile *) file;
  short type;
  int err;

  g_return_val_if_fail (offset >= 0 && n >= 1 && offset + n <= SQLITE_SHM_NLOCK, SQLITE_MISUSE);
  if (self->shm_fd < 0)
    return SQLITE_IOERR_SHMLOCK;
  if (flags & SQLITE_SHM_UNLOCK)
    type = F_UNLCK;
  else if (flags & SQLITE_SHM_EXCLUSIVE)
    type = F_WRLCK;
  else
    type = F_RDLCK;
  err = ofd_lock (self->shm_fd, type, SHM_BASE + offset, n);
  if (err == 0)
    return SQLITE_OK;
  return is_busy (err) ? SQLITE_BUSY : SQLITE_IOERR_SHMLOCK;
}

static void
ofd_xShmBarrier (sqlite3_file *file)
{
  /* the other connections are in other threads or processes, with the
   * same pages mapped: order our stores before theirs */
  __atomic_thread_fence (__ATOMIC_SEQ_CST);
}

static int
ofd_xShmUnmap (sqlite3_file *file,
               int           delete)
{
  /* SQLite asks to delete only when it holds the database EXCLUSIVE, and
   * every connection that has the -shm file open holds it SHARED */
  shm_close ((OfdFile *) file, delete);
  return SQLITE_OK;
}

/* The rest is the unix VFS's. */

static int
ofd_xClose (sqlite3_file *file)
{
  OfdFile *self = (OfdFile *) file;
  int rc;

  shm_close (self, FALSE);
  rc = self->real->pMethods->xClose (self->real);
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  self->lock_fd = -1;
  g_clear_pointer (&self->path, g_free);
  return rc;
}

static int
ofd_xRead (sqlite3_file *file, void *buf, int n, sqlite3_int64 offset)
{
  OfdFile *self = (OfdFile *) file;
  return self->real->pMethods->xRead (self->real, buf, n, offset);
}

static int
ofd_xWrite (sqlite3_file *file, const void *buf, int n, sqlite3_int64 offset)
{
  OfdFile *self = (OfdFile *) file;
  return self->real->pMethods->xWrite (self->real, buf, n, offset);
}

static int
ofd_xTruncate (sqlite3_file *file, sqlite3_int64 size)
{
  OfdFile *self = (OfdFile *) file;
  return self->real->pMethods->xTruncate (self->real, size);
}

static int
ofd_xSync (sqlite3_file *file, int flags)
{
  OfdFile *self = (OfdFile *) file;
  return self->real->pMethods->xSync (self->real, flags);
}

static int
ofd_xFileSize (sqlite3_file *file, sqlite3_int64 *size)
{
  OfdFile *self = (OfdFile *) file;
  return self->real->pMethods->xFileSize (self->real, size);
}

static int
ofd_xFileControl (sqlite3_file *file, int op, void *arg)
{
  OfdFile *self = (OfdFile *) file;

  if (op == SQLITE_FCNTL_LOCKSTATE)
    {
      *(int *) arg = self->lock_level;
      return SQLITE_OK;
    }
  return self->real->pMethods->xFileControl (self->real, op, arg);
}

static int
ofd_xSectorSize (sqlite3_file *file)
{
  OfdFile *self = (OfdFile *) file;
  return self->real->pMethods->xSectorSize (self->real);
}

static int
ofd_xDeviceCharacteristics (sqlite3_file *file)
{
  OfdFile *self = (OfdFile *) file;
  return self->real->pMethods->xDeviceCharacteristics (self->real);
}

static int
ofd_xFetch (sqlite3_file *file, sqlite3_int64 offset, int n, void **out)
{
  OfdFile *self = (OfdFile *) file;

  *out = NULL;
  if (self->real->pMethods->iVersion < 3 || self->real->pMethods->xFetch == NULL)
    return SQLITE_OK;
  return self->real->pMethods->xFetch (self->real, offset, n, out);
}

static int
ofd_xUnfetch (sqlite3_file *file, sqlite3_int64 offset, void *p)
{
  OfdFile *self = (OfdFile *) file;

  if (self->real->pMethods->iVersion < 3 || self->real->pMethods->xUnfetch == NULL)
    return SQLITE_OK;
  return self->real->pMethods->xUnfetch (self->real, offset, p);
}

static const sqlite3_io_methods ofd_io_methods = {
  .iVersion = 3,
  .xClose = ofd_xClose,
  .xRead = ofd_xRead,
  .xWrite = ofd_xWrite,
  .xTruncate = ofd_xTruncate,
  .xSync = ofd_xSync,
  .xFileSize = ofd_xFileSize,
  .xLock = ofd_xLock,
  .xUnlock = ofd_xUnlock,
  .xCheckReservedLock = ofd_xCheckReservedLock,
  .xFileControl = ofd_xFileControl,
  .xSectorSize = ofd_xSectorSize,
  .xDeviceCharacteristics = ofd_xDeviceCharacteristics,
  .xShmMap = ofd_xShmMap,
  .xShmLock = ofd_xShmLock,
  .xShmBarrier = ofd_xShmBarrier,
  .xShmUnmap = ofd_xShmUnmap,
  .xFetch = ofd_xFetch,
  .xUnfetch = ofd_xUnfetch,
};

static int
ofd_xOpen (sqlite3_vfs  *vfs,
           const char   *name,
           sqlite3_file *file,
           int           flags,
           int          *out_flags)
{
  OfdFile *self = (OfdFile *) file;
  int got_flags = 0;
  int rc;

  /* Journals, the log and temporary files are never locked: they are the
   * unix VFS's own, in the space SQLite allocated for ours. */
  if (!(flags & SQLITE_OPEN_MAIN_DB) || name == NULL)
    return unix_vfs->xOpen (unix_vfs, name, file, flags, out_flags);

  memset (self, 0, sizeof *self);
  self->real = (sqlite3_file *) (self + 1);
  self->lock_fd = -1;
  self->shm_fd = -1;
  rc = unix_vfs->xOpen (unix_vfs, name, self->real, flags, &got_flags);
  if (rc != SQLITE_OK)
    return rc;
  if (out_flags != NULL)
    *out_flags = got_flags;

  /* The same access as the unix VFS got: a write lock needs a writable
   * descriptor, and a read-only connection never takes one for good. */
  self->lock_fd = open (name, ((got_flags & SQLITE_OPEN_READONLY) ? O_RDONLY : O_RDWR) | O_CLOEXEC);
  if (self->lock_fd < 0)
    {
      self->real->pMethods->xClose (self->real);
      return SQLITE_CANTOPEN;
    }
  self->path = g_strdup (name);
  self->base.pMethods = &ofd_io_methods;
  return SQLITE_OK;
}

/* The rest of the VFS (names, deletion, randomness, time) is unix's. */

static int
ofd_xDelete (sqlite3_vfs *vfs, const char *name, int sync_dir)
{
  return unix_vfs->xDelete (unix_vfs, name, sync_dir);
}

static int
ofd_xAccess (sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
  return unix_vfs->xAccess (unix_vfs, name, flags, out);
}

static int
ofd_xFullPathname (sqlite3_vfs *vfs, const char *name, int n, char *out)
{
  return unix_vfs->xFullPathname (unix_vfs, name, n, out);
}

static void *
ofd_xDlOpen (sqlite3_vfs *vfs, const char *name)
{
  return unix_vfs->xDlOpen (unix_vfs, name);
}

static void
ofd_xDlError (sqlite3_vfs *vfs, int n, char *out)
{
  unix_vfs->xDlError (unix_vfs, n, out);
}

static void (*ofd_xDlSym (sqlite3_vfs *vfs, void *handle, const char *symbol)) (void)
{
  return unix_vfs->xDlSym (unix_vfs, handle, symbol);
}

static void
ofd_xDlClose (sqlite3_vfs *vfs, void *handle)
{
  unix_vfs->xDlClose (unix_vfs, handle);
}

static int
ofd_xRandomness (sqlite3_vfs *vfs, int n, char *out)
{
  return unix_vfs->xRandomness (unix_vfs, n, out);
}

static int
ofd_xSleep (sqlite3_vfs *vfs, int us)
{
  return unix_vfs->xSleep (unix_vfs, us);
}

static int
ofd_xCurrentTime (sqlite3_vfs *vfs, double *out)
{
  return unix_vfs->xCurrentTime (unix_vfs, out);
}

static int
ofd_xGetLastError (sqlite3_vfs *vfs, int n, char *out)
{
  return unix_vfs->xGetLastError (unix_vfs, n, out);
}

static int
ofd_xCurrentTimeInt64 (sqlite3_vfs *vfs, sqlite3_int64 *out)
{
  return unix_vfs->xCurrentTimeInt64 (unix_vfs, out);
}

static sqlite3_vfs ofd_vfs = {
  .iVersion = 2,
  .zName = PD_SQLITE_VFS_NAME,
  .xOpen = ofd_xOpen,
  .xDelete = ofd_xDelete,
  .xAccess = ofd_xAccess,
  .xFullPathname = ofd_xFullPathname,
  .xDlOpen = ofd_xDlOpen,
  .xDlError = ofd_xDlError,
  .xDlSym = ofd_xDlSym,
  .xDlClose = ofd_xDlClose,
  .xRandomness = ofd_xRandomness,
  .xSleep = ofd_xSleep,
  .xCurrentTime = ofd_xCurrentTime,
  .xGetLastError = ofd_xGetLastError,
  .xCurrentTimeInt64 = ofd_xCurrentTimeInt64,
};

/* The kernel knows OFD locks (Linux ≥ 3.15). */
static gboolean
ofd_supported (void)
{
  struct flock fl = { 0 };
  int fd = open ("/", O_RDONLY | O_CLOEXEC | O_DIRECTORY);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  fl.l_type = F_RDLCK;
  fl.l_whence = SEEK_SET;
  ok = fcntl (fd, F_OFD_GETLK, &fl) == 0 || errno != EINVAL;
  close (fd);
  return ok;
}

static gpointer
register_once (gpointer data)
{
  unix_vfs = sqlite3_vfs_find ("unix");
  if (unix_vfs == NULL || unix_vfs->iVersion < 2 || !ofd_supported ())
    {
      g_warning ("SQLite's locks cannot be made per connection here: "
                 "another descriptor of a database closed in this process releases them");
      return GINT_TO_POINTER (FALSE);
    }
  ofd_vfs.szOsFile = (int) sizeof (OfdFile) + unix_vfs->szOsFile;
  ofd_vfs.mxPathname = unix_vfs->mxPathname;
  /* the default: a connection opened without naming a VFS uses it too */
  return GINT_TO_POINTER (sqlite3_vfs_register (&ofd_vfs, 1) == SQLITE_OK);
}

#endif /* F_OFD_SETLK */

/**
 * pd_sqlite_vfs_register:
 *
 * Registers the "pd-ofd" VFS, once, as SQLite's default in this process.
 *
 * Returns: the name of the VFS to open databases with: "pd-ofd", or NULL
 *   (SQLite's default) where the kernel has no OFD locks
 */
const char *
pd_sqlite_vfs_register (void)
{
#ifdef F_OFD_SETLK
  static GOnce once = G_ONCE_INIT;

  if (GPOINTER_TO_INT (g_once (&once, register_once, NULL)))
    return PD_SQLITE_VFS_NAME;
#endif
  return NULL;
}
