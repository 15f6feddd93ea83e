"""The audit log page (issue 6): who reads which rows, search, pages, readable differences and
the export of the filtered rows as CSV and XLSX, formula-safe."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from cascada.tracking import audit
from cascada.tracking.auditlog import diff
from cascada.tracking.models import AuditEvent
from tests.accounts.world import World, build_world

pytestmark = pytest.mark.django_db

URL = "/gestion/auditoria/"


@pytest.fixture
def world(tmp_path) -> World:
    world = build_world(tmp_path)
    AuditEvent.objects.all().delete()  # only the rows each test writes
    return world


def client_for(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])  # type: ignore[arg-type]
    return client


def rows(world: World) -> dict[str, AuditEvent]:
    admin = world.users["administrador"]
    return {
        "a": audit.record(
            action="formulacion:meta_anual",
            actor=admin,
            plan=world.plan_a,
            target="meta anual: PM-2024 · S · 2026",
            before={"meta": "10"},
            after={"meta": "12"},
            reason="Resolución 045 de 2026: ajuste",
        ),
        "b": audit.record(
            action="admin:modificar",
            actor=world.users["administrador_otro_plan"],
            plan=world.plan_b,
            target="objetivo: B del otro plan",
            reason='=HYPERLINK("http://x")',
        ),
        "none": audit.record(action="usuario:crear", actor_label="cli", target="usuario: ana"),
    }


def shown(response) -> str:
    assert response.status_code == 200
    return str(response.content.decode())


def test_each_reader_sees_the_rows_of_the_plans_they_review(world):
    rows(world)
    page = shown(client_for(world, "administrador").get(URL))
    assert "meta anual: PM-2024" in page and "B del otro plan" not in page
    assert "usuario: ana" not in page  # rows of no plan: superusers only
    page = shown(client_for(world, "revisor").get(URL))
    assert "meta anual: PM-2024" in page and "B del otro plan" not in page
    page = shown(client_for(world, "superusuario").get(URL))
    assert all(text in page for text in ("meta anual", "B del otro plan", "usuario: ana"))


@pytest.mark.parametrize("name", ["analista", "reportante", "staff_sin_rol", "usuario_sin_rol"])
def test_who_reviews_no_plan_may_not_read_it(world, name):
    client = client_for(world, name)
    for url in (URL, URL + "exportar.csv", URL + "exportar.xlsx"):
        assert client.get(url).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(world):
    response = Client().get(URL)
    assert response.status_code == 302 and "/cuenta/ingresar/" in response["Location"]


def test_search_by_plan_actor_action_text_and_dates(world):
    made = rows(world)
    client = client_for(world, "superusuario")

    def found(**query: str) -> set[str]:
        page = shown(client.get(URL, query))
        return {k for k, e in made.items() if e.target in page}

    assert found(plan="PM-2024") == {"a"}
    assert found(usuario="otro_plan") == {"b"}
    assert found(accion="formulacion:meta_anual") == {"a"}
    assert found(accion="admin:") == {"b"}
    assert found(texto="resolución 045") == {"a"}  # the reason, any case
    assert found(texto="ana") == {"none"}  # the target
    today = timezone.localdate()
    assert found(desde=today.isoformat(), hasta=today.isoformat()) == {"a", "b", "none"}
    assert found(desde=(today + timedelta(days=1)).isoformat()) == set()
    page = shown(client.get(URL, {"desde": "31/12/2026"}))
    assert "no es una fecha" in page


def test_newest_first_and_paginated(world):
    for n in range(55):
        audit.record(action="prueba", plan=world.plan_a, target=f"fila {n:02d}")
    client = client_for(world, "administrador")
    first = shown(client.get(URL))
    assert "fila 54" in first and "fila 05" in first and "fila 04" not in first
    assert first.index("fila 54") < first.index("fila 53")
    assert "Página 1 de 2" in first
    second = shown(client.get(URL, {"pagina": "2"}))
    assert "fila 04" in second and "fila 00" in second and "fila 05" not in second


def test_before_and_after_are_shown_key_by_key(world):
    rows(world)
    page = shown(client_for(world, "administrador").get(URL))
    assert "<del>" in page and "<ins>" in page
    assert diff({"meta": "10", "x": 1}, {"meta": "12", "x": 1})[0].changed
    assert not diff({"meta": "10", "x": 1}, {"meta": "12", "x": 1})[1].changed
    assert [(d.key, d.before, d.after) for d in diff(None, {"a": [1]})] == [("a", "", "[1]")]
    assert [(d.before, d.after) for d in diff("x", None)] == [("x", "")]


def test_the_csv_export_holds_the_filtered_rows_formula_safe(world):
    rows(world)
    response = client_for(world, "superusuario").get(URL + "exportar.csv", {"accion": "admin:"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the accents
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert table[0] == [
        "fecha",
        "usuario",
        "plan",
        "accion",
        "objeto",
        "motivo",
        "antes",
        "despues",
    ]
    assert len(table) == 2
    assert table[1][1:5] == [
        "administrador_otro_plan",
        "OTRO-2024",
        "admin:modificar",
        "objetivo: B del otro plan",
    ]
    assert table[1][5] == '\'=HYPERLINK("http://x")'  # never a formula


def test_the_csv_export_only_holds_what_the_reader_may_see(world):
    rows(world)
    body = client_for(world, "revisor").get(URL + "exportar.csv").content.decode("utf-8-sig")
    assert "PM-2024" in body and "OTRO-2024" not in body and "usuario: ana" not in body


def test_the_xlsx_export(world, tmp_path):
    rows(world)
    response = client_for(world, "superusuario").get(URL + "exportar.xlsx")
    assert response.status_code == 200
    path = tmp_path / "a.xlsx"
    path.write_bytes(response.content)
    sheet = load_workbook(path)["auditoria"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:4] == ["fecha", "usuario", "plan", "accion"]
    assert len(values) == 4
    formula_row = next(r for r in sheet.iter_rows(min_row=2) if r[3].value == "admin:modificar")
    cell = formula_row[5]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s" and cell.quotePrefix
    assert any(r[6] == '{"meta": "10"}' for r in values)
