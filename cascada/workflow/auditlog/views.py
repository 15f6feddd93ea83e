"""The audit log page (``/gestion/auditoria/``): search, pages of 50 rows, newest first, and
the filtered rows exported as CSV or XLSX. Read-only; who sees which rows is
``cascada.tracking.auditlog`` over ``policy``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cascada.accounts import policy
from cascada.tracking.auditlog import AuditSearch, diff, known_actions, search_events
from cascada.workflow.auditlog.export import render_csv, render_xlsx

PAGE_SIZE = 50

View = TypeVar("View", bound=Callable[..., HttpResponse])


def audit_reader_required(view: View) -> View:
    """Anonymous users go to the sign-in page; who may read no audit rows gets 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not policy.can_use_audit_log(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return cast(View, wrapped)


def _read_search(query: QueryDict) -> tuple[AuditSearch, dict[str, str]]:
    errors: dict[str, str] = {}
    days: dict[str, date | None] = {}
    for name in ("desde", "hasta"):
        raw = query.get(name, "").strip()
        days[name] = None
        if raw:
            try:
                days[name] = date.fromisoformat(raw)
            except ValueError:
                errors[name] = _("«%(value)s» no es una fecha: use AAAA-MM-DD.") % {"value": raw}
    search = AuditSearch(
        plan=query.get("plan", "").strip(),
        actor=query.get("usuario", "")[:150],
        action=query.get("accion", "").strip(),
        text=query.get("texto", "")[:200],
        since=days["desde"],
        until=days["hasta"],
    )
    return search, errors


@require_safe
@audit_reader_required
def audit_log(request: HttpRequest) -> HttpResponse:
    search, errors = _read_search(request.GET)
    events = search_events(user=request.user, search=search)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("pagina"))
    rows = [{"event": e, "diff": diff(e.before, e.after)} for e in page.object_list]
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "workflow/auditlog/index.html",
        {
            "search": search,
            "errors": errors,
            "plans": policy.audit_plans(request.user).order_by("code"),
            "actions": known_actions(user=request.user),
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
        },
    )


def _download(content: bytes, content_type: str, suffix: str) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="auditoria-{stamp}.{suffix}"'
    return response


@require_safe
@audit_reader_required
def export_csv(request: HttpRequest) -> HttpResponse:
    search, _errors = _read_search(request.GET)
    events = search_events(user=request.user, search=search).iterator(chunk_size=2000)
    return _download(render_csv(events), "text/csv; charset=utf-8", "csv")


@require_safe
@audit_reader_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    search, _errors = _read_search(request.GET)
    events = search_events(user=request.user, search=search).iterator(chunk_size=2000)
    return _download(
        render_xlsx(events),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    )
