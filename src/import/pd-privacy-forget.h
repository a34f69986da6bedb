/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-store.h"

G_BEGIN_DECLS

/**
 * pd_privacy_forget:
 * @emails: (nullable): normalized addresses, NULL-terminated
 * @phones: (nullable): E.164 numbers, NULL-terminated
 * @dry_run: only count the personas concerned (@result->personas)
 *
 * A data-deletion request (issue 16), for the app and the CLI alike:
 * pd_store_forget() with the rows of the person taken out of every kept
 * import file, whatever its format (read by the import's readers; a file
 * other than CSV/TXT is kept as a CSV of its other rows).
 */
gboolean  pd_privacy_forget  (PdStore             *store,
                              const PdActor       *actor,
                              const char * const  *emails,
                              const char * const  *phones,
                              gboolean             dry_run,
                              PdForgetResult      *result,
                              GError             **error);

/* After import @import_id committed: the rows it refused as blocklisted
 * (@refused's contacts) taken out of its kept file, the log checkpointed. */
gboolean  pd_privacy_remove_refused_rows (PdStore                 *store,
                                          gint64                   import_id,
                                          const PdPrivacyTargets  *refused,
                                          GError                 **error);

/* The kept file @data without the rows holding a target (exposed for
 * the tests): @removed rows taken out, @new_data a CSV, NULL when none. */
gboolean  pd_privacy_rewrite_file (const char              *file_name,
                                   GBytes                  *data,
                                   const PdPrivacyTargets  *targets,
                                   GBytes                 **new_data,
                                   char                   **new_name,
                                   guint                   *removed,
                                   gpointer                 user_data,
                                   GError                 **error);

G_END_DECLS
