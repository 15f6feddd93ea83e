"""The reporting pages of ``/gestion/``: the home page, each cut's to-do list, the report form
with its live preview, and bulk entry by spreadsheet.

Thin views: access is ``cascada.accounts.policy`` (anonymous users go to the sign-in page, the
others get 403), the one write is ``cascada.tracking.reporting.save_report`` (bulk entry:
``cascada.imports.bulk_entry``), the lists are ``cascada.tracking.todo``. Every page works
without JavaScript; htmx only refreshes the preview while typing.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cascada.accounts import policy
from cascada.accounts.models import Role
from cascada.engine import display
from cascada.engine.model import IndicatorResult
from cascada.engine.progress import NEEDS_ANALYSIS
from cascada.imports import uploads
from cascada.imports.bulk_entry import apply_bulk_file, workbook_bytes
from cascada.imports.issues import TemplateError
from cascada.plans.language import display_lang
from cascada.plans.models import Entity, Indicator, Plan
from cascada.tracking.models import Cut, CutState, CutTarget, ProgressReport, ReportComment
from cascada.tracking.reporting import (
    BULK_ACTION,
    BulkRefused,
    BulkSummary,
    CutNotOpen,
    InvalidReport,
    ReportLocked,
    ReportState,
    VersionConflict,
    closed_reason,
    history,
    locked_reason,
    preview,
    save_report,
    state_of,
)
from cascada.tracking.todo import STAGE_LABELS, pending_count, todo_rows
from cascada.workflow.reporting import forms
from cascada.workflow.reporting.forms import Typed

DONE_MESSAGES = {
    "borrador": gettext_lazy(
        "Borrador guardado. Puede seguir editándolo hasta enviarlo a revisión."
    ),
    "enviado": gettext_lazy(
        "Reporte enviado a revisión. Queda de solo lectura salvo que se lo devuelvan."
    ),
    "sin_cambios": gettext_lazy("No había cambios que guardar."),
}


def when(moment: datetime | None) -> str:
    """``31 de marzo de 2026, 14:05`` (``March 31, 2026, 14:05``) in the site's time zone."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{display.format_date(local.date(), display_lang())}, {local:%H:%M}"


def day_text(day: date | None) -> str:
    """``31 de marzo de 2026`` (``March 31, 2026``); ``""`` for no date."""
    return display.format_date(day, display_lang()) if day is not None else ""


def _cut(plan_code: str, day: date) -> Cut:
    cut = Cut.objects.select_related("plan").filter(plan__code=plan_code, date=day).first()
    if cut is None:
        raise Http404("No existe ese corte.")
    return cut


def _indicator(plan: Plan, code: str) -> Indicator:
    indicator = (
        Indicator.objects.select_related("plan", "goal__responsible_entity", "goal__objective")
        .filter(plan=plan, code=code)
        .first()
    )
    if indicator is None:
        raise Http404("No existe ese indicador.")
    return indicator


