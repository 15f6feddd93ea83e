"""``cascada bench``: run the parts (each in its own process, on scratch databases) and put
their figures together in the one JSON object of issue 8."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cascada.bench import machine
from cascada.bench.scratch import (
    Scratch,
    postgres_scratch,
    postgres_version,
    run_part,
    sqlite_scratch,
)

PARTS = ("compute", "import", "sqlite", "postgresql")
DATABASE_KEYS = (
    "recompute_store_s",
    "dashboard_p50_ms",
    "dashboard_p95_ms",
    "errors",
    "throughput_rps",
)
# Issue 8's goals: (key path, comparison, goal). Benchmark goals, reported, never failed on.
TARGETS: tuple[tuple[str, str, float], ...] = (
    ("engine_cut_s", "<=", 0.5),
    ("ratio", "<=", 1.2),
    ("import_100k_rows_s", "<=", 10),
    ("peak_rss_mb", "<=", 4096),
    ("sqlite.dashboard_p95_ms", "<=", 100),
    ("sqlite.errors", "<=", 0),
    ("sqlite.throughput_rps", ">=", 150),
    ("postgresql.dashboard_p95_ms", "<=", 100),
    ("postgresql.errors", "<=", 0),
    ("postgresql.throughput_rps", ">=", 150),
)
DISTRICT_RATIO_GOAL = 1.5  # the ratio is noisier at district size


@dataclass(frozen=True)
class Options:
    size: str
    seed: int
    duration_s: float
    workers: int
    runs: int
    import_rows: int
    postgres_url: str
    parts: Sequence[str]
    keep: bool = False
    reuse: bool = False  # the PostgreSQL database is already loaded (kept by an earlier run)


def _value(result: dict[str, Any], path: str) -> Any:
    value: Any = result
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def targets(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each goal with the figure measured and whether it is met (``None``: not measured)."""
    checked = {}
    for path, comparison, goal in TARGETS:
        if path == "ratio" and result["size"] != "national":
            goal = DISTRICT_RATIO_GOAL
        value = _value(result, path)
        met = None
        if isinstance(value, int | float):
            met = value <= goal if comparison == "<=" else value >= goal
        checked[path] = {"goal": f"{comparison} {goal:g}", "value": value, "met": met}
    return checked


def _database_arguments(options: Options, folder: Path, public_api: bool) -> list[str]:
    arguments = [
        "--size",
        options.size,
        "--seed",
        str(options.seed),
        "--duration",
        f"{options.duration_s:g}",
        "--workers",
        str(options.workers),
        "--folder",
        str(folder),
    ]
    if options.reuse:
        arguments.append("--loaded")
    return [*arguments, "--public-api"] if public_api else arguments


def _run_database(
    scratch: Scratch, options: Options, folder: Path, *, public_api: bool
) -> dict[str, Any]:
    return run_part(
        "database",
        _database_arguments(options, folder, public_api),
        env={"DATABASE_URL": scratch.url, "CASCADA_DATA_DIR": str(folder)},
    )


def run_bench(options: Options) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="cascada-bench-"))
    env = {"CASCADA_DATA_DIR": str(folder), "DATABASE_URL": sqlite_scratch(folder).url}
    parts: dict[str, dict[str, Any]] = {}
    try:
        if "compute" in options.parts:
            parts["compute"] = run_part(
                "compute",
                ["--size", options.size, "--seed", str(options.seed), "--runs", str(options.runs)],
                env=env,
            )
        if "import" in options.parts:
            import_folder = folder / "import"
            import_folder.mkdir()
            parts["import"] = run_part(
                "import",
                [
                    "--size",
                    options.size,
                    "--seed",
                    str(options.seed),
                    "--rows",
                    str(options.import_rows),
                    "--folder",
                    str(import_folder),
                ],
                env={
                    "CASCADA_DATA_DIR": str(import_folder),
                    "DATABASE_URL": sqlite_scratch(import_folder).url,
                },
            )
        # The public pages and API run once, on PostgreSQL (production's database) when it is
        # measured, else on SQLite.
        public_on = "postgresql" if "postgresql" in options.parts else "sqlite"
        if "sqlite" in options.parts:
            sqlite_folder = folder / "sqlite"
            sqlite_folder.mkdir()
            parts["sqlite"] = _run_database(
                sqlite_scratch(sqlite_folder),
                options,
                sqlite_folder,
                public_api=public_on == "sqlite",
            )
        if "postgresql" in options.parts:
            pg_folder = folder / "postgresql"
            pg_folder.mkdir()
            if options.reuse:
                reused = Scratch("postgresql", options.postgres_url)
                parts["postgresql"] = _run_database(reused, options, pg_folder, public_api=True)
            else:
                with postgres_scratch(options.postgres_url, keep=options.keep) as scratch:
                    parts["postgresql"] = _run_database(
                        scratch, options, pg_folder, public_api=True
                    )
    finally:
        if not options.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return assemble(options, parts, folder=folder)


def assemble(options: Options, parts: dict[str, dict[str, Any]], *, folder: Path) -> dict[str, Any]:
    compute = parts.get("compute", {})
    imported = parts.get("import", {})
    result: dict[str, Any] = {
        "size": options.size,
        "engine_cut_s": compute.get("engine_cut_s"),
        "duckdb_cut_s": compute.get("duckdb_cut_s"),
        "ratio": compute.get("ratio"),
        "import_100k_rows_s": imported.get("import_100k_rows_s"),
        "peak_rss_mb": compute.get("peak_rss_mb"),
    }
    for vendor in ("sqlite", "postgresql"):
        measured = parts.get(vendor, {})
        result[vendor] = {key: measured.get(key) for key in DATABASE_KEYS} | {
            key: value for key, value in measured.items() if key not in DATABASE_KEYS
        }
    public = next(
        (
            parts[v].pop("load_public_api")
            for v in ("postgresql", "sqlite")
            if "load_public_api" in parts.get(v, {})
        ),
        None,
    )
    result["load_public_api"] = public
    problems = [f"{name}: {p['failed']}" for name, p in parts.items() if "failed" in p]
    if compute and compute.get("agree") is False:
        problems.append(
            f"compute: el motor columnar y DuckDB no coinciden: {compute.get('disagreements')}"
        )
    for vendor in ("sqlite", "postgresql"):
        measured = parts.get(vendor, {})
        if measured.get("errors"):
            problems.append(f"{vendor}: {measured['errors']} errores en la carga")
        if measured.get("warm_up_errors"):
            problems.append(f"{vendor}: páginas que no responden: {measured['warm_up_errors'][:5]}")
    if public and public.get("errors"):
        problems.append(f"load_public_api: {public['errors']} errores")
    result["problems"] = problems
    result["details"] = {"compute": compute, "import": imported}
    result["run"] = {
        "seed": options.seed,
        "duration_s": options.duration_s,
        "gunicorn_workers": options.workers,
        "parts": list(options.parts),
        "kept": str(folder) if options.keep else None,
        "reused_database": options.reuse,
    }
    result["machine"] = machine.describe(
        postgres_version=postgres_version(options.postgres_url)
        if "postgresql" in options.parts
        else ""
    )
    result["targets"] = targets(result)
    return result
