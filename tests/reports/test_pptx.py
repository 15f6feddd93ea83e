"""The follow-up report as an editable PowerPoint deck (issue 5), read back with python-pptx."""

import io
import re
from dataclasses import replace
from datetime import date

import pytest
from django.core.management import call_command
from pptx import Presentation
from pptx.util import Inches, Pt

from cascada.engine.display import NO_PROGRAMMING
from cascada.reports.dataset import build_dataset
from cascada.reports.pptx import render_pptx
from cascada.reports.pptx_fit import deck_overflows

pytestmark = pytest.mark.django_db
PLAN = "PES-GP-2024-2027"
CUT = date(2026, 3, 31)
SEED_FIGURES = [
    "183,33%",
    "98,48%",
    "60,00%",
    "266,67%",
    "47,06%",
    "80,89%",
    "96,97%",
    "11,11%",
]
HOSTILE = '=HYPERLINK("x") <script>alert(1)</script> & "comillas"'


@pytest.fixture
def dataset():
    call_command("demo", verbosity=0)
    return build_dataset(plan_code=PLAN, cut_date=CUT)


def read(dataset):
    return Presentation(io.BytesIO(render_pptx(dataset)))


@pytest.fixture
def deck(dataset):
    return read(dataset)


def shape_texts(shape):
    if shape.has_text_frame:
        yield shape.text_frame.text
    if getattr(shape, "has_table", False) and shape.has_table:
        for row in shape.table.rows:
            for cell in row.cells:
                yield cell.text_frame.text
    if getattr(shape, "has_chart", False) and shape.has_chart:
        chart = shape.chart
        yield from (str(c) for c in chart.plots[0].categories)
        for plot in chart.plots:
            for series in plot.series:
                yield series.name
                for point in range(len(series.values)):
                    label = series.points[point].data_label
                    if label.has_text_frame:
                        yield label.text_frame.text


def slide_text(slide):
    return "\n".join(t for shape in slide.shapes for t in shape_texts(shape))


def title(slide):
    return slide.shapes[0].text_frame.text


def all_text(prs):
    return "\n".join(slide_text(s) for s in prs.slides)


def tables(slide):
    return [s.table for s in slide.shapes if s.has_table]


def charts(slide):
    return [s.chart for s in slide.shapes if s.has_chart]


def test_the_seed_figures_names_and_source_line_are_in_the_deck(dataset, deck):
    text = all_text(deck)
    for figure in SEED_FIGURES:
        assert figure in text, figure
    for objective in dataset.objectives:
        assert objective.name in text
    assert dataset.source_line in text
    assert NO_PROGRAMMING["es"] in text
    # the analyses the seed printed in its "Estado" column are on the analysis slides
    assert "Al corte 31 de marzo de 2026 la actividad tenía una magnitud programada" in text
    assert "El rezago se subsanará en el mes de mayo." in text


def test_sections_follow_the_seed_order(dataset, deck):
    slides = list(deck.slides)
    cover = slide_text(slides[0])
    assert dataset.plan.name in cover
    assert "Seguimiento 31 de marzo de 2026" in cover
    assert "Sector Gestión Pública" in cover
    assert "Secretaría General de la Alcaldía Mayor de Bogotá, D.C." in cover
    titles = [title(s) for s in slides[1:-1]]

    def first(prefix):
        return next(n for n, t in enumerate(titles) if t.startswith(prefix))

    order = [
        first("Esquema de planeación en cascada"),
        first("Plan estratégico sectorial"),
        first("Misión"),
        first("Visión"),
        first("Metodología de medición"),
        first("Objetivos sectoriales"),
        first("Cumplimiento de los objetivos al corte"),
        *(first(f"Metas e indicadores · Objetivo {n}") for n in range(1, 9)),
        first("Anexo · Matriz de formulación"),
    ]
    assert order == sorted(order)
    assert sum(t == "Objetivos sectoriales" for t in titles) == 2  # four objectives per slide
    closing = slide_text(slides[-1])
    assert "Gracias" in closing
    assert dataset.plan.head_entity in closing
    vision = slide_text(slides[1 + first("Visión")])
    assert "Fuente: Resolución No. 630 de 2024" in vision
    method = slide_text(slides[1 + first("Metodología de medición")])
    assert "Indicadores de metas sectoriales" in method
    assert "Indicadores de metas estratégicas" in method
    assert "Indicadores de actividades" in method
    assert "Indicadores de proyectos de inversión" not in method  # no such goal in the seed
    assert "promedio ponderado" in method
    assert "pesan igual" in method
    cascade = slide_text(slides[1 + first("Esquema de planeación en cascada")])
    for stage in ("Plan de Desarrollo", "Plan Estratégico Sectorial", "Planes de acción anuales"):
        assert stage in cascade
    assert "Proyectos de inversión" in cascade


