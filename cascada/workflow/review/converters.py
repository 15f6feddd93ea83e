"""Path converters of the review pages (their own names: converters are registered globally)."""

from __future__ import annotations

from datetime import date

from django.urls import register_converter


class CutDayConverter:
    """``2026-03-31`` ↔ ``date(2026, 3, 31)``; an impossible date does not match (404)."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)  # ValueError → no match

    def to_url(self, value: date | str) -> str:
        return value.isoformat() if isinstance(value, date) else value


register_converter(CutDayConverter, "diacorte")
