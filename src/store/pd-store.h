/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-loyalty.h"
#include "pd-order.h"
#include "pd-predict.h"
#include "pd-persona.h"
#include "pd-privacy.h"

G_BEGIN_DECLS

/* The persona store: the only place that knows where and how personas are
 * kept.  The rest of the core, the import pipeline and the app see this
 * interface only, never SQLite types, so that a PostgreSQL store for chains
 * can follow.  A store object belongs to one thread: a worker opens its own
 * connection with pd_store_open_another(). */

#define PD_TYPE_STORE (pd_store_get_type ())
G_DECLARE_INTERFACE (PdStore, pd_store, PD, STORE, GObject)

typedef enum {
  PD_PERSONA_VIEW_ACTIVE,    /* not archived, not blocklisted, not merged away */
  PD_PERSONA_VIEW_ARCHIVED,  /* archived, not blocklisted */
} PdPersonaView;

typedef enum {
  PD_PERSONA_SORT_ID,
  PD_PERSONA_SORT_NAME,
  PD_PERSONA_SORT_EMAIL,
  PD_PERSONA_SORT_PHONE,
  PD_PERSONA_SORT_POINTS,
  PD_PERSONA_SORT_LOYALTY,
  PD_PERSONA_SORT_SOURCE,
} PdPersonaSort;

typedef struct {
  PdPersonaView  view;
  const char    *search;      /* nullable: email, phone in any format, names,
                               * external ID, "merge:EMAIL|PHONE" */
  gint64         import_id;   /* 0, or only the audience of this import */
  PdPersonaSort  sort;
  gboolean       descending;
} PdPersonaQuery;

typedef struct {
  gint64     id;
  gint64     persona_id;
  gint64     delta;
  gint64     balance;        /* after this entry */
  PdSource   source;
  gint64     import_id;      /* 0 when not from an import */
  char      *reason;         /* nullable */
  GDateTime *time;
  char      *actor;          /* nullable: who (the OS user, an API key's name) */
} PdLedgerEntry;

#define PD_TYPE_LEDGER_ENTRY (pd_ledger_entry_get_type ())
GType          pd_ledger_entry_get_type (void) G_GNUC_CONST;
PdLedgerEntry *pd_ledger_entry_copy     (const PdLedgerEntry *entry);
void           pd_ledger_entry_free     (PdLedgerEntry       *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdLedgerEntry, pd_ledger_entry_free)

/* Imports, as the history keeps them (added by the store helper). */
typedef enum {
  PD_IMPORT_STATUS_PENDING,
  PD_IMPORT_STATUS_IN_PROGRESS,
  PD_IMPORT_STATUS_COMPLETED,
  PD_IMPORT_STATUS_FAILED,
  PD_IMPORT_STATUS_CANCELLED,
  PD_IMPORT_STATUS_UNDONE,
  PD_IMPORT_STATUS_PARTLY_UNDONE,  /* undone but for personas changed after it */
} PdImportStatus;

typedef struct {
  gint64          id;
  char           *name;
  char           *user;          /* the OS user who ran it */
  char           *file_name;     /* base name of the imported file */
  GDateTime      *started;
  gint64          duration_ms;
  PdImportStatus  status;
  guint           total;         /* data rows in the file */
  guint           imported;
  guint           updated;
  guint           ignored;
  guint           failed;
  char           *mapping_json;  /* nullable */
  char           *options_json;  /* nullable */
  char           *error;         /* nullable: why it failed */
  guint           privacy_removed; /* rows removed from the kept file for privacy requests */
} PdImportInfo;

#define PD_TYPE_IMPORT_INFO (pd_import_info_get_type ())
GType          pd_import_info_get_type   (void) G_GNUC_CONST;
PdImportInfo  *pd_import_info_new        (void);
PdImportInfo  *pd_import_info_copy       (const PdImportInfo *info);
void           pd_import_info_free       (PdImportInfo       *info);
const char    *pd_import_status_to_string (PdImportStatus     status);
/* "n rows removed for privacy requests", or NULL when none (issue 16) */
char          *pd_import_info_dup_privacy_note (const PdImportInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdImportInfo, pd_import_info_free)

/* One row's result as an import keeps it for its report: the failed,
 * ignored and warned rows, and the file's header row as row 0. */
typedef struct {
  guint               row;          /* the spreadsheet row; 0: the header row */
  const char         *outcome;      /* "imported", "updated", "ignored", "failed"; NULL for the header */
  const char * const *reasons;      /* nullable, NULL-terminated */
  gint64              persona_id;   /* the matched persona, or 0 */
  const char * const *cells;        /* the row as read */
  guint               n_cells;
} PdImportResultRecord;

