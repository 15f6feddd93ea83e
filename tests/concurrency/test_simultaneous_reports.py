"""Simultaneous report submissions through the API (PUT …/reportes/<indicador>) on PostgreSQL:
20 for different indicators and 5 for the same one, released together by a barrier, each thread
with its own database connection. Every accepted one is stored exactly once, every conflict is
a 409, and the audit log has exactly one row per accepted write and none for a refused one.
The workflow's submit (POST …/enviar) too: five at once for the same report, one transition."""

from __future__ import annotations

import io
import json
import threading
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections
from django.test import Client

from cascada.api.tokens import create_token
from cascada.plans.models import AnnualTarget, Indicator, Plan
from cascada.tracking.models import AuditEvent, Cut, IndicatorCutResult, ProgressReport
from cascada.tracking.services import stored_results_match
from tests.scratch import needs_postgres

DRAFT = date(2026, 6, 30)
DIFFERENT, SAME = 20, 5
ACTION = "reporte:guardar"

pytestmark = [needs_postgres, pytest.mark.slow]


@pytest.fixture
def world(transactional_db) -> dict[str, Any]:
    """The seed plan with enough indicators (copies of its own), an open cut and a token."""
    call_command("demo", verbosity=0, stdout=io.StringIO())
    plan = Plan.objects.get()
    originals = list(Indicator.objects.filter(plan=plan).order_by("code"))
    for n in range(DIFFERENT + 1 - len(originals)):
        source = originals[n % len(originals)]
        targets = list(AnnualTarget.objects.filter(indicator=source))
        source.pk = None
        source.code = f"C-{n:02d}"
        source.save()
        for target in targets:
            target.pk = None
            target.indicator = source
            target.save()
    cut = Cut.objects.create(plan=plan, date=DRAFT)
    admin = get_user_model().objects.create_superuser("concurrencia", password=None)
    key = create_token(user=admin, name="concurrencia", actor_label="test")[1]
    codes = list(
        Indicator.objects.filter(plan=plan).order_by("code").values_list("code", flat=True)
    )
    return {"plan": plan, "cut": cut, "key": key, "codes": codes}


def test_twenty_five_submissions_at_once(world):
    different = world["codes"][:DIFFERENT]
    same = world["codes"][DIFFERENT]
    jobs = [(code, Decimal(n + 1)) for n, code in enumerate(different)]
    jobs += [(same, Decimal(100 + n)) for n in range(SAME)]
    barrier = threading.Barrier(len(jobs))
    answers: list[tuple[str, Decimal, int, dict[str, Any]]] = []
    lock = threading.Lock()
    audit_before = AuditEvent.objects.filter(action=ACTION).count()

    def submit(code: str, value: Decimal) -> None:
        client = Client()
        url = f"/api/v1/planes/{world['plan'].code}/cortes/{DRAFT.isoformat()}/reportes/{code}"
        body = json.dumps({"version": 0, "ejecutado": str(value), "analisis": f"Valor {value}"})
        try:
            barrier.wait(timeout=60)
            response = client.put(
                url,
                data=body,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {world['key']}",
            )
            with lock:
                answers.append((code, value, response.status_code, response.json()))
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=submit, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(answers) == len(jobs)

    # Different indicators: all accepted, each stored once, at version 1, with its value.
    for code, _value, status, body in answers:
        if code != same:
            assert status == 200, body
            assert body["version"] == 1
    reports = {
        r.indicator.code: r
        for r in ProgressReport.objects.filter(cut=world["cut"]).select_related("indicator")
    }
    assert set(reports) == {*different, same}
    for code, value in jobs[:DIFFERENT]:
        assert (reports[code].executed, reports[code].version) == (value, 1)

    # The same indicator: exactly one accepted (the first to lock the cut), four conflicts that
    # name the version they met; the stored value is the accepted one's.
    on_same = [(value, status, body) for code, value, status, body in answers if code == same]
    accepted = [value for value, status, _ in on_same if status == 200]
    conflicts = [body for _, status, body in on_same if status == 409]
    assert len(accepted) == 1 and len(conflicts) == SAME - 1
    assert all("versión enviada 0, versión actual 1" in c["detail"] for c in conflicts)
    assert all(c["actual"]["version"] == 1 for c in conflicts)
    assert (reports[same].executed, reports[same].version) == (accepted[0], 1)

    # The audit log: one row per accepted write, none for the conflicts, each with the value
    # that was stored.
    events = AuditEvent.objects.filter(action=ACTION).order_by("id")
    assert events.count() - audit_before == DIFFERENT + 1
    written = [e for e in events if str(DRAFT) in e.target]
    assert len(written) == DIFFERENT + 1
    by_code = {e.target.rsplit(" · ", 1)[-1]: e for e in written}
    assert set(by_code) == set(reports)
    for code, report in reports.items():
        after = by_code[code].after or {}
        assert Decimal(after["ejecutado"]) == report.executed
        assert after["version"] == 1

    # The stored results of the cut reflect every accepted report (recomputed in turn).
    results = dict(
        IndicatorCutResult.objects.filter(cut=world["cut"]).values_list(
            "indicator__code", "executed"
        )
    )
    for code, report in reports.items():
        assert results[code] == report.executed
    assert stored_results_match(cut=world["cut"])


