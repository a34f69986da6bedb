/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SQLite store's schema: every version's SQL, in the order the
 * migrations apply them (pd-sqlite-store.c runs every one the database
 * lacks at open, in one transaction, and records it in pd_schema; PRAGMA
 * user_version, the highest, stays for older builds). */
#include "config.h"

#include "pd-sqlite-store-private.h"

/* Version 1.  `state` folds archived/blocklisted/merged_into into one small
 * value that leads every listing index: 0 active, 1 archived, 2 hidden.
 * Emails and phones carry `scope`: 0 while their persona is active, else
 * the persona's id, so that one unique index on (value, scope) makes them
 * unique among active personas and still finds archived or merged ones. */
static const char schema_v1[] =
  "CREATE TABLE personas ("
  "  id INTEGER PRIMARY KEY,"
  "  state INTEGER NOT NULL DEFAULT 0,"
  "  archived INTEGER NOT NULL DEFAULT 0,"
  "  blocklisted INTEGER NOT NULL DEFAULT 0,"
  "  merged_into INTEGER REFERENCES personas(id),"
  "  first_name TEXT, last_name TEXT, external_id TEXT, city TEXT, birth_date TEXT,"
  "  customer_type TEXT, person_type TEXT, signup_date TEXT, signup_override_date TEXT,"
  "  favorite_store TEXT, favorite_store_override TEXT,"
  "  facebook TEXT, whatsapp TEXT, instagram TEXT, telegram TEXT, viber TEXT,"
  "  linkedin TEXT, twitter TEXT, youtube TEXT, web TEXT,"
  "  points INTEGER NOT NULL DEFAULT 0,"
  "  loyalty INTEGER NOT NULL DEFAULT 0,"
  "  email_opt_in INTEGER NOT NULL DEFAULT 0,"
  "  sms_consent INTEGER NOT NULL DEFAULT 0,"
  "  sms_opt_out INTEGER NOT NULL DEFAULT 0,"
  "  sources TEXT NOT NULL DEFAULT '',"      /* one digit (PdSource) per PdFieldId */
  "  signup_source TEXT,"
  "  name_key TEXT NOT NULL DEFAULT '',"     /* folded display name, for sort and search */
  "  last_key TEXT,"                          /* folded last name, for search */
  "  primary_email TEXT,"
  "  primary_phone TEXT,"
  "  changed_by_import INTEGER NOT NULL DEFAULT 0"  /* the import that made the last change, or 0 */
  ");"
  "CREATE INDEX personas_name ON personas(state, name_key);"
  "CREATE INDEX personas_last ON personas(state, last_key);"
  "CREATE INDEX personas_email ON personas(state, primary_email);"
  "CREATE INDEX personas_phone ON personas(state, primary_phone);"
  "CREATE INDEX personas_points ON personas(state, points);"
  "CREATE INDEX personas_loyalty ON personas(state, loyalty);"
  "CREATE INDEX personas_source ON personas(state, signup_source);"
  "CREATE INDEX personas_external_id ON personas(external_id) WHERE external_id IS NOT NULL;"
  "CREATE INDEX personas_facebook ON personas(facebook) WHERE facebook IS NOT NULL;"
  "CREATE INDEX personas_whatsapp ON personas(whatsapp) WHERE whatsapp IS NOT NULL;"
  "CREATE INDEX personas_instagram ON personas(instagram) WHERE instagram IS NOT NULL;"
  "CREATE INDEX personas_telegram ON personas(telegram) WHERE telegram IS NOT NULL;"
  "CREATE INDEX personas_viber ON personas(viber) WHERE viber IS NOT NULL;"
  "CREATE INDEX personas_linkedin ON personas(linkedin) WHERE linkedin IS NOT NULL;"
  "CREATE INDEX personas_twitter ON personas(twitter) WHERE twitter IS NOT NULL;"
  "CREATE INDEX personas_youtube ON personas(youtube) WHERE youtube IS NOT NULL;"
  "CREATE INDEX personas_web ON personas(web) WHERE web IS NOT NULL;"
  "CREATE INDEX personas_merged_into ON personas(merged_into) WHERE merged_into IS NOT NULL;"
  "CREATE TABLE emails ("
  "  persona_id INTEGER NOT NULL REFERENCES personas(id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  email TEXT NOT NULL,"
  "  scope INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (persona_id, position)"
  ") WITHOUT ROWID;"
  "CREATE UNIQUE INDEX emails_email ON emails(email, scope);"
  "CREATE TABLE phones ("
  "  persona_id INTEGER NOT NULL REFERENCES personas(id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  phone TEXT NOT NULL,"                    /* E.164 */
  "  national TEXT NOT NULL,"                 /* digits after the country code */
  "  scope INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (persona_id, position)"
  ") WITHOUT ROWID;"
  "CREATE UNIQUE INDEX phones_phone ON phones(phone, scope);"
  "CREATE INDEX phones_national ON phones(national);"
  "CREATE TABLE tags ("
  "  persona_id INTEGER NOT NULL REFERENCES personas(id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  tag TEXT NOT NULL,"
  "  PRIMARY KEY (persona_id, position)"
  ") WITHOUT ROWID;"
  "CREATE TABLE attributes ("
  "  persona_id INTEGER NOT NULL REFERENCES personas(id) ON DELETE CASCADE,"
  "  name TEXT NOT NULL,"
  "  value TEXT NOT NULL,"
  "  PRIMARY KEY (persona_id, name)"
  ") WITHOUT ROWID;"
  "CREATE TABLE ledger ("
  "  id INTEGER PRIMARY KEY,"
  "  persona_id INTEGER NOT NULL REFERENCES personas(id) ON DELETE CASCADE,"
  "  delta INTEGER NOT NULL,"
  "  balance INTEGER NOT NULL,"
  "  source INTEGER NOT NULL,"
  "  import_id INTEGER,"
  "  reason TEXT,"
  "  time INTEGER NOT NULL"                   /* Unix time, microseconds */
  ");"
  "CREATE INDEX ledger_persona ON ledger(persona_id);"
  "CREATE INDEX ledger_import ON ledger(import_id) WHERE import_id IS NOT NULL;"
  "CREATE TABLE imports ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  user TEXT NOT NULL,"
  "  file_name TEXT NOT NULL,"
  "  started INTEGER NOT NULL,"               /* Unix time, microseconds */
  "  duration_ms INTEGER NOT NULL DEFAULT 0,"
  "  status TEXT NOT NULL,"
  "  total INTEGER NOT NULL DEFAULT 0,"
  "  imported INTEGER NOT NULL DEFAULT 0,"
  "  updated INTEGER NOT NULL DEFAULT 0,"
  "  ignored INTEGER NOT NULL DEFAULT 0,"
  "  failed INTEGER NOT NULL DEFAULT 0,"
  "  mapping TEXT,"                           /* JSON */
  "  options TEXT,"                           /* JSON */
  "  error TEXT"
  ");"
  "CREATE TABLE import_files ("
  "  import_id INTEGER PRIMARY KEY REFERENCES imports(id) ON DELETE CASCADE,"
  "  data BLOB NOT NULL"
  ");"
  /* The undo log and the audience: one row per persona an import touched,
   * with the persona as it was before (NULL when the import created it). */
  "CREATE TABLE import_changes ("
  "  import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,"
  "  persona_id INTEGER NOT NULL,"
  "  before BLOB,"
  "  PRIMARY KEY (import_id, persona_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX import_changes_persona ON import_changes(persona_id);"
  "CREATE TABLE mapping_presets ("
  "  signature TEXT PRIMARY KEY,"
  "  mapping TEXT NOT NULL,"
  "  updated INTEGER NOT NULL"
  ");";

