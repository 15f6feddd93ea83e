"""Read queries of the public dashboard: every page's data in a fixed number of queries.

Figures come from the stored result tables (``PlanCutResult``, ``ObjectiveCutResult``,
``IndicatorCutResult``): a page view never runs the engine. Each selector returns ``None`` when
the plan, cut, objective or indicator does not exist or is not visible to the visitor.

A cut under correction (published before, reopened) is still public, but its stored results
are the correction's working figures: the public reads the edition in force instead, from its
immutable snapshot (``editions.figures``, the same reading as the open data), and its
``CutRef.snapshot`` says which edition that is. Who may see drafts reads the working figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils.functional import Promise

from cascada.engine.model import Accumulation, Alert, Band, GoalKind, Status
from cascada.engine.progress import IN_CUT_ROLLUP
from cascada.plans.models import AnnualTarget as AnnualTargetRow
from cascada.plans.models import Goal, Indicator, Plan, SemaforoBand
from cascada.reports.models import ReportJob
from cascada.tracking.editions import EditionFigures, EditionIndicator, figures, public_cuts
from cascada.tracking.models import (
    AuditEvent,
    Cut,
    CutEdition,
    CutState,
    IndicatorCutResult,
    ObjectiveCutResult,
    PlanCutResult,
    ProgressReport,
)
from cascada.tracking.selectors import plan_policy
from cascada.web import texts

# The order in which statuses are counted and listed.
STATUS_ORDER: tuple[Status, ...] = (
    Status.CUMPLIDA,
    Status.SOBREEJECUTADA,
    Status.EN_REZAGO,
    Status.SIN_REPORTE,
    Status.EJECUTADA_SIN_PROGRAMACION,
    Status.NO_PROGRAMADA,
    Status.NO_VIGENTE,
)
PROGRAMMED = tuple(s.value for s in STATUS_ORDER if s in IN_CUT_ROLLUP)
KIND_ORDER: tuple[GoalKind, ...] = tuple(GoalKind)


def visible_cuts(*, include_drafts: bool, prefix: str = "") -> Q:
    """The cuts a visitor may see (``prefix``: the lookup path to the cut, e.g. ``"cut__"``):
    the public sees the published ones and those under correction (in their edition in
    force)."""
    return Q() if include_drafts else public_cuts(prefix)


def _cut_ref(day: date, state: str, edition: int, reason: str, include_drafts: bool) -> CutRef:
    """``snapshot``: the edition the public reads of a cut under correction."""
    if include_drafts or state == CutState.PUBLICADO or edition < 1:
        return CutRef(day, state)
    return CutRef(day, state, snapshot=edition, correction_reason=reason)


CUT_REF_FIELDS = ("date", "state", "edition", "correction_reason")


def _fields(row: tuple[Any, ...]) -> tuple[date, str, int, str]:
    """A ``values_list(*CUT_REF_FIELDS)`` row, typed."""
    day, state, edition, reason = row
    return day, state, edition, reason


def _snapshot(plan: Plan, cut: CutRef) -> EditionFigures | None:
    """The figures of the edition the public reads of ``cut`` (when it is under correction)."""
    if cut.snapshot is None:
        return None
    edition = CutEdition.objects.filter(
        cut__plan=plan, cut__date=cut.date, number=cut.snapshot
    ).first()
    return figures(edition) if edition is not None else None


# ---------------------------------------------------------------------------------------------
# Values shared by the pages


@dataclass(frozen=True)
class CutRef:
    date: date
    state: str
    snapshot: int | None = None  # the public's view of a cut under correction: edition read
    correction_reason: str = ""

    @property
    def is_draft(self) -> bool:
        return self.state != CutState.PUBLICADO and self.snapshot is None

    @property
    def under_correction(self) -> bool:
        return self.snapshot is not None

    @property
    def vigencia(self) -> int:
        return self.date.year

    @property
    def iso(self) -> str:
        return self.date.isoformat()


@dataclass(frozen=True)
class GoalRef:
    code: str
    kind: GoalKind
    name: str

    @property
    def kind_label(self) -> Promise:
        return texts.GOAL_KIND_LABELS[self.kind]

    @property
    def title(self) -> str:
        """ "Meta sectorial 223-2153"; a code that already names its kind ("Actividad 3") alone."""
        label = str(self.kind_label)
        if self.code.casefold().startswith(label.casefold()):
            return self.code
        return f"{label} {self.code}"


@dataclass(frozen=True)
class TermRow:
    """One term of a weighted mean, as stored in a result's ``explanation``."""

    code: str
    name: str
    value: Decimal
    value_used: Decimal
    weight: Decimal | None  # None: equal weights (no weights set for the vigencia)
    effective_weight: Decimal


