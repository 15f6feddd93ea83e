"""A whole cut of many plans in one pass with polars: the engine's rules (DESIGN §2–3,
docs/metodo.md) as column expressions. ``cascada.engine`` stays the reference; the tests compare
every number with it.

Floats stand for the engine's Decimals. The one place where that could show is rounding to two
decimals for status and semáforo; ``shown`` adds a margin far below any real difference (values
are ratios of amounts with at most six decimals) and far above float64 noise.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from cascada.columnar.frames import ALERT_BITS, CutInputs, CutResults
from cascada.engine.model import Alert, EngineInputError, Status

ROUNDING_MARGIN = 1e-9  # in hundredths of a percent point

IN_CUT = (Status.CUMPLIDA, Status.SOBREEJECUTADA, Status.EN_REZAGO, Status.SIN_REPORTE)
NEEDS_ANALYSIS = (Status.EN_REZAGO, Status.SOBREEJECUTADA, Status.EJECUTADA_SIN_PROGRAMACION)
LEVEL_TYPES = ("creciente", "decreciente")


def shown(value: pl.Expr) -> pl.Expr:
    """Half-up to two decimals, as ``display.round_half_up`` (values are never negative)."""
    return (value * 100 + 0.5 + ROUNDING_MARGIN).floor() / 100


def ratio(
    acc: pl.Expr, executed: pl.Expr, target: pl.Expr, baseline: pl.Expr
) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(value, retroceso, meta_igual_linea_base) of ``progress.ratio``; null inputs give null."""
    rising = acc == "creciente"
    level = acc.is_in(LEVEL_TYPES)
    gained = pl.when(rising).then(executed - baseline).otherwise(baseline - executed)
    wanted = pl.when(rising).then(target - baseline).otherwise(baseline - target)
    met = pl.when(rising).then(executed >= target).otherwise(executed <= target)
    flat = level & (wanted == 0)
    raw = (
        pl.when(level)
        .then(
            pl.when(flat)
            .then(pl.when(met).then(100.0).otherwise(0.0))
            .otherwise(gained / wanted * 100)
        )
        .otherwise(pl.when(target == 0).then(None).otherwise(executed / target * 100))
    )
    negative = raw < 0
    value = pl.when(negative).then(0.0).otherwise(raw)
    return value, negative.fill_null(False), flat.fill_null(False)


def _weight_flags(weights: pl.LazyFrame, level: str, vigencia: int) -> pl.LazyFrame:
    """Plans that give weights at ``level`` in ``vigencia`` (the others use equal weights)."""
    return (
        weights.filter((pl.col("level") == level) & (pl.col("vigencia") == vigencia))
        .select("plan_id")
        .unique()
        .with_columns(pl.lit(True).alias(f"has_{level}"))
    )


def _semaforo(value: str, bands: pl.DataFrame) -> pl.Expr:
    """The colour of ``value`` by the plan's bands, checked from the highest ``lower`` down;
    ``bands`` wide: lower_<n>, inclusive_<n>, color_<n> joined on each row."""
    count = sum(1 for c in bands.columns if c.startswith("lower_"))
    rounded = shown(pl.col(value))
    expr: pl.Expr = pl.lit(None, dtype=pl.String)
    for n in reversed(range(count)):
        lower, inclusive = pl.col(f"lower_{n}"), pl.col(f"inclusive_{n}")
        hit = (rounded > lower) | (inclusive & (rounded == lower))
        expr = pl.when(hit.fill_null(False)).then(pl.col(f"color_{n}")).otherwise(expr)
    return pl.when(pl.col(value).is_null()).then(None).otherwise(expr)


def wide_bands(bands: pl.DataFrame) -> pl.DataFrame:
    """One row per plan: its bands from the highest ``lower`` down as numbered columns."""
    ranked = bands.sort(["plan_id", "lower"], descending=[False, True]).with_columns(
        pl.int_range(pl.len()).over("plan_id").alias("n")
    )
    count = int(ranked.select(pl.col("n").max()).item() or 0) + 1 if ranked.height else 0
    wide = ranked.select("plan_id").unique()
    for n in range(count):
        part = ranked.filter(pl.col("n") == n).select(
            "plan_id",
            pl.col("lower").alias(f"lower_{n}"),
            pl.col("inclusive").alias(f"inclusive_{n}"),
            pl.col("color").alias(f"color_{n}"),
        )
        wide = wide.join(part, on="plan_id", how="left")
    return wide


