"""Bulk entry (``/gestion/<plan>/cortes/<fecha>/masivo/``): download the entity's indicators,
upload them back, preview, confirm; every refusal changes nothing."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from cascada.imports import uploads
from cascada.tracking.models import AuditEvent, IndicatorCutResult, ProgressReport
from cascada.tracking.models import ReportState as Stage
from tests.accounts.world import EMPTY_OPEN, OPEN, PLAN_A
from tests.workflow.test_reporting_form import form, url

pytestmark = pytest.mark.django_db

BULK = f"/gestion/{PLAN_A}/cortes/{OPEN.isoformat()}/masivo/"
HEADER = [
    "codigo",
    "nombre",
    "unidad",
    "programado_corte",
    "estado",
    "ejecutado_corte",
    "analisis",
    "evidencias",
    "version",
]


def download(client, bulk: str = BULK) -> bytes:
    response = client.get(bulk + "reportes.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return bytes(response.content)


def rows_of(content: bytes) -> dict[str, dict[str, object]]:
    sheet = load_workbook(BytesIO(content))["reportes"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    return {str(r[0]): dict(zip(HEADER, r, strict=True)) for r in rows[1:]}


def edit(content: bytes, changes: dict[str, dict[str, object]]) -> bytes:
    book = load_workbook(BytesIO(content))
    sheet = book["reportes"]
    for row in sheet.iter_rows(min_row=2):
        for column, value in changes.get(str(row[0].value), {}).items():
            row[HEADER.index(column)].value = value  # type: ignore[assignment]
    output = BytesIO()
    book.save(output)
    return output.getvalue()


def upload(client, content: bytes, bulk: str = BULK, name: str = "mis reportes.xlsx"):
    return client.post(bulk, {"archivo": SimpleUploadedFile(name, content)})


def snapshot(world) -> list[tuple[object, ...]]:
    return sorted(
        ProgressReport.objects.filter(cut__plan=world.plan_a).values_list(
            "indicator__code", "cut__date", "executed", "analysis", "evidence", "version", "state"
        )
    )


def test_download_has_the_entity_indicators_with_their_versions(world, signed_in):
    rows = rows_of(download(signed_in("reportante")))
    assert set(rows) == {"S", "C"}
    assert rows["C"]["version"] == 1 and rows["C"]["ejecutado_corte"] == 60
    assert rows["S"]["analisis"] == "Más demanda de la prevista."
    assert rows["S"]["programado_corte"] == 4
    book = load_workbook(BytesIO(download(signed_in("reportante"))))
    assert [list(r) for r in book["corte"].iter_rows(values_only=True)] == [
        ["campo", "valor"],
        ["plan", PLAN_A],
        ["corte", OPEN.isoformat()],
    ]
    assert set(rows_of(download(signed_in("administrador")))) == {"S", "C", "D"}


def test_upload_previews_then_confirm_saves_with_one_audit_row(world, signed_in):
    client = signed_in("reportante")
    content = edit(
        download(client),
        {
            "C": {
                "ejecutado_corte": "1.234,5",
                "analisis": "=Muy bien",
                "evidencias": "https://a.gov.co/1\nhttps://a.gov.co/2",
            }
        },
    )
    before, events = snapshot(world), AuditEvent.objects.count()
    preview = upload(client, content)
    assert preview.status_code == 200, preview.content.decode()
    page = preview.content.decode()
    assert "Todavía no se ha guardado nada" in page and "1234.5" in page
    assert "1 fila sin cambios" in page  # S
    assert snapshot(world) == before and AuditEvent.objects.count() == events
    stored = client.session["cascada_bulk_pending"]["file"]
    confirm = client.post(BULK + "confirmar/", {"archivo": stored})
    assert confirm.status_code == 302 and confirm["Location"].endswith("?hecho=1")
    report = ProgressReport.objects.get(cut=world.cut(OPEN), indicator=world.indicator("C"))
    assert report.executed == Decimal("1234.5") and report.analysis == "=Muy bien"
    assert report.evidence == ["https://a.gov.co/1", "https://a.gov.co/2"]
    assert report.version == 2 and report.state == Stage.BORRADOR
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.first()
    assert event is not None and event.after is not None
    assert event.action == "reporte:carga_masiva"
    assert event.after["sha256"] == hashlib.sha256(content).hexdigest()
    assert event.after["archivo"] == "mis reportes.xlsx"
    assert event.after["modificados"] == ["C"] and event.after["sin_cambios"] == 1
    result = IndicatorCutResult.objects.get(cut=world.cut(OPEN), indicator=world.indicator("C"))
    assert result.executed == Decimal("1234.5")
    assert not (uploads.uploads_dir() / stored).exists()
    # the report's page shows the file in its history
    assert "Carga masiva" in client.get(url("C")).content.decode()


def test_a_new_report_at_an_empty_cut(world, signed_in):
    client = signed_in("reportante")
    bulk = f"/gestion/{PLAN_A}/cortes/{EMPTY_OPEN.isoformat()}/masivo/"
    content = edit(download(client, bulk), {"S": {"ejecutado_corte": 3}})
    assert upload(client, content, bulk).status_code == 200
    stored = client.session["cascada_bulk_pending"]["file"]
    assert client.post(bulk + "confirmar/", {"archivo": stored}).status_code == 302
    report = ProgressReport.objects.get(cut=world.cut(EMPTY_OPEN), indicator=world.indicator("S"))
    assert report.executed == 3 and report.version == 1


def refused(client, world, content: bytes, *expected: str) -> None:
    before, events = snapshot(world), AuditEvent.objects.count()
    response = upload(client, content)
    page = response.content.decode()
    assert response.status_code == 422, page
    assert "no se guardó nada" in page
    for text in expected:
        assert text in page
    assert snapshot(world) == before and AuditEvent.objects.count() == events
    assert "cascada_bulk_pending" not in client.session
    assert not any(uploads.uploads_dir().glob("*.xlsx"))


def test_a_bad_number_is_located(world, signed_in):
    client = signed_in("reportante")
    content = edit(download(client), {"C": {"ejecutado_corte": "doce"}})
    refused(client, world, content, "Hoja &#x27;reportes&#x27;, fila", "&#x27;doce&#x27;")


def test_a_bad_link_is_located(world, signed_in):
    client = signed_in("reportante")
    content = edit(download(client), {"C": {"evidencias": "ftp://x/y"}})
    refused(client, world, content, "indicador C", "https://")


def test_another_entity_indicator_is_refused(world, signed_in):
    client = signed_in("reportante")
    content = edit(download(client), {"S": {"codigo": "D"}})
    refused(client, world, content, "el código de uno de sus indicadores")


def test_a_report_changed_since_the_download_is_a_conflict(world, signed_in):
    client = signed_in("reportante")
    content = edit(download(client), {"C": {"ejecutado_corte": 65}, "S": {"ejecutado_corte": 5}})
    other = signed_in("administrador")
    assert other.post(url("C"), form(world, "C", ejecutado="70")).status_code == 302
    refused(
        client, world, content, "fila 3 (indicador C)", "por administrador", "Descargue de nuevo"
    )


def test_a_file_of_another_cut_is_refused(world, signed_in):
    client = signed_in("reportante")
    other_cut = f"/gestion/{PLAN_A}/cortes/{EMPTY_OPEN.isoformat()}/masivo/"
    content = edit(download(client, other_cut), {"C": {"ejecutado_corte": 1}})
    refused(client, world, content, EMPTY_OPEN.isoformat(), "el archivo debe ser el descargado")


def test_a_submitted_report_cannot_change(world, signed_in):
    client = signed_in("reportante")
    content = edit(download(client), {"S": {"ejecutado_corte": 5}})
    report = ProgressReport.objects.get(cut=world.cut(OPEN), indicator=world.indicator("S"))
    report.state = Stage.ENVIADO
    report.save()
    refused(client, world, content, "enviado a revisión")


def test_a_closed_cut_takes_no_file(world, signed_in):
    client = signed_in("reportante")
    content = edit(download(client), {"C": {"ejecutado_corte": 61}})
    cut = world.cut(OPEN)
    cut.state = "en_revision"
    cut.save()
    refused(client, world, content, "solo se reporta en un corte abierto")


def test_not_a_workbook(world, signed_in):
    client = signed_in("reportante")
    refused(client, world, b"hola", "Archivo")


def test_a_change_between_preview_and_confirm_refuses_the_file(world, signed_in):
    client = signed_in("reportante")
    content = edit(download(client), {"C": {"ejecutado_corte": 65}})
    assert upload(client, content).status_code == 200
    stored = client.session["cascada_bulk_pending"]["file"]
    assert (
        signed_in("administrador").post(url("C"), form(world, "C", ejecutado="70")).status_code
        == 302
    )
    before, events = snapshot(world), AuditEvent.objects.count()
    response = client.post(BULK + "confirmar/", {"archivo": stored})
    assert response.status_code == 422
    assert snapshot(world) == before and AuditEvent.objects.count() == events


def test_cancel_drops_the_file(world, signed_in):
    client = signed_in("reportante")
    assert upload(client, edit(download(client), {"C": {"ejecutado_corte": 65}})).status_code == 200
    stored = client.session["cascada_bulk_pending"]["file"]
    assert client.post(BULK + "cancelar/").status_code == 302
    assert not (uploads.uploads_dir() / stored).exists()


@pytest.mark.parametrize("actor", ["revisor", "analista", "administrador_otro_plan"])
def test_others_may_not_use_bulk_entry(world, signed_in, actor):
    client = signed_in(actor)
    assert client.get(BULK).status_code == 403
    assert client.get(BULK + "reportes.xlsx").status_code == 403
