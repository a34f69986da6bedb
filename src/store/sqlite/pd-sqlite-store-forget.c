/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdSqliteStore: forgetting a person (issue 16).  One transaction erases
 * every copy the database holds (persona rows, contacts, tags, attributes,
 * overrides, ledger, outbox, consent-only contacts, email opt-outs, undo
 * records, per-row import results, audit details, the rows of kept
 * files) and blocklists the contacts as keyed hashes.  secure_delete
 * (set on every connection) zeroes what is deleted, freed pages too; a
 * TRUNCATE checkpoint then empties the write-ahead log, which still holds
 * the old pages.  HACKING.md ("Erasure") has what was measured. */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-permission.h"
#include "pd-phone.h"
#include "pd-sqlite-store-private.h"

/* The personas holding the given contacts, in any state, and those merged
 * into them; @targets grows by every contact they hold. */
static gboolean
find_personas (PdSqliteStore     *self,
               PdPrivacyTargets  *targets,
               GArray            *ids,
               GError           **error)
{
  GPtrArray *emails = pd_privacy_targets_get_emails (targets);
  GPtrArray *phones = pd_privacy_targets_get_phones (targets);
  guint n_emails = emails->len, n_phones = phones->len;
  sqlite3_stmt *stmt;

  for (guint i = 0; i < n_emails; i++)
    {
      stmt = _pd_sqlite_store_prepare (self, "SELECT DISTINCT persona_id FROM emails WHERE email = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (emails, i), -1, SQLITE_TRANSIENT);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);
          g_array_append_val (ids, id);
        }
      sqlite3_reset (stmt);
    }
  for (guint i = 0; i < n_phones; i++)
    {
      g_autofree char *with_ext = g_strconcat (g_ptr_array_index (phones, i), ";*", NULL);

      stmt = _pd_sqlite_store_prepare (self,
        "SELECT DISTINCT persona_id FROM phones WHERE phone = ?1 OR phone GLOB ?2", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (phones, i), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, with_ext, -1, SQLITE_TRANSIENT);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);
          g_array_append_val (ids, id);
        }
      sqlite3_reset (stmt);
    }
  /* a persona merged into one of them is the same customer */
  for (guint i = 0; i < ids->len; i++)
    {
      stmt = _pd_sqlite_store_prepare (self, "SELECT id FROM personas WHERE merged_into = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);
          g_array_append_val (ids, id);
        }
      sqlite3_reset (stmt);
    }
  /* distinct, and every contact they hold becomes a target */
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      gboolean dup = FALSE;

      for (guint j = 0; j < i && !dup; j++)
        dup = g_array_index (ids, gint64, j) == id;
      if (dup)
        {
          g_array_remove_index (ids, i--);
          continue;
        }
      stmt = _pd_sqlite_store_prepare (self,
        "SELECT 0, email FROM emails WHERE persona_id = ?1 UNION ALL "
        "SELECT 1, phone FROM phones WHERE persona_id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *value = (const char *) sqlite3_column_text (stmt, 1);

          if (sqlite3_column_int (stmt, 0) == 0)
            pd_privacy_targets_add_email (targets, value);
          else
            pd_privacy_targets_add_phone (targets, value);
        }
      sqlite3_reset (stmt);
    }
  return TRUE;
}

static gboolean
exec_ids (PdSqliteStore  *self,
          const char     *sql,
          GError        **error)
{
  return _pd_sqlite_store_exec (self, sql, error);
}

/* Rows of @table whose text columns hold a target: deleted, or their
 * column set to NULL (@scrub_column). */
