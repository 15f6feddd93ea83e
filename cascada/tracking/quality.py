"""The data-quality panel of a cut (DESIGN §2, §5): the engine's alerts stored with the cut's
results, plus the reports not yet approved. Each is an open item until a reviewer overrides it
with a written reason (``AlertOverride``); a cut cannot be published while one is open.

Who may override is ``cascada.accounts.policy.can_review``; callers check it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cascada.engine.display import alert_label
from cascada.engine.model import Alert
from cascada.plans.language import display_lang
from cascada.plans.models import Indicator
from cascada.tracking import audit
from cascada.tracking.models import (
    AlertOverride,
    Cut,
    CutState,
    IndicatorCutResult,
    ProgressReport,
    ReportState,
)

# Not an engine alert: a report that the planning office has not approved yet.
UNAPPROVED = "reporte_sin_aprobar"
MAX_REASON = 5_000


class QualityRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class QualityItem:
    indicator_id: int
    indicator_code: str
    indicator_name: str
    entity: str
    alert: str
    override: AlertOverride | None

    @property
    def label(self) -> str:
        if self.alert == UNAPPROVED:
            return _("Reporte sin aprobar")
        try:
            return alert_label(Alert(self.alert), display_lang())
        except ValueError:
            return self.alert

    @property
    def is_open(self) -> bool:
        return self.override is None


def items(*, cut: Cut, entity_id: int | None = None) -> list[QualityItem]:
    """Every alert of ``cut`` (of one responsible entity's indicators, when given), overridden
    or not, in the order of the plan. Three queries."""
    results = IndicatorCutResult.objects.filter(cut=cut)
    reports = ProgressReport.objects.filter(cut=cut).exclude(state=ReportState.APROBADO)
    if entity_id is not None:
        results = results.filter(indicator__goal__responsible_entity_id=entity_id)
        reports = reports.filter(indicator__goal__responsible_entity_id=entity_id)
    alerts: dict[int, list[str]] = {}
    for indicator_id, names in results.values_list("indicator_id", "alerts"):
        if names:
            alerts.setdefault(indicator_id, []).extend(names)
    for indicator_id in reports.values_list("indicator_id", flat=True):
        alerts.setdefault(indicator_id, []).append(UNAPPROVED)
    overrides = {(o.indicator_id, o.alert): o for o in AlertOverride.objects.filter(cut=cut)}
    indicators = (
        Indicator.objects.filter(pk__in=alerts)
        .select_related("goal__objective", "goal__responsible_entity")
        .order_by("goal__objective__order", "goal__objective_id", "order", "id")
    )
    return [
        QualityItem(
            indicator_id=i.pk,
            indicator_code=i.code,
            indicator_name=i.name,
            entity=i.goal.responsible_entity.name if i.goal.responsible_entity else "",
            alert=alert,
            override=overrides.get((i.pk, alert)),
        )
        for i in indicators
        for alert in alerts[i.pk]
    ]


def open_items(*, cut: Cut) -> list[QualityItem]:
    return [item for item in items(cut=cut) if item.is_open]


def blocking_message(open_: list[QualityItem]) -> str:
    """Why publishing is refused, listing every open alert."""
    listed = "; ".join(f"{i.indicator_code}: {i.label}" for i in open_)
    return _(
        "No se puede publicar: hay %(n)d alerta(s) de calidad abiertas sin excepción. "
        "Apruebe los reportes o registre una excepción con su motivo en el panel de calidad. "
        "Alertas: %(list)s."
    ) % {"n": len(open_), "list": listed}


def _clean_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise QualityRefused(_("Escriba el motivo de la excepción: es obligatorio."))
    if len(reason) > MAX_REASON:
        raise QualityRefused(
            _("El motivo es demasiado largo (máximo %(n)d caracteres).") % {"n": MAX_REASON}
        )
    return reason


def _check_cut(cut: Cut) -> None:
    if cut.state == CutState.PUBLICADO:
        raise QualityRefused(_("El corte está publicado: sus alertas ya no se pueden exceptuar."))


@transaction.atomic
def override_alerts(
    *,
    cut: Cut,
    reason: str,
    actor: Any,
    actor_label: str = "",
    indicator_id: int | None = None,
    alert: str | None = None,
    entity_id: int | None = None,
) -> list[AlertOverride]:
    """Override one open alert (``indicator_id`` and ``alert``) or every open alert of the cut
    (of ``entity_id``'s indicators, when given) with ``reason``. One audit row."""
    _check_cut(cut)
    reason = _clean_reason(reason)
    wanted = [i for i in items(cut=cut, entity_id=entity_id) if i.is_open]
    if indicator_id is not None:
        wanted = [i for i in wanted if i.indicator_id == indicator_id and i.alert == alert]
        if not wanted:
            raise QualityRefused(
                _("Esa alerta no está abierta en este corte (ya tiene excepción o no existe).")
            )
    if not wanted:
        raise QualityRefused(_("No hay alertas abiertas que exceptuar."))
    user = actor if getattr(actor, "is_authenticated", False) else None
    rows = AlertOverride.objects.bulk_create(
        [
            AlertOverride(
                cut=cut, indicator_id=i.indicator_id, alert=i.alert, reason=reason, by=user
            )
            for i in wanted
        ]
    )
    audit.record(
        action="alerta:exceptuar",
        actor=actor,
        actor_label=actor_label,
        plan=cut.plan,
        target=str(cut),
        after=[{"indicador": i.indicator_code, "alerta": i.alert} for i in wanted],
        reason=reason,
    )
    return rows
