"""Fuzzed import files (issue 9): whatever arrives — a damaged template, random sheets and cells,
odd CSV encodings, truncated or corrupted zip bytes, random bytes, a zip bomb, a huge sheet —
the reader, ``cascada import`` and the web upload never give a traceback or a 500. They either
import it or answer with located Spanish messages, and then the database is exactly as before.

Bounded: a few dozen examples per property, the whole module well under a minute.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import itertools
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from cascada.accounts.models import Membership, Role
from cascada.imports import sources
from cascada.imports.issues import TemplateError
from cascada.imports.services import import_workbook
from cascada.imports.template_v1 import PlanWorkbook, read_template
from cascada.plans.models import Plan
from tests.workbooks import Rows, small_plan, write_workbook

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FEW = settings(FUZZ, max_examples=25)

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("http://x","y")',
    "@SUM(A1)",
    "+1",
    "-1+1",
    "\u202eabc",
    "👩‍👩‍👧‍👦 🇨🇴",
    "Nombre\x00con nulo",
    "tab\tnueva\nlínea\x01\x1f\x7f",
    "\ufffe\uffff",
    "x" * 5000,
    "1.234,5",
    "60,67%",
    "2026-02-30",
    "&lt;p&gt;",
]
SHEET_NAMES = [*small_plan().keys(), "Plan", " avances ", "hoja1", "objetivos (2)"]


def xml_safe(text: str) -> str:
    """What openpyxl can write into an .xlsx (XML has no place for most control characters)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text).replace("\ufffe", "").replace("\uffff", "")


cells = st.one_of(
    st.none(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1)),
    st.datetimes(min_value=datetime(1900, 3, 1)),
    st.text(max_size=40),
    st.sampled_from(HOSTILE),
    st.sampled_from(["S", "C", "D", "M1", "M2", "A", "B", "PM-2024", "suma", "2026-06-30"]),
)


@st.composite
def mutated_sheets(draw: st.DrawFn) -> dict[str, Rows]:
    """The small valid plan with a few sheets dropped or renamed, columns removed or added and
    cells replaced by anything."""
    sheets: dict[str, Rows] = {}
    for name, rows in small_plan().items():
        action = draw(st.sampled_from(["keep"] * 6 + ["drop", "rename"]))
        if action == "drop":
            continue
        if action == "rename":
            name = draw(st.sampled_from(SHEET_NAMES) | st.text(min_size=1, max_size=31))
        sheets[name] = [list(row) for row in rows]
    for _ in range(draw(st.integers(0, 3))):  # extra sheets, maybe a second one of a name
        sheets[draw(st.text(min_size=1, max_size=31))] = [[draw(cells) for _ in range(3)]]
    if not sheets:
        return sheets
    names = sorted(sheets)
    for _ in range(draw(st.integers(0, 3))):  # a column removed or added (header included)
        rows = sheets[draw(st.sampled_from(names))]
        column = draw(st.integers(0, 7))
        if draw(st.booleans()):
            for row in rows:
                if column < len(row):
                    del row[column]
        else:
            for row in rows:
                row.insert(min(column, len(row)), draw(cells))
    for _ in range(draw(st.integers(0, 8))):  # cells replaced, rows added
        rows = sheets[draw(st.sampled_from(names))]
        r = draw(st.integers(0, len(rows)))
        if r == len(rows):
            rows.append([])
        c = draw(st.integers(0, 8))
        row = rows[r]
        row.extend([None] * (c + 1 - len(row)))
        row[c] = draw(cells)
    return sheets


def valid_title(name: str) -> bool:
    return (
        0 < len(name) <= 31
        and not any(ch in name for ch in "[]:*?/\\")
        and xml_safe(name) == name
        and name.strip("'") == name
    )


def xml_cells(sheets: dict[str, Rows]) -> dict[str, Rows]:
    """The same sheets with what XML cannot hold taken out (the CSV path gets it all)."""
    return {
        name: [[xml_safe(v) if isinstance(v, str) else v for v in row] for row in rows]
        for name, rows in sheets.items()
        if valid_title(name)
    }