@dataclass(frozen=True)
class ExcludedRow:
    code: str
    name: str
    reason: Promise


@dataclass(frozen=True)
class Figure:
    """A rolled-up figure with the terms that give it and what was left out, and why."""

    value: Decimal | None
    terms: tuple[TermRow, ...]
    excluded: tuple[ExcludedRow, ...]

    @property
    def capped(self) -> bool:
        return any(t.value != t.value_used for t in self.terms)

    @property
    def equal_weights(self) -> bool:
        return all(t.weight is None for t in self.terms)

    @property
    def zero_weights(self) -> bool:
        return self.value is None and bool(self.terms)


def _figure(
    stored: Iterable[Mapping[str, Any]],
    *,
    value: Decimal | None,
    names: Mapping[str, str],
    weighted: bool,
    excluded: Callable[[set[str]], list[ExcludedRow]],
) -> Figure:
    terms = tuple(
        TermRow(
            code=t["codigo"],
            name=names.get(t["codigo"], ""),
            value=Decimal(t["valor"]),
            value_used=Decimal(t["valor_usado"]),
            weight=Decimal(t["peso"]) if weighted else None,
            effective_weight=Decimal(t["peso_efectivo"]),
        )
        for t in stored
    )
    return Figure(value=value, terms=terms, excluded=tuple(excluded({t.code for t in terms})))


# ---------------------------------------------------------------------------------------------
# / — the plans


@dataclass(frozen=True)
class PlanRow:
    code: str
    name: str
    sector: str
    cut: CutRef | None
    compliance: Decimal | None
    semaforo: str


def plan_rows(*, draft_plans: frozenset[int] = frozenset()) -> list[PlanRow]:
    """Every plan with its latest visible cut and that cut's plan compliance: any cut of the
    plans in ``draft_plans`` (whose drafts the visitor may see), the published ones of the
    others. One query."""

    def latest(include_drafts: bool) -> QuerySet[Cut]:
        return (
            Cut.objects.filter(plan=OuterRef("pk"))
            .filter(visible_cuts(include_drafts=include_drafts))
            .order_by("-date")
        )

    public = latest(False)
    every = latest(True)
    plans = (
        Plan.objects.select_related("sector")
        .annotate(
            **{
                f"{prefix}_{name}": Subquery(rows.values(field)[:1])
                for prefix, rows in (("pub", public), ("all", every))
                for name, field in (
                    ("date", "date"),
                    ("state", "state"),
                    ("edition", "edition"),
                    ("correction_reason", "correction_reason"),
                    ("compliance", "result__compliance"),
                    ("semaforo", "result__semaforo"),
                )
            }
        )
        .order_by("code")
    )
    rows = []
    for p in plans:
        prefix = "all" if p.pk in draft_plans else "pub"
        day = getattr(p, f"{prefix}_date")
        cut = (
            _cut_ref(
                day,
                getattr(p, f"{prefix}_state"),
                getattr(p, f"{prefix}_edition"),
                getattr(p, f"{prefix}_correction_reason"),
                p.pk in draft_plans,
            )
            if day is not None
            else None
        )
        compliance = getattr(p, f"{prefix}_compliance")
        semaforo = getattr(p, f"{prefix}_semaforo") or ""
        snapshot = _snapshot(p, cut) if cut is not None else None
        if snapshot is not None:  # under correction: the edition in force, not the working one
            compliance, semaforo = snapshot.compliance, snapshot.semaforo
        rows.append(
            PlanRow(
                code=p.code,
                name=p.name,
                sector=p.sector.name,
                cut=cut,
                compliance=compliance,
                semaforo=semaforo,
            )
        )
    return rows


# ---------------------------------------------------------------------------------------------
# /planes/<code>/cortes/<date>/ — a cut of a plan


@dataclass(frozen=True)
class BandRow:
    """One semáforo colour with its range: from ``lower`` (``None``: from the bottom) up to the
    next colour's ``lower``."""

    color: str
    lower: Decimal | None
    inclusive: bool
    upper: Decimal | None


