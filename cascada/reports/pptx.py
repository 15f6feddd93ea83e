"""The follow-up report as an editable PowerPoint deck (16:9), built from scratch with python-pptx.

Sections in the order of the hand-made seed deck: cover, cascade planning scheme, legal basis,
mission, vision, measurement methodology, objectives summary (four per slide), a chart of the
objectives' compliance, one "Metas e indicadores" slide per objective (continued when long) with
its chart and qualitative analyses, the formulation matrix as an annex, and "Gracias".

Everything on the slides is native and editable: text boxes, shapes, tables and charts. Input is
a ``ReportDataset`` only; numbers and dates are formatted by ``cascada.engine.display``. Font
sizes are chosen (and long content split across slides) with the estimates of ``pptx_fit``, so
text stays inside its shape in PowerPoint and LibreOffice alike.
"""

from __future__ import annotations

import copy
import io
import math
import re
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu, Pt

from cascada.engine.display import (
    NO_PROGRAMMING,
    Lang,
    format_date,
    format_number,
    format_percent,
)
from cascada.engine.model import GoalKind
from cascada.engine.progress import IN_CUT_ROLLUP
from cascada.reports.dataset import (
    FormulationRow,
    ReportDataset,
    ReportIndicator,
    ReportObjective,
)
from cascada.reports.pptx_fit import EMU_PER_PT, Para, paras_fit, paras_height_pt

__all__ = ["render_pptx"]

FONT = "Arial"
SLIDE_W = 13.333  # inches, 16:9
SLIDE_H = 7.5
MARGIN = 0.5
CONTENT_W = SLIDE_W - 2 * MARGIN
CONTENT_TOP = 1.22
CONTENT_BOTTOM = 6.72
FOOTER_TOP = 6.84

DARK_RED = "8C1C13"
RED_2 = "A3342A"
RED_3 = "B5524A"
RED_4 = "C4716A"
RED_TINT = "F5E3E1"
INK = "262626"
GRAY = "595959"
GRAY_LIGHT = "8C8C8C"
RULE = "BFBFBF"
PANEL = "F2F2F2"
BAND = "F7F7F7"
WHITE = "FFFFFF"

SEMAFORO = {"rojo": "C0392B", "amarillo": "F1C40F", "verde": "2E8B57", "azul": "2471A3"}
SEMAFORO_TINT = {"rojo": "F8D7D3", "amarillo": "FCF3CF", "verde": "D5EFDD", "azul": "D6E6F5"}
NO_SEMAFORO = "A6A6A6"
NO_SEMAFORO_TINT = "EDEDED"
PERCENT_UNITS = {"porcentaje", "%", "percent", "percentage", "porcentaje (%)"}

_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

TEXT: dict[Lang, dict[str, str]] = {
    "es": {
        "follow_up": "Seguimiento",
        "draft": "Versión preliminar: el corte aún no está publicado",
        "generated": "Generado el",
        "development_plan": "Plan de Desarrollo",
        "cascade_title": "Esquema de planeación en cascada",
        "stage_pdd": "Plan de Desarrollo",
        "stage_pes": "Plan Estratégico Sectorial",
        "stage_paa": "Planes de acción anuales",
        "stage_pi": "Proyectos de inversión",
        "stage_pdd_text": "Cuatrienal. Fija las metas de ciudad a las que se alinea el sector.",
        "stage_pes_text": "Cuatrienal. {objectives} objetivos sectoriales, {goals} metas y "
        "{indicators} indicadores.",
        "stage_paa_text": "Uno por vigencia ({first}–{last}). Fijan la meta de cada año y la "
        "programación de cada corte.",
        "stage_pi_text": "Metas de proyecto y actividades. Las entidades reportan la ejecución de "
        "cada corte y su análisis cualitativo.",
        "vigencias": "Vigencias {first}–{last}",
        "stage_pi_sub": "Metas y actividades",
        "cascade_note": "El seguimiento recorre la cascada hacia arriba: el avance de proyectos y "
        "actividades alimenta los indicadores, los objetivos y el plan.",
        "legal_title": "Plan estratégico sectorial",
        "legal_kicker": "Marco legal",
        "mission": "Misión",
        "vision": "Visión",
        "source": "Fuente",
        "method_title": "Metodología de medición",
        "structure": "Estructura",
        "annual": "Cumplimiento anual",
        "calculation": "Cálculo de medición",
        "structure_intro": "El {plan} se mide a través del cumplimiento de:",
        "structure_outro": "Estos indicadores aportan al cumplimiento de los {n} objetivos "
        "sectoriales.",
        "annual_text": "Cada objetivo sectorial busca llegar al 100 % de cumplimiento anual a "
        "partir de la ponderación de los indicadores que le aportan.",
        "annual_weights_note": "La ponderación se fija por vigencia y puede cambiar cada año, "
        "según los indicadores programados.",
        "weights_set": "Las ponderaciones de {v} están en la matriz de formulación (anexo).",
        "weights_none": "Para {v} no se fijaron ponderaciones: los indicadores de cada objetivo "
        "pesan igual.",
        "calc_text": "El cumplimiento de cada objetivo al corte es el promedio ponderado del % de "
        "avance al corte de sus indicadores programados: Σ (peso × avance) / Σ peso.",
        "calc_weights": "Los pesos se renormalizan sobre los indicadores programados al corte; "
        "si no se fijan, todos pesan igual.",
        "calc_null": "Un objetivo sin indicadores programados al corte se presenta como «{np}», "
        "no como 0 %.",
        "cap_none": "Los avances superiores al 100 % se promedian sin tope.",
        "cap_set": "Dentro del cálculo, el avance de cada indicador se limita a {cap}.",
        "kind_sectorial": "Indicadores de metas sectoriales",
        "kind_estrategica": "Indicadores de metas estratégicas",
        "kind_proyecto_inversion": "Indicadores de proyectos de inversión",
        "kind_actividad": "Indicadores de actividades",
        "objectives_title": "Objetivos sectoriales",
        "objectives_sub": "Cumplimiento al corte del {cut}",
        "objective": "Objetivo",
        "semaforo": "Semáforo {c}",
        "programmed_of": "{p} de {n} indicadores programados al corte",
        "chart_title": "Cumplimiento de los objetivos al corte",
        "series_compliance": "Cumplimiento al corte",
        "series_reference": "Meta (100%)",
        "plan_compliance": "Cumplimiento del plan al corte",
        "plan_year": "Avance de la vigencia {v}",
        "plan_4y": "Avance del cuatrienio {first}-{last}",
        "goals_title": "Metas e indicadores · Objetivo {n}",
        "continued": "(continuación)",
        "objective_year": "Avance vigencia {v}: {year} · Avance cuatrienio: {four}",
        "col_goal": "Meta",
        "col_indicator": "Indicador",
        "col_target": "Programación {v}",
        "col_programmed": "Programación al corte",
        "col_executed": "Ejecutado al corte",
        "col_cut": "% avance al corte",
        "col_year": "% avance vigencia",
        "col_status": "Estado",
        "progress_title": "Avance de los indicadores · Objetivo {n}",
        "series_cut": "% avance al corte",
        "series_year": "% avance vigencia",
        "analysis_title": "Análisis cualitativo · Objetivo {n}",
        "analysis_head": "Análisis cualitativo",
        "at_cut": "al corte",
        "annex_title": "Anexo · Matriz de formulación",
        "annex_sub": "{plan}: metas por vigencia y ponderaciones de los indicadores",
        "col_objective": "Objetivo",
        "col_unit": "Unidad",
        "col_accumulation": "Anualización",
        "col_baseline": "Línea base",
        "col_target_4y": "Meta cuatrienio",
        "col_year_target": "Meta {v}",
        "weight": "Peso",
        "thanks": "Gracias",
        "notes_calc": "Cálculo del cumplimiento de {code} al corte",
        "notes_none": "Ningún indicador de {code} está programado al corte: {np}.",
        "notes_term": "{code}: avance {value} (usado {used}) × peso efectivo {weight}",
        "notes_result": "Resultado: {value}",
    },
    "en": {
        "follow_up": "Follow-up",
        "draft": "Preliminary version: this cut is not published yet",
        "generated": "Generated on",
        "development_plan": "Development plan",
        "cascade_title": "Cascade planning scheme",
        "stage_pdd": "Development plan",
        "stage_pes": "Sector strategic plan",
        "stage_paa": "Annual action plans",
        "stage_pi": "Investment projects",
        "stage_pdd_text": "Four-year plan. Sets the city goals the sector aligns to.",
        "stage_pes_text": "Four-year plan. {objectives} sector objectives, {goals} goals and "
        "{indicators} indicators.",
        "stage_paa_text": "One per year ({first}–{last}). They set each year's target and the "
        "programming of each cut.",
        "stage_pi_text": "Project goals and activities. Entities report each cut's execution and "
        "its qualitative analysis.",
        "vigencias": "Years {first}–{last}",
        "stage_pi_sub": "Goals and activities",
        "cascade_note": "Follow-up climbs the cascade: the progress of projects and activities "
        "feeds the indicators, the objectives and the plan.",
        "legal_title": "Sector strategic plan",
        "legal_kicker": "Legal basis",
        "mission": "Mission",
        "vision": "Vision",
        "source": "Source",
        "method_title": "Measurement methodology",
        "structure": "Structure",
        "annual": "Annual compliance",
        "calculation": "Calculation",
        "structure_intro": "The {plan} is measured through the compliance of:",
        "structure_outro": "These indicators add up to the compliance of the {n} sector "
        "objectives.",
        "annual_text": "Each sector objective aims at 100 % annual compliance, weighting the "
        "indicators that contribute to it.",
        "annual_weights_note": "Weights are set per year and may change every year, according to "
        "the indicators programmed.",
        "weights_set": "The {v} weights are listed in the formulation matrix (annex).",
        "weights_none": "No weights were set for {v}: each objective's indicators weigh the same.",
        "calc_text": "Each objective's compliance at the cut is the weighted mean of the % "
        "progress at the cut of its programmed indicators: Σ (weight × progress) / Σ weight.",
        "calc_weights": "Weights are renormalised over the indicators programmed at the cut; "
        "when none are set, all weigh the same.",
        "calc_null": "An objective with nothing programmed at the cut is shown as “{np}”, "
        "not as 0 %.",
        "cap_none": "Progress above 100 % is averaged without a cap.",
        "cap_set": "Inside the calculation each indicator's progress is capped at {cap}.",
        "kind_sectorial": "Sector goal indicators",
        "kind_estrategica": "Strategic goal indicators",
        "kind_proyecto_inversion": "Investment project indicators",
        "kind_actividad": "Activity indicators",
        "objectives_title": "Sector objectives",
        "objectives_sub": "Compliance at the {cut} cut",
        "objective": "Objective",
        "semaforo": "Traffic light: {c}",
        "programmed_of": "{p} of {n} indicators programmed at this cut",
        "chart_title": "Objectives' compliance at the cut",
        "series_compliance": "Compliance at the cut",
        "series_reference": "Target (100%)",
        "plan_compliance": "Plan compliance at the cut",
        "plan_year": "Progress in {v}",
        "plan_4y": "Progress in {first}-{last}",
        "goals_title": "Goals and indicators · Objective {n}",
        "continued": "(continued)",
        "objective_year": "Progress in {v}: {year} · Four-year progress: {four}",
        "col_goal": "Goal",
        "col_indicator": "Indicator",
        "col_target": "Target {v}",
        "col_programmed": "Programmed at cut",
        "col_executed": "Executed at cut",
        "col_cut": "% progress at cut",
        "col_year": "% progress in year",
        "col_status": "Status",
        "progress_title": "Indicators' progress · Objective {n}",
        "series_cut": "% progress at cut",
        "series_year": "% progress in year",
        "analysis_title": "Qualitative analysis · Objective {n}",
        "analysis_head": "Qualitative analysis",
        "at_cut": "at the cut",
        "annex_title": "Annex · Formulation matrix",
        "annex_sub": "{plan}: yearly targets and indicator weights",
        "col_objective": "Objective",
        "col_unit": "Unit",
        "col_accumulation": "Accumulation",
        "col_baseline": "Baseline",
        "col_target_4y": "Four-year target",
        "col_year_target": "Target {v}",
        "weight": "Weight",
        "thanks": "Thank you",
        "notes_calc": "How {code}'s compliance at the cut is computed",
        "notes_none": "No indicator of {code} is programmed at the cut: {np}.",
        "notes_term": "{code}: progress {value} (used {used}) × effective weight {weight}",
        "notes_result": "Result: {value}",
    },
}
SEMAFORO_LABELS: dict[Lang, dict[str, str]] = {
    "es": {"rojo": "rojo", "amarillo": "amarillo", "verde": "verde", "azul": "azul"},
    "en": {"rojo": "red", "amarillo": "amber", "verde": "green", "azul": "blue"},
}
LANGUAGE_ID = {"es": MSO_LANGUAGE_ID.SPANISH_COLOMBIA, "en": MSO_LANGUAGE_ID.ENGLISH_US}
LANGUAGE_TAG = {"es": "es-CO", "en": "en-US"}


