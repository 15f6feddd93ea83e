"""Raw cells out of an ``.xlsx``, a folder of CSV files or a ``.zip`` of them.

This module only finds the sheets, matches the header row against the template's columns and
hands over each row's raw values; ``template_v1`` decides what they mean. What a spreadsheet
adds to a bare value travels with it:

* ``PercentCell``: a number cell displayed with a percent format (Excel stores 0.6067 and shows
  60,67 %); the reader scales it to percent points.
* ``FormulaCell``: a formula in a non-text column. The workbook is loaded without evaluating
  anything; the value Excel computed and saved (its cached value) is read in a second, lazy
  pass only when such cells exist. In text columns a formula is just its text ("=A1").

Large files: an ``.xlsx`` is read with python-calamine (Rust, ~10× less CPU than openpyxl),
which gives bare values; ``xlsx_scan`` finds in the sheet XML the cells whose style is a percent
or a date format, so the values are exactly those openpyxl gives. Whatever ``xlsx_scan`` is not
sure of (formulas, error cells, unusual XML) it declines, and the workbook is read with openpyxl
(``read_xlsx_openpyxl``: each sheet streamed once, ``read_only``), the reference the fast path
is tested against. Only the template's columns are looked at, and nothing is quadratic.

Limits keep a hostile or runaway file from exhausting the machine, each refused with a Spanish
message before it costs much: an archive (``.xlsx`` or ``.zip``) may unpack to at most
``MAX_UNPACKED_BYTES`` in at most ``MAX_MEMBERS`` files, judged from its directory before
anything is decompressed (a zip bomb: a few MB that unpack to GB); and a sheet may hold at most
``MAX_ROWS`` data rows (far above a district's plan, DESIGN §7). Both are checked before
calamine reads anything: a sheet with more rows than that is left to openpyxl, which counts its
data rows as it streams.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, TypeGuard

from openpyxl import load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from python_calamine import CalamineWorkbook

from cascada.imports import xlsx_scan
from cascada.imports.issues import TemplateError, TemplateIssue, file_issue
from cascada.imports.schema_v1 import Sheet
from cascada.imports.text import clean_text
from cascada.imports.xlsx_scan import is_percent_format

SOURCE_EXPECTED = (
    "un libro .xlsx, un .zip de archivos CSV o una carpeta de archivos CSV con las hojas de la "
    "plantilla v1 (plan.csv, objetivos.csv, …)"
)
NO_CSV = "no se encontró ningún archivo CSV con el nombre de una hoja"
XLSX_EXPECTED = "un libro .xlsx válido (el archivo está dañado o no es un libro de Excel)"
ZIP_EXPECTED = "un archivo .zip válido con archivos CSV (el archivo está dañado)"
CSV_EXPECTED = (
    "un archivo CSV legible (hay un campo demasiado largo, quizá por unas comillas que no cierran)"
)
CSV_ENCODING_EXPECTED = "un archivo CSV en UTF-8 (en Excel: Guardar como «CSV UTF-8»)"

# Python's zipfile stops each member at the size its directory declares, so checking the
# declared sizes bounds what is really unpacked.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_MEMBERS = 10_000
MAX_ROWS = 500_000


@dataclass(frozen=True, slots=True)
class PercentCell:
    """A number cell shown with a percent format; ``number`` is what Excel stores (0.6067)."""

    number: int | float


@dataclass(slots=True)
class FormulaCell:
    """A formula in a non-text column. ``cached`` is the value Excel saved with the file (``None``
    if it never computed it, e.g. a workbook written by a script and not opened since)."""

    text: str
    cached: object = None


@dataclass(frozen=True, slots=True)
class RawRow:
    number: int  # spreadsheet row as the user sees it (header = 1)
    values: dict[str, object]  # template column -> raw value; blank cells left out


@dataclass
class RawSheet:
    name: str
    header: tuple[str, ...]  # every header cell, cleaned ("" for a blank one)
    rows: list[RawRow] = field(default_factory=list)


def read_sources(path: Path, sheets: Iterable[Sheet]) -> dict[str, RawSheet]:
    """The template's sheets found at ``path``, by sheet name (absent sheets are left out).

    Raises ``TemplateError`` with a file-level issue when ``path`` cannot be read at all.
    """
    schemas = tuple(sheets)
    if not path.exists():
        raise TemplateError([file_issue(str(path), f"{SOURCE_EXPECTED}; el archivo no existe")])
    try:
        return _read_path(path, schemas)
    except OSError:  # permissions, a file removed while reading, a network drive gone
        raise TemplateError(
            [file_issue(str(path), f"{SOURCE_EXPECTED}; no se pudo leer")]
        ) from None


def _read_path(path: Path, schemas: tuple[Sheet, ...]) -> dict[str, RawSheet]:
    if path.is_dir():
        return _read_csv_folder(path, schemas)
    if not zipfile.is_zipfile(path):
        raise TemplateError([file_issue(path.name, _not_a_zip_expected(path))])
    try:
        with zipfile.ZipFile(path) as archive:
            _check_unpacked_size(path.name, archive)
            members = archive.namelist()
            if _is_workbook(members):
                return _read_xlsx(path, schemas)
            return _read_csv_zip(path.name, archive, members, schemas)
    except TemplateError:
        raise
    except Exception:  # any damage inside the archive is the user's file, never a traceback
        expected = XLSX_EXPECTED if path.suffix.lower() in {".xlsx", ".xlsm"} else ZIP_EXPECTED
        raise TemplateError([file_issue(path.name, expected)]) from None


def _not_a_zip_expected(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".xls":
        return f"{SOURCE_EXPECTED}; los libros .xls antiguos deben guardarse como .xlsx"
    if suffix == ".csv":
        return f"{SOURCE_EXPECTED}; un solo CSV no basta: ponga uno por hoja en una carpeta o .zip"
    if suffix in {".xlsx", ".xlsm"}:
        return (
            f"{SOURCE_EXPECTED}; el archivo está dañado, protegido con contraseña o no es lo "
            "que dice su extensión"
        )
    if suffix == ".zip":
        return f"{SOURCE_EXPECTED}; el archivo está dañado o no es lo que dice su extensión"
    return SOURCE_EXPECTED


def _check_unpacked_size(name: str, archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    unpacked = sum(member.file_size for member in members)
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES:
        limit = f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB en {MAX_MEMBERS:,} archivos".replace(
            ",", "."
        )
        found = f"{unpacked / (1024 * 1024):,.0f} MB en {len(members):,} archivos".replace(",", ".")
        raise TemplateError(
            [
                file_issue(
                    name,
                    f"un archivo que descomprimido ocupe como máximo {limit} (este ocupa "
                    f"{found}; quite hojas, imágenes o filas que no sean de la plantilla)",
                )
            ]
        )


def _too_many_rows(sheet: str) -> TemplateError:
    limit = f"{MAX_ROWS:,}".replace(",", ".")
    return TemplateError(
        [
            TemplateIssue(
                sheet,
                None,
                None,
                None,
                f"como máximo {limit} filas con datos por hoja",
            )
        ]
    )


def _is_workbook(members: list[str]) -> bool:
    return "[Content_Types].xml" in members or any(m.startswith("xl/") for m in members)


# ---------------------------------------------------------------------------------------------
# xlsx


def _read_xlsx(path: Path, schemas: tuple[Sheet, ...]) -> dict[str, RawSheet]:
    try:
        return read_xlsx_calamine(path, schemas)
    except TemplateError:
        raise
    except Exception:  # Declined, or calamine's own complaint: openpyxl reads it or says why
        return read_xlsx_openpyxl(path, schemas)


# ---------------------------------------------------------------------------------------------
# xlsx, the fast path: python-calamine's values and xlsx_scan's formats


def read_xlsx_calamine(path: Path, schemas: tuple[Sheet, ...]) -> dict[str, RawSheet]:
    """What ``read_xlsx_openpyxl`` gives, read with python-calamine. Raises ``Declined`` (or
    calamine's error) when the workbook holds something only openpyxl is known to read right.
    The archive's size was checked by the caller; each sheet's rows are counted before calamine
    reads it."""
    found: dict[str, RawSheet] = {}
    with zipfile.ZipFile(path) as archive:
        book = xlsx_scan.read_workbook(archive)
        wanted = _match_titles([sheet.title for sheet in book.worksheets], schemas)
        members = {sheet.title: sheet.member for sheet in book.worksheets}
        special = {
            title: xlsx_scan.scan_sheet(archive.read(members[title]), book, max_rows=MAX_ROWS)
            for _, title in wanted
        }
    with path.open("rb") as handle:
        workbook = CalamineWorkbook.from_filelike(handle)
        try:
            for schema, title in wanted:
                grid = workbook.get_sheet_by_name(title).to_python(skip_empty_area=False)
                found[schema.name] = _read_grid(grid, schema, special[title])
        finally:
            workbook.close()
    return found


def _read_grid(
    grid: list[list[Any]], schema: Sheet, special: dict[int, dict[int, object]]
) -> RawSheet:
    first = special.get(1, {})
    header_cells = grid[0] if grid else []
    header = _trimmed(
        tuple(
            _header_text(_header_value(value, first.get(index, _NONE)))
            for index, value in enumerate(header_cells)
        )
    )
    sheet = RawSheet(schema.name, header)
    positions = _positions(header, schema)
    value_columns = {c.name for c in schema.columns if not c.kind.is_text}
    for number, cells in enumerate(grid[1:], start=2):
        values: dict[str, object] = {}
        marks = special.get(number)
        for name, index in positions:
            raw: Any = cells[index] if index < len(cells) else ""
            value: object
            mark = marks.get(index, _NONE) if marks else _NONE
            if mark is _NONE:
                # The two common cases inline (a call per cell costs 0,2 s per 100.000 rows).
                if raw.__class__ is str:
                    value = raw or None
                elif raw.__class__ is float and not raw.is_integer():
                    value = raw
                else:
                    value = _calamine_value(raw)
            elif mark is xlsx_scan.PERCENT:
                value = _calamine_value(raw)
                if name in value_columns and _is_number(value):
                    value = PercentCell(value)
            else:
                value = mark
            if value is not None:
                values[name] = value
        if values:
            if len(sheet.rows) >= MAX_ROWS:
                raise _too_many_rows(schema.name)
            sheet.rows.append(RawRow(number, values))
    return sheet


_NONE = object()


def _header_value(raw: object, mark: object) -> object:
    return _calamine_value(raw) if mark is _NONE or mark is xlsx_scan.PERCENT else mark


def _calamine_value(value: object) -> object:
    """A calamine value as openpyxl gives it: a blank cell is ``None`` (xlsx_scan declined the
    workbooks with empty strings), a whole number an ``int`` (xlsx_scan declined the texts like
    "5.0" that openpyxl reads as floats). A date calamine found where openpyxl sees none is not
    guessed at."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, bool | int):
        return value
    raise xlsx_scan.Declined(f"calamine value {type(value).__name__}")


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


# ---------------------------------------------------------------------------------------------
# xlsx, the reference path: openpyxl


def read_xlsx_openpyxl(path: Path, schemas: tuple[Sheet, ...]) -> dict[str, RawSheet]:
    """The template's sheets read with openpyxl: slower, and the reference for every workbook
    (the fast path must give exactly this, tested on many workbooks)."""
    pending: dict[str, dict[tuple[int, int], FormulaCell]] = {}
    found: dict[str, RawSheet] = {}
    # A file object rather than the path: openpyxl would reject a workbook named ``.zip``.
    with path.open("rb") as handle:
        workbook = load_workbook(handle, read_only=True, data_only=False)
        try:
            for schema, worksheet in _match_worksheets(workbook.worksheets, schemas):
                formulas: dict[tuple[int, int], FormulaCell] = {}
                found[schema.name] = _read_worksheet(worksheet, schema, formulas)
                if formulas:
                    pending[worksheet.title] = formulas
        finally:
            workbook.close()
    if pending:
        _fill_cached_values(path, pending)
    return found


def _match_titles(titles: list[str], schemas: tuple[Sheet, ...]) -> list[tuple[Sheet, str]]:
    """As ``_match_worksheets``, on titles."""
    by_title: dict[str, str] = {}
    for title in titles:
        by_title.setdefault(title.strip(), title)
    for title in titles:
        if title in by_title:
            by_title[title] = title
    return [(schema, by_title[schema.name]) for schema in schemas if schema.name in by_title]


def _match_worksheets(
    worksheets: list[Any], schemas: tuple[Sheet, ...]
) -> Iterator[tuple[Sheet, ReadOnlyWorksheet]]:
    # Surrounding spaces in a sheet title are tolerated, as in headers; an exact title wins.
    by_title: dict[str, ReadOnlyWorksheet] = {}
    for worksheet in worksheets:
        if isinstance(worksheet, ReadOnlyWorksheet):  # chart sheets hold no cells
            by_title.setdefault(worksheet.title.strip(), worksheet)
    for worksheet in worksheets:
        if isinstance(worksheet, ReadOnlyWorksheet) and worksheet.title in by_title:
            by_title[worksheet.title] = worksheet
    for schema in schemas:
        if schema.name in by_title:
            yield schema, by_title[schema.name]


def _read_worksheet(
    worksheet: Any,  # ReadOnlyWorksheet; its stubs type iter_rows for the writable sheet
    schema: Sheet,
    formulas: dict[tuple[int, int], FormulaCell],
) -> RawSheet:
    # Tools outside the project sometimes write a wrong <dimension>; read what is really there.
    worksheet.reset_dimensions()
    rows = worksheet.iter_rows()
    header = _trimmed(tuple(_header_text(cell.value) for cell in next(rows, ())))
    sheet = RawSheet(schema.name, header)
    positions = _positions(header, schema)
    value_columns = {c.name for c in schema.columns if not c.kind.is_text}
    for number, cells in enumerate(rows, start=2):
        values: dict[str, object] = {}
        for name, index in positions:
            if index >= len(cells):
                continue
            cell = cells[index]
            value = cell.value
            if value is None:
                continue
            if cell.data_type == "f":
                text = _formula_text(value)
                if name in value_columns:
                    formula = FormulaCell(text)
                    formulas[(number, index)] = formula
                    values[name] = formula
                else:
                    values[name] = text  # a formula in a text column is just its text
            elif name in value_columns and _is_percent_number(value, cell.number_format):
                values[name] = PercentCell(value)
            else:
                values[name] = value
        if values:
            if len(sheet.rows) >= MAX_ROWS:
                raise _too_many_rows(schema.name)
            sheet.rows.append(RawRow(number, values))
    return sheet


def _fill_cached_values(path: Path, pending: dict[str, dict[tuple[int, int], FormulaCell]]) -> None:
    """Second pass, only for sheets with formulas in value columns: Excel's saved results."""
    with path.open("rb") as handle:
        workbook = load_workbook(handle, read_only=True, data_only=True)
        try:
            for title, formulas in pending.items():
                by_row: dict[int, list[tuple[int, FormulaCell]]] = {}
                for (row, index), formula in formulas.items():
                    by_row.setdefault(row, []).append((index, formula))
                worksheet = workbook[title]
                worksheet.reset_dimensions()
                rows = worksheet.iter_rows(max_row=max(by_row))
                for number, cells in enumerate(rows, start=1):
                    for index, formula in by_row.get(number, ()):
                        if index < len(cells):
                            formula.cached = _cached(cells[index])
        finally:
            workbook.close()


def _cached(cell: Any) -> object:
    value = cell.value
    if _is_percent_number(value, cell.number_format):
        return PercentCell(value)
    return value


def _formula_text(value: object) -> str:
    # Array formulas come as objects carrying their text.
    text = getattr(value, "text", None)
    return text if isinstance(text, str) else str(value)


def _is_percent_number(value: object, number_format: str | None) -> TypeGuard[int | float]:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and number_format is not None
        and is_percent_format(number_format)
    )


