"""Benchmark of the follow-up report (issue 5): render time and size of every format for the seed
plan and for a generated district-size plan. A benchmark that prints figures, not a test.

    .venv/bin/python scripts/bench_reports.py [--objectives 15] [--indicators 300] [--runs 3]

It works on a new SQLite database in a temporary folder (never the project's own; removed at
the end unless ``--keep``): migrates, loads the seed (``cascada demo``), then imports a generated
plan of ``objectives`` × ``indicators`` (four indicators per goal, the four goal kinds, the three
accumulation types met in practice, the four quarterly cuts of 2026 with a mix of statuses and an
analysis on every reported row) through ``import_workbook``, which also computes and stores its
results. Each
format is rendered through ``render_report`` (dataset + renderer, as the CLI and the web do);
the table shows the best of ``--runs`` runs for the seed and one run for the generated plan.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("json", "xlsx", "html", "pptx", "pdf")
SEED = ("PES-GP-2024-2027", date(2026, 3, 31))
DISTRICT = "DISTRITO-2024-2027"
CUTS = (date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31))
KINDS = ("sectorial", "estrategica", "proyecto_inversion", "actividad")
ACCUMULATIONS = ("suma", "constante", "creciente")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objectives", type=int, default=15)
    parser.add_argument("--indicators", type=int, default=300, help="per objective")
    parser.add_argument("--runs", type=int, default=3, help="runs per format for the seed")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = parser.parse_args()
    formats = [f for f in args.formats.split(",") if f]

    folder = Path(tempfile.mkdtemp(prefix="cascada-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["CASCADA_DATA_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0, stdout=io.StringIO())
    started = time.perf_counter()
    indicators = load_district(folder, args.objectives, args.indicators)
    print(
        f"Plan generado: {args.objectives} objetivos × {args.indicators} indicadores = "
        f"{indicators} indicadores, {len(CUTS)} cortes, importado en "
        f"{time.perf_counter() - started:.1f} s\n"
    )

    print(
        f"| {'plan':<20} | {'indicadores':>11} | {'formato':<7} | {'tiempo (s)':>10} | "
        f"{'tamaño':>12} |"
    )
    print(f"|{'-' * 22}|{'-' * 13}|{'-' * 9}|{'-' * 12}|{'-' * 14}|")
    for (code, cut), runs in ((SEED, args.runs), ((DISTRICT, CUTS[0]), 1)):
        size = count_indicators(code)
        for fmt in formats:
            seconds, content = best_of(runs, code, cut, fmt)
            print(
                f"| {code:<20} | {size:>11} | {fmt:<7} | {seconds:>10.2f} | "
                f"{human(len(content)):>12} |"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    print(f"\nMemoria máxima del proceso: {peak:,.0f} MB.")
    if args.keep:
        print(f"Base de datos del benchmark: {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)


def best_of(runs: int, code: str, cut: date, fmt: str) -> tuple[float, bytes]:
    from cascada.reports.render import render_report

    best, content = float("inf"), b""
    for _ in range(runs):
        started = time.perf_counter()
        content, _, _ = render_report(plan_code=code, cut_date=cut, fmt=fmt)
        best = min(best, time.perf_counter() - started)
    return best, content


def count_indicators(code: str) -> int:
    from cascada.plans.models import Indicator

    return Indicator.objects.filter(plan__code=code).count()


def human(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:,.1f} KB"
    return f"{size / 1024 / 1024:,.1f} MB"


def load_district(folder: Path, objectives: int, per_objective: int) -> int:
    """Write the generated plan as a template v1 workbook and import it; returns its size."""
    from openpyxl import Workbook

    from cascada.imports.services import import_workbook
    from cascada.imports.template_v1 import read_template

    sheets = district_sheets(objectives, per_objective)
    book = Workbook(write_only=True)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path = folder / "distrito.xlsx"
    book.save(path)
    import_workbook(workbook=read_template(path), actor_label="bench")
    return objectives * per_objective


def district_sheets(objectives: int, per_objective: int) -> dict[str, list[list[object]]]:
    goals: list[list[object]] = [["codigo", "objetivo", "tipo", "nombre", "entidad_responsable"]]
    indicators: list[list[object]] = [
        ["codigo", "meta", "nombre", "unidad", "tipo_anualizacion", "linea_base", "meta_cuatrienio"]
    ]
    targets: list[list[object]] = [
        ["indicador", "vigencia", "meta_vigencia", "linea_base_vigencia"]
    ]
    progress: list[list[object]] = [
        ["indicador", "corte", "programado_corte", "ejecutado_corte", "observacion"]
    ]
    for o in range(1, objectives + 1):
        for n in range(per_objective):
            goal = f"M{o}-{n // 4}"
            if n % 4 == 0:
                goals.append(
                    [
                        goal,
                        f"O{o}",
                        KINDS[(n // 4) % len(KINDS)],
                        f"Meta {goal}: fortalecer la gestión de la entidad {o % 12} en el "
                        f"componente {n // 4} del plan de acción",
                        f"Entidad distrital {o % 12}",
                    ]
                )
            code = f"I{o}-{n}"
            indicators.append(
                [
                    code,
                    goal,
                    f"Porcentaje de avance del indicador {code} de la meta {goal}",
                    "Número",
                    ACCUMULATIONS[n % 3],
                    None,
                    400,
                ]
            )
            for year in (2024, 2025, 2026, 2027):
                targets.append([code, year, 100, None])
            for k, day in enumerate(CUTS, start=1):
                programmed = 0 if n % 7 == 0 else 25 * k
                executed = None if n % 11 == 0 else programmed * (n % 5 + 1) / 4
                analysis = (
                    f"Al corte se avanzó en las actividades del indicador {code}; el rezago o la "
                    f"sobreejecución se explica por la programación del trimestre {k}."
                    if executed is not None
                    else None
                )
                progress.append([code, day.isoformat(), programmed, executed, analysis])
    return {
        "plan": [
            ["campo", "valor"],
            ["codigo", DISTRICT],
            ["nombre", "Plan de prueba de tamaño distrital"],
            ["sector", "Sector de prueba"],
            ["plan_desarrollo", "Plan de Desarrollo de prueba"],
            ["vigencia_inicial", 2024],
            ["vigencia_final", 2027],
            ["mision", "Misión de prueba."],
            ["vision", "Visión de prueba."],
            ["fuente", "Generado por scripts/bench_reports.py."],
        ],
        "objetivos": [
            ["codigo", "nombre", "orden"],
            *(
                [f"O{o}", f"Objetivo distrital de prueba número {o}", o]
                for o in range(1, objectives + 1)
            ),
        ],
        "metas": goals,
        "indicadores": indicators,
        "programacion_anual": targets,
        "avances": progress,
    }


if __name__ == "__main__":
    main()
