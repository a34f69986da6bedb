/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPgStore: an import as one transaction (its undo records, its row
 * results), the history, stored files, audiences and mapping presets.
 * Undoing one is in pd-pg-store-undo.c. */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-pg-store-private.h"
#include "pd-sqlite-store-private.h"

#define IMPORT_COLUMNS "id, name, user_name, file_name, started, duration_ms, status, total, imported, " \
                       "updated, ignored, failed, mapping, options, error, privacy_removed"

static char *
int_text (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

/* Version 16 (issue 19): the kept files compressed with lz4 instead of
 * pglz.  Storing the 100,000-row benchmark file (9.5 MB) took 1.14-1.28 s
 * with pglz and 0.30-0.37 s with lz4, about the same size (both halve
 * it): a tenth of a second per 10,000 rows of every import, nine seconds
 * at a million.  A server built without lz4 keeps pglz (the setting only
 * changes how new values are compressed). */
const char _pd_pg_schema_v16[] =
  "DO $$ BEGIN "
  "  ALTER TABLE import_files ALTER COLUMN data SET COMPRESSION lz4; "
  "EXCEPTION WHEN feature_not_supported THEN NULL; "
  "END $$;";

static void
put_be (guint8  *out,
        guint64  value,
        guint    n)
{
  for (guint i = 0; i < n; i++)
    out[i] = value >> (8 * (n - 1 - i));
}

/* The file goes in by COPY in PostgreSQL's binary format, a megabyte at a
 * time: a parameter would hold the whole file in memory (a 95 MB file was
 * 95 MB of a million-row import's client memory).  The server computes
 * its sha256 column from the bytes. */
static gboolean
store_file (PdPgStore   *self,
            gint64       import_id,
            const char  *path,
            GError     **error)
{
  /* the signature, flags, header extension; one tuple of two fields */
  static const guint8 signature[11] = { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xff, '\r', '\n', 0 };
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree guint8 *buffer = NULL;
  guint8 head[11 + 8 + 2 + 4 + 8 + 4];
  const guint8 trailer[2] = { 0xff, 0xff };
  goffset size, done = 0;
  gboolean ok = TRUE;

  in = g_file_read (file, NULL, error);
  if (in == NULL)
    return FALSE;
  info = g_file_input_stream_query_info (in, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, error);
  if (info == NULL)
    return FALSE;
  size = g_file_info_get_size (info);
  /* a bytea holds at most 1 GB */
  if (size >= (1 << 30))
    {
      g_set_error (error, PD_ERROR, PD_ERROR_TOO_LARGE, _("File %s is too large to keep in the database"), path);
      return FALSE;
    }

  memcpy (head, signature, 11);
  put_be (head + 11, 0, 4);             /* flags */
  put_be (head + 15, 0, 4);             /* no header extension */
  put_be (head + 19, 2, 2);             /* fields */
  put_be (head + 21, 8, 4);             /* import_id: int8 */
  put_be (head + 25, (guint64) import_id, 8);
  put_be (head + 33, (guint64) size, 4); /* data: the file's bytes */

  if (!_pd_pg_copy_begin (self, "COPY import_files (import_id, data) FROM STDIN (FORMAT binary)", error))
    return FALSE;
  ok = PQputCopyData (self->conn, (const char *) head, sizeof head) == 1;
  buffer = g_malloc (1 << 20);
  while (ok && done < size)
    {
      gsize n = 0;

      if (!g_input_stream_read_all (G_INPUT_STREAM (in), buffer, MIN (1 << 20, size - done), &n, NULL, error))
        /* the COPY fails; the caller rolls the import back */
        return _pd_pg_copy_end (self, ok, "the file could not be read", NULL);
      /* the file shrank while we read it: what was there, padded as
       * SQLite's store pads it */
      if (n == 0)
        {
          n = MIN (1 << 20, size - done);
          memset (buffer, 0, n);
        }
      ok = PQputCopyData (self->conn, (const char *) buffer, (int) n) == 1;
      done += n;
    }
  if (ok)
    ok = PQputCopyData (self->conn, (const char *) trailer, sizeof trailer) == 1;
  return _pd_pg_copy_end (self, ok, NULL, error);
}

static gint64
insert_import_row (PdPgStore     *self,
                   PdImportInfo  *info,
                   GError       **error)
{
  g_autofree char *started = int_text (g_date_time_to_unix (info->started) * G_USEC_PER_SEC +
                                       g_date_time_get_microsecond (info->started));
  g_autofree char *duration = int_text (info->duration_ms);
  g_autofree char *total = int_text (info->total);
  g_autofree char *imported = int_text (info->imported);
  g_autofree char *updated = int_text (info->updated);
  g_autofree char *ignored = int_text (info->ignored);
  g_autofree char *failed = int_text (info->failed);
  const char *values[] = {
    info->name != NULL ? info->name : "", info->user != NULL ? info->user : g_get_user_name (),
    info->file_name != NULL ? info->file_name : "", started, duration,
    pd_import_status_to_string (info->status), total, imported, updated, ignored, failed,
    info->mapping_json, info->options_json, info->error,
  };
  g_autoptr(PGresult) result = _pd_pg_query (self,
    "INSERT INTO imports (name, user_name, file_name, started, duration_ms, status, total, imported, "
    "updated, ignored, failed, mapping, options, error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
    "$10, $11, $12, $13, $14) RETURNING id", G_N_ELEMENTS (values), values, error);

  if (result == NULL)
    return 0;
  return _pd_pg_int64 (result, 0, 0);
}

static gint64
pg_begin_import (PdStore       *store,
                 PdImportInfo  *info,
                 const char    *file_path,
                 GError       **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  gint64 id;

  g_return_val_if_fail (!self->in_import, 0);

  if (info->user == NULL)
    info->user = g_strdup (g_get_user_name ());
  if (info->file_name == NULL && file_path != NULL)
    info->file_name = g_path_get_basename (file_path);
  if (info->started == NULL)
    info->started = g_date_time_new_now_utc ();
  info->status = PD_IMPORT_STATUS_IN_PROGRESS;

  /* No JIT for the import's statements either: the whole session has
   * none (PD_PG_SESSION_SETTINGS).  The planner cannot know the staging
   * tables' few live rows (temporary tables are never analyzed, and a
   * batch's DELETE leaves dead ones), so it costed a batch's statements
   * high enough to compile them, 7 ms each time: 2.1 s of 17.8 s of
   * server time at 100,000 rows (issue 19). */
  if (!_pd_pg_exec (self, "BEGIN", error))
    return 0;
  /* another desk's import first (pd-pg-store-wait.c), then the lock an
   * erasure takes */
  if (!_pd_pg_import_turn (self, error) || !_pd_pg_privacy_lock (self, FALSE, error))
    {
      _pd_pg_rollback (self);
      return 0;
    }
  /* What the rules' look-up may find for the import's personas, read
   * once: the numbers with consent but no persona (or a text waiting for
   * one), usually few, so that only a row bringing one of them is looked
   * up; whether any email opted out. */
  {
    g_autoptr(PGresult) rules = _pd_pg_query (self,
      "SELECT 0, phone FROM consent_contacts UNION SELECT 0, phone FROM outbox WHERE persona_id IS NULL "
      "UNION ALL SELECT 1, NULL WHERE EXISTS (SELECT 1 FROM email_opt_outs) "
      /* issue 16: whether anyone was merged away (find_persona then looks
       * the merged ones up too); the blocklist asked once, under the
       * privacy lock that erasures wait for */
      "UNION ALL SELECT 2, NULL WHERE EXISTS (SELECT 1 FROM personas WHERE merged_into IS NOT NULL)",
      0, NULL, error);

    if (rules == NULL)
      {
        _pd_pg_rollback (self);
        return 0;
      }
    g_clear_pointer (&self->import_contact_phones, g_hash_table_unref);
    self->import_has_email_opt_outs = FALSE;
    self->import_has_merges = FALSE;
    self->import_blocklist = 0;
    for (int r = 0; r < PQntuples (rules); r++)
      if (_pd_pg_int64 (rules, r, 0) == 2)
        self->import_has_merges = TRUE;
      else if (_pd_pg_int64 (rules, r, 0) == 1)
        self->import_has_email_opt_outs = TRUE;
      else
        {
          if (self->import_contact_phones == NULL)
            self->import_contact_phones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_hash_table_add (self->import_contact_phones, g_strdup (_pd_pg_text (rules, r, 1)));
        }
  }
  id = insert_import_row (self, info, error);
  /* a dry run (no file_path) keeps no copy: it is rolled back anyway */
  if (id == 0 || (file_path != NULL && !store_file (self, id, file_path, error)))
    {
      _pd_pg_rollback (self);
      return 0;
    }
  info->id = id;
  self->in_import = TRUE;
  g_free (self->import_user);
  self->import_user = g_strdup (info->user);
  g_free (self->import_file_path);
  self->import_file_path = g_strdup (file_path);
  return id;
}

/* Every check that can refuse the row runs before the first write: a
 * failed statement would abort the import's whole transaction. */
static gboolean
pg_import_write (PdStore     *store,
                 gint64       import_id,
                 PdPersona   *persona,
                 PdPersona   *before,
                 const char  *points_reason,
                 gboolean     contacts_checked,
                 GError     **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autofree char *import_text = int_text (import_id);
  gboolean live = !pd_persona_get_archived (persona) && !pd_persona_get_blocklisted (persona);
  PdActor actor = { PD_SOURCE_IMPORT, self->import_user, PD_ROLE_OWNER };
  PdPgWriteLookup lookup = { 0 };

  g_return_val_if_fail (self->in_import, FALSE);

  if (pd_persona_get_emails (persona)->len == 0 && pd_persona_get_phones (persona)->len == 0)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID,
                           _("A persona needs at least an email or a phone"));
      return FALSE;
    }
  /* The rules' look-up first: a source ID or (unless the job checked
   * them) an email or phone another persona holds fails the row, not the
   * import, before anything of it is written. */
  if (!_pd_pg_prepare_write (self, persona, before, PD_SOURCE_IMPORT, !contacts_checked && live, &lookup, error))
    goto fail;

  /* The undo record comes first and only once: the persona as it was
   * before this import touched it. */
  if (before != NULL)
    {
      g_autoptr(GByteArray) snapshot = _pd_sqlite_snapshot_pack (before);
      g_autofree char *persona_text = int_text (pd_persona_get_id (before));
      const char *values[] = { import_text, persona_text, (const char *) snapshot->data };
      int lengths[] = { 0, 0, (int) snapshot->len };
      int formats[] = { 0, 0, 1 };
      g_autoptr(PGresult) result = _pd_pg_query_full (self,
        "INSERT INTO import_changes (import_id, persona_id, before, before_change) "
        "VALUES ($1, $2, $3, (SELECT changed_by_import FROM personas WHERE id = $2)) "
        "ON CONFLICT DO NOTHING", 3, values, lengths, formats, error);

      if (result == NULL)
        goto fail;
    }

  if (!_pd_pg_write_persona (self, persona, before, &actor, import_id, points_reason, &lookup, error))
    goto fail;

  if (before == NULL)
    {
      g_autofree char *persona_text = int_text (pd_persona_get_id (persona));
      const char *values[] = { import_text, persona_text };
      g_autoptr(PGresult) result = _pd_pg_query (self,
        "INSERT INTO import_changes (import_id, persona_id, before) VALUES ($1, $2, NULL) "
        "ON CONFLICT DO NOTHING", 2, values, error);

      if (result == NULL)
        {
          pd_persona_set_id (persona, 0);
          goto fail;
        }
    }
  _pd_pg_write_lookup_clear (&lookup);
  return TRUE;

