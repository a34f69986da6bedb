/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdSqliteStore: imports as one transaction, their undo records, history,
 * stored files, audiences and mapping presets.  Undo: pd-sqlite-store-undo.c. */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-permission.h"
#include "pd-sqlite-store-private.h"

/* During an import the page cache is large (the hot parts of a million
 * personas' indexes stay in memory); it goes back to SQLite's default
 * afterwards.  150 MB keeps a million-row import's peak RSS under issue
 * 19's 300 MB (200 MB gave 327 MB; HACKING.md has the times). */
#define IMPORT_CACHE_KIB 150000

static gboolean
set_cache_size (PdSqliteStore *self,
                int            kib)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA cache_size = -%d", kib);

  return _pd_sqlite_store_exec (self, sql, NULL);
}

/* Reads @in to its end: the SHA-256 of what it read, in hex, and its
 * length. */
static char *
hash_stream (GInputStream  *in,
             guint8        *buffer,
             gsize          buffer_size,
             goffset       *length,
             GError       **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize n;

  *length = 0;
  do
    {
      if (!g_input_stream_read_all (in, buffer, buffer_size, &n, NULL, error))
        return NULL;
      g_checksum_update (checksum, buffer, n);
      *length += n;
    }
  while (n == buffer_size);
  return g_strdup (g_checksum_get_string (checksum));
}

/* Copies the file into import_files in chunks, without holding it in
 * memory (a 100 MB file is an ordinary day).  The file is read twice, to
 * hash it and then to copy it, so that its row is written once with its
 * hash: an UPDATE of the row afterwards rewrites the whole record, which
 * SQLite builds in memory (two copies of the file: 190 MB of a 95 MB
 * file, more than half of a million-row import's peak memory). */
