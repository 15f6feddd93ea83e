"""Charts as inline SVG for the reports (and any page that wants them): pure functions, data in,
SVG text out.

Every chart is an accessible image (``role="img"`` labelled by its ``<title>`` and ``<desc>``, the
``<desc>`` saying every value in words), draws its numbers with ``cascada.engine.display``
(es-CO by default), escapes every text it is given, and paints with presentation attributes (so
WeasyPrint, a browser and an ``<img>`` render it alike) plus a ``class`` on each mark, so that a
page's CSS can restyle it. Coordinates are plain numbers with a decimal point, never localised.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from html import escape

from cascada.engine.display import Lang, format_number, format_percent

HUNDRED = Decimal(100)
FONT_FAMILY = "'Liberation Sans', Arial, Helvetica, sans-serif"

# Fills with at least 3:1 contrast against white (non-text contrast, WCAG 1.4.11); semáforo
# colours match the dashboard's. Unknown tones are drawn neutral.
TONE_FILLS: dict[str, str] = {
    "rojo": "#b42318",
    "amarillo": "#8a5700",  # darker than the chip yellow: white text on it stays AA
    "verde": "#1d6b36",
    "azul": "#1e4fb8",
    "ninguno": "#6b7280",
    "programado": "#5f6b7a",
    "ejecutado": "#12304f",
}
INK = "#1b1f24"
MUTED = "#4b5563"
GRID = "#d5dae0"
ACCENT = "#8c1b1b"  # the reports' dark red

_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))


def _n(value: float | Decimal) -> str:
    """An SVG coordinate: one decimal at most, a point as decimal mark."""
    text = f"{float(value):.1f}"
    return text[:-2] if text.endswith(".0") else text


def _e(text: str) -> str:
    return escape(text, quote=True)


def tone_fill(tone: str | None) -> str:
    return TONE_FILLS.get(tone or "ninguno", TONE_FILLS["ninguno"])


def _tone_class(tone: str | None) -> str:
    return tone if tone in TONE_FILLS else "ninguno"


def nice_axis(top: Decimal, ticks: int = 4) -> tuple[Decimal, tuple[Decimal, ...]]:
    """The axis maximum (a round number ≥ ``top``) and its tick values from 0: steps of 1, 2,
    2.5, 5 or 10 times a power of ten, about ``ticks`` of them."""
    if top <= 0:
        step = Decimal(1)
    else:
        raw = top / ticks
        power = Decimal(10) ** raw.adjusted()
        step = next((s * power for s in _STEPS if s * power >= raw), 10 * power)
    count = max(int((top / step).to_integral_value(rounding=ROUND_CEILING)), 1)
    return step * count, tuple(step * n for n in range(count + 1))


def _tick_label(value: Decimal, *, percent: bool, lang: Lang) -> str:
    places = 0 if value == value.to_integral_value() else 1
    text = format_number(value, places, lang)
    return f"{text}%" if percent else text


def _value_label(value: Decimal, *, percent: bool, lang: Lang) -> str:
    return format_percent(value, lang) if percent else format_number(value, 2, lang)


def _text_width(text: str, size: float) -> float:
    """A generous estimate of a label's width in a sans-serif font (no font metrics here)."""
    return len(text) * size * 0.56


def _open_svg(
    *,
    chart_id: str,
    width: float,
    height: float,
    title: str,
    desc: str,
    css_class: str,
    font_family: str,
) -> list[str]:
    cid = _e(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css_class}" id="{cid}" '
        f'width="{_n(width)}" height="{_n(height)}" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'role="img" aria-labelledby="{cid}-title {cid}-desc" font-family="{_e(font_family)}">',
        f'<title id="{cid}-title">{_e(title)}</title>',
        f'<desc id="{cid}-desc">{_e(desc)}</desc>',
    ]


# ---------------------------------------------------------------------------------------------
# Bars


@dataclass(frozen=True)
class Bar:
    """One bar. ``label`` is drawn at the axis (keep it short: a code); ``note`` is said in the
    description after the value (a long name, the semáforo); ``missing`` is drawn in place of the
    bar when there is no value (e.g. "Sin programación al corte")."""

    label: str
    value: Decimal | None
    tone: str | None = None
    note: str = ""
    missing: str = ""


