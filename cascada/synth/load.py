"""A ``SynthSet`` straight into the database: bulk inserts in one transaction, then the results
of one cut per plan computed and stored, and ONE audit row for the whole load."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import polars as pl
from django.db import models, transaction

from cascada.plans.models import (
    AnnualTarget,
    DevelopmentPlan,
    Entity,
    Goal,
    Indicator,
    Objective,
    Plan,
    Sector,
    Weight,
)
from cascada.synth.convert import amount, exact
from cascada.synth.generate import VIGENCIAS, SynthSet
from cascada.tracking import audit
from cascada.tracking.bulk import insert_rows
from cascada.tracking.models import Cut, CutTarget, ProgressReport
from cascada.tracking.services import recompute_cut

BATCH = 2000
M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class LoadSummary:
    plans: int
    indicators: int
    progress_rows: int
    computed_cut: date | None


def _bulk(model: type[M], objects: Iterable[M]) -> list[M]:
    return model._default_manager.bulk_create(list(objects), batch_size=BATCH)


@transaction.atomic
def load(
    synth: SynthSet, *, cut: date | None = None, compute: bool = True, actor_label: str = "cli"
) -> LoadSummary:
    """Insert every plan of ``synth`` and compute the results of ``cut`` (default: the latest
    cut) for each plan. Fails, changing nothing, if a plan code already exists."""
    codes = synth.plans["code"].to_list()
    taken = list(Plan.objects.filter(code__in=codes).values_list("code", flat=True)[:5])
    if taken:
        raise ValueError(f"Ya existen planes con estos códigos: {', '.join(taken)}.")
    sectors = _by_name(Sector, synth.plans["sector"].unique().to_list())
    development = _by_name(DevelopmentPlan, synth.plans["development_plan"].unique().to_list())
    entity_sector = dict(
        synth.goals.join(synth.plans.select("plan_id", "sector"), on="plan_id")
        .select("entity", "sector")
        .vstack(synth.plans.select(pl.col("head_entity").alias("entity"), "sector"))
        .unique("entity", keep="first")
        .iter_rows()
    )
    existing = {e.name: e for e in Entity.objects.filter(name__in=list(entity_sector))}
    _bulk(
        Entity,
        (
            Entity(name=name, sector=sectors[sector])
            for name, sector in sorted(entity_sector.items())
            if name not in existing
        ),
    )
    entities = {e.name: e.pk for e in Entity.objects.filter(name__in=list(entity_sector))}

    plans = _bulk(
        Plan,
        (
            Plan(
                code=p["code"],
                name=p["name"],
                sector=sectors[p["sector"]],
                head_entity_id=entities[p["head_entity"]],
                development_plan=development[p["development_plan"]],
                first_vigencia=VIGENCIAS[0],
                last_vigencia=VIGENCIAS[-1],
                mission=p["mission"],
                vision=p["vision"],
                adopting_act=p["adopting_act"],
                legal_basis="Ley 152 de 1994, artículo 29",
                source="Datos sintéticos de cascada (no son datos reales)",
                cap=amount(p["cap_c"]),
                overexecution_threshold=exact(p["threshold_c"]),
            )
            for p in synth.plans.iter_rows(named=True)
        ),
    )
    plan_pk = dict(zip(synth.plans["plan_id"].to_list(), (p.pk for p in plans), strict=True))
    objectives = _bulk(
        Objective,
        (
            Objective(plan_id=plan_pk[o[1]], code=o[2], name=o[3], order=o[4])
            for o in synth.objectives.iter_rows()
        ),
    )
    objective_pk = dict(
        zip(synth.objectives["objective_id"].to_list(), (o.pk for o in objectives), strict=True)
    )
    goals = _bulk(
        Goal,
        (
            Goal(
                plan_id=plan_pk[g["plan_id"]],
                objective_id=objective_pk[g["objective_id"]],
                code=g["code"],
                kind=g["kind"],
                name=g["name"],
                responsible_entity_id=entities[g["entity"]],
                order=n,
            )
            for n, g in enumerate(synth.goals.iter_rows(named=True))
        ),
    )
    goal_pk = dict(zip(synth.goals["goal_id"].to_list(), (g.pk for g in goals), strict=True))
    indicators = _bulk(
        Indicator,
        (
            Indicator(
                plan_id=plan_pk[i["plan_id"]],
                goal_id=goal_pk[i["goal_id"]],
                code=i["code"],
                name=i["name"],
                unit=i["unit"],
                accumulation=i["accumulation"],
                baseline=amount(i["baseline_c"]),
                target_4y=amount(i["target_4y_c"]),
                order=i["position"],
            )
            for i in synth.indicators.iter_rows(named=True)
        ),
    )
    indicator_pk = dict(
        zip(synth.indicators["indicator_id"].to_list(), (i.pk for i in indicators), strict=True)
    )
    insert_rows(
        AnnualTarget,
        fields=("indicator_id", "vigencia", "target", "baseline"),
        rows=((indicator_pk[i], v, exact(t), amount(b)) for i, v, t, b in synth.annual.iter_rows()),
    )
    _bulk(
        Weight,
        (
            Weight(
                plan_id=plan_pk[p],
                level=level,
                vigencia=v,
                indicator_id=indicator_pk[t] if level == "indicador" else None,
                objective_id=objective_pk[t] if level == "objetivo" else None,
                weight=exact(w),
            )
            for p, level, v, t, w in synth.weights.iter_rows()
        ),
    )
    cuts = _bulk(Cut, (Cut(plan_id=pk, date=day) for pk in plan_pk.values() for day in synth.cuts))
    cut_pk = {(c.plan_id, c.date): c.pk for c in cuts}
    plan_of = dict(
        zip(
            synth.indicators["indicator_id"].to_list(),
            (plan_pk[p] for p in synth.indicators["plan_id"].to_list()),
            strict=True,
        )
    )
    # Like an import: each avances row is the cut's programming and the entity's report. Rows
    # without model instances (millions at national size): COPY on PostgreSQL.
    insert_rows(
        CutTarget,
        fields=("cut_id", "indicator_id", "programmed"),
        rows=(
            (cut_pk[(plan_of[i], day)], indicator_pk[i], amount(p))
            for i, day, p, _, _ in synth.progress.iter_rows()
        ),
    )
    insert_rows(
        ProgressReport,
        fields=("cut_id", "indicator_id", "executed", "analysis"),
        rows=(
            (cut_pk[(plan_of[i], day)], indicator_pk[i], amount(e), analysis)
            for i, day, _, e, analysis in synth.progress.iter_rows()
        ),
    )
    chosen = cut or synth.cuts[-1]
    if compute:
        for stored in Cut.objects.filter(plan_id__in=plan_pk.values(), date=chosen).select_related(
            "plan"
        ):
            recompute_cut(cut=stored)
    summary = LoadSummary(
        plans=len(plans),
        indicators=len(indicators),
        progress_rows=synth.progress.height,
        computed_cut=chosen if compute else None,
    )
    audit.record(
        action="cargar_datos_sinteticos",
        actor_label=actor_label,
        target=f"synth {synth.size} semilla {synth.seed}",
        after={
            "tamano": synth.size,
            "semilla": synth.seed,
            "planes": summary.plans,
            "indicadores": summary.indicators,
            "filas_avance": summary.progress_rows,
            "corte_calculado": chosen.isoformat() if compute else None,
        },
    )
    return summary


def _by_name(model: type[M], names: list[str]) -> dict[str, M]:
    """Rows of ``model`` by ``name``, created in bulk when missing."""
    found: dict[str, M] = {o.name: o for o in model._default_manager.filter(name__in=names)}  # type: ignore[attr-defined]
    _bulk(model, (model(name=n) for n in sorted(set(names) - found.keys())))
    return {o.name: o for o in model._default_manager.filter(name__in=names)}  # type: ignore[attr-defined]
