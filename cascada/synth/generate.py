"""A deterministic generator of realistic plans (issue 8, DESIGN §7), as polars frames.

Every amount is kept as an integer number of hundredths (``*_c`` columns), so the same data is
exact as ``Decimal`` for the engine and as ``float64`` for the columnar path. The formulation
(plans, objectives, goals, indicators, annual targets, weights) is drawn from one
``random.Random(seed)``; the monthly progress rows (16 million at national size) are derived from
it with vectorised expressions whose noise is a hash of (indicator, cut, seed): the same seed
always gives the same data, and nothing touches global state.

What the data exercises: the four accumulation types, weights per vigencia (or none: equal
weights), indicators not in force some vigencias, missing reports, zero programming, execution
without programming, over-execution, retroceso, target equal to baseline, caps and thresholds,
missing analyses, long Spanish names with accents and ñ.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from cascada.synth import names

VIGENCIAS = (2024, 2025, 2026, 2027)
MONTHLY = tuple(range(1, 13))
QUARTERLY = (3, 6, 9, 12)
ACCUMULATIONS = ("suma", "constante", "creciente", "decreciente")
GOAL_KINDS = ("sectorial", "estrategica", "proyecto_inversion", "actividad")
ANALYSIS = pl.Enum(names.ANALYSES)


@dataclass(frozen=True)
class SizeSpec:
    """How much to generate: ``indicators`` in all, spread over ``plans``."""

    plans: int
    indicators: int
    objectives: tuple[int, int]  # per plan, inclusive range
    months: tuple[int, ...]  # cut months of each vigencia


SIZES: dict[str, SizeSpec] = {
    "seed": SizeSpec(plans=1, indicators=17, objectives=(5, 5), months=QUARTERLY),
    "district": SizeSpec(plans=15, indicators=5_000, objectives=(5, 9), months=MONTHLY),
    "national": SizeSpec(plans=1_100, indicators=340_000, objectives=(4, 8), months=MONTHLY),
}


@dataclass(frozen=True)
class SynthSet:
    """A generated set of plans. Ids are unique across the set; codes are unique per plan.

    Frames (amounts in hundredths, ``None`` = blank):
    ``plans`` (plan_id, code, name, sector, head_entity, development_plan, cap_c, threshold_c,
    mission, vision, adopting_act), ``objectives`` (objective_id, plan_id, code, name, position),
    ``goals`` (goal_id, plan_id, objective_id, code, kind, name, entity), ``indicators``
    (indicator_id, plan_id, objective_id, goal_id, code, name, unit, accumulation, baseline_c,
    target_4y_c, position), ``annual`` (indicator_id, vigencia, target_c, baseline_c),
    ``weights`` (plan_id, level, vigencia, target_id, weight_c) and ``progress`` (indicator_id,
    cut, programmed_c, executed_c, analysis).
    """

    size: str
    seed: int
    cuts: tuple[date, ...]
    plans: pl.DataFrame
    objectives: pl.DataFrame
    goals: pl.DataFrame
    indicators: pl.DataFrame
    annual: pl.DataFrame
    weights: pl.DataFrame
    progress: pl.DataFrame


def month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def generate(*, size: str | SizeSpec, seed: int = 1) -> SynthSet:
    """The set of plans of ``size`` (``seed``, ``district``, ``national`` or a ``SizeSpec``)."""
    spec = SIZES[size] if isinstance(size, str) else size
    label = size if isinstance(size, str) else "custom"
    rng = random.Random(seed)  # noqa: S311 — reproducible test data, not secrets
    builder = _Builder(rng, spec, seed)
    builder.build()
    cuts = tuple(month_end(v, m) for v in VIGENCIAS for m in spec.months)
    # Each list of Python tuples becomes a frame and is dropped at once: at national size they
    # hold about a gigabyte, which must be gone before the 15 million progress rows are made.
    frames = {
        name: pl.DataFrame(builder.take(name), schema=schema, orient="row")
        for name, schema in (
            ("plans", _PLANS),
            ("objectives", _OBJECTIVES),
            ("goals", _GOALS),
            ("indicators", _INDICATORS),
            ("annual", _ANNUAL),
            ("weights", _WEIGHTS),
        )
    }
    drivers = pl.DataFrame(builder.years, schema=_YEARS)
    builder.years.clear()
    return SynthSet(
        size=label,
        seed=seed,
        cuts=cuts,
        progress=_progress(drivers, spec.months, seed),
        **frames,
    )


_PLANS = {
    "plan_id": pl.Int32,
    "code": pl.String,
    "name": pl.String,
    "sector": pl.String,
    "head_entity": pl.String,
    "development_plan": pl.String,
    "cap_c": pl.Int64,
    "threshold_c": pl.Int64,
    "mission": pl.String,
    "vision": pl.String,
    "adopting_act": pl.String,
}
_OBJECTIVES = {
    "objective_id": pl.Int32,
    "plan_id": pl.Int32,
    "code": pl.String,
    "name": pl.String,
    "position": pl.Int32,
}
_GOALS = {
    "goal_id": pl.Int32,
    "plan_id": pl.Int32,
    "objective_id": pl.Int32,
    "code": pl.String,
    "kind": pl.String,
    "name": pl.String,
    "entity": pl.String,
}
_INDICATORS = {
    "indicator_id": pl.Int32,
    "plan_id": pl.Int32,
    "objective_id": pl.Int32,
    "goal_id": pl.Int32,
    "code": pl.String,
    "name": pl.String,
    "unit": pl.String,
    "accumulation": pl.String,
    "baseline_c": pl.Int64,
    "target_4y_c": pl.Int64,
    "position": pl.Int32,
}
_ANNUAL = {
    "indicator_id": pl.Int32,
    "vigencia": pl.Int16,
    "target_c": pl.Int64,
    "baseline_c": pl.Int64,
}
_WEIGHTS = {
    "plan_id": pl.Int32,
    "level": pl.String,
    "vigencia": pl.Int16,
    "target_id": pl.Int32,
    "weight_c": pl.Int64,
}
# One row per indicator and vigencia in force: what drives that year's monthly rows.
_YEARS = {
    "indicator_id": pl.Int32,
    "vigencia": pl.Int16,
    "acc": pl.Int8,  # index in ACCUMULATIONS
    "schedule": pl.Int8,  # 0 linear, 1 quarterly, 2 at year end, 3 flat level
    "target_c": pl.Int64,
    "baseline_c": pl.Int64,  # the vigencia's baseline used to program levels (0 for suma)
    "perf": pl.Float64,  # executed / programmed, before noise
    "noise": pl.Float64,
    "missing": pl.Float64,  # probability of a missing report
    "unplanned": pl.Float64,  # probability of executing without programming
    "silent": pl.Float64,  # probability of a blank analysis
}


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` items in ``parts`` groups of at least one each, sizes varying."""
    parts = max(1, min(parts, total))
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, total]
    return [b - a for a, b in itertools.pairwise(bounds)]


