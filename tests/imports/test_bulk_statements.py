"""``insert_rows`` on SQLite writes many rows per statement, split at SQLite's parameter limit:
the rows split over several statements (and a last, shorter one) are the rows one statement
writes, and a row refused in a later statement (or in PostgreSQL's COPY) still undoes the whole
call. ``gc_paused``
restores the collector as it found it."""

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
from cascada.tracking.models import Cut, ProgressReport

SIZE = SizeSpec(plans=2, indicators=12, objectives=(2, 3), months=MONTHLY)
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


sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the statements split at SQLite's parameter limit"
)


def _stored(cut: Cut) -> list[tuple[Any, ...]]:
    return list(
        ProgressReport.objects.filter(cut=cut)
        .order_by("id")
        .values_list("indicator_id", "executed", "analysis", "state", "version")
    )


@sqlite_only
@pytest.mark.django_db
def test_rows_split_over_statements_are_the_rows_of_one() -> None:
    load(generate(size=SIZE, seed=5), compute=False, actor_label="test")
    plan = Plan.objects.order_by("code").first()
    assert plan is not None
    cut_a, cut_b = Cut.objects.filter(plan=plan).order_by("date")[:2]
    indicators = list(Indicator.objects.filter(plan=plan).order_by("id"))[:5]
    assert len(indicators) == 5  # two statements: three rows, then two
    ProgressReport.objects.filter(cut__in=[cut_a, cut_b]).delete()
    rows = [
        {"indicator_id": i.pk, "executed": Decimal(n) / 4 if n % 5 else None, "analysis": f"a{n}"}
        for n, i in enumerate(indicators)
    ]
    ProgressReport.objects.bulk_create(ProgressReport(cut=cut_a, **row) for row in rows)
    with few_parameters():
        written = insert_rows(
            ProgressReport, fields=FIELDS, rows=({"cut_id": cut_b.pk, **row} for row in rows)
        )
    assert written == len(indicators)
    assert _stored(cut_b) == _stored(cut_a)


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
