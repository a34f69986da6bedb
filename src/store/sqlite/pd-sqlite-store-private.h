/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "pd-sqlite-store.h"

G_BEGIN_DECLS

/* What the files of PdSqliteStore (split by concern: connection and schema,
 * personas, search, imports, history) share. */

struct _PdSqliteStore
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  /* SQL text → prepared statement, kept for the life of the connection */
  GHashTable *statements;
  /* in front of it, by the address of the SQL text (most callers pass the
   * same literal each time): hashing a long statement's text per row was
   * a visible share of an import */
  struct {
    const char   *sql;    /* the caller's pointer */
    const char   *key;    /* the table's copy, compared to be sure */
    sqlite3_stmt *stmt;
  } recent[64];
  /* counts of the unfiltered views, valid while nothing wrote */
  GHashTable *counts;
  gint64      counts_data_version;
  gint64      counts_total_changes;
  /* the last page listed, to continue from it without an OFFSET scan */
  char         *cursor_sql;
  guint         cursor_offset;
  sqlite3_value *cursor_key;
  gint64        cursor_id;
  gint64        cursor_data_version;
  gint64        cursor_total_changes;
  /* tests only: the walk's time budget in µs (0: the default), and how
   * often a walk ran out of it and the IN list was read instead */
  gint64        walk_budget_us;
  guint         walk_fallbacks;
  guint         walk_min_matches;   /* 0: DENSE_SEARCH_MATCHES */
  /* the import running on this connection */
  char       *import_file_path;
  GByteArray *result_buffer;   /* reused by each import result written */
  gboolean    in_import;
  char       *import_user;     /* the import's "who" for its ledger entries */
  /* whether consent-only contacts exist: looked up once per import,
   * so that its personas pay for the look-up only when there are some */
  gboolean    import_has_contacts;
  gint64      last_outbox_id;   /* the text the last persona write queued, or 0 */
  /* the blocklist's per-database key (pd-sqlite-store-privacy.c), once read */
  guint8      privacy_key[32];
  gboolean    has_privacy_key;
  /* within an import (which holds the write lock, so the blocklist cannot
   * change): 0 not looked at, 1 empty, 2 not empty */
  int         import_blocklist;
};

/* Text columns of the personas table, in PdFieldId order; NULL for the
 * multi-value fields and the typed ones that have their own column. */
const char   *_pd_sqlite_column_for_field   (PdFieldId       field);

sqlite3_stmt *_pd_sqlite_store_prepare      (PdSqliteStore  *self,
                                             const char     *sql,
                                             GError        **error);
gboolean      _pd_sqlite_store_exec         (PdSqliteStore  *self,
                                             const char     *sql,
                                             GError        **error);
gboolean      _pd_sqlite_store_fail         (PdSqliteStore  *self,
                                             GError        **error);
/* Steps a statement that returns no rows and resets it. */
gboolean      _pd_sqlite_store_step_done    (PdSqliteStore  *self,
                                             sqlite3_stmt   *stmt,
                                             GError        **error);

/* Savepoints nest, so the same code runs alone or inside an import. */
gboolean      _pd_sqlite_store_savepoint    (PdSqliteStore  *self,
                                             GError        **error);
gboolean      _pd_sqlite_store_release      (PdSqliteStore  *self,
                                             GError        **error);
void          _pd_sqlite_store_rollback_to  (PdSqliteStore  *self);

/* pd-sqlite-store-personas.c */
PdPersona    *_pd_sqlite_store_load_persona (PdSqliteStore  *self,
                                             gint64          id,
                                             gint64         *changed_by_import,
                                             GError        **error);
/* @import_id: 0 for a manual/API save, else the import writing it */
gboolean      _pd_sqlite_store_write_persona (PdSqliteStore *self,
                                              PdPersona     *persona,
                                              PdSource       source,
                                              gint64         import_id,
                                              GError       **error);
gboolean      _pd_sqlite_store_write_persona_full (PdSqliteStore *self,
                                                   PdPersona     *persona,
                                                   PdPersona     *before,
                                                   const PdActor *actor,
                                                   gint64         import_id,
                                                   const char    *points_reason,
                                                   GError       **error);
