"""``cascada compute`` honours DESIGN §6 on workbooks that are not in the repo."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.workbooks import small_plan, write_workbook

CASCADA = str(Path(sys.executable).parent / "cascada")
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "gestion_publica_2026-03-31.xlsx"


def run(*args, tmp_path=None):
    # A database URL that cannot be opened: compute must not need one.
    env = {"DATABASE_URL": "sqlite:////nonexistent/dir/never.sqlite3", "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [CASCADA, "compute", *map(str, args)], capture_output=True, text=True, env=env, check=False
    )


def close(value, expected):
    assert value == pytest.approx(expected, abs=1e-9)


PLAN_KEYS = {
    "plan",
    "corte",
    "vigencia",
    "cumplimiento_plan",
    "avance_vigencia_plan",
    "avance_cuatrienio_plan",
    "objetivos",
}
OBJECTIVE_KEYS = {"codigo", "cumplimiento", "avance_vigencia", "avance_cuatrienio", "indicadores"}
INDICATOR_KEYS = {
    "codigo",
    "avance_corte",
    "avance_vigencia",
    "avance_cuatrienio",
    "estado",
    "peso_efectivo",
    "alertas",
}


def test_json_contract_on_a_workbook_outside_the_repo(tmp_path):
    book = write_workbook(tmp_path / "plan.xlsx", small_plan())
    done = run(book, "--corte", "2026-06-30")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == PLAN_KEYS
    assert (data["plan"], data["corte"], data["vigencia"]) == ("PM-2024", "2026-06-30", 2026)
    close(data["cumplimiento_plan"], 62.5)
    close(data["avance_vigencia_plan"], 38.5)
    close(data["avance_cuatrienio_plan"], 30)

    a, b = data["objetivos"]  # in `orden` order, not file order
    assert (a["codigo"], b["codigo"]) == ("A", "B")
    assert all(set(o) == OBJECTIVE_KEYS for o in data["objetivos"])
    close(a["cumplimiento"], 81.25)  # S's 150 % capped at 100 inside the rollup
    close(a["avance_vigencia"], 71.25)
    close(a["avance_cuatrienio"], 37.5)
    close(b["cumplimiento"], 50)
    close(b["avance_vigencia"], 100 / 6)

    s, c = a["indicadores"]
    assert all(set(i) == INDICATOR_KEYS for i in a["indicadores"] + b["indicadores"])
    assert s["codigo"] == "S"
    close(s["avance_corte"], 150)  # shown uncapped
    close(s["avance_cuatrienio"], 37.5)  # (9 executed in 2025 + 6) / 40
    assert (s["estado"], s["alertas"]) == ("sobreejecutada", [])
    close(s["peso_efectivo"], 25)
    assert c["estado"] == "en_rezago"
    assert c["alertas"] == ["analisis_faltante"]
    assert c["avance_cuatrienio"] is None
    (d,) = b["indicadores"]
    close(d["avance_corte"], 50)  # (45 − 42,5) / (45 − 40) with the vigencia's baseline
    close(d["avance_cuatrienio"], 25)  # (50 − 42,5) / (50 − 20) with the indicator's own


def test_unrounded_numbers_and_nulls_on_the_sample():
    done = run(SAMPLE, "--corte", "2026-03-31")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    objectives = {o["codigo"]: o for o in data["objetivos"]}
    assert objectives["O1"]["cumplimiento"] is None
    close(objectives["O4"]["cumplimiento"], 550 / 3)
    indicators = {i["codigo"]: i for o in data["objetivos"] for i in o["indicadores"]}
    assert indicators["4231"]["avance_corte"] is None
    assert indicators["4231"]["estado"] == "no_programada"
    assert indicators["4231"]["peso_efectivo"] is None
    close(indicators["4075"]["avance_corte"], 800 / 3)


def test_table_is_readable_es_co():
    done = run(SAMPLE, "--corte", "2026-03-31", "--format", "table")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for text in [
        "31 de marzo de 2026",
        "183,33%",
        "98,48%",
        "60,00%",
        "266,67%",
        "47,06%",
        "Sin programación al corte",
    ]:
        assert text in out


def test_invalid_workbook_exits_2_with_located_errors_and_no_traceback(tmp_path):
    sheets = small_plan()
    sheets["avances"][2][3] = "cuatro"  # programado_corte of S, row 3
    sheets["indicadores"][3][4] = "exponencial"  # tipo_anualizacion of D, row 4
    book = write_workbook(tmp_path / "malo.xlsx", sheets)
    done = run(book, "--corte", "2026-06-30")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert "'avances'" in done.stderr and "fila 3" in done.stderr and "cuatro" in done.stderr
    assert (
        "'indicadores'" in done.stderr and "fila 4" in done.stderr and "exponencial" in done.stderr
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--corte", "31/03/2026"], "AAAA-MM-DD"),
        (["--corte", "2031-03-31"], "fuera de las vigencias"),
    ],
)
def test_bad_cut_exits_2(args, message):
    done = run(SAMPLE, *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_or_corrupt_file_exits_2(tmp_path):
    (tmp_path / "roto.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    for path in [tmp_path / "no-existe.xlsx", tmp_path / "roto.xlsx"]:
        done = run(path, "--corte", "2026-03-31")
        assert done.returncode == 2
        assert done.stderr.strip()
        assert "Traceback" not in done.stderr
