"""The columnar paths (polars and DuckDB SQL) against the reference engine, number by number
(floats within 1e-9 of the engine's Decimals; statuses, semáforos and alerts equal)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cascada.columnar.duckdb_sql import compute_cut_duckdb, load_inputs
from cascada.columnar.frames import CutInputs
from cascada.columnar.polars_path import compute_cut_columnar
from cascada.engine.model import EngineInputError
from cascada.synth.convert import cut_inputs
from cascada.synth.generate import MONTHLY, QUARTERLY, SizeSpec, SynthSet, generate
from tests.columnar.agreement import columnar_rows, differences, engine_rows


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(min_value=0, max_value=10**6),
    plans=st.integers(min_value=1, max_value=3),
    per_plan=st.integers(min_value=5, max_value=30),
    monthly=st.booleans(),
    cut_index=st.integers(min_value=0, max_value=47),
)
def test_polars_and_duckdb_agree_with_the_engine(
    seed: int, plans: int, per_plan: int, monthly: bool, cut_index: int
) -> None:
    spec = SizeSpec(
        plans=plans,
        indicators=plans * per_plan,
        objectives=(1, 4),
        months=MONTHLY if monthly else QUARTERLY,
    )
    synth = generate(size=spec, seed=seed)
    cut = synth.cuts[cut_index % len(synth.cuts)]
    inputs = cut_inputs(synth)
    expected = engine_rows(synth, cut)
    assert differences(expected, columnar_rows(synth, compute_cut_columnar(inputs, cut=cut))) == []
    assert differences(expected, columnar_rows(synth, compute_cut_duckdb(inputs, cut=cut))) == []


def test_a_date_that_is_not_a_cut_agrees_too() -> None:
    """Between cuts nothing is reported: every indicator in force is no_programada."""
    synth = generate(size="seed", seed=4)
    inputs = cut_inputs(synth)
    day = date(2025, 2, 14)
    expected = engine_rows(synth, day)
    assert {row[0] for row in expected["indicators"].values()} <= {"no_programada", "no_vigente"}
    assert differences(expected, columnar_rows(synth, compute_cut_columnar(inputs, cut=day))) == []
    assert differences(expected, columnar_rows(synth, compute_cut_duckdb(inputs, cut=day))) == []


def test_district_cut_agrees_with_the_engine() -> None:
    """A whole district (≈5.000 indicators, 15 plans) at a cut of its last vigencia, where the
    cuatrienio sums three earlier vigencias: the three implementations give the same numbers."""
    synth = generate(size="district", seed=11)
    inputs = cut_inputs(synth)
    cut = synth.cuts[-7]
    connection = load_inputs(inputs)
    expected = engine_rows(synth, cut)
    polars_rows = columnar_rows(synth, compute_cut_columnar(inputs, cut=cut))
    duckdb_rows = columnar_rows(synth, compute_cut_duckdb(inputs, cut=cut, connection=connection))
    assert len(expected["indicators"]) == synth.indicators.height
    assert differences(expected, polars_rows) == []
    assert differences(expected, duckdb_rows) == []
    assert differences(polars_rows, duckdb_rows) == []


def _without_baseline(inputs: CutInputs) -> CutInputs:
    first = inputs.indicators.filter(pl.col("accumulation") == "decreciente")["indicator_id"][0]
    return CutInputs(
        plans=inputs.plans,
        bands=inputs.bands,
        objectives=inputs.objectives,
        indicators=inputs.indicators.with_columns(
            baseline=pl.when(pl.col("indicator_id") == first).then(None).otherwise("baseline")
        ),
        annual=inputs.annual.with_columns(
            baseline=pl.when(pl.col("indicator_id") == first).then(None).otherwise("baseline")
        ),
        progress=inputs.progress,
        weights=inputs.weights,
    )


def test_decreciente_without_baseline_is_refused_like_the_engine() -> None:
    synth = generate(size="district", seed=5)
    broken = _without_baseline(cut_inputs(synth))
    with pytest.raises(EngineInputError):
        compute_cut_columnar(broken, cut=synth.cuts[-1])
    with pytest.raises(EngineInputError):
        compute_cut_duckdb(broken, cut=synth.cuts[-1])


def test_missing_input_column_is_named() -> None:
    synth = generate(size="seed", seed=1)
    inputs = cut_inputs(synth)
    with pytest.raises(ValueError, match="cap"):
        CutInputs(
            plans=inputs.plans.drop("cap"),
            bands=inputs.bands,
            objectives=inputs.objectives,
            indicators=inputs.indicators,
            annual=inputs.annual,
            progress=inputs.progress,
            weights=inputs.weights,
        )


# The cases below pin what the faster polars path restructured (the earlier vigencias' sums, the
# per-plan frame of weight flags, the joins of indicators without rows): each against the engine.

SEVERAL = SizeSpec(plans=3, indicators=120, objectives=(2, 4), months=MONTHLY)


def _agrees_with_the_engine(synth: SynthSet, cut: date) -> dict[str, dict[Any, tuple[Any, ...]]]:
    inputs = cut_inputs(synth)
    expected = engine_rows(synth, cut)
    assert differences(expected, columnar_rows(synth, compute_cut_columnar(inputs, cut=cut))) == []
    assert differences(expected, columnar_rows(synth, compute_cut_duckdb(inputs, cut=cut))) == []
    return expected


def test_earlier_vigencias_count_at_their_last_reported_cut_in_any_row_order() -> None:
    """The cuatrienio of a ``suma`` adds each earlier vigencia at its last *reported* cut: with
    December left blank it is November's figure, and the rows' order does not matter."""
    synth = generate(size=SEVERAL, seed=21)
    suma = synth.indicators.filter(
        (pl.col("accumulation") == "suma") & pl.col("target_4y_c").is_not_null()
    )["indicator_id"]
    blanked = suma.gather_every(2).implode()
    progress = synth.progress.with_columns(
        executed_c=pl.when(
            pl.col("indicator_id").is_in(blanked) & (pl.col("cut") == date(2025, 12, 31))
        )
        .then(None)
        .otherwise(pl.col("executed_c"))
    ).sample(fraction=1.0, shuffle=True, seed=5)
    changed = dataclasses.replace(synth, progress=progress)
    cut = date(2026, 4, 30)
    expected = _agrees_with_the_engine(changed, cut)
    before = engine_rows(synth, cut)["indicators"]
    moved = [key for key, row in expected["indicators"].items() if row[7] != before[key][7]]
    assert moved, "blanking December must change some cuatrienio figure"


def test_a_plan_without_programming_this_vigencia_and_indicators_without_reports() -> None:
    synth = generate(size=SEVERAL, seed=8)
    first_plan = synth.indicators.filter(pl.col("plan_id") == 1)["indicator_id"].implode()
    silent = synth.indicators.filter(pl.col("plan_id") == 2)["indicator_id"].head(10).implode()
    changed = dataclasses.replace(
        synth,
        # Plan 1 programs nothing in 2026; ten indicators of plan 2 never report anything.
        annual=synth.annual.filter(
            ~(pl.col("indicator_id").is_in(first_plan) & (pl.col("vigencia") == 2026))
        ),
        progress=synth.progress.filter(~pl.col("indicator_id").is_in(silent)),
    )
    expected = _agrees_with_the_engine(changed, date(2026, 9, 30))
    plan_codes = dict(synth.plans.select("plan_id", "code").iter_rows())
    first = [row for (plan, _), row in expected["indicators"].items() if plan == plan_codes[1]]
    assert first and {row[0] for row in first} == {"no_vigente"}
    assert expected["plans"][plan_codes[1]][:3] == (None, None, None)


def test_weights_at_one_level_only() -> None:
    """A plan that weights its objectives but not its indicators in the vigencia (and one the
    other way round): the per-plan flags of each level are separate."""
    synth = generate(
        size=SizeSpec(plans=6, indicators=150, objectives=(2, 4), months=QUARTERLY), seed=3
    )
    weighted = synth.weights.filter(pl.col("vigencia") == 2025)
    both = (
        weighted.group_by("plan_id")
        .agg(pl.col("level").n_unique().alias("levels"))
        .filter(pl.col("levels") == 2)["plan_id"]
        .sort()
    )
    assert both.len() >= 2, "the seed must give two plans weighted at both levels"
    drop_indicators, drop_objectives = both[0], both[1]
    weights = synth.weights.filter(
        ~(
            (pl.col("vigencia") == 2025)
            & (
                ((pl.col("plan_id") == drop_indicators) & (pl.col("level") == "indicador"))
                | ((pl.col("plan_id") == drop_objectives) & (pl.col("level") == "objetivo"))
            )
        )
    )
    _agrees_with_the_engine(dataclasses.replace(synth, weights=weights), date(2025, 9, 30))


@pytest.mark.parametrize("day", [date(2025, 1, 1), date(2026, 1, 15), date(2027, 2, 28)])
def test_days_between_vigencias_and_their_cuts(day: date) -> None:
    """Before a vigencia's first cut nothing of it is reported, but the earlier vigencias still
    add up in the cuatrienio."""
    synth = generate(
        size=SizeSpec(plans=2, indicators=80, objectives=(2, 3), months=QUARTERLY), seed=13
    )
    assert day not in synth.cuts
    expected = _agrees_with_the_engine(synth, day)
    assert {row[0] for row in expected["indicators"].values()} <= {"no_programada", "no_vigente"}
