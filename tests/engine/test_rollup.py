"""DESIGN §3: objectives and the plan as weighted means, and their properties."""

from datetime import date
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from cascada.engine import compute_cut
from cascada.engine.model import (
    Accumulation,
    AnnualTarget,
    IndicatorSpec,
    ObjectiveSpec,
    PlanSpec,
    Policy,
    Progress,
    Status,
)
from cascada.engine.rollup import weighted_mean

CUT = date(2026, 3, 31)


def ind(code, programmed, executed, *, target="10", target_4y=None, accumulation=Accumulation.SUMA):
    return IndicatorSpec(
        code=code,
        accumulation=accumulation,
        target_4y=None if target_4y is None else D(target_4y),
        annual_targets={} if target is None else {2026: AnnualTarget(D(target))},
        progress={CUT: Progress(_d(programmed), _d(executed), "análisis")},
    )


def _d(v):
    return None if v is None else D(v)


def plan(*objectives, policy=Policy(), indicator_weights=None, objective_weights=None):
    return PlanSpec(
        code="P",
        objectives=tuple(ObjectiveSpec(code, tuple(inds)) for code, inds in objectives),
        policy=policy,
        indicator_weights=indicator_weights or {},
        objective_weights=objective_weights or {},
    )


def close(value, expected):
    assert value is not None
    assert abs(value - D(expected)) < D("1e-9"), value


def test_objective_is_the_mean_of_its_programmed_indicators():
    # The seed's Objetivo 4: (100 + 266,67) / 2 = 183,33.
    result = compute_cut(plan(("O4", [ind("a", "0.18", "0.18"), ind("b", "3", "8")])), cut=CUT)
    close(result.objectives[0].compliance.value, D(1100) / 6)


def test_unprogrammed_and_unprogrammed_execution_leave_the_cut_rollup():
    result = compute_cut(
        plan(("O", [ind("a", "2", "1"), ind("b", "0", "0"), ind("c", None, "5")])), cut=CUT
    )
    objective = result.objectives[0]
    close(objective.compliance.value, 50)
    assert [t.code for t in objective.compliance.terms] == ["a"]
    assert [i.effective_weight for i in objective.indicators] == [D(100), None, None]


def test_a_missing_report_counts_as_zero_and_never_raises_the_objective():
    result = compute_cut(plan(("O", [ind("a", "2", "2"), ind("b", "2", None)])), cut=CUT)
    close(result.objectives[0].compliance.value, 50)


def test_objective_with_nothing_programmed_is_null_not_zero():
    result = compute_cut(
        plan(("O1", [ind("a", "0", "0"), ind("b", "0", "0")]), ("O2", [ind("c", "1", "1")])),
        cut=CUT,
    )
    assert result.objectives[0].compliance.value is None
    assert result.objectives[0].semaforo is None
    # ... and the plan averages only objectives with something programmed.
    close(result.compliance.value, 100)
    assert [t.code for t in result.compliance.terms] == ["O2"]


def test_weights_are_renormalised_over_programmed_indicators():
    weights = {2026: {"a": D(50), "b": D(30), "c": D(20)}}
    result = compute_cut(
        plan(
            ("O", [ind("a", "0", "0"), ind("b", "2", "2"), ind("c", "2", "1")]),
            indicator_weights=weights,
        ),
        cut=CUT,
    )
    objective = result.objectives[0]
    close(objective.compliance.value, D("0.6") * 100 + D("0.4") * 50)
    assert [i.effective_weight for i in objective.indicators] == [None, D(60), D(40)]
    assert [i.weight for i in objective.indicators] == [D(50), D(30), D(20)]


def test_weights_of_another_vigencia_do_not_apply():
    weights = {2025: {"a": D(90), "b": D(10)}}
    result = compute_cut(
        plan(("O", [ind("a", "2", "2"), ind("b", "2", "1")]), indicator_weights=weights), cut=CUT
    )
    close(result.objectives[0].compliance.value, 75)


