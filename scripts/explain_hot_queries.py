"""The PostgreSQL plans of the hot queries (docs/deployment.md §4), on a loaded database:

    DATABASE_URL=postgres://…/cascada_bench .venv/bin/python scripts/explain_hot_queries.py

(a database left by ``cascada bench --keep`` or ``cascada synth --load``). It captures the SQL of
the dashboard's selectors (plan list, plan cut page, objective page, indicator page) for a plan
of median size at its latest published cut, and of recomputing that cut
(``tracking.services.recompute_cut``, run in a transaction that is rolled back: its reads), and
prints each query with ``EXPLAIN (ANALYZE, BUFFERS)``: markdown, the slowest ``--top`` in full.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=3, help="plans shown in full per page")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection, transaction
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from cascada.plans.models import Plan
    from cascada.tracking.models import Cut, CutState, IndicatorCutResult
    from cascada.tracking.services import recompute_cut
    from cascada.web import selectors

    if connection.vendor != "postgresql":
        sys.exit("Se necesita PostgreSQL (DATABASE_URL=postgres://…).")
    sizes = list(
        Plan.objects.annotate(n=Count("indicators")).order_by("n", "code").values_list("code", "n")
    )
    code, indicators = sizes[len(sizes) // 2]
    cut = Cut.objects.filter(plan__code=code, state=CutState.PUBLICADO).order_by("-date").first()
    if cut is None:
        sys.exit(f"El plan {code} no tiene cortes publicados.")
    row = (
        IndicatorCutResult.objects.filter(cut=cut)
        .select_related("indicator__goal__objective")
        .order_by("indicator__order")
        .first()
    )
    assert row is not None
    objective, indicator = row.indicator.goal.objective.code, row.indicator.code
    totals = {
        table: _count(connection, table)
        for table in (
            "plans_plan",
            "plans_indicator",
            "tracking_cut",
            "tracking_progressreport",
            "tracking_indicatorcutresult",
        )
    }
    print(f"Base de datos: {connection.settings_dict['NAME']}; filas: {totals}")
    print(f"Plan {code} ({indicators} indicadores), corte {cut.date}, objetivo {objective}\n")

    pages: list[tuple[str, Any]] = [
        ("/ (plan_rows)", lambda: selectors.plan_rows()),
        (
            "plan (cut_page)",
            lambda: selectors.cut_page(plan_code=code, day=None, include_drafts=False),
        ),
        (
            "objetivo (objective_page)",
            lambda: selectors.objective_page(
                plan_code=code, day=cut.date, objective_code=objective, include_drafts=False
            ),
        ),
        (
            "indicador (indicator_page)",
            lambda: selectors.indicator_page(
                plan_code=code, indicator_code=indicator, include_drafts=False
            ),
        ),
    ]
    for title, action in pages:
        with CaptureQueriesContext(connection) as captured:
            action()
        _explain(connection, title, [q["sql"] for q in captured.captured_queries], args.top)

    # The recompute's reads (its writes already ran: explaining them again would collide), in
    # a transaction rolled back afterwards; the whole recompute's time is printed too.
    with transaction.atomic():
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            recompute_cut(cut=cut)
            took = time.perf_counter() - started
        print(f"recompute_cut: {took * 1000:.0f} ms en total, {len(captured)} sentencias\n")
        reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
        _explain(connection, "recálculo (recompute_cut), lecturas", reads, args.top)
        transaction.set_rollback(True)


def _count(connection: Any, table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 — our table names
        return int(cursor.fetchone()[0])


def _explain(connection: Any, title: str, statements: list[str], top: int) -> None:
    from django.db import transaction

    explained = []
    for sql in statements:
        if not sql.lstrip().upper().startswith(("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")):
            continue
        # EXPLAIN ANALYZE runs the statement: writes are undone with the transaction.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            lines = [r[0] for r in cursor.fetchall()]
            transaction.set_rollback(True)
        total = next(
            (float(line.split(":")[1].split()[0]) for line in lines if "Execution Time" in line),
            0.0,
        )
        explained.append((total, sql, lines))
    print(f"### {title}: {len(explained)} consultas, {sum(e[0] for e in explained):.1f} ms\n")
    for total, sql, lines in sorted(explained, key=lambda e: -e[0])[:top]:
        short = sql if len(sql) < 600 else sql[:600] + " …"
        print(f"{total:.2f} ms\n\n```sql\n{short}\n```\n\n```\n" + "\n".join(lines) + "\n```\n")


if __name__ == "__main__":
    main()
