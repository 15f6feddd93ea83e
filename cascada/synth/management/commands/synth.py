"""``cascada synth --size seed|district|national [--seed N] (-o DIR [--csv] | --load)``:
synthetic plans (issue 8) as template v1 files or loaded straight into the database."""

from __future__ import annotations

import sys
import time
from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand

from cascada.synth.generate import SIZES, generate
from cascada.synth.load import load
from cascada.synth.write import write

INVALID_INPUT = 2


class Command(BaseCommand):
    help = (
        "Genera planes sintéticos realistas y deterministas (tamaños seed, district, national) "
        "como libros de la plantilla v1 o los carga directamente en la base de datos."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--size", required=True, choices=sorted(SIZES), help="Tamaño.")
        parser.add_argument("--seed", type=int, default=1, help="Semilla (por defecto 1).")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument(
            "-o", "--output", type=Path, metavar="CARPETA", help="Carpeta donde se escriben."
        )
        target.add_argument("--load", action="store_true", help="Cargar en la base de datos.")
        parser.add_argument(
            "--csv",
            action="store_true",
            help="Con -o: una carpeta de archivos CSV por plan en lugar de un libro .xlsx.",
        )
        parser.add_argument(
            "--corte",
            type=date.fromisoformat,
            metavar="AAAA-MM-DD",
            help="Con --load: el corte cuyos resultados se calculan (por defecto, el último).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        synth = generate(size=options["size"], seed=options["seed"])
        indicators = synth.indicators.height
        if options["load"]:
            cut = options["corte"]
            if cut is not None and cut not in synth.cuts:
                self._fail(f"El corte {cut.isoformat()} no es un corte de los datos generados.")
            try:
                summary = load(synth, cut=cut, actor_label="cli")
            except ValueError as error:
                self._fail(str(error))
            self.stdout.write(
                f"Cargados {summary.plans} planes, {summary.indicators} indicadores y "
                f"{summary.progress_rows} filas de avance; resultados del corte "
                f"{summary.computed_cut} en {time.perf_counter() - started:.1f} s."
            )
            return
        output: Path = options["output"]
        try:
            paths = write(synth, output, form="csv" if options["csv"] else "xlsx")
        except OSError as error:
            self._fail(f"No se pudo escribir en {output}: {error.strerror}")
        self.stdout.write(
            f"Escritos {len(paths)} planes ({indicators} indicadores, {synth.progress.height} "
            f"filas de avance) en {output} en {time.perf_counter() - started:.1f} s."
        )

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        sys.exit(INVALID_INPUT)
