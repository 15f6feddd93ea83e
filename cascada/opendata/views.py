"""The open data page and the files of each published edition (public, GET only)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

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


@dataclass(frozen=True)
class Edition:
    plan_code: str
    day: date
    edition: int

    @property
    def files(self) -> tuple[str, ...]:
        return (*CSV_FILES, "datos.xlsx", "datos.json", "datapackage.json", "datos.zip")


@dataclass(frozen=True)
class PlanEditions:
    code: str
    name: str
    editions: tuple[Edition, ...]  # newest first


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Every published edition of every cut, newest cut first (older editions stay listed)."""
    rows = (
        CutEdition.objects.filter(number__lte=F("cut__edition"))
        .select_related("cut__plan")
        .order_by("cut__plan__code", "-cut__date", "-number")
    )
    by_plan: dict[tuple[str, str], list[Edition]] = defaultdict(list)
    for row in rows:
        plan = row.cut.plan
        by_plan[(plan.code, plan.name)].append(Edition(plan.code, row.cut.date, row.number))
    plans = [PlanEditions(code, name, tuple(e)) for (code, name), e in by_plan.items()]
    return render(
        request,
        "opendata/index.html",
        {"plans": plans, "tables": TABLES, "license": LICENSE},
    )


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
