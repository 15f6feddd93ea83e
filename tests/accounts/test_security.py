"""Secure authentication: Argon2, password rules, sign-in pages, login throttling (django-axes)
and the production settings (``cascada check --deploy`` is clean)."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import F
from django.test import Client, RequestFactory
from django.utils import translation

from cascada.accounts.security import client_ip

CASCADA = str(Path(sys.executable).parent / "cascada")
PASSWORD = "una-clave-larga-2026"


@pytest.fixture
def person(db):
    return get_user_model().objects.create_user("ana", password=PASSWORD, is_staff=True)


# ---------------------------------------------------------------------------------------------
# Passwords


def test_new_passwords_are_hashed_with_argon2(person):
    assert person.password.startswith("argon2$argon2id$")
    assert person.check_password(PASSWORD)
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_an_older_hash_is_upgraded_to_argon2_at_the_next_login(db):
    user = get_user_model().objects.create(
        username="antiguo", password=make_password(PASSWORD, hasher="pbkdf2_sha256")
    )
    assert user.password.startswith("pbkdf2_sha256$")
    response = Client().post("/cuenta/ingresar/", {"username": "antiguo", "password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2")


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("corta-1", "demasiado corta"),
        ("123456789012345", "completamente numérica"),
        ("password123456", "demasiado común"),
        ("ana.gomez.2026", "similar a la de nombre de usuario"),
    ],
)
def test_weak_passwords_are_refused_in_spanish(password, problem, db):
    user = get_user_model()(username="ana.gomez.2026", email="ana@example.gov.co")
    # As a web request gets it (LANGUAGES offers "es"); outside a request Django's es-CO
    # catalogue words some of these messages differently.
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    assert problem in " ".join(refused.value.messages)


def test_a_long_unusual_password_is_accepted(db):
    validate_password("cascadas-del-río-magdalena", get_user_model()(username="ana"))


# ---------------------------------------------------------------------------------------------
# Signing in and out


def test_the_sign_in_page_is_spanish_and_accessible(client, db):
    response = client.get("/cuenta/ingresar/?next=/importar/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="site-header"' in html  # the dashboard's layout
    assert "<h1>Ingresar</h1>" in html
    assert '<label for="id_username">Usuario</label>' in html
    assert '<label for="id_password">Contraseña</label>' in html
    assert 'autocomplete="current-password"' in html
    assert 'name="next" value="/importar/"' in html
    assert "csrfmiddlewaretoken" in html


def test_signing_in_and_out(client, person):
    response = client.post(
        "/cuenta/ingresar/", {"username": "ana", "password": PASSWORD, "next": "/importar/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/importar/"
    assert client.session["_auth_user_id"] == str(person.pk)
    assert client.get("/cuenta/salir/").status_code == 405  # only a form (POST) signs out
    response = client.post("/cuenta/salir/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_is_explained_in_spanish(client, person):
    response = client.post("/cuenta/ingresar/", {"username": "ana", "password": "otra"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "No se pudo ingresar" in html
    assert "correctos" in html  # Django's Spanish message
    assert 'aria-invalid="true"' in html


def test_sign_in_does_not_redirect_to_another_site(client, person):
    response = client.post(
        "/cuenta/ingresar/",
        {"username": "ana", "password": PASSWORD, "next": "https://example.com/"},
    )
    assert response["Location"] == "/"


# ---------------------------------------------------------------------------------------------
# Login throttling


def admin_login(client: Client, password: str, *, address: str = "127.0.0.1", username="ana"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_five_failures_lock_the_username_from_that_address_for_30_minutes(client, person):
    for attempt in range(1, 5):
        response = admin_login(client, f"mala-{attempt}")
        assert response.status_code == 200, attempt  # the form again, with its error
    response = admin_login(client, "mala-5")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Acceso bloqueado temporalmente" in html
    assert "30 minutos" in html
    assert 'class="site-header"' in html
    # Locked: even the right password is refused now …
    assert admin_login(client, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # … but only for this username from this address.
    assert admin_login(Client(), PASSWORD, address="10.0.0.9").status_code == 302
    get_user_model().objects.create_user("luis", password=PASSWORD, is_staff=True)
    assert admin_login(Client(), PASSWORD, username="luis").status_code == 302
    # The sign-in page of the app is throttled the same way.
    response = Client().post("/cuenta/ingresar/", {"username": "ana", "password": PASSWORD})
    assert response.status_code == 429
    # Thirty minutes later the lock is gone.
    apps.get_model("axes", "AccessAttempt").objects.update(
        attempt_time=F("attempt_time") - timedelta(minutes=31)
    )
    assert admin_login(client, PASSWORD).status_code == 302


def test_a_successful_login_resets_the_count(client, person):
    for attempt in range(4):
        admin_login(client, f"mala-{attempt}")
    assert admin_login(client, PASSWORD).status_code == 302
    client.logout()
    for attempt in range(4):
        assert admin_login(client, f"otra-{attempt}").status_code == 200
    assert admin_login(client, PASSWORD).status_code == 302


def test_the_client_address_behind_reverse_proxies(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 2.2.2.2, 3.3.3.3"
    )
    settings.CASCADA_PROXIES = 0
    assert client_ip(request) == "10.0.0.1"  # no proxy: the header is the client's own words
    settings.CASCADA_PROXIES = 1
    assert client_ip(request) == "3.3.3.3"
    settings.CASCADA_PROXIES = 2
    assert client_ip(request) == "2.2.2.2"
    settings.CASCADA_PROXIES = 5  # fewer hops than proxies: not trusted
    assert client_ip(request) == "10.0.0.1"


# ---------------------------------------------------------------------------------------------
# Settings for production


def cascada(*args: str, tmp_path: Path, **env: str):
    return subprocess.run(
        [CASCADA, *args],
        capture_output=True,
        text=True,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "CASCADA_DATA_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'cascada.sqlite3'}",
            **env,
        },
    )


def production(**extra: str) -> dict[str, str]:
    return {
        "CASCADA_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48)[:50],
        "ALLOWED_HOSTS": "cascada.example.gov.co",
        **extra,
    }


SHOW_SETTINGS = """
import json
from django.conf import settings as s
print(json.dumps({name: getattr(s, name, None) for name in [
    "DEBUG", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS", "SESSION_COOKIE_HTTPONLY",
    "CSRF_TRUSTED_ORIGINS", "SECURE_PROXY_SSL_HEADER"]}))
