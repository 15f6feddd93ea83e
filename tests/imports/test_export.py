"""`cascada export`: a plan out of the database as a template v1 workbook that imports back to the
same data, with formula-looking text kept as text (issue 4)."""

from __future__ import annotations

import calendar
import re
import tempfile
import zipfile
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cascada.engine.model import (
    Accumulation,
    AnnualTarget,
    GoalKind,
    IndicatorSpec,
    ObjectiveSpec,
    PlanSpec,
    Policy,
    Progress,
)
from cascada.engine.weights import validate_weights
from cascada.imports.export import export_plan, plan_workbook, write_workbook
from cascada.imports.services import import_workbook
from cascada.imports.template_v1 import (
    GoalRow,
    IndicatorRow,
    ObjectiveRow,
    PlanInfo,
    PlanWorkbook,
    read_template,
)
from cascada.imports.template_writer import exact_cell_number, text_for_cell, write_empty_template
from cascada.plans.models import Goal, Indicator, Objective, Plan
from cascada.tracking.models import (
    Cut,
    CutTarget,
    IndicatorCutResult,
    ObjectiveCutResult,
    PlanCutResult,
    ProgressReport,
)
from tests.imports.test_import_service import database_state
from tests.test_seed_golden import SAMPLE
from tests.workbooks import small_plan
from tests.workbooks import write_workbook as write_rows

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"

HOSTILE = [
    '=HYPERLINK("http://example.com","clic")',
    "@SUM(A1)",
    "+1",
    "-2",
    "=1+1",
    "#N/A",
    "'comilla",
    "Planeación ✓ ñandú 🚀",
    "a < b y c > d",
    "AT&T",
]


# ---------------------------------------------------------------------------------------------
# Helpers


def renumbered(workbook: PlanWorkbook) -> PlanWorkbook:
    """``orden`` as positions 1, 2, 3…: the database keeps the order, not the file's numbers."""
    return replace(
        workbook,
        objectives=tuple(replace(o, order=n) for n, o in enumerate(workbook.objectives, start=1)),
    )


def plan_rows(code: str) -> dict[str, list[Any]]:
    """The plan's data rows keyed by codes instead of ids (the same after a delete and reload),
    and the results computed from them. A cut's workflow state is not template data."""
    plan = Plan.objects.select_related("sector", "head_entity", "development_plan").get(code=code)
    return {
        "plan": [
            (
                plan.name,
                plan.sector.name,
                plan.head_entity and plan.head_entity.name,
                plan.development_plan and plan.development_plan.name,
                plan.first_vigencia,
                plan.last_vigencia,
                plan.mission,
                plan.vision,
                plan.adopting_act,
                plan.legal_basis,
                plan.source,
                plan.cap,
                plan.overexecution_threshold,
            )
        ],
        "objectives": list(
            Objective.objects.filter(plan=plan).values_list("code", "name", "order")
        ),
        "goals": list(
            Goal.objects.filter(plan=plan).values_list(
                "code", "objective__code", "kind", "name", "responsible_entity__name", "order"
            )
        ),
        "indicators": list(
            Indicator.objects.filter(plan=plan).values_list(
                "code",
                "goal__code",
                "name",
                "unit",
                "accumulation",
                "baseline",
                "target_4y",
                "order",
            )
        ),
        "annual": sorted(
            Indicator.objects.filter(plan=plan).values_list(
                "code",
                "annual_targets__vigencia",
                "annual_targets__target",
                "annual_targets__baseline",
            ),
            key=repr,
        ),
        "weights": sorted(
            plan.weights.values_list(
                "level", "indicator__code", "objective__code", "vigencia", "weight"
            ),
            key=repr,
        ),
        "cuts": sorted(Cut.objects.filter(plan=plan).values_list("date", flat=True)),
        "cut_targets": sorted(
            CutTarget.objects.filter(cut__plan=plan).values_list(
                "indicator__code", "cut__date", "programmed"
            ),
            key=repr,
        ),
        "reports": sorted(
            ProgressReport.objects.filter(cut__plan=plan).values_list(
                "indicator__code", "cut__date", "executed", "analysis", "evidence"
            ),
            key=repr,
        ),
        "plan_results": sorted(
            PlanCutResult.objects.filter(cut__plan=plan).values_list(
                "cut__date", "compliance", "year", "four_year", "semaforo", "explanation"
            ),
            key=repr,
        ),
        "objective_results": sorted(
            ObjectiveCutResult.objects.filter(cut__plan=plan).values_list(
                "cut__date", "objective__code", "compliance", "year", "four_year", "weight"
            ),
            key=repr,
        ),
        "indicator_results": sorted(
            IndicatorCutResult.objects.filter(cut__plan=plan).values_list(
                "cut__date",
                "indicator__code",
                "status",
                "progress_cut",
                "progress_year",
                "progress_4y",
                "effective_weight",
                "alerts",
            ),
            key=repr,
        ),
    }


