"""The one place where numbers, dates and codes become text (es-CO first, English available).

Rounding happens only here and in status classification: half-up to two decimals.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from cascada.engine.model import Alert, Status

Lang = Literal["es", "en"]

NO_PROGRAMMING = {"es": "Sin programación al corte", "en": "Nothing programmed at this cut"}

STATUS_LABELS: dict[Lang, dict[Status, str]] = {
    "es": {
        Status.CUMPLIDA: "Cumplida",
        Status.SOBREEJECUTADA: "Sobreejecutada",
        Status.EN_REZAGO: "En rezago",
        Status.NO_PROGRAMADA: "No programada al corte",
        Status.SIN_REPORTE: "Sin reporte",
        Status.EJECUTADA_SIN_PROGRAMACION: "Ejecutada sin programación",
        Status.NO_VIGENTE: "No vigente",
    },
    "en": {
        Status.CUMPLIDA: "Met",
        Status.SOBREEJECUTADA: "Over-executed",
        Status.EN_REZAGO: "Lagging",
        Status.NO_PROGRAMADA: "Not programmed at this cut",
        Status.SIN_REPORTE: "Not reported",
        Status.EJECUTADA_SIN_PROGRAMACION: "Executed without programming",
        Status.NO_VIGENTE: "Not in force",
    },
}

ALERT_LABELS: dict[Lang, dict[Alert, str]] = {
    "es": {
        Alert.SIN_REPORTE: "Programada al corte y sin reporte de avance",
        Alert.EJECUTADA_SIN_PROGRAMACION: "Reporta ejecución sin programación al corte",
        Alert.ANALISIS_FALTANTE: "Falta el análisis cualitativo",
        Alert.RETROCESO: "Retroceso: el avance calculado es negativo y se muestra como 0 %",
        Alert.META_IGUAL_LINEA_BASE: "La meta es igual a la línea base",
    },
    "en": {
        Alert.SIN_REPORTE: "Programmed at this cut and not reported",
        Alert.EJECUTADA_SIN_PROGRAMACION: "Execution reported without programming",
        Alert.ANALISIS_FALTANTE: "Qualitative analysis missing",
        Alert.RETROCESO: "Setback: computed progress is negative and shown as 0 %",
        Alert.META_IGUAL_LINEA_BASE: "Target equals baseline",
    },
}

_MONTHS: dict[Lang, tuple[str, ...]] = {
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


_CENT = Decimal(1).scaleb(-2)


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    exponent = _CENT if places == 2 else Decimal(1).scaleb(-places)
    return value.quantize(exponent, rounding=ROUND_HALF_UP)


def format_number(value: Decimal | None, places: int = 2, lang: Lang = "es") -> str:
    """``Decimal('1234.5')`` → ``'1.234,50'`` (es) or ``'1,234.50'`` (en); ``None`` → ``''``."""
    if value is None:
        return ""
    rounded = round_half_up(value, places)
    text = f"{abs(rounded) if rounded == 0 else rounded:,.{places}f}"  # never "-0,00"
    if lang == "es":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def format_percent(value: Decimal | None, lang: Lang = "es") -> str:
    """``Decimal('183.3333')`` → ``'183,33%'``; ``None`` → ``''`` (callers say why it is empty)."""
    return "" if value is None else f"{format_number(value, 2, lang)}%"


def format_date(day: date, lang: Lang = "es") -> str:
    """``date(2026, 3, 31)`` → ``'31 de marzo de 2026'`` (es) or ``'March 31, 2026'`` (en)."""
    month = _MONTHS[lang][day.month - 1]
    if lang == "es":
        return f"{day.day} de {month} de {day.year}"
    return f"{month} {day.day}, {day.year}"


def status_label(status: Status, lang: Lang = "es") -> str:
    return STATUS_LABELS[lang][status]


def alert_label(alert: Alert, lang: Lang = "es") -> str:
    return ALERT_LABELS[lang][alert]
