#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The real app seen through AT-SPI, as a screen reader sees it: every
# control of the main window, the new-persona pane, the archived view and
# Preferences has an accessible name.  Run inside dbus-run-session under Xvfb (see
# tests/meson.build); exits 77 (skipped) when that is not available.
import os
import subprocess
import sys
import tempfile
import time

if not os.environ.get('DISPLAY'):
    print('no DISPLAY: runs under xvfb-run (make test)')
    sys.exit(77)
try:
    from dogtail.config import config
    config.checkForA11y = False
    config.searchCutoffCount = 20
    config.logDebugToFile = False
    from dogtail import tree
except Exception as e:  # dogtail or pyatspi missing
    print('dogtail unavailable: %s' % e)
    sys.exit(77)

app_path = sys.argv[1]
INTERACTIVE = {'push button', 'toggle button', 'check box', 'text', 'entry',
               'combo box', 'password text', 'spin button', 'slider'}

def controls(node, out):
    try:
        role = node.roleName
        if role in INTERACTIVE:
            out.append((role, node.name or ''))
        for child in node.children:
            controls(child, out)
    except Exception:
        pass

def unnamed(node):
    out = []
    controls(node, out)
    return out, [(r, n) for r, n in out if not n.strip() or n.startswith('Gtk')]

def check(app, what, expected, failures):
    """Every control on screen named, and those @expected among them."""
    seen, bad = unnamed(app)
    failures += bad
    print('%s: %d controls' % (what, len(seen)))
    names = [n for r, n in seen]
    for label in expected:
        if not any(label in n for n in names):
            failures.append(('missing', label))

with tempfile.TemporaryDirectory() as tmp:
    env = dict(os.environ)
    env.pop('GTK_A11Y', None)
    env['GSETTINGS_BACKEND'] = 'memory'
    proc = subprocess.Popen([app_path, '--db', os.path.join(tmp, 'p.db')], env=env)
    try:
        app = None
        for _ in range(60):
            try:
                app = tree.root.application('persona-desk')
                break
            except Exception:
                time.sleep(0.5)
        if app is None:
            print('the app did not show up on the accessibility bus')
            sys.exit(1)
        time.sleep(1.5)

        failures = []
        check(app, 'main window', (), failures)

        app.child(name='Add Persona', roleName='push button').doActionNamed('click')
        time.sleep(1.5)
        check(app, 'new persona pane', ('First name', 'Queue a double opt-in request', 'Loyalty program'),
              failures)

        # Preferences from the main menu, as a user opens it (not by its
        # shortcut: under a shared Xvfb the keys may reach another window).
        # The menu button's inner button is the one that can be clicked.
        menu = [n for n in app.findChildren(lambda n: n.name == 'Main Menu')
                if 'click' in n.actions]
        menu[0].doActionNamed('click')
        time.sleep(1)
        app.child(name='Preferences', roleName='menu item').doActionNamed('click')
        time.sleep(1.5)
        check(app, 'with preferences', ('Default country', 'Find existing personas by email',
                                        'Find existing personas by channel IDs', 'When a match is found'),
              failures)

        for role, name in failures:
            print('NOT LABELLED: %s %r' % (role, name))
        sys.exit(1 if failures else 0)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
