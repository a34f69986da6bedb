/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPgStore: the ledger's commit order, for the HTTP API's change feed
 * (issue 18 on PostgreSQL; schema 18).
 *
 * The feed (GET /points/adjustments?after=ID) paged by the entry id, but a
 * sequence hands ids out as rows are inserted, not as they commit: desk A
 * takes id 5, desk B id 6 and commits, a client reads 6 and moves its
 * cursor past it, then desk A commits 5, which that client never sees.
 *
 * Each entry now knows its transaction (`xact`, pg_current_xact_id()), and
 * each transaction that wrote entries gets a number in commit order, `seq`
 * of `ledger_commits`, taken at its COMMIT under an advisory lock held
 * until the commit is visible: the first INSERT into the ledger of a
 * transaction (a statement trigger; a transaction-local setting says it
 * was done, and a savepoint rolled back forgets both) adds the
 * transaction's row without a number, and a deferred constraint trigger on
 * that row numbers it as the transaction commits.  When a client has read
 * an entry of commit N, every commit below N is visible already (it ended
 * before N took the lock) and every later one gets a larger number, so a
 * page in (seq, id) order never passes an entry that turns up later.
 * The cost: a statement trigger per INSERT into the ledger (not per row),
 * an 8-byte column and an index entry at the index's right end per entry,
 * one row per transaction, and the commits that wrote to the ledger take
 * turns for the moment of their commit.  Entries written before schema 18
 * have no transaction and come first, by id.  The API keeps its cursor:
 * `after` is still the last entry's id, whose commit the page looks up. */
#include "config.h"

#include "pd-pg-store-private.h"

/* pg_advisory_xact_lock(bigint): "PDLEDGER" in ASCII */
#define LEDGER_LOCK "5783831681832535378"

const char _pd_pg_schema_v18[] =
  /* existing rows keep NULL: a volatile default in ADD COLUMN would
   * rewrite the table */
  "ALTER TABLE ledger ADD COLUMN xact xid8;"
  "ALTER TABLE ledger ALTER COLUMN xact SET DEFAULT pg_current_xact_id();"
  "CREATE INDEX ledger_xact ON ledger (xact, id) WHERE xact IS NOT NULL;"
  /* the entries from before, which no new entry joins: a page among them
   * never walks the new ones */
  "CREATE INDEX ledger_before_commits ON ledger (id) WHERE xact IS NULL;"
  "CREATE SEQUENCE ledger_commit_seq;"
  "CREATE TABLE ledger_commits ("
  "  xact xid8 PRIMARY KEY,"
  "  seq bigint UNIQUE"                        /* NULL until the commit */
  ");"
  "CREATE FUNCTION pd_ledger_written() RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  IF current_setting('pd.ledger_xact', true) IS DISTINCT FROM pg_current_xact_id()::text THEN"
  "    PERFORM set_config('pd.ledger_xact', pg_current_xact_id()::text, true);"
  "    INSERT INTO ledger_commits (xact) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;"
  "  END IF;"
  "  RETURN NULL;"
  "END $$;"
  "CREATE TRIGGER ledger_written AFTER INSERT ON ledger "
  "  FOR EACH STATEMENT EXECUTE FUNCTION pd_ledger_written();"
  /* at COMMIT: the lock is released only once the commit is visible; a
   * wait for it is another desk's commit, never the lock timeout's */
  "CREATE FUNCTION pd_ledger_commit() RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  PERFORM set_config('lock_timeout', '0', true);"
  "  PERFORM pg_advisory_xact_lock(" LEDGER_LOCK ");"
  "  UPDATE ledger_commits SET seq = nextval('ledger_commit_seq') WHERE xact = NEW.xact;"
  "  RETURN NULL;"
  "END $$;"
  "CREATE CONSTRAINT TRIGGER ledger_commit AFTER INSERT ON ledger_commits "
  "  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pd_ledger_commit();";

/* The page after entry $1 (its commit looked up; an entry gone since,
 * with its import's undo, stands for the one below it: entries may come
 * again, none is passed), from time $2, at most $3, in commit order.
 * Selects @columns of the ledger. */
char *
_pd_pg_ledger_page_sql (const char *columns)
{
  return g_strdup_printf (
    "WITH pos AS (SELECT coalesce((SELECT c.seq FROM ledger l LEFT JOIN ledger_commits c ON c.xact = l.xact "
    "    WHERE l.id <= $1 ORDER BY l.id DESC LIMIT 1), 0) AS seq) "
    "SELECT %s FROM ("
    "  (SELECT 0::bigint AS commit_seq, l.* FROM ledger l, pos "
    "    WHERE l.xact IS NULL AND pos.seq = 0 AND l.id > $1 AND l.time >= $2 ORDER BY l.id LIMIT $3) "
    "  UNION ALL "
    /* commit after commit, each one's entries by id through ledger_xact
     * and at most a page of them: a page inside an import's million
     * entries is not a sort of them all */
    "  (SELECT c.seq, l.* FROM pos, ledger_commits c, LATERAL (SELECT * FROM ledger l "
    "      WHERE l.xact = c.xact AND (c.seq > pos.seq OR l.id > $1) AND l.time >= $2 ORDER BY l.id LIMIT $3) l "
    "    WHERE c.seq >= pos.seq ORDER BY c.seq, l.id LIMIT $3)"
    ") page ORDER BY commit_seq, id LIMIT $3", columns);
}
