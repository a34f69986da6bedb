/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdStore's dispatchers for imports: the history, its files, results and
 * audiences, undo (whole or keeping later edits), the rows an import
 * applied, and the naming of personas in their messages. */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-store.h"
#include "pd-store-private.h"

G_DEFINE_BOXED_TYPE (PdImportInfo, pd_import_info, pd_import_info_copy, pd_import_info_free)

PdImportInfo *
pd_import_info_new (void)
{
  return g_new0 (PdImportInfo, 1);
}

PdImportInfo *
pd_import_info_copy (const PdImportInfo *info)
{
  PdImportInfo *copy = g_new (PdImportInfo, 1);

  *copy = *info;
  copy->name = g_strdup (info->name);
  copy->user = g_strdup (info->user);
  copy->file_name = g_strdup (info->file_name);
  copy->started = info->started != NULL ? g_date_time_ref (info->started) : NULL;
  copy->mapping_json = g_strdup (info->mapping_json);
  copy->options_json = g_strdup (info->options_json);
  copy->error = g_strdup (info->error);
  return copy;
}

void
pd_import_info_free (PdImportInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->user);
  g_free (info->file_name);
  g_clear_pointer (&info->started, g_date_time_unref);
  g_free (info->mapping_json);
  g_free (info->options_json);
  g_free (info->error);
  g_free (info);
}

/* The stored (and JSON) names of the statuses: not translated. */
const char *
pd_import_status_to_string (PdImportStatus status)
{
  static const char * const names[] = {
    "pending", "in progress", "completed", "failed", "cancelled", "undone", "partly undone",
  };

  if ((guint) status >= G_N_ELEMENTS (names))
    return "failed";
  return names[status];
}


/**
 * pd_store_begin_import:
 * @info: name, user, file name, mapping and options; id, started and status
 *   are set
 * @file_path: (nullable): the file, stored for a byte-identical download;
 *   NULL for a dry run (see pd_store_discard_import())
 *
 * Returns: the import id, or 0 with @error
 */
gint64
pd_store_begin_import (PdStore       *self,
                       PdImportInfo  *info,
                       const char    *file_path,
                       GError       **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), 0);
  CHECK_VFUNC (self, begin_import, error, 0);
  return IFACE (self)->begin_import (self, info, file_path, error);
}

/* pd_store_import_write_full() with the contacts looked up again. */
gboolean
pd_store_import_write (PdStore     *self,
                       gint64       import_id,
                       PdPersona   *persona,
                       PdPersona   *before,
                       const char  *points_reason,
                       GError     **error)
{
  return pd_store_import_write_full (self, import_id, persona, before, points_reason, FALSE, error);
}

/**
 * pd_store_import_write_full:
 * @before: (nullable): the persona as loaded before the row changed it; NULL
 *   for a persona the import creates
 * @contacts_checked: the caller looked every email and phone of @persona up
 *   (as the matcher does with --match email,phone) and found no other
 *   persona: the store need not look them up again
 *
 * Writes one persona within the import.  On failure nothing of this
 * persona is written and the import goes on.
 */
gboolean
pd_store_import_write_full (PdStore     *self,
                            gint64       import_id,
                            PdPersona   *persona,
                            PdPersona   *before,
                            const char  *points_reason,
                            gboolean     contacts_checked,
                            GError     **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  CHECK_VFUNC (self, import_write, error, FALSE);
  return IFACE (self)->import_write (self, import_id, persona, before, points_reason, contacts_checked, error);
}

gboolean
pd_store_finish_import (PdStore       *self,
                        PdImportInfo  *info,
                        GError       **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  CHECK_VFUNC (self, finish_import, error, FALSE);
  return IFACE (self)->finish_import (self, info, error);
}

void
pd_store_abort_import (PdStore      *self,
                       PdImportInfo *info)
{
  g_return_if_fail (PD_IS_STORE (self));
  if (IFACE (self)->abort_import != NULL)
    IFACE (self)->abort_import (self, info);
}

void
pd_store_discard_import (PdStore      *self,
                         PdImportInfo *info)
{
  g_return_if_fail (PD_IS_STORE (self));
  if (IFACE (self)->discard_import != NULL)
    IFACE (self)->discard_import (self, info);
}

gboolean
pd_store_import_write_result (PdStore                    *self,
                              gint64                      import_id,
                              const PdImportResultRecord *record,
                              GError                    **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  CHECK_VFUNC (self, import_write_result, error, FALSE);
  return IFACE (self)->import_write_result (self, import_id, record, error);
}

/**
 * pd_store_foreach_import_result:
 * @func: (scope call): called for each kept row, the header (row 0) first
 */