def test_summary_cards_carry_code_name_figure_and_semaforo_in_words(dataset, deck):
    summaries = [s for s in deck.slides if title(s) == "Objetivos sectoriales"]
    first, second = (slide_text(s) for s in summaries)
    for objective in dataset.objectives[:4]:
        assert objective.name in first
        assert f"{objective.code} ·" in first
    assert "183,33%\nSemáforo azul" in first
    assert "60,00%\nSemáforo rojo" in second
    assert NO_PROGRAMMING["es"] in first
    assert not re.search(r"(?<![\d.,])0,00%", first)  # Objetivo 1 is not shown as 0 %


def test_objective_slides_have_real_tables_with_the_seed_rows(deck):
    slides = [s for s in deck.slides if title(s).startswith("Metas e indicadores · Objetivo 4")]
    assert len(slides) == 1
    slide = slides[0]
    assert "183,33%" in slide_text(slide)
    (table,) = tables(slide)
    header = [c.text_frame.text for c in table.rows[0].cells]
    assert header == [
        "Meta",
        "Indicador",
        "Programación 2026",
        "Programación al corte",
        "Ejecutado al corte",
        "% avance al corte",
        "% avance vigencia",
        "Estado",
    ]
    row = [c.text_frame.text for c in table.rows[2].cells]
    assert row[0].startswith("Meta sectorial 223-2153\nParticipar en 50 Instrumento(s)")
    assert row[1].startswith("4075\nNúmero Instrumentos")
    assert row[2:] == ["17,00", "3,00", "8,00", "266,67%", "47,06%", "Sobreejecutada"]
    objective_1 = next(s for s in deck.slides if title(s) == "Metas e indicadores · Objetivo 1")
    (table,) = tables(objective_1)
    for row in list(table.rows)[1:]:
        cells = [c.text_frame.text for c in row.cells]
        assert cells[5] == "—"
        assert cells[6] == "0,00%"
        assert cells[7] == "No programada al corte"
    assert NO_PROGRAMMING["es"] in slide_text(objective_1)
    activity = next(s for s in deck.slides if title(s) == "Metas e indicadores · Objetivo 6")
    goals = [r.cells[0].text_frame.text for r in list(tables(activity)[0].rows)[1:]]
    assert "Actividad 3\nImplementar 1 modelo" in "\n".join(goals)  # not "Actividad Actividad 3"
    seven = next(s for s in deck.slides if title(s) == "Metas e indicadores · Objetivo 7")
    row = [c.text_frame.text for c in tables(seven)[0].rows[1].cells]
    assert row[2:] == ["0,27", "0,05", "0,03", "60,00%", "11,11%", "En rezago"]
    two = next(s for s in deck.slides if title(s) == "Metas e indicadores · Objetivo 2")
    row = [c.text_frame.text for c in tables(two)[0].rows[1].cells]
    assert row[2:] == ["75,00%", "60,67%", "60,67%", "100,00%", "80,89%", "Cumplida"]


def test_charts_are_native_and_editable(dataset, deck):
    overview = next(s for s in deck.slides if title(s) == "Cumplimiento de los objetivos al corte")
    (chart,) = charts(overview)
    bars, line = chart.plots
    assert list(bars.categories) == [o.code for o in dataset.objectives]
    values = bars.series[0].values
    assert values[0] is None  # Objetivo 1: nothing programmed, no bar
    assert values[3] == pytest.approx(550 / 3)
    assert line.series[0].values == (100.0,) * 8  # the 100 % reference, drawn as a line
    labels = [bars.series[0].points[i].data_label.text_frame.text for i in range(1, 8)]
    assert labels == ["100,00%", "100,00%", "183,33%", "100,00%", "98,48%", "60,00%", "100,00%"]
    progress = [s for s in deck.slides if title(s).startswith("Avance de los indicadores")]
    # one chart per objective with programmed indicators (all but Objetivo 1)
    assert [title(s)[-1] for s in progress] == list("2345678")
    four = next(s for s in progress if title(s).endswith("Objetivo 4"))
    (chart,) = charts(four)
    assert list(chart.plots[0].categories) == ["4074", "4075"]
    cut, year = chart.plots[0].series
    assert cut.name == "% avance al corte"
    assert year.name == "% avance vigencia"
    assert cut.values == pytest.approx((100, 800 / 3))
    assert year.values == pytest.approx((18, 800 / 17))
    # Objetivo 4's analysis fits beside its chart; the deck says it once
    assert "Al corte 31 de marzo de 2026 la actividad" in slide_text(four)


def test_every_slide_is_16_9_and_no_text_overflows_its_shape(deck):
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))
    assert deck_overflows(deck) == []


def test_fonts_are_set_explicitly_and_footer_and_numbers_on_content_slides(dataset, deck):
    slides = list(deck.slides)
    for slide in slides:
        for shape in slide.shapes:
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames = [c.text_frame for r in shape.table.rows for c in r.cells]
            for frame in frames:
                frame_runs = [r for p in frame.paragraphs for r in p.runs]
                assert all(r.font.name == "Arial" and r.font.size for r in frame_runs)
                if frame_runs and shape.has_text_frame:
                    assert frame.word_wrap is True
    for number, slide in enumerate(slides[1:-1], start=2):
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert dataset.source_line in texts
        assert str(number) in texts  # the slide-number field, with its current value
        assert b'type="slidenum"' in slide.part.blob
    assert dataset.source_line not in slide_text(slides[0])


