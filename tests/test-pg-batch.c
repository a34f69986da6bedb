/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The batched import engine's store calls (issue 19) on PostgreSQL and
 * SQLite: find_personas and get_personas answer what the one-at-a-time
 * calls answer; import_write_batch writes what import_write would, row
 * after row (personas, lists, ledger, undo records: undoing gives the same
 * database back); and on PostgreSQL a batch that lost a race to another
 * desk (an email committed meanwhile, a persona changed since it was
 * read) answers PD_ERROR_RACE and leaves nothing of itself.  The
 * PostgreSQL cases skip without a server (pd-test-pg.h).  And two real
 * persona-desk-cli processes importing overlapping files into one
 * PostgreSQL database at once (/cli-import/pg/two-desks). */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "pd-error.h"
#include "pd-pg-store-private.h"
#include "pd-sqlite-store-private.h"
#include "pd-store-batch.h"
#include "pd-test-store-fixture.h"

static gboolean
skip_without_store (Fixture *f)
{
  if (f->store == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return TRUE;
    }
  return FALSE;
}

/* A second, empty store of the fixture's kind. */
static PdStore *
second_store (Fixture  *f,
              char    **db)
{
  g_autoptr(GError) error = NULL;
  PdStore *store;

  if (f->pg)
    {
      *db = pd_test_pg_new_database ();
      store = (PdStore *) pd_pg_store_new (*db, &error);
    }
  else
    {
      *db = g_build_filename (f->dir, "second.db", NULL);
      store = (PdStore *) pd_sqlite_store_new (*db, &error);
    }
  g_assert_no_error (error);
  return store;
}

static void
drop_second_store (Fixture *f,
                   PdStore *store,
                   char    *db)
{
  g_object_unref (store);
  if (f->pg)
    pd_test_pg_drop_database (db);
  g_free (db);
}

static PdPersona *
new_persona (const char *first,
             const char *email,
             const char *phone)
{
  PdPersona *p = pd_persona_new ();

  pd_persona_set_value (p, PD_FIELD_FIRST_NAME, first);
  if (email != NULL)
    pd_persona_add_email (p, email);
  if (phone != NULL)
    pd_persona_add_phone (p, phone);
  return p;
}

static gint64
save (PdStore    *store,
      PdPersona  *p)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_store_save_persona (store, p, PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);
  return pd_persona_get_id (p);
}

/* The same personas in each store, in the same order (the same ids). */
static void
seed (PdStore *store)
{
  g_autoptr(PdPersona) ann = new_persona ("Ann", "ann@example.com", "+12025550101");
  g_autoptr(PdPersona) bob = new_persona ("Bob", "bob@example.com", "+12025550102;ext=7");
  g_autoptr(PdPersona) cy = new_persona ("Cy", NULL, "+12025550103");
  g_autoptr(PdPersona) dee = new_persona ("Dee", "dee@example.com", NULL);

  pd_persona_set_value (ann, PD_FIELD_EXTERNAL_ID, "X-1");
  pd_persona_set_points (ann, 40);
  pd_persona_add_tag (ann, "vip");
  pd_persona_set_attribute (dee, "source:shop", "D-1");
  save (store, ann);
  save (store, bob);
  save (store, cy);
  save (store, dee);
}

static void
test_find_personas (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *emails[] = { "bob@example.com", "nobody@example.com", "ann@example.com", "bob@example.com" };
  const char *phones[] = { "+12025550102", "+12025550101", "+19999999999", "+12025550103;ext=1" };
  const char *external[] = { "X-1", "X-2" };
  struct {
    PdFieldId          key;
    const char *const *values;
    guint              n;
  } cases[] = {
    { PD_FIELD_EMAIL, emails, G_N_ELEMENTS (emails) },
    { PD_FIELD_PHONE, phones, G_N_ELEMENTS (phones) },
    { PD_FIELD_EXTERNAL_ID, external, G_N_ELEMENTS (external) },
  };

  if (skip_without_store (f))
    return;
  seed (f->store);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      gint64 ids[8];
      guint found = 0;

      g_assert_true (pd_store_find_personas (f->store, cases[c].key, cases[c].values, cases[c].n, ids, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < cases[c].n; i++)
        {
          g_assert_cmpint (ids[i], ==, pd_store_find_persona (f->store, cases[c].key, cases[c].values[i], &error));
          g_assert_no_error (error);
          found += ids[i] != 0;
        }
      /* not an empty answer that happens to agree */
      g_assert_cmpuint (found, >=, 1);
    }
}

