"""Weights per level and vigencia (DESIGN §3): validated, never silently normalised."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from cascada.engine.display import format_number
from cascada.engine.model import HUNDRED, Level, ObjectiveSpec, PlanSpec

SUM_TOLERANCE = Decimal("0.01")


@dataclass(frozen=True)
class WeightProblem:
    """Why a set of weights is rejected. ``code`` is the child at fault, or ``None`` when the
    problem is the group's sum; ``group`` is the objective code for indicator weights."""

    level: Level
    vigencia: int
    group: str | None
    code: str | None
    message: str


def in_force_indicators(objective: ObjectiveSpec, vigencia: int) -> list[str]:
    """Codes of the objective's indicators that have an annual target in ``vigencia``."""
    return [i.code for i in objective.indicators if vigencia in i.annual_targets]


def in_force_objectives(plan: PlanSpec, vigencia: int) -> list[str]:
    """An objective is in force when at least one of its indicators is."""
    return [o.code for o in plan.objectives if in_force_indicators(o, vigencia)]


def validate_weights(plan: PlanSpec) -> list[WeightProblem]:
    problems: list[WeightProblem] = []
    indicator_objective = {i.code: o for o in plan.objectives for i in o.indicators}
    for vigencia, weights in sorted(plan.indicator_weights.items()):
        for code in weights:
            if code not in indicator_objective:
                problems.append(
                    WeightProblem(
                        Level.INDICADOR, vigencia, None, code, f"El indicador '{code}' no existe."
                    )
                )
        for objective in plan.objectives:
            children = [i.code for i in objective.indicators]
            problems += _check_group(
                level=Level.INDICADOR,
                vigencia=vigencia,
                group=objective.code,
                weights={c: w for c, w in weights.items() if c in children},
                in_force=in_force_indicators(objective, vigencia),
                noun="indicador",
                group_label=f"del objetivo '{objective.code}'",
            )
    objective_codes = {o.code for o in plan.objectives}
    for vigencia, weights in sorted(plan.objective_weights.items()):
        for code in weights:
            if code not in objective_codes:
                problems.append(
                    WeightProblem(
                        Level.OBJETIVO, vigencia, None, code, f"El objetivo '{code}' no existe."
                    )
                )
        problems += _check_group(
            level=Level.OBJETIVO,
            vigencia=vigencia,
            group=None,
            weights={c: w for c, w in weights.items() if c in objective_codes},
            in_force=in_force_objectives(plan, vigencia),
            noun="objetivo",
            group_label="del plan",
        )
    return problems


def _check_group(
    *,
    level: Level,
    vigencia: int,
    group: str | None,
    weights: Mapping[str, Decimal],
    in_force: Iterable[str],
    noun: str,
    group_label: str,
) -> list[WeightProblem]:
    in_force = list(in_force)
    problems: list[WeightProblem] = []

    def problem(code: str | None, message: str) -> None:
        problems.append(WeightProblem(level, vigencia, group, code, message))

    for code, weight in weights.items():
        if not Decimal(0) <= weight <= HUNDRED:
            problem(
                code,
                f"El peso de '{code}' en {vigencia} debe estar entre 0 y 100; "
                f"es {format_number(weight)}.",
            )
        elif code not in in_force and weight != 0:
            problem(
                code,
                f"El {noun} '{code}' no tiene meta en la vigencia {vigencia}: su peso debe "
                "ser 0 o quedar vacío.",
            )
    # A group with no weight at all keeps equal weights only if the plan gives no weights for
    # that vigencia and level; once a vigencia has weights, every child in force needs one.
    for code in in_force:
        if code not in weights:
            problem(code, f"Falta el peso del {noun} '{code}' {group_label} en {vigencia}.")
    total = sum((weights.get(c, Decimal(0)) for c in in_force), Decimal(0))
    if in_force and all(c in weights for c in in_force) and abs(total - HUNDRED) > SUM_TOLERANCE:
        problem(
            None,
            f"Los pesos {group_label} en la vigencia {vigencia} suman "
            f"{format_number(total)}; deben sumar 100.",
        )
    return problems
