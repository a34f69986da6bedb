#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The PostgreSQL half of bench-import.sh --store pg (issue 19); it makes
# the files and the SQLite seed database, then runs this:
#   bench-import-pg.sh CLI SEED_DB BENCH_FILE ROWS RUNS
# A throwaway server (as tests/pg-run.sh starts one: a Unix socket in a
# folder of its own, no TCP, fsync off) with pg_stat_statements; the seed
# database migrated into it once and used as the template of each run's
# database; the import timed against psql's \copy of the same file into an
# unindexed table; then the statements the last import spent its time in.
# PD_BENCH_PG_KEEP=1 keeps the server's folder (its log) afterwards;
# PD_BENCH_PG_OPTS adds server options (e.g. auto_explain's, to see plans).
set -eu

cli=$1
seed_db=$2
bench_file=$3
rows=$4
runs=$5

bindir=
for d in /usr/lib/postgresql/*/bin; do
  [ -x "$d/initdb" ] && bindir=$d
done
[ -n "$bindir" ] || { echo "no PostgreSQL server (Debian package postgresql)" >&2; exit 1; }
command -v psql >/dev/null || { echo "psql is needed" >&2; exit 1; }

dir=$(mktemp -d /tmp/pd-bench-pg.XXXXXX)
chmod 755 "$dir"
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$dir"
  as_server() { runuser -u postgres -- "$@"; }
else
  as_server() { "$@"; }
fi
stop() {
  as_server "$bindir/pg_ctl" -D "$dir/data" stop -m fast >/dev/null 2>&1 || true
  [ "${PD_BENCH_PG_KEEP:-}" = 1 ] || rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_server "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-locale >"$dir/initdb.log" 2>&1
as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-k $dir -c listen_addresses= -c fsync=off -c shared_preload_libraries=pg_stat_statements \
      -c pg_stat_statements.track=all -c max_wal_size=4GB ${PD_BENCH_PG_OPTS:-}" start >/dev/null
uri_for() { echo "postgresql:///$1?host=$dir&user=postgres"; }
sql() { psql -X -q -v ON_ERROR_STOP=1 "$(uri_for "$1")" -c "$2"; }

echo "migrating $seed_db into PostgreSQL ..." >&2
sql postgres "CREATE DATABASE seed"
/usr/bin/time -f "seed migrate: %e s" "$cli" migrate --from "$seed_db" --to "$(uri_for seed)" >/dev/null
sql seed "VACUUM ANALYZE"
echo "seed database: $(psql -X -At "$(uri_for seed)" -c 'SELECT count(*) FROM personas WHERE state = 0') personas" >&2

# the bare load: an unindexed table with a text column per header column
ncols=$(python3 -c 'import csv,sys; print(len(next(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))))' "$bench_file")
cols=$(python3 -c 'import sys; print(", ".join("c%d text" % i for i in range(int(sys.argv[1]))))' "$ncols")

out=$(dirname "$bench_file")
timing=$out/bench-import-pg.time
json=$out/bench-import-pg.json
runs_file=$out/bench-import-pg.runs
: >"$runs_file"
run=1
while [ "$run" -le "$runs" ]; do
  sql postgres "DROP DATABASE IF EXISTS bench"
  sql postgres "CREATE DATABASE bench TEMPLATE seed"
  sql bench "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()" >/dev/null
  /usr/bin/time -v "$cli" --db "$(uri_for bench)" import "$bench_file" --accept-terms \
    --match email,phone --on-match merge --same-file import-anyway --json >"$json" 2>"$timing" || { cat "$timing" >&2; exit 1; }

  sql postgres "DROP DATABASE IF EXISTS bare"
  sql postgres "CREATE DATABASE bare"
  sql bare "CREATE TABLE t ($cols)"
  bare_start=$(date +%s.%N)
  psql -X -q -v ON_ERROR_STOP=1 "$(uri_for bare)" -c "\\copy t FROM '$bench_file' CSV HEADER"
  bare_end=$(date +%s.%N)

  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$timing")
  rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$timing")
  user=$(sed -n 's/.*User time (seconds): //p' "$timing")
  sys=$(sed -n 's/.*System time (seconds): //p' "$timing")
  echo "$wall $rss_kb $user $sys $bare_start $bare_end" >>"$runs_file"
  run=$((run + 1))
done

python3 - "$rows" "$json" "$runs_file" <<'PY'
import json, statistics, sys
rows, path, runs_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(path) as f:
    r = json.load(f)
print(f"import (PostgreSQL): total {r['total']}, imported {r['imported']}, updated {r['updated']}, "
      f"ignored {r['ignored']}, failed {r['failed']} (engine {r['duration_ms']} ms, last run)")
walls, bares, rss = [], [], []
for n, line in enumerate(open(runs_file), 1):
    wall, rss_kb, user, sys_t, b0, b1 = line.split()
    parts = [float(p) for p in wall.split(":")]
    secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    bare = float(b1) - float(b0)
    walls.append(secs); bares.append(bare); rss.append(int(rss_kb) / 1024)
    print(f"run {n}:      wall {secs:.2f} s (client user {float(user):.2f} s, sys {float(sys_t):.2f} s), "
          f"{rows / secs:,.0f} rows/s, client peak RSS {rss[-1]:.1f} MB; bare \\copy {bare:.2f} s, "
          f"ratio {secs / bare:.2f}")
wall, bare = statistics.median(walls), statistics.median(bares)
print(f"wall:       {wall:.2f} s (median of {len(walls)})")
print(f"rate:       {rows / wall:,.0f} rows/s")
print(f"peak RSS:   {max(rss):.1f} MB (highest; target <= 300)")
print(f"bare psql \\copy: {bare:.2f} s (median)")
print(f"ratio:      {wall / bare:.2f} (medians; target <= 6)")
PY

echo "where the last import's server time went (pg_stat_statements, top 12 by total time):"
psql -X "$(uri_for bench)" -c "SELECT round(total_exec_time::numeric / 1000, 2) AS seconds, calls,
  round((total_exec_time / greatest(calls, 1))::numeric, 3) AS ms_per_call, rows,
  left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS statement
  FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'bench')
  ORDER BY total_exec_time DESC LIMIT 12"
psql -X -At "$(uri_for bench)" -c "SELECT 'statements: ' || sum(calls) || ', server time ' ||
  round(sum(total_exec_time)::numeric / 1000, 2) || ' s' FROM pg_stat_statements
  WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'bench')"