def render_pptx(dataset: ReportDataset) -> bytes:
    """The deck of ``dataset`` as ``.pptx`` bytes."""
    return _Deck(dataset).build()


# ----------------------------------------------------------------------------------------------
# small helpers


def _emu(inches: float) -> Emu:
    return Emu(round(inches * 914400))


def _rgb(hex_color: str) -> RGBColor:
    red, green, blue = (int(hex_color[i : i + 2], 16) for i in (0, 2, 4))
    return RGBColor(red, green, blue)  # type: ignore[no-untyped-call]


def clean(text: str | None) -> str:
    """Text as it may go into the deck: XML-safe, one kind of line break, no stray spaces."""
    if not text:
        return ""
    text = _XML_BAD.sub(" ", str(text)).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\t", " ")
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _on_color(fill: str) -> str:
    """Text colour readable on ``fill``."""
    r, g, b = (int(fill[i : i + 2], 16) for i in (0, 2, 4))
    return INK if (0.299 * r + 0.587 * g + 0.114 * b) > 150 else WHITE


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.;:!?])\s+", text)
    return [p for p in parts if p]


@dataclass(frozen=True)
class Cell:
    paras: tuple[Para, ...]
    align: str = "l"
    fill: str = WHITE
    color: str = INK


@dataclass
class _Layout:
    """A measured text block: the size chosen and the height it takes (inches)."""

    size: float
    height: float
    paras: list[Para] = field(default_factory=list)


_ALIGN = {"l": PP_ALIGN.LEFT, "ctr": PP_ALIGN.CENTER, "r": PP_ALIGN.RIGHT}
_ANCHOR = {"t": MSO_ANCHOR.TOP, "m": MSO_ANCHOR.MIDDLE, "b": MSO_ANCHOR.BOTTOM}
_BOX_MARGINS = (0.08, 0.05, 0.08, 0.05)  # left, top, right, bottom (inches)
_CELL_MARGINS = (0.06, 0.04, 0.06, 0.04)


def measure(
    paras: Sequence[Para],
    width: float,
    sizes: Sequence[float],
    max_height: float | None = None,
    margins: tuple[float, float, float, float] = _BOX_MARGINS,
) -> _Layout | None:
    """The largest of ``sizes`` at which ``paras`` fit ``width`` (and ``max_height``) without
    breaking words, with the height they take; ``None`` when none fits."""
    inner_w = (width - margins[0] - margins[2]) * 72
    limit = None if max_height is None else (max_height - margins[1] - margins[3]) * 72
    for size in sizes:
        if limit is not None and not paras_fit(paras, inner_w, limit, size, whole_words=True):
            continue
        if limit is None and not paras_fit(paras, inner_w, 1e9, size, whole_words=True):
            continue
        height = paras_height_pt(paras, inner_w, size) / 72 + margins[1] + margins[3]
        return _Layout(size, math.ceil(height * 100) / 100 + 0.01, list(paras))
    return None


def measure_or_shrink(
    paras: Sequence[Para],
    width: float,
    sizes: Sequence[float],
    max_height: float,
    margins: tuple[float, float, float, float] = _BOX_MARGINS,
) -> _Layout:
    """Like ``measure``, but never fails: at the smallest size, words may break and, as a last
    resort for text no slide could hold, the longest paragraph is shortened with an ellipsis."""
    found = measure(paras, width, sizes, max_height, margins)
    if found is not None:
        return found
    size = sizes[-1]
    inner_w = (width - margins[0] - margins[2]) * 72
    limit = (max_height - margins[1] - margins[3]) * 72
    current = list(paras)
    while not paras_fit(current, inner_w, limit, size, whole_words=False):
        longest = max(range(len(current)), key=lambda i: len(current[i].text))
        text = current[longest].text
        if len(text) <= 1:
            break
        keep = max(1, int(len(text) * 0.9) - 1)
        current[longest] = replace(current[longest], text=text[:keep].rstrip() + "…")
    height = paras_height_pt(current, inner_w, size) / 72 + margins[1] + margins[3]
    return _Layout(size, min(height, max_height), current)


