"""The open data page and the files of each published edition (public, GET only)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from cascada.engine.display import format_date
from cascada.opendata.build import (
    CSV_FILES,
    LICENSE,
    OpenDataNotFound,
    build_open_data,
    media_type,
    render_file,
)
from cascada.opendata.columns import TABLES
from cascada.tracking.editions import is_readable_edition
from cascada.tracking.models import Cut, CutEdition

FILES = (*CSV_FILES, "datos.xlsx", "datos.json", "datapackage.json", "datos.zip")


@dataclass(frozen=True)
class Edition:
    plan_code: str
    day: date
    edition: int

    @cached_property
    def folder(self) -> str:
        """The URL of the edition's folder: each file's URL is it plus ``/`` and the name (one
        ``reverse`` per edition rather than per file: the page lists every plan)."""
        name = FILES[0]
        url = reverse("opendata:file", args=[self.plan_code, self.day, self.edition, name])
        return url[: -len(name) - 1]

    @cached_property
    def links(self) -> SafeString:
        """The edition's file links, built here rather than in the template: the index has
        eight per plan, thousands at national size, and the template engine took most of its
        time resolving them."""
        folder, code = escape(self.folder), escape(self.plan_code)
        day = escape(format_date(self.day, "es"))
        return mark_safe(  # noqa: S308 — every value above is escaped, the names are ours
            " · ".join(
                f'<a href="{folder}/{name}" aria-label="{name} del corte {day}, '
                f'edición {self.edition} ({code})">{name}</a>'
                for name in FILES
            )
        )


@dataclass(frozen=True)
class PlanEditions:
    code: str
    name: str
    editions: tuple[Edition, ...]  # newest first

    @property
    def latest(self) -> Edition:
        return self.editions[0]

    @property
    def cuts(self) -> int:
        return len({e.day for e in self.editions})


def _published(**filters: str) -> list[PlanEditions]:
    """Every published edition, by plan, newest cut first (older editions stay listed). Plain
    values: the editions' snapshots (every figure of the cut) are not read."""
    rows = (
        CutEdition.objects.filter(number__lte=F("cut__edition"), **filters)
        .order_by("cut__plan__code", "-cut__date", "-number")
        .values_list("cut__plan__code", "cut__plan__name", "cut__date", "number")
    )
    by_plan: dict[tuple[str, str], list[Edition]] = defaultdict(list)
    for code, name, day, number in rows:
        by_plan[(code, name)].append(Edition(code, day, number))
    return [PlanEditions(code, name, tuple(e)) for (code, name), e in by_plan.items()]


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The data dictionary and, per plan, the files of its latest published cut (the edition in
    force) with a link to all its editions: one row per plan, at any number of cuts."""
    return render(
        request,
        "opendata/index.html",
        {"plans": _published(), "tables": TABLES, "license": LICENSE},
    )


@require_safe
def plan_editions(request: HttpRequest, code: str) -> HttpResponse:
    """Every published edition of every cut of one plan."""
    found = _published(cut__plan__code=code)
    if not found:
        raise Http404
    return render(request, "opendata/plan.html", {"plan": found[0]})


@require_safe
def data_file(request: HttpRequest, code: str, day: date, edition: int, name: str) -> HttpResponse:
    cut = Cut.objects.filter(plan__code=code, date=day).first()
    if cut is None or not is_readable_edition(cut, edition):
        raise Http404
    try:
        data = build_open_data(plan_code=code, cut_date=day, edition=edition)
    except OpenDataNotFound:
        raise Http404 from None
    response = HttpResponse(render_file(data, name), content_type=media_type(name))
    if not name.endswith(".json"):
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{data.slug}_{name}"
        )
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    response["Cache-Control"] = "public, max-age=300"
    return response
