"""Cut management, review and data quality (``/gestion/<plan>/cortes/…``). Thin views: access is
``accounts.policy``; every POST is one service of ``cascada.tracking`` (one transaction, one
audit row). A refused action re-renders its page with the reason (status 400) and changes
nothing; a done one redirects (POST/redirect/GET) with a message."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from cascada.accounts import policy
from cascada.engine.display import format_date
from cascada.plans.language import display_lang
from cascada.plans.models import Entity, Indicator, Plan
from cascada.tracking import editions, publication, quality, review
from cascada.tracking.models import (
    AuditEvent,
    Cut,
    CutState,
    IndicatorCutResult,
    ProgressReport,
    ReportState,
)

Check = Callable[[Any, Plan], bool]


def _plan(request: HttpRequest, code: str, check: Check) -> Plan:
    plan = Plan.objects.filter(code=code).select_related("sector").first()
    if plan is None:
        raise Http404
    if not check(request.user, plan):
        raise PermissionDenied
    return plan


def _cut(plan: Plan, day: date) -> Cut:
    return get_object_or_404(Cut.objects.select_related("plan"), plan=plan, date=day)


def _parse_day(text: str) -> date | None:
    """ISO (``2026-03-31``, what a date input sends) or ``31/03/2026``."""
    text = text.strip()
    try:
        if "/" in text:
            d, m, y = (int(p) for p in text.split("/"))
            return date(y, m, d)
        return date.fromisoformat(text)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# Cuts of a plan


def _cuts_page(
    request: HttpRequest, plan: Plan, *, status: int = 200, **context: Any
) -> HttpResponse:
    cuts = list(Cut.objects.filter(plan=plan).order_by("-date"))
    base = {
        "plan": plan,
        "cuts": cuts,
        "can_open": policy.can_administer(request.user, plan),
        "form": {"fecha": "", "fecha_limite": ""},
        "errors": {},
    }
    return render(request, "workflow/review/cuts.html", base | context, status=status)


@login_required
@require_safe
def cuts(request: HttpRequest, code: str) -> HttpResponse:
    plan = _plan(request, code, policy.can_review)
    return _cuts_page(request, plan)


@login_required
@require_POST
def open_cut(request: HttpRequest, code: str) -> HttpResponse:
    plan = _plan(request, code, policy.can_administer)
    form = {
        "fecha": request.POST.get("fecha", ""),
        "fecha_limite": request.POST.get("fecha_limite", ""),
    }
    errors: dict[str, str] = {}
    day = _parse_day(form["fecha"])
    deadline = _parse_day(form["fecha_limite"])
    if day is None:
        errors["fecha"] = _("Fecha de corte: escriba una fecha válida (AAAA-MM-DD).")
    if deadline is None:
        errors["fecha_limite"] = _("Fecha límite: escriba una fecha válida (AAAA-MM-DD).")
    if day is not None and deadline is not None:
        try:
            cut = publication.open_cut(plan=plan, day=day, deadline=deadline, actor=request.user)
        except publication.CutRefused as refused:
            errors["general"] = refused.message
        else:
            messages.success(
                request,
                _("Corte del %(day)s abierto.") % {"day": format_date(cut.date, display_lang())},
            )
            return HttpResponseRedirect(reverse("workflow:cuts", args=[plan.code]))
    return _cuts_page(request, plan, status=400, form=form, errors=errors)


def _cut_page(
    request: HttpRequest, plan: Plan, cut: Cut, *, status: int = 200, **context: Any
) -> HttpResponse:
    reports = Counter(
        ProgressReport.objects.filter(cut=cut).values_list("state", flat=True).order_by()
    )
    open_items = quality.open_items(cut=cut) if cut.state != CutState.PUBLICADO else []
    base = {
        "plan": plan,
        "cut": cut,
        "report_counts": [(s, reports.get(s.value, 0)) for s in ReportState],
        "open_items": open_items,
        "editions": editions.editions_of(cut),
        "next_edition": editions.next_edition(cut),
        "under_correction": editions.is_under_correction(cut),
        "errors": {},
    }
    return render(request, "workflow/review/cut.html", base | context, status=status)


@login_required
@require_safe
def cut_detail(request: HttpRequest, code: str, day: date) -> HttpResponse:
    plan = _plan(request, code, policy.can_review)
    return _cut_page(request, plan, _cut(plan, day))


_DONE = {
    "cerrar": gettext_lazy("Reporte cerrado: el corte está en revisión."),
    "reabrir": gettext_lazy("Corte reabierto: las entidades pueden reportar de nuevo."),
    "publicar": gettext_lazy("Corte publicado."),
    "corregir": gettext_lazy("Corrección abierta: el público sigue viendo la edición publicada."),
}


@login_required
@require_POST
def cut_action(request: HttpRequest, code: str, day: date, action: str) -> HttpResponse:
    """``cerrar`` · ``reabrir`` · ``publicar`` · ``corregir`` (with ``motivo``)."""
    plan = _plan(request, code, policy.can_review)
    cut = _cut(plan, day)
    reason = request.POST.get("motivo", "")
    try:
        if action == "cerrar":
            publication.close_reporting(cut=cut, actor=request.user)
        elif action == "reabrir":
            publication.reopen_reporting(cut=cut, actor=request.user)
        elif action == "publicar":
            publication.publish(cut=cut, actor=request.user, reason=reason)
        elif action == "corregir":
            publication.start_correction(cut=cut, actor=request.user, reason=reason)
        else:
            raise Http404
    except publication.CutRefused as refused:
        errors = {"corregir" if action == "corregir" else "general": refused.message}
        cut.refresh_from_db()
        return _cut_page(request, plan, cut, status=400, errors=errors, reason=reason)
    messages.success(request, str(_DONE[action]))
    return HttpResponseRedirect(reverse("workflow:cut", args=[plan.code, cut.date]))


# ---------------------------------------------------------------------------------------------
# Review of the reports


def _entities(plan: Plan) -> list[Entity]:
    return list(Entity.objects.filter(goals__plan=plan).distinct().order_by("name"))


def _entity_filter(request: HttpRequest, plan: Plan) -> int | None:
    raw = request.GET.get("entidad", "")
    if raw.isdigit() and Entity.objects.filter(pk=int(raw), goals__plan=plan).exists():
        return int(raw)
    return None


@login_required
@require_safe
def review_list(request: HttpRequest, code: str, day: date) -> HttpResponse:
    plan = _plan(request, code, policy.can_review)
    cut = _cut(plan, day)
    entity_id = _entity_filter(request, plan)
    state = request.GET.get("estado", "")
    reports = (
        ProgressReport.objects.filter(cut=cut)
        .select_related("indicator__goal__responsible_entity", "reported_by")
        .order_by("indicator__goal__objective__order", "indicator__order", "indicator_id")
    )
    if entity_id is not None:
        reports = reports.filter(indicator__goal__responsible_entity_id=entity_id)
    if state in ReportState.values:
        reports = reports.filter(state=state)
    statuses = dict(
        IndicatorCutResult.objects.filter(cut=cut).values_list("indicator_id", "status")
    )
    rows = [(r, statuses.get(r.indicator_id, "")) for r in reports]
    return render(
        request,
        "workflow/review/review_list.html",
        {
            "plan": plan,
            "cut": cut,
            "rows": rows,
            "entities": _entities(plan),
            "entity_id": entity_id,
            "states": ReportState.choices,
            "state": state,
        },
    )


def _report(cut: Cut, code: str) -> ProgressReport:
    return get_object_or_404(
        ProgressReport.objects.select_related(
            "cut__plan", "indicator__goal__responsible_entity", "reported_by"
        ),
        cut=cut,
        indicator__code=code,
    )


def _report_page(
    request: HttpRequest, plan: Plan, report: ProgressReport, *, status: int = 200, **ctx: Any
) -> HttpResponse:
    target = f"{ProgressReport._meta.verbose_name}: {report.cut} · {report.indicator.code}"
    context: dict[str, Any] = {
        "plan": plan,
        "cut": report.cut,
        "report": report,
        "indicator": report.indicator,
        "result": IndicatorCutResult.objects.filter(
            cut=report.cut, indicator=report.indicator
        ).first(),
        "comments": report.comments.select_related("author"),
        "history": AuditEvent.objects.filter(plan=plan, target=target[:200]).select_related(
            "actor"
        ),
        "can_approve": report.state in review.APPROVABLE and report.cut.state != CutState.PUBLICADO,
        "can_return": report.state in review.RETURNABLE and report.cut.state != CutState.PUBLICADO,
        "errors": {},
        "comment": "",
    }
    return render(request, "workflow/review/report.html", context | ctx, status=status)


@login_required
@require_safe
def report_detail(request: HttpRequest, code: str, day: date, indicator: str) -> HttpResponse:
    plan = _plan(request, code, policy.can_review)
    return _report_page(request, plan, _report(_cut(plan, day), indicator))


@login_required
@require_POST
def report_decision(
    request: HttpRequest, code: str, day: date, indicator: str, decision: str
) -> HttpResponse:
    """``aprobar`` (optional ``comentario``) or ``devolver`` (required ``comentario``)."""
    plan = _plan(request, code, policy.can_review)
    report = _report(_cut(plan, day), indicator)
    comment = request.POST.get("comentario", "")
    try:
        if decision == "aprobar":
            review.approve_report(report=report, actor=request.user, comment=comment)
            done = _("Reporte de %(code)s aprobado.")
        elif decision == "devolver":
            review.return_report(report=report, actor=request.user, comment=comment)
            done = _("Reporte de %(code)s devuelto a la entidad.")
        else:
            raise Http404
    except review.ReviewRefused as refused:
        report.refresh_from_db()
        return _report_page(
            request, plan, report, status=400, errors={decision: refused.message}, comment=comment
        )
    messages.success(request, done % {"code": indicator})
    return HttpResponseRedirect(reverse("workflow:review", args=[plan.code, day]))


# ---------------------------------------------------------------------------------------------
# Data quality


def _quality_page(
    request: HttpRequest, plan: Plan, cut: Cut, *, status: int = 200, **ctx: Any
) -> HttpResponse:
    entity_id = _entity_filter(request, plan)
    rows = quality.items(cut=cut, entity_id=entity_id)
    context = {
        "plan": plan,
        "cut": cut,
        "items": rows,
        "open_count": sum(1 for i in rows if i.is_open),
        "entities": _entities(plan),
        "entity_id": entity_id,
        "can_override": cut.state != CutState.PUBLICADO,
        "errors": {},
    }
    return render(request, "workflow/review/quality.html", context | ctx, status=status)


@login_required
@require_safe
def quality_panel(request: HttpRequest, code: str, day: date) -> HttpResponse:
    plan = _plan(request, code, policy.can_review)
    return _quality_page(request, plan, _cut(plan, day))


@login_required
@require_POST
def override(request: HttpRequest, code: str, day: date) -> HttpResponse:
    """One alert (``indicador`` and ``alerta``) or every open one shown (``entidad`` filter)."""
    plan = _plan(request, code, policy.can_review)
    cut = _cut(plan, day)
    code_ = request.POST.get("indicador", "")
    indicator = Indicator.objects.filter(plan=plan, code=code_).first() if code_ else None
    if code_ and indicator is None:
        raise Http404
    entity = request.POST.get("entidad", "")
    try:
        rows = quality.override_alerts(
            cut=cut,
            reason=request.POST.get("motivo", ""),
            actor=request.user,
            indicator_id=indicator.pk if indicator else None,
            alert=request.POST.get("alerta", "") or None,
            entity_id=int(entity) if entity.isdigit() else None,
        )
    except quality.QualityRefused as refused:
        # one alert's form is a row of the table: its error goes in the summary at the top
        key = "general" if code_ else "todas"
        return _quality_page(request, plan, cut, status=400, errors={key: refused.message})
    messages.success(request, _("%(n)d alerta(s) exceptuada(s).") % {"n": len(rows)})
    url = reverse("workflow:quality", args=[plan.code, cut.date])
    return HttpResponseRedirect(f"{url}?entidad={entity}" if entity.isdigit() else url)
