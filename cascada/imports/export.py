"""A plan out of the database as a template v1 workbook (DESIGN §4, ``cascada export``).

``plan_workbook(plan)`` builds from the database the same ``PlanWorkbook`` that ``read_template``
returns for a file, and ``write_workbook(workbook, path)`` writes any ``PlanWorkbook`` as a
template v1 ``.xlsx`` through the one sheet writer of ``template_writer`` (same sheets, headers,
styles, dropdowns and instructions as ``cascada template``). Together they round-trip:
``read_template(path)`` of the written file equals the workbook written, and importing it back
changes nothing. ``add_plan_sheets(book, workbook)`` adds the same sheets (without the
instructions) to an openpyxl workbook being built, which is how the report's ``.xlsx`` carries
the plan so that it can be imported.

What is written, and the choices where DESIGN is silent:

* ``plan``: every campo, including ``tope_indicador`` (blank = no cap),
  ``umbral_sobreejecucion`` (always written, 100 by default) and the extension ``base_legal``;
  optional texts left blank when empty.
* ``objetivos`` in their order, with ``orden`` renumbered 1, 2, 3…: the database keeps the order,
  not the numbers a file used to express it. ``metas`` and ``indicadores`` in file order.
* ``programacion_anual``: one row per indicator (file order) and vigencia (ascending).
* ``avances``: one row per cut (ascending) and indicator (file order) that has programming or a
  report at that cut, blank cells where a value is absent.
* ``ponderaciones``: only when the plan has weights; per vigencia, the objectives' weights
  (in order), then the indicators' (file order).
* Formula safety (§4: "escaped again on every export"): every text cell is written as a string
  cell, never a formula, and a text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return also gets Excel's quotePrefix style, so it stays text when edited in Excel and reads
  back identical. Numbers are numeric cells, exact (a value beyond a double's 15 digits is
  written as exact text instead); dates are date cells. See ``template_writer`` for the details.
* Semáforo bands are not part of template v1: the returned spec carries the policy as the reader
  would build it from the file (``tope_indicador`` and ``umbral_sobreejecucion`` only).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from cascada.engine.model import GoalKind, IndicatorSpec, Level, Policy
from cascada.imports.template_v1 import (
    GoalRow,
    IndicatorRow,
    ObjectiveRow,
    PlanInfo,
    PlanWorkbook,
)
from cascada.imports.template_writer import Row, add_template_sheets, write_template
from cascada.plans.models import Goal, Indicator, Objective, Plan
from cascada.tracking.selectors import plan_spec

__all__ = [
    "add_plan_sheets",
    "export_plan",
    "plan_info",
    "plan_workbook",
    "template_rows",
    "write_workbook",
]


def plan_info(plan: Plan) -> PlanInfo:
    """The plan's own fields as the ``plan`` sheet holds them (``plan`` with its sector, head
    entity and development plan selected)."""
    return PlanInfo(
        code=plan.code,
        name=plan.name,
        sector=plan.sector.name,
        head_entity=plan.head_entity.name if plan.head_entity else "",
        development_plan=plan.development_plan.name if plan.development_plan else "",
        first_vigencia=plan.first_vigencia,
        last_vigencia=plan.last_vigencia,
        mission=plan.mission,
        vision=plan.vision,
        adopting_act=plan.adopting_act,
        source=plan.source,
        legal_basis=plan.legal_basis,
    )


def plan_workbook(plan: Plan) -> PlanWorkbook:
    """The plan as ``read_template`` would return it from a template v1 file."""
    plan = Plan.objects.select_related("sector", "head_entity", "development_plan").get(pk=plan.pk)
    info = plan_info(plan)
    objectives = tuple(
        ObjectiveRow(code=o.code, name=o.name, order=position)
        for position, o in enumerate(
            Objective.objects.filter(plan=plan).order_by("order", "id"), start=1
        )
    )
    goals = tuple(
        GoalRow(
            code=g.code,
            objective=g.objective.code,
            kind=GoalKind(g.kind),
            name=g.name,
            responsible_entity=g.responsible_entity.name if g.responsible_entity else "",
        )
        for g in Goal.objects.filter(plan=plan)
        .select_related("objective", "responsible_entity")
        .order_by("order", "id")
    )
    indicators = tuple(
        IndicatorRow(code=i.code, goal=i.goal.code, name=i.name, unit=i.unit)
        for i in Indicator.objects.filter(plan=plan).select_related("goal").order_by("order", "id")
    )
    spec = plan_spec(plan)
    policy = Policy(
        cap=spec.policy.cap, overexecution_threshold=spec.policy.overexecution_threshold
    )
    return PlanWorkbook(
        info=info,
        objectives=objectives,
        goals=goals,
        indicators=indicators,
        spec=replace(spec, policy=policy),
    )


def export_plan(*, code: str, path: Path) -> PlanWorkbook:
    """Write the plan ``code`` to ``path`` as a template v1 ``.xlsx``; returns what was written.
    Raises ``Plan.DoesNotExist`` for an unknown code."""
    workbook = plan_workbook(Plan.objects.get(code=code))
    write_workbook(workbook, path)
    return workbook


def write_workbook(workbook: PlanWorkbook, path: Path) -> None:
    """Write ``workbook`` to ``path`` (overwriting it) as a template v1 ``.xlsx``."""
    plan, sheets = template_rows(workbook)
    write_template(path, plan=plan, sheets=sheets)


def add_plan_sheets(book: Workbook, workbook: PlanWorkbook) -> None:
    """Add ``workbook`` as the template v1 sheets (without the instructions) to the openpyxl
    ``book``, after its sheets: what the report's ``.xlsx`` carries so it can be imported."""
    plan, sheets = template_rows(workbook)
    add_template_sheets(book, plan=plan, sheets=sheets)