def band_rows(bands: Iterable[Band]) -> tuple[BandRow, ...]:
    ordered = sorted(bands, key=lambda b: (b.lower, not b.inclusive))
    return tuple(
        BandRow(
            color=b.color,
            lower=None if b.lower.is_infinite() else b.lower,
            inclusive=b.inclusive,
            upper=ordered[n + 1].lower if n + 1 < len(ordered) else None,
        )
        for n, b in enumerate(ordered)
    )


@dataclass(frozen=True)
class StatusCount:
    status: Status
    count: int


@dataclass(frozen=True)
class ObjectiveCard:
    code: str
    name: str
    compliance: Decimal | None
    year: Decimal | None
    four_year: Decimal | None
    semaforo: str
    indicators: int
    programmed: int
    statuses: tuple[StatusCount, ...]


@dataclass(frozen=True)
class KindRow:
    kind: GoalKind
    goals: int
    programmed_goals: int
    indicators: int
    programmed_indicators: int

    @property
    def label(self) -> Promise:
        return texts.GOAL_KIND_PLURALS[self.kind]


@dataclass(frozen=True)
class CutPage:
    plan: Plan
    cuts: tuple[CutRef, ...]  # visible cuts, newest first (the selector)
    cut: CutRef | None  # None: the plan has no visible cut yet
    bands: tuple[BandRow, ...] = ()
    compliance: Figure | None = None
    year: Figure | None = None
    four_year: Figure | None = None
    semaforo: str = ""
    objectives: tuple[ObjectiveCard, ...] = ()
    kinds: tuple[KindRow, ...] = ()
    indicator_weights: bool = False  # the vigencia has indicator weights
    objective_weights: bool = False  # the vigencia has objective weights
    totals: KindRow | None = None


def _plan(code: str) -> Plan | None:
    return (
        Plan.objects.select_related("sector", "development_plan", "head_entity")
        .filter(code=code)
        .first()
    )


@dataclass(frozen=True)
class _ObjectiveFigures:
    code: str
    name: str
    compliance: Decimal | None
    year: Decimal | None
    four_year: Decimal | None
    semaforo: str
    weight: Decimal | None


@dataclass
class _CutCounts:
    """What the cut page counts, keyed by objective code and goal kind."""

    statuses: dict[str, dict[Status, int]]
    kind_indicators: dict[GoalKind, int]
    kind_programmed: dict[GoalKind, int]
    indicator_weights: bool
    goals: dict[str, int]  # goals of the plan per kind
    programmed_goals: dict[str, int]  # goals with a programmed indicator, per kind


def _empty_counts() -> _CutCounts:
    return _CutCounts(
        statuses=defaultdict(lambda: defaultdict(int)),
        kind_indicators=defaultdict(int),
        kind_programmed=defaultdict(int),
        indicator_weights=False,
        goals={},
        programmed_goals={},
    )


