"""The engine's display language (``cascada.engine.display``) for the active Django language.

Dates, numbers and status or alert labels written in Python (views, services) follow the
language the visitor chose, as the template filters of the public dashboard do."""

from __future__ import annotations

from django.utils.translation import get_language

from cascada.engine.display import Lang


def display_lang() -> Lang:
    """``"en"`` when English is active, else ``"es"`` (es-CO, the site's language)."""
    return "en" if (get_language() or "").lower().startswith("en") else "es"
