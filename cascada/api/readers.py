"""Read queries of the API, each in a fixed number of queries, returning data shaped as
``cascada.api.schemas``. Figures come from the stored results (the engine never runs on a read).

Visibility is the dashboard's rule, asked of ``cascada.accounts.policy``: published cuts and
their results are public; the other cuts need a user who may see the plan's drafts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from cascada.accounts import policy
from cascada.accounts.policy import Actor
from cascada.engine.display import NO_PROGRAMMING, alert_label, status_label
from cascada.engine.model import Alert, Status
from cascada.engine.progress import IN_CUT_ROLLUP
from cascada.plans.models import AnnualTarget, Goal, Indicator, Objective, Plan
from cascada.tracking.editions import current_edition
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
            latest_published=Subquery(cuts.filter(state=PUBLISHED)[:1]),
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
        cuts = cuts.filter(state=PUBLISHED)
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


def cut_row(cut: Cut) -> dict[str, Any]:
    return {
        "plan": cut.plan.code,
        "fecha": cut.date,
        "vigencia": cut.vigencia,
        "estado": cut.state,
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
    """The cuts the user may see (every plan's, or ``plan``'s), plan by plan, oldest first."""
    rows = Cut.objects.select_related("plan").order_by("plan__code", "date")
    if plan is not None:
        rows = rows.filter(plan=plan)
        if not sees_drafts(user, plan):
            rows = rows.filter(state=PUBLISHED)
    else:
        rows = rows.filter(Q(state=PUBLISHED) | Q(plan__in=policy.visible_plans(user)))
    if vigencia is not None:
        rows = rows.filter(date__year=vigencia)
    if state is not None:
        rows = rows.filter(state=state)
    return [cut_row(c) for c in rows]


def visible_cut(*, plan: Plan, day: date, user: Actor) -> Cut | None:
    cut = Cut.objects.select_related("plan").filter(plan=plan, date=day).first()
    if cut is None or (not cut.is_published and not sees_drafts(user, plan)):
        return None
    return cut


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


def cut_result(cut: Cut) -> dict[str, Any]:
    """The cut with the plan's three figures and their terms (empty before the first
    computation)."""
    stored = PlanCutResult.objects.filter(cut=cut).first()
    names = dict(Objective.objects.filter(plan=cut.plan).values_list("code", "name"))
    return {
        "corte": cut_row(cut),
        "cumplimiento": number(stored.compliance) if stored else None,
        "avance_vigencia": number(stored.year) if stored else None,
        "avance_cuatrienio": number(stored.four_year) if stored else None,
        "semaforo": (stored.semaforo or None) if stored else None,
        "explicacion": _explanation(stored.explanation if stored else {}, names),
    }


def objective_results(cut: Cut) -> list[dict[str, Any]]:
    """One row per objective, in the plan's order, with the terms of its three figures."""
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
        {
            "codigo": r.objective.code,
            "nombre": r.objective.name,
            "cumplimiento": number(r.compliance),
            "avance_vigencia": number(r.year),
            "avance_cuatrienio": number(r.four_year),
            "semaforo": r.semaforo or None,
            "peso": number(r.weight),
            "nota": NO_PROGRAMMING["es"] if r.compliance is None else "",
            "indicadores": sum(counts[r.objective_id].values()),
            "indicadores_programados": counts[r.objective_id][True],
            "explicacion": _explanation(r.explanation, names),
        }
        for r in results
    ]


def indicator_results(
    cut: Cut, *, objective: str | None, entity: str | None, status: str | None
) -> list[dict[str, Any]]:
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
        alerts = [Alert(a) for a in r.alerts]
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
                "estado": r.status,
                "estado_etiqueta": status_label(Status(r.status)),
                "programado_corte": number(r.programmed),
                "ejecutado_corte": number(r.executed),
                "meta_vigencia": number(r.annual_target),
                "linea_base": number(r.baseline),
                "avance_corte": number(r.progress_cut),
                "avance_vigencia": number(r.progress_year),
                "avance_cuatrienio": number(r.progress_4y),
                "peso": number(r.weight),
                "peso_efectivo": number(r.effective_weight),
                "semaforo": r.semaforo or None,
                "alertas": alerts,
                "alertas_etiquetas": [alert_label(a) for a in alerts],
                "analisis": analyses.get(indicator.id, ""),
            }
        )
    return result


def history(
    *, plan: Plan, indicator: Indicator, user: Actor, vigencia: int | None
) -> dict[str, Any]:
    """The indicator's results at every cut the user may see, oldest first."""
    results = IndicatorCutResult.objects.filter(indicator=indicator).select_related("cut")
    if not sees_drafts(user, plan):
        results = results.filter(cut__state=PUBLISHED)
    if vigencia is not None:
        results = results.filter(cut__date__year=vigencia)
    analyses = dict(
        ProgressReport.objects.filter(indicator=indicator).values_list("cut_id", "analysis")
    )
    targets = list(AnnualTarget.objects.filter(indicator=indicator))
    return {
        "plan": plan.code,
        "indicador": _indicator_row(indicator, targets),
        "historial": [
            {
                "corte": r.cut.date,
                "vigencia": r.cut.vigencia,
                "estado_corte": r.cut.state,
                "edicion": current_edition(r.cut),
                "estado": r.status,
                "estado_etiqueta": status_label(Status(r.status)),
                "programado_corte": number(r.programmed),
                "ejecutado_corte": number(r.executed),
                "meta_vigencia": number(r.annual_target),
                "avance_corte": number(r.progress_cut),
                "avance_vigencia": number(r.progress_year),
                "avance_cuatrienio": number(r.progress_4y),
                "semaforo": r.semaforo or None,
                "alertas": [Alert(a) for a in r.alerts],
                "analisis": analyses.get(r.cut_id, ""),
            }
            for r in results.order_by("cut__date")
        ],
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
) -> dict[str, Any]:
    return {
        "plan": cut.plan.code,
        "corte": cut.date,
        "estado_corte": cut.state,
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
