"""A readable es-CO summary of one cut for the terminal (``cascada compute --format table``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from cascada.engine.display import (
    NO_PROGRAMMING,
    Lang,
    alert_label,
    format_date,
    format_percent,
    status_label,
)
from cascada.engine.model import PlanResult

DASH = "—"


def _pct(value: Decimal | None) -> str:
    return format_percent(value) or DASH


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _grid(header: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "") -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return [
        indent + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]


def render_table(
    result: PlanResult,
    *,
    plan_name: str,
    sector: str,
    objective_names: Mapping[str, str],
    indicator_names: Mapping[str, str],
    lang: Lang = "es",
) -> str:
    lines = [
        f"{plan_name} ({result.code}) · {sector}",
        f"Corte: {format_date(result.cut, lang)} · vigencia {result.vigencia}",
        "",
        f"Cumplimiento del plan al corte: {_pct(result.compliance.value)}"
        f" · Avance vigencia: {_pct(result.year.value)}"
        f" · Avance cuatrienio: {_pct(result.four_year.value)}",
        "",
    ]
    lines += _grid(
        ["Objetivo", "Cumplimiento al corte", "Avance vigencia", "Avance cuatrienio", "Nombre"],
        [
            [
                o.code,
                _pct(o.compliance.value) if o.compliance.terms else NO_PROGRAMMING[lang],
                _pct(o.year.value),
                _pct(o.four_year.value),
                _clip(objective_names.get(o.code, ""), 60),
            ]
            for o in result.objectives
        ],
    )
    for o in result.objectives:
        lines += ["", f"{o.code} · {_clip(objective_names.get(o.code, ''), 90)}"]
        lines += _grid(
            ["Indicador", "Estado", "% corte", "% vigencia", "% cuatrienio", "Peso ef.", "Nombre"],
            [
                [
                    i.code,
                    status_label(i.status, lang),
                    _pct(i.progress_cut),
                    _pct(i.progress_year),
                    _pct(i.progress_4y),
                    _pct(i.effective_weight),
                    _clip(indicator_names.get(i.code, ""), 40),
                ]
                for i in o.indicators
            ],
            indent="  ",
        )
        for i in o.indicators:
            for alert in i.alerts:
                lines.append(f"  ! {i.code}: {alert_label(alert, lang)}")
    return "\n".join(lines) + "\n"
