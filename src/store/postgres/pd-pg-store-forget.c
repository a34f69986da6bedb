/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPgStore: forgetting a person (issue 16), as the SQLite store does it
 * (pd-sqlite-store-forget.c is the reference): one transaction erases
 * every copy the database holds — persona rows, contacts, tags,
 * attributes, overrides, ledger, outbox, consent-only contacts, email
 * opt-outs, undo records, merge snapshots, per-row import results, audit
 * details, the rows of kept files — and blocklists the contacts as keyed
 * hashes.  PostgreSQL leaves deleted rows in place as dead tuples until a
 * VACUUM, and a plain VACUUM leaves their bytes in the freed space of the
 * table's and indexes' pages until new rows overwrite them (measured by
 * /privacy/pg/forget): after the commit the tables that held the person
 * are rewritten (VACUUM FULL: new files, the old ones deleted), which
 * holds each table against the other desks while it runs (HACKING.md has
 * the figures). */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-permission.h"
#include "pd-pg-store-private.h"

static char *
ids_array (GArray *ids)
{
  GString *s = g_string_new ("{");

  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? "," : "", g_array_index (ids, gint64, i));
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

/* The personas holding the given contacts, in any state, and those merged
 * into them (along chains of merges); @targets grows by every contact they
 * hold. */
static gboolean
find_personas (PdPgStore         *self,
               PdPrivacyTargets  *targets,
               GArray            *ids,
               GError           **error)
{
  GPtrArray *emails = pd_privacy_targets_get_emails (targets);
  GPtrArray *phones = pd_privacy_targets_get_phones (targets);
  g_autofree char *found = NULL;
  g_autoptr(PGresult) result = NULL;
  const char *values[1];

  for (guint i = 0; i < emails->len; i++)
    if (!_pd_pg_collect_holders (self, PD_FIELD_EMAIL, g_ptr_array_index (emails, i), ids, error))
      return FALSE;
  for (guint i = 0; i < phones->len; i++)
    if (!_pd_pg_collect_holders (self, PD_FIELD_PHONE, g_ptr_array_index (phones, i), ids, error))
      return FALSE;
  if (ids->len == 0)
    return TRUE;
  /* a persona merged into one of them is the same customer (staff said so) */
  found = ids_array (ids);
  values[0] = found;
  result = _pd_pg_query (self,
    "WITH RECURSIVE m(id, depth) AS (SELECT unnest($1::bigint[]), 0 "
    "  UNION SELECT p.id, m.depth + 1 FROM personas p JOIN m ON p.merged_into = m.id WHERE m.depth < 64) "
    "SELECT DISTINCT id FROM m ORDER BY id", 1, values, error);
  if (result == NULL)
    return FALSE;
  g_array_set_size (ids, 0);
  for (int r = 0; r < PQntuples (result); r++)
    {
      gint64 id = _pd_pg_int64 (result, r, 0);
      g_array_append_val (ids, id);
    }
  g_clear_pointer (&result, PQclear);
  g_free (found);
  found = ids_array (ids);
  values[0] = found;
  /* every contact they hold becomes a target */
  result = _pd_pg_query (self,
    "SELECT 0, email FROM emails WHERE persona_id = ANY($1::bigint[]) "
    "UNION ALL SELECT 1, phone FROM phones WHERE persona_id = ANY($1::bigint[])", 1, values, error);
  if (result == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (result); r++)
    if (_pd_pg_int64 (result, r, 0) == 0)
      pd_privacy_targets_add_email (targets, _pd_pg_text (result, r, 1));
    else
      pd_privacy_targets_add_phone (targets, _pd_pg_text (result, r, 1));
  return TRUE;
}

static gboolean
text_matches (const PdPrivacyTargets *targets,
              const char             *text,
              gboolean                array)
{
  g_auto(GStrv) parts = NULL;

  if (text == NULL)
    return FALSE;
  if (!array)
    return pd_privacy_targets_match_text (targets, text);
  parts = _pd_pg_parse_array (text);
  for (guint i = 0; parts[i] != NULL; i++)
    if (pd_privacy_targets_match_text (targets, parts[i]))
      return TRUE;
  return FALSE;
}

