#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench-app against PostgreSQL (run by hand, from the source tree, built in
# _build):
#   sh bench/bench-app-pg.sh [bench-app options…]
# Starts a server of its own as tests/pg-run.sh does (Unix socket only, no
# TCP; as the 'postgres' user when root), but keeps its data in
# $PD_BENCH_PG_DIR (default /tmp/pd-bench-pg) so that the million personas
# are copied in once (bench-app seeds an empty database from its
# --seed-from SQLite file), and stops it when bench-app ends.  The server
# runs with PostgreSQL's default settings (shared_buffers 128 MB), but
# fsync off: it is a throwaway.  Remove the folder to start again.
# BENCH_APP=PATH runs another build of bench-app (a copy, for A/B runs).
# The kept database is migrated by the newest build that opens it, and an
# older build then refuses it ("made by a newer Persona Desk"): for A/B
# runs against a build before PostgreSQL schema 17, take that version off
# while the server runs (psql -h DIR -U postgres pd_bench_app -c "DROP
# INDEX phones_national_bucket; DELETE FROM pd_schema WHERE version = 17")
# and let the newer build put it back (about 1 s on the million phones).
set -u

bindir=
for d in /usr/lib/postgresql/*/bin; do
  [ -x "$d/initdb" ] && bindir=$d
done
[ -n "$bindir" ] || { echo "bench-app-pg: no PostgreSQL server (Debian package postgresql)" >&2; exit 1; }

dir=${PD_BENCH_PG_DIR:-/tmp/pd-bench-pg}
mkdir -p "$dir" && chmod 755 "$dir" || exit 1
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$dir"
  as_server() { runuser -u postgres -- "$@"; }
else
  as_server() { "$@"; }
fi

if [ ! -f "$dir/data/PG_VERSION" ]; then
  as_server "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
fi
trap 'as_server "$bindir/pg_ctl" -D "$dir/data" stop -m fast >/dev/null 2>&1' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-k $dir -c listen_addresses= -c fsync=off" start >/dev/null ||
  { cat "$dir/server.log" >&2; exit 1; }
as_server "$bindir/psql" -h "$dir" -U postgres -d postgres -Atqc \
  "SELECT 1 FROM pg_database WHERE datname = 'pd_bench_app'" | grep -q 1 ||
  as_server "$bindir/createdb" -h "$dir" -U postgres pd_bench_app || exit 1

here=$(dirname "$0")
xvfb-run -a dbus-run-session -- "${BENCH_APP:-$here/../_build/bench/bench-app}" \
  --db "postgresql:///pd_bench_app?host=$dir&user=postgres" "$@"
