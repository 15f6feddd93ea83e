"""The report as an Excel workbook and as JSON (issue 5), read back with openpyxl and json; and
``render_report``, the one entry point of every format."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from cascada.engine.display import format_percent
from cascada.imports.export import plan_workbook
from cascada.imports.services import import_workbook
from cascada.imports.template_v1 import read_template
from cascada.plans.models import Objective, Plan
from cascada.reports.dataset import ReportNotFound, build_dataset
from cascada.reports.render import CONTENT_TYPES, FORMATS, render_report, report_filename
from cascada.reports.xlsx import AMOUNT_FORMAT, PERCENT_FORMAT, RESULT_SHEETS, render_xlsx
from cascada.tracking.models import Cut
from cascada.tracking.services import publish_cut
from tests.imports.test_export import assert_no_formulas, plan_rows, renumbered
from tests.test_seed_golden import SAMPLE
from tests.web.conftest import BIG, BIG_CUTS, big_plan_sheets
from tests.workbooks import write_workbook

pytestmark = pytest.mark.django_db
PLAN = "PES-GP-2024-2027"
CUT = date(2026, 3, 31)
OBJECTIVE_HEADERS = [
    "codigo",
    "nombre",
    "cumplimiento",
    "avance_vigencia",
    "avance_cuatrienio",
    "semaforo",
    "indicadores_programados",
    "indicadores",
    "peso",
    "nota",
]
INDICATOR_HEADERS = [
    "objetivo",
    "meta",
    "tipo_meta",
    "indicador",
    "nombre",
    "unidad",
    "meta_vigencia",
    "programado_corte",
    "ejecutado_corte",
    "avance_corte",
    "avance_vigencia",
    "avance_cuatrienio",
    "peso_efectivo",
    "estado",
    "estado_codigo",
    "semaforo",
    "alertas",
    "observacion",
]
PERCENT_COLUMNS = {
    "cumplimiento",
    "avance_vigencia",
    "avance_cuatrienio",
    "peso",
    "avance_corte",
    "peso_efectivo",
}
AMOUNT_COLUMNS = {"meta_vigencia", "programado_corte", "ejecutado_corte"}


@pytest.fixture
def seed():
    call_command("demo", verbosity=0, stdout=io.StringIO())


def report_xlsx(**kwargs) -> bytes:
    content, content_type, filename = render_report(
        plan_code=PLAN, cut_date=CUT, fmt="xlsx", **kwargs
    )
    assert content_type == CONTENT_TYPES["xlsx"]
    assert filename == "seguimiento_PES-GP-2024-2027_2026-03-31.xlsx"
    return content


def table(sheet: Worksheet, header_row: int = 1) -> list[dict[str, Any]]:
    """The rows under ``header_row`` as dicts of cells by header."""
    headers = [str(c.value) for c in sheet[header_row]]
    return [
        dict(zip(headers, row, strict=True))
        for row in sheet.iter_rows(min_row=header_row + 1)
        if any(c.value is not None for c in row)
    ]


def by(rows, key: str, value: str):
    return next(r for r in rows if r[key].value == value)


# ---------------------------------------------------------------------------------------------
# XLSX


def test_sheets_in_order_results_first_then_the_template(seed):
    book = load_workbook(io.BytesIO(report_xlsx()))
    assert book.sheetnames == [
        *RESULT_SHEETS,
        "plan",
        "objetivos",
        "metas",
        "indicadores",
        "programacion_anual",
        "avances",
    ]
    assert book.active is not None and book.active.title == "resumen"
    assert book.properties.creator == "cascada"


def test_objective_figures_are_numbers_shown_with_the_percent_format(seed):
    sheet = load_workbook(io.BytesIO(report_xlsx()))["resultados_objetivos"]
    assert [c.value for c in sheet[1]] == OBJECTIVE_HEADERS
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:J9"
    rows = table(sheet)
    assert [r["codigo"].value for r in rows] == [f"O{n}" for n in range(1, 9)]
    o4 = by(rows, "codigo", "O4")
    assert o4["cumplimiento"].data_type == "n"
    assert o4["cumplimiento"].value == pytest.approx(183.333333333333, abs=1e-9)
    assert o4["cumplimiento"].number_format == PERCENT_FORMAT == '0.00"%"'
    assert o4["semaforo"].value == "azul"
    assert o4["indicadores_programados"].value == 2
    assert by(rows, "codigo", "O6")["cumplimiento"].value == pytest.approx(98.484848484848)
    assert by(rows, "codigo", "O7")["cumplimiento"].value == pytest.approx(60)
    o1 = by(rows, "codigo", "O1")
    assert o1["cumplimiento"].value is None  # not 0: nothing was programmed
    assert o1["nota"].value == "Sin programación al corte"
    # the es-CO display of the stored number is the seed's figure
    assert format_percent(Decimal(str(o4["cumplimiento"].value))) == "183,33%"


def test_every_indicator_with_its_figures_status_and_alerts(seed):
    sheet = load_workbook(io.BytesIO(report_xlsx()))["resultados_indicadores"]
    assert [c.value for c in sheet[1]] == INDICATOR_HEADERS
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:R{sheet.max_row}"
    rows = table(sheet)
    assert len(rows) == 17
    over = by(rows, "indicador", "4075")
    assert over["objetivo"].value == "O4"
    assert over["meta"].value == "223-2153"
    assert over["tipo_meta"].value == "Meta sectorial"
    assert over["programado_corte"].value == 3
    assert over["ejecutado_corte"].value == 8
    assert over["ejecutado_corte"].number_format == AMOUNT_FORMAT
    assert over["avance_corte"].value == pytest.approx(266.666666666667)
    assert over["avance_vigencia"].value == pytest.approx(47.058823529412)
    assert over["peso_efectivo"].value == pytest.approx(50)
    assert over["estado"].value == "Sobreejecutada"
    assert over["estado_codigo"].value == "sobreejecutada"
    assert over["semaforo"].value == "azul"
    assert over["observacion"].value  # the seed's qualitative analysis
    lagging = by(rows, "indicador", "A3")
    assert lagging["avance_corte"].value == pytest.approx(96.969696969697)
    assert (lagging["estado"].value, lagging["estado_codigo"].value) == ("En rezago", "en_rezago")
    strategy = by(rows, "indicador", "4200")
    assert strategy["avance_corte"].value == pytest.approx(60)
    assert strategy["avance_vigencia"].value == pytest.approx(11.111111111111)
    assert by(rows, "indicador", "3979")["avance_vigencia"].value == pytest.approx(80.893333333333)
    not_programmed = by(rows, "indicador", "4231")
    assert not_programmed["estado_codigo"].value == "no_programada"
    assert not_programmed["avance_corte"].value is None
    # numbers are never text; the formats follow the column
    for row in rows:
        for name, cell in row.items():
            if name in PERCENT_COLUMNS | AMOUNT_COLUMNS and cell.value is not None:
                assert cell.data_type == "n", (name, cell.value)
                expected = PERCENT_FORMAT if name in PERCENT_COLUMNS else AMOUNT_FORMAT
                assert cell.number_format == expected


def test_alerts_are_listed(seed):
    dataset = build_dataset(plan_code=PLAN, cut_date=CUT)
    alerted = [i for o in dataset.objectives for i in o.indicators if i.alert_labels]
    sheet = load_workbook(io.BytesIO(report_xlsx()))["resultados_indicadores"]
    rows = table(sheet)
    for indicator in alerted:
        cell = by(rows, "indicador", indicator.code)["alertas"]
        assert cell.value == "; ".join(indicator.alert_labels)


def test_summary_has_titles_plan_figures_and_the_objectives_table(seed):
    sheet = load_workbook(io.BytesIO(report_xlsx()))["resumen"]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Plan Estratégico Sectorial 2024-2027" in texts[0]
    assert "Seguimiento con corte al 31 de marzo de 2026" in texts
    assert any(t.startswith("Fuente: SEGPLAN") and "Corte 31 de marzo de 2026" in t for t in texts)
    for objective in Objective.objects.filter(plan__code=PLAN):
        assert objective.name in texts
    figures = {
        sheet.cell(r, 2).value: sheet.cell(r, 3) for r in range(1, 12) if sheet.cell(r, 2).value
    }
    compliance = figures["Cumplimiento del plan al corte"]
    assert compliance.data_type == "n" and compliance.number_format == PERCENT_FORMAT
    assert compliance.value == pytest.approx(105.974025974026)
    assert figures["Avance vigencia 2026"].value == pytest.approx(35.090065359477)
    header = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "codigo")
    assert sheet.freeze_panes == f"A{header + 1}"
    assert sheet.auto_filter.ref == f"A{header}:H{header + 8}"
    o4 = by(table(sheet, header)[:8], "codigo", "O4")
    assert o4["cumplimiento"].value == pytest.approx(183.333333333333)
    assert o4["cumplimiento"].number_format == PERCENT_FORMAT


def test_english_titles_same_headers_and_numbers(seed):
    book = load_workbook(io.BytesIO(report_xlsx(lang="en")))
    texts = [c.value for row in book["resumen"].iter_rows() for c in row]
    assert "Plan compliance at the cut" in texts
    assert "Nothing programmed at this cut" in texts
    assert [c.value for c in book["resultados_objetivos"][1]] == OBJECTIVE_HEADERS
    rows = table(book["resultados_indicadores"])
    assert by(rows, "indicador", "4075")["estado"].value == "Over-executed"


def test_the_template_sheets_read_back_as_the_plan(seed, tmp_path):
    path = tmp_path / "informe.xlsx"
    path.write_bytes(report_xlsx())
    assert_no_formulas(path)
    assert read_template(path) == plan_workbook(Plan.objects.get(code=PLAN))
    assert read_template(path) == renumbered(read_template(SAMPLE))


def test_importing_the_report_into_an_empty_database_gives_the_same_plan(seed, tmp_path):
    path = tmp_path / "informe.xlsx"
    path.write_bytes(report_xlsx())
    rows = plan_rows(PLAN)
    Plan.objects.all().delete()
    assert not Plan.objects.exists()
    import_workbook(workbook=read_template(path), actor_label="prueba")
    assert plan_rows(PLAN) == rows


def test_formula_looking_names_stay_text(seed, tmp_path):
    hostile = '=HYPERLINK("http://example.com","clic")'
    Objective.objects.filter(plan__code=PLAN, code="O4").update(name=hostile)
    path = tmp_path / "informe.xlsx"
    path.write_bytes(report_xlsx())
    assert_no_formulas(path)
    book = load_workbook(path)
    for name in ("resumen", "resultados_objetivos", "objetivos"):
        cells = [c for row in book[name].iter_rows() for c in row if c.value == hostile]
        assert cells, name
        assert all(c.data_type == "s" and c.quotePrefix for c in cells), name


def test_the_workbook_must_be_the_reports_plan(seed, tmp_path):
    dataset = build_dataset(plan_code=PLAN, cut_date=CUT)
    other = read_template(write_workbook(tmp_path / "big.xlsx", big_plan_sheets(1, 4)))
    with pytest.raises(ValueError, match="no corresponde"):
        render_xlsx(dataset, other)


# ---------------------------------------------------------------------------------------------
# JSON


def test_json_is_the_dataset_with_the_seed_figures(seed):
    content, content_type, filename = render_report(plan_code=PLAN, cut_date=CUT, fmt="json")
    assert content_type == "application/json; charset=utf-8"
    assert filename.endswith("_2026-03-31.json")
    text = content.decode("utf-8")
    assert "Gestión Pública" in text  # ensure_ascii=False: accents as they are
    assert text.startswith('{\n  "lang": "es",')  # indented by 2
    data = json.loads(text)
    expected = json.loads(json.dumps(build_dataset(plan_code=PLAN, cut_date=CUT).as_json()))
    assert data.pop("generated_at") and expected.pop("generated_at")
    assert data == expected  # the dataset itself, what every renderer consumed
    assert data["cut"] == "2026-03-31"
    assert data["cut_label"] == "31 de marzo de 2026"
    assert data["source_line"].startswith("Fuente: SEGPLAN")
    objectives = {o["code"]: o for o in data["objectives"]}
    assert objectives["O1"]["compliance"] is None
    assert objectives["O4"]["compliance"] == pytest.approx(183.333333333333)
    assert objectives["O6"]["compliance"] == pytest.approx(98.484848484848)
    assert objectives["O7"]["compliance"] == pytest.approx(60)
    indicators = {i["code"]: i for o in data["objectives"] for i in o["indicators"]}
    assert indicators["4075"]["progress_cut"] == pytest.approx(266.666666666667)
    assert indicators["4075"]["progress_year"] == pytest.approx(47.058823529412)
    assert indicators["4075"]["status"] == "sobreejecutada"
    assert indicators["A3"]["progress_cut"] == pytest.approx(96.969696969697)
    assert indicators["3979"]["progress_year"] == pytest.approx(80.893333333333)
    assert indicators["4200"]["progress_year"] == pytest.approx(11.111111111111)


# ---------------------------------------------------------------------------------------------
# render_report


@pytest.mark.parametrize(
    ("fmt", "stages"),
    [("json", [0, 10, 90, 100]), ("xlsx", [0, 5, 10, 90, 100]), ("html", [0, 10, 90, 100])],
)
def test_progress_is_reported_in_stages(seed, fmt, stages):
    seen: list[tuple[int, str]] = []
    render_report(plan_code=PLAN, cut_date=CUT, fmt=fmt, progress=lambda p, m: seen.append((p, m)))
    assert [p for p, _ in seen] == stages
    assert seen[0][1] == "Datos del corte…"
    assert seen[-1][1] == "Informe listo."


def test_unknown_plan_cut_or_format(seed):
    with pytest.raises(ReportNotFound, match="No existe el plan 'NADA'"):
        render_report(plan_code="NADA", cut_date=CUT, fmt="json")
    with pytest.raises(ReportNotFound, match="no tiene un corte el 2026-06-30"):
        render_report(plan_code=PLAN, cut_date=date(2026, 6, 30), fmt="json")
    with pytest.raises(ValueError, match="Formato desconocido"):
        render_report(plan_code=PLAN, cut_date=CUT, fmt="docx")
    assert set(FORMATS) == {"pdf", "pptx", "xlsx", "html", "json"}


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("PES-GP-2024-2027", "seguimiento_PES-GP-2024-2027_2026-03-31.pdf"),
        ("Plan Ñandú/2024", "seguimiento_Plan_Nandu_2024_2026-03-31.pdf"),
        ("../../etc", "seguimiento_etc_2026-03-31.pdf"),
        ('a"b;c\r\nd', "seguimiento_a_b_c_d_2026-03-31.pdf"),
        ("···", "seguimiento_plan_2026-03-31.pdf"),
    ],
)
def test_file_names_are_safe(code, expected):
    assert report_filename(code, CUT, "pdf") == expected


@pytest.fixture
def big(db, tmp_path) -> str:
    """A small plan with three cuts: the first two published, the third a draft."""
    path = write_workbook(tmp_path / "big.xlsx", big_plan_sheets(objectives=2, indicators=4))
    import_workbook(workbook=read_template(path), actor_label="prueba")
    for day in BIG_CUTS[:2]:
        publish_cut(cut=Cut.objects.get(plan__code=BIG, date=day), actor_label="prueba")
    return BIG


def avances_dates(content: bytes) -> set[Any]:
    sheet = load_workbook(io.BytesIO(content))["avances"]
    return {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_the_public_report_carries_only_published_cuts(big):
    def xlsx(**kwargs) -> bytes:
        return render_report(plan_code=big, cut_date=BIG_CUTS[0], fmt="xlsx", **kwargs)[0]

    published = {d.date() for d in avances_dates(xlsx(include_drafts=False))}
    assert published == set(BIG_CUTS[:2])
    everything = {d.date() for d in avances_dates(xlsx(include_drafts=True))}
    assert everything == set(BIG_CUTS)
    with pytest.raises(ReportNotFound, match="no tiene un corte publicado"):
        render_report(plan_code=big, cut_date=BIG_CUTS[2], fmt="json", include_drafts=False)
    draft = json.loads(render_report(plan_code=big, cut_date=BIG_CUTS[2], fmt="json")[0])
    assert draft["cut_state"] == "abierto"


def test_the_report_file_can_be_written_and_read_back(seed, tmp_path):
    path: Path = tmp_path / report_filename(PLAN, CUT, "xlsx")
    path.write_bytes(report_xlsx())
    assert load_workbook(path)["resultados_objetivos"]["A2"].value == "O1"