def test_plan_is_the_weighted_mean_of_objectives():
    objectives = (("O1", [ind("a", "2", "2")]), ("O2", [ind("b", "2", "1")]))
    equal = compute_cut(plan(*objectives), cut=CUT)
    close(equal.compliance.value, 75)
    weighted = compute_cut(
        plan(*objectives, objective_weights={2026: {"O1": D(25), "O2": D(75)}}), cut=CUT
    )
    close(weighted.compliance.value, D("62.5"))
    assert [t.effective_weight for t in weighted.compliance.terms] == [D(25), D(75)]
    assert weighted.objectives[1].weight == D(75)


def test_cap_applies_inside_rollups_only():
    capped = compute_cut(
        plan(("O", [ind("a", "1", "1"), ind("b", "3", "8")]), policy=Policy(cap=D(100))), cut=CUT
    )
    objective = capped.objectives[0]
    close(objective.compliance.value, 100)
    close(objective.indicators[1].progress_cut, D(800) / 3)  # displayed uncapped
    term = objective.compliance.terms[1]
    close(term.value, D(800) / 3)
    close(term.value_used, 100)


def test_vigencia_rollup_covers_indicators_with_an_annual_target_and_counts_missing_as_zero():
    result = compute_cut(
        plan(
            (
                "O",
                [
                    ind("a", "0", "0", target="10"),  # not programmed yet: 0 % of the year
                    ind("b", "2", "5", target="10"),  # 50 %
                    ind("c", "2", None, target="10"),  # not reported: 0
                    ind("d", "0", "0", target="0"),  # no target this year: left out
                    ind("e", "1", "1", target=None),  # not in force: left out
                ],
            )
        ),
        cut=CUT,
    )
    year = result.objectives[0].year
    assert [t.code for t in year.terms] == ["a", "b", "c"]
    close(year.value, D(50) / 3)
    close(result.year.value, D(50) / 3)


def test_four_year_rollup_covers_indicators_with_a_four_year_target():
    result = compute_cut(
        plan(
            (
                "O",
                [
                    ind("a", "2", "5", target_4y="20"),
                    ind("b", "2", "2", target_4y=None),
                    ind("c", "2", None, target_4y="40"),
                ],
            )
        ),
        cut=CUT,
    )
    four_year = result.objectives[0].four_year
    assert [t.code for t in four_year.terms] == ["a", "c"]
    close(four_year.value, D(25) / 2)
    close(result.four_year.value, D(25) / 2)


def test_no_vigente_leaves_everything():
    result = compute_cut(plan(("O", [ind("a", "2", "2", target=None, target_4y="10")])), cut=CUT)
    objective = result.objectives[0]
    assert objective.indicators[0].status is Status.NO_VIGENTE
    assert (objective.compliance.value, objective.year.value, objective.four_year.value) == (
        None,
        None,
        None,
    )
    assert result.compliance.value is None


def test_all_zero_weights_give_no_value_rather_than_a_division_by_zero():
    result = compute_cut(
        plan(
            ("O", [ind("a", "2", "2"), ind("b", "0", "0")]),
            indicator_weights={2026: {"a": D(0), "b": D(100)}},
        ),
        cut=CUT,
    )
    assert result.objectives[0].compliance.value is None
    assert result.objectives[0].compliance.terms[0].effective_weight == 0


def test_semaforo_bands_are_data():
    result = compute_cut(
        plan(
            ("R", [ind("a", "100", "69.99")]),
            ("A", [ind("b", "100", "70")]),
            ("V", [ind("c", "100", "95")]),
            ("Z", [ind("d", "100", "101")]),
            ("C", [ind("e", "100", "100")]),
        ),
        cut=CUT,
    )
    assert [o.semaforo for o in result.objectives] == ["rojo", "amarillo", "verde", "azul", "verde"]
    assert [o.indicators[0].semaforo for o in result.objectives] == [
        "rojo",
        "amarillo",
        "verde",
        "azul",
        "verde",
    ]


