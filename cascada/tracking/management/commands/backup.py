"""``cascada backup -o FILE``: the whole database and the uploaded files in one portable zip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cascada.tracking.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Hace una copia de seguridad completa (todas las tablas de cascada, los usuarios y los "
        "archivos subidos) en un zip que se restaura en SQLite o PostgreSQL con "
        "«cascada restore». Ver docs/backups.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", required=True, type=Path, help="Archivo .zip de la copia."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"]
        try:
            manifest = create_backup(output=output)
        except BackupError as error:
            raise CommandError(error.message) from None
        rows = sum(t["rows"] for t in manifest["tables"])
        self.stdout.write(
            f"Copia escrita en {output}: {len(manifest['tables'])} tablas, {rows} filas, "
            f"{len(manifest['media'])} archivos, {len(manifest['editions'])} ediciones "
            "publicadas."
        )
        for cut in manifest["published_cuts"]:
            if not cut["results_match"]:
                self.stderr.write(
                    f"Aviso: los resultados guardados del corte publicado {cut['plan']} "
                    f"{cut['cut']} ya no coinciden con un recálculo; la copia lo registra así."
                )
