"""The follow-up report of one cut as a print-ready HTML page (and the source of the PDF).

``render_html(dataset)`` lays out a ``ReportDataset`` in the order of the report the Secretaría
assembles by hand (cover, planning cascade, legal basis, mission and vision, method, objectives'
summary, one section per objective, formulation matrix), in the dataset's language. Every number
is formatted here with ``cascada.engine.display``; the Django template only places text, with
autoescape on, so a hostile name or analysis comes out as text.
"""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from cascada.engine.display import (
    NO_PROGRAMMING,
    STATUS_LABELS,
    Lang,
    format_date,
    format_number,
    format_percent,
)
from cascada.engine.model import Band, GoalKind, Status
from cascada.reports import charts
from cascada.reports.dataset import (
    FormulationRow,
    ReportDataset,
    ReportIndicator,
    ReportObjective,
)

STATIC_DIR = Path(__file__).resolve().parent / "static" / "reports"
FONT_DIR = STATIC_DIR / "fonts"
FONT_FACES = (
    ("LiberationSans-Regular.ttf", "normal", "normal"),
    ("LiberationSans-Bold.ttf", "bold", "normal"),
    ("LiberationSans-Italic.ttf", "normal", "italic"),
)
FONT_FAMILY = "'Cascada Sans', 'Liberation Sans', Arial, Helvetica, sans-serif"
DASH = "—"
PERCENT_UNITS = frozenset({"%", "porcentaje", "percent", "percentage"})

TEXTS: dict[Lang, dict[str, str]] = {
    "es": {
        "follow_up": "Seguimiento",
        "cut_word": "Corte",
        "sector": "Sector",
        "head_entity": "Entidad cabeza de sector",
        "development_plan": "Plan de Desarrollo",
        "draft": "Borrador: el corte no está publicado ({state}); sus cifras pueden cambiar.",
        "generated": "Generado el {date} con cascada.",
        "contents": "Contenido",
        "scheme": "Esquema de planeación en cascada",
        "legal_basis": "Plan Estratégico Sectorial: base legal",
        "mission": "Misión",
        "vision": "Visión",
        "source": "Fuente",
        "method": "Metodología de medición",
        "method_structure": "Estructura",
        "method_rollup": "Cálculo del cumplimiento",
        "method_status": "Estado de cada indicador al corte",
        "method_semaforo": "Semáforo",
        "summary": "Objetivos sectoriales",
        "summary_chart": "Cumplimiento de los objetivos al corte",
        "plan_compliance": "Cumplimiento del plan al corte",
        "year_progress": "Avance vigencia {year}",
        "four_year_progress": "Avance cuatrienio",
        "objective": "Objetivo",
        "goals_indicators": "Metas e indicadores",
        "compliance": "Cumplimiento al corte",
        "col_goal": "Meta",
        "col_indicator": "Indicador",
        "col_year_target": "Programación {year}",
        "col_programmed": "Programación al corte",
        "col_executed": "Ejecutado al corte",
        "col_progress_cut": "% avance al corte",
        "col_progress_year": "% avance vigencia",
        "col_status": "Estado",
        "analyses": "Análisis cualitativo",
        "no_analyses": "Ningún indicador de este objetivo trae análisis cualitativo en este corte.",
        "indicators_chart": "Avance al corte de los indicadores",
        "how": "¿Cómo se calcula?",
        "col_value": "% avance al corte",
        "col_value_used": "Valor usado (tope)",
        "col_weight": "Peso",
        "col_effective_weight": "Peso efectivo",
        "equal": "igual",
        "left_out": "No entran en el promedio",
        "annex": "Anexo: matriz de formulación",
        "annex_intro": (
            "Metas, indicadores, metas anuales y ponderaciones del plan {first}-{last}. "
            "«—» en una meta anual: el indicador no está vigente ese año; «igual» en un peso: "
            "la vigencia no define ponderación y los indicadores de cada objetivo pesan igual."
        ),
        "col_unit": "Unidad",
        "col_type": "Tipo",
        "col_baseline": "Línea base",
        "col_target_4y": "Meta cuatrienio",
        "col_annual": "Meta",
        "thanks": "Gracias",
        "page": "Página",
        "continued": "continuación",
        "of": "de",
        "semaforo": "Semáforo",
        "legend": "Convenciones",
        "chart_intro": "Barras horizontales desde 0 con la línea de referencia del 100 %.",
    },
    "en": {
        "follow_up": "Follow-up",
        "cut_word": "Cut",
        "sector": "Sector",
        "head_entity": "Head entity of the sector",
        "development_plan": "Development plan",
        "draft": "Draft: this cut is not published ({state}); its figures may change.",
        "generated": "Generated on {date} with cascada.",
        "contents": "Contents",
        "scheme": "Cascade planning scheme",
        "legal_basis": "Sector Strategic Plan: legal basis",
        "mission": "Mission",
        "vision": "Vision",
        "source": "Source",
        "method": "Measurement method",
        "method_structure": "Structure",
        "method_rollup": "How compliance is computed",
        "method_status": "Status of each indicator at the cut",
        "method_semaforo": "Traffic light",
        "summary": "Sector objectives",
        "summary_chart": "Objectives' compliance at the cut",
        "plan_compliance": "Plan compliance at the cut",
        "year_progress": "Progress in {year}",
        "four_year_progress": "Four-year progress",
        "objective": "Objective",
        "goals_indicators": "Goals and indicators",
        "compliance": "Compliance at the cut",
        "col_goal": "Goal",
        "col_indicator": "Indicator",
        "col_year_target": "Target {year}",
        "col_programmed": "Programmed at the cut",
        "col_executed": "Executed at the cut",
        "col_progress_cut": "% progress at the cut",
        "col_progress_year": "% progress in the year",
        "col_status": "Status",
        "analyses": "Qualitative analysis",
        "no_analyses": "No indicator of this objective carries a qualitative analysis at this cut.",
        "indicators_chart": "Indicators' progress at the cut",
        "how": "How is it computed?",
        "col_value": "% progress at the cut",
        "col_value_used": "Value used (cap)",
        "col_weight": "Weight",
        "col_effective_weight": "Effective weight",
        "equal": "equal",
        "left_out": "Left out of the mean",
        "annex": "Annex: formulation matrix",
        "annex_intro": (
            "Goals, indicators, annual targets and weights of the {first}-{last} plan. "
            "“—” as an annual target: the indicator is not in force that year; “equal” as a "
            "weight: the year sets no weights and the indicators of each objective weigh the same."
        ),
        "col_unit": "Unit",
        "col_type": "Type",
        "col_baseline": "Baseline",
        "col_target_4y": "Four-year target",
        "col_annual": "Target",
        "thanks": "Thank you",
        "page": "Page",
        "continued": "continued",
        "of": "of",
        "semaforo": "Traffic light",
        "legend": "Legend",
        "chart_intro": "Horizontal bars from 0 with the 100 % reference line.",
    },
}

