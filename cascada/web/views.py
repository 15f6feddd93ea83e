"""The public follow-up dashboard: thin views over ``selectors``; GET only.

Anonymous visitors see published cuts; whoever may see a plan's drafts
(``policy.can_view_drafts``: its administrators, reviewers and analysts) also sees the others,
marked "Borrador". A cut being corrected (published before, reopened) shows the public its
edition in force, read from that edition's snapshot, with a notice and the reason; staff see the
working figures.
A request from htmx (``HX-Request``) for a cut gets only the page body (the cut selector swaps
it in place); the same URLs work without JavaScript.

The report of a cut (``informe.<fmt>``) follows the cut page's visibility and figures. A plan
with at most ``CASCADA_REPORT_SYNC_MAX_INDICATORS`` indicators is rendered in the request; a
larger one by a background job, whose page (``/informes/<uuid>/``) shows its progress (htmx
polling every second, a meta refresh without JavaScript) and then the download link.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from cascada.accounts import policy
from cascada.plans.models import Plan
from cascada.reports.dataset import ReportNotFound
from cascada.reports.jobs import request_report
from cascada.reports.models import JobState, ReportJob
from cascada.reports.render import render_report
from cascada.web import charts, pagecache, selectors, texts
from cascada.web.selectors import STATUS_ORDER, CutPage
from cascada.web.templatetags.cascada_display import active_lang

# A job still waiting after this long gets a note: the worker may be busy or stopped.
JOB_WAIT_NOTE_AFTER = timedelta(seconds=30)
# The HTML report stands alone (styles inline, images as data URIs) and has no scripts: shown
# inline from this site, it may load nothing else and run nothing.
REPORT_HTML_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def _include_drafts(request: HttpRequest, code: str) -> bool:
    """Whether the visitor may see the drafts of plan ``code`` (no query for anonymous ones)."""
    if not request.user.is_authenticated:
        return False
    return policy.can_view_drafts(request.user, Plan.objects.filter(code=code).first())


def _is_htmx(request: HttpRequest) -> bool:
    """A partial is wanted: an htmx request that is not a history restore (which needs the
    whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


@require_safe
def plan_list(request: HttpRequest) -> HttpResponse:
    drafts = frozenset(policy.visible_plans(request.user).values_list("pk", flat=True))

    def build(extra: Mapping[str, Any]) -> HttpResponse:
        plans = selectors.plan_rows(draft_plans=drafts)
        return render(request, "web/plan_list.html", {"plans": plans, **extra})

    # One row per plan: ~1.100 at national size, read and rendered once per change of any.
    return pagecache.public_page(request, plan_code=None, cacheable=not drafts, build=build)


def _render_cut(
    request: HttpRequest, page: CutPage, extra: Mapping[str, Any], *, push_url: bool = False
) -> HttpResponse:
    context = {
        "page": page,
        "chart": charts.objective_bars(page.objectives) if page.objectives else None,
        "status_meanings": [(s, texts.STATUS_MEANINGS[s]) for s in STATUS_ORDER],
        "partial": _is_htmx(request),
        "report_formats": texts.REPORT_FORMATS,
        "report_in_background": page.totals is not None
        and page.totals.indicators > settings.CASCADA_REPORT_SYNC_MAX_INDICATORS,
        **extra,
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
    include_drafts = _include_drafts(request, code)

    def build(extra: Mapping[str, Any]) -> HttpResponse:
        page = selectors.cut_page(plan_code=code, day=day, include_drafts=include_drafts)
        if page is None:
            raise Http404
        return _render_cut(request, page, extra, push_url=day is not None)

    return pagecache.public_page(
        request,
        plan_code=code,
        cacheable=not include_drafts,
        build=build,
        variant="partial" if _is_htmx(request) else "",
    )


@require_safe
def cut_detail(request: HttpRequest, code: str, day: date) -> HttpResponse:
    include_drafts = _include_drafts(request, code)

    def build(extra: Mapping[str, Any]) -> HttpResponse:
        page = selectors.cut_page(plan_code=code, day=day, include_drafts=include_drafts)
        if page is None:
            raise Http404
        return _render_cut(request, page, extra)

    return pagecache.public_page(
        request,
        plan_code=code,
        cacheable=not include_drafts,
        build=build,
        variant="partial" if _is_htmx(request) else "",
    )


@require_safe
def objective_detail(request: HttpRequest, code: str, day: date, objective: str) -> HttpResponse:
    include_drafts = _include_drafts(request, code)

    def build(extra: Mapping[str, Any]) -> HttpResponse:
        page = selectors.objective_page(
            plan_code=code, day=day, objective_code=objective, include_drafts=include_drafts
        )
        if page is None:
            raise Http404
        return render(request, "web/objective.html", {"page": page, **extra})

    return pagecache.public_page(request, plan_code=code, cacheable=not include_drafts, build=build)


@require_safe
def indicator_detail(request: HttpRequest, code: str, indicator: str) -> HttpResponse:
    include_drafts = _include_drafts(request, code)

    def build(extra: Mapping[str, Any]) -> HttpResponse:
        page = selectors.indicator_page(
            plan_code=code, indicator_code=indicator, include_drafts=include_drafts
        )
        if page is None:
            raise Http404
        context = {
            "page": page,
            "amounts": charts.amounts_chart(page.history) if page.history else None,
            "percents": charts.percent_chart(page.history) if page.history else None,
            **extra,
        }
        return render(request, "web/indicator.html", context)

    return pagecache.public_page(request, plan_code=code, cacheable=not include_drafts, build=build)


# ---------------------------------------------------------------------------------------------
# The report of a cut


@require_safe
def report_download(request: HttpRequest, code: str, day: date, fmt: str) -> HttpResponse:
    """The report of a visible cut in ``fmt``: the file itself for a plan of at most
    ``CASCADA_REPORT_SYNC_MAX_INDICATORS`` indicators, else a redirect to a background job."""
    include_drafts = _include_drafts(request, code)
    target = selectors.report_target(plan_code=code, day=day, include_drafts=include_drafts)
    if target is None:
        raise Http404
    lang = active_lang()
    if target.indicators > settings.CASCADA_REPORT_SYNC_MAX_INDICATORS:
        job = request_report(
            plan=target.plan,
            cut_date=day,
            fmt=fmt,
            lang=lang,
            include_drafts=include_drafts,
            reusable=not target.cut.is_draft,
        )
        return HttpResponseRedirect(reverse("web:report_job", args=[job.pk]))
    try:
        content, content_type, filename = render_report(
            plan_code=target.plan.code,
            cut_date=day,
            fmt=fmt,
            lang=lang,
            include_drafts=include_drafts,
        )
    except ReportNotFound:
        raise Http404 from None
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(fmt != "html", filename) or ""
    patch_vary_headers(response, ["Cookie"])  # the language and the visitor's rights
    _report_headers(response, fmt)
    return response


def _report_headers(response: HttpResponseBase, fmt: str) -> HttpResponseBase:
    if fmt == "html":
        response["Content-Security-Policy"] = REPORT_HTML_CSP
    return response


def _visible_job(request: HttpRequest, job_id: UUID) -> ReportJob:
    job = selectors.report_job(job_id=job_id, include_drafts=False)
    if job is None and request.user.is_authenticated:
        # A job with drafts, or of a cut no longer published: for who may see the plan's drafts.
        candidate = selectors.report_job(job_id=job_id, include_drafts=True)
        if candidate is not None and policy.can_view_drafts(request.user, candidate.plan):
            job = candidate
    if job is None:
        raise Http404
    return job


@require_safe
def report_job(request: HttpRequest, job_id: UUID) -> HttpResponse:
    """A report being rendered in the background: its progress, then the download link. htmx
    polls this URL for the status partial until the job is finished."""
    job = _visible_job(request, job_id)
    waited = timezone.now() - job.created_at
    context = {
        "job": job,
        "format_label": texts.REPORT_FORMAT_LABELS.get(job.format, job.format),
        "slow_start": job.state == JobState.PENDIENTE and waited > JOB_WAIT_NOTE_AFTER,
        "retry_url": reverse("web:report", args=[job.plan.code, job.cut_date, job.format]),
    }
    partial = _is_htmx(request)
    response = render(
        request, "web/_report_job.html" if partial else "web/report_job.html", context
    )
    response["Cache-Control"] = "no-store"  # a progress page is stale the moment it is sent
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
def report_job_file(request: HttpRequest, job_id: UUID) -> FileResponse:
    """The file of a finished job."""
    job = _visible_job(request, job_id)
    if not job.is_ready:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=job.format != "html",
        filename=job.filename,
        content_type=job.content_type,
    )
    _report_headers(response, job.format)
    return response
