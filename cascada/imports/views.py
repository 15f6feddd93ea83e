"""Importing a template v1 file from the browser, with a preview (issue 4).

Who may import is ``cascada.accounts.policy``: the import pages are for whoever administers
some plan (or is a superuser); a file is applied only by the administrators of the plan it
names, or, for a new plan code, by whoever may create plans (``can_import_plan``), checked at
the preview and again at the confirmation. Anonymous users are sent to the sign-in page;
anyone else gets 403. Whoever creates a plan this way becomes its administrator. The flow, each
step a thin view over ``uploads``, ``read_template`` and ``import_workbook``:

1. ``upload``: a form takes an ``.xlsx`` or ``.zip`` of at most ``CASCADA_IMPORT_MAX_BYTES``
   (20 MB by default; a larger file is dropped while it streams in, never stored). The file is
   stored under a random name and its name, SHA-256 and the user's file name go to the session.
2. ``preview``: the stored file is read. Errors are shown in a table (sheet, row, column, value
   found, what was expected) and the file is dropped; a valid file is imported in a dry run and
   the page lists, per sheet, what would be added, modified and removed. Nothing is written.
3. ``confirm`` (POST): the same stored file, checked against its SHA-256, is imported for real
   by the user, inside a transaction that is undone if the changes are not the ones previewed
   (the database changed meanwhile: a new preview is shown). The file is then deleted and the
   browser is sent to the summary. ``cancel`` (POST) deletes the file.

The confirmation form names the file it confirms, so a preview left open in another tab can
never confirm a file uploaded later.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from cascada.accounts import policy
from cascada.accounts.models import Role
from cascada.imports import uploads
from cascada.imports.issues import TemplateIssue
from cascada.imports.services import ImportRefused, ImportSummary, import_workbook
from cascada.imports.template_v1 import PlanWorkbook, TemplateError, read_template
from cascada.imports.template_writer import write_empty_template
from cascada.plans.models import Plan
from cascada.tracking.roles import grant_role

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
PENDING = "cascada_import_pending"
RESULT = "cascada_import_result"
SHOWN_ISSUES = 500  # a whole column wrong in a big file: the table shows the first ones
SHOWN_CODES = 200  # per sheet and kind of change

View = TypeVar("View", bound=Callable[..., HttpResponse])


def max_bytes() -> int:
    return int(getattr(settings, "CASCADA_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def importer_required(view: View) -> View:
    """Anonymous users go to the sign-in page; users who may not import get 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not policy.can_import(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return cast(View, wrapped)


def _may_apply(
    request: HttpRequest, workbook: PlanWorkbook, pending: Pending
) -> HttpResponse | None:
    """``None`` if the user may import this file's plan; otherwise the refusal (403), with the
    file dropped."""
    if policy.can_import_plan(request.user, workbook.info.code):
        return None
    _drop_pending(request)
    exists = Plan.objects.filter(code=workbook.info.code).exists()
    message = (
        _("Usted no administra el plan «%(code)s»: solo sus administradores pueden importarlo.")
        if exists
        else _("Usted no puede crear planes nuevos, como «%(code)s».")
    ) % {"code": workbook.info.code}
    return render(
        request,
        "imports/forbidden.html",
        {"file_name": pending.name, "message": message},
        status=403,
    )


# ---------------------------------------------------------------------------------------------
# Session state


@dataclass(frozen=True)
class Pending:
    """The file waiting between preview and confirmation."""

    file: str  # random name under uploads_dir()
    sha256: str
    name: str  # the user's file name, shown and written to the audit log only
    preview: str = ""  # digest of the changes the preview showed

    @classmethod
    def load(cls, request: HttpRequest) -> Pending | None:
        data = request.session.get(PENDING)
        if not isinstance(data, dict):
            return None
        try:
            return cls(**data)
        except TypeError:
            return None

    def save(self, request: HttpRequest) -> None:
        request.session[PENDING] = vars(self).copy()


def _drop_pending(request: HttpRequest) -> None:
    pending = Pending.load(request)
    if pending is not None:
        uploads.discard(pending.file)
    request.session.pop(PENDING, None)


def changes_digest(summary: ImportSummary) -> str:
    data = {"created": summary.created, "sheets": {k: vars(v) for k, v in summary.sheets.items()}}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


# ---------------------------------------------------------------------------------------------
# Upload


class _SizeLimit(FileUploadHandler):
    """Drops a file as soon as it exceeds the limit, so that it is never written anywhere."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@csrf_exempt  # the CSRF check runs in ``_upload``, after the size limit is in place
@importer_required
def upload(request: HttpRequest) -> HttpResponse:
    limit = _SizeLimit(request, max_bytes())
    if request.method == "POST":  # before anything reads the body
        request.upload_handlers = [limit, *request.upload_handlers]
    return _upload(request, limit)


@csrf_protect
def _upload(request: HttpRequest, limit: _SizeLimit) -> HttpResponse:
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    if request.method != "POST":
        return _upload_page(request)
    file = request.FILES.get("archivo")
    if limit.exceeded:
        return _upload_page(request, error=_too_big_message(), status=413)
    if file is None or not file.name:
        return _upload_page(request, error=_("Elija un archivo .xlsx o .zip para importar."))
    suffix = Path(file.name).suffix.lower()
    if suffix not in uploads.SUFFIXES:
        return _upload_page(
            request,
            error=_(
                "El archivo «%(name)s» no es un libro .xlsx ni un .zip de archivos CSV. "
                "Guárdelo como .xlsx (o comprima los CSV en un .zip) y cárguelo de nuevo."
            )
            % {"name": file.name},
        )
    if file.size is not None and file.size > max_bytes():  # a client that lied about the size
        return _upload_page(request, error=_too_big_message(), status=413)
    _drop_pending(request)  # one pending file per session: a new upload replaces the last
    stored = uploads.store(file.chunks(), suffix=suffix)
    Pending(file=stored.name, sha256=stored.sha256, name=Path(file.name).name[:200]).save(request)
    return redirect("imports:preview", permanent=False)


def _too_big_message() -> str:
    megabytes = max_bytes() / (1024 * 1024)
    return _(
        "El archivo pesa más de %(size)s MB, el máximo que se puede importar desde el "
        "navegador. Quite hojas o columnas que no sean de la plantilla, o pida a la oficina de "
        "planeación que lo importe con «cascada import»."
    ) % {"size": f"{megabytes:g}"}


def _upload_page(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    return render(
        request,
        "imports/upload.html",
        {"error": error, "max_mb": f"{max_bytes() / (1024 * 1024):g}"},
        status=status,
    )


# ---------------------------------------------------------------------------------------------
# Preview, confirmation, cancellation, result


@require_safe
@importer_required
def preview(request: HttpRequest) -> HttpResponse:
    pending = Pending.load(request)
    if pending is None:
        return redirect("imports:upload")
    try:
        path = uploads.verified(pending.file, pending.sha256)
    except (uploads.UploadMissing, uploads.UploadChanged) as problem:
        _drop_pending(request)
        return _gone(request, problem)
    workbook = _read(request, path, pending)
    if isinstance(workbook, HttpResponse):
        return workbook
    refusal = _may_apply(request, workbook, pending)
    if refusal is not None:
        return refusal
    try:
        summary = import_workbook(workbook=workbook, dry_run=True)
    except ImportRefused as refused:
        _drop_pending(request)
        return _refused(request, pending, refused)
    if not summary.changed:
        _drop_pending(request)
    else:
        Pending(**{**vars(pending), "preview": changes_digest(summary)}).save(request)
    return _preview_page(request, pending, workbook, summary)


@require_POST
@importer_required
def confirm(request: HttpRequest) -> HttpResponse:
    pending = Pending.load(request)
    if pending is None or not pending.preview or request.POST.get("archivo") != pending.file:
        return render(request, "imports/stale.html", status=409)
    try:
        path = uploads.verified(pending.file, pending.sha256)
    except (uploads.UploadMissing, uploads.UploadChanged) as problem:
        _drop_pending(request)
        return _gone(request, problem)
    workbook = _read(request, path, pending)
    if isinstance(workbook, HttpResponse):
        return workbook
    refusal = _may_apply(request, workbook, pending)  # again: the plan may exist by now
    if refusal is not None:
        return refusal
    try:
        with transaction.atomic():
            summary = import_workbook(
                workbook=workbook, actor=request.user, source=pending.name, sha256=pending.sha256
            )
            if changes_digest(summary) != pending.preview:
                raise _Outdated(summary)
            if summary.created and not policy.is_superuser(request.user):
                grant_role(
                    user=request.user,  # type: ignore[arg-type]
                    plan=Plan.objects.get(code=summary.plan_code),
                    role=Role.ADMINISTRADOR,
                    actor=request.user,
                    reason=f"Creó el plan al importar «{pending.name}».",
                )
    except _Outdated as outdated:
        Pending(**{**vars(pending), "preview": changes_digest(outdated.summary)}).save(request)
        return _preview_page(request, pending, workbook, outdated.summary, outdated=True)
    except ImportRefused as refused:
        _drop_pending(request)
        return _refused(request, pending, refused)
    _drop_pending(request)
    request.session[RESULT] = {
        "plan": summary.plan_code,
        "created": summary.created,
        "file": pending.name,
        "sheets": {
            name: [len(c.added), len(c.modified), len(c.removed)]
            for name, c in summary.sheets.items()
        },
    }
    return redirect("imports:result")


class _Outdated(Exception):
    def __init__(self, summary: ImportSummary) -> None:
        super().__init__("changes differ from the preview")
        self.summary = summary


@require_POST
@importer_required
def cancel(request: HttpRequest) -> HttpResponse:
    _drop_pending(request)
    return render(request, "imports/cancelled.html")


@require_safe
@importer_required
def result(request: HttpRequest) -> HttpResponse:
    data = request.session.get(RESULT)
    if not isinstance(data, dict):
        return redirect("imports:upload")
    rows = [
        {"sheet": name, "added": a, "modified": m, "removed": r}
        for name, (a, m, r) in data["sheets"].items()
    ]
    return render(
        request,
        "imports/result.html",
        {
            "plan_code": data["plan"],
            "created": data["created"],
            "file_name": data["file"],
            "rows": rows,
            "plan_url": plan_url(data["plan"]),
        },
    )


@require_safe
@importer_required
def template_file(request: HttpRequest) -> HttpResponse:
    """The empty template v1, to fill in (the same file as ``cascada template``)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plantilla.xlsx"
        write_empty_template(path)
        content = path.read_bytes()
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="plantilla_cascada_v1.xlsx"'
    return response


def plan_url(code: str) -> str:
    """The plan's public page (``/planes/<code>/``)."""
    try:
        return reverse("web:plan", args=[code])
    except NoReverseMatch:
        return "/planes/" + code + "/"


# ---------------------------------------------------------------------------------------------
# Pages


def _read(request: HttpRequest, path: Path, pending: Pending) -> PlanWorkbook | HttpResponse:
    try:
        return read_template(path)
    except TemplateError as error:
        _drop_pending(request)
        return render(
            request,
            "imports/errors.html",
            {
                "file_name": pending.name,
                "issues": [_issue_row(i, pending) for i in error.issues[:SHOWN_ISSUES]],
                "total": len(error.issues),
                "hidden": max(0, len(error.issues) - SHOWN_ISSUES),
                "max_mb": f"{max_bytes() / (1024 * 1024):g}",
            },
        )


def _issue_row(issue: TemplateIssue, pending: Pending) -> dict[str, object]:
    value = issue.value
    if issue.sheet is None and value == pending.file:
        value = pending.name  # the reader names the stored file; the user knows their own name
    return {
        "sheet": issue.sheet,
        "row": issue.row,
        "column": issue.column,
        "value": value,
        "expected": issue.expected,
    }


def _refused(request: HttpRequest, pending: Pending, refused: ImportRefused) -> HttpResponse:
    return render(
        request,
        "imports/refused.html",
        {"file_name": pending.name, "messages_list": refused.messages},
    )


def _gone(request: HttpRequest, problem: Exception) -> HttpResponse:
    changed = isinstance(problem, uploads.UploadChanged)
    return render(request, "imports/gone.html", {"changed": changed}, status=409)


def _preview_page(
    request: HttpRequest,
    pending: Pending,
    workbook: PlanWorkbook,
    summary: ImportSummary,
    *,
    outdated: bool = False,
) -> HttpResponse:
    sheets = []
    for name, changes in summary.sheets.items():
        kinds = [
            (_("Agregadas"), changes.added),
            (_("Modificadas"), changes.modified),
            (_("Eliminadas"), changes.removed),
        ]
        sheets.append(
            {
                "name": name,
                "added": len(changes.added),
                "modified": len(changes.modified),
                "removed": len(changes.removed),
                "any": changes.any,
                "lists": [
                    {
                        "label": label,
                        "codes": codes[:SHOWN_CODES],
                        "hidden": max(0, len(codes) - SHOWN_CODES),
                    }
                    for label, codes in kinds
                    if codes
                ],
            }
        )
    return render(
        request,
        "imports/preview.html",
        {
            "pending": pending,
            "info": workbook.info,
            "counts": {
                "objectives": len(workbook.objectives),
                "goals": len(workbook.goals),
                "indicators": len(workbook.indicators),
            },
            "summary": summary,
            "sheets": sheets,
            "removed": sum(len(c.removed) for c in summary.sheets.values()),
            "outdated": outdated,
            "plan_exists_url": None if summary.created else plan_url(summary.plan_code),
        },
        status=409 if outdated else 200,
    )
