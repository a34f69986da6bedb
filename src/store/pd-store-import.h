/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Included by pd-store.h (at its end), so every caller of the store sees
 * these; the import types (PdImportInfo, PdImportResultRecord…) are
 * pd-store.h's, since the interface's vfuncs take them.  The batched
 * engine's calls are pd-store-batch.h's, issue 17's undo and row hashes
 * still at the end of pd-store.h. */
#include "pd-store.h"

G_BEGIN_DECLS

/* Imports (added by the store helper).  An import runs on its own
 * connection: begin_import opens one transaction for the whole import and
 * records it; import_write writes one persona (its undo record first);
 * finish_import commits; abort_import rolls everything back and records
 * the cancelled or failed attempt.  A crash before finish_import leaves the
 * database as it was. */
gint64        pd_store_begin_import      (PdStore              *self,
                                          PdImportInfo         *info,
                                          const char           *file_path,
                                          GError              **error);
gboolean      pd_store_import_write      (PdStore              *self,
                                          gint64                import_id,
                                          PdPersona            *persona,
                                          PdPersona            *before,
                                          const char           *points_reason,
                                          GError              **error);
gboolean      pd_store_import_write_full (PdStore              *self,
                                          gint64                import_id,
                                          PdPersona            *persona,
                                          PdPersona            *before,
                                          const char           *points_reason,
                                          gboolean              contacts_checked,
                                          GError              **error);
gboolean      pd_store_finish_import     (PdStore              *self,
                                          PdImportInfo         *info,
                                          GError              **error);
void          pd_store_abort_import      (PdStore              *self,
                                          PdImportInfo         *info);
/* A dry run: begin_import with a NULL file_path (no copy kept), the
 * writes, then discard_import, which rolls everything back and records
 * nothing (no history entry). */
void          pd_store_discard_import    (PdStore              *self,
                                          PdImportInfo         *info);
/* Inside the import's transaction (between begin_import and
 * finish_import): one row's result, kept with the import. */
gboolean      pd_store_import_write_result (PdStore                    *self,
                                          gint64                      import_id,
                                          const PdImportResultRecord *record,
                                          GError                    **error);
/* The kept results of import @import_id, in row order (the header first). */
gboolean      pd_store_foreach_import_result (PdStore              *self,
                                          gint64                import_id,
                                          PdImportResultFunc    func,
                                          gpointer              user_data,
                                          GError              **error);
/* Double opt-in for import @import_id's personas, in one transaction:
 * marks their SMS consent pending, skipping explicit opt-outs, personas
 * already opted in (or pending) and those without a phone.  Not a change
 * that blocks undoing the import.  Returns how many were marked, or -1
 * with @error. */
gint          pd_store_request_import_sms_opt_in (PdStore          *self,
                                          gint64                import_id,
                                          PdSmsOptInCounts     *counts,
                                          GError              **error);
GPtrArray    *pd_store_list_imports      (PdStore              *self,
                                          GError              **error);
PdImportInfo *pd_store_get_import        (PdStore              *self,
                                          gint64                id,
                                          GError              **error);
gboolean      pd_store_write_import_file (PdStore              *self,
                                          gint64                id,
                                          GOutputStream        *out,
                                          GCancellable         *cancellable,
                                          GError              **error);
GArray       *pd_store_list_audience     (PdStore              *self,
                                          gint64                import_id,
                                          GError              **error);
gboolean      pd_store_delete_import     (PdStore              *self,
                                          gint64                id,
                                          GError              **error);
gboolean      pd_store_undo_import       (PdStore              *self,
                                          gint64                id,
                                          GError              **error);
gboolean      pd_store_undo_import_with_progress (PdStore            *self,
                                          gint64                id,
                                          PdStoreProgressFunc   progress,
                                          gpointer              progress_data,
                                          GError              **error);
gboolean      pd_store_save_preset       (PdStore              *self,
                                          const char           *signature,
                                          const char           *mapping_json,
                                          GError              **error);
char         *pd_store_lookup_preset     (PdStore              *self,
                                          const char           *signature,
                                          GError              **error);
GArray       *pd_store_list_persona_imports (PdStore           *self,
                                          gint64                persona_id,
                                          GError              **error);
/* The newest completed (not undone) import whose kept file has this
 * SHA-256 (lower-case hex), or NULL, with no error when there is none.
 * The store hashes each file as begin_import keeps it. */
PdImportInfo *pd_store_find_import_by_sha256 (PdStore          *self,
                                          const char           *sha256,
                                          GError              **error);

G_END_DECLS
