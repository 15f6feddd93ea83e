"""One indicator at one cut (DESIGN §2): % al corte, % vigencia, % cuatrienio, status, alerts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from cascada.engine.display import round_half_up
from cascada.engine.model import (
    HUNDRED,
    Accumulation,
    Alert,
    Band,
    EngineInputError,
    IndicatorResult,
    IndicatorSpec,
    Policy,
    Progress,
    Status,
)

ZERO = Decimal(0)

# Statuses whose figure needs a qualitative analysis (DESIGN §2).
NEEDS_ANALYSIS = frozenset(
    {Status.EN_REZAGO, Status.SOBREEJECUTADA, Status.EJECUTADA_SIN_PROGRAMACION}
)
# Statuses that take part in the cut's rollup (sin_reporte counts as 0 %).
IN_CUT_ROLLUP = frozenset(
    {Status.CUMPLIDA, Status.SOBREEJECUTADA, Status.EN_REZAGO, Status.SIN_REPORTE}
)


# The order alerts are listed in (the enum's): a tuple, since iterating the enum itself is slow
# in the inner loop of a plan's cuts.
ALERT_ORDER = tuple(Alert)


@dataclass(frozen=True)
class Ratio:
    """A progress value and the alerts its computation raised."""

    value: Decimal | None
    alerts: frozenset[Alert] = frozenset()


def ratio(
    *, accumulation: Accumulation, executed: Decimal, target: Decimal, baseline: Decimal
) -> Ratio:
    """Progress of ``executed`` towards ``target`` in percent points, never negative.

    ``baseline`` only matters for ``creciente``/``decreciente``. ``None`` when undefined
    (a zero target for ``suma``/``constante``).
    """
    if accumulation in (Accumulation.SUMA, Accumulation.CONSTANTE):
        if target == 0:
            return Ratio(None)
        value = executed / target * HUNDRED
    else:
        gained, wanted = (
            (executed - baseline, target - baseline)
            if accumulation is Accumulation.CRECIENTE
            else (baseline - executed, baseline - target)
        )
        if wanted == 0:
            rising = accumulation is Accumulation.CRECIENTE
            met = executed >= target if rising else executed <= target
            return Ratio(HUNDRED if met else ZERO, frozenset({Alert.META_IGUAL_LINEA_BASE}))
        value = gained / wanted * HUNDRED
    if value < 0:
        return Ratio(ZERO, frozenset({Alert.RETROCESO}))
    return Ratio(value)


def classify(progress: Decimal, policy: Policy) -> Status:
    """Status of a programmed, reported indicator, from its progress rounded to 2 decimals."""
    shown = round_half_up(progress)
    if shown < HUNDRED:
        return Status.EN_REZAGO
    if shown > policy.overexecution_threshold:
        return Status.SOBREEJECUTADA
    return Status.CUMPLIDA


def semaforo(value: Decimal | None, bands: tuple[Band, ...]) -> str | None:
    if value is None:
        return None
    shown = round_half_up(value)
    for band in _highest_first(bands):
        if shown > band.lower or (band.inclusive and shown == band.lower):
            return band.color
    return None


@lru_cache(maxsize=64)
def _highest_first(bands: tuple[Band, ...]) -> tuple[Band, ...]:
    """``bands`` from the highest ``lower`` down (stable), sorted once per set of bands."""
    return tuple(sorted(bands, key=lambda b: b.lower, reverse=True))


def vigencia_baseline(indicator: IndicatorSpec, vigencia: int) -> Decimal:
    """The baseline used in ``vigencia``: the year's own, else the indicator's; blank is 0 for
    ``creciente`` (as SEGPLAN computes accumulated levels) and an error for ``decreciente``."""
    annual = indicator.annual_targets.get(vigencia)
    baseline = annual.baseline if annual and annual.baseline is not None else indicator.baseline
    return _required_baseline(indicator, baseline)


def _required_baseline(indicator: IndicatorSpec, baseline: Decimal | None) -> Decimal:
    if baseline is not None:
        return baseline
    if indicator.accumulation is Accumulation.DECRECIENTE:
        raise EngineInputError(
            f"El indicador '{indicator.code}' es decreciente y no tiene línea base."
        )
    return ZERO


def executed_by_vigencia(indicator: IndicatorSpec) -> dict[int, Decimal]:
    """What each vigencia executed, taken at its last reported cut: one pass over the
    indicator's history, so that the cuts of a plan computed together share it."""
    last: dict[int, tuple[date, Decimal]] = {}
    for day, row in indicator.progress.items():
        if row.executed is None:
            continue
        if day.year not in last or day > last[day.year][0]:
            last[day.year] = (day, row.executed)
    return {year: value for year, (_, value) in last.items()}


