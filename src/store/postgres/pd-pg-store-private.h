/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libpq-fe.h>

#include "pd-pg-store.h"

G_BEGIN_DECLS

/* What the files of PdPgStore (connection and schema, personas, listing,
 * imports) share. */

struct _PdPgStore
{
  GObject   parent_instance;

  char     *uri;          /* as given: may hold a password, never shown */
  char     *name;         /* "DBNAME on HOST", for messages */
  PGconn   *conn;
  guint     round_trips;  /* statements sent, for tests and measurements */
  /* the import running on this connection */
  gboolean  in_import;
  char     *import_file_path;
  char     *import_user;     /* the import's "who" for its ledger entries */
  /* read once per import: the numbers with consent but no persona (or a
   * text waiting for one; NULL: none), and whether email opt-outs exist,
   * so that its personas pay for the rules' look-up only when they bring
   * one of those numbers or would be opted in to email */
  GHashTable *import_contact_phones;
  gboolean  import_has_email_opt_outs;
  gint64    last_outbox_id;  /* the text the last persona write queued, or 0 */
  /* id → xmin of the personas an import's get_personas read, for its
   * next batch write (pd-pg-store-batch.c); NULL: none */
  GHashTable *batch_versions;
  guint     batch_staged;    /* rows staged since the staging tables' last TRUNCATE */
  /* pd_pg_store_listen(): the socket's watch, and the tables other desks
   * changed, waiting for an idle moment to be signalled */
  GMainContext *listen_context;   /* set while listening is wanted */
  GSource    *listen_source;
  GHashTable *changed_tables;
  guint       changed_idle;
  /* pd-pg-store-connection.c: a lost connection and getting it back */
  guint       lock_timeout_ms;    /* the session's, set again on a new connection */
  gboolean    in_transaction;     /* as of the last statement the server answered */
  gboolean    reconnecting;       /* setting a new connection's session up */
  gboolean    lost_noticed;       /* lost, and not connected again since */
  gboolean    lost_unsignalled;
  gboolean    back_unsignalled;
  guint       connection_idle;
  GSource    *retry_source;       /* the next attempt's timeout */
  GCancellable *reconnecting_cancellable;  /* the attempt under way in a worker thread */
  /* the list's counts kept between calls (pd-pg-store-counts.c), and
   * the landmarks of far pages (pd-pg-store-paging.c), until a commit */
  GHashTable *counts;
  gboolean    counts_listening;
  guint       counts_generation;
  struct _PdPgLandmarks *landmarks;
  /* issue 16: the blocklist's key (read once; it never changes once
   * made), and, during an import, whether the blocklist is empty (0: not
   * asked yet, 1: empty, 2: not) */
  gboolean  has_privacy_key;
  guint8    privacy_key[32];
  int       import_blocklist;
  gboolean  import_has_merges;  /* someone was merged away when the import began */
  /* pd-pg-store-wait.c: an import waiting for another desk's
   * (pd_store_set_wait_handler()) */
  GCancellable    *wait_cancellable;
  PdStoreWaitFunc  wait_func;
  gpointer         wait_data;
};

typedef struct _PdPgLandmarks PdPgLandmarks;

/* What a persona write looked up before writing (one statement,
 * _pd_pg_prepare_write()): the consent recorded for its new numbers while
 * no persona held them, whether their texts wait without a persona, and
 * whether one of its addresses opted out of email. */
typedef struct {
  GHashTable *contacts;        /* phone → GINT_TO_POINTER (state + 1 + (loyalty ? 16 : 0)) */
  GHashTable *orphan_texts;    /* phones with a text queued for no persona */
  gboolean    email_opted_out;
} PdPgWriteLookup;

void        _pd_pg_write_lookup_clear (PdPgWriteLookup *lookup);