static void
assert_same_persona (PdPersona *a,
                     PdPersona *b)
{
  g_autoptr(GByteArray) x = NULL;
  g_autoptr(GByteArray) y = NULL;

  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpint (pd_persona_get_id (a), ==, pd_persona_get_id (b));
  x = _pd_sqlite_snapshot_pack (a);
  y = _pd_sqlite_snapshot_pack (b);
  g_assert_cmpmem (x->data, x->len, y->data, y->len);
}

static void
test_get_personas (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) personas = NULL;
  gint64 ids[] = { 3, 999, 1, 3, 4 };

  if (skip_without_store (f))
    return;
  seed (f->store);
  personas = pd_store_get_personas (f->store, ids, G_N_ELEMENTS (ids), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (personas->len, ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(PdPersona) one = pd_store_get_persona (f->store, ids[i], NULL);

      if (one == NULL)
        g_assert_null (g_ptr_array_index (personas, i));
      else
        assert_same_persona (g_ptr_array_index (personas, i), one);
    }
}

/* The batch of the import: personas new and known, points, tags, source
 * IDs, a persona the rules refuse (no email or phone) and one whose
 * source ID another persona holds.  Built against @store's personas. */
static GArray *
make_writes (PdStore *store)
{
  g_autoptr(GError) error = NULL;
  GArray *writes = g_array_new (FALSE, TRUE, sizeof (PdImportWrite));
  gint64 known[] = { 1, 2, 3 };
  g_autoptr(GPtrArray) loaded = pd_store_get_personas (store, known, G_N_ELEMENTS (known), &error);
  PdImportWrite w;

  g_assert_no_error (error);
  g_array_set_clear_func (writes, (GDestroyNotify) pd_import_write_clear);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *email = g_strdup_printf ("new%u@example.com", i);
      g_autofree char *phone = g_strdup_printf ("+1202555020%u", i);

      w = (PdImportWrite) { new_persona ("New", email, i % 2 ? phone : NULL), NULL, NULL };
      pd_persona_set_points (w.persona, i * 10);
      pd_persona_add_tag (w.persona, "spring");
      if (i == 3)
        pd_persona_set_attribute (w.persona, "source:shop", "N-3");
      if (i == 4)
        pd_persona_set_value (w.persona, PD_FIELD_LAST_NAME, "Tab\there \\ back\nslash");
      g_array_append_val (writes, w);
    }
  for (guint i = 0; i < loaded->len; i++)
    {
      PdPersona *before = g_ptr_array_index (loaded, i);

      w = (PdImportWrite) { pd_persona_copy (before), g_object_ref (before), NULL };
      pd_persona_set_points (w.persona, pd_persona_get_points (before) + 5);
      pd_persona_add_tag (w.persona, "spring");
      pd_persona_set_value (w.persona, PD_FIELD_CITY, "Lyon");
      if (i == 1)
        pd_persona_add_email (w.persona, "bob.second@example.com");
      /* archived: its email and phone are no longer live, written again */
      if (i == 2)
        pd_persona_set_archived (w.persona, TRUE);
      g_array_append_val (writes, w);
    }
  /* refused: nothing to reach the customer by */
  w = (PdImportWrite) { new_persona ("Nobody", NULL, NULL), NULL, NULL };
  g_array_append_val (writes, w);
  /* refused: Dee holds source:shop D-1 */
  w = (PdImportWrite) { new_persona ("Taker", "taker@example.com", NULL), NULL, NULL };
  pd_persona_set_attribute (w.persona, "source:shop", "D-1");
  g_array_append_val (writes, w);
  return writes;
}

