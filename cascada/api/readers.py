"""Read queries of the API, each in a fixed number of queries (plus one per cut read from its
edition in force), returning data shaped as ``cascada.api.schemas``. Figures come from the stored
results or an edition's snapshot (the engine never runs on a read).

Visibility is the dashboard's rule, asked of ``cascada.accounts.policy``: published cuts and
their results are public; the other cuts need a user who may see the plan's drafts. A cut under
correction (published, then reopened) stays public in its edition in force
(``editions.public_cuts``): whoever cannot see drafts reads it as ``publicado`` with that edition's
figures, from its immutable snapshot (``editions.figures``, the reading the dashboard and the open
data use), because its stored results are the correction's working figures.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from cascada.accounts import policy
from cascada.accounts.policy import Actor
from cascada.engine.display import NO_PROGRAMMING, alert_label, status_label
from cascada.engine.model import Alert, Status
from cascada.engine.progress import IN_CUT_ROLLUP
from cascada.plans.models import AnnualTarget, Goal, Indicator, Objective, Plan
from cascada.tracking.editions import (
    EditionFigures,
    EditionIndicator,
    current_edition,
    figures,
    is_under_correction,
    public_cuts,
    public_snapshot,
)
from cascada.tracking.models import (
    Cut,
    CutState,
    CutTarget,
    IndicatorCutResult,
    ObjectiveCutResult,
    PlanCutResult,
    ProgressReport,
)
from cascada.tracking.reporting import REPORTABLE_STATES, ReportState, state_of

PUBLISHED = CutState.PUBLICADO.value


def number(value: Decimal | None) -> float | None:
    return None if value is None or not value.is_finite() else float(value)


# ---------------------------------------------------------------------------------------------
# Plans and their formulation


def find_plan(code: str) -> Plan | None:
    if "\x00" in code:
        return None
    return (
        Plan.objects.select_related("sector", "head_entity", "development_plan")
        .filter(code=code)
        .first()
    )


def sees_drafts(user: Actor, plan: Plan) -> bool:
    return policy.can_view_drafts(user, plan)


def _plan_row(plan: Plan, latest: date | None) -> dict[str, Any]:
    return {
        "codigo": plan.code,
        "nombre": plan.name,
        "sector": plan.sector.name,
        "entidad_cabeza": plan.head_entity.name if plan.head_entity else None,
        "plan_desarrollo": plan.development_plan.name if plan.development_plan else None,
        "vigencia_inicial": plan.first_vigencia,
        "vigencia_final": plan.last_vigencia,
        "mision": plan.mission,
        "vision": plan.vision,
        "acto_adopcion": plan.adopting_act,
        "base_legal": plan.legal_basis,
        "fuente": plan.source,
        "tope_indicador": number(plan.cap),
        "umbral_sobreejecucion": number(plan.overexecution_threshold),
        "ultimo_corte": latest,
    }


def plans(*, user: Actor, vigencia: int | None, sector: str | None) -> list[dict[str, Any]]:
    """Every plan (a plan's formulation is public), with its latest visible cut."""
    cuts = Cut.objects.filter(plan=OuterRef("pk")).order_by("-date").values("date")
    rows = (
        Plan.objects.select_related("sector", "head_entity", "development_plan")
        .annotate(
            latest_published=Subquery(cuts.filter(public_cuts())[:1]),
            latest_any=Subquery(cuts[:1]),
        )
        .order_by("code")
    )
    if vigencia is not None:
        rows = rows.filter(first_vigencia__lte=vigencia, last_vigencia__gte=vigencia)
    if sector is not None:
        rows = rows.filter(sector__name=sector)
    drafts = set(policy.visible_plans(user).values_list("pk", flat=True))
    return [_plan_row(p, p.latest_any if p.pk in drafts else p.latest_published) for p in rows]


def plan(*, plan: Plan, user: Actor) -> dict[str, Any]:
    cuts = Cut.objects.filter(plan=plan).order_by("-date")
    if not sees_drafts(user, plan):
        cuts = cuts.filter(public_cuts())
    return _plan_row(plan, cuts.values_list("date", flat=True).first())


def objectives(*, plan: Plan) -> QuerySet[Objective]:
    return Objective.objects.filter(plan=plan).order_by("order", "id")


def objective_row(objective: Objective) -> dict[str, Any]:
    return {"codigo": objective.code, "nombre": objective.name, "orden": objective.order}


def goals(
    *, plan: Plan, objective: str | None, entity: str | None, kind: str | None
) -> list[dict[str, Any]]:
    rows = (
        Goal.objects.filter(plan=plan)
        .select_related("objective", "responsible_entity")
        .order_by("objective__order", "objective__id", "order", "id")
    )
    if objective is not None:
        rows = rows.filter(objective__code=objective)
    if entity is not None:
        rows = rows.filter(responsible_entity__name=entity)
    if kind is not None:
        rows = rows.filter(kind=kind)
    return [
        {
            "codigo": g.code,
            "objetivo": g.objective.code,
            "tipo": g.kind,
            "nombre": g.name,
            "entidad_responsable": g.responsible_entity.name if g.responsible_entity else None,
        }
        for g in rows
    ]


def _indicators(plan: Plan) -> QuerySet[Indicator]:
    return (
        Indicator.objects.filter(plan=plan)
        .select_related("goal__objective", "goal__responsible_entity")
        .order_by("order", "id")
    )


def _indicator_row(indicator: Indicator, targets: list[AnnualTarget]) -> dict[str, Any]:
    goal = indicator.goal
    return {
        "codigo": indicator.code,
        "nombre": indicator.name,
        "unidad": indicator.unit,
        "meta": goal.code,
        "objetivo": goal.objective.code,
        "entidad_responsable": goal.responsible_entity.name if goal.responsible_entity else None,
        "tipo_anualizacion": indicator.accumulation,
        "linea_base": number(indicator.baseline),
        "meta_cuatrienio": number(indicator.target_4y),
        "programacion_anual": [
            {
                "vigencia": t.vigencia,
                "meta_vigencia": number(t.target),
                "linea_base_vigencia": number(t.baseline),
            }
            for t in sorted(targets, key=lambda t: t.vigencia)
        ],
    }


def indicators(
    *,
    plan: Plan,
    objective: str | None,
    goal: str | None,
    entity: str | None,
    vigencia: int | None,
) -> list[dict[str, Any]]:
    rows = _indicators(plan)
    if objective is not None:
        rows = rows.filter(goal__objective__code=objective)
    if goal is not None:
        rows = rows.filter(goal__code=goal)
    if entity is not None:
        rows = rows.filter(goal__responsible_entity__name=entity)
    if vigencia is not None:
        rows = rows.filter(annual_targets__vigencia=vigencia)
    targets: dict[int, list[AnnualTarget]] = defaultdict(list)
    for target in AnnualTarget.objects.filter(indicator__plan=plan):
        targets[target.indicator_id].append(target)
    return [_indicator_row(i, targets[i.id]) for i in rows]


def find_indicator(plan: Plan, code: str) -> Indicator | None:
    if "\x00" in code:
        return None
    return _indicators(plan).filter(code=code).first()


# ---------------------------------------------------------------------------------------------
# Cuts


def opendata_url(cut: Cut) -> str | None:
    edition = current_edition(cut)
    if edition is None:
        return None
    return reverse(
        "opendata:file",
        kwargs={
            "code": cut.plan.code,
            "day": cut.date,
            "edition": edition,
            "name": "datapackage.json",
        },
    )


def shown_state(cut: Cut, *, in_force: bool) -> str:
    """The state the viewer reads: who reads the edition in force (``in_force``: cannot see the
    plan's drafts) reads a cut under correction as published."""
    return PUBLISHED if in_force and is_under_correction(cut) else cut.state


def cut_row(cut: Cut, *, in_force: bool = False) -> dict[str, Any]:
    return {
        "plan": cut.plan.code,
        "fecha": cut.date,
        "vigencia": cut.vigencia,
        "estado": shown_state(cut, in_force=in_force),
        "edicion": current_edition(cut),
        "publicado_el": cut.published_at,
        "fecha_limite": cut.deadline,
        "datos_abiertos": opendata_url(cut),
    }


def cuts(
    *,
    user: Actor,
    plan: Plan | None,
    vigencia: int | None,
    state: str | None,
) -> list[dict[str, Any]]:
    """The cuts the user may see (every plan's, or ``plan``'s), plan by plan, oldest first, each
    as the user reads it: the public cuts of the plans whose drafts the user may not see, all of
    them ``publicado`` (a cut under correction in its edition in force); every cut of the
    others."""
    drafts = Q(plan__in=policy.visible_plans(user))
    public = ~drafts & public_cuts()
    if state is None:
        visible = drafts | public
    elif state == PUBLISHED:
        visible = (drafts & Q(state=PUBLISHED)) | public
    else:
        visible = drafts & Q(state=state)
    rows = (
        Cut.objects.select_related("plan")
        .filter(visible)
        .annotate(sees_drafts=ExpressionWrapper(drafts, output_field=BooleanField()))
        .order_by("plan__code", "date")
    )
    if plan is not None:
        rows = rows.filter(plan=plan)
    if vigencia is not None:
        rows = rows.filter(date__year=vigencia)
    return [cut_row(c, in_force=not c.sees_drafts) for c in rows]


@dataclass(frozen=True)
class CutView:
    """A cut as the viewer reads it. ``edition``: the figures of the edition in force, for who
    cannot see drafts reading a cut under correction (its stored results are the correction's
    working figures); ``None`` where the stored results are what the viewer reads."""

    cut: Cut
    edition: EditionFigures | None = None

    @property
    def row(self) -> dict[str, Any]:
        return cut_row(self.cut, in_force=self.edition is not None)


def public_view(cut: Cut) -> CutView | None:
    """How whoever cannot see the plan's drafts reads ``cut``; ``None`` when they read nothing
    of it (never published, or its edition in force is missing)."""
    if is_under_correction(cut):
        edition = public_snapshot(cut)
        return CutView(cut, figures(edition)) if edition is not None else None
    return CutView(cut) if cut.is_published else None


def visible_cut(*, plan: Plan, day: date, user: Actor) -> CutView | None:
    rows = Cut.objects.select_related("plan").filter(plan=plan, date=day)
    if sees_drafts(user, plan):
        cut = rows.first()
        return CutView(cut) if cut is not None else None
    cut = rows.filter(public_cuts()).first()
    return public_view(cut) if cut is not None else None


def _terms(stored: list[dict[str, str]], names: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "codigo": t["codigo"],
            "nombre": names.get(t["codigo"], ""),
            "valor": float(Decimal(t["valor"])),
            "valor_usado": float(Decimal(t["valor_usado"])),
            "peso": float(Decimal(t["peso"])),
            "peso_efectivo": float(Decimal(t["peso_efectivo"])),
        }
        for t in stored
    ]