/* Two desks deciding about one phone or email take turns: a consent
 * change and a persona write that brings the number or address take a
 * transaction-scoped advisory lock on it first (an email or phone that
 * no persona holds yet has no row to lock; SQLite's one writer needs
 * none).  The key (the phone without its extension), the statement
 * locking @values (NULL-terminated or @n; NULL when there are none), and
 * a persona's phones and emails that @before (nullable) lacks. */
int         _pd_pg_contact_lock_key  (const char         *value);
char       *_pd_pg_contact_locks_sql (const char * const *values,
                                      gssize              n);
GPtrArray  *_pd_pg_new_contacts      (PdPersona          *persona,
                                      PdPersona          *before);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* One statement with text parameters (NULL: SQL NULL).  Returns the
 * result, or NULL with @error (the statement failed; in a transaction,
 * the transaction is then aborted). */
PGresult   *_pd_pg_query        (PdPgStore           *self,
                                 const char          *sql,
                                 int                  n_params,
                                 const char * const  *values,
                                 GError             **error);
/* The same with binary parameters where @lengths[i] > 0 (bytea). */
PGresult   *_pd_pg_query_full   (PdPgStore           *self,
                                 const char          *sql,
                                 int                  n_params,
                                 const char * const  *values,
                                 const int           *lengths,
                                 const int           *formats,
                                 GError             **error);
/* The same with the parameters' types given (those a statement does not
 * use need one). */
PGresult   *_pd_pg_query_typed  (PdPgStore           *self,
                                 const char          *sql,
                                 int                  n_params,
                                 const Oid           *types,
                                 const char * const  *values,
                                 GError             **error);
gboolean    _pd_pg_exec         (PdPgStore           *self,
                                 const char          *sql,
                                 GError             **error);
/* The failure of @result (or of the connection) as a PD_ERROR. */
void        _pd_pg_fail         (PdPgStore           *self,
                                 const PGresult      *result,
                                 GError             **error);
gboolean    _pd_pg_is_unique_violation (GError       *error);
void        _pd_pg_rollback     (PdPgStore           *self);
/* pd-pg-store-connection.c: a new connection when the server ended this
 * one (PQreset, blocking), outside a transaction; every statement goes
 * through _pd_pg_run(), which reconnects and sends a read once more, but
 * on a listening store (the app's) fails at once and leaves the reconnect
 * to a worker thread.  _pd_pg_connect() is pd_pg_store_new()'s
 * PQconnectdbParams() with the default connect timeout. */
PGconn     *_pd_pg_connect      (const char          *uri);
gboolean    _pd_pg_reconnect    (PdPgStore           *self,
                                 GError             **error);
PGresult   *_pd_pg_run          (PdPgStore           *self,
                                 const char          *sql,
                                 int                  n_params,
                                 const Oid           *types,
                                 const char * const  *values,
                                 const int           *lengths,
                                 const int           *formats,
                                 gboolean             simple,
                                 GError             **error);
void        _pd_pg_store_class_init_connection (PdPgStoreClass *klass);
/* The listening socket found the connection closed: signal it, and try
 * again now and then without blocking the listening context. */
void        _pd_pg_connection_lost_while_idle (PdPgStore     *self);
void        _pd_pg_stop_reconnecting (PdPgStore          *self);
gint64      _pd_pg_int64        (const PGresult      *result,
                                 int                  row,
                                 int                  col);
/* NULL for SQL NULL */
const char *_pd_pg_text         (const PGresult      *result,
                                 int                  row,
                                 int                  col);
/* A text[] literal ({"a","b"}) of @values (NULL-terminated or @n). */
char       *_pd_pg_array        (const char * const  *values,
                                 gssize               n);
char       *_pd_pg_ptr_array    (GPtrArray           *values);
/* Splits a text[] in text form; (transfer full), NULL-terminated. */
char      **_pd_pg_parse_array  (const char          *text);

/* pd-pg-store-personas.c and pd-pg-store-write.c */
PdPersona  *_pd_pg_load_persona (PdPgStore           *self,
                                 gint64               id,
                                 gboolean             for_update,
                                 GError             **error);
