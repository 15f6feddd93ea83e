"""DESIGN §2, one test per row and rule: one indicator at one cut."""

from datetime import date
from decimal import Decimal as D

import pytest

from cascada.engine.model import (
    Accumulation,
    Alert,
    AnnualTarget,
    EngineInputError,
    IndicatorSpec,
    Policy,
    Progress,
    Status,
)
from cascada.engine.progress import evaluate_indicator

CUT = date(2026, 3, 31)
S, C, CR, DE = (
    Accumulation.SUMA,
    Accumulation.CONSTANTE,
    Accumulation.CRECIENTE,
    Accumulation.DECRECIENTE,
)


def indicator(
    accumulation=S,
    *,
    target="17",
    programmed="3",
    executed="8",
    analysis="",
    baseline=None,
    year_baseline=None,
    target_4y=None,
    history=None,
):
    annual = {} if target is None else {2026: AnnualTarget(D(target), _d(year_baseline))}
    progress = {CUT: Progress(_d(programmed), _d(executed), analysis)}
    progress.update(history or {})
    return IndicatorSpec(
        code="X",
        accumulation=accumulation,
        baseline=_d(baseline),
        target_4y=_d(target_4y),
        annual_targets=annual,
        progress=progress,
    )


def _d(v):
    return None if v is None else D(v)


def evaluate(spec, policy=Policy()):
    return evaluate_indicator(spec, cut=CUT, policy=policy)


def close(value, expected):
    assert value is not None
    assert abs(value - D(expected)) < D("1e-9"), value


# --- the table of formulas ----------------------------------------------------------------


def test_suma_uses_executed_over_programmed_and_over_annual_target():
    r = evaluate(indicator(S, target="17", programmed="3", executed="8", analysis="x"))
    close(r.progress_cut, D(800) / 3)  # 266,67 %
    close(r.progress_year, D(800) / 17)  # 47,06 %


def test_constante_uses_the_same_ratios():
    r = evaluate(indicator(C, target="0.8", programmed="0.66", executed="0.64", analysis="x"))
    close(r.progress_cut, D("64") / D("0.66"))  # 96,97 %
    close(r.progress_year, D(80))


def test_creciente_measures_from_the_baseline():
    r = evaluate(
        indicator(CR, target="80", programmed="60", executed="55", baseline="40", analysis="x")
    )
    close(r.progress_cut, D(75))  # (55-40)/(60-40)
    close(r.progress_year, D("37.5"))  # (55-40)/(80-40)


def test_decreciente_measures_the_reduction_from_the_baseline():
    r = evaluate(
        indicator(DE, target="20", programmed="40", executed="45", baseline="50", analysis="x")
    )
    close(r.progress_cut, D(50))  # (50-45)/(50-40)
    close(r.progress_year, D("16.66666666666666666666666667"))  # (50-45)/(50-20)


def test_the_vigencia_baseline_overrides_the_indicators_own():
    r = evaluate(
        indicator(CR, target="80", programmed="60", executed="60", baseline="0", year_baseline="40")
    )
    close(r.progress_cut, D(100))
    close(r.progress_year, D(50))  # (60-40)/(80-40)
    assert r.baseline == D(40)


def test_blank_creciente_baseline_counts_as_zero_like_segplan():
    r = evaluate(indicator(CR, target="75", programmed="60.67", executed="60.67"))
    close(r.progress_cut, D(100))
    close(r.progress_year, D("6067") / 75)  # 80,89 %


def test_decreciente_without_a_baseline_is_refused():
    with pytest.raises(EngineInputError):
        evaluate(indicator(DE, target="20", programmed="40", executed="45"))


# --- four-year progress -------------------------------------------------------------------


def test_suma_four_year_adds_each_earlier_vigencias_last_cut():
    history = {
        date(2024, 6, 30): Progress(D(5), D(4)),
        date(2024, 12, 31): Progress(D(10), D(9)),  # last 2024 cut: 9
        date(2025, 9, 30): Progress(D(10), D(7)),
        date(2025, 12, 31): Progress(D(12), None),  # not reported: 2025's last reported is 7
    }
    r = evaluate(
        indicator(S, programmed="3", executed="8", target_4y="50", history=history, analysis="x")
    )
    close(r.progress_4y, D(9 + 7 + 8) * 2)  # 24/50


def test_later_cuts_of_the_same_vigencia_do_not_count_for_the_four_year_sum():
    history = {date(2026, 6, 30): Progress(D(5), D(20))}
    r = evaluate(
        indicator(S, programmed="3", executed="8", target_4y="50", history=history, analysis="x")
    )
    close(r.progress_4y, D(16))


def test_other_types_four_year_use_the_vigencia_formula_with_the_indicators_baseline():
    r = evaluate(
        indicator(
            CR,
            target="80",
            programmed="60",
            executed="60",
            baseline="20",
            year_baseline="40",
            target_4y="100",
        )
    )
    close(r.progress_4y, D(50))  # (60-20)/(100-20), the indicator's own baseline


def test_four_year_falls_back_to_the_first_vigencias_baseline():
    spec = indicator(
        DE, target="20", programmed="40", executed="40", year_baseline="50", target_4y="0"
    )
    close(evaluate(spec).progress_4y, D(20))  # (50-40)/(50-0)


def test_no_four_year_target_means_no_four_year_progress():
    assert evaluate(indicator(S, analysis="x")).progress_4y is None


