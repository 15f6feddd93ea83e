"""The report dataset: one source for every format, with the seed's figures."""

from datetime import date

import pytest
from django.core.management import call_command

from cascada.engine.display import format_percent
from cascada.reports.dataset import ReportNotFound, build_dataset

pytestmark = pytest.mark.django_db
CUT = date(2026, 3, 31)


@pytest.fixture
def dataset(django_assert_max_num_queries):
    call_command("demo", verbosity=0)
    with django_assert_max_num_queries(12):
        return build_dataset(plan_code="PES-GP-2024-2027", cut_date=CUT)


def test_objectives_and_indicators_carry_the_seed_figures(dataset):
    figures = [format_percent(o.compliance) for o in dataset.objectives]
    assert figures == [
        "",
        "100,00%",
        "100,00%",
        "183,33%",
        "100,00%",
        "98,48%",
        "60,00%",
        "100,00%",
    ]
    rows = {i.code: i for o in dataset.objectives for i in o.indicators}
    assert format_percent(rows["4075"].progress_cut) == "266,67%"
    assert format_percent(rows["4075"].progress_year) == "47,06%"
    assert rows["4075"].status_label == "Sobreejecutada"
    assert rows["A3"].analysis.startswith("Al corte del mes de marzo del 2026")
    assert rows["3979"].goal_code == "127-2057"
    assert dataset.objectives[0].programmed_count == 0
    assert dataset.objectives[3].programmed_count == 2
    assert [t.code for t in dataset.objectives[3].terms] == ["4074", "4075"]


def test_source_line_and_cut_in_words(dataset):
    assert dataset.cut_label == "31 de marzo de 2026"
    assert dataset.source_line.startswith("Fuente: SEGPLAN. Plan de Desarrollo")
    assert dataset.source_line.endswith("Corte 31 de marzo de 2026.")


def test_formulation_matrix_lists_every_indicator_with_its_annual_targets(dataset):
    assert len(dataset.formulation) == 17
    first = dataset.formulation[0]
    assert (first.objective_code, first.indicator_code, first.annual_targets) == (
        "O1",
        "4231",
        {2026: 46},
    )
    assert dataset.vigencias == (2024, 2025, 2026, 2027)


def test_json_is_the_same_data(dataset):
    data = dataset.as_json()
    assert data["objectives"][3]["compliance"] == pytest.approx(550 / 3)
    assert data["objectives"][0]["compliance"] is None
    assert data["cut"] == "2026-03-31"


def test_english_labels():
    call_command("demo", verbosity=0)
    dataset = build_dataset(plan_code="PES-GP-2024-2027", cut_date=CUT, lang="en")
    assert dataset.cut_label == "March 31, 2026"
    assert dataset.source_line.endswith("Cut March 31, 2026.")


def test_unknown_plan_or_cut():
    call_command("demo", verbosity=0)
    with pytest.raises(ReportNotFound):
        build_dataset(plan_code="NOPE", cut_date=CUT)
    with pytest.raises(ReportNotFound):
        build_dataset(plan_code="PES-GP-2024-2027", cut_date=date(2026, 6, 30))


def test_the_plans_logo_and_semaforo_travel_with_the_dataset(settings, tmp_path):
    from decimal import Decimal

    from django.core.files.base import ContentFile

    from cascada.plans.models import Plan, SemaforoBand

    settings.MEDIA_ROOT = tmp_path
    call_command("demo", verbosity=0)
    plan = Plan.objects.get(code="PES-GP-2024-2027")
    plan.logo.save("escudo.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    default = build_dataset(plan_code=plan.code, cut_date=CUT)
    assert [b.color for b in default.plan.bands] == ["rojo", "amarillo", "verde", "azul"]
    SemaforoBand.objects.create(plan=plan, color="rojo", lower=None)
    SemaforoBand.objects.create(plan=plan, color="verde", lower=Decimal(80))
    dataset = build_dataset(plan_code=plan.code, cut_date=CUT)
    assert dataset.plan.logo_path is not None
    assert dataset.plan.logo_path.startswith(str(tmp_path))
    assert [(b.color, b.lower) for b in dataset.plan.bands] == [
        ("rojo", Decimal("-Infinity")),
        ("verde", Decimal(80)),
    ]
