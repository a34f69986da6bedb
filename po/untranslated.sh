#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Prints, as PO entries, every message po/LANG.po still needs: new in the
# sources (the .pot is extracted afresh), untranslated, fuzzy, or missing a
# plural form.  The final translation pass:
#   po/untranslated.sh de > /tmp/de-todo.po     # fill in the msgstr lines
#   po/po-tool.py merge de /tmp/de-todo.po      # takes them, updates po/de.po
#   po/untranslated.sh de                       # prints nothing when done
set -eu
[ $# -eq 1 ] || { echo "usage: $0 LANG" >&2; exit 2; }
exec /usr/bin/env python3 "$(dirname "$0")/po-tool.py" untranslated "$1"
