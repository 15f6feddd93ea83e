"""Reader of the import template, version 1 (DESIGN §4): a file in, a ``PlanWorkbook`` out.

``read_template(path)`` accepts an ``.xlsx`` workbook, a folder of CSV files named like the
sheets (``plan.csv``, ``objetivos.csv``, …) or a ``.zip`` of such CSVs. It is all-or-nothing: it
returns a complete ``PlanWorkbook`` or raises ``TemplateError`` listing every problem found, each
located by sheet, row, column and value; never a partial result, never a traceback.

Choices where DESIGN is silent (each one tested in ``tests/imports``):

* Blank means absent. A fully blank row (blank in every template column) is skipped. Text cells
  lose HTML tags and surrounding whitespace, nothing else; an optional blank text is ``""``.
* Headers: exact lowercase names, surrounding whitespace tolerated (sheet titles too). A
  template column repeated in the header is an error. When a required column is missing, the
  sheet's other cells are still checked, and references to that sheet are not (one missing
  header should produce one error, not one per row).
* List words (``tipo``, ``tipo_anualizacion``, ``nivel``) are compared ignoring case, accents,
  and spaces/hyphens versus ``_``: "Estratégica", "proyecto de inversión", "Reducción" are
  accepted; ``proyecto_de_inversion`` is read as ``proyecto_inversion``.
* Codes are text compared exactly (case and inner spaces count); a numeric code cell (77 or
  77.0) reads as "77"; a date in a code column is an error, because it means Excel turned a code
  such as ``127-2057`` into a date. A reference that differs only in case suggests the right code.
* ``orden`` is an integer; objectives without one come after the numbered ones, in file order.
* ``vigencia_inicial`` <= ``vigencia_final``; ``tope_indicador`` and ``umbral_sobreejecucion``,
  when given, are >= 100: a cap or a threshold below 100 % would make "cumplida" impossible.
* ``corte``: ISO text ``AAAA-MM-DD`` or a date cell (a date-time cell only at midnight); its year
  must be one of the plan's vigencias.
* A formula in a value column is read through the result Excel saved with the file; without
  one (a workbook written by a script and never opened in Excel) it is a located error.
* ``decreciente`` needs a baseline: ``linea_base`` or ``linea_base_vigencia`` on every
  ``programacion_anual`` row of the indicator (an indicator with no annual row needs none yet).
* Weights: 0 to 100 per cell; then the engine's ``validate_weights`` (coverage and sums per
  vigencia) runs on the finished spec, only when nothing else is wrong, and each of its problems
  is placed on the ``ponderaciones`` row of that child (the group's first row for a sum).
* Extension: the plan campo ``base_legal`` (legal basis) is read into ``PlanInfo.legal_basis``;
  it is not part of v1, and v1 readers that do not know it ignore it like any unknown campo.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from cascada.engine.model import (
    HUNDRED,
    Accumulation,
    AnnualTarget,
    GoalKind,
    IndicatorSpec,
    Level,
    ObjectiveSpec,
    PlanSpec,
    Policy,
    Progress,
)
from cascada.engine.weights import WeightProblem, validate_weights
from cascada.imports.issues import TemplateError, TemplateIssue
from cascada.imports.numbers import NUMBER_EXPECTED, NumberFormatError, parse_number
from cascada.imports.schema_v1 import (
    ACCUMULATION_WORDS,
    CAMPOS_BY_NAME,
    GOAL_KIND_WORDS,
    LEVEL_WORDS,
    MIN_CAP_OR_THRESHOLD,
    PLAN_CAMPOS,
    SHEETS,
    Campo,
    Kind,
    fold_word,
)
from cascada.imports.sources import FormulaCell, PercentCell, RawRow, RawSheet, read_sources
from cascada.imports.text import clean_text
from cascada.plans.text import CONTROL_CHARACTERS, MAX_TEXT_LENGTH, has_control_characters
from cascada.tracking.bulk import gc_paused

__all__ = [
    "GoalKind",
    "GoalRow",
    "IndicatorRow",
    "ObjectiveRow",
    "PlanInfo",
    "PlanWorkbook",
    "TemplateError",
    "TemplateIssue",
    "read_template",
]

T = TypeVar("T")

# ---------------------------------------------------------------------------------------------
# What the reader returns


@dataclass(frozen=True)
class PlanInfo:
    """The ``plan`` sheet. Optional texts are ``""`` when blank."""

    code: str
    name: str
    sector: str
    head_entity: str
    development_plan: str
    first_vigencia: int
    last_vigencia: int
    mission: str
    vision: str
    adopting_act: str
    source: str
    legal_basis: str  # campo ``base_legal``: an optional extension, not part of v1


@dataclass(frozen=True)
class ObjectiveRow:
    code: str
    name: str
    order: int | None


@dataclass(frozen=True)
class GoalRow:
    code: str
    objective: str
    kind: GoalKind
    name: str
    responsible_entity: str  # "" when blank


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    goal: str
    name: str
    unit: str  # "" when blank


@dataclass(frozen=True)
class PlanWorkbook:
    """A whole, valid template. ``objectives`` are in ``orden`` order (then file order), goals
    and indicators in file order; ``spec`` carries every number for the engine."""

    info: PlanInfo
    objectives: tuple[ObjectiveRow, ...]
    goals: tuple[GoalRow, ...]
    indicators: tuple[IndicatorRow, ...]
    spec: PlanSpec


def read_template(path: Path) -> PlanWorkbook:
    """Read a template v1 file (``.xlsx``, CSV folder or ``.zip``); ``TemplateError`` lists every
    problem when it is not valid."""
    with gc_paused():  # a large file is hundreds of thousands of cells and rows kept
        return _Reader(read_sources(path, SHEETS)).read()


# ---------------------------------------------------------------------------------------------
# Cells

MISSING_EXPECTED = "un valor (dato obligatorio)"
INTEGER_EXPECTED = "un número entero (p. ej. 2026)"
DATE_EXPECTED = "una fecha AAAA-MM-DD (p. ej. 2026-03-31)"
# Codes identify rows in URLs, exports and other systems: short by contract.
CODE_MAX_LENGTH = 50
CODE_LENGTH_EXPECTED = f"un código de máximo {CODE_MAX_LENGTH} caracteres"
CODE_DATE_EXPECTED = (
    "un código escrito como texto (Excel lo convirtió en fecha: dé formato de texto a la "
    "columna y escriba el código de nuevo)"
)
FORMULA_EXPECTED = (
    "un valor: la fórmula no tiene un resultado guardado (abra y guarde el libro en Excel, "
    "o escriba el valor)"
)
CONTROL_EXPECTED = (
    "un texto sin caracteres de control (se muestran como \ufffd; suelen venir de copiar y pegar "
    "desde otro sistema)"
)
TEXT_LENGTH_EXPECTED = (
    f"un texto de máximo {MAX_TEXT_LENGTH:,} caracteres (lo que cabe en una celda de Excel)"
).replace(",", ".")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class _Failed:
    """Marks a cell already reported, so that its column is not reported twice."""


_FAILED = _Failed()


def _clean(value: object) -> object:
    if isinstance(value, str):
        return clean_text(value) or None
    return value


def _shown(value: object) -> str:
    """A raw value as the user would recognise it in an error message."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "VERDADERO" if value else "FALSO"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, PercentCell):
        return f"{_shown(value.number)} (celda con formato de porcentaje)"
    if isinstance(value, FormulaCell):
        return value.text
    return str(value)


