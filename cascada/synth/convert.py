"""A ``SynthSet`` as the engine's inputs (one ``PlanSpec`` per plan, built on demand), as a
template v1 ``PlanWorkbook`` and as the columnar path's ``CutInputs``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import polars as pl

from cascada.columnar.frames import CutInputs
from cascada.engine.model import (
    DEFAULT_BANDS,
    Accumulation,
    AnnualTarget,
    Band,
    GoalKind,
    IndicatorSpec,
    ObjectiveSpec,
    PlanSpec,
    Policy,
    Progress,
)
from cascada.imports.template_v1 import GoalRow, IndicatorRow, ObjectiveRow, PlanInfo, PlanWorkbook
from cascada.synth.generate import VIGENCIAS, SynthSet


def amount(hundredths: int | None) -> Decimal | None:
    """An exact amount from hundredths (``None`` stays blank)."""
    return None if hundredths is None else Decimal(hundredths).scaleb(-2)


def exact(hundredths: int) -> Decimal:
    """An exact amount from hundredths, for a value that is never blank."""
    return Decimal(hundredths).scaleb(-2)


def policy(cap_c: int | None, threshold_c: int) -> Policy:
    """The plan's policy as the database gives it: default bands, azul above the threshold."""
    threshold = exact(threshold_c)
    return Policy(
        cap=amount(cap_c),
        overexecution_threshold=threshold,
        bands=tuple(
            Band(b.color, threshold, b.inclusive) if b.color == "azul" else b for b in DEFAULT_BANDS
        ),
    )


def _by_plan(frame: pl.DataFrame, plan_ids: list[int]) -> dict[int, pl.DataFrame]:
    chosen = frame.filter(pl.col("plan_id").is_in(plan_ids))
    parts = chosen.partition_by("plan_id", as_dict=True)
    return {int(str(key[0])): part for key, part in parts.items()}


def plan_specs(
    synth: SynthSet, *, plan_ids: list[int] | None = None, until: date | None = None
) -> Iterator[tuple[int, PlanSpec]]:
    """(plan_id, PlanSpec) of each plan (or of ``plan_ids``), with progress up to ``until``."""
    ids = plan_ids if plan_ids is not None else synth.plans["plan_id"].to_list()
    for chunk_start in range(0, len(ids), 50):  # bounded memory at national size
        chunk = ids[chunk_start : chunk_start + 50]
        indicators = _by_plan(synth.indicators, chunk)
        wanted = synth.indicators.filter(pl.col("plan_id").is_in(chunk))["indicator_id"].to_list()
        annual = synth.annual.filter(pl.col("indicator_id").is_in(wanted))
        progress = synth.progress.filter(pl.col("indicator_id").is_in(wanted))
        if until is not None:
            progress = progress.filter(pl.col("cut") <= until)
        targets: dict[int, dict[int, AnnualTarget]] = defaultdict(dict)
        for indicator_id, vigencia, target, baseline in annual.iter_rows():
            targets[indicator_id][vigencia] = AnnualTarget(exact(target), amount(baseline))
        rows: dict[int, dict[date, Progress]] = defaultdict(dict)
        for indicator_id, cut, programmed, executed, analysis in progress.iter_rows():
            rows[indicator_id][cut] = Progress(amount(programmed), amount(executed), analysis)
        objectives = _by_plan(synth.objectives, chunk)
        weights = _by_plan(synth.weights, chunk)
        plans = synth.plans.filter(pl.col("plan_id").is_in(chunk))
        for plan in plans.iter_rows(named=True):
            plan_id = plan["plan_id"]
            specs: dict[int, list[IndicatorSpec]] = defaultdict(list)
            codes: dict[int, str] = {}
            for row in (
                indicators.get(plan_id, pl.DataFrame()).sort("position").iter_rows(named=True)
            ):
                codes[row["indicator_id"]] = row["code"]
                specs[row["objective_id"]].append(
                    IndicatorSpec(
                        code=row["code"],
                        accumulation=Accumulation(row["accumulation"]),
                        baseline=amount(row["baseline_c"]),
                        target_4y=amount(row["target_4y_c"]),
                        annual_targets=targets.get(row["indicator_id"], {}),
                        progress=rows.get(row["indicator_id"], {}),
                    )
                )
            objective_codes: dict[int, str] = {}
            objective_specs = []
            for row in objectives[plan_id].sort("position").iter_rows(named=True):
                objective_codes[row["objective_id"]] = row["code"]
                objective_specs.append(
                    ObjectiveSpec(row["code"], tuple(specs[row["objective_id"]]))
                )
            by_level: dict[str, dict[int, dict[str, Decimal]]] = {
                "indicador": defaultdict(dict),
                "objetivo": defaultdict(dict),
            }
            if plan_id in weights:
                for _, level, vigencia, target_id, weight in weights[plan_id].iter_rows():
                    names = codes if level == "indicador" else objective_codes
                    by_level[level][vigencia][names[target_id]] = exact(weight)
            yield (
                plan_id,
                PlanSpec(
                    code=plan["code"],
                    objectives=tuple(objective_specs),
                    policy=policy(plan["cap_c"], plan["threshold_c"]),
                    indicator_weights=dict(by_level["indicador"]),
                    objective_weights=dict(by_level["objetivo"]),
                ),
            )


