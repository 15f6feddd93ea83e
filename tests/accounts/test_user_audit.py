"""Every change to a user account through the admin writes one audit row in the same
transaction, without password hashes; only superusers manage accounts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cascada.tracking.models import AuditEvent
from tests.accounts.test_authorization_matrix import database_state
from tests.accounts.world import PASSWORD, World, build_world

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "otra-clave-segura-2026"


@pytest.fixture
def world(tmp_path) -> World:
    return build_world(tmp_path)


@pytest.fixture
def superuser(world: World) -> Client:
    client = Client()
    client.force_login(world.users["superusuario"])  # type: ignore[arg-type]
    return client


def latest() -> Any:
    """The newest audit row (``Any``: its JSON before/after are indexed freely here)."""
    return AuditEvent.objects.latest("pk")


def no_hash(event: AuditEvent) -> None:
    text = json.dumps([event.before, event.after])
    assert "argon2" not in text and "pbkdf2" not in text and PASSWORD not in text
    assert NEW_PASSWORD not in text


def test_adding_a_user_is_one_audit_row(world, superuser):
    events = AuditEvent.objects.count()
    response = superuser.post(
        "/admin/auth/user/add/",
        {
            "username": "nueva",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert get_user_model().objects.filter(username="nueva").exists()
    assert AuditEvent.objects.count() == events + 1
    event = latest()
    assert (event.action, event.target, event.before) == ("usuario:crear", "usuario: nueva", None)
    assert event.after["usuario"] == "nueva" and event.after["contrasena_utilizable"] is True
    assert event.actor == world.users["superusuario"]
    no_hash(event)


def test_changing_a_user_records_before_and_after(world, superuser):
    user = world.users["analista"]
    events = AuditEvent.objects.count()
    response = superuser.post(
        f"/admin/auth/user/{user.pk}/change/",
        {
            "username": "analista",
            "first_name": "Ana",
            "last_name": "",
            "email": "ana@example.org",
            "is_active": "on",
            "is_staff": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert AuditEvent.objects.count() == events + 1
    event = latest()
    assert event.action == "usuario:modificar"
    assert (event.before["nombre"], event.after["nombre"]) == ("", "Ana")
    assert event.after["correo"] == "ana@example.org"
    no_hash(event)


def test_a_password_change_is_recorded_without_the_hash(world, superuser):
    user = world.users["analista"]
    events = AuditEvent.objects.count()
    response = superuser.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.count() == events + 1
    event = latest()
    assert event.action == "usuario:contrasena" and event.target == "usuario: analista"
    no_hash(event)


def test_a_refused_password_change_writes_nothing(world, superuser):
    user = world.users["analista"]
    state = database_state()
    response = superuser.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": "no-coincide-2026", "usable_password": "true"},
    )
    assert response.status_code == 200
    assert database_state() == state


def test_deleting_a_user_is_one_audit_row(world, superuser):
    user = world.users["usuario_sin_rol"]
    events = AuditEvent.objects.count()
    response = superuser.post(f"/admin/auth/user/{user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert AuditEvent.objects.count() == events + 1
    event = latest()
    assert event.action == "usuario:eliminar" and event.before["usuario"] == "usuario_sin_rol"
    no_hash(event)


@pytest.mark.parametrize("name", ["administrador", "revisor", "staff_sin_rol"])
def test_only_superusers_manage_accounts(world, name):
    client = Client()
    client.force_login(world.users[name])
    target = world.users["usuario_sin_rol"]
    state = database_state()
    for url, data in [
        ("/admin/auth/user/add/", {"username": "x", "password1": NEW_PASSWORD}),
        (f"/admin/auth/user/{target.pk}/password/", {"password1": NEW_PASSWORD}),
        (f"/admin/auth/user/{target.pk}/delete/", {"post": "yes"}),
    ]:
        assert client.post(url, data).status_code == 403, url
    assert database_state() == state