# ---------------------------------------------------------------------------------------------
# Home and to-do list


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The plans where the user holds a role; per open cut, their pending reports."""
    user = request.user
    plans = []
    for plan in policy.plans_with_role(user).order_by("code"):
        roles = sorted(str(Role(r).label) for r in policy.roles(user, plan))
        reports = policy.can_enter_reports(user, plan)
        reviews = policy.can_review(user, plan)
        cuts = []
        shown = (
            plan.cuts.exclude(state=CutState.PUBLICADO)
            if reviews
            else plan.cuts.filter(state=CutState.ABIERTO)
        )
        for cut in shown.order_by("-date"):
            args = (plan.code, cut.date.isoformat())
            row: dict[str, Any] = {
                "cut": cut,
                "date": day_text(cut.date),
                "deadline": day_text(cut.deadline),
                "state": CutState(cut.state).label,
                "open": cut.state == CutState.ABIERTO,
                "review_url": reverse("workflow:review", args=args) if reviews else None,
            }
            if reports and cut.state == CutState.ABIERTO:
                indicators = policy.enterable_indicators(user, plan)
                row["pending"] = pending_count(cut=cut, indicators=indicators)
                row["todo_url"] = reverse("workflow:todo", args=args)
                row["bulk_url"] = reverse("workflow:bulk", args=args)
            cuts.append(row)
        plans.append(
            {
                "plan": plan,
                "roles": roles or [_("Superusuario")],
                "cuts": cuts,
                "manage_url": reverse("workflow:cuts", args=[plan.code]) if reviews else None,
                "formulation_url": (
                    reverse("workflow:formulation", args=[plan.code])
                    if policy.can_change_formulation(user, plan)
                    else None
                ),
            }
        )
    audit_url = reverse("workflow:audit_log") if policy.can_use_audit_log(user) else None
    return render(request, "workflow/home.html", {"plans": plans, "audit_url": audit_url})


@require_safe
@login_required
def todo(request: HttpRequest, plan: str, fecha: date) -> HttpResponse:
    cut = _cut(plan, fecha)
    if not policy.can_enter_reports(request.user, cut.plan):
        raise PermissionDenied
    indicators = policy.enterable_indicators(request.user, cut.plan)
    administers = policy.can_administer(request.user, cut.plan)
    entities: list[Entity] = []
    entity: Entity | None = None
    if administers:
        entities = list(Entity.objects.filter(goals__plan=cut.plan).distinct().order_by("name"))
        chosen = request.GET.get("entidad", "")
        entity = next((e for e in entities if str(e.pk) == chosen), None)
        if entity is not None:
            indicators = indicators.filter(goal__responsible_entity=entity)
    rows: list[dict[str, Any]] = [
        {
            "row": row,
            "url": reverse(
                "workflow:report", args=(cut.plan.code, cut.date.isoformat(), row.indicator.code)
            ),
            "returned_at": when(row.returned_comment.at) if row.returned_comment else "",
        }
        for row in todo_rows(cut=cut, indicators=indicators)
    ]
    pending = [r for r in rows if r["row"].pending]
    done = [r for r in rows if not r["row"].pending]
    return render(
        request,
        "workflow/reporting/todo.html",
        {
            "cut": cut,
            "plan": cut.plan,
            "date": day_text(cut.date),
            "deadline": day_text(cut.deadline),
            "closed": closed_reason(cut),
            "pending": pending,
            "done": done,
            "administers": administers,
            "entities": entities,
            "entity": entity,
            "bulk_url": reverse("workflow:bulk", args=(cut.plan.code, cut.date.isoformat())),
        },
    )


# ---------------------------------------------------------------------------------------------
# The report form


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def report_form(request: HttpRequest, plan: str, fecha: date, codigo: str) -> HttpResponse:
    cut = _cut(plan, fecha)
    indicator = _indicator(cut.plan, codigo)
    if not policy.can_enter_report(request.user, indicator):
        raise PermissionDenied
    state = _state(cut, indicator)
    if request.method != "POST":
        done = str(DONE_MESSAGES.get(request.GET.get("hecho", ""), ""))
        return _form_page(request, cut, indicator, state, Typed.from_state(state), done=done)

    typed = Typed.from_post(request.POST)
    propose = cut.plan.reporters_propose_programming
    data, errors = forms.read_form(typed, propose=propose)
    action = request.POST.get("accion", "guardar")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1  # a form from elsewhere: a conflict, never a blind overwrite
    if action == "vista_previa" or errors:
        return _form_page(request, cut, indicator, state, typed, errors=errors, version=version)
    try:
        _saved, changed = save_report(
            cut=cut,
            indicator=indicator,
            version=version,
            data=data,
            actor=request.user,
            submit=action == "enviar",
            comment=typed.comment,
        )
    except VersionConflict as conflict:
        return _form_page(
            request, cut, indicator, conflict.current, typed, conflict=conflict.current, status=409
        )
    except (CutNotOpen, ReportLocked) as refused:
        return _form_page(
            request,
            cut,
            indicator,
            _state(cut, indicator),
            typed,
            refused=refused.message,
            status=409,
        )
    except InvalidReport as bad:
        forms.merge_errors(errors, bad.errors, typed.links)
        return _form_page(
            request, cut, indicator, state, typed, errors=errors, version=version, status=422
        )
    done = "enviado" if action == "enviar" else "borrador" if changed else "sin_cambios"
    url = reverse("workflow:report", args=(cut.plan.code, cut.date.isoformat(), indicator.code))
    return redirect(f"{url}?hecho={done}")


@require_POST
@login_required
def report_preview(request: HttpRequest, plan: str, fecha: date, codigo: str) -> HttpResponse:
    """The preview panel for the values being typed (htmx); writes nothing."""
    cut = _cut(plan, fecha)
    indicator = _indicator(cut.plan, codigo)
    if not policy.can_enter_report(request.user, indicator):
        raise PermissionDenied
    typed = Typed.from_post(request.POST)
    context = _preview_context(cut, indicator, typed)
    return render(request, "workflow/reporting/_preview.html", context)


def _state(cut: Cut, indicator: Indicator) -> ReportState:
    report = (
        ProgressReport.objects.select_related("reported_by")
        .filter(cut=cut, indicator=indicator)
        .first()
    )
    return state_of(report)


def _preview_context(cut: Cut, indicator: Indicator, typed: Typed) -> dict[str, Any]:
    errors: dict[str, str] = {}
    executed = forms._number(typed.executed, "ejecutado", errors)
    if errors:
        return {"preview_error": errors["ejecutado"]}
    result = preview(cut=cut, indicator=indicator, executed=executed, analysis=typed.analysis)
    return {"result": _result_view(result, typed.analysis)}


def _result_view(result: IndicatorResult, analysis: str) -> dict[str, Any]:
    needs = result.status in NEEDS_ANALYSIS
    lang = display_lang()
    return {
        "status": result.status.value,
        "status_label": display.status_label(result.status, lang),
        "cut": display.format_percent(result.progress_cut, lang),
        "year": display.format_percent(result.progress_year, lang),
        "four_year": display.format_percent(result.progress_4y, lang),
        "alerts": [display.alert_label(a, lang) for a in result.alerts],
        "needs_analysis": needs,
        "analysis_missing": needs and not analysis.strip(),
    }


def _form_page(
    request: HttpRequest,
    cut: Cut,
    indicator: Indicator,
    state: ReportState,
    typed: Typed,
    *,
    errors: dict[str, str] | None = None,
    version: int | None = None,
    conflict: ReportState | None = None,
    refused: str = "",
    done: str = "",
    status: int = 200,
) -> HttpResponse:
    errors = errors or {}
    closed = closed_reason(cut)
    locked = locked_reason(state)
    editable = not closed and not locked
    programmed = (
        CutTarget.objects.filter(cut=cut, indicator=indicator)
        .values_list("programmed", flat=True)
        .first()
    )
    report = ProgressReport.objects.filter(cut=cut, indicator=indicator).first()
    comments = []
    if report is not None:
        for comment in ReportComment.objects.filter(report=report).select_related("author"):
            comments.append(
                {
                    "kind": comment.get_kind_display(),
                    "kind_code": comment.kind,
                    "author": comment.author.get_username() if comment.author else "",
                    "at": when(comment.at),
                    "text": comment.text,
                }
            )
    events = [
        {
            "action": _ACTIONS.get(event.action, event.action),
            "actor": event.actor_label,
            "at": when(event.at),
            "detail": _event_detail(event.action, event.after, event.reason),
        }
        for event in history(cut=cut, indicator=indicator)
    ]
    shown = typed if editable else Typed.from_state(state)
    args = (cut.plan.code, cut.date.isoformat(), indicator.code)
    context = {
        "cut": cut,
        "plan": cut.plan,
        "indicator": indicator,
        "date": day_text(cut.date),
        "programmed": (
            display.format_number(programmed, 2, display_lang()) if programmed is not None else ""
        ),
        "state": state,
        "stage_label": _stage_label(state.stage),
        "reported_at": when(state.reported_at),
        "submitted_at": when(state.submitted_at),
        "typed": shown,
        "version": state.version if conflict is not None or version is None else version,
        "errors": errors,
        "summary": forms.summary(errors),
        "editable": editable,
        "closed": closed,
        "locked": locked,
        "refused": refused,
        "done": done,
        "propose": cut.plan.reporters_propose_programming,
        "comments": comments,
        "history": events,
        "conflict": _conflict_view(conflict, typed) if conflict is not None else None,
        "preview_url": reverse("workflow:report_preview", args=args),
        "todo_url": reverse("workflow:todo", args=args[:2]),
        **_preview_context(cut, indicator, shown),
    }
    return render(request, "workflow/reporting/report.html", context, status=status)


_ACTIONS = {
    "reporte:guardar": gettext_lazy("Guardado"),
    "reporte:enviar": gettext_lazy("Enviado a revisión"),
    "reporte:carga_masiva": gettext_lazy("Carga masiva"),
}


def _event_detail(action: str, after: Any, reason: str) -> str:
    parts: list[str] = []
    if isinstance(after, dict):
        if action == BULK_ACTION:
            parts.append(_("Archivo «%(name)s»") % {"name": after.get("archivo", "")})
        else:
            executed = after.get("ejecutado")
            if executed and display_lang() == "es":
                executed = executed.replace(".", ",")
            parts.append(_("Ejecutado: %(value)s") % {"value": executed or "—"})
            if after.get("estado"):
                parts.append(_("Estado: %(state)s") % {"state": _stage_label(str(after["estado"]))})
    if reason:
        parts.append(reason)
    return " · ".join(parts)


def _stage_label(stage: str) -> str:
    return str(STAGE_LABELS.get(stage, stage))


def _conflict_view(current: ReportState, typed: Typed) -> dict[str, Any]:
    return {
        "who": current.reported_by or _("otra persona"),
        "at": when(current.reported_at),
        "executed": forms.number_text(current.executed),
        "analysis": current.analysis,
        "evidence": list(current.evidence),
        "stage": _stage_label(current.stage),
        "mine": typed,
    }


# ---------------------------------------------------------------------------------------------
# Bulk entry


BULK_PENDING = "cascada_bulk_pending"
BULK_MAX_BYTES = 5 * 1024 * 1024


def _bulk_access(request: HttpRequest, plan: str, fecha: date) -> Cut:
    cut = _cut(plan, fecha)
    if not policy.can_enter_reports(request.user, cut.plan):
        raise PermissionDenied
    return cut


def _drop_bulk(request: HttpRequest) -> None:
    pending = request.session.pop(BULK_PENDING, None)
    if isinstance(pending, dict) and isinstance(pending.get("file"), str):
        uploads.discard(pending["file"])


def _bulk_page(
    request: HttpRequest, cut: Cut, *, status: int = 200, **context: Any
) -> HttpResponse:
    args = (cut.plan.code, cut.date.isoformat())
    return render(
        request,
        "workflow/reporting/bulk.html",
        {
            "cut": cut,
            "plan": cut.plan,
            "date": day_text(cut.date),
            "closed": closed_reason(cut),
            "download_url": reverse("workflow:bulk_download", args=args),
            "todo_url": reverse("workflow:todo", args=args),
            "max_mb": BULK_MAX_BYTES // (1024 * 1024),
            **context,
        },
        status=status,
    )


def _bulk_outcome(
    request: HttpRequest, cut: Cut, path: Path, name: str, *, dry_run: bool
) -> BulkSummary | HttpResponse:
    """The file applied (or checked); a page with every problem when it cannot be."""
    try:
        return apply_bulk_file(
            path=path,
            cut=cut,
            indicators=policy.enterable_indicators(request.user, cut.plan),
            actor=request.user,
            source=name,
            dry_run=dry_run,
        )
    except TemplateError as error:
        messages = [issue.message for issue in error.issues[:500]]
    except (CutNotOpen, BulkRefused) as refused:
        messages = getattr(refused, "messages", [refused.message])
    _drop_bulk(request)
    return _bulk_page(request, cut, status=422, file_name=name, problems=messages)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def bulk(request: HttpRequest, plan: str, fecha: date) -> HttpResponse:
    cut = _bulk_access(request, plan, fecha)
    if request.method != "POST":
        done = request.GET.get("hecho", "")
        return _bulk_page(request, cut, done=int(done) if done.isdigit() else None)
    file = request.FILES.get("archivo")
    if file is None or not file.name or not file.name.lower().endswith(".xlsx"):
        return _bulk_page(
            request, cut, status=422, error=_("Elija el archivo .xlsx descargado de esta página.")
        )
    if file.size is not None and file.size > BULK_MAX_BYTES:
        return _bulk_page(
            request,
            cut,
            status=413,
            error=_("El archivo pesa más de %(max_mb)s MB.")
            % {"max_mb": BULK_MAX_BYTES // (1024 * 1024)},
        )
    _drop_bulk(request)
    stored = uploads.store(file.chunks(), suffix=".xlsx")
    name = Path(file.name).name[:200]
    outcome = _bulk_outcome(request, cut, uploads.path_of(stored.name), name, dry_run=True)
    if isinstance(outcome, HttpResponse):
        uploads.discard(stored.name)
        return outcome
    if not outcome.changed:
        uploads.discard(stored.name)
    else:
        request.session[BULK_PENDING] = {
            "file": stored.name,
            "sha256": stored.sha256,
            "name": name,
            "cut": cut.pk,
        }
    return _bulk_page(request, cut, summary=outcome, file_name=name, pending=stored.name)


@require_safe
@login_required
def bulk_download(request: HttpRequest, plan: str, fecha: date) -> HttpResponse:
    cut = _bulk_access(request, plan, fecha)
    content = workbook_bytes(
        cut=cut, indicators=policy.enterable_indicators(request.user, cut.plan)
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"reportes_{cut.plan.code}_{cut.date.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
@login_required
def bulk_confirm(request: HttpRequest, plan: str, fecha: date) -> HttpResponse:
    cut = _bulk_access(request, plan, fecha)
    pending = request.session.get(BULK_PENDING)
    if (
        not isinstance(pending, dict)
        or pending.get("cut") != cut.pk
        or request.POST.get("archivo") != pending.get("file")
    ):
        return _bulk_page(
            request,
            cut,
            status=409,
            error=_("No hay un archivo revisado para confirmar: cárguelo de nuevo."),
        )
    try:
        path = uploads.verified(pending["file"], pending["sha256"])
    except (uploads.UploadMissing, uploads.UploadChanged):
        _drop_bulk(request)
        return _bulk_page(
            request,
            cut,
            status=409,
            error=_("El archivo ya no está disponible: cárguelo de nuevo."),
        )
    outcome = _bulk_outcome(request, cut, path, pending["name"], dry_run=False)
    if isinstance(outcome, HttpResponse):
        return outcome
    _drop_bulk(request)
    url = reverse("workflow:bulk", args=(cut.plan.code, cut.date.isoformat()))
    return redirect(f"{url}?hecho={len(outcome.added) + len(outcome.modified)}")


@require_POST
@login_required
def bulk_cancel(request: HttpRequest, plan: str, fecha: date) -> HttpResponse:
    cut = _bulk_access(request, plan, fecha)
    _drop_bulk(request)
    return redirect("workflow:bulk", cut.plan.code, cut.date.isoformat())
