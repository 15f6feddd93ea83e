"""Geometry of the server-rendered SVG charts. Templates draw them and label them with the
display filters; every coordinate here is already a string (never localised as "12,5")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from cascada.web.selectors import CutRef, HistoryPoint, ObjectiveCard

HUNDRED = Decimal(100)
_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))


def _c(value: float | Decimal) -> str:
    """An SVG coordinate."""
    return f"{float(value):.1f}"


def nice_step(top: Decimal, ticks: int = 4) -> Decimal:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) so that ``ticks`` steps cover
    ``top``."""
    if top <= 0:
        return Decimal(1)
    raw = top / ticks
    power = Decimal(10) ** (raw.adjusted())
    for step in _STEPS:
        if step * power >= raw:
            return step * power
    return 10 * power  # pragma: no cover - _STEPS ends at 10


def nice_axis(top: Decimal, ticks: int = 4) -> tuple[Decimal, tuple[Decimal, ...]]:
    """The axis maximum and its tick values, from 0."""
    step = nice_step(top, ticks)
    count = int((top / step).to_integral_value(rounding=ROUND_CEILING)) if top > 0 else ticks
    count = max(count, 1)
    return step * count, tuple(step * n for n in range(count + 1))


@dataclass(frozen=True)
class Tick:
    value: Decimal
    pos: str


# ---------------------------------------------------------------------------------------------
# Objectives' compliance: horizontal bars with the 100 % line


@dataclass(frozen=True)
class HBar:
    code: str
    name: str
    value: Decimal | None
    semaforo: str
    y: str
    width: str
    label_y: str
    text_x: str


@dataclass(frozen=True)
class HBarChart:
    width: str
    height: str
    x0: str
    x1: str
    label_x: str
    top: str
    bottom: str
    bar_height: str
    ref_x: str
    tick_y: str
    ticks: tuple[Tick, ...]
    bars: tuple[HBar, ...]


def objective_bars(cards: Sequence[ObjectiveCard]) -> HBarChart:
    width, x0, right_margin, top, row, bar = 720, 70, 160, 16, 34, 20
    x1 = width - right_margin
    values = [c.compliance for c in cards if c.compliance is not None]
    axis_max, tick_values = nice_axis(max([HUNDRED, *values]))
    scale = (x1 - x0) / float(axis_max)
    bottom = top + row * len(cards)
    bars = []
    for n, card in enumerate(cards):
        y = top + n * row + (row - bar) / 2
        length = max(float(card.compliance), 0) * scale if card.compliance is not None else 0
        bars.append(
            HBar(
                code=card.code,
                name=card.name,
                value=card.compliance,
                semaforo=card.semaforo,
                y=_c(y),
                width=_c(length),
                label_y=_c(y + bar / 2 + 5),
                text_x=_c(x0 + length + 6),
            )
        )
    return HBarChart(
        width=str(width),
        height=str(bottom + 30),
        x0=str(x0),
        x1=str(x1),
        label_x=str(x0 - 8),
        top=str(top - 6),
        bottom=str(bottom),
        bar_height=str(bar),
        ref_x=_c(x0 + float(HUNDRED) * scale),
        tick_y=str(bottom + 20),
        ticks=tuple(Tick(v, _c(x0 + float(v) * scale)) for v in tick_values),
        bars=tuple(bars),
    )


# ---------------------------------------------------------------------------------------------
# One indicator across cuts: vertical bars


@dataclass(frozen=True)
class VBar:
    value: Decimal | None
    kind: str  # "programado", "ejecutado" or a semáforo colour
    x: str
    y: str
    width: str
    height: str
    text_x: str
    text_y: str


@dataclass(frozen=True)
class VGroup:
    cut: CutRef
    label_x: str
    bars: tuple[VBar, ...]


@dataclass(frozen=True)
class VBarChart:
    width: str
    height: str
    left: str
    right: str
    top: str
    bottom: str
    label_y: str
    ref_y: str  # the 100 % line ("" when the chart is not in percent)
    ticks: tuple[Tick, ...]
    groups: tuple[VGroup, ...]


def _vbars(
    series: Sequence[tuple[CutRef, Sequence[tuple[Decimal | None, str]]]],
    *,
    floor_max: Decimal,
    percent: bool,
) -> VBarChart:
    left, top, plot_h, group_w, bar_w, gap = 64, 22, 180, 96, 30, 4
    width = max(480, left + group_w * len(series) + 16)
    bottom = top + plot_h
    values = [v for _, bars in series for v, _ in bars if v is not None]
    axis_max, tick_values = nice_axis(max([floor_max, *values]))
    scale = plot_h / float(axis_max)
    groups = []
    for n, (cut, bars) in enumerate(series):
        center = left + group_w * n + group_w / 2
        start = center - (len(bars) * bar_w + (len(bars) - 1) * gap) / 2
        drawn = []
        for k, (value, kind) in enumerate(bars):
            height = max(float(value), 0) * scale if value is not None else 0
            x = start + k * (bar_w + gap)
            drawn.append(
                VBar(
                    value=value,
                    kind=kind,
                    x=_c(x),
                    y=_c(bottom - height),
                    width=str(bar_w),
                    height=_c(height),
                    text_x=_c(x + bar_w / 2),
                    text_y=_c(bottom - height - 5),
                )
            )
        groups.append(VGroup(cut=cut, label_x=_c(center), bars=tuple(drawn)))
    return VBarChart(
        width=str(width),
        height=str(bottom + 34),
        left=str(left),
        right=str(width - 8),
        top=str(top),
        bottom=str(bottom),
        label_y=str(bottom + 22),
        ref_y=_c(bottom - float(HUNDRED) * scale) if percent else "",
        ticks=tuple(Tick(v, _c(bottom - float(v) * scale)) for v in tick_values),
        groups=tuple(groups),
    )


def amounts_chart(history: Sequence[HistoryPoint]) -> VBarChart:
    """Programmed vs executed at each cut, in the indicator's unit."""
    return _vbars(
        [(p.cut, ((p.programmed, "programado"), (p.executed, "ejecutado"))) for p in history],
        floor_max=Decimal(0),
        percent=False,
    )


def percent_chart(history: Sequence[HistoryPoint]) -> VBarChart:
    """% al corte at each cut, coloured by semáforo, against the 100 % line."""
    return _vbars(
        [(p.cut, ((p.progress_cut, p.semaforo or "ninguno"),)) for p in history],
        floor_max=HUNDRED,
        percent=True,
    )
