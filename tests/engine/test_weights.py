"""DESIGN §3: weights per vigencia cover every child in force and sum to 100, or are rejected."""

from decimal import Decimal as D

from cascada.engine.model import (
    Accumulation,
    AnnualTarget,
    IndicatorSpec,
    Level,
    ObjectiveSpec,
    PlanSpec,
)
from cascada.engine.weights import validate_weights


def ind(code, vigencias=(2026,)):
    return IndicatorSpec(
        code=code,
        accumulation=Accumulation.SUMA,
        annual_targets={v: AnnualTarget(D(1)) for v in vigencias},
    )


def plan(indicator_weights=None, objective_weights=None):
    return PlanSpec(
        code="P",
        objectives=(
            ObjectiveSpec("O1", (ind("a"), ind("b"), ind("old", vigencias=(2025,)))),
            ObjectiveSpec("O2", (ind("c"),)),
            ObjectiveSpec("O3", (ind("gone", vigencias=(2025,)),)),
        ),
        indicator_weights=indicator_weights or {},
        objective_weights=objective_weights or {},
    )


def test_no_weights_is_fine_equal_weights():
    assert validate_weights(plan()) == []


def test_complete_weights_summing_to_100_are_accepted_within_a_hundredth():
    weights = {2026: {"a": D("33.33"), "b": D("66.66"), "c": D(100)}}
    assert validate_weights(plan(weights, {2026: {"O1": D(60), "O2": D(40)}})) == []


def test_a_sum_other_than_100_is_rejected_for_that_group():
    (problem,) = validate_weights(plan({2026: {"a": D(50), "b": D(40), "c": D(100)}}))
    assert (problem.level, problem.vigencia, problem.group, problem.code) == (
        Level.INDICADOR,
        2026,
        "O1",
        None,
    )
    assert "suman 90,00" in problem.message


def test_every_child_in_force_needs_a_weight():
    problems = validate_weights(plan({2026: {"a": D(100)}}))
    assert {(p.group, p.code) for p in problems} == {("O1", "b"), ("O2", "c")}
    assert all("Falta el peso" in p.message for p in problems)


def test_a_child_not_in_force_may_only_weigh_zero():
    ok = {2026: {"a": D(50), "b": D(50), "old": D(0), "c": D(100)}}
    assert validate_weights(plan(ok)) == []
    bad = {2026: {"a": D(50), "b": D(40), "old": D(10), "c": D(100)}}
    codes = {p.code for p in validate_weights(plan(bad))}
    assert "old" in codes


def test_weights_outside_0_100_and_unknown_codes_are_rejected():
    problems = validate_weights(plan({2026: {"a": D(150), "b": D(-50), "c": D(100), "zz": D(1)}}))
    assert {p.code for p in problems} >= {"a", "b", "zz"}


def test_objective_weights_cover_objectives_in_force():
    problems = validate_weights(plan(objective_weights={2026: {"O1": D(100)}}))
    assert [(p.level, p.code) for p in problems] == [(Level.OBJETIVO, "O2")]
    assert validate_weights(plan(objective_weights={2026: {"O1": D(70), "O2": D(30)}})) == []