class _Row:
    """One data row being read: typed getters that report located issues instead of raising.

    ``failed`` tells the caller that at least one cell of the row was rejected, so the row must
    not become part of the result (the file is rejected anyway)."""

    __slots__ = ("failed", "headers", "issues", "line", "sheet", "values")

    def __init__(
        self, sheet: str, raw: RawRow, headers: frozenset[str], issues: list[TemplateIssue]
    ) -> None:
        self.sheet = sheet
        self.line = raw.number
        self.headers = headers
        self.issues = issues
        self.failed = False
        # One pass (a 100.000-row sheet): each text cleaned (_clean) and checked, in the
        # cells' order; blank cells left out.
        values: dict[str, object] = {}
        for name, value in raw.values.items():
            if isinstance(value, str):
                value = clean_text(value)
                if not value:
                    continue
                if has_control_characters(value):
                    self.report(name, CONTROL_CHARACTERS.sub("\ufffd", value), CONTROL_EXPECTED)
                elif len(value) > MAX_TEXT_LENGTH:
                    self.report(name, value, TEXT_LENGTH_EXPECTED)
            elif value is None:
                continue
            values[name] = value
        self.values = values

    def is_blank(self) -> bool:
        return not self.values

    def report(self, column: str | None, value: str | None, expected: str) -> None:
        self.issues.append(TemplateIssue(self.sheet, self.line, column, value, expected))
        self.failed = True

    def _missing(self, column: str, required: bool) -> None:
        # A column absent from the header was reported once, at the header.
        if required and column in self.headers:
            self.report(column, "", MISSING_EXPECTED)

    def _value(self, column: str) -> object:
        """The cell's value to read as a value: for a formula, the result Excel saved."""
        value = self.values.get(column)
        if not isinstance(value, FormulaCell):
            return value
        if value.cached is None:
            self.report(column, value.text, FORMULA_EXPECTED)
            return _FAILED
        return _clean(value.cached)

    def text(self, column: str, *, required: bool = False) -> str:
        value = self.values.get(column)
        if value is None:
            self._missing(column, required)
            return ""
        return value if isinstance(value, str) else _shown(value)

    def code(self, column: str) -> str | None:
        """A required code. Numbers read as text ("77" for 77 or 77.0)."""
        value = self.values.get(column)
        if value is None:
            self._missing(column, True)
            return None
        if isinstance(value, date | time | PercentCell):
            self.report(column, _shown(value), CODE_DATE_EXPECTED)
            return None
        if isinstance(value, float) and value.is_integer():
            code = str(int(value))
        else:
            code = value if isinstance(value, str) else _shown(value)
        if len(code) > CODE_MAX_LENGTH:
            self.report(column, code, CODE_LENGTH_EXPECTED)
            return None
        return code

    def choice(self, column: str, words: Mapping[str, T], expected: str) -> T | None:
        text = self.text(column, required=True)
        if not text:
            return None
        chosen = words.get(fold_word(text))
        if chosen is None:
            self.report(column, text, expected)
        return chosen

    def number(self, column: str, *, required: bool = False) -> Decimal | None:
        value = self._value(column)
        if value is None:
            self._missing(column, required)
            return None
        return None if value is _FAILED else self._to_number(column, value, NUMBER_EXPECTED)

    def integer(self, column: str, *, required: bool = False) -> int | None:
        value = self._value(column)
        if value is None:
            self._missing(column, required)
            return None
        if value is _FAILED:
            return None
        number = self._to_number(column, value, INTEGER_EXPECTED)
        if number is None:
            return None
        if number != number.to_integral_value():
            self.report(column, _shown(value), INTEGER_EXPECTED)
            return None
        return int(number)

    def _to_number(self, column: str, value: object, expected: str) -> Decimal | None:
        try:
            if isinstance(value, PercentCell):
                return parse_number(value.number, percent_format=True)
            return parse_number(value)
        except NumberFormatError:
            self.report(column, _shown(value), expected)
            return None

    def date(self, column: str) -> date | None:
        """A required date: a date cell, or ISO text."""
        value = self._value(column)
        if value is None:
            self._missing(column, True)
            return None
        if value is _FAILED:
            return None
        if isinstance(value, datetime):
            if value.time() == time():
                return value.date()
        elif isinstance(value, date):
            return value
        elif isinstance(value, str) and _ISO_DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:  # 2026-02-30
                pass
        self.report(column, _shown(value), DATE_EXPECTED)
        return None


