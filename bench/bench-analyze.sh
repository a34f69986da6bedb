#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Analyzes a 1,000,000-row file from ../shared/bench/gen-personas.py with the
# real CLI and prints rows/s and peak RSS.  The file is generated once and
# cached in bench/out/ (gitignored).
#
#   bench/bench-analyze.sh [BUILD_DIR] [ROWS] [-- extra analyze options]
#
# BUILD_DIR defaults to _build; ROWS to 1000000.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${1:-_build}
rows=${2:-1000000}
[ $# -ge 2 ] && shift 2 || shift $#
[ "${1:-}" = "--" ] && shift

case $build in /*) ;; *) build=$root/$build ;; esac
cli=$build/src/cli/persona-desk-cli
gen=$root/../shared/bench/gen-personas.py
out=$here/out
file=$out/personas-$rows-seed1.csv

[ -x "$cli" ] || { echo "no $cli: build first (meson compile -C $build)" >&2; exit 1; }
mkdir -p "$out"
if [ ! -s "$file" ]; then
  echo "generating $file ..." >&2
  python3 "$gen" --rows "$rows" --seed 1 --out "$file.tmp"
  mv "$file.tmp" "$file"
fi

json=$out/analyze-$rows.json
timing=$out/analyze-$rows.time
# Other work on the machine slows the wall clock, not the CPU time a row
# costs: both are printed, with the load average at the start.
load=$(cut -d' ' -f1 /proc/loadavg)
/usr/bin/time -v "$cli" analyze "$file" --json "$@" >"$json" 2>"$timing" || {
  cat "$timing" >&2; exit 1; }

wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$timing")
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$timing")
user=$(sed -n 's/.*User time (seconds): //p' "$timing")
sys=$(sed -n 's/.*System time (seconds): //p' "$timing")
size=$(stat -c %s "$file")

python3 - "$wall" "$rss_kb" "$user" "$sys" "$rows" "$size" "$json" "$load" "$(nproc)" <<'PY'
import json, sys
wall, rss_kb, user, sys_t, rows, size, path, load, cpus = sys.argv[1:]
parts = [float(p) for p in wall.split(":")]
secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
rows = int(rows)
with open(path) as f:
    result = json.load(f)
print(f"file:       {rows} rows, {int(size) / 1e6:.1f} MB")
print(f"result:     total {result['total']}, valid {result['valid']}, failed {result['failed']}, "
      f"{len(result['warnings'])} warnings")
print(f"wall:       {secs:.2f} s (user {float(user):.2f} s, sys {float(sys_t):.2f} s, "
      f"CPU use {(float(user) + float(sys_t)) / secs * 100:.0f}%)")
print(f"rate:       {rows / secs:,.0f} rows/s")
print(f"CPU/row:    {(float(user) + float(sys_t)) / rows * 1e6:.2f} µs (user + sys)")
print(f"peak RSS:   {int(rss_kb) / 1024:.1f} MB")
print(f"load:       {load} at the start, {cpus} CPUs")
PY
