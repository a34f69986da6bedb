/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One record of an import: matched against the store, merged by the
 * rules, and its outcome counted and recorded.  The batch stage
 * (pd-import-batch.c) answers its look-ups and writes it with the others
 * of its batch. */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-error.h"
#include "pd-field.h"
#include "pd-import-apply.h"
#include "pd-import-diff.h"
#include "pd-phone.h"
#include "pd-store-batch.h"

/* Rows that were imported with a warning are listed up to this many (the
 * rest counted): a file where every row warns about one column must not
 * hold a million results in memory. */
#define MAX_WARNING_ROWS 10000

static void
fail_row (const PdImportRunState *state,
          PdRecord               *record,
          gint64                  persona_id,
          const char             *reason)
{
  PdImportRowResult *result =
    _pd_import_results_add (state->results, record, PD_IMPORT_OUTCOME_FAILED, persona_id);

  g_ptr_array_add (result->reasons, g_strdup (reason));
  state->info->failed++;
}

/* One key value of a record that found a persona. */
typedef struct {
  gint64    id;
  PdFieldId key;
  guint     index;   /* in record->emails or record->phones */
} Hit;

#define MAX_HITS 32

/* Every persona the record's key values point at. */
static gboolean
find_hits (const PdImportRunState  *state,
           PdImportLookup          *lookup,
           const PdRecord          *record,
           Hit                      hits[MAX_HITS],
           guint                   *n_hits,
           GError                 **error)
{
  *n_hits = 0;
  for (guint k = 0; k < state->keys->len; k++)
    {
      PdFieldId key = g_array_index (state->keys, PdFieldId, k);
      GPtrArray *values = NULL;
      const char *single[1];
      guint n;

      if (key == PD_FIELD_EMAIL)
        values = record->emails;
      else if (key == PD_FIELD_PHONE)
        values = record->phones;
      else if (record->values[key] == NULL)
        continue;
      single[0] = values == NULL ? record->values[key] : NULL;
      n = values != NULL ? values->len : 1;

      for (guint i = 0; i < n && *n_hits < MAX_HITS; i++)
        {
          const char *value = values != NULL ? g_ptr_array_index (values, i) : single[0];
          g_autofree char *number = NULL;
          gint64 id;

          /* a phone matches on the number alone, whatever its extension */
          if (key == PD_FIELD_PHONE && strchr (value, ';') != NULL)
            value = number = g_strndup (value, pd_phone_number_length (value));
          id = _pd_import_lookup_find (lookup, key, value, error);
          if (id < 0)
            return FALSE;
          if (id != 0)
            hits[(*n_hits)++] = (Hit) { id, key, i };
        }
    }
  return TRUE;
}

/* A phone of the record that belongs to a persona with an email, not the
 * one the record's emails say (or none), is another customer's: a
 * household's or an office's number.  Fusing the two would mix their
 * points and consent, so the row keeps its customer apart, without that
 * phone, and says who keeps it.  Only such rows pay for the look-ups. */
static gboolean
separate_shared_phones (const PdImportRunState  *state,
                        PdImportLookup          *lookup,
                        PdImportRow             *row,
                        Hit                      hits[MAX_HITS],
                        guint                   *n_hits,
                        GError                 **error)
{
  PdRecord *record = row->record;
  gint64 email_id = 0;
  gboolean removed[MAX_HITS] = { FALSE };
  guint kept = 0;

  if (record->emails->len == 0)
    return TRUE;
  for (guint h = 0; h < *n_hits && email_id == 0; h++)
    if (hits[h].key == PD_FIELD_EMAIL)
      email_id = hits[h].id;

  for (guint h = 0; h < *n_hits; h++)
    {
      PdPersona *owner;
      GPtrArray *emails;
      const char *phone;

      if (hits[h].key != PD_FIELD_PHONE || hits[h].id == email_id)
        continue;
      owner = _pd_import_lookup_get (lookup, hits[h].id, error);
      if (owner == NULL)
        return FALSE;
      emails = pd_persona_get_emails (owner);
      /* a persona without an email may well be this customer */
      if (emails->len == 0)
        continue;
      phone = g_ptr_array_index (record->phones, hits[h].index);
      pd_record_add_warningf (record, _("Row %u: phone %s belongs to persona %" PRId64 " (%s), "
                                        "another customer with another email: they share it, so "
                                        "this row's customer is kept apart, without that phone"),
                              record->row, phone, hits[h].id,
                              (const char *) g_ptr_array_index (emails, 0));
      removed[h] = TRUE;
      (*state->n_shared_phones)++;
      row->n_shared_phones++;
    }

  /* drop the phones, highest index first, and the hits they made (the
   * record's strings live in its own block: the array only points) */
  for (guint h = *n_hits; h-- > 0;)
    if (removed[h])
      {
        if (row->phones == NULL)
          row->phones = g_ptr_array_copy (record->phones, NULL, NULL);
        g_ptr_array_remove_index (record->phones, hits[h].index);
      }
  for (guint h = 0; h < *n_hits; h++)
    if (!removed[h])
      hits[kept++] = hits[h];
  *n_hits = kept;
  return TRUE;
}