# ---------------------------------------------------------------------------------------------
# Rows as read (with their row numbers, for later checks)


@dataclass(frozen=True)
class _Objective:
    row: int
    code: str
    name: str
    order: int | None


@dataclass(frozen=True)
class _Goal:
    row: int
    code: str
    objective: str
    kind: GoalKind
    name: str
    entity: str


@dataclass(frozen=True)
class _Indicator:
    row: int
    code: str
    goal: str
    name: str
    unit: str
    accumulation: Accumulation
    baseline: Decimal | None
    target_4y: Decimal | None


@dataclass(frozen=True)
class _Target:
    row: int
    indicator: str
    vigencia: int
    target: Decimal
    baseline: Decimal | None


@dataclass(frozen=True)
class _Progress:
    row: int
    indicator: str
    cut: date
    programmed: Decimal | None
    executed: Decimal | None
    analysis: str


@dataclass(frozen=True)
class _Weight:
    row: int
    level: Level
    code: str
    vigencia: int
    weight: Decimal
    shown: str


class _Codes:
    """The codes of one sheet, with the row where each first appears.

    ``known`` is false when the sheet or its ``codigo`` column is missing: references to it are
    then not checked (that absence was already reported once)."""

    def __init__(self, sheet: str, known: bool) -> None:
        self.sheet = sheet
        self.known = known
        self.first_row: dict[str, int] = {}
        self._folded: dict[str, str] | None = None

    def add(self, row: _Row, column: str, code: str) -> bool:
        """Register ``code``; a repeated one is reported on the later row, naming the first."""
        first = self.first_row.setdefault(code, row.line)
        if first != row.line:
            row.report(column, code, f"un código que no se repita (ya está en la fila {first})")
            return False
        return True

    def check(self, row: _Row, column: str, code: str, what: str) -> None:
        """Report ``code`` unless it is one of this sheet's codes."""
        if not self.known or code in self.first_row:
            return
        expected = f"el código de {what} de la hoja '{self.sheet}'"
        suggestion = self._suggest(code)
        if suggestion is not None:
            expected += f" (¿quiso decir '{suggestion}'?)"
        row.report(column, code, expected)

    def _suggest(self, code: str) -> str | None:
        if self._folded is None:  # built once, on the first bad reference
            self._folded = {}
            for known in self.first_row:
                self._folded.setdefault(known.casefold().strip(), known)
        return self._folded.get(code.casefold().strip())