SEMAFORO_LABELS: dict[Lang, dict[str, str]] = {
    "es": {"rojo": "Rojo", "amarillo": "Amarillo", "verde": "Verde", "azul": "Azul"},
    "en": {"rojo": "Red", "amarillo": "Yellow", "verde": "Green", "azul": "Blue"},
}

STATE_LABELS: dict[Lang, dict[str, str]] = {
    "es": {"abierto": "abierto", "en_revision": "en revisión", "publicado": "publicado"},
    "en": {"abierto": "open", "en_revision": "under review", "publicado": "published"},
}

GOAL_KIND_PLURALS: dict[Lang, dict[GoalKind, str]] = {
    "es": {
        GoalKind.SECTORIAL: "indicadores de metas sectoriales",
        GoalKind.ESTRATEGICA: "indicadores de metas estratégicas",
        GoalKind.PROYECTO_INVERSION: "indicadores de metas de proyectos de inversión",
        GoalKind.ACTIVIDAD: "indicadores de actividades",
    },
    "en": {
        GoalKind.SECTORIAL: "indicators of sector goals",
        GoalKind.ESTRATEGICA: "indicators of strategic goals",
        GoalKind.PROYECTO_INVERSION: "indicators of investment project goals",
        GoalKind.ACTIVIDAD: "indicators of activities",
    },
}

