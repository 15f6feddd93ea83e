"""WCAG 1.4.10 (reflow): at 320 CSS pixels wide the pages scroll only vertically; wide tables
scroll inside their own focusable region, never the whole page."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import OVER, REVIEWER, SEED, Browsing, Shots, demo_reporter, sign_in

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter((el) => {
    const rect = el.getBoundingClientRect();
    if (rect.right <= width + 1 || rect.width === 0) return false;
    // Inside a region that scrolls on its own is fine.
    for (let p = el.parentElement; p; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (['auto', 'scroll', 'hidden'].includes(style.overflowX)) return false;
    }
    return true;
  });
  return {
    scroll: document.documentElement.scrollWidth - width,
    wide: wide.slice(0, 5).map((el) => el.outerHTML.slice(0, 160)),
  };
}"""


def assert_reflows(page: Page, what: str) -> None:
    found = page.evaluate(OVERFLOW)
    assert found["scroll"] <= 1 and not found["wide"], (
        f"{what} ({page.url}) se desborda a 320 px: {found}"
    )


def test_pages_reflow_at_320_pixels(browsing: Browsing, open_cut: str, shots: Shots) -> None:
    citizen, reporter, reviewer = (browsing.new_page() for _ in range(3))
    for page in (citizen, reporter, reviewer):
        page.set_viewport_size({"width": 320, "height": 640})
    sign_in(reporter, demo_reporter())
    sign_in(reviewer, REVIEWER)
    cut = f"/gestion/{SEED}/cortes/{open_cut}/"
    visits = [
        (citizen, "planes", "/"),
        (citizen, "corte", f"/planes/{SEED}/cortes/2026-03-31/"),
        (citizen, "objetivo", f"/planes/{SEED}/cortes/2026-03-31/objetivos/O4/"),
        (citizen, "indicador", f"/planes/{SEED}/indicadores/4075/"),
        (citizen, "ediciones", f"/planes/{SEED}/cortes/2026-03-31/ediciones/"),
        (citizen, "edicion", f"/planes/{SEED}/cortes/2026-03-31/ediciones/1/"),
        (citizen, "datos-abiertos", "/datos/"),
        (citizen, "ingresar", "/cuenta/ingresar/"),
        (reporter, "gestion", "/gestion/"),
        (reporter, "pendientes", cut + "pendientes/"),
        (reporter, "reporte", cut + f"indicadores/{OVER}/"),
        (reviewer, "cortes", f"/gestion/{SEED}/cortes/"),
        (reviewer, "corte-gestion", cut),
        (reviewer, "revision", cut + "revision/"),
        (reviewer, "calidad", cut + "calidad/"),
        (reviewer, "auditoria", "/gestion/auditoria/"),
    ]
    problems = []
    for page, name, url in visits:
        page.goto(url)
        shots(page, name)
        try:
            assert_reflows(page, name)
        except AssertionError as error:
            problems.append(str(error))
    assert not problems, "\n".join(problems)
