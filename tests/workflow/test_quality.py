"""The data-quality panel: the engine's alerts and the unapproved reports block publishing until
approved or overridden with a reason; overrides are audited, one row per action."""

from __future__ import annotations

import pytest

from cascada.plans.models import Entity
from cascada.tracking import publication, quality
from cascada.tracking.models import AlertOverride, AuditEvent, Cut, CutState
from tests.accounts.world import OPEN, PLAN_A
from tests.workflow.conftest import AuditCounter, client_of

pytestmark = pytest.mark.django_db


def keys(items):
    return sorted((i.indicator_code, i.alert) for i in items)


def test_items_are_the_stored_alerts_and_the_unapproved_reports(world, open_cut):
    # C: 60 of 80 programmed, en rezago, without an analysis
    assert keys(quality.open_items(cut=open_cut)) == [
        ("C", "analisis_faltante"),
        ("C", quality.UNAPPROVED),
        ("D", quality.UNAPPROVED),
        ("S", quality.UNAPPROVED),
    ]
    entity_y = Entity.objects.get(name="Entidad Y")
    assert keys(quality.items(cut=open_cut, entity_id=entity_y.pk)) == [("D", quality.UNAPPROVED)]


def test_publishing_is_blocked_until_every_alert_is_overridden(world, open_cut):
    reviewer = world.users["revisor"]
    publication.close_reporting(cut=open_cut, actor=reviewer)
    before = AuditEvent.objects.count()
    with pytest.raises(publication.CutRefused) as refused:
        publication.publish(cut=open_cut, actor=reviewer)
    message = refused.value.message
    assert "No se puede publicar" in message and "4 alerta(s)" in message
    assert "C: Falta el análisis cualitativo" in message
    assert AuditEvent.objects.count() == before
    assert Cut.objects.get(pk=open_cut.pk).state == CutState.EN_REVISION
    assert not open_cut.editions.exists()

    counter = AuditCounter()
    c = world.indicator("C")
    quality.override_alerts(
        cut=open_cut,
        reason="El rezago se explica en el acta 12.",
        actor=reviewer,
        indicator_id=c.pk,
        alert="analisis_faltante",
    )
    assert [e.action for e in counter.new()] == ["alerta:exceptuar"]
    with pytest.raises(publication.CutRefused, match="3 alerta"):
        publication.publish(cut=open_cut, actor=reviewer)
    quality.override_alerts(cut=open_cut, reason="Cifras validadas en comité.", actor=reviewer)
    assert (
        AlertOverride.objects.filter(cut=open_cut, reason="Cifras validadas en comité.").count()
        == 3
    )
    edition = publication.publish(cut=open_cut, actor=reviewer)
    assert edition.number == 1
    assert Cut.objects.get(pk=open_cut.pk).state == CutState.PUBLICADO
    assert [e.action for e in counter.new()] == [
        "alerta:exceptuar",
        "alerta:exceptuar",
        "corte:publicar",
    ]
    overrides = edition.inputs["excepciones_alertas"]
    assert {
        "indicador": "C",
        "alerta": "analisis_faltante",
        "motivo": "El rezago se explica en el acta 12.",
        "por": "revisor",
    } in overrides


def test_an_override_needs_a_reason_and_an_open_alert(world, open_cut):
    reviewer = world.users["revisor"]
    before = AlertOverride.objects.count(), AuditEvent.objects.count()
    with pytest.raises(quality.QualityRefused, match="motivo"):
        quality.override_alerts(cut=open_cut, reason="  ", actor=reviewer)
    with pytest.raises(quality.QualityRefused, match="no está abierta"):
        quality.override_alerts(
            cut=open_cut,
            reason="x",
            actor=reviewer,
            indicator_id=world.indicator("S").pk,
            alert="retroceso",
        )
    assert (AlertOverride.objects.count(), AuditEvent.objects.count()) == before


def test_the_panel_filters_by_entity_and_overrides_from_the_page(world, open_cut):
    client = client_of(world, "revisor")
    url = f"/gestion/{PLAN_A}/cortes/{OPEN.isoformat()}/calidad/"
    entity_x = Entity.objects.get(name="Entidad X")
    page = client.get(url, {"entidad": entity_x.pk}).content.decode()
    assert "Falta el análisis cualitativo" in page and "Decreciente" not in page
    refused = client.post(
        url + "exceptuar/", {"indicador": "C", "alerta": "analisis_faltante", "motivo": ""}
    )
    assert refused.status_code == 400 and "obligatorio" in refused.content.decode()
    done = client.post(
        url + "exceptuar/",
        {"indicador": "C", "alerta": "analisis_faltante", "motivo": "Ver acta 12"},
    )
    assert done.status_code == 302
    assert "Ver acta 12" in client.get(url).content.decode()