def _trimmed(header: tuple[str, ...]) -> tuple[str, ...]:
    """Without the blank cells at the end: openpyxl stops at a row's last cell, calamine at the
    sheet's last column, and a blank header cell means nothing either way."""
    end = len(header)
    while end and not header[end - 1]:
        end -= 1
    return header[:end]


def _header_text(value: object) -> str:
    return clean_text(value if isinstance(value, str) else "" if value is None else str(value))


def _positions(header: tuple[str, ...], schema: Sheet) -> list[tuple[str, int]]:
    """(column, index) for each template column in the header; the first one wins when a name
    repeats (the reader reports the repetition)."""
    wanted = set(schema.column_names)
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        if name in wanted:
            positions.setdefault(name, index)
    return list(positions.items())


# ---------------------------------------------------------------------------------------------
# CSV


def _read_csv_folder(folder: Path, schemas: tuple[Sheet, ...]) -> dict[str, RawSheet]:
    files = {p.name: p for p in folder.iterdir() if p.is_file()}
    if not any(_csv_name(files, schema.name) for schema in schemas):
        raise TemplateError([file_issue(folder.name, f"{SOURCE_EXPECTED}; {NO_CSV}")])
    found: dict[str, RawSheet] = {}
    issues: list[TemplateIssue] = []
    for schema in schemas:
        csv_path = _csv_name(files, schema.name)
        if csv_path is None:
            continue
        sheet = _read_csv_bytes(files[csv_path].read_bytes(), schema, issues)
        if sheet is not None:
            found[schema.name] = sheet
    if issues:
        raise TemplateError(issues)
    return found