# --- statuses -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("programmed", "executed", "status"),
    [
        ("3", "3", Status.CUMPLIDA),
        ("3", "8", Status.SOBREEJECUTADA),
        ("3", "2", Status.EN_REZAGO),
        ("0", "0", Status.NO_PROGRAMADA),
        (None, None, Status.NO_PROGRAMADA),
        ("0", None, Status.NO_PROGRAMADA),
        (None, "0", Status.NO_PROGRAMADA),
        ("0", "2", Status.EJECUTADA_SIN_PROGRAMACION),
        (None, "2", Status.EJECUTADA_SIN_PROGRAMACION),
        ("3", None, Status.SIN_REPORTE),
        ("3", "0", Status.EN_REZAGO),
    ],
)
def test_status_table(programmed, executed, status):
    assert (
        evaluate(indicator(S, programmed=programmed, executed=executed, analysis="x")).status
        is status
    )


def test_no_annual_target_is_no_vigente_and_computes_nothing():
    r = evaluate(indicator(S, target=None))
    assert r.status is Status.NO_VIGENTE
    assert (r.progress_cut, r.progress_year, r.progress_4y, r.alerts) == (None, None, None, ())


def test_not_programmed_still_gets_vigencia_progress_when_reported():
    r = evaluate(indicator(S, target="46", programmed="0", executed="0"))
    assert r.progress_cut is None
    close(r.progress_year, D(0))  # the seed prints 0,00 % vigencia for these rows


def test_not_reported_has_no_percentages():
    r = evaluate(indicator(S, programmed="3", executed=None, target_4y="50"))
    assert (r.progress_cut, r.progress_year, r.progress_4y) == (None, None, None)


def test_execution_without_programming_has_no_cut_percentage_and_an_alert():
    r = evaluate(indicator(S, programmed=None, executed="2", analysis="x"))
    assert r.progress_cut is None
    assert r.alerts == (Alert.EJECUTADA_SIN_PROGRAMACION,)
    close(r.progress_year, D(200) / 17)


def test_missing_report_raises_an_alert():
    assert evaluate(indicator(S, executed=None)).alerts == (Alert.SIN_REPORTE,)


def test_status_uses_the_value_rounded_to_two_decimals():
    # 99.996 % shows as 100,00 %: cumplida, not en_rezago.
    assert (
        evaluate(indicator(S, target="100000", programmed="100000", executed="99996")).status
        is Status.CUMPLIDA
    )
    assert (
        evaluate(indicator(S, target="100000", programmed="100000", executed="99994")).status
        is Status.EN_REZAGO
    )
    # 100.004 % shows as 100,00 %: cumplida, not sobreejecutada.
    assert (
        evaluate(indicator(S, target="100000", programmed="100000", executed="100004")).status
        is Status.CUMPLIDA
    )


def test_the_overexecution_threshold_is_a_policy():
    policy = Policy(overexecution_threshold=D(120))
    assert evaluate(indicator(S, programmed="10", executed="12"), policy).status is Status.CUMPLIDA
    assert (
        evaluate(indicator(S, programmed="10", executed="12.1", analysis="x"), policy).status
        is Status.SOBREEJECUTADA
    )


def test_results_are_not_capped():
    r = evaluate(
        indicator(S, target="3", programmed="3", executed="8", analysis="x"), Policy(cap=D(100))
    )
    close(r.progress_cut, D(800) / 3)
    close(r.progress_year, D(800) / 3)


# --- qualitative analysis -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("programmed", "executed", "needs"),
    [("3", "2", True), ("3", "8", True), (None, "2", True), ("3", "3", False), ("0", "0", False)],
)
def test_analysis_required_for_lag_overexecution_and_unprogrammed_execution(
    programmed, executed, needs
):
    missing = evaluate(indicator(S, programmed=programmed, executed=executed, analysis="  "))
    given = evaluate(indicator(S, programmed=programmed, executed=executed, analysis="Porque…"))
    assert (Alert.ANALISIS_FALTANTE in missing.alerts) is needs
    assert Alert.ANALISIS_FALTANTE not in given.alerts


# --- never negative -----------------------------------------------------------------------


def test_a_setback_shows_zero_with_the_retroceso_alert():
    r = evaluate(
        indicator(CR, target="80", programmed="60", executed="30", baseline="40", analysis="x")
    )
    assert r.progress_cut == 0
    assert r.progress_year == 0
    assert r.status is Status.EN_REZAGO
    assert Alert.RETROCESO in r.alerts


def test_decreciente_that_went_up_is_a_setback():
    r = evaluate(
        indicator(DE, target="20", programmed="40", executed="55", baseline="50", analysis="x")
    )
    assert r.progress_cut == 0
    assert Alert.RETROCESO in r.alerts


# --- target equal to baseline -------------------------------------------------------------


@pytest.mark.parametrize(
    ("accumulation", "executed", "expected"),
    [
        (CR, "50", 100),
        (CR, "51", 100),
        (CR, "49", 0),
        (DE, "50", 100),
        (DE, "49", 100),
        (DE, "51", 0),
    ],
)
def test_target_equal_to_baseline_is_all_or_nothing_with_an_alert(accumulation, executed, expected):
    r = evaluate(
        indicator(
            accumulation,
            target="50",
            programmed="50",
            executed=executed,
            baseline="50",
            analysis="x",
        )
    )
    assert r.progress_cut == expected
    assert r.progress_year == expected
    assert Alert.META_IGUAL_LINEA_BASE in r.alerts


def test_a_zero_annual_target_for_suma_leaves_vigencia_progress_undefined():
    r = evaluate(indicator(S, target="0", programmed="0", executed="0"))
    assert r.progress_year is None
    assert r.status is Status.NO_PROGRAMADA


def test_alerts_come_in_a_stable_order():
    r = evaluate(indicator(CR, target="80", programmed="60", executed="30", baseline="40"))
    assert r.alerts == (Alert.ANALISIS_FALTANTE, Alert.RETROCESO)