def sheet_xml(path: Path) -> dict[str, ElementTree.Element]:
    """Each worksheet's raw XML, by sheet name."""
    with zipfile.ZipFile(path) as archive:
        # Our own output, in a test: no need for defusedxml.
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
        target = {r.get("Id"): r.get("Target") for r in rels}
        found = {}
        for sheet in book.iter(f"{MAIN}sheet"):
            name = str(target[sheet.get(f"{REL}id")]).lstrip("/").removeprefix("xl/")
            found[str(sheet.get("name"))] = ElementTree.fromstring(  # noqa: S314
                archive.read(f"xl/{name}")
            )
    return found


def raw_cells(path: Path) -> dict[tuple[str, str], ElementTree.Element]:
    """Every ``<c>`` element with content, by (sheet, coordinate)."""
    return {
        (name, str(cell.get("r"))): cell
        for name, root in sheet_xml(path).items()
        for cell in root.iter(f"{MAIN}c")
        if len(cell)
    }


def cell_text(cell: ElementTree.Element) -> str | None:
    node = cell.find(f"{MAIN}is/{MAIN}t")
    return None if node is None else node.text


def assert_no_formulas(path: Path) -> None:
    for name, root in sheet_xml(path).items():
        assert root.find(f".//{MAIN}f") is None, name


def round_trip_in_database(tmp: Path, first: PlanWorkbook) -> tuple[PlanWorkbook, Path]:
    """Import ``first``, export it, and check the export: read back it is what was exported,
    it holds no formula, and importing it again changes nothing. Returns the export read back
    and its path; the plan stays in the database."""
    import_workbook(workbook=first, actor_label="prueba")
    exported = plan_workbook(Plan.objects.get(code=first.info.code))
    path = tmp / "exportado.xlsx"
    write_workbook(exported, path)
    again = read_template(path)
    assert again == exported
    assert_no_formulas(path)
    state = database_state()
    assert not import_workbook(workbook=again).changed
    assert database_state() == state
    return again, path


# ---------------------------------------------------------------------------------------------
# Round trips through the database


@pytest.mark.django_db
def test_small_plan_round_trips_through_the_database(tmp_path):
    first = read_template(write_rows(tmp_path / "original.xlsx", small_plan()))
    again, path = round_trip_in_database(tmp_path, first)
    assert again == renumbered(first)
    assert load_workbook(path).sheetnames == [
        "instrucciones",
        "plan",
        "objetivos",
        "metas",
        "indicadores",
        "programacion_anual",
        "avances",
        "ponderaciones",
    ]
    # Deleted and loaded again from the export alone: the same rows and the same results.
    rows = plan_rows("PM-2024")
    Plan.objects.get(code="PM-2024").delete()
    import_workbook(workbook=read_template(path))
    assert plan_rows("PM-2024") == rows


@pytest.mark.django_db
def test_the_seed_sample_round_trips_through_the_database(tmp_path):
    call_command("demo", verbosity=0)
    first = read_template(SAMPLE)
    again, path = round_trip_in_database(tmp_path, first)
    assert again == renumbered(first)
    assert "ponderaciones" not in load_workbook(path).sheetnames  # the seed has no weights
    rows = plan_rows(first.info.code)
    Plan.objects.get(code=first.info.code).delete()
    import_workbook(workbook=read_template(path))
    assert plan_rows(first.info.code) == rows


