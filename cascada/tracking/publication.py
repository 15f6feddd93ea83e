"""The life of a cut (DESIGN §5): opened by the planning office, closed for review, published as
an immutable edition, and reopened for a correction that becomes the next edition.

    abierto ──cerrar──▶ en_revision ──publicar──▶ publicado
       ▲                  │                          │
       └──────reabrir─────┘                          │
       └──────────────corregir (motivo)──────────────┘

Each transition is one transaction with one audit row, under a row lock on the cut. Publishing
recomputes the cut, refuses while a data-quality alert is open (``quality``), stores the
``CutEdition`` snapshot (``editions``) and makes it the edition the public reads.

Who may do what is ``cascada.accounts.policy`` (``can_administer`` opens cuts; ``can_review``
closes, reopens, publishes and corrects); callers check it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cascada.engine.display import format_date
from cascada.plans.language import display_lang
from cascada.plans.models import Plan
from cascada.tracking import audit, editions, quality, reminders
from cascada.tracking.models import Cut, CutEdition, CutState
from cascada.tracking.services import recompute_cut

MAX_REASON = 5_000


class CutRefused(Exception):
    """The transition cannot be made; ``message`` says why, in Spanish."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def on_cut_opened(cut: Cut) -> None:
    """Runs after the transaction that opened ``cut`` commits (``transaction.on_commit``):
    queues the ``apertura`` reminders to the reporters with pending indicators."""
    reminders.enqueue_opening_reminders(cut.pk)


def _locked(cut: Cut) -> Cut:
    return Cut.objects.select_for_update().select_related("plan").get(pk=cut.pk)


def _state_label(state: str) -> str:
    return str(CutState(state).label)


def _require(cut: Cut, states: Iterable[str], doing: str) -> None:
    if cut.state not in set(states):
        raise CutRefused(
            _("No se puede %(doing)s: el corte del %(day)s está «%(state)s».")
            % {
                "doing": doing,
                "day": format_date(cut.date, display_lang()),
                "state": _state_label(cut.state),
            }
        )


def _clean_reason(reason: str, *, required: bool) -> str:
    reason = reason.strip()
    if required and not reason:
        raise CutRefused(_("Escriba el motivo de la corrección: es obligatorio."))
    if len(reason) > MAX_REASON:
        raise CutRefused(
            _("El motivo es demasiado largo (máximo %(n)d caracteres).") % {"n": MAX_REASON}
        )
    return reason


def _record(cut: Cut, action: str, before: dict[str, Any], actor: Any, **kw: Any) -> None:
    audit.record(
        action=action,
        actor=actor,
        actor_label=kw.pop("actor_label", ""),
        plan=cut.plan,
        target=str(cut),
        before=before,
        after={"estado": cut.state, "edicion": cut.edition, **kw.pop("after", {})},
        reason=kw.pop("reason", ""),
    )


@transaction.atomic
def open_cut(
    *, plan: Plan, day: date, deadline: date | None, actor: Any, actor_label: str = ""
) -> Cut:
    """Open the cut of ``day`` for reporting with its ``deadline``. A cut created by an import
    (with its programming) and not opened yet is opened in place."""
    if not plan.first_vigencia <= day.year <= plan.last_vigencia:
        raise CutRefused(
            _("La fecha %(day)s está fuera de las vigencias del plan (%(a)d a %(b)d).")
            % {
                "day": format_date(day, display_lang()),
                "a": plan.first_vigencia,
                "b": plan.last_vigencia,
            }
        )
    if deadline is None:
        raise CutRefused(_("Indique la fecha límite de reporte."))
    if deadline < day:
        raise CutRefused(
            _("La fecha límite (%(deadline)s) no puede ser anterior a la fecha de corte (%(day)s).")
            % {
                "deadline": format_date(deadline, display_lang()),
                "day": format_date(day, display_lang()),
            }
        )
    cut = Cut.objects.select_for_update().filter(plan=plan, date=day).first()
    if cut is not None and (
        cut.state != CutState.ABIERTO or cut.edition or cut.deadline is not None
    ):
        raise CutRefused(
            _("El corte del %(day)s ya fue abierto (estado «%(state)s»).")
            % {"day": format_date(day, display_lang()), "state": _state_label(cut.state)}
        )
    before = None if cut is None else {"estado": cut.state, "fecha_limite": None}
    if cut is None:
        cut = Cut.objects.create(plan=plan, date=day, deadline=deadline)
    else:
        cut.deadline = deadline
        cut.save(update_fields=["deadline"])
    recompute_cut(cut=cut)  # the alerts of the quality panel exist from the start
    audit.record(
        action="corte:abrir",
        actor=actor,
        actor_label=actor_label,
        plan=plan,
        target=str(cut),
        before=before,
        after={"estado": cut.state, "fecha_limite": deadline.isoformat()},
    )
    transaction.on_commit(lambda: on_cut_opened(cut))
    return cut


