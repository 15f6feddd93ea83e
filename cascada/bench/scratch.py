"""Scratch databases for the bench (never the project's own): a SQLite file in a temporary folder
and a PostgreSQL database created for the run and dropped after it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
from psycopg import sql


@dataclass(frozen=True)
class Scratch:
    vendor: str  # "sqlite" or "postgresql", the keys of the bench's JSON
    url: str


def sqlite_scratch(folder: Path) -> Scratch:
    return Scratch("sqlite", f"sqlite:///{folder / 'bench.sqlite3'}")


def _admin_connection(url: str) -> tuple[psycopg.Connection[Any], str]:
    config = dj_database_url.parse(url)
    name = str(config["NAME"])
    connection = psycopg.connect(
        host=str(config.get("HOST") or "127.0.0.1"),
        port=int(config.get("PORT") or 5432),
        user=str(config.get("USER") or "postgres"),
        password=str(config.get("PASSWORD") or ""),
        dbname="postgres",
        autocommit=True,
    )
    return connection, name


@contextmanager
def postgres_scratch(url: str, *, keep: bool = False) -> Iterator[Scratch]:
    """The database named in ``url`` created empty (dropped first if it exists) and dropped at
    the end unless ``keep``."""
    connection, name = _admin_connection(url)
    with connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield Scratch("postgresql", url)
    finally:
        if not keep:
            connection, _ = _admin_connection(url)
            with connection:
                connection.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


def run_part(
    part: str, arguments: Sequence[str], *, env: Mapping[str, str], log: Path | None = None
) -> dict[str, Any]:
    """Run ``cascada bench --part PART …`` in a new process (its own memory figures, its own
    database settings) and return the JSON object it prints last on stdout. Its progress
    messages go to stderr (ours)."""
    command = [sys.executable, "-m", "cascada.cli", "bench", "--part", part, *arguments]
    done = subprocess.run(  # noqa: S603 — our own interpreter and arguments
        command,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=None if log is None else log.open("ab"),
        text=True,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0 or not lines:
        return {"failed": f"la parte {part} terminó con código {done.returncode}"}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def postgres_version(url: str) -> str:
    """The server's version (``SHOW server_version``), or ``""`` when it cannot be reached."""
    try:
        connection, _ = _admin_connection(url)
    except psycopg.Error:
        return ""
    with connection:
        row = connection.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else ""