@pytest.mark.django_db
def test_plan_campos_are_all_written(tmp_path):
    sheets = small_plan()
    sheets["plan"] += [
        ["entidad_cabeza", "Secretaría General"],
        ["plan_desarrollo", "Bogotá Camina Segura"],
        ["mision", "Misión"],
        ["vision", "Visión"],
        ["acto_adopcion", "Resolución 630 de 2024"],
        ["fuente", "SEGPLAN"],
        ["umbral_sobreejecucion", "120,5"],
        ["base_legal", "Ley 152 de 1994, art. 29"],
    ]
    import_workbook(workbook=read_template(write_rows(tmp_path / "p.xlsx", sheets)))
    path = tmp_path / "e.xlsx"
    export_plan(code="PM-2024", path=path)
    values = {
        row[0]: row[1] for row in load_workbook(path)["plan"].iter_rows(min_row=2, values_only=True)
    }
    assert values == {
        "codigo": "PM-2024",
        "nombre": "Plan de prueba",
        "sector": "Sector de prueba",
        "entidad_cabeza": "Secretaría General",
        "plan_desarrollo": "Bogotá Camina Segura",
        "vigencia_inicial": 2024,
        "vigencia_final": 2027,
        "mision": "Misión",
        "vision": "Visión",
        "acto_adopcion": "Resolución 630 de 2024",
        "fuente": "SEGPLAN",
        "tope_indicador": 100,
        "umbral_sobreejecucion": 120.5,
        "base_legal": "Ley 152 de 1994, art. 29",
    }
    info = read_template(path).info
    assert info.legal_basis == "Ley 152 de 1994, art. 29"
    assert info.head_entity == "Secretaría General"


# ---------------------------------------------------------------------------------------------
# Cells: text stays text, numbers stay exact, dates are dates


@pytest.mark.django_db
def test_formula_looking_text_is_a_string_cell_with_quote_prefix(tmp_path):
    import_workbook(workbook=read_template(write_rows(tmp_path / "p.xlsx", small_plan())))
    plan = Plan.objects.get(code="PM-2024")
    Objective.objects.filter(plan=plan, code="A").update(name=HOSTILE[0])
    Goal.objects.filter(plan=plan, code="M1").update(name="@SUM(A1)")
    Indicator.objects.filter(plan=plan, code="S").update(name="+1", unit="-2")
    Indicator.objects.filter(plan=plan, code="C").update(name="#N/A")
    ProgressReport.objects.filter(indicator__code="D").update(analysis="=1+1")
    Plan.objects.filter(pk=plan.pk).update(mission="\t=tab", vision="\r=cr")

    path = tmp_path / "e.xlsx"
    export_plan(code="PM-2024", path=path)
    cells = raw_cells(path)
    book = load_workbook(path)
    formula_like = {
        ("objetivos", "B2"): HOSTILE[0],  # A comes first once sorted by orden
        ("metas", "D2"): "@SUM(A1)",
        ("indicadores", "C2"): "+1",
        ("indicadores", "D2"): "-2",
        ("avances", "E5"): "=1+1",
    }
    for (sheet, ref), text in formula_like.items():
        cell = cells[(sheet, ref)]
        assert cell.get("t") == "inlineStr", (sheet, ref)
        assert cell.find(f"{MAIN}f") is None
        assert cell_text(cell) == text
        assert book[sheet][ref].quotePrefix, (sheet, ref)
        assert book[sheet][ref].number_format == "@"
    error_like = cells[("indicadores", "C3")]
    assert (error_like.get("t"), cell_text(error_like)) == ("inlineStr", "#N/A")
    assert not book["indicadores"]["C3"].quotePrefix
    assert_no_formulas(path)

    workbook = read_template(path)
    assert workbook.objectives[0].name == HOSTILE[0]
    assert workbook.goals[0].name == "@SUM(A1)"
    assert (workbook.indicators[0].name, workbook.indicators[0].unit) == ("+1", "-2")
    assert workbook.indicators[1].name == "#N/A"
    # A leading tab or carriage return gets the prefix too; the reader then strips the space.
    mission = book["plan"]["B9"]
    assert mission.value == "\t=tab"
    assert mission.quotePrefix
    assert book["plan"]["B10"].quotePrefix  # "\r=cr", stored as "\n=cr"
    assert (workbook.info.mission, workbook.info.vision) == ("=tab", "=cr")