gboolean      _pd_sqlite_store_validate_persona (PdSqliteStore *self,
                                                 PdPersona     *persona,
                                                 GError       **error);
gboolean      _pd_sqlite_store_restore_persona (PdSqliteStore *self,
                                                PdPersona     *persona,
                                                gint64         changed_by_import,
                                                GError       **error);
gboolean      _pd_sqlite_store_add_ledger   (PdSqliteStore  *self,
                                             gint64          persona_id,
                                             gint64          delta,
                                             gint64          balance,
                                             const char     *reason,
                                             const PdActor  *actor,
                                             gint64          import_id,
                                             GError        **error);
char         *_pd_sqlite_search_key         (const char     *text);
char         *_pd_sqlite_national_digits    (const char     *e164);
/* "2025550143" → "3410555202": phones.national_rev, for last-digits search */
char         *_pd_sqlite_reverse_digits     (const char     *digits);
/* For pd-sqlite-store-search.c: the columns of a persona SELECT, the
 * persona of its current row, and the index just past its columns. */
const char   *_pd_sqlite_store_persona_columns (void);
PdPersona    *_pd_sqlite_store_persona_from_row (PdSqliteStore *self,
                                                 sqlite3_stmt  *stmt,
                                                 gint64        *changed_by_import,
                                                 GError       **error);
int           _pd_sqlite_store_persona_n_columns (void);
guint         _pd_sqlite_store_n_text_columns (void);
const char   *_pd_sqlite_store_column_text  (sqlite3_stmt   *stmt,
                                             int             col);
/* pd-sqlite-store-audit.c: records a write in the audit log, on this
 * connection, so inside the caller's transaction.  @action is a stable key
 * ("persona.edit", "points.adjust", "consent.sms", …); @persona_id 0 when
 * none; @detail (nullable) says what changed — never values being erased. */
gboolean      _pd_sqlite_store_audit        (PdSqliteStore  *self,
                                             const PdActor  *actor,
                                             const char     *action,
                                             gint64          persona_id,
                                             JsonObject     *detail,
                                             GError        **error);
/* The persona a "merge:" search names, after following its merges. */
gint64        _pd_sqlite_store_resolve_merge (PdSqliteStore *self,
                                              const char    *value);

void          _pd_sqlite_store_init_personas (PdStoreInterface *iface);

/* pd-sqlite-store-snapshot.c: undo records */
GByteArray   *_pd_sqlite_snapshot_pack      (PdPersona      *persona);
PdPersona    *_pd_sqlite_snapshot_unpack    (gint64          id,
                                             const guint8   *data,
                                             gsize           size);

/* pd-sqlite-store-search.c (hooked up by _pd_sqlite_store_init_personas) */
guint         _pd_sqlite_store_count_personas (PdStore               *store,
                                               const PdPersonaQuery  *query,
                                               GError               **error);
GPtrArray    *_pd_sqlite_store_list_personas (PdStore               *store,
                                              const PdPersonaQuery  *query,
                                              guint                  offset,
                                              guint                  limit,
                                              GError               **error);
GPtrArray    *_pd_sqlite_store_list_signup_sources (PdStore  *store,
                                                    GError  **error);
/* Tests: force a broad search in id order to walk to the end (a large
 * budget) or to fall back to the IN list at once (a tiny one). */
void          _pd_sqlite_store_set_walk_budget (PdSqliteStore *self,
                                                gint64         usec);
guint         _pd_sqlite_store_get_walk_fallbacks (PdSqliteStore *self);
/* Tests: from how many matches on a search in id order walks (0: the
 * default), so that a small database has searches that walk. */
void          _pd_sqlite_store_set_walk_min_matches (PdSqliteStore *self,
                                                     guint          matches);
/* pd-sqlite-store-import.c */
void          _pd_sqlite_store_init_imports  (PdStoreInterface *iface);
/* One persona of an import (its undo record, checks and write), for the
 * batch of pd-sqlite-store-batch.c too. */