STATUS_MEANINGS: dict[Lang, dict[Status, str]] = {
    "es": {
        Status.CUMPLIDA: "el avance al corte llega al 100 % sin pasar el umbral de "
        "sobreejecución ({threshold}).",
        Status.SOBREEJECUTADA: "el avance al corte supera el umbral de sobreejecución "
        "({threshold}); requiere análisis cualitativo.",
        Status.EN_REZAGO: "el avance al corte es menor que 100 %; requiere análisis "
        "cualitativo que explique el rezago.",
        Status.NO_PROGRAMADA: "no tenía nada programado para el corte ni reporta ejecución; "
        "sale del cálculo del corte y su % al corte se muestra «—», no 0 %.",
        Status.SIN_REPORTE: "estaba programado y no se reportó avance; cuenta como 0 % (no "
        "reportar nunca sube la cifra de un objetivo).",
        Status.EJECUTADA_SIN_PROGRAMACION: "reporta ejecución sin programación al corte; sale "
        "del cálculo del corte y requiere análisis cualitativo.",
        Status.NO_VIGENTE: "no tiene meta para la vigencia del corte; sale de todos los cálculos.",
    },
    "en": {
        Status.CUMPLIDA: "progress at the cut reaches 100 % without passing the over-execution "
        "threshold ({threshold}).",
        Status.SOBREEJECUTADA: "progress at the cut passes the over-execution threshold "
        "({threshold}); a qualitative analysis is required.",
        Status.EN_REZAGO: "progress at the cut is below 100 %; a qualitative analysis must "
        "explain the lag.",
        Status.NO_PROGRAMADA: "nothing was programmed for the cut and nothing was executed; it "
        "leaves the cut's figure and its % at the cut reads “—”, not 0 %.",
        Status.SIN_REPORTE: "it was programmed and no progress was reported; it counts as 0 % "
        "(not reporting never raises an objective's figure).",
        Status.EJECUTADA_SIN_PROGRAMACION: "execution reported without programming at the cut; "
        "it leaves the cut's figure and requires a qualitative analysis.",
        Status.NO_VIGENTE: "no target for the cut's year; it leaves every figure.",
    },
}


# ---------------------------------------------------------------------------------------------
# What the template receives: text only, already formatted


@dataclass(frozen=True)
class Figure:
    text: str  # "183,33%" or "Sin programación al corte"
    missing: bool
    tone: str  # semáforo colour or "ninguno"
    tone_label: str  # "Azul" ("" when there is no colour)


@dataclass(frozen=True)
class Row:
    goal: str
    indicator: str
    annual_target: str
    programmed: str
    executed: str
    progress_cut: str
    progress_year: str
    status: str
    status_code: str
    tone: str
    tone_label: str
    alerts: tuple[str, ...]
    has_analysis: bool


@dataclass(frozen=True)
class Analysis:
    indicator: str
    status: str
    text: str


@dataclass(frozen=True)
class TermRow:
    indicator: str
    value: str
    value_used: str
    weight: str
    effective_weight: str


@dataclass(frozen=True)
class Section:
    anchor: str
    number: str  # "Objetivo 4"
    name: str
    figure: Figure
    year: str
    four_year: str
    counts: str
    rows: tuple[Row, ...]
    analyses: tuple[Analysis, ...]
    chart: SafeString
    how_intro: str
    terms: tuple[TermRow, ...]
    formula: str
    left_out: str


@dataclass(frozen=True)
class Card:
    anchor: str
    number: str
    name: str
    figure: Figure
    year: str


@dataclass(frozen=True)
class MatrixRow:
    goal: str
    indicator: str
    unit: str
    kind: str
    baseline: str
    target_4y: str
    per_year: tuple[tuple[str, str], ...]  # (annual target, weight) per vigencia


@dataclass(frozen=True)
class MatrixGroup:
    heading: str
    rows: tuple[MatrixRow, ...]


def _svg(markup: str) -> SafeString:
    """Chart markup from ``charts``, which escapes every text it draws."""
    return mark_safe(markup)  # noqa: S308 - built by charts.py, every text escaped there


# ---------------------------------------------------------------------------------------------
# Formatting helpers


def _pct(value: Decimal | None, lang: Lang) -> str:
    return format_percent(value, lang) if value is not None else DASH


def _amount(value: Decimal | None, unit: str, lang: Lang) -> str:
    """A value in the indicator's unit; percentages read as such ("60,67%")."""
    if value is None:
        return DASH
    if unit.strip().lower() in PERCENT_UNITS:
        return format_percent(value, lang)
    return format_number(value, 2, lang)


def _tone(semaforo: str | None) -> str:
    return semaforo if semaforo in charts.TONE_FILLS else "ninguno"


