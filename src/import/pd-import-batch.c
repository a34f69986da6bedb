/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The batched import engine (issue 19): an import's records go to the
 * store thousands at a time.  Per batch: the blocklist asked once per
 * key, every key value looked up once per key (pd_store_find_personas()),
 * the personas found loaded in one call, the rules applied in C row by row
 * (pd-import-apply.c), and the writes handed over in one
 * pd_store_import_write_batch().
 *
 * The result must be the row-at-a-time engine's, exactly.  A row is
 * applied against the store as it was before the batch's pending writes,
 * so a row that touches what a pending write touches (the same persona,
 * an email, a phone number, a source ID, a key value) is taken back: the
 * pending writes go in first, the values they touched are looked up again,
 * and the row is applied once more.  A batch whose write lost a race with
 * another desk (PD_ERROR_RACE: nothing of it was written) is looked up and
 * applied again the same way.  Results and counts are recorded in row
 * order once a batch's writes are in. */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-import-apply.h"
#include "pd-phone.h"
#include "pd-store-batch.h"

/* A store that keeps answering PD_ERROR_RACE (desks importing the same
 * customers at once) makes the import fail after this many tries of one
 * batch rather than loop. */
#define MAX_RACE_RETRIES 16

struct _PdImportLookup
{
  PdStore    *store;
  GArray     *keys;        /* PdFieldId, the run's */
  GHashTable *values[8];   /* per key: value → gint64 *id (0: none) */
  GHashTable *personas;    /* gint64 *id → PdPersona */
};

typedef struct {
  const PdImportRunState *state;
  PdImportLookup          lookup;
  PdImportRow            *rows;
  guint                   n_rows;
  /* what the writes pending since the last flush touch: emails, phone
   * numbers, source IDs ("name=value"), then each other key's values */
  GHashTable             *touched[3 + 8];
  GHashTable             *ids;       /* gint64 *: personas they update */
  /* for the debug log (G_MESSAGES_DEBUG): store writes, and why rows met
   * pending writes: a persona, one of the row's key values (email, phone,
   * another key), a value of the persona it would write */
  guint                   n_writes;
  guint                   n_met[5];
} Batch;

static int
key_slot (PdImportLookup *lookup,
          PdFieldId       key)
{
  for (guint k = 0; k < lookup->keys->len && k < G_N_ELEMENTS (lookup->values); k++)
    if (g_array_index (lookup->keys, PdFieldId, k) == key)
      return k;
  return -1;
}

static gint64 *
id_new (gint64 id)
{
  gint64 *p = g_new (gint64, 1);

  *p = id;
  return p;
}

gint64
_pd_import_lookup_find (PdImportLookup  *lookup,
                        PdFieldId        key,
                        const char      *value,
                        GError         **error)
{
  int slot = key_slot (lookup, key);
  GError *local = NULL;
  gint64 *cached;
  gint64 id;

  if (slot >= 0 && (cached = g_hash_table_lookup (lookup->values[slot], value)) != NULL)
    return *cached;
  /* not looked up with the batch (a key past the slots): one at a time */
  id = pd_store_find_persona (lookup->store, key, value, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return -1;
    }
  if (slot >= 0)
    g_hash_table_insert (lookup->values[slot], g_strdup (value), id_new (id));
  return id;
}

PdPersona *
_pd_import_lookup_get (PdImportLookup  *lookup,
                       gint64           id,
                       GError         **error)
{
  PdPersona *persona = g_hash_table_lookup (lookup->personas, &id);

  if (persona != NULL)
    return persona;
  persona = pd_store_get_persona (lookup->store, id, error);
  if (persona != NULL)
    g_hash_table_insert (lookup->personas, id_new (id), persona);
  return persona;
}

/* The value a key looks up: a phone's number without its extension. */
static const char *
lookup_value (PdFieldId    key,
              const char  *value,
              char       **number)
{
  *number = NULL;
  if (key == PD_FIELD_PHONE && strchr (value, ';') != NULL)
    return *number = g_strndup (value, pd_phone_number_length (value));
  return value;
}

typedef void (*ValueFunc) (PdFieldId key, const char *value, gpointer data);