/* The rows of @select_sql (two key columns, then text or text[] columns)
 * whose text holds a target: @change_sql runs on them, with the keys as
 * $1 and $2 (bigint[]).  Returns how many, or -1 with @error. */
static gint64
erase_matching (PdPgStore               *self,
                const char              *select_sql,
                gboolean                 arrays,
                const char              *change_sql,
                const PdPrivacyTargets  *targets,
                GError                 **error)
{
  g_autoptr(PGresult) result = _pd_pg_query (self, select_sql, 0, NULL, error);
  g_autoptr(GArray) a = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) b = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *a_text = NULL, *b_text = NULL;
  g_autoptr(PGresult) changed = NULL;
  const char *values[2];

  if (result == NULL)
    return -1;
  for (int r = 0; r < PQntuples (result); r++)
    {
      gboolean match = FALSE;

      for (int c = 2; c < PQnfields (result) && !match; c++)
        match = text_matches (targets, _pd_pg_text (result, r, c), arrays);
      if (match)
        {
          gint64 x = _pd_pg_int64 (result, r, 0), y = _pd_pg_int64 (result, r, 1);

          g_array_append_val (a, x);
          g_array_append_val (b, y);
        }
    }
  if (a->len == 0)
    return 0;
  a_text = ids_array (a);
  b_text = ids_array (b);
  values[0] = a_text;
  values[1] = b_text;
  changed = _pd_pg_query (self, change_sql, 2, values, error);
  return changed != NULL ? (gint64) a->len : -1;
}

/* The person's rows out of every kept import file (or of @request's one). */
static gboolean
rewrite_files (PdPgStore               *self,
               const PdForgetRequest   *request,
               const PdPrivacyTargets  *targets,
               PdForgetResult          *result,
               GError                 **error)
{
  g_autofree char *only = g_strdup_printf ("%" G_GINT64_FORMAT, request->import_id);
  const char *values[] = { only };
  g_autoptr(PGresult) imports = _pd_pg_query (self,
    "SELECT import_id FROM import_files WHERE $1::bigint = 0 OR import_id = $1::bigint ORDER BY import_id",
    1, values, error);

  if (imports == NULL)
    return FALSE;
  /* one file in memory at a time */
  for (int r = 0; r < PQntuples (imports); r++)
    {
      const char *id = _pd_pg_text (imports, r, 0);
      const char *id_values[] = { id };
      g_autoptr(PGresult) file = _pd_pg_query (self,
        "SELECT i.file_name, f.data FROM import_files f JOIN imports i ON i.id = f.import_id WHERE f.import_id = $1",
        1, id_values, error);
      g_autoptr(GBytes) data = NULL;
      g_autoptr(GBytes) new_data = NULL;
      g_autofree char *new_name = NULL;
      g_autofree char *removed_text = NULL;
      guint removed = 0;
      unsigned char *raw;
      size_t size = 0;

      if (file == NULL)
        return FALSE;
      if (PQntuples (file) == 0)
        continue;
      raw = PQunescapeBytea ((const unsigned char *) PQgetvalue (file, 0, 1), &size);
      if (raw == NULL)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_STORE, _("Out of memory reading the file of import %" PRId64),
                       g_ascii_strtoll (id, NULL, 10));
          return FALSE;
        }
      data = g_bytes_new (raw, size);
      PQfreemem (raw);
      if (!request->rewrite_file (_pd_pg_text (file, 0, 0), data, targets, &new_data, &new_name, &removed,
                                  request->rewrite_data, error))
        return FALSE;
      if (removed == 0 || new_data == NULL)
        continue;
      if (g_bytes_get_size (new_data) > G_MAXINT)
        {
          g_set_error (error, PD_ERROR, PD_ERROR_TOO_LARGE, _("File %s is too large to keep in the database"),
                       _pd_pg_text (file, 0, 0));
          return FALSE;
        }
      {
        const char *update_values[] = { g_bytes_get_data (new_data, NULL), id };
        int lengths[] = { (int) g_bytes_get_size (new_data), 0 };
        int formats[] = { 1, 0 };
        g_autoptr(PGresult) updated = NULL;

        /* the sha256 column is generated: it follows */
        updated = _pd_pg_query_full (self, "UPDATE import_files SET data = $1 WHERE import_id = $2",
                                     2, update_values, lengths, formats, error);
        if (updated == NULL)
          return FALSE;
      }
      removed_text = g_strdup_printf ("%u", removed);
      {
        const char *update_values[] = { removed_text, new_name, id };
        g_autoptr(PGresult) updated = _pd_pg_query (self,
          "UPDATE imports SET privacy_removed = privacy_removed + $1, file_name = coalesce($2, file_name) "
          "WHERE id = $3", 3, update_values, error);

        if (updated == NULL)
          return FALSE;
      }
      result->files_rewritten++;
      result->rows_removed += removed;
    }
  return TRUE;
}

