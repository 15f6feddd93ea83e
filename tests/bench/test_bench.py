"""``cascada bench`` at the seed size with one-second load runs: one JSON object with every key
of issue 8, figures of the right types, no problems. The command runs the database part on the
vendor the suite runs on (a scratch SQLite file, or a scratch PostgreSQL database next to the
test one); the compute and import parts are run here in-process, which keeps the tests under a
minute; ``make bench`` runs everything."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from cascada.bench import parts
from cascada.bench.httpload import percentile
from cascada.bench.run import Options, assemble, targets
from cascada.tracking.models import ProgressReport

CASCADA = str(Path(sys.executable).parent / "cascada")
TOP_KEYS = {"size", "engine_cut_s", "duckdb_cut_s", "ratio", "import_100k_rows_s", "peak_rss_mb"}
DATABASE_KEYS = {
    "recompute_store_s",
    "dashboard_p50_ms",
    "dashboard_p95_ms",
    "errors",
    "throughput_rps",
}
NUMBER = (int, float)


def _postgres_scratch_url() -> str:
    settings = connection.settings_dict
    user = settings.get("USER") or "postgres"
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}_bench"


@pytest.mark.django_db
def test_bench_at_seed_size_prints_every_figure():
    vendor = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    command = [
        CASCADA,
        "bench",
        "--size",
        "seed",
        "--json",
        "--duration",
        "1",
        "--runs",
        "1",
        "--workers",
        "2",
        "--only",
        vendor,
    ]
    if vendor == "postgresql":
        command += ["--postgres-url", _postgres_scratch_url(), "--keep"]
    done = subprocess.run(
        command, capture_output=True, text=True, check=False, env={**os.environ}, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-3000:]
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert len(lines) == 1  # one JSON object, nothing else on stdout
    result = json.loads(lines[0])

    assert result.keys() >= TOP_KEYS
    assert result["size"] == "seed"
    # Not asked for (--only; measured in the tests below, in this process): null, not made up.
    assert all(result[key] is None for key in TOP_KEYS - {"size"})

    for name in ("sqlite", "postgresql"):
        assert result[name].keys() >= DATABASE_KEYS
    measured = result[vendor]
    assert measured["errors"] == 0
    assert measured["recompute_store_s"] > 0
    assert 0 < measured["dashboard_p50_ms"] <= measured["dashboard_p95_ms"]
    assert measured["throughput_rps"] > 0
    assert measured["reading"]["clients"] == 20 and measured["saturation"]["clients"] == 8
    assert measured["reading"]["requests"] > 0 and measured["saturation"]["requests"] > 0
    # the first, uncached rendering of each dashboard page and a second, cached pass
    for sequential in (measured["first_render"], measured["cached_sequential"]):
        assert sequential["pages"] == measured["dashboard_pages"]
        assert 0 < sequential["p50_ms"] <= sequential["p95_ms"] <= sequential["max_ms"]
    other = result["postgresql" if vendor == "sqlite" else "sqlite"]
    assert all(other[key] is None for key in DATABASE_KEYS)  # not measured: null, not made up

    public = result["load_public_api"]
    assert public["errors"] == 0 and public["requests"] > 0
    assert result["problems"] == []
    assert result["machine"]["nproc"] >= 1
    if vendor == "postgresql":
        _reuse_the_kept_database(command)


def _reuse_the_kept_database(command: list[str]) -> None:
    """``--reuse`` runs only the load runs on the database ``--keep`` left, then drops it."""
    from cascada.bench.scratch import postgres_scratch

    again = [*(c for c in command if c != "--keep"), "--reuse"]
    try:
        done = subprocess.run(
            again, capture_output=True, text=True, check=False, env={**os.environ}, timeout=300
        )
        assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-3000:]
        result = json.loads(done.stdout.strip().splitlines()[-1])
        measured = result["postgresql"]
        assert measured["recompute_store_s"] is None and "load_s" not in measured
        assert measured["errors"] == 0 and measured["saturation"]["requests"] > 0
        assert measured["first_render"]["pages"] == measured["dashboard_pages"]
        assert result["run"]["reused_database"] is True and result["problems"] == []
    finally:
        with postgres_scratch(_postgres_scratch_url()):
            pass  # dropped (created empty first)


def test_compute_part_times_both_paths_and_they_agree():
    measured = parts.compute_part(size="seed", seed=1, runs=2)
    for key in ("engine_cut_s", "duckdb_cut_s", "ratio", "peak_rss_mb"):
        assert isinstance(measured[key], NUMBER) and measured[key] > 0, key
    assert len(measured["engine_runs_s"]) == len(measured["duckdb_runs_s"]) == 2
    assert len(measured["engine_cpu_s"]) == len(measured["duckdb_cpu_s"]) == 2
    assert all(s > 0 for s in measured["engine_cpu_s"] + measured["duckdb_cpu_s"])
    assert measured["agree"] is True and measured["disagreements"] == []
    assert measured["counts"]["plans"] == 1


@pytest.mark.django_db
def test_import_part_imports_the_rows_asked_for(tmp_path):
    # In this process, on the test database (the command runs it in a new one, freshly migrated).
    measured = parts.import_part(rows=300, seed=3, folder=tmp_path)
    assert measured["progress_rows"] == 300
    assert ProgressReport.objects.filter(cut__plan__code=measured["plan"]).count() == 300
    assert measured["import_100k_rows_s"] >= measured["read_s"] > 0


def test_assemble_keeps_every_key_when_nothing_was_measured(tmp_path):
    options = Options(
        size="district",
        seed=1,
        duration_s=60,
        workers=4,
        runs=3,
        import_rows=100_000,
        postgres_url="postgres://postgres@127.0.0.1:5432/unused",
        parts=(),
    )
    result = assemble(options, {}, folder=tmp_path)
    assert result.keys() >= TOP_KEYS
    assert result["size"] == "district"
    assert result["sqlite"].keys() == DATABASE_KEYS
    assert all(result[key] is None for key in TOP_KEYS - {"size"})
    assert all(t["met"] is None for t in result["targets"].values())


def test_failed_parts_and_disagreements_are_problems(tmp_path):
    options = Options("seed", 1, 1, 2, 1, 10, "postgres://x@127.0.0.1/y", ("compute", "sqlite"))
    result = assemble(
        options,
        {
            "compute": {"engine_cut_s": 0.2, "duckdb_cut_s": 0.1, "ratio": 2.0, "agree": False},
            "sqlite": {"failed": "la parte database terminó con código 1"},
        },
        folder=tmp_path,
    )
    assert len(result["problems"]) == 2
    assert result["targets"]["ratio"]["met"] is False  # 2.0 > 1.5 (seed and district goal)


def test_targets_follow_the_issue():
    result = {"size": "national", "engine_cut_s": 0.4, "ratio": 1.3, "peak_rss_mb": 5000}
    checked = targets(result)
    assert checked["engine_cut_s"]["met"] is True
    assert checked["ratio"]["met"] is False  # 1.2 at national size
    assert checked["peak_rss_mb"]["met"] is False
    assert checked["import_100k_rows_s"]["met"] is None


def test_percentile_is_nearest_rank():
    values = sorted(float(n) for n in range(1, 101))
    assert percentile(values, 0.50) == 50.0
    assert percentile(values, 0.95) == 95.0
    assert percentile([7.0], 0.95) == 7.0
    assert percentile([], 0.5) is None