# ---------------------------------------------------------------------------------------------
# The reader


class _Reader:
    def __init__(self, sheets: dict[str, RawSheet]) -> None:
        self.sheets = sheets
        self.issues: list[TemplateIssue] = []
        self.vigencias: tuple[int, int] | None = None

    def read(self) -> PlanWorkbook:
        self._check_structure()
        plan = self._read_plan()
        objectives, objective_codes = self._read_objectives()
        goals, goal_codes = self._read_goals(objective_codes)
        indicators, indicator_codes = self._read_indicators(goal_codes)
        targets = self._read_targets(indicator_codes)
        progress = self._read_progress(indicator_codes)
        weights = self._read_weights(indicator_codes, objective_codes)
        self._check_baselines(indicators, targets)
        if self.issues or plan is None:
            raise TemplateError(_sorted(self.issues))
        info, policy = plan
        workbook = _build(info, policy, objectives, goals, indicators, targets, progress, weights)
        problems = validate_weights(workbook.spec)
        if problems:
            raise TemplateError(_sorted(_weight_issues(problems, weights, goals, indicators)))
        return workbook

    def _issue(
        self, sheet: str, row: int | None, column: str | None, value: str | None, expected: str
    ) -> None:
        self.issues.append(TemplateIssue(sheet, row, column, value, expected))

    # --- structure ---------------------------------------------------------------------------

    def _check_structure(self) -> None:
        for schema in SHEETS:
            raw = self.sheets.get(schema.name)
            if raw is None:
                if schema.required:
                    self._issue(
                        schema.name,
                        None,
                        None,
                        None,
                        f"la hoja obligatoria '{schema.name}' (nombre exacto, en minúscula)",
                    )
                continue
            counts = Counter(raw.header)
            for column in schema.columns:
                if counts[column.name] > 1:
                    self._issue(
                        schema.name,
                        1,
                        column.name,
                        column.name,
                        f"una sola columna '{column.name}' (aparece {counts[column.name]} veces)",
                    )
                elif counts[column.name] == 0 and column.required:
                    near = _near_header(raw.header, column.name)
                    self._issue(
                        schema.name,
                        1,
                        column.name,
                        near,
                        f"la columna obligatoria '{column.name}' en la fila 1 (nombre exacto, "
                        "en minúscula)",
                    )

    def _rows(self, sheet: str) -> Iterable[_Row]:
        """The sheet's non-blank rows (none when the sheet is missing)."""
        raw = self.sheets.get(sheet)
        if raw is None:
            return
        headers = frozenset(raw.header)
        for raw_row in raw.rows:
            row = _Row(sheet, raw_row, headers, self.issues)
            if not row.is_blank():
                yield row

    def _has_column(self, sheet: str, column: str) -> bool:
        raw = self.sheets.get(sheet)
        return raw is not None and column in raw.header

    # --- plan --------------------------------------------------------------------------------

    def _read_plan(self) -> tuple[PlanInfo, Policy] | None:
        if not (self._has_column("plan", "campo") and self._has_column("plan", "valor")):
            return None
        values: dict[str, object] = {}
        rows: dict[str, int] = {}
        for row in self._rows("plan"):
            campo = row.text("campo")
            if not campo:
                row.report("campo", "", "el nombre de un campo (p. ej. codigo) junto a su valor")
                continue
            spec = CAMPOS_BY_NAME.get(campo)
            if spec is None:
                continue  # unknown campos are ignored: other tools' extensions
            if campo in rows:
                row.report(
                    "campo", campo, f"un campo que no se repita (ya está en la fila {rows[campo]})"
                )
                continue
            rows[campo] = row.line
            values[campo] = _plan_value(row, spec)
        for required in PLAN_CAMPOS:
            if required.required and required.name not in rows:
                self._issue(
                    "plan",
                    None,
                    "campo",
                    None,
                    f"una fila con el campo obligatorio '{required.name}' y su valor",
                )
        self._check_plan_limits(values, rows)
        return _plan_info(values, self.vigencias)

    def _check_plan_limits(self, values: dict[str, object], rows: dict[str, int]) -> None:
        first, last = values.get("vigencia_inicial"), values.get("vigencia_final")
        if isinstance(first, int) and isinstance(last, int):
            if first <= last:
                self.vigencias = (first, last)
            else:
                self._issue(
                    "plan",
                    rows["vigencia_final"],
                    "valor",
                    str(last),
                    f"un año igual o posterior a vigencia_inicial ({first})",
                )
        for campo in ("tope_indicador", "umbral_sobreejecucion"):
            value = values.get(campo)
            if isinstance(value, Decimal) and value < MIN_CAP_OR_THRESHOLD:
                self._issue(
                    "plan",
                    rows[campo],
                    "valor",
                    str(value),
                    f"un número mayor o igual a {MIN_CAP_OR_THRESHOLD} o vacío",
                )

    # --- objectives, goals, indicators ---------------------------------------------------------

    def _read_objectives(self) -> tuple[list[_Objective], _Codes]:
        codes = _Codes("objetivos", self._has_column("objetivos", "codigo"))
        objectives: list[_Objective] = []
        for row in self._rows("objetivos"):
            code = row.code("codigo")
            name = row.text("nombre", required=True)
            order = row.integer("orden")
            if code is not None:
                codes.add(row, "codigo", code)
            if code is not None and not row.failed:
                objectives.append(_Objective(row.line, code, name, order))
        return objectives, codes

    def _read_goals(self, objective_codes: _Codes) -> tuple[list[_Goal], _Codes]:
        codes = _Codes("metas", self._has_column("metas", "codigo"))
        goals: list[_Goal] = []
        kinds = "sectorial, estrategica, proyecto_inversion o actividad"
        for row in self._rows("metas"):
            code = row.code("codigo")
            objective = row.code("objetivo")
            kind = row.choice("tipo", GOAL_KIND_WORDS, kinds)
            name = row.text("nombre", required=True)
            entity = row.text("entidad_responsable")
            if code is not None:
                codes.add(row, "codigo", code)
            if objective is not None:
                objective_codes.check(row, "objetivo", objective, "un objetivo")
            if code is None or objective is None or kind is None or row.failed:
                continue
            goals.append(_Goal(row.line, code, objective, kind, name, entity))
        return goals, codes

    def _read_indicators(self, goal_codes: _Codes) -> tuple[list[_Indicator], _Codes]:
        codes = _Codes("indicadores", self._has_column("indicadores", "codigo"))
        indicators: list[_Indicator] = []
        kinds = "suma, constante, creciente o decreciente (o incremento, mantenimiento, reduccion)"
        for row in self._rows("indicadores"):
            code = row.code("codigo")
            goal = row.code("meta")
            name = row.text("nombre", required=True)
            unit = row.text("unidad")
            accumulation = row.choice("tipo_anualizacion", ACCUMULATION_WORDS, kinds)
            baseline = row.number("linea_base")
            target_4y = row.number("meta_cuatrienio")
            if code is not None:
                codes.add(row, "codigo", code)
            if goal is not None:
                goal_codes.check(row, "meta", goal, "una meta")
            if code is None or goal is None or accumulation is None or row.failed:
                continue
            indicators.append(
                _Indicator(row.line, code, goal, name, unit, accumulation, baseline, target_4y)
            )
        return indicators, codes

    # --- annual targets, progress, weights ------------------------------------------------------

    def _vigencia(self, row: _Row, column: str = "vigencia") -> int | None:
        vigencia = row.integer(column, required=True)
        if vigencia is not None and self.vigencias is not None:
            first, last = self.vigencias
            if not first <= vigencia <= last:
                row.report(
                    column, str(vigencia), f"un año entre {first} y {last} (vigencias del plan)"
                )
                return None
        return vigencia

    def _read_targets(self, indicator_codes: _Codes) -> list[_Target]:
        targets: list[_Target] = []
        seen: dict[tuple[str, int], int] = {}
        for row in self._rows("programacion_anual"):
            indicator = row.code("indicador")
            vigencia = self._vigencia(row)
            target = row.number("meta_vigencia", required=True)
            baseline = row.number("linea_base_vigencia")
            if indicator is not None:
                indicator_codes.check(row, "indicador", indicator, "un indicador")
            if indicator is None or vigencia is None:
                continue
            first = seen.setdefault((indicator, vigencia), row.line)
            if first != row.line:
                row.report(
                    "vigencia",
                    str(vigencia),
                    f"una sola fila por indicador y vigencia ('{indicator}' {vigencia} ya está "
                    f"en la fila {first})",
                )
            if target is not None and not row.failed:
                targets.append(_Target(row.line, indicator, vigencia, target, baseline))
        return targets

    def _read_progress(self, indicator_codes: _Codes) -> list[_Progress]:
        progress: list[_Progress] = []
        seen: dict[tuple[str, date], int] = {}
        for row in self._rows("avances"):
            indicator = row.code("indicador")
            cut = row.date("corte")
            programmed = row.number("programado_corte")
            executed = row.number("ejecutado_corte")
            analysis = row.text("observacion")
            if indicator is not None:
                indicator_codes.check(row, "indicador", indicator, "un indicador")
            if cut is not None and self.vigencias is not None:
                first_year, last_year = self.vigencias
                if not first_year <= cut.year <= last_year:
                    row.report(
                        "corte",
                        cut.isoformat(),
                        f"una fecha dentro de las vigencias del plan ({first_year} a {last_year})",
                    )
            if indicator is None or cut is None:
                continue
            first = seen.setdefault((indicator, cut), row.line)
            if first != row.line:
                row.report(
                    "corte",
                    cut.isoformat(),
                    f"una sola fila por indicador y corte ('{indicator}' {cut.isoformat()} ya "
                    f"está en la fila {first})",
                )
            if not row.failed:
                progress.append(_Progress(row.line, indicator, cut, programmed, executed, analysis))
        return progress

    def _read_weights(self, indicator_codes: _Codes, objective_codes: _Codes) -> list[_Weight]:
        weights: list[_Weight] = []
        seen: dict[tuple[Level, str, int], int] = {}
        for row in self._rows("ponderaciones"):
            level = row.choice("nivel", LEVEL_WORDS, "indicador u objetivo")
            code = row.code("codigo")
            vigencia = self._vigencia(row)
            weight = row.number("peso", required=True)
            if weight is not None and not 0 <= weight <= HUNDRED:
                row.report("peso", row.text("peso"), "un peso entre 0 y 100 (puntos porcentuales)")
            if level is None or code is None:
                continue
            if level is Level.INDICADOR:
                indicator_codes.check(row, "codigo", code, "un indicador")
            else:
                objective_codes.check(row, "codigo", code, "un objetivo")
            if vigencia is None:
                continue
            first = seen.setdefault((level, code, vigencia), row.line)
            if first != row.line:
                row.report(
                    "codigo",
                    code,
                    f"un solo peso por {level.value} y vigencia (ya está en la fila {first})",
                )
            if weight is not None and not row.failed:
                weights.append(_Weight(row.line, level, code, vigencia, weight, row.text("peso")))
        return weights

    def _check_baselines(self, indicators: list[_Indicator], targets: list[_Target]) -> None:
        """``decreciente`` measures (LB − E) / (LB − P): without a baseline it means nothing."""
        unbased = {t.indicator for t in targets if t.baseline is None}
        for indicator in indicators:
            if (
                indicator.accumulation is Accumulation.DECRECIENTE
                and indicator.baseline is None
                and indicator.code in unbased
            ):
                self._issue(
                    "indicadores",
                    indicator.row,
                    "linea_base",
                    "",
                    "una línea base: el tipo 'decreciente' la requiere (aquí, o en "
                    "linea_base_vigencia de cada fila del indicador en 'programacion_anual')",
                )