static gboolean
store_file (PdSqliteStore  *self,
            gint64          import_id,
            const char     *path,
            GError        **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autofree guint8 *buffer = NULL;
  g_autofree char *sha256 = NULL;
  sqlite3_stmt *stmt;
  sqlite3_blob *blob = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  goffset size, done = 0;

  in = g_file_read (file, NULL, error);
  if (in == NULL)
    return FALSE;
  buffer = g_malloc (1 << 20);
  sha256 = hash_stream (G_INPUT_STREAM (in), buffer, 1 << 20, &size, error);
  if (sha256 == NULL ||
      !g_seekable_seek (G_SEEKABLE (in), 0, G_SEEK_SET, NULL, error))
    return FALSE;
  /* One blob may not pass SQLite's length limit (1,000,000,000 bytes by
   * default); readers refuse such files before reading them
   * (PD_READER_MAX_FILE_SIZE), this names the file if one gets here. */
  if (size > sqlite3_limit (self->db, SQLITE_LIMIT_LENGTH, -1))
    {
      g_autofree char *name = g_path_get_basename (path);
      g_autofree char *size_text = g_format_size (size);

      g_set_error (error, PD_ERROR, PD_ERROR_TOO_LARGE,
                   _("%s is too large to keep in the import history (%s)"), name, size_text);
      return FALSE;
    }

  stmt = _pd_sqlite_store_prepare (self, "INSERT INTO import_files (import_id, data, sha256) "
                                         "VALUES (?, zeroblob(?), ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, import_id);
  sqlite3_bind_int64 (stmt, 2, size);
  sqlite3_bind_text (stmt, 3, sha256, -1, SQLITE_STATIC);
  if (!_pd_sqlite_store_step_done (self, stmt, error))
    return FALSE;
  if (size > 0 && sqlite3_blob_open (self->db, "main", "import_files", "data", import_id, 1, &blob) != SQLITE_OK)
    return _pd_sqlite_store_fail (self, error);

  while (done < size)
    {
      gsize n = 0;

      if (!g_input_stream_read_all (G_INPUT_STREAM (in), buffer, MIN (1 << 20, size - done), &n, NULL, error))
        {
          sqlite3_blob_close (blob);
          return FALSE;
        }
      if (n == 0)
        break;  /* the file shrank while we read it: keep what was there */
      g_checksum_update (checksum, buffer, n);
      if (sqlite3_blob_write (blob, buffer, n, done) != SQLITE_OK)
        {
          _pd_sqlite_store_fail (self, error);
          sqlite3_blob_close (blob);
          return FALSE;
        }
      done += n;
    }
  if (blob != NULL)
    sqlite3_blob_close (blob);
  if (done == size && g_str_equal (g_checksum_get_string (checksum), sha256))
    return TRUE;

  /* The file changed between the two reads: the hash of the bytes kept
   * (the same file imported again is found by it), at the cost above. */
  stmt = _pd_sqlite_store_prepare (self, "UPDATE import_files SET sha256 = ? WHERE import_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, g_checksum_get_string (checksum), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, import_id);
  return _pd_sqlite_store_step_done (self, stmt, error);
}

static gint64
insert_import_row (PdSqliteStore  *self,
                   PdImportInfo   *info,
                   GError        **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "INSERT INTO imports (name, user, file_name, started, duration_ms, status, total, imported, "
    "updated, ignored, failed, mapping, options, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, info->name != NULL ? info->name : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, info->user != NULL ? info->user : g_get_user_name (), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, info->file_name != NULL ? info->file_name : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, g_date_time_to_unix (info->started) * G_USEC_PER_SEC +
                               g_date_time_get_microsecond (info->started));
  sqlite3_bind_int64 (stmt, 5, info->duration_ms);
  sqlite3_bind_text (stmt, 6, pd_import_status_to_string (info->status), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 7, info->total);
  sqlite3_bind_int (stmt, 8, info->imported);
  sqlite3_bind_int (stmt, 9, info->updated);
  sqlite3_bind_int (stmt, 10, info->ignored);
  sqlite3_bind_int (stmt, 11, info->failed);
  sqlite3_bind_text (stmt, 12, info->mapping_json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, info->options_json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 14, info->error, -1, SQLITE_STATIC);
  if (!_pd_sqlite_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (self->db);
}

/* Before the transaction of an import or an undo (the pragma is a no-op
 * inside one).  Foreign keys make every insert of a statement abortable,
 * hence journaled (see write_sql), and a delete cascade per persona in one
 * statement with an in-memory statement journal; both write only rows
 * they have just created or looked up, so they keep them right by
 * construction instead. */
void
_pd_sqlite_store_begin_bulk_writes (PdSqliteStore *self)
{
  /* benchmarks only: another size, to compare */
  set_cache_size (self, g_getenv ("PD_IMPORT_CACHE_KIB") != NULL
                        ? (int) CLAMP (g_ascii_strtoll (g_getenv ("PD_IMPORT_CACHE_KIB"), NULL, 10), 2000, 4000000)
                        : IMPORT_CACHE_KIB);
  _pd_sqlite_store_exec (self, "PRAGMA foreign_keys = OFF", NULL);
}

void
_pd_sqlite_store_end_bulk_writes (PdSqliteStore *self)
{
  set_cache_size (self, 2000);
  _pd_sqlite_store_exec (self, "PRAGMA foreign_keys = ON", NULL);
}

static void
end_import_mode (PdSqliteStore *self)
{
  self->in_import = FALSE;
  _pd_sqlite_store_end_bulk_writes (self);
}

static gint64
sqlite_begin_import (PdStore       *store,
                     PdImportInfo  *info,
                     const char    *file_path,
                     GError       **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  gint64 id;

  g_return_val_if_fail (!self->in_import, 0);

  if (info->user == NULL)
    info->user = g_strdup (g_get_user_name ());
  if (info->file_name == NULL && file_path != NULL)
    info->file_name = g_path_get_basename (file_path);
  if (info->started == NULL)
    info->started = g_date_time_new_now_utc ();
  info->status = PD_IMPORT_STATUS_IN_PROGRESS;

  _pd_sqlite_store_begin_bulk_writes (self);
  if (!_pd_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
    {
      end_import_mode (self);
      return 0;
    }
  id = insert_import_row (self, info, error);
  /* a dry run (no file_path) keeps no copy: it is rolled back anyway */
  if (id == 0 || (file_path != NULL && !store_file (self, id, file_path, error)))
    {
      _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
      end_import_mode (self);
      return 0;
    }
  info->id = id;
  self->in_import = TRUE;
  self->import_blocklist = 0;   /* not looked at yet (pd-sqlite-store-privacy.c) */
  g_free (self->import_user);
  self->import_user = g_strdup (info->user);
  self->import_has_contacts = _pd_sqlite_store_has_consent_contacts (self);
  g_free (self->import_file_path);
  self->import_file_path = g_strdup (file_path);
  return id;
}

gboolean
_pd_sqlite_store_run_id2 (PdSqliteStore  *self,
         const char     *sql,
         gint64          a,
         gint64          b,
         GError        **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, a);
  sqlite3_bind_int64 (stmt, 2, b);
  return _pd_sqlite_store_step_done (self, stmt, error);
}

gboolean
_pd_sqlite_store_import_write (PdSqliteStore *self,
                               gint64       import_id,
                               PdPersona   *persona,
                               PdPersona   *before,
                               const char  *points_reason,
                               gboolean     contacts_checked,
                               GError     **error)
{
  PdActor actor = { PD_SOURCE_IMPORT, self->import_user };

  g_return_val_if_fail (self->in_import, FALSE);

  /* a source ID another persona holds fails the row, not the import */
  if (!_pd_sqlite_store_check_source_ids (self, persona, error))
    goto fail;

  /* No savepoint: the persona write validates before it writes anything
   * (see _pd_sqlite_store_write_persona_full), and a database failure ends
   * the import, whose transaction is rolled back. */

  if (contacts_checked)
    {
      if (pd_persona_get_emails (persona)->len == 0 && pd_persona_get_phones (persona)->len == 0 &&
          !_pd_sqlite_store_validate_persona (self, persona, error))
        return FALSE;
    }
  else if (!_pd_sqlite_store_validate_persona (self, persona, error))
    return FALSE;

  /* The undo record comes first and only once: the persona as it was
   * before this import touched it (a second row of the same file finds
   * the first one's record in place). */
  if (before != NULL)
    {
      g_autoptr(GByteArray) snapshot = _pd_sqlite_snapshot_pack (before);
      sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
        "INSERT OR IGNORE INTO import_changes (import_id, persona_id, before, before_change) "
        "VALUES (?1, ?2, ?3, (SELECT changed_by_import FROM personas WHERE id = ?2))", error);

      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, import_id);
      sqlite3_bind_int64 (stmt, 2, pd_persona_get_id (before));
      sqlite3_bind_blob (stmt, 3, snapshot->data, snapshot->len, SQLITE_STATIC);
      if (!_pd_sqlite_store_step_done (self, stmt, error))
        goto fail;
    }

  if (!_pd_sqlite_store_write_persona_full (self, persona, before, &actor, import_id,
                                            points_reason, error))
    goto fail;

  if (before == NULL &&
      !_pd_sqlite_store_run_id2 (self, "INSERT OR IGNORE INTO import_changes (import_id, persona_id, before) VALUES (?, ?, NULL)",
                import_id, pd_persona_get_id (persona), error))
    goto fail;

  return TRUE;

fail:
  if (before == NULL)
    pd_persona_set_id (persona, 0);
  return FALSE;
}

