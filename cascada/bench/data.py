"""The bench's one door to the generated data (``cascada.synth``) and the two columnar
computations (``cascada.columnar``): everything the parts need from them, adapted here."""

from __future__ import annotations

import dataclasses
import math
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from cascada.columnar.duckdb_sql import compute_cut_duckdb, load_inputs
from cascada.columnar.frames import CutInputs, CutResults
from cascada.columnar.polars_path import compute_cut_columnar
from cascada.synth.convert import cut_inputs
from cascada.synth.generate import SIZES as SYNTH_SIZES
from cascada.synth.generate import SizeSpec, SynthSet
from cascada.synth.generate import generate as synth_generate

SIZES = ("seed", "district", "national")
TOLERANCE = 1e-9
KEYS = {"indicators": "indicator_id", "objectives": "objective_id", "plans": "plan_id"}


def generate(*, size: str | SizeSpec, seed: int) -> SynthSet:
    return synth_generate(size=size, seed=seed)


def counts(generated: SynthSet) -> dict[str, int]:
    return {
        "plans": generated.plans.height,
        "objectives": generated.objectives.height,
        "indicators": generated.indicators.height,
        "cuts": len(generated.cuts),
        "progress_rows": generated.progress.height,
    }


def describe(generated: SynthSet) -> str:
    return ", ".join(f"{n:,} {what}".replace(",", ".") for what, n in counts(generated).items())


def cut_date(generated: SynthSet) -> date:
    """The cut measured: the latest with progress (the most work: every vigencia before it)."""
    latest: date = generated.progress["cut"].max()  # type: ignore[assignment]
    return latest


def frames(generated: SynthSet) -> CutInputs:
    return cut_inputs(generated)


def compute_columnar(inputs: CutInputs, *, cut: date) -> CutResults:
    return compute_cut_columnar(inputs, cut=cut)


def duckdb_connection(inputs: CutInputs) -> Any:
    """The inputs as DuckDB tables (timed apart: the SQL is what is compared)."""
    return load_inputs(inputs)


def compute_duckdb(inputs: CutInputs, *, cut: date, connection: Any) -> CutResults:
    return compute_cut_duckdb(inputs, cut=cut, connection=connection)


def _as_float(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.col(name).cast(pl.Float64)
        for name, dtype in frame.schema.items()
        if dtype.is_numeric() and not dtype.is_integer()
    )


def compare(left: CutResults, right: CutResults) -> list[str]:
    """Every difference between two cuts' results (numbers beyond 1e-9, anything else exactly),
    as readable lines; ``[]`` when they agree."""
    found: list[str] = []
    for level, key in KEYS.items():
        a, b = _as_float(getattr(left, level)), _as_float(getattr(right, level))
        if set(a.columns) != set(b.columns):
            found.append(f"{level}: columnas distintas {sorted(set(a.columns) ^ set(b.columns))}")
            continue
        joined = a.join(b, on=key, how="full", suffix="_duckdb", coalesce=True)
        if joined.height != a.height or a.height != b.height:
            found.append(f"{level}: filas distintas ({a.height} y {b.height})")
            continue
        for column in a.columns:
            if column == key:
                continue
            x, y = pl.col(column), pl.col(f"{column}_duckdb")
            if a.schema[column] == pl.Float64:
                same = (x.is_null() & y.is_null()) | (
                    (x - y).abs() <= pl.max_horizontal(pl.lit(TOLERANCE), y.abs() * 1e-12)
                )
            else:
                same = x.eq_missing(y)
            bad = joined.filter(~same.fill_null(False))
            for row in bad.head(3).iter_rows(named=True):
                found.append(
                    f"{level} {key}={row[key]} {column}: columnar {row[column]!r}, "
                    f"DuckDB {row[f'{column}_duckdb']!r}"
                )
    return found


def import_spec(rows: int) -> SizeSpec:
    """One plan with enough indicators for ``rows`` monthly progress rows: at most 4 × 12 each,
    fewer for those not in force every vigencia (a quarter more than the bare count)."""
    district = SYNTH_SIZES["district"]
    return SizeSpec(
        plans=1,
        indicators=math.ceil(rows * 1.25 / (4 * len(district.months))),
        objectives=district.objectives,
        months=district.months,
    )


def load(generated: SynthSet) -> None:
    """Every plan into the database (synth's bulk load), without computing results: the bench
    recomputes through the normal service and times it."""
    from cascada.synth.load import load as synth_load

    synth_load(generated, compute=False, actor_label="bench")


def workbook_with_rows(*, rows: int, seed: int, folder: Path) -> tuple[Path, int]:
    """A template v1 workbook of one generated plan with exactly ``rows`` progress rows (the
    generated ones, the last indicators' cut short: a missing report is valid data)."""
    from cascada.synth.write import write

    generated = generate(size=import_spec(rows), seed=seed)
    progress = generated.progress.sort("indicator_id", "cut").head(rows)
    trimmed = dataclasses.replace(generated, progress=progress)
    (path,) = write(trimmed, folder, form="xlsx")
    return path, progress.height