def executed_in_earlier_vigencias(
    indicator: IndicatorSpec,
    vigencia: int,
    *,
    by_vigencia: Mapping[int, Decimal] | None = None,
) -> Decimal:
    """For ``suma``: what each earlier vigencia executed, taken at its last reported cut
    (``by_vigencia``: ``executed_by_vigencia(indicator)`` when already at hand)."""
    if by_vigencia is None:
        by_vigencia = executed_by_vigencia(indicator)
    return sum((value for year, value in by_vigencia.items() if year < vigencia), ZERO)


def evaluate_indicator(
    indicator: IndicatorSpec,
    *,
    cut: date,
    policy: Policy,
    weight: Decimal | None = None,
    by_vigencia: Mapping[int, Decimal] | None = None,
) -> IndicatorResult:
    """``by_vigencia``: ``executed_by_vigencia(indicator)``, when the caller computes several
    cuts of the same indicator (the result is the same with or without it)."""
    vigencia = cut.year
    annual = indicator.annual_targets.get(vigencia)
    row = indicator.progress.get(cut, Progress())
    if annual is None:
        return IndicatorResult(
            code=indicator.code,
            status=Status.NO_VIGENTE,
            programmed=row.programmed,
            executed=row.executed,
            annual_target=None,
            baseline=None,
            progress_cut=None,
            progress_year=None,
            progress_4y=None,
            weight=None,
            effective_weight=None,
            semaforo=None,
            alerts=(),
            analysis=row.analysis,
        )

    baseline = vigencia_baseline(indicator, vigencia)
    programmed, executed = row.programmed, row.executed
    alerts: set[Alert] = set()
    cut_ratio = Ratio(None)

    if programmed is None or programmed == 0:
        if executed is None or executed == 0:
            status = Status.NO_PROGRAMADA
        else:
            status = Status.EJECUTADA_SIN_PROGRAMACION
            alerts.add(Alert.EJECUTADA_SIN_PROGRAMACION)
    elif executed is None:
        status = Status.SIN_REPORTE
        alerts.add(Alert.SIN_REPORTE)
    else:
        cut_ratio = ratio(
            accumulation=indicator.accumulation,
            executed=executed,
            target=programmed,
            baseline=baseline,
        )
        # A zero-target suma/constante cannot reach here: programmed != 0.
        status = classify(cut_ratio.value if cut_ratio.value is not None else ZERO, policy)

    year_ratio = Ratio(None)
    four_year_ratio = Ratio(None)
    if executed is not None:
        year_ratio = ratio(
            accumulation=indicator.accumulation,
            executed=executed,
            target=annual.target,
            baseline=baseline,
        )
        if indicator.target_4y is not None:
            four_year_ratio = _four_year(
                indicator,
                executed=executed,
                target=indicator.target_4y,
                vigencia=vigencia,
                by_vigencia=by_vigencia,
            )

    for r in (cut_ratio, year_ratio, four_year_ratio):
        alerts |= r.alerts
    if status in NEEDS_ANALYSIS and not row.analysis.strip():
        alerts.add(Alert.ANALISIS_FALTANTE)

    return IndicatorResult(
        code=indicator.code,
        status=status,
        programmed=programmed,
        executed=executed,
        annual_target=annual.target,
        baseline=baseline,
        progress_cut=cut_ratio.value,
        progress_year=year_ratio.value,
        progress_4y=four_year_ratio.value,
        weight=weight,
        effective_weight=None,
        semaforo=semaforo(cut_ratio.value, policy.bands),
        alerts=tuple(a for a in ALERT_ORDER if a in alerts) if alerts else (),
        analysis=row.analysis,
    )


def _four_year(
    indicator: IndicatorSpec,
    *,
    executed: Decimal,
    target: Decimal,
    vigencia: int,
    by_vigencia: Mapping[int, Decimal] | None,
) -> Ratio:
    if indicator.accumulation is Accumulation.SUMA:
        earlier = executed_in_earlier_vigencias(indicator, vigencia, by_vigencia=by_vigencia)
        return ratio(
            accumulation=Accumulation.SUMA,
            executed=earlier + executed,
            target=target,
            baseline=ZERO,
        )
    return ratio(
        accumulation=indicator.accumulation,
        executed=executed,
        target=target,
        baseline=_required_baseline(indicator, four_year_baseline(indicator)),
    )


def four_year_baseline(indicator: IndicatorSpec) -> Decimal | None:
    """The indicator's own baseline, else the one of its first vigencia (the plan's start)."""
    if indicator.baseline is not None or not indicator.annual_targets:
        return indicator.baseline
    return indicator.annual_targets[min(indicator.annual_targets)].baseline