def _describe(bars: Iterable[Bar], *, percent: bool, lang: Lang, empty: str) -> str:
    parts = []
    for bar in bars:
        value = (
            _value_label(bar.value, percent=percent, lang=lang)
            if bar.value is not None
            else (bar.missing or empty)
        )
        note = f" ({bar.note})" if bar.note else ""
        parts.append(f"{bar.label}: {value}{note}")
    return "; ".join(parts) + "." if parts else empty


def hbar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    chart_id: str,
    lang: Lang = "es",
    percent: bool = True,
    reference: Decimal | None = HUNDRED,
    reference_label: str | None = None,
    width: int = 720,
    row_height: int = 30,
    bar_height: int = 18,
    font_size: float = 12,
    intro: str = "",
    font_family: str = FONT_FAMILY,
) -> str:
    """Horizontal bars, one row per ``Bar``, from 0, with a dashed reference line (100 % by
    default) labelled at the top. Values are printed at the end of each bar; a bar without value
    shows its ``missing`` text instead, never a 0 bar."""
    empty = "sin dato" if lang == "es" else "no data"
    label_w = max([_text_width(b.label, font_size) for b in bars] or [0]) + 10
    value_w = max(
        [
            _text_width(_value_label(b.value, percent=percent, lang=lang), font_size)
            for b in bars
            if b.value is not None
        ]
        or [0]
    )
    x0 = label_w + 4
    x1 = width - value_w - 14
    top = font_size + 12  # room for the reference label
    bottom = top + row_height * len(bars)
    height = bottom + font_size + 12
    values = [b.value for b in bars if b.value is not None]
    floor = reference if reference is not None else Decimal(0)
    axis_max, ticks = nice_axis(max([floor, *values, Decimal(0)]))
    scale = (x1 - x0) / float(axis_max)

    desc = _describe(bars, percent=percent, lang=lang, empty=empty)
    out = _open_svg(
        chart_id=chart_id,
        width=width,
        height=height,
        title=title,
        desc=f"{intro} {desc}".strip(),
        css_class="chart--hbar",
        font_family=font_family,
    )
    out.append(f'<g font-size="{_n(font_size * 0.85)}" fill="{MUTED}" class="chart__ticks">')
    for tick in ticks:
        x = x0 + float(tick) * scale
        out.append(
            f'<line class="chart__grid" x1="{_n(x)}" x2="{_n(x)}" y1="{_n(top)}" '
            f'y2="{_n(bottom)}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{_n(x)}" y="{_n(bottom + font_size + 4)}" text-anchor="middle">'
            f"{_e(_tick_label(tick, percent=percent, lang=lang))}</text>"
        )
    out.append("</g>")
    if reference is not None:  # behind the bars, so that no value label sits on it
        x = x0 + float(reference) * scale
        label = reference_label or _tick_label(reference, percent=percent, lang=lang)
        out.append(
            f'<line class="chart__ref" x1="{_n(x)}" x2="{_n(x)}" y1="{_n(top - 4)}" '
            f'y2="{_n(bottom)}" stroke="{ACCENT}" stroke-width="2" stroke-dasharray="6 3"/>'
            f'<text class="chart__ref-label" x="{_n(x)}" y="{_n(top - 8)}" text-anchor="middle" '
            f'font-size="{_n(font_size * 0.85)}" fill="{ACCENT}" font-weight="bold">'
            f"{_e(label)}</text>"
        )
    out.append(f'<g font-size="{_n(font_size)}" fill="{INK}">')
    for n, bar in enumerate(bars):
        y = top + n * row_height + (row_height - bar_height) / 2
        text_y = y + bar_height / 2 + font_size * 0.35
        out.append(
            f'<text class="chart__label" x="{_n(x0 - 8)}" y="{_n(text_y)}" '
            f'text-anchor="end">{_e(bar.label)}</text>'
        )
        if bar.value is None:
            out.append(
                f'<text class="chart__missing" x="{_n(x0 + 6)}" y="{_n(text_y)}" '
                f'fill="{MUTED}" font-style="italic">{_e(bar.missing or empty)}</text>'
            )
            continue
        length = max(float(bar.value), 0.0) * scale
        value = _value_label(bar.value, percent=percent, lang=lang)
        # Inside the end of the bar, in white, when it fits; after the bar otherwise.
        inside = length >= _text_width(value, font_size) + 12
        place = (
            f'x="{_n(x0 + length - 5)}" text-anchor="end" fill="#ffffff"'
            if inside
            else f'x="{_n(x0 + length + 5)}"'
        )
        out.append(
            f'<rect class="chart__bar chart__bar--{_tone_class(bar.tone)}" x="{_n(x0)}" '
            f'y="{_n(y)}" width="{_n(length)}" height="{_n(bar_height)}" '
            f'fill="{tone_fill(bar.tone)}"/>'
            f'<text class="chart__value{" chart__value--inside" if inside else ""}" {place} '
            f'y="{_n(text_y)}" font-weight="bold">{_e(value)}</text>'
        )
    out.append("</g>")
    out.append(
        f'<line class="chart__axis" x1="{_n(x0)}" x2="{_n(x0)}" y1="{_n(top)}" '
        f'y2="{_n(bottom)}" stroke="{INK}" stroke-width="1"/>'
    )
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class ColumnGroup:
    """A group of vertical bars under one label (a cut, a vigencia)."""

    label: str
    bars: tuple[Bar, ...]


