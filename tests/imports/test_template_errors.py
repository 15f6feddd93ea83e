"""Template v1 errors (DESIGN §4): all-or-nothing, every error located by sheet, row, column and
value, all of them reported at once, never a traceback."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

from cascada.imports.issues import TemplateError, TemplateIssue
from cascada.imports.template_v1 import read_template
from tests.imports.books import (
    Sheets,
    errors_of,
    located,
    valid_sheets,
    write_csv_folder,
    write_csv_zip,
    write_xlsx,
)


def issues(
    tmp_path: Path, sheets: Sheets
) -> list[tuple[str | None, int | None, str | None, str | None]]:
    return located(errors_of(write_xlsx(tmp_path / "p.xlsx", sheets)))


def only_issue(tmp_path: Path, sheets: Sheets) -> TemplateIssue:
    error = errors_of(write_xlsx(tmp_path / "p.xlsx", sheets))
    assert len(error.issues) == 1, error
    return error.issues[0]


# --- the message -------------------------------------------------------------------------------


def test_message_format() -> None:
    issue = TemplateIssue(
        "avances", 7, "ejecutado_corte", "abc", "un número (p. ej. 1.234,5 o 0,18)"
    )
    assert issue.message == (
        "Hoja 'avances', fila 7, columna 'ejecutado_corte': se encontró 'abc'; "
        "se esperaba un número (p. ej. 1.234,5 o 0,18)."
    )


def test_message_for_blank_cell_sheet_and_file() -> None:
    assert TemplateIssue("metas", 3, "nombre", "", "un valor (dato obligatorio)").message == (
        "Hoja 'metas', fila 3, columna 'nombre': se encontró una celda vacía; "
        "se esperaba un valor (dato obligatorio)."
    )
    assert TemplateIssue("metas", None, None, None, "la hoja obligatoria 'metas'").message == (
        "Hoja 'metas': se esperaba la hoja obligatoria 'metas'."
    )
    assert TemplateIssue(None, None, None, "x.txt", "un libro .xlsx").message == (
        "Archivo: se encontró 'x.txt'; se esperaba un libro .xlsx."
    )


def test_message_shortens_long_values_to_one_line() -> None:
    message = TemplateIssue("avances", 2, "corte", "línea\n" * 40, "una fecha").message
    assert "\n" not in message
    assert "…" in message
    assert len(message) < 160


def test_error_text_lists_every_message() -> None:
    first = TemplateIssue("plan", 2, "valor", "", "x")
    second = TemplateIssue("metas", 3, "tipo", "y", "z")
    assert str(TemplateError([first, second])) == f"{first.message}\n{second.message}"


# --- structure -----------------------------------------------------------------------------------


def test_missing_required_sheet(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["Metas"] = sheets.pop("metas")  # not the exact name
    error = errors_of(write_xlsx(tmp_path / "p.xlsx", sheets))
    # one error: references to the missing sheet are not checked, row by row
    assert located(error) == [("metas", None, None, None)]
    assert "la hoja obligatoria 'metas'" in error.issues[0].message


def test_missing_required_column_names_it_and_quotes_the_near_miss(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["metas"][0][2] = "Tipo"
    error = errors_of(write_xlsx(tmp_path / "p.xlsx", sheets))
    assert located(error) == [("metas", 1, "tipo", "Tipo")]
    assert "la columna obligatoria 'tipo'" in error.issues[0].expected


def test_missing_code_column_is_reported_once(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["objetivos"][0][0] = "id"
    assert issues(tmp_path, sheets) == [("objetivos", 1, "codigo", None)]


def test_other_cells_of_a_sheet_missing_a_column_are_still_checked(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["indicadores"][0][4] = "anualizacion"
    sheets["indicadores"][2][5] = "mucho"
    assert issues(tmp_path, sheets) == [
        ("indicadores", 1, "tipo_anualizacion", None),
        ("indicadores", 3, "linea_base", "mucho"),
    ]


def test_repeated_header_column(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["objetivos"][0].append("nombre")
    for row in sheets["objetivos"][1:]:
        row.append("otro")
    assert issues(tmp_path, sheets) == [("objetivos", 1, "nombre", "nombre")]


def test_header_spelling_is_not_tolerated(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["avances"][0][1] = "Corte"
    assert issues(tmp_path, sheets) == [("avances", 1, "corte", "Corte")]


def test_plan_sheet_without_its_two_columns(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["plan"][0] = ["campo", "dato"]
    assert issues(tmp_path, sheets) == [("plan", 1, "valor", None)]


# --- cells ---------------------------------------------------------------------------------------


def test_required_cell_missing(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["metas"][2][3] = "  "
    issue = only_issue(tmp_path, sheets)
    assert (issue.sheet, issue.row, issue.column, issue.value) == ("metas", 3, "nombre", "")


def test_bad_number(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["avances"][6 - 1 - 1][3] = "abc"  # row 5
    issue = only_issue(tmp_path, sheets)
    assert issue.message == (
        "Hoja 'avances', fila 5, columna 'ejecutado_corte': se encontró 'abc'; "
        "se esperaba un número (p. ej. 1.234,5 o 0,18)."
    )


@pytest.mark.parametrize("value", ["2026,5", "dos mil", 2026.5, "20.26"])
def test_vigencia_must_be_an_integer(tmp_path: Path, value: object) -> None:
    sheets = valid_sheets()
    sheets["programacion_anual"][1][1] = value
    issue = only_issue(tmp_path, sheets)
    assert (issue.sheet, issue.row, issue.column) == ("programacion_anual", 2, "vigencia")
    assert "entero" in issue.expected


def test_vigencia_outside_the_plan(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["programacion_anual"][1][1] = 2028
    issue = only_issue(tmp_path, sheets)
    assert (issue.sheet, issue.row, issue.column, issue.value) == (
        "programacion_anual",
        2,
        "vigencia",
        "2028",
    )
    assert issue.expected == "un año entre 2024 y 2027 (vigencias del plan)"


def test_first_vigencia_after_last(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["plan"][6][1] = 2028
    sheets["plan"][7][1] = 2027
    # reported once at the plan; years of other sheets are then not checked against it
    assert issues(tmp_path, sheets) == [("plan", 8, "valor", "2027")]


def test_orden_must_be_an_integer(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["objetivos"][2][2] = "1,5"
    assert issues(tmp_path, sheets) == [("objetivos", 3, "orden", "1,5")]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("31/03/2026", "31/03/2026"),
        ("2026-02-30", "2026-02-30"),
        ("20260331", "20260331"),
        ("2026-03-31T10:00", "2026-03-31T10:00"),
        (datetime(2026, 3, 31, 10, 30), "2026-03-31 10:30:00"),
        (46112, "46112"),
    ],
)
def test_corte_must_be_an_iso_date(tmp_path: Path, value: object, shown: str) -> None:
    sheets = valid_sheets()
    sheets["avances"][1][1] = value
    issue = only_issue(tmp_path, sheets)
    assert (issue.sheet, issue.row, issue.column, issue.value) == ("avances", 2, "corte", shown)
    assert issue.expected == "una fecha AAAA-MM-DD (p. ej. 2026-03-31)"


def test_corte_outside_the_plan(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["avances"][1][1] = date(2028, 3, 31)
    assert issues(tmp_path, sheets) == [("avances", 2, "corte", "2028-03-31")]


def test_code_turned_into_a_date_by_excel(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["metas"][3][0] = datetime(2057, 1, 27)
    issue, reference = errors_of(write_xlsx(tmp_path / "p.xlsx", sheets)).issues
    assert reference.value == "127-2057"  # the indicator pointing to it has nothing to point to
    assert (issue.sheet, issue.row, issue.column, issue.value) == (
        "metas",
        4,
        "codigo",
        "2057-01-27",
    )
    assert "fecha" in issue.expected


def test_bad_goal_kind(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["metas"][1][2] = "misional"
    issue = only_issue(tmp_path, sheets)
    assert (issue.sheet, issue.row, issue.column, issue.value) == ("metas", 2, "tipo", "misional")
    assert issue.expected == "sectorial, estrategica, proyecto_inversion o actividad"


def test_bad_accumulation(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["indicadores"][1][4] = "acumulado"
    assert issues(tmp_path, sheets) == [("indicadores", 2, "tipo_anualizacion", "acumulado")]


def test_bad_weight_level(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["ponderaciones"][1][0] = "meta"
    assert issues(tmp_path, sheets) == [("ponderaciones", 2, "nivel", "meta")]


# --- codes and references ------------------------------------------------------------------------


def test_duplicate_code_is_reported_on_the_later_row_naming_the_first(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["metas"].append(["M1", "O2", "sectorial", "Otra meta", None])
    issue = only_issue(tmp_path, sheets)
    assert (issue.sheet, issue.row, issue.column, issue.value) == ("metas", 6, "codigo", "M1")
    assert issue.expected == "un código que no se repita (ya está en la fila 2)"


@pytest.mark.parametrize(
    ("sheet", "row", "column", "index", "what"),
    [
        ("metas", 2, "objetivo", 1, "un objetivo de la hoja 'objetivos'"),
        ("indicadores", 2, "meta", 1, "una meta de la hoja 'metas'"),
        ("programacion_anual", 2, "indicador", 0, "un indicador de la hoja 'indicadores'"),
        ("avances", 2, "indicador", 0, "un indicador de la hoja 'indicadores'"),
    ],
)
def test_references_must_resolve(
    tmp_path: Path, sheet: str, row: int, column: str, index: int, what: str
) -> None:
    sheets = valid_sheets()
    sheets[sheet][row - 1][index] = "NO-EXISTE"
    found = issues(tmp_path, sheets)
    assert found[0] == (sheet, row, column, "NO-EXISTE")
    assert errors_of(tmp_path / "p.xlsx").issues[0].expected == f"el código de {what}"


def test_reference_differing_in_case_suggests_the_code(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["metas"][1][1] = "o1"
    issue = only_issue(tmp_path, sheets)
    assert issue.expected == "el código de un objetivo de la hoja 'objetivos' (¿quiso decir 'O1'?)"


def test_weight_codes_resolve_by_level(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["ponderaciones"][1][1] = "O1"  # an objective code on an indicator row
    sheets["ponderaciones"][6][1] = "I1"  # an indicator code on an objective row
    assert issues(tmp_path, sheets) == [
        ("ponderaciones", 2, "codigo", "O1"),
        ("ponderaciones", 7, "codigo", "I1"),
    ]


def test_duplicate_annual_target(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["programacion_anual"].append(["I1", 2026, 12, None])
    issue = only_issue(tmp_path, sheets)
    assert (issue.sheet, issue.row, issue.column, issue.value) == (
        "programacion_anual",
        9,
        "vigencia",
        "2026",
    )
    assert "fila 2" in issue.expected


def test_duplicate_progress_row(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["avances"].append(["I1", date(2026, 3, 31), 1, 1, None])  # same cut as row 2, as a date
    issue = only_issue(tmp_path, sheets)
    assert (issue.sheet, issue.row, issue.column, issue.value) == (
        "avances",
        6,
        "corte",
        "2026-03-31",
    )
    assert "fila 2" in issue.expected


def test_duplicate_weight(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["ponderaciones"].append(["indicador", "I1", 2026, 60])
    assert issues(tmp_path, sheets)[0] == ("ponderaciones", 10, "codigo", "I1")


# --- plan sheet ----------------------------------------------------------------------------------


def test_missing_required_plan_campo(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["plan"] = [r for r in sheets["plan"] if r[0] != "sector"]
    issue = only_issue(tmp_path, sheets)
    assert (issue.sheet, issue.row, issue.column, issue.value) == ("plan", None, "campo", None)
    assert "'sector'" in issue.expected


def test_blank_required_plan_value(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["plan"][1][1] = None
    issue = only_issue(tmp_path, sheets)
    assert (issue.sheet, issue.row, issue.column, issue.value) == ("plan", 2, "valor", "")
    assert issue.expected == "el valor del campo obligatorio 'codigo'"


def test_duplicate_plan_campo(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["plan"].append(["nombre", "Otro nombre"])
    issue = only_issue(tmp_path, sheets)
    assert (issue.sheet, issue.row, issue.column, issue.value) == ("plan", 16, "campo", "nombre")
    assert "fila 3" in issue.expected


def test_value_without_campo(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["plan"].append([None, "huérfano"])
    assert issues(tmp_path, sheets) == [("plan", 16, "campo", "")]


@pytest.mark.parametrize(("row", "value"), [(13, "90"), (14, "99,99"), (13, "-1")])
def test_cap_and_threshold_are_at_least_100(tmp_path: Path, row: int, value: str) -> None:
    sheets = valid_sheets()
    sheets["plan"][row - 1][1] = value
    issue = only_issue(tmp_path, sheets)
    assert (issue.sheet, issue.row, issue.column) == ("plan", row, "valor")
    assert issue.expected == "un número mayor o igual a 100 o vacío"


# --- baselines and weights -------------------------------------------------------------------------


def test_decreciente_requires_a_baseline(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["indicadores"][2][5] = None  # I4, decreciente: no linea_base ...
    sheets["programacion_anual"].append(["I4", 2027, 20, None])  # ... and a vigencia without one
    issue = only_issue(tmp_path, sheets)
    assert (issue.sheet, issue.row, issue.column, issue.value) == (
        "indicadores",
        3,
        "linea_base",
        "",
    )
    assert "decreciente" in issue.expected


def test_weight_outside_0_100(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["ponderaciones"][1][3] = "120"
    sheets["ponderaciones"][2][3] = -5
    assert issues(tmp_path, sheets) == [
        ("ponderaciones", 2, "peso", "120"),
        ("ponderaciones", 3, "peso", "-5"),
    ]


def test_weights_not_summing_100_are_placed_on_the_groups_first_row(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["ponderaciones"][2][3] = 20  # O1's indicators: 60 + 20 + 10 = 90
    issue = only_issue(tmp_path, sheets)
    assert (issue.sheet, issue.row, issue.column, issue.value) == ("ponderaciones", 2, "peso", None)
    assert issue.expected.startswith("pesos válidos: los pesos del objetivo 'O1'")
    assert "suman 90" in issue.expected


def test_missing_weight_of_a_child_in_force(tmp_path: Path) -> None:
    sheets = valid_sheets()
    del sheets["ponderaciones"][3]  # I5 (in force in 2026) loses its weight
    issue = only_issue(tmp_path, sheets)
    assert (issue.sheet, issue.row) == ("ponderaciones", 2)
    assert "'I5'" in issue.expected


def test_weight_of_a_child_not_in_force_is_placed_on_its_row(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["ponderaciones"].append(["indicador", "I1", 2025, 50])  # I1 and I5 are in force
    sheets["ponderaciones"].append(["indicador", "I5", 2025, 50])
    sheets["ponderaciones"].append(["indicador", "I4", 2025, 10])  # I4 has no 2025 target
    issue = only_issue(tmp_path, sheets)
    assert (issue.row, issue.column, issue.value) == (12, "peso", "10")
    assert "'I4' no tiene meta en la vigencia 2025" in issue.expected


def test_objective_weights_sum(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["ponderaciones"][8][3] = 40  # 40 + 30 + 40
    issue = only_issue(tmp_path, sheets)
    assert (issue.sheet, issue.row, issue.column) == ("ponderaciones", 7, "peso")
    assert "suman 110" in issue.expected


def test_weights_are_checked_only_when_everything_else_is_valid(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["ponderaciones"][2][3] = 20  # a sum problem ...
    sheets["metas"][1][3] = None  # ... hidden behind a plain cell error
    assert issues(tmp_path, sheets) == [("metas", 2, "nombre", "")]


# --- all at once ---------------------------------------------------------------------------------


def test_every_error_is_reported_in_sheet_and_row_order(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["avances"][3][3] = "1,2,3"
    sheets["avances"][1][1] = "mañana"
    sheets["plan"][2][1] = None
    sheets["metas"][3][2] = "otra"
    sheets["metas"][3][3] = None
    sheets["indicadores"][1][5] = "x"
    sheets["programacion_anual"][1][2] = "diez"
    sheets["objetivos"].append(["O1", "Repetido", 9])
    error = errors_of(write_xlsx(tmp_path / "p.xlsx", sheets))
    assert located(error) == [
        ("plan", 3, "valor", ""),
        ("objetivos", 6, "codigo", "O1"),
        ("metas", 4, "tipo", "otra"),
        ("metas", 4, "nombre", ""),
        ("indicadores", 2, "linea_base", "x"),
        ("programacion_anual", 2, "meta_vigencia", "diez"),
        ("avances", 2, "corte", "mañana"),
        ("avances", 4, "ejecutado_corte", "1,2,3"),
    ]
    assert len(str(error).splitlines()) == 8


def test_errors_after_a_blank_row_keep_spreadsheet_row_numbers(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["metas"].insert(2, [None, None, None, None, None])
    sheets["metas"][4][2] = "otra"  # spreadsheet row 5
    assert issues(tmp_path, sheets) == [("metas", 5, "tipo", "otra")]


# --- unreadable files ---------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    error = errors_of(tmp_path / "no-existe.xlsx")
    assert located(error) == [(None, None, None, str(tmp_path / "no-existe.xlsx"))]
    assert "no existe" in error.issues[0].message


@pytest.mark.parametrize("name", ["plan.xlsx", "plan.zip", "plan.txt", "plan.xls", "plan.csv"])
def test_not_a_workbook(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"esto no es un libro")
    error = errors_of(path)
    assert located(error) == [(None, None, None, name)]
    assert error.issues[0].message.startswith(f"Archivo: se encontró '{name}'; se esperaba")


def test_old_xls_gets_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "plan.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    assert ".xlsx" in errors_of(path).issues[0].expected


def test_corrupted_xlsx(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", valid_sheets())
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet3.xml":
                data = data[: len(data) // 2]  # truncated XML
            target.writestr(item, data)
    error = errors_of(broken)
    assert located(error) == [(None, None, None, "broken.xlsx")]
    assert "dañado" in error.issues[0].expected


def test_truncated_zip(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", valid_sheets())
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert located(errors_of(path)) == [(None, None, None, "p.xlsx")]


def test_zip_with_corrupted_member(tmp_path: Path) -> None:
    path = write_csv_zip(tmp_path / "plan.zip", valid_sheets())
    data = bytearray(path.read_bytes())
    start = data.find(b"codigo")  # inside plan.csv's stored bytes: CRC no longer matches
    data[start : start + 6] = b"XXXXXX"
    path.write_bytes(bytes(data))
    assert located(errors_of(path)) == [(None, None, None, "plan.zip")]


def test_folder_without_template_csvs(tmp_path: Path) -> None:
    folder = tmp_path / "vacia"
    folder.mkdir()
    (folder / "notas.txt").write_text("nada")
    error = errors_of(folder)
    assert located(error) == [(None, None, None, "vacia")]
    assert "ningún archivo CSV" in error.issues[0].expected


def test_zip_of_something_else(tmp_path: Path) -> None:
    """An .ods is a zip too: one clear file error, not six missing sheets."""
    path = tmp_path / "plan.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert located(errors_of(path)) == [(None, None, None, "plan.ods")]


def test_folder_with_some_sheets_reports_the_missing_ones(tmp_path: Path) -> None:
    sheets = valid_sheets()
    del sheets["metas"], sheets["avances"]
    error = errors_of(write_csv_folder(tmp_path / "csv", sheets))
    assert located(error) == [("metas", None, None, None), ("avances", None, None, None)]


def test_csv_not_in_utf8(tmp_path: Path) -> None:
    folder = write_csv_folder(tmp_path / "csv", valid_sheets())
    (folder / "metas.csv").write_bytes(
        "codigo;objetivo;tipo;nombre\nM1;O1;estratégica;Meta\n".encode("cp1252")
    )
    error = errors_of(folder)
    assert located(error) == [("metas", None, None, "metas.csv")]
    assert "UTF-8" in error.issues[0].expected


def test_csv_with_a_runaway_quote(tmp_path: Path) -> None:
    folder = write_csv_folder(tmp_path / "csv", valid_sheets())
    text = 'codigo;objetivo;tipo;nombre\nM1;O1;sectorial;"Meta ' + "x" * 200_000 + "\n"
    (folder / "metas.csv").write_text(text, encoding="utf-8")
    error = errors_of(folder)
    assert [(i.sheet, i.column) for i in error.issues] == [("metas", None)]
    assert "CSV legible" in error.issues[0].expected


def test_zip_with_a_sheet_twice(tmp_path: Path) -> None:
    path = write_csv_zip(tmp_path / "plan.zip", valid_sheets())
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("copia/metas.csv", "codigo\n")
    assert located(errors_of(path)) == [("metas", None, None, "metas.csv, copia/metas.csv")]


def test_read_template_never_raises_anything_else(tmp_path: Path) -> None:
    for content in (b"", b"PK\x03\x04", b"PK\x05\x06" + b"\x00" * 18):
        path = tmp_path / "x.xlsx"
        path.write_bytes(content)
        with pytest.raises(TemplateError):
            read_template(path)


def test_unreadable_file_is_a_file_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_csv_folder(tmp_path / "csv", valid_sheets())

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    error = errors_of(folder)
    assert located(error) == [(None, None, None, str(folder))]
    assert "no se pudo leer" in error.issues[0].expected