static gboolean
erase_matching (PdSqliteStore           *self,
                const char              *select_sql,
                const char              *change_sql,
                const PdPrivacyTargets  *targets,
                guint                   *n_changed,
                GError                 **error)
{
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  if (sqlite3_prepare_v2 (self->db, select_sql, -1, &stmt, NULL) != SQLITE_OK)
    return _pd_sqlite_store_fail (self, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *data = sqlite3_column_blob (stmt, 1);
      gsize size = sqlite3_column_bytes (stmt, 1);
      gboolean match = FALSE;

      /* text or a blob of NUL-terminated strings (import results) */
      for (gsize start = 0; start < size && !match;)
        {
          const char *nul = memchr (data + start, '\0', size - start);
          gsize length = nul != NULL ? (gsize) (nul - (data + start)) : size - start;
          g_autofree char *part = g_strndup (data + start, length);

          match = pd_privacy_targets_match_text (targets, part);
          start += length + 1;
        }
      if (match)
        {
          gint64 rowid = sqlite3_column_int64 (stmt, 0);
          g_array_append_val (rowids, rowid);
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error);
  for (guint i = 0; i < rowids->len; i++)
    {
      stmt = _pd_sqlite_store_prepare (self, change_sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, g_array_index (rowids, gint64, i));
      if (!_pd_sqlite_store_step_done (self, stmt, error))
        return FALSE;
    }
  if (n_changed != NULL)
    *n_changed += rowids->len;
  return TRUE;
}

/* The person's rows out of every kept import file. */
static gboolean
rewrite_files (PdSqliteStore           *self,
               const PdForgetRequest   *request,
               const PdPrivacyTargets  *targets,
               PdForgetResult          *result,
               GError                 **error)
{
  g_autoptr(GArray) imports = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "SELECT import_id FROM import_files WHERE ?1 = 0 OR import_id = ?1 "
                                     "ORDER BY import_id", -1, &stmt, NULL) != SQLITE_OK)
    return _pd_sqlite_store_fail (self, error);
  sqlite3_bind_int64 (stmt, 1, request->import_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (imports, id);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error);

  /* one file in memory at a time */
  for (guint i = 0; i < imports->len; i++)
    {
      gint64 id = g_array_index (imports, gint64, i);
      g_autoptr(GBytes) data = NULL;
      g_autoptr(GBytes) new_data = NULL;
      g_autofree char *file_name = NULL;
      g_autofree char *new_name = NULL;
      g_autofree char *sha256 = NULL;
      guint removed = 0;

      stmt = _pd_sqlite_store_prepare (self,
        "SELECT i.file_name, f.data FROM import_files f JOIN imports i ON i.id = f.import_id "
        "WHERE f.import_id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          file_name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          data = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
        }
      sqlite3_reset (stmt);
      if (data == NULL)
        continue;
      if (!request->rewrite_file (file_name, data, targets, &new_data, &new_name, &removed,
                                  request->rewrite_data, error))
        return FALSE;
      if (removed == 0 || new_data == NULL)
        continue;

      sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, new_data);
      stmt = _pd_sqlite_store_prepare (self, "UPDATE import_files SET data = ?, sha256 = ? WHERE import_id = ?",
                                       error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_blob64 (stmt, 1, g_bytes_get_data (new_data, NULL), g_bytes_get_size (new_data),
                           SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, sha256, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, id);
      if (!_pd_sqlite_store_step_done (self, stmt, error))
        return FALSE;
      stmt = _pd_sqlite_store_prepare (self,
        "UPDATE imports SET privacy_removed = privacy_removed + ?, file_name = coalesce(?, file_name) "
        "WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int (stmt, 1, removed);
      if (new_name != NULL)
        sqlite3_bind_text (stmt, 2, new_name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, id);
      if (!_pd_sqlite_store_step_done (self, stmt, error))
        return FALSE;
      result->files_rewritten++;
      result->rows_removed += removed;
    }
  return TRUE;
}

