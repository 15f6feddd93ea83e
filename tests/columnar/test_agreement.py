"""The columnar paths (polars and DuckDB SQL) against the reference engine, number by number
(floats within 1e-9 of the engine's Decimals; statuses, semáforos and alerts equal)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cascada.columnar.duckdb_sql import compute_cut_duckdb, load_inputs
from cascada.columnar.frames import CutInputs
from cascada.columnar.polars_path import compute_cut_columnar
from cascada.engine.model import EngineInputError
from cascada.synth.convert import cut_inputs
from cascada.synth.generate import MONTHLY, QUARTERLY, SizeSpec, generate
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