static gboolean
run_with (PdPgStore   *self,
          const char  *sql,
          const char  *param,
          GError     **error)
{
  const char *values[] = { param };
  g_autoptr(PGresult) result = _pd_pg_query (self, sql, 1, values, error);

  return result != NULL;
}

static gboolean
erase (PdPgStore               *self,
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
  g_autofree char *id_list = ids_array (ids);
  g_autofree char *email_list = _pd_pg_ptr_array (emails);
  g_autofree char *phone_list = _pd_pg_ptr_array (phones);
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autofree char *all_list = NULL;
  gint64 n;
  /* the personas' own rows, by id ($1); then the copies found by value */
  static const char * const by_id[] = {
    "DELETE FROM emails WHERE persona_id = ANY($1::bigint[])",
    "DELETE FROM phones WHERE persona_id = ANY($1::bigint[])",
    "DELETE FROM tags WHERE persona_id = ANY($1::bigint[])",
    "DELETE FROM attributes WHERE persona_id = ANY($1::bigint[])",
    "DELETE FROM overrides WHERE persona_id = ANY($1::bigint[])",
    "DELETE FROM ledger WHERE persona_id = ANY($1::bigint[])",
    "DELETE FROM outbox WHERE persona_id = ANY($1::bigint[])",
    "DELETE FROM import_changes WHERE persona_id = ANY($1::bigint[])",
    "DELETE FROM import_results WHERE row > 0 AND persona_id = ANY($1::bigint[])",
    /* the audit log keeps that something happened, not what */
    "UPDATE audit_log SET detail = NULL WHERE persona_id = ANY($1::bigint[]) AND detail IS NOT NULL",
    /* merges keep whole personas as they were, to unmerge them */
    "DELETE FROM merge_members WHERE merge_id IN (SELECT merge_id FROM merge_members"
    "  WHERE persona_id = ANY($1::bigint[])) OR merge_id IN (SELECT id FROM merges WHERE survivor_id = ANY($1::bigint[]))",
    "DELETE FROM merges WHERE survivor_id = ANY($1::bigint[]) OR id NOT IN (SELECT merge_id FROM merge_members)",
    "UPDATE personas SET merged_into = NULL WHERE merged_into = ANY($1::bigint[])",
    /* their purchase history (schema 10) */
    "DELETE FROM order_items WHERE order_id IN (SELECT id FROM orders WHERE persona_id = ANY($1::bigint[]))",
    "DELETE FROM orders WHERE persona_id = ANY($1::bigint[])",
    "DELETE FROM personas WHERE id = ANY($1::bigint[])",
  };

  for (guint i = 0; i < G_N_ELEMENTS (by_id); i++)
    if (!run_with (self, by_id[i], id_list, error))
      return FALSE;

  /* the hash replaces the values: a blocklisted address is never mailed,
   * a blocklisted number never texted */
  for (guint i = 0; i < emails->len; i++)
    if (!_pd_pg_blocklist_insert (self, PD_FIELD_EMAIL, g_ptr_array_index (emails, i), error))
      return FALSE;
  for (guint i = 0; i < phones->len; i++)
    if (!_pd_pg_blocklist_insert (self, PD_FIELD_PHONE, g_ptr_array_index (phones, i), error))
      return FALSE;
  if (!run_with (self, "DELETE FROM email_opt_outs WHERE email = ANY($1::text[])", email_list, error) ||
      !run_with (self, "DELETE FROM consent_contacts WHERE phone = ANY($1::text[])", phone_list, error) ||
      !run_with (self, "DELETE FROM outbox WHERE phone = ANY($1::text[])", phone_list, error))
    return FALSE;
  result->contacts = emails->len + phones->len;

  /* An entry about a contact without a persona (a consent-only number)
   * names it in its detail: cleared by the value. */
  g_ptr_array_extend (all, emails, NULL, NULL);
  g_ptr_array_extend (all, phones, NULL, NULL);
  all_list = _pd_pg_ptr_array (all);
  if (!run_with (self, "UPDATE audit_log SET detail = NULL WHERE detail IS NOT NULL AND "
                       "EXISTS (SELECT 1 FROM unnest($1::text[]) v WHERE strpos(detail, v) > 0)", all_list, error))
    return FALSE;

  /* copies that do not name the persona: rows of the import reports
   * (failed rows, other rows' warnings naming it), audit details written
   * another way, an import's error message, ledger reasons */
  n = erase_matching (self, "SELECT import_id, row, reasons, cells FROM import_results WHERE row > 0", TRUE,
                      "DELETE FROM import_results r USING unnest($1::bigint[], $2::bigint[]) AS k(i, n) "
                      "WHERE r.import_id = k.i AND r.row = k.n", targets, error);
  if (n < 0)
    return FALSE;
  result->results_removed += n;
  if (erase_matching (self, "SELECT id, 0, detail FROM audit_log WHERE detail IS NOT NULL", FALSE,
                      "UPDATE audit_log SET detail = NULL WHERE id = ANY($1::bigint[]) AND $2::bigint[] IS NOT NULL",
                      targets, error) < 0 ||
      erase_matching (self, "SELECT id, 0, error FROM imports WHERE error IS NOT NULL", FALSE,
                      "UPDATE imports SET error = NULL WHERE id = ANY($1::bigint[]) AND $2::bigint[] IS NOT NULL",
                      targets, error) < 0 ||
      erase_matching (self, "SELECT id, 0, reason FROM ledger WHERE reason IS NOT NULL", FALSE,
                      "UPDATE ledger SET reason = NULL WHERE id = ANY($1::bigint[]) AND $2::bigint[] IS NOT NULL",
                      targets, error) < 0)
    return FALSE;
  if (request->rewrite_file != NULL && !rewrite_files (self, request, targets, result, error))
    return FALSE;

  result->personas = ids->len;
  json_object_set_int_member (detail, "personas", ids->len);
  json_object_set_int_member (detail, "contacts", result->contacts);
  json_object_set_int_member (detail, "rows_removed", result->rows_removed);
  return _pd_pg_audit (self, actor, "privacy.forget", 0, detail, error);
}