fail:
  _pd_pg_write_lookup_clear (&lookup);
  return FALSE;
}

static gboolean
update_import_row (PdPgStore     *self,
                   PdImportInfo  *info,
                   GError       **error)
{
  g_autofree char *duration = int_text (info->duration_ms);
  g_autofree char *total = int_text (info->total);
  g_autofree char *imported = int_text (info->imported);
  g_autofree char *updated = int_text (info->updated);
  g_autofree char *ignored = int_text (info->ignored);
  g_autofree char *failed = int_text (info->failed);
  g_autofree char *id = int_text (info->id);
  const char *values[] = {
    duration, pd_import_status_to_string (info->status), total, imported, updated, ignored, failed,
    info->error, info->mapping_json, info->options_json, id,
  };
  g_autoptr(PGresult) result = _pd_pg_query (self,
    "UPDATE imports SET duration_ms = $1, status = $2, total = $3, imported = $4, updated = $5, "
    "ignored = $6, failed = $7, error = $8, mapping = $9, options = $10 WHERE id = $11",
    G_N_ELEMENTS (values), values, error);

  return result != NULL;
}

static gboolean
pg_finish_import (PdStore       *store,
                  PdImportInfo  *info,
                  GError       **error)
{
  PdPgStore *self = PD_PG_STORE (store);

  g_return_val_if_fail (self->in_import, FALSE);

  self->in_import = FALSE;
  g_clear_pointer (&self->import_contact_phones, g_hash_table_unref);
  info->status = PD_IMPORT_STATUS_COMPLETED;
  if (!update_import_row (self, info, error) || !_pd_pg_exec (self, "COMMIT", error))
    {
      _pd_pg_rollback (self);
      return FALSE;
    }
  return TRUE;
}

