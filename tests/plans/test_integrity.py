"""Integrity lives in the database, not only in forms: each rule is refused by SQLite and
PostgreSQL alike, whatever code writes the row."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from cascada.plans.models import (
    AnnualTarget,
    Goal,
    Indicator,
    Objective,
    Plan,
    Sector,
    Weight,
)
from cascada.tracking.models import Cut, CutTarget, ProgressReport

pytestmark = pytest.mark.django_db


def make_plan(code):
    sector, _ = Sector.objects.get_or_create(name="Sector")
    plan = Plan.objects.create(
        code=code, name=code, sector=sector, first_vigencia=2024, last_vigencia=2027
    )
    objective = Objective.objects.create(plan=plan, code="O1", name="Objetivo")
    goal = Goal.objects.create(
        plan=plan, objective=objective, code="M1", kind="sectorial", name="Meta"
    )
    indicator = Indicator.objects.create(
        plan=plan, goal=goal, code="I1", name="Indicador", accumulation="suma"
    )
    cut = Cut.objects.create(plan=plan, date=date(2026, 3, 31))
    return plan, objective, goal, indicator, cut


@pytest.fixture
def a():
    return make_plan("A")


@pytest.fixture
def b():
    return make_plan("B")


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_codes_are_unique_per_plan(a, b):
    plan, _objective, goal, _, _ = a
    refused(lambda: Objective.objects.create(plan=plan, code="O1", name="otra"))
    refused(
        lambda: Indicator.objects.create(
            plan=plan, goal=goal, code="I1", name="x", accumulation="suma"
        )
    )
    # ... but the same code in another plan is fine.
    assert Objective.objects.filter(code="O1").count() == 2


def test_a_weight_is_between_0_and_100(a):
    plan, objective, _, indicator, _ = a
    refused(
        lambda: Weight.objects.create(
            plan=plan, level="indicador", vigencia=2026, indicator=indicator, weight=Decimal(101)
        )
    )
    refused(
        lambda: Weight.objects.create(
            plan=plan, level="objetivo", vigencia=2026, objective=objective, weight=Decimal(-1)
        )
    )
    Weight.objects.create(
        plan=plan, level="objetivo", vigencia=2026, objective=objective, weight=Decimal(100)
    )


def test_a_weight_names_what_its_level_says(a):
    plan, objective, _, _indicator, _ = a
    refused(
        lambda: Weight.objects.create(
            plan=plan, level="indicador", vigencia=2026, objective=objective, weight=1
        )
    )


def test_vigencias_lie_within_the_plans_range(a):
    plan, _, _, indicator, _ = a
    refused(lambda: AnnualTarget.objects.create(indicator=indicator, vigencia=2028, target=1))
    refused(lambda: Cut.objects.create(plan=plan, date=date(2023, 12, 31)))
    refused(
        lambda: Weight.objects.create(
            plan=plan, level="indicador", vigencia=2030, indicator=indicator, weight=1
        )
    )
    AnnualTarget.objects.create(indicator=indicator, vigencia=2027, target=1)
    # Narrowing the plan's range below its data is refused too.
    plan.last_vigencia = 2026
    refused(plan.save)


def test_first_vigencia_not_after_last():
    sector = Sector.objects.create(name="S")
    refused(
        lambda: Plan.objects.create(
            code="X", name="X", sector=sector, first_vigencia=2027, last_vigencia=2024
        )
    )


def test_a_report_belongs_to_a_cut_of_its_plan(a, b):
    _, _, _, indicator_a, cut_a = a
    _, _, _, _, cut_b = b
    refused(lambda: ProgressReport.objects.create(cut=cut_b, indicator=indicator_a, executed=1))
    refused(lambda: CutTarget.objects.create(cut=cut_b, indicator=indicator_a, programmed=1))
    ProgressReport.objects.create(cut=cut_a, indicator=indicator_a, executed=1)
    report = ProgressReport.objects.get()
    report.cut = cut_b
    refused(report.save)


def test_goals_and_indicators_stay_inside_their_plan(a, b):
    _plan_a, objective_a, goal_a, _, _ = a
    plan_b, _, _, _, _ = b
    refused(
        lambda: Goal.objects.create(
            plan=plan_b, objective=objective_a, code="M9", kind="sectorial", name="x"
        )
    )
    refused(
        lambda: Indicator.objects.create(
            plan=plan_b, goal=goal_a, code="I9", name="x", accumulation="suma"
        )
    )


def test_closed_vocabularies(a):
    plan, objective, goal, _, cut = a
    refused(
        lambda: Goal.objects.create(
            plan=plan, objective=objective, code="M2", kind="otra", name="x"
        )
    )
    refused(
        lambda: Indicator.objects.create(
            plan=plan, goal=goal, code="I2", name="x", accumulation="exponencial"
        )
    )
    cut.state = "borrador"
    refused(cut.save)