/* Version 2: the change mark a persona had before an import touched it,
 * so that undoing the import puts it back and an older import's undo still
 * sees "no later change". */
static const char schema_v2[] =
  "ALTER TABLE import_changes ADD COLUMN before_change INTEGER NOT NULL DEFAULT 0;";

/* Version 3: the default listing (state filter, ORDER BY id) had only the
 * (state, other column) indexes, so SQLite sorted every persona for each
 * page (about 180 ms on a million).  An index on state alone ends in the
 * rowid: pages come in id order, and counting reads the smallest index. */
static const char schema_v3[] =
  "CREATE INDEX personas_state ON personas(state);";

/* Version 4: each import's per-row results (failed, ignored and warned
 * rows with their cells; row 0 is the file's header row), written in the
 * import's transaction, so that the results report of any past import
 * can be written again. */
static const char schema_v4[] =
  "CREATE TABLE import_results ("
  "  import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,"
  "  row INTEGER NOT NULL,"
  "  outcome TEXT,"
  "  persona_id INTEGER NOT NULL DEFAULT 0,"
  "  data BLOB NOT NULL,"                     /* GVariant (asas): reasons, cells */
  "  PRIMARY KEY (import_id, row)"
  ") WITHOUT ROWID;";

/* Version 5: the active list's email and phone orders come from the
 * emails and phones tables' unique indexes (contact_order_sql() in
 * pd-sqlite-store-search.c).  The listing indexes on personas repeated
 * those values, and keeping them cost a large import a sixth of its time;
 * personas without an email or phone keep a small index of their own. */