/* Personas of the rows of a persona SELECT (columns as
 * _pd_sqlite_store_persona_columns()), their lists read in one statement. */
GPtrArray  *_pd_pg_personas_from_result (PdPgStore   *self,
                                 const PGresult      *result,
                                 GError             **error);
/* pd-pg-store-rules.c: the rules every persona write follows, as
 * _pd_sqlite_store_write_persona_full() applies them.  Before the first
 * write of the persona (an import's undo record included): the rules that
 * need no database, then one look-up for the unique emails and phones
 * (@check_unique), the source IDs (PD_ERROR_CONFLICT for either), the
 * consent of new numbers and email opt-outs, whose rules are applied to
 * @persona.  @lookup is cleared by the caller. */
gboolean    _pd_pg_prepare_write (PdPgStore          *self,
                                  PdPersona          *persona,
                                  PdPersona          *before,
                                  PdSource            source,
                                  gboolean            check_unique,
                                  PdPgWriteLookup    *lookup,
                                  GError            **error);
/* _pd_pg_prepare_write() in its two halves, for a batch that looks its
 * personas up in one statement (pd-pg-store-batch.c): the rules that need
 * no database, and those applied with what the look-up found. */
void        _pd_pg_prepare_rules (PdPersona          *persona,
                                  PdPersona          *before,
                                  PdSource            source);
void        _pd_pg_apply_lookup  (PdPersona          *persona,
                                  PdPersona          *before,
                                  PdPgWriteLookup    *lookup);
/* After the row is written: numbers taken over, the confirmation text of
 * consent that became pending (self->last_outbox_id), pinned values. */
gboolean    _pd_pg_finish_write  (PdPgStore          *self,
                                  PdPersona          *persona,
                                  PdPersona          *before,
                                  PdPgWriteLookup    *lookup,
                                  GError            **error);
gboolean    _pd_pg_write_overrides (PdPgStore        *self,
                                    PdPersona        *before,
                                    PdPersona        *persona,
                                    GError          **error);
gint64      _pd_pg_queue_text    (PdPgStore          *self,
                                  const char         *phone,
                                  gint64              persona_id,
                                  GError            **error);
/* pd-pg-store-write.c: the write after _pd_pg_prepare_write(), inside the
 * caller's transaction */
gboolean    _pd_pg_write_persona (PdPgStore          *self,
                                  PdPersona          *persona,
                                  PdPersona          *before,
                                  const PdActor      *actor,
                                  gint64              import_id,
                                  const char         *points_reason,
                                  PdPgWriteLookup    *lookup,
                                  GError            **error);
/* Validates, prepares and writes inside the caller's transaction: a manual
 * save, a consent change, a points adjustment.  @before: (nullable): the
 * persona as the caller read it FOR UPDATE; NULL to read it so. */
gboolean    _pd_pg_save_persona (PdPgStore           *self,
                                 PdPersona           *persona,
                                 PdPersona           *before,
                                 const PdActor       *actor,
                                 const char          *points_reason,
                                 GError             **error);
gboolean    _pd_pg_add_ledger   (PdPgStore           *self,
                                 gint64               persona_id,
                                 gint64               delta,
                                 gint64               balance,
                                 const char          *reason,
                                 const PdActor       *actor,
                                 gint64               import_id,
                                 GError             **error);
/* Puts back a persona exactly as an undo record kept it: no rules, no
 * ledger entry, the old change mark (pd-pg-store-undo.c). */
gboolean    _pd_pg_restore_persona (PdPgStore        *self,
                                    PdPersona        *persona,
                                    gint64            changed_by_import,
                                    GError          **error);
void        _pd_pg_store_init_undo (PdStoreInterface *iface);
/* pd-pg-store-notify.c */
void        _pd_pg_store_class_init_notify (PdPgStoreClass *klass);
/* After each statement: notifications libpq read with its result. */
void        _pd_pg_collect_notifications (PdPgStore        *self);
/* A COPY … FROM STDIN: begun, then ended with whether every piece was
 * sent (pd-pg-store-batch-stage.c). */
