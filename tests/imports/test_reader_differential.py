"""The fast xlsx reader (python-calamine plus ``xlsx_scan``) gives exactly what the openpyxl
reader gives: the same raw cells (percent cells, formulas and their saved results, dates, whole
numbers as ``int``) and so the same located issues, on the sample, on generated plans, on
workbooks made to hold every kind of cell, and on fuzzed ones. Where it declines, the import
falls back to openpyxl, so the answer is the same either way; the tests also check that the
fast path is really taken on the ordinary workbooks (otherwise they would prove nothing)."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from openpyxl import Workbook

from cascada.imports import sources, xlsx_scan
from cascada.imports.bulk_entry import CUT_SHEET, REPORTS
from cascada.imports.issues import TemplateError, TemplateIssue
from cascada.imports.schema_v1 import SHEETS
from cascada.imports.sources import FormulaCell, PercentCell
from cascada.imports.template_v1 import _Reader
from tests.hostile.test_fuzz_workbooks import FUZZ, mutated_sheets, xlsx_from
from tests.workbooks import small_plan, write_workbook

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "gestion_publica_2026-03-31.xlsx"
SCHEMAS = [SHEETS, (REPORTS, CUT_SHEET)]


def reference(path: Path, schemas) -> object:
    try:
        return sources.read_xlsx_openpyxl(path, tuple(schemas))
    except TemplateError as error:
        return error.issues
    except Exception:
        return "damaged"


def served(path: Path, schemas) -> object:
    """What the import uses (the fast path, or openpyxl where it declines)."""
    try:
        return sources.read_sources(path, schemas)
    except TemplateError as error:
        if [i.expected for i in error.issues] == [sources.XLSX_EXPECTED]:
            return "damaged"
        return error.issues


def located_issues(sheets) -> list[TemplateIssue]:
    try:
        _Reader(sheets).read()
    except TemplateError as error:
        return list(error.issues)
    return []


def assert_same(path: Path, *, fast: bool) -> None:
    for schemas in SCHEMAS:
        expected = reference(path, schemas)
        assert served(path, schemas) == expected
        if fast:  # the fast path itself, not the fallback, gave it
            assert sources.read_xlsx_calamine(path, tuple(schemas)) == expected
        if schemas is SHEETS and isinstance(expected, dict):
            assert located_issues(sources.read_sources(path, SHEETS)) == located_issues(expected)


def test_the_sample_reads_the_same_on_the_fast_path():
    assert_same(SAMPLE, fast=True)


def test_a_generated_plan_reads_the_same_on_the_fast_path(tmp_path):
    from cascada.bench.data import workbook_with_rows

    path, _ = workbook_with_rows(rows=3000, seed=7, folder=tmp_path)
    assert_same(path, fast=True)
    sheets = sources.read_xlsx_calamine(path, SHEETS)
    fechas = [row.values.get("corte") for row in sheets["avances"].rows]
    assert any(isinstance(f, datetime) for f in fechas)  # dates came through the scan


def every_kind_of_cell(path: Path, *, percent: bool = True) -> Path:
    """A valid small plan whose 'avances' rows carry percent cells of every format, dates,
    times, durations, booleans, whole and fractional numbers, blanks and text."""
    sheets = small_plan()
    book = Workbook()
    for default in book.worksheets:
        book.remove(default)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    avances = book["avances"]
    header = [c.value for c in avances[1]]
    extra: list[object] = [
        0.6067,
        0.5,
        60.67,
        0.25,
        1,
        -0.0,
        12,
        123456789012,
        True,
        False,
        datetime(2026, 3, 31),
        datetime(2026, 3, 31, 10, 30),
        date(2025, 12, 31),
        time(10, 30),
        timedelta(hours=30),
        "  texto con espacios  ",
        "ñandú €",
        None,
        3.25,
    ]
    formats = ["0%", "0.00%", '0.00"%"', "0\\%", "0.0%;[Red]-0.0%", "General", "0.00", "#,##0"]
    first: int = avances.max_row + 1
    for index, value in enumerate(extra):
        for column, _ in enumerate(header, start=1):
            cell = avances.cell(row=first + index, column=column, value=value)  # type: ignore[call-overload]
            if percent and not isinstance(value, date | time | timedelta):  # keep their formats
                cell.number_format = formats[(index + column) % len(formats)]
    book.save(path)
    return path


def test_percent_dates_booleans_blanks_read_the_same_on_the_fast_path(tmp_path):
    path = every_kind_of_cell(tmp_path / "celdas.xlsx")
    assert_same(path, fast=True)
    cells = [
        v
        for row in sources.read_xlsx_calamine(path, SHEETS)["avances"].rows
        for v in row.values.values()
    ]
    assert PercentCell(0.6067) in cells  # a percent cell in a value column
    assert any(isinstance(v, time) for v in cells)
    assert any(isinstance(v, bool) for v in cells)
    assert 123456789012 in cells and not any(type(v) is float and v.is_integer() for v in cells)


def patched(path: Path, member: str, change) -> Path:
    """``path`` rewritten with ``member``'s XML passed through ``change``."""
    with zipfile.ZipFile(path) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    contents[member] = change(contents[member])
    out = path.with_name(f"cambiado-{path.name}")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)
    return out


