"""Open data of a published cut: the files, their columns and figures, the validated Data
Package, the stable URLs, the page that lists them and ``cascada opendata``."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import frictionless
import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from cascada.opendata import build
from cascada.opendata.build import OpenDataInvalid, build_open_data, render_files
from cascada.opendata.columns import INDICATORS_TABLE, OBJECTIVES_TABLE, PLAN_TABLE, TABLES, Column
from cascada.plans.models import Plan
from cascada.tracking.models import Cut, ProgressReport
from cascada.tracking.publication import start_correction
from cascada.tracking.services import publish_cut

SEED = "PES-GP-2024-2027"
BASE = f"/datos/{SEED}/2026-03-31/ed1"


@pytest.fixture
def demo(db):
    call_command("demo", verbosity=0, stdout=io.StringIO())


def read_csv(content: bytes) -> list[dict[str, str]]:
    assert not content.startswith(b"\xef\xbb\xbf")  # UTF-8 without BOM
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"), newline="")))


def download(client, name: str, base: str = BASE) -> bytes:
    response = client.get(f"{base}/{name}")
    assert response.status_code == 200, (name, response.status_code)
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.content


def test_the_published_data_package_validates(client, demo, tmp_path: Path):
    for name in ("datapackage.json", "plan.csv", "objetivos.csv", "indicadores.csv"):
        (tmp_path / name).write_bytes(download(client, name))
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["cascada"] == {
        "plan": SEED,
        "corte": "2026-03-31",
        "edicion": 1,
        "cortes_incluidos": ["2026-03-31"],
        "otros_formatos": ["datos.xlsx", "datos.json", "datos.zip"],
    }
    assert package["sources"][0]["title"]
    fields = {
        f["name"]: f
        for r in package["resources"]
        if r["name"] == "objetivos"
        for f in r["schema"]["fields"]
    }
    assert fields["cumplimiento"]["type"] == "number"
    assert fields["cumplimiento"]["unit"] == "puntos porcentuales (%)"
    assert "promedio ponderado" in fields["cumplimiento"]["description"]
    assert fields["corte"]["type"] == "date"


def test_the_csv_files_have_the_documented_columns_and_the_seed_figures(client, demo):
    for table in TABLES:
        content = download(client, table.filename)
        header = next(csv.reader(io.StringIO(content.decode("utf-8"))))
        assert tuple(header) == table.names
        assert b"\r\n" in content

    objectives = {r["objetivo"]: r for r in read_csv(download(client, "objetivos.csv"))}
    assert list(objectives) == [f"O{n}" for n in range(1, 9)]
    assert Decimal(objectives["O4"]["cumplimiento"]) == pytest.approx(
        Decimal("183.333333333333"), abs=Decimal("1e-9")
    )
    assert objectives["O4"]["cumplimiento"].startswith("183.33")  # a decimal point
    assert objectives["O6"]["cumplimiento"].startswith("98.48")
    assert objectives["O2"]["cumplimiento"] == "100"
    assert objectives["O1"]["cumplimiento"] == ""
    assert objectives["O1"]["nota"] == "Sin programación al corte"
    assert objectives["O2"]["avance_cuatrienio"] == "60.67"
    assert objectives["O4"]["edicion"] == "1" and objectives["O4"]["corte"] == "2026-03-31"

    indicators = {r["indicador"]: r for r in read_csv(download(client, "indicadores.csv"))}
    assert len(indicators) == 17
    over = indicators["4075"]
    assert over["estado"] == "sobreejecutada"
    assert Decimal(over["avance_corte"]) == pytest.approx(Decimal(800) / 3, abs=Decimal("1e-9"))
    assert over["programado_corte"] == "3" and over["ejecutado_corte"] == "8"
    assert over["objetivo"] == "O4" and over["meta"] == "223-2153"
    assert indicators["4244"]["avance_cuatrienio"] == "61"
    assert (
        indicators["4231"]["estado"] == "no_programada" and indicators["4231"]["avance_corte"] == ""
    )

    (plan,) = read_csv(download(client, "plan.csv"))
    assert plan["plan"] == SEED and plan["corte"] == "2026-03-31" and plan["edicion"] == "1"
    assert Decimal(plan["cumplimiento"]) == pytest.approx(
        Decimal("105.974025974"), abs=Decimal("1e-9")
    )
    assert plan["publicado_el"].endswith("Z")


def test_the_same_tables_as_json_xlsx_and_zip(client, demo):
    document = json.loads(download(client, "datos.json"))
    assert document["plan"] == SEED and document["edicion"] == 1
    o4 = next(r for r in document["tablas"]["objetivos"] if r["objetivo"] == "O4")
    assert o4["cumplimiento"] == pytest.approx(183.333333333333)
    assert (
        next(r for r in document["tablas"]["objetivos"] if r["objetivo"] == "O1")["cumplimiento"]
        is None
    )
    assert len(document["tablas"]["indicadores"]) == 17
    assert set(document["tablas"]["indicadores"][0]) == set(INDICATORS_TABLE.names)

    book = load_workbook(io.BytesIO(download(client, "datos.xlsx")))
    assert book.sheetnames == ["acerca", "plan", "objetivos", "indicadores", "diccionario"]
    sheet = book["objetivos"]
    assert tuple(c.value for c in sheet[1]) == OBJECTIVES_TABLE.names
    rows = {r[4]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["O4"][6] == pytest.approx(183.333333333333)
    assert rows["O1"][6] is None
    dictionary = list(book["diccionario"].iter_rows(min_row=2, values_only=True))
    assert len(dictionary) == sum(len(t.columns) for t in TABLES)

    archive = zipfile.ZipFile(io.BytesIO(download(client, "datos.zip")))
    assert sorted(archive.namelist()) == sorted(
        [
            "plan.csv",
            "objetivos.csv",
            "indicadores.csv",
            "datos.xlsx",
            "datos.json",
            "datapackage.json",
        ]
    )
    assert archive.read("objetivos.csv") == download(client, "objetivos.csv")


def test_formula_looking_text_is_exact_in_the_csv_and_inert_in_the_xlsx(client, demo):
    formula = '=HYPERLINK("http://example.com","clic")'
    cut = Cut.objects.get(plan__code=SEED, date=date(2026, 3, 31))
    start_correction(cut=cut, actor=None, reason="Análisis corregido")
    ProgressReport.objects.filter(cut=cut, indicator__code="4075").update(analysis=formula)
    publish_cut(cut=cut, actor_label="test")
    ed2 = BASE[:-1] + "2"
    rows = {r["indicador"]: r for r in read_csv(download(client, "indicadores.csv", ed2))}
    assert rows["4075"]["analisis"] == formula  # the CSV stays exact
    sheet = load_workbook(io.BytesIO(download(client, "datos.xlsx", ed2)))["indicadores"]
    column = INDICATORS_TABLE.names.index("analisis") + 1
    cell = next(
        sheet.cell(r, column)
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(r, INDICATORS_TABLE.names.index("indicador") + 1).value == "4075"
    )
    assert cell.value == formula
    assert cell.data_type == "s"  # a string, never a formula
    assert cell.quotePrefix is True


def test_the_files_of_an_edition_are_the_series_published_up_to_it(client, demo):
    plan = Plan.objects.get(code=SEED)
    june = Cut.objects.create(plan=plan, date=date(2026, 6, 30))
    publish_cut(cut=june, actor_label="test")
    rows = read_csv(download(client, "plan.csv", f"/datos/{SEED}/2026-06-30/ed1"))
    assert [r["corte"] for r in rows] == ["2026-03-31", "2026-06-30"]
    objectives = read_csv(download(client, "objetivos.csv", f"/datos/{SEED}/2026-06-30/ed1"))
    assert len(objectives) == 16
    # the March edition does not change when a later cut is published ...
    assert [r["corte"] for r in read_csv(download(client, "plan.csv"))] == ["2026-03-31"]
    # ... nor when an earlier cut is published after it
    december = Cut.objects.create(plan=plan, date=date(2025, 12, 31))
    publish_cut(cut=december, actor_label="test")
    assert [r["corte"] for r in read_csv(download(client, "plan.csv"))] == ["2026-03-31"]
    series = read_csv(download(client, "plan.csv", f"/datos/{SEED}/2025-12-31/ed1"))
    assert [r["corte"] for r in series] == ["2025-12-31"]


def test_only_published_editions_have_files(client, demo):
    plan = Plan.objects.get(code=SEED)
    Cut.objects.create(plan=plan, date=date(2026, 6, 30))
    assert client.get(f"/datos/{SEED}/2026-06-30/ed1/plan.csv").status_code == 404
    assert client.get(f"{BASE[:-1]}2/plan.csv").status_code == 404  # no edition 2 yet
    assert client.get(f"{BASE}/otro.csv").status_code == 404
    assert client.get("/datos/NO-EXISTE/2026-03-31/ed1/plan.csv").status_code == 404
    assert client.get(f"/datos/{SEED}/2026-02-30/ed1/plan.csv").status_code == 404


def test_csv_downloads_are_attachments_and_json_is_inline(client, demo):
    csv_response = client.get(f"{BASE}/indicadores.csv")
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        csv_response["Content-Disposition"]
        == f'attachment; filename="{SEED}_2026-03-31_ed1_indicadores.csv"'
    )
    package = client.get(f"{BASE}/datapackage.json")
    assert package["Content-Type"] == "application/json"
    assert "Content-Disposition" not in package


def test_an_invalid_package_is_never_published(demo, monkeypatch):
    broken = replace(
        OBJECTIVES_TABLE,
        columns=tuple(
            Column(c.name, "integer", c.description) if c.name == "cumplimiento" else c
            for c in OBJECTIVES_TABLE.columns
        ),
    )
    monkeypatch.setattr(build, "TABLES", (PLAN_TABLE, broken, INDICATORS_TABLE))
    data = build_open_data(plan_code=SEED, cut_date=date(2026, 3, 31))
    with pytest.raises(OpenDataInvalid, match="cumplimiento"):
        render_files(data)


def test_the_page_lists_the_files_and_what_each_column_means(client, demo):
    response = client.get("/datos/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="skip-link"' in html  # the site's base page
    for name in (
        "plan.csv",
        "objetivos.csv",
        "indicadores.csv",
        "datos.xlsx",
        "datos.json",
        "datapackage.json",
        "datos.zip",
    ):
        assert f'href="{BASE}/{name}"' in html
    for table in TABLES:
        for column in table.columns:
            assert f"<code>{column.name}</code>" in html
    assert "CC-BY-4.0" in html and "Ley 1712 de 2014" in html
    assert "UTF-8 sin BOM" in html and 'href="/api/docs"' in html
    assert '<caption id="dict-objetivos">' in html and 'scope="col"' in html
    assert f'href="/datos/{SEED}/"' in html


def test_a_plans_page_lists_each_published_edition_and_hostile_names_stay_text(client, demo):
    Plan.objects.filter(code=SEED).update(name='<script>alert("x")</script> & «Plan»')
    html = client.get(f"/datos/{SEED}/").content.decode()
    assert f'href="{BASE}/datos.zip"' in html and "31 de marzo de 2026" in html
    # each link says which file of which cut and edition (the same words on every row)
    assert f'aria-label="datos.zip del corte 31 de marzo de 2026, edición 1 ({SEED})"' in html
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    index = client.get("/datos/").content.decode()
    assert "<script>alert" not in index and "&lt;script&gt;alert" in index
    assert client.get("/datos/NO-EXISTE/").status_code == 404


def test_the_command_writes_the_same_files(client, demo, tmp_path: Path):
    out = io.StringIO()
    call_command(
        "opendata",
        "--plan",
        SEED,
        "--corte",
        "2026-03-31",
        "-o",
        str(tmp_path / "datos"),
        stdout=out,
    )
    folder = tmp_path / "datos"
    assert sorted(p.name for p in folder.iterdir()) == sorted(build.FILES)
    for name in ("plan.csv", "objetivos.csv", "indicadores.csv", "datapackage.json", "datos.json"):
        assert (folder / name).read_bytes() == download(client, name)
    assert frictionless.validate(str(folder / "datapackage.json")).valid
    assert "escritos en" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--plan", "NO", "--corte", "2026-03-31"),
            "El plan «NO» no tiene un corte el 2026-03-31.",
        ),
        (("--plan", SEED, "--corte", "31/03/2026"), "se esperaba una fecha AAAA-MM-DD"),
        (("--plan", SEED, "--corte", "2026-06-30"), "no tiene un corte"),
    ],
)
def test_the_command_refuses_bad_input_with_exit_2(demo, tmp_path, args, message):
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("opendata", *args, "-o", str(tmp_path), stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 2
    assert message in err.getvalue()


def test_the_command_refuses_an_unpublished_cut_and_a_file_as_output(demo, tmp_path):
    Cut.objects.create(plan=Plan.objects.get(code=SEED), date=date(2026, 6, 30))
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command(
            "opendata", "--plan", SEED, "--corte", "2026-06-30", "-o", str(tmp_path), stderr=err
        )
    assert "no está publicado" in err.getvalue()
    target = tmp_path / "archivo.txt"
    target.write_text("x")
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command(
            "opendata", "--plan", SEED, "--corte", "2026-03-31", "-o", str(target), stderr=err
        )
    assert "no es una carpeta" in err.getvalue()
