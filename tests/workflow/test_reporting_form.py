"""The report form (``/gestion/<plan>/cortes/<fecha>/indicadores/<codigo>/``): save a draft,
submit, the analysis rule, the live preview against the engine, the thread and the history,
and optimistic locking between two people."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cascada.engine import display
from cascada.engine.model import Status
from cascada.tracking.models import (
    AuditEvent,
    CommentKind,
    IndicatorCutResult,
    ProgressReport,
    ReportComment,
)
from cascada.tracking.models import ReportState as Stage
from tests.accounts.world import OPEN, PLAN_A

pytestmark = pytest.mark.django_db


def url(code: str, suffix: str = "") -> str:
    return f"/gestion/{PLAN_A}/cortes/{OPEN.isoformat()}/indicadores/{code}/{suffix}"


def report(world, code: str) -> ProgressReport:
    return ProgressReport.objects.get(cut=world.cut(OPEN), indicator=world.indicator(code))


def form(world, code: str, **values: str) -> dict[str, str]:
    current = report(world, code)
    data = {
        "version": str(current.version),
        "ejecutado": "",
        "analisis": "",
        "evidencias": "",
        "accion": "guardar",
    }
    data.update(values)
    return data


def test_the_page_shows_the_report_and_a_preview(world, signed_in):
    response = signed_in("reportante").get(url("S"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Más demanda de la prevista." in page
    assert 'name="version" value="1"' in page
    # S: 6 executed of 4 programmed → 150 % sobreejecutada
    assert "Sobreejecutada" in page and "150,00%" in page


def test_saving_a_draft_writes_once_and_recomputes(world, signed_in):
    client = signed_in("reportante")
    events = AuditEvent.objects.count()
    response = client.post(url("C"), form(world, "C", ejecutado="1.234,5", analisis="Bien."))
    assert response.status_code == 302
    assert response["Location"].endswith("?hecho=borrador")
    saved = report(world, "C")
    assert saved.executed == Decimal("1234.5") and saved.state == Stage.BORRADOR
    assert saved.version == 2 and saved.reported_by == world.users["reportante"]
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.first()
    assert event is not None and event.after is not None
    assert event.action == "reporte:guardar" and event.after["ejecutado"] == "1234.5"
    stored = IndicatorCutResult.objects.get(cut=world.cut(OPEN), indicator=world.indicator("C"))
    assert stored.executed == Decimal("1234.5")
    page = client.get(response["Location"]).content.decode()
    assert "Borrador guardado" in page and "1234,5" in page


def test_saving_the_same_values_writes_nothing(world, signed_in):
    client = signed_in("reportante")
    current = report(world, "S")
    events = AuditEvent.objects.count()
    response = client.post(url("S"), form(world, "S", ejecutado="6", analisis=current.analysis))
    assert response.status_code == 302 and response["Location"].endswith("sin_cambios")
    assert AuditEvent.objects.count() == events
    assert report(world, "S").version == current.version


def test_submitting_sends_to_review_with_one_audit_row_and_a_comment(world, signed_in):
    client = signed_in("reportante")
    events = AuditEvent.objects.count()
    response = client.post(
        url("S"),
        form(
            world,
            "S",
            ejecutado="6",
            analisis="Más demanda de la prevista.",
            evidencias="https://example.gov.co/acta.pdf\n\n",
            comentario="Listo.",
            accion="enviar",
        ),
    )
    assert response.status_code == 302, response.content.decode()
    sent = report(world, "S")
    assert sent.state == Stage.ENVIADO and sent.submitted_at is not None
    assert sent.evidence == ["https://example.gov.co/acta.pdf"]
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.first()
    assert event is not None and event.before is not None and event.after is not None
    assert event.action == "reporte:enviar"
    assert event.before["estado"] == "borrador" and event.after["estado"] == "enviado"
    comment = ReportComment.objects.filter(report=sent).latest("id")
    assert comment.kind == CommentKind.ENVIADO and comment.text == "Listo."
    assert comment.author == world.users["reportante"]
    # read-only now: the page has no form, and a POST is refused changing nothing
    page = client.get(url("S")).content.decode()
    assert 'id="form-reporte"' not in page and "enviado a revisión" in page
    assert "Listo." in page  # the thread
    assert "Enviado a revisión" in page  # the history
    refused = client.post(url("S"), form(world, "S", ejecutado="7", analisis="Otro."))
    assert refused.status_code == 409
    assert report(world, "S").executed == Decimal("6")
    assert AuditEvent.objects.count() == events + 1


def test_a_returned_report_can_be_corrected_and_resubmitted(world, signed_in):
    current = report(world, "S")
    current.state = Stage.DEVUELTO
    current.save()
    ReportComment.objects.create(
        report=current,
        author=world.users["revisor"],
        kind=CommentKind.DEVUELTO,
        text="Falta la evidencia.",
    )
    client = signed_in("reportante")
    todo = client.get(f"/gestion/{PLAN_A}/cortes/{OPEN.isoformat()}/pendientes/")
    assert "Falta la evidencia." in todo.content.decode()
    draft = client.post(url("S"), form(world, "S", ejecutado="6", analisis="Corregido."))
    assert draft.status_code == 302
    assert report(world, "S").state == Stage.DEVUELTO  # still returned until sent again
    sent = client.post(
        url("S"), form(world, "S", ejecutado="6", analisis="Corregido.", accion="enviar")
    )
    assert sent.status_code == 302
    assert report(world, "S").state == Stage.ENVIADO


@pytest.mark.parametrize(
    ("code", "executed", "status"),
    [
        ("C", "60", Status.EN_REZAGO),  # 60 of 80
        ("S", "6", Status.SOBREEJECUTADA),  # 6 of 4
    ],
)
def test_submitting_needs_the_analysis_when_the_status_asks_for_it(
    world, signed_in, code, executed, status
):
    client = signed_in("reportante")
    before = report(world, code)
    events = AuditEvent.objects.count()
    response = client.post(
        url(code), form(world, code, ejecutado=executed, analisis="  ", accion="enviar")
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "El análisis cualitativo es obligatorio" in page
    assert display.status_label(status) in page
    assert 'href="#id_analisis"' in page  # the error summary links to the field
    assert 'aria-invalid="true"' in page
    after = report(world, code)
    assert (after.state, after.version, after.analysis) == (
        before.state,
        before.version,
        before.analysis,
    )
    assert AuditEvent.objects.count() == events
    # a draft without analysis is fine
    draft = client.post(url(code), form(world, code, ejecutado=executed, analisis=""))
    assert draft.status_code == 302


def test_submitting_needs_the_executed_value(world, signed_in):
    response = signed_in("reportante").post(
        url("C"), form(world, "C", ejecutado="", analisis="x", accion="enviar")
    )
    assert response.status_code == 422
    assert "Indique el ejecutado al corte" in response.content.decode()
    assert report(world, "C").state == Stage.BORRADOR


def test_bad_input_is_shown_by_field_and_changes_nothing(world, signed_in):
    client = signed_in("reportante")
    events = AuditEvent.objects.count()
    response = client.post(
        url("C"),
        form(world, "C", ejecutado="1.23,5", evidencias="https://ok.gov.co/a\nftp://no/b"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Se encontró «1.23,5»" in page
    assert "Línea 2 («ftp://no/b»)" in page
    assert 'value="1.23,5"' in page  # what was typed stays
    assert AuditEvent.objects.count() == events
    assert report(world, "C").version == 1


@pytest.mark.parametrize("executed", ["0", "30", "60", "80", "100", "1.000,5", ""])
def test_the_live_preview_is_the_engine_result_that_gets_stored(world, signed_in, executed):
    client = signed_in("reportante")
    preview = client.post(url("C", "vista-previa/"), {"ejecutado": executed, "analisis": "a"})
    assert preview.status_code == 200
    shown = preview.content.decode()
    saved = client.post(url("C"), form(world, "C", ejecutado=executed, analisis="a"))
    assert saved.status_code == 302
    stored = IndicatorCutResult.objects.get(cut=world.cut(OPEN), indicator=world.indicator("C"))
    assert display.status_label(Status(stored.status)) in shown
    for value in (stored.progress_cut, stored.progress_year, stored.progress_4y):
        if value is not None:
            assert display.format_percent(value) in shown


def test_the_preview_flags_the_missing_analysis_and_bad_numbers(world, signed_in):
    client = signed_in("reportante")
    lagging = client.post(url("C", "vista-previa/"), {"ejecutado": "10", "analisis": ""})
    assert "Análisis obligatorio" in lagging.content.decode()
    assert "12,50%" in lagging.content.decode()  # 10 of 80
    bad = client.post(url("C", "vista-previa/"), {"ejecutado": "diez"})
    assert "Se encontró «diez»" in bad.content.decode()


def test_two_people_saving_the_same_report(world, signed_in):
    """The second save gets the conflict with the other person's values; nothing is lost."""
    first, second = signed_in("reportante"), signed_in("administrador")
    read_by_both = form(world, "C")
    events = AuditEvent.objects.count()
    mine = {**read_by_both, "ejecutado": "70", "analisis": "Lo de la primera persona."}
    theirs = {**read_by_both, "ejecutado": "75", "analisis": "Lo de la segunda persona."}
    assert first.post(url("C"), mine).status_code == 302
    conflict = second.post(url("C"), theirs)
    assert conflict.status_code == 409
    page = conflict.content.decode()
    assert "Otra persona guardó este reporte" in page
    assert "reportante lo guardó el" in page
    assert "Lo de la primera persona." in page and "Lo de la segunda persona." in page
    assert 'value="75"' in page  # the typed values stay in the form
    assert 'name="version" value="2"' in page  # a deliberate second save may now replace
    saved = report(world, "C")
    assert saved.executed == Decimal("70") and saved.analysis == "Lo de la primera persona."
    assert AuditEvent.objects.count() == events + 1
    again = second.post(url("C"), {**theirs, "version": "2"})
    assert again.status_code == 302
    assert report(world, "C").executed == Decimal("75")