def cut_page(*, plan_code: str, day: date | None, include_drafts: bool) -> CutPage | None:
    """The plan's cut of ``day`` (its latest visible cut when ``day`` is None). Eight queries
    (fewer for a cut under correction, read from its edition)."""
    plan = _plan(plan_code)
    if plan is None:
        return None
    cuts = tuple(
        _cut_ref(*_fields(row), include_drafts)
        for row in Cut.objects.filter(plan=plan)
        .filter(visible_cuts(include_drafts=include_drafts))
        .order_by("-date")
        .values_list(*CUT_REF_FIELDS)
    )
    if day is None:
        cut = cuts[0] if cuts else None
    else:
        cut = next((c for c in cuts if c.date == day), None)
        if cut is None:
            return None
    bands = band_rows(plan_policy(plan, bands=list(SemaforoBand.objects.filter(plan=plan))).bands)
    if cut is None:
        return CutPage(plan=plan, cuts=cuts, cut=None, bands=bands)
    snapshot = _snapshot(plan, cut)
    if snapshot is not None:
        return _cut_page_of_edition(plan, cuts, cut, bands, snapshot)
    plan_result = PlanCutResult.objects.filter(cut__plan=plan, cut__date=cut.date).first()
    objective_results = list(
        ObjectiveCutResult.objects.filter(cut__plan=plan, cut__date=cut.date)
        .select_related("objective")
        .order_by("objective__order", "objective__id")
    )
    codes = {r.objective_id: r.objective.code for r in objective_results}

    # indicators per (objective, goal kind, status), and whether weights were set
    counts = _empty_counts()
    for row in (
        IndicatorCutResult.objects.filter(cut__plan=plan, cut__date=cut.date)
        .values("indicator__goal__objective_id", "indicator__goal__kind", "status")
        .annotate(n=Count("id"), weighted=Count("weight"))
        .order_by()
    ):
        status, kind, n = Status(row["status"]), GoalKind(row["indicator__goal__kind"]), row["n"]
        counts.statuses[codes.get(row["indicator__goal__objective_id"], "")][status] += n
        counts.kind_indicators[kind] += n
        if status in IN_CUT_ROLLUP:
            counts.kind_programmed[kind] += n
        counts.indicator_weights = counts.indicator_weights or row["weighted"] > 0

    counts.goals = dict(
        Goal.objects.filter(plan=plan)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("kind", "n")
    )
    counts.programmed_goals = dict(
        IndicatorCutResult.objects.filter(cut__plan=plan, cut__date=cut.date, status__in=PROGRAMMED)
        .values("indicator__goal__kind")
        .annotate(n=Count("indicator__goal_id", distinct=True))
        .order_by()
        .values_list("indicator__goal__kind", "n")
    )
    return _assemble_cut_page(
        plan,
        cuts,
        cut,
        bands,
        objectives=[
            _ObjectiveFigures(
                r.objective.code,
                r.objective.name,
                r.compliance,
                r.year,
                r.four_year,
                r.semaforo,
                r.weight,
            )
            for r in objective_results
        ],
        plan_values=(
            (plan_result.compliance, plan_result.year, plan_result.four_year)
            if plan_result is not None
            else (None, None, None)
        ),
        semaforo=plan_result.semaforo if plan_result is not None else "",
        explanation=plan_result.explanation if plan_result is not None else {},
        counts=counts,
    )


def _cut_page_of_edition(
    plan: Plan,
    cuts: tuple[CutRef, ...],
    cut: CutRef,
    bands: tuple[BandRow, ...],
    data: EditionFigures,
) -> CutPage:
    """The cut page read from a published edition's snapshot."""
    counts = _empty_counts()
    counts.goals = dict(data.goal_kinds)
    programmed_goals: dict[str, set[str]] = defaultdict(set)
    for o in data.objectives:
        for i in o.indicators:
            status, kind = Status(i.status), GoalKind(i.goal_kind)
            counts.statuses[o.code][status] += 1
            counts.kind_indicators[kind] += 1
            if status in IN_CUT_ROLLUP:
                counts.kind_programmed[kind] += 1
                programmed_goals[kind.value].add(i.goal)
            counts.indicator_weights = counts.indicator_weights or i.weight is not None
    counts.programmed_goals = {k: len(v) for k, v in programmed_goals.items()}
    return _assemble_cut_page(
        plan,
        cuts,
        cut,
        bands,
        objectives=[
            _ObjectiveFigures(
                o.code, o.name, o.compliance, o.year, o.four_year, o.semaforo, o.weight
            )
            for o in data.objectives
        ],
        plan_values=(data.compliance, data.year, data.four_year),
        semaforo=data.semaforo,
        explanation=data.explanation,
        counts=counts,
    )