# --- properties ---------------------------------------------------------------------------

values = st.decimals(min_value=0, max_value=1000, places=4, allow_nan=False, allow_infinity=False)
weights = st.decimals(
    min_value="0.01", max_value=100, places=2, allow_nan=False, allow_infinity=False
)
terms = st.lists(st.tuples(values, weights), min_size=1, max_size=12)


def items(pairs):
    return [(f"i{n}", v, w) for n, (v, w) in enumerate(pairs)]


def mean(pairs, cap=None) -> D:
    value = weighted_mean(items(pairs), cap=cap).value
    assert value is not None
    return value


@given(terms)
def test_a_weighted_mean_lies_between_its_terms(pairs):
    value = mean(pairs)
    assert min(v for v, _ in pairs) - D("1e-20") <= value <= max(v for v, _ in pairs) + D("1e-20")


@given(terms, st.decimals(min_value="0.001", max_value=1000, places=3))
def test_scaling_all_weights_changes_nothing(pairs, factor):
    a = weighted_mean(items(pairs), cap=None)
    b = weighted_mean(items([(v, w * factor) for v, w in pairs]), cap=None)
    assert abs(mean(pairs) - mean([(v, w * factor) for v, w in pairs])) < D("1e-18")
    for ta, tb in zip(a.terms, b.terms, strict=True):
        assert abs(ta.effective_weight - tb.effective_weight) < D("1e-18")


@given(terms)
def test_effective_weights_sum_to_a_hundred(pairs):
    total = sum((t.effective_weight for t in weighted_mean(items(pairs), cap=None).terms), D(0))
    assert abs(total - 100) < D("1e-20")


@given(terms, values.filter(lambda v: v > 0))
def test_capping_never_raises_a_result(pairs, cap):
    assert mean(pairs, cap) <= mean(pairs)


@given(st.lists(values, min_size=1, max_size=12))
def test_equal_weights_give_the_plain_mean(vals):
    assert abs(mean([(v, D(1)) for v in vals]) - sum(vals) / len(vals)) < D("1e-20")


programming = st.sampled_from([None, "0"]) | st.decimals(
    min_value="0.01", max_value=100, places=2
).map(str)
execution = st.sampled_from([None, "0"]) | st.decimals(min_value=0, max_value=200, places=2).map(
    str
)


@given(
    st.lists(st.tuples(programming, execution), min_size=1, max_size=8),
    st.tuples(st.sampled_from([None, "0"]), execution),
)
def test_an_excluded_indicator_never_moves_the_result(rows, excluded):
    """Adding an indicator that is not programmed at the cut changes no cut figure."""
    base = [ind(f"i{n}", p, e) for n, (p, e) in enumerate(rows)]
    extra = ind("x", *excluded)
    a = compute_cut(plan(("O", base)), cut=CUT).objectives[0].compliance
    b = compute_cut(plan(("O", [*base[:1], extra, *base[1:]])), cut=CUT).objectives[0].compliance
    assert a.value == b.value
    assert [t.effective_weight for t in a.terms] == [t.effective_weight for t in b.terms]


@given(st.lists(st.tuples(programming, execution), min_size=1, max_size=8))
def test_objective_compliance_matches_a_plain_recomputation(rows):
    """Reference check: the rollup equals the textbook mean over programmed indicators."""
    result = compute_cut(
        plan(("O", [ind(f"i{n}", p, e) for n, (p, e) in enumerate(rows)])), cut=CUT
    )
    programmed = [(D(p), None if e is None else D(e)) for p, e in rows if p not in (None, "0")]
    expected = (
        None
        if not programmed
        else sum(((e or 0) / p * 100 for p, e in programmed), D(0)) / len(programmed)
    )
    value = result.objectives[0].compliance.value
    if expected is None:
        assert value is None
    else:
        assert value is not None
        assert abs(value - expected) < D("1e-20")
