"""Hostile text (issue 9), table-driven: strings × ways in × outputs.

Ways in: the admin's forms (objective and indicator names), the API (a progress report's
analysis) and the workbook import (the workflow's forms in ``/gestion/`` are
``test_hostile_workflow.py``). Every string is either stored exactly as typed — and then
every page, the API's JSON, the open data and every report format show it escaped and intact
(no live tag in HTML, no formula cell in any .xlsx, the text itself in PDF and PPTX) — or
refused with a Spanish message naming the field, the same way on every path. The import strips
tags (DESIGN §4) and what it keeps is plain text everywhere too.

Reports are rendered once per format for all the strings together, not once per string.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from datetime import date
from html import escape
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from pptx import Presentation

from cascada.api.tokens import create_token
from cascada.imports.services import import_workbook
from cascada.imports.template_v1 import read_template
from cascada.imports.text import clean_text
from cascada.plans.models import Indicator, Objective, Plan
from cascada.reports.render import render_report
from cascada.tracking.models import Cut, CutTarget, IndicatorCutResult, ProgressReport
from cascada.tracking.services import publish_cut, recompute_cut
from tests.imports.test_import_service import database_state
from tests.workbooks import small_plan, write_workbook

pytestmark = pytest.mark.django_db

SEED = "PES-GP-2024-2027"
PUBLISHED = date(2026, 3, 31)
DRAFT = date(2026, 6, 30)

# Stored as typed on every path (the long one is over the API's analysis limit: see REFUSED).
ACCEPTED = {
    "script": "<script>alert(1)</script>",
    "img": '"><img src=x onerror=alert(1)>',
    "hyperlink": '=HYPERLINK("http://x","y")',
    "at": "@SUM(A1)",
    "plus": "+1",
    "minus": "-1+1",
    "rtl": "\u202eodatluser le ed n\u00f3icadilav",
    "emoji": "Meta 👩‍👩‍👧‍👦 🇨🇴 👍🏽 cumplida",
    # As long as an Excel cell holds (MAX_TEXT_LENGTH); the API's analyses stop at 20.000.
    "long": ("Texto largo del análisis con palabras reales. " * 800)[:32_767],
}
TOO_LONG = ("Texto de 100 KB. " * 6000)[:100_000]
LONG = ACCEPTED["long"]
SHORT = {key: text for key, text in ACCEPTED.items() if key != "long"}
TAGGED = ("script", "img")  # what would be live markup if not escaped

# Refused on every path, with the message of each path naming the field.
REFUSED = {
    "nul": "Nombre\x00con nulo",
    "control": "Nombre\x01\x1b[31mcon control",
    "noncharacter": "Nombre\uffffimposible",
    "too long": TOO_LONG,
}


# ---------------------------------------------------------------------------------------------
# Ways in


def admin_post_data(response) -> dict[str, object]:
    """The change form's current values (main form and inlines), as the browser would post."""
    data: dict[str, object] = {}

    def put(form, name):
        value = form[name].value()
        if value is None or value is False:
            return
        data[form.add_prefix(name)] = "on" if value is True else value

    form = response.context["adminform"].form
    for name in form.fields:
        put(form, name)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            put(formset.management_form, name)
        for child in formset.forms:
            for name in child.fields:
                put(child, name)
    return data


def admin_rename(client, obj, name: str):
    url = f"/admin/plans/{obj._meta.model_name}/{obj.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = admin_post_data(page)
    data["name"] = name
    return client.post(url, data)