def _tone_label(semaforo: str | None, lang: Lang) -> str:
    if not semaforo:
        return ""
    return SEMAFORO_LABELS[lang].get(semaforo, semaforo)


def _figure(value: Decimal | None, semaforo: str | None, lang: Lang, *, missing: str) -> Figure:
    if value is None:
        return Figure(text=missing, missing=True, tone="ninguno", tone_label="")
    return Figure(
        text=format_percent(value, lang),
        missing=False,
        tone=_tone(semaforo),
        tone_label=_tone_label(semaforo, lang),
    )


def goal_label(row: ReportIndicator | FormulationRow) -> str:
    """The goal as the seed names it, "Meta sectorial 223-2153: Participar en 50 …", without
    repeating the kind when the code already says it ("Actividad 3: …")."""
    kind, code, name = row.goal_kind_label, row.goal_code, row.goal_name
    head = code if code.lower().startswith(kind.lower()) else f"{kind} {code}"
    return f"{head}: {name}" if name and name != code else head


def _indicator_label(code: str, name: str) -> str:
    return f"{code} · {name}" if name else code


def _objective_numbers(dataset: ReportDataset) -> dict[str, str]:
    word = TEXTS[dataset.lang]["objective"]
    return {o.code: f"{word} {n}" for n, o in enumerate(dataset.objectives, start=1)}


def _bands(dataset: ReportDataset) -> tuple[Band, ...]:
    return dataset.plan.bands


def _bound(value: Decimal, lang: Lang) -> str:
    places = 0 if value == value.to_integral_value() else 2
    return f"{format_number(value, places, lang)}%"


