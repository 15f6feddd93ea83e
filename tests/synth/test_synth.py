"""The synthetic generator: deterministic, realistic (every case of the method occurs), valid
(weights, template files that import), and loaded in bulk with one audit row."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from django.core.management import call_command

from cascada.engine import compute_cut
from cascada.engine.model import Alert, Status
from cascada.engine.weights import validate_weights
from cascada.imports.services import import_workbook
from cascada.imports.template_v1 import read_template
from cascada.plans.models import Indicator, Plan
from cascada.synth.convert import cut_inputs, plan_specs, plan_workbooks
from cascada.synth.generate import QUARTERLY, SizeSpec, generate
from cascada.synth.load import load
from cascada.synth.write import write
from cascada.tracking.models import AuditEvent, Cut, IndicatorCutResult, ProgressReport
from cascada.tracking.services import compute_stored_cut

MIXED = SizeSpec(plans=4, indicators=400, objectives=(3, 6), months=QUARTERLY)


def _frames(synth: object) -> list[pl.DataFrame]:
    names = ("plans", "objectives", "goals", "indicators", "annual", "weights", "progress")
    return [getattr(synth, n) for n in names]


def test_same_seed_same_data_other_seed_other_data() -> None:
    first, again, other = (generate(size=MIXED, seed=s) for s in (7, 7, 8))
    assert all(a.equals(b) for a, b in zip(_frames(first), _frames(again), strict=True))
    assert not first.progress.equals(other.progress)


def test_progress_rows_are_those_of_before_in_cut_and_indicator_order() -> None:
    """A fingerprint taken before the generator made its rows one vigencia at a time (to spare
    memory): the same seed must keep giving the same rows, in (cut, indicator) order."""
    progress = generate(size=MIXED, seed=7).progress
    fingerprint = progress.select(
        pl.len(),
        pl.col("programmed_c").sum(),
        pl.col("executed_c").sum(),
        pl.col("executed_c").null_count().alias("blank"),
        (pl.col("indicator_id").cast(pl.Int64) * pl.col("cut").cast(pl.Int64)).sum().alias("key"),
        pl.col("analysis").to_physical().cast(pl.Int64).sum().alias("analysis"),
    ).row(0)
    assert fingerprint == (6660, 85626052, 82244275, 281, 30275005694, 30721)
    assert progress.equals(progress.sort("cut", "indicator_id"))


def test_columnar_inputs_know_which_rows_have_an_analysis() -> None:
    synth = generate(size=MIXED, seed=3)
    has_analysis = cut_inputs(synth).progress["has_analysis"]
    by_text = synth.progress["analysis"].cast(pl.String).str.strip_chars() != ""
    assert has_analysis.equals(by_text, check_names=False)
    assert 0 < has_analysis.sum() < has_analysis.len()


def test_sizes() -> None:
    seed = generate(size="seed", seed=1)
    assert (seed.plans.height, seed.objectives.height, seed.indicators.height) == (1, 5, 17)
    district = generate(size="district", seed=1)
    assert district.plans.height == 15
    assert 4_000 <= district.indicators.height <= 6_000
    assert len(district.cuts) == 48
    assert 180_000 <= district.progress.height <= 260_000


def test_every_case_of_the_method_occurs_and_weights_are_valid() -> None:
    synth = generate(size=MIXED, seed=3)
    statuses: Counter[str] = Counter()
    alerts: Counter[str] = Counter()
    weighted = unweighted = 0
    for _, spec in plan_specs(synth):
        assert validate_weights(spec) == []
        for vigencia in (2024, 2025, 2026, 2027):
            if vigencia in spec.indicator_weights:
                weighted += 1
            else:
                unweighted += 1
        for cut in synth.cuts:
            for objective in compute_cut(spec, cut=cut).objectives:
                for indicator in objective.indicators:
                    statuses[indicator.status] += 1
                    alerts.update(indicator.alerts)
    assert set(statuses) == set(Status)
    assert set(alerts) == set(Alert)
    assert weighted and unweighted
    accumulations = set(synth.indicators["accumulation"])
    assert accumulations == {"suma", "constante", "creciente", "decreciente"}
    text = " ".join(synth.indicators["name"].to_list() + synth.plans["name"].to_list())
    assert all(letter in text for letter in "ñáéíóú")
    assert synth.indicators["name"].str.len_chars().max() > 100  # type: ignore[operator]


@pytest.mark.django_db
def test_written_workbooks_and_csv_folders_read_back_and_import(tmp_path: Path) -> None:
    synth = generate(size="seed", seed=2)
    (expected,) = plan_workbooks(synth)
    (xlsx,) = write(synth, tmp_path / "xlsx")
    (folder,) = write(synth, tmp_path / "csv", form="csv")
    assert read_template(xlsx) == expected
    assert read_template(folder) == expected
    summary = import_workbook(workbook=read_template(xlsx), actor_label="test")
    assert summary.created
    plan = Plan.objects.get(code=expected.info.code)
    (_, spec) = next(plan_specs(synth))
    for day in (synth.cuts[0], synth.cuts[-1]):
        assert compute_stored_cut(cut=Cut.objects.get(plan=plan, date=day)) == compute_cut(
            spec, cut=day
        )


@pytest.mark.django_db
def test_load_writes_everything_with_one_audit_row_and_stored_results() -> None:
    synth = generate(
        size=SizeSpec(plans=2, indicators=30, objectives=(2, 3), months=QUARTERLY), seed=9
    )
    before = AuditEvent.objects.count()
    summary = load(synth, actor_label="test")
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert event.action == "cargar_datos_sinteticos"
    assert event.after is not None
    assert event.after["indicadores"] == synth.indicators.height
    codes = synth.plans["code"].to_list()
    assert Indicator.objects.filter(plan__code__in=codes).count() == synth.indicators.height
    assert (
        ProgressReport.objects.filter(cut__plan__code__in=synth.plans["code"].to_list()).count()
        == synth.progress.height
    )
    assert summary.computed_cut == synth.cuts[-1]
    specs = dict(plan_specs(synth))
    for plan_id, code in synth.plans.select("plan_id", "code").iter_rows():
        cut = Cut.objects.get(plan__code=code, date=synth.cuts[-1])
        assert compute_stored_cut(cut=cut) == compute_cut(specs[plan_id], cut=cut.date)
        stored = {
            r.indicator.code: r.status
            for r in IndicatorCutResult.objects.filter(cut=cut).select_related("indicator")
        }
        expected = compute_cut(specs[plan_id], cut=cut.date)
        assert stored == {i.code: i.status.value for o in expected.objectives for i in o.indicators}
    # Loading the same set again is refused and changes nothing.
    counts = (Plan.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValueError, match="Ya existen planes"):
        load(synth)
    assert (Plan.objects.count(), AuditEvent.objects.count()) == counts


@pytest.mark.django_db
def test_command_writes_files_and_refuses_an_unknown_cut(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("synth", "--size", "seed", "--seed", "3", "-o", str(tmp_path))
    assert [p.name for p in tmp_path.iterdir()] == ["PES-SEMILLA-S3.xlsx"]
    with pytest.raises(SystemExit) as exit_info:
        call_command("synth", "--size", "seed", "--load", "--corte", "2026-02-14")
    assert exit_info.value.code == 2
    assert "2026-02-14" in capsys.readouterr().err
    assert not Plan.objects.exists()
