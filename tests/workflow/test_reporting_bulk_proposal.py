"""Bulk entry carries the proposed programming where the plan lets entities propose it
(``Plan.reporters_propose_programming``), with the file's all-or-nothing rules; elsewhere the
column is not in the file and a value put there refuses the whole file."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from cascada.plans.models import Plan
from cascada.tracking.models import AuditEvent, ProgressReport
from tests.accounts.world import OPEN, PLAN_A
from tests.workflow.test_reporting_bulk import BULK, HEADER, download, refused, snapshot, upload

pytestmark = pytest.mark.django_db

PROPOSED = "programacion_propuesta"


def rows_with(content: bytes) -> tuple[list[str], dict[str, dict[str, object]]]:
    sheet = load_workbook(BytesIO(content))["reportes"]
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return header, {str(r[0]): dict(zip(header, r, strict=True)) for r in rows[1:]}


def edit(content: bytes, changes: dict[str, dict[str, object]], add_column: bool = False) -> bytes:
    book = load_workbook(BytesIO(content))
    sheet = book["reportes"]
    header = [c.value for c in sheet[1]]
    if add_column and PROPOSED not in header:
        sheet.cell(row=1, column=len(header) + 1, value=PROPOSED)
        header.append(PROPOSED)
    for number in range(2, sheet.max_row + 1):
        for column, value in changes.get(str(sheet.cell(row=number, column=1).value), {}).items():
            sheet.cell(row=number, column=header.index(column) + 1).value = value  # type: ignore[assignment]
    output = BytesIO()
    book.save(output)
    return output.getvalue()


def confirm(client) -> None:
    stored = client.session["cascada_bulk_pending"]["file"]
    response = client.post(BULK + "confirmar/", {"archivo": stored})
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def proposing(world):
    Plan.objects.filter(code=PLAN_A).update(reporters_propose_programming=True)
    world.plan_a.refresh_from_db()
    return world


def test_the_file_carries_the_proposal_and_saves_it(proposing, signed_in):
    world = proposing
    client = signed_in("reportante")
    assert "columna programacion_propuesta" in client.get(BULK).content.decode()
    header, rows = rows_with(download(client))
    assert header == [*HEADER, PROPOSED]
    assert rows["C"][PROPOSED] is None
    content = edit(download(client), {"C": {PROPOSED: "12,5"}, "S": {PROPOSED: 4}})
    events = AuditEvent.objects.count()
    preview = upload(client, content)
    assert preview.status_code == 200, preview.content.decode()
    confirm(client)
    reports = {
        r.indicator.code: r
        for r in ProgressReport.objects.filter(cut=world.cut(OPEN)).select_related("indicator")
    }
    assert reports["C"].proposed_programmed == Decimal("12.5")
    assert reports["S"].proposed_programmed == Decimal(4)
    assert AuditEvent.objects.count() == events + 1  # one row for the file
    event = AuditEvent.objects.first()
    assert event is not None and event.after is not None
    assert sorted(event.after["modificados"]) == ["C", "S"]
    after = {c["indicador"]: c["despues"] for c in event.after["cambios"]}
    assert after["C"][PROPOSED] == "12.5"

    # The next file shows the proposal, and the same file again changes nothing.
    _, rows = rows_with(download(client))
    assert rows["C"][PROPOSED] == Decimal("12.5") or rows["C"][PROPOSED] == 12.5
    before, events = snapshot(world), AuditEvent.objects.count()
    again = upload(client, edit(download(client), {}))
    assert again.status_code == 200 and "cascada_bulk_pending" not in client.session
    assert snapshot(world) == before and AuditEvent.objects.count() == events


def test_a_bad_proposal_refuses_the_whole_file(proposing, signed_in):
    client = signed_in("reportante")
    content = edit(
        download(client),
        {"C": {PROPOSED: "doce", "ejecutado_corte": 61}, "S": {PROPOSED: 3}},
    )
    refused(client, proposing, content, PROPOSED, "&#x27;doce&#x27;")
    content = edit(download(client), {"C": {PROPOSED: "0,0000001"}, "S": {PROPOSED: 3}})
    refused(client, proposing, content, "indicador C", "programacion", "decimales")


def test_the_column_is_needed_where_the_plan_takes_proposals(proposing, signed_in):
    client = signed_in("reportante")
    Plan.objects.filter(code=PLAN_A).update(reporters_propose_programming=False)
    old = download(client)  # made before the plan took proposals: no such column
    Plan.objects.filter(code=PLAN_A).update(reporters_propose_programming=True)
    refused(client, proposing, edit(old, {"C": {"ejecutado_corte": 61}}), f"&#x27;{PROPOSED}&#x27;")


def test_a_plan_without_proposals_refuses_a_proposal(world, signed_in):
    client = signed_in("reportante")
    header, _ = rows_with(download(client))
    assert header == HEADER
    content = edit(download(client), {"C": {PROPOSED: 9, "ejecutado_corte": 61}}, add_column=True)
    refused(client, world, content, "no permite que las entidades propongan la programación")