gboolean
pd_store_foreach_import_result (PdStore             *self,
                                gint64               import_id,
                                PdImportResultFunc   func,
                                gpointer             user_data,
                                GError             **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  CHECK_VFUNC (self, foreach_import_result, error, FALSE);
  return IFACE (self)->foreach_import_result (self, import_id, func, user_data, error);
}

/**
 * pd_store_request_import_sms_opt_in:
 * @counts: (out) (optional): what was marked and skipped
 */
gint
pd_store_request_import_sms_opt_in (PdStore           *self,
                                    gint64             import_id,
                                    PdSmsOptInCounts  *counts,
                                    GError           **error)
{
  PdSmsOptInCounts local = { 0 };

  g_return_val_if_fail (PD_IS_STORE (self), -1);
  CHECK_VFUNC (self, request_import_sms_opt_in, error, -1);
  if (!IFACE (self)->request_import_sms_opt_in (self, import_id, &local, error))
    return -1;
  if (counts != NULL)
    *counts = local;
  return local.marked;
}

/**
 * pd_store_list_imports:
 *
 * Returns: (transfer full) (element-type PdImportInfo): newest first
 */
GPtrArray *
pd_store_list_imports (PdStore  *self,
                       GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  CHECK_VFUNC (self, list_imports, error, NULL);
  return IFACE (self)->list_imports (self, error);
}

/**
 * pd_store_get_import:
 *
 * Returns: (transfer full) (nullable): the import, or NULL with PD_ERROR_NOT_FOUND
 */
PdImportInfo *
pd_store_get_import (PdStore  *self,
                     gint64    id,
                     GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  CHECK_VFUNC (self, get_import, error, NULL);
  return IFACE (self)->get_import (self, id, error);
}

/* Writes the original file, byte for byte, to @out. */
gboolean
pd_store_write_import_file (PdStore        *self,
                            gint64          id,
                            GOutputStream  *out,
                            GCancellable   *cancellable,
                            GError        **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  CHECK_VFUNC (self, write_import_file, error, FALSE);
  return IFACE (self)->write_import_file (self, id, out, cancellable, error);
}

/**
 * pd_store_list_audience:
 *
 * Returns: (transfer full) (element-type gint64): the ids of the personas
 *   the import touched, ascending
 */
GArray *
pd_store_list_audience (PdStore  *self,
                        gint64    import_id,
                        GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  CHECK_VFUNC (self, list_audience, error, NULL);
  return IFACE (self)->list_audience (self, import_id, error);
}

/* Removes the record and the stored file; the personas stay. */
gboolean
pd_store_delete_import (PdStore  *self,
                        gint64    id,
                        GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  CHECK_VFUNC (self, delete_import, error, FALSE);
  return IFACE (self)->delete_import (self, id, error);
}

/* Reverts a completed import; PD_ERROR_CONFLICT naming the personas that
 * later changes touched. */
gboolean
pd_store_undo_import (PdStore  *self,
                      gint64    id,
                      GError  **error)
{
  return pd_store_undo_import_with_progress (self, id, NULL, NULL, error);
}

/**
 * pd_store_undo_import_with_progress:
 * @progress: (nullable): told how far the undo is, now and then, on the
 *   calling thread (an undo of a million rows takes seconds)
 */
gboolean
pd_store_undo_import_with_progress (PdStore              *self,
                                    gint64                id,
                                    PdStoreProgressFunc   progress,
                                    gpointer              progress_data,
                                    GError              **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  CHECK_VFUNC (self, undo_import, error, FALSE);
  return IFACE (self)->undo_import (self, id, progress, progress_data, error);
}

/* Remembers a mapping (JSON) for files whose header row has @signature. */
gboolean
pd_store_save_preset (PdStore     *self,
                      const char  *signature,
                      const char  *mapping_json,
                      GError     **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  CHECK_VFUNC (self, save_preset, error, FALSE);
  return IFACE (self)->save_preset (self, signature, mapping_json, error);
}

/**
 * pd_store_lookup_preset:
 *
 * Returns: (transfer full) (nullable): the mapping JSON, or NULL (with
 *   @error unset) when none is remembered
 */
char *
pd_store_lookup_preset (PdStore     *self,
                        const char  *signature,
                        GError     **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  CHECK_VFUNC (self, lookup_preset, error, NULL);
  return IFACE (self)->lookup_preset (self, signature, error);
}

/**
 * pd_store_list_persona_imports:
 *
 * Returns: (transfer full) (element-type gint64): the imports that touched
 *   the persona, newest first
 */