/* The tables an erasure deletes from or rewrites, rewritten with their
 * indexes and TOAST (kept files) into new files, the old ones deleted.  A
 * plain VACUUM would take no lock that stops the other desks, but it
 * leaves a removed row's bytes in the page's free space, in the table and
 * in every index.  @full FALSE: that plain VACUUM (the fallback). */
gboolean
_pd_pg_vacuum_erased (PdPgStore  *self,
                      gboolean    full,
                      GError    **error)
{
  g_autofree char *sql = g_strdup_printf ("VACUUM %s personas, emails, phones, tags, attributes, overrides, "
                                          "ledger, outbox, consent_contacts, email_opt_outs, import_changes, "
                                          "import_results, import_files, imports, audit_log, merges, merge_members, orders, order_items",
                                          full ? "(FULL)" : "");

  return _pd_pg_exec (self, sql, error);
}

/* VACUUM FULL copies the rows a transaction still running may see into
 * the new files: wait up to ten seconds for every session whose snapshot
 * or transaction began before the erasure's commit to end.  Sessions of
 * the server's other databases count too: /privacy/pg/forget, run beside
 * other tests' imports in their own databases, found the erased values
 * kept in every run while it waited only for this database's.  Sessions of
 * other roles than ours may not show theirs (then this does not wait for
 * them). */
