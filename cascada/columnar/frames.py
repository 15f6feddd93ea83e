"""The inputs and results of a columnar cut: plain polars frames, one row per thing.

Values are ``float64`` in the indicator's unit and percent points, as the engine's ``Decimal``
values converted; ``None`` is blank. Ids are integers unique across the frames (many plans at
once); codes stay with whoever built the frames. The pure engine (``cascada.engine``) is the
reference: both columnar implementations must agree with it to 1e-9.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from cascada.engine.model import Alert

INPUT_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    # cap: None = no cap; threshold: umbral de sobreejecución
    "plans": {"plan_id": pl.Int32(), "cap": pl.Float64(), "threshold": pl.Float64()},
    # lower: -inf for the lowest band
    "bands": {
        "plan_id": pl.Int32(),
        "color": pl.String(),
        "lower": pl.Float64(),
        "inclusive": pl.Boolean(),
    },
    "objectives": {"objective_id": pl.Int32(), "plan_id": pl.Int32(), "position": pl.Int32()},
    "indicators": {
        "indicator_id": pl.Int32(),
        "objective_id": pl.Int32(),
        "plan_id": pl.Int32(),
        "accumulation": pl.String(),
        "baseline": pl.Float64(),
        "target_4y": pl.Float64(),
        "position": pl.Int32(),
    },
    "annual": {
        "indicator_id": pl.Int32(),
        "vigencia": pl.Int16(),
        "target": pl.Float64(),
        "baseline": pl.Float64(),
    },
    # has_analysis: the qualitative analysis is not blank
    "progress": {
        "indicator_id": pl.Int32(),
        "cut": pl.Date(),
        "programmed": pl.Float64(),
        "executed": pl.Float64(),
        "has_analysis": pl.Boolean(),
    },
    # level: "indicador" (target_id = indicator_id) or "objetivo" (target_id = objective_id)
    "weights": {
        "plan_id": pl.Int32(),
        "level": pl.String(),
        "vigencia": pl.Int16(),
        "target_id": pl.Int32(),
        "weight": pl.Float64(),
    },
}

# Alerts as bits of one integer, in the engine's order (bit 0 = the first Alert).
ALERT_BITS: dict[Alert, int] = {alert: 1 << n for n, alert in enumerate(Alert)}


def alert_codes(mask: int) -> tuple[str, ...]:
    """The alert codes of a bit mask, in the engine's order."""
    return tuple(alert.value for alert, bit in ALERT_BITS.items() if mask & bit)


@dataclass(frozen=True)
class CutInputs:
    plans: pl.DataFrame
    bands: pl.DataFrame
    objectives: pl.DataFrame
    indicators: pl.DataFrame
    annual: pl.DataFrame
    progress: pl.DataFrame
    weights: pl.DataFrame

    def __post_init__(self) -> None:
        for name, schema in INPUT_SCHEMAS.items():
            frame: pl.DataFrame = getattr(self, name)
            missing = [c for c in schema if c not in frame.columns]
            if missing:
                raise ValueError(f"{name}: faltan las columnas {missing}")


@dataclass(frozen=True)
class CutResults:
    """``indicators``: indicator_id, objective_id, plan_id, status, programmed, executed,
    annual_target, baseline, progress_cut, progress_year, progress_4y, weight,
    effective_weight, semaforo, alerts (bit mask, see ``ALERT_BITS``).
    ``objectives``: objective_id, plan_id, compliance, year, four_year, semaforo, weight.
    ``plans``: plan_id, compliance, year, four_year, semaforo."""

    indicators: pl.DataFrame
    objectives: pl.DataFrame
    plans: pl.DataFrame
