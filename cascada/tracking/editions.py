"""Editions of a published cut (DESIGN §5): the one place that numbers them and reads them.

A cut's ``edition`` is the number of its latest published edition (0: never published). While a
correction is under way the cut is ``abierto`` or ``en_revision`` again and that edition is still
the one the public reads; publishing the correction stores edition ``edition + 1`` with its
reason. Every edition is a ``CutEdition`` row, immutable (a database trigger refuses updates),
holding the **inputs** (the formulation relevant to the cut, its programming and every report)
and the **results** (plan, objectives, indicators with every stored figure and its explanation
terms) at the moment of publication. Everything that names or reads an edition (open data file
names and URLs, the API's ``edicion``, the edition pages) asks these functions.

Snapshot values are JSON: decimals as exact strings (``"183.333333333333"``), dates ISO, codes
as the keys that tie inputs and results together.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q

from cascada.engine.model import Level, Progress
from cascada.plans.models import AnnualTarget, Goal, Indicator, Objective, Weight
from cascada.tracking.models import (
    AlertOverride,
    Cut,
    CutEdition,
    CutState,
    CutTarget,
    IndicatorCutResult,
    ObjectiveCutResult,
    PlanCutResult,
    ProgressReport,
)
from cascada.tracking.selectors import plan_policy

SNAPSHOT_VERSION = 1
FIRST_EDITION = 1  # the number of a cut's first publication


# ---------------------------------------------------------------------------------------------
# Numbering


def current_edition(cut: Cut) -> int | None:
    """The edition the public reads of ``cut``: its latest published one, also while a correction
    is under way; ``None`` while it was never published."""
    return cut.edition or None


def is_under_correction(cut: Cut) -> bool:
    """Published before and reopened: the public still reads edition ``cut.edition``."""
    return cut.edition >= 1 and cut.state != CutState.PUBLICADO


def next_edition(cut: Cut) -> int:
    return cut.edition + 1


def public_cuts(prefix: str = "") -> Q:
    """The cuts the public reads (``prefix``: the lookup path to the cut, e.g. ``"cut__"``):
    the published ones, and those under correction in their edition in force."""
    return Q(**{f"{prefix}state": CutState.PUBLICADO}) | Q(
        **{f"{prefix}edition__gte": FIRST_EDITION}
    )


def public_snapshot(cut: Cut) -> CutEdition | None:
    """The edition whose snapshot the public reads instead of the stored results of ``cut``:
    while a correction is under way the stored results are the correction's working figures,
    which only staff may see. ``None`` when the stored results are what the public reads (a
    published cut) or when the public reads nothing of it (never published)."""
    if not is_under_correction(cut):
        return None
    return edition_row(cut, cut.edition)


def is_readable_edition(cut: Cut, edition: int) -> bool:
    """Whether edition ``edition`` of ``cut`` was published (every published edition stays
    readable after a correction)."""
    return 1 <= edition <= cut.edition


def edition_row(cut: Cut, number: int) -> CutEdition | None:
    if not is_readable_edition(cut, number):
        return None
    return CutEdition.objects.filter(cut=cut, number=number).first()


def editions_of(cut: Cut) -> list[CutEdition]:
    return list(
        CutEdition.objects.filter(cut=cut).select_related("published_by").order_by("number")
    )


# ---------------------------------------------------------------------------------------------
# The snapshot


def _text(value: Decimal | None) -> str | None:
    """Exact, without the storage's trailing zeros (the same text on every database)."""
    if value is None:
        return None
    text = format(Decimal(value).normalize(), "f")
    return "0" if text == "-0" else text


