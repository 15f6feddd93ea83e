"""The public follow-up dashboard: thin views over ``selectors``; GET only.

Anonymous visitors see published cuts; staff users also see the others, marked "Borrador".
A request from htmx (``HX-Request``) for a cut gets only the page body (the cut selector swaps
it in place); the same URLs work without JavaScript.
"""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from cascada.web import charts, selectors, texts
from cascada.web.selectors import STATUS_ORDER, CutPage


def _include_drafts(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated and request.user.is_staff)


def _is_htmx(request: HttpRequest) -> bool:
    """A partial is wanted: an htmx request that is not a history restore (which needs the
    whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


@require_safe
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = selectors.plan_rows(include_drafts=_include_drafts(request))
    return render(request, "web/plan_list.html", {"plans": plans})


def _render_cut(request: HttpRequest, page: CutPage, *, push_url: bool = False) -> HttpResponse:
    context = {
        "page": page,
        "chart": charts.objective_bars(page.objectives) if page.objectives else None,
        "status_meanings": [(s, texts.STATUS_MEANINGS[s]) for s in STATUS_ORDER],
        "partial": _is_htmx(request),
    }
    partial = context["partial"]
    response = render(request, "web/cut_body.html" if partial else "web/cut.html", context)
    if partial and push_url and page.cut is not None:
        response["HX-Push-Url"] = reverse("web:cut", args=[page.plan.code, page.cut.date])
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
def plan_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The latest visible cut; ``?corte=YYYY-MM-DD`` is the cut selector without JavaScript
    (a redirect to the cut's own URL) and with htmx (the body of that cut)."""
    chosen = request.GET.get("corte")
    day: date | None = None
    if chosen:
        try:
            day = date.fromisoformat(chosen)
        except ValueError:
            raise Http404 from None
        if not _is_htmx(request):
            return HttpResponseRedirect(reverse("web:cut", args=[code, day]))
    page = selectors.cut_page(plan_code=code, day=day, include_drafts=_include_drafts(request))
    if page is None:
        raise Http404
    return _render_cut(request, page, push_url=day is not None)


@require_safe
def cut_detail(request: HttpRequest, code: str, day: date) -> HttpResponse:
    page = selectors.cut_page(plan_code=code, day=day, include_drafts=_include_drafts(request))
    if page is None:
        raise Http404
    return _render_cut(request, page)


@require_safe
def objective_detail(request: HttpRequest, code: str, day: date, objective: str) -> HttpResponse:
    page = selectors.objective_page(
        plan_code=code,
        day=day,
        objective_code=objective,
        include_drafts=_include_drafts(request),
    )
    if page is None:
        raise Http404
    return render(request, "web/objective.html", {"page": page})


@require_safe
def indicator_detail(request: HttpRequest, code: str, indicator: str) -> HttpResponse:
    page = selectors.indicator_page(
        plan_code=code, indicator_code=indicator, include_drafts=_include_drafts(request)
    )
    if page is None:
        raise Http404
    context = {
        "page": page,
        "amounts": charts.amounts_chart(page.history) if page.history else None,
        "percents": charts.percent_chart(page.history) if page.history else None,
    }
    return render(request, "web/indicator.html", context)