# ----------------------------------------------------------------------------------------------
# the deck


class _Deck:
    def __init__(self, dataset: ReportDataset) -> None:
        self.data = dataset
        self.lang: Lang = dataset.lang
        self.t = TEXT[self.lang]
        self.prs: Any = Presentation()
        self.prs.slide_width = _emu(SLIDE_W)
        self.prs.slide_height = _emu(SLIDE_H)
        self.blank = self.prs.slide_layouts[6]
        self._fix_master()

    # -- structure ---------------------------------------------------------------------------

    def build(self) -> bytes:
        data = self.data
        self.cover()
        self.cascade()
        if clean(data.plan.legal_basis):
            self.statement(
                self.t["legal_title"], [Para(clean(data.plan.legal_basis))], self.t["legal_kicker"]
            )
        if clean(data.plan.mission):
            self.statement(self.t["mission"], [Para(clean(data.plan.mission))])
        if clean(data.plan.vision):
            paras = [Para(p) for p in clean(data.plan.vision).split("\n")]
            if clean(data.plan.adopting_act):
                paras.append(
                    Para(
                        f"{self.t['source']}: {clean(data.plan.adopting_act)}",
                        scale=0.62,
                        italic=True,
                        color=GRAY,
                        space_before=14,
                    )
                )
            self.statement(self.t["vision"], paras)
        self.methodology()
        for start in range(0, len(data.objectives), 4):
            self.objectives_summary(data.objectives[start : start + 4], start)
        if data.objectives:
            self.objectives_chart()
        for number, objective in enumerate(data.objectives, start=1):
            self.objective_slides(number, objective)
        if data.formulation:
            self.annex()
        self.closing()
        self._properties()
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()

    def _properties(self) -> None:
        data = self.data
        props = self.prs.core_properties
        props.title = clean(f"{data.plan.name} · {self.t['follow_up']} {data.cut_label}")[:250]
        props.subject = clean(data.plan.sector)[:250]
        props.author = clean(data.plan.head_entity or data.plan.sector)[:250]
        props.last_modified_by = props.author
        props.keywords = f"{data.plan.code}; {data.cut.isoformat()}"
        props.category = self.t["follow_up"]
        props.language = LANGUAGE_TAG[self.lang]
        props.revision = 1
        generated = data.generated_at.replace(tzinfo=None, microsecond=0)
        props.created = generated
        props.modified = generated
        props.comments = ""

    def _fix_master(self) -> None:
        """The default template's theme fonts are Calibri; point them to Arial so that any text a
        user adds later matches the deck."""
        master = self.prs.slide_master.part
        theme = next(r.target_part for r in master.rels.values() if r.reltype.endswith("/theme"))
        theme._blob = re.sub(
            rb'<a:latin typeface="[^"]*"', f'<a:latin typeface="{FONT}"'.encode(), theme.blob
        )

    # -- primitives --------------------------------------------------------------------------

    def new_slide(self) -> Any:
        return self.prs.slides.add_slide(self.blank)

    def rect(
        self,
        slide: Any,
        x: float,
        y: float,
        w: float,
        h: float,
        fill: str | None,
        line: str | None = None,
        kind: Any = MSO_SHAPE.RECTANGLE,
        line_width: float = 0.75,
    ) -> Any:
        shape = slide.shapes.add_shape(kind, _emu(x), _emu(y), _emu(w), _emu(h))
        if fill is None:
            shape.fill.background()
        else:
            shape.fill.solid()
            shape.fill.fore_color.rgb = _rgb(fill)
        if line is None:
            shape.line.fill.background()
        else:
            shape.line.color.rgb = _rgb(line)
            shape.line.width = Pt(line_width)
        shape.shadow.inherit = False
        # LibreOffice ignores the empty effect list and draws the theme's shadow: point the
        # shape's style at no effect too
        effect = shape._element.find(f"{qn('p:style')}/{qn('a:effectRef')}")
        if effect is not None:
            effect.set("idx", "0")
        return shape

    def fill_frame(
        self,
        frame: Any,
        paras: Sequence[Para],
        size: float,
        color: str = INK,
        align: str = "l",
    ) -> None:
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        for index, para in enumerate(paras):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.alignment = _ALIGN[para.align or align]
            if para.space_before:
                paragraph.space_before = Pt(para.space_before)
            run_size = Pt(round(size * para.scale * 2) / 2)
            paragraph.font.size = run_size
            paragraph.font.name = FONT
            for line_no, line in enumerate(para.text.split("\n")):
                if line_no:
                    paragraph.add_line_break()
                run = paragraph.add_run()
                run.text = line
                font = run.font
                font.name = FONT
                font.size = run_size
                font.bold = para.bold
                font.italic = para.italic
                font.color.rgb = _rgb(para.color or color)
                font.language_id = LANGUAGE_ID[self.lang]

    def text(
        self,
        slide: Any,
        x: float,
        y: float,
        w: float,
        h: float,
        paras: Sequence[Para],
        sizes: Sequence[float],
        *,
        color: str = INK,
        align: str = "l",
        anchor: str = "t",
        fill: str | None = None,
        line: str | None = None,
        kind: Any = None,
        margins: tuple[float, float, float, float] = _BOX_MARGINS,
    ) -> Any:
        """A text box (or a shape ``kind`` with text) at the largest size that fits."""
        layout = measure_or_shrink(paras, w, sizes, h, margins)
        # rounding to half points never makes text larger than measured
        if kind is None:
            shape = slide.shapes.add_textbox(_emu(x), _emu(y), _emu(w), _emu(h))
            if fill is not None:
                shape.fill.solid()
                shape.fill.fore_color.rgb = _rgb(fill)
        else:
            shape = self.rect(slide, x, y, w, h, fill, line, kind)
        frame = shape.text_frame
        frame.margin_left, frame.margin_top, frame.margin_right, frame.margin_bottom = (
            _emu(m) for m in margins
        )
        frame.vertical_anchor = _ANCHOR[anchor]
        self.fill_frame(frame, layout.paras, layout.size, color, align)
        return shape

    def chrome(self, slide: Any, title: str, title_width: float = CONTENT_W) -> None:
        """Title, rule, source footer and slide number of a content slide."""
        self.text(
            slide,
            MARGIN,
            0.32,
            title_width,
            0.68,
            [Para(title, bold=True)],
            (26, 24, 22, 20, 18, 16),
            color=DARK_RED,
            anchor="m",
        )
        self.rect(slide, MARGIN, 1.06, CONTENT_W, 0.03, RULE)
        self.rect(slide, MARGIN, FOOTER_TOP - 0.04, CONTENT_W, 0.01, RULE)
        self.text(
            slide,
            MARGIN,
            FOOTER_TOP,
            CONTENT_W - 0.9,
            SLIDE_H - FOOTER_TOP - 0.1,
            [Para(clean(self.data.source_line))],
            (9, 8.5, 8, 7.5, 7),
            color=GRAY,
        )
        self.slide_number(slide, SLIDE_W - MARGIN - 0.8, FOOTER_TOP, 0.8, 0.32)

    def slide_number(self, slide: Any, x: float, y: float, w: float, h: float) -> None:
        number = len(self.prs.slides._sldIdLst)
        box = slide.shapes.add_textbox(_emu(x), _emu(y), _emu(w), _emu(h))
        frame = box.text_frame
        frame.margin_left, frame.margin_top, frame.margin_right, frame.margin_bottom = (
            _emu(m) for m in _BOX_MARGINS
        )
        frame.word_wrap = True
        paragraph = frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.RIGHT
        paragraph.font.size = Pt(10)
        paragraph.font.name = FONT
        fld = parse_xml(
            f'<a:fld {nsdecls("a")} id="{{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}}" '
            f'type="slidenum"><a:rPr lang="{LANGUAGE_TAG[self.lang]}" sz="1000" b="1">'
            f'<a:solidFill><a:srgbClr val="{DARK_RED}"/></a:solidFill>'
            f'<a:latin typeface="{FONT}"/></a:rPr><a:t>{number}</a:t></a:fld>'
        )
        paragraph._p.append(fld)

    def notes(self, slide: Any, lines: Iterable[str]) -> None:
        slide.notes_slide.notes_text_frame.text = "\n".join(clean(line) for line in lines)

    # -- cover, cascade, statements ------------------------------------------------------------

    def cover(self) -> None:
        data, t = self.data, self.t
        slide = self.new_slide()
        self.rect(slide, 0, 0, 0.32, SLIDE_H, DARK_RED)
        self.rect(slide, 0.32, SLIDE_H - 0.55, SLIDE_W - 0.32, 0.55, PANEL)
        x, w = 1.0, SLIDE_W - 2.0
        title = measure_or_shrink(
            [Para(clean(data.plan.name), bold=True)], w, (44, 40, 36, 32, 28, 24), 2.2
        )
        follow = measure_or_shrink(
            [Para(f"{t['follow_up']} {data.cut_label}")], w, (30, 28, 26, 24), 1.0
        )
        lines = [Para(clean(data.plan.sector), bold=True)]
        if clean(data.plan.head_entity):
            lines.append(Para(clean(data.plan.head_entity), scale=0.8, space_before=4))
        if clean(data.plan.development_plan):
            lines.append(
                Para(
                    f"{t['development_plan']}: {clean(data.plan.development_plan)}",
                    scale=0.65,
                    color=GRAY,
                    space_before=10,
                )
            )
        entity = measure_or_shrink(lines, w, (24, 22, 20, 18, 16), 2.0)
        draft = data.cut_state != "publicado"
        total = title.height + 0.1 + follow.height + 0.6 + entity.height + (0.75 if draft else 0)
        y = max(0.6, (SLIDE_H - 0.55 - total) / 2)
        self.text(slide, x, y, w, title.height, title.paras, (title.size,), color=DARK_RED)
        y += title.height + 0.1
        self.text(slide, x, y, w, follow.height, follow.paras, (follow.size,), color=INK)
        y += follow.height + 0.25
        self.rect(slide, x + 0.08, y, 2.4, 0.05, DARK_RED)
        y += 0.35
        self.text(slide, x, y, w, entity.height, entity.paras, (entity.size,), color=INK)
        y += entity.height + 0.3
        if draft:
            self.text(
                slide,
                x,
                y,
                7.0,
                0.45,
                [Para(t["draft"], bold=True)],
                (14, 13, 12, 11, 10),
                color=DARK_RED,
                line=DARK_RED,
                kind=MSO_SHAPE.RECTANGLE,
                anchor="m",
            )
        generated = format_date(data.generated_at.date(), self.lang)
        self.text(
            slide,
            x,
            SLIDE_H - 0.5,
            w,
            0.45,
            [Para(f"{clean(data.plan.code)} · {t['generated']} {generated}")],
            (11, 10, 9),
            color=GRAY,
            anchor="m",
        )

    def cascade(self) -> None:
        data, t = self.data, self.t
        slide = self.new_slide()
        self.chrome(slide, t["cascade_title"])
        plan = data.plan
        goals = {(r.objective_code, r.goal_code) for r in data.formulation}
        stages = [
            (t["stage_pdd"], clean(plan.development_plan), t["stage_pdd_text"]),
            (
                t["stage_pes"],
                f"{plan.first_vigencia}-{plan.last_vigencia} · {clean(plan.sector)}",
                t["stage_pes_text"].format(
                    objectives=len(data.objectives),
                    goals=len(goals),
                    indicators=len(data.formulation),
                ),
            ),
            (
                t["stage_paa"],
                t["vigencias"].format(first=plan.first_vigencia, last=plan.last_vigencia),
                t["stage_paa_text"].format(first=plan.first_vigencia, last=plan.last_vigencia),
            ),
            (t["stage_pi"], t["stage_pi_sub"], t["stage_pi_text"]),
        ]
        fills = (DARK_RED, RED_2, RED_3, RED_4)
        width, step, height, point = 3.2, 3.043, 1.4, 0.45
        card_margins = (0.15, 0.12, 0.15, 0.12)
        heads = [[Para(n, bold=True), Para(s, scale=0.75, space_before=3)] for n, s, _ in stages]
        head_size = min(
            measure_or_shrink(p, 2.25, (18, 17, 16, 15, 14, 13, 12), height).size for p in heads
        )
        cards = [
            measure_or_shrink([Para(d)], 2.9, (18, 17, 16, 15, 14, 13, 12), 2.4, card_margins)
            for _, _, d in stages
        ]
        card_size = min(c.size for c in cards)
        card_h = max(
            measure_or_shrink([Para(d)], 2.9, (card_size,), 2.4, card_margins).height
            for _, _, d in stages
        )
        card_h = max(card_h + 0.1, 1.3)
        note_h = 0.9
        total = height + 0.25 + card_h + 0.35 + note_h
        top = CONTENT_TOP + max(0.1, (CONTENT_BOTTOM - CONTENT_TOP - total) / 2)
        card_top = top + height + 0.25
        for index, (_, _, detail) in enumerate(stages):
            x = MARGIN + index * step
            shape = self.rect(
                slide,
                x,
                top,
                width,
                height,
                fills[index],
                kind=MSO_SHAPE.PENTAGON if index == 0 else MSO_SHAPE.CHEVRON,
            )
            shape.adjustments[0] = point / height
            # the stage's words in a text box over the arrow: its text area is then exact
            left = x + (0.12 if index == 0 else point + 0.05)
            self.text(
                slide,
                left,
                top,
                x + width - point - left,
                height,
                heads[index],
                (head_size,),
                color=WHITE,
                anchor="m",
            )
            self.text(
                slide,
                x + 0.15,
                card_top,
                width - 0.3,
                card_h,
                [Para(detail)],
                (card_size,),
                color=INK,
                fill=PANEL,
                margins=(0.15, 0.12, 0.15, 0.12),
            )
        note_top = card_top + card_h + 0.35
        self.text(
            slide,
            MARGIN,
            note_top,
            CONTENT_W,
            min(note_h, CONTENT_BOTTOM - note_top),
            [Para(t["cascade_note"])],
            (16, 15, 14, 13, 12, 11),
            color=INK,
            fill=RED_TINT,
            kind=MSO_SHAPE.LEFT_ARROW,
            anchor="m",
            margins=(0.9, 0.05, 0.3, 0.05),
        )

    def statement(self, title: str, paras: list[Para], kicker: str | None = None) -> None:
        """A slide of prose (legal basis, mission, vision), continued when it is too long."""
        top = CONTENT_TOP + 0.35
        if kicker:
            top += 0.45
        x, w = MARGIN + 0.55, CONTENT_W - 0.8
        height = CONTENT_BOTTOM - top - 0.2
        sizes = (26, 24, 22, 20, 18, 16)
        pages = self.paginate([paras], w, height, sizes, min_size=16)
        for page_no, (page, size) in enumerate(pages):
            slide = self.new_slide()
            self.chrome(slide, title if page_no == 0 else f"{title} {self.t['continued']}")
            if kicker:
                self.text(
                    slide,
                    MARGIN,
                    CONTENT_TOP + 0.2,
                    CONTENT_W,
                    0.45,
                    [Para(kicker, bold=True)],
                    (16, 14),
                    color=GRAY,
                )
            layout = measure_or_shrink(page, w, (size,), height)
            y = top + max(0.0, (height - layout.height) / 2 - 0.3)
            self.rect(slide, MARGIN + 0.25, y, 0.08, layout.height, DARK_RED)
            self.text(slide, x, y, w, layout.height, page, (size,), color=INK)

    def paginate(
        self,
        blocks: Sequence[Sequence[Para]],
        width: float,
        height: float,
        sizes: Sequence[float],
        min_size: float,
        keep: int = 0,
    ) -> list[tuple[list[Para], float]]:
        """Blocks of paragraphs on as few pages (text boxes of ``width`` × ``height``) as possible:
        all on one at the largest size that fits, otherwise flowing at ``min_size`` from page to
        page, long paragraphs split between sentences (or words). The first ``keep`` paragraphs
        of a block (its heading) stay with the paragraph that follows them."""
        everything = [p for block in blocks for p in block]
        one = measure(everything, width, sizes, height)
        if one is not None:
            return [(everything, one.size)]
        size = min_size
        inner_w = (width - _BOX_MARGINS[0] - _BOX_MARGINS[2]) * 72
        inner_h = (height - _BOX_MARGINS[1] - _BOX_MARGINS[3]) * 72

        def fits(paras: list[Para]) -> bool:
            return paras_fit(paras, inner_w, inner_h, size, whole_words=False)

        queue: deque[list[Para]] = deque()
        for block in blocks:
            queue.append(list(block[: keep + 1]))
            queue.extend([p] for p in block[keep + 1 :])
        pages: list[list[Para]] = []
        current: list[Para] = []
        while queue:
            unit = queue.popleft()
            if fits(current + unit):
                current += unit
                continue
            fixed, last = unit[:-1], unit[-1]

            def take(
                pieces: list[str],
                before: tuple[Para, ...] = (*current, *fixed),
                last: Para = last,
            ) -> int:
                taken = 0
                while taken < len(pieces) and fits(
                    [*before, replace(last, text=" ".join(pieces[: taken + 1]))]
                ):
                    taken += 1
                return taken

            pieces = _sentences(last.text)
            taken = take(pieces)
            if taken == 0 and not current:
                pieces = last.text.split(" ")
                taken = take(pieces)
            if 0 < taken < len(pieces):
                current += [*fixed, replace(last, text=" ".join(pieces[:taken]))]
                pages.append(current)
                current = []
                queue.appendleft([replace(last, text=" ".join(pieces[taken:]), space_before=0)])
            elif current:
                pages.append(current)
                current = []
                queue.appendleft(unit)
            elif len(unit) > 1:
                queue.extendleft([p] for p in reversed(unit))
            else:  # not even one word fits an empty page: the text box will shorten it
                pages.append(unit)
        if current:
            pages.append(current)
        return [(page, size) for page in pages]

    # -- methodology ---------------------------------------------------------------------------

    def methodology(self) -> None:
        data, t = self.data, self.t
        slide = self.new_slide()
        self.chrome(slide, t["method_title"])
        kinds_present = {i.goal_kind for o in data.objectives for i in o.indicators}
        kinds = [k for k in GoalKind if k in kinds_present]
        structure = [Para(t["structure_intro"].format(plan=clean(data.plan.name)))]
        structure += [Para(f"•  {t['kind_' + k.value]}", space_before=4) for k in kinds]
        structure.append(Para(t["structure_outro"].format(n=len(data.objectives)), space_before=10))
        weighted = any(data.vigencia in row.weights for row in data.formulation)
        annual = [
            Para(t["annual_text"]),
            Para(t["annual_weights_note"], space_before=10),
            Para(
                (t["weights_set"] if weighted else t["weights_none"]).format(v=data.vigencia),
                space_before=10,
            ),
        ]
        cap = data.plan.cap
        calculation = [
            Para(t["calc_text"]),
            Para(t["calc_weights"], space_before=10),
            Para(t["calc_null"].format(np=NO_PROGRAMMING[self.lang]), space_before=10),
            Para(
                t["cap_set"].format(cap=format_percent(cap, self.lang))
                if cap is not None
                else t["cap_none"],
                space_before=10,
            ),
        ]
        gap = 0.25
        width = (CONTENT_W - 2 * gap) / 3
        sizes = (18, 17, 16, 15, 14, 13, 12, 11, 10)
        columns = [
            (t["structure"], structure),
            (t["annual"], annual),
            (t["calculation"], calculation),
        ]
        top, header = CONTENT_TOP + 0.15, 0.6
        body_h = CONTENT_BOTTOM - top - header - 0.05
        size = min(
            measure_or_shrink(body, width, sizes, body_h, (0.18, 0.15, 0.18, 0.15)).size
            for _, body in columns
        )
        for index, (heading, body) in enumerate(columns):
            x = MARGIN + index * (width + gap)
            self.text(
                slide,
                x,
                top,
                width,
                header,
                [Para(heading, bold=True)],
                (18, 16, 14),
                color=WHITE,
                fill=DARK_RED,
                kind=MSO_SHAPE.RECTANGLE,
                anchor="m",
                margins=(0.18, 0.05, 0.18, 0.05),
            )
            self.text(
                slide,
                x,
                top + header,
                width,
                body_h,
                body,
                (size,),
                color=INK,
                fill=PANEL,
                margins=(0.18, 0.15, 0.18, 0.15),
            )

    # -- objectives summary and chart ----------------------------------------------------------

    def pill(
        self,
        slide: Any,
        x: float,
        y: float,
        w: float,
        h: float,
        value: Decimal | None,
        semaforo: str | None,
        sizes: Sequence[float] = (28, 26, 24, 22, 20),
    ) -> None:
        """The compliance figure on its semáforo colour, with the colour also said in words."""
        if value is None:
            self.text(
                slide,
                x,
                y,
                w,
                h,
                [Para(NO_PROGRAMMING[self.lang], bold=True)],
                (15, 14, 13, 12, 11, 10),
                color=GRAY,
                align="ctr",
                anchor="m",
                fill=NO_SEMAFORO_TINT,
                line=RULE,
                kind=MSO_SHAPE.ROUNDED_RECTANGLE,
                margins=(0.1, 0.05, 0.1, 0.05),
            )
            return
        fill = SEMAFORO.get(semaforo or "", NO_SEMAFORO)
        paras = [Para(format_percent(value, self.lang), bold=True)]
        if semaforo in SEMAFORO:
            label = SEMAFORO_LABELS[self.lang][semaforo]
            paras.append(Para(self.t["semaforo"].format(c=label), scale=0.42, space_before=1))
        self.text(
            slide,
            x,
            y,
            w,
            h,
            paras,
            sizes,
            color=_on_color(fill),
            align="ctr",
            anchor="m",
            fill=fill,
            kind=MSO_SHAPE.ROUNDED_RECTANGLE,
            margins=(0.1, 0.05, 0.1, 0.05),
        )

    def objectives_summary(self, objectives: Sequence[ReportObjective], start: int) -> None:
        data, t = self.data, self.t
        slide = self.new_slide()
        self.chrome(slide, t["objectives_title"])
        self.text(
            slide,
            MARGIN,
            CONTENT_TOP,
            CONTENT_W,
            0.42,
            [Para(t["objectives_sub"].format(cut=data.cut_label))],
            (16, 15, 14),
            color=GRAY,
        )
        top, gap = CONTENT_TOP + 0.5, 0.14
        row_h = (CONTENT_BOTTOM - top - 3 * gap) / 4
        left_w, pill_w = 1.85, 2.25
        name_x = MARGIN + 0.12 + left_w + 0.1
        name_w = CONTENT_W - (name_x - MARGIN) - pill_w - 0.3
        name_sizes = (15, 14, 13, 12, 11, 10, 9)
        size = min(
            measure_or_shrink([Para(clean(o.name))], name_w, name_sizes, row_h - 0.1).size
            for o in objectives
        )
        for offset, objective in enumerate(objectives):
            number = start + offset + 1
            y = top + offset * (row_h + gap)
            self.rect(slide, MARGIN, y, CONTENT_W, row_h, WHITE, RULE)
            bar = SEMAFORO.get(objective.semaforo or "", NO_SEMAFORO)
            self.rect(slide, MARGIN, y, 0.12, row_h, bar)
            programmed = t["programmed_of"].format(
                p=objective.programmed_count, n=len(objective.indicators)
            )
            self.text(
                slide,
                MARGIN + 0.2,
                y + 0.05,
                left_w,
                row_h - 0.1,
                [
                    Para(f"{t['objective']} {number}", bold=True, color=DARK_RED),
                    Para(f"{clean(objective.code)} · {programmed}", scale=0.62, space_before=4),
                ],
                (16, 15, 14, 13, 12),
                color=GRAY,
                anchor="m",
            )
            self.text(
                slide,
                name_x,
                y + 0.05,
                name_w,
                row_h - 0.1,
                [Para(clean(objective.name))],
                (size,),
                color=INK,
                anchor="m",
            )
            self.pill(
                slide,
                SLIDE_W - MARGIN - pill_w - 0.12,
                y + 0.1,
                pill_w,
                row_h - 0.2,
                objective.compliance,
                objective.semaforo,
            )

    def objectives_chart(self) -> None:
        data, t = self.data, self.t
        slide = self.new_slide()
        self.chrome(slide, t["chart_title"])
        chart_w = 8.75
        values = [o.compliance for o in data.objectives]
        self.bar_chart(
            slide,
            MARGIN,
            CONTENT_TOP + 0.1,
            chart_w,
            4.95,
            [clean(o.code) for o in data.objectives],
            [
                _Series(
                    t["series_compliance"],
                    values,
                    [SEMAFORO.get(o.semaforo or "", NO_SEMAFORO) for o in data.objectives],
                )
            ],
            colour=DARK_RED,
        )
        missing = [clean(o.code) for o in data.objectives if o.compliance is None]
        if missing:
            self.text(
                slide,
                MARGIN,
                CONTENT_TOP + 5.1,
                chart_w,
                0.4,
                [Para(f"{', '.join(missing)}: {NO_PROGRAMMING[self.lang]}.", italic=True)],
                (11, 10, 9, 8),
                color=GRAY,
            )
        x, w = MARGIN + chart_w + 0.35, CONTENT_W - chart_w - 0.35
        plan = data.plan
        figures = [
            (t["plan_compliance"], data.compliance, data.semaforo, True),
            (t["plan_year"].format(v=data.vigencia), data.year, None, False),
            (
                t["plan_4y"].format(first=plan.first_vigencia, last=plan.last_vigencia),
                data.four_year,
                None,
                False,
            ),
        ]
        y, h = CONTENT_TOP + 0.25, 1.55
        for label, value, semaforo, main in figures:
            self.rect(slide, x, y, w, h, PANEL)
            accent = SEMAFORO.get(semaforo or "", DARK_RED) if main else RULE
            self.rect(slide, x, y, 0.1, h, accent)
            if value is None:
                shown = NO_PROGRAMMING[self.lang] if main else "—"
                big: Sequence[float] = (16, 14, 12)
            else:
                shown = format_percent(value, self.lang)
                big = (32, 30, 28, 26, 24) if main else (28, 26, 24, 22)
            paras = [Para(label, scale=0.45, color=GRAY), Para(shown, bold=True, space_before=2)]
            if main and semaforo in SEMAFORO:
                word = SEMAFORO_LABELS[self.lang][semaforo or ""]
                paras.append(Para(t["semaforo"].format(c=word), scale=0.4, color=GRAY))
            self.text(
                slide,
                x + 0.2,
                y + 0.05,
                w - 0.25,
                h - 0.1,
                paras,
                big,
                color=INK,
                anchor="m",
            )
            y += h + 0.25

    # -- one objective -------------------------------------------------------------------------

    def objective_slides(self, number: int, objective: ReportObjective) -> None:
        data, t = self.data, self.t
        title = t["goals_title"].format(n=number)
        widths = [3.2, 2.62, 1.1, 1.1, 1.05, 0.98, 0.98, 1.3]
        header = [
            t["col_goal"],
            t["col_indicator"],
            t["col_target"].format(v=data.vigencia),
            t["col_programmed"],
            t["col_executed"],
            t["col_cut"],
            t["col_year"],
            t["col_status"],
        ]
        header_cells = [
            Cell((Para(h, bold=True, scale=0.9),), "l" if i < 2 else "ctr", DARK_RED, WHITE)
            for i, h in enumerate(header)
        ]
        rows = [self.indicator_cells(i, n) for n, i in enumerate(objective.indicators)]
        name_w = CONTENT_W - 2.7
        name = measure_or_shrink([Para(clean(objective.name))], name_w, (15, 14, 13, 12, 11), 1.4)
        info_y = CONTENT_TOP + name.height
        table_top = info_y + 0.38
        rest_info_y = CONTENT_TOP
        rest_top = rest_info_y + 0.38
        pages = self.table_pages(
            header_cells, rows, widths, CONTENT_BOTTOM - table_top, CONTENT_BOTTOM - rest_top
        )
        year = format_percent(objective.year, self.lang) or "—"
        four = format_percent(objective.four_year, self.lang) or "—"
        info = t["objective_year"].format(v=data.vigencia, year=year, four=four)
        programmed = t["programmed_of"].format(
            p=objective.programmed_count, n=len(objective.indicators)
        )
        for page_no, (page_rows, heights, size) in enumerate(pages):
            slide = self.new_slide()
            self.chrome(
                slide,
                title if page_no == 0 else f"{title} {t['continued']}",
                title_width=CONTENT_W - 2.6,
            )
            self.pill(
                slide,
                SLIDE_W - MARGIN - 2.45,
                0.2,
                2.45,
                0.8,
                objective.compliance,
                objective.semaforo,
                (24, 22, 20, 18),
            )
            if page_no == 0:  # the objective's name; continuation pages go straight to the table
                self.text(slide, MARGIN, CONTENT_TOP, name_w, name.height, name.paras, (name.size,))
            self.text(
                slide,
                MARGIN,
                info_y if page_no == 0 else rest_info_y,
                CONTENT_W,
                0.34,
                [Para(f"{info} · {programmed}")],
                (12, 11, 10, 9),
                color=GRAY,
            )
            self.table(
                slide,
                MARGIN,
                table_top if page_no == 0 else rest_top,
                widths,
                [header_cells, *page_rows],
                heights,
                size,
            )
            if page_no == 0:
                self.notes(slide, self.explanation(objective))
        self.progress_and_analyses(number, objective)

    def explanation(self, objective: ReportObjective) -> list[str]:
        t, lang = self.t, self.lang
        code = clean(objective.code)
        if objective.compliance is None:
            return [t["notes_none"].format(code=code, np=NO_PROGRAMMING[lang])]
        lines = [t["notes_calc"].format(code=code)]
        for term in objective.terms:
            lines.append(
                t["notes_term"].format(
                    code=clean(term.code),
                    value=format_percent(term.value, lang),
                    used=format_percent(term.value_used, lang),
                    weight=format_percent(term.effective_weight, lang),
                )
            )
        lines.append(t["notes_result"].format(value=format_percent(objective.compliance, lang)))
        return lines

    def value(self, value: Decimal | None, unit: str) -> str:
        if value is None:
            return "—"
        if unit.strip().lower() in PERCENT_UNITS:
            return format_percent(value, self.lang)
        return format_number(value, 2, self.lang)

    def indicator_cells(self, indicator: ReportIndicator, index: int) -> list[Cell]:
        band = WHITE if index % 2 == 0 else BAND
        unit = indicator.unit
        programmed = indicator.status in IN_CUT_ROLLUP
        tint = SEMAFORO_TINT.get(indicator.semaforo or "", NO_SEMAFORO_TINT)
        goal_head = _goal_heading(indicator.goal_kind_label, clean(indicator.goal_code))
        return [
            Cell((Para(goal_head, bold=True), Para(clean(indicator.goal_name))), fill=band),
            Cell((Para(clean(indicator.code), bold=True), Para(clean(indicator.name))), fill=band),
            Cell((Para(self.value(indicator.annual_target, unit)),), "r", band),
            Cell((Para(self.value(indicator.programmed, unit)),), "r", band),
            Cell((Para(self.value(indicator.executed, unit)),), "r", band),
            Cell(
                (Para(format_percent(indicator.progress_cut, self.lang) or "—", bold=programmed),),
                "r",
                band,
            ),
            Cell((Para(format_percent(indicator.progress_year, self.lang) or "—"),), "r", band),
            Cell((Para(indicator.status_label, bold=True),), "ctr", tint),
        ]

    def table_pages(
        self,
        header: list[Cell],
        rows: list[list[Cell]],
        widths: list[float],
        first: float,
        rest: float | None = None,
        sizes: Sequence[float] = (11, 10.5, 10, 9.5, 9, 8.5, 8),
        comfortable: float = 9.5,
    ) -> list[tuple[list[list[Cell]], list[float], float]]:
        """Rows split into pages (header repeated) of at most ``first`` inches on the first page
        and ``rest`` on the following ones: at the size (not below ``comfortable`` unless it must)
        that needs the fewest pages, the largest such, where no word breaks and no row is taller
        than a page."""
        rest = first if rest is None else rest
        candidates: list[tuple[float, list[float], list[list[int]]]] = []
        for size in sizes:
            try:
                heights = [self.row_height(r, widths, size, strict=True) for r in [header, *rows]]
            except _DoesNotFit:
                continue
            if max(heights[1:], default=0) + heights[0] <= min(first, rest):
                candidates.append((size, heights, _pack(heights, first, rest)))
        pool = [c for c in candidates if c[0] >= comfortable] or candidates
        if pool:
            size, heights, packing = min(pool, key=lambda c: (len(c[2]), -c[0]))
        else:
            size = sizes[-1]
            limit = min(first, rest) - self.row_height(header, widths, size)
            rows = [self.shrink_row(r, widths, size, limit) for r in rows]
            heights = [self.row_height(r, widths, size) for r in [header, *rows]]
            packing = _pack(heights, first, rest)
        return [
            ([rows[i] for i in page], [heights[0], *(heights[i + 1] for i in page)], size)
            for page in packing
        ]

    def row_height(
        self, row: list[Cell], widths: list[float], size: float, strict: bool = False
    ) -> float:
        height = 0.3
        for cell, width in zip(row, widths, strict=True):
            layout = measure(cell.paras, width, (size,), None, _CELL_MARGINS)
            if layout is None:
                if strict:
                    raise _DoesNotFit
                inner = (width - _CELL_MARGINS[0] - _CELL_MARGINS[2]) * 72
                needed = paras_height_pt(cell.paras, inner, size) / 72
                layout = _Layout(size, needed + _CELL_MARGINS[1] + _CELL_MARGINS[3])
            height = max(height, layout.height)
        return round(height + 0.005, 3)

    def shrink_row(
        self, row: list[Cell], widths: list[float], size: float, limit: float
    ) -> list[Cell]:
        cells = []
        for cell, width in zip(row, widths, strict=True):
            layout = measure_or_shrink(cell.paras, width, (size,), limit, _CELL_MARGINS)
            cells.append(replace(cell, paras=tuple(layout.paras)))
        return cells

    def table(
        self,
        slide: Any,
        x: float,
        y: float,
        widths: list[float],
        rows: list[list[Cell]],
        heights: list[float],
        size: float,
    ) -> Any:
        shape = slide.shapes.add_table(
            len(rows), len(widths), _emu(x), _emu(y), _emu(sum(widths)), _emu(sum(heights))
        )
        table = shape.table
        style = table._tbl.tblPr.find(qn("a:tableStyleId"))
        if style is not None:
            style.text = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"  # no style, no grid
        table.first_row = True
        table.horz_banding = False
        for index, width in enumerate(widths):
            table.columns[index].width = _emu(width)
        for r, (row, height) in enumerate(zip(rows, heights, strict=True)):
            table.rows[r].height = _emu(height)
            for c, spec in enumerate(row):
                cell = table.cell(r, c)
                _cell_borders(cell, RULE)
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb(spec.fill)
                cell.margin_left, cell.margin_top, cell.margin_right, cell.margin_bottom = (
                    _emu(m) for m in _CELL_MARGINS
                )
                cell.vertical_anchor = MSO_ANCHOR.MIDDLE if r == 0 else MSO_ANCHOR.TOP
                self.fill_frame(cell.text_frame, spec.paras, size, spec.color, spec.align)
        return shape

    def progress_and_analyses(self, number: int, objective: ReportObjective) -> None:
        t = self.t
        programmed = [i for i in objective.indicators if i.status in IN_CUT_ROLLUP]
        with_analysis = [i for i in objective.indicators if clean(i.analysis)]
        blocks = [self.analysis_block(i, n == 0) for n, i in enumerate(with_analysis)]
        top, height = CONTENT_TOP + 0.1, CONTENT_BOTTOM - CONTENT_TOP - 0.1
        if programmed:
            slide = self.new_slide()
            self.chrome(slide, t["progress_title"].format(n=number))
            chart_w = CONTENT_W
            if blocks:
                side_w = 5.4
                paras = [Para(t["analysis_head"], bold=True, scale=1.1, color=DARK_RED)]
                paras += [replace(p, space_before=p.space_before) for b in blocks for p in b]
                layout = measure(paras, side_w, (14, 13, 12), height, (0.2, 0.15, 0.2, 0.15))
                if layout is not None:
                    chart_w = CONTENT_W - side_w - 0.3
                    self.text(
                        slide,
                        SLIDE_W - MARGIN - side_w,
                        top,
                        side_w,
                        height,
                        layout.paras,
                        (layout.size,),
                        fill=PANEL,
                        margins=(0.2, 0.15, 0.2, 0.15),
                    )
                    blocks = []
            series = [
                _Series(t["series_cut"], [i.progress_cut or Decimal(0) for i in programmed], None),
                _Series(t["series_year"], [i.progress_year for i in programmed], None),
            ]
            x = MARGIN
            if chart_w == CONTENT_W:  # alone on the slide: no wider than its bars need
                chart_w = min(CONTENT_W, 3.2 + 2.4 * len(programmed))
                x = MARGIN + (CONTENT_W - chart_w) / 2
            self.bar_chart(
                slide,
                x,
                top,
                chart_w,
                height,
                [clean(i.code) for i in programmed],
                series,
                colour=DARK_RED,
                second=GRAY_LIGHT,
            )
        if blocks:
            gap = 0.4
            width = (CONTENT_W - gap) / 2
            columns = self.paginate(blocks, width, height, (16, 15, 14), min_size=14, keep=2)
            title = t["analysis_title"].format(n=number)
            for page_no in range(0, len(columns), 2):
                slide = self.new_slide()
                self.chrome(slide, title if page_no == 0 else f"{title} {t['continued']}")
                for column, (page, size) in enumerate(columns[page_no : page_no + 2]):
                    page[0] = replace(page[0], space_before=0)
                    x = MARGIN + column * (width + gap)
                    self.text(slide, x, top, width, height, page, (size,))

    def analysis_block(self, indicator: ReportIndicator, first: bool) -> list[Para]:
        t, lang = self.t, self.lang
        facts = [indicator.status_label]
        if indicator.progress_cut is not None:
            facts.append(f"{format_percent(indicator.progress_cut, lang)} {t['at_cut']}")
        if indicator.progress_year is not None:
            year = t["col_year"]
            facts.append(f"{year}: {format_percent(indicator.progress_year, lang)}")
        paras = [
            Para(
                f"{clean(indicator.code)} · {clean(indicator.name)}",
                bold=True,
                color=DARK_RED,
                space_before=0 if first else 14,
            ),
            Para(" · ".join(facts), scale=0.85, color=GRAY, space_before=2),
        ]
        paras += [Para(line, space_before=4) for line in clean(indicator.analysis).split("\n")]
        return paras

    # -- charts --------------------------------------------------------------------------------

    def bar_chart(
        self,
        slide: Any,
        x: float,
        y: float,
        w: float,
        h: float,
        categories: list[str],
        series: list[_Series],
        colour: str,
        second: str = GRAY_LIGHT,
    ) -> Any:
        lang = self.lang
        chart_data: Any = CategoryChartData(number_format="0.00")  # type: ignore[no-untyped-call]
        chart_data.categories = categories
        for spec in series:
            chart_data.add_series(spec.name, [None if v is None else float(v) for v in spec.values])
        chart_data.add_series(self.t["series_reference"], [100.0] * len(categories))
        frame = slide.shapes.add_chart(
            XL_CHART_TYPE.COLUMN_CLUSTERED, _emu(x), _emu(y), _emu(w), _emu(h), chart_data
        )
        chart = frame.chart
        chart.font.name = FONT
        chart.font.size = Pt(12)
        chart.font.color.rgb = _rgb(INK)
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(12)
        plot = chart.plots[0]
        plot.gap_width = {1: 200, 2: 140, 3: 110}.get(len(categories), 80)
        plot.overlap = -10
        plot.vary_by_categories = False
        label_size = 12 if len(categories) * len(series) <= 10 else 10
        for index, (spec, ser) in enumerate(zip(series, plot.series, strict=False)):
            ser.format.fill.solid()
            ser.format.fill.fore_color.rgb = _rgb(colour if index == 0 else second)
            ser.invert_if_negative = False
            for point_no, value in enumerate(spec.values):
                if value is None:
                    continue
                point = ser.points[point_no]
                if spec.point_colours is not None:
                    point.format.fill.solid()
                    point.format.fill.fore_color.rgb = _rgb(spec.point_colours[point_no])
                label = point.data_label
                frame_ = label.text_frame
                frame_.text = format_percent(value, lang)
                for run in frame_.paragraphs[0].runs:
                    run.font.size = Pt(label_size)
                    run.font.bold = True
                    run.font.name = FONT
                    run.font.color.rgb = _rgb(INK)
                    run.font.language_id = LANGUAGE_ID[lang]
                label.position = XL_LABEL_POSITION.OUTSIDE_END
                _label_background(label, WHITE)
        top_value = max([float(v) for s in series for v in s.values if v is not None] + [100.0])
        step = 25.0 if top_value <= 150 else 50.0 if top_value <= 300 else 100.0
        value_axis = chart.value_axis
        value_axis.minimum_scale = 0
        value_axis.maximum_scale = (int(top_value * 1.12 / step) + 1) * step
        value_axis.major_unit = step
        value_axis.has_major_gridlines = True
        value_axis.major_gridlines.format.line.color.rgb = _rgb("D9D9D9")
        value_axis.format.line.fill.background()
        value_axis.tick_labels.number_format = '0"%"'
        value_axis.tick_labels.number_format_is_linked = False
        value_axis.tick_labels.font.size = Pt(11)
        category_axis = chart.category_axis
        category_axis.tick_labels.font.size = Pt(12)
        category_axis.tick_labels.font.bold = True
        category_axis.format.line.color.rgb = _rgb(RULE)
        _reference_as_line(chart, DARK_RED)
        for index, spec in enumerate(series):
            if spec.point_colours is not None:  # each bar has its own colour: no legend key
                entry = parse_xml(
                    f'<c:legendEntry {nsdecls("c")}><c:idx val="{index}"/>'
                    f'<c:delete val="1"/></c:legendEntry>'
                )
                chart.legend._element.find(qn("c:legendPos")).addnext(entry)
        return frame

    # -- annex and closing ---------------------------------------------------------------------

    def annex(self) -> None:
        data, t = self.data, self.t
        vigencias = list(data.vigencias)
        year_w = 0.74
        fixed = [0.62, 0.92, 1.05, 0.78, 0.88]
        free = CONTENT_W - sum(fixed) - year_w * len(vigencias)
        widths = [fixed[0], free * 0.53, free * 0.47, *fixed[1:], *([year_w] * len(vigencias))]
        header = [
            t["col_objective"],
            t["col_goal"],
            t["col_indicator"],
            t["col_unit"],
            t["col_accumulation"],
            t["col_baseline"],
            t["col_target_4y"],
            *(t["col_year_target"].format(v=v) for v in vigencias),
        ]
        header_cells = [
            Cell((Para(h, bold=True, scale=0.9),), "l" if i < 3 else "ctr", DARK_RED, WHITE)
            for i, h in enumerate(header)
        ]
        rows = [self.formulation_cells(r, n, vigencias) for n, r in enumerate(data.formulation)]
        table_top = CONTENT_TOP + 0.45
        pages = self.table_pages(
            header_cells,
            rows,
            widths,
            CONTENT_BOTTOM - table_top,
            sizes=(9.5, 9, 8.5, 8),
            comfortable=9,
        )
        subtitle = t["annex_sub"].format(plan=clean(data.plan.name))
        for page_no, (page_rows, heights, size) in enumerate(pages):
            slide = self.new_slide()
            title = t["annex_title"]
            self.chrome(slide, title if page_no == 0 else f"{title} {t['continued']}")
            self.text(
                slide,
                MARGIN,
                CONTENT_TOP,
                CONTENT_W,
                0.4,
                [Para(subtitle)],
                (14, 13, 12, 11),
                color=GRAY,
            )
            self.table(slide, MARGIN, table_top, widths, [header_cells, *page_rows], heights, size)

    def formulation_cells(
        self, row: FormulationRow, index: int, vigencias: list[int]
    ) -> list[Cell]:
        band = WHITE if index % 2 == 0 else BAND
        unit = row.unit
        years = []
        for vigencia in vigencias:
            target = row.annual_targets.get(vigencia)
            paras = [Para(self.value(target, unit))]
            weight = row.weights.get(vigencia)
            if weight is not None:
                paras.append(
                    Para(
                        f"{self.t['weight']} {format_percent(weight, self.lang)}",
                        scale=0.9,
                        color=GRAY,
                    )
                )
            years.append(Cell(tuple(paras), "r", band))
        return [
            Cell((Para(clean(row.objective_code), bold=True),), "l", band),
            Cell(
                (
                    Para(_goal_heading(row.goal_kind_label, clean(row.goal_code)), bold=True),
                    Para(clean(row.goal_name)),
                ),
                fill=band,
            ),
            Cell(
                (Para(clean(row.indicator_code), bold=True), Para(clean(row.indicator_name))),
                fill=band,
            ),
            Cell((Para(clean(unit) or "—"),), "ctr", band),
            Cell((Para(row.accumulation_label),), "ctr", band),
            Cell((Para(self.value(row.baseline, unit)),), "r", band),
            Cell((Para(self.value(row.target_4y, unit)),), "r", band),
            *years,
        ]

    def closing(self) -> None:
        data, t = self.data, self.t
        slide = self.new_slide()
        self.rect(slide, 0, 0, 0.32, SLIDE_H, DARK_RED)
        self.rect(slide, 0.32, SLIDE_H - 0.55, SLIDE_W - 0.32, 0.55, PANEL)
        x, w = 1.0, SLIDE_W - 2.0
        self.text(
            slide, x, 2.2, w, 1.3, [Para(t["thanks"], bold=True)], (60, 54, 48), color=DARK_RED
        )
        self.rect(slide, x + 0.08, 3.6, 2.4, 0.05, DARK_RED)
        lines = []
        if clean(data.plan.head_entity):
            lines.append(Para(clean(data.plan.head_entity), bold=True))
        lines.append(Para(clean(data.plan.sector), scale=0.8, color=GRAY, space_before=6))
        self.text(slide, x, 3.9, w, 1.6, lines, (24, 22, 20, 18, 16), color=INK)


