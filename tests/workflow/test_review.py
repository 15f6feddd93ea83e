"""Cut states and the review of reports: allowed and refused transitions, the comment thread,
and exactly one audit row per action (none when refused)."""

from __future__ import annotations

from datetime import date

import pytest

from cascada.tracking import publication, review
from cascada.tracking.models import (
    AuditEvent,
    CommentKind,
    Cut,
    CutState,
    ProgressReport,
    ReminderSent,
    ReportComment,
    ReportState,
)
from tests.accounts.world import EMPTY_OPEN, OPEN, PLAN_A, PUBLISHED
from tests.workflow.conftest import AuditCounter, client_of, submit_all

pytestmark = pytest.mark.django_db


def test_cut_transitions_each_write_one_audit_row(world, open_cut):
    reviewer = world.users["revisor"]
    counter = AuditCounter()
    publication.close_reporting(cut=open_cut, actor=reviewer)
    assert Cut.objects.get(pk=open_cut.pk).state == CutState.EN_REVISION
    publication.reopen_reporting(cut=open_cut, actor=reviewer)
    assert Cut.objects.get(pk=open_cut.pk).state == CutState.ABIERTO
    actions = [e.action for e in counter.new()]
    assert actions == ["corte:cerrar", "corte:reabrir"]
    assert all(e.actor == reviewer for e in counter.new())


@pytest.mark.parametrize(
    ("day", "call", "message"),
    [
        (OPEN, lambda cut, u: publication.reopen_reporting(cut=cut, actor=u), "reabrir"),
        (OPEN, lambda cut, u: publication.publish(cut=cut, actor=u), "publicar"),
        (OPEN, lambda cut, u: publication.start_correction(cut=cut, actor=u, reason="x"), "corr"),
        (PUBLISHED, lambda cut, u: publication.close_reporting(cut=cut, actor=u), "cerrar"),
        (PUBLISHED, lambda cut, u: publication.publish(cut=cut, actor=u), "publicar"),
        (PUBLISHED, lambda cut, u: publication.start_correction(cut=cut, actor=u, reason=" "), ""),
    ],
)
def test_refused_transitions_change_nothing(world, day, call, message):
    cut = world.cut(day)
    before = (cut.state, cut.edition, AuditEvent.objects.count())
    with pytest.raises(publication.CutRefused) as refused:
        call(cut, world.users["revisor"])
    assert message in refused.value.message
    cut.refresh_from_db()
    assert (cut.state, cut.edition, AuditEvent.objects.count()) == before