gboolean      _pd_sqlite_store_import_write  (PdSqliteStore    *self,
                                              gint64            import_id,
                                              PdPersona        *persona,
                                              PdPersona        *before,
                                              const char       *points_reason,
                                              gboolean          contacts_checked,
                                              GError          **error);
/* pd-sqlite-store-batch.c: the batched import engine (issue 19) */
void          _pd_sqlite_store_init_batch    (PdStoreInterface *iface);
void          _pd_sqlite_store_init_results  (PdStoreInterface *iface);
void          _pd_sqlite_store_init_consent  (PdStoreInterface *iface);
void          _pd_sqlite_store_init_email_consent (PdStoreInterface *iface);
gboolean      _pd_sqlite_store_email_consent_before_write (PdSqliteStore  *self,
                                                           PdPersona      *persona,
                                                           GError        **error);
/* pd-sqlite-store-loyalty.c: points, ledger, settings, status */
void          _pd_sqlite_store_init_loyalty  (PdStoreInterface *iface);
/* pd-sqlite-store-staff.c: accounts, staff settings, the audit log's
 * reader, and the _as writes that have no other home */
void          _pd_sqlite_store_init_staff    (PdStoreInterface *iface);
/* pd-sqlite-store-audit.c: a persona write's audit entry, "persona.edit"
 * and the like, with each changed field's old and new value (@before NULL:
 * a new persona, its values as new ones).  No entry when nothing changed. */
gboolean      _pd_sqlite_store_audit_persona (PdSqliteStore  *self,
                                              const PdActor  *actor,
                                              const char     *action,
                                              PdPersona      *before,
                                              PdPersona      *after,
                                              GError        **error);
/* An undo's or a deletion's entry: which import, of which file. */
gboolean      _pd_sqlite_store_audit_import  (PdSqliteStore          *self,
                                              const PdActor          *actor,
                                              const char             *action,
                                              gint64                  import_id,
                                              GError                **error);
/* A consent request's entry: the phone or email (@contact_key "phone" or
 * "email"; forgetting the customer scrubs it), the state before and after. */
gboolean      _pd_sqlite_store_audit_consent (PdSqliteStore          *self,
                                              const PdActor          *actor,
                                              const char             *action,
                                              const char             *contact_key,
                                              const char             *contact,
                                              const PdConsentChange  *change,
                                              GError                **error);
void          _pd_sqlite_store_init_orders   (PdStoreInterface *iface);
/* pd-sqlite-store-api.c: API tokens, pages for the API */
void          _pd_sqlite_store_init_api      (PdStoreInterface *iface);
GPtrArray    *_pd_sqlite_store_list_ledger_page (PdStore *store, gint64 since_us, gint64 after_id,
                                                 guint limit, GError **error);
/* No other persona holds one of @persona's source IDs (attributes named
 * source:NAME); else PD_ERROR_CONFLICT. */
gboolean      _pd_sqlite_store_check_source_ids (PdSqliteStore *self,
                                                 PdPersona     *persona,
                                                 GError       **error);
/* Undoing import @id: a ledger entry per persona that stays, taking back
 * what the import added (the import's own entries stay), but for those the
 * undo keeps as they are (temp.undo_keep, pd-sqlite-store-undo.c). */
gboolean      _pd_sqlite_store_add_undo_reversals (PdSqliteStore *self,
                                                   gint64         id,
                                                   GError       **error);
gboolean      _pd_sqlite_store_get_settings  (PdSqliteStore     *self,
                                              PdLoyaltySettings *settings,
                                              GError           **error);
/* pd-sqlite-store-consent.c: the rules a persona write applies (sticky
 * opt-out, a consent-only contact taken over, the outbox text of a
 * request), called by _pd_sqlite_store_write_persona_full() */
gboolean      _pd_sqlite_store_consent_before_write (PdSqliteStore *self,
                                                     PdPersona     *persona,
                                                     PdPersona     *before,
                                                     GError       **error);
gboolean      _pd_sqlite_store_consent_after_write (PdSqliteStore *self,
                                                    PdPersona     *persona,
                                                    PdPersona     *before,
                                                    GError       **error);
