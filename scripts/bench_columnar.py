"""Times one cut of every plan at a size: polars path, DuckDB SQL path, peak RSS.

.venv/bin/python scripts/bench_columnar.py national [seed]
"""

from __future__ import annotations

import json
import resource
import sys
import time

from cascada.columnar.duckdb_sql import compute_cut_duckdb, load_inputs
from cascada.columnar.polars_path import compute_cut_columnar
from cascada.synth.convert import cut_inputs
from cascada.synth.generate import generate


def best(function, runs: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    size = sys.argv[1] if len(sys.argv) > 1 else "district"
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    started = time.perf_counter()
    synth = generate(size=size, seed=seed)
    generated = time.perf_counter() - started
    inputs = cut_inputs(synth)
    cut = synth.cuts[-1]
    polars_s = best(lambda: compute_cut_columnar(inputs, cut=cut))
    connection = load_inputs(inputs)
    duckdb_s = best(lambda: compute_cut_duckdb(inputs, cut=cut, connection=connection))
    print(
        json.dumps(
            {
                "size": size,
                "indicators": synth.indicators.height,
                "progress_rows": synth.progress.height,
                "generate_s": round(generated, 2),
                "polars_cut_s": round(polars_s, 3),
                "duckdb_cut_s": round(duckdb_s, 3),
                "ratio_polars_over_duckdb": round(polars_s / duckdb_s, 2),
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
