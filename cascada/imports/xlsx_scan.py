"""What python-calamine does not tell about an ``.xlsx``, read from the package itself.

``sources`` reads a workbook's values with python-calamine (Rust: ~10× less CPU than openpyxl's
streaming read on a 100.000-row sheet), but calamine gives bare values: no number formats (a
cell holding 0,6067 shown as 60,67 % must reach the template reader as a percent) and its own
idea of dates. This module recovers, per sheet, the cells whose style carries a percent or a date
format, with one regular-expression pass over the sheet's XML (C speed: only the cells with such
a style are looked at in Python), and the styles exactly as openpyxl reads them (its own
stylesheet code), so that the fast path gives what the openpyxl reader gives, value for value.

Anything this module is not sure to read exactly as openpyxl does raises ``Declined`` and the
caller reads the workbook with openpyxl as before: formulas (their text and their saved result
are read apart), error cells, ISO dates, XML that is unusual for a spreadsheet (comments, CDATA,
prefixed element names, attributes spelled with spaces), number texts openpyxl and calamine may
read differently, empty or escaped (``_x000D_``) strings, rows out of order, more rows than the
reader accepts. The fallback is never a weaker check: it is the reader the project always had.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from posixpath import normpath
from typing import Any

from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel
from openpyxl.workbook import Workbook
from openpyxl.worksheet._reader import _cast_number  # type: ignore[attr-defined]
from openpyxl.xml.functions import fromstring  # openpyxl's parser, as for the rest

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
WORKSHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
CHARTSHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet"
SHARED_STRINGS_REL = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
)


class Declined(Exception):
    """The workbook holds something only the openpyxl reader is known to read right."""


class _Percent:
    """Marks a cell with a percent number format (the value itself comes from calamine)."""


PERCENT = _Percent()


@dataclass(frozen=True, slots=True)
class Worksheet:
    title: str
    member: str  # the sheet's XML inside the zip


@dataclass(frozen=True, slots=True)
class WorkbookInfo:
    worksheets: tuple[Worksheet, ...]  # in the workbook's order, chart sheets left out
    percent: frozenset[int]  # cellXfs indexes whose number format is a percent
    dates: frozenset[int]  # ... that openpyxl reads as dates or times
    timedeltas: frozenset[int]  # ... that openpyxl reads as durations
    styles: int  # how many cellXfs there are
    epoch: datetime


# Sheet XML that only openpyxl is known to read right (see the module's docstring). Each
# pattern starts with a literal, which Python's re finds at C speed; one alternation of them all
# would try every alternative at every byte (1 s on a 33 MB sheet instead of ~0,1 s).
_DECLINE_SHEET = (
    re.compile(rb"<f[\s>/]"),  # a formula
    re.compile(rb"t=[\"'](?:e|d|str)[\"']"),  # an error, an ISO date, a formula's text result
    re.compile(rb"<!--|<!\[CDATA\["),
    re.compile(rb"<v\s"),
    re.compile(rb"s=[\"'][\"']"),  # an empty style attribute
    # Number texts openpyxl and calamine surely read alike: an integer of at most 15 digits
    # (exact as a float) or a decimal with a non-zero fraction. "5.0", "1E-7", " 5" are not.
    re.compile(rb"<v>(?!(?:-?\d{1,15}|-?\d+\.\d*[1-9]\d*)?</v>)"),
)
# Declined only inside a cell's markup (the same characters in text are harmless): prefixed
# SpreadsheetML names ("<x:c"), attributes spelled with spaces around "=".
_DECLINE_IN_TAG = (
    re.compile(rb":(?:c|row|v|is|t|r|sheetData)[\s>/]"),
    re.compile(rb"=[ \t\r\n]"),
    re.compile(rb" =|\t=|\n=|\r="),
)
# Strings: openpyxl's XML parser and calamine's may differ on these.
_DECLINE_STRINGS = (
    re.compile(rb"\r"),
    re.compile(rb"_x[0-9A-Fa-f]{4}_"),
    re.compile(rb"<rPh[\s>]"),
    re.compile(rb"<t(?:\s[^>]*)?(?:/>|></t>)"),
    re.compile(rb"<is(?:\s*/>|></is>)"),
    re.compile(rb"<si(?:\s*/>|></si>)"),
)
_ROW = re.compile(rb"<row[\s>/]")
_ROW_NUMBER = re.compile(rb"<row\b[^>]*?\sr=[\"'](\d+)[\"']")
_CELL_REF = re.compile(rb"\sr=[\"']([A-Z]{1,3})(\d+)[\"']")
_CELL_TYPE = re.compile(rb"\st=[\"'](\w+)[\"']")
_VALUE = re.compile(rb"<v>([^<]*)</v>")


def read_workbook(archive: zipfile.ZipFile) -> WorkbookInfo:
    """The worksheets and the styles' number formats, as openpyxl would see them."""
    members = set(archive.namelist())
    if "xl/workbook.xml" not in members or "xl/_rels/workbook.xml.rels" not in members:
        raise Declined("workbook part elsewhere")
    if b'PartName="/xl/workbook.xml"' not in archive.read("[Content_Types].xml"):
        raise Declined("workbook part not declared")
    rels = {}
    for rel in fromstring(archive.read("xl/_rels/workbook.xml.rels")):
        target = rel.get("Target", "")
        member = normpath(target[1:] if target.startswith("/") else "xl/" + target)
        rels[rel.get("Id")] = (rel.get("Type"), member)
        if rel.get("Type") == SHARED_STRINGS_REL and member != "xl/sharedStrings.xml":
            raise Declined("shared strings elsewhere")
    if "xl/sharedStrings.xml" in members and _any(
        _DECLINE_STRINGS, archive.read("xl/sharedStrings.xml")
    ):
        raise Declined("strings")
    book = fromstring(archive.read("xl/workbook.xml"))
    worksheets = []
    for sheet in book.iter(f"{MAIN}sheet"):
        kind, member = rels.get(sheet.get(f"{REL}id"), (None, ""))
        if kind == CHARTSHEET_REL:
            continue
        if kind != WORKSHEET_REL or member not in members or member.startswith(".."):
            raise Declined("sheet")
        worksheets.append(Worksheet(sheet.get("name", ""), member))
    properties = book.find(f"{MAIN}workbookPr")
    date1904 = "0" if properties is None else properties.get("date1904", "0")
    if date1904 not in {"0", "1", "false", "true"}:
        raise Declined("date1904")
    epoch = CALENDAR_MAC_1904 if date1904 in {"1", "true"} else CALENDAR_WINDOWS_1900

    # openpyxl's own stylesheet code on a blank workbook: what load_workbook does.
    styles: Any = Workbook()  # its private style tables, as the reader uses them
    apply_stylesheet(archive, styles)
    if 0 in styles._date_formats:
        raise Declined("default style")  # cells without a style attribute would carry it
    percent = set()
    for index, style in enumerate(styles._cell_styles):
        number_format_id = style.numFmtId
        if number_format_id < BUILTIN_FORMATS_MAX_SIZE:
            number_format = BUILTIN_FORMATS.get(number_format_id, "General")
        else:
            number_format = styles._number_formats[number_format_id - BUILTIN_FORMATS_MAX_SIZE]
        if is_percent_format(number_format):
            percent.add(index)
    if 0 in percent:
        raise Declined("default style")
    return WorkbookInfo(
        worksheets=tuple(worksheets),
        percent=frozenset(percent),
        dates=frozenset(styles._date_formats),
        timedeltas=frozenset(styles._timedelta_formats),
        styles=len(styles._cell_styles),
        epoch=epoch,
    )


