"""The home page of ``/gestion/`` and each cut's to-do list, per role."""

from __future__ import annotations

import pytest
from django.test import Client

from cascada.tracking.models import CommentKind, ProgressReport, ReportComment
from cascada.tracking.models import ReportState as Stage
from tests.accounts.world import EMPTY_OPEN, OPEN, PLAN_A, PLAN_B

pytestmark = pytest.mark.django_db

TODO = f"/gestion/{PLAN_A}/cortes/{OPEN.isoformat()}/pendientes/"


def codes_in(page: str) -> set[str]:
    return {code for code in ("S", "C", "D") if f'<span class="code">{code}</span> · ' in page}


def test_home_lists_only_the_plans_where_the_user_holds_a_role(world, signed_in):
    page = signed_in("reportante").get("/gestion/").content.decode()
    assert PLAN_A in page and PLAN_B not in page
    # S and C (Entidad X) are both pending at the open cut with reports; at the empty open cut
    # S and C are in force in 2026 too
    assert "Lista de pendientes (2 indicadores)" in page
    assert TODO in page
    other = signed_in("administrador_otro_plan").get("/gestion/").content.decode()
    assert PLAN_B in other and PLAN_A not in other
    nobody = signed_in("usuario_sin_rol").get("/gestion/").content.decode()
    assert "No tiene roles en ningún plan" in nobody


def test_home_needs_signing_in():
    response = Client().get("/gestion/")
    assert response.status_code == 302 and "/cuenta/ingresar/" in response["Location"]


def test_the_reporter_sees_their_entity_indicators(world, signed_in):
    page = signed_in("reportante").get(TODO).content.decode()
    assert codes_in(page) == {"S", "C"}
    assert "Pendientes (2)" in page
    other = signed_in("reportante_otra_entidad").get(TODO).content.decode()
    assert codes_in(other) == {"D"}


def test_administrators_see_every_indicator_and_filter_by_entity(world, signed_in):
    client = signed_in("administrador")
    page = client.get(TODO).content.decode()
    assert codes_in(page) == {"S", "C", "D"}
    entity = world.indicator("D").goal.responsible_entity
    filtered = client.get(TODO, {"entidad": entity.pk}).content.decode()
    assert codes_in(filtered) == {"D"}


def test_states_and_the_returned_comment(world, signed_in):
    sent = ProgressReport.objects.get(cut=world.cut(OPEN), indicator=world.indicator("S"))
    sent.state = Stage.ENVIADO
    sent.save()
    returned = ProgressReport.objects.get(cut=world.cut(OPEN), indicator=world.indicator("C"))
    returned.state = Stage.DEVUELTO
    returned.save()
    for text in ("Primera devolución.", "Revise el valor de junio."):
        ReportComment.objects.create(
            report=returned, author=world.users["revisor"], kind=CommentKind.DEVUELTO, text=text
        )
    page = signed_in("reportante").get(TODO).content.decode()
    pending, done = page.split("Enviado o aprobado")
    assert codes_in(pending) == {"C"} and codes_in(done) == {"S"}
    assert "Devuelto con comentario" in pending and "Revise el valor de junio." in pending
    assert "Primera devolución." not in page  # only the last one
    assert "Enviado a revisión" in done


def test_an_indicator_without_report_is_pending(world, signed_in):
    empty = f"/gestion/{PLAN_A}/cortes/{EMPTY_OPEN.isoformat()}/pendientes/"
    page = signed_in("reportante").get(empty).content.decode()
    assert codes_in(page) == {"S", "C"} and page.count("Sin reporte") == 2


@pytest.mark.parametrize(
    "actor", ["revisor", "analista", "administrador_otro_plan", "usuario_sin_rol"]
)
def test_others_have_no_to_do_list(world, signed_in, actor):
    assert signed_in(actor).get(TODO).status_code == 403
