"""The seed report of 31 March 2026, number for number (DESIGN §3, issue 3).

Every figure the seed prints, computed from ``samples/`` and displayed es-CO. Where the seed prints
0,00 % for something that was not programmed, cascada shows no percentage and says why.
"""

from datetime import date
from pathlib import Path

import pytest

from cascada.engine import compute_cut
from cascada.engine.display import NO_PROGRAMMING, format_percent
from cascada.engine.model import Alert, Status
from cascada.imports.template_v1 import read_template

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "gestion_publica_2026-03-31.xlsx"
CUT = date(2026, 3, 31)

# objective: (compliance as cascada displays it, the seed's printed figure)
OBJECTIVES = {
    "O1": (NO_PROGRAMMING["es"], "0,00%"),
    "O2": ("100,00%", "100%"),
    "O3": ("100,00%", "100%"),
    "O4": ("183,33%", "183.33%"),
    "O5": ("100,00%", "100%"),
    "O6": ("98,48%", "98,48%"),
    "O7": ("60,00%", "60,00%"),
    "O8": ("100,00%", "100%"),
}

NP, CU, SO, RE = Status.NO_PROGRAMADA, Status.CUMPLIDA, Status.SOBREEJECUTADA, Status.EN_REZAGO
# indicator: (objective, % al corte, % vigencia, cascada's status); None = not programmed.
INDICATORS = {
    "4231": ("O1", None, "0,00%", NP),
    "IE-77": ("O1", None, "0,00%", NP),
    "3979": ("O2", "100,00%", "80,89%", CU),
    "3980": ("O2", None, "0,00%", NP),
    "IE-78": ("O3", None, "0,00%", NP),
    "4244": ("O3", "100,00%", "87,14%", CU),
    "4074": ("O4", "100,00%", "18,00%", CU),
    "4075": ("O4", "266,67%", "47,06%", SO),
    "IE-73": ("O5", None, "0,00%", NP),
    "4263": ("O5", "100,00%", "64,00%", CU),
    "4267": ("O5", "100,00%", "68,40%", CU),
    "IE-72": ("O6", None, "0,00%", NP),
    "4226": ("O6", "100,00%", "64,29%", CU),
    "A3": ("O6", "96,97%", "80,00%", RE),
    "4248": ("O6", None, "0,00%", NP),
    "4200": ("O7", "60,00%", "11,11%", RE),
    "4205": ("O8", "100,00%", "72,86%", CU),  # the seed says "No aplica"; §2 says cumplida
}


@pytest.fixture(scope="module")
def workbook():
    return read_template(SAMPLE)


@pytest.fixture(scope="module")
def result(workbook):
    return compute_cut(workbook.spec, cut=CUT)


def test_the_sample_is_the_seeds_plan(workbook):
    assert workbook.info.code == "PES-GP-2024-2027"
    assert [o.code for o in workbook.spec.objectives] == list(OBJECTIVES)
    assert [i.code for o in workbook.spec.objectives for i in o.indicators] == list(INDICATORS)
    assert "Resolución No. 630 de 2024" in workbook.info.adopting_act
    assert workbook.objectives[3].name.startswith("Desarrollar y consolidar la arquitectura")


def test_every_objective_figure(result):
    shown = {
        o.code: format_percent(o.compliance.value) or NO_PROGRAMMING["es"]
        for o in result.objectives
    }
    assert shown == {code: cascada for code, (cascada, _seed) in OBJECTIVES.items()}


def test_objective_1_says_why_instead_of_zero(result):
    objective_1 = result.objectives[0]
    assert objective_1.compliance.value is None
    assert objective_1.compliance.terms == ()
    assert all(i.status is Status.NO_PROGRAMADA for i in objective_1.indicators)


def test_every_indicator_row(result):
    rows = {
        i.code: (
            o.code,
            format_percent(i.progress_cut) or None,
            format_percent(i.progress_year),
            i.status,
        )
        for o in result.objectives
        for i in o.indicators
    }
    assert rows == INDICATORS


def test_objective_4_is_explained_by_its_terms(result):
    terms = result.objectives[3].compliance.terms
    assert [
        (t.code, format_percent(t.value), format_percent(t.effective_weight)) for t in terms
    ] == [
        ("4074", "100,00%", "50,00%"),
        ("4075", "266,67%", "50,00%"),
    ]


def test_the_seeds_narratives_are_analyses_and_no_alert_is_open(result):
    indicators = {i.code: i for o in result.objectives for i in o.indicators}
    assert indicators["4075"].analysis.startswith("Al corte 31 de marzo de 2026 la actividad")
    assert indicators["4200"].analysis.startswith("Al corte, la meta sectorial 2276")
    assert "<p>" not in indicators["4200"].analysis
    assert all(
        Alert.ANALISIS_FALTANTE not in i.alerts and Alert.SIN_REPORTE not in i.alerts
        for i in indicators.values()
    )


def test_plan_figure_is_the_mean_of_the_seven_programmed_objectives(result):
    assert [t.code for t in result.compliance.terms] == ["O2", "O3", "O4", "O5", "O6", "O7", "O8"]
    assert format_percent(result.compliance.value) == "105,97%"
