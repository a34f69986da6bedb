#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The translations' checks and the final pass's helpers (stdlib and gettext's tools only).

  po-tool.py pot OUT                  extract po/POTFILES.in into OUT, as meson's
                                      persona-desk-pot target does (same keywords and flags)
  po-tool.py untranslated LANG        print, as PO entries, every message of a fresh .pot
                                      that po/LANG.po lacks, leaves empty (any plural form)
                                      or marks fuzzy
  po-tool.py merge LANG FILE          take the translated entries of FILE (e.g. the output
                                      of `untranslated`, filled in) into po/LANG.po, drop
                                      their fuzzy marks, and bring po/LANG.po up to date
  po-tool.py update LANG              bring po/LANG.po up to date with a fresh .pot
  po-tool.py check                    the test: exit 1 naming every missing msgid per
                                      language of po/LINGUAS, and every msgfmt --check error

Run from anywhere; the source root is this file's parent folder.  The .pot is not kept in
git: it is extracted afresh each time, so it cannot be out of date.
"""

import os
import re
import subprocess
import sys
import tempfile

PO_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(PO_DIR)
PACKAGE = "persona-desk"

# meson's i18n.gettext(preset: 'glib') arguments (mesonbuild/modules/i18n.py), so the
# .pot here is the one `meson compile persona-desk-pot` writes.
XGETTEXT_ARGS = [
    "--from-code=UTF-8", "--add-comments",
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format", "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format", "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format", "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format", "--flag=g_log:3:c-format",
    "--flag=g_print:1:c-format", "--flag=g_printerr:1:c-format", "--flag=g_printf:1:c-format",
    "--flag=g_fprintf:2:c-format", "--flag=g_sprintf:2:c-format", "--flag=g_snprintf:3:c-format",
]


class Entry:
    def __init__(self):
        self.comments = []      # lines starting with '#' (not '#~'), kept as they are
        self.flags = set()
        self.msgctxt = None
        self.msgid = ""
        self.msgid_plural = None
        self.msgstr = {}        # index -> text; index 0 only when not plural

    @property
    def key(self):
        return (self.msgctxt, self.msgid)

    def missing(self, nplurals):
        """Why this entry does not count as translated, or None."""
        if "fuzzy" in self.flags:
            if any(c.startswith("#|") for c in self.comments):
                return "new or changed (fuzzy guess)"
            return "fuzzy"
        if self.msgid_plural is None:
            return None if self.msgstr.get(0) else "untranslated"
        forms = [self.msgstr.get(i, "") for i in range(nplurals)]
        if not any(forms):
            return "untranslated"
        if not all(forms) or len(self.msgstr) != nplurals:
            return "plural forms missing (%d needed)" % nplurals
        return None


def unquote(s):
    s = s.strip()
    assert s.startswith('"') and s.endswith('"'), s
    s = s[1:-1]
    out, i = [], 0
    esc = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r", "a": "\a", "b": "\b",
           "f": "\f", "v": "\v"}
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            out.append(esc.get(s[i + 1], "\\" + s[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def quote(text):
    text = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
            .replace("\r", "\\r"))
    if "\n" not in text[:-1]:
        return '"%s"' % text.replace("\n", "\\n")
    lines = text.split("\n")
    parts = [l + "\\n" for l in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    return '""\n' + "\n".join('"%s"' % p for p in parts)


def parse(path):
    entries, cur, field = [], Entry(), None

    def flush():
        nonlocal cur
        if cur.msgid or cur.msgstr or cur.msgctxt is not None:
            entries.append(cur)
        cur = Entry()

    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if field:
                    flush()
                    field = None
                continue
            if line.startswith("#~"):
                continue                      # obsolete
            if line.startswith("#"):
                if field:
                    flush()
                    field = None
                if line.startswith("#,"):
                    cur.flags.update(x.strip() for x in line[2:].split(","))
                cur.comments.append(line)
                continue
            m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
            if m:
                kw = m.group(1)
                if kw in ("msgctxt", "msgid") and field and field.startswith("msgstr"):
                    flush()
                text = unquote(m.group(3))
                if kw == "msgctxt":
                    cur.msgctxt = text
                    field = "msgctxt"
                elif kw == "msgid":
                    cur.msgid = text
                    field = "msgid"
                elif kw == "msgid_plural":
                    cur.msgid_plural = text
                    field = "msgid_plural"
                else:
                    idx = int(m.group(2)) if m.group(2) else 0
                    cur.msgstr[idx] = text
                    field = ("msgstr", idx)
                continue
            if line.startswith('"'):
                text = unquote(line)
                if field == "msgctxt":
                    cur.msgctxt += text
                elif field == "msgid":
                    cur.msgid += text
                elif field == "msgid_plural":
                    cur.msgid_plural += text
                elif isinstance(field, tuple):
                    cur.msgstr[field[1]] += text
                continue
            raise SystemExit("%s: cannot read line: %s" % (path, line))
    if field:
        flush()
    return entries


def write(entries, path, nplurals=2, empty=False):
    with open(path, "w", encoding="utf-8") as f:
        for e in entries:
            for c in e.comments:
                if c.startswith("#,"):
                    continue
                f.write(c + "\n")
            flags = sorted(e.flags)
            if flags:
                f.write("#, " + ", ".join(flags) + "\n")
            if e.msgctxt is not None:
                f.write("msgctxt %s\n" % quote(e.msgctxt))
            f.write("msgid %s\n" % quote(e.msgid))
            if e.msgid_plural is not None:
                f.write("msgid_plural %s\n" % quote(e.msgid_plural))
                for i in range(nplurals):
                    f.write("msgstr[%d] %s\n" % (i, quote("" if empty else e.msgstr.get(i, ""))))
            else:
                f.write("msgstr %s\n" % quote("" if empty else e.msgstr.get(0, "")))
            f.write("\n")


def header_nplurals(entries):
    for e in entries:
        if e.msgid == "" and e.msgctxt is None:
            m = re.search(r"nplurals\s*=\s*(\d+)", e.msgstr.get(0, ""))
            if m:
                return int(m.group(1))
    return None


def linguas():
    with open(os.path.join(PO_DIR, "LINGUAS"), encoding="utf-8") as f:
        return [w for line in f for w in line.split("#")[0].split()]


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def make_pot(out):
    r = run(["xgettext", "--package-name=" + PACKAGE, "-f", os.path.join(PO_DIR, "POTFILES.in"),
             "-D", ROOT, "-o", out] + XGETTEXT_ARGS, cwd=ROOT)
    if r.returncode != 0:
        raise SystemExit("xgettext failed:\n" + r.stderr)
    return r.stderr


def merged(lang, pot, tmp):
    """po/LANG.po brought up to date with POT, in TMP (po/LANG.po itself untouched)."""
    out = os.path.join(tmp, lang + ".po")
    src = os.path.join(PO_DIR, lang + ".po")
    if not os.path.exists(src):
        raise SystemExit("po/%s.po does not exist (po/LINGUAS names it)" % lang)
    r = run(["msgmerge", "--quiet", "--previous", "-o", out, src, pot])
    if r.returncode != 0:
        raise SystemExit("msgmerge %s failed:\n%s" % (src, r.stderr))
    return out


def missing_entries(path):
    entries = parse(path)
    n = header_nplurals(entries)
    if n is None:
        return None, entries, []
    return n, entries, [(e, e.missing(n)) for e in entries
                        if e.msgid != "" and e.missing(n)]


def cmd_untranslated(lang):
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, PACKAGE + ".pot")
        make_pot(pot)
        n, _, missing = missing_entries(merged(lang, pot, tmp))
        out = os.path.join(tmp, "out.po")
        todo = []
        for e, _why in missing:
            e.msgstr = {k: v for k, v in e.msgstr.items()}
            todo.append(e)
        write(todo, out, n or 2)
        with open(out, encoding="utf-8") as f:
            sys.stdout.write(f.read())
        print("# %s: %d messages to translate" % (lang, len(todo)), file=sys.stderr)


def update(lang, extra=None):
    """Rewrite po/LANG.po: EXTRA's translated entries (fuzzy marks dropped) over the old
    ones, then merged with a fresh .pot; obsolete messages dropped."""
    path = os.path.join(PO_DIR, lang + ".po")
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, PACKAGE + ".pot")
        make_pot(pot)
        entries = parse(path)
        n = header_nplurals(entries) or 2
        if extra:
            by_key = {e.key: e for e in entries}
            taken = 0
            for e in parse(extra):
                if e.msgid == "" or e.missing(n) in ("untranslated",):
                    continue
                e.flags.discard("fuzzy")
                e.comments = [c for c in e.comments if not c.startswith("#|")]
                if e.missing(n):
                    print("skipped (%s): %r" % (e.missing(n), e.msgid), file=sys.stderr)
                    continue
                old = by_key.get(e.key)
                if old:
                    old.msgstr = e.msgstr
                    old.flags.discard("fuzzy")
                    old.comments = [c for c in old.comments if not c.startswith("#|")]
                else:
                    entries.append(e)
                    by_key[e.key] = e
                taken += 1
            print("%s: took %d translations" % (lang, taken), file=sys.stderr)
        full = os.path.join(tmp, "full.po")
        write(entries, full, n)
        out = os.path.join(tmp, "merged.po")
        r = run(["msgmerge", "--quiet", "--previous", "-o", out, full, pot])
        if r.returncode != 0:
            raise SystemExit(r.stderr)
        r = run(["msgattrib", "--no-obsolete", "-o", path, out])
        if r.returncode != 0:
            raise SystemExit(r.stderr)
        r = run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", path])
        print(r.stderr.strip(), file=sys.stderr)
        return r.returncode


def cmd_check():
    status = 0
    langs = linguas()
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, PACKAGE + ".pot")
        warnings = make_pot(pot).strip()
        if warnings:
            print("xgettext warns (a message it cannot extract whole):\n" + warnings)
            status = 1
        total = sum(1 for e in parse(pot) if e.msgid != "")
        print("# %d messages in a fresh .pot; languages: %s" % (total, " ".join(langs) or "none"))
        for lang in langs:
            src = os.path.join(PO_DIR, lang + ".po")
            r = run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", src])
            if r.returncode != 0:
                print("%s: msgfmt --check fails:\n%s" % (src, r.stderr))
                status = 1
            n, entries, missing = missing_entries(merged(lang, pot, tmp))
            if n is None:
                print("%s: no Plural-Forms header" % src)
                status = 1
                continue
            stats = r.stderr.strip().splitlines()
            print("%s: %d of %d translated (msgfmt: %s)" % (lang, total - len(missing), total,
                                                            stats[-1] if stats else ""))
            if missing:
                status = 1
                print("%s: %d messages missing; `po/untranslated.sh %s` prints them as PO:"
                      % (lang, len(missing), lang))
                for e, why in missing:
                    ctx = "[%s] " % e.msgctxt if e.msgctxt else ""
                    print("  %s: %s%r" % (why, ctx, e.msgid))
    return status


def main(argv):
    if len(argv) >= 3 and argv[1] == "pot":
        w = make_pot(argv[2])
        sys.stderr.write(w)
        return 0
    if len(argv) == 3 and argv[1] == "untranslated":
        cmd_untranslated(argv[2])
        return 0
    if len(argv) == 4 and argv[1] == "merge":
        return update(argv[2], argv[3])
    if len(argv) == 3 and argv[1] == "update":
        return update(argv[2])
    if len(argv) == 2 and argv[1] == "check":
        return cmd_check()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
