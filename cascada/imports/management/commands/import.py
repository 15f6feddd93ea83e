"""``cascada import WORKBOOK``: load a template-v1 workbook into the database, all or nothing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from cascada.imports.services import ImportRefused, file_digest, import_workbook
from cascada.imports.template_v1 import TemplateError, read_template

INVALID_INPUT = 2


class Command(BaseCommand):
    help = (
        "Importa un libro de la plantilla v1 (crea el plan o lo actualiza a su contenido). "
        "Todo o nada: ante cualquier error no cambia nada."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("workbook", type=Path, help="Libro .xlsx, carpeta de CSV o .zip.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Muestra los cambios sin guardarlos."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path: Path = options["workbook"]
            workbook = read_template(path)
            summary = import_workbook(
                workbook=workbook,
                actor_label="cli",
                source=path.name,
                sha256=file_digest(path),
                dry_run=options["dry_run"],
            )
        except TemplateError as error:
            self._fail([issue.message for issue in error.issues])
        except ImportRefused as error:
            self._fail(error.messages)
        for line in summary.lines():
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write("Simulación: no se guardó ningún cambio.")

    def _fail(self, messages: list[str]) -> NoReturn:
        for message in messages:
            self.stderr.write(message)
        self.stderr.write("No se importó nada: la base de datos quedó como estaba.")
        sys.exit(INVALID_INPUT)