def _plan_value(row: _Row, campo: Campo) -> object:
    if campo.required and "valor" not in row.values:
        row.report("valor", "", f"el valor del campo obligatorio '{campo.name}'")
        return None
    if campo.kind is Kind.INTEGER:
        return row.integer("valor")
    if campo.kind is Kind.NUMBER:
        return row.number("valor")
    if campo.kind is Kind.CODE:
        return row.code("valor")
    return row.text("valor")


def _plan_info(
    values: dict[str, object], vigencias: tuple[int, int] | None
) -> tuple[PlanInfo, Policy] | None:
    """The plan's info and policy, or ``None`` when a required campo is missing or invalid
    (already reported)."""

    def text(name: str) -> str:
        value = values.get(name)
        return value if isinstance(value, str) else ""

    def number(name: str) -> Decimal | None:
        value = values.get(name)
        return value if isinstance(value, Decimal) else None

    required = [text(c.name) for c in PLAN_CAMPOS if c.required and c.kind is not Kind.INTEGER]
    if vigencias is None or not all(required):
        return None
    info = PlanInfo(
        code=text("codigo"),
        name=text("nombre"),
        sector=text("sector"),
        head_entity=text("entidad_cabeza"),
        development_plan=text("plan_desarrollo"),
        first_vigencia=vigencias[0],
        last_vigencia=vigencias[1],
        mission=text("mision"),
        vision=text("vision"),
        adopting_act=text("acto_adopcion"),
        source=text("fuente"),
        legal_basis=text("base_legal"),
    )
    threshold = number("umbral_sobreejecucion")
    policy = Policy(
        cap=number("tope_indicador"),
        overexecution_threshold=HUNDRED if threshold is None else threshold,
    )
    return info, policy


