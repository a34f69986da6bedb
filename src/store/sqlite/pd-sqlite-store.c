/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdSqliteStore: the connection, the schema and its migrations, the
 * statement cache.  Personas, imports and history live in the sibling
 * pd-sqlite-store-*.c files. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "pd-error.h"
#include "pd-sqlite-store-private.h"
#include "pd-sqlite-vfs.h"

static void pd_sqlite_store_iface_init (PdStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PdSqliteStore, pd_sqlite_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PD_TYPE_STORE, pd_sqlite_store_iface_init))

/* PdFieldId → column.  Kept here rather than derived from the schema table
 * so that renaming a field's key never renames a column of old databases. */
static const char * const field_columns[PD_FIELD_N_BUILTIN] = {
  [PD_FIELD_FIRST_NAME] = "first_name",
  [PD_FIELD_LAST_NAME] = "last_name",
  [PD_FIELD_EXTERNAL_ID] = "external_id",
  [PD_FIELD_CITY] = "city",
  [PD_FIELD_BIRTH_DATE] = "birth_date",
  [PD_FIELD_CUSTOMER_TYPE] = "customer_type",
  [PD_FIELD_PERSON_TYPE] = "person_type",
  [PD_FIELD_SIGNUP_DATE] = "signup_date",
  [PD_FIELD_SIGNUP_OVERRIDE_DATE] = "signup_override_date",
  [PD_FIELD_FAVORITE_STORE] = "favorite_store",
  [PD_FIELD_FAVORITE_STORE_OVERRIDE] = "favorite_store_override",
  [PD_FIELD_FACEBOOK] = "facebook",
  [PD_FIELD_WHATSAPP] = "whatsapp",
  [PD_FIELD_INSTAGRAM] = "instagram",
  [PD_FIELD_TELEGRAM] = "telegram",
  [PD_FIELD_VIBER] = "viber",
  [PD_FIELD_LINKEDIN] = "linkedin",
  [PD_FIELD_TWITTER] = "twitter",
  [PD_FIELD_YOUTUBE] = "youtube",
  [PD_FIELD_WEB] = "web",
};

const char *
_pd_sqlite_column_for_field (PdFieldId field)
{
  if (field < 0 || field >= PD_FIELD_N_BUILTIN)
    return NULL;
  return field_columns[field];
}


/* ASCII digits reversed: what schema 7 fills phones.national_rev with. */
static void
reverse_func (sqlite3_context  *context,
              int               argc,
              sqlite3_value   **argv)
{
  g_autofree char *reversed = _pd_sqlite_reverse_digits ((const char *) sqlite3_value_text (argv[0]));

  sqlite3_result_text (context, reversed, -1, SQLITE_TRANSIENT);
}

/* A blob's SHA-256 in hex: what schema 10 fills import_files.sha256 with. */
static void
sha256_func (sqlite3_context  *context,
             int               argc,
             sqlite3_value   **argv)
{
  g_autofree char *hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                      sqlite3_value_blob (argv[0]),
                                                      sqlite3_value_bytes (argv[0]));

  sqlite3_result_text (context, hex, -1, SQLITE_TRANSIENT);
}

static void
pd_sqlite_store_finalize (GObject *object)
{
  PdSqliteStore *self = PD_SQLITE_STORE (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->counts, g_hash_table_unref);
  g_clear_pointer (&self->cursor_sql, g_free);
  g_clear_pointer (&self->cursor_key, sqlite3_value_free);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);
  g_free (self->import_file_path);
  g_free (self->import_user);
  g_clear_pointer (&self->result_buffer, g_byte_array_unref);

  G_OBJECT_CLASS (pd_sqlite_store_parent_class)->finalize (object);
}

