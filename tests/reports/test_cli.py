"""``cascada report`` (DESIGN §6, issue 5): the five formats for the seed from a fresh database,
bad input with exit status 2 and a Spanish message, progress on stderr, atomic writes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from cascada.reports.management.commands.report import Command

PLAN = "PES-GP-2024-2027"
CUT = "2026-03-31"
CASCADA = str(Path(sys.executable).with_name("cascada"))
MAIN_PARTS = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}


def cascada(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CASCADA, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> dict[str, str]:
    """A new SQLite database with the seed loaded, as after ``make demo``."""
    folder = tmp_path_factory.mktemp("cli")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "CASCADA_DATA_DIR": str(folder),
    }
    for args in (("migrate", "--noinput", "-v", "0"), ("demo",)):
        done = cascada(env, *args)
        assert done.returncode == 0, done.stderr
    return env


def content_types(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("[Content_Types].xml").decode()


@pytest.mark.slow
def test_the_five_formats_for_the_seed(fresh, tmp_path):
    for fmt in ("pdf", "pptx", "xlsx", "html", "json"):
        out = tmp_path / f"informe.{fmt}"
        done = cascada(
            fresh, "report", "--plan", PLAN, "--corte", CUT, "--format", fmt, "-o", str(out)
        )
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        assert "[" not in done.stderr  # stderr is not a terminal: no progress unless asked
        assert f"escrito en {out}" in done.stdout
        assert out.stat().st_size > 1000
        data = out.read_bytes()
        if fmt == "pdf":
            assert data.startswith(b"%PDF-")
        elif fmt in MAIN_PARTS:
            assert zipfile.is_zipfile(out)
            assert MAIN_PARTS[fmt] in content_types(out)
        elif fmt == "html":
            text = data.decode("utf-8")
            assert text.lstrip().lower().startswith("<!doctype html")
            assert "183,33%" in text
        else:
            assert json.loads(data)["plan"]["code"] == PLAN
    objectives = load_workbook(tmp_path / "informe.xlsx")["resultados_objetivos"]
    assert objectives["C5"].value == pytest.approx(183.333333333333)  # O4
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"informe.{f}" for f in ("pdf", "pptx", "xlsx", "html", "json")
    )  # no temporary file left behind


@pytest.mark.slow
def test_the_report_xlsx_imports_into_an_empty_database(fresh, tmp_path):
    report = tmp_path / "informe.xlsx"
    done = cascada(
        fresh, "report", "--plan", PLAN, "--corte", CUT, "--format", "xlsx", "-o", str(report)
    )
    assert done.returncode == 0, done.stderr
    empty = {**fresh, "DATABASE_URL": f"sqlite:///{tmp_path / 'vacia.sqlite3'}"}
    assert cascada(empty, "migrate", "--noinput", "-v", "0").returncode == 0
    imported = cascada(empty, "import", str(report))
    assert imported.returncode == 0, imported.stderr
    # the same plan: the same figures for the cut (a draft in the new database)
    for env, name in ((fresh, "antes.json"), (empty, "despues.json")):
        out = tmp_path / name
        done = cascada(
            env, "report", "--plan", PLAN, "--corte", CUT, "--format", "json", "-o", str(out)
        )
        assert done.returncode == 0, done.stderr
    before, after = (json.loads((tmp_path / n).read_text()) for n in ("antes.json", "despues.json"))
    for data in (before, after):
        del data["generated_at"], data["cut_state"]
    assert after == before


# ---------------------------------------------------------------------------------------------
# In process: bad input, progress, atomic writes


@pytest.fixture
def seed(db):
    call_command("demo", verbosity=0, stdout=io.StringIO())


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("report", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(str(exit_.code)), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--plan", "NADA", "--corte", CUT], "No existe el plan 'NADA'."),
        (["--plan", PLAN, "--corte", "2026-06-30"], "no tiene un corte el 2026-06-30"),
        (["--plan", PLAN, "--corte", "31/03/2026"], "se esperaba una fecha AAAA-MM-DD"),
        (["--plan", PLAN, "--corte", "2026-02-30"], "se esperaba una fecha AAAA-MM-DD"),
        (["--plan", PLAN, "--corte", CUT, "--format", "docx"], "--format: se encontró 'docx'"),
        (["--plan", PLAN, "--corte", CUT, "--lang", "fr"], "--lang: se encontró 'fr'"),
    ],
)
def test_bad_input_exits_2_with_a_spanish_message(seed, tmp_path, args, message):
    out = tmp_path / "informe.json"
    out.write_text("anterior")
    if "--format" not in args:
        args = [*args, "--format", "json"]
    status, stdout, stderr = run(*args, "-o", str(out))
    assert status == 2
    assert message in stderr
    assert "Traceback" not in stderr and stdout == ""
    assert out.read_text() == "anterior"  # a failure leaves the previous file as it was
    assert [p.name for p in tmp_path.iterdir()] == ["informe.json"]


def test_a_missing_folder_exits_2(seed, tmp_path):
    status, _, stderr = run(
        "--plan", PLAN, "--corte", CUT, "--format", "json", "-o", str(tmp_path / "no" / "x.json")
    )
    assert status == 2
    assert "No existe la carpeta de destino" in stderr


def test_progress_on_stderr_only_when_asked_or_on_a_terminal(seed, tmp_path):
    out = tmp_path / "informe.json"
    status, stdout, stderr = run("--plan", PLAN, "--corte", CUT, "--format", "json", "-o", str(out))
    assert status == 0 and stderr == ""
    assert "Informe JSON del plan PES-GP-2024-2027 al corte 2026-03-31 escrito en" in stdout
    status, _, stderr = run(
        "--plan", PLAN, "--corte", CUT, "--format", "json", "-o", str(out), "--progress"
    )
    assert status == 0
    assert stderr.splitlines() == [
        "[  0%] Datos del corte…",
        "[ 10%] Generando el JSON…",
        "[ 90%] Informe generado.",
        "[100%] Informe listo.",
    ]


def test_the_file_is_replaced_whole_with_ordinary_permissions(seed, tmp_path):
    out = tmp_path / "informe.json"
    out.write_text("anterior")
    status, _, _ = run(
        "--plan", PLAN, "--corte", CUT, "--format", "json", "-o", str(out), "--lang", "en"
    )
    assert status == 0
    data = json.loads(out.read_text())
    assert data["lang"] == "en" and data["cut"] == date(2026, 3, 31).isoformat()
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["informe.json"]


def test_help_is_in_spanish():
    text = Command().create_parser("cascada", "report").format_help()
    assert "Genera el informe de seguimiento de un plan a un corte" in text
    for words in (
        "Código del plan.",
        "Fecha del corte.",
        "Formato del informe: pdf, pptx",
        "Idioma",
    ):
        assert words in text