gboolean      _pd_sqlite_store_has_consent_contacts (PdSqliteStore *self);
/* The write rules that need no database (pd-sqlite-store-write.c), shared
 * with the PostgreSQL store: a lower source does not replace the favorite
 * store; a pinned field keeps its value. */
void          _pd_sqlite_store_apply_favorite_store_precedence (PdPersona *persona,
                                                                PdPersona *before,
                                                                PdSource   source);
void          _pd_sqlite_store_apply_overrides (PdPersona      *persona);
/* pd-sqlite-store-privacy.c: the blocklist and erasure (issue 16) */
void          _pd_sqlite_store_init_privacy  (PdStoreInterface *iface);
/* FALSE with PD_ERROR_PRIVACY when @value (PD_FIELD_EMAIL or
 * PD_FIELD_PHONE) is blocklisted, saying "@what cannot be … (privacy)". */
gboolean      _pd_sqlite_store_refuse_blocklisted (PdSqliteStore *self,
                                                   PdFieldId      key,
                                                   const char    *value,
                                                   GError       **error);
/* The same for every email and phone of a persona that is not itself
 * blocklisted. */
gboolean      _pd_sqlite_store_refuse_blocklisted_persona (PdSqliteStore *self,
                                                           PdPersona     *persona,
                                                           GError       **error);
/* The key, made when @create and there is none; FALSE without error
 * when there is none (nothing was ever blocklisted). */
gboolean      _pd_sqlite_store_privacy_key (PdSqliteStore *self,
                                            gboolean       create,
                                            gboolean      *have,
                                            GError       **error);
gboolean      _pd_sqlite_store_blocklist_insert (PdSqliteStore *self,
                                                 PdFieldId      key,
                                                 const char    *value,
                                                 GError       **error);
/* pd-sqlite-store-forget.c */
gboolean      _pd_sqlite_store_forget        (PdStore               *store,
                                              const PdActor         *actor,
                                              const PdForgetRequest *request,
                                              PdForgetResult        *result,
                                              GError               **error);
/* pd-sqlite-store-merge.c: merge and unmerge (schema 13) */
void          _pd_sqlite_store_init_merges   (PdStoreInterface *iface);
/* The active survivor of a persona merged away that holds @value as
 * @key, or 0. */
gint64        _pd_sqlite_store_find_merged   (PdSqliteStore    *self,
                                              PdFieldId         key,
                                              const char       *value,
                                              GError          **error);
/* pd-sqlite-store-import.c, for pd-sqlite-store-undo.c and -rows.c: an
 * import's and an undo's page cache and foreign keys off; a statement with
 * two integer parameters; the first column of a statement's rows. */
void          _pd_sqlite_store_begin_bulk_writes (PdSqliteStore *self);
void          _pd_sqlite_store_end_bulk_writes   (PdSqliteStore *self);
gboolean      _pd_sqlite_store_run_id2           (PdSqliteStore  *self,
                                                  const char     *sql,
                                                  gint64          a,
                                                  gint64          b,
                                                  GError        **error);
GArray       *_pd_sqlite_store_list_ids          (PdSqliteStore  *self,
                                                  const char     *sql,
                                                  gint64          id,
                                                  GError        **error);
/* pd-sqlite-store-undo.c: undo, whole or keeping later edits */
void          _pd_sqlite_store_init_undo     (PdStoreInterface *iface);
/* pd-sqlite-store-rows.c: the rows an import applied, by fingerprint */
void          _pd_sqlite_store_init_rows     (PdStoreInterface *iface);
/* pd-sqlite-checkpoint.c */
void          _pd_sqlite_checkpoint_install  (PdSqliteStore    *self);
void          _pd_sqlite_profile_install     (PdSqliteStore    *self);
void          _pd_sqlite_checkpoint_set_delay (guint            ms);
guint         _pd_sqlite_checkpoint_get_n_done (void);

/* The schema's versions, oldest first (pd-sqlite-store-schema.c). */
typedef struct {
  int         version;
  const char *sql;
} PdSqliteMigration;

extern const PdSqliteMigration _pd_sqlite_migrations[];
extern const guint             _pd_sqlite_n_migrations;

G_END_DECLS