GArray *
pd_store_list_persona_imports (PdStore  *self,
                               gint64    persona_id,
                               GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  CHECK_VFUNC (self, list_persona_imports, error, NULL);
  return IFACE (self)->list_persona_imports (self, persona_id, error);
}

/**
 * pd_store_list_undo_blockers:
 *
 * Returns: (transfer full) (element-type gint64): the personas that block
 *   a full undo of import @import_id, in id order
 */
GArray *
pd_store_list_undo_blockers (PdStore  *self,
                             gint64    import_id,
                             GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  CHECK_VFUNC (self, list_undo_blockers, error, NULL);
  return IFACE (self)->list_undo_blockers (self, import_id, error);
}

/**
 * pd_store_undo_import_keep_edited:
 * @progress: (nullable): as pd_store_undo_import_with_progress()
 * @n_kept: (out): how many personas were kept as they are
 *
 * Undoes every row of import @id but those of the personas changed after
 * it, which stay exactly as they are now (with the import's points).
 */
gboolean
pd_store_undo_import_keep_edited (PdStore              *self,
                                  const PdActor        *actor,
                                  gint64                id,
                                  PdStoreProgressFunc   progress,
                                  gpointer              progress_data,
                                  guint                *n_kept,
                                  GError              **error)
{
  guint kept = 0;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  CHECK_VFUNC (self, undo_import_keep_edited, error, FALSE);
  return IFACE (self)->undo_import_keep_edited (self, actor, id, progress, progress_data,
                                                n_kept != NULL ? n_kept : &kept, error);
}

gboolean
pd_store_import_write_row_hashes (PdStore       *self,
                                  gint64         import_id,
                                  const gint64  *hashes,
                                  guint          n_hashes,
                                  GError       **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  /* a store that keeps no fingerprints (PostgreSQL, for now) imports as before */
  if (IFACE (self)->import_write_row_hashes == NULL || n_hashes == 0)
    return TRUE;
  return IFACE (self)->import_write_row_hashes (self, import_id, hashes, n_hashes, error);
}

/**
 * pd_store_count_rows_imported_before:
 * @hashes: (array length=n_hashes): sorted, distinct
 * @n_rows: (out): how many of them completed imports applied
 *
 * Returns: (transfer full) (element-type PdRowsImportedBefore): by import,
 *   or NULL with @error
 */
GArray *
pd_store_count_rows_imported_before (PdStore       *self,
                                     const gint64  *hashes,
                                     guint          n_hashes,
                                     guint         *n_rows,
                                     GError       **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  *n_rows = 0;
  if (IFACE (self)->count_rows_imported_before == NULL || n_hashes == 0)
    return g_array_new (FALSE, FALSE, sizeof (PdRowsImportedBefore));
  return IFACE (self)->count_rows_imported_before (self, hashes, n_hashes, n_rows, error);
}

gint64
pd_store_find_imported_row (PdStore  *self,
                            gint64    hash,
                            GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), -1);
  if (IFACE (self)->find_imported_row == NULL)
    return 0;
  return IFACE (self)->find_imported_row (self, hash, error);
}

/* "Ann Lee (ann@example.com)", or what is left to name a persona by. */
static char *
describe_persona (PdStore *self,
                  gint64   persona_id)
{
  g_autoptr(PdPersona) persona = pd_store_get_persona (self, persona_id, NULL);
  g_autofree char *name = NULL;
  const char *contact;

  if (persona == NULL)
    /* TRANSLATORS: a persona removed since (erased, merged away) */
    return g_strdup_printf (_("a persona since removed (ID %" PRId64 ")"), persona_id);
  name = pd_persona_dup_display_name (persona);
  contact = pd_persona_get_primary_email (persona);
  if (contact == NULL)
    contact = pd_persona_get_primary_phone (persona);
  if (contact == NULL || g_strcmp0 (contact, name) == 0)
    return g_steal_pointer (&name);
  /* TRANSLATORS: a persona's name and its email (or phone) */
  return g_strdup_printf (_("%s (%s)"), name, contact);
}

/**
 * pd_store_describe_personas:
 *
 * Returns: (transfer full): "Ann Lee (ann@example.com), Bob (+1…)" for
 *   messages that name personas (an undo refused by later edits), the
 *   first 20 and how many more
 */
char *
pd_store_describe_personas (PdStore      *self,
                            const gint64 *ids,
                            guint         n_ids)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < MIN (n_ids, 20); i++)
    {
      g_autofree char *one = describe_persona (self, ids[i]);

      g_string_append_printf (out, "%s%s", i ? ", " : "", one);
    }
  if (n_ids > 20)
    g_string_append_printf (out, _(" and %u more"), n_ids - 20);
  return g_string_free (out, FALSE);
}
