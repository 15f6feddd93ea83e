"""axe-core reports no WCAG 2.1 AA violation on the main pages, public and internal."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import ADMIN, SEED, Accessibility, sign_in
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