def template_rows(workbook: PlanWorkbook) -> tuple[dict[str, object], dict[str, list[Row]]]:
    """The ``plan`` sheet's campos and the other sheets' rows of ``workbook``, in template
    column order, as ``write_template`` takes them."""
    info, spec = workbook.info, workbook.spec
    plan: dict[str, object] = {
        "codigo": info.code,
        "nombre": info.name,
        "sector": info.sector,
        "entidad_cabeza": info.head_entity or None,
        "plan_desarrollo": info.development_plan or None,
        "vigencia_inicial": info.first_vigencia,
        "vigencia_final": info.last_vigencia,
        "mision": info.mission or None,
        "vision": info.vision or None,
        "acto_adopcion": info.adopting_act or None,
        "fuente": info.source or None,
        "tope_indicador": spec.policy.cap,
        "umbral_sobreejecucion": spec.policy.overexecution_threshold,
        "base_legal": info.legal_basis or None,
    }
    specs = {i.code: i for o in spec.objectives for i in o.indicators}
    ordered = [specs[row.code] for row in workbook.indicators]
    sheets: dict[str, list[Row]] = {
        "objetivos": [(o.code, o.name, o.order) for o in workbook.objectives],
        "metas": [
            (g.code, g.objective, g.kind.value, g.name, g.responsible_entity or None)
            for g in workbook.goals
        ],
        "indicadores": [
            (
                row.code,
                row.goal,
                row.name,
                row.unit or None,
                specs[row.code].accumulation.value,
                specs[row.code].baseline,
                specs[row.code].target_4y,
            )
            for row in workbook.indicators
        ],
        "programacion_anual": [
            (i.code, vigencia, target.target, target.baseline)
            for i in ordered
            for vigencia, target in sorted(i.annual_targets.items())
        ],
        "avances": list(_progress_rows(ordered)),
    }
    weights = list(_weight_rows(workbook))
    if weights:
        sheets["ponderaciones"] = weights
    return plan, sheets


def _progress_rows(indicators: list[IndicatorSpec]) -> Iterator[Row]:
    cuts: set[date] = {day for i in indicators for day in i.progress}
    for day in sorted(cuts):
        for indicator in indicators:
            progress = indicator.progress.get(day)
            if progress is not None:
                yield (
                    indicator.code,
                    day,
                    progress.programmed,
                    progress.executed,
                    progress.analysis or None,
                )


def _weight_rows(workbook: PlanWorkbook) -> Iterator[Row]:
    spec = workbook.spec
    objective_order = [o.code for o in workbook.objectives]
    indicator_order = [i.code for i in workbook.indicators]
    for vigencia in sorted(set(spec.objective_weights) | set(spec.indicator_weights)):
        for level, weights, order in (
            (Level.OBJETIVO, spec.objective_weights.get(vigencia, {}), objective_order),
            (Level.INDICADOR, spec.indicator_weights.get(vigencia, {}), indicator_order),
        ):
            for code in _in_order(weights, order):
                weight: Decimal = weights[code]
                yield (level.value, code, vigencia, weight)


def _in_order(codes: Iterable[str], order: list[str]) -> list[str]:
    """``codes`` in the order of ``order``; any code not in it last, sorted."""
    position = {code: n for n, code in enumerate(order)}
    return sorted(codes, key=lambda c: (position.get(c, len(position)), c))