static void
assert_same_store (PdStore *a,
                   PdStore *b,
                   gint64   max_id)
{
  for (gint64 id = 1; id <= max_id; id++)
    {
      g_autoptr(PdPersona) x = pd_store_get_persona (a, id, NULL);
      g_autoptr(PdPersona) y = pd_store_get_persona (b, id, NULL);
      g_autoptr(GPtrArray) lx = NULL;
      g_autoptr(GPtrArray) ly = NULL;

      g_assert_true ((x == NULL) == (y == NULL));
      if (x == NULL)
        continue;
      assert_same_persona (x, y);
      lx = pd_store_list_ledger (a, id, NULL);
      ly = pd_store_list_ledger (b, id, NULL);
      g_assert_cmpuint (lx->len, ==, ly->len);
      for (guint i = 0; i < lx->len; i++)
        {
          PdLedgerEntry *ex = g_ptr_array_index (lx, i), *ey = g_ptr_array_index (ly, i);

          g_assert_cmpint (ex->delta, ==, ey->delta);
          g_assert_cmpint (ex->balance, ==, ey->balance);
          g_assert_cmpint (ex->source, ==, ey->source);
          g_assert_cmpint (ex->import_id, ==, ey->import_id);
          g_assert_cmpstr (ex->reason, ==, ey->reason);
          g_assert_cmpstr (ex->actor, ==, ey->actor);
        }
      /* the store keeps what the searches find: the email and phone
       * look-ups (of an active persona: an archived one's are not live) */
      for (guint i = 0; !pd_persona_get_archived (x) && i < pd_persona_get_emails (x)->len; i++)
        g_assert_cmpint (pd_store_find_persona (b, PD_FIELD_EMAIL, g_ptr_array_index (pd_persona_get_emails (x), i), NULL),
                         ==, id);
      for (guint i = 0; !pd_persona_get_archived (x) && i < pd_persona_get_phones (x)->len; i++)
        g_assert_cmpint (pd_store_find_persona (b, PD_FIELD_PHONE, g_ptr_array_index (pd_persona_get_phones (x), i), NULL),
                         ==, id);
    }
}

