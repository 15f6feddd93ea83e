# Table names below come from the database catalogue, not from input.
# ruff: noqa: S608
"""Scratch sites for tests that run ``cascada`` in subprocesses: a database of their own (a
SQLite file, or a PostgreSQL database created and dropped on the server of DATABASE_URL) and a
data folder of their own (MEDIA_ROOT)."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

CASCADA = str(Path(sys.executable).with_name("cascada"))
ROOT = Path(__file__).resolve().parent.parent
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres:", "postgresql:"))
needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES, reason="PostgreSQL only: runs in the PostgreSQL pass of `make test`"
)
needs_sqlite = pytest.mark.skipif(
    ON_POSTGRES, reason="SQLite only: runs in the SQLite pass of `make test`"
)


@dataclass
class Site:
    url: str
    folder: Path

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "DATABASE_URL": self.url, "CASCADA_DATA_DIR": str(self.folder)}

    @property
    def media(self) -> Path:
        return self.folder / "media"

    def cascada(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self._run([CASCADA, *args], check)

    def python(
        self, script: Path, *args: str, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        return self._run([sys.executable, str(script), *args], check)

    def popen(self, argv: list[str]) -> subprocess.Popen[str]:
        return subprocess.Popen(
            argv,
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def _run(self, argv: list[str], check: bool) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            argv, env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
        )
        if check:
            assert done.returncode == 0, (argv, done.stdout[-2000:], done.stderr[-3000:])
        return done


def copy_database(source_url: str, target_url: str) -> None:
    """Copy a database nobody is connected to (a SQLite file, or a PostgreSQL template)."""
    if source_url.startswith("sqlite:"):
        shutil.copyfile(
            source_url.removeprefix("sqlite:///"), target_url.removeprefix("sqlite:///")
        )
        return
    source, target = (urlsplit(u).path.lstrip("/") for u in (source_url, target_url))
    with psycopg.connect(_server(), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


def _server() -> str:
    """The PostgreSQL server of DATABASE_URL, as a URL of its maintenance database."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))


def _base_name() -> str:
    return urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/") or "cascada"


@contextmanager
def scratch_site(
    tmp_path: Path, vendor: str, role: str, template: Site | None = None, create: bool = True
) -> Iterator[Site]:
    """A new site on ``vendor`` ("sqlite" or "postgresql"), removed afterwards: empty, or a
    copy of the database of ``template`` (a site of the same vendor nobody is connected to),
    or not created at all (``create=False``: something else creates it, e.g. with
    ``copy_database``)."""
    folder = tmp_path / role
    folder.mkdir()
    if vendor == "sqlite":
        if template is not None:
            shutil.copyfile(template.url.removeprefix("sqlite:///"), folder / "db.sqlite3")
        yield Site(f"sqlite:///{folder / 'db.sqlite3'}", folder)
        return
    name = f"{_base_name()}_scratch_{role}_{secrets.token_hex(4)}"
    copy = f' TEMPLATE "{urlsplit(template.url).path.lstrip("/")}"' if template else ""
    if create:
        with psycopg.connect(_server(), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"{copy}')
    try:
        parts = urlsplit(os.environ["DATABASE_URL"])
        yield Site(urlunsplit(parts._replace(path=f"/{name}")), folder)
    finally:
        with psycopg.connect(_server(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(folder, ignore_errors=True)


def snapshot(site: Site, mask: Callable[[str], bool] | None = None) -> dict[str, list[str]]:
    """Every row of every table of ``site``'s database, read with plain SQL (to compare a
    database with itself at two moments, or with a copy); columns whose name ``mask`` accepts
    read as ``*``."""
    if site.url.startswith("sqlite:"):
        import sqlite3

        connection = sqlite3.connect(site.url.removeprefix("sqlite:///"))
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        try:
            return {t: _rows(connection.execute(f'SELECT * FROM "{t}"'), mask) for t in tables}
        finally:
            connection.close()
    with psycopg.connect(site.url.replace("postgres://", "postgresql://", 1)) as pg:
        tables = [
            name
            for (name,) in pg.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        return {t: _rows(pg.execute(f'SELECT * FROM "{t}"'), mask) for t in tables}


def _rows(cursor: Any, mask: Callable[[str], bool] | None) -> list[str]:
    names = [column[0] for column in cursor.description]
    hidden = [mask is not None and mask(name) for name in names]
    return sorted(
        repr(tuple("*" if hide else value for hide, value in zip(hidden, row, strict=True)))
        for row in cursor
    )
