"""Personal API tokens: ``cascada token``, hashed storage, revocation and inactive users."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from cascada.api.models import ApiToken
from cascada.api.tokens import create_token, token_for_key
from cascada.tracking.models import AuditEvent

URL = "/api/v1/reportes"


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def maria(db):
    return get_user_model().objects.create_user("maria", password=None)


def test_the_command_prints_the_key_once_and_stores_its_hash(client, maria):
    out, err = run("--user", "maria", "--name", "SEGPLAN")
    key = out.strip()
    assert key.startswith("cas_") and len(key) > 40
    assert "no se volverá a mostrar" in err
    token = ApiToken.objects.get(user=maria)
    assert token.name == "SEGPLAN"
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:12] and key not in (token.prefix, token.key_hash)
    assert token.last_used_at is None
    assert AuditEvent.objects.filter(action="token:crear", actor_label="cli").exists()

    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    listing, _ = run("--user", "maria", "--list")
    assert token.prefix in listing and "vigente" in listing and key not in listing


def test_a_revoked_token_no_longer_works(client, maria):
    token, key = create_token(user=maria, name="x")
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    out, _ = run("--user", "maria", "--revoke", token.prefix)
    assert "revocados: 1" in out
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert AuditEvent.objects.filter(action="token:revocar").exists()


def test_a_token_of_an_inactive_user_does_not_work(maria):
    _, key = create_token(user=maria)
    assert token_for_key(key) is not None
    maria.is_active = False
    maria.save()
    assert token_for_key(key) is None
    assert token_for_key(key[:-1] + ("A" if key[-1] != "A" else "B")) is None
    assert token_for_key("x" * 10_000) is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--user", "nadie"), "No existe el usuario «nadie»."),
        (("--user", "maria", "--revoke", "cas"), "al menos 6 caracteres"),
        (("--user", "maria", "--revoke", "cas_zzzzzz"), "no tiene tokens vigentes"),
    ],
)
def test_bad_input_exits_2_with_a_spanish_message(maria, args, message):
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("token", *args, stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 2
    assert message in err.getvalue()
