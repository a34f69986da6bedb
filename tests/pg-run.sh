#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a command with a throwaway PostgreSQL server: initdb into a
# temporary folder, the server listening on a Unix socket in that folder
# only (no TCP), PD_TEST_PG_URI exported for the tests (each test program
# creates a database of its own there), and the server stopped and the
# folder removed when the command ends, fails or is interrupted.
#   sh tests/pg-run.sh meson test -C _build store
# The server refuses to run as root: as root it runs as the 'postgres'
# user that Debian's postgresql package creates.
set -u

bindir=
for d in /usr/lib/postgresql/*/bin; do
  [ -x "$d/initdb" ] && bindir=$d
done
if [ -z "$bindir" ]; then
  echo "pg-run: no PostgreSQL server (Debian package postgresql); PostgreSQL tests will skip" >&2
  exec "$@"
fi

# /tmp, not $TMPDIR: a Unix socket's path must stay under 108 bytes.
dir=$(mktemp -d /tmp/pd-pg.XXXXXX) || exit 1
chmod 755 "$dir"
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$dir"
  as_server() { runuser -u postgres -- "$@"; }
else
  as_server() { "$@"; }
fi

stop() {
  as_server "$bindir/pg_ctl" -D "$dir/data" stop -m immediate >/dev/null 2>&1
  rm -rf "$dir"
}
trap 'stop' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

if ! as_server "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-locale >"$dir/initdb.log" 2>&1; then
  cat "$dir/initdb.log" >&2
  echo "pg-run: initdb failed" >&2
  exit 1
fi
# fsync off: a throwaway server; 200 connections: parallel tests each
# open several.
if ! as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
       -o "-k $dir -c listen_addresses= -c fsync=off -c max_connections=200" start >/dev/null; then
  cat "$dir/server.log" >&2
  echo "pg-run: the server did not start" >&2
  exit 1
fi

PD_TEST_PG_URI="postgresql:///postgres?host=$dir&user=postgres"
export PD_TEST_PG_URI
echo "pg-run: $("$bindir/postgres" -V) on $dir" >&2
"$@"
