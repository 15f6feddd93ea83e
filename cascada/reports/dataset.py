"""The follow-up report of one cut as data: what every renderer (html, pdf, pptx, xlsx, json)
consumes, so a figure can never differ between formats.

Built from the results stored for the cut (never recomputed here) in a fixed number of queries,
or, for the public's view of a cut under correction, from the snapshot of its edition in force
(``editions.figures``, the reading the open data use too).
Numbers stay ``Decimal`` and unrounded; renderers format them with ``cascada.engine.display``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cascada.engine.display import (
    Lang,
    alert_label,
    format_date,
    status_label,
)
from cascada.engine.model import Accumulation, Alert, Band, GoalKind, Level, Status
from cascada.engine.progress import IN_CUT_ROLLUP
from cascada.imports.export import plan_info
from cascada.plans.models import AnnualTarget, Goal, Indicator, Objective, Plan, Weight
from cascada.tracking.editions import EditionIndicator, EditionObjective, figures
from cascada.tracking.models import (
    Cut,
    CutEdition,
    CutState,
    IndicatorCutResult,
    ObjectiveCutResult,
    PlanCutResult,
)
from cascada.tracking.selectors import plan_policy

GOAL_KIND_LABELS: dict[Lang, dict[GoalKind, str]] = {
    "es": {
        GoalKind.SECTORIAL: "Meta sectorial",
        GoalKind.ESTRATEGICA: "Meta estratégica",
        GoalKind.PROYECTO_INVERSION: "Meta de proyecto de inversión",
        GoalKind.ACTIVIDAD: "Actividad",
    },
    "en": {
        GoalKind.SECTORIAL: "Sector goal",
        GoalKind.ESTRATEGICA: "Strategic goal",
        GoalKind.PROYECTO_INVERSION: "Investment project goal",
        GoalKind.ACTIVIDAD: "Activity",
    },
}
ACCUMULATION_LABELS: dict[Lang, dict[Accumulation, str]] = {
    "es": {
        Accumulation.SUMA: "Suma",
        Accumulation.CONSTANTE: "Constante",
        Accumulation.CRECIENTE: "Creciente",
        Accumulation.DECRECIENTE: "Decreciente",
    },
    "en": {
        Accumulation.SUMA: "Sum",
        Accumulation.CONSTANTE: "Constant",
        Accumulation.CRECIENTE: "Increasing",
        Accumulation.DECRECIENTE: "Decreasing",
    },
}


class ReportNotFound(LookupError):
    """No such plan, or no such cut for it."""


@dataclass(frozen=True)
class ReportTerm:
    code: str
    value: Decimal
    value_used: Decimal
    weight: Decimal
    effective_weight: Decimal


@dataclass(frozen=True)
class ReportIndicator:
    code: str
    name: str
    unit: str
    goal_code: str
    goal_kind: GoalKind
    goal_kind_label: str
    goal_name: str
    responsible_entity: str
    accumulation: Accumulation
    annual_target: Decimal | None
    programmed: Decimal | None
    executed: Decimal | None
    progress_cut: Decimal | None
    progress_year: Decimal | None
    progress_4y: Decimal | None
    weight: Decimal | None
    effective_weight: Decimal | None
    status: Status
    status_label: str
    semaforo: str | None
    alerts: tuple[Alert, ...]
    alert_labels: tuple[str, ...]
    analysis: str


@dataclass(frozen=True)
class ReportObjective:
    code: str
    name: str
    compliance: Decimal | None
    year: Decimal | None
    four_year: Decimal | None
    semaforo: str | None
    weight: Decimal | None
    programmed_count: int
    status_counts: dict[str, int]
    terms: tuple[ReportTerm, ...]
    indicators: tuple[ReportIndicator, ...]


@dataclass(frozen=True)
class FormulationRow:
    """One line of the matriz de formulación: an indicator with its targets and weights."""

    objective_code: str
    goal_code: str
    goal_kind_label: str
    goal_name: str
    indicator_code: str
    indicator_name: str
    unit: str
    accumulation_label: str
    baseline: Decimal | None
    target_4y: Decimal | None
    annual_targets: dict[int, Decimal]
    weights: dict[int, Decimal]


@dataclass(frozen=True)
class ReportPlan:
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
    legal_basis: str
    source: str
    cap: Decimal | None
    overexecution_threshold: Decimal
    bands: tuple[Band, ...]  # the semáforo in force (the plan's own, or the default)
    logo_path: str | None = None
    secondary_logo_path: str | None = None


@dataclass(frozen=True)
class ReportDataset:
    lang: Lang
    plan: ReportPlan
    cut: date
    cut_label: str  # "31 de marzo de 2026"
    vigencia: int
    cut_state: str
    source_line: str  # "Fuente: … Corte 31 de marzo de 2026."
    compliance: Decimal | None
    year: Decimal | None
    four_year: Decimal | None
    semaforo: str | None
    objectives: tuple[ReportObjective, ...]
    formulation: tuple[FormulationRow, ...]
    vigencias: tuple[int, ...]
    generated_at: datetime = field(default_factory=timezone.now)

    def as_json(self) -> dict[str, Any]:
        """The dataset as JSON-ready data (decimals as numbers, dates as ISO text)."""
        return _jsonable(asdict(self))  # type: ignore[no-any-return]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else None  # a band open below: -Infinity
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _terms(explanation: dict[str, Any]) -> tuple[ReportTerm, ...]:
    return tuple(
        ReportTerm(
            code=t["codigo"],
            value=Decimal(t["valor"]),
            value_used=Decimal(t["valor_usado"]),
            weight=Decimal(t["peso"]),
            effective_weight=Decimal(t["peso_efectivo"]),
        )
        for t in explanation.get("cumplimiento", [])
    )


def build_dataset(
    *, plan_code: str, cut_date: date, lang: Lang = "es", edition: CutEdition | None = None
) -> ReportDataset:
    """The report of ``plan_code`` at ``cut_date`` from its stored results, or from the snapshot
    of ``edition`` (a published edition of that cut) when given."""
    plan = (
        Plan.objects.select_related("sector", "head_entity", "development_plan")
        .filter(code=plan_code)
        .first()
    )
    if plan is None:
        raise ReportNotFound(f"No existe el plan '{plan_code}'.")
    cut = Cut.objects.filter(plan=plan, date=cut_date).first()
    if cut is None:
        raise ReportNotFound(f"El plan '{plan_code}' no tiene un corte el {cut_date.isoformat()}.")
    plan_result = PlanCutResult.objects.filter(cut=cut).first()
    if plan_result is None:
        raise ReportNotFound(f"El corte {cut_date.isoformat()} aún no tiene resultados calculados.")

    objectives = list(Objective.objects.filter(plan=plan).order_by("order", "id"))
    indicators = list(
        Indicator.objects.filter(plan=plan).select_related("goal").order_by("order", "id")
    )
    if edition is not None:
        if edition.cut_id != cut.pk:
            raise ReportNotFound(f"La edición {edition.number} no es de este corte.")
        data = figures(edition)
        report_objectives = [_edition_objective(o, lang) for o in data.objectives]
        totals: tuple[Decimal | None, Decimal | None, Decimal | None, str] = (
            data.compliance,
            data.year,
            data.four_year,
            data.semaforo,
        )
        state = str(CutState.PUBLICADO)
    else:
        report_objectives = _stored_objectives(cut, objectives, indicators, lang)
        totals = (
            plan_result.compliance,
            plan_result.year,
            plan_result.four_year,
            plan_result.semaforo,
        )
        state = cut.state
    formulation, vigencias = _formulation(plan, indicators, objectives, lang)
    cut_label = format_date(cut.date, lang)
    cut_word = "Corte" if lang == "es" else "Cut"
    source = plan.source.strip()
    source_line = f"{'Fuente' if lang == 'es' else 'Source'}: {source} {cut_word} {cut_label}."
    return ReportDataset(
        lang=lang,
        plan=ReportPlan(
            **vars(plan_info(plan)),
            cap=plan.cap,
            overexecution_threshold=plan.overexecution_threshold,
            bands=plan_policy(plan).bands,
            logo_path=plan.logo.path if plan.logo else None,
            secondary_logo_path=plan.secondary_logo.path if plan.secondary_logo else None,
        ),
        cut=cut.date,
        cut_label=cut_label,
        vigencia=cut.date.year,
        cut_state=state,
        source_line=source_line if source else f"{cut_word} {cut_label}.",
        compliance=totals[0],
        year=totals[1],
        four_year=totals[2],
        semaforo=totals[3] or None,
        objectives=tuple(report_objectives),
        formulation=formulation,
        vigencias=vigencias,
    )


def _stored_objectives(
    cut: Cut, objectives: list[Objective], indicators: list[Indicator], lang: Lang
) -> list[ReportObjective]:
    objective_results = {r.objective_id: r for r in ObjectiveCutResult.objects.filter(cut=cut)}
    indicator_results = {
        r.indicator_id: r
        for r in IndicatorCutResult.objects.filter(cut=cut).select_related(
            "indicator__goal__responsible_entity"
        )
    }
    analyses = dict(cut.reports.values_list("indicator_id", "analysis"))
    by_objective: dict[int, list[ReportIndicator]] = defaultdict(list)
    for indicator in indicators:
        result = indicator_results.get(indicator.id)
        if result is not None:
            by_objective[indicator.goal.objective_id].append(
                _indicator(result, analyses.get(indicator.id, ""), lang)
            )
    report_objectives = []
    for objective in objectives:
        stored = objective_results.get(objective.id)
        rows = tuple(by_objective[objective.id])
        counts = Counter(r.status.value for r in rows)
        report_objectives.append(
            ReportObjective(
                code=objective.code,
                name=objective.name,
                compliance=stored.compliance if stored else None,
                year=stored.year if stored else None,
                four_year=stored.four_year if stored else None,
                semaforo=(stored.semaforo or None) if stored else None,
                weight=stored.weight if stored else None,
                programmed_count=sum(1 for r in rows if r.status in IN_CUT_ROLLUP),
                status_counts={s.value: counts[s.value] for s in Status if counts[s.value]},
                terms=_terms(stored.explanation) if stored else (),
                indicators=rows,
            )
        )
    return report_objectives


def _edition_objective(objective: EditionObjective, lang: Lang) -> ReportObjective:
    rows = tuple(_edition_indicator(i, lang) for i in objective.indicators)
    counts = Counter(r.status.value for r in rows)
    return ReportObjective(
        code=objective.code,
        name=objective.name,
        compliance=objective.compliance,
        year=objective.year,
        four_year=objective.four_year,
        semaforo=objective.semaforo or None,
        weight=objective.weight,
        programmed_count=sum(1 for r in rows if r.status in IN_CUT_ROLLUP),
        status_counts={s.value: counts[s.value] for s in Status if counts[s.value]},
        terms=_terms(objective.explanation),
        indicators=rows,
    )


def _edition_indicator(i: EditionIndicator, lang: Lang) -> ReportIndicator:
    status = Status(i.status)
    alerts = tuple(Alert(a) for a in i.alerts)
    kind = GoalKind(i.goal_kind)
    return ReportIndicator(
        code=i.code,
        name=i.name,
        unit=i.unit,
        goal_code=i.goal,
        goal_kind=kind,
        goal_kind_label=GOAL_KIND_LABELS[lang][kind],
        goal_name=i.goal_name,
        responsible_entity=i.entity,
        accumulation=Accumulation(i.accumulation),
        annual_target=i.annual_target,
        programmed=i.programmed,
        executed=i.executed,
        progress_cut=i.progress_cut,
        progress_year=i.progress_year,
        progress_4y=i.progress_4y,
        weight=i.weight,
        effective_weight=i.effective_weight,
        status=status,
        status_label=status_label(status, lang),
        semaforo=i.semaforo or None,
        alerts=alerts,
        alert_labels=tuple(alert_label(a, lang) for a in alerts),
        analysis=i.analysis,
    )


def _indicator(result: IndicatorCutResult, analysis: str, lang: Lang) -> ReportIndicator:
    indicator = result.indicator
    goal = indicator.goal
    status = Status(result.status)
    alerts = tuple(Alert(a) for a in result.alerts)
    kind = GoalKind(goal.kind)
    return ReportIndicator(
        code=indicator.code,
        name=indicator.name,
        unit=indicator.unit,
        goal_code=goal.code,
        goal_kind=kind,
        goal_kind_label=GOAL_KIND_LABELS[lang][kind],
        goal_name=goal.name,
        responsible_entity=goal.responsible_entity.name if goal.responsible_entity else "",
        accumulation=Accumulation(indicator.accumulation),
        annual_target=result.annual_target,
        programmed=result.programmed,
        executed=result.executed,
        progress_cut=result.progress_cut,
        progress_year=result.progress_year,
        progress_4y=result.progress_4y,
        weight=result.weight,
        effective_weight=result.effective_weight,
        status=status,
        status_label=status_label(status, lang),
        semaforo=result.semaforo or None,
        alerts=alerts,
        alert_labels=tuple(alert_label(a, lang) for a in alerts),
        analysis=analysis,
    )


def _formulation(
    plan: Plan, indicators: list[Indicator], objectives: list[Objective], lang: Lang
) -> tuple[tuple[FormulationRow, ...], tuple[int, ...]]:
    targets: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for row in AnnualTarget.objects.filter(indicator__plan=plan):
        targets[row.indicator_id][row.vigencia] = row.target
    weights: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for weight in Weight.objects.filter(plan=plan, level=Level.INDICADOR):
        if weight.indicator_id is not None:
            weights[weight.indicator_id][weight.vigencia] = weight.weight
    objective_code = {o.id: o.code for o in objectives}
    order = {o.id: n for n, o in enumerate(objectives)}
    goals: dict[int, Goal] = {i.goal_id: i.goal for i in indicators}
    rows = [
        FormulationRow(
            objective_code=objective_code[goals[i.goal_id].objective_id],
            goal_code=goals[i.goal_id].code,
            goal_kind_label=GOAL_KIND_LABELS[lang][GoalKind(goals[i.goal_id].kind)],
            goal_name=goals[i.goal_id].name,
            indicator_code=i.code,
            indicator_name=i.name,
            unit=i.unit,
            accumulation_label=ACCUMULATION_LABELS[lang][Accumulation(i.accumulation)],
            baseline=i.baseline,
            target_4y=i.target_4y,
            annual_targets=targets[i.id],
            weights=weights[i.id],
        )
        for i in sorted(indicators, key=lambda i: order[goals[i.goal_id].objective_id])
    ]
    return tuple(rows), tuple(plan.vigencias)
