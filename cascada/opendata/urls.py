"""``/datos/``: the open data page, and the files of each published cut's edition at stable URLs
``/datos/<plan>/<AAAA-MM-DD>/ed<n>/<archivo>``."""

from __future__ import annotations

from datetime import date

from django.urls import path, register_converter

from cascada.opendata import views
from cascada.opendata.build import FILES


class CutDateConverter:
    """``2026-03-31`` ↔ ``date(2026, 3, 31)``; an impossible date does not match (404)."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)  # ValueError → no match

    def to_url(self, value: date | str) -> str:
        return value.isoformat() if isinstance(value, date) else value


class DataFileConverter:
    """The names of the files of an edition (``build.FILES``); any other name is a 404."""

    regex = "|".join(name.replace(".", r"\.") for name in FILES)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CutDateConverter, "fechacorte")
register_converter(DataFileConverter, "archivodatos")

app_name = "opendata"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.plan_editions, name="plan"),
    path(
        "<str:code>/<fechacorte:day>/ed<int:edition>/<archivodatos:name>",
        views.data_file,
        name="file",
    ),
]
