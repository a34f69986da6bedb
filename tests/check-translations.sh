#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every language of po/LINGUAS translates every message of a freshly
# extracted .pot (none untranslated, fuzzy or short of a plural form) and
# passes msgfmt --check.  On failure it lists the missing msgids per language;
# po/untranslated.sh LANG prints them as PO entries to fill in.
#   tests/check-translations.sh SOURCE_ROOT
set -eu
exec python3 "$1/po/po-tool.py" check