def _assemble_cut_page(
    plan: Plan,
    cuts: tuple[CutRef, ...],
    cut: CutRef,
    bands: tuple[BandRow, ...],
    *,
    objectives: list[_ObjectiveFigures],
    plan_values: tuple[Decimal | None, Decimal | None, Decimal | None],
    semaforo: str,
    explanation: Mapping[str, Any],
    counts: _CutCounts,
) -> CutPage:
    kinds = tuple(
        KindRow(
            kind=kind,
            goals=counts.goals.get(kind.value, 0),
            programmed_goals=counts.programmed_goals.get(kind.value, 0),
            indicators=counts.kind_indicators[kind],
            programmed_indicators=counts.kind_programmed[kind],
        )
        for kind in KIND_ORDER
        if counts.goals.get(kind.value, 0) or counts.kind_indicators[kind]
    )
    cards = tuple(
        ObjectiveCard(
            code=o.code,
            name=o.name,
            compliance=o.compliance,
            year=o.year,
            four_year=o.four_year,
            semaforo=o.semaforo,
            indicators=sum(counts.statuses[o.code].values()),
            programmed=sum(n for s, n in counts.statuses[o.code].items() if s in IN_CUT_ROLLUP),
            statuses=tuple(
                StatusCount(s, counts.statuses[o.code][s])
                for s in STATUS_ORDER
                if counts.statuses[o.code][s]
            ),
        )
        for o in objectives
    )
    names = {o.code: o.name for o in objectives}
    objective_weights = any(o.weight is not None for o in objectives)

    def plan_figure(key: str, value: Decimal | None) -> Figure:
        def excluded(included: set[str]) -> list[ExcludedRow]:
            return [
                ExcludedRow(c.code, c.name, texts.EXCLUDED_OBJECTIVE)
                for c in cards
                if c.code not in included
            ]

        return _figure(
            explanation.get(key, []),
            value=value,
            names=names,
            weighted=objective_weights,
            excluded=excluded,
        )

    compliance, year, four_year = plan_values
    return CutPage(
        plan=plan,
        cuts=cuts,
        cut=cut,
        bands=bands,
        compliance=plan_figure("cumplimiento", compliance),
        year=plan_figure("avance_vigencia", year),
        four_year=plan_figure("avance_cuatrienio", four_year),
        semaforo=semaforo,
        objectives=cards,
        kinds=kinds,
        totals=KindRow(
            kind=GoalKind.SECTORIAL,  # unused for the totals row
            goals=sum(k.goals for k in kinds),
            programmed_goals=sum(k.programmed_goals for k in kinds),
            indicators=sum(k.indicators for k in kinds),
            programmed_indicators=sum(k.programmed_indicators for k in kinds),
        ),
        indicator_weights=counts.indicator_weights,
        objective_weights=objective_weights,
    )


# ---------------------------------------------------------------------------------------------
# /planes/<code>/cortes/<date>/objetivos/<objective>/ — one objective at a cut


@dataclass(frozen=True)
class IndicatorLine:
    code: str
    name: str
    unit: str
    goal: GoalRef
    status: Status
    programmed: Decimal | None
    executed: Decimal | None
    annual_target: Decimal | None
    progress_cut: Decimal | None
    progress_year: Decimal | None
    progress_4y: Decimal | None
    effective_weight: Decimal | None
    semaforo: str
    alerts: tuple[Alert, ...]
    analysis: str


@dataclass(frozen=True)
class ObjectivePage:
    plan: Plan
    cut: CutRef
    code: str
    name: str
    semaforo: str
    compliance: Figure
    year: Figure
    four_year: Figure
    lines: tuple[IndicatorLine, ...]

    @property
    def has_analysis(self) -> bool:
        return any(line.analysis for line in self.lines)


def _visible_cut(plan: Plan, day: date, include_drafts: bool) -> CutRef | None:
    row = (
        Cut.objects.filter(plan=plan, date=day)
        .filter(visible_cuts(include_drafts=include_drafts))
        .values_list(*CUT_REF_FIELDS)
        .first()
    )
    return _cut_ref(*_fields(row), include_drafts) if row is not None else None


def _line(i: EditionIndicator) -> IndicatorLine:
    return IndicatorLine(
        code=i.code,
        name=i.name,
        unit=i.unit,
        goal=GoalRef(i.goal, GoalKind(i.goal_kind), i.goal_name),
        status=Status(i.status),
        programmed=i.programmed,
        executed=i.executed,
        annual_target=i.annual_target,
        progress_cut=i.progress_cut,
        progress_year=i.progress_year,
        progress_4y=i.progress_4y,
        effective_weight=i.effective_weight,
        semaforo=i.semaforo,
        alerts=tuple(Alert(a) for a in i.alerts),
        analysis=i.analysis,
    )


_LINE_FIELDS = (
    "indicator_id",
    "indicator__code",
    "indicator__name",
    "indicator__unit",
    "indicator__goal__code",
    "indicator__goal__kind",
    "indicator__goal__name",
    "status",
    "programmed",
    "executed",
    "annual_target",
    "progress_cut",
    "progress_year",
    "progress_4y",
    "weight",
    "effective_weight",
    "semaforo",
    "alerts",
)


