"""The empty template v1 (``cascada template``): sheets, headers, dropdowns, text formats, the
instructions, and that it is the reader's own format."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from cascada.imports.schema_v1 import PLAN_CAMPOS, SHEETS
from cascada.imports.template_v1 import read_template
from cascada.imports.template_writer import write_empty_template
from tests.imports.books import errors_of

SHEET_NAMES = [
    "plan",
    "objetivos",
    "metas",
    "indicadores",
    "programacion_anual",
    "avances",
    "ponderaciones",
]


@pytest.fixture
def template(tmp_path: Path) -> Path:
    path = tmp_path / "plantilla.xlsx"
    write_empty_template(path)
    return path


@pytest.fixture
def book(template: Path) -> Workbook:
    return load_workbook(template)


def test_sheets_in_order_with_instructions_first(book: Workbook) -> None:
    assert book.sheetnames == ["instrucciones", *SHEET_NAMES]


def test_exact_header_rows(book: Workbook) -> None:
    headers = {name: [c.value for c in book[name][1]] for name in SHEET_NAMES}
    assert headers == {
        "plan": ["campo", "valor", "ayuda"],  # "ayuda" is an extra column: readers ignore it
        "objetivos": ["codigo", "nombre", "orden"],
        "metas": ["codigo", "objetivo", "tipo", "nombre", "entidad_responsable"],
        "indicadores": [
            "codigo",
            "meta",
            "nombre",
            "unidad",
            "tipo_anualizacion",
            "linea_base",
            "meta_cuatrienio",
        ],
        "programacion_anual": ["indicador", "vigencia", "meta_vigencia", "linea_base_vigencia"],
        "avances": ["indicador", "corte", "programado_corte", "ejecutado_corte", "observacion"],
        "ponderaciones": ["nivel", "codigo", "vigencia", "peso"],
    }


def test_headers_are_bold_frozen_and_explained(book: Workbook) -> None:
    for name in SHEET_NAMES:
        sheet = book[name]
        assert sheet.freeze_panes == "A2", name
        for cell in sheet[1]:
            assert cell.font.bold, (name, cell.value)
    comment = book["metas"]["C1"].comment
    assert comment is not None
    assert comment.text.startswith("Obligatoria.")
    optional = book["metas"]["E1"].comment
    assert optional is not None
    assert optional.text.startswith("Opcional.")


def test_dropdowns_on_coded_columns(book: Workbook) -> None:
    found = {
        (name, str(v.sqref), v.formula1)
        for name in SHEET_NAMES
        for v in book[name].data_validations.dataValidation
    }
    assert found == {
        ("metas", "C2:C1048576", '"sectorial,estrategica,proyecto_inversion,actividad"'),
        ("indicadores", "E2:E1048576", '"suma,constante,creciente,decreciente"'),
        ("ponderaciones", "A2:A1048576", '"indicador,objetivo"'),
    }


def test_dropdown_texts_fit_excels_limits(book: Workbook) -> None:
    for name in SHEET_NAMES:
        for validation in book[name].data_validations.dataValidation:
            assert validation.type == "list"
            assert validation.errorStyle == "warning"  # synonyms are valid, so only a warning
            assert len(validation.formula1) <= 255
            assert len(validation.error or "") <= 255
            assert len(validation.prompt or "") <= 255
            assert len(validation.errorTitle or "") <= 32
            assert len(validation.promptTitle or "") <= 32


def test_text_columns_are_formatted_as_text(book: Workbook) -> None:
    def fmt(sheet: str, letter: str) -> str:
        return str(book[sheet].column_dimensions[letter].number_format)

    assert fmt("metas", "A") == "@"  # codigo: 127-2057 must not become a date
    assert fmt("metas", "B") == "@"
    assert fmt("indicadores", "B") == "@"
    assert fmt("avances", "A") == "@"
    assert fmt("avances", "E") == "@"
    assert fmt("plan", "B") == "@"
    assert fmt("avances", "B") == "yyyy-mm-dd"
    assert fmt("avances", "C") == "General"  # numbers stay numbers
    assert fmt("programacion_anual", "B") == "General"


def test_plan_sheet_lists_the_campos(book: Workbook) -> None:
    campos = [row[0] for row in book["plan"].iter_rows(min_row=2, values_only=True)]
    assert campos == [c.name for c in PLAN_CAMPOS]
    assert campos[:13] == [
        "codigo",
        "nombre",
        "sector",
        "entidad_cabeza",
        "plan_desarrollo",
        "vigencia_inicial",
        "vigencia_final",
        "mision",
        "vision",
        "acto_adopcion",
        "fuente",
        "tope_indicador",
        "umbral_sobreejecucion",
    ]
    help_of = {row[0]: row[2] for row in book["plan"].iter_rows(min_row=2, values_only=True)}
    assert str(help_of["codigo"]).startswith("Obligatorio.")
    assert str(help_of["mision"]).startswith("Opcional.")
    assert "extensión" in str(help_of["base_legal"]).lower()


def test_instructions_cover_every_rule(book: Workbook) -> None:
    text = "\n".join(
        str(value)
        for row in book["instrucciones"].iter_rows(values_only=True)
        for value in row
        if value
    )
    for expected in [
        "1.234,5",
        "60,67%",
        "1.234.567",
        "puntos porcentuales",
        "% avance al corte = E / P",
        "(E − LB) / (P − LB)",
        "(LB − E) / (LB − M)",
        "incremento = suma",
        "mantenimiento = constante",
        "reduccion = decreciente",
        "sumar 100",
        "todo o nada",
        "=, +, - o @",
        "UTF-8",
        "obligatoria",
    ]:
        assert expected in text, expected
    for sheet in SHEETS:
        for column in sheet.columns:
            assert column.help in text, (sheet.name, column.name)


def test_instructions_hold_no_formulas(book: Workbook) -> None:
    for row in book["instrucciones"].iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate


def test_reading_the_empty_template_asks_for_the_required_campos(template: Path) -> None:
    error = errors_of(template)
    assert [(i.sheet, i.row, i.column, i.value) for i in error.issues] == [
        ("plan", 2, "valor", ""),
        ("plan", 3, "valor", ""),
        ("plan", 4, "valor", ""),
        ("plan", 7, "valor", ""),
        ("plan", 8, "valor", ""),
    ]
    assert error.issues[0].expected == "el valor del campo obligatorio 'codigo'"


def test_a_filled_in_template_is_read(template: Path, tmp_path: Path) -> None:
    book = load_workbook(template)
    values = {"codigo": "P-1", "nombre": "Plan", "sector": "Sector", "vigencia_inicial": "2024"}
    values["vigencia_final"] = "2027"
    for row in book["plan"].iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[str(row[0].value)]
    book["objetivos"].append(["O1", "Objetivo", 1])
    book["metas"].append(["127-2057", "O1", "proyecto de inversión", "Meta", "Entidad"])
    book["indicadores"].append(["I1", "127-2057", "Indicador", "Número", "suma", None, None])
    book["programacion_anual"].append(["I1", 2026, "10"])
    book["avances"].append(["I1", date(2026, 3, 31), 2, 3, "=no es fórmula"])
    filled = tmp_path / "lleno.xlsx"
    book.save(filled)
    workbook = read_template(filled)
    assert workbook.info.code == "P-1"
    assert workbook.goals[0].code == "127-2057"
    indicator = workbook.spec.objectives[0].indicators[0]
    assert indicator.progress[date(2026, 3, 31)].executed == 3
