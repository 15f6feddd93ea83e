"""``tracking.bulk.insert_rows`` (many rows per INSERT on SQLite, split at its parameter limit;
COPY on PostgreSQL) stores exactly what ``bulk_create`` stores, defaults, hostile text and JSON
included, also split over several statements (and a last, shorter one); a row refused in a
later statement (or in PostgreSQL's COPY) still undoes the whole call. ``gc_paused`` restores
the collector as it found it."""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from cascada.plans.models import Indicator, Plan
from cascada.synth.generate import MONTHLY, SizeSpec, generate
from cascada.synth.load import load
from cascada.tracking.bulk import gc_paused, insert_rows
from cascada.tracking.models import Cut, IndicatorCutResult, ProgressReport

SIZE = SizeSpec(plans=2, indicators=12, objectives=(2, 3), months=MONTHLY)
HOSTILE = 'Análisis «con» comillas "dobles", tab\tbarra \\ y\nsalto; =SUMA(A1) ñ 😀 \\N'
FIELDS = ("cut_id", "indicator_id", "executed", "analysis")


@contextmanager
def few_parameters() -> Iterator[None]:
    """SQLite's limit on a statement's parameters lowered to 40: three progress reports (11
    columns each) per statement. Nothing on PostgreSQL (one COPY)."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    before = raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 40)
    try:
        yield
    finally:
        raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, before)


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
    with few_parameters():  # on SQLite, over several statements
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


@pytest.mark.django_db(transaction=True)
def test_a_row_refused_in_a_later_statement_writes_nothing() -> None:
    """On SQLite in a later statement; on PostgreSQL in the COPY: the same-plan check refuses
    an indicator of another plan and nothing of the call stays."""
    load(generate(size=SIZE, seed=6), compute=False, actor_label="test")
    plan, other = Plan.objects.order_by("code")[:2]
    cut = Cut.objects.filter(plan=plan).order_by("date").first()
    assert cut is not None
    ProgressReport.objects.filter(cut=cut).delete()
    mine = list(Indicator.objects.filter(plan=plan).values_list("id", flat=True))
    foreign = Indicator.objects.filter(plan=other).values_list("id", flat=True).first()
    rows = [
        {"cut_id": cut.pk, "indicator_id": i, "executed": Decimal(1), "analysis": ""} for i in mine
    ]
    rows.append({"cut_id": cut.pk, "indicator_id": foreign, "executed": Decimal(1), "analysis": ""})
    with few_parameters(), pytest.raises(IntegrityError, match="otro plan"), transaction.atomic():
        insert_rows(ProgressReport, fields=FIELDS, rows=rows)
    assert not ProgressReport.objects.filter(cut=cut).exists()


def test_gc_paused_is_reentrant_and_restores_the_collector() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still runs
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # off before the pause: stays off
    finally:
        gc.enable()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError
    assert gc.isenabled()
