"""The JSON of ``cascada compute`` (DESIGN §6): a public contract, keys exactly as specified.

Percentages are unrounded percent numbers; ``null`` where undefined.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cascada.engine.model import IndicatorResult, ObjectiveResult, PlanResult


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def plan_result_json(result: PlanResult) -> dict[str, Any]:
    return {
        "plan": result.code,
        "corte": result.cut.isoformat(),
        "vigencia": result.vigencia,
        "cumplimiento_plan": _number(result.compliance.value),
        "avance_vigencia_plan": _number(result.year.value),
        "avance_cuatrienio_plan": _number(result.four_year.value),
        "objetivos": [_objective(o) for o in result.objectives],
    }


def _objective(objective: ObjectiveResult) -> dict[str, Any]:
    return {
        "codigo": objective.code,
        "cumplimiento": _number(objective.compliance.value),
        "avance_vigencia": _number(objective.year.value),
        "avance_cuatrienio": _number(objective.four_year.value),
        "indicadores": [_indicator(i) for i in objective.indicators],
    }


def _indicator(indicator: IndicatorResult) -> dict[str, Any]:
    return {
        "codigo": indicator.code,
        "avance_corte": _number(indicator.progress_cut),
        "avance_vigencia": _number(indicator.progress_year),
        "avance_cuatrienio": _number(indicator.progress_4y),
        "estado": indicator.status.value,
        "peso_efectivo": _number(indicator.effective_weight),
        "alertas": [a.value for a in indicator.alerts],
    }