static gboolean
sqlite_import_write (PdStore     *store,
                     gint64       import_id,
                     PdPersona   *persona,
                     PdPersona   *before,
                     const char  *points_reason,
                     gboolean     contacts_checked,
                     GError     **error)
{
  return _pd_sqlite_store_import_write (PD_SQLITE_STORE (store), import_id, persona, before,
                                        points_reason, contacts_checked, error);
}

static gboolean
update_import_row (PdSqliteStore  *self,
                   PdImportInfo   *info,
                   GError        **error)
{
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "UPDATE imports SET duration_ms = ?, status = ?, total = ?, imported = ?, updated = ?, "
    "ignored = ?, failed = ?, error = ?, mapping = ?, options = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, info->duration_ms);
  sqlite3_bind_text (stmt, 2, pd_import_status_to_string (info->status), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, info->total);
  sqlite3_bind_int (stmt, 4, info->imported);
  sqlite3_bind_int (stmt, 5, info->updated);
  sqlite3_bind_int (stmt, 6, info->ignored);
  sqlite3_bind_int (stmt, 7, info->failed);
  sqlite3_bind_text (stmt, 8, info->error, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, info->mapping_json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, info->options_json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 11, info->id);
  return _pd_sqlite_store_step_done (self, stmt, error);
}

static gboolean
sqlite_finish_import (PdStore       *store,
                      PdImportInfo  *info,
                      GError       **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);

  g_return_val_if_fail (self->in_import, FALSE);

  info->status = PD_IMPORT_STATUS_COMPLETED;
  if (!update_import_row (self, info, error) || !_pd_sqlite_store_exec (self, "COMMIT", error))
    {
      _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
      end_import_mode (self);
      return FALSE;
    }
  end_import_mode (self);
  return TRUE;
}