def avances_member(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        book = xlsx_scan.read_workbook(archive)
    return next(s.member for s in book.worksheets if s.title == "avances")


@pytest.mark.parametrize("cached", [False, True], ids=["no-saved-value", "saved-value"])
def test_formulas_read_the_same_with_and_without_their_saved_value(tmp_path, cached):
    sheets = small_plan()
    header = sheets["avances"][0]
    value_column = next(i for i, name in enumerate(header) if name == "ejecutado_corte")
    formula_row = list(sheets["avances"][1])
    formula_row[value_column] = "=1/4"
    sheets["avances"].append(formula_row)
    path = write_workbook(tmp_path / "formulas.xlsx", sheets)
    if cached:
        path = patched(
            path,
            avances_member(path),
            lambda xml: xml.replace(b"<f>1/4</f><v></v>", b"<f>1/4</f><v>0.25</v>"),
        )
    with pytest.raises(xlsx_scan.Declined):
        sources.read_xlsx_calamine(path, SHEETS)
    assert_same(path, fast=False)
    cell = sources.read_sources(path, SHEETS)["avances"].rows[-1].values["ejecutado_corte"]
    assert cell == FormulaCell("=1/4", 0.25 if cached else None)
    if not cached:
        assert any(
            "=1/4" in (i.value or "") for i in located_issues(sources.read_sources(path, SHEETS))
        )


@pytest.mark.parametrize(
    "change",
    [
        # an error cell (#DIV/0! saved by Excel)
        lambda xml: re.sub(rb'(<c r="C3")[^>]*>.*?</c>', rb'\1 t="e"><v>#DIV/0!</v></c>', xml),
        # a number written "5.0" (openpyxl: float; calamine: a whole number)
        lambda xml: re.sub(rb"<v>(\d+)</v>", rb"<v>\1.0</v>", xml, count=1),
        # an exponent
        lambda xml: re.sub(rb"<v>(\d+)</v>", rb"<v>\1E0</v>", xml, count=1),
        # an empty inline string
        lambda xml: re.sub(rb"<t>[^<]*</t>", b"<t></t>", xml, count=1),
        # rows out of order
        lambda xml: xml.replace(b'<row r="2"', b'<row r="9"', 1),
    ],
    ids=["error", "5.0", "exponent", "empty-string", "rows-out-of-order"],
)
def test_what_the_fast_path_declines_reads_as_openpyxl_reads_it(tmp_path, change):
    original = every_kind_of_cell(tmp_path / "celdas.xlsx")
    path = patched(original, avances_member(original), change)
    assert path.read_bytes() != original.read_bytes()
    with pytest.raises(xlsx_scan.Declined):
        sources.read_xlsx_calamine(path, SHEETS)
    assert_same(path, fast=False)


@FUZZ
@given(sheets=mutated_sheets())
def test_fuzzed_workbooks_read_the_same(tmp_path, sheets):
    path = xlsx_from(tmp_path, sheets)
    assert_same(path, fast=False)
