"""Path converters of ``/gestion/``."""

from __future__ import annotations

from datetime import date


class CutDateConverter:
    """A cut's date as ``AAAA-MM-DD``; an impossible date does not match (404)."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(value) from None

    def to_url(self, value: date | str) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)
