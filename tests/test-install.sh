#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `meson install` of the build tree into a temporary DESTDIR: lists what
# was installed and checks that each file GNOME looks for is where it looks
# (binaries, the reader helper in libexecdir, the desktop file, metainfo
# with screenshots and release notes, icons, the settings schema, a
# translation per language in po/LINGUAS, the CLI's man page naming every
# command).  TAP output.
set -u
build=$1
source=$2
dest=$(mktemp -d "${TMPDIR:-/tmp}/pd-install-XXXXXX")
trap 'rm -rf "$dest"' EXIT INT TERM

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
check () {  # check DESCRIPTION TEST-ARGS…
  what=$1; shift
  if test "$@"; then ok "$what"; else not_ok "$what"; fi
}

root=$dest$PD_PREFIX
# Relative option values are under the prefix; absolute ones (Debian's
# /etc style) are not.
under () { case $1 in /*) echo "$dest$1" ;; *) echo "$root/$1" ;; esac; }
bindir=$(under "$PD_BINDIR")
libexecdir=$(under "$PD_LIBEXECDIR")
datadir=$(under "$PD_DATADIR")
mandir=$(under "$PD_MANDIR")
localedir=$(under "$PD_LOCALEDIR")

if ! meson install -C "$build" --no-rebuild --destdir "$dest" >"$dest.log" 2>&1; then
  cat "$dest.log" | sed 's/^/# /'
  rm -f "$dest.log"
  echo "not ok 1 - meson install --destdir"
  echo "1..1"
  exit 1
fi
rm -f "$dest.log"
ok "meson install --destdir"

echo "# installed:"
(cd "$dest" && find . -type f -o -type l | sort | sed 's/^\./# /')

check "the app: $PD_BINDIR/persona-desk" -x "$bindir/persona-desk"
check "the CLI: $PD_BINDIR/persona-desk-cli" -x "$bindir/persona-desk-cli"
check "the reader helper: $PD_LIBEXECDIR/persona-desk-reader" -x "$libexecdir/persona-desk-reader"

desktop=$datadir/applications/$PD_APP_ID.desktop
check "desktop file: $PD_DATADIR/applications/$PD_APP_ID.desktop" -f "$desktop"
if command -v desktop-file-validate >/dev/null 2>&1; then
  if desktop-file-validate "$desktop" >/dev/null 2>&1; then ok "the desktop file validates"
  else not_ok "the desktop file validates"; fi
fi
if grep -q "^Exec=persona-desk" "$desktop" 2>/dev/null && grep -q "^Icon=$PD_APP_ID\$" "$desktop" 2>/dev/null; then
  ok "the desktop file starts persona-desk with the app's icon"
else
  not_ok "the desktop file starts persona-desk with the app's icon"
fi

metainfo=$datadir/metainfo/$PD_APP_ID.metainfo.xml
check "metainfo: $PD_DATADIR/metainfo/$PD_APP_ID.metainfo.xml" -f "$metainfo"
if grep -q "<screenshot" "$metainfo" 2>/dev/null; then ok "metainfo has screenshots"; else not_ok "metainfo has screenshots"; fi
if grep -q "<release " "$metainfo" 2>/dev/null && grep -A3 "<release " "$metainfo" | grep -q "<description>"; then
  ok "metainfo has release notes"
else
  not_ok "metainfo has release notes"
fi

check "icon: hicolor/scalable/apps/$PD_APP_ID.svg" -f "$datadir/icons/hicolor/scalable/apps/$PD_APP_ID.svg"
check "symbolic icon: hicolor/symbolic/apps/$PD_APP_ID-symbolic.svg" \
  -f "$datadir/icons/hicolor/symbolic/apps/$PD_APP_ID-symbolic.svg"

schemas=$datadir/glib-2.0/schemas
check "schema: $PD_DATADIR/glib-2.0/schemas/$PD_APP_ID.gschema.xml" -f "$schemas/$PD_APP_ID.gschema.xml"
if command -v glib-compile-schemas >/dev/null 2>&1; then
  if glib-compile-schemas --strict --dry-run "$schemas" >/dev/null 2>&1; then ok "the installed schema compiles"
  else not_ok "the installed schema compiles"; fi
fi

languages=$(sed 's/#.*//' "$source/po/LINGUAS" | tr -s ' \t' '\n\n' | grep -v '^$' || true)
if test -z "$languages"; then
  echo "# po/LINGUAS names no language: no translation to install"
fi
for lang in $languages; do
  check "translation: $PD_LOCALEDIR/$lang/LC_MESSAGES/persona-desk.mo" -f "$localedir/$lang/LC_MESSAGES/persona-desk.mo"
done

man=$mandir/man1/persona-desk-cli.1
check "man page: $PD_MANDIR/man1/persona-desk-cli.1" -f "$man"
# every command `persona-desk-cli --help` lists has its section
commands=$("$build/src/cli/persona-desk-cli" --help 2>&1 | sed -n '/^Commands:/,/^$/p' | sed -n 's/^  \([a-z-]*\) .*/\1/p')
if test -z "$commands"; then
  not_ok "persona-desk-cli --help lists its commands"
fi
for command in $commands; do
  pattern=$(printf '%s' "$command" | sed 's/-/\\\\-/g')
  if grep -q "^\.SS $pattern\$" "$man" 2>/dev/null; then ok "the man page covers $command"
  else not_ok "the man page covers $command"; fi
done
if command -v man >/dev/null 2>&1; then
  if LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$man" 2>&1 >/dev/null | grep -q .; then
    not_ok "the man page formats without warnings"
  else
    ok "the man page formats without warnings"
  fi
fi

echo "1..$n"
exit $failed