def objective_page(
    *, plan_code: str, day: date, objective_code: str, include_drafts: bool
) -> ObjectivePage | None:
    """One objective at a visible cut: its table, analyses and explanation. Five queries."""
    plan = _plan(plan_code)
    if plan is None:
        return None
    cut = _visible_cut(plan, day, include_drafts)
    if cut is None:
        return None
    snapshot = _snapshot(plan, cut)
    if snapshot is not None:
        objective = next((o for o in snapshot.objectives if o.code == objective_code), None)
        if objective is None:
            return None
        return _assemble_objective_page(
            plan,
            cut,
            code=objective.code,
            name=objective.name,
            semaforo=objective.semaforo,
            values=(objective.compliance, objective.year, objective.four_year),
            explanation=objective.explanation,
            lines=tuple(_line(i) for i in objective.indicators),
            weighted=any(i.weight is not None for i in objective.indicators),
        )
    result = (
        ObjectiveCutResult.objects.filter(
            cut__plan=plan, cut__date=day, objective__code=objective_code
        )
        .select_related("objective")
        .first()
    )
    if result is None:
        return None
    # Plain rows, not model instances: an objective may have hundreds of indicators, and building
    # a result, an indicator and a goal instance for each was a sixth of the page's time.
    rows = list(
        IndicatorCutResult.objects.filter(
            cut__plan=plan, cut__date=day, indicator__goal__objective_id=result.objective_id
        )
        .order_by("indicator__order", "indicator__id")
        .values(*_LINE_FIELDS)
    )
    analyses = dict(
        ProgressReport.objects.filter(
            cut__plan=plan, cut__date=day, indicator__goal__objective_id=result.objective_id
        ).values_list("indicator_id", "analysis")
    )
    lines = tuple(
        IndicatorLine(
            code=r["indicator__code"],
            name=r["indicator__name"],
            unit=r["indicator__unit"],
            goal=GoalRef(
                r["indicator__goal__code"],
                GoalKind(r["indicator__goal__kind"]),
                r["indicator__goal__name"],
            ),
            status=Status(r["status"]),
            programmed=r["programmed"],
            executed=r["executed"],
            annual_target=r["annual_target"],
            progress_cut=r["progress_cut"],
            progress_year=r["progress_year"],
            progress_4y=r["progress_4y"],
            effective_weight=r["effective_weight"],
            semaforo=r["semaforo"],
            alerts=tuple(Alert(a) for a in r["alerts"]),
            analysis=analyses.get(r["indicator_id"], ""),
        )
        for r in rows
    )
    return _assemble_objective_page(
        plan,
        cut,
        code=result.objective.code,
        name=result.objective.name,
        semaforo=result.semaforo,
        values=(result.compliance, result.year, result.four_year),
        explanation=result.explanation,
        lines=lines,
        weighted=any(r["weight"] is not None for r in rows),
    )


def _assemble_objective_page(
    plan: Plan,
    cut: CutRef,
    *,
    code: str,
    name: str,
    semaforo: str,
    values: tuple[Decimal | None, Decimal | None, Decimal | None],
    explanation: Mapping[str, Any],
    lines: tuple[IndicatorLine, ...],
    weighted: bool,
) -> ObjectivePage:
    names = {line.code: line.name for line in lines}
    by_code = {line.code: line for line in lines}

    def excluded(
        reason: Callable[[IndicatorLine], Promise],
    ) -> Callable[[set[str]], list[ExcludedRow]]:
        def rows_left_out(included: set[str]) -> list[ExcludedRow]:
            return [
                ExcludedRow(code, line.name, reason(line))
                for code, line in by_code.items()
                if code not in included
            ]

        return rows_left_out

    def cut_reason(line: IndicatorLine) -> Promise:
        return texts.EXCLUDED_CUT.get(line.status, texts.EXCLUDED_CUT[Status.NO_PROGRAMADA])

    def year_reason(line: IndicatorLine) -> Promise:
        return (
            texts.EXCLUDED_NOT_IN_FORCE if line.status == Status.NO_VIGENTE else texts.EXCLUDED_YEAR
        )

    def four_year_reason(line: IndicatorLine) -> Promise:
        if line.status == Status.NO_VIGENTE:
            return texts.EXCLUDED_NOT_IN_FORCE
        return texts.EXCLUDED_FOUR_YEAR

    compliance, year, four_year = values
    return ObjectivePage(
        plan=plan,
        cut=cut,
        code=code,
        name=name,
        semaforo=semaforo,
        compliance=_figure(
            explanation.get("cumplimiento", []),
            value=compliance,
            names=names,
            weighted=weighted,
            excluded=excluded(cut_reason),
        ),
        year=_figure(
            explanation.get("avance_vigencia", []),
            value=year,
            names=names,
            weighted=weighted,
            excluded=excluded(year_reason),
        ),
        four_year=_figure(
            explanation.get("avance_cuatrienio", []),
            value=four_year,
            names=names,
            weighted=weighted,
            excluded=excluded(four_year_reason),
        ),
        lines=lines,
    )