def _band_rows(dataset: ReportDataset) -> list[dict[str, str]]:
    """Each semáforo colour with its range in symbols: "< 70%", "≥ 70% y < 95%", "> 100%"."""
    lang = dataset.lang
    ordered = sorted(_bands(dataset), key=lambda b: (b.lower, not b.inclusive))
    rows = []
    for n, band in enumerate(ordered):
        parts = []
        if not band.lower.is_infinite():
            parts.append(f"{'≥' if band.inclusive else '>'} {_bound(band.lower, lang)}")
        if n + 1 < len(ordered):
            upper = ordered[n + 1]
            parts.append(f"{'<' if upper.inclusive else '≤'} {_bound(upper.lower, lang)}")
        rows.append(
            {
                "tone": _tone(band.color),
                "label": _tone_label(band.color, lang),
                "range": (" y " if lang == "es" else " and ").join(parts),
            }
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Sections


def _method(dataset: ReportDataset) -> dict[str, Any]:
    lang = dataset.lang
    plan = dataset.plan
    kinds: dict[GoalKind, int] = {}
    for objective in dataset.objectives:
        for indicator in objective.indicators:
            kinds[indicator.goal_kind] = kinds.get(indicator.goal_kind, 0) + 1
    kind_items = [f"{GOAL_KIND_PLURALS[lang][k]} ({n})" for k, n in kinds.items()]
    n_obj = len(dataset.objectives)
    threshold = format_percent(plan.overexecution_threshold, lang)
    weighted = any(i.weight is not None for o in dataset.objectives for i in o.indicators)
    if lang == "es":
        structure = (
            f"El {plan.name} se mide a través del cumplimiento de sus indicadores, que aportan "
            f"a los {n_obj} objetivos sectoriales:"
        )
        rollup = [
            "El cumplimiento de cada objetivo al corte es el promedio ponderado del % de avance "
            "al corte de sus indicadores programados al corte. % de avance al corte = ejecutado "
            "al corte ÷ programado al corte (para indicadores de nivel creciente o decreciente, "
            "medido desde la línea base).",
            "Los pesos se fijan por vigencia y se renormalizan sobre los indicadores programados "
            "al corte (peso efectivo = peso ÷ suma de los pesos de los programados). Cuando la "
            "vigencia no define pesos, todos los indicadores del objetivo pesan igual."
            + (
                ""
                if weighted
                else f" En la vigencia {dataset.vigencia} no hay pesos definidos: pesos iguales."
            ),
            "Un objetivo sin indicadores programados al corte no tiene cifra: se lee «"
            + NO_PROGRAMMING[lang]
            + "», nunca 0 %. El cumplimiento del plan es el promedio ponderado de los objetivos "
            "que tienen cifra.",
            (
                f"Tope por indicador: {format_percent(plan.cap, lang)} (solo dentro de los "
                "promedios; cada indicador se muestra con su valor sin tope)."
                if plan.cap is not None
                else "Sin tope por indicador: los valores sobre 100 % entran completos a los "
                "promedios."
            ),
            "El avance de la vigencia compara lo ejecutado con la meta anual; todas las cifras "
            "se calculan sin redondear y se muestran con dos decimales.",
        ]
    else:
        structure = (
            f"The {plan.name} is measured through the compliance of its indicators, which "
            f"contribute to its {n_obj} sector objectives:"
        )
        rollup = [
            "An objective's compliance at the cut is the weighted mean of the % progress at the "
            "cut of its indicators programmed at the cut. % progress at the cut = executed at "
            "the cut ÷ programmed at the cut (measured from the baseline for increasing or "
            "decreasing levels).",
            "Weights are set per year and renormalised over the indicators programmed at the "
            "cut (effective weight = weight ÷ sum of the programmed ones' weights). When the "
            "year sets no weights, every indicator of the objective weighs the same."
            + ("" if weighted else f" {dataset.vigencia} sets no weights: equal weights."),
            "An objective with nothing programmed at the cut has no figure: it reads “"
            + NO_PROGRAMMING[lang]
            + "”, never 0 %. The plan's compliance is the weighted mean of the objectives that "
            "have a figure.",
            (
                f"Cap per indicator: {format_percent(plan.cap, lang)} (inside the means only; "
                "each indicator is shown uncapped)."
                if plan.cap is not None
                else "No cap per indicator: values above 100 % enter the means in full."
            ),
            "Progress in the year compares the executed value with the annual target; every "
            "figure is computed unrounded and shown with two decimals.",
        ]
    statuses = [
        {
            "code": s.value,
            "label": STATUS_LABELS[lang][s],
            "meaning": STATUS_MEANINGS[lang][s].format(threshold=threshold),
        }
        for s in (
            Status.CUMPLIDA,
            Status.SOBREEJECUTADA,
            Status.EN_REZAGO,
            Status.SIN_REPORTE,
            Status.NO_PROGRAMADA,
            Status.EJECUTADA_SIN_PROGRAMACION,
            Status.NO_VIGENTE,
        )
    ]
    return {
        "structure": structure,
        "kinds": kind_items,
        "rollup": rollup,
        "statuses": statuses,
        "bands": _band_rows(dataset),
    }


def _how(
    objective: ReportObjective, lang: Lang, cap: Decimal | None, vigencia: int
) -> dict[str, Any]:
    by_code = {i.code: i for i in objective.indicators}
    used = {t.code for t in objective.terms}
    left_out = ", ".join(
        f"{i.code} ({i.status_label})" for i in objective.indicators if i.code not in used
    )
    equal = all(by_code[t.code].weight is None for t in objective.terms if t.code in by_code)
    word = TEXTS[lang]["equal"]
    terms = tuple(
        TermRow(
            indicator=_indicator_label(t.code, by_code[t.code].name if t.code in by_code else ""),
            value=format_percent(t.value, lang),
            value_used=format_percent(t.value_used, lang),
            weight=word if equal else format_number(t.weight, 2, lang),
            effective_weight=format_percent(t.effective_weight, lang),
        )
        for t in objective.terms
    )
    formula = ""
    if objective.compliance is not None and objective.terms:
        parts = " + ".join(
            f"({format_percent(t.value_used, lang)} × {format_percent(t.effective_weight, lang)})"
            for t in objective.terms
        )
        formula = f"{parts} = {format_percent(objective.compliance, lang)}"
    count = len(objective.terms)
    if lang == "es":
        if objective.compliance is None and objective.programmed_count == 0:
            intro = (
                "Ningún indicador de este objetivo tiene programación al corte: el objetivo no "
                f"tiene cifra de cumplimiento ({NO_PROGRAMMING[lang]}) y no se promedia como 0 %."
            )
        elif objective.compliance is None:
            intro = "Los pesos de todos los indicadores incluidos son 0: no hay promedio."
        else:
            what = "indicador programado" if count == 1 else f"{count} indicadores programados"
            weights = (
                f"sin pesos definidos en {vigencia}, pesan igual"
                if equal
                else f"pesos de {vigencia} renormalizados sobre los programados"
            )
            intro = (
                f"Promedio ponderado del % de avance al corte de su {what} al corte ({weights})."
                if count == 1
                else f"Promedio ponderado del % de avance al corte de sus {what} al corte "
                f"({weights})."
            )
    else:
        if objective.compliance is None and objective.programmed_count == 0:
            intro = (
                "No indicator of this objective is programmed at the cut: the objective has no "
                f"compliance figure ({NO_PROGRAMMING[lang]}) and is not averaged as 0 %."
            )
        elif objective.compliance is None:
            intro = "Every included indicator weighs 0: there is no mean to compute."
        else:
            weights = (
                f"no weights set for {vigencia}, equal weights"
                if equal
                else f"{vigencia} weights renormalised over the programmed ones"
            )
            intro = (
                f"Weighted mean of the % progress at the cut of its {count} indicator(s) "
                f"programmed at the cut ({weights})."
            )
    return {
        "how_intro": intro,
        "terms": terms,
        "formula": formula,
        "left_out": left_out,
        "show_value_used": cap is not None,
    }


def _rows(objective: ReportObjective, dataset: ReportDataset) -> tuple[Row, ...]:
    lang = dataset.lang
    return tuple(
        Row(
            goal=goal_label(i),
            indicator=_indicator_label(i.code, i.name),
            annual_target=_amount(i.annual_target, i.unit, lang),
            programmed=_amount(i.programmed, i.unit, lang),
            executed=_amount(i.executed, i.unit, lang),
            progress_cut=_pct(i.progress_cut, lang),
            progress_year=_pct(i.progress_year, lang),
            status=i.status_label,
            status_code=i.status.value,
            tone=_tone(i.semaforo),
            tone_label=_tone_label(i.semaforo, lang),
            alerts=i.alert_labels,
            has_analysis=bool(i.analysis.strip()),
        )
        for i in objective.indicators
    )


def _counts(objective: ReportObjective, lang: Lang) -> str:
    """ "4 indicadores · Cumplida: 1 · En rezago: 1 · No programada al corte: 2"."""
    total = len(objective.indicators)
    if lang == "es":
        head = f"{total} indicador" + ("" if total == 1 else "es")
    else:
        head = f"{total} indicator" + ("" if total == 1 else "s")
    parts = [
        f"{STATUS_LABELS[lang][Status(code)]}: {n}" for code, n in objective.status_counts.items()
    ]
    return " · ".join([head, *parts])


def _sections(dataset: ReportDataset) -> tuple[Section, ...]:
    lang = dataset.lang
    t = TEXTS[lang]
    numbers = _objective_numbers(dataset)
    sections = []
    for n, objective in enumerate(dataset.objectives, start=1):
        bars = [
            charts.Bar(
                label=i.code,
                value=i.progress_cut,
                tone=i.semaforo,
                note=f"{i.name}; {i.status_label}",
                missing=i.status_label,
            )
            for i in objective.indicators
        ]
        chart = charts.hbar_chart(
            bars,
            title=f"{t['indicators_chart']}: {numbers[objective.code]}",
            chart_id=f"chart-o{n}",
            lang=lang,
            width=430,
            row_height=24,
            bar_height=14,
            font_size=11,
            intro=t["chart_intro"],
            font_family=FONT_FAMILY,
        )
        how = _how(objective, lang, dataset.plan.cap, dataset.vigencia)
        sections.append(
            Section(
                anchor=f"objetivo-{n}",
                number=numbers[objective.code],
                name=objective.name,
                figure=_figure(
                    objective.compliance,
                    objective.semaforo,
                    lang,
                    missing=NO_PROGRAMMING[lang],
                ),
                year=_pct(objective.year, lang),
                four_year="" if objective.four_year is None else _pct(objective.four_year, lang),
                counts=_counts(objective, lang),
                rows=_rows(objective, dataset),
                analyses=tuple(
                    Analysis(
                        indicator=_indicator_label(i.code, i.name),
                        status=i.status_label,
                        text=i.analysis.strip(),
                    )
                    for i in objective.indicators
                    if i.analysis.strip()
                ),
                chart=_svg(chart),
                how_intro=how["how_intro"],
                terms=how["terms"],
                formula=how["formula"],
                left_out=how["left_out"],
            )
        )
    return tuple(sections)


def _summary_chart(dataset: ReportDataset) -> SafeString:
    lang = dataset.lang
    t = TEXTS[lang]
    numbers = _objective_numbers(dataset)
    bars = [
        charts.Bar(
            label=numbers[o.code],
            value=o.compliance,
            tone=o.semaforo,
            note=_tone_label(o.semaforo, lang),
            missing=NO_PROGRAMMING[lang],
        )
        for o in dataset.objectives
    ]
    return _svg(
        charts.hbar_chart(
            bars,
            title=f"{t['summary_chart']}, {dataset.cut_label}",
            chart_id="chart-objetivos",
            lang=lang,
            width=980,
            row_height=40,
            bar_height=24,
            font_size=14,
            intro=t["chart_intro"],
            font_family=FONT_FAMILY,
        )
    )


def _scheme(dataset: ReportDataset) -> SafeString:
    lang = dataset.lang
    plan = dataset.plan
    years = ", ".join(str(v) for v in dataset.vigencias)
    if lang == "es":
        steps = [
            charts.CascadeStep(
                "Plan de Desarrollo Distrital",
                f"{plan.development_plan} · metas de ciudad para el cuatrienio"
                if plan.development_plan
                else "metas de ciudad para el cuatrienio",
            ),
            charts.CascadeStep(
                f"Plan Estratégico Sectorial {plan.first_vigencia}-{plan.last_vigencia}",
                f"{plan.sector} · objetivos sectoriales, metas e indicadores",
            ),
            charts.CascadeStep(
                "Planes de acción anuales",
                f"vigencias {years} · metas anuales y programación por corte",
            ),
            charts.CascadeStep(
                "Proyectos de inversión",
                "metas de proyecto y actividades de las entidades del sector",
            ),
        ]
        intro = "Esquema en cascada, del plan de desarrollo a los proyectos de inversión:"
    else:
        steps = [
            charts.CascadeStep(
                "City development plan",
                f"{plan.development_plan} · the city's four-year goals"
                if plan.development_plan
                else "the city's four-year goals",
            ),
            charts.CascadeStep(
                f"Sector Strategic Plan {plan.first_vigencia}-{plan.last_vigencia}",
                f"{plan.sector} · sector objectives, goals and indicators",
            ),
            charts.CascadeStep(
                "Annual action plans", f"years {years} · annual targets and programming per cut"
            ),
            charts.CascadeStep(
                "Investment projects", "project goals and activities of the sector's entities"
            ),
        ]
        intro = "Cascade scheme, from the development plan to the investment projects:"
    return _svg(
        charts.cascade_diagram(
            steps,
            title=TEXTS[lang]["scheme"],
            chart_id="chart-cascada",
            intro=intro,
            font_family=FONT_FAMILY,
        )
    )


def _matrix(dataset: ReportDataset) -> tuple[MatrixGroup, ...]:
    lang = dataset.lang
    numbers = _objective_numbers(dataset)
    names = {o.code: o.name for o in dataset.objectives}
    weighted_years = {v for row in dataset.formulation for v in row.weights}
    groups: dict[str, list[MatrixRow]] = {}
    for row in dataset.formulation:
        per_year = tuple(
            (
                _amount(row.annual_targets.get(v), row.unit, lang),
                (
                    format_percent(row.weights[v], lang)
                    if v in row.weights
                    else DASH
                    if v in weighted_years
                    else TEXTS[lang]["equal"]
                ),
            )
            for v in dataset.vigencias
        )
        groups.setdefault(row.objective_code, []).append(
            MatrixRow(
                goal=goal_label(row),
                indicator=_indicator_label(row.indicator_code, row.indicator_name),
                unit=row.unit,
                kind=row.accumulation_label,
                baseline=_amount(row.baseline, row.unit, lang),
                target_4y=_amount(row.target_4y, row.unit, lang),
                per_year=per_year,
            )
        )
    return tuple(
        MatrixGroup(
            heading=f"{numbers.get(code, code)}. {names.get(code, '')}".rstrip(". "),
            rows=tuple(rows),
        )
        for code, rows in groups.items()
    )


# ---------------------------------------------------------------------------------------------
# Styles, fonts and logos


@cache
def _stylesheet() -> str:
    return (STATIC_DIR / "report.css").read_text(encoding="utf-8")


def _font_faces() -> str:
    return "\n".join(
        f'@font-face {{ font-family: "Cascada Sans"; src: url("{(FONT_DIR / name).as_uri()}") '
        f'format("truetype"); font-weight: {weight}; font-style: {style}; }}'
        for name, weight, style in FONT_FACES
    )


def _page_css(dataset: ReportDataset) -> str:
    """Paged-media rules whose text depends on the language (fixed words, never data): page
    numbers, and the section's name atop the pages it continues on."""
    t = TEXTS[dataset.lang]
    return (
        "@page { @bottom-right { content: "
        f'"{t["page"]} " counter(page) " {t["of"]} " counter(pages); }} }}\n'
        f'h2 {{ string-set: section content() " ({t["continued"]})"; }}'
    )


def _logo_src(path: object) -> str:
    """A plan logo as a data URI (so the page stands alone); "" when missing or not an image."""
    if not path:
        return ""
    file = Path(str(path))
    mime = mimetypes.guess_type(file.name)[0] or ""
    if not mime.startswith("image/") or not file.is_file():
        return ""
    return f"data:{mime};base64,{base64.b64encode(file.read_bytes()).decode('ascii')}"


def _logos(dataset: ReportDataset) -> list[str]:
    paths = (dataset.plan.logo_path, dataset.plan.secondary_logo_path)
    return [src for src in map(_logo_src, paths) if src]


# ---------------------------------------------------------------------------------------------


def _chunks(items: tuple[Card, ...], size: int) -> list[tuple[Card, ...]]:
    return [items[n : n + size] for n in range(0, len(items), size)]


def report_title(dataset: ReportDataset) -> str:
    return f"{dataset.plan.name} — {TEXTS[dataset.lang]['follow_up']} {dataset.cut_label}"


def render_html(dataset: ReportDataset, *, for_print: bool = False) -> str:
    """The follow-up report as one standalone HTML page (styles inline). ``for_print`` adds the
    project's embedded fonts by file URL and is what ``render_pdf`` lays out."""
    lang = dataset.lang
    t = TEXTS[lang]
    css = _stylesheet() + "\n" + _page_css(dataset)
    if for_print:
        css = _font_faces() + "\n" + css
    state = dataset.cut_state
    cards = tuple(
        Card(
            anchor=f"objetivo-{n}",
            number=number,
            name=o.name,
            figure=_figure(o.compliance, o.semaforo, lang, missing=NO_PROGRAMMING[lang]),
            year=_pct(o.year, lang),
        )
        for n, (o, number) in enumerate(
            zip(dataset.objectives, _objective_numbers(dataset).values(), strict=True), start=1
        )
    )
    context = {
        "t": t,
        "lang": lang,
        "html_lang": "es-CO" if lang == "es" else "en",
        "for_print": for_print,
        "css": mark_safe(css),  # noqa: S308 - the project's own stylesheet and fixed words
        "title": report_title(dataset),
        "plan": dataset.plan,
        "ds": dataset,
        "subtitle": f"{t['follow_up']} {dataset.cut_label}",
        "draft": (
            ""
            if state == "publicado"
            else t["draft"].format(state=STATE_LABELS[lang].get(state, state))
        ),
        "generated": t["generated"].format(
            date=format_date(timezone.localtime(dataset.generated_at).date(), lang)
        ),
        "created": dataset.generated_at.isoformat(timespec="seconds"),
        "logos": _logos(dataset),
        "scheme": _scheme(dataset),
        "method": _method(dataset),
        "plan_figure": _figure(
            dataset.compliance, dataset.semaforo, lang, missing=NO_PROGRAMMING[lang]
        ),
        "plan_year": _pct(dataset.year, lang),
        "plan_four_year": "" if dataset.four_year is None else _pct(dataset.four_year, lang),
        "year_label": t["year_progress"].format(year=dataset.vigencia),
        "col_year_target": t["col_year_target"].format(year=dataset.vigencia),
        "with_figure": sum(1 for o in dataset.objectives if o.compliance is not None),
        "card_rows": _chunks(cards, 4),
        "summary_chart": _summary_chart(dataset),
        "sections": _sections(dataset),
        "show_value_used": dataset.plan.cap is not None,
        "matrix": _matrix(dataset),
        "vigencias": dataset.vigencias,
        "matrix_cols": 6 + 2 * len(dataset.vigencias),
        "year_col": f"{37 / (2 * max(len(dataset.vigencias), 1)):.3f}",
        "annex_intro": t["annex_intro"].format(
            first=dataset.plan.first_vigencia, last=dataset.plan.last_vigencia
        ),
        "bands": _band_rows(dataset),
    }
    return render_to_string("reports/follow_up.html", context)