static void
pd_sqlite_store_class_init (PdSqliteStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_sqlite_store_finalize;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
pd_sqlite_store_init (PdSqliteStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            finalize_statement);
  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* SQLite reports a write that hit the end of the disk or a file-size limit
 * (EFBIG) as SQLITE_IOERR_WRITE, and its system errno is often lost by
 * then: a write error on a folder with no room left, or in a process with
 * a file-size limit, is taken for that. */
static gboolean
is_out_of_space (PdSqliteStore *self,
                 int            code,
                 int            sys)
{
  g_autofree char *dir = NULL;
  struct statvfs fs;
  struct rlimit limit;

  if ((code & 0xff) != SQLITE_IOERR)
    return FALSE;
  if (sys == ENOSPC || sys == EFBIG || sys == EDQUOT)
    return TRUE;
  if (code != SQLITE_IOERR_WRITE && code != SQLITE_IOERR_TRUNCATE)
    return FALSE;
  if (getrlimit (RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    return TRUE;
  dir = g_path_get_dirname (self->path);
  return statvfs (dir, &fs) == 0 && (guint64) fs.f_bavail * fs.f_frsize < 4 * 1024 * 1024;
}

gboolean
_pd_sqlite_store_fail (PdSqliteStore  *self,
                       GError        **error)
{
  int code = sqlite3_extended_errcode (self->db);

  /* After the busy timeout: SQLite's "database is locked" does not say
   * what to do about it. */
  int sys = sqlite3_system_errno (self->db);

  if ((code & 0xff) == SQLITE_BUSY)
    g_set_error (error, PD_ERROR, PD_ERROR_BUSY,
                 _("Database %s is in use: another import or another program is writing to it. "
                   "Try again when it has finished."), self->path);
  /* A full disk comes as SQLITE_FULL or, from the write itself, as
   * "disk I/O error (code 778)", which says nothing a user can act on. */
  else if ((code & 0xff) == SQLITE_READONLY)
    g_set_error (error, PD_ERROR, PD_ERROR_STORE,
                 _("Database %s is read-only (the file or its folder cannot be written): "
                   "it can be read but not changed."), self->path);
  else if ((code & 0xff) == SQLITE_FULL || is_out_of_space (self, code, sys))
    g_set_error (error, PD_ERROR, PD_ERROR_STORE,
                 _("Database %s: there is no space left to write it (the disk is full, "
                   "or a size limit was reached). Nothing of this change was saved; "
                   "free some space and try again."), self->path);
  else
    g_set_error (error, PD_ERROR, PD_ERROR_STORE,
                 _("Database %s: %s (code %d)"), self->path, sqlite3_errmsg (self->db), code);
  return FALSE;
}

/**
 * _pd_sqlite_store_prepare:
 *
 * Returns: (transfer none): the cached statement for @sql, reset and with
 *   its bindings cleared
 */
sqlite3_stmt *
_pd_sqlite_store_prepare (PdSqliteStore  *self,
                          const char     *sql,
                          GError        **error)
{
  guint slot = (GPOINTER_TO_SIZE (sql) >> 4) % G_N_ELEMENTS (self->recent);
  char *key = NULL;
  sqlite3_stmt *stmt = NULL;

  /* A text built per call may reuse an address: the text is compared. */
  if (self->recent[slot].sql == sql && strcmp (self->recent[slot].key, sql) == 0)
    stmt = self->recent[slot].stmt;
  else if (g_hash_table_lookup_extended (self->statements, sql, (gpointer *) &key, (gpointer *) &stmt))
    {
      self->recent[slot].sql = sql;
      self->recent[slot].key = key;
      self->recent[slot].stmt = stmt;
    }

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      _pd_sqlite_store_fail (self, error);
      return NULL;
    }
  key = g_strdup (sql);
  g_hash_table_insert (self->statements, key, stmt);
  self->recent[slot].sql = sql;
  self->recent[slot].key = key;
  self->recent[slot].stmt = stmt;
  return stmt;
}

gboolean
_pd_sqlite_store_exec (PdSqliteStore  *self,
                       const char     *sql,
                       GError        **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return _pd_sqlite_store_fail (self, error);
  return TRUE;
}

gboolean
_pd_sqlite_store_step_done (PdSqliteStore  *self,
                            sqlite3_stmt   *stmt,
                            GError        **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _pd_sqlite_store_fail (self, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* Savepoints are prepared once: an import opens one per row. */
static gboolean
run_cached (PdSqliteStore  *self,
            const char     *sql,
            GError        **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, sql, error);

  return stmt != NULL && _pd_sqlite_store_step_done (self, stmt, error);
}

gboolean
_pd_sqlite_store_savepoint (PdSqliteStore  *self,
                            GError        **error)
{
  return run_cached (self, "SAVEPOINT pd", error);
}

gboolean
_pd_sqlite_store_release (PdSqliteStore  *self,
                          GError        **error)
{
  return run_cached (self, "RELEASE pd", error);
}

void
_pd_sqlite_store_rollback_to (PdSqliteStore *self)
{
  /* ROLLBACK TO keeps the savepoint open; RELEASE closes it. */
  run_cached (self, "ROLLBACK TO pd", NULL);
  run_cached (self, "RELEASE pd", NULL);
}

static int
get_user_version (PdSqliteStore *self)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static int
last_version (void)
{
  return _pd_sqlite_migrations[_pd_sqlite_n_migrations - 1].version;
}

static guint64
all_versions (void)
{
  guint64 all = 0;

  for (guint i = 0; i < _pd_sqlite_n_migrations; i++)
    {
      g_assert (_pd_sqlite_migrations[i].version > 0 && _pd_sqlite_migrations[i].version < 64);
      all |= G_GUINT64_CONSTANT (1) << _pd_sqlite_migrations[i].version;
    }
  return all;
}

/* Which of this build's versions the database has (bits of @applied;
 * of @recorded, those pd_schema lists), and the highest it has that this
 * build does not know (0: none).
 *
 * Schema versions are given to parts made at the same time and merged in
 * any order, so a database may have a later version and lack an earlier
 * one: pd_schema records each version applied, as PostgreSQL's does.
 * PRAGMA user_version, the highest applied, stays for builds from before
 * pd_schema, whose runner applied every version it knew above it.  So
 * what user_version says beyond pd_schema's highest (all of it on a
 * database from before pd_schema, the versions such a build applied
 * since) counts as applied too. */
static gboolean
read_versions (PdSqliteStore  *self,
               guint64        *applied,
               int            *unknown,
               guint64        *recorded,
               GError        **error)
{
  guint64 all = all_versions ();
  int user_version = get_user_version (self);
  int highest = 0;
  sqlite3_stmt *stmt = NULL;
  int rc;

  *applied = 0;
  *unknown = 0;
  *recorded = 0;
  if (sqlite3_prepare_v2 (self->db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'pd_schema'",
                          -1, &stmt, NULL) != SQLITE_OK)
    return _pd_sqlite_store_fail (self, error);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error);
  if (rc == SQLITE_ROW)
    {
      if (sqlite3_prepare_v2 (self->db, "SELECT version FROM pd_schema", -1, &stmt, NULL) != SQLITE_OK)
        return _pd_sqlite_store_fail (self, error);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          int version = sqlite3_column_int (stmt, 0);

          highest = MAX (highest, version);
          if (version > 0 && version < 64 && (all & (G_GUINT64_CONSTANT (1) << version)))
            *recorded |= G_GUINT64_CONSTANT (1) << version;
          else
            *unknown = MAX (*unknown, version);
        }
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        return _pd_sqlite_store_fail (self, error);
    }
  *applied = *recorded;
  for (guint i = 0; i < _pd_sqlite_n_migrations; i++)
    if (_pd_sqlite_migrations[i].version > highest && _pd_sqlite_migrations[i].version <= user_version)
      *applied |= G_GUINT64_CONSTANT (1) << _pd_sqlite_migrations[i].version;
  if (user_version > last_version () && user_version > highest)
    *unknown = MAX (*unknown, user_version);
  return TRUE;
}

static gboolean
migrate (PdSqliteStore  *self,
         GError        **error)
{
  guint64 all = all_versions ();
  guint64 applied;
  int unknown;
  guint64 recorded;

  /* A schema already current needs no write lock: a connection opened
   * while an import holds it (the import's own look-up connection, a
   * second window) must not wait for the import to end. */
  if (!read_versions (self, &applied, &unknown, &recorded, error))
    return FALSE;
  if (recorded == all && unknown == 0 && get_user_version (self) == last_version ())
    return TRUE;

  sqlite3_create_function (self->db, "pd_reverse", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                           NULL, reverse_func, NULL, NULL);
  sqlite3_create_function (self->db, "pd_sha256", 1, SQLITE_ANY | SQLITE_DETERMINISTIC,
                           NULL, sha256_func, NULL, NULL);
  /* IMMEDIATE: two processes opening a new database at once must not both
   * create the schema. */
  if (!_pd_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!read_versions (self, &applied, &unknown, &recorded, error))
    goto fail;
  if (unknown != 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_STORE,
                   _("Database %s was made by a newer Persona Desk (schema %d)"),
                   self->path, unknown);
      goto fail;
    }
  if (!_pd_sqlite_store_exec (self, "CREATE TABLE IF NOT EXISTS pd_schema (version INTEGER PRIMARY KEY)", error))
    goto fail;
  for (guint i = 0; i < _pd_sqlite_n_migrations; i++)
    {
      int version = _pd_sqlite_migrations[i].version;
      g_autofree char *record = g_strdup_printf ("INSERT OR IGNORE INTO pd_schema (version) VALUES (%d)", version);

      if (!(applied & (G_GUINT64_CONSTANT (1) << version)) &&
          !_pd_sqlite_store_exec (self, _pd_sqlite_migrations[i].sql, error))
        goto fail;
      /* what user_version alone said is recorded too */
      if (!_pd_sqlite_store_exec (self, record, error))
        goto fail;
    }
  {
    g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d",
                                                    MAX (get_user_version (self), last_version ()));

    if (!_pd_sqlite_store_exec (self, set_version, error))
      goto fail;
  }
  return _pd_sqlite_store_exec (self, "COMMIT", error);

