"""A whole plan at one cut: indicators, then objectives, then the plan (DESIGN §2–3)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
from cascada.engine.progress import (
    IN_CUT_ROLLUP,
    ZERO,
    evaluate_indicator,
    executed_by_vigencia,
    semaforo,
)
from cascada.engine.rollup import weighted_mean

EQUAL = Decimal(1)

# Each indicator's ``executed_by_vigencia``, by ``id`` of its spec (specs hold dicts: they
# are not hashable), for the cuts of one ``compute_cuts`` call.
History = Mapping[int, Mapping[int, Decimal]]


def compute_cut(plan: PlanSpec, *, cut: date) -> PlanResult:
    return _compute_cut(plan, cut=cut, history=None)


def compute_cuts(plan: PlanSpec, *, cuts: Iterable[date]) -> dict[date, PlanResult]:
    """Several cuts of one plan, each exactly as ``compute_cut(plan, cut=…)`` gives it.

    A cut reads nothing dated after it (its own row, and the earlier vigencias' last cuts for
    the four-year sums), so one spec holding every cut serves them all, and each indicator's
    history is summarised once for all the cuts instead of once per cut.
    """
    history = {
        id(indicator): executed_by_vigencia(indicator)
        for objective in plan.objectives
        for indicator in objective.indicators
    }
    return {cut: _compute_cut(plan, cut=cut, history=history) for cut in cuts}


def _compute_cut(plan: PlanSpec, *, cut: date, history: History | None) -> PlanResult:
    vigencia = cut.year
    objective_weights = plan.objective_weights.get(vigencia)
    objectives = tuple(
        _compute_objective(plan, o, cut=cut, history=history) for o in plan.objectives
    )

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


def _compute_objective(
    plan: PlanSpec, objective: ObjectiveSpec, *, cut: date, history: History | None
) -> ObjectiveResult:
    vigencia = cut.year
    weights = plan.indicator_weights.get(vigencia)
    cap = plan.policy.cap
    results = [
        evaluate_indicator(
            i,
            cut=cut,
            policy=plan.policy,
            weight=weights.get(i.code) if weights is not None else None,
            by_vigencia=history[id(i)] if history is not None else None,
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
    # Only the indicators in the cut's rollup get an effective weight; the others keep their
    # result as evaluated (its effective weight is already None).
    indicators: tuple[IndicatorResult, ...] = tuple(
        r if (w := effective.get(r.code)) is None else _with_effective_weight(r, w) for r in results
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


def _with_effective_weight(result: IndicatorResult, weight: Decimal) -> IndicatorResult:
    """``result`` with its effective weight set. Only for a result just made by
    ``evaluate_indicator`` in this computation and not yet seen by anyone else: it is completed
    in place (building a second result for every indicator of every cut cost more than the
    indicator's own evaluation), so what callers receive is as immutable as ever."""
    object.__setattr__(result, "effective_weight", weight)
    return result


def _weight(weights: Mapping[str, Decimal] | None, code: str) -> Decimal:
    """The given weight for ``code``, or equal weights when the vigencia has none."""
    if weights is None:
        return EQUAL
    return weights.get(code, ZERO)