def scan_sheet(data: bytes, book: WorkbookInfo, *, max_rows: int) -> dict[int, dict[int, object]]:
    """Row number -> column index (from 0) -> ``PERCENT`` or the value openpyxl gives a date
    cell, for the cells whose style carries a percent or a date format."""
    if _any(_DECLINE_SHEET, data) or _any(_DECLINE_STRINGS, data):
        raise Declined("sheet")
    for pattern in _DECLINE_IN_TAG:
        for found in pattern.finditer(data):
            if _cell_markup(data, found.start()):
                raise Declined("markup")
    rows = len(_ROW.findall(data))
    if rows > max_rows + 1:
        raise Declined("rows")  # the openpyxl reader counts the data rows and says so
    numbers = [int(number) for number in _ROW_NUMBER.findall(data)]
    if len(numbers) != rows or any(a >= b for a, b in itertools.pairwise(numbers)):
        raise Declined("row numbers")
    special: dict[int, dict[int, object]] = {}
    for match in _special_cells(book).finditer(data):
        attributes = match.group(1) + match.group(3)
        try:
            style = int(match.group(2))
        except ValueError:
            raise Declined("style") from None
        if not 0 <= style < book.styles:
            raise Declined("style")
        reference = _CELL_REF.search(attributes)
        if reference is None:
            raise Declined("cell without reference")
        row = int(reference.group(2))
        column = column_index_from_string(reference.group(1).decode()) - 1
        if style in book.dates:
            kind = _CELL_TYPE.search(attributes)
            value = _VALUE.search(match.group(5) or b"")
            if (kind is None or kind.group(1) == b"n") and value and value.group(1):
                special.setdefault(row, {})[column] = _date(
                    value.group(1), book.epoch, style in book.timedeltas
                )
        elif style in book.percent:
            special.setdefault(row, {})[column] = PERCENT
    return special