gboolean    _pd_pg_copy_begin   (PdPgStore           *self,
                                 const char          *sql,
                                 GError             **error);
gboolean    _pd_pg_copy_end     (PdPgStore           *self,
                                 gboolean             sent,
                                 const char          *abort_message,
                                 GError             **error);
void        _pd_pg_stop_listening (PdPgStore              *self);
/* Around a reconnect (PQreset): the old socket's watch goes first, then
 * a store that listened LISTENs again on the new connection. */
void        _pd_pg_unlisten_socket (PdPgStore             *self);
/* pd-pg-store-counts.c: counts kept until a notification says otherwise */
gboolean    _pd_pg_counts_lookup  (PdPgStore            *self,
                                   const PdPersonaQuery *query,
                                   guint                *count,
                                   guint                *generation);
void        _pd_pg_counts_keep    (PdPgStore            *self,
                                   const PdPersonaQuery *query,
                                   guint                 count,
                                   guint                 generation);
void        _pd_pg_counts_forget  (PdPgStore            *self);
void        _pd_pg_counts_reset   (PdPgStore            *self);
gboolean    _pd_pg_cache_usable   (PdPgStore            *self);
/* pd-pg-store-paging.c: far pages seek from a landmark */
char       *_pd_pg_landmark_seek  (PdPgStore            *self,
                                   const char           *column,
                                   gboolean              nullable,
                                   gboolean              descending,
                                   const char           *where,
                                   const char           *order,
                                   GPtrArray            *values,
                                   guint                 offset,
                                   guint                *skip,
                                   GError              **error);
void        _pd_pg_landmarks_free (PdPgLandmarks        *landmarks);
void        _pd_pg_store_set_landmark_step (guint        step);
void        _pd_pg_store_set_far_walk      (guint        ids);
gboolean    _pd_pg_relisten       (PdPgStore              *self,
                                   GError                **error);
/* pd-pg-store-loyalty.c */
gboolean    _pd_pg_get_settings (PdPgStore           *self,
                                 PdLoyaltySettings   *settings,
                                 GError             **error);
/* Records a write in the audit log inside the caller's transaction (as
 * _pd_sqlite_store_audit() does). */
gboolean    _pd_pg_audit        (PdPgStore           *self,
                                 const PdActor       *actor,
                                 const char          *action,
                                 gint64               persona_id,
                                 JsonObject          *detail,
                                 GError             **error);
void        _pd_pg_store_init_loyalty (PdStoreInterface *iface);
/* pd-pg-store-consent.c */
void        _pd_pg_store_init_consent (PdStoreInterface *iface);
gint64      _pd_pg_resolve_merge (PdPgStore          *self,
                                  const char         *value);
void        _pd_pg_store_init_personas (PdStoreInterface *iface);
/* pd-pg-store-search.c */
void        _pd_pg_store_init_search   (PdStoreInterface *iface);
/* pd-pg-store-search-walk.c: a broad phone search's far pages by id
 * bucket (issue 19, schema 17) */
extern const char _pd_pg_schema_v17[];
char       *_pd_pg_far_ids_sql         (const char       *base,
                                        const char       *arms,
                                        const GArray     *national,
                                        gboolean          descending,
                                        guint             k);
guint       _pd_pg_store_get_bucket_walks (void);
/* pd-pg-store-import.c */
void        _pd_pg_store_init_imports  (PdStoreInterface *iface);
/* Issues 17 and 18 on PostgreSQL (issue 19): the API's tokens and
 * change feeds (pd-pg-store-api.c, schema 9), orders (pd-pg-store-orders.c,
 * schema 10), the rows imports applied (pd-pg-store-rows.c, schema 11);
 * undoing the rest of an import is pd-pg-store-undo.c's. */
