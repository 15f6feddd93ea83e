"""The follow-up report as HTML and PDF: the seed's figures, escaping, PDF/UA, embedded fonts,
and the SVG charts."""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zlib
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from cascada.plans.models import Indicator, Objective
from cascada.reports import charts
from cascada.reports.dataset import ReportDataset, build_dataset
from cascada.reports.html import FONT_DIR, render_html
from cascada.reports.pdf import render_pdf
from cascada.tracking.models import Cut, CutState, ProgressReport
from cascada.tracking.services import recompute_cut

PLAN = "PES-GP-2024-2027"
CUT = date(2026, 3, 31)
SEED_FIGURES = (
    "183,33%",
    "98,48%",
    "60,00%",
    "266,67%",
    "47,06%",
    "80,89%",
    "96,97%",
    "11,11%",
)
HOSTILE = "<script>alert(1)</script>"
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils (pdftotext, pdffonts) is not installed; `make test` installs it",
)


@pytest.fixture
def seed(db) -> ReportDataset:
    call_command("demo", verbosity=0, stdout=io.StringIO())
    return build_dataset(plan_code=PLAN, cut_date=CUT)


def text_of(markup: str) -> str:
    """The visible text of an HTML page, entities decoded and spaces collapsed."""
    body = re.sub(r"<style.*?</style>", " ", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def squash(text: str) -> str:
    return " ".join(text.split())


SVG = "{http://www.w3.org/2000/svg}"


def parse_svg(markup: str) -> ET.Element:
    """A chart we just generated, as XML (well-formedness is part of what is tested)."""
    return ET.fromstring(markup)  # noqa: S314 - our own output, not untrusted input


def child_text(root: ET.Element, tag: str) -> str:
    element = root.find(f"{SVG}{tag}")
    assert element is not None and element.text is not None
    return element.text


# --- HTML -----------------------------------------------------------------------------------


def test_html_has_the_seed_figures_names_and_source_line(seed):
    page = render_html(seed)
    text = text_of(page)
    for figure in SEED_FIGURES:
        assert figure in text, figure
    for objective in seed.objectives:
        assert squash(objective.name) in text
    assert seed.source_line in text
    assert 'lang="es-CO"' in page
    assert (
        "<title>Plan Estratégico Sectorial 2024-2027 — Seguimiento 31 de marzo de 2026</title>"
        in page
    )


def test_html_follows_the_seed_order(seed):
    page = render_html(seed)
    body = text_of(page[page.index("<main>") :])  # after the cover and its contents list
    headings = [
        "Esquema de planeación en cascada",
        "Plan Estratégico Sectorial: base legal",
        "Misión",
        "Visión",
        "Fuente: Resolución No. 630 de 2024",
        "Metodología de medición",
        "Objetivos sectoriales",
        "Cumplimiento de los objetivos al corte",
        "Metas e indicadores Objetivo 1",
        "Metas e indicadores Objetivo 8",
        "Anexo: matriz de formulación",
        "Gracias",
    ]
    positions = [body.find(h) for h in headings]
    assert -1 not in positions, dict(zip(headings, positions, strict=True))
    assert positions == sorted(positions)


def test_objective_without_programming_says_why_instead_of_zero(seed):
    page = render_html(seed)
    text = text_of(page)
    first = text[text.index("Metas e indicadores Objetivo 1") : text.index("Objetivo 2 Promover")]
    assert "Cumplimiento al corte Sin programación al corte" in first
    assert "0,00% Semáforo" not in first
    # Its rows: "—" in % al corte and the reason as status (the seed printed 0,00%).
    assert "46,00 0,00 0,00 — 0,00% No programada al corte" in first
    assert "no se promedia como 0 %" in first
    cards = text_of(page[page.index('id="objetivos"') :])
    assert "Objetivos sectoriales Objetivo 1 Sin programación al corte Fortalecer" in cards


def test_how_it_is_computed_shows_terms_and_effective_weights(seed):
    text = text_of(render_html(seed))
    assert "(100,00% × 50,00%) + (266,67% × 50,00%) = 183,33%" in text
    assert "(100,00% × 50,00%) + (96,97% × 50,00%) = 98,48%" in text
    assert "(60,00% × 100,00%) = 60,00%" in text
    assert "No entran en el promedio: 4231 (No programada al corte)" in text


def test_goal_and_indicator_columns_and_percent_units(seed):
    text = text_of(render_html(seed))
    assert (
        "Meta sectorial 223-2153: Participar en 50 Instrumento(s) estratégicos de cooperación"
        in text
    )
    assert "4075 · Número Instrumentos Estratégicos de Cooperación Internacional suscritos" in text
    assert "17,00 3,00 8,00 266,67% 47,06% Sobreejecutada" in text
    # Values of indicators measured in percent read as percentages, like the seed.
    assert "75,00% 60,67% 60,67% 100,00% 80,89% Cumplida" in text
    # The activity's code already says what it is: never "Actividad Actividad 3".
    assert "Actividad 3: Implementar 1 modelo" in text
    assert "Actividad Actividad" not in text
    assert "Programación 2026" in text


def test_annex_lists_the_formulation_matrix(seed):
    text = text_of(render_html(seed))
    annex = text[text.index("Anexo: matriz de formulación Metas") :]
    for year in seed.vigencias:
        assert str(year) in annex
    for row in seed.formulation:
        assert row.indicator_code in annex
    assert "3979 · Porcentaje del modelo" in annex
    assert "Porcentaje Creciente — 100,00%" in annex  # unit, type, baseline, four-year target


def test_qualitative_analyses_follow_their_table(seed):
    text = text_of(render_html(seed))
    fourth = text[text.index("Metas e indicadores Objetivo 4") : text.index("Objetivo 5 Mejorar")]
    assert "Análisis cualitativo 4075 · Número Instrumentos" in fourth
    assert "Al corte 31 de marzo de 2026 la actividad tenía una magnitud programada" in fourth


def test_screen_page_is_standalone_and_print_page_embeds_the_project_font(seed):
    screen = render_html(seed)
    assert "file:" not in screen
    assert "@media print" in screen
    assert "@page" in screen
    assert 'role="img"' in screen
    printed = render_html(seed, for_print=True)
    fonts = re.findall(r'url\("(file:[^"]+)"\)', printed)
    assert len(fonts) == 3
    for uri in fonts:
        assert Path(uri.removeprefix("file://")).is_file()
    assert (FONT_DIR / "LICENSE-OFL.txt").is_file()


def test_english_labels_and_figures(db):
    call_command("demo", verbosity=0, stdout=io.StringIO())
    dataset = build_dataset(plan_code=PLAN, cut_date=CUT, lang="en")
    page = render_html(dataset)
    text = text_of(page)
    assert 'lang="en"' in page
    assert "Follow-up March 31, 2026" in text
    assert "183.33%" in text
    assert "Nothing programmed at this cut" in text
    assert "(100.00% × 50.00%) + (266.67% × 50.00%) = 183.33%" in text
    assert "Goals and indicators Objective 4" in text
    assert "Page" in page and "Página" not in page


def test_hostile_text_comes_out_escaped(seed):
    cut = Cut.objects.get(plan__code=PLAN, date=CUT)
    cut.state = CutState.EN_REVISION  # a cut still under review: reports may change
    cut.save(update_fields=["state"])
    ProgressReport.objects.filter(cut=cut, indicator__code="4075").update(analysis=HOSTILE)
    Objective.objects.filter(plan__code=PLAN, code="O4").update(name=f"Objetivo {HOSTILE}")
    Indicator.objects.filter(plan__code=PLAN, code="4074").update(
        name=f'"><img src=x onerror=alert(2)> {HOSTILE}'
    )
    recompute_cut(cut=cut)
    dataset = build_dataset(plan_code=PLAN, cut_date=CUT)
    page = render_html(dataset)
    assert HOSTILE not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    text = text_of(page)
    assert HOSTILE in text  # shown as text, in the analysis, the names and the charts' words
    assert "Borrador: el corte no está publicado (en revisión)" in text
    # The charts stay well-formed XML with the hostile names inside.
    for svg in re.findall(r"<svg.*?</svg>", page, flags=re.S):
        parse_svg(svg)


# --- PDF ------------------------------------------------------------------------------------


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    out = subprocess.run(
        ["pdftotext", *pages, str(path), "-"], check=True, capture_output=True, text=True
    )
    return out.stdout


def inflated(pdf: bytes) -> bytes:
    """The PDF with every Flate stream decompressed after it (to look for catalog entries and
    metadata that live in compressed object streams)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        start = match.end()
        end = pdf.find(b"endstream", start)
        try:
            parts.append(zlib.decompressobj().decompress(pdf[start:end]))
        except zlib.error:
            continue
    return b"\n".join(parts)


@needs_poppler
def test_pdf_is_tagged_pdf_ua_with_language_title_and_embedded_fonts(seed, tmp_path):
    pdf = render_pdf(seed)
    path = tmp_path / "seed.pdf"
    path.write_bytes(pdf)
    assert pdf.startswith(b"%PDF-1.7")

    everything = inflated(pdf)
    assert b"pdfuaid:part" in everything
    assert re.search(rb'pdfuaid:part="1"|<pdfuaid:part>1</pdfuaid:part>', everything)
    assert b"/Lang (es-CO)" in everything
    assert b"/StructTreeRoot" in everything
    assert b"/MarkInfo" in everything

    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    assert "Tagged:          yes" in info.stdout
    assert "Plan Estratégico Sectorial 2024-2027 — Seguimiento 31 de marzo de 2026" in info.stdout
    assert "Page size:       841.89 x 595.276 pts (A4)" in info.stdout  # landscape

    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows
    for row in rows:
        name, *_rest = row.split()
        emb = row.split()[-5]
        assert emb == "yes", row
        assert "Cascada-Sans" in name, row  # the project's font, also in the charts


@needs_poppler
def test_pdf_text_has_the_figures_names_and_source_on_objective_pages(seed, tmp_path):
    path = tmp_path / "seed.pdf"
    path.write_bytes(render_pdf(seed))
    text = squash(pdf_text(path))
    for figure in SEED_FIGURES:
        assert figure in text, figure
    for objective in seed.objectives:
        assert squash(objective.name) in text, objective.code
    assert "Sin programación al corte" in text
    assert "(100,00% × 50,00%) + (266,67% × 50,00%) = 183,33%" in text

    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout)[1])  # type: ignore[index]
    seen = set()
    for number in range(1, pages + 1):
        page = squash(pdf_text(path, number, number))
        assert f"Página {number} de {pages}" in page
        assert seed.source_line in page, number  # the source line on every page
        if "METAS E INDICADORES" in page:  # the first page of an objective
            seen.add(re.findall(r"Objetivo (\d)", page)[0])
    assert seen == {str(n) for n in range(1, 9)}  # each objective opens its own page


@needs_poppler
def test_pdf_in_english_declares_its_language(db, tmp_path):
    call_command("demo", verbosity=0, stdout=io.StringIO())
    dataset = build_dataset(plan_code=PLAN, cut_date=CUT, lang="en")
    pdf = render_pdf(dataset)
    assert b"/Lang (en)" in inflated(pdf)
    path = tmp_path / "seed_en.pdf"
    path.write_bytes(pdf)
    text = squash(pdf_text(path))
    assert "Page 1 of" in text
    assert "183.33%" in text


# --- charts ---------------------------------------------------------------------------------


def test_hbar_chart_is_an_accessible_image_with_es_co_labels():
    svg = charts.hbar_chart(
        [
            charts.Bar("O1", None, missing="Sin programación al corte"),
            charts.Bar("O4", Decimal("183.3333"), tone="azul", note="Azul"),
            charts.Bar("O7", Decimal(60), tone="rojo"),
        ],
        title="Cumplimiento <al corte>",
        chart_id="c1",
    )
    root = parse_svg(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert child_text(root, "title") == "Cumplimiento <al corte>"  # escaped, then read back
    desc = child_text(root, "desc")
    assert desc == "O1: Sin programación al corte; O4: 183,33% (Azul); O7: 60,00%."
    words = [t.text for t in root.iter(f"{SVG}text")]
    assert "183,33%" in words and "100%" in words and "Sin programación al corte" in words
    assert "0,00%" not in words  # no value, no bar
    rects = list(root.iter(f"{SVG}rect"))
    assert [r.get("fill") for r in rects] == [charts.TONE_FILLS["azul"], charts.TONE_FILLS["rojo"]]
    assert len({r.get("x") for r in rects}) == 1
    widths = [float(r.get("width", "0")) for r in rects]
    assert widths[0] / widths[1] == pytest.approx(183.3333 / 60, rel=0.01)


def test_column_chart_and_cascade_diagram_escape_and_describe():
    svg = charts.column_chart(
        [
            charts.ColumnGroup(
                "31 mar",
                (
                    charts.Bar("P", Decimal(3), "programado"),
                    charts.Bar("E", Decimal(8), "ejecutado"),
                ),
            ),
            charts.ColumnGroup(
                "30 jun", (charts.Bar("P", Decimal("1234.5"), "programado"), charts.Bar("E", None))
            ),
        ],
        title="Programado & ejecutado",
        chart_id="c2",
        percent=False,
        reference=None,
        legend=(("programado", "Programado"), ("ejecutado", "Ejecutado")),
    )
    root = parse_svg(svg)
    assert child_text(root, "title") == "Programado & ejecutado"
    assert "1.234,50" in child_text(root, "desc")
    assert "E: sin dato" in child_text(root, "desc")
    cascade = charts.cascade_diagram(
        [charts.CascadeStep("Plan de Desarrollo <PDD>", "Bogotá"), charts.CascadeStep("PES")],
        title="Esquema",
        chart_id="c3",
    )
    root = parse_svg(cascade)
    assert root.get("role") == "img"
    assert "Plan de Desarrollo <PDD> (Bogotá) → PES" in child_text(root, "desc")


def test_nice_axis():
    top, ticks = charts.nice_axis(Decimal(100))
    assert top == 100 and [int(t) for t in ticks] == [0, 25, 50, 75, 100]
    top, ticks = charts.nice_axis(Decimal("266.67"))
    assert top == 300 and [int(t) for t in ticks] == [0, 100, 200, 300]
    assert charts.nice_axis(Decimal(0))[0] > 0


# --- renderer paths the seed does not take --------------------------------------------------

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005ff02fea72a8f6b0000000049454e44ae426082"
)


def test_logo_when_the_dataset_carries_one(seed, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG_1PX)
    page = render_html(replace(seed, plan=replace(seed.plan, logo_path=str(logo))))
    assert '<img src="data:image/png;base64,' in page
    assert 'alt="Secretaría General de la Alcaldía Mayor de Bogotá, D.C."' in page
    assert "<img" not in render_html(seed)  # no logo: a clean neutral header


def test_cap_weights_and_alerts_are_explained(seed):
    fourth = seed.objectives[3]
    terms = tuple(
        replace(t, value_used=min(t.value, Decimal(100)), weight=w, effective_weight=e)
        for t, w, e in zip(
            fourth.terms, (Decimal(30), Decimal(70)), (Decimal(30), Decimal(70)), strict=True
        )
    )
    rows = tuple(
        replace(
            i,
            weight=Decimal(30) if i.code == "4074" else Decimal(70),
            alert_labels=("Falta el análisis cualitativo",) if i.code == "4075" else (),
        )
        for i in fourth.indicators
    )
    objective = replace(fourth, compliance=Decimal(100), terms=terms, indicators=rows)
    dataset = replace(
        seed,
        plan=replace(seed.plan, cap=Decimal(100)),
        objectives=(*seed.objectives[:3], objective, *seed.objectives[4:]),
    )
    text = text_of(render_html(dataset))
    assert "Tope por indicador: 100,00%" in text
    assert "Valor usado (tope)" in text
    assert "(100,00% × 30,00%) + (100,00% × 70,00%) = 100,00%" in text
    assert (
        "4075 · Número Instrumentos Estratégicos de Cooperación Internacional suscritos 266,67% 100,00% 70,00 70,00%"
        in text
    )
    assert "pesos de 2026 renormalizados sobre los programados" in text
    assert "Sobreejecutada Falta el análisis cualitativo" in text


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("tone", sorted(charts.TONE_FILLS))
def test_chart_fills_stand_out_and_carry_white_labels(tone):
    fill = charts.TONE_FILLS[tone]
    assert _contrast(fill, "#ffffff") >= 4.5, tone  # white value labels inside the bars


def test_status_badges_have_aa_contrast():
    css = (FONT_DIR.parent / "report.css").read_text()
    pairs = re.findall(
        r"\.status--(\w+) \{ background: (#[0-9a-f]{6}); color: (#[0-9a-f]{6}); \}", css
    )
    assert {p[0] for p in pairs} >= {"cumplida", "sobreejecutada", "en_rezago", "sin_reporte"}
    for name, background, colour in pairs:
        assert _contrast(background, colour) >= 4.5, name