/* The distinct personas the record's key values point at, at most two. */
static gboolean
match_record (const PdImportRunState  *state,
              PdImportLookup          *lookup,
              PdImportRow             *row,
              gint64                   found[2],
              guint                   *n_found,
              GError                 **error)
{
  PdRecord *record = row->record;
  Hit hits[MAX_HITS];
  guint n_hits;

  *n_found = 0;
  if (!find_hits (state, lookup, record, hits, &n_hits, error))
    return FALSE;
  for (guint h = 0; h < n_hits; h++)
    g_array_append_val (row->hit_ids, hits[h].id);
  if (state->separate_shared_phones && n_hits > 0 && record->phones->len > 0 &&
      !separate_shared_phones (state, lookup, row, hits, &n_hits, error))
    return FALSE;
  for (guint h = 0; h < n_hits && *n_found < 2; h++)
    if (*n_found == 0 || found[0] != hits[h].id)
      found[(*n_found)++] = hits[h].id;
  return TRUE;
}

/* Once per row, before the batch's look-ups: its own errors, the
 * blocklist (asked per value only when the batch's values hold a
 * blocklisted one), the fingerprint of its points.  FALSE only for an
 * error that stops the import. */
gboolean
_pd_import_prepare_row (const PdImportRunState  *state,
                        PdImportRow             *row,
                        gboolean                 maybe_blocked,
                        GError                 **error)
{
  PdRecord *record = row->record;

  row->state = PD_IMPORT_ROW_LIVE;
  if (!pd_record_is_valid (record))
    {
      row->state = PD_IMPORT_ROW_INVALID;
      return TRUE;
    }

  /* A blocklisted contact (a data-deletion request, the owner's
   * blocklist): the row is ignored, and neither the persona nor the row's
   * cells are kept or shown, only its number. */
  if (maybe_blocked)
    {
      gboolean blocked = FALSE;

      for (guint i = 0; i < record->emails->len && !blocked; i++)
        if (!pd_store_blocklist_contains (state->store, PD_FIELD_EMAIL,
                                          g_ptr_array_index (record->emails, i), &blocked, error))
          return FALSE;
      for (guint i = 0; i < record->phones->len && !blocked; i++)
        if (!pd_store_blocklist_contains (state->store, PD_FIELD_PHONE,
                                          g_ptr_array_index (record->phones, i), &blocked, error))
          return FALSE;
      if (blocked)
        {
          row->state = PD_IMPORT_ROW_BLOCKED;
          return TRUE;
        }
    }

  if (state->row_hashes != NULL)
    row->fingerprint = pd_record_compute_fingerprint (record);
  if (state->only_fingerprint)
    {
      row->state = PD_IMPORT_ROW_FINGERPRINT;
      return TRUE;
    }
  if (row->fingerprint != 0 && state->skip_points_of_rows)
    {
      gint64 earlier = pd_store_find_imported_row (state->store, row->fingerprint, error);

      if (earlier < 0)
        return FALSE;
      if (earlier > 0)
        {
          pd_same_rows_add (state->same_rows, earlier);
          pd_record_set_static_value (record, PD_FIELD_POINTS, NULL);
          (*state->n_points_skipped)++;
          row->fingerprint = 0;
        }
    }
  return TRUE;
}