static void
pg_abort_import (PdStore      *store,
                 PdImportInfo *info)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (!self->in_import)
    return;
  self->in_import = FALSE;
  g_clear_pointer (&self->import_contact_phones, g_hash_table_unref);
  _pd_pg_rollback (self);

  /* Nothing of the import stays; the attempt itself is kept in the
   * history, with its file, so that the user can see what happened.  A
   * lost connection took the import's transaction with it (the server
   * rolled it back): a new one records the attempt. */
  if (info->status != PD_IMPORT_STATUS_CANCELLED)
    info->status = PD_IMPORT_STATUS_FAILED;
  if (!_pd_pg_reconnect (self, &error) || !_pd_pg_exec (self, "BEGIN", &error))
    goto out;
  id = insert_import_row (self, info, &error);
  if (id == 0 || (self->import_file_path != NULL && !store_file (self, id, self->import_file_path, &error)) ||
      !_pd_pg_exec (self, "COMMIT", &error))
    {
      _pd_pg_rollback (self);
      goto out;
    }
  info->id = id;

out:
  if (error != NULL)
    g_warning ("Could not record the aborted import: %s", error->message);
}

static void
pg_discard_import (PdStore      *store,
                   PdImportInfo *info)
{
  PdPgStore *self = PD_PG_STORE (store);

  if (!self->in_import)
    return;
  self->in_import = FALSE;
  g_clear_pointer (&self->import_contact_phones, g_hash_table_unref);
  _pd_pg_rollback (self);
  g_clear_pointer (&self->import_file_path, g_free);
  info->id = 0;
}

