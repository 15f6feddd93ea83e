"""Bulk entry of progress reports: an entity downloads its indicators of an open cut as an
``.xlsx``, fills in the executed values, analyses and evidence, and uploads it back.

The file has two sheets: ``reportes`` (one row per indicator: ``codigo``, ``nombre``,
``unidad``, ``programado_corte`` and ``estado`` to read; ``ejecutado_corte``, ``analisis`` and
``evidencias`` to fill in; ``version``, the version of each report when the file was made) and
``corte`` (the plan and the cut the file belongs to). Where the plan lets entities propose the
programming of the cut (``Plan.reporters_propose_programming``), ``reportes`` has one more
column to fill in, ``programacion_propuesta``; elsewhere a value there refuses the file. Cells
are written with the template's formula-safe ``put_value`` and read with the template's cell
rules (numbers by the one number rule, text without HTML, a formula through the value Excel
saved), so the messages are the import's: sheet, row, column, value found, what was expected.

Uploading is all or nothing (``cascada.tracking.reporting.save_reports``): only the user's own
indicators in force at the cut, only while the cut is open, only reports still in draft or
returned, and a row that differs from a report changed since the download is a conflict that
refuses the whole file. Rows left out of the file, and rows equal to what is stored, change
nothing. The file is one audit row (its SHA-256 and what it changed).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any, cast

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter

from cascada.imports.issues import TemplateError, TemplateIssue
from cascada.imports.schema_v1 import Column, Kind, Sheet
from cascada.imports.sources import read_sources
from cascada.imports.template_v1 import _Row  # the template's typed cell getters
from cascada.imports.template_writer import put_value
from cascada.plans.models import Indicator
from cascada.tracking.models import Cut
from cascada.tracking.reporting import BulkRow, BulkSummary, ReportInput, save_reports
from cascada.tracking.todo import todo_rows

REPORTS = Sheet(
    "reportes",
    (
        Column("codigo", Kind.CODE, True, "Código del indicador (no lo cambie)."),
        Column("nombre", Kind.TEXT, False, "Nombre del indicador (solo lectura)."),
        Column("unidad", Kind.TEXT, False, "Unidad de medida (solo lectura)."),
        Column("programado_corte", Kind.NUMBER, False, "Programado al corte (solo lectura)."),
        Column("estado", Kind.TEXT, False, "Estado del reporte al descargar (solo lectura)."),
        Column("ejecutado_corte", Kind.NUMBER, False, "Ejecutado al corte, acumulado."),
        Column("analisis", Kind.TEXT, False, "Análisis cualitativo."),
        Column("evidencias", Kind.TEXT, False, "Enlaces https://, uno por línea."),
        Column("version", Kind.INTEGER, True, "Versión del reporte al descargar (no la cambie)."),
        Column(
            "programacion_propuesta",
            Kind.NUMBER,
            False,
            "Programación al corte que propone la entidad (solo si el plan lo permite).",
        ),
    ),
    "Los reportes del corte, uno por indicador.",
)
PROPOSED = "programacion_propuesta"
CUT_SHEET = Sheet(
    "corte",
    (
        Column("campo", Kind.TEXT, True, "plan o corte."),
        Column("valor", Kind.TEXT, True, "El código del plan o la fecha del corte."),
    ),
    "El plan y el corte del archivo.",
)
EDITABLE = ("ejecutado_corte", "analisis", "evidencias", PROPOSED)
WIDTHS = {
    "codigo": 14,
    "nombre": 48,
    "analisis": 60,
    "evidencias": 40,
    "estado": 22,
    PROPOSED: 22,
}


def _columns(cut: Cut) -> tuple[str, ...]:
    """The columns of the file for ``cut``: the proposed programming only where the plan
    lets entities propose it."""
    propose = cut.plan.reporters_propose_programming
    return tuple(name for name in REPORTS.column_names if propose or name != PROPOSED)


_HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
_EDIT_FILL = PatternFill("solid", fgColor="FCE4D6")  # "fill this in", as in the template
MAX_ROWS = 20_000


def workbook_bytes(*, cut: Cut, indicators: QuerySet[Indicator]) -> bytes:
    """The file to fill in: ``indicators`` (the user's) at ``cut``, as in the to-do list; only
    the pending ones have their cells to fill in unlocked and coloured."""
    rows = todo_rows(cut=cut, indicators=indicators)
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 — a new workbook has one sheet
    sheet.title = REPORTS.name
    columns = _columns(cut)
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for n, row in enumerate(rows, start=2):
        report = row.report
        values: list[object] = [
            row.indicator.code,
            row.indicator.name,
            row.indicator.unit,
            row.programmed,
            row.stage_label,
            report.executed if report is not None else None,
            report.analysis if report is not None else "",
            "\n".join(report.evidence) if report is not None else "",
            row.version,
        ]
        if PROPOSED in columns:
            values.append(report.proposed_programmed if report is not None else None)
        for column, value in enumerate(values, start=1):
            cell = cast(Cell, sheet.cell(row=n, column=column))
            put_value(cell, value if value != "" else None)
            if row.pending and columns[column - 1] in EDITABLE:
                cell.protection = Protection(locked=False)
                cell.fill = _EDIT_FILL
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, name in enumerate(columns, start=1):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = WIDTHS.get(name, 16)
    sheet.freeze_panes = "B2"
    # Protected without a password: a reminder of which columns to fill in, not a lock.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    info = book.create_sheet(CUT_SHEET.name)
    info.append(list(CUT_SHEET.column_names))
    for campo, valor in (("plan", cut.plan.code), ("corte", cut.date.isoformat())):
        info.append([None, None])
        put_value(cast(Cell, info.cell(row=info.max_row, column=1)), campo)
        put_value(cast(Cell, info.cell(row=info.max_row, column=2)), valor)
    output = BytesIO()
    book.save(output)
    return output.getvalue()


@dataclass(frozen=True)
class BulkFile:
    """A bulk entry file read and checked against the cut and the user's indicators."""

    rows: list[BulkRow]


def read_bulk_file(path: Path, *, cut: Cut, indicators: QuerySet[Indicator]) -> BulkFile:
    """The rows of the file at ``path`` for ``cut``, limited to ``indicators`` (the user's).
    Raises ``TemplateError`` listing every problem, each located."""
    sheets = read_sources(path, (REPORTS, CUT_SHEET))
    issues: list[TemplateIssue] = []
    found = sheets.get(REPORTS.name)
    if found is None:
        raise TemplateError(
            [TemplateIssue(REPORTS.name, None, None, None, "la hoja 'reportes' del archivo")]
        )
    _check_cut(sheets.get(CUT_SHEET.name), cut, issues)
    propose = cut.plan.reporters_propose_programming
    for name in ("codigo", "version", *(c for c in EDITABLE if propose or c != PROPOSED)):
        if name not in found.header:
            issues.append(TemplateIssue(REPORTS.name, 1, name, None, f"la columna '{name}'"))
    if issues:
        raise TemplateError(issues)
    if len(found.rows) > MAX_ROWS:
        raise TemplateError(
            [TemplateIssue(REPORTS.name, None, None, None, f"como máximo {MAX_ROWS} filas")]
        )
    allowed = {i.code: i for i in indicators.select_related("plan")}
    headers = frozenset(found.header)
    seen: dict[str, int] = {}
    rows: list[BulkRow] = []
    for raw in found.rows:
        row = _Row(REPORTS.name, raw, headers, issues)
        if row.is_blank():
            continue
        code = row.code("codigo")
        version = row.integer("version", required=True)
        executed = row.number("ejecutado_corte")
        analysis = row.text("analisis")
        links = row.text("evidencias").split()
        proposed = row.number(PROPOSED)
        if proposed is not None and not propose:
            row.report(
                PROPOSED,
                str(proposed),
                "la columna vacía: este plan no permite que las entidades propongan la "
                "programación",
            )
        if code is None:
            continue
        indicator = allowed.get(code)
        if indicator is None:
            row.report(
                "codigo",
                code,
                "el código de uno de sus indicadores en este corte (no se pueden reportar "
                "indicadores de otra entidad ni agregar filas)",
            )
        elif code in seen:
            row.report(
                "codigo", code, f"un indicador una sola vez (ya está en la fila {seen[code]})"
            )
        seen.setdefault(code, raw.number)
        if row.failed or indicator is None or version is None:
            continue
        rows.append(
            BulkRow(
                line=raw.number,
                indicator=indicator,
                version=version,
                data=ReportInput(
                    executed=executed,
                    analysis=analysis,
                    evidence=links,
                    proposed_programmed=proposed,
                    propose=propose,
                ),
            )
        )
    if issues:
        raise TemplateError(issues)
    return BulkFile(rows=rows)


def _check_cut(sheet: Any, cut: Cut, issues: list[TemplateIssue]) -> None:
    expected = {"plan": cut.plan.code, "corte": cut.date.isoformat()}
    found: dict[str, tuple[int | None, str]] = {}
    if sheet is not None:
        for raw in sheet.rows:
            campo = str(raw.values.get("campo", "")).strip()
            value = raw.values.get("valor", "")
            if isinstance(value, datetime):
                value = value.date()
            text = value.isoformat() if isinstance(value, date) else str(value).strip()
            found[campo] = (raw.number, text)
    for campo, wanted in expected.items():
        line, text = found.get(campo, (None, ""))
        if text != wanted:
            issues.append(
                TemplateIssue(
                    CUT_SHEET.name,
                    line,
                    "valor",
                    text,
                    f"'{wanted}' como {campo}: el archivo debe ser el descargado para el corte "
                    f"{cut.date.isoformat()} del plan {cut.plan.code}",
                )
            )


def apply_bulk_file(
    *,
    path: Path,
    cut: Cut,
    indicators: QuerySet[Indicator],
    actor: Any,
    source: str,
    dry_run: bool,
) -> BulkSummary:
    """Read and apply (or, with ``dry_run``, only check) the file at ``path``. Raises
    ``TemplateError``, ``CutNotOpen`` or ``BulkRefused``; nothing is written then."""
    content = path.read_bytes()
    read = read_bulk_file(path, cut=cut, indicators=indicators)
    return save_reports(
        cut=cut,
        rows=read.rows,
        actor=actor,
        source=source,
        sha256=hashlib.sha256(content).hexdigest(),
        sheet=REPORTS.name,
        dry_run=dry_run,
    )
