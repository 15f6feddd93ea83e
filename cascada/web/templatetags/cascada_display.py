"""Template filters that turn numbers, dates and codes into text in the active language, through
``cascada.engine.display`` (the one place that rounds)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from decimal import Decimal

from django import template
from django.template.defaultfilters import stringfilter, truncatechars
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from cascada.engine import display
from cascada.engine.model import Alert, Status
from cascada.plans.language import display_lang
from cascada.web import texts
from cascada.web.selectors import Figure

register = template.Library()

KNOWN_SEMAFORO = frozenset(texts.SEMAFORO_LABELS)


def active_lang() -> display.Lang:
    """The display language for the active Django language: "en" or "es"."""
    return display_lang()


@register.simple_tag
def html_lang() -> str:
    return "en" if active_lang() == "en" else "es-CO"


@register.simple_tag
def no_programming() -> str:
    return display.NO_PROGRAMMING[active_lang()]


@register.filter
def pct(value: Decimal | None) -> str:
    """``183.3333`` → ``183,33%`` (es) / ``183.33%`` (en); ``None`` → ``""``."""
    return display.format_percent(value, active_lang())


@register.filter
def pct0(value: Decimal | None) -> str:
    """An axis tick: ``50`` → ``50%``."""
    if value is None:
        return ""
    return f"{display.format_number(value, 0, active_lang())}%"


@register.filter
def num(value: Decimal | None) -> str:
    """A value in the indicator's unit: ``1234.5`` → ``1.234,50`` (es) / ``1,234.50`` (en)."""
    return display.format_number(value, 2, active_lang())


@register.filter
def fecha(value: date | None) -> str:
    """``2026-03-31`` → ``31 de marzo de 2026`` / ``March 31, 2026``."""
    return "" if value is None else display.format_date(value, active_lang())


@register.filter
def fecha_hora(value: datetime | None) -> str:
    """A moment in the site's time zone: ``31 de marzo de 2026, 14:05`` / ``March 31, 2026,
    14:05``."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{display.format_date(local.date(), active_lang())}, {local:%H:%M}"


@register.filter
def status_label(value: Status | str) -> str:
    return display.status_label(Status(value), active_lang())


@register.filter
def alert_label(value: Alert | str) -> str:
    return display.alert_label(Alert(value), active_lang())


@register.simple_tag
def status_badge(status: Status | str) -> SafeString:
    """An indicator's status as a badge (what ``web/_status.html`` was): a tag, not an include,
    because an objective page shows one per indicator, twice, and an include costs a template
    context each time."""
    return format_html('<span class="badge badge--{}">{}</span>\n', status, status_label(status))


@register.filter(is_safe=True)
@stringfilter
def shorten(value: str, length: int) -> str:
    """Django's ``truncatechars``, with a fast path for the usual case of a text that already
    fits: Django walks the text character by character, which was a tenth of a big objective
    page's time. Same output: a text no longer than ``length`` comes back NFC-normalized."""
    if len(value) <= length:
        return unicodedata.normalize("NFC", value)
    return truncatechars(value, length)


@register.filter
def semaforo_label(value: str) -> str:
    label = texts.SEMAFORO_LABELS.get(value)
    return str(label) if label is not None else value


@register.filter
def semaforo_class(value: str) -> str:
    """A CSS modifier for a semáforo colour; unknown colours are drawn neutral."""
    return value if value in KNOWN_SEMAFORO else "ninguno"


@register.filter
def formula(figure: Figure) -> str:
    """The arithmetic of a weighted mean: ``(100,00% × 50,00% + 266,67% × 50,00%) = 183,33%``."""
    if figure.value is None or not figure.terms:
        return ""
    lang = active_lang()
    parts = " + ".join(
        f"{display.format_percent(t.value_used, lang)} × "
        f"{display.format_percent(t.effective_weight, lang)}"
        for t in figure.terms
    )
    return f"({parts}) = {display.format_percent(figure.value, lang)}"


@register.simple_tag
def data_lang() -> SafeString:
    """``lang="es-CO"`` for plan data (names, analyses) shown inside an English page; plan data
    is written in Spanish and is not translated."""
    return mark_safe("" if active_lang() == "es" else 'lang="es-CO"')  # noqa: S308 - a constant