/* Every value a record's keys look up (as find_hits() does). */
static void
foreach_key_value (GArray          *keys,
                   const PdRecord  *record,
                   ValueFunc        func,
                   gpointer         data)
{
  for (guint k = 0; k < keys->len; k++)
    {
      PdFieldId key = g_array_index (keys, PdFieldId, k);
      GPtrArray *values = key == PD_FIELD_EMAIL ? record->emails
                          : key == PD_FIELD_PHONE ? record->phones : NULL;

      if (values == NULL)
        {
          if (record->values[key] != NULL)
            func (key, record->values[key], data);
          continue;
        }
      for (guint i = 0; i < values->len; i++)
        {
          g_autofree char *number = NULL;

          func (key, lookup_value (key, g_ptr_array_index (values, i), &number), data);
        }
    }
}

/* What a persona holds that another write or a row's look-up may share:
 * its emails, phone numbers, source IDs and key values, each kind in a
 * table of its own (strings built per value were a visible share of a
 * batch). */
static GHashTable *
touched_table (Batch     *batch,
               PdFieldId  key)
{
  int slot;

  if (key == PD_FIELD_EMAIL)
    return batch->touched[0];
  if (key == PD_FIELD_PHONE)
    return batch->touched[1];
  if ((int) key == -1)
    return batch->touched[2];
  slot = key_slot (&batch->lookup, key);
  return slot >= 0 ? batch->touched[3 + slot] : NULL;
}

static void
foreach_touch (GArray     *keys,
               PdPersona  *persona,
               ValueFunc   func,
               gpointer    data)
{
  GPtrArray *emails = pd_persona_get_emails (persona);
  GPtrArray *phones = pd_persona_get_phones (persona);
  GHashTableIter iter;
  gpointer name, value;

  for (guint i = 0; i < emails->len; i++)
    func (PD_FIELD_EMAIL, g_ptr_array_index (emails, i), data);
  for (guint i = 0; i < phones->len; i++)
    {
      g_autofree char *number = NULL;

      func (PD_FIELD_PHONE, lookup_value (PD_FIELD_PHONE, g_ptr_array_index (phones, i), &number), data);
    }
  for (guint k = 0; k < keys->len; k++)
    {
      PdFieldId key = g_array_index (keys, PdFieldId, k);
      const char *v;

      if (key != PD_FIELD_EMAIL && key != PD_FIELD_PHONE && (v = pd_persona_get_value (persona, key)) != NULL)
        func (key, v, data);
    }
  g_hash_table_iter_init (&iter, pd_persona_get_attributes (persona));
  while (g_hash_table_iter_next (&iter, &name, &value))
    if (g_str_has_prefix (name, PD_SOURCE_ID_PREFIX))
      {
        g_autofree char *both = g_strconcat (name, "=", value, NULL);

        /* -1: no field's number */
        func (-1, both, data);
      }
}

static void
add_touch (PdFieldId   key,
           const char *value,
           gpointer    data)
{
  GHashTable *table = touched_table (data, key);

  if (table != NULL)
    g_hash_table_add (table, g_strdup (value));
}

typedef struct {
  Batch    *batch;
  gboolean  found;
  PdFieldId key;
} TouchCheck;

static void
check_touch (PdFieldId   key,
             const char *value,
             gpointer    data)
{
  TouchCheck *check = data;
  GHashTable *table;

  if (!check->found && (table = touched_table (check->batch, key)) != NULL &&
      g_hash_table_contains (table, value))
    {
      check->found = TRUE;
      check->key = key;
    }
}

static void
clear_pending (Batch *batch)
{
  for (guint t = 0; t < G_N_ELEMENTS (batch->touched); t++)
    g_hash_table_remove_all (batch->touched[t]);
  g_hash_table_remove_all (batch->ids);
}

/* Whether @row, as just applied, depends on a write pending before it. */
static gboolean
row_conflicts (Batch       *batch,
               PdImportRow *row)
{
  TouchCheck check = { batch, FALSE };
  gboolean pending = g_hash_table_size (batch->ids) > 0;

  for (guint t = 0; t < G_N_ELEMENTS (batch->touched) && !pending; t++)
    pending = g_hash_table_size (batch->touched[t]) > 0;
  if (!pending)
    return FALSE;
  for (guint h = 0; row->hit_ids != NULL && h < row->hit_ids->len; h++)
    if (g_hash_table_contains (batch->ids, &g_array_index (row->hit_ids, gint64, h)))
      {
        batch->n_met[0]++;
        return TRUE;
      }
  foreach_key_value (batch->lookup.keys, row->record, check_touch, &check);
  if (check.found)
    batch->n_met[check.key == PD_FIELD_EMAIL ? 1 : check.key == PD_FIELD_PHONE ? 2 : 3]++;
  if (!check.found && row->state == PD_IMPORT_ROW_WRITE)
    {
      foreach_touch (batch->lookup.keys, row->write.persona, check_touch, &check);
      batch->n_met[4] += check.found;
    }
  return check.found;
}