fail:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* Creates the file with mode 0600 before SQLite does, so that the
 * customer database is never readable by others, even for an instant.
 * SQLite gives its -wal and -shm files the database file's mode. */
static gboolean
create_private_file (const char  *path,
                     GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, PD_ERROR, PD_ERROR_STORE, _("Cannot create folder %s: %s"),
                   dir, g_strerror (saved));
      return FALSE;
    }
  fd = g_open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, PD_ERROR, PD_ERROR_STORE, _("Cannot create database %s: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* A database in a folder the user can't write to (a shared drive, a
 * backup copied read-only): WAL mode needs its -wal and -shm files beside
 * the database, so the usual open fails with SQLITE_READONLY_DIRECTORY.
 * Reading must still work there (export, history, show): the file is
 * opened read-only, immutable when no -wal file holds changes to honour
 * (then no -shm is needed either).  Writes fail as SQLite's "readonly
 * database"; a schema older than this app's can't be brought up to date. */
static gboolean
open_read_only (PdSqliteStore  *self,
                GError        **error)
{
  g_autofree char *wal = g_strconcat (self->path, "-wal", NULL);
  g_autofree char *escaped = g_uri_escape_string (self->path, "/", FALSE);
  g_autofree char *uri = g_strdup_printf ("file:%s%s", escaped,
                                          g_file_test (wal, G_FILE_TEST_EXISTS) ? "" : "?immutable=1");
  guint64 applied;
  int unknown;
  guint64 recorded;

  g_hash_table_remove_all (self->statements);
  memset (self->recent, 0, sizeof self->recent);
  g_clear_pointer (&self->db, sqlite3_close_v2);
  if (sqlite3_open_v2 (uri, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                       pd_sqlite_vfs_register ()) != SQLITE_OK)
    {
      if (self->db == NULL)
        g_set_error (error, PD_ERROR, PD_ERROR_STORE, _("Cannot open database %s"), self->path);
      else
        _pd_sqlite_store_fail (self, error);
      return FALSE;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 10000);
  if (!_pd_sqlite_store_exec (self, "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;", error))
    return FALSE;
  if (!read_versions (self, &applied, &unknown, &recorded, error))
    return FALSE;
  /* a database of a build from before pd_schema reads as well */
  if (unknown != 0 || applied != all_versions ())
    {
      g_autofree char *dir = g_path_get_dirname (self->path);

      g_set_error (error, PD_ERROR, PD_ERROR_STORE,
                   _("Database %s must be updated for this version of Persona Desk, "
                     "but its folder %s is read-only. Copy it to a folder you can write to."),
                   self->path, dir);
      return FALSE;
    }
  return TRUE;
}

