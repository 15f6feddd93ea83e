"""The weights editor in the browser: the total follows what is typed (es-CO numbers), a total
other than 100 is refused by the server with nothing written, and 100 is saved as one formal
change with its act and one audit row."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
from playwright.sync_api import Page, expect

from cascada.imports.management.commands.demo import SAMPLE
from cascada.imports.services import import_workbook
from cascada.imports.template_v1 import read_template
from cascada.tracking.models import AuditEvent, FormulationChange
from tests.browser.conftest import ADMIN, SEED, Accessibility, Shots, sign_in

# Objective O4's two indicators in 2027: no published cut there, so a change is allowed (their
# 2027 targets are imported first, so that both are in force).
PAGE = f"/gestion/{SEED}/formulacion/pesos/2027/O4/"


def type_into(page: Page, label: str, text: str) -> None:
    """Keyboard only: focus the field, select what it holds, type over it."""
    page.get_by_label(re.compile(f"^{label}")).focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_weights_total_live_and_refused_unless_100(
    page: Page, demo: str, shots: Shots, axe: Accessibility, tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(SAMPLE)
    book["programacion_anual"].append(["4074", 2027, "1,00", None])
    book["programacion_anual"].append(["4075", 2027, "20,00", None])
    book.save(tmp_path / "metas-2027.xlsx")
    import_workbook(workbook=read_template(tmp_path / "metas-2027.xlsx"), actor_label="test")
    sign_in(page, ADMIN)
    page.goto(PAGE)
    total = page.locator("output#total")
    expect(total).to_have_attribute("aria-live", "polite")

    type_into(page, "4074", "30")
    type_into(page, "4075", "60,5")
    expect(total).to_have_text("90,50 % (debe sumar 100)")
    type_into(page, "Acto", "Resolución 123 de 2026")
    page.get_by_label("Fecha del acto").fill("2026-11-20")
    type_into(page, "Motivo del cambio", "Prioridad de la cooperación internacional en 2027.")
    shots(page, "total-90")
    events, changes = AuditEvent.objects.count(), FormulationChange.objects.count()
    page.get_by_role("button", name="Registrar las ponderaciones").click()
    expect(page.locator("#total-error")).to_be_visible()
    axe.check(page, "formulación: pesos que no suman 100")
    assert (AuditEvent.objects.count(), FormulationChange.objects.count()) == (events, changes)

    type_into(page, "4075", "70")
    expect(total).to_have_text("100,00 % (suma 100)")
    shots(page, "total-100")
    page.get_by_role("button", name="Registrar las ponderaciones").click()
    expect(page.locator("#total-error")).to_have_count(0)
    shots(page, "registrado")
    new = list(AuditEvent.objects.order_by("id")[events:])
    assert len(new) == 1 and new[0].action.startswith("formulacion:"), new
    assert FormulationChange.objects.count() == changes + 1