static void
add_pending (Batch       *batch,
             PdImportRow *row)
{
  if (row->state != PD_IMPORT_ROW_WRITE)
    return;
  foreach_touch (batch->lookup.keys, row->write.persona, add_touch, batch);
  if (row->write.before != NULL)
    {
      foreach_touch (batch->lookup.keys, row->write.before, add_touch, batch);
      g_hash_table_add (batch->ids, id_new (pd_persona_get_id (row->write.before)));
    }
}

static void
forget_value (PdFieldId   key,
              const char *value,
              gpointer    data)
{
  PdImportLookup *lookup = data;
  int slot = key >= 0 ? key_slot (lookup, key) : -1;

  if (slot >= 0)
    g_hash_table_remove (lookup->values[slot], value);
}

/* After writes went in: what they touched is looked up again. */
static void
forget_written (Batch       *batch,
                PdImportRow *row)
{
  gint64 id;

  if (row->state != PD_IMPORT_ROW_WRITE)
    return;
  foreach_touch (batch->lookup.keys, row->write.persona, forget_value, &batch->lookup);
  if (row->write.before != NULL)
    foreach_touch (batch->lookup.keys, row->write.before, forget_value, &batch->lookup);
  id = pd_persona_get_id (row->write.persona);
  g_hash_table_remove (batch->lookup.personas, &id);
}

typedef struct {
  PdImportLookup *lookup;
  GPtrArray      *missing[8];   /* per key slot: values not looked up yet */
  GHashTable     *seen[8];
} Missing;

static void
collect_missing (PdFieldId   key,
                 const char *value,
                 gpointer    data)
{
  Missing *m = data;
  int slot = key_slot (m->lookup, key);
  char *copy;

  if (slot < 0 || g_hash_table_contains (m->lookup->values[slot], value) ||
      g_hash_table_contains (m->seen[slot], value))
    return;
  copy = g_strdup (value);
  g_hash_table_add (m->seen[slot], copy);
  g_ptr_array_add (m->missing[slot], copy);
}

typedef struct {
  PdImportLookup *lookup;
  GArray         *ids;
  GHashTable     *seen;
} Wanted;

static void
collect_persona (PdFieldId   key,
                 const char *value,
                 gpointer    data)
{
  Wanted *w = data;
  int slot = key_slot (w->lookup, key);
  gint64 *id;

  if (slot < 0 || (id = g_hash_table_lookup (w->lookup->values[slot], value)) == NULL || *id == 0 ||
      g_hash_table_contains (w->lookup->personas, id) || g_hash_table_contains (w->seen, id))
    return;
  g_hash_table_add (w->seen, id);
  g_array_append_val (w->ids, *id);
}

/* The key values of rows @from.. not looked up yet, in one call per key,
 * then the personas they found, in one call. */