static gboolean
wait_for_older_snapshots (PdPgStore   *self,
                          const char  *xid)
{
  const char *values[] = { xid };

  for (guint attempt = 0; attempt < 100; attempt++)
    {
      g_autoptr(PGresult) result = _pd_pg_query (self,
        "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
        "AND (age(backend_xmin) >= age($1::xid) OR age(backend_xid) >= age($1::xid))", 1, values, NULL);

      if (result == NULL)
        return TRUE;   /* not ours to see: rewrite anyway */
      if (_pd_pg_int64 (result, 0, 0) == 0)
        return TRUE;
      g_usleep (100 * 1000);
    }
  return FALSE;
}

gboolean
_pd_pg_forget (PdStore                *store,
               const PdActor          *actor,
               const PdForgetRequest  *request,
               PdForgetResult         *result,
               GError                **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autoptr(PdPrivacyTargets) targets = pd_privacy_targets_new ();
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) contacts = g_ptr_array_new ();
  g_autofree char *locks = NULL;
  g_autofree char *erase_xid = NULL;
  gint64 start;

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
  /* An import running at another desk may be writing this person: the
   * erasure waits for it (the privacy lock), as for a desk saving one of
   * the contacts (their advisory locks), so that it sees what they wrote. */
  g_ptr_array_extend (contacts, pd_privacy_targets_get_emails (targets), NULL, NULL);
  g_ptr_array_extend (contacts, pd_privacy_targets_get_phones (targets), NULL, NULL);
  locks = _pd_pg_contact_locks_sql ((const char * const *) contacts->pdata, contacts->len);
  if (!_pd_pg_exec (self, "BEGIN", error))
    return FALSE;
  if (!_pd_pg_privacy_lock (self, TRUE, error) || (locks != NULL && !_pd_pg_exec (self, locks, error)))
    goto fail;
  if (request->import_id != 0)
    {
      g_autoptr(PGresult) xid = NULL;

      if (request->rewrite_file == NULL || !rewrite_files (self, request, targets, result, error) ||
          (xid = _pd_pg_query (self, "SELECT (txid_current() % 4294967296)::text", 0, NULL, error)) == NULL ||
          !_pd_pg_exec (self, "COMMIT", error))
        goto fail;
      /* best effort: the file's old version is a dead row until rewritten */
      wait_for_older_snapshots (self, PQgetvalue (xid, 0, 0));
      _pd_pg_exec (self, "VACUUM (FULL) import_files, imports", NULL);
      return TRUE;
    }
  if (!find_personas (self, targets, ids, error))
    goto fail;
  if (request->dry_run)
    {
      result->personas = ids->len;
      result->contacts = pd_privacy_targets_get_emails (targets)->len + pd_privacy_targets_get_phones (targets)->len;
      _pd_pg_rollback (self);
      return TRUE;
    }
  if (!erase (self, actor, request, targets, ids, result, error))
    goto fail;
  {
    /* the erasure's transaction, to know who may still see its rows */
    g_autoptr(PGresult) xid = _pd_pg_query (self, "SELECT (txid_current() % 4294967296)::text", 0, NULL, error);

    if (xid == NULL)
      goto fail;
    erase_xid = g_strdup (PQgetvalue (xid, 0, 0));
  }
  if (!_pd_pg_exec (self, "COMMIT", error))
    goto fail;
  result->erase_us = g_get_monotonic_time () - start;

  /* The deleted rows are dead tuples, their bytes in the pages, until the
   * tables are rewritten. */
  start = g_get_monotonic_time ();
  {
    g_autoptr(GError) local = NULL;

    if (!wait_for_older_snapshots (self, erase_xid) || !_pd_pg_vacuum_erased (self, TRUE, &local))
      {
        /* another desk held a table past the lock timeout: the rows are
         * gone from every answer; their bytes wait for the next forget */
        _pd_pg_vacuum_erased (self, FALSE, NULL);
        result->checkpoint_us = g_get_monotonic_time () - start;
        g_set_error (error, PD_ERROR, PD_ERROR_BUSY,
                     _("The customer was erased, but database %s is in use by another desk, so copies of "
                       "the erased data remain in its files until they are rewritten. Run forget again "
                       "when the other desks are idle."), self->name);
        return FALSE;
      }
  }
  result->checkpoint_us = g_get_monotonic_time () - start;
  return TRUE;

fail:
  _pd_pg_rollback (self);
  self->has_privacy_key = FALSE;
  memset (result, 0, sizeof *result);
  return FALSE;
}