static const char schema_v5[] =
  "DROP INDEX personas_email;"
  "DROP INDEX personas_phone;"
  "CREATE INDEX personas_no_email ON personas(state) WHERE primary_email IS NULL;"
  "CREATE INDEX personas_no_phone ON personas(state) WHERE primary_phone IS NULL;";

/* Version 6: the archived view's email and phone orders, from partial
 * indexes of the personas that are not active: an import writes active
 * personas only, so it never pays for them, and a large archive is still
 * listed in those orders without sorting it (200,000 archived personas:
 * 189 ms a first page, 768 ms at offset 100,000, sorted). */
static const char schema_v6[] =
  "CREATE INDEX personas_email_inactive ON personas(state, primary_email) WHERE state <> 0;"
  "CREATE INDEX personas_phone_inactive ON personas(state, primary_phone) WHERE state <> 0;";

/* Search by the last digits of a phone ("1015"): the national digits
 * reversed, so that a suffix is a prefix, an index range scan like the
 * other searches.  A LIKE '%1015' scan of the national index took
 * 200-260 ms on a million phones, too slow to search as one types.
 * pd_reverse() is registered on every connection (see open_db()) for
 * this backfill only; rows are written with the column by the store. */
static const char schema_v7[] =
  "ALTER TABLE phones ADD COLUMN national_rev TEXT NOT NULL DEFAULT '';"
  "UPDATE phones SET national_rev = pd_reverse(national);"
  "CREATE INDEX phones_national_rev ON phones(national_rev);";

/* Version 8: the loyalty program (issue 15).  The ledger says who made
 * each change; settings shared by the app, the CLI and the API; the
 * outbox of texts for whatever sends them (a double opt-in request's
 * `created` is also when its persona's consent became pending); SMS
 * consent of numbers no persona holds yet; permanent overrides ("pinned"
 * values); source IDs from integrations unique per source. */
static const char schema_v8[] =
  "ALTER TABLE ledger ADD COLUMN actor TEXT;"
  "CREATE TABLE settings ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TABLE outbox ("
  "  id INTEGER PRIMARY KEY,"
  "  kind TEXT NOT NULL,"                     /* "double-opt-in" */
  "  phone TEXT NOT NULL,"                    /* E.164 */
  "  persona_id INTEGER,"                     /* NULL: a consent-only contact */
  "  created INTEGER NOT NULL,"               /* Unix time, microseconds */
  "  sent INTEGER"                            /* NULL until marked sent */
  ");"
  "CREATE INDEX outbox_persona ON outbox(persona_id) WHERE persona_id IS NOT NULL;"
  "CREATE INDEX outbox_phone ON outbox(phone);"
  "CREATE TABLE consent_contacts ("
  "  phone TEXT PRIMARY KEY,"                 /* E.164 */
  "  state INTEGER NOT NULL,"                 /* PdConsentState */
  "  loyalty INTEGER NOT NULL DEFAULT 0,"     /* enrol when a persona takes the number */
  "  since INTEGER NOT NULL"                  /* Unix time, microseconds */
  ") WITHOUT ROWID;"
  "CREATE TABLE overrides ("
  "  persona_id INTEGER NOT NULL REFERENCES personas(id) ON DELETE CASCADE,"
  "  field TEXT NOT NULL,"                    /* the field's key */
  "  value TEXT NOT NULL,"
  "  PRIMARY KEY (persona_id, field)"
  ") WITHOUT ROWID;"
  /* source IDs are attributes named source:NAME (an import maps a column
   * to one like to any attribute, undo restores them with the others),
   * unique per source */
  "CREATE UNIQUE INDEX attributes_source_id ON attributes(name, value) WHERE name GLOB 'source:*';";

