"""The public journeys of issue 9, in a real browser over the demo (``cascada demo``)."""

from __future__ import annotations

import csv
import io
import json
import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTEFACTS, SEED, Shots, keep


def test_newcomer_finds_objective_4_and_why(page: Page, demo: str, shots: Shots) -> None:
    """From the home page to Objective 4's 183,33% and its "¿Cómo se calcula?" explanation."""
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Planes estratégicos sectoriales")
    shots(page, "planes")

    page.get_by_role("link", name=SEED).click()
    expect(page.get_by_role("heading", name="Seguimiento al 31 de marzo de 2026")).to_be_visible()
    card = page.locator("li.card").filter(has=page.get_by_role("link", name="Objetivo O4"))
    expect(card.locator(".card__figure")).to_have_text("183,33%")
    shots(page, "corte")

    card.get_by_role("link", name="Objetivo O4").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Objetivo O4")
    expect(page.locator(".stat--main .stat__value")).to_have_text("183,33%")
    shots(page, "objetivo")

    how = page.locator("section.explain")
    expect(how.get_by_role("heading", name="¿Cómo se calcula?")).to_be_visible()
    how.scroll_into_view_if_needed()
    expect(how.get_by_role("heading", name="Cumplimiento al corte: 183,33%")).to_be_visible()
    # The weighted mean, term by term: two indicators at 50% effective weight each.
    expect(how.locator(".formula").first).to_have_text(
        re.compile(r"Cálculo:\s*\(100,00% × 50,00% \+ 266,67% × 50,00%\) = 183,33%")
    )
    expect(how).to_contain_text("promedio ponderado")
    shots.part(how, "como-se-calcula")


def test_citizen_downloads_pdf_and_open_data(page: Page, demo: str, shots: Shots) -> None:
    """The PDF from the cut page's link; the CSV and the data package from the open data page."""
    page.goto(f"/planes/{SEED}/")
    downloads = page.get_by_role("region", name="Descargar informe")
    shots(page, "corte")
    with page.expect_download() as info:
        downloads.get_by_role("link", name=re.compile("PDF")).click()
    pdf = keep(info.value, "citizen_downloads_pdf_and_open_data-informe.pdf")
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]
    assert info.value.suggested_filename.endswith(".pdf")

    page.get_by_role("navigation", name="Navegación del sitio").get_by_role(
        "link", name="Datos abiertos"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Datos abiertos")
    shots(page, "datos-abiertos")

    with page.expect_download() as info:
        page.get_by_role("link", name="indicadores.csv del corte 31 de marzo de 2026").click()
    text = keep(info.value, "citizen_downloads_pdf_and_open_data-indicadores.csv").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {"plan", "corte", "edicion", "indicador"} <= set(rows[0])
    assert {row["plan"] for row in rows} == {SEED}

    # JSON is shown in the browser rather than downloaded: read what the link brought.
    with page.expect_response(re.compile(r"/datapackage\.json$")) as response:
        page.get_by_role("link", name="datapackage.json del corte 31 de marzo de 2026").click()
    assert response.value.ok
    body = response.value.body()
    (ARTEFACTS / "citizen_downloads_pdf_and_open_data-datapackage.json").write_bytes(body)
    package = json.loads(body)
    names = {resource["path"] for resource in package["resources"]}
    assert {"plan.csv", "objetivos.csv", "indicadores.csv"} <= names
    expect(page.locator("body")).to_contain_text('"resources"')