def _hundredths(rng: random.Random, count: int) -> list[int]:
    """``count`` weights in hundredths of a percent point summing to exactly 100 %."""
    raw = [rng.choice((0, 1, 2, 3, 5, 8, 10)) if rng.random() < 0.9 else 0 for _ in range(count)]
    if not any(raw):
        raw[rng.randrange(count)] = 1
    total = sum(raw)
    weights = [r * 10_000 // total for r in raw]
    weights[raw.index(max(raw))] += 10_000 - sum(weights)
    return weights


class _Builder:
    def __init__(self, rng: random.Random, spec: SizeSpec, seed: int) -> None:
        self.rng = rng
        self.seed = seed
        self.spec = spec
        self.plans: list[tuple[object, ...]] = []
        self.objectives: list[tuple[object, ...]] = []
        self.goals: list[tuple[object, ...]] = []
        self.indicators: list[tuple[object, ...]] = []
        self.annual: list[tuple[object, ...]] = []
        self.weights: list[tuple[object, ...]] = []
        self.years: dict[str, list[object]] = {name: [] for name in _YEARS}
        self.next_objective = self.next_goal = self.next_indicator = 1

    def take(self, name: str) -> list[tuple[object, ...]]:
        """The rows gathered for ``name``, leaving none behind (their memory goes with them)."""
        rows: list[tuple[object, ...]] = getattr(self, name)
        setattr(self, name, [])
        return rows

    def build(self) -> None:
        spec, rng = self.spec, self.rng
        mean = spec.indicators / spec.plans
        for plan_id in range(1, spec.plans + 1):
            count = (
                spec.indicators
                if spec.plans == 1
                else max(spec.objectives[1], round(mean * rng.uniform(0.7, 1.3)))
            )
            self._plan(plan_id, count)

    def _plan(self, plan_id: int, count: int) -> None:
        rng, spec = self.rng, self.spec
        if spec.plans <= len(names.DISTRICT_SECTORS):
            sector = names.DISTRICT_SECTORS[(plan_id - 1) % len(names.DISTRICT_SECTORS)]
            place = "Bogotá D.C."
            code = (
                f"PES-{plan_id:02d}-S{self.seed}" if spec.plans > 1 else f"PES-SEMILLA-S{self.seed}"
            )
            name = f"Plan Estratégico Sectorial del Sector {sector} 2024-2027"
            development_plan = "Bogotá Camina Segura 2024-2027"
            head = f"Secretaría Distrital de {sector}"
        else:
            sector = names.DEPARTMENTS[(plan_id - 1) % len(names.DEPARTMENTS)]
            place = names.town(rng, plan_id)
            code = f"PDM-{plan_id:05d}-S{self.seed}"
            name = f"Plan de Desarrollo Municipal de {place} ({sector}) 2024-2027"
            development_plan = f"Plan de Desarrollo de {sector} 2024-2027"
            head = f"Alcaldía de {place}"
        roll = rng.random()
        cap = None if roll < 0.7 else 10_000 if roll < 0.95 else 15_000
        threshold = 10_000 if rng.random() < 0.8 else rng.choice((11_000, 12_000))
        self.plans.append(
            (
                plan_id,
                code,
                name,
                sector,
                head,
                development_plan,
                cap,
                threshold,
                f"Misión: {names.objective_name(rng)} en {place}.",
                f"Visión: en 2027 {place} será reconocida por {names.objective_name(rng).lower()}.",
                f"Resolución {rng.randint(100, 999)} de 2024",
            )
        )
        entities = [head] + [
            f"{kind} de {place}" for kind in rng.sample(names.ENTITY_KINDS, rng.randint(2, 6))
        ]
        objective_count = rng.randint(*spec.objectives)
        in_force: dict[int, dict[int, list[int]]] = {}  # vigencia -> objective -> indicators
        for position, size in enumerate(_split(rng, count, objective_count), start=1):
            objective_id = self.next_objective
            self.next_objective += 1
            self.objectives.append(
                (objective_id, plan_id, f"O{position}", names.objective_name(rng), position)
            )
            goal_sizes = _split(rng, size, max(1, size // rng.randint(2, 5)))
            for goal_size in goal_sizes:
                goal_id = self.next_goal
                self.next_goal += 1
                kind = rng.choice(GOAL_KINDS)
                goal_code = (
                    f"Actividad {goal_id}"
                    if kind == "actividad"
                    else f"{rng.randint(1, 300)}-{goal_id}"
                )
                self.goals.append(
                    (
                        goal_id,
                        plan_id,
                        objective_id,
                        goal_code,
                        kind,
                        names.goal_name(rng, kind),
                        rng.choice(entities),
                    )
                )
                for _ in range(goal_size):
                    for vigencia in self._indicator(plan_id, objective_id, goal_id):
                        in_force.setdefault(vigencia, {}).setdefault(objective_id, []).append(
                            self.next_indicator - 1
                        )
        self._weights(plan_id, in_force)

    def _indicator(self, plan_id: int, objective_id: int, goal_id: int) -> list[int]:
        """Add one indicator with its annual targets and yearly drivers; its vigencias."""
        rng = self.rng
        indicator_id = self.next_indicator
        self.next_indicator += 1
        acc = rng.choices(range(4), weights=(45, 20, 20, 15))[0]
        accumulation = ACCUMULATIONS[acc]
        name, unit = names.indicator_name(rng, accumulation)
        first, last = 0, len(VIGENCIAS)
        if rng.random() < 0.1:
            first = rng.randint(1, 2)  # starts later
        elif rng.random() < 0.05:
            last = rng.randint(2, 3)  # ends earlier
        vigencias = list(VIGENCIAS[first:last])
        baseline: int | None
        targets: list[tuple[int, int | None]] = []  # (target, annual baseline)
        if accumulation == "suma":
            baseline = None if rng.random() < 0.6 else 0
            scale = 100 if rng.random() < 0.85 else 1  # whole units, or amounts with cents
            for _ in vigencias:
                zero = rng.random() < 0.04
                targets.append(
                    (0 if zero else rng.randint(1, 500) * scale * rng.randint(1, 3), None)
                )
            target_4y = sum(t for t, _ in targets) if rng.random() < 0.9 else None
        elif accumulation == "constante":
            level = rng.choice((10_000, 9_500, 9_050, 8_000, 6_067))
            baseline = None if rng.random() < 0.5 else level - rng.randint(0, 1_000)
            targets = [(level, None) for _ in vigencias]
            target_4y = level if rng.random() < 0.9 else None
        else:
            rising = accumulation == "creciente"
            start = rng.randint(1_000, 6_000)
            step = rng.randint(500, 4_000) * (1 if rising else -1)
            goal_4y = start + step
            # A blank baseline is 0 for creciente; decreciente always needs one.
            baseline = None if rising and rng.random() < 0.15 else start
            origin = baseline or 0
            previous = origin
            for n, _ in enumerate(vigencias, start=1):
                value = origin + (goal_4y - origin) * n // len(vigencias)
                own = previous if rng.random() < 0.3 else None
                if rng.random() < 0.04:
                    value = own if own is not None else origin  # target = baseline
                targets.append((value, own))
                previous = value
            target_4y = goal_4y if rng.random() < 0.9 else None
        position = indicator_id
        self.indicators.append(
            (
                indicator_id,
                plan_id,
                objective_id,
                goal_id,
                f"I{indicator_id:06d}",
                name,
                unit,
                accumulation,
                baseline,
                target_4y,
                position,
            )
        )
        missing = 0.3 if rng.random() < 0.05 else 0.03
        silent = 0.5 if rng.random() < 0.1 else 0.05
        for vigencia, (target, own) in zip(vigencias, targets, strict=True):
            self.annual.append((indicator_id, vigencia, target, own))
            roll = rng.random()
            if roll < 0.03:
                perf = -0.4 if acc >= 2 else 0.0  # retroceso (levels) or nothing done
            elif roll < 0.11:
                perf = rng.uniform(1.2, 3.0)  # over-execution
            elif roll < 0.3:
                perf = rng.uniform(0.3, 0.95)
            elif roll < 0.6:
                perf = 1.0
            else:
                perf = rng.uniform(0.9, 1.1)
            schedule = (
                rng.choice((0, 0, 1, 2))
                if acc == 0
                else rng.choice((3, 3, 1))
                if acc == 1
                else rng.choice((0, 1))
            )
            used = own if own is not None else baseline
            row = (
                indicator_id,
                vigencia,
                acc,
                schedule,
                target,
                used or 0 if acc >= 2 else 0,
                perf,
                0.0 if perf == 1.0 else rng.choice((0.0, 0.05, 0.1)),
                missing,
                0.03 if rng.random() < 0.3 else 0.0,
                silent,
            )
            for key, item in zip(self.years, row, strict=True):
                self.years[key].append(item)
        return vigencias

    def _weights(self, plan_id: int, in_force: dict[int, dict[int, list[int]]]) -> None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.5:
            return  # equal weights every vigencia
        every_year = roll < 0.8
        for vigencia in VIGENCIAS:
            objectives = in_force.get(vigencia, {})
            if not objectives or not (every_year or rng.random() < 0.5):
                continue
            for indicators in objectives.values():
                for indicator_id, weight in zip(
                    indicators, _hundredths(rng, len(indicators)), strict=True
                ):
                    self.weights.append((plan_id, "indicador", vigencia, indicator_id, weight))
            if rng.random() < 0.7:
                codes = list(objectives)
                for objective_id, weight in zip(codes, _hundredths(rng, len(codes)), strict=True):
                    self.weights.append((plan_id, "objetivo", vigencia, objective_id, weight))


def _noise(seed: int, salt: int) -> pl.Expr:
    """A value in [0, 1) from (indicator, cut, seed): squaring modulo a prime mixes them."""
    prime = 2_147_483_647
    x = (
        pl.col("indicator_id").cast(pl.Int64) * 1_000_003
        + pl.col("k").cast(pl.Int64) * 7_919
        + (seed % 100_000) * 104_729
        + salt * 15_485_863
    ) % prime
    x = (x * x + 12_345 + salt) % prime
    x = (x * x + 54_321) % prime
    return x.cast(pl.Float64) / prime


def _progress(drivers: pl.DataFrame, months: tuple[int, ...], seed: int) -> pl.DataFrame:
    """Monthly (or quarterly) rows of every indicator in force: programming and execution,
    ordered by cut and indicator."""
    calendar = pl.DataFrame(
        {"month": list(months), "step": list(range(len(months)))},
        schema={"month": pl.Int8, "step": pl.Int16},
    )
    per_year = len(months)
    # One vigencia at a time, each as one lazy query (its intermediate columns are never whole
    # frames) sorted on its own: every cut of a vigencia comes before the next one's, so the
    # parts put end to end are in order without sorting 16 million rows again, and they are
    # kept as they are (four chunks) rather than copied into one.
    parts = [
        _year_rows(drivers.filter(pl.col("vigencia") == vigencia).lazy(), calendar, seed, per_year)
        .sort("cut", "indicator_id")
        .collect()
        for vigencia in VIGENCIAS
    ]
    return pl.concat(parts, rechunk=False)


def _year_rows(
    drivers: pl.LazyFrame, calendar: pl.DataFrame, seed: int, per_year: int
) -> pl.LazyFrame:
    acc, schedule, month = pl.col("acc"), pl.col("schedule"), pl.col("month").cast(pl.Float64)
    fraction = (
        pl.when(schedule == 0)
        .then(month / 12)
        .when(schedule == 1)
        .then((month / 3).floor() * 3 / 12)
        .when(schedule == 2)
        .then((month == 12).cast(pl.Float64))
        .otherwise(1.0)
    )
    target, base = pl.col("target_c").cast(pl.Float64), pl.col("baseline_c").cast(pl.Float64)
    level = acc >= 2
    # Levels (creciente/decreciente) have nothing programmed before their first step.
    programmed = (
        pl.when(level & (fraction == 0))
        .then(None)
        .when(level)
        .then(base + ((target - base) * fraction).round(0))
        .otherwise((target * fraction).round(0))
    )
    factor = pl.col("perf") * (1 + pl.col("noise") * (_noise(seed, 1) - 0.5))
    executed = (
        pl.when(level)
        .then(base + (pl.col("programmed_c") - base) * factor)
        .otherwise(pl.col("programmed_c") * factor)
        .round(0)
        .clip(lower_bound=0)
    )
    unplanned = (pl.col("programmed_c").fill_null(0) == 0) & (_noise(seed, 2) < pl.col("unplanned"))
    frame = (
        drivers.join(calendar.lazy(), how="cross")
        .with_columns(
            k=(pl.col("vigencia").cast(pl.Int32) - VIGENCIAS[0]) * per_year + pl.col("step"),
            programmed_c=programmed.cast(pl.Int64),
        )
        .with_columns(
            executed_c=pl.when(unplanned)
            .then((pl.col("target_c") // 10).clip(lower_bound=1) + base.cast(pl.Int64))
            .when(pl.col("programmed_c").fill_null(0) == 0)
            .then(pl.when(pl.col("programmed_c").is_null()).then(None).otherwise(0))
            .when(_noise(seed, 3) < pl.col("missing"))
            .then(None)
            .otherwise(executed.cast(pl.Int64)),
            analysis_index=pl.when(_noise(seed, 4) < pl.col("silent"))
            .then(0)
            .otherwise((_noise(seed, 5) * (len(names.ANALYSES) - 1)).floor().cast(pl.Int64) + 1),
        )
    )
    # A row with nothing programmed and nothing reported is sometimes absent altogether.
    frame = frame.filter(
        pl.col("programmed_c").fill_null(0).ne(0)
        | pl.col("executed_c").is_not_null()
        | (_noise(seed, 6) < 0.5)
    )
    cut = pl.date(pl.col("vigencia").cast(pl.Int32), pl.col("month").cast(pl.Int32), 1)
    return frame.select(
        pl.col("indicator_id"),
        cut.dt.month_end().alias("cut"),
        pl.col("programmed_c"),
        pl.col("executed_c"),
        pl.col("analysis_index")
        .replace_strict(
            list(range(len(names.ANALYSES))), list(names.ANALYSES), return_dtype=ANALYSIS
        )
        .alias("analysis"),
    )
