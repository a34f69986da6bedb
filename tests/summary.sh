#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Prints the one closing line CI reads: "N passed, N failed, N skipped",
# counted over every meson test log given.
passed=0; failed=0; skipped=0
for build in "$@"; do
  log="$build/meson-logs/testlog.json"
  [ -f "$log" ] || continue
  p=$(grep -c '"result": "OK"' "$log"); f=$(grep -Ec '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$log"); s=$(grep -c '"result": "SKIP"' "$log")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done
echo "tests: $passed passed, $failed failed, $skipped skipped"
