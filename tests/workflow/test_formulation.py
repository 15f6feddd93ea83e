"""Formal formulation changes (issue 6): annual targets and weights with their act, through the
pages of ``/gestion/<plan>/formulacion/``; refusals change nothing, every change writes one
``FormulationChange`` and exactly one audit row, and a published cut never changes."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from cascada.plans.models import AnnualTarget, Weight
from cascada.tracking.models import (
    AuditEvent,
    FormulationChange,
    IndicatorCutResult,
    ObjectiveCutResult,
)
from tests.accounts.test_authorization_matrix import database_state
from tests.accounts.world import OPEN, PLAN_A, World, build_world

pytestmark = pytest.mark.django_db

ACT = {"acto": "Resolución 045 de 2026", "fecha_acto": "2026-02-10", "motivo": "Ajuste del plan"}


@pytest.fixture
def world(tmp_path) -> World:
    return build_world(tmp_path)


@pytest.fixture
def admin(world: World) -> Client:
    client = Client()
    client.force_login(world.users["administrador"])  # type: ignore[arg-type]
    return client


def target_url(indicator: str, vigencia: int) -> str:
    return f"/gestion/{PLAN_A}/formulacion/metas/{indicator}/{vigencia}/"


def weights_url(vigencia: int, objective: str = "") -> str:
    tail = f"{objective}/" if objective else ""
    return f"/gestion/{PLAN_A}/formulacion/pesos/{vigencia}/{tail}"


def counts() -> tuple[int, int]:
    return FormulationChange.objects.count(), AuditEvent.objects.count()


def test_the_overview_lists_annual_targets_and_weights(world, admin):
    response = admin.get(f"/gestion/{PLAN_A}/formulacion/")
    assert response.status_code == 200
    page = response.content.decode()
    assert target_url("S", 2026) in page
    assert weights_url(2026, "A") in page and weights_url(2026) in page
    assert "80,00" in page  # C's 2026 target, es-CO


def test_changing_an_annual_target_records_the_act_and_one_audit_row(world, admin):
    open_cut = world.cut(OPEN)
    before_year = IndicatorCutResult.objects.get(cut=open_cut, indicator=world.indicator("S"))
    changes, events = counts()
    response = admin.post(target_url("S", 2026), {"meta": "12,5", **ACT})
    assert response.status_code == 302
    assert AnnualTarget.objects.get(
        indicator=world.indicator("S"), vigencia=2026
    ).target == Decimal("12.5")
    assert counts() == (changes + 1, events + 1)
    change = FormulationChange.objects.latest("pk")
    assert (change.kind, change.vigencia, change.act, change.act_date) == (
        "meta_anual",
        2026,
        "Resolución 045 de 2026",
        date(2026, 2, 10),
    )
    assert change.before == {"indicador": "S", "meta": "10"}
    assert change.after == {"indicador": "S", "meta": "12.5"}
    event = AuditEvent.objects.latest("pk")
    assert event.action == "formulacion:meta_anual"
    assert event.plan == world.plan_a and event.actor == world.users["administrador"]
    assert "Resolución 045 de 2026" in event.reason and "Ajuste del plan" in event.reason
    # The open cut was recomputed with the new target: 6 of 12,5 in the vigencia.
    after_year = IndicatorCutResult.objects.get(cut=open_cut, indicator=world.indicator("S"))
    assert after_year.annual_target == Decimal("12.5")
    assert after_year.progress_year != before_year.progress_year
    assert after_year.progress_year == Decimal(6) / Decimal("12.5") * 100


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"meta": "12", **ACT, "acto": " "}, "Indique el acto administrativo"),
        ({"meta": "12", **ACT, "motivo": ""}, "Indique el motivo"),
        ({"meta": "12", **ACT, "fecha_acto": ""}, "Indique la fecha del acto"),
        ({"meta": "12", **ACT, "fecha_acto": "10/02/2026"}, "no es una fecha"),
        ({"meta": "doce", **ACT}, "no es un número"),
        ({"meta": "", **ACT}, "Indique la nueva meta"),
        ({"meta": "1,1234567", **ACT}, "como máximo 6 decimales"),
    ],
)
def test_a_bad_annual_target_change_is_refused_and_changes_nothing(world, admin, data, message):
    state = database_state()
    response = admin.post(target_url("S", 2026), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert database_state() == state


def test_an_act_dated_in_the_future_is_refused(world, admin):
    state = database_state()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = admin.post(target_url("S", 2026), {"meta": "12", **ACT, "fecha_acto": tomorrow})
    assert response.status_code == 422
    assert "posterior a hoy" in response.content.decode()
    assert database_state() == state


def test_a_change_that_would_alter_a_published_cut_is_refused(world, admin):
    """S's 2025 target feeds the published 2025-12-31 cut."""
    state = database_state()
    response = admin.post(target_url("S", 2025), {"meta": "20", **ACT})
    assert response.status_code == 422
    page = response.content.decode()
    assert "31 de diciembre de 2025" in page and "nueva edición" in page
    assert database_state() == state