/* Returns FALSE to stop. */
/* How far a long store operation is, 0 to 1; called on its thread. */
typedef void (*PdStoreProgressFunc) (double   fraction,
                                     gpointer user_data);
/* A wait for another desk begins (TRUE) or ends (FALSE); called on the
 * waiting thread (pd_store_set_wait_handler()). */
typedef void (*PdStoreWaitFunc) (gboolean waiting,
                                 gpointer user_data);

typedef gboolean (*PdImportResultFunc) (const PdImportResultRecord *record,
                                        gpointer                    user_data);

/* What a double opt-in request over an import's audience did. */
typedef struct {
  guint marked;      /* SMS consent now pending */
  guint opted_out;   /* skipped: explicit SMS opt-out */
  guint already;     /* skipped: already opted in or pending */
  guint no_phone;    /* skipped: no phone to text */
} PdSmsOptInCounts;

/* A text waiting in the outbox for whatever sends texts. */
typedef struct {
  gint64     id;
  char      *kind;           /* "double-opt-in" */
  char      *phone;          /* E.164 */
  gint64     persona_id;     /* 0: a consent-only contact */
  GDateTime *created;
  GDateTime *sent;           /* nullable: not sent yet */
} PdOutboxMessage;

#define PD_TYPE_OUTBOX_MESSAGE (pd_outbox_message_get_type ())
GType            pd_outbox_message_get_type (void) G_GNUC_CONST;
PdOutboxMessage *pd_outbox_message_copy     (const PdOutboxMessage *message);
void             pd_outbox_message_free     (PdOutboxMessage       *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdOutboxMessage, pd_outbox_message_free)

/* What a consent request did to one phone. */
typedef struct {
  gint64          persona_id;   /* 0: a consent-only contact (no persona holds the number) */
  PdConsentState  before;
  PdConsentState  after;
  gboolean        enrolled;     /* newly enrolled in loyalty */
  gint64          outbox_id;    /* the confirmation text queued, or 0 */
} PdConsentChange;

/* What `loyalty-status` may say about a phone or email.  An archived,
 * blocklisted or merged persona is "unknown" like a number never seen. */
typedef struct {
  gboolean        known;
  gint64          persona_id;
  gboolean        member;
  gint64          points;
  gboolean        email_opt_in;
  PdConsentState  email;              /* none, opted in or opted out (no double opt-in) */
  PdConsentState  sms;
  gint64          pending_since_us;   /* 0 unless sms is pending (and known) */
} PdLoyaltyStatus;

/* pd-store-staff.h */
struct _PdAccount;
struct _PdAccountUpdate;
struct _PdStaffSettings;
/* Privacy (issue 16): forgetting a person.  The store calls @rewrite_file
 * for each kept import file, inside the erasure's transaction, to drop the
 * rows of the person (the import layer reads every format): it sets
 * @new_data (a CSV, or NULL when no row matched), @new_name and @removed. */
typedef gboolean (*PdForgetFileFunc) (const char              *file_name,
                                      GBytes                  *data,
                                      const PdPrivacyTargets  *targets,
                                      GBytes                 **new_data,
                                      char                   **new_name,
                                      guint                   *removed,
                                      gpointer                 user_data,
                                      GError                 **error);

typedef struct {
  const char * const *emails;      /* nullable, NULL-terminated, normalized */
  const char * const *phones;      /* nullable, NULL-terminated, E.164 */
  gboolean            dry_run;     /* only count the personas concerned */
  PdForgetFileFunc    rewrite_file;  /* nullable: kept files are then left as they are */
  gpointer            rewrite_data;
  /* nonzero: only take the contacts' rows out of this import's kept file
   * (an import that refused them as blocklisted); no persona is erased */
  gint64              import_id;
} PdForgetRequest;

typedef struct {
  guint  personas;          /* personas erased (or, dry run, concerned) */
  guint  contacts;          /* contacts now blocklisted */
  guint  files_rewritten;   /* kept import files rewritten without the rows */
  guint  rows_removed;      /* rows removed from them */
  guint  results_removed;   /* stored per-row import results removed */
  gint64 erase_us;          /* the transaction */
  gint64 checkpoint_us;     /* checkpoint(TRUNCATE) of the write-ahead log */
} PdForgetResult;
struct _PdMergePlan;   /* pd-persona-merge.h */
/* An HTTP API token as the store keeps it: never the token itself, only
 * its SHA-256 (pd-api-token.h). */
