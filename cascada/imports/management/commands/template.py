"""``cascada template -o FILE.xlsx``: the empty import template v1 (DESIGN §6)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cascada.imports.template_writer import write_empty_template


class Command(BaseCommand):
    help = (
        "Escribe la plantilla de importación vacía (versión 1): una hoja de instrucciones y las "
        "hojas plan, objetivos, metas, indicadores, programacion_anual, avances y ponderaciones."
    )
    # Writing a file needs neither the database nor the project's checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            type=Path,
            metavar="ARCHIVO.xlsx",
            help="Ruta del libro .xlsx que se escribe (se reemplaza si ya existe).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"]
        if output.suffix.lower() != ".xlsx":
            raise CommandError(f"El archivo de salida debe terminar en .xlsx: {output}")
        if not output.parent.is_dir():
            raise CommandError(f"No existe la carpeta de destino: {output.parent}")
        try:
            write_empty_template(output)
        except OSError as error:
            raise CommandError(f"No se pudo escribir {output}: {error.strerror}") from error
        self.stdout.write(f"Plantilla v1 escrita en {output}")