def test_opening_a_cut_queues_the_opening_reminders(
    world, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    reporter = world.users["reportante"]
    reporter.email = "reporta@example.org"
    reporter.save()
    with django_capture_on_commit_callbacks(execute=True):
        publication.open_cut(
            plan=world.plan_a,
            day=date(2026, 12, 31),
            deadline=date(2027, 1, 20),
            actor=world.users["administrador"],
        )
    assert ReminderSent.objects.filter(cut__date=date(2026, 12, 31), user=reporter).exists()
    assert [m.to for m in mailoutbox] == [["reporta@example.org"]]


def test_opening_a_cut_needs_a_deadline_within_the_plan(world):
    admin = world.users["administrador"]
    plan = world.plan_a
    with pytest.raises(publication.CutRefused, match="fuera de las vigencias"):
        publication.open_cut(
            plan=plan, day=date(2030, 3, 31), deadline=date(2030, 4, 15), actor=admin
        )
    with pytest.raises(publication.CutRefused, match="anterior"):
        publication.open_cut(
            plan=plan, day=date(2026, 12, 31), deadline=date(2026, 12, 1), actor=admin
        )
    with pytest.raises(publication.CutRefused, match="ya fue abierto"):
        publication.open_cut(plan=plan, day=PUBLISHED, deadline=date(2026, 1, 15), actor=admin)
    counter = AuditCounter()
    cut = publication.open_cut(
        plan=plan, day=date(2026, 12, 31), deadline=date(2027, 1, 20), actor=admin
    )
    assert (cut.state, cut.deadline, cut.edition) == (CutState.ABIERTO, date(2027, 1, 20), 0)
    assert cut.indicator_results.exists()  # computed: the quality panel has its alerts
    assert [e.action for e in counter.new()] == ["corte:abrir"]


def test_a_cut_created_by_the_import_is_opened_in_place(world):
    cut = world.cut(EMPTY_OPEN)
    opened = publication.open_cut(
        plan=world.plan_a,
        day=EMPTY_OPEN,
        deadline=date(2026, 10, 15),
        actor=world.users["administrador"],
    )
    assert opened.pk == cut.pk and opened.deadline == date(2026, 10, 15)


def test_return_needs_a_comment_and_goes_back_to_the_reporter(world, open_cut):
    submit_all(open_cut)
    report = ProgressReport.objects.get(cut=open_cut, indicator__code="C")
    reviewer = world.users["revisor"]
    with pytest.raises(review.ReviewRefused, match="comentario"):
        review.return_report(report=report, actor=reviewer, comment="   ")
    assert ProgressReport.objects.get(pk=report.pk).state == ReportState.ENVIADO
    counter = AuditCounter()
    review.return_report(report=report, actor=reviewer, comment="Falta el análisis del rezago.")
    report.refresh_from_db()
    assert report.state == ReportState.DEVUELTO
    comment = ReportComment.objects.filter(report=report).latest("id")
    assert (comment.kind, comment.text, comment.author) == (
        CommentKind.DEVUELTO,
        "Falta el análisis del rezago.",
        reviewer,
    )
    (event,) = counter.new()
    assert event.action == "reporte:devolver" and event.before == {"estado": "enviado"}
    # a returned report cannot be approved until the entity sends it again
    with pytest.raises(review.ReviewRefused, match="Devuelto"):
        review.approve_report(report=report, actor=reviewer)


def test_approve_only_a_sent_report_of_an_unpublished_cut(world, open_cut):
    report = ProgressReport.objects.get(cut=open_cut, indicator__code="S")
    reviewer = world.users["revisor"]
    with pytest.raises(review.ReviewRefused, match="Borrador"):
        review.approve_report(report=report, actor=reviewer)
    submit_all(open_cut)
    counter = AuditCounter()
    review.approve_report(report=report, actor=reviewer, comment="Bien soportado.")
    assert ProgressReport.objects.get(pk=report.pk).state == ReportState.APROBADO
    assert [e.action for e in counter.new()] == ["reporte:aprobar"]
    published = ProgressReport.objects.get(cut__date=PUBLISHED, cut__plan=world.plan_a)
    ProgressReport.objects.filter(pk=published.pk).update(state=ReportState.ENVIADO)
    with pytest.raises(review.ReviewRefused, match="publicado"):
        review.approve_report(report=published, actor=reviewer)


def test_review_pages_show_the_thread_and_history(world, open_cut):
    submit_all(open_cut)
    client = client_of(world, "revisor")
    base = f"/gestion/{PLAN_A}/cortes/{OPEN.isoformat()}/revision/"
    listing = client.get(base)
    assert listing.status_code == 200 and f"{base}C/" in listing.content.decode()
    refused = client.post(f"{base}C/devolver/", {"comentario": ""})
    assert refused.status_code == 400
    assert "obligatorio" in refused.content.decode()
    done = client.post(f"{base}C/devolver/", {"comentario": "Explique el rezago, por favor."})
    assert done.status_code == 302
    page = client.get(f"{base}C/").content.decode()
    assert "Explique el rezago, por favor." in page and "reporte:devolver" in page
    filtered = client.get(base, {"estado": "devuelto"}).content.decode()
    assert f"{base}C/" in filtered and f"{base}S/" not in filtered


def test_cut_pages_drive_the_states(world, open_cut):
    client = client_of(world, "revisor")
    base = f"/gestion/{PLAN_A}/cortes/{OPEN.isoformat()}/"
    assert client.get(f"/gestion/{PLAN_A}/cortes/").status_code == 200
    assert client.post(base + "cerrar/").status_code == 302
    assert Cut.objects.get(pk=open_cut.pk).state == CutState.EN_REVISION
    blocked = client.post(base + "publicar/")
    assert blocked.status_code == 400
    assert "No se puede publicar" in blocked.content.decode()
    assert Cut.objects.get(pk=open_cut.pk).state == CutState.EN_REVISION
