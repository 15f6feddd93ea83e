"""Read queries of the follow-up: the engine's view of a plan, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.db.models.sql.constants import MULTI

from cascada.engine.model import DEFAULT_BANDS as ENGINE_DEFAULT_BANDS
from cascada.engine.model import (
    Accumulation,
    AnnualTarget,
    Band,
    IndicatorSpec,
    ObjectiveSpec,
    PlanSpec,
    Policy,
    Progress,
)
from cascada.plans.models import AnnualTarget as AnnualTargetRow
from cascada.plans.models import Indicator, Objective, Plan, SemaforoBand, Weight
from cascada.tracking.models import Cut, CutTarget, ProgressReport


def plan_policy(plan: Plan, bands: list[SemaforoBand] | None = None) -> Policy:
    rows = list(plan.bands.all()) if bands is None else bands
    # From the lowest band up; a band with no lower bound first (databases sort NULL apart).
    rows.sort(key=lambda b: (b.lower is not None, b.lower or 0))
    return Policy(
        cap=plan.cap,
        overexecution_threshold=plan.overexecution_threshold,
        bands=tuple(
            Band(b.color, b.lower if b.lower is not None else Decimal("-Infinity"), b.inclusive)
            for b in rows
        )
        or _default_bands(plan.overexecution_threshold),
    )


def _default_bands(threshold: Decimal) -> tuple[Band, ...]:
    """The default semáforo, with azul starting above the plan's own threshold."""
    return tuple(
        Band(b.color, threshold, b.inclusive) if b.color == "azul" else b
        for b in ENGINE_DEFAULT_BANDS
    )


def plan_spec(plan: Plan, *, until: date | None = None) -> PlanSpec:
    """Everything the engine needs about ``plan``: formulation, programming and reports of every
    cut (up to ``until``, when given). Seven queries whatever the plan's size."""
    objectives = list(Objective.objects.filter(plan=plan).order_by("order", "id"))
    indicators = list(
        Indicator.objects.filter(plan=plan).select_related("goal").order_by("order", "id")
    )
    annual: dict[int, dict[int, AnnualTarget]] = defaultdict(dict)
    for row in AnnualTargetRow.objects.filter(indicator__plan=plan):
        annual[row.indicator_id][row.vigencia] = AnnualTarget(row.target, row.baseline)

    # The rows by cut id, each cut's date read once (not converted on each of the rows).
    cut_dates = dict(Cut.objects.filter(plan=plan).values_list("id", "date"))
    targets = CutTarget.objects.filter(cut__plan=plan).values_list(
        "indicator_id", "cut_id", "programmed"
    )
    reports = ProgressReport.objects.filter(cut__plan=plan).values_list(
        "indicator_id", "cut_id", "executed", "analysis"
    )
    if until is not None:
        targets = targets.filter(cut__date__lte=until)
        reports = reports.filter(cut__date__lte=until)
    programmed: dict[tuple[int, date], Decimal | None] = {
        (i, cut_dates[c]): p for i, c, p in _values_rows(targets)
    }
    executed: dict[tuple[int, date], tuple[Decimal | None, str]] = {
        (i, cut_dates[c]): (e, a) for i, c, e, a in _values_rows(reports)
    }
    progress: dict[int, dict[date, Progress]] = defaultdict(dict)
    for key in programmed.keys() | executed.keys():
        value, analysis = executed.get(key, (None, ""))
        progress[key[0]][key[1]] = Progress(programmed.get(key), value, analysis)

    by_objective: dict[int, list[IndicatorSpec]] = defaultdict(list)
    for indicator in indicators:
        by_objective[indicator.goal.objective_id].append(
            _indicator_spec(indicator, annual[indicator.id], progress[indicator.id])
        )

    indicator_weights: dict[int, dict[str, Decimal]] = defaultdict(dict)
    objective_weights: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for weight in Weight.objects.filter(plan=plan).select_related("indicator", "objective"):
        if weight.indicator is not None:
            indicator_weights[weight.vigencia][weight.indicator.code] = weight.weight
        elif weight.objective is not None:
            objective_weights[weight.vigencia][weight.objective.code] = weight.weight

    return PlanSpec(
        code=plan.code,
        objectives=tuple(ObjectiveSpec(o.code, tuple(by_objective[o.id])) for o in objectives),
        policy=plan_policy(plan),
        indicator_weights=dict(indicator_weights),
        objective_weights=dict(objective_weights),
    )