def test_core_properties(dataset, deck):
    props = deck.core_properties
    assert props.title == "Plan Estratégico Sectorial 2024-2027 · Seguimiento 31 de marzo de 2026"
    assert props.author == "Secretaría General de la Alcaldía Mayor de Bogotá, D.C."
    assert props.language == "es-CO"


def test_notes_explain_each_objective_figure(deck):
    four = next(s for s in deck.slides if title(s) == "Metas e indicadores · Objetivo 4")
    notes = four.notes_slide.notes_text_frame.text
    assert "4075: avance 266,67%" in notes
    assert "peso efectivo 50,00%" in notes
    assert notes.endswith("Resultado: 183,33%")


def test_english_labels():
    call_command("demo", verbosity=0)
    dataset = build_dataset(plan_code=PLAN, cut_date=CUT, lang="en")
    deck = read(dataset)
    text = all_text(deck)
    assert "Follow-up March 31, 2026" in text
    assert "Goals and indicators · Objective 4" in text
    assert "Nothing programmed at this cut" in text
    assert "183.33%" in text
    assert "Over-executed" in text
    assert "Thank you" in text
    assert "Measurement methodology" in text
    assert dataset.source_line in text
    for spanish in ("Seguimiento", "Metas e indicadores", "Sin programación", "Gracias", "Estado"):
        assert spanish not in text, spanish
    assert deck.core_properties.language == "en-US"
    assert deck_overflows(deck) == []


def test_hostile_text_stays_literal_text(dataset):
    objective = replace(
        dataset.objectives[3],
        name=HOSTILE,
        indicators=tuple(
            replace(i, name=HOSTILE, analysis=f"{HOSTILE}\n\x0b\x07 segundo párrafo")
            for i in dataset.objectives[3].indicators
        ),
    )
    objectives = (*dataset.objectives[:3], objective, *dataset.objectives[4:])
    hostile = replace(
        dataset,
        objectives=objectives,
        plan=replace(dataset.plan, mission=HOSTILE, head_entity="<b>Entidad</b>"),
    )
    data = render_pptx(hostile)
    deck = Presentation(io.BytesIO(data))
    text = all_text(deck)
    assert text.count(HOSTILE) >= 5
    assert "<b>Entidad</b>" in text
    assert deck.core_properties.author == "<b>Entidad</b>"
    assert b"hlinkClick" not in data
    assert deck_overflows(deck) == []


def test_long_content_continues_on_more_slides_and_still_fits(dataset):
    long_text = " ".join(["Texto largo del análisis cualitativo con muchas palabras."] * 120)
    source = dataset.objectives[5]
    many = tuple(
        replace(
            i,
            code=f"{i.code}-{n}",
            goal_name=i.goal_name * 2,
            analysis=long_text if n % 5 == 0 else i.analysis,
        )
        for n in range(8)
        for i in source.indicators
    )
    objective = replace(source, indicators=many)
    plan = replace(
        dataset.plan,
        name="Plan Estratégico Sectorial " + "muy largo " * 12,
        mission=" ".join([dataset.plan.mission] * 8),
    )
    long = replace(
        dataset,
        plan=plan,
        objectives=(*dataset.objectives[:5], objective, *dataset.objectives[6:]),
        formulation=dataset.formulation * 4,
    )
    deck = read(long)
    assert deck_overflows(deck) == []
    titles = [title(s) for s in deck.slides]
    assert titles.count("Misión") == 1
    assert "Misión (continuación)" in titles
    assert "Metas e indicadores · Objetivo 6 (continuación)" in titles
    assert "Análisis cualitativo · Objetivo 6 (continuación)" in titles
    assert "Anexo · Matriz de formulación (continuación)" in titles
    codes = {
        c.text_frame.text.split("\n")[0]
        for s in deck.slides
        if title(s).startswith("Metas e indicadores · Objetivo 6")
        for t in tables(s)
        for r in list(t.rows)[1:]
        for c in [r.cells[1]]
    }
    assert codes == {i.code for i in many}


def test_the_overflow_check_is_not_vacuous():
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    box = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(2), Inches(0.5))
    box.text_frame.word_wrap = True
    run = box.text_frame.paragraphs[0].add_run()
    run.text = "Una frase que no cabe en una caja tan pequeña " * 3
    run.font.size = Pt(14)
    assert len(deck_overflows(prs)) == 1
    run.text = "Cabe"
    assert deck_overflows(prs) == []


def test_objective_without_semaforo_or_figures_renders(dataset):
    bare = replace(
        dataset,
        compliance=None,
        year=None,
        four_year=None,
        semaforo=None,
        cut_state="en_revision",
        plan=replace(dataset.plan, legal_basis="", mission="", vision="", adopting_act=""),
        objectives=tuple(replace(o, compliance=None, semaforo=None) for o in dataset.objectives),
    )
    deck = read(bare)
    text = all_text(deck)
    assert "Versión preliminar" in text
    assert "Misión" not in [title(s) for s in deck.slides]
    assert deck_overflows(deck) == []