static PdImportInfo *
import_from_row (const PGresult *result,
                 int             row)
{
  PdImportInfo *info = pd_import_info_new ();
  const char *status = _pd_pg_text (result, row, 6);

  info->id = _pd_pg_int64 (result, row, 0);
  info->name = g_strdup (_pd_pg_text (result, row, 1));
  info->user = g_strdup (_pd_pg_text (result, row, 2));
  info->file_name = g_strdup (_pd_pg_text (result, row, 3));
  info->started = g_date_time_new_from_unix_utc (_pd_pg_int64 (result, row, 4) / G_USEC_PER_SEC);
  info->duration_ms = _pd_pg_int64 (result, row, 5);
  info->status = PD_IMPORT_STATUS_FAILED;
  for (int s = PD_IMPORT_STATUS_PENDING; s <= PD_IMPORT_STATUS_PARTLY_UNDONE; s++)
    if (g_strcmp0 (status, pd_import_status_to_string (s)) == 0)
      info->status = s;
  info->total = _pd_pg_int64 (result, row, 7);
  info->imported = _pd_pg_int64 (result, row, 8);
  info->updated = _pd_pg_int64 (result, row, 9);
  info->ignored = _pd_pg_int64 (result, row, 10);
  info->failed = _pd_pg_int64 (result, row, 11);
  info->mapping_json = g_strdup (_pd_pg_text (result, row, 12));
  info->options_json = g_strdup (_pd_pg_text (result, row, 13));
  info->error = g_strdup (_pd_pg_text (result, row, 14));
  info->privacy_removed = _pd_pg_int64 (result, row, 15);
  return info;
}

