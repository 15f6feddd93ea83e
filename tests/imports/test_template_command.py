"""``cascada template -o FILE.xlsx`` through the real console script."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

CASCADA = Path(sys.executable).parent / "cascada"

pytestmark = pytest.mark.slow


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CASCADA), *args], capture_output=True, text=True, check=False, timeout=120
    )


def test_writes_the_empty_template(tmp_path: Path) -> None:
    output = tmp_path / "plantilla.xlsx"
    result = run("template", "-o", str(output))
    assert result.returncode == 0, result.stderr
    assert str(output) in result.stdout
    assert load_workbook(output).sheetnames[:2] == ["instrucciones", "plan"]


def test_long_option_and_overwrite(tmp_path: Path) -> None:
    output = tmp_path / "plantilla.xlsx"
    output.write_text("viejo")
    result = run("template", "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert "ponderaciones" in load_workbook(output).sheetnames


def test_help_is_in_spanish() -> None:
    result = run("template", "--help")
    assert result.returncode == 0
    assert "plantilla de importación" in result.stdout


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = run("template", "-o", str(tmp_path / "no" / "existe.xlsx"))
    assert result.returncode == 1
    assert "No existe la carpeta de destino" in result.stderr
    assert "Traceback" not in result.stderr


def test_output_must_be_xlsx(tmp_path: Path) -> None:
    result = run("template", "-o", str(tmp_path / "plantilla.csv"))
    assert result.returncode == 1
    assert ".xlsx" in result.stderr


def test_output_is_required() -> None:
    result = run("template")
    assert result.returncode != 0
    assert "-o" in result.stderr
