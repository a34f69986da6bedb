#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every source file with translatable strings is in po/POTFILES.in, and
# xgettext extracts them all without a warning (a msgid cut short at a
# macro such as G_GINT64_FORMAT can never be translated).
#   tests/check-i18n.sh SOURCE_ROOT
set -eu
cd "$1"
status=0
for f in $(grep -rlE '(^|[^A-Za-z0-9_])N?C?_\("|g_dngettext|translatable="yes"' src ui \
             --include='*.c' --include='*.cc' --include='*.h' --include='*.ui' | sort); do
  if ! grep -qx "$f" po/POTFILES.in; then
    echo "not in po/POTFILES.in: $f"
    status=1
  fi
done
while read -r f; do
  case $f in ''|'#'*) continue ;; esac
  [ -e "$f" ] || { echo "po/POTFILES.in names a missing file: $f"; status=1; }
done < po/POTFILES.in
out=$(xgettext --from-code=UTF-8 --files-from=po/POTFILES.in -o /dev/null \
        --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
        --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
        --flag=g_strdup_printf:1:c-format --flag=g_set_error:4:c-format 2>&1 || true)
if [ -n "$out" ]; then
  echo "$out"
  status=1
fi
[ $status -eq 0 ] && echo "POTFILES complete; $(grep -cv '^#\|^$' po/POTFILES.in) files extract without a warning"
exit $status
