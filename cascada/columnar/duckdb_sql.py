"""The measurement method (DESIGN §2–3) written a second time, independently, as DuckDB SQL.

It reads the same ``CutInputs`` frames (loaded once into an in-process DuckDB database) and
returns the same ``CutResults`` shape as the polars path, so the three implementations (engine,
polars, SQL) can be compared number by number. The SQL follows the specification's wording:
each indicator's three ratios, its status and alerts, then weighted means per objective and per
plan over what each figure includes, capped per indicator inside the rollups.
"""

# The SQL is built from constants and dates formatted here, never from user input.
# ruff: noqa: S608

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from cascada.columnar.frames import ALERT_BITS, INPUT_SCHEMAS, CutInputs, CutResults
from cascada.engine.model import Alert, EngineInputError

_MACROS = """
CREATE OR REPLACE TEMP MACRO shown(x) AS floor(x * 100 + 0.5 + 1e-9) / 100;
-- progress before the never-negative rule; NULL where undefined (zero target of suma/constante)
CREATE OR REPLACE TEMP MACRO raw_ratio(kind, e, t, b) AS CASE
    WHEN kind IN ('suma', 'constante') THEN CASE WHEN t = 0 THEN NULL ELSE e / t * 100 END
    WHEN kind = 'creciente' THEN CASE
        WHEN t = b THEN CASE WHEN e >= t THEN 100.0 ELSE 0.0 END
        ELSE (e - b) / (t - b) * 100 END
    ELSE CASE
        WHEN t = b THEN CASE WHEN e <= t THEN 100.0 ELSE 0.0 END
        ELSE (b - e) / (b - t) * 100 END
END;
CREATE OR REPLACE TEMP MACRO clamp0(x) AS CASE WHEN x < 0 THEN 0.0 ELSE x END;
CREATE OR REPLACE TEMP MACRO went_back(x) AS coalesce(x < 0, false);
CREATE OR REPLACE TEMP MACRO flat_target(kind, t, b) AS
    coalesce(kind IN ('creciente', 'decreciente') AND t = b, false);
CREATE OR REPLACE TEMP MACRO capped(x, cap) AS
    CASE WHEN cap IS NOT NULL AND x > cap THEN cap ELSE x END;
"""


def load_inputs(inputs: CutInputs) -> duckdb.DuckDBPyConnection:
    """A new in-process DuckDB database holding ``inputs`` as tables of the same names."""
    connection = duckdb.connect()
    for name, schema in INPUT_SCHEMAS.items():
        frame: pl.DataFrame = getattr(inputs, name).select(list(schema))
        # Arrow's C stream: no copy through Python objects, and no pyarrow needed.
        connection.from_arrow(frame.__arrow_c_stream__()).create(name)
    connection.execute(_MACROS)
    return connection


def _frame(relation: duckdb.DuckDBPyRelation) -> pl.DataFrame:
    """A query's result as polars through Arrow's C stream (``.pl()`` would need pyarrow)."""
    return pl.DataFrame(relation)