@pytest.mark.django_db
def test_text_the_reader_would_clean_is_escaped_so_it_reads_back_identical(tmp_path):
    import_workbook(workbook=read_template(write_rows(tmp_path / "p.xlsx", small_plan())))
    texts = {
        "S": "<b>negrita</b> y &amp; literal",
        "C": "Texto con &lt;p&gt; escapado",
        "D": "a < b y c > d, AT&T",
    }
    for code, text in texts.items():
        Indicator.objects.filter(code=code).update(name=text)
    path = tmp_path / "e.xlsx"
    export_plan(code="PM-2024", path=path)
    names = {i.code: i.name for i in read_template(path).indicators}
    assert names == texts
    # Plain text is written as it is; only text the reader would change is escaped.
    written = {
        row[0]: row[2]
        for row in load_workbook(path)["indicadores"].iter_rows(min_row=2, values_only=True)
    }
    assert written["D"] == texts["D"]
    assert written["S"] == "&lt;b&gt;negrita&lt;/b&gt; y &amp;amp; literal"


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "<p>x</p>",
        "&nbsp;",
        "&copy 2024",
        "<br/>",
        "a<b",
        "uno\ndos",
        '=HYPERLINK("x")',
        "😀 emoji",
    ],
)
def test_text_for_cell_survives_the_readers_cleaning(text):
    from cascada.imports.text import clean_text

    assert clean_text(text_for_cell(text)) == text


def test_text_for_cell_drops_what_xml_cannot_hold_and_unifies_line_breaks():
    assert text_for_cell("a\x00b\x1fc\ufffe") == "abc"
    assert text_for_cell("uno\r\ndos\rtres") == "uno\ndos\ntres"


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (Decimal("10.000000"), 10),
        (Decimal("0.18"), 0.18),
        (Decimal("-2.5"), -2.5),
        (Decimal("60.67"), 60.67),
        (Decimal("123456789.123456"), 123456789.123456),
        (Decimal("0.000001"), 0.000001),
        (Decimal("9.99999999999999"), 9.99999999999999),
        # Beyond a double's 15 significant digits: exact text, which the number rule reads.
        (Decimal("123456789012.123456"), "123456789012.123456"),
        (Decimal("123456789012345678.123456"), "123456789012345678.123456"),
        (Decimal("-0.1234567890123456789"), "-0.1234567890123456789"),
        (Decimal("12345678901234567"), "12345678901234567"),
    ],
)
def test_numbers_are_numeric_cells_unless_only_text_is_exact(number, expected):
    value = exact_cell_number(number)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.django_db
def test_numbers_and_dates_round_trip_exactly(tmp_path):
    import_workbook(workbook=read_template(write_rows(tmp_path / "p.xlsx", small_plan())))
    Indicator.objects.filter(code="S").update(
        baseline=Decimal("123456789.123456"), target_4y=Decimal("0.000001")
    )
    Indicator.objects.filter(code="C").update(baseline=Decimal("-1234.5"))
    path = tmp_path / "e.xlsx"
    export_plan(code="PM-2024", path=path)
    book = load_workbook(path)
    assert book["indicadores"]["F2"].value == 123456789.123456
    assert book["indicadores"]["G2"].value == 0.000001
    assert book["indicadores"]["F3"].value == -1234.5
    assert book["avances"]["B2"].value.date() == date(2025, 12, 31)
    assert book["avances"]["B2"].number_format == "yyyy-mm-dd"
    assert book["ponderaciones"]["D2"].data_type == "n"
    specs = {i.code: i for o in read_template(path).spec.objectives for i in o.indicators}
    assert specs["S"].baseline == Decimal("123456789.123456")
    assert specs["S"].target_4y == Decimal("0.000001")
    assert specs["C"].baseline == Decimal("-1234.5")