def _earlier_vigencias(inputs: CutInputs, vigencia: int) -> pl.LazyFrame:
    """``suma`` with a four-year target: what each earlier vigencia executed at its last reported
    cut, summed (``earlier``). The heaviest part of a cut (every progress row before the
    vigencia), so: a plain ``is_in`` instead of a join to choose the indicators, and one integer
    key per (indicator, year) instead of two group keys."""
    chosen = inputs.indicators.filter(
        (pl.col("accumulation") == "suma") & pl.col("target_4y").is_not_null()
    )["indicator_id"]
    year_key = pl.col("indicator_id").cast(pl.Int64) * 65_536 + pl.col("cut").dt.year()
    return (
        inputs.progress.lazy()
        .filter(
            (pl.col("cut") < date(vigencia, 1, 1))
            & pl.col("executed").is_not_null()
            & pl.col("indicator_id").is_in(chosen.implode())
        )
        .group_by(year_key.alias("year_key"))
        .agg(pl.col("executed").sort_by("cut").last())
        .group_by((pl.col("year_key") // 65_536).cast(pl.Int32).alias("indicator_id"))
        .agg(pl.col("executed").sum().alias("earlier"))
    )


def compute_cut_columnar(inputs: CutInputs, *, cut: date) -> CutResults:
    """Every indicator, objective and plan of ``inputs`` at ``cut`` (DESIGN §2–3)."""
    vigencia = cut.year
    bands = wide_bands(inputs.bands)
    weights = inputs.weights.lazy()
    # One small row per plan (policy, bands, whether it gives weights at each level this
    # vigencia), built once and joined to indicators and objectives alike.
    plans = (
        inputs.plans.lazy()
        .join(bands.lazy(), on="plan_id", how="left")
        .join(_weight_flags(weights, "indicador", vigencia), on="plan_id", how="left")
        .join(_weight_flags(weights, "objetivo", vigencia), on="plan_id", how="left")
        .collect(engine="in-memory")
        .lazy()
    )
    annual = inputs.annual.lazy()
    this_year = annual.filter(pl.col("vigencia") == vigencia).select(
        "indicator_id",
        pl.col("target").alias("annual_target"),
        pl.col("baseline").alias("annual_baseline"),
    )
    # LB₀ of the cuatrienio: the indicator's own, else its first vigencia's.
    first_year = annual.group_by("indicator_id").agg(
        pl.col("baseline").sort_by("vigencia").first().alias("first_baseline")
    )
    rows = inputs.progress.lazy().filter(pl.col("cut") == cut).drop("cut")
    earlier = _earlier_vigencias(inputs, vigencia)
    indicator_weights = weights.filter(
        (pl.col("level") == "indicador") & (pl.col("vigencia") == vigencia)
    ).select(pl.col("target_id").alias("indicator_id"), pl.col("weight").alias("given"))

    acc = pl.col("accumulation")
    programmed, executed = pl.col("programmed"), pl.col("executed")
    in_force = pl.col("annual_target").is_not_null()
    base = pl.coalesce("annual_baseline", "baseline")
    frame = (
        inputs.indicators.lazy()
        .join(this_year, on="indicator_id", how="left")
        .join(rows, on="indicator_id", how="left")
        .join(first_year, on="indicator_id", how="left")
        .join(earlier, on="indicator_id", how="left")
        .join(indicator_weights, on="indicator_id", how="left")
        .join(plans.drop("has_objetivo"), on="plan_id", how="left")
        .with_columns(
            lb=pl.when(in_force).then(base.fill_null(0.0)),
            lb_missing=in_force & base.is_null() & (acc == "decreciente"),
            lb4=pl.coalesce("baseline", "first_baseline").fill_null(0.0),
            lb4_missing=in_force
            & pl.col("target_4y").is_not_null()
            & executed.is_not_null()
            & pl.coalesce("baseline", "first_baseline").is_null()
            & (acc == "decreciente"),
        )
    )
    cut_value, cut_back, cut_flat = ratio(acc, executed, programmed, pl.col("lb"))
    year_value, year_back, year_flat = ratio(acc, executed, pl.col("annual_target"), pl.col("lb"))
    suma_4y = pl.col("earlier").fill_null(0.0) + executed
    four_value, four_back, four_flat = ratio(
        acc,
        pl.when(acc == "suma").then(suma_4y).otherwise(executed),
        pl.col("target_4y"),
        pl.when(acc == "suma").then(0.0).otherwise(pl.col("lb4")),
    )
    unprogrammed = programmed.is_null() | (programmed == 0)
    reported = executed.is_not_null()
    measured = in_force & ~unprogrammed & reported
    has_weights = pl.col("has_indicador").fill_null(False)
    frame = frame.with_columns(
        progress_cut=pl.when(measured).then(cut_value),
        cut_back=measured & cut_back,
        cut_flat=measured & cut_flat,
        progress_year=pl.when(in_force & reported).then(year_value),
        year_back=in_force & reported & year_back,
        year_flat=in_force & reported & year_flat,
        progress_4y=pl.when(in_force & reported).then(four_value),
        four_back=in_force & reported & four_back,
        four_flat=in_force & reported & four_flat,
        weight=pl.when(in_force & has_weights).then(pl.col("given")),
        rollup_weight=pl.when(has_weights).then(pl.col("given").fill_null(0.0)).otherwise(1.0),
    )
    rounded = shown(pl.col("progress_cut").fill_null(0.0))
    status = (
        pl.when(~in_force)
        .then(pl.lit(Status.NO_VIGENTE.value))
        .when(unprogrammed & (executed.is_null() | (executed == 0)))
        .then(pl.lit(Status.NO_PROGRAMADA.value))
        .when(unprogrammed)
        .then(pl.lit(Status.EJECUTADA_SIN_PROGRAMACION.value))
        .when(~reported)
        .then(pl.lit(Status.SIN_REPORTE.value))
        .when(rounded < 100)
        .then(pl.lit(Status.EN_REZAGO.value))
        .when(rounded > pl.col("threshold"))
        .then(pl.lit(Status.SOBREEJECUTADA.value))
        .otherwise(pl.lit(Status.CUMPLIDA.value))
    )
    frame = frame.with_columns(status=status)
    st = pl.col("status")

    def bit(alert: Alert, condition: pl.Expr) -> pl.Expr:
        return pl.when(condition).then(ALERT_BITS[alert]).otherwise(0)

    alerts = (
        bit(Alert.SIN_REPORTE, st == Status.SIN_REPORTE.value)
        + bit(Alert.EJECUTADA_SIN_PROGRAMACION, st == Status.EJECUTADA_SIN_PROGRAMACION.value)
        + bit(
            Alert.ANALISIS_FALTANTE,
            st.is_in([s.value for s in NEEDS_ANALYSIS]) & ~pl.col("has_analysis").fill_null(False),
        )
        + bit(Alert.RETROCESO, pl.col("cut_back") | pl.col("year_back") | pl.col("four_back"))
        + bit(
            Alert.META_IGUAL_LINEA_BASE,
            pl.col("cut_flat") | pl.col("year_flat") | pl.col("four_flat"),
        )
    )
    cap = pl.col("cap")

    def used(value: str) -> pl.Expr:
        v = pl.col(value).fill_null(0.0)
        return pl.when(cap.is_not_null() & (v > cap)).then(cap).otherwise(v)

    frame = frame.with_columns(
        alerts=alerts.cast(pl.Int32),
        semaforo=_semaforo("progress_cut", bands),
        in_cut=st.is_in([s.value for s in IN_CUT]),
        in_year=in_force & (pl.col("annual_target") > 0).fill_null(False),
        in_4y=in_force & (pl.col("target_4y").fill_null(0.0) > 0),
        used_cut=used("progress_cut"),
        used_year=used("progress_year"),
        used_4y=used("progress_4y"),
    )
    w = pl.col("rollup_weight")

    def total(flag: str) -> pl.Expr:
        return pl.when(pl.col(flag)).then(w).otherwise(0.0).sum()

    def mean(flag: str, value: str) -> pl.Expr:
        weighted = pl.when(pl.col(flag)).then(pl.col(value) * w).otherwise(0.0).sum()
        return pl.when(total(flag) != 0).then(weighted / total(flag))

    # Only what the results and the rollups read: the intermediate columns (bands, flags,
    # partial ratios) are never materialised for 341.000 rows.
    collected = frame.select(
        "indicator_id",
        "objective_id",
        "plan_id",
        "status",
        "programmed",
        "executed",
        "annual_target",
        "lb",
        "progress_cut",
        "progress_year",
        "progress_4y",
        "weight",
        "semaforo",
        "alerts",
        "rollup_weight",
        "in_cut",
        "in_year",
        "in_4y",
        "used_cut",
        "used_year",
        "used_4y",
        (pl.col("lb_missing") | pl.col("lb4_missing")).alias("lb_missing"),
    ).collect()
    if collected["lb_missing"].any():
        raise EngineInputError("Un indicador decreciente no tiene línea base.")
    by_objective = (
        collected.lazy()
        .group_by("objective_id")
        .agg(
            mean("in_cut", "used_cut").alias("compliance"),
            mean("in_year", "used_year").alias("year"),
            mean("in_4y", "used_4y").alias("four_year"),
            total("in_cut").alias("cut_total"),
        )
        # Once: both the indicators' effective weights and the objectives read it. From here on
        # the inputs are in memory and small or already computed: the in-memory engine is
        # quicker than the streaming one for such steps.
        .collect(engine="in-memory")
        .lazy()
    )
    indicators = (
        collected.lazy()
        .join(by_objective.select("objective_id", "cut_total"), on="objective_id", how="left")
        .with_columns(
            effective_weight=pl.when(pl.col("in_cut")).then(
                pl.when(pl.col("cut_total") != 0).then(w / pl.col("cut_total") * 100).otherwise(0.0)
            ),
            baseline=pl.col("lb"),
        )
        .select(
            "indicator_id",
            "objective_id",
            "plan_id",
            "status",
            "programmed",
            "executed",
            "annual_target",
            "baseline",
            "progress_cut",
            "progress_year",
            "progress_4y",
            "weight",
            "effective_weight",
            "semaforo",
            "alerts",
        )
        .sort("indicator_id")
    )

    objective_weights = weights.filter(
        (pl.col("level") == "objetivo") & (pl.col("vigencia") == vigencia)
    ).select(pl.col("target_id").alias("objective_id"), pl.col("weight").alias("given"))
    objectives = (
        inputs.objectives.lazy()
        .join(by_objective.drop("cut_total"), on="objective_id", how="left")
        .join(objective_weights, on="objective_id", how="left")
        .join(plans.drop("has_indicador"), on="plan_id", how="left")
        .with_columns(
            weight=pl.when(pl.col("has_objetivo").fill_null(False)).then(pl.col("given")),
            rollup_weight=pl.when(pl.col("has_objetivo").fill_null(False))
            .then(pl.col("given").fill_null(0.0))
            .otherwise(1.0),
            semaforo=_semaforo("compliance", bands),
        )
        .collect(engine="in-memory")
    )

    def plan_mean(value: str) -> pl.Expr:
        included = pl.col(value).is_not_null()
        weight_sum = pl.when(included).then(w).otherwise(0.0).sum()
        weighted = pl.when(included).then(pl.col(value) * w).otherwise(0.0).sum()
        return pl.when(weight_sum != 0).then(weighted / weight_sum).alias(value)

    plan_values = (
        objectives.lazy()
        .group_by("plan_id")
        .agg(plan_mean("compliance"), plan_mean("year"), plan_mean("four_year"))
    )
    plan_frame = (
        plans.join(plan_values, on="plan_id", how="left")
        .with_columns(semaforo=_semaforo("compliance", bands))
        .select("plan_id", "compliance", "year", "four_year", "semaforo")
        .sort("plan_id")
    )
    return CutResults(
        indicators=indicators.collect(engine="in-memory"),
        objectives=objectives.select(
            "objective_id", "plan_id", "compliance", "year", "four_year", "semaforo", "weight"
        ).sort("objective_id"),
        plans=plan_frame.collect(engine="in-memory"),
    )
