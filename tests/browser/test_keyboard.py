"""The reporting form with the keyboard only: every focus visible, a logical order, values
typed, the live preview announced, submitted with Enter and with Space."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import OVER, SEED, Shots, demo_reporter, sign_in

# What the focused element is and whether its focus can be seen: an outline or a shadow.
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const rect = el.getBoundingClientRect();
  return {
    key: el.id || el.getAttribute('name') || el.tagName.toLowerCase(),
    text: (el.innerText || el.value || '').trim().slice(0, 60),
    tag: el.tagName.toLowerCase(),
    visible: outline || style.boxShadow !== 'none',
    onScreen: rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0,
  };
}"""


def tab(page: Page, *, back: bool = False) -> dict[str, Any]:
    page.keyboard.press("Shift+Tab" if back else "Tab")
    focused: dict[str, Any] = page.evaluate(FOCUSED)
    assert focused["visible"], f"el foco en {focused} no se ve"
    assert focused["onScreen"], f"el foco en {focused} está fuera de la pantalla"
    return focused


def test_report_form_by_keyboard(page: Page, open_cut: str, shots: Shots) -> None:
    sign_in(page, demo_reporter())
    page.goto(f"/gestion/{SEED}/cortes/{open_cut}/indicadores/{OVER}/")

    # The first stop is the skip link, shown when focused; it takes focus to the content.
    first = tab(page)
    assert first["text"] == "Saltar al contenido"
    shots(page, "enlace-saltar")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenido"

    # From the content on, focus reaches the form and walks it in reading order.
    walk = []
    for _ in range(40):
        walk.append(tab(page))
        if walk[-1]["key"] == "id_ejecutado":
            break
    else:
        raise AssertionError(f"el formulario no se alcanza con Tab: {walk}")
    order = ["id_ejecutado"] + [tab(page)["key"] for _ in range(6)]
    assert order == [
        "id_ejecutado",
        "id_analisis",
        "id_evidencias",
        "id_comentario",
        "accion",
        "accion",
        "accion",
    ]
    buttons = [tab(page, back=True)["text"] for _ in range(2)]
    assert buttons == ["Enviar a revisión", "Guardar borrador"]

    # Typed values: the preview (an aria-live region) follows as one types.
    for _ in range(4):
        tab(page, back=True)
    assert page.evaluate("document.activeElement.id") == "id_ejecutado"
    page.keyboard.type("25")
    preview = page.locator("#vista-previa")
    expect(preview).to_have_attribute("aria-live", "polite")
    expect(preview).to_contain_text("Sobreejecutada")
    expect(preview).to_contain_text("125,00%")
    expect(preview).to_contain_text("Análisis obligatorio")
    shots(page, "vista-previa")

    # Enter in a text field submits with the first button: a draft.
    page.keyboard.press("Enter")
    expect(page.locator(".wf-done")).to_contain_text("Borrador guardado")
    expect(page.get_by_label("Ejecutado al corte", exact=False)).to_have_value("25")

    # Back in the form: the analysis, then Space on "Enviar a revisión".
    page.get_by_label("Análisis cualitativo").focus()
    page.keyboard.type("Más demanda de la prevista: 25 frente a 20 programadas.")
    expect(preview).to_contain_text("ya lo escribió")
    tab(page)  # evidencias
    tab(page)  # comentario
    tab(page)  # Guardar borrador
    send = tab(page)
    assert send["text"] == "Enviar a revisión"
    shots(page, "foco-enviar")
    page.keyboard.press("Space")
    expect(page.locator(".wf-done")).to_contain_text("Reporte enviado a revisión")
    shots(page, "enviado")
