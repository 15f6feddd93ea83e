"""What the engine reads and what it returns: plain, immutable values.

Everything is in the indicator's own unit; percentages are percent points (60.67 means 60,67 %).
The workbook reader and the database both build a ``PlanSpec``; every renderer reads a
``PlanResult``. Nothing here knows about Django, files or formatting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum


class Accumulation(StrEnum):
    """How an indicator's values add up over time (tipo de anualización)."""

    SUMA = "suma"
    CONSTANTE = "constante"
    CRECIENTE = "creciente"
    DECRECIENTE = "decreciente"


class Status(StrEnum):
    CUMPLIDA = "cumplida"
    SOBREEJECUTADA = "sobreejecutada"
    EN_REZAGO = "en_rezago"
    NO_PROGRAMADA = "no_programada"
    SIN_REPORTE = "sin_reporte"
    EJECUTADA_SIN_PROGRAMACION = "ejecutada_sin_programacion"
    NO_VIGENTE = "no_vigente"


class Alert(StrEnum):
    """Data-quality alerts; a cut cannot be published while one is open (DESIGN §2, §5)."""

    SIN_REPORTE = "sin_reporte"
    EJECUTADA_SIN_PROGRAMACION = "ejecutada_sin_programacion"
    ANALISIS_FALTANTE = "analisis_faltante"
    RETROCESO = "retroceso"
    META_IGUAL_LINEA_BASE = "meta_igual_linea_base"


class GoalKind(StrEnum):
    """Tipo de meta. Not used by the computation; shared vocabulary of every layer."""

    SECTORIAL = "sectorial"
    ESTRATEGICA = "estrategica"
    PROYECTO_INVERSION = "proyecto_inversion"
    ACTIVIDAD = "actividad"


class Level(StrEnum):
    """The two levels that carry weights."""

    INDICADOR = "indicador"
    OBJETIVO = "objetivo"


class EngineInputError(ValueError):
    """The spec breaks a rule the reader should already have enforced (e.g. no baseline for
    ``decreciente``). Readers turn their own located errors into messages; this is the backstop."""


HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Band:
    """One semáforo colour: applies from ``lower`` upwards (``inclusive`` says whether
    ``lower`` itself belongs to it). Bands are checked from the highest ``lower`` down."""

    color: str
    lower: Decimal
    inclusive: bool = True


DEFAULT_BANDS: tuple[Band, ...] = (
    Band("rojo", Decimal("-Infinity")),
    Band("amarillo", Decimal(70)),
    Band("verde", Decimal(95)),
    Band("azul", HUNDRED, inclusive=False),
)


@dataclass(frozen=True)
class Policy:
    """Per-plan measurement choices.

    ``cap`` (tope_indicador) limits each indicator's value inside rollups only; ``None`` = no cap.
    ``overexecution_threshold`` (umbral_sobreejecucion): above it an indicator is *sobreejecutada*.
    """

    cap: Decimal | None = None
    overexecution_threshold: Decimal = HUNDRED
    bands: tuple[Band, ...] = DEFAULT_BANDS


@dataclass(frozen=True)
class AnnualTarget:
    """Meta de la vigencia, with that year's baseline when it differs from the indicator's."""

    target: Decimal
    baseline: Decimal | None = None


@dataclass(frozen=True)
class Progress:
    """One row of ``avances``: programmed (set by the planning office) and executed (reported)
    values at a cut, cumulative within the vigencia, plus the qualitative analysis."""

    programmed: Decimal | None = None
    executed: Decimal | None = None
    analysis: str = ""


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    accumulation: Accumulation
    baseline: Decimal | None = None
    target_4y: Decimal | None = None
    annual_targets: Mapping[int, AnnualTarget] = field(default_factory=dict)
    progress: Mapping[date, Progress] = field(default_factory=dict)


@dataclass(frozen=True)
class ObjectiveSpec:
    code: str
    indicators: tuple[IndicatorSpec, ...] = ()


@dataclass(frozen=True)
class PlanSpec:
    """The formulation and every reported value of one plan.

    ``indicator_weights[vigencia][indicator_code]`` is relative to the other indicators of the
    same objective; ``objective_weights[vigencia][objective_code]`` to the plan's objectives.
    A vigencia absent from a mapping means equal weights that year.
    """

    code: str
    objectives: tuple[ObjectiveSpec, ...] = ()
    policy: Policy = field(default_factory=Policy)
    indicator_weights: Mapping[int, Mapping[str, Decimal]] = field(default_factory=dict)
    objective_weights: Mapping[int, Mapping[str, Decimal]] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator at one cut. Percentages are uncapped and unrounded; ``None`` = undefined."""

    code: str
    status: Status
    programmed: Decimal | None
    executed: Decimal | None
    annual_target: Decimal | None
    baseline: Decimal | None  # the vigencia's baseline actually used
    progress_cut: Decimal | None
    progress_year: Decimal | None
    progress_4y: Decimal | None
    weight: Decimal | None  # the weight as given for the vigencia (None = equal weights)
    effective_weight: Decimal | None  # percent points within its objective at this cut
    semaforo: str | None
    alerts: tuple[Alert, ...]
    analysis: str


@dataclass(frozen=True)
class Term:
    """One term of a weighted mean: why a rolled-up number is what it is."""

    code: str
    value: Decimal  # as computed (uncapped), missing report already counted as 0
    value_used: Decimal  # after the plan's cap
    weight: Decimal  # raw weight (equal weights: 1)
    effective_weight: Decimal  # percent points, sums to 100 over the terms


@dataclass(frozen=True)
class Rollup:
    """A weighted mean with its terms; ``value`` is ``None`` when nothing is included."""

    value: Decimal | None
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class ObjectiveResult:
    code: str
    compliance: Rollup  # cumplimiento al corte
    year: Rollup  # avance vigencia
    four_year: Rollup  # avance cuatrienio
    semaforo: str | None
    weight: Decimal | None
    indicators: tuple[IndicatorResult, ...]


@dataclass(frozen=True)
class PlanResult:
    code: str
    cut: date
    vigencia: int
    compliance: Rollup
    year: Rollup
    four_year: Rollup
    semaforo: str | None
    objectives: tuple[ObjectiveResult, ...]