static void
test_write_batch_as_rows (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autoptr(PdImportInfo) info_rows = pd_import_info_new ();
  g_autoptr(PdImportInfo) info_batch = pd_import_info_new ();
  g_autoptr(GArray) by_rows = NULL;
  g_autoptr(GArray) by_batch = NULL;
  g_autoptr(GArray) audience_rows = NULL;
  g_autoptr(GArray) audience_batch = NULL;
  PdStore *rows;
  gint64 import_rows, import_batch;
  guint written = 0;

  if (skip_without_store (f))
    return;
  rows = second_store (f, &db);
  seed (f->store);
  seed (rows);

  /* one store row after row */
  info_rows->user = g_strdup ("clerk");
  import_rows = pd_store_begin_import (rows, info_rows, NULL, &error);
  g_assert_no_error (error);
  by_rows = make_writes (rows);
  for (guint i = 0; i < by_rows->len; i++)
    {
      PdImportWrite *w = &g_array_index (by_rows, PdImportWrite, i);

      pd_store_import_write_full (rows, import_rows, w->persona, w->before, "Import “t”", FALSE, &w->error);
    }
  g_assert_true (pd_store_finish_import (rows, info_rows, &error));
  g_assert_no_error (error);

  /* the other in one batch */
  info_batch->user = g_strdup ("clerk");
  import_batch = pd_store_begin_import (f->store, info_batch, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (import_batch, ==, import_rows);
  by_batch = make_writes (f->store);
  g_assert_true (pd_store_import_write_batch (f->store, import_batch, (PdImportWrite *) by_batch->data,
                                              by_batch->len, "Import “t”", FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_finish_import (f->store, info_batch, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < by_rows->len; i++)
    {
      PdImportWrite *r = &g_array_index (by_rows, PdImportWrite, i);
      PdImportWrite *b = &g_array_index (by_batch, PdImportWrite, i);

      g_assert_true ((r->error == NULL) == (b->error == NULL));
      if (r->error != NULL)
        {
          g_assert_cmpint (r->error->code, ==, b->error->code);
          g_assert_cmpstr (r->error->message, ==, b->error->message);
          g_assert_cmpint (pd_persona_get_id (b->persona), ==, 0);
        }
      else
        {
          written++;
          g_assert_cmpint (pd_persona_get_id (r->persona), ==, pd_persona_get_id (b->persona));
        }
    }
  g_assert_cmpuint (written, ==, 8);
  assert_same_store (rows, f->store, 12);
  /* the archived persona's phone is no longer live: a new persona may take it */
  g_assert_cmpint (pd_store_find_persona (f->store, PD_FIELD_PHONE, "+12025550103", &error), ==, 0);
  audience_rows = pd_store_list_audience (rows, import_rows, &error);
  audience_batch = pd_store_list_audience (f->store, import_batch, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (audience_rows->data, audience_rows->len * sizeof (gint64),
                   audience_batch->data, audience_batch->len * sizeof (gint64));

  /* the undo records: undoing either import gives the same store back */
  g_assert_true (pd_store_undo_import (rows, import_rows, &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_undo_import (f->store, import_batch, &error));
  g_assert_no_error (error);
  assert_same_store (rows, f->store, 12);

  drop_second_store (f, rows, g_steal_pointer (&db));
}

/* Desk one's import looked an email up and found nobody; desk two commits
 * a persona with it; desk one's batch loses: PD_ERROR_RACE, nothing of
 * the batch written (no ids), the import goes on, and the batch applied
 * again against the winner goes through.  Then a persona desk two changed
 * after desk one read it: the same. */
static void
test_race (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) other = NULL;
  g_autoptr(PdImportInfo) info = pd_import_info_new ();
  g_autoptr(PdPersona) winner = new_persona ("Win", "race@example.com", NULL);
  const char *emails[] = { "race@example.com", "calm@example.com" };
  gint64 ids[2];
  gint64 import_id, ann = 1;
  PdImportWrite writes[3] = { { 0 } };
  guint round_trips;

  if (skip_without_store (f))
    return;
  seed (f->store);
  other = pd_store_open_another (f->store, &error);
  g_assert_no_error (error);

  import_id = pd_store_begin_import (f->store, info, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_find_personas (f->store, PD_FIELD_EMAIL, emails, 2, ids, &error));
  g_assert_cmpint (ids[0], ==, 0);
  g_assert_cmpint (ids[1], ==, 0);
  {
    g_autoptr(GPtrArray) loaded = pd_store_get_personas (f->store, &ann, 1, &error);

    writes[2].before = g_object_ref (g_ptr_array_index (loaded, 0));
    writes[2].persona = pd_persona_copy (writes[2].before);
    pd_persona_set_points (writes[2].persona, 100);
  }
  writes[0].persona = new_persona ("Race", "race@example.com", NULL);
  pd_persona_set_points (writes[0].persona, 7);
  writes[1].persona = new_persona ("Calm", "calm@example.com", NULL);

  /* desk two, meanwhile */
  save (other, winner);

  round_trips = PD_PG_STORE (f->store)->round_trips;
  g_assert_false (pd_store_import_write_batch (f->store, import_id, writes, 3, "Import", TRUE, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_RACE);
  g_clear_error (&error);
  g_test_message ("a batch of 3 that lost: %u round trips", PD_PG_STORE (f->store)->round_trips - round_trips);
  g_assert_cmpint (pd_persona_get_id (writes[0].persona), ==, 0);
  g_assert_cmpint (pd_persona_get_id (writes[1].persona), ==, 0);
  /* nothing of it, seen from inside the import's transaction */
  g_assert_cmpint (pd_store_find_persona (f->store, PD_FIELD_EMAIL, "calm@example.com", &error), ==, 0);
  g_assert_no_error (error);
  {
    g_autoptr(PdPersona) still = pd_store_get_persona (f->store, ann, &error);

    g_assert_cmpint (pd_persona_get_points (still), ==, 40);
  }

  /* applied again against the winner: an update of desk two's persona */
  g_assert_true (pd_store_find_personas (f->store, PD_FIELD_EMAIL, emails, 2, ids, &error));
  g_assert_cmpint (ids[0], ==, pd_persona_get_id (winner));
  {
    g_autoptr(GPtrArray) loaded = pd_store_get_personas (f->store, &ids[0], 1, &error);

    g_clear_object (&writes[0].before);
    g_clear_object (&writes[0].persona);
    writes[0].before = g_object_ref (g_ptr_array_index (loaded, 0));
    writes[0].persona = pd_persona_copy (writes[0].before);
    pd_persona_set_points (writes[0].persona, 7);
  }
  {
    g_autoptr(GPtrArray) loaded = pd_store_get_personas (f->store, &ann, 1, &error);

    g_clear_object (&writes[2].before);
    g_clear_object (&writes[2].persona);
    writes[2].before = g_object_ref (g_ptr_array_index (loaded, 0));
    writes[2].persona = pd_persona_copy (writes[2].before);
    pd_persona_set_points (writes[2].persona, 100);
  }
  round_trips = PD_PG_STORE (f->store)->round_trips;
  g_assert_true (pd_store_import_write_batch (f->store, import_id, writes, 3, "Import", TRUE, &error));
  g_assert_no_error (error);
  g_test_message ("a batch of 3: %u round trips", PD_PG_STORE (f->store)->round_trips - round_trips);
  g_assert_cmpint (pd_persona_get_id (writes[0].persona), ==, pd_persona_get_id (winner));
  g_assert_cmpint (pd_persona_get_id (writes[1].persona), >, 0);

  g_assert_true (pd_store_finish_import (f->store, info, &error));
  g_assert_no_error (error);

  g_assert_cmpint (pd_test_pg_count (f->db, "SELECT count(*) FROM emails WHERE email = 'race@example.com'"), ==, 1);
  g_assert_cmpint (pd_test_pg_count (f->db, "SELECT points FROM personas WHERE id = 1"), ==, 100);
  /* the balance is the sum of the ledger, for every persona */
  g_assert_cmpint (pd_test_pg_count (f->db, "SELECT count(*) FROM personas p WHERE points <> "
                                 "(SELECT coalesce(sum(delta), 0) FROM ledger l WHERE l.persona_id = p.id)"), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (writes); i++)
    pd_import_write_clear (&writes[i]);
}

/* Many batches in one import: the staging tables are emptied by DELETE
 * and truncated every 4,096 staged rows (issue 19, session 10: it was
 * 32,768), so this import crosses a TRUNCATE; every persona, contact,
 * ledger entry and undo record is there once, and undo removes them. */
#define MANY_BATCH 1500
#define MANY_BATCHES 4

static void
test_many_batches (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdImportInfo) info = pd_import_info_new ();
  g_autofree PdImportWrite *writes = g_new0 (PdImportWrite, MANY_BATCH);
  g_autofree gint64 *ids = g_new0 (gint64, MANY_BATCH);
  gint64 import_id;

  if (skip_without_store (f))
    return;
  import_id = pd_store_begin_import (f->store, info, NULL, &error);
  g_assert_no_error (error);
  for (guint b = 0; b < MANY_BATCHES; b++)
    {
      for (guint i = 0; i < MANY_BATCH; i++)
        {
          g_autofree char *email = g_strdup_printf ("many%u-%u@example.com", b, i);
          g_autofree char *phone = g_strdup_printf ("+1202%07u", b * MANY_BATCH + i);

          writes[i].persona = new_persona ("Many", email, phone);
          pd_persona_set_points (writes[i].persona, 10);
        }
      g_assert_true (pd_store_import_write_batch (f->store, import_id, writes, MANY_BATCH, "Import", TRUE, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < MANY_BATCH; i++)
        {
          g_assert_no_error (writes[i].error);
          if (b == 0)
            ids[i] = pd_persona_get_id (writes[i].persona);
          pd_import_write_clear (&writes[i]);
        }
    }
  /* the first batch's personas changed again, after the TRUNCATE */
  {
    g_autoptr(GPtrArray) loaded = pd_store_get_personas (f->store, ids, MANY_BATCH, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < MANY_BATCH; i++)
      {
        writes[i].before = g_object_ref (g_ptr_array_index (loaded, i));
        writes[i].persona = pd_persona_copy (writes[i].before);
        pd_persona_set_points (writes[i].persona, 15);
        pd_persona_add_tag (writes[i].persona, "again");
      }
  }
  g_assert_true (pd_store_import_write_batch (f->store, import_id, writes, MANY_BATCH, "Import", TRUE, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < MANY_BATCH; i++)
    pd_import_write_clear (&writes[i]);
  g_assert_true (pd_store_finish_import (f->store, info, &error));
  g_assert_no_error (error);

  g_assert_cmpint (pd_test_pg_count (f->db, "SELECT count(*) FROM personas WHERE state = 0"), ==, MANY_BATCH * MANY_BATCHES);
  g_assert_cmpint (pd_test_pg_count (f->db, "SELECT count(*) FROM emails WHERE live"), ==, MANY_BATCH * MANY_BATCHES);
  g_assert_cmpint (pd_test_pg_count (f->db, "SELECT count(*) FROM phones WHERE live"), ==, MANY_BATCH * MANY_BATCHES);
  g_assert_cmpint (pd_test_pg_count (f->db, "SELECT count(*) FROM tags WHERE tag = 'again'"), ==, MANY_BATCH);
  g_assert_cmpint (pd_test_pg_count (f->db, "SELECT sum(points) FROM personas"), ==,
                   MANY_BATCH * MANY_BATCHES * 10 + MANY_BATCH * 5);
  g_assert_cmpint (pd_test_pg_count (f->db, "SELECT count(*) FROM personas p WHERE points <> "
                                 "(SELECT coalesce(sum(delta), 0) FROM ledger l WHERE l.persona_id = p.id)"), ==, 0);
  /* one undo record a persona, the first (a new persona: no snapshot) */
  g_assert_cmpint (pd_test_pg_count (f->db, "SELECT count(*) FROM import_changes WHERE before IS NULL"), ==,
                   MANY_BATCH * MANY_BATCHES);
  g_assert_cmpint (pd_test_pg_count (f->db, "SELECT count(*) FROM import_changes"), ==, MANY_BATCH * MANY_BATCHES);

  g_assert_true (pd_store_undo_import (f->store, import_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pd_test_pg_count (f->db, "SELECT count(*) FROM personas WHERE state = 0"), ==, 0);
  g_assert_cmpint (pd_test_pg_count (f->db, "SELECT count(*) FROM emails WHERE live"), ==, 0);
}

/* A persona another desk changed (and committed) after the import read
 * it: the batch does not write over that version. */
static void
test_race_changed (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) other = NULL;
  g_autoptr(PdImportInfo) info = pd_import_info_new ();
  gint64 import_id, bob = 2;
  PdImportWrite write = { 0 };

  if (skip_without_store (f))
    return;
  seed (f->store);
  other = pd_store_open_another (f->store, &error);
  g_assert_no_error (error);

  import_id = pd_store_begin_import (f->store, info, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) loaded = pd_store_get_personas (f->store, &bob, 1, &error);

    write.before = g_object_ref (g_ptr_array_index (loaded, 0));
    write.persona = pd_persona_copy (write.before);
    pd_persona_set_points (write.persona, 30);
  }
  g_assert_true (pd_store_adjust_points (other, bob, 12, "welcome", PD_SOURCE_MANUAL, &error));
  g_assert_no_error (error);

  g_assert_false (pd_store_import_write_batch (f->store, import_id, &write, 1, "Import", TRUE, &error));
  g_assert_error (error, PD_ERROR, PD_ERROR_RACE);
  g_clear_error (&error);
  pd_import_write_clear (&write);

  /* read again: the batch goes through over the other desk's points */
  {
    g_autoptr(GPtrArray) loaded = pd_store_get_personas (f->store, &bob, 1, &error);

    write.before = g_object_ref (g_ptr_array_index (loaded, 0));
    write.persona = pd_persona_copy (write.before);
    g_assert_cmpint (pd_persona_get_points (write.before), ==, 12);
    pd_persona_set_points (write.persona, 42);
  }
  g_assert_true (pd_store_import_write_batch (f->store, import_id, &write, 1, "Import", TRUE, &error));
  g_assert_no_error (error);
  pd_import_write_clear (&write);
  g_assert_true (pd_store_finish_import (f->store, info, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pd_test_pg_count (f->db, "SELECT points FROM personas WHERE id = 2"), ==, 42);
  g_assert_cmpint (pd_test_pg_count (f->db, "SELECT count(*) FROM personas p WHERE points <> "
                                 "(SELECT coalesce(sum(delta), 0) FROM ledger l WHERE l.persona_id = p.id)"), ==, 0);
}

/* The customers of the two-desk test: c<i>@example.com with a phone of
 * their own. */
static void
append_customers (GString *csv,
                  guint    from,
                  guint    to,
                  int      points)
{
  for (guint i = from; i < to; i++)
    g_string_append_printf (csv, "Cust%u,c%u@example.com,(202) 4%02u-%04u,%d\r\n", i, i, 50 + i / 10000,
                            i % 10000, points);
}

static GSubprocess *
start_import (const char *uri,
              const char *path)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                                           g_getenv ("PD_CLI"), "--db", uri, "import", path, "--accept-terms",
                                           "--match", "email,phone", "--on-match", "merge", "--json", NULL);

  g_assert_no_error (error);
  return process;
}

/* The import's counts, once it ended (successfully). */
static void
wait_import (GSubprocess *process,
             gint64      *imported,
             gint64      *updated,
             gint64      *failed)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;

  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("the import failed (%d): %s", g_subprocess_get_exit_status (process), err);
  node = json_from_string (out, &error);
  g_assert_no_error (error);
  o = json_node_get_object (node);
  *imported = json_object_get_int_member (o, "imported");
  *updated = json_object_get_int_member (o, "updated");
  *failed = json_object_get_int_member (o, "failed");
}

/* Two desks import overlapping files into one database at the same time,
 * two real persona-desk-cli processes: never two personas for one
 * customer, every row imported or updated (a row that lost a race applied
 * again against the winner), and every balance what the rows added,
 * equal to its ledger's sum (no update written over another desk's).
 * Desk B's first batch waits for desk A's commit, then meets its emails
 * (a unique violation, PD_ERROR_RACE) and is applied again. */
static void
test_two_desks (void)
{
  g_autofree char *uri = pd_test_pg_new_database ();
  g_autofree char *dir = NULL;
  g_autofree char *seed_path = NULL, *a_path = NULL, *b_path = NULL;
  g_autoptr(GString) seed = g_string_new ("First Name,Email,Phone,Points\r\n");
  g_autoptr(GString) a = g_string_new ("First Name,Email,Phone,Points\r\n");
  g_autoptr(GString) b = g_string_new ("First Name,Email,Phone,Points\r\n");
  g_autoptr(GError) error = NULL;
  gint64 imported[2], updated[2], failed[2];

  if (uri == NULL)
    {
      g_test_skip (PD_TEST_PG_SKIP_MESSAGE);
      return;
    }
  if (g_getenv ("PD_CLI") == NULL)
    {
      g_test_skip ("PD_CLI is not set: run through meson test");
      pd_test_pg_drop_database (uri);
      return;
    }
  dir = g_dir_make_tmp ("pd-two-desks-XXXXXX", &error);
  g_assert_no_error (error);
  /* 400-699 are there already; desk A brings 0-999, desk B 500-1499 */
  append_customers (seed, 400, 700, 1);
  append_customers (a, 0, 1000, 3);
  append_customers (b, 500, 1500, 4);
  seed_path = g_build_filename (dir, "seed.csv", NULL);
  a_path = g_build_filename (dir, "a.csv", NULL);
  b_path = g_build_filename (dir, "b.csv", NULL);
  g_assert_true (g_file_set_contents (seed_path, seed->str, -1, NULL));
  g_assert_true (g_file_set_contents (a_path, a->str, -1, NULL));
  g_assert_true (g_file_set_contents (b_path, b->str, -1, NULL));
  {
    g_autoptr(GSubprocess) first = start_import (uri, seed_path);

    wait_import (first, &imported[0], &updated[0], &failed[0]);
    g_assert_cmpint (imported[0], ==, 300);
  }
  {
    g_autoptr(GSubprocess) desk_a = start_import (uri, a_path);
    g_autoptr(GSubprocess) desk_b = start_import (uri, b_path);

    wait_import (desk_a, &imported[0], &updated[0], &failed[0]);
    wait_import (desk_b, &imported[1], &updated[1], &failed[1]);
  }
  g_test_message ("desk A: %" G_GINT64_FORMAT " imported, %" G_GINT64_FORMAT " updated; desk B: %"
                  G_GINT64_FORMAT " imported, %" G_GINT64_FORMAT " updated",
                  imported[0], updated[0], imported[1], updated[1]);
  g_assert_cmpint (failed[0], ==, 0);
  g_assert_cmpint (failed[1], ==, 0);
  g_assert_cmpint (imported[0] + updated[0], ==, 1000);
  g_assert_cmpint (imported[1] + updated[1], ==, 1000);
  /* the new customers were created once, by one desk or the other */
  g_assert_cmpint (imported[0] + imported[1], ==, 1200);

  g_assert_cmpint (pd_test_pg_count (uri, "SELECT count(*) FROM personas WHERE state = 0"), ==, 1500);
  g_assert_cmpint (pd_test_pg_count (uri, "SELECT count(*) FROM personas"), ==, 1500);
  /* each customer's email and phone on one persona */
  g_assert_cmpint (pd_test_pg_count (uri, "SELECT count(*) FROM emails e JOIN phones p USING (persona_id) "
                               "WHERE e.live AND p.live"), ==, 1500);
  /* what each desk's rows added, no more, no less */
  g_assert_cmpint (pd_test_pg_count (uri, "SELECT count(*) FROM personas p JOIN emails e ON e.persona_id = p.id, "
                               "LATERAL (SELECT substring(e.email from 'c([0-9]+)@')::int AS i) c "
                               "WHERE p.points <> (CASE WHEN c.i BETWEEN 400 AND 699 THEN 1 ELSE 0 END) + "
                               "(CASE WHEN c.i < 1000 THEN 3 ELSE 0 END) + (CASE WHEN c.i >= 500 THEN 4 ELSE 0 END)"),
                   ==, 0);
  g_assert_cmpint (pd_test_pg_count (uri, "SELECT count(*) FROM personas p WHERE points <> "
                               "(SELECT coalesce(sum(delta), 0) FROM ledger l WHERE l.persona_id = p.id)"), ==, 0);

  pd_test_pg_drop_database (uri);
  pd_temp_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/store/sqlite/batch/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down); \
  g_test_add ("/store/pg/batch/" path, Fixture, NULL, fixture_set_up_pg, func, fixture_tear_down)
  ADD ("find-personas", test_find_personas);
  ADD ("get-personas", test_get_personas);
  ADD ("write-as-rows", test_write_batch_as_rows);
#undef ADD
  g_test_add ("/store/pg/batch/race", Fixture, NULL, fixture_set_up_pg, test_race, fixture_tear_down);
  g_test_add ("/store/pg/batch/race-changed", Fixture, NULL, fixture_set_up_pg, test_race_changed,
              fixture_tear_down);
  g_test_add_func ("/cli-import/pg/two-desks", test_two_desks);
  g_test_add ("/store/pg/batch/many-batches", Fixture, NULL, fixture_set_up_pg, test_many_batches, fixture_tear_down);
  return g_test_run ();
}