/* Version 9: email addresses that opted out explicitly (the customer's
 * unsubscribe), kept by address whether or not a persona holds it, so
 * that no import, edit or undo opts them in again (pd-sqlite-store-email.c). */
static const char schema_v9[] =
  "CREATE TABLE email_opt_outs ("
  "  email TEXT PRIMARY KEY,"                 /* normalized */
  "  since INTEGER NOT NULL,"                 /* Unix time, microseconds */
  "  actor TEXT"
  ") WITHOUT ROWID;";

/* Version 10: each kept file's SHA-256, so that importing the same file
 * again (points add up) is found before anything is written
 * (pd_store_find_import_by_sha256).  Files kept before are hashed once,
 * here, by pd_sha256(), registered for this backfill only. */
static const char schema_v10[] =
  "ALTER TABLE import_files ADD COLUMN sha256 TEXT;"
  "UPDATE import_files SET sha256 = pd_sha256(data);"
  "CREATE INDEX import_files_sha256 ON import_files(sha256);";

/* Version 11: the audit log: every write outside an import, with who, when
 * and what changed (pd-sqlite-store-audit.c).  Erasing a customer scrubs
 * the values out of its entries. */
static const char schema_v11[] =
  "CREATE TABLE IF NOT EXISTS audit_log ("
  "  id INTEGER PRIMARY KEY,"
  "  at INTEGER NOT NULL,"                    /* Unix time, microseconds */
  "  who TEXT,"                               /* account, OS user or token name */
  "  role TEXT NOT NULL,"                     /* pd_role_to_key() */
  "  source INTEGER NOT NULL,"                /* PdSource */
  "  action TEXT NOT NULL,"                   /* "persona.edit", "points.adjust", … */
  "  persona_id INTEGER,"                     /* NULL when no persona is concerned */
  "  detail TEXT"                             /* JSON object: what changed */
  ");"
  "CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log(at);"
  "CREATE INDEX IF NOT EXISTS audit_log_persona ON audit_log(persona_id) WHERE persona_id IS NOT NULL;"
  /* the app's count of double opt-ins waiting for a YES
   * (pd_store_count_pending_sms) */
  "CREATE INDEX IF NOT EXISTS personas_sms_pending ON personas(id) WHERE sms_consent = 1 AND state = 0;";

/* IF NOT EXISTS in 11 and 14: a database set back to an older version
 * (tests/test-same-file.c's upgrade test sets 9) keeps the newer tables,
 * and its upgrade must not fail on them. */
/* Version 14: staff accounts (pd-sqlite-store-staff.c): a name, a role
 * (pd_role_to_key()) and the PIN or password as an Argon2id hash string
 * (libsodium's crypto_pwhash_str, which carries its salt and costs).
 * Whether they are on is the "staff-accounts" setting. */
static const char schema_v14[] =
  "CREATE TABLE IF NOT EXISTS accounts ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  role TEXT NOT NULL,"
  "  hash TEXT NOT NULL,"
  "  disabled INTEGER NOT NULL DEFAULT 0,"
  "  created INTEGER NOT NULL"                /* Unix time, microseconds */
  ");";

/* Version 12: privacy (issue 16).  The blocklist holds keyed hashes of
 * normalized contacts only (pd_privacy_contact_hash(); the key is the
 * settings' "privacy.key", made on first use), never the values; each
 * import counts the rows a data-deletion request removed from its kept
 * file. */