def _read_csv_zip(
    zip_name: str, archive: zipfile.ZipFile, members: list[str], schemas: tuple[Sheet, ...]
) -> dict[str, RawSheet]:
    # CSVs at the root or inside one folder (what "compress this folder" produces).
    by_name: dict[str, list[str]] = {}
    for member in members:
        name = PurePosixPath(member).name
        if member.endswith("/") or member.startswith("__MACOSX/") or name.startswith("._"):
            continue
        by_name.setdefault(name, []).append(member)
    if not any(_csv_name(by_name, schema.name) for schema in schemas):
        # An .ods, a .docx or a zip of something else: say so once, not "missing sheet" six times.
        raise TemplateError([file_issue(zip_name, f"{SOURCE_EXPECTED}; {NO_CSV}")])
    found: dict[str, RawSheet] = {}
    issues: list[TemplateIssue] = []
    for schema in schemas:
        csv_name = _csv_name(by_name, schema.name)
        if csv_name is None:
            continue
        if len(by_name[csv_name]) > 1:
            issues.append(
                TemplateIssue(
                    schema.name,
                    None,
                    None,
                    ", ".join(by_name[csv_name]),
                    f"un solo archivo '{schema.name}.csv' en el .zip",
                )
            )
            continue
        with archive.open(by_name[csv_name][0]) as handle:
            sheet = _read_csv_bytes(_read_all(handle), schema, issues)
        if sheet is not None:
            found[schema.name] = sheet
    if issues:
        raise TemplateError(issues)
    return found