typedef struct {
  char      *name;
  gboolean   read_only;
  gboolean   may_import;  /* PD_API_TOKEN_IMPORT: may POST /customers/bulk */
  GDateTime *created;
} PdApiToken;
/* What a token may do, kept in api_tokens.read_only (schema 15) so that no
 * new schema is needed: 0 and 1 are what that column always meant, so a
 * caller passing a gboolean read_only still says the same; 2 is a token
 * that also imports.  A build older than this value reads 2 as read-only,
 * i.e. a downgrade takes access away, never gives it. */
typedef enum {
  PD_API_TOKEN_READ_WRITE = 0,
  PD_API_TOKEN_READ_ONLY  = 1,
  PD_API_TOKEN_IMPORT     = 2,
} PdApiTokenAccess;

void        pd_api_token_free          (PdApiToken           *token);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdApiToken, pd_api_token_free)

/* One persona of a batch an import writes (pd_store_import_write_batch()). */
typedef struct {
  PdPersona *persona;   /* as the rows left it; a new one gets its id */
  PdPersona *before;    /* as loaded before the import's rows changed it; NULL: new */
  GError    *error;     /* out: why this persona was not written (the row's failure) */
} PdImportWrite;

struct _PdStoreInterface
{
  GTypeInterface parent_iface;

  PdStore   *(*open_another)        (PdStore *self, GError **error);
  void       (*set_lock_timeout)    (PdStore *self, guint ms);
  guint      (*count_personas)      (PdStore *self, const PdPersonaQuery *query, GError **error);
  GPtrArray *(*list_personas)       (PdStore *self, const PdPersonaQuery *query,
                                     guint offset, guint limit, GError **error);
  PdPersona *(*get_persona)         (PdStore *self, gint64 id, GError **error);
  gint64     (*find_persona)        (PdStore *self, PdFieldId key, const char *value,
                                     GError **error);
  gboolean   (*save_persona)        (PdStore *self, PdPersona *persona, PdSource source,
                                     GError **error);
  gboolean   (*set_archived)        (PdStore *self, gint64 id, gboolean archived,
                                     GError **error);
  gboolean   (*adjust_points)       (PdStore *self, gint64 id, gint64 delta,
                                     const char *reason, const PdActor *actor,
                                     gint64 *balance, GError **error);
  GPtrArray *(*list_ledger)         (PdStore *self, gint64 id, GError **error);
  GPtrArray *(*list_signup_sources) (PdStore *self, GError **error);

  /* Imports (added by the store helper) */
  gint64     (*begin_import)        (PdStore *self, PdImportInfo *info, const char *file_path,
                                     GError **error);
  gboolean   (*import_write)        (PdStore *self, gint64 import_id, PdPersona *persona,
                                     PdPersona *before, const char *points_reason,
                                     gboolean contacts_checked, GError **error);
  gboolean   (*finish_import)       (PdStore *self, PdImportInfo *info, GError **error);
  void       (*abort_import)        (PdStore *self, PdImportInfo *info);
  GPtrArray *(*list_imports)        (PdStore *self, GError **error);
  PdImportInfo *(*get_import)       (PdStore *self, gint64 id, GError **error);
  gboolean   (*write_import_file)   (PdStore *self, gint64 id, GOutputStream *out,
                                     GCancellable *cancellable, GError **error);
  GArray    *(*list_audience)       (PdStore *self, gint64 import_id, GError **error);
  gboolean   (*delete_import)       (PdStore *self, gint64 id, GError **error);
  gboolean   (*undo_import)         (PdStore *self, gint64 id, PdStoreProgressFunc progress,
                                     gpointer progress_data, GError **error);
  gboolean   (*save_preset)         (PdStore *self, const char *signature, const char *mapping_json,
                                     GError **error);
  char      *(*lookup_preset)       (PdStore *self, const char *signature, GError **error);
  GArray    *(*list_persona_imports) (PdStore *self, gint64 persona_id, GError **error);
  void       (*discard_import)      (PdStore *self, PdImportInfo *info);
  gboolean   (*import_write_result) (PdStore *self, gint64 import_id,
                                     const PdImportResultRecord *record, GError **error);
  gboolean   (*foreach_import_result) (PdStore *self, gint64 import_id, PdImportResultFunc func,
                                     gpointer user_data, GError **error);
  gboolean   (*request_import_sms_opt_in) (PdStore *self, gint64 import_id, PdSmsOptInCounts *counts,
                                     GError **error);

