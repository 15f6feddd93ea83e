"""``tracking.bulk.insert_rows`` (batched INSERTs on SQLite, COPY on PostgreSQL) stores exactly
what ``bulk_create`` stores, defaults included. A refused row: test_bulk_statements.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from cascada.plans.models import Indicator, Plan
from cascada.synth.generate import MONTHLY, SizeSpec, generate
from cascada.synth.load import load
from cascada.tracking.bulk import insert_rows
from cascada.tracking.models import Cut, IndicatorCutResult, ProgressReport

SIZE = SizeSpec(plans=2, indicators=12, objectives=(2, 3), months=MONTHLY)
HOSTILE = 'Análisis «con» comillas "dobles", tab\tbarra \\ y\nsalto; =SUMA(A1) ñ 😀 \\N'


def _report_values(cut: Cut) -> list[tuple[Any, ...]]:
    fields = [
        f.attname
        for f in ProgressReport._meta.concrete_fields
        if f.attname not in ("id", "updated_at", "created_at", "reported_at")
    ]
    return sorted(
        ProgressReport.objects.filter(cut=cut).values_list(*fields), key=lambda r: repr(r)
    )


@pytest.mark.django_db
def test_insert_rows_stores_what_bulk_create_stores() -> None:
    load(generate(size=SIZE, seed=3), compute=False, actor_label="test")
    plan = Plan.objects.order_by("code").first()
    assert plan is not None
    cut_a, cut_b = Cut.objects.filter(plan=plan).order_by("date")[:2]
    indicators = list(Indicator.objects.filter(plan=plan).order_by("id"))
    ProgressReport.objects.filter(cut__in=[cut_a, cut_b]).delete()
    values = [
        {"indicator_id": i.pk, "executed": v, "analysis": a}
        for i, v, a in zip(
            indicators,
            [Decimal("12.5"), None, Decimal("0"), Decimal("-3.25"), Decimal("1e6")] * 3,
            [HOSTILE, "", "sin novedad", "x" * 5000, "\u00a0espacio"] * 3,
            strict=False,
        )
    ]
    ProgressReport.objects.bulk_create(ProgressReport(cut=cut_a, **row) for row in values)
    written = insert_rows(
        ProgressReport,
        fields=("cut_id", "indicator_id", "executed", "analysis"),
        rows=({"cut_id": cut_b.pk, **row} for row in values),
    )
    assert written == len(values) > 0
    assert _report_values(cut_b) == [(cut_b.pk, *r[1:]) for r in _report_values(cut_a)]

    alerts = [["sin_programacion"], [], ["sobre_ejecucion", "sin_analisis"]]
    IndicatorCutResult.objects.filter(cut=cut_b).delete()
    insert_rows(
        IndicatorCutResult,
        fields=("cut_id", "indicator_id", "status", "progress_cut", "alerts"),
        rows=(
            {
                "cut_id": cut_b.pk,
                "indicator_id": i.pk,
                "status": "en_riesgo",
                "progress_cut": Decimal("0.123456789012"),
                "alerts": alerts[n % 3],
            }
            for n, i in enumerate(indicators)
        ),
    )
    stored = dict(
        IndicatorCutResult.objects.filter(cut=cut_b).values_list("indicator_id", "alerts")
    )
    assert stored == {i.pk: alerts[n % 3] for n, i in enumerate(indicators)}
