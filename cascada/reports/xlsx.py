"""The follow-up report as an Excel workbook: the cut's results to filter and pivot, then the plan
itself as template v1 sheets, so the file can be imported again (``cascada import``).

Sheets, in order:

* ``resumen``: title rows (plan, sector, cut in words, source line), the plan's three figures,
  then a table of the objectives (frozen header, autofilter).
* ``resultados_objetivos``: one row per objective (the plan's order).
* ``resultados_indicadores``: one row per indicator with every figure, its status (label and
  code), semáforo, alerts and qualitative analysis.
* ``plan``, ``objetivos``, ``metas``, ``indicadores``, ``programacion_anual``, ``avances``
  (and ``ponderaciones`` when the plan has weights): written by the export's own code
  (``cascada.imports.export.add_plan_sheets``), so they read back as the plan. Readers of
  template v1 ignore the three result sheets (extra sheets are allowed by the contract).

Cells: numbers are numeric cells, unrounded, never text; percentages are stored in percent points
(183.333…) with the number format ``0.00"%"`` and amounts with ``#,##0.00``. Excel shows them with
the separators of the reader's own locale (``183,33%`` in es-CO), so the file does not depend on
one. A figure that is undefined is a blank cell (the ``nota`` column says why: "Sin programación
al corte"). Text goes through ``put_value``: a name that starts with ``=``, ``+``, ``-`` or ``@`` is
a string cell, never a formula. Column headers are fixed lowercase names (like the template's),
whatever the report's language; titles, labels and notes follow it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cascada.engine.display import NO_PROGRAMMING, Lang
from cascada.imports.export import add_plan_sheets
from cascada.imports.template_v1 import PlanWorkbook
from cascada.imports.template_writer import put_value
from cascada.reports.dataset import ReportDataset, ReportIndicator, ReportObjective

__all__ = ["AMOUNT_FORMAT", "PERCENT_FORMAT", "RESULT_SHEETS", "render_xlsx"]

PERCENT_FORMAT = '0.00"%"'  # percent points: 183.333… shows as 183.33% (183,33% in es-CO)
AMOUNT_FORMAT = "#,##0.00"
COUNT_FORMAT = "0"
RESULT_SHEETS = ("resumen", "resultados_objetivos", "resultados_indicadores")

_TITLE = Font(bold=True, size=14)
_BOLD = Font(bold=True)
_MUTED = Font(italic=True, color="595959")
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_SEMAFORO_FILLS = {
    "rojo": PatternFill("solid", fgColor="F8D7D3"),
    "amarillo": PatternFill("solid", fgColor="FCF3CF"),
    "verde": PatternFill("solid", fgColor="D5EFDD"),
    "azul": PatternFill("solid", fgColor="D6E6F5"),
}

TEXTS: dict[Lang, dict[str, str]] = {
    "es": {
        "cut": "Seguimiento con corte al {day}",
        "draft": (
            "Borrador: el corte no está publicado (estado {state}); sus cifras pueden cambiar."
        ),
        "plan_compliance": "Cumplimiento del plan al corte",
        "year": "Avance vigencia {year}",
        "four_year": "Avance cuatrienio",
        "semaforo": "Semáforo del plan",
        "objectives": "Objetivos sectoriales",
        "equal_weights": "Pesos de objetivo: iguales (no se fijaron para la vigencia).",
        "no_target": "Sin meta con valor para calcularlo",
        "data_note": (
            "Cifras en puntos porcentuales, sin redondear (el formato muestra dos decimales). "
            "Las hojas plan, objetivos, metas, indicadores, programacion_anual y avances son el "
            "plan en la plantilla v1: este archivo se puede importar con «cascada import»."
        ),
    },
    "en": {
        "cut": "Follow-up at the cut of {day}",
        "draft": "Draft: the cut is not published (state {state}); its figures may change.",
        "plan_compliance": "Plan compliance at the cut",
        "year": "Progress in {year}",
        "four_year": "Four-year progress",
        "semaforo": "Plan traffic light",
        "objectives": "Sector objectives",
        "equal_weights": "Objective weights: equal (none were set for the year).",
        "no_target": "No target to compute it from",
        "data_note": (
            "Figures in percent points, unrounded (the format shows two decimals). The sheets "
            "plan, objetivos, metas, indicadores, programacion_anual and avances are the plan in "
            "template v1: this file can be imported with 'cascada import'."
        ),
    },
}


@dataclass(frozen=True)
class Column:
    name: str
    width: float
    number_format: str | None = None  # None: text
    wrap: bool = False


def _pct(name: str) -> Column:
    return Column(name, max(12.0, len(name) + 3), PERCENT_FORMAT)


def _amount(name: str) -> Column:
    return Column(name, max(14.0, len(name) + 3), AMOUNT_FORMAT)


OBJECTIVE_COLUMNS = (
    Column("codigo", 10),
    Column("nombre", 60, wrap=True),
    _pct("cumplimiento"),
    _pct("avance_vigencia"),
    _pct("avance_cuatrienio"),
    Column("semaforo", 11),
    Column("indicadores_programados", 12, COUNT_FORMAT),
    Column("indicadores", 12, COUNT_FORMAT),
    _pct("peso"),
    Column("nota", 30, wrap=True),
)

SUMMARY_COLUMNS = (
    Column("codigo", 14),
    Column("nombre", 60, wrap=True),
    _pct("cumplimiento"),
    _pct("avance_vigencia"),
    _pct("avance_cuatrienio"),
    Column("semaforo", 11),
    Column("indicadores_programados", 12, COUNT_FORMAT),
    Column("nota", 30, wrap=True),
)

INDICATOR_COLUMNS = (
    Column("objetivo", 10),
    Column("meta", 14),
    Column("tipo_meta", 18),
    Column("indicador", 12),
    Column("nombre", 50, wrap=True),
    Column("unidad", 12),
    _amount("meta_vigencia"),
    _amount("programado_corte"),
    _amount("ejecutado_corte"),
    _pct("avance_corte"),
    _pct("avance_vigencia"),
    _pct("avance_cuatrienio"),
    _pct("peso_efectivo"),
    Column("estado", 18),
    Column("estado_codigo", 18),
    Column("semaforo", 11),
    Column("alertas", 30, wrap=True),
    Column("observacion", 60, wrap=True),
)


def render_xlsx(dataset: ReportDataset, workbook: PlanWorkbook) -> bytes:
    """The report of ``dataset`` as ``.xlsx`` bytes; ``workbook`` is the plan's data
    (``plan_workbook(plan)``), written after the results as the template v1 sheets."""
    if workbook.info.code != dataset.plan.code:
        raise ValueError(
            f"El libro del plan '{workbook.info.code}' no corresponde al informe del plan "
            f"'{dataset.plan.code}'."
        )
    book = Workbook()
    book.remove(book.worksheets[0])  # the default "Sheet"
    _summary(book.create_sheet("resumen"), dataset)
    _table(
        book.create_sheet("resultados_objetivos"),
        OBJECTIVE_COLUMNS,
        (_objective_row(o, dataset.lang) for o in dataset.objectives),
        header_row=1,
    )
    _table(
        book.create_sheet("resultados_indicadores"),
        INDICATOR_COLUMNS,
        (_indicator_row(o, i) for o in dataset.objectives for i in o.indicators),
        header_row=1,
    )
    add_plan_sheets(book, workbook)
    book.active = 0
    properties = book.properties
    properties.title = f"{dataset.plan.name} · {dataset.cut_label}"
    properties.subject = dataset.source_line
    properties.creator = "cascada"
    properties.language = "es-CO" if dataset.lang == "es" else "en"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Sheets


def _summary(sheet: Worksheet, dataset: ReportDataset) -> None:
    texts = TEXTS[dataset.lang]
    plan = dataset.plan
    lines: list[tuple[str, Font]] = [
        (plan.name, _TITLE),
        (" · ".join(p for p in (plan.code, plan.sector, plan.head_entity) if p), _BOLD),
        (texts["cut"].format(day=dataset.cut_label), _BOLD),
        (dataset.source_line, _MUTED),
    ]
    if dataset.cut_state != "publicado":
        lines.append((texts["draft"].format(state=dataset.cut_state), _BOLD))
    for number, (text, font) in enumerate(lines, start=1):
        _put(sheet.cell(number, 1), text).font = font

    row = len(lines) + 2
    figures = (
        (texts["plan_compliance"], dataset.compliance, NO_PROGRAMMING[dataset.lang]),
        (texts["year"].format(year=dataset.vigencia), dataset.year, texts["no_target"]),
        (texts["four_year"], dataset.four_year, texts["no_target"]),
    )
    for label, value, missing in figures:
        _put(sheet.cell(row, 2), label).font = _BOLD
        _put(sheet.cell(row, 3), value, PERCENT_FORMAT).font = _BOLD
        if value is None:
            _put(sheet.cell(row, 4), missing).font = _MUTED
        row += 1
    _put(sheet.cell(row, 2), texts["semaforo"]).font = _BOLD
    _semaforo(_put(sheet.cell(row, 3), dataset.semaforo or ""), dataset.semaforo)
    row += 2

    _put(sheet.cell(row, 1), texts["objectives"]).font = _BOLD
    if all(o.weight is None for o in dataset.objectives):
        _put(sheet.cell(row, 2), texts["equal_weights"]).font = _MUTED
    row += 1
    end = _table(
        sheet,
        SUMMARY_COLUMNS,
        (_summary_row(o, dataset.lang) for o in dataset.objectives),
        header_row=row,
    )
    _put(sheet.cell(end + 2, 1), texts["data_note"]).font = _MUTED


def _table(
    sheet: Worksheet,
    columns: Sequence[Column],
    rows: Iterable[Sequence[object]],
    *,
    header_row: int,
) -> int:
    """Write a header and ``rows`` from ``header_row`` on: formats, widths, frozen header,
    autofilter. Returns the last row written."""
    for index, column in enumerate(columns, start=1):
        cell = _put(sheet.cell(header_row, index), column.name)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    semaforo_index = next((n for n, c in enumerate(columns) if c.name == "semaforo"), None)
    last = header_row
    for last, values in enumerate(rows, start=header_row + 1):
        for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            target = _put(sheet.cell(last, index), value, column.number_format)
            target.alignment = _WRAP if column.wrap else _TOP
        if semaforo_index is not None:
            _semaforo(sheet.cell(last, semaforo_index + 1), values[semaforo_index])
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{last}"
    return last


def _objective_row(objective: ReportObjective, lang: Lang) -> tuple[object, ...]:
    return (
        objective.code,
        objective.name,
        objective.compliance,
        objective.year,
        objective.four_year,
        objective.semaforo,
        objective.programmed_count,
        len(objective.indicators),
        objective.weight,
        _note(objective, lang),
    )


def _summary_row(objective: ReportObjective, lang: Lang) -> tuple[object, ...]:
    return (
        objective.code,
        objective.name,
        objective.compliance,
        objective.year,
        objective.four_year,
        objective.semaforo,
        objective.programmed_count,
        _note(objective, lang),
    )


def _note(objective: ReportObjective, lang: Lang) -> str | None:
    return NO_PROGRAMMING[lang] if objective.compliance is None else None


def _indicator_row(objective: ReportObjective, indicator: ReportIndicator) -> tuple[object, ...]:
    return (
        objective.code,
        indicator.goal_code,
        indicator.goal_kind_label,
        indicator.code,
        indicator.name,
        indicator.unit,
        indicator.annual_target,
        indicator.programmed,
        indicator.executed,
        indicator.progress_cut,
        indicator.progress_year,
        indicator.progress_4y,
        indicator.effective_weight,
        indicator.status_label,
        indicator.status.value,
        indicator.semaforo,
        "; ".join(indicator.alert_labels) or None,
        indicator.analysis or None,
    )


# ---------------------------------------------------------------------------------------------
# Cells


def _put(cell: object, value: object, number_format: str | None = None) -> Cell:
    """Write ``value``: a number as a numeric cell with ``number_format``; text through
    ``put_value`` (formula-safe); ``None`` or empty text as a blank cell."""
    target = cast(Cell, cell)  # never a merged cell here
    if value is None or value == "":
        return target
    if isinstance(value, Decimal):
        if value.is_finite():
            target.value = float(value)  # a report figure: a number, never text
            target.number_format = number_format or AMOUNT_FORMAT
        return target
    if isinstance(value, int) and not isinstance(value, bool):
        target.value = value
        target.number_format = number_format or COUNT_FORMAT
        return target
    put_value(target, str(value))
    return target


def _semaforo(cell: object, colour: object) -> None:
    fill = _SEMAFORO_FILLS.get(colour) if isinstance(colour, str) else None
    if fill is not None:
        cast(Cell, cell).fill = fill