static gboolean
look_up (Batch   *batch,
         guint    from,
         GError **error)
{
  PdImportLookup *lookup = &batch->lookup;
  Missing m = { lookup };
  Wanted w = { lookup };
  gboolean ok = TRUE;
  guint n_slots = MIN (lookup->keys->len, G_N_ELEMENTS (lookup->values));

  for (guint k = 0; k < n_slots; k++)
    {
      m.missing[k] = g_ptr_array_new ();
      m.seen[k] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    }
  for (guint i = from; i < batch->n_rows; i++)
    if (batch->rows[i].state == PD_IMPORT_ROW_LIVE)
      foreach_key_value (lookup->keys, batch->rows[i].record, collect_missing, &m);
  for (guint k = 0; k < n_slots && ok; k++)
    {
      guint n = m.missing[k]->len;
      g_autofree gint64 *ids = g_new0 (gint64, MAX (n, 1));

      if (n == 0)
        continue;
      ok = pd_store_find_personas (lookup->store, g_array_index (lookup->keys, PdFieldId, k),
                                   (const char * const *) m.missing[k]->pdata, n, ids, error);
      for (guint i = 0; ok && i < n; i++)
        g_hash_table_insert (lookup->values[k], g_strdup (m.missing[k]->pdata[i]), id_new (ids[i]));
    }
  for (guint k = 0; k < n_slots; k++)
    {
      g_ptr_array_unref (m.missing[k]);
      g_hash_table_unref (m.seen[k]);
    }
  if (!ok)
    return FALSE;

  /* Ignoring duplicates needs no persona (only a shared phone's owner,
   * loaded when asked). */
  if (batch->state->merge.action == PD_MATCH_ACTION_IGNORE)
    return TRUE;
  w.ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  w.seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = from; i < batch->n_rows; i++)
    if (batch->rows[i].state == PD_IMPORT_ROW_LIVE)
      foreach_key_value (lookup->keys, batch->rows[i].record, collect_persona, &w);
  g_hash_table_unref (w.seen);
  if (w.ids->len > 0)
    {
      g_autoptr(GPtrArray) personas = pd_store_get_personas (lookup->store, (const gint64 *) w.ids->data,
                                                             w.ids->len, error);

      if (personas == NULL)
        ok = FALSE;
      for (guint i = 0; ok && i < personas->len; i++)
        if (g_ptr_array_index (personas, i) != NULL)
          g_hash_table_insert (lookup->personas, id_new (g_array_index (w.ids, gint64, i)),
                               g_object_ref (g_ptr_array_index (personas, i)));
    }
  g_array_unref (w.ids);
  return ok;
}

static void
forget_all (Batch *batch)
{
  for (guint k = 0; k < G_N_ELEMENTS (batch->lookup.values); k++)
    g_hash_table_remove_all (batch->lookup.values[k]);
  g_hash_table_remove_all (batch->lookup.personas);
}

/* Writes rows @from..@to's pending personas in one call and records the
 * rows' outcomes in order.  *@raced: the store took none of it (another
 * desk won a race); the rows are as before their merge stage again. */
static gboolean
flush (Batch    *batch,
       guint     from,
       guint     to,
       gboolean *raced,
       GError  **error)
{
  const PdImportRunState *state = batch->state;
  g_autoptr(GArray) writes = g_array_new (FALSE, TRUE, sizeof (PdImportWrite));
  g_autoptr(GArray) owners = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) local = NULL;

  *raced = FALSE;
  for (guint i = from; i < to; i++)
    if (batch->rows[i].state == PD_IMPORT_ROW_WRITE)
      {
        PdImportWrite write = { batch->rows[i].write.persona, batch->rows[i].write.before, NULL };

        g_array_append_val (writes, write);
        g_array_append_val (owners, i);
      }
  batch->n_writes += writes->len > 0;
  if (writes->len > 0 &&
      !pd_store_import_write_batch (state->store, state->info->id, (PdImportWrite *) writes->data,
                                    writes->len, state->points_reason, state->contacts_checked, &local))
    {
      for (guint w = 0; w < writes->len; w++)
        g_clear_error (&g_array_index (writes, PdImportWrite, w).error);
      if (!g_error_matches (local, PD_ERROR, PD_ERROR_RACE))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      g_debug ("import: a batch of %u writes lost a race; looked up and applied again", writes->len);
      *raced = TRUE;
      for (guint i = to; i-- > from;)
        _pd_import_restore_row (state, &batch->rows[i]);
      forget_all (batch);
      clear_pending (batch);
      return TRUE;
    }
  for (guint w = 0; w < writes->len; w++)
    batch->rows[g_array_index (owners, guint, w)].write.error =
      g_steal_pointer (&g_array_index (writes, PdImportWrite, w).error);
  for (guint i = from; i < to; i++)
    {
      forget_written (batch, &batch->rows[i]);
      _pd_import_emit_row (state, &batch->rows[i]);
    }
  clear_pending (batch);
  return TRUE;
}