static gboolean
in_read_only_folder (PdSqliteStore *self)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  int code = sqlite3_extended_errcode (self->db);

  return ((code & 0xff) == SQLITE_READONLY || (code & 0xff) == SQLITE_CANTOPEN) &&
         g_access (dir, W_OK) != 0;
}

/**
 * pd_sqlite_store_new:
 * @path: the database file, created (mode 0600, parents too) when missing
 *
 * Opens a connection and brings the schema up to date.
 *
 * Returns: (transfer full) (nullable): the store, or NULL with @error
 */
PdSqliteStore *
pd_sqlite_store_new (const char  *path,
                     GError     **error)
{
  g_autoptr(PdSqliteStore) self = NULL;
  g_autoptr(GError) local = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS) && !create_private_file (path, error))
    return NULL;

  self = g_object_new (PD_TYPE_SQLITE_STORE, NULL);
  self->path = g_strdup (path);
  /* locks that nothing else in the process can release (pd-sqlite-vfs.c) */
  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        pd_sqlite_vfs_register ());
  if (rc != SQLITE_OK)
    {
      if (self->db == NULL)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_STORE, _("Cannot open database %s"), path);
          return NULL;
        }
      _pd_sqlite_store_fail (self, error);
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 10000);

  if (!_pd_sqlite_store_exec (self,
                              "PRAGMA journal_mode = WAL;"
                              "PRAGMA synchronous = NORMAL;"
                              "PRAGMA foreign_keys = ON;"
                              "PRAGMA secure_delete = ON;"
                              "PRAGMA temp_store = MEMORY;",
                              &local))
    {
      if (in_read_only_folder (self))
        {
          if (!open_read_only (self, error))
            return NULL;
          _pd_sqlite_profile_install (self);
          return g_steal_pointer (&self);
        }
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }

  /* A file that is not a database fails here with a clear message. */
  if (!migrate (self, error))
    return NULL;
  _pd_sqlite_checkpoint_install (self);
  _pd_sqlite_profile_install (self);

  return g_steal_pointer (&self);
}

