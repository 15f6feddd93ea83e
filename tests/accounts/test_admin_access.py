"""What the admin shows each role (the writes are in the authorization matrix)."""

from __future__ import annotations

import re

import pytest

from cascada.plans.models import Objective, Plan
from tests.accounts.world import build_world
from tests.imports.test_import_service import database_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tmp_path):
    return build_world(tmp_path)


def rows(response) -> list[str]:
    """The links of the changelist's rows (their change pages)."""
    return re.findall(r'<th class="field-[^"]+"><a href="([^"]+)"', response.content.decode())


def test_lists_show_only_the_plans_a_user_may_see(world, client):
    client.force_login(world.users["administrador_otro_plan"])
    listed = rows(client.get("/admin/plans/objective/"))
    mine = {
        f"/admin/plans/objective/{o.pk}/change/"
        for o in Objective.objects.filter(plan=world.plan_b)
    }
    assert set(listed) == mine
    assert set(rows(client.get("/admin/plans/plan/"))) == {
        f"/admin/plans/plan/{world.plan_b.pk}/change/"
    }
    client.force_login(world.users["analista"])
    assert set(rows(client.get("/admin/plans/plan/"))) == {
        f"/admin/plans/plan/{world.plan_a.pk}/change/"
    }
    client.force_login(world.users["superusuario"])
    assert len(rows(client.get("/admin/plans/plan/"))) == Plan.objects.count()


def test_an_analyst_sees_plan_a_read_only(world, client):
    client.force_login(world.users["analista"])
    page = client.get(f"/admin/plans/objective/{world.objective('A').pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="_save"' not in html  # a view page, no form to save
    assert client.get("/admin/plans/objective/add/").status_code == 403


def test_plan_autocomplete_offers_only_visible_plans(world, client):
    client.force_login(world.users["administrador"])
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "plans", "model_name": "objective", "field_name": "plan", "term": ""},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [str(world.plan_a)]


def test_the_delete_action_refuses_rows_of_another_plan(world, client):
    client.force_login(world.users["administrador"])
    theirs = Objective.objects.get(plan=world.plan_b, code="VACIO")
    before = database_state()
    response = client.post(
        "/admin/plans/objective/",
        {"action": "delete_selected", "_selected_action": [theirs.pk], "post": "yes"},
    )
    assert response.status_code == 302  # "no items selected": it is not in their list
    assert database_state() == before


def test_the_admin_index_lists_what_a_role_may_see(world, client):
    client.force_login(world.users["staff_sin_rol"])
    html = client.get("/admin/").content.decode()
    assert "/admin/plans/plan/" not in html
    client.force_login(world.users["revisor"])
    html = client.get("/admin/").content.decode()
    assert "/admin/plans/plan/" in html
    assert "/admin/plans/plan/add/" not in html
    client.force_login(world.users["administrador"])
    assert "/admin/plans/objective/add/" in client.get("/admin/").content.decode()