static void
sqlite_abort_import (PdStore      *store,
                     PdImportInfo *info)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (!self->in_import)
    return;
  _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
  end_import_mode (self);

  /* Nothing of the import stays; the attempt itself is kept in the
   * history, with its file, so that the user can see what happened. */
  if (info->status != PD_IMPORT_STATUS_CANCELLED)
    info->status = PD_IMPORT_STATUS_FAILED;
  if (!_pd_sqlite_store_exec (self, "BEGIN IMMEDIATE", &error))
    goto out;
  id = insert_import_row (self, info, &error);
  if (id == 0 || (self->import_file_path != NULL && !store_file (self, id, self->import_file_path, &error)) ||
      !_pd_sqlite_store_exec (self, "COMMIT", &error))
    {
      _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
      goto out;
    }
  info->id = id;

out:
  if (error != NULL)
    g_warning ("Could not record the aborted import: %s", error->message);
}

/* A dry run's end: everything it wrote is rolled back and, unlike
 * abort_import, nothing at all is recorded. */
static void
sqlite_discard_import (PdStore      *store,
                       PdImportInfo *info)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);

  if (!self->in_import)
    return;
  _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
  end_import_mode (self);
  g_clear_pointer (&self->import_file_path, g_free);
  info->id = 0;
}

static PdImportInfo *
import_from_row (sqlite3_stmt *stmt)
{
  PdImportInfo *info = pd_import_info_new ();
  const char *status = (const char *) sqlite3_column_text (stmt, 6);
  gint64 started = sqlite3_column_int64 (stmt, 4);

  info->id = sqlite3_column_int64 (stmt, 0);
  info->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  info->user = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  info->file_name = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  info->started = g_date_time_new_from_unix_utc (started / G_USEC_PER_SEC);
  info->duration_ms = sqlite3_column_int64 (stmt, 5);
  info->status = PD_IMPORT_STATUS_FAILED;
  for (int s = PD_IMPORT_STATUS_PENDING; s <= PD_IMPORT_STATUS_PARTLY_UNDONE; s++)
    if (g_strcmp0 (status, pd_import_status_to_string (s)) == 0)
      info->status = s;
  info->total = sqlite3_column_int (stmt, 7);
  info->imported = sqlite3_column_int (stmt, 8);
  info->updated = sqlite3_column_int (stmt, 9);
  info->ignored = sqlite3_column_int (stmt, 10);
  info->failed = sqlite3_column_int (stmt, 11);
  info->mapping_json = g_strdup ((const char *) sqlite3_column_text (stmt, 12));
  info->options_json = g_strdup ((const char *) sqlite3_column_text (stmt, 13));
  info->error = g_strdup ((const char *) sqlite3_column_text (stmt, 14));
  info->privacy_removed = sqlite3_column_int (stmt, 15);
  return info;
}

#define IMPORT_COLUMNS "id, name, user, file_name, started, duration_ms, status, total, imported, " \
                       "updated, ignored, failed, mapping, options, error, privacy_removed"

static GPtrArray *
sqlite_list_imports (PdStore  *store,
                     GError  **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autoptr(GPtrArray) imports = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_import_info_free);
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "SELECT " IMPORT_COLUMNS " FROM imports ORDER BY id DESC", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (imports, import_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error), NULL;
  return g_steal_pointer (&imports);
}

static PdImportInfo *
sqlite_get_import (PdStore  *store,
                   gint64    id,
                   GError  **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "SELECT " IMPORT_COLUMNS " FROM imports WHERE id = ?", error);
  PdImportInfo *info = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    info = import_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No import with ID %" PRId64), id);
  else
    _pd_sqlite_store_fail (self, error);
  sqlite3_reset (stmt);
  return info;
}