def test_sending_the_current_target_changes_nothing(world, admin):
    state = database_state()
    response = admin.post(target_url("S", 2026), {"meta": "10", **ACT})
    assert response.status_code == 302
    assert database_state() == state


def test_an_indicator_without_target_in_the_vigencia_has_no_form(world, admin):
    assert admin.get(target_url("C", 2025)).status_code == 404
    assert admin.get(target_url("NO-EXISTE", 2026)).status_code == 404


# --- weights ---------------------------------------------------------------------------------


def weight_form(
    world: World, values: dict[str, str], *, objectives: bool = False
) -> dict[str, str]:
    child = world.objective if objectives else world.indicator
    return {**{f"peso-{child(code).pk}": v for code, v in values.items()}, **ACT}


def test_the_weights_editor_shows_the_stored_weights_and_the_live_total_script(world, admin):
    response = admin.get(weights_url(2026, "A"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="25"' in page and 'value="75"' in page
    assert "workflow/weights.js" in page and "data-total" in page
    assert "<script>" not in page  # no inline script (CSP)


def test_saving_an_objectives_indicator_weights_is_one_change(world, admin):
    changes, events = counts()
    response = admin.post(weights_url(2026, "A"), weight_form(world, {"S": "30,5", "C": "69,5"}))
    assert response.status_code == 302
    stored = dict(
        Weight.objects.filter(vigencia=2026, level="indicador").values_list(
            "indicator__code", "weight"
        )
    )
    assert stored == {"S": Decimal("30.5"), "C": Decimal("69.5"), "D": Decimal(100)}
    assert counts() == (changes + 1, events + 1)
    change = FormulationChange.objects.latest("pk")
    assert change.kind == "ponderacion"
    assert change.before == {"pesos": {"C": "75", "S": "25"}}
    assert change.after == {"pesos": {"C": "69.5", "S": "30.5"}}
    assert AuditEvent.objects.latest("pk").action == "formulacion:ponderacion"
    # The open cut's effective weights follow.
    effective = IndicatorCutResult.objects.get(
        cut=world.cut(OPEN), indicator=world.indicator("S")
    ).effective_weight
    assert effective == Decimal("30.5")


def test_saving_the_plans_objective_weights(world, admin):
    response = admin.post(
        weights_url(2026), weight_form(world, {"A": "50", "B": "50"}, objectives=True)
    )
    assert response.status_code == 302
    assert (
        ObjectiveCutResult.objects.get(cut=world.cut(OPEN), objective=world.objective("A")).weight
        == 50
    )


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"S": "30", "C": "60"}, "suman 90,00; deben sumar 100"),
        ({"S": "30", "C": ""}, "Falta el peso del indicador &#x27;C&#x27;"),
        ({"S": "130", "C": "-30"}, "debe estar entre 0 y 100"),
        ({"S": "25,12345", "C": "74,87655"}, "como máximo 4 decimales"),
        ({"S": "x", "C": "75"}, "no es un número"),
    ],
)
def test_weights_that_break_the_rules_are_refused_with_the_engines_message(
    world, admin, values, message
):
    state = database_state()
    response = admin.post(weights_url(2026, "A"), weight_form(world, values))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert database_state() == state


def test_weights_without_act_are_refused(world, admin):
    state = database_state()
    data = {**weight_form(world, {"S": "50", "C": "50"}), "acto": ""}
    response = admin.post(weights_url(2026, "A"), data)
    assert response.status_code == 422
    assert database_state() == state


def test_weights_of_a_published_vigencia_are_refused(world, admin):
    """2025 has a published cut: giving its objectives weights would change its stored rows."""
    state = database_state()
    response = admin.post(
        weights_url(2025), weight_form(world, {"A": "100", "B": ""}, objectives=True)
    )
    assert response.status_code == 422, response.content.decode()
    assert "nueva edición" in response.content.decode()
    assert database_state() == state


def test_other_roles_cannot_open_the_formulation_pages(world):
    for name in ("revisor", "analista", "reportante", "administrador_otro_plan"):
        client = Client()
        client.force_login(world.users[name])
        for url in (f"/gestion/{PLAN_A}/formulacion/", target_url("S", 2026), weights_url(2026)):
            assert client.get(url).status_code == 403, (name, url)
    assert Client().get(weights_url(2026)).status_code == 302  # to the sign-in page


def test_the_workflow_home_links_to_formulation_and_the_audit_log(world, admin):
    page = admin.get("/gestion/").content.decode()
    assert f"/gestion/{PLAN_A}/formulacion/" in page and "/gestion/auditoria/" in page
    reporter = Client()
    reporter.force_login(world.users["reportante"])
    page = reporter.get("/gestion/").content.decode()
    assert "/formulacion/" not in page and "/gestion/auditoria/" not in page