  /* The loyalty program (issue 15) */
  GPtrArray *(*list_ledger_since)   (PdStore *self, gint64 since_us, GError **error);
  gboolean   (*get_loyalty_settings) (PdStore *self, PdLoyaltySettings *settings, GError **error);
  gboolean   (*set_loyalty_settings) (PdStore *self, const PdLoyaltySettings *settings,
                                     GError **error);
  gboolean   (*sms_opt_in)          (PdStore *self, const char *phone, PdSmsOptInMode mode,
                                     const PdActor *actor, PdConsentChange *change, GError **error);
  gboolean   (*sms_confirm)         (PdStore *self, const char *phone, const PdActor *actor,
                                     PdConsentChange *change, GError **error);
  gboolean   (*sms_decline)         (PdStore *self, const char *phone, const PdActor *actor,
                                     PdConsentChange *change, GError **error);
  gboolean   (*expire_sms_requests) (PdStore *self, gint64 now_us, guint *expired, GError **error);
  gboolean   (*sms_cancel)          (PdStore *self, const char *phone, const PdActor *actor,
                                     PdConsentChange *change, GError **error);
  GPtrArray *(*list_outbox)         (PdStore *self, gboolean unsent_only, GError **error);
  gboolean   (*mark_outbox_sent)    (PdStore *self, const gint64 *ids, guint n_ids, GError **error);
  gboolean   (*get_loyalty_status)  (PdStore *self, PdFieldId key, const char *value,
                                     PdLoyaltyStatus *status, GError **error);
  gboolean   (*set_source_id)       (PdStore *self, gint64 id, const char *source, const char *source_id,
                                     GError **error);
  GPtrArray *(*list_source_ids)     (PdStore *self, gint64 id, GError **error);
  gint64     (*find_by_source_id)   (PdStore *self, const char *source, const char *source_id,
                                     GError **error);
  gboolean   (*email_opt_in)        (PdStore *self, const char *email, const PdActor *actor,
                                     PdConsentChange *change, GError **error);
  gboolean   (*email_decline)       (PdStore *self, const char *email, const PdActor *actor,
                                     PdConsentChange *change, GError **error);
  PdImportInfo *(*find_import_by_sha256) (PdStore *self, const char *sha256, GError **error);
  guint      (*count_pending_sms)   (PdStore *self, GError **error);

  /* Staff accounts, roles and the audit log (issue 16): pd-store-staff.h.
   * The _as writes check the actor's role and audit themselves. */
  gboolean   (*save_persona_as)     (PdStore *self, PdPersona *persona, const PdActor *actor,
                                     GError **error);
  gboolean   (*set_archived_as)     (PdStore *self, gint64 id, gboolean archived,
                                     const PdActor *actor, GError **error);
  gboolean   (*set_loyalty_settings_as) (PdStore *self, const PdLoyaltySettings *settings,
                                     const PdActor *actor, GError **error);
  gboolean   (*mark_outbox_sent_as) (PdStore *self, const gint64 *ids, guint n_ids,
                                     const PdActor *actor, GError **error);
  gboolean   (*set_source_id_as)    (PdStore *self, gint64 id, const char *source,
                                     const char *source_id, const PdActor *actor, GError **error);
  gboolean   (*delete_import_as)    (PdStore *self, gint64 id, const PdActor *actor, GError **error);
  gboolean   (*undo_import_as)      (PdStore *self, gint64 id, PdStoreProgressFunc progress,
                                     gpointer progress_data, const PdActor *actor, GError **error);
  gboolean   (*request_import_sms_opt_in_as) (PdStore *self, gint64 import_id, const PdActor *actor,
                                     PdSmsOptInCounts *counts, GError **error);
  GPtrArray *(*list_accounts)       (PdStore *self, GError **error);
  gint64     (*add_account)         (PdStore *self, const char *name, PdRole role,
                                     const char *password, const PdActor *actor, GError **error);
  gboolean   (*update_account)      (PdStore *self, const char *name,
                                     const struct _PdAccountUpdate *update, const PdActor *actor,
                                     GError **error);
  struct _PdAccount *(*verify_account) (PdStore *self, const char *name, const char *password,
                                     GError **error);
  gboolean   (*get_staff_settings)  (PdStore *self, struct _PdStaffSettings *settings, GError **error);
  gboolean   (*set_staff_settings)  (PdStore *self, const struct _PdStaffSettings *settings,
                                     const PdActor *actor, GError **error);
  GPtrArray *(*list_audit)          (PdStore *self, gint64 since_us, guint offset, guint limit,
                                     const PdActor *actor, GError **error);
  /* Privacy: blocklist and erasure (issue 16) */
  gboolean   (*blocklist_contains)  (PdStore *self, PdFieldId key, const char *value,
                                     gboolean *blocked, GError **error);
  gboolean   (*blocklist_edit)      (PdStore *self, const PdActor *actor, gboolean add,
                                     gint64 persona_id, PdFieldId key, const char *value,
                                     guint *n_personas, GError **error);
  gboolean   (*forget)              (PdStore *self, const PdActor *actor,
                                     const PdForgetRequest *request, PdForgetResult *result,
                                     GError **error);
  /* Merge and unmerge (issue 16; pd-store-merge.h) */
  gboolean   (*merge_personas)      (PdStore *self, struct _PdMergePlan *plan, const PdActor *actor,
                                     gint64 *merge_id, GError **error);
  gboolean   (*unmerge)             (PdStore *self, gint64 merge_id, const PdActor *actor, GError **error);
  GPtrArray *(*list_merges)         (PdStore *self, gint64 persona_id, GError **error);
  gint64     (*get_survivor)        (PdStore *self, gint64 id, GError **error);
  /* Orders and predicted products (issue 18) */
  gint64     (*add_order)           (PdStore *self, PdOrder *order, const PdActor *actor,
                                     GError **error);
  GPtrArray *(*list_orders)         (PdStore *self, gint64 persona_id, GError **error);
  PdPurchaseStats *(*get_purchase_stats) (PdStore *self, gint64 persona_id, GError **error);