static void
row_failed (PdImportRow *row,
            gint64       persona_id,
            char        *reason)
{
  row->state = PD_IMPORT_ROW_FAILED;
  row->persona_id = persona_id;
  row->reason = reason;
}

/* A live row: matched (through @lookup), then ignored, failed, or merged
 * into the persona to write (row->write).  Nothing is recorded yet.  FALSE
 * only for an error that stops the import. */
gboolean
_pd_import_merge_row (const PdImportRunState  *state,
                      PdImportLookup          *lookup,
                      PdImportRow             *row,
                      GError                 **error)
{
  PdRecord *record = row->record;
  g_autoptr(PdPersona) persona = NULL;
  g_autoptr(PdPersona) before = NULL;
  g_autoptr(GError) local = NULL;
  gint64 found[2] = { 0, 0 };
  guint n_found = 0;
  gint64 delta = 0;

  g_assert (row->state == PD_IMPORT_ROW_LIVE);
  row->n_warnings = record->warnings->len;
  row->points = record->values[PD_FIELD_POINTS];
  if (row->hit_ids == NULL)
    row->hit_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* A store failure here is the database's, not the row's: it stops the
   * import. */
  if (!match_record (state, lookup, row, found, &n_found, error))
    return FALSE;

  if (n_found == 2)
    {
      row_failed (row, found[0],
                  g_strdup_printf (_("Row %u matches two different personas: %" PRId64 " and %" PRId64),
                                   record->row, found[0], found[1]));
      return TRUE;
    }

  row->is_new = n_found == 0;
  row->persona_id = found[0];
  if (!row->is_new && state->merge.action == PD_MATCH_ACTION_IGNORE)
    {
      row->state = PD_IMPORT_ROW_DUPLICATE;
      return TRUE;
    }

  if (row->is_new)
    persona = pd_persona_new ();
  else
    {
      PdPersona *stored = _pd_import_lookup_get (lookup, found[0], error);

      if (stored == NULL)
        return FALSE;
      persona = pd_persona_copy (stored);
      before = pd_persona_copy (stored);
    }

  if (state->skip_points && record->values[PD_FIELD_POINTS] != NULL &&
      !g_hash_table_contains (state->rows_not_applied_before, GUINT_TO_POINTER (record->row)))
    {
      pd_record_set_static_value (record, PD_FIELD_POINTS, NULL);
      (*state->n_points_skipped)++;
      row->points_skipped = TRUE;
    }

  row->warnings = g_ptr_array_new_with_free_func (g_free);
  if (!pd_merge_apply (persona, record, row->is_new, &state->merge, &delta, row->warnings, &local))
    {
      /* A database error that is not about this row stops everything. */
      if (g_error_matches (local, PD_ERROR, PD_ERROR_STORE) || g_error_matches (local, PD_ERROR, PD_ERROR_BUSY))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      row_failed (row, found[0], g_strdup (local->message));
      return TRUE;
    }
  row->state = PD_IMPORT_ROW_WRITE;
  row->write.persona = g_steal_pointer (&persona);
  row->write.before = g_steal_pointer (&before);
  return TRUE;
}

/* Undoes what _pd_import_merge_row() did to the row, the record and the
 * counts: it is applied again after a batch's write lost a race, or after
 * the writes pending before it went in. */
void
_pd_import_restore_row (const PdImportRunState  *state,
                        PdImportRow             *row)
{
  PdRecord *record = row->record;

  /* only a row the merge stage decided (it ends past LIVE) */
  if (row->state <= PD_IMPORT_ROW_LIVE)
    return;
  g_ptr_array_set_size (record->warnings, row->n_warnings);
  if (row->phones != NULL)
    {
      g_ptr_array_set_size (record->phones, 0);
      g_ptr_array_extend (record->phones, row->phones, NULL, NULL);
      g_clear_pointer (&row->phones, g_ptr_array_unref);
    }
  pd_record_set_static_value (record, PD_FIELD_POINTS, row->points);
  if (row->points_skipped)
    (*state->n_points_skipped)--;
  *state->n_shared_phones -= row->n_shared_phones;
  row->points_skipped = FALSE;
  row->n_shared_phones = 0;
  g_clear_pointer (&row->reason, g_free);
  g_clear_pointer (&row->warnings, g_ptr_array_unref);
  if (row->hit_ids != NULL)
    g_array_set_size (row->hit_ids, 0);
  pd_import_write_clear (&row->write);
  row->persona_id = 0;
  row->is_new = FALSE;
  row->state = PD_IMPORT_ROW_LIVE;
}

