"""Reminder e-mails to the reporters of a cut (issue 6): one e-mail per reporter with pending
indicators, listing them with the deadline and the link to their to-do list.

* Who: every active user with the ``reportante`` role in the cut's plan and an e-mail address;
  their indicators are those of the goals their entity is responsible for (``policy``'s rule),
  that are due at the cut (an annual target in the cut's vigencia, or programming at the cut).
* Pending: no report yet, or a report in ``borrador`` or ``devuelto``.
* Kinds: ``apertura`` when the cut opens (``enqueue_opening_reminders``, called after the
  transaction that opens it commits) and ``vencimiento`` ``CASCADA_REMINDER_DAYS`` days (3 by
  default) or fewer before the deadline (``enqueue_deadline_reminders``, run daily by
  ``cascada remind``).
* Never twice: a ``ReminderSent`` row per cut, user and kind, written in the same transaction
  as the sending; an e-mail that fails to send leaves no row, so the next run tries again.
* Sent by a background task (django-tasks, ``tasks.send_reminders``). Only open cuts get them.

Reminders are messages, not changes to the data: they write no audit row (``ReminderSent`` is
their record), so the audit log keeps one row per change.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cascada.accounts.models import Membership, Role
from cascada.engine.display import format_date
from cascada.plans.language import display_lang
from cascada.plans.models import Indicator
from cascada.tracking.models import Cut, CutState, ProgressReport, ReminderKind, ReminderSent
from cascada.tracking.models import ReportState as StoredReportState

DEFAULT_DAYS = 3
PENDING_STATES = (StoredReportState.BORRADOR, StoredReportState.DEVUELTO)


def reminder_days() -> int:
    return int(getattr(settings, "CASCADA_REMINDER_DAYS", DEFAULT_DAYS))


@dataclass(frozen=True)
class Pending:
    """One reporter's pending indicators at a cut."""

    user: Any
    entity: str
    indicators: tuple[Indicator, ...]


def pending_by_reporter(*, cut: Cut) -> list[Pending]:
    """The reporters of ``cut``'s plan with at least one pending indicator, by user name."""
    due = (
        Indicator.objects.filter(plan=cut.plan)
        .filter(Q(annual_targets__vigencia=cut.vigencia) | Q(cut_targets__cut=cut))
        .exclude(
            pk__in=ProgressReport.objects.filter(cut=cut)
            .exclude(state__in=PENDING_STATES)
            .values("indicator_id")
        )
        .select_related("goal")
        .distinct()
        .order_by("order", "id")
    )
    by_entity: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in due:
        if indicator.goal.responsible_entity_id is not None:
            by_entity[indicator.goal.responsible_entity_id].append(indicator)
    reporters = (
        Membership.objects.filter(plan=cut.plan, role=Role.REPORTANTE, user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "entity")
        .order_by("user__username", "entity__name")
    )
    found: dict[int, Pending] = {}
    for membership in reporters:
        indicators = by_entity.get(membership.entity_id or 0, [])
        if not indicators:
            continue
        earlier = found.get(membership.user_id)
        found[membership.user_id] = Pending(
            user=membership.user,
            entity=", ".join(
                filter(None, [earlier.entity if earlier else "", str(membership.entity)])
            ),
            indicators=(*(earlier.indicators if earlier else ()), *indicators),
        )
    return list(found.values())


def todo_url(cut: Cut) -> str:
    """The reporter's to-do list of ``cut`` (absolute: it goes in an e-mail)."""
    try:
        path = reverse("workflow:todo", kwargs={"plan": cut.plan.code, "fecha": cut.date})
    except NoReverseMatch:  # the reporting pages' name; the path they serve
        path = f"/gestion/{cut.plan.code}/cortes/{cut.date.isoformat()}/pendientes/"
    base = str(getattr(settings, "CASCADA_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")
    return base + path


def _message(*, cut: Cut, pending: Pending, kind: ReminderKind) -> EmailMultiAlternatives:
    # In the site's language (LANGUAGE_CODE), whoever triggered the sending: the reporter's own
    # choice is a cookie of their browser, unknown here, and an administrator browsing in
    # English who opens a cut must not mail the reporters in English.
    with translation.override(settings.LANGUAGE_CODE):
        return _written(cut=cut, pending=pending, kind=kind)


def _written(*, cut: Cut, pending: Pending, kind: ReminderKind) -> EmailMultiAlternatives:
    lang = display_lang()
    context = {
        "cut": cut,
        "plan": cut.plan,
        "kind": kind.value,
        "user": pending.user,
        "name": pending.user.get_full_name() or pending.user.get_username(),
        "entity": pending.entity,
        "indicators": pending.indicators,
        "cut_date": format_date(cut.date, lang),
        "deadline": format_date(cut.deadline, lang) if cut.deadline else "",
        "url": todo_url(cut),
        "html_lang": "en" if lang == "en" else "es-CO",
    }
    count = len(pending.indicators)
    subject = _("%(prefix)s: %(pending)s · %(code)s · corte del %(day)s") % {
        "prefix": _("Corte abierto") if kind == ReminderKind.APERTURA else _("Vence el reporte"),
        "pending": ngettext("%(n)s indicador pendiente", "%(n)s indicadores pendientes", count)
        % {"n": count},
        "code": cut.plan.code,
        "day": format_date(cut.date, lang),
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("tracking/reminder.txt", context),
        to=[pending.user.email],
    )
    message.attach_alternative(render_to_string("tracking/reminder.html", context), "text/html")
    return message


def send_reminders(*, cut_id: int, kind: str) -> int:
    """Send the ``kind`` reminders of cut ``cut_id`` not sent yet; returns how many were sent.
    The task's body: a cut that is gone or no longer open sends nothing."""
    cut = Cut.objects.select_related("plan").filter(pk=cut_id).first()
    if cut is None or cut.state != CutState.ABIERTO:
        return 0
    reminder = ReminderKind(kind)
    already = set(
        ReminderSent.objects.filter(cut=cut, kind=reminder).values_list("user_id", flat=True)
    )
    sent = 0
    for pending in pending_by_reporter(cut=cut):
        if pending.user.pk in already:
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    cut=cut, user=pending.user, kind=reminder, pending=len(pending.indicators)
                )
                _message(cut=cut, pending=pending, kind=reminder).send()
        except IntegrityError:  # another run sent it meanwhile
            continue
        sent += 1
    return sent


def enqueue_opening_reminders(cut_id: int) -> None:
    """Queue the ``apertura`` reminders of a cut that has just opened (call it through
    ``transaction.on_commit`` so the task sees the open cut)."""
    from cascada.tracking.tasks import send_reminders_task  # the task module imports this one

    send_reminders_task.enqueue(cut_id, ReminderKind.APERTURA.value)


def due_for_deadline(*, today: date | None = None) -> list[Cut]:
    """Open cuts whose deadline is today or within ``CASCADA_REMINDER_DAYS`` days."""
    day = today or timezone.localdate()
    return list(
        Cut.objects.filter(
            state=CutState.ABIERTO,
            deadline__gte=day,
            deadline__lte=day + timedelta(days=reminder_days()),
        )
        .select_related("plan")
        .order_by("deadline", "plan__code")
    )


def enqueue_deadline_reminders(*, today: date | None = None) -> list[Cut]:
    """Queue the ``vencimiento`` reminders of every cut due (``cascada remind``, daily)."""
    from cascada.tracking.tasks import send_reminders_task

    cuts = due_for_deadline(today=today)
    for cut in cuts:
        send_reminders_task.enqueue(cut.pk, ReminderKind.VENCIMIENTO.value)
    return cuts
