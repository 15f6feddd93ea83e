"""What the database part of the bench does to a loaded database: recompute and publish one cut
of every plan, and list the pages the load runs ask for."""

from __future__ import annotations

import random
from datetime import date
from urllib.parse import quote

from django.db import connection
from django.db.models import Max
from django.urls import reverse

from cascada.tracking.editions import FIRST_EDITION
from cascada.tracking.models import Cut, ObjectiveCutResult, ProgressReport
from cascada.tracking.services import publish_cut, recompute_cut

# Enough distinct pages that the database, not a warm cache line, answers; few enough that the
# warm-up (every page once) stays short at national size.
MAX_OBJECTIVE_PAGES = 400
MAX_PLANS_FOR_API = 40
INDICATORS_PER_PLAN_FOR_API = 3
# One open data file per plan (by its URL: bench may not import opendata, a sibling layer).
OPEN_DATA_FILE = "objetivos.csv"


def latest_reported_day() -> date:
    """The latest cut date that has progress reported, over every plan."""
    day: date | None = ProgressReport.objects.aggregate(day=Max("cut__date"))["day"]
    if day is None:
        raise RuntimeError("La base de datos no tiene avances reportados.")
    return day


def analyze() -> None:
    """Refresh the planner's statistics after the bulk load, as autovacuum (PostgreSQL) or
    ``ANALYZE`` after a restore would: a planner that believes the 15 million rows just loaded
    are not there chooses sequential scans."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _cuts(day: date) -> list[Cut]:
    return list(Cut.objects.filter(date=day).select_related("plan").order_by("plan__code"))


def recompute_all(*, day: date) -> int:
    """Recompute and store the cut of ``day`` of every plan (the timed part); how many."""
    cuts = _cuts(day)
    for cut in cuts:
        recompute_cut(cut=cut)
    return len(cuts)


def publish_all(*, day: date) -> None:
    """Publish the cut of ``day`` of every plan, so that anonymous visitors see it."""
    for cut in _cuts(day):
        publish_cut(cut=cut, actor_label="bench", reason="Medición de rendimiento")


def _plan_codes(day: date) -> list[str]:
    return [c.plan.code for c in _cuts(day)]


def dashboard_paths(*, day: date) -> list[str]:
    """The plan pages and (a sample of) the objective pages of the cut of ``day``, as many of
    each kind: a reader opens a plan, then one of its objectives."""
    plans = [reverse("web:plan", args=[code]) for code in _plan_codes(day)]
    objectives = [
        reverse("web:objective", args=[plan_code, day, objective_code])
        for plan_code, objective_code in ObjectiveCutResult.objects.filter(cut__date=day)
        .order_by("cut__plan__code", "objective__order", "objective__id")
        .values_list("cut__plan__code", "objective__code")
    ]
    if len(objectives) > MAX_OBJECTIVE_PAGES:
        objectives = random.Random(0).sample(objectives, MAX_OBJECTIVE_PAGES)  # noqa: S311
    repeat = max(1, len(objectives) // max(1, len(plans)))
    return plans * repeat + objectives


def public_api_paths(*, day: date) -> list[str]:
    """Public pages and API reads of the published cut of ``day`` (issue 9's load run)."""
    iso = day.isoformat()
    codes = _plan_codes(day)
    if len(codes) > MAX_PLANS_FOR_API:
        codes = random.Random(1).sample(codes, MAX_PLANS_FOR_API)  # noqa: S311
    paths = [
        "/",
        "/datos/",
        "/api/v1/planes?limit=100",
        f"/api/v1/cortes?limit=100&vigencia={day.year}",
    ]
    for code in codes:
        plan = quote(code, safe="")
        paths += [
            f"/api/v1/planes/{plan}",
            f"/api/v1/planes/{plan}/objetivos",
            f"/api/v1/planes/{plan}/cortes",
            f"/api/v1/planes/{plan}/cortes/{iso}",
            f"/api/v1/planes/{plan}/cortes/{iso}/objetivos",
            f"/api/v1/planes/{plan}/cortes/{iso}/indicadores?limit=100",
            reverse("opendata:file", args=[code, day, FIRST_EDITION, OPEN_DATA_FILE]),
        ]
        indicators = (
            ProgressReport.objects.filter(cut__plan__code=code, cut__date=day)
            .order_by("indicator__order", "indicator__id")
            .values_list("indicator__code", flat=True)[:INDICATORS_PER_PLAN_FOR_API]
        )
        for indicator in indicators:
            paths += [
                reverse("web:indicator", args=[code, indicator]),
                f"/api/v1/planes/{plan}/indicadores/{quote(indicator, safe='')}/historial",
            ]
    return paths