def _explanation(explanation: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    return {
        key: _terms(explanation.get(key, []), names)
        for key in ("cumplimiento", "avance_vigencia", "avance_cuatrienio")
    }


def _edition_indicators(edition: EditionFigures) -> Iterator[EditionIndicator]:
    return (i for o in edition.objectives for i in o.indicators)


def cut_result(view: CutView) -> dict[str, Any]:
    """The cut with the plan's three figures and their terms (empty before the first
    computation)."""
    cut, edition = view.cut, view.edition
    if edition is not None:
        names = {o.code: o.name for o in edition.objectives}
        return {
            "corte": view.row,
            "cumplimiento": number(edition.compliance),
            "avance_vigencia": number(edition.year),
            "avance_cuatrienio": number(edition.four_year),
            "semaforo": edition.semaforo or None,
            "explicacion": _explanation(edition.explanation, names),
        }
    stored = PlanCutResult.objects.filter(cut=cut).first()
    names = dict(Objective.objects.filter(plan=cut.plan).values_list("code", "name"))
    return {
        "corte": view.row,
        "cumplimiento": number(stored.compliance) if stored else None,
        "avance_vigencia": number(stored.year) if stored else None,
        "avance_cuatrienio": number(stored.four_year) if stored else None,
        "semaforo": (stored.semaforo or None) if stored else None,
        "explicacion": _explanation(stored.explanation if stored else {}, names),
    }


def _objective_row(
    *,
    code: str,
    name: str,
    figures: tuple[Decimal | None, Decimal | None, Decimal | None],
    semaforo: str,
    weight: Decimal | None,
    counted: Counter[bool],
    explanation: dict[str, Any],
    names: dict[str, str],
) -> dict[str, Any]:
    compliance, year, four_year = figures
    return {
        "codigo": code,
        "nombre": name,
        "cumplimiento": number(compliance),
        "avance_vigencia": number(year),
        "avance_cuatrienio": number(four_year),
        "semaforo": semaforo or None,
        "peso": number(weight),
        "nota": NO_PROGRAMMING["es"] if compliance is None else "",
        "indicadores": sum(counted.values()),
        "indicadores_programados": counted[True],
        "explicacion": _explanation(explanation, names),
    }


def objective_results(view: CutView) -> list[dict[str, Any]]:
    """One row per objective, in the plan's order, with the terms of its three figures."""
    cut, edition = view.cut, view.edition
    if edition is not None:
        names = {i.code: i.name for i in _edition_indicators(edition)}
        return [
            _objective_row(
                code=o.code,
                name=o.name,
                figures=(o.compliance, o.year, o.four_year),
                semaforo=o.semaforo,
                weight=o.weight,
                counted=Counter(Status(i.status) in IN_CUT_ROLLUP for i in o.indicators),
                explanation=o.explanation,
                names=names,
            )
            for o in edition.objectives
        ]
    results = list(
        ObjectiveCutResult.objects.filter(cut=cut)
        .select_related("objective")
        .order_by("objective__order", "objective__id")
    )
    names = dict(Indicator.objects.filter(plan=cut.plan).values_list("code", "name"))
    counts: dict[int, Counter[bool]] = defaultdict(Counter)
    for objective_id, status in IndicatorCutResult.objects.filter(cut=cut).values_list(
        "indicator__goal__objective_id", "status"
    ):
        counts[objective_id][Status(status) in IN_CUT_ROLLUP] += 1
    return [
        _objective_row(
            code=r.objective.code,
            name=r.objective.name,
            figures=(r.compliance, r.year, r.four_year),
            semaforo=r.semaforo,
            weight=r.weight,
            counted=counts[r.objective_id],
            explanation=r.explanation,
            names=names,
        )
        for r in results
    ]


def _figures(row: Any, *, baseline: Decimal | None, analysis: str) -> dict[str, Any]:
    """The figures of an indicator at a cut, from a stored result row or an edition's snapshot
    (both carry the same attribute names)."""
    alerts = [Alert(a) for a in row.alerts]
    return {
        "estado": row.status,
        "estado_etiqueta": status_label(Status(row.status)),
        "programado_corte": number(row.programmed),
        "ejecutado_corte": number(row.executed),
        "meta_vigencia": number(row.annual_target),
        "linea_base": number(baseline),
        "avance_corte": number(row.progress_cut),
        "avance_vigencia": number(row.progress_year),
        "avance_cuatrienio": number(row.progress_4y),
        "peso": number(row.weight),
        "peso_efectivo": number(row.effective_weight),
        "semaforo": row.semaforo or None,
        "alertas": alerts,
        "alertas_etiquetas": [alert_label(a) for a in alerts],
        "analisis": analysis,
    }


def _edition_indicator_results(
    edition: EditionFigures, *, objective: str | None, entity: str | None, status: str | None
) -> list[dict[str, Any]]:
    """``indicator_results`` of the edition in force, in the edition's order."""
    result = []
    for i in _edition_indicators(edition):
        if objective is not None and i.objective != objective:
            continue
        if entity is not None and i.entity != entity:
            continue
        if status is not None and i.status != status:
            continue
        result.append(
            {
                "codigo": i.code,
                "nombre": i.name,
                "unidad": i.unit,
                "objetivo": i.objective,
                "meta": i.goal,
                "tipo_meta": i.goal_kind,
                "entidad_responsable": i.entity or None,
                **_figures(i, baseline=i.baseline_used, analysis=i.analysis),
            }
        )
    return result


def indicator_results(
    view: CutView, *, objective: str | None, entity: str | None, status: str | None
) -> list[dict[str, Any]]:
    cut = view.cut
    if view.edition is not None:
        return _edition_indicator_results(
            view.edition, objective=objective, entity=entity, status=status
        )
    rows = (
        IndicatorCutResult.objects.filter(cut=cut)
        .select_related("indicator__goal__objective", "indicator__goal__responsible_entity")
        .order_by("indicator__order", "indicator__id")
    )
    if objective is not None:
        rows = rows.filter(indicator__goal__objective__code=objective)
    if entity is not None:
        rows = rows.filter(indicator__goal__responsible_entity__name=entity)
    if status is not None:
        rows = rows.filter(status=status)
    analyses = dict(cut.reports.values_list("indicator_id", "analysis"))
    result = []
    for r in rows:
        indicator, goal = r.indicator, r.indicator.goal
        result.append(
            {
                "codigo": indicator.code,
                "nombre": indicator.name,
                "unidad": indicator.unit,
                "objetivo": goal.objective.code,
                "meta": goal.code,
                "tipo_meta": goal.kind,
                "entidad_responsable": (
                    goal.responsible_entity.name if goal.responsible_entity else None
                ),
                **_figures(r, baseline=r.baseline, analysis=analyses.get(indicator.id, "")),
            }
        )
    return result


def _point(cut: Cut, *, in_force: bool) -> dict[str, Any]:
    return {
        "corte": cut.date,
        "vigencia": cut.vigencia,
        "estado_corte": shown_state(cut, in_force=in_force),
        "edicion": current_edition(cut),
    }


def _point_figures(row: Any, *, analysis: str) -> dict[str, Any]:
    """An indicator's figures at one point of its history, from a stored result row or an
    edition's snapshot (both carry the same attribute names)."""
    return {
        "estado": row.status,
        "estado_etiqueta": status_label(Status(row.status)),
        "programado_corte": number(row.programmed),
        "ejecutado_corte": number(row.executed),
        "meta_vigencia": number(row.annual_target),
        "avance_corte": number(row.progress_cut),
        "avance_vigencia": number(row.progress_year),
        "avance_cuatrienio": number(row.progress_4y),
        "semaforo": row.semaforo or None,
        "alertas": [Alert(a) for a in row.alerts],
        "analisis": analysis,
    }


def _in_edition(edition: EditionFigures, code: str) -> EditionIndicator | None:
    return next((i for i in _edition_indicators(edition) if i.code == code), None)


def history(
    *, plan: Plan, indicator: Indicator, user: Actor, vigencia: int | None
) -> dict[str, Any]:
    """The indicator's results at every cut the user may see, oldest first. Who cannot see
    drafts reads a cut under correction in its edition in force (no point there when the
    indicator was not in that edition)."""
    in_force = not sees_drafts(user, plan)
    results = IndicatorCutResult.objects.filter(indicator=indicator).select_related("cut")
    if in_force:
        results = results.filter(public_cuts("cut__"))
    if vigencia is not None:
        results = results.filter(cut__date__year=vigencia)
    analyses = dict(
        ProgressReport.objects.filter(indicator=indicator).values_list("cut_id", "analysis")
    )
    targets = list(AnnualTarget.objects.filter(indicator=indicator))
    points: list[dict[str, Any]] = []
    for r in results.order_by("cut__date"):
        view = public_view(r.cut) if in_force else CutView(r.cut)
        if view is None:
            continue
        if view.edition is not None:
            found = _in_edition(view.edition, indicator.code)
            if found is not None:
                points.append(
                    {
                        **_point(r.cut, in_force=in_force),
                        **_point_figures(found, analysis=found.analysis),
                    }
                )
            continue
        points.append(
            {
                **_point(r.cut, in_force=in_force),
                **_point_figures(r, analysis=analyses.get(r.cut_id, "")),
            }
        )
    return {
        "plan": plan.code,
        "indicador": _indicator_row(indicator, targets),
        "historial": points,
    }


# ---------------------------------------------------------------------------------------------
# Progress reports


def report_row(
    *,
    cut: Cut,
    indicator: Indicator,
    state: ReportState,
    programmed: Decimal | None,
    may_report: bool,
    in_force: bool = False,
) -> dict[str, Any]:
    return {
        "plan": cut.plan.code,
        "corte": cut.date,
        "estado_corte": shown_state(cut, in_force=in_force),
        "indicador": indicator.code,
        "nombre_indicador": indicator.name,
        "unidad": indicator.unit,
        "programado_corte": number(programmed),
        "version": state.version,
        "ejecutado": number(state.executed),
        "analisis": state.analysis,
        "evidencias": list(state.evidence),
        "reportado_el": state.reported_at,
        "estado_reporte": state.stage,
        "editable": cut.state in REPORTABLE_STATES and may_report and state.editable,
    }


def edition_report(
    *, cut: Cut, edition: EditionFigures, indicator: Indicator, version: int
) -> dict[str, Any]:
    """The report of ``indicator`` as ``edition``, the edition in force of ``cut`` (under
    correction), has it: read-only. ``version`` is the stored report's: a snapshot keeps no
    versions, and only a writer (who reads the working report) needs one."""
    found = _in_edition(edition, indicator.code)
    if found is None or not found.report_stage:  # nothing reported in that edition
        state = ReportState(0, None, "", (), None, "")
    else:
        state = ReportState(
            version=version,
            executed=found.executed,
            analysis=found.analysis,
            evidence=found.evidence,
            reported_at=found.reported_at,
            reported_by="",
            stage=found.report_stage,
        )
    return report_row(
        cut=cut,
        indicator=indicator,
        state=state,
        programmed=found.programmed if found is not None else None,
        may_report=False,
        in_force=True,
    )


def programmed_at(cut: Cut, indicator: Indicator) -> Decimal | None:
    return (
        CutTarget.objects.filter(cut=cut, indicator=indicator)
        .values_list("programmed", flat=True)
        .first()
    )


def reportable(
    *, user: Actor, plan: Plan | None, day: date | None, entity: str | None
) -> list[dict[str, Any]]:
    """The reports the user may write now: their indicators at the open cuts."""
    open_cuts = Cut.objects.select_related("plan").filter(state__in=REPORTABLE_STATES)
    if plan is not None:
        open_cuts = open_cuts.filter(plan=plan)
    if day is not None:
        open_cuts = open_cuts.filter(date=day)
    rows: list[dict[str, Any]] = []
    for cut in open_cuts.order_by("plan__code", "date"):
        indicators = (
            policy.reportable_indicators(user, cut.plan)
            .select_related("goal__responsible_entity")
            .order_by("order", "id")
        )
        if entity is not None:
            indicators = indicators.filter(goal__responsible_entity__name=entity)
        reports = {
            r.indicator_id: r
            for r in ProgressReport.objects.filter(cut=cut).select_related("reported_by")
        }
        programmed = dict(cut.targets.values_list("indicator_id", "programmed"))
        rows.extend(
            report_row(
                cut=cut,
                indicator=i,
                state=state_of(reports.get(i.id)),
                programmed=programmed.get(i.id),
                may_report=True,
            )
            for i in indicators
        )
    return rows
