"""The public pages of a cut's editions (GET only, anyone): the list of editions with who
published each and why, the figures of one edition read from its immutable snapshot, and what
changed between two editions. Only published editions exist here; drafts never show."""

from __future__ import annotations

import itertools
from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cascada.tracking import editions
from cascada.tracking.models import Cut, CutEdition
from cascada.workflow.review.changes import change_groups, published_day


def _cut(code: str, day: date) -> Cut:
    cut = Cut.objects.select_related("plan").filter(plan__code=code, date=day).first()
    if cut is None or cut.edition < 1:
        raise Http404
    return cut


def _edition(cut: Cut, number: int) -> CutEdition:
    row = editions.edition_row(cut, number)
    if row is None:
        raise Http404
    return row


@require_safe
def edition_list(request: HttpRequest, code: str, day: date) -> HttpResponse:
    cut = _cut(code, day)
    rows = editions.editions_of(cut)
    pairs = list(itertools.pairwise(rows))  # (previous, next) for the diff links
    return render(
        request,
        "workflow/review/editions.html",
        {
            "plan": cut.plan,
            "cut": cut,
            "editions": rows,
            "pairs": pairs,
            "under_correction": editions.is_under_correction(cut),
        },
    )


@require_safe
def edition_detail(request: HttpRequest, code: str, day: date, number: int) -> HttpResponse:
    cut = _cut(code, day)
    edition = _edition(cut, number)
    return render(
        request,
        "workflow/review/edition.html",
        {
            "plan": cut.plan,
            "cut": cut,
            "edition": edition,
            "figures": editions.figures(edition),
            "is_current": number == cut.edition,
            "under_correction": editions.is_under_correction(cut),
        },
    )


@require_safe
def edition_diff(request: HttpRequest, code: str, day: date, a: int, b: int) -> HttpResponse:
    cut = _cut(code, day)
    old, new = _edition(cut, a), _edition(cut, b)
    groups = change_groups(editions.differences(old, new), old=old, new=new)
    return render(
        request,
        "workflow/review/diff.html",
        {
            "plan": cut.plan,
            "cut": cut,
            "old": old,
            "new": new,
            "groups": groups,
            "count": sum(len(g.rows) for g in groups),
            "published_on": published_day(new),
        },
    )