class _DoesNotFit(Exception):
    pass


def _pack(heights: list[float], first: float, rest: float) -> list[list[int]]:
    """Row indexes per page: ``heights[0]`` is the header, repeated on every page."""
    pages: list[list[int]] = [[]]
    used, limit = heights[0], first
    for index, height in enumerate(heights[1:]):
        if pages[-1] and used + height > limit:
            pages.append([])
            used, limit = heights[0], rest
        pages[-1].append(index)
        used += height
    return pages


@dataclass(frozen=True)
class _Series:
    name: str
    values: Sequence[Decimal | None]
    point_colours: Sequence[str] | None


def _goal_heading(kind_label: str, code: str) -> str:
    """ "Meta sectorial 127-2057"; "Actividad 3" rather than "Actividad Actividad 3"."""
    if code.lower().startswith(kind_label.lower()):
        return code
    return f"{kind_label} {code}".strip()


def _cell_borders(cell: Any, colour: str, width_pt: float = 0.75) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    for tag in ("a:lnB", "a:lnT", "a:lnR", "a:lnL"):  # inserted in reverse, so they end up L R T B
        for old in tc_pr.findall(qn(tag)):
            tc_pr.remove(old)
        line = parse_xml(
            f'<{tag} {nsdecls("a")} w="{int(width_pt * EMU_PER_PT)}" cap="flat" cmpd="sng" '
            f'algn="ctr"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
            f'<a:prstDash val="solid"/></{tag}>'
        )
        tc_pr.insert(0, line)


