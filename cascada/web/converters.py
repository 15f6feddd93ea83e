"""Path converters of the public dashboard."""

from __future__ import annotations

from datetime import date


class IsoDateConverter:
    """``2026-03-31`` ↔ ``date(2026, 3, 31)``; an impossible date does not match (404)."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)  # ValueError → no match

    def to_url(self, value: date | str) -> str:
        return value.isoformat() if isinstance(value, date) else value


class ReportFormatConverter:
    """``pdf``, ``pptx``, ``xlsx``, ``html`` or ``json``: the formats of the report; any other
    extension does not match (404)."""

    regex = "pdf|pptx|xlsx|html|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