static const char schema_v12[] =
  "CREATE TABLE blocklist ("
  "  hash BLOB PRIMARY KEY,"
  "  kind INTEGER NOT NULL,"                  /* PdFieldId: email or phone */
  "  since INTEGER NOT NULL"                  /* Unix time, microseconds */
  ") WITHOUT ROWID;"
  "ALTER TABLE imports ADD COLUMN privacy_removed INTEGER NOT NULL DEFAULT 0;";
/* Version 13: merges (pd-sqlite-store-merge.c).  Each merge keeps the
 * personas as they were (undo records' format) and the survivor as it
 * left it, so that unmerge tells the merge's changes from later ones.
 * They hold personal data: erasing a customer must clear them too. */
static const char schema_v13[] =
  "CREATE TABLE IF NOT EXISTS merges ("
  "  id INTEGER PRIMARY KEY,"
  "  survivor_id INTEGER NOT NULL,"
  "  at INTEGER NOT NULL,"                    /* Unix time, microseconds */
  "  actor TEXT,"
  "  survivor_before BLOB NOT NULL,"
  "  survivor_after BLOB,"
  "  survivor_change INTEGER NOT NULL DEFAULT 0,"
  "  undone INTEGER"                          /* Unix time, microseconds; NULL while it holds */
  ");"
  "CREATE INDEX IF NOT EXISTS merges_survivor ON merges(survivor_id);"
  "CREATE TABLE IF NOT EXISTS merge_members ("
  "  merge_id INTEGER NOT NULL REFERENCES merges(id) ON DELETE CASCADE,"
  "  persona_id INTEGER NOT NULL,"
  "  before BLOB NOT NULL,"
  "  before_change INTEGER NOT NULL DEFAULT 0,"
  "  points INTEGER NOT NULL DEFAULT 0,"      /* moved to the survivor */
  "  PRIMARY KEY (merge_id, persona_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX IF NOT EXISTS merge_members_persona ON merge_members(persona_id);";
/* Version 16: orders (receipts) with their items, for points earned per
 * order and predicted products (pd-sqlite-store-orders.c).  A number is
 * unique per store; orders_number also serves the persona search by
 * order number; order_items_product the co-occurrence of products. */
static const char schema_v16[] =
  "CREATE TABLE IF NOT EXISTS orders ("
  "  id INTEGER PRIMARY KEY,"
  "  persona_id INTEGER NOT NULL REFERENCES personas(id) ON DELETE CASCADE,"
  "  number TEXT NOT NULL,"
  "  store TEXT NOT NULL DEFAULT '',"
  "  time INTEGER NOT NULL,"                  /* Unix time, microseconds */
  "  total INTEGER NOT NULL,"                 /* minor units */
  "  points INTEGER NOT NULL DEFAULT 0,"      /* earned by the rule when added */
  "  created INTEGER NOT NULL"
  ");"
  "CREATE UNIQUE INDEX IF NOT EXISTS orders_number ON orders(number, store);"
  "CREATE INDEX IF NOT EXISTS orders_persona ON orders(persona_id, time);"
  "CREATE TABLE IF NOT EXISTS order_items ("
  "  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,"
  "  line INTEGER NOT NULL,"
  "  product TEXT NOT NULL,"
  "  quantity INTEGER NOT NULL,"
  "  price INTEGER NOT NULL,"                 /* per unit, minor units */
  "  PRIMARY KEY (order_id, line)"
  ") WITHOUT ROWID;"
  "CREATE INDEX IF NOT EXISTS order_items_product ON order_items(product, order_id);";

/* Version 15: the HTTP API's bearer tokens, kept as their SHA-256 only
 * (pd-sqlite-store-api.c), and when each persona was last written, for
 * its updated_since (0: not since this version).  No index: an index on a
 * time that every write moves would cost each import row a B-tree update
 * at a random place; updated_since walks the listing's index instead. */
