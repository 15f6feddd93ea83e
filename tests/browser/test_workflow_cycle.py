"""The whole workflow cycle in a real browser, each person in their own session (issue 6):

programming imported → cut opened → the entity reports with analysis → the reviewer returns one
report with a comment → the entity corrects → the reviewer approves and publishes → the public
page shows the new figure → a correction makes edition 2, with its reason and the diff.

Every step is a click or a keystroke on the real pages; the audit log must hold exactly one
entry per change made in the walk, no more and no less. axe-core checks every page on the way.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from cascada.engine.display import format_percent
from cascada.tracking.models import AuditEvent, Cut, CutState, ObjectiveCutResult
from tests.browser.conftest import (
    ADMIN,
    DAY,
    EXACT,
    OVER,
    REVIEWER,
    SEED,
    Accessibility,
    Browsing,
    Shots,
    demo_reporter,
    programming_workbook,
    sign_in,
)

DAY_TEXT = "30 de junio de 2026"
DEADLINE = "2026-07-15"
RETURN_COMMENT = "El análisis no explica por qué se superó la programación."
CORRECTION = "La entidad corrigió un error de digitación en el indicador 4231."


REVIEW_LIST = f"/gestion/{SEED}/cortes/{DAY}/revision/"


def decide(reviewer: Page, indicator: str, *, comment: str = "") -> None:
    """From the review list: return the report with ``comment``, or approve it without one."""
    reviewer.goto(REVIEW_LIST)
    reviewer.get_by_role("link", name=indicator, exact=True).click()
    if comment:
        reviewer.get_by_label("Comentario para la entidad (obligatorio)").fill(comment)
        reviewer.get_by_role("button", name="Devolver a la entidad").click()
    else:
        reviewer.get_by_role("button", name="Aprobar").click()
    expect(reviewer.locator(".flash")).to_be_visible()


def objective_o1() -> str:
    """Objective O1's compliance at the new cut as stored by the engine, shown the es-CO way."""
    stored = ObjectiveCutResult.objects.get(
        cut__plan__code=SEED, cut__date=DAY, objective__code="O1"
    )
    return format_percent(stored.compliance)