def plan_workbooks(synth: SynthSet, *, plan_ids: list[int] | None = None) -> Iterator[PlanWorkbook]:
    """Each plan as the template v1 reader would return it from a file."""
    goals = synth.goals.join(
        synth.objectives.select("objective_id", pl.col("code").alias("objective_code")),
        on="objective_id",
    )
    indicators = synth.indicators.join(
        synth.goals.select("goal_id", pl.col("code").alias("goal_code")), on="goal_id"
    )
    for plan_id, spec in plan_specs(synth, plan_ids=plan_ids):
        plan = synth.plans.row(by_predicate=pl.col("plan_id") == plan_id, named=True)
        # Template policy: the reader builds it from tope_indicador and umbral only.
        spec_policy = Policy(
            cap=spec.policy.cap, overexecution_threshold=spec.policy.overexecution_threshold
        )
        yield PlanWorkbook(
            info=PlanInfo(
                code=plan["code"],
                name=plan["name"],
                sector=plan["sector"],
                head_entity=plan["head_entity"],
                development_plan=plan["development_plan"],
                first_vigencia=VIGENCIAS[0],
                last_vigencia=VIGENCIAS[-1],
                mission=plan["mission"],
                vision=plan["vision"],
                adopting_act=plan["adopting_act"],
                source="Datos sintéticos de cascada (no son datos reales)",
                legal_basis="Ley 152 de 1994, artículo 29",
            ),
            objectives=tuple(
                ObjectiveRow(code=o["code"], name=o["name"], order=o["position"])
                for o in synth.objectives.filter(pl.col("plan_id") == plan_id)
                .sort("position")
                .iter_rows(named=True)
            ),
            goals=tuple(
                GoalRow(
                    code=g["code"],
                    objective=g["objective_code"],
                    kind=GoalKind(g["kind"]),
                    name=g["name"],
                    responsible_entity=g["entity"],
                )
                for g in goals.filter(pl.col("plan_id") == plan_id)
                .sort("goal_id")
                .iter_rows(named=True)
            ),
            indicators=tuple(
                IndicatorRow(code=i["code"], goal=i["goal_code"], name=i["name"], unit=i["unit"])
                for i in indicators.filter(pl.col("plan_id") == plan_id)
                .sort("position")
                .iter_rows(named=True)
            ),
            spec=PlanSpec(
                code=spec.code,
                objectives=spec.objectives,
                policy=spec_policy,
                indicator_weights=spec.indicator_weights,
                objective_weights=spec.objective_weights,
            ),
        )


def _float(column: str) -> pl.Expr:
    return (pl.col(column).cast(pl.Float64) / 100).alias(column.removesuffix("_c"))


def _has_analysis(dtype: pl.DataType) -> pl.Expr:
    """The analysis is not blank, decided once per category of the ``Enum`` (casting 16 million
    rows to text first took two gigabytes at national size)."""
    if not isinstance(dtype, pl.Enum):
        return (pl.col("analysis").cast(pl.String).str.strip_chars() != "").alias("has_analysis")
    blank = [n for n, text in enumerate(dtype.categories.to_list()) if not text.strip()]
    return (~pl.col("analysis").to_physical().is_in(blank)).alias("has_analysis")


def cut_inputs(synth: SynthSet) -> CutInputs:
    """The whole set as the columnar path's inputs (every cut; the computation picks one)."""
    plans = synth.plans.select(
        "plan_id", _float("cap_c").alias("cap"), _float("threshold_c").alias("threshold")
    )
    bands = pl.DataFrame(
        [
            (
                plan_id,
                b.color,
                float(threshold) if b.color == "azul" else float(b.lower),
                b.inclusive,
            )
            for plan_id, threshold in plans.select("plan_id", "threshold").iter_rows()
            for b in DEFAULT_BANDS
        ],
        schema={
            "plan_id": pl.Int32,
            "color": pl.String,
            "lower": pl.Float64,
            "inclusive": pl.Boolean,
        },
        orient="row",
    )
    return CutInputs(
        plans=plans,
        bands=bands,
        objectives=synth.objectives.select("objective_id", "plan_id", "position"),
        indicators=synth.indicators.select(
            "indicator_id",
            "objective_id",
            "plan_id",
            "accumulation",
            _float("baseline_c"),
            _float("target_4y_c"),
            "position",
        ),
        annual=synth.annual.select(
            "indicator_id", "vigencia", _float("target_c"), _float("baseline_c")
        ),
        progress=synth.progress.select(
            "indicator_id",
            "cut",
            _float("programmed_c"),
            _float("executed_c"),
            _has_analysis(synth.progress.schema["analysis"]),
        ),
        weights=synth.weights.select(
            "plan_id", "level", "vigencia", "target_id", _float("weight_c")
        ),
    )