"""


@pytest.mark.slow
def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = cascada(
        "check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, **production()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


@pytest.mark.slow
def test_production_settings(tmp_path):
    result = cascada(
        "shell",
        "--no-imports",
        "-c",
        SHOW_SETTINGS,
        tmp_path=tmp_path,
        **production(
            CSRF_TRUSTED_ORIGINS="https://cascada.example.gov.co,https://otra.example.gov.co",
            CASCADA_PROXIES="1",
        ),
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "X_FRAME_OPTIONS": "DENY",
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_TRUSTED_ORIGINS": ["https://cascada.example.gov.co", "https://otra.example.gov.co"],
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


@pytest.mark.slow
@pytest.mark.parametrize("key", ["", "corta"], ids=["missing", "short"])
def test_production_refuses_to_start_without_a_secret_key(tmp_path, key):
    env = production(SECRET_KEY=key)
    result = cascada("check", tmp_path=tmp_path, **env)
    assert result.returncode != 0
    assert "CASCADA_ENV=production requiere SECRET_KEY" in result.stderr


@pytest.mark.slow
def test_production_refuses_debug(tmp_path):
    result = cascada("check", tmp_path=tmp_path, **production(DEBUG="true"))
    assert result.returncode != 0
    assert "no admite DEBUG=true" in result.stderr


@pytest.mark.slow
def test_development_serves_plain_http(tmp_path):
    """`make demo`: DEBUG off, http://127.0.0.1:8000, no HTTPS redirect nor secure cookies."""
    result = cascada("shell", "--no-imports", "-c", SHOW_SETTINGS, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_PROXY_SSL_HEADER"] is None


def test_the_test_settings_are_the_development_ones():
    assert not settings.SECURE_SSL_REDIRECT
    assert not settings.SESSION_COOKIE_SECURE
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


@pytest.mark.slow
def test_https_without_production(tmp_path):
    """CASCADA_HTTPS=true (DEBUG off) secures a server that is not declared production."""
    result = cascada(
        "shell", "--no-imports", "-c", SHOW_SETTINGS, tmp_path=tmp_path, CASCADA_HTTPS="true"
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000