def _read_all(handle: IO[bytes]) -> bytes:
    return handle.read()


def _csv_name(names: Iterable[str], sheet: str) -> str | None:
    """The file for ``sheet``: ``<sheet>.csv`` (the extension in any case)."""
    for name in names:
        stem, dot, suffix = name.rpartition(".")
        if dot and stem == sheet and suffix.lower() == "csv":
            return name
    return None


# The longest cell a CSV may hold (csv's default limit): far above any real analysis (the
# hostile-input checks use 100 KB), and what an unclosed quote soon runs past.
CSV_FIELD_LIMIT = 131_072


def _read_csv_bytes(data: bytes, schema: Sheet, issues: list[TemplateIssue]) -> RawSheet | None:
    try:
        text = data.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a BOM
    except UnicodeDecodeError:
        issues.append(
            TemplateIssue(schema.name, None, None, f"{schema.name}.csv", CSV_ENCODING_EXPECTED)
        )
        return None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = tuple(_header_text(value) for value in next(reader, []))
        sheet = RawSheet(schema.name, header)
        positions = _positions(header, schema)
        for number, cells in enumerate(reader, start=2):
            if any(len(cell) > CSV_FIELD_LIMIT for cell in cells):
                # csv's own limit is process-wide and other libraries raise it (frictionless
                # does), so the bound is checked here too.
                raise csv.Error("campo demasiado largo")
            values: dict[str, object] = {
                name: cells[index]
                for name, index in positions
                if index < len(cells) and cells[index]
            }
            if values:
                if len(sheet.rows) >= MAX_ROWS:
                    raise _too_many_rows(schema.name)
                sheet.rows.append(RawRow(number, values))
    except csv.Error:  # a field beyond csv.field_size_limit(), e.g. after an unclosed quote
        issues.append(TemplateIssue(schema.name, reader.line_num or None, None, None, CSV_EXPECTED))
        return None
    return sheet


def _delimiter(text: str) -> str:
    """``;`` or ``,``, judged on the header line: Colombian Excel exports use ``;`` (the comma is
    the decimal mark), and the template's column names contain neither."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","