def test_five_simultaneous_submissions_of_the_same_report(world):
    """The workflow path (POST …/enviar): five reviewers' tools send the same saved report at
    the same version at once. Exactly one moves it to ``enviado`` (one audit row, one "enviado"
    comment, version + 1); the other four get a 409 naming the version they met, and nothing of
    theirs is written."""
    code = world["codes"][0]
    base = f"/api/v1/planes/{world['plan'].code}/cortes/{DRAFT.isoformat()}/reportes/{code}"
    auth = f"Bearer {world['key']}"
    saved = Client().put(
        base,
        data=json.dumps({"version": 0, "ejecutado": "5", "analisis": "Listo para revisión."}),
        content_type="application/json",
        HTTP_AUTHORIZATION=auth,
    )
    assert saved.status_code == 200 and saved.json()["version"] == 1
    report = ProgressReport.objects.get(cut=world["cut"], indicator__code=code)
    sent_before = AuditEvent.objects.filter(action="reporte:enviar").count()
    saved_before = AuditEvent.objects.filter(action=ACTION).count()
    barrier = threading.Barrier(SAME)
    answers: list[tuple[int, int, dict[str, Any]]] = []
    lock = threading.Lock()

    def send(n: int) -> None:
        client = Client()
        body = json.dumps({"version": 1, "comentario": f"Envío {n}"})
        try:
            barrier.wait(timeout=60)
            response = client.post(
                f"{base}/enviar",
                data=body,
                content_type="application/json",
                HTTP_AUTHORIZATION=auth,
            )
            with lock:
                answers.append((n, response.status_code, response.json()))
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=send, args=(n,)) for n in range(SAME)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(answers) == SAME

    accepted = [(n, body) for n, status, body in answers if status == 200]
    refused = [body for _, status, body in answers if status == 409]
    assert len(accepted) == 1 and len(refused) == SAME - 1, [(n, s) for n, s, _ in answers]
    ((winner, body),) = accepted
    assert body["version"] == 2 and body["estado_reporte"] == "enviado"
    for conflict in refused:
        assert "versión enviada 1, versión actual 2" in conflict["detail"]
        assert (
            conflict["actual"]["version"] == 2 and conflict["actual"]["estado_reporte"] == "enviado"
        )

    report.refresh_from_db()
    assert (report.state, report.version, report.executed) == ("enviado", 2, Decimal(5))
    comments = list(report.comments.values_list("kind", "text"))
    assert comments == [("enviado", f"Envío {winner}")]
    sent = AuditEvent.objects.filter(action="reporte:enviar").order_by("id")
    assert sent.count() - sent_before == 1
    event = sent.last()
    assert event is not None and code in event.target
    assert (event.before or {})["version"] == 1 and (event.after or {})["version"] == 2
    assert AuditEvent.objects.filter(action=ACTION).count() == saved_before  # no stray saves
    assert stored_results_match(cut=world["cut"])
