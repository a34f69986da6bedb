#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the fuzzers' seed corpus, tests/fuzz/corpus/<reader>/: a few
small files per format with what real files hold (shared and inline
strings, date styles, the 1904 system, repeated ODS rows and cells, a zip
around a CSV).  The seeds are committed; run this again only to change
them:  /usr/bin/python3 tests/fuzz/make-corpus.py  (the .xls seed needs
Perl's Spreadsheet::WriteExcel, Debian libspreadsheet-writeexcel-perl)."""
import os
import subprocess
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")


def write(reader, name, data):
    os.makedirs(os.path.join(OUT, reader), exist_ok=True)
    with open(os.path.join(OUT, reader, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def write_zip(reader, name, entries, stored_first=False, stored=False):
    path = os.path.join(OUT, reader, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        for i, (entry, text) in enumerate(entries):
            kind = zipfile.ZIP_STORED if stored or (stored_first and i == 0) else zipfile.ZIP_DEFLATED
            z.writestr(zipfile.ZipInfo(entry, date_time=(2024, 1, 1, 0, 0, 0)),
                       text.encode("utf-8"), compress_type=kind)


CSV = ("First Name,Last Name,Email,Phone,Birthday,Points,Opt-in,Tags\r\n"
       "Grace,Hopper,GRACE@Example.com,(202) 555-0143,12/09/1906,120,yes,\"vip;navy\"\r\n"
       "\"Ann \"\"Q\"\"\",Lee,ann@example.org,+44 20 7946 0958,1990-02-13,-5,no,\r\n")
write("csv", "comma.csv", CSV)
write("csv", "semicolon-latin1.csv",
      "Vorname;Nachname;E-Mail;Telefon\nJürgen;Müller;j@example.de;030 1234567\n".encode("latin-1"))
write("csv", "tab-bom.txt", "\ufeffName\tMobile\tJoined\nZoë Ann\t0412 345 678\t13/02/1990\n")
write("csv", "utf16.csv", "Name,Email\nZoë,z@example.com\n".encode("utf-16"))

write("normalizers", "cells.txt",
      "Grace Hopper\tGRACE@Example.com\t(202) 555-0143\t00123\t12/09/1906\t1,200\tyes\tn\tmedical\t"
      "2024-03-05\tvip;navy\tBerlin\tx\n"
      "Hopper, Grace\t\"a b\"@[127.0.0.1]\t+49 30 1234567\tA-1\t13.02.1990\t+12\tTRUE\t0\tRecreational\t"
      "3/4/24\t\tMünchen\t\n"
      "Ludwig van Beethoven\tbad@\t12345\t\t31/02/2001\t-5\toff\tx\t\t19990101\ta,b\t\t\n")

RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>')
WB_RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
           '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
           '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>'
           '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
           '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
           '</Relationships>')
WORKBOOK = ('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<workbookPr date1904="{d}"/><sheets><sheet name="Customers" sheetId="1" r:id="rId1"/>'
            '<sheet name="Staff" sheetId="2" r:id="rId4"/></sheets></workbook>')
STRINGS = ('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">'
           '<si><t>Name</t></si><si><t>Phone</t></si>'
           '<si><r><t>東京</t></r><r><t xml:space="preserve"> tower</t></r><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si>'
           '<si><t>line_x000D__x000A_two &amp; _x005F_x0041_</t></si></sst>')
STYLES = ('<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<numFmts count="1"><numFmt numFmtId="164" formatCode="[$-409]d\\-mmm\\-yy;@"/></numFmts>'
          '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/>'
          '<xf numFmtId="2"/><xf numFmtId="22"/></cellXfs></styleSheet>')
SHEET1 = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<dimension ref="A1:D4"/><sheetData>'
          '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
          '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>2065550199</v></c><c r="C2" s="1"><v>45356</v></c>'
          '<c r="D2" s="3"><v>45356.5</v></c></row>'
          '<row r="4"><c r="A4" t="inlineStr"><is><t>inline</t></is></c><c r="B4" t="b"><v>1</v></c>'
          '<c r="C4" t="str"><f>A1</f><v>f_x0021_</v></c><c r="D4" t="s"><v>3</v></c><c r="E4" t="e"><v>#N/A</v></c></row>'
          '</sheetData></worksheet>')
SHEET2 = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<sheetData><row><c t="inlineStr"><is><t>Carol</t></is></c><c s="2"><v>1.5</v></c></row></sheetData></worksheet>')
# The stored (uncompressed) copies let a mutation reach the XML itself
# instead of only breaking the deflate stream.
for d, stored, name in (("false", False, "book.xlsx"), ("true", False, "book-1904.xlsx"),
                        ("false", True, "book-stored.xlsx")):
    write_zip("xlsx", name, [
        ("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
        ("_rels/.rels", RELS), ("xl/workbook.xml", WORKBOOK.format(d=d)),
        ("xl/_rels/workbook.xml.rels", WB_RELS), ("xl/sharedStrings.xml", STRINGS),
        ("xl/styles.xml", STYLES), ("xl/worksheets/sheet1.xml", SHEET1),
        ("xl/worksheets/sheet2.xml", SHEET2)], stored=stored)

ODS_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>'
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
            '<office:body><office:spreadsheet>')
ODS_TABLE = ('<table:table table:name="Customers"><table:table-column table:number-columns-repeated="3"/>'
             '<table:table-row><table:table-cell office:value-type="string"><text:p>Name</text:p></table:table-cell>'
             '<table:table-cell office:value-type="string"><text:p>Phone</text:p></table:table-cell>'
             '<table:table-cell office:value-type="string"><text:p>Joined</text:p></table:table-cell></table:table-row>'
             '<table:table-row><table:table-cell office:value-type="string"><text:p>Ann<text:s text:c="2"/>Lee</text:p>'
             '<text:p>second</text:p></table:table-cell>'
             '<table:table-cell office:value-type="float" office:value="2065550199"><text:p>2065550199</text:p></table:table-cell>'
             '<table:table-cell office:value-type="date" office:date-value="2024-03-05T10:00:00"><text:p>05/03/24</text:p></table:table-cell>'
             '<table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell>'
             '<table:table-cell office:value-type="time" office:time-value="PT13H45M00S"/></table:table-row>'
             '<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="2" '
             'office:value-type="percentage" office:value="0.5"><text:p>50%</text:p></table:table-cell></table:table-row>'
             '<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="16384"/>'
             '</table:table-row></table:table>'
             '<table:table table:name="Empty"><table:table-row><table:table-cell/></table:table-row></table:table>')
ODS_TAIL = '</office:spreadsheet></office:body></office:document-content>'
for stored, name in ((False, "book.ods"), (True, "book-stored.ods")):
    write_zip("ods", name, [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>'),
        ("content.xml", ODS_HEAD + ODS_TABLE + ODS_TAIL)], stored_first=True, stored=stored)

write_zip("zip", "one-csv.zip", [("customers.csv", CSV)])
write_zip("zip", "folder-txt.zip", [("export/", ""), ("export/list.txt", "Name\tEmail\nZoë\tz@example.com\n")])

XLS = r"""
use strict; use utf8; use Spreadsheet::WriteExcel;
my $wb = Spreadsheet::WriteExcel->new($ARGV[0]) or die;
$wb->set_1904() if $ARGV[1];
my $ws = $wb->add_worksheet('Customers');
my $iso = $wb->add_format(num_format => 'yyyy-mm-dd');
my $stamp = $wb->add_format(num_format => 'yyyy-mm-dd hh:mm:ss');
$ws->write_string(0, $_, (qw(Name Phone Pi Visit Stamp))[$_]) for 0..4;
$ws->write_string(1, 0, 'Zoë Ann');
$ws->write_number(1, 1, 2065550199);
$ws->write_number(1, 2, 3.14);
$ws->write_date_time(1, 3, '2024-03-05T', $iso);
$ws->write_date_time(1, 4, '2024-03-05T13:45:30', $stamp);
$ws->write_string(3, 4, 'tail');
my $s = $wb->add_worksheet('Staff'); $s->write_string(2, 1, 'Carol');
$wb->close() or die;
"""
os.makedirs(os.path.join(OUT, "xls"), exist_ok=True)
for name, flag in (("book.xls", ""), ("book-1904.xls", "1")):
    subprocess.run(["perl", "-e", XLS, os.path.join(OUT, "xls", name), flag], check=True)
