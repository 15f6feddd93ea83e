"""The import's shortcuts store and read exactly what Django's own paths do: the objectives'
explanations written as JSON text (byte for byte ``json.dumps`` of the dict), and plan_spec's
progress values converted once per distinct number (the same Decimal digits and exponent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection

from cascada.engine import compute_cuts
from cascada.imports.services import file_digest, import_workbook
from cascada.imports.template_v1 import read_template
from cascada.plans.models import Plan
from cascada.synth.convert import plan_workbooks
from cascada.synth.generate import QUARTERLY, SizeSpec, generate
from cascada.tracking.models import CutTarget, ObjectiveCutResult, ProgressReport
from cascada.tracking.selectors import _values_rows, plan_spec
from cascada.tracking.services import _explanation, _explanation_json

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "gestion_publica_2026-03-31.xlsx"
SIZE = SizeSpec(plans=2, indicators=120, objectives=(3, 5), months=QUARTERLY)


def _import_sample() -> None:
    import_workbook(
        workbook=read_template(SAMPLE),
        actor_label="test",
        source=SAMPLE.name,
        sha256=file_digest(SAMPLE),
    )


def _import_generated() -> None:
    for workbook in plan_workbooks(generate(size=SIZE, seed=4)):
        import_workbook(workbook=workbook, actor_label="test", source="synth", sha256="0" * 64)


@pytest.mark.django_db
@pytest.mark.parametrize("load", [_import_sample, _import_generated])
def test_stored_explanations_are_json_dumps_of_the_explanation(load: object) -> None:
    load()  # type: ignore[operator]
    expected = {}
    for plan in Plan.objects.all():
        cuts = sorted(plan.cuts.values_list("date", flat=True))
        computed = compute_cuts(plan_spec(plan), cuts=cuts)
        for day, result in computed.items():
            for o in result.objectives:
                rollups = {"compliance": o.compliance, "year": o.year, "four_year": o.four_year}
                text = _explanation_json(**rollups)
                assert text == json.dumps(_explanation(**rollups))
                expected[(plan.code, day, o.code)] = _explanation(**rollups)
    stored_values = {
        (code, day, objective): explanation
        for code, day, objective, explanation in ObjectiveCutResult.objects.values_list(
            "cut__plan__code", "cut__date", "objective__code", "explanation"
        )
    }
    assert expected and stored_values == expected
    # What the database holds is that text (read raw: no JSON decoding on the way back).
    table = ObjectiveCutResult._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT explanation FROM {table}")  # noqa: S608
        stored = [row[0] for row in cursor.fetchall()]
    assert len(stored) == ObjectiveCutResult.objects.count() > 0
    for text in stored:
        if isinstance(text, str):  # SQLite keeps the text; PostgreSQL's jsonb, the value
            assert text == json.dumps(json.loads(text))


@pytest.mark.django_db
@pytest.mark.parametrize("load", [_import_sample, _import_generated])
def test_values_rows_are_django_values_list_digit_for_digit(load: object) -> None:
    load()  # type: ignore[operator]
    for queryset in (
        CutTarget.objects.values_list("indicator_id", "cut_id", "programmed"),
        ProgressReport.objects.values_list("indicator_id", "cut_id", "executed", "analysis"),
        ProgressReport.objects.filter(executed__isnull=False).values_list("executed", "id"),
    ):
        mine = _values_rows(queryset.order_by("id"))
        django = list(queryset.order_by("id"))
        assert mine
        # repr: the same Decimal digits and exponent, not only equal values.
        assert repr(mine) == repr(django)
