"""The bench's one door to the generated data (``cascada.synth``) and the columnar engine
(``cascada.columnar``): everything the parts need from them, adapted here."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management import call_command

SIZES = ("seed", "district", "national")


def generate(*, size: str, seed: int) -> Any:
    return (size, seed)


def describe(generated: Any) -> str:
    return str(generated)


def counts(generated: Any) -> dict[str, int]:
    return {}


def cut_date(generated: Any) -> date:
    return date(2026, 3, 31)


def frames(generated: Any) -> Any:
    raise NotImplementedError


def compute_columnar(frames: Any, *, cut: date) -> Any:
    raise NotImplementedError


def compute_duckdb(frames: Any, *, cut: date) -> Any:
    raise NotImplementedError


def compare(left: Any, right: Any) -> list[str]:
    raise NotImplementedError


def load(generated: Any) -> None:
    call_command("demo", stdout=io.StringIO())


def workbook_with_rows(*, rows: int, seed: int, folder: Path) -> tuple[Path, int]:
    raise NotImplementedError