# ---------------------------------------------------------------------------------------------
# /planes/<code>/indicadores/<indicator>/ — one indicator across the visible cuts


@dataclass(frozen=True)
class AnnualTargetLine:
    vigencia: int
    target: Decimal
    baseline: Decimal | None


@dataclass(frozen=True)
class HistoryPoint:
    cut: CutRef
    status: Status
    programmed: Decimal | None
    executed: Decimal | None
    annual_target: Decimal | None
    progress_cut: Decimal | None
    progress_year: Decimal | None
    progress_4y: Decimal | None
    semaforo: str
    alerts: tuple[Alert, ...]
    analysis: str


@dataclass(frozen=True)
class IndicatorPage:
    plan: Plan
    code: str
    name: str
    unit: str
    accumulation: Accumulation
    baseline: Decimal | None
    target_4y: Decimal | None
    goal: GoalRef
    objective_code: str
    objective_name: str
    responsible_entity: str
    annual_targets: tuple[AnnualTargetLine, ...]
    history: tuple[HistoryPoint, ...]  # oldest first

    @property
    def has_analysis(self) -> bool:
        return any(p.analysis for p in self.history)

    @property
    def has_drafts(self) -> bool:
        return any(p.cut.is_draft for p in self.history)

    @property
    def latest(self) -> HistoryPoint | None:
        return self.history[-1] if self.history else None

    @property
    def accumulation_label(self) -> Promise:
        return texts.ACCUMULATION_LABELS[self.accumulation]

    @property
    def accumulation_meaning(self) -> Promise:
        return texts.ACCUMULATION_MEANINGS[self.accumulation]

    @property
    def formulas(self) -> tuple[str, str, str]:
        return texts.ACCUMULATION_FORMULAS[self.accumulation]


def indicator_page(
    *, plan_code: str, indicator_code: str, include_drafts: bool
) -> IndicatorPage | None:
    """One indicator: formulation, and its results across every visible cut. Five queries."""
    plan = _plan(plan_code)
    if plan is None:
        return None
    indicator = (
        Indicator.objects.filter(plan=plan, code=indicator_code)
        .select_related("goal__objective", "goal__responsible_entity")
        .first()
    )
    if indicator is None:
        return None
    annual = tuple(
        AnnualTargetLine(v, t, b)
        for v, t, b in AnnualTargetRow.objects.filter(indicator=indicator)
        .order_by("vigencia")
        .values_list("vigencia", "target", "baseline")
    )
    # The plan's cuts named too: implied by the indicator, but without it PostgreSQL scans
    # every plan's cuts for the visible ones (16 ms at national size, 52.800 cuts; 0,2 with).
    visible = visible_cuts(include_drafts=include_drafts, prefix="cut__") & Q(cut__plan=plan)
    results = list(
        IndicatorCutResult.objects.filter(visible, indicator=indicator)
        .select_related("cut")
        .order_by("cut__date")
    )
    analyses = dict(
        ProgressReport.objects.filter(visible, indicator=indicator).values_list(
            "cut_id", "analysis"
        )
    )
    history: list[HistoryPoint] = []
    for r in results:
        cut = _cut_ref(
            r.cut.date, r.cut.state, r.cut.edition, r.cut.correction_reason, include_drafts
        )
        if cut.snapshot is None:
            history.append(
                HistoryPoint(
                    cut=cut,
                    status=Status(r.status),
                    programmed=r.programmed,
                    executed=r.executed,
                    annual_target=r.annual_target,
                    progress_cut=r.progress_cut,
                    progress_year=r.progress_year,
                    progress_4y=r.progress_4y,
                    semaforo=r.semaforo,
                    alerts=tuple(Alert(a) for a in r.alerts),
                    analysis=analyses.get(r.cut_id, ""),
                )
            )
            continue
        snapshot = _snapshot(plan, cut)
        found = (
            next(
                (i for o in snapshot.objectives for i in o.indicators if i.code == indicator.code),
                None,
            )
            if snapshot is not None
            else None
        )
        if found is not None:  # absent: the indicator was not in that edition
            line = _line(found)
            history.append(
                HistoryPoint(
                    cut=cut,
                    status=line.status,
                    programmed=line.programmed,
                    executed=line.executed,
                    annual_target=line.annual_target,
                    progress_cut=line.progress_cut,
                    progress_year=line.progress_year,
                    progress_4y=line.progress_4y,
                    semaforo=line.semaforo,
                    alerts=line.alerts,
                    analysis=line.analysis,
                )
            )
    goal = indicator.goal
    return IndicatorPage(
        plan=plan,
        code=indicator.code,
        name=indicator.name,
        unit=indicator.unit,
        accumulation=Accumulation(indicator.accumulation),
        baseline=indicator.baseline,
        target_4y=indicator.target_4y,
        goal=GoalRef(goal.code, GoalKind(goal.kind), goal.name),
        objective_code=goal.objective.code,
        objective_name=goal.objective.name,
        responsible_entity=goal.responsible_entity.name if goal.responsible_entity else "",
        annual_targets=annual,
        history=tuple(history),
    )