extern const char _pd_pg_schema_v9[];
extern const char _pd_pg_schema_v10[];
extern const char _pd_pg_schema_v11[];
void        _pd_pg_store_init_api      (PdStoreInterface *iface);
void        _pd_pg_store_init_orders   (PdStoreInterface *iface);
void        _pd_pg_store_init_rows     (PdStoreInterface *iface);
GPtrArray  *_pd_pg_list_ledger_page    (PdStore          *store,
                                        gint64            since_us,
                                        gint64            after_id,
                                        guint             limit,
                                        GError          **error);
/* pd-pg-store-batch.c: the batched import engine (issue 19) */
void        _pd_pg_store_init_batch    (PdStoreInterface *iface);
/* pd-pg-store-batch-stage.c: a batch's writes as COPY lines for the
 * staging tables (created and emptied by _pd_pg_staging_sql()), copied,
 * then applied in one round trip; a lost race answers PD_ERROR_RACE.
 * _pd_pg_stage_persona() returns whether the persona needs
 * _pd_pg_finish_write() of its own. */
typedef struct {
  GString *rows, *emails, *phones, *tags, *attributes, *undo;
  GString *updates;   /* the ids of the personas updated, comma separated */
} PdPgStaging;

void        _pd_pg_staging_init        (PdPgStaging      *staging);
void        _pd_pg_staging_clear       (PdPgStaging      *staging);
const char *_pd_pg_staging_sql         (void);
gboolean    _pd_pg_stage_persona       (PdPgStore        *self,
                                        PdImportWrite    *write,
                                        gboolean          is_new,
                                        PdPgWriteLookup  *lookup,
                                        gint64            import_id,
                                        PdPgStaging      *staging);
gboolean    _pd_pg_staging_copy        (PdPgStore        *self,
                                        PdPgStaging      *staging,
                                        GError          **error);
gboolean    _pd_pg_staging_apply       (PdPgStore        *self,
                                        PdPgStaging      *staging,
                                        gint64            import_id,
                                        const char       *points_reason,
                                        guint             n_updates,
                                        GError          **error);

/* Issue 16 on PostgreSQL: the blocklist and erasure (schema 6,
 * pd-pg-store-privacy.c, pd-pg-store-forget.c), merges (schema 7,
 * pd-pg-store-merge.c), staff accounts and the audited _as writes (schema 8,
 * pd-pg-store-staff.c). */
extern const char _pd_pg_schema_v6[];
extern const char _pd_pg_schema_v7[];
extern const char _pd_pg_schema_v8[];
extern const char _pd_pg_schema_v15[];
extern const char _pd_pg_schema_v16[];
/* The privacy lock, transaction-scoped: exclusive for the blocklist and
 * erasures, shared by an import for its whole transaction. */
gboolean    _pd_pg_privacy_lock      (PdPgStore          *self,
                                      gboolean            exclusive,
                                      GError            **error);
gboolean    _pd_pg_privacy_key       (PdPgStore          *self,
                                      gboolean            create,
                                      gboolean           *have,
                                      GError            **error);
/* Takes the key's hex text when this connection knows none yet. */
void        _pd_pg_privacy_take_key  (PdPgStore          *self,
                                      const char         *hex);
/* The keyed hashes of @values as a text[] literal of hex strings (the
 * key must be known). */
char       *_pd_pg_privacy_hashes    (PdPgStore          *self,
                                      PdFieldId           key,
                                      const char * const *values,
                                      guint               n_values);
gboolean    _pd_pg_refuse_blocklisted (PdPgStore         *self,
                                      PdFieldId           key,
                                      const char         *value,
                                      GError            **error);
gboolean    _pd_pg_consent_blocklisted (PdPgStore        *self,
                                      PdFieldId           key,
                                      const char         *value,
                                      gboolean            decline,
                                      PdConsentChange    *change,
                                      gboolean           *answered,
                                      GError            **error);
gboolean    _pd_pg_blocklist_insert  (PdPgStore          *self,
                                      PdFieldId           key,
                                      const char         *value,
                                      GError            **error);