  /* The HTTP API (issue 18, SQLite schema 15) */
  gboolean   (*create_api_token)    (PdStore *self, const char *name, const char *hash, PdApiTokenAccess access,
                                     const PdActor *actor, GError **error);
  GPtrArray *(*list_api_tokens)     (PdStore *self, GError **error);
  gboolean   (*revoke_api_token)    (PdStore *self, const char *name, const PdActor *actor, GError **error);
  PdApiToken *(*find_api_token)     (PdStore *self, const char *hash, GError **error);
  GPtrArray *(*list_updated_personas) (PdStore *self, gint64 since_us, gint64 after_id, guint limit,
                                     GError **error);
  GPtrArray *(*list_ledger_page)    (PdStore *self, gint64 since_us, gint64 after_id, guint limit,
                                     GError **error);


  /* Issue 17's import fixes: undo keeping later edits, the rows an import applied */
  GArray    *(*list_undo_blockers)  (PdStore *self, gint64 import_id, GError **error);
  gboolean   (*undo_import_keep_edited) (PdStore *self, const PdActor *actor, gint64 id,
                                     PdStoreProgressFunc progress, gpointer progress_data,
                                     guint *n_kept, GError **error);
  gboolean   (*import_write_row_hashes) (PdStore *self, gint64 import_id, const gint64 *hashes,
                                     guint n_hashes, GError **error);
  GArray    *(*count_rows_imported_before) (PdStore *self, const gint64 *hashes, guint n_hashes,
                                     guint *n_rows, GError **error);
  gint64     (*find_imported_row)   (PdStore *self, gint64 hash, GError **error);

  /* Issue 19: the batched import engine (its contract: pd-store-batch.h).
   * Each has a fallback that loops over the one-at-a-time call, so a
   * store overrides them for speed, never for correctness. */
  gboolean   (*find_personas)       (PdStore *self, PdFieldId key, const char *const *values,
                                     guint n_values, gint64 *ids, GError **error);
  GPtrArray *(*get_personas)        (PdStore *self, const gint64 *ids, guint n_ids,
                                     GError **error);
  gboolean   (*blocklist_contains_any) (PdStore *self, PdFieldId key, const char *const *values,
                                     guint n_values, gboolean *blocked, GError **error);
  gboolean   (*import_write_batch)  (PdStore *self, gint64 import_id, PdImportWrite *writes,
                                     guint n_writes, const char *points_reason,
                                     gboolean contacts_checked, GError **error);
  gboolean   (*import_write_results) (PdStore *self, gint64 import_id,
                                     const PdImportResultRecord *records, guint n_records,
                                     GError **error);

  /* Issue 19: an import waiting for another desk's (pd_store_set_wait_handler()) */
  void       (*set_wait_handler)    (PdStore *self, GCancellable *cancellable,
                                     PdStoreWaitFunc func, gpointer data);
};

/* "Ann Lee (ann@example.com), …": personas named in messages (shared by
 * the stores). */
char       *pd_store_describe_personas (PdStore              *self,
                                        const gint64         *ids,
                                        guint                 n_ids);

/* The app's and the CLI's default database, under the XDG data dir. */
char       *pd_store_dup_default_path  (void);
/* A postgresql:// URI opens PostgreSQL, anything else a SQLite file
 * (pd-store-open.c). */
PdStore    *pd_store_open              (const char           *db,
                                        GError              **error);
char       *pd_store_dup_display_name  (PdStore              *self);