def _indicator_sql(cut: date) -> str:
    vigencia = cut.year
    bit = {alert: ALERT_BITS[alert] for alert in Alert}
    return f"""
WITH
this_year AS (
    SELECT indicator_id, target AS annual_target, baseline AS annual_baseline
    FROM annual WHERE vigencia = {vigencia}
),
first_year AS (
    SELECT a.indicator_id, a.baseline AS first_baseline
    FROM annual a
    JOIN (SELECT indicator_id, min(vigencia) AS vigencia FROM annual GROUP BY indicator_id) m
      USING (indicator_id, vigencia)
),
at_cut AS (
    SELECT indicator_id, programmed, executed, has_analysis
    FROM progress WHERE cut = DATE '{cut.isoformat()}'
),
closing AS (  -- suma: each earlier vigencia's executed at its last reported cut
    SELECT p.indicator_id, year(p.cut) AS y, arg_max(p.executed, p.cut) AS executed
    FROM progress p
    JOIN indicators i USING (indicator_id)
    WHERE i.accumulation = 'suma' AND i.target_4y IS NOT NULL
      AND p.executed IS NOT NULL AND year(p.cut) < {vigencia}
    GROUP BY p.indicator_id, year(p.cut)
),
earlier AS (SELECT indicator_id, sum(executed) AS earlier FROM closing GROUP BY indicator_id),
indicator_weights AS (
    SELECT target_id AS indicator_id, weight AS given FROM weights
    WHERE level = 'indicador' AND vigencia = {vigencia}
),
weighted_plans AS (
    SELECT DISTINCT plan_id FROM weights WHERE level = 'indicador' AND vigencia = {vigencia}
),
facts AS (
    SELECT i.indicator_id, i.objective_id, i.plan_id, i.accumulation AS kind,
           y.annual_target, i.target_4y, c.programmed AS p, c.executed AS e,
           coalesce(c.has_analysis, false) AS has_analysis,
           y.annual_target IS NOT NULL AS in_force,
           CASE WHEN y.annual_target IS NOT NULL
                THEN coalesce(y.annual_baseline, i.baseline) END AS lb_given,
           coalesce(i.baseline, f.first_baseline) AS lb4_given,
           coalesce(x.earlier, 0) AS earlier,
           w.given, wp.plan_id IS NOT NULL AS has_weights,
           pl.cap, pl.threshold
    FROM indicators i
    LEFT JOIN this_year y USING (indicator_id)
    LEFT JOIN at_cut c USING (indicator_id)
    LEFT JOIN first_year f USING (indicator_id)
    LEFT JOIN earlier x USING (indicator_id)
    LEFT JOIN indicator_weights w USING (indicator_id)
    LEFT JOIN weighted_plans wp ON wp.plan_id = i.plan_id
    LEFT JOIN plans pl ON pl.plan_id = i.plan_id
),
cases AS (
    SELECT *,
        CASE WHEN in_force THEN coalesce(lb_given, 0) END AS lb,
        coalesce(lb4_given, 0) AS lb4,
        in_force AND coalesce(p, 0) <> 0 AND e IS NOT NULL AS measured,
        in_force AND e IS NOT NULL AS reported,
        CASE
            WHEN NOT in_force THEN 'no_vigente'
            WHEN coalesce(p, 0) = 0 AND coalesce(e, 0) = 0 THEN 'no_programada'
            WHEN coalesce(p, 0) = 0 THEN 'ejecutada_sin_programacion'
            WHEN e IS NULL THEN 'sin_reporte'
        END AS early_status
    FROM facts
),
ratios AS (
    SELECT *,
        CASE WHEN measured THEN raw_ratio(kind, e, p, lb) END AS raw_cut,
        CASE WHEN reported THEN raw_ratio(kind, e, annual_target, lb) END AS raw_year,
        CASE WHEN reported AND target_4y IS NOT NULL THEN
            CASE WHEN kind = 'suma' THEN raw_ratio('suma', earlier + e, target_4y, 0)
                 ELSE raw_ratio(kind, e, target_4y, lb4) END
        END AS raw_4y
    FROM cases
),
classified AS (
    SELECT *,
        clamp0(raw_cut) AS progress_cut,
        clamp0(raw_year) AS progress_year,
        clamp0(raw_4y) AS progress_4y,
        coalesce(early_status, CASE
            WHEN shown(clamp0(raw_cut)) < 100 THEN 'en_rezago'
            WHEN shown(clamp0(raw_cut)) > threshold THEN 'sobreejecutada'
            ELSE 'cumplida' END) AS status,
        (measured AND flat_target(kind, p, lb))
            OR (reported AND flat_target(kind, annual_target, lb))
            OR (reported AND target_4y IS NOT NULL AND kind <> 'suma'
                AND flat_target(kind, target_4y, lb4)) AS flat,
        went_back(raw_cut) OR went_back(raw_year) OR went_back(raw_4y) AS back,
        in_force AND kind = 'decreciente'
            AND (lb_given IS NULL OR (reported AND target_4y IS NOT NULL AND lb4_given IS NULL))
            AS no_baseline
    FROM ratios
)
SELECT c.*,
    CASE WHEN status = 'sin_reporte' THEN {bit[Alert.SIN_REPORTE]} ELSE 0 END
    + CASE WHEN status = 'ejecutada_sin_programacion'
           THEN {bit[Alert.EJECUTADA_SIN_PROGRAMACION]} ELSE 0 END
    + CASE WHEN status IN ('en_rezago', 'sobreejecutada', 'ejecutada_sin_programacion')
                AND NOT has_analysis THEN {bit[Alert.ANALISIS_FALTANTE]} ELSE 0 END
    + CASE WHEN back THEN {bit[Alert.RETROCESO]} ELSE 0 END
    + CASE WHEN flat THEN {bit[Alert.META_IGUAL_LINEA_BASE]} ELSE 0 END AS alerts,
    CASE WHEN in_force AND has_weights THEN given END AS weight,
    CASE WHEN has_weights THEN coalesce(given, 0) ELSE 1 END AS w,
    status IN ('cumplida', 'sobreejecutada', 'en_rezago', 'sin_reporte') AS in_cut,
    coalesce(in_force AND annual_target > 0, false) AS in_year,
    in_force AND coalesce(target_4y, 0) > 0 AS in_4y
FROM classified c
"""


def _semaforo_sql(table: str, key: str, value: str) -> str:
    """The colour of each row's ``value``: among the plan's bands it reaches (above ``lower``,
    or at it when inclusive), the one with the highest ``lower``."""
    return f"""
SELECT t.{key}, arg_max(b.color, b.lower) AS semaforo
FROM {table} t JOIN bands b ON b.plan_id = t.plan_id
WHERE t.{value} IS NOT NULL
  AND (shown(t.{value}) > b.lower OR (b.inclusive AND shown(t.{value}) = b.lower))
GROUP BY t.{key}
"""