def _near_header(header: tuple[str, ...], name: str) -> str | None:
    """A header cell that is ``name`` spelled differently ("Código" for "codigo"), to quote."""
    folded = fold_word(name)
    return next((h for h in header if h and fold_word(h) == folded), None)


_SHEET_ORDER = {schema.name: index for index, schema in enumerate(SHEETS)}


def _sorted(issues: Iterable[TemplateIssue]) -> list[TemplateIssue]:
    """File problems first, then by sheet in template order, then by row (stable otherwise)."""

    def key(issue: TemplateIssue) -> tuple[int, int]:
        sheet = -1 if issue.sheet is None else _SHEET_ORDER.get(issue.sheet, len(_SHEET_ORDER))
        return sheet, issue.row or 0

    return sorted(issues, key=key)


# ---------------------------------------------------------------------------------------------
# Building the result


def _build(
    info: PlanInfo,
    policy: Policy,
    objectives: list[_Objective],
    goals: list[_Goal],
    indicators: list[_Indicator],
    targets: list[_Target],
    progress: list[_Progress],
    weights: list[_Weight],
) -> PlanWorkbook:
    # Objectives by ``orden``, blank ones last; ``sorted`` is stable, so file order breaks ties.
    ordered = sorted(objectives, key=lambda o: (o.order is None, o.order or 0))
    objective_of_goal = {goal.code: goal.objective for goal in goals}
    targets_of: dict[str, list[_Target]] = {}
    for target in sorted(targets, key=lambda t: t.vigencia):
        targets_of.setdefault(target.indicator, []).append(target)
    progress_of: dict[str, list[_Progress]] = {}
    for item in sorted(progress, key=lambda p: p.cut):
        progress_of.setdefault(item.indicator, []).append(item)

    specs_of: dict[str, list[IndicatorSpec]] = {o.code: [] for o in ordered}
    for indicator in indicators:
        specs_of[objective_of_goal[indicator.goal]].append(
            IndicatorSpec(
                code=indicator.code,
                accumulation=indicator.accumulation,
                baseline=indicator.baseline,
                target_4y=indicator.target_4y,
                annual_targets={
                    t.vigencia: AnnualTarget(t.target, t.baseline)
                    for t in targets_of.get(indicator.code, ())
                },
                progress={
                    p.cut: Progress(p.programmed, p.executed, p.analysis)
                    for p in progress_of.get(indicator.code, ())
                },
            )
        )
    indicator_weights: dict[int, dict[str, Decimal]] = {}
    objective_weights: dict[int, dict[str, Decimal]] = {}
    for weight in weights:
        by_level = indicator_weights if weight.level is Level.INDICADOR else objective_weights
        by_level.setdefault(weight.vigencia, {})[weight.code] = weight.weight

    spec = PlanSpec(
        code=info.code,
        objectives=tuple(ObjectiveSpec(o.code, tuple(specs_of[o.code])) for o in ordered),
        policy=policy,
        indicator_weights=indicator_weights,
        objective_weights=objective_weights,
    )
    return PlanWorkbook(
        info=info,
        objectives=tuple(ObjectiveRow(o.code, o.name, o.order) for o in ordered),
        goals=tuple(GoalRow(g.code, g.objective, g.kind, g.name, g.entity) for g in goals),
        indicators=tuple(IndicatorRow(i.code, i.goal, i.name, i.unit) for i in indicators),
        spec=spec,
    )