PdStore    *pd_store_open_another      (PdStore              *self,
                                        GError              **error);
void        pd_store_set_lock_timeout  (PdStore              *self,
                                        guint                 ms);
guint       pd_store_count_personas    (PdStore              *self,
                                        const PdPersonaQuery *query,
                                        GError              **error);
GPtrArray  *pd_store_list_personas     (PdStore              *self,
                                        const PdPersonaQuery *query,
                                        guint                 offset,
                                        guint                 limit,
                                        GError              **error);
PdPersona  *pd_store_get_persona       (PdStore              *self,
                                        gint64                id,
                                        GError              **error);
gint64      pd_store_find_persona      (PdStore              *self,
                                        PdFieldId             key,
                                        const char           *value,
                                        GError              **error);
gboolean    pd_store_save_persona      (PdStore              *self,
                                        PdPersona            *persona,
                                        PdSource              source,
                                        GError              **error);
gboolean    pd_store_set_archived      (PdStore              *self,
                                        gint64                id,
                                        gboolean              archived,
                                        GError              **error);
gboolean    pd_store_adjust_points     (PdStore              *self,
                                        gint64                id,
                                        gint64                delta,
                                        const char           *reason,
                                        PdSource              source,
                                        GError              **error);
/* The rule of pd_points_check_adjustment() with the store's settings, the
 * ledger entry (who, when, why) and loyalty enrolment, in one transaction.
 * @balance: (out) (optional): the balance after it. */
gboolean    pd_store_adjust_points_as  (PdStore              *self,
                                        gint64                id,
                                        gint64                delta,
                                        const char           *reason,
                                        const PdActor        *actor,
                                        gint64               *balance,
                                        GError              **error);
GPtrArray  *pd_store_list_ledger       (PdStore              *self,
                                        gint64                id,
                                        GError              **error);
/* Every persona's ledger entries from @since_us (Unix µs; 0: all), oldest
 * first. */
GPtrArray  *pd_store_list_ledger_since (PdStore              *self,
                                        gint64                since_us,
                                        GError              **error);
gboolean    pd_store_get_loyalty_settings (PdStore           *self,
                                        PdLoyaltySettings    *settings,
                                        GError              **error);
gboolean    pd_store_set_loyalty_settings (PdStore           *self,
                                        const PdLoyaltySettings *settings,
                                        GError              **error);

/* SMS consent of one phone (E.164), whoever holds it: the active persona
 * with that number, else a consent-only contact that the persona later
 * created or imported with the number takes over.  Each follows
 * pd_sms_consent_request()/_confirm(): an explicit opt-out is never
 * undone.  A double opt-in queues a text in the outbox. */
gboolean    pd_store_sms_opt_in        (PdStore              *self,
                                        const char           *phone,
                                        PdSmsOptInMode        mode,
                                        const PdActor        *actor,
                                        PdConsentChange      *change,
                                        GError              **error);
/* The customer's YES to a double opt-in text. */
gboolean    pd_store_sms_confirm       (PdStore              *self,
                                        const char           *phone,
                                        const PdActor        *actor,
                                        PdConsentChange      *change,
                                        GError              **error);
/* The customer's STOP, or a request cancelled: an explicit opt-out. */
gboolean    pd_store_sms_decline       (PdStore              *self,
                                        const char           *phone,
                                        const PdActor        *actor,
                                        PdConsentChange      *change,
                                        GError              **error);
/* Email consent of one address (normalized), no double opt-in.  Opt-in
 * needs the active persona with the address (PD_ERROR_NOT_FOUND
 * otherwise) and follows pd_email_consent_request(): an address that
 * opted out is never opted in again.  Decline (the customer's
 * unsubscribe) is kept by address, for good, whether or not a persona
 * holds it; every later persona write with the address loses its email
 * opt-in.  @change's outbox_id and enrolled stay 0. */
gboolean    pd_store_email_opt_in      (PdStore              *self,
                                        const char           *email,
                                        const PdActor        *actor,
                                        PdConsentChange      *change,
                                        GError              **error);
gboolean    pd_store_email_decline     (PdStore              *self,
                                        const char           *email,
                                        const PdActor        *actor,
                                        PdConsentChange      *change,
                                        GError              **error);
/* Staff withdraw a pending request (pd_sms_consent_cancel()). */
gboolean    pd_store_sms_cancel        (PdStore              *self,
                                        const char           *phone,
                                        const PdActor        *actor,
                                        PdConsentChange      *change,
                                        GError              **error);
/* Pending requests older than the settings' expiry days (at @now_us; 0:
 * now) go back to not opted in. */