# ---------------------------------------------------------------------------------------------
# What a cached page depends on


def site_fingerprint() -> str:
    """``plan_fingerprint`` for the pages that show every plan (the list of plans): the latest
    audit event of any plan or of what they share, and the latest published edition."""
    latest_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    latest_edition = CutEdition.objects.order_by("-id").values_list("id", flat=True).first()
    return f"site.{latest_event}.{latest_edition}"


def plan_fingerprint(*, plan_code: str) -> str | None:
    """A short text that changes whenever anything shown on the plan's public pages may have
    changed, or ``None`` when there is no such plan. One query of three index probes: the plan's
    latest audit event (every change to a plan is audited in its transaction: publishing, a
    correction, reopening, formulation, the admin, imports), the latest admin change to what
    plans share (sectors, entities, development plans: audited without a plan) and the plan's
    latest published edition (belt and braces: publishing is also audited)."""

    def latest(rows: QuerySet[Any]) -> Subquery:
        return Subquery(rows.order_by("-id").values("id")[:1])

    row = (
        Plan.objects.filter(code=plan_code)
        .annotate(
            audit=latest(AuditEvent.objects.filter(plan=OuterRef("pk"))),
            shared=latest(
                AuditEvent.objects.filter(plan__isnull=True, action__startswith="admin:")
            ),
            edition=latest(CutEdition.objects.filter(cut__plan=OuterRef("pk"))),
        )
        .values_list("pk", "audit", "shared", "edition")
        .first()
    )
    return None if row is None else ".".join(str(v) for v in row)


# ---------------------------------------------------------------------------------------------
# /planes/<code>/cortes/<date>/informe.<fmt> — the report of a cut


@dataclass(frozen=True)
class ReportTarget:
    plan: Plan
    cut: CutRef
    indicators: int  # the plan's size, which decides between rendering now or in the background


def report_target(*, plan_code: str, day: date, include_drafts: bool) -> ReportTarget | None:
    """The plan and visible cut whose report is asked for, when the cut has results to report.
    Four queries."""
    plan = _plan(plan_code)
    if plan is None:
        return None
    cut = _visible_cut(plan, day, include_drafts)
    if cut is None or not PlanCutResult.objects.filter(cut__plan=plan, cut__date=day).exists():
        return None
    return ReportTarget(plan=plan, cut=cut, indicators=Indicator.objects.filter(plan=plan).count())


def report_job(*, job_id: UUID, include_drafts: bool) -> ReportJob | None:
    """A background report job, if the visitor may see it: a job rendered for staff (drafts
        included) to staff only; a public one while its cut is public (published, or under
    correction: its edition in force). Two queries."""
    job = ReportJob.objects.select_related("plan").filter(pk=job_id).first()
    if job is None or include_drafts:
        return job
    if job.include_drafts or _visible_cut(job.plan, job.cut_date, include_drafts) is None:
        return None
    return job


__all__ = [
    "CutPage",
    "CutRef",
    "Figure",
    "IndicatorPage",
    "ObjectivePage",
    "PlanRow",
    "ReportTarget",
    "cut_page",
    "indicator_page",
    "objective_page",
    "plan_fingerprint",
    "plan_rows",
    "report_job",
    "report_target",
    "visible_cuts",
]
