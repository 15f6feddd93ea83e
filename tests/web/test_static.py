"""Static assets: colour contrast of every semáforo/badge pair (WCAG 2.1 AA), the vendored htmx,
the print and small-screen rules, and the compiled English catalogue."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

WEB = Path(settings.BASE_DIR) / "cascada" / "web"
CSS = (WEB / "static" / "web" / "cascada.css").read_text()
VARIABLES = dict(re.findall(r"--([a-z_-]+):\s*(#[0-9a-fA-F]{6})\s*;", CSS))


def luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


PAIRS = sorted(name.removesuffix("-bg") for name in VARIABLES if name.endswith("-bg"))
BARS = sorted(name for name in VARIABLES if name.endswith("-bar"))


def test_every_colour_pair_is_declared():
    for name in ("rojo", "amarillo", "verde", "azul", "borrador", "cumplida", "sobreejecutada"):
        assert name in PAIRS
    for status in ("en_rezago", "sin_reporte", "ejecutada_sin_programacion", "no_programada"):
        assert status in PAIRS
    assert {"rojo-bar", "amarillo-bar", "verde-bar", "azul-bar"} <= set(BARS)


@pytest.mark.parametrize("name", PAIRS)
def test_text_on_every_background_has_aa_contrast(name):
    ratio = contrast(VARIABLES[f"{name}-bg"], VARIABLES[f"{name}-fg"])
    assert ratio >= 4.5, (name, round(ratio, 2))


@pytest.mark.parametrize("name", BARS)
def test_chart_fills_stand_out_from_the_page(name):
    ratio = contrast(VARIABLES[name], VARIABLES["page-bg"])
    assert ratio >= 3, (name, round(ratio, 2))


def test_page_text_and_links_have_aa_contrast():
    for fg, bg in [
        ("page-fg", "page-bg"),
        ("muted-fg", "page-bg"),
        ("muted-fg", "surface-bg"),
        ("link-fg", "page-bg"),
        ("link-fg", "surface-bg"),
        ("header-fg", "header-bg"),
    ]:
        assert contrast(VARIABLES[fg], VARIABLES[bg]) >= 4.5, (fg, bg)


def test_focus_print_and_small_screens():
    assert ":focus-visible" in CSS
    assert "@media print" in CSS and "break-inside: avoid" in CSS
    assert "thead { display: table-header-group; }" in CSS
    printed = CSS.split("@media print", 1)[1]
    assert ".site-header" in printed and ".cut-form" in printed and "display: none" in printed
    assert "@media (max-width: 40rem)" in CSS


def test_htmx_2_is_vendored():
    htmx = (WEB / "static" / "web" / "htmx.min.js").read_text()
    assert re.search(r'version:"2\.\d+\.\d+"', htmx)
    base = (WEB / "templates" / "web" / "base.html").read_text()
    assert "{% static 'web/htmx.min.js' %}" in base
    assert "http" not in re.sub(r"<!--.*?-->", "", base)  # no CDN


def _po_entries(text: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) of the simple entries (no context, no plural) of a .po file."""

    def joined(chunk: str) -> str:
        return "".join(ast.literal_eval(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', chunk))

    entries = []
    for block in text.split("\n\n"):
        match = re.search(r'^msgid ((?:".*"\n?)+)^msgstr ((?:".*"\n?)+)', block + "\n", re.M)
        if match and "msgctxt" not in block and "msgid_plural" not in block:
            entries.append((joined(match.group(1)), joined(match.group(2))))
    return [(i, s) for i, s in entries if i]


def test_english_catalogue_is_complete_and_compiled():
    """Every msgid has an English msgstr, and the committed .mo holds exactly the .po's
    translations (run ``cascada compilemessages`` after editing the .po)."""
    locale = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
    text = (locale / "django.po").read_text()
    assert "#, fuzzy\n" not in text.split("\n\n", 1)[1]
    entries = _po_entries(text)
    assert len(entries) > 200
    assert [msgid for msgid, msgstr in entries if not msgstr] == []
    with (locale / "django.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    assert [m for m, s in entries if catalogue.gettext(m) != s] == []