_TAG_NAME = re.compile(rb"<([\w:.-]+)")
_CELL_MARKUP = frozenset((b"c", b"row", b"v", b"is", b"t", b"r", b"sheetData"))


def _cell_markup(data: bytes, position: int) -> bool:
    """Whether ``position`` is inside the tag of a cell's markup (not in an attribute's text
    such as a data validation's message, nor in a cell's text)."""
    start = data.rfind(b"<", 0, position)
    if start < data.rfind(b">", 0, position):
        return False
    name = _TAG_NAME.match(data, start)
    return name is not None and name.group(1).rpartition(b":")[2] in _CELL_MARKUP


def _any(patterns: tuple[re.Pattern[bytes], ...], data: bytes) -> bool:
    return any(pattern.search(data) for pattern in patterns)


@lru_cache(maxsize=4096)  # a plan's dates repeat: a few hundred cut dates for 100.000 rows
def _date(text: bytes, epoch: datetime, timedelta: bool) -> object:
    # As openpyxl's WorksheetReader.parse_cell: a serial out of range becomes an error value.
    try:
        return from_excel(_cast_number(text.decode()), epoch, timedelta=timedelta)
    except (OverflowError, ValueError):
        return "#VALUE!"


@lru_cache(maxsize=64)
def _plain_styles_pattern(plain: tuple[int, ...]) -> re.Pattern[bytes]:
    alternatives = b"|".join(str(index).encode() for index in plain) or b"(?!)"
    return re.compile(
        rb"<c\b([^>]*?)\ss=[\"'](?!(?:" + alternatives + rb")[\"'])([^\"']*)[\"']([^>]*?)"
        rb"(/>|>(.*?)</c>)",
        re.S,
    )


def _special_cells(book: WorkbookInfo) -> re.Pattern[bytes]:
    """Cells whose style is not a plain one (a percent, a date, or an index to check)."""
    plain = tuple(
        index
        for index in sorted(range(book.styles), reverse=True)  # "12" tried before "1"
        if index not in book.percent and index not in book.dates
    )
    return _plain_styles_pattern(plain)


@lru_cache(maxsize=256)
def is_percent_format(number_format: str) -> bool:
    """True when Excel multiplies by 100 to display: a bare ``%`` in the format. A quoted or
    escaped one (``0.00"%"``, ``0\\%``) is a literal sign on a value already in points."""
    bare = re.sub(r'"[^"]*"|\\.', "", number_format)
    return "%" in bare