static gboolean
sqlite_write_import_file (PdStore        *store,
                          gint64          id,
                          GOutputStream  *out,
                          GCancellable   *cancellable,
                          GError        **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autofree guint8 *buffer = NULL;
  sqlite3_blob *blob = NULL;
  int size, done = 0;
  gboolean ok = TRUE;

  /* A read transaction keeps the blob stable while it is copied. */
  if (!_pd_sqlite_store_exec (self, "BEGIN", error))
    return FALSE;
  if (sqlite3_blob_open (self->db, "main", "import_files", "data", id, 0, &blob) != SQLITE_OK)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND,
                   _("No stored file for import %" PRId64), id);
      _pd_sqlite_store_exec (self, "COMMIT", NULL);
      return FALSE;
    }
  size = sqlite3_blob_bytes (blob);
  buffer = g_malloc (1 << 20);
  while (ok && done < size)
    {
      int n = MIN (1 << 20, size - done);

      if (sqlite3_blob_read (blob, buffer, n, done) != SQLITE_OK)
        ok = _pd_sqlite_store_fail (self, error);
      else
        ok = g_output_stream_write_all (out, buffer, n, NULL, cancellable, error);
      done += n;
    }
  sqlite3_blob_close (blob);
  _pd_sqlite_store_exec (self, "COMMIT", NULL);
  return ok;
}

GArray *
_pd_sqlite_store_list_ids (PdSqliteStore  *self,
          const char     *sql,
          gint64          id,
          GError        **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 value = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, value);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error), NULL;
  return g_steal_pointer (&ids);
}

static GArray *
sqlite_list_audience (PdStore  *store,
                      gint64    import_id,
                      GError  **error)
{
  return _pd_sqlite_store_list_ids (PD_SQLITE_STORE (store),
                   /* a blocklisted persona is in no audience (issue 16) */
                   "SELECT persona_id FROM import_changes WHERE import_id = ? AND persona_id NOT IN "
                   "(SELECT id FROM personas WHERE blocklisted <> 0) ORDER BY persona_id",
                   import_id, error);
}

static GArray *
sqlite_list_persona_imports (PdStore  *store,
                             gint64    persona_id,
                             GError  **error)
{
  return _pd_sqlite_store_list_ids (PD_SQLITE_STORE (store),
                   "SELECT import_id FROM import_changes WHERE persona_id = ? ORDER BY import_id DESC",
                   persona_id, error);
}

static gboolean
sqlite_delete_import_as (PdStore        *store,
                         gint64          id,
                         const PdActor  *actor,
                         GError        **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!pd_actor_check (actor, PD_PERMISSION_UNDO_IMPORT, error) ||
      !_pd_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!_pd_sqlite_store_audit_import (self, actor, "import.delete", id, error))
    goto fail;
  stmt = _pd_sqlite_store_prepare (self, "DELETE FROM imports WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!_pd_sqlite_store_step_done (self, stmt, error))
    goto fail;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No import with ID %" PRId64), id);
      goto fail;
    }
  return _pd_sqlite_store_exec (self, "COMMIT", error) || (_pd_sqlite_store_exec (self, "ROLLBACK", NULL), FALSE);

fail:
  _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
  return FALSE;
}

static gboolean
sqlite_delete_import (PdStore  *store,
                      gint64    id,
                      GError  **error)
{
  return sqlite_delete_import_as (store, id, NULL, error);
}

static gboolean
sqlite_save_preset (PdStore     *store,
                    const char  *signature,
                    const char  *mapping_json,
                    GError     **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "INSERT OR REPLACE INTO mapping_presets (signature, mapping, updated) VALUES (?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, signature, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, mapping_json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  return _pd_sqlite_store_step_done (self, stmt, error);
}

static char *
sqlite_lookup_preset (PdStore     *store,
                      const char  *signature,
                      GError     **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    "SELECT mapping FROM mapping_presets WHERE signature = ?", error);
  char *mapping = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, signature, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    mapping = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    _pd_sqlite_store_fail (self, error);
  sqlite3_reset (stmt);
  return mapping;
}

void
_pd_sqlite_store_init_imports (PdStoreInterface *iface)
{
  iface->begin_import = sqlite_begin_import;
  iface->import_write = sqlite_import_write;
  iface->finish_import = sqlite_finish_import;
  iface->abort_import = sqlite_abort_import;
  iface->discard_import = sqlite_discard_import;
  iface->list_imports = sqlite_list_imports;
  iface->get_import = sqlite_get_import;
  iface->write_import_file = sqlite_write_import_file;
  iface->list_audience = sqlite_list_audience;
  iface->delete_import = sqlite_delete_import;
  iface->delete_import_as = sqlite_delete_import_as;
  iface->save_preset = sqlite_save_preset;
  iface->lookup_preset = sqlite_lookup_preset;
  iface->list_persona_imports = sqlite_list_persona_imports;
}
