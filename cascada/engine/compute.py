"""A whole plan at one cut: indicators, then objectives, then the plan (DESIGN §2–3)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal

from cascada.engine.model import (
    IndicatorResult,
    ObjectiveResult,
    ObjectiveSpec,
    PlanResult,
    PlanSpec,
    Rollup,
)
from cascada.engine.progress import IN_CUT_ROLLUP, ZERO, evaluate_indicator, semaforo
from cascada.engine.rollup import weighted_mean

EQUAL = Decimal(1)


def compute_cut(plan: PlanSpec, *, cut: date) -> PlanResult:
    vigencia = cut.year
    objective_weights = plan.objective_weights.get(vigencia)
    objectives = tuple(_compute_objective(plan, o, cut=cut) for o in plan.objectives)

    def plan_rollup(pick: str) -> Rollup:
        return weighted_mean(
            (
                (o.code, value, _weight(objective_weights, o.code))
                for o in objectives
                if (value := getattr(o, pick).value) is not None
            ),
            cap=None,  # the cap applies to indicators only; objectives are already capped means
        )

    compliance = plan_rollup("compliance")
    return PlanResult(
        code=plan.code,
        cut=cut,
        vigencia=vigencia,
        compliance=compliance,
        year=plan_rollup("year"),
        four_year=plan_rollup("four_year"),
        semaforo=semaforo(compliance.value, plan.policy.bands),
        objectives=objectives,
    )


def _compute_objective(plan: PlanSpec, objective: ObjectiveSpec, *, cut: date) -> ObjectiveResult:
    vigencia = cut.year
    weights = plan.indicator_weights.get(vigencia)
    cap = plan.policy.cap
    results = [
        evaluate_indicator(
            i,
            cut=cut,
            policy=plan.policy,
            weight=weights.get(i.code) if weights is not None else None,
        )
        for i in objective.indicators
    ]
    targets_4y = {i.code: i.target_4y for i in objective.indicators}

    compliance = weighted_mean(
        (
            (r.code, r.progress_cut or ZERO, _weight(weights, r.code))
            for r in results
            if r.status in IN_CUT_ROLLUP
        ),
        cap=cap,
    )
    year = weighted_mean(
        (
            (r.code, r.progress_year or ZERO, _weight(weights, r.code))
            for r in results
            if r.annual_target is not None and r.annual_target > 0
        ),
        cap=cap,
    )
    four_year = weighted_mean(
        (
            (r.code, r.progress_4y or ZERO, _weight(weights, r.code))
            for r in results
            if r.annual_target is not None and (targets_4y[r.code] or ZERO) > 0
        ),
        cap=cap,
    )
    effective = {t.code: t.effective_weight for t in compliance.terms}
    indicators: tuple[IndicatorResult, ...] = tuple(
        replace(r, effective_weight=effective.get(r.code)) for r in results
    )
    objective_weights = plan.objective_weights.get(vigencia)
    return ObjectiveResult(
        code=objective.code,
        compliance=compliance,
        year=year,
        four_year=four_year,
        semaforo=semaforo(compliance.value, plan.policy.bands),
        weight=objective_weights.get(objective.code) if objective_weights is not None else None,
        indicators=indicators,
    )


def _weight(weights: Mapping[str, Decimal] | None, code: str) -> Decimal:
    """The given weight for ``code``, or equal weights when the vigencia has none."""
    if weights is None:
        return EQUAL
    return weights.get(code, ZERO)