static gboolean
erase (PdSqliteStore           *self,
       const PdActor           *actor,
       const PdForgetRequest   *request,
       const PdPrivacyTargets  *targets,
       GArray                  *ids,
       PdForgetResult          *result,
       GError                 **error)
{
  GPtrArray *emails = pd_privacy_targets_get_emails (targets);
  GPtrArray *phones = pd_privacy_targets_get_phones (targets);
  g_autoptr(JsonObject) detail = json_object_new ();
  /* the personas' own rows, by id; then the copies found by value */
  static const char * const by_id[] = {
    "DELETE FROM emails WHERE persona_id IN (SELECT id FROM temp.pd_forget)",
    "DELETE FROM phones WHERE persona_id IN (SELECT id FROM temp.pd_forget)",
    "DELETE FROM tags WHERE persona_id IN (SELECT id FROM temp.pd_forget)",
    "DELETE FROM attributes WHERE persona_id IN (SELECT id FROM temp.pd_forget)",
    "DELETE FROM overrides WHERE persona_id IN (SELECT id FROM temp.pd_forget)",
    "DELETE FROM ledger WHERE persona_id IN (SELECT id FROM temp.pd_forget)",
    "DELETE FROM outbox WHERE persona_id IN (SELECT id FROM temp.pd_forget)",
    "DELETE FROM import_changes WHERE persona_id IN (SELECT id FROM temp.pd_forget)",
    "DELETE FROM import_results WHERE row > 0 AND persona_id IN (SELECT id FROM temp.pd_forget)",
    /* the audit log keeps that something happened, not what */
    "UPDATE audit_log SET detail = NULL WHERE persona_id IN (SELECT id FROM temp.pd_forget)",
    /* merges keep whole personas as they were, to unmerge them */
    "DELETE FROM merge_members WHERE merge_id IN (SELECT merge_id FROM merge_members"
    "  WHERE persona_id IN (SELECT id FROM temp.pd_forget))"
    "  OR merge_id IN (SELECT id FROM merges WHERE survivor_id IN (SELECT id FROM temp.pd_forget))",
    "DELETE FROM merges WHERE survivor_id IN (SELECT id FROM temp.pd_forget)"
    "  OR id NOT IN (SELECT merge_id FROM merge_members)",
    "UPDATE personas SET merged_into = NULL WHERE merged_into IN (SELECT id FROM temp.pd_forget)",
    /* their purchase history (schema 16) */
    "DELETE FROM order_items WHERE order_id IN (SELECT id FROM orders WHERE persona_id IN (SELECT id FROM temp.pd_forget))",
    "DELETE FROM orders WHERE persona_id IN (SELECT id FROM temp.pd_forget)",
    "DELETE FROM personas WHERE id IN (SELECT id FROM temp.pd_forget)",
  };
  sqlite3_stmt *stmt;

  if (!exec_ids (self, "CREATE TEMP TABLE IF NOT EXISTS pd_forget (id INTEGER PRIMARY KEY);"
                       "DELETE FROM temp.pd_forget;", error))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      stmt = _pd_sqlite_store_prepare (self, "INSERT OR IGNORE INTO temp.pd_forget (id) VALUES (?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      if (!_pd_sqlite_store_step_done (self, stmt, error))
        return FALSE;
    }
  /* The personas merged into one of them are the same customer (staff
   * said so by merging): they go too, along chains of merges. */
  for (guint depth = 0; depth < 16; depth++)
    {
      if (!exec_ids (self, "INSERT OR IGNORE INTO temp.pd_forget (id) "
                           "SELECT id FROM personas WHERE merged_into IN (SELECT id FROM temp.pd_forget)", error))
        return FALSE;
      if (sqlite3_changes (self->db) == 0)
        break;
    }
  for (guint i = 0; i < G_N_ELEMENTS (by_id); i++)
    if (!exec_ids (self, by_id[i], error))
      return FALSE;
  /* An entry about a contact without a persona (a consent-only number)
   * names it in its detail: cleared by the value. */
  for (guint k = 0; k < 2; k++)
    {
      GPtrArray *values = k == 0 ? emails : phones;

      for (guint i = 0; i < values->len; i++)
        {
          stmt = _pd_sqlite_store_prepare (self,
            "UPDATE audit_log SET detail = NULL WHERE instr(detail, ?) > 0", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 1, g_ptr_array_index (values, i), -1, SQLITE_TRANSIENT);
          if (!_pd_sqlite_store_step_done (self, stmt, error))
            return FALSE;
        }
    }

  for (guint i = 0; i < emails->len; i++)
    {
      if (!_pd_sqlite_store_blocklist_insert (self, PD_FIELD_EMAIL, g_ptr_array_index (emails, i), error))
        return FALSE;
      /* the hash replaces the opt-out: a blocklisted address is never mailed */
      stmt = _pd_sqlite_store_prepare (self, "DELETE FROM email_opt_outs WHERE email = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (emails, i), -1, SQLITE_TRANSIENT);
      if (!_pd_sqlite_store_step_done (self, stmt, error))
        return FALSE;
    }
  for (guint i = 0; i < phones->len; i++)
    {
      const char *phone = g_ptr_array_index (phones, i);
      const char *sql[] = { "DELETE FROM consent_contacts WHERE phone = ?", "DELETE FROM outbox WHERE phone = ?" };

      if (!_pd_sqlite_store_blocklist_insert (self, PD_FIELD_PHONE, phone, error))
        return FALSE;
      for (guint s = 0; s < G_N_ELEMENTS (sql); s++)
        {
          stmt = _pd_sqlite_store_prepare (self, sql[s], error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 1, phone, -1, SQLITE_TRANSIENT);
          if (!_pd_sqlite_store_step_done (self, stmt, error))
            return FALSE;
        }
    }
  result->contacts = emails->len + phones->len;

  /* copies that do not name the persona: rows of the import reports
   * (failed rows, other rows' warnings naming it), audit details of
   * consent-only contacts, an import's error message */
  /* (a WITHOUT ROWID table: the key pair folded into one number) */
  if (!erase_matching (self, "SELECT import_id * 4294967296 + row, data FROM import_results WHERE row > 0",
                       "DELETE FROM import_results WHERE import_id = ?1 / 4294967296 AND row = ?1 % 4294967296",
                       targets, &result->results_removed, error))
    return FALSE;
  if (!erase_matching (self, "SELECT id, detail FROM audit_log WHERE detail IS NOT NULL",
                       "UPDATE audit_log SET detail = NULL WHERE id = ?", targets, NULL, error) ||
      !erase_matching (self, "SELECT id, error FROM imports WHERE error IS NOT NULL",
                       "UPDATE imports SET error = NULL WHERE id = ?", targets, NULL, error) ||
      !erase_matching (self, "SELECT id, reason FROM ledger WHERE reason IS NOT NULL",
                       "UPDATE ledger SET reason = NULL WHERE id = ?", targets, NULL, error))
    return FALSE;
  if (request->rewrite_file != NULL && !rewrite_files (self, request, targets, result, error))
    return FALSE;

  result->personas = ids->len;
  json_object_set_int_member (detail, "personas", ids->len);
  json_object_set_int_member (detail, "contacts", result->contacts);
  json_object_set_int_member (detail, "rows_removed", result->rows_removed);
  return exec_ids (self, "DELETE FROM temp.pd_forget", error) &&
         _pd_sqlite_store_audit (self, actor, "privacy.forget", 0, detail, error);
}

gboolean
_pd_sqlite_store_forget (PdStore                *store,
                         const PdActor          *actor,
                         const PdForgetRequest  *request,
                         PdForgetResult         *result,
                         GError                **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  g_autoptr(PdPrivacyTargets) targets = pd_privacy_targets_new ();
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 start;
  int rc;

  g_return_val_if_fail (!self->in_import, FALSE);

  /* the end of an import the actor was allowed to run: its refused rows */
  if (request->import_id == 0 && !pd_actor_check (actor, PD_PERMISSION_FORGET, error))
    return FALSE;
  for (guint i = 0; request->emails != NULL && request->emails[i] != NULL; i++)
    pd_privacy_targets_add_email (targets, request->emails[i]);
  for (guint i = 0; request->phones != NULL && request->phones[i] != NULL; i++)
    pd_privacy_targets_add_phone (targets, request->phones[i]);
  if (pd_privacy_targets_get_emails (targets)->len == 0 && pd_privacy_targets_get_phones (targets)->len == 0)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("Forget needs a phone or an email"));
      return FALSE;
    }

  start = g_get_monotonic_time ();
  if (!_pd_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (request->import_id != 0)
    {
      if (request->rewrite_file == NULL || !rewrite_files (self, request, targets, result, error) ||
          !_pd_sqlite_store_exec (self, "COMMIT", error))
        goto fail;
      /* best effort: a reader of the old pages (the app's list) keeps the
       * log until the next checkpoint; a forget empties it for sure */
      sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
      return TRUE;
    }
  if (!find_personas (self, targets, ids, error))
    goto fail;
  if (request->dry_run)
    {
      result->personas = ids->len;
      result->contacts = pd_privacy_targets_get_emails (targets)->len + pd_privacy_targets_get_phones (targets)->len;
      _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
      return TRUE;
    }
  if (!erase (self, actor, request, targets, ids, result, error) ||
      !_pd_sqlite_store_exec (self, "COMMIT", error))
    goto fail;
  result->erase_us = g_get_monotonic_time () - start;

  /* The log still holds the pages as they were: copy the erased pages
   * into the database and empty it.  TRUNCATE waits (the busy timeout)
   * for readers of the old pages to end. */
  start = g_get_monotonic_time ();
  rc = sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
  /* Another checkpointer (the app's own checkpoint thread, a PASSIVE one
   * after each commit: pd-sqlite-checkpoint.c) answers BUSY at once rather
   * than through the busy timeout: try again for up to ten seconds. */
  for (guint attempt = 0; (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && attempt < 100; attempt++)
    {
      g_usleep (100 * 1000);
      rc = sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    }
  result->checkpoint_us = g_get_monotonic_time () - start;
  if (rc != SQLITE_OK)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_STORE,
                   _("The customer was erased, but database %s is in use by another program, so "
                     "copies of the erased data remain in its write-ahead log until that program "
                     "closes it. Close it and run forget again."), self->path);
      return FALSE;
    }
  return TRUE;

fail:
  _pd_sqlite_store_exec (self, "ROLLBACK", NULL);
  self->has_privacy_key = FALSE;
  memset (result, 0, sizeof *result);
  return FALSE;
}
