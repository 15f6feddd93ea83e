"""``recompute_cuts`` (one read of the plan, the engine's ``compute_cuts``, bulk writes) stores
exactly the rows that ``recompute_cut`` stores cut by cut, and replaces them on a second run."""

from __future__ import annotations

from typing import Any

import pytest

from cascada.plans.models import Plan
from cascada.synth.generate import MONTHLY, SizeSpec, generate
from cascada.synth.load import load
from cascada.tracking.models import (
    Cut,
    IndicatorCutResult,
    ObjectiveCutResult,
    PlanCutResult,
)
from cascada.tracking.services import recompute_cut, recompute_cuts

SIZE = SizeSpec(plans=2, indicators=90, objectives=(3, 4), months=MONTHLY)


def _stored(plan: Plan) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored result of ``plan`` as the database gives it back, ids and times apart."""
    indicator_fields = [
        f.attname for f in IndicatorCutResult._meta.concrete_fields if f.attname != "id"
    ]
    objective_fields = [
        f.attname for f in ObjectiveCutResult._meta.concrete_fields if f.attname != "id"
    ]
    plan_fields = [
        f.attname
        for f in PlanCutResult._meta.concrete_fields
        if f.attname not in ("id", "computed_at")
    ]
    return {
        "indicators": sorted(
            IndicatorCutResult.objects.filter(cut__plan=plan).values_list(*indicator_fields),
            key=repr,
        ),
        "objectives": sorted(
            ObjectiveCutResult.objects.filter(cut__plan=plan).values_list(*objective_fields),
            key=repr,
        ),
        "plan": sorted(
            PlanCutResult.objects.filter(cut__plan=plan).values_list(*plan_fields), key=repr
        ),
    }


@pytest.mark.django_db
def test_recompute_cuts_stores_exactly_what_recompute_cut_stores_cut_by_cut() -> None:
    load(generate(size=SIZE, seed=11), compute=False, actor_label="test")
    plans = list(Plan.objects.order_by("code"))
    assert len(plans) == 2
    one_by_one = {}
    for plan in plans:
        for cut in Cut.objects.filter(plan=plan).order_by("date"):
            recompute_cut(cut=cut)
        one_by_one[plan.code] = _stored(plan)
        assert len(one_by_one[plan.code]["plan"]) == 48
    plan_row_ids = set(PlanCutResult.objects.values_list("id", flat=True))

    IndicatorCutResult.objects.all().delete()
    ObjectiveCutResult.objects.all().delete()
    PlanCutResult.objects.all().delete()
    for plan in plans:
        recompute_cuts(plan=plan, cuts=list(Cut.objects.filter(plan=plan).order_by("date")))
        assert _stored(plan) == one_by_one[plan.code]

    # Again over stored rows: replaced, the same figures; the plan rows keep their ids.
    before = set(PlanCutResult.objects.values_list("id", flat=True))
    assert before.isdisjoint(plan_row_ids)
    for plan in plans:
        recompute_cuts(plan=plan, cuts=list(Cut.objects.filter(plan=plan)))
        assert _stored(plan) == one_by_one[plan.code]
    assert set(PlanCutResult.objects.values_list("id", flat=True)) == before


@pytest.mark.django_db
def test_recompute_cuts_only_touches_the_cuts_given() -> None:
    load(generate(size=SIZE, seed=12), compute=False, actor_label="test")
    plan, other = Plan.objects.order_by("code")
    cuts = list(Cut.objects.filter(plan=plan).order_by("date"))
    recompute_cuts(plan=plan, cuts=cuts[:3])
    assert set(PlanCutResult.objects.values_list("cut__date", flat=True)) == {
        c.date for c in cuts[:3]
    }
    assert not IndicatorCutResult.objects.filter(cut__plan=other).exists()
    with pytest.raises(ValueError, match="must belong to the plan"):
        recompute_cuts(plan=other, cuts=cuts[:1])
    assert recompute_cuts(plan=plan, cuts=[]) == []