def _number(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def snapshot_inputs(*, cut: Cut) -> dict[str, Any]:
    """What the figures of ``cut`` were computed from, as it stands now."""
    plan = cut.plan
    vigencia = cut.vigencia
    objectives = list(Objective.objects.filter(plan=plan).order_by("order", "id"))
    goals = list(
        Goal.objects.filter(plan=plan)
        .select_related("objective", "responsible_entity")
        .order_by("objective__order", "order", "id")
    )
    indicators = list(
        Indicator.objects.filter(plan=plan)
        .select_related("goal__objective")
        .order_by("goal__objective__order", "goal__objective_id", "order", "id")
    )
    annual = {
        a.indicator_id: a
        for a in AnnualTarget.objects.filter(indicator__plan=plan, vigencia=vigencia)
    }
    weights = Weight.objects.filter(plan=plan, vigencia=vigencia)
    indicator_weights = {
        w.indicator_id: w.weight for w in weights if w.level == Level.INDICADOR and w.indicator_id
    }
    objective_weights = {
        w.objective_id: w.weight for w in weights if w.level == Level.OBJETIVO and w.objective_id
    }
    programmed = dict(CutTarget.objects.filter(cut=cut).values_list("indicator_id", "programmed"))
    codes = {i.id: i.code for i in indicators}
    reports = (
        ProgressReport.objects.filter(cut=cut)
        .select_related("reported_by")
        .order_by("indicator__order", "indicator_id")
    )
    overrides = (
        AlertOverride.objects.filter(cut=cut)
        .select_related("by", "indicator")
        .order_by("indicator__code", "alert")
    )
    policy = plan_policy(plan)
    return {
        "version": SNAPSHOT_VERSION,
        "plan": {
            "codigo": plan.code,
            "nombre": plan.name,
            "sector": plan.sector.name,
            "entidad_cabeza": plan.head_entity.name if plan.head_entity else "",
            "fuente": plan.source,
            "vigencia_inicial": plan.first_vigencia,
            "vigencia_final": plan.last_vigencia,
            "tope_indicador": _text(plan.cap),
            "umbral_sobreejecucion": _text(plan.overexecution_threshold),
            "semaforo": [
                {"color": b.color, "desde": str(b.lower), "incluye": b.inclusive}
                for b in policy.bands
            ],
        },
        "corte": {
            "fecha": cut.date.isoformat(),
            "vigencia": vigencia,
            "fecha_limite": cut.deadline.isoformat() if cut.deadline else None,
        },
        "objetivos": [
            {
                "codigo": o.code,
                "nombre": o.name,
                "orden": o.order,
                "peso_vigencia": _text(objective_weights.get(o.id)),
            }
            for o in objectives
        ],
        "metas": [
            {
                "codigo": g.code,
                "objetivo": g.objective.code,
                "tipo": g.kind,
                "nombre": g.name,
                "entidad_responsable": g.responsible_entity.name if g.responsible_entity else "",
            }
            for g in goals
        ],
        "indicadores": [
            {
                "codigo": i.code,
                "objetivo": i.goal.objective.code,
                "meta": i.goal.code,
                "nombre": i.name,
                "unidad": i.unit,
                "tipo_anualizacion": i.accumulation,
                "linea_base": _text(i.baseline),
                "meta_cuatrienio": _text(i.target_4y),
                "meta_vigencia": _text(annual[i.id].target) if i.id in annual else None,
                "linea_base_vigencia": _text(annual[i.id].baseline) if i.id in annual else None,
                "peso_vigencia": _text(indicator_weights.get(i.id)),
                "programado_corte": _text(programmed.get(i.id)),
            }
            for i in indicators
        ],
        "reportes": [
            {
                "indicador": codes.get(r.indicator_id, str(r.indicator_id)),
                "ejecutado_corte": _text(r.executed),
                "analisis": r.analysis,
                "evidencias": list(r.evidence or []),
                "estado": r.state,
                "reportado_por": r.reported_by.get_username() if r.reported_by else "",
                "reportado_el": r.reported_at.isoformat() if r.reported_at else None,
            }
            for r in reports
        ],
        "excepciones_alertas": [
            {
                "indicador": o.indicator.code,
                "alerta": o.alert,
                "motivo": o.reason,
                "por": o.by.get_username() if o.by else "",
            }
            for o in overrides
        ],
    }


def _figures(row: PlanCutResult | ObjectiveCutResult) -> dict[str, Any]:
    return {
        "cumplimiento": _text(row.compliance),
        "avance_vigencia": _text(row.year),
        "avance_cuatrienio": _text(row.four_year),
        "semaforo": row.semaforo,
        "explicacion": row.explanation,
    }


def snapshot_results(*, cut: Cut) -> dict[str, Any]:
    """Every result stored for ``cut`` now (call after recomputing it)."""
    plan_row = PlanCutResult.objects.get(cut=cut)
    objectives = (
        ObjectiveCutResult.objects.filter(cut=cut)
        .select_related("objective")
        .order_by("objective__order", "objective_id")
    )
    indicators = (
        IndicatorCutResult.objects.filter(cut=cut)
        .select_related("indicator__goal__objective")
        .order_by("indicator__goal__objective__order", "indicator__order", "indicator_id")
    )
    return {
        "version": SNAPSHOT_VERSION,
        "plan": _figures(plan_row),
        "objetivos": [
            {"codigo": o.objective.code, "peso": _text(o.weight), **_figures(o)} for o in objectives
        ],
        "indicadores": [
            {
                "codigo": r.indicator.code,
                "objetivo": r.indicator.goal.objective.code,
                "estado": r.status,
                "programado_corte": _text(r.programmed),
                "ejecutado_corte": _text(r.executed),
                "meta_vigencia": _text(r.annual_target),
                "linea_base": _text(r.baseline),
                "avance_corte": _text(r.progress_cut),
                "avance_vigencia": _text(r.progress_year),
                "avance_cuatrienio": _text(r.progress_4y),
                "peso": _text(r.weight),
                "peso_efectivo": _text(r.effective_weight),
                "semaforo": r.semaforo,
                "alertas": list(r.alerts),
            }
            for r in indicators
        ],
    }


# ---------------------------------------------------------------------------------------------
# Reading an edition: its figures as typed rows (for pages and open data)


@dataclass(frozen=True)
class EditionIndicator:
    code: str
    name: str
    unit: str
    objective: str
    goal: str
    goal_kind: str
    goal_name: str
    entity: str
    accumulation: str
    baseline: Decimal | None  # the indicator's own (formulation)
    target_4y: Decimal | None
    status: str
    programmed: Decimal | None
    executed: Decimal | None
    annual_target: Decimal | None
    progress_cut: Decimal | None
    progress_year: Decimal | None
    progress_4y: Decimal | None
    weight: Decimal | None
    effective_weight: Decimal | None
    semaforo: str
    alerts: tuple[str, ...]
    analysis: str
    # the vigencia's baseline the figures used (``baseline`` is the indicator's own)
    baseline_used: Decimal | None = None
    # the progress report as published (``report_stage`` "": there was none)
    evidence: tuple[str, ...] = ()
    reported_at: datetime | None = None
    report_stage: str = ""


@dataclass(frozen=True)
class EditionObjective:
    code: str
    name: str
    compliance: Decimal | None
    year: Decimal | None
    four_year: Decimal | None
    semaforo: str
    weight: Decimal | None
    indicators: tuple[EditionIndicator, ...]
    explanation: dict[str, Any]  # the terms of each figure, as stored in the results


@dataclass(frozen=True)
class EditionFigures:
    plan_code: str
    plan_name: str
    sector: str
    head_entity: str
    source: str
    cap: Decimal | None
    overexecution_threshold: Decimal | None
    cut: date
    compliance: Decimal | None
    year: Decimal | None
    four_year: Decimal | None
    semaforo: str
    objectives: tuple[EditionObjective, ...]
    explanation: dict[str, Any]
    goal_kinds: dict[str, int]  # goals of the plan per kind (``tipo``), with or without indicators


def figures(edition: CutEdition) -> EditionFigures:
    """The figures of a published edition, read from its snapshot only."""
    inputs, results = edition.inputs, edition.results
    plan = inputs["plan"]
    formulation = {i["codigo"]: i for i in inputs["indicadores"]}
    goals = {(g["objetivo"], g["codigo"]): g for g in inputs["metas"]}
    reports = {r["indicador"]: r for r in inputs["reportes"]}
    by_objective: dict[str, list[EditionIndicator]] = defaultdict(list)
    for r in results["indicadores"]:
        f = formulation.get(r["codigo"], {})
        goal = goals.get((r["objetivo"], f.get("meta", "")), {})
        report = reports.get(r["codigo"], {})
        by_objective[r["objetivo"]].append(
            EditionIndicator(
                code=r["codigo"],
                name=f.get("nombre", ""),
                unit=f.get("unidad", ""),
                objective=r["objetivo"],
                goal=f.get("meta", ""),
                goal_kind=goal.get("tipo", ""),
                goal_name=goal.get("nombre", ""),
                entity=goal.get("entidad_responsable", ""),
                accumulation=f.get("tipo_anualizacion", ""),
                baseline=_number(f.get("linea_base")),
                target_4y=_number(f.get("meta_cuatrienio")),
                status=r["estado"],
                programmed=_number(r["programado_corte"]),
                executed=_number(r["ejecutado_corte"]),
                annual_target=_number(r["meta_vigencia"]),
                progress_cut=_number(r["avance_corte"]),
                progress_year=_number(r["avance_vigencia"]),
                progress_4y=_number(r["avance_cuatrienio"]),
                weight=_number(r["peso"]),
                effective_weight=_number(r["peso_efectivo"]),
                semaforo=r["semaforo"],
                alerts=tuple(r["alertas"]),
                analysis=report.get("analisis", ""),
                baseline_used=_number(r["linea_base"]),
                evidence=tuple(report.get("evidencias") or ()),
                reported_at=(
                    datetime.fromisoformat(report["reportado_el"])
                    if report.get("reportado_el")
                    else None
                ),
                report_stage=report.get("estado", ""),
            )
        )
    names = {o["codigo"]: o["nombre"] for o in inputs["objetivos"]}
    objectives = tuple(
        EditionObjective(
            code=o["codigo"],
            name=names.get(o["codigo"], ""),
            compliance=_number(o["cumplimiento"]),
            year=_number(o["avance_vigencia"]),
            four_year=_number(o["avance_cuatrienio"]),
            semaforo=o["semaforo"],
            weight=_number(o["peso"]),
            indicators=tuple(by_objective[o["codigo"]]),
            explanation=o.get("explicacion") or {},
        )
        for o in results["objetivos"]
    )
    return EditionFigures(
        plan_code=plan["codigo"],
        plan_name=plan["nombre"],
        sector=plan["sector"],
        head_entity=plan["entidad_cabeza"],
        source=plan["fuente"],
        cap=_number(plan["tope_indicador"]),
        overexecution_threshold=_number(plan["umbral_sobreejecucion"]),
        cut=date.fromisoformat(inputs["corte"]["fecha"]),
        compliance=_number(results["plan"]["cumplimiento"]),
        year=_number(results["plan"]["avance_vigencia"]),
        four_year=_number(results["plan"]["avance_cuatrienio"]),
        semaforo=results["plan"]["semaforo"],
        objectives=objectives,
        explanation=results["plan"].get("explicacion") or {},
        goal_kinds=dict(Counter(g["tipo"] for g in inputs["metas"])),
    )


def edition_progress(edition: CutEdition) -> dict[str, Progress]:
    """The programming and reports of an edition's cut as its snapshot has them, by indicator
    code (the ``avances`` rows of that cut, for the plan's data in a public workbook)."""
    inputs = edition.inputs
    programmed = {i["codigo"]: _number(i.get("programado_corte")) for i in inputs["indicadores"]}
    reports = {r["indicador"]: r for r in inputs["reportes"]}
    rows: dict[str, Progress] = {}
    for code in dict.fromkeys([*programmed, *reports]):
        report = reports.get(code, {})
        if programmed.get(code) is None and not report:
            continue
        rows[code] = Progress(
            programmed=programmed.get(code),
            executed=_number(report.get("ejecutado_corte")),
            analysis=report.get("analisis", "") or "",
        )
    return rows


def series_editions(edition: CutEdition) -> list[CutEdition]:
    """The editions in force when ``edition`` was published, of every cut of its plan up to its
    date, oldest cut first: for each cut, its latest edition published no later than this one
    (the open data of an edition are this series, so they never change afterwards)."""
    rows = (
        CutEdition.objects.filter(
            cut__plan_id=edition.cut.plan_id,
            cut__date__lte=edition.cut.date,
            published_at__lte=edition.published_at,
        )
        .select_related("cut")
        .order_by("cut__date", "number")
    )
    latest: dict[int, CutEdition] = {}
    for row in rows:
        latest[row.cut_id] = row  # ordered by number: the last one wins
    latest[edition.cut_id] = edition
    return sorted(latest.values(), key=lambda e: e.cut.date)


# ---------------------------------------------------------------------------------------------
# Differences between two editions


@dataclass(frozen=True)
class Change:
    section: str  # "insumos" or "resultados"
    item: str  # e.g. "Indicador S"
    field: str  # e.g. "ejecutado_corte"
    before: Any
    after: Any
    kind: str = ""  # what the item is: "plan", "corte", "objetivo", "meta", "indicador", …
    code: str = ""  # its code ("" for the plan and the cut)


_KEYED = {
    "objetivos": ("Objetivo", "codigo", "objetivo"),
    "metas": ("Meta", "codigo", "meta"),
    "indicadores": ("Indicador", "codigo", "indicador"),
    "reportes": ("Reporte del indicador", "indicador", "reporte"),
}

Key = tuple[str, str, str, str]  # (item, field, kind, code)


def _flatten(document: dict[str, Any]) -> dict[Key, Any]:
    """``{(item, field, kind, code): value}`` for every leaf of a snapshot document."""
    out: dict[Key, Any] = {}
    for key, value in document.items():
        if key == "version":
            continue
        if key in _KEYED and isinstance(value, list):
            label, id_field, kind = _KEYED[key]
            for row in value:
                code = str(row.get(id_field, ""))
                item = f"{label} {code}"
                for name, leaf in row.items():
                    if name not in (id_field,):
                        out[(item, name, kind, code)] = leaf
        elif key == "excepciones_alertas" and isinstance(value, list):
            for row in value:
                item = f"Excepción {row['indicador']} · {row['alerta']}"
                out[(item, "motivo", "excepcion", str(row["indicador"]))] = row["motivo"]
        elif isinstance(value, dict):
            item = {"plan": "Plan", "corte": "Corte"}.get(key, key)
            for name, leaf in value.items():
                out[(item, name, key, "")] = leaf
        else:
            out[(key, "", key, "")] = value
    return out


def _compare(section: str, a: dict[str, Any], b: dict[str, Any]) -> list[Change]:
    before, after = _flatten(a), _flatten(b)
    keys = list(dict.fromkeys([*before, *after]))
    return [
        Change(section, item, name, before.get(k), after.get(k), kind, code)
        for k in keys
        for item, name, kind, code in (k,)
        if before.get(k) != after.get(k)
    ]


def differences(old: CutEdition, new: CutEdition) -> list[Change]:
    """Every input and result that differs between two editions of a cut."""
    return [
        *_compare("insumos", old.inputs, new.inputs),
        *_compare("resultados", old.results, new.results),
    ]
