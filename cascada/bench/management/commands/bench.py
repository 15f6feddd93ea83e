"""``cascada bench --size district|national [--json]``: the figures of issue 8 measured in one
run, on scratch databases (a SQLite file in a temporary folder and the PostgreSQL database named
by ``--postgres-url``, created and dropped), never the project's own. See BENCHMARKS.md.

Exit status 1 when a part failed, the columnar engine and DuckDB disagree, or a load run had
errors; slow figures are reported (``targets``), never failed on."""

from __future__ import annotations

import json
import os
from argparse import SUPPRESS, ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cascada.bench import parts
from cascada.bench.data import SIZES
from cascada.bench.run import PARTS, Options, run_bench

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/cascada_bench"


class Command(BaseCommand):
    help = (
        "Mide el motor (columnar y DuckDB), la importación, el recálculo y el tablero bajo carga "
        "en SQLite y PostgreSQL, sobre bases de datos temporales; imprime las cifras."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--size", choices=SIZES, required=True, help="Tamaño de los datos.")
        parser.add_argument("--seed", type=int, default=1, help="Semilla del generador.")
        parser.add_argument("--json", action="store_true", help="Un objeto JSON en la salida.")
        parser.add_argument(
            "--duration",
            type=float,
            default=60.0,
            metavar="SEGUNDOS",
            help="Duración de cada prueba de carga (60 por defecto).",
        )
        parser.add_argument(
            "--workers", type=int, default=4, help="Procesos de gunicorn (4 por defecto)."
        )
        parser.add_argument(
            "--runs", type=int, default=3, help="Repeticiones del cálculo en memoria (la mejor)."
        )
        parser.add_argument(
            "--import-rows",
            type=int,
            default=100_000,
            metavar="FILAS",
            help="Filas de avance del libro importado (100.000 por defecto).",
        )
        parser.add_argument(
            "--postgres-url",
            default=os.environ.get("CASCADA_BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL),
            help="Base de datos PostgreSQL temporal: se borra y se crea (no use una con datos).",
        )
        parser.add_argument(
            "--only",
            default=",".join(PARTS),
            metavar="PARTES",
            help=f"Partes a medir, separadas por comas: {', '.join(PARTS)} (todas por defecto).",
        )
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Conservar la carpeta temporal y la base de datos PostgreSQL al terminar.",
        )
        parser.add_argument(
            "--reuse",
            action="store_true",
            help=(
                "Solo las pruebas de carga, sobre la base PostgreSQL de --postgres-url tal como "
                "la dejó una medición con --keep (cargada, recalculada y publicada); no la borra."
            ),
        )
        # Internal: the parent runs each part as `cascada bench --part NAME` in a new process.
        parser.add_argument("--part", choices=("compute", "import", "database"), help=SUPPRESS)
        parser.add_argument("--folder", type=Path, help=SUPPRESS)
        parser.add_argument("--rows", type=int, help=SUPPRESS)
        parser.add_argument("--public-api", action="store_true", help=SUPPRESS)
        parser.add_argument("--loaded", action="store_true", help=SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["part"]:
            self.stdout.write(json.dumps(self._part(options)))
            return
        chosen = [p.strip() for p in options["only"].split(",") if p.strip()]
        unknown = [p for p in chosen if p not in PARTS]
        if unknown or not chosen:
            raise CommandError(
                f"--only: se encontró «{options['only']}»; se esperaban partes entre "
                f"{', '.join(PARTS)}, separadas por comas."
            )
        if options["reuse"] and chosen != ["postgresql"]:
            raise CommandError("--reuse: solo con --only postgresql (la base que dejó --keep).")
        if options["duration"] <= 0:
            raise CommandError("--duration: se esperaba un número de segundos mayor que cero.")
        result = run_bench(
            Options(
                size=options["size"],
                seed=options["seed"],
                duration_s=options["duration"],
                workers=options["workers"],
                runs=max(1, options["runs"]),
                import_rows=options["import_rows"],
                postgres_url=options["postgres_url"],
                parts=chosen,
                keep=options["keep"] or options["reuse"],
                reuse=options["reuse"],
            )
        )
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(_text(result))
        if result["problems"]:
            raise SystemExit(1)

    def _part(self, options: dict[str, Any]) -> dict[str, Any]:
        name = options["part"]
        if name == "compute":
            return parts.compute_part(
                size=options["size"], seed=options["seed"], runs=options["runs"]
            )
        if name == "import":
            return parts.import_part(
                rows=options["rows"], seed=options["seed"], folder=options["folder"]
            )
        return parts.database_part(
            size=options["size"],
            seed=options["seed"],
            duration_s=options["duration"],
            workers=options["workers"],
            public_api=options["public_api"],
            folder=options["folder"],
            loaded=options["loaded"],
        )


def _text(result: dict[str, Any]) -> str:
    """The main figures, one per line, for a person (``--json`` for everything)."""
    lines = [f"cascada bench --size {result['size']}"]
    for key in ("engine_cut_s", "duckdb_cut_s", "ratio", "import_100k_rows_s", "peak_rss_mb"):
        lines.append(f"  {key}: {result[key]}")
    for vendor in ("sqlite", "postgresql"):
        figures = ", ".join(
            f"{k}={result[vendor][k]}"
            for k in (
                "recompute_store_s",
                "dashboard_p50_ms",
                "dashboard_p95_ms",
                "errors",
                "throughput_rps",
            )
        )
        lines.append(f"  {vendor}: {figures}")
    if result["load_public_api"]:
        public = result["load_public_api"]
        lines.append(
            f"  load_public_api: p50={public['p50_ms']} p95={public['p95_ms']} "
            f"errors={public['errors']} rps={public['throughput_rps']}"
        )
    for name, target in result["targets"].items():
        mark = {True: "sí", False: "NO", None: "sin medir"}[target["met"]]
        lines.append(f"  meta {name} {target['goal']}: {target['value']} ({mark})")
    lines += [f"  PROBLEMA: {p}" for p in result["problems"]]
    return "\n".join(lines)