def csv_bytes(rows: Rows, *, encoding: str, delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else str(v) for v in row])
    return codecs.encode(out.getvalue(), encoding, errors="replace")


ENCODINGS = [
    "utf-8",
    "utf-8",
    "utf-8",
    "utf-8-sig",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-32",
    "latin-1",
    "cp1252",
]

_names = itertools.count()


def fresh(folder: Path, suffix: str) -> Path:
    return folder / f"f{next(_names)}{suffix}"


@st.composite
def csv_zips(draw: st.DrawFn) -> bytes:
    sheets = draw(mutated_sheets())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, rows in sheets.items():
            encoding = draw(st.sampled_from(ENCODINGS))
            delimiter = draw(st.sampled_from([",", ";", "\t"]))
            # A zip member's name ends at a NUL (zipfile cuts it there and fails on an empty
            # name), so no real archive holds one: the sheet name keeps what comes before it.
            member = name.split("\x00")[0] or "hoja"
            if f"{member}.csv" in archive.namelist():
                continue
            archive.writestr(
                f"{member}.csv", csv_bytes(rows, encoding=encoding, delimiter=delimiter)
            )
    return out.getvalue()


@functools.cache
def valid_xlsx_bytes() -> bytes:
    """Made once: a rebuilt workbook has a new timestamp, and hypothesis needs the same bytes
    each time it replays an example."""
    with tempfile.TemporaryDirectory() as folder:
        return write_workbook(Path(folder) / "valido.xlsx", small_plan()).read_bytes()


