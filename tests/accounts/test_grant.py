"""``cascada grant``: set a user's role in a plan, audited; the admin's plan creation too."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from cascada.accounts.models import Membership, Role
from cascada.plans.models import Plan
from cascada.tracking.models import AuditEvent
from tests.accounts.world import PLAN_A, build_world
from tests.imports.test_import_service import database_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tmp_path):
    return build_world(tmp_path)


def grant(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("grant", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_grant_gives_a_role_and_audits_it(world):
    out, _ = grant("--user", "usuario_sin_rol", "--plan", PLAN_A, "--role", "revisor")
    assert "usuario_sin_rol es revisor en PM-2024." in out
    membership = Membership.objects.get(user__username="usuario_sin_rol")
    assert (membership.plan.code, membership.role, membership.entity) == (PLAN_A, "revisor", None)
    event = AuditEvent.objects.get(action="rol:asignar")
    assert event.actor is None
    assert event.actor_label == "cli"
    assert event.plan == world.plan_a
    assert event.before is None
    assert event.after == {
        "usuario": "usuario_sin_rol",
        "plan": PLAN_A,
        "rol": "revisor",
        "entidad": None,
        "staff": False,
    }


def test_granting_the_same_role_again_changes_and_audits_nothing(world):
    grant("--user", "usuario_sin_rol", "--plan", PLAN_A, "--role", "analista")
    before = database_state()
    out, _ = grant("--user", "usuario_sin_rol", "--plan", PLAN_A, "--role", "analista")
    assert "ya era analista" in out
    assert database_state() == before


def test_a_reporter_needs_an_entity_and_can_move_to_another(world):
    with pytest.raises(CommandError, match="exige una entidad"):
        grant("--user", "usuario_sin_rol", "--plan", PLAN_A, "--role", "reportante")
    out, err = grant(
        "--user",
        "usuario_sin_rol",
        "--plan",
        PLAN_A,
        "--role",
        "reportante",
        "--entity",
        "Entidad X",
    )
    assert "por la entidad «Entidad X»" in out
    assert err == ""
    _, err = grant(
        "--user",
        "usuario_sin_rol",
        "--plan",
        PLAN_A,
        "--role",
        "reportante",
        "--entity",
        "Entidad sin uso",
    )
    assert "no es responsable de ninguna meta" in err
    (membership,) = Membership.objects.filter(user__username="usuario_sin_rol")
    assert membership.entity is not None and membership.entity.name == "Entidad sin uso"
    moved = AuditEvent.objects.filter(action="rol:asignar").latest("id")
    assert moved.before is not None and moved.before["entidad"] == "Entidad X"
    assert moved.after is not None and moved.after["entidad"] == "Entidad sin uso"


def test_only_a_reporter_names_an_entity(world):
    with pytest.raises(CommandError, match="no lleva entidad"):
        grant(
            "--user",
            "usuario_sin_rol",
            "--plan",
            PLAN_A,
            "--role",
            "analista",
            "--entity",
            "Entidad X",
        )
    assert not Membership.objects.filter(user__username="usuario_sin_rol").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--user", "nadie", "--plan", PLAN_A, "--role", "revisor"],
            "No existe el usuario «nadie»",
        ),
        (["--user", "usuario_sin_rol", "--plan", "X", "--role", "revisor"], "No existe un plan"),
        (
            [
                "--user",
                "usuario_sin_rol",
                "--plan",
                PLAN_A,
                "--role",
                "reportante",
                "--entity",
                "Z",
            ],
            "No existe una entidad llamada «Z»",
        ),
    ],
)
def test_unknown_names_are_refused_and_change_nothing(world, args, message):
    before = database_state()
    with pytest.raises(CommandError, match=message):
        grant(*args)
    assert database_state() == before


def test_an_unknown_role_is_refused(world):
    with pytest.raises(CommandError, match="invalid choice"):
        grant("--user", "usuario_sin_rol", "--plan", PLAN_A, "--role", "jefe")


def test_staff_and_revoke(world):
    out, _ = grant("--user", "usuario_sin_rol", "--plan", PLAN_A, "--role", "administrador")
    assert "necesita --staff" in out
    grant("--user", "usuario_sin_rol", "--plan", PLAN_A, "--role", "administrador", "--staff")
    plain = get_user_model().objects.get(username="usuario_sin_rol")
    assert plain.is_staff
    staffed = AuditEvent.objects.filter(action="rol:asignar").latest("id")
    assert staffed.before is not None and staffed.before["staff"] is False
    assert staffed.after is not None and staffed.after["staff"] is True
    out, _ = grant(
        "--user",
        "usuario_sin_rol",
        "--plan",
        PLAN_A,
        "--role",
        "administrador",
        "--revoke",
        "--reason",
        "Cambio de dependencia",
    )
    assert "ya no es administrador" in out
    assert not Membership.objects.filter(user=plain).exists()
    event = AuditEvent.objects.get(action="rol:quitar")
    assert event.reason == "Cambio de dependencia"
    assert event.after is None
    assert event.before is not None and event.before["rol"] == "administrador"
    out, _ = grant("--user", "usuario_sin_rol", "--plan", PLAN_A, "--role", "revisor", "--revoke")
    assert "no tenía el rol" in out


def test_a_plan_created_in_the_admin_is_administered_by_its_creator(world, client):
    from tests.accounts.test_authorization_matrix import form_values, inline_management

    client.force_login(world.users["administrador_otro_plan"])
    data = {**form_values(world.plan_a), "code": "ADMIN-2026", **inline_management(Plan)}
    response = client.post("/admin/plans/plan/add/", data)
    assert response.status_code == 302
    plan = Plan.objects.get(code="ADMIN-2026")
    assert Membership.objects.filter(
        user__username="administrador_otro_plan", plan=plan, role=Role.ADMINISTRADOR
    ).exists()
    assert AuditEvent.objects.filter(plan=plan, action="rol:asignar").count() == 1
    assert AuditEvent.objects.filter(plan=plan, action="admin:crear").count() == 1
    # And now they may add objectives to it.
    response = client.post(
        "/admin/plans/objective/add/", {"plan": plan.pk, "code": "O1", "name": "Uno", "order": 1}
    )
    assert response.status_code == 302
