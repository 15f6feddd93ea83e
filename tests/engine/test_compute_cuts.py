"""``compute_cuts``: several cuts of one plan from one spec, digit for digit what
``compute_cut`` gives for each cut on the spec read up to that cut (as the database's
``plan_spec(plan, until=cut)`` reads it)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

from cascada.engine import compute_cut, compute_cuts
from cascada.engine.model import Accumulation, AnnualTarget, IndicatorSpec, ObjectiveSpec, PlanSpec
from cascada.engine.model import Progress as P
from cascada.synth.convert import plan_specs
from cascada.synth.generate import MONTHLY, QUARTERLY, SizeSpec, generate

# Two plans over four vigencias: every status, alert, weight and cap case occurs in synth.
SIZES = (
    SizeSpec(plans=2, indicators=120, objectives=(3, 5), months=MONTHLY),
    SizeSpec(plans=2, indicators=160, objectives=(4, 6), months=QUARTERLY),
)


def test_every_cut_is_exactly_compute_cut_on_the_spec_read_up_to_it() -> None:
    checked = 0
    for size in SIZES:
        synth = generate(size=size, seed=5)
        cuts = sorted(set(synth.progress["cut"].to_list()))
        full = dict(plan_specs(synth))
        for plan_id, spec in full.items():
            together = compute_cuts(spec, cuts=cuts)
            assert list(together) == cuts
            for cut in cuts:
                ((_, until_cut),) = plan_specs(synth, plan_ids=[plan_id], until=cut)
                alone = compute_cut(until_cut, cut=cut)
                # repr: the same Decimal digits and exponent, not only equal values.
                assert repr(together[cut]) == repr(alone)
                assert repr(compute_cut(spec, cut=cut)) == repr(alone)
                checked += 1
    assert checked == 2 * 48 + 2 * 16


def test_four_year_sums_take_each_earlier_vigencias_last_cut_once() -> None:
    """The history summarised once for all cuts gives what each cut computed alone gives."""
    indicator = IndicatorSpec(
        code="S",
        accumulation=Accumulation.SUMA,
        target_4y=D(100),
        annual_targets={y: AnnualTarget(D(25)) for y in (2024, 2025, 2026)},
        progress={
            date(2024, 6, 30): P(D(10), D(9)),
            date(2024, 12, 31): P(D(25), D(20)),
            date(2025, 6, 30): P(D(10), D(12)),
            date(2025, 12, 31): P(D(25), None),  # not reported: 2025's last reported is June
            date(2026, 3, 31): P(D(5), D(6)),
        },
    )
    spec = PlanSpec(code="P", objectives=(ObjectiveSpec("O1", (indicator,)),))
    cuts = sorted(indicator.progress)
    together = compute_cuts(spec, cuts=cuts)
    four_year = [together[c].objectives[0].indicators[0].progress_4y for c in cuts]
    assert four_year == [D(9), D(20), D(32), None, D(38)]  # (20 + 12 + 6) / 100
    for cut in cuts:
        restricted = replace(
            indicator, progress={d: p for d, p in indicator.progress.items() if d <= cut}
        )
        alone = compute_cut(
            replace(spec, objectives=(ObjectiveSpec("O1", (restricted,)),)), cut=cut
        )
        assert repr(together[cut]) == repr(alone)