def test_a_closed_cut_is_read_only(world, signed_in):
    cut = world.cut(OPEN)
    cut.state = "en_revision"
    cut.save()
    client = signed_in("reportante")
    page = client.get(url("C")).content.decode()
    assert 'id="form-reporte"' not in page and "solo se reporta en un corte abierto" in page
    response = client.post(url("C"), form(world, "C", ejecutado="1"))
    assert response.status_code == 409
    assert report(world, "C").executed == Decimal("60")


@pytest.mark.parametrize(
    "actor", ["revisor", "analista", "reportante_otra_entidad", "administrador_otro_plan"]
)
def test_others_may_not_open_the_form(world, signed_in, actor):
    assert signed_in(actor).get(url("C")).status_code == 403


def test_submitting_through_the_api_uses_the_same_rules(world, client):
    from cascada.api.tokens import create_token

    _, key = create_token(user=world.users["reportante"], name="t", actor_label="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    api = f"/api/v1/planes/{PLAN_A}/cortes/{OPEN.isoformat()}/reportes/C/enviar"
    events = AuditEvent.objects.count()
    # C: 60 of 80, en rezago, without analysis
    missing = client.post(api, {"version": 1}, content_type="application/json", **auth)
    assert missing.status_code == 422
    assert missing.json()["errores"][0]["campo"] == "analisis"
    assert report(world, "C").state == Stage.BORRADOR and AuditEvent.objects.count() == events
    stale = client.post(api, {"version": 7}, content_type="application/json", **auth)
    assert stale.status_code == 409
    api_s = api.replace("/reportes/C/", "/reportes/S/")
    ok = client.post(
        api_s, {"version": 1, "comentario": "Va."}, content_type="application/json", **auth
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["estado_reporte"] == "enviado" and ok.json()["editable"] is False
    assert report(world, "S").state == Stage.ENVIADO
    assert AuditEvent.objects.count() == events + 1
    again = client.put(
        api_s.removesuffix("/enviar"),
        {"version": 2, "ejecutado": "7"},
        content_type="application/json",
        **auth,
    )
    assert again.status_code == 409 and "enviado a revisión" in again.json()["detail"]
