"""An import's queries do not grow with its rows: every table is written in bulk (a per-row
query would make a 100.000-row workbook take hours), and all the plan's cuts are recomputed
from one read of the plan."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cascada.imports.services import import_workbook
from cascada.synth.convert import plan_workbooks
from cascada.synth.generate import QUARTERLY, SizeSpec, generate
from cascada.tracking.models import AuditEvent, IndicatorCutResult, ProgressReport


def _import(*, indicators: int, seed: int) -> tuple[list[str], int]:
    """The SQL of importing one generated plan into the database, and its progress rows."""
    synth = generate(
        size=SizeSpec(plans=1, indicators=indicators, objectives=(4, 4), months=QUARTERLY),
        seed=seed,
    )
    (workbook,) = plan_workbooks(synth)
    with CaptureQueriesContext(connection) as captured:
        import_workbook(workbook=workbook, actor_label="test")
    return [q["sql"] for q in captured.captured_queries], synth.progress.height


def _statements(queries: list[str]) -> list[str]:
    """The statements that write or read data (savepoints apart: the first import also creates
    the sector and the development plan, each in a savepoint of get_or_create)."""
    return [q for q in queries if not q.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


@pytest.mark.django_db
def test_the_queries_of_an_import_do_not_grow_with_its_rows() -> None:
    small, small_rows = _import(indicators=12, seed=31)
    large, large_rows = _import(indicators=120, seed=32)
    assert large_rows >= 8 * small_rows  # ~10 times the rows
    assert ProgressReport.objects.count() == small_rows + large_rows
    assert IndicatorCutResult.objects.count() == 16 * (12 + 120)  # every cut of both plans
    assert AuditEvent.objects.filter(action="importar_plan").count() == 2
    small, large = _statements(small), _statements(large)
    # bulk_create splits at SQLite's 999 parameters: a few more batches for ten times the
    # indicators; a query per row or per cut would be thousands more.
    assert len(large) <= len(small) + 5, (len(small), len(large))
    # The progress and result rows: one INSERT per table (SQLite: as many rows per statement
    # as its parameters allow, thousands here), or one COPY on PostgreSQL.
    for table in ("cuttarget", "progressreport", "indicatorcutresult"):
        inserts = [
            q
            for q in large
            if f'INSERT INTO "tracking_{table}"' in q or f'COPY "tracking_{table}"' in q
        ]
        assert len(inserts) == 1, inserts
