"""The reporters' to-do list of a cut: each indicator with its report's state, in a fixed number
of queries. An indicator is *pending* while it has no report, or its report is a draft or was
returned; it leaves the list when it is sent to review and comes back if it is returned.

Only the indicators in force in the cut's vigencia (with an annual target) are listed, plus any
indicator that already has a report at the cut: an indicator not in force leaves every figure
(DESIGN §2), so nobody has to report it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cascada.plans.models import Indicator
from cascada.tracking.models import (
    CommentKind,
    Cut,
    CutTarget,
    ProgressReport,
    ReportComment,
)
from cascada.tracking.models import ReportState as Stage

PENDING_STAGES = frozenset({"", Stage.BORRADOR.value, Stage.DEVUELTO.value})

# What the to-do list says of each state ("" = no report yet).
STAGE_LABELS: dict[str, Promise] = {
    "": _("Sin reporte"),
    Stage.BORRADOR.value: _("Borrador"),
    Stage.ENVIADO.value: _("Enviado a revisión"),
    Stage.DEVUELTO.value: _("Devuelto con comentario"),
    Stage.APROBADO.value: _("Aprobado"),
}


@dataclass(frozen=True)
class TodoRow:
    indicator: Indicator  # with its goal and responsible entity
    programmed: Decimal | None
    report: ProgressReport | None
    returned_comment: ReportComment | None  # the reviewers' last "devuelto", when returned

    @property
    def stage(self) -> str:
        return self.report.state if self.report is not None else ""

    @property
    def stage_label(self) -> str:
        return str(STAGE_LABELS[self.stage])

    @property
    def pending(self) -> bool:
        return self.stage in PENDING_STAGES

    @property
    def version(self) -> int:
        return self.report.version if self.report is not None else 0


def in_force(cut: Cut, indicators: QuerySet[Indicator]) -> QuerySet[Indicator]:
    """``indicators`` that take part in ``cut``: in force in its vigencia, or reported."""
    return indicators.filter(
        Q(annual_targets__vigencia=cut.vigencia) | Q(reports__cut=cut)
    ).distinct()


def todo_rows(*, cut: Cut, indicators: QuerySet[Indicator]) -> list[TodoRow]:
    """One row per indicator of ``indicators`` in force at ``cut``, in the plan's order."""
    listed = list(
        in_force(cut, indicators)
        .select_related("goal__responsible_entity", "goal__objective")
        .order_by("goal__objective__order", "goal__objective__id", "goal__order", "order", "id")
    )
    ids = [i.id for i in listed]
    programmed = dict(
        CutTarget.objects.filter(cut=cut, indicator_id__in=ids).values_list(
            "indicator_id", "programmed"
        )
    )
    reports = {
        r.indicator_id: r
        for r in ProgressReport.objects.filter(cut=cut, indicator_id__in=ids).select_related(
            "reported_by"
        )
    }
    returned: dict[int, ReportComment] = {}
    comments = ReportComment.objects.filter(
        report__cut=cut,
        report__indicator_id__in=ids,
        report__state=Stage.DEVUELTO,
        kind=CommentKind.DEVUELTO,
    ).select_related("author", "report")
    for comment in comments.order_by("at", "id"):
        returned[comment.report.indicator_id] = comment  # the last one wins
    return [
        TodoRow(
            indicator=i,
            programmed=programmed.get(i.id),
            report=reports.get(i.id),
            returned_comment=returned.get(i.id),
        )
        for i in listed
    ]


def pending_count(*, cut: Cut, indicators: QuerySet[Indicator]) -> int:
    """How many of ``indicators`` still need their report at ``cut`` (two queries)."""
    listed = in_force(cut, indicators)
    done = ProgressReport.objects.filter(cut=cut, indicator__in=listed).exclude(
        state__in=PENDING_STAGES - {""}
    )
    return listed.count() - done.count()