static GPtrArray *
pg_list_imports (PdStore  *store,
                 GError  **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autoptr(GPtrArray) imports = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_import_info_free);
  g_autoptr(PGresult) result = _pd_pg_query (self, "SELECT " IMPORT_COLUMNS " FROM imports ORDER BY id DESC",
                                             0, NULL, error);

  if (result == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (result); r++)
    g_ptr_array_add (imports, import_from_row (result, r));
  return g_steal_pointer (&imports);
}

static PdImportInfo *
pg_get_import (PdStore  *store,
               gint64    id,
               GError  **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autofree char *id_text = int_text (id);
  const char *values[] = { id_text };
  g_autoptr(PGresult) result = _pd_pg_query (self, "SELECT " IMPORT_COLUMNS " FROM imports WHERE id = $1",
                                             1, values, error);

  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No import with ID %" PRId64), id);
      return NULL;
    }
  return import_from_row (result, 0);
}

/* The newest completed import whose kept file has this SHA-256. */
static PdImportInfo *
pg_find_import_by_sha256 (PdStore     *store,
                          const char  *sha256,
                          GError     **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  const char *values[] = { sha256, pd_import_status_to_string (PD_IMPORT_STATUS_COMPLETED) };
  g_autoptr(PGresult) result = _pd_pg_query (self,
    "SELECT i.id FROM import_files f JOIN imports i ON i.id = f.import_id "
    "WHERE f.sha256 = $1 AND i.status = $2 ORDER BY i.id DESC LIMIT 1", 2, values, error);

  if (result == NULL || PQntuples (result) == 0)
    return NULL;
  return pd_store_get_import (store, g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10), error);
}

static gboolean
pg_write_import_file (PdStore        *store,
                      gint64          id,
                      GOutputStream  *out,
                      GCancellable   *cancellable,
                      GError        **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autofree char *id_text = int_text (id);
  const char *values[] = { id_text };
  g_autoptr(PGresult) result = _pd_pg_query (self, "SELECT data FROM import_files WHERE import_id = $1",
                                             1, values, error);
  unsigned char *data;
  size_t size = 0;
  gboolean ok;

  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No stored file for import %" PRId64), id);
      return FALSE;
    }
  data = PQunescapeBytea ((const unsigned char *) PQgetvalue (result, 0, 0), &size);
  if (data == NULL)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_STORE, _("Out of memory reading the file of import %" PRId64), id);
      return FALSE;
    }
  ok = g_output_stream_write_all (out, data, size, NULL, cancellable, error);
  PQfreemem (data);
  return ok;
}

static GArray *
list_ids (PdPgStore   *self,
          const char  *sql,
          gint64       id,
          GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *id_text = int_text (id);
  const char *values[] = { id_text };
  g_autoptr(PGresult) result = _pd_pg_query (self, sql, 1, values, error);

  if (result == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (result); r++)
    {
      gint64 value = _pd_pg_int64 (result, r, 0);
      g_array_append_val (ids, value);
    }
  return g_steal_pointer (&ids);
}