def api_put_analysis(client, key: str, indicator: str, analysis: str):
    url = f"/api/v1/planes/{SEED}/cortes/{DRAFT.isoformat()}/reportes/{indicator}"
    version = client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").json()["version"]
    return client.put(
        url,
        data=json.dumps({"version": version, "ejecutado": 5, "analisis": analysis}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


@pytest.fixture
def seeded(db, client, django_user_model):
    call_command("demo", verbosity=0, stdout=io.StringIO())
    plan = Plan.objects.get(code=SEED)
    admin = django_user_model.objects.create_superuser("admin", password="clave-2026-segura")
    client.force_login(admin)
    # An open cut for the API's reports.
    cut = Cut.objects.create(plan=plan, date=DRAFT)
    indicators = list(Indicator.objects.filter(plan=plan).order_by("pk"))
    for indicator in indicators:
        CutTarget.objects.create(cut=cut, indicator=indicator, programmed=10)
    recompute_cut(cut=cut)
    key = create_token(user=admin, name="pruebas")[1]
    return plan, indicators, key


@pytest.fixture
def hostile(client, seeded):
    """Objective names, indicator names (admin) and analyses (API) set to the accepted strings.
    Returns what each object was given."""
    plan, _, key = seeded
    # What the open cut's reports list: indicators with a result there, and their objectives.
    shown = IndicatorCutResult.objects.filter(cut__plan=plan, cut__date=DRAFT)
    indicators = [r.indicator for r in shown.select_related("indicator").order_by("pk")]
    objectives = list(
        Objective.objects.filter(goals__indicators__in=indicators).distinct().order_by("order")
    )
    given: dict[str, dict[str, str]] = {"objective": {}, "indicator": {}, "analysis": {}}
    for objective, text in zip(objectives, SHORT.values(), strict=False):
        response = admin_rename(client, objective, text)
        assert response.status_code == 302, response.context["adminform"].form.errors
        given["objective"][objective.code] = text
    for indicator, text in zip(indicators, ACCEPTED.values(), strict=False):
        response = admin_rename(client, indicator, text)
        assert response.status_code == 302, response.context["adminform"].form.errors
        given["indicator"][indicator.code] = text
    for indicator, text in zip(reversed(indicators), SHORT.values(), strict=False):
        response = api_put_analysis(client, key, indicator.code, text)
        assert response.status_code == 200, response.content
        given["analysis"][indicator.code] = text
    return given


def test_every_path_stores_the_accepted_strings_exactly(hostile):
    for code, text in hostile["objective"].items():
        assert Objective.objects.get(plan__code=SEED, code=code).name == text
    for code, text in hostile["indicator"].items():
        assert Indicator.objects.get(plan__code=SEED, code=code).name == text
    for code, text in hostile["analysis"].items():
        report = ProgressReport.objects.get(cut__date=DRAFT, indicator__code=code)
        assert report.analysis == text


# ---------------------------------------------------------------------------------------------
# Refusals: the same strings refused on each path, nothing changed


@pytest.mark.parametrize("key", REFUSED)
def test_the_admin_refuses_control_characters_under_the_field(client, seeded, key):
    plan, indicators, _ = seeded
    before = database_state()
    for obj in (Objective.objects.filter(plan=plan).first(), indicators[0]):
        response = admin_rename(client, obj, REFUSED[key])
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert list(errors) == ["name"], errors
        assert errors["name"][0].startswith(
            (
                "Contiene caracteres de control no admitidos.",
                "Los caracteres nulos no están permitidos.",  # Django's own check, first
                "Asegúrese de que este valor tenga menos de 32767 caracteres",
            )
        ), errors["name"][0]
    assert database_state() == before


@pytest.mark.parametrize("key", [*REFUSED, "long"])
def test_the_api_refuses_them_with_a_message_for_the_field(client, seeded, key):
    _, indicators, token = seeded
    text = LONG if key == "long" else REFUSED[key]
    before = database_state()
    response = api_put_analysis(client, token, indicators[0].code, text)
    assert response.status_code == 422, response.content
    messages = json.dumps(response.json(), ensure_ascii=False)
    assert "analisis" in messages
    expected = (
        "Admite como máximo 20.000 caracteres."
        if key in ("long", "too long")
        else "Contiene caracteres de control no admitidos."
    )
    assert expected in messages
    assert database_state() == before


# ---------------------------------------------------------------------------------------------
# Outputs


def assert_escaped(html: str, text: str, where: str) -> None:
    assert escape(text) in html, (where, text[:40])
    if "<" in text:
        assert text not in html, (where, text[:40])


def test_pages_show_them_escaped_and_intact(client, hostile):
    cut = f"/planes/{SEED}/cortes/{PUBLISHED.isoformat()}/"
    draft = f"/planes/{SEED}/cortes/{DRAFT.isoformat()}/"
    pages = {
        "cut": client.get(cut).content.decode(),
        "draft": client.get(draft).content.decode(),
    }
    for code in Objective.objects.filter(plan__code=SEED).values_list("code", flat=True):
        for base in (cut, draft):
            pages[f"{base} {code}"] = client.get(f"{base}objetivos/{code}/").content.decode()
    for code in hostile["indicator"]:
        pages[code] = client.get(f"/planes/{SEED}/indicadores/{code}/").content.decode()
    everything = "\n".join(pages.values())
    for text in [*hostile["objective"].values(), *hostile["indicator"].values()]:
        assert_escaped(pages["cut"] + everything, text, "pages")
    for code, text in hostile["objective"].items():
        assert_escaped(pages["cut"], text, f"cut page, objective {code}")
    for code, text in hostile["indicator"].items():
        assert_escaped(pages[code], text, f"indicator page {code}")
    for text in hostile["analysis"].values():
        assert_escaped(everything, text, "analysis")
    for html in pages.values():
        assert "<script>alert" not in html and "<img src=x" not in html


def test_the_api_returns_them_exactly(client, hostile):
    objectives = client.get(f"/api/v1/planes/{SEED}/objetivos").json()
    names = {item["codigo"]: item["nombre"] for item in objectives["items"]}
    for code, text in hostile["objective"].items():
        assert names[code] == text
    indicators = client.get(f"/api/v1/planes/{SEED}/indicadores?limit=1000").json()
    names = {item["codigo"]: item["nombre"] for item in indicators["items"]}
    for code, text in hostile["indicator"].items():
        assert names[code] == text


def strings_in(value: object) -> set[str]:
    """Every string value inside parsed JSON."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(strings_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(strings_in(v) for v in value)) if value else set()
    return set()


def csv_values(content: bytes) -> set[str]:
    rows = csv.reader(io.StringIO(content.decode("utf-8"), newline=""))
    return {value for row in rows for value in row}


def xlsx_cells(content: bytes) -> list[tuple[str, object, str]]:
    book = load_workbook(io.BytesIO(content))
    return [
        (sheet.title, cell.value, cell.data_type)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def assert_inert_xlsx(content: bytes, texts: list[str], where: str) -> None:
    cells = xlsx_cells(content)
    strings = {value for _, value, kind in cells if kind == "s"}
    # The report's workbook is importable: its text is what the import reads back as ``text``
    # (tags written as entities, DESIGN §4); the open data's holds the text itself.
    strings |= {clean_text(value) for value in strings if isinstance(value, str)}
    for text in texts:
        assert text in strings, (where, text[:40])
    formulas = [value for _, value, kind in cells if kind == "f"]
    for text in texts:
        assert text not in formulas, (where, text)
    # A formula trigger at the start of a text cell is marked as text (quote prefix), so that
    # Excel and LibreOffice never evaluate it on editing.
    book = load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if (
                    isinstance(cell.value, str)
                    and cell.value in texts
                    and cell.value.startswith(("=", "+", "-", "@"))
                ):
                    assert cell.quotePrefix, (where, cell.coordinate, cell.value)


def test_the_open_data_keeps_them_exact_and_inert(client, hostile):
    # A published cut's files carry the names as published: publish the cut that has them.
    publish_cut(cut=Cut.objects.get(plan__code=SEED, date=DRAFT), actor_label="test")
    base = f"/datos/{SEED}/{DRAFT.isoformat()}/ed1"
    values = csv_values(client.get(f"{base}/objetivos.csv").content)
    values |= csv_values(client.get(f"{base}/indicadores.csv").content)
    document = strings_in(client.get(f"{base}/datos.json").json())
    texts = [*hostile["objective"].values(), *hostile["indicator"].values()]
    for text in texts:
        assert text in values, ("csv", text[:40])
        assert text in document, ("json", text[:40])
    assert_inert_xlsx(client.get(f"{base}/datos.xlsx").content, texts, "open data xlsx")


def pdf_text(content: bytes, folder: Path) -> str:
    path = folder / "informe.pdf"
    path.write_bytes(content)
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return result.stdout.decode()


def pptx_text(content: bytes) -> str:
    parts = []
    for slide in Presentation(io.BytesIO(content)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return "\n".join(parts)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_report_format_shows_them_escaped_and_intact(hostile, tmp_path):
    # The open cut: a published one shows the names as they were published.
    content = {f: render_report(plan_code=SEED, cut_date=DRAFT, fmt=f)[0] for f in FORMATS}
    names = [*hostile["objective"].values(), *hostile["indicator"].values()]
    analyses = list(hostile["analysis"].values())

    for texts in (names + analyses,):
        html = content["html"].decode()
        for text in texts:
            assert_escaped(html, text, "html report")
        assert "<script" not in html
        document = strings_in(json.loads(content["json"]))
        for text in texts:
            assert text in document, ("json report", text[:40])
        assert_inert_xlsx(content["xlsx"], texts, "xlsx report")

    # PDF and PPTX: the text itself (extracted text has the layout's line breaks; the long name
    # may be cut to fit a slide, so its start is what must be there).
    for _ in (1,):
        pdf = squeeze(pdf_text(content["pdf"], tmp_path))
        pptx = squeeze(pptx_text(content["pptx"]))
        for key in ("script", "img", "hyperlink", "at", "plus", "minus"):
            assert squeeze(ACCEPTED[key]) in pdf, ("pdf", key)
            assert squeeze(ACCEPTED[key]) in pptx, ("pptx", key)
        assert squeeze(LONG[:200]) in pdf and squeeze(LONG[:40]) in pptx


FORMATS = ("html", "json", "xlsx", "pdf", "pptx")


# ---------------------------------------------------------------------------------------------
# The workbook import: tags stripped (DESIGN §4), the rest kept as plain text


def test_the_import_strips_tags_and_keeps_the_rest_as_text(client, db, tmp_path):
    sheets = small_plan()
    sheets["objetivos"][1][1] = ACCEPTED["script"]
    sheets["objetivos"][2][1] = ACCEPTED["hyperlink"]
    sheets["indicadores"][1][2] = ACCEPTED["img"]
    sheets["indicadores"][2][2] = ACCEPTED["emoji"] + ACCEPTED["rtl"]
    sheets["indicadores"][3][2] = LONG
    sheets["avances"][2][4] = "<p>Avance</p><p>" + ACCEPTED["at"] + "</p>&lt;b&gt;"
    path = write_workbook(tmp_path / "hostil.xlsx", sheets)
    import_workbook(workbook=read_template(path), actor_label="test")
    names = dict(Objective.objects.filter(plan__code="PM-2024").values_list("code", "name"))
    assert names == {"B": "alert(1)", "A": ACCEPTED["hyperlink"]}
    indicators = dict(Indicator.objects.filter(plan__code="PM-2024").values_list("code", "name"))
    assert indicators == {
        "S": '">',  # the tag is gone; the two characters before it stay, as typed
        "C": ACCEPTED["emoji"] + ACCEPTED["rtl"],
        "D": LONG.strip(),
    }
    assert clean_text(ACCEPTED["img"]) == '">'
    report = ProgressReport.objects.get(
        cut__plan__code="PM-2024", indicator__code="S", cut__date=date(2026, 6, 30)
    )
    # Paragraphs become lines; an escaped tag written on purpose is text, shown escaped.
    assert report.analysis == "Avance\n" + ACCEPTED["at"] + "\n<b>"
    page = client.get("/planes/PM-2024/indicadores/S/").content.decode()
    assert "<b>" not in page.split("<main", 1)[1] or "&lt;b&gt;" in page
    (cut,) = Cut.objects.filter(plan__code="PM-2024", date=date(2026, 6, 30))
    content = render_report(plan_code="PM-2024", cut_date=cut.date, fmt="xlsx")[0]
    assert_inert_xlsx(content, [ACCEPTED["hyperlink"]], "imported plan's xlsx report")
