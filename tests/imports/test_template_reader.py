"""Reading template v1 (DESIGN §4): the happy path into a ``PlanSpec``, and what a spreadsheet
adds to a value (percent formats, formulas, HTML, date cells), for .xlsx, CSV folders and .zip."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cascada.engine.model import (
    Accumulation,
    AnnualTarget,
    GoalKind,
    Policy,
    Progress,
)
from cascada.imports.template_v1 import (
    GoalRow,
    IndicatorRow,
    ObjectiveRow,
    PlanInfo,
    PlanWorkbook,
    read_template,
)
from tests.imports.books import (
    errors_of,
    located,
    valid_sheets,
    write_csv_folder,
    write_csv_zip,
    write_xlsx,
)

CUT = date(2026, 3, 31)


@pytest.fixture
def workbook(tmp_path: Path) -> PlanWorkbook:
    return read_template(write_xlsx(tmp_path / "plan.xlsx", valid_sheets()))


def test_plan_info(workbook: PlanWorkbook) -> None:
    assert workbook.info == PlanInfo(
        code="PES-2024",
        name="Plan de prueba",
        sector="Sector de prueba",
        head_entity="Secretaría de prueba",
        development_plan="Bogotá Camina Segura 2024-2027",
        first_vigencia=2024,
        last_vigencia=2027,
        mission="Servir.",
        vision="Servir mejor.",
        adopting_act="Resolución 630 de 2024",
        source="SEGPLAN",
        legal_basis="Ley 152 de 1994, art. 29",
    )


def test_policy_from_plan_sheet(workbook: PlanWorkbook) -> None:
    assert workbook.spec.policy == Policy(cap=None, overexecution_threshold=D(120))


def test_objectives_in_orden_then_file_order(workbook: PlanWorkbook) -> None:
    assert workbook.objectives == (
        ObjectiveRow("O1", "Primero", 1),
        ObjectiveRow("O2", "Segundo", 2),
        ObjectiveRow("O3", "Tercero", None),
        ObjectiveRow("O4", "Cuarto", None),
    )
    assert [o.code for o in workbook.spec.objectives] == ["O1", "O2", "O3", "O4"]


def test_goals_and_indicators_in_file_order(workbook: PlanWorkbook) -> None:
    assert workbook.goals == (
        GoalRow("M1", "O1", GoalKind.SECTORIAL, "Meta uno", "Entidad A"),
        GoalRow("M2", "O2", GoalKind.ESTRATEGICA, "Meta dos", "Entidad B"),
        GoalRow("127-2057", "O3", GoalKind.PROYECTO_INVERSION, "Meta tres", ""),
        GoalRow("M4", "O1", GoalKind.ACTIVIDAD, "Meta cuatro", "Entidad A"),
    )
    assert workbook.indicators[:2] == (
        IndicatorRow("I1", "M1", "Entidades asistidas", "Número"),
        IndicatorRow("I4", "M4", "Tasa de error", "Tasa"),
    )
    assert [i.code for i in workbook.indicators] == ["I1", "I4", "I2", "I3", "I5"]


def test_each_objective_holds_its_indicators_in_indicator_sheet_order(
    workbook: PlanWorkbook,
) -> None:
    by_objective = {o.code: [i.code for i in o.indicators] for o in workbook.spec.objectives}
    assert by_objective == {"O1": ["I1", "I4", "I5"], "O2": ["I2"], "O3": ["I3"], "O4": []}


def test_indicator_specs(workbook: PlanWorkbook) -> None:
    indicators = {i.code: i for o in workbook.spec.objectives for i in o.indicators}
    i1, i3, i4 = indicators["I1"], indicators["I3"], indicators["I4"]
    assert i1.accumulation is Accumulation.SUMA
    assert (i1.baseline, i1.target_4y) == (None, D(40))
    assert dict(i1.annual_targets) == {2025: AnnualTarget(D(4)), 2026: AnnualTarget(D(10))}
    assert list(i1.annual_targets) == [2025, 2026]  # by vigencia, whatever the file order
    assert dict(i1.progress) == {
        date(2025, 12, 31): Progress(D(4), D(4), ""),
        CUT: Progress(D(3), D(8), "Sobreejecución por mayor demanda."),
    }
    assert list(i1.progress) == [date(2025, 12, 31), CUT]
    assert i3.accumulation is Accumulation.CRECIENTE
    assert (i3.baseline, i3.target_4y) == (D(10), D(100))
    assert i3.annual_targets[2026] == AnnualTarget(D(75))
    assert i3.progress[CUT] == Progress(D("60.67"), D("60.67"), "")
    assert i4.accumulation is Accumulation.DECRECIENTE
    assert i4.annual_targets[2026] == AnnualTarget(D(30), D(45))
    assert indicators["I5"].annual_targets[2025] == AnnualTarget(D("0.5"))
    assert indicators["I2"].progress == {}


def test_weights(workbook: PlanWorkbook) -> None:
    assert workbook.spec.indicator_weights == {
        2026: {"I1": D(60), "I4": D(30), "I5": D(10), "I2": D(100), "I3": D(100)}
    }
    assert workbook.spec.objective_weights == {2026: {"O1": D(40), "O2": D(30), "O3": D(30)}}


def test_spec_code_is_plan_code(workbook: PlanWorkbook) -> None:
    assert workbook.spec.code == "PES-2024"


# --- the same plan as CSV ------------------------------------------------------------------------


def test_csv_folder_semicolons_with_bom_reads_the_same(
    tmp_path: Path, workbook: PlanWorkbook
) -> None:
    folder = write_csv_folder(tmp_path / "csv", valid_sheets(), delimiter=";", bom=True)
    assert read_template(folder) == workbook


def test_csv_folder_commas_without_bom_reads_the_same(
    tmp_path: Path, workbook: PlanWorkbook
) -> None:
    folder = write_csv_folder(tmp_path / "csv", valid_sheets(), delimiter=",", bom=False)
    assert read_template(folder) == workbook


def test_csv_zip_reads_the_same(tmp_path: Path, workbook: PlanWorkbook) -> None:
    assert read_template(write_csv_zip(tmp_path / "plan.zip", valid_sheets())) == workbook


def test_csv_zip_with_files_inside_a_folder(tmp_path: Path, workbook: PlanWorkbook) -> None:
    path = write_csv_zip(tmp_path / "plan.zip", valid_sheets(), delimiter=";", prefix="plantilla/")
    assert read_template(path) == workbook


def test_csv_error_rows_are_spreadsheet_rows(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["avances"][2][3] = "abc"  # row 3
    error = errors_of(write_csv_folder(tmp_path / "csv", sheets))
    assert located(error) == [("avances", 3, "ejecutado_corte", "abc")]


def test_csv_quoted_field_with_delimiter_and_newline(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["avances"][1][4] = "Uno; dos, tres\ncuatro"
    workbook = read_template(write_csv_folder(tmp_path / "csv", sheets, delimiter=";"))
    indicators = {i.code: i for o in workbook.spec.objectives for i in o.indicators}
    assert indicators["I1"].progress[CUT].analysis == "Uno; dos, tres\ncuatro"


def test_a_file_with_any_extension_is_read_by_content(
    tmp_path: Path, workbook: PlanWorkbook
) -> None:
    path = write_xlsx(tmp_path / "plan.xlsx", valid_sheets())
    renamed = path.rename(tmp_path / "exportado.zip")
    assert read_template(renamed) == workbook


# --- spreadsheet details -------------------------------------------------------------------------


def _write_and_style(
    path: Path, sheets: dict[str, list[list[object]]], formats: dict[str, str]
) -> Path:
    """``formats``: {"avances!C2": "0.00%"}."""
    write_xlsx(path, sheets)
    book = load_workbook(path)
    for ref, number_format in formats.items():
        sheet, cell = ref.split("!")
        book[sheet][cell].number_format = number_format
    book.save(path)
    return path


def test_percent_formatted_number_cells_are_percent_points(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["avances"][3][2:4] = [0.6067, 0.6067]  # I3 at row 4: Excel stores 60,67 % as 0.6067
    sheets["programacion_anual"][4][2] = 0.75
    path = _write_and_style(
        tmp_path / "p.xlsx",
        sheets,
        {"avances!C4": "0.00%", "avances!D4": "0%", "programacion_anual!C5": "0.00%"},
    )
    indicators = {i.code: i for o in read_template(path).spec.objectives for i in o.indicators}
    assert indicators["I3"].progress[CUT] == Progress(D("60.67"), D("60.67"), "")
    assert str(indicators["I3"].progress[CUT].executed) == "60.67"
    assert indicators["I3"].annual_targets[2026].target == D(75)


def test_a_quoted_percent_sign_in_the_format_is_not_scaled(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["avances"][3][3] = 60.67  # shown as 60,67% by a literal sign: already in points
    path = _write_and_style(tmp_path / "p.xlsx", sheets, {"avances!D4": '0.00"%"'})
    indicators = {i.code: i for o in read_template(path).spec.objectives for i in o.indicators}
    assert indicators["I3"].progress[CUT].executed == D("60.67")


def test_html_is_stripped_from_every_cell(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["avances"][3][3] = "<p>0,27</p>"
    sheets["avances"][3][4] = "<p>Primer párrafo.</p><p>Segundo &amp; último.</p>"
    sheets["indicadores"][4][0] = "<b>I3</b>"
    sheets["objetivos"][3][1] = "  <p>Primero</p>  "
    sheets["metas"][1][2] = "<span>sectorial</span>"
    sheets["plan"][6][1] = "<p>2024</p>"
    workbook = read_template(write_xlsx(tmp_path / "p.xlsx", sheets))
    indicators = {i.code: i for o in workbook.spec.objectives for i in o.indicators}
    assert indicators["I3"].progress[CUT].executed == D("0.27")
    assert indicators["I3"].progress[CUT].analysis == "Primer párrafo.\nSegundo & último."
    assert workbook.objectives[0].name == "Primero"
    assert workbook.info.first_vigencia == 2024


def test_text_is_stored_as_given_apart_from_html_and_surrounding_space(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["metas"][1][3] = "  Meta   con  espacios internos\t"
    sheets["avances"][1][4] = "a < b y c > d"  # comparisons are not tags
    workbook = read_template(write_xlsx(tmp_path / "p.xlsx", sheets))
    assert workbook.goals[0].name == "Meta   con  espacios internos"
    indicators = {i.code: i for o in workbook.spec.objectives for i in o.indicators}
    assert indicators["I1"].progress[CUT].analysis == "a < b y c > d"


@pytest.mark.parametrize("text", ["=SUM(A1:A3)", "+57 300 000 0000", "-no aplica-", "@usuario"])
def test_text_starting_like_a_formula_stays_text(tmp_path: Path, text: str) -> None:
    sheets = valid_sheets()
    sheets["avances"][1][4] = text
    sheets["metas"][1][3] = text
    workbook = read_template(write_xlsx(tmp_path / "p.xlsx", sheets))
    indicators = {i.code: i for o in workbook.spec.objectives for i in o.indicators}
    assert indicators["I1"].progress[CUT].analysis == text
    assert workbook.goals[0].name == text


def _with_cached_value(path: Path, formula: str, cached: str) -> Path:
    """Give a formula the result Excel would have saved (openpyxl never computes one)."""
    fixed = path.with_name("cached.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(fixed, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                # openpyxl writes the empty value as <v /> or <v></v> (with or without lxml).
                for empty in ("<v />", "<v/>", "<v></v>"):
                    data = data.replace(
                        f"<f>{formula}</f>{empty}".encode(),
                        f"<f>{formula}</f><v>{cached}</v>".encode(),
                    )
            target.writestr(item, data)
    return fixed


def test_formula_in_a_number_column_uses_excels_saved_result(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["avances"][1][3] = "=4*2"
    path = _with_cached_value(write_xlsx(tmp_path / "p.xlsx", sheets), "4*2", "8")
    indicators = {i.code: i for o in read_template(path).spec.objectives for i in o.indicators}
    assert indicators["I1"].progress[CUT].executed == D(8)


def test_formula_without_saved_result_is_a_located_error(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["avances"][1][3] = "=4*2"
    error = errors_of(write_xlsx(tmp_path / "p.xlsx", sheets))
    assert located(error) == [("avances", 2, "ejecutado_corte", "=4*2")]
    assert "resultado guardado" in error.issues[0].message


def test_formula_in_a_text_column_keeps_its_text(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["avances"][1][4] = '=CONCATENATE("a","b")'
    sheets["programacion_anual"][1][2] = "=5*2"
    path = _with_cached_value(write_xlsx(tmp_path / "p.xlsx", sheets), "5*2", "10")
    indicators = {i.code: i for o in read_template(path).spec.objectives for i in o.indicators}
    assert indicators["I1"].progress[CUT].analysis == '=CONCATENATE("a","b")'
    assert indicators["I1"].annual_targets[2026].target == D(10)


def test_corte_as_date_or_midnight_datetime_cell(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["avances"][1][1] = date(2026, 3, 31)
    sheets["avances"][2][1] = datetime(2026, 3, 31)
    workbook = read_template(write_xlsx(tmp_path / "p.xlsx", sheets))
    indicators = {i.code: i for o in workbook.spec.objectives for i in o.indicators}
    assert CUT in indicators["I1"].progress
    assert CUT in indicators["I4"].progress


def test_numbers_as_cells_or_text_in_both_styles(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["avances"][1][2:4] = [3.0, "8.0"]
    sheets["avances"][2][2:4] = ["1.234,5", "1.234.567"]
    workbook = read_template(write_xlsx(tmp_path / "p.xlsx", sheets))
    indicators = {i.code: i for o in workbook.spec.objectives for i in o.indicators}
    assert indicators["I1"].progress[CUT].programmed == D(3)
    assert indicators["I1"].progress[CUT].executed == D(8)
    assert indicators["I4"].progress[CUT].programmed == D("1234.5")
    assert indicators["I4"].progress[CUT].executed == D(1234567)


def test_negative_numbers_are_accepted(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["indicadores"][2][5] = "-1,5"
    sheets["avances"][2][3] = -2
    workbook = read_template(write_xlsx(tmp_path / "p.xlsx", sheets))
    indicators = {i.code: i for o in workbook.spec.objectives for i in o.indicators}
    assert indicators["I4"].baseline == D("-1.5")
    assert indicators["I4"].progress[CUT].executed == D(-2)


def test_numeric_codes_read_as_text(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["metas"][2][0] = 77  # M2 becomes 77 ...
    sheets["indicadores"][3][1] = 77.0  # ... and I2 points to it as a float cell
    sheets["metas"][3][0] = "0127"  # text keeps its leading zero
    sheets["indicadores"][4][1] = "0127"
    workbook = read_template(write_xlsx(tmp_path / "p.xlsx", sheets))
    assert workbook.goals[1].code == "77"
    assert workbook.indicators[2].goal == "77"
    assert workbook.goals[2].code == "0127"


def test_extra_sheets_and_columns_are_ignored_and_columns_may_move(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["notas"] = [["lo que sea"], ["x"]]
    header: list[object] = ["comentario", "orden", "nombre", "codigo"]
    sheets["objetivos"] = [header] + [
        ["nota", row[2], row[1], row[0]] for row in sheets["objetivos"][1:]
    ]
    sheets["metas"][0].append("extra")
    sheets["metas"][1].append("ignorado")
    workbook = read_template(write_xlsx(tmp_path / "p.xlsx", sheets))
    assert [o.code for o in workbook.objectives] == ["O1", "O2", "O3", "O4"]


def test_optional_columns_and_sheet_may_be_left_out(tmp_path: Path) -> None:
    sheets = valid_sheets()
    del sheets["ponderaciones"]
    sheets["objetivos"] = [[r[0], r[1]] for r in sheets["objetivos"]]
    sheets["metas"] = [r[:4] for r in sheets["metas"]]
    sheets["indicadores"] = [[*r[:3], r[4]] for r in sheets["indicadores"]]
    sheets["programacion_anual"] = [r[:4] for r in sheets["programacion_anual"]]
    sheets["avances"] = [r[:2] for r in sheets["avances"]]
    sheets["plan"] = [
        r
        for r in sheets["plan"]
        if r[0] in {"campo", "codigo", "nombre", "sector", "vigencia_inicial", "vigencia_final"}
    ]
    workbook = read_template(write_xlsx(tmp_path / "p.xlsx", sheets))
    assert [o.code for o in workbook.spec.objectives] == ["O3", "O2", "O1", "O4"]  # file order
    assert workbook.spec.policy == Policy()
    assert workbook.spec.indicator_weights == {}
    assert workbook.goals[0].responsible_entity == ""
    assert workbook.info.mission == ""
    indicators = {i.code: i for o in workbook.spec.objectives for i in o.indicators}
    assert indicators["I1"].progress[CUT] == Progress(None, None, "")


def test_header_tolerates_surrounding_whitespace(tmp_path: Path, workbook: PlanWorkbook) -> None:
    sheets = valid_sheets()
    sheets["metas"][0] = [f"  {name} " for name in sheets["metas"][0]]
    sheets[" avances "] = sheets.pop("avances")
    assert read_template(write_xlsx(tmp_path / "p.xlsx", sheets)) == workbook


def test_fully_blank_rows_are_skipped(tmp_path: Path, workbook: PlanWorkbook) -> None:
    sheets = valid_sheets()
    sheets["metas"].insert(2, [None, "  ", "<p></p>", None, None])
    sheets["objetivos"].append([])
    assert read_template(write_xlsx(tmp_path / "p.xlsx", sheets)) == workbook


def test_list_words_accept_spellings_case_and_accents(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["metas"][2][2] = "Estratégica"
    sheets["metas"][3][2] = "proyecto de inversión"
    sheets["metas"][4][2] = " ACTIVIDAD "
    sheets["indicadores"][1][4] = "Incremento"
    sheets["indicadores"][2][4] = "Reducción"
    sheets["indicadores"][3][4] = "MANTENIMIENTO"
    sheets["ponderaciones"][1][0] = "Indicador"
    workbook = read_template(write_xlsx(tmp_path / "p.xlsx", sheets))
    assert [g.kind for g in workbook.goals] == [
        GoalKind.SECTORIAL,
        GoalKind.ESTRATEGICA,
        GoalKind.PROYECTO_INVERSION,
        GoalKind.ACTIVIDAD,
    ]
    indicators = {i.code: i for o in workbook.spec.objectives for i in o.indicators}
    assert indicators["I1"].accumulation is Accumulation.SUMA
    assert indicators["I4"].accumulation is Accumulation.DECRECIENTE
    assert indicators["I2"].accumulation is Accumulation.CONSTANTE


def test_decreciente_baseline_may_come_from_every_annual_target(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["indicadores"][2][5] = None  # I4 loses linea_base; its one annual row has 45
    workbook = read_template(write_xlsx(tmp_path / "p.xlsx", sheets))
    indicators = {i.code: i for o in workbook.spec.objectives for i in o.indicators}
    assert indicators["I4"].baseline is None
    assert indicators["I4"].annual_targets[2026].baseline == D(45)


def test_threshold_defaults_to_100_and_cap_is_read(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["plan"][12][1] = "100"
    sheets["plan"][13][1] = None
    assert read_template(write_xlsx(tmp_path / "p.xlsx", sheets)).spec.policy == Policy(
        cap=D(100), overexecution_threshold=D(100)
    )


def test_unknown_plan_campos_are_ignored(tmp_path: Path, workbook: PlanWorkbook) -> None:
    sheets = valid_sheets()
    sheets["plan"].append(["otro_campo", "lo que sea"])
    sheets["plan"].append(["otro_campo", "repetido también"])
    assert read_template(write_xlsx(tmp_path / "p.xlsx", sheets)) == workbook


def test_base_legal_is_optional(tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["plan"] = [r for r in sheets["plan"] if r[0] != "base_legal"]
    assert read_template(write_xlsx(tmp_path / "p.xlsx", sheets)).info.legal_basis == ""


def test_wrong_dimension_in_the_file_does_not_hide_rows(
    tmp_path: Path, workbook: PlanWorkbook
) -> None:
    """Some generators write <dimension ref="A1"/>; openpyxl's read-only mode would trust it."""
    path = write_xlsx(tmp_path / "p.xlsx", valid_sheets())
    broken = tmp_path / "dim.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
            target.writestr(item, data)
    assert read_template(broken) == workbook