gboolean    _pd_pg_collect_holders   (PdPgStore          *self,
                                      PdFieldId           key,
                                      const char         *value,
                                      GArray             *ids,
                                      GError            **error);
gboolean    _pd_pg_forget            (PdStore            *store,
                                      const PdActor      *actor,
                                      const PdForgetRequest *request,
                                      PdForgetResult     *result,
                                      GError            **error);
/* VACUUM (@full: FULL) of the tables an erasure touched, after its commit. */
gboolean    _pd_pg_vacuum_erased     (PdPgStore          *self,
                                      gboolean            full,
                                      GError            **error);
void        _pd_pg_store_init_privacy (PdStoreInterface  *iface);
/* The merged persona the one holding @key's @value leads to (an active
 * survivor), or 0: as SQLite's find_persona, for imports of old contacts. */
gint64      _pd_pg_find_merged       (PdPgStore          *self,
                                      PdFieldId           key,
                                      const char         *value,
                                      GError            **error);
void        _pd_pg_store_init_merges (PdStoreInterface   *iface);
void        _pd_pg_store_init_staff  (PdStoreInterface   *iface);
/* The writes the _as calls audit in their transaction (@actor NULL: the
 * older call, not audited). */
gboolean    _pd_pg_request_import_sms_opt_in (PdStore  *store,
                                      gint64              import_id,
                                      const PdActor      *actor,
                                      PdSmsOptInCounts   *counts,
                                      GError            **error);
gboolean    _pd_pg_set_source_id     (PdStore            *store,
                                      gint64              id,
                                      const char         *source,
                                      const char         *source_id,
                                      const PdActor      *actor,
                                      GError            **error);
/* A consent change's entry: the contact, the state before and after. */
gboolean    _pd_pg_audit_consent     (PdPgStore          *self,
                                      const PdActor      *actor,
                                      const char         *action,
                                      const char         *contact_key,
                                      const char         *contact,
                                      const PdConsentChange *change,
                                      GError            **error);
/* A persona save in a transaction of its own (pd-pg-store-personas.c),
 * audited as @audit (nullable) inside it. */
gboolean    _pd_pg_save_in_transaction (PdPgStore        *self,
                                      PdPersona          *persona,
                                      const PdActor      *actor,
                                      const char         *audit,
                                      GError            **error);
/* An audit entry of a persona write: each changed field's old and new
 * value (as _pd_sqlite_store_audit_persona()). */
gboolean    _pd_pg_audit_persona     (PdPgStore          *self,
                                      const PdActor      *actor,
                                      const char         *action,
                                      PdPersona          *before,
                                      PdPersona          *after,
                                      GError            **error);

/* pd-pg-store-wait.c (issue 19, several desks at once): imports take
 * turns; the turn is taken by begin_import, in its transaction, waiting
 * (cancellable, told to the wait handler) for another desk's import; and
 * the test environment's lock timeout. */
gboolean    _pd_pg_import_turn        (PdPgStore  *self,
                                       GError    **error);
guint       _pd_pg_default_lock_timeout (void);
void        _pd_pg_store_init_wait    (PdStoreInterface *iface);
/* pd-pg-store-feed.c: schema 18, the ledger's commit order for the API's
 * change feed, and its page's statement over @columns */
extern const char _pd_pg_schema_v18[];
char       *_pd_pg_ledger_page_sql    (const char *columns);

/* The session's fixed settings, made on every connection (pd-pg-store.c's
 * set_session(), pd-pg-store-connection.c's reconnects).  Notices (e.g.
 * "relation already exists") are not for the user.  No JIT: a desk's
 * statements are short, and a plan costed high on a table without
 * statistics yet (a first import) or on the import's staging tables was
 * compiled each time for tens of ms (issue 19). */
#define PD_PG_SESSION_SETTINGS "SET client_min_messages = warning; SET jit = off"

G_END_DECLS