def column_chart(
    groups: Sequence[ColumnGroup],
    *,
    title: str,
    chart_id: str,
    lang: Lang = "es",
    percent: bool = True,
    reference: Decimal | None = HUNDRED,
    legend: Sequence[tuple[str, str]] = (),
    height: int = 240,
    group_width: int = 96,
    bar_width: int = 28,
    font_size: float = 11,
    intro: str = "",
    font_family: str = FONT_FAMILY,
) -> str:
    """Vertical bars in groups (e.g. programmed and executed at each cut, or the % al corte of
    each cut coloured by semáforo), with an optional reference line and a legend of
    ``(tone, text)`` pairs."""
    empty = "sin dato" if lang == "es" else "no data"
    values = [b.value for g in groups for b in g.bars if b.value is not None]
    floor = reference if reference is not None else Decimal(0)
    axis_max, ticks = nice_axis(max([floor, *values, Decimal(0)]))
    tick_w = max(
        _text_width(_tick_label(t, percent=percent, lang=lang), font_size * 0.85) for t in ticks
    )
    left = tick_w + 12
    legend_h = font_size + 14 if legend else 0
    top = legend_h + font_size + 8
    bottom = height - font_size - 14
    width = max(360.0, left + group_width * len(groups) + 12)
    scale = (bottom - top) / float(axis_max)

    desc = "; ".join(
        f"{g.label}: " + _describe(g.bars, percent=percent, lang=lang, empty=empty).rstrip(".")
        for g in groups
    )
    out = _open_svg(
        chart_id=chart_id,
        width=width,
        height=height,
        title=title,
        desc=f"{intro} {desc}.".strip() if groups else f"{intro} {empty}.".strip(),
        css_class="chart--columns",
        font_family=font_family,
    )
    if legend:
        x = left
        out.append(f'<g font-size="{_n(font_size)}" fill="{INK}" class="chart__legend">')
        for tone, text in legend:
            out.append(
                f'<rect x="{_n(x)}" y="{_n(4)}" width="{_n(font_size)}" height="{_n(font_size)}" '
                f'fill="{tone_fill(tone)}"/>'
                f'<text x="{_n(x + font_size + 4)}" y="{_n(4 + font_size * 0.9)}">{_e(text)}</text>'
            )
            x += font_size + 4 + _text_width(text, font_size) + 16
        out.append("</g>")
    out.append(f'<g font-size="{_n(font_size * 0.85)}" fill="{MUTED}" class="chart__ticks">')
    for tick in ticks:
        y = bottom - float(tick) * scale
        out.append(
            f'<line class="chart__grid" x1="{_n(left)}" x2="{_n(width - 8)}" y1="{_n(y)}" '
            f'y2="{_n(y)}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{_n(left - 6)}" y="{_n(y + 4)}" text-anchor="end">'
            f"{_e(_tick_label(tick, percent=percent, lang=lang))}</text>"
        )
    out.append("</g>")
    out.append(f'<g font-size="{_n(font_size)}" fill="{INK}">')
    for n, group in enumerate(groups):
        center = left + group_width * n + group_width / 2
        count = len(group.bars)
        start = center - (count * bar_width + (count - 1) * 4) / 2
        for k, bar in enumerate(group.bars):
            x = start + k * (bar_width + 4)
            if bar.value is None:
                continue
            h = max(float(bar.value), 0.0) * scale
            out.append(
                f'<rect class="chart__bar chart__bar--{_tone_class(bar.tone)}" x="{_n(x)}" '
                f'y="{_n(bottom - h)}" width="{_n(bar_width)}" height="{_n(h)}" '
                f'fill="{tone_fill(bar.tone)}"/>'
                f'<text class="chart__value" x="{_n(x + bar_width / 2)}" y="{_n(bottom - h - 4)}" '
                f'text-anchor="middle" font-size="{_n(font_size * 0.85)}">'
                f"{_e(_value_label(bar.value, percent=percent, lang=lang))}</text>"
            )
        out.append(
            f'<text class="chart__label" x="{_n(center)}" y="{_n(bottom + font_size + 6)}" '
            f'text-anchor="middle">{_e(group.label)}</text>'
        )
    out.append("</g>")
    out.append(
        f'<line class="chart__axis" x1="{_n(left)}" x2="{_n(width - 8)}" y1="{_n(bottom)}" '
        f'y2="{_n(bottom)}" stroke="{INK}" stroke-width="1"/>'
    )
    if reference is not None:
        y = bottom - float(reference) * scale
        out.append(
            f'<line class="chart__ref" x1="{_n(left)}" x2="{_n(width - 8)}" y1="{_n(y)}" '
            f'y2="{_n(y)}" stroke="{ACCENT}" stroke-width="2" stroke-dasharray="6 3"/>'
        )
    out.append("</svg>")
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# The cascade of plans