def _mean(flag: str, value: str) -> str:
    total = f"sum(CASE WHEN {flag} THEN w ELSE 0 END)"
    return (
        f"CASE WHEN {total} <> 0 THEN "
        f"sum(CASE WHEN {flag} THEN capped(coalesce({value}, 0), cap) * w ELSE 0 END) / {total} "
        "END"
    )


def compute_cut_duckdb(
    inputs: CutInputs, *, cut: date, connection: duckdb.DuckDBPyConnection | None = None
) -> CutResults:
    """Every indicator, objective and plan at ``cut``; pass the ``connection`` of
    ``load_inputs(inputs)`` to reuse loaded tables (the benchmark times only the SQL)."""
    con = connection if connection is not None else load_inputs(inputs)
    vigencia = cut.year
    con.execute(f"CREATE OR REPLACE TEMP TABLE indicator_cut AS {_indicator_sql(cut)}")
    if con.execute("SELECT count(*) FROM indicator_cut WHERE no_baseline").fetchone() != (0,):
        raise EngineInputError("Un indicador decreciente no tiene línea base.")
    con.execute(
        f"""
CREATE OR REPLACE TEMP TABLE objective_cut AS
WITH rolled AS (
    SELECT objective_id,
        {_mean("in_cut", "progress_cut")} AS compliance,
        {_mean("in_year", "progress_year")} AS year,
        {_mean("in_4y", "progress_4y")} AS four_year,
        sum(CASE WHEN in_cut THEN w ELSE 0 END) AS cut_total
    FROM indicator_cut GROUP BY objective_id
),
given AS (
    SELECT target_id AS objective_id, weight AS given FROM weights
    WHERE level = 'objetivo' AND vigencia = {vigencia}
),
weighted_plans AS (
    SELECT DISTINCT plan_id FROM weights WHERE level = 'objetivo' AND vigencia = {vigencia}
)
SELECT o.objective_id, o.plan_id, r.compliance, r.year, r.four_year, r.cut_total,
    CASE WHEN wp.plan_id IS NOT NULL THEN g.given END AS weight,
    CASE WHEN wp.plan_id IS NOT NULL THEN coalesce(g.given, 0) ELSE 1 END AS w
FROM objectives o
LEFT JOIN rolled r USING (objective_id)
LEFT JOIN given g USING (objective_id)
LEFT JOIN weighted_plans wp ON wp.plan_id = o.plan_id
"""
    )

    def plan_mean(value: str) -> str:
        total = f"sum(CASE WHEN {value} IS NOT NULL THEN w ELSE 0 END)"
        return (
            f"CASE WHEN {total} <> 0 THEN "
            f"sum(CASE WHEN {value} IS NOT NULL THEN {value} * w ELSE 0 END) / {total} END"
        )

    plans = _frame(
        con.sql(
            f"""
WITH rolled AS (
    SELECT plan_id, {plan_mean("compliance")} AS compliance, {plan_mean("year")} AS year,
        {plan_mean("four_year")} AS four_year
    FROM objective_cut GROUP BY plan_id
),
joined AS (SELECT p.plan_id, r.compliance, r.year, r.four_year
           FROM plans p LEFT JOIN rolled r USING (plan_id))
SELECT j.*, s.semaforo FROM joined j
LEFT JOIN ({_semaforo_sql("joined", "plan_id", "compliance")}) s USING (plan_id)
ORDER BY plan_id
"""
        )
    )
    objectives = _frame(
        con.sql(
            f"""
SELECT o.objective_id, o.plan_id, o.compliance, o.year, o.four_year, s.semaforo, o.weight
FROM objective_cut o
LEFT JOIN ({_semaforo_sql("objective_cut", "objective_id", "compliance")}) s
  USING (objective_id)
ORDER BY objective_id
"""
        )
    )
    indicators = _frame(
        con.sql(
            f"""
SELECT i.indicator_id, i.objective_id, i.plan_id, i.status, i.p AS programmed, i.e AS executed,
    i.annual_target, i.lb AS baseline, i.progress_cut, i.progress_year, i.progress_4y, i.weight,
    CASE WHEN i.in_cut THEN
        CASE WHEN o.cut_total <> 0 THEN i.w / o.cut_total * 100 ELSE 0.0 END
    END AS effective_weight,
    s.semaforo, CAST(i.alerts AS INTEGER) AS alerts
FROM indicator_cut i
JOIN objective_cut o USING (objective_id)
LEFT JOIN ({_semaforo_sql("indicator_cut", "indicator_id", "progress_cut")}) s
  USING (indicator_id)
ORDER BY indicator_id
"""
        )
    )
    return CutResults(indicators=indicators, objectives=objectives, plans=plans)
