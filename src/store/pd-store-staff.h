/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-permission.h"
#include "pd-store.h"

G_BEGIN_DECLS

/* Staff accounts, roles and the audit log (issue 16), on the PdStore
 * interface.  Every write here takes the PdActor who makes it: the store
 * checks its role (pd_actor_check(), PD_ERROR_PERMISSION) before anything
 * else and records the write in the audit log inside the write's own
 * transaction.  The older entry points without an actor (pd-store.h) act
 * as the Owner, as a single user on their own machine always did.
 *
 * A store without these vfuncs (both stores have them): the _as writes still
 * check the role and then run the older entry point, without an audit
 * entry; accounts and the audit log answer "not supported". */

/* A staff account.  The password hash never leaves the store. */
typedef struct _PdAccount {
  gint64     id;
  char      *name;
  PdRole     role;
  gboolean   disabled;
  GDateTime *created;
} PdAccount;

#define PD_TYPE_ACCOUNT (pd_account_get_type ())
GType      pd_account_get_type (void) G_GNUC_CONST;
PdAccount *pd_account_copy     (const PdAccount *account);
void       pd_account_free     (PdAccount       *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdAccount, pd_account_free)

/* What pd_store_update_account() changes: set_role, a new password
 * (nullable: keep), disabled -1 (keep), 0 or 1. */
typedef struct _PdAccountUpdate {
  gboolean    set_role;
  PdRole      role;
  const char *password;
  int         disabled;
} PdAccountUpdate;

#define PD_ACCOUNT_UPDATE_INIT { FALSE, PD_ROLE_OWNER, NULL, -1 }

/* Off by default.  When on, the app asks who is working and locks after
 * @lock_minutes idle (0: never); the CLI's writes need --user. */
typedef struct _PdStaffSettings {
  gboolean enabled;
  guint    lock_minutes;
} PdStaffSettings;

#define PD_STAFF_DEFAULT_LOCK_MINUTES 5

/* One write, as the audit log keeps it. */
typedef struct {
  gint64     id;
  GDateTime *at;
  char      *who;          /* nullable: an Owner without a name */
  PdRole     role;
  PdSource   source;
  char      *action;       /* "persona.edit", "points.adjust", "account.add", … */
  gint64     persona_id;   /* 0: none */
  char      *detail;       /* nullable: a JSON object, what changed */
} PdAuditEntry;

#define PD_TYPE_AUDIT_ENTRY (pd_audit_entry_get_type ())
GType         pd_audit_entry_get_type (void) G_GNUC_CONST;
PdAuditEntry *pd_audit_entry_copy     (const PdAuditEntry *entry);
void          pd_audit_entry_free     (PdAuditEntry       *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdAuditEntry, pd_audit_entry_free)

/* The actor a signed-in @account acts as (borrows its name). */
PdActor     pd_account_to_actor           (const PdAccount       *account,
                                           PdSource               source);

/* ---- the writes of pd-store.h, with the actor who makes them ---------- */

/* EDIT.  Audited as "persona.create" or "persona.edit" with each changed
 * field's old and new value (attributes, overrides and source IDs too). */
gboolean    pd_store_save_persona_as      (PdStore               *self,
                                           PdPersona             *persona,
                                           const PdActor         *actor,
                                           GError               **error);
/* EDIT.  "persona.archive" / "persona.restore". */
gboolean    pd_store_set_archived_as      (PdStore               *self,
                                           gint64                 id,
                                           gboolean               archived,
                                           const PdActor         *actor,
                                           GError               **error);
/* MANAGE_ACCOUNTS.  "settings.loyalty". */
gboolean    pd_store_set_loyalty_settings_as (PdStore            *self,
                                           const PdLoyaltySettings *settings,
                                           const PdActor         *actor,
                                           GError               **error);
/* EDIT.  "outbox.sent". */
gboolean    pd_store_mark_outbox_sent_as  (PdStore               *self,
                                           const gint64          *ids,
                                           guint                  n_ids,
                                           const PdActor         *actor,
                                           GError               **error);
/* EDIT.  "persona.edit" of the source:NAME attribute. */
gboolean    pd_store_set_source_id_as     (PdStore               *self,
                                           gint64                 id,
                                           const char            *source,
                                           const char            *source_id,
                                           const PdActor         *actor,
                                           GError               **error);
/* IMPORT, checked before anything is written.  The history's "who" is
 * @actor's name when it has one (the staff member when accounts are on). */
gint64      pd_store_begin_import_as      (PdStore               *self,
                                           PdImportInfo          *info,
                                           const char            *file_path,
                                           const PdActor         *actor,
                                           GError               **error);
/* UNDO_IMPORT.  "import.delete" / "import.undo". */
gboolean    pd_store_delete_import_as     (PdStore               *self,
                                           gint64                 id,
                                           const PdActor         *actor,
                                           GError               **error);
gboolean    pd_store_undo_import_as       (PdStore               *self,
                                           gint64                 id,
                                           PdStoreProgressFunc    progress,
                                           gpointer               progress_data,
                                           const PdActor         *actor,
                                           GError               **error);
/* EDIT.  "consent.sms-audience".  Returns how many were marked, or -1. */
gint        pd_store_request_import_sms_opt_in_as (PdStore       *self,
                                           gint64                 import_id,
                                           const PdActor         *actor,
                                           PdSmsOptInCounts      *counts,
                                           GError               **error);

/* ---- accounts ---------------------------------------------------------- */

/* (element-type PdAccount), by name */
GPtrArray  *pd_store_list_accounts        (PdStore               *self,
                                           GError               **error);
/* MANAGE_ACCOUNTS.  @name: 1 to 64 characters, unique (case-insensitive);
 * @password: at least 4 characters (a PIN).  Returns the new id, or 0. */
gint64      pd_store_add_account          (PdStore               *self,
                                           const char            *name,
                                           PdRole                 role,
                                           const char            *password,
                                           const PdActor         *actor,
                                           GError               **error);
/* MANAGE_ACCOUNTS.  While staff accounts are on, the last enabled Owner
 * account can be neither disabled nor given another role. */
gboolean    pd_store_update_account       (PdStore               *self,
                                           const char            *name,
                                           const PdAccountUpdate *update,
                                           const PdActor         *actor,
                                           GError               **error);
/* Checks @password against the account's hash in constant time.  Returns
 * (transfer full) the account, or NULL with PD_ERROR_PERMISSION when the
 * name is unknown, the password wrong or the account disabled (one
 * message for all three: no guessing of names). */
PdAccount  *pd_store_verify_account       (PdStore               *self,
                                           const char            *name,
                                           const char            *password,
                                           GError               **error);
gboolean    pd_store_get_staff_settings   (PdStore               *self,
                                           PdStaffSettings       *settings,
                                           GError               **error);
/* MANAGE_ACCOUNTS.  Turning accounts on needs an enabled Owner account
 * (PD_ERROR_CONFLICT otherwise).  "settings.staff-accounts". */
gboolean    pd_store_set_staff_settings   (PdStore               *self,
                                           const PdStaffSettings *settings,
                                           const PdActor         *actor,
                                           GError               **error);

/* ---- the audit log ----------------------------------------------------- */

/* READ_AUDIT.  (element-type PdAuditEntry): entries from @since_us (Unix
 * µs; 0: all), newest first, @limit (0: all) from @offset. */
GPtrArray  *pd_store_list_audit           (PdStore               *self,
                                           gint64                 since_us,
                                           guint                  offset,
                                           guint                  limit,
                                           const PdActor         *actor,
                                           GError               **error);

G_END_DECLS