@dataclass(frozen=True)
class CascadeStep:
    """One level of the planning cascade: a heading and a line or two under it."""

    heading: str
    detail: str = ""


def cascade_diagram(
    steps: Sequence[CascadeStep],
    *,
    title: str,
    chart_id: str,
    intro: str = "",
    width: int = 560,
    font_size: float = 13,
    font_family: str = FONT_FAMILY,
) -> str:
    """Boxes one under the other, each narrower than the one above and joined by arrows: the
    development plan unfolds into the sector plan, its annual action plans and the projects."""
    box_h, gap, indent = 66.0, 26.0, 26.0
    height = len(steps) * box_h + (len(steps) - 1) * gap + 4
    desc = " → ".join(f"{s.heading}{f' ({s.detail})' if s.detail else ''}" for s in steps)
    out = _open_svg(
        chart_id=chart_id,
        width=width,
        height=height,
        title=title,
        desc=f"{intro} {desc}.".strip(),
        css_class="chart--cascade",
        font_family=font_family,
    )
    fills = ("#8c1b1b", "#a8403a", "#4b5563", "#6b7280")
    for n, step in enumerate(steps):
        x = 2 + n * indent
        y = 2 + n * (box_h + gap)
        w = width - 4 - 2 * n * indent
        fill = fills[min(n, len(fills) - 1)]
        out.append(
            f'<rect class="chart__step" x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" '
            f'height="{_n(box_h)}" rx="6" fill="{fill}"/>'
        )
        chars = max(int(w / (font_size * 0.5)), 12)
        lines = textwrap.wrap(step.heading, chars)[:1]
        detail_size = font_size * 0.8
        detail = textwrap.wrap(step.detail, max(int(w / (detail_size * 0.5)), 12))[:2]
        block = font_size + len(detail) * (detail_size + 3)
        ty = y + (box_h - block) / 2 + font_size * 0.85
        for line in lines:
            out.append(
                f'<text x="{_n(x + w / 2)}" y="{_n(ty)}" text-anchor="middle" fill="#ffffff" '
                f'font-size="{_n(font_size)}" font-weight="bold">{_e(line)}</text>'
            )
        ty += font_size * 0.35
        for line in detail:
            ty += detail_size + 3
            out.append(
                f'<text x="{_n(x + w / 2)}" y="{_n(ty)}" text-anchor="middle" fill="#ffffff" '
                f'font-size="{_n(detail_size)}">{_e(line)}</text>'
            )
        if n + 1 < len(steps):
            ax = width / 2
            ay = y + box_h + 3
            out.append(
                f'<path class="chart__arrow" d="M{_n(ax)} {_n(ay)} V{_n(ay + gap - 12)} '
                f"M{_n(ax - 7)} {_n(ay + gap - 14)} L{_n(ax)} {_n(ay + gap - 6)} "
                f'L{_n(ax + 7)} {_n(ay + gap - 14)}" stroke="{MUTED}" stroke-width="2.5" '
                f'fill="none"/>'
            )
    out.append("</svg>")
    return "".join(out)