gboolean    pd_store_expire_sms_requests (PdStore            *self,
                                        gint64                now_us,
                                        guint                *expired,
                                        GError              **error);
/* (element-type PdOutboxMessage), oldest first */
GPtrArray  *pd_store_list_outbox       (PdStore              *self,
                                        gboolean              unsent_only,
                                        GError              **error);
/* Fails with PD_ERROR_NOT_FOUND, marking nothing, when an id is unknown. */
gboolean    pd_store_mark_outbox_sent  (PdStore              *self,
                                        const gint64         *ids,
                                        guint                 n_ids,
                                        GError              **error);
/* Source IDs: a persona's IDs in integrations (a POS's customer number),
 * one per source, unique per source.  @source_id NULL removes it.  Check
 * names and IDs with pd_source_id_check() first. */
gboolean    pd_store_set_source_id     (PdStore              *self,
                                        gint64                id,
                                        const char           *source,
                                        const char           *source_id,
                                        GError              **error);
/* (element-type utf8): "source:ID", by source */
GPtrArray  *pd_store_list_source_ids   (PdStore              *self,
                                        gint64                id,
                                        GError              **error);
/* The persona holding @source_id in @source, or 0 (archived ones too). */
gint64      pd_store_find_by_source_id (PdStore              *self,
                                        const char           *source,
                                        const char           *source_id,
                                        GError              **error);
/* @key: PD_FIELD_PHONE (E.164) or PD_FIELD_EMAIL (normalized) */
gboolean    pd_store_get_loyalty_status (PdStore             *self,
                                        PdFieldId             key,
                                        const char           *value,
                                        PdLoyaltyStatus      *status,
                                        GError              **error);
/* Double opt-in requests waiting for the customer's YES: active personas
 * and numbers without a persona yet. */
guint       pd_store_count_pending_sms  (PdStore             *self,
                                        GError              **error);
GPtrArray  *pd_store_list_signup_sources (PdStore            *self,
                                        GError              **error);

/* Imports (added by the store helper): writing one, the history, undo,
 * presets: pd-store-import.h, which this header includes. */

/* Privacy (issue 16).  The blocklist keeps keyed hashes of contacts only
 * (pd_privacy_contact_hash()); its contents are never listed.  A persona
 * holding a blocklisted email or phone is blocklisted too: hidden from
 * every list, search, count, export, audience and status answer. */
/* @key: PD_FIELD_EMAIL (normalized) or PD_FIELD_PHONE (E.164).  A store
 * without a blocklist answers FALSE. */
gboolean      pd_store_blocklist_contains (PdStore             *self,
                                          PdFieldId             key,
                                          const char           *value,
                                          gboolean             *blocked,
                                          GError              **error);
/* Owner only (PD_PERMISSION_BLOCKLIST).  Either @persona_id (its every
 * email and phone) or @key and @value.  @n_personas: (out) (optional):
 * how many personas were hidden (or shown again). */
gboolean      pd_store_blocklist_add     (PdStore              *self,
                                          const PdActor        *actor,
                                          gint64                persona_id,
                                          PdFieldId             key,
                                          const char           *value,
                                          guint                *n_personas,
                                          GError              **error);
gboolean      pd_store_blocklist_remove  (PdStore              *self,
                                          const PdActor        *actor,
                                          gint64                persona_id,
                                          PdFieldId             key,
                                          const char           *value,
                                          guint                *n_personas,
                                          GError              **error);
/* Owner only (PD_PERMISSION_FORGET): erases the personas holding any of
 * the request's contacts and every copy of their data, and blocklists
 * every contact they had.  Use pd_privacy_forget() (the import layer),
 * which rewrites the kept files of every format. */
gboolean      pd_store_forget            (PdStore              *self,
                                          const PdActor        *actor,
                                          const PdForgetRequest *request,
                                          PdForgetResult       *result,
                                          GError              **error);
/* Orders (issue 18).  add_order checks pd_order_check(), the actor
 * (PD_PERMISSION_ADJUST_POINTS: an order earns points), that the persona
 * is active and not blocklisted and that no order of the same store has
 * the number (PD_ERROR_CONFLICT); stores it with its items, the points of
 * the settings' earning rule (pd_order_points(); a ledger entry "Order N"
 * when not 0) and an audit entry, in one transaction.  Returns the new
 * order's id and fills @order's id, persona_id (a merged-away persona's
 * survivor) and points; 0 with @error set. */
gint64      pd_store_add_order         (PdStore              *self,
                                        PdOrder              *order,
                                        const PdActor        *actor,
                                        GError              **error);