static gboolean
apply_rows (Batch   *batch,
            GError **error)
{
  guint from = 0, i = 0, races = 0;

  if (!look_up (batch, 0, error))
    return FALSE;
  for (;;)
    {
      gboolean raced;

      while (i < batch->n_rows)
        {
          PdImportRow *row = &batch->rows[i];

          if (row->state != PD_IMPORT_ROW_LIVE)
            {
              i++;
              continue;
            }
          if (!_pd_import_merge_row (batch->state, &batch->lookup, row, error))
            return FALSE;
          if (!row_conflicts (batch, row))
            {
              add_pending (batch, row);
              i++;
              continue;
            }
          /* Applied against what a pending write changes: those go in
           * first, and the row is applied again after them. */
          _pd_import_restore_row (batch->state, row);
          if (!flush (batch, from, i, &raced, error))
            return FALSE;
          if (raced)
            {
              if (++races > MAX_RACE_RETRIES)
                goto lost;
              i = from;
            }
          else
            from = i;
          if (!look_up (batch, from, error))
            return FALSE;
        }
      if (!flush (batch, from, batch->n_rows, &raced, error))
        return FALSE;
      if (!raced)
        return TRUE;
      if (++races > MAX_RACE_RETRIES)
        goto lost;
      i = from;
      if (!look_up (batch, from, error))
        return FALSE;
    }

lost:
  g_set_error (error, PD_ERROR, PD_ERROR_STORE,
               _("Row %u: other desks kept changing the same customers; the import stopped "
                 "after %u tries"), batch->rows[from].record->row, races);
  return FALSE;
}

/* Whether any email or phone of the batch is blocklisted: then each row
 * asks for its own (a desk that blocklisted nobody asks nothing more). */
static gboolean
maybe_blocked (const PdImportRunState  *state,
               PdRecord * const        *records,
               guint                    n_records,
               gboolean                *blocked,
               GError                 **error)
{
  g_autoptr(GPtrArray) emails = g_ptr_array_new ();
  g_autoptr(GPtrArray) phones = g_ptr_array_new ();

  for (guint i = 0; i < n_records; i++)
    {
      g_ptr_array_extend (emails, records[i]->emails, NULL, NULL);
      g_ptr_array_extend (phones, records[i]->phones, NULL, NULL);
    }
  if (!pd_store_blocklist_contains_any (state->store, PD_FIELD_EMAIL, (const char * const *) emails->pdata,
                                        emails->len, blocked, error))
    return FALSE;
  if (*blocked)
    return TRUE;
  return pd_store_blocklist_contains_any (state->store, PD_FIELD_PHONE, (const char * const *) phones->pdata,
                                          phones->len, blocked, error);
}

gboolean
_pd_import_apply_batch (const PdImportRunState  *state,
                        PdRecord * const        *records,
                        guint                    n_records,
                        GError                 **error)
{
  Batch batch = { state };
  gboolean blocked = FALSE;
  gboolean ok = FALSE;

  if (n_records == 0)
    return TRUE;
  batch.lookup.store = state->store;
  batch.lookup.keys = state->keys;
  for (guint k = 0; k < G_N_ELEMENTS (batch.lookup.values); k++)
    batch.lookup.values[k] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  batch.lookup.personas = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  for (guint t = 0; t < G_N_ELEMENTS (batch.touched); t++)
    batch.touched[t] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  batch.ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  batch.rows = g_new0 (PdImportRow, n_records);
  batch.n_rows = n_records;

  if (!maybe_blocked (state, records, n_records, &blocked, error))
    goto out;
  for (guint i = 0; i < n_records; i++)
    {
      batch.rows[i].record = records[i];
      if (!_pd_import_prepare_row (state, &batch.rows[i], blocked, error))
        goto out;
    }
  ok = apply_rows (&batch, error);
  g_debug ("import: batch of %u rows, %u store writes; rows meeting pending writes: %u by persona, "
           "%u by email, %u by phone, %u by another key, %u by a value written",
           n_records, batch.n_writes, batch.n_met[0], batch.n_met[1], batch.n_met[2], batch.n_met[3],
           batch.n_met[4]);

out:
  for (guint i = 0; i < n_records; i++)
    {
      PdImportRow *row = &batch.rows[i];

      g_clear_pointer (&row->phones, g_ptr_array_unref);
      g_clear_pointer (&row->reason, g_free);
      g_clear_pointer (&row->warnings, g_ptr_array_unref);
      g_clear_pointer (&row->hit_ids, g_array_unref);
      pd_import_write_clear (&row->write);
    }
  g_free (batch.rows);
  for (guint k = 0; k < G_N_ELEMENTS (batch.lookup.values); k++)
    g_hash_table_unref (batch.lookup.values[k]);
  g_hash_table_unref (batch.lookup.personas);
  for (guint t = 0; t < G_N_ELEMENTS (batch.touched); t++)
    g_hash_table_unref (batch.touched[t]);
  g_hash_table_unref (batch.ids);
  return ok;
}
