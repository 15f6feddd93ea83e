"""The parts of the bench, each run by ``cascada bench --part …`` in its own process: Django is
set up there on a scratch database (``DATABASE_URL`` given by the parent), and the process's
peak memory is the part's own. Each returns a JSON-ready dict; progress goes to stderr."""

from __future__ import annotations

import functools
import gc
import resource
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command

from cascada.bench import data
from cascada.bench.httpload import LoadFigures, fetch_each, percentile, run_load
from cascada.bench.server import served

T = TypeVar("T")

READING_CLIENTS = 20
READING_THINK_S = (0.5, 1.5)
THROUGHPUT_CLIENTS = 8


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def timed(action: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    value = action()
    return value, time.perf_counter() - started


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux reports ``ru_maxrss`` in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------------------------------------
# In memory: the columnar engine against DuckDB SQL


def compute_part(*, size: str, seed: int, runs: int) -> dict[str, Any]:
    say(f"compute: generando el tamaño {size} (semilla {seed})")
    generated, generate_s = timed(lambda: data.generate(size=size, seed=seed))
    frames, frames_s = timed(functools.partial(data.frames, generated))
    say(f"compute: {data.describe(generated)}; cortes de todos los planes ×{runs}")
    cut = data.cut_date(generated)
    counts = data.counts(generated)
    # The generated set (its text columns, amounts in hundredths) is not needed any more: freed
    # before DuckDB gets its copy of the inputs.
    del generated
    gc.collect()
    connection, duckdb_load_s = timed(lambda: data.duckdb_connection(frames))
    engine_runs, duckdb_runs = [], []
    # CPU seconds of the whole process (all threads) beside the wall clock: on a machine shared
    # with other work the wall clock mostly measures the others; CPU time is the work done.
    engine_cpu, duckdb_cpu = [], []
    engine_result: Any = None
    duckdb_result: Any = None
    for _ in range(runs):
        started = time.process_time()
        engine_result, seconds = timed(lambda: data.compute_columnar(frames, cut=cut))
        engine_cpu.append(time.process_time() - started)
        engine_runs.append(seconds)
        started = time.process_time()
        duckdb_result, seconds = timed(
            lambda: data.compute_duckdb(frames, cut=cut, connection=connection)
        )
        duckdb_cpu.append(time.process_time() - started)
        duckdb_runs.append(seconds)
    disagreements = data.compare(engine_result, duckdb_result)
    engine_s, duckdb_s = min(engine_runs), min(duckdb_runs)
    return {
        "engine_cut_s": round(engine_s, 4),
        "duckdb_cut_s": round(duckdb_s, 4),
        "ratio": round(engine_s / duckdb_s, 3) if duckdb_s else None,
        "engine_runs_s": [round(s, 4) for s in engine_runs],
        "duckdb_runs_s": [round(s, 4) for s in duckdb_runs],
        "engine_cpu_s": [round(s, 4) for s in engine_cpu],
        "duckdb_cpu_s": [round(s, 4) for s in duckdb_cpu],
        "agree": not disagreements,
        "disagreements": disagreements[:10],
        "cut": cut.isoformat(),
        "generate_s": round(generate_s, 2),
        "frames_s": round(frames_s, 2),
        "duckdb_load_s": round(duckdb_load_s, 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "counts": counts,
    }


# ---------------------------------------------------------------------------------------------
# The normal import of 100.000 progress rows


def import_part(*, rows: int, seed: int, folder: Path) -> dict[str, Any]:
    from cascada.imports.services import file_digest, import_workbook
    from cascada.imports.template_v1 import read_template

    call_command("migrate", verbosity=0)
    path, written = data.workbook_with_rows(rows=rows, seed=seed, folder=folder)
    say(f"import: {path.name} con {written} filas de avance; leyendo e importando")
    cpu = time.process_time()
    workbook, read_s = timed(lambda: read_template(path))
    read_cpu_s = time.process_time() - cpu
    summary, apply_s = timed(
        lambda: import_workbook(
            workbook=workbook, actor_label="bench", source=path.name, sha256=file_digest(path)
        )
    )
    apply_cpu_s = time.process_time() - cpu - read_cpu_s
    return {
        "import_100k_rows_s": round(read_s + apply_s, 2),
        "progress_rows": written,
        "read_s": round(read_s, 2),
        "apply_s": round(apply_s, 2),
        # This process's CPU time (the database is SQLite, in process): on a shared, loaded
        # machine the wall time above can be several times this.
        "read_cpu_s": round(read_cpu_s, 2),
        "apply_cpu_s": round(apply_cpu_s, 2),
        "file": path.name,
        "file_mb": round(path.stat().st_size / 2**20, 1),
        "plan": summary.plan_code,
    }


# ---------------------------------------------------------------------------------------------
# A database: load, recompute one cut, serve and load-test the pages


def _load_figures(figures: LoadFigures) -> dict[str, Any]:
    return figures.as_dict()


def _sequential(timings_ms: list[float]) -> dict[str, Any]:
    """Pages fetched one at a time: how many, and their p50, p95 and slowest, in ms."""
    ordered = sorted(timings_ms)
    p50, p95 = percentile(ordered, 0.5), percentile(ordered, 0.95)
    return {
        "pages": len(ordered),
        "p50_ms": None if p50 is None else round(p50, 1),
        "p95_ms": None if p95 is None else round(p95, 1),
        "max_ms": round(ordered[-1], 1) if ordered else None,
    }


def _generate_and_load(*, size: str, seed: int) -> None:
    # The generated set (1,7 GB at national size) is freed when this returns, before the
    # server and the load clients start.
    data.load(data.generate(size=size, seed=seed))
    gc.collect()


def _load_and_publish(*, vendor: str, size: str, seed: int) -> tuple[date, dict[str, Any]]:
    """Migrate, generate and load, recompute the latest cut of every plan (timed) and publish
    it; the cut and the figures of those steps."""
    from cascada.bench import pages

    say(f"{vendor}: migrando")
    call_command("migrate", verbosity=0)
    say(f"{vendor}: generando y cargando el tamaño {size}")
    _, load_s = timed(functools.partial(_generate_and_load, size=size, seed=seed))
    say(f"{vendor}: generado y cargado en {load_s:.0f} s; ANALYZE")
    _, analyze_s = timed(pages.analyze)
    day = pages.latest_reported_day()
    say(f"{vendor}: recalculando y guardando el corte {day.isoformat()} de cada plan")
    recomputed, recompute_s = timed(lambda: pages.recompute_all(day=day))
    say(f"{vendor}: {recomputed} planes recalculados en {recompute_s:.1f} s; publicando")
    _, publish_s = timed(lambda: pages.publish_all(day=day))
    return day, {
        "recompute_store_s": round(recompute_s, 3),
        "recompute_plans": recomputed,
        "cut": day.isoformat(),
        "load_s": round(load_s, 1),
        "analyze_s": round(analyze_s, 1),
        "publish_s": round(publish_s, 1),
    }


def database_part(
    *,
    size: str,
    seed: int,
    duration_s: float,
    workers: int,
    public_api: bool,
    folder: Path,
    loaded: bool = False,
) -> dict[str, Any]:
    from cascada.bench import pages

    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    if loaded:
        # A database kept by an earlier run (`--keep`, then `--reuse`): only the load runs.
        day = pages.latest_reported_day()
        say(f"{vendor}: base ya cargada; corte {day.isoformat()}")
        caches["default"].clear()  # so that `first_render` is a first rendering again
        result: dict[str, Any] = {"recompute_store_s": None, "cut": day.isoformat()}
    else:
        day, result = _load_and_publish(vendor=vendor, size=size, seed=seed)
    dashboard = pages.dashboard_paths(day=day)
    public = pages.public_api_paths(day=day)
    result["dashboard_pages"] = len(set(dashboard))
    log = folder / f"gunicorn-{vendor}.log"
    # Persistent connections, as in production: one per sync worker.
    with served(env={"CONN_MAX_AGE": "600"}, workers=workers, log=log) as base:
        # Every page once: warms the workers and fails early on a page that does not answer.
        # The dashboard pages go first, one at a time: their first rendering is not cached yet
        # (published pages are then served from the page cache, as in production), and is
        # timed; a second pass times the same pages from the cache, still one at a time.
        pages_once = sorted(set(dashboard))
        first: list[float] = []
        cached: list[float] = []
        errors = fetch_each(base_url=base, paths=pages_once, timings_ms=first)
        errors += fetch_each(base_url=base, paths=pages_once, timings_ms=cached)
        others = sorted(set(public) - set(dashboard))
        result["warm_up_errors"] = errors + fetch_each(base_url=base, paths=others)
        result["first_render"] = _sequential(first)
        result["cached_sequential"] = _sequential(cached)
        say(f"{vendor}: {READING_CLIENTS} lectores durante {duration_s:g} s")
        reading = run_load(
            base_url=base,
            paths=dashboard,
            clients=READING_CLIENTS,
            duration_s=duration_s,
            think_s=READING_THINK_S,
            seed=seed,
        )
        say(f"{vendor}: {THROUGHPUT_CLIENTS} clientes sin espera durante {duration_s:g} s")
        saturation = run_load(
            base_url=base,
            paths=dashboard,
            clients=THROUGHPUT_CLIENTS,
            duration_s=duration_s,
            think_s=None,
            seed=seed + 1,
        )
        result.update(
            dashboard_p50_ms=reading.p50_ms and round(reading.p50_ms, 1),
            dashboard_p95_ms=reading.p95_ms and round(reading.p95_ms, 1),
            errors=reading.errors + saturation.errors,
            throughput_rps=round(saturation.throughput_rps, 1),
            reading=_load_figures(reading),
            saturation=_load_figures(saturation),
        )
        if public_api:
            say(f"{vendor}: páginas públicas y API, {READING_CLIENTS} lectores, {duration_s:g} s")
            result["load_public_api"] = _load_figures(
                run_load(
                    base_url=base,
                    paths=public,
                    clients=READING_CLIENTS,
                    duration_s=duration_s,
                    think_s=READING_THINK_S,
                    seed=seed + 2,
                )
            )
    return result
