"""Comparing a columnar cut with the reference engine, number by number."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from typing import Any

from cascada.columnar.frames import CutResults, alert_codes
from cascada.engine import compute_cut
from cascada.synth.convert import plan_specs
from cascada.synth.generate import SynthSet

TOLERANCE = 1e-9


def close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=TOLERANCE)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def engine_rows(synth: SynthSet, cut: date) -> dict[str, dict[Any, tuple[Any, ...]]]:
    """Engine results keyed by (plan code, child code), in the columnar results' shape."""
    plans, objectives, indicators = {}, {}, {}
    for _plan_id, spec in plan_specs(synth, until=cut):
        result = compute_cut(spec, cut=cut)
        plans[spec.code] = (
            _number(result.compliance.value),
            _number(result.year.value),
            _number(result.four_year.value),
            result.semaforo,
        )
        for o in result.objectives:
            objectives[(spec.code, o.code)] = (
                _number(o.compliance.value),
                _number(o.year.value),
                _number(o.four_year.value),
                o.semaforo,
                _number(o.weight),
            )
            for i in o.indicators:
                indicators[(spec.code, i.code)] = (
                    i.status.value,
                    _number(i.programmed),
                    _number(i.executed),
                    _number(i.annual_target),
                    _number(i.baseline),
                    _number(i.progress_cut),
                    _number(i.progress_year),
                    _number(i.progress_4y),
                    _number(i.weight),
                    _number(i.effective_weight),
                    i.semaforo,
                    tuple(a.value for a in i.alerts),
                )
    return {"plans": plans, "objectives": objectives, "indicators": indicators}


def columnar_rows(synth: SynthSet, results: CutResults) -> dict[str, dict[Any, tuple[Any, ...]]]:
    plan_code = dict(synth.plans.select("plan_id", "code").iter_rows())
    objective_code = dict(synth.objectives.select("objective_id", "code").iter_rows())
    indicator_code = dict(synth.indicators.select("indicator_id", "code").iter_rows())
    plans = {
        plan_code[r["plan_id"]]: (r["compliance"], r["year"], r["four_year"], r["semaforo"])
        for r in results.plans.iter_rows(named=True)
    }
    objectives = {
        (plan_code[r["plan_id"]], objective_code[r["objective_id"]]): (
            r["compliance"],
            r["year"],
            r["four_year"],
            r["semaforo"],
            r["weight"],
        )
        for r in results.objectives.iter_rows(named=True)
    }
    indicators = {
        (plan_code[r["plan_id"]], indicator_code[r["indicator_id"]]): (
            r["status"],
            r["programmed"],
            r["executed"],
            r["annual_target"],
            r["baseline"],
            r["progress_cut"],
            r["progress_year"],
            r["progress_4y"],
            r["weight"],
            r["effective_weight"],
            r["semaforo"],
            alert_codes(r["alerts"]),
        )
        for r in results.indicators.iter_rows(named=True)
    }
    return {"plans": plans, "objectives": objectives, "indicators": indicators}


def differences(
    expected: dict[str, dict[Any, tuple[Any, ...]]], got: dict[str, dict[Any, tuple[Any, ...]]]
) -> list[str]:
    """Every value that differs (numbers beyond 1e-9), as readable lines; [] when they agree."""
    found: list[str] = []
    for level, rows in expected.items():
        if set(rows) != set(got[level]):
            found.append(f"{level}: keys differ {sorted(set(rows) ^ set(got[level]))[:5]}")
            continue
        for key, values in rows.items():
            for n, (a, b) in enumerate(zip(values, got[level][key], strict=True)):
                same = close(a, b) if isinstance(a, float) or isinstance(b, float) else a == b
                if not same:
                    found.append(f"{level} {key} field {n}: engine {a!r} columnar {b!r}")
    return found
