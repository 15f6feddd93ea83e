"""The database comes from DATABASE_URL; the suite runs once on SQLite and once on PostgreSQL."""

import os

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection


def test_database_url_selects_the_backend():
    url = os.environ.get("DATABASE_URL", "sqlite:")
    expected = "postgresql" if url.startswith(("postgres:", "postgresql:")) else "sqlite"
    assert connection.vendor == expected


def test_default_is_a_sqlite_file_under_the_data_folder(monkeypatch):
    import importlib

    import config.settings as module

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("CASCADA_DATA_DIR", "/tmp/cascada-data")
    try:
        reloaded = importlib.reload(module)
        assert reloaded.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
        assert str(reloaded.DATABASES["default"]["NAME"]) == "/tmp/cascada-data/cascada.sqlite3"
    finally:
        monkeypatch.undo()
        importlib.reload(module)


@pytest.mark.django_db
def test_migrations_applied_and_writes_round_trip():
    user = get_user_model().objects.create_user("planeacion", password="una clave larga 2026")
    assert get_user_model().objects.get(pk=user.pk).username == "planeacion"
    assert settings.LANGUAGE_CODE == "es-co"


def test_migrations_run_back_and_forth_over_data_with_the_triggers_in_place(tmp_path):
    """SQLite rebuilds a table to alter it; the integrity triggers must not get in the way."""
    import subprocess
    import sys
    from pathlib import Path

    cascada = str(Path(sys.executable).parent / "cascada")
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "PATH": "/usr/bin:/bin"}
    for args in (["migrate"], ["demo"], ["migrate", "plans", "0001"], ["migrate"], ["demo"]):
        done = subprocess.run(
            [cascada, *args, "-v", "0"], env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, (args, done.stderr[-2000:])
