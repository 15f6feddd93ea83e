"""axe-core reports no WCAG 2.1 AA violation on the main pages, public and internal."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    ADMIN,
    OVER,
    PROGRAMMED,
    SEED,
    Accessibility,
    Browsing,
    demo_reporter,
    sign_in,
)
from tests.workbooks import small_plan, write_workbook

CUT = "2026-03-31"


def test_public_pages(page: Page, demo: str, axe: Accessibility) -> None:
    page.goto("/")
    axe.check(page, "lista de planes")
    page.goto(f"/planes/{SEED}/")
    axe.check(page, "plan (último corte)")
    page.goto(f"/planes/{SEED}/cortes/{CUT}/")
    axe.check(page, "corte")
    page.goto(f"/planes/{SEED}/cortes/{CUT}/objetivos/O4/")
    axe.check(page, "objetivo")
    page.get_by_role("link", name="4075").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("4075")
    axe.check(page, "indicador")
    page.goto(f"/planes/{SEED}/cortes/{CUT}/informe.html")
    axe.check(page, "informe HTML")
    page.goto("/datos/")
    axe.check(page, "datos abiertos")
    page.goto(f"/datos/{SEED}/")
    axe.check(page, "datos abiertos del plan")
    page.goto("/cuenta/ingresar/")
    axe.check(page, "ingresar")
    page.get_by_label("Usuario").fill("nadie")
    page.get_by_label("Contraseña").fill("equivocada")
    page.locator("form.login-form").get_by_role("button", name="Ingresar").click()
    expect(page.get_by_role("heading", name="No se pudo ingresar")).to_be_visible()
    axe.check(page, "ingresar con error")


def test_public_pages_in_english(page: Page, demo: str, axe: Accessibility) -> None:
    """The language switch works by keyboard and the English pages pass too."""
    page.goto(f"/planes/{SEED}/cortes/{CUT}/")
    page.get_by_label("Idioma").select_option("en")
    page.get_by_role("button", name="Cambiar idioma").press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    axe.check(page, "corte en inglés")
    page.goto(f"/planes/{SEED}/cortes/{CUT}/objetivos/O4/")
    axe.check(page, "objetivo en inglés")


def test_import_pages(page: Page, demo: str, axe: Accessibility, tmp_path: Path) -> None:
    """The import page, its preview and its error page, as a plan administrator."""
    sign_in(page, ADMIN)
    page.goto("/gestion/")
    axe.check(page, "gestión: inicio")

    def upload(path: Path, heading: str) -> None:
        page.goto("/importar/")
        page.get_by_label(re.compile("Archivo", re.I)).set_input_files(str(path))
        page.get_by_role("button", name="Cargar y revisar").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)

    page.goto("/importar/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Importar un plan")
    axe.check(page, "importar")
    upload(write_workbook(tmp_path / "nuevo.xlsx", small_plan()), "Vista previa de la importación")
    axe.check(page, "importar: vista previa")
    broken = small_plan()
    broken["indicadores"][1][6] = "mucho"  # meta_cuatrienio is not a number
    upload(write_workbook(tmp_path / "roto.xlsx", broken), "El archivo tiene errores")
    axe.check(page, "importar: errores")


def test_internal_pages(browsing: Browsing, open_cut: str, axe: Accessibility, tmp_path: Path):
    """/gestion/ as the planning office, the reviewer and the entity, with an open cut: the
    home, formulation (targets and weights), cut management, quality panel, review, to-do
    list, the report form, bulk entry (download, fill in, upload, preview, confirm)."""
    admin, reporter = browsing.new_page(), browsing.new_page()
    sign_in(admin, ADMIN)
    sign_in(reporter, demo_reporter())
    cut = f"/gestion/{SEED}/cortes/{open_cut}/"

    admin.goto("/gestion/")
    axe.check(admin, "gestión: inicio de la oficina de planeación")
    admin.get_by_role("link", name="Formulación").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(f"Formulación de {SEED}")
    axe.check(admin, "formulación")
    admin.get_by_role("link", name=re.compile(f"Cambiar la meta de {OVER}")).first.click()
    axe.check(admin, "formulación: meta anual")
    admin.locator("form.wf-form, main form").last.locator("button[type=submit]").last.click()
    expect(admin.locator(".error-summary")).to_be_visible()  # act, date and reason missing
    axe.check(admin, "formulación: meta anual con errores")
    admin.go_back()
    admin.go_back()
    admin.get_by_role("link", name="Objetivos del plan").first.click()
    axe.check(admin, "formulación: pesos de los objetivos")
    admin.goto(f"/gestion/{SEED}/formulacion/")
    admin.get_by_role("link", name="Indicadores de O1").first.click()
    axe.check(admin, "formulación: pesos de los indicadores")

    admin.goto(f"/gestion/{SEED}/cortes/")
    axe.check(admin, "cortes del plan")
    admin.get_by_role("button", name="Abrir corte").click()  # nothing filled in
    expect(admin.locator(".field-error").first).to_be_visible()
    axe.check(admin, "cortes del plan: abrir con errores")
    admin.goto(cut)
    axe.check(admin, "corte abierto")
    admin.goto(cut + "calidad/")
    expect(admin.get_by_text(re.compile(r"\d+ alertas? abiertas?\."))).to_be_visible()
    axe.check(admin, "panel de calidad con alertas abiertas")
    admin.goto(cut + "revision/")
    axe.check(admin, "revisión: lista")
    admin.goto(cut + "pendientes/")
    axe.check(admin, "pendientes: oficina de planeación")

    reporter.goto("/gestion/")
    axe.check(reporter, "gestión: inicio de la entidad")
    reporter.get_by_role("link", name="Carga masiva (Excel)").click()
    axe.check(reporter, "carga masiva")
    with reporter.expect_download() as info:
        reporter.get_by_role("link", name=re.compile("Descargar los indicadores")).click()
    sheet = tmp_path / "reportes.xlsx"
    info.value.save_as(str(sheet))
    book = openpyxl.load_workbook(sheet)
    rows = book["reportes"]
    header = [cell.value for cell in rows[1]]
    for row in rows.iter_rows(min_row=2):
        code = str(row[header.index("codigo")].value)
        if code in PROGRAMMED:
            row[header.index("ejecutado_corte")].value = str(PROGRAMMED[code])
    book.save(sheet)
    reporter.get_by_label("Archivo diligenciado (.xlsx)").set_input_files(str(sheet))
    reporter.get_by_role("button", name="Cargar y revisar").click()
    expect(reporter.get_by_role("button", name="Confirmar y guardar como borrador")).to_be_visible()
    axe.check(reporter, "carga masiva: vista previa")
    reporter.get_by_role("button", name="Confirmar y guardar como borrador").click()
    expect(reporter.get_by_role("status")).to_contain_text("Se guardaron 2 reportes")
    axe.check(reporter, "carga masiva: guardada")
    reporter.get_by_role("link", name="Ver la lista de pendientes").click()
    axe.check(reporter, "pendientes: entidad")
    reporter.get_by_role("link", name=re.compile(OVER)).first.click()
    axe.check(reporter, "formulario de reporte")