def _values_rows(queryset: QuerySet[Any, tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` queryset (of columns, without annotations), exactly as
    Django gives them, with each column's converters (the database backend's and the field's,
    Django's own) called once per distinct number instead of once per value: a district plan
    reads 200.000 programmed and executed values, with many repeats, and Django's per-value
    conversion (SQLite: a decimal from the stored float, quantized to the field's places) was
    most of the time of reading them."""
    compiler = queryset.query.get_compiler(using=queryset.db)
    chunks = compiler.execute_sql(MULTI)
    rows = [tuple(row) for chunk in chunks for row in chunk]
    fields = [selected[0] for selected in compiler.select[: compiler.col_count]]
    converters = compiler.get_converters(fields)
    if not rows or not converters:
        return rows
    connection = compiler.connection
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True))
    for position, (functions, expression) in converters.items():
        columns[position] = list(
            map(_memoized(functions, expression, connection), columns[position])
        )
    return list(zip(*columns, strict=True))


def _memoized(
    functions: Sequence[Callable[..., Any]], expression: Any, connection: Any
) -> Callable[[Any], Any]:
    """``value`` through ``functions`` as Django's ``apply_converters`` does, remembered for
    the non-zero ints and floats the driver gives (by type: 1 and 1.0 are the same key; zeros
    not at all: 0.0 and -0.0 are too)."""
    memo: dict[type, dict[Any, Any]] = {int: {}, float: {}}

    def convert(value: Any) -> Any:
        for function in functions:
            value = function(value, expression, connection)
        return value

    def converted(value: Any) -> Any:
        known = memo.get(type(value))
        if known is None or not value:
            return convert(value)
        found = known.get(value, _MISSING)
        if found is _MISSING:
            found = known[value] = convert(value)
        return found

    return converted


_MISSING = object()


def _indicator_spec(
    indicator: Indicator,
    annual: dict[int, AnnualTarget],
    progress: dict[date, Progress],
) -> IndicatorSpec:
    """The one way an indicator row becomes the engine's input (plan-wide and alone)."""
    return IndicatorSpec(
        code=indicator.code,
        accumulation=Accumulation(indicator.accumulation),
        baseline=indicator.baseline,
        target_4y=indicator.target_4y,
        annual_targets=annual,
        progress=progress,
    )


def indicator_spec(*, indicator: Indicator, until: date | None = None) -> IndicatorSpec:
    """What ``plan_spec`` holds for ``indicator`` alone (up to ``until``): three queries, for
    the live preview of one report."""
    annual = {
        row.vigencia: AnnualTarget(row.target, row.baseline)
        for row in AnnualTargetRow.objects.filter(indicator=indicator)
    }
    targets = CutTarget.objects.filter(indicator=indicator).values_list("cut__date", "programmed")
    reports = ProgressReport.objects.filter(indicator=indicator).values_list(
        "cut__date", "executed", "analysis"
    )
    if until is not None:
        targets = targets.filter(cut__date__lte=until)
        reports = reports.filter(cut__date__lte=until)
    programmed: dict[date, Decimal | None] = dict(targets)
    executed: dict[date, tuple[Decimal | None, str]] = {d: (e, a) for d, e, a in reports}
    progress: dict[date, Progress] = {}
    for day in programmed.keys() | executed.keys():
        value, analysis = executed.get(day, (None, ""))
        progress[day] = Progress(programmed.get(day), value, analysis)
    return _indicator_spec(indicator, annual, progress)
