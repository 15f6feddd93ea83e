"""Reminder e-mails (issue 6): one per reporter with pending indicators, when a cut opens and
before its deadline, sent by a background task, never twice."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation

from cascada.accounts.models import Membership
from cascada.plans.models import Entity
from cascada.tracking.models import Cut, ProgressReport, ReminderSent, ReportState
from cascada.tracking.reminders import (
    enqueue_deadline_reminders,
    enqueue_opening_reminders,
    pending_by_reporter,
    send_reminders,
)
from tests.accounts.world import EMPTY_OPEN, OPEN, PLAN_A, PUBLISHED, World, build_world

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def world(tmp_path, settings) -> World:
    settings.TASKS = IMMEDIATE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CASCADA_BASE_URL = "https://cascada.example.gov.co"
    world = build_world(tmp_path)
    ReminderSent.objects.all().delete()
    for name in ("reportante", "reportante_otra_entidad"):
        user = world.users[name]
        user.email = f"{name}@example.org"  # type: ignore[attr-defined]
        user.save()  # type: ignore[attr-defined]
    return world


def by_recipient() -> dict[str, mail.EmailMessage]:
    return {m.to[0]: m for m in mail.outbox}


def test_opening_sends_each_reporter_their_pending_indicators(world):
    """At the open cut, Entidad X (goal M1: S, C) has S and C reported in draft; Entidad Y (M2:
    D) has D reported in draft: all pending."""
    cut = world.cut(OPEN)
    cut.deadline = date(2026, 7, 15)
    cut.save()
    enqueue_opening_reminders(cut.pk)
    sent = by_recipient()
    assert set(sent) == {"reportante@example.org", "reportante_otra_entidad@example.org"}
    message = sent["reportante@example.org"]
    assert "2 indicadores pendientes" in message.subject and PLAN_A in message.subject
    assert "30 de junio de 2026" in message.subject
    body = message.body
    assert "- S: Suma" in body and "- C: Constante" in body and "D:" not in body
    assert "15 de julio de 2026" in body
    assert f"https://cascada.example.gov.co/gestion/{PLAN_A}/cortes/2026-06-30/pendientes/" in body
    html, kind = message.alternatives[0]  # type: ignore[attr-defined]
    assert kind == "text/html" and "<li><strong>S</strong>" in html and "href=" in html
    rows = ReminderSent.objects.filter(cut=cut, kind="apertura")
    assert sorted(rows.values_list("user__username", "pending")) == [
        ("reportante", 2),
        ("reportante_otra_entidad", 1),
    ]


def test_never_twice(world):
    cut = world.cut(OPEN)
    enqueue_opening_reminders(cut.pk)
    enqueue_opening_reminders(cut.pk)
    assert len(mail.outbox) == 2
    assert send_reminders(cut_id=cut.pk, kind="apertura") == 0
    # The other kind is another reminder.
    assert send_reminders(cut_id=cut.pk, kind="vencimiento") == 2


def test_reported_indicators_are_not_pending(world):
    cut = world.cut(OPEN)
    ProgressReport.objects.filter(cut=cut, indicator=world.indicator("S")).update(
        state=ReportState.ENVIADO
    )
    ProgressReport.objects.filter(cut=cut, indicator=world.indicator("C")).update(
        state=ReportState.APROBADO
    )
    ProgressReport.objects.filter(cut=cut, indicator=world.indicator("D")).update(
        state=ReportState.DEVUELTO
    )
    pending = {
        p.user.username: [i.code for i in p.indicators] for p in pending_by_reporter(cut=cut)
    }
    assert pending == {"reportante_otra_entidad": ["D"]}
    send_reminders(cut_id=cut.pk, kind="apertura")
    assert [m.to for m in mail.outbox] == [["reportante_otra_entidad@example.org"]]


def test_indicators_without_a_report_are_pending_and_users_without_email_are_skipped(world):
    """The empty open cut has no reports: every indicator due in 2026 is pending."""
    cut = world.cut(EMPTY_OPEN)
    other = world.users["reportante_otra_entidad"]
    other.email = ""
    other.save()
    send_reminders(cut_id=cut.pk, kind="apertura")
    assert [m.to for m in mail.outbox] == [["reportante@example.org"]]
    assert "2 indicadores pendientes" in mail.outbox[0].subject


def test_a_reporter_gets_their_own_entitys_indicators_only(world):
    user = world.users["reportante"]
    Membership.objects.filter(user=user).update(entity=Entity.objects.get(name="Entidad Y"))
    send_reminders(cut_id=world.cut(OPEN).pk, kind="apertura")
    message = by_recipient()["reportante@example.org"]
    assert "1 indicador pendiente" in message.subject and "- D: Decreciente" in message.body


def test_cuts_that_are_not_open_send_nothing(world):
    assert send_reminders(cut_id=world.cut(PUBLISHED).pk, kind="apertura") == 0
    assert mail.outbox == []


def test_remind_enqueues_the_deadline_reminders_of_cuts_due(world, settings):
    settings.CASCADA_REMINDER_DAYS = 3
    cut = world.cut(OPEN)
    cut.deadline = date(2026, 7, 15)
    cut.save()
    Cut.objects.filter(pk=world.cut(EMPTY_OPEN).pk).update(deadline=date(2026, 10, 15))
    assert enqueue_deadline_reminders(today=date(2026, 7, 11)) == []  # 4 days before
    assert mail.outbox == []
    call_command("remind", "--today", "2026-07-12")
    assert len(mail.outbox) == 2
    assert all("Vence el reporte" in m.subject for m in mail.outbox)
    assert ReminderSent.objects.filter(cut=cut, kind="vencimiento").count() == 2
    call_command("remind", "--today", "2026-07-15")  # the deadline itself: already sent
    assert len(mail.outbox) == 2
    assert enqueue_deadline_reminders(today=date(2026, 7, 16)) == []  # past the deadline


def test_email_goes_to_the_console_unless_smtp_is_configured():
    """config/settings.py reads the environment; the test run sets no EMAIL_HOST."""
    from django.conf import settings as live

    assert live.EMAIL_HOST == ""
    assert live.DEFAULT_FROM_EMAIL
    assert live.CASCADA_REMINDER_DAYS == 3


def test_reminders_are_written_in_the_site_language(world, settings):
    """Opening a cut while browsing in English still mails the reporters in Spanish, the site's
    language; with English as the site's language, the whole message is English."""
    with translation.override("en"):
        enqueue_opening_reminders(world.cut(OPEN).pk)
    spanish = by_recipient()["reportante@example.org"]
    assert spanish.subject.startswith("Corte abierto: 2 indicadores pendientes · ")
    assert spanish.body.startswith("Hola, reportante:")
    mail.outbox.clear()
    ReminderSent.objects.all().delete()
    settings.LANGUAGE_CODE = "en"
    enqueue_opening_reminders(world.cut(OPEN).pk)
    english = by_recipient()["reportante@example.org"]
    assert english.subject == f"Cut opened: 2 pending indicators · {PLAN_A} · cut of June 30, 2026"
    assert english.body.startswith("Hello, reportante:")
    assert "Report them (and submit them for review) in your to-do list:" in english.body
    assert "Hola" not in english.body and "Indicadores pendientes" not in english.body
    html, _kind = english.alternatives[0]  # type: ignore[attr-defined]
    assert '<html lang="en">' in html and "Open my to-do list" in html