/* (element-type PdOrder) (transfer full): newest first, with items. */
GPtrArray  *pd_store_list_orders       (PdStore              *self,
                                        gint64                persona_id,
                                        GError              **error);
/* The counts pd_predict_products() scores (transfer full). */
PdPurchaseStats *pd_store_get_purchase_stats (PdStore        *self,
                                        gint64                persona_id,
                                        GError              **error);
/* The HTTP API (issue 18).  Tokens: the Owner's (PD_PERMISSION_MANAGE_TOKENS),
 * recorded in the audit log.  create makes a random token, keeps its
 * SHA-256 under @name and returns the token itself in @token, the only
 * time anyone sees it; PD_ERROR_CONFLICT when @name exists. */
gboolean    pd_store_create_api_token  (PdStore              *self,
                                        const char           *name,
                                        PdApiTokenAccess      access,
                                        const PdActor        *actor,
                                        char                **token,
                                        GError              **error);
/* (element-type PdApiToken), by name */
GPtrArray  *pd_store_list_api_tokens   (PdStore              *self,
                                        GError              **error);
/* PD_ERROR_NOT_FOUND when no token has @name. */
gboolean    pd_store_revoke_api_token  (PdStore              *self,
                                        const char           *name,
                                        const PdActor        *actor,
                                        GError              **error);
/* The token that @token is, or NULL (no error) when none is. */
PdApiToken *pd_store_find_api_token    (PdStore              *self,
                                        const char           *token,
                                        GError              **error);
/* Active personas (the list's view) written at or after @since_us (Unix
 * µs), or not written since change times were kept (SQLite schema 15:
 * their time is unknown, so they are in), in ID order after @after_id:
 * at most @limit, (element-type PdPersona). */
GPtrArray  *pd_store_list_updated_personas (PdStore          *self,
                                        gint64                since_us,
                                        gint64                after_id,
                                        guint                 limit,
                                        GError              **error);
/* pd_store_list_ledger_since() a page at a time: the entries from
 * @since_us whose id is above @after_id, oldest first, at most @limit. */
GPtrArray  *pd_store_list_ledger_page  (PdStore              *self,
                                        gint64                since_us,
                                        gint64                after_id,
                                        guint                 limit,
                                        GError              **error);

/* Issue 17.  The personas that block undoing import @import_id (changed
 * after it, or merged into one it created), by id; an undo that keeps
 * them as they are and undoes the rest of the import, in one transaction
 * (status "partly undone" when it kept any; @n_kept: how many). */
GArray       *pd_store_list_undo_blockers (PdStore             *self,
                                          gint64                import_id,
                                          GError              **error);
gboolean      pd_store_undo_import_keep_edited (PdStore        *self,
                                          const PdActor        *actor,
                                          gint64                id,
                                          PdStoreProgressFunc   progress,
                                          gpointer              progress_data,
                                          guint                *n_kept,
                                          GError              **error);
/* Fingerprints of rows that applied points (see pd-same-rows.h), sorted
 * and distinct.  During import @import_id, before it finishes: its rows'.
 * Counting: how many of @hashes completed imports applied (@n_rows), and
 * by which (PdRowsImportedBefore, an import's rows counted once each).
 * The newest completed import that applied a row with @hash, or 0 (-1
 * with @error). */
typedef struct {
  gint64 import_id;
  guint  n_rows;
} PdRowsImportedBefore;

gboolean      pd_store_import_write_row_hashes (PdStore        *self,
                                          gint64                import_id,
                                          const gint64         *hashes,
                                          guint                 n_hashes,
                                          GError              **error);
GArray       *pd_store_count_rows_imported_before (PdStore     *self,
                                          const gint64         *hashes,
                                          guint                 n_hashes,
                                          guint                *n_rows,
                                          GError              **error);
gint64        pd_store_find_imported_row (PdStore              *self,
                                          gint64                hash,
                                          GError              **error);

/* Issue 19, several desks at once.  An import (or dry run) on a shared
 * database waits for another desk's import to commit rather than fail
 * after the lock timeout: @func is called on the waiting thread with TRUE
 * when such a wait begins and FALSE when it ends; cancelling @cancellable
 * ends the wait with G_IO_ERROR_CANCELLED.  Without a handler (NULL
 * @func) the wait is bounded by the lock timeout (PD_ERROR_BUSY).  A
 * store whose imports never wait for each other (SQLite) ignores it. */
void          pd_store_set_wait_handler  (PdStore              *self,
                                          GCancellable         *cancellable,
                                          PdStoreWaitFunc       func,
                                          gpointer              data);

G_END_DECLS

/* after the declarations above: it takes PdStore, PdImportInfo… */
#include "pd-store-import.h"