static GArray *
pg_list_audience (PdStore  *store,
                  gint64    import_id,
                  GError  **error)
{
  return list_ids (PD_PG_STORE (store),
                   /* a blocklisted persona is in no audience (issue 16) */
                   "SELECT persona_id FROM import_changes WHERE import_id = $1 AND persona_id NOT IN "
                   "(SELECT id FROM personas WHERE blocklisted <> 0) ORDER BY persona_id",
                   import_id, error);
}

static GArray *
pg_list_persona_imports (PdStore  *store,
                         gint64    persona_id,
                         GError  **error)
{
  return list_ids (PD_PG_STORE (store),
                   "SELECT import_id FROM import_changes WHERE persona_id = $1 ORDER BY import_id DESC",
                   persona_id, error);
}

static gboolean
pg_delete_import (PdStore  *store,
                  gint64    id,
                  GError  **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autofree char *id_text = int_text (id);
  const char *values[] = { id_text };
  g_autoptr(PGresult) result = _pd_pg_query (self, "DELETE FROM imports WHERE id = $1", 1, values, error);

  if (result == NULL)
    return FALSE;
  if (g_str_equal (PQcmdTuples (result), "0"))
    {
      g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No import with ID %" PRId64), id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
pg_save_preset (PdStore     *store,
                const char  *signature,
                const char  *mapping_json,
                GError     **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autofree char *now = int_text (g_get_real_time ());
  const char *values[] = { signature, mapping_json, now };
  g_autoptr(PGresult) result = _pd_pg_query (self,
    "INSERT INTO mapping_presets (signature, mapping, updated) VALUES ($1, $2, $3) "
    "ON CONFLICT (signature) DO UPDATE SET mapping = excluded.mapping, updated = excluded.updated",
    3, values, error);

  return result != NULL;
}

static char *
pg_lookup_preset (PdStore     *store,
                  const char  *signature,
                  GError     **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  const char *values[] = { signature };
  g_autoptr(PGresult) result = _pd_pg_query (self, "SELECT mapping FROM mapping_presets WHERE signature = $1",
                                             1, values, error);

  if (result == NULL || PQntuples (result) == 0)
    return NULL;
  return g_strdup (_pd_pg_text (result, 0, 0));
}

/* A batch's results in one statement: each column an array, each row's
 * reasons and cells an array literal inside a text[] (a round trip a row
 * was 10,000 of a 20,000-row import's). */
static gboolean
pg_import_write_results (PdStore                     *store,
                         gint64                       import_id,
                         const PdImportResultRecord  *records,
                         guint                        n_records,
                         GError                     **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) outcomes = g_ptr_array_new ();
  g_autoptr(GPtrArray) personas = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *import_text = int_text (import_id);
  g_autofree char *rows_text = NULL, *outcomes_text = NULL, *personas_text = NULL;
  g_autofree char *reasons_text = NULL, *cells_text = NULL;
  const char *values[6];
  g_autoptr(PGresult) result = NULL;

  g_return_val_if_fail (self->in_import, FALSE);

  /* one statement may not write a row twice: the last result of a row
   * wins, as the row-at-a-time writes' upserts had it */
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  for (guint r = n_records; r-- > 0;)
    {
      const PdImportResultRecord *record = &records[r];
      g_autoptr(GPtrArray) row_cells = NULL;

      if (!g_hash_table_add (seen, GUINT_TO_POINTER (record->row + 1)))
        continue;
      row_cells = g_ptr_array_new ();

      /* the report is UTF-8: a cell that could not be decoded stays
       * empty (PostgreSQL would refuse it) */
      for (guint c = 0; c < record->n_cells; c++)
        g_ptr_array_add (row_cells, (gpointer) (record->cells[c] != NULL &&
                                                g_utf8_validate (record->cells[c], -1, NULL)
                                                ? record->cells[c] : ""));
      g_ptr_array_add (rows, int_text (record->row));
      g_ptr_array_add (outcomes, (gpointer) (record->outcome != NULL ? record->outcome : ""));
      g_ptr_array_add (personas, int_text (record->persona_id));
      g_ptr_array_add (reasons, record->reasons != NULL ? _pd_pg_array (record->reasons, -1) : g_strdup ("{}"));
      g_ptr_array_add (cells, _pd_pg_ptr_array (row_cells));
    }
  rows_text = _pd_pg_ptr_array (rows);
  outcomes_text = _pd_pg_ptr_array (outcomes);
  personas_text = _pd_pg_ptr_array (personas);
  reasons_text = _pd_pg_ptr_array (reasons);
  cells_text = _pd_pg_ptr_array (cells);
  values[0] = import_text;
  values[1] = rows_text;
  values[2] = outcomes_text;
  values[3] = personas_text;
  values[4] = reasons_text;
  values[5] = cells_text;
  result = _pd_pg_query (self,
    "INSERT INTO import_results (import_id, row, outcome, persona_id, reasons, cells) "
    "SELECT $1::bigint, r, nullif(o, ''), p, re::text[], c::text[] "
    "FROM unnest($2::integer[], $3::text[], $4::bigint[], $5::text[], $6::text[]) AS u(r, o, p, re, c) "
    "ON CONFLICT (import_id, row) DO UPDATE SET "
    "outcome = excluded.outcome, persona_id = excluded.persona_id, reasons = excluded.reasons, "
    "cells = excluded.cells", 6, values, error);
  return result != NULL;
}

/* One row's result (the header's): the batch's statement with one row. */
static gboolean
pg_import_write_result (PdStore                    *store,
                        gint64                      import_id,
                        const PdImportResultRecord *record,
                        GError                    **error)
{
  return pg_import_write_results (store, import_id, record, 1, error);
}

static gboolean
pg_foreach_import_result (PdStore             *store,
                          gint64               import_id,
                          PdImportResultFunc   func,
                          gpointer             user_data,
                          GError             **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autofree char *id_text = int_text (import_id);
  const char *values[] = { id_text };
  /* the whole result first: @func may use the store */
  g_autoptr(PGresult) result = _pd_pg_query (self,
    /* a blocklisted persona's rows are in no report (issue 16) */
    "SELECT row, outcome, persona_id, reasons, cells FROM import_results WHERE import_id = $1 "
    "AND (persona_id = 0 OR persona_id NOT IN (SELECT id FROM personas WHERE blocklisted <> 0)) ORDER BY row",
    1, values, error);

  if (result == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (result); r++)
    {
      g_auto(GStrv) reasons = _pd_pg_parse_array (_pd_pg_text (result, r, 3));
      g_auto(GStrv) cells = _pd_pg_parse_array (_pd_pg_text (result, r, 4));
      PdImportResultRecord record = { 0 };

      record.row = _pd_pg_int64 (result, r, 0);
      record.outcome = _pd_pg_text (result, r, 1);
      record.persona_id = _pd_pg_int64 (result, r, 2);
      record.reasons = (const char * const *) reasons;
      record.cells = (const char * const *) cells;
      record.n_cells = g_strv_length (cells);
      if (!func (&record, user_data))
        break;
    }
  return TRUE;
}

void
_pd_pg_store_init_imports (PdStoreInterface *iface)
{
  iface->begin_import = pg_begin_import;
  iface->import_write = pg_import_write;
  iface->finish_import = pg_finish_import;
  iface->abort_import = pg_abort_import;
  iface->discard_import = pg_discard_import;
  iface->list_imports = pg_list_imports;
  iface->get_import = pg_get_import;
  iface->find_import_by_sha256 = pg_find_import_by_sha256;
  iface->write_import_file = pg_write_import_file;
  iface->list_audience = pg_list_audience;
  iface->delete_import = pg_delete_import;
  iface->save_preset = pg_save_preset;
  iface->lookup_preset = pg_lookup_preset;
  iface->list_persona_imports = pg_list_persona_imports;
  iface->import_write_result = pg_import_write_result;
  iface->import_write_results = pg_import_write_results;
  iface->foreach_import_result = pg_foreach_import_result;
}