def test_numbers_beyond_a_double_are_written_exactly(tmp_path):
    # PostgreSQL keeps 24 digits (SQLite only a double's 15): the file must not lose them.
    big = Decimal("123456789012345678.123456")
    first = read_template(write_rows(tmp_path / "p.xlsx", small_plan()))
    objectives = tuple(
        replace(o, indicators=tuple(replace(i, baseline=big) for i in o.indicators))
        for o in first.spec.objectives
    )
    workbook = replace(first, spec=replace(first.spec, objectives=objectives))
    write_workbook(workbook, tmp_path / "e.xlsx")
    assert load_workbook(tmp_path / "e.xlsx")["indicadores"]["F2"].value == str(big)
    again = read_template(tmp_path / "e.xlsx")
    assert again == workbook
    assert again.spec.objectives[0].indicators[0].baseline == big


@pytest.mark.django_db
def test_the_export_has_the_empty_templates_layout(tmp_path):
    import_workbook(workbook=read_template(write_rows(tmp_path / "p.xlsx", small_plan())))
    path = tmp_path / "e.xlsx"
    export_plan(code="PM-2024", path=path)
    empty = tmp_path / "vacia.xlsx"
    write_empty_template(empty)
    exported, template = load_workbook(path), load_workbook(empty)
    assert exported.sheetnames == template.sheetnames
    for name in template.sheetnames:
        ours, theirs = exported[name], template[name]
        assert [c.value for c in ours[1]] == [c.value for c in theirs[1]], name
        assert [c.font.bold for c in ours[1]] == [c.font.bold for c in theirs[1]], name
        assert [c.comment and c.comment.text for c in ours[1]] == [
            c.comment and c.comment.text for c in theirs[1]
        ], name
        assert ours.freeze_panes == theirs.freeze_panes, name
        assert [(str(v.sqref), v.formula1) for v in ours.data_validations.dataValidation] == [
            (str(v.sqref), v.formula1) for v in theirs.data_validations.dataValidation
        ], name
        for letter, dimension in theirs.column_dimensions.items():
            assert ours.column_dimensions[letter].number_format == dimension.number_format
    # Code cells are text cells formatted as text ("77" is not a number, "127-2057" not a date).
    assert exported["metas"]["A2"].data_type == "s"
    assert exported["metas"]["A2"].number_format == "@"


def test_a_workbook_the_writer_wrote_reads_back_identical(tmp_path):
    first = read_template(write_rows(tmp_path / "p.xlsx", small_plan()))
    write_workbook(first, tmp_path / "e.xlsx")
    assert read_template(tmp_path / "e.xlsx") == first
    sample = read_template(SAMPLE)
    write_workbook(sample, tmp_path / "s.xlsx")
    assert read_template(tmp_path / "s.xlsx") == sample


# ---------------------------------------------------------------------------------------------
# The command


@pytest.mark.django_db
def test_export_command_writes_the_plan(tmp_path, capsys):
    import_workbook(workbook=read_template(write_rows(tmp_path / "p.xlsx", small_plan())))
    call_command("export", "--plan", "PM-2024", "-o", str(tmp_path / "e.xlsx"))
    out = capsys.readouterr().out
    assert "Plan PM-2024 exportado" in out
    assert read_template(tmp_path / "e.xlsx").info.code == "PM-2024"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("plan", "name", "fragment"),
    [
        ("NO-EXISTE", "e.xlsx", "No existe un plan con el código 'NO-EXISTE'"),
        ("PM-2024", "e.csv", "debe terminar en .xlsx"),
        ("PM-2024", "falta/e.xlsx", "No existe la carpeta de destino"),
    ],
)
def test_export_command_refuses_bad_input_with_status_2(tmp_path, capsys, plan, name, fragment):
    import_workbook(workbook=read_template(write_rows(tmp_path / "p.xlsx", small_plan())))
    with pytest.raises(SystemExit) as exit_info:
        call_command("export", "--plan", plan, "-o", str(tmp_path / name))
    assert exit_info.value.code == 2
    output = capsys.readouterr()
    assert fragment in output.err
    assert output.out == ""
    assert not (tmp_path / name).exists()


