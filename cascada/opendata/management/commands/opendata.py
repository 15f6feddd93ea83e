"""``cascada opendata --plan CODE --corte YYYY-MM-DD -o DIR``: write the open data files of a
published cut (the same files as ``/datos/<plan>/<fecha>/ed<n>/``) into ``DIR``, created when
missing. Bad input (unknown plan or cut, a cut not published, a date that is not one, an output
that is a file): a Spanish message on stderr and exit status 2."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand

from cascada.opendata.build import FILES, OpenDataNotFound, build_open_data, render_files

INVALID_INPUT = 2


class Command(BaseCommand):
    help = (
        "Escribe los datos abiertos de un corte publicado (CSV, XLSX, JSON, datapackage.json "
        "validado y un zip con todo) en una carpeta."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--plan", required=True, metavar="CÓDIGO", help="Código del plan.")
        parser.add_argument("--corte", required=True, metavar="AAAA-MM-DD", help="Fecha del corte.")
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            type=Path,
            metavar="CARPETA",
            help="Carpeta de destino (se crea si no existe; los archivos se reemplazan).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        raw: str = options["corte"]
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            self._fail(f"--corte: se encontró '{raw}'; se esperaba una fecha AAAA-MM-DD.")
        folder: Path = options["output"]
        if folder.exists() and not folder.is_dir():
            self._fail(f"La salida no es una carpeta: {folder}")
        try:
            data = build_open_data(plan_code=options["plan"], cut_date=day)
        except OpenDataNotFound as error:
            self._fail(str(error))
        files = render_files(data)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for name in FILES:
                (folder / name).write_bytes(files[name])
        except OSError as error:
            self._fail(f"No se pudo escribir en {folder}: {error.strerror or error}")
        self.stdout.write(
            f"Datos abiertos del plan {data.plan_code} al corte {day.isoformat()} "
            f"(edición {data.edition}, {len(data.cuts)} corte(s) en la serie) escritos en "
            f"{folder}: {', '.join(FILES)}."
        )

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        sys.exit(INVALID_INPUT)