@transaction.atomic
def close_reporting(*, cut: Cut, actor: Any) -> Cut:
    """``abierto`` → ``en_revision``: entities can no longer change their reports."""
    cut = _locked(cut)
    _require(cut, [CutState.ABIERTO], _("cerrar el reporte"))
    before = {"estado": cut.state}
    cut.state = CutState.EN_REVISION
    cut.save(update_fields=["state"])
    _record(cut, "corte:cerrar", before, actor)
    return cut


@transaction.atomic
def reopen_reporting(*, cut: Cut, actor: Any) -> Cut:
    """``en_revision`` → ``abierto``: entities may report again."""
    cut = _locked(cut)
    _require(cut, [CutState.EN_REVISION], _("reabrir el reporte"))
    before = {"estado": cut.state}
    cut.state = CutState.ABIERTO
    cut.save(update_fields=["state"])
    _record(cut, "corte:reabrir", before, actor)
    return cut


@transaction.atomic
def start_correction(*, cut: Cut, actor: Any, reason: str) -> Cut:
    """``publicado`` → ``abierto`` with a mandatory reason: the public keeps reading the
    published edition until the correction is published as the next one."""
    reason = _clean_reason(reason, required=True)
    cut = _locked(cut)
    _require(cut, [CutState.PUBLICADO], _("abrir una corrección"))
    before = {"estado": cut.state, "edicion": cut.edition}
    cut.state = CutState.ABIERTO
    cut.correction_reason = reason
    cut.save(update_fields=["state", "correction_reason"])
    _record(
        cut,
        "corte:corregir",
        before,
        actor,
        reason=reason,
        after={"edicion_en_preparacion": editions.next_edition(cut)},
    )
    return cut


@transaction.atomic
def publish(
    *,
    cut: Cut,
    actor: Any,
    actor_label: str = "",
    reason: str = "",
    from_states: Iterable[str] = (CutState.EN_REVISION,),
    check_alerts: bool = True,
) -> CutEdition:
    """Publish ``cut`` as its next edition: recompute, refuse while an alert is open, store the
    immutable snapshot and make it the edition the public reads."""
    cut = _locked(cut)
    _require(cut, from_states, _("publicar"))
    number = editions.next_edition(cut)
    reason = _clean_reason(reason or cut.correction_reason, required=number > 1)
    recompute_cut(cut=cut)
    if check_alerts:
        open_ = quality.open_items(cut=cut)
        if open_:
            raise CutRefused(quality.blocking_message(open_))
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    edition = CutEdition.objects.create(
        cut=cut,
        number=number,
        published_at=now,
        published_by=user,
        published_by_label=actor_label or (user.get_username() if user else ""),
        reason=reason,
        inputs=editions.snapshot_inputs(cut=cut),
        results=editions.snapshot_results(cut=cut),
    )
    before = {"estado": cut.state, "edicion": cut.edition}
    cut.state = CutState.PUBLICADO
    cut.edition = number
    cut.published_at = now
    cut.correction_reason = ""
    cut.save(update_fields=["state", "edition", "published_at", "correction_reason"])
    _record(cut, "corte:publicar", before, actor, actor_label=actor_label, reason=reason)
    return edition


@transaction.atomic
def record_missing_edition(*, cut: Cut, actor: Any = None, actor_label: str = "") -> bool:
    """Store the snapshot of a cut published before editions were stored (its stored results
    are what was published). ``False`` when there is nothing to record."""
    cut = _locked(cut)
    if cut.edition < 1 or CutEdition.objects.filter(cut=cut, number=cut.edition).exists():
        return False
    user = actor if getattr(actor, "is_authenticated", False) else None
    CutEdition.objects.create(
        cut=cut,
        number=cut.edition,
        published_at=cut.published_at or timezone.now(),
        published_by=user,
        published_by_label=actor_label or (user.get_username() if user else ""),
        reason="" if cut.edition == 1 else _("Edición registrada después de su publicación."),
        inputs=editions.snapshot_inputs(cut=cut),
        results=editions.snapshot_results(cut=cut),
    )
    _record(cut, "corte:registrar_edicion", {"edicion": None}, actor, actor_label=actor_label)
    return True