@pytest.mark.django_db
def test_unknown_plan_names_the_existing_ones(tmp_path, capsys):
    import_workbook(workbook=read_template(write_rows(tmp_path / "p.xlsx", small_plan())))
    with pytest.raises(SystemExit):
        call_command("export", "--plan", "pm-2024", "-o", str(tmp_path / "e.xlsx"))
    assert "Planes existentes: PM-2024." in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# Property: random valid plans survive write → read → import → export → read

_ALPHABET = st.one_of(
    st.characters(exclude_categories=("Cs", "Cc")),
    st.sampled_from(list("\n\t<>&=+-@#;%'\"")),
)
_SAMPLES = [*HOSTILE, "<b>negrita</b>", "&amp;", "&lt;p&gt;", "uno\ndos"]
_TEXT = st.one_of(st.sampled_from(_SAMPLES), st.text(_ALPHABET, max_size=25)).map(str.strip)
_REQUIRED_TEXT = (
    st.one_of(st.sampled_from(_SAMPLES), st.text(_ALPHABET, min_size=1, max_size=25))
    .map(str.strip)
    .filter(bool)
)
_CODE = (
    st.one_of(
        st.sampled_from(
            ["=1", "-2", "+3", "@4", "127-2057", "0077", "77", "2026-03-31", "1.5", "ñ"]
        ),
        st.text(_ALPHABET, min_size=1, max_size=12),
    )
    .map(str.strip)
    .filter(bool)
)
_AMOUNT = st.one_of(
    st.sampled_from([Decimal(0), Decimal(1), Decimal("0.1"), Decimal("100"), Decimal("-2.5")]),
    st.decimals(min_value=-1000, max_value=10**6, places=2),
    # Six decimals, and 15 significant digits: all that SQLite keeps (PostgreSQL keeps 24).
    st.decimals(min_value=0, max_value=Decimal("999999999.999999"), places=6),
)
_PERCENT = st.decimals(min_value=100, max_value=1000, places=4)