def _weight_issues(
    problems: list[WeightProblem],
    weights: list[_Weight],
    goals: list[_Goal],
    indicators: list[_Indicator],
) -> list[TemplateIssue]:
    """The engine's weight problems, placed on the ``ponderaciones`` row they are about: the
    child's own row, or the first row of its group (same level, vigencia and, for indicators,
    objective) when the problem is the group's sum or a missing child."""
    objective_of_goal = {goal.code: goal.objective for goal in goals}
    objective_of = {i.code: objective_of_goal[i.goal] for i in indicators}
    by_child: dict[tuple[Level, int, str], _Weight] = {}
    first_of_group: dict[tuple[Level, int, str | None], _Weight] = {}
    first_of_vigencia: dict[tuple[Level, int], _Weight] = {}
    for weight in weights:
        group = objective_of.get(weight.code) if weight.level is Level.INDICADOR else None
        by_child[(weight.level, weight.vigencia, weight.code)] = weight
        first_of_group.setdefault((weight.level, weight.vigencia, group), weight)
        first_of_vigencia.setdefault((weight.level, weight.vigencia), weight)

    issues: list[TemplateIssue] = []
    for problem in problems:
        own = by_child.get((problem.level, problem.vigencia, problem.code or ""))
        anchor = (
            own
            or first_of_group.get((problem.level, problem.vigencia, problem.group))
            or first_of_vigencia.get((problem.level, problem.vigencia))
        )
        message = problem.message.rstrip(".")
        issues.append(
            TemplateIssue(
                sheet="ponderaciones",
                row=anchor.row if anchor else None,
                column="peso",
                value=own.shown if own else None,
                expected=f"pesos válidos: {message[:1].lower()}{message[1:]}",
            )
        )
    return issues