static const char schema_v15[] =
  "CREATE TABLE api_tokens ("
  "  name TEXT PRIMARY KEY,"
  "  hash TEXT NOT NULL UNIQUE,"              /* hex SHA-256 of the token */
  "  read_only INTEGER NOT NULL,"
  "  created INTEGER NOT NULL"                /* Unix time, microseconds */
  ");"
  "ALTER TABLE personas ADD COLUMN updated INTEGER NOT NULL DEFAULT 0;";  /* Unix time, µs */
/* Version 17: the rows each import applied points for, by fingerprint
 * (normalized identity and points, pd_record_compute_fingerprint()), so
 * that the same rows imported again in another file (re-saved, columns
 * reordered, a superset) are found before their points add up twice
 * (pd-same-rows.c).  Keyed by hash: an import probes and adds one entry
 * a row at the same place. */
static const char schema_v17[] =
  "CREATE TABLE import_rows ("
  "  hash INTEGER NOT NULL,"
  "  import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,"
  "  PRIMARY KEY (hash, import_id)"
  ") WITHOUT ROWID;";

/* Version 19: a merge takes the merged-away personas' orders to the
 * survivor (its purchase history, predictions and order search), and
 * which orders it moved, so that unmerge gives each its own back.  Orders
 * of personas merged before this version move now (one level: the orders
 * of a persona merged into one merged later stay with the middle one). */
static const char schema_v19[] =
  "CREATE TABLE merge_orders ("
  "  merge_id INTEGER NOT NULL REFERENCES merges(id) ON DELETE CASCADE,"
  "  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,"
  "  persona_id INTEGER NOT NULL,"           /* whose it was */
  "  PRIMARY KEY (merge_id, order_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX merge_orders_order ON merge_orders(order_id);"
  "INSERT INTO merge_orders (merge_id, order_id, persona_id) "
  "  SELECT mm.merge_id, o.id, o.persona_id FROM orders o "
  "  JOIN merge_members mm ON mm.persona_id = o.persona_id "
  "  JOIN merges m ON m.id = mm.merge_id AND m.undone IS NULL "
  "  JOIN personas p ON p.id = o.persona_id AND p.merged_into = m.survivor_id;"
  "UPDATE orders SET persona_id = (SELECT merged_into FROM personas WHERE id = orders.persona_id) "
  "  WHERE id IN (SELECT order_id FROM merge_orders);";

/* Version 20: a kept file's hash before its bytes.  A record is built
 * whole in memory when it is written, except for a zeroblob() that ends
 * it: with sha256 after data, writing the row with its hash (or setting
 * the hash after) built the whole file in memory twice (190 MB of a 95 MB
 * file at an import's start).  With the hash first, the bytes are the
 * record's end: a zeroblob() filled by incremental writes, a chunk at a
 * time.  The files kept so far are copied once, here. */
static const char schema_v20[] =
  "CREATE TABLE import_files_v20 ("
  "  import_id INTEGER PRIMARY KEY REFERENCES imports(id) ON DELETE CASCADE,"
  "  sha256 TEXT,"
  "  data BLOB NOT NULL"
  ");"
  "INSERT INTO import_files_v20 (import_id, sha256, data) SELECT import_id, sha256, data FROM import_files;"
  "DROP TABLE import_files;"
  "ALTER TABLE import_files_v20 RENAME TO import_files;"
  "CREATE INDEX import_files_sha256 ON import_files(sha256);";

const PdSqliteMigration _pd_sqlite_migrations[] = {
  { 1, schema_v1 },
  { 2, schema_v2 },
  { 3, schema_v3 },
  { 4, schema_v4 },
  { 5, schema_v5 },
  { 6, schema_v6 },
  { 7, schema_v7 },
  { 8, schema_v8 },
  { 9, schema_v9 },
  { 10, schema_v10 },
  { 11, schema_v11 },
  { 12, schema_v12 },
  { 13, schema_v13 },
  { 14, schema_v14 },
  { 15, schema_v15 },
  { 16, schema_v16 },
  { 17, schema_v17 },
  { 19, schema_v19 },
  { 20, schema_v20 },
};

const guint _pd_sqlite_n_migrations = G_N_ELEMENTS (_pd_sqlite_migrations);