def _label_background(label: Any, colour: str) -> None:
    """A filled box behind a data label, so that the reference line never runs through it."""
    d_lbl = label._get_or_add_dLbl()
    for old in d_lbl.findall(qn("c:spPr")):
        d_lbl.remove(old)
    fill = parse_xml(
        f'<c:spPr {nsdecls("c", "a")}><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
        f"<a:ln><a:noFill/></a:ln></c:spPr>"
    )
    successor = next(
        (
            d_lbl.find(qn(t))
            for t in ("c:txPr", "c:dLblPos", "c:showLegendKey")
            if d_lbl.find(qn(t)) is not None
        ),
        None,
    )
    if successor is not None:
        successor.addprevious(fill)
    else:
        d_lbl.append(fill)


def _reference_as_line(chart: Any, colour: str) -> None:
    """Turn the chart's last series (the 100 % reference) into a dashed line over the bars, on
    the same axes: a combined bar-and-line chart, still editable as a chart."""
    plot_area = chart._chartSpace.chart.plotArea
    bar = plot_area.find(qn("c:barChart"))
    series = bar.findall(qn("c:ser"))[-1]
    bar.remove(series)
    for tag in ("c:invertIfNegative", "c:dLbls", "c:spPr"):
        for old in series.findall(qn(tag)):
            series.remove(old)
    properties = parse_xml(
        f'<c:spPr {nsdecls("c", "a")}><a:ln w="28575" cap="rnd"><a:solidFill>'
        f'<a:srgbClr val="{colour}"/></a:solidFill><a:prstDash val="dash"/></a:ln></c:spPr>'
    )
    marker = parse_xml(
        f'<c:marker {nsdecls("c", "a")}><c:symbol val="dash"/><c:size val="16"/><c:spPr>'
        f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill><a:ln><a:noFill/></a:ln>'
        f"</c:spPr></c:marker>"
    )
    anchor = series.find(qn("c:tx"))
    anchor.addnext(properties)
    properties.addnext(marker)
    series.append(parse_xml(f'<c:smooth {nsdecls("c")} val="0"/>'))
    line = parse_xml(
        f'<c:lineChart {nsdecls("c")}><c:grouping val="standard"/><c:varyColors val="0"/>'
        f"</c:lineChart>"
    )
    line.append(series)
    line.append(parse_xml(f'<c:marker {nsdecls("c")} val="1"/>'))
    for axis in bar.findall(qn("c:axId")):
        line.append(copy.deepcopy(axis))
    bar.addnext(line)
