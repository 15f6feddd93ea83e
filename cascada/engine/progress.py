"""One indicator at one cut (DESIGN §2): % al corte, % vigencia, % cuatrienio, status, alerts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

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

_NO_PROGRESS = Progress()  # an indicator without a row at the cut (immutable: shared)


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
    value, alert = _ratio(accumulation, executed, target, baseline)
    return Ratio(value, frozenset() if alert is None else frozenset({alert}))


def _ratio(
    accumulation: Accumulation, executed: Decimal, target: Decimal, baseline: Decimal
) -> tuple[Decimal | None, Alert | None]:
    """``ratio`` as a value and the one alert it may raise, without building a ``Ratio``
    (this runs up to three times for every indicator of every cut)."""
    if accumulation in (Accumulation.SUMA, Accumulation.CONSTANTE):
        if target == 0:
            return None, None
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
            return (HUNDRED if met else ZERO), Alert.META_IGUAL_LINEA_BASE
        value = gained / wanted * HUNDRED
    if value < 0:
        return ZERO, Alert.RETROCESO
    return value, None


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


# Sorted bands by the ``id`` of the tuple given, which the entry keeps alive (so the id is not
# reused while cached): hashing the bands on every call cost more than the lookup saves.
_SORTED_BANDS: dict[int, tuple[tuple[Band, ...], tuple[Band, ...]]] = {}


def _highest_first(bands: tuple[Band, ...]) -> tuple[Band, ...]:
    """``bands`` from the highest ``lower`` down (stable), sorted once per set of bands."""
    found = _SORTED_BANDS.get(id(bands))
    if found is not None and found[0] is bands:
        return found[1]
    if len(_SORTED_BANDS) >= 64:
        _SORTED_BANDS.clear()
    ordered = tuple(sorted(bands, key=lambda b: b.lower, reverse=True))
    _SORTED_BANDS[id(bands)] = (bands, ordered)
    return ordered


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
    row = indicator.progress.get(cut)
    if row is None:
        row = _NO_PROGRESS
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

    accumulation = indicator.accumulation
    baseline = vigencia_baseline(indicator, vigencia)
    programmed, executed = row.programmed, row.executed
    alerts: set[Alert] = set()
    cut_value: Decimal | None = None

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
        cut_value, alert = _ratio(accumulation, executed, programmed, baseline)
        if alert is not None:
            alerts.add(alert)
        # A zero-target suma/constante cannot reach here: programmed != 0.
        status = classify(cut_value if cut_value is not None else ZERO, policy)

    year_value: Decimal | None = None
    four_year_value: Decimal | None = None
    if executed is not None:
        year_value, alert = _ratio(accumulation, executed, annual.target, baseline)
        if alert is not None:
            alerts.add(alert)
        if indicator.target_4y is not None:
            four_year_value, alert = _four_year(
                indicator,
                executed=executed,
                target=indicator.target_4y,
                vigencia=vigencia,
                by_vigencia=by_vigencia,
            )
            if alert is not None:
                alerts.add(alert)

    if status in NEEDS_ANALYSIS and not row.analysis.strip():
        alerts.add(Alert.ANALISIS_FALTANTE)

    return IndicatorResult(
        code=indicator.code,
        status=status,
        programmed=programmed,
        executed=executed,
        annual_target=annual.target,
        baseline=baseline,
        progress_cut=cut_value,
        progress_year=year_value,
        progress_4y=four_year_value,
        weight=weight,
        effective_weight=None,
        semaforo=semaforo(cut_value, policy.bands),
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
) -> tuple[Decimal | None, Alert | None]:
    if indicator.accumulation is Accumulation.SUMA:
        earlier = executed_in_earlier_vigencias(indicator, vigencia, by_vigencia=by_vigencia)
        return _ratio(Accumulation.SUMA, earlier + executed, target, ZERO)
    return _ratio(
        indicator.accumulation,
        executed,
        target,
        _required_baseline(indicator, four_year_baseline(indicator)),
    )


def four_year_baseline(indicator: IndicatorSpec) -> Decimal | None:
    """The indicator's own baseline, else the one of its first vigencia (the plan's start)."""
    if indicator.baseline is not None or not indicator.annual_targets:
        return indicator.baseline
    return indicator.annual_targets[min(indicator.annual_targets)].baseline
