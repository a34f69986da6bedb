/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-store.h"

G_BEGIN_DECLS

/* The batched import engine (issue 19).  An import hands the store
 * thousands of records at a time: one look-up per batch and key, the
 * matched personas loaded in one go, the merge rules applied in C, and
 * the writes handed back in one call.
 *
 * pd_store_find_personas(): @ids[i] is what pd_store_find_persona()
 * answers for @values[i] (0: none), for every i, in one statement where
 * the store can.  pd_store_get_personas(): the personas of @ids, in that
 * order, NULL where there is none.  pd_store_blocklist_contains_any():
 * whether any of @values is blocklisted. */
gboolean      pd_store_find_personas     (PdStore              *self,
                                          PdFieldId             key,
                                          const char *const    *values,
                                          guint                 n_values,
                                          gint64               *ids,
                                          GError              **error);
GPtrArray    *pd_store_get_personas      (PdStore              *self,
                                          const gint64         *ids,
                                          guint                 n_ids,
                                          GError              **error);
gboolean      pd_store_blocklist_contains_any (PdStore         *self,
                                          PdFieldId             key,
                                          const char *const    *values,
                                          guint                 n_values,
                                          gboolean             *blocked,
                                          GError              **error);
/* Writes @n_writes personas within the import, as pd_store_import_write_full()
 * would one after the other, in whatever order the store writes fastest.
 * The caller hands distinct personas that share no email, phone or source
 * ID with each other.  A persona the rules refuse (a source ID another
 * persona holds, an invalid value) gets its @error and nothing of it is
 * written; the others are.  Returns FALSE with PD_ERROR_STORE or
 * PD_ERROR_BUSY when the import must stop, or with PD_ERROR_RACE when
 * another desk committed a persona with one of the batch's contacts since
 * the caller looked them up: then nothing of the batch was written (no
 * ids assigned, the import goes on) and the caller looks the batch's keys
 * up again and applies its rows once more against the winner.  Only a
 * store shared between desks answers PD_ERROR_RACE.  (Added for the
 * PostgreSQL store: it also answers it, the same way, when another desk
 * changed or merged one of the batch's personas after
 * pd_store_get_personas() read it, instead of writing over that change.) */
gboolean      pd_store_import_write_batch (PdStore             *self,
                                          gint64                import_id,
                                          PdImportWrite        *writes,
                                          guint                 n_writes,
                                          const char           *points_reason,
                                          gboolean              contacts_checked,
                                          GError              **error);
void          pd_import_write_clear      (PdImportWrite        *write);
/* pd_store_import_write_result() for @n_records rows at once (one
 * statement where the store can). */
gboolean      pd_store_import_write_results (PdStore           *self,
                                          gint64                      import_id,
                                          const PdImportResultRecord *records,
                                          guint                       n_records,
                                          GError                    **error);
G_END_DECLS