def test_whole_cycle(
    browsing: Browsing, demo: str, shots: Shots, axe: Accessibility, tmp_path: Path
) -> None:
    first_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    reporter_name = demo_reporter()
    admin, reporter, reviewer, citizen = (browsing.new_page() for _ in range(4))
    sign_in(admin, ADMIN)
    sign_in(reporter, reporter_name)
    sign_in(reviewer, REVIEWER)

    # 1. The planning office imports the cut's programming and opens the cut.
    admin.goto("/importar/")
    admin.get_by_label("Archivo de la plantilla v1").set_input_files(
        str(programming_workbook(tmp_path))
    )
    admin.get_by_role("button", name="Cargar y revisar").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Vista previa de la importación")
    admin.get_by_role("button", name="Confirmar importación").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Importación realizada")

    admin.goto("/gestion/")
    admin.get_by_role("link", name="Cortes del plan").click()
    axe.check(admin, "gestión: cortes del plan")
    admin.get_by_label("Fecha de corte").fill(DAY)
    admin.get_by_label("Fecha límite de reporte").fill(DEADLINE)
    admin.get_by_role("button", name="Abrir corte").click()
    expect(admin.locator(".flash")).to_be_visible()
    shots(admin, "corte-abierto")
    assert str(Cut.objects.get(plan__code=SEED, date=DAY).deadline) == DEADLINE

    # 2. The entity sees its two indicators to do and reports them; the over-executed one
    #    needs an analysis, which the live preview asks for before anything is sent.
    reporter.goto("/gestion/")
    reporter.get_by_role("link", name=re.compile(r"Lista de pendientes \(2 indicadores\)")).click()
    axe.check(reporter, "gestión: pendientes")
    shots(reporter, "pendientes")
    reporter.get_by_role("link", name=re.compile(OVER)).first.click()
    reporter.get_by_label(re.compile("^Ejecutado al corte")).fill("25")
    preview = reporter.locator("#vista-previa")
    expect(preview).to_contain_text("Sobreejecutada")
    expect(preview).to_contain_text("Análisis obligatorio")
    axe.check(reporter, "gestión: formulario de reporte con vista previa")
    shots(reporter, "reporte-vista-previa")
    reporter.get_by_role("button", name="Enviar a revisión").click()
    expect(reporter.locator(".error-summary")).to_contain_text("Análisis")  # refused: no analysis
    axe.check(reporter, "gestión: formulario de reporte con errores")
    reporter.get_by_label("Análisis cualitativo").fill(
        "Se atendió más demanda de la prevista en el trimestre."
    )
    expect(preview).to_contain_text("ya lo escribió")
    reporter.get_by_role("button", name="Enviar a revisión").click()
    expect(reporter.locator(".wf-done")).to_be_visible()
    shots(reporter, "reporte-enviado")

    reporter.get_by_role("link", name="Volver a la lista de pendientes").click()
    reporter.get_by_role("link", name=re.compile(EXACT)).first.click()
    reporter.get_by_label(re.compile("^Ejecutado al corte")).fill("30")
    expect(preview).to_contain_text("Cumplida")
    reporter.get_by_role("button", name="Enviar a revisión").click()
    expect(reporter.locator(".wf-done")).to_be_visible()

    # 3. The reviewer returns the first report with a comment and approves the second.
    reviewer.goto("/gestion/")
    reviewer.get_by_role("link", name="Revisión del corte").first.click()
    axe.check(reviewer, "gestión: revisión del corte")
    shots(reviewer, "revision")
    reviewer.get_by_role("link", name=OVER, exact=True).click()
    axe.check(reviewer, "gestión: reporte en revisión")
    decide(reviewer, OVER, comment=RETURN_COMMENT)
    shots(reviewer, "reporte-devuelto")
    decide(reviewer, EXACT)

    # 4. The entity finds the returned report, with the comment, and corrects it.
    reporter.goto("/gestion/")
    reporter.get_by_role("link", name=re.compile("Lista de pendientes")).click()
    expect(reporter.locator(".wf-returned")).to_contain_text(RETURN_COMMENT)
    shots(reporter, "pendientes-devuelto")
    reporter.get_by_role("link", name=re.compile(OVER)).first.click()
    expect(reporter.locator(".wf-thread")).to_contain_text(RETURN_COMMENT)
    reporter.get_by_label(re.compile("^Ejecutado al corte")).fill("24")
    reporter.get_by_label("Análisis cualitativo").fill(
        "Se atendieron 24 solicitudes frente a 20 programadas: la convocatoria de abril "
        "atrajo más entidades de las previstas."
    )
    expect(preview).to_contain_text("120,00%")
    reporter.get_by_role("button", name="Enviar a revisión").click()
    expect(reporter.locator(".wf-done")).to_be_visible()

    # 5. The reviewer approves it, closes the reporting, checks the quality panel and publishes.
    decide(reviewer, OVER)
    cut_page = f"/gestion/{SEED}/cortes/{DAY}/"
    reviewer.goto(cut_page)
    axe.check(reviewer, "gestión: corte abierto")
    reviewer.get_by_role("button", name="Cerrar el reporte y pasar a revisión").click()
    expect(reviewer.locator(".flash")).to_be_visible()
    reviewer.get_by_role("link", name="Panel de calidad de datos").click()
    axe.check(reviewer, "gestión: panel de calidad")
    shots(reviewer, "calidad")
    expect(reviewer.get_by_text("0 alertas abiertas.")).to_be_visible()
    reviewer.goto(cut_page)
    reviewer.get_by_role("button", name="Publicar (edición 1)").click()
    expect(reviewer.locator(".flash")).to_be_visible()
    axe.check(reviewer, "gestión: corte publicado")
    shots(reviewer, "publicado")

    # 6. A citizen (no session) sees the new cut and its figure on the public pages.
    first_figure = objective_o1()
    assert first_figure == "110,00%"  # (24/20 = 120% + 30/30 = 100%) / 2, equal weights
    citizen.goto(f"/planes/{SEED}/")
    expect(citizen.get_by_role("heading", name=f"Seguimiento al {DAY_TEXT}")).to_be_visible()
    card = citizen.locator("li.card").filter(has=citizen.get_by_role("link", name="Objetivo O1"))
    shots(citizen, "publico-corte-nuevo")
    expect(card.locator(".card__figure")).to_have_text(first_figure)

    # 7. A correction: reopened with its reason, the report returned, corrected, approved and
    #    published again as edition 2.
    reviewer.get_by_label(re.compile("Motivo de la corrección")).fill(CORRECTION)
    reviewer.get_by_role("button", name="Abrir corrección").click()
    expect(reviewer.locator(".flash")).to_be_visible()
    expect(reviewer.get_by_text("Corrección en curso")).to_be_visible()
    # Meanwhile the public reads edition 1, told that a correction is under way and why.
    citizen.goto(f"/planes/{SEED}/cortes/{DAY}/")
    notice = citizen.get_by_role("note").filter(has_text="En corrección")
    expect(notice).to_contain_text(CORRECTION)
    expect(card.locator(".card__figure")).to_have_text(first_figure)
    axe.check(citizen, "corte en corrección")
    shots(citizen, "publico-en-correccion")
    notice.get_by_role("link", name="Todas las ediciones de este corte").click()
    citizen.get_by_role("link", name="Edición 1").first.click()
    o1 = citizen.get_by_role("region", name=re.compile("^O1 ·"))
    expect(o1).to_contain_text(f"Cumplimiento al corte: {first_figure}")
    decide(reviewer, OVER, comment="Corrija el ejecutado: la cifra verificada es 22.")

    reporter.goto(f"/gestion/{SEED}/cortes/{DAY}/indicadores/{OVER}/")
    reporter.get_by_label(re.compile("^Ejecutado al corte")).fill("22")
    expect(preview).to_contain_text("110,00%")
    reporter.get_by_role("button", name="Enviar a revisión").click()
    expect(reporter.locator(".wf-done")).to_be_visible()

    decide(reviewer, OVER)
    reviewer.goto(cut_page)
    reviewer.get_by_role("button", name="Cerrar el reporte y pasar a revisión").click()
    reviewer.get_by_role("button", name="Publicar (edición 2)").click()
    expect(reviewer.locator(".flash")).to_be_visible()
    assert Cut.objects.get(plan__code=SEED, date=DAY).state == CutState.PUBLICADO

    second_figure = objective_o1()
    assert second_figure == "105,00%"  # (22/20 = 110% + 100%) / 2
    citizen.goto(f"/planes/{SEED}/")
    expect(card.locator(".card__figure")).to_have_text(second_figure)
    citizen.goto(f"/planes/{SEED}/cortes/{DAY}/ediciones/")
    axe.check(citizen, "ediciones del corte")
    row = citizen.get_by_role("row").filter(has_text="Edición 2")
    expect(row).to_contain_text(CORRECTION)
    shots(citizen, "ediciones")
    citizen.get_by_role("link", name="Qué cambió de la edición 1 a la 2").click()
    axe.check(citizen, "diferencias entre ediciones")
    expect(citizen.locator(".notice")).to_contain_text(CORRECTION)
    changes = citizen.get_by_role("table", name=re.compile(f"Qué cambió en Indicador {OVER} "))
    executed = changes.get_by_role("row").filter(has_text="Ejecutado al corte")
    expect(executed.locator(".changed-before")).to_have_text("24,00")
    expect(executed.locator(".changed-after")).to_have_text("22,00")
    shots(citizen, "diferencias")
    citizen.get_by_role("link", name="Ver la edición 2").click()
    axe.check(citizen, "edición 2")

    # 8. The audit log: exactly one entry per change made in the walk, in order.
    walk = list(
        AuditEvent.objects.filter(id__gt=first_event)
        .order_by("id")
        .values_list("action", "actor_label", "target")
    )
    assert [(action, actor) for action, actor, _ in walk] == [
        ("importar_plan", ADMIN),
        ("corte:abrir", ADMIN),
        ("reporte:enviar", reporter_name),  # 4231, after the refused attempt without analysis
        ("reporte:enviar", reporter_name),  # IE-77
        ("reporte:devolver", REVIEWER),
        ("reporte:aprobar", REVIEWER),
        ("reporte:enviar", reporter_name),
        ("reporte:aprobar", REVIEWER),
        ("corte:cerrar", REVIEWER),
        ("corte:publicar", REVIEWER),
        ("corte:corregir", REVIEWER),
        ("reporte:devolver", REVIEWER),
        ("reporte:enviar", reporter_name),
        ("reporte:aprobar", REVIEWER),
        ("corte:cerrar", REVIEWER),
        ("corte:publicar", REVIEWER),
    ], "\n".join(map(str, walk))
    targets = [target for action, _, target in walk if action.startswith("reporte:")]
    assert [OVER in t for t in targets] == [True, False, True, False, True, True, True, True, True]

    # …and the audit log page shows them to the reviewer.
    reviewer.goto("/gestion/")
    reviewer.get_by_role("link", name=re.compile("Auditoría")).click()
    axe.check(reviewer, "gestión: auditoría")
    reviewer.get_by_label("Acción").select_option("corte:publicar")
    reviewer.get_by_role("button", name="Buscar").click()
    expect(reviewer.get_by_role("status")).to_contain_text("3 registros")  # the seed's too
    shots(reviewer, "auditoria")