def _split_100(draw, count: int) -> list[Decimal]:
    """``count`` weights with 4 decimals summing exactly to 100."""
    parts = draw(st.lists(st.integers(1, 1000), min_size=count, max_size=count))
    total = sum(parts)
    units = [part * 1_000_000 // total for part in parts]
    units[-1] += 1_000_000 - sum(units)
    return [Decimal(unit).scaleb(-4) for unit in units]


@st.composite
def plan_workbooks(draw) -> PlanWorkbook:
    first = draw(st.integers(2020, 2030))
    last = first + draw(st.integers(0, 3))
    vigencias = list(range(first, last + 1))

    objective_codes = draw(st.lists(_CODE, min_size=1, max_size=3, unique=True))
    orders = draw(
        st.lists(
            st.none() | st.integers(0, 5),
            min_size=len(objective_codes),
            max_size=len(objective_codes),
        )
    )
    objectives = sorted(
        (
            ObjectiveRow(code, draw(_REQUIRED_TEXT), order)
            for code, order in zip(objective_codes, orders, strict=True)
        ),
        key=lambda o: (o.order is None, o.order or 0),
    )
    entities = st.sampled_from(["", "Entidad X", "=Entidad", "Secretaría General"])
    goal_codes = draw(st.lists(_CODE, min_size=1, max_size=4, unique=True))
    goals = [
        GoalRow(
            code,
            draw(st.sampled_from(objective_codes)),
            draw(st.sampled_from(list(GoalKind))),
            draw(_REQUIRED_TEXT),
            draw(entities),
        )
        for code in goal_codes
    ]
    objective_of = {g.code: g.objective for g in goals}

    indicator_codes = draw(st.lists(_CODE, min_size=1, max_size=6, unique=True))
    cut_days = draw(
        st.lists(
            st.builds(
                lambda year, month, day: date(
                    year, month, min(day, calendar.monthrange(year, month)[1])
                ),
                st.sampled_from(vigencias),
                st.integers(1, 12),
                st.sampled_from([28, 30, 31]),
            ),
            max_size=3,
            unique=True,
        )
    )
    rows: list[IndicatorRow] = []
    specs: list[tuple[str, IndicatorSpec]] = []
    for code in indicator_codes:
        accumulation = draw(st.sampled_from(list(Accumulation)))
        baseline = (
            draw(_AMOUNT) if accumulation is Accumulation.DECRECIENTE else draw(st.none() | _AMOUNT)
        )
        targets = {
            vigencia: AnnualTarget(draw(_AMOUNT), draw(st.none() | _AMOUNT))
            for vigencia in draw(st.lists(st.sampled_from(vigencias), unique=True))
        }
        progress = {
            day: Progress(
                draw(st.none() | st.just(Decimal(0)) | _AMOUNT),
                draw(st.none() | st.just(Decimal(0)) | _AMOUNT),
                draw(_TEXT),
            )
            for day in draw(
                st.lists(st.sampled_from(cut_days), unique=True) if cut_days else st.just([])
            )
        }
        goal = draw(st.sampled_from(goal_codes))
        rows.append(IndicatorRow(code, goal, draw(_REQUIRED_TEXT), draw(_TEXT)))
        specs.append(
            (
                objective_of[goal],
                IndicatorSpec(
                    code=code,
                    accumulation=accumulation,
                    baseline=baseline,
                    target_4y=draw(st.none() | _AMOUNT),
                    annual_targets=targets,
                    progress=progress,
                ),
            )
        )
    spec_objectives = tuple(
        ObjectiveSpec(o.code, tuple(s for objective, s in specs if objective == o.code))
        for o in objectives
    )

    indicator_weights: dict[int, dict[str, Decimal]] = {}
    objective_weights: dict[int, dict[str, Decimal]] = {}
    for vigencia in vigencias:
        in_force = {
            o.code: [i.code for i in o.indicators if vigencia in i.annual_targets]
            for o in spec_objectives
        }
        if not any(in_force.values()):
            continue
        if draw(st.booleans()):
            weights: dict[str, Decimal] = {}
            for codes in in_force.values():
                if codes:
                    weights.update(zip(codes, _split_100(draw, len(codes)), strict=True))
            indicator_weights[vigencia] = weights
        if draw(st.booleans()):
            codes = [code for code, children in in_force.items() if children]
            objective_weights[vigencia] = dict(
                zip(codes, _split_100(draw, len(codes)), strict=True)
            )

    info = PlanInfo(
        code=draw(_CODE),
        name=draw(_REQUIRED_TEXT),
        sector=draw(_REQUIRED_TEXT),
        head_entity=draw(entities),
        development_plan=draw(_TEXT),
        first_vigencia=first,
        last_vigencia=last,
        mission=draw(_TEXT),
        vision=draw(_TEXT),
        adopting_act=draw(_TEXT),
        source=draw(_TEXT),
        legal_basis=draw(_TEXT),
    )
    spec = PlanSpec(
        code=info.code,
        objectives=spec_objectives,
        policy=Policy(
            cap=draw(st.none() | _PERCENT),
            overexecution_threshold=draw(st.just(Decimal(100)) | _PERCENT),
        ),
        indicator_weights=indicator_weights,
        objective_weights=objective_weights,
    )
    assert validate_weights(spec) == []
    return PlanWorkbook(
        info=info,
        objectives=tuple(objectives),
        goals=tuple(goals),
        indicators=tuple(rows),
        spec=spec,
    )


@pytest.mark.slow
@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(generated=plan_workbooks())
def test_random_plans_survive_write_read_import_export_read(generated):
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        write_workbook(generated, tmp / "generado.xlsx")
        first = read_template(tmp / "generado.xlsx")
        assert first == generated  # the writer is exact: what it writes is what is read
        try:
            again, path = round_trip_in_database(tmp, first)
            assert again == renumbered(first)
            book = load_workbook(path)
            for (sheet, ref), cell in raw_cells(path).items():
                text = cell_text(cell)
                if text and re.match(r"[=+\-@\t]", text):
                    assert cell.get("t") == "inlineStr", (sheet, ref, text)
                    assert book[sheet][ref].quotePrefix, (sheet, ref, text)
        finally:
            Plan.objects.filter(code=generated.info.code).delete()