@st.composite
def damaged(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` truncated, with bytes overwritten, or replaced by random bytes."""
    kind = draw(st.sampled_from(["truncate", "flip", "random", "zip-header"]))
    if kind == "truncate":
        return original[: draw(st.integers(0, len(original) - 1))]
    if kind == "flip":
        data = bytearray(original)
        for _ in range(draw(st.integers(1, 20))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    noise = draw(st.binary(max_size=2000))
    return (b"PK\x03\x04" + noise) if kind == "zip-header" else noise


def read_outcome(path: Path) -> PlanWorkbook | TemplateError:
    """The workbook, or the error whose every issue is a located Spanish message; anything else
    (a traceback) fails the test."""
    try:
        return read_template(path)
    except TemplateError as error:
        failure = error
    assert failure.issues
    for issue in failure.issues:
        message = issue.message
        assert message.startswith(("Hoja '", "Archivo")), message
        assert "se esperaba" in message and issue.expected, message
    return failure


def xlsx_from(folder: Path, sheets: dict[str, Rows]) -> Path:
    return write_workbook(fresh(folder, ".xlsx"), xml_cells(sheets))


# ---------------------------------------------------------------------------------------------
# The reader


@FUZZ
@given(sheets=mutated_sheets())
def test_reader_on_mutated_workbooks(tmp_path, sheets):
    read_outcome(xlsx_from(tmp_path, sheets))


@FUZZ
@given(data=csv_zips())
def test_reader_on_csv_zips_in_odd_encodings(tmp_path, data):
    path = fresh(tmp_path, ".zip")
    path.write_bytes(data)
    read_outcome(path)


@FUZZ
@given(data=st.data(), suffix=st.sampled_from([".xlsx", ".zip", ".xls", ".csv", ""]))
def test_reader_on_damaged_and_random_bytes(tmp_path, data, suffix):
    original = valid_xlsx_bytes()
    path = fresh(tmp_path, suffix)
    path.write_bytes(data.draw(damaged(original)))
    read_outcome(path)


def test_the_valid_plan_reads_so_the_mutations_start_from_a_good_file(tmp_path):
    assert isinstance(read_outcome(xlsx_from(tmp_path, small_plan())), PlanWorkbook)


# ---------------------------------------------------------------------------------------------
# Limits: zip bombs and huge sheets


def zip_bomb(path: Path, *, unpacked: int, as_workbook: bool) -> Path:
    """A small archive that unpacks to ``unpacked`` bytes of zeros."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if as_workbook:
            archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml" if as_workbook else "avances.csv", "w") as f:
            chunk = b"0" * (1 << 20)
            for _ in range(unpacked // len(chunk)):
                f.write(chunk)
    return path


@pytest.mark.parametrize("as_workbook", [True, False], ids=["xlsx", "csv-zip"])
def test_a_zip_bomb_is_refused_from_its_directory(tmp_path, monkeypatch, as_workbook):
    monkeypatch.setattr(sources, "MAX_UNPACKED_BYTES", 8 * 1024 * 1024)
    path = zip_bomb(tmp_path / "bomba.xlsx", unpacked=16 * 1024 * 1024, as_workbook=as_workbook)
    assert path.stat().st_size < 100_000
    error = read_outcome(path)
    assert isinstance(error, TemplateError) and len(error.issues) == 1
    message = error.issues[0].message
    assert message.startswith("Archivo: se encontró 'bomba.xlsx'; se esperaba un archivo que")
    assert "descomprimido ocupe como máximo 8 MB en 10.000 archivos (este ocupa 16 MB" in message


def test_too_many_members_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "MAX_MEMBERS", 50)
    path = tmp_path / "muchos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for n in range(51):
            archive.writestr(f"otro{n}.txt", "")
    error = read_outcome(path)
    assert isinstance(error, TemplateError)
    assert "como máximo 256 MB en 50 archivos (este ocupa 0 MB en 51 archivos" in str(error)


def test_the_default_limits_fit_a_district_plan():
    # DESIGN §7: ~240.000 progress rows for a whole district; one plan's sheet stays below.
    assert sources.MAX_ROWS >= 240_000
    assert sources.MAX_UNPACKED_BYTES >= 200 * 1024 * 1024


def huge_avances(rows: int) -> dict[str, Rows]:
    sheets = small_plan()
    header = sheets["avances"][0]
    sheets["avances"] = [header] + [
        ["S", f"{2024 + n % 4}-{1 + n // 4 % 12:02d}-28", n, n, f"fila {n}"] for n in range(rows)
    ]
    return sheets


def test_a_sheet_of_200000_rows_is_read_to_a_clear_answer(tmp_path):
    """200.000 rows (CSV, the quick way to make them): read in seconds, with a located message
    for each repeated row; nothing hangs."""
    path = tmp_path / "grande.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, rows in huge_avances(200_000).items():
            archive.writestr(f"{name}.csv", csv_bytes(rows, encoding="utf-8", delimiter=","))
    error = read_outcome(path)
    assert isinstance(error, TemplateError)
    assert error.issues[0].message.startswith("Hoja 'avances', fila ")


def test_more_rows_than_the_limit_are_refused_with_the_sheet_named(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "MAX_ROWS", 1000)
    error = read_outcome(write_workbook(tmp_path / "filas.xlsx", huge_avances(1001)))
    assert isinstance(error, TemplateError)
    assert [i.message for i in error.issues] == [
        "Hoja 'avances': se esperaba como máximo 1.000 filas con datos por hoja."
    ]
    assert isinstance(
        read_outcome(write_workbook(tmp_path / "ok.xlsx", huge_avances(999))),
        TemplateError | PlanWorkbook,
    )


def test_a_sheet_that_claims_a_million_rows_is_read_quickly(tmp_path):
    """One cell at the last row Excel has: the gap is not walked row by row into memory."""
    from openpyxl import load_workbook

    path = write_workbook(tmp_path / "lejos.xlsx", small_plan())
    book = load_workbook(path)
    book["avances"].cell(row=1_048_576, column=1, value="S")
    book.save(path)
    error = read_outcome(path)
    assert isinstance(error, TemplateError)
    assert error.issues[0].message.startswith("Hoja 'avances', fila 1048576")


# ---------------------------------------------------------------------------------------------
# cascada import and the web upload: the database is unchanged on failure


def database_state() -> dict[str, list[str]]:
    state = {}
    for app in ("plans", "tracking", "accounts", "auth", "api", "reports"):
        for model in apps.get_app_config(app).get_models():
            state[model._meta.label] = sorted(map(repr, model._default_manager.values_list()))
    return state


@st.composite
def any_file(draw: st.DrawFn, folder: Path) -> tuple[bytes, str]:
    kind = draw(st.sampled_from(["xlsx", "xlsx", "csv-zip", "damaged"]))
    if kind == "xlsx":
        return xlsx_from(folder, draw(mutated_sheets())).read_bytes(), ".xlsx"
    if kind == "csv-zip":
        return draw(csv_zips()), ".zip"
    return draw(damaged(valid_xlsx_bytes())), draw(st.sampled_from([".xlsx", ".zip"]))


@pytest.fixture
def small_plan_loaded(db, tmp_path):
    import_workbook(workbook=read_template(xlsx_from(tmp_path, small_plan())), actor_label="test")


@pytest.mark.django_db
@FEW
@given(data=st.data())
def test_cascada_import_imports_or_refuses_and_changes_nothing(tmp_path, small_plan_loaded, data):
    content, suffix = data.draw(any_file(tmp_path))
    path = fresh(tmp_path, suffix)
    path.write_bytes(content)
    before = database_state()
    out, err = io.StringIO(), io.StringIO()
    code: object = 0
    try:
        call_command("import", str(path), stdout=out, stderr=err)
    except SystemExit as exit:
        code = exit.code
    if code:
        assert code == 2
        lines = err.getvalue().splitlines()
        assert lines[-1] == "No se importó nada: la base de datos quedó como estaba."
        assert len(lines) >= 2 and all(line.strip() for line in lines)
        assert database_state() == before
    else:
        assert err.getvalue() == ""


@pytest.fixture
def administrator(client, settings, tmp_path, small_plan_loaded):
    settings.DATA_DIR = tmp_path / "data"
    user = get_user_model().objects.create_user("oficina", password="x")
    Membership.objects.create(
        user=user, plan=Plan.objects.get(code="PM-2024"), role=Role.ADMINISTRADOR
    )
    client.force_login(user)
    return client


@pytest.mark.django_db
@FEW
@given(data=st.data())
def test_the_web_upload_imports_or_refuses_and_changes_nothing(tmp_path, administrator, data):
    content, suffix = data.draw(any_file(tmp_path))
    before = database_state()
    # The test client raises any exception of a view: a traceback fails here.
    preview = administrator.post(
        "/importar/", {"archivo": SimpleUploadedFile(f"fuzz{suffix}", content)}, follow=True
    )
    assert preview.status_code in (200, 403), preview.status_code
    html = preview.content.decode()
    if 'action="/importar/confirmar/"' not in html:
        assert database_state() == before
        return
    field = html.split('name="archivo" value="', 1)[1].split('"', 1)[0]
    result = administrator.post("/importar/confirmar/", {"archivo": field}, follow=True)
    assert result.status_code == 200
    if "/importar/resultado/" not in [url for url, _ in result.redirect_chain]:
        assert database_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("character", ["\x00", "\x01", "\x1b", "\x7f", "\uffff"])
def test_control_characters_in_a_csv_cell_are_refused_where_they_are(tmp_path, character):
    """PostgreSQL cannot store NUL and no .xlsx or .pptx can hold the others: refused at the
    cell, never a failure later in a report."""
    sheets = small_plan()
    sheets["objetivos"][1][1] = f"Segundo{character}objetivo"
    path = tmp_path / "control.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, rows in sheets.items():
            archive.writestr(f"{name}.csv", csv_bytes(rows, encoding="utf-8", delimiter=","))
    error = read_outcome(path)
    assert isinstance(error, TemplateError)
    assert [i.message for i in error.issues] == [
        "Hoja 'objetivos', fila 2, columna 'nombre': se encontró 'Segundo\ufffdobjetivo'; se "
        "esperaba un texto sin caracteres de control (se muestran como \ufffd; suelen venir de "
        "copiar y pegar desde otro sistema)."
    ]
    before = database_state()
    with pytest.raises(SystemExit):
        call_command("import", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert database_state() == before
