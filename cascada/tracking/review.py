"""Reviewing progress reports (DESIGN §5): the planning office approves a submitted report, or
returns it to its entity with a comment (it goes back to the reporter's to-do list). Each
decision is a message of the report's thread (``ReportComment``) and one audit row.

Who may review is ``cascada.accounts.policy.can_review``; callers check it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cascada.plans.text import CONTROL_CHARACTERS
from cascada.tracking import audit
from cascada.tracking.models import (
    CommentKind,
    CutState,
    ProgressReport,
    ReportComment,
    ReportState,
)

MAX_COMMENT = 10_000
APPROVABLE = frozenset({ReportState.ENVIADO.value})
RETURNABLE = frozenset({ReportState.ENVIADO.value, ReportState.APROBADO.value})


class ReviewRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _clean_comment(comment: str, *, required: bool) -> str:
    """The comment as typed (less surrounding blanks), or refused: never cut short, never with
    control characters (a NUL cannot even be stored in PostgreSQL)."""
    text = comment.strip()
    if required and not text:
        raise ReviewRefused(
            _("Escriba un comentario para la entidad: es obligatorio al devolver un reporte.")
        )
    if len(text) > MAX_COMMENT:
        raise ReviewRefused(
            _("El comentario es demasiado largo (máximo %(n)d caracteres).") % {"n": MAX_COMMENT}
        )
    if CONTROL_CHARACTERS.search(text):
        raise ReviewRefused(
            _("El comentario contiene caracteres de control no admitidos: quítelos.")
        )
    return text


def _locked(report: ProgressReport) -> ProgressReport:
    """The report read again under a row lock, so two reviewers cannot decide at once."""
    fresh = ProgressReport.objects.select_for_update().select_related("cut__plan", "indicator")
    return fresh.get(pk=report.pk)


def _check(report: ProgressReport, allowed: frozenset[str], verb: str) -> None:
    if report.cut.state == CutState.PUBLICADO:
        raise ReviewRefused(
            _("El corte está publicado: para cambiar un reporte abra una corrección.")
        )
    if report.state not in allowed:
        raise ReviewRefused(
            _("No se puede %(verb)s un reporte en estado «%(state)s».")
            % {"verb": verb, "state": ReportState(report.state).label}
        )


def _decide(
    report: ProgressReport,
    *,
    action: str,
    state: ReportState,
    kind: CommentKind,
    text: str,
    actor: Any,
) -> ProgressReport:
    before = {"estado": report.state}
    report.state = state
    report.save(update_fields=["state"])
    author = actor if getattr(actor, "is_authenticated", False) else None
    ReportComment.objects.create(report=report, author=author, kind=kind, text=text)
    audit.record(
        action=action,
        actor=actor,
        plan=report.cut.plan,
        target=f"{ProgressReport._meta.verbose_name}: {report.cut} · {report.indicator.code}",
        before=before,
        after={"estado": report.state, "comentario": text},
        reason=text,
    )
    return report


@transaction.atomic
def approve_report(*, report: ProgressReport, actor: Any, comment: str = "") -> ProgressReport:
    text = _clean_comment(comment, required=False)
    report = _locked(report)
    _check(report, APPROVABLE, _("aprobar"))
    return _decide(
        report,
        action="reporte:aprobar",
        state=ReportState.APROBADO,
        kind=CommentKind.APROBADO,
        text=text,
        actor=actor,
    )


@transaction.atomic
def return_report(*, report: ProgressReport, actor: Any, comment: str) -> ProgressReport:
    text = _clean_comment(comment, required=True)
    report = _locked(report)
    _check(report, RETURNABLE, _("devolver"))
    return _decide(
        report,
        action="reporte:devolver",
        state=ReportState.DEVUELTO,
        kind=CommentKind.DEVUELTO,
        text=text,
        actor=actor,
    )
