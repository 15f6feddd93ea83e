"""The machine and software a bench ran on, so that figures are compared like with like."""

from __future__ import annotations

import os
import platform
import sqlite3
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

PACKAGES = ("django", "polars", "duckdb", "gunicorn", "psycopg", "python-calamine", "openpyxl")


def _first(path: str, prefix: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return ""


def describe(*, postgres_version: str = "") -> dict[str, Any]:
    memory_kb = _first("/proc/meminfo", "MemTotal").split(" ")[0]
    return {
        "nproc": os.cpu_count(),
        "memory_mb": round(int(memory_kb) / 1024) if memory_kb.isdigit() else None,
        "cpu": _first("/proc/cpuinfo", "model name") or platform.processor(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres_version,
        **{name: _version(name) for name in PACKAGES},
    }
