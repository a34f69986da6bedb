#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes persona-desk-cli(1) from the program's own --help: the command
list of `persona-desk-cli --help` and each `COMMAND --help`, so that the
page covers every command and option the program has, as it has them.

usage: gen-man.py CLI VERSION OUTPUT"""
import os
import re
import subprocess
import sys

cli, version, output = sys.argv[1:4]
env = dict(os.environ, LC_ALL='C.UTF-8', LANGUAGE='', NO_COLOR='1')


def run(*args):
    done = subprocess.run([cli, *args], env=env, capture_output=True, text=True)
    return done.stdout + done.stderr


def esc(text):
    text = text.replace('\\', '\\e').replace('-', '\\-')
    if text[:1] in ('.', "'"):
        text = '\\&' + text
    return text


commands = []
in_commands = False
for line in run('--help').splitlines():
    if line.strip() == 'Commands:':
        in_commands = True
    elif in_commands and re.match(r'^  \S', line):
        name, summary = line.strip().split(None, 1)
        commands.append((name, summary.strip()))
    elif in_commands and line.strip() == '':
        in_commands = False
if not commands:
    sys.exit(f'{cli} --help listed no commands')

out = []
out.append(f'.TH PERSONA\\-DESK\\-CLI 1 "" "Persona Desk {esc(version)}" "User Commands"')
out.append('.SH NAME')
out.append('persona\\-desk\\-cli \\- the Persona Desk customer database from the command line')
out.append('.SH SYNOPSIS')
out.append('.B persona\\-desk\\-cli')
out.append('[\\fB\\-\\-db\\fR \\fIFILE\\fR] \\fICOMMAND\\fR [\\fIOPTIONS\\fR]')
out.append('.SH DESCRIPTION')
out.append('.B persona\\-desk\\-cli')
out.append('runs the engine of the Persona Desk app: it analyzes and imports customer '
           'spreadsheets (CSV, Excel, LibreOffice) into the same database, shows and exports '
           'personas, keeps the import history, undoes imports, and runs the loyalty program. '
           'An import is one transaction: all of it or, when it fails or is cancelled, none of it.')
out.append('.SH GLOBAL OPTIONS')
out.append('.TP')
out.append('\\fB\\-\\-db\\fR \\fIFILE\\fR')
out.append('The database to use (default: \\fI$XDG_DATA_HOME/persona\\-desk/personas.db\\fR, '
           'the app\'s own).')
out.append('.SH COMMANDS')
for name, summary in commands:
    text = run(name, '--help').splitlines()
    usage = ''
    description = []
    options = []
    section = None
    for i, line in enumerate(text):
        stripped = line.strip()
        if stripped == 'Usage:':
            section = 'usage'
        elif section == 'usage' and stripped:
            usage = stripped
            section = 'description'
        elif stripped in ('Help Options:', 'Application Options:'):
            section = 'options' if stripped == 'Application Options:' else 'help'
        elif section == 'description' and stripped:
            description.append(stripped)
        elif section == 'options' and stripped.startswith('-'):
            m = re.match(r'^(\S.*?)(?:\s{2,}(.*))?$', stripped)
            options.append([m.group(1), m.group(2) or ''])
        elif section == 'options' and stripped and options:
            options[-1][1] += ' ' + stripped
    out.append(f'.SS {esc(name)}')
    if text and text[0].startswith('Usage:') and text[0].strip() != 'Usage:':
        # not GOption's layout: the command's own usage lines, as written
        out.append(esc(summary))
        out.append('.PP')
        out.append('.nf')
        out.extend(esc(line) for line in text if line.strip())
        out.append('.fi')
        continue
    if usage:
        usage = re.sub(r'^' + re.escape(name) + r'\b', '', usage).strip()
        out.append(f'\\fBpersona\\-desk\\-cli {esc(name)}\\fR {esc(usage)}')
        out.append('.PP')
    out.append(esc(' '.join(description) if description else summary))
    for flag, helptext in options:
        out.append('.TP')
        out.append(f'\\fB{esc(flag)}\\fR')
        out.append(esc(helptext))
out.append('.SH EXIT STATUS')
for code, meaning in (('0', 'Success (an import that completed, also with failed rows).'),
                      ('1', 'The file or the request was refused, or the command failed; '
                            'an import changed nothing.'),
                      ('2', 'A usage error: an unknown option or a missing argument.'),
                      ('3', 'import: the file\'s content was imported before and '
                            '\\fB\\-\\-same\\-file\\fR does not say what to do with its points; '
                            'nothing was written.')):
    out.append('.TP')
    out.append(f'.B {code}')
    out.append(meaning)
out.append('.SH FILES')
out.append('.TP')
out.append('.I $XDG_DATA_HOME/persona\\-desk/personas.db')
out.append('The database the app and the CLI share (SQLite; the history keeps each imported file).')
out.append('.SH SEE ALSO')
out.append('The app: \\fBpersona\\-desk\\fR. Run \\fBpersona\\-desk\\-cli \\fICOMMAND\\fB \\-\\-help\\fR '
           'for a command\'s options in your language.')

with open(output, 'w', encoding='utf-8') as f:
    f.write('\n'.join(out) + '\n')