const char *
pd_sqlite_store_get_path (PdSqliteStore *self)
{
  g_return_val_if_fail (PD_IS_SQLITE_STORE (self), NULL);
  return self->path;
}

static PdStore *
pd_sqlite_store_open_another (PdStore  *store,
                              GError  **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);

  return (PdStore *) pd_sqlite_store_new (self->path, error);
}

static void
pd_sqlite_store_set_lock_timeout (PdStore *store,
                                  guint    ms)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);

  sqlite3_busy_timeout (self->db, (int) MIN (ms, G_MAXINT));
}

static void
pd_sqlite_store_iface_init (PdStoreInterface *iface)
{
  iface->open_another = pd_sqlite_store_open_another;
  iface->set_lock_timeout = pd_sqlite_store_set_lock_timeout;
  _pd_sqlite_store_init_personas (iface);
  _pd_sqlite_store_init_imports (iface);
  _pd_sqlite_store_init_undo (iface);
  _pd_sqlite_store_init_rows (iface);
  _pd_sqlite_store_init_results (iface);
  _pd_sqlite_store_init_consent (iface);
  _pd_sqlite_store_init_email_consent (iface);
  _pd_sqlite_store_init_loyalty (iface);
  _pd_sqlite_store_init_staff (iface);
  _pd_sqlite_store_init_privacy (iface);
  _pd_sqlite_store_init_merges (iface);
  _pd_sqlite_store_init_orders (iface);
  _pd_sqlite_store_init_api (iface);
  _pd_sqlite_store_init_batch (iface);
}