/* Records the row's outcome, in row order, once its write (if any) is
 * in: results, counts, the fingerprint of the points it applied, a dry
 * run's changes. */
void
_pd_import_emit_row (const PdImportRunState  *state,
                     PdImportRow             *row)
{
  PdRecord *record = row->record;
  PdImportRowResult *result;
  PdPersona *persona;

  switch (row->state)
    {
    case PD_IMPORT_ROW_INVALID:
      result = _pd_import_results_add (state->results, record, PD_IMPORT_OUTCOME_FAILED, 0);
      for (guint i = 0; i < record->errors->len; i++)
        g_ptr_array_add (result->reasons, g_strdup (g_ptr_array_index (record->errors, i)));
      state->info->failed++;
      return;

    case PD_IMPORT_ROW_BLOCKED:
      for (guint i = 0; state->privacy_refused != NULL && i < record->emails->len; i++)
        pd_privacy_targets_add_email (state->privacy_refused, g_ptr_array_index (record->emails, i));
      for (guint i = 0; state->privacy_refused != NULL && i < record->phones->len; i++)
        pd_privacy_targets_add_phone (state->privacy_refused, g_ptr_array_index (record->phones, i));
      g_clear_pointer (&record->source, pd_row_free);
      result = _pd_import_results_add (state->results, record, PD_IMPORT_OUTCOME_IGNORED, 0);
      g_ptr_array_add (result->reasons, g_strdup (_("Ignored — cannot be imported (privacy)")));
      state->info->ignored++;
      return;

    case PD_IMPORT_ROW_FINGERPRINT:
      if (row->fingerprint != 0)
        g_array_append_val (state->row_hashes, row->fingerprint);
      return;

    case PD_IMPORT_ROW_LIVE:
      g_assert_not_reached ();

    case PD_IMPORT_ROW_FAILED:
      fail_row (state, record, row->persona_id, row->reason);
      return;

    case PD_IMPORT_ROW_DUPLICATE:
      result = _pd_import_results_add (state->results, record, PD_IMPORT_OUTCOME_IGNORED, row->persona_id);
      g_ptr_array_add (result->reasons, g_strdup (_("Ignored — duplicate found")));
      state->info->ignored++;
      return;

    case PD_IMPORT_ROW_WRITE:
      break;
    }

  /* the store refused the persona: the row fails, as its write would have */
  if (row->write.error != NULL)
    {
      fail_row (state, record, row->persona_id, row->write.error->message);
      return;
    }

  persona = row->write.persona;
  /* its points were applied: a later file with this row says so */
  if (row->fingerprint != 0 && record->values[PD_FIELD_POINTS] != NULL)
    g_array_append_val (state->row_hashes, row->fingerprint);
  if (row->is_new)
    state->info->imported++;
  else
    state->info->updated++;
  if (state->dry_run && row->write.before != NULL)
    pd_import_diff_personas (state->changes, state->n_changes, record->row, row->write.before, persona);
  for (guint i = 0; i < record->warnings->len; i++)
    g_ptr_array_add (row->warnings, g_strdup (g_ptr_array_index (record->warnings, i)));
  if (row->warnings->len > 0 && (*state->n_warning_rows)++ < MAX_WARNING_ROWS)
    {
      result = _pd_import_results_add (state->results, record,
                                       row->is_new ? PD_IMPORT_OUTCOME_IMPORTED : PD_IMPORT_OUTCOME_UPDATED,
                                       pd_persona_get_id (persona));
      /* the report lists the row with its cells, as read, so that the
       * file can be corrected and imported again */
      for (guint i = 0; i < row->warnings->len; i++)
        g_ptr_array_add (result->reasons, g_strdup (g_ptr_array_index (row->warnings, i)));
    }
}
